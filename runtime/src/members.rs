//! Decoding a generated model in one pass over its JSON object.
//!
//! A model keeps the members its pages do not list in `additional_properties`.
//! serde's `#[serde(flatten)]` would do that, but it buffers every object
//! into an intermediate tree before matching a single field, which made typed
//! decoding slower than building a `serde_json::Value`. Instead each model
//! says how to read one documented member ([`Members::member`]) and the
//! shared visitor here walks the object once: a documented member is read
//! straight into its field, anything else into `additional_properties`.
//! The per-model code is one match arm per field; the loop, the key handling
//! and the errors are written once, here.
//!
//! Writing is the mirror image: a generated `Serialize` calls one
//! [`MemberWriter`] method per field, then hands it `additional_properties`.
//! Derived serde code would branch and propagate an error after every field;
//! the writer keeps the first error and skips the rest, so the generated body
//! is straight-line calls, cheaper for the compiler to check.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::numbers::{ODataNumber, odata_number, odata_numbers};
use super::serde_helpers::option_base64_bytes;

/// A generated model, decoded member by member.
pub trait Members: Sized {
    /// The model's name, for error messages.
    const NAME: &'static str;

    /// A value with no member set: not even `@odata.type`, which a derived
    /// type's `Default` adds, so a decoded value holds what was received.
    fn empty() -> Self;

    /// Reads the value of the documented member `name` from `map` into its
    /// field. `Ok(false)` when the model has no such member: the caller then
    /// reads the value itself (into [`Members::additional_properties`]).
    fn member<'de, A: MapAccess<'de>>(&mut self, name: &str, map: &mut A)
    -> Result<bool, A::Error>;

    /// The members the pages do not list.
    fn additional_properties(&mut self) -> &mut Map<String, Value>;
}

/// Decodes a model from a JSON object: the body of a generated
/// `Deserialize::deserialize`.
pub fn deserialize_model<'de, T: Members, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<T>(PhantomData<T>);

impl<'de, T: Members> Visitor<'de> for ModelVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::empty();
        while let Some(name) = map.next_key::<MemberName<'de>>()? {
            read_member(&mut value, name, &mut map)?;
        }
        Ok(value)
    }
}

/// Reads the value of the member `name` into `value`: its field (then
/// `Ok(true)`), or its unknown members. A member sent twice keeps its last
/// value, as `serde_json::Value` does.
pub(crate) fn read_member<'de, T: Members, A: MapAccess<'de>>(
    value: &mut T,
    name: MemberName<'de>,
    map: &mut A,
) -> Result<bool, A::Error> {
    if value.member(&name.0, map)? {
        return Ok(true);
    }
    let member = map.next_value::<Value>()?;
    value
        .additional_properties()
        .insert(name.0.into_owned(), member);
    Ok(false)
}

/// A member name, borrowed from the input when it has no escapes, so known
/// members cost no allocation.
pub(crate) struct MemberName<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for MemberName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(MemberNameVisitor)
    }
}

struct MemberNameVisitor;

impl<'de> Visitor<'de> for MemberNameVisitor {
    type Value = MemberName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, name: &'de str) -> Result<Self::Value, E> {
        Ok(MemberName(Cow::Borrowed(name)))
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(MemberName(Cow::Owned(name.to_owned())))
    }

    fn visit_string<E: de::Error>(self, name: String) -> Result<Self::Value, E> {
        Ok(MemberName(Cow::Owned(name)))
    }
}

/// Reads a member's value into `field`: what a generated match arm calls.
/// Always `Ok(true)`, the member being known.
pub fn read<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    field: &mut T,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value()?;
    Ok(true)
}

/// [`read`] for an OData number (a JSON number or a string holding one).
pub fn read_number<'de, T: ODataNumber, A: MapAccess<'de>>(
    field: &mut Option<T>,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value::<NumberMember<T>>()?.0;
    Ok(true)
}

/// [`read`] for a list of OData numbers.
pub fn read_numbers<'de, T: ODataNumber, A: MapAccess<'de>>(
    field: &mut Option<Vec<T>>,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value::<NumbersMember<T>>()?.0;
    Ok(true)
}

