//! Signing in, against local servers: tokens are cached and replaced before
//! they expire, concurrent requests share one fetch, a claims challenge is
//! answered once and never looped, and the token never reaches another host.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use docgen_runtime::{
    Client, Error, ExpiringToken, FetchFuture, FetchToken, Method, RetryPolicy, StaticToken,
    TokenCache, TokenProvider,
};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The claims challenge Microsoft Graph sends, and its decoded claims.
const CLAIMS: &str =
    "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwidmFsdWUiOiIxNjA0MTA2NjUxIn19fQ==";
const DECODED: &str = r#"{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}"#;

fn claims_challenge() -> ResponseTemplate {
    ResponseTemplate::new(401)
        .insert_header(
            "www-authenticate",
            format!(
                r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="{CLAIMS}""#
            )
            .as_str(),
        )
        .set_body_json(json!({"error": {"code": "InvalidAuthenticationToken", "message": "Continuous access evaluation resulted in challenge"}}))
}

/// A fetcher that counts its fetches, remembers the claims it was asked
/// for, takes `delay` per fetch, and hands out `token-N` (or
/// `claims-token-N`) valid for `lifetime`.
struct Counting {
    fetches: AtomicUsize,
    claims: Mutex<Vec<String>>,
    lifetime: Duration,
    delay: Duration,
    fail_first: bool,
}

impl Counting {
    fn new(lifetime: Duration) -> Self {
        Counting {
            fetches: AtomicUsize::new(0),
            claims: Mutex::new(Vec::new()),
            lifetime,
            delay: Duration::ZERO,
            fail_first: false,
        }
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    fn claims(&self) -> Vec<String> {
        self.claims.lock().expect("lock").clone()
    }
}

impl FetchToken for Counting {
    fn fetch<'a>(&'a self, claims: Option<&'a str>) -> FetchFuture<'a> {
        Box::pin(async move {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            if self.fail_first && n == 1 {
                return Err(Error::Token("the authority is down".into()));
            }
            let secret = match claims {
                Some(claims) => {
                    self.claims.lock().expect("lock").push(claims.to_owned());
                    format!("claims-token-{n}")
                }
                None => format!("token-{n}"),
            };
            Ok(ExpiringToken::new(secret, self.lifetime))
        })
    }
}

/// A provider shared with the test, so it can look at the fetcher.
struct Shared(Arc<TokenCache<Counting>>);

impl TokenProvider for Shared {
    fn token(&self) -> docgen_runtime::TokenFuture<'_> {
        self.0.token()
    }
    fn token_for_claims<'a>(&'a self, claims: &'a str) -> Option<docgen_runtime::TokenFuture<'a>> {
        self.0.token_for_claims(claims)
    }
}

fn client_with(base: &str, provider: impl TokenProvider) -> Client {
    Client::builder()
        .base_url(base)
        .token_provider(provider)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("valid client")
}

async fn authorizations(server: &MockServer) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .expect("recording")
        .iter()
        .map(|request| {
            request
                .headers
                .get("authorization")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        })
        .collect()
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_it_expires() {
    // A token valid for an hour is fetched once for many requests.
    let cache = TokenCache::new(Counting::new(Duration::from_secs(3600)));
    for _ in 0..3 {
        assert_eq!(cache.token().await.expect("token"), "token-1");
    }
    assert_eq!(cache.fetcher().fetches(), 1);

    // With the default 5 minute margin, a token valid for 5 minutes and 1 s
    // is replaced after 1 s.
    let cache = TokenCache::new(Counting::new(Duration::from_secs(301)));
    assert_eq!(cache.token().await.expect("token"), "token-1");
    assert_eq!(cache.token().await.expect("token"), "token-1");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(cache.token().await.expect("token"), "token-2");
    assert_eq!(cache.fetcher().fetches(), 2);

    // A token shorter-lived than the margin is used for half its life, not
    // fetched anew for every request.
    let cache = TokenCache::new(Counting::new(Duration::from_secs(2)))
        .refresh_margin(Duration::from_secs(300));
    assert_eq!(cache.token().await.expect("token"), "token-1");
    assert_eq!(cache.token().await.expect("token"), "token-1");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(cache.token().await.expect("token"), "token-2");
}

