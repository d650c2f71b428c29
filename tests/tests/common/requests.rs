//! The docs' request examples as a conformance suite: every annotated request example of a docs
//! tree is matched to the operation whose path template fits its request line, rebuilt through
//! that operation's generated stub (the example's path parameter values, OData query options and
//! body), sent by the runtime's client to a mock Graph on 127.0.0.1 that answers with the page's
//! response example, and read as the typed response.
//!
//! The work is split in two: this module reads the examples, matches them to operations, writes
//! one small Rust function per example (built with `quote!`) for the harness in
//! `tests/requests/`, runs the harness against the crate generated from the tree, and compares
//! what each stub built with what its example says. Included by `corpus.rs` (the corpora) and
//! `requests.rs` (a fixture tree) with `#[path]`.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use graph_docgen::emit::CrateOptions;
use graph_docgen::examples::{check, response_examples};
use graph_docgen::ir::{HttpMethod, Ir, Operation, PathPart, PathTemplate, Primitive, TypeRef};
use graph_docgen::parse::lenient;
use graph_docgen::parse::page::{CodeBlock, Page};
use graph_docgen::resolve::{is_api_page, parse_path, ODATA_OPTIONS};
use graph_docgen::{output, Generated, Kind};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Value};

/// What an example's block holds after its request or status line and headers.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    None,
    Json(Value),
    /// JSON once comments and trailing commas are removed.
    Lenient(Value, String),
    /// Not JSON: the reason.
    Other(String),
}

impl Payload {
    pub fn value(&self) -> Option<&Value> {
        match self {
            Payload::Json(v) | Payload::Lenient(v, _) => Some(v),
            _ => None,
        }
    }
}

/// A response example paired with a request example: the next `blockType: response` block on
/// the page before any other request.
#[derive(Clone, Debug)]
pub struct ResponseBlock {
    pub line: u32,
    pub status: u16,
    /// The `Content-Type` header, lower-cased, when the example has one.
    pub content_type: Option<String>,
    pub body: Payload,
    /// The annotation names a type (`@odata.type`, `@type`): the docs validation checks it.
    pub annotated: bool,
}

/// An annotated request example (`blockType: request`).
#[derive(Clone, Debug)]
pub struct RequestExample {
    pub page: String,
    /// The line of the code fence, as the docs validation reports examples.
    pub line: u32,
    pub method: String,
    /// The request target below the service root (host and version removed), without query.
    pub path: String,
    /// The query string as written, without `?`.
    pub query: String,
    pub content_type: Option<String>,
    pub body: Payload,
    pub response: Option<ResponseBlock>,
}

/// Why an example's block is not a request this suite can check.
#[derive(Clone, Debug)]
pub struct Unreadable {
    pub page: String,
    pub line: u32,
    pub reason: String,
}

/// Reads `%XX` escapes (invalid ones are kept as written); the bytes as UTF-8, lossily.
pub fn percent_decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `name=value` pairs of a query string, values percent-decoded; empty parts are skipped.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (percent_decode(n), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

/// The pairs as one comparable list: option names compared without case (`$orderBy` is
/// `$orderby`), values exactly, order not significant.
fn normalized_pairs(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = pairs.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.clone())).collect();
    v.sort();
    v
}

fn parse_payload(text: &str) -> Payload {
    let text = text.trim();
    if text.is_empty() {
        return Payload::None;
    }
    match serde_json::from_str(text) {
        Ok(v) => Payload::Json(v),
        Err(strict) => match serde_json::from_str(&lenient::normalize(text)) {
            Ok(v) => Payload::Lenient(v, strict.to_string()),
            Err(_) => {
                let head: String = text.chars().take(40).collect();
                Payload::Other(format!("not JSON ({strict}): `{}`", head.replace('\n', " ")))
            }
        },
    }
}

/// Splits an `http` block into its first line, its headers (lower-cased names) and the rest.
fn split_message(text: &str) -> (String, Vec<(String, String)>, String) {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let first = lines.next().unwrap_or("").trim().to_string();
    let rest: Vec<&str> = lines.collect();
    let mut headers = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let l = rest[i].trim();
        let header = l.split_once(':').filter(|(n, _)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !l.starts_with('{')
        });
        match header {
            Some((n, v)) => headers.push((n.to_ascii_lowercase(), v.trim().to_string())),
            None => break,
        }
        i += 1;
    }
    (first, headers, rest[i..].join("\n"))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The part of a request target below the Graph service root.
fn below_root(target: &str) -> Result<&str, String> {
    let mut rest = target;
    for host in ["https://graph.microsoft.com", "http://graph.microsoft.com"] {
        if let Some(r) = target.strip_prefix(host) {
            rest = r;
            break;
        }
    }
    if rest.contains("://") {
        return Err(format!("the request goes to another host: `{target}`"));
    }
    for version in ["/v1.0/", "/beta/"] {
        if rest.get(..version.len()).is_some_and(|head| head.eq_ignore_ascii_case(version)) {
            return Ok(&rest[version.len() - 1..]);
        }
    }
    if rest.starts_with('/') {
        Ok(rest)
    } else {
        Err(format!("expected a request target below `https://graph.microsoft.com/{{version}}`, found `{target}`"))
    }
}

