//! JSON batching against a fake `$batch` endpoint that reads each posted
//! batch and answers its items, in reverse order as Graph may: what goes on
//! the wire, typed answers, throttled items retried, dependencies, splitting
//! into batches of 20 and malformed answers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use docgen_runtime::{
    Batch, Client, Collection, Content, Error, MAX_BATCH_ITEMS, Method, RawBody, RetryPolicy,
};
use futures_util::stream;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TOKEN: &str = "secret-graph-token";

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct User {
    id: String,
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
}

/// Answers each posted item with `answer(call, item)`, the call counted from
/// 0; the id is filled in, and an answer of `null` leaves the item out.
struct FakeBatch<F> {
    calls: AtomicUsize,
    answer: F,
}

impl<F> Respond for FakeBatch<F>
where
    F: Fn(usize, &Value) -> Value + Send + Sync,
{
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        let Ok(batch) = serde_json::from_slice::<Value>(&request.body) else {
            return ResponseTemplate::new(400).set_body_string("the batch is not JSON");
        };
        let items = batch["requests"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        // As Graph does, refuse a dependency on an item not in the batch.
        let sent: Vec<&Value> = items.iter().map(|item| &item["id"]).collect();
        let unknown_dependency = items
            .iter()
            .filter_map(|item| item["dependsOn"].as_array())
            .flatten()
            .any(|id| !sent.contains(&id));
        if unknown_dependency {
            return ResponseTemplate::new(400).set_body_string("dependsOn names an unknown id");
        }
        let mut responses: Vec<Value> = items
            .iter()
            .filter_map(|item| {
                let mut answer = (self.answer)(call, item);
                if answer.is_null() {
                    return None;
                }
                if answer.get("id").is_none() {
                    answer["id"] = item["id"].clone();
                }
                Some(answer)
            })
            .collect();
        // Graph answers in whatever order the items finish.
        responses.reverse();
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

async fn fake_batch<F>(answer: F) -> MockServer
where
    F: Fn(usize, &Value) -> Value + Send + Sync + 'static,
{
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(FakeBatch {
            calls: AtomicUsize::new(0),
            answer,
        })
        .mount(&server)
        .await;
    server
}

fn base(server: &MockServer) -> String {
    format!("{}/v1.0", server.uri())
}

fn client_with(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base(server))
        .bearer_token(TOKEN)
        .retry_policy(policy)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("valid client")
}

fn client(server: &MockServer) -> Client {
    client_with(server, RetryPolicy::none())
}

/// The bodies of the `$batch` requests the server received, in order.
async fn sent_batches(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|request| serde_json::from_slice(&request.body).expect("a JSON batch"))
        .collect()
}

fn ids(batch: &Value) -> Vec<&str> {
    batch["requests"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| item["id"].as_str())
        .collect()
}

fn ok(body: Value) -> Value {
    json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": body})
}

fn graph_error(status: u16, code: &str) -> Value {
    json!({
        "status": status,
        "headers": {"Content-Type": "application/json"},
        "body": {"error": {"code": code, "message": format!("{code} happened"),
                           "innerError": {"request-id": format!("rid-{status}")}}}
    })
}

