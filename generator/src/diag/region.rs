//! Where a diagnostic is, as the CI formats (`github`, `sarif`) say it: a
//! start and an end line and column, and a path relative to the working
//! directory.

use std::path::Path;

use super::Diagnostic;
use crate::source::{SourceFile, SourceMap};

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// In characters (Unicode scalar values), as `docgen lint` prints them.
    Chars,
    /// In UTF-16 code units: SARIF's default `columnKind`.
    Utf16,
}

/// A 1-based range of lines and columns; the end column is the one just
/// after the span (exclusive, as in SARIF).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// The first line.
    pub start_line: usize,
    /// The column of the first character.
    pub start_column: usize,
    /// The last line.
    pub end_line: usize,
    /// The column after the last character.
    pub end_column: usize,
}

/// The region a diagnostic covers.
///
/// An empty span (a whole-file finding, an insertion point) covers the
/// character it starts at, as the caret of the human format does, unless it
/// is at the end of its line. A span ending just after a newline ends at the
/// end of the line before, not at column 1 of the next.
pub fn region(diagnostic: &Diagnostic, sources: &SourceMap, columns: Columns) -> Region {
    let file = sources.get(diagnostic.span.file);
    let len = file.text.len();
    let start = floor_char(file, diagnostic.span.range.start.min(len));
    let mut end = ceil_char(file, diagnostic.span.range.end.clamp(start, len));
    let start_line = file.line_col(start).line;
    if end == start {
        let line_end = file.line_range(start_line).end;
        end = file.text[start..line_end]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    } else if file.text.as_bytes()[end - 1] == b'\n' {
        end -= 1;
    }
    let end_line = file.line_col(end).line;
    Region {
        start_line,
        start_column: column(file, start_line, start, columns),
        end_line,
        end_column: column(file, end_line, end, columns),
    }
}

/// The 1-based column of byte `offset`, on its 1-based `line`.
fn column(file: &SourceFile, line: usize, offset: usize, columns: Columns) -> usize {
    let prefix = &file.text[file.line_range(line).start..offset];
    1 + match columns {
        Columns::Chars => prefix.chars().count(),
        Columns::Utf16 => prefix.encode_utf16().count(),
    }
}

fn floor_char(file: &SourceFile, mut offset: usize) -> usize {
    while !file.text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char(file: &SourceFile, mut offset: usize) -> usize {
    while !file.text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// A page's path as CI tools want it: relative to `cwd` (which should be
/// the repository's root), with `/` separators and no `./` segments.
///
/// A relative path is kept as the user gave it (it is relative to the
/// working directory already); an absolute one under `cwd` loses that
/// prefix; any other absolute path stays absolute, and the caller decides
/// what to do with it.
pub fn relative_path(display_path: &str, cwd: Option<&Path>) -> RelPath {
    let path = Path::new(display_path);
    if path.is_absolute() {
        if let Some(rest) = cwd.and_then(|cwd| path.strip_prefix(cwd).ok()) {
            return RelPath::Relative(slash_join(rest));
        }
        return RelPath::Absolute(display_path.replace('\\', "/"));
    }
    RelPath::Relative(slash_join(path))
}

/// A path relative to the working directory, or an absolute one outside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RelPath {
    /// Relative to the working directory, `/`-separated, without `./`.
    Relative(String),
    /// Absolute, outside the working directory.
    Absolute(String),
}

impl RelPath {
    /// The path, whichever it is.
    pub fn as_str(&self) -> &str {
        match self {
            RelPath::Relative(p) | RelPath::Absolute(p) => p,
        }
    }
}

fn slash_join(path: &Path) -> String {
    use std::path::Component;
    let parts: Vec<_> = path
        .components()
        .filter_map(|c| match c {
            Component::CurDir => None,
            Component::ParentDir => Some("..".into()),
            other => Some(other.as_os_str().to_string_lossy()),
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{SourceFile, Span};

    fn one(text: &str, range: std::ops::Range<usize>, columns: Columns) -> Region {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(
            "a.md".into(),
            "a.md".into(),
            "a.md".into(),
            text.into(),
        ));
        let d = Diagnostic::new(Code::ExampleValueType, Span::new(id, range), "m");
        region(&d, &sources, columns)
    }

    fn r(start_line: usize, start_column: usize, end_line: usize, end_column: usize) -> Region {
        Region {
            start_line,
            start_column,
            end_line,
            end_column,
        }
    }

    #[test]
    fn regions_are_one_based_with_an_exclusive_end() {
        assert_eq!(one("ab\ncdef\n", 4..6, Columns::Chars), r(2, 2, 2, 4));
        // Empty spans cover one character; at the end of a line, none.
        assert_eq!(one("ab\ncd\n", 0..0, Columns::Chars), r(1, 1, 1, 2));
        assert_eq!(one("ab\ncd\n", 2..2, Columns::Chars), r(1, 3, 1, 3));
        assert_eq!(one("", 0..0, Columns::Chars), r(1, 1, 1, 1));
        // A span over a whole line and its newline ends on that line.
        assert_eq!(one("ab\ncd\nef", 3..6, Columns::Chars), r(2, 1, 2, 3));
        assert_eq!(one("ab\ncd\nef", 1..7, Columns::Chars), r(1, 2, 3, 2));
        // Out of range and mid-character spans are clamped and widened.
        assert_eq!(one("ab", 5..9, Columns::Chars), r(1, 3, 1, 3));
        assert_eq!(one("é", 1..1, Columns::Chars), r(1, 1, 1, 2));
    }

    #[test]
    fn columns_count_characters_or_utf16_units() {
        // `é` is 2 bytes, 1 char, 1 unit; `😀` is 4 bytes, 1 char, 2 units.
        let text = "é😀x\n";
        let x = text.find('x').expect("x");
        assert_eq!(one(text, x..x + 1, Columns::Chars), r(1, 3, 1, 4));
        assert_eq!(one(text, x..x + 1, Columns::Utf16), r(1, 4, 1, 5));
    }

    #[test]
    fn paths_are_made_relative_to_the_working_directory() {
        let cwd = Path::new("/repo");
        let rel = |p: &str| relative_path(p, Some(cwd));
        assert_eq!(rel("docs/a.md"), RelPath::Relative("docs/a.md".into()));
        assert_eq!(rel("./docs/./a.md"), RelPath::Relative("docs/a.md".into()));
        assert_eq!(rel("../x/a.md"), RelPath::Relative("../x/a.md".into()));
        assert_eq!(
            rel("/repo/docs/a.md"),
            RelPath::Relative("docs/a.md".into())
        );
        assert_eq!(rel("/other/a.md"), RelPath::Absolute("/other/a.md".into()));
    }
}
