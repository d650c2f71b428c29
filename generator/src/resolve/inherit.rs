//! Inheritance: the base type each page states, the fields each struct inherits, and the
//! types derived from each struct.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::{Field, TypeDef, TypeId, TypeKind};
use crate::parse::page::Page;

use super::Resolver;

impl Resolver<'_> {
    /// The base type a page states: its `baseType` annotation or an "Inherits from [x]" phrase.
    /// When both are there and disagree, that is reported and the annotation wins.
    pub(super) fn base_type(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        id: &TypeId,
        namespace: &str,
    ) -> Option<TypeId> {
        let json = page.json_representation();
        let annotated =
            json.and_then(|b| b.annotation.as_ref()).and_then(|a| a.get("baseType")).and_then(|v| v.as_str());
        let line = json.map_or(page.title_line, |b| b.line);
        let from_annotation = match annotated.map(str::trim).filter(|t| !t.is_empty() && *t != "null") {
            Some(name) => match self.lookup(name, namespace) {
                Some(base) => Some(base),
                None => {
                    let hint = self.did_you_mean(name);
                    diags.push(
                        page.span(line),
                        Kind::UnresolvedType,
                        format!("the baseType `{name}` is not defined by any page{hint}"),
                    );
                    None
                }
            },
            None => None,
        };
        let mut from_text = None;
        'paragraphs: for (inline, pline) in &page.paragraphs {
            let lower = inline.text.to_ascii_lowercase();
            for phrase in ["inherits from", "derives from", "derived from", "is a subtype of"] {
                let Some(at) = lower.find(phrase) else { continue };
                let after = inline.text[at + phrase.len()..].trim_start().trim_start_matches("the ");
                let after = after.trim_start_matches(['[', '`', '*']);
                let stated = inline.links.iter().find(|l| !l.text.is_empty() && after.starts_with(l.text.as_str()));
                let resolved = match stated {
                    Some(link) => {
                        self.link_type(diags, page, &link.dest, *pline).or_else(|| self.lookup(&link.text, namespace))
                    }
                    None => {
                        let word: String =
                            after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_').collect();
                        if word.is_empty() {
                            None
                        } else {
                            self.lookup(&word, namespace)
                        }
                    }
                };
                if let Some(base) = resolved {
                    from_text = Some((base, *pline));
                    break 'paragraphs;
                }
            }
        }
        match (from_annotation, from_text) {
            (Some(a), Some((t, tline))) if a != t => {
                diags.push(
                    page.span(tline),
                    Kind::InheritanceMismatch,
                    format!("the text says `{id}` inherits from `{t}`, the annotation says `{a}`; using `{a}`"),
                );
                Some(a)
            }
            (Some(a), _) => Some(a),
            (None, t) => t.map(|(t, _)| t),
        }
        .filter(|b| b != id)
    }

    /// Copies inherited fields into each derived struct (base first), so that every struct
    /// carries all of its properties. Cycles are reported and cut.
    pub(super) fn inherit(&mut self) {
        let ids: Vec<TypeId> = self.ir.types.keys().cloned().collect();
        let base_of = |types: &BTreeMap<TypeId, TypeDef>, id: &TypeId| match types.get(id).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s.base.clone(),
            _ => None,
        };
        for id in &ids {
            let mut chain = vec![id.clone()];
            while let Some(base) = base_of(&self.ir.types, chain.last().expect("chain starts non-empty")) {
                if chain.contains(&base) && base != *id {
                    // A cycle further up: it is reported and cut when its own types come up.
                    break;
                }
                if chain.contains(&base) {
                    let span = self.ir.types[id].span.clone();
                    self.diags.push(
                        span,
                        Kind::Conflict,
                        format!("inheritance cycle: {} → {base}; the base of `{id}` is dropped", chain.join(" → ")),
                    );
                    if let Some(TypeKind::Struct(s)) = self.ir.types.get_mut(id).map(|t| &mut t.kind) {
                        s.base = None;
                    }
                    chain.truncate(1);
                    break;
                }
                chain.push(base);
            }
            let mut inherited: Vec<Field> = Vec::new();
            for ancestor in chain.iter().skip(1).rev() {
                if let Some(TypeKind::Struct(s)) = self.ir.types.get(ancestor).map(|t| &t.kind) {
                    for f in &s.fields {
                        if !inherited.iter().any(|e| e.json_name == f.json_name) {
                            inherited.push(f.clone());
                        }
                    }
                }
            }
            if let Some(TypeKind::Struct(s)) = self.ir.types.get_mut(id).map(|t| &mut t.kind) {
                let own = std::mem::take(&mut s.fields);
                inherited.retain(|f| !own.iter().any(|o| o.json_name == f.json_name));
                let entity = s.entity || inherited.iter().any(|f| f.json_name == "id");
                s.fields = inherited.into_iter().chain(own).collect();
                s.entity = entity;
            }
        }
    }

    /// "Inherited from [x]" in a property's description (Intune pages, and every page of 2022
    /// on) must name a base of the page's type: otherwise the page and its inheritance
    /// disagree, and the property is kept as the page's own.
    pub(super) fn check_inherited_from(&mut self) {
        let mut found = Vec::new();
        for page in self.pages {
            let Some(id) = self.page_types.get(&page.path) else { continue };
            let Some(def) = self.ir.types.get(id) else { continue };
            let ancestors = self.ancestors(id);
            // A chain that stops at a base no page defines (a partial docs tree) says nothing.
            let top = ancestors.last().unwrap_or(id);
            let top_page = self.ir.types.get(top).map(|t| t.span.file.as_str());
            let top_page = top_page.and_then(|f| self.pages.binary_search_by(|p| p.path.as_str().cmp(f)).ok());
            if top_page.is_some_and(|i| states_base(&self.pages[i])) {
                continue;
            }
            for row in page.properties.iter().chain(&page.relationships) {
                let Some(name) = inherited_from(&row.description.text) else { continue };
                let Some(from) = self.lookup(name, &def.namespace) else { continue };
                if from != *id && !ancestors.contains(&from) {
                    let bases = if ancestors.is_empty() { "none".to_string() } else { ancestors.join(", ") };
                    found.push((
                        page.span(row.line),
                        format!(
                            "`{}` says it is inherited from `{from}`, which is not a base of `{id}` (bases: {bases})",
                            row.name
                        ),
                    ));
                }
            }
        }
        for (span, message) in found {
            self.diags.push(span, Kind::InheritanceMismatch, message);
        }
    }

    /// The bases of a type, nearest first.
    fn ancestors(&self, id: &TypeId) -> Vec<TypeId> {
        let mut out: Vec<TypeId> = Vec::new();
        let mut at = id;
        while let Some(TypeKind::Struct(s)) = self.ir.types.get(at).map(|t| &t.kind) {
            match &s.base {
                Some(base) if base != id && !out.contains(base) => {
                    out.push(base.clone());
                    at = out.last().expect("just pushed");
                }
                _ => break,
            }
        }
        out
    }

    /// Records, on every struct, the types derived from it.
    pub(super) fn derive_lists(&mut self) {
        let mut derived: BTreeMap<TypeId, BTreeSet<TypeId>> = BTreeMap::new();
        for (id, t) in &self.ir.types {
            let TypeKind::Struct(s) = &t.kind else { continue };
            let mut base = s.base.clone();
            let mut seen = BTreeSet::new();
            while let Some(b) = base {
                if !seen.insert(b.clone()) {
                    break;
                }
                derived.entry(b.clone()).or_default().insert(id.clone());
                base = match self.ir.types.get(&b).map(|t| &t.kind) {
                    Some(TypeKind::Struct(s)) => s.base.clone(),
                    _ => None,
                };
            }
        }
        for (id, list) in derived {
            if let Some(TypeKind::Struct(s)) = self.ir.types.get_mut(&id).map(|t| &mut t.kind) {
                s.derived = list.into_iter().collect();
            }
        }
    }
}

