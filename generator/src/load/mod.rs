//! Load: find the pages under the given paths and read them.
//!
//! Files are listed in a deterministic order (by path below each root, roots in
//! argument order) and read in parallel. A file that cannot be read becomes a
//! diagnostic; only a root that does not exist is a hard error (a usage mistake).

pub mod front_matter;

use std::path::{Path, PathBuf};

use crate::parallel::*;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::source::{FileId, SourceFile, SourceMap, Span, display_join, rel_slash_path};

pub use front_matter::{DocType, FrontMatter};

/// A page file found below a root.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The root as the user gave it.
    pub root: PathBuf,
    /// Path below the root with `/` separators (the file name when the root is a file).
    pub rel_path: String,
    /// Where to read it.
    pub disk_path: PathBuf,
}

/// A root that could not be walked: a usage or I/O error, not a page defect.
#[derive(Debug)]
pub struct LoadError {
    /// The path the user gave.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

/// Whether docgen reads a file with this name: `.md` and `.txt` pages.
pub fn is_page(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "txt")
    )
}

/// Lists the pages below each root, in a deterministic order, without duplicates.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<Entry>, LoadError> {
    let mut entries = Vec::new();
    // Roots are canonicalised, files are not: the same file twice can only come
    // from overlapping roots.
    let mut seen = std::collections::HashSet::new();
    for root in roots {
        // A dangling link is a page that cannot be read (a diagnostic), not a usage error.
        let meta = std::fs::metadata(root).or_else(|e| {
            std::fs::symlink_metadata(root).map_err(|_| LoadError {
                path: root.clone(),
                message: e.to_string(),
            })
        })?;
        let mut found = Vec::new();
        if !meta.is_dir() {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push(Entry {
                root: root.clone(),
                rel_path: name,
                disk_path: root.clone(),
            });
        } else {
            for item in walkdir::WalkDir::new(root).follow_links(false) {
                let item = item.map_err(|e| LoadError {
                    path: root.clone(),
                    message: e.to_string(),
                })?;
                let file_like = item.file_type().is_file() || item.path_is_symlink();
                if !file_like || !is_page(item.path()) {
                    continue;
                }
                found.push(Entry {
                    root: root.clone(),
                    rel_path: rel_slash_path(root, item.path()),
                    disk_path: item.path().to_path_buf(),
                });
            }
        }
        found.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
        let base = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        for entry in found {
            let key = if entry.root == entry.disk_path {
                base.clone()
            } else {
                base.join(&entry.rel_path)
            };
            if seen.insert(key) {
                entries.push(entry);
            }
        }
    }
    Ok(entries)
}

/// Files that are a `.md.txt` copy of a `.md` page read alongside them, with
/// the page they copy.
pub fn twins(sources: &SourceMap) -> std::collections::HashMap<FileId, String> {
    let pages: std::collections::HashSet<String> = sources
        .iter()
        .map(|(_, f)| f.rel_path.to_ascii_lowercase())
        .collect();
    sources
        .iter()
        .filter_map(|(id, f)| {
            let original = f.rel_path.strip_suffix(".txt")?;
            (original.to_ascii_lowercase().ends_with(".md")
                && pages.contains(&original.to_ascii_lowercase()))
            .then(|| {
                (
                    id,
                    original.rsplit('/').next().unwrap_or(original).to_owned(),
                )
            })
        })
        .collect()
}

/// Reads every entry (in parallel) into a source map, in entry order.
pub fn read(entries: &[Entry]) -> (SourceMap, Diagnostics) {
    let read: Vec<(SourceFile, Option<String>, bool)> = entries
        .par_iter()
        .map(|entry| {
            let display = if entry.root == entry.disk_path {
                entry.root.to_string_lossy().replace('\\', "/")
            } else {
                display_join(&entry.root, &entry.rel_path)
            };
            match std::fs::read(&entry.disk_path) {
                Ok(bytes) => {
                    let (file, valid) = SourceFile::from_vec(
                        display,
                        entry.rel_path.clone(),
                        entry.disk_path.clone(),
                        bytes,
                    );
                    (file, None, valid)
                }
                Err(e) => (
                    SourceFile::new(
                        display,
                        entry.rel_path.clone(),
                        entry.disk_path.clone(),
                        String::new(),
                    ),
                    Some(e.to_string()),
                    true,
                ),
            }
        })
        .collect();
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::new();
    for (file, error, valid_utf8) in read {
        let id: FileId = sources.add(file);
        let span = Span::new(id, 0..0);
        if let Some(error) = error {
            diags.report(
                Code::ReadFailed,
                span,
                format!("the file could not be read: {error}"),
            );
        } else if !valid_utf8 {
            diags.push(
                Diagnostic::new(Code::InvalidUtf8, span, "the file is not valid UTF-8")
                    .with_note("invalid bytes were replaced by U+FFFD"),
            );
        }
    }
    (sources, diags)
}
