//! `cargo xtask bench`: generation speed against the tokenizer's floor, peak memory, no-op
//! regeneration, the compile time of the generated crate against a naive baseline made from the
//! same docs in the same run, that of one area against the whole crate, and the speed of reading
//! a large collection response through the generated types against plain `serde_derive` structs.
//! Ratios matter more than seconds on a shared machine.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context, Result};
use graph_docgen::codegen;
use graph_docgen::emit::CrateOptions;
use graph_docgen::ir::{Ir, Origin, Primitive, StructDef, TypeId, TypeKind, TypeRef};
use graph_docgen::output;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub struct BenchArgs {
    /// The `api-reference` directory holding `v1.0/` and `beta/`.
    pub corpus: PathBuf,
    /// The figures to measure (1 to 6); `None`: all of them.
    pub figures: Option<BTreeSet<u8>>,
    /// Skip the figures that build crates (4, 5 and 6), which take most of the time.
    pub skip_compile: bool,
    /// Leave the scratch directory (generated crates, figure 6's harness and page) in place.
    pub keep: bool,
}

/// The figures that build crates, and so are left out by `--skip-compile`.
const COMPILE_FIGURES: [u8; 3] = [4, 5, 6];

/// Reads the value of `--figures`: figure numbers separated by commas (`1,6`).
pub fn parse_figures(list: &str) -> Result<BTreeSet<u8>> {
    list.split(',')
        .map(|n| match n.trim().parse::<u8>() {
            Ok(n @ 1..=6) => Ok(n),
            _ => bail!("--figures takes figure numbers from 1 to 6 separated by commas, such as `1,6`; got `{list}`"),
        })
        .collect()
}

/// Runs behind each timing of figures 1 and 3.
const RUNS: usize = 5;

/// The median of a set of timings.
fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Seconds, for printing.
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

/// Every file below `dir` with its modification time, sorted: what a no-op run must not change.
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

