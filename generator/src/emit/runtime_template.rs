//! Support code for the generated models and endpoint stubs: validated text types that keep
//! their exact wire form, enum and property plumbing, and the sans-IO request description.

use ::std::fmt;
use ::std::string::String;
use ::std::vec::Vec;

use ::serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use ::serde::ser::{Serialize, SerializeMap, Serializer};

/// Properties a payload carried that the docs do not list (and explicit `null`s), kept so that
/// a read-modify-write round trip loses nothing.
pub type AdditionalProperties = ::std::collections::BTreeMap<String, ::serde_json::Value>;

/// A value that does not have the form its type requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidValue {
    /// What was expected, in words.
    pub expected: &'static str,
    pub value: String,
}

impl fmt::Display for InvalidValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid value {:?}: expected {}", self.value, self.expected)
    }
}

impl ::std::error::Error for InvalidValue {}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $check:ident, $expected:literal) => {
        $(#[$doc])*
        ///
        /// The value is validated when it is created or deserialized and keeps its exact text, so
        /// it serializes back byte for byte.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            /// What a valid value looks like.
            pub const EXPECTED: &'static str = $expected;

            /// Validates `text`.
            pub fn new(text: impl Into<String>) -> ::std::result::Result<Self, InvalidValue> {
                let text = text.into();
                if $check(&text) {
                    Ok($name(text))
                } else {
                    Err(InvalidValue { expected: $expected, value: text })
                }
            }

            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = InvalidValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, InvalidValue> {
                $name::new(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str(TextVisitor($expected, $check)).map($name)
            }
        }
    };
}

struct TextVisitor(&'static str, fn(&str) -> bool);

impl<'de> Visitor<'de> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> ::std::result::Result<String, E> {
        if (self.1)(v) {
            Ok(v.into())
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

text_type!(
    /// `Edm.DateTimeOffset`: an ISO 8601 date and time with a UTC offset.
    DateTimeOffset,
    is_date_time_offset,
    "an ISO 8601 date-time with a UTC offset, such as `2017-01-01T00:00:35.1329464-08:00`"
);
text_type!(
    /// `Edm.Date`: an ISO 8601 calendar date.
    Date,
    is_date,
    "an ISO 8601 date, such as `2017-01-31`"
);
text_type!(
    /// `Edm.TimeOfDay`: a time of day without date or offset.
    TimeOfDay,
    is_time_of_day,
    "a time of day, such as `13:45:00.0000000`"
);
text_type!(
    /// `Edm.Duration`: an ISO 8601 duration.
    Duration,
    is_duration,
    "an ISO 8601 duration, such as `PT1H30M`"
);
text_type!(
    /// `Edm.Guid`: a GUID in its 8-4-4-4-12 hexadecimal form.
    Guid,
    is_guid,
    "a GUID, such as `a0ac9b6f-9b6f-a0ac-6f9b-aca06f9baca0`"
);
text_type!(
    /// `Edm.Binary`: base64-encoded bytes.
    Binary,
    is_base64,
    "base64-encoded bytes"
);

/// The parts of a [`DateTimeOffset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTimeParts {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
    /// The UTC offset in minutes (`-480` for `-08:00`).
    pub offset_minutes: i16,
}

impl DateTimeOffset {
    /// The date, time and offset as numbers.
    pub fn parts(&self) -> DateTimeParts {
        parse_date_time_offset(&self.0).expect("validated on construction")
    }

    /// Seconds since 1970-01-01T00:00:00Z (the fraction is in [`DateTimeParts::nanosecond`]).
    pub fn unix_timestamp(&self) -> i64 {
        let p = self.parts();
        let days = days_from_civil(p.year, p.month, p.day);
        days * 86_400 + i64::from(p.hour) * 3600 + i64::from(p.minute) * 60 + i64::from(p.second)
            - i64::from(p.offset_minutes) * 60
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, d| acc.checked_mul(10)?.checked_add(u32::from(d - b'0')))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn parse_date(s: &[u8]) -> Option<(i32, u8, u8)> {
    if s.len() != 10 || s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&s[0..4])?).ok()?;
    let month = u8::try_from(digits(&s[5..7])?).ok()?;
    let day = u8::try_from(digits(&s[8..10])?).ok()?;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days_in_month).contains(&day).then_some((year, month, day))
}

