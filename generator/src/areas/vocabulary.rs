//! The area vocabulary: the one set of cargo-feature names that pages of every docs era map into.
//!
//! The docs have classified pages three ways: nothing (2016-2018), `ms.prod` (2019-2023) and
//! `ms.subservice` (with `ms.service`, 2024 on), each with its own words for the same part of
//! Graph (`microsoft-teams` then `teams`, `users` then `entra-users`). A project that enables
//! `features = ["teams"]` must keep compiling when the docs change their words, so features are
//! named from this table, never from the metadata directly. Intune pages keep the finer sub-area
//! of their file names (`intune-apps-*.md`, `intune_devices_*.md`).

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostics, Kind, Span};

/// Pages that say nothing about their area: no metadata, an empty value, a template placeholder,
/// or only an `ms.service` the vocabulary does not know.
pub const GENERAL_AREA: &str = "general";

/// Every area, with the metadata values (`ms.prod`, `ms.subservice`, `ms.service`; compared
/// after [`feature_name`]) that map into it. An area's own name always maps into it.
pub const VOCABULARY: &[(&str, &[&str])] = &[
    ("applications", &["entra-applications", "entra-agent-id", "entra-app-proxy"]),
    ("approvals", &["microsoft-approvals"]),
    ("backup-storage", &["m365-backup-storage", "backup-and-restore"]),
    ("bookings", &["microsoft-bookings"]),
    ("business-central", &["dynamics-365-business-central", "d365-business-central"]),
    ("change-notifications", &["webhooks"]),
    ("cloud-communications", &["calls", "online-meetings"]),
    ("cloud-licensing", &[]),
    ("cloud-pc", &["windows-365", "cloudpc"]),
    // Pages about Graph as a whole (`entity`, `enums.md`).
    ("common", &["non-product-specific", "microsoft-graph", "msgraph"]),
    ("compliance", &["purview"]),
    ("copilot", &["copilot-settings", "microsoft-365-copilot", "meetings-copilot"]),
    ("data-connect", &[]),
    ("directory-management", &["entra-directory-management", "entra-id", "entra-tenantgovernance", "recoveryservices"]),
    ("ediscovery", &["purview-ediscovery"]),
    ("education", &[]),
    ("employee-learning", &["viva-learning"]),
    ("excel", &[]),
    ("extensions", &["schema-extensions"]),
    ("governance", &["entra-id-governance"]),
    ("groups", &["entra-groups"]),
    ("identity-and-access-reports", &["entra-monitoring-health"]),
    (
        "identity-and-sign-in",
        &["identity-and-access", "entra-sign-in", "entra-id-protection", "entra-global-secure-access"],
    ),
    ("insights", &[]),
    // Intune pages take the sub-area of their file names; this is for those without one.
    ("intune", &[]),
    ("lighthouse", &["microsoft-365-lighthouse"]),
    ("notifications", &[]),
    ("onenote", &[]),
    // Mail, calendar and contacts were one `ms.prod` before they were split.
    ("outlook", &["calendar", "exchange"]),
    ("partner", &["partner-customer-administration"]),
    ("people", &["profile"]),
    ("planner", &["business-scenarios"]),
    ("project-rome", &[]),
    ("reports", &[]),
    ("search", &[]),
    ("security", &["security-securitycopilot", "microsoft-defender-for-identity"]),
    ("service-communications", &[]),
    // Drives and drive items were `sharepoint` before they were split into `onedrive`.
    ("sharepoint", &["files", "onedrive", "sharepoint-embedded", "sites-and-lists"]),
    ("taxonomy", &["sharepoint-taxonomy"]),
    ("teams", &["microsoft-teams", "teamwork"]),
    ("tenant-configuration", &["tenant-configuration-management", "tenant-administration"]),
    ("universal-print", &["cloud-printing"]),
    ("users", &["entra-users"]),
    ("viva-engage", &[]),
    ("windows-updates", &["w10", "windows-autopatch", "windows-update-business"]),
];

