//! What only generated code calls (re-exported by nothing, documented for maintainers): reading
//! and writing the properties of generated structs, enums by their wire value, values chosen by
//! `@odata.type`, and path parameters.

use ::std::fmt;
use ::std::string::String;

use ::serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use ::serde::ser::{Serialize, SerializeMap, Serializer};

use crate::{encode_into, AdditionalProperties, StringEnum};

/// The `Serialize` and `Deserialize` impls of a generated struct, through its [`Object`] impl:
/// the same for every struct, so written once here instead of in every generated crate.
#[macro_export]
#[doc(hidden)]
macro_rules! __object_serde {
    ($name:ident) => {
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::__private::serialize_object(self, serializer)
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_object(deserializer)
            }
        }
    };
}

/// What every generated enum has besides its [`StringEnum`] impl: `as_str`, `Display`, and
/// serde impls by the wire value; `$expected` is what a deserialization error says was expected.
#[macro_export]
#[doc(hidden)]
macro_rules! __string_enum {
    ($name:ident, $expected:literal) => {
        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                $crate::StringEnum::as_str(self)
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($crate::StringEnum::as_str(self))
            }
        }
        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::StringEnum::as_str(self))
            }
        }
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::__private::deserialize_enum(deserializer, $expected)
            }
        }
    };
}

/// One property's constant for [`Nulls`](crate::Nulls), in a generated struct's `impl`: a line
/// per property instead of the three a spelled-out constant takes once formatted.
#[macro_export]
#[doc(hidden)]
macro_rules! __field {
    ($name:ident, $key:literal) => {
        #[doc = concat!("`", $key, "`")]
        pub const $name: $crate::Field<Self> = $crate::Field::new($key);
    };
}

pub use crate::{__field as field, __object_serde as object_serde, __string_enum as string_enum};
/// The serde the macros above name, so that they do not depend on the caller's dependencies.
pub use ::serde;

/// A property name as read: borrowed from the input when the deserializer can lend it (JSON
/// read from a slice or a string, the common case), owned otherwise. A name that matches a
/// field is only compared, so reading a struct allocates nothing for its known properties; a
/// name is copied only when it is kept (an unlisted property, or an explicit `null`).
pub type Key<'de> = ::std::borrow::Cow<'de, str>;

/// Reads one documented property. A JSON `null` leaves the field `None` and is remembered in
/// the additional properties, so that it is written back as `null`.
pub fn read_field<'de, A, T>(
    map: &mut A,
    key: Key<'de>,
    slot: &mut ::std::option::Option<T>,
    extra: &mut AdditionalProperties,
) -> ::std::result::Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    let value: ::std::option::Option<T> = map.next_value()?;
    if value.is_none() {
        extra.insert(key.into_owned(), ::serde_json::Value::Null);
    } else if !extra.is_empty() {
        // A property that arrived as `null` before and has a value now is no longer null.
        extra.remove(&*key);
    }
    *slot = value;
    Ok(())
}

/// Reads a property name into a [`Key`]: serde's own `Cow<str>` always copies, which is what
/// this avoids.
pub(crate) struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> ::std::result::Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> ::std::result::Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> ::std::result::Result<Key<'de>, E> {
        Ok(Key::Owned(v.into()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> ::std::result::Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

/// Reads a property the docs do not list.
pub fn read_extra<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Key<'de>,
    extra: &mut AdditionalProperties,
) -> ::std::result::Result<(), A::Error> {
    let value: ::serde_json::Value = map.next_value()?;
    extra.insert(key.into_owned(), value);
    Ok(())
}

/// Reads one property of a generated struct: into its field, or into the additional
/// properties. Holding the map and the additional properties keeps each generated match arm to
/// one short call.
pub struct Reader<'a, A> {
    map: &'a mut A,
    extra: &'a mut AdditionalProperties,
}

impl<'a, 'de, A: MapAccess<'de>> Reader<'a, A> {
    pub fn new(map: &'a mut A, extra: &'a mut AdditionalProperties) -> Self {
        Reader { map, extra }
    }

