//! Operations from API pages: one per method documented in the HTTP request section.

use crate::parallel::*;

use super::types::{TypeSpace, area_of, clean_description, page_kind};
use super::{
    Operation, Parameter, PathTemplate, Permission, RequestBody, RequestHeader, Response, TypeRef,
};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::facts::{ExampleKind, Mention, PageFacts, TableRole};
use crate::extract::urlpath::{self, Segment};
use crate::load::DocType;
use crate::source::Span;

/// Builds the operations of every API page, with the index of the page each came from.
pub(super) fn build(
    pages: &[PageFacts],
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Vec<(Operation, usize)> {
    // Pages are independent here: build in parallel, keep page order.
    let built: Vec<(Vec<(Operation, usize)>, Diagnostics)> = pages
        .par_iter()
        .enumerate()
        .map(|(pi, page)| {
            let mut diags = Diagnostics::new();
            (page_operations(pi, page, space, &mut diags), diags)
        })
        .collect();
    let mut out = Vec::new();
    for (ops, d) in built {
        out.extend(ops);
        diags.extend(d);
    }
    out
}

fn page_operations(
    pi: usize,
    page: &PageFacts,
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Vec<(Operation, usize)> {
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
                .with_note("add `METHOD /path` lines in an ```http block under `## HTTP request`"),
            );
        }
        return Vec::new();
    }
    let mut methods: Vec<&str> = Vec::new();
    for line in &page.request_lines {
        if !methods.contains(&line.method.as_str()) {
            methods.push(&line.method);
        }
    }
    methods
        .into_iter()
        .map(|method| (operation(page, pi, method, space, diags), pi))
        .collect()
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
    let paths = super::paths::documented(page, space.page_text(page.file), &lines, diags);
    let mut query_options = page.query_options.clone();
    let mut query_options_inferred = false;
    for line in &lines {
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
    let response = response(page, space, diags);
    // "Supports the OData query parameters", unnamed: the system query options
    // that apply to what the method reads (a collection, or one object).
    if query_options.is_empty() && page.generic_query_support && method == "GET" {
        let collection = response
            .as_ref()
            .and_then(|r| r.ty.as_ref())
            .is_some_and(|t| t.collection);
        let options: &[&str] = if collection {
            &[
                "$count", "$expand", "$filter", "$orderby", "$search", "$select", "$skip", "$top",
            ]
        } else {
            &["$expand", "$select"]
        };
        query_options = options.iter().map(|o| (*o).to_owned()).collect();
        query_options_inferred = true;
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
    let request_body = request_body(
        page,
        page_index,
        method,
        &paths,
        response.as_ref(),
        space,
        diags,
    );
    Operation {
        name: String::new(),
        method: method.to_owned(),
        paths,
        path_params,
        query_options,
        query_options_inferred,
        request_body,
        response,
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
        request_headers: request_headers(page, method),
        sources: vec![source.clone()],
        source,
        area: area_of(page),
        examples: Vec::new(),
    }
}

/// Headers every request sends or the runtime sets: not worth documenting
/// per operation.
const COMMON_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "host",
    "user-agent",
];

/// The request headers a page documents for `method`: its Request headers
/// table, then the headers its example requests send, by name (any case).
fn request_headers(page: &PageFacts, method: &str) -> Vec<RequestHeader> {
    let mut out: Vec<RequestHeader> = Vec::new();
    let mut add = |name: &str, value: Option<&str>, description: Option<&str>| {
        if COMMON_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return;
        }
        let at = match out.iter().position(|h| h.name.eq_ignore_ascii_case(name)) {
            Some(at) => at,
            None => {
                out.push(RequestHeader {
                    name: name.to_owned(),
                    values: Vec::new(),
                    description: None,
                });
                out.len() - 1
            }
        };
        let header = &mut out[at];
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty())
            && !header.values.iter().any(|v| v == value)
        {
            header.values.push(value.to_owned());
        }
        if header.description.is_none() {
            header.description = description.and_then(clean_description);
        }
    };
    for row in &page.request_headers {
        add(&row.name, row.value.as_deref(), Some(&row.description));
    }
    for example in &page.examples {
        if let ExampleKind::Request { method: m, .. } = &example.kind
            && m == method
        {
            for header in &example.headers {
                add(&header.name, Some(&header.value), None);
            }
        }
    }
    out
}

