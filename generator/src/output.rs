//! Output: write generated files, or check that a folder already holds them.
//!
//! A write is one commit (see [`write`]): staged files, a journal, renames;
//! an interrupted run never leaves a half-written output behind. A file whose
//! contents did not change is not touched, so its timestamp stays and cargo
//! does not rebuild for nothing. The manifest (`docgen-manifest.json`) lists
//! what docgen generated: files it generated earlier that are no longer
//! produced are removed; other files are never touched. `check` never writes.

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

/// The manifest: which files under the output folder docgen generated.
pub const MANIFEST_FILE: &str = "docgen-manifest.json";

/// The commit journal of a write in progress (see [`write`]).
const JOURNAL_FILE: &str = ".docgen-commit.json";

/// The lock that keeps two runs from writing one folder at once.
const LOCK_FILE: &str = ".docgen.lock";

/// The prefix of files staged for a commit.
const STAGED_PREFIX: &str = ".docgen-staged-";

#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    generator: String,
    files: Vec<String>,
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Journal {
    /// (staged file, final file), relative to the output folder.
    renames: Vec<(String, String)>,
    /// Generated files no longer produced.
    removals: Vec<String>,
}

/// `files` and the manifest that lists them.
fn with_manifest(files: &[GeneratedFile]) -> Vec<GeneratedFile> {
    let mut all = files.to_vec();
    let manifest = Manifest {
        generator: format!("docgen {}", env!("CARGO_PKG_VERSION")),
        files: files.iter().map(|f| f.path.clone()).collect(),
    };
    let mut contents = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    contents.push('\n');
    all.push(GeneratedFile {
        path: MANIFEST_FILE.to_owned(),
        contents,
    });
    all
}

/// Writes `files` under `out`, as one commit.
///
/// Every changed file is first staged beside its target and synced; then a
/// journal of the renames is written, the renames are made and the journal
/// removed. A run interrupted before the journal leaves the previous output
/// as it was (the next run clears the staged files); one interrupted after it
/// is completed by the next run. A lock file keeps concurrent runs from
/// interleaving. Unchanged files are not touched (cargo does not rebuild for
/// nothing); files docgen generated before (listed in the manifest, or
/// carrying its header) and no longer produces are removed; any other file is
/// left alone.
pub fn write(out: &Path, files: &[GeneratedFile]) -> Result<WriteReport, OutputError> {
    fs::create_dir_all(out).map_err(|e| err(out, e))?;
    let lock_path = out.join(LOCK_FILE);
    let lock = fs::File::create(&lock_path).map_err(|e| err(&lock_path, e))?;
    lock.lock().map_err(|e| err(&lock_path, e))?;
    recover(out)?;

    let files = with_manifest(files);
    let mut report = WriteReport::default();
    let mut journal = Journal::default();
    let mut staged_count = 0;
    for file in &files {
        let path = target(out, &file.path)?;
        if fs::read(&path).is_ok_and(|old| old == file.contents.as_bytes()) {
            report.unchanged.push(file.path.clone());
            continue;
        }
        let dir = path.parent().unwrap_or(out);
        fs::create_dir_all(dir).map_err(|e| err(dir, e))?;
        let (staged_path, mut staged) =
            create_staged(dir, &mut staged_count).map_err(|e| err(dir, e))?;
        staged
            .write_all(file.contents.as_bytes())
            .map_err(|e| err(&path, e))?;
        staged.sync_all().map_err(|e| err(&path, e))?;
        // Relative to `out` like the file itself.
        let staged_name = staged_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let staged_rel = match file.path.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{staged_name}"),
            None => staged_name,
        };
        journal.renames.push((staged_rel, file.path.clone()));
        report.written.push(file.path.clone());
    }
    journal.removals = stale_generated(out, &files)?;
    report.removed = journal.removals.clone();
    if journal.renames.is_empty() && journal.removals.is_empty() {
        return Ok(report);
    }
    let journal_path = out.join(JOURNAL_FILE);
    let text = serde_json::to_vec(&journal).map_err(|e| err(&journal_path, io::Error::other(e)))?;
    let (staged_path, mut staged) =
        create_staged(out, &mut staged_count).map_err(|e| err(out, e))?;
    staged.write_all(&text).map_err(|e| err(&journal_path, e))?;
    staged.sync_all().map_err(|e| err(&journal_path, e))?;
    drop(staged);
    fs::rename(&staged_path, &journal_path).map_err(|e| err(&journal_path, e))?;
    apply(out, &journal)?;
    fs::remove_file(&journal_path).map_err(|e| err(&journal_path, e))?;
    Ok(report)
}

