//! Requests to an upload session's URL: PUT a slice, GET the status,
//! DELETE to cancel, each answer sorted into what the caller should do.
//!
//! The URL is pre-authenticated and on another host than Graph, so these
//! requests never carry the client's token (the service may even refuse one
//! with 401), and no error message quotes the URL.

use std::ops::Range;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{self, HeaderValue};
use serde::Deserialize;
use url::Url;

use super::client::Client;
use super::error::{ApiError, Error};
use super::request::read_body;
use super::retry::{self, RetryPolicy};
use super::upload_error::UploadError;
use super::upload_ranges::{self, ByteRange};

/// What an upload session says about itself (`GET` on its URL).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadStatus {
    /// The ranges the session still needs, as listed (the service does not
    /// always list every missing range).
    pub next_expected_ranges: Vec<ByteRange>,
    /// When the session expires, as sent (ISO 8601), if it said.
    pub expiration_date_time: Option<String>,
}

/// Asks an upload session which byte ranges it still needs.
///
/// Throttled and unavailable answers and dropped connections are retried as
/// the client's [`RetryPolicy`] says.
///
/// # Errors
///
/// [`UploadError::SessionExpired`] when the session does not exist;
/// [`UploadError::InvalidUrl`], [`UploadError::Protocol`] for ranges that are
/// not ranges; otherwise as [`Request::send`](super::Request::send).
pub async fn upload_status(client: &Client, upload_url: &str) -> Result<UploadStatus, Error> {
    let session = Session::new(client, upload_url)?;
    let policy = client.inner().retry.clone();
    let mut streak = Streak::default();
    loop {
        match session.status().await {
            Outcome::Done(status) => return Ok(status),
            Outcome::Transient(cause, asked) => streak.fail(&policy, asked, cause).await?,
            Outcome::Gone(api) => return Err(UploadError::SessionExpired(api).into()),
            Outcome::Fatal(err) => return Err(err),
        }
    }
}

/// Cancels an upload session (`DELETE` on its URL): the service drops the
/// bytes it holds. To stop an upload in progress, drop its
/// [`UploadTask`](super::UploadTask) future first, then cancel.
///
/// Throttled and unavailable answers and dropped connections are retried as
/// the client's [`RetryPolicy`] says.
///
/// # Errors
///
/// [`UploadError::SessionExpired`] when the session does not exist (any
/// more); [`UploadError::InvalidUrl`]; otherwise as
/// [`Request::send`](super::Request::send).
pub async fn cancel_upload(client: &Client, upload_url: &str) -> Result<(), Error> {
    let session = Session::new(client, upload_url)?;
    let policy = client.inner().retry.clone();
    let mut streak = Streak::default();
    loop {
        match session.exchange(Method::DELETE, None).await {
            Outcome::Done(_) => return Ok(()),
            Outcome::Transient(cause, asked) => streak.fail(&policy, asked, cause).await?,
            Outcome::Gone(api) => return Err(UploadError::SessionExpired(api).into()),
            Outcome::Fatal(err) => return Err(err),
        }
    }
}

/// How one request to the session ended.
pub(super) enum Outcome<T> {
    /// The answer the caller wanted.
    Done(T),
    /// Worth asking again after `asked` (the service's `Retry-After`), or
    /// after backing off when `None`: a dropped connection, 429, 5xx, a 416
    /// or an answer that does not make sense (`Some(ZERO)`: ask the session
    /// for its ranges at once).
    Transient(Error, Option<Duration>),
    /// 404: the session does not exist.
    Gone(Box<ApiError>),
    /// Anything else: retrying would not help.
    Fatal(Error),
}

/// What a slice's PUT was answered with.
pub(super) enum Put {
    /// 202: the ranges still missing, as half-open ranges within the file.
    Accepted(Vec<Range<u64>>),
    /// 200 or 201: the upload is complete, with the item's JSON.
    Completed { status: u16, body: Vec<u8> },
}

/// An answer as received.
struct Answer {
    status: u16,
    body: Vec<u8>,
}

/// An upload session's URL and the client whose connections, timeout and
/// response limit its requests use.
pub(super) struct Session<'c> {
    client: &'c Client,
    url: Url,
}

