//! Long-running operations: a request the service answers with
//! `202 Accepted` and a monitor to poll (`Location` or `Operation-Location`)
//! instead of its result.
//!
//! ```ignore
//! let mut op = client.request::<Accepted<DriveItem>>(Method::POST, path)
//!     .json_body(&body)
//!     .expect_status(202)
//!     .start()
//!     .await?;
//! let copied: Option<DriveItem> = op.wait().await?;
//! ```

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use reqwest::header::{HeaderMap, LOCATION};
use serde::de::DeserializeOwned;
use url::Url;

use super::client::Client;
use super::error::{ApiError, Error};
use super::operation_error::OperationError;
use super::operation_status::{OperationState, OperationStatus};
use super::request::{Request, Target, read_body};
use super::retry;

/// The longest an [`Operation::wait`] waits unless told otherwise
/// ([`Operation::max_wait`]): 10 minutes, which covers a team clone or a
/// folder copy; a longer job can be waited for again or polled by hand.
pub const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(600);

/// The first wait between two polls when the monitor gives no `Retry-After`.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The longest wait between two polls without a `Retry-After`: the wait
/// doubles from [`DEFAULT_POLL_INTERVAL`] up to this.
pub const DEFAULT_MAX_POLL_INTERVAL: Duration = Duration::from_secs(30);

/// The response type of a long-running request: a `Request<Accepted<T>>`
/// is sent with [`start`](Request::start), which answers the [`Operation`]
/// to wait for, whose result is a `T`.
///
/// It is only a marker and has no values. Why `start()` and not `.await`:
/// a second `IntoFuture` impl beside that of `Request<T: DeserializeOwned>`
/// would stop every `let user: User = client.request(…).await?` from
/// inferring its `T` (see [`Content`](super::Content)).
pub struct Accepted<T> {
    never: Infallible,
    resource: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Accepted<T> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.never {}
    }
}

impl<T> Request<Accepted<T>> {
    /// Sends the request and returns the [`Operation`] its `202 Accepted`
    /// names, to [`wait`](Operation::wait) for or [`poll`](Operation::poll).
    ///
    /// The monitor is the `Operation-Location` header, else `Location`: an
    /// absolute URL, or a path relative to the base URL
    /// (`/teams('x')/operations('y')` on `https://graph.microsoft.com/v1.0`
    /// is `https://graph.microsoft.com/v1.0/teams('x')/operations('y')`; a
    /// path that repeats the base path, `/v1.0/…`, is not doubled).
    ///
    /// # Errors
    ///
    /// As [`Request::send`], and [`Error::Operation`] with
    /// [`OperationError::NoMonitor`] when the answer names no monitor.
    pub async fn start(self) -> Result<Operation<T>, Error> {
        let client = self.client().clone();
        let limit = self.client_max_response_bytes();
        let response = self.execute("application/json").await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        // The body is of no use (Graph sends none); reading it lets the
        // connection be reused, and a failure to read it changes nothing.
        let _ = read_body(response, limit).await;
        let monitor = monitor_header(&headers)
            .ok_or_else(|| "no Location or Operation-Location header".to_owned())
            .and_then(|value| resolve(&client, value))
            .map_err(|reason| {
                Error::Operation(Box::new(OperationError::NoMonitor { status, reason }))
            })?;
        Ok(Operation {
            client,
            monitor,
            first_wait: retry::retry_after(&headers, SystemTime::now()),
            interval: DEFAULT_POLL_INTERVAL,
            max_interval: DEFAULT_MAX_POLL_INTERVAL,
            max_wait: DEFAULT_MAX_WAIT,
            last: None,
            resource: PhantomData,
        })
    }
}

