//! JSON behaviour of the type generated from the seed page (`tests/fixtures/seed`, the page the
//! project started from), checked from outside the generated crate.

#![cfg(test)]

use seed::endpoints::{GetAppleVolumePurchaseProgramToken, UpdateAppleVolumePurchaseProgramToken};
use seed::runtime::{DateTimeOffset, Endpoint, Method, StringEnum};
use seed::{
    AppleVolumePurchaseProgramToken as Token, AppleVolumePurchaseProgramTokenLastSyncStatus as SyncStatus,
    AppleVolumePurchaseProgramTokenState as State,
};
use serde_json::json;

fn get_example() -> serde_json::Value {
    response_example("api/intune_apps_applevolumepurchaseprogramtoken_get.md")
}

/// The JSON body of a seed page's response example: the first code block after the
/// `"blockType": "response"` annotation, from its first `{`.
fn response_example(page: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/seed").join(page);
    let text = std::fs::read_to_string(&path).unwrap().replace("\r\n", "\n");
    let after = &text[text.find("\"blockType\": \"response\"").expect("a response annotation")..];
    let block = &after[after.find("```").expect("a code block")..];
    let body = &block[block.find('{').expect("a JSON body")..];
    let end = body.find("\n```").expect("the end of the block");
    serde_json::from_str(&body[..end]).expect("the example body is JSON")
}

#[test]
fn the_get_response_example_round_trips_without_loss() {
    let example = get_example();
    let token: Token = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(token.id.as_deref(), Some("9f2ba5c3-5b8d-4e9f-a59b-5b0d0e1a6f3c"));
    assert_eq!(token.state, Some(State::Valid));
    assert_eq!(token.last_sync_status, Some(SyncStatus::InProgress));
    let modified = token.last_modified_date_time.as_ref().unwrap();
    assert_eq!(modified.as_str(), "2017-01-01T00:00:35.1329464-08:00");
    assert_eq!(modified.parts().nanosecond, 132_946_400);
    assert_eq!(modified.parts().offset_minutes, -480);
    assert_eq!(modified.unix_timestamp(), 1_483_257_635);
    // `@odata.type` is not a documented property; it is kept and written back.
    assert_eq!(token.additional_properties["@odata.type"], "#microsoft.graph.appleVolumePurchaseProgramToken");
    assert_eq!(serde_json::to_value(&token).unwrap(), example);
}

#[test]
fn a_member_named_unknown_and_unlisted_members_both_survive() {
    let mut example = get_example();
    example["state"] = json!("unknown");
    example["lastSyncStatus"] = json!("pausedByService");
    let token: Token = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(token.state, Some(State::Unknown));
    assert_eq!(token.last_sync_status, Some(SyncStatus::Unrecognized("pausedByService".into())));
    assert_eq!(token.last_sync_status.as_ref().unwrap().as_str(), "pausedByService");
    assert_eq!(serde_json::to_value(&token).unwrap(), example);
    assert_eq!(State::from_wire("expired"), State::Expired);
}

#[test]
fn unknown_properties_and_nulls_survive_a_read_modify_write() {
    let mut example = get_example();
    example["tokenActionResults"] = json!([{"actionName": "sync", "nested": {"deep": [1, 2.5, null]}}]);
    example["appleId"] = json!(null);
    let mut token: Token = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(token.apple_id, None);
    token.organization_name = Some("Contoso".into());
    example["organizationName"] = json!("Contoso");
    assert_eq!(serde_json::to_value(&token).unwrap(), example);
    // Setting a field that arrived as null writes the value, not the null.
    token.apple_id = Some("a@contoso.com".into());
    assert_eq!(serde_json::to_value(&token).unwrap()["appleId"], "a@contoso.com");
}

