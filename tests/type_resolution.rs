//! How a Type cell's name becomes a type: one test per rule, on pages of our
//! own in `tests/fixtures/types/` (a conversation whose cells spell types every
//! way the Graph docs do).
//!
//! - The link text and the anchor name the type; the file is a hint
//!   (`[conversationKind](conversation.md#conversationkind-values)` is the enum).
//! - A primitive spelling written without a link is the primitive (`Timestamp`).
//! - A primitive spelling linked to the page of the type of that name is the
//!   type (`[timeStamp](timestamp.md)`); linked to another type's page it stays
//!   the primitive, with `type-link-mismatch`.
//! - Where the name and the link's file disagree, the JSON representation
//!   decides; failing that the written name, with `type-link-mismatch`.
//! - In prose ("returns a [person](member.md) object") the file wins.
//! - An exact-case name beats a case-insensitive one.

use std::path::PathBuf;

use docgen::Code;
use docgen::ir::{Ir, Property, ResolvedBy, TypeRef};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/types")
}

fn read() -> docgen::Docs {
    docgen::read_docs(&[fixture()]).expect("fixture is readable")
}

fn property<'a>(ir: &'a Ir, ty: &str, name: &str) -> &'a Property {
    ir.type_named(ty)
        .unwrap_or_else(|| panic!("no type {ty}"))
        .properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no property {ty}.{name}"))
}

fn typed(ir: &Ir, ty: &str, name: &str) -> (String, Option<ResolvedBy>) {
    let p = property(ir, ty, name);
    (p.ty.name.clone(), p.resolution.as_ref().map(|r| r.by))
}

/// The `type-link-mismatch` findings as (line, message, note).
fn mismatches(docs: &docgen::Docs) -> Vec<(usize, String, String)> {
    docs.diagnostics
        .iter()
        .filter(|d| d.code == Code::TypeLinkMismatch)
        .map(|d| {
            let location = docs.sources.location(&d.span);
            let line = location
                .rsplit(':')
                .nth(1)
                .and_then(|l| l.parse().ok())
                .unwrap_or(0);
            (line, d.message.clone(), d.notes.join(" "))
        })
        .collect()
}

#[test]
fn an_anchor_names_the_enum_on_the_linked_page_not_the_page_type() {
    let docs = read();
    let kind = property(&docs.ir, "conversation", "kind");
    assert_eq!(kind.ty.name, "conversationKind");
    assert_eq!(
        kind.resolution.as_ref().map(|r| r.by),
        Some(ResolvedBy::Anchor)
    );
    let members: Vec<&str> = docs
        .ir
        .type_named("conversationKind")
        .expect("enum")
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(members, ["group", "oneOnOne", "unknownFutureValue"]);
}

#[test]
fn a_primitive_spelling_without_a_link_is_the_primitive() {
    let ir = read().ir;
    // `timeStamp` is a complex type here too; an unlinked `Timestamp` is not it.
    assert!(ir.type_named("timeStamp").is_some());
    assert_eq!(
        typed(&ir, "conversation", "startedDateTime"),
        ("DateTimeOffset".into(), None)
    );
    assert_eq!(typed(&ir, "conversation", "size"), ("Int64".into(), None));
}

#[test]
fn a_link_to_the_page_of_the_type_so_named_makes_it_the_type() {
    let ir = read().ir;
    for name in ["clock", "stamp"] {
        assert_eq!(
            typed(&ir, "conversation", name),
            ("timeStamp".into(), Some(ResolvedBy::LinkedPage)),
            "{name}"
        );
    }
}

#[test]
fn a_primitive_linked_to_another_types_page_stays_primitive_and_is_reported() {
    let docs = read();
    assert_eq!(
        typed(&docs.ir, "conversation", "editedDateTime"),
        ("DateTimeOffset".into(), Some(ResolvedBy::PrimitiveOverLink))
    );
    let found = mismatches(&docs);
    assert!(
        found.iter().any(|(line, message, _)| *line == 22
            && message.contains("`DateTimeOffset`")
            && message.contains("`timeStamp`")),
        "{found:?}"
    );
}

#[test]
fn the_json_representation_decides_between_name_and_link() {
    let docs = read();
    let host = property(&docs.ir, "conversation", "host");
    assert_eq!(host.ty.name, "member", "the JSON sides with the link");
    let guest = property(&docs.ir, "conversation", "guest");
    assert_eq!(
        guest.ty,
        TypeRef {
            name: "guest".into(),
            collection: true
        },
        "the JSON sides with the name"
    );
    for p in [host, guest] {
        let r = p.resolution.as_ref().expect("resolution recorded");
        assert_eq!(r.by, ResolvedBy::JsonRepresentation);
        assert_eq!(r.link_type.as_deref(), Some("member"));
    }
    let found = mismatches(&docs);
    for (line, used) in [(25, "member"), (26, "guest")] {
        assert!(
            found.iter().any(|(l, _, note)| *l == line
                && note.contains(&format!("docgen used `{used}`"))
                && note.contains("JSON representation")),
            "line {line}: {found:?}"
        );
    }
}

#[test]
fn when_nothing_decides_the_written_name_wins_and_is_reported() {
    let docs = read();
    assert_eq!(
        typed(&docs.ir, "conversation", "owner"),
        ("person".into(), Some(ResolvedBy::NameOverLink))
    );
    let found = mismatches(&docs);
    assert!(
        found.iter().any(|(line, message, note)| *line == 27
            && message.contains("`person`")
            && message.contains("`member`")
            && note.contains("nothing on the page decides")),
        "{found:?}"
    );
    // Exactly the four cells above are doubtful or contradicted.
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn in_prose_the_link_wins_over_the_word() {
    let ir = read().ir;
    let op = ir
        .operations
        .iter()
        .find(|o| o.paths.iter().any(|p| p.path == "/conversations/{id}/host"))
        .expect("operation");
    let ty = op
        .response
        .as_ref()
        .and_then(|r| r.ty.as_ref())
        .expect("typed");
    assert_eq!(ty.name, "member");
}

#[test]
fn an_exact_name_beats_one_that_matches_only_up_to_case() {
    let ir = read().ir;
    // On a page of namespace `microsoft.graph.tests`, which has a `Widget`:
    // `widget` is exactly the Graph namespace's, `Widget` exactly this one's.
    assert_eq!(
        typed(&ir, "microsoft.graph.tests.gadget", "part").0,
        "widget"
    );
    assert_eq!(
        typed(&ir, "microsoft.graph.tests.gadget", "other").0,
        "microsoft.graph.tests.Widget"
    );
}

#[test]
fn the_ir_json_says_how_each_type_was_read() {
    let docs = read();
    let json = docgen::ir::to_json(&docs.ir, &docs.diagnostics, &docs.sources);
    let conversation = json["types"]
        .as_array()
        .and_then(|types| types.iter().find(|t| t["name"] == "conversation"))
        .expect("conversation");
    let owner = conversation["properties"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "owner"))
        .expect("owner");
    assert_eq!(
        owner["resolution"],
        serde_json::json!({"written": "person", "by": "name-over-link", "link_type": "member"})
    );
    let id = conversation["properties"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "id"))
        .expect("id");
    assert!(id.get("resolution").is_none(), "plain names carry nothing");
}
