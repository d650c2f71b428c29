//! Resolution: page models of all pages to one IR, with names, links and cross-checks settled.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Kind, Span};
use crate::ir::{
    EnumDef, Field, HttpMethod, Ir, Member, Operation, Origin, PathParam, PathPart, PathTemplate, Primitive, StructDef,
    TypeDef, TypeId, TypeKind, TypeRef,
};
use crate::naming::{sanitize, unraw, Case, Scope};
use crate::parse::lenient;
use crate::parse::page::{Page, PropertyRow};
use crate::parse::typecell::{self, TypeCell};
use crate::parse::values;

pub const ROOT_NAMESPACE: &str = "microsoft.graph";
/// Names the generated crate uses for itself at its root.
pub const RESERVED_MODULES: &[&str] = &["runtime", "endpoints", "types", "std", "core", "alloc", "serde", "serde_json"];
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";
pub const CATCH_ALL: &str = "Unrecognized";

/// Resolves every page into the IR. Pages must be sorted by path.
pub fn resolve(pages: &[Page], diags: &mut Diagnostics) -> Ir {
    let mut r = Resolver { pages, diags, page_types: BTreeMap::new(), by_name: BTreeMap::new(), ir: Ir::default() };
    r.register_types();
    r.fill_types();
    r.inherit();
    r.cross_check_all();
    r.derive_lists();
    r.operations();
    r.assign_names();
    r.mark_boxed();
    crate::areas::assign(&mut r.ir, pages);
    r.ir
}

struct Resolver<'a> {
    pages: &'a [Page],
    diags: &'a mut Diagnostics,
    /// Page path → the type it defines.
    page_types: BTreeMap<String, TypeId>,
    /// Lower-cased simple name → ids with that name.
    by_name: BTreeMap<String, BTreeSet<TypeId>>,
    ir: Ir,
}

/// What one page contributes to the types, worked out apart from the other pages.
#[derive(Default)]
struct PageFill {
    /// Enum tables: the enum they fill, and its members.
    enums: Vec<(TypeId, Vec<Member>)>,
    /// The page's own struct: its fields and its base type.
    properties: Option<(TypeId, Vec<Field>, Option<TypeId>)>,
    /// Enums made from "Possible values are ..." lists.
    synthetic: Vec<TypeDef>,
    diags: Diagnostics,
}

/// The request body of an operation, as worked out from its page.
enum Body {
    /// A type the page names (or none, or untyped JSON).
    Type(Option<TypeRef>),
    /// The fields of an action's parameter table, which become a struct of their own.
    Struct(Vec<Field>),
}

