//! The hard cases of the corpus census (`corpus-census.md`, section 8), each
//! reproduced by a small page of our own in `tests/fixtures/hard/`.
//!
//! Every test states what a careful reader of its page expects docgen to
//! read, and which defects docgen should report. Fixtures numbered 01–30
//! follow the census list; 31–34 are its "Also worth knowing" items; 35–36
//! cover the path features of census section 3 (`{a | b}` alternatives,
//! casts, `$count`, `$value`).

use std::ops::RangeInclusive;
use std::path::PathBuf;

use docgen::Docs;
use docgen::Severity;
use docgen::extract::urlpath::Segment;
use docgen::ir::{
    ExampleBody, ExamplePair, Operation, Parameter, Property, RequestBody, Response, TypeDef,
    TypeKind, TypeRef,
};
use serde_json::json;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A fixture (page or folder) under `tests/fixtures/hard/`.
fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hard")
        .join(name)
}

/// Reads a fixture; reading never fails for a path that exists.
fn read(name: &str) -> Docs {
    let path = fixture(name);
    assert!(path.exists(), "missing fixture {}", path.display());
    docgen::read_docs(&[path]).expect("fixture is readable")
}

/// Every diagnostic as `location code: message`, for failure messages.
fn listing(docs: &Docs) -> String {
    docs.diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {}: {}",
                docs.sources.location(&d.span),
                d.code.as_str(),
                d.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 1-based line a diagnostic points at.
fn line_of(docs: &Docs, d: &docgen::Diagnostic) -> usize {
    let location = docs.sources.location(&d.span);
    let mut parts = location.rsplitn(3, ':');
    let _col = parts.next();
    parts
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no line in location `{location}`"))
}

/// The diagnostics with this code.
fn diags<'a>(docs: &'a Docs, code: &str) -> Vec<&'a docgen::Diagnostic> {
    docs.diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect()
}

/// Asserts that a diagnostic with `code` points at a line in `lines` and
/// returns it.
fn expect_diag<'a>(
    docs: &'a Docs,
    code: &str,
    lines: RangeInclusive<usize>,
) -> &'a docgen::Diagnostic {
    diags(docs, code)
        .into_iter()
        .find(|d| lines.contains(&line_of(docs, d)))
        .unwrap_or_else(|| {
            panic!(
                "expected `{code}` on lines {lines:?}; got:\n{}",
                listing(docs)
            )
        })
}

/// Asserts that no diagnostic has `code`.
fn expect_no_diag(docs: &Docs, code: &str) {
    assert!(
        diags(docs, code).is_empty(),
        "unexpected `{code}`:\n{}",
        listing(docs)
    );
}

/// The only operation of the fixture.
fn only_op(docs: &Docs) -> &Operation {
    match docs.ir.operations.as_slice() {
        [op] => op,
        ops => panic!(
            "expected one operation, got {:?}\n{}",
            ops.iter().map(|o| &o.name).collect::<Vec<_>>(),
            listing(docs)
        ),
    }
}

/// The operation with a path ending in `suffix`.
fn op_with_path<'a>(docs: &'a Docs, suffix: &str) -> &'a Operation {
    docs.ir
        .operations
        .iter()
        .find(|o| o.paths.iter().any(|p| p.path.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no operation with a path ending in `{suffix}`"))
}

/// The documented paths of an operation.
fn paths(op: &Operation) -> Vec<&str> {
    op.paths.iter().map(|p| p.path.as_str()).collect()
}

/// The segments of the operation's path that is exactly `path`.
fn segments<'a>(op: &'a Operation, path: &str) -> &'a [Segment] {
    &op.paths
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no path `{path}` in {:?}", paths(op)))
        .segments
}

/// The type with this reference name.
fn ty<'a>(docs: &'a Docs, name: &str) -> &'a TypeDef {
    docs.ir.type_named(name).unwrap_or_else(|| {
        panic!(
            "no type `{name}`; types: {:?}\n{}",
            docs.ir.types.iter().map(|t| &t.name).collect::<Vec<_>>(),
            listing(docs)
        )
    })
}

/// A property of a type.
fn prop<'a>(t: &'a TypeDef, name: &str) -> &'a Property {
    t.properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("`{}` has no property `{name}`", t.name))
}

/// The property names of a type, in order.
fn prop_names(t: &TypeDef) -> Vec<&str> {
    t.properties.iter().map(|p| p.name.as_str()).collect()
}

/// A type reference.
fn tref(name: &str, collection: bool) -> TypeRef {
    TypeRef {
        name: name.to_owned(),
        collection,
    }
}

