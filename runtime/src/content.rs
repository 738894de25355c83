//! Downloads: responses that are raw content (a file, a photo, a report's
//! CSV), read as a stream of chunks rather than decoded as JSON.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures_util::stream::{self, Stream};
use reqwest::header::{self, HeaderMap};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::error::Error;
use super::request::Request;

/// The response type of a request for raw content: a `Request<Content>` is
/// sent with [`download`](Request::download), which answers a [`Download`]
/// instead of a decoded value.
///
/// It is only a marker and has no values.
///
/// Why `download()` and not `.await` or `send()`: a second `IntoFuture` impl
/// or inherent `send` beside those of `Request<T: DeserializeOwned>` would
/// compile, but every `let user: User = client.request(…).await?` would then
/// stop inferring its `T`.
#[derive(Debug)]
pub enum Content {}

/// A raw-content response whose status and headers have arrived and whose
/// body has not been read yet: read it chunk by chunk ([`chunk`](Self::chunk),
/// [`into_stream`](Self::into_stream)), into a file ([`write_to`](Self::write_to)),
/// into any writer ([`copy_to`](Self::copy_to)), or, when it is small, into
/// memory ([`bytes`](Self::bytes)).
///
/// A body that ends before the `Content-Length` the service declared, or
/// whose connection breaks, is an [`Error::Truncated`], never a shorter success.
///
/// The client's [`timeout`](super::ClientBuilder::timeout), when set, covers
/// reading the whole body too: set it with large files in mind.
#[derive(Debug)]
pub struct Download {
    response: reqwest::Response,
    status: u16,
    headers: HeaderMap,
    /// The declared `Content-Length`, if any.
    length: Option<u64>,
    received: u64,
    /// The client's `max_response_bytes`, for [`bytes`](Self::bytes).
    limit: usize,
}

impl Download {
    pub(super) fn new(response: reqwest::Response, limit: usize) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        // reqwest reports the body's exact size, which for HTTP/1.1 and
        // HTTP/2 is the Content-Length header.
        let length = response.content_length();
        Download {
            response,
            status,
            headers,
            length,
            received: 0,
            limit,
        }
    }

    /// The HTTP status: 200, or 206 for a [range](super::Request::range).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (`Content-Range`, `ETag`, `Content-Disposition`…).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` the service sent (such as `image/jpeg`), if any.
    pub fn content_type(&self) -> Option<&str> {
        self.header_str(header::CONTENT_TYPE)
    }

    /// The `Content-Length` the service declared: the length of the body,
    /// or of the range asked for.
    pub fn content_length(&self) -> Option<u64> {
        self.length
    }

    /// The bytes read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next chunk of the body, `None` at its end. Only the chunk is held,
    /// so a file of any size can be read in little memory.
    ///
    /// # Errors
    ///
    /// [`Error::Truncated`] if the connection breaks, or if the body ends
    /// before its declared `Content-Length`.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match self.response.chunk().await {
            Ok(Some(chunk)) => {
                self.received += chunk.len() as u64;
                Ok(Some(chunk))
            }
            Ok(None) => match self.length {
                Some(expected) if self.received != expected => Err(self.truncated(None)),
                _ => Ok(None),
            },
            Err(err) => Err(self.truncated(Some(err))),
        }
    }

    /// The body as a stream of chunks (see [`chunk`](Self::chunk)); it ends
    /// after the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send {
        stream::try_unfold(self, |mut download| async move {
            Ok(download.chunk().await?.map(|chunk| (chunk, download)))
        })
    }

    /// The whole body in memory, at most the client's
    /// [`max_response_bytes`](super::ClientBuilder::max_response_bytes).
    ///
    /// # Errors
    ///
    /// [`Error::ResponseTooLarge`] for a longer body (refused before reading
    /// when its `Content-Length` says so); else as [`chunk`](Self::chunk).
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let too_large = Error::ResponseTooLarge {
            status: self.status,
            limit: self.limit,
        };
        if self.length.is_some_and(|n| n > self.limit as u64) {
            return Err(too_large);
        }
        let mut out = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if out.len() + chunk.len() > self.limit {
                return Err(too_large);
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    }

    /// Writes the body to `writer`, chunk by chunk, and flushes it; returns
    /// the number of bytes written.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if writing fails; else as [`chunk`](Self::chunk). What
    /// was written before an error stays written.
    pub async fn copy_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(Error::Io)?;
        }
        writer.flush().await.map_err(Error::Io)?;
        Ok(self.received)
    }

    /// Writes the body to the file `path`, replacing it, and returns the
    /// number of bytes written.
    ///
    /// The body goes to a new temporary file beside `path`, which is synced
    /// and then renamed over `path` once the whole body has arrived: `path`
    /// is never left holding part of a download. On an error the temporary
    /// file is removed and `path` is as it was.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] if the file cannot be created, written or renamed; else
    /// as [`chunk`](Self::chunk).
    pub async fn write_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let (partial, mut file) = create_partial(path).await.map_err(Error::Io)?;
        let written = async {
            let written = self.copy_to(&mut file).await?;
            file.sync_all().await.map_err(Error::Io)?;
            drop(file);
            tokio::fs::rename(&partial, path).await.map_err(Error::Io)?;
            Ok(written)
        }
        .await;
        if written.is_err() {
            // Best effort: the error that matters is the one returned.
            let _ = tokio::fs::remove_file(&partial).await;
        }
        written
    }

    fn header_str(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn truncated(&self, source: Option<reqwest::Error>) -> Error {
        Error::Truncated {
            status: self.status,
            received: self.received,
            expected: self.length,
            source,
        }
    }
}