    /// Reads a documented property (see [`read_field`]).
    pub fn field<T: Deserialize<'de>>(
        self,
        key: Key<'de>,
        slot: &mut ::std::option::Option<T>,
    ) -> ::std::result::Result<(), A::Error> {
        read_field(self.map, key, slot, self.extra)
    }

    /// Reads a property the docs do not list.
    pub fn extra(self, key: Key<'de>) -> ::std::result::Result<(), A::Error> {
        read_extra(self.map, key, self.extra)
    }
}

/// Writes the properties of a generated struct: each set field, then the additional properties
/// that no field was written for (a field set after an explicit `null` was read wins over it).
pub struct Writer<'a, M> {
    map: &'a mut M,
    extra: &'a AdditionalProperties,
    /// The keys written from fields, kept only when there are additional properties to check
    /// them against (most objects have none, and then nothing is recorded).
    written: ::std::vec::Vec<&'static str>,
}

impl<'a, M: SerializeMap> Writer<'a, M> {
    pub fn new(map: &'a mut M, extra: &'a AdditionalProperties) -> Self {
        Writer { map, extra, written: ::std::vec::Vec::new() }
    }

    /// Writes one documented property when it is set.
    pub fn field<T: Serialize>(
        &mut self,
        key: &'static str,
        value: &::std::option::Option<T>,
    ) -> ::std::result::Result<(), M::Error> {
        match value {
            Some(v) => self.entry(key, v),
            None => Ok(()),
        }
    }

    /// Writes a property that is always present (`value` of a collection page).
    pub fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> ::std::result::Result<(), M::Error> {
        self.map.serialize_entry(key, value)?;
        if !self.extra.is_empty() {
            self.written.push(key);
        }
        Ok(())
    }

    /// Writes the additional properties no field was written for.
    pub fn finish(self) -> ::std::result::Result<(), M::Error> {
        for (key, value) in self.extra {
            if !self.written.contains(&key.as_str()) {
                self.map.serialize_entry(key, value)?;
            }
        }
        Ok(())
    }
}

/// What a generated struct tells the one visitor and the one writer that all structs share.
pub trait Object: Default {
    /// What a deserialization error says was expected: ``a `microsoft.graph.x` object``.
    const EXPECTING: &'static str;
    /// Reads the value of `key` into its field, or into the additional properties.
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> ::std::result::Result<(), A::Error>;
    /// Writes every set field, then the additional properties no field holds.
    fn write_properties<M: SerializeMap>(&self, map: &mut M) -> ::std::result::Result<(), M::Error>;
    /// The map of unlisted properties and explicit `null`s (for [`Nulls`](crate::Nulls)).
    fn additional_properties_mut(&mut self) -> &mut AdditionalProperties;
}

/// Reads the properties left in `map` into `out`, each into its field or its additional
/// properties.
fn read_properties<'de, A: MapAccess<'de>, T: Object>(out: &mut T, map: &mut A) -> ::std::result::Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(KeySeed)? {
        out.read_property(key, map)?;
    }
    Ok(())
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
            read_properties(&mut out, &mut map)?;
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

/// What a generated `AnyX` enum tells [`deserialize_polymorphic`]: which of its types a tag
/// picks, each read from the [`Rest`] of the object.
pub trait Polymorphic: Sized {
    /// What a deserialization error says was expected.
    const EXPECTING: &'static str;
    /// Reads the value as the type `tag` (an `@odata.type` without its `#`) picks: a derived type
    /// the crate has, else the base type (for no tag, or one the docs do not list).
    fn pick<'de, A: MapAccess<'de>>(
        tag: ::std::option::Option<&str>,
        rest: Rest<'_, 'de, A>,
    ) -> ::std::result::Result<Self, A::Error>;
}

/// The properties of a polymorphic object that are left once its type is known.
pub enum Rest<'a, 'de, A: MapAccess<'de>> {
    /// `@odata.type` came first (as Graph writes it): the other properties are still in the
    /// input and are read straight into the picked type.
    Streamed {
        map: &'a mut A,
        /// The `@odata.type` as written, kept with the value.
        tag: ::serde_json::Value,
        marker: ::std::marker::PhantomData<&'de ()>,
    },
    /// It came later or not at all: the object was read whole to find it.
    Buffered(::serde_json::Map<String, ::serde_json::Value>),
}

