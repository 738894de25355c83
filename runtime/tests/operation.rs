//! Long-running operations against local servers: a `202 Accepted` whose
//! `Location` or `Operation-Location` names a monitor, polled until it says
//! the operation ended, on the Graph host (with the token) or on another
//! host (pre-authenticated, without it).

use std::time::{Duration, Instant};

use docgen_runtime::{
    Accepted, Client, Error, Method, Operation, OperationError, OperationState, RetryPolicy,
};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request as Received, ResponseTemplate};

const TOKEN: &str = "secret-graph-token";

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token(TOKEN)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("valid client")
}

/// Starts the action `POST {path}` and returns its operation, polling fast.
async fn start<T>(client: &Client, path: &str) -> Result<Operation<T>, Error> {
    let op = client
        .request::<Accepted<T>>(Method::POST, path)
        .json_body(&json!({"name": "copy"}))
        .expect_status(202)
        .start()
        .await?;
    Ok(op.poll_interval(Duration::from_millis(10), Duration::from_millis(20)))
}

fn accepted(location_header: &str, location: &str) -> ResponseTemplate {
    ResponseTemplate::new(202).insert_header(location_header, location)
}

async fn received(server: &MockServer) -> Vec<Received> {
    server.received_requests().await.expect("recording is on")
}

fn authorization(request: &Received) -> Option<&str> {
    request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_relative_location_is_polled_with_the_token_and_the_team_fetched() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/teams/t1/clone"))
        .respond_with(accepted("Location", "/teams('t2')/operations('op')"))
        .expect(1)
        .mount(&graph)
        .await;
    let monitor = "/v1.0/teams('t2')/operations('op')";
    Mock::given(method("GET"))
        .and(path(monitor))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "inProgress", "id": "op"})),
        )
        .up_to_n_times(2)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path(monitor))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "succeeded",
            "targetResourceId": "t2",
            "targetResourceLocation": "/teams('t2')",
        })))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/teams('t2')"))
        .and(header("authorization", format!("Bearer {TOKEN}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "t2"})))
        .expect(1)
        .mount(&graph)
        .await;

    let client = client(&format!("{}/v1.0", graph.uri()));
    let mut op = start::<Item>(&client, "/teams/t1/clone")
        .await
        .expect("accepted");
    assert_eq!(
        op.monitor_url().as_str(),
        format!("{}{monitor}", graph.uri())
    );
    let first = op.poll().await.expect("first poll");
    assert_eq!(first.state, OperationState::Running);
    let team = op.wait().await.expect("succeeded");
    assert_eq!(team, Some(Item { id: "t2".into() }));

    let requests = received(&graph).await;
    // The POST, three polls (two in progress, one done), the team.
    assert_eq!(requests.len(), 5, "{requests:?}");
    for request in &requests {
        let expected = format!("Bearer {TOKEN}");
        assert_eq!(
            authorization(request),
            Some(expected.as_str()),
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn a_monitor_on_another_host_gets_no_token_and_reports_progress() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    let monitor = format!("{}/_api/v2.0/monitor/4A34?tempauth=SECRET", storage.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/drives/d/items/i/copy"))
        .respond_with(accepted("Location", &monitor))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/_api/v2.0/monitor/4A34"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "operation": "itemCopy",
            "percentageComplete": 58.9,
            "status": "inProgress",
        })))
        .up_to_n_times(1)
        .mount(&storage)
        .await;
    Mock::given(method("GET"))
        .and(path("/_api/v2.0/monitor/4A34"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "operation": "itemCopy",
            "percentageComplete": 100.0,
            "status": "completed",
            "resourceId": "01NEW",
        })))
        .mount(&storage)
        .await;

    let client = client(&format!("{}/v1.0", graph.uri()));
    let mut op = start::<Item>(&client, "/drives/d/items/i/copy")
        .await
        .expect("accepted");
    let shown = format!("{op:?}");
    assert!(
        !shown.contains("SECRET") && !shown.contains(TOKEN),
        "{shown}"
    );

    let progress = op.poll().await.expect("in progress");
    assert_eq!(progress.state, OperationState::Running);
    assert_eq!(progress.percent_complete, Some(58.9));
    assert_eq!(progress.http_status, 202);
    let done = op.wait_status().await.expect("completed");
    assert_eq!(done.state, OperationState::Succeeded);
    assert_eq!(done.resource_id.as_deref(), Some("01NEW"));
    // The monitor names no location: nothing to fetch.
    assert_eq!(op.resource(&done).await.expect("no fetch"), None);

    let posts = received(&graph).await;
    assert_eq!(posts.len(), 1);
    let expected = format!("Bearer {TOKEN}");
    assert_eq!(authorization(&posts[0]), Some(expected.as_str()));
    let polls = received(&storage).await;
    assert_eq!(polls.len(), 2);
    for poll in &polls {
        assert_eq!(authorization(poll), None, "the token reached {}", poll.url);
        assert_eq!(poll.url.query(), Some("tempauth=SECRET"));
    }
}