/// [`read`] for an `Edm.DateTimeOffset`: chrono's strict RFC 3339 parser
/// first, several times faster than the lenient `FromStr` its serde impl
/// uses, then that one, so that what chrono accepted before still reads.
pub fn read_instant<'de, A: MapAccess<'de>>(
    field: &mut Option<DateTime<Utc>>,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value::<InstantMember>()?.0;
    Ok(true)
}

/// [`read`] for an `Edm.Binary` value (a base64 string).
pub fn read_base64<'de, A: MapAccess<'de>>(
    field: &mut Option<Vec<u8>>,
    map: &mut A,
) -> Result<bool, A::Error> {
    *field = map.next_value::<Base64Member>()?.0;
    Ok(true)
}

/// Formats a model for `Debug`: its name and the members that are set, as
/// their JSON (`User { displayName: "Ada", id: "1" }`), in the order of
/// serde_json's map (by name; as written with its `preserve_order` feature). A derived `Debug` would print every `None` of a type with two
/// hundred properties, and cost as much code per field to compile.
pub fn debug_model<T: Members + Serialize>(model: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let mut out = f.debug_struct(T::NAME);
    match serde_json::to_value(model) {
        Ok(Value::Object(members)) => {
            for (name, value) in &members {
                out.field(name, &Json(value));
            }
        }
        // Models are written as objects; anything else is shown as it is.
        Ok(other) => {
            out.field("value", &Json(&other));
        }
        Err(err) => {
            out.field("unwritable", &err.to_string());
        }
    }
    out.finish()
}

/// A JSON value shown as JSON text.
struct Json<'a>(&'a Value);

impl fmt::Debug for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.0, f)
    }
}

/// Decodes a generated enum from its JSON string, without copying the string
/// (`From<&str>` keeps an unknown value in the catch-all variant).
pub fn deserialize_enum<'de, T: for<'a> From<&'a str>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(EnumVisitor(PhantomData))
}

struct EnumVisitor<T>(PhantomData<T>);

impl<T: for<'a> From<&'a str>> Visitor<'_> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// Writes a model as a JSON object, field by field: what a generated
/// `Serialize` uses. A `None` field is left out; the first error is kept and
/// returned by [`MemberWriter::end`], and nothing more is written after it.
pub struct MemberWriter<S: Serializer> {
    state: Result<S::SerializeMap, S::Error>,
}

impl<S: Serializer> MemberWriter<S> {
    /// Starts the object.
    pub fn new(serializer: S) -> Self {
        MemberWriter {
            state: serializer.serialize_map(None),
        }
    }

    /// Writes `name` and the value, when there is one.
    pub fn field<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.entry(name, value);
        }
    }

    /// [`field`](Self::field) for an OData number (special floats as strings).
    pub fn number<T: ODataNumber>(&mut self, name: &'static str, value: &Option<T>) {
        if value.is_some() {
            self.entry(name, &NumberField(value));
        }
    }

    /// [`field`](Self::field) for a list of OData numbers.
    pub fn numbers<T: ODataNumber>(&mut self, name: &'static str, value: &Option<Vec<T>>) {
        if value.is_some() {
            self.entry(name, &NumbersField(value));
        }
    }

    /// [`field`](Self::field) for an `Edm.DateTimeOffset`: the text chrono's
    /// serde impl writes (RFC 3339, `Z`, fractional seconds as needed), made
    /// in one piece rather than escaped character by character.
    pub fn instant(&mut self, name: &'static str, value: &Option<DateTime<Utc>>) {
        if let Some(value) = value {
            let mut buf = [0; super::instant_text::MAX_LEN];
            match super::instant_text::write(value, &mut buf) {
                Some(text) => self.entry(name, text),
                None => self.entry(name, &value.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            }
        }
    }

    /// [`field`](Self::field) for `Edm.Binary`, as a base64 string.
    pub fn base64(&mut self, name: &'static str, value: &Option<Vec<u8>>) {
        if value.is_some() {
            self.entry(name, &Base64Field(value));
        }
    }

    /// Writes the members no field holds and ends the object.
    pub fn end(mut self, additional_properties: &Map<String, Value>) -> Result<S::Ok, S::Error> {
        for (name, value) in additional_properties {
            self.entry(name, value);
        }
        self.state?.end()
    }

    fn entry<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        if let Ok(map) = &mut self.state
            && let Err(err) = map.serialize_entry(name, value)
        {
            self.state = Err(err);
        }
    }
}

