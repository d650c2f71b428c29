//! The request-example suite (see `common/requests.rs`) over a small docs tree: the 2019-2021
//! fixture pages plus API pages written here, whose examples cover what the corpus run meets:
//! alternative paths, OData query options in any order and case, percent-encoded path values,
//! a request body that round-trips and one with a docs defect, a query parameter the stub cannot
//! send, a request line no operation has, and responses that round-trip, are empty, or are
//! flagged by the docs validation. Needs no corpus: it runs in a plain `cargo test`.

mod common;
#[path = "common/requests.rs"]
mod requests;

use std::path::Path;

use requests::{match_template, query_options, request_examples, split_top_level, Payload};

const LIST: &str = r#"---
title: "List gadgets"
description: "List gadgets."
doc_type: apiPageType
---

# List gadgets

Namespace: microsoft.graph

List the [gadgets](../resources/gadget.md).

## HTTP request

<!-- { "blockType": "ignored" } -->

```http
GET /gadgets
GET /me/gadgets
```

## Optional query parameters

This method supports the [OData query parameters](/graph/query-parameters).

## Response

If successful, this method returns a `200 OK` response code and a collection of [gadget](../resources/gadget.md) objects in the response body.

## Examples

### Example 1: options

<!-- { "blockType": "request", "name": "list_gadgets_options" } -->

```http
GET https://graph.microsoft.com/v1.0/me/gadgets?$select=kind,tags&$filter=kind eq 'large'&$top=5
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.gadget", "isCollection": true } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{
  "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/gadgets?$skiptoken=x",
  "value": [{"id": "1", "kind": "large", "tags": ["a"]}]
}
```

### Example 2: options in another order and case

<!-- { "blockType": "request", "name": "list_gadgets_expand" } -->

```http
GET https://graph.microsoft.com/v1.0/gadgets?$orderBy=kind desc&$expand=parts($select=id,kind),parent&$count=true HTTP/1.1
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.gadget", "isCollection": true } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{
  "@odata.count": 1,
  "value": [{"id": "1", "tags": "not an array"}]
}
```

### Example 3: a page token

<!-- { "blockType": "request", "name": "list_gadgets_token" } -->

```http
GET https://graph.microsoft.com/v1.0/gadgets?$skiptoken=abc
```

### Example 4: written loosely, answered with one gadget

<!-- { "blockType": "request", "name": "list_gadgets_loosely" } -->

```http
GET https://graph.microsoft.com/V1.0/ME/Gadgets/
```

<!-- { "blockType": "response", "@odata.type": "microsoft.graph.gadget" } -->

```http
HTTP/1.1 200 OK
Content-type: application/json

{"id": "1"}
```
"#;

const UPDATE: &str = r#"---
title: "Update gadget"
description: "Update a gadget."
doc_type: apiPageType
---

# Update gadget

Namespace: microsoft.graph

Update a [gadget](../resources/gadget.md).

## HTTP request

<!-- { "blockType": "ignored" } -->

```http
PATCH /gadgets/{gadget-id}
```

## Request body

In the request body, supply a JSON representation of the [gadget](../resources/gadget.md) properties to update.

## Response

If successful, this method returns a `204 No Content` response code.

## Examples

### Example 1

<!-- { "blockType": "request", "name": "update_gadget" } -->

```http
PATCH https://graph.microsoft.com/v1.0/gadgets/a%20b%2Fc
Content-type: application/json

{
  "kind": "small",
  "tags": ["c", "d"],
  "color": "green"
}
```

<!-- { "blockType": "response" } -->

```http
HTTP/1.1 204 No Content
```

### Example 2: a body with a defect

<!-- { "blockType": "request", "name": "update_gadget_defect" } -->

```http
PATCH https://graph.microsoft.com/v1.0/gadgets/2
Content-type: application/json

{
  "tags": "one",
}
```

### Example 3: another resource's path

<!-- { "blockType": "request", "name": "update_gizmo" } -->

```http
PATCH https://graph.microsoft.com/v1.0/gizmos/2
Content-type: application/json

{}
```

### Example 4: not a request

<!-- { "blockType": "request", "name": "update_gadget_prose" } -->

```http
Send the update as in example 1.
```
"#;

fn docs(dir: &Path) {
    common::copy_tree(&common::workspace().join("tests/fixtures/era-2021"), dir);
    std::fs::write(dir.join("api/gadget-list.md"), LIST).unwrap();
    std::fs::write(dir.join("api/gadget-update.md"), UPDATE).unwrap();
}

