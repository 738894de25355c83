//! Reporting on some pages only: those a pull request touches.
//!
//! Every page is still read (a type on an unchanged page resolves a link on
//! a changed one); only the diagnostics on the selected pages are kept. A
//! [`Selection`] comes from git (`docgen lint --changed-since REV`) or from
//! a list of files (`--only FILE...`); both are matched against the pages
//! the same way: by the canonical path of a file's folder and its name, so
//! `docs/a.md`, `./docs/a.md` and `/repo/docs/a.md` are one page, and a
//! file that is not a page that was read (an image, a deleted page, a file
//! outside the PATHs) selects nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::Diagnostic;
use crate::source::SourceMap;

/// The pages whose diagnostics are reported.
#[derive(Clone, Debug)]
pub struct Selection {
    keys: HashSet<PathBuf>,
    origin: String,
}

/// Why the pages to report could not be chosen (git missing or failing).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectError(pub String);

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SelectError {}

impl Selection {
    /// The pages among `files` (paths relative to the working directory or
    /// absolute); files that do not exist select nothing.
    pub fn files(files: &[PathBuf]) -> Selection {
        Selection {
            keys: files.iter().filter_map(|f| key(f)).collect(),
            origin: "listed with --only".to_owned(),
        }
    }

    /// The files git reports as changed since `rev` in the repositories
    /// holding `paths`: added, copied, modified or renamed between the
    /// merge base of `rev` and HEAD and the working tree (committed or not),
    /// and untracked files git does not ignore. That is what a pull request
    /// against `rev` changes, plus what is not committed yet.
    ///
    /// # Errors
    /// When git cannot be run, a path is not in a git repository, `rev` is
    /// not a commit there, or it shares no history with HEAD (a shallow
    /// clone).
    pub fn changed_since(paths: &[PathBuf], rev: &str) -> Result<Selection, SelectError> {
        if rev.is_empty() || rev.starts_with('-') {
            return Err(SelectError(format!(
                "`{rev}` is not a revision (--changed-since takes a commit, branch or tag)"
            )));
        }
        let mut tops = BTreeSet::new();
        for path in paths {
            let dir = if path.is_dir() {
                path.as_path()
            } else {
                match path.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => Path::new("."),
                }
            };
            let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
                GitError::Failed(message) => SelectError(format!(
                    "--changed-since: {} is not in a git repository ({message})",
                    path.display()
                )),
                missing => missing.into(),
            })?;
            tops.insert(lossy_path(trim_newline(&top)));
        }
        let mut keys = HashSet::new();
        for top in &tops {
            let commit = format!("{rev}^{{commit}}");
            git(top, &["rev-parse", "--verify", "--quiet", &commit]).map_err(|e| match e {
                GitError::Failed(_) => SelectError(format!(
                    "--changed-since: unknown revision `{rev}` in the repository at {}",
                    top.display()
                )),
                missing => missing.into(),
            })?;
            let base = git(top, &["merge-base", rev, "HEAD"]).map_err(|e| match e {
                GitError::Failed(_) => SelectError(format!(
                    "--changed-since: `{rev}` and HEAD have no common ancestor in the repository at {} \
                     (in a shallow clone, fetch the history: actions/checkout with `fetch-depth: 0`)",
                    top.display()
                )),
                missing => missing.into(),
            })?;
            let base = String::from_utf8_lossy(trim_newline(&base)).into_owned();
            let changed = git(
                top,
                &[
                    "diff",
                    "--name-only",
                    "-z",
                    "--diff-filter=ACMR",
                    &base,
                    "--",
                ],
            )?;
            let untracked = git(top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
            for name in changed
                .split(|b| *b == 0)
                .chain(untracked.split(|b| *b == 0))
            {
                if !name.is_empty()
                    && let Some(k) = key(&top.join(lossy_path(name)))
                {
                    keys.insert(k);
                }
            }
        }
        Ok(Selection {
            keys,
            origin: format!("changed since {rev}"),
        })
    }

    /// Where the selection came from, for a message: `changed since
    /// origin/main`, `listed with --only`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Keeps the diagnostics on selected pages; returns how many of the
    /// pages are selected.
    pub fn retain(&self, sources: &SourceMap, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let mut folders: HashMap<&Path, Option<PathBuf>> = HashMap::new();
        let selected: Vec<bool> = sources
            .iter()
            .map(|(_, file)| {
                let path = file.disk_path.as_path();
                let (Some(name), parent) = (path.file_name(), folder(path)) else {
                    return false;
                };
                let canonical = folders
                    .entry(parent)
                    .or_insert_with(|| std::fs::canonicalize(parent).ok());
                canonical
                    .as_ref()
                    .is_some_and(|dir| self.keys.contains(&dir.join(name)))
            })
            .collect();
        diagnostics.retain(|d| selected[d.span.file.0 as usize]);
        selected.iter().filter(|s| **s).count()
    }
}

/// A file's key: its folder's canonical path joined with its name (the file
/// itself is not resolved, so a link is the page git names).
fn key(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = std::fs::canonicalize(folder(path)).ok()?;
    Some(dir.join(name))
}

fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

enum GitError {
    /// git could not be started.
    Missing(std::io::Error),
    /// git ran and failed, saying this.
    Failed(String),
}

impl From<GitError> for SelectError {
    fn from(e: GitError) -> Self {
        match e {
            GitError::Missing(e) => SelectError(format!(
                "--changed-since needs git, which could not be run ({e}); install git, or list the pages with --only"
            )),
            GitError::Failed(message) => {
                SelectError(format!("--changed-since: git failed: {message}"))
            }
        }
    }
}

/// Runs `git -C dir ARGS` and returns its stdout.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(GitError::Missing)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let message = stderr.trim();
        Err(GitError::Failed(if message.is_empty() {
            format!("`git {}` exited with {}", args.join(" "), out.status)
        } else {
            message.replace('\n', "; ")
        }))
    }
}

fn trim_newline(bytes: &[u8]) -> &[u8] {
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &bytes[..end]
}

#[cfg(unix)]
fn lossy_path(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn lossy_path(bytes: &[u8]) -> PathBuf {
    PathBuf::from(OsStr::new(String::from_utf8_lossy(bytes).as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{SourceFile, Span};

    #[test]
    fn listed_files_select_their_pages_however_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).expect("docs");
        let mut sources = SourceMap::default();
        let mut diagnostics = Vec::new();
        for name in ["a.md", "b.md"] {
            let path = docs.join(name);
            std::fs::write(&path, "x").expect("page");
            let id = sources.add(SourceFile::new(name.into(), name.into(), path, "x".into()));
            diagnostics.push(Diagnostic::new(
                Code::FrontMatterMissing,
                Span::new(id, 0..0),
                name,
            ));
        }
        let listed = [
            docs.join(".").join("b.md"),
            docs.join("missing.md"),
            docs.join("image.png"),
        ];
        let selection = Selection::files(&listed);
        assert_eq!(selection.retain(&sources, &mut diagnostics), 1);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].message, "b.md");
    }
}