/// The action parameters of an operation's request body.
fn body_parameters(op: &Operation) -> &[Parameter] {
    match &op.request_body {
        Some(RequestBody::Parameters(params)) => params,
        other => panic!("expected body parameters, got {other:?}"),
    }
}

/// The documented example whose request has this annotation name.
fn example_named<'a>(op: &'a Operation, name: &str) -> &'a ExamplePair {
    op.examples
        .iter()
        .find(|e| {
            e.request
                .as_ref()
                .is_some_and(|r| r.name.as_deref() == Some(name))
        })
        .unwrap_or_else(|| panic!("no example request named `{name}` in `{}`", op.name))
}

/// The only example of an operation.
fn only_example(op: &Operation) -> &ExamplePair {
    match op.examples.as_slice() {
        [e] => e,
        es => panic!("expected one example in `{}`, got {}", op.name, es.len()),
    }
}

/// Asserts that an example has a request and a response with `status`.
fn expect_pair(example: &ExamplePair, method: &str, path: &str, status: u16) {
    let request = example
        .request
        .as_ref()
        .unwrap_or_else(|| panic!("expected a request {method} {path}; got {example:#?}"));
    assert_eq!(request.method, method);
    assert_eq!(request.path, path);
    let response = example
        .response
        .as_ref()
        .unwrap_or_else(|| panic!("expected a response to {method} {path}; got {example:#?}"));
    assert_eq!(response.status, Some(status), "{method} {path}");
}

/// The JSON of an example body (request or response).
fn body_json(body: Option<&ExampleBody>) -> serde_json::Value {
    let body = body.expect("example has a body");
    body.value()
        .unwrap_or_else(|| panic!("body was not read as JSON:\n{}", body.raw))
}

/// The request body JSON of an example.
fn request_json(example: &ExamplePair) -> serde_json::Value {
    body_json(example.request.as_ref().expect("request").body.as_ref())
}

/// The response body JSON of an example.
fn response_json(example: &ExamplePair) -> serde_json::Value {
    body_json(example.response.as_ref().expect("response").body.as_ref())
}

/// Whether any operation path, type name or property name contains `text`.
fn ir_mentions(docs: &Docs, text: &str) -> bool {
    docs.ir
        .operations
        .iter()
        .flat_map(|o| o.paths.iter().map(|p| p.path.as_str()))
        .chain(docs.ir.types.iter().map(|t| t.name.as_str()))
        .chain(
            docs.ir
                .types
                .iter()
                .flat_map(|t| t.properties.iter().map(|p| p.name.as_str())),
        )
        .any(|s| s.contains(text))
}

// ---------------------------------------------------------------------------
// Front matter and page kinds
// ---------------------------------------------------------------------------

/// 1: an unquoted colon in `title:` is a YAML error on that line; the rest of the page is still read.
#[test]
fn hard_01_title_with_unquoted_colon() {
    let docs = read("01-title-colon.md");
    let d = expect_diag(&docs, "front-matter-invalid", 2..=2);
    assert_eq!(d.severity, Severity::Error);
    let op = only_op(&docs);
    assert_eq!(op.method, "POST");
    assert_eq!(
        paths(op),
        ["/workshops/{workshop-id}/widgets/{widget-id}/reset"]
    );
    assert_eq!(
        op.response,
        Some(Response {
            status: 204,
            ty: None
        })
    );
    expect_pair(
        only_example(op),
        "POST",
        "/workshops/42/widgets/7/reset",
        204,
    );
}

/// 2: `doc_type: resourcePageType_` is a doc-type-unknown warning; the type is still read.
#[test]
fn hard_02_doc_type_typo() {
    let docs = read("02-doc-type-typo.md");
    let d = expect_diag(&docs, "doc-type-unknown", 7..=7);
    assert_eq!(d.severity, Severity::Warning);
    let sprocket = ty(&docs, "sprocket");
    assert_eq!(sprocket.kind, TypeKind::Entity);
    assert_eq!(
        prop_names(sprocket),
        ["id", "teeth", "lubricated", "lastServicedDateTime"]
    );
    assert_eq!(prop(sprocket, "teeth").ty, tref("Int32", false));
    assert_eq!(
        prop(sprocket, "lastServicedDateTime").ty,
        tref("DateTimeOffset", false)
    );
}

/// 3: a resource page inside an `api/` folder is read as a resource, by its doc_type, not its folder.
#[test]
fn hard_03_resource_page_in_api_folder() {
    let docs = read("03-resource-in-api");
    let base = ty(&docs, "gizmoBase");
    assert!(base.is_abstract, "the annotation says abstract");
    assert_eq!(prop_names(base), ["id", "label", "voltage"]);
    assert_eq!(prop(base, "voltage").ty, tref("Double", false));
    assert!(docs.ir.operations.is_empty());
    expect_no_diag(&docs, "http-request-missing");
    expect_no_diag(&docs, "doc-type-mismatch");
    expect_no_diag(&docs, "page-empty");
}

