//! Large files: an [`UploadTask`] sends a file to a Graph upload session
//! (made by `createUploadSession`) slice by slice, and survives dropped
//! connections, throttled and unavailable answers, refused ranges and
//! sessions that lose bytes they had acknowledged.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::ops::Range;
use std::pin::Pin;
use std::time::Duration;

use serde::de::DeserializeOwned;
use tokio::io::{AsyncRead, AsyncSeek};

use super::client::Client;
use super::error::Error;
use super::retry::RetryPolicy;
use super::upload_error::UploadError;
use super::upload_ranges::{confirmed, next_slice};
use super::upload_session::{Outcome, Put, Session, Streak, protocol};
use super::upload_source::{Reader, SliceSource};

/// Slices must be a multiple of this: 320 KiB (327,680 bytes), as the
/// upload session's documentation requires (other sizes can fail to commit).
pub const UPLOAD_SLICE_UNIT: usize = 327_680;

/// The default slice: 10 × 320 KiB (3.125 MiB), small enough to resend
/// cheaply on an unreliable connection.
pub const DEFAULT_UPLOAD_SLICE_SIZE: usize = 10 * UPLOAD_SLICE_UNIT;

/// A request to the session must be smaller than 60 MiB.
const SLICE_LIMIT: usize = 60 << 20;

/// How far an upload has come, as reported to [`UploadTask::on_progress`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UploadProgress {
    /// Bytes the session has confirmed holding, from the start of the file.
    pub uploaded: u64,
    /// The file's length.
    pub total: u64,
}

type ProgressFn<'a> = Box<dyn FnMut(UploadProgress) + Send + 'a>;

/// Uploads a file to an upload session, a slice at a time, and returns the
/// item the session creates (`T`, such as the generated `models::DriveItem`).
///
/// ```ignore
/// let session = client.me().drive().items().by_id(item_id).create_upload_session().await?;
/// let file = tokio::fs::File::open("big.iso").await?;
/// let len = file.metadata().await?.len();
/// let item: models::DriveItem = UploadTask::seekable(&runtime, session.upload_url.unwrap_or_default(), file, len)
///     .on_progress(|p| println!("{}/{}", p.uploaded, p.total))
///     .await?;
/// ```
///
/// Each slice is a `PUT` of [`slice_size`](Self::slice_size) bytes to the
/// upload URL with `Content-Range` and `Content-Length`, and **without the
/// client's token**: the URL is pre-authenticated and on another host.
/// Only one slice is in memory at a time, whatever the file's size. Each
/// request is bounded by the client's [`timeout`](super::ClientBuilder::timeout),
/// so allow it time to send a slice. (A `reqwest::Client` given to
/// [`http_client`](super::ClientBuilder::http_client) with a default
/// `Authorization` header would still send that header: don't.)
///
/// When a slice fails (a dropped connection, 429, 500, 502, 503, 504), the
/// task waits as the [`RetryPolicy`] says (the client's, unless
/// [`retry_policy`](Self::retry_policy) sets one; `Retry-After` is honoured),
/// asks the session which ranges it still needs (`GET` on the URL), and goes
/// on from there, so nothing the session holds is sent again; after a 416
/// (a range the session refuses) it asks at once. The policy bounds the
/// failures in a row; a slice that takes the session further than ever
/// starts afresh.
///
/// The source is read front to back once. When the session loses bytes it
/// had acknowledged and asks for them again, only a seekable source
/// ([`seekable`](Self::seekable)) can go back for them: a plain stream then
/// fails with [`UploadError::SourceNotSeekable`] (bytes of the last slice,
/// kept in memory, are always resent from there).
///
/// Dropping the future stops the upload; the session keeps what it has
/// until it expires, for [`resume`](Self::resume) or
/// [`cancel_upload`](super::cancel_upload).
#[must_use = "an UploadTask does nothing until it is sent or awaited"]
pub struct UploadTask<'a, T> {
    client: Client,
    url: String,
    reader: Reader<'a>,
    total: u64,
    slice_size: usize,
    resume: bool,
    retry: Option<RetryPolicy>,
    progress: Option<ProgressFn<'a>>,
    error: Option<UploadError>,
    // `fn() -> T` keeps the task Send whatever `T` is: no `T` is stored.
    item: PhantomData<fn() -> T>,
}

