use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::operation_error::OperationError;
use super::upload_error::UploadError;

/// Everything that can go wrong while sending a [`Request`](super::Request).
///
/// `Display` gives a one-line summary; the underlying cause, where there is
/// one, is available from [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read
    /// (DNS, connection, TLS, timeout, interrupted body, ...).
    #[error("HTTP transport error")]
    Transport(#[source] reqwest::Error),

    /// The service answered with a status outside `200..=299`.
    #[error("{0}")]
    Api(Box<ApiError>),

    /// The service answered with a success status other than the one the
    /// operation documents (see [`Request::expect_status`](super::Request::expect_status)).
    #[error("unexpected HTTP status {status} (expected {expected})")]
    UnexpectedStatus {
        /// The status that was received.
        status: u16,
        /// The status that the operation documents.
        expected: u16,
        /// The raw response body, lossily decoded as UTF-8.
        body: String,
    },

    /// A success response whose body does not match the expected type.
    #[error("failed to decode the response body (HTTP {status})")]
    Decode {
        /// The status of the response.
        status: u16,
        /// The raw response body, lossily decoded as UTF-8.
        body: String,
        /// Why the body did not decode.
        #[source]
        source: serde_json::Error,
    },

    /// The request body could not be serialized to JSON.
    #[error("failed to serialize the request body")]
    Serialize(#[source] serde_json::Error),

    /// The request was malformed before anything was sent: an invalid header
    /// name or value, base URL, path or link, or a request that cannot go
    /// into a [`Batch`](super::Batch). Also a batch item that got no answer
    /// (see [`BatchResponses::get`](super::BatchResponses::get)).
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// The response body is longer than the client accepts (see
    /// [`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)).
    #[error("the response body (HTTP {status}) is longer than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The status of the response.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
    },

    /// The [`TokenProvider`](super::TokenProvider) could not supply a usable token.
    #[error("failed to obtain an access token: {0}")]
    Token(String),

    /// An [`UploadTask`](super::UploadTask) failed for a reason of its own:
    /// an expired session, its source, or the upload protocol.
    #[error(transparent)]
    Upload(#[from] UploadError),

    /// The identity provider answered a sign-in with a refusal: the user let
    /// the device code expire or declined, or the authority rejected the
    /// request. Failures to reach it are [`Error::Token`].
    #[error("sign-in failed: {0}")]
    SignIn(SignInError),

    /// A [`Download`](super::Download)'s body was cut off: the connection
    /// broke while it was read, or the body ended before the
    /// `Content-Length` the service declared.
    #[error("the response body (HTTP {status}) was cut off after {received} bytes{}", of_expected(.expected))]
    Truncated {
        /// The status of the response.
        status: u16,
        /// The bytes that arrived.
        received: u64,
        /// The `Content-Length` the service declared, if it did.
        expected: Option<u64>,
        /// The transport error that ended the body, if one did.
        #[source]
        source: Option<reqwest::Error>,
    },

    /// A long-running [`Operation`](super::Operation) failed, named no
    /// monitor, or had not ended within its bound.
    #[error(transparent)]
    Operation(Box<OperationError>),

    /// Reading or writing a local file or stream failed (see
    /// [`Download::write_to`](super::Download::write_to)).
    #[error("I/O error while writing downloaded content")]
    Io(#[source] std::io::Error),
}

/// `" of 1024"` when the length was declared.
fn of_expected(expected: &Option<u64>) -> String {
    expected.map_or_else(String::new, |n| format!(" of {n}"))
}

impl Error {
    /// The HTTP status of the response that caused this error, if one was received.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Transport(err) => err.status().map(|status| status.as_u16()),
            Error::Api(err) => Some(err.status),
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Truncated { status, .. } => Some(*status),
            Error::Upload(err) => err.status(),
            Error::Serialize(_)
            | Error::InvalidRequest(_)
            | Error::Token(_)
            | Error::SignIn(_)
            | Error::Operation(_)
            | Error::Io(_) => None,
        }
    }
}