/// The type a sentence names. A linked name that no page defines is reported;
/// a plain word that is not a type ("an error object") is no type at all.
fn resolve_mention(
    page: &PageFacts,
    mention: &Mention,
    collection: bool,
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<TypeRef> {
    // A primitive spelling is the primitive, unless it links to the page of
    // the type of that name (`[timeStamp](timestamp.md)`).
    if let Some(p) = crate::extract::typeref::primitive(&mention.name)
        && space
            .linked_primitive(&mention.name, mention.link.as_deref())
            .is_err()
    {
        return Some(TypeRef {
            name: p.to_owned(),
            collection,
        });
    }
    let name = match space.resolve_mention(page, mention) {
        Some(index) => space.ref_name(index),
        None if mention.link.is_none() => return None,
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
    Some(TypeRef { name, collection })
}

/// The request body, read as a careful reader would: the type the prose names;
/// for `$ref`, a reference; for updates and creates, the resource itself (its
/// table lists the settable properties); otherwise the table's parameters.
fn request_body(
    page: &PageFacts,
    page_index: usize,
    method: &str,
    paths: &[PathTemplate],
    response: Option<&Response>,
    space: &TypeSpace<'_>,
    diags: &mut Diagnostics,
) -> Option<RequestBody> {
    if matches!(method, "GET" | "DELETE") || page.request_body.none {
        return None;
    }
    if let Some(mention) = &page.request_body.mention
        && let Some(ty) = resolve_mention(page, mention, false, space, diags)
    {
        return Some(RequestBody::Type(ty));
    }
    let reference = paths
        .first()
        .is_some_and(|p| matches!(p.segments.last(), Some(Segment::Ref)));
    if reference && matches!(method, "POST" | "PUT") {
        return Some(RequestBody::Parameters(vec![Parameter {
            name: "@odata.id".to_owned(),
            ty: TypeRef {
                name: "String".to_owned(),
                collection: false,
            },
            description: Some("The URL of the object to reference.".to_owned()),
            required: Some(true),
        }]));
    }
    let resource = matches!(method, "PATCH" | "PUT")
        || page
            .title
            .as_ref()
            .is_some_and(|(t, _)| super::naming::starts_with_word(t, &["create", "add", "post"]));
    let table = page
        .property_tables
        .iter()
        .enumerate()
        .find(|(_, t)| t.role == TableRole::RequestBody);
    if resource && let Some(ty) = target_type(page, response, space) {
        return Some(RequestBody::Type(ty));
    }
    let (ti, table) = table?;
    let parameters = table
        .rows
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            let (ty, _) = space.row_type((page_index, ti, ri), page, row, diags);
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

/// The resource an update or create sends: the (single) response type, or the
/// type the title names ("Update mailboxSettings").
fn target_type(
    page: &PageFacts,
    response: Option<&Response>,
    space: &TypeSpace<'_>,
) -> Option<TypeRef> {
    if let Some(ty) = response
        .and_then(|r| r.ty.as_ref())
        .filter(|t| !t.collection && !t.is_primitive())
    {
        return Some(ty.clone());
    }
    let (title, _) = page.title.as_ref()?;
    title.split_whitespace().skip(1).find_map(|word| {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let index = space.resolve(word, None, page.namespace.as_deref())?;
        Some(TypeRef {
            name: space.ref_name(index),
            collection: false,
        })
    })
}

fn response(page: &PageFacts, space: &TypeSpace<'_>, diags: &mut Diagnostics) -> Option<Response> {
    let responses = || {
        page.examples
            .iter()
            .filter(|e| matches!(e.kind, ExampleKind::Response { .. }))
    };
    let example_status = responses().find_map(|e| match e.kind {
        ExampleKind::Response { status, .. } => status,
        ExampleKind::Request { .. } => None,
    });
    let annotated_collection =
        responses().any(|e| e.annotation.as_ref().and_then(|a| a.is_collection) == Some(true));
    let prose = page.response.as_ref();
    let status = prose.and_then(|r| r.status).or(example_status)?;
    let ty = prose
        .and_then(|r| r.mention.as_ref())
        .and_then(|mention| {
            let collection = prose.is_some_and(|r| r.collection) || annotated_collection;
            resolve_mention(page, mention, collection, space, diags)
        })
        // Failing prose, the response example's annotation names the type.
        .or_else(|| {
            let annotated = responses().find_map(|e| e.annotation.as_ref()?.odata_type.clone())?;
            annotated_type(page, &annotated, annotated_collection, space)
        });
    // 204 and friends carry no body, whatever the prose links to.
    let ty = if status == 204 { None } else { ty };
    Some(Response { status, ty })
}

/// `microsoft.graph.user`, `Collection(microsoft.graph.site)`, `String` → a type, if known.
fn annotated_type(
    page: &PageFacts,
    annotated: &str,
    collection: bool,
    space: &TypeSpace<'_>,
) -> Option<TypeRef> {
    let text = annotated.trim().trim_start_matches('#');
    let (inner, collection) = match text
        .strip_prefix("Collection(")
        .or_else(|| text.strip_prefix("collection("))
        .and_then(|r| r.strip_suffix(')'))
    {
        Some(inner) => (inner, true),
        None => (text, collection),
    };
    // An annotation spells types as the service does: `timeStamp` is the type.
    if let Some(p) = crate::extract::typeref::primitive(inner)
        && space.exact(inner).is_none()
    {
        return Some(TypeRef {
            name: p.to_owned(),
            collection,
        });
    }
    let index = space.resolve(inner, None, page.namespace.as_deref())?;
    Some(TypeRef {
        name: space.ref_name(index),
        collection,
    })
}