impl<'c> Session<'c> {
    /// # Errors
    ///
    /// [`UploadError::InvalidUrl`] unless `url` is an absolute `http` or
    /// `https` URL without credentials.
    pub(super) fn new(client: &'c Client, url: &str) -> Result<Self, Error> {
        // The URL is a credential: describe what is wrong, never quote it.
        let invalid = |why: &str| Error::from(UploadError::InvalidUrl(why.to_owned()));
        let mut url = Url::parse(url).map_err(|err| invalid(&err.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not contain credentials"));
        }
        url.set_fragment(None);
        Ok(Session { client, url })
    }

    /// The host of the URL, for `Debug` output that must not show the URL.
    pub(super) fn host(url: &str) -> Option<String> {
        Url::parse(url).ok()?.host_str().map(str::to_owned)
    }

    /// PUTs `body` as bytes `range` of a file of `total` bytes.
    pub(super) async fn put(&self, range: &Range<u64>, total: u64, body: Bytes) -> Outcome<Put> {
        let answer = match self.exchange(Method::PUT, Some((range, total, body))).await {
            Outcome::Done(answer) => answer,
            Outcome::Transient(err, asked) => return Outcome::Transient(err, asked),
            Outcome::Gone(api) => return Outcome::Gone(api),
            Outcome::Fatal(err) => return Outcome::Fatal(err),
        };
        match answer.status {
            200 | 201 => Outcome::Done(Put::Completed {
                status: answer.status,
                body: answer.body,
            }),
            202 => match read_ranges(&answer.body, total) {
                Ok(Some(missing)) => Outcome::Done(Put::Accepted(missing)),
                // An acknowledgement without its ranges: ask the session.
                Ok(None) => Outcome::Transient(
                    protocol("the session answered 202 without nextExpectedRanges"),
                    Some(Duration::ZERO),
                ),
                Err(err) => Outcome::Transient(err, Some(Duration::ZERO)),
            },
            other => Outcome::Transient(
                protocol(&format!("unexpected HTTP {other} to a slice")),
                Some(Duration::ZERO),
            ),
        }
    }

    /// GETs the session's status.
    pub(super) async fn status(&self) -> Outcome<UploadStatus> {
        let answer = match self.exchange(Method::GET, None).await {
            Outcome::Done(answer) => answer,
            Outcome::Transient(err, asked) => return Outcome::Transient(err, asked),
            Outcome::Gone(api) => return Outcome::Gone(api),
            Outcome::Fatal(err) => return Outcome::Fatal(err),
        };
        let body: SessionBody = match serde_json::from_slice(&answer.body) {
            Ok(body) => body,
            Err(source) => {
                return Outcome::Fatal(Error::Decode {
                    status: answer.status,
                    body: String::from_utf8_lossy(&answer.body).into_owned(),
                    source,
                });
            }
        };
        match upload_ranges::parse_all(&body.next_expected_ranges.unwrap_or_default()) {
            Ok(ranges) => Outcome::Done(UploadStatus {
                next_expected_ranges: ranges,
                expiration_date_time: body.expiration_date_time,
            }),
            Err(why) => Outcome::Fatal(protocol(&why)),
        }
    }

    /// Sends one request to the session, with `Content-Range` and
    /// `Content-Length` for a slice, and sorts the answer.
    async fn exchange(
        &self,
        method: Method,
        slice: Option<(&Range<u64>, u64, Bytes)>,
    ) -> Outcome<Answer> {
        let inner = self.client.inner();
        // Built here rather than through `Request`, which would add the token.
        let mut builder = inner
            .http
            .request(method, self.url.clone())
            .header(header::USER_AGENT, inner.user_agent.clone())
            .header(header::ACCEPT, HeaderValue::from_static("application/json"));
        if let Some(timeout) = inner.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some((range, total, body)) = slice {
            // `range` is non-empty: the task never sends an empty slice.
            let last = range.end.saturating_sub(1);
            builder = builder
                .header(
                    header::CONTENT_RANGE,
                    format!("bytes {}-{last}/{total}", range.start),
                )
                .header(header::CONTENT_LENGTH, body.len())
                .body(body);
        }
        let response = match builder.send().await {
            Ok(response) => response,
            // Reset, refused, timed out, cut mid-body: the session may or may
            // not have the slice, which its status will tell.
            Err(err) => return Outcome::Transient(Error::Transport(err.without_url()), None),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match read_body(response, inner.max_response_bytes).await {
            Ok(body) => body,
            // The URL is the session's secret: keep it out of the error.
            Err(Error::Transport(err)) => {
                return Outcome::Transient(Error::Transport(err.without_url()), None);
            }
            Err(err) => return Outcome::Fatal(err),
        };
        if (200..=299).contains(&status) {
            return Outcome::Done(Answer { status, body });
        }
        let api = Box::new(ApiError::from_response(status, &headers, &body));
        match status {
            404 => Outcome::Gone(api),
            // The slice overlaps what the session has, or is out of order:
            // its status says where to go on.
            416 => Outcome::Transient(Error::Api(api), Some(Duration::ZERO)),
            // The upload guidance retries every 5xx but 501 (never better).
            429 | 500 | 502 | 503 | 504 => Outcome::Transient(
                Error::Api(api),
                retry::retry_after(&headers, SystemTime::now()),
            ),
            _ => Outcome::Fatal(Error::Api(api)),
        }
    }
}

/// Failures in a row, without progress in between, bounded by a
/// [`RetryPolicy`]: each one waits (backing off, or as the service asked),
/// until the policy gives up and the last failure is the error.
#[derive(Default)]
pub(super) struct Streak {
    failures: u32,
    since: Option<Instant>,
}

impl Streak {
    /// Waits before the next attempt, or returns `cause` when the policy
    /// allows no more.
    pub(super) async fn fail(
        &mut self,
        policy: &RetryPolicy,
        asked: Option<Duration>,
        cause: Error,
    ) -> Result<(), Error> {
        let since = *self.since.get_or_insert_with(Instant::now);
        match policy.wait(self.failures, asked, since.elapsed()) {
            Some(wait) => {
                self.failures += 1;
                tokio::time::sleep(wait).await;
                Ok(())
            }
            None => Err(cause),
        }
    }

    /// The session took a slice: the next failure starts a new streak.
    pub(super) fn reset(&mut self) {
        *self = Streak::default();
    }
}

/// The JSON of an upload session, as the status and 202 answers send it.
#[derive(Deserialize)]
struct SessionBody {
    #[serde(rename = "nextExpectedRanges", default)]
    next_expected_ranges: Option<Vec<String>>,
    #[serde(rename = "expirationDateTime", default)]
    expiration_date_time: Option<String>,
}

/// The missing ranges a 202 answer lists; `None` when it lists none.
fn read_ranges(body: &[u8], total: u64) -> Result<Option<Vec<Range<u64>>>, Error> {
    let body: SessionBody = serde_json::from_slice(body)
        .map_err(|err| protocol(&format!("unreadable answer to a slice: {err}")))?;
    let Some(texts) = body.next_expected_ranges else {
        return Ok(None);
    };
    let ranges = upload_ranges::parse_all(&texts).map_err(|why| protocol(&why))?;
    upload_ranges::missing(&ranges, total)
        .map(Some)
        .map_err(|why| protocol(&why))
}

pub(super) fn protocol(why: &str) -> Error {
    UploadError::Protocol(why.to_owned()).into()
}

#[cfg(test)]
// Lists of one missing range are what the tests mean, not a mistyped array.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn client() -> Client {
        Client::builder().build().expect("client")
    }