/// A new file in `dir` named `.docgen-staged-<pid>-<n>`. It is created
/// exclusively (`create_new`), so a file or link already there is never
/// written through, and only this run, holding the folder's lock, stages in
/// it; staged files an interrupted run left are cleared by [`recover`].
fn create_staged(dir: &Path, count: &mut u64) -> io::Result<(PathBuf, fs::File)> {
    loop {
        *count += 1;
        let path = dir.join(format!("{STAGED_PREFIX}{}-{count}", std::process::id()));
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o644);
        }
        match options.open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
}

/// Makes a journal's renames and removals; those already made are skipped.
fn apply(out: &Path, journal: &Journal) -> Result<(), OutputError> {
    for (staged, path) in &journal.renames {
        // A journal is input too: entries that would leave `out` are skipped.
        let (Ok(from), Ok(to)) = (target(out, staged), target(out, path)) else {
            continue;
        };
        if from.exists() {
            fs::rename(&from, &to).map_err(|e| err(&to, e))?;
        }
    }
    for removal in &journal.removals {
        let Ok(path) = target(out, removal) else {
            continue;
        };
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(err(&path, e)),
            _ => {}
        }
    }
    Ok(())
}

/// Finishes a commit an earlier run left half done, and clears files it
/// staged but never committed.
fn recover(out: &Path) -> Result<(), OutputError> {
    let journal_path = out.join(JOURNAL_FILE);
    if let Ok(text) = fs::read(&journal_path) {
        if let Ok(journal) = serde_json::from_slice::<Journal>(&text) {
            apply(out, &journal)?;
        }
        fs::remove_file(&journal_path).map_err(|e| err(&journal_path, e))?;
    }
    for entry in walk_output(out) {
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.starts_with(STAGED_PREFIX) {
            fs::remove_file(entry.path()).map_err(|e| err(entry.path(), e))?;
        }
    }
    Ok(())
}

/// The Rust files docgen writes under `out` (skipping build folders,
/// version control and the inlined runtime), as `(path relative to out,
/// contents)`, sorted: the old side of an API comparison. A missing folder
/// has none.
pub fn read_tree(out: &Path) -> Result<Vec<(String, String)>, OutputError> {
    let mut files = Vec::new();
    if !out.exists() {
        return Ok(files);
    }
    for entry in walk_output(out) {
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = crate::source::rel_slash_path(out, entry.path());
        if rel.starts_with("runtime/") || rel.starts_with("src/runtime/") {
            continue;
        }
        let bytes = fs::read(entry.path()).map_err(|e| err(entry.path(), e))?;
        files.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
    }
    files.sort();
    Ok(files)
}

/// The files under `out`, skipping build folders and version control.
fn walk_output(out: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(out)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !matches!(e.file_name().to_str(), Some("target" | ".git"))
        })
        .filter_map(Result::ok)
}

