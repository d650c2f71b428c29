//! The type registry: which types the pages define, and finding a type by name, link or type cell.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, Kind, Span};
use crate::ir::{DocLink, EnumDef, Origin, StructDef, TypeDef, TypeId, TypeKind, TypeRef};
use crate::parse::page::Page;
use crate::parse::typecell::TypeCell;

use super::{Resolver, ROOT_NAMESPACE};

pub fn is_api_page(page: &Page) -> bool {
    page.path.starts_with("api/") || (!page.requests.is_empty() && page.properties.is_empty())
}

/// `X resource type` → `X`.
fn name_from_title(title: &str) -> Option<String> {
    let lower = title.to_ascii_lowercase();
    let mut cut = title.len();
    for suffix in [
        " resource type",
        " complex type",
        " enum type",
        " enumeration type",
        " entity type",
        " resource",
        " type",
        " object",
        " enum",
        " enumeration",
    ] {
        if lower.ends_with(suffix) {
            cut = title.len() - suffix.len();
            break;
        }
    }
    let name = title[..cut].trim().trim_matches('`');
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    ok.then(|| name.to_string())
}

/// The `Namespace:` line of a page, as written, and its line.
fn namespace_line(page: &Page) -> Option<(String, u32)> {
    page.paragraphs.iter().find_map(|(p, line)| {
        let ns = p.trimmed().strip_prefix("Namespace:")?.trim().trim_matches('`');
        (!ns.is_empty() && !ns.contains(' ')).then(|| (ns.to_string(), *line))
    })
}

/// A type's docs: the page's description, then the callouts that qualify it (those of the
/// sections that describe the type, not of its examples or permissions).
fn type_doc(page: &Page) -> (String, Vec<DocLink>) {
    let mut doc = page.description.clone();
    let mut links = page.description_links.clone();
    let sections = ["", "methods", "properties", "relationships", "json representation"];
    for callout in page.callouts.iter().filter(|c| sections.contains(&c.section.as_str())) {
        if !doc.is_empty() {
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("**{}:** {}", callout.kind.label(), callout.text.trimmed()));
        links.extend(callout.text.links.iter().cloned());
    }
    (doc, super::links::from_markdown(&page.path, &links))
}

/// A link that climbs out of the docs tree.
#[derive(Debug, PartialEq, Eq)]
pub struct OutsideDocs;

/// Joins `link` to the directory of `from` (both relative to the docs root). `Err` when the link
/// climbs out of the docs tree; `Ok(None)` for links that are not to files (URLs, anchors).
pub fn join_link(from: &str, link: &str) -> Result<Option<String>, OutsideDocs> {
    let link = link.split(['#', '?']).next().unwrap_or("").trim();
    if link.is_empty() || link.contains("://") || link.starts_with("mailto:") {
        return Ok(None);
    }
    if link.starts_with('/') || link.starts_with('\\') || link.get(1..2) == Some(":") {
        return Err(OutsideDocs);
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(OutsideDocs);
                }
            }
            s => parts.push(s),
        }
    }
    Ok(Some(parts.join("/")))
}

