//! Endpoint functions: one method on the generated `Client` per documented path
//! shape of an operation.
//!
//! Each function takes the path parameters (percent-encoded by the runtime, so
//! an id holding `/` or `?` cannot change the path) and the typed body, and
//! returns a typed `runtime::Request` that checks the documented success status.
//! The request can be refined (`.select(…)`, `.header(…)`) and awaited.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::Doc;
use super::names::{self, Scope, ident};
use super::names_file::{Names, function_key, path_key};
use super::types::TypeTable;
use crate::diag::{Code, Diagnostic};
use crate::ir::{Ir, Operation, PathTemplate, RequestBody};
use crate::source::SourceMap;

/// One function, as tokens.
pub struct FnView {
    /// The whole function (docs, signature, body).
    pub tokens: String,
}

/// Everything in an area's operations file: `impl Client` blocks, one per
/// top-level path segment (`/users`, `/deviceManagement`), with their docs.
pub struct OperationsView {
    /// (doc attributes, functions), by segment.
    pub groups: Vec<(String, Vec<FnView>)>,
}

/// A path cut into literal text and placeholders.
pub(super) enum Piece {
    Text(String),
    Param(String),
}

/// One endpoint function to generate: an operation on one of its path shapes,
/// with its unique name. Plain data, so functions render in parallel.
pub struct Planned {
    /// Index of the operation in the IR.
    pub operation: usize,
    path: usize,
    pieces: Vec<Piece>,
    name: String,
    /// Method and path, for the names file.
    pub key: String,
}

impl Planned {
    /// The function's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its path, cut into literal text and placeholders.
    pub(super) fn pieces(&self) -> &[Piece] {
        &self.pieces
    }
}

/// Names every endpoint function and drops, with a diagnostic, what cannot be
/// expressed. A function keeps the name `pinned` (the previous run's) gives
/// its method and path when that name is still valid and free; the others are
/// named in IR order, so the same input always yields the same names.
pub fn plan(
    ir: &Ir,
    table: &TypeTable<'_>,
    pinned: &Names,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Planned> {
    let mut scope = Scope::with_reserved(&["new", "runtime", "from", "into", "clone", "fmt"]);
    // Every function to generate, before naming: (operation, path, pieces, key).
    let mut functions: Vec<(usize, usize, Vec<Piece>, String)> = Vec::new();
    for (index, op) in ir.operations.iter().enumerate() {
        if response_type(op, table).is_none() {
            diagnostics.push(Diagnostic::new(
                Code::EmitUnsupported,
                op.source.clone(),
                format!(
                    "`{}` returns a raw stream, which the generated client does not support yet; it was not generated",
                    op.name
                ),
            ));
            continue;
        }
        let mut keys: Vec<String> = Vec::new();
        for (path_index, path) in op.paths.iter().enumerate() {
            let why_not = |what: &str| {
                Diagnostic::new(
                    Code::EmitUnsupported,
                    path.source.clone(),
                    format!("`{}` {what}; no function was generated for it", path.path),
                )
            };
            let Some(pieces) = pieces(&path.path) else {
                diagnostics.push(why_not(
                    "has characters that cannot appear in a URL path, or `.`/`..` segments",
                ));
                continue;
            };
            // `/$value` is the raw content, not the JSON the function decodes.
            if path.path.ends_with("/$value") {
                diagnostics.push(why_not(
                    "returns raw content, which the generated client does not support yet",
                ));
                continue;
            }
            // `{id}` and `{userPrincipalName}` alternatives give the same function.
            let shape = path_key(&op.method, &path.path);
            if keys.contains(&shape) {
                continue;
            }
            keys.push(shape);
            let page = &sources.get(op.source.file).rel_path;
            functions.push((
                index,
                path_index,
                pieces,
                function_key(&op.method, &path.path, page),
            ));
        }
    }
    let mut names: Vec<Option<String>> = functions
        .iter()
        .map(|(_, _, _, key)| {
            let name = pinned.functions.get(key)?;
            let valid = names::snake(name, "") == *name && !scope.contains(name);
            valid.then(|| scope.claim(name.clone(), "_"))
        })
        .collect();
    // The rest: an operation's first path gets its name, other paths
    // `{name}_via_{word}`.
    let mut base: Option<(usize, String)> = None;
    for (i, (index, path_index, _, _)) in functions.iter().enumerate() {
        let op = &ir.operations[*index];
        let first = base.as_ref().is_none_or(|(b, _)| b != index);
        if first {
            let name = match &names[i] {
                Some(name) => name.clone(),
                None => scope.claim(names::snake(&op.name, "call"), "_"),
            };
            base = Some((*index, name));
        }
        if names[i].is_none() {
            let op_name = base.as_ref().map_or("call", |(_, n)| n.as_str());
            names[i] = Some(if first {
                op_name.to_owned()
            } else {
                let word = names::snake(&distinct_word(op, &op.paths[*path_index]), "path");
                scope.claim(format!("{op_name}_via_{word}"), "_")
            });
        }
    }
    functions
        .into_iter()
        .zip(names)
        .map(|((operation, path, pieces, key), name)| Planned {
            operation,
            path,
            pieces,
            name: name.unwrap_or_default(),
            key,
        })
        .collect()
}

/// Renders planned functions.
pub fn render(
    ir: &Ir,
    planned: &[&Planned],
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> OperationsView {
    let mut groups: std::collections::BTreeMap<String, Vec<FnView>> = Default::default();
    for p in planned {
        let op = &ir.operations[p.operation];
        let Some(response) = response_type(op, table) else {
            continue;
        };
        let path = &op.paths[p.path];
        let root = path
            .path
            .split('/')
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_owned();
        groups.entry(root).or_default().push(FnView {
            tokens: function(op, path, &p.pieces, &p.name, &response, table, sources).to_string(),
        });
    }
    let groups = groups
        .into_iter()
        .map(|(root, fns)| {
            let mut doc = Doc::new();
            doc.text(&format!("Endpoints under `/{}`.", root.replace('`', "'")));
            (doc.tokens().to_string(), fns)
        })
        .collect();
    OperationsView { groups }
}

/// The first literal of `path` that the operation's first path does not have.
fn distinct_word(op: &Operation, path: &PathTemplate) -> String {
    let first: Vec<&str> = op
        .paths
        .first()
        .map(|p| p.path.split('/').collect())
        .unwrap_or_default();
    path.path
        .split('/')
        .find(|s| !s.is_empty() && !s.contains('{') && !first.contains(s))
        .unwrap_or("alternative")
        .to_owned()
}

/// Characters a documented literal path piece may hold as is.
fn path_safe(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c))
}