#[test]
fn malformed_values_are_rejected() {
    let cases = [
        ("expirationDateTime", json!("2016-12-31")),
        ("expirationDateTime", json!("2016-13-31T23:59:23Z")),
        ("expirationDateTime", json!("2016-02-30T23:59:23Z")),
        ("expirationDateTime", json!("2016-12-31T25:59:23Z")),
        ("expirationDateTime", json!("2016-12-31T23:59:23")),
        ("expirationDateTime", json!("datetime-value")),
        ("expirationDateTime", json!(1483257635)),
        ("organizationName", json!(42)),
        ("organizationName", json!(["a"])),
        ("state", json!(1)),
        ("state", json!({"value": "valid"})),
    ];
    for (key, value) in cases {
        let mut example = get_example();
        example[key] = value.clone();
        let result = serde_json::from_value::<Token>(example);
        assert!(result.is_err(), "{key} = {value} was accepted");
    }
    let err = serde_json::from_str::<Token>(r#"{"expirationDateTime": "yesterday"}"#).unwrap_err().to_string();
    assert!(err.contains("ISO 8601"), "{err}");
}

#[test]
fn timestamps_are_validated_and_kept_verbatim() {
    for ok in [
        "2017-01-01T00:00:35.1329464-08:00",
        "2017-01-01T00:00:35Z",
        "2016-02-29T23:59:60.5+14:00",
        "2017-01-01T00:00Z",
    ] {
        assert_eq!(DateTimeOffset::new(ok).unwrap().as_str(), ok);
    }
    for bad in
        ["2017-02-29T00:00:00Z", "2017-01-01 00:00:00Z", "2017-01-01T00:00:00+15:00", "2017-01-01T00:00:00.Z", ""]
    {
        assert!(DateTimeOffset::new(bad).is_err(), "{bad}");
    }
}

#[test]
fn endpoint_stubs_describe_the_documented_requests() {
    let mut get = GetAppleVolumePurchaseProgramToken::new("a/b c");
    assert_eq!(get.template(), "/deviceAppManagement/vppTokens/{vppTokenId}");
    get.query.select = vec!["id".into(), "state".into()];
    let request = get.request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.path_and_query, "/deviceAppManagement/vppTokens/a%2Fb%20c?$select=id,state");
    let body = serde_json::to_vec(&get_example()).unwrap();
    let parsed = GetAppleVolumePurchaseProgramToken::parse_response(&body).unwrap();
    assert_eq!(parsed.state, Some(State::Valid));

    let patch = Token { organization_name: Some("Contoso".into()), ..Token::default() };
    let update = UpdateAppleVolumePurchaseProgramToken::new("9f2b", patch);
    let request = update.request();
    assert_eq!(request.method, Method::Patch);
    assert_eq!(request.path_and_query, "/deviceAppManagement/vppTokens/9f2b");
    assert_eq!(serde_json::to_value(request.body.unwrap()).unwrap(), json!({"organizationName": "Contoso"}));
}

#[test]
fn a_patch_tells_absent_null_and_value_apart() {
    use seed::runtime::Nulls;
    // Rename the organization and clear the Apple ID; leave every other property as it is.
    let patch = Token { organization_name: Some("Contoso".into()), ..Token::default() }.with_null(Token::APPLE_ID);
    let update = UpdateAppleVolumePurchaseProgramToken::new("9f2b", patch);
    let wire = serde_json::to_value(update.request().body.unwrap()).unwrap();
    assert_eq!(wire, json!({"organizationName": "Contoso", "appleId": null}));
    assert_eq!(Token::APPLE_ID.name(), "appleId");

    // A value set afterwards is sent instead of the null; forgetting the null leaves it out.
    let mut token = Token::default().with_null(Token::APPLE_ID);
    token.apple_id = Some("a@contoso.com".into());
    assert_eq!(serde_json::to_value(&token).unwrap(), json!({"appleId": "a@contoso.com"}));
    token.apple_id = None;
    token.clear_null(Token::APPLE_ID);
    assert_eq!(serde_json::to_value(&token).unwrap(), json!({}));

    // A resource read with a null and sent back unchanged still says null.
    let read: Token = serde_json::from_value(json!({"id": "1", "appleId": null})).unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), json!({"id": "1", "appleId": null}));
}
