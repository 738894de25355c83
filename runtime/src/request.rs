use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::bearer;
use super::client::Client;
use super::error::{ApiError, Error};
use super::null_members;
use super::path::check_relative_path;
use super::raw_body::RawBody;
use super::retry;

/// Bytes encoded in query names and values. Besides `&`, `=` and `#`, this
/// encodes `+` (which form decoders read as a space, breaking timestamps in
/// `$filter`) and `'` (which URL parsers encode anyway), and keeps what makes
/// OData options readable: `$`, `(`, `)`, `,`, `:`, `/`, `@`, `*`, `!`.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'$')
    .remove(b'(')
    .remove(b')')
    .remove(b',')
    .remove(b':')
    .remove(b'/')
    .remove(b'@')
    .remove(b'*')
    .remove(b'!');

/// One HTTP request to Microsoft Graph whose JSON response decodes into `T`.
///
/// Made by [`Client::request`]; send it with [`send`](Self::send) or by
/// `.await`ing it directly. Problems found while building it (a body that
/// does not serialize, an invalid header) are kept and returned by `send`,
/// so that the builder methods can be chained without `?`.
#[must_use = "a Request does nothing until it is sent or awaited"]
pub struct Request<T> {
    client: Client,
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Body>,
    expected_status: Option<u16>,
    /// Other success statuses documented for the same request (another page's).
    also_status: Vec<u16>,
    error: Option<Error>,
    // `fn() -> T` keeps the request Send + Sync whatever `T` is: no `T` is stored.
    response: PhantomData<fn() -> T>,
}

/// What a request sends.
pub(super) enum Body {
    /// Serialized JSON.
    Json(Bytes),
    /// Raw content with its type.
    Raw(RawBody),
}

/// A request's parts, for sending it some other way than on its own: as an
/// item of a `$batch`.
pub(super) struct Parts {
    pub(super) client: Client,
    pub(super) method: Method,
    /// The full URL, as [`Request::url`] builds it.
    pub(super) url: Url,
    /// The request's own headers, without the client's defaults.
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Body>,
    pub(super) expected_status: Option<u16>,
    pub(super) also_status: Vec<u16>,
}

/// What a request for a link the service sent keeps from the first request.
#[derive(Clone)]
pub(super) struct LinkTemplate {
    client: Client,
    headers: HeaderMap,
    expected_status: Option<u16>,
}

impl LinkTemplate {
    /// A GET of `link` (an absolute URL, query included).
    pub(super) fn with_link<T>(&self, link: String) -> Request<T> {
        let mut request = Request::new(self.client.clone(), Method::GET, Target::Link(link));
        request.headers = self.headers.clone();
        request.expected_status = self.expected_status;
        request
    }
}

/// Where a request goes.
#[derive(Debug)]
pub(super) enum Target {
    /// An encoded path relative to the client's base URL.
    Path(String),
    /// An absolute URL sent by the service, such as `@odata.nextLink`.
    Link(String),
    /// An absolute URL on any origin that the service pointed at: a
    /// long-running operation's monitor, or the resource it made. The token
    /// still only goes to the base origin ([`bearer::authorization`] decides).
    Service(Url),
}

impl<T> Request<T> {
    pub(super) fn new(client: Client, method: Method, target: Target) -> Self {
        Request {
            client,
            method,
            target,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            expected_status: None,
            also_status: Vec::new(),
            error: None,
            response: PhantomData,
        }
    }

    /// Sets the success status that the operation documents (such as 201 for
    /// a create). Any other 2xx status then fails with
    /// [`Error::UnexpectedStatus`]; without it, every 2xx status is accepted.
    pub fn expect_status(mut self, status: u16) -> Self {
        self.expected_status = Some(status);
        self
    }

    /// Accepts `statuses` as well as the one [`expect_status`](Self::expect_status)
    /// set: several pages document the request, each with its own status.
    pub fn also_accept_status(mut self, statuses: &[u16]) -> Self {
        self.also_status.extend_from_slice(statuses);
        self
    }

