//! docgen: Microsoft Graph API reference pages (Markdown) → a typed Rust SDK.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! 1. [`load`]: find pages, read them, split the front matter;
//! 2. [`extract`]: Markdown (or plain text) → blocks → the facts of one page;
//! 3. [`ir`]: every page's facts → types and operations, merged and checked;
//! 4. [`emit`]: IR → formatted Rust files;
//! 5. [`output`]: write the files, or check that they are up to date;
//!    [`api`] reads the public API back from them, to say what a change
//!    does to callers (`docgen check`, `docgen diff`).
//!
//! [`Config`] drives the whole pipeline, for `build.rs` and the CLI alike.

pub mod api;
pub mod diag;
pub mod emit;
pub mod extract;
pub mod ir;
pub mod load;
#[cfg(feature = "mock")]
pub mod mock;
pub mod output;
mod parallel;
pub mod source;
mod yaml;

use std::path::PathBuf;

use crate::parallel::*;

pub use diag::{Code, Diagnostic, Severity};
pub use ir::Ir;
pub use load::LoadError;
pub use source::SourceMap;

use diag::Diagnostics;
use extract::PageFacts;
use source::FileId;

/// What docgen read from a set of pages.
#[derive(Debug)]
pub struct Docs {
    /// The pages, for locations and source lines.
    pub sources: SourceMap,
    /// The merged types and operations.
    pub ir: Ir,
    /// Every diagnostic, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Docs {
    /// The IR and diagnostics as the JSON document of `docgen ir --json`.
    pub fn to_json(&self) -> serde_json::Value {
        ir::to_json(&self.ir, &self.diagnostics, &self.sources)
    }