/// `HH:MM[:SS[.fffffff]]` → (hour, minute, second, nanosecond).
fn parse_time(s: &[u8]) -> Option<(u8, u8, u8, u32)> {
    if s.len() < 5 || s[2] != b':' {
        return None;
    }
    let hour = u8::try_from(digits(&s[0..2])?).ok()?;
    let minute = u8::try_from(digits(&s[3..5])?).ok()?;
    let (mut second, mut nanos) = (0u8, 0u32);
    let rest = &s[5..];
    if !rest.is_empty() {
        if rest.len() < 3 || rest[0] != b':' {
            return None;
        }
        second = u8::try_from(digits(&rest[1..3])?).ok()?;
        let frac = &rest[3..];
        if !frac.is_empty() {
            if frac[0] != b'.' || frac.len() < 2 || !frac[1..].iter().all(u8::is_ascii_digit) {
                return None;
            }
            let mut n = 0u32;
            for i in 0..9 {
                n = n * 10 + frac.get(1 + i).map_or(0, |d| u32::from(d - b'0'));
            }
            nanos = n;
        }
    }
    (hour < 24 && minute < 60 && second <= 60).then_some((hour, minute, second, nanos))
}

fn parse_date_time_offset(s: &str) -> Option<DateTimeParts> {
    let b = s.as_bytes();
    if b.len() < 17 || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let (year, month, day) = parse_date(&b[..10])?;
    let rest = &b[11..];
    let (time, offset_minutes) = if let Some(t) = rest.strip_suffix(b"Z").or_else(|| rest.strip_suffix(b"z")) {
        (t, 0i16)
    } else {
        if rest.len() < 6 {
            return None;
        }
        let (t, off) = rest.split_at(rest.len() - 6);
        let sign = match off[0] {
            b'+' => 1i16,
            b'-' => -1,
            _ => return None,
        };
        if off[3] != b':' {
            return None;
        }
        let h = i16::try_from(digits(&off[1..3])?).ok()?;
        let m = i16::try_from(digits(&off[4..6])?).ok()?;
        if h > 14 || m > 59 {
            return None;
        }
        (t, sign * (h * 60 + m))
    };
    let (hour, minute, second, nanosecond) = parse_time(time)?;
    Some(DateTimeParts { year, month, day, hour, minute, second, nanosecond, offset_minutes })
}

fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_date_time_offset(s: &str) -> bool {
    parse_date_time_offset(s).is_some()
}

fn is_date(s: &str) -> bool {
    parse_date(s.as_bytes()).is_some()
}

fn is_time_of_day(s: &str) -> bool {
    s.len() >= 8 && parse_time(s.as_bytes()).is_some()
}

fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let Some(rest) = s.strip_prefix('P') else { return false };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return false,
        None => (rest, None),
    };
    fn components(s: &str, units: &str, fraction_last: bool) -> Option<usize> {
        let mut count = 0;
        let mut number = String::new();
        let mut allowed = units;
        for c in s.chars() {
            if c.is_ascii_digit() || (c == '.' && fraction_last) {
                number.push(c);
                continue;
            }
            let pos = allowed.find(c)?;
            if number.is_empty() || number.starts_with('.') || number.ends_with('.') || number.matches('.').count() > 1
            {
                return None;
            }
            if number.contains('.') && c != 'S' {
                return None;
            }
            allowed = &allowed[pos + 1..];
            number.clear();
            count += 1;
        }
        number.is_empty().then_some(count)
    }
    let Some(d) = components(date, "YMWD", false) else { return false };
    let t = match time {
        Some(t) => match components(t, "HMS", true) {
            Some(n) if n > 0 => n,
            _ => return false,
        },
        None => 0,
    };
    d + t > 0
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_base64(s: &str) -> bool {
    let b = s.as_bytes();
    // Padded base64 comes in whole groups of four characters.
    if b.chunks(4).last().is_some_and(|group| group.len() < 4) {
        return false;
    }
    let body = b.strip_suffix(b"==").or_else(|| b.strip_suffix(b"=")).unwrap_or(b);
    body.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/')
}

/// Reads one documented property. A JSON `null` leaves the field `None` and is remembered in
/// the additional properties, so that it is written back as `null`.
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
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
#[doc(hidden)]
pub fn serialize_object<S: Serializer, T: Object>(value: &T, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.write_properties(&mut map)?;
    map.end()
}

/// Enums whose wire form is a string, with a variant that keeps members the docs do not list.
pub trait StringEnum: Sized {
    /// The value on the wire.
    fn as_str(&self) -> &str;
    /// The member for a wire value; unlisted values are kept verbatim.
    fn from_wire(value: &str) -> Self;
}