/// Cuts a path at its `{placeholders}`; `None` if a literal piece is not
/// URL-safe or the path has `.` or `..` segments (which would leave it).
fn pieces(path: &str) -> Option<Vec<Piece>> {
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return None;
    }
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '<']) {
        let close_char = if rest[open..].starts_with('{') {
            '}'
        } else {
            '>'
        };
        let close = open + rest[open..].find(close_char)?;
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_owned()));
        }
        out.push(Piece::Param(rest[open + 1..close].trim().to_owned()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_owned()));
    }
    out.iter()
        .all(|p| match p {
            Piece::Text(t) => path_safe(t),
            Piece::Param(_) => true,
        })
        .then_some(out)
}

/// The Rust type of the success response; `None` when it cannot be expressed.
pub(super) fn response_type(op: &Operation, table: &TypeTable<'_>) -> Option<TokenStream> {
    let Some(response) = &op.response else {
        return Some(quote!(()));
    };
    match &response.ty {
        None => Some(quote!(())),
        Some(ty) if ty.name == "Stream" => None,
        // No content, or accepted for later (the answer is a `Location`).
        Some(_) if matches!(response.status, 202 | 204) => Some(quote!(())),
        Some(ty) if ty.collection => {
            let element = crate::ir::TypeRef {
                name: ty.name.clone(),
                collection: false,
            };
            let inner = table.rust_type(&element, None, false).tokens;
            Some(quote!(runtime::Collection<#inner>))
        }
        Some(ty) => Some(table.rust_type(ty, None, false).tokens),
    }
}

fn function(
    op: &Operation,
    path: &PathTemplate,
    pieces: &[Piece],
    name: &str,
    response: &TokenStream,
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> TokenStream {
    let mut scope = Scope::with_reserved(&["self", "body", "path", "request"]);
    let mut args = Vec::new();
    let mut parts = Vec::new();
    // Arguments are named as the IR names the path's placeholders (a function
    // argument by the argument); the placeholder text is the fallback.
    let occurrences = crate::extract::urlpath::param_occurrences(&path.segments);
    let param_count = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Param(_)))
        .count();
    let mut names_iter = occurrences
        .iter()
        .filter(|_| occurrences.len() == param_count);
    let mut text_before: Option<&str> = None;
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                let lit = Literal::string(text);
                parts.push(quote!(#lit));
                text_before = Some(text);
            }
            Piece::Param(param) => {
                let name = names_iter.next().unwrap_or(param);
                let arg = ident(&scope.claim(names::snake(name, "id"), "_"));
                args.push(quote!(#arg: &str));
                // Inside `'…'` (a function parameter or a string key) a quote
                // in the value is doubled, so it cannot end the literal.
                let quoted = text_before.is_some_and(|t| t.ends_with('\''));
                text_before = None;
                if quoted {
                    parts.push(quote!(&runtime::encode_path_string_literal(#arg)));
                } else {
                    parts.push(quote!(&runtime::encode_path_segment(#arg)));
                }
            }
        }
    }
    let body = match &op.request_body {
        Some(RequestBody::Type(ty)) => {
            let element = crate::ir::TypeRef {
                name: ty.name.clone(),
                collection: false,
            };
            let inner = table.rust_type(&element, None, false).tokens;
            if ty.collection {
                args.push(quote!(body: &[#inner]));
            } else {
                args.push(quote!(body: &#inner));
            }
            quote!(.json_body(body))
        }
        Some(RequestBody::Parameters(_)) => match table.body_ident(&op.name) {
            Some(body_name) => {
                let body_ident = ident(body_name);
                args.push(quote!(body: &models::#body_ident));
                quote!(.json_body(body))
            }
            None => quote!(),
        },
        None => quote!(),
    };
    let method = method_tokens(&op.method);
    let status = op.response.as_ref().map(|r| {
        let code = Literal::u16_unsuffixed(r.status);
        quote!(.expect_status(#code))
    });
    let docs = fn_docs(op, path, table, sources).tokens();
    let fn_ident = ident(name);
    let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let path_expr = if parts.len() == 1 {
        let only = &parts[0];
        quote!(String::from(#only))
    } else {
        quote!([#(#parts),*].concat())
    };
    quote! {
        #docs
        #allow
        pub fn #fn_ident(&self, #(#args),*) -> runtime::Request<#response> {
            let path = #path_expr;
            self.runtime.request(#method, path) #body #status
        }
    }
}

fn method_tokens(method: &str) -> TokenStream {
    match method {
        "GET" => quote!(runtime::Method::GET),
        "POST" => quote!(runtime::Method::POST),
        "PUT" => quote!(runtime::Method::PUT),
        "PATCH" => quote!(runtime::Method::PATCH),
        "DELETE" => quote!(runtime::Method::DELETE),
        "HEAD" => quote!(runtime::Method::HEAD),
        _ => quote!(runtime::Method::OPTIONS),
    }
}

fn fn_docs(op: &Operation, path: &PathTemplate, table: &TypeTable<'_>, sources: &SourceMap) -> Doc {
    let mut doc = Doc::new();
    if let Some(title) = &op.title {
        doc.text(title);
    }
    if let Some(description) = &op.description
        && op.title.as_deref() != Some(description.as_str())
    {
        doc.text(description);
    }
    doc.text(&format!("`{} {}`", op.method, path.path.replace('`', "'")));
    if let Some(response) = &op.response {
        doc.text(&format!(
            "Succeeds with status {}; any other status is an error.",
            response.status
        ));
        if let Some(ty) = response
            .ty
            .as_ref()
            .filter(|_| !matches!(response.status, 202 | 204))
        {
            // A link to the generated type where there is one (its name is ours, not page text).
            let shown = match table.get(&ty.name) {
                Some((index, _)) => format!("[`{0}`](models::{0})", table.ident(index)),
                None => "untyped JSON".to_owned(),
            };
            let collection = if ty.collection {
                "a collection of "
            } else {
                ""
            };
            doc.raw(format!("Returns {collection}{shown}."));
        }
    }
    if !op.query_options.is_empty() {
        let options: Vec<String> = op
            .query_options
            .iter()
            .map(|o| format!("`{}`", o.replace('`', "'")))
            .collect();
        doc.text(&format!(
            "Supports the OData query options {}; set them on the returned request.",
            options.join(", ")
        ));
    }
    let permissions: Vec<String> = op
        .permissions
        .iter()
        .map(|p| format!("{}: {}", p.kind, p.permissions.join(", ")))
        .collect();
    if !permissions.is_empty() {
        doc.paragraph_break();
        doc.raw("Permissions:");
        doc.paragraph_break();
        for p in &permissions {
            doc.item(p);
        }
    }
    doc.text(&format!(
        "Documented in `{}`.",
        sources.stable_location(&op.source)
    ));
    doc
}
