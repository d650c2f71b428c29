//! Markdown to a flat block model (headings, paragraphs, tables, code, HTML comments, callouts
//! and include lines) with lines.
//!
//! Everything page-specific (what a Properties table means, which code block is the JSON
//! representation) is layered on top of this, so the pulldown-cmark details stay here.

use std::collections::BTreeMap;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A link inside inline text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub dest: String,
}

/// Inline content flattened to text, with the links and code spans it held kept aside.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inline {
    /// Text with links as their text and emphasis dropped; code spans keep their backticks so
    /// that descriptions stay readable as markdown in doc comments.
    pub text: String,
    pub links: Vec<Link>,
    pub code: Vec<String>,
    /// Whether the whole content was bold/strong (group rows in Methods tables).
    pub strong: bool,
}

impl Inline {
    pub fn trimmed(&self) -> &str {
        self.text.trim()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Inline>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        text: Inline,
        line: u32,
    },
    Paragraph {
        text: Inline,
        line: u32,
    },
    Table {
        header: Vec<Inline>,
        rows: Vec<Row>,
        line: u32,
    },
    Code {
        lang: String,
        text: String,
        line: u32,
    },
    Html {
        text: String,
        line: u32,
    },
    /// A `> [!NOTE]` / `> [!IMPORTANT]` callout (docs of 2022 on), its paragraphs joined. It is
    /// an aside, not part of the section's own text.
    Callout {
        kind: CalloutKind,
        text: Inline,
        line: u32,
    },
    /// An `[!INCLUDE [name](path)]` line: docfx pastes the file in when the docs are built. The
    /// files live in the docs' shared `includes/` folders and hold boilerplate (permissions
    /// tables, national-cloud notes, SDK snippets), so the line is recorded, not followed.
    Include {
        name: String,
        path: String,
        line: u32,
    },
}

/// The kinds of callout docfx knows (GitHub's alert syntax).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalloutKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl CalloutKind {
    fn from_gfm(kind: BlockQuoteKind) -> Self {
        match kind {
            BlockQuoteKind::Note => CalloutKind::Note,
            BlockQuoteKind::Tip => CalloutKind::Tip,
            BlockQuoteKind::Important => CalloutKind::Important,
            BlockQuoteKind::Warning => CalloutKind::Warning,
            BlockQuoteKind::Caution => CalloutKind::Caution,
        }
    }

    /// The word a reader sees in front of the callout.
    pub fn label(self) -> &'static str {
        match self {
            CalloutKind::Note => "Note",
            CalloutKind::Tip => "Tip",
            CalloutKind::Important => "Important",
            CalloutKind::Warning => "Warning",
            CalloutKind::Caution => "Caution",
        }
    }
}

impl Block {
    pub fn line(&self) -> u32 {
        match self {
            Block::Heading { line, .. }
            | Block::Paragraph { line, .. }
            | Block::Table { line, .. }
            | Block::Code { line, .. }
            | Block::Html { line, .. }
            | Block::Callout { line, .. }
            | Block::Include { line, .. } => *line,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    /// Top-level `key: value` pairs of the YAML front matter, quotes removed.
    pub front_matter: BTreeMap<String, String>,
    /// The line of each front-matter key.
    pub front_matter_lines: BTreeMap<String, u32>,
    pub blocks: Vec<Block>,
}

/// Maps byte offsets to 1-based line numbers.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line(&self, offset: usize) -> u32 {
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        u32::try_from(idx + 1).unwrap_or(u32::MAX)
    }
}

/// Removes a UTF-8 byte-order mark; pages of the 2016-2018 era carry one.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// What is being collected while inside a container whose inline content we flatten.
enum Collect {
    None,
    Heading(u8, usize),
    Paragraph(usize),
    Cell,
    Item(usize),
}

