//! What every emitter builds its tokens with: identifiers made only from names that are
//! identifiers, docs text as `#[doc]` attributes, provenance as `#[comment]` attributes (printed
//! as `//` lines), `#[cfg]` gates, and the step that turns a file's tokens into formatted text.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The identifier `name`, or `None` when `name` cannot be one: the sanitizer's output is
/// ASCII, and a keyword comes as a raw identifier (`r#type`).
///
/// `proc_macro2::Ident::new` panics on input that is not an identifier and accepts keywords
/// as plain identifiers (which then fail to parse as part of the file), so the rules are checked
/// here first.
pub(crate) fn checked_ident(name: &str) -> Option<Ident> {
    let (raw, word) = match name.strip_prefix("r#") {
        Some(rest) => (true, rest),
        None => (false, name),
    };
    let mut chars = word.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') || word == "_" {
        return None;
    }
    let keyword = crate::naming::is_keyword(word);
    match (raw, keyword) {
        (false, false) => Some(Ident::new(word, Span::call_site())),
        (true, true) if crate::naming::can_be_raw(word) => Some(Ident::new_raw(word, Span::call_site())),
        _ => None,
    }
}

/// The identifier for a name the emitter has already checked (`names::check` leaves out every
/// item whose names are not identifiers, with a diagnostic). A failure here is a bug in the
/// generator; the per-file guard in `emit` reports it as an error naming the item.
pub(crate) fn ident(name: &str) -> Ident {
    match checked_ident(name) {
        Some(ident) => ident,
        None => panic!("`{name}` is not an identifier"),
    }
}

/// `#[doc = " line"]` for each line of docs text, made safe for rustdoc by [`doc_line`].
/// prettyplease prints each as a `///` line.
pub(crate) fn doc(text: &str) -> TokenStream {
    linked_doc(text, &[])
}

