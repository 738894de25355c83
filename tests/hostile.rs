//! Hostile and broken pages: docgen reads every byte of a page as untrusted.
//! No panic and no hang whatever the input; a page that cannot be read is a
//! diagnostic and the rest is still processed; text from pages never becomes
//! code (the crate generated from hostile pages compiles, and none of their
//! "code" is in it).

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// A resource page of our own whose every name and text tries to break out.
const HOSTILE_RESOURCE: &str = r#"---
title: "hostile resource type"
description: "*/ \"); } fn evil() { /*"
ms.prod: "../../evil\"); fn evil() {"
doc_type: resourcePageType
---

# hostile resource type

Namespace: microsoft.graph

A description with */ and "); } fn evil() { and #[cfg(any())] and {BIDI}reversed{POP} and ```rust fences ``` and <script>.

## Properties

|Property|Type|Description|
|:---|:---|:---|
|id|String|*/ fn evil() {} /*|
|type|String|A keyword as a name.|
|self|Boolean|Another keyword.|
|self_|Boolean|The keyword's escape, written out: the two must not become `self__2`.|
|"); } fn evil() {|String|A name that is code.|
|#[doc = "evil"]|Int32|An attribute as a name.|
|1stValue|String|A leading digit.|
|fooBar|String|Case collision one.|
|foo_bar|String|Case collision two.|
|{BIDI}evil|String|A bidi control in a name.|
|status|[evilStatus](evilstatus.md)|An enum whose members are code.|
|../../x|[../../x](../../x.md)|A path as a type.|

## Relationships

None.

## JSON representation

```json
{
  "id": "String"
}
```
"#;

/// An enum page whose members are code.
const HOSTILE_ENUM: &str = r#"---
title: "evilStatus enum type"
description: "Members that try to close the enum."
ms.prod: "tests"
doc_type: enumPageType
---

# evilStatus enum type

Namespace: microsoft.graph

## Members

|Member|Value|Description|
|:---|:---|:---|
|ok|0|Fine.|
|"); } fn evil() {|1|Code.|
|*/|2|A comment end.|
|Self|3|A keyword.|
|unknownFutureValue|4|Evolvable enumeration sentinel value. Do not use.|
"#;

/// An API page whose path and example try to break out.
const HOSTILE_API: &str = r#"---
title: "Get hostile"
description: "Get it."
ms.prod: "tests"
doc_type: apiPageType
---

# Get hostile

Namespace: microsoft.graph

Gets it. "); } fn evil() {

## HTTP request

```http
GET /hostile/{id}/items
GET /hostile/{id"); } fn evil() { "}/items
GET /hostile/{id}/../../etc/passwd
GET /hostile/{id}/a"b
```

## Request body

Do not supply a request body for this method.

## Response

If successful, this method returns a `200 OK` response code and a [hostile](../resources/hostile.md) object in the response body.

## Example

### Request

```http
GET https://graph.microsoft.com/v1.0/hostile/1/items
```

### Response

```http
HTTP/1.1 200 OK
Content-type: application/json

{"id": "*/ fn evil() {} /*", "type": "\u202e"}
```
"#;

/// Deterministic pseudo-random bytes.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

