//! Examples: paired with their operation and checked against the page.
//!
//! A request example must use a documented method and path; a response must
//! show the documented status; every value in a body must fit the type its
//! property is documented with. Each disagreement is a doc defect a writer can
//! fix, reported where the value is.

use std::collections::{HashMap, HashSet};

use crate::parallel::*;
use std::ops::Range;

use super::JSON_TYPE;
use super::types::key;
use super::{
    ExampleBody, ExamplePair, ExampleRequest, ExampleResponse, Operation, Parameter, RequestBody,
    TypeDef, TypeKind, TypeRef,
};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::extract::facts::{self, ExampleKind, PageFacts};
use crate::extract::json::{Kind, Node};
use crate::extract::urlpath;
use crate::source::Span;

/// Types by lookup key, for checking values.
pub(super) struct TypeIndex<'a> {
    by_name: HashMap<String, &'a TypeDef>,
    by_key: HashMap<String, &'a TypeDef>,
}

impl<'a> TypeIndex<'a> {
    pub(super) fn new(types: &'a [TypeDef]) -> Self {
        TypeIndex {
            by_name: types.iter().map(|t| (t.ref_name(), t)).collect(),
            by_key: types.iter().map(|t| (key(&t.ref_name()), t)).collect(),
        }
    }

    /// By reference name (as IR type references spell it), else case-insensitively.
    fn get(&self, name: &str) -> Option<&'a TypeDef> {
        self.by_name
            .get(name)
            .or_else(|| self.by_key.get(&key(name)))
            .copied()
    }

    /// A property of a type or of its bases.
    fn property(&self, ty: &TypeDef, name: &str) -> Option<&'a super::Property> {
        let mut current = self.get(&ty.ref_name());
        for _ in 0..32 {
            let def = current?;
            if let Some(p) = def.properties.iter().find(|p| p.name == name) {
                return Some(p);
            }
            current = def.base.as_deref().and_then(|b| self.get(b));
        }
        None
    }
}

