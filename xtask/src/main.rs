//! `cargo xtask`: the maintainer's entry point (regenerate the committed crate, check drift,
//! measure).

mod bench;
mod docs_sync;
mod stale;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use graph_docgen::codegen;
use graph_docgen::diagnostics::summary;
use graph_docgen::emit::{CrateOptions, RuntimeDep};
use graph_docgen::output;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--docs DIR] [--out DIR] [--crate-name NAME]
                           [--emit-ir FILE] [--deny-warnings] [--quiet] [--runtime-version REQ]
       cargo xtask docs-sync --from DIR [--to DIR]
       cargo xtask api-diff --old DIR --new DIR [--format text|json|markdown] [--common]
       cargo xtask bench [--corpus DIR] [--skip-compile] [--figures LIST] [--keep]

  (no options)       regenerate generated/ from docs/, writing only files that changed
  --check            write nothing; fail when the output is stale, listing what differs
  --docs DIR         the docs tree to read (with resources/ and api/ pages); default docs/
  --out DIR          where to write the crate; default generated/ (a workspace member);
                     any other directory gets a standalone crate
  --crate-name NAME  the package name; default graph-generated
  --emit-ir FILE     also write the resolved IR as JSON to FILE
  --deny-warnings    exit non-zero when the docs produced any warning
  --quiet            print only the summaries, not each warning and each file written
  --runtime-version REQ
                     depend on graph-runtime by this version requirement (from a registry)
                     instead of by path (generated/: ../runtime; elsewhere: this checkout's)

  docs-sync          refresh docs/ from a Graph docs tree (a checkout's api-reference/v1.0):
                     copy its resources/ and api/ pages, remove pages that are gone, leave
                     every other file alone; print the pages added, removed and changed.
                     Staged beside docs/ and swapped in at once: a failed or interrupted
                     sync leaves docs/ as it was. Then run `cargo xtask codegen`.
  --from DIR         the docs tree to copy from
  --to DIR           the tree to refresh; default docs/

  api-diff           compare the APIs two docs trees generate (types, fields, enum members,
                     endpoints, features), each change marked breaking or additive for a
                     user of the crate; the report goes to stdout, grouped by area; exits 0
                     whatever changed (non-zero only when an input is not a docs tree)
  --old DIR          the docs tree before (with resources/ and api/ pages)
  --new DIR          the docs tree after
  --format FORMAT    text (default), markdown (for a pull-request comment) or json
  --common           compare only what both trees hold: read each from the pages both
                     have, keep the types both define and the operations of pages both
                     have (for a sample of the docs against a full tree)

  bench              time generation of v1.0 and beta against a tokenize-only pass, peak
                     memory, no-op regeneration, the beta crate's compile time against a
                     naive baseline, and reading a page of users against serde_derive
                     (always in release mode)
  --corpus DIR       the docs' api-reference directory; default $GRAPH_DOCS_DIR or
                     ../shared/graph-docs/api-reference
  --skip-compile     leave out the figures that build crates (4, 5 and 6)
  --figures LIST     measure only these figures, such as `--figures 1,6`; default all
  --keep             leave the scratch directory (crates, figure 6's harness) for profiling";

struct Args {
    check: bool,
    docs: PathBuf,
    out: PathBuf,
    standalone: bool,
    crate_name: String,
    emit_ir: Option<PathBuf>,
    deny_warnings: bool,
    quiet: bool,
    runtime: Option<RuntimeDep>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args> {
    let root = workspace_root();
    let mut parsed = Args {
        check: false,
        docs: root.join("docs"),
        out: root.join("generated"),
        standalone: false,
        crate_name: "graph-generated".into(),
        emit_ir: None,
        deny_warnings: false,
        quiet: false,
        runtime: None,
    };
    let value = |args: &mut dyn Iterator<Item = String>, flag: &str| {
        args.next().with_context(|| format!("{flag} needs a value\n\n{USAGE}"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--docs" => parsed.docs = value(&mut args, "--docs")?.into(),
            "--out" => {
                parsed.out = value(&mut args, "--out")?.into();
                parsed.standalone = true;
            }
            "--crate-name" => parsed.crate_name = value(&mut args, "--crate-name")?,
            "--emit-ir" => parsed.emit_ir = Some(value(&mut args, "--emit-ir")?.into()),
            "--deny-warnings" => parsed.deny_warnings = true,
            "--quiet" => parsed.quiet = true,
            "--runtime-version" => {
                parsed.runtime = Some(RuntimeDep::Version(value(&mut args, "--runtime-version")?));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    // The committed crate is a workspace member even when named explicitly, by any path.
    if same_directory(&parsed.out, &root.join("generated")) {
        parsed.standalone = false;
    }
    Ok(parsed)
}

/// Whether two paths name one directory (`generated`, `./generated/`, an absolute path or a
/// symbolic link to it); a directory that does not exist yet is compared through its parent.
fn same_directory(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| {
        std::fs::canonicalize(p).ok().or_else(|| {
            let parent = p.parent().filter(|x| !x.as_os_str().is_empty()).unwrap_or(Path::new("."));
            Some(std::fs::canonicalize(parent).ok()?.join(p.file_name()?))
        })
    };
    match (resolve(a), resolve(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn codegen(args: Args) -> Result<ExitCode> {
    let options = CrateOptions {
        crate_name: args.crate_name.clone(),
        standalone: args.standalone,
        runtime: args.runtime.clone(),
    };
    let generated = codegen::generate(&args.docs, &options)?;
    let docs_label = args.docs.display().to_string();
    for d in &generated.diagnostics {
        if !args.quiet {
            eprintln!("{docs_label}/{d}");
        }
    }
    eprintln!(
        "{} pages, {} types, {} operations, {} {} (cargo features); {}",
        generated.pages.len(),
        generated.ir.types.len(),
        generated.ir.operations.len(),
        generated.ir.areas.len(),
        if generated.ir.areas.len() == 1 { "area" } else { "areas" },
        summary(&generated.diagnostics)
    );
    if let Some(path) = &args.emit_ir {
        let json = serde_json::to_string_pretty(&generated.ir)? + "\n";
        if !args.check {
            output::write_atomic(path, &json)?;
        }
    }
    let changes = output::sync(&args.out, &generated.files, args.check)?;
    let out = args.out.display();
    // Under --quiet a fresh crate of thousands of files is one line, not one line per file.
    let listing = if args.quiet { String::new() } else { changes.summary() };
    if args.check {
        if !changes.is_empty() {
            eprintln!("{out} is stale ({}):\n{listing}", changes.counts());
            eprintln!("{}", stale::api_changes(&args.out, &generated.ir));
            eprintln!("{}", stale::file_diff(&args.out, &generated.files, &changes));
            eprintln!("to fix: run `{}` and commit the result", fix_command(&args));
            return Ok(ExitCode::FAILURE);
        }
        eprintln!("{out} is up to date");
    } else if changes.is_empty() {
        eprintln!("{out} is up to date; nothing written");
    } else {
        eprintln!("{out}: updated ({})\n{listing}", changes.counts());
    }
    if args.deny_warnings && !generated.diagnostics.is_empty() {
        eprintln!("failing because of --deny-warnings");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The command that regenerates what `--check` found stale, with the options it was given.
fn fix_command(args: &Args) -> String {
    let mut cmd = String::from("cargo xtask codegen");
    let root = workspace_root();
    if !same_directory(&args.docs, &root.join("docs")) {
        cmd.push_str(&format!(" --docs {}", args.docs.display()));
    }
    if !same_directory(&args.out, &root.join("generated")) {
        cmd.push_str(&format!(" --out {}", args.out.display()));
    }
    if args.crate_name != "graph-generated" {
        cmd.push_str(&format!(" --crate-name {}", args.crate_name));
    }
    if let Some(RuntimeDep::Version(v)) = &args.runtime {
        cmd.push_str(&format!(" --runtime-version {v}"));
    }
    cmd
}

fn run_docs_sync(mut args: impl Iterator<Item = String>) -> Result<()> {
    let (mut from, mut to) = (None, workspace_root().join("docs"));
    while let Some(a) = args.next() {
        match a.as_str() {
            "--from" => from = Some(PathBuf::from(args.next().context("--from needs a value")?)),
            "--to" => to = args.next().context("--to needs a value")?.into(),
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    let from = from.with_context(|| format!("docs-sync needs --from DIR\n\n{USAGE}"))?;
    let report = docs_sync::sync(&from, &to)?;
    // The sync is done by now; a closed pipe (`| head`) is no reason to fail.
    let mut out = std::io::stdout().lock();
    let _ = if report.is_empty() {
        writeln!(out, "{} is up to date with {}; nothing changed", to.display(), from.display())
    } else {
        write!(out, "{}: {report}", to.display()).and_then(|()| {
            writeln!(out, "next: `cargo xtask codegen`, then review the API changes it prints and commit")
        })
    };
    Ok(())
}

/// `cargo xtask api-diff`: a report, so any set of changes is a success; only the report goes to
/// stdout, the docs' warnings are one summary line on stderr.
fn run_api_diff(mut args: impl Iterator<Item = String>) -> Result<()> {
    use graph_docgen::api::{diff, ApiModel};
    let (mut old, mut new, mut format, mut common) = (None, None, String::from("text"), false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--old" => old = Some(PathBuf::from(args.next().context("--old needs a value")?)),
            "--new" => new = Some(PathBuf::from(args.next().context("--new needs a value")?)),
            "--format" => format = args.next().context("--format needs a value")?,
            "--common" => common = true,
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    let old = old.with_context(|| format!("api-diff needs --old DIR\n\n{USAGE}"))?;
    let new = new.with_context(|| format!("api-diff needs --new DIR\n\n{USAGE}"))?;
    if !matches!(format.as_str(), "text" | "json" | "markdown") {
        bail!("--format is `text`, `json` or `markdown`, not `{format}`");
    }
    let [(old_api, old_diags), (new_api, new_diags)] = if common {
        ApiModel::from_docs_in_common(&old, &new)?
    } else {
        [ApiModel::from_docs(&old)?, ApiModel::from_docs(&new)?]
    };
    eprintln!(
        "api-diff: {}: {}; {}: {}",
        old.display(),
        summary(&old_diags.into_sorted()),
        new.display(),
        summary(&new_diags.into_sorted())
    );
    let changes = diff(&old_api, &new_api);
    let report = match format.as_str() {
        "json" => changes.to_json(),
        "markdown" => changes.to_markdown(),
        _ => changes.to_text(),
    };
    // The report is complete by now; a closed pipe (`| head`) is no reason to fail.
    let _ = std::io::stdout().lock().write_all(report.as_bytes());
    Ok(())
}

fn run_bench(args: impl Iterator<Item = String>) -> Result<()> {
    let args: Vec<String> = args.collect();
    // Timings of a debug build mean nothing; rerun this task as a release build.
    if cfg!(debug_assertions) {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--release", "--package", "xtask", "--", "bench"])
            .args(&args)
            .current_dir(workspace_root())
            .status()?;
        if !status.success() {
            bail!("the release bench failed");
        }
        return Ok(());
    }
    let mut corpus = std::env::var_os("GRAPH_DOCS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/graph-docs/api-reference"));
    let mut skip_compile = false;
    let mut keep = false;
    let mut figures = None;
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--corpus" => corpus = it.next().context("--corpus needs a value")?.into(),
            "--skip-compile" => skip_compile = true,
            "--keep" => keep = true,
            "--figures" => figures = Some(bench::parse_figures(&it.next().context("--figures needs a value")?)?),
            other => bail!("unknown argument `{other}`\n\n{USAGE}"),
        }
    }
    bench::bench(bench::BenchArgs { corpus, figures, skip_compile, keep })
}

// Generation allocates and frees millions of small token trees and strings; the system
// allocator spent about a third of the run on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let result = match args.next().as_deref() {
        Some("codegen") => parse_args(args).and_then(codegen),
        Some("docs-sync") => run_docs_sync(args).map(|()| ExitCode::SUCCESS),
        Some("api-diff") => run_api_diff(args).map(|()| ExitCode::SUCCESS),
        Some("bench") => run_bench(args).map(|()| ExitCode::SUCCESS),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(anyhow::anyhow!("unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
