//! Lenient JSON with positions, for annotations and example bodies.
//!
//! The docs hold JSON with defects (trailing commas, comments, single quotes,
//! unquoted keys, NBSP indentation, raw newlines in strings). jsonc-parser reads
//! all of those and keeps byte ranges, so a value can be pointed at; a strict
//! serde_json pass says whether the text was strict and, if not, where it first
//! broke.

use std::ops::Range;

use jsonc_parser::ast;
use jsonc_parser::{CollectOptions, ParseOptions};

/// A JSON value with the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub kind: Kind,
    /// Byte range in the parsed text.
    pub range: Range<usize>,
}

/// The shape of a [`Node`].
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object: members in order.
    Object(Vec<Member>),
}

/// An object member.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The key.
    pub key: String,
    /// Byte range of the key.
    pub key_range: Range<usize>,
    /// The value.
    pub value: Node,
}

impl Node {
    /// The member with this key, if the node is an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The string value, if the node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean, also accepting the string `"true"`/`"false"` (written 35 times in the docs).
    pub fn as_bool_lenient(&self) -> Option<bool> {
        match &self.kind {
            Kind::Bool(b) => Some(*b),
            Kind::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Kind::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The value as serde_json (numbers that are not JSON numbers become strings).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(raw) => serde_json::from_str::<serde_json::Number>(raw)
                .map_or_else(|_| Value::String(raw.clone()), Value::Number),
            Kind::String(s) => Value::String(s.clone()),
            Kind::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Kind::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|m| (m.key.clone(), m.value.to_value()))
                    .collect(),
            ),
        }
    }

    /// A short description of the value for messages: `the string "Integer"`.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Null => "null".to_owned(),
            Kind::Bool(b) => format!("the boolean {b}"),
            Kind::Number(n) => format!("the number {n}"),
            Kind::String(s) => format!("the string {}", quote_short(s)),
            Kind::Array(_) => "an array".to_owned(),
            Kind::Object(_) => "an object".to_owned(),
        }
    }
}

fn quote_short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    format!("{out:?}")
}

/// Why text was not strict JSON, and where (byte offset in the parsed text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defect {
    /// What the strict parser said.
    pub message: String,
    /// Where it said it.
    pub offset: usize,
}

/// A successful parse.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    /// The value.
    pub node: Node,
    /// `None` when the text is strict JSON.
    pub defect: Option<Defect>,
}

/// Parses `text` leniently. `Err` holds why even the lenient reading failed.
pub fn parse(text: &str) -> Result<Parsed, Defect> {
    let defect = serde_json::from_str::<serde::de::IgnoredAny>(text)
        .err()
        .map(|e| {
            explain(
                text,
                strip_position(&e.to_string()),
                offset_of(text, e.line(), e.column()),
            )
        });
    // Strict text needs no repair; most bodies are strict.
    let repaired;
    let source = if defect.is_none() {
        text
    } else {
        repaired = repair(text);
        repaired.as_str()
    };
    let parsed =
        jsonc_parser::parse_to_ast(source, &CollectOptions::default(), &ParseOptions::default())
            .map_err(|e| Defect {
                message: e.kind().to_string(),
                offset: e.range().start,
            })?;
    let value = parsed.value.ok_or_else(|| Defect {
        message: "no JSON value".to_owned(),
        offset: 0,
    })?;
    Ok(Parsed {
        node: convert(&value),
        defect,
    })
}

/// Repairs that keep every byte offset: NBSP (two bytes) becomes two spaces; a raw
/// newline or tab inside a string becomes a space.
fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match in_string {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    in_string = None;
                } else if c == '\n' || c == '\t' {
                    out.push(' ');
                    continue;
                }
            }
            None if c == '"' || c == '\'' => in_string = Some(c),
            None if c == '\u{a0}' => {
                out.push_str("  ");
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

fn convert(value: &ast::Value<'_>) -> Node {
    let (kind, range) = match value {
        ast::Value::NullKeyword(n) => (Kind::Null, n.range),
        ast::Value::BooleanLit(b) => (Kind::Bool(b.value), b.range),
        ast::Value::NumberLit(n) => (Kind::Number(n.value.to_owned()), n.range),
        ast::Value::StringLit(s) => (Kind::String(s.value.to_string()), s.range),
        ast::Value::Array(a) => (
            Kind::Array(a.elements.iter().map(convert).collect()),
            a.range,
        ),
        ast::Value::Object(o) => (
            Kind::Object(
                o.properties
                    .iter()
                    .map(|p| {
                        let (key, key_range) = match &p.name {
                            ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                            ast::ObjectPropName::Word(w) => (w.value.to_owned(), w.range),
                        };
                        Member {
                            key,
                            key_range: key_range.start..key_range.end,
                            value: convert(&p.value),
                        }
                    })
                    .collect(),
            ),
            o.range,
        ),
    };
    Node {
        kind,
        range: range.start..range.end,
    }
}

/// Names the defects the docs really have, in a doc writer's words.
fn explain(text: &str, message: String, offset: usize) -> Defect {
    let before = text[..offset.min(text.len())].trim_end();
    let at = text[offset.min(text.len())..].chars().next();
    if matches!(at, Some('}' | ']')) && before.ends_with(',') {
        return Defect {
            message: "trailing comma before the closing bracket".to_owned(),
            offset: before.len() - 1,
        };
    }
    if text[offset.min(text.len())..].starts_with('\u{a0}') || before.ends_with('\u{a0}') {
        return Defect {
            message: "non-breaking spaces (U+00A0) used as indentation".to_owned(),
            offset,
        };
    }
    Defect { message, offset }
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Byte offset of a 1-based line and column as serde_json reports them.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1);
            return offset + l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_has_no_defect_and_keeps_ranges() {
        let text = r#"{ "a": [1, "x"], "b": null }"#;
        let parsed = parse(text).expect("parses");
        assert_eq!(parsed.defect, None);
        let a = parsed.node.get("a").expect("a");
        assert_eq!(&text[a.range.clone()], r#"[1, "x"]"#);
        assert_eq!(
            parsed.node.to_value(),
            serde_json::json!({"a": [1, "x"], "b": null})
        );
    }

    #[test]
    fn corpus_defects_are_forgiven_and_reported() {
        for text in [
            "{ \"blockType\": \"response\", }",
            "{ isCollection: true }",
            "{ 'a': 'b' }",
            "{ \"a\": 1 // note\n }",
            "{\n\u{a0}\u{a0}\"a\": 1\n}",
            "{ \"s\": \"line\nbreak\" }",
        ] {
            let parsed = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
            assert!(parsed.defect.is_some(), "{text:?} is not strict");
        }
    }

    #[test]
    fn the_strict_defect_points_at_the_trailing_comma() {
        let text = "{\n  \"a\": 1,\n}";
        let defect = parse(text).expect("lenient").defect.expect("defect");
        assert_eq!(&text[defect.offset..defect.offset + 1], ",");
        assert_eq!(defect.message, "trailing comma before the closing bracket");
    }

    #[test]
    fn hopeless_text_is_an_error() {
        assert!(parse("{ \"a\": ... }").is_err());
        assert!(parse("").is_err());
    }
}
