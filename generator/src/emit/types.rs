//! Structs and enums for Graph types, with serde impls generated rather than derived.
//!
//! A struct lists its properties once, in `runtime::Object`; one visitor and one writer in the
//! runtime serve every struct. Documented fields read into typed `Option`s, everything else (and
//! explicit `null`s) lands in one map that is written back, with no `#[serde(flatten)]` buffering.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_attrs, feature_doc, ident, type_path, type_tokens, use_gate};
use crate::ir::{EnumDef, Ir, StructDef, TypeDef, TypeKind};

pub(super) fn definition(ir: &Ir, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => {
            let any = any_tokens(ir, def, s);
            let st = struct_tokens(ir, def, s);
            quote! { #st #any }
        }
        TypeKind::Enum(e) => enum_tokens(def, e),
    }
}

fn type_doc(def: &TypeDef) -> TokenStream {
    let mut text = if def.doc.trim().is_empty() { format!("`{}`.", def.id) } else { def.doc.clone() };
    text.push_str(&format!("\n\nGraph type: `{}`.\n\n{}", def.id, feature_doc(&def.area, &def.cfg)));
    doc_attrs(&text)
}

/// Structs wider than this compare field by field in statements rather than by derive.
const WIDE_STRUCT: usize = 256;

fn struct_tokens(ir: &Ir, def: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ident(&def.rust_name);
    let doc = type_doc(def);
    let extra = ident(&s.additional_properties);
    // A relationship to a type that is not compiled is left out with it; its JSON then stays in
    // the unknown-property map.
    let gates: Vec<TokenStream> = s.fields.iter().map(|f| use_gate(ir, &def.cfg, &f.ty)).collect();
    let fields = s.fields.iter().zip(&gates).map(|(f, gate)| {
        let fname = ident(&f.rust_name);
        let mut text = if f.doc.trim().is_empty() { String::new() } else { format!("{}\n\n", f.doc.trim()) };
        text.push_str(&format!("JSON: `{}`{}.", f.json_name, if f.navigation { " (relationship)" } else { "" }));
        let fdoc = doc_attrs(&text);
        let ty = type_tokens(ir, &f.ty);
        let ty = if f.boxed {
            quote! { ::std::boxed::Box<#ty> }
        } else {
            ty
        };
        quote! { #fdoc #gate pub #fname: ::std::option::Option<#ty>, }
    });
    let writes = s.fields.iter().zip(&gates).map(|(f, gate)| {
        let fname = ident(&f.rust_name);
        let json = &f.json_name;
        quote! { #gate crate::runtime::write_field(map, #json, &self.#fname)?; }
    });
    let set_checks = s.fields.iter().zip(&gates).map(|(f, gate)| {
        let fname = ident(&f.rust_name);
        let json = &f.json_name;
        quote! { #gate #json => self.#fname.is_some(), }
    });
    let reads = s.fields.iter().zip(&gates).map(|(f, gate)| {
        let fname = ident(&f.rust_name);
        let json = &f.json_name;
        quote! { #gate #json => crate::runtime::read_field(map, key, &mut self.#fname, &mut self.#extra), }
    });
    let expecting = format!("a `{}` object", def.id);
    // The derived `PartialEq` is one `&&` chain over all fields, which nests as deep as the
    // struct is wide; very wide structs get a flat comparison instead.
    let (derive_eq, manual_eq) = if s.fields.len() <= WIDE_STRUCT {
        (quote! { , ::core::cmp::PartialEq }, TokenStream::new())
    } else {
        let names = s.fields.iter().map(|f| ident(&f.rust_name));
        let gates = &gates;
        (
            TokenStream::new(),
            quote! {
                impl ::core::cmp::PartialEq for #name {
                    fn eq(&self, other: &Self) -> bool {
                        #(#gates if self.#names != other.#names { return false; })*
                        self.#extra == other.#extra
                    }
                }
            },
        )
    };
    quote! {
        #manual_eq
        #doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default #derive_eq)]
        pub struct #name {
            #(#fields)*
            /// Properties the docs do not list, and properties that arrived as `null`; written
            /// back unchanged.
            pub #extra: crate::runtime::AdditionalProperties,
        }

        impl crate::runtime::Object for #name {
            const EXPECTING: &'static str = #expecting;
            fn read_property<'de, __A: ::serde::de::MapAccess<'de>>(&mut self, key: ::std::string::String, map: &mut __A) -> ::std::result::Result<(), __A::Error> {
                match key.as_str() {
                    #(#reads)*
                    _ => crate::runtime::read_extra(map, key, &mut self.#extra),
                }
            }
            fn write_properties<__M: ::serde::ser::SerializeMap>(&self, map: &mut __M) -> ::std::result::Result<(), __M::Error> {
                #(#writes)*
                crate::runtime::write_extra(map, &self.#extra, |key| match key {
                    #(#set_checks)*
                    _ => false,
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                crate::runtime::serialize_object(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::deserialize_object(deserializer)
            }
        }
    }
}

fn enum_tokens(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.rust_name);
    let doc = type_doc(def);
    let catch_all = ident(&e.catch_all);
    let variants = e.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let text = if m.doc.trim().is_empty() {
            format!("`{}`", m.json_name)
        } else {
            format!("`{}`: {}", m.json_name, m.doc.trim())
        };
        let vdoc = doc_attrs(&text);
        quote! { #vdoc #v, }
    });
    let to_wire = e.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.json_name;
        quote! { Self::#v => #wire, }
    });
    let from_wire = e.members.iter().map(|m| {
        let v = ident(&m.rust_name);
        let wire = &m.json_name;
        quote! { #wire => Self::#v, }
    });
    let expecting = format!("a `{}` value", def.id);
    quote! {
        #doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub enum #name {
            #(#variants)*
            /// A value the docs do not list (the service adds members over time), kept verbatim.
            #catch_all(::std::string::String),
        }

        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                crate::runtime::StringEnum::as_str(self)
            }
        }

        impl crate::runtime::StringEnum for #name {
            fn as_str(&self) -> &str {
                match self {
                    #(#to_wire)*
                    Self::#catch_all(value) => value,
                }
            }
            fn from_wire(value: &str) -> Self {
                match value {
                    #(#from_wire)*
                    other => Self::#catch_all(::std::string::String::from(other)),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::deserialize_enum(deserializer, #expecting)
            }
        }
    }
}