#[tokio::test]
async fn items_carry_method_url_query_headers_and_bodies_but_no_token() {
    let server = fake_batch(|_, _| json!({"status": 204})).await;
    let client = client(&server);
    let search = || {
        client
            .request::<Collection<User>>(Method::GET, "/users")
            .filter(
                "startswith(displayName,'a b') and createdDateTime ge 2024-01-01T00:00:00+01:00",
            )
            .select(["id", "displayName"])
            .top(2)
            .header("ConsistencyLevel", "eventual")
            .header("Prefer", "outlook.timezone=\"Pacific Standard Time\"")
    };
    let expected_url = search().url().expect("valid url");
    let new_user =
        json!({"displayName": "Adele", "accountEnabled": true, "zeta": 1, "alpha": [1.5, 2]});

    let mut batch = client.batch();
    batch.add(search()).expect("a GET");
    batch
        .add(
            client
                .request::<User>(Method::POST, "/users")
                .json_body(&new_user),
        )
        .expect("a JSON POST");
    batch
        .add(
            client
                .request::<()>(Method::PUT, "/me/photo/$value")
                .raw_body(RawBody::from_bytes(
                    &b"\x89PNG\r\n\x00\xff"[..],
                    "image/png",
                )),
        )
        .expect("a raw PUT");
    let next = format!("{}/users?$skiptoken=X%27Y", base(&server));
    batch
        .add(client.follow_link::<Collection<User>>(next))
        .expect("a link");
    let deleted = batch
        .add(client.request::<()>(Method::DELETE, "/me/messages/AAMk%2F1"))
        .expect("a DELETE");
    assert_eq!(deleted.id(), "5");
    batch.send().await.expect("the batch is answered");

    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1);
    let http = &received[0];
    assert_eq!(
        http.headers
            .get("authorization")
            .and_then(|v| v.to_str().ok()),
        Some(format!("Bearer {TOKEN}").as_str()),
        "the $batch request carries the token"
    );
    assert_eq!(
        http.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
    let text = String::from_utf8_lossy(&http.body);
    assert!(!text.contains(TOKEN), "no token inside the items: {text}");
    assert!(
        !text.to_ascii_lowercase().contains("authorization"),
        "{text}"
    );
    // The JSON body is spliced in as it was serialized, key order included.
    assert!(
        text.contains(&serde_json::to_string(&new_user).expect("json")),
        "{text}"
    );

    let sent: Value = serde_json::from_slice(&http.body).expect("JSON");
    let items = sent["requests"].as_array().expect("requests");
    assert_eq!(
        items[0],
        json!({
            "id": "1",
            "method": "GET",
            "url": "/users?$filter=startswith(displayName,%27a%20b%27)%20and%20createdDateTime%20ge%202024-01-01T00:00:00%2B01:00&$select=id,displayName&$top=2",
            "headers": {"consistencylevel": "eventual",
                        "prefer": "outlook.timezone=\"Pacific Standard Time\""}
        })
    );
    assert_eq!(
        format!(
            "{}{}",
            base(&server),
            items[0]["url"].as_str().unwrap_or_default()
        ),
        expected_url.as_str(),
        "the item's URL is Request::url() below the base URL"
    );
    assert_eq!(
        items[1],
        json!({"id": "2", "method": "POST", "url": "/users",
               "headers": {"content-type": "application/json"}, "body": new_user})
    );
    assert_eq!(
        items[2],
        json!({"id": "3", "method": "PUT", "url": "/me/photo/$value",
               "headers": {"content-type": "image/png"}, "body": "iVBORw0KAP8="})
    );
    assert_eq!(
        items[3],
        json!({"id": "4", "method": "GET", "url": "/users?$skiptoken=X%27Y"})
    );
    assert_eq!(
        items[4],
        json!({"id": "5", "method": "DELETE", "url": "/me/messages/AAMk%2F1"})
    );
}

#[tokio::test]
async fn answers_in_any_order_are_typed_per_item() {
    let server = fake_batch(|_, item| match item["url"].as_str().unwrap_or_default() {
        "/me" => ok(json!({"id": "u1", "displayName": "Adele"})),
        "/users" => json!({"status": 201, "headers": {"Content-Type": "application/json; odata.metadata=minimal"},
                           "body": {"id": "u2"}}),
        "/me/messages/m1" => json!({"status": 204, "headers": {}}),
        "/users?$top=2" => ok(json!({
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=2",
            "value": [{"id": "a"}, {"id": "b"}]
        })),
        "/groups/nope" => graph_error(404, "Request_ResourceNotFound"),
        "/me/events" => ok(json!({"value": []})),
        _ => graph_error(400, "BadRequest"),
    })
    .await;
    let client = client(&server);
    let mut batch = Batch::new(&client);
    let me = batch
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    let created = batch
        .add(
            client
                .request::<User>(Method::POST, "/users")
                .json_body(&json!({"displayName": "x"}))
                .expect_status(201),
        )
        .expect("added");
    let deleted = batch
        .add(
            client
                .request::<()>(Method::DELETE, "/me/messages/m1")
                .expect_status(204),
        )
        .expect("added");
    let page = batch
        .add(
            client
                .request::<Collection<User>>(Method::GET, "/users")
                .top(2),
        )
        .expect("added");
    let missing = batch
        .add(client.request::<Value>(Method::GET, "/groups/nope"))
        .expect("added");
    let not_created = batch
        .add(
            client
                .request::<Collection<User>>(Method::GET, "/me/events")
                .expect_status(201),
        )
        .expect("added");
    let results = batch.await.expect("the batch is answered");

    assert_eq!(
        results.get(&me).expect("200"),
        User {
            id: "u1".into(),
            display_name: Some("Adele".into())
        }
    );
    assert_eq!(results.get(&created).expect("201").id, "u2");
    results.get(&deleted).expect("204 decodes as ()");
    let page = results.get(&page).expect("a page");
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.value[1].id, "b");
    assert_eq!(
        page.next_link.as_deref(),
        Some("https://graph.microsoft.com/v1.0/users?$skiptoken=2")
    );
    match results.get(&missing) {
        Err(Error::Api(err)) => {
            assert_eq!(err.status, 404);
            assert_eq!(err.code.as_deref(), Some("Request_ResourceNotFound"));
            assert_eq!(err.request_id.as_deref(), Some("rid-404"));
        }
        other => panic!("expected the item's 404, got {other:?}"),
    }
    assert!(matches!(
        results.get(&not_created),
        Err(Error::UnexpectedStatus {
            status: 200,
            expected: 201,
            ..
        })
    ));
    // The raw answer, whatever its status; and reading twice gives the same.
    let raw = results.response(&missing).expect("answered");
    assert_eq!(raw.status(), 404);
    assert_eq!(raw.content_type(), Some("application/json"));
    assert_eq!(results.get(&me).expect("again").id, "u1");
}

