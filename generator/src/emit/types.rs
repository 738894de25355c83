//! The type table: IR types → Rust type names, and how each IR type reference
//! is spelled in Rust.

use std::collections::HashMap;

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use proc_macro2::TokenStream;
use quote::quote;

use super::limits;
use super::names::{self, ident};
use super::names_file::{Names, function_key};
use crate::ir::{Ir, JSON_TYPE, Property, TypeDef, TypeKind, TypeRef};
use crate::source::SourceMap;

/// How a field's value is written in Rust, without the `Option`.
pub struct RustType {
    /// The type.
    pub tokens: TokenStream,
    /// The runtime's serde adapter for the value, for Binary and numbers.
    pub with: Option<Adapter>,
}

/// A value the runtime reads and writes with its own serde adapter.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Adapter {
    /// A number read from a JSON number or a string holding one.
    Number,
    /// The same for a list of numbers.
    Numbers,
    /// `Edm.Binary`: a base64 string.
    Base64,
    /// `Edm.DateTimeOffset`: read with chrono's strict RFC 3339 parser first.
    Instant,
}

impl Adapter {
    /// The `runtime::MemberWriter` method that writes the field.
    pub fn write(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Numbers => "numbers",
            Self::Base64 => "base64",
            Self::Instant => "instant",
        }
    }

    /// The runtime function that reads a member's value into the field.
    pub fn read(self) -> &'static str {
        match self {
            Self::Number => "read_number",
            Self::Numbers => "read_numbers",
            Self::Base64 => "read_base64",
            Self::Instant => "read_instant",
        }
    }
}

/// Rust names of the IR's types and the cycles that need a `Box`.
pub struct TypeTable<'a> {
    ir: &'a Ir,
    by_ref: HashMap<String, usize>,
    idents: Vec<String>,
    /// Strongly connected component of each type (for boxing recursive fields).
    component: Vec<usize>,
    /// (holder, held) fields boxed so no chain of structs by value is too deep.
    deep_boxes: std::collections::HashSet<(usize, usize)>,
    /// Names of the body structs of operations that take parameters, by operation name.
    bodies: HashMap<String, String>,
    /// Each such body's docs line (the call that sends it), by operation name.
    body_docs: HashMap<String, String>,
    /// The areas whose requests send each body (a request merged from several
    /// pages sends its first page's), by operation name.
    body_areas: HashMap<String, std::collections::BTreeSet<String>>,
    /// Names-file keys of those bodies, by operation name.
    body_keys: HashMap<String, String>,
    /// Type names given so far, so that bodies named later stay apart.
    scope: names::Scope,
    /// Every type derived from each type, directly or not, in IR order.
    descendants: Vec<Vec<usize>>,
    /// The `Any…` enum of each struct type that has derived types.
    any_idents: Vec<Option<String>>,
    /// The cargo feature of each area, in crate mode (empty otherwise).
    features: HashMap<String, String>,
    /// For each type, the features that compile it (crate mode; empty otherwise).
    needs: Vec<std::collections::BTreeSet<String>>,
    /// Every type name given, for the names file.
    given: Names,
}

