//! Untrusted docs: pathological and hostile pages give diagnostics, never a panic, never code
//! of their own in the output, never a read outside the docs tree; output is deterministic.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use graph_docgen::emit::CrateOptions;
use graph_docgen::{output, Generated, Kind};
use quote::ToTokens;

/// The committed hostile pages plus the ones too big to commit.
fn hostile_docs(dir: &Path) {
    common::copy_tree(&common::workspace().join("tests/fixtures/hostile"), dir);
    let r = dir.join("resources");
    let long_line = format!(
        "# long resource type\n\n{}\n\n## Properties\n\n|Property|Type|Description|\n|-|-|-|\n|x|String|{}|\n",
        "word ".repeat(1_000_000),
        "y".repeat(100_000)
    );
    std::fs::write(r.join("long-line.md"), long_line).unwrap();
    let mut rows = String::from("# rows resource type\n\n## Properties\n\n|Property|Type|Description|\n|-|-|-|\n");
    for i in 0..20_000 {
        rows.push_str(&format!("|p{i}|Int32|Row {i}.|\n"));
    }
    std::fs::write(r.join("rows.md"), rows).unwrap();
    let deep = [
        ("deep-quotes.md", "> ".repeat(5_000) + "quoted\n"),
        ("deep-lists.md", (0..5_000).map(|i| format!("{}- item\n", "  ".repeat(i))).collect::<String>()),
        ("deep-brackets.md", format!("# brackets resource type\n\n{}x{}\n", "[".repeat(5_000), "](y)".repeat(5_000))),
        ("deep-json.md", format!("# deep resource type\n\n## JSON representation\n\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.deep\" }} -->\n```json\n{{\"a\": {}{}}}\n```\n", "[".repeat(5_000), "]".repeat(5_000))),
        ("deep-annotation.md", format!("# deepann resource type\n\n## JSON representation\n\n<!-- {{ \"a\": {}1{} }} -->\n```json\n{{}}\n```\n", "[".repeat(5_000), "]".repeat(5_000))),
    ];
    for (name, text) in deep {
        std::fs::write(r.join(name), text).unwrap();
    }
}

fn generate(dir: &Path) -> Generated {
    let options = CrateOptions { crate_name: "hostile".into(), standalone: true, runtime: None };
    graph_docgen::generate(dir, &options).unwrap()
}

fn has(g: &Generated, file: &str, kind: Kind, needle: &str) -> bool {
    g.diagnostics.iter().any(|d| d.span.file == file && d.kind == kind && d.message.contains(needle))
}

