//! How a long-running operation can fail on its own terms (see
//! [`Error::Operation`](super::Error::Operation)): transport and HTTP
//! failures of the polls themselves are the usual [`Error`](super::Error)s.

use std::time::Duration;

use serde_json::Value;

use super::operation_status::OperationState;

/// Why an [`Operation`](super::Operation) did not end with its result.
///
/// Monitors are named by scheme, host and path only: a pre-authenticated
/// monitor URL may carry a secret in its query.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum OperationError {
    /// The service accepted the request but its answer names no monitor: no
    /// `Location` or `Operation-Location` header, or one that is no URL.
    #[error(
        "the service accepted the request (HTTP {status}) but named no operation monitor: {reason}"
    )]
    NoMonitor {
        /// The status of the answer.
        status: u16,
        /// What was wrong with it.
        reason: String,
    },

    /// The monitor says the operation failed.
    #[error("the operation monitored at {monitor} failed{}", describe(.code, .message))]
    Failed {
        /// The monitor, without its query.
        monitor: String,
        /// `error.code`, when the monitor gave one.
        code: Option<String>,
        /// `error.message`, when the monitor gave one.
        message: Option<String>,
        /// The monitor's last answer, as sent.
        raw: Value,
    },

    /// The operation had not ended when the wait's bound was reached (see
    /// [`Operation::max_wait`](super::Operation::max_wait)); it may still
    /// end later, so the monitor can be polled again.
    #[error(
        "the operation monitored at {monitor} had not ended after waiting {waited:?} (last state: {last:?})"
    )]
    TimedOut {
        /// The monitor, without its query.
        monitor: String,
        /// How long was waited.
        waited: Duration,
        /// The last state the monitor gave, `None` before any answer.
        last: Option<OperationState>,
    },
}

/// `": Conflict: the name is taken"` from what the monitor gave.
fn describe(code: &Option<String>, message: &Option<String>) -> String {
    match (code, message) {
        (Some(code), Some(message)) => format!(": {code}: {message}"),
        (Some(text), None) | (None, Some(text)) => format!(": {text}"),
        (None, None) => " (the monitor gave no error)".to_owned(),
    }
}