/// 4: a page annotation with a key missing its opening quote is reported (once, though a `.md.txt` twin repeats the page), and the type is read once.
#[test]
fn hard_04_broken_page_annotation_and_md_txt_twin() {
    let docs = read("04-md-txt-twin");
    let lingo = ty(&docs, "lingoOverride");
    assert_eq!(prop_names(lingo), ["languageTag", "priority"]);
    assert_eq!(prop(lingo, "priority").ty, tref("Int32", false));
    assert_eq!(
        docs.ir
            .types
            .iter()
            .filter(|t| t.name == "lingoOverride")
            .count(),
        1
    );
    expect_no_diag(&docs, "property-conflict");
    let reported: Vec<_> = docs
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code.as_str(), "annotation-invalid" | "annotation-lenient"))
        .collect();
    assert!(
        reported.iter().all(|d| line_of(&docs, d) == 39),
        "the defect is on line 39:\n{}",
        listing(&docs)
    );
    assert_eq!(
        reported.len(),
        1,
        "the `.md.txt` twin is a stray copy of the page, not a second page:\n{}",
        listing(&docs)
    );
}

// ---------------------------------------------------------------------------
// Annotations
// ---------------------------------------------------------------------------

/// 5: an annotation with the unquoted key `isCollection: true` is read leniently and isCollection is honoured.
#[test]
fn hard_05_annotation_unquoted_key() {
    let docs = read("05-annotation-unquoted-key.md");
    expect_diag(&docs, "annotation-lenient", 57..=57);
    expect_no_diag(&docs, "annotation-invalid");
    let op = only_op(&docs);
    assert_eq!(
        op.response,
        Some(Response {
            status: 200,
            ty: Some(tref("widgetHint", true)),
        })
    );
    let example = example_named(op, "widget_get_hints");
    expect_pair(example, "POST", "/me/getWidgetHints", 200);
    assert_eq!(response_json(example)["value"][1]["model"], "WX-200");
}

/// 6: `{ "blockType": "response", }` (trailing comma) is read leniently and still pairs the 204 response.
#[test]
fn hard_06_annotation_trailing_comma() {
    let docs = read("06-annotation-trailing-comma.md");
    expect_diag(&docs, "annotation-lenient", 45..=48);
    expect_no_diag(&docs, "annotation-invalid");
    let op = only_op(&docs);
    assert_eq!(op.method, "DELETE");
    assert_eq!(paths(op), ["/gadgets/{gadget-id}/dials/{dial-id}"]);
    expect_pair(
        example_named(op, "delete_dial_from_gadget"),
        "DELETE",
        "/gadgets/g-19/dials/d-4",
        204,
    );
}

/// 7: a page annotation with a raw newline inside a string is read leniently; the page is unaffected.
#[test]
fn hard_07_page_annotation_with_newline_in_string() {
    let docs = read("07-page-annotation-newline.md");
    expect_diag(&docs, "annotation-lenient", 65..=75);
    expect_no_diag(&docs, "annotation-invalid");
    let op = only_op(&docs);
    assert_eq!(op.method, "PATCH");
    assert_eq!(
        op.request_body,
        Some(RequestBody::Type(tref("gadgetFinish", false)))
    );
    let example = example_named(op, "update_gadgetfinish");
    expect_pair(example, "PATCH", "/gadgets/g-19/finish", 200);
    assert_eq!(request_json(example), json!({ "gloss": "Satin" }));
}

/// 8: a response annotation with `"name": [five names,]` answers all five requests, despite the trailing comma.
#[test]
fn hard_08_response_named_for_five_requests() {
    let docs = read("08-annotation-name-array.md");
    expect_diag(&docs, "annotation-lenient", 66..=71);
    expect_no_diag(&docs, "annotation-invalid");
    let op = only_op(&docs);
    assert_eq!(op.paths.len(), 5);
    let requests = [
        ("get-rack-me", "/me/rack"),
        ("get-rack-user", "/users/u-81/rack"),
        ("get-rack-group", "/groups/g-22/rack"),
        ("get-rack-site", "/sites/s-5/rack"),
        ("get-rack-by-id", "/racks/r-3"),
    ];
    for (name, path) in requests {
        let example = example_named(op, name);
        expect_pair(example, "GET", path, 200);
        assert_eq!(response_json(example)["shelves"], 6, "{name}");
    }
}

