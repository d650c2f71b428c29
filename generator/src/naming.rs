//! Turning Graph names into Rust identifiers: one `sanitize` for every kind of name, and the
//! naming phase of resolution, which gives every type, field, variant, module and operation its
//! Rust name.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostics, Kind};
use crate::ir::{Ir, Origin, PathTemplate, TypeDef, TypeId, TypeKind};
use crate::resolve::{ADDITIONAL_PROPERTIES, CATCH_ALL, RESERVED_MODULES, ROOT_NAMESPACE};

/// What kind of Rust identifier a name becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Graph type names: the first letter upper-cased, the rest unchanged.
    Type,
    /// Enum members and other names built from free text: each word capitalized.
    Variant,
    /// Struct fields, locals and modules: snake_case.
    Snake,
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "gen", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `word` is a Rust keyword (strict, reserved or weak ones that cannot name items).
pub(crate) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word) || NOT_RAW.contains(&word)
}

/// Whether a keyword can be written as a raw identifier (`r#type`; not `r#self`).
pub(crate) fn can_be_raw(word: &str) -> bool {
    !NOT_RAW.contains(&word)
}

/// Splits an ASCII name into words at non-alphanumeric characters and at lower-to-upper case
/// changes (`HTMLBody` → `HTML`, `Body`).
fn words(name: &str) -> Vec<&str> {
    let b = name.as_bytes();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if let Some(s) = start.take() {
                out.push(&name[s..i]);
            }
            continue;
        }
        if let Some(s) = start {
            if c.is_ascii_uppercase() {
                let prev = b[i - 1];
                let next_lower = b.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                    out.push(&name[s..i]);
                    start = Some(i);
                }
            }
        } else {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&name[s..]);
    }
    out
}

fn is_ascii_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Makes `name` a valid, lint-clean Rust identifier of the given case. Never returns an empty
/// string: a name with no usable characters becomes `empty` (callers report it).
pub fn sanitize(name: &str, case: Case) -> String {
    // Identifiers stay ASCII so that generated code is easy to type and to grep.
    let ascii: std::borrow::Cow<str> = if name.is_ascii() {
        name.into()
    } else {
        name.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect::<String>().into()
    };
    let mut out = String::with_capacity(name.len() + 4);
    match case {
        Case::Type => {
            for w in words_keep_case(&ascii) {
                push_upper_first(&mut out, w);
            }
        }
        Case::Variant => {
            for w in words(&ascii) {
                // `tls1.2` → `Tls1_2`: keep digit runs apart.
                if out.ends_with(|c: char| c.is_ascii_digit()) && w.starts_with(|c: char| c.is_ascii_digit()) {
                    out.push('_');
                }
                push_upper_first(&mut out, w);
            }
        }
        Case::Snake => {
            for (i, w) in words(&ascii).into_iter().enumerate() {
                if i > 0 {
                    out.push('_');
                }
                out.extend(w.chars().map(|c| c.to_ascii_lowercase()));
            }
        }
    }
    out.retain(is_ascii_ident_char);
    if out.is_empty() {
        out = match case {
            Case::Snake => "empty".into(),
            _ => "Empty".into(),
        };
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    if NOT_RAW.contains(&out.as_str()) {
        out.push('_');
    } else if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

/// Splits at non-alphanumerics only, keeping each part's case (`fooBar` stays one word).
fn words_keep_case(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty())
}

fn push_upper_first(out: &mut String, w: &str) {
    let mut c = w.chars();
    if let Some(f) = c.next() {
        out.push(f.to_ascii_uppercase());
        out.push_str(c.as_str());
    }
}

/// Hands out names unique within one scope (a module, a struct, an enum), in call order.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: BTreeSet<String>,
}