/// Pairs a page's examples with its operations and checks them.
pub(super) fn attach(
    ops: &mut [(Operation, usize)],
    pages: &[PageFacts],
    types: &TypeIndex<'_>,
    diags: &mut Diagnostics,
) {
    // Operations come in page order; pages are independent, so check them in parallel.
    let found: Vec<Diagnostics> = ops
        .par_chunk_by_mut(|a, b| a.1 == b.1)
        .map(|chunk| {
            let mut diags = Diagnostics::new();
            let page = &pages[chunk[0].1];
            attach_page(chunk, page, types, &mut diags);
            diags
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
}

/// Pairs one page's examples with its operations (`ops`) and checks them.
fn attach_page(
    ops: &mut [(Operation, usize)],
    page: &PageFacts,
    types: &TypeIndex<'_>,
    diags: &mut Diagnostics,
) {
    let mut current: Option<usize> = None;
    let mut used: HashSet<Range<usize>> = HashSet::new();
    let mut exemplified: HashSet<usize> = HashSet::new();
    for example in &page.examples {
        match &example.kind {
            ExampleKind::Request { method, path, line } => {
                let op = (0..ops.len())
                    .find(|&i| ops[i].0.method == *method)
                    .unwrap_or_else(|| {
                        diags.push(Diagnostic::new(
                            Code::ExampleMethodMismatch,
                            Span::new(page.file, line.clone()),
                            format!("the example uses {method}, which the HTTP request section does not document"),
                        ));
                        0
                    });
                let operation = &mut ops[op].0;
                check_path(operation, page, path, line, &mut used, diags);
                exemplified.insert(op);
                match (&example.body, &operation.request_body) {
                    (Some(body), Some(RequestBody::Type(ty))) => {
                        check_body(body, ty, types, page, diags);
                    }
                    (Some(body), Some(RequestBody::Parameters(params))) => {
                        check_parameters(body, params, types, page, diags);
                    }
                    _ => {}
                }
                operation.examples.push(ExamplePair {
                    request: Some(ExampleRequest {
                        name: example
                            .annotation
                            .as_ref()
                            .and_then(|a| a.names.first().cloned()),
                        method: method.clone(),
                        path: path.path.clone(),
                        query: path.query.clone(),
                        headers: headers(&example.headers),
                        body: example.body.as_ref().map(|b| body_of(b, page.file)),
                        source: Span::new(page.file, line.clone()),
                    }),
                    response: None,
                });
                current = Some(op);
            }
            ExampleKind::Response { status, line } => {
                let op = current.unwrap_or(0);
                let operation = &mut ops[op].0;
                if let (Some(shown), Some(documented)) = (status, &operation.response)
                    && *shown != documented.status
                {
                    diags.push(Diagnostic::new(
                        Code::ExampleStatusMismatch,
                        Span::new(page.file, line.clone()),
                        format!(
                            "the example responds {shown}, but the Response section says {}",
                            documented.status
                        ),
                    ));
                }
                let ty = operation.response.as_ref().and_then(|r| r.ty.clone());
                if let (Some(body), Some(ty)) = (&example.body, &ty) {
                    check_body(body, ty, types, page, diags);
                }
                let documented = operation.response.as_ref().map_or(200, |r| r.status);
                let shown = status.unwrap_or(documented);
                if example.body.is_none()
                    && (200..300).contains(&shown)
                    && !matches!(shown, 202 | 204)
                    && let Some(ty) = ty.as_ref().filter(|t| t.name != "Stream")
                {
                    diags.push(Diagnostic::new(
                        Code::ExampleBodyMissing,
                        Span::new(page.file, line.clone()),
                        format!(
                            "the example response has no body, but the Response section says the method returns {}",
                            if ty.collection { format!("a collection of {}", ty.name) } else { format!("a {}", ty.name) }
                        ),
                    ));
                }
                let response = ExampleResponse {
                    status: *status,
                    headers: headers(&example.headers),
                    body: example.body.as_ref().map(|b| body_of(b, page.file)),
                    odata_type: example
                        .annotation
                        .as_ref()
                        .and_then(|a| a.odata_type.clone()),
                    truncated: example.annotation.as_ref().is_some_and(|a| a.truncated),
                    source: Span::new(page.file, line.clone()),
                };
                // `"name": [a, b, …]`: one response answers every request it names.
                let names: &[String] = example.annotation.as_ref().map_or(&[], |a| &a.names);
                if names.len() > 1 {
                    let mut answered = false;
                    for (operation, _) in ops.iter_mut() {
                        for pair in &mut operation.examples {
                            let named = pair
                                .request
                                .as_ref()
                                .and_then(|r| r.name.as_ref())
                                .is_some_and(|n| names.contains(n));
                            if named && pair.response.is_none() {
                                pair.response = Some(response.clone());
                                answered = true;
                            }
                        }
                    }
                    if answered {
                        current = None;
                        continue;
                    }
                }
                let operation = &mut ops[op].0;
                match operation.examples.last_mut() {
                    Some(pair) if pair.response.is_none() && current.is_some() => {
                        pair.response = Some(response);
                    }
                    _ => operation.examples.push(ExamplePair {
                        request: None,
                        response: Some(response),
                    }),
                }
                current = None;
            }
        }
    }
    report_unexampled(ops, &exemplified, &used, page, diags);
}

/// Request lines of an operation with examples that no example uses.
fn report_unexampled(
    ops: &[(Operation, usize)],
    exemplified: &HashSet<usize>,
    used: &HashSet<Range<usize>>,
    page: &PageFacts,
    diags: &mut Diagnostics,
) {
    let mut exemplified: Vec<usize> = exemplified.iter().copied().collect();
    exemplified.sort_unstable();
    for op in exemplified {
        let mut reported: HashSet<&Range<usize>> = HashSet::new();
        for path in &ops[op].0.paths {
            let line = &path.source.range;
            if used.contains(line) || !reported.insert(line) {
                continue;
            }
            diags.push(Diagnostic::new(
                Code::PathWithoutExample,
                Span::new(page.file, line.clone()),
                format!("no example uses the request line for `{}`", path.path),
            ));
        }
    }
}

fn headers(headers: &[crate::extract::http::Header]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect()
}

fn body_of(body: &facts::ExampleBody, file: crate::source::FileId) -> ExampleBody {
    ExampleBody {
        file,
        pieces: body.pieces().to_vec(),
        raw: body.raw.clone(),
        json: body.json.clone(),
        strict: body.json.as_ref().is_some_and(|p| p.defect.is_none()),
        defect: body
            .json
            .as_ref()
            .and_then(|p| p.defect.as_ref().map(|d| d.message.clone()))
            .or_else(|| body.json_error.clone()),
    }
}

/// Reports an example whose path is not documented; records the request lines it uses.
fn check_path(
    op: &Operation,
    page: &PageFacts,
    path: &urlpath::DocPath,
    line: &Range<usize>,
    used: &mut HashSet<Range<usize>>,
    diags: &mut Diagnostics,
) {
    let segments = urlpath::segments(&path.path);
    let mut matched = false;
    for p in op
        .paths
        .iter()
        .filter(|p| urlpath::matches(&p.segments, &segments))
    {
        used.insert(p.source.range.clone());
        matched = true;
    }
    if matched {
        return;
    }
    let documented: Vec<&str> = op.paths.iter().map(|p| p.path.as_str()).collect();
    diags.push(
        Diagnostic::new(
            Code::ExamplePathMismatch,
            Span::new(page.file, line.clone()),
            format!(
                "the example requests `{}`, which is not a documented path",
                path.path
            ),
        )
        .with_note(format!("documented: {}", documented.join(", "))),
    );
}

fn check_body(
    body: &facts::ExampleBody,
    ty: &TypeRef,
    types: &TypeIndex<'_>,
    page: &PageFacts,
    diags: &mut Diagnostics,
) {
    let Some(parsed) = &body.json else { return };
    let mut checker = Checker {
        types,
        page,
        body,
        diags,
    };
    let node = &parsed.node;
    // A collection response wraps its items in `value`.
    if ty.collection
        && let Some(items) = node.get("value")
    {
        checker.value(items, ty, "value", 0);
        return;
    }
    checker.value(node, ty, "", 0);
}

/// Checks an action's body: each member named like a parameter against its type.
fn check_parameters(
    body: &facts::ExampleBody,
    params: &[Parameter],
    types: &TypeIndex<'_>,
    page: &PageFacts,
    diags: &mut Diagnostics,
) {
    let Some(parsed) = &body.json else { return };
    let Kind::Object(members) = &parsed.node.kind else {
        return;
    };
    let mut checker = Checker {
        types,
        page,
        body,
        diags,
    };
    for member in members {
        if let Some(param) = params.iter().find(|p| p.name == member.key) {
            checker.value(&member.value, &param.ty, &member.key, 1);
        }
    }
}

struct Checker<'a, 'b> {
    types: &'a TypeIndex<'a>,
    page: &'a PageFacts,
    body: &'a facts::ExampleBody,
    diags: &'b mut Diagnostics,
}

/// Bodies nested deeper than this are not checked further (hostile input).
const MAX_DEPTH: usize = 64;

impl<'x> Checker<'x, '_> {
    fn report(&mut self, code: Code, node: &Node, message: String) {
        let span = Span::new(self.page.file, self.body.page_range(node.range.clone()));
        self.diags.push(Diagnostic::new(code, span, message));
    }

    fn value(&mut self, node: &Node, ty: &TypeRef, at: &str, depth: usize) {
        // Untyped JSON (`Json`) holds any value.
        if depth > MAX_DEPTH || matches!(node.kind, Kind::Null) || ty.name == JSON_TYPE {
            return;
        }
        if ty.collection {
            match &node.kind {
                Kind::Array(items) => {
                    let element = TypeRef {
                        name: ty.name.clone(),
                        collection: false,
                    };
                    for (i, item) in items.iter().enumerate() {
                        self.value(item, &element, &format!("{at}[{i}]"), depth + 1);
                    }
                }
                _ => self.mismatch(node, ty, at),
            }
            return;
        }
        if ty.is_primitive() {
            if !primitive_fits(&ty.name, node) {
                self.mismatch(node, ty, at);
            }
            return;
        }
        let Some(def) = self.types.get(&ty.name) else {
            return;
        };
        match def.kind {
            TypeKind::Enum => {
                let fits = node.as_str().is_some_and(|s| {
                    s.split(',')
                        .all(|v| def.members.iter().any(|m| m.name == v.trim()))
                });
                if !fits {
                    let members: Vec<&str> = def.members.iter().map(|m| m.name.as_str()).collect();
                    let shown = if members.len() > 8 {
                        format!("{}, …", members[..8].join(", "))
                    } else {
                        members.join(", ")
                    };
                    let message = format!(
                        "{} is documented as the enum `{}` ({shown}), but the example gives {}",
                        name_of(at),
                        def.name,
                        node.describe()
                    );
                    self.report(Code::ExampleValueType, node, message);
                }
            }
            TypeKind::Entity | TypeKind::Complex => {
                let Kind::Object(members) = &node.kind else {
                    self.mismatch(node, ty, at);
                    return;
                };
                let def = self.derived(node, def, depth == 0);
                for member in members {
                    if member.key.contains('@') {
                        continue;
                    }
                    let Some(property) = self.types.property(def, &member.key) else {
                        continue;
                    };
                    let child = if at.is_empty() {
                        member.key.clone()
                    } else {
                        format!("{at}.{}", member.key)
                    };
                    self.value(&member.value, &property.ty, &child, depth + 1);
                }
            }
        }
    }

    /// The type an object says it is (`@odata.type`), when the IR knows it.
    fn derived<'t>(&mut self, node: &Node, def: &'t TypeDef, top: bool) -> &'t TypeDef
    where
        'x: 't,
    {
        let Some(tag) = node.get("@odata.type") else {
            return def;
        };
        let Some(name) = tag.as_str() else { return def };
        let name = name.trim_start_matches('#');
        if let Some(found) = self.types.get(name) {
            return found;
        }
        if top {
            let message = format!(
                "the example's @odata.type `{name}` is not a known type; this page documents `{}.{}`",
                def.namespace, def.name
            );
            self.report(Code::ExampleOdataType, tag, message);
        }
        def
    }

    fn mismatch(&mut self, node: &Node, ty: &TypeRef, at: &str) {
        let shown = if ty.collection {
            format!("a collection of {}", ty.name)
        } else {
            ty.name.clone()
        };
        let message = format!(
            "{} is documented as {shown}, but the example gives {}",
            name_of(at),
            node.describe()
        );
        self.report(Code::ExampleValueType, node, message);
    }
}

