//! Types from pages: enum members, struct fields and base types, and the enums that "Possible
//! values" lists make.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::{DocLink, EnumDef, Field, LinkTarget, Member, Origin, Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use crate::parse::page::{Page, PropertyRow};
use crate::parse::typecell::{self, TypeCell};
use crate::parse::values;

use super::Resolver;

/// What one page contributes to the types, worked out apart from the other pages.
#[derive(Default)]
struct PageFill {
    /// Enum tables: the enum they fill, and its members.
    enums: Vec<(TypeId, Vec<Member>)>,
    /// The page's own struct: its fields and its base type.
    properties: Option<(TypeId, Vec<Field>, Option<TypeId>)>,
    /// Enums made from "Possible values are ..." lists on `String` properties.
    synthetic: Vec<TypeDef>,
    /// Enums made from such lists for a named type that no page defines (the docs of an enum
    /// are often not where the property links to); several pages may fill one.
    listed: Vec<TypeDef>,
    diags: Diagnostics,
}

impl Resolver<'_> {
    pub(super) fn fill_types(&mut self) {
        // What each page says is independent of the other pages, so pages are read on every
        // core; merging stays in page order.
        let this: &Self = self;
        let mut fills = crate::parallel::map(self.pages, |page| this.fill_page(page));
        // Documented enums first: a "Possible values" list may match one documented on a later page.
        for fill in &mut fills {
            for (target, members) in std::mem::take(&mut fill.enums) {
                if let Some(TypeKind::Enum(e)) = self.ir.types.get_mut(&target).map(|t| &mut t.kind) {
                    push_members(e, members, self.diags);
                }
            }
        }
        for fill in fills {
            self.diags.extend(fill.diags);
            // Renames of this page's synthesized enums, applied to the fields that use them.
            let mut renamed: BTreeMap<TypeId, TypeId> = BTreeMap::new();
            for def in fill.synthetic {
                let from = def.id.clone();
                let to = self.insert_synthetic(def);
                if to != from {
                    renamed.insert(from, to);
                }
            }
            for def in fill.listed {
                match self.ir.types.get_mut(&def.id).map(|t| &mut t.kind) {
                    Some(TypeKind::Enum(e)) => {
                        let TypeKind::Enum(listed) = def.kind else { continue };
                        push_members(e, listed.members, &mut Diagnostics::new());
                    }
                    Some(TypeKind::Struct(_)) => {}
                    None => {
                        // Found by name from here on, like a documented type.
                        self.by_name.entry(def.name.to_ascii_lowercase()).or_default().insert(def.id.clone());
                        self.ir.types.insert(def.id.clone(), def);
                    }
                }
            }
            let Some((id, fields, base)) = fill.properties else { continue };
            if let Some(TypeKind::Struct(s)) = self.ir.types.get_mut(&id).map(|t| &mut t.kind) {
                if s.base.is_none() {
                    s.base = base;
                }
                for mut f in fields {
                    if let Some(to) = f.ty.named().and_then(|n| renamed.get(n)) {
                        f.ty = retarget(&f.ty, to);
                    }
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
    }

    /// Members listed after `unknownFutureValue` belong to an evolvable enum: the service sends
    /// them only to clients that ask with `Prefer: include-unknown-enum-members` and sends
    /// `unknownFutureValue` to the others. Their docs say so.
    pub(super) fn mark_evolvable(&mut self) {
        const NOTE: &str = "Sent only to clients that ask for it with the `Prefer: include-unknown-enum-members` header; others receive `unknownFutureValue`.";
        for def in self.ir.types.values_mut() {
            let TypeKind::Enum(e) = &mut def.kind else { continue };
            let Some(sentinel) = e.members.iter().position(|m| m.json_name == "unknownFutureValue") else { continue };
            for m in &mut e.members[sentinel + 1..] {
                m.doc = if m.doc.trim().is_empty() { NOTE.to_string() } else { format!("{} {NOTE}", m.doc.trim()) };
            }
        }
    }

    /// The enum table of the page that a row's description links to (`#capabilitystatus-values`).
    fn values_section(&self, page: &Page, row: &PropertyRow) -> Option<TypeId> {
        row.description.links.iter().find_map(|link| {
            let anchor = link.dest.strip_prefix('#')?.to_ascii_lowercase();
            let name = anchor.strip_suffix("-values")?;
            let table = page.enums.iter().find(|t| t.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(name)))?;
            let id = self.lookup(table.name.as_deref()?, &self.page_namespace(page))?;
            matches!(self.ir.types.get(&id)?.kind, TypeKind::Enum(_)).then_some(id)
        })
    }

    /// The struct a row says it is inherited from, as (id, name, namespace).
    fn inherited_owner(&self, row: &PropertyRow, namespace: &str) -> Option<(TypeId, String, String)> {
        let id = self.lookup(super::inherit::inherited_from(&row.description.text)?, namespace)?;
        let def = self.ir.types.get(&id)?;
        matches!(def.kind, TypeKind::Struct(_)).then(|| (id.clone(), def.name.clone(), def.namespace.clone()))
    }

    /// Adds an enum made from a "Possible values" list and returns the id the property should
    /// use. Its name (owner and property) may be taken: by a documented enum with every listed
    /// value, or by the same list made from another page (a row repeated from a base type),
    /// which the property then uses; otherwise (documented types win) by a numbered name.
    fn insert_synthetic(&mut self, mut def: TypeDef) -> TypeId {
        if let (Some(existing), TypeKind::Enum(listed)) = (self.ir.types.get(&def.id), &def.kind) {
            if let TypeKind::Enum(known) = &existing.kind {
                let has = |v: &str| known.members.iter().any(|m| m.json_name == v);
                let covers = listed.members.iter().all(|m| has(&m.json_name));
                let same = covers && known.members.len() == listed.members.len();
                match existing.origin {
                    Origin::Page if covers => return def.id,
                    Origin::PossibleValues { .. } if same => return def.id,
                    _ => {}
                }
            }
        }
        let mut n = 2;
        let base = def.id.clone();
        while self.ir.types.contains_key(&def.id) {
            def.id = format!("{base}{n}");
            def.name = def.id.rsplit('.').next().unwrap_or_default().to_string();
            n += 1;
        }
        let id = def.id.clone();
        self.ir.types.insert(id.clone(), def);
        id
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
                Some(name) if name.contains('.') => self.canonical_id(name),
                Some(name) => format!("{}.{name}", self.page_namespace(page)),
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
                    links: super::links::from_markdown(&page.path, &m.description.links),
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
            let list = values::possible_values(&row.description.text);
            let cell = typecell::parse(&row.type_cell);
            // Only a row with a list can stand in for a missing page.
            let missing = match (&cell, &list) {
                (Ok(c), Some(_)) => self.missing_type(page, c, namespace),
                _ => None,
            };
            if let (Some((name, collection)), Some(list)) = (missing, &list) {
                // The named enum's page is absent (a partial docs tree, or a broken link): the
                // property's own list of values is the best description of it there is.
                let hint = self.did_you_mean(name);
                diags.push(
                    page.span(row.line),
                    Kind::UnresolvedType,
                    format!(
                        "the type `{name}` is not defined by any page{hint}; an enum is built from the property's list of possible values"
                    ),
                );
                let name = if name.contains('.') { self.canonical_id(name) } else { name.to_string() };
                let def = listed_enum(page, namespace, &name, &id, row, list.clone());
                let named = TypeRef::Named(def.id.clone());
                fill.listed.push(def);
                fields.push(field(
                    page,
                    row,
                    if collection { TypeRef::Collection(Box::new(named)) } else { named },
                    navigation,
                ));
                continue;
            }
            let ty = self.row_type(diags, page, row, cell, namespace);
            let string = TypeRef::Primitive(Primitive::String);
            let item = match &ty {
                TypeRef::Collection(inner) => &**inner,
                other => other,
            };
            let ty = match list {
                Some(list) if *item == string => {
                    let named = match self.values_section(page, row) {
                        // The list repeats an enum table of the page (`[...](#x-values)`).
                        Some(documented) => TypeRef::Named(documented),
                        None => {
                            // A row repeated from a base type ("Inherited from [x]") uses the
                            // base's enum rather than one of its own.
                            let (owner_id, owner, owner_ns) = self.inherited_owner(row, namespace).unwrap_or((
                                id.clone(),
                                owner_name.clone(),
                                namespace.clone(),
                            ));
                            let def = possible_values_enum(page, &owner_ns, &owner, &owner_id, row, list);
                            let r = TypeRef::Named(def.id.clone());
                            fill.synthetic.push(def);
                            r
                        }
                    };
                    if matches!(ty, TypeRef::Collection(_)) {
                        TypeRef::Collection(Box::new(named))
                    } else {
                        named
                    }
                }
                _ => ty,
            };
            fields.push(field(page, row, ty, navigation));
        }
        let base = self.base_type(diags, page, &id, namespace);
        fill.properties = Some((id, fields, base));
        fill
    }

    /// The type of a table row from its parsed type cell; a cell that is not a type is reported
    /// and the field is untyped JSON.
    pub(super) fn row_type(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        row: &PropertyRow,
        cell: Result<TypeCell, String>,
        namespace: &str,
    ) -> TypeRef {
        match cell {
            Ok(cell) => self.type_ref(diags, page, &cell, namespace, row.line),
            Err(e) => {
                diags.push(
                    page.span(row.line),
                    Kind::UnknownTypeCell,
                    format!("property `{}`: {e}; the field is untyped JSON", row.name),
                );
                TypeRef::Json
            }
        }
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

/// A field from a table row.
pub(super) fn field(page: &Page, row: &PropertyRow, ty: TypeRef, navigation: bool) -> Field {
    Field {
        json_name: row.name.clone(),
        rust_name: String::new(),
        doc: row.description.trimmed().to_string(),
        links: super::links::from_markdown(&page.path, &row.description.links),
        ty,
        navigation,
        boxed: false,
        span: page.span(row.line),
    }
}

/// `ty` with its named type replaced by `to` (inside collections too).
fn retarget(ty: &TypeRef, to: &TypeId) -> TypeRef {
    match ty {
        TypeRef::Collection(inner) => TypeRef::Collection(Box::new(retarget(inner, to))),
        TypeRef::Named(_) => TypeRef::Named(to.clone()),
        other => other.clone(),
    }
}

/// The enum a property names but no page defines, from the property's list of values.
fn listed_enum(
    page: &Page,
    namespace: &str,
    name: &str,
    owner_id: &TypeId,
    row: &PropertyRow,
    list: Vec<String>,
) -> TypeDef {
    let id = if name.contains('.') { name.to_string() } else { format!("{namespace}.{name}") };
    let mut def = possible_values_enum(page, namespace, "", owner_id, row, list);
    def.name = id.rsplit('.').next().unwrap_or(name).to_string();
    def.namespace = id.rsplit_once('.').map_or(namespace, |(ns, _)| ns).to_string();
    def.doc = format!(
        "`{id}`, whose page is not in the docs tree: its members are the values that `{}` of [`{}`] lists.",
        row.name,
        owner_id.rsplit('.').next().unwrap_or(owner_id)
    );
    def.id = id;
    def
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
            links: Vec::new(),
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
        doc: format!("Values of `{}` of `{owner}`.", row.name),
        links: vec![DocLink { text: format!("`{owner}`"), target: LinkTarget::Page(page.path.clone()) }],
        span: page.span(row.line),
        origin: Origin::PossibleValues { owner: owner_id.clone(), property: row.name.clone() },
        kind: TypeKind::Enum(e),
        area: String::new(),
        cfg: Vec::new(),
    }
}
