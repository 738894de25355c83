//! The requests of a node: one per method, whatever number of pages
//! document it there.
//!
//! Several pages can document one method on one path: a GET per derived type
//! (`GET /deviceAppManagement/mobileApps/{id}` for every kind of app), or a
//! variant with a query (`GET /users/{id}?$expand=manager`). They become one
//! request: the pages that write the path without a query decide; if they
//! disagree on the types, the request sends and returns the nearest base
//! type both derive from (its `Any…` enum holds either); otherwise the first
//! page's types stand, and the request's docs name the other pages.

use super::Terminal;
use super::long_running::{LongRunning, documents_long_running};
use crate::ir::{Ir, Operation, RequestBody, Response, TypeRef};

/// One page's request line for a method on a node.
#[derive(Clone, Copy, Debug)]
pub(super) struct Candidate {
    /// The operation (IR index).
    pub op: usize,
    /// The path (index into the operation's paths).
    pub path: usize,
    /// Whether the request line writes a query.
    pub with_query: bool,
}

/// What a node's segment says about raw content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ContentSegment {
    /// Neither of the below.
    No,
    /// `$value`: the raw value of what the path names (a photo, an
    /// attachment, a message's MIME).
    Value,
    /// A navigation named after a `Stream` property (`content` of a
    /// driveItem, `logo` of an application).
    StreamProperty,
}

/// Whether the operation documents its answer as a stream (`Edm.Stream`).
fn streams(response: Option<&Response>) -> bool {
    response
        .and_then(|r| r.ty.as_ref())
        .is_some_and(|t| t.name == "Stream")
}

/// Which requests on a segment carry raw content: `(body, response)`.
///
/// The answer is raw when the page types it as a stream, when it is a GET
/// of `$value` or of a stream property, or when it is a GET documented to
/// answer with a redirect (`302 Found` to a pre-authenticated URL: a file,
/// a report's CSV). The body is raw for a PUT of either kind of content
/// segment, and for any write to `$value` (a photo is PATCHed too); a PATCH
/// of a stream property is JSON (OneNote's page commands).
fn raw(method: &str, segment: ContentSegment, response: Option<&Response>) -> (bool, bool) {
    let get = method == "GET";
    let redirects = response.is_some_and(|r| (300..400).contains(&r.status));
    let raw_response =
        streams(response) || (get && segment != ContentSegment::No) || (get && redirects);
    let raw_body = match segment {
        ContentSegment::No => false,
        ContentSegment::Value => matches!(method, "PUT" | "PATCH" | "POST"),
        ContentSegment::StreamProperty => method == "PUT",
    };
    (raw_body, raw_response)
}

/// The request the candidates make one of, on a segment that is `segment`.
pub(super) fn merge(
    ir: &Ir,
    method: &str,
    candidates: &[Candidate],
    segment: ContentSegment,
) -> Terminal {
    let plain: Vec<&Candidate> = candidates.iter().filter(|c| !c.with_query).collect();
    let chosen: Vec<&Candidate> = if plain.is_empty() {
        candidates.iter().collect()
    } else {
        plain
    };
    let mut ops: Vec<usize> = Vec::new();
    for c in &chosen {
        if !ops.contains(&c.op) {
            ops.push(c.op);
        }
    }
    for c in candidates {
        if !ops.contains(&c.op) {
            ops.push(c.op);
        }
    }
    let first = chosen[0];
    let op = &ir.operations[first.op];
    let deciding: Vec<&Operation> = {
        let mut seen = Vec::new();
        chosen
            .iter()
            .filter(|c| {
                let fresh = !seen.contains(&c.op);
                seen.push(c.op);
                fresh
            })
            .map(|c| &ir.operations[c.op])
            .collect()
    };
    let mut response = merged_response(ir, &deciding);
    let mut body = merged_body(ir, &deciding);
    let (raw_body, raw_response) = raw(method, segment, response.as_ref());
    // Raw content has no JSON type: what the page names (the resource the
    // content belongs to, `Edm.Stream`) is not what goes over the wire.
    if raw_body {
        body = None;
    }
    if raw_response && let Some(r) = &mut response {
        r.ty = None;
    }
    Terminal {
        method: method.to_owned(),
        verb: String::new(),
        op: first.op,
        merged: ops[1..].to_vec(),
        body,
        response,
        raw_body,
        raw_response,
        long_running: (documents_long_running(op) && !raw_response)
            .then_some(LongRunning { resource: None }),
        source: op.paths[first.path].source.clone(),
    }
}

