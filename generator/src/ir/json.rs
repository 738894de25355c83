//! The IR as JSON: the stable contract of `docgen ir --json`.
//!
//! Version 1. Fields documented in the README keep their meaning; fields may be
//! added. Locations are `path:line` for IR items and `path:line:col` for
//! diagnostics, with paths as the user named them.
//!
//! The document is a [`Serialize`] view of the IR ([`IrJson`]), so the CLI
//! writes it straight to stdout without building a `serde_json::Value` tree
//! first (which cost more than reading the pages); [`to_json`] is the same
//! view collected into a `Value`, for tests and tools that want one.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::{
    ExampleBody, ExamplePair, ExampleRequest, ExampleResponse, Ir, Operation, Parameter,
    Permission, Property, RequestBody, RequestHeader, Resolution, Response, TypeDef, TypeKind,
    TypeRef,
};
use crate::diag::Diagnostic;
use crate::extract::json::{Kind, Node};
use crate::source::{SourceMap, Span};

/// The IR and its diagnostics as the JSON document of `docgen ir --json`.
pub fn to_json(ir: &Ir, diagnostics: &[Diagnostic], sources: &SourceMap) -> Value {
    serde_json::to_value(ir_json(ir, diagnostics, sources)).unwrap_or(Value::Null)
}

/// The JSON document of `docgen ir --json`, ready to serialize (for example
/// with `serde_json::to_writer_pretty`) without an intermediate `Value`.
pub fn ir_json<'a>(
    ir: &'a Ir,
    diagnostics: &'a [Diagnostic],
    sources: &'a SourceMap,
) -> IrJson<'a> {
    IrJson {
        ir,
        diagnostics,
        sources,
    }
}

/// A [`Serialize`] view of the IR and its diagnostics: the document of
/// `docgen ir --json` (see [`ir_json`]).
#[derive(Clone, Copy)]
pub struct IrJson<'a> {
    pub(super) ir: &'a Ir,
    pub(super) diagnostics: &'a [Diagnostic],
    pub(super) sources: &'a SourceMap,
}

impl Serialize for IrJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sources = self.sources;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("version", &1)?;
        m.serialize_entry("types", &each(&self.ir.types, |t| TypeJson(t, sources)))?;
        m.serialize_entry(
            "operations",
            &each(&self.ir.operations, |o| OperationJson(o, sources)),
        )?;
        m.serialize_entry(
            "diagnostics",
            &each(self.diagnostics, |d| DiagnosticJson(d, sources)),
        )?;
        m.end()
    }
}

/// One diagnostic as JSON (also the line format of `docgen lint --format json`).
pub fn diagnostic_json(d: &Diagnostic, sources: &SourceMap) -> Value {
    serde_json::to_value(DiagnosticJson(d, sources)).unwrap_or(Value::Null)
}

/// A [`Serialize`] view of one diagnostic, as [`diagnostic_json`] gives it.
#[derive(Clone, Copy)]
pub struct DiagnosticJson<'a>(pub &'a Diagnostic, pub &'a SourceMap);

impl Serialize for DiagnosticJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let DiagnosticJson(d, sources) = *self;
        let file = sources.get(d.span.file);
        let lc = file.line_col(d.span.range.start);
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("severity", d.severity.as_str())?;
        m.serialize_entry("code", d.code.as_str())?;
        m.serialize_entry("message", &d.message)?;
        m.serialize_entry(
            "source",
            &Display(format_args!("{}:{}:{}", file.display_path, lc.line, lc.col)),
        )?;
        m.serialize_entry("notes", &d.notes)?;
        m.end()
    }
}

/// A sequence serialized item by item through `F`, without collecting it.
struct Each<'a, T, F>(&'a [T], F);

fn each<'a, T, U: Serialize, F: Fn(&'a T) -> U>(items: &'a [T], f: F) -> Each<'a, T, F> {
    Each(items, f)
}

impl<'a, T, U: Serialize, F: Fn(&'a T) -> U> Serialize for Each<'a, T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(&self.1))
    }
}

/// Text written as a JSON string without allocating it first.
struct Display<T>(T);

impl<T: std::fmt::Display> Serialize for Display<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// `path:line` of a span's start (as [`SourceMap::line_location`]).
struct Line<'a>(&'a Span, &'a SourceMap);

impl Serialize for Line<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let file = self.1.get(self.0.file);
        let line = file.line_col(self.0.range.start).line;
        serializer.collect_str(&format_args!("{}:{}", file.display_path, line))
    }
}

