//! The answers of a sent [`Batch`](super::Batch), read item by item with
//! the [`BatchItem`] handles that [`Batch::add`](super::Batch::add) returned.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{self, HeaderMap};
use serde::de::{DeserializeOwned, Error as _};
use serde_json::Value;

use super::batch::{BatchItem, Item};
use super::batch_wire::{Answer, AnswerBody, Malformed};
use super::content::Content;
use super::error::{ApiError, Error};
use super::request::decode;

/// The answers to a [`Batch`](super::Batch), from
/// [`Batch::send`](super::Batch::send).
///
/// Each item succeeded or failed on its own: [`get`](Self::get) decodes an
/// item's answer as [`Request::send`](super::Request::send) would decode it,
/// and an item that failed is that item's error (an [`Error::Api`] with its
/// status, such as 404, or 424 when an item it depended on failed), not the
/// batch's. Answers can be read in any order, and more than once.
pub struct BatchResponses {
    batch: u64,
    items: Vec<Answered>,
    failure: Option<Error>,
}

/// What became of one item.
struct Answered {
    id: String,
    expected_status: Option<u16>,
    also_status: Vec<u16>,
    outcome: Outcome,
}

/// How the service answered one item.
pub(super) enum Outcome {
    /// Its `$batch` request was not sent, or failed.
    Unsent,
    Answered(Answer),
    /// The answer of the `$batch` request answered with `status` is not one.
    Malformed {
        status: u16,
        malformed: Malformed,
    },
    /// The `$batch` answer left it out, for this reason.
    Missing(String),
}

/// An item's answer as it came: status, headers and body (raw content
/// base64-decoded). From [`BatchResponses::content`] and
/// [`BatchResponses::response`].
#[derive(Clone)]
pub struct BatchItemResponse {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

impl BatchItemResponse {
    /// The item's HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The item's response headers (`Content-Type`, `Location`, `ETag`…).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `Content-Type` of the body (such as `image/jpeg`), if given.
    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
    }

    /// The body: the bytes of raw content, or the JSON that came.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body, taken (see [`body`](Self::body)).
    pub fn into_body(self) -> Bytes {
        self.body
    }
}