impl<'de, A: MapAccess<'de>> Rest<'_, 'de, A> {
    /// Reads the rest as `T`; the `@odata.type` stays among its additional properties, as any
    /// property it does not list does.
    pub fn read<T: Object + de::DeserializeOwned>(self) -> ::std::result::Result<::std::boxed::Box<T>, A::Error> {
        match self {
            Rest::Streamed { map, tag, .. } => {
                let mut out = T::default();
                out.additional_properties_mut().insert("@odata.type".into(), tag);
                read_properties(&mut out, map)?;
                Ok(::std::boxed::Box::new(out))
            }
            Rest::Buffered(object) => from_object(object),
        }
    }
}

/// `Deserialize` of a generated `AnyX` enum: a JSON object whose `@odata.type` picks the type.
/// When the tag is the first property, which is where Graph writes it, the object is read once,
/// straight into the picked type; otherwise it is read whole first to find the tag. (An object
/// with the tag twice, which Graph never sends, is read as the first tag says when that one
/// comes first, and as the last says otherwise.)
pub fn deserialize_polymorphic<'de, D: Deserializer<'de>, T: Polymorphic>(
    deserializer: D,
) -> ::std::result::Result<T, D::Error> {
    struct V<T>(::std::marker::PhantomData<T>);
    impl<'de, T: Polymorphic> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<T, A::Error> {
            let mut object = ::serde_json::Map::new();
            if let Some(key) = map.next_key_seed(KeySeed)? {
                let value: ::serde_json::Value = map.next_value()?;
                if key == "@odata.type" && value.is_string() {
                    let picked = value.as_str().unwrap_or_default().trim_start_matches('#').to_owned();
                    let rest = Rest::Streamed { map: &mut map, tag: value, marker: ::std::marker::PhantomData };
                    return T::pick(Some(&picked), rest);
                }
                object.insert(key.into_owned(), value);
                while let Some((key, value)) = map.next_entry::<String, ::serde_json::Value>()? {
                    object.insert(key, value);
                }
            }
            let tag = odata_type(&object).map(str::to_owned);
            T::pick(tag.as_deref(), Rest::<A>::Buffered(object))
        }
    }
    deserializer.deserialize_map(V(::std::marker::PhantomData))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct read as `deserialize_object` reads a generated one (without the rest of the
    /// `Object` plumbing), holding one of its own kind.
    #[derive(Debug, Default)]
    struct Node {
        name: Option<String>,
        child: Option<Box<Node>>,
        additional_properties: AdditionalProperties,
    }

    impl<'de> Deserialize<'de> for Node {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Node;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a node")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                    let mut node = Node::default();
                    while let Some(key) = map.next_key_seed(KeySeed)? {
                        let reader = Reader::new(&mut map, &mut node.additional_properties);
                        match &*key {
                            "name" => reader.field(key, &mut node.name)?,
                            "child" => reader.field(key, &mut node.child)?,
                            _ => reader.extra(key)?,
                        }
                    }
                    Ok(node)
                }
            }
            deserializer.deserialize_map(V)
        }
    }

    #[test]
    fn names_read_from_a_slice_are_borrowed_and_the_kept_ones_owned() {
        let text = r#"{"name":"a","child":{"name":null,"child":{"name":"c","x":1},"name":"b","esc\u0061ped":2},"y":null,"z":[3]}"#;
        let check = |node: &Node| {
            let child = node.child.as_deref().unwrap();
            let grandchild = child.child.as_deref().unwrap();
            assert_eq!((node.name.as_deref(), child.name.as_deref()), (Some("a"), Some("b")));
            assert_eq!(grandchild.name.as_deref(), Some("c"));
            assert_eq!(grandchild.additional_properties["x"], 1);
            assert_eq!(child.additional_properties.keys().collect::<Vec<_>>(), ["escaped"]);
            assert_eq!(node.additional_properties["y"], ::serde_json::Value::Null);
        };
        // From a slice (names borrowed, the escaped one owned) and from a `Value` (all owned).
        check(&::serde_json::from_str::<Node>(text).unwrap());
        check(&::serde_json::from_value::<Node>(::serde_json::from_str(text).unwrap()).unwrap());
        let mut seed = ::serde_json::Deserializer::from_str(r#""plain""#);
        assert!(matches!(de::DeserializeSeed::deserialize(KeySeed, &mut seed).unwrap(), Key::Borrowed("plain")));
    }
}
