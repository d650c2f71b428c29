//! The areas fixture with only `intune-widgets` enabled: what that area compiles, and how data
//! for the areas left out is kept.

#[cfg(test)]
mod tests {
    use serde_json::json;
    use widgets::endpoints::GetWidget;
    use widgets::runtime::Endpoint;
    use widgets::{AnyEntity, AnyWidget, LabelPair, Widget};

    #[test]
    fn a_structural_property_typed_in_another_area_is_there() {
        let w: Widget = serde_json::from_value(json!({"id": "1", "label": {"name": "n", "value": "v"}})).unwrap();
        let label: &LabelPair = w.label.as_ref().unwrap();
        assert_eq!(label.value.as_deref(), Some("v"));
    }

    #[test]
    fn a_relationship_into_an_area_left_out_is_kept_verbatim() {
        let v = json!({
            "id": "1",
            "size": 3,
            "owner": {"id": "p", "displayName": "Pat", "badge": {"name": "b"}},
            "notes": [{"id": "n1", "text": "hello"}]
        });
        let w: Widget = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(w.size, Some(3));
        assert_eq!(w.additional_properties["owner"]["displayName"], "Pat");
        assert_eq!(w.additional_properties["notes"][0]["text"], "hello");
        assert_eq!(serde_json::to_value(&w).unwrap(), v);
    }

    #[test]
    fn a_derived_type_of_an_area_left_out_reads_as_its_base() {
        let v = json!({"@odata.type": "#microsoft.graph.person", "id": "p", "displayName": "Pat"});
        let any: AnyEntity = serde_json::from_value(v.clone()).unwrap();
        let AnyEntity::Entity(e) = &any else { panic!("read as {any:?}") };
        assert_eq!(e.additional_properties["displayName"], "Pat");
        assert_eq!(serde_json::to_value(&any).unwrap(), v);
        // The area's own derived types still dispatch.
        let v = json!({"@odata.type": "#microsoft.graph.superWidget", "id": "s", "boost": true});
        let any: AnyEntity = serde_json::from_value(v.clone()).unwrap();
        assert!(matches!(any, AnyEntity::SuperWidget(_)), "{any:?}");
        let w: AnyWidget = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(serde_json::to_value(&w).unwrap(), v);
    }

    #[test]
    fn the_area_s_endpoints_are_there() {
        let get = GetWidget::new("w1");
        assert_eq!(get.path(), "/widgets/w1");
    }
}
