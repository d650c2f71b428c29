//! Comparing two API models: every change to what a user of the generated crate can name,
//! classified as breaking (code that compiled against the old crate may not compile against the
//! new one) or additive.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{collection_item, same_rust_type, ApiMember, ApiModel, ApiOperation, ApiShape, ApiStruct, ApiType};
use crate::diagnostics::Span;

/// The changes from one API to another, sorted by area, item and kind. Its JSON form (see
/// [`ApiDiff::to_json`]) is an object with the counts and the list of changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApiDiff {
    /// How many changes are breaking.
    breaking: usize,
    /// How many changes are additive (everything that is not breaking).
    additive: usize,
    /// Every change, sorted by `area`, `id`, `name` and `kind`.
    changes: Vec<Change>,
}

/// One change, in the JSON output an object with these keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The docs area (cargo feature) the item belongs to: of the new item, or of the old one for
    /// a removal; for a feature, the feature itself.
    pub area: String,
    /// What changed, in kebab-case (`property-removed`).
    pub kind: ChangeKind,
    /// Whether code written against the old crate may fail to compile against the new one.
    pub breaking: bool,
    /// The Graph id of the type (`microsoft.graph.user`), the Rust name of the operation
    /// (`GetUser`, in `endpoints`), or the feature.
    pub id: String,
    /// The property's JSON name, the member's wire value or the path template the change is
    /// about; absent for a change to the type, operation or feature as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What changed, in words, with names in backticks.
    pub detail: String,
    /// The value before, when a value changed (a type, a Rust name, a method, an area).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The value after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Where the item is documented, `page:line`: in the new docs, or in the old ones for a
    /// removal. Absent for features.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// The kinds of change. Breaking ones remove or change something a user names; additive ones
/// add something, or change what no code can depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A docs area, hence a cargo feature, appeared (additive) or is gone (breaking: a
    /// `Cargo.toml` that names it no longer resolves).
    FeatureAdded,
    FeatureRemoved,
    /// A type appeared (additive) or is gone (breaking).
    TypeAdded,
    TypeRemoved,
    /// A struct became an enum or back (breaking).
    TypeKindChanged,
    /// The Rust path changed: another name or module (breaking).
    TypeRenamed,
    /// The base type changed (breaking: inherited fields and the `Any` enums it belongs to
    /// change).
    BaseChanged,
    /// The type gained, lost or renamed its `Any` enum (breaking: every field, body and response
    /// of this type changes its Rust type between `X` and `AnyX`).
    PolymorphismChanged,
    /// An enum became a flags enum or back (breaking: values are `Flags<X>` or `X`).
    FlagsChanged,
    /// The field for unlisted properties or the variant for unlisted values was renamed
    /// (breaking).
    CatchAllRenamed,
    /// The item's home area changed, or the set of features that compile it did. Breaking when
    /// a feature that compiled it (both crates have) no longer does, or when it was always
    /// compiled and no longer is: a user who enabled only that feature loses it. Additive when
    /// it is only compiled in more configurations.
    AreaChanged,
    /// A property appeared (additive: structs have `Default` and public fields, and are built
    /// with `..Default::default()`) or is gone (breaking).
    PropertyAdded,
    PropertyRemoved,
    /// The property's type changed (breaking, unless both give one Rust type, as `Double` and
    /// `Decimal` both give `f64`).
    PropertyTypeChanged,
    /// The property became a collection or stopped being one (breaking).
    PropertyCollectionChanged,
    /// The Rust field name changed (breaking).
    PropertyRenamed,
    /// The field's value became boxed or unboxed (breaking: `Option<Box<T>>` or `Option<T>`).
    PropertyBoxingChanged,
    /// The property became a relationship or a structural property (additive: the Rust type is
    /// the same; a change in the features it needs is reported as well).
    PropertyRelationshipChanged,
    /// The features a field needs beyond its struct's changed (breaking when a configuration
    /// that had the field no longer has it).
    PropertyFeaturesChanged,
    /// An enum member appeared (additive: a value that was read as the catch-all variant now
    /// reads as its own variant) or is gone (breaking).
    MemberAdded,
    MemberRemoved,
    /// The variant name of a member changed (breaking).
    MemberRenamed,
    /// A member's wire value changed and its variant stayed (`adult` became `Adult`, both
    /// `Adult`): code compiles, but the variant now reads and writes the new value, and the old
    /// one reads as the catch-all variant (breaking).
    MemberValueChanged,
    /// An endpoint stub appeared (additive) or is gone (breaking).
    OperationAdded,
    OperationRemoved,
    /// The stub of the same API page has another Rust name (breaking).
    OperationRenamed,
    /// The HTTP method changed (breaking).
    MethodChanged,
    /// A path appeared: additive when the stub already selects its path with an enum (a new
    /// variant), breaking when it did not (its constructor now takes the path enum).
    PathAdded,
    /// A path is gone (breaking).
    PathRemoved,
    /// A path's variant name or parameter names changed (breaking).
    PathChanged,
    /// The request body's type changed, appeared or is gone (breaking: the constructor's
    /// arguments change).
    BodyChanged,
    /// The response type changed (breaking: `Endpoint::Response` changes).
    ResponseChanged,
    /// The stub gained OData query options (additive) or lost them (breaking).
    QueryOptionsChanged,
    /// The stub gained a method that sets a query parameter (additive).
    QueryParamAdded,
    /// The stub lost one (breaking).
    QueryParamRemoved,
    /// The method that sets a query parameter has another name (breaking).
    QueryParamRenamed,
}

