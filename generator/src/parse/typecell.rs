//! Type cells of Properties tables (`String`, `[x](link) collection`, `Collection(Edm.Guid)`).

use super::markdown::Inline;
use crate::ir::Primitive;

/// What a type cell says, before names are resolved against the other pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeCell {
    Primitive(Primitive),
    Json,
    /// A type given by name, with the link target when the cell links it.
    Named {
        name: String,
        link: Option<String>,
    },
    Collection(Box<TypeCell>),
}

/// Parses a type cell; the error says what was found.
pub fn parse(cell: &Inline) -> Result<TypeCell, String> {
    let raw = cell.trimmed();
    let text: String = raw.chars().filter(|c| !matches!(c, '`' | '*' | '\\')).collect();
    let mut text = text.trim();
    // Reference-style links whose definition is missing stay literal: `[x][]`.
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix("][]")) {
        text = inner;
    }
    if text.is_empty() {
        return Err("expected a type, found an empty cell".into());
    }
    let text = without_remarks(text).0;
    // `Collection of [x] object` / `Collection of String`, as some cells and Methods tables write it.
    let lower = text.to_ascii_lowercase();
    let text = match lower.strip_prefix("collection of ") {
        Some(_) => {
            let item = text["collection of ".len()..].trim();
            let item = ["objects", "object"].iter().find_map(|w| item.strip_suffix(w)).unwrap_or(item).trim();
            return parse_single(item, cell)
                .map(|t| TypeCell::Collection(Box::new(t)))
                .ok_or_else(|| format!("expected a type name, found `{raw}`"));
        }
        None => text,
    };
    let lower = text.to_ascii_lowercase();
    let (inner, collection) = if let Some(rest) = lower.strip_prefix("collection(").and_then(|r| r.strip_suffix(')')) {
        (&text[text.len() - rest.len() - 1..text.len() - 1], true)
    } else if let Some(rest) = lower.strip_suffix(" collection") {
        (&text[..rest.len()], true)
    } else if let Some(rest) = lower.strip_suffix("[]") {
        (&text[..rest.len()], true)
    } else {
        (text, false)
    };
    let item = parse_single(inner.trim(), cell).ok_or_else(|| format!("expected a type name, found `{raw}`"))?;
    Ok(if collection { TypeCell::Collection(Box::new(item)) } else { item })
}

/// The remarks a type cell carries after its type (`String (enum)`, `string (readonly)`,
/// `Boolean (nullable)`), lower-cased, in order.
pub fn remarks(cell: &Inline) -> Vec<String> {
    without_remarks(cell.trimmed()).1
}

/// Splits trailing parenthesized remarks off a type: `String (enum) (readonly)` is `String` with
/// `enum` and `readonly`. `Collection(x)` has no space before its parenthesis and stays whole.
fn without_remarks(text: &str) -> (&str, Vec<String>) {
    let mut text = text.trim();
    let mut remarks = Vec::new();
    // `string(enum)`, without a space: only the known remark words, so that `Collection(x)` stays.
    for word in ["enum", "readonly", "read-only", "optional", "nullable", "url"] {
        let lower = text.to_ascii_lowercase();
        if let Some(head) =
            lower.strip_suffix(&format!("({word})")).filter(|h| h.ends_with(|c: char| c.is_ascii_alphanumeric()))
        {
            remarks.push(word.to_string());
            text = text[..head.len()].trim_end();
        }
    }
    while let Some(open) = text.strip_suffix(')').and_then(|t| t.rfind(" (")) {
        let inner = &text[open + 2..text.len() - 1];
        let head = text[..open].trim_end();
        let is_words = !inner.trim().is_empty()
            && inner.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | ',' | '/'));
        if head.is_empty() || !is_words {
            break;
        }
        remarks.insert(0, inner.trim().to_ascii_lowercase());
        text = head;
    }
    (text, remarks)
}

