//! Page models: what a resource, enum or API page says, with the line each part came from.

use std::collections::BTreeMap;

use super::lenient;
use super::markdown::{Block, CalloutKind, Document, Inline, Link, Row};
use crate::diagnostics::{Diagnostics, Kind, Span};

/// A section heading and the index range of the blocks under it.
#[derive(Clone, Debug)]
struct Section {
    /// Lower-cased heading text.
    name: String,
    /// The heading as written.
    heading: String,
    level: u8,
    blocks: std::ops::Range<usize>,
}

/// An annotated code block (`<!-- { "blockType": ... } -->` followed by a fence).
#[derive(Clone, Debug, PartialEq)]
pub struct CodeBlock {
    pub lang: String,
    pub text: String,
    pub line: u32,
    pub annotation: Option<BTreeMap<String, serde_json::Value>>,
    /// Lower-cased heading of the section the block is in.
    pub section: String,
}

impl CodeBlock {
    pub fn annotation_str(&self, key: &str) -> Option<&str> {
        self.annotation.as_ref()?.get(key)?.as_str()
    }

    /// The type the annotation names: `@odata.type`, or `@type` as older pages write it.
    pub fn annotated_type(&self) -> Option<&str> {
        self.annotation_str("@odata.type").or_else(|| self.annotation_str("@type"))
    }
}

/// A row of a Properties, Relationships or request-body table.
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyRow {
    pub name: String,
    pub type_cell: Inline,
    pub description: Inline,
    pub line: u32,
}

/// A row of a Methods table.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodRow {
    pub link: Option<Link>,
    pub text: String,
    pub return_cell: Inline,
    pub description: Inline,
    pub line: u32,
}

/// A row of an enum Members table.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    pub name: String,
    pub value: Option<String>,
    pub description: Inline,
    pub line: u32,
}

/// A Members table, and the enum name its heading gives (`### lifecycleEventType values`).
#[derive(Clone, Debug, PartialEq)]
pub struct EnumTable {
    pub name: Option<String>,
    pub line: u32,
    pub members: Vec<MemberRow>,
}

/// A `> [!NOTE]`-style callout and the section it stands in.
#[derive(Clone, Debug, PartialEq)]
pub struct Callout {
    pub kind: CalloutKind,
    /// Lower-cased heading of the section (empty before the first heading).
    pub section: String,
    pub text: Inline,
    pub line: u32,
}

/// The `odata.type` row of a Properties table (docs of 2022 on): the type's discriminator, which
/// travels as `@odata.type` on the wire, written down as if it were a property.
#[derive(Clone, Debug, PartialEq)]
pub struct ODataTypeRow {
    /// The type name the row gives (`#microsoft.graph.x` in its description), without the `#`.
    pub value: Option<String>,
    pub line: u32,
}

/// What a page says, whatever kind it is; resolution decides what to make of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// Path relative to the docs root, with `/` separators.
    pub path: String,
    pub title: String,
    pub title_line: u32,
    pub description: String,
    /// The links of the description's paragraphs.
    pub description_links: Vec<Link>,
    pub paragraphs: Vec<(Inline, u32)>,
    pub methods: Vec<MethodRow>,
    pub properties: Vec<PropertyRow>,
    pub relationships: Vec<PropertyRow>,
    pub enums: Vec<EnumTable>,
    pub code_blocks: Vec<CodeBlock>,
    /// Request lines of the "HTTP request" section (and its sub-sections): method, path with
    /// its query as written, line.
    pub requests: Vec<(String, String, u32)>,
    /// Rows of "Query parameters" tables: the API's own parameters and the OData ones.
    pub query_params: Vec<PropertyRow>,
    /// The request-body section: its paragraphs and its parameter table.
    pub body_text: Vec<Inline>,
    pub body_params: Vec<PropertyRow>,
    /// The "Response" section's paragraphs (before the examples).
    pub response_text: Vec<Inline>,
    /// Whether a section mentions the OData query parameters.
    pub supports_query: bool,
    /// The docs area the page belongs to (a cargo feature of the generated crate).
    pub area: String,
    /// Callouts anywhere on the page, in order.
    pub callouts: Vec<Callout>,
    /// `[!INCLUDE]` lines: name, path as written, line.
    pub includes: Vec<(String, String, u32)>,
    /// The line saying the resource is an open type (prose or the JSON block's `openType`).
    pub open_type: Option<u32>,
    /// The Properties table's `odata.type` row, which is not a property.
    pub odata_type_row: Option<ODataTypeRow>,
}