#[tokio::test]
async fn a_throttled_item_is_retried_with_the_items_that_failed_because_of_it() {
    // Item 2 is throttled once; 3 depends on it (424); 4 depends on 1, which
    // succeeded, and is unavailable once; 6 depends on 2 and on 5, which is
    // not found for good.
    let server = fake_batch(|call, item| {
        let id = item["id"].as_str().unwrap_or_default();
        match (call, id) {
            (0, "2") => json!({"status": 429, "headers": {"Retry-After": "1"},
                               "body": {"error": {"code": "TooManyRequests"}}}),
            (0, "3" | "6") => graph_error(424, "FailedDependency"),
            (0, "4") => json!({"status": 503, "headers": {}}),
            (_, "5") => graph_error(404, "ItemNotFound"),
            (_, id) => ok(json!({"id": format!("{id}@{call}")})),
        }
    })
    .await;
    let policy = RetryPolicy::new()
        .max_retries(2)
        .initial_delay(Duration::from_millis(10))
        .max_delay(Duration::from_secs(5));
    let client = client_with(&server, policy);
    let mut batch = client.batch();
    let handles: Vec<_> = (1..=6)
        .map(|n| {
            batch
                .add(client.request::<User>(Method::GET, format!("/users/{n}")))
                .expect("added")
        })
        .collect();
    batch.depends_on(&handles[2], &handles[1]).expect("3 on 2");
    batch.depends_on(&handles[3], &handles[0]).expect("4 on 1");
    batch.depends_on(&handles[5], &handles[1]).expect("6 on 2");
    batch.depends_on(&handles[5], &handles[4]).expect("6 on 5");
    let started = Instant::now();
    let results = batch.send().await.expect("answered");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "the item's Retry-After is honoured"
    );

    let sent = sent_batches(&server).await;
    assert_eq!(sent.len(), 2, "one follow-up batch");
    assert_eq!(ids(&sent[0]), ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(
        sent[0]["requests"][5]["dependsOn"],
        json!(["2", "5"]),
        "an item may depend on several"
    );
    assert_eq!(
        ids(&sent[1]),
        ["2", "3", "4"],
        "only the throttled items and the dependent that failed because of one"
    );
    assert_eq!(sent[1]["requests"][1]["dependsOn"], json!(["2"]));
    assert_eq!(sent[1]["requests"][0].get("dependsOn"), None);
    assert_eq!(
        sent[1]["requests"][2].get("dependsOn"),
        None,
        "item 1 succeeded already and is not sent again"
    );

    let id = |n: usize| results.get(&handles[n]).map(|user| user.id);
    assert_eq!(id(0).expect("first round"), "1@0");
    assert_eq!(id(1).expect("retried"), "2@1");
    assert_eq!(id(2).expect("retried"), "3@1");
    assert_eq!(id(3).expect("retried"), "4@1");
    assert_eq!(id(4).map_err(|err| err.status()).unwrap_err(), Some(404));
    match id(5) {
        Err(Error::Api(err)) => {
            assert_eq!(err.status, 424, "a failed dependency is the item's error");
            assert_eq!(err.code.as_deref(), Some("FailedDependency"));
        }
        other => panic!("expected 424, got {other:?}"),
    }
}

