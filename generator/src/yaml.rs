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
    let value: serde_norway::Value = serde_norway::from_str(text).map_err(|e| YamlError {
        message: strip_location(&e.to_string()),
        offset: e.location().map(|l| l.index()),
    })?;
    let mut out = BTreeMap::new();
    if let serde_norway::Value::Mapping(map) = value {
        for (key, value) in map {
            let Some(key) = scalar(&key) else { continue };
            if let Some(value) = scalar(&value) {
                out.insert(key, value);
            }
        }
    }
    Ok(out)
}

fn scalar(value: &serde_norway::Value) -> Option<String> {
    match value {
        serde_norway::Value::String(s) => Some(s.clone()),
        serde_norway::Value::Bool(b) => Some(b.to_string()),
        serde_norway::Value::Number(n) => Some(n.to_string()),
        serde_norway::Value::Tagged(tagged) => scalar(&tagged.value),
        serde_norway::Value::Null
        | serde_norway::Value::Sequence(_)
        | serde_norway::Value::Mapping(_) => None,
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
