//! Operations from API pages: one per HTTP method, with its paths, request body and response.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Kind, Span};
use crate::ir::{
    Field, HttpMethod, Operation, Origin, PathParam, PathPart, PathTemplate, QueryParam, StructDef, TypeDef, TypeKind,
    TypeRef,
};
use crate::naming::{sanitize, Case, Scope};
use crate::parse::page::Page;
use crate::parse::typecell;

use super::symbols::is_api_page;
use super::{join_link, OutsideDocs, Resolver, ROOT_NAMESPACE};

/// The request body of an operation, as worked out from its page.
enum Body {
    /// A type the page names (or none, or untyped JSON).
    Type(Option<TypeRef>),
    /// The fields of an action's parameter table, which become a struct of their own.
    Struct(Vec<Field>),
}

impl Resolver<'_> {
    pub(super) fn operations(&mut self) {
        // What resource pages' Methods tables say about each API page: worked out page by page
        // on every core; the first page to speak about an API page wins, in page order.
        let pages = self.pages;
        let known: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        let this: &Self = self;
        let rows = crate::parallel::map(pages, |page| {
            let mut diags = Diagnostics::new();
            let rows = this.method_rows(&mut diags, page, &known);
            (rows, diags)
        });
        let mut method_rows: BTreeMap<String, TypeRef> = BTreeMap::new();
        for (rows, diags) in rows {
            self.diags.extend(diags);
            for (target, ty) in rows {
                method_rows.entry(target).or_insert(ty);
            }
        }
        // Each API page's operations, planned on every core; action bodies become structs, whose
        // names must be unique, so they are added in page order.
        let this: &Self = self;
        let plans = crate::parallel::map(pages, |page| {
            let mut diags = Diagnostics::new();
            let plan = this.plan_operations(&mut diags, page, method_rows.get(&page.path));
            (plan, diags)
        });
        for (page, (plan, diags)) in pages.iter().zip(plans) {
            self.diags.extend(diags);
            for (key, mut op, body) in plan {
                op.body = match body {
                    Body::Type(t) => t,
                    Body::Struct(fields) => Some(self.insert_body_struct(page, fields)),
                };
                self.ir.operations.insert(key, op);
            }
        }
    }

    /// The API pages a resource page's Methods table links to, with the type each returns.
    fn method_rows(&self, diags: &mut Diagnostics, page: &Page, known: &BTreeSet<&str>) -> Vec<(String, TypeRef)> {
        let namespace = self.page_types.get(&page.path).and_then(|id| self.ir.types.get(id)).map(|t| &t.namespace);
        let namespace = namespace.map_or(ROOT_NAMESPACE, String::as_str);
        let mut out = Vec::new();
        for row in &page.methods {
            let Some(link) = &row.link else { continue };
            let target = match join_link(&page.path, &link.dest) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(OutsideDocs) => {
                    diags.push(
                        page.span(row.line),
                        Kind::LinkOutsideDocs,
                        format!("the Methods link `{}` leaves the docs tree; it was not followed", link.dest),
                    );
                    continue;
                }
            };
            if !known.contains(target.as_str()) {
                diags.push(
                    page.span(row.line),
                    Kind::BrokenLink,
                    format!("the Methods link `{}` points to `{target}`, which is not a page of the docs", link.dest),
                );
                continue;
            }
            if let Ok(cell) = typecell::parse(&row.return_cell) {
                out.push((target, self.type_ref(diags, page, &cell, namespace, row.line)));
            }
        }
        out
    }

    /// The operations of an API page, one per HTTP method, keyed like `Ir::operations`; the
    /// body is left to the caller.
    fn plan_operations(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        from_methods: Option<&TypeRef>,
    ) -> Vec<(String, Operation, Body)> {
        if !is_api_page(page) {
            return Vec::new();
        }
        if page.requests.is_empty() {
            diags.push(
                page.span(page.title_line),
                Kind::MalformedRequest,
                "expected an `http` block with request lines under an \"HTTP request\" heading",
            );
            return Vec::new();
        }
        let mut by_method: BTreeMap<HttpMethod, Vec<&(String, String, u32)>> = BTreeMap::new();
        for req in &page.requests {
            // Request lines are filtered to known methods when parsed; anything else is skipped.
            if let Some(m) = HttpMethod::parse(&req.0) {
                by_method.entry(m).or_default().push(req);
            }
        }
        let several = by_method.len() > 1;
        let mut out = Vec::new();
        for (method, lines) in by_method {
            let lines_of_method: Vec<(&str, u32)> =
                lines.iter().map(|(_, path, line)| (path.as_str(), *line)).collect();
            let mut paths: Vec<PathTemplate> = Vec::new();
            for (_, path, line) in lines {
                let t = parse_path(path, page.span(*line));
                let written = path.split('?').next().unwrap_or(path).trim();
                if written.split('/').any(is_guid) {
                    diags.push(
                        page.span(*line),
                        Kind::MalformedRequest,
                        format!("the request line `{written}` holds an id where a placeholder belongs; the path is read as `{}`", t.template),
                    );
                }
                for p in t.params.iter().filter(|p| p.name.is_empty()) {
                    diags.push(
                        page.span(*line),
                        Kind::MalformedRequest,
                        format!("an empty placeholder `{{}}` in `{path}`; the parameter is named `{}`", p.rust_name),
                    );
                }
                if !paths.iter().any(|p| p.template == t.template) {
                    paths.push(t);
                }
            }
            let response = self.response_type(diags, page, method, from_methods.cloned());
            let body = match method {
                HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put => {
                    self.body_plan(diags, page, method, from_methods)
                }
                _ => Body::Type(None),
            };
            let key = if several { format!("{}#{}", page.path, method.as_str()) } else { page.path.clone() };
            let title = if page.title.is_empty() { page.path.clone() } else { page.title.clone() };
            let op = Operation {
                page: page.path.clone(),
                title,
                rust_name: String::new(),
                doc: page.description.clone(),
                links: super::links::from_markdown(&page.path, &page.description_links),
                span: page.span(page.title_line),
                method,
                paths,
                path_enum: None,
                query_options: method == HttpMethod::Get,
                query_params: query_params(page, &lines_of_method),
                body: None,
                response,
                area: String::new(),
                cfg: Vec::new(),
            };
            out.push((key, op, body));
        }
        out
    }

    fn response_type(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        method: HttpMethod,
        from_methods: Option<TypeRef>,
    ) -> Option<TypeRef> {
        let text: String = page.response_text.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
        if text.contains("204") || text.to_ascii_lowercase().contains("no content") {
            return None;
        }
        if let Some(t) = from_methods.filter(|t| *t != TypeRef::Json) {
            return Some(t);
        }
        for inline in &page.response_text {
            for link in &inline.links {
                if let Some(id) = self.link_type(diags, page, &link.dest, page.title_line) {
                    let lower = inline.text.to_ascii_lowercase();
                    let collection = lower.contains(&format!("{} collection", link.text.to_ascii_lowercase()))
                        || lower.contains("collection of");
                    let t = TypeRef::Named(id);
                    return Some(if collection { TypeRef::Collection(Box::new(t)) } else { t });
                }
            }
        }
        let example = page.code_blocks.iter().find(|b| b.annotation_str("blockType") == Some("response"));
        if let Some(name) = example.and_then(|b| b.annotated_type()) {
            if let Some(id) = self.lookup(name, ROOT_NAMESPACE) {
                let collection = example
                    .and_then(|b| b.annotation.as_ref())
                    .and_then(|a| a.get("isCollection"))
                    .is_some_and(|v| v == &serde_json::Value::Bool(true));
                let t = TypeRef::Named(id);
                return Some(if collection { TypeRef::Collection(Box::new(t)) } else { t });
            }
        }
        if method == HttpMethod::Delete {
            return None;
        }
        Some(TypeRef::Json)
    }

    /// The request body: the resource its text links to, or a struct made from its parameter
    /// table (actions), or untyped JSON when the page describes a body but neither.
    fn body_plan(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        method: HttpMethod,
        from_methods: Option<&TypeRef>,
    ) -> Body {
        for inline in &page.body_text {
            let lower = inline.text.to_ascii_lowercase();
            if lower.contains("do not supply") || lower.contains("don't supply") || lower.contains("don’t supply") {
                return Body::Type(None);
            }
            for link in &inline.links {
                if let Some(id) = self.link_type(diags, page, &link.dest, page.title_line) {
                    return Body::Type(Some(TypeRef::Named(id)));
                }
            }
            // "supply a JSON representation for the windows10GeneralConfiguration object"
            if let Some(at) = lower.find("json representation") {
                let rest = &inline.text[at + "json representation".len()..];
                let words: Vec<&str> = rest.split_whitespace().take(4).collect();
                for w in words.iter().skip(1) {
                    let name = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.');
                    if matches!(name, "the" | "a" | "an" | "of" | "for" | "new") || name.is_empty() {
                        continue;
                    }
                    if let Some(id) = self.lookup(name, ROOT_NAMESPACE) {
                        return Body::Type(Some(TypeRef::Named(id)));
                    }
                    break;
                }
            }
        }
        // An update replaces properties of the resource the Methods table says it returns.
        if matches!(method, HttpMethod::Patch | HttpMethod::Put) {
            if let Some(t @ TypeRef::Named(_)) = from_methods {
                return Body::Type(Some(t.clone()));
            }
        }
        if page.body_params.is_empty() {
            return Body::Type((!page.body_text.is_empty()).then_some(TypeRef::Json));
        }
        let mut fields: Vec<Field> = Vec::new();
        for row in &page.body_params {
            let ty = self.row_type(diags, page, row, typecell::parse(&row.type_cell), ROOT_NAMESPACE);
            if fields.iter().any(|f| f.json_name == row.name) {
                continue;
            }
            fields.push(super::fill::field(page, row, ty, false));
        }
        Body::Struct(fields)
    }

    /// Adds the struct made from an action's parameter table, named after the page.
    fn insert_body_struct(&mut self, page: &Page, fields: Vec<Field>) -> TypeRef {
        let title = if page.title.is_empty() {
            page.path.trim_end_matches(".md").rsplit('/').next().unwrap_or("")
        } else {
            &page.title
        };
        let base = format!("{}Body", sanitize(title, Case::Variant));
        let mut name = base.clone();
        let mut n = 2;
        while self.ir.types.contains_key(&format!("{ROOT_NAMESPACE}.{name}")) {
            name = format!("{base}{n}");
            n += 1;
        }
        let id = format!("{ROOT_NAMESPACE}.{name}");
        let line = page.body_params[0].line;
        self.ir.types.insert(
            id.clone(),
            TypeDef {
                id: id.clone(),
                namespace: ROOT_NAMESPACE.into(),
                name,
                rust_name: String::new(),
                module: Vec::new(),
                doc: format!("The request body of \"{title}\"."),
                links: Vec::new(),
                span: page.span(line),
                origin: Origin::RequestBody { page: page.path.clone() },
                kind: TypeKind::Struct(StructDef { fields, ..StructDef::default() }),
                area: String::new(),
                cfg: Vec::new(),
            },
        );
        TypeRef::Named(id)
    }
}

