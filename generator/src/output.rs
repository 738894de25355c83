//! Output: write generated files, or check that a folder already holds them.
//!
//! Writes are per file and atomic (a temporary file renamed into place), and a
//! file whose contents did not change is not touched, so its timestamp stays
//! and cargo does not rebuild for nothing. Files docgen generated earlier that
//! are no longer produced are removed; other files are never touched.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use similar::TextDiff;

#[cfg(test)]
use crate::emit::GENERATED_HEADER;
use crate::emit::{GENERATED_MARKER, GeneratedFile};

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: Vec<String>,
    /// Files already up to date.
    pub unchanged: Vec<String>,
    /// Files from an earlier generation that are no longer produced.
    pub removed: Vec<String>,
}

/// One difference between the expected files and a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// A file that should exist does not.
    Missing(String),
    /// A file differs: a unified diff from the folder's version to the expected one.
    Changed(String, String),
    /// A generated file that should no longer exist.
    Extra(String),
}

/// An I/O failure with the path it concerns.
#[derive(Debug)]
pub struct OutputError {
    /// The path.
    pub path: PathBuf,
    /// The error.
    pub error: io::Error,
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for OutputError {}

fn err(path: &Path, error: io::Error) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        error,
    }
}

/// Joins a generated relative path to `out`, refusing anything that could leave it.
fn target(out: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    let rel_path = Path::new(rel);
    let safe = !rel.is_empty()
        && rel_path
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(err(
            &out.join(rel),
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "generated path leaves the output folder",
            ),
        ));
    }
    Ok(out.join(rel_path))
}

/// Writes `files` under `out`.
pub fn write(out: &Path, files: &[GeneratedFile]) -> Result<WriteReport, OutputError> {
    let mut report = WriteReport::default();
    fs::create_dir_all(out).map_err(|e| err(out, e))?;
    for file in files {
        let path = target(out, &file.path)?;
        if fs::read(&path).is_ok_and(|old| old == file.contents.as_bytes()) {
            report.unchanged.push(file.path.clone());
            continue;
        }
        let dir = path.parent().unwrap_or(out);
        fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| err(dir, e))?;
        tmp.write_all(file.contents.as_bytes())
            .map_err(|e| err(&path, e))?;
        // Temporary files are private; generated sources are ordinary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(fs::Permissions::from_mode(0o644))
                .map_err(|e| err(&path, e))?;
        }
        tmp.persist(&path).map_err(|e| err(&path, e.error))?;
        report.written.push(file.path.clone());
    }
    for extra in stale_generated(out, files)? {
        let path = out.join(&extra);
        fs::remove_file(&path).map_err(|e| err(&path, e))?;
        report.removed.push(extra);
    }
    Ok(report)
}

/// Compares `out` with `files`; never writes.
pub fn check(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Stale>, OutputError> {
    let mut stale = Vec::new();
    for file in files {
        let path = target(out, &file.path)?;
        match fs::read(&path) {
            Ok(bytes) => {
                let old = String::from_utf8_lossy(&bytes);
                if old != file.contents {
                    let diff = TextDiff::from_lines(old.as_ref(), file.contents.as_str())
                        .unified_diff()
                        .context_radius(3)
                        .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
                        .to_string();
                    stale.push(Stale::Changed(file.path.clone(), diff));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                stale.push(Stale::Missing(file.path.clone()));
            }
            Err(e) => return Err(err(&path, e)),
        }
    }
    stale.extend(stale_generated(out, files)?.into_iter().map(Stale::Extra));
    Ok(stale)
}

/// Files under `out` that carry docgen's header but are not in `files`.
fn stale_generated(out: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, OutputError> {
    if !out.exists() {
        return Ok(Vec::new());
    }
    let expected: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut extra = Vec::new();
    for entry in walkdir::WalkDir::new(out).follow_links(false) {
        let entry = entry.map_err(|e| err(out, io::Error::other(e.to_string())))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::source::rel_slash_path(out, entry.path());
        if expected.contains(rel.as_str()) {
            continue;
        }
        let generated = fs::read(entry.path())
            .map(|b| {
                b.starts_with(GENERATED_MARKER.as_bytes())
                    || b.starts_with(b"# @generated by docgen")
            })
            .unwrap_or(false);
        if generated {
            extra.push(rel);
        }
    }
    extra.sort();
    Ok(extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: format!("{GENERATED_HEADER}\n{body}\n"),
        }
    }

    #[test]
    fn write_then_check_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let files = vec![file("mod.rs", "a"), file("sub/x.rs", "b")];
        let report = write(dir.path(), &files).expect("write");
        assert_eq!(report.written, ["mod.rs", "sub/x.rs"]);
        assert!(check(dir.path(), &files).expect("check").is_empty());
        let again = write(dir.path(), &files).expect("write");
        assert_eq!(again.unchanged.len(), 2);
    }

    #[test]
    fn check_reports_changes_missing_and_extra_but_keeps_foreign_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[file("mod.rs", "old"), file("gone.rs", "x")]).expect("write");
        fs::write(dir.path().join("notes.txt"), "mine").expect("foreign file");
        let stale =
            check(dir.path(), &[file("mod.rs", "new"), file("new.rs", "y")]).expect("check");
        assert!(
            matches!(&stale[0], Stale::Changed(p, d) if p == "mod.rs" && d.contains("-old") && d.contains("+new"))
        );
        assert_eq!(stale[1], Stale::Missing("new.rs".into()));
        assert_eq!(stale[2], Stale::Extra("gone.rs".into()));
        assert_eq!(stale.len(), 3);
        let report = write(dir.path(), &[file("mod.rs", "new")]).expect("write");
        assert_eq!(report.removed, ["gone.rs"]);
        assert!(dir.path().join("notes.txt").exists());
    }

    #[test]
    fn paths_cannot_leave_the_output_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        for bad in ["../x.rs", "/etc/x.rs", "a/../../x.rs", ""] {
            assert!(write(dir.path(), &[file(bad, "x")]).is_err(), "{bad}");
        }
    }
}