impl ChangeKind {
    /// The kebab-case name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        use ChangeKind::*;
        match self {
            FeatureAdded => "feature-added",
            FeatureRemoved => "feature-removed",
            TypeAdded => "type-added",
            TypeRemoved => "type-removed",
            TypeKindChanged => "type-kind-changed",
            TypeRenamed => "type-renamed",
            BaseChanged => "base-changed",
            PolymorphismChanged => "polymorphism-changed",
            FlagsChanged => "flags-changed",
            CatchAllRenamed => "catch-all-renamed",
            AreaChanged => "area-changed",
            PropertyAdded => "property-added",
            PropertyRemoved => "property-removed",
            PropertyTypeChanged => "property-type-changed",
            PropertyCollectionChanged => "property-collection-changed",
            PropertyRenamed => "property-renamed",
            PropertyBoxingChanged => "property-boxing-changed",
            PropertyRelationshipChanged => "property-relationship-changed",
            PropertyFeaturesChanged => "property-features-changed",
            MemberAdded => "member-added",
            MemberRemoved => "member-removed",
            MemberRenamed => "member-renamed",
            MemberValueChanged => "member-value-changed",
            OperationAdded => "operation-added",
            OperationRemoved => "operation-removed",
            OperationRenamed => "operation-renamed",
            MethodChanged => "method-changed",
            PathAdded => "path-added",
            PathRemoved => "path-removed",
            PathChanged => "path-changed",
            BodyChanged => "body-changed",
            ResponseChanged => "response-changed",
            QueryOptionsChanged => "query-options-changed",
            QueryParamAdded => "query-param-added",
            QueryParamRemoved => "query-param-removed",
            QueryParamRenamed => "query-param-renamed",
        }
    }
}

impl ApiDiff {
    /// Every change, sorted by area, item and kind.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    pub fn breaking(&self) -> usize {
        self.breaking
    }

    pub fn additive(&self) -> usize {
        self.additive
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }

    fn from_changes(mut changes: Vec<Change>) -> ApiDiff {
        changes.sort_by(|a, b| {
            (&a.area, &a.id, &a.name, a.kind, &a.detail).cmp(&(&b.area, &b.id, &b.name, b.kind, &b.detail))
        });
        let breaking = changes.iter().filter(|c| c.breaking).count();
        ApiDiff { breaking, additive: changes.len() - breaking, changes }
    }
}

/// A name for a detail text: in backticks, with nothing in it that could end them or a line.
pub(crate) fn code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| {
            if c == '`' {
                '\''
            } else if c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!("`{clean}`")
}

fn codes<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    items.into_iter().map(|s| code(s)).collect::<Vec<_>>().join(", ")
}