#[test]
fn request_lines_are_read_and_matched_to_templates() {
    let t = graph_docgen::resolve::parse_path(
        "/drives/{drive-id}/root:/{item-path}:/content",
        graph_docgen::Span::new("api/x.md", 1),
    );
    let (values, same_case) = match_template(&t, "/drives/b!x/root:/a/b c.txt:/content").unwrap();
    assert_eq!((values, same_case), (vec!["b!x".to_string(), "a/b c.txt".to_string()], true));
    let t = graph_docgen::resolve::parse_path(
        "/reports/getCounts(period='{period}')",
        graph_docgen::Span::new("api/x.md", 1),
    );
    assert_eq!(match_template(&t, "/reports/getcounts(period='D7')"), Some((vec!["D7".to_string()], false)));
    assert_eq!(match_template(&t, "/reports/getCounts(period='D7')/x"), None);
    let users = graph_docgen::resolve::parse_path("/users/{id}", graph_docgen::Span::new("api/x.md", 1));
    assert_eq!(match_template(&users, "/users/a/b"), None, "a parameter stays within its segment");
    assert_eq!(match_template(&users, "/users/"), None, "a parameter is never empty");

    assert_eq!(
        split_top_level("members($select=id,displayName),owners"),
        ["members($select=id,displayName)", "owners"]
    );
    assert_eq!(split_top_level("a,'b,c'"), ["a", "'b,c'"]);
    let q = query_options("$select=a,b&$TOP=3&$filter=x%20eq%20'y'", true, true).unwrap();
    assert_eq!(q, serde_json::json!({"select": ["a", "b"], "top": 3, "filter": "x eq 'y'"}));
    let kinds = |r: requests::Query| -> Vec<String> { r.unwrap_err().into_iter().map(|(k, _)| k).collect() };
    assert_eq!(kinds(query_options("startDateTime=1&$top=x&$skip=1", true, true)), ["query-value"]);
    assert_eq!(kinds(query_options("$select=a", false, false)), ["query-on-non-read"]);
    assert_eq!(kinds(query_options("$select=a&requiresReview=true", false, true)), ["query-on-non-read"]);
    // Parameters besides the OData options, and options without `$`, are sent as written.
    let q =
        query_options("expand=a&$search=b&startDateTime=2021-07-01T08%3A00%3A00%2B02%3A00&$skiptoken=x", true, true);
    assert_eq!(
        q.unwrap(),
        serde_json::json!({"search": "b", "params": [["expand", "a"], ["startDateTime", "2021-07-01T08:00:00+02:00"], ["$skiptoken", "x"]]})
    );

    let dir = common::scratch("requests/unit");
    docs(&dir);
    let mut diags = graph_docgen::Diagnostics::new();
    let pages = graph_docgen::load_pages(&dir, &mut diags).unwrap();
    let page = pages.iter().find(|p| p.path == "api/gadget-update.md").unwrap();
    let examples = request_examples(page);
    let first = examples[0].as_ref().unwrap();
    assert_eq!((first.method.as_str(), first.path.as_str(), first.query.as_str()), ("PATCH", "/gadgets/a%20b%2Fc", ""));
    assert_eq!(first.content_type.as_deref(), Some("application/json"));
    assert!(matches!(&first.body, Payload::Json(v) if v["kind"] == "small"));
    let response = first.response.as_ref().unwrap();
    assert_eq!((response.status, &response.body), (204, &Payload::None));
    assert!(matches!(examples[1].as_ref().unwrap().body, Payload::Lenient(..)));
    assert!(examples[1].as_ref().unwrap().response.is_none(), "a response pairs with the request before it only");
    assert!(examples[3].as_ref().unwrap_err().reason.contains("expected a request line"));
}

/// The whole suite over the fixture tree: a crate generated and built, every example rebuilt
/// through its stub and sent to the mock server; every mismatch is in the report with its line
/// and reason.
#[test]
fn request_examples_of_the_fixture_match_their_operations() {
    let dir = common::scratch("requests/docs");
    docs(&dir);
    let (_, suite) = requests::run(&dir, "fixture", "");
    let report = std::fs::read_to_string(&suite.report).unwrap();
    eprintln!("{report}");
    let verdicts: Vec<(String, Option<String>)> = suite
        .verdicts
        .iter()
        .map(|v| (format!("{}:{}", v.page, v.line), v.mismatch.as_ref().map(|m| m.0.clone())))
        .collect();
    let expected: Vec<(String, Option<String>)> = [
        ("api/gadget-get.md:42", None),
        ("api/gadget-list.md:36", None),
        ("api/gadget-list.md:56", None),
        ("api/gadget-list.md:76", None),
        ("api/gadget-list.md:84", None),
        ("api/gadget-update.md:35", None),
        ("api/gadget-update.md:56", None),
        ("api/gadget-update.md:69", Some("undocumented-path")),
        ("api/gadget-update.md:80", Some("request-line")),
    ]
    .iter()
    .map(|(at, kind)| (at.to_string(), kind.map(String::from)))
    .collect();
    assert_eq!(verdicts, expected);
    assert_eq!((suite.total, suite.matched, suite.docs_defects), (9, 7, 2));
    assert!((suite.documented_rate() - 100.0).abs() < 0.01, "{}", suite.summary);
    let notes: Vec<_> = suite.verdicts.iter().filter_map(|v| v.note).collect();
    // The page token goes through `params` (the page does not name it); the loose example
    // matches, written in another case and with a trailing `/`.
    assert_eq!(notes, ["unnamed-param", "case"]);
    assert!(report.contains("api/gadget-list.md:84: a literal segment in another case than its template"));
    for v in suite.mismatches() {
        let line = format!("{}:{}: [{}]", v.page, v.line, v.mismatch.as_ref().unwrap().0);
        assert!(report.contains(&line), "the report lists `{line}`");
    }
    // Bodies: the update round-trips (its unlisted `color` kept); the defective one does not,
    // and the docs check says why.
    let bodies: Vec<(u32, bool, bool)> = suite.bodies().map(|c| (c.line, c.ok, c.flagged)).collect();
    assert_eq!(bodies, [(35, true, false), (56, false, true)]);
    // Responses: the gadget and the first list round-trip, the 204 reads as no content, the
    // list with a string for an array fails and is flagged by the docs validation, and the single
    // gadget answering a list fails as the operation reads a page: the operation differs.
    let responses: Vec<(u32, bool, bool, bool)> =
        suite.responses().map(|c| (c.line, c.ok, c.flagged, c.differs.is_some())).collect();
    assert_eq!(
        responses,
        [
            (55, true, false, false),
            (42, true, false, false),
            (62, false, true, false),
            (90, false, false, true),
            (48, true, false, false)
        ]
    );
    assert!(report.contains("api/gadget-list.md:90: not read: "), "{report}");
    assert!(report.contains("[OPERATION DIFFERS: the operation returns `Collection(microsoft.graph.gadget)`; the example is `microsoft.graph.gadget`]"));
    assert_eq!(suite.unexplained(), 0);
}