/// Parses a page. Never panics; markdown has no syntax errors, only surprising structure.
pub fn parse(text: &str) -> Document {
    let text = strip_bom(text);
    let index = LineIndex::new(text);
    let mut doc = Document::default();
    // GFM gives the `> [!NOTE]` alert syntax the docs use for callouts.
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_GFM;
    let parser = Parser::new_ext(text, options).into_offset_iter();

    let mut collect = Collect::None;
    let mut inline = Inline::default();
    let mut link_stack: Vec<(String, usize)> = Vec::new();
    let mut strong_depth = 0usize;
    let mut strong_chars = 0usize;
    let mut in_metadata = false;
    // The `---` line that opens the front matter.
    let mut metadata_line = 1;
    let mut metadata = String::new();
    let mut code: Option<(String, String, usize)> = None;
    let mut html: Option<(String, usize)> = None;
    let mut table: Option<(Vec<Inline>, Vec<Row>, usize)> = None;
    let mut row: Vec<Inline> = Vec::new();
    let mut row_start = 0usize;
    let mut in_head = false;
    // Items of nested lists flush their text at the inner start, so the outer item restarts.
    let mut item_depth = 0usize;
    // The callout being read: its paragraphs go into one block.
    let mut callout: Option<(CalloutKind, Inline, usize)> = None;
    let mut quote_depth = 0usize;

    for (event, range) in parser {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => {
                in_metadata = true;
                metadata_line = index.line(range.start);
            }
            Event::End(TagEnd::MetadataBlock(_)) => in_metadata = false,
            Event::Start(Tag::Heading { level, .. }) => {
                collect = Collect::Heading(heading_level(level), range.start);
                inline = Inline::default();
                strong_chars = 0;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Collect::Heading(level, start) = collect {
                    finish_strong(&mut inline, strong_chars);
                    doc.blocks.push(Block::Heading {
                        level,
                        text: std::mem::take(&mut inline),
                        line: index.line(start),
                    });
                }
                collect = Collect::None;
            }
            Event::Start(Tag::Paragraph) => {
                if matches!(collect, Collect::Item(_)) {
                    flush_item(&mut doc, &mut inline, &mut collect, &index);
                }
                collect = Collect::Paragraph(range.start);
                inline = Inline::default();
            }
            Event::End(TagEnd::Paragraph) => {
                if let Collect::Paragraph(start) = collect {
                    let text = std::mem::take(&mut inline);
                    match callout.as_mut() {
                        Some((_, into, _)) => append(into, text),
                        None => push_paragraph(&mut doc, text, index.line(start)),
                    }
                }
                collect = if item_depth > 0 { Collect::Item(range.end) } else { Collect::None };
            }
            Event::Start(Tag::Item) => {
                if matches!(collect, Collect::Item(_)) {
                    flush_item(&mut doc, &mut inline, &mut collect, &index);
                }
                item_depth += 1;
                collect = Collect::Item(range.start);
                inline = Inline::default();
            }
            Event::End(TagEnd::Item) => {
                if matches!(collect, Collect::Item(_)) {
                    flush_item(&mut doc, &mut inline, &mut collect, &index);
                }
                item_depth = item_depth.saturating_sub(1);
                collect = if item_depth > 0 { Collect::Item(range.end) } else { Collect::None };
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                quote_depth += 1;
                if let (Some(kind), None) = (kind, &callout) {
                    callout = Some((CalloutKind::from_gfm(kind), Inline::default(), range.start));
                    // Its paragraphs belong to the callout, not to a list item around it.
                    if matches!(collect, Collect::Item(_)) {
                        flush_item(&mut doc, &mut inline, &mut collect, &index);
                    }
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quote_depth = quote_depth.saturating_sub(1);
                if quote_depth == 0 {
                    if let Some((kind, text, start)) = callout.take() {
                        doc.blocks.push(Block::Callout { kind, text, line: index.line(start) });
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                table = Some((Vec::new(), Vec::new(), range.start));
            }
            Event::End(TagEnd::Table) => {
                if let Some((header, rows, start)) = table.take() {
                    doc.blocks.push(Block::Table { header, rows, line: index.line(start) });
                }
            }
            Event::Start(Tag::TableHead) => {
                in_head = true;
                row = Vec::new();
            }
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some((header, _, _)) = table.as_mut() {
                    *header = std::mem::take(&mut row);
                }
            }
            Event::Start(Tag::TableRow) => {
                row = Vec::new();
                row_start = range.start;
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((_, rows, _)) = table.as_mut() {
                    if !in_head {
                        rows.push(Row { cells: std::mem::take(&mut row), line: index.line(row_start) });
                    }
                }
            }
            Event::Start(Tag::TableCell) => {
                collect = Collect::Cell;
                inline = Inline::default();
                strong_chars = 0;
            }
            Event::End(TagEnd::TableCell) => {
                finish_strong(&mut inline, strong_chars);
                row.push(std::mem::take(&mut inline));
                collect = Collect::None;
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new(), range.start));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text, start)) = code.take() {
                    // The fence line is `start`; content begins on the next line.
                    doc.blocks.push(Block::Code { lang, text, line: index.line(start) });
                }
            }
            Event::Start(Tag::HtmlBlock) => html = Some((String::new(), range.start)),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((text, start)) = html.take() {
                    doc.blocks.push(Block::Html { text, line: index.line(start) });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                link_stack.push((dest_url.to_string(), inline.text.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, start)) = link_stack.pop() {
                    let text = inline.text.get(start..).unwrap_or("").trim().to_string();
                    inline.links.push(Link { text, dest });
                }
            }
            Event::Start(Tag::Strong) => strong_depth += 1,
            Event::End(TagEnd::Strong) => strong_depth = strong_depth.saturating_sub(1),
            Event::Text(t) => {
                if in_metadata {
                    metadata.push_str(&t);
                } else if let Some((_, text, _)) = code.as_mut() {
                    text.push_str(&t);
                } else if let Some((text, _)) = html.as_mut() {
                    text.push_str(&t);
                } else {
                    if strong_depth > 0 {
                        strong_chars += t.trim().len();
                    }
                    inline.text.push_str(&t);
                }
            }
            Event::Code(t) => {
                if strong_depth > 0 {
                    strong_chars += t.len() + 2;
                }
                let fence = if t.contains('`') { "`` " } else { "`" };
                inline.text.push_str(fence);
                inline.text.push_str(&t);
                inline.text.push_str(&fence.chars().rev().collect::<String>());
                inline.code.push(t.to_string());
            }
            Event::Html(t) => {
                if let Some((text, _)) = html.as_mut() {
                    text.push_str(&t);
                } else {
                    // An HTML block outside the block tags (older parser behaviour) or stray.
                    doc.blocks.push(Block::Html { text: t.to_string(), line: index.line(range.start) });
                }
            }
            // `<br>` inside table cells separates lines of one description.
            Event::InlineHtml(t) if t.trim_start().to_ascii_lowercase().starts_with("<br") => inline.text.push(' '),
            Event::SoftBreak | Event::HardBreak => inline.text.push(' '),
            _ => {}
        }
    }
    if matches!(collect, Collect::Item(_)) {
        flush_item(&mut doc, &mut inline, &mut collect, &index);
    }
    (doc.front_matter, doc.front_matter_lines) = parse_front_matter(&metadata, metadata_line);
    doc
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn finish_strong(inline: &mut Inline, strong_chars: usize) {
    let len = inline.text.trim().len();
    inline.strong = len > 0 && strong_chars >= len;
}