/// "no longer compiled by `a`, `b`" and the like, for a set of configurations (features, and
/// [`ALWAYS`] for the one with no feature enabled).
fn phrase(lead: &str, configurations: &[&String]) -> Vec<String> {
    let mut parts = Vec::new();
    if configurations.iter().any(|c| *c == ALWAYS) {
        parts.push(format!("{lead} always compiled"));
    }
    let features: Vec<&String> = configurations.iter().copied().filter(|c| *c != ALWAYS).collect();
    if !features.is_empty() {
        parts.push(format!("{lead} compiled by {}", codes(features)));
    }
    parts
}

/// "`a`" or "one of `a`, `b`".
fn one_of(features: &[String]) -> String {
    match features {
        [one] => code(one),
        many => format!("one of {}", codes(many)),
    }
}

fn opt(s: Option<&str>) -> String {
    s.map_or_else(|| "none".to_string(), code)
}

/// In a set of configurations, the one with no feature enabled.
const ALWAYS: &str = "*";

/// What a change is about, before it gets its kind and words.
struct Item<'a> {
    area: &'a str,
    id: &'a str,
    name: Option<&'a str>,
    at: &'a Span,
}

struct Differ {
    /// Features both crates have: only configurations both can be built in are compared.
    features: BTreeSet<String>,
    out: Vec<Change>,
}

impl Differ {
    fn push(
        &mut self,
        item: &Item,
        kind: ChangeKind,
        breaking: bool,
        detail: String,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.out.push(Change {
            area: item.area.to_string(),
            kind,
            breaking,
            id: item.id.to_string(),
            name: item.name.map(str::to_string),
            detail,
            old,
            new,
            at: Some(item.at.to_string()),
        });
    }

    /// The configurations (of the features both crates have) that compile an item with this
    /// `cfg`: every one, including the one with no feature, when it is empty.
    fn compiled_by(&self, cfg: &[String]) -> BTreeSet<String> {
        if cfg.is_empty() {
            let mut all = self.features.clone();
            all.insert(ALWAYS.to_string());
            all
        } else {
            cfg.iter().filter(|f| self.features.contains(*f)).cloned().collect()
        }
    }

    /// Reports a change of home area or of the features that compile an item.
    fn areas(&mut self, item: &Item, kind: ChangeKind, old: (&str, &[String]), new: (&str, &[String])) {
        let (before, after) = (self.compiled_by(old.1), self.compiled_by(new.1));
        if old.0 == new.0 && before == after {
            return;
        }
        let lost: Vec<&String> = before.difference(&after).collect();
        let gained: Vec<&String> = after.difference(&before).collect();
        let mut parts = Vec::new();
        if old.0 != new.0 {
            parts.push(format!("moved from area {} to {}", code(old.0), code(new.0)));
        }
        parts.extend(phrase("no longer", &lost));
        parts.extend(phrase("now", &gained));
        let show = |area: &str, cfg: &[String]| {
            let cfg = if cfg.is_empty() { ALWAYS.to_string() } else { cfg.join(",") };
            format!("{area} [{cfg}]")
        };
        self.push(item, kind, !lost.is_empty(), parts.join("; "), Some(show(old.0, old.1)), Some(show(new.0, new.1)));
    }

    fn types(&mut self, old: &ApiModel, new: &ApiModel) {
        for (id, t) in &old.types {
            if !new.types.contains_key(id) {
                let item = Item { area: &t.area, id, name: None, at: &t.at };
                let detail = format!("{} {} removed", t.shape.kind(), code(&t.rust));
                self.push(&item, ChangeKind::TypeRemoved, true, detail, Some(t.rust.clone()), None);
            }
        }
        for (id, n) in &new.types {
            let item = Item { area: &n.area, id, name: None, at: &n.at };
            let Some(o) = old.types.get(id) else {
                let detail = format!("{} {} added", n.shape.kind(), code(&n.rust));
                self.push(&item, ChangeKind::TypeAdded, false, detail, None, Some(n.rust.clone()));
                continue;
            };
            self.type_changes(&item, o, n);
        }
    }