/// A long-running operation the service accepted: its monitor, polled with
/// the client's HTTP client, timeouts, retry policy (429, 503 and 504 are
/// retried on each poll) and response size limit.
///
/// A monitor on the base URL's origin is sent the token; one elsewhere (the
/// pre-authenticated SharePoint monitor of a OneDrive copy) is not, nor is
/// anything it redirects to.
#[must_use = "an Operation does nothing until it is polled or waited for"]
pub struct Operation<T> {
    client: Client,
    monitor: Url,
    /// The `Retry-After` of the `202 Accepted`: the wait before the first poll.
    first_wait: Option<Duration>,
    interval: Duration,
    max_interval: Duration,
    max_wait: Duration,
    last: Option<OperationStatus>,
    resource: PhantomData<fn() -> T>,
}

impl<T> Operation<T> {
    /// The monitor's URL. It may be pre-authenticated: treat it as a secret.
    pub fn monitor_url(&self) -> &Url {
        &self.monitor
    }

    /// The monitor's last answer, `None` before the first poll.
    pub fn last_status(&self) -> Option<&OperationStatus> {
        self.last.as_ref()
    }

    /// Waits `first` between the first two polls, doubling up to `max`,
    /// when the monitor gives no `Retry-After` (which is honoured as sent).
    /// The defaults are [`DEFAULT_POLL_INTERVAL`] and [`DEFAULT_MAX_POLL_INTERVAL`].
    pub fn poll_interval(mut self, first: Duration, max: Duration) -> Self {
        self.interval = first;
        self.max_interval = max.max(first);
        self
    }

    /// The longest [`wait`](Self::wait) waits before failing with
    /// [`OperationError::TimedOut`]; [`DEFAULT_MAX_WAIT`] unless set.
    pub fn max_wait(mut self, bound: Duration) -> Self {
        self.max_wait = bound;
        self
    }

    /// Asks the monitor once where the operation stands.
    ///
    /// A monitor that redirects (`303 See Other`) to the result has
    /// succeeded, and the result's JSON is kept for [`resource`](Self::resource);
    /// a redirect to an answer with a `status` this runtime knows
    /// (`inProgress`, `completed`…) is a monitor that moved, read as one.
    /// A redirect to the base URL's origin answered `401` (followed without
    /// the token from a monitor elsewhere) also has: the result is fetched
    /// with the token later.
    ///
    /// # Errors
    ///
    /// As [`Request::send`]: [`Error::Api`] for an error status,
    /// [`Error::Decode`] for an answer that is not a monitor's JSON object
    /// with a `status`.
    pub async fn poll(&mut self) -> Result<OperationStatus, Error> {
        let mut request: Request<()> = Request::new(
            self.client.clone(),
            Method::GET,
            Target::Service(self.monitor.clone()),
        );
        let response = request.dispatch("application/json").await?;
        let limit = self.client.inner().max_response_bytes;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let reached = response.url().clone();
        let success = (200..=299).contains(&status);
        let redirected = !same_resource(&reached, &self.monitor);
        let answer = if redirected && success {
            let bytes = read_body(response, limit).await?;
            let retry_after = retry::retry_after(&headers, SystemTime::now());
            // A monitor that moved (redirects to another monitor) answers
            // with a status this runtime knows; anything else a redirect
            // leads to is the result.
            if let Ok(moved) = OperationStatus::from_monitor(status, retry_after, &bytes)
                && moved.state != OperationState::Unknown
                && !bytes.trim_ascii().is_empty()
            {
                self.last = Some(moved.clone());
                return Ok(moved);
            }
            let resource = if bytes.trim_ascii().is_empty() {
                None
            } else {
                Some(
                    super::from_json_body(&bytes).map_err(|source| Error::Decode {
                        status,
                        body: String::from_utf8_lossy(&bytes).into_owned(),
                        source,
                    })?,
                )
            };
            OperationStatus::redirected(status, reached.into(), resource)
        } else if redirected && status == 401 && reached.origin() == *self.client.base_origin() {
            OperationStatus::redirected(status, reached.into(), None)
        } else if success {
            let bytes = read_body(response, limit).await?;
            let retry_after = retry::retry_after(&headers, SystemTime::now());
            OperationStatus::from_monitor(status, retry_after, &bytes)?
        } else {
            let bytes = read_body(response, limit).await?;
            return Err(Error::Api(Box::new(ApiError::from_response(
                status, &headers, &bytes,
            ))));
        };
        self.last = Some(answer.clone());
        Ok(answer)
    }

