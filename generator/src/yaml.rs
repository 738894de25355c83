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
    match plain_lines(text) {
        Some(map) => Ok(map),
        None => with_library(text),
    }
}

/// [`parse_scalars`] by serde_norway alone.
fn with_library(text: &str) -> Result<BTreeMap<String, String>, YamlError> {
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

/// The map of front matter that is only `key: text` lines, read without the
/// YAML library; `None` for anything else, which serde_norway then reads.
///
/// Nearly every page's front matter is six such lines, and running libyaml
/// on each page was about 8% of the CPU time of `docgen ir --json` over v1.0.
/// Only lines YAML cannot read any other way are taken: a key of letters,
/// digits, `_`, `.` and `-` (not one YAML reads as a boolean or null), `: `,
/// then a value double-quoted with no `"`, `\` or tab inside, single-quoted
/// with no `'` or tab inside, or plain and unmistakably text (not a number,
/// boolean, null, comment, flow collection, anchor, tag or block scalar).
/// Blank lines are skipped; anything else (an empty value, a duplicate key, an indented
/// line) leaves the whole text to the library. A test checks that every page
/// of the corpus gets the map serde_norway gives it.
fn plain_lines(text: &str) -> Option<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        let plain_key = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
            && !reserved(key);
        if !plain_key || map.contains_key(key) {
            return None;
        }
        // `key:` alone may open a nested value on the next lines.
        let value = string_value(value.strip_prefix(' ')?.trim_matches(' '))?;
        map.insert(key.to_owned(), value.to_owned());
    }
    Some(map)
}

/// The text of a one-line YAML value; `None` when it is empty (null), when
/// YAML could read it as something other than this text, or when quotes or
/// escapes are involved.
fn string_value(value: &str) -> Option<&str> {
    // Inside double quotes only `"` and `\` mean something; inside single
    // quotes only `'` does (as `''`).
    for (quote, special) in [('"', &['"', '\\', '\t'][..]), ('\'', &['\'', '\t'][..])] {
        if let Some(inner) = value.strip_prefix(quote) {
            let inner = inner.strip_suffix(quote)?;
            return (!inner.contains(special)).then_some(inner);
        }
    }
    let first = value.chars().next()?;
    // Numbers, `.inf`, `~`, `-` items, and every YAML indicator; a date
    // written `09/10/2017` is text (no YAML number holds a `/`).
    let number_like = first.is_ascii_digit() && !value.contains('/');
    if number_like || "+-.~[]{}>|*&!%@`,?:#=<\"'".contains(first) {
        return None;
    }
    let ambiguous = value.contains(": ")
        || value.contains(" #")
        || value.ends_with(':')
        || value.contains('\t')
        || reserved(value);
    (!ambiguous).then_some(value)
}

/// Words YAML reads as a boolean or a null rather than as text.
fn reserved(word: &str) -> bool {
    const WORDS: [&str; 9] = ["true", "false", "yes", "no", "on", "off", "y", "n", "null"];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
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
    fn plain_lines_are_read_without_the_library_only_when_they_mean_the_same() {
        let taken = [
            "title: \"Get a user\"\ndescription: 'Retrieve a user.'\nms.prod: users\ndoc_type: apiPageType\n",
            "title: Get user's photo (C#, beta)\nauthor: \"a: b # c\"\n\nms.localizationpriority: medium\n",
            "title:    spaced   \n",
            "ms.date: 09/10/2017\n",
            "description: \"the group's owners\"\ntitle: 'C:\\path \"quoted\"'\n",
        ];
        for text in taken {
            let fast = plain_lines(text).unwrap_or_else(|| panic!("not taken: {text:?}"));
            assert_eq!(Ok(fast), with_library(text), "{text:?}");
        }
        let left_to_the_library = [
            "title: \"Say \\\"hi\\\"\"\n",
            "title: 'it''s'\n",
            "count: 3\n",
            "version: 1.0\n",
            "flag: yes\n",
            "flag: True\n",
            "gone: null\n",
            "gone: ~\n",
            "empty:\n",
            "list: [a, b]\n",
            "list:\n  - a\n",
            "title: a long\n  continued line\n",
            "title: x # a comment\n",
            "# a comment\ntitle: x\n",
            "title: driveItem: createUploadSession\n",
            "title: x\ntitle: y\n",
            "null: x\n",
            "anchor: &a x\n",
            "tag: !x y\n",
            "block: >\n  folded\n",
            "date: 2015-10-25 14:57:30 UTC\n",
            "title: \"unclosed\n",
            "title: \"a\" trailing\n",
            "key:\tx\n",
            "title: \"tab\there\"\n",
        ];
        for text in left_to_the_library {
            assert_eq!(plain_lines(text), None, "taken: {text:?}");
        }
        // Either way parse_scalars answers as the library does.
        for text in taken.iter().chain(&left_to_the_library) {
            assert_eq!(parse_scalars(text), with_library(text), "{text:?}");
        }
    }

    /// Every page's front matter in the Graph docs corpus reads the same with
    /// and without the YAML library.
    #[test]
    fn the_corpus_front_matter_reads_as_the_library_reads_it() {
        // Where the workspace's tests look: `$GRAPH_DOCS`, else `graph-docs/v1.0`
        // in `$DOCGEN_SHARED`, else in the shared folder beside the checkout.
        let shared = std::env::var_os("DOCGEN_SHARED").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
            std::path::PathBuf::from,
        );
        let dir = std::env::var_os("GRAPH_DOCS")
            .map_or_else(|| shared.join("graph-docs/v1.0"), std::path::PathBuf::from);
        if !dir.is_dir() {
            let required =
                std::env::var("DOCGEN_REQUIRE_CORPUS").is_ok_and(|v| !v.is_empty() && v != "0");
            let message = format!(
                "the_corpus_front_matter_reads_as_the_library_reads_it needs the Graph docs corpus at {} (set GRAPH_DOCS)",
                dir.display()
            );
            assert!(
                !required,
                "{message}; DOCGEN_REQUIRE_CORPUS is set, so this fails"
            );
            // Past the test harness's capture, so that the skip is seen.
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED {message} ***\n");
            return;
        }
        let (mut pages, mut taken) = (0, 0);
        for folder in ["api", "resources"] {
            let entries = std::fs::read_dir(dir.join(folder)).expect("corpus folder readable");
            for entry in entries {
                let path = entry.expect("corpus entry").path();
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let Some(rest) = text.strip_prefix("---\n") else {
                    continue;
                };
                let Some(end) = rest.find("\n---") else {
                    continue;
                };
                let yaml = &rest[..end + 1];
                pages += 1;
                if let Some(fast) = plain_lines(yaml) {
                    taken += 1;
                    assert_eq!(Ok(fast), with_library(yaml), "{}", path.display());
                }
            }
        }
        assert!(pages > 3000, "only {pages} pages with front matter");
        // The point of the fast path: nearly every page takes it.
        assert!(
            taken * 100 >= pages * 99,
            "{taken} of {pages} pages read without the library"
        );
        eprintln!("front matter: {taken} of {pages} pages read without the library");
    }

    #[test]
    fn an_unquoted_colon_is_an_error_with_an_offset() {
        let err = parse_scalars("title: driveItem: createUploadSession\nauthor: x\n")
            .expect_err("invalid yaml");
        assert!(err.message.contains("mapping values"), "{}", err.message);
        assert!(err.offset.is_some());
    }
}
