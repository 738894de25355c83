//! The documented request headers set through the typed helpers, on the
//! wire: on the first page, on every later page, and on retries of either.

use std::time::Duration;

use docgen_runtime::{Client, Collection, Method, RetryPolicy};
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, PartialEq, Deserialize)]
struct Event {
    id: String,
}

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .bearer_token("token")
        .retry_policy(
            RetryPolicy::new()
                .max_retries(3)
                .initial_delay(Duration::from_millis(10))
                .max_delay(Duration::from_secs(1))
                .max_total(Duration::from_secs(10)),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid client")
}

const PREFER: &str = "outlook.timezone=\"Pacific Standard Time\", \
                      outlook.body-content-type=\"text\", odata.maxpagesize=2";

#[tokio::test]
async fn helpers_headers_reach_every_page_and_every_retry() {
    let server = MockServer::start().await;
    let base = server.uri();
    // Page 2 is throttled once, then answered; page 3 ends the walk.
    Mock::given(method("GET"))
        .and(path("/me/calendarView"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me/calendarView"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "c"}, {"id": "d"}],
            "@odata.nextLink": format!("{base}/me/calendarView?$skiptoken=3"),
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me/calendarView"))
        .and(query_param("$skiptoken", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "e"}]})))
        .mount(&server)
        .await;
    // The first page: a 503 first, then the answer.
    Mock::given(method("GET"))
        .and(path("/me/calendarView"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/me/calendarView"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a"}, {"id": "b"}],
            "@odata.nextLink": format!("{base}/me/calendarView?$skiptoken=2"),
        })))
        .mount(&server)
        .await;

    let ids: Vec<String> = client(&base)
        .request::<Collection<Event>>(Method::GET, "/me/calendarView")
        .query("startDateTime", "2026-12-01T00:00:00Z")
        .prefer_time_zone("Pacific Standard Time")
        .prefer_text_body()
        .prefer_max_page_size(2)
        .workbook_session_id("not-a-workbook-but-carried")
        .items()
        .map(|item| item.expect("item").id)
        .collect()
        .await;
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);

    let received = server.received_requests().await.expect("recording");
    // Two first-page attempts, two for page 2, one for page 3.
    assert_eq!(received.len(), 5, "{received:?}");
    for request in &received {
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("prefer").as_deref(), Some(PREFER), "{}", request.url);
        assert_eq!(
            header("workbook-session-id").as_deref(),
            Some("not-a-workbook-but-carried"),
            "{}",
            request.url
        );
        assert_eq!(
            request.headers.get_all("prefer").iter().count(),
            1,
            "one Prefer header, preferences combined"
        );
    }
}

#[tokio::test]
async fn consistency_level_goes_with_a_count_and_return_minimal_is_answered_by_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "@odata.count": 1, "value": [{"id": "u"}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/me/events/e"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let page = client
        .request::<Collection<Event>>(Method::GET, "/users")
        .search("\"displayName:ad\"")
        .count(true)
        .consistency_level_eventual()
        .await
        .expect("page");
    assert_eq!(page.count, Some(1));

    // A write typed to return the event, answered 204 under return=minimal.
    let typed = || {
        client
            .request::<Event>(Method::PATCH, "/me/events/e")
            .json_body(&json!({"subject": "x"}))
            .expect_status(200)
            .prefer_return_minimal()
    };
    assert!(typed().await.is_err(), "a 204 has no event to decode");
    typed()
        .ignore_response()
        .await
        .expect("204 accepted, nothing decoded");

    let received = server.received_requests().await.expect("recording");
    assert_eq!(
        received[0]
            .headers
            .get("consistencylevel")
            .map(|v| v.as_bytes()),
        Some(&b"eventual"[..])
    );
    for patch in &received[1..] {
        assert_eq!(
            patch.headers.get("prefer").map(|v| v.as_bytes()),
            Some(&b"return=minimal"[..])
        );
    }
}