/// The OData system query options, which `QueryOptions` sets; every other query parameter is
/// the API's own.
pub const ODATA_OPTIONS: &[&str] = &["select", "expand", "filter", "orderby", "search", "top", "skip", "count"];

/// The query parameters of an operation besides the OData options: those its request lines
/// carry (`?startDateTime={start_datetime}`; required when every line does) and the rows of the
/// page's "Query parameters" tables, in that order, each once.
fn query_params(page: &Page, lines: &[(&str, u32)]) -> Vec<QueryParam> {
    // Each parameter once (names compared without case), with how many request lines carry it.
    let mut found: Vec<(QueryParam, usize)> = Vec::new();
    let mut add = |name: &str, line: u32, doc: &str, in_line: bool| {
        let plain = name.strip_prefix('$').unwrap_or(name);
        if plain.is_empty() || ODATA_OPTIONS.contains(&plain.to_ascii_lowercase().as_str()) {
            return;
        }
        match found.iter_mut().find(|(q, _)| q.name.eq_ignore_ascii_case(name)) {
            Some((q, carried)) => {
                if q.doc.is_empty() {
                    q.doc = doc.to_string();
                }
                *carried += usize::from(in_line);
            }
            None => {
                let q = QueryParam {
                    name: name.to_string(),
                    rust_name: String::new(),
                    required: false,
                    doc: doc.to_string(),
                    span: page.span(line),
                };
                found.push((q, usize::from(in_line)));
            }
        }
    };
    for (path, line) in lines {
        let Some((_, query)) = path.split_once('?') else { continue };
        let mut seen: Vec<&str> = Vec::new();
        for pair in query.split('&') {
            let name = pair.split('=').next().unwrap_or("").trim();
            let ok =
                !name.is_empty() && name.trim_start_matches('$').chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            // Counted once per line, in whatever case, so that `required` means every line.
            if ok && !seen.iter().any(|s| s.eq_ignore_ascii_case(name)) {
                seen.push(name);
                add(name, *line, "", true);
            }
        }
    }
    // Some pages list a function's parameters (`findRooms(RoomList='...')`) in their "Query
    // parameters" table: a name that any request line of the page passes inside the path is
    // not a query parameter.
    let in_path = |name: &str| {
        let needle = format!("{}=", name.to_ascii_lowercase());
        page.code_blocks.iter().filter(|b| b.lang.eq_ignore_ascii_case("http")).any(|b| {
            b.text.lines().any(|l| {
                let path = l.split('?').next().unwrap_or(l).to_ascii_lowercase();
                path.contains('(') && path.contains(&needle)
            })
        })
    };
    for row in page.query_params.iter().filter(|row| !in_path(&row.name)) {
        add(&row.name, row.line, row.description.text.trim(), false);
    }
    // The stub's own methods and the `Endpoint` methods keep their names.
    let mut scope = Scope::with_reserved(&["new", "template", "path", "query", "body", "request", "parse_response"]);
    found
        .into_iter()
        .map(|(mut q, carried)| {
            q.rust_name = scope.claim(&sanitize(q.name.trim_start_matches('$'), Case::Snake));
            q.required = !lines.is_empty() && carried == lines.len();
            q
        })
        .collect()
}