/// 9: a heading between an annotation and its fence does not separate them.
#[test]
fn hard_09_heading_between_annotation_and_fence() {
    let docs = read("09-heading-after-annotation.md");
    let op = only_op(&docs);
    let example = example_named(op, "get_gizmopool");
    expect_pair(example, "GET", "/gizmoPools/p-12", 200);
    let response = example.response.as_ref().expect("response");
    assert_eq!(
        response.odata_type.as_deref(),
        Some("microsoft.graph.gizmoPool")
    );
    assert_eq!(response_json(example)["capacity"], 40);
}

// ---------------------------------------------------------------------------
// Block structure
// ---------------------------------------------------------------------------

/// 10: a `<!-- … -->` comment hides headings, fences and a defanged annotation; list-item-indented blocks are read.
#[test]
fn hard_10_commented_out_blocks_and_indented_blocks() {
    let docs = read("10-comment-hides-blocks.md");
    assert!(
        !ir_mentions(&docs, "retired"),
        "the commented-out section must not be read"
    );
    let op = only_op(&docs);
    assert_eq!(paths(op), ["/workshops/{workshop-id}/widgets/delta"]);
    assert!(
        op.examples.iter().all(|e| e
            .request
            .as_ref()
            .is_none_or(|r| r.name.as_deref() != Some("retired_widgets_delta"))),
        "the defanged annotation inside the comment must not be read"
    );
    let example = example_named(op, "widget_delta_first");
    expect_pair(example, "GET", "/workshops/w-1/widgets/delta", 200);
    assert_eq!(response_json(example)["value"][0]["id"], "wd-1");
    expect_no_diag(&docs, "http-line-invalid");
    expect_no_diag(&docs, "example-path-mismatch");
}

/// 11: a fence without its closing line must not swallow the sections after it (an ```http line cannot close it).
#[test]
fn hard_11_missing_closing_fence() {
    let docs = read("11-unclosed-fence.md");
    let op = only_op(&docs);
    assert_eq!(
        paths(op),
        ["/kits/{kit-id}/incompatibleKits"],
        "the example's request line is not a documented path"
    );
    assert_eq!(
        op.response,
        Some(Response {
            status: 200,
            ty: Some(tref("kit", true)),
        })
    );
    let example = example_named(op, "list_incompatible_kits");
    expect_pair(example, "GET", "/kits/k-1/incompatibleKits", 200);
    assert_eq!(response_json(example)["value"][0]["id"], "k-2");
}

/// 12: H1 tab headings, a `msgraph-interactive` request and a `---` tab terminator.
#[test]
fn hard_12_tab_headings_and_interactive_fence() {
    let docs = read("12-tab-headings.md");
    let op = only_op(&docs);
    assert_eq!(op.title.as_deref(), Some("Get widget"));
    assert_eq!(paths(op), ["/widgets/{widget-id}"]);
    let example = only_example(op);
    assert_eq!(
        example.request.as_ref().and_then(|r| r.name.as_deref()),
        Some("get_widget")
    );
    expect_pair(example, "GET", "/widgets/wd-7", 200);
    assert_eq!(response_json(example)["name"], "Blue widget");
    expect_no_diag(&docs, "http-line-invalid");
}

/// 13: an Intune-style page: `## Prerequisites`, `## HTTP Request`, examples without annotations.
#[test]
fn hard_13_unannotated_examples() {
    let docs = read("13-unannotated-examples.md");
    let op = only_op(&docs);
    assert_eq!(op.method, "POST");
    assert_eq!(
        paths(op),
        ["/widgetManagement/widgetPolicies/{widgetPolicyId}/userStatuses"]
    );
    let kinds: Vec<&str> = op.permissions.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Delegated (work or school account)",
            "Delegated (personal Microsoft account)",
            "Application"
        ]
    );
    assert_eq!(
        op.request_body,
        Some(RequestBody::Type(tref("widgetUserStatus", false)))
    );
    assert_eq!(
        op.response,
        Some(Response {
            status: 201,
            ty: Some(tref("widgetUserStatus", false)),
        })
    );
    let example = only_example(op);
    expect_pair(
        example,
        "POST",
        "/widgetManagement/widgetPolicies/{widgetPolicyId}/userStatuses",
        201,
    );
    assert_eq!(request_json(example)["widgetsCount"], 3);
    assert_eq!(
        response_json(example)["id"],
        "5a1c9e60-9e60-5a1c-609e-1c5a609e1c5a"
    );
}

// ---------------------------------------------------------------------------
// Request lines and paths
// ---------------------------------------------------------------------------

/// 14: `GET ** Entity URI for … not found` is diagnosed and skipped, never turned into a path.
#[test]
fn hard_14_entity_uri_not_found() {
    let docs = read("14-entity-uri-not-found.md");
    expect_diag(&docs, "http-line-invalid", 22..=22);
    assert!(!ir_mentions(&docs, "Entity URI"));
    assert!(!ir_mentions(&docs, "**"));
    assert!(docs.ir.operations.is_empty());
}

