//! Endpoint stubs: one struct per operation describing its request, implementing `Endpoint`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, feature_doc, ident, type_tokens};
use crate::ir::{HttpMethod, Ir, Operation, PathPart, PathTemplate, TypeRef};

pub(super) fn operation_tokens(ir: &Ir, op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let lines: Vec<String> = op.paths.iter().map(|p| format!("`{} {}`", op.method.as_str(), p.template)).collect();
    let mut text = op.title.clone();
    if !op.doc.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(op.doc.trim());
    }
    text.push_str("\n\n");
    text.push_str(&lines.join("\n\n"));
    text.push_str("\n\n");
    text.push_str(&feature_doc(&op.area, &op.cfg));
    let doc = doc_attrs(&text);

    let method = format_ident!(
        "{}",
        match op.method {
            HttpMethod::Get => "Get",
            HttpMethod::Post => "Post",
            HttpMethod::Patch => "Patch",
            HttpMethod::Put => "Put",
            HttpMethod::Delete => "Delete",
        }
    );
    let body_ty = op.body.as_ref().map(|b| type_tokens(ir, b));
    let body_assoc = body_ty.clone().unwrap_or_else(|| quote! { crate::runtime::NoContent });
    let response = match &op.response {
        None => quote! { crate::runtime::NoContent },
        Some(TypeRef::Collection(inner)) => {
            let inner = type_tokens(ir, inner);
            quote! { crate::runtime::Page<#inner> }
        }
        // OData answers with a primitive in an envelope: `{"value": ...}`.
        Some(TypeRef::Primitive(p)) => {
            let inner = super::primitive_tokens(*p);
            quote! { crate::runtime::ValueOf<#inner> }
        }
        Some(t) => type_tokens(ir, t),
    };

    // Fields and constructor arguments: path parameters, then the body.
    let (path_fields, path_args, path_inits, path_impl, extra_items) = match &op.path_enum {
        None => {
            let p = &op.paths[0];
            let fields = p.params.iter().map(|param| {
                let f = ident(&param.rust_name);
                let d = doc_attrs(&format!("`{{{}}}` in the path.", param.name));
                quote! { #d pub #f: ::std::string::String, }
            });
            let args = p.params.iter().map(|param| {
                let f = ident(&param.rust_name);
                quote! { #f: impl ::core::convert::Into<::std::string::String>, }
            });
            let inits = p.params.iter().map(|param| {
                let f = ident(&param.rust_name);
                quote! { #f: #f.into(), }
            });
            let template = &p.template;
            let build = build_path(p, |f| quote! { &self.#f });
            let imp = quote! {
                fn template(&self) -> &'static str { #template }
                fn path(&self) -> ::std::string::String { #build }
            };
            (quote! { #(#fields)* }, quote! { #(#args)* }, quote! { #(#inits)* }, imp, TokenStream::new())
        }
        Some(enum_name) => {
            let enum_ident = ident(enum_name);
            let variants = op.paths.iter().map(|p| {
                let v = ident(&p.rust_name);
                let d = doc_attrs(&format!("`{}`", p.template));
                let fields = p.params.iter().map(|param| {
                    let f = ident(&param.rust_name);
                    let d = doc_attrs(&format!("`{{{}}}` in the path.", param.name));
                    quote! { #d #f: ::std::string::String, }
                });
                if p.params.is_empty() {
                    quote! { #d #v, }
                } else {
                    quote! { #d #v { #(#fields)* }, }
                }
            });
            let templates = op.paths.iter().map(|p| {
                let v = ident(&p.rust_name);
                let pat = if p.params.is_empty() {
                    quote! { #enum_ident::#v }
                } else {
                    quote! { #enum_ident::#v { .. } }
                };
                let t = &p.template;
                quote! { #pat => #t, }
            });
            let builds = op.paths.iter().map(|p| {
                let pat = variant_pattern(&enum_ident, p);
                let build = build_path(p, |f| quote! { #f });
                quote! { #pat => { #build } }
            });
            let enum_doc = doc_attrs(&format!("The documented paths of [`{}`].", op.rust_name));
            let items = quote! {
                #enum_doc
                #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq)]
                pub enum #enum_ident { #(#variants)* }

                impl #enum_ident {
                    /// The path as documented, with `{placeholders}`.
                    pub fn template(&self) -> &'static str {
                        match self { #(#templates)* }
                    }
                    /// The path with every parameter filled in and percent-encoded.
                    pub fn to_path(&self) -> ::std::string::String {
                        match self { #(#builds)* }
                    }
                }
            };
            let imp = quote! {
                fn template(&self) -> &'static str { self.path.template() }
                fn path(&self) -> ::std::string::String { self.path.to_path() }
            };
            (
                quote! {
                    /// Which of the documented paths to use.
                    pub path: #enum_ident,
                },
                quote! { path: #enum_ident, },
                quote! { path, },
                imp,
                items,
            )
        }
    };
    let (query_field, query_init, query_impl) = if op.query_options {
        (
            quote! {
                /// OData query options (`$select`, `$filter`, `$expand`, ...).
                pub query: crate::runtime::QueryOptions,
            },
            quote! { query: ::core::default::Default::default(), },
            quote! {
                fn query(&self) -> ::std::option::Option<&crate::runtime::QueryOptions> {
                    ::std::option::Option::Some(&self.query)
                }
            },
        )
    } else {
        (TokenStream::new(), TokenStream::new(), TokenStream::new())
    };
    let (body_field, body_arg, body_init, body_impl) = match &body_ty {
        Some(ty) => (
            quote! {
                /// The request body.
                pub body: #ty,
            },
            quote! { body: #ty, },
            quote! { body, },
            quote! {
                fn body(&self) -> ::std::option::Option<&Self::Body> {
                    ::std::option::Option::Some(&self.body)
                }
            },
        ),
        None => (TokenStream::new(), TokenStream::new(), TokenStream::new(), TokenStream::new()),
    };
    quote! {
        #doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        pub struct #name {
            #path_fields
            #query_field
            #body_field
        }

        impl #name {
            /// The request with its required parts; query options start empty.
            #[allow(clippy::new_without_default)]
            pub fn new(#path_args #body_arg) -> Self {
                Self { #path_inits #query_init #body_init }
            }
        }

        impl crate::runtime::Endpoint for #name {
            type Body = #body_assoc;
            type Response = #response;
            const METHOD: crate::runtime::Method = crate::runtime::Method::#method;
            #path_impl
            #query_impl
            #body_impl
        }

        #extra_items
    }
}

fn variant_pattern(enum_ident: &proc_macro2::Ident, p: &PathTemplate) -> TokenStream {
    let v = ident(&p.rust_name);
    let fields = p.params.iter().map(|param| ident(&param.rust_name));
    if p.params.is_empty() {
        quote! { #enum_ident::#v }
    } else {
        quote! { #enum_ident::#v { #(#fields),* } }
    }
}

/// Code that builds the path into a local `path`; `value` gives the expression of a parameter.
fn build_path(p: &PathTemplate, value: impl Fn(&proc_macro2::Ident) -> TokenStream) -> TokenStream {
    let steps = p.parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { path.push_str(#text); },
        PathPart::Param(i) => {
            let v = value(&ident(&p.params[*i].rust_name));
            quote! { crate::runtime::push_param(&mut path, #v); }
        }
    });
    quote! {
        let mut path = ::std::string::String::new();
        #(#steps)*
        path
    }
}
