//! The one place docgen touches a YAML library.
//!
//! The design card names serde_yaml, which is unmaintained upstream; this module
//! uses its maintained drop-in fork, serde_norway. Front matter is a flat map of
//! scalars, so the rest of docgen only ever sees `key → text`.

use std::collections::BTreeMap;

/// A YAML error with the byte offset it was found at (relative to the parsed text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// What the YAML parser said.
    pub message: String,
    /// Byte offset in the parsed text, when the parser knows it.
    pub offset: Option<usize>,
}

/// Parses front matter into its scalar keys. Nested values are skipped: no
/// front matter key docgen uses holds one.
pub fn parse_scalars(text: &str) -> Result<BTreeMap<String, String>, YamlError> {
    // Straight into a map of scalars: no intermediate YAML value tree.
    let map: BTreeMap<Scalar, Scalar> = serde_norway::from_str::<Option<_>>(text)
        .map_err(|e| YamlError {
            message: strip_location(&e.to_string()),
            offset: e.location().map(|l| l.index()),
        })?
        .unwrap_or_default();
    Ok(map
        .into_iter()
        .filter_map(|(k, v)| Some((k.0?, v.0?)))
        .collect())
}

/// A YAML scalar as text; `None` for sequences, mappings and nulls.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Scalar(Option<String>);

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar(Some(v)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(Some(v.to_string())))
    }

    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }

    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar(None))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Scalar(None))
    }
}

/// serde_norway appends "at line X column Y"; docgen prints its own location.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flat_scalars() {
        let map = parse_scalars("title: \"Create x\"\nms.prod: intune\ncount: 3\nlist: [a]\n")
            .expect("valid yaml");
        assert_eq!(map.get("title").map(String::as_str), Some("Create x"));
        assert_eq!(map.get("ms.prod").map(String::as_str), Some("intune"));
        assert_eq!(map.get("count").map(String::as_str), Some("3"));
        assert!(!map.contains_key("list"));
    }

    #[test]
    fn an_unquoted_colon_is_an_error_with_an_offset() {
        let err = parse_scalars("title: driveItem: createUploadSession\nauthor: x\n")
            .expect_err("invalid yaml");
        assert!(err.message.contains("mapping values"), "{}", err.message);
        assert!(err.offset.is_some());
    }
}
