//! One IR snapshot per page of the seed fixture (`tests/fixtures/seed`, the page the project
//! started from and its two API pages; review with `cargo insta review`). Its crate's behaviour
//! is tested in `tests/behaviour/src/seed.rs`.

mod common;

use graph_docgen::emit::CrateOptions;
use graph_docgen::ir::{Origin, TypeDef};

fn from_page(def: &TypeDef, page: &str, ir: &graph_docgen::ir::Ir) -> bool {
    match &def.origin {
        Origin::Page => def.span.file == page,
        Origin::PossibleValues { owner, .. } => ir.types.get(owner).is_some_and(|o| o.span.file == page),
        Origin::RequestBody { page: p } => p == page,
    }
}

#[test]
fn ir_of_each_seed_page() {
    let docs = common::workspace().join("tests/fixtures/seed");
    let options = CrateOptions { crate_name: "fixture-seed".into(), standalone: true, runtime: None };
    let generated = graph_docgen::generate(&docs, &options).unwrap();
    let ir = &generated.ir;
    let pages: std::collections::BTreeSet<&str> = ir
        .types
        .values()
        .map(|t| t.span.file.as_str())
        .chain(ir.operations.values().map(|o| o.page.as_str()))
        .collect();
    assert_eq!(pages.len(), 3, "every seed page yields IR");
    for page in pages {
        let stem = page.trim_end_matches(".md").replace('/', "__");
        let types: Vec<&TypeDef> = ir.types.values().filter(|t| from_page(t, page, ir)).collect();
        let ops: Vec<_> = ir.operations.values().filter(|o| o.page == page).collect();
        let ir_json = serde_json::to_string_pretty(&serde_json::json!({ "types": types, "operations": ops })).unwrap();
        insta::assert_snapshot!(format!("{stem}__ir"), ir_json);

        // Every page leads to code that names it (`// Source: page, line` before each item).
        let marker = format!("// Source: `{page}`");
        assert!(generated.files.values().any(|text| text.contains(&marker)), "{page} produced no code");
    }
}