impl fmt::Debug for BatchItemResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The content may be anything, and large: only its length.
        f.debug_struct("BatchItemResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl BatchResponses {
    pub(super) fn new(
        batch: u64,
        items: Vec<Item>,
        outcomes: Vec<Outcome>,
        failure: Option<Error>,
    ) -> Self {
        let items = items
            .into_iter()
            .zip(outcomes)
            .map(|(item, outcome)| Answered {
                id: item.wire.id,
                expected_status: item.expected_status,
                also_status: item.also_status,
                outcome,
            })
            .collect();
        BatchResponses {
            batch,
            items,
            failure,
        }
    }

    /// The item's answer decoded into `T`, as [`Request::send`](super::Request::send)
    /// decodes it: `()` ignores any body, an empty body decodes like JSON `null`.
    ///
    /// # Errors
    ///
    /// - [`Error::Api`] for an item answered with a status outside
    ///   `200..=299` (429, 503 and 504 only once the client's retry policy
    ///   gave up retrying them; 424 when an item it depends on failed);
    /// - [`Error::UnexpectedStatus`] for another 2xx status than the
    ///   request expected;
    /// - [`Error::Decode`] if the body does not decode into `T`, or if the
    ///   service's answer for the item is not a response (no status, say);
    /// - [`Error::InvalidRequest`] for a handle of another batch, an item the
    ///   service did not answer, or one not sent because a `$batch` request
    ///   failed (see [`failure`](Self::failure)).
    pub fn get<T: DeserializeOwned>(&self, item: &BatchItem<T>) -> Result<T, Error> {
        let answer = self.success(item)?;
        match &answer.body {
            AnswerBody::Empty => decode(answer.status, b""),
            AnswerBody::Bytes(bytes) => decode(answer.status, bytes),
            AnswerBody::Json(value) => {
                // As `decode`: an operation that returns nothing ignores any body.
                let decoded = if std::mem::size_of::<T>() == 0 {
                    T::deserialize(Value::Null)
                } else {
                    T::deserialize(value)
                };
                decoded.map_err(|source| Error::Decode {
                    status: answer.status,
                    body: value.to_string(),
                    source,
                })
            }
        }
    }

    /// The raw content a download item (a `Request<Content>`, such as a
    /// photo's `$value`) answered: its bytes, base64-decoded, and content type.
    ///
    /// A OneDrive `…/content` item is answered `302 Found` with the
    /// download URL in `Location`: an [`Error::Api`] here; read the header
    /// with [`response`](Self::response) and download it on its own.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get) but decoding.
    pub fn content(&self, item: &BatchItem<Content>) -> Result<BatchItemResponse, Error> {
        self.success(item).map(response)
    }

    /// The item's answer as it came, whatever its status.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] and [`Error::Decode`] for an item that got
    /// no answer, as [`get`](Self::get) says.
    pub fn response<T>(&self, item: &BatchItem<T>) -> Result<BatchItemResponse, Error> {
        self.answer(item).map(|(_, answer)| response(answer))
    }

    /// The error of the `$batch` request that failed after an earlier one
    /// was answered; the items of that request and later ones got no answer.
    pub fn failure(&self) -> Option<&Error> {
        self.failure.as_ref()
    }

    /// The item's answer, whatever its status.
    fn answer<T>(&self, item: &BatchItem<T>) -> Result<(&Answered, &Answer), Error> {
        let entry = self
            .items
            .get(item.index)
            .filter(|entry| item.batch == self.batch && entry.id == item.id())
            .ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "batch item {:?} belongs to another batch",
                    item.id()
                ))
            })?;
        match &entry.outcome {
            Outcome::Answered(answer) => Ok((entry, answer)),
            Outcome::Malformed { status, malformed } => Err(Error::Decode {
                status: *status,
                body: malformed.item.clone(),
                source: serde_json::Error::custom(format_args!(
                    "batch item {:?}: {}",
                    entry.id, malformed.reason
                )),
            }),
            Outcome::Missing(why) => Err(Error::InvalidRequest(why.clone())),
            Outcome::Unsent => Err(Error::InvalidRequest(match &self.failure {
                Some(failure) => format!(
                    "batch item {:?} got no answer: a $batch request failed: {failure}",
                    entry.id
                ),
                None => format!("batch item {:?} was not sent", entry.id),
            })),
        }
    }

    /// The item's answer if its status is a success it accepts, as
    /// [`Request::send`](super::Request::send) checks it.
    fn success<T>(&self, item: &BatchItem<T>) -> Result<&Answer, Error> {
        let (entry, answer) = self.answer(item)?;
        let status = answer.status;
        if !(200..=299).contains(&status) {
            return Err(Error::Api(Box::new(ApiError::from_response(
                status,
                &answer.headers,
                &answer.body.to_bytes(),
            ))));
        }
        if let Some(expected) = entry.expected_status
            && expected != status
            && !entry.also_status.contains(&status)
        {
            return Err(Error::UnexpectedStatus {
                status,
                expected,
                body: String::from_utf8_lossy(&answer.body.to_bytes()).into_owned(),
            });
        }
        Ok(answer)
    }
}

fn response(answer: &Answer) -> BatchItemResponse {
    BatchItemResponse {
        status: answer.status,
        headers: answer.headers.clone(),
        body: answer.body.to_bytes(),
    }
}

impl fmt::Debug for BatchResponses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Each item's id and status: bodies may be anything, and large.
        let items: Vec<String> = self
            .items
            .iter()
            .map(|entry| match &entry.outcome {
                Outcome::Answered(answer) => format!("{}: {}", entry.id, answer.status),
                Outcome::Malformed { .. } => format!("{}: malformed", entry.id),
                Outcome::Missing(_) => format!("{}: no answer", entry.id),
                Outcome::Unsent => format!("{}: not sent", entry.id),
            })
            .collect();
        f.debug_struct("BatchResponses")
            .field("items", &items)
            .field("failure", &self.failure)
            .finish()
    }
}