/// 15: `DELETE/catalogs/…/$ref` (no space after the method) is a DELETE on a `$ref` path.
#[test]
fn hard_15_method_without_space() {
    let docs = read("15-method-no-space.md");
    expect_no_diag(&docs, "http-line-invalid");
    let op = only_op(&docs);
    assert_eq!(op.method, "DELETE");
    let path = "/catalogs/widgetCatalogs/{catalog-id}/suppliers/{supplier-id}/$ref";
    assert_eq!(paths(op), [path]);
    assert_eq!(segments(op, path).last(), Some(&Segment::Ref));
    assert_eq!(op.path_params, ["catalog-id", "supplier-id"]);
    expect_pair(
        only_example(op),
        "DELETE",
        "/catalogs/widgetCatalogs/c-1/suppliers/s-9/$ref",
        204,
    );
}

/// 16: a stray `+` before `GET https://…` in an example: the request is still a GET, paired with its response.
#[test]
fn hard_16_plus_before_method() {
    let docs = read("16-plus-get.md");
    let op = only_op(&docs);
    assert_eq!(op.method, "GET");
    let example = only_example(op);
    expect_pair(example, "GET", "/me/acquaintances", 200);
    assert_eq!(
        example.request.as_ref().and_then(|r| r.name.as_deref()),
        Some("list_acquaintances")
    );
}

/// 17: `POST /{version}/…` loses its version placeholder; `HTTP code: 201 Created` is a 201 response.
#[test]
fn hard_17_version_placeholder_and_http_code_line() {
    let docs = read("17-http-code-and-version.md");
    let op = only_op(&docs);
    assert_eq!(op.method, "POST");
    assert_eq!(paths(op), ["/me/drive/root:/widgetbook/sheets"]);
    assert!(op.path_params.is_empty(), "{:?}", op.path_params);
    assert_eq!(
        op.response,
        Some(Response {
            status: 201,
            ty: Some(tref("widgetSheet", false)),
        })
    );
    let example = example_named(op, "add_widget_sheet");
    expect_pair(example, "POST", "/me/drive/root:/widgetbook/sheets", 201);
    assert_eq!(response_json(example)["name"], "Inventory");
}

/// 18: a `~/` path is rooted at `/`.
#[test]
fn hard_18_tilde_path() {
    let docs = read("18-tilde-path.md");
    let op = only_op(&docs);
    assert_eq!(
        paths(op),
        ["/gizmoPublishingProfiles/{publishingType}/agentGroups"]
    );
    assert_eq!(op.path_params, ["publishingType"]);
}

/// 19: a path without a leading slash gets one.
#[test]
fn hard_19_path_without_leading_slash() {
    let docs = read("19-no-leading-slash.md");
    let op = only_op(&docs);
    let path = "/policies/widgetTimeoutPolicies";
    assert_eq!(paths(op), [path]);
    assert_eq!(
        segments(op, path).first(),
        Some(&Segment::Literal {
            name: "policies".to_owned()
        })
    );
}

/// 20: `root:/{item-path}:/…/sheets/{id|name}/range(address='<address>')/bottomCell`.
#[test]
fn hard_20_drive_path_alternatives_and_function() {
    let docs = read("20-drive-path-function.md");
    let op = only_op(&docs);
    let tail = "/range(address='<address>')/bottomCell";
    assert_eq!(
        paths(op),
        [
            format!("/me/drive/items/{{item-id}}/widgetbook/sheets/{{id}}{tail}"),
            format!("/me/drive/items/{{item-id}}/widgetbook/sheets/{{name}}{tail}"),
            format!("/me/drive/root:/{{item-path}}:/widgetbook/sheets/{{id}}{tail}"),
            format!("/me/drive/root:/{{item-path}}:/widgetbook/sheets/{{name}}{tail}"),
        ]
    );
    let segs = segments(
        op,
        &format!("/me/drive/root:/{{item-path}}:/widgetbook/sheets/{{name}}{tail}"),
    );
    assert_eq!(
        segs,
        [
            Segment::Literal { name: "me".into() },
            Segment::Literal {
                name: "drive".into()
            },
            Segment::DrivePath {
                root: "root".into(),
                path: "{item-path}".into()
            },
            Segment::Literal {
                name: "widgetbook".into()
            },
            Segment::Literal {
                name: "sheets".into()
            },
            Segment::Param {
                name: "name".into()
            },
            Segment::Function {
                name: "range".into(),
                args: vec![("address".into(), "'<address>'".into())],
            },
            Segment::Literal {
                name: "bottomCell".into()
            },
        ]
    );
    for param in ["item-id", "item-path", "id", "name"] {
        assert!(op.path_params.iter().any(|p| p == param), "{param}");
    }
}