/// Compares `out` with `files`; never writes.
pub fn check(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Stale>, OutputError> {
    let files = &with_manifest(files);
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

/// Files docgen generated under `out` before and does not produce now: those
/// the previous manifest lists, and (for output written before manifests)
/// those carrying docgen's header. Other files are never listed.
fn stale_generated(out: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, OutputError> {
    if !out.exists() {
        return Ok(Vec::new());
    }
    let expected: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let listed: std::collections::HashSet<String> = fs::read(out.join(MANIFEST_FILE))
        .ok()
        .and_then(|text| serde_json::from_slice::<Manifest>(&text).ok())
        .map(|m| m.files.into_iter().collect())
        .unwrap_or_default();
    let mut extra = Vec::new();
    for entry in walk_output(out) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::source::rel_slash_path(out, entry.path());
        let name = entry.file_name().to_string_lossy();
        if expected.contains(rel.as_str())
            || rel == LOCK_FILE
            || rel == JOURNAL_FILE
            || name.starts_with(STAGED_PREFIX)
        {
            continue;
        }
        let generated = listed.contains(&rel)
            || fs::read(entry.path())
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
        assert_eq!(report.written, ["mod.rs", "sub/x.rs", MANIFEST_FILE]);
        assert!(check(dir.path(), &files).expect("check").is_empty());
        let again = write(dir.path(), &files).expect("write");
        assert_eq!(again.unchanged.len(), 3);
        assert!(again.written.is_empty());
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
        assert!(
            matches!(&stale[2], Stale::Changed(p, d) if p == MANIFEST_FILE && d.contains("-    \"gone.rs\""))
        );
        assert_eq!(stale[3], Stale::Extra("gone.rs".into()));
        assert_eq!(stale.len(), 4);
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

    #[test]
    fn a_commit_left_half_done_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), &[file("a.rs", "old"), file("b.rs", "old")]).expect("write");
        // A run that staged `a.rs`, wrote its journal and died before renaming.
        let staged = format!("{STAGED_PREFIX}x");
        fs::write(
            dir.path().join(&staged),
            format!("{GENERATED_HEADER}\nnew\n"),
        )
        .expect("stage");
        let journal = Journal {
            renames: vec![(staged.clone(), "a.rs".into())],
            removals: vec!["b.rs".into()],
        };
        fs::write(
            dir.path().join(JOURNAL_FILE),
            serde_json::to_vec(&journal).expect("json"),
        )
        .expect("journal");
        // And one that died while staging, before any journal.
        fs::write(dir.path().join(format!("{STAGED_PREFIX}y")), "partial").expect("stray");

        recover(dir.path()).expect("recover");
        let a = fs::read_to_string(dir.path().join("a.rs")).expect("a.rs");
        assert!(a.ends_with("new\n"), "{a}");
        assert!(!dir.path().join("b.rs").exists());
        assert!(!dir.path().join(JOURNAL_FILE).exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(STAGED_PREFIX))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_journal_cannot_move_files_out_of_the_output_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(dir.path().join("precious.txt"), "keep").expect("outside");
        fs::write(out.join("a.rs"), "x").expect("inside");
        let journal = Journal {
            renames: vec![
                ("a.rs".into(), "../stolen.rs".into()),
                ("/etc/passwd".into(), "p".into()),
            ],
            removals: vec!["../precious.txt".into()],
        };
        fs::write(
            out.join(JOURNAL_FILE),
            serde_json::to_vec(&journal).expect("json"),
        )
        .expect("journal");
        recover(&out).expect("recover ignores what would leave the folder");
        assert!(dir.path().join("precious.txt").exists());
        assert!(!dir.path().join("stolen.rs").exists());
        assert!(out.join("a.rs").exists());
    }

    #[test]
    fn the_manifest_says_what_is_ours_and_foreign_files_stay() {
        let dir = tempfile::tempdir().expect("tempdir");
        // `data.json` has no header: only the manifest knows docgen wrote it.
        let data = GeneratedFile {
            path: "data.json".into(),
            contents: "{}\n".into(),
        };
        write(dir.path(), &[file("mod.rs", "x"), data]).expect("write");
        fs::create_dir_all(dir.path().join("target/debug")).expect("mkdir");
        fs::write(dir.path().join("target/debug/build.rs"), GENERATED_MARKER)
            .expect("build output");
        fs::write(dir.path().join("mine.json"), "{}").expect("foreign");
        let report = write(dir.path(), &[file("mod.rs", "x")]).expect("write");
        assert_eq!(report.removed, ["data.json"]);
        assert!(dir.path().join("mine.json").exists());
        assert!(
            dir.path().join("target/debug/build.rs").exists(),
            "build folders are not ours"
        );
        let manifest = fs::read_to_string(dir.path().join(MANIFEST_FILE)).expect("manifest");
        assert!(manifest.contains("\"mod.rs\"") && !manifest.contains("data.json"));
    }

    #[test]
    fn concurrent_runs_leave_one_complete_output() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sets: Vec<Vec<GeneratedFile>> = (0..4)
            .map(|n| {
                (0..20)
                    .map(|i| file(&format!("m{i}.rs"), &format!("run {n}")))
                    .collect()
            })
            .collect();
        std::thread::scope(|scope| {
            for set in &sets {
                scope.spawn(|| write(dir.path(), set).expect("write"));
            }
        });
        let first = fs::read_to_string(dir.path().join("m0.rs")).expect("m0");
        for i in 0..20 {
            let text = fs::read_to_string(dir.path().join(format!("m{i}.rs"))).expect("file");
            assert_eq!(text, first, "m{i}.rs comes from another run than m0.rs");
        }
        assert!(
            check(
                dir.path(),
                sets.iter().find(|s| s[0].contents == first).expect("a run")
            )
            .expect("check")
            .is_empty()
        );
    }

    #[test]
    fn check_never_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let stale = check(&out, &[file("mod.rs", "x")]).expect("check");
        assert!(!stale.is_empty());
        assert!(!out.exists());
    }
}