/// The verb of a request on a node (an action's is its name, given later).
pub(super) fn verb(method: &str, response: Option<&Response>) -> String {
    match method {
        "GET"
            if response
                .and_then(|r| r.ty.as_ref())
                .is_some_and(|t| t.collection) =>
        {
            "list"
        }
        "GET" => "get",
        "POST" => "create",
        "PATCH" => "update",
        "PUT" => "replace",
        "DELETE" => "delete",
        other => return other.to_ascii_lowercase(),
    }
    .to_owned()
}

fn merged_response(ir: &Ir, ops: &[&Operation]) -> Option<Response> {
    let first = ops[0].response.clone();
    if ops.iter().all(|o| o.response == first) {
        return first;
    }
    let responses: Vec<&Response> = ops.iter().filter_map(|o| o.response.as_ref()).collect();
    let (Some(f), true) = (first.as_ref(), responses.len() == ops.len()) else {
        return first;
    };
    if responses.iter().any(|r| r.status != f.status) {
        return first;
    }
    let types: Vec<Option<&TypeRef>> = responses.iter().map(|r| r.ty.as_ref()).collect();
    match common_type(ir, &types) {
        Some(ty) => Some(Response {
            status: f.status,
            ty: Some(ty),
        }),
        None => first,
    }
}

fn merged_body(ir: &Ir, ops: &[&Operation]) -> Option<RequestBody> {
    let first = ops[0].request_body.clone();
    if ops.iter().all(|o| o.request_body == first) {
        return first;
    }
    let types: Option<Vec<Option<&TypeRef>>> = ops
        .iter()
        .map(|o| match &o.request_body {
            Some(RequestBody::Type(t)) => Some(Some(t)),
            _ => None,
        })
        .collect();
    match types.and_then(|t| common_type(ir, &t)) {
        Some(ty) => Some(RequestBody::Type(ty)),
        None => first,
    }
}

/// The nearest type all of `types` are or derive from, when they are named
/// types of one shape (all collections or none).
fn common_type(ir: &Ir, types: &[Option<&TypeRef>]) -> Option<TypeRef> {
    let types: Vec<&TypeRef> = types.iter().copied().collect::<Option<_>>()?;
    let collection = types.first()?.collection;
    if types.iter().any(|t| t.collection != collection) {
        return None;
    }
    let chains: Vec<Vec<String>> = types.iter().map(|t| ancestors(ir, &t.name)).collect();
    let first = chains.first()?;
    let base = first
        .iter()
        .find(|name| chains.iter().all(|c| c.contains(name)))?;
    Some(TypeRef {
        name: base.clone(),
        collection,
    })
}

/// A type and its bases, nearest first (bounded, so a cycle in the docs ends).
fn ancestors(ir: &Ir, name: &str) -> Vec<String> {
    let mut out = vec![name.to_owned()];
    let mut current = ir.type_named(name);
    while let Some(t) = current {
        let Some(base) = t.base.as_deref() else { break };
        if out.iter().any(|n| n == base) || out.len() > 64 {
            break;
        }
        out.push(base.to_owned());
        current = ir.type_named(base);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, ty: Option<&str>) -> Option<Response> {
        Some(Response {
            status,
            ty: ty.map(|name| TypeRef {
                name: name.to_owned(),
                collection: false,
            }),
        })
    }

    #[test]
    fn raw_content_by_segment_method_and_answer() {
        use ContentSegment::{No, StreamProperty, Value};
        let profile = answer(200, Some("profilePhoto"));
        // `$value`: downloads, and every write sends raw content; DELETE is plain.
        assert_eq!(raw("GET", Value, profile.as_ref()), (false, true));
        assert_eq!(raw("PUT", Value, answer(200, None).as_ref()), (true, false));
        assert_eq!(raw("PATCH", Value, None), (true, false));
        assert_eq!(
            raw("DELETE", Value, answer(204, None).as_ref()),
            (false, false)
        );
        // A stream property: GET and PUT are raw, a PATCH (OneNote's commands) is JSON.
        let item = answer(201, Some("driveItem"));
        assert_eq!(raw("PUT", StreamProperty, item.as_ref()), (true, false));
        assert_eq!(raw("GET", StreamProperty, None), (false, true));
        assert_eq!(
            raw("PATCH", StreamProperty, answer(204, None).as_ref()),
            (false, false)
        );
        // Elsewhere: a stream answer, or a GET that redirects (a report's CSV).
        let stream = answer(200, Some("Stream"));
        assert_eq!(raw("POST", No, stream.as_ref()), (false, true));
        assert_eq!(
            raw("GET", No, answer(302, Some("report")).as_ref()),
            (false, true)
        );
        assert_eq!(
            raw("GET", No, answer(200, Some("report")).as_ref()),
            (false, false)
        );
        assert_eq!(raw("POST", No, answer(302, None).as_ref()), (false, false));
    }
}
