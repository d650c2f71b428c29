//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use graph_docgen::parse::page::CodeBlock;
use graph_docgen::Diagnostics;

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The annotated code blocks of a page under `docs/`.
pub fn code_blocks(docs: &Path, page: &str) -> Vec<CodeBlock> {
    let text = std::fs::read_to_string(docs.join(page)).unwrap();
    let mut diags = Diagnostics::new();
    graph_docgen::parse::parse_page(page, &text, &mut diags).code_blocks
}

/// The JSON body of an `http` example block (what follows the status line and headers).
pub fn http_json_body(block: &CodeBlock) -> &str {
    let text = block.text.as_str();
    match text.find('{').zip(text.find('[')) {
        Some((a, b)) => &text[a.min(b)..],
        None => &text[text.find('{').or_else(|| text.find('[')).unwrap_or(0)..],
    }
}

/// The response example of an API page.
pub fn response_example(docs: &Path, page: &str) -> serde_json::Value {
    let blocks = code_blocks(docs, page);
    let block = blocks.iter().find(|b| b.annotation_str("blockType") == Some("response")).expect("a response example");
    serde_json::from_str(http_json_body(block)).expect("the example body is JSON")
}

/// Copies a directory tree (test scaffolding; small trees only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh empty directory under the target directory, removed when the test starts again.
pub fn scratch(name: &str) -> PathBuf {
    let dir = workspace().join("target").join("test-scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs cargo on a crate outside the workspace (a generated crate or a harness), with its own
/// target directory and warnings denied, and returns what it printed.
pub fn nested_cargo(args: &[&str], manifest: &Path, target_dir: &Path) -> std::process::Output {
    let (command, rest) = args.split_first().expect("a cargo subcommand");
    std::process::Command::new(env!("CARGO"))
        .arg(command)
        .arg("--manifest-path")
        .arg(manifest)
        .args(rest)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTFLAGS", "-D warnings")
        // Each build here is of freshly generated code: incremental state is never reused, and
        // for the corpus crates it ran to gigabytes per feature set.
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs")
}

/// `cargo doc --no-deps` of a generated crate with rustdoc's warnings denied (bare URLs, stray
/// HTML, broken links): what a user clicking through the docs would trip over.
pub fn nested_doc(manifest: &Path, target_dir: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO"))
        .args(["doc", "--quiet", "--no-deps", "--manifest-path"])
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTDOCFLAGS", "-D warnings")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs")
}
