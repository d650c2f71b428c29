//! Endpoint stubs: one struct per operation describing its request, implementing `Endpoint`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

use super::tokens::{cfg, doc, ident, linked_doc, source};
use super::{feature_doc, primitive_type, public_page, rust_type, Cx};
use crate::ir::{HttpMethod, Operation, PathPart, PathTemplate, TypeRef};

pub(super) fn operation(cx: &Cx, op: &Operation) -> TokenStream {
    let ir = cx.ir;
    let name = ident(&op.rust_name);
    let own_cfg = cfg(&op.cfg);
    let lines: Vec<String> = op.paths.iter().map(|p| format!("`{} {}`", op.method.as_str(), p.template)).collect();
    // The title, the description (whose links become rustdoc links), then what the generator adds.
    let description = if op.doc.trim().is_empty() {
        TokenStream::new()
    } else {
        let text = linked_doc(op.doc.trim(), &cx.links(&op.cfg, &op.links));
        quote! { #[doc = ""] #text }
    };
    let mut text = String::new();
    text.push_str(&lines.join("\n\n"));
    text.push_str("\n\n");
    text.push_str(&feature_doc(&op.area, &op.cfg));
    let link = public_page(ir, &op.page);
    if !link.is_empty() {
        text.push_str("\n\n");
        text.push_str(&link);
    }
    let source = source(&op.span);
    let (title, text) = (doc(&op.title), doc(&text));
    let item_doc = quote! { #title #description #[doc = ""] #text };

    let method = match op.method {
        HttpMethod::Get => quote!(Get),
        HttpMethod::Post => quote!(Post),
        HttpMethod::Patch => quote!(Patch),
        HttpMethod::Put => quote!(Put),
        HttpMethod::Delete => quote!(Delete),
    };
    let body = op.body.as_ref().map(|b| rust_type(ir, b));
    let response = match &op.response {
        None => quote!(crate::runtime::NoContent),
        Some(TypeRef::Collection(inner)) => {
            let inner = rust_type(ir, inner);
            quote!(crate::runtime::Page<#inner>)
        }
        // OData answers with a primitive in an envelope: `{"value": ...}`.
        Some(TypeRef::Primitive(p)) => {
            let p = primitive_type(*p);
            quote!(crate::runtime::ValueOf<#p>)
        }
        Some(t) => rust_type(ir, t),
    };
    let path_enum = op.path_enum.as_deref().map(ident);

    // Fields, constructor arguments and their initializers: path parameters, then the body.
    let mut fields = Vec::new();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    match &path_enum {
        None => {
            for param in &op.paths[0].params {
                let p = ident(&param.rust_name);
                let doc = doc(&format!("`{{{}}}` in the path.", param.name));
                fields.push(quote! { #doc pub #p: ::std::string::String, });
                args.push(quote! { #p: impl ::core::convert::Into<::std::string::String> });
                inits.push(quote! { #p: #p.into() });
            }
        }
        Some(e) => {
            fields.push(quote! {
                /// Which of the documented paths to use.
                pub path: #e,
            });
            args.push(quote! { path: #e });
            inits.push(quote! { path });
        }
    }
    // The query: the OData options of a read, and the operation's own parameters, which the
    // methods below set by name.
    let takes_query = op.takes_query();
    if takes_query {
        fields.push(if op.query_options {
            quote! {
                /// OData query options (`$select`, `$filter`, `$expand`, ...) and other query
                /// parameters.
                pub query: crate::runtime::QueryOptions,
            }
        } else {
            quote! {
                /// Query parameters (the OData options do not apply to this operation).
                pub query: crate::runtime::QueryOptions,
            }
        });
        inits.push(quote! { query: ::core::default::Default::default() });
    }
    let setters = op.query_params.iter().map(|q| {
        let method = ident(&q.rust_name);
        let wire = &q.name;
        let mut text = format!("Sets the query parameter `{wire}`");
        text.push_str(if q.required { " (every documented request has it)." } else { "." });
        if !q.doc.is_empty() {
            text.push_str("\n\n");
            text.push_str(&q.doc);
        }
        let text = doc(&text);
        quote! {
            #text
            pub fn #method(mut self, value: impl ::core::convert::Into<::std::string::String>) -> Self {
                self.query.params.push((#wire.into(), value.into()));
                self
            }
        }
    });
    if let Some(ty) = &body {
        fields.push(quote! {
            /// The request body.
            pub body: #ty,
        });
        args.push(quote! { body: #ty });
        inits.push(quote! { body });
    }

    let (template, path) = match &path_enum {
        None => {
            let p = &op.paths[0];
            let template = &p.template;
            (quote!(#template), build_path(p, |param| quote!(&self.#param)))
        }
        Some(_) => (quote!(self.path.template()), quote!(self.path.to_path())),
    };
    let query = takes_query.then(|| {
        quote! {
            fn query(&self) -> ::std::option::Option<&crate::runtime::QueryOptions> {
                ::std::option::Option::Some(&self.query)
            }
        }
    });
    let body_fn = body.is_some().then(|| {
        quote! {
            fn body(&self) -> ::std::option::Option<&Self::Body> {
                ::std::option::Option::Some(&self.body)
            }
        }
    });
    let body_type = body.clone().unwrap_or_else(|| quote!(crate::runtime::NoContent));
    let path_enum_def = match &path_enum {
        Some(e) => path_enum_def(op, e, &own_cfg),
        None => TokenStream::new(),
    };

    quote! {
        #source
        #item_doc
        #own_cfg
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        #own_cfg
        impl #name {
            /// The request with its required parts; query options start empty.
            #[allow(clippy::new_without_default)]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }
            #(#setters)*
        }

        #own_cfg
        impl crate::runtime::Endpoint for #name {
            type Body = #body_type;
            type Response = #response;
            const METHOD: crate::runtime::Method = crate::runtime::Method::#method;
            fn template(&self) -> &'static str {
                #template
            }
            fn path(&self) -> ::std::string::String {
                #path
            }
            #query
            #body_fn
        }

        #path_enum_def
    }
}

fn path_enum_def(op: &Operation, e: &proc_macro2::Ident, own_cfg: &TokenStream) -> TokenStream {
    let enum_doc = doc(&format!("The documented paths of [`{}`].", op.rust_name));
    let mut variants = Vec::new();
    let mut templates = Vec::new();
    let mut builds = Vec::new();
    for p in &op.paths {
        let v = ident(&p.rust_name);
        let template = &p.template;
        let vdoc = doc(&format!("`{}`", p.template));
        let params: Vec<_> = p.params.iter().map(|param| ident(&param.rust_name)).collect();
        let build = build_path(p, |param| param.to_token_stream());
        if params.is_empty() {
            variants.push(quote! { #vdoc #v, });
            templates.push(quote! { #e::#v => #template, });
            builds.push(quote! { #e::#v => { #build } });
        } else {
            let docs = p.params.iter().map(|param| doc(&format!("`{{{}}}` in the path.", param.name)));
            variants.push(quote! { #vdoc #v { #( #docs #params: ::std::string::String, )* }, });
            templates.push(quote! { #e::#v { .. } => #template, });
            builds.push(quote! { #e::#v { #(#params),* } => { #build } });
        }
    }
    quote! {
        #enum_doc
        #own_cfg
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq)]
        pub enum #e {
            #(#variants)*
        }

        #own_cfg
        impl #e {
            /// The path as documented, with `{placeholders}`.
            pub fn template(&self) -> &'static str {
                match self {
                    #(#templates)*
                }
            }
            /// The path with every parameter filled in and percent-encoded.
            pub fn to_path(&self) -> ::std::string::String {
                match self {
                    #(#builds)*
                }
            }
        }
    }
}

/// Statements that build the path in a local `path` (parameters cannot be named so) and yield
/// it; `value` gives the expression of a parameter's value from its identifier.
fn build_path(p: &PathTemplate, value: impl Fn(&proc_macro2::Ident) -> TokenStream) -> TokenStream {
    let parts = p.parts.iter().map(|part| match part {
        // One character is pushed as a `char` (what clippy asks of generated code too).
        PathPart::Literal(text) if text.chars().count() == 1 => {
            let c = text.chars().next().expect("one character");
            quote! { path.push(#c); }
        }
        PathPart::Literal(text) => quote! { path.push_str(#text); },
        PathPart::Param(i) => {
            let v = value(&ident(&p.params[*i].rust_name));
            quote! { crate::runtime::__private::push_param(&mut path, #v); }
        }
    });
    quote! {
        let mut path = ::std::string::String::new();
        #(#parts)*
        path
    }
}