impl Page {
    pub fn span(&self, line: u32) -> Span {
        Span::new(self.path.clone(), line)
    }

    /// The JSON representation block of a resource page.
    pub fn json_representation(&self) -> Option<&CodeBlock> {
        self.code_blocks
            .iter()
            .find(|b| b.annotation_str("blockType") == Some("resource"))
            .or_else(|| self.code_blocks.iter().find(|b| b.section.contains("json representation")))
    }
}

const HTTP_METHODS: [&str; 5] = ["GET", "POST", "PATCH", "PUT", "DELETE"];

/// Builds the page model from the parsed markdown of the page at `path`.
pub fn build(path: &str, doc: &Document, diags: &mut Diagnostics) -> Page {
    let mut page = Page { path: path.to_string(), ..Page::default() };
    page.area = crate::areas::vocabulary::page_area(path, &doc.front_matter, &doc.front_matter_lines, diags);
    let blocks = &doc.blocks;
    let sections = sections(blocks);

    // Title: the first real level-1 heading, else the front matter.
    let title_index =
        blocks.iter().position(|b| matches!(b, Block::Heading { level: 1, text, .. } if !is_tab_heading(text)));
    match title_index.map(|i| &blocks[i]) {
        Some(Block::Heading { text, line, .. }) => {
            page.title = text.trimmed().to_string();
            page.title_line = *line;
        }
        _ => match doc.front_matter.get("title") {
            Some(t) => {
                page.title = t.clone();
                page.title_line = 1;
            }
            None => diags.push(page.span(1), Kind::MalformedPage, "expected a `# title` heading"),
        },
    }

    // Description: the paragraphs between the title and the next section heading.
    let start = title_index.map_or(0, |i| i + 1);
    let mut description = Vec::new();
    for block in &blocks[start..] {
        match block {
            Block::Heading { text, .. } if !is_tab_heading(text) => break,
            Block::Paragraph { text, .. } => {
                let t = text.trimmed();
                if t.starts_with("Namespace:")
                    || t.starts_with("[!")
                    || t.starts_with("Note:")
                    || t.starts_with("Important:")
                {
                    continue;
                }
                description.push(t.to_string());
                page.description_links.extend(text.links.iter().cloned());
            }
            _ => {}
        }
    }
    page.description = description.join("\n\n");

    for block in blocks {
        if let Block::Paragraph { text, line } = block {
            page.paragraphs.push((text.clone(), *line));
        }
    }

    for section in sections.iter().filter(|s| s.name == "properties") {
        let has_table = blocks[section.blocks.clone()].iter().any(|b| matches!(b, Block::Table { .. }));
        let says_none = blocks[section.blocks.clone()]
            .iter()
            .any(|b| matches!(b, Block::Paragraph { text, .. } if text.trimmed().eq_ignore_ascii_case("none") || text.trimmed().eq_ignore_ascii_case("none.")));
        if !has_table && !says_none {
            let line = blocks.get(section.blocks.start.saturating_sub(1)).map_or(1, Block::line);
            diags.push(
                page.span(line),
                Kind::MalformedTable,
                "expected a `Property|Type|Description` table under this heading",
            );
        }
    }

    let mut pending_annotation: Option<(BTreeMap<String, serde_json::Value>, u32)> = None;
    for section in &sections {
        let in_examples = section.name.contains("example");
        for block in &blocks[section.blocks.clone()] {
            match block {
                Block::Html { text, line } => {
                    let t = text.trim();
                    if t.starts_with("<!--") && t.trim_start_matches("<!--").trim_start().starts_with('{') {
                        match lenient::parse_annotation(t) {
                            Ok(map) => pending_annotation = Some((map, *line)),
                            Err(e) => {
                                diags.push(page.span(*line), Kind::MalformedAnnotation, e);
                                pending_annotation = None;
                            }
                        }
                    }
                }
                Block::Code { lang, text, line } => {
                    let annotation = pending_annotation.take().map(|(a, _)| a);
                    if section.name.contains("http request") && !in_examples {
                        page.requests.extend(request_lines(text, *line));
                    }
                    page.code_blocks.push(CodeBlock {
                        lang: lang.clone(),
                        text: text.clone(),
                        line: *line,
                        annotation,
                        section: section.name.clone(),
                    });
                }
                Block::Table { header, rows, line } => {
                    table(&mut page, section, header, rows, *line, diags);
                }
                Block::Paragraph { text, .. } => {
                    let lower = text.text.to_ascii_lowercase();
                    if lower.contains("odata query parameters") || lower.contains("$select") {
                        page.supports_query = true;
                    }
                    if section.name.contains("request body") {
                        page.body_text.push(text.clone());
                    } else if section.name == "response" && !in_examples {
                        page.response_text.push(text.clone());
                    }
                }
                Block::Callout { kind, text, line } => {
                    page.callouts.push(Callout {
                        kind: *kind,
                        section: section.name.clone(),
                        text: text.clone(),
                        line: *line,
                    });
                }
                Block::Include { name, path, line } => page.includes.push((name.clone(), path.clone(), *line)),
                Block::Heading { .. } => {}
            }
        }
    }
    if page.requests.is_empty() && path.starts_with("api/") && !sections.iter().any(|s| s.name.contains("http request"))
    {
        // An API page whose request block slipped under "Permissions" (the heading "HTTP
        // request" is missing): the not-runnable `http` blocks there are its request lines.
        // Request lines under headings of their own ("## Get the tenant's root site") may be
        // examples of a request or different operations, so they are not read.
        for b in page.code_blocks.iter().filter(|b| {
            b.lang.eq_ignore_ascii_case("http")
                && b.section == "permissions"
                && b.annotation_str("blockType") == Some("ignored")
        }) {
            page.requests.extend(request_lines(&b.text, b.line));
        }
    }
    page.open_type = open_type(&page);
    page
}