#[tokio::test]
async fn a_failed_operation_is_an_error_with_the_monitors_error() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted("Location", "/teams('t')/operations('o')"))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "failed",
            "error": {"code": "Conflict", "message": "A team with this name exists."},
        })))
        .mount(&graph)
        .await;
    let client = client(&format!("{}/v1.0", graph.uri()));
    let op = start::<Item>(&client, "/teams/t/clone")
        .await
        .expect("accepted");
    let err = op.wait().await.expect_err("failed");
    let text = err.to_string();
    match &err {
        Error::Operation(failure) => match failure.as_ref() {
            OperationError::Failed { code, message, .. } => {
                assert_eq!(code.as_deref(), Some("Conflict"));
                assert_eq!(message.as_deref(), Some("A team with this name exists."));
            }
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    }
    assert!(text.contains("A team with this name exists."), "{text}");
    assert!(text.contains("/v1.0/teams('t')/operations('o')"), "{text}");

    // A failed status without an error object fails too.
    let bare = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted("Location", "/ops/1"))
        .mount(&bare)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "Failed"})))
        .mount(&bare)
        .await;
    let client = self::client(&bare.uri());
    let op = start::<()>(&client, "/x").await.expect("accepted");
    let err = op.wait().await.expect_err("failed");
    assert!(
        matches!(&err, Error::Operation(e) if matches!(**e, OperationError::Failed { code: None, .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn operation_location_and_retry_after_are_honoured() {
    let graph = MockServer::start().await;
    let monitor = format!("{}/v1.0/print/operations/p1", graph.uri());
    Mock::given(method("POST"))
        .and(path("/v1.0/print/printers/create"))
        .respond_with(
            accepted("Operation-Location", &monitor)
                // A Location beside it is not the monitor.
                .insert_header("Location", "/elsewhere")
                .insert_header("Retry-After", "1"),
        )
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/print/operations/p1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"id": "p1", "status": {"state": "running", "description": "registering"}})),
        )
        .up_to_n_times(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/print/operations/p1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"id": "p1", "status": {"state": "succeeded", "description": "done"}}),
        ))
        .mount(&graph)
        .await;

    let client = client(&format!("{}/v1.0", graph.uri()));
    let started = Instant::now();
    let op = start::<serde_json::Value>(&client, "/print/printers/create")
        .await
        .expect("accepted");
    assert_eq!(op.monitor_url().as_str(), monitor);
    let result = op.wait().await.expect("succeeded");
    assert_eq!(result, None);
    // One second before the first poll, one more before the second: the
    // 10 ms poll interval gave way to Retry-After both times.
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let paths: Vec<String> = received(&graph)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/v1.0/print/printers/create",
            "/v1.0/print/operations/p1",
            "/v1.0/print/operations/p1"
        ]
    );
}

#[tokio::test]
async fn a_monitor_that_never_finishes_ends_with_a_clear_error() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted("Location", "/teams('t')/operations('slow')"))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "NotStarted", "percentComplete": "0"})),
        )
        .mount(&graph)
        .await;
    let client = client(&format!("{}/v1.0", graph.uri()));
    let op = start::<Item>(&client, "/teams/t/archive")
        .await
        .expect("accepted")
        .max_wait(Duration::from_millis(300));
    let started = Instant::now();
    let err = op.wait().await.expect_err("timed out");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    match &err {
        Error::Operation(e) => match e.as_ref() {
            OperationError::TimedOut { waited, last, .. } => {
                assert!(*waited >= Duration::from_millis(300));
                assert_eq!(*last, Some(OperationState::NotStarted));
            }
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("/v1.0/teams('t')/operations('slow')"),
        "{text}"
    );
    assert!(text.contains("had not ended after waiting"), "{text}");
    // Polled several times, growing from 10 ms to 20 ms, and once at the end.
    let polls = received(&graph).await.len() - 1;
    assert!(polls >= 5, "{polls} polls");
}

#[tokio::test]
async fn a_303_to_the_result_on_another_host_is_read_without_the_token() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted(
            "Location",
            &format!("{}/monitor/m1", storage.uri()),
        ))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/m1"))
        .respond_with(
            ResponseTemplate::new(303)
                .insert_header("Location", format!("{}/items/new", storage.uri())),
        )
        .mount(&storage)
        .await;
    Mock::given(method("GET"))
        .and(path("/items/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "new"})))
        .mount(&storage)
        .await;
    let client = client(&format!("{}/v1.0", graph.uri()));
    let op = start::<Item>(&client, "/drives/d/items/i/copy")
        .await
        .expect("accepted");
    assert_eq!(
        op.wait().await.expect("done"),
        Some(Item { id: "new".into() })
    );
    let requests = received(&storage).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| authorization(r).is_none()));
}