fn is_block(b: &CodeBlock, kind: &str) -> bool {
    b.annotation_str("blockType").is_some_and(|t| t.eq_ignore_ascii_case(kind))
}

/// The annotated request examples of a page, each with the response example that follows it.
pub fn request_examples(page: &Page) -> Vec<Result<RequestExample, Unreadable>> {
    let blocks = &page.code_blocks;
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if !is_block(b, "request") {
            continue;
        }
        let unreadable = |reason: String| Err(Unreadable { page: page.path.clone(), line: b.line, reason });
        let (first, headers, rest) = split_message(&b.text);
        let Some((method, target)) = first.split_once(char::is_whitespace) else {
            out.push(unreadable(format!("expected a request line `METHOD URL`, found `{first}`")));
            continue;
        };
        let method = method.to_ascii_uppercase();
        if HttpMethod::parse(&method).is_none() {
            out.push(unreadable(format!("expected a request line `METHOD URL`, found `{first}`")));
            continue;
        }
        let mut target = target.trim();
        if let Some((head, version)) = target.rsplit_once(' ') {
            if version.starts_with("HTTP/") {
                target = head.trim_end();
            }
        }
        let target = match below_root(target) {
            Ok(t) => t,
            Err(e) => {
                out.push(unreadable(e));
                continue;
            }
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let response =
            blocks[i + 1..].iter().take_while(|n| !is_block(n, "request")).find(|n| is_block(n, "response")).map(|r| {
                let (status_line, headers, rest) = split_message(&r.text);
                let status = status_line
                    .strip_prefix("HTTP/")
                    .and_then(|s| s.split_whitespace().nth(1))
                    .and_then(|s| s.parse().ok());
                // A block without a status line is a body alone.
                let body = match status {
                    Some(_) => parse_payload(&rest),
                    None => parse_payload(&r.text),
                };
                ResponseBlock {
                    line: r.line,
                    status: status.unwrap_or(200),
                    content_type: header(&headers, "content-type").map(str::to_ascii_lowercase),
                    body,
                    annotated: r.annotated_type().is_some_and(|t| !t.trim().is_empty()),
                }
            });
        out.push(Ok(RequestExample {
            page: page.path.clone(),
            line: b.line,
            method,
            path: path.trim().to_string(),
            query: query.trim().to_string(),
            content_type: header(&headers, "content-type").map(str::to_ascii_lowercase),
            body: parse_payload(&rest),
            response,
        }));
    }
    out
}

/// The values of `template`'s parameters in `path`, when the path has its shape: literals equal
/// (ignoring ASCII case; whether they differ in case is returned too), each parameter a
/// non-empty text within one segment, except after a `:` (path-based addressing,
/// `/root:/{item-path}:/content`), where it may span segments.
pub fn match_template(t: &PathTemplate, path: &str) -> Option<(Vec<String>, bool)> {
    fn go(t: &PathTemplate, i: usize, rest: &str, values: &mut Vec<String>, exact: &mut bool) -> bool {
        let Some(part) = t.parts.get(i) else { return rest.is_empty() };
        match part {
            PathPart::Literal(lit) => {
                let Some(head) = rest.get(..lit.len()) else { return false };
                if !head.eq_ignore_ascii_case(lit) {
                    return false;
                }
                let was = *exact;
                *exact &= head == lit;
                if go(t, i + 1, &rest[lit.len()..], values, exact) {
                    return true;
                }
                *exact = was;
                false
            }
            PathPart::Param(_) => {
                let spans = matches!(i.checked_sub(1).map(|j| &t.parts[j]), Some(PathPart::Literal(l)) if l.ends_with(':') || l.ends_with(":/"));
                let ends = rest.char_indices().map(|(at, _)| at).skip(1).chain(std::iter::once(rest.len()));
                for end in ends.filter(|end| *end > 0) {
                    if !spans && rest[..end].contains('/') {
                        break;
                    }
                    values.push(rest[..end].to_string());
                    if go(t, i + 1, &rest[end..], values, exact) {
                        return true;
                    }
                    values.pop();
                }
                false
            }
        }
    }
    let mut values = Vec::new();
    let mut exact = true;
    go(t, 0, path, &mut values, &mut exact).then_some((values, exact))
}

/// Literal characters of a template: the more, the more specific a match.
fn specificity(t: &PathTemplate) -> usize {
    t.parts.iter().map(|p| if let PathPart::Literal(l) = p { l.len() } else { 0 }).sum()
}

/// A template as a request line is matched against it: below the root (`auditLogs/signIns` is
/// `/auditLogs/signIns`) and without a trailing `/`, which Graph does not tell apart.
pub fn normalized(t: &PathTemplate) -> PathTemplate {
    let mut t = t.clone();
    match t.parts.first_mut() {
        Some(PathPart::Literal(l)) if !l.starts_with('/') => l.insert(0, '/'),
        Some(PathPart::Param(_)) => t.parts.insert(0, PathPart::Literal("/".into())),
        _ => {}
    }
    if let Some(PathPart::Literal(l)) = t.parts.last_mut() {
        if l.len() > 1 && l.ends_with('/') {
            l.pop();
        }
    }
    t
}