impl<'a> TypeTable<'a> {
    /// Names every type and finds cycles. Names in `pinned` (the previous
    /// run's) are kept where still valid and free; the rest are given in IR
    /// order, so the same input always yields the same names.
    pub fn new(ir: &'a Ir, pinned: &Names, sources: &SourceMap) -> Self {
        let mut scope = names::type_scope();
        let by_ref: HashMap<String, usize> = ir
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.ref_name(), i))
            .collect();
        let keep = |key: &str, scope: &mut names::Scope| -> Option<String> {
            let name = pinned.types.get(key)?;
            let valid = names::upper_camel(name, "") == *name && !scope.contains(name);
            valid.then(|| scope.claim(name.clone(), ""))
        };
        let mut idents: Vec<Option<String>> = ir
            .types
            .iter()
            .map(|t| keep(&t.ref_name(), &mut scope))
            .collect();
        let body_keys: Vec<(String, String)> = ir
            .operations
            .iter()
            .filter(|op| matches!(op.request_body, Some(crate::ir::RequestBody::Parameters(_))))
            .map(|op| {
                let path = op.paths.first().map_or("", |p| p.path.as_str());
                let page = &sources.get(op.source.file).rel_path;
                (
                    op.name.clone(),
                    format!("body {}", function_key(&op.method, path, page)),
                )
            })
            .collect();
        // Bodies pinned by the previous run keep their names; the others are
        // named after the tree's calls (`name_bodies`).
        let bodies: HashMap<String, String> = body_keys
            .iter()
            .filter_map(|(op, key)| Some((op.clone(), keep(key, &mut scope)?)))
            .collect();
        let descendants = descendants(ir, &by_ref);
        let mut any_idents: Vec<Option<String>> = ir
            .types
            .iter()
            .zip(&descendants)
            .map(|(t, below)| {
                (t.kind != TypeKind::Enum && !below.is_empty())
                    .then(|| keep(&format!("any {}", t.ref_name()), &mut scope))
                    .flatten()
            })
            .collect();
        // Graph-namespace types claim names first, so `user` is `User` even when
        // another namespace also has a `user`.
        let mut order: Vec<usize> = (0..ir.types.len()).collect();
        order.sort_by_key(|&i| ir.types[i].namespace != crate::ir::GRAPH_NAMESPACE);
        for i in order {
            if idents[i].is_some() {
                continue;
            }
            let t = &ir.types[i];
            let mut name = names::upper_camel(&t.name, "Type");
            if scope.contains(&name) && t.namespace != crate::ir::GRAPH_NAMESPACE {
                let ns = t.namespace.rsplit('.').next().unwrap_or("");
                name = names::upper_camel(&format!("{ns}_{}", t.name), "Type");
            }
            idents[i] = Some(scope.claim(name, ""));
        }
        // Claimed last, so adding a hierarchy never renames an existing type.
        for (i, (t, below)) in ir.types.iter().zip(&descendants).enumerate() {
            if t.kind != TypeKind::Enum && !below.is_empty() && any_idents[i].is_none() {
                let name = names::upper_camel(&format!("any_{}", t.name), "Any");
                any_idents[i] = Some(scope.claim(name, ""));
            }
        }
        let idents: Vec<String> = idents.into_iter().map(Option::unwrap_or_default).collect();
        let mut given = Names::default();
        for (i, t) in ir.types.iter().enumerate() {
            given.types.insert(t.ref_name(), idents[i].clone());
            if let Some(any) = &any_idents[i] {
                given
                    .types
                    .insert(format!("any {}", t.ref_name()), any.clone());
            }
        }
        let mut table = TypeTable {
            ir,
            by_ref,
            idents,
            component: Vec::new(),
            deep_boxes: Default::default(),
            bodies,
            body_docs: HashMap::new(),
            body_areas: HashMap::new(),
            body_keys: body_keys.into_iter().collect(),
            scope,
            descendants,
            any_idents,
            features: HashMap::new(),
            needs: Vec::new(),
            given,
        };
        (table.component, table.deep_boxes) = table.components();
        table
    }

    /// `emit-limit` for every struct, enum and parameter body cut to a limit.
    pub fn limit_diagnostics(&self) -> Vec<crate::diag::Diagnostic> {
        let mut out = Vec::new();
        for (i, t) in self.ir.types.iter().enumerate() {
            let at = || {
                t.sources
                    .first()
                    .cloned()
                    .unwrap_or_else(|| crate::source::Span::new(crate::source::FileId(0), 0..0))
            };
            let (what, total, kept) = match t.kind {
                TypeKind::Enum => {
                    let total = distinct_members(t);
                    ("members", total, limits::MAX_MEMBERS)
                }
                _ => (
                    "properties",
                    self.all_properties_uncut(i).len(),
                    limits::MAX_FIELDS,
                ),
            };
            if total > kept {
                let subject = format!("`{}`", t.name.replace('`', "'"));
                out.push(limits::cut(at(), &subject, what, total, kept));
            }
        }
        for op in &self.ir.operations {
            if let Some(crate::ir::RequestBody::Parameters(params)) = &op.request_body
                && params.len() > limits::MAX_FIELDS
            {
                let name = format!("the request body of `{}`", op.name);
                out.push(limits::cut(
                    op.source.clone(),
                    &name,
                    "parameters",
                    params.len(),
                    limits::MAX_FIELDS,
                ));
            }
        }
        out
    }

    /// The type names given, by what they name (for `docgen-names.json`).
    pub fn names(&self) -> &Names {
        &self.given
    }

    /// Gates items by cargo feature: `features` maps each area to its feature.
    /// `also` lists types an area needs beyond what its operations name.
    pub fn set_features(&mut self, features: HashMap<String, String>, also: &[(String, TypeRef)]) {
        self.needs = super::features::needed_by(
            self.ir,
            &self.by_ref,
            |i| {
                self.all_properties(i)
                    .into_iter()
                    .filter(|p| !p.navigation)
                    .map(|p| p.ty.clone())
                    .collect()
            },
            &features,
            also,
        );
        self.features = features;
    }

    /// The cargo feature of an area, in crate mode.
    pub fn area_feature(&self, area: &str) -> Option<&str> {
        self.features.get(area).map(String::as_str)
    }

    /// `#[cfg(...)]` for the type at `index`: on when any feature that needs it
    /// is. Empty outside crate mode.
    pub fn cfg(&self, index: usize) -> TokenStream {
        let Some(needs) = self.needs.get(index) else {
            return TokenStream::new();
        };
        let features: Vec<&str> = needs.iter().map(String::as_str).collect();
        match features.as_slice() {
            [] => quote!(#[cfg(any())]),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }

    /// The cfg for the type at `index` inside an item of the type at `outer`:
    /// empty when it is compiled whenever `outer` is.
    pub fn cfg_within(&self, index: usize, outer: usize) -> TokenStream {
        match (self.needs.get(index), self.needs.get(outer)) {
            (Some(inner), Some(outer)) if !inner.is_superset(outer) => self.cfg(index),
            _ => TokenStream::new(),
        }
    }

    /// Whether the type at `index` is compiled whenever the type at `outer` is.
    pub fn always_with(&self, index: usize, outer: usize) -> bool {
        self.cfg_within(index, outer).is_empty()
    }

    /// Types derived from the type at `index`, directly or not.
    pub fn descendants(&self, index: usize) -> &[usize] {
        &self.descendants[index]
    }

    /// The `Any…` enum standing for the type at `index` and its derived types.
    pub fn any_ident(&self, index: usize) -> Option<&str> {
        self.any_idents[index].as_deref()
    }

    /// The IR type a reference names, if the IR defines it.
    pub fn get(&self, name: &str) -> Option<(usize, &'a TypeDef)> {
        self.by_ref.get(name).map(|&i| (i, &self.ir.types[i]))
    }

    /// Names the parameter bodies of the operations the tree calls: each the
    /// first free of `candidates` (`SendMailBody`, `UserSendMailBody`), unless
    /// the previous run's name still stands; `doc` says which call sends it.
    pub fn name_bodies(&mut self, wanted: Vec<super::tree::BodyWish>) {
        for super::tree::BodyWish {
            op,
            candidates,
            doc,
            areas,
        } in wanted
        {
            if !self.body_keys.contains_key(&op) {
                continue;
            }
            if !self.bodies.contains_key(&op) {
                let free = candidates.iter().find(|c| !self.scope.contains(c)).cloned();
                let name = free.unwrap_or_else(|| {
                    let mut name =
                        format!("{}Variant", candidates.last().cloned().unwrap_or_default());
                    while self.scope.contains(&name) {
                        name.push_str("Variant");
                    }
                    name
                });
                let name = self.scope.claim(name, "");
                self.bodies.insert(op.clone(), name);
            }
            if let (Some(key), Some(name)) = (self.body_keys.get(&op), self.bodies.get(&op)) {
                self.given.types.insert(key.clone(), name.clone());
            }
            self.body_docs.insert(op.clone(), doc);
            self.body_areas.insert(op, areas);
        }
    }

    /// `#[cfg(…)]` of an operation's parameter body: on with any area whose
    /// requests send it. Empty outside crate mode.
    pub fn body_cfg(&self, operation: &str) -> TokenStream {
        let features: Vec<&str> = self
            .body_areas
            .get(operation)
            .into_iter()
            .flatten()
            .filter_map(|a| self.area_feature(a))
            .collect();
        match features.as_slice() {
            [] => TokenStream::new(),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }

    /// The docs line of an operation's parameter body: the call that sends it.
    pub fn body_doc(&self, operation: &str) -> Option<&str> {
        self.body_docs.get(operation).map(String::as_str)
    }

    /// The Rust name of an operation's parameter body struct.
    pub fn body_ident(&self, operation: &str) -> Option<&str> {
        // Only bodies a generated request sends are generated.
        if !self.body_docs.contains_key(operation) {
            return None;
        }
        self.bodies.get(operation).map(String::as_str)
    }

    /// The Rust name of the type at `index`.
    pub fn ident(&self, index: usize) -> &str {
        &self.idents[index]
    }

    /// All properties of a struct type that its struct holds: inherited ones
    /// first (from the root base down), then its own; the first of two with one
    /// wire name wins; at most [`limits::MAX_FIELDS`].
    pub fn all_properties(&self, index: usize) -> Vec<&'a Property> {
        let mut all = self.all_properties_uncut(index);
        all.truncate(limits::MAX_FIELDS);
        all
    }

    fn all_properties_uncut(&self, index: usize) -> Vec<&'a Property> {
        let mut chain = vec![index];
        let mut current = index;
        while let Some(base) = self.ir.types[current]
            .base
            .as_deref()
            .and_then(|b| self.by_ref.get(b).copied())
        {
            if chain.contains(&base) {
                break;
            }
            chain.push(base);
            current = base;
        }
        let mut out: Vec<&Property> = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for &t in chain.iter().rev() {
            for p in &self.ir.types[t].properties {
                if seen.insert(p.name.as_str()) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Tarjan's components over "struct A holds a B by value" edges, and the
    /// edges to box so that no chain by value grows past the compiler's depth.
    fn components(&self) -> (Vec<usize>, std::collections::HashSet<(usize, usize)>) {
        let mut graph: DiGraph<usize, ()> = DiGraph::new();
        let nodes: Vec<NodeIndex> = (0..self.ir.types.len())
            .map(|i| graph.add_node(i))
            .collect();
        for (i, t) in self.ir.types.iter().enumerate() {
            if t.kind == TypeKind::Enum {
                continue;
            }
            for p in self.all_properties(i) {
                if p.ty.collection {
                    continue;
                }
                // An `Any…` enum boxes its variants: no cycle through it.
                if let Some((j, target)) = self.get(&p.ty.name)
                    && target.kind != TypeKind::Enum
                    && self.any_idents[j].is_none()
                {
                    graph.add_edge(nodes[i], nodes[j], ());
                }
            }
        }
        let mut component = vec![0; self.ir.types.len()];
        let sccs = tarjan_scc(&graph);
        for (c, scc) in sccs.iter().enumerate() {
            let recursive =
                scc.len() > 1 || scc.first().is_some_and(|&n| graph.contains_edge(n, n));
            for &n in scc {
                // Components of one acyclic type never box.
                component[graph[n]] = if recursive { c + 1 } else { 0 };
            }
        }
        // What stays by value once cycles are boxed is acyclic; Tarjan lists
        // components sinks first, the order the depth count needs.
        let mut held: Vec<Vec<usize>> = vec![Vec::new(); self.ir.types.len()];
        for edge in graph.raw_edges() {
            let (a, b) = (graph[edge.source()], graph[edge.target()]);
            if component[a] == 0 || component[a] != component[b] {
                held[a].push(b);
            }
        }
        let order: Vec<usize> = sccs.iter().flatten().map(|&n| graph[n]).collect();
        let deep = limits::depth_boxes(&held, &order).into_iter().collect();
        (component, deep)
    }

    /// The Rust type of a value of `ty`, as seen from `module` (`models` or elsewhere),
    /// held by the struct at `owner` (for boxing recursive fields).
    pub fn rust_type(&self, ty: &TypeRef, owner: Option<usize>, in_models: bool) -> RustType {
        let element = self.element(&ty.name, owner.filter(|_| !ty.collection), in_models);
        if ty.collection {
            let inner = element.tokens;
            match element.with {
                // Numbers read from either form in lists too.
                Some(Adapter::Number) => RustType {
                    tokens: quote!(Vec<#inner>),
                    with: Some(Adapter::Numbers),
                },
                // Base64 strings stay strings inside collections: no serde helper for those.
                Some(Adapter::Base64) => RustType {
                    tokens: quote!(Vec<String>),
                    with: None,
                },
                // Lists of instants read through chrono's own serde impl.
                Some(Adapter::Instant | Adapter::Numbers) | None => RustType {
                    tokens: quote!(Vec<#inner>),
                    with: None,
                },
            }
        } else {
            element
        }
    }

    fn element(&self, name: &str, owner: Option<usize>, in_models: bool) -> RustType {
        let plain = |tokens: TokenStream| RustType { tokens, with: None };
        // Int64 and Decimal arrive as strings under IEEE754Compatible, and
        // floats as `"NaN"`/`"INF"`: read both forms.
        let number = |tokens: TokenStream| RustType {
            tokens,
            with: Some(Adapter::Number),
        };
        match name {
            "String" => plain(quote!(String)),
            "Duration" if in_models => plain(quote!(super::super::runtime::IsoDuration)),
            "Duration" => plain(quote!(runtime::IsoDuration)),
            "Int16" => plain(quote!(i16)),
            "Int32" => plain(quote!(i32)),
            "Int64" => number(quote!(i64)),
            "Byte" => plain(quote!(u8)),
            "SByte" => plain(quote!(i8)),
            "Boolean" => plain(quote!(bool)),
            "Double" | "Decimal" => number(quote!(f64)),
            "Single" => number(quote!(f32)),
            "Guid" => plain(quote!(uuid::Uuid)),
            "DateTimeOffset" => RustType {
                tokens: quote!(chrono::DateTime<chrono::Utc>),
                with: Some(Adapter::Instant),
            },
            "Date" => plain(quote!(chrono::NaiveDate)),
            "TimeOfDay" => plain(quote!(chrono::NaiveTime)),
            "Binary" => RustType {
                tokens: quote!(Vec<u8>),
                with: Some(Adapter::Base64),
            },
            JSON_TYPE | "Stream" => plain(quote!(serde_json::Value)),
            _ => match self.get(name) {
                Some((index, _)) => {
                    let id = ident(self.any_ident(index).unwrap_or(self.ident(index)));
                    let path = if in_models {
                        quote!(#id)
                    } else {
                        quote!(models::#id)
                    };
                    let boxed = owner.is_some_and(|o| {
                        (self.component[o] != 0 && self.component[o] == self.component[index])
                            || self.deep_boxes.contains(&(o, index))
                    });
                    plain(if boxed { quote!(Box<#path>) } else { path })
                }
                None => plain(quote!(serde_json::Value)),
            },
        }
    }
}

/// The members an enum's variants are made of: each wire value once.
pub fn distinct_members(def: &TypeDef) -> usize {
    let mut seen = std::collections::HashSet::new();
    def.members
        .iter()
        .filter(|m| seen.insert(m.name.as_str()))
        .count()
}

/// For each type, the types below it in the inheritance tree (IR order).
fn descendants(ir: &Ir, by_ref: &HashMap<String, usize>) -> Vec<Vec<usize>> {
    let parent: Vec<Option<usize>> = ir
        .types
        .iter()
        .map(|t| t.base.as_deref().and_then(|b| by_ref.get(b).copied()))
        .collect();
    let mut below = vec![Vec::new(); ir.types.len()];
    for start in 0..ir.types.len() {
        // Walk up, bounded by the type count so a cycle in the docs cannot loop.
        let mut current = parent[start];
        let mut steps = 0;
        while let Some(up) = current {
            if up == start || steps > ir.types.len() || below[up].last() == Some(&start) {
                break;
            }
            below[up].push(start);
            current = parent[up];
            steps += 1;
        }
    }
    below
}
