//! docgen never writes code the compiler cannot build. Pages of our own at the
//! sizes where rustc or serde's derives break (see `generator/src/emit/limits.rs`
//! for the measurements) are generated into one crate, which must then pass
//! `cargo clippy -D warnings`:
//!
//! - a struct of 20,000 properties (rustc overflows its stack past about 5,300
//!   fields): cut to 1,000 typed fields, with `emit-limit`;
//! - an enum of 20,000 members: cut to 5,000, with `emit-limit`;
//! - a request body of 20,000 parameters: cut to 1,000, with `emit-limit`;
//! - a chain of 100 types each holding the next by value (rustc's depth limit
//!   stops a chain of about 63): boxed where the chain would pass 32;
//! - 3,000 request paths under one segment: 3,000 methods in one builder's `impl`.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use docgen::Code;

const ROWS: usize = 20_000;
const CHAIN: usize = 100;
const PATHS: usize = 3_000;

fn front(title: &str, doc_type: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndescription: \"A page at a size the compiler cares about.\"\nms.prod: \"limits\"\ndoc_type: {doc_type}\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n"
    )
}

fn resource(name: &str, rows: &str) -> String {
    let mut page = front(&format!("{name} resource type"), "resourcePageType");
    page.push_str("## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n");
    page.push_str(rows);
    let _ = write!(
        page,
        "\n## JSON representation\n\n<!-- {{\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.{name}\"\n}}-->\n\n```json\n{{}}\n```\n"
    );
    page
}

fn write_pages(dir: &Path) {
    let resources = dir.join("resources");
    let api = dir.join("api");
    std::fs::create_dir_all(&resources).expect("mkdir");
    std::fs::create_dir_all(&api).expect("mkdir");

    let mut rows = String::new();
    for i in 0..ROWS {
        let _ = writeln!(rows, "|setting{i}|String|Setting number {i}.|");
    }
    let _ = writeln!(
        rows,
        "|level|[hugeLevel](hugelevel.md)|An enum of many members.|"
    );
    std::fs::write(
        resources.join("hugeconfiguration.md"),
        resource("hugeConfiguration", &rows),
    )
    .expect("write");

    let mut page = front("hugeLevel enum type", "enumPageType");
    page.push_str("## Members\n\n|Member|Value|Description|\n|:---|:---|:---|\n");
    for i in 0..ROWS {
        let _ = writeln!(page, "|level{i}|{i}|Level {i}.|");
    }
    std::fs::write(resources.join("hugelevel.md"), page).expect("write");

    // link0 holds link1 by value, link1 holds link2, …
    for i in 0..CHAIN {
        let rows = if i + 1 < CHAIN {
            format!(
                "|next|[link{n}](link{n}.md)|The next link.|\n|label|String|A label.|\n",
                n = i + 1
            )
        } else {
            "|label|String|The last link.|\n".to_owned()
        };
        std::fs::write(
            resources.join(format!("link{i}.md")),
            resource(&format!("link{i}"), &rows),
        )
        .expect("write");
    }

    let mut page = front("hugeConfiguration: apply", "apiPageType");
    page.push_str("## HTTP request\n\n```http\nPOST /hugeConfigurations/{id}/apply\n```\n\n");
    page.push_str("## Request body\n\n|Parameter|Type|Description|\n|:---|:---|:---|\n");
    for i in 0..ROWS {
        let _ = writeln!(page, "|option{i}|Boolean|Option {i}.|");
    }
    page.push_str(
        "\n## Response\n\nIf successful, this action returns a `204 No Content` response code.\n",
    );
    std::fs::write(api.join("hugeconfiguration-apply.md"), page).expect("write");

    let mut page = front("List parts", "apiPageType");
    page.push_str("## HTTP request\n\n```http\n");
    for i in 0..PATHS {
        let _ = writeln!(page, "GET /gadgets/{{id}}/part{i}");
    }
    page.push_str("```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and a [link0](../resources/link0.md) object in the response body.\n");
    std::fs::write(api.join("gadget-list-parts.md"), page).expect("write");
}

#[test]
fn pages_past_the_compilers_limits_still_give_a_crate_that_builds() {
    let root = common::workspace().join("target/docgen-tests/limits");
    let _ = std::fs::remove_dir_all(&root);
    let docs = root.join("docs");
    let out = root.join("out");
    write_pages(&docs);
    std::fs::create_dir_all(&out).expect("mkdir");

    let generated = docgen::Config::new()
        .docs(&docs)
        .out_dir(&out)
        .crate_name("limits")
        .generate()
        .expect("generate");
    let limits: Vec<String> = generated
        .emitted
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EmitLimit)
        .map(|d| format!("{} {}", generated.docs.sources.location(&d.span), d.message))
        .collect();
    assert_eq!(limits.len(), 3, "{limits:#?}");
    for (page, needle) in [
        (
            "hugeconfiguration.md",
            "`hugeConfiguration` has 20001 properties",
        ),
        ("hugelevel.md", "`hugeLevel` has 20000 members"),
        ("hugeconfiguration-apply.md", "has 20000 parameters"),
    ] {
        assert!(
            limits
                .iter()
                .any(|l| l.contains(page) && l.contains(needle)),
            "no emit-limit naming {page}: {limits:#?}"
        );
    }

    let models = std::fs::read_to_string(out.join("src/models/limits.rs")).expect("models");
    let fields = |ty: &str| {
        let start = models
            .find(&format!("pub struct {ty} {{"))
            .unwrap_or_else(|| panic!("no struct {ty}"));
        let body = &models[start..];
        let end = body.find("\n}").unwrap_or(body.len());
        body[..end].matches("\n    pub ").count()
    };
    // 1,000 typed fields, then `additional_properties` keeps the rest.
    assert_eq!(fields("HugeConfiguration"), 1001);
    assert!(models.contains("Level4999"));
    assert!(!models.contains("Level5000"));
    // The chain is boxed somewhere before it gets too deep, and only where needed.
    let boxes = models.matches("Option<Box<Link").count();
    assert!(
        (2..=4).contains(&boxes),
        "{boxes} boxed links in a chain of {CHAIN}"
    );
    // One builder of 3,000 segment methods; the leaves share one type.
    let builders = std::fs::read_to_string(out.join("src/paths/gadgets.rs")).expect("builders");
    assert!(builders.matches("pub fn part").count() >= PATHS);

    common::clippy_clean(
        &out,
        "the crate generated from pages past the compiler's limits must build cleanly",
    );
}
