//! Two generated crates (the 2021-era fixture and the areas fixture) share one runtime: one
//! generic function serves the operations of both, and runtime values move between them.

#[cfg(test)]
mod tests {
    use gadgets::endpoints::{GetGadget, GetGadgetPath};
    use gadgets::runtime::Endpoint;
    use widgets::endpoints::GetWidget;

    /// Written once, against the runtime, for the operations of any generated crate.
    fn describe<E: Endpoint>(op: &E) -> String {
        let request = op.request();
        format!("{} {}", request.method.as_str(), request.path_and_query)
    }

    #[test]
    fn one_generic_function_serves_the_operations_of_both_crates() {
        let gadget = GetGadget::new(GetGadgetPath::Me { gadget_id: "1".into() });
        let widget = GetWidget::new("w 2");
        assert_eq!(describe(&gadget), "GET /me/gadgets/1");
        assert_eq!(describe(&widget), "GET /widgets/w%202");
    }

    #[test]
    fn runtime_values_move_between_the_crates() {
        // A timestamp read through one crate is the other crate's type as well.
        let read: gadgets::runtime::DateTimeOffset = serde_json::from_str("\"2021-07-01T00:00:00Z\"").unwrap();
        let moved: widgets::runtime::DateTimeOffset = read.clone();
        assert_eq!(moved, read);
        let page: gadgets::runtime::Page<gadgets::Gadget> =
            serde_json::from_str(r#"{"value": [{"id": "1"}], "@odata.nextLink": "next"}"#).unwrap();
        let same: widgets::runtime::Page<gadgets::Gadget> = page;
        assert_eq!(same.next_link.as_deref(), Some("next"));
    }
}
