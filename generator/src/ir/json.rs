//! The IR as JSON: the stable contract of `docgen ir --json`.
//!
//! Version 1. Fields documented in the README keep their meaning; fields may be
//! added. Locations are `path:line` for IR items and `path:line:col` for
//! diagnostics, with paths as the user named them.

use serde_json::{Map, Value, json};

use super::{
    ExampleBody, ExamplePair, Ir, Operation, Property, RequestBody, TypeDef, TypeKind, TypeRef,
};
use crate::diag::Diagnostic;
use crate::source::{SourceMap, Span};

/// The IR and its diagnostics as the JSON document of `docgen ir --json`.
pub fn to_json(ir: &Ir, diagnostics: &[Diagnostic], sources: &SourceMap) -> Value {
    json!({
        "version": 1,
        "types": ir.types.iter().map(|t| type_json(t, sources)).collect::<Vec<_>>(),
        "operations": ir.operations.iter().map(|o| operation_json(o, sources)).collect::<Vec<_>>(),
        "diagnostics": diagnostics.iter().map(|d| diagnostic_json(d, sources)).collect::<Vec<_>>(),
    })
}

fn line(span: &Span, sources: &SourceMap) -> Value {
    Value::String(sources.line_location(span))
}

fn type_json(t: &TypeDef, sources: &SourceMap) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(t.name));
    m.insert("namespace".into(), json!(t.namespace));
    m.insert("kind".into(), json!(t.kind.as_str()));
    m.insert("base".into(), json!(t.base));
    m.insert("description".into(), json!(t.description));
    m.insert(
        "properties".into(),
        Value::Array(
            t.properties
                .iter()
                .map(|p| property_json(p, sources))
                .collect(),
        ),
    );
    if t.kind == TypeKind::Enum {
        m.insert(
            "members".into(),
            Value::Array(t.members.iter().map(|e| json!(e.name)).collect()),
        );
        if t.members.iter().any(|e| e.value.is_some()) {
            m.insert(
                "member_values".into(),
                Value::Array(t.members.iter().map(|e| json!(e.value)).collect()),
            );
        }
    }
    m.insert(
        "sources".into(),
        Value::Array(t.sources.iter().map(|s| line(s, sources)).collect()),
    );
    m.insert("open".into(), json!(t.open));
    m.insert("abstract".into(), json!(t.is_abstract));
    m.insert("inferred".into(), json!(t.inferred));
    m.insert("area".into(), json!(t.area));
    Value::Object(m)
}

fn property_json(p: &Property, sources: &SourceMap) -> Value {
    let mut value = json!({
        "name": p.name,
        "type": p.ty.name,
        "collection": p.ty.collection,
        "navigation": p.navigation,
        "inherited": p.inherited,
        "description": p.description,
        "source": line(&p.source, sources),
    });
    // Only where the type is not simply the cell's name: how docgen read it.
    if let (Some(r), Value::Object(m)) = (&p.resolution, &mut value) {
        m.insert(
            "resolution".into(),
            json!({ "written": r.written, "by": r.by.as_str(), "link_type": r.link_type }),
        );
    }
    value
}

fn type_ref_json(t: &TypeRef) -> Value {
    json!({ "type": t.name, "collection": t.collection })
}

fn operation_json(o: &Operation, sources: &SourceMap) -> Value {
    let request_body = match &o.request_body {
        None => Value::Null,
        Some(RequestBody::Type(t)) => type_ref_json(t),
        Some(RequestBody::Parameters(params)) => json!({
            "parameters": params.iter().map(|p| json!({
                "name": p.name,
                "type": p.ty.name,
                "collection": p.ty.collection,
                "description": p.description,
                "required": p.required,
            })).collect::<Vec<_>>()
        }),
    };
    let response = o.response.as_ref().map_or(Value::Null, |r| {
        json!({
            "status": r.status,
            "type": r.ty.as_ref().map(|t| t.name.clone()),
            "collection": r.ty.as_ref().is_some_and(|t| t.collection),
        })
    });
    json!({
        "name": o.name,
        "method": o.method,
        "paths": o.paths.iter().map(|p| p.path.clone()).collect::<Vec<_>>(),
        "path_params": o.path_params,
        "query_options": o.query_options,
        "query_options_inferred": o.query_options_inferred,
        "request_body": request_body,
        "response": response,
        "source": line(&o.source, sources),
        "sources": o.sources.iter().map(|s| line(s, sources)).collect::<Vec<_>>(),
        "title": o.title,
        "description": o.description,
        "permissions": o.permissions.iter().map(|p| json!({
            "type": p.kind,
            "permissions": p.permissions,
        })).collect::<Vec<_>>(),
        "request_headers": o.request_headers.iter().map(|h| json!({
            "name": h.name,
            "values": h.values,
            "description": h.description,
        })).collect::<Vec<_>>(),
        "area": o.area,
        "segments": o.paths.iter().map(|p| json!(p.segments)).collect::<Vec<_>>(),
        "examples": o.examples.iter().map(|e| example_json(e, sources)).collect::<Vec<_>>(),
    })
}

fn body_json(body: &Option<ExampleBody>) -> Value {
    match body {
        None => Value::Null,
        Some(b) => json!({
            "json": b.value(),
            "strict": b.strict,
            "defect": b.defect,
            "raw": if b.json.is_none() { Some(b.raw.as_ref()) } else { None },
        }),
    }
}

fn example_json(e: &ExamplePair, sources: &SourceMap) -> Value {
    json!({
        "request": e.request.as_ref().map(|r| json!({
            "name": r.name,
            "method": r.method,
            "path": r.path,
            "query": r.query,
            "headers": r.headers,
            "body": body_json(&r.body),
            "source": line(&r.source, sources),
        })),
        "response": e.response.as_ref().map(|r| json!({
            "status": r.status,
            "headers": r.headers,
            "body": body_json(&r.body),
            "odata_type": r.odata_type,
            "truncated": r.truncated,
            "source": line(&r.source, sources),
        })),
    })
}

/// One diagnostic as JSON (also the line format of `docgen lint --format json`).
pub fn diagnostic_json(d: &Diagnostic, sources: &SourceMap) -> Value {
    json!({
        "severity": d.severity.as_str(),
        "code": d.code.as_str(),
        "message": d.message,
        "source": sources.location(&d.span),
        "notes": d.notes,
    })
}
