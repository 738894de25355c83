//! Decoding values of a base type into the derived type their `@odata.type`
//! names: the helpers behind the generated `Any…` enums.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, Deserializer, Error, MapAccess, Visitor};
use serde_json::{Map, Value};

use super::members::{MemberName, Members, read_member};

/// The Graph namespace, implied when an `@odata.type` has no namespace.
const GRAPH_NAMESPACE: &str = "microsoft.graph.";

/// The `@odata.type` of a JSON object as a match key: without the leading `#`,
/// qualified with the Graph namespace when it has none, ASCII-lowercased (the
/// docs and the service do not always agree on case). `None` when the value
/// is not an object or carries no string `@odata.type`.
pub fn odata_type_key(value: &Value) -> Option<String> {
    let tag = value.as_object()?.get("@odata.type")?.as_str()?;
    Some(match_key(tag))
}

/// The match key of an `@odata.type` string (see [`odata_type_key`]).
fn match_key(tag: &str) -> String {
    let tag = tag.trim().trim_start_matches('#');
    let mut key = String::with_capacity(GRAPH_NAMESPACE.len() + tag.len());
    if !tag.contains('.') {
        key.push_str(GRAPH_NAMESPACE);
    }
    key.push_str(tag);
    key.make_ascii_lowercase();
    key
}

/// A generated `Any…` enum: a base type and the types derived from it. Its
/// [`Members`] are those of the variant it holds; [`Members::empty`] is the
/// base type.
pub trait Polymorphic: Members + Serialize {
    /// The derived type whose match key (see [`odata_type_key`]) is `key`,
    /// empty; `None` for the base type or a type this SDK does not know.
    fn derived(key: &str) -> Option<Self>;
}

/// Decodes an `Any…` enum in one pass: the body of its generated
/// `Deserialize::deserialize`.
///
/// The service writes `@odata.type` first, so the variant is usually known
/// before any field is read. Until it is, members are read into the base
/// type; when a later `@odata.type` names a derived type, what was read so far
/// is written out and read again into that type (the rare, slow path).
pub fn deserialize_polymorphic<'de, T: Polymorphic, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(PolymorphicVisitor(PhantomData))
}

struct PolymorphicVisitor<T>(PhantomData<T>);

impl<'de, T: Polymorphic> Visitor<'de> for PolymorphicVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::empty();
        // Whether a documented member has been read into a field of `value`.
        let mut fields_read = false;
        let mut tag_seen = false;
        while let Some(name) = map.next_key::<MemberName<'de>>()? {
            if !tag_seen && name.0 == "@odata.type" {
                tag_seen = true;
                let tag = map.next_value::<Value>()?;
                let derived = tag.as_str().and_then(|tag| T::derived(&match_key(tag)));
                if let Some(mut derived) = derived {
                    if fields_read {
                        let so_far = serde_json::to_value(&value).map_err(A::Error::custom)?;
                        if let Value::Object(members) = so_far {
                            replay(&mut derived, members).map_err(A::Error::custom)?;
                        }
                    } else {
                        std::mem::swap(
                            derived.additional_properties(),
                            value.additional_properties(),
                        );
                    }
                    value = derived;
                }
                value
                    .additional_properties()
                    .insert(name.0.into_owned(), tag);
            } else if read_member(&mut value, name, &mut map)? {
                fields_read = true;
            }
        }
        Ok(value)
    }
}

/// Reads buffered members into `target`, as if they had been decoded there.
fn replay<T: Members>(
    target: &mut T,
    members: Map<String, Value>,
) -> Result<(), serde_json::Error> {
    let mut access = de::value::MapDeserializer::new(members.into_iter());
    while let Some(name) = access.next_key::<MemberName<'_>>()? {
        read_member(target, name, &mut access)?;
    }
    access.end()
}

/// The `@odata.type` kept in a value's unknown members, or `default` (the
/// type it was decoded as) when the payload did not name one.
pub fn odata_type_or<'a>(
    additional_properties: &'a Map<String, Value>,
    default: &'a str,
) -> &'a str {
    additional_properties
        .get("@odata.type")
        .and_then(Value::as_str)
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_qualified_lowercase_and_without_hash() {
        let key = |v: Value| odata_type_key(&v);
        assert_eq!(
            key(json!({"@odata.type": "#microsoft.graph.androidStoreApp"})).as_deref(),
            Some("microsoft.graph.androidstoreapp")
        );
        assert_eq!(
            key(json!({"@odata.type": "user"})).as_deref(),
            Some("microsoft.graph.user")
        );
        assert_eq!(
            key(json!({"@odata.type": "#microsoft.graph.callRecords.participantEndpoint"}))
                .as_deref(),
            Some("microsoft.graph.callrecords.participantendpoint")
        );
        assert_eq!(key(json!({"id": "1"})), None);
        assert_eq!(key(json!({"@odata.type": 3})), None);
        assert_eq!(key(json!("text")), None);
    }

    #[test]
    fn odata_type_falls_back_to_the_decoded_type() {
        let mut map = Map::new();
        assert_eq!(
            odata_type_or(&map, "#microsoft.graph.user"),
            "#microsoft.graph.user"
        );
        map.insert("@odata.type".into(), json!("#microsoft.graph.group"));
        assert_eq!(
            odata_type_or(&map, "#microsoft.graph.user"),
            "#microsoft.graph.group"
        );
    }
}