#[tokio::test]
async fn a_failed_fetch_is_not_cached() {
    let mut fetcher = Counting::new(Duration::from_secs(3600));
    fetcher.fail_first = true;
    let cache = TokenCache::new(fetcher);
    assert!(matches!(cache.token().await, Err(Error::Token(_))));
    assert_eq!(cache.token().await.expect("second try"), "token-2");
}

#[tokio::test]
async fn twenty_concurrent_requests_share_one_token_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "1"})))
        .mount(&server)
        .await;
    let mut fetcher = Counting::new(Duration::from_secs(3600));
    // Slow enough that every request asks while the first fetch is running.
    fetcher.delay = Duration::from_millis(300);
    let cache = Arc::new(TokenCache::new(fetcher));
    let client = client_with(&server.uri(), Shared(Arc::clone(&cache)));
    let requests = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.request::<Value>(Method::GET, "/me").await })
    });
    for result in futures_util::future::join_all(requests).await {
        result.expect("joined").expect("request succeeds");
    }
    assert_eq!(cache.fetcher().fetches(), 1, "one token request for all");
    let sent = authorizations(&server).await;
    assert_eq!(sent.len(), 20);
    assert!(sent.iter().all(|a| a.as_deref() == Some("Bearer token-1")));
}

#[tokio::test]
async fn a_claims_challenge_is_answered_once_with_a_token_for_the_claims() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer token-1"))
        .respond_with(claims_challenge())
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("authorization", "Bearer claims-token-2"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "new"})))
        .mount(&server)
        .await;
    let cache = Arc::new(TokenCache::new(Counting::new(Duration::from_secs(3600))));
    let client = client_with(&server.uri(), Shared(Arc::clone(&cache)));
    let created: Value = client
        .request(Method::POST, "/me/messages")
        .json_body(&json!({"subject": "hi"}))
        .await
        .expect("succeeds with the new token");
    assert_eq!(created["id"], "new");
    assert_eq!(cache.fetcher().claims(), [DECODED], "the decoded claims");
    let received = server.received_requests().await.expect("recording");
    assert_eq!(received.len(), 2);
    assert!(
        received.iter().all(|r| r.body == br#"{"subject":"hi"}"#),
        "the body is sent again"
    );
    // Later requests use the token that satisfied the claims.
    let _: Result<Value, _> = client.request(Method::POST, "/me/messages").await;
    assert_eq!(
        authorizations(&server)
            .await
            .last()
            .cloned()
            .flatten()
            .as_deref(),
        Some("Bearer claims-token-2")
    );
    assert_eq!(cache.fetcher().fetches(), 2);
}

#[tokio::test]
async fn a_second_401_is_the_answer_never_a_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(claims_challenge())
        .mount(&server)
        .await;
    let cache = Arc::new(TokenCache::new(Counting::new(Duration::from_secs(3600))));
    let client = client_with(&server.uri(), Shared(Arc::clone(&cache)));
    let err = client
        .request::<Value>(Method::GET, "/me")
        .await
        .expect_err("the service keeps refusing");
    match &err {
        Error::Api(api) => {
            assert_eq!(api.status, 401);
            assert_eq!(api.code.as_deref(), Some("InvalidAuthenticationToken"));
        }
        other => panic!("expected the API error, got {other:?}"),
    }
    assert_eq!(
        authorizations(&server).await,
        [
            Some("Bearer token-1".to_owned()),
            Some("Bearer claims-token-2".to_owned())
        ]
    );
    assert_eq!(cache.fetcher().claims().len(), 1, "asked for claims once");
}