/// A new, exclusively created file beside `path` to download into:
/// `.<name>.<unique>.part`, never an existing file or link.
async fn create_partial(path: &Path) -> std::io::Result<(PathBuf, tokio::fs::File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} names no file", path.display()),
        )
    })?;
    let dir = path.parent().unwrap_or_else(|| Path::new(""));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut attempt = 0;
    loop {
        let unique = format!(
            "{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut partial_name = std::ffi::OsString::from(".");
        partial_name.push(name);
        partial_name.push(format!(".{unique}.part"));
        let partial = dir.join(partial_name);
        match tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&partial)
            .await
        {
            Ok(file) => return Ok((partial, file)),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 16 => {
                attempt += 1;
            }
            Err(err) => return Err(err),
        }
    }
}

impl Request<Content> {
    /// Sends the request and returns the [`Download`] once the status and
    /// headers have arrived, with the body still to read:
    /// `request.download().await?.write_to("report.csv").await?`.
    ///
    /// Sends `Accept: */*`, and otherwise the headers of
    /// [`Request::send`](Request::send) for JSON. Retries (see
    /// [`RetryPolicy`](super::RetryPolicy)) happen before any of the body is
    /// read. A `302 Found` to a pre-authenticated URL (how OneDrive serves
    /// `…/content`) is followed by the HTTP client, which drops the
    /// `Authorization` header when the redirect leaves the host.
    ///
    /// # Errors
    ///
    /// As [`Request::send`](Request::send) but [`Error::Decode`]: an error
    /// status's body is decoded into [`Error::Api`].
    pub async fn download(self) -> Result<Download, Error> {
        let limit = self.client_max_response_bytes();
        let response = self.execute("*/*").await?;
        Ok(Download::new(response, limit))
    }

    /// Asks for the bytes `start..=end` of the content (`Range: bytes=start-end`),
    /// or from `start` to the end when `end` is `None`. The answer is
    /// `206 Partial Content` with that range, or `200` with the whole
    /// content when the service does not serve ranges; both are accepted,
    /// and [`Download::status`] tells them apart.
    ///
    /// OneDrive serves ranges on the pre-authenticated URL that `…/content`
    /// redirects to, which the client follows with the header.
    pub fn range(self, start: u64, end: Option<u64>) -> Self {
        let value = match end {
            Some(end) => format!("bytes={start}-{end}"),
            None => format!("bytes={start}-"),
        };
        self.header("Range", &value).also_accept_status(&[206])
    }
}