/// The Rust type a plain serde baseline gives a property: primitives as themselves, text forms
/// (date-times, GUIDs, enums, ...) as `String`, collections as `Vec`, a named struct type as
/// `named` says (`None`: as `String`, like an enum).
fn plain_type(t: &TypeRef, named: &dyn Fn(&TypeId) -> Option<TokenStream>) -> TokenStream {
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
            let inner = plain_type(inner, named);
            quote! { Vec<#inner> }
        }
        TypeRef::Named(id) => named(id).unwrap_or_else(|| quote! { String }),
    }
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
    let index: BTreeMap<&String, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let named = |id: &TypeId| {
        index.get(id).map(|i| {
            let name = format_ident!("T{}", i);
            quote! { Box<#name> }
        })
    };
    let structs = ids.iter().enumerate().map(|(i, id)| {
        let name = format_ident!("T{}", i);
        let TypeKind::Struct(s) = &ir.types[*id].kind else { unreachable!("filtered to structs") };
        let fields = s.fields.iter().enumerate().map(|(j, f)| {
            let fname = format_ident!("f{}", j);
            let json = &f.json_name;
            let t = plain_type(&f.ty, &named);
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

/// The options each version's crate is generated with: standalone, named after the version.
fn crate_options(version: &str) -> CrateOptions {
    CrateOptions { crate_name: format!("graph-{}", version.replace('.', "-")), standalone: true, runtime: None }
}

/// The generated crate of `version` (its directory) and its IR: the last run of figure 1 when
/// that figure was measured, else generated once now.
fn generated_crate(
    crates: &mut BTreeMap<&str, (Ir, PathBuf)>,
    corpus: &Path,
    tmp: &Path,
    version: &str,
) -> Result<(Ir, PathBuf)> {
    if let Some(done) = crates.remove(version) {
        return Ok(done);
    }
    let out = tmp.join(format!("crate-{version}"));
    let generated = codegen::generate(&corpus.join(version), &crate_options(version))?;
    output::sync(&out, &generated.files, false)?;
    Ok((generated.ir, out))
}

/// Figure 1's breakdown: where one generation of `docs` spends its time, phase by phase.
fn phases(docs: &Path, options: &CrateOptions, out: &Path, workers: usize) -> Result<()> {
    let mut diags = graph_docgen::Diagnostics::new();
    let t = Instant::now();
    let pages = codegen::load_pages(docs, &mut diags)?;
    let t_parse = t.elapsed();
    let t = Instant::now();
    let ir = graph_docgen::resolve::resolve(&pages, &mut diags);
    let t_resolve = t.elapsed();
    let t = Instant::now();
    graph_docgen::examples::validate(&pages, &ir, &mut diags);
    let t_validate = t.elapsed();
    let t = Instant::now();
    let (files, emit_cpu) = graph_docgen::emit::emit_timed(&ir, options, &mut diags)?;
    let t_emit = t.elapsed();
    let t = Instant::now();
    let _ = output::sync(out, &files, true)?;
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
    Ok(())
}

/// Figures 4 and 5, each when chosen: the beta crate's compile time against the naive
/// baseline, and that of single areas against the whole crate.
fn compile_figures(
    args: &BenchArgs,
    want: &dyn Fn(u8) -> bool,
    build: &dyn Fn(u8) -> bool,
    crates: &mut BTreeMap<&str, (Ir, PathBuf)>,
    tmp: &Path,
) -> Result<()> {
    let beta = if build(4) || build(5) { Some(generated_crate(crates, &args.corpus, tmp, "beta")?) } else { None };
    if want(4) {
        println!();
        println!("4. compile time of the beta crate against a naive baseline (dependencies prebuilt)");
        match &beta {
            Some((ir, ours)) if build(4) => {
                let naive = tmp.join("naive-beta");
                for (rel, text) in naive_crate(ir)? {
                    output::write_atomic(&naive.join(rel), &text)?;
                }
                for cmd in ["check", "build"] {
                    let n = cargo_time(&naive, "naive-baseline", cmd, &[])?;
                    let o = cargo_time(ours, "graph-beta", cmd, &[])?;
                    println!(
                        "   cargo {cmd:5}: generated {:.1} s, naive {:.1} s: {:.2}x",
                        secs(o),
                        secs(n),
                        secs(o) / secs(n)
                    );
                }
            }
            _ => println!("   skipped (--skip-compile)"),
        }
    }
    if want(5) {
        println!();
        println!("5. per-area builds of the beta crate: one area's feature alone against the whole crate");
        match &beta {
            Some((ir, ours)) if build(5) => {
                let total = ir.types.len();
                for area in AREAS {
                    let Some(info) = ir.areas.get(*area) else {
                        println!("   {area}: not an area of these docs");
                        continue;
                    };
                    let features = ["--no-default-features", "--features", area];
                    for cmd in ["check", "build"] {
                        let one = cargo_time(ours, "graph-beta", cmd, &features)?;
                        let all = cargo_time(ours, "graph-beta", cmd, &[])?;
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
            _ => println!("   skipped (--skip-compile)"),
        }
    }
    Ok(())
}

/// The type whose collection response figure 6 reads.
const USER: &str = "microsoft.graph.user";

/// Users on the page figure 6 reads.
const USERS: usize = 2_000;

/// Rounds of figure 6: each reads the page once with either side, the two in turns, so that
/// both see the same state of a shared machine.
const READ_ROUNDS: usize = 31;

/// How deep figure 6 fills complex values below a user: deep enough to reach the time zone of
/// the working hours in the mailbox settings, a value chosen by `@odata.type`.
const NESTING: usize = 3;

/// Properties the service sends with users that the 2021 docs do not list (added since), as
/// JSON; both sides must keep them in their map for the rest. Any the docs do list is left out.
const UNLISTED: &[(&str, &str)] = &[
    ("securityIdentifier", r#""S-1-12-1-1234567890-1234567890-1234567890-1234567890""#),
    ("employeeLeaveDateTime", r#""2031-01-01T00:00:00Z""#),
];

/// An identifier for a name the generator chose (`r#type` included).
fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// `2000` as `2,000`, for the figure's title.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes the JSON of figure 6: a plausible value of each property's type, varied from user to
/// user, so that both readers validate, convert and allocate what a real page makes them do.
struct Sample<'a> {
    ir: &'a Ir,
    out: String,
}

impl Sample<'_> {
    /// Whether a value of `ty`, `depth` levels below the user, is written: complex values only
    /// down to `NESTING`.
    fn fills(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::Collection(inner) => self.fills(inner, depth),
            TypeRef::Named(id) => {
                depth <= NESTING || !matches!(self.ir.types.get(id).map(|t| &t.kind), Some(TypeKind::Struct(_)))
            }
            TypeRef::Primitive(_) | TypeRef::Json => true,
        }
    }

    /// A JSON string.
    fn string(&mut self, text: &str) {
        let _ = write!(self.out, "{}", serde_json::Value::from(text));
    }

    /// The key of the next property of an object.
    fn key(&mut self, first: &mut bool, key: &str) {
        if !*first {
            self.out.push(',');
        }
        *first = false;
        self.string(key);
        self.out.push(':');
    }

    /// An object of the struct type `id`: its `@odata.type` when the type has derived types
    /// (Graph sends it for such values), every structural property that `fills`, then
    /// `unlisted`. Relationships are left out: a collection response does not expand them.
    fn object(&mut self, id: &str, s: &StructDef, n: usize, depth: usize, unlisted: &[(&str, &str)]) {
        self.out.push('{');
        let mut first = true;
        if !s.derived.is_empty() {
            self.key(&mut first, "@odata.type");
            self.string(&format!("#{id}"));
        }
        for (k, f) in s.fields.iter().enumerate() {
            if f.navigation || !self.fills(&f.ty, depth + 1) {
                continue;
            }
            self.key(&mut first, &f.json_name);
            self.value(&f.ty, &f.json_name, n, k, depth + 1);
        }
        for (name, json) in unlisted {
            self.key(&mut first, name);
            self.out.push_str(json);
        }
        self.out.push('}');
    }

    /// A value of `ty` for user `n`, `depth` levels below it; `k` varies the values of one
    /// user's properties and items.
    fn value(&mut self, ty: &TypeRef, name: &str, n: usize, k: usize, depth: usize) {
        let ir = self.ir;
        match ty {
            TypeRef::Primitive(p) => self.primitive(*p, name, n, k),
            TypeRef::Json => {
                self.out.push_str(r#"{"note":"#);
                self.string(&format!("{name} {n}"));
                self.out.push('}');
            }
            TypeRef::Collection(inner) => {
                // One to three items, varying from user to user.
                self.out.push('[');
                for item in 0..1 + (n + k) % 3 {
                    if item > 0 {
                        self.out.push(',');
                    }
                    self.value(inner, name, n, k + item, depth);
                }
                self.out.push(']');
            }
            TypeRef::Named(id) => match ir.types.get(id).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => self.object(id, s, n, depth, &[]),
                Some(TypeKind::Enum(e)) => self.string(e.members.first().map_or("unknown", |m| m.json_name.as_str())),
                None => self.string(&format!("{name} {n}")),
            },
        }
    }

    /// A primitive value in the form Graph sends it; text types in the form the generated types
    /// accept (they are validated on reading).
    fn primitive(&mut self, p: Primitive, name: &str, n: usize, k: usize) {
        let (day, minute) = (1 + (n + k) % 28, (n * 7 + k) % 60);
        let text = match p {
            Primitive::Boolean => return self.out.push_str(if (n + k) % 2 == 0 { "true" } else { "false" }),
            Primitive::Byte | Primitive::SByte | Primitive::Int16 | Primitive::Int32 => {
                return self.out.push_str(&((n + k) % 100).to_string())
            }
            Primitive::Int64 => return self.out.push_str(&(n * 1_000_003 + k).to_string()),
            Primitive::Single | Primitive::Double | Primitive::Decimal => {
                return self.out.push_str(&format!("{}.5", (n + k) % 1000))
            }
            Primitive::DateTimeOffset => format!("2021-07-{day:02}T08:{minute:02}:00Z"),
            Primitive::Date => format!("2021-07-{day:02}"),
            Primitive::TimeOfDay => format!("08:{minute:02}:00.0000000"),
            Primitive::Duration => format!("PT{}H{minute}M", 1 + k % 8),
            Primitive::Guid => {
                format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", n, k, n % 4096, k % 4096, n * 7919 + k)
            }
            Primitive::Binary => "aGVsbG8gd29ybGQ=".to_string(),
            // `dateTimeTimeZone.dateTime` is a string that holds a local date-time.
            Primitive::String if name == "dateTime" => format!("2021-07-{day:02}T08:{minute:02}:00.0000000"),
            Primitive::String | Primitive::Stream => format!("{name} {n}"),
        };
        self.string(&text);
    }
}

/// The JSON of figure 6: a page of `USERS` users as `GET /users` returns it, with its context
/// and next link.
fn users_page(ir: &Ir, user: &StructDef, unlisted: &[(&str, &str)]) -> String {
    let mut sample = Sample { ir, out: String::new() };
    sample.out.push_str(r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users","value":["#);
    for n in 0..USERS {
        if n > 0 {
            sample.out.push(',');
        }
        sample.object(USER, user, n, 0, unlisted);
    }
    sample.out.push_str(r#"],"@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$skiptoken=RFNwdAIAAQAAAA"}"#);
    sample.out
}

/// The baseline of figure 6, what a project would write with `serde_derive` alone: one struct
/// per struct type that a user's structural properties reach, the properties typed as in
/// `naive_crate` but named structs by value (boxed where the generated field is), each with a
/// flattened map that keeps the rest as the generated types do; and the page, a `value` array
/// with a flattened map for the paging properties. Relationships are left out, as in the JSON.
fn baseline_module(ir: &Ir) -> Result<String> {
    let (root, _) = ir.types.get_key_value(USER).context("the docs have no user type")?;
    // Each reachable struct type under its Rust name, made unique (types of two namespaces can
    // share one), and none named `Page`.
    let mut names: BTreeMap<&TypeId, proc_macro2::Ident> = BTreeMap::new();
    let mut taken = BTreeSet::from(["Page".to_string()]);
    let mut todo = vec![root];
    while let Some(id) = todo.pop() {
        let Some(TypeKind::Struct(s)) = ir.types.get(id).map(|t| &t.kind) else { continue };
        if names.contains_key(id) {
            continue;
        }
        let mut name = ir.types[id].rust_name.clone();
        while !taken.insert(name.clone()) {
            name.push('_');
        }
        names.insert(id, ident(&name));
        todo.extend(s.fields.iter().filter(|f| !f.navigation).filter_map(|f| f.ty.named()));
    }
    let named = |id: &TypeId| names.get(id).map(|name| quote! { #name });
    let structs = names.iter().map(|(id, name)| {
        let TypeKind::Struct(s) = &ir.types[*id].kind else { unreachable!("only struct types are named") };
        let fields = s.fields.iter().filter(|f| !f.navigation).map(|f| {
            let (field, json) = (ident(&f.rust_name), &f.json_name);
            let mut t = plain_type(&f.ty, &named);
            if f.boxed && matches!(f.ty, TypeRef::Named(_)) {
                t = quote! { Box<#t> };
            }
            quote! { #[serde(rename = #json)] pub #field: Option<#t>, }
        });
        let rest = ident(&s.additional_properties);
        quote! {
            #[derive(Debug, serde::Deserialize)]
            pub struct #name {
                #(#fields)*
                #[serde(flatten)]
                pub #rest: BTreeMap<String, serde_json::Value>,
            }
        }
    });
    let user = &names[root];
    let file: syn::File = syn::parse2(quote! {
        #![doc = " The baseline: plain `serde_derive` structs with the same properties as the generated types."]
        // Only the maps for the rest are looked at; the fields are there to be read.
        #![allow(dead_code)]
        use std::collections::BTreeMap;
        #(#structs)*
        #[derive(Debug, serde::Deserialize)]
        pub struct Page {
            pub value: Vec<#user>,
            #[serde(flatten)]
            pub additional_properties: BTreeMap<String, serde_json::Value>,
        }
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Figure 6's harness, a crate of its own: reads the page with the generated crate (only the
/// area of the user type enabled) and with the baseline, checks that both read every user and
/// keep the same number of unlisted properties, then times both from bytes in turns and prints
/// the medians in nanoseconds.
fn read_harness(ir: &Ir, generated: &Path, crate_name: &str) -> Result<Vec<(String, String)>> {
    let def = &ir.types[USER];
    let TypeKind::Struct(user) = &def.kind else { bail!("{USER} is not a struct type") };
    let krate = ident(&crate_name.replace('-', "_"));
    let path = def.module.iter().chain(std::iter::once(&def.rust_name)).map(|m| ident(m));
    let rest = ident(&user.additional_properties);
    let main: syn::File = syn::parse2(quote! {
        #![doc = " Figure 6 of `cargo xtask bench`: a page of users read by the generated types and by plain serde_derive structs."]
        mod baseline;

        use std::hint::black_box;
        use std::time::{Duration, Instant};

        type Generated = #krate::runtime::Page<#krate #(::#path)*>;

        fn median(mut times: Vec<Duration>) -> u128 {
            times.sort();
            times[times.len() / 2].as_nanos()
        }

        fn main() {
            let mut args = std::env::args().skip(1);
            let (Some(path), Some(rounds)) = (args.next(), args.next().and_then(|r| r.parse::<usize>().ok())) else {
                panic!("usage: read-bench FILE ROUNDS");
            };
            let bytes = std::fs::read(&path).expect("reading the page");
            let ours: Generated = serde_json::from_slice(&bytes).expect("the generated types read the page");
            let theirs: baseline::Page = serde_json::from_slice(&bytes).expect("the baseline reads the page");
            assert_eq!(ours.value.len(), theirs.value.len(), "both read every user");
            let users = ours.value.len();
            let rest_ours: usize = ours.value.iter().map(|u| u.#rest.len()).sum();
            let rest_theirs: usize = theirs.value.iter().map(|u| u.#rest.len()).sum();
            drop((ours, theirs));
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for _ in 0..rounds {
                // Freeing a page is not reading it: each is dropped after its time is taken.
                let start = Instant::now();
                let page: Generated = serde_json::from_slice(black_box(&bytes)).expect("read once already");
                ours.push(start.elapsed());
                drop(black_box(page));
                let start = Instant::now();
                let page: baseline::Page = serde_json::from_slice(black_box(&bytes)).expect("read once already");
                theirs.push(start.elapsed());
                drop(black_box(page));
            }
            println!("users {users} rest {rest_ours} {rest_theirs} ns {} {}", median(ours), median(theirs));
        }
    })?;
    let manifest = format!(
        "[package]\nname = \"read-bench\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{crate_name} = {{ path = {}, default-features = false, features = [{}] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
        serde_json::Value::from(generated.to_str().context("a temporary path that is not UTF-8")?),
        serde_json::Value::from(def.area.as_str()),
    );
    Ok(vec![
        ("Cargo.toml".into(), manifest),
        ("src/main.rs".into(), prettyplease::unparse(&main)),
        ("src/baseline.rs".into(), baseline_module(ir)?),
    ])
}

/// Figure 6: makes the page from the v1.0 docs, builds the harness against the v1.0 crate and
/// runs it.
fn read_figure(ir: &Ir, generated: &Path, crate_name: &str, tmp: &Path) -> Result<()> {
    let Some(TypeKind::Struct(user)) = ir.types.get(USER).map(|t| &t.kind) else {
        bail!("the docs have no {USER} struct type");
    };
    let unlisted: Vec<(&str, &str)> =
        UNLISTED.iter().filter(|(name, _)| !user.fields.iter().any(|f| f.json_name == *name)).copied().collect();
    let json = users_page(ir, user, &unlisted);
    let dir = tmp.join("read-bench");
    for (rel, text) in read_harness(ir, generated, crate_name)? {
        output::write_atomic(&dir.join(rel), &text)?;
    }
    let page = dir.join("users-page.json");
    output::write_atomic(&page, &json)?;
    println!(
        "6. reading a page of {} users ({:.1} MB) through the generated v1.0 types against serde_derive structs with a flattened map",
        thousands(USERS),
        json.len() as f64 / 1e6
    );
    let target = dir.join("target");
    let built = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()?;
    if !built.status.success() {
        bail!("building the harness in {} failed:\n{}", dir.display(), String::from_utf8_lossy(&built.stderr));
    }
    let run = Command::new(target.join("release/read-bench")).arg(&page).arg(READ_ROUNDS.to_string()).output()?;
    if !run.status.success() {
        bail!("the harness failed:\n{}", String::from_utf8_lossy(&run.stderr));
    }
    let report = String::from_utf8_lossy(&run.stdout);
    let numbers: Vec<u128> = report.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let [users, rest_ours, rest_theirs, ours, theirs] = numbers[..] else {
        bail!("unexpected harness output: {report}");
    };
    // Both must have read every user, each unlisted property into the map for the rest.
    let rest = (USERS * unlisted.len()) as u128;
    if users != USERS as u128 || rest_ours != rest || rest_theirs != rest {
        bail!("the two sides read the page differently: {report}");
    }
    let ms = |ns: u128| ns as f64 / 1e6;
    println!(
        "   generated {:.1} ms, serde_derive+flatten {:.1} ms: {:.2}x faster (medians of {READ_ROUNDS}, taken in turns)",
        ms(ours),
        ms(theirs),
        ms(theirs) / ms(ours)
    );
    Ok(())
}

pub fn bench(args: BenchArgs) -> Result<()> {
    let tmp = std::env::temp_dir().join(format!("graph-docgen-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("graph-docgen bench ({workers} cores; corpus {})", args.corpus.display());
    for version in ["v1.0", "beta"] {
        let docs = args.corpus.join(version);
        if !docs.is_dir() {
            bail!("{} is not a directory; pass --corpus DIR (the api-reference directory)", docs.display());
        }
    }
    let chosen = args.figures.clone().unwrap_or_else(|| (1..=6).collect());
    let want = |figure: u8| chosen.contains(&figure);
    // A compile figure left out by --skip-compile is still named, as skipped.
    let build = |figure: u8| want(figure) && !(args.skip_compile && COMPILE_FIGURES.contains(&figure));
    // Measured first: the child starts as a copy of this process's address space (Linux counts
    // that in the child's peak), which must still be small.
    let mib = if want(2) {
        Some(peak_memory_mib(&args.corpus.join("beta"), &tmp.join("crate-beta-mem")).context("measuring memory")?)
    } else {
        None
    };
    // The crates of figure 1's last runs, for the figures that build or read them.
    let mut crates: BTreeMap<&str, (Ir, PathBuf)> = BTreeMap::new();
    if want(1) || want(3) {
        if want(1) {
            println!();
            println!(
                "1. generation (parse, resolve, emit, format, write) against tokenize-only (read + pulldown-cmark, one thread)"
            );
        }
        for version in ["v1.0", "beta"] {
            // Figure 3 is taken in the turns of beta's runs; v1.0 is only in figure 1.
            if version == "v1.0" && !want(1) {
                continue;
            }
            let docs = args.corpus.join(version);
            // The first pass warms the page cache, so both figures read from memory. Each figure is
            // the median of `RUNS`, the two taken in turns, since file creation times vary a lot.
            tokenize_floor(&docs)?;
            let options = crate_options(version);
            let (mut floors, mut fulls) = (Vec::new(), Vec::new());
            let mut last = None;
            let mut out = PathBuf::new();
            // 3. No-op regeneration (beta): in the same turns as the full runs, into the crate of the
            // first run, so that both figures see the same state of the machine.
            let first = tmp.join(format!("crate-{version}-0"));
            let noop_turns = version == "beta" && want(3);
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
                if noop_turns {
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
            if want(1) {
                println!(
                    "   {version:5} {:5} pages, {events} events: floor {:.2} s, generation {:.2} s ({} files): {:.2}x the floor (medians of {RUNS})",
                    generated.pages.len(),
                    secs(floor),
                    secs(full),
                    changes.added.len() + changes.changed.len(),
                    secs(full) / secs(floor)
                );
                phases(&docs, &options, &out, workers)?;
            }
            if noop_turns {
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
            }
            crates.insert(version, (generated.ir, out));
        }
    }

    if let Some(mib) = mib {
        println!();
        println!("2. peak memory of generating beta (a separate process, measured before the others)");
        println!("   {mib:.0} MiB");
    }

    if want(4) || want(5) {
        compile_figures(&args, &want, &build, &mut crates, &tmp)?;
    }
    if want(6) {
        println!();
        if build(6) {
            let (ir, dir) = generated_crate(&mut crates, &args.corpus, &tmp, "v1.0")?;
            read_figure(&ir, &dir, &crate_options("v1.0").crate_name, &tmp)?;
        } else {
            println!(
                "6. reading a page of {} users through the generated types against serde_derive",
                thousands(USERS)
            );
            println!("   skipped (--skip-compile)");
        }
    }
    if args.keep {
        println!(
            "\nkept {} (figure 6's harness: read-bench/, `target/release/read-bench users-page.json ROUNDS`)",
            tmp.display()
        );
    } else {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}
