//! The five seed pages: every fact the pages state, exactly, and snapshots of
//! the IR and the emitted Rust for each seed and for all of them together.

mod common;

use docgen::ir::{Ir, RequestBody, TypeDef, TypeKind};
use docgen::{Code, Docs};

fn read(paths: &[std::path::PathBuf]) -> Docs {
    docgen::read_docs(paths).expect("seeds are readable")
}

fn ty<'a>(ir: &'a Ir, name: &str) -> &'a TypeDef {
    ir.types.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!(
            "no type {name}; types: {:?}",
            ir.types.iter().map(|t| &t.name).collect::<Vec<_>>()
        )
    })
}

/// (name, type, collection) of every property, in page order.
fn props(t: &TypeDef) -> Vec<(String, String, bool)> {
    t.properties
        .iter()
        .map(|p| (p.name.clone(), p.ty.name.clone(), p.ty.collection))
        .collect()
}

fn expect_props(t: &TypeDef, expected: &[(&str, &str)]) {
    let expected: Vec<(String, String, bool)> = expected
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned(), false))
        .collect();
    assert_eq!(props(t), expected, "properties of {}", t.name);
}

const COMPLIANCE: [&str; 8] = [
    "unknown",
    "notApplicable",
    "compliant",
    "remediated",
    "nonCompliant",
    "error",
    "conflict",
    "notAssigned",
];

fn members(ir: &Ir, enum_name: &str) -> Vec<String> {
    let t = ty(ir, enum_name);
    assert_eq!(t.kind, TypeKind::Enum, "{enum_name} is an enum");
    t.members.iter().map(|m| m.name.clone()).collect()
}

/// The one operation of a single-operation IR: (method, paths, body type, status, response type).
fn only_operation(ir: &Ir) -> (String, Vec<String>, Option<String>, u16, Option<String>) {
    assert_eq!(ir.operations.len(), 1, "{:?}", ir.operations);
    let op = &ir.operations[0];
    let body = match &op.request_body {
        Some(RequestBody::Type(t)) => Some(t.name.clone()),
        other => panic!("request body should be a type, is {other:?}"),
    };
    let response = op.response.as_ref().expect("documented response");
    (
        op.method.clone(),
        op.paths.iter().map(|p| p.path.clone()).collect(),
        body,
        response.status,
        response.ty.as_ref().map(|t| t.name.clone()),
    )
}

fn value_type_warnings(docs: &Docs) -> usize {
    docs.diagnostics
        .iter()
        .filter(|d| d.code == Code::ExampleValueType)
        .count()
}

const MDMACUS: &str = "managedDeviceMobileAppConfigurationUserStatus";

#[test]
fn seed_000_create_managed_device_mobile_app_configuration_user_status() {
    if common::skip_without(
        common::Needs::Seeds,
        "seed_000_create_managed_device_mobile_app_configuration_user_status",
    ) {
        return;
    }
    let docs = read(&[common::seed("000")]);
    let t = ty(&docs.ir, MDMACUS);
    let status = t
        .properties
        .iter()
        .find(|p| p.name == "status")
        .expect("status")
        .ty
        .name
        .clone();
    expect_props(
        t,
        &[
            ("id", "String"),
            ("userDisplayName", "String"),
            ("devicesCount", "Int32"),
            ("status", &status),
            ("lastReportedDateTime", "DateTimeOffset"),
            ("userPrincipalName", "String"),
        ],
    );
    // `Enumeration`: an enum named by docgen, the eight values in page order.
    assert_eq!(members(&docs.ir, &status), COMPLIANCE);
    assert!(ty(&docs.ir, &status).inferred.contains(&"name"));
    assert_eq!(t.kind, TypeKind::Entity);
    assert_eq!(t.base.as_deref(), Some("entity"));
    assert_eq!(
        only_operation(&docs.ir),
        (
            "POST".into(),
            vec!["/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses".into()],
            Some(MDMACUS.into()),
            201,
            Some(MDMACUS.into())
        )
    );
    assert_eq!(
        docs.ir.operations[0].path_params,
        ["managedDeviceMobileAppConfigurationId"]
    );
    assert!(
        value_type_warnings(&docs) > 0,
        "\"String\" is not a complianceStatus"
    );
}

