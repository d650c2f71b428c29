//! Property tests over generated input: no page, however malformed, makes the pipeline panic
//! or emit code that does not parse; any name sanitizes to an identifier. Failures proptest
//! finds are kept in `proptest-regressions/` and replayed first on every run.

use graph_docgen::emit::{self, CrateOptions};
use graph_docgen::naming::{sanitize, Case};
use graph_docgen::parse::{self, Page};
use graph_docgen::{resolve, Diagnostics};
use proptest::prelude::*;

/// Fragments that steer random text towards the structures the parser cares about.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("# x resource type\n".to_string()),
        Just("## Properties\n".to_string()),
        Just("### Methods\n".to_string()),
        Just("## HTTP request\n".to_string()),
        Just("## Request body\n".to_string()),
        Just("### kind values\n".to_string()),
        Just("|Property|Type|Description|\n".to_string()),
        Just("|Method|Return Type|Description|\n".to_string()),
        Just("|Member|Value|\n".to_string()),
        Just("|---|---|---|\n".to_string()),
        Just("```http\nGET /a/{id}/b\n```\n".to_string()),
        Just("```json\n{\"a\": [1, {\"b\": \n```\n".to_string()),
        Just("<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.x\", baseType: \"microsoft.graph.y\" } -->\n".to_string()),
        Just("Inherits from [y](y.md).\n".to_string()),
        Just("Possible values are: `a`, `b`.".to_string()),
        Just("[x](../resources/x.md)".to_string()),
        Just("[out](../../../etc/passwd)".to_string()),
        "[|`*\\[\\]()<>{}#:\" \n-]{1,8}",
        "[a-zA-Z0-9 ]{1,12}",
        "\\PC{1,6}",
    ]
}

fn page_text() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
}

fn pipeline(pages: &[(String, String)]) -> Result<(), String> {
    let mut diags = Diagnostics::new();
    let mut parsed: Vec<Page> = pages.iter().map(|(path, text)| parse::parse_page(path, text, &mut diags)).collect();
    parsed.sort_by(|a, b| a.path.cmp(&b.path));
    let ir = resolve::resolve(&parsed, &mut diags);
    graph_docgen::examples::validate(&parsed, &ir, &mut diags);
    let options = CrateOptions { crate_name: "prop".into(), standalone: true, runtime: None };
    let files = emit::emit(&ir, &options, &mut diags).map_err(|e| e.to_string())?;
    for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        syn::parse_file(text).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_page_parses_without_panicking(text in page_text()) {
        let mut diags = Diagnostics::new();
        let _ = parse::parse_page("resources/x.md", &text, &mut diags);
    }

    #[test]
    fn any_bytes_parse_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let text = String::from_utf8_lossy(&bytes);
        let mut diags = Diagnostics::new();
        let _ = parse::parse_page("resources/x.md", &text, &mut diags);
    }

    #[test]
    fn any_docs_tree_gives_code_that_parses(
        resources in prop::collection::vec(page_text(), 1..4),
        apis in prop::collection::vec(page_text(), 0..3),
    ) {
        let mut pages: Vec<(String, String)> =
            resources.into_iter().enumerate().map(|(i, t)| (format!("resources/r{i}.md"), t)).collect();
        pages.extend(apis.into_iter().enumerate().map(|(i, t)| (format!("api/a{i}.md"), t)));
        prop_assert_eq!(pipeline(&pages), Ok(()));
    }

    #[test]
    fn any_name_sanitizes_to_an_identifier(name in "\\PC{0,24}") {
        for case in [Case::Type, Case::Variant, Case::Snake] {
            let ident = sanitize(&name, case);
            prop_assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{:?} -> {:?}", name, ident);
        }
    }
}