    /// The same request, answered by nothing: any body is ignored and `204
    /// No Content` is accepted besides the documented status. For writes
    /// sent with [`prefer_return_minimal`](Self::prefer_return_minimal),
    /// which the service answers with 204.
    pub fn ignore_response(self) -> Request<()> {
        let mut also_status = self.also_status;
        also_status.push(204);
        Request {
            client: self.client,
            method: self.method,
            target: self.target,
            query: self.query,
            headers: self.headers,
            body: self.body,
            expected_status: self.expected_status,
            also_status,
            error: self.error,
            response: PhantomData,
        }
    }

    /// Sends `body` as JSON with `Content-Type: application/json`.
    ///
    /// The body is serialized right away; a failure is returned by
    /// [`send`](Self::send) as [`Error::Serialize`]. A property that a
    /// model's `with_null` nulled and that was set again afterwards is sent
    /// once, with its value (see [`Property`](super::Property)).
    pub fn json_body<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                let bytes = null_members::value_over_null(bytes);
                self.body = Some(Body::Json(Bytes::from(bytes)));
            }
            Err(err) => self.fail(Error::Serialize(err)),
        }
        self
    }

    /// Sends `body`, raw content (a file's bytes, a photo), with its
    /// `Content-Type`. Bytes are sent again when a throttled request is
    /// retried; a stream is sent once and never retried (see [`RawBody`]).
    pub fn raw_body(mut self, body: RawBody) -> Self {
        self.body = Some(Body::Raw(body));
        self
    }

    /// Appends the query parameter `name=value`. Both are given unencoded and
    /// percent-encoded when the URL is built; a leading `$` is kept literally.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_owned(), value.into()));
        self
    }

    /// Sets `$select` to the comma-separated `fields`. An empty list removes it.
    pub fn select<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set_list("$select", fields)
    }

    /// Sets `$expand` to the comma-separated `fields`. An empty list removes it.
    pub fn expand<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set_list("$expand", fields)
    }

    /// Sets `$filter`, e.g. `startswith(displayName,'a')`.
    pub fn filter(self, expr: impl Into<String>) -> Self {
        self.set("$filter", expr.into())
    }

    /// Sets `$orderby` to the comma-separated `fields`, each optionally
    /// followed by ` desc`. An empty list removes it.
    pub fn orderby<I, S>(self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.set_list("$orderby", fields)
    }

    /// Sets `$search`. Graph expects the expression in double quotes, e.g.
    /// `"displayName:contoso"`; pass them as part of `expr`.
    pub fn search(self, expr: impl Into<String>) -> Self {
        self.set("$search", expr.into())
    }

    /// Sets `$top`, the page size.
    pub fn top(self, n: u32) -> Self {
        self.set("$top", n.to_string())
    }

    /// Sets `$skip`.
    pub fn skip(self, n: u32) -> Self {
        self.set("$skip", n.to_string())
    }

    /// Sets `$count=true` or `$count=false`.
    pub fn count(self, yes: bool) -> Self {
        self.set("$count", yes.to_string())
    }

    /// Sets the request header `name` (such as `ConsistencyLevel: eventual`),
    /// replacing an earlier value, including the client's defaults.
    ///
    /// An explicit `Authorization` header replaces the client's token
    /// provider for this request. Invalid names or values are reported by
    /// [`send`](Self::send) as [`Error::InvalidRequest`].
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = match HeaderName::from_bytes(name.as_bytes()) {
            Ok(name) => name,
            Err(_) => {
                self.fail(Error::InvalidRequest(format!(
                    "invalid header name {name:?}"
                )));
                return self;
            }
        };
        match HeaderValue::from_str(value) {
            Ok(mut value) => {
                if is_secret(&name) {
                    value.set_sensitive(true);
                }
                self.headers.insert(name, value);
            }
            // The value may be a credential, so leave it out of the message.
            Err(_) => self.fail(Error::InvalidRequest(format!(
                "invalid value for header {name}"
            ))),
        }
        self
    }

    /// The value of the request header `name` set on this request (not the
    /// client's defaults), if any.
    pub fn header_value(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.get(name)
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The encoded path relative to the base URL, or the absolute link for
    /// requests made by [`Client::follow_link`] (and for the polls of an
    /// [`Operation`](super::Operation), its monitor's URL).
    pub fn path(&self) -> &str {
        match &self.target {
            Target::Path(path) | Target::Link(path) => path,
            Target::Service(url) => url.as_str(),
        }
    }

    /// The full URL that [`send`](Self::send) requests, query included.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] if the path does not start with `/`, has
    /// empty or dot (`.`, `..`) segments, or if a link is not on the base
    /// URL's scheme, host and port.
    pub fn url(&self) -> Result<Url, Error> {
        let mut url = match &self.target {
            Target::Path(path) => {
                check_relative_path(path).map_err(Error::InvalidRequest)?;
                let path = if path == "/" { "" } else { path };
                format!("{}{path}", self.client.base_url())
            }
            Target::Link(link) => {
                let parsed = Url::parse(link)
                    .map_err(|err| Error::InvalidRequest(format!("invalid link: {err}")))?;
                // The bearer token goes wherever the request goes, so only
                // follow links back to the service we were configured for.
                if parsed.origin() != *self.client.base_origin() {
                    return Err(Error::InvalidRequest(format!(
                        "refusing to follow a link to another origin than the base URL: {}",
                        parsed.origin().ascii_serialization()
                    )));
                }
                let mut link = String::from(parsed);
                if let Some(hash) = link.find('#') {
                    link.truncate(hash);
                }
                link
            }
            Target::Service(url) => {
                let mut url = url.clone();
                url.set_fragment(None);
                String::from(url)
            }
        };
        let mut separator = if url.contains('?') { '&' } else { '?' };
        for (name, value) in &self.query {
            url.push(separator);
            url.extend(utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(utf8_percent_encode(value, QUERY));
            separator = '&';
        }
        Url::parse(&url).map_err(|err| Error::InvalidRequest(format!("invalid URL {url:?}: {err}")))
    }

    fn set(mut self, name: &str, value: String) -> Self {
        self.query.retain(|(existing, _)| existing != name);
        self.query.push((name.to_owned(), value));
        self
    }

    fn set_list<I, S>(mut self, name: &str, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut joined = String::new();
        for field in fields {
            if !joined.is_empty() {
                joined.push(',');
            }
            joined.push_str(field.as_ref());
        }
        if joined.is_empty() {
            self.query.retain(|(existing, _)| existing != name);
            self
        } else {
            self.set(name, joined)
        }
    }

    /// A request like this one (client, headers, expected status) for links
    /// the service sends, such as `@odata.nextLink`; see [`Self::with_link`].
    pub(super) fn link_template(&self) -> LinkTemplate {
        LinkTemplate {
            client: self.client.clone(),
            headers: self.headers.clone(),
            expected_status: self.expected_status,
        }
    }

    /// The client the request is sent with.
    pub(super) fn client(&self) -> &Client {
        &self.client
    }

    /// The client's [`max_response_bytes`](super::ClientBuilder::max_response_bytes).
    pub(super) fn client_max_response_bytes(&self) -> usize {
        self.client.inner().max_response_bytes
    }

    /// The request taken apart for a `$batch` item (see `batch_wire.rs`),
    /// or the first problem kept while building it, or one of [`url`](Self::url).
    pub(super) fn into_parts(mut self) -> Result<Parts, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let url = self.url()?;
        Ok(Parts {
            client: self.client,
            method: self.method,
            url,
            headers: self.headers,
            body: self.body,
            expected_status: self.expected_status,
            also_status: self.also_status,
        })
    }

    /// Keeps the first problem: later ones are usually caused by it.
    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }
}

