//! Property tests for the naming rules: whatever a page calls something, the
//! Rust name is a valid identifier, never a keyword, never one already given
//! in its scope, and the same every time.

use docgen::emit::names::{Scope, ident, snake, type_scope, upper_camel};
use proptest::prelude::*;

/// Names as pages write them: any text, often name-like, sometimes hostile.
fn page_name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z_][a-zA-Z0-9_]{0,20}",
        "[a-z]+([A-Z][a-z]*){0,3}",
        "[0-9@#$.\\-/ \"{}();*]{1,12}[a-zA-Z]{0,6}",
        prop::sample::select(vec![
            "type",
            "self",
            "Self",
            "match",
            "crate",
            "super",
            "async",
            "r#type",
            "_",
            "__",
            "fooBar",
            "foo_bar",
            "FooBar",
            "../../x",
            "\"); } fn x() {",
            "*/",
            "\u{202e}x",
        ])
        .prop_map(str::to_owned),
    ]
}

fn is_identifier(text: &str) -> bool {
    syn::parse_str::<syn::Ident>(text).is_ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn every_name_is_a_valid_identifier(raw in page_name()) {
        for text in [upper_camel(&raw, "T"), snake(&raw, "f")] {
            prop_assert!(is_identifier(&text), "{raw:?} -> {text:?}");
            // `ident` builds the token without panicking.
            let _ = ident(&text);
        }
    }

    #[test]
    fn names_are_stable(raw in page_name()) {
        prop_assert_eq!(upper_camel(&raw, "T"), upper_camel(&raw, "T"));
        prop_assert_eq!(snake(&raw, "f"), snake(&raw, "f"));
    }

    #[test]
    fn a_scope_never_gives_a_name_twice(raws in prop::collection::vec(page_name(), 1..40)) {
        let mut fields = Scope::new();
        let mut types = type_scope();
        let mut seen_fields = std::collections::HashSet::new();
        let mut seen_types = std::collections::HashSet::new();
        for raw in &raws {
            let field = fields.claim(snake(raw, "f"), "_");
            prop_assert!(is_identifier(&field), "{field:?}");
            prop_assert!(seen_fields.insert(field.clone()), "{field} given twice");
            let ty = types.claim(upper_camel(raw, "T"), "");
            prop_assert!(is_identifier(&ty), "{ty:?}");
            prop_assert!(seen_types.insert(ty.clone()), "{ty} given twice");
            // Names the generated code relies on are never given to a page's type.
            prop_assert!(!["Option", "String", "Vec", "Result", "Box", "Client"].contains(&ty.as_str()));
        }
        // The same names in the same order give the same result.
        let mut again = Scope::new();
        let replay: Vec<String> = raws.iter().map(|r| again.claim(snake(r, "f"), "_")).collect();
        let mut first = Scope::new();
        let original: Vec<String> = raws.iter().map(|r| first.claim(snake(r, "f"), "_")).collect();
        prop_assert_eq!(replay, original);
    }
}
