//! Emit: IR → formatted Rust files.
//!
//! Identifiers and literals are built as tokens (quote / proc-macro2), so page
//! text is escaped by construction; askama templates lay out files and items;
//! every file is parsed with syn (a failure is a generator bug and nothing is
//! written) and formatted with prettyplease. Output is deterministic: the IR is
//! sorted and every name comes from a [`names::Scope`] filled in a fixed order.

pub mod docs;
mod format;
mod models;
pub mod names;
mod operations;
mod runtime_files;
mod templates;
mod types;

use std::fmt;

use crate::diag::Diagnostic;
use crate::ir::Ir;
use crate::source::SourceMap;

pub use format::{GENERATED_HEADER, GENERATED_MARKER, format_file};
pub use templates::is_crate_name;

/// What to emit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmitConfig {
    /// The runtime crate a module tree depends on (`docgen_runtime`).
    pub runtime_crate: String,
    /// When set, a complete crate of this name (Cargo.toml and src/, the runtime
    /// inlined as `src/runtime/`) instead of a module tree.
    pub crate_name: Option<String>,
}

impl Default for EmitConfig {
    fn default() -> Self {
        EmitConfig {
            runtime_crate: "docgen_runtime".to_owned(),
            crate_name: None,
        }
    }
}

/// One output file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// The contents.
    pub contents: String,
}

/// A generator bug: generated code that does not parse. Never input's fault.
#[derive(Debug)]
pub struct EmitError {
    /// The file.
    pub path: String,
    /// What syn said.
    pub message: String,
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "internal error: generated {} does not parse ({}); please report this docgen bug",
            self.path, self.message
        )
    }
}

impl std::error::Error for EmitError {}

/// The files of the SDK, and diagnostics about what could not be expressed.
#[derive(Debug)]
pub struct Emitted {
    /// Output files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// What was dropped and why.
    pub diagnostics: Vec<Diagnostic>,
}

/// Emits the SDK for `ir`.
pub fn emit(ir: &Ir, sources: &SourceMap, config: &EmitConfig) -> Result<Emitted, EmitError> {
    let table = types::TypeTable::new(ir);
    let mut diagnostics = Vec::new();
    let models = models::emit(ir, &table, sources);
    let ops = operations::emit(ir, &table, sources, &mut diagnostics);
    let prefix = if config.crate_name.is_some() {
        "src/"
    } else {
        ""
    };
    let runtime_path = match &config.crate_name {
        Some(_) => "crate::runtime".to_owned(),
        None => format!("::{}", config.runtime_crate),
    };
    let root = templates::root(&runtime_path, config, ir)?;
    let mut files = vec![
        format_file(&format!("{prefix}models.rs"), &templates::models(&models)?)?,
        format_file(
            &format!("{prefix}operations.rs"),
            &templates::operations(&ops)?,
        )?,
        format_file(&format!("{prefix}client.rs"), &templates::client()?)?,
    ];
    match &config.crate_name {
        Some(name) => {
            files.push(format_file("src/lib.rs", &root)?);
            files.push(GeneratedFile {
                path: "Cargo.toml".to_owned(),
                contents: templates::cargo_toml(name)?,
            });
            files.extend(runtime_files::inline());
        }
        None => files.push(format_file("mod.rs", &root)?),
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Emitted { files, diagnostics })
}
