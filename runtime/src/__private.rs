//! What only generated code calls (re-exported by nothing, documented for maintainers): reading
//! and writing the properties of generated structs, enums by their wire value, values chosen by
//! `@odata.type`, and path parameters.

use ::std::fmt;
use ::std::string::String;

use ::serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use ::serde::ser::{Serialize, SerializeMap, Serializer};

use crate::{encode_into, AdditionalProperties, StringEnum};

/// Reads one documented property. A JSON `null` leaves the field `None` and is remembered in
/// the additional properties, so that it is written back as `null`.
pub fn read_field<'de, A, T>(
    map: &mut A,
    key: String,
    slot: &mut ::std::option::Option<T>,
    extra: &mut AdditionalProperties,
) -> ::std::result::Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    let value: ::std::option::Option<T> = map.next_value()?;
    if value.is_none() {
        extra.insert(key, ::serde_json::Value::Null);
    } else {
        extra.remove(&key);
    }
    *slot = value;
    Ok(())
}

/// Writes one documented property when it is set.
pub fn write_field<M: SerializeMap, T: Serialize>(
    map: &mut M,
    key: &'static str,
    value: &::std::option::Option<T>,
) -> ::std::result::Result<(), M::Error> {
    match value {
        Some(v) => map.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// Reads a property the docs do not list.
pub fn read_extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: String,
    extra: &mut AdditionalProperties,
) -> ::std::result::Result<(), A::Error> {
    let value: ::serde_json::Value = map.next_value()?;
    extra.insert(key, value);
    Ok(())
}

/// Writes the additional properties, skipping those a documented field now holds.
pub fn write_extra<M: SerializeMap>(
    map: &mut M,
    extra: &AdditionalProperties,
    is_set: impl Fn(&str) -> bool,
) -> ::std::result::Result<(), M::Error> {
    for (key, value) in extra {
        if !is_set(key) {
            map.serialize_entry(key, value)?;
        }
    }
    Ok(())
}

/// What a generated struct tells the one visitor and the one writer that all structs share.
pub trait Object: Default {
    /// What a deserialization error says was expected: ``a `microsoft.graph.x` object``.
    const EXPECTING: &'static str;
    /// Reads the value of `key` into its field, or into the additional properties.
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: String,
        map: &mut A,
    ) -> ::std::result::Result<(), A::Error>;
    /// Writes every set field, then the additional properties no field holds.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error>;
}

/// `Deserialize` of a generated struct: a JSON object, property by property.
pub fn deserialize_object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> ::std::result::Result<T, D::Error> {
    struct V<T>(::std::marker::PhantomData<T>);
    impl<'de, T: Object> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<T, A::Error> {
            let mut out = T::default();
            while let Some(key) = map.next_key::<String>()? {
                out.read_property(key, &mut map)?;
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(V(::std::marker::PhantomData))
}

/// `Serialize` of a generated struct.
pub fn serialize_object<S: Serializer, T: Object>(value: &T, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_properties(&mut map)?;
    map.end()
}

pub fn deserialize_enum<'de, D: Deserializer<'de>, E: StringEnum>(
    deserializer: D,
    expected: &'static str,
) -> ::std::result::Result<E, D::Error> {
    struct V<E>(&'static str, ::std::marker::PhantomData<E>);
    impl<'de, E: StringEnum> Visitor<'de> for V<E> {
        type Value = E;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<Er: de::Error>(self, v: &str) -> ::std::result::Result<E, Er> {
            Ok(E::from_wire(v))
        }
    }
    deserializer.deserialize_str(V(expected, ::std::marker::PhantomData))
}

/// Appends a path parameter, percent-encoded so that it stays within its segment.
pub fn push_param(path: &mut String, value: &str) {
    encode_into(path, value, crate::PATH_SEGMENT);
}

/// Reads a JSON object whole, so that its `@odata.type` can pick the type to read it as.
pub fn read_object<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> ::std::result::Result<::serde_json::Map<String, ::serde_json::Value>, D::Error> {
    ::serde_json::Map::deserialize(deserializer)
}

/// The `@odata.type` of an object, without its leading `#`.
pub fn odata_type(object: &::serde_json::Map<String, ::serde_json::Value>) -> ::std::option::Option<&str> {
    object.get("@odata.type").and_then(::serde_json::Value::as_str).map(|t| t.trim_start_matches('#'))
}

/// Reads a buffered object as `T`, reporting errors through the outer deserializer.
pub fn from_object<T: de::DeserializeOwned, E: de::Error>(
    object: ::serde_json::Map<String, ::serde_json::Value>,
) -> ::std::result::Result<::std::boxed::Box<T>, E> {
    ::serde_json::from_value(::serde_json::Value::Object(object)).map(::std::boxed::Box::new).map_err(E::custom)
}

/// Writes `value` with an `@odata.type` (`#` + `tag`) unless it carries one already, so that
/// the service can tell which derived type a value is.
pub fn write_tagged<T: Serialize, S: Serializer>(
    value: &T,
    tag: &'static str,
    serializer: S,
) -> ::std::result::Result<S::Ok, S::Error> {
    let mut json = ::serde_json::to_value(value).map_err(::serde::ser::Error::custom)?;
    if let ::serde_json::Value::Object(map) = &mut json {
        if !map.contains_key("@odata.type") {
            map.insert("@odata.type".into(), ::serde_json::Value::String(format!("#{tag}")));
        }
    }
    json.serialize(serializer)
}
