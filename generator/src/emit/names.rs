//! Names that cannot become Rust identifiers. The naming phase only produces identifiers, so this
//! is the guard that keeps a naming mistake from turning into a panic or into unparsable code:
//! each such name is a diagnostic at its page and line, and its item is left out. A left-out
//! field's JSON stays in the additional properties, a member's value reads as unrecognized,
//! and a left-out type's uses become untyped JSON; nothing else of the page is lost.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::tokens::checked_ident;
use crate::diagnostics::{Diagnostics, Kind, Span};
use crate::ir::{Ir, TypeKind};

/// The IR with every item that has a name that is not an identifier left out; borrowed as is
/// when there is none, which is always the case unless the naming phase has a bug.
pub(crate) fn check<'a>(ir: &'a Ir, diags: &mut Diagnostics) -> Cow<'a, Ir> {
    let mut found = Diagnostics::new();
    let mut bad = |span: &Span, what: &str, name: &str| {
        found.push(
            span.clone(),
            Kind::InvalidName,
            format!("expected {what} to be a Rust identifier, found `{name}`; it was left out of the crate"),
        );
    };
    let ok = |name: &str| checked_ident(name).is_some();

    let mut dropped_types = BTreeSet::new();
    let mut dropped_fields = Vec::new();
    let mut dropped_members = Vec::new();
    for def in ir.types.values() {
        let mut names: Vec<&str> = vec![&def.rust_name];
        names.extend(def.module.iter().map(String::as_str));
        match &def.kind {
            TypeKind::Struct(s) => {
                names.push(&s.additional_properties);
                names.extend(s.any_name.as_deref());
                names.extend(s.any_variants.iter().map(String::as_str));
                for (i, f) in s.fields.iter().enumerate() {
                    if !ok(&f.rust_name) {
                        bad(&f.span, &format!("the field for property `{}`", f.json_name), &f.rust_name);
                        dropped_fields.push((def.id.clone(), i));
                    }
                }
            }
            TypeKind::Enum(e) => {
                names.push(&e.catch_all);
                for (i, m) in e.members.iter().enumerate() {
                    if !ok(&m.rust_name) {
                        bad(&m.span, &format!("the variant for member `{}`", m.json_name), &m.rust_name);
                        dropped_members.push((def.id.clone(), i));
                    }
                }
            }
        }
        if let Some(name) = names.into_iter().find(|n| !ok(n)) {
            bad(&def.span, &format!("a name of type `{}`", def.id), name);
            dropped_types.insert(def.id.clone());
        }
    }
    let mut dropped_operations = Vec::new();
    for (key, op) in &ir.operations {
        let mut names: Vec<&str> = vec![&op.rust_name];
        names.extend(op.path_enum.as_deref());
        for p in &op.paths {
            if op.path_enum.is_some() {
                names.push(&p.rust_name);
            }
            names.extend(p.params.iter().map(|param| param.rust_name.as_str()));
        }
        if let Some(name) = names.into_iter().find(|n| !ok(n)) {
            bad(&op.span, &format!("a name of operation `{}`", op.title), name);
            dropped_operations.push(key.clone());
        }
    }
    if found.is_empty() {
        return Cow::Borrowed(ir);
    }
    diags.extend(found);

    let mut ir = ir.clone();
    // Later indices first, so that earlier ones stay valid.
    for (id, i) in dropped_fields.into_iter().rev() {
        if let Some(TypeKind::Struct(s)) = ir.types.get_mut(&id).map(|d| &mut d.kind) {
            s.fields.remove(i);
        }
    }
    for (id, i) in dropped_members.into_iter().rev() {
        if let Some(TypeKind::Enum(e)) = ir.types.get_mut(&id).map(|d| &mut d.kind) {
            e.members.remove(i);
        }
    }
    for key in dropped_operations {
        ir.operations.remove(&key);
    }
    for id in &dropped_types {
        ir.types.remove(id);
    }
    // A dropped type is no alternative of its bases' `Any` enums.
    for def in ir.types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            if s.derived.iter().any(|d| dropped_types.contains(d)) {
                let keep: Vec<bool> = s.derived.iter().map(|d| !dropped_types.contains(d)).collect();
                let mut flags = keep.iter();
                s.derived.retain(|_| *flags.next().unwrap_or(&true));
                // `any_variants` is this type's variant, then one per derived type.
                let mut flags = std::iter::once(&true).chain(&keep);
                s.any_variants.retain(|_| *flags.next().unwrap_or(&true));
            }
        }
    }
    Cow::Owned(ir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumDef, Field, Member, Origin, StructDef, TypeDef, TypeRef};

    fn def(id: &str, rust: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            id: id.into(),
            namespace: "microsoft.graph".into(),
            name: id.into(),
            rust_name: rust.into(),
            module: Vec::new(),
            doc: String::new(),
            links: Vec::new(),
            span: Span::new(format!("resources/{id}.md"), 1),
            origin: Origin::Page,
            kind,
            area: "general".into(),
            cfg: Vec::new(),
        }
    }

    #[test]
    fn items_with_names_that_are_not_identifiers_are_left_out_with_a_diagnostic() {
        let field = |json: &str, rust: &str| Field {
            json_name: json.into(),
            rust_name: rust.into(),
            doc: String::new(),
            links: Vec::new(),
            ty: TypeRef::Json,
            navigation: false,
            boxed: false,
            span: Span::new("resources/a.md", 9),
        };
        let member = |rust: &str| Member {
            json_name: "x y".into(),
            rust_name: rust.into(),
            doc: String::new(),
            links: Vec::new(),
            value: None,
            span: Span::new("resources/e.md", 4),
        };
        let mut ir = Ir::default();
        let fields = vec![field("good", "good"), field("bad", "bad name"), field("type", "r#type")];
        let a = StructDef { fields, additional_properties: "additional_properties".into(), ..Default::default() };
        ir.types.insert("a".into(), def("a", "A", TypeKind::Struct(a)));
        let e = EnumDef { members: vec![member("Ok"), member("1x")], catch_all: "Unrecognized".into(), flags: false };
        ir.types.insert("e".into(), def("e", "E", TypeKind::Enum(e)));
        let s = StructDef { additional_properties: "additional_properties".into(), ..Default::default() };
        ir.types.insert("s".into(), def("s", "self", TypeKind::Struct(s)));

        let mut diags = Diagnostics::new();
        let checked = check(&ir, &mut diags);
        let found: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found[0].starts_with("resources/a.md:9: warning: expected the field for property `bad`"), "{found:#?}");
        assert!(found[1].contains("resources/e.md:4") && found[1].contains("`1x`"), "{found:#?}");
        assert!(found[2].contains("resources/s.md:1") && found[2].contains("`self`"), "{found:#?}");
        let TypeKind::Struct(a) = &checked.types["a"].kind else { panic!() };
        assert_eq!(a.fields.iter().map(|f| f.json_name.as_str()).collect::<Vec<_>>(), ["good", "type"]);
        let TypeKind::Enum(e) = &checked.types["e"].kind else { panic!() };
        assert_eq!(e.members.len(), 1);
        assert!(!checked.types.contains_key("s"));

        // Good names cost nothing: the IR is borrowed.
        let mut diags = Diagnostics::new();
        assert!(matches!(check(&checked, &mut diags), Cow::Borrowed(_)));
        assert!(diags.is_empty());
    }
}