fn push_paragraph(doc: &mut Document, text: Inline, line: u32) {
    if text.text.trim().is_empty() {
        return;
    }
    // `[!INCLUDE [name](path)]`, one or more to a paragraph (consecutive lines join into one).
    if text.text.trim_start().starts_with("[!INCLUDE") && !text.links.is_empty() {
        let rest = text.text.replace("[!INCLUDE", "").replace([']', '[', ' '], "");
        let names: String = text.links.iter().map(|l| l.text.replace([']', '[', ' '], "")).collect();
        if rest == names {
            for link in &text.links {
                let name = link.text.trim().to_string();
                doc.blocks.push(Block::Include { name, path: link.dest.clone(), line });
            }
            return;
        }
    }
    doc.blocks.push(Block::Paragraph { text, line });
}

/// Adds a paragraph to a callout's text.
fn append(into: &mut Inline, text: Inline) {
    if !into.text.is_empty() {
        into.text.push(' ');
    }
    into.text.push_str(text.trimmed());
    into.links.extend(text.links);
    into.code.extend(text.code);
}

fn flush_item(doc: &mut Document, inline: &mut Inline, collect: &mut Collect, index: &LineIndex) {
    if let Collect::Item(start) = *collect {
        push_paragraph(doc, std::mem::take(inline), index.line(start));
    }
    *collect = Collect::None;
}

