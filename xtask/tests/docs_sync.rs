//! `cargo xtask docs-sync`: the tracked docs tree refreshed from a docs checkout, page for page;
//! a source that is not a docs tree, an unreadable page or an interrupted run leaves it as it was.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::scratch;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file below `dir` (names relative to it) with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

fn sync(from: &Path, to: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["docs-sync", "--from"])
        .arg(from)
        .arg("--to")
        .arg(to)
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// A tracked tree with its own notes and three pages, and an upstream checkout where one page
/// changed, one is gone and one is new, beside files that are not pages.
fn trees(dir: &Path) -> (PathBuf, PathBuf) {
    let (docs, upstream) = (dir.join("docs"), dir.join("checkout/api-reference/v1.0"));
    write(&docs.join("LICENSE"), "licence text");
    write(&docs.join("SOURCE.md"), "# Where these pages come from");
    write(&docs.join("resources/user.md"), "# user resource type\n");
    write(&docs.join("resources/group.md"), "# group resource type\n");
    write(&docs.join("api/user-get.md"), "# Get user\n");
    write(&upstream.join("resources/user.md"), "# user resource type\n\nNow with a description.\n");
    write(&upstream.join("api/user-get.md"), "# Get user\n");
    write(&upstream.join("api/user-delete.md"), "# Delete user\n");
    write(&upstream.join("toc.yml"), "not a page");
    write(&upstream.join("includes/note.md"), "boilerplate, not read by the generator");
    (docs, upstream)
}

#[test]
fn pages_are_added_removed_and_changed_and_everything_else_is_left_alone() {
    let dir = scratch("docs-sync");
    let (docs, upstream) = trees(&dir);
    let out = sync(&upstream, &docs, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 pages added, 1 removed, 1 changed"), "{stdout}");
    for line in ["+ api/user-delete.md", "- resources/group.md", "~ resources/user.md"] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    let files: Vec<String> = contents(&docs).into_keys().collect();
    assert_eq!(files, ["LICENSE", "SOURCE.md", "api/user-delete.md", "api/user-get.md", "resources/user.md"]);
    assert_eq!(contents(&docs)["resources/user.md"], contents(&upstream)["resources/user.md"]);
    assert!(!dir.join(".docs.sync-new").exists() && !dir.join(".docs.sync-old").exists(), "staging is cleaned up");

    // A second sync finds nothing to do.
    let again = sync(&upstream, &docs, &[]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing changed"));
}

#[test]
fn a_source_that_is_not_a_docs_tree_or_cannot_be_read_changes_nothing() {
    let dir = scratch("docs-sync-bad");
    let (docs, upstream) = trees(&dir);
    let before = contents(&docs);

    let not_docs = dir.join("checkout");
    let out = sync(&not_docs, &docs, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("not a Graph docs tree") && stderr.contains("`resources/` and `api/`"), "{stderr}");

    let missing = dir.join("nowhere");
    let out = sync(&missing, &docs, &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));

    // A page that cannot be read (a socket named like one: opening it fails, even for root): a
    // partial copy would drop pages that still exist, so nothing is copied.
    let socket = upstream.join("api/user-update.md");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let out = sync(&upstream, &docs, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("cannot read the page") && stderr.contains("user-update.md"), "{stderr}");
    assert_eq!(contents(&docs), before, "docs/ changed");
}

#[test]
fn an_interrupted_sync_leaves_the_tree_as_it_was_and_the_next_one_completes() {
    let dir = scratch("docs-sync-interrupted");
    let (docs, upstream) = trees(&dir);
    let before = contents(&docs);
    // Stops as a killed run would: after staging the new tree, before swapping it in.
    let out = sync(&upstream, &docs, &[("GRAPH_DOCGEN_SYNC_STOP_BEFORE_SWAP", "1")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(dir.join(".docs.sync-new").exists(), "the run stopped after staging");
    assert_eq!(contents(&docs), before, "docs/ changed");

    let out = sync(&upstream, &docs, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(contents(&docs).contains_key("api/user-delete.md"));
    assert!(!dir.join(".docs.sync-new").exists(), "the leftover staging is removed");
}

/// The weekly workflow: a docs update arrives through `docs-sync`, `codegen --check` fails and
/// shows what it does to the API (here one property added, one removed, one enum member added),
/// a diff of the files and the command that fixes it; that command makes the check pass.
#[test]
fn a_synced_docs_update_shows_its_api_changes_in_the_check_until_regenerated() {
    let dir = scratch("docs-sync-check");
    let (docs, upstream, out) = (dir.join("docs"), dir.join("upstream"), dir.join("crate"));
    common::copy_tree(&common::workspace().join("tests/fixtures/era-2021"), &docs);
    common::copy_tree(&docs, &upstream);
    let codegen = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--quiet", "--docs"])
            .arg(&docs)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, err) = codegen(&[]);
    assert!(ok, "{err}");

    // Upstream: `gadget` gains `serialNumber` and loses `tags`; `gadgetKind` gains `medium`.
    let edit = |page: &str, from: &str, to: &str| {
        let path = upstream.join(page);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{page}: {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "resources/gadget.md",
        "| tags | String collection | Free-form tags. |\n",
        "| serialNumber | String | The serial number. |\n",
    );
    edit("resources/gadget.md", "  \"tags\": [\"String\"],\n", "  \"serialNumber\": \"String\",\n");
    edit(
        "resources/gadgetkind.md",
        "| large | 1 | A large gadget. |\n",
        "| large | 1 | A large gadget. |\n| medium | 3 | A medium gadget. |\n",
    );
    let synced = sync(&upstream, &docs, &[]);
    assert!(synced.status.success(), "{}", String::from_utf8_lossy(&synced.stderr));

    let (ok, err) = codegen(&["--check"]);
    assert!(!ok, "--check passed on stale output");
    assert!(err.contains("3 changes (1 breaking, 2 additive)"), "{err}");
    for change in
        ["microsoft.graph.gadget.serialNumber", "microsoft.graph.gadget.tags", "microsoft.graph.gadgetKind.medium"]
    {
        assert_eq!(err.matches(change).count(), 1, "{change} once in the summary:\n{err}");
    }
    let breaking: Vec<&str> = err.lines().filter(|l| l.trim_start().starts_with("breaking")).collect();
    assert_eq!(breaking.len(), 1, "{err}");
    assert!(breaking[0].contains("microsoft.graph.gadget.tags"), "{err}");
    assert!(err.contains("+++ b/src/") && err.contains("+    pub serial_number:"), "a diff of the files:\n{err}");
    assert!(
        err.contains(&format!("to fix: run `cargo xtask codegen --docs {} --out {}`", docs.display(), out.display())),
        "{err}"
    );

    let (ok, err) = codegen(&[]);
    assert!(ok, "{err}");
    let (ok, err) = codegen(&["--check"]);
    assert!(ok, "{err}");
}