/// A request path without its trailing `/` (the root stays `/`).
pub fn trimmed(path: &str) -> &str {
    match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    }
}

/// Where an example's request line leads.
#[derive(Clone, Debug)]
pub struct Target {
    /// The key of the operation in `Ir::operations`.
    pub op: String,
    pub path: usize,
    /// Parameter values, percent-decoded, in the template's order.
    pub values: Vec<String>,
    /// Whether the template's literals are written in the same case.
    pub same_case: bool,
}

/// Every path template of every operation, by method.
pub struct Operations<'a> {
    by_method: BTreeMap<&'static str, Vec<(&'a str, &'a Operation, usize, PathTemplate)>>,
}

impl<'a> Operations<'a> {
    pub fn new(ir: &'a Ir) -> Self {
        let mut by_method: BTreeMap<&'static str, Vec<_>> = BTreeMap::new();
        for (key, op) in &ir.operations {
            for (i, p) in op.paths.iter().enumerate() {
                by_method.entry(op.method.as_str()).or_default().push((key.as_str(), op, i, normalized(p)));
            }
        }
        Operations { by_method }
    }

    /// The operation whose path template fits `ex`: the example's own page first, then the most
    /// specific template of any page (most literal characters; exact case before other case).
    pub fn find(&self, ex: &RequestExample) -> Option<Target> {
        self.find_as(&ex.method, ex)
    }

    fn find_as(&self, method: &str, ex: &RequestExample) -> Option<Target> {
        let candidates = self.by_method.get(method)?;
        let path = trimmed(&ex.path);
        let mut best: Option<(bool, bool, usize, Target)> = None;
        for (key, op, i, t) in candidates {
            let Some((values, same_case)) = match_template(t, path) else { continue };
            let rank = (op.page == ex.page, same_case, specificity(t));
            if best.as_ref().is_some_and(|(a, b, c, _)| (*a, *b, *c) >= rank) {
                continue;
            }
            let values = values.iter().map(|v| percent_decode(v)).collect();
            best = Some((rank.0, rank.1, rank.2, Target { op: key.to_string(), path: *i, values, same_case }));
        }
        best.map(|b| b.3)
    }

    /// Why no operation fits `ex`, and whose defect that is: the generator's when a request line
    /// that the page documents (in any block other than its examples, under any heading) fits
    /// it, the docs' otherwise (the example uses a path, or a method, the page does not document).
    fn why_none(&self, ex: &RequestExample, page: &Page) -> (String, String) {
        let line = format!("`{} {}`", ex.method, ex.path);
        let documented = documented_lines(page);
        let fits = |m: &str, p: &str, l: u32| {
            m == ex.method && match_template(&normalized(&parse_path(p, page.span(l))), trimmed(&ex.path)).is_some()
        };
        if let Some((m, p, l)) = documented.iter().find(|(m, p, l)| fits(m, p, *l)) {
            return (
                "no-operation".into(),
                format!("{line}: the page documents it at line {l} (`{m} {p}`), but no operation of the crate has it"),
            );
        }
        let other: Vec<&str> =
            self.by_method.keys().copied().filter(|m| *m != ex.method && self.find_as(m, ex).is_some()).collect();
        let own: Vec<String> = documented.iter().map(|(m, p, _)| format!("{m} {p}")).collect();
        let mut why = match own.len() {
            0 => format!("{line}: no operation has this path, and the page documents no request line"),
            1..=3 => format!("{line}: no operation has this path; the page documents `{}`", own.join("`, `")),
            n => format!("{line}: no operation has this path; the page documents {n} other request lines"),
        };
        if !other.is_empty() {
            write!(why, " (operations have the path for {})", other.join(", ")).unwrap();
        }
        ("undocumented-path".into(), why)
    }
}

/// The request lines a page documents: those of its code blocks outside the examples, and of
/// the request blocks that stand in an "HTTP request" section (pages that document each request
/// by an example); `METHOD /path` with the host left out, and their lines.
pub fn documented_lines(page: &Page) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    // A block in an example section documents nothing, annotated or not (some pages leave an
    // example's request block without its annotation).
    let documents = |b: &&CodeBlock| {
        !is_block(b, "response")
            && (!is_block(b, "request") || b.section.contains("http request"))
            && (b.section.contains("http request") || !b.section.contains("example"))
    };
    for b in page.code_blocks.iter().filter(documents) {
        for (i, l) in b.text.lines().enumerate() {
            let Some((m, rest)) = l.trim().split_once(char::is_whitespace) else { continue };
            let m = m.to_ascii_uppercase();
            if HttpMethod::parse(&m).is_none() {
                continue;
            }
            let mut target = rest.trim();
            if let Some((head, version)) = target.rsplit_once(' ') {
                if version.starts_with("HTTP/") {
                    target = head.trim_end();
                }
            }
            let target = below_root(target).unwrap_or(target);
            out.push((m, target.split('?').next().unwrap_or("").to_string(), b.line + 1 + i as u32));
        }
    }
    out
}

