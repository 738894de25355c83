//! What a docs change does to the SDK's public API (`docgen check`,
//! `docgen diff`): one pair of docs folders per kind of change, each report a
//! reviewed snapshot.
//!
//! Each pair is `docs-input/` (our own pages) and a copy with one edit, made
//! here so the edit is the whole test case. Both are generated in memory and
//! their API read back from the Rust, as the command does.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use docgen::api::{self, Class, Kind, What};

/// Generates `docs` (as a standalone crate when `crate_name` is set) and
/// reads the API from the emitted Rust; with the pages read.
fn api_of(docs: &Path, crate_name: Option<&str>) -> (api::Api, BTreeSet<String>) {
    let mut config = docgen::Config::new();
    config.docs(docs);
    if let Some(name) = crate_name {
        config.crate_name(name);
    }
    let read = config.read().expect("read the docs");
    let emitted = config.emit(&read).expect("emit");
    let api = api::read(
        emitted
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_str())),
    );
    assert!(api.unreadable.is_empty(), "{:?}", api.unreadable);
    (api, read.pages())
}

/// The report between docs-input and a copy edited by `edit`.
fn case(crate_name: Option<&str>, edit: impl FnOnce(&Path)) -> api::Report {
    let dir = tempfile::tempdir().expect("temp dir");
    let new = dir.path().join("docs");
    copy_dir(&common::docs_input(), &new);
    edit(&new);
    let (before, _) = api_of(&common::docs_input(), crate_name);
    let (after, pages) = api_of(&new, crate_name);
    api::compare(&before, &after, Some(&pages))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read docs-input") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Replaces `from` (which must occur) with `to` in the page `page`.
fn replace(docs: &Path, page: &str, from: &str, to: &str) {
    let path = docs.join(page);
    let text = fs::read_to_string(&path).expect("page");
    assert!(text.contains(from), "{page} has no `{from}`");
    fs::write(&path, text.replace(from, to)).expect("write page");
}

/// The one change a case must produce, besides its snapshot.
fn only(report: &api::Report) -> &api::Change {
    assert_eq!(report.changes.len(), 1, "{}", api::render::text(report));
    &report.changes[0]
}

#[test]
fn property_added() {
    let report = case(None, |docs| {
        replace(
            docs,
            "resources/calendarentry.md",
            "|startDateTime|DateTimeOffset|When the entry, or its first occurrence, starts.|\n",
            "|startDateTime|DateTimeOffset|When the entry, or its first occurrence, starts.|\n\
             |isOnline|Boolean|Whether the entry is an online meeting.|\n",
        );
    });
    let c = only(&report);
    assert_eq!(
        (c.class, c.what, c.kind),
        (Class::PossiblyBreaking, What::Added, Kind::Field)
    );
    assert_eq!(c.item, "CalendarEntry.is_online");
    assert!(!report.breaks());
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn property_type_changed() {
    let report = case(None, |docs| {
        replace(
            docs,
            "resources/calendarentry.md",
            "|reminderMinutes|Int32|",
            "|reminderMinutes|Int64|",
        );
    });
    let c = only(&report);
    assert_eq!(
        (c.class, c.what, c.kind),
        (Class::Breaking, What::Changed, Kind::Field)
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("Option<i32>"), Some("Option<i64>"))
    );
    assert_eq!(c.pages, ["resources/calendarentry.md:30"]);
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn page_removed() {
    let report = case(None, |docs| {
        fs::remove_file(docs.join("api/team-clone.md")).expect("remove the page");
    });
    assert!(report.breaks());
    let removed: Vec<(Kind, &str)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.item.as_str()))
        .collect();
    assert_eq!(
        removed,
        [
            (
                Kind::Call,
                "client.teams().by_id(team_id).clone_action(body)"
            ),
            (Kind::Type, "CloneBody"),
        ]
    );
    assert!(
        report.changes.iter().all(|c| c.what == What::Removed
            && c.note.contains("its page `api/team-clone.md` was removed"))
    );
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn path_alternative_added() {
    let report = case(None, |docs| {
        replace(
            docs,
            "api/calendarentry-update.md",
            "PATCH /users/{id}/calendarEntries/{id}\n",
            "PATCH /me/calendarEntries/{id}\nPATCH /users/{id}/calendarEntries/{id}\n",
        );
    });
    let c = only(&report);
    assert_eq!(
        (c.class, c.what, c.kind),
        (Class::Compatible, What::Added, Kind::Call)
    );
    assert_eq!(
        c.item,
        "client.me().calendar_entries().by_id(id).update(body)"
    );
    assert_eq!(c.http.as_deref(), Some("PATCH /me/calendarEntries/{id}"));
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn enum_member_added() {
    let report = case(None, |docs| {
        replace(
            docs,
            "resources/importance.md",
            "|high|2|The entry needs attention soon.|\n",
            "|high|2|The entry needs attention soon.|\n|urgent|3|The entry needs attention now.|\n",
        );
    });
    let c = only(&report);
    assert_eq!(
        (c.class, c.what, c.kind),
        (Class::PossiblyBreaking, What::Added, Kind::Variant)
    );
    assert!(
        c.note.contains(r#"arrived as `UnknownValue("urgent")`"#),
        "{}",
        c.note
    );
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn type_renamed() {
    // Every page that names the type says the new name; the page file stays.
    let report = case(None, |docs| {
        for page in [
            "resources/calendarentry.md",
            "resources/entryrecurrence.md",
            "resources/importance.md",
            "api/calendarentry-update.md",
        ] {
            let path = docs.join(page);
            let text = fs::read_to_string(&path).expect("page");
            fs::write(&path, text.replace("calendarEntry", "calendarItem")).expect("write");
        }
    });
    let renamed: Vec<(Option<&str>, Option<&str>)> = report
        .changes
        .iter()
        .map(|c| {
            assert_eq!((c.class, c.what), (Class::Breaking, What::Renamed), "{c:?}");
            (c.old.as_deref(), c.new.as_deref())
        })
        .collect();
    // The type, and the member of `AnyEntity` named after it. Its fields,
    // and the call whose body and response it is, are not reported again.
    assert_eq!(
        renamed,
        [
            (Some("CalendarEntry"), Some("CalendarItem")),
            (
                Some("AnyEntity::CalendarEntry"),
                Some("AnyEntity::CalendarItem")
            ),
        ]
    );
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn page_moved_to_another_area() {
    // As a standalone crate, so the cargo features are compared too: the
    // type is still enabled by `outlook` (which uses it), so no build
    // loses it; only paths through the area's module change.
    let report = case(Some("sdk"), |docs| {
        replace(
            docs,
            "resources/entryrecurrence.md",
            "ms.prod: \"outlook\"",
            "ms.prod: \"intune\"",
        );
    });
    let c = only(&report);
    assert_eq!(
        (c.class, c.what, c.kind),
        (Class::PossiblyBreaking, What::Moved, Kind::Type)
    );
    assert_eq!(
        (c.old.as_deref(), c.new.as_deref()),
        (Some("models::outlook"), Some("models::intune"))
    );
    insta::assert_snapshot!(api::render::text(&report));
}

#[test]
fn markdown_and_json_forms() {
    let report = case(None, |docs| {
        replace(
            docs,
            "resources/calendarentry.md",
            "|reminderMinutes|Int32|",
            "|reminderMinutes|Int64|",
        );
        replace(
            docs,
            "resources/importance.md",
            "|high|2|The entry needs attention soon.|\n",
            "|high|2|The entry needs attention soon.|\n|urgent|3|The entry needs attention now.|\n",
        );
    });
    insta::assert_snapshot!("markdown", api::render::markdown(&report));
    let json: serde_json::Value =
        serde_json::from_str(&api::render::json(&report)).expect("the JSON form parses");
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["summary"]["possibly_breaking"], 1);
    assert_eq!(json["changes"][0]["class"], "breaking");
    assert_eq!(json["changes"][0]["kind"], "field");
    assert_eq!(json["changes"][0]["item"], "CalendarEntry.reminder_minutes");
    assert_eq!(
        json["changes"][0]["pages"][0],
        "resources/calendarentry.md:30"
    );
    assert_eq!(json["changes"][1]["what"], "added");
}

/// The calls read back from the code are exactly the chains `docgen
/// surface` derives from the URL tree: the two views cannot disagree.
#[test]
fn calls_read_from_the_code_are_the_surface() {
    let mut config = docgen::Config::new();
    config.docs(common::docs_input());
    let read = config.read().expect("read");
    let emitted = config.emit(&read).expect("emit");
    let api = api::read(
        emitted
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_str())),
    );
    let from_code: BTreeSet<(String, String, String)> = api
        .items
        .values()
        .filter(|i| i.kind == Kind::Call)
        .map(|i| {
            (
                i.display.clone(),
                i.http.clone().unwrap_or_default(),
                i.source.clone().unwrap_or_default(),
            )
        })
        .collect();
    let from_tree: BTreeSet<(String, String, String)> = emitted
        .surface
        .iter()
        .map(|c| {
            (
                c.call.clone(),
                format!("{} {}", c.method, c.path),
                c.source.clone(),
            )
        })
        .collect();
    assert_eq!(from_code, from_tree);
    assert_eq!(from_code.len(), 11);
}

/// On the whole v1.0 corpus: every call of the surface is read back from the
/// code, the API compared with itself has no changes, and nothing fails to
/// parse.
#[test]
fn the_v1_api_reads_back_whole() {
    if common::skip_without(common::Needs::Corpus, "the_v1_api_reads_back_whole") {
        return;
    }
    let mut config = docgen::Config::new();
    config.docs(common::graph_docs()).crate_name("graph-v1");
    let read = config.read().expect("read");
    let emitted = config.emit(&read).expect("emit");
    let api = api::read(
        emitted
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.contents.as_str())),
    );
    assert!(api.unreadable.is_empty(), "{:?}", api.unreadable);
    let calls: BTreeSet<(String, String)> = api
        .items
        .values()
        .filter(|i| i.kind == Kind::Call)
        .map(|i| (i.display.clone(), i.http.clone().unwrap_or_default()))
        .collect();
    let surface: BTreeSet<(String, String)> = emitted
        .surface
        .iter()
        .map(|c| (c.call.clone(), format!("{} {}", c.method, c.path)))
        .collect();
    let missing: Vec<_> = surface.difference(&calls).take(5).collect();
    let extra: Vec<_> = calls.difference(&surface).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "surface chains not read back: {missing:#?}\nread but not in the surface: {extra:#?}"
    );
    assert_eq!(calls.len(), surface.len());
    let types = api.items.values().filter(|i| i.kind == Kind::Type).count();
    assert!(types > 1_500, "{types} types");
    assert!(api::compare(&api, &api, None).is_empty());
}