impl Scope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { used: reserved.iter().map(|s| s.to_string()).collect() }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(unraw(name))
    }

    /// Returns `candidate`, or `candidate` with the smallest numeric suffix that is free.
    pub fn claim(&mut self, candidate: &str) -> String {
        if self.used.insert(unraw(candidate).to_string()) {
            return candidate.to_string();
        }
        let base = unraw(candidate).trim_end_matches('_');
        let sep = if base.ends_with(|c: char| c.is_ascii_digit())
            || base.contains('_')
            || base.chars().next().is_some_and(|c| c.is_lowercase())
        {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|name| self.used.insert(name.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

/// `r#type` → `type`, for comparing names.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

// The naming phase of resolution. It runs once the IR holds every type and operation, since
// names are unique within a module, a type or the crate's operations.

/// Gives every namespace module, type, field, variant, polymorphic enum and operation its Rust
/// name, reporting each name that had to change.
pub(crate) fn assign_names(ir: &mut Ir, diags: &mut Diagnostics) {
    // Namespace modules first, then type names and files within each namespace.
    let mut root_modules = Scope::with_reserved(RESERVED_MODULES);
    let mut ns_modules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut firsts: BTreeMap<String, String> = BTreeMap::new();
    let namespaces: BTreeSet<String> = ir.types.values().map(|t| t.namespace.clone()).collect();
    for ns in &namespaces {
        let rest = ns.strip_prefix(ROOT_NAMESPACE).map(|r| r.trim_start_matches('.')).unwrap_or(ns);
        let module: Vec<String> = if rest.is_empty() {
            Vec::new()
        } else {
            // Deeper namespaces nest; each level is made unique among root modules once.
            rest.split('.').map(module_name).collect()
        };
        let module = match module.split_first() {
            Some((first, tail)) => {
                let first = firsts.entry(first.clone()).or_insert_with(|| root_modules.claim(first)).clone();
                std::iter::once(first).chain(tail.iter().cloned()).collect()
            }
            None => Vec::new(),
        };
        ns_modules.insert(ns.clone(), module);
    }
    let mut type_scopes: BTreeMap<String, Scope> = BTreeMap::new();
    let ids: Vec<TypeId> = ir.types.keys().cloned().collect();
    // Documented types claim names before synthesized ones, so they keep the naming contract.
    let (documented, synthesized): (Vec<TypeId>, Vec<TypeId>) =
        ids.into_iter().partition(|id| ir.types[id].origin == Origin::Page);
    for id in documented.iter().chain(&synthesized) {
        let def = ir.types.get_mut(id).expect("id from the map");
        let types = type_scopes.entry(def.namespace.clone()).or_default();
        let wanted = sanitize(&def.name, Case::Type);
        def.rust_name = types.claim(&wanted);
        if def.rust_name != wanted {
            diags.push(
                def.span.clone(),
                Kind::Renamed,
                format!("`{}` is named `{}` because `{wanted}` is taken in its module", def.id, def.rust_name),
            );
        }
        def.module = ns_modules.get(&def.namespace).cloned().unwrap_or_default();
    }
    // Field and variant names are unique within their type only, so types are named on
    // every core.
    let defs: Vec<&TypeDef> = ir.types.values().collect();
    let named = crate::parallel::map(&defs, |def| member_names(def));
    for (def, (names, catch_all, renamed)) in ir.types.values_mut().zip(named) {
        diags.extend(renamed);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                s.additional_properties = ADDITIONAL_PROPERTIES.into();
                for (f, name) in s.fields.iter_mut().zip(names) {
                    f.rust_name = name;
                }
            }
            TypeKind::Enum(e) => {
                for (m, name) in e.members.iter_mut().zip(names) {
                    m.rust_name = name;
                }
                e.catch_all = catch_all;
            }
        }
    }
    // The enums of polymorphic types claim their names after every type has its own.
    let polymorphic: Vec<TypeId> = ir
        .types
        .iter()
        .filter(|(_, t)| matches!(&t.kind, TypeKind::Struct(s) if !s.derived.is_empty()))
        .map(|(id, _)| id.clone())
        .collect();
    for id in polymorphic {
        let def = &ir.types[&id];
        let types = type_scopes.get_mut(&def.namespace).expect("every namespace has a scope");
        let any = types.claim(&format!("Any{}", def.rust_name));
        let TypeKind::Struct(s) = &def.kind else { continue };
        let mut scope = Scope::new();
        let variants: Vec<String> = std::iter::once(&id)
            .chain(&s.derived)
            .map(|d| scope.claim(&ir.types.get(d).map_or_else(|| "Unknown".to_string(), |t| t.rust_name.clone())))
            .collect();
        if let Some(TypeKind::Struct(s)) = ir.types.get_mut(&id).map(|t| &mut t.kind) {
            s.any_name = Some(any);
            s.any_variants = variants;
        }
    }
    // Operations are named after their page titles, and titles repeat: Intune's copies of the
    // users pages (`intune-devices-user-list.md`, "List users") document the same calls as
    // `user-list.md`. Pages with shorter names, the ones named after a resource alone, claim a
    // name first, so `ListUsers` is the users page's and the copies get the suffixes.
    let mut op_names = Scope::new();
    let mut ops: Vec<&mut crate::ir::Operation> = ir.operations.values_mut().collect();
    ops.sort_by(|a, b| (a.page.len(), &a.page).cmp(&(b.page.len(), &b.page)));
    for op in ops {
        let wanted = sanitize(&without_articles(&op.title), Case::Variant);
        op.rust_name = op_names.claim(&wanted);
        if op.rust_name != wanted {
            diags.push(
                op.span.clone(),
                Kind::Renamed,
                format!("operation \"{}\" is `{}` because `{wanted}` is taken", op.title, op.rust_name),
            );
        }
        if op.paths.len() > 1 {
            op.path_enum = Some(format!("{}Path", op.rust_name));
            name_path_variants(&mut op.paths);
        }
    }
}

/// A title without its articles ("Get a user" is `GetUser`, as "Get user" is): they add
/// nothing to a name. A title of articles alone stays as it is.
fn without_articles(title: &str) -> String {
    let kept: Vec<&str> =
        title.split_whitespace().filter(|w| !matches!(w.to_ascii_lowercase().as_str(), "a" | "an" | "the")).collect();
    if kept.is_empty() {
        title.to_string()
    } else {
        kept.join(" ")
    }
}

/// The Rust names of a type's fields or variants (and its catch-all variant), unique within
/// the type, with a diagnostic for each name that had to change.
fn member_names(def: &TypeDef) -> (Vec<String>, String, Diagnostics) {
    let mut diags = Diagnostics::new();
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut scope = Scope::with_reserved(&[ADDITIONAL_PROPERTIES]);
            let names = s
                .fields
                .iter()
                .map(|f| {
                    let wanted = sanitize(&f.json_name, Case::Snake);
                    let name = scope.claim(&wanted);
                    if name != wanted {
                        diags.push(
                            f.span.clone(),
                            Kind::Renamed,
                            format!(
                                "property `{}` is the field `{name}` because `{}` is taken",
                                f.json_name,
                                unraw(&wanted)
                            ),
                        );
                    }
                    name
                })
                .collect();
            (names, String::new(), diags)
        }
        TypeKind::Enum(e) => {
            let mut scope = Scope::new();
            let names = e
                .members
                .iter()
                .map(|m| {
                    let wanted = sanitize(&m.json_name, Case::Variant);
                    let name = scope.claim(&wanted);
                    if name != wanted {
                        diags.push(
                            m.span.clone(),
                            Kind::Renamed,
                            format!("member `{}` is the variant `{name}` because `{wanted}` is taken", m.json_name),
                        );
                    }
                    name
                })
                .collect();
            let catch_all = scope.claim(CATCH_ALL);
            (names, catch_all, diags)
        }
    }
}