#[test]
fn seed_004_plain_text_yields_the_same_type_and_operation_as_seed_000() {
    if common::skip_without(
        common::Needs::Seeds,
        "seed_004_plain_text_yields_the_same_type_and_operation_as_seed_000",
    ) {
        return;
    }
    let plain = read(&[common::seed("004")]);
    let markdown = read(&[common::seed("000")]);
    let (p, m) = (ty(&plain.ir, MDMACUS), ty(&markdown.ir, MDMACUS));
    let shape = |docs: &Docs, t: &TypeDef| -> Vec<(String, String)> {
        t.properties
            .iter()
            .map(|prop| {
                // Enums compare by their members: seed 000 does not name its enum.
                let shown = match docs.ir.type_named(&prop.ty.name) {
                    Some(e) if e.kind == TypeKind::Enum => {
                        format!("enum {:?}", members(&docs.ir, &e.name))
                    }
                    _ => prop.ty.name.clone(),
                };
                (prop.name.clone(), shown)
            })
            .collect()
    };
    assert_eq!(shape(&plain, p), shape(&markdown, m));
    assert_eq!((p.kind, &p.base), (m.kind, &m.base));
    assert_eq!(only_operation(&plain.ir), only_operation(&markdown.ir));
    // Seed 004 names the enum.
    let status = p
        .properties
        .iter()
        .find(|x| x.name == "status")
        .expect("status");
    assert_eq!(status.ty.name, "complianceStatus");
    assert_eq!(members(&plain.ir, "complianceStatus"), COMPLIANCE);
    // Its examples agree with the page: nothing to report.
    assert_eq!(value_type_warnings(&plain), 0, "{:?}", plain.diagnostics);
    assert_eq!(plain.ir.operations[0].examples.len(), 1);
}

#[test]
fn seed_001_user_app_install_status() {
    if common::skip_without(common::Needs::Seeds, "seed_001_user_app_install_status") {
        return;
    }
    let docs = read(&[common::seed("001")]);
    expect_props(
        ty(&docs.ir, "userAppInstallStatus"),
        &[
            ("id", "String"),
            ("userName", "String"),
            ("userPrincipalName", "String"),
            ("installedDeviceCount", "Int32"),
            ("failedDeviceCount", "Int32"),
            ("notInstalledDeviceCount", "Int32"),
        ],
    );
    assert_eq!(
        only_operation(&docs.ir),
        (
            "POST".into(),
            vec!["/deviceAppManagement/mobileApps/{mobileAppId}/userStatuses".into()],
            Some("userAppInstallStatus".into()),
            201,
            Some("userAppInstallStatus".into())
        )
    );
    // "Integer" three times in the request and three times in the response.
    assert_eq!(value_type_warnings(&docs), 6, "{:#?}", docs.diagnostics);
}

#[test]
fn seed_002_keeps_the_documented_ref_path_and_warns_at_the_example() {
    if common::skip_without(
        common::Needs::Seeds,
        "seed_002_keeps_the_documented_ref_path_and_warns_at_the_example",
    ) {
        return;
    }
    let docs = read(&[common::seed("002")]);
    let (method, paths, body, status, _) = only_operation(&docs.ir);
    assert_eq!(method, "POST");
    assert_eq!(
        paths,
        [
            "/deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/userStatuses/$ref"
        ]
    );
    assert_eq!((body.as_deref(), status), (Some(MDMACUS), 201));
    let mismatch: Vec<_> = docs
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ExamplePathMismatch)
        .collect();
    assert_eq!(mismatch.len(), 1);
    let location = docs.sources.location(&mismatch[0].span);
    let file = docs.sources.get(mismatch[0].span.file);
    let line: usize = location
        .rsplit(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .expect("line");
    let text = &file.text[file.line_range(line)];
    assert!(
        text.starts_with("POST https://graph.microsoft.com/beta/deviceAppManagement/iosLobAppProvisioningConfigurations/"),
        "the warning points at the example's request line, not at {text:?}"
    );
    assert!(value_type_warnings(&docs) > 0);
}