    fn type_changes(&mut self, item: &Item, o: &ApiType, n: &ApiType) {
        use ChangeKind::*;
        if o.rust != n.rust {
            let detail = format!("Rust path {} is now {}", code(&o.rust), code(&n.rust));
            self.push(item, TypeRenamed, true, detail, Some(o.rust.clone()), Some(n.rust.clone()));
        }
        self.areas(item, AreaChanged, (&o.area, &o.cfg), (&n.area, &n.cfg));
        match (&o.shape, &n.shape) {
            (ApiShape::Struct(os), ApiShape::Struct(ns)) => self.structs(item, os, ns),
            (ApiShape::Enum(oe), ApiShape::Enum(ne)) => {
                if oe.flags != ne.flags {
                    let detail = if ne.flags {
                        format!("now a flags enum: values are `runtime::Flags<{}>`", n.rust)
                    } else {
                        format!("no longer a flags enum: values are {}", code(&n.rust))
                    };
                    self.push(item, FlagsChanged, true, detail, Some(oe.flags.to_string()), Some(ne.flags.to_string()));
                }
                if oe.catch_all != ne.catch_all {
                    let detail = format!(
                        "the variant for unlisted values {} is now {}",
                        code(&oe.catch_all),
                        code(&ne.catch_all)
                    );
                    self.push(
                        item,
                        CatchAllRenamed,
                        true,
                        detail,
                        Some(oe.catch_all.clone()),
                        Some(ne.catch_all.clone()),
                    );
                }
                // A value gone and a value come under one variant name is one change.
                let gone: Vec<(&String, &ApiMember)> =
                    oe.members.iter().filter(|(w, _)| !ne.members.contains_key(*w)).collect();
                let mut came: Vec<(&String, &ApiMember)> =
                    ne.members.iter().filter(|(w, _)| !oe.members.contains_key(*w)).collect();
                for (wire, m) in gone {
                    if let Some(i) = came.iter().position(|(_, n)| n.rust == m.rust) {
                        let (new_wire, n) = came.remove(i);
                        let member = Item { name: Some(new_wire), at: &n.at, ..*item };
                        let detail = format!(
                            "member {} is now written {} (variant {} unchanged)",
                            code(wire),
                            code(new_wire),
                            code(&n.rust)
                        );
                        self.push(
                            &member,
                            MemberValueChanged,
                            true,
                            detail,
                            Some(wire.clone()),
                            Some(new_wire.clone()),
                        );
                        continue;
                    }
                    let member = Item { name: Some(wire), at: &m.at, ..*item };
                    let detail = format!("member {} (variant {}) removed", code(wire), code(&m.rust));
                    self.push(&member, MemberRemoved, true, detail, Some(m.rust.clone()), None);
                }
                for (wire, m) in came {
                    let member = Item { name: Some(wire), at: &m.at, ..*item };
                    let detail = format!("member {} added: variant {}", code(wire), code(&m.rust));
                    self.push(&member, MemberAdded, false, detail, None, Some(m.rust.clone()));
                }
                for (wire, m) in &ne.members {
                    if let Some(om) = oe.members.get(wire).filter(|om| om.rust != m.rust) {
                        let member = Item { name: Some(wire), at: &m.at, ..*item };
                        let detail =
                            format!("member {}: variant {} is now {}", code(wire), code(&om.rust), code(&m.rust));
                        self.push(&member, MemberRenamed, true, detail, Some(om.rust.clone()), Some(m.rust.clone()));
                    }
                }
            }
            (os, ns) => {
                let article = |k: &str| if k == "enum" { "an" } else { "a" };
                let detail =
                    format!("was {} {}, now {} {}", article(os.kind()), os.kind(), article(ns.kind()), ns.kind());
                self.push(item, TypeKindChanged, true, detail, Some(os.kind().into()), Some(ns.kind().into()));
            }
        }
    }