#[doc(hidden)]
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

/// The members of a flags enum; on the wire a comma-separated list (`"a,b"`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flags<E>(pub Vec<E>);

impl<E> ::std::default::Default for Flags<E> {
    fn default() -> Self {
        Flags(Vec::new())
    }
}

impl<E: StringEnum> Serialize for Flags<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
        let parts: Vec<&str> = self.0.iter().map(StringEnum::as_str).collect();
        serializer.serialize_str(&parts.join(","))
    }
}

impl<'de, E: StringEnum> Deserialize<'de> for Flags<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let text = deserializer.deserialize_str(TextVisitor("a comma-separated list of flags", |_| true))?;
        if text.is_empty() {
            return Ok(Flags(Vec::new()));
        }
        Ok(Flags(text.split(',').map(|p| E::from_wire(p.trim())).collect()))
    }
}

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// OData system query options of a read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryOptions {
    pub select: Vec<String>,
    pub expand: Vec<String>,
    pub filter: ::std::option::Option<String>,
    pub orderby: Vec<String>,
    pub search: ::std::option::Option<String>,
    pub top: ::std::option::Option<u32>,
    pub skip: ::std::option::Option<u32>,
    pub count: ::std::option::Option<bool>,
}

impl QueryOptions {
    /// The query string, without the leading `?`; empty when no option is set.
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        let mut push = |name: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            encode_into(&mut out, value, QUERY_SAFE);
        };
        if !self.select.is_empty() {
            push("$select", &self.select.join(","));
        }
        if !self.expand.is_empty() {
            push("$expand", &self.expand.join(","));
        }
        if let Some(f) = &self.filter {
            push("$filter", f);
        }
        if !self.orderby.is_empty() {
            push("$orderby", &self.orderby.join(","));
        }
        if let Some(s) = &self.search {
            push("$search", s);
        }
        if let Some(t) = self.top {
            push("$top", &t.to_string());
        }
        if let Some(s) = self.skip {
            push("$skip", &s.to_string());
        }
        if let Some(c) = self.count {
            push("$count", if c { "true" } else { "false" });
        }
        out
    }
}

const QUERY_SAFE: &[u8] = b"-._~,'()$:@/";

fn encode_into(out: &mut String, value: &str, also_safe: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || also_safe.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// Appends a path parameter, percent-encoded so that it stays within its segment.
pub fn push_param(path: &mut String, value: &str) {
    encode_into(path, value, b"");
}

/// The body of an operation that sends or returns none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoContent;

impl Serialize for NoContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}

impl<'de> Deserialize<'de> for NoContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        de::IgnoredAny::deserialize(deserializer).map(|_| NoContent)
    }
}

/// A request, described but not sent: pair it with any HTTP client.
#[derive(Clone, Debug, PartialEq)]
pub struct Request<'a, B> {
    pub method: Method,
    /// The path below the service root (`https://graph.microsoft.com/v1.0`), with the query.
    pub path_and_query: String,
    pub body: ::std::option::Option<&'a B>,
}

/// One documented operation: how to build its request and how to read its response.
pub trait Endpoint {
    /// What the request carries ([`NoContent`] when nothing).
    type Body: Serialize;
    /// What a successful response carries ([`NoContent`] when nothing).
    type Response: de::DeserializeOwned;
    const METHOD: Method;

    /// The path as documented, with `{placeholders}`.
    fn template(&self) -> &'static str;

    /// The path with every parameter filled in and percent-encoded.
    fn path(&self) -> String;

    /// The OData query options, for operations that take them.
    fn query(&self) -> ::std::option::Option<&QueryOptions> {
        None
    }

    /// The request body, for operations that send one.
    fn body(&self) -> ::std::option::Option<&Self::Body> {
        None
    }

    /// The request, ready for an HTTP client.
    fn request(&self) -> Request<'_, Self::Body> {
        let mut path_and_query = self.path();
        if let Some(q) = self.query().map(QueryOptions::to_query_string).filter(|q| !q.is_empty()) {
            path_and_query.push('?');
            path_and_query.push_str(&q);
        }
        Request { method: Self::METHOD, path_and_query, body: self.body() }
    }

    /// Reads a successful response body; an empty body reads as JSON `null`.
    fn parse_response(body: &[u8]) -> ::std::result::Result<Self::Response, ::serde_json::Error> {
        if body.iter().all(u8::is_ascii_whitespace) {
            ::serde_json::from_slice(b"null")
        } else {
            ::serde_json::from_slice(body)
        }
    }
}

