//! Lenient JSON for the docs' hand-written blocks: comments, trailing commas, bare keys.
//!
//! Annotations and JSON representations are written by people, not serializers. These helpers
//! accept what the docs actually contain and report (not guess at) the rest. All scanners here
//! are iterative, so deeply nested input cannot overflow the stack.

use std::collections::BTreeMap;

/// Rewrites near-JSON into JSON: drops `//` and `/* */` comments and commas before a closing
/// bracket, and quotes bare object keys.
pub fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Whether the next token in the current object is a key.
    let mut expect_key = false;
    let mut stack: Vec<char> = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                // Strings are copied with raw control characters (tabs, line breaks typed
                // into an example) escaped.
                out.push('"');
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    match chars[i] {
                        '\\' => {
                            out.push('\\');
                            i += 1;
                            if let Some(&c) = chars.get(i) {
                                out.push(c);
                            }
                        }
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
                        c => out.push(c),
                    }
                    i += 1;
                }
                out.push('"');
                i += 1;
                expect_key = false;
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i += 2;
                continue;
            }
            ',' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if !matches!(chars.get(j), Some('}') | Some(']')) {
                    out.push(',');
                }
                expect_key = stack.last() == Some(&'{');
            }
            '{' | '[' => {
                stack.push(c);
                expect_key = c == '{';
                out.push(c);
            }
            '}' | ']' => {
                stack.pop();
                expect_key = false;
                out.push(c);
            }
            c if expect_key && (c.is_alphabetic() || c == '_' || c == '@' || c == '$') => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || "_@.$-".contains(chars[i])) {
                    i += 1;
                }
                out.push('"');
                out.extend(&chars[start..i]);
                out.push('"');
                expect_key = false;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Parses the JSON object inside an HTML-comment annotation (`<!-- { ... } -->`).
pub fn parse_annotation(html: &str) -> Result<BTreeMap<String, serde_json::Value>, String> {
    let inner = html.trim();
    let inner = inner.strip_prefix("<!--").ok_or("an annotation starts with `<!--`")?;
    let inner = inner.trim_end();
    let inner = inner.strip_suffix("-->").unwrap_or(inner).trim();
    if !inner.starts_with('{') {
        return Err("expected a `{ ... }` object inside the comment".into());
    }
    let value: serde_json::Value = serde_json::from_str(inner)
        .or_else(|_| serde_json::from_str(&normalize(inner)))
        .map_err(|e| format!("annotation is not a JSON object: {e}"))?;
    match value {
        serde_json::Value::Object(map) => Ok(map.into_iter().collect()),
        _ => Err("expected a `{ ... }` object inside the comment".into()),
    }
}

/// A key of the outermost object of a JSON block, with its 0-based line within the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopKey {
    pub name: String,
    pub line: u32,
    /// The value's first characters, enough to tell a placeholder (`"String (timestamp)"`).
    pub value: String,
}

/// Keys of the first top-level object in a JSON block, tolerating anything the values hold.
pub fn top_level_keys(text: &str) -> Result<Vec<TopKey>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut line = 0u32;
    let mut expect_key = false;
    let mut seen_object = false;
    let mut pending: Option<(String, u32)> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => line += 1,
            '"' => {
                let start = i + 1;
                i += 1;
                while i < chars.len() && chars[i] != '"' && chars[i] != '\n' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let s: String = chars[start..i.min(chars.len())].iter().collect();
                if depth == 1 && expect_key {
                    pending = Some((s, line));
                    expect_key = false;
                } else if depth == 1 {
                    if let Some(key) = keys.last_mut().filter(|_| pending.is_none()) {
                        let key: &mut TopKey = key;
                        if key.value.is_empty() {
                            key.value = format!("\"{s}\"");
                        }
                    }
                }
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i + 1 < chars.len() && chars[i + 1] != '\n' {
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    if chars[i] == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            '{' | '[' => {
                if depth == 0 && c == '{' {
                    if seen_object {
                        break;
                    }
                    seen_object = true;
                }
                if depth == 1 {
                    if let Some(key) = keys.last_mut() {
                        if key.value.is_empty() {
                            key.value = c.to_string();
                        }
                    }
                }
                depth += 1;
                expect_key = depth == 1 && c == '{';
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && seen_object {
                    return Ok(keys);
                }
            }
            ',' if depth == 1 => expect_key = true,
            ':' if depth == 1 => {
                if let Some((name, line)) = pending.take() {
                    keys.push(TopKey { name, line, value: String::new() });
                }
            }
            c if depth == 1 && expect_key && (c.is_alphabetic() || c == '_' || c == '@') => {
                let start = i;
                while i + 1 < chars.len() && (chars[i + 1].is_alphanumeric() || "_@.".contains(chars[i + 1])) {
                    i += 1;
                }
                pending = Some((chars[start..=i].iter().collect(), line));
                expect_key = false;
            }
            c if depth == 1 && !c.is_whitespace() && pending.is_none() => {
                if let Some(key) = keys.last_mut() {
                    if key.value.is_empty() {
                        key.value = c.to_string();
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if seen_object {
        Err("the JSON object is not closed".into())
    } else {
        Err("expected a JSON object".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_variants() {
        let a = parse_annotation("<!-- {\n  \"blockType\": \"resource\",\n  \"keyProperty\": \"id\"\n}\n-->").unwrap();
        assert_eq!(a["blockType"], "resource");
        let a = parse_annotation("<!-- { blockType: \"request\", name: \"x\", } -->").unwrap();
        assert_eq!(a["name"], "x");
        let a = parse_annotation("<!--{\"blockType\": \"ignored\" /* note */}-->").unwrap();
        assert_eq!(a["blockType"], "ignored");
        assert!(parse_annotation("<!-- just a remark -->").is_err());
        assert!(parse_annotation("<!-- { \"a\": -->").is_err());
    }

    #[test]
    fn keys_with_comments_trailing_commas_and_nested_values() {
        let text = "{\n  \"@odata.type\": \"#x\",\n  \"id\": \"String (identifier)\", // note\n  \"n\": {\"inner\": 1},\n  \"list\": [\"a\", {\"b\": 2}],\n  bare: 1024,\n}\n";
        let keys = top_level_keys(text).unwrap();
        let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["@odata.type", "id", "n", "list", "bare"]);
        assert_eq!(keys[1].line, 2);
        assert_eq!(keys[1].value, "\"String (identifier)\"");
        assert_eq!(keys[2].value, "{");
        assert_eq!(keys[4].value, "1");
    }

    #[test]
    fn raw_control_characters_in_strings_are_escaped() {
        let v: serde_json::Value = serde_json::from_str(&normalize("{\"a\": \"x\ty\nz\\\"q\",}")).unwrap();
        assert_eq!(v["a"], "x\ty\nz\"q");
    }

    #[test]
    fn truncated_and_non_objects_are_errors() {
        assert!(top_level_keys("{ \"a\": 1, \"b\": {").is_err());
        assert!(top_level_keys("[1, 2]").is_err());
        assert!(top_level_keys("").is_err());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(top_level_keys(&deep).unwrap().len(), 1);
        let _ = normalize(&deep);
    }
}
