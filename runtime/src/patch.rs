//! Explicit `null`s in request bodies: absent, `null` and a value told apart for every property,
//! in a typed way. A PATCH that clears a property must send it as `null`; leaving it out keeps
//! the old value.

use ::std::marker::PhantomData;

use crate::__private::Object;

/// A property of the generated struct `T`, by its JSON name: every generated struct has one
/// associated constant per property (`User::JOB_TITLE` for `jobTitle`), so a property is named
/// by the compiler-checked constant rather than by a string.
pub struct Field<T> {
    name: &'static str,
    owner: PhantomData<fn() -> T>,
}

impl<T> Field<T> {
    #[doc(hidden)]
    pub const fn new(name: &'static str) -> Self {
        Field { name, owner: PhantomData }
    }

    /// The property's name on the wire.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<T> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Field<T> {}

impl<T> ::std::fmt::Debug for Field<T> {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "Field({})", self.name)
    }
}

impl<T> PartialEq for Field<T> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<T> Eq for Field<T> {}

/// Setting properties of a generated struct to an explicit `null`.
///
/// A field that is `None` is left out of the JSON (the service keeps its value); after
/// [`set_null`](Nulls::set_null) it is written as `null` (the service clears it); a field that
/// is `Some` is written with its value, which wins over a `null` recorded for it, as it does
/// after reading a `null` and setting the field: so a resource read and sent back unchanged
/// loses nothing, nulls included.
///
/// ```
/// # #[derive(Default, Debug, Clone)]
/// # struct User { department: Option<String>, job_title: Option<String>, additional_properties: graph_runtime::AdditionalProperties }
/// # impl User { const JOB_TITLE: graph_runtime::Field<Self> = graph_runtime::Field::new("jobTitle"); }
/// # impl graph_runtime::__private::Object for User {
/// #     const EXPECTING: &'static str = "a user";
/// #     fn read_property<'de, A: serde::de::MapAccess<'de>>(&mut self, key: graph_runtime::__private::Key<'de>, map: &mut A) -> Result<(), A::Error> {
/// #         graph_runtime::__private::Reader::new(map, &mut self.additional_properties).extra(key)
/// #     }
/// #     fn write_properties<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
/// #         let mut w = graph_runtime::__private::Writer::new(map, &self.additional_properties);
/// #         w.field("department", &self.department)?;
/// #         w.field("jobTitle", &self.job_title)?;
/// #         w.finish()
/// #     }
/// #     fn additional_properties_mut(&mut self) -> &mut graph_runtime::AdditionalProperties { &mut self.additional_properties }
/// # }
/// # graph_runtime::__private::object_serde!(User);
/// use graph_runtime::Nulls;
///
/// // Move the user to Sales and clear the job title; leave everything else as it is.
/// let patch = User { department: Some("Sales".into()), ..User::default() }.with_null(User::JOB_TITLE);
/// assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"department":"Sales","jobTitle":null}"#);
/// ```
pub trait Nulls: Object {
    /// Writes the property as `null`, unless its field holds a value.
    fn set_null(&mut self, field: Field<Self>) -> &mut Self {
        self.additional_properties_mut().insert(field.name().into(), ::serde_json::Value::Null);
        self
    }

    /// [`set_null`](Nulls::set_null), by value: for building a request body in one expression.
    fn with_null(mut self, field: Field<Self>) -> Self {
        self.set_null(field);
        self
    }

    /// Forgets an explicit `null` (read or set), so that an unset field is left out again.
    fn clear_null(&mut self, field: Field<Self>) -> &mut Self {
        let extra = self.additional_properties_mut();
        if extra.get(field.name()).is_some_and(::serde_json::Value::is_null) {
            extra.remove(field.name());
        }
        self
    }
}

impl<T: Object> Nulls for T {}
