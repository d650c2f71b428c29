//! Structs and enums for Graph types, with serde impls generated rather than derived.
//!
//! A struct lists its properties twice (once to read, once to write) in
//! `runtime::__private::Object`; one visitor and one writer in the runtime serve every struct.
//! Documented fields read into typed `Option`s, everything else (and explicit `null`s) lands in
//! one map that is written back, with no `#[serde(flatten)]` buffering.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{cfg, doc, ident, linked_doc, source};
use super::{feature_doc, public_page, rust_type, type_path, use_gate, Cx};
use crate::ir::{EnumDef, Ir, StructDef, TypeDef, TypeKind, TypeRef};

pub(super) fn definition(cx: &Cx, def: &TypeDef) -> TokenStream {
    let ir = cx.ir;
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut tokens = struct_def(cx, def, s);
            tokens.extend(any_enum(ir, def, s));
            tokens
        }
        TypeKind::Enum(e) => enum_def(cx, def, e),
    }
}

fn type_doc(cx: &Cx, def: &TypeDef) -> TokenStream {
    let ir = cx.ir;
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
    let source = source(&def.span);
    let doc = linked_doc(&text, &cx.links(&def.cfg, &def.links));
    quote! { #source #doc }
}

/// Structs wider than this compare field by field in statements rather than by derive.
const WIDE_STRUCT: usize = 256;

fn struct_def(cx: &Cx, def: &TypeDef, s: &StructDef) -> TokenStream {
    let ir = cx.ir;
    let name = ident(&def.rust_name);
    let extra = ident(&s.additional_properties);
    let own_cfg = cfg(&def.cfg);
    // A relationship to a type that is not compiled is left out with it; its JSON then stays in
    // the unknown-property map.
    let gates: Vec<TokenStream> = s.fields.iter().map(|f| cfg(use_gate(ir, &def.cfg, &f.ty))).collect();
    let fields: Vec<_> = s.fields.iter().map(|f| ident(&f.rust_name)).collect();
    let keys: Vec<&str> = s.fields.iter().map(|f| f.json_name.as_str()).collect();

    let declarations = s.fields.iter().zip(&fields).zip(&gates).map(|((f, field), gate)| {
        let mut text = if f.doc.trim().is_empty() { String::new() } else { format!("{}\n\n", f.doc.trim()) };
        text.push_str(&format!("JSON: `{}`{}.", f.json_name, if f.navigation { " (relationship)" } else { "" }));
        let doc = linked_doc(&text, &cx.links(&def.cfg, &f.links));
        let ty = rust_type(ir, &f.ty);
        let ty = if f.boxed { quote!(::std::boxed::Box<#ty>) } else { ty };
        quote! { #doc #gate pub #field: ::std::option::Option<#ty>, }
    });
    // The derived `PartialEq` is one `&&` chain over all fields, which nests as deep as the
    // struct is wide; very wide structs get a flat comparison instead.
    let wide = s.fields.len() > WIDE_STRUCT;
    let partial_eq = if wide {
        quote! {
            #own_cfg
            impl ::core::cmp::PartialEq for #name {
                fn eq(&self, other: &Self) -> bool {
                    #( #gates if self.#fields != other.#fields { return false; } )*
                    self.#extra == other.#extra
                }
            }
        }
    } else {
        TokenStream::new()
    };
    let derive_eq = if wide { TokenStream::new() } else { quote!(, ::core::cmp::PartialEq) };
    // A struct without documented properties reads and writes its map alone.
    let (read, write) = if fields.is_empty() {
        (quote! { reader.extra(key) }, quote! { crate::runtime::__private::Writer::new(map, &self.#extra).finish() })
    } else {
        (
            quote! {
                match &*key {
                    #( #gates #keys => reader.field(key, &mut self.#fields), )*
                    _ => reader.extra(key),
                }
            },
            quote! {
                let mut writer = crate::runtime::__private::Writer::new(map, &self.#extra);
                #( #gates writer.field(#keys, &self.#fields)?; )*
                writer.finish()
            },
        )
    };
    // One constant per property, so that a request body can name a property to send as `null`
    // (`user.set_null(User::JOB_TITLE)`) without a string the compiler cannot check.
    let names = if s.fields.is_empty() {
        TokenStream::new()
    } else {
        let consts = s.fields.iter().map(|f| {
            let constant = ident(&field_constant(&f.rust_name));
            let key = f.json_name.as_str();
            quote! { crate::runtime::__private::field!(#constant, #key); }
        });
        quote! {
            #own_cfg
            /// The properties by name, for [`Nulls`](crate::runtime::Nulls): absent, `null` and a value
            /// told apart in a request body.
            impl #name { #(#consts)* }
        }
    };
    let doc = type_doc(cx, def);
    let expecting = format!("a `{}` object", def.id);
    quote! {
        #doc
        #own_cfg
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default #derive_eq)]
        pub struct #name {
            #(#declarations)*
            /// Properties the docs do not list, and properties that arrived as `null`; written
            /// back unchanged.
            pub #extra: crate::runtime::AdditionalProperties,
        }

        #names

        #partial_eq

        #own_cfg
        impl crate::runtime::__private::Object for #name {
            const EXPECTING: &'static str = #expecting;
            fn read_property<'de, __A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: crate::runtime::__private::Key<'de>,
                map: &mut __A,
            ) -> ::std::result::Result<(), __A::Error> {
                let reader = crate::runtime::__private::Reader::new(map, &mut self.#extra);
                #read
            }
            fn write_properties<__M: ::serde::ser::SerializeMap>(
                &self,
                map: &mut __M,
            ) -> ::std::result::Result<(), __M::Error> {
                #write
            }
            fn additional_properties_mut(&mut self) -> &mut crate::runtime::AdditionalProperties {
                &mut self.#extra
            }
        }

        #own_cfg
        crate::runtime::__private::object_serde!(#name);
    }
}

/// The name of a property's constant: its field name in upper case, without `r#`
/// (`job_title` is `JOB_TITLE`, `r#type` is `TYPE`). Field names are distinct snake_case
/// identifiers, so their upper-case forms are distinct too.
fn field_constant(field: &str) -> String {
    field.trim_start_matches("r#").to_ascii_uppercase()
}

fn enum_def(cx: &Cx, def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.rust_name);
    let catch_all = ident(&e.catch_all);
    let own_cfg = cfg(&def.cfg);
    let variants: Vec<_> = e.members.iter().map(|m| ident(&m.rust_name)).collect();
    let wire: Vec<&str> = e.members.iter().map(|m| m.json_name.as_str()).collect();
    let docs = e.members.iter().map(|m| {
        if m.doc.trim().is_empty() {
            doc(&format!("`{}`", m.json_name))
        } else {
            linked_doc(&format!("`{}`: {}", m.json_name, m.doc.trim()), &cx.links(&def.cfg, &m.links))
        }
    });
    let doc = type_doc(cx, def);
    let expected = format!("a `{}` value", def.id);
    quote! {
        #doc
        #own_cfg
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #name {
            #( #docs #variants, )*
            /// A value the docs do not list (the service adds members over time), kept verbatim.
            #catch_all(::std::string::String),
        }

        #own_cfg
        crate::runtime::__private::string_enum!(#name, #expected);

        #own_cfg
        impl crate::runtime::StringEnum for #name {
            fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wire, )*
                    Self::#catch_all(value) => value,
                }
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    #( #wire => Self::#variants, )*
                    other => Self::#catch_all(::std::string::String::from(other)),
                }
            }
        }

    }
}

/// The enum for values declared as a type that has derived types: read by `@odata.type`.
fn any_enum(ir: &Ir, def: &TypeDef, s: &StructDef) -> TokenStream {
    let Some(any) = &s.any_name else { return TokenStream::new() };
    let any = ident(any);
    let own_cfg = cfg(&def.cfg);
    let ids: Vec<&String> = std::iter::once(&def.id).chain(&s.derived).collect();
    let variants: Vec<_> = s.any_variants.iter().map(|v| ident(v)).collect();
    // A derived type that is not compiled loses only its variant: its values read as the base.
    let gates: Vec<TokenStream> =
        ids.iter().map(|id| cfg(use_gate(ir, &def.cfg, &TypeRef::Named((*id).clone())))).collect();
    let docs = ids.iter().map(|id| doc(&format!("`{id}`")));
    let paths = ids.iter().map(|id| type_path(ir, id));
    let doc = doc(&format!(
        "`{}` or any type derived from it, chosen by `@odata.type` when read. A value without\n\
         `@odata.type`, or with one the docs do not list, reads as `{}` and keeps all of its\n\
         properties, the type included.",
        def.id, def.rust_name
    ));
    let base = &variants[0];
    let (derived_ids, derived, derived_gates) = (&ids[1..], &variants[1..], &gates[1..]);
    let expecting = format!("a `{}` object or one of a type derived from it", def.id);
    quote! {
        #doc
        #own_cfg
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        pub enum #any {
            #( #docs #gates #variants(::std::boxed::Box<#paths>), )*
        }

        #own_cfg
        impl ::serde::Serialize for #any {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    Self::#base(value) => ::serde::Serialize::serialize(&**value, serializer),
                    #( #derived_gates Self::#derived(value) => crate::runtime::__private::write_tagged(&**value, #derived_ids, serializer), )*
                }
            }
        }

        #own_cfg
        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::__private::deserialize_polymorphic(deserializer)
            }
        }

        #own_cfg
        impl crate::runtime::__private::Polymorphic for #any {
            const EXPECTING: &'static str = #expecting;
            fn pick<'de, __A: ::serde::de::MapAccess<'de>>(
                tag: ::std::option::Option<&str>,
                rest: crate::runtime::__private::Rest<'_, 'de, __A>,
            ) -> ::std::result::Result<Self, __A::Error> {
                match tag {
                    #( #derived_gates ::std::option::Option::Some(#derived_ids) => rest.read().map(Self::#derived), )*
                    _ => rest.read().map(Self::#base),
                }
            }
        }
    }
}