/// Whether a page says its type has a base (whether or not that base could be found).
fn states_base(page: &Page) -> bool {
    let annotated = page
        .json_representation()
        .and_then(|b| b.annotation.as_ref())
        .and_then(|a| a.get("baseType"))
        .and_then(|v| v.as_str())
        .is_some_and(|t| !t.trim().is_empty() && t.trim() != "null");
    annotated
        || page.paragraphs.iter().any(|(p, _)| {
            let lower = p.text.to_ascii_lowercase();
            ["inherits from", "derives from", "derived from", "is a subtype of"].iter().any(|w| lower.contains(w))
        })
}

/// The type named by "Inherited from x" in a description, if any.
pub(super) fn inherited_from(description: &str) -> Option<&str> {
    let at = description.to_ascii_lowercase().find("inherited from ")? + "inherited from ".len();
    let name = description[at..].trim_start_matches(['[', '`', '*', ' ']);
    let end = name.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_')).unwrap_or(name.len());
    let name = name[..end].trim_end_matches('.');
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Diagnostics, Kind};
    use crate::ir::{Ir, TypeKind};
    use crate::parse::page::Page;
    use crate::resolve::resolve;

    fn resolve_pages(pages: &[(&str, &str)]) -> (Ir, Diagnostics) {
        let mut diags = Diagnostics::new();
        let mut parsed: Vec<Page> =
            pages.iter().map(|(path, text)| crate::parse::parse_page(path, text, &mut diags)).collect();
        parsed.sort_by(|a, b| a.path.cmp(&b.path));
        let ir = resolve(&parsed, &mut diags);
        (ir, diags)
    }

    fn base(ir: &Ir, id: &str) -> Option<String> {
        match &ir.types[id].kind {
            TypeKind::Struct(s) => s.base.clone(),
            TypeKind::Enum(_) => None,
        }
    }

    #[test]
    fn inheritance_wordings() {
        let props = "\n## Properties\n|Property|Type|Description|\n|-|-|-|\n";
        let (ir, diags) = resolve_pages(&[
            ("resources/x.md", &format!("# x resource type\n\nThe base type for types that will inherit from this one.\n{props}|a|String|A.|\n")),
            ("resources/y.md", &format!("# y resource type\n\nInherits from [x](x.md).\n{props}|b|String|B.|\n")),
            ("resources/z.md", &format!("# z resource type\n\nDerived from the [y](y.md) type.\n{props}|c|String|C.|\n")),
            (
                "resources/w.md",
                &format!("# w resource type\n\nInherits from [x](x.md).\n{props}|d|String|D.|\n## JSON representation\n<!-- {{\"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.w\", \"baseType\": \"microsoft.graph.y\"}} -->\n```json\n{{\"d\": \"String\"}}\n```\n"),
            ),
        ]);
        assert_eq!(base(&ir, "microsoft.graph.x"), None, "a reverse wording is not inheritance");
        assert_eq!(base(&ir, "microsoft.graph.y").as_deref(), Some("microsoft.graph.x"));
        assert_eq!(base(&ir, "microsoft.graph.z").as_deref(), Some("microsoft.graph.y"));
        assert_eq!(base(&ir, "microsoft.graph.w").as_deref(), Some("microsoft.graph.y"), "the annotation wins");
        assert!(diags.of_kind(Kind::InheritanceMismatch).any(|d| d.span.file == "resources/w.md"));
        let TypeKind::Struct(z) = &ir.types["microsoft.graph.z"].kind else { unreachable!() };
        let names: Vec<&str> = z.fields.iter().map(|f| f.json_name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"], "inherited fields come first, base first");
        let TypeKind::Struct(x) = &ir.types["microsoft.graph.x"].kind else { unreachable!() };
        assert_eq!(x.derived, ["microsoft.graph.w", "microsoft.graph.y", "microsoft.graph.z"]);
        assert_eq!(x.any_name.as_deref(), Some("AnyX"));
    }
}
