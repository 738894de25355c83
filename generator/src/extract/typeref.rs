//! Type cells: the thousands of ways the docs spell a type.
//!
//! `String`, `string`, `Edm.String`, `String collection`, `Collection(String)`,
//! `[identitySet](identityset.md)`, `[identitySet][]`,
//! `microsoft.graph.callRecords.modality collection`, `Enumeration`… all read
//! into one [`TypeCell`]. Unions and free text are not guessed at: they come back
//! as [`Unparsed`] with the fallback the caller should use.

use super::blocks::Inline;

/// What a type cell names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeName {
    /// An Edm primitive, by its Edm name without the prefix (`String`, `Int32`).
    Primitive(&'static str),
    /// A named type as the docs write it (`identitySet`, `microsoft.graph.callRecords.modality`).
    Named(String),
    /// The literal `Enumeration`: an unnamed enum whose members the row lists.
    Enumeration,
    /// Untyped JSON (`Json`, `Object`).
    Json,
}

/// A type cell, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeCell {
    /// The type.
    pub name: TypeName,
    /// Whether it is a collection of that type.
    pub collection: bool,
    /// The link destination, when the type was written as a link.
    pub link: Option<String>,
    /// The type's name as the cell writes it (`Timestamp`, `identitySet`,
    /// `DateTimeOffset`), for resolving it against the type space and for
    /// telling a doc writer what was read.
    pub written: String,
}

/// A cell that does not name one type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unparsed {
    /// Why (for the diagnostic).
    pub reason: String,
    /// What to use instead.
    pub fallback: TypeCell,
}

/// The Edm primitive a spelling names, case-insensitively, with or without `Edm.`.
pub fn primitive(spelling: &str) -> Option<&'static str> {
    let s = spelling.trim();
    let s = strip_prefix_ignore_case(s, "edm.").unwrap_or(s);
    let lower = s.to_ascii_lowercase();
    Some(match lower.as_str() {
        "string" | "str" => "String",
        "int32" | "int" | "integer" => "Int32",
        "int64" | "long" => "Int64",
        "int16" | "short" => "Int16",
        "boolean" | "bool" => "Boolean",
        // `Timestamp` is how many pages write DateTimeOffset (remoteItem's
        // `createdDateTime`); the complex type `timeStamp` is only ever linked.
        "datetimeoffset" | "datetime" | "timestamp" => "DateTimeOffset",
        "double" => "Double",
        "single" | "float" => "Single",
        "guid" | "uuid" => "Guid",
        "binary" => "Binary",
        "date" => "Date",
        "timeofday" => "TimeOfDay",
        "duration" | "timespan" => "Duration",
        "decimal" => "Decimal",
        "byte" => "Byte",
        "sbyte" => "SByte",
        "stream" => "Stream",
        _ => return None,
    })
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .map(|_| &s[prefix.len()..])
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let at = s.len().checked_sub(suffix.len())?;
    s.get(at..)
        .filter(|p| p.eq_ignore_ascii_case(suffix))
        .map(|_| &s[..at])
}