fn parse_front_matter(text: &str, fence_line: u32) -> (BTreeMap<String, String>, BTreeMap<String, u32>) {
    let mut map = BTreeMap::new();
    let mut lines = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '-']) {
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim().trim_matches('"').trim_matches('\'').to_string();
            map.insert(key.trim().to_string(), value);
            lines
                .insert(key.trim().to_string(), fence_line + 1 + u32::try_from(i).unwrap_or(u32::MAX - fence_line - 1));
        }
    }
    (map, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(doc: &Document) -> (&Vec<Inline>, &Vec<Row>) {
        doc.blocks
            .iter()
            .find_map(|b| match b {
                Block::Table { header, rows, .. } => Some((header, rows)),
                _ => None,
            })
            .expect("a table")
    }

    #[test]
    fn tables_with_and_without_alignment_and_leading_pipes() {
        for src in [
            "|Property|Type|Description|\n|---|---|---|\n|id|String|The id.|\n",
            "| Property | Type | Description |\n|:---|:---:|---:|\n| id | String | The id. |\n",
            "Property|Type|Description\n---|---|---\nid|String|The id.\n",
        ] {
            let doc = parse(src);
            let (header, rows) = table(&doc);
            let names: Vec<&str> = header.iter().map(|c| c.trimmed()).collect();
            assert_eq!(names, ["Property", "Type", "Description"], "{src}");
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].cells[0].trimmed(), "id");
            assert_eq!(rows[0].cells[2].trimmed(), "The id.");
            assert_eq!(rows[0].line, 3);
        }
    }

    #[test]
    fn cells_keep_links_code_and_bold() {
        let doc = parse("|a|b|\n|-|-|\n|**Group**|[x](../resources/x.md) collection `c`|\n");
        let (_, rows) = table(&doc);
        assert!(rows[0].cells[0].strong);
        let cell = &rows[0].cells[1];
        assert_eq!(cell.trimmed(), "x collection `c`");
        assert_eq!(cell.links, vec![Link { text: "x".into(), dest: "../resources/x.md".into() }]);
        assert_eq!(cell.code, vec!["c".to_string()]);
        assert!(!cell.strong);
    }

    #[test]
    fn headings_of_any_level_with_lines_and_crlf_and_bom() {
        let doc = parse("\u{feff}# Title\r\n\r\ntext\r\n### Methods\r\n## Properties\r\n");
        let heads: Vec<(u8, String, u32)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text, line } => Some((*level, text.text.clone(), *line)),
                _ => None,
            })
            .collect();
        assert_eq!(heads, [(1, "Title".into(), 1), (3, "Methods".into(), 4), (2, "Properties".into(), 5)]);
    }

    #[test]
    fn callouts_and_include_lines() {
        let src = "# x\n\n> [!NOTE]\n> One [link](a.md).\n>\n> Two.\n\n[!INCLUDE [beta](../../includes/beta.md)]\n[!INCLUDE [p](../includes/p.md)]\n\nText [!INCLUDE [q](q.md)] inline.\n\n> Plain quote.\n";
        let doc = parse(src);
        let callout = doc.blocks.iter().find_map(|b| match b {
            Block::Callout { kind, text, line } => Some((*kind, text.text.clone(), text.links.len(), *line)),
            _ => None,
        });
        assert_eq!(callout, Some((CalloutKind::Note, "One link. Two.".to_string(), 1, 3)));
        let includes: Vec<(&str, &str, u32)> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Include { name, path, line } => Some((name.as_str(), path.as_str(), *line)),
                _ => None,
            })
            .collect();
        assert_eq!(includes, [("beta", "../../includes/beta.md", 8), ("p", "../includes/p.md", 8)]);
        // An include inside a sentence is text, and a plain quote is a paragraph.
        let paragraphs: Vec<&str> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(paragraphs, ["Text [!INCLUDE q] inline.", "Plain quote."]);
    }

    #[test]
    fn front_matter_and_html_comment_and_code() {
        let src = "---\ntitle: \"Get x\"\ndescription: d\n---\n# Get x\n<!-- {\n  \"blockType\": \"request\"\n} -->\n```http\nGET /x\n```\n";
        let doc = parse(src);
        assert_eq!(doc.front_matter.get("title").map(String::as_str), Some("Get x"));
        assert_eq!(doc.front_matter_lines.get("description"), Some(&3));
        assert!(matches!(&doc.blocks[1], Block::Html { text, line: 6 } if text.contains("blockType")));
        assert!(matches!(&doc.blocks[2], Block::Code { lang, text, line: 9 } if lang == "http" && text == "GET /x\n"));
    }

    #[test]
    fn list_items_become_paragraphs() {
        let doc = parse("- one `a`\n- two\n  - nested\n");
        let texts: Vec<String> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text, .. } => Some(text.text.trim().to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["one `a`", "two", "nested"]);
    }
}
