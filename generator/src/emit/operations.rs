//! Endpoint stubs: one struct per operation describing its request, implementing `Endpoint`.

use super::code::{close, item, open, put, Code, Lit};
use super::{feature_doc, primitive_type, public_page, rust_type};
use crate::ir::{HttpMethod, Ir, Operation, PathPart, PathTemplate, TypeRef};

pub(super) fn operation(c: &mut Code, ir: &Ir, op: &Operation) {
    let name = &op.rust_name;
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
    let link = public_page(ir, &op.page);
    if !link.is_empty() {
        text.push_str("\n\n");
        text.push_str(&link);
    }

    let method = match op.method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Patch => "Patch",
        HttpMethod::Put => "Put",
        HttpMethod::Delete => "Delete",
    };
    let body = op.body.as_ref().map(|b| rust_type(ir, b));
    let response = match &op.response {
        None => "crate::runtime::NoContent".to_string(),
        Some(TypeRef::Collection(inner)) => format!("crate::runtime::Page<{}>", rust_type(ir, inner)),
        // OData answers with a primitive in an envelope: `{"value": ...}`.
        Some(TypeRef::Primitive(p)) => format!("crate::runtime::ValueOf<{}>", primitive_type(*p)),
        Some(t) => rust_type(ir, t),
    };
    let path_enum = op.path_enum.as_deref();

    c.blank();
    c.source(&op.span);
    c.doc(&text);
    c.cfg(&op.cfg);
    put!(c, "#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]");
    open!(c, "pub struct {name} {{");
    match path_enum {
        None => {
            for param in &op.paths[0].params {
                c.doc(&format!("`{{{}}}` in the path.", param.name));
                put!(c, "pub {}: ::std::string::String,", param.rust_name);
            }
        }
        Some(e) => {
            put!(c, "/// Which of the documented paths to use.");
            put!(c, "pub path: {e},");
        }
    }
    if op.query_options {
        put!(c, "/// OData query options (`$select`, `$filter`, `$expand`, ...).");
        put!(c, "pub query: crate::runtime::QueryOptions,");
    }
    if let Some(ty) = &body {
        put!(c, "/// The request body.");
        put!(c, "pub body: {ty},");
    }
    close!(c, "}}");

    // The constructor takes path parameters, then the body.
    let mut args: Vec<String> = Vec::new();
    let mut inits: Vec<String> = Vec::new();
    match path_enum {
        None => {
            for param in &op.paths[0].params {
                args.push(format!("{}: impl ::core::convert::Into<::std::string::String>", param.rust_name));
                inits.push(format!("{0}: {0}.into()", param.rust_name));
            }
        }
        Some(e) => {
            args.push(format!("path: {e}"));
            inits.push("path".into());
        }
    }
    if op.query_options {
        inits.push("query: ::core::default::Default::default()".into());
    }
    if let Some(ty) = &body {
        args.push(format!("body: {ty}"));
        inits.push("body".into());
    }
    item!(c, &op.cfg, "impl {name} {{");
    put!(c, "/// The request with its required parts; query options start empty.");
    put!(c, "#[allow(clippy::new_without_default)]");
    if args.is_empty() {
        open!(c, "pub fn new() -> Self {{");
    } else {
        open!(c, "pub fn new(");
        for a in &args {
            put!(c, "{a},");
        }
        super::code::reopen!(c, ") -> Self {{");
    }
    if inits.is_empty() {
        put!(c, "Self {{}}");
    } else {
        open!(c, "Self {{");
        for i in &inits {
            put!(c, "{i},");
        }
        close!(c, "}}");
    }
    close!(c, "}}");
    close!(c, "}}");

    item!(c, &op.cfg, "impl crate::runtime::Endpoint for {name} {{");
    put!(c, "type Body = {};", body.as_deref().unwrap_or("crate::runtime::NoContent"));
    put!(c, "type Response = {response};");
    put!(c, "const METHOD: crate::runtime::Method = crate::runtime::Method::{method};");
    match path_enum {
        None => {
            let p = &op.paths[0];
            open!(c, "fn template(&self) -> &'static str {{");
            put!(c, "{}", Lit(&p.template));
            close!(c, "}}");
            open!(c, "fn path(&self) -> ::std::string::String {{");
            build_path(c, p, "&self.");
            close!(c, "}}");
        }
        Some(_) => {
            open!(c, "fn template(&self) -> &'static str {{");
            put!(c, "self.path.template()");
            close!(c, "}}");
            open!(c, "fn path(&self) -> ::std::string::String {{");
            put!(c, "self.path.to_path()");
            close!(c, "}}");
        }
    }
    if op.query_options {
        open!(c, "fn query(&self) -> ::std::option::Option<&crate::runtime::QueryOptions> {{");
        put!(c, "::std::option::Option::Some(&self.query)");
        close!(c, "}}");
    }
    if body.is_some() {
        open!(c, "fn body(&self) -> ::std::option::Option<&Self::Body> {{");
        put!(c, "::std::option::Option::Some(&self.body)");
        close!(c, "}}");
    }
    close!(c, "}}");

    if let Some(e) = path_enum {
        path_enum_def(c, op, e);
    }
}

