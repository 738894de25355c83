//! Classifying what differs between two APIs, by what it does to callers.
//!
//! The rules follow cargo's semver reference, for code generated the way
//! docgen writes it:
//! - **breaking**: something callers name is gone or different: a removed
//!   or renamed type, field, enum member or call; a changed field type,
//!   member payload, parameter or return type; an item that needs another
//!   cargo feature than before.
//! - **possibly breaking**: additions that break only code written a
//!   certain way: a field (struct literals and patterns that list every
//!   field), an enum member (an exhaustive `match`), a type moved to another
//!   area (paths through the area's module; `models::Type` keeps working).
//! - **compatible**: a new type or call, or a call that requests another URL
//!   with the same signature.
//!
//! The members of an added or removed type are not listed one by one: the
//! type's entry counts them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Api, Item, Kind};

/// How a change affects code that uses the SDK.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Callers' code stops compiling (or, for a feature, builds lose it).
    Breaking,
    /// Only code written a certain way stops compiling; the note says which.
    PossiblyBreaking,
    /// Callers' code keeps compiling.
    Compatible,
}

impl Class {
    /// The heading the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::PossiblyBreaking => "possibly breaking",
            Class::Compatible => "compatible",
        }
    }
}

/// What happened to the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    Added,
    Removed,
    Changed,
    Renamed,
    Moved,
}

impl What {
    /// The verb the report uses.
    pub fn as_str(self) -> &'static str {
        match self {
            What::Added => "added",
            What::Removed => "removed",
            What::Changed => "changed",
            What::Renamed => "renamed",
            What::Moved => "moved",
        }
    }
}

/// One difference, with the page(s) that caused it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    pub what: What,
    pub kind: Kind,
    /// The item as callers write it (new name for a rename).
    pub item: String,
    /// The old form, where it differs: a type, a signature, a name, a module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The new form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// For a call: the request, `GET /users/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// What it means for callers, in a sentence; empty when the class says it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The pages, `page:line`: the new page, then the old where it differs
    /// (the only one for what was removed).
    pub pages: Vec<String>,
}

/// Everything that differs, most severe first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Counts per class.
    pub summary: Summary,
    pub changes: Vec<Change>,
    /// Files of either side whose Rust did not parse, left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}

/// Counts per class, and of the public items on each side.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub breaking: usize,
    pub possibly_breaking: usize,
    pub compatible: usize,
    pub items_before: usize,
    pub items_after: usize,
}

impl Report {
    /// Whether anything breaks callers (what `--deny-breaking` fails on).
    pub fn breaks(&self) -> bool {
        self.summary.breaking > 0
    }

