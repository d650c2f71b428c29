//! Tests of the generated fixture crates: polymorphic values, path alternatives, action bodies,
//! what a dependent crate gets from one area, and the seed page's type.

mod areas;
mod seed;
mod shared_runtime;

#[cfg(test)]
mod tests {
    use gadgets::endpoints::{GadgetActivate, GetGadget, GetGadgetPath};
    use gadgets::runtime::{DateTimeOffset, Endpoint, Method, NoContent};
    use gadgets::runtime::Flags;
    use gadgets::{AnyEntity, Entity, Gadget, GadgetActivateBody, GadgetFeatures, GadgetKind};
    use serde_json::json;

    #[test]
    fn a_value_declared_as_a_base_type_reads_as_its_derived_type() {
        let v = json!({"@odata.type": "#microsoft.graph.gadget", "id": "1", "kind": "large", "parent": {"id": "0"}});
        let any: AnyEntity = serde_json::from_value(v.clone()).unwrap();
        let AnyEntity::Gadget(g) = &any else { panic!("read as {any:?}") };
        assert_eq!(g.kind, Some(GadgetKind::Large));
        assert_eq!(g.parent.as_ref().and_then(|p| p.id.as_deref()), Some("0"));
        assert_eq!(serde_json::to_value(&any).unwrap(), v);
    }

    #[test]
    fn without_or_with_an_unknown_type_the_base_keeps_everything() {
        let plain: AnyEntity = serde_json::from_value(json!({"id": "1"})).unwrap();
        assert!(matches!(plain, AnyEntity::Entity(_)));
        let v = json!({"@odata.type": "#microsoft.graph.futureThing", "id": "2", "extra": [1, {"a": null}]});
        let any: AnyEntity = serde_json::from_value(v.clone()).unwrap();
        let AnyEntity::Entity(e) = &any else { panic!("read as {any:?}") };
        assert_eq!(e.additional_properties["extra"], json!([1, {"a": null}]));
        assert_eq!(serde_json::to_value(&any).unwrap(), v);
    }

