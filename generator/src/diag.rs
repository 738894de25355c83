//! Diagnostics: what docgen tells a doc writer about a page.
//!
//! Every diagnostic has a stable [`Code`] (documented in [`codes`] and by
//! `docgen explain CODE`), a severity, a message written for a doc writer and
//! the span it is about. Nothing in the pipeline panics on input: a defect
//! becomes a diagnostic and the rest of the page and corpus is still read.

pub mod codes;
pub mod github;
pub mod region;
#[cfg(feature = "render")]
pub mod render;
pub mod sarif;
pub mod select;

pub use codes::Code;

use crate::source::{SourceMap, Span};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The page could not be read as written: part of it is lost.
    Error,
    /// The page was read, but says something wrong or doubtful.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding about one place in one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning (the code's default).
    pub severity: Severity,
    /// Stable identifier of the kind of finding.
    pub code: Code,
    /// What is wrong, in words a doc writer understands.
    pub message: String,
    /// Where.
    pub span: Span,
    /// Extra lines: what docgen did about it, or how to fix it.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            span,
            notes: Vec::new(),
        }
    }

    /// Adds a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// A sink for diagnostics, one per page (so pages can be read in parallel).
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records a diagnostic built from its parts.
    pub fn report(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.push(Diagnostic::new(code, span, message));
    }

    /// Moves every diagnostic of `other` into this sink.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The diagnostics recorded so far.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.items
    }

    /// Sorts by file path, position and code, so output is deterministic.
    pub fn into_sorted(mut self, sources: &SourceMap) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            let fa = sources.get(a.span.file);
            let fb = sources.get(b.span.file);
            (
                fa.display_path.as_str(),
                a.span.range.start,
                a.code.as_str(),
                &a.message,
            )
                .cmp(&(
                    fb.display_path.as_str(),
                    b.span.range.start,
                    b.code.as_str(),
                    &b.message,
                ))
        });
        self.items.dedup();
        self.items
    }
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

impl Tally {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}
