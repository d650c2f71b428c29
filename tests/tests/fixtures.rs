//! The three format eras of the Graph docs, as small fixture pages of our own under
//! `tests/fixtures/`: what each era's quirks turn into, and crates that build warning-free.

mod common;

use std::path::PathBuf;

use graph_docgen::emit::CrateOptions;
use graph_docgen::ir::{HttpMethod, Ir, Primitive, TypeKind, TypeRef};
use graph_docgen::{output, Generated};

fn fixture(era: &str) -> PathBuf {
    common::workspace().join("tests/fixtures").join(era)
}

fn generate(era: &str) -> Generated {
    let options = CrateOptions { crate_name: format!("fixture-{era}"), standalone: true, runtime: None };
    graph_docgen::generate(&fixture(era), &options).unwrap()
}

fn fields(ir: &Ir, id: &str) -> Vec<(String, String, TypeRef)> {
    match &ir.types[id].kind {
        TypeKind::Struct(s) => {
            s.fields.iter().map(|f| (f.json_name.clone(), f.rust_name.clone(), f.ty.clone())).collect()
        }
        TypeKind::Enum(_) => panic!("{id} is an enum"),
    }
}

fn members(ir: &Ir, id: &str) -> Vec<String> {
    match &ir.types[id].kind {
        TypeKind::Enum(e) => e.members.iter().map(|m| m.json_name.clone()).collect(),
        TypeKind::Struct(_) => panic!("{id} is a struct"),
    }
}

fn snapshot(era: &str, generated: &Generated) {
    let diagnostics: Vec<String> = generated.diagnostics.iter().map(|d| d.to_string()).collect();
    let json = serde_json::json!({ "diagnostics": diagnostics, "ir": generated.ir });
    insta::assert_snapshot!(
        format!("fixture_{}_ir", era.replace('-', "_")),
        serde_json::to_string_pretty(&json).unwrap()
    );
}

#[test]
fn era_2016_bom_crlf_triple_hash_headings_and_angle_placeholders() {
    let g = generate("era-2016");
    assert!(g.diagnostics.is_empty(), "{:#?}", g.diagnostics);
    let ir = &g.ir;
    let f = fields(ir, "microsoft.graph.widget");
    let names: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(names, ["id", "displayName", "widgetState", "enrolledDateTime", "sizeInBytes"]);
    assert_eq!(f[2].2, TypeRef::Named("microsoft.graph.widgetWidgetState".into()));
    assert_eq!(members(ir, "microsoft.graph.widgetWidgetState"), ["unknown", "active", "retired"]);
    assert_eq!(f[4].2, TypeRef::Primitive(Primitive::Int64));

    let list = &ir.operations["api/intune_devices_widget_list.md"];
    assert_eq!(list.rust_name, "ListWidgets");
    assert_eq!(list.response, Some(TypeRef::Collection(Box::new(TypeRef::Named("microsoft.graph.widget".into())))));
    let variants: Vec<(&str, &str)> = list.paths.iter().map(|p| (p.rust_name.as_str(), p.template.as_str())).collect();
    assert_eq!(
        variants,
        [
            ("DeviceManagementWidgets", "/deviceManagement/widgets"),
            ("DeviceManagementManagedDevices", "/deviceManagement/managedDevices/<id>/widgets")
        ]
    );
    let delete = &ir.operations["api/intune_devices_widget_delete.md"];
    assert_eq!((delete.method, &delete.response), (HttpMethod::Delete, &None));
    assert_eq!(delete.paths[0].params[0].name, "id");
    snapshot("era-2016", &g);
}

