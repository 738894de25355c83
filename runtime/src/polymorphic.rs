//! Decoding values of a base type into the derived type their `@odata.type`
//! names: the helpers behind the generated `Any…` enums.

use serde::de::{DeserializeOwned, Error};
use serde_json::{Map, Value};

/// The Graph namespace, implied when an `@odata.type` has no namespace.
const GRAPH_NAMESPACE: &str = "microsoft.graph.";

/// The `@odata.type` of a JSON object as a match key: without the leading `#`,
/// qualified with the Graph namespace when it has none, ASCII-lowercased (the
/// docs and the service do not always agree on case). `None` when the value
/// is not an object or carries no string `@odata.type`.
pub fn odata_type_key(value: &Value) -> Option<String> {
    let tag = value.as_object()?.get("@odata.type")?.as_str()?;
    let tag = tag.trim().trim_start_matches('#');
    let qualified = if tag.contains('.') {
        tag.to_owned()
    } else {
        format!("{GRAPH_NAMESPACE}{tag}")
    };
    Some(qualified.to_ascii_lowercase())
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

/// Decodes a buffered JSON value as `T`, reporting failure as the calling
/// deserializer's error type.
pub fn from_json_value<T: DeserializeOwned, E: Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
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

    #[test]
    fn decoding_errors_become_the_callers_error() {
        let ok: Result<u8, serde_json::Error> = from_json_value(json!(7));
        assert_eq!(ok.unwrap(), 7);
        let bad: Result<u8, serde_json::Error> = from_json_value(json!("seven"));
        assert!(bad.unwrap_err().to_string().contains("invalid type"));
    }
}