/// Broken pages, each with what makes it broken.
fn broken_pages() -> Vec<(&'static str, Vec<u8>)> {
    let table_rows: String = (0..20_000)
        .map(|i| format!("|p{i}|String|Row {i}.|\n"))
        .collect();
    let mut ten_mb = String::from(
        "---\ntitle: \"big resource type\"\ndoc_type: resourcePageType\n---\n\n# big resource type\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n",
    );
    while ten_mb.len() < 10 << 20 {
        ten_mb.push_str("|name|String|A long description that repeats, with *emphasis* and `code` and [a link](x.md).|\n");
    }
    vec![
        ("empty.md", Vec::new()),
        (
            "invalid-utf8.md",
            b"---\ntitle: \"x\"\n---\n# bad \xff\xfe bytes\n".to_vec(),
        ),
        (
            "nul.md",
            b"---\ntitle: \"nul\0\"\ndoc_type: resourcePageType\n---\n# nul\0 resource type\n\n## Properties\n\n|Property|Type|Description|\n|---|---|---|\n|a\0b|String|x\0y|\n".to_vec(),
        ),
        ("binary.md", noise(1 << 16, 7)),
        ("binary.png.md", noise(1 << 20, 11)),
        (
            "crlf-bom.md",
            "\u{feff}---\r\ntitle: \"crlf resource type\"\r\ndoc_type: resourcePageType\r\n---\r\n\r\n# crlf resource type\r\n\r\n## Properties\r\n\r\n|Property|Type|Description|\r\n|:---|:---|:---|\r\n|name|String|CRLF line ends.|\r\n".as_bytes().to_vec(),
        ),
        (
            "unterminated-front-matter.md",
            b"---\ntitle: \"x\"\ndoc_type: apiPageType\n# never closed\n\n## HTTP request\n\n```http\nGET /x\n```\n".to_vec(),
        ),
        (
            "unterminated-fence.md",
            b"# x\n\n## HTTP request\n\n```http\nGET /x\n\n## Response\n\nnever closed".to_vec(),
        ),
        (
            "unterminated-comment.md",
            b"# x\n\n<!-- { \"blockType\": \"request\", \"name\": \n\n```http\nGET /x\n```\n".to_vec(),
        ),
        (
            "unterminated-json.md",
            format!("# x\n\n## HTTP request\n\n```http\nPOST /x\n```\n\n## Example\n\n```http\nPOST https://graph.microsoft.com/v1.0/x\nContent-type: application/json\n\n{}\n```\n", "{\"a\": [".repeat(10_000)).into_bytes(),
        ),
        (
            "huge-table.md",
            format!("---\ntitle: \"wide resource type\"\ndoc_type: resourcePageType\n---\n\n# wide resource type\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n{table_rows}").into_bytes(),
        ),
        (
            "deep-quotes.md",
            format!("# deep\n\n{} x\n", ">".repeat(50_000)).into_bytes(),
        ),
        (
            "deep-lists.md",
            (0..5_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect::<String>()
                .into_bytes(),
        ),
        (
            "deep-brackets.md",
            format!("# deep\n\n{}{}\n", "[".repeat(100_000), "](x)".repeat(1000)).into_bytes(),
        ),
        (
            "deep-json.md",
            format!("# x\n\n## HTTP request\n\n```http\nPOST /deep\n```\n\n## Example\n\n```http\nPOST https://graph.microsoft.com/v1.0/deep\nContent-type: application/json\n\n{}{}\n```\n", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
        ),
        ("ten-mb.md", ten_mb.into_bytes()),
    ]
}

/// Writes the hostile pages, and the broken ones when `broken`.
fn write_docs(dir: &Path, broken: bool) {
    std::fs::create_dir_all(dir.join("api")).expect("mkdir");
    std::fs::create_dir_all(dir.join("resources")).expect("mkdir");
    std::fs::create_dir_all(dir.join("broken")).expect("mkdir");
    // Bidi controls are written here, not in this file's source (rustc, rightly, refuses them).
    let resource = HOSTILE_RESOURCE
        .replace("{BIDI}", "\u{202e}")
        .replace("{POP}", "\u{202c}");
    std::fs::write(dir.join("resources/hostile.md"), resource).expect("write");
    std::fs::write(dir.join("resources/evilstatus.md"), HOSTILE_ENUM).expect("write");
    // A type name that is a path and code: not a name, so no type.
    std::fs::write(
        dir.join("resources/evil-title.md"),
        HOSTILE_RESOURCE.replace(
            "# hostile resource type",
            "# ../../evil\"); } fn evil() { resource type",
        ),
    )
    .expect("write");
    std::fs::write(dir.join("api/hostile-get.md"), HOSTILE_API).expect("write");
    for (name, bytes) in broken_pages().into_iter().filter(|_| broken) {
        std::fs::write(dir.join("broken").join(name), bytes).expect("write");
    }
}

/// Runs `f` on another thread; fails if it panics or takes longer than `limit`.
fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    receive
        .recv_timeout(limit)
        .expect("docgen must finish (no hang, no panic) on hostile pages")
}

#[test]
fn broken_and_hostile_pages_are_read_without_panic_or_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    write_docs(&docs, true);
    let docs_for_thread = docs.clone();
    let read = within(Duration::from_secs(120), move || {
        docgen::read_docs(&[docs_for_thread]).expect("the folder is readable")
    });
    let codes: Vec<(String, &str)> = read
        .diagnostics
        .iter()
        .map(|d| (read.sources.location(&d.span), d.code.as_str()))
        .collect();
    // Every page was looked at, and the readable ones still give their types.
    assert!(read.sources.len() >= broken_pages().len() + 3);
    let types: Vec<&str> = read.ir.types.iter().map(|t| t.name.as_str()).collect();
    for expected in ["crlf", "wide", "evilStatus"] {
        assert!(
            types.contains(&expected),
            "{expected} missing from {types:?}"
        );
    }
    let wide = read
        .ir
        .types
        .iter()
        .find(|t| t.name == "wide")
        .expect("wide");
    assert_eq!(wide.properties.len(), 20_000);

    // Emitting them is bounded too, and what is emitted parses.
    let emitted = within(Duration::from_secs(300), move || {
        docgen::Config::new()
            .crate_name("broken")
            .emit(&read)
            .expect("emit")
    });
    assert!(
        emitted
            .files
            .iter()
            .any(|f| f.contents.contains("pub struct Wide"))
    );
    // What cannot be read is a diagnostic naming the page.
    for page in [
        "invalid-utf8.md",
        "binary.md",
        "unterminated-front-matter.md",
    ] {
        assert!(
            codes.iter().any(|(at, _)| at.contains(page)),
            "no diagnostic for {page}: {codes:?}"
        );
    }
}

