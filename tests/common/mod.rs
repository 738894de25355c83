//! Where the tests find things: the workspace, and the shared corpus beside it.
//!
//! The shared folder (`../shared` next to the checkout, or `$DOCGEN_SHARED`)
//! holds the seed pages and the Graph docs. They are read at run time, never
//! copied into the project.

#![allow(dead_code)]

pub mod json;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the shared folder is: `$DOCGEN_SHARED`, or `../shared` beside the checkout.
fn shared_dir() -> PathBuf {
    std::env::var_os("DOCGEN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared"))
}

/// Where the Graph docs corpus is: `$GRAPH_DOCS`, or `graph-docs/v1.0` in the shared folder.
fn graph_docs_dir() -> PathBuf {
    std::env::var_os("GRAPH_DOCS")
        .map(PathBuf::from)
        .unwrap_or_else(|| shared_dir().join("graph-docs/v1.0"))
}

/// Data from outside the checkout that a test reads.
#[derive(Clone, Copy, Debug)]
pub enum Needs {
    /// The five seed pages (`seeds/` in the shared folder).
    Seeds,
    /// The Graph docs corpus (`$GRAPH_DOCS`).
    Corpus,
}

/// Whether the test `test` must skip because the data it needs is missing.
///
/// A fresh clone alone has neither the seeds nor the corpus, and its tests
/// must still pass: such a test says loudly that it was skipped (on stderr,
/// past the test harness's capture) and returns. Where the data is required
/// (`DOCGEN_REQUIRE_CORPUS=1`, which `.ci/run` sets) a missing folder fails the
/// test instead, so CI can never go green by skipping.
pub fn skip_without(needs: Needs, test: &str) -> bool {
    let (dir, what) = match needs {
        Needs::Seeds => (shared_dir().join("seeds"), "the seed pages are"),
        Needs::Corpus => (graph_docs_dir(), "the Graph docs corpus is"),
    };
    if dir.is_dir() {
        return false;
    }
    let required = std::env::var("DOCGEN_REQUIRE_CORPUS").is_ok_and(|v| !v.is_empty() && v != "0");
    let message = format!(
        "{test}: {what} missing ({}). See \"The test data\" in README.md: set GRAPH_DOCS to a \
         checkout of the Graph docs, or DOCGEN_SHARED to the shared folder.",
        dir.display()
    );
    assert!(
        !required,
        "{message} DOCGEN_REQUIRE_CORPUS is set, so this fails."
    );
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED {message} ***\n");
    true
}

/// `$DOCGEN_SHARED`, or `../shared` beside the checkout; a clear panic when missing.
pub fn shared() -> PathBuf {
    let dir = shared_dir();
    assert!(
        dir.is_dir(),
        "the shared data folder {} is missing: put the project's `shared` folder beside the checkout, \
         or set DOCGEN_SHARED to its path",
        dir.display()
    );
    dir
}

/// The five seed pages.
pub fn seeds() -> PathBuf {
    let dir = shared().join("seeds");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    dir
}

/// One seed page by its number (`000` … `004`).
pub fn seed(number: &str) -> PathBuf {
    let dir = seeds();
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("seeds folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{number}_")))
        })
        .collect();
    found.sort();
    found
        .pop()
        .unwrap_or_else(|| panic!("no seed {number}_* in {}", dir.display()))
}

/// The Graph docs corpus: `$GRAPH_DOCS`, or `graph-docs/v1.0` in the shared folder.
pub fn graph_docs() -> PathBuf {
    let dir = graph_docs_dir();
    assert!(
        dir.is_dir(),
        "the Graph docs corpus {} is missing: set GRAPH_DOCS, or put the shared folder beside the checkout",
        dir.display()
    );
    dir
}

/// `docs-input/`.
pub fn docs_input() -> PathBuf {
    workspace().join("docs-input")
}

/// The IR JSON with a root folder's path replaced by a stable name, for snapshots.
pub fn stable_json(value: &serde_json::Value, root: &Path, name: &str) -> String {
    let text = serde_json::to_string_pretty(value).expect("json");
    let root = root.to_string_lossy().replace('\\', "/");
    text.replace(&format!("{root}/"), &format!("{name}/"))
        .replace(&root, name)
}

/// All emitted files as one text, each under a header line, for snapshots.
pub fn files_text(files: &[docgen::emit::GeneratedFile]) -> String {
    files
        .iter()
        .map(|f| format!("=== {} ===\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `cargo` for a crate docgen generated under `target/`: one shared target
/// folder (dependencies compiled once), no inherited `RUSTFLAGS`.
pub fn cargo_in(dir: &Path) -> std::process::Command {
    let mut cmd =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", workspace().join("target/docgen-tests"))
        .env_remove("RUSTFLAGS")
        .env("CARGO_TERM_COLOR", "never");
    cmd
}

/// Runs `cmd`, failing with its stderr and `what` unless it succeeds; its stdout.
pub fn run_ok(mut cmd: std::process::Command, what: &str) -> String {
    let output = cmd.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "{what}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Pins a generated crate's dependencies to the workspace's and runs
/// `cargo clippy -D warnings` in it, failing with `what` unless it is clean.
pub fn clippy_clean(dir: &Path, what: &str) {
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("pin dependencies");
    let mut clippy = cargo_in(dir);
    clippy.args(["clippy", "--quiet", "--", "-D", "warnings"]);
    run_ok(clippy, what);
}

/// The name of the crate [`v1_crate`] generates.
pub const V1_CRATE: &str = "graph_examples";

/// Generates the v1.0 corpus's standalone crate into
/// `target/docgen-tests/examples-v1` (shared by the tests that run programs
/// in it, so it is built once), its dependencies pinned to the workspace's.
pub fn v1_crate() -> (PathBuf, docgen::Generated) {
    let out = workspace().join("target/docgen-tests/examples-v1");
    let generated = docgen::Config::new()
        .docs(graph_docs())
        .out_dir(&out)
        .crate_name(V1_CRATE)
        .generate()
        .expect("generate the v1.0 crate");
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock"))
        .expect("pin dependencies");
    (out, generated)
}