/// One page of a collection response.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub value: Vec<T>,
    /// `@odata.nextLink`: the URL of the next page, when there is one.
    pub next_link: ::std::option::Option<String>,
    /// `@odata.deltaLink`: the URL that returns later changes, on the last page of a delta query.
    pub delta_link: ::std::option::Option<String>,
    /// `@odata.count`, when `$count=true` was asked for.
    pub count: ::std::option::Option<i64>,
    pub additional_properties: AdditionalProperties,
}

impl<T> ::std::default::Default for Page<T> {
    fn default() -> Self {
        Page {
            value: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
            additional_properties: AdditionalProperties::new(),
        }
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(v) = &self.next_link {
            map.serialize_entry("@odata.nextLink", v)?;
        }
        if let Some(v) = &self.delta_link {
            map.serialize_entry("@odata.deltaLink", v)?;
        }
        if let Some(v) = &self.count {
            map.serialize_entry("@odata.count", v)?;
        }
        map.serialize_entry("value", &self.value)?;
        write_extra(&mut map, &self.additional_properties, |k| {
            matches!(k, "@odata.nextLink" | "@odata.deltaLink" | "@odata.count" | "value")
        })?;
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        struct V<T>(::std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Page<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a collection response object with a `value` array")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<Page<T>, A::Error> {
                let mut page = Page::default();
                let mut seen_value = false;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => {
                            page.value = map.next_value()?;
                            seen_value = true;
                        }
                        "@odata.nextLink" => {
                            read_field(&mut map, key, &mut page.next_link, &mut page.additional_properties)?
                        }
                        "@odata.deltaLink" => {
                            read_field(&mut map, key, &mut page.delta_link, &mut page.additional_properties)?
                        }
                        "@odata.count" => read_field(&mut map, key, &mut page.count, &mut page.additional_properties)?,
                        _ => read_extra(&mut map, key, &mut page.additional_properties)?,
                    }
                }
                if !seen_value {
                    return Err(de::Error::missing_field("value"));
                }
                Ok(page)
            }
        }
        deserializer.deserialize_map(V(::std::marker::PhantomData))
    }
}

/// A single value in its OData envelope, `{"value": ...}`: how operations that return a
/// primitive (a string, a number, ...) answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueOf<T> {
    pub value: T,
    pub additional_properties: AdditionalProperties,
}

impl<T: Serialize> Serialize for ValueOf<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("value", &self.value)?;
        write_extra(&mut map, &self.additional_properties, |k| k == "value")?;
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ValueOf<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        struct V<T>(::std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = ValueOf<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with a `value`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<ValueOf<T>, A::Error> {
                let mut value = None;
                let mut additional_properties = AdditionalProperties::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "value" {
                        value = Some(map.next_value()?);
                    } else {
                        read_extra(&mut map, key, &mut additional_properties)?;
                    }
                }
                let value = value.ok_or_else(|| de::Error::missing_field("value"))?;
                Ok(ValueOf { value, additional_properties })
            }
        }
        deserializer.deserialize_map(V(::std::marker::PhantomData))
    }
}

/// Reads a JSON object whole, so that its `@odata.type` can pick the type to read it as.
#[doc(hidden)]
pub fn read_object<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> ::std::result::Result<::serde_json::Map<String, ::serde_json::Value>, D::Error> {
    ::serde_json::Map::deserialize(deserializer)
}

/// The `@odata.type` of an object, without its leading `#`.
#[doc(hidden)]
pub fn odata_type(object: &::serde_json::Map<String, ::serde_json::Value>) -> ::std::option::Option<&str> {
    object.get("@odata.type").and_then(::serde_json::Value::as_str).map(|t| t.trim_start_matches('#'))
}

/// Reads a buffered object as `T`, reporting errors through the outer deserializer.
#[doc(hidden)]
pub fn from_object<T: de::DeserializeOwned, E: de::Error>(
    object: ::serde_json::Map<String, ::serde_json::Value>,
) -> ::std::result::Result<::std::boxed::Box<T>, E> {
    ::serde_json::from_value(::serde_json::Value::Object(object)).map(::std::boxed::Box::new).map_err(E::custom)
}

/// Writes `value` with an `@odata.type` (`#` + `tag`) unless it carries one already, so that
/// the service can tell which derived type a value is.
#[doc(hidden)]
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