/// The enum for values declared as a type that has derived types: read by `@odata.type`.
fn any_tokens(ir: &Ir, def: &TypeDef, s: &StructDef) -> TokenStream {
    let Some(any) = &s.any_name else { return TokenStream::new() };
    let any = ident(any);
    let ids: Vec<&String> = std::iter::once(&def.id).chain(&s.derived).collect();
    let variants: Vec<_> = s.any_variants.iter().map(|v| ident(v)).collect();
    let paths: Vec<TokenStream> = ids.iter().map(|id| type_path(ir, id)).collect();
    let tags: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    let base_variant = &variants[0];
    let derived_variants = &variants[1..];
    let derived_tags = &tags[1..];
    // A derived type that is not compiled loses only its variant: its values read as the base.
    let gates: Vec<TokenStream> =
        ids.iter().map(|id| use_gate(ir, &def.cfg, &crate::ir::TypeRef::Named((*id).clone()))).collect();
    let derived_gates = &gates[1..];
    let derived_arms = variants.iter().zip(&tags).zip(&gates).skip(1).map(|((v, tag), gate)| {
        quote! { #gate ::std::option::Option::Some(#tag) => crate::runtime::from_object(object).map(Self::#v), }
    });
    let doc = doc_attrs(&format!(
        "`{}` or any type derived from it, chosen by `@odata.type` when read. A value without\n\
         `@odata.type`, or with one the docs do not list, reads as `{}` and keeps all of its\n\
         properties, the type included.",
        def.id, def.rust_name
    ));
    let variant_docs = tags.iter().map(|t| doc_attrs(&format!("`{t}`")));
    quote! {
        #doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        pub enum #any {
            #(#variant_docs #gates #variants(::std::boxed::Box<#paths>),)*
        }

        impl ::serde::Serialize for #any {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                match self {
                    Self::#base_variant(value) => ::serde::Serialize::serialize(&**value, serializer),
                    #(#derived_gates Self::#derived_variants(value) => crate::runtime::write_tagged(&**value, #derived_tags, serializer),)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                let object = crate::runtime::read_object(deserializer)?;
                match crate::runtime::odata_type(&object) {
                    #(#derived_arms)*
                    _ => crate::runtime::from_object(object).map(Self::#base_variant),
                }
            }
        }
    }
}
