//! Our own pages in `docs-input/`: clean, snapshotted, and `generated/` kept in step.

mod common;

use std::path::Path;

use docgen::output::Stale;

fn read() -> docgen::Docs {
    docgen::read_docs(&[common::docs_input()]).expect("docs-input is readable")
}

#[test]
fn docs_input_pages_have_no_defects() {
    let docs = read();
    let rendered: Vec<String> = docs
        .diagnostics
        .iter()
        .map(|d| docgen::diag::render::human(d, &docs.sources, false))
        .collect();
    assert!(rendered.is_empty(), "{}", rendered.join("\n"));
    assert_eq!(docs.ir.types.len(), 5);
    assert_eq!(docs.ir.operations.len(), 8);
    // Every operation has a documented request and response example.
    for op in &docs.ir.operations {
        assert!(
            op.examples
                .iter()
                .any(|e| e.request.is_some() && e.response.is_some()),
            "{} has no example pair",
            op.name
        );
    }
}

#[test]
fn docs_input_snapshots() {
    let docs = read();
    let root = common::docs_input();
    insta::assert_snapshot!(
        "ir_docs_input",
        common::stable_json(&docs.to_json(), &root, "docs-input")
    );
    let emitted = docgen::Config::new().emit(&docs).expect("emits");
    insta::assert_snapshot!("rust_docs_input", common::files_text(&emitted.files));
}

/// The CI diff check: `generated/` is exactly what docgen writes for `docs-input/`.
#[test]
fn generated_folder_is_up_to_date() {
    let checked = docgen::Config::new()
        .docs(common::docs_input())
        .out_dir(common::workspace().join("generated"))
        .check()
        .expect("check runs");
    let report: Vec<String> = checked
        .stale
        .iter()
        .map(|s| match s {
            Stale::Changed(path, diff) => format!("{path} differs:\n{diff}"),
            Stale::Missing(path) => format!("{path} is missing"),
            Stale::Extra(path) => format!("{path} is no longer generated"),
        })
        .collect();
    assert!(
        report.is_empty(),
        "generated/ is stale; run `cargo run -p docgen -- generate` and commit:\n{}",
        report.join("\n")
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Adds `row` after the last row of the first Properties table of `page`.
fn add_property_row(page: &Path, row: &str) {
    let text = std::fs::read_to_string(page).expect("page");
    let start = text.find("## Properties").expect("a Properties section");
    let table_end = text[start..]
        .find("\n\n##")
        .map(|i| start + i)
        .expect("a section after Properties");
    let last_row_end = text[..table_end].trim_end().len();
    let edited = format!("{}\n{row}{}", &text[..last_row_end], &text[last_row_end..]);
    std::fs::write(page, edited).expect("write page");
}

#[test]
fn check_fails_with_a_diff_naming_a_new_property() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    copy_tree(&common::docs_input(), &docs);
    let out = dir.path().join("generated");
    std::fs::create_dir_all(&out).expect("mkdir");
    copy_tree(&common::workspace().join("generated"), &out);
    let mut config = docgen::Config::new();
    config.docs(&docs).out_dir(&out);
    assert!(
        config.check().expect("check").stale.is_empty(),
        "a copy starts up to date"
    );

    add_property_row(
        &docs.join("resources/deviceconfigurationuserstatus.md"),
        "|retryCount|Int32|How many times the device retried applying the profile.|",
    );
    let stale = config.check().expect("check").stale;
    let diff = stale
        .iter()
        .find_map(|s| match s {
            Stale::Changed(path, diff) if path == "models/intune.rs" => Some(diff.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("models/intune.rs should be stale: {stale:?}"));
    assert!(
        diff.contains("+    pub retry_count: Option<i32>,"),
        "{diff}"
    );
    assert!(diff.contains("rename = \"retryCount\""), "{diff}");
    assert!(
        diff.starts_with("--- a/models/intune.rs\n+++ b/models/intune.rs\n"),
        "{diff}"
    );

    // Generating brings it back in step.
    config.generate().expect("generate");
    assert!(config.check().expect("check").stale.is_empty());
}