/// Where the page says that its resource is an open type: "This resource is an open type" (and
/// "... supports open extensions" wording does not count), or `"openType": true` on the JSON
/// representation's annotation.
fn open_type(page: &Page) -> Option<u32> {
    let said = page.paragraphs.iter().find(|(text, _)| {
        let lower = text.text.to_ascii_lowercase();
        lower.contains("is an open type") || lower.contains("is an open resource type")
    });
    let annotated = page.json_representation().filter(|b| {
        b.annotation.as_ref().and_then(|a| a.get("openType")).and_then(serde_json::Value::as_bool) == Some(true)
    });
    said.map(|(_, line)| *line).or(annotated.map(|b| b.line))
}

/// docfx tab headings (`# [HTTP](#tab/http)`) switch code tabs; they are not sections.
fn is_tab_heading(text: &Inline) -> bool {
    text.links.len() == 1 && text.links[0].dest.starts_with("#tab/")
}

fn sections(blocks: &[Block]) -> Vec<Section> {
    let mut out = vec![Section { name: String::new(), heading: String::new(), level: 0, blocks: 0..0 }];
    for (i, block) in blocks.iter().enumerate() {
        if let Block::Heading { level, text, .. } = block {
            if is_tab_heading(text) {
                continue;
            }
            if let Some(last) = out.last_mut() {
                last.blocks.end = i;
            }
            let heading = text.trimmed().trim_end_matches(':').trim().replace('`', "");
            let name = heading.to_ascii_lowercase();
            out.push(Section { name, heading, level: *level, blocks: i + 1..i + 1 });
        }
    }
    if let Some(last) = out.last_mut() {
        last.blocks.end = blocks.len();
    }
    // Sub-sections ("### Request" under "## Example") keep the example context in their name.
    let mut parent: Vec<(u8, String)> = Vec::new();
    for s in &mut out {
        while parent.last().is_some_and(|(level, _)| *level >= s.level && s.level > 0) {
            parent.pop();
        }
        let inherited = parent.iter().any(|(_, n)| n.contains("example"));
        let own = s.name.clone();
        if inherited && !s.name.contains("example") {
            s.name = format!("example {}", s.name);
        }
        if s.level > 0 {
            parent.push((s.level, own));
        }
    }
    out
}

