//! The request builders: one struct per builder type of the URL tree, holding
//! the client and the path so far, with a method per segment beneath it and
//! a verb per request documented on it; and the `Client` methods for the
//! top-level segments.
//!
//! A builder is a newtype over `runtime::Node` (a client reference and a
//! path): no generics, no serde, one `push` per segment, so the tree costs
//! little to compile.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs::Doc;
use super::names::{self, Scope, ident};
use super::tree::{ArgValue, Edge, Node, PatternPiece, Terminal, Tree};
use super::types::TypeTable;
use crate::ir::{Ir, RequestBody, Response, TypeRef};
use crate::source::SourceMap;

/// Most paths a builder's docs list before saying how many more there are.
const SHOWN_PATHS: usize = 6;

/// Every builder, by module (a top-level segment): the items of each module file.
pub fn render(
    ir: &Ir,
    tree: &Tree,
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> BTreeMap<String, Vec<String>> {
    let mut modules: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut order: Vec<&super::tree::NodeType> = tree.types.iter().collect();
    order.sort_by(|a, b| {
        let (x, y) = (
            &tree.nodes[a.canonical].template,
            &tree.nodes[b.canonical].template,
        );
        x.to_ascii_lowercase()
            .cmp(&y.to_ascii_lowercase())
            .then_with(|| x.cmp(y))
    });
    for t in order {
        let tokens = node_type(ir, tree, t, table, sources);
        modules
            .entry(t.module.clone())
            .or_default()
            .push(tokens.to_string());
    }
    let root = &tree.nodes[0];
    for &c in &root.children {
        let child = &tree.nodes[c];
        let ty = &tree.types[child.ty];
        let ty_ident = ident(&ty.ident);
        let method = ident(&child.method);
        let mut scope = Scope::with_reserved(&["self"]);
        let (args, parts) = segment_parts(&child.edge, &mut scope);
        let cfg = cfg(&child.areas, table);
        let mut doc = Doc::new();
        doc.raw(format!(
            "Requests under `{}`: see [`{}`].",
            child.template.replace('`', "'"),
            ty.ident
        ));
        let docs = doc.tokens();
        modules.entry(ty.module.clone()).or_default().push(
            quote! {
                #cfg
                impl super::super::Client {
                    #docs
                    pub fn #method(&self, #(#args),*) -> #ty_ident<'_> {
                        #ty_ident(runtime::Node::new(&self.runtime, String::new()).push(&[#(#parts),*]))
                    }
                }
            }
            .to_string(),
        );
    }
    modules
}