    /// Polls until the operation ends and returns the monitor's last answer:
    /// waiting the `Retry-After` of the `202` before the first poll, then
    /// each answer's `Retry-After`, else the [poll interval](Self::poll_interval),
    /// for at most [`max_wait`](Self::max_wait) (the last poll is made when
    /// it runs out).
    ///
    /// # Errors
    ///
    /// As [`poll`](Self::poll); [`Error::Operation`] with
    /// [`OperationError::Failed`] when the monitor says the operation failed
    /// (with its `error`'s code and message), or with
    /// [`OperationError::TimedOut`] when it had not ended in time (it may
    /// still end: calling this again waits anew).
    pub async fn wait_status(&mut self) -> Result<OperationStatus, Error> {
        let started = Instant::now();
        if let Some(wait) = self.first_wait.take() {
            tokio::time::sleep(wait.min(self.max_wait)).await;
        }
        let mut interval = self.interval;
        loop {
            let status = self.poll().await?;
            match status.state {
                OperationState::Succeeded => return Ok(status),
                OperationState::Failed => {
                    return Err(Error::Operation(Box::new(OperationError::Failed {
                        monitor: shown(&self.monitor),
                        code: status.error_code,
                        message: status.error_message,
                        raw: status.raw,
                    })));
                }
                _ => {}
            }
            let remaining = self.max_wait.saturating_sub(started.elapsed());
            if remaining.is_zero() {
                return Err(Error::Operation(Box::new(OperationError::TimedOut {
                    monitor: shown(&self.monitor),
                    waited: started.elapsed(),
                    last: Some(status.state),
                })));
            }
            // `Retry-After: 0` would make a busy loop of a slow operation.
            let wait = status
                .retry_after
                .filter(|asked| !asked.is_zero())
                .unwrap_or(interval);
            interval = interval.saturating_mul(2).min(self.max_interval);
            tokio::time::sleep(wait.min(remaining)).await;
        }
    }
}

impl<T: DeserializeOwned> Operation<T> {
    /// The result of a succeeded operation: the JSON a redirect led to, or
    /// the resource at the status's `resource_location` (fetched with the
    /// token only when it is on the base URL's origin). `None` when the
    /// monitor points at nothing (a OneDrive copy gives only the new item's
    /// `resource_id`), and for `T = ()`, which fetches nothing.
    ///
    /// # Errors
    ///
    /// As [`Request::send`] for the fetch; [`Error::Decode`] if the result
    /// is not a `T`; [`Error::InvalidRequest`] if its location is no URL.
    pub async fn resource(&self, status: &OperationStatus) -> Result<Option<T>, Error> {
        if std::mem::size_of::<T>() == 0 {
            return Ok(None);
        }
        if status.raw_is_resource {
            return T::deserialize(&status.raw)
                .map(Some)
                .map_err(|source| Error::Decode {
                    status: status.http_status,
                    body: status.raw.to_string(),
                    source,
                });
        }
        let Some(location) = &status.resource_location else {
            return Ok(None);
        };
        let url = resolve(&self.client, location).map_err(|why| {
            Error::InvalidRequest(format!("the operation's resource location: {why}"))
        })?;
        Request::<T>::new(self.client.clone(), Method::GET, Target::Service(url))
            .send()
            .await
            .map(Some)
    }

    /// Waits for the operation to end ([`wait_status`](Self::wait_status))
    /// and returns its [`resource`](Self::resource):
    /// `let copied: Option<DriveItem> = op.wait().await?`.
    ///
    /// # Errors
    ///
    /// Those of [`wait_status`](Self::wait_status) and [`resource`](Self::resource).
    pub async fn wait(mut self) -> Result<Option<T>, Error> {
        let status = self.wait_status().await?;
        self.resource(&status).await
    }
}

