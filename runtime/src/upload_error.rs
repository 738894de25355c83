//! Why an [`UploadTask`](super::UploadTask) stopped, when it is not a plain
//! HTTP or transport error.

use std::io;

use super::error::ApiError;

/// What went wrong with an upload session, its source or its protocol; an
/// [`Error::Upload`](super::Error::Upload).
///
/// No variant holds the upload URL: it is pre-authenticated, so anyone who
/// has it can write to the session.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// The slice size is not a positive multiple of
    /// [`UPLOAD_SLICE_UNIT`](super::UPLOAD_SLICE_UNIT) (320 KiB) below 60 MiB.
    #[error(
        "invalid upload slice size {0}: it must be a multiple of 327,680 bytes (320 KiB), \
         from 327,680 up to 62,586,880 (less than 60 MiB)"
    )]
    InvalidSliceSize(usize),

    /// The upload URL is not an absolute `http` or `https` URL without
    /// credentials. (The URL itself is left out of the message.)
    #[error("invalid upload URL: {0}")]
    InvalidUrl(String),

    /// An upload session cannot take an empty file: there is no byte range
    /// to send. Upload it with a simple `PUT …/content` instead.
    #[error("an upload session cannot upload an empty file; use a simple upload")]
    EmptyFile,

    /// The session does not exist (any more): it expired, was cancelled, or
    /// the URL is wrong. Create a new session and upload the file again.
    #[error("the upload session does not exist (expired or cancelled); create a new one")]
    SessionExpired(#[source] Box<ApiError>),

    /// The last slice was sent but its answer was lost, and the session no
    /// longer exists: the upload most likely completed. Look the item up
    /// before uploading again.
    #[error(
        "the answer to the last slice was lost and the session is gone: \
         the file was probably created; look it up before uploading again"
    )]
    OutcomeUnknown(#[source] Box<ApiError>),

    /// The session holds every byte but did not answer with the item: it was
    /// created with `deferCommit` and waits for an explicit commit.
    #[error(
        "the session holds every byte but returned no item \
         (created with deferCommit? commit it explicitly)"
    )]
    NotCommitted,

    /// The upload completed (HTTP 200 or 201) with an empty body where the
    /// item was expected.
    #[error("the upload completed (HTTP {status}) without the item in its body")]
    MissingItem {
        /// The status of the final answer.
        status: u16,
    },

    /// The session answered something the protocol does not allow: ranges
    /// outside the file, an unreadable `nextExpectedRanges`, the same slice
    /// refused again and again.
    #[error("upload protocol error: {0}")]
    Protocol(String),

    /// Reading the source failed.
    #[error("reading the upload source failed")]
    SourceRead(#[source] io::Error),

    /// The source ended before the length given to the task.
    #[error("the upload source ended after {read} of the {total} bytes announced")]
    SourceTooShort {
        /// How many bytes the source gave.
        read: u64,
        /// The length given to the task.
        total: u64,
    },

    /// The source has more bytes than the length given to the task; they
    /// would have been left out silently.
    #[error("the upload source is longer than the {total} bytes announced")]
    SourceTooLong {
        /// The length given to the task.
        total: u64,
    },

    /// The session lost bytes it had acknowledged and needs them again, but
    /// the source is not seekable and only the last slice is kept. Upload
    /// from a seekable source ([`UploadTask::seekable`](super::UploadTask::seekable)),
    /// or start again.
    #[error(
        "the session needs bytes from offset {needed} again, but the source is not seekable \
         and has been read up to {position}"
    )]
    SourceNotSeekable {
        /// The first byte the session needs.
        needed: u64,
        /// How far the source has been read.
        position: u64,
    },
}

impl UploadError {
    /// The HTTP status of the answer behind this error, if there was one.
    pub(super) fn status(&self) -> Option<u16> {
        match self {
            UploadError::SessionExpired(api) | UploadError::OutcomeUnknown(api) => Some(api.status),
            UploadError::MissingItem { status } => Some(*status),
            _ => None,
        }
    }
}