    /// The same document as [`Docs::to_json`], as a [`serde::Serialize`] view
    /// to write out directly (`serde_json::to_writer_pretty`), without the
    /// intermediate `Value`.
    pub fn json(&self) -> ir::IrJson<'_> {
        ir::ir_json(&self.ir, &self.diagnostics, &self.sources)
    }

    /// The pages read, as generated code cites them (`api/user-get.md`).
    pub fn pages(&self) -> std::collections::BTreeSet<String> {
        self.sources
            .iter()
            .map(|(_, f)| f.rel_path.clone())
            .collect()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Reads every page under `paths` (files or folders, `.md` and `.txt`) into the IR.
///
/// Only a path that cannot be walked is an error; every defect in a page is a diagnostic.
pub fn read_docs(paths: &[PathBuf]) -> Result<Docs, LoadError> {
    // The other cores are idle while the folders are walked.
    parallel::ahead_of_time(ir::prepare_naming);
    let entries = load::discover(paths)?;
    let (sources, diags) = load::read(&entries);
    Ok(read_sources(sources, diags))
}

/// Reads pages held in memory, as (path relative to the docs folder, bytes),
/// into the IR: [`read_docs`] without the file system, for tools that hold
/// pages themselves (and for fuzzing).
pub fn read_pages(pages: &[(&str, &[u8])]) -> Docs {
    let mut sources = source::SourceMap::default();
    let mut diags = Diagnostics::new();
    for (path, bytes) in pages {
        let (file, valid_utf8) = source::SourceFile::from_bytes(
            (*path).to_owned(),
            (*path).to_owned(),
            PathBuf::from(path),
            bytes,
        );
        let id = sources.add(file);
        if !valid_utf8 {
            diags.push(
                Diagnostic::new(
                    Code::InvalidUtf8,
                    source::Span::new(id, 0..0),
                    "the file is not valid UTF-8",
                )
                .with_note("invalid bytes were replaced by U+FFFD"),
            );
        }
    }
    read_sources(sources, diags)
}

fn read_sources(sources: source::SourceMap, mut diags: Diagnostics) -> Docs {
    let twins = load::twins(&sources);
    let pages: Vec<(PageFacts, Diagnostics)> = (0..sources.len())
        .into_par_iter()
        .map(|i| {
            let id = FileId(i as u32);
            let mut page_diags = Diagnostics::new();
            let facts = match twins.get(&id) {
                // A stray `.md.txt` copy of a page is not a second page.
                Some(original) => {
                    page_diags.push(
                        Diagnostic::new(
                            Code::PageDuplicate,
                            source::Span::new(id, 0..0),
                            format!("this file is a copy of `{original}`; docgen reads only `{original}`"),
                        )
                        .with_note("delete the copy"),
                    );
                    PageFacts {
                        file: id,
                        ..PageFacts::default()
                    }
                }
                None => extract::page(id, sources.get(id), &mut page_diags),
            };
            (facts, page_diags)
        })
        .collect();
    let mut facts = Vec::with_capacity(pages.len());
    for (page, page_diags) in pages {
        facts.push(page);
        diags.extend(page_diags);
    }
    let ir = ir::build(&facts, &sources, &mut diags);
    // Page facts are many small allocations: free them on every core.
    facts.into_par_iter().for_each(drop);
    let diagnostics = diags.into_sorted(&sources);
    Docs {
        sources,
        ir,
        diagnostics,
    }
}

/// Anything that stops docgen from producing or checking output.
#[derive(Debug)]
pub enum Error {
    /// A docs path could not be walked.
    Load(LoadError),
    /// Generated code did not parse: a docgen bug.
    Emit(emit::EmitError),
    /// The output folder could not be read or written.
    Output(output::OutputError),
    /// The configuration is incomplete or invalid.
    Config(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Load(e) => write!(f, "cannot read the docs: {e}"),
            Error::Emit(e) => e.fmt(f),
            Error::Output(e) => write!(f, "cannot use the output folder: {e}"),
            Error::Config(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for Error {}

impl From<LoadError> for Error {
    fn from(e: LoadError) -> Self {
        Error::Load(e)
    }
}

impl From<emit::EmitError> for Error {
    fn from(e: emit::EmitError) -> Self {
        Error::Emit(e)
    }
}

impl From<output::OutputError> for Error {
    fn from(e: output::OutputError) -> Self {
        Error::Output(e)
    }
}

/// The result of [`Config::generate`].
#[derive(Debug)]
pub struct Generated {
    /// What was read.
    pub docs: Docs,
    /// What was emitted (files and emitter diagnostics).
    pub emitted: emit::Emitted,
    /// What was written.
    pub report: output::WriteReport,
}

/// The result of [`Config::check`].
#[derive(Debug)]
pub struct Checked {
    /// What was read.
    pub docs: Docs,
    /// Differences between the output folder and what docgen would write; empty when up to date.
    pub stale: Vec<output::Stale>,
    /// The files docgen would write.
    pub files: Vec<emit::GeneratedFile>,
}

impl Checked {
    /// What the stale files change in the public API: the output folder's
    /// code against what docgen would write now, with the pages that cause
    /// each change. `out` is the folder that was checked.
    pub fn api_changes(&self, out: &std::path::Path) -> Result<api::Report, Error> {
        let old = output::read_tree(out)?;
        let before = api::read(old.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let after = api::read(
            self.files
                .iter()
                .map(|f| (f.path.as_str(), f.contents.as_str())),
        );
        Ok(api::compare(&before, &after, Some(&self.docs.pages())))
    }
}

/// A builder-style configuration of the whole pipeline, for `build.rs` and the CLI.
///
/// In `build.rs`:
///
/// ```no_run
/// docgen::Config::new()
///     .docs("docs-input")
///     .compile()
///     .expect("docgen");
/// ```
/// and in `src/lib.rs`: `include!(concat!(env!("OUT_DIR"), "/docgen/mod.rs"));`
#[derive(Clone, Debug, Default)]
pub struct Config {
    docs: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    emit: emit::EmitConfig,
}

impl Config {
    /// A configuration with no docs and the default output.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a docs path (a page or a folder of pages).
    pub fn docs(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.docs.push(path.into());
        self
    }

    /// Where to write (for [`Config::compile`], defaults to `$OUT_DIR/docgen`).
    pub fn out_dir(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(path.into());
        self
    }

    /// Writes a standalone crate of this name (Cargo.toml, src/, runtime inlined).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.emit.crate_name = Some(name.into());
        self
    }

    /// The runtime crate generated modules use (default `docgen_runtime`).
    pub fn runtime_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.emit.runtime_crate = name.into();
        self
    }

    /// Reads the docs into the IR.
    pub fn read(&self) -> Result<Docs, Error> {
        if self.docs.is_empty() {
            return Err(Error::Config("no docs path was given".to_owned()));
        }
        Ok(read_docs(&self.docs)?)
    }

    /// Emits the files for `docs`.
    pub fn emit(&self, docs: &Docs) -> Result<emit::Emitted, Error> {
        if let Some(name) = &self.emit.crate_name
            && !emit::is_crate_name(name)
        {
            return Err(Error::Config(format!(
                "`{name}` is not a valid crate name (letters, digits, `-`, `_`, starting with a letter)"
            )));
        }
        // Names given before stay (see `emit::Names`).
        let previous = self
            .out_dir
            .as_ref()
            .and_then(|out| std::fs::read_to_string(out.join(emit::NAMES_FILE)).ok())
            .and_then(|text| emit::Names::parse(&text));
        match previous {
            Some(previous_names) => {
                let config = emit::EmitConfig {
                    previous_names,
                    ..self.emit.clone()
                };
                Ok(emit::emit(&docs.ir, &docs.sources, &config)?)
            }
            None => Ok(emit::emit(&docs.ir, &docs.sources, &self.emit)?),
        }
    }

    fn out(&self) -> Result<&PathBuf, Error> {
        self.out_dir
            .as_ref()
            .ok_or_else(|| Error::Config("no output folder was given".to_owned()))
    }

    /// Reads, emits and writes.
    pub fn generate(&self) -> Result<Generated, Error> {
        let out = self.out()?;
        let docs = self.read()?;
        let emitted = self.emit(&docs)?;
        let report = output::write(out, &emitted.files)?;
        Ok(Generated {
            docs,
            emitted,
            report,
        })
    }

    /// Reads and emits, then compares with the output folder. Never writes.
    pub fn check(&self) -> Result<Checked, Error> {
        let out = self.out()?;
        let docs = self.read()?;
        let emitted = self.emit(&docs)?;
        let stale = output::check(out, &emitted.files)?;
        Ok(Checked {
            docs,
            stale,
            files: emitted.files,
        })
    }

    /// The `build.rs` entry point: generates into `$OUT_DIR/docgen` (unless an
    /// output folder was set), tells cargo to rerun when a docs path changes,
    /// and reports each error in the pages as a cargo warning.
    pub fn compile(&self) -> Result<Generated, Error> {
        let mut config = self.clone();
        if config.out_dir.is_none() {
            let out = std::env::var_os("OUT_DIR").ok_or_else(|| {
                Error::Config("OUT_DIR is not set: call compile() from build.rs".to_owned())
            })?;
            config.out_dir = Some(PathBuf::from(out).join("docgen"));
        }
        for path in &config.docs {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let generated = config.generate()?;
        for d in generated
            .docs
            .diagnostics
            .iter()
            .chain(&generated.emitted.diagnostics)
            .filter(|d| d.severity == Severity::Error)
        {
            println!(
                "cargo:warning={}: {}[{}]: {}",
                generated.docs.sources.location(&d.span),
                d.severity.as_str(),
                d.code,
                d.message
            );
        }
        Ok(generated)
    }
}
