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
        "client.drives().by_id(drive_id).items().by_id(item_id).copy(body) -> runtime::Accepted<models::DriveItem>",
        "client.groups().by_id(id).drive().items().by_id(item_id).copy(body) -> runtime::Accepted<models::DriveItem>",
        "client.me().drive().items().by_id(id).copy(body) -> runtime::Accepted<models::DriveItem>",
        "client.sites().by_id(id).drive().items().by_id(item_id).copy(body) -> runtime::Accepted<models::DriveItem>",
        "client.users().by_id(id).drive().items().by_id(item_id).copy(body) -> runtime::Accepted<models::DriveItem>",
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

/// The generated SDK of `docs-input/` (its team clone page) against
/// `docgen mock`: the function's `.start()` sends the documented request and
/// reads the documented `202`'s relative `Location` as a monitor under the
/// version root.
#[test]
fn the_generated_team_clone_starts_against_the_mock() {
    use docgen_sdk::models::CloneBody;
    use docgen_sdk::runtime;

    let docs = docgen::read_docs(&[common::docs_input()]).expect("docs-input reads");
    let routes = docgen::mock::Routes::from_ir(&docs.ir, &docs.sources);
    let tokio = tokio::runtime::Runtime::new().expect("tokio");
    let listener = tokio
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let base = format!("http://{}/v1.0", listener.local_addr().expect("address"));
    tokio.spawn(docgen::mock::serve(std::sync::Arc::new(routes), listener));
    tokio.block_on(async {
        let runtime = runtime::Client::builder()
            .base_url(&base)
            .bearer_token("test-token")
            .retry_policy(runtime::RetryPolicy::none())
            .build()
            .expect("client");
        let client = docgen_sdk::Client::new(runtime);
        let body = CloneBody {
            display_name: Some("Field Engineering (North)".into()),
            description: Some("Coordination of the northern field engineers.".into()),
            mail_nickname: Some("fieldengineeringnorth".into()),
            parts_to_clone: Some("channels,settings".into()),
            ..CloneBody::default()
        };
        let mut op = client
            .teams()
            .by_id("7d1c5a9e-3f42-4b8e-a6d0-2e9b81c4f573")
            .clone_action(&body)
            .start()
            .await
            .expect("accepted");
        assert_eq!(
            op.monitor_url().as_str(),
            format!(
                "{base}/teams('7d1c5a9e-3f42-4b8e-a6d0-2e9b81c4f573')/operations('b4e0c1d2-93a7-4f65-8c28-d15e7a6b3f90')"
            )
        );
        // The pages document no monitor resource: the mock has none to serve.
        let err = op.poll().await.expect_err("no documented monitor");
        assert_eq!(err.status(), Some(404), "{err:?}");
    });
}
