//! Naming rules: names from pages → Rust identifiers.
//!
//! Every identifier is built here, from any string: it is always a valid Rust
//! identifier (keywords get a trailing `_`, leading digits a prefix, anything
//! else is dropped or becomes `_`), and a [`Scope`] keeps names unique in the
//! order they are asked for, so the same input always yields the same names.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union",
];

/// Type names the generated modules use unqualified, or that read badly as model names.
const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Client",
    "Request",
    "Collection",
    "Error",
    "Value",
    "Map",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToString",
    "Into",
    "From",
    "Iterator",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "Ord",
    "PartialOrd",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "Display",
    "Formatter",
    "FromStr",
];

/// Keeps ASCII letters, digits and `_`; every other run of characters becomes a word break.
fn words_only(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut gap = false;
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push('_');
            }
            out.push(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

/// `UpperCamelCase` identifier text for a type or variant.
pub fn upper_camel(raw: &str, fallback: &str) -> String {
    let mut name = words_only(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// `snake_case` identifier text for a field, function or argument.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = words_only(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) || name == "_" {
        name.push('_');
    }
    name
}

/// A namespace of identifiers: the first to ask for a name gets it, later ones
/// get `_2`, `_3`…
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope where `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    /// Takes `name`, or the first free `name{sep}{n}`.
    pub fn claim(&mut self, name: String, sep: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        // `self_` (a keyword made a name) numbers as `self_2`, not `self__2`,
        // which rustc would warn is not snake case.
        let stem = if sep.is_empty() {
            name.as_str()
        } else {
            name.trim_end_matches(sep)
        };
        let stem = if stem.is_empty() { name.as_str() } else { stem };
        (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// A scope for type names, with the names generated code relies on reserved.
pub fn type_scope() -> Scope {
    Scope::with_reserved(RESERVED_TYPES)
}

/// An identifier token for validated identifier text.
///
/// The text always comes from [`upper_camel`], [`snake`] or a [`Scope`] built
/// on them, so it is a valid identifier and not a keyword.
pub fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_upper_camel_and_valid() {
        assert_eq!(
            upper_camel("managedDeviceMobileAppConfigurationUserStatus", "T"),
            "ManagedDeviceMobileAppConfigurationUserStatus"
        );
        assert_eq!(
            upper_camel("microsoft.graph.callRecords.modality", "T"),
            "MicrosoftGraphCallRecordsModality"
        );
        assert_eq!(upper_camel("3des", "T"), "V3des");
        assert_eq!(upper_camel("../../x", "T"), "X");
        assert_eq!(upper_camel("*/ fn x() {", "T"), "FnX");
        assert_eq!(upper_camel("", "Value"), "Value");
        assert_eq!(upper_camel("self", "T"), "Self_");
    }

    #[test]
    fn fields_are_snake_case_and_escape_keywords() {
        assert_eq!(snake("userDisplayName", "f"), "user_display_name");
        assert_eq!(snake("@odata.type", "f"), "odata_type");
        assert_eq!(snake("type", "f"), "type_");
        assert_eq!(snake("self", "f"), "self_");
        assert_eq!(snake("match", "f"), "match_");
        assert_eq!(snake("1stLine", "f"), "_1st_line");
        assert_eq!(snake("\"); } fn x() {", "f"), "fn_x");
        assert_eq!(snake("", "field"), "field");
    }

    #[test]
    fn scopes_keep_names_unique_in_order() {
        let mut scope = Scope::new();
        assert_eq!(scope.claim(snake("fooBar", "f"), "_"), "foo_bar");
        assert_eq!(scope.claim(snake("foo_bar", "f"), "_"), "foo_bar_2");
        assert_eq!(scope.claim(snake("FooBar", "f"), "_"), "foo_bar_3");
        // A keyword's escape numbers without a double underscore.
        assert_eq!(scope.claim(snake("self", "f"), "_"), "self_");
        assert_eq!(scope.claim(snake("self_", "f"), "_"), "self_2");
        let mut types = type_scope();
        assert_eq!(types.claim(upper_camel("string", "T"), ""), "String2");
    }

    #[test]
    fn every_produced_name_parses_as_an_identifier() {
        for raw in [
            "a-b",
            "ünïcode",
            "x y z",
            "_",
            "__",
            "9",
            "r#type",
            "Self",
            "crate",
            "💥",
        ] {
            for text in [upper_camel(raw, "T"), snake(raw, "f")] {
                assert!(
                    syn::parse_str::<syn::Ident>(&text).is_ok(),
                    "{raw:?} -> {text:?}"
                );
            }
        }
    }
}