    fn structs(&mut self, item: &Item, o: &ApiStruct, n: &ApiStruct) {
        use ChangeKind::*;
        if o.base != n.base {
            let detail = format!("base type {} is now {}", opt(o.base.as_deref()), opt(n.base.as_deref()));
            self.push(item, BaseChanged, true, detail, o.base.clone(), n.base.clone());
        }
        if o.any != n.any {
            let detail = match (&o.any, &n.any) {
                (None, Some(a)) => format!("values of this type are now {} (it has derived types)", code(a)),
                (Some(a), None) => format!("values of this type are no longer {} (no derived types are left)", code(a)),
                _ => format!("its enum with derived types {} is now {}", opt(o.any.as_deref()), opt(n.any.as_deref())),
            };
            self.push(item, PolymorphismChanged, true, detail, o.any.clone(), n.any.clone());
        }
        if o.additional_properties != n.additional_properties {
            let detail = format!(
                "the field for unlisted properties {} is now {}",
                code(&o.additional_properties),
                code(&n.additional_properties)
            );
            let (before, after) = (o.additional_properties.clone(), n.additional_properties.clone());
            self.push(item, CatchAllRenamed, true, detail, Some(before), Some(after));
        }
        for (json, p) in &o.properties {
            if !n.properties.contains_key(json) {
                let prop = Item { name: Some(json), at: &p.at, ..*item };
                let detail = format!("property {} (field {}, {}) removed", code(json), code(&p.rust), code(&p.ty));
                self.push(&prop, PropertyRemoved, true, detail, Some(p.ty.clone()), None);
            }
        }
        for (json, p) in &n.properties {
            let prop = Item { name: Some(json), at: &p.at, ..*item };
            let Some(op) = o.properties.get(json) else {
                let what = if p.navigation { "relationship" } else { "property" };
                let detail = format!("{what} {} added: field {}, {}", code(json), code(&p.rust), code(&p.ty));
                self.push(&prop, PropertyAdded, false, detail, None, Some(p.ty.clone()));
                continue;
            };
            if op.rust != p.rust {
                let detail = format!("property {}: field {} is now {}", code(json), code(&op.rust), code(&p.rust));
                self.push(&prop, PropertyRenamed, true, detail, Some(op.rust.clone()), Some(p.rust.clone()));
            }
            if op.ty != p.ty {
                let (before, after) = (Some(op.ty.clone()), Some(p.ty.clone()));
                if collection_item(&op.ty) == Some(p.ty.as_str()) {
                    let detail = format!("property {} is no longer a collection: {}", code(json), code(&p.ty));
                    self.push(&prop, PropertyCollectionChanged, true, detail, before, after);
                } else if collection_item(&p.ty) == Some(op.ty.as_str()) {
                    let detail = format!("property {} is now a collection: {}", code(json), code(&p.ty));
                    self.push(&prop, PropertyCollectionChanged, true, detail, before, after);
                } else {
                    let same = same_rust_type(&op.ty, &p.ty);
                    let note = if same { " (the same Rust type)" } else { "" };
                    let detail = format!("property {}: type {} is now {}{note}", code(json), code(&op.ty), code(&p.ty));
                    self.push(&prop, PropertyTypeChanged, !same, detail, before, after);
                }
            }
            if op.boxed != p.boxed {
                let detail = if p.boxed {
                    format!("field {} is now boxed: `Option<Box<_>>`", code(&p.rust))
                } else {
                    format!("field {} is no longer boxed", code(&p.rust))
                };
                self.push(
                    &prop,
                    PropertyBoxingChanged,
                    true,
                    detail,
                    Some(op.boxed.to_string()),
                    Some(p.boxed.to_string()),
                );
            }
            if op.navigation != p.navigation {
                let detail = if p.navigation {
                    format!("property {} is now a relationship (navigation property)", code(json))
                } else {
                    format!("property {} is now a structural property (not a relationship)", code(json))
                };
                let (before, after) = (Some(op.navigation.to_string()), Some(p.navigation.to_string()));
                self.push(&prop, PropertyRelationshipChanged, false, detail, before, after);
            }
            let (before, after) = (self.compiled_by(&op.cfg), self.compiled_by(&p.cfg));
            if before != after {
                let lost = before.difference(&after).next().is_some();
                let show = |cfg: &[String]| if cfg.is_empty() { "-".to_string() } else { cfg.join(",") };
                let field = code(&p.rust);
                let detail = match (op.cfg.is_empty(), p.cfg.is_empty()) {
                    (_, true) => format!("field {field} is now compiled whenever its struct is"),
                    (true, false) => {
                        format!("field {field} is now compiled only when {} is enabled too", one_of(&p.cfg))
                    }
                    (false, false) => {
                        format!("field {field} now needs {} (was {})", one_of(&p.cfg), one_of(&op.cfg))
                    }
                };
                self.push(&prop, PropertyFeaturesChanged, lost, detail, Some(show(&op.cfg)), Some(show(&p.cfg)));
            }
        }
    }