fn name_of(at: &str) -> String {
    if at.is_empty() {
        "the body".to_owned()
    } else {
        format!("`{at}`")
    }
}

/// Whether a JSON value fits an Edm primitive as Graph serialises it.
fn primitive_fits(edm: &str, node: &Node) -> bool {
    match (&node.kind, edm) {
        (_, "Stream") => true,
        (Kind::String(_), "String") => true,
        (Kind::Bool(_), "Boolean") => true,
        (Kind::Number(n), "Int16" | "Int32" | "Int64" | "Byte" | "SByte") => {
            n.parse::<i64>().is_ok()
        }
        (Kind::Number(_), "Double" | "Single" | "Decimal") => true,
        // OData writes special floating values and, with IEEE754Compatible, big numbers as strings.
        (Kind::String(s), "Double" | "Single" | "Decimal") => {
            matches!(s.as_str(), "NaN" | "INF" | "-INF") || s.parse::<f64>().is_ok()
        }
        (Kind::String(s), "Int64") => s.parse::<i64>().is_ok(),
        (Kind::String(s), "DateTimeOffset") => chrono_like_timestamp(s),
        (Kind::String(s), "Date") => is_date(s),
        (Kind::String(s), "TimeOfDay") => is_time(s),
        (Kind::String(s), "Guid") => is_guid(s),
        (Kind::String(s), "Duration") => s.starts_with('P') || s.starts_with("-P"),
        (Kind::String(s), "Binary") => is_base64(s),
        _ => false,
    }
}