impl<'a, T> UploadTask<'a, T> {
    /// A task that uploads `total_len` bytes from `source`, read front to
    /// back once, to the session at `upload_url` (its `uploadUrl`).
    ///
    /// Its first byte is byte 0 of the file, also when resuming: the bytes
    /// the session holds are then read and skipped.
    pub fn new(
        client: &Client,
        upload_url: impl Into<String>,
        source: impl AsyncRead + Send + 'a,
        total_len: u64,
    ) -> Self {
        Self::with_reader(
            client,
            upload_url.into(),
            Reader::Stream(Box::pin(source)),
            total_len,
        )
    }

    /// A task whose source can seek, such as a `tokio::fs::File`: byte `n`
    /// of the file is at `SeekFrom::Start(n)`. Resuming seeks past what the
    /// session holds, and bytes the session loses are read again.
    pub fn seekable(
        client: &Client,
        upload_url: impl Into<String>,
        source: impl AsyncRead + AsyncSeek + Send + 'a,
        total_len: u64,
    ) -> Self {
        Self::with_reader(
            client,
            upload_url.into(),
            Reader::Seekable(Box::pin(source)),
            total_len,
        )
    }

    fn with_reader(client: &Client, url: String, reader: Reader<'a>, total: u64) -> Self {
        UploadTask {
            client: client.clone(),
            url,
            reader,
            total,
            slice_size: DEFAULT_UPLOAD_SLICE_SIZE,
            resume: false,
            retry: None,
            progress: None,
            error: None,
            item: PhantomData,
        }
    }

    /// Sets the bytes sent per request: a multiple of [`UPLOAD_SLICE_UNIT`]
    /// (320 KiB), less than 60 MiB. Default: [`DEFAULT_UPLOAD_SLICE_SIZE`];
    /// the service suggests 5–10 MiB on fast, stable connections. The last
    /// slice is whatever remains.
    ///
    /// Another size is reported by [`send`](Self::send) as
    /// [`UploadError::InvalidSliceSize`], before anything is sent.
    pub fn slice_size(mut self, bytes: usize) -> Self {
        if bytes == 0 || !bytes.is_multiple_of(UPLOAD_SLICE_UNIT) || bytes >= SLICE_LIMIT {
            self.error
                .get_or_insert(UploadError::InvalidSliceSize(bytes));
        } else {
            self.slice_size = bytes;
        }
        self
    }

    /// Calls `callback` with the bytes the session has confirmed, once at
    /// the start and then each time that number grows, ending with the
    /// total when the upload completes. It never goes down: when the session
    /// loses bytes, it pauses until they are sent again.
    pub fn on_progress(mut self, callback: impl FnMut(UploadProgress) + Send + 'a) -> Self {
        self.progress = Some(Box::new(callback));
        self
    }

    /// Continues a session that already holds part of the file (an earlier
    /// task that failed or was dropped): the task first asks the session
    /// which ranges it needs and sends only those.
    pub fn resume(mut self) -> Self {
        self.resume = true;
        self
    }

    /// How failing slices are retried. Default: the client's policy.
    /// [`RetryPolicy::none`] makes the first failure the error.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }
}