    #[test]
    fn the_type_is_found_wherever_it_stands_in_the_text() {
        // First, as Graph writes it (read in one pass), or after other properties (read whole
        // first): the same value either way, with the same error for a wrong property.
        for text in [
            r##"{"@odata.type":"#microsoft.graph.gadget","id":"1","kind":"large","parent":{"id":"0"}}"##,
            r##"{"id":"1","kind":"large","@odata.type":"#microsoft.graph.gadget","parent":{"id":"0"}}"##,
        ] {
            let any: AnyEntity = serde_json::from_str(text).unwrap();
            let AnyEntity::Gadget(g) = &any else { panic!("{text} read as {any:?}") };
            assert_eq!((g.id.as_deref(), g.kind.as_ref()), (Some("1"), Some(&GadgetKind::Large)));
            let back: serde_json::Value = serde_json::to_value(&any).unwrap();
            assert_eq!(back, serde_json::from_str::<serde_json::Value>(text).unwrap());
        }
        for text in [r##"{"@odata.type":"#microsoft.graph.gadget","tags":"x"}"##, r##"{"tags":"x","@odata.type":"#microsoft.graph.gadget"}"##] {
            let err = serde_json::from_str::<AnyEntity>(text).unwrap_err().to_string();
            assert!(err.contains("invalid type: string \"x\""), "{text}: {err}");
        }
        // A tag that is not a string names no type: the base keeps it.
        let any: AnyEntity = serde_json::from_str(r##"{"@odata.type":null,"id":"5"}"##).unwrap();
        let AnyEntity::Entity(e) = &any else { panic!("read as {any:?}") };
        assert_eq!(e.additional_properties["@odata.type"], serde_json::Value::Null);
    }

    #[test]
    fn a_derived_value_written_through_its_base_says_what_it_is() {
        let any = AnyEntity::Gadget(Box::new(Gadget { id: Some("3".into()), ..Gadget::default() }));
        assert_eq!(serde_json::to_value(&any).unwrap(), json!({"@odata.type": "#microsoft.graph.gadget", "id": "3"}));
        let base = AnyEntity::Entity(Box::new(Entity { id: Some("4".into()), ..Entity::default() }));
        assert_eq!(serde_json::to_value(&base).unwrap(), json!({"id": "4"}));
    }

    #[test]
    fn a_derived_type_with_a_wrong_value_is_rejected() {
        let v = json!({"@odata.type": "#microsoft.graph.gadget", "tags": "not-a-list"});
        assert!(serde_json::from_value::<AnyEntity>(v).is_err());
    }

    #[test]
    fn flag_enums_are_comma_separated_lists() {
        let g: Gadget = serde_json::from_value(json!({"features": "wifi,nfc,uwb"})).unwrap();
        let features = g.features.as_ref().unwrap();
        assert_eq!(features, &Flags(vec![GadgetFeatures::Wifi, GadgetFeatures::Nfc, GadgetFeatures::Unrecognized("uwb".into())]));
        assert_eq!(serde_json::to_value(&g).unwrap(), json!({"features": "wifi,nfc,uwb"}));
        assert!(serde_json::from_value::<Gadget>(json!({"features": ["wifi"]})).is_err());
    }

    #[test]
    fn keyword_fields_and_sub_namespaces() {
        let g: Gadget = serde_json::from_value(json!({"type": "t", "session": {"id": "s", "startDateTime": "2021-01-01T00:00:00Z"}})).unwrap();
        assert_eq!(g.r#type.as_deref(), Some("t"));
        let session: &gadgets::call_records::Session = g.session.as_ref().unwrap();
        assert_eq!(session.start_date_time.as_ref().map(DateTimeOffset::as_str), Some("2021-01-01T00:00:00Z"));
    }

    #[test]
    fn each_documented_path_is_an_alternative() {
        let by_user = GetGadget::new(GetGadgetPath::Users { id_or_user_principal_name: "a@b.com".into(), gadget_id: "g/1".into() });
        assert_eq!(by_user.template(), "/users/{id | userPrincipalName}/gadgets/{gadgetId}");
        assert_eq!(by_user.request().path_and_query, "/users/a%40b.com/gadgets/g%2F1");
        let mut mine = GetGadget::new(GetGadgetPath::Me { gadget_id: "1".into() });
        mine.query.top = Some(5);
        mine.query.filter = Some("kind eq 'large'".into());
        assert_eq!(mine.request().path_and_query, "/me/gadgets/1?$filter=kind%20eq%20'large'&$top=5");
    }

    #[test]
    fn a_documented_query_parameter_has_a_method_and_follows_the_odata_options() {
        let mut get = GetGadget::new(GetGadgetPath::Me { gadget_id: "1".into() }).include_retired("true");
        assert_eq!(get.request().path_and_query, "/me/gadgets/1?includeRetired=true");
        get.query.select = vec!["id".into()];
        assert_eq!(get.request().path_and_query, "/me/gadgets/1?$select=id&includeRetired=true");
    }

    #[test]
    fn actions_take_a_body_built_from_their_parameter_table() {
        let body = GadgetActivateBody {
            reason: Some("demo".into()),
            until: Some(DateTimeOffset::new("2021-07-01T00:00:00Z").unwrap()),
            kinds: Some(vec![GadgetKind::Small, GadgetKind::Unrecognized("huge".into())]),
            ..GadgetActivateBody::default()
        };
        let call = GadgetActivate::new("7", body);
        let request = call.request();
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.path_and_query, "/gadgets/7/activate");
        assert_eq!(
            serde_json::to_value(request.body.unwrap()).unwrap(),
            json!({"reason": "demo", "until": "2021-07-01T00:00:00Z", "kinds": ["small", "huge"]})
        );
        assert_eq!(GadgetActivate::parse_response(b"").unwrap(), NoContent);
    }
}