/// Reads a type cell.
pub fn parse(cell: &Inline) -> Result<TypeCell, Unparsed> {
    let text = cell.text.trim().trim_end_matches('.').trim();
    let unparsed = |reason: String| Unparsed {
        reason,
        fallback: TypeCell {
            name: TypeName::Json,
            collection: false,
            link: None,
            written: String::new(),
        },
    };
    if text.is_empty() {
        return Err(unparsed("the Type cell is empty".to_owned()));
    }
    // `educationOutcome collection. Holds grades, …`: the type, then a sentence.
    let text = match text.split_once(". ") {
        Some((head, _)) if head.split_whitespace().count() <= 2 => head.trim(),
        _ => text,
    };
    let (inner, collection) = split_collection(text);
    let inner = strip_annotation(inner.trim());
    let lower = inner.to_ascii_lowercase();
    if lower.contains(" or ") || inner.contains(',') || inner.contains('|') {
        return Err(Unparsed {
            reason: format!("`{text}` names more than one type"),
            fallback: TypeCell {
                name: TypeName::Json,
                collection,
                link: None,
                written: String::new(),
            },
        });
    }
    // A linked type: the link's text is the name, as written. A primitive
    // spelling stays primitive here even when linked; the type space decides
    // whether the link's page makes it a type (`[timeStamp](timestamp.md)`).
    if let Some(link) = cell
        .links
        .iter()
        .find(|l| same_name(&l.text, inner) && !l.text.trim().is_empty())
    {
        let written = link.text.trim().trim_matches(['[', ']']).trim();
        let name = match primitive(written) {
            Some(p) => TypeName::Primitive(p),
            None => TypeName::Named(written.to_owned()),
        };
        return Ok(TypeCell {
            name,
            collection,
            link: (!link.dest.is_empty()).then(|| link.dest.clone()),
            written: written.to_owned(),
        });
    }
    if let Some(p) = primitive(inner).or_else(|| loose_primitive(inner)) {
        return Ok(TypeCell {
            name: TypeName::Primitive(p),
            collection,
            link: None,
            written: inner.to_owned(),
        });
    }
    let name = match lower.as_str() {
        "enumeration" | "enum" => TypeName::Enumeration,
        "json"
        | "object"
        | "json object"
        | "edm.untyped"
        | "untyped"
        | "untyped json object"
        | "untyped json" => TypeName::Json,
        _ if is_type_name(inner) => TypeName::Named(inner.to_owned()),
        _ => {
            return Err(Unparsed {
                reason: format!("`{text}` is not a type name"),
                fallback: TypeCell {
                    name: TypeName::Json,
                    collection,
                    link: None,
                    written: String::new(),
                },
            });
        }
    };
    Ok(TypeCell {
        name,
        collection,
        link: None,
        written: inner.to_owned(),
    })
}

/// `string (url)`, `String (optional)`, `string, maximum size 20` → the type
/// alone, when what remains is one word.
fn strip_annotation(text: &str) -> &str {
    // `(Optional) String`, `itemAnalytics resource`, `error object`, `x(x.md`.
    let text = match text.strip_prefix('(').and_then(|r| r.split_once(") ")) {
        Some((_, rest)) => rest.trim(),
        None => text,
    };
    let lower = text.to_ascii_lowercase();
    let text = [" resource", " object"]
        .iter()
        .find(|s| lower.ends_with(*s) && !lower.starts_with("json"))
        .map_or(text, |s| text[..text.len() - s.len()].trim());
    let text = match text.split_once('(') {
        Some((head, rest)) if rest.ends_with(".md") || rest.contains(".md)") => head.trim(),
        _ => text,
    };
    let head = match (text.find(" ("), text.find(',')) {
        (Some(p), Some(c)) => &text[..p.min(c)],
        (Some(p), None) if text.ends_with(')') => &text[..p],
        (None, Some(c)) => &text[..c],
        _ => text,
    }
    .trim();
    if !head.is_empty() && !head.contains(' ') && head != text {
        head
    } else {
        text
    }
}

/// Spellings that are not Edm names but that the docs use for one: `Url`, `number`.
fn loose_primitive(spelling: &str) -> Option<&'static str> {
    match spelling.to_ascii_lowercase().as_str() {
        "url" | "uri" => Some("String"),
        "number" => Some("Double"),
        _ => None,
    }
}

/// `X collection`, `Collection(X)`, `collection of X` → (X, true).
fn split_collection(text: &str) -> (&str, bool) {
    if let Some(inner) =
        strip_prefix_ignore_case(text, "collection(").and_then(|r| r.strip_suffix(')'))
    {
        return (inner, true);
    }
    if let Some(inner) = strip_suffix_ignore_case(text, " collection") {
        return (inner, true);
    }
    if let Some(inner) = strip_prefix_ignore_case(text, "collection of ") {
        return (inner, true);
    }
    (text, false)
}

/// A link text names the cell's type when they agree up to brackets and case.
fn same_name(link_text: &str, inner: &str) -> bool {
    let clean = |s: &str| {
        s.trim()
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_ascii_lowercase()
    };
    clean(link_text) == clean(inner)
}