    #[test]
    fn upload_urls_are_checked_without_being_quoted() {
        let client = client();
        assert!(Session::new(&client, "https://sn3302.up.1drv.com/up/fe6987415ace7X4e1#x").is_ok());
        for bad in [
            "",
            "/up/secret-token",
            "ftp://host/secret-token",
            "https://user:secret-token@host/up",
        ] {
            match Session::new(&client, bad) {
                Err(Error::Upload(UploadError::InvalidUrl(why))) => {
                    assert!(!why.contains("secret-token"), "{why}")
                }
                Err(other) => panic!("{bad:?}: unexpected {other:?}"),
                Ok(_) => panic!("{bad:?} was accepted"),
            }
        }
        assert_eq!(
            Session::host("https://sn3302.up.1drv.com/up/x").as_deref(),
            Some("sn3302.up.1drv.com")
        );
        assert_eq!(Session::host("nonsense"), None);
    }

    #[test]
    fn acknowledgements_give_the_missing_ranges() {
        let ranges = |body: &str| read_ranges(body.as_bytes(), 1000);
        assert_eq!(
            ranges(
                r#"{"expirationDateTime":"2015-01-29T09:21:55.523Z","nextExpectedRanges":["26-"]}"#
            )
            .ok(),
            Some(Some(vec![26..1000]))
        );
        assert_eq!(
            ranges(r#"{"nextExpectedRanges":["500-599","100-199"]}"#).ok(),
            Some(Some(vec![100..200, 500..600]))
        );
        assert_eq!(
            ranges(r#"{"nextExpectedRanges":[]}"#).ok(),
            Some(Some(vec![]))
        );
        assert_eq!(ranges("{}").ok(), Some(None));
        for bad in [
            "",
            "42",
            "not json",
            r#"{"nextExpectedRanges":"26-"}"#,
            r#"{"nextExpectedRanges":[26]}"#,
            r#"{"nextExpectedRanges":["x"]}"#,
            r#"{"nextExpectedRanges":["990-1000"]}"#,
        ] {
            assert!(
                matches!(ranges(bad), Err(Error::Upload(UploadError::Protocol(_)))),
                "{bad:?}"
            );
        }
    }
}
