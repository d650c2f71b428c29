//! What `cargo xtask codegen --check` prints when the output is stale: first what the docs
//! change in the API (against the `api.txt` the output was generated with), then a bounded
//! unified diff of the files, so that CI shows what a docs update does before anyone runs it.

use std::fmt::Write as _;
use std::path::Path;

use graph_docgen::api::{diff, ApiModel};
use graph_docgen::emit::Files;
use graph_docgen::ir::Ir;
use graph_docgen::output::Changes;

/// The most diff lines printed in all; a docs update can touch thousands.
const MAX_DIFF_LINES: usize = 400;

/// The API changes between the committed output (its `api.txt`) and the docs.
pub fn api_changes(out: &Path, ir: &Ir) -> String {
    let path = out.join("api.txt");
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => match ApiModel::from_manifest(&text) {
            Ok(model) => model,
            Err(e) => return format!("API changes: unknown ({} cannot be read: {e})", path.display()),
        },
        Err(_) => return format!("API changes: unknown ({} does not exist yet)", path.display()),
    };
    let changes = diff(&old, &ApiModel::from_ir(ir));
    format!("API changes from the committed crate to the docs:\n{}", changes.to_text())
}

/// A unified diff of every added, changed and removed file, cut at [`MAX_DIFF_LINES`].
pub fn file_diff(out: &Path, files: &Files, changes: &Changes) -> String {
    let mut text = String::from("Diff of the generated files (committed -> docs):\n");
    let mut lines = 0usize;
    let mut left_out = 0usize;
    let paths = changes.added.iter().chain(changes.changed.iter().map(|(p, _)| p)).chain(&changes.removed);
    for path in paths {
        let old = std::fs::read_to_string(out.join(path)).unwrap_or_default();
        let new = files.get(path).map(String::as_str).unwrap_or_default();
        let diff = similar::TextDiff::from_lines(old.as_str(), new);
        let unified =
            diff.unified_diff().context_radius(2).header(&format!("a/{path}"), &format!("b/{path}")).to_string();
        for line in unified.lines() {
            if lines < MAX_DIFF_LINES {
                text.push_str(line);
                text.push('\n');
                lines += 1;
            } else {
                left_out += 1;
            }
        }
    }
    if left_out > 0 {
        let _ = writeln!(text, "... {left_out} more diff lines not shown (regenerate and read `git diff` for all)");
    }
    text
}