#[test]
fn era_2021_front_matter_namespaces_inheritance_enums_and_tabs() {
    let g = generate("era-2021");
    assert!(g.diagnostics.is_empty(), "{:#?}", g.diagnostics);
    let ir = &g.ir;
    let f = fields(ir, "microsoft.graph.gadget");
    let names: Vec<(&str, &str)> = f.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    assert_eq!(
        names,
        [
            ("id", "id"),
            ("kind", "kind"),
            ("tags", "tags"),
            ("parent", "parent"),
            ("session", "session"),
            ("type", "r#type"),
            ("features", "features"),
            ("parts", "parts")
        ],
        "inherited `id` comes first; keywords are raw identifiers"
    );
    assert_eq!(f[1].2, TypeRef::Named("microsoft.graph.gadgetKind".into()));
    assert_eq!(members(ir, "microsoft.graph.gadgetKind"), ["small", "large", "unknownFutureValue"]);
    assert_eq!(f[4].2, TypeRef::Named("microsoft.graph.callRecords.session".into()));
    assert_eq!(ir.types["microsoft.graph.callRecords.session"].module, ["call_records"]);
    let TypeKind::Struct(s) = &ir.types["microsoft.graph.gadget"].kind else { unreachable!() };
    assert_eq!(s.base.as_deref(), Some("microsoft.graph.entity"));
    assert!(s.fields[3].boxed, "a gadget holds its parent gadget: boxed");
    assert!(s.fields[7].navigation && !s.fields[7].boxed, "collections need no box");
    let TypeKind::Enum(features) = &ir.types["microsoft.graph.gadgetFeatures"].kind else { unreachable!() };
    assert!(features.flags, "power-of-two members make a flags enum");
    assert!(matches!(&ir.types["microsoft.graph.gadgetKind"].kind, TypeKind::Enum(e) if !e.flags));

    let get = &ir.operations["api/gadget-get.md"];
    assert_eq!(get.paths.len(), 3, "tab headings did not end the HTTP request section");
    assert!(get.query_options);
    assert_eq!(get.paths[1].params[0].rust_name, "id_or_user_principal_name");

    // Links in docs text: a resource page's link goes to its generated type, another page's to
    // its public docs page, a site-absolute one to the docs site.
    let code: String = g.files.values().map(String::as_str).collect();
    assert!(code.contains("/// Read a [gadget](crate::Gadget)."), "a link to a resource page is an intra-doc link");
    assert!(
        code.contains("/// Activate a [gadget](crate::Gadget) until a given time; [read it](https://learn.microsoft.com/graph/api/gadget-get?view=graph-rest-1.0) to see until when, and see [how throttling works](https://learn.microsoft.com/graph/throttling)."),
        "links to other pages go to the public docs"
    );

    let activate = &ir.operations["api/gadget-activate.md"];
    assert_eq!(activate.response, None);
    assert_eq!(activate.body, Some(TypeRef::Named("microsoft.graph.GadgetActivateBody".into())));
    let body = fields(ir, "microsoft.graph.GadgetActivateBody");
    assert_eq!(
        body,
        [
            ("reason".to_string(), "reason".to_string(), TypeRef::Primitive(Primitive::String)),
            ("until".into(), "until".into(), TypeRef::Primitive(Primitive::DateTimeOffset)),
            (
                "kinds".into(),
                "kinds".into(),
                TypeRef::Collection(Box::new(TypeRef::Named("microsoft.graph.gadgetKind".into())))
            ),
        ]
    );
    snapshot("era-2021", &g);
}

#[test]
fn era_2022_callouts_group_rows_and_odata_type_rows() {
    let g = generate("era-2022");
    assert!(g.diagnostics.is_empty(), "{:#?}", g.diagnostics);
    let ir = &g.ir;
    let f = fields(ir, "microsoft.graph.doohickey");
    let names: Vec<(&str, &str)> = f.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
    // The `odata.type` row is the discriminator, not a property: the service sends `@odata.type`.
    assert_eq!(names, [("color", "color"), ("id", "id"), ("weight", "weight")]);
    assert!(matches!(&ir.types["microsoft.graph.doohickey"].kind, TypeKind::Struct(s) if s.open), "an open type");
    let post = &ir.operations["api/doohickey-post.md"];
    assert_eq!(post.body, Some(TypeRef::Named("microsoft.graph.doohickey".into())));
    assert_eq!(post.response, Some(TypeRef::Named("microsoft.graph.doohickey".into())));
    assert_eq!(ir.operations["api/doohickey-delete.md"].response, None);
    snapshot("era-2022", &g);
}

