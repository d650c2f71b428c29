//! The intermediate representation: resolved types and operations, independent of Rust syntax.
//!
//! Types are keyed by their fully qualified Graph name (`microsoft.graph.fooBar`) before any
//! reference is resolved, and every collection is a `BTreeMap` or a sorted `Vec`, so the IR (and
//! therefore the generated code) does not depend on the order pages were read in.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::Span;

/// Fully qualified Graph type name, e.g. `microsoft.graph.appleVolumePurchaseProgramToken`.
pub type TypeId = String;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Ir {
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Operations keyed by the API page they come from.
    pub operations: BTreeMap<String, Operation>,
    /// The docs areas, each a cargo feature of the generated crate.
    pub areas: BTreeMap<String, Area>,
    /// The version of the public docs the pages are a copy of (`graph-rest-1.0`, or
    /// `graph-rest-beta` for a `beta` tree): each item's docs link to its page there.
    #[serde(skip)]
    pub docs_view: String,
}

/// One docs area: what it holds and what enabling it compiles.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Area {
    /// Types whose page is in the area.
    pub types: usize,
    pub operations: usize,
    /// Types compiled when only this area is enabled: its own, and every type they cannot do
    /// without (base types, structural property types, bodies and responses), transitively.
    pub closure: usize,
}

/// The areas an item is compiled for: any of them enabled compiles it. Empty means always (every
/// area needs the item).
pub type Cfg = Vec<String>;

/// The Graph (EDM) primitive types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    DateTimeOffset,
    Date,
    TimeOfDay,
    Duration,
    Guid,
    Binary,
    Stream,
}

impl Primitive {
    pub const ALL: [Primitive; 17] = [
        Primitive::String,
        Primitive::Boolean,
        Primitive::Byte,
        Primitive::SByte,
        Primitive::Int16,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Single,
        Primitive::Double,
        Primitive::Decimal,
        Primitive::DateTimeOffset,
        Primitive::Date,
        Primitive::TimeOfDay,
        Primitive::Duration,
        Primitive::Guid,
        Primitive::Binary,
        Primitive::Stream,
    ];

    /// The EDM name, `Edm.String`.
    pub fn edm_name(self) -> String {
        format!("Edm.{self:?}")
    }

    /// Recognizes a primitive type name in any capitalization, with or without `Edm.`.
    pub fn from_name(name: &str) -> Option<Primitive> {
        let lower = name.trim().to_ascii_lowercase();
        let lower = lower.strip_prefix("edm.").unwrap_or(&lower);
        Some(match lower {
            "string" | "str" => Primitive::String,
            "boolean" | "bool" => Primitive::Boolean,
            "byte" => Primitive::Byte,
            "sbyte" => Primitive::SByte,
            "int16" | "short" => Primitive::Int16,
            "int32" | "int" | "integer" => Primitive::Int32,
            "int64" | "long" => Primitive::Int64,
            "single" | "float" => Primitive::Single,
            "double" => Primitive::Double,
            "decimal" => Primitive::Decimal,
            "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
            "date" => Primitive::Date,
            "timeofday" => Primitive::TimeOfDay,
            "duration" | "timespan" => Primitive::Duration,
            "guid" | "uuid" => Primitive::Guid,
            "binary" | "base64" => Primitive::Binary,
            "stream" => Primitive::Stream,
            _ => return None,
        })
    }
}

/// A reference to a type, as a field, body or response has it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeRef {
    Primitive(Primitive),
    Named(TypeId),
    Collection(Box<TypeRef>),
    /// Untyped JSON (`Json` in the docs, or a type that could not be resolved).
    Json,
}