pub(super) struct TypeJson<'a>(pub(super) &'a TypeDef, pub(super) &'a SourceMap);

impl Serialize for TypeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let TypeJson(t, sources) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("name", &t.name)?;
        m.serialize_entry("namespace", &t.namespace)?;
        m.serialize_entry("kind", t.kind.as_str())?;
        m.serialize_entry("base", &t.base)?;
        m.serialize_entry("description", &t.description)?;
        m.serialize_entry(
            "properties",
            &each(&t.properties, |p| PropertyJson(p, sources)),
        )?;
        if t.kind == TypeKind::Enum {
            m.serialize_entry("members", &each(&t.members, |e| &e.name))?;
            if t.members.iter().any(|e| e.value.is_some()) {
                m.serialize_entry("member_values", &each(&t.members, |e| e.value))?;
            }
        }
        m.serialize_entry("sources", &each(&t.sources, |s| Line(s, sources)))?;
        m.serialize_entry("open", &t.open)?;
        m.serialize_entry("abstract", &t.is_abstract)?;
        m.serialize_entry("inferred", &t.inferred)?;
        m.serialize_entry("area", &t.area)?;
        m.end()
    }
}

struct PropertyJson<'a>(&'a Property, &'a SourceMap);

impl Serialize for PropertyJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let PropertyJson(p, sources) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("name", &p.name)?;
        m.serialize_entry("type", &p.ty.name)?;
        m.serialize_entry("collection", &p.ty.collection)?;
        m.serialize_entry("navigation", &p.navigation)?;
        m.serialize_entry("inherited", &p.inherited)?;
        m.serialize_entry("description", &p.description)?;
        m.serialize_entry("source", &Line(&p.source, sources))?;
        // Only where the type is not simply the cell's name: how docgen read it.
        if let Some(r) = &p.resolution {
            m.serialize_entry("resolution", &ResolutionJson(r))?;
        }
        m.end()
    }
}

struct ResolutionJson<'a>(&'a Resolution);

impl Serialize for ResolutionJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("written", &r.written)?;
        m.serialize_entry("by", r.by.as_str())?;
        m.serialize_entry("link_type", &r.link_type)?;
        m.end()
    }
}

struct TypeRefJson<'a>(&'a TypeRef);

impl Serialize for TypeRefJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("type", &self.0.name)?;
        m.serialize_entry("collection", &self.0.collection)?;
        m.end()
    }
}

struct RequestBodyJson<'a>(&'a RequestBody);

impl Serialize for RequestBodyJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            RequestBody::Type(t) => TypeRefJson(t).serialize(serializer),
            RequestBody::Parameters(params) => {
                let mut m = serializer.serialize_map(None)?;
                m.serialize_entry("parameters", &each(params, ParameterJson))?;
                m.end()
            }
        }
    }
}

struct ParameterJson<'a>(&'a Parameter);

impl Serialize for ParameterJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let p = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("name", &p.name)?;
        m.serialize_entry("type", &p.ty.name)?;
        m.serialize_entry("collection", &p.ty.collection)?;
        m.serialize_entry("description", &p.description)?;
        m.serialize_entry("required", &p.required)?;
        m.end()
    }
}

struct ResponseJson<'a>(&'a Response);

impl Serialize for ResponseJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("status", &r.status)?;
        m.serialize_entry("type", &r.ty.as_ref().map(|t| &t.name))?;
        m.serialize_entry("collection", &r.ty.as_ref().is_some_and(|t| t.collection))?;
        m.end()
    }
}

struct PermissionJson<'a>(&'a Permission);

impl Serialize for PermissionJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("type", &self.0.kind)?;
        m.serialize_entry("permissions", &self.0.permissions)?;
        m.end()
    }
}

struct RequestHeaderJson<'a>(&'a RequestHeader);

impl Serialize for RequestHeaderJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let h = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("name", &h.name)?;
        m.serialize_entry("values", &h.values)?;
        m.serialize_entry("description", &h.description)?;
        m.end()
    }
}

pub(super) struct OperationJson<'a>(pub(super) &'a Operation, pub(super) &'a SourceMap);

