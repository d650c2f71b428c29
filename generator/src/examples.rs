//! Response examples of API pages: extraction, and validation against the declared types.
//!
//! The validation uses the generated crate's own value checks (the `graph-runtime` crate), so an
//! example it accepts is one the generated types read, and every rejection names the docs
//! defect with file, line and JSON path.

use serde_json::Value;

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::{Ir, Primitive, TypeKind, TypeRef};
use crate::parse::lenient;
use crate::parse::page::{CodeBlock, Page};
use crate::resolve::ROOT_NAMESPACE;
use crate::runtime;

/// An annotated response example (`blockType: response` with an `@odata.type`).
#[derive(Clone, Debug)]
pub struct ResponseExample {
    pub page: String,
    /// The line of the code fence.
    pub line: u32,
    /// The `@odata.type` of the annotation, as written.
    pub odata_type: String,
    /// The resolved type, when the docs define it.
    pub type_id: Option<String>,
    /// Whether `odata_type` names `type_id` in another case than its page (a docs defect: the
    /// service and the generated registry use the exact name).
    pub wrong_case: bool,
    /// Types that `odata_type` names in another case, when there are several.
    pub ambiguous: Vec<String>,
    pub is_collection: bool,
    pub body: Body,
}

/// What an example's code block holds.
#[derive(Clone, Debug)]
pub enum Body {
    /// Strict JSON.
    Json(Value),
    /// JSON once comments and trailing commas are removed (the docs are hand-written).
    Lenient(Value, String),
    /// Not JSON, with the parser's message.
    Invalid(String),
    /// No body at all (a `204 No Content`, a redirect, a binary stream).
    Missing,
}

impl Body {
    pub fn value(&self) -> Option<&Value> {
        match self {
            Body::Json(v) | Body::Lenient(v, _) => Some(v),
            Body::Invalid(_) | Body::Missing => None,
        }
    }
}

/// The body of an `http` response block: what follows the status line and headers.
pub fn json_body(block: &CodeBlock) -> Option<&str> {
    let text = block.text.as_str();
    let start = text.find(['{', '['])?;
    Some(&text[start..])
}

/// The annotated response examples of a page.
pub fn response_examples(page: &Page, ir: &Ir) -> Vec<ResponseExample> {
    page.code_blocks
        .iter()
        .filter(|b| b.annotation_str("blockType") == Some("response"))
        .filter_map(|b| {
            let odata_type = b.annotated_type()?.trim().trim_start_matches('#').to_string();
            if odata_type.is_empty() {
                return None;
            }
            let mut is_collection =
                b.annotation.as_ref().and_then(|a| a.get("isCollection")).is_some_and(|v| v == &Value::Bool(true));
            let lower = odata_type.to_ascii_lowercase();
            let item = match lower.strip_prefix("collection(").and_then(|r| r.strip_suffix(')')) {
                Some(_) => {
                    is_collection = true;
                    &odata_type["collection(".len()..odata_type.len() - 1]
                }
                None => odata_type.as_str(),
            };
            let (type_id, wrong_case, ambiguous) = match Primitive::from_name(item) {
                Some(p) => (Some(p.edm_name()), false, Vec::new()),
                None => match find_type(ir, item) {
                    Found::Exact(id) => (Some(id), false, Vec::new()),
                    Found::OtherCase(id) => (Some(id), true, Vec::new()),
                    Found::Ambiguous(ids) => (None, true, ids),
                    Found::None => (None, false, Vec::new()),
                },
            };
            let body = match json_body(b) {
                None => Body::Missing,
                Some(text) => match serde_json::from_str(text) {
                    Ok(v) => Body::Json(v),
                    Err(strict) => match serde_json::from_str(&lenient::normalize(text)) {
                        Ok(v) => Body::Lenient(v, strict.to_string()),
                        Err(_) => Body::Invalid(strict.to_string()),
                    },
                },
            };
            Some(ResponseExample {
                page: page.path.clone(),
                line: b.line,
                type_id,
                wrong_case,
                ambiguous,
                odata_type,
                is_collection,
                body,
            })
        })
        .collect()
}

/// How an example's type name matches the types of the docs.
enum Found {
    Exact(String),
    /// One type, named in another case.
    OtherCase(String),
    /// Several types that differ only in case (`displayAs`, `DisplayAs`).
    Ambiguous(Vec<String>),
    None,
}