impl<T> fmt::Debug for Operation<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("monitor", &shown(&self.monitor))
            .field("last_state", &self.last.as_ref().map(|s| s.state))
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

/// The monitor an answer names: `Operation-Location` (printers, Azure's
/// convention for a status monitor), else `Location`.
fn monitor_header(headers: &HeaderMap) -> Option<&str> {
    ["operation-location", LOCATION.as_str()]
        .iter()
        .filter_map(|name| headers.get(*name))
        .filter_map(|value| value.to_str().ok())
        .map(str::trim)
        .find(|value| !value.is_empty())
}

/// An absolute `http`/`https` URL as given; a path relative to the client's
/// base URL (what Graph sends: relative to the version root), without
/// doubling a base path it repeats.
fn resolve(client: &Client, value: &str) -> Result<Url, String> {
    let value = value.trim();
    match Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => return Ok(url),
        Ok(url) => return Err(format!("unsupported scheme {:?}", url.scheme())),
        Err(url::ParseError::RelativeUrlWithoutBase) => {}
        Err(err) => return Err(format!("not a URL ({err})")),
    }
    let base = client.base_url();
    let base_url = Url::parse(base).map_err(|err| err.to_string())?;
    let base_path = base_url.path().trim_end_matches('/');
    let path = value.strip_prefix('/').unwrap_or(value);
    let repeats_base = !base_path.is_empty()
        && value
            .strip_prefix(base_path)
            .is_some_and(|rest| rest.starts_with('/'));
    let joined = if repeats_base {
        format!("{}{value}", base_url.origin().ascii_serialization())
    } else {
        format!("{base}/{path}")
    };
    let url = Url::parse(&joined).map_err(|err| format!("not a URL ({err})"))?;
    // A relative location stays on the service it came from.
    if url.origin() != *client.base_origin() {
        return Err("a relative location that leaves the base URL's origin".to_owned());
    }
    Ok(url)
}

/// Whether `reached` is `monitor` (no redirect happened), fragments aside.
fn same_resource(reached: &Url, monitor: &Url) -> bool {
    reached[..url::Position::AfterQuery] == monitor[..url::Position::AfterQuery]
}

/// The monitor for messages: scheme, host, port and path, not the query
/// (a pre-authenticated URL's secret would be there).
fn shown(url: &Url) -> String {
    url[..url::Position::AfterPath].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str) -> Client {
        Client::builder().base_url(base).build().expect("client")
    }

    #[test]
    fn resolves_relative_monitors_against_the_version_root() {
        let graph = client("https://graph.example/v1.0");
        let got = |value: &str| resolve(&graph, value).map(String::from);
        assert_eq!(
            got("/teams('x')/operations('y')").as_deref(),
            Ok("https://graph.example/v1.0/teams('x')/operations('y')")
        );
        assert_eq!(
            got("/v1.0/print/operations/1").as_deref(),
            Ok("https://graph.example/v1.0/print/operations/1")
        );
        assert_eq!(
            got("https://contoso.sharepoint.com/_api/v2.0/monitor/4A?x=1").as_deref(),
            Ok("https://contoso.sharepoint.com/_api/v2.0/monitor/4A?x=1")
        );
        // A scheme-relative or odd path stays on the base host.
        let odd = got("//evil.example/x").expect("resolved");
        assert!(odd.starts_with("https://graph.example/"), "{odd}");
        assert!(got("ftp://files.example/x").is_err());
        assert!(got("https://[::1").is_err());
    }

    #[test]
    fn messages_leave_the_query_out() {
        let url =
            Url::parse("https://contoso.sharepoint.com/monitor/1?tempauth=SECRET#f").expect("url");
        assert_eq!(shown(&url), "https://contoso.sharepoint.com/monitor/1");
    }
}