impl<T> Request<T> {
    /// Sends the request and returns the response once its status is the
    /// expected success, its body unread: what [`send`](Self::send) decodes
    /// as JSON and what a [`Download`](super::Download) streams.
    ///
    /// Throttled and unavailable answers, and connections that could not be
    /// made, are retried as the client's policy says, all before any body is
    /// read, and only when the request body can be sent again (JSON and
    /// [`RawBody::from_bytes`] can, a streamed [`RawBody`] cannot). Errors
    /// are those of [`send`](Self::send) but [`Error::Decode`].
    pub(super) async fn execute(
        mut self,
        accept: &'static str,
    ) -> Result<reqwest::Response, Error> {
        let response = self.dispatch(accept).await?;
        let inner = self.client.inner();
        let status = response.status().as_u16();
        if !(200..=299).contains(&status) {
            let response_headers = response.headers().clone();
            let bytes = read_body(response, inner.max_response_bytes).await?;
            return Err(Error::Api(Box::new(ApiError::from_response(
                status,
                &response_headers,
                &bytes,
            ))));
        }
        if let Some(expected) = self.expected_status
            && expected != status
            && !self.also_status.contains(&status)
        {
            let bytes = read_body(response, inner.max_response_bytes).await?;
            return Err(Error::UnexpectedStatus {
                status,
                expected,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
        Ok(response)
    }

    /// Sends the request, retrying as [`execute`](Self::execute) does, and
    /// returns the last response whatever its status: an operation monitor
    /// tells a redirect it could not follow (a `401` on the Graph host,
    /// reached without the token) from an error of its own.
    pub(super) async fn dispatch(
        &mut self,
        accept: &'static str,
    ) -> Result<reqwest::Response, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let url = self.url()?;
        let inner = self.client.inner();

        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(accept));
        headers.insert(header::USER_AGENT, inner.user_agent.clone());
        match &self.body {
            Some(Body::Json(_)) => {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
            }
            Some(Body::Raw(raw)) => {
                let content_type = HeaderValue::from_str(raw.content_type()).map_err(|_| {
                    Error::InvalidRequest(format!(
                        "invalid content type {:?} for a raw body",
                        raw.content_type()
                    ))
                })?;
                headers.insert(header::CONTENT_TYPE, content_type);
                // reqwest knows the length of bytes, not of a stream: say it,
                // so the body is not sent chunked (Graph's uploads want a length).
                if !raw.is_repeatable()
                    && let Some(length) = raw.length()
                {
                    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
                }
            }
            None => {}
        }
        let mut our_token = false;
        if let Some(value) = bearer::authorization(inner, &url, &self.headers).await? {
            headers.insert(header::AUTHORIZATION, value);
            our_token = true;
        }
        // Per-request headers win over the defaults above.
        for (name, value) in std::mem::take(&mut self.headers) {
            if let Some(name) = name {
                headers.insert(name, value);
            }
        }

        // Throttled and unavailable answers are retried (see RetryPolicy);
        // a body in memory is kept so every attempt sends the same bytes.
        let started = Instant::now();
        let mut retry = 0;
        let mut challenged = false;
        let response = loop {
            let mut builder = inner
                .http
                .request(self.method.clone(), url.clone())
                .headers(headers.clone());
            if let Some(timeout) = inner.timeout {
                builder = builder.timeout(timeout);
            }
            let repeatable = match &mut self.body {
                Some(Body::Json(body)) => {
                    builder = builder.body(body.clone());
                    true
                }
                Some(Body::Raw(raw)) => {
                    let Some(body) = raw.for_attempt() else {
                        return Err(Error::InvalidRequest(
                            "a streamed body cannot be sent twice".to_owned(),
                        ));
                    };
                    builder = builder.body(body);
                    raw.is_repeatable()
                }
                None => true,
            };
            let response = match builder.send().await {
                Ok(response) => response,
                // Nothing was sent when the connection could not be made (but
                // a streamed body was handed over and is gone).
                Err(err) if err.is_connect() && repeatable => {
                    match inner.retry.wait(retry, None, started.elapsed()) {
                        Some(wait) => {
                            tokio::time::sleep(wait).await;
                            retry += 1;
                            continue;
                        }
                        None => return Err(Error::Transport(err)),
                    }
                }
                Err(err) => return Err(Error::Transport(err)),
            };
            let status = response.status().as_u16();
            // A claims challenge is answered once with a token for those
            // claims; a second 401 is the answer (as is the first, for a
            // streamed body, which cannot be sent again).
            if status == 401 && our_token && !challenged && repeatable {
                challenged = true;
                if let Some(value) =
                    bearer::answer_claims_challenge(inner, response.headers()).await?
                {
                    headers.insert(header::AUTHORIZATION, value);
                    continue;
                }
            }
            if repeatable && retry::retryable(status) {
                let asked = retry::retry_after(response.headers(), SystemTime::now());
                if let Some(wait) = inner.retry.wait(retry, asked, started.elapsed()) {
                    // Drop the body unread: the answer is not the one we want.
                    drop(response);
                    tokio::time::sleep(wait).await;
                    retry += 1;
                    continue;
                }
            }
            break response;
        };
        Ok(response)
    }
}

impl<T: DeserializeOwned> Request<T> {
    /// Sends the request and decodes the JSON response into `T`.
    ///
    /// Sends `Authorization: Bearer <token>` when the client has a token
    /// provider (and the request no explicit `Authorization` header); a
    /// `401` with a claims challenge is sent once more with a token for
    /// those claims if the provider can get one
    /// ([`TokenProvider::token_for_claims`](super::TokenProvider::token_for_claims)),
    /// `Accept: application/json`, the client's `User-Agent`, and
    /// `Content-Type: application/json` with a body.
    ///
    /// An empty (or all-whitespace) body decodes like JSON `null`, so `T = ()`
    /// fits `204 No Content` while a struct `T` yields [`Error::Decode`].
    /// With `T = ()` any body is ignored.
    ///
    /// # Errors
    ///
    /// - [`Error::Serialize`] or [`Error::InvalidRequest`] for problems kept
    ///   while building the request, and those of [`url`](Self::url);
    /// - [`Error::Token`] or [`Error::SignIn`] if the token provider fails,
    ///   also when asked for a token to answer a claims challenge;
    /// - [`Error::Transport`] if no response could be received (a connection
    ///   that could not be made is retried as the client's
    ///   [`RetryPolicy`](super::RetryPolicy) says);
    /// - [`Error::ResponseTooLarge`] if the body is longer than the client allows;
    /// - [`Error::Api`] for a status outside `200..=299` (429, 503 and 504
    ///   only once the retry policy gives up);
    /// - [`Error::UnexpectedStatus`] for another 2xx status than the one set
    ///   with [`expect_status`](Self::expect_status);
    /// - [`Error::Decode`] if the body does not decode into `T`.
    pub async fn send(self) -> Result<T, Error> {
        let limit = self.client.inner().max_response_bytes;
        let response = self.execute("application/json").await?;
        let status = response.status().as_u16();
        let bytes = read_body(response, limit).await?;
        decode(status, &bytes)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Request<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secret header values are marked sensitive and print as "Sensitive".
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field(
                "body_len",
                &self.body.as_ref().and_then(|body| match body {
                    Body::Json(bytes) => Some(bytes.len() as u64),
                    Body::Raw(raw) => raw.length(),
                }),
            )
            .field("expected_status", &self.expected_status)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

fn is_secret(name: &HeaderName) -> bool {
    name == header::AUTHORIZATION || name == header::PROXY_AUTHORIZATION || name == header::COOKIE
}

/// Reads a response body, refusing one longer than `limit` bytes.
pub(super) async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let status = response.status().as_u16();
    let too_large = || Error::ResponseTooLarge { status, limit };
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Decodes a JSON body into `T` for [`Request::send`] and `$batch` items.
pub(super) fn decode<T: DeserializeOwned>(status: u16, bytes: &[u8]) -> Result<T, Error> {
    // An operation documented to return nothing (`T = ()`) ignores any body.
    let result = if bytes.trim_ascii().is_empty() || std::mem::size_of::<T>() == 0 {
        T::deserialize(serde_json::Value::Null)
    } else {
        super::from_json_body(bytes)
    };
    result.map_err(|source| Error::Decode {
        status,
        body: String::from_utf8_lossy(bytes).into_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn client() -> Client {
        Client::builder()
            .base_url("https://graph.example/v1.0/")
            .build()
            .expect("valid client")
    }

    #[test]
    fn builds_odata_query() {
        let request = client()
            .request::<()>(Method::GET, "/users")
            .filter(
                "startswith(displayName,'a b') and createdDateTime ge 2024-01-01T00:00:00+01:00",
            )
            .select(["id", "displayName"])
            .orderby(["displayName desc"])
            .expand(Vec::<String>::new())
            .search("\"displayName:room\"")
            .top(5)
            .skip(10)
            .count(true)
            .query("x&y", "1=2#3");
        let url = request.url().expect("valid url");
        assert_eq!(
            url.as_str(),
            "https://graph.example/v1.0/users\
             ?$filter=startswith(displayName,%27a%20b%27)%20and%20createdDateTime%20ge%202024-01-01T00:00:00%2B01:00\
             &$select=id,displayName\
             &$orderby=displayName%20desc\
             &$search=%22displayName:room%22\
             &$top=5&$skip=10&$count=true\
             &x%26y=1%3D2%233"
        );
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs[0],
            (
                "$filter".to_owned(),
                "startswith(displayName,'a b') and createdDateTime ge 2024-01-01T00:00:00+01:00"
                    .to_owned()
            )
        );
        assert_eq!(pairs.last(), Some(&("x&y".to_owned(), "1=2#3".to_owned())));
    }

    #[test]
    fn system_options_replace_earlier_values() {
        let request = client()
            .request::<()>(Method::GET, "/me")
            .select(["id"])
            .top(1)
            .select(["mail"])
            .top(2)
            .select(Vec::<&str>::new());
        assert_eq!(
            request.url().expect("valid url").as_str(),
            "https://graph.example/v1.0/me?$top=2"
        );
    }

    #[test]
    fn rejects_paths_that_escape_their_segment() {
        let client = client();
        for path in ["/users/../me", "/users//x", "users", "/users/%2e%2E"] {
            let err = client.request::<()>(Method::GET, path).url().unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{path}: {err:?}");
        }
        let url = client.request::<()>(Method::GET, "/").url().expect("root");
        assert_eq!(url.as_str(), "https://graph.example/v1.0");
    }

    #[test]
    fn links_must_stay_on_the_base_origin() {
        let client = client();
        let next = "https://graph.example/v1.0/users?$skiptoken=X%27Y#frag";
        let url = client
            .follow_link::<()>(next)
            .top(3)
            .url()
            .expect("same origin");
        assert_eq!(
            url.as_str(),
            "https://graph.example/v1.0/users?$skiptoken=X%27Y&$top=3"
        );

        for foreign in [
            "https://evil.example/v1.0/users",
            "http://graph.example/v1.0/users",
            "https://graph.example:8443/v1.0/users",
            "not a url",
        ] {
            let err = client.follow_link::<()>(foreign).url().unwrap_err();
            assert!(
                matches!(err, Error::InvalidRequest(_)),
                "{foreign}: {err:?}"
            );
        }
    }

    #[test]
    fn header_errors_are_kept_and_hide_values() {
        let request = client()
            .request::<()>(Method::GET, "/me")
            .header("bad name", "x")
            .header("Authorization", "Bearer \n secret");
        match request.error {
            Some(Error::InvalidRequest(message)) => assert!(message.contains("bad name")),
            other => panic!("unexpected {other:?}"),
        }
        let request = client()
            .request::<()>(Method::GET, "/me")
            .header("Authorization", "Bearer \n secret");
        let shown = format!("{request:?}");
        assert!(!shown.contains("secret"), "{shown}");

        let request = client()
            .request::<()>(Method::GET, "/me")
            .header("Authorization", "Bearer top-secret");
        let shown = format!("{request:?}");
        assert!(!shown.contains("top-secret"), "{shown}");
    }

    #[test]
    fn serialization_errors_are_kept() {
        let mut map = std::collections::BTreeMap::new();
        map.insert(vec![1u8], 1u8);
        let request = client().request::<()>(Method::POST, "/x").json_body(&map);
        assert!(matches!(request.error, Some(Error::Serialize(_))));
    }

    #[test]
    fn decodes_empty_bodies_as_null() {
        #[derive(Debug, Deserialize)]
        struct User {
            #[allow(dead_code)]
            id: String,
        }
        assert!(decode::<()>(204, b"").is_ok());
        assert!(decode::<()>(200, b" \r\n\t").is_ok());
        assert_eq!(decode::<Option<u8>>(200, b"").ok(), Some(None));
        assert!(matches!(
            decode::<User>(200, b""),
            Err(Error::Decode { status: 200, .. })
        ));
        match decode::<User>(201, b"{\"id\": 1}") {
            Err(Error::Decode { status, body, .. }) => {
                assert_eq!(status, 201);
                assert_eq!(body, "{\"id\": 1}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