    fn operations(&mut self, old: &ApiModel, new: &ApiModel) {
        use ChangeKind::*;
        let removed: Vec<(&String, &ApiOperation)> =
            old.operations.iter().filter(|(n, _)| !new.operations.contains_key(*n)).collect();
        let mut added: Vec<(&String, &ApiOperation)> =
            new.operations.iter().filter(|(n, _)| !old.operations.contains_key(*n)).collect();
        for (name, o) in removed {
            // The stub of the same API page under another name is a rename.
            if let Some(i) = added.iter().position(|(_, n)| n.page == o.page) {
                let (new_name, n) = added.remove(i);
                let item = Item { area: &n.area, id: new_name, name: None, at: &n.at };
                let detail = format!("stub {} is now {}", code(name), code(new_name));
                self.push(&item, OperationRenamed, true, detail, Some(name.clone()), Some(new_name.clone()));
                self.operation_changes(&item, o, n);
                continue;
            }
            let item = Item { area: &o.area, id: name, name: None, at: &o.at };
            let detail = format!("stub {} ({} {}) removed", code(name), o.method, first_path(o));
            self.push(&item, OperationRemoved, true, detail, Some(name.clone()), None);
        }
        for (name, n) in added {
            let item = Item { area: &n.area, id: name, name: None, at: &n.at };
            let detail = format!("stub {} added: {} {}", code(name), n.method, first_path(n));
            self.push(&item, OperationAdded, false, detail, None, Some(name.clone()));
        }
        for (name, n) in &new.operations {
            if let Some(o) = old.operations.get(name) {
                let item = Item { area: &n.area, id: name, name: None, at: &n.at };
                self.operation_changes(&item, o, n);
            }
        }
    }