/// Letters, digits, `_` and dots, starting with a letter.
fn is_type_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::super::blocks::Link;
    use super::*;

    fn cell(text: &str, links: &[(&str, &str)]) -> Inline {
        Inline {
            text: text.to_owned(),
            links: links
                .iter()
                .map(|(t, d)| Link {
                    text: (*t).to_owned(),
                    dest: (*d).to_owned(),
                })
                .collect(),
            codes: Vec::new(),
            span: 0..0,
        }
    }

    fn ok(text: &str) -> TypeCell {
        parse(&cell(text, &[])).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn primitive_spellings() {
        for (spelling, edm) in [
            ("String", "String"),
            ("string", "String"),
            ("Edm.String", "String"),
            ("GUID", "Guid"),
            ("Int", "Int32"),
            ("DateTimeOffSet", "DateTimeOffset"),
            ("Edm.boolean ", "Boolean"),
        ] {
            assert_eq!(ok(spelling).name, TypeName::Primitive(edm), "{spelling}");
        }
    }

    #[test]
    fn collections() {
        for spelling in [
            "String collection",
            "Collection(String)",
            "Collection(Edm.String)",
        ] {
            let t = ok(spelling);
            assert_eq!(
                (t.name, t.collection),
                (TypeName::Primitive("String"), true)
            );
        }
        let t = ok("microsoft.graph.callRecords.modality collection");
        assert_eq!(
            t.name,
            TypeName::Named("microsoft.graph.callRecords.modality".into())
        );
        assert!(t.collection);
    }

    #[test]
    fn links_and_reference_links() {
        let t = parse(&cell(
            "identitySet collection",
            &[("identitySet", "identityset.md")],
        ))
        .expect("link");
        assert_eq!(t.name, TypeName::Named("identitySet".into()));
        assert_eq!(t.link.as_deref(), Some("identityset.md"));
        assert!(t.collection);
        let t = parse(&cell("identitySet", &[("identitySet", "")])).expect("reference");
        assert_eq!(t.link, None);
    }

    #[test]
    fn loose_spellings() {
        assert_eq!(ok("Url").name, TypeName::Primitive("String"));
        assert_eq!(ok("number").name, TypeName::Primitive("Double"));
        assert_eq!(ok("(Optional) String").name, TypeName::Primitive("String"));
        assert_eq!(
            ok("itemAnalytics resource").name,
            TypeName::Named("itemAnalytics".into())
        );
        assert_eq!(ok("Untyped JSON object").name, TypeName::Json);
        assert_eq!(
            ok("invitedUserMessageInfo(invitedusermessageinfo.md").name,
            TypeName::Named("invitedUserMessageInfo".into())
        );
    }

    #[test]
    fn annotated_types_keep_the_type() {
        assert_eq!(ok("string (url)").name, TypeName::Primitive("String"));
        assert_eq!(ok("String (optional)").name, TypeName::Primitive("String"));
        assert_eq!(
            ok("string, maximum size 20").name,
            TypeName::Primitive("String")
        );
        let union =
            parse(&cell("(boolean or string or number) collection", &[])).expect_err("union");
        assert!(union.fallback.collection);
    }

    #[test]
    fn timestamp_is_how_pages_spell_date_time_offset() {
        let t = ok("Timestamp");
        assert_eq!(t.name, TypeName::Primitive("DateTimeOffset"));
        assert_eq!(t.written, "Timestamp");
    }

    #[test]
    fn a_linked_primitive_spelling_keeps_its_link_and_spelling_for_the_type_space() {
        // Whether the page of `timeStamp` makes it that type is the type space's call.
        let t = parse(&cell("timeStamp", &[("timeStamp", "timestamp.md")])).expect("link");
        assert_eq!(t.name, TypeName::Primitive("DateTimeOffset"));
        assert_eq!(t.link.as_deref(), Some("timestamp.md"));
        assert_eq!(t.written, "timeStamp");
        let t = parse(&cell(
            "chatType",
            &[("chatType", "../resources/chat.md#chattype-values")],
        ))
        .expect("anchor");
        assert_eq!(t.name, TypeName::Named("chatType".into()));
        assert_eq!(
            t.link.as_deref(),
            Some("../resources/chat.md#chattype-values")
        );
    }

    #[test]
    fn enumeration_and_json() {
        assert_eq!(ok("Enumeration").name, TypeName::Enumeration);
        assert_eq!(ok("Json").name, TypeName::Json);
    }

    #[test]
    fn unions_and_free_text_fall_back_to_json() {
        let e = parse(&cell(
            "appHostedMediaConfig or serviceHostedMediaConfig",
            &[],
        ))
        .expect_err("union");
        assert_eq!(e.fallback.name, TypeName::Json);
        assert!(parse(&cell("A or B, with notes", &[])).is_err());
        assert!(parse(&cell("", &[])).is_err());
    }
}