#[test]
fn hostile_pages_never_become_code_and_nothing_is_written_outside_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    write_docs(&docs, false);
    let out = dir.path().join("out");
    let (docs_t, out_t) = (docs.clone(), out.clone());
    let generated = within(Duration::from_secs(120), move || {
        docgen::Config::new()
            .docs(&docs_t)
            .out_dir(&out_t)
            .crate_name("hostile")
            .generate()
            .expect("generate")
    });
    // The hostile names became identifiers, or were refused with a diagnostic.
    let docs_read = &generated.docs;
    let codes: Vec<&str> = docs_read
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    for expected in ["name-unusable", "page-empty"] {
        assert!(codes.contains(&expected), "no {expected} in {codes:?}");
    }
    assert!(
        generated
            .emitted
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "emit-unsupported"),
        "the paths that are code or leave the service are refused"
    );
    let models = generated
        .emitted
        .files
        .iter()
        .find(|f| f.path == "src/models/general.rs")
        .expect("the hostile type, in the default area (its ms.prod is not a name)");
    for field in [
        "pub type_:",
        "pub self_:",
        "pub doc:",
        "pub _1st_value:",
        "pub foo_bar:",
        "pub foo_bar_2:",
        "pub evil:",
    ] {
        assert!(
            models.contents.contains(field),
            "no `{field}` in\n{}",
            models.contents
        );
    }
    // Only `docs` and `out` exist beside each other: nothing escaped `--out`.
    let mut siblings: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    siblings.sort();
    assert_eq!(siblings, ["docs", "out"]);
    for file in &generated.emitted.files {
        assert!(
            !file.path.contains("..") && !file.path.starts_with('/'),
            "{}",
            file.path
        );
        // Bidi controls are shown, never emitted raw (Trojan Source).
        assert!(
            !file.contents.contains('\u{202e}'),
            "{} holds a raw bidi control",
            file.path
        );
        if !file.path.ends_with(".rs") {
            continue;
        }
        let parsed = syn::parse_file(&file.contents).expect("generated Rust parses");
        let mut names = Vec::new();
        collect_fn_names(&parsed.items, &mut names);
        assert!(
            !names.iter().any(|n| n == "evil"),
            "{} defines a function the pages wrote",
            file.path
        );
    }

    // And it compiles, warning-free.
    common::clippy_clean(
        &out,
        "the crate generated from hostile pages must compile cleanly",
    );
}

fn collect_fn_names(items: &[syn::Item], names: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Fn(f) => names.push(f.sig.ident.to_string()),
            syn::Item::Impl(i) => {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        names.push(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_fn_names(inner, names);
                }
            }
            _ => {}
        }
    }
}

/// Inputs fuzzing found (`scripts/fuzz.sh`), kept as regression tests.
#[test]
fn fuzz_regressions() {
    // A title whose invalid byte (read as U+FFFD, three bytes) sits where the
    // " resource type" suffix would start: the suffix check cut inside it.
    for title in [
        &b"widget resou\xe0rce type"[..],
        b"x\xe0 type",
        "\u{e9}\u{e9}\u{e9} resource type".as_bytes(),
        "a\u{1f600}ource type".as_bytes(),
    ] {
        let mut page = b"---\ntitle: \"".to_vec();
        page.extend_from_slice(title);
        page.extend_from_slice(b"\"\ndoc_type: resourcePageType\n---\n\n# ");
        page.extend_from_slice(title);
        page.extend_from_slice(
            b"\n\n## Properties\n\n|Property|Type|Description|\n|---|---|---|\n|id|String|x|\n",
        );
        let docs = docgen::read_pages(&[("resources/x.md", &page)]);
        docgen::emit::emit(&docs.ir, &docs.sources, &Default::default()).expect("emits");
    }
}

/// A value inside a quoted OData literal (`getX(period='{period}')`) cannot
/// end the literal: its quotes are doubled, not just kept.
#[test]
fn function_parameters_are_quoted_safely() {
    let page = b"---\ntitle: \"reportRoot: getX\"\ndoc_type: apiPageType\n---\n\n# reportRoot: getX\n\n## HTTP request\n\n```http\nGET /reports/getX(period='{period_value}')\n```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code.\n";
    let docs = docgen::read_pages(&[("api/getx.md", &page[..])]);
    let emitted = docgen::emit::emit(&docs.ir, &docs.sources, &Default::default()).expect("emits");
    let ops: String = emitted
        .files
        .iter()
        .filter(|f| f.path.starts_with("paths/"))
        .map(|f| f.contents.clone())
        .collect();
    assert!(ops.contains("encode_path_string_literal(period)"), "{ops}");
}
