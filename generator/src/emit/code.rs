//! Formatted Rust source written directly as text: an indenting line writer and the escaping
//! that keeps text from the docs inside its comment or string literal.
//!
//! Emission used to build token trees, re-parse them and pretty-print the result; for the whole
//! corpus that round trip was most of the generation time. The layout here is fixed (one item,
//! field, arm or statement per line, four-space indents), and the tests parse every generated
//! file, so a layout mistake cannot go unnoticed.

use std::fmt::{self, Write as _};

/// Appends lines at the current indentation.
#[derive(Debug, Default)]
pub(crate) struct Code {
    text: String,
    depth: usize,
}

/// Writes one line: `put!(code, "pub {}: {},", name, ty)`.
macro_rules! put {
    ($code:expr, $($arg:tt)*) => { $code.line(format_args!($($arg)*)) };
}
/// Writes a line that opens a block (ends with `{`, `(` or `[`) and indents what follows.
macro_rules! open {
    ($code:expr, $($arg:tt)*) => { $code.open(format_args!($($arg)*)) };
}
/// Writes a line that closes one block and opens the next (`) -> T {`, `} else {`).
macro_rules! reopen {
    ($code:expr, $($arg:tt)*) => { $code.reopen(format_args!($($arg)*)) };
}
/// Starts a top-level item: a blank line, its `#[cfg]` gate and its opening line.
macro_rules! item {
    ($code:expr, $cfg:expr, $($arg:tt)*) => {{
        $code.blank();
        $code.cfg($cfg);
        $code.open(format_args!($($arg)*));
    }};
}
/// Dedents and writes the line that closes a block.
macro_rules! close {
    ($code:expr, $($arg:tt)*) => { $code.close(format_args!($($arg)*)) };
}
pub(crate) use {close, item, open, put, reopen};

impl Code {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Goes on from `text`, which ends with a line break.
    pub(crate) fn with_text(text: String) -> Self {
        Self { text, depth: 0 }
    }

    pub(crate) fn finish(self) -> String {
        debug_assert_eq!(self.depth, 0, "unbalanced blocks");
        self.text
    }

    pub(crate) fn line(&mut self, args: fmt::Arguments<'_>) {
        for _ in 0..self.depth {
            self.text.push_str("    ");
        }
        // Writing into a `String` cannot fail.
        let _ = self.text.write_fmt(args);
        self.text.push('\n');
    }

    pub(crate) fn open(&mut self, args: fmt::Arguments<'_>) {
        self.line(args);
        self.depth += 1;
    }

    pub(crate) fn close(&mut self, args: fmt::Arguments<'_>) {
        self.depth = self.depth.saturating_sub(1);
        self.line(args);
    }

    pub(crate) fn reopen(&mut self, args: fmt::Arguments<'_>) {
        self.depth = self.depth.saturating_sub(1);
        self.open(args);
    }

    /// A `// Source: ...` comment: where in the docs the next item comes from.
    pub(crate) fn source(&mut self, span: &crate::diagnostics::Span) {
        let mut file = String::new();
        push_doc_line(&mut file, &span.file);
        put!(self, "// Source: `{file}`, line {}.", span.line);
    }

    pub(crate) fn blank(&mut self) {
        self.text.push('\n');
    }

    /// Text from the docs as `///` lines (or `//!` with `inner`).
    pub(crate) fn doc_with(&mut self, text: &str, inner: bool) {
        let marker = if inner { "//!" } else { "///" };
        for l in text.lines() {
            for _ in 0..self.depth {
                self.text.push_str("    ");
            }
            self.text.push_str(marker);
            let start = self.text.len();
            self.text.push(' ');
            push_doc_line(&mut self.text, l);
            // An empty line is the bare marker.
            if self.text.len() == start + 1 {
                self.text.truncate(start);
            }
            self.text.push('\n');
        }
    }

    pub(crate) fn doc(&mut self, text: &str) {
        self.doc_with(text, false);
    }

    /// `#[cfg(...)]` for an item compiled for the areas in `cfg`; nothing when it always is.
    pub(crate) fn cfg(&mut self, cfg: &[String]) {
        match cfg {
            [] => {}
            [one] => put!(self, "#[cfg(feature = {})]", Lit(one)),
            many => {
                let width: usize = many.iter().map(|f| f.len() + 14).sum();
                if width + 4 * self.depth <= 80 {
                    let list: Vec<String> = many.iter().map(|f| format!("feature = {}", Lit(f))).collect();
                    put!(self, "#[cfg(any({}))]", list.join(", "));
                } else {
                    open!(self, "#[cfg(any(");
                    for (i, f) in many.iter().enumerate() {
                        put!(self, "feature = {}{}", Lit(f), if i + 1 < many.len() { "," } else { "" });
                    }
                    close!(self, "))]");
                }
            }
        }
    }
}

