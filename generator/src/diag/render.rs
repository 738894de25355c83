//! Rendering diagnostics: rustc-style for people, JSON lines for tools.

use std::collections::BTreeMap;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity, Tally};
use crate::source::SourceMap;

/// Renders one diagnostic the way rustc does: header with the code, the
/// location, the source line with a caret under the span, then notes.
pub fn human(diagnostic: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let file = sources.get(diagnostic.span.file);
    let start = file.line_col(diagnostic.span.range.start);
    let line = file.line_range(start.line);
    let line_text = &file.text[line.clone()];
    // The caret covers the span's part of its first line (at least one character),
    // on character boundaries whatever the span says.
    let mut from = diagnostic.span.range.start.clamp(line.start, line.end) - line.start;
    while !line_text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = diagnostic.span.range.end.clamp(line.start, line.end) - line.start;
    while !line_text.is_char_boundary(to) {
        to += 1;
    }
    let to = if to > from {
        to
    } else {
        line_text[from..]
            .chars()
            .next()
            .map_or(from, |c| from + c.len_utf8())
    };
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = level
        .primary_title(diagnostic.message.as_str())
        .id(diagnostic.code.as_str())
        .element(
            Snippet::source(line_text)
                .line_start(start.line)
                .path(file.display_path.as_str())
                .annotation(AnnotationKind::Primary.span(from..to)),
        );
    for note in &diagnostic.notes {
        group = group.element(Level::NOTE.message(note.as_str()));
    }
    let report: &[Group<'_>] = &[group];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(report)
}

/// Counts by code, most frequent first, and a total line.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let mut by_code: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for d in diagnostics {
        *by_code.entry((d.severity, d.code.as_str())).or_default() += 1;
    }
    let mut rows: Vec<_> = by_code.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    if !rows.is_empty() {
        out.push_str("summary by code:\n");
        for ((severity, code), count) in &rows {
            out.push_str(&format!("{count:>7}  {:<8} {code}\n", severity.as_str()));
        }
    }
    let tally = Tally::of(diagnostics);
    out.push_str(&format!(
        "{} error{}, {} warning{}\n",
        tally.errors,
        if tally.errors == 1 { "" } else { "s" },
        tally.warnings,
        if tally.warnings == 1 { "" } else { "s" }
    ));
    out
}

/// One JSON object per line, for tools.
pub fn json_lines(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(
            &serde_json::to_string(&crate::ir::DiagnosticJson(d, sources)).unwrap_or_default(),
        );
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{SourceFile, Span};

    #[test]
    fn spans_inside_a_character_are_widened_not_fatal() {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(
            "a.md".into(),
            "a.md".into(),
            "a.md".into(),
            "x\u{a0}\u{a0}y\n".into(),
        ));
        for range in [2..3, 1..2, 2..4, 0..99, 99..100] {
            let d = Diagnostic::new(Code::ExampleJsonLenient, Span::new(id, range), "m");
            assert!(human(&d, &sources, false).contains("a.md:"));
        }
    }

    #[test]
    fn renders_like_rustc() {
        let mut sources = SourceMap::default();
        let id = sources.add(SourceFile::new(
            "docs/a.md".into(),
            "a.md".into(),
            "docs/a.md".into(),
            "line one\n  \"count\": \"Integer\",\n".into(),
        ));
        let d = Diagnostic::new(Code::ExampleValueType, Span::new(id, 20..29), "bad value")
            .with_note("a note");
        let text = human(&d, &sources, false);
        assert!(
            text.starts_with("warning[example-value-type]: bad value"),
            "{text}"
        );
        assert!(text.contains("--> docs/a.md:2:12\n"), "{text}");
        assert!(text.contains("\"count\": \"Integer\","), "{text}");
        assert!(text.contains("^^^^^^^^^"), "{text}");
        assert!(text.contains("note: a note"), "{text}");
        let summary = summary(&[d.clone(), d]);
        assert!(
            summary.contains("2  warning  example-value-type"),
            "{summary}"
        );
        assert!(summary.ends_with("0 errors, 2 warnings\n"));
    }
}
