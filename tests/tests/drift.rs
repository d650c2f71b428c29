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

/// The calls most users make first have the plain names, not the numbered ones of the copies
/// other areas' pages make of them (`intune-devices-user-list.md` is also "List users").
#[test]
fn the_committed_crate_gives_the_canonical_pages_the_plain_names() {
    let text = std::fs::read_to_string(common::workspace().join("generated/api.txt")).unwrap();
    let api = graph_docgen::api::ApiModel::from_manifest(&text).unwrap();
    for (name, page) in [
        ("ListUsers", "api/user-list.md"),
        ("GetUser", "api/user-get.md"),
        ("UpdateUser", "api/user-update.md"),
        ("ListGroups", "api/group-list.md"),
        ("GetGroup", "api/group-get.md"),
    ] {
        let op = api.operations.get(name).unwrap_or_else(|| panic!("no operation {name}"));
        assert_eq!(op.page, page, "{name}");
    }
}