impl TypeRef {
    /// The named type at the bottom of collections, if any.
    pub fn named(&self) -> Option<&TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Collection(inner) => inner.named(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeDef {
    pub id: TypeId,
    /// `microsoft.graph` or a sub-namespace such as `microsoft.graph.callRecords`.
    pub namespace: String,
    /// The Graph name without namespace.
    pub name: String,
    /// The Rust type name.
    pub rust_name: String,
    /// The Rust module (snake_case namespace path below `microsoft.graph`; empty for the root).
    pub module: Vec<String>,
    pub doc: String,
    /// Links of the docs text to other docs pages and to the web, for rustdoc.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<DocLink>,
    pub span: Span,
    pub origin: Origin,
    pub kind: TypeKind,
    /// The docs area of the page the type comes from: the cargo feature that is its home.
    pub area: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cfg: Cfg,
}

/// A link in docs text: the text it is on, and where it goes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct DocLink {
    pub text: String,
    pub target: LinkTarget,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkTarget {
    /// A page of the docs tree, relative to its root (`resources/user.md`).
    Page(String),
    /// A web address (`https://...`).
    Url(String),
}

/// Where a type comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A resource, complex-type or enum page.
    Page,
    /// A "Possible values are ..." list on a `String` property.
    PossibleValues { owner: TypeId, property: String },
    /// The request-body table of an action's API page.
    RequestBody { page: String },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Struct(StructDef),
    Enum(EnumDef),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StructDef {
    /// Entity types have a key and can be addressed by path; complex types cannot.
    pub entity: bool,
    pub key_property: Option<String>,
    pub base: Option<TypeId>,
    pub fields: Vec<Field>,
    /// The Rust name of the map that keeps properties the docs do not list.
    pub additional_properties: String,
    /// Every type that inherits from this one, directly or not, sorted.
    pub derived: Vec<TypeId>,
    /// The Rust name of the enum that holds this type or any type derived from it (chosen by
    /// `@odata.type`); values declared as this type use it. `None` without derived types.
    pub any_name: Option<String>,
    /// The variant name of each alternative of that enum: this type first, then `derived`.
    pub any_variants: Vec<String>,
    /// The docs call it an open type: instances may carry properties beyond those documented.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// The exact JSON property name.
    pub json_name: String,
    pub rust_name: String,
    pub doc: String,
    /// Links of the docs text to other docs pages and to the web, for rustdoc.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<DocLink>,
    pub ty: TypeRef,
    /// A relationship (navigation property) rather than a structural property.
    pub navigation: bool,
    /// Whether the Rust field boxes its value (the type contains itself).
    pub boxed: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EnumDef {
    /// Flag enums travel as comma-separated member lists.
    pub flags: bool,
    pub members: Vec<Member>,
    /// The Rust name of the variant that keeps values the docs do not list.
    pub catch_all: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    /// The value on the wire.
    pub json_name: String,
    pub rust_name: String,
    pub doc: String,
    /// Links of the docs text to other docs pages and to the web, for rustdoc.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<DocLink>,
    pub value: Option<i64>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HttpMethod {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl HttpMethod {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().as_str() {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "PATCH" => HttpMethod::Patch,
            "PUT" => HttpMethod::Put,
            "DELETE" => HttpMethod::Delete,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One HTTP operation of an API page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operation {
    /// The API page the operation comes from.
    pub page: String,
    pub title: String,
    pub rust_name: String,
    pub doc: String,
    /// Links of the docs text to other docs pages and to the web, for rustdoc.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<DocLink>,
    pub span: Span,
    pub method: HttpMethod,
    /// Alternative paths that address the same operation; never empty.
    pub paths: Vec<PathTemplate>,
    /// The Rust name of the enum that selects a path, when there is more than one.
    pub path_enum: Option<String>,
    /// Whether the OData query options (`$select`, `$filter`, ...) apply.
    pub query_options: bool,
    /// The query parameters the page documents besides the OData options (`startDateTime` of a
    /// calendar view, `$deltatoken`), each set through a method of the stub.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub query_params: Vec<QueryParam>,
    pub body: Option<TypeRef>,
    /// `None` for operations that return no content.
    pub response: Option<TypeRef>,
    /// The docs area of the API page: the cargo feature that compiles the operation.
    pub area: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cfg: Cfg,
}

impl Operation {
    /// Whether the stub has a query: the OData options apply, or it has parameters of its own.
    pub fn takes_query(&self) -> bool {
        self.query_options || !self.query_params.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathTemplate {
    /// The path as the docs write it, e.g. `/deviceAppManagement/vppTokens/{vppTokenId}`.
    pub template: String,
    /// Name of this alternative (a Rust variant name) when the operation has several.
    pub rust_name: String,
    pub parts: Vec<PathPart>,
    pub params: Vec<PathParam>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathPart {
    Literal(String),
    /// Index into `params`.
    Param(usize),
}

/// A query parameter of an operation that is not one of the OData options.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueryParam {
    /// The name on the wire, as the page writes it (`startDateTime`, `$skiptoken`).
    pub name: String,
    /// The stub's method that sets it.
    pub rust_name: String,
    /// Whether every documented request line of the operation carries it.
    pub required: bool,
    /// The description of its "Query parameters" row, when the page has one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub doc: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathParam {
    /// The placeholder as written, without braces.
    pub name: String,
    pub rust_name: String,
}