impl<T: DeserializeOwned> UploadTask<'_, T> {
    /// Uploads the file and decodes the session's final answer (200 or 201
    /// with the item's JSON) into `T`.
    ///
    /// # Errors
    ///
    /// - [`Error::Upload`] with [`UploadError::InvalidSliceSize`],
    ///   [`InvalidUrl`](UploadError::InvalidUrl) or
    ///   [`EmptyFile`](UploadError::EmptyFile) before anything is sent;
    /// - [`UploadError::SessionExpired`] when the session does not exist
    ///   (404): create a new one and start again;
    /// - [`UploadError::OutcomeUnknown`] when the answer to the last slice
    ///   was lost and the session is gone (the file was probably created);
    /// - [`UploadError::SourceRead`], [`SourceTooShort`](UploadError::SourceTooShort),
    ///   [`SourceTooLong`](UploadError::SourceTooLong) and
    ///   [`SourceNotSeekable`](UploadError::SourceNotSeekable) for the source;
    /// - [`UploadError::Protocol`] for answers that make no sense (ranges
    ///   outside the file, an acknowledged slice expected again and again),
    ///   [`UploadError::NotCommitted`] for a session that holds every byte
    ///   but returns no item (`deferCommit`);
    /// - [`UploadError::MissingItem`] for a final answer without a body, and
    ///   [`Error::Decode`] for one that is not a `T`;
    /// - [`Error::Transport`] and [`Error::Api`] (429, 416 and 5xx once the
    ///   retry policy gives up; other statuses such as 409 at once), and
    ///   [`Error::ResponseTooLarge`]. None of them shows the upload URL.
    pub async fn send(self) -> Result<T, Error> {
        let UploadTask {
            client,
            url,
            reader,
            total,
            slice_size,
            resume,
            retry,
            progress,
            error,
            ..
        } = self;
        if let Some(error) = error {
            return Err(error.into());
        }
        if total == 0 {
            return Err(UploadError::EmptyFile.into());
        }
        let session = Session::new(&client, &url)?;
        let policy = retry.unwrap_or_else(|| client.inner().retry.clone());
        let mut upload = Upload {
            session,
            policy,
            total,
            streak: Streak::default(),
            last_slice_unanswered: false,
        };
        let mut source = SliceSource::new(reader, total, slice_size);
        let mut reporter = Reporter {
            callback: progress,
            reported: None,
            total,
        };

        // A new session misses the whole file.
        #[allow(clippy::single_range_in_vec_init)]
        let mut missing = if resume {
            upload.ranges().await?
        } else {
            vec![0..total]
        };
        let mut furthest = confirmed(&missing, total);
        loop {
            reporter.report(confirmed(&missing, total));
            let Some(range) = next_slice(&missing, slice_size as u64) else {
                return Err(UploadError::NotCommitted.into());
            };
            let body = source.slice(range.clone()).await?;
            match upload.session.put(&range, total, body).await {
                Outcome::Done(Put::Accepted(next)) => {
                    // Taken when the session no longer expects its first
                    // byte (it may list other gaps, before or after it).
                    let taken = !next.iter().any(|gap| gap.contains(&range.start));
                    if !taken {
                        let cause = protocol("the session acknowledged a slice it still expects");
                        upload
                            .streak
                            .fail(&upload.policy, Some(Duration::ZERO), cause)
                            .await?;
                    }
                    // Only bytes the session never had before end a streak
                    // of failures, so a session that keeps losing what it
                    // acknowledged still runs out of retries.
                    let now = confirmed(&next, total);
                    if taken && now > furthest {
                        furthest = now;
                        upload.streak.reset();
                    }
                    missing = next;
                }
                Outcome::Done(Put::Completed { status, body }) => {
                    reporter.report(total);
                    return decode_item(status, &body);
                }
                Outcome::Transient(cause, asked) => {
                    upload.retry_later(&range, cause, asked).await?;
                    missing = upload.ranges().await?;
                }
                Outcome::Gone(api) => return Err(UploadError::SessionExpired(api).into()),
                Outcome::Fatal(err) => return Err(err),
            }
        }
    }
}

/// The state of one upload besides its source.
struct Upload<'c> {
    session: Session<'c>,
    policy: RetryPolicy,
    total: u64,
    streak: Streak,
    /// Whether a slice ending the file got no usable answer: if the session
    /// is gone after that, the upload probably completed.
    last_slice_unanswered: bool,
}

impl Upload<'_> {
    /// Counts a failure of the slice `range` and waits, or gives up with `cause`.
    async fn retry_later(
        &mut self,
        range: &Range<u64>,
        cause: Error,
        asked: Option<Duration>,
    ) -> Result<(), Error> {
        self.last_slice_unanswered |= range.end == self.total;
        self.streak.fail(&self.policy, asked, cause).await
    }

    /// The session's missing ranges, asking again (within the same streak)
    /// while the status request itself fails.
    async fn ranges(&mut self) -> Result<Vec<Range<u64>>, Error> {
        loop {
            match self.session.status().await {
                Outcome::Done(status) => {
                    return super::upload_ranges::missing(&status.next_expected_ranges, self.total)
                        .map_err(|why| protocol(&why));
                }
                Outcome::Transient(cause, asked) => {
                    self.streak.fail(&self.policy, asked, cause).await?;
                }
                Outcome::Gone(api) if self.last_slice_unanswered => {
                    return Err(UploadError::OutcomeUnknown(api).into());
                }
                Outcome::Gone(api) => return Err(UploadError::SessionExpired(api).into()),
                Outcome::Fatal(err) => return Err(err),
            }
        }
    }
}

