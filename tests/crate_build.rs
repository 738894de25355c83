//! Generated code compiles: the standalone `--crate` output for the seeds builds
//! warning-free and clippy-clean and reads the seeds' examples, so does the
//! crate for the whole v1.0 reference; and a crate whose build.rs runs docgen
//! recompiles when a page changes.
//!
//! These tests run cargo on crates made in a temporary folder, with a target
//! folder shared under `target/` so dependencies are compiled once.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.env(
        "CARGO_TARGET_DIR",
        common::workspace().join("target/docgen-tests"),
    )
    .env_remove("RUSTFLAGS")
    .env("CARGO_TERM_COLOR", "never");
    cmd
}

fn run(mut cmd: Command, dir: &Path) -> (bool, String) {
    let out = cmd.current_dir(dir).output().expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The workspace lock file pins the crate's dependencies to versions already fetched.
fn pin_dependencies(dir: &Path) {
    std::fs::copy(
        common::workspace().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
}

#[test]
fn standalone_crate_for_the_seeds_is_clean_and_reads_their_examples() {
    if common::skip_without(
        common::Needs::Seeds,
        "standalone_crate_for_the_seeds_is_clean_and_reads_their_examples",
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("graph-seeds");
    let generated = docgen::Config::new()
        .docs(common::seeds())
        .out_dir(&out)
        .crate_name("graph-seeds")
        .generate()
        .expect("generate");
    assert!(generated.report.written.contains(&"Cargo.toml".to_owned()));
    assert!(
        generated
            .report
            .written
            .contains(&"src/runtime/mod.rs".to_owned())
    );
    pin_dependencies(&out);

    // A test of our own in the generated crate: seed 004's request example reads
    // into the generated model and survives a round trip through it.
    let seed_004 = std::fs::read_to_string(common::seed("004")).expect("seed 004");
    let start = seed_004.find("{\n").expect("a JSON body");
    let end = start + seed_004[start..].find("\n}").expect("end of body") + 2;
    let body = &seed_004[start..end];
    std::fs::create_dir_all(out.join("tests")).expect("mkdir");
    std::fs::write(
        out.join("tests/examples.rs"),
        format!(
            r####"
use graph_seeds::models::{{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status}};

const BODY: &str = r###"{body}"###;

#[test]
fn seed_004_request_example_round_trips() {{
    let status: Status = serde_json::from_str(BODY).expect("the example reads");
    assert_eq!(status.devices_count, Some(12));
    assert_eq!(status.status, Some(ComplianceStatus::NotApplicable));
    assert_eq!(status.additional_properties["@odata.type"], "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus");
    let written = serde_json::to_string(&status).expect("writes");
    let again: Status = serde_json::from_str(&written).expect("reads back");
    assert_eq!(again, status);
}}

#[test]
fn unknown_enum_values_survive() {{
    let value: ComplianceStatus = serde_json::from_str("\"someFutureValue\"").expect("reads");
    assert_eq!(value, ComplianceStatus::UnknownValue("someFutureValue".into()));
    assert_eq!(serde_json::to_string(&value).expect("writes"), "\"someFutureValue\"");
}}

#[test]
fn path_parameters_are_encoded() {{
    let runtime = graph_seeds::runtime::Client::builder().base_url("http://localhost:1/v1.0").build().expect("client");
    let client = graph_seeds::Client::new(runtime);
    let request = client
        .device_app_management()
        .mobile_app_configurations()
        .by_id("a/b?c")
        .user_statuses()
        .create(&Status::default());
    assert_eq!(request.path(), "/deviceAppManagement/mobileAppConfigurations/a%2Fb%3Fc/userStatuses");
}}
"####
        ),
    )
    .expect("write test");

    let mut clippy = cargo();
    clippy.args(["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    let (ok, log) = run(clippy, &out);
    assert!(
        ok,
        "the generated crate must be warning-free and clippy-clean:\n{log}"
    );
    // The runtime's sign-in features reach the crate's manifest and build.
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(
        manifest.contains("azure-identity = [\"dep:azure_core\"]"),
        "{manifest}"
    );
    assert!(
        manifest.contains("device-code = [\"dep:oauth2\"]"),
        "{manifest}"
    );
    assert!(
        manifest.contains("client-credentials = [\"dep:oauth2\"]"),
        "{manifest}"
    );
    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--all-targets",
        "--all-features",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ]);
    let (ok, log) = run(clippy, &out);
    assert!(
        ok,
        "with the sign-in features, the generated crate must be clippy-clean too:\n{log}"
    );
    let mut test = cargo();
    test.args(["test", "--quiet"]);
    let (ok, log) = run(test, &out);
    assert!(ok, "the generated crate's tests fail:\n{log}");
}

/// The whole v1.0 reference generates a crate that compiles warning-free and
/// clippy-clean, and whose docs build without a warning: whatever the pages
/// say, what cannot be expressed is dropped with a diagnostic, never emitted
/// broken. So does each area's feature on its own, and no feature at all.
#[test]
fn standalone_crate_for_the_corpus_is_clean_whole_and_per_area() {
    if common::skip_without(
        common::Needs::Corpus,
        "standalone_crate_for_the_corpus_is_clean_whole_and_per_area",
    ) {
        return;
    }
    let corpus = common::graph_docs();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("graph-v1");
    docgen::Config::new()
        .docs(&corpus)
        .out_dir(&out)
        .crate_name("graph-v1")
        .generate()
        .expect("generate");
    pin_dependencies(&out);
    let mut clippy = cargo();
    clippy.args(["clippy", "--quiet", "--", "-D", "warnings"]);
    let (ok, log) = run(clippy, &out);
    assert!(
        ok,
        "the corpus crate must be warning-free and clippy-clean:\n{log}"
    );
    // Its docs build with no warning: no broken intra-doc link from a builder
    // to a type, a builder or the client.
    let mut doc = cargo();
    doc.args(["doc", "--quiet", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings");
    let (ok, log) = run(doc, &out);
    assert!(
        ok,
        "the corpus crate's docs must build without warnings:\n{log}"
    );

    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let areas = area_features(&manifest);
    assert!(areas.len() > 20, "only {} area features", areas.len());
    let mut failures = Vec::new();
    for feature in std::iter::once("").chain(areas.iter().map(String::as_str)) {
        let mut clippy = cargo();
        clippy.args(["clippy", "--quiet", "--no-default-features"]);
        if !feature.is_empty() {
            clippy.args(["--features", feature]);
        }
        clippy.args(["--", "-D", "warnings"]);
        let (ok, log) = run(clippy, &out);
        if !ok {
            failures.push(format!("feature `{feature}`:\n{log}"));
        }
    }
    assert!(
        failures.is_empty(),
        "areas must compile on their own, warning-free:\n{}",
        failures.join("\n")
    );
}

/// The area features of a generated manifest: every `name = []` line of `[features]`.
fn area_features(manifest: &str) -> Vec<String> {
    manifest
        .split("[features]")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.strip_suffix(" = []"))
        .map(str::to_owned)
        .collect()
}

fn write_widget_page(docs: &Path, extra_row: &str) {
    std::fs::write(
        docs.join("widget.md"),
        format!(
            "---\ntitle: \"widget resource type\"\ndescription: \"A widget.\"\nms.prod: \"tests\"\ndoc_type: resourcePageType\n---\n\n\
# widget resource type\n\nNamespace: microsoft.graph\n\nA widget used by docgen's own tests.\n\n\
## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|name|String|The widget's name.|\n{extra_row}\n\n\
## Relationships\nNone.\n"
        ),
    )
    .expect("write page");
}

#[test]
fn editing_a_page_changes_what_cargo_build_compiles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let workspace = common::workspace();
    let path = |p: &str| -> String { workspace.join(p).to_string_lossy().replace('\\', "/") };
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            r#"[package]
name = "tracked"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
docgen-runtime = {{ path = "{runtime}" }}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
uuid = {{ version = "1", features = ["serde"] }}

[build-dependencies]
docgen = {{ path = "{generator}" }}

[workspace]
"#,
            runtime = path("runtime"),
            generator = path("generator"),
        ),
    )
    .expect("manifest");
    std::fs::write(
        root.join("build.rs"),
        "fn main() { docgen::Config::new().docs(\"docs\").compile().expect(\"docgen\"); }\n",
    )
    .expect("build.rs");
    std::fs::create_dir_all(root.join("src")).expect("mkdir");
    std::fs::write(
        root.join("src/lib.rs"),
        "include!(concat!(env!(\"OUT_DIR\"), \"/docgen/mod.rs\"));\n\n\
pub fn size(widget: &models::Widget) -> Option<i32> {\n    widget.size\n}\n",
    )
    .expect("lib.rs");
    let docs: PathBuf = root.join("docs");
    std::fs::create_dir_all(&docs).expect("mkdir");
    pin_dependencies(root);

    write_widget_page(&docs, "");
    let mut build = cargo();
    build.args(["build", "--quiet"]);
    let (ok, log) = run(build, root);
    assert!(!ok, "without a `size` property the crate cannot compile");
    assert!(log.contains("size"), "{log}");

    write_widget_page(&docs, "|size|Int32|How big the widget is.|");
    let mut build = cargo();
    build.args(["build", "--quiet"]);
    let (ok, log) = run(build, root);
    assert!(
        ok,
        "after the page gains `size`, cargo build regenerates and compiles:\n{log}"
    );
}

/// Raw content in a generated crate, end to end: from pages of our own
/// (`tests/fixtures/content/`: a file to download and upload, a logo's
/// `$value`) the crate gets `content().get()` and `logo().value().get()`
/// answering `runtime::Content` and `content().replace(body)` taking a
/// `runtime::RawBody`; it passes clippy, and a program calling them against
/// `docgen mock` serving the same pages gets the documented bytes, content
/// types and upload answer.
#[test]
fn content_functions_download_and_upload_through_the_mock() {
    let docs = common::workspace().join("tests/fixtures/content");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("graph-content");
    let generated = docgen::Config::new()
        .docs(&docs)
        .out_dir(&out)
        .crate_name("graph-content")
        .generate()
        .expect("generate");
    let surface = docgen::emit::surface::text(&generated.emitted.surface);
    for line in [
        "GET /widgets/{widget-id}/content  client.widgets().by_id(widget_id).content().get() -> runtime::Content",
        "GET /widgets/{widget-id}/logo/$value  client.widgets().by_id(widget_id).logo().value().get() -> runtime::Content",
        "PUT /widgets/{widget-id}/content  client.widgets().by_id(widget_id).content().replace(body) body runtime::RawBody -> models::Widget",
    ] {
        assert!(surface.contains(line), "no `{line}` in:\n{surface}");
    }
    pin_dependencies(&out);
    std::fs::create_dir_all(out.join("examples")).expect("mkdir");
    std::fs::write(
        out.join("examples/content.rs"),
        r#"//! Written by docgen's crate_build test.
use graph_content::{runtime, Client};

fn main() {
    let executor = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let base = std::env::args().nth(1).expect("base URL");
    if let Err(err) = executor.block_on(run(base)) {
        println!("error: {err}");
    }
}

async fn run(base: String) -> Result<(), runtime::Error> {
    let runtime = runtime::Client::builder()
        .base_url(base)
        .bearer_token("token")
        .build()?;
    let client = Client::new(runtime);
    let widget = client.widgets().by_id("w1");

    let file = widget.content().get().download().await?;
    println!("content type: {:?}", file.content_type());
    let bytes = file.bytes().await?;
    println!("content: {:?}", String::from_utf8_lossy(&bytes));

    let logo = widget.logo().value().get().download().await?;
    println!("logo type: {:?}", logo.content_type());
    let mut copied: Vec<u8> = Vec::new();
    let n = logo.copy_to(&mut copied).await?;
    println!("logo: {n} bytes {:?}", String::from_utf8_lossy(&copied));

    let body = runtime::RawBody::from_bytes("The new contents of the file.", "text/plain");
    let updated = widget.content().replace(body).await?;
    println!("uploaded: {:?}", updated.name);
    Ok(())
}
"#,
    )
    .expect("write program");

    let mut clippy = cargo();
    clippy.args(["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"]);
    let (ok, log) = run(clippy, &out);
    assert!(ok, "the content crate must be clippy-clean:\n{log}");

    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let routes = std::sync::Arc::new(docgen::mock::Routes::from_ir(
        &generated.docs.ir,
        &generated.docs.sources,
    ));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let address = listener.local_addr().expect("address");
    runtime.spawn(docgen::mock::serve(routes, listener));
    let mut program = cargo();
    program
        .args(["run", "--quiet", "--example", "content", "--"])
        .arg(format!("http://{address}/v1.0"));
    let (ok, log) = run(program, &out);
    drop(runtime);
    assert!(ok, "the content program failed:\n{log}");
    for line in [
        "content type: Some(\"text/csv\")",
        "content: \"name,size\\nfirst,12\"",
        "logo type: Some(\"image/png\")",
        "logo: 15 bytes \"PNG image bytes\"",
        "uploaded: Some(\"first\")",
    ] {
        assert!(log.contains(line), "no `{line}` in:\n{log}");
    }
}