/// Why an identity provider refused to issue a token (see [`Error::SignIn`]).
///
/// Each variant keeps the OAuth 2.0 `error_description` the authority sent,
/// which says what to do (Microsoft Entra ID puts an `AADSTS…` code in it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignInError {
    /// The user did not enter the device code before it expired
    /// (`expired_token`): start again and enter the code sooner.
    #[error("the device code expired before the user signed in{}", suffix(.description))]
    CodeExpired {
        /// The authority's `error_description`, if any.
        description: Option<String>,
    },
    /// The user declined the sign-in or the consent (`access_denied`).
    #[error("the user declined the sign-in{}", suffix(.description))]
    Declined {
        /// The authority's `error_description`, if any.
        description: Option<String>,
    },
    /// Another OAuth 2.0 error, such as `invalid_client` (an unknown client
    /// id, or an app not allowed to use public client flows) or
    /// `invalid_scope`.
    #[error("the authority answered {code}{}", suffix(.description))]
    Refused {
        /// The OAuth 2.0 `error` code.
        code: String,
        /// The authority's `error_description`, if any.
        description: Option<String>,
    },
}

fn suffix(description: &Option<String>) -> String {
    match description {
        Some(text) if !text.trim().is_empty() => format!(": {}", text.trim()),
        _ => String::new(),
    }
}

/// A non-success response from Microsoft Graph.
///
/// Graph reports errors as
/// `{"error": {"code": "...", "message": "...", "innerError": {"request-id": "...", "date": "..."}}}`.
/// The decoded fields are `None` when the body is not in that shape (an HTML
/// page from a proxy, say); [`body`](Self::body) always keeps the raw text.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// `error.code`, e.g. `Request_ResourceNotFound`.
    pub code: Option<String>,
    /// `error.message`, meant for humans.
    pub message: Option<String>,
    /// `error.innerError`, as sent.
    pub inner_error: Option<Value>,
    /// `innerError.request-id`, else the `request-id` or `client-request-id`
    /// response header; quote it when contacting Microsoft support.
    pub request_id: Option<String>,
    /// `innerError.date`, else the `Date` response header.
    pub date: Option<String>,
    /// The `Retry-After` delay sent with throttling (429) and unavailability
    /// (503) responses, when given in seconds.
    pub retry_after: Option<Duration>,
    /// The raw response body, lossily decoded as UTF-8.
    pub body: String,
}

