//! `docgen check` and `docgen diff` speaking API: the summary before the
//! diff, the JSON and Markdown forms, and the exit codes of `--deny-breaking`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn docgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("docgen runs")
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of docs-input with `from` replaced by `to` in `page`.
fn edited_docs(dir: &Path, page: &str, from: &str, to: &str) -> PathBuf {
    let docs = dir.join("docs");
    copy_dir(&workspace().join("docs-input"), &docs);
    let path = docs.join(page);
    let page_text = fs::read_to_string(&path).expect("page");
    assert!(page_text.contains(from), "{page} has no `{from}`");
    fs::write(&path, page_text.replace(from, to)).expect("write");
    docs
}

const ADD_MEMBER: (&str, &str, &str) = (
    "resources/importance.md",
    "|high|2|The entry needs attention soon.|\n",
    "|high|2|The entry needs attention soon.|\n|urgent|3|The entry needs attention now.|\n",
);
const CHANGE_TYPE: (&str, &str, &str) = (
    "resources/calendarentry.md",
    "|reminderMinutes|Int32|",
    "|reminderMinutes|Int64|",
);

fn check(docs: &Path, extra: &[&str]) -> Output {
    let generated = workspace().join("generated");
    let mut args = vec![
        "check",
        "--docs",
        docs.to_str().expect("utf-8 path"),
        "--out",
        generated.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    docgen(&args)
}

#[test]
fn a_stale_tree_gets_the_api_summary_before_the_diff() {
    let dir = tempfile::tempdir().expect("temp");
    let (page, from, to) = CHANGE_TYPE;
    let docs = edited_docs(dir.path(), page, from, to);
    let out = check(&docs, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("API changes: 1 breaking, 0 possibly breaking, 0 compatible"),
        "{stdout}"
    );
    let summary_at = stdout
        .find("changed field `CalendarEntry.reminder_minutes`: `Option<i32>` → `Option<i64>`")
        .expect("the change");
    let diff_at = stdout
        .find("--- a/models/outlook.rs")
        .expect("the diff follows");
    assert!(summary_at < diff_at);
    assert!(
        stdout.contains("page: resources/calendarentry.md:30"),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("1 breaking"),
        "{}",
        text(&out.stderr)
    );
    // Breaking: --deny-breaking fails too.
    assert_eq!(check(&docs, &["--deny-breaking"]).status.code(), Some(1));
}

#[test]
fn deny_breaking_passes_a_stale_tree_whose_changes_do_not_break() {
    let dir = tempfile::tempdir().expect("temp");
    let (page, from, to) = ADD_MEMBER;
    let docs = edited_docs(dir.path(), page, from, to);
    // Stale: plain `check` fails.
    assert_eq!(check(&docs, &[]).status.code(), Some(1));
    let out = check(&docs, &["--deny-breaking"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("possibly breaking (1):"));
}

#[test]
fn check_json_has_the_api_and_the_files() {
    let dir = tempfile::tempdir().expect("temp");
    let (page, from, to) = CHANGE_TYPE;
    let docs = edited_docs(dir.path(), page, from, to);
    let out = check(&docs, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(json["up_to_date"], false);
    assert_eq!(json["api"]["summary"]["breaking"], 1);
    assert_eq!(
        json["api"]["changes"][0]["item"],
        "CalendarEntry.reminder_minutes"
    );
    assert_eq!(json["api"]["changes"][0]["old"], "Option<i32>");
    let files = json["files"].as_array().expect("files");
    assert!(
        files
            .iter()
            .any(|f| f["path"] == "models/outlook.rs" && f["state"] == "changed"),
        "{files:?}"
    );
    assert!(
        json["fix"]
            .as_str()
            .is_some_and(|f| f.starts_with("docgen generate"))
    );

    // Up to date: the same shape, and exit 0.
    let ours = workspace().join("docs-input");
    let out = check(&ours, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["up_to_date"], true);
}

#[test]
fn diff_of_two_docs_folders_in_markdown_and_of_two_trees() {
    let dir = tempfile::tempdir().expect("temp");
    let (page, from, to) = ADD_MEMBER;
    let docs = edited_docs(dir.path(), page, from, to);
    let ours = workspace().join("docs-input");
    let (old, new) = (ours.to_str().expect("path"), docs.to_str().expect("path"));
    let out = docgen(&["diff", "--docs", old, "--docs", new, "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(
        md.starts_with("### API changes: 0 breaking, 1 possibly breaking"),
        "{md}"
    );
    assert!(
        md.contains("| added enum member `Importance::Urgent` |"),
        "{md}"
    );

    // Two generated trees: the committed one and one generated from the copy.
    let tree = dir.path().join("tree");
    let generate = docgen(&[
        "generate",
        "--docs",
        new,
        "--out",
        tree.to_str().expect("path"),
    ]);
    assert_eq!(
        generate.status.code(),
        Some(0),
        "{}",
        text(&generate.stderr)
    );
    let committed = workspace().join("generated");
    let out = docgen(&[
        "diff",
        "--out",
        committed.to_str().expect("path"),
        "--out",
        tree.to_str().expect("path"),
        "--format",
        "json",
        "--deny-breaking",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["summary"]["possibly_breaking"], 1);
    assert_eq!(json["changes"][0]["item"], "Importance::Urgent");

    // The reverse breaks: the member is removed.
    let out = docgen(&["diff", "--docs", new, "--docs", old, "--deny-breaking"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("removed enum member `Importance::Urgent`"));
}

#[test]
fn diff_needs_two_of_a_kind() {
    let ours = workspace().join("docs-input");
    let out = docgen(&["diff", "--docs", ours.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("give two docs folders"),
        "{}",
        text(&out.stderr)
    );
    let out = docgen(&["diff", "--out", "/nonexistent/a", "--out", "/nonexistent/b"]);
    assert_eq!(out.status.code(), Some(2));
}
