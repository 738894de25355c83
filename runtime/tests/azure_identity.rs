//! azure_identity credentials as token providers: a `ClientSecretCredential`
//! posts its form to a local fake authority and its token reaches Graph,
//! and the scopes follow the cloud of the client's base URL.
#![cfg(feature = "azure-identity")]

use std::sync::{Arc, Mutex};

use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::http::headers::Headers;
use azure_core::http::{AsyncRawResponse, Body, ClientOptions, HttpClient, Request, StatusCode};
use azure_identity::{ClientSecretCredential, ClientSecretCredentialOptions};
use docgen_runtime::{AzureCredential, Client, Error, Method, RetryPolicy, TokenProvider};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// azure_identity only accepts an `https` authority host, so the credential
/// is pointed at `https://login.fake.test` with a transport that sends each
/// request to the local fake authority instead, over plain HTTP.
#[derive(Debug)]
struct ToLocal {
    base: String,
    http: reqwest::Client,
}

#[async_trait::async_trait]
impl HttpClient for ToLocal {
    async fn execute_request(&self, request: &Request) -> azure_core::Result<AsyncRawResponse> {
        let io = |err: reqwest::Error| {
            azure_core::Error::with_message(azure_core::error::ErrorKind::Io, err.to_string())
        };
        let url = request.url();
        let target = format!(
            "{}{}{}",
            self.base,
            url.path(),
            url.query().map(|q| format!("?{q}")).unwrap_or_default()
        );
        let method = reqwest::Method::from_bytes(request.method().as_str().as_bytes())
            .unwrap_or(reqwest::Method::POST);
        let mut outgoing = self.http.request(method, target);
        for (name, value) in request.headers().iter() {
            outgoing = outgoing.header(name.as_str(), value.as_str());
        }
        if let Body::Bytes(bytes) = request.body() {
            outgoing = outgoing.body(bytes.to_vec());
        }
        let response = outgoing.send().await.map_err(io)?;
        let status = StatusCode::from(response.status().as_u16());
        let mut headers = Headers::new();
        for (name, value) in response.headers() {
            if let Ok(value) = value.to_str() {
                headers.insert(name.as_str().to_owned(), value.to_owned());
            }
        }
        let bytes = response.bytes().await.map_err(io)?;
        Ok(AsyncRawResponse::from_bytes(status, headers, bytes))
    }
}

#[tokio::test]
async fn a_client_secret_credential_signs_in_at_the_fake_authority() {
    let authority = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contoso.onmicrosoft.com/oauth2/v2.0/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": 3599,
            "ext_expires_in": 3599,
            "access_token": "azure-token",
        })))
        .mount(&authority)
        .await;
    let graph = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users"))
        .and(header("authorization", "Bearer azure-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&graph)
        .await;

    let _ = Client::builder();
    let mut cloud = azure_core::cloud::CustomConfiguration::default();
    cloud.authority_host = "https://login.fake.test".to_owned();
    let options = ClientSecretCredentialOptions {
        client_options: ClientOptions {
            transport: Some(azure_core::http::Transport::new(Arc::new(ToLocal {
                base: authority.uri(),
                http: reqwest::Client::new(),
            }))),
            cloud: Some(Arc::new(cloud.into())),
            ..Default::default()
        },
    };
    let credential = ClientSecretCredential::new(
        "contoso.onmicrosoft.com",
        "app-id".to_owned(),
        "app-secret".into(),
        Some(options),
    )
    .expect("valid credential");
    let client = Client::builder()
        .base_url(format!("{}/v1.0", graph.uri()))
        .credential(credential)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client");
    for _ in 0..3 {
        let users: Value = client
            .request(Method::GET, "/users")
            .await
            .expect("signed in");
        assert_eq!(users["value"], json!([]));
    }

    let received = authority.received_requests().await.expect("recording");
    assert_eq!(received.len(), 1, "azure_identity caches the token");
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&received[0].body)
        .into_owned()
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(field("grant_type"), Some("client_credentials"));
    assert_eq!(field("client_id"), Some("app-id"));
    assert_eq!(field("client_secret"), Some("app-secret"));
    let scope = format!("{}/.default", graph.uri());
    assert_eq!(field("scope"), Some(scope.as_str()));
    assert_eq!(graph.received_requests().await.expect("recording").len(), 3);

    // Neither the client nor the provider shows the secret or the token.
    let shown = format!("{client:?}");
    assert!(
        !shown.contains("app-secret") && !shown.contains("azure-token"),
        "{shown}"
    );
}

/// A credential that notes the scopes it is asked for.
#[derive(Debug, Default)]
struct Recording(Mutex<Vec<Vec<String>>>);

#[async_trait::async_trait]
impl TokenCredential for Recording {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.0
            .lock()
            .expect("lock")
            .push(scopes.iter().map(|s| (*s).to_owned()).collect());
        Ok(AccessToken::new(
            "t",
            azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1),
        ))
    }
}

#[tokio::test]
async fn the_scope_is_that_of_the_clients_cloud() {
    let _ = Client::builder();
    for (base, scope) in [
        (
            "https://graph.microsoft.com/v1.0",
            "https://graph.microsoft.com/.default",
        ),
        (
            "https://graph.microsoft.us/v1.0",
            "https://graph.microsoft.us/.default",
        ),
        (
            "https://dod-graph.microsoft.us/beta",
            "https://dod-graph.microsoft.us/.default",
        ),
        (
            "https://microsoftgraph.chinacloudapi.cn/v1.0",
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ] {
        let credential = Arc::new(Recording::default());
        // Every host resolves to this machine, where nothing answers: the
        // token is asked for before anything is sent.
        let host = url::Url::parse(base)
            .expect("url")
            .host_str()
            .expect("host")
            .to_owned();
        let http = reqwest::Client::builder()
            .resolve(&host, "127.0.0.1:0".parse().expect("addr"))
            .build()
            .expect("http client");
        let client = Client::builder()
            .base_url(base)
            .http_client(http)
            .credential(credential.clone())
            .retry_policy(RetryPolicy::none())
            .build()
            .expect("valid client");
        let err = client
            .request::<Value>(Method::GET, "/me")
            .await
            .expect_err("nothing answers");
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert_eq!(
            *credential.0.lock().expect("lock"),
            [vec![scope.to_owned()]],
            "{base}"
        );
    }

    // scopes() overrides the rule, and an empty list is refused.
    let credential = Arc::new(Recording::default());
    let http = reqwest::Client::builder()
        .resolve("graph.microsoft.com", "127.0.0.1:0".parse().expect("addr"))
        .build()
        .expect("http client");
    let client = Client::builder()
        .http_client(http)
        .credential(credential.clone())
        .scopes(["User.Read", "Mail.Read"])
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid client");
    let _ = client.request::<Value>(Method::GET, "/me").await;
    assert_eq!(
        *credential.0.lock().expect("lock"),
        [vec!["User.Read".to_owned(), "Mail.Read".to_owned()]]
    );
    let refused = Client::builder()
        .credential(credential.clone())
        .scopes(Vec::<String>::new())
        .build();
    assert!(matches!(refused, Err(Error::InvalidRequest(_))));

    // Made directly, it asks for the scopes given; claims are not answered.
    let provider = AzureCredential::new(credential, ["https://graph.microsoft.com/.default"]);
    assert_eq!(provider.token().await.expect("token"), "t");
    assert!(
        provider.token_for_claims("{}").is_none(),
        "no claims support"
    );
    assert_eq!(provider.scopes(), ["https://graph.microsoft.com/.default"]);
}