impl ApiError {
    /// Builds the error for a non-success response from its parts. Never
    /// fails: whatever cannot be decoded is left as `None`.
    pub(super) fn from_response(status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let mut error = ApiError {
            status,
            code: None,
            message: None,
            inner_error: None,
            request_id: None,
            date: None,
            retry_after: None,
            body: String::from_utf8_lossy(body).into_owned(),
        };

        if let Ok(Value::Object(mut envelope)) = serde_json::from_slice::<Value>(body)
            && let Some(Value::Object(mut detail)) = envelope.remove("error")
        {
            error.code = detail.remove("code").and_then(into_string);
            error.message = detail.remove("message").and_then(|message| match message {
                // OData v3-style services wrap the text: {"lang": "en-US", "value": "..."}.
                Value::Object(mut localized) => localized.remove("value").and_then(into_string),
                other => into_string(other),
            });
            error.inner_error = detail
                .remove("innerError")
                .or_else(|| detail.remove("innererror"));
        }

        if let Some(Value::Object(inner)) = &error.inner_error {
            error.request_id = inner.get("request-id").and_then(as_string);
            error.date = inner.get("date").and_then(as_string);
        }
        error.request_id = error.request_id.take().or_else(|| {
            header_str(headers, "request-id").or_else(|| header_str(headers, "client-request-id"))
        });
        error.date = error.date.take().or_else(|| header_str(headers, "date"));
        error.retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        error
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Microsoft Graph returned HTTP {}", self.status)?;
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, ": {code}: {message}")?,
            (Some(text), None) | (None, Some(text)) => write!(f, ": {text}")?,
            (None, None) => {
                // Enough of an unstructured body (HTML, plain text) to recognise it.
                const MAX_CHARS: usize = 200;
                let snippet: String = self.body.trim().chars().take(MAX_CHARS).collect();
                if !snippet.is_empty() {
                    let ellipsis = if self.body.trim().chars().nth(MAX_CHARS).is_some() {
                        "..."
                    } else {
                        ""
                    };
                    write!(f, ": {snippet}{ellipsis}")?;
                }
            }
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request-id: {request_id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

fn into_string(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        _ => None,
    }
}

fn as_string(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn decodes_graph_error_body() {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist.",
            "innerError":{"date":"2024-01-02T03:04:05","request-id":"rid-1","client-request-id":"cid-1"}}}"#;
        let err = ApiError::from_response(404, &headers(&[("request-id", "from-header")]), body);
        assert_eq!(err.status, 404);
        assert_eq!(err.code.as_deref(), Some("Request_ResourceNotFound"));
        assert_eq!(err.message.as_deref(), Some("Resource 'x' does not exist."));
        assert_eq!(err.request_id.as_deref(), Some("rid-1"));
        assert_eq!(err.date.as_deref(), Some("2024-01-02T03:04:05"));
        assert_eq!(
            err.inner_error
                .as_ref()
                .and_then(|v| v.get("client-request-id")),
            Some(&Value::from("cid-1"))
        );
        assert_eq!(err.body.as_bytes(), body);
        assert_eq!(
            err.to_string(),
            "Microsoft Graph returned HTTP 404: Request_ResourceNotFound: Resource 'x' does not exist. (request-id: rid-1)"
        );
    }

    #[test]
    fn falls_back_to_headers() {
        let body = br#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#;
        let headers = headers(&[
            ("client-request-id", "cid-2"),
            ("date", "Tue, 02 Jan 2024 03:04:05 GMT"),
            ("retry-after", " 7 "),
        ]);
        let err = ApiError::from_response(429, &headers, body);
        assert_eq!(err.request_id.as_deref(), Some("cid-2"));
        assert_eq!(err.date.as_deref(), Some("Tue, 02 Jan 2024 03:04:05 GMT"));
        assert_eq!(err.retry_after, Some(Duration::from_secs(7)));
        assert_eq!(err.inner_error, None);
    }

    #[test]
    fn accepts_localized_message_and_lowercase_innererror() {
        let body = br#"{"error":{"code":"c","message":{"lang":"en-US","value":"text"},"innererror":{"request-id":"r"}}}"#;
        let err = ApiError::from_response(400, &HeaderMap::new(), body);
        assert_eq!(err.message.as_deref(), Some("text"));
        assert_eq!(err.request_id.as_deref(), Some("r"));
    }

    #[test]
    fn tolerates_unexpected_shapes() {
        for body in [
            &b"<html><body>Bad gateway</body></html>"[..],
            b"",
            b"\xff\xfe not utf-8",
            br#"{"error":"a string"}"#,
            br#"{"error":{"code":42,"message":null,"innerError":[1]}}"#,
            br#"[1,2,3]"#,
        ] {
            let err = ApiError::from_response(502, &headers(&[("retry-after", "soon")]), body);
            assert_eq!(err.code, None);
            assert_eq!(err.message, None);
            assert_eq!(err.request_id, None);
            assert_eq!(err.retry_after, None);
            assert_eq!(err.body, String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn display_of_unstructured_body_is_bounded() {
        let long = "é".repeat(1000);
        let err = ApiError::from_response(500, &HeaderMap::new(), long.as_bytes());
        let shown = err.to_string();
        assert!(shown.ends_with("..."), "{shown}");
        assert!(shown.chars().count() < 300, "{shown}");

        let empty = ApiError::from_response(500, &HeaderMap::new(), b"  ");
        assert_eq!(empty.to_string(), "Microsoft Graph returned HTTP 500");
    }

    #[test]
    fn error_reports_status_and_is_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();

        let err = Error::Api(Box::new(ApiError::from_response(
            403,
            &HeaderMap::new(),
            b"",
        )));
        assert_eq!(err.status(), Some(403));
        assert_eq!(Error::Token("expired".into()).status(), None);
        let decode = serde_json::from_str::<u8>("x").unwrap_err();
        let err = Error::Decode {
            status: 200,
            body: "x".into(),
            source: decode,
        };
        assert_eq!(err.status(), Some(200));
        assert!(std::error::Error::source(&err).is_some());
    }
}
