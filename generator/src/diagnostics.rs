//! Diagnostics: what the generator found wrong with the docs, located by file and line.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// A position in a docs page: the path relative to the docs root, and a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub file: String,
    pub line: u32,
}

impl Span {
    pub fn new(file: impl Into<String>, line: u32) -> Self {
        Span { file: file.into(), line }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What a diagnostic is about; the summary at the end of a run counts by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The page could not be read or decoded.
    UnreadablePage,
    /// A page whose structure the parser could not make sense of (no title, no tables...).
    MalformedPage,
    /// A table whose header or rows do not have the expected shape.
    MalformedTable,
    /// The HTML-comment annotation before a code block is not valid.
    MalformedAnnotation,
    /// A JSON block that could not be read.
    MalformedJson,
    /// A Properties-table row and the JSON representation disagree.
    TableJsonMismatch,
    /// A type cell names a type the docs do not define.
    UnresolvedType,
    /// A type cell that could not be understood.
    UnknownTypeCell,
    /// A link to a page that does not exist.
    BrokenLink,
    /// A link that leaves the docs tree.
    LinkOutsideDocs,
    /// An API page without a usable HTTP request line.
    MalformedRequest,
    /// Two definitions that cannot both hold.
    Conflict,
    /// A name that had to be changed to become a Rust identifier.
    Renamed,
    /// An example value that does not fit its declared type.
    ExampleMismatch,
    /// Inheritance stated in text and in the annotation disagree.
    InheritanceMismatch,
    /// Page metadata (`ms.subservice`, `ms.prod`) that the area vocabulary does not know.
    UnknownArea,
    /// A namespace or type named in another case than the pages that define it.
    WrongCase,
    /// A name that cannot become a Rust identifier; its item was left out of the crate.
    InvalidName,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UnreadablePage => "unreadable-page",
            Kind::MalformedPage => "malformed-page",
            Kind::MalformedTable => "malformed-table",
            Kind::MalformedAnnotation => "malformed-annotation",
            Kind::MalformedJson => "malformed-json",
            Kind::TableJsonMismatch => "table-json-mismatch",
            Kind::UnresolvedType => "unresolved-type",
            Kind::UnknownTypeCell => "unknown-type-cell",
            Kind::BrokenLink => "broken-link",
            Kind::LinkOutsideDocs => "link-outside-docs",
            Kind::MalformedRequest => "malformed-request",
            Kind::Conflict => "conflict",
            Kind::Renamed => "renamed",
            Kind::ExampleMismatch => "example-mismatch",
            Kind::InheritanceMismatch => "inheritance-mismatch",
            Kind::UnknownArea => "unknown-area",
            Kind::WrongCase => "wrong-case",
            Kind::InvalidName => "invalid-name",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub span: Span,
    pub kind: Kind,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {} [{}]", self.span, self.message, self.kind.as_str())
    }
}

/// Collects diagnostics; pages are processed independently, so each gets its own sink and the
/// sinks are merged (and sorted) at the end, which keeps output independent of thread timing.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, span: Span, kind: Kind, message: impl Into<String>) {
        self.items.push(Diagnostic { span, kind, message: message.into() });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Sorted, deduplicated diagnostics.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(move |d| d.kind == kind)
    }
}

/// Counts per kind, for the summary line that ends a run.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    if diagnostics.is_empty() {
        return "no warnings".to_string();
    }
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for d in diagnostics {
        *counts.entry(d.kind.as_str()).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("{} warnings: {}", diagnostics.len(), parts.join(", "))
}
