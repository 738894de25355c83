//! Source files and positions.
//!
//! Every fact docgen reads keeps the byte range it came from, so that an IR
//! item or a diagnostic can always say `file:line:col`. Text is normalised on
//! load (BOM dropped, CRLF turned into LF) so that offsets, lines and columns
//! are computed on one representation.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range belongs to.
    pub file: FileId,
    /// Byte offsets into the file's normalised text.
    pub range: Range<usize>,
}

impl Span {
    /// A span of `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// One page as docgen reads it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as the user named it (the argument joined with the file's path below it).
    pub display_path: String,
    /// Path relative to the docs root, with `/` separators: stable across machines,
    /// so it is what generated code cites.
    pub rel_path: String,
    /// Absolute or user-given path on disk.
    pub disk_path: PathBuf,
    /// Normalised text: no BOM, LF line endings, invalid UTF-8 replaced.
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl SourceFile {
    /// Builds a source file from raw bytes, normalising the text.
    ///
    /// Returns the file and whether the bytes were valid UTF-8.
    pub fn from_bytes(
        display_path: String,
        rel_path: String,
        disk_path: PathBuf,
        bytes: &[u8],
    ) -> (Self, bool) {
        Self::from_vec(display_path, rel_path, disk_path, bytes.to_vec())
    }

    /// [`from_bytes`](Self::from_bytes) for bytes the caller owns (a file just
    /// read): valid UTF-8 becomes the text without a copy.
    pub fn from_vec(
        display_path: String,
        rel_path: String,
        disk_path: PathBuf,
        bytes: Vec<u8>,
    ) -> (Self, bool) {
        let (text, valid) = match String::from_utf8(bytes) {
            Ok(text) => (text, true),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
        };
        (Self::new(display_path, rel_path, disk_path, text), valid)
    }

    /// Builds a source file from text, normalising it.
    pub fn new(display_path: String, rel_path: String, disk_path: PathBuf, text: String) -> Self {
        let text = normalise(text);
        // memchr's iterator: `match_indices('\n')` pays a call per line.
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceFile {
            display_path,
            rel_path,
            disk_path,
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts[line_index];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol {
            line: line_index + 1,
            col,
        }
    }

    /// Byte range of the 1-based `line`, without its newline.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        start..end.max(start)
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Drops a leading BOM and turns CRLF and lone CR into LF.
fn normalise(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// All files of one run, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(Arc::new(file));
        id
    }

    /// The file with this id.
    ///
    /// # Panics
    /// Panics if the id was not issued by this map (a generator bug, never input-dependent).
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files with their ids, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f.as_ref()))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the map holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `display_path:line:col` of a span's start.
    pub fn location(&self, span: &Span) -> String {
        let file = self.get(span.file);
        let lc = file.line_col(span.range.start);
        format!("{}:{}:{}", file.display_path, lc.line, lc.col)
    }

    /// `display_path:line` of a span's start.
    pub fn line_location(&self, span: &Span) -> String {
        let file = self.get(span.file);
        format!(
            "{}:{}",
            file.display_path,
            file.line_col(span.range.start).line
        )
    }

    /// `rel_path:line` of a span's start: stable across checkouts, for generated code.
    pub fn stable_location(&self, span: &Span) -> String {
        let file = self.get(span.file);
        format!("{}:{}", file.rel_path, file.line_col(span.range.start).line)
    }
}

/// `path` below `root`, with `/` separators whatever the platform.
pub fn rel_slash_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Joins a user-given root and a relative path for display, with `/` separators.
pub fn display_join(root: &Path, rel: &str) -> String {
    let root = root.to_string_lossy().replace('\\', "/");
    if rel.is_empty() {
        root
    } else if root.is_empty() || root == "." {
        rel.to_owned()
    } else {
        format!("{}/{}", root.trim_end_matches('/'), rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.md".into(), "a.md".into(), "a.md".into(), text.into())
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let f = file("ab\nçd\n\nx");
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, col: 1 });
        // 'd' follows the two-byte 'ç': byte 5, character column 2.
        assert_eq!(f.line_col(5), LineCol { line: 2, col: 2 });
        assert_eq!(f.line_col(7), LineCol { line: 3, col: 1 });
        assert_eq!(f.line_col(999), LineCol { line: 4, col: 2 });
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let f = file("\u{feff}a\r\nb\rc");
        assert_eq!(f.text, "a\nb\nc");
        assert_eq!(f.line_count(), 3);
        assert_eq!(&f.text[f.line_range(2)], "b");
    }

    #[test]
    fn invalid_utf8_is_replaced_and_reported() {
        let (f, valid) = SourceFile::from_bytes("x".into(), "x".into(), "x".into(), b"a\xffb");
        assert!(!valid);
        assert_eq!(f.text, "a\u{fffd}b");
    }

    #[test]
    fn owned_bytes_are_normalised_and_checked() {
        let cases: [(&[u8], &str, bool); 4] = [
            (b"\xef\xbb\xbfa\r\nb", "a\nb", true),
            (b"a\xffb\n", "a\u{fffd}b\n", false),
            (b"", "", true),
            (b"plain\ntext", "plain\ntext", true),
        ];
        for (bytes, text, utf8) in cases {
            let (file, valid) =
                SourceFile::from_vec("x".into(), "x".into(), "x".into(), bytes.to_vec());
            assert_eq!((file.text.as_str(), valid), (text, utf8), "{bytes:?}");
            assert_eq!(
                file.line_count(),
                text.matches('\n').count() + 1,
                "{bytes:?}"
            );
        }
    }
}