#[test]
fn era_2026_subservice_areas_discriminator_rows_value_lists_and_callouts() {
    let g = generate("era-2026");
    let diagnostics: Vec<String> = g.diagnostics.iter().map(|d| d.to_string()).collect();
    // Each docs defect the fixture holds is reported at its line, and nothing else is.
    assert_eq!(
        diagnostics,
        [
            "resources/gizmo.md:44: warning: the type `gizmoShade` is not defined by any page; an enum is built from the property's list of possible values [unresolved-type]",
            "resources/gizmopart.md:19: warning: the `odata.type` row names `#microsoft.graph.gizmoPiece`, but the page documents `#microsoft.graph.gizmoPart`; the row is the type's discriminator (`@odata.type` on the wire), not a property [table-json-mismatch]",
            "resources/gizmopart.md:20: warning: `weight` says it is inherited from `microsoft.graph.gizmo`, which is not a base of `microsoft.graph.gizmoPart` (bases: microsoft.graph.entity) [inheritance-mismatch]",
        ]
    );
    let ir = &g.ir;
    let f = fields(ir, "microsoft.graph.gizmo");
    let names: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
    // The `odata.type` row is not a field; `id` comes from `entity` once.
    assert_eq!(names, ["id", "state", "label", "kind", "shade", "tags", "parts"]);
    let ty = |name: &str| f.iter().find(|x| x.0 == name).map(|x| x.2.clone()).unwrap();
    // `String (enum)` with a value list is an enum, without `null` (the absence of a value).
    assert_eq!(ty("state"), TypeRef::Named("microsoft.graph.gizmoState".into()));
    assert_eq!(members(ir, "microsoft.graph.gizmoState"), ["active", "retired", "unknownFutureValue"]);
    // `string (readonly)` is a string.
    assert_eq!(ty("label"), TypeRef::Primitive(Primitive::String));
    // A link into `enums.md#...` names the enum of a `### x values` section.
    assert_eq!(ty("kind"), TypeRef::Named("microsoft.graph.gizmoKind".into()));
    let TypeKind::Enum(kind) = &ir.types["microsoft.graph.gizmoKind"].kind else { unreachable!() };
    assert!(kind.members[3].doc.contains("Prefer: include-unknown-enum-members"), "members after the sentinel");
    assert!(!kind.members[1].doc.contains("Prefer"));
    // The named enum's page is absent: the property's list makes it.
    assert_eq!(ty("shade"), TypeRef::Named("microsoft.graph.gizmoShade".into()));
    assert_eq!(members(ir, "microsoft.graph.gizmoShade"), ["light", "dark"]);

    let gizmo = &ir.types["microsoft.graph.gizmo"];
    let TypeKind::Struct(s) = &gizmo.kind else { unreachable!() };
    assert!(s.open, "\"This resource is an open type\"");
    assert!(!matches!(&ir.types["microsoft.graph.gizmoPart"].kind, TypeKind::Struct(p) if p.open));
    // Callouts of the Methods and Properties sections qualify the type; include lines and the
    // Related content section do not show up anywhere.
    assert!(gizmo.doc.contains("**Note:** Gizmos were called widgets until 2025."), "{}", gizmo.doc);
    assert!(gizmo.doc.contains("**Important:** The state property is in preview."), "{}", gizmo.doc);
    assert!(!gizmo.doc.contains("INCLUDE") && !gizmo.doc.contains("beta-disclaimer"), "{}", gizmo.doc);

    // `ms.subservice: teams` (2026) and `ms.service: microsoft-teams` land in `teams`, and
    // `non-product-specific` in `common`, never `general`.
    let areas: Vec<&str> = ir.areas.keys().map(String::as_str).collect();
    assert_eq!(areas, ["common", "teams"]);
    assert_eq!(ir.types["microsoft.graph.gizmoPart"].area, "teams");
    assert_eq!(ir.types["microsoft.graph.entity"].area, "common");

    // Bold group rows of the Methods table are not methods; include lines and callouts in the
    // request-body section do not hide its table.
    let list = &ir.operations["api/gizmo-list-parts.md"];
    assert_eq!(list.response, Some(TypeRef::Collection(Box::new(TypeRef::Named("microsoft.graph.gizmoPart".into())))));
    let create = &ir.operations["api/gizmo-create.md"];
    assert_eq!(create.method, HttpMethod::Post);
    assert_eq!(create.paths[0].template, "/teams/{team-id}/gizmos");
    assert_eq!(create.response, Some(TypeRef::Named("microsoft.graph.gizmo".into())));
    let body: Vec<String> = fields(ir, "microsoft.graph.CreateGizmoBody").into_iter().map(|f| f.0).collect();
    assert_eq!(body, ["label", "state"]);
    snapshot("era-2026", &g);
}