/// A snake_case name usable as a module and a file name (no raw identifiers).
pub fn module_name(name: &str) -> String {
    let s = sanitize(name, Case::Snake);
    match s.strip_prefix("r#") {
        Some(k) => format!("{k}_"),
        None => s,
    }
}

/// Names path alternatives after their leading literal segments: `/me/drive` → `Me`.
fn name_path_variants(paths: &mut [PathTemplate]) {
    let segments: Vec<Vec<String>> = paths
        .iter()
        .map(|p| {
            p.template
                .split('/')
                .filter(|s| !s.is_empty() && !s.contains(['{', '<']))
                .map(|s| sanitize(s, Case::Variant))
                .collect()
        })
        .collect();
    let longest = segments.iter().map(Vec::len).max().unwrap_or(0);
    for k in 1..=longest.max(1) {
        let names: Vec<String> = segments.iter().map(|s| s.iter().take(k).cloned().collect::<String>()).collect();
        let unique: BTreeSet<&String> = names.iter().collect();
        if unique.len() == names.len() && names.iter().all(|n| !n.is_empty()) {
            for (p, n) in paths.iter_mut().zip(names) {
                p.rust_name = sanitize(&n, Case::Type);
            }
            return;
        }
    }
    let mut scope = Scope::new();
    for (i, p) in paths.iter_mut().enumerate() {
        let n: String = segments[i].concat();
        p.rust_name = scope.claim(if n.is_empty() { "Root" } else { &n });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;
    use crate::resolve::parse_path;

    #[test]
    fn sanitize_table() {
        let cases: &[(&str, Case, &str)] = &[
            ("appleVolumePurchaseProgramToken", Case::Type, "AppleVolumePurchaseProgramToken"),
            ("iPhoneAndIPod", Case::Type, "IPhoneAndIPod"),
            ("callRecord", Case::Type, "CallRecord"),
            ("option", Case::Type, "Option"),
            ("Self", Case::Type, "Self_"),
            ("3des", Case::Type, "_3des"),
            ("x-y", Case::Type, "XY"),
            ("organizationName", Case::Snake, "organization_name"),
            ("iPhoneAndIPod", Case::Snake, "i_phone_and_i_pod"),
            ("HTMLBody", Case::Snake, "html_body"),
            ("lastSyncDateTime", Case::Snake, "last_sync_date_time"),
            ("@odata.type", Case::Snake, "odata_type"),
            ("@odata.nextLink", Case::Snake, "odata_next_link"),
            ("type", Case::Snake, "r#type"),
            ("move", Case::Snake, "r#move"),
            ("self", Case::Snake, "self_"),
            ("super", Case::Snake, "super_"),
            ("crate", Case::Snake, "crate_"),
            ("callRecords", Case::Snake, "call_records"),
            ("2faEnabled", Case::Snake, "_2fa_enabled"),
            ("", Case::Snake, "empty"),
            ("x\"); } fn evil() { //", Case::Snake, "x_fn_evil"),
            ("mod evil { }", Case::Snake, "mod_evil"),
            ("inProgress", Case::Variant, "InProgress"),
            ("unknown", Case::Variant, "Unknown"),
            ("Not Ready", Case::Variant, "NotReady"),
            ("tls1.2", Case::Variant, "Tls1_2"),
            ("unknownFutureValue", Case::Variant, "UnknownFutureValue"),
            ("1x1", Case::Variant, "_1x1"),
            ("Self", Case::Variant, "Self_"),
            ("é", Case::Variant, "Empty"),
        ];
        for (input, case, expected) in cases {
            assert_eq!(sanitize(input, *case), *expected, "sanitize({input:?}, {case:?})");
        }
    }

    #[test]
    fn sanitized_names_are_identifiers() {
        for (input, case) in [("a b c", Case::Snake), ("9", Case::Type), ("union", Case::Snake), ("dyn", Case::Snake)] {
            let name = sanitize(input, case);
            assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{name}");
        }
    }

    #[test]
    fn articles_do_not_make_names() {
        assert_eq!(without_articles("Get a user"), "Get user");
        assert_eq!(without_articles("Update the  Apple token"), "Update Apple token");
        assert_eq!(without_articles("Create an annotation"), "Create annotation");
        assert_eq!(without_articles("A"), "A");
        assert_eq!(without_articles("Get data"), "Get data");
    }

    #[test]
    fn scope_suffixes_collisions() {
        let mut scope = Scope::with_reserved(&["additional_properties"]);
        assert_eq!(scope.claim("display_name"), "display_name");
        assert_eq!(scope.claim("display_name"), "display_name_2");
        assert_eq!(scope.claim("additional_properties"), "additional_properties_2");
        assert_eq!(scope.claim("r#type"), "r#type");
        assert_eq!(scope.claim("r#type"), "type_2");
        let mut types = Scope::new();
        assert_eq!(types.claim("FooBar"), "FooBar");
        assert_eq!(types.claim("FooBar"), "FooBar2");
    }

    #[test]
    fn path_variant_names() {
        let span = Span::new("api/x.md", 1);
        let mut paths: Vec<PathTemplate> = ["/me/drive", "/users/{id}/drive", "/groups/{id}/drive"]
            .iter()
            .map(|p| parse_path(p, span.clone()))
            .collect();
        name_path_variants(&mut paths);
        let names: Vec<&str> = paths.iter().map(|p| p.rust_name.as_str()).collect();
        assert_eq!(names, ["Me", "Users", "Groups"]);
        let mut paths: Vec<PathTemplate> =
            ["/me/events/{id}", "/me/calendar/events/{id}"].iter().map(|p| parse_path(p, span.clone())).collect();
        name_path_variants(&mut paths);
        let names: Vec<&str> = paths.iter().map(|p| p.rust_name.as_str()).collect();
        assert_eq!(names, ["MeEvents", "MeCalendar"]);
    }
}
