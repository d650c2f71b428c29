//! Links in docs text: each description link to another page of the docs or to the web is kept
//! with the text it is on, so that rustdoc can link it (a type's page to the generated type, any
//! other page to its public docs page); links to pages the tree does not hold are dropped, and
//! their text stays plain.

use std::collections::BTreeSet;

use super::symbols::join_link;
use crate::ir::{DocLink, Ir, LinkTarget, TypeKind};
use crate::parse::markdown::Link;
use crate::parse::page::Page;

/// The links of a page's text that may become rustdoc links.
pub(super) fn from_markdown(page: &str, links: &[Link]) -> Vec<DocLink> {
    let mut out: Vec<DocLink> = Vec::new();
    for link in links {
        let text = link.text.trim();
        if text.is_empty() || text.contains(['\n', '[', ']']) {
            continue;
        }
        let dest = link.dest.trim();
        // Site-absolute links (`/graph/throttling`) are pages of the public docs site.
        let site =
            (dest.starts_with('/') && !dest.starts_with("//")).then(|| format!("https://learn.microsoft.com{dest}"));
        let dest = site.as_deref().unwrap_or(dest);
        let target = if dest.starts_with("https://") || dest.starts_with("http://") {
            let plain = dest.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '`'));
            let balanced = dest.matches('(').count() == dest.matches(')').count();
            if !(plain && balanced) {
                continue;
            }
            LinkTarget::Url(dest.to_string())
        } else {
            match join_link(page, dest) {
                Ok(Some(p)) if p.ends_with(".md") => LinkTarget::Page(p),
                _ => continue,
            }
        };
        let link = DocLink { text: text.to_string(), target };
        if !out.contains(&link) {
            out.push(link);
        }
    }
    out
}

/// Drops the links to pages that are not in the docs tree.
pub(super) fn settle(ir: &mut Ir, pages: &[Page]) {
    let known: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let keep = |links: &mut Vec<DocLink>| {
        links.retain(|l| match &l.target {
            LinkTarget::Page(p) => known.contains(p.as_str()),
            LinkTarget::Url(_) => true,
        })
    };
    for def in ir.types.values_mut() {
        keep(&mut def.links);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| keep(&mut f.links)),
            TypeKind::Enum(e) => e.members.iter_mut().for_each(|m| keep(&mut m.links)),
        }
    }
    for op in ir.operations.values_mut() {
        keep(&mut op.links);
    }
}