/// A page's area: the Intune sub-area of its file name, else its metadata through
/// [`VOCABULARY`], else [`GENERAL_AREA`] when it has no metadata. A value the vocabulary does
/// not know is reported and becomes an area of its own, so that it never piles into `general`.
pub fn page_area(
    path: &str,
    front_matter: &BTreeMap<String, String>,
    lines: &BTreeMap<String, u32>,
    diags: &mut Diagnostics,
) -> String {
    if let Some(sub) = intune_sub_area(path) {
        return sub;
    }
    // The most specific classification first.
    for key in ["ms.subservice", "ms.prod", "ms.service"] {
        let Some(value) = front_matter.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) else { continue };
        let name = feature_name(value);
        if let Some(area) = lookup(&name) {
            return area.to_string();
        }
        // A template's placeholder (`**TODO: Add MS prod. See ...**`) classifies nothing, and
        // `ms.service` alone is often the docs set as a whole: only a known value counts. The
        // next key may still say where the page belongs.
        if name.starts_with("todo") || key == "ms.service" {
            continue;
        }
        let line = lines.get(key).copied().unwrap_or(1);
        let fallback = own_area(&name);
        diags.push(
            Span::new(path, line),
            Kind::UnknownArea,
            format!(
                "`{key}: {value}` is not in the area vocabulary{}; the page gets an area of its own, `{fallback}`",
                did_you_mean(&name)
            ),
        );
        return fallback;
    }
    GENERAL_AREA.to_string()
}

/// The area a normalized metadata value maps into.
pub fn lookup(name: &str) -> Option<&'static str> {
    VOCABULARY.iter().find(|(area, values)| *area == name || values.contains(&name)).map(|(area, _)| *area)
}

/// `intune-<sub>-x.md` or `intune_<sub>_x.md` → `intune-<sub>`.
fn intune_sub_area(path: &str) -> Option<String> {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let mut parts = file.split(['-', '_']);
    if let (Some("intune"), Some(sub), Some(_)) = (parts.next(), parts.next(), parts.next()) {
        let name = feature_name(&format!("intune-{sub}"));
        if !name.is_empty() {
            return Some(name);
        }
    }
    None
}

/// A feature name for a value outside the vocabulary, clear of the crate's own features.
fn own_area(name: &str) -> String {
    match name {
        "" => GENERAL_AREA.to_string(),
        "default" | "full" | "registry" => format!("{name}-area"),
        _ => name.to_string(),
    }
}

