//! Operations from API pages: one per method documented in the HTTP request section.

use super::types::{TypeSpace, area_of, clean_description, page_kind};
use super::{Operation, Parameter, PathTemplate, Permission, RequestBody, Response, TypeRef};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::facts::{ExampleKind, Mention, PageFacts, TableRole};
use crate::extract::urlpath;
use crate::load::DocType;
use crate::source::Span;

/// Builds the operations of every API page, with the index of the page each came from.
pub(super) fn build(
    pages: &[PageFacts],
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Vec<(Operation, usize)> {
    let mut out = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let api = page_kind(page) == Some(DocType::Api);
        if page.request_lines.is_empty() {
            if api {
                let at = page.title.as_ref().map_or(0..0, |t| t.1.clone());
                diags.push(
                    Diagnostic::new(
                        Code::HttpRequestMissing,
                        Span::new(page.file, at),
                        "this API page documents no request line",
                    )
                    .with_note(
                        "add `METHOD /path` lines in an ```http block under `## HTTP request`",
                    ),
                );
            }
            continue;
        }
        let mut methods: Vec<&str> = Vec::new();
        for line in &page.request_lines {
            if !methods.contains(&line.method.as_str()) {
                methods.push(&line.method);
            }
        }
        for method in methods {
            out.push((operation(page, pi, method, space, diags), pi));
        }
    }
    out
}

fn operation(
    page: &PageFacts,
    page_index: usize,
    method: &str,
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Operation {
    let lines: Vec<_> = page
        .request_lines
        .iter()
        .filter(|l| l.method == method)
        .collect();
    let mut paths: Vec<PathTemplate> = Vec::new();
    let mut query_options = page.query_options.clone();
    for line in &lines {
        for path in urlpath::expand_alternatives(&line.path.path) {
            if paths.iter().any(|p| p.path == path) {
                continue;
            }
            paths.push(PathTemplate {
                segments: urlpath::segments(&path),
                path,
                source: Span::new(page.file, line.span.clone()),
            });
        }
        for pair in line.path.query.iter().flat_map(|q| q.split('&')) {
            let name = pair
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if name.starts_with('$') && !query_options.contains(&name) {
                query_options.push(name);
            }
        }
    }
    let mut path_params: Vec<String> = Vec::new();
    for p in &paths {
        for name in urlpath::params(&p.segments) {
            if !path_params.contains(&name) {
                path_params.push(name);
            }
        }
    }
    let source = Span::new(page.file, lines.first().map_or(0..0, |l| l.span.clone()));
    Operation {
        name: String::new(),
        method: method.to_owned(),
        paths,
        path_params,
        query_options,
        request_body: request_body(page, page_index, method, space, diags),
        response: response(page, space, diags),
        title: page.title.as_ref().map(|t| t.0.clone()),
        description: page.summary.clone(),
        permissions: page
            .permissions
            .iter()
            .map(|(kind, perms)| Permission {
                kind: kind.clone(),
                permissions: perms
                    .split([',', ';'])
                    .map(|p| p.trim().trim_matches('*').trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect(),
            })
            .collect(),
        sources: vec![source.clone()],
        source,
        area: area_of(page),
        examples: Vec::new(),
    }
}

fn resolve_mention(
    page: &PageFacts,
    mention: &Mention,
    collection: bool,
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> TypeRef {
    if let Some(p) = crate::extract::typeref::primitive(&mention.name) {
        return TypeRef {
            name: p.to_owned(),
            collection,
        };
    }
    let name = match space.resolve_mention(mention) {
        Some(index) => space.ref_name(index),
        None => {
            diags.push(
                Diagnostic::new(
                    Code::TypeUnresolved,
                    Span::new(page.file, mention.span.clone()),
                    format!("`{}` is named here, but no page defines it", mention.name),
                )
                .with_note("generated code uses untyped JSON for it"),
            );
            mention.name.clone()
        }
    };
    TypeRef { name, collection }
}

fn request_body(
    page: &PageFacts,
    page_index: usize,
    method: &str,
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<RequestBody> {
    if matches!(method, "GET" | "DELETE") || page.request_body.none {
        return None;
    }
    if let Some(mention) = &page.request_body.mention {
        return Some(RequestBody::Type(resolve_mention(
            page, mention, false, space, diags,
        )));
    }
    let (ti, table) = page
        .property_tables
        .iter()
        .enumerate()
        .find(|(_, t)| t.role == TableRole::RequestBody)?;
    let parameters = table
        .rows
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            let ty = space.row_type((page_index, ti, ri), page, row, diags);
            Parameter {
                name: row.name.clone(),
                ty,
                description: clean_description(&row.description.text),
                required: row.required,
            }
        })
        .collect();
    Some(RequestBody::Parameters(parameters))
}

fn response(page: &PageFacts, space: &TypeSpace<'_>, diags: &mut Diagnostics) -> Option<Response> {
    let example_status = page.examples.iter().find_map(|e| match e.kind {
        ExampleKind::Response { status, .. } => status,
        ExampleKind::Request { .. } => None,
    });
    let annotated_collection = page.examples.iter().any(|e| {
        matches!(e.kind, ExampleKind::Response { .. })
            && e.annotation.as_ref().and_then(|a| a.is_collection) == Some(true)
    });
    let prose = page.response.as_ref();
    let status = prose.and_then(|r| r.status).or(example_status)?;
    let ty = prose.and_then(|r| r.mention.as_ref()).map(|mention| {
        let collection = prose.is_some_and(|r| r.collection) || annotated_collection;
        resolve_mention(page, mention, collection, space, diags)
    });
    // 204 and friends carry no body, whatever the prose links to.
    let ty = if status == 204 { None } else { ty };
    Some(Response { status, ty })
}