#[test]
fn seed_003_device_configuration_user_status() {
    if common::skip_without(
        common::Needs::Seeds,
        "seed_003_device_configuration_user_status",
    ) {
        return;
    }
    let docs = read(&[common::seed("003")]);
    expect_props(
        ty(&docs.ir, "deviceConfigurationUserStatus"),
        &[
            ("id", "String"),
            ("devicesCount", "Int32"),
            ("lastReportedDateTime", "DateTimeOffset"),
            ("status", "complianceStatus"),
            ("userDisplayName", "String"),
            ("userPrincipalName", "String"),
        ],
    );
    assert_eq!(members(&docs.ir, "complianceStatus"), COMPLIANCE);
    assert_eq!(
        only_operation(&docs.ir),
        (
            "POST".into(),
            vec!["/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/userStatuses".into()],
            Some("deviceConfigurationUserStatus".into()),
            201,
            Some("deviceConfigurationUserStatus".into())
        )
    );
    // "Integer", "String (timestamp)" and "String" in both examples.
    assert_eq!(value_type_warnings(&docs), 6, "{:#?}", docs.diagnostics);
}

#[test]
fn all_seeds_merge_types_enums_and_operations() {
    if common::skip_without(
        common::Needs::Seeds,
        "all_seeds_merge_types_enums_and_operations",
    ) {
        return;
    }
    let docs = read(&[common::seeds()]);
    let ir = &docs.ir;
    // 000, 002 and 004 describe one type; the unnamed enum of 000/002 is complianceStatus.
    let t = ty(ir, MDMACUS);
    assert_eq!(t.sources.len(), 3);
    assert!(
        t.properties
            .iter()
            .any(|p| p.name == "status" && p.ty.name == "complianceStatus")
    );
    let enums: Vec<&str> = ir
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Enum)
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(enums, ["complianceStatus"]);
    // 000 and 004 document one operation.
    assert_eq!(ir.operations.len(), 4);
    let names: Vec<&str> = ir.operations.iter().map(|o| o.name.as_str()).collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique, "operation names are unique");
    for seed in ["000", "001", "002", "003"] {
        let warned = docs.diagnostics.iter().any(|d| {
            d.code == Code::ExampleValueType
                && docs.sources.get(d.span.file).rel_path.starts_with(seed)
        });
        assert!(
            warned,
            "seed {seed} has example values that contradict its types"
        );
    }
    assert!(
        docs.diagnostics
            .iter()
            .all(|d| d.severity == docgen::Severity::Warning)
    );
}

#[test]
fn ir_snapshots() {
    if common::skip_without(common::Needs::Seeds, "ir_snapshots") {
        return;
    }
    let seeds = common::seeds();
    for number in ["000", "001", "002", "003", "004"] {
        let path = common::seed(number);
        let docs = read(std::slice::from_ref(&path));
        let json = common::stable_json(&docs.to_json(), &seeds, "seeds");
        insta::assert_snapshot!(format!("ir_seed_{number}"), json);
    }
    let docs = read(std::slice::from_ref(&seeds));
    insta::assert_snapshot!(
        "ir_all_seeds",
        common::stable_json(&docs.to_json(), &seeds, "seeds")
    );
}

#[test]
fn emitted_rust_snapshots() {
    if common::skip_without(common::Needs::Seeds, "emitted_rust_snapshots") {
        return;
    }
    let config = docgen::Config::new();
    for number in ["000", "001", "002", "003", "004"] {
        let docs = read(&[common::seed(number)]);
        let emitted = config.emit(&docs).expect("emits");
        insta::assert_snapshot!(
            format!("rust_seed_{number}"),
            common::files_text(&emitted.files)
        );
    }
    let docs = read(&[common::seeds()]);
    let emitted = config.emit(&docs).expect("emits");
    assert!(emitted.diagnostics.is_empty(), "{:?}", emitted.diagnostics);
    insta::assert_snapshot!("rust_all_seeds", common::files_text(&emitted.files));
}

#[test]
fn output_is_deterministic() {
    if common::skip_without(common::Needs::Seeds, "output_is_deterministic") {
        return;
    }
    let config = docgen::Config::new();
    let first = config.emit(&read(&[common::seeds()])).expect("emits").files;
    for _ in 0..3 {
        assert_eq!(
            config.emit(&read(&[common::seeds()])).expect("emits").files,
            first
        );
    }
}