    /// Whether the APIs differ at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// What changed from `old` to `new`. `new_pages`, when known, are the pages
/// of the new docs: an item whose page is not among them is reported as
/// coming from a page that was removed.
pub fn compare(old: &Api, new: &Api, new_pages: Option<&BTreeSet<String>>) -> Report {
    let renames = renamed_types(old, new);
    let renamed_to: BTreeSet<&str> = renames.values().map(String::as_str).collect();
    let mut changes = Vec::new();
    let children = count_children(old);
    let new_children = count_children(new);

    // The new keys that an old item was matched with (under a new name).
    let mut matched: BTreeSet<String> = BTreeSet::new();
    for (key, before) in &old.items {
        let key_now = renamed_key(before, &renames).unwrap_or_else(|| key.clone());
        match new.items.get(&key_now) {
            Some(after) => {
                matched.insert(key_now.clone());
                if key_now != *key && matches!(before.kind, Kind::Type | Kind::Variant) {
                    changes.push(Change {
                        class: Class::Breaking,
                        what: What::Renamed,
                        kind: before.kind,
                        item: key_now.clone(),
                        old: Some(key.clone()),
                        new: Some(key_now.clone()),
                        http: None,
                        note: format!("code naming `{key}` must name `{key_now}`"),
                        pages: pages(Some(after), Some(before)),
                    });
                }
                let mut before = before.clone();
                before.signature = renamed_in(&before.signature, &renames);
                changed(&before, after, &mut changes);
            }
            None => {
                let parent_gone = before
                    .parent
                    .as_ref()
                    .is_some_and(|p| !new.items.contains_key(p) && !renames.contains_key(p));
                if parent_gone {
                    continue;
                }
                let mut note = String::new();
                if before.kind == Kind::Type && children.get(key).is_some_and(|n| *n > 0) {
                    note = members_note(before, children[key]);
                }
                if let (Some(page), Some(pages)) = (before.page(), new_pages)
                    && !pages.contains(page)
                {
                    note = join(&note, &format!("its page `{page}` was removed"));
                }
                changes.push(Change {
                    class: Class::Breaking,
                    what: What::Removed,
                    kind: before.kind,
                    item: before.display.clone(),
                    old: (before.kind != Kind::Type).then(|| before.signature.clone()),
                    new: None,
                    http: before.http.clone(),
                    note,
                    pages: pages(None, Some(before)),
                });
            }
        }
    }

    for (key, after) in &new.items {
        if old.items.contains_key(key) || matched.contains(key) {
            continue;
        }
        let parent_new = after
            .parent
            .as_ref()
            .is_some_and(|p| !old.items.contains_key(p) && !renamed_to.contains(p.as_str()));
        if parent_new {
            continue;
        }
        let (class, note) = match after.kind {
            Kind::Type => (
                Class::Compatible,
                new_children
                    .get(key)
                    .filter(|n| **n > 0)
                    .map(|n| members_note(after, *n))
                    .unwrap_or_default(),
            ),
            Kind::Call => (Class::Compatible, String::new()),
            Kind::Field => (Class::PossiblyBreaking, field_note(after, new)),
            Kind::Variant => (Class::PossiblyBreaking, variant_note(after)),
        };
        changes.push(Change {
            class,
            what: What::Added,
            kind: after.kind,
            item: after.display.clone(),
            old: None,
            new: (after.kind != Kind::Type).then(|| after.signature.clone()),
            http: after.http.clone(),
            note,
            pages: pages(Some(after), None),
        });
    }

    changes.sort_by(|a, b| {
        (a.class, kind_order(a.kind), &a.item, a.what).cmp(&(
            b.class,
            kind_order(b.kind),
            &b.item,
            b.what,
        ))
    });
    let mut summary = Summary {
        items_before: old.items.len(),
        items_after: new.items.len(),
        ..Summary::default()
    };
    for c in &changes {
        match c.class {
            Class::Breaking => summary.breaking += 1,
            Class::PossiblyBreaking => summary.possibly_breaking += 1,
            Class::Compatible => summary.compatible += 1,
        }
    }
    let mut unreadable: Vec<String> = old
        .unreadable
        .iter()
        .map(|f| format!("before: {f}"))
        .chain(new.unreadable.iter().map(|f| format!("after: {f}")))
        .collect();
    unreadable.sort();
    Report {
        summary,
        changes,
        unreadable,
    }
}

/// Calls first (what callers write most), then types, fields, members.
fn kind_order(kind: Kind) -> u8 {
    match kind {
        Kind::Call => 0,
        Kind::Type => 1,
        Kind::Field => 2,
        Kind::Variant => 3,
    }
}

/// The differences of an item present on both sides.
fn changed(before: &Item, after: &Item, changes: &mut Vec<Change>) {
    let mut push = |class, what, old: String, new: String, note: String| {
        changes.push(Change {
            class,
            what,
            kind: after.kind,
            item: after.display.clone(),
            // A change of request has the requests as its old and new forms.
            http: after.http.clone().filter(|http| *http != new),
            old: Some(old),
            new: Some(new),
            note,
            pages: pages(Some(after), Some(before)),
        });
    };
    if before.signature != after.signature {
        let note = match after.kind {
            Kind::Type => "a struct became an enum, or the reverse".to_owned(),
            Kind::Field => "code reading or setting the field sees another type".to_owned(),
            Kind::Variant => "code building or matching the member sees another payload".to_owned(),
            Kind::Call => "the call takes or returns other types".to_owned(),
        };
        push(
            Class::Breaking,
            What::Changed,
            before.signature.clone(),
            after.signature.clone(),
            note,
        );
    } else if before.http != after.http
        && let (Some(old), Some(new)) = (&before.http, &after.http)
    {
        push(
            Class::Compatible,
            What::Changed,
            old.clone(),
            new.clone(),
            "the same call requests another URL".to_owned(),
        );
    }
    if after.kind == Kind::Type && before.module != after.module {
        push(
            Class::PossiblyBreaking,
            What::Moved,
            before.module.clone(),
            after.module.clone(),
            format!(
                "code naming `{}::{}` must name `{}::{}`; `models::{}` keeps working",
                before.module, after.key, after.module, after.key, after.key
            ),
        );
    }
    let lost: Vec<&String> = before
        .features
        .iter()
        .filter(|f| !after.features.contains(f))
        .collect();
    // Only reported on types and calls: a field or member follows its type.
    if !lost.is_empty() && matches!(after.kind, Kind::Type | Kind::Call) {
        let quoted = |fs: &[String]| {
            fs.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        push(
            Class::Breaking,
            What::Changed,
            format!("feature {}", quoted(&before.features)),
            format!("feature {}", quoted(&after.features)),
            format!(
                "builds enabling only {} lose it",
                quoted(&lost.into_iter().cloned().collect::<Vec<_>>())
            ),
        );
    }
}

/// Old type key → new type key, for a removed and an added type that are
/// the same one under another name: documented on the same page, or with
/// the same fields. Only unambiguous pairs count.
fn renamed_types(old: &Api, new: &Api) -> BTreeMap<String, String> {
    let removed: Vec<&Item> = old
        .items
        .values()
        .filter(|i| i.kind == Kind::Type && !new.items.contains_key(&i.key))
        .collect();
    let added: Vec<&Item> = new
        .items
        .values()
        .filter(|i| i.kind == Kind::Type && !old.items.contains_key(&i.key))
        .collect();
    // Each type's members, gathered once: a big diff has thousands of
    // added types to try against each removed one.
    let members_of = |api: &Api| -> BTreeMap<String, BTreeSet<String>> {
        let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for item in api.items.values() {
            if let Some(parent) = &item.parent {
                out.entry(parent.clone()).or_default().insert(format!(
                    "{}:{}",
                    member_name(item),
                    item.signature
                ));
            }
        }
        out
    };
    let (old_members, new_members) = (members_of(old), members_of(new));
    let mut pairs = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for r in &removed {
        let r_fields = old_members.get(&r.key).filter(|f| !f.is_empty());
        let candidates: Vec<&&Item> = added
            .iter()
            .filter(|a| a.signature == r.signature && !taken.contains(&a.key))
            .filter(|a| {
                let same_page = r.page().is_some() && r.page() == a.page();
                let same_fields = r_fields.is_some() && r_fields == new_members.get(&a.key);
                same_page || same_fields
            })
            .collect();
        if let [only] = candidates.as_slice() {
            taken.insert(only.key.clone());
            pairs.insert(r.key.clone(), only.key.clone());
        }
    }
    pairs
}

/// The key an item of a renamed type has now: the type itself, its fields
/// and members, and the member of an `Any…` enum named after it.
fn renamed_key(item: &Item, renames: &BTreeMap<String, String>) -> Option<String> {
    if item.kind == Kind::Type {
        return renames.get(&item.key).cloned();
    }
    let parent = item.parent.as_deref()?;
    let new_parent = renames.get(parent).map_or(parent, String::as_str);
    let member = member_name(item);
    let new_member = match item.kind {
        Kind::Variant => renames.get(member).map_or(member, String::as_str),
        _ => member,
    };
    (new_parent != parent || new_member != member).then(|| match item.kind {
        Kind::Variant => format!("{new_parent}::{new_member}"),
        _ => format!("{new_parent}.{new_member}"),
    })
}

/// A signature with renamed types written under their new names, so a
/// rename is reported once, not again at every use.
fn renamed_in(signature: &str, renames: &BTreeMap<String, String>) -> String {
    if renames.is_empty() {
        return signature.to_owned();
    }
    let mut out = String::with_capacity(signature.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(
            renames
                .get(word.as_str())
                .map_or(word.as_str(), String::as_str),
        );
        word.clear();
    };
    for c in signature.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The part of a key after its parent: `subject`, `Low`.
fn member_name(item: &Item) -> &str {
    let parent_len = item.parent.as_deref().map_or(0, str::len);
    item.key
        .get(parent_len..)
        .map(|rest| rest.trim_start_matches(['.', ':']))
        .unwrap_or(&item.key)
}

fn count_children(api: &Api) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for item in api.items.values() {
        if let Some(parent) = &item.parent {
            *out.entry(parent.clone()).or_default() += 1;
        }
    }
    out
}

fn members_note(item: &Item, n: usize) -> String {
    let what = if item.signature == "enum" {
        "member"
    } else {
        "field"
    };
    format!("with {n} {what}{}", if n == 1 { "" } else { "s" })
}

fn field_note(field: &Item, new: &Api) -> String {
    let parent = field.parent.as_deref().unwrap_or("");
    let literal = if new.items.get(parent).is_some_and(|p| p.has_default) {
        format!("`{parent} {{ .., ..Default::default() }}` keeps working")
    } else {
        "literals with `..` keep working".to_owned()
    };
    format!(
        "breaks only struct literals and patterns that list every field of `{parent}`; {literal}"
    )
}

fn variant_note(variant: &Item) -> String {
    let parent = variant.parent.as_deref().unwrap_or("");
    match &variant.wire_name {
        Some(wire) => format!(
            "an exhaustive `match` on `{parent}` needs an arm for it; `\"{wire}\"` arrived as `UnknownValue(\"{wire}\")` before"
        ),
        None => format!(
            "an exhaustive `match` on `{parent}` needs an arm for it; values of this type arrived as the base type's variant before"
        ),
    }
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_owned()
    } else {
        format!("{a}; {b}")
    }
}

/// The pages to name: the new one, then the old one if it is another.
fn pages(after: Option<&Item>, before: Option<&Item>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(source) = after.and_then(|a| a.source.clone()) {
        out.push(source);
    }
    if let Some(source) = before.and_then(|b| b.source.clone())
        && !out.contains(&source)
    {
        out.push(source);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::read;

    fn api(models: &str) -> Api {
        read([("models/outlook.rs", models)])
    }

    const BASE: &str = r#"
/// `calendarEntry` (entity).
///
/// Documented in `resources/calendarentry.md:10`.
#[derive(Clone, Default)]
pub struct CalendarEntry {
    /// Documented in `resources/calendarentry.md:25`.
    pub subject: Option<String>,
    /// Documented in `resources/calendarentry.md:26`.
    pub minutes: Option<i32>,
}
/// `importance`
///
/// Documented in `resources/importance.md:3`.
pub enum Importance {
    /// `low`
    Low,
    UnknownValue(String),
}
"#;

    #[test]
    fn the_same_api_has_no_changes() {
        let report = compare(&api(BASE), &api(BASE), None);
        assert!(report.is_empty(), "{report:#?}");
        assert!(!report.breaks());
    }

    #[test]
    fn a_changed_field_type_breaks_and_names_its_page() {
        let after = BASE.replace("minutes: Option<i32>", "minutes: Option<i64>");
        let report = compare(&api(BASE), &api(&after), None);
        assert_eq!(report.changes.len(), 1, "{report:#?}");
        let c = &report.changes[0];
        assert_eq!(
            (c.class, c.what, c.kind),
            (Class::Breaking, What::Changed, Kind::Field)
        );
        assert_eq!(c.item, "CalendarEntry.minutes");
        assert_eq!(c.old.as_deref(), Some("Option<i32>"));
        assert_eq!(c.new.as_deref(), Some("Option<i64>"));
        assert_eq!(c.pages, ["resources/calendarentry.md:26"]);
        assert!(report.breaks());
    }

    #[test]
    fn an_added_member_may_break_exhaustive_matches() {
        let after = BASE.replace("    Low,\n", "    Low,\n    /// `high`\n    High,\n");
        let report = compare(&api(BASE), &api(&after), None);
        let c = &report.changes[0];
        assert_eq!((c.class, c.what), (Class::PossiblyBreaking, What::Added));
        assert_eq!(c.item, "Importance::High");
        assert!(c.note.contains(r#"UnknownValue("high")"#), "{}", c.note);
        assert!(!report.breaks());
    }

    #[test]
    fn a_renamed_type_is_one_rename_not_a_removal_and_an_addition() {
        let after = BASE
            .replace("pub struct CalendarEntry", "pub struct CalendarItem")
            .replace("`calendarEntry`", "`calendarItem`");
        let report = compare(&api(BASE), &api(&after), None);
        assert_eq!(report.changes.len(), 1, "{report:#?}");
        let c = &report.changes[0];
        assert_eq!((c.class, c.what), (Class::Breaking, What::Renamed));
        assert_eq!(c.old.as_deref(), Some("CalendarEntry"));
        assert_eq!(c.new.as_deref(), Some("CalendarItem"));
    }

    #[test]
    fn an_item_needing_another_feature_breaks_builds_without_it() {
        let with = |cfg: &str| {
            BASE.replace(
                "pub enum Importance",
                &format!("{cfg}\npub enum Importance"),
            )
        };
        let before = api(&with(r#"#[cfg(feature = "outlook")]"#));
        let wider = api(&with(
            r#"#[cfg(any(feature = "intune", feature = "outlook"))]"#,
        ));
        let moved = api(&with(r#"#[cfg(feature = "intune")]"#));
        assert!(
            compare(&before, &wider, None).is_empty(),
            "one more feature enables it"
        );
        let report = compare(&before, &moved, None);
        let c = &report.changes[0];
        assert_eq!(
            (c.class, c.what, c.kind),
            (Class::Breaking, What::Changed, Kind::Type)
        );
        assert_eq!(c.old.as_deref(), Some("feature `outlook`"));
        assert_eq!(c.new.as_deref(), Some("feature `intune`"));
        assert_eq!(c.note, "builds enabling only `outlook` lose it");
    }

    #[test]
    fn a_call_requesting_another_path_is_compatible() {
        let paths = |path: &str| {
            format!(
                "pub struct Teams<'a>(runtime::Node<'a>);\n\
                 impl<'a> Teams<'a> {{\n\
                 /// GET `{path}`\n\
                 pub fn list(&self) -> runtime::Request<()> {{ todo!() }}\n}}\n\
                 impl super::super::Client {{\n\
                 /// Requests under `{path}`: see [`Teams`].\n\
                 pub fn teams(&self) -> Teams<'_> {{ todo!() }}\n}}\n"
            )
        };
        let (old, new) = (paths("/teams"), paths("/groups"));
        let report = compare(
            &read([("paths/teams.rs", old.as_str())]),
            &read([("paths/teams.rs", new.as_str())]),
            None,
        );
        assert_eq!(report.changes.len(), 1, "{report:#?}");
        let c = &report.changes[0];
        assert_eq!(
            (c.class, c.what, c.kind),
            (Class::Compatible, What::Changed, Kind::Call)
        );
        assert_eq!(c.old.as_deref(), Some("GET /teams"));
        assert_eq!(c.new.as_deref(), Some("GET /groups"));
        assert_eq!(c.http, None);
    }

    #[test]
    fn a_removed_type_counts_its_fields_and_says_its_page_is_gone() {
        let after = BASE
            .split("/// `importance`")
            .nth(1)
            .map(|rest| format!("/// `importance`{rest}"));
        let after = after.expect("the enum");
        let pages: BTreeSet<String> = ["resources/importance.md".to_owned()].into();
        let report = compare(&api(BASE), &api(&after), Some(&pages));
        assert_eq!(report.changes.len(), 1, "{report:#?}");
        let c = &report.changes[0];
        assert_eq!(
            (c.class, c.what, c.kind),
            (Class::Breaking, What::Removed, Kind::Type)
        );
        assert_eq!(
            c.note,
            "with 2 fields; its page `resources/calendarentry.md` was removed"
        );
    }
}
