//! The three forms of an API diff: a text summary for the terminal, markdown for a pull-request
//! comment, and JSON for tools.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::diff::{code, ApiDiff, Change};

impl ApiDiff {
    /// A summary grouped by area: one line per change, breaking ones marked, each with the
    /// page and line it is documented at and its kind.
    pub fn to_text(&self) -> String {
        if self.is_empty() {
            return "api-diff: no API changes\n".to_string();
        }
        let areas = self.by_area();
        let mut out =
            format!("api-diff: {} in {}\n", counts(self.len(), self.breaking()), plural(areas.len(), "area", "areas"));
        for (area, changes) in &areas {
            let breaking = changes.iter().filter(|c| c.breaking).count();
            let _ = writeln!(out, "\n{area}: {}", counts(changes.len(), breaking));
            for c in changes {
                let mark = if c.breaking { "breaking" } else { "additive" };
                let at = c.at.as_deref().map(|a| format!(" ({a})")).unwrap_or_default();
                let _ = writeln!(out, "  {mark}  {}: {}{at} [{}]", subject(c), c.detail, c.kind.as_str());
            }
        }
        out
    }

    /// A pull-request comment: the counts, then a table per area.
    pub fn to_markdown(&self) -> String {
        if self.is_empty() {
            return "**API changes:** none.\n".to_string();
        }
        let areas = self.by_area();
        let mut out = format!(
            "**API changes:** {} ({} breaking, {} additive) in {}.\n",
            plural(self.len(), "change", "changes"),
            self.breaking(),
            self.additive(),
            plural(areas.len(), "area", "areas")
        );
        for (area, changes) in &areas {
            let breaking = changes.iter().filter(|c| c.breaking).count();
            let _ = write!(
                out,
                "\n#### {}: {}\n\n| | Item | Change | Docs |\n| --- | --- | --- | --- |\n",
                cell(&code(area)),
                counts(changes.len(), breaking)
            );
            for c in changes {
                let mark = if c.breaking { "**breaking**" } else { "additive" };
                let at = c.at.as_deref().map(|a| cell(&code(a))).unwrap_or_default();
                let _ = writeln!(out, "| {mark} | {} | {} | {at} |", cell(&code(&subject(c))), cell(&c.detail));
            }
        }
        out
    }

    /// The JSON form, pretty-printed:
    ///
    /// ```json
    /// {
    ///   "breaking": 1,
    ///   "additive": 0,
    ///   "changes": [
    ///     {
    ///       "area": "users",
    ///       "kind": "property-removed",
    ///       "breaking": true,
    ///       "id": "microsoft.graph.user",
    ///       "name": "mySite",
    ///       "detail": "property `mySite` (field `my_site`, `String`) removed",
    ///       "old": "String",
    ///       "at": "resources/user.md:120"
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// The keys of a change are those of [`Change`]; `name`, `old`, `new` and `at` are left out
    /// when they do not apply.
    pub fn to_json(&self) -> String {
        // Strings, numbers and booleans only: serializing cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    fn by_area(&self) -> BTreeMap<&str, Vec<&Change>> {
        let mut areas: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in self.changes() {
            areas.entry(&c.area).or_default().push(c);
        }
        areas
    }
}

/// The item a change is about: `microsoft.graph.user.mySite`, `GetUser /users/{id}`.
fn subject(c: &Change) -> String {
    match &c.name {
        Some(path) if path.starts_with('/') => format!("{} {path}", c.id),
        Some(name) => format!("{}.{name}", c.id),
        None => c.id.clone(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn counts(n: usize, breaking: usize) -> String {
    format!("{} ({breaking} breaking, {} additive)", plural(n, "change", "changes"), n - breaking)
}

/// A table cell: a `|` would end it (even inside backticks), a line break the row.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}