/// Splits at commas outside parentheses and quotes (`members($select=id,displayName),owners`).
pub fn split_top_level(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(value[start..i].to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(value[start..].to_string());
    out
}

/// An example's query as `runtime::QueryOptions` fields (JSON), or each reason (kind, words) it
/// cannot be sent through the stub.
pub type Query = Result<Value, Vec<(String, String)>>;

/// The example's query as `runtime::QueryOptions` fields (JSON for the harness), or the reasons
/// it cannot be set through the stub. `odata` says whether the operation takes the OData options,
/// `takes_query` whether it takes a query at all (the OData options or parameters of its own):
/// an option in its `$` form goes to its field, every other parameter (the operation's own, a
/// `$skiptoken`, an option without `$`) to `params` as written.
pub fn query_options(query: &str, odata: bool, takes_query: bool) -> Query {
    let mut q = serde_json::Map::new();
    let mut params = Vec::new();
    let mut problems = Vec::new();
    for (name, value) in query_pairs(query) {
        let lower = name.to_ascii_lowercase();
        let key = lower.trim_start_matches('$');
        let option = ODATA_OPTIONS.contains(&key);
        if !option || !name.starts_with('$') {
            if !takes_query {
                problems.push(("query-on-non-read".to_string(), format!("`{name}`: the operation takes no query")));
            } else {
                params.push(json!([name, value]));
            }
            continue;
        }
        if !odata {
            problems.push(("query-on-non-read".to_string(), format!("`{name}`: the operation takes no query options")));
            continue;
        }
        if q.contains_key(key) {
            problems.push(("query-repeated".to_string(), format!("`{name}` is given twice")));
            continue;
        }
        let v = match key {
            "select" | "expand" | "orderby" => json!(split_top_level(&value)),
            "filter" | "search" => json!(value),
            "top" | "skip" => match value.parse::<u32>() {
                Ok(n) => json!(n),
                Err(_) => {
                    problems.push(("query-value".to_string(), format!("`{name}={value}` is not a count")));
                    continue;
                }
            },
            _ => match value.as_str() {
                "true" => json!(true),
                "false" => json!(false),
                _ => {
                    problems.push(("query-value".to_string(), format!("`{name}={value}` is not `true` or `false`")));
                    continue;
                }
            },
        };
        q.insert(key.to_string(), v);
    }
    if !params.is_empty() {
        q.insert("params".to_string(), Value::Array(params));
    }
    if problems.is_empty() {
        Ok(Value::Object(q))
    } else {
        Err(problems)
    }
}

fn ident(name: &str) -> Option<syn::Ident> {
    syn::parse_str::<syn::Ident>(name).ok()
}

/// The function of one example for the harness: builds the stub with the example's values and
/// hands it to `H::run`. `None` when a name of the stub is not an identifier (the generator
/// leaves such an operation out of the crate, with a diagnostic).
fn case_fn(n: usize, op: &Operation, target: &Target) -> Option<TokenStream> {
    let name = ident(&op.rust_name)?;
    let path = &op.paths[target.path];
    let fname = quote::format_ident!("c{}", n);
    let mut args = Vec::new();
    match &op.path_enum {
        None => args.extend(target.values.iter().map(|v| quote!(#v))),
        Some(e) => {
            let e = ident(e)?;
            let variant = ident(&path.rust_name)?;
            let fields = path.params.iter().map(|p| ident(&p.rust_name)).collect::<Option<Vec<_>>>()?;
            let values = &target.values;
            args.push(if fields.is_empty() {
                quote!(ep::#e::#variant)
            } else {
                quote!(ep::#e::#variant { #(#fields: #values.into()),* })
            });
        }
    }
    if op.body.is_some() {
        args.push(quote!(h.body()?));
    }
    Some(if op.takes_query() {
        quote! { fn #fname(h: &H<'_>) -> R { let mut op = ep::#name::new(#(#args),*); op.query = h.query(); h.run(op) } }
    } else {
        quote! { fn #fname(h: &H<'_>) -> R { h.run(ep::#name::new(#(#args),*)) } }
    })
}

/// One example's verdict.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub page: String,
    pub line: u32,
    /// `None` when the example matches its operation in method, path and query.
    pub mismatch: Option<(String, String)>,
    /// A match that differs from the example only where Graph does not tell requests apart:
    /// `case` (a literal segment in another case) or `trailing-slash`.
    pub note: Option<&'static str>,
    /// The operation it was matched to (`page` or `page#METHOD`).
    pub op: Option<String>,
    pub body: Option<Check>,
    pub response: Option<Check>,
}

/// A request body or response: round-tripped, or why not (and whether the docs validation
/// flags the example).
#[derive(Clone, Debug)]
pub struct Check {
    pub ok: bool,
    pub detail: String,
    /// A failure the docs account for: flagged by the docs validation (responses), found by
    /// its checks (bodies), or a request or status that cannot carry a body.
    pub flagged: bool,
    /// A failure where the operation, as generated, disagrees with the example: another
    /// response type, no content, no body type.
    pub differs: Option<String>,
    /// The line of the block (the response example's own line for responses).
    pub line: u32,
}

/// What a run over one docs tree gave.
pub struct Suite {
    pub tag: String,
    pub total: usize,
    pub matched: usize,
    /// Examples whose request the page does not document (or that are not requests).
    pub docs_defects: usize,
    /// Request examples of resource pages, not counted.
    pub not_api: usize,
    /// Examples whose request line leads to an operation of another page.
    pub elsewhere: usize,
    pub verdicts: Vec<Verdict>,
    pub summary: String,
    pub report: PathBuf,
}

impl Suite {
    pub fn rate(&self) -> f64 {
        100.0 * self.matched as f64 / self.total.max(1) as f64
    }

    /// The rate over the examples whose request the page documents: what the generator and the
    /// runtime answer for.
    pub fn documented_rate(&self) -> f64 {
        100.0 * self.matched as f64 / (self.total - self.docs_defects).max(1) as f64
    }

    pub fn mismatches(&self) -> impl Iterator<Item = &Verdict> {
        self.verdicts.iter().filter(|v| v.mismatch.is_some())
    }

    /// Body and response failures that neither the docs nor the operation account for.
    pub fn unexplained(&self) -> usize {
        self.bodies().chain(self.responses()).filter(|c| !c.ok && !c.flagged && c.differs.is_none()).count()
    }

    pub fn bodies(&self) -> impl Iterator<Item = &Check> {
        self.verdicts.iter().filter_map(|v| v.body.as_ref())
    }

    pub fn responses(&self) -> impl Iterator<Item = &Check> {
        self.verdicts.iter().filter_map(|v| v.response.as_ref())
    }
}

/// Equal as JSON values, numbers by value.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Whether a response example is JSON the client reads (`send`), rather than content read as
/// bytes (`send_bytes`: files, photos, CSV reports).
fn json_response(r: &ResponseBlock) -> bool {
    match &r.content_type {
        Some(ct) => ct.contains("json"),
        None => !matches!(r.body, Payload::Other(_)),
    }
}

/// Generates the crate of `docs` into `target/conformance/requests/corpus`, matches and
/// rebuilds every request example through the harness in `tests/requests/`, and writes the
/// report `target/conformance/report-requests-{tag}.txt`, where pages are named with `prefix`
/// (`v1.0/`) before their path in the tree.
pub fn run(docs: &Path, tag: &str, prefix: &str) -> (Generated, Suite) {
    let ws = crate::common::workspace();
    let out_dir = ws.join("target/conformance");
    let work = out_dir.join("requests");
    let crate_dir = work.join("corpus");
    let options = CrateOptions { crate_name: "graph-corpus".into(), standalone: true, runtime: None };
    let generated = graph_docgen::generate(docs, &options).expect("generation succeeds");
    output::sync(&crate_dir, &generated.files, false).expect("the corpus crate is written");
    let ir = &generated.ir;
    let ops = Operations::new(ir);

    // Response examples the docs validation flags (as the response round trip uses them).
    let flagged: BTreeSet<(&str, u32)> = generated
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(d.kind, Kind::ExampleMismatch | Kind::MalformedJson | Kind::UnresolvedType | Kind::WrongCase)
        })
        .map(|d| (d.span.file.as_str(), d.span.line))
        .collect();

    let mut verdicts = Vec::new();
    // Examples the harness runs: the example, its target, and its query (or why it has none).
    let mut runnable: Vec<(RequestExample, Target, Query)> = Vec::new();
    let mut cases = Vec::new();
    let mut inputs = Vec::new();
    let mut total = 0;
    let mut elsewhere_pages = 0;
    for page in &generated.pages {
        // API pages, as the generator tells them (resource pages show requests too, of
        // operations documented elsewhere or not at all).
        if !is_api_page(page) {
            elsewhere_pages += request_examples(page).len();
            continue;
        }
        for ex in request_examples(page) {
            total += 1;
            let ex = match ex {
                Ok(ex) => ex,
                Err(u) => {
                    verdicts.push(Verdict {
                        page: u.page,
                        line: u.line,
                        mismatch: Some(("request-line".into(), u.reason)),
                        note: None,
                        op: None,
                        body: None,
                        response: None,
                    });
                    continue;
                }
            };
            let Some(target) = ops.find(&ex) else {
                verdicts.push(Verdict {
                    page: ex.page.clone(),
                    line: ex.line,
                    mismatch: Some(ops.why_none(&ex, page)),
                    note: None,
                    op: None,
                    body: None,
                    response: None,
                });
                continue;
            };
            let op = &ir.operations[&target.op];
            let Some(case) = case_fn(cases.len(), op, &target) else {
                verdicts.push(Verdict {
                    page: ex.page.clone(),
                    line: ex.line,
                    mismatch: Some((
                        "stub-left-out".into(),
                        format!("the stub of `{}` is not in the crate (a name is not an identifier)", target.op),
                    )),
                    note: None,
                    op: Some(target.op.clone()),
                    body: None,
                    response: None,
                });
                continue;
            };
            cases.push(case);
            let query = query_options(&ex.query, op.query_options, op.takes_query());
            let response = ex.response.as_ref().map(|r| {
                let body = match &r.body {
                    Payload::Json(v) | Payload::Lenient(v, _) => v.to_string(),
                    Payload::None => String::new(),
                    Payload::Other(_) => "\"(not JSON)\"".to_string(),
                };
                json!({"status": r.status, "body": body})
            });
            inputs.push(json!({
                "body": ex.body.value(),
                "query": query.as_ref().ok().cloned().unwrap_or_else(|| json!({})),
                "response": response,
            }));
            runnable.push((ex, target, query));
        }
    }

    let source = {
        let mut s = String::from(
            "// Written by tests/tests/common/requests.rs for one docs tree: one function per request\n\
             // example, building its operation's stub with the example's values.\n\
             use graph_corpus::endpoints as ep;\n",
        );
        for c in &cases {
            writeln!(s, "{c}").unwrap();
        }
        let names = (0..cases.len()).map(|n| quote::format_ident!("c{}", n));
        writeln!(s, "{}", quote! { static CASES: &[Case] = &[#(#names),*]; }).unwrap();
        s
    };
    std::fs::create_dir_all(&work).unwrap();
    output_if_changed(&work.join("cases.rs"), &source);
    let input = work.join(format!("cases-{tag}.json"));
    std::fs::write(&input, serde_json::to_vec(&inputs).unwrap()).unwrap();
    let started = std::time::Instant::now();
    let out = crate::common::nested_cargo(
        &["run", "--quiet", "--", input.to_str().expect("a UTF-8 path")],
        &ws.join("tests/requests/Cargo.toml"),
        &out_dir.join("target"),
    );
    assert!(
        out.status.success(),
        "{tag}: the request harness does not build or run with warnings denied:\n{}",
        String::from_utf8_lossy(&out.stderr).chars().take(20_000).collect::<String>()
    );
    let harness_secs = started.elapsed().as_secs_f64();
    let results: BTreeMap<usize, Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line from the harness"))
        .map(|r| (r["i"].as_u64().unwrap() as usize, r))
        .collect();
    assert_eq!(results.len(), runnable.len(), "{tag}: the harness answered for every example");

    // The type each response example declares, as the docs validation resolves it.
    let mut annotated: BTreeMap<(&str, u32), (String, bool)> = BTreeMap::new();
    for page in &generated.pages {
        for r in response_examples(page, ir) {
            if let Some(id) = r.type_id {
                annotated.insert((page.path.as_str(), r.line), (id, r.is_collection));
            }
        }
    }
    let mut elsewhere = 0;
    for (i, (ex, target, query)) in runnable.iter().enumerate() {
        let r = &results[&i];
        let op = &ir.operations[&target.op];
        if op.page != ex.page {
            elsewhere += 1;
        }
        let mut mismatch: Option<(String, String)> = None;
        // How a match differs from the example in what Graph does not tell apart.
        let mut note = None;
        let mut fail = |kind: &str, why: String| {
            mismatch.get_or_insert((kind.to_string(), why));
        };
        if let Some(e) = r["error"].as_str() {
            fail("stub-not-built", e.to_string());
        } else {
            let (method, pq) = (r["method"].as_str().unwrap(), r["path_and_query"].as_str().unwrap());
            let (path, q) = pq.split_once('?').unwrap_or((pq, ""));
            if method != ex.method {
                fail("method", format!("the stub sends `{method}`, the example `{}`", ex.method));
            }
            let (stub, example) = (percent_decode(trimmed(path)), percent_decode(trimmed(&ex.path)));
            if !path.starts_with('/') {
                let template = &op.paths[target.path].template;
                fail(
                    "stub-path",
                    format!(
                        "the stub's path `{path}` is not below the root: its template `{template}` has no leading `/`"
                    ),
                );
            } else if stub == example || (!target.same_case && stub.eq_ignore_ascii_case(&example)) {
                if !target.same_case {
                    note = Some("case");
                } else if trimmed(path) != path || trimmed(&ex.path) != ex.path {
                    note = Some("trailing-slash");
                }
            } else {
                fail("path", format!("the stub's path is `{path}`, the example's `{}`", ex.path));
            }
            if let Ok(sent) = query {
                // A parameter sent by name that the operation's page does not list.
                let named = |n: &str| op.query_params.iter().any(|p| p.name.eq_ignore_ascii_case(n));
                let params = sent["params"].as_array().into_iter().flatten();
                if params.filter_map(|p| p[0].as_str()).any(|n| !named(n)) && note.is_none() {
                    note = Some("unnamed-param");
                }
            }
            if let Err(problems) = query {
                for (kind, why) in problems {
                    fail(kind, why.clone());
                }
            } else if normalized_pairs(&query_pairs(q)) != normalized_pairs(&query_pairs(&ex.query)) {
                fail("query", format!("the stub's query is `{q}`, the example's `{}`", ex.query));
            }
            // What reached the mock server is what the stub described.
            let wire = &r["wire"];
            let (wpath, wq) = (wire["path"].as_str().unwrap_or(""), wire["query"].as_str().unwrap_or(""));
            if wire["method"] != json!(method)
                || percent_decode(wpath) != percent_decode(path)
                || normalized_pairs(&query_pairs(wq)) != normalized_pairs(&query_pairs(q))
            {
                fail(
                    "wire",
                    format!("the client sent `{} {wpath}?{wq}`, the stub described `{method} {pq}`", wire["method"]),
                );
            }
        }
        // The request body: read into the stub's body type and written back.
        let body = match (&op.body, &ex.body) {
            (None, Payload::None) => None,
            // A read or a delete sends no body: the docs' defect; an action or update without a
            // body type is the generator's.
            (None, _) => Some(Check {
                ok: false,
                detail: "the example sends a body; the operation takes none".into(),
                flagged: matches!(op.method, HttpMethod::Get | HttpMethod::Delete),
                differs: (!matches!(op.method, HttpMethod::Get | HttpMethod::Delete))
                    .then(|| "no body type was found on the page".to_string()),
                line: ex.line,
            }),
            (Some(_), Payload::None) => None,
            (Some(ty), payload) => {
                let mut problems = Vec::new();
                match payload {
                    Payload::Other(e) => problems.push(e.clone()),
                    Payload::Lenient(_, e) => problems.push(format!("not strict JSON ({e})")),
                    _ => {}
                }
                if let Some(v) = payload.value() {
                    check(ir, ty, v, "", &mut problems);
                }
                let read = &r["body"];
                let (ok, detail) = match (payload.value(), read["same"].as_bool()) {
                    (None, _) => (false, "the example's body is not JSON".to_string()),
                    (Some(_), Some(true)) => (true, String::new()),
                    (Some(_), Some(false)) => {
                        (false, format!("written back as {}", read["back"].as_str().unwrap_or("")))
                    }
                    (Some(_), None) => {
                        (false, format!("not read: {}", read["error"].as_str().unwrap_or("the stub was not built")))
                    }
                };
                let detail =
                    if problems.is_empty() || ok { detail } else { format!("{detail}; docs: {}", problems.join("; ")) };
                Some(Check { ok, detail, flagged: !problems.is_empty(), differs: None, line: ex.line })
            }
        };
        // The response: read by the client as the stub's response type, and written back.
        let response = ex.response.as_ref().filter(|r| r.status < 300 && json_response(r)).map(|resp| {
            let read = &r["response"];
            let ok = read["ok"].as_bool() == Some(true) && read["same"].as_bool() != Some(false);
            let detail = match (read["ok"].as_bool(), read["same"].as_bool()) {
                (Some(true), Some(false)) => format!("written back as {}", read["back"].as_str().unwrap_or("")),
                (Some(true), _) => String::new(),
                _ => format!("not read: {}", read["error"].as_str().unwrap_or("the request was not sent")),
            };
            let mut detail = detail;
            let with_body = resp.body != Payload::None;
            if resp.status == 204 && with_body {
                detail.push_str("; docs: a 204 No Content response with a body");
            }
            let flagged = flagged.contains(&(ex.page.as_str(), resp.line))
                || matches!(resp.body, Payload::Lenient(..) | Payload::Other(_))
                || (resp.status == 204 && with_body);
            let declared = annotated.get(&(ex.page.as_str(), resp.line));
            let differs = match (&op.response, with_body) {
                (None, true) => Some("the operation returns no content; the example has a body".to_string()),
                (Some(t), false) if *t != TypeRef::Json => {
                    Some(format!("the operation returns `{}`; the example has no body ({})", show(t), resp.status))
                }
                (Some(t), true) => declared.and_then(|(id, collection)| {
                    let named = match Primitive::ALL.iter().find(|p| p.edm_name() == *id) {
                        Some(p) => TypeRef::Primitive(*p),
                        None => TypeRef::Named(id.clone()),
                    };
                    let expected = if *collection { TypeRef::Collection(Box::new(named)) } else { named };
                    (*t != expected && *t != TypeRef::Json)
                        .then(|| format!("the operation returns `{}`; the example is `{}`", show(t), show(&expected)))
                }),
                _ => None,
            };
            Check { ok, detail, flagged, differs: differs.filter(|_| !ok), line: resp.line }
        });
        verdicts.push(Verdict {
            page: ex.page.clone(),
            line: ex.line,
            mismatch,
            note,
            op: Some(target.op.clone()),
            body,
            response,
        });
    }
    verdicts.sort_by(|a, b| (&a.page, a.line).cmp(&(&b.page, b.line)));
    let matched = verdicts.iter().filter(|v| v.mismatch.is_none()).count();
    let docs_defects = verdicts.iter().filter(|v| v.mismatch.as_ref().is_some_and(|m| origin(&m.0) == DOCS)).count();
    let suite = Suite {
        tag: tag.to_string(),
        total,
        matched,
        docs_defects,
        elsewhere,
        not_api: elsewhere_pages,
        verdicts,
        summary: String::new(),
        report: PathBuf::new(),
    };
    let suite = write_report(&out_dir, prefix, suite, harness_secs);
    (generated, suite)
}

fn output_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap();
    }
}

/// A type as the docs name it.
fn show(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => id.clone(),
        TypeRef::Primitive(p) => p.edm_name(),
        TypeRef::Collection(inner) => format!("Collection({})", show(inner)),
        TypeRef::Json => "untyped JSON".into(),
    }
}

/// Checks: all, passed, failed and flagged by the docs, failed where the operation differs from
/// the example, failed otherwise.
fn count(checks: Vec<&Check>) -> (usize, usize, usize, usize, usize) {
    let total = checks.len();
    let ok = checks.iter().filter(|c| c.ok).count();
    let flagged = checks.iter().filter(|c| !c.ok && c.flagged).count();
    let differs = checks.iter().filter(|c| !c.ok && !c.flagged && c.differs.is_some()).count();
    (total, ok, flagged, differs, total - ok - flagged - differs)
}

const DOCS: &str = "docs defects";

/// Whose defect a kind of mismatch is.
pub fn origin(kind: &str) -> &'static str {
    match kind {
        // The example is not a request the page documents.
        "request-line" | "undocumented-path" => DOCS,
        // Query parameters that the stub cannot carry.
        "query-on-non-read" | "query-value" | "query-repeated" => "query options the stub cannot send",
        // The page documents the request, and the crate does not reproduce it.
        _ => "generator or runtime",
    }
}

fn write_report(out_dir: &Path, version: &str, mut suite: Suite, harness_secs: f64) -> Suite {
    let (bodies, bodies_ok, bodies_flagged, bodies_differ, bodies_unflagged) = count(suite.bodies().collect());
    let (responses, responses_ok, responses_flagged, responses_differ, responses_unflagged) =
        count(suite.responses().collect());
    // Mismatches by whose they are, each kind with its count, the largest first.
    let mut groups: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for v in suite.mismatches() {
        let kind = v.mismatch.as_ref().unwrap().0.as_str();
        *groups.entry(origin(kind)).or_default().entry(kind).or_default() += 1;
    }
    let groups: Vec<String> = groups
        .iter()
        .map(|(origin, kinds)| {
            let mut kinds: Vec<(&&str, &usize)> = kinds.iter().collect();
            kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let n: usize = kinds.iter().map(|k| k.1).sum();
            let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
            format!("{n} {origin} ({})", list.join(", "))
        })
        .collect();
    let notes = |what: &str| suite.verdicts.iter().filter(|v| v.note == Some(what)).count();
    let summary = format!(
        "requests-{}: {} request examples on API pages, {} match an operation in method, path and query ({:.1}%; \
         {:.1}% of the {} whose request the page documents; {} by an operation of another page, \
         {} with a literal segment in another case, {} with another trailing `/`, {} with a query \
         parameter the operation's page does not name); {} do not: {}",
        suite.tag,
        suite.total,
        suite.matched,
        suite.rate(),
        suite.documented_rate(),
        suite.total - suite.docs_defects,
        suite.elsewhere,
        notes("case"),
        notes("trailing-slash"),
        notes("unnamed-param"),
        suite.total - suite.matched,
        if groups.is_empty() { "none".to_string() } else { groups.join("; ") },
    );
    let second = format!(
        "request bodies: {bodies} sent, {bodies_ok} round-trip, {bodies_flagged} fail on docs defects, \
         {bodies_differ} where the operation has no body type, {bodies_unflagged} otherwise; \
         responses: {responses} JSON response examples read as the typed response, {responses_ok} round-trip, \
         {responses_flagged} fail flagged by the docs validation, {responses_differ} where the operation's response is not the example's, \
         {responses_unflagged} not flagged; {} request examples of resource pages not counted; \
         harness built and run in {harness_secs:.0} s",
        suite.not_api
    );
    let mut report = format!("{summary}\n{second}\n\nRequest examples that do not match (file:line: [kind] reason):\n");
    for v in suite.mismatches() {
        let (kind, why) = v.mismatch.as_ref().unwrap();
        writeln!(report, "{version}{}:{}: [{kind}] {why}", v.page, v.line).unwrap();
    }
    writeln!(report, "\nMatched where Graph does not tell the requests apart (file:line: what differs):").unwrap();
    for v in suite.verdicts.iter().filter(|v| v.mismatch.is_none() && v.note.is_some()) {
        let what = match v.note {
            Some("case") => "a literal segment in another case than its template",
            Some("unnamed-param") => "a query parameter the operation's page does not name, sent through `params`",
            _ => "a trailing `/` on one side only",
        };
        writeln!(report, "{version}{}:{}: {what}", v.page, v.line).unwrap();
    }
    for (title, pick) in
        [("Request bodies that do not round-trip", true), ("Responses that are not read or do not round-trip", false)]
    {
        writeln!(report, "\n{title} (file:line of the block):").unwrap();
        for v in &suite.verdicts {
            let c = if pick { v.body.as_ref() } else { v.response.as_ref() };
            if let Some(c) = c.filter(|c| !c.ok) {
                let mark = match (&c.differs, c.flagged) {
                    (_, true) => String::new(),
                    (Some(d), false) => format!(" [OPERATION DIFFERS: {d}]"),
                    (None, false) => " [NOT FLAGGED]".to_string(),
                };
                writeln!(report, "{version}{}:{}: {}{mark}", v.page, c.line, c.detail).unwrap();
            }
        }
    }
    let path = out_dir.join(format!("report-requests-{}.txt", suite.tag));
    std::fs::write(&path, &report).unwrap();
    eprintln!("{summary}\n{second}");
    suite.summary = format!("{summary}\n{second}");
    suite.report = path;
    suite
}
