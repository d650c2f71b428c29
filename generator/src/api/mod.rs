//! The API surface of a generated crate, as a plain ordered model: what a Rust user of the crate
//! can name (types, fields, variants, endpoints, cargo features), built from the resolved IR.
//!
//! The model has a line-oriented text form (the manifest, see [`manifest`]) that round-trips
//! exactly, so a crate can carry its own API as a git-diffable file, and two models compare into
//! an [`ApiDiff`]: each change classified as breaking or additive for a user of the crate, with
//! the docs page and line it comes from.

mod diff;
pub mod manifest;
mod render;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use self::diff::{diff, ApiDiff, Change, ChangeKind};
use crate::codegen::{self, CodegenError};
use crate::diagnostics::{Diagnostics, Kind, Span};
use crate::ir::{Ir, Operation, TypeDef, TypeId, TypeKind, TypeRef};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}: no such directory; expected a docs tree with `resources/` or `api/` pages", path.display())]
    Missing { path: PathBuf },
    #[error("{}: not a docs tree: expected a directory with `resources/` or `api/` pages", path.display())]
    NotDocsTree { path: PathBuf },
    #[error("{} and {} have no page in common", old.display(), new.display())]
    NothingInCommon { old: PathBuf, new: PathBuf },
    #[error(transparent)]
    Docs(#[from] CodegenError),
    #[error("API manifest, line {line}: {message}")]
    Manifest { line: usize, message: String },
}

/// The API of one generated crate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApiModel {
    /// The cargo features of the docs areas (`full` and `registry`, which every crate has, are
    /// not listed).
    pub features: BTreeSet<String>,
    /// Every type the crate defines, by Graph id (`microsoft.graph.user`).
    pub types: BTreeMap<TypeId, ApiType>,
    /// Every endpoint stub, by its Rust name (`endpoints::GetUser`).
    pub operations: BTreeMap<String, ApiOperation>,
}

/// A struct or an enum of the crate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiType {
    /// The path below the crate root: `User`, `call_records::CallRecord`.
    pub rust: String,
    /// The docs area of its page: the cargo feature that is its home.
    pub area: String,
    /// The features that compile it; empty when it is always compiled.
    pub cfg: Vec<String>,
    /// Where it is documented.
    pub at: Span,
    pub shape: ApiShape,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiShape {
    Struct(ApiStruct),
    Enum(ApiEnum),
}