fn did_you_mean(name: &str) -> String {
    let known = VOCABULARY.iter().flat_map(|(area, values)| std::iter::once(*area).chain(values.iter().copied()));
    known
        .map(|k| (strsim::levenshtein(name, k), k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(2))
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`, area `{}`?)", lookup(k).unwrap_or(k)))
        .unwrap_or_default()
}

/// Lower-case letters and digits joined by single `-`, starting with a letter.
pub fn feature_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if out.is_empty() && !c.is_ascii_alphabetic() {
                continue;
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(64);
    out.truncate(out.trim_end_matches('-').len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(path: &str, front_matter: &[(&str, &str)]) -> (String, Vec<String>) {
        let fm: BTreeMap<String, String> = front_matter.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let lines: BTreeMap<String, u32> =
            front_matter.iter().enumerate().map(|(i, (k, _))| (k.to_string(), i as u32 + 2)).collect();
        let mut diags = Diagnostics::new();
        let area = page_area(path, &fm, &lines, &mut diags);
        (area, diags.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn pages_of_every_era_map_into_one_vocabulary() {
        // (page, front matter, expected area)
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: &[Case] = &[
            (
                "resources/intune-deviceconfig-windows10generalconfiguration.md",
                &[("ms.prod", "intune")],
                "intune-deviceconfig",
            ),
            ("resources/intune_apps_applevolumepurchaseprogramtoken.md", &[], "intune-apps"),
            ("api/intune-shared-devicemanagement-get.md", &[("ms.subservice", "intune")], "intune-shared"),
            // A file called just `intune-x.md` has no sub-area in its name.
            ("resources/intune-x.md", &[("ms.prod", "intune")], "intune"),
            // The same part of Graph, as 2021 and 2026 pages classify it.
            ("resources/user.md", &[("ms.prod", "users")], "users"),
            ("resources/user.md", &[("ms.subservice", "entra-users")], "users"),
            ("resources/team.md", &[("ms.prod", "microsoft-teams")], "teams"),
            ("resources/team.md", &[("ms.subservice", "teams")], "teams"),
            ("resources/team.md", &[("ms.service", "microsoft-teams")], "teams"),
            ("resources/group.md", &[("ms.prod", "groups")], "groups"),
            ("resources/group.md", &[("ms.subservice", "entra-groups")], "groups"),
            ("resources/x.md", &[("ms.prod", "Sharepoint")], "sharepoint"),
            ("resources/x.md", &[("ms.prod", "'applications'")], "applications"),
            ("resources/agentidentity.md", &[("ms.subservice", "entra-agent-id")], "applications"),
            ("resources/enums.md", &[("ms.subservice", "non-product-specific")], "common"),
            // `ms.subservice` is more specific than `ms.prod` or `ms.service`.
            ("resources/x.md", &[("ms.prod", "outlook"), ("ms.subservice", "calendar")], "outlook"),
            ("resources/x.md", &[("ms.service", "msgraph"), ("ms.subservice", "teams")], "teams"),
            (
                "resources/x.md",
                &[("ms.prod", "identity-and-access"), ("ms.subservice", "entra-id")],
                "directory-management",
            ),
            ("resources/x.md", &[("ms.subservice", "Microsoft Defender for Identity")], "security"),
            ("resources/x.md", &[("ms.subservice", "security.securitycopilot")], "security"),
            ("resources/driveitem.md", &[("ms.prod", "sharepoint")], "sharepoint"),
            ("resources/driveitem.md", &[("ms.subservice", "onedrive")], "sharepoint"),
            ("resources/x.md", &[], GENERAL_AREA),
            ("resources/x.md", &[("ms.prod", "")], GENERAL_AREA),
        ];
        for (path, front_matter, want) in cases {
            let (got, diags) = area(path, front_matter);
            assert_eq!((got.as_str(), diags.len()), (*want, 0), "{path} {front_matter:?}: {diags:?}");
        }
    }

    #[test]
    fn unknown_metadata_is_reported_and_kept_apart() {
        assert_eq!(
            area("resources/x.md", &[("title", "x"), ("ms.subservice", "entra-user")]),
            (
                "entra-user".to_string(),
                vec!["resources/x.md:3: warning: `ms.subservice: entra-user` is not in the area vocabulary (did you mean `entra-users`, area `users`?); the page gets an area of its own, `entra-user` [unknown-area]".to_string()]
            )
        );
        // Names the generated crate's own features use are kept clear.
        assert_eq!(area("resources/x.md", &[("ms.prod", "registry")]).0, "registry-area");
        assert_eq!(area("resources/x.md", &[("ms.prod", "365")]).0, GENERAL_AREA);
        let todo = "**TODO: Add MS prod. See [reference](https://example.com)**";
        assert_eq!(area("resources/x.md", &[("ms.prod", todo)]), (GENERAL_AREA.to_string(), vec![]));
        assert_eq!(
            area("resources/x.md", &[("ms.subservice", todo), ("ms.prod", "teams")]),
            ("teams".to_string(), vec![])
        );
        // An unknown `ms.service` alone says nothing about the area.
        assert_eq!(area("resources/x.md", &[("ms.service", "some-docs-set")]), (GENERAL_AREA.to_string(), vec![]));
    }

    #[test]
    fn the_vocabulary_is_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for (area, values) in VOCABULARY {
            assert_eq!(feature_name(area), *area, "{area} is not a feature name");
            assert!(!["default", "full", "registry", GENERAL_AREA].contains(area), "{area} is reserved");
            for v in std::iter::once(area).chain(values.iter()) {
                assert_eq!(feature_name(v), *v, "{v} is not normalized");
                assert!(seen.insert(*v), "{v} maps into two areas");
            }
        }
    }
}
