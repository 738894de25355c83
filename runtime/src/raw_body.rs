//! Request bodies that are raw content rather than JSON: a file's bytes for
//! `PUT …/content`, a photo for `PUT …/photo/$value`.

use std::fmt;

use bytes::{Bytes, BytesMut};
use futures_util::stream::{self, Stream, TryStreamExt};
use tokio::io::{AsyncRead, AsyncReadExt};

/// How much a body read from an [`AsyncRead`] asks for at a time.
const READ_CHUNK: usize = 64 * 1024;

/// Raw content to send as a request body, with its `Content-Type`; given to
/// [`Request::raw_body`](super::Request::raw_body).
///
/// Made from bytes in memory ([`from_bytes`](Self::from_bytes)), which can be
/// sent again when a throttled request is retried, or from a reader or a
/// stream ([`from_reader`](Self::from_reader), [`from_stream`](Self::from_stream)),
/// which is read once as it is sent and so is **never retried**: a 429 or 503
/// answer to it is returned as the error, to be retried with a new body.
///
/// ```ignore
/// let body = RawBody::from_bytes("The contents of the file.", "text/plain");
/// let file = tokio::fs::File::open("report.pdf").await?;
/// let length = file.metadata().await?.len();
/// let body = RawBody::from_reader(file, Some(length), "application/pdf");
/// ```
pub struct RawBody {
    pub(super) content_type: String,
    pub(super) source: Source,
}

/// Where the bytes of a [`RawBody`] come from.
pub(super) enum Source {
    /// In memory: sent again on every attempt.
    Bytes(Bytes),
    /// Read as it is sent; `None` once it was.
    Stream {
        body: Option<reqwest::Body>,
        length: Option<u64>,
    },
}

impl RawBody {
    /// A body of `bytes`, sent with `Content-Type: content_type`.
    pub fn from_bytes(bytes: impl Into<Bytes>, content_type: impl Into<String>) -> Self {
        RawBody {
            content_type: content_type.into(),
            source: Source::Bytes(bytes.into()),
        }
    }

    /// A body read from `reader` while it is sent, with `Content-Type:
    /// content_type`. With `length`, it is sent with that `Content-Length`
    /// (which Graph's uploads ask for) and a reader that ends sooner or later
    /// fails the request; without, it is sent chunked.
    ///
    /// A read error fails the request with [`Error::Transport`](super::Error::Transport),
    /// whose source chain holds it. The body is never retried (see [`RawBody`]).
    pub fn from_reader<R>(reader: R, length: Option<u64>, content_type: impl Into<String>) -> Self
    where
        R: AsyncRead + Send + 'static,
    {
        let chunks = stream::try_unfold(
            (Box::pin(reader), BytesMut::new()),
            |(mut reader, mut buffer)| async move {
                buffer.reserve(READ_CHUNK);
                let read = reader.read_buf(&mut buffer).await?;
                if read == 0 {
                    return Ok::<_, std::io::Error>(None);
                }
                let chunk = buffer.split().freeze();
                Ok(Some((chunk, (reader, buffer))))
            },
        );
        RawBody::from_stream(chunks, length, content_type)
    }

    /// A body of the chunks `stream` yields, sent as they come, with
    /// `Content-Type: content_type`; `length` as in [`from_reader`](Self::from_reader).
    ///
    /// An error from the stream fails the request with
    /// [`Error::Transport`](super::Error::Transport), whose source chain holds it.
    /// The body is never retried (see [`RawBody`]).
    pub fn from_stream<S, E>(
        stream: S,
        length: Option<u64>,
        content_type: impl Into<String>,
    ) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        RawBody {
            content_type: content_type.into(),
            source: Source::Stream {
                body: Some(reqwest::Body::wrap_stream(stream.map_err(Into::into))),
                length,
            },
        }
    }

    /// The `Content-Type` it is sent with.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// Its length in bytes, when known before sending.
    pub fn length(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(bytes) => Some(bytes.len() as u64),
            Source::Stream { length, .. } => *length,
        }
    }

    /// Whether it can be sent more than once (it is in memory), so that a
    /// throttled request can be retried.
    pub fn is_repeatable(&self) -> bool {
        matches!(self.source, Source::Bytes(_))
    }

    /// The body for one attempt: a copy of bytes (cheap, shared), or the
    /// stream the first time and `None` after.
    pub(super) fn for_attempt(&mut self) -> Option<reqwest::Body> {
        match &mut self.source {
            Source::Bytes(bytes) => Some(reqwest::Body::from(bytes.clone())),
            Source::Stream { body, .. } => body.take(),
        }
    }
}

impl fmt::Debug for RawBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content itself may be anything, and large: only its shape.
        f.debug_struct("RawBody")
            .field("content_type", &self.content_type)
            .field("length", &self.length())
            .field("repeatable", &self.is_repeatable())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_repeatable_and_streams_are_sent_once() {
        let mut body = RawBody::from_bytes("hello", "text/plain");
        assert!(body.is_repeatable());
        assert_eq!(body.length(), Some(5));
        assert!(body.for_attempt().is_some());
        assert!(body.for_attempt().is_some());
        assert_eq!(
            format!("{body:?}"),
            "RawBody { content_type: \"text/plain\", length: Some(5), repeatable: true }"
        );

        let mut body = RawBody::from_reader(&b"hello"[..], Some(5), "text/plain");
        assert!(!body.is_repeatable());
        assert_eq!(body.length(), Some(5));
        assert_eq!(body.content_type(), "text/plain");
        assert!(body.for_attempt().is_some());
        assert!(body.for_attempt().is_none(), "a stream is sent once");
    }
}