/// The request lines inside an `http` block: `METHOD /path` (an optional host is dropped).
fn request_lines(text: &str, fence_line: u32) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let Some((method, rest)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        let method = method.to_ascii_uppercase();
        if !HTTP_METHODS.contains(&method.as_str()) {
            continue;
        }
        // The target runs to the end of the line (placeholders may hold spaces:
        // `{id | userPrincipalName}`), less a trailing protocol version.
        let mut target = rest.trim();
        if let Some((head, version)) = target.rsplit_once(' ') {
            if version.starts_with("HTTP/") {
                target = head.trim_end();
            }
        }
        let target = strip_host(target);
        if target.is_empty() {
            continue;
        }
        out.push((method, target.to_string(), fence_line + 1 + i as u32));
    }
    out
}

fn strip_host(target: &str) -> &str {
    let rest = target
        .strip_prefix("https://graph.microsoft.com")
        .or_else(|| target.strip_prefix("http://graph.microsoft.com"))
        .unwrap_or(target);
    for version in ["/v1.0", "/beta"] {
        if let Some(r) = rest.strip_prefix(version) {
            if r.starts_with('/') {
                return r;
            }
        }
    }
    rest
}

/// Index of the first header cell whose lower-cased text is one of `names`.
fn column(header: &[Inline], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        // `| Property.  |` has been seen: trailing punctuation is not part of the name.
        let t = clean_name(h.trimmed()).trim_end_matches(['.', ':']).to_ascii_lowercase();
        names.contains(&t.as_str())
    })
}

/// A name cell without markdown decoration or trailing remarks (`tollNumber (deprecated)`).
pub fn clean_name(text: &str) -> String {
    let t = text.trim().trim_matches('`').trim_matches('*').trim();
    let t = t.split(['(', ' ', '\t']).next().unwrap_or(t);
    t.trim_matches('`').trim_matches('*').trim_matches('\\').to_string()
}

fn cell(row: &Row, index: Option<usize>) -> Option<&Inline> {
    index.and_then(|i| row.cells.get(i))
}