    fn operation_changes(&mut self, item: &Item, o: &ApiOperation, n: &ApiOperation) {
        use ChangeKind::*;
        if o.method != n.method {
            let detail = format!("method {} is now {}", o.method, n.method);
            self.push(item, MethodChanged, true, detail, Some(o.method.clone()), Some(n.method.clone()));
        }
        // A stub with one path takes its parameters; with several, the path enum. When that
        // changes, the paths added or removed say so, and variants are not compared.
        let same_shape = o.path_enum.is_some() == n.path_enum.is_some();
        for (template, p) in &o.paths {
            if !n.paths.contains_key(template) {
                let path = Item { name: Some(template), at: &p.at, ..*item };
                let detail = match (&o.path_enum, &n.path_enum) {
                    (Some(e), None) => {
                        format!(
                            "path {} removed: the constructor takes path parameters, not {}",
                            code(template),
                            code(e)
                        )
                    }
                    _ => format!("path {} removed", code(template)),
                };
                self.push(&path, PathRemoved, true, detail, Some(template.clone()), None);
            }
        }
        for (template, p) in &n.paths {
            let path = Item { name: Some(template), at: &p.at, ..*item };
            match o.paths.get(template) {
                None => {
                    let (breaking, how) = match (&o.path_enum, &n.path_enum, &p.variant) {
                        (Some(_), Some(e), Some(v)) => (false, format!("variant {} of {}", code(v), code(e))),
                        (None, Some(e), _) => (true, format!("the constructor now takes the path enum {}", code(e))),
                        _ => (true, "the constructor's parameters change".to_string()),
                    };
                    let detail = format!("path {} added: {how}", code(template));
                    self.push(&path, PathAdded, breaking, detail, None, Some(template.clone()));
                }
                Some(op) if (same_shape && op.variant != p.variant) || op.params != p.params => {
                    let show = |v: &Option<String>, params: &[String]| match v {
                        Some(v) => format!("{v} {{ {} }}", params.join(", ")),
                        None => format!("({})", params.join(", ")),
                    };
                    let (before, after) = (show(&op.variant, &op.params), show(&p.variant, &p.params));
                    let detail = format!("path {}: {} is now {}", code(template), code(&before), code(&after));
                    self.push(&path, PathChanged, true, detail, Some(before), Some(after));
                }
                Some(_) => {}
            }
        }
        if o.body != n.body {
            let detail = match (&o.body, &n.body) {
                (None, Some(b)) => format!("now takes a request body: {}", code(b)),
                (Some(b), None) => format!("no longer takes a request body (was {})", code(b)),
                _ => format!("request body {} is now {}", opt(o.body.as_deref()), opt(n.body.as_deref())),
            };
            self.push(item, BodyChanged, true, detail, o.body.clone(), n.body.clone());
        }
        if o.response != n.response {
            let detail = match (&o.response, &n.response) {
                (None, Some(r)) => format!("now responds with {} (was no content)", code(r)),
                (Some(r), None) => format!("now responds with no content (was {})", code(r)),
                _ => format!("response {} is now {}", opt(o.response.as_deref()), opt(n.response.as_deref())),
            };
            self.push(item, ResponseChanged, true, detail, o.response.clone(), n.response.clone());
        }
        if o.query != n.query {
            let detail = if n.query { "OData query options now apply" } else { "OData query options no longer apply" };
            self.push(
                item,
                QueryOptionsChanged,
                !n.query,
                detail.to_string(),
                Some(o.query.to_string()),
                Some(n.query.to_string()),
            );
        }
        for (wire, q) in &o.query_params {
            let param = Item { name: Some(wire), at: &q.at, ..*item };
            match n.query_params.get(wire) {
                None => {
                    let detail = format!("query parameter {} removed: no method {}", code(wire), code(&q.rust));
                    self.push(&param, QueryParamRemoved, true, detail, Some(q.rust.clone()), None);
                }
                Some(nq) if nq.rust != q.rust => {
                    let detail =
                        format!("query parameter {}: method {} is now {}", code(wire), code(&q.rust), code(&nq.rust));
                    self.push(&param, QueryParamRenamed, true, detail, Some(q.rust.clone()), Some(nq.rust.clone()));
                }
                Some(_) => {}
            }
        }
        for (wire, q) in &n.query_params {
            if !o.query_params.contains_key(wire) {
                let param = Item { name: Some(wire), at: &q.at, ..*item };
                let detail = format!("query parameter {} added: method {}", code(wire), code(&q.rust));
                self.push(&param, QueryParamAdded, false, detail, None, Some(q.rust.clone()));
            }
        }
        self.areas(item, AreaChanged, (&o.area, &o.cfg), (&n.area, &n.cfg));
    }

    fn features(&mut self, old: &ApiModel, new: &ApiModel) {
        for f in old.features.difference(&new.features) {
            self.feature(f, ChangeKind::FeatureRemoved, true, format!("cargo feature {} removed", code(f)));
        }
        for f in new.features.difference(&old.features) {
            self.feature(f, ChangeKind::FeatureAdded, false, format!("cargo feature {} added", code(f)));
        }
    }

    fn feature(&mut self, f: &str, kind: ChangeKind, breaking: bool, detail: String) {
        self.out.push(Change {
            area: f.to_string(),
            kind,
            breaking,
            id: f.to_string(),
            name: None,
            detail,
            old: None,
            new: None,
            at: None,
        });
    }
}

fn first_path(op: &ApiOperation) -> String {
    let mut paths = op.paths.keys();
    match (paths.next(), paths.len()) {
        (Some(p), 0) => code(p),
        (Some(p), n) => format!("{} and {n} more", code(p)),
        (None, _) => "(no path)".to_string(),
    }
}

/// Every change from `old` to `new`.
pub fn diff(old: &ApiModel, new: &ApiModel) -> ApiDiff {
    let features = old.features.intersection(&new.features).cloned().collect();
    let mut d = Differ { features, out: Vec::new() };
    d.features(old, new);
    d.types(old, new);
    d.operations(old, new);
    ApiDiff::from_changes(d.out)
}