/// Calls the progress callback when the confirmed bytes grow.
struct Reporter<'a> {
    callback: Option<ProgressFn<'a>>,
    reported: Option<u64>,
    total: u64,
}

impl Reporter<'_> {
    fn report(&mut self, uploaded: u64) {
        if self.reported.is_some_and(|reported| uploaded <= reported) {
            return;
        }
        self.reported = Some(uploaded);
        if let Some(callback) = &mut self.callback {
            callback(UploadProgress {
                uploaded,
                total: self.total,
            });
        }
    }
}

/// The item from the final answer. An empty body is no item, unless `T`
/// needs none (`()`, an `Option`); `T = ()` ignores any body.
fn decode_item<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    if body.trim_ascii().is_empty() || std::mem::size_of::<T>() == 0 {
        return T::deserialize(serde_json::Value::Null)
            .map_err(|_| UploadError::MissingItem { status }.into());
    }
    super::from_json_body(body).map_err(|source| Error::Decode {
        status,
        body: String::from_utf8_lossy(body).into_owned(),
        source,
    })
}

impl<'a, T: DeserializeOwned + Send + 'a> IntoFuture for UploadTask<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<T> fmt::Debug for UploadTask<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The upload URL is a credential: only its host is shown.
        f.debug_struct("UploadTask")
            .field("host", &Session::host(&self.url))
            .field("total_len", &self.total)
            .field("slice_size", &self.slice_size)
            .field("seekable", &matches!(self.reader, Reader::Seekable(_)))
            .field("resume", &self.resume)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn task() -> UploadTask<'static, ()> {
        let client = Client::builder().build().expect("client");
        UploadTask::new(
            &client,
            "https://up.example/up/secret-token",
            &b"abc"[..],
            3,
        )
    }

    #[test]
    fn slice_sizes_are_multiples_of_320_kib_below_60_mib() {
        for good in [
            UPLOAD_SLICE_UNIT,
            DEFAULT_UPLOAD_SLICE_SIZE,
            191 * UPLOAD_SLICE_UNIT,
        ] {
            let task = task().slice_size(good);
            assert!(task.error.is_none(), "{good}");
            assert_eq!(task.slice_size, good);
        }
        for bad in [
            0,
            1,
            UPLOAD_SLICE_UNIT - 1,
            UPLOAD_SLICE_UNIT + 1,
            160 * 1024,
            192 * UPLOAD_SLICE_UNIT,
            usize::MAX,
        ] {
            let task = task().slice_size(bad);
            assert!(
                matches!(task.error, Some(UploadError::InvalidSliceSize(n)) if n == bad),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_shows_the_host_but_not_the_url() {
        let shown = format!("{:?}", task());
        assert!(shown.contains("up.example"), "{shown}");
        assert!(!shown.contains("secret-token"), "{shown}");
    }

    #[test]
    fn progress_never_goes_down() {
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = seen.clone();
        let mut reporter = Reporter {
            callback: Some(Box::new(move |p: UploadProgress| {
                if let Ok(mut seen) = sink.lock() {
                    seen.push(p.uploaded);
                }
            })),
            reported: None,
            total: 100,
        };
        for uploaded in [0, 0, 40, 20, 40, 80, 100] {
            reporter.report(uploaded);
        }
        assert_eq!(*seen.lock().expect("lock"), [0, 40, 80, 100]);
    }

    #[test]
    fn final_items_decode_or_fail_clearly() {
        #[derive(Debug, Deserialize, PartialEq)]
        struct Item {
            id: String,
        }
        assert_eq!(
            decode_item::<Item>(201, br#"{"id":"x"}"#).ok(),
            Some(Item { id: "x".into() })
        );
        assert!(matches!(
            decode_item::<Item>(201, b" "),
            Err(Error::Upload(UploadError::MissingItem { status: 201 }))
        ));
        assert!(matches!(
            decode_item::<Item>(200, b"{\"id\":"),
            Err(Error::Decode { status: 200, .. })
        ));
        assert!(decode_item::<()>(201, b"<html>").is_ok());
        assert_eq!(decode_item::<Option<Item>>(201, b"").ok(), Some(None));
    }
}
