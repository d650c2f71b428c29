//! Types from pages: enum members, struct fields and base types, and the enums that "Possible
//! values" lists make.

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::{EnumDef, Field, Member, Origin, Primitive, TypeDef, TypeId, TypeKind, TypeRef};
use crate::parse::page::{Page, PropertyRow};
use crate::parse::typecell;
use crate::parse::values;

use super::symbols::namespace_line;
use super::{Resolver, ROOT_NAMESPACE};

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

impl Resolver<'_> {
    pub(super) fn fill_types(&mut self) {
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

    pub(super) fn row_type(
        &self,
        diags: &mut Diagnostics,
        page: &Page,
        row: &PropertyRow,
        namespace: &str,
    ) -> Option<TypeRef> {
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