struct NumberField<'a, T>(&'a Option<T>);

impl<T: ODataNumber> Serialize for NumberField<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        odata_number::serialize(self.0, serializer)
    }
}

struct NumbersField<'a, T>(&'a Option<Vec<T>>);

impl<T: ODataNumber> Serialize for NumbersField<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        odata_numbers::serialize(self.0, serializer)
    }
}

struct Base64Field<'a>(&'a Option<Vec<u8>>);

impl Serialize for Base64Field<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        option_base64_bytes::serialize(self.0, serializer)
    }
}

struct NumberMember<T>(Option<T>);

impl<'de, T: ODataNumber> Deserialize<'de> for NumberMember<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        odata_number::deserialize(deserializer).map(NumberMember)
    }
}

struct NumbersMember<T>(Option<Vec<T>>);

impl<'de, T: ODataNumber> Deserialize<'de> for NumbersMember<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        odata_numbers::deserialize(deserializer).map(NumbersMember)
    }
}

struct InstantMember(Option<DateTime<Utc>>);

impl<'de> Deserialize<'de> for InstantMember {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(InstantVisitor)
    }
}

struct InstantVisitor;

impl<'de> Visitor<'de> for InstantVisitor {
    type Value = InstantMember;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or an RFC 3339 date and time")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(InstantMember(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(InstantMember(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(InstantVisitor)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        let instant = DateTime::parse_from_rfc3339(text)
            .or_else(|_| text.parse::<DateTime<FixedOffset>>())
            .map_err(E::custom)?;
        Ok(InstantMember(Some(instant.with_timezone(&Utc))))
    }
}

struct Base64Member(Option<Vec<u8>>);

