//! `docgen lint --format github`: one GitHub Actions workflow command per
//! diagnostic, which the runner turns into an annotation on the page's line
//! (in the job's log, its summary and a pull request's diff).
//!
//! ```text
//! ::warning file=docs/a.md,line=3,col=5,endLine=3,endColumn=14,title=example-value-type::MESSAGE
//! ```
//!
//! Paths are relative to the working directory, which must be the
//! repository's root: GitHub places annotations by repository-relative path.
//! Columns count characters, as the human format's do; `endColumn` is the
//! column after the span. Notes follow the message, one per line.

use std::fmt::Write as _;
use std::path::Path;

use super::region::{Columns, region, relative_path};
use super::{Diagnostic, Severity};
use crate::source::SourceMap;

/// One command per diagnostic, each on its own line.
pub fn commands(diagnostics: &[Diagnostic], sources: &SourceMap, cwd: Option<&Path>) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&command(d, sources, cwd));
        out.push('\n');
    }
    out
}

/// The workflow command for one diagnostic, without a newline.
pub fn command(d: &Diagnostic, sources: &SourceMap, cwd: Option<&Path>) -> String {
    let file = sources.get(d.span.file);
    let path = relative_path(&file.display_path, cwd);
    let r = region(d, sources, Columns::Chars);
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    let mut out = String::with_capacity(message.len() + 128);
    let _ = write!(
        out,
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(path.as_str()),
        r.start_line,
        r.start_column,
        r.end_line,
        r.end_column,
        escape_property(d.code.as_str()),
        escape_data(&message)
    );
    out
}

/// A command's message, escaped as the Actions toolkit does (`escapeData`):
/// `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    escape(text, false)
}

/// A command's property value, escaped as the Actions toolkit does
/// (`escapeProperty`): also `:` and `,`, which delimit properties.
pub fn escape_property(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{SourceFile, Span};

    #[test]
    fn escapes_as_the_actions_toolkit() {
        assert_eq!(escape_data("50%, a: b\r\nc"), "50%25, a: b%0D%0Ac");
        assert_eq!(escape_property("a,b:c%d\ne"), "a%2Cb%3Ac%25d%0Ae");
    }

    #[test]
    fn one_command_per_diagnostic_with_its_region_and_notes() {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(
            "./docs/a,b.md".into(),
            "a,b.md".into(),
            "docs/a,b.md".into(),
            "line one\n  \"count\": \"Integer\",\n".into(),
        ));
        let warning = Diagnostic::new(Code::ExampleValueType, Span::new(id, 20..29), "bad: 100%")
            .with_note("one, two");
        let error = Diagnostic::new(Code::FrontMatterInvalid, Span::new(id, 0..0), "broken");
        assert_eq!(
            commands(&[warning, error], &sources, None),
            "::warning file=docs/a%2Cb.md,line=2,col=12,endLine=2,endColumn=21,title=example-value-type::bad: 100%25%0Anote: one, two\n\
             ::error file=docs/a%2Cb.md,line=1,col=1,endLine=1,endColumn=2,title=front-matter-invalid::broken\n"
        );
    }
}