impl Resolver<'_> {
    /// Chooses one spelling per namespace: the one most pages use (the first in page order on a
    /// tie). The docs spell a few namespaces two ways (`microsoft.graph.termStore` on the
    /// resource pages, `microsoft.graph.termstore` on one enum page); read as written they would
    /// make two modules and two types of one name. Every other spelling is reported.
    pub(super) fn settle_namespaces(&mut self) {
        let mut spellings: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        for page in self.pages {
            let Some((ns, _)) = namespace_line(page) else { continue };
            let seen = spellings.entry(ns.to_ascii_lowercase()).or_default();
            match seen.iter_mut().find(|(s, _)| *s == ns) {
                Some((_, n)) => *n += 1,
                None => seen.push((ns, 1)),
            }
        }
        for (lower, seen) in spellings {
            // `max_by_key` keeps the last of equals; the first in page order should win ties.
            let best = seen.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| s.clone()).unwrap_or_default();
            self.namespaces.insert(lower, best);
        }
        for page in self.pages {
            let Some((ns, line)) = namespace_line(page) else { continue };
            let canonical = self.canonical_namespace(&ns);
            if canonical != ns {
                self.diags.push(
                    page.span(line),
                    Kind::WrongCase,
                    format!("the namespace `{ns}` is spelled `{canonical}` on the other pages that use it; read as `{canonical}`"),
                );
            }
        }
    }

    /// A namespace in the spelling the pages settled on.
    pub(super) fn canonical_namespace(&self, ns: &str) -> String {
        self.namespaces.get(&ns.to_ascii_lowercase()).cloned().unwrap_or_else(|| ns.to_string())
    }

    /// A qualified type name with its namespace in the settled spelling.
    pub(super) fn canonical_id(&self, id: &str) -> String {
        match id.rsplit_once('.') {
            Some((ns, name)) => format!("{}.{name}", self.canonical_namespace(ns)),
            None => id.to_string(),
        }
    }

    /// The namespace a page declares (settled spelling), or the root namespace.
    pub(super) fn page_namespace(&self, page: &Page) -> String {
        namespace_line(page).map_or_else(|| ROOT_NAMESPACE.into(), |(ns, _)| self.canonical_namespace(&ns))
    }

    pub(super) fn register_types(&mut self) {
        for page in self.pages {
            if is_api_page(page) {
                continue;
            }
            let namespace = self.page_namespace(page);
            // Enum tables under `### name values` headings define enums of their own.
            for table in &page.enums {
                if let Some(name) = &table.name {
                    let id = if name.contains('.') { self.canonical_id(name) } else { format!("{namespace}.{name}") };
                    self.register(
                        id,
                        page.span(table.line),
                        Default::default(),
                        TypeKind::Enum(EnumDef::default()),
                        None,
                    );
                }
            }
            let json = page.json_representation();
            let unnamed_enum = page.enums.iter().any(|t| t.name.is_none());
            if page.properties.is_empty() && json.is_none() && !unnamed_enum {
                continue;
            }
            let annotated = json.and_then(|b| b.annotated_type()).map(|t| t.trim_start_matches('#').to_string());
            let id = match annotated.filter(|t| t.contains('.') && !t.contains(' ')) {
                Some(id) => {
                    let canonical = self.canonical_id(&id);
                    if canonical != id {
                        let line = json.map_or(page.title_line, |b| b.line);
                        self.diags.push(
                            page.span(line),
                            Kind::WrongCase,
                            format!("the type `{id}` is in a namespace spelled `{}` on its other pages; read as `{canonical}`", self.canonical_namespace(id.rsplit_once('.').map_or("", |x| x.0))),
                        );
                    }
                    canonical
                }
                None => match name_from_title(&page.title) {
                    Some(name) if name.contains('.') => self.canonical_id(&name),
                    Some(name) => format!("{namespace}.{name}"),
                    None => {
                        if !page.enums.iter().all(|t| t.name.is_some()) || !page.properties.is_empty() {
                            self.diags.push(
                                page.span(page.title_line),
                                Kind::MalformedPage,
                                format!("expected a title like `<name> resource type` or an `@odata.type` annotation, found `{}`", page.title),
                            );
                        }
                        continue;
                    }
                },
            };
            let kind = if page.properties.is_empty() && json.is_none() {
                TypeKind::Enum(EnumDef::default())
            } else {
                let ann = json.and_then(|b| b.annotation.as_ref());
                let key = ann.and_then(|a| a.get("keyProperty")).and_then(|v| v.as_str()).map(str::to_string);
                let open = page.open_type.is_some();
                TypeKind::Struct(StructDef { entity: key.is_some(), key_property: key, open, ..StructDef::default() })
            };
            self.register(id, page.span(page.title_line), type_doc(page), kind, Some(&page.path));
        }
    }

    /// Adds a type, or, when another page already defines it (one type may be documented over
    /// several pages), maps this page to the existing one.
    fn register(
        &mut self,
        id: TypeId,
        span: Span,
        (doc, links): (String, Vec<DocLink>),
        kind: TypeKind,
        page: Option<&str>,
    ) {
        if let Some(p) = page {
            self.page_types.insert(p.to_string(), id.clone());
        }
        if let Some(existing) = self.ir.types.get_mut(&id) {
            // What any of its pages states about a struct holds: open, keyed.
            if let (TypeKind::Struct(known), TypeKind::Struct(new)) = (&mut existing.kind, &kind) {
                known.open |= new.open;
                if known.key_property.is_none() && new.key_property.is_some() {
                    known.key_property.clone_from(&new.key_property);
                    known.entity = true;
                }
            }
            // The page named after the type is its home (its docs, its area): `user.md`, not
            // `intune-devices-user.md`, which documents the Intune properties of `user`.
            let stem =
                |file: &str| file.rsplit('/').next().unwrap_or(file).trim_end_matches(".md").to_ascii_lowercase();
            let name = existing.name.to_ascii_lowercase();
            if page.is_some() && stem(&span.file) == name && stem(&existing.span.file) != name {
                existing.span = span;
                if !doc.trim().is_empty() {
                    existing.doc = doc;
                    existing.links = links;
                }
            }
            return;
        }
        let (namespace, name) = id.rsplit_once('.').map(|(n, s)| (n.to_string(), s.to_string())).unwrap_or_default();
        self.by_name.entry(name.to_ascii_lowercase()).or_default().insert(id.clone());
        self.ir.types.insert(
            id.clone(),
            TypeDef {
                id,
                namespace,
                name,
                rust_name: String::new(),
                module: Vec::new(),
                doc,
                links,
                span,
                origin: Origin::Page,
                kind,
                area: String::new(),
                cfg: Vec::new(),
            },
        );
    }

    /// Finds the type a name refers to, preferring the namespace of the referring type.
    pub(super) fn lookup(&self, name: &str, namespace: &str) -> Option<TypeId> {
        let name = name.trim_start_matches('#');
        if self.ir.types.contains_key(name) {
            return Some(name.to_string());
        }
        let lower = name.to_ascii_lowercase();
        let simple = lower.rsplit('.').next().unwrap_or(&lower);
        let candidates = self.by_name.get(simple)?;
        if lower.contains('.') {
            if let Some(id) = candidates.iter().find(|id| id.to_ascii_lowercase() == lower) {
                return Some(id.clone());
            }
        }
        let in_ns = |ns: &str| candidates.iter().find(|id| id.rsplit_once('.').is_some_and(|(n, _)| n == ns)).cloned();
        in_ns(namespace).or_else(|| in_ns(ROOT_NAMESPACE)).or_else(|| candidates.iter().next().cloned())
    }

    pub(super) fn did_you_mean(&self, name: &str) -> String {
        const PRIMITIVES: &[&str] = &[
            "String",
            "Boolean",
            "Byte",
            "SByte",
            "Int16",
            "Int32",
            "Int64",
            "Single",
            "Double",
            "Decimal",
            "DateTimeOffset",
            "Date",
            "TimeOfDay",
            "Duration",
            "Guid",
            "Binary",
            "Stream",
        ];
        let lower = name.to_ascii_lowercase();
        let simple = lower.rsplit('.').next().unwrap_or(&lower);
        let limit = (simple.len() / 4).max(2);
        let primitives = PRIMITIVES.iter().map(|p| (p.to_ascii_lowercase(), p.to_string()));
        // The distance is at least the difference in length, so most names need no comparison.
        let length = simple.chars().count();
        let near = |candidate: &str| candidate.chars().count().abs_diff(length) <= limit;
        let types = self
            .by_name
            .iter()
            .filter(|(n, _)| near(n))
            .filter_map(|(n, ids)| Some((n.clone(), ids.iter().next()?.clone())));
        primitives
            .filter(|(p, _)| near(p))
            .chain(types)
            .map(|(candidate, shown)| (strsim::levenshtein(simple, &candidate), shown))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, shown)| format!("; did you mean `{shown}`?"))
            .unwrap_or_default()
    }

    /// Resolves a link target to the type its page defines. Reports links out of the tree.
    pub(super) fn link_type(&self, diags: &mut Diagnostics, page: &Page, link: &str, line: u32) -> Option<TypeId> {
        match join_link(&page.path, link) {
            Ok(Some(target)) => self.page_types.get(&target).cloned(),
            Ok(None) => None,
            Err(OutsideDocs) => {
                diags.push(
                    page.span(line),
                    Kind::LinkOutsideDocs,
                    format!("the link `{link}` leaves the docs tree; it was not followed"),
                );
                None
            }
        }
    }

    /// The type a name (and the link it carries) refers to.
    fn named_type(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        name: &str,
        link: Option<&str>,
        namespace: &str,
        line: u32,
    ) -> Option<TypeId> {
        // A link into a section of a page (`chat.md#chattype-values`) names a type that the page
        // defines besides its own: the link text says which.
        let anchored = link.is_some_and(|l| l.contains('#') && !l.starts_with('#'));
        let by_anchor = if anchored { self.lookup(name, namespace) } else { None };
        let by_link = by_anchor.or_else(|| link.and_then(|l| self.link_type(diags, page, l, line)));
        by_link.or_else(|| self.lookup(name, namespace))
    }

    /// The name of a type cell's named type when no page defines it (also inside a collection),
    /// and whether the cell is a collection.
    pub(super) fn missing_type<'c>(&self, page: &Page, cell: &'c TypeCell, namespace: &str) -> Option<(&'c str, bool)> {
        let (inner, collection) = match cell {
            TypeCell::Collection(inner) => (&**inner, true),
            other => (other, false),
        };
        let TypeCell::Named { name, link } = inner else { return None };
        // Links out of the tree are reported where the cell is resolved, not here.
        let found = self.named_type(&mut Diagnostics::new(), page, name, link.as_deref(), namespace, 0);
        found.is_none().then_some((name.as_str(), collection))
    }

    pub(super) fn type_ref(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        cell: &TypeCell,
        namespace: &str,
        line: u32,
    ) -> TypeRef {
        match cell {
            TypeCell::Primitive(p) => TypeRef::Primitive(*p),
            TypeCell::Json => TypeRef::Json,
            TypeCell::Collection(inner) => {
                TypeRef::Collection(Box::new(self.type_ref(diags, page, inner, namespace, line)))
            }
            TypeCell::Named { name, link } => {
                if let Some(id) = self.named_type(diags, page, name, link.as_deref(), namespace, line) {
                    return TypeRef::Named(id);
                }
                let hint = self.did_you_mean(name);
                diags.push(
                    page.span(line),
                    Kind::UnresolvedType,
                    format!("the type `{name}` is not defined by any page{hint}; the field is untyped JSON"),
                );
                TypeRef::Json
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_and_stay_inside() {
        assert_eq!(join_link("resources/a.md", "../api/b.md"), Ok(Some("api/b.md".into())));
        assert_eq!(join_link("resources/a.md", "c.md#x"), Ok(Some("resources/c.md".into())));
        assert_eq!(join_link("resources/a.md", "https://example.com/x"), Ok(None));
        assert_eq!(join_link("resources/a.md", "#anchor"), Ok(None));
        assert_eq!(join_link("resources/a.md", "../../../../etc/passwd"), Err(OutsideDocs));
        assert_eq!(join_link("resources/a.md", "/etc/passwd"), Err(OutsideDocs));
        assert_eq!(join_link("resources/a.md", "C:/x"), Err(OutsideDocs));
    }

    #[test]
    fn titles_to_names() {
        assert_eq!(
            name_from_title("appleVolumePurchaseProgramToken resource type").as_deref(),
            Some("appleVolumePurchaseProgramToken")
        );
        assert_eq!(name_from_title("callRecord resource type").as_deref(), Some("callRecord"));
        assert_eq!(name_from_title("Working with users in Microsoft Graph"), None);
    }
}