/// 21: `stretchedRange(deltaRows={n}, deltaColumns={n})`: one function, two independent arguments.
#[test]
fn hard_21_function_with_two_arguments() {
    let docs = read("21-function-two-args.md");
    let op = only_op(&docs);
    assert_eq!(op.paths.len(), 2);
    let function = Segment::Function {
        name: "stretchedRange".into(),
        args: vec![
            ("deltaRows".into(), "{n}".into()),
            ("deltaColumns".into(), "{n}".into()),
        ],
    };
    for path in &op.paths {
        assert_eq!(path.segments.last(), Some(&function), "{}", path.path);
    }
    // Both arguments share the placeholder `{n}`, but the Function parameters
    // table documents two values: a caller must be able to pass both.
    assert!(
        op.path_params.iter().any(|p| p == "deltaRows")
            && op.path_params.iter().any(|p| p == "deltaColumns"),
        "deltaRows and deltaColumns must be separate parameters: {:?}",
        op.path_params
    );
}

/// 22: a nested, unencoded `$expand=x($filter=id eq '{id}')` is one `$expand` option; the path stops at `?`.
#[test]
fn hard_22_nested_unencoded_expand() {
    let docs = read("22-nested-expand.md");
    let op = only_op(&docs);
    assert_eq!(
        paths(op),
        [
            "/me/widgets/{id}",
            "/users/{id}/widgets/{id}",
            "/users/{userPrincipalName}/widgets/{id}"
        ]
    );
    assert_eq!(op.query_options, ["$expand"]);
    let example = example_named(op, "get_widget_with_tags");
    expect_pair(example, "GET", "/me/widgets/wd-7", 200);
    let query = example.request.as_ref().and_then(|r| r.query.as_deref());
    assert!(
        query.is_some_and(|q| q.starts_with("$expand=tagProperties($filter=")),
        "{query:?}"
    );
    expect_no_diag(&docs, "example-path-mismatch");
}

// ---------------------------------------------------------------------------
// Example bodies
// ---------------------------------------------------------------------------

/// 23: a second `PATCH` line after the JSON body in one fence does not spoil the body.
#[test]
fn hard_23_second_request_line_after_body() {
    let docs = read("23-second-request-line.md");
    let op = only_op(&docs);
    let example = op
        .examples
        .first()
        .expect("the page has an example request");
    assert_eq!(
        request_json(example),
        json!({
            "displayName": "Display Name value",
            "description": "Description value"
        })
    );
    expect_no_diag(&docs, "example-json-invalid");
}

/// 24: a body that is a JSON array of single-quoted strings holding HTML is read leniently.
#[test]
fn hard_24_single_quoted_json_array() {
    let docs = read("24-single-quoted-array.md");
    expect_diag(&docs, "example-json-lenient", 41..=55);
    expect_no_diag(&docs, "example-json-invalid");
    let op = only_op(&docs);
    let example = example_named(op, "update_notesheet");
    let body = example
        .request
        .as_ref()
        .and_then(|r| r.body.as_ref())
        .expect("body");
    assert!(!body.strict);
    let json = request_json(example);
    let commands = json.as_array().expect("an array");
    assert_eq!(commands.len(), 2);
    assert_eq!(
        commands[0]["content"],
        r#"<img src="sketch-url" alt="a sketch of a widget" />"#
    );
    assert_eq!(commands[1]["action"], "append");
}

/// 25: NBSP indentation inside a JSON body is read leniently.
#[test]
fn hard_25_nbsp_indentation() {
    let docs = read("25-nbsp-indentation.md");
    expect_diag(&docs, "example-json-lenient", 42..=55);
    expect_no_diag(&docs, "example-json-invalid");
    let op = only_op(&docs);
    let example = example_named(op, "update_workshopsettings");
    assert_eq!(
        request_json(example)["openingHours"]["daysOfWeek"],
        json!(["Monday", "Wednesday", "Friday"])
    );
    assert_eq!(
        request_json(example)["openingHours"]["endTime"],
        "17:30:00.0000000"
    );
}

/// 26: a JSON string wrapped over two lines is read leniently, not lost.
#[test]
fn hard_26_json_string_wrapped_over_two_lines() {
    let docs = read("26-wrapped-json-string.md");
    expect_diag(&docs, "example-json-lenient", 52..=62);
    expect_no_diag(&docs, "example-json-invalid");
    let op = only_op(&docs);
    let example = example_named(op, "get_widgetextension");
    let body = response_json(example);
    assert_eq!(body["extensionName"], "Com.Fabrikam.Paint");
    assert_eq!(body["paintColor"], "Teal");
    let id = body["@odata.id"].as_str().expect("@odata.id is a string");
    assert!(
        id.starts_with("https://graph.microsoft.com/v1.0/widgets('wd-7')/extensions")
            && id.ends_with("('Microsoft.Widgets.WidgetExtension.Com.Fabrikam.Paint')"),
        "{id}"
    );
}

