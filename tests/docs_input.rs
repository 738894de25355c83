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
    assert_eq!(docs.ir.types.len(), 9);
    assert_eq!(docs.ir.operations.len(), 11);
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
    // Read and written under its JSON name.
    assert!(
        diff.contains("\"retryCount\" => runtime::read(&mut self.retry_count, map)"),
        "{diff}"
    );
    assert!(
        diff.contains("writer.field(\"retryCount\", &self.retry_count);"),
        "{diff}"
    );
    assert!(
        diff.starts_with("--- a/models/intune.rs\n+++ b/models/intune.rs\n"),
        "{diff}"
    );

    // Generating brings it back in step.
    config.generate().expect("generate");
    assert!(config.check().expect("check").stale.is_empty());
}

/// The surface moves only where pages change: adding a page whose operation
/// collides with an existing one (same IR name, another path) adds that
/// page's chains and changes no other line; renaming a page changes only the
/// page named on its chains' lines. Names come from the path segments, so
/// nothing needs remembering for this.
#[test]
fn the_surface_moves_only_where_pages_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&docs).expect("mkdir");
    copy_tree(&common::docs_input(), &docs);
    let surface = || -> Vec<docgen::emit::Chain> {
        docgen::Config::new()
            .docs(&docs)
            .out_dir(&out)
            .generate()
            .expect("generate")
            .emitted
            .surface
    };
    let lines = |chains: &[docgen::emit::Chain]| -> std::collections::BTreeSet<String> {
        chains.iter().map(docgen::emit::Chain::line).collect()
    };
    let before = surface();
    let list = before
        .iter()
        .find(|c| {
            c.source
                .starts_with("api/deviceconfigurationuserstatus-list.md")
        })
        .expect("the list chain");
    assert_eq!(
        list.call,
        "client.device_management().device_configurations().by_id(device_configuration_id).root_certificate().user_statuses().list()"
    );

    // The same list, under mobile apps: a page whose operation collides.
    let page = std::fs::read_to_string(docs.join("api/deviceconfigurationuserstatus-list.md"))
        .expect("page")
        .replace(
            "deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate",
            "deviceAppManagement/mobileApps/{mobileAppId}",
        )
        .replace(
            "deviceManagement/deviceConfigurations/f2a97c15-6e3b-4d0a-8b41-5c8e9d207a36/rootCertificate",
            "deviceAppManagement/mobileApps/0e1f0a5e-4d3c-4b2a-9f8e-7d6c5b4a3f21",
        );
    std::fs::write(docs.join("api/mobileapp-list-userstatuses.md"), page).expect("write");
    let added = surface();
    let (old, new) = (lines(&before), lines(&added));
    assert!(
        old.is_subset(&new),
        "lines moved: {:#?}",
        old.difference(&new).collect::<Vec<_>>()
    );
    let extra: Vec<&docgen::emit::Chain> =
        added.iter().filter(|c| !old.contains(&c.line())).collect();
    assert_eq!(extra.len(), 1, "{extra:#?}");
    assert!(
        extra[0]
            .source
            .starts_with("api/mobileapp-list-userstatuses.md")
    );
    assert_eq!(
        extra[0].call,
        "client.device_app_management().mobile_apps().by_id(mobile_app_id).user_statuses().list()"
    );

    // Renaming a page moves only the page named on its lines.
    std::fs::rename(
        docs.join("api/deviceconfigurationuserstatus-get.md"),
        docs.join("api/deviceconfigurationuserstatus-read.md"),
    )
    .expect("rename");
    let renamed = surface();
    let without_page = |chains: &[docgen::emit::Chain]| -> std::collections::BTreeSet<String> {
        chains
            .iter()
            .map(|c| {
                format!(
                    "{} {} {} {:?} {}",
                    c.method, c.path, c.call, c.body, c.response
                )
            })
            .collect()
    };
    assert_eq!(without_page(&added), without_page(&renamed));
    let moved: Vec<String> = lines(&renamed).difference(&new).cloned().collect();
    assert_eq!(moved.len(), 1, "{moved:#?}");
    assert!(moved[0].contains("api/deviceconfigurationuserstatus-read.md"));
}

/// A names file is input too: names that are not identifiers are ignored and
/// named afresh; a name pinned for another item is not given twice.
#[test]
fn a_hostile_names_file_cannot_inject_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(
        out.join(docgen::emit::NAMES_FILE),
        r#"{
  "types": {"entity": "Entity { } fn evil() {", "complianceStatus": "r#type", "userAppInstallStatus": "DeviceConfigurationUserStatus"},
  "functions": {
    "GET /devicemanagement/deviceconfigurations/{}/rootcertificate/userstatuses @api/deviceconfigurationuserstatus-list.md": "x() {} fn evil"
  }
}"#,
    )
    .expect("write names");
    let generated = docgen::Config::new()
        .docs(common::docs_input())
        .out_dir(&out)
        .generate()
        .expect("generate");
    let names = &generated.emitted.names;
    assert_eq!(names.types["entity"], "Entity");
    assert_eq!(names.types["complianceStatus"], "ComplianceStatus");
    // A valid pin holds, and the type it displaced is named apart.
    assert_eq!(
        names.types["userAppInstallStatus"],
        "DeviceConfigurationUserStatus"
    );
    assert_ne!(
        names.types["deviceConfigurationUserStatus"],
        "DeviceConfigurationUserStatus"
    );
    for file in &generated.emitted.files {
        assert!(!file.contents.contains("evil"), "{}", file.path);
    }
}