fn is_api_page(page: &Page) -> bool {
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

fn namespace_line(page: &Page) -> Option<String> {
    page.paragraphs.iter().find_map(|(p, _)| {
        let ns = p.trimmed().strip_prefix("Namespace:")?.trim().trim_matches('`');
        (!ns.is_empty() && !ns.contains(' ')).then(|| ns.to_string())
    })
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

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Resolver<'_> {
    fn register_types(&mut self) {
        for page in self.pages {
            if is_api_page(page) {
                continue;
            }
            let namespace = namespace_line(page).unwrap_or_else(|| ROOT_NAMESPACE.into());
            // Enum tables under `### name values` headings define enums of their own.
            for table in &page.enums {
                if let Some(name) = &table.name {
                    let id = if name.contains('.') { name.clone() } else { format!("{namespace}.{name}") };
                    self.register(id, page.span(table.line), String::new(), TypeKind::Enum(EnumDef::default()), None);
                }
            }
            let json = page.json_representation();
            let unnamed_enum = page.enums.iter().any(|t| t.name.is_none());
            if page.properties.is_empty() && json.is_none() && !unnamed_enum {
                continue;
            }
            let annotated =
                json.and_then(|b| b.annotation_str("@odata.type")).map(|t| t.trim_start_matches('#').to_string());
            let id = match annotated.filter(|t| t.contains('.') && !t.contains(' ')) {
                Some(id) => id,
                None => match name_from_title(&page.title) {
                    Some(name) if name.contains('.') => name,
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
                TypeKind::Struct(StructDef { entity: key.is_some(), key_property: key, ..StructDef::default() })
            };
            self.register(id, page.span(page.title_line), page.description.clone(), kind, Some(&page.path));
        }
    }

    /// Adds a type, or, when another page already defines it (one type may be documented over
    /// several pages), maps this page to the existing one.
    fn register(&mut self, id: TypeId, span: Span, doc: String, kind: TypeKind, page: Option<&str>) {
        if let Some(p) = page {
            self.page_types.insert(p.to_string(), id.clone());
        }
        if self.ir.types.contains_key(&id) {
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
                span,
                origin: Origin::Page,
                kind,
                area: String::new(),
                cfg: Vec::new(),
            },
        );
    }

    /// Finds the type a name refers to, preferring the namespace of the referring type.
    fn lookup(&self, name: &str, namespace: &str) -> Option<TypeId> {
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

    fn did_you_mean(&self, name: &str) -> String {
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
            .map(|(candidate, shown)| (levenshtein(simple, &candidate), shown))
            .filter(|(d, _)| *d <= limit)
            .min_by_key(|(d, _)| *d)
            .map(|(_, shown)| format!("; did you mean `{shown}`?"))
            .unwrap_or_default()
    }

    /// Resolves a link target to the type its page defines. Reports links out of the tree.
    fn link_type(&self, diags: &mut Diagnostics, page: &Page, link: &str, line: u32) -> Option<TypeId> {
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

    fn type_ref(&self, diags: &mut Diagnostics, page: &Page, cell: &TypeCell, namespace: &str, line: u32) -> TypeRef {
        match cell {
            TypeCell::Primitive(p) => TypeRef::Primitive(*p),
            TypeCell::Json => TypeRef::Json,
            TypeCell::Collection(inner) => TypeRef::Collection(Box::new(self.type_ref(diags, page, inner, namespace, line))),
            TypeCell::Named { name, link } => {
                // A link into a section of a page (`chat.md#chattype-values`) names a type that
                // the page defines besides its own: the link text says which.
                let anchored = link.as_deref().is_some_and(|l| l.contains('#') && !l.starts_with('#'));
                let by_anchor = if anchored { self.lookup(name, namespace) } else { None };
                let by_link = by_anchor.or_else(|| link.as_deref().and_then(|l| self.link_type(diags, page, l, line)));
                if let Some(id) = by_link.or_else(|| self.lookup(name, namespace)) {
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

    fn fill_types(&mut self) {
        // What each page says is independent of the other pages, so pages are read on every
        // core; merging stays in page order.
        let this: &Self = self;
        let fills = crate::parallel::map(self.pages, |page| this.fill_page(page));
        let mut synthetic: Vec<TypeDef> = Vec::new();
        for fill in fills {
            self.diags.extend(fill.diags);
            for (target, members) in fill.enums {
                if let Some(TypeKind::Enum(e)) = self.ir.types.get_mut(&target).map(|t| &mut t.kind) {
                    push_members(e, members, self.diags);
                }
            }
            synthetic.extend(fill.synthetic);
            let Some((id, fields, base)) = fill.properties else { continue };
            if let Some(TypeKind::Struct(s)) = self.ir.types.get_mut(&id).map(|t| &mut t.kind) {
                if s.base.is_none() {
                    s.base = base;
                }
                for f in fields {
                    match s.fields.iter().find(|e| e.json_name == f.json_name) {
                        Some(existing) if existing.ty != f.ty => {
                            let at = existing.span.clone();
                            self.diags.push(
                                f.span.clone(),
                                Kind::Conflict,
                                format!(
                                    "`{}` is declared with another type at {at}; the first declaration wins",
                                    f.json_name
                                ),
                            );
                        }
                        Some(_) => {}
                        None => s.fields.push(f),
                    }
                }
            }
        }
        for def in synthetic {
            let mut def = def;
            // A synthesized name may collide with a documented type; documented types win.
            let mut n = 2;
            let base = def.id.clone();
            while self.ir.types.contains_key(&def.id) {
                def.id = format!("{base}{n}");
                def.name = def.id.rsplit('.').next().unwrap_or_default().to_string();
                n += 1;
            }
            self.ir.types.insert(def.id.clone(), def);
        }
    }

    /// The enum members, fields, base type and "Possible values" enums one page defines.
    fn fill_page(&self, page: &Page) -> PageFill {
        let mut fill = PageFill::default();
        let diags = &mut fill.diags;
        let page_type = self.page_types.get(&page.path).cloned();
        let is_enum = page_type
            .as_ref()
            .and_then(|id| self.ir.types.get(id))
            .is_some_and(|t| matches!(t.kind, TypeKind::Enum(_)));
        for table in &page.enums {
            let target = match &table.name {
                Some(name) if name.contains('.') => name.clone(),
                Some(name) => format!("{}.{name}", namespace_line(page).unwrap_or_else(|| ROOT_NAMESPACE.into())),
                None if is_enum => page_type.clone().unwrap_or_default(),
                None => continue,
            };
            let members = table
                .members
                .iter()
                .map(|m| Member {
                    json_name: m.name.clone(),
                    rust_name: String::new(),
                    doc: m.description.trimmed().to_string(),
                    value: m.value.as_deref().and_then(|v| v.parse().ok()),
                    span: page.span(m.line),
                })
                .collect();
            fill.enums.push((target, members));
        }
        let Some(id) = page_type else { return fill };
        let Some(def) = self.ir.types.get(&id) else { return fill };
        if is_enum {
            return fill;
        }
        let (namespace, owner_name) = (&def.namespace, &def.name);
        let mut fields = Vec::new();
        let rows = page.properties.iter().map(|r| (r, false)).chain(page.relationships.iter().map(|r| (r, true)));
        for (row, navigation) in rows {
            let Some(ty) = self.row_type(diags, page, row, namespace) else {
                continue;
            };
            let ty = match (&ty, values::possible_values(&row.description.text)) {
                (TypeRef::Primitive(Primitive::String), Some(list)) => {
                    let def = possible_values_enum(page, namespace, owner_name, &id, row, list);
                    let r = TypeRef::Named(def.id.clone());
                    fill.synthetic.push(def);
                    r
                }
                (TypeRef::Collection(inner), Some(list)) if **inner == TypeRef::Primitive(Primitive::String) => {
                    let def = possible_values_enum(page, namespace, owner_name, &id, row, list);
                    let r = TypeRef::Collection(Box::new(TypeRef::Named(def.id.clone())));
                    fill.synthetic.push(def);
                    r
                }
                _ => ty,
            };
            fields.push(Field {
                json_name: row.name.clone(),
                rust_name: String::new(),
                doc: row.description.trimmed().to_string(),
                ty,
                navigation,
                boxed: false,
                span: page.span(row.line),
            });
        }
        let base = self.base_type(diags, page, &id, namespace);
        fill.properties = Some((id, fields, base));
        fill
    }

    fn row_type(&self, diags: &mut Diagnostics, page: &Page, row: &PropertyRow, namespace: &str) -> Option<TypeRef> {
        match typecell::parse(&row.type_cell) {
            Ok(cell) => Some(self.type_ref(diags, page, &cell, namespace, row.line)),
            Err(e) => {
                diags.push(
                    page.span(row.line),
                    Kind::UnknownTypeCell,
                    format!("property `{}`: {e}; the field is untyped JSON", row.name),
                );
                Some(TypeRef::Json)
            }
        }
    }

    /// The Properties table against the JSON representation; the table wins. Runs after
    /// inheritance: a JSON representation may list inherited properties.
    fn cross_check_all(&mut self) {
        // Each page is checked against its own JSON representation, on every core.
        let this: &Self = self;
        for diags in crate::parallel::map(self.pages, |page| this.cross_check(page)) {
            self.diags.extend(diags);
        }
    }

    /// The disagreements between a page's Properties table and its JSON representation.
    fn cross_check(&self, page: &Page) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let Some(block) = page.json_representation() else { return diags };
        let Some(TypeKind::Struct(s)) =
            self.page_types.get(&page.path).and_then(|id| self.ir.types.get(id)).map(|t| &t.kind)
        else {
            return diags;
        };
        let keys = match lenient::top_level_keys(&block.text) {
            Ok(keys) => keys,
            Err(e) => {
                diags.push(page.span(block.line), Kind::MalformedJson, format!("JSON representation: {e}"));
                return diags;
            }
        };
        let all: BTreeSet<&str> = s.fields.iter().map(|f| f.json_name.as_str()).collect();
        let json: BTreeSet<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        let mut found = Vec::new();
        for key in &keys {
            if !key.name.starts_with('@') && !all.contains(key.name.as_str()) {
                found.push((
                    page.span(block.line + 1 + key.line),
                    format!(
                        "`{}` is in the JSON representation but not in the Properties table; the table wins",
                        key.name
                    ),
                ));
            }
        }
        for f in s.fields.iter().filter(|f| f.span.file == page.path && !f.navigation) {
            if !json.contains(f.json_name.as_str()) {
                found.push((
                    f.span.clone(),
                    format!("`{}` is in the Properties table but not in the JSON representation", f.json_name),
                ));
            }
        }
        for (span, message) in found {
            diags.push(span, Kind::TableJsonMismatch, message);
        }
        diags
    }

    /// Records, on every struct, the types derived from it.
    fn derive_lists(&mut self) {
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

    /// The base type a page states: its `baseType` annotation or an "Inherits from [x]" phrase.
    /// When both are there and disagree, that is reported and the annotation wins.
    fn base_type(&self, diags: &mut Diagnostics, page: &Page, id: &TypeId, namespace: &str) -> Option<TypeId> {
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
    fn inherit(&mut self) {
        let ids: Vec<TypeId> = self.ir.types.keys().cloned().collect();
        let base_of = |types: &BTreeMap<TypeId, TypeDef>, id: &TypeId| match types.get(id).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s.base.clone(),
            _ => None,
        };
        for id in &ids {
            let mut chain = vec![id.clone()];
            while let Some(base) = base_of(&self.ir.types, chain.last().expect("chain starts non-empty")) {
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

    fn operations(&mut self) {
        // What resource pages' Methods tables say about each API page: worked out page by page
        // on every core; the first page to speak about an API page wins, in page order.
        let pages = self.pages;
        let known: BTreeSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
        let this: &Self = self;
        let rows = crate::parallel::map(pages, |page| {
            let mut diags = Diagnostics::new();
            let rows = this.method_rows(&mut diags, page, &known);
            (rows, diags)
        });
        let mut method_rows: BTreeMap<String, TypeRef> = BTreeMap::new();
        for (rows, diags) in rows {
            self.diags.extend(diags);
            for (target, ty) in rows {
                method_rows.entry(target).or_insert(ty);
            }
        }
        // Each API page's operations, planned on every core; action bodies become structs, whose
        // names must be unique, so they are added in page order.
        let this: &Self = self;
        let plans = crate::parallel::map(pages, |page| {
            let mut diags = Diagnostics::new();
            let plan = this.plan_operations(&mut diags, page, method_rows.get(&page.path));
            (plan, diags)
        });
        for (page, (plan, diags)) in pages.iter().zip(plans) {
            self.diags.extend(diags);
            for (key, mut op, body) in plan {
                op.body = match body {
                    Body::Type(t) => t,
                    Body::Struct(fields) => Some(self.insert_body_struct(page, fields)),
                };
                self.ir.operations.insert(key, op);
            }
        }
    }

    /// The API pages a resource page's Methods table links to, with the type each returns.
    fn method_rows(&self, diags: &mut Diagnostics, page: &Page, known: &BTreeSet<&str>) -> Vec<(String, TypeRef)> {
        let namespace = self.page_types.get(&page.path).and_then(|id| self.ir.types.get(id)).map(|t| &t.namespace);
        let namespace = namespace.map_or(ROOT_NAMESPACE, String::as_str);
        let mut out = Vec::new();
        for row in &page.methods {
            let Some(link) = &row.link else { continue };
            let target = match join_link(&page.path, &link.dest) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(OutsideDocs) => {
                    diags.push(
                        page.span(row.line),
                        Kind::LinkOutsideDocs,
                        format!("the Methods link `{}` leaves the docs tree; it was not followed", link.dest),
                    );
                    continue;
                }
            };
            if !known.contains(target.as_str()) {
                diags.push(
                    page.span(row.line),
                    Kind::BrokenLink,
                    format!("the Methods link `{}` points to `{target}`, which is not a page of the docs", link.dest),
                );
                continue;
            }
            if let Ok(cell) = typecell::parse(&row.return_cell) {
                out.push((target, self.type_ref(diags, page, &cell, namespace, row.line)));
            }
        }
        out
    }

    /// The operations of an API page, one per HTTP method, keyed like `Ir::operations`; the
    /// body is left to the caller.
    fn plan_operations(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        from_methods: Option<&TypeRef>,
    ) -> Vec<(String, Operation, Body)> {
        if !is_api_page(page) {
            return Vec::new();
        }
        if page.requests.is_empty() {
            diags.push(
                page.span(page.title_line),
                Kind::MalformedRequest,
                "expected an `http` block with request lines under an \"HTTP request\" heading",
            );
            return Vec::new();
        }
        let mut by_method: BTreeMap<HttpMethod, Vec<&(String, String, u32)>> = BTreeMap::new();
        for req in &page.requests {
            // Request lines are filtered to known methods when parsed; anything else is skipped.
            if let Some(m) = HttpMethod::parse(&req.0) {
                by_method.entry(m).or_default().push(req);
            }
        }
        let several = by_method.len() > 1;
        let mut out = Vec::new();
        for (method, lines) in by_method {
            let mut paths: Vec<PathTemplate> = Vec::new();
            for (_, path, line) in lines {
                let t = parse_path(path, page.span(*line));
                for p in t.params.iter().filter(|p| p.name.is_empty()) {
                    diags.push(
                        page.span(*line),
                        Kind::MalformedRequest,
                        format!("an empty placeholder `{{}}` in `{path}`; the parameter is named `{}`", p.rust_name),
                    );
                }
                if !paths.iter().any(|p| p.template == t.template) {
                    paths.push(t);
                }
            }
            let response = self.response_type(diags, page, method, from_methods.cloned());
            let body = match method {
                HttpMethod::Post | HttpMethod::Patch | HttpMethod::Put => {
                    self.body_plan(diags, page, method, from_methods)
                }
                _ => Body::Type(None),
            };
            let key = if several { format!("{}#{}", page.path, method.as_str()) } else { page.path.clone() };
            let title = if page.title.is_empty() { page.path.clone() } else { page.title.clone() };
            let op = Operation {
                page: page.path.clone(),
                title,
                rust_name: String::new(),
                doc: page.description.clone(),
                span: page.span(page.title_line),
                method,
                paths,
                path_enum: None,
                query_options: method == HttpMethod::Get,
                body: None,
                response,
                area: String::new(),
                cfg: Vec::new(),
            };
            out.push((key, op, body));
        }
        out
    }

    fn response_type(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        method: HttpMethod,
        from_methods: Option<TypeRef>,
    ) -> Option<TypeRef> {
        let text: String = page.response_text.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join(" ");
        if text.contains("204") || text.to_ascii_lowercase().contains("no content") {
            return None;
        }
        if let Some(t) = from_methods.filter(|t| *t != TypeRef::Json) {
            return Some(t);
        }
        for inline in &page.response_text {
            for link in &inline.links {
                if let Some(id) = self.link_type(diags, page, &link.dest, page.title_line) {
                    let lower = inline.text.to_ascii_lowercase();
                    let collection = lower.contains(&format!("{} collection", link.text.to_ascii_lowercase()))
                        || lower.contains("collection of");
                    let t = TypeRef::Named(id);
                    return Some(if collection { TypeRef::Collection(Box::new(t)) } else { t });
                }
            }
        }
        let example = page.code_blocks.iter().find(|b| b.annotation_str("blockType") == Some("response"));
        if let Some(name) = example.and_then(|b| b.annotation_str("@odata.type")) {
            if let Some(id) = self.lookup(name, ROOT_NAMESPACE) {
                let collection = example
                    .and_then(|b| b.annotation.as_ref())
                    .and_then(|a| a.get("isCollection"))
                    .is_some_and(|v| v == &serde_json::Value::Bool(true));
                let t = TypeRef::Named(id);
                return Some(if collection { TypeRef::Collection(Box::new(t)) } else { t });
            }
        }
        if method == HttpMethod::Delete {
            return None;
        }
        Some(TypeRef::Json)
    }

    /// The request body: the resource its text links to, or a struct made from its parameter
    /// table (actions), or untyped JSON when the page describes a body but neither.
    fn body_plan(&self, diags: &mut Diagnostics, page: &Page, method: HttpMethod, from_methods: Option<&TypeRef>) -> Body {
        for inline in &page.body_text {
            let lower = inline.text.to_ascii_lowercase();
            if lower.contains("do not supply") {
                return Body::Type(None);
            }
            for link in &inline.links {
                if let Some(id) = self.link_type(diags, page, &link.dest, page.title_line) {
                    return Body::Type(Some(TypeRef::Named(id)));
                }
            }
            // "supply a JSON representation for the windows10GeneralConfiguration object"
            if let Some(at) = lower.find("json representation") {
                let rest = &inline.text[at + "json representation".len()..];
                let words: Vec<&str> = rest.split_whitespace().take(4).collect();
                for w in words.iter().skip(1) {
                    let name = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '.');
                    if matches!(name, "the" | "a" | "an" | "of" | "for" | "new") || name.is_empty() {
                        continue;
                    }
                    if let Some(id) = self.lookup(name, ROOT_NAMESPACE) {
                        return Body::Type(Some(TypeRef::Named(id)));
                    }
                    break;
                }
            }
        }
        // An update replaces properties of the resource the Methods table says it returns.
        if matches!(method, HttpMethod::Patch | HttpMethod::Put) {
            if let Some(t @ TypeRef::Named(_)) = from_methods {
                return Body::Type(Some(t.clone()));
            }
        }
        if page.body_params.is_empty() {
            return Body::Type((!page.body_text.is_empty()).then_some(TypeRef::Json));
        }
        let mut fields: Vec<Field> = Vec::new();
        for row in &page.body_params {
            let Some(ty) = self.row_type(diags, page, row, ROOT_NAMESPACE) else { continue };
            if fields.iter().any(|f| f.json_name == row.name) {
                continue;
            }
            fields.push(Field {
                json_name: row.name.clone(),
                rust_name: String::new(),
                doc: row.description.trimmed().to_string(),
                ty,
                navigation: false,
                boxed: false,
                span: page.span(row.line),
            });
        }
        Body::Struct(fields)
    }

    /// Adds the struct made from an action's parameter table, named after the page.
    fn insert_body_struct(&mut self, page: &Page, fields: Vec<Field>) -> TypeRef {
        let title = if page.title.is_empty() {
            page.path.trim_end_matches(".md").rsplit('/').next().unwrap_or("")
        } else {
            &page.title
        };
        let base = format!("{}Body", sanitize(title, Case::Variant));
        let mut name = base.clone();
        let mut n = 2;
        while self.ir.types.contains_key(&format!("{ROOT_NAMESPACE}.{name}")) {
            name = format!("{base}{n}");
            n += 1;
        }
        let id = format!("{ROOT_NAMESPACE}.{name}");
        let line = page.body_params[0].line;
        self.ir.types.insert(
            id.clone(),
            TypeDef {
                id: id.clone(),
                namespace: ROOT_NAMESPACE.into(),
                name,
                rust_name: String::new(),
                module: Vec::new(),
                doc: format!("The request body of \"{title}\"."),
                span: page.span(line),
                origin: Origin::RequestBody { page: page.path.clone() },
                kind: TypeKind::Struct(StructDef { fields, ..StructDef::default() }),
                area: String::new(),
                cfg: Vec::new(),
            },
        );
        TypeRef::Named(id)
    }


    fn assign_names(&mut self) {
        // Namespace modules first, then type names and files within each namespace.
        let mut root_modules = Scope::with_reserved(RESERVED_MODULES);
        let mut ns_modules: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut firsts: BTreeMap<String, String> = BTreeMap::new();
        let namespaces: BTreeSet<String> = self.ir.types.values().map(|t| t.namespace.clone()).collect();
        for ns in &namespaces {
            let rest = ns.strip_prefix(ROOT_NAMESPACE).map(|r| r.trim_start_matches('.')).unwrap_or(ns);
            let module: Vec<String> = if rest.is_empty() {
                Vec::new()
            } else {
                // Deeper namespaces nest; each level is made unique among root modules once.
                rest.split('.').map(module_name).collect()
            };
            let module = match module.split_first() {
                Some((first, tail)) => {
                    let first = firsts.entry(first.clone()).or_insert_with(|| root_modules.claim(first)).clone();
                    std::iter::once(first).chain(tail.iter().cloned()).collect()
                }
                None => Vec::new(),
            };
            ns_modules.insert(ns.clone(), module);
        }
        let mut type_scopes: BTreeMap<String, Scope> = BTreeMap::new();
        let ids: Vec<TypeId> = self.ir.types.keys().cloned().collect();
        // Documented types claim names before synthesized ones, so they keep the naming contract.
        let (documented, synthesized): (Vec<TypeId>, Vec<TypeId>) =
            ids.into_iter().partition(|id| self.ir.types[id].origin == Origin::Page);
        for id in documented.iter().chain(&synthesized) {
            let def = self.ir.types.get_mut(id).expect("id from the map");
            let types = type_scopes.entry(def.namespace.clone()).or_default();
            let wanted = sanitize(&def.name, Case::Type);
            def.rust_name = types.claim(&wanted);
            if def.rust_name != wanted {
                self.diags.push(
                    def.span.clone(),
                    Kind::Renamed,
                    format!("`{}` is named `{}` because `{wanted}` is taken in its module", def.id, def.rust_name),
                );
            }
            def.module = ns_modules.get(&def.namespace).cloned().unwrap_or_default();
        }
        // Field and variant names are unique within their type only, so types are named on
        // every core.
        let defs: Vec<&TypeDef> = self.ir.types.values().collect();
        let named = crate::parallel::map(&defs, |def| member_names(def));
        for (def, (names, catch_all, diags)) in self.ir.types.values_mut().zip(named) {
            self.diags.extend(diags);
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    s.additional_properties = ADDITIONAL_PROPERTIES.into();
                    for (f, name) in s.fields.iter_mut().zip(names) {
                        f.rust_name = name;
                    }
                }
                TypeKind::Enum(e) => {
                    for (m, name) in e.members.iter_mut().zip(names) {
                        m.rust_name = name;
                    }
                    e.catch_all = catch_all;
                }
            }
        }
        // The enums of polymorphic types claim their names after every type has its own.
        let polymorphic: Vec<TypeId> = self
            .ir
            .types
            .iter()
            .filter(|(_, t)| matches!(&t.kind, TypeKind::Struct(s) if !s.derived.is_empty()))
            .map(|(id, _)| id.clone())
            .collect();
        for id in polymorphic {
            let def = &self.ir.types[&id];
            let types = type_scopes.get_mut(&def.namespace).expect("every namespace has a scope");
            let any = types.claim(&format!("Any{}", def.rust_name));
            let TypeKind::Struct(s) = &def.kind else { continue };
            let mut scope = Scope::new();
            let variants: Vec<String> = std::iter::once(&id)
                .chain(&s.derived)
                .map(|d| {
                    scope.claim(&self.ir.types.get(d).map_or_else(|| "Unknown".to_string(), |t| t.rust_name.clone()))
                })
                .collect();
            if let Some(TypeKind::Struct(s)) = self.ir.types.get_mut(&id).map(|t| &mut t.kind) {
                s.any_name = Some(any);
                s.any_variants = variants;
            }
        }
        let mut op_names = Scope::new();
        for op in self.ir.operations.values_mut() {
            let wanted = sanitize(&op.title, Case::Variant);
            op.rust_name = op_names.claim(&wanted);
            if op.rust_name != wanted {
                self.diags.push(
                    op.span.clone(),
                    Kind::Renamed,
                    format!("operation \"{}\" is `{}` because `{wanted}` is taken", op.title, op.rust_name),
                );
            }
            if op.paths.len() > 1 {
                op.path_enum = Some(format!("{}Path", op.rust_name));
                name_path_variants(&mut op.paths);
            }
        }
    }

    /// Boxes single (non-collection) struct fields that lead back to their own type.
    fn mark_boxed(&mut self) {
        let edges: BTreeMap<TypeId, BTreeSet<TypeId>> = self
            .ir
            .types
            .iter()
            .map(|(id, t)| {
                let targets = match &t.kind {
                    TypeKind::Struct(s) => s
                        .fields
                        .iter()
                        .filter_map(|f| match &f.ty {
                            // Polymorphic values are boxed inside their enum already.
                            TypeRef::Named(n)
                                if matches!(self.ir.types.get(n).map(|t| &t.kind), Some(TypeKind::Struct(s)) if s.any_name.is_none()) =>
                            {
                                Some(n.clone())
                            }
                            _ => None,
                        })
                        .collect(),
                    TypeKind::Enum(_) => BTreeSet::new(),
                };
                (id.clone(), targets)
            })
            .collect();
        let component = strongly_connected(&edges);
        for (id, t) in &mut self.ir.types {
            if let TypeKind::Struct(s) = &mut t.kind {
                for f in &mut s.fields {
                    if let TypeRef::Named(n) = &f.ty {
                        f.boxed = edges.get(id).is_some_and(|e| e.contains(n)) && component.get(id) == component.get(n);
                    }
                }
            }
        }
    }
}

/// The Rust names of a type's fields or variants (and its catch-all variant), unique within
/// the type, with a diagnostic for each name that had to change.
fn member_names(def: &TypeDef) -> (Vec<String>, String, Diagnostics) {
    let mut diags = Diagnostics::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut scope = Scope::with_reserved(&[ADDITIONAL_PROPERTIES]);
            let names = s
                .fields
                .iter()
                .map(|f| {
                    let wanted = sanitize(&f.json_name, Case::Snake);
                    let name = scope.claim(&wanted);
                    if name != wanted {
                        diags.push(
                            f.span.clone(),
                            Kind::Renamed,
                            format!(
                                "property `{}` is the field `{name}` because `{}` is taken",
                                f.json_name,
                                unraw(&wanted)
                            ),
                        );
                    }
                    name
                })
                .collect();
            (names, String::new(), diags)
        }
        TypeKind::Enum(e) => {
            let mut scope = Scope::new();
            let names = e
                .members
                .iter()
                .map(|m| {
                    let wanted = sanitize(&m.json_name, Case::Variant);
                    let name = scope.claim(&wanted);
                    if name != wanted {
                        diags.push(
                            m.span.clone(),
                            Kind::Renamed,
                            format!("member `{}` is the variant `{name}` because `{wanted}` is taken", m.json_name),
                        );
                    }
                    name
                })
                .collect();
            let catch_all = scope.claim(CATCH_ALL);
            (names, catch_all, diags)
        }
    }
}

/// A snake_case name usable as a module and a file name (no raw identifiers).
pub fn module_name(name: &str) -> String {
    let s = sanitize(name, Case::Snake);
    match s.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => s,
    }
}

/// Adds one table's members. An enum may be documented on several pages (or twice on one):
/// members already known are skipped silently unless their values disagree; a member listed
/// twice in the same table is a contradiction.
fn push_members(e: &mut EnumDef, members: Vec<Member>, diags: &mut Diagnostics) {
    let known = e.members.len();
    for m in members {
        if let Some(existing) = e.members[known..].iter().find(|x| x.json_name == m.json_name) {
            diags.push(
                m.span.clone(),
                Kind::Conflict,
                format!("member `{}` is listed twice (first at {})", m.json_name, existing.span),
            );
            continue;
        }
        if let Some(existing) = e.members[..known].iter().find(|x| x.json_name == m.json_name) {
            if let (Some(a), Some(b)) = (existing.value, m.value) {
                if a != b {
                    diags.push(
                        m.span.clone(),
                        Kind::Conflict,
                        format!(
                            "member `{}` has the value {b} here and {a} at {}; the first is kept",
                            m.json_name, existing.span
                        ),
                    );
                }
            }
            continue;
        }
        e.members.push(m);
    }
    // Power-of-two values from 1 with more than two members mark a flags enum.
    let values: Vec<i64> = e.members.iter().filter_map(|m| m.value).filter(|v| *v > 0).collect();
    e.flags = values.len() > 2 && values.len() + 1 >= e.members.len() && values.iter().all(|v| v & (v - 1) == 0);
}

fn possible_values_enum(
    page: &Page,
    namespace: &str,
    owner: &str,
    owner_id: &TypeId,
    row: &PropertyRow,
    list: Vec<String>,
) -> TypeDef {
    let mut name = owner.to_string();
    let mut chars = row.name.chars();
    if let Some(first) = chars.next() {
        name.extend(first.to_uppercase());
        name.push_str(chars.as_str());
    }
    let members = list
        .into_iter()
        .map(|v| Member {
            json_name: v,
            rust_name: String::new(),
            doc: String::new(),
            value: None,
            span: page.span(row.line),
        })
        .collect();
    let mut e = EnumDef::default();
    push_members(&mut e, members, &mut Diagnostics::new());
    TypeDef {
        id: format!("{namespace}.{name}"),
        namespace: namespace.to_string(),
        name,
        rust_name: String::new(),
        module: Vec::new(),
        doc: format!("Values of `{}` of [`{}`].", row.name, owner),
        span: page.span(row.line),
        origin: Origin::PossibleValues { owner: owner_id.clone(), property: row.name.clone() },
        kind: TypeKind::Enum(e),
        area: String::new(),
                cfg: Vec::new(),
    }
}

/// Splits a request path into literals and `{param}` / `<param>` placeholders.
pub fn parse_path(raw: &str, span: Span) -> PathTemplate {
    // Query strings in request lines are examples of options, not part of the path.
    let template = raw.split('?').next().unwrap_or(raw).trim().to_string();
    let mut parts = Vec::new();
    let mut params: Vec<PathParam> = Vec::new();
    let mut scope = Scope::with_reserved(&["query", "body", "path"]);
    let mut literal = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let close = match c {
            '{' => '}',
            '<' => '>',
            _ => {
                literal.push(c);
                continue;
            }
        };
        let mut name = String::new();
        let mut closed = false;
        for n in chars.by_ref() {
            if n == close {
                closed = true;
                break;
            }
            name.push(n);
        }
        if !closed {
            literal.push(c);
            literal.push_str(&name);
            continue;
        }
        if !literal.is_empty() {
            parts.push(PathPart::Literal(std::mem::take(&mut literal)));
        }
        let name = name.trim().to_string();
        let rust_name = scope.claim(&sanitize(&name.replace('|', " or "), Case::Snake));
        parts.push(PathPart::Param(params.len()));
        params.push(PathParam { name, rust_name });
    }
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    PathTemplate { template, rust_name: String::new(), parts, params, span }
}

/// Names path alternatives after their leading literal segments: `/me/drive` → `Me`.
fn name_path_variants(paths: &mut [PathTemplate]) {
    let segments: Vec<Vec<String>> = paths
        .iter()
        .map(|p| {
            p.template
                .split('/')
                .filter(|s| !s.is_empty() && !s.contains(['{', '<']))
                .map(|s| sanitize(s, Case::Variant))
                .collect()
        })
        .collect();
    let longest = segments.iter().map(Vec::len).max().unwrap_or(0);
    for k in 1..=longest.max(1) {
        let names: Vec<String> = segments.iter().map(|s| s.iter().take(k).cloned().collect::<String>()).collect();
        let unique: BTreeSet<&String> = names.iter().collect();
        if unique.len() == names.len() && names.iter().all(|n| !n.is_empty()) {
            for (p, n) in paths.iter_mut().zip(names) {
                p.rust_name = sanitize(&n, Case::Type);
            }
            return;
        }
    }
    let mut scope = Scope::new();
    for (i, p) in paths.iter_mut().enumerate() {
        let n: String = segments[i].concat();
        p.rust_name = scope.claim(if n.is_empty() { "Root" } else { &n });
    }
}

/// Component index of each node (iterative Tarjan), so recursion depth never grows with input.
fn strongly_connected(edges: &BTreeMap<TypeId, BTreeSet<TypeId>>) -> BTreeMap<TypeId, usize> {
    let nodes: Vec<&TypeId> = edges.keys().collect();
    let index_of: BTreeMap<&TypeId, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adj: Vec<Vec<usize>> =
        nodes.iter().map(|n| edges[*n].iter().filter_map(|t| index_of.get(t).copied()).collect()).collect();
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let mut comp = vec![usize::MAX; n];
    let (mut next, mut ncomp) = (0, 0);
    let mut stack = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut i)) = work.last_mut() {
            if *i == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = adj[v].get(*i) {
                *i += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = ncomp;
                    if w == v {
                        break;
                    }
                }
                ncomp += 1;
            }
        }
    }
    nodes.into_iter().enumerate().map(|(i, id)| (id.clone(), comp[i])).collect()
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
    fn path_placeholders() {
        let span = Span::new("api/x.md", 1);
        let p = parse_path("/users/{id | userPrincipalName}/drive/items/<item-id>/content?$select=x", span.clone());
        assert_eq!(p.template, "/users/{id | userPrincipalName}/drive/items/<item-id>/content");
        let names: Vec<(&str, &str)> = p.params.iter().map(|x| (x.name.as_str(), x.rust_name.as_str())).collect();
        assert_eq!(names, [("id | userPrincipalName", "id_or_user_principal_name"), ("item-id", "item_id")]);
        let p = parse_path("/a/{id}/b/{id}/{body}", span.clone());
        let names: Vec<&str> = p.params.iter().map(|x| x.rust_name.as_str()).collect();
        assert_eq!(names, ["id", "id_2", "body_2"]);
        let p = parse_path("/drive/root:/{item-path}:/content", span);
        assert_eq!(p.parts.len(), 3);
        assert_eq!(p.parts[2], PathPart::Literal(":/content".into()));
    }

    #[test]
    fn path_variant_names() {
        let span = Span::new("api/x.md", 1);
        let mut paths: Vec<PathTemplate> = ["/me/drive", "/users/{id}/drive", "/groups/{id}/drive"]
            .iter()
            .map(|p| parse_path(p, span.clone()))
            .collect();
        name_path_variants(&mut paths);
        let names: Vec<&str> = paths.iter().map(|p| p.rust_name.as_str()).collect();
        assert_eq!(names, ["Me", "Users", "Groups"]);
        let mut paths: Vec<PathTemplate> =
            ["/me/events/{id}", "/me/calendar/events/{id}"].iter().map(|p| parse_path(p, span.clone())).collect();
        name_path_variants(&mut paths);
        let names: Vec<&str> = paths.iter().map(|p| p.rust_name.as_str()).collect();
        assert_eq!(names, ["MeEvents", "MeCalendar"]);
    }

    #[test]
    fn cycles_are_found() {
        let mut edges: BTreeMap<TypeId, BTreeSet<TypeId>> = BTreeMap::new();
        edges.insert("a".into(), ["b".to_string()].into());
        edges.insert("b".into(), ["a".to_string()].into());
        edges.insert("c".into(), ["a".to_string(), "c".to_string()].into());
        let comp = strongly_connected(&edges);
        assert_eq!(comp["a"], comp["b"]);
        assert_ne!(comp["a"], comp["c"]);
    }

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