/// Whether a path segment is a GUID (`acdefc6b-2dc6-4e71-b1e9-6d9810ab1793`).
fn is_guid(segment: &str) -> bool {
    let b = segment.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

/// The path with each GUID segment made a placeholder named after the segment before it
/// (`/classes/acdefc6b-.../assignments` is `/classes/{classes-id}/assignments`): some pages
/// write a request line with the ids of an example, and an operation that could only address
/// that one object would be of no use. The caller reports the change.
pub fn ids_as_placeholders(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let mut out = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        if is_guid(segment) {
            let before = segments[..i].iter().rev().find(|s| !s.is_empty() && !is_guid(s)).copied().unwrap_or("item");
            out.push(format!("{{{before}-id}}"));
        } else {
            out.push(segment.to_string());
        }
    }
    out.join("/")
}

/// Splits a request path into literals and `{param}` / `<param>` placeholders.
pub fn parse_path(raw: &str, span: Span) -> PathTemplate {
    // Query strings in request lines are examples of options, not part of the path.
    let template = raw.split('?').next().unwrap_or(raw).trim();
    // `~` is the service root in the request lines of some pages (`GET ~/onPremisesPublishingProfiles`).
    let template = template.strip_prefix('~').unwrap_or(template);
    // Every request path is below the service root; some pages write it without the leading
    // `/` (`GET policies/activityBasedTimeoutPolicies`), which would join it to the root wrongly.
    let template = if template.starts_with('/') { template.to_string() } else { format!("/{template}") };
    let template = ids_as_placeholders(&template);
    let mut parts = Vec::new();
    let mut params: Vec<PathParam> = Vec::new();
    let mut scope = Scope::with_reserved(&["query", "body", "path"]);
    let mut literal = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '{' => '}',
            '<' => '>',
            _ => {
                literal.push(c);
                continue;
            }
        };
        let mut name = String::new();
        let mut closed = false;
        for n in chars.by_ref() {
            if n == close {
                closed = true;
                break;
            }
            name.push(n);
        }
        if !closed {
            literal.push(c);
            literal.push_str(&name);
            continue;
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(std::mem::take(&mut literal)));
        }
        let name = name.trim().to_string();
        let rust_name = scope.claim(&sanitize(&name.replace('|', " or "), Case::Snake));
        parts.push(PathPart::Param(params.len()));
        params.push(PathParam { name, rust_name });
    }
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    PathTemplate { template, rust_name: String::new(), parts, params, span }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_request_lines_become_placeholders() {
        let span = Span::new("api/x.md", 1);
        let p = parse_path(
            "/education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/assignments/CF6005FC-9E13-44A2-A6AC-A53322006454/submit",
            span.clone(),
        );
        assert_eq!(p.template, "/education/classes/{classes-id}/assignments/{assignments-id}/submit");
        let names: Vec<&str> = p.params.iter().map(|x| x.rust_name.as_str()).collect();
        assert_eq!(names, ["classes_id", "assignments_id"]);
        assert_eq!(
            parse_path("~/onPremisesPublishingProfiles/{publishingType}/agents", span.clone()).template,
            "/onPremisesPublishingProfiles/{publishingType}/agents"
        );
        // Only a whole segment in the GUID form is an id.
        let kept =
            "/sites/contoso.com/lists/acdefc6b-2dc6-4e71-b1e9-6d9810ab179/items/x-acdefc6b-2dc6-4e71-b1e9-6d9810ab1793";
        assert_eq!(parse_path(kept, span).template, kept);
    }

    #[test]
    fn query_parameters_from_request_lines_and_tables() {
        let mut diags = Diagnostics::new();
        let src = "# List x\n## HTTP request\n```http\nGET /me/x?startDateTime={s}&endDateTime={e}&$top=5&IncludeHidden=1&includeHidden=true\nGET /users/{id}/x?startDateTime={s}&endDateTime={e}\n```\n## Query parameters\n|Name|Type|Description|\n|-|-|-|\n|startDateTime|String|The start.|\n|$deltatoken|String|A token.|\n|$filter|String|OData.|\n|new|String|A name the stub's methods have.|\n|RoomList|String|A function's parameter listed here.|\n## Example\n```http\nGET /users/1/x/f(roomList='a')\n```\n";
        let page = crate::parse::page::build("api/x-list.md", &crate::parse::markdown::parse(src), &mut diags);
        let lines: Vec<(&str, u32)> = page.requests.iter().map(|(_, p, l)| (p.as_str(), *l)).collect();
        let got: Vec<(String, String, bool, String)> =
            query_params(&page, &lines).into_iter().map(|q| (q.name, q.rust_name, q.required, q.doc)).collect();
        let want = [
            ("startDateTime", "start_date_time", true, "The start."),
            ("endDateTime", "end_date_time", true, ""),
            ("IncludeHidden", "include_hidden", false, ""),
            ("$deltatoken", "deltatoken", false, "A token."),
            ("new", "new_2", false, "A name the stub's methods have."),
        ];
        let want: Vec<(String, String, bool, String)> =
            want.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), *c, d.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn path_placeholders() {
        let span = Span::new("api/x.md", 1);
        let p = parse_path("/users/{id | userPrincipalName}/drive/items/<item-id>/content?$select=x", span.clone());
        assert_eq!(p.template, "/users/{id | userPrincipalName}/drive/items/<item-id>/content");
        let names: Vec<(&str, &str)> = p.params.iter().map(|x| (x.name.as_str(), x.rust_name.as_str())).collect();
        assert_eq!(names, [("id | userPrincipalName", "id_or_user_principal_name"), ("item-id", "item_id")]);
        let p = parse_path("/a/{id}/b/{id}/{body}", span.clone());
        let names: Vec<&str> = p.params.iter().map(|x| x.rust_name.as_str()).collect();
        assert_eq!(names, ["id", "id_2", "body_2"]);
        let p = parse_path("/drive/root:/{item-path}:/content", span.clone());
        assert_eq!(p.parts.len(), 3);
        assert_eq!(p.parts[2], PathPart::Literal(":/content".into()));
        // A path written without its leading `/` is still below the root.
        let p = parse_path("policies/activityBasedTimeoutPolicies/{id}", span);
        assert_eq!(p.template, "/policies/activityBasedTimeoutPolicies/{id}");
        assert_eq!(p.parts[0], PathPart::Literal("/policies/activityBasedTimeoutPolicies/".into()));
    }
}