fn table(page: &mut Page, section: &Section, header: &[Inline], rows: &[Row], line: u32, diags: &mut Diagnostics) {
    let name = section.name.as_str();
    if name.contains("example") {
        return;
    }
    if name.contains("query parameter") {
        query_params(page, header, rows);
        return;
    }
    if name.contains("method") && column(header, &["method", "methods"]).is_some() {
        let m = column(header, &["method", "methods"]);
        let r = column(header, &["return type", "return types", "returns"]);
        let d = column(header, &["description"]);
        for row in rows {
            let Some(method) = cell(row, m) else { continue };
            page.methods.push(MethodRow {
                link: method.links.first().cloned(),
                text: method.trimmed().to_string(),
                return_cell: cell(row, r).cloned().unwrap_or_default(),
                description: cell(row, d).cloned().unwrap_or_default(),
                line: row.line,
            });
        }
        return;
    }
    let name_col = column(
        header,
        &[
            "property",
            "name",
            "property name",
            "parameter",
            "member",
            "relationship",
            "relationship name",
            "navigation property",
        ],
    );
    let type_col = column(header, &["type", "types", "data type"]);
    let desc_col = column(header, &["description", "descriptions", "notes"]);
    let value_col = column(header, &["value", "int value", "integer value"]);
    let is_body = name.contains("request body") || name.contains("parameters") && name.contains("body");
    let is_members = column(header, &["member", "members"]).is_some()
        || (type_col.is_none() && (value_col.is_some() || name.contains("member") || name.ends_with("values")));
    if is_members {
        let n = column(header, &["member", "members", "name"]).or(Some(0));
        let enum_name = name
            .strip_suffix(" values")
            .or_else(|| name.strip_suffix(" enum values"))
            .map(|n| n.trim().trim_matches('`'))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_'));
        // The heading was lower-cased for matching; take the name's case from the page.
        let enum_name = enum_name
            .and_then(|n| section.heading.get(..n.len()).filter(|h| h.eq_ignore_ascii_case(n)).map(str::to_string));
        let mut members = Vec::new();
        for row in rows {
            let Some(c) = cell(row, n) else { continue };
            // Wire values may hold spaces (`JIS B4`); only markdown decoration is removed.
            let member = c.trimmed().trim_matches(|ch| matches!(ch, '`' | '*' | '\\')).trim().to_string();
            // `null` rows (`|null|Default value, no ageGroup is set.|`) describe the absence of
            // a value, not a member.
            if member.is_empty() || member.eq_ignore_ascii_case("null") {
                continue;
            }
            members.push(MemberRow {
                name: member,
                value: cell(row, value_col).map(|v| v.trimmed().to_string()).filter(|v| !v.is_empty()),
                description: cell(row, desc_col).cloned().unwrap_or_default(),
                line: row.line,
            });
        }
        page.enums.push(EnumTable { name: enum_name, line, members });
        return;
    }
    let is_properties = !is_body && !name.contains("relationship") && name.contains("propert");
    let target = if is_body {
        &mut page.body_params
    } else if name.contains("relationship") {
        &mut page.relationships
    } else if name.contains("propert") {
        &mut page.properties
    } else {
        return;
    };
    let (Some(n), Some(t)) = (name_col, type_col) else {
        let found: Vec<&str> = header.iter().map(|h| h.trimmed()).collect();
        diags.push(
            page.span(line),
            Kind::MalformedTable,
            format!("expected a `Property|Type|Description` header, found `{}`", found.join("|")),
        );
        return;
    };
    let path = page.path.clone();
    for row in rows {
        let (Some(name_cell), Some(type_cell)) = (row.cells.get(n), row.cells.get(t)) else {
            diags.push(
                Span::new(path.clone(), row.line),
                Kind::MalformedTable,
                "expected a name and a type cell in this row",
            );
            continue;
        };
        let prop = clean_name(name_cell.trimmed());
        if prop.is_empty() || (name_cell.strong && type_cell.trimmed().is_empty()) {
            // Group rows (`|**Certificates**|||`) and blank rows carry no property.
            continue;
        }
        if prop.eq_ignore_ascii_case("odata.type") || prop.eq_ignore_ascii_case("@odata.type") {
            // The discriminator, documented as a row since 2022; never a property.
            if is_properties {
                let description = cell(row, desc_col).map(|d| d.text.as_str()).unwrap_or_default();
                let value = odata_type_value(description).or_else(|| odata_type_value(type_cell.trimmed()));
                page.odata_type_row.get_or_insert(ODataTypeRow { value, line: row.line });
            }
            continue;
        }
        target.push(PropertyRow {
            name: prop,
            type_cell: type_cell.clone(),
            description: cell(row, desc_col).cloned().unwrap_or_default(),
            line: row.line,
        });
    }
}

/// The rows of a "Query parameters" table: a name (`startDateTime`, `$skiptoken`), its type
/// when the table has that column, and its description. Tables of headers that some pages put
/// under this heading are not parameters.
fn query_params(page: &mut Page, header: &[Inline], rows: &[Row]) {
    if column(header, &["header"]).is_some() {
        return;
    }
    let Some(n) = column(header, &["name", "parameter", "query", "query parameter", "property"]) else { return };
    let (t, d) = (column(header, &["type"]), column(header, &["description"]));
    for row in rows {
        let Some(name_cell) = row.cells.get(n) else { continue };
        let name = clean_name(name_cell.trimmed()).trim_matches('_').to_string();
        let plain = name.strip_prefix('$').unwrap_or(&name);
        if plain.is_empty() || !plain.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            continue;
        }
        page.query_params.push(PropertyRow {
            name,
            type_cell: cell(row, t).cloned().unwrap_or_default(),
            description: cell(row, d).cloned().unwrap_or_default(),
            line: row.line,
        });
    }
}

