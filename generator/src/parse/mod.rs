//! Parsing: markdown pages to page models, with the line every item came from.

pub mod lenient;
pub mod markdown;
pub mod page;
pub mod typecell;
pub mod values;

pub use page::Page;

use crate::diagnostics::Diagnostics;

/// Parses one page's text; `path` is relative to the docs root.
pub fn parse_page(path: &str, text: &str, diags: &mut Diagnostics) -> Page {
    let doc = markdown::parse(text);
    page::build(path, &doc, diags)
}
