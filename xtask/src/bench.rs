//! `cargo xtask bench`: generation speed against the tokenizer's floor, peak memory, no-op
//! regeneration, the compile time of the generated crate against a naive baseline made from the
//! same docs in the same run, and that of one area against the whole crate. Ratios matter more
//! than seconds on a shared machine.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context, Result};
use graph_docgen::codegen;
use graph_docgen::emit::CrateOptions;
use graph_docgen::ir::{Ir, Origin, Primitive, TypeKind, TypeRef};
use graph_docgen::output;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub struct BenchArgs {
    /// The `api-reference` directory holding `v1.0/` and `beta/`.
    pub corpus: PathBuf,
    /// Skip the (long) compile-time comparison.
    pub skip_compile: bool,
}

/// Runs behind each timing of figures 1 and 3.
const RUNS: usize = 5;

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Reads and tokenizes every page on one thread: the least any generator must do.
fn tokenize_floor(docs: &Path) -> Result<(Duration, usize)> {
    let mut diags = graph_docgen::Diagnostics::new();
    let paths = codegen::list_pages(docs, &mut diags)?;
    let start = Instant::now();
    let mut events = 0usize;
    for p in &paths {
        let text = String::from_utf8_lossy(&std::fs::read(docs.join(p))?).into_owned();
        let opts = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        events += pulldown_cmark::Parser::new_ext(&text, opts).into_offset_iter().count();
    }
    Ok((start.elapsed(), events))
}

/// Flushes written data to disk, so that the writeback of one run's files does not throttle
/// the writes of the next (Linux delays writers once too much data is waiting).
fn settle() {
    let _ = Command::new("sync").status();
}

fn mtimes(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(m) = entry.metadata().and_then(|m| m.modified()) {
                out.push((path, m));
            }
        }
    }
    out.sort();
    out
}

/// Peak resident memory of a child process running a full generation, in MiB.
fn peak_memory_mib(docs: &Path, out: &Path) -> Result<f64> {
    let exe = std::env::current_exe()?;
    let child = Command::new(exe)
        .args(["codegen", "--quiet", "--docs"])
        .arg(docs)
        .arg("--out")
        .arg(out)
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let pid = i32::try_from(child.id())?;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r != pid {
        bail!("wait4 failed for the generation child");
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        bail!("the generation child failed (status {status})");
    }
    // Linux reports ru_maxrss in KiB.
    Ok(usage.ru_maxrss as f64 / 1024.0)
}