/// The first `#microsoft.graph.x`-style name in a cell, without the `#`.
fn odata_type_value(text: &str) -> Option<String> {
    let start = text.find("microsoft.graph.")?;
    let name: String =
        text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_').collect();
    Some(name.trim_end_matches('.').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown;

    fn page(src: &str) -> (Page, Diagnostics) {
        let mut diags = Diagnostics::new();
        let doc = markdown::parse(src);
        (build("resources/x.md", &doc, &mut diags), diags)
    }

    #[test]
    fn resource_sections_at_either_heading_level() {
        for h in ["##", "###"] {
            let src = format!(
                "# x resource type\n\nA thing.\n{h} Methods\n|Method|Return Type|Description|\n|---|---|---|\n|[Get x](../api/x-get.md)|[x](x.md)|Read.|\n{h} Properties\n| Property | Type | Description |\n|:--|:--|:--|\n|id|String|Id.|\n{h} Relationships\nNone\n{h} JSON Representation\n<!-- {{\"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.x\"}} -->\n```json\n{{\"id\": \"String\"}}\n```\n"
            );
            let (p, d) = page(&src);
            assert!(d.is_empty(), "{d:?}");
            assert_eq!(p.title, "x resource type");
            assert_eq!(p.description, "A thing.");
            assert_eq!(p.methods.len(), 1);
            assert_eq!(p.methods[0].link.as_ref().unwrap().dest, "../api/x-get.md");
            assert_eq!(p.properties.len(), 1);
            assert_eq!(p.properties[0].line, 11);
            let json = p.json_representation().unwrap();
            assert_eq!(json.annotation_str("@odata.type"), Some("microsoft.graph.x"));
        }
    }

    #[test]
    fn property_header_variants_and_group_rows() {
        let src = "# x\n## Properties\n|Property name|Type|Description|Notes|\n|-|-|-|-|\n|**Group**|||\n|`tollNumber` (deprecated)|String|T.|n|\n";
        let (p, d) = page(src);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.properties.len(), 1);
        assert_eq!(p.properties[0].name, "tollNumber");
    }

    #[test]
    fn bad_property_header_is_reported() {
        let (p, d) = page("# x\n## Properties\n|Foo|Bar|\n|-|-|\n|a|b|\n");
        assert!(p.properties.is_empty());
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs, ["resources/x.md:3: warning: expected a `Property|Type|Description` header, found `Foo|Bar` [malformed-table]"]);
    }

    #[test]
    fn api_page_request_lines_and_examples() {
        let src = "# Get x\n## HTTP request\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nGET /me/x/{id}\nGET https://graph.microsoft.com/v1.0/users/{id}/x\nAuthorization: Bearer\n```\n## Request body\nDo not supply a request body.\n## Response\nReturns [x](../resources/x.md).\n## Example\n### Request\n<!-- { \"blockType\": \"request\", \"name\": \"get_x\" } -->\n```http\nGET https://graph.microsoft.com/v1.0/me/x/1\n```\n### Response\n<!-- { \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.x\" } -->\n```http\nHTTP/1.1 200 OK\n\n{}\n```\n";
        let (p, d) = page(src);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            p.requests,
            [("GET".to_string(), "/me/x/{id}".to_string(), 5), ("GET".into(), "/users/{id}/x".into(), 6)]
        );
        assert_eq!(p.response_text.len(), 1);
        assert_eq!(p.body_text.len(), 1);
        let resp = p.code_blocks.iter().find(|b| b.annotation_str("blockType") == Some("response")).unwrap();
        assert_eq!(resp.line, 21);
        assert!(resp.section.contains("example"));
    }

    #[test]
    fn request_lines_of_the_section_and_under_permissions() {
        // Sub-sections of "HTTP request" may document different operations (a photo's bytes and
        // its metadata): only the section's own blocks are read. A query-parameters table lists
        // the API's parameters.
        let src = "# Get x\n## HTTP request\n```http\nGET /me/x/delta?startDateTime={s}\n```\n### In a group calendar\n```http\nGET /groups/{id}/x/delta/$value\n```\n### Request headers\n```http\nGET /not/a/request\n```\n## Query parameters\n|Name|Type|Description|\n|-|-|-|\n|startDateTime|String|The start.|\n|_$skiptoken_|string|A token.|\n|`$select`|string|OData.|\n|@odata.nextLink|url|Not a parameter.|\n## Example\n```http\nGET /me/x/delta\n```\n";
        let (p, d) = page(src);
        assert!(d.is_empty(), "{d:?}");
        let lines: Vec<(&str, u32)> = p.requests.iter().map(|(_, path, line)| (path.as_str(), *line)).collect();
        assert_eq!(lines, [("/me/x/delta?startDateTime={s}", 4)]);
        let names: Vec<&str> = p.query_params.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["startDateTime", "$skiptoken", "$select"]);

        // A page whose only request block sits under "Permissions".
        let src = "# Add member\n## Permissions\n|Permission type|Permissions|\n|-|-|\n|Application|X.All|\n<!-- { \"blockType\": \"ignored\"} -->\n```http\nPOST /chats/{chat-id}/members\n```\n## Request headers\n|Header|Value|\n|-|-|\n|Authorization|Bearer {token}|\n## Example\n<!-- { \"blockType\": \"request\" } -->\n```http\nPOST /chats/1/members\n```\n";
        let mut diags = Diagnostics::new();
        let p = build("api/chat-post-members.md", &markdown::parse(src), &mut diags);
        assert_eq!(p.requests, [("POST".to_string(), "/chats/{chat-id}/members".to_string(), 8)]);
        // Only an API page without an "HTTP request" section reads them (a resource page's
        // walkthrough of requests does not describe operations of its own), and only under
        // "Permissions" (not a block under a heading of its own).
        assert!(page(src).0.requests.is_empty());
        let elsewhere = src.replace("## Request headers", "## Get the root\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nGET /chats/root\n```\n## Request headers");
        let p = build("api/chat-post-members.md", &markdown::parse(&elsewhere), &mut diags);
        assert_eq!(p.requests.len(), 1);
    }

    #[test]
    fn enum_tables_named_by_their_headings() {
        let src = "# Enum values\n### lifecycleEventType values\n|Member|\n|:---|\n|missed|\n|subscriptionRemoved|\n### `riskLevel` values\n|Member|Value|Description|\n|-|-|-|\n|low|1|Low.|\n";
        let (p, d) = page(src);
        assert!(d.is_empty(), "{d:?}");
        let names: Vec<Option<&str>> = p.enums.iter().map(|e| e.name.as_deref()).collect();
        assert_eq!(names, [Some("lifecycleEventType"), Some("riskLevel")]);
        assert_eq!(p.enums[0].members.len(), 2);
        assert_eq!(p.enums[1].members[0].value.as_deref(), Some("1"));
        let (p, _) =
            page("# x enum type\n## Members\n|Name|Value|Description|\n|-|-|-|\n|a|0|A.|\n|`JIS B4`|1|Spaces.|\n");
        assert_eq!(p.enums[0].name, None);
        assert_eq!(p.enums[0].members[0].name, "a");
        assert_eq!(p.enums[0].members[1].name, "JIS B4");
    }

    #[test]
    fn relationship_header_variants() {
        for h in ["Relationship", "Relationship name", "Property"] {
            let (p, d) = page(&format!(
                "# x\n## Relationships\n|{h}|Type|Description|\n|-|-|-|\n|items|[item](item.md) collection|I.|\n"
            ));
            assert!(d.is_empty(), "{d:?}");
            assert_eq!(p.relationships.len(), 1, "{h}");
        }
    }

    #[test]
    fn tab_headings_are_not_sections() {
        let src = "# Get x\n## HTTP request\n# [HTTP](#tab/http)\n```http\nGET /x\n```\n";
        let (p, _) = page(src);
        assert_eq!(p.requests.len(), 1);
    }
}
