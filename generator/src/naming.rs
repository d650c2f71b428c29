//! Turning Graph names into Rust identifiers: one `sanitize` for every kind of name.

use std::collections::BTreeSet;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
