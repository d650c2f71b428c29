//! The whole Graph docs corpus (v1.0 and beta): generation without panics, a generated crate
//! that builds with warnings denied, few untyped fields, and response examples that round-trip.
//!
//! Reads the corpus in place from `GRAPH_DOCS_DIR` (the `api-reference` directory, which `.ci/run`
//! sets); skips with a message when it is not set. Reports go to `target/conformance/`.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use graph_docgen::emit::CrateOptions;
use graph_docgen::examples::{response_examples, Body};
use graph_docgen::ir::{TypeKind, TypeRef};
use graph_docgen::{output, Kind};
use serde_json::{json, Value};

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("GRAPH_DOCS_DIR").map(PathBuf::from) {
        Some(dir) if dir.join("v1.0").is_dir() => Some(dir),
        Some(dir) => panic!("GRAPH_DOCS_DIR={} has no v1.0 directory", dir.display()),
        None => {
            eprintln!("skipping the corpus test: set GRAPH_DOCS_DIR to the Graph docs' api-reference directory");
            None
        }
    }
}

fn is_untyped(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Collection(inner) => is_untyped(inner),
        _ => false,
    }
}

#[test]
fn corpus_generates_builds_and_round_trips_examples() {
    let Some(root) = corpus() else { return };
    let ws = common::workspace();
    let out_dir = ws.join("target/conformance");
    let crate_dir = out_dir.join("corpus");
    let mut verdicts = Vec::new();
    for version in ["v1.0", "beta"] {
        let options = CrateOptions { crate_name: "graph-corpus".into(), standalone: true };
        let generated = graph_docgen::generate(&root.join(version), &options).expect("generation succeeds");
        let ir = &generated.ir;

        let fields: Vec<&TypeRef> = ir
            .types
            .values()
            .filter_map(|t| match &t.kind {
                TypeKind::Struct(s) => Some(s.fields.iter().map(|f| &f.ty)),
                TypeKind::Enum(_) => None,
            })
            .flatten()
            .collect();
        let untyped = fields.iter().filter(|t| is_untyped(t)).count();

        output::sync(&crate_dir, &generated.files, false).expect("the corpus crate is written");

        // Every annotated response example; those that are not JSON or name no type fail here.
        let mut report = String::new();
        let mut runnable = Vec::new();
        let mut outcomes: Vec<(String, u32, String)> = Vec::new();
        // Examples with nothing to read (204s, redirects, streams) are reported, not counted.
        let mut without_body = Vec::new();
        for page in &generated.pages {
            for ex in response_examples(page, ir) {
                match (&ex.body, &ex.type_id) {
                    (Body::Missing, _) => without_body.push(format!("{version}/{}:{}", ex.page, ex.line)),
                    (Body::Invalid(e), _) => outcomes.push((ex.page.clone(), ex.line, format!("not JSON: {e}"))),
                    (_, None) => outcomes.push((ex.page.clone(), ex.line, format!("unknown type `{}`", ex.odata_type))),
                    (body, Some(id)) => runnable.push((
                        ex.page.clone(),
                        ex.line,
                        json!({"type": id, "collection": ex.is_collection, "body": body.value()}),
                    )),
                }
            }
        }
        let input = out_dir.join(format!("examples-{version}.json"));
        let bodies: Vec<&Value> = runnable.iter().map(|r| &r.2).collect();
        std::fs::write(&input, serde_json::to_vec(&bodies).unwrap()).unwrap();
        let input_arg = input.to_str().expect("a UTF-8 path");
        let run = common::nested_cargo(
            &["run", "--quiet", "--", input_arg],
            &ws.join("tests/conformance/Cargo.toml"),
            &out_dir.join("target"),
        );
        assert!(
            run.status.success(),
            "the {version} crate does not build with warnings denied:\n{}",
            String::from_utf8_lossy(&run.stderr).chars().take(20_000).collect::<String>()
        );
        let mut passed = 0;
        for line in String::from_utf8_lossy(&run.stdout).lines() {
            let r: Value = serde_json::from_str(line).unwrap();
            let (page, ex_line, _) = &runnable[r["index"].as_u64().unwrap() as usize];
            match r["status"].as_str().unwrap() {
                "pass" => passed += 1,
                status => {
                    outcomes.push((page.clone(), *ex_line, format!("{status}: {}", r["detail"].as_str().unwrap_or(""))))
                }
            }
        }
        // Every area's feature alone compiles warning-free: its closure is complete.
        let started = std::time::Instant::now();
        let mut area_failures = Vec::new();
        // No area at all: only what every area needs.
        for area in std::iter::once("").chain(ir.areas.keys().map(String::as_str)) {
            let check = common::nested_cargo(
                &["check", "--quiet", "--no-default-features", "--features", area],
                &crate_dir.join("Cargo.toml"),
                &out_dir.join("target"),
            );
            if !check.status.success() {
                let stderr = String::from_utf8_lossy(&check.stderr).chars().take(4_000).collect::<String>();
                let label = if area.is_empty() { "(no area)" } else { area };
                area_failures.push(format!("{label}:\n{stderr}"));
            }
        }
        let areas_line = format!(
            "{} areas, each checked alone (and with none) with warnings denied in {:.0} s: {} failed",
            ir.areas.len(),
            started.elapsed().as_secs_f64(),
            area_failures.len()
        );
        let total = passed + outcomes.len();
        let flagged: BTreeSet<(&str, u32)> = generated
            .diagnostics
            .iter()
            .filter(|d| matches!(d.kind, Kind::ExampleMismatch | Kind::MalformedJson | Kind::UnresolvedType))
            .map(|d| (d.span.file.as_str(), d.span.line))
            .collect();
        outcomes.sort();
        let unflagged: Vec<&(String, u32, String)> =
            outcomes.iter().filter(|(p, l, _)| !flagged.contains(&(p.as_str(), *l))).collect();
        let rate = 100.0 * passed as f64 / total.max(1) as f64;
        let summary = format!(
            "{version}: {} pages, {} types, {} operations; {} fields, {untyped} untyped ({:.2}%); \
             {total} response examples with a body, {passed} round-trip ({rate:.1}%), {} fail ({} not flagged by validation); \
             {} examples without a JSON body not counted; {}",
            generated.pages.len(),
            ir.types.len(),
            ir.operations.len(),
            fields.len(),
            100.0 * untyped as f64 / fields.len().max(1) as f64,
            outcomes.len(),
            unflagged.len(),
            without_body.len(),
            graph_docgen::diagnostics::summary(&generated.diagnostics),
        );
        writeln!(report, "{summary}\n{areas_line}\n\nFailures:").unwrap();
        for (page, line, why) in &outcomes {
            let mark = if flagged.contains(&(page.as_str(), *line)) { "" } else { " [NOT FLAGGED]" };
            writeln!(report, "{version}/{page}:{line}: {why}{mark}").unwrap();
        }
        writeln!(report, "\nWithout a JSON body (not counted):").unwrap();
        for w in &without_body {
            writeln!(report, "{w}").unwrap();
        }
        std::fs::write(out_dir.join(format!("report-{version}.txt")), &report).unwrap();
        eprintln!("{summary}\n{areas_line}");
        // The aim is 95%; the rest are docs defects (see the README). This floor is what the
        // 2021 snapshot reaches, so that a regression in the generator fails the test.
        let floor = if version == "v1.0" { 93.0 } else { 90.0 };
        verdicts.push((version, summary, untyped * 100 < fields.len(), rate >= floor, unflagged.len(), area_failures));
    }
    for (version, summary, few_untyped, rate_ok, unflagged, area_failures) in verdicts {
        assert!(area_failures.is_empty(), "{version}: areas that do not build alone:\n{}", area_failures.join("\n"));
        assert!(few_untyped, "{version}: 1% or more of the fields are untyped JSON\n{summary}");
        assert!(rate_ok, "{version}: the round-trip rate fell below its floor\n{summary}");
        assert_eq!(
            unflagged, 0,
            "{version}: failures the validation does not flag (see target/conformance/report-{version}.txt)"
        );
    }
}
