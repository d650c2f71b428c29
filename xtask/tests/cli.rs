//! The maintainer workflow through the real `cargo xtask` binary: generate, check, edit, check
//! (fails, writes nothing), regenerate.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{copy_tree, scratch, workspace};
use std::process::Command;
use std::time::SystemTime;

/// Every file under `dir` with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let meta = entry.metadata().unwrap();
                out.insert(entry.path(), (std::fs::read(entry.path()).unwrap(), meta.modified().unwrap()));
            }
        }
    }
    out
}

fn xtask(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn check_fails_on_stale_output_and_writes_nothing() {
    let dir = scratch("xtask-cli");
    let docs = dir.join("docs");
    let out = dir.join("crate");
    copy_tree(&workspace().join("tests/fixtures/seed"), &docs);
    let (d, o) = (docs.to_str().unwrap(), out.to_str().unwrap());

    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o]);
    assert!(ok, "{err}");
    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o, "--check"]);
    assert!(ok, "{err}");
    assert!(err.contains("up to date"), "{err}");

    // The resolved IR, as JSON.
    let ir_path = dir.join("ir.json");
    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o, "--emit-ir", ir_path.to_str().unwrap()]);
    assert!(ok, "{err}");
    let ir: serde_json::Value = serde_json::from_slice(&std::fs::read(&ir_path).unwrap()).unwrap();
    let token = &ir["types"]["microsoft.graph.appleVolumePurchaseProgramToken"];
    assert_eq!(token["rust_name"], "AppleVolumePurchaseProgramToken");
    assert_eq!(token["kind"]["struct"]["fields"][4]["ty"], serde_json::json!({"primitive": "DateTimeOffset"}));
    assert_eq!(
        ir["operations"]["api/intune_apps_applevolumepurchaseprogramtoken_get.md"]["paths"][0]["params"][0]["name"],
        "vppTokenId"
    );

    // A no-op regeneration rewrites nothing.
    let before = snapshot(&out);
    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o]);
    assert!(ok, "{err}");
    assert_eq!(snapshot(&out), before, "an unchanged regeneration touched files");

    // A one-line edit of the seed page.
    let page = docs.join("resources/intune_apps_applevolumepurchaseprogramtoken.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let edited = text.replace(
        "|appleId|String|The apple Id associated with the given Apple Volume Purchase Program Token.|",
        "|appleId|String|The Apple ID that owns the token.|",
    );
    assert_ne!(text, edited);
    std::fs::write(&page, edited).unwrap();

    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o, "--check"]);
    assert!(!ok, "--check passed on stale output");
    assert!(err.contains(&format!("to fix: run `cargo xtask codegen --docs {d} --out {o}`")), "{err}");
    assert!(err.contains("+++ b/src/types/intune_apps.rs"), "{err}");
    // A description is docs, not API.
    assert!(err.contains("api-diff: no API changes"), "{err}");
    assert_eq!(snapshot(&out), before, "--check wrote to the output");

    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o]);
    assert!(ok, "{err}");
    let code = std::fs::read_to_string(out.join("src/types/intune_apps.rs")).unwrap();
    assert!(code.contains("/// The Apple ID that owns the token."));
    let (ok, err) = xtask(&["codegen", "--docs", d, "--out", o, "--check"]);
    assert!(ok, "{err}");
}

#[test]
fn a_failed_run_leaves_output_untouched() {
    let dir = scratch("xtask-fail");
    let out = dir.join("crate");
    let docs = dir.join("docs");
    copy_tree(&workspace().join("tests/fixtures/seed"), &docs);
    let (ok, err) = xtask(&["codegen", "--docs", docs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    let before = snapshot(&out);
    let missing = dir.join("no-such-docs");
    let (ok, err) = xtask(&["codegen", "--docs", missing.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("cannot read the docs directory"), "{err}");
    let (ok, err) = xtask(&[
        "codegen",
        "--docs",
        docs.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "bad name",
    ]);
    assert!(!ok);
    assert!(err.contains("not a valid crate name"), "{err}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn diagnostics_name_file_and_line_and_deny_warnings_fails() {
    let dir = scratch("xtask-diag");
    let docs = dir.join("docs");
    copy_tree(&workspace().join("tests/fixtures/seed"), &docs);
    let page = docs.join("resources/intune_apps_applevolumepurchaseprogramtoken.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("|token|String|", "|token|Strng|")).unwrap();
    let out = dir.join("crate");
    let args = ["codegen", "--docs", docs.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let (ok, err) = xtask(&args);
    assert!(ok, "warnings alone do not fail a run: {err}");
    let expected = format!(
        "{}/resources/intune_apps_applevolumepurchaseprogramtoken.md:19: warning: the type `Strng` is not defined by any page; did you mean `String`?",
        docs.display()
    );
    assert!(err.contains(&expected), "{err}");
    assert!(err.contains("1 warnings: 1 unresolved-type"), "{err}");
    let (ok, _) = xtask(&[&args[..], &["--deny-warnings"]].concat());
    assert!(!ok);
}

/// `--out generated`, as a relative path from the workspace, is the committed crate: a workspace
/// member, not a standalone crate with a `[workspace]` table of its own.
#[test]
fn the_committed_crate_named_by_a_relative_path_stays_a_workspace_member() {
    for out in ["generated", "./generated/"] {
        let run = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .current_dir(workspace())
            .args(["codegen", "--check", "--quiet", "--out", out])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "--out {out}:\n{stderr}");
    }
}

/// A crate written elsewhere depends on this checkout's runtime by path, or on a published
/// runtime by version when asked.
#[test]
fn generated_crates_name_their_runtime() {
    let dir = scratch("xtask-runtime");
    let docs = workspace().join("tests/fixtures/era-2022");
    let cargo_toml = |out: &Path| std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let by_path = dir.join("by-path");
    let (ok, err) =
        xtask(&["codegen", "--quiet", "--docs", docs.to_str().unwrap(), "--out", by_path.to_str().unwrap()]);
    assert!(ok, "{err}");
    let runtime = std::fs::canonicalize(workspace().join("runtime")).unwrap();
    assert!(cargo_toml(&by_path).contains(&format!("graph-runtime = {{ path = \"{}\" }}", runtime.display())));
    let by_version = dir.join("by-version");
    let (ok, err) = xtask(&[
        "codegen",
        "--quiet",
        "--docs",
        docs.to_str().unwrap(),
        "--out",
        by_version.to_str().unwrap(),
        "--runtime-version",
        "0.1",
    ]);
    assert!(ok, "{err}");
    assert!(cargo_toml(&by_version).contains("graph-runtime = { version = \"0.1\" }"));
}
