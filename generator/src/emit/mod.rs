//! Emit: IR → formatted Rust files.
//!
//! Identifiers and literals are built as tokens (quote / proc-macro2), so page
//! text is escaped by construction; askama templates lay out files and items;
//! every file is parsed with syn (a failure is a generator bug and nothing is
//! written) and formatted with prettyplease. Output is deterministic: the IR is
//! sorted and every name comes from a [`names::Scope`] filled in a fixed order.

pub mod docs;
mod example_cases;
mod features;
mod format;
mod limits;
mod models;
pub mod names;
mod names_file;
mod operations;
mod replay_cases;
mod runtime_files;
mod templates;
mod types;

use std::collections::BTreeMap;
use std::fmt;

use crate::parallel::*;

use crate::diag::Diagnostic;
use crate::ir::Ir;
use crate::source::SourceMap;

pub use example_cases::{ExampleCase, ExampleRole, example_cases};
pub use format::{GENERATED_HEADER, GENERATED_MARKER, format_file};
pub use names_file::{NAMES_FILE, Names};
pub use replay_cases::{ReplayCase, Skipped, replay_cases};
pub use templates::is_crate_name;

/// What to emit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmitConfig {
    /// The runtime crate a module tree depends on (`docgen_runtime`).
    pub runtime_crate: String,
    /// When set, a complete crate of this name (Cargo.toml and src/, the runtime
    /// inlined as `src/runtime/`) instead of a module tree.
    pub crate_name: Option<String>,
    /// The names the previous run gave (its `docgen-names.json`), kept where
    /// they still fit.
    pub previous_names: Names,
}