#[tokio::test]
async fn claims_challenges_are_not_answered_when_they_cannot_be() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/challenge"))
        .respond_with(claims_challenge())
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invalid"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("www-authenticate", r#"Bearer error="invalid_token""#),
        )
        .mount(&server)
        .await;

    // A static token cannot satisfy claims: the 401 comes back at once.
    let client = client_with(&server.uri(), StaticToken::new("fixed"));
    let err = client
        .request::<Value>(Method::GET, "/challenge")
        .await
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(authorizations(&server).await.len(), 1);

    // A 401 without a claims challenge is not a reason to fetch a token.
    let cache = Arc::new(TokenCache::new(Counting::new(Duration::from_secs(3600))));
    let client = client_with(&server.uri(), Shared(Arc::clone(&cache)));
    let err = client
        .request::<Value>(Method::GET, "/invalid")
        .await
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(authorizations(&server).await.len(), 2);

    // Nor is one to a request that brought its own Authorization header.
    let err = client
        .request::<Value>(Method::GET, "/challenge")
        .header("Authorization", "Bearer mine")
        .await
        .expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(authorizations(&server).await.len(), 3);
    assert_eq!(cache.fetcher().fetches(), 1);
    assert!(cache.fetcher().claims().is_empty());
}

#[tokio::test]
async fn concurrent_claims_challenges_share_one_token() {
    let mut fetcher = Counting::new(Duration::from_secs(3600));
    fetcher.delay = Duration::from_millis(200);
    let cache = TokenCache::new(fetcher);
    let answers = futures_util::future::join_all((0..20).map(|_| async {
        match cache.token_for_claims(DECODED) {
            Some(future) => future.await,
            None => Err(Error::Token("not answered".into())),
        }
    }))
    .await;
    for answer in answers {
        assert_eq!(answer.expect("token").as_str(), "claims-token-1");
    }
    assert_eq!(cache.fetcher().fetches(), 1);
    // A challenge that comes after that token was stored asks again.
    let again = cache.token_for_claims(DECODED).expect("answered").await;
    assert_eq!(again.expect("token"), "claims-token-2");
}

/// Graph answers a download with a redirect to a pre-authenticated URL on
/// another host. reqwest (0.13.5 checked) drops `Authorization` on a
/// redirect that changes scheme, host or port, so another port on the same
/// host, another origin, gets no token; a redirect on the same origin keeps it.
#[tokio::test]
async fn the_token_never_follows_a_redirect_to_another_origin() {
    let graph = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me/drive/items/1/content"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/download?sig=x", storage.uri()).as_str(),
        ))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"bytes": 3})))
        .mount(&storage)
        .await;
    assert_ne!(graph.address().port(), storage.address().port());

    let ours = client_with(&graph.uri(), StaticToken::new("secret-token"));
    // The same with reqwest's own default redirect policy: the stripping is reqwest's.
    let plain = Client::builder()
        .base_url(graph.uri())
        .bearer_token("secret-token")
        .http_client(reqwest::Client::new())
        .build()
        .expect("valid client");
    for client in [&ours, &plain] {
        let body: Value = client
            .request(Method::GET, "/me/drive/items/1/content")
            .await
            .expect("the redirect is followed");
        assert_eq!(body["bytes"], 3);
    }
    assert_eq!(
        authorizations(&graph).await,
        [
            Some("Bearer secret-token".to_owned()),
            Some("Bearer secret-token".to_owned())
        ]
    );
    assert_eq!(
        authorizations(&storage).await,
        [None, None],
        "no token on another port"
    );

    graph.reset().await;
    Mock::given(method("GET"))
        .and(path("/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/new"))
        .mount(&graph)
        .await;
    Mock::given(method("GET"))
        .and(path("/new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&graph)
        .await;
    let _: Value = ours
        .request(Method::GET, "/old")
        .await
        .expect("same origin");
    assert_eq!(
        authorizations(&graph).await,
        [
            Some("Bearer secret-token".to_owned()),
            Some("Bearer secret-token".to_owned())
        ],
        "a redirect on the same origin keeps the token"
    );
}

#[tokio::test]
async fn links_to_another_origin_are_refused_before_asking_for_a_token() {
    let elsewhere = MockServer::start().await;
    let cache = Arc::new(TokenCache::new(Counting::new(Duration::from_secs(3600))));
    let client = client_with("http://127.0.0.1:9/v1.0", Shared(Arc::clone(&cache)));
    let err = client
        .follow_link::<Value>(format!("{}/v1.0/users?$skiptoken=x", elsewhere.uri()))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(authorizations(&elsewhere).await.is_empty());
    assert_eq!(cache.fetcher().fetches(), 0);
}