#[tokio::test]
async fn a_monitor_that_moved_is_still_a_monitor() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted(
            "Location",
            &format!("{}/monitor/old", storage.uri()),
        ))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/old"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("Location", format!("{}/monitor/new", storage.uri())),
        )
        .mount(&storage)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/new"))
        .respond_with(
            ResponseTemplate::new(202)
                .set_body_json(json!({"status": "inProgress", "percentageComplete": 10})),
        )
        .up_to_n_times(1)
        .mount(&storage)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/new"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "completed", "resourceId": "01NEW"})),
        )
        .mount(&storage)
        .await;
    let client = client(&format!("{}/v1.0", graph.uri()));
    let mut op = start::<Item>(&client, "/drives/d/items/i/copy")
        .await
        .expect("accepted");
    let first = op.poll().await.expect("moved");
    assert_eq!(first.state, OperationState::Running);
    assert_eq!(first.percent_complete, Some(10.0));
    // A redirect to a done monitor is no result either: it is read as one.
    let done = op.wait_status().await.expect("completed");
    assert_eq!(done.resource_id.as_deref(), Some("01NEW"));
    assert_eq!(op.resource(&done).await.expect("nothing to fetch"), None);
    assert_eq!(received(&storage).await.len(), 4);
}

#[tokio::test]
async fn a_303_from_another_host_to_graph_is_fetched_again_with_the_token() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted(
            "Location",
            &format!("{}/monitor/m2", storage.uri()),
        ))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/monitor/m2"))
        .respond_with(ResponseTemplate::new(303).insert_header(
            "Location",
            format!("{}/v1.0/drives/d/items/new", graph.uri()),
        ))
        .mount(&storage)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/drives/d/items/new"))
        .and(header("authorization", format!("Bearer {TOKEN}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "new"})))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/drives/d/items/new"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "no token"}}),
        ))
        .mount(&graph)
        .await;
    let client = client(&format!("{}/v1.0", graph.uri()));
    let op = start::<Item>(&client, "/drives/d/items/i/copy")
        .await
        .expect("accepted");
    assert_eq!(
        op.wait().await.expect("done"),
        Some(Item { id: "new".into() })
    );
    assert!(
        received(&storage)
            .await
            .iter()
            .all(|r| authorization(r).is_none())
    );
    let gets: Vec<Option<String>> = received(&graph)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .map(|r| authorization(r).map(str::to_owned))
        .collect();
    // Followed without the token, then fetched with it.
    assert_eq!(gets, [None, Some(format!("Bearer {TOKEN}"))]);
}

#[tokio::test]
async fn garbage_from_the_monitor_is_an_error() {
    for (status, body) in [
        (200, "<html>gateway</html>"),
        (200, "{\"percentComplete\": 10}"),
        (202, "[\"inProgress\"]"),
    ] {
        let graph = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(accepted("Location", "/ops/1"))
            .mount(&graph)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(status).set_body_string(body))
            .mount(&graph)
            .await;
        let client = client(&graph.uri());
        let op = start::<Item>(&client, "/x").await.expect("accepted");
        let err = op.wait().await.expect_err("garbage");
        assert!(
            matches!(&err, Error::Decode { status: s, body: b, .. } if *s == status && b == body),
            "{body}: {err:?}"
        );
    }
}

#[tokio::test]
async fn an_accepted_request_without_a_monitor_is_an_error() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&graph)
        .await;
    let client = client(&graph.uri());
    let err = start::<Item>(&client, "/x").await.expect_err("no monitor");
    assert!(
        matches!(&err, Error::Operation(e) if matches!(**e, OperationError::NoMonitor { status: 202, .. })),
        "{err:?}"
    );

    // An error status from the monitor is the usual API error.
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted("Location", "/ops/gone"))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error": {"code": "itemNotFound", "message": "gone"}})),
        )
        .mount(&graph)
        .await;
    let client = self::client(&graph.uri());
    let err = start::<Item>(&client, "/x")
        .await
        .expect("accepted")
        .wait()
        .await
        .expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert!(matches!(&err, Error::Api(api) if api.code.as_deref() == Some("itemNotFound")));
}

#[tokio::test]
async fn throttled_polls_are_retried() {
    let graph = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(accepted("Location", "/ops/1"))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "completed"})))
        .mount(&graph)
        .await;
    let client = Client::builder()
        .base_url(graph.uri())
        .retry_policy(RetryPolicy::new().initial_delay(Duration::from_millis(10)))
        .build()
        .expect("valid client");
    let op = start::<serde_json::Value>(&client, "/x")
        .await
        .expect("accepted");
    assert_eq!(op.wait().await.expect("retried"), None);
    assert_eq!(received(&graph).await.len(), 3);
}

/// Starting, polling and waiting can run on a multi-threaded runtime
/// (`tokio::spawn` needs `Send` futures).
#[test]
fn operations_and_their_futures_are_send() {
    fn send<T: Send>(_: &T) {}
    let client = client("http://127.0.0.1:9/v1.0");
    let start = client.request::<Accepted<Item>>(Method::POST, "/x").start();
    send(&start);
    drop(start);
    fn operation_is_send_and_sync<T: Send + Sync>() {}
    operation_is_send_and_sync::<Operation<Item>>();
    fn waits_are_send(op: Operation<Item>) {
        let wait = op.wait();
        send(&wait);
    }
    let _ = waits_are_send;
}