/// The naive baseline: one struct per documented struct type, every property an `Option<T>`
/// with derived serde, no enums, no polymorphism, no unknown-property map, no stubs, no docs.
fn naive_crate(ir: &Ir) -> Result<Vec<(String, String)>> {
    let ids: Vec<&String> = ir
        .types
        .iter()
        .filter(|(_, t)| t.origin == Origin::Page && matches!(t.kind, TypeKind::Struct(_)))
        .map(|(id, _)| id)
        .collect();
    let index: std::collections::BTreeMap<&String, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    fn ty(t: &TypeRef, index: &std::collections::BTreeMap<&String, usize>) -> TokenStream {
        match t {
            TypeRef::Primitive(p) => match p {
                Primitive::Boolean => quote! { bool },
                Primitive::Byte => quote! { u8 },
                Primitive::SByte => quote! { i8 },
                Primitive::Int16 => quote! { i16 },
                Primitive::Int32 => quote! { i32 },
                Primitive::Int64 => quote! { i64 },
                Primitive::Single => quote! { f32 },
                Primitive::Double | Primitive::Decimal => quote! { f64 },
                _ => quote! { String },
            },
            TypeRef::Json => quote! { serde_json::Value },
            TypeRef::Collection(inner) => {
                let inner = ty(inner, index);
                quote! { Vec<#inner> }
            }
            TypeRef::Named(id) => match index.get(id) {
                Some(i) => {
                    let name = format_ident!("T{}", i);
                    quote! { Box<#name> }
                }
                None => quote! { String },
            },
        }
    }
    let structs = ids.iter().enumerate().map(|(i, id)| {
        let name = format_ident!("T{}", i);
        let TypeKind::Struct(s) = &ir.types[*id].kind else { unreachable!("filtered to structs") };
        let fields = s.fields.iter().enumerate().map(|(j, f)| {
            let fname = format_ident!("f{}", j);
            let json = &f.json_name;
            let t = ty(&f.ty, &index);
            quote! { #[serde(rename = #json)] pub #fname: Option<#t>, }
        });
        quote! {
            #[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
            pub struct #name { #(#fields)* }
        }
    });
    let file: syn::File = syn::parse2(quote! { #(#structs)* })?;
    let cargo = "[package]\nname = \"naive-baseline\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n\n[workspace]\n";
    Ok(vec![("Cargo.toml".into(), cargo.into()), ("src/lib.rs".into(), prettyplease::unparse(&file))])
}

/// Wall time of `cargo <cmd> <features...>` on the crate itself, its dependencies built beforehand.
fn cargo_time(dir: &Path, package: &str, cmd: &str, features: &[&str]) -> Result<Duration> {
    let target = dir.join("target");
    let run = |args: &[&str]| -> Result<Duration> {
        let start = Instant::now();
        let status = Command::new(env!("CARGO"))
            .args(args)
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?;
        if !status.success() {
            bail!("`cargo {}` failed in {}", args.join(" "), dir.display());
        }
        Ok(start.elapsed())
    };
    let args: Vec<&str> = [cmd, "--quiet"].iter().chain(features).copied().collect();
    run(&args)?;
    run(&["clean", "--quiet", "-p", package])?;
    run(&args)
}

/// The areas figure 5 builds alone: the largest Intune area, and one that most users touch.
const AREAS: &[&str] = &["intune-deviceconfig", "users"];

pub fn bench(args: BenchArgs) -> Result<()> {
    let tmp = std::env::temp_dir().join(format!("graph-docgen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("graph-docgen bench ({workers} cores; corpus {})", args.corpus.display());
    println!();
    for version in ["v1.0", "beta"] {
        let docs = args.corpus.join(version);
        if !docs.is_dir() {
            bail!("{} is not a directory; pass --corpus DIR (the api-reference directory)", docs.display());
        }
    }
    // Measured first: the child starts as a copy of this process's address space (Linux counts
    // that in the child's peak), which must still be small.
    let mib = peak_memory_mib(&args.corpus.join("beta"), &tmp.join("crate-beta-mem")).context("measuring memory")?;
    println!(
        "1. generation (parse, resolve, emit, format, write) against tokenize-only (read + pulldown-cmark, one thread)"
    );
    let mut beta_ir = None;
    for version in ["v1.0", "beta"] {
        let docs = args.corpus.join(version);
        // The first pass warms the page cache, so both figures read from memory. Each figure is
        // the median of `RUNS`, the two taken in turns, since file creation times vary a lot.
        tokenize_floor(&docs)?;
        let options = CrateOptions {
            crate_name: format!("graph-{}", version.replace('.', "-")),
            standalone: true,
            runtime: None,
        };
        let (mut floors, mut fulls) = (Vec::new(), Vec::new());
        let mut last = None;
        let mut out = PathBuf::new();
        // 3. No-op regeneration (beta): in the same turns as the full runs, into the crate of the
        // first run, so that both figures see the same state of the machine.
        let first = tmp.join(format!("crate-{version}-0"));
        let (mut noops, mut rewritten, mut before) = (Vec::new(), 0, Vec::new());
        for run in 0..RUNS {
            settle();
            let (floor, events) = tokenize_floor(&docs)?;
            floors.push(floor);
            // A new directory each time: deleting the previous run's files first would make the
            // file system busy with that while this run creates its own.
            out = tmp.join(format!("crate-{version}-{run}"));
            let start = Instant::now();
            let generated = codegen::generate(&docs, &options)?;
            let changes = output::sync(&out, &generated.files, false)?;
            fulls.push(start.elapsed());
            last = Some((generated, changes, events));
            if version == "beta" {
                if run == 0 {
                    before = mtimes(&first);
                }
                settle();
                let start = Instant::now();
                let again = codegen::generate(&docs, &options)?;
                let changes = output::sync(&first, &again.files, false)?;
                noops.push(start.elapsed());
                rewritten += changes.added.len() + changes.changed.len() + changes.removed.len();
            }
        }
        let (generated, changes, events) = last.expect("at least one run");
        let (floor, full) = (median(&mut floors), median(&mut fulls));
        println!(
            "   {version:5} {:5} pages, {events} events: floor {:.2} s, generation {:.2} s ({} files): {:.2}x the floor (medians of {RUNS})",
            generated.pages.len(),
            secs(floor),
            secs(full),
            changes.added.len() + changes.changed.len(),
            secs(full) / secs(floor)
        );
        // Where the time goes, phase by phase.
        let mut diags = graph_docgen::Diagnostics::new();
        let t = Instant::now();
        let pages = codegen::load_pages(&docs, &mut diags)?;
        let t_parse = t.elapsed();
        let t = Instant::now();
        let ir = graph_docgen::resolve::resolve(&pages, &mut diags);
        let t_resolve = t.elapsed();
        let t = Instant::now();
        graph_docgen::examples::validate(&pages, &ir, &mut diags);
        let t_validate = t.elapsed();
        let t = Instant::now();
        let (files, emit_cpu) = graph_docgen::emit::emit_timed(&ir, &options, &mut diags)?;
        let t_emit = t.elapsed();
        let t = Instant::now();
        let _ = output::sync(&out, &files, true)?;
        let t_compare = t.elapsed();
        println!(
            "         phases: parse {:.2} s, resolve {:.2} s, validate examples {:.2} s, emit {:.2} s, compare with disk {:.2} s",
            secs(t_parse),
            secs(t_resolve),
            secs(t_validate),
            secs(t_emit),
            secs(t_compare)
        );
        println!(
            "         emit on {workers} cores: building tokens {:.2} s, formatting (syn + prettyplease) {:.2} s of CPU time; {:.1} MB of Rust",
            secs(emit_cpu.build),
            secs(emit_cpu.format),
            files.iter().filter(|(p, _)| p.ends_with(".rs")).map(|(_, t)| t.len()).sum::<usize>() as f64 / 1e6
        );
        if version == "beta" {
            let noop = median(&mut noops);
            let after = mtimes(&first);
            println!();
            println!("3. no-op regeneration of beta");
            println!(
                "   {:.2} s against {:.2} s for the full run ({:.2}x; medians of {RUNS}); files rewritten: {rewritten}; mtimes unchanged: {}",
                secs(noop),
                secs(full),
                secs(noop) / secs(full),
                before == after
            );
            beta_ir = Some((generated.ir, out));
        }
    }

    println!();
    println!("2. peak memory of generating beta (a separate process, measured before the others)");
    println!("   {mib:.0} MiB");

    let (ir, ours) = beta_ir.expect("beta was generated");
    println!();
    println!("4. compile time of the beta crate against a naive baseline (dependencies prebuilt)");
    if args.skip_compile {
        println!("   skipped (--skip-compile)");
    } else {
        let naive = tmp.join("naive-beta");
        for (rel, text) in naive_crate(&ir)? {
            output::write_atomic(&naive.join(rel), &text)?;
        }
        for cmd in ["check", "build"] {
            let n = cargo_time(&naive, "naive-baseline", cmd, &[])?;
            let o = cargo_time(&ours, "graph-beta", cmd, &[])?;
            println!("   cargo {cmd:5}: generated {:.1} s, naive {:.1} s: {:.2}x", secs(o), secs(n), secs(o) / secs(n));
        }
    }
    println!();
    println!("5. per-area builds of the beta crate: one area's feature alone against the whole crate");
    if args.skip_compile {
        println!("   skipped (--skip-compile)");
    } else {
        let total = ir.types.len();
        for area in AREAS {
            let Some(info) = ir.areas.get(*area) else {
                println!("   {area}: not an area of these docs");
                continue;
            };
            let features = ["--no-default-features", "--features", area];
            for cmd in ["check", "build"] {
                let one = cargo_time(&ours, "graph-beta", cmd, &features)?;
                let all = cargo_time(&ours, "graph-beta", cmd, &[])?;
                println!(
                    "   {area} ({} of {total} types), cargo {cmd:5}: {:.1} s against {:.1} s for the whole crate: {:.2}x",
                    info.closure,
                    secs(one),
                    secs(all),
                    secs(one) / secs(all)
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}