#[test]
fn areas_compile_their_own_types_and_what_those_cannot_do_without() {
    let g = generate("areas");
    assert!(g.diagnostics.is_empty(), "{:#?}", g.diagnostics);
    let ir = &g.ir;
    let cfg = |id: &str| ir.types[&format!("microsoft.graph.{id}")].cfg.clone();
    let areas: Vec<(&str, usize, usize)> =
        ir.areas.iter().map(|(name, a)| (name.as_str(), a.types, a.closure)).collect();
    assert_eq!(
        areas,
        [
            ("directory-management", 1, 1),
            ("intune-widgets", 2, 4),
            ("onenote", 2, 3),
            ("people", 1, 3),
            ("taxonomy", 2, 3)
        ]
    );
    // The base type comes with every area that derives from it, but not with `taxonomy`.
    assert_eq!(cfg("entity"), ["directory-management", "intune-widgets", "onenote", "people"]);
    // A structural property's type comes along with the areas that use it.
    assert_eq!(cfg("labelPair"), ["intune-widgets", "people", "taxonomy"]);
    // Relationships do not pull their targets in.
    assert_eq!(cfg("person"), ["people"]);
    assert_eq!(cfg("note"), ["onenote"]);
    // `labelSet` shares a file with `labelPair`, which `people` compiles; it does not.
    assert_eq!(cfg("labelSet"), ["taxonomy"]);
    assert_eq!(cfg("noteColor"), ["onenote", "taxonomy"]);
    assert_eq!(cfg("widget"), ["intune-widgets"]);
    assert_eq!(ir.operations["api/person-get.md"].cfg, ["people"]);
    assert_eq!(ir.operations["api/intune-widgets-widget-get.md"].cfg, ["intune-widgets"]);

    // Each area alone, none at all, and all of them build warning-free.
    let ws = common::workspace();
    let root = ws.join("target/fixtures");
    let dir = root.join("areas");
    output::sync(&dir, &g.files, false).unwrap();
    let manifest = dir.join("Cargo.toml");
    let mut selections: Vec<Vec<&str>> =
        ir.areas.keys().map(|a| vec!["--no-default-features", "--features", a]).collect();
    selections.push(vec!["--no-default-features"]);
    selections.push(vec!["--no-default-features", "--features", "registry,intune-widgets"]);
    selections.push(vec!["--all-features"]);
    for selection in selections {
        let mut args = vec!["check", "--quiet", "--all-targets"];
        args.extend(&selection);
        let out = common::nested_cargo(&args, &manifest, &root.join("target"));
        assert!(out.status.success(), "{selection:?}:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    snapshot("areas", &g);
}

#[test]
fn fixture_crates_build_with_warnings_denied() {
    let ws = common::workspace();
    let root = ws.join("target/fixtures");
    for era in ["era-2016", "era-2021", "era-2022", "era-2026"] {
        let dir = root.join(era);
        output::sync(&dir, &generate(era).files, false).unwrap();
        let out = common::nested_cargo(
            &["check", "--quiet", "--all-targets", "--features", "registry"],
            &dir.join("Cargo.toml"),
            &root.join("target"),
        );
        assert!(out.status.success(), "{era}:\n{}", String::from_utf8_lossy(&out.stderr));
        let doc = common::nested_doc(&dir.join("Cargo.toml"), &root.join("target"));
        assert!(doc.status.success(), "{era} docs:\n{}", String::from_utf8_lossy(&doc.stderr));
    }
    // `tests/behaviour` also depends on one area of the areas fixture, and on the seed's crate.
    output::sync(&root.join("areas"), &generate("areas").files, false).unwrap();
    output::sync(&root.join("seed"), &generate("seed").files, false).unwrap();
    // What a dependent crate sees of the 2021-era crate: `tests/behaviour`.
    let out = common::nested_cargo(&["test", "--quiet"], &ws.join("tests/behaviour/Cargo.toml"), &root.join("target"));
    assert!(
        out.status.success(),
        "behaviour tests of the generated crate failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every generated file parses, indents by four spaces, has no trailing whitespace and ends with
/// one newline (what prettyplease gives; checked in case a file skipped it).
#[test]
fn generated_files_are_well_formed_rust() {
    for era in ["era-2016", "era-2021", "era-2022", "era-2026", "areas", "hostile"] {
        for (path, text) in generate(era).files.iter().filter(|(p, _)| p.ends_with(".rs")) {
            if let Err(e) = syn::parse_file(text) {
                panic!("{era}: {path} does not parse: {e}\n{text}");
            }
            assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{era}: {path} must end with one newline");
            for (i, line) in text.lines().enumerate() {
                let indent = line.len() - line.trim_start_matches(' ').len();
                assert!(line.trim_end() == line, "{era}: {path}:{}: trailing whitespace", i + 1);
                assert!(indent % 4 == 0, "{era}: {path}:{}: indent of {indent}", i + 1);
            }
        }
    }
}