#[tokio::test]
async fn throttling_ends_as_the_retry_policy_says() {
    let server = fake_batch(|_, item| match item["id"].as_str() {
        Some("slow") => json!({"status": 429, "headers": {"Retry-After": "0"},
                               "body": {"error": {"code": "TooManyRequests", "message": "slow down"}}}),
        _ => ok(json!({"id": "fine"})),
    })
    .await;
    let policy = RetryPolicy::new()
        .max_retries(2)
        .initial_delay(Duration::from_millis(10));
    let client = client_with(&server, policy);
    let mut batch = client.batch();
    let fine = batch
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    let slow = batch
        .add_with_id("slow", client.request::<User>(Method::GET, "/me/drive"))
        .expect("added");
    let results = batch.send().await.expect("answered");
    let sent = sent_batches(&server).await;
    assert_eq!(sent.len(), 3, "the first batch and two retries");
    assert_eq!(ids(&sent[2]), ["slow"]);
    assert_eq!(results.get(&fine).expect("answered").id, "fine");
    match results.get(&slow) {
        Err(Error::Api(err)) => {
            assert_eq!(err.status, 429);
            assert_eq!(err.code.as_deref(), Some("TooManyRequests"));
            assert_eq!(err.retry_after, Some(Duration::ZERO));
        }
        other => panic!("expected the 429, got {other:?}"),
    }
}

#[tokio::test]
async fn forty_five_requests_go_in_three_batches_in_order() {
    let server =
        fake_batch(|call, item| ok(json!({"id": format!("{}", call), "displayName": item["url"]})))
            .await;
    let client = client(&server);
    let mut batch = client.batch();
    let handles: Vec<_> = (1..=45)
        .map(|n| {
            batch
                .add(client.request::<User>(Method::GET, format!("/users/{n}")))
                .expect("added")
        })
        .collect();
    // Within one batch of 20 a dependency is fine.
    batch
        .depends_on(&handles[39], &handles[20])
        .expect("40 on 21");
    let results = batch.send().await.expect("answered");
    let sent = sent_batches(&server).await;
    let sizes: Vec<usize> = sent.iter().map(|batch| ids(batch).len()).collect();
    assert_eq!(sizes, [MAX_BATCH_ITEMS, MAX_BATCH_ITEMS, 5]);
    let all: Vec<String> = sent
        .iter()
        .flat_map(|batch| ids(batch).into_iter().map(str::to_owned))
        .collect();
    let expected: Vec<String> = (1..=45).map(|n| n.to_string()).collect();
    assert_eq!(all, expected, "in the order they were added");
    assert_eq!(sent[1]["requests"][19]["dependsOn"], json!(["21"]));
    for (n, handle) in handles.iter().enumerate() {
        let user = results.get(handle).expect("answered");
        assert_eq!(user.id, (n / MAX_BATCH_ITEMS).to_string(), "item {n}");
        assert_eq!(user.display_name, Some(format!("/users/{}", n + 1)));
    }
}

