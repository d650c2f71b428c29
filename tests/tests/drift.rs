//! `cargo test` fails when the committed `generated/` crate is stale with respect to `docs/`.

mod common;

use graph_docgen::emit::CrateOptions;
use graph_docgen::output;

#[test]
fn generated_crate_is_up_to_date() {
    let root = common::workspace();
    let options = CrateOptions { crate_name: "graph-generated".into(), standalone: false, runtime: None };
    let generated = graph_docgen::generate(&root.join("docs"), &options).unwrap();
    let changes = output::sync(&root.join("generated"), &generated.files, true).unwrap();
    assert!(
        changes.is_empty(),
        "generated/ is stale with respect to docs/; run `cargo xtask codegen` and commit the result:\n{}",
        changes.summary()
    );
}
