//! The documented JSON examples, each with the generated Rust type that must
//! read it: what the round-trip test feeds to the generated crate.
//!
//! A request body is read as the operation's body type (or its parameter
//! struct), a response body as its response type, and each item of a
//! collection response's `value` array as the item type. Bodies of
//! operations that are not generated, empty responses, bodies whose
//! `Content-Type` is not JSON and primitive types are left out.

use super::names_file::Names;
use super::types::TypeTable;
use crate::extract::json::{Kind, Node};
use crate::ir::{ExampleBody, Ir, JSON_TYPE, Operation, RequestBody, TypeRef};
use crate::source::Span;

/// Which part of an example a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExampleRole {
    /// A request body.
    Request,
    /// A response body.
    Response,
    /// One item of a collection response's `value` array.
    ValueItem,
}

impl ExampleRole {
    /// `request`, `response` or `value item`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExampleRole::Request => "request",
            ExampleRole::Response => "response",
            ExampleRole::ValueItem => "value item",
        }
    }
}

/// One JSON value and the generated type that must read it.
#[derive(Clone, Debug)]
pub struct ExampleCase {
    /// The Rust type, as a path from the generated crate's root
    /// (`models::AnyMobileApp`, `Vec<models::User>`).
    pub rust_type: String,
    /// The JSON text: the page's own text when it is strict JSON, else the
    /// lenient reading re-serialised; `None` when even that failed.
    pub json: Option<String>,
    /// Whether the page's text is strict JSON.
    pub strict: bool,
    /// Where the value is in the page.
    pub span: Span,
    /// Request body, response body or `value` item.
    pub role: ExampleRole,
    /// The operation's name.
    pub operation: String,
}

/// Every typed example of the operations the emitter generates, in IR order,
/// with the type names `names` gives (those of [`Emitted::names`](super::Emitted::names)).
pub fn example_cases(
    ir: &Ir,
    names: &Names,
    sources: &crate::source::SourceMap,
) -> Vec<ExampleCase> {
    // Bodies are named by the tree (what the emitter did, given its names).
    let mut ignored = Vec::new();
    let (table, _, _) = super::plan(ir, sources, names, None, &mut ignored);
    let mut cases = Vec::new();
    for op in &ir.operations {
        // Raw content is not decoded into a type.
        if op
            .response
            .as_ref()
            .and_then(|r| r.ty.as_ref())
            .is_some_and(|t| t.name == "Stream")
        {
            continue;
        }
        for pair in &op.examples {
            if let Some(request) = &pair.request
                && let Some(body) = request.body.as_ref().filter(|_| is_json(&request.headers))
                && let Some(rust_type) = request_type(op, &table)
            {
                cases.push(case(op, body, None, rust_type, ExampleRole::Request));
            }
            let response_ty = op
                .response
                .as_ref()
                .filter(|r| !matches!(r.status, 202 | 204))
                .and_then(|r| r.ty.as_ref());
            if let (Some(body), Some(ty)) = (
                pair.response
                    .as_ref()
                    .filter(|r| is_json(&r.headers))
                    .and_then(|r| r.body.as_ref()),
                response_ty,
            ) {
                response_cases(op, body, ty, &table, &mut cases);
            }
        }
    }
    cases
}

/// Whether a body is JSON by its headers: no `Content-Type`, or a JSON one
/// (a `$count` answers `text/plain`, a photo `image/jpeg`).
fn is_json(headers: &[(String, String)]) -> bool {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .is_none_or(|(_, value)| value.to_ascii_lowercase().contains("json"))
}

fn response_cases(
    op: &Operation,
    body: &ExampleBody,
    ty: &TypeRef,
    table: &TypeTable<'_>,
    cases: &mut Vec<ExampleCase>,
) {
    let Some(element) = rust_type(&ty.name, table) else {
        return;
    };
    if !ty.collection {
        cases.push(case(op, body, None, element, ExampleRole::Response));
        return;
    }
    let items = body
        .json
        .as_ref()
        .and_then(|p| p.node.get("value"))
        .and_then(|v| match &v.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        });
    match items {
        Some(items) => {
            for item in items {
                cases.push(case(
                    op,
                    body,
                    Some(item),
                    element.clone(),
                    ExampleRole::ValueItem,
                ));
            }
        }
        // No `value` array: the whole body must read as a page of items.
        None => cases.push(case(
            op,
            body,
            None,
            format!("runtime::Collection<{element}>"),
            ExampleRole::Response,
        )),
    }
}

/// The Rust type of a documented entity, complex or enum type; `None` for
/// primitives, untyped JSON and unknown names.
fn rust_type(name: &str, table: &TypeTable<'_>) -> Option<String> {
    let ty = TypeRef {
        name: name.to_owned(),
        collection: false,
    };
    if ty.is_primitive() || name == JSON_TYPE {
        return None;
    }
    table.get(name)?;
    Some(
        table
            .rust_type(&ty, None, false)
            .tokens
            .to_string()
            .replace(' ', ""),
    )
}

fn request_type(op: &Operation, table: &TypeTable<'_>) -> Option<String> {
    match op.request_body.as_ref()? {
        RequestBody::Type(ty) => {
            let element = rust_type(&ty.name, table)?;
            Some(if ty.collection {
                format!("Vec<{element}>")
            } else {
                element
            })
        }
        RequestBody::Parameters(_) => table.body_ident(&op.name).map(|b| format!("models::{b}")),
    }
}

fn case(
    op: &Operation,
    body: &ExampleBody,
    item: Option<&Node>,
    rust_type: String,
    role: ExampleRole,
) -> ExampleCase {
    let node = item.or_else(|| body.json.as_ref().map(|p| &p.node));
    let range = node.map_or(0..body.raw.len(), |n| n.range.clone());
    let json = match node {
        Some(n) if body.strict => body.raw.get(n.range.clone()).map(str::to_owned),
        Some(n) => serde_json::to_string(&n.to_value()).ok(),
        None => None,
    };
    ExampleCase {
        rust_type,
        json,
        strict: body.strict,
        span: body.span(range),
        role,
        operation: op.name.clone(),
    }
}