/// `#[cfg(…)]` for what exists when any of `areas` is enabled (crate mode).
fn cfg(areas: &BTreeSet<String>, table: &TypeTable<'_>) -> TokenStream {
    let features: Vec<&str> = areas.iter().filter_map(|a| table.area_feature(a)).collect();
    match features.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The cfg of an item inside a builder: none when it exists whenever the builder does.
fn cfg_within(
    inner: &BTreeSet<String>,
    outer: &BTreeSet<String>,
    table: &TypeTable<'_>,
) -> TokenStream {
    if inner.is_superset(outer) {
        TokenStream::new()
    } else {
        cfg(inner, table)
    }
}

fn node_type(
    ir: &Ir,
    tree: &Tree,
    t: &super::tree::NodeType,
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> TokenStream {
    let node = &tree.nodes[t.canonical];
    let ty_ident = ident(&t.ident);
    let templates: Vec<&str> = t
        .nodes
        .iter()
        .map(|&n| tree.nodes[n].template.as_str())
        .collect();
    let mut doc = Doc::new();
    doc.raw(format!("Requests on {}.", show_paths(&templates, "")));
    let docs = doc.tokens();
    let type_cfg = cfg(&node.areas, table);
    let mut methods = Vec::new();
    for term in &node.terminals {
        methods.push(request_method(
            ir,
            tree,
            t,
            term,
            None,
            &node.areas,
            table,
            sources,
        ));
    }
    for &c in &node.children {
        let child = &tree.nodes[c];
        if child.action {
            if let Some(term) = child.terminals.first() {
                methods.push(request_method(
                    ir,
                    tree,
                    t,
                    term,
                    Some(child),
                    &node.areas,
                    table,
                    sources,
                ));
            }
        } else {
            methods.push(segment_method(tree, child, &node.areas, table));
        }
    }
    quote! {
        #docs
        #type_cfg
        #[derive(Clone, Debug)]
        pub struct #ty_ident<'a>(pub(super) runtime::Node<'a>);

        #type_cfg
        impl<'a> #ty_ident<'a> {
            #(#methods)*
        }
    }
}

/// `` `/users/{id}/messages` `` and the others, at most [`SHOWN_PATHS`].
fn show_paths(templates: &[&str], suffix: &str) -> String {
    let mut shown: Vec<String> = templates
        .iter()
        .take(SHOWN_PATHS)
        .map(|t| format!("`{}{}`", t.replace('`', "'"), suffix.replace('`', "'")))
        .collect();
    if templates.len() > SHOWN_PATHS {
        shown.push(format!("and {} more", templates.len() - SHOWN_PATHS));
    }
    shown.join(", ")
}

/// Arguments and path parts of a segment: (`id: &str`…, the parts `push` takes).
fn segment_parts(edge: &Edge, scope: &mut Scope) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut parts: Vec<TokenStream> = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, parts: &mut Vec<TokenStream>| {
        if !text.is_empty() {
            let lit = Literal::string(text);
            parts.push(quote!(#lit));
            text.clear();
        }
    };
    let arg = |name: &str, scope: &mut Scope, args: &mut Vec<TokenStream>| {
        let a = ident(&scope.claim(names::snake(name, "id"), "_"));
        args.push(quote!(#a: &str));
        a
    };
    match edge {
        Edge::Root => {}
        Edge::Nav { text: t } => text.push_str(&format!("/{t}")),
        Edge::Cast { name } => text.push_str(&format!("/{name}")),
        Edge::Ref => text.push_str("/$ref"),
        Edge::Count => text.push_str("/$count"),
        Edge::Value => text.push_str("/$value"),
        Edge::Key { param } => {
            text.push('/');
            flush(&mut text, &mut parts);
            let a = arg(param, scope, &mut args);
            parts.push(quote!(&runtime::encode_path_segment(#a)));
        }
        Edge::Call {
            name,
            args: call_args,
        } => {
            text.push_str(&format!("/{name}("));
            for (i, ca) in call_args.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                if let Some(n) = &ca.name {
                    text.push_str(&format!("{n}="));
                }
                match &ca.value {
                    ArgValue::Fixed(fixed) => text.push_str(fixed),
                    ArgValue::Param(param) => {
                        let name = ca.name.as_deref().unwrap_or(param);
                        if ca.quoted {
                            text.push('\'');
                        }
                        flush(&mut text, &mut parts);
                        let a = arg(name, scope, &mut args);
                        if ca.quoted {
                            parts.push(quote!(&runtime::encode_path_string_literal(#a)));
                            text.push('\'');
                        } else {
                            parts.push(quote!(&runtime::encode_path_segment(#a)));
                        }
                    }
                }
            }
            text.push(')');
        }
        Edge::Pattern { pieces } => {
            text.push('/');
            for piece in pieces {
                match piece {
                    PatternPiece::Text(t) => text.push_str(t),
                    PatternPiece::Param { name, quoted } => {
                        flush(&mut text, &mut parts);
                        let a = arg(name, scope, &mut args);
                        if *quoted {
                            parts.push(quote!(&runtime::encode_path_string_literal(#a)));
                        } else {
                            parts.push(quote!(&runtime::encode_path_segment(#a)));
                        }
                    }
                }
            }
        }
        Edge::DrivePath {
            root,
            param,
            closed,
        } => {
            match root {
                Some(r) => text.push_str(&format!("/{r}:/")),
                None => text.push_str(":/"),
            }
            flush(&mut text, &mut parts);
            let a = arg(param, scope, &mut args);
            parts.push(quote!(&runtime::encode_drive_path(#a)));
            if *closed {
                text.push(':');
            }
        }
    }
    flush(&mut text, &mut parts);
    (args, parts)
}

fn segment_method(
    tree: &Tree,
    child: &Node,
    outer: &BTreeSet<String>,
    table: &TypeTable<'_>,
) -> TokenStream {
    let mut scope = Scope::with_reserved(&["self"]);
    let (args, parts) = segment_parts(&child.edge, &mut scope);
    let ty = &tree.types[child.ty];
    let ty_ident = ident(&ty.ident);
    let method = ident(&child.method);
    let cfg = cfg_within(&child.areas, outer, table);
    let mut doc = Doc::new();
    let segment = super::tree::path_text(&child.edge);
    doc.raw(format!(
        "`…{}`: see [`{}`].",
        segment.replace('`', "'"),
        ty.ident
    ));
    if let Edge::DrivePath { .. } = child.edge {
        doc.paragraph_break();
        doc.raw(
            "The item path (`Documents/report.docx`) is encoded part by part, so it can only \
             name an item below this one.",
        );
    }
    let docs = doc.tokens();
    quote! {
        #docs
        #cfg
        pub fn #method(&self, #(#args),*) -> #ty_ident<'a> {
            #ty_ident(self.0.push(&[#(#parts),*]))
        }
    }
}

/// A request method: a verb of the builder (`action` is `None`), or an
/// action reached from it (`sendMail`), which adds its segment first.
#[allow(clippy::too_many_arguments)]
fn request_method(
    ir: &Ir,
    tree: &Tree,
    owner: &super::tree::NodeType,
    term: &Terminal,
    action: Option<&Node>,
    outer: &BTreeSet<String>,
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> TokenStream {
    let op = &ir.operations[term.op];
    let mut scope = Scope::with_reserved(&["self", "body"]);
    let (mut args, parts) = match action {
        Some(node) => segment_parts(&node.edge, &mut scope),
        None => (Vec::new(), Vec::new()),
    };
    let body = match &term.body {
        None if term.raw_body => {
            args.push(quote!(body: runtime::RawBody));
            quote!(.raw_body(body))
        }
        Some(RequestBody::Type(ty)) => {
            let element = TypeRef {
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
            Some(name) => {
                let body_ident = ident(name);
                args.push(quote!(body: &models::#body_ident));
                quote!(.json_body(body))
            }
            None => quote!(),
        },
        None => quote!(),
    };
    let response = terminal_response_type(term, table);
    let method = method_tokens(&term.method);
    let status = term.response.as_ref().map(|r| {
        let code = Literal::u16_unsuffixed(success_status(term, r.status));
        // Other pages merged here may document another success status.
        let mut others: Vec<u16> = term
            .merged
            .iter()
            .filter_map(|&o| ir.operations[o].response.as_ref().map(|r| r.status))
            .map(|s| success_status(term, s))
            .collect();
        // A PUT creates or replaces: the service answers 201 for a new
        // resource and 200 or 204 for an existing one (RFC 9110, 9.3.4),
        // whichever of them the page shows.
        let documented = success_status(term, r.status);
        if term.method.eq_ignore_ascii_case("PUT") && matches!(documented, 200 | 201 | 204) {
            others.extend([200, 201, 204]);
        }
        others.retain(|s| *s != documented);
        others.sort_unstable();
        others.dedup();
        if others.is_empty() {
            quote!(.expect_status(#code))
        } else {
            let others = others.iter().map(|s| Literal::u16_unsuffixed(*s));
            quote!(.expect_status(#code).also_accept_status(&[#(#others),*]))
        }
    });
    let fn_ident = ident(match action {
        Some(node) => &node.method,
        None => &term.verb,
    });
    let areas: BTreeSet<String> = std::iter::once(term.op)
        .chain(term.merged.iter().copied())
        .map(|o| ir.operations[o].area.clone())
        .collect();
    let cfg = cfg_within(&areas, outer, table);
    let suffix = action.map_or_else(String::new, |n| super::tree::path_text(&n.edge));
    let templates: Vec<&str> = owner
        .nodes
        .iter()
        .map(|&n| tree.nodes[n].template.as_str())
        .collect();
    let docs = request_docs(ir, term, &templates, &suffix, table, sources).tokens();
    let allow = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let target = match action {
        Some(_) => quote!(self.0.push(&[#(#parts),*])),
        None => quote!(self.0),
    };
    quote! {
        #docs
        #cfg
        #allow
        pub fn #fn_ident(&self, #(#args),*) -> runtime::Request<#response> {
            #target.request(#method) #body #status
        }
    }
}

/// The status a request succeeds with, given the documented one: a download
/// documented as `302 Found` ends with the `200` of the URL it redirects to,
/// which the client follows.
fn success_status(term: &Terminal, documented: u16) -> u16 {
    if term.raw_response && (300..400).contains(&documented) {
        200
    } else {
        documented
    }
}

/// The Rust type a request answers: `runtime::Content` for raw content,
/// `runtime::Accepted<T>` for a long-running request, else that of its
/// success response.
pub(super) fn terminal_response_type(term: &Terminal, table: &TypeTable<'_>) -> TokenStream {
    if term.raw_response {
        quote!(runtime::Content)
    } else if let Some(long_running) = &term.long_running {
        let resource = long_running_resource(long_running, table);
        quote!(runtime::Accepted<#resource>)
    } else {
        response_type(term.response.as_ref(), table)
    }
}

/// What a long-running request's operation answers when it is done: the
/// type its path addresses, else untyped JSON.
fn long_running_resource(
    long_running: &super::tree::LongRunning,
    table: &TypeTable<'_>,
) -> TokenStream {
    match &long_running.resource {
        Some(ty) => table.rust_type(ty, None, false).tokens,
        None => quote!(serde_json::Value),
    }
}

/// The Rust type of a success response.
pub(super) fn response_type(response: Option<&Response>, table: &TypeTable<'_>) -> TokenStream {
    let Some(response) = response else {
        return quote!(());
    };
    match &response.ty {
        None => quote!(()),
        // No content, or accepted for later (the answer is a `Location`).
        Some(_) if matches!(response.status, 202 | 204) => quote!(()),
        Some(ty) if ty.collection => {
            let element = TypeRef {
                name: ty.name.clone(),
                collection: false,
            };
            let inner = table.rust_type(&element, None, false).tokens;
            quote!(runtime::Collection<#inner>)
        }
        Some(ty) => table.rust_type(ty, None, false).tokens,
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

fn request_docs(
    ir: &Ir,
    term: &Terminal,
    templates: &[&str],
    suffix: &str,
    table: &TypeTable<'_>,
    sources: &SourceMap,
) -> Doc {
    let op = &ir.operations[term.op];
    let mut doc = Doc::new();
    if let Some(title) = &op.title {
        doc.text(title);
    }
    if let Some(description) = &op.description
        && op.title.as_deref() != Some(description.as_str())
    {
        doc.text(description);
    }
    doc.paragraph_break();
    let method = &term.method;
    let shown: Vec<&str> = templates.to_vec();
    doc.raw(format!("{method} {}", show_paths(&shown, suffix)));
    if term.method == "PATCH" && term.body.is_some() {
        doc.text(
            "Sends only the properties that are set (`Some`); the others keep their values. \
             To clear one, send `null` for it with the body's `with_null` \
             (`.with_null(Model::PROPERTY)`).",
        );
    }
    if term.raw_body {
        doc.text(
            "Sends `body` as raw content, with its Content-Type; a body made from bytes is \
             sent again if the request is retried, a streamed one is not.",
        );
    }
    if let Some(response) = &term.response {
        let status = success_status(term, response.status);
        if status == response.status {
            doc.text(&format!(
                "Succeeds with status {status}; any other status is an error."
            ));
        } else {
            doc.text(&format!(
                "The service answers {} with a redirect to the content, which is followed \
                 (without the Authorization header when it leaves the host); succeeds with \
                 status {status}, any other status is an error.",
                response.status
            ));
        }
    }
    if term.raw_response {
        doc.raw(
            "Returns raw content: send the request with `.download()`, which answers a \
             [`runtime::Download`] to read as a stream, into a file or into memory.",
        );
    }
    if let Some(long_running) = &term.long_running {
        doc.paragraph_break();
        doc.raw(long_running_docs(long_running, table));
    }
    if let Some(response) = &term.response
        && let Some(ty) = response
            .ty
            .as_ref()
            .filter(|_| !matches!(response.status, 202 | 204))
    {
        // A link to the generated type where there is one (its name is ours, not page text).
        let shown = match table.get(&ty.name) {
            Some((index, _)) => {
                let name = table.any_ident(index).unwrap_or(table.ident(index));
                format!("[`{name}`](models::{name})")
            }
            None => "untyped JSON".to_owned(),
        };
        let collection = if ty.collection {
            "a collection of "
        } else {
            ""
        };
        doc.raw(format!("Returns {collection}{shown}."));
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
    request_header_docs(&mut doc, &op.request_headers);
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
    if !term.merged.is_empty() {
        let others: Vec<String> = term
            .merged
            .iter()
            .map(|&o| format!("`{}`", sources.stable_location(&ir.operations[o].source)))
            .collect();
        doc.text(&format!(
            "Also documented, for this method here, in {}.",
            others.join(", ")
        ));
    }
    doc
}

/// The request headers the page documents, each with the runtime helper
/// that sets it (or `.header(…)`), and what the page says of it.
fn request_header_docs(doc: &mut Doc, headers: &[crate::ir::RequestHeader]) {
    if headers.is_empty() {
        return;
    }
    doc.paragraph_break();
    doc.raw("Request headers the page documents (set them on the returned request):");
    doc.paragraph_break();
    for header in headers {
        // Names are header tokens (`extract` keeps no other); values are
        // page text, shown in a code span.
        let values: Vec<String> = header
            .values
            .iter()
            .map(|v| format!("`{}`", super::docs::sanitize(&v.replace('`', "'"))))
            .collect();
        let shown = if values.is_empty() {
            format!("`{}`", header.name)
        } else {
            format!("`{}` ({})", header.name, values.join(", "))
        };
        let mut methods: Vec<&str> = Vec::new();
        let asked: Vec<Option<&str>> = if header.values.is_empty() {
            vec![None]
        } else {
            header.values.iter().map(|v| Some(v.as_str())).collect()
        };
        for value in asked {
            for helper in super::headers::helpers(&header.name, value) {
                if !methods.contains(&helper.method) {
                    methods.push(helper.method);
                }
            }
        }
        let how = if methods.is_empty() {
            format!("`.header(\"{}\", …)`", header.name)
        } else {
            methods
                .iter()
                .map(|m| format!("[`{m}`](runtime::Request::{m})"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let said = header
            .description
            .as_deref()
            .map(|d| {
                let line: String = d.split_whitespace().collect::<Vec<_>>().join(" ");
                format!(" {}", super::docs::sanitize(&line))
            })
            .unwrap_or_default();
        doc.raw(format!("- {shown}: {how}.{said}"));
    }
}

/// How to wait for a long-running request, and what the wait answers.
fn long_running_docs(long_running: &super::tree::LongRunning, table: &TypeTable<'_>) -> String {
    let resource = match long_running
        .resource
        .as_ref()
        .and_then(|ty| table.get(&ty.name))
    {
        Some((index, _)) => {
            let name = table.any_ident(index).unwrap_or(table.ident(index));
            format!(
                "[`{name}`](models::{name}) (what a GET of the path the request is made on \
                 answers, or what a create sends)"
            )
        }
        None => {
            "untyped JSON (no GET of this request's path and no sent type is documented)".to_owned()
        }
    };
    format!(
        "Long-running: the service answers `202 Accepted` with a monitor (`Location` or \
         `Operation-Location`) instead of the result. Send the request with `.start().await?`, \
         which answers a [`runtime::Operation`]; its `.wait().await?` polls the monitor until \
         the operation ends (honouring `Retry-After`, at most 10 minutes unless `.max_wait()` \
         says otherwise) and answers the resource the monitor points at, if it points at one, \
         as {resource}. `.poll()` asks once and answers the [`runtime::OperationStatus`]."
    )
}

/// The areas beneath every type of each module, for the module's cfg.
pub fn module_areas(tree: &Tree) -> std::collections::HashMap<String, BTreeSet<String>> {
    let mut out: std::collections::HashMap<String, BTreeSet<String>> = Default::default();
    for t in &tree.types {
        out.entry(t.module.clone())
            .or_default()
            .extend(tree.nodes[t.canonical].areas.iter().cloned());
    }
    out
}