#[tokio::test]
async fn a_dependency_across_two_batches_is_refused_before_sending() {
    let server = fake_batch(|_, _| ok(json!({}))).await;
    let client = client(&server);
    let mut batch = client.batch();
    let handles: Vec<_> = (1..=21)
        .map(|n| {
            batch
                .add_with_id(format!("item{n}"), client.request::<()>(Method::GET, "/me"))
                .expect("added")
        })
        .collect();
    batch
        .depends_on(&handles[20], &handles[3])
        .expect("same batch");
    match batch.send().await {
        Err(Error::InvalidRequest(message)) => {
            assert!(
                message.contains("\"item21\"") && message.contains("\"item4\""),
                "{message}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(sent_batches(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn ids_dependencies_and_handles_are_checked_when_added() {
    let server = fake_batch(|_, _| ok(json!({"id": "x"}))).await;
    let client = client(&server);
    let mut batch = client.batch();
    let given = batch
        .add_with_id("2", client.request::<User>(Method::GET, "/me"))
        .expect("added");
    let first = batch
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    let second = batch
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    assert_eq!(
        [given.id(), first.id(), second.id()],
        ["2", "1", "3"],
        "assigned ids skip the ones given"
    );
    for (id, what) in [("2", "duplicate"), ("", "empty")] {
        assert!(
            matches!(
                batch.add_with_id(id, client.request::<()>(Method::GET, "/me")),
                Err(Error::InvalidRequest(_))
            ),
            "{what} id accepted"
        );
    }
    assert!(
        matches!(batch.depends_on(&first, &second), Err(Error::InvalidRequest(m)) if m.contains("after"))
    );
    assert!(matches!(
        batch.depends_on(&first, &first),
        Err(Error::InvalidRequest(_))
    ));

    let mut other = client.batch();
    let foreign = other
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    assert!(matches!(
        batch.depends_on(&second, &foreign),
        Err(Error::InvalidRequest(_))
    ));

    let invalid = |request: docgen_runtime::Request<()>| {
        let mut batch = client.batch();
        match batch.add(request) {
            Err(err @ (Error::InvalidRequest(_) | Error::Serialize(_))) => {
                assert!(batch.is_empty());
                err.to_string()
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    };
    let own_token = invalid(
        client
            .request(Method::GET, "/me")
            .header("Authorization", "Bearer other-token"),
    );
    assert!(own_token.contains("Authorization"), "{own_token}");
    assert!(!own_token.contains("other-token"), "{own_token}");
    let streamed = invalid(client.request(Method::PUT, "/me/photo/$value").raw_body(
        RawBody::from_stream(
            stream::iter([Ok::<_, std::io::Error>(docgen_runtime::Bytes::from_static(
                b"x",
            ))]),
            Some(1),
            "image/png",
        ),
    ));
    assert!(streamed.contains("streamed"), "{streamed}");
    invalid(client.request(Method::GET, "/me").header("bad name", "x"));
    invalid(client.request(Method::GET, "/users/../me"));
    invalid(client.follow_link("https://elsewhere.example/v1.0/me"));
    let another_client = Client::builder()
        .base_url(base(&server))
        .build()
        .expect("valid client");
    let foreign_request = invalid(another_client.request(Method::GET, "/me"));
    assert!(
        foreign_request.contains("another client"),
        "{foreign_request}"
    );

    let results = batch.send().await.expect("answered");
    assert_eq!(results.get(&first).expect("answered").id, "x");
    let results_of_other = other.send().await.expect("answered");
    assert!(matches!(
        results_of_other.get(&first),
        Err(Error::InvalidRequest(m)) if m.contains("another batch")
    ));
    assert!(
        sent_batches(&server)
            .await
            .iter()
            .all(|b| !ids(b).is_empty())
    );
}

#[tokio::test]
async fn raw_content_comes_back_base64_decoded() {
    let photo: &[u8] = b"\xff\xd8\xff\xe0 not really a jpeg \x00\x01";
    let server = fake_batch(
        move |_, item| match item["url"].as_str().unwrap_or_default() {
            "/me/photo/$value" => json!({"status": 200, "headers": {"Content-Type": "image/jpeg"},
                                     "body": "/9j/4CBub3QgcmVhbGx5IGEganBlZyAAAQ=="}),
            "/me/messages/m1/$value" => {
                json!({"status": 200, "headers": {"Content-Type": "text/plain"},
                                           "body": "not base64!"})
            }
            _ => ok(json!({"id": "me"})),
        },
    )
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let photo_item = batch
        .add(
            client
                .request::<Content>(Method::GET, "/me/photo/$value")
                .expect_status(200),
        )
        .expect("added");
    let text = batch
        .add(client.request::<Content>(Method::GET, "/me/messages/m1/$value"))
        .expect("added");
    let me = batch
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    let results = batch.send().await.expect("answered");
    let content = results.content(&photo_item).expect("a photo");
    assert_eq!(content.status(), 200);
    assert_eq!(content.content_type(), Some("image/jpeg"));
    assert_eq!(content.body().as_ref(), photo);
    let text = results.content(&text).expect("text");
    assert_eq!(text.into_body().as_ref(), b"not base64!", "kept as it came");
    assert_eq!(results.get(&me).expect("JSON").id, "me");
    let json = results.response(&me).expect("answered");
    assert_eq!(
        serde_json::from_slice::<Value>(json.body()).expect("JSON bytes"),
        json!({"id": "me"})
    );
}

#[tokio::test]
async fn malformed_items_are_the_items_errors() {
    let server = fake_batch(|_, item| match item["id"].as_str().unwrap_or_default() {
        "1" => json!({"headers": {}, "body": {"id": "no status"}}),
        "2" => Value::Null,
        "3" => json!({"id": "99", "status": 200, "body": {}}),
        "4" => json!({"status": 200, "headers": "not an object"}),
        "5" => json!({"status": 99999}),
        _ => ok(json!({"id": "fine"})),
    })
    .await;
    let client = client(&server);
    let mut batch = client.batch();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            batch
                .add(client.request::<User>(Method::GET, "/me"))
                .expect("added")
        })
        .collect();
    let results = batch.send().await.expect("the other items are fine");
    match results.get(&handles[0]) {
        Err(Error::Decode {
            status,
            body,
            source,
        }) => {
            assert_eq!(status, 200);
            assert!(body.contains("no status"), "{body}");
            assert!(source.to_string().contains("status"), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    for missing in [&handles[1], &handles[2]] {
        match results.get(missing) {
            Err(Error::InvalidRequest(message)) => {
                assert!(
                    message.contains(&format!("no response for item \"{}\"", missing.id())),
                    "{message}"
                );
                assert!(
                    message.contains("\"99\""),
                    "names the unknown id: {message}"
                );
            }
            other => panic!("expected no answer, got {other:?}"),
        }
    }
    for malformed in [&handles[3], &handles[4]] {
        assert!(matches!(results.get(malformed), Err(Error::Decode { .. })));
        assert!(matches!(
            results.response(malformed),
            Err(Error::Decode { .. })
        ));
    }
    assert_eq!(results.get(&handles[5]).expect("fine").id, "fine");
}

#[tokio::test]
async fn malformed_envelopes_are_the_batchs_error() {
    for body in [
        json!({"value": []}),
        json!({"responses": {"id": "1"}}),
        json!([1, 2]),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&body))
            .mount(&server)
            .await;
        let client = client(&server);
        let mut batch = client.batch();
        batch
            .add(client.request::<User>(Method::GET, "/me"))
            .expect("added");
        match batch.send().await {
            Err(Error::Decode {
                status, body: text, ..
            }) => {
                assert_eq!(status, 200);
                assert_eq!(serde_json::from_str::<Value>(&text).ok(), Some(body));
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>proxy</html>"))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut batch = client.batch();
    batch
        .add(client.request::<User>(Method::GET, "/me"))
        .expect("added");
    assert!(matches!(batch.send().await, Err(Error::Decode { .. })));
}

#[tokio::test]
async fn a_later_batch_that_fails_keeps_the_earlier_answers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(FakeBatch {
            calls: AtomicUsize::new(0),
            answer: |_: usize, _: &Value| ok(json!({"id": "early"})),
        })
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(
                json!({"error": {"code": "InternalServerError", "message": "boom"}}),
            ),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let mut batch = client.batch();
    let handles: Vec<_> = (0..45)
        .map(|_| {
            batch
                .add(client.request::<User>(Method::GET, "/me"))
                .expect("added")
        })
        .collect();
    let results = batch.send().await.expect("the first batch was answered");
    assert_eq!(
        sent_batches(&server).await.len(),
        2,
        "the third is not sent"
    );
    assert_eq!(results.failure().and_then(Error::status), Some(500));
    assert_eq!(results.get(&handles[19]).expect("answered").id, "early");
    for unanswered in [&handles[20], &handles[44]] {
        match results.get(unanswered) {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("boom"), "{message}")
            }
            other => panic!("expected no answer, got {other:?}"),
        }
    }

    // When the first batch fails, that is the error of `send`.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let refusing = client_with(&server, RetryPolicy::none());
    let mut batch = refusing.batch();
    batch
        .add(refusing.request::<User>(Method::GET, "/me"))
        .expect("added");
    assert_eq!(
        batch.send().await.map(|_| ()).unwrap_err().status(),
        Some(403)
    );
}

#[tokio::test]
async fn an_empty_batch_sends_nothing_and_debug_shows_no_secrets() {
    let server = fake_batch(|_, _| ok(json!({}))).await;
    let client = client(&server);
    let batch = client.batch();
    assert!(batch.is_empty());
    let results = batch.send().await.expect("nothing to do");
    assert!(results.failure().is_none());
    assert!(sent_batches(&server).await.is_empty());

    let mut batch = client.batch();
    batch
        .add(
            client
                .request::<()>(Method::POST, "/me/sendMail")
                .header("Cookie", "session=hidden-cookie")
                .json_body(&json!({"secret": "hidden-body"})),
        )
        .expect("added");
    assert_eq!(batch.len(), 1);
    let shown = format!("{batch:?}");
    assert!(shown.contains("POST /me/sendMail"), "{shown}");
    for secret in [TOKEN, "hidden-cookie", "hidden-body"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}