/// Appends one line of docs text, made safe for a `///` comment: control characters and the
/// Unicode controls that reorder displayed text (rustc rejects them in comments) are dropped,
/// brackets are escaped so that the text cannot become an intra-doc link, `<` outside code
/// spans is escaped so that `+<country code>` is not read as an HTML tag, bare URLs become
/// autolinks (`<https://...>`, which rustdoc wants), and trailing whitespace is trimmed.
fn push_doc_line(out: &mut String, line: &str) {
    let line = line.trim_end();
    let plain = |b: u8| b.is_ascii() && !b.is_ascii_control() && !matches!(b, b'[' | b']' | b'<');
    if line.bytes().all(plain) && !line.contains("://") {
        out.push_str(line);
        return;
    }
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if !in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let url = url_prefix(rest);
            out.push('<');
            for c in url.chars().filter(|c| is_kept(*c)) {
                out.push(c);
            }
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '`' => {
                in_code = !in_code;
                out.push('`');
            }
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' if !in_code => out.push_str("\\<"),
            '\t' => out.push('\t'),
            c if !is_kept(c) => {}
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    // Dropped characters may have exposed trailing whitespace.
    out.truncate(out.trim_end().len());
}

/// Whether a character may stay in a comment: not a control character, and not one of the
/// Unicode controls that reorder displayed text (rustc rejects those in comments).
fn is_kept(c: char) -> bool {
    !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The URL at the start of `text`: up to whitespace or a character that cannot be in one, less
/// trailing punctuation of the sentence (a `)` only when it closes nothing in the URL).
fn url_prefix(text: &str) -> &str {
    let end =
        text.find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '`' | '[' | ']')).unwrap_or(text.len());
    let mut url = &text[..end];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
        let unbalanced = trimmed.ends_with(')') && trimmed.matches(')').count() > trimmed.matches('(').count();
        let trimmed = if unbalanced { &trimmed[..trimmed.len() - 1] } else { trimmed };
        if trimmed.len() == url.len() {
            return url;
        }
        url = trimmed;
    }
}

/// A Rust string literal with the text of `.0`, escaped.
pub(crate) struct Lit<'a>(pub(crate) &'a str);

impl fmt::Display for Lit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Most names and paths need no escape; the others use `str`'s `Debug`, whose escapes
        // (`\"`, `\\`, `\n`, `\u{..}`) are all valid Rust string escapes.
        if self.0.bytes().all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\') {
            f.write_str("\"")?;
            f.write_str(self.0)?;
            f.write_str("\"")
        } else {
            write!(f, "{:?}", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_cannot_escape_its_comment() {
        let mut c = Code::new();
        c.doc("ends */ here \"# and `x` [link](y)\u{1b}[31m\u{202E}rtl\n\nsecond\r\n  ");
        assert_eq!(c.finish(), "/// ends */ here \"# and `x` \\[link\\](y)\\[31mrtl\n///\n/// second\n///\n");
    }

    #[test]
    fn doc_text_links_its_urls_and_escapes_html_lookalikes() {
        let cases = [
            ("See https://example.com/a(b).aspx.", "See <https://example.com/a(b).aspx>."),
            ("(at https://example.com/x), or", "(at <https://example.com/x>), or"),
            ("format \"+<country code> <number>\"", "format \"+\\<country code> \\<number>\""),
            ("code `a<b>` and `https://x.y` stay", "code `a<b>` and `https://x.y` stay"),
            ("already <https://example.com>", "already \\<<https://example.com>>"),
            ("see https://x.y/\u{202E}a\u{1b}b now", "see <https://x.y/ab> now"),
        ];
        for (text, expected) in cases {
            let mut out = String::new();
            push_doc_line(&mut out, text);
            assert_eq!(out, expected, "{text}");
        }
    }

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(Lit("/users/{id}").to_string(), "\"/users/{id}\"");
        assert_eq!(Lit("é").to_string(), "\"é\"");
        let lit = Lit("a\"b\\c\nd\u{202E}").to_string();
        assert_eq!(lit, "\"a\\\"b\\\\c\\nd\\u{202e}\"");
        let parsed: syn::LitStr = syn::parse_str(&lit).unwrap();
        assert_eq!(parsed.value(), "a\"b\\c\nd\u{202E}");
    }

    #[test]
    fn blocks_indent_and_cfg_lists_wrap() {
        let mut c = Code::new();
        open!(c, "mod m {{");
        c.cfg(&["a".into()]);
        c.cfg(&["a".into(), "b".into()]);
        c.cfg(&(0..8).map(|i| format!("area-number-{i}")).collect::<Vec<_>>());
        put!(c, "fn f() {{}}");
        close!(c, "}}");
        let text = c.finish();
        assert!(text.starts_with("mod m {\n    #[cfg(feature = \"a\")]\n    #[cfg(any(feature = \"a\", feature = \"b\"))]\n    #[cfg(any(\n        feature = \"area-number-0\",\n"));
        assert!(text.ends_with("        feature = \"area-number-7\"\n    ))]\n    fn f() {}\n}\n"));
        syn::parse_file(&text).unwrap();
    }
}