impl ApiShape {
    pub fn kind(&self) -> &'static str {
        match self {
            ApiShape::Struct(_) => "struct",
            ApiShape::Enum(_) => "enum",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiStruct {
    /// The Graph id of the base type.
    pub base: Option<TypeId>,
    /// The enum that holds this type or any type derived from it (`AnyUser`), in the same
    /// module; values declared as this type use it.
    pub any: Option<String>,
    /// The field that keeps properties the docs do not list.
    pub additional_properties: String,
    /// The fields, by JSON property name.
    pub properties: BTreeMap<String, ApiProperty>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiProperty {
    /// The field name (`account_enabled`, `r#type`).
    pub rust: String,
    /// The Graph type: a primitive (`String`, `DateTimeOffset`), a Graph id, `Json` (untyped),
    /// or `Collection(...)` of one.
    pub ty: String,
    /// A relationship (navigation property) rather than a structural property.
    pub navigation: bool,
    /// The field's value is boxed (`Option<Box<T>>`).
    pub boxed: bool,
    /// The features the field needs beyond those of its type (the features that compile the type
    /// of a relationship); empty when it is there whenever its struct is.
    pub cfg: Vec<String>,
    pub at: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiEnum {
    /// Values travel as `runtime::Flags<T>` (comma-separated member lists).
    pub flags: bool,
    /// The variant that keeps values the docs do not list.
    pub catch_all: String,
    /// The variants, by wire value.
    pub members: BTreeMap<String, ApiMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiMember {
    /// The variant name.
    pub rust: String,
    pub at: Span,
}

/// An endpoint stub (`endpoints::GetUser`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiOperation {
    /// The API page it comes from.
    pub page: String,
    /// `GET`, `POST`, `PATCH`, `PUT` or `DELETE`.
    pub method: String,
    /// The enum that selects a path, when there are several (`GetUserPath`).
    pub path_enum: Option<String>,
    /// The documented paths, by template.
    pub paths: BTreeMap<String, ApiPath>,
    /// The stub has a `query` field for OData query options.
    pub query: bool,
    /// The query parameters the stub sets by method, by their name on the wire.
    pub query_params: BTreeMap<String, ApiQueryParam>,
    /// The request body's type, in the form of [`ApiProperty::ty`].
    pub body: Option<String>,
    /// The response's type; `None` for no content.
    pub response: Option<String>,
    pub area: String,
    pub cfg: Vec<String>,
    pub at: Span,
}

/// A query parameter that the stub sets by a method of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiQueryParam {
    /// The method's name.
    pub rust: String,
    pub at: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiPath {
    /// The variant of the path enum, when there is one.
    pub variant: Option<String>,
    /// The Rust names of the path parameters, in path order.
    pub params: Vec<String>,
    pub at: Span,
}

impl ApiModel {
    /// The API of the crate generated from `ir`.
    pub fn from_ir(ir: &Ir) -> ApiModel {
        Self::from_ir_reporting(ir, &mut Diagnostics::new())
    }

    /// The API of the crate a docs tree (with `resources/` and `api/` pages) generates, and the
    /// docs' diagnostics.
    pub fn from_docs(docs: &Path) -> Result<(ApiModel, Diagnostics), ApiError> {
        check_tree(docs)?;
        let mut diags = Diagnostics::new();
        let pages = codegen::list_pages(docs, &mut diags)?;
        Self::from_pages(docs, pages, diags)
    }

    /// The APIs of two docs trees over what both hold, for comparing a tree with a sample of
    /// another: each read from only the pages both trees have (by path), so that a type or
    /// feature that only pages outside the sample need counts in neither; then restricted with
    /// [`ApiModel::common`]. Each comes with its docs' diagnostics.
    pub fn from_docs_in_common(old: &Path, new: &Path) -> Result<[(ApiModel, Diagnostics); 2], ApiError> {
        check_tree(old)?;
        check_tree(new)?;
        let (mut old_diags, mut new_diags) = (Diagnostics::new(), Diagnostics::new());
        let old_pages: BTreeSet<String> = codegen::list_pages(old, &mut old_diags)?.into_iter().collect();
        let new_pages: BTreeSet<String> = codegen::list_pages(new, &mut new_diags)?.into_iter().collect();
        let both: Vec<String> = old_pages.intersection(&new_pages).cloned().collect();
        if both.is_empty() {
            return Err(ApiError::NothingInCommon { old: old.to_path_buf(), new: new.to_path_buf() });
        }
        let (old_model, old_diags) = Self::from_pages(old, both.clone(), old_diags)?;
        let (new_model, new_diags) = Self::from_pages(new, both, new_diags)?;
        let (old_model, new_model) = ApiModel::common(&old_model, &new_model);
        Ok([(old_model, old_diags), (new_model, new_diags)])
    }

    fn from_pages(
        docs: &Path,
        pages: Vec<String>,
        mut diags: Diagnostics,
    ) -> Result<(ApiModel, Diagnostics), ApiError> {
        let pages = codegen::load_listed(docs, pages, &mut diags)?;
        let ir = crate::resolve::resolve(&pages, &mut diags);
        let model = Self::from_ir_reporting(&ir, &mut diags);
        Ok((model, diags))
    }

    /// Like [`ApiModel::from_ir`]; items the crate leaves out because a name of theirs is not a
    /// Rust identifier are reported as emission reports them.
    fn from_ir_reporting(ir: &Ir, diags: &mut Diagnostics) -> ApiModel {
        let mut model = ApiModel { features: ir.areas.keys().cloned().collect(), ..ApiModel::default() };
        let kept: BTreeSet<&TypeId> = ir.types.values().filter(|d| type_names_ok(d, diags)).map(|d| &d.id).collect();
        for def in ir.types.values().filter(|d| kept.contains(&d.id)) {
            model.types.insert(def.id.clone(), api_type(ir, &kept, def, diags));
        }
        for op in ir.operations.values() {
            if operation_names_ok(op, diags) && !model.operations.contains_key(&op.rust_name) {
                model.operations.insert(op.rust_name.clone(), api_operation(&kept, op));
            }
        }
        model
    }

    /// Keeps only the types `ids` names.
    pub fn retain_types(&mut self, ids: &BTreeSet<TypeId>) {
        self.types.retain(|id, _| ids.contains(id));
    }

    /// Keeps only the operations of the API pages `pages` names.
    pub fn retain_operation_pages(&mut self, pages: &BTreeSet<String>) {
        self.operations.retain(|_, op| pages.contains(&op.page));
    }

    /// Both models restricted to what both hold: the types both define, the operations of the
    /// API pages both have, the features both have. For comparing a docs tree with a sample of
    /// another, where what the sample leaves out is not a change.
    pub fn common(old: &ApiModel, new: &ApiModel) -> (ApiModel, ApiModel) {
        let types: BTreeSet<TypeId> = old.types.keys().filter(|id| new.types.contains_key(*id)).cloned().collect();
        let pages = |m: &ApiModel| m.operations.values().map(|op| op.page.clone()).collect::<BTreeSet<_>>();
        let pages: BTreeSet<String> = pages(old).intersection(&pages(new)).cloned().collect();
        let features: BTreeSet<String> = old.features.intersection(&new.features).cloned().collect();
        let restrict = |m: &ApiModel| {
            let mut m = m.clone();
            m.retain_types(&types);
            m.retain_operation_pages(&pages);
            m.features = features.clone();
            m
        };
        (restrict(old), restrict(new))
    }
}

/// A docs tree is a directory with `resources/` or `api/` pages.
fn check_tree(docs: &Path) -> Result<(), ApiError> {
    if !docs.is_dir() {
        return Err(ApiError::Missing { path: docs.to_path_buf() });
    }
    if !docs.join("resources").is_dir() && !docs.join("api").is_dir() {
        return Err(ApiError::NotDocsTree { path: docs.to_path_buf() });
    }
    Ok(())
}

fn api_type(ir: &Ir, kept: &BTreeSet<&TypeId>, def: &TypeDef, diags: &mut Diagnostics) -> ApiType {
    let shape = match &def.kind {
        TypeKind::Struct(s) => {
            let mut properties = BTreeMap::new();
            for f in &s.fields {
                if !ident_ok(&f.rust_name) {
                    invalid(diags, &f.span, &format!("the field for property `{}`", f.json_name), &f.rust_name);
                    continue;
                }
                // A field's own gate, as emission writes it: the features of a relationship's
                // type when its struct can be compiled without them.
                let cfg = match f.ty.named().filter(|id| kept.contains(id)).and_then(|id| ir.types.get(id)) {
                    Some(target) if !crate::areas::implies(&def.cfg, &target.cfg) => target.cfg.clone(),
                    _ => Vec::new(),
                };
                properties.entry(f.json_name.clone()).or_insert(ApiProperty {
                    rust: f.rust_name.clone(),
                    ty: type_display(kept, &f.ty),
                    navigation: f.navigation,
                    boxed: f.boxed,
                    cfg,
                    at: f.span.clone(),
                });
            }
            ApiShape::Struct(ApiStruct {
                base: s.base.clone(),
                any: s.any_name.clone(),
                additional_properties: s.additional_properties.clone(),
                properties,
            })
        }
        TypeKind::Enum(e) => {
            let mut members = BTreeMap::new();
            for m in &e.members {
                if !ident_ok(&m.rust_name) {
                    invalid(diags, &m.span, &format!("the variant for member `{}`", m.json_name), &m.rust_name);
                    continue;
                }
                members
                    .entry(m.json_name.clone())
                    .or_insert(ApiMember { rust: m.rust_name.clone(), at: m.span.clone() });
            }
            ApiShape::Enum(ApiEnum { flags: e.flags, catch_all: e.catch_all.clone(), members })
        }
    };
    let rust = def.module.iter().chain([&def.rust_name]).cloned().collect::<Vec<_>>().join("::");
    ApiType { rust, area: def.area.clone(), cfg: def.cfg.clone(), at: def.span.clone(), shape }
}

fn api_operation(kept: &BTreeSet<&TypeId>, op: &Operation) -> ApiOperation {
    let mut paths = BTreeMap::new();
    for p in &op.paths {
        paths.entry(p.template.clone()).or_insert_with(|| ApiPath {
            variant: op.path_enum.as_ref().map(|_| p.rust_name.clone()),
            params: p.params.iter().map(|param| param.rust_name.clone()).collect(),
            at: p.span.clone(),
        });
    }
    ApiOperation {
        page: op.page.clone(),
        method: op.method.as_str().to_string(),
        path_enum: op.path_enum.clone(),
        paths,
        query: op.query_options,
        query_params: op
            .query_params
            .iter()
            .map(|q| (q.name.clone(), ApiQueryParam { rust: q.rust_name.clone(), at: q.span.clone() }))
            .collect(),
        body: op.body.as_ref().map(|t| type_display(kept, t)),
        response: op.response.as_ref().map(|t| type_display(kept, t)),
        area: op.area.clone(),
        cfg: op.cfg.clone(),
        at: op.span.clone(),
    }
}

/// The type of a field, body or response as the model writes it. A named type the crate does
/// not define is untyped JSON there, as emission makes it.
fn type_display(kept: &BTreeSet<&TypeId>, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(p) => format!("{p:?}"),
        TypeRef::Json => JSON.to_string(),
        TypeRef::Collection(inner) => format!("{COLLECTION}{})", type_display(kept, inner)),
        TypeRef::Named(id) if kept.contains(id) => display_id(id),
        TypeRef::Named(_) => JSON.to_string(),
    }
}

const JSON: &str = "Json";
const COLLECTION: &str = "Collection(";

/// A Graph id inside a type string: parentheses and `%` escaped, and a name that would read as a
/// primitive or `Json` escaped at its first letter, so that every type string reads one way.
fn display_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '%' => out.push_str("%25"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            c => out.push(c),
        }
    }
    let reserved = out == JSON || crate::ir::Primitive::ALL.iter().any(|p| format!("{p:?}") == out);
    if reserved {
        let first = out.remove(0);
        out.insert_str(0, &format!("%{:02X}", first as u32));
    }
    out
}

/// The element type of a collection type string, or `None` for a single value.
pub(crate) fn collection_item(ty: &str) -> Option<&str> {
    ty.strip_prefix(COLLECTION).and_then(|rest| rest.strip_suffix(')'))
}

/// Whether two type strings give the same Rust type: `Double` and `Decimal` are both `f64`,
/// `String` and `Stream` both `String`.
pub(crate) fn same_rust_type(a: &str, b: &str) -> bool {
    fn rust(t: &str) -> &str {
        match t {
            "Decimal" => "Double",
            "Stream" => "String",
            other => other,
        }
    }
    match (collection_item(a), collection_item(b)) {
        (Some(x), Some(y)) => same_rust_type(x, y),
        (None, None) => rust(a) == rust(b),
        _ => false,
    }
}

// Emission leaves out every item one of whose names is not a Rust identifier (a naming bug,
// reported); the same items are left out of the API, with the same report.

fn ident_ok(name: &str) -> bool {
    crate::emit::is_identifier(name)
}

fn invalid(diags: &mut Diagnostics, span: &Span, what: &str, name: &str) {
    diags.push(
        span.clone(),
        Kind::InvalidName,
        format!("expected {what} to be a Rust identifier, found `{name}`; it was left out of the crate"),
    );
}

fn type_names_ok(def: &TypeDef, diags: &mut Diagnostics) -> bool {
    let mut names: Vec<&str> = vec![&def.rust_name];
    names.extend(def.module.iter().map(String::as_str));
    match &def.kind {
        TypeKind::Struct(s) => {
            names.push(&s.additional_properties);
            names.extend(s.any_name.as_deref());
            names.extend(s.any_variants.iter().map(String::as_str));
        }
        TypeKind::Enum(e) => names.push(&e.catch_all),
    }
    match names.into_iter().find(|n| !ident_ok(n)) {
        Some(name) => {
            invalid(diags, &def.span, &format!("a name of type `{}`", def.id), name);
            false
        }
        None => true,
    }
}

fn operation_names_ok(op: &Operation, diags: &mut Diagnostics) -> bool {
    let mut names: Vec<&str> = vec![&op.rust_name];
    names.extend(op.path_enum.as_deref());
    for p in &op.paths {
        if op.path_enum.is_some() {
            names.push(&p.rust_name);
        }
        names.extend(p.params.iter().map(|param| param.rust_name.as_str()));
    }
    match names.into_iter().find(|n| !ident_ok(n)) {
        Some(name) => {
            invalid(diags, &op.span, &format!("a name of operation `{}`", op.title), name);
            false
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_strings_read_one_way() {
        let kept_ids = ["microsoft.graph.x".to_string(), "String".to_string(), "a.Collection(b)".to_string()];
        let kept: BTreeSet<&TypeId> = kept_ids.iter().collect();
        let named = |s: &str| TypeRef::Named(s.into());
        let list = |t: TypeRef| TypeRef::Collection(Box::new(t));
        assert_eq!(type_display(&kept, &named("microsoft.graph.x")), "microsoft.graph.x");
        assert_eq!(type_display(&kept, &list(named("microsoft.graph.x"))), "Collection(microsoft.graph.x)");
        assert_eq!(type_display(&kept, &named("microsoft.graph.gone")), "Json");
        assert_eq!(type_display(&kept, &named("String")), "%53tring");
        assert_eq!(type_display(&kept, &list(named("a.Collection(b)"))), "Collection(a.Collection%28b%29)");
        assert_eq!(collection_item("Collection(a.Collection%28b%29)"), Some("a.Collection%28b%29"));
        assert!(same_rust_type("Collection(Decimal)", "Collection(Double)"));
        assert!(!same_rust_type("Int32", "Int64"));
        assert!(!same_rust_type("Collection(String)", "String"));
    }

    #[test]
    fn identifiers_as_emission_accepts_them() {
        for ok in ["User", "r#type", "_3des", "self_", "account_enabled"] {
            assert!(ident_ok(ok), "{ok}");
        }
        for bad in ["", "type", "r#self", "r#user", "a b", "1x", "_", "é"] {
            assert!(!ident_ok(bad), "{bad}");
        }
    }
}
