//! The floor of a decode that keeps a page's text: how fast any serde_json
//! reader that turns the JSON into owned values could go.
//!
//! [`keep_text`] reads every member name and value of a page and copies each
//! string value into its own `String`, the way the SDK's models hold them,
//! and nothing else: no field to match, no tree to build, numbers read and
//! dropped. Member names are read as the SDK reads them (checked, not kept).
//! The strings are kept in blocks of [`BLOCK`], so that no growing `Vec` is
//! copied along the way (a model holds its strings in place).
//! A typed decode can beat it only where it keeps less than the text (a
//! GUID or a timestamp parsed into a fixed-size value instead of a `String`),
//! so `Value`'s time over this one is about the best × that typed decoding
//! on serde_json can reach on a page.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How many strings a block of [`Kept`] holds.
pub const BLOCK: usize = 1024;

/// The string values of a page, in order, in blocks of [`BLOCK`].
#[derive(Default)]
pub struct Kept(Vec<Vec<String>>);

impl Kept {
    fn push(&mut self, text: String) {
        match self.0.last_mut() {
            Some(block) if block.len() < BLOCK => block.push(text),
            _ => {
                let mut block = Vec::with_capacity(BLOCK);
                block.push(text);
                self.0.push(block);
            }
        }
    }

    /// The strings, in the order they were read.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().flatten().map(String::as_str)
    }
}

/// Reads `bytes` as the module says, returning the string values kept.
pub fn keep_text(bytes: &[u8]) -> serde_json::Result<Kept> {
    let mut strings = Kept::default();
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    KeepText(&mut strings).deserialize(&mut reader)?;
    reader.end()?;
    Ok(strings)
}

/// Reads one JSON value, pushing its string values (nested ones included).
struct KeepText<'a>(&'a mut Kept);

impl<'de> DeserializeSeed<'de> for KeepText<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeepText<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.0.push(text.to_owned());
        Ok(())
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<(), E> {
        self.0.push(text);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(KeepText(self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Name)?.is_some() {
            map.next_value_seed(KeepText(self.0))?;
        }
        Ok(())
    }
}

/// A member name, read as a string (UTF-8 checked, escapes undone) and let go.
struct Name;

impl<'de> DeserializeSeed<'de> for Name {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_string_value_and_no_name() {
        let page = br#"{"value":[{"id":"1","n":2,"tags":["a","b\u00e9"],"x":{"y":"z"}},null,true],"k":"v"}"#;
        let kept = keep_text(page).expect("JSON");
        assert_eq!(
            kept.iter().collect::<Vec<_>>(),
            ["1", "a", "b\u{e9}", "z", "v"]
        );
    }

    #[test]
    fn keeps_more_strings_than_a_block_in_order() {
        let texts: Vec<String> = (0..BLOCK * 2 + 5).map(|i| i.to_string()).collect();
        let page = serde_json::to_vec(&texts).expect("JSON");
        let kept = keep_text(&page).expect("JSON");
        assert!(kept.iter().eq(texts.iter().map(String::as_str)));
        assert_eq!(kept.0.len(), 3);
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        assert!(keep_text(br#"{"a":1"#).is_err());
        assert!(keep_text(b"[1] 2").is_err());
        assert!(keep_text(b"\"\xff\"").is_err());
    }
}
