//! Structs and enums for Graph types, with serde impls generated rather than derived.
//!
//! A struct lists its properties once, in `runtime::__private::Object`; one visitor and one writer in the
//! runtime serve every struct. Documented fields read into typed `Option`s, everything else (and
//! explicit `null`s) lands in one map that is written back, with no `#[serde(flatten)]` buffering.

use super::code::{close, item, open, put, reopen, Code, Lit};
use super::{feature_doc, public_page, rust_type, type_path, use_gate};
use crate::ir::{EnumDef, Ir, StructDef, TypeDef, TypeKind, TypeRef};

pub(super) fn definition(c: &mut Code, ir: &Ir, def: &TypeDef) {
    c.blank();
    c.source(&def.span);
    match &def.kind {
        TypeKind::Struct(s) => {
            struct_def(c, ir, def, s);
            any_enum(c, ir, def, s);
        }
        TypeKind::Enum(e) => enum_def(c, ir, def, e),
    }
}

fn type_doc(c: &mut Code, ir: &Ir, def: &TypeDef) {
    let mut text = if def.doc.trim().is_empty() { format!("`{}`.", def.id) } else { def.doc.clone() };
    if let TypeKind::Struct(StructDef { open: true, additional_properties, .. }) = &def.kind {
        text.push_str(&format!(
            "\n\nAn open type: an instance may carry properties beyond those documented; they are kept in `{additional_properties}`."
        ));
    }
    text.push_str(&format!("\n\nGraph type: `{}`.\n\n{}", def.id, feature_doc(&def.area, &def.cfg)));
    let link = public_page(ir, &def.span.file);
    if !link.is_empty() {
        text.push_str(&format!("\n\n{link}"));
    }
    c.doc(&text);
}

/// Structs wider than this compare field by field in statements rather than by derive.
const WIDE_STRUCT: usize = 256;

const DERIVE_STRUCT: &str = "::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default";