/// Like [`doc`], with the first occurrence of each link's text made a markdown link to its
/// destination (an intra-doc path or a URL).
pub(crate) fn linked_doc(text: &str, links: &[(&str, String)]) -> TokenStream {
    let mut used = vec![false; links.len()];
    let lines = text.lines().map(|line| {
        // The links of this line: the first occurrence of each unused link text, in order and
        // not overlapping.
        let mut found: Vec<(usize, usize, usize)> = links
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .filter_map(|(i, (text, _))| line.find(text).map(|at| (at, at + text.len(), i)))
            .collect();
        found.sort();
        let mut spans: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
        for (start, end, i) in found {
            if spans.last().map_or(true, |(r, _)| r.end <= start) {
                used[i] = true;
                spans.push((start..end, links[i].1.as_str()));
            }
        }
        doc_line_with(line, &spans)
    });
    quote! { #(#[doc = #lines])* }
}

pub(crate) fn inner_doc(text: &str) -> TokenStream {
    let lines = text.lines().map(doc_line);
    quote! { #(#![doc = #lines])* }
}

/// Where in the docs an item comes from, printed as `// Source: page, line N.` above it.
pub(crate) fn source(span: &crate::diagnostics::Span) -> TokenStream {
    let text = format!(" Source: `{}`, line {}.", doc_line(&span.file).trim_start(), span.line);
    quote! { #[comment = #text] }
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", ...))]` for an item compiled for the
/// areas in `cfg`; nothing when it always is.
pub(crate) fn cfg(cfg: &[String]) -> TokenStream {
    match cfg {
        [] => TokenStream::new(),
        [one] => quote! { #[cfg(feature = #one)] },
        many => quote! { #[cfg(any(#(feature = #many),*))] },
    }
}

/// A file's tokens as formatted source: parsed into a `syn::File` and printed by prettyplease.
pub(crate) fn format_file(tokens: TokenStream) -> Result<String, syn::Error> {
    let file: syn::File = syn::parse2(tokens)?;
    Ok(prettyplease::unparse(&file))
}

/// One line of docs text for a doc attribute, with a leading space as `///` comments have:
/// control characters and the Unicode controls that reorder displayed text are dropped (rustc
/// rejects them in comments), brackets are escaped so that the text cannot become an intra-doc
/// link, `<` outside code spans is escaped so that `+<country code>` is not read as an HTML tag,
/// bare URLs become autolinks (`<https://...>`, which rustdoc wants), and trailing whitespace
/// is trimmed.
///
/// This is markdown escaping for rustdoc, which no crate does for this purpose; the Rust-level
/// escaping of the string itself is `proc_macro2::Literal`'s.
pub(crate) fn doc_line(line: &str) -> String {
    doc_line_with(line, &[])
}

/// [`doc_line`], with the byte ranges of `links` made markdown links to their destinations.
fn doc_line_with(line: &str, links: &[(std::ops::Range<usize>, &str)]) -> String {
    let trimmed = line.trim_end();
    let mut out = String::with_capacity(trimmed.len() + 1);
    if !trimmed.is_empty() {
        out.push(' ');
    }
    let plain = |b: u8| b.is_ascii() && !b.is_ascii_control() && !matches!(b, b'[' | b']' | b'<');
    if links.is_empty() && trimmed.bytes().all(plain) && !trimmed.contains("://") {
        out.push_str(trimmed);
        return out;
    }
    let mut in_code = false;
    let mut pos = 0;
    let mut next_link = links.iter().peekable();
    while pos < line.len() {
        if let Some((range, dest)) = next_link.next_if(|(r, _)| r.start == pos) {
            out.push('[');
            escape(&line[range.clone()], &mut in_code, false, &mut out);
            out.push_str("](");
            out.push_str(dest);
            out.push(')');
            pos = range.end;
            continue;
        }
        let end = next_link.peek().map_or(line.len(), |(r, _)| r.start);
        escape(&line[pos..end], &mut in_code, true, &mut out);
        pos = end;
    }
    // Dropped characters may have exposed trailing whitespace.
    out.truncate(out.trim_end().len());
    out
}

/// Appends `text` escaped for a doc comment; `in_code` tracks code spans across calls, and
/// bare URLs become autolinks where `autolink` (not inside a link's own text).
fn escape(text: &str, in_code: &mut bool, autolink: bool, out: &mut String) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if autolink && !*in_code && (rest.starts_with("https://") || rest.starts_with("http://")) {
            let url = url_prefix(rest);
            out.push('<');
            out.extend(url.chars().filter(|c| is_kept(*c)));
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        match c {
            '`' => {
                *in_code = !*in_code;
                out.push('`');
            }
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' if !*in_code => out.push_str("\\<"),
            // rustdoc and clippy take a tab in docs for a mistake; its width was never meant.
            '\t' => out.push(' '),
            c if !is_kept(c) => {}
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(tokens: TokenStream) -> String {
        format_file(tokens).unwrap()
    }

    #[test]
    fn doc_text_cannot_escape_its_comment() {
        let d = doc("ends */ here \"# and `x` [link](y)\u{1b}[31m\u{202E}rtl\n\nsecond\r\n  ");
        let text = formatted(quote! { #d struct S; });
        assert_eq!(text, "/// ends */ here \"# and `x` \\[link\\](y)\\[31mrtl\n///\n/// second\n///\nstruct S;\n");
    }

    #[test]
    fn doc_text_links_its_urls_and_escapes_html_lookalikes() {
        let cases = [
            ("See https://example.com/a(b).aspx.", " See <https://example.com/a(b).aspx>."),
            ("(at https://example.com/x), or", " (at <https://example.com/x>), or"),
            ("format \"+<country code> <number>\"", " format \"+\\<country code> \\<number>\""),
            ("code `a<b>` and `https://x.y` stay", " code `a<b>` and `https://x.y` stay"),
            ("already <https://example.com>", " already \\<<https://example.com>>"),
            ("see https://x.y/\u{202E}a\u{1b}b now", " see <https://x.y/ab> now"),
            ("/starts with a slash", " /starts with a slash"),
        ];
        for (text, expected) in cases {
            assert_eq!(doc_line(text), expected, "{text}");
        }
    }

    #[test]
    fn links_become_markdown_links_once_and_other_text_stays_escaped() {
        let links = [("`user`", "crate::User".to_string()), ("group", "https://example.com/g?x=1".to_string())];
        let d = linked_doc("A [x] `user` of a group, another `user`.\nSee group <here>.", &links);
        let text = formatted(quote! { #d struct S; });
        assert_eq!(
            text,
            "/// A \\[x\\] [`user`](crate::User) of a [group](https://example.com/g?x=1), another `user`.\n/// See group \\<here>.\nstruct S;\n"
        );
    }

    #[test]
    fn string_values_are_literals_whatever_they_hold() {
        let value = "a\"b\\c\nd\u{202E}\"; } fn evil() {";
        let text = formatted(quote! { const X: &str = #value; });
        let file = syn::parse_file(&text).unwrap();
        let syn::Item::Const(item) = &file.items[0] else { panic!("{text}") };
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(lit), .. }) = &*item.expr else { panic!("{text}") };
        assert_eq!(lit.value(), value);
    }

    #[test]
    fn sources_and_cfg_gates_print_as_comments_and_attributes() {
        let source = source(&crate::diagnostics::Span::new("resources/a\nb.md", 7));
        let one = cfg(&["a".into()]);
        let many = cfg(&["a".into(), "b".into()]);
        let text = formatted(quote! { #source #one #many fn f() {} });
        assert_eq!(
            text,
            "// Source: `resources/ab.md`, line 7.\n#[cfg(feature = \"a\")]\n#[cfg(any(feature = \"a\", feature = \"b\"))]\nfn f() {}\n"
        );
    }

    #[test]
    fn identifiers_are_checked_before_they_are_made() {
        let table = [
            ("fooBar", Some("fooBar")),
            ("r#type", Some("r#type")),
            ("_1", Some("_1")),
            ("self_", Some("self_")),
            ("type", None),
            ("r#self", None),
            ("r#foo", None),
            ("1abc", None),
            ("a-b", None),
            ("", None),
            ("_", None),
            ("héllo", None),
            ("a b", None),
        ];
        for (name, expected) in table {
            assert_eq!(checked_ident(name).map(|i| i.to_string()).as_deref(), expected, "{name}");
        }
    }
}