fn path_enum_def(c: &mut Code, op: &Operation, e: &str) {
    c.blank();
    put!(c, "/// The documented paths of \\[`{}`\\].", op.rust_name);
    c.cfg(&op.cfg);
    put!(c, "#[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq, ::core::cmp::Eq)]");
    open!(c, "pub enum {e} {{");
    for p in &op.paths {
        c.doc(&format!("`{}`", p.template));
        if p.params.is_empty() {
            put!(c, "{},", p.rust_name);
        } else {
            open!(c, "{} {{", p.rust_name);
            for param in &p.params {
                c.doc(&format!("`{{{}}}` in the path.", param.name));
                put!(c, "{}: ::std::string::String,", param.rust_name);
            }
            close!(c, "}},");
        }
    }
    close!(c, "}}");

    item!(c, &op.cfg, "impl {e} {{");
    put!(c, "/// The path as documented, with `{{placeholders}}`.");
    open!(c, "pub fn template(&self) -> &'static str {{");
    open!(c, "match self {{");
    for p in &op.paths {
        let rest = if p.params.is_empty() { "" } else { " { .. }" };
        put!(c, "{e}::{}{rest} => {},", p.rust_name, Lit(&p.template));
    }
    close!(c, "}}");
    close!(c, "}}");
    put!(c, "/// The path with every parameter filled in and percent-encoded.");
    open!(c, "pub fn to_path(&self) -> ::std::string::String {{");
    open!(c, "match self {{");
    for p in &op.paths {
        if p.params.is_empty() {
            open!(c, "{e}::{} => {{", p.rust_name);
        } else {
            let fields: Vec<&str> = p.params.iter().map(|param| param.rust_name.as_str()).collect();
            open!(c, "{e}::{} {{ {} }} => {{", p.rust_name, fields.join(", "));
        }
        build_path(c, p, "");
        close!(c, "}}");
    }
    close!(c, "}}");
    close!(c, "}}");
    close!(c, "}}");
}

/// Statements that build the path in a local `path` (parameters cannot be named so) and yield
/// it; a parameter's value is `{prefix}{name}`.
fn build_path(c: &mut Code, p: &PathTemplate, prefix: &str) {
    put!(c, "let mut path = ::std::string::String::new();");
    for part in &p.parts {
        match part {
            PathPart::Literal(text) => put!(c, "path.push_str({});", Lit(text)),
            PathPart::Param(i) => {
                put!(c, "crate::runtime::__private::push_param(&mut path, {prefix}{});", p.params[*i].rust_name)
            }
        }
    }
    put!(c, "path");
}