fn struct_def(c: &mut Code, ir: &Ir, def: &TypeDef, s: &StructDef) {
    let name = &def.rust_name;
    let extra = &s.additional_properties;
    // A relationship to a type that is not compiled is left out with it; its JSON then stays in
    // the unknown-property map.
    let gates: Vec<&[String]> = s.fields.iter().map(|f| use_gate(ir, &def.cfg, &f.ty)).collect();
    // The derived `PartialEq` is one `&&` chain over all fields, which nests as deep as the
    // struct is wide; very wide structs get a flat comparison instead.
    let wide = s.fields.len() > WIDE_STRUCT;
    type_doc(c, ir, def);
    if wide {
        c.cfg(&def.cfg);
        put!(c, "#[derive({DERIVE_STRUCT})]");
    } else {
        c.cfg(&def.cfg);
        put!(c, "#[derive({DERIVE_STRUCT}, ::core::cmp::PartialEq)]");
    }
    open!(c, "pub struct {name} {{");
    for (f, gate) in s.fields.iter().zip(&gates) {
        let mut text = if f.doc.trim().is_empty() { String::new() } else { format!("{}\n\n", f.doc.trim()) };
        text.push_str(&format!("JSON: `{}`{}.", f.json_name, if f.navigation { " (relationship)" } else { "" }));
        c.doc(&text);
        c.cfg(gate);
        let ty = rust_type(ir, &f.ty);
        if f.boxed {
            put!(c, "pub {}: ::std::option::Option<::std::boxed::Box<{ty}>>,", f.rust_name);
        } else {
            put!(c, "pub {}: ::std::option::Option<{ty}>,", f.rust_name);
        }
    }
    put!(c, "/// Properties the docs do not list, and properties that arrived as `null`; written");
    put!(c, "/// back unchanged.");
    put!(c, "pub {extra}: crate::runtime::AdditionalProperties,");
    close!(c, "}}");

    if wide {
        item!(c, &def.cfg, "impl ::core::cmp::PartialEq for {name} {{");
        open!(c, "fn eq(&self, other: &Self) -> bool {{");
        for (f, gate) in s.fields.iter().zip(&gates) {
            c.cfg(gate);
            open!(c, "if self.{0} != other.{0} {{", f.rust_name);
            put!(c, "return false;");
            close!(c, "}}");
        }
        put!(c, "self.{extra} == other.{extra}");
        close!(c, "}}");
        close!(c, "}}");
    }

    item!(c, &def.cfg, "impl crate::runtime::__private::Object for {name} {{");
    put!(c, "const EXPECTING: &'static str = {};", Lit(&format!("a `{}` object", def.id)));
    open!(c, "fn read_property<'de, __A: ::serde::de::MapAccess<'de>>(");
    put!(c, "&mut self,");
    put!(c, "key: ::std::string::String,");
    put!(c, "map: &mut __A,");
    reopen!(c, ") -> ::std::result::Result<(), __A::Error> {{");
    open!(c, "match key.as_str() {{");
    for (f, gate) in s.fields.iter().zip(&gates) {
        c.cfg(gate);
        put!(
            c,
            "{} => crate::runtime::__private::read_field(map, key, &mut self.{}, &mut self.{extra}),",
            Lit(&f.json_name),
            f.rust_name
        );
    }
    put!(c, "_ => crate::runtime::__private::read_extra(map, key, &mut self.{extra}),");
    close!(c, "}}");
    close!(c, "}}");
    open!(c, "fn write_properties<__M: ::serde::ser::SerializeMap>(");
    put!(c, "&self,");
    put!(c, "map: &mut __M,");
    reopen!(c, ") -> ::std::result::Result<(), __M::Error> {{");
    for (f, gate) in s.fields.iter().zip(&gates) {
        c.cfg(gate);
        put!(c, "crate::runtime::__private::write_field(map, {}, &self.{})?;", Lit(&f.json_name), f.rust_name);
    }
    open!(c, "crate::runtime::__private::write_extra(map, &self.{extra}, |key| match key {{");
    for (f, gate) in s.fields.iter().zip(&gates) {
        c.cfg(gate);
        put!(c, "{} => self.{}.is_some(),", Lit(&f.json_name), f.rust_name);
    }
    put!(c, "_ => false,");
    close!(c, "}})");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl ::serde::Serialize for {name} {{");
    serialize_fn(c);
    put!(c, "crate::runtime::__private::serialize_object(self, serializer)");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl<'de> ::serde::Deserialize<'de> for {name} {{");
    deserialize_fn(c);
    put!(c, "crate::runtime::__private::deserialize_object(deserializer)");
    close!(c, "}}");
    close!(c, "}}");
}

/// Opens the body of `Serialize::serialize`.
fn serialize_fn(c: &mut Code) {
    open!(c, "fn serialize<__S: ::serde::Serializer>(");
    put!(c, "&self,");
    put!(c, "serializer: __S,");
    reopen!(c, ") -> ::std::result::Result<__S::Ok, __S::Error> {{");
}

/// Opens the body of `Deserialize::deserialize`.
fn deserialize_fn(c: &mut Code) {
    open!(c, "fn deserialize<__D: ::serde::Deserializer<'de>>(");
    put!(c, "deserializer: __D,");
    reopen!(c, ") -> ::std::result::Result<Self, __D::Error> {{");
}

fn enum_def(c: &mut Code, ir: &Ir, def: &TypeDef, e: &EnumDef) {
    let name = &def.rust_name;
    let catch_all = &e.catch_all;
    type_doc(c, ir, def);
    c.cfg(&def.cfg);
    put!(
        c,
        "#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]"
    );
    open!(c, "pub enum {name} {{");
    for m in &e.members {
        if m.doc.trim().is_empty() {
            c.doc(&format!("`{}`", m.json_name));
        } else {
            c.doc(&format!("`{}`: {}", m.json_name, m.doc.trim()));
        }
        put!(c, "{},", m.rust_name);
    }
    put!(c, "/// A value the docs do not list (the service adds members over time), kept verbatim.");
    put!(c, "{catch_all}(::std::string::String),");
    close!(c, "}}");

    item!(c, &def.cfg, "impl {name} {{");
    put!(c, "/// The value on the wire.");
    open!(c, "pub fn as_str(&self) -> &str {{");
    put!(c, "crate::runtime::StringEnum::as_str(self)");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl crate::runtime::StringEnum for {name} {{");
    open!(c, "fn as_str(&self) -> &str {{");
    open!(c, "match self {{");
    for m in &e.members {
        put!(c, "Self::{} => {},", m.rust_name, Lit(&m.json_name));
    }
    put!(c, "Self::{catch_all}(value) => value,");
    close!(c, "}}");
    close!(c, "}}");
    open!(c, "fn from_wire(value: &str) -> Self {{");
    open!(c, "match value {{");
    for m in &e.members {
        put!(c, "{} => Self::{},", Lit(&m.json_name), m.rust_name);
    }
    put!(c, "other => Self::{catch_all}(::std::string::String::from(other)),");
    close!(c, "}}");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl ::core::fmt::Display for {name} {{");
    open!(c, "fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {{");
    put!(c, "f.write_str(self.as_str())");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl ::serde::Serialize for {name} {{");
    serialize_fn(c);
    put!(c, "serializer.serialize_str(self.as_str())");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl<'de> ::serde::Deserialize<'de> for {name} {{");
    deserialize_fn(c);
    put!(c, "crate::runtime::__private::deserialize_enum(deserializer, {})", Lit(&format!("a `{}` value", def.id)));
    close!(c, "}}");
    close!(c, "}}");
}

/// The enum for values declared as a type that has derived types: read by `@odata.type`.
fn any_enum(c: &mut Code, ir: &Ir, def: &TypeDef, s: &StructDef) {
    let Some(any) = &s.any_name else { return };
    let ids: Vec<&String> = std::iter::once(&def.id).chain(&s.derived).collect();
    let variants = &s.any_variants;
    // A derived type that is not compiled loses only its variant: its values read as the base.
    let gates: Vec<&[String]> = ids.iter().map(|id| use_gate(ir, &def.cfg, &TypeRef::Named((*id).clone()))).collect();
    c.blank();
    c.doc(&format!(
        "`{}` or any type derived from it, chosen by `@odata.type` when read. A value without\n\
         `@odata.type`, or with one the docs do not list, reads as `{}` and keeps all of its\n\
         properties, the type included.",
        def.id, def.rust_name
    ));
    c.cfg(&def.cfg);
    put!(c, "#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]");
    open!(c, "pub enum {any} {{");
    for ((id, variant), gate) in ids.iter().zip(variants).zip(&gates) {
        c.doc(&format!("`{id}`"));
        c.cfg(gate);
        put!(c, "{variant}(::std::boxed::Box<{}>),", type_path(ir, id));
    }
    close!(c, "}}");

    item!(c, &def.cfg, "impl ::serde::Serialize for {any} {{");
    serialize_fn(c);
    open!(c, "match self {{");
    put!(c, "Self::{}(value) => ::serde::Serialize::serialize(&**value, serializer),", variants[0]);
    for ((id, variant), gate) in ids.iter().zip(variants).zip(&gates).skip(1) {
        c.cfg(gate);
        put!(
            c,
            "Self::{variant}(value) => crate::runtime::__private::write_tagged(&**value, {}, serializer),",
            Lit(id)
        );
    }
    close!(c, "}}");
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &def.cfg, "impl<'de> ::serde::Deserialize<'de> for {any} {{");
    deserialize_fn(c);
    put!(c, "let object = crate::runtime::__private::read_object(deserializer)?;");
    open!(c, "match crate::runtime::__private::odata_type(&object) {{");
    for ((id, variant), gate) in ids.iter().zip(variants).zip(&gates).skip(1) {
        c.cfg(gate);
        put!(
            c,
            "::std::option::Option::Some({}) => crate::runtime::__private::from_object(object).map(Self::{variant}),",
            Lit(id)
        );
    }
    put!(c, "_ => crate::runtime::__private::from_object(object).map(Self::{}),", variants[0]);
    close!(c, "}}");
    close!(c, "}}");
    close!(c, "}}");
}