fn find_type(ir: &Ir, name: &str) -> Found {
    if ir.types.contains_key(name) {
        return Found::Exact(name.to_string());
    }
    let qualified = format!("{ROOT_NAMESPACE}.{name}");
    if ir.types.contains_key(&qualified) {
        return Found::Exact(qualified);
    }
    let lower = name.to_ascii_lowercase();
    let root = format!("{}.{lower}", ROOT_NAMESPACE.to_ascii_lowercase());
    let mut ids = ir.types.keys().filter(|id| {
        let id = id.to_ascii_lowercase();
        id == lower || id == root
    });
    match (ids.next(), ids.next()) {
        (Some(one), None) => Found::OtherCase(one.clone()),
        (Some(a), Some(b)) => Found::Ambiguous([a, b].into_iter().chain(ids).cloned().collect()),
        _ => Found::None,
    }
}

/// Reports every example that is not JSON, names an unknown type, or holds a value that does
/// not fit its declared type.
pub fn validate(pages: &[Page], ir: &Ir, diags: &mut Diagnostics) {
    // Pages are independent; diagnostics are sorted at the end of the run.
    let parts = crate::parallel::map(pages, |page| {
        let mut d = Diagnostics::new();
        validate_page(page, ir, &mut d);
        d
    });
    for d in parts {
        diags.extend(d);
    }
}

fn validate_page(page: &Page, ir: &Ir, diags: &mut Diagnostics) {
    for ex in response_examples(page, ir) {
        let span = page.span(ex.line);
        let body = match &ex.body {
            Body::Json(v) => v,
            Body::Lenient(v, e) => {
                diags.push(
                    span.clone(),
                    Kind::MalformedJson,
                    format!(
                        "the response example is not strict JSON ({e}); read without its comments and trailing commas"
                    ),
                );
                v
            }
            Body::Invalid(e) => {
                diags.push(span, Kind::MalformedJson, format!("the response example is not JSON: {e}"));
                continue;
            }
            Body::Missing => {
                diags.push(
                    span,
                    Kind::MalformedJson,
                    format!("the response example declares `@odata.type: {}` but has no JSON body", ex.odata_type),
                );
                continue;
            }
        };
        let Some(id) = &ex.type_id else {
            let message = if ex.ambiguous.is_empty() {
                format!("the response example's type `{}` is not defined by any page", ex.odata_type)
            } else {
                format!(
                    "the response example's type `{}` matches several types in other cases: `{}`",
                    ex.odata_type,
                    ex.ambiguous.join("`, `")
                )
            };
            diags.push(span, Kind::UnresolvedType, message);
            continue;
        };
        if ex.wrong_case {
            // The service, and the generated registry, know the type by its exact name only.
            diags.push(
                span.clone(),
                Kind::WrongCase,
                format!(
                    "the response example's type `{}` is spelled `{id}` on its page; validated as `{id}`",
                    ex.odata_type
                ),
            );
        }
        let ty = match Primitive::ALL.iter().find(|p| p.edm_name() == *id) {
            Some(p) => TypeRef::Primitive(*p),
            None => TypeRef::Named(id.clone()),
        };
        let is_primitive = matches!(ty, TypeRef::Primitive(_));
        let mut problems = Vec::new();
        if ex.is_collection {
            match body.get("value") {
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        check(ir, &ty, item, &format!("value[{i}]"), &mut problems);
                    }
                }
                _ => problems.push("expected `{\"value\": [...]}` for a collection response".to_string()),
            }
            // The paging properties are typed too (`runtime::Page`).
            let paging = [
                ("@odata.count", TypeRef::Primitive(Primitive::Int64)),
                ("@odata.nextLink", TypeRef::Primitive(Primitive::String)),
                ("@odata.deltaLink", TypeRef::Primitive(Primitive::String)),
            ];
            for (key, ty) in &paging {
                if let Some(v) = body.get(*key) {
                    check(ir, ty, v, key, &mut problems);
                }
            }
        } else if is_primitive {
            match body.get("value") {
                Some(v) => check(ir, &ty, v, "value", &mut problems),
                None => problems.push("expected `{\"value\": ...}` for a primitive response".to_string()),
            }
        } else {
            check(ir, &ty, body, "", &mut problems);
        }
        for p in problems {
            diags.push(span.clone(), Kind::ExampleMismatch, format!("response example: {p}"));
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Checks `value` against `ty`; problems are described with their JSON path. Nesting is walked
/// with an explicit stack, so that deep input cannot overflow.
pub fn check(ir: &Ir, ty: &TypeRef, value: &Value, path: &str, problems: &mut Vec<String>) {
    let mut stack: Vec<(&TypeRef, &Value, String)> = vec![(ty, value, path.to_string())];
    while let Some((ty, value, path)) = stack.pop() {
        if value.is_null() {
            continue;
        }
        let at = if path.is_empty() { "the body".to_string() } else { format!("`{path}`") };
        match ty {
            TypeRef::Json => {}
            TypeRef::Collection(inner) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        // A property may be `null`; an item of a typed array may not.
                        if item.is_null() && **inner != TypeRef::Json {
                            problems.push(format!("`{path}[{i}]` is null, expected an item of the array"));
                        }
                        stack.push((inner, item, format!("{path}[{i}]")));
                    }
                }
                _ => problems.push(format!("{at} is {}, expected an array", describe(value))),
            },
            TypeRef::Primitive(p) => {
                if let Some(expected) = primitive_mismatch(*p, value) {
                    problems.push(format!("{at} is {}, expected {expected}", describe(value)));
                }
            }
            TypeRef::Named(id) => match ir.types.get(id).map(|t| &t.kind) {
                Some(TypeKind::Enum(_)) if !value.is_string() => {
                    problems.push(format!("{at} is {}, expected a `{id}` member (a string)", describe(value)));
                }
                Some(TypeKind::Enum(e)) => {
                    // Flags travel as `a,b`; `a, b` reads, but is written back without the space.
                    let text = value.as_str().unwrap_or_default();
                    if e.flags && text.split(',').any(|p| p != p.trim()) {
                        let canonical: Vec<&str> = text.split(',').map(str::trim).collect();
                        problems.push(format!("{at} is `{text}`, written back as `{}`", canonical.join(",")));
                    }
                }
                Some(TypeKind::Struct(s)) => match value {
                    Value::Object(map) => {
                        // A value of a derived type is read as that type, as the generated code does.
                        let tag = map.get("@odata.type").and_then(Value::as_str).map(|t| t.trim_start_matches('#'));
                        let s = match tag.filter(|t| s.derived.iter().any(|d| d == t)).and_then(|t| ir.types.get(t)) {
                            Some(def) => match &def.kind {
                                TypeKind::Struct(derived) => derived,
                                TypeKind::Enum(_) => s,
                            },
                            None => s,
                        };
                        for f in &s.fields {
                            if let Some(v) = map.get(&f.json_name) {
                                stack.push((&f.ty, v, join(&path, &f.json_name)));
                            }
                        }
                    }
                    _ => problems.push(format!("{at} is {}, expected a `{id}` object", describe(value))),
                },
                None => {}
            },
        }
    }
}