impl Default for EmitConfig {
    fn default() -> Self {
        EmitConfig {
            runtime_crate: "docgen_runtime".to_owned(),
            crate_name: None,
            previous_names: Names::default(),
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
    /// The names given (also written as `docgen-names.json`).
    pub names: Names,
}

/// The IR's items grouped by product area (`ms.prod`), each area a module.
struct Area {
    /// The module name.
    ident: String,
    /// The area as the pages name it.
    name: String,
    /// Indices of its types.
    types: Vec<usize>,
    /// Indices of its operations.
    operations: Vec<usize>,
}

fn areas(ir: &Ir) -> Vec<Area> {
    let mut by_name: BTreeMap<&str, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, t) in ir.types.iter().enumerate() {
        by_name.entry(t.area.as_str()).or_default().0.push(i);
    }
    for (i, o) in ir.operations.iter().enumerate() {
        by_name.entry(o.area.as_str()).or_default().1.push(i);
    }
    let mut scope = names::Scope::with_reserved(&[
        "mod",
        "runtime",
        "models",
        "operations",
        "client",
        "full",
        "default",
    ]);
    by_name
        .into_iter()
        .map(|(name, (types, operations))| Area {
            ident: scope.claim(names::snake(name, "area"), "_"),
            name: name.to_owned(),
            types,
            operations,
        })
        .collect()
}

/// Emits the SDK for `ir`. Areas are built and formatted in parallel; names
/// are fixed beforehand, so the output does not depend on scheduling.
pub fn emit(ir: &Ir, sources: &SourceMap, config: &EmitConfig) -> Result<Emitted, EmitError> {
    let mut table = types::TypeTable::new(ir, &config.previous_names, sources);
    let areas = areas(ir);
    // A standalone crate gets a cargo feature per area; a module tree is part
    // of someone else's crate, whose features are not ours to declare.
    let area_idents: std::collections::HashMap<String, String> = areas
        .iter()
        .map(|a| (a.name.clone(), a.ident.clone()))
        .collect();
    if config.crate_name.is_some() {
        table.set_features(
            area_idents
                .iter()
                .map(|(name, ident)| (name.clone(), features::feature_name(ident)))
                .collect(),
        );
    }
    let table = table;
    let mut diagnostics = table.limit_diagnostics();
    let planned = operations::plan(
        ir,
        &table,
        &config.previous_names,
        sources,
        &mut diagnostics,
    );
    let mut names = table.names().clone();
    names.functions = planned
        .iter()
        .map(|p| (p.key.clone(), p.name().to_owned()))
        .collect();
    let prefix = if config.crate_name.is_some() {
        "src/"
    } else {
        ""
    };
    let runtime_path = match &config.crate_name {
        Some(_) => "crate::runtime".to_owned(),
        None => format!("::{}", config.runtime_crate),
    };
    // Render every area's items, then parse and format them all in parallel.
    // An area without types (or without operations) gets no file for them.
    let rendered: Vec<(Option<GeneratedFile>, Option<GeneratedFile>)> = areas
        .par_iter()
        .map(|area| -> Result<_, EmitError> {
            let models = models::emit(ir, &table, &area.types, &area.operations, sources);
            let mine: Vec<&operations::Planned> = planned
                .iter()
                .filter(|p| ir.operations[p.operation].area == area.name)
                .collect();
            let ops = operations::render(ir, &mine, &table, sources);
            let models_file =
                if models.structs.is_empty() && models.enums.is_empty() && models.anys.is_empty() {
                    None
                } else {
                    let path = format!("{prefix}models/{}.rs", area.ident);
                    let (header, items) = templates::models(&path, &models)?;
                    Some(format::format_items(&path, &header, &items)?)
                };
            let ops_file = if ops.groups.is_empty() {
                None
            } else {
                let path = format!("{prefix}operations/{}.rs", area.ident);
                let (header, items) = templates::operations(&path, &ops)?;
                Some(format::format_items(&path, &header, &items)?)
            };
            Ok((models_file, ops_file))
        })
        .collect::<Result<_, _>>()?;
    let having = |file: fn(&(Option<GeneratedFile>, Option<GeneratedFile>)) -> bool| -> Vec<&Area> {
        areas
            .iter()
            .zip(&rendered)
            .filter(|(_, r)| file(r))
            .map(|(a, _)| a)
            .collect()
    };
    let with_models = having(|r| r.0.is_some());
    let with_operations = having(|r| r.1.is_some());
    let mut files: Vec<GeneratedFile> = rendered
        .into_iter()
        .flat_map(|(m, o)| m.into_iter().chain(o))
        .collect();
    let mut sources_to_format: Vec<(String, String)> = Vec::new();
    let area_views = |areas: &[&Area], public: bool, what: &str| -> Vec<templates::AreaView> {
        areas
            .iter()
            .map(|a| {
                let mut doc = docs::Doc::new();
                doc.text(&format!(
                    "The {what} of the `{}` area (`ms.prod`).",
                    a.name.replace('`', "'")
                ));
                // Endpoint functions come with their area's feature; types are
                // gated one by one (see `features`).
                let feature = features::feature_name(&a.ident);
                let cfg = if config.crate_name.is_none() {
                    String::new()
                } else if public {
                    doc.paragraph_break();
                    doc.raw(format!(
                        "The `{feature}` cargo feature enables them, with every type they use from other areas."
                    ));
                    String::new()
                } else {
                    quote::quote!(#[cfg(feature = #feature)]).to_string()
                };
                templates::AreaView {
                    cfg,
                    docs: doc.tokens().to_string(),
                    visibility: if public { "pub" } else { "" },
                    ident: names::ident(&a.ident).to_string(),
                    file: proc_macro2::Literal::string(&format!("{}.rs", a.ident)).to_string(),
                }
            })
            .collect()
    };
    sources_to_format.push((
        format!("{prefix}models/mod.rs"),
        templates::areas(
            "models/mod.rs",
            &area_views(&with_models, true, "types"),
            true,
        )?,
    ));
    sources_to_format.push((
        format!("{prefix}operations/mod.rs"),
        templates::areas(
            "operations/mod.rs",
            &area_views(&with_operations, false, "endpoint functions"),
            false,
        )?,
    ));
    sources_to_format.push((format!("{prefix}client.rs"), templates::client()?));
    let root_path = if config.crate_name.is_some() {
        "src/lib.rs"
    } else {
        "mod.rs"
    };
    sources_to_format.push((
        root_path.to_owned(),
        templates::root(&runtime_path, config, ir)?,
    ));
    for (path, source) in &sources_to_format {
        files.push(format_file(path, source)?);
    }
    if let Some(name) = &config.crate_name {
        files.push(GeneratedFile {
            path: "Cargo.toml".to_owned(),
            contents: templates::cargo_toml(name, &features::manifest_section(&area_idents))?,
        });
        files.extend(runtime_files::inline());
    }
    files.push(GeneratedFile {
        path: NAMES_FILE.to_owned(),
        contents: names.to_file(),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Emitted {
        files,
        diagnostics,
        names,
    })
}
