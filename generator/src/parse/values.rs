//! "Possible values are: `a`, `b`." lists inside property descriptions.

/// Phrases that introduce a value list, lower-case.
const INTRODUCERS: &[&str] = &[
    "possible values are",
    "the possible values are",
    "possible values:",
    "valid values are",
    "possible values include",
    "allowed values are",
    "allowed values:",
    "supported values are",
    // A misspelling some pages carry.
    "possibly values are",
];

/// The values listed after an introducing phrase, in order, or `None` when there is no list.
/// Values are the backticked words of the sentence that follows the phrase, or, when the
/// sentence has none, its comma/`and`/`or`-separated words.
pub fn possible_values(description: &str) -> Option<Vec<String>> {
    let lower = description.to_ascii_lowercase();
    let at = INTRODUCERS.iter().filter_map(|p| lower.find(p).map(|i| i + p.len())).min()?;
    let rest = description.get(at..)?.trim_start_matches([':', ' ']);
    // The sentence ends at the first `. ` outside backticks (values may hold dots).
    let mut in_code = false;
    let mut end = rest.len();
    let bytes = rest.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'.' if !in_code && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let sentence = &rest[..end];
    let mut values: Vec<String> = Vec::new();
    let mut parts = sentence.split('`');
    parts.next();
    while let (Some(value), next) = (parts.next(), parts.next()) {
        let v = value.trim();
        if !v.is_empty() && !values.iter().any(|x| x == v) {
            values.push(v.to_string());
        }
        if next.is_none() {
            break;
        }
    }
    if values.is_empty() {
        for word in sentence.split([',', ';']).flat_map(|w| w.split(" and ")).flat_map(|w| w.split(" or ")) {
            let w = word.trim().trim_start_matches("and ").trim_start_matches("or ").trim();
            let w = w.split(" (").next().unwrap_or(w).trim();
            if !w.is_empty()
                && w.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                && !values.iter().any(|x| x == w)
            {
                values.push(w.to_string());
            }
        }
    }
    // `null` is the absence of a value, listed beside the members since 2022 ("`null` (default
    // value), `NotDisabled`, ..."); it is not a member.
    values.retain(|v| !is_non_member(v));
    (!values.is_empty()).then_some(values)
}

/// Words that value lists hold but that are not wire values of the enum.
fn is_non_member(value: &str) -> bool {
    let v = value.trim().trim_end_matches(['.', ',']).trim();
    v.eq_ignore_ascii_case("null") || v.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lists() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            (
                "Current state. Possible values are: `unknown`, `valid`, `expired`, `invalid`.",
                Some(&["unknown", "valid", "expired", "invalid"]),
            ),
            ("The possible values are: `a`, `b`, and `c`. Other text `d`.", Some(&["a", "b", "c"])),
            ("Valid values are none, inProgress or failed.", Some(&["none", "inProgress", "failed"])),
            ("Possible values are: `v1.0`, `beta`", Some(&["v1.0", "beta"])),
            ("No list here.", None),
            (
                "The possible values are: `null` (default value), `NotDisabled`, and `Disabled`.",
                Some(&["NotDisabled", "Disabled"]),
            ),
            ("Possible values are: null (default value), on, off.", Some(&["on", "off"])),
            ("Possible values are: `null`.", None),
            (
                "Allowed values: `null`, `Minor`, `NotAdult`, and `Adult`. See below.",
                Some(&["Minor", "NotAdult", "Adult"]),
            ),
            ("Possibly values are `required`, `recommended`.", Some(&["required", "recommended"])),
        ];
        for (text, expected) in cases {
            let got = possible_values(text);
            let expected = expected.map(|e| e.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(got, expected, "{text}");
        }
    }
}
