//! The rule for a property that a JSON body both nulls and sets.
//!
//! A model's `with_null` records `"name": null` in its
//! `additional_properties`, which serde writes after the model's fields. If
//! the caller sets the field again afterwards (`patch.recurrence =
//! Some(..)`), the serialized body names the property twice, and the service
//! rejects a duplicate property. `with_null` empties the field when it
//! records the null, so both can only be present when the field was set
//! after the null: the value is the later word, and it wins. Each object of
//! the body keeps, for a name written twice, its first non-null value (the
//! field, written first). Nothing else in the body changes.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value};

/// `body` (serialized JSON) with every property written twice, once as
/// `null`, written once with its value. Returns `body` itself, byte for
/// byte, when no property is written twice.
pub(super) fn value_over_null(body: Vec<u8>) -> Vec<u8> {
    // Without the bytes `null` no null was recorded: skip the second parse
    // that nearly every body would otherwise pay for.
    if !body.windows(4).any(|w| w == b"null") {
        return body;
    }
    match serde_json::from_slice::<Resolved>(&body) {
        Ok(Resolved {
            tree,
            duplicate: true,
        }) => serde_json::to_vec(&tree).unwrap_or(body),
        // No duplicate, or a body serde_json cannot read back (nested past
        // its depth limit): sent as serialized.
        _ => body,
    }
}

/// A JSON value with duplicate names resolved, and whether there were any.
struct Resolved {
    tree: Tree,
    duplicate: bool,
}

/// A JSON value that keeps its members in the order they were written, so
/// that resolving a duplicate changes nothing else (serde_json's `Map`
/// sorts them unless its `preserve_order` feature is on).
enum Tree {
    Object(Vec<(String, Tree)>),
    Array(Vec<Tree>),
    Scalar(Value),
}

impl Tree {
    fn is_null(&self) -> bool {
        matches!(self, Tree::Scalar(Value::Null))
    }
}

impl Serialize for Tree {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Tree::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
            Tree::Array(items) => serializer.collect_seq(items),
            Tree::Scalar(value) => value.serialize(serializer),
        }
    }
}

impl Resolved {
    fn scalar(value: Value) -> Self {
        Resolved {
            tree: Tree::Scalar(value),
            duplicate: false,
        }
    }
}

impl<'de> Deserialize<'de> for Resolved {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ResolvedVisitor)
    }
}

struct ResolvedVisitor;

impl<'de> Visitor<'de> for ResolvedVisitor {
    type Value = Resolved;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Resolved, E> {
        Ok(Resolved::scalar(Value::Null))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Resolved, E> {
        Ok(Resolved::scalar(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Resolved, E> {
        Ok(Resolved::scalar(Value::Number(v.into())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Resolved, E> {
        Ok(Resolved::scalar(Value::Number(v.into())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Resolved, E> {
        // JSON text never holds a non-finite number, so `None` cannot occur.
        // serde_json writes the parsed f64 back with the same digits.
        Ok(Resolved::scalar(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Resolved, E> {
        Ok(Resolved::scalar(Value::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Resolved, E> {
        Ok(Resolved::scalar(Value::String(v)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Resolved, A::Error> {
        let mut items = Vec::new();
        let mut duplicate = false;
        while let Some(item) = seq.next_element::<Resolved>()? {
            duplicate |= item.duplicate;
            items.push(item.tree);
        }
        Ok(Resolved {
            tree: Tree::Array(items),
            duplicate,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Resolved, A::Error> {
        let mut members: Vec<(String, Tree)> = Vec::new();
        // Where each name is in `members`: objects can be large.
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut duplicate = false;
        while let Some(name) = access.next_key::<String>()? {
            let member: Resolved = access.next_value()?;
            duplicate |= member.duplicate;
            match seen.get(&name).and_then(|&i| members.get_mut(i)) {
                None => {
                    seen.insert(name.clone(), members.len());
                    members.push((name, member.tree));
                }
                Some((_, first)) => {
                    duplicate = true;
                    if first.is_null() {
                        *first = member.tree;
                    }
                }
            }
        }
        Ok(Resolved {
            tree: Tree::Object(members),
            duplicate,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::value_over_null;

    fn resolved(body: &str) -> String {
        String::from_utf8(value_over_null(body.as_bytes().to_vec())).unwrap_or_default()
    }

    #[test]
    fn a_value_wins_over_a_null_for_the_same_name_at_any_depth() {
        let body = r#"{"z":{"b":1.5,"a":"\u0001","b":null},"c":[{"d":"x","d":null}],"e":null}"#;
        // Only the duplicates go; order, numbers and escapes stay as written.
        assert_eq!(
            resolved(body),
            r#"{"z":{"b":1.5,"a":"\u0001"},"c":[{"d":"x"}],"e":null}"#
        );
    }

    #[test]
    fn a_null_written_first_gives_way_to_the_value() {
        assert_eq!(resolved(r#"{"b":null,"b":2}"#), r#"{"b":2}"#);
    }

    #[test]
    fn bodies_without_duplicates_are_sent_byte_for_byte() {
        for body in [
            r#"{"z":null,"a":1.50,"s":"null"}"#,
            r#"{"z":1,"a":2}"#,
            "[null]",
        ] {
            assert_eq!(resolved(body), body);
        }
    }
}