// ---------------------------------------------------------------------------
// Type cells and resource JSON
// ---------------------------------------------------------------------------

/// 27: the Type cell `[ownerSet][]` is a reference link to one ownerSet, not an array.
#[test]
fn hard_27_reference_link_type_cell() {
    let docs = read("27-reference-link-type");
    let item = ty(&docs, "gizmoItem");
    assert_eq!(prop(item, "createdBy").ty, tref("ownerSet", false));
    assert_eq!(prop(item, "shelfUrl").ty, tref("String", false));
    assert_eq!(
        prop(item, "createdDateTime").ty,
        tref("DateTimeOffset", false)
    );
    assert_eq!(ty(&docs, "ownerSet").kind, TypeKind::Complex);
    expect_no_diag(&docs, "type-unresolved");
    expect_no_diag(&docs, "type-cell-unparsed");
}

/// 28: `[a](…) or [b](…)` is a union: type-cell-unparsed and Json; `"incoming | outgoing"` in the JSON is harmless.
#[test]
fn hard_28_union_type_cell() {
    let docs = read("28-union-type-cell.md");
    expect_diag(&docs, "type-cell-unparsed", 22..=22);
    let ring = ty(&docs, "ring");
    assert_eq!(prop(ring, "chimeConfig").ty, tref("Json", false));
    assert_eq!(prop(ring, "direction").ty, tref("String", false));
    assert_eq!(
        prop_names(ring),
        ["id", "direction", "chimeConfig", "subject"]
    );
    assert!(
        docs.ir.types.iter().all(|t| t.kind != TypeKind::Enum),
        "no enum is made up from the JSON placeholder"
    );
    expect_no_diag(&docs, "example-value-type");
    expect_no_diag(&docs, "type-unresolved");
}

/// 29: a table row split by a raw newline: table-row-cells, and the fragment is not a property.
#[test]
fn hard_29_table_row_split_by_newline() {
    let docs = read("29-row-split-by-newline.md");
    expect_diag(&docs, "table-row-cells", 22..=22);
    let t = ty(&docs, "widgetDeliveryOptimization");
    assert_eq!(
        prop_names(t),
        [
            "id",
            "maximumCacheAgeInDays",
            "bandwidthMode",
            "minimumDiskSizeInGigabytes"
        ]
    );
    let age = prop(t, "maximumCacheAgeInDays");
    assert_eq!(age.ty, tref("Int32", false));
    expect_no_diag(&docs, "type-cell-unparsed");
    let description = age.description.as_deref().unwrap_or_default();
    assert!(
        description.contains("3650"),
        "the continuation line belongs to the description: {description:?}"
    );
}

/// 30: the `"@odate.type"` typo in a JSON representation is harmless.
#[test]
fn hard_30_odate_type_typo() {
    let docs = read("30-odate-type-typo.md");
    let flow = ty(&docs, "widgetFlow");
    assert_eq!(
        prop_names(flow),
        ["id", "flowVersion", "stationAssignments"]
    );
    assert_eq!(
        prop(flow, "stationAssignments").ty,
        tref("stationAssignment", true)
    );
    assert!(!ir_mentions(&docs, "@odate"));
}

// ---------------------------------------------------------------------------
// Also worth knowing
// ---------------------------------------------------------------------------

/// 31: an unescaped `|` in a description cell: table-row-cells; the row keeps its type and its whole description.
#[test]
fn hard_31_unescaped_pipe_in_cell() {
    let docs = read("31-unescaped-pipe-in-cell.md");
    expect_diag(&docs, "table-row-cells", 31..=31);
    let profile = ty(&docs, "widgetProfile");
    assert_eq!(
        prop_names(profile),
        ["displayName", "payloadFileName", "payload"]
    );
    assert_eq!(prop(profile, "payload").ty, tref("Binary", false));
    let file_name = prop(profile, "payloadFileName");
    assert_eq!(file_name.ty, tref("String", false));
    let description = file_name.description.as_deref().unwrap_or_default();
    assert!(
        description.contains("*.widgetconfig") && description.contains("*.xml"),
        "the extra cell belongs to the description: {description:?}"
    );
}

