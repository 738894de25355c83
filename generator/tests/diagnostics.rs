//! Every diagnostic code has a small test page of our own that triggers it:
//! `tests/fixtures/diagnostics/<code>.md`, or a folder `<code>/` when the
//! defect needs several pages (two pages disagreeing, a link between pages).

use std::path::{Path, PathBuf};

use docgen::{Code, Config};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics")
}

/// The fixture for a code: a page or a folder of pages.
fn fixture(code: Code) -> PathBuf {
    let dir = fixtures();
    let file = dir.join(format!("{}.md", code.as_str()));
    if std::fs::symlink_metadata(&file).is_ok() {
        return file;
    }
    let folder = dir.join(code.as_str());
    assert!(
        folder.is_dir(),
        "no test page for `{code}`: add {}",
        file.display()
    );
    folder
}

/// Every code a fixture produces, from reading and from emitting.
fn codes_of(path: &Path) -> Vec<Code> {
    let docs = docgen::read_docs(&[path.to_path_buf()]).expect("fixture is readable");
    let emitted = Config::new().emit(&docs).expect("fixture emits");
    docs.diagnostics
        .iter()
        .chain(&emitted.diagnostics)
        .map(|d| d.code)
        .collect()
}

#[test]
fn every_code_has_a_test_page_that_triggers_it() {
    let mut missing = Vec::new();
    for &code in Code::ALL {
        let found = codes_of(&fixture(code));
        if !found.contains(&code) {
            missing.push(format!("{code}: the test page produced {found:?}"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn test_pages_are_otherwise_clean() {
    // A test page shows its defect and little else, so it documents the code well.
    for &code in Code::ALL {
        let found = codes_of(&fixture(code));
        let others: Vec<&Code> = found.iter().filter(|c| **c != code).collect();
        assert!(
            others.len() <= 2,
            "the test page for `{code}` also produces {others:?}"
        );
    }
}

#[test]
fn no_fixture_is_orphaned() {
    for entry in std::fs::read_dir(fixtures()).expect("fixtures") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name.strip_suffix(".md").unwrap_or(&name);
        assert!(
            Code::from_name(stem).is_some(),
            "{name} is not named after a diagnostic code"
        );
    }
}