impl<'de> Deserialize<'de> for Base64Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        option_base64_bytes::deserialize(deserializer).map(Base64Member)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    /// What the generator writes for a model with four fields, one per way
    /// of reading (also the model of `property`'s tests).
    #[derive(Debug, Default, PartialEq)]
    pub(crate) struct Item {
        pub(crate) id: Option<String>,
        pub(crate) size: Option<i64>,
        pub(crate) thumbnail: Option<Vec<u8>>,
        pub(crate) ranks: Option<Vec<f64>>,
        pub(crate) additional_properties: Map<String, Value>,
    }

    impl Members for Item {
        const NAME: &'static str = "Item";
        fn empty() -> Self {
            Self::default()
        }
        fn member<'de, A: MapAccess<'de>>(
            &mut self,
            name: &str,
            map: &mut A,
        ) -> Result<bool, A::Error> {
            match name {
                "id" => read(&mut self.id, map),
                "size" => read_number(&mut self.size, map),
                "thumbnail" => read_base64(&mut self.thumbnail, map),
                "ranks" => read_numbers(&mut self.ranks, map),
                _ => Ok(false),
            }
        }
        fn additional_properties(&mut self) -> &mut Map<String, Value> {
            &mut self.additional_properties
        }
    }

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_model(deserializer)
        }
    }

    impl Serialize for Item {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut writer = MemberWriter::new(serializer);
            writer.field("id", &self.id);
            writer.number("size", &self.size);
            writer.base64("thumbnail", &self.thumbnail);
            writer.numbers("ranks", &self.ranks);
            writer.end(&self.additional_properties)
        }
    }

    #[test]
    fn fields_are_written_in_order_then_the_rest_and_none_is_left_out() {
        let item = Item {
            id: Some("1".into()),
            size: Some(7),
            thumbnail: Some(b"hi".to_vec()),
            ranks: Some(vec![1.5, f64::INFINITY]),
            additional_properties: serde_json::from_str(r#"{"x":null,"@odata.etag":"W/1"}"#)
                .expect("json"),
        };
        // The fields in order, then the rest (in the order of serde_json's
        // map: by name, or as inserted with its `preserve_order` feature).
        let text = serde_json::to_string(&item).expect("writes");
        assert!(
            text.starts_with(r#"{"id":"1","size":7,"thumbnail":"aGk=","ranks":[1.5,"INF"],"#),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<Value>(&text).expect("json"),
            json!({"id": "1", "size": 7, "thumbnail": "aGk=", "ranks": [1.5, "INF"], "@odata.etag": "W/1", "x": null})
        );
        let back: Item =
            serde_json::from_slice(&serde_json::to_vec(&item).expect("writes")).expect("reads");
        assert_eq!(back.thumbnail, item.thumbnail);
        assert_eq!(
            serde_json::to_string(&Item::default()).expect("writes"),
            "{}"
        );
    }

    struct Shown(Item);

    impl fmt::Debug for Shown {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug_model(&self.0, f)
        }
    }

    #[test]
    fn debug_shows_the_members_that_are_set_as_json() {
        let item = Item {
            id: Some("a\"b".into()),
            size: Some(3),
            additional_properties: serde_json::from_str(r#"{"@odata.etag":"W/1","x":{"y":[1]}}"#)
                .expect("json"),
            ..Item::default()
        };
        // In the order of serde_json's map (by name, or as written with its
        // `preserve_order` feature).
        let shown = format!("{:?}", Shown(item));
        assert!(
            shown.starts_with("Item { ") && shown.ends_with(" }"),
            "{shown}"
        );
        let mut members: Vec<&str> = shown["Item { ".len()..shown.len() - 2]
            .split(", ")
            .collect();
        members.sort_unstable();
        assert_eq!(
            members,
            [
                r#"@odata.etag: "W/1""#,
                r#"id: "a\"b""#,
                "size: 3",
                r#"x: {"y":[1]}"#
            ]
        );
        assert_eq!(format!("{:?}", Shown(Item::default())), "Item");
        let pretty = format!(
            "{:#?}",
            Shown(Item {
                id: Some("1".into()),
                ..Item::default()
            })
        );
        assert_eq!(pretty, "Item {\n    id: \"1\",\n}");
    }

    #[test]
    fn the_first_write_error_is_returned() {
        // A writer that fails on its second byte: the error surfaces from `end`.
        struct Fails(usize);
        impl std::io::Write for Fails {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                if self.0 > 1 {
                    return Err(std::io::Error::other("disk full"));
                }
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let item = Item {
            id: Some("1".into()),
            size: Some(2),
            ..Item::default()
        };
        let err = serde_json::to_writer(Fails(0), &item).expect_err("fails");
        assert!(err.to_string().contains("disk full"), "{err}");
    }

    #[test]
    fn known_members_fill_fields_and_the_rest_is_kept() {
        let text = r#"{"@odata.etag":"W/\"1\"","id":"a\"b","size":"20158","thumbnail":"aGk=","ranks":[1,"NaN"],"extra":{"x":[1,2]},"nothing":null}"#;
        for item in [
            serde_json::from_str::<Item>(text).expect("from text"),
            serde_json::from_slice::<Item>(text.as_bytes()).expect("from bytes"),
            serde_json::from_reader::<_, Item>(text.as_bytes()).expect("from a reader"),
            serde_json::from_value::<Item>(serde_json::from_str(text).expect("json"))
                .expect("from a value"),
        ] {
            assert_eq!(item.id.as_deref(), Some("a\"b"));
            assert_eq!(item.size, Some(20158));
            assert_eq!(item.thumbnail.as_deref(), Some(&b"hi"[..]));
            let ranks = item.ranks.as_deref().expect("ranks");
            assert_eq!(ranks[0], 1.0);
            assert!(ranks[1].is_nan());
            assert_eq!(
                Value::Object(item.additional_properties),
                json!({"@odata.etag": "W/\"1\"", "extra": {"x": [1, 2]}, "nothing": null})
            );
        }
    }

    #[test]
    fn null_is_none_and_a_repeated_member_keeps_its_last_value() {
        let item: Item =
            serde_json::from_str(r#"{"id":"1","id":null,"x":1,"x":2}"#).expect("decodes");
        assert_eq!(item.id, None);
        assert_eq!(item.additional_properties["x"], json!(2));
        let item: Item = serde_json::from_str(r#"{"id":null,"id":"2"}"#).expect("decodes");
        assert_eq!(item.id.as_deref(), Some("2"));
    }

    #[derive(Debug, PartialEq)]
    enum Importance {
        Low,
        Other(String),
    }

    impl From<&str> for Importance {
        fn from(value: &str) -> Self {
            match value {
                "low" => Self::Low,
                other => Self::Other(other.to_owned()),
            }
        }
    }

    #[test]
    fn enums_read_known_and_unknown_strings() {
        let read = |text: &str| {
            deserialize_enum::<Importance, _>(&mut serde_json::Deserializer::from_str(text))
        };
        assert_eq!(read(r#""low""#).expect("known"), Importance::Low);
        assert_eq!(read(r#""l\u006fw""#).expect("escaped"), Importance::Low);
        assert_eq!(
            read(r#""urgent""#).expect("unknown"),
            Importance::Other("urgent".into())
        );
        assert!(read("3").is_err());
        assert!(read("null").is_err());
    }

    #[test]
    fn instants_read_and_write_as_chrono_does() {
        struct Instant(Option<DateTime<Utc>>);
        impl<'de> Deserialize<'de> for Instant {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                InstantMember::deserialize(deserializer).map(|m| Instant(m.0))
            }
        }
        for text in [
            "2024-01-02T03:04:05Z",
            "2024-01-02T03:04:05.1Z",
            "2024-01-02T03:04:05.1234567Z",
            "2024-01-02T03:04:05.000Z",
            "2024-01-02T05:04:05+02:00",
            "2024-01-02 03:04:05Z",
            "2024-01-02t03:04:05z",
            "1601-01-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999Z",
        ] {
            let json = format!("\"{text}\"");
            let ours = serde_json::from_str::<Instant>(&json).expect(text).0;
            let chrono = serde_json::from_str::<DateTime<Utc>>(&json).expect(text);
            assert_eq!(ours, Some(chrono), "{text}");
            let mut written = Vec::new();
            let mut serializer = serde_json::Serializer::new(&mut written);
            let mut writer = MemberWriter::new(&mut serializer);
            writer.instant("t", &ours);
            writer.end(&Map::new()).expect("writes");
            let expected = format!(
                "{{\"t\":{}}}",
                serde_json::to_string(&chrono).expect("writes")
            );
            assert_eq!(
                String::from_utf8(written).expect("utf-8"),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::from_str::<Instant>("null").expect("null").0,
            None
        );
        for bad in [
            "\"yesterday\"",
            "\"2024-13-02T03:04:05Z\"",
            "3",
            "\"2024-01-02T03:04:05\"",
        ] {
            assert!(serde_json::from_str::<Instant>(bad).is_err(), "{bad}");
            assert_eq!(
                serde_json::from_str::<Instant>(bad).is_err(),
                serde_json::from_str::<Option<DateTime<Utc>>>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn wrong_values_are_errors_with_their_place() {
        let err = serde_json::from_str::<Item>(r#"{"id": 5}"#).expect_err("a number id");
        assert!(err.to_string().contains("invalid type"), "{err}");
        assert_eq!((err.line(), err.column()), (1, 8));
        let err = serde_json::from_str::<Item>("[1]").expect_err("not an object");
        assert!(err.to_string().contains("a JSON object (Item)"), "{err}");
        for bad in [
            r#"{"size": "ten"}"#,
            r#"{"thumbnail": "%%"}"#,
            r#"{"ranks": {"a": 1}}"#,
            r#"{"id": "1""#,
            r#"{"id" "1"}"#,
        ] {
            assert!(serde_json::from_str::<Item>(bad).is_err(), "{bad}");
        }
    }
}
