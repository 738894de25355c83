//! Long-running requests: a documented `202 Accepted` with a `Location` or
//! `Operation-Location` becomes `runtime::Request<runtime::Accepted<T>>`,
//! `T` being what the request's path addresses.

mod common;

use std::collections::BTreeSet;

use docgen::emit::Emitted;

fn emit(docs: &std::path::Path) -> Emitted {
    let docs = docgen::read_docs(&[docs.to_path_buf()]).expect("the pages are readable");
    docgen::Config::new()
        .crate_name("graph")
        .emit(&docs)
        .expect("emits")
}

/// The chains answering `runtime::Accepted<…>`, as `call -> response`.
fn long_running(emitted: &Emitted) -> BTreeSet<String> {
    emitted
        .surface
        .iter()
        .filter(|c| c.response.starts_with("runtime::Accepted<"))
        .map(|c| format!("{} -> {}", c.call, c.response))
        .collect()
}

#[test]
fn accepted_requests_with_a_monitor_answer_an_operation() {
    let emitted = emit(&common::workspace().join("tests/fixtures/long_running"));
    let expected: BTreeSet<String> = [
        // The node the action is bound to has a GET: its type.
        "client.drives().by_id(drive_id).items().by_id(item_id).copy(body) -> runtime::Accepted<models::DriveItem>",
        // `Operation-Location`, nothing to tell the result's type by.
        "client.reports().export() -> runtime::Accepted<serde_json::Value>",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(long_running(&emitted), expected);
    // The plain GET is untouched.
    let get = emitted
        .surface
        .iter()
        .find(|c| c.call == "client.drives().by_id(drive_id).items().by_id(item_id).get()")
        .expect("the GET");
    assert_eq!(get.response, "models::DriveItem");

    let code = common::files_text(&emitted.files);
    let copy = code
        .find("pub fn copy(")
        .map(|at| &code[at.saturating_sub(1500)..at + 400])
        .expect("the copy function");
    assert!(
        copy.contains("-> runtime::Request<runtime::Accepted<models::DriveItem>>"),
        "{copy}"
    );
    assert!(copy.contains(".expect_status(202)"), "{copy}");
    assert!(copy.contains("Long-running:"), "{copy}");
    assert!(copy.contains("`.start().await?`"), "{copy}");
    assert!(copy.contains("[`DriveItem`](models::DriveItem)"), "{copy}");
    let export = code
        .find("pub fn export(")
        .map(|at| &code[at.saturating_sub(1500)..at])
        .expect("the export function");
    assert!(export.contains("as untyped JSON"), "{export}");
}

/// The v1.0 reference: the operations documented as accepted with a monitor.
#[test]
fn v1_long_running_operations() {
    if common::skip_without(common::Needs::Corpus, "v1_long_running_operations") {
        return;
    }
    let emitted = emit(&common::graph_docs());
    let expected: BTreeSet<String> = [
        "client.drives().by_id(drive_id).items().by_id(item_id).copy() -> runtime::Accepted<models::DriveItem>",
        "client.groups().by_id(id).drive().items().by_id(item_id).copy() -> runtime::Accepted<models::DriveItem>",
        "client.me().drive().items().by_id(id).copy() -> runtime::Accepted<models::DriveItem>",
        "client.sites().by_id(id).drive().items().by_id(item_id).copy() -> runtime::Accepted<models::DriveItem>",
        "client.users().by_id(id).drive().items().by_id(item_id).copy() -> runtime::Accepted<models::DriveItem>",
        "client.external().connections().by_id(id).schema().create(body) -> runtime::Accepted<models::Schema>",
        "client.print().printers().create_segment().create(body) -> runtime::Accepted<serde_json::Value>",
        "client.teams().create(body) -> runtime::Accepted<models::Team>",
        "client.teams().by_id(id).archive() -> runtime::Accepted<models::Team>",
        "client.teams().by_id(id).clone_action(body) -> runtime::Accepted<models::Team>",
        "client.teams().by_id(id).unarchive() -> runtime::Accepted<models::Team>",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(long_running(&emitted), expected);
}
