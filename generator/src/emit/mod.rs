//! Emit: IR → formatted Rust files.
//!
//! Identifiers and literals are built as tokens (quote / proc-macro2), so page
//! text is escaped by construction; askama templates lay out files and items;
//! every file is parsed with syn (a failure is a generator bug and nothing is
//! written) and formatted with prettyplease. Output is deterministic: the IR is
//! sorted and every name comes from a [`names::Scope`] filled in a fixed order.

mod builders;
pub mod docs;
mod example_cases;
mod features;
mod format;
pub mod headers;
mod limits;
mod models;
pub mod names;
mod names_file;
mod replay_cases;
mod runtime_files;
pub mod surface;
mod templates;
pub mod tree;
mod types;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::parallel::*;

use crate::diag::Diagnostic;
use crate::ir::Ir;
use crate::source::SourceMap;

pub use example_cases::{ExampleCase, ExampleRole, example_cases};
pub use format::{GENERATED_HEADER, GENERATED_MARKER, format_file};
pub use names_file::{NAMES_FILE, Names};
pub use replay_cases::{ReplayCase, Skipped, long_running, raw_content, replay_cases};
pub use surface::Chain;
pub use templates::is_crate_name;
pub use tree::Tree;

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
    /// The public surface: every callable chain (`docgen surface`).
    pub surface: Vec<Chain>,
    /// How the URL tree came out.
    pub tree: TreeSummary,
}

/// Counts of the URL tree behind the request builders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TreeSummary {
    /// Positions in the URL (nodes, the root and actions excluded).
    pub nodes: usize,
    /// Builder types.
    pub types: usize,
    /// Builder types that stand for more than one position.
    pub shared_types: usize,
    /// Positions that share their type with another.
    pub shared_nodes: usize,
}

/// The type table and the URL tree of `ir`, names given: what both the
/// emitter and the tests' harnesses (replay, examples) read.
pub(crate) fn plan<'a>(
    ir: &'a Ir,
    sources: &SourceMap,
    previous: &Names,
    features: Option<HashMap<String, String>>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (types::TypeTable<'a>, tree::Tree, Vec<Chain>) {
    let mut table = types::TypeTable::new(ir, previous, sources);
    let tree = tree::build(ir, &table, sources, diagnostics);
    if let Some(features) = features {
        table.set_features(features, &tree::borrowed_types(ir, &tree));
    }
    // Bodies are named after the calls that send them.
    let unnamed = surface::chains(ir, &tree, &table, sources);
    table.name_bodies(tree::body_names(ir, &tree, &unnamed));
    let chains = surface::chains(ir, &tree, &table, sources);
    (table, tree, chains)
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
    // An area's feature is its ident in kebab case, so the runtime's
    // features (`device-code`, `client-credentials`) are reserved as idents
    // (`device_code`, `client_credentials`).
    let runtime_features: Vec<String> = runtime_files::feature_names()
        .iter()
        .map(|name| name.replace('-', "_"))
        .collect();
    let mut reserved = vec![
        "mod",
        "runtime",
        "models",
        "operations",
        "client",
        "full",
        "default",
    ];
    reserved.extend(runtime_features.iter().map(String::as_str));
    let mut scope = names::Scope::with_reserved(&reserved);
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
    let areas = areas(ir);
    // A standalone crate gets a cargo feature per area; a module tree is part
    // of someone else's crate, whose features are not ours to declare.
    let area_idents: HashMap<String, String> = areas
        .iter()
        .map(|a| (a.name.clone(), a.ident.clone()))
        .collect();
    let features = config.crate_name.is_some().then(|| {
        area_idents
            .iter()
            .map(|(name, ident)| (name.clone(), features::feature_name(ident)))
            .collect()
    });
    let mut diagnostics = Vec::new();
    let (table, tree, chains) = plan(
        ir,
        sources,
        &config.previous_names,
        features,
        &mut diagnostics,
    );
    diagnostics.splice(0..0, table.limit_diagnostics());
    let names = table.names().clone();
    let prefix = if config.crate_name.is_some() {
        "src/"
    } else {
        ""
    };
    let runtime_path = match &config.crate_name {
        Some(_) => "crate::runtime".to_owned(),
        None => format!("::{}", config.runtime_crate),
    };
    // Render every area's models and every module of builders, then parse and
    // format them all in parallel.
    let models_files: Vec<Option<GeneratedFile>> = areas
        .par_iter()
        .map(|area| -> Result<_, EmitError> {
            let models = models::emit(ir, &table, &area.types, &area.operations, sources);
            if models.structs.is_empty() && models.enums.is_empty() && models.anys.is_empty() {
                return Ok(None);
            }
            let path = format!("{prefix}models/{}.rs", area.ident);
            let (header, items) = templates::models(&path, &models)?;
            Ok(Some(format::format_items(&path, &header, &items)?))
        })
        .collect::<Result<_, _>>()?;
    let modules: Vec<(String, Vec<String>)> = builders::render(ir, &tree, &table, sources)
        .into_iter()
        .collect();
    let module_areas = builders::module_areas(&tree);
    let path_files: Vec<GeneratedFile> = modules
        .par_iter()
        .map(|(module, items)| {
            let path = format!("{prefix}paths/{module}.rs");
            let header = templates::paths_header(&path)?;
            format::format_items(&path, &header, items)
        })
        .collect::<Result<_, _>>()?;
    let with_models: Vec<&Area> = areas
        .iter()
        .zip(&models_files)
        .filter(|(_, f)| f.is_some())
        .map(|(a, _)| a)
        .collect();
    let mut files: Vec<GeneratedFile> = models_files.into_iter().flatten().collect();
    files.extend(path_files);
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
    let path_modules: Vec<templates::AreaView> = modules
        .iter()
        .map(|(module, _)| {
            let mut doc = docs::Doc::new();
            doc.text(&format!(
                "The request builders under `/{}`.",
                module.replace('`', "'")
            ));
            let cfg = match (&config.crate_name, module_areas.get(module)) {
                (Some(_), Some(areas)) => {
                    let features: Vec<String> = areas
                        .iter()
                        .filter_map(|a| area_idents.get(a))
                        .map(|i| features::feature_name(i))
                        .collect();
                    quote::quote!(#[cfg(any(#(feature = #features),*))]).to_string()
                }
                _ => String::new(),
            };
            templates::AreaView {
                cfg,
                docs: doc.tokens().to_string(),
                visibility: "",
                ident: names::ident(module).to_string(),
                file: proc_macro2::Literal::string(&format!("{module}.rs")).to_string(),
            }
        })
        .collect();
    sources_to_format.push((
        format!("{prefix}paths/mod.rs"),
        templates::areas("paths/mod.rs", &path_modules, true)?,
    ));
    sources_to_format.push((format!("{prefix}client.rs"), templates::client()?));
    let root_path = if config.crate_name.is_some() {
        "src/lib.rs"
    } else {
        "mod.rs"
    };
    sources_to_format.push((
        root_path.to_owned(),
        templates::root(&runtime_path, config, ir, chains.len())?,
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
        surface: chains,
        tree: TreeSummary {
            nodes: tree.types.iter().map(|t| t.nodes.len()).sum(),
            types: tree.types.len(),
            shared_types: tree.types.iter().filter(|t| t.nodes.len() > 1).count(),
            shared_nodes: tree
                .types
                .iter()
                .filter(|t| t.nodes.len() > 1)
                .map(|t| t.nodes.len())
                .sum(),
        },
    })
}