impl Serialize for OperationJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let OperationJson(o, sources) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("name", &o.name)?;
        m.serialize_entry("method", &o.method)?;
        m.serialize_entry("paths", &each(&o.paths, |p| &p.path))?;
        m.serialize_entry("path_params", &o.path_params)?;
        m.serialize_entry("query_options", &o.query_options)?;
        m.serialize_entry("query_options_inferred", &o.query_options_inferred)?;
        m.serialize_entry(
            "request_body",
            &o.request_body.as_ref().map(RequestBodyJson),
        )?;
        m.serialize_entry("response", &o.response.as_ref().map(ResponseJson))?;
        m.serialize_entry("source", &Line(&o.source, sources))?;
        m.serialize_entry("sources", &each(&o.sources, |s| Line(s, sources)))?;
        m.serialize_entry("title", &o.title)?;
        m.serialize_entry("description", &o.description)?;
        m.serialize_entry("permissions", &each(&o.permissions, PermissionJson))?;
        m.serialize_entry(
            "request_headers",
            &each(&o.request_headers, RequestHeaderJson),
        )?;
        m.serialize_entry("area", &o.area)?;
        m.serialize_entry("segments", &each(&o.paths, |p| &p.segments))?;
        m.serialize_entry("examples", &each(&o.examples, |e| ExampleJson(e, sources)))?;
        m.end()
    }
}

struct ExampleJson<'a>(&'a ExamplePair, &'a SourceMap);

impl Serialize for ExampleJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ExampleJson(e, sources) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry(
            "request",
            &e.request.as_ref().map(|r| ExampleRequestJson(r, sources)),
        )?;
        m.serialize_entry(
            "response",
            &e.response.as_ref().map(|r| ExampleResponseJson(r, sources)),
        )?;
        m.end()
    }
}

struct ExampleRequestJson<'a>(&'a ExampleRequest, &'a SourceMap);

impl Serialize for ExampleRequestJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ExampleRequestJson(r, sources) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("name", &r.name)?;
        m.serialize_entry("method", &r.method)?;
        m.serialize_entry("path", &r.path)?;
        m.serialize_entry("query", &r.query)?;
        m.serialize_entry("headers", &r.headers)?;
        m.serialize_entry("body", &r.body.as_ref().map(BodyJson))?;
        m.serialize_entry("source", &Line(&r.source, sources))?;
        m.end()
    }
}

struct ExampleResponseJson<'a>(&'a ExampleResponse, &'a SourceMap);

impl Serialize for ExampleResponseJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ExampleResponseJson(r, sources) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("status", &r.status)?;
        m.serialize_entry("headers", &r.headers)?;
        m.serialize_entry("body", &r.body.as_ref().map(BodyJson))?;
        m.serialize_entry("odata_type", &r.odata_type)?;
        m.serialize_entry("truncated", &r.truncated)?;
        m.serialize_entry("source", &Line(&r.source, sources))?;
        m.end()
    }
}

struct BodyJson<'a>(&'a ExampleBody);

impl Serialize for BodyJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b = self.0;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("json", &b.json.as_ref().map(|p| NodeJson(&p.node)))?;
        m.serialize_entry("strict", &b.strict)?;
        m.serialize_entry("defect", &b.defect)?;
        m.serialize_entry("raw", &b.json.is_none().then_some(b.raw.as_ref()))?;
        m.end()
    }
}

/// A body's JSON as [`Node::to_value`] gives it, written without building the
/// `Value`: numbers that are not JSON numbers are strings, and an object that
/// repeats a key goes through `to_value` (one member per key, as a
/// `serde_json::Map` keeps it).
struct NodeJson<'a>(&'a Node);

impl Serialize for NodeJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0.kind {
            Kind::Null => serializer.serialize_unit(),
            Kind::Bool(b) => serializer.serialize_bool(*b),
            Kind::Number(raw) => match serde_json::from_str::<serde_json::Number>(raw) {
                Ok(n) => n.serialize(serializer),
                Err(_) => serializer.serialize_str(raw),
            },
            Kind::String(s) => serializer.serialize_str(s),
            Kind::Array(items) => serializer.collect_seq(items.iter().map(NodeJson)),
            Kind::Object(members) => {
                if repeats_a_key(members) {
                    return self.0.to_value().serialize(serializer);
                }
                let mut m = serializer.serialize_map(Some(members.len()))?;
                for member in members {
                    m.serialize_entry(&member.key, &NodeJson(&member.value))?;
                }
                m.end()
            }
        }
    }
}

fn repeats_a_key(members: &[crate::extract::json::Member]) -> bool {
    if members.len() <= 16 {
        members
            .iter()
            .enumerate()
            .any(|(i, m)| members[..i].iter().any(|n| n.key == m.key))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(members.len());
        !members.iter().all(|m| seen.insert(m.key.as_str()))
    }
}