#[test]
fn hostile_pages_give_diagnostics_and_a_clean_crate() {
    let dir = common::scratch("hostile/docs");
    hostile_docs(&dir);
    let g = generate(&dir);
    let shown: Vec<String> = g.diagnostics.iter().map(|d| d.to_string()).collect();
    let all = shown.join("\n");
    for (file, kind, needle) in [
        ("resources/latin1.md", Kind::UnreadablePage, "expected UTF-8"),
        ("resources/empty.md", Kind::MalformedPage, "expected a `# title` heading"),
        ("resources/bom-only.md", Kind::MalformedPage, "expected a `# title` heading"),
        ("resources/cycle-a.md", Kind::Conflict, "inheritance cycle"),
        ("resources/duplicates.md", Kind::Conflict, "member `one` is listed twice"),
        ("resources/conflict-2.md", Kind::Conflict, "`size` is declared with another type"),
        ("resources/escape.md", Kind::LinkOutsideDocs, "../../../../etc/passwd"),
        ("resources/escape.md", Kind::LinkOutsideDocs, "/etc/shadow"),
        ("resources/escape.md", Kind::MalformedAnnotation, "annotation"),
        ("resources/tables.md", Kind::MalformedTable, "found `Property`"),
        ("resources/injection.md", Kind::Renamed, "display_name"),
        ("resources/injection.md", Kind::Renamed, "additional_properties"),
        ("resources/deep-annotation.md", Kind::MalformedAnnotation, "annotation"),
        ("resources/escape.md", Kind::MalformedJson, "JSON representation"),
        ("api/evil-path.md", Kind::MalformedRequest, "an empty placeholder"),
        ("resources/no-table.md", Kind::MalformedTable, "expected a `Property|Type|Description` table"),
    ] {
        assert!(
            has(&g, file, kind, needle),
            "expected a {kind:?} diagnostic on {file} mentioning {needle:?}; got:\n{all}"
        );
    }
    assert!(g.ir.types.contains_key("microsoft.graph.rows"), "the 20,000-row page is read");
    let crate_dir = common::workspace().join("target/hostile/crate");
    output::sync(&crate_dir, &g.files, false).unwrap();

    // No identifier of the generated code comes from a hostile name unsanitized.
    let mut idents = BTreeSet::new();
    for (path, text) in &g.files {
        if !path.ends_with(".rs") {
            continue;
        }
        let file: syn::File = syn::parse_str(text).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
        let mut stack: Vec<proc_macro2::TokenStream> = vec![file.into_token_stream()];
        while let Some(ts) = stack.pop() {
            for tt in ts {
                match tt {
                    proc_macro2::TokenTree::Ident(i) => {
                        idents.insert(i.to_string());
                    }
                    proc_macro2::TokenTree::Group(g) => stack.push(g.stream()),
                    _ => {}
                }
            }
        }
    }
    assert!(!idents.contains("evil"), "an injected identifier reached the code");
    for expected in ["x", "r#mod", "self_", "Self_", "super_", "crate_", "_2fast", "display_name", "display_name_2"] {
        assert!(idents.contains(expected), "missing sanitized name {expected}");
    }

    let out = common::nested_cargo(
        &["check", "--quiet", "--all-targets", "--features", "registry"],
        &crate_dir.join("Cargo.toml"),
        &common::workspace().join("target/hostile/target"),
    );
    assert!(
        out.status.success(),
        "the crate of the hostile docs does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nor do hostile descriptions become HTML, links or anything else rustdoc trips over.
    let doc = common::nested_doc(&crate_dir.join("Cargo.toml"), &common::workspace().join("target/hostile/target"));
    assert!(doc.status.success(), "the hostile crate's docs:\n{}", String::from_utf8_lossy(&doc.stderr));
}

/// Copies the files of `from` into `to` in the given order of names, so that two copies can
/// differ in the order their directories list them.
fn copy_ordered(from: &Path, to: &Path, reverse: bool) {
    let mut entries: Vec<_> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    if reverse {
        entries.reverse();
    }
    std::fs::create_dir_all(to).unwrap();
    for path in entries {
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_ordered(&path, &target, reverse);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn output_does_not_depend_on_listing_order_or_run() {
    let base = common::scratch("determinism");
    hostile_docs(&base.join("source"));
    for era in ["era-2016", "era-2021", "era-2022"] {
        common::copy_tree(&common::workspace().join("tests/fixtures").join(era), &base.join("source"));
    }
    copy_ordered(&base.join("source"), &base.join("forward"), false);
    copy_ordered(&base.join("source"), &base.join("reverse"), true);
    let a = generate(&base.join("forward"));
    let b = generate(&base.join("reverse"));
    let c = generate(&base.join("forward"));
    assert_eq!(a.files.keys().collect::<Vec<_>>(), b.files.keys().collect::<Vec<_>>());
    for (path, text) in &a.files {
        assert!(b.files[path] == *text, "{path} differs between listing orders");
        assert!(c.files[path] == *text, "{path} differs between two runs");
    }
    assert_eq!(a.diagnostics, b.diagnostics);

    // The file system may list the two copies in the same order (ext4 lists by name hash), so
    // the pages are also handed to the generator in orders that provably differ from sorted.
    let docs = base.join("forward");
    let mut diags = graph_docgen::Diagnostics::new();
    let sorted = graph_docgen::codegen::list_pages(&docs, &mut diags).unwrap();
    let options = CrateOptions { crate_name: "hostile".into(), standalone: true, runtime: None };
    let reversed: Vec<String> = sorted.iter().rev().cloned().collect();
    // Interleaved halves: neither sorted nor reversed.
    let (front, back) = sorted.split_at(sorted.len() / 2);
    let interleaved: Vec<String> = back
        .iter()
        .zip(front)
        .flat_map(|(x, y)| [x.clone(), y.clone()])
        .chain(back.get(front.len()..).unwrap_or_default().iter().cloned())
        .collect();
    for order in [reversed, interleaved] {
        assert_ne!(order, sorted, "the order under test must differ from the sorted one");
        assert_eq!(order.len(), sorted.len());
        let d = graph_docgen::codegen::generate_listed(&docs, order, diags.clone(), &options).unwrap();
        assert!(d.files == a.files, "output differs when the pages come in another order");
        assert_eq!(d.diagnostics, a.diagnostics);
    }
}