/// Whether `s` decodes as base64 the way the runtime decodes it: standard
/// or URL-safe alphabet, padding optional.
fn is_base64(s: &str) -> bool {
    use base64::Engine as _;
    use base64::alphabet;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const CONFIG: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let alphabet = if s.contains(['-', '_']) {
        &alphabet::URL_SAFE
    } else {
        &alphabet::STANDARD
    };
    GeneralPurpose::new(alphabet, CONFIG).decode(s).is_ok()
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 8
        && b[2] == b':'
        && b[5] == b':'
        && b[..8]
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
        && (b.len() == 8 || (b[8] == b'.' && b[9..].iter().all(u8::is_ascii_digit)))
}

/// RFC 3339 with an optional fraction of any length (Graph writes up to seven digits).
fn chrono_like_timestamp(s: &str) -> bool {
    if s.len() < 20 || !is_date(&s[..10]) || !matches!(s.as_bytes()[10], b'T' | b't') {
        return false;
    }
    let rest = &s[11..];
    if !is_time(&rest[..8.min(rest.len())]) {
        return false;
    }
    let mut tail = &rest[8..];
    if let Some(frac) = tail.strip_prefix('.') {
        let digits = frac.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        tail = &frac[digits..];
    }
    tail.eq_ignore_ascii_case("z")
        || (tail.len() == 6
            && matches!(tail.as_bytes()[0], b'+' | b'-')
            && tail.as_bytes()[3] == b':'
            && is_time(&format!("{}:00", &tail[1..])))
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(json: &str) -> Node {
        crate::extract::json::parse(json).expect("json").node
    }

    #[test]
    fn primitives_fit_as_graph_writes_them() {
        assert!(primitive_fits("Int32", &node("12")));
        assert!(!primitive_fits("Int32", &node("\"Integer\"")));
        assert!(!primitive_fits("Int32", &node("1.5")));
        assert!(primitive_fits(
            "DateTimeOffset",
            &node("\"2016-12-31T23:58:11.9926581+03:00\"")
        ));
        assert!(primitive_fits(
            "DateTimeOffset",
            &node("\"0001-01-01T00:00:00Z\"")
        ));
        assert!(!primitive_fits(
            "DateTimeOffset",
            &node("\"String (timestamp)\"")
        ));
        assert!(primitive_fits(
            "Guid",
            &node("\"ddba7df5-7df5-ddba-f57d-baddf57dbadd\"")
        ));
        assert!(!primitive_fits("Guid", &node("\"String\"")));
        assert!(primitive_fits("Date", &node("\"2021-07-01\"")));
        assert!(primitive_fits("TimeOfDay", &node("\"08:30:00.0000000\"")));
        assert!(primitive_fits("Duration", &node("\"PT1H\"")));
        assert!(primitive_fits("Double", &node("\"NaN\"")));
        assert!(!primitive_fits("String", &node("12")));
    }
}