/// 32: the placeholder key `"String-value"` of an open type is not a property.
#[test]
fn hard_32_placeholder_key_in_open_type() {
    let docs = read("32-placeholder-key.md");
    assert_eq!(
        docs.ir.types.len(),
        1,
        "the `// Example` block adds no type"
    );
    let checklist = ty(&docs, "toolChecklist");
    assert!(checklist.open);
    assert!(
        checklist.properties.is_empty(),
        "client-chosen keys are not properties: {:?}",
        prop_names(checklist)
    );
    expect_no_diag(&docs, "annotation-invalid");
}

/// 33: an annotation `@type` of `requestBodyResourceFor.*` names no type; the body is the parameters table.
#[test]
fn hard_33_request_body_resource_for() {
    let docs = read("33-request-body-resource-for.md");
    let op = only_op(&docs);
    let params = body_parameters(op);
    assert_eq!(params.len(), 1);
    assert_eq!(params[0].name, "index");
    assert_eq!(params[0].ty, tref("Int32", false));
    assert_eq!(
        request_json(example_named(op, "gaugecollection_itemat")),
        json!({ "index": 3 })
    );
    assert!(!ir_mentions(&docs, "requestBodyResourceFor"));
    assert!(
        docs.diagnostics
            .iter()
            .all(|d| !d.message.contains("requestBodyResourceFor")),
        "{}",
        listing(&docs)
    );
}

/// 34: the Type cell `` `Edm.boolean ` `` is Boolean.
#[test]
fn hard_34_edm_boolean_in_backticks() {
    let docs = read("34-edm-boolean-backticks.md");
    expect_no_diag(&docs, "type-cell-unparsed");
    let params = body_parameters(only_op(&docs));
    let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["atWorkbench", "remark"]);
    assert_eq!(params[0].ty, tref("Boolean", false));
    assert_eq!(params[0].required, Some(true));
    assert_eq!(params[1].ty, tref("String", false));
}

// ---------------------------------------------------------------------------
// Path features of census section 3
// ---------------------------------------------------------------------------

/// 35: `{id | userPrincipalName}` expands into two paths.
#[test]
fn hard_35_path_alternatives() {
    let docs = read("35-path-alternatives.md");
    let op = only_op(&docs);
    assert_eq!(
        paths(op),
        [
            "/users/{id}/widgets/{widget-id}",
            "/users/{userPrincipalName}/widgets/{widget-id}"
        ]
    );
    assert_eq!(op.path_params, ["id", "widget-id", "userPrincipalName"]);
}

/// 36: a cast segment `/microsoft.graph.group`, `/$count` and `/$value` are their own segment kinds.
#[test]
fn hard_36_cast_count_and_value_segments() {
    let docs = read("36-special-segments");
    assert_eq!(docs.ir.operations.len(), 3);
    let cast = "/widgetClubs/{club-id}/members/microsoft.graph.group";
    let list = op_with_path(&docs, cast);
    assert_eq!(paths(list), ["/widgetClubs/{club-id}/members", cast]);
    assert_eq!(
        segments(list, cast).last(),
        Some(&Segment::Cast {
            name: "microsoft.graph.group".into()
        })
    );
    let count = "/widgetClubs/{club-id}/members/$count";
    assert_eq!(
        segments(op_with_path(&docs, count), count).last(),
        Some(&Segment::Count)
    );
    let value = "/widgetClubs/{club-id}/logo/$value";
    assert_eq!(
        segments(op_with_path(&docs, value), value).last(),
        Some(&Segment::Value)
    );
}

#[test]
fn hard_37_name_value_parameters_and_request_headers() {
    let docs = read("37-name-value-parameters.md");
    let op = only_op(&docs);
    // A `|Name|Value|Description|` table whose values are types is the
    // parameters table; one whose values are not (`etag`) is not read.
    let Some(RequestBody::Parameters(params)) = &op.request_body else {
        panic!(
            "parameters expected: {:?}\n{}",
            op.request_body,
            listing(&docs)
        );
    };
    let names: Vec<(&str, &str)> = params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.name.as_str()))
        .collect();
    assert_eq!(names, [("targetBox", "boxReference"), ("label", "String")]);
    // The headers: the table's (Authorization left out, prose rows too), the
    // `Prefer header values` table's, then the example's values.
    let headers: Vec<(&str, Vec<&str>)> = op
        .request_headers
        .iter()
        .map(|h| {
            (
                h.name.as_str(),
                h.values.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        headers,
        [
            ("ConsistencyLevel", vec![]),
            (
                "Prefer",
                vec![
                    "outlook.timezone",
                    "respond-async",
                    "outlook.timezone=\"Pacific Standard Time\", respond-async"
                ]
            ),
            ("If-Match", vec![]),
        ]
    );
    let consistency = &op.request_headers[0];
    assert_eq!(
        consistency.description.as_deref(),
        Some("eventual. Needed when the box is found by $search.")
    );
}