fn describe(value: &Value) -> String {
    let text = value.to_string();
    let short: String = text.chars().take(60).collect();
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    if short.len() < text.len() {
        format!("{kind} {short}...")
    } else {
        format!("{kind} {short}")
    }
}

/// What `value` should have been, when it does not fit `p`.
fn primitive_mismatch(p: Primitive, value: &Value) -> Option<String> {
    let text = |ok: bool, expected: &str| (!ok).then(|| expected.to_string());
    let int_in = |min: i64, max: i64| value.as_i64().is_some_and(|n| (min..=max).contains(&n));
    match p {
        Primitive::String | Primitive::Stream => text(value.is_string(), "a string"),
        Primitive::Boolean => text(value.is_boolean(), "a boolean"),
        Primitive::Byte => text(int_in(0, 255), "an integer from 0 to 255"),
        Primitive::SByte => text(int_in(-128, 127), "an integer from -128 to 127"),
        Primitive::Int16 => text(int_in(i16::MIN.into(), i16::MAX.into()), "a 16-bit integer"),
        Primitive::Int32 => text(int_in(i32::MIN.into(), i32::MAX.into()), "a 32-bit integer"),
        Primitive::Int64 => text(value.is_i64(), "a 64-bit integer"),
        // A `Single` is an `f32`: a number it cannot hold comes back as another number.
        Primitive::Single => match value.as_f64() {
            // The shortest text of the `f32` is what the generated code writes back.
            Some(v) => {
                text((v as f32).to_string().parse::<f64>().ok() == Some(v), "a number a 32-bit float holds exactly")
            }
            None => text(false, "a number"),
        },
        Primitive::Double | Primitive::Decimal => text(value.is_number(), "a number"),
        Primitive::DateTimeOffset => valid(value, runtime::DateTimeOffset::new, runtime::DateTimeOffset::EXPECTED),
        Primitive::Date => valid(value, runtime::Date::new, runtime::Date::EXPECTED),
        Primitive::TimeOfDay => valid(value, runtime::TimeOfDay::new, runtime::TimeOfDay::EXPECTED),
        Primitive::Duration => valid(value, runtime::Duration::new, runtime::Duration::EXPECTED),
        Primitive::Guid => valid(value, runtime::Guid::new, runtime::Guid::EXPECTED),
        Primitive::Binary => valid(value, runtime::Binary::new, runtime::Binary::EXPECTED),
    }
}

fn valid<T>(value: &Value, new: fn(String) -> Result<T, runtime::InvalidValue>, expected: &str) -> Option<String> {
    match value.as_str() {
        Some(s) if new(s.to_string()).is_ok() => None,
        _ => Some(expected.to_string()),
    }
}
