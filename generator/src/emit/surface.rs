//! The public surface of the generated SDK: one line per callable chain,
//! `client.users().by_id(id).messages().list()`, with its method, path
//! template, body and response types, and the page that documents it.
//!
//! It is derived from the same tree the builders are rendered from, so it
//! cannot disagree with the code; `docgen surface` prints it, the
//! reachability tests read it, users diff it.

use serde::Serialize;

use super::tree::{ArgValue, Edge, PatternPiece, Tree};
use super::types::TypeTable;
use crate::ir::{Ir, RequestBody, TypeRef};
use crate::source::SourceMap;

/// One callable chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chain {
    /// The Rust call, arguments named: `client.users().by_id(id).messages().list()`.
    pub call: String,
    /// The HTTP method.
    pub method: String,
    /// The path template the call requests: `/users/{id}/messages`.
    pub path: String,
    /// The body's Rust type, when the call sends one.
    pub body: Option<String>,
    /// The response's Rust type.
    pub response: String,
    /// The page and line documenting it (the first, when several do).
    pub source: String,
    /// The product area (`ms.prod`).
    pub area: String,
    /// The steps of the call: each method and what its arguments are.
    #[serde(skip)]
    pub steps: Vec<Step>,
}

/// One method call of a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The method.
    pub method: String,
    /// Its arguments, in order.
    pub args: Vec<StepArg>,
}

/// An argument of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepArg {
    /// The n-th placeholder of the chain's path (in path order), named.
    Path(usize, String),
    /// The request body.
    Body,
}

impl Chain {
    /// The call with each argument written by `arg` (path arguments by
    /// position) and the body as `body`, from `client`.
    pub fn render(&self, client: &str, arg: impl Fn(usize) -> String, body: &str) -> String {
        let mut out = client.to_owned();
        for step in &self.steps {
            let args: Vec<String> = step
                .args
                .iter()
                .map(|a| match a {
                    StepArg::Path(n, _) => arg(*n),
                    StepArg::Body => body.to_owned(),
                })
                .collect();
            out.push_str(&format!(".{}({})", step.method, args.join(", ")));
        }
        out
    }

    /// The line `docgen surface` prints.
    pub fn line(&self) -> String {
        let body = self
            .body
            .as_ref()
            .map_or_else(String::new, |b| format!(" body {b}"));
        format!(
            "{} {}  {}{body} -> {}  {}",
            self.method, self.path, self.call, self.response, self.source
        )
    }
}

/// Every callable chain of the tree, depth first.
pub fn chains(ir: &Ir, tree: &Tree, table: &TypeTable<'_>, sources: &SourceMap) -> Vec<Chain> {
    let mut out = Vec::new();
    for (n, t) in tree.requests() {
        let node = &tree.nodes[n];
        let term = &node.terminals[t];
        let mut steps = Vec::new();
        let mut placeholders = 0;
        for &c in &tree.chain(n) {
            let step_node = &tree.nodes[c];
            let args = edge_args(&step_node.edge)
                .into_iter()
                .map(|name| {
                    placeholders += 1;
                    StepArg::Path(placeholders - 1, crate::emit::names::snake(&name, "id"))
                })
                .collect();
            steps.push(Step {
                method: step_node.method.clone(),
                args,
            });
        }
        let op = &ir.operations[term.op];
        let body = match &term.body {
            None if term.raw_body => Some("runtime::RawBody".to_owned()),
            Some(RequestBody::Type(ty)) => {
                let element = TypeRef {
                    name: ty.name.clone(),
                    collection: false,
                };
                let inner = tight(&table.rust_type(&element, None, false).tokens.to_string());
                Some(if ty.collection {
                    format!("&[{inner}]")
                } else {
                    format!("&{inner}")
                })
            }
            Some(RequestBody::Parameters(_)) => table
                .body_ident(&op.name)
                .map(|name| format!("&models::{name}")),
            None => None,
        };
        if !node.action {
            steps.push(Step {
                method: term.verb.clone(),
                args: Vec::new(),
            });
        }
        if body.is_some()
            && let Some(last) = steps.last_mut()
        {
            last.args.push(StepArg::Body);
        }
        let response = tight(&super::builders::terminal_response_type(term, table).to_string());
        let mut chain = Chain {
            call: String::new(),
            method: term.method.clone(),
            path: node.template.clone(),
            body,
            response,
            source: sources.stable_location(&term.source),
            area: op.area.clone(),
            steps,
        };
        chain.call = chain.render("client", |i| chain_arg_name(&chain.steps, i), "body");
        out.push(chain);
    }
    out
}

fn chain_arg_name(steps: &[Step], index: usize) -> String {
    steps
        .iter()
        .flat_map(|s| &s.args)
        .find_map(|a| match a {
            StepArg::Path(i, name) if *i == index => Some(name.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The placeholders a segment takes, in path order.
fn edge_args(edge: &Edge) -> Vec<String> {
    match edge {
        Edge::Key { param } => vec![param.clone()],
        Edge::DrivePath { param, .. } => vec![param.clone()],
        Edge::Pattern { pieces } => pieces
            .iter()
            .filter_map(|p| match p {
                PatternPiece::Param { name, .. } => Some(name.clone()),
                PatternPiece::Text(_) => None,
            })
            .collect(),
        Edge::Call { name: _, args } => args
            .iter()
            .filter_map(|a| match &a.value {
                ArgValue::Param(p) => Some(a.name.clone().unwrap_or_else(|| p.clone())),
                ArgValue::Fixed(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Token text without the spaces `to_string` puts around `::` and `<>`.
fn tight(tokens: &str) -> String {
    tokens.replace(' ', "")
}

/// The surface as text: one line per chain, sorted by path, then method.
pub fn text(chains: &[Chain]) -> String {
    let mut lines: Vec<String> = chains.iter().map(Chain::line).collect();
    lines.sort();
    let mut out = lines.join("\n");
    out.push('\n');
    out
}