fn parse_single(text: &str, cell: &Inline) -> Option<TypeCell> {
    let text = text.trim_start_matches('[').trim_end_matches(']').trim();
    if let Some(link) = cell.links.iter().find(|l| text.contains(l.text.as_str()) && !l.text.is_empty()) {
        let name = link.text.trim_matches(|c| matches!(c, '`' | '*' | '[' | ']')).trim();
        if let Some(p) = Primitive::from_name(name) {
            return Some(TypeCell::Primitive(p));
        }
        return Some(TypeCell::Named { name: name.to_string(), link: Some(link.dest.clone()) });
    }
    if let Some(p) = Primitive::from_name(text) {
        return Some(TypeCell::Primitive(p));
    }
    let lower = text.to_ascii_lowercase();
    if lower == "json" || lower == "object" || lower == "edm.untyped" {
        return Some(TypeCell::Json);
    }
    let is_name = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && text.starts_with(|c: char| c.is_ascii_alphabetic());
    is_name.then(|| TypeCell::Named { name: text.to_string(), link: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::Link;

    fn cell(text: &str, links: &[(&str, &str)]) -> Inline {
        Inline {
            text: text.into(),
            links: links.iter().map(|(t, d)| Link { text: t.to_string(), dest: d.to_string() }).collect(),
            ..Inline::default()
        }
    }

    fn named(name: &str, link: Option<&str>) -> TypeCell {
        TypeCell::Named { name: name.into(), link: link.map(str::to_string) }
    }

    #[test]
    fn type_cells() {
        let coll = |t| TypeCell::Collection(Box::new(t));
        let cases: Vec<(Inline, TypeCell)> = vec![
            (cell("String", &[]), TypeCell::Primitive(Primitive::String)),
            (cell("string", &[]), TypeCell::Primitive(Primitive::String)),
            (cell("GUID", &[]), TypeCell::Primitive(Primitive::Guid)),
            (cell("Edm.Int32", &[]), TypeCell::Primitive(Primitive::Int32)),
            (cell("dateTimeOffset", &[]), TypeCell::Primitive(Primitive::DateTimeOffset)),
            (cell("TimeOfDay", &[]), TypeCell::Primitive(Primitive::TimeOfDay)),
            (cell("String collection", &[]), coll(TypeCell::Primitive(Primitive::String))),
            (cell("Collection(Edm.Guid)", &[]), coll(TypeCell::Primitive(Primitive::Guid))),
            (cell("Collection(microsoft.graph.x)", &[]), coll(named("microsoft.graph.x", None))),
            (cell("x", &[("x", "../resources/x.md")]), named("x", Some("../resources/x.md"))),
            (cell("x collection", &[("x", "x.md")]), coll(named("x", Some("x.md")))),
            (cell("Collection(x)", &[("x", "x.md")]), coll(named("x", Some("x.md")))),
            (cell("[x][]", &[]), named("x", None)),
            (cell("`mobileAppPublishingState`", &[]), named("mobileAppPublishingState", None)),
            (cell("microsoft.graph.callRecords.session", &[]), named("microsoft.graph.callRecords.session", None)),
            (cell("Json", &[]), TypeCell::Json),
            (cell("Binary", &[]), TypeCell::Primitive(Primitive::Binary)),
            // Remarks after the type (docs of 2022 on) are not part of it.
            (cell("String (enum)", &[]), TypeCell::Primitive(Primitive::String)),
            (cell("string (readonly)", &[]), TypeCell::Primitive(Primitive::String)),
            (cell("String collection (enum)", &[]), coll(TypeCell::Primitive(Primitive::String))),
            (cell("x (read-only) (nullable)", &[("x", "x.md")]), named("x", Some("x.md"))),
            (cell("Collection(x) (optional)", &[("x", "x.md")]), coll(named("x", Some("x.md")))),
            (cell("string(enum)", &[]), TypeCell::Primitive(Primitive::String)),
            (cell("Collection of String", &[]), coll(TypeCell::Primitive(Primitive::String))),
            (cell("Collection of x object", &[("x", "x.md")]), coll(named("x", Some("x.md")))),
        ];
        for (input, expected) in cases {
            assert_eq!(parse(&input).as_ref(), Ok(&expected), "{:?}", input.text);
        }
    }

    #[test]
    fn remarks_are_read_apart() {
        assert_eq!(remarks(&cell("String (enum)", &[])), ["enum"]);
        assert_eq!(remarks(&cell("String (enum) (read-only)", &[])), ["enum", "read-only"]);
        assert!(remarks(&cell("Collection(Edm.String)", &[])).is_empty());
    }

    #[test]
    fn odd_cells_are_errors_with_the_text() {
        assert_eq!(parse(&cell("A or B", &[])), Err("expected a type name, found `A or B`".to_string()));
        assert_eq!(parse(&cell("(enum)", &[])), Err("expected a type name, found `(enum)`".to_string()));
        assert_eq!(
            parse(&cell("String (see 1.2)", &[])),
            Err("expected a type name, found `String (see 1.2)`".to_string())
        );
        assert!(parse(&cell("", &[])).is_err());
    }
}
