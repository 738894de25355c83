//! What a long-running operation's monitor says: its answer read into one
//! shape whatever resource the service uses for it.
//!
//! Graph has several monitor resources and they disagree on spelling: a
//! `teamsAsyncOperation` says `status: "inProgress"` and `targetResourceLocation`,
//! an `onenoteOperation` `"Running"` and `percentComplete: "40"` (a string),
//! OneDrive's monitor `percentageComplete: 58.9` and `"completed"`, a
//! `printOperation` `status: {"state": "running", "description": …}`, a
//! `connectionOperation` `"inprogress"`. Reading them here keeps the poller
//! free of those differences.

use std::time::Duration;

use serde_json::{Map, Value};

use super::error::Error;

/// Where a long-running operation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OperationState {
    /// Accepted and queued (`notStarted`).
    NotStarted,
    /// Under way (`inProgress`, `running`, `updating`, `waiting`).
    Running,
    /// Done (`succeeded`, `completed`), or the monitor redirected to the result.
    Succeeded,
    /// Ended without the result (`failed`, `cancelled`, `deleteFailed`).
    Failed,
    /// A status this runtime does not know (`unknownFutureValue`, a new
    /// value): treated as not done yet; [`OperationStatus::status_text`] has it.
    Unknown,
}

impl OperationState {
    /// Whether the operation has ended, well or not.
    pub fn is_done(self) -> bool {
        matches!(self, OperationState::Succeeded | OperationState::Failed)
    }

    /// The state a monitor's `status` (or `status.state`) string names;
    /// Graph spells them in several cases.
    fn from_text(text: &str) -> OperationState {
        match text.to_ascii_lowercase().as_str() {
            "notstarted" | "queued" | "accepted" => OperationState::NotStarted,
            "inprogress" | "running" | "updating" | "waiting" => OperationState::Running,
            "succeeded" | "completed" | "complete" | "success" => OperationState::Succeeded,
            "failed" | "cancelled" | "canceled" | "deletefailed" => OperationState::Failed,
            _ => OperationState::Unknown,
        }
    }
}

/// One answer of a long-running operation's monitor (see
/// [`Operation::poll`](super::Operation::poll)).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct OperationStatus {
    /// Where the operation stands.
    pub state: OperationState,
    /// The monitor's `status` (or `status.state`) as written, if any.
    pub status_text: Option<String>,
    /// Progress in percent (`percentageComplete` or `percentComplete`, a
    /// number or a string), when the monitor gives it.
    pub percent_complete: Option<f64>,
    /// The id of what the operation made or changed (`resourceId`,
    /// `targetResourceId`), when given.
    pub resource_id: Option<String>,
    /// Where that resource is (`resourceLocation`, `targetResourceLocation`,
    /// or the URL a redirect led to), as sent: absolute, or relative to the
    /// base URL.
    pub resource_location: Option<String>,
    /// `error.code` of a failed operation, when given.
    pub error_code: Option<String>,
    /// `error.message` of a failed operation, when given.
    pub error_message: Option<String>,
    /// The HTTP status of the monitor's answer.
    pub http_status: u16,
    /// How long the monitor asked to wait before asking again (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The JSON the monitor sent (`null` for an empty body); after a
    /// redirect to the result, the result's JSON.
    pub raw: Value,
    /// Whether `raw` is the resource itself (the monitor redirected to it).
    pub(super) raw_is_resource: bool,
}

impl OperationStatus {
    /// The status a monitor's answer says: `http_status` and its body.
    ///
    /// An empty body is a running operation with `202 Accepted` and a done
    /// one otherwise (`200`, `204`: nothing to point at).
    ///
    /// # Errors
    ///
    /// [`Error::Decode`] when the body is not a JSON object, or one with no
    /// `status` a state can be read from.
    pub(super) fn from_monitor(
        http_status: u16,
        retry_after: Option<Duration>,
        bytes: &[u8],
    ) -> Result<OperationStatus, Error> {
        let empty = OperationStatus {
            state: OperationState::Succeeded,
            status_text: None,
            percent_complete: None,
            resource_id: None,
            resource_location: None,
            error_code: None,
            error_message: None,
            http_status,
            retry_after,
            raw: Value::Null,
            raw_is_resource: false,
        };
        if bytes.trim_ascii().is_empty() {
            let state = if http_status == 202 {
                OperationState::Running
            } else {
                OperationState::Succeeded
            };
            return Ok(OperationStatus { state, ..empty });
        }
        let undecodable = |source: serde_json::Error| Error::Decode {
            status: http_status,
            body: String::from_utf8_lossy(bytes).into_owned(),
            source,
        };
        let raw: Value = serde_json::from_slice(bytes).map_err(undecodable)?;
        let Some(object) = raw.as_object() else {
            return Err(undecodable(serde::de::Error::custom(
                "an operation monitor answered something else than a JSON object",
            )));
        };
        let status_text = match object.get("status") {
            Some(Value::String(text)) => Some(text.clone()),
            // printOperation: `{"state": "running", "description": "…"}`.
            Some(Value::Object(status)) => status
                .get("state")
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        };
        let Some(text) = status_text else {
            return Err(undecodable(serde::de::Error::custom(
                "an operation monitor's answer has no status",
            )));
        };
        let error = object.get("error").and_then(Value::as_object);
        Ok(OperationStatus {
            state: OperationState::from_text(&text),
            status_text: Some(text),
            percent_complete: percent(object),
            resource_id: first_string(object, &["resourceId", "targetResourceId"]),
            resource_location: first_string(
                object,
                &["resourceLocation", "targetResourceLocation"],
            ),
            error_code: error.and_then(|e| first_string(e, &["code"])),
            error_message: error.and_then(|e| first_string(e, &["message"])),
            raw: raw.clone(),
            ..empty
        })
    }

    /// The status after the monitor redirected to the result (`303 See
    /// Other`): done, pointing at `location`, with the result's JSON when it
    /// was read (`None` when it still has to be fetched).
    pub(super) fn redirected(
        http_status: u16,
        location: String,
        resource: Option<Value>,
    ) -> OperationStatus {
        OperationStatus {
            state: OperationState::Succeeded,
            status_text: None,
            percent_complete: None,
            resource_id: resource
                .as_ref()
                .and_then(Value::as_object)
                .and_then(|o| first_string(o, &["id"])),
            resource_location: Some(location),
            error_code: None,
            error_message: None,
            http_status,
            retry_after: None,
            raw_is_resource: resource.is_some(),
            raw: resource.unwrap_or(Value::Null),
        }
    }
}

/// The first of `names` that holds a non-empty string.
fn first_string(object: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|name| object.get(*name).and_then(Value::as_str))
        .find(|text| !text.trim().is_empty())
        .map(str::to_owned)
}

/// `percentageComplete` or `percentComplete`, a number or a numeric string.
fn percent(object: &Map<String, Value>) -> Option<f64> {
    ["percentageComplete", "percentComplete"]
        .iter()
        .filter_map(|name| object.get(*name))
        .find_map(|value| match value {
            Value::Number(n) => n.as_f64(),
            Value::String(text) => text.trim().trim_end_matches('%').parse::<f64>().ok(),
            _ => None,
        })
        .filter(|p| p.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: u16, body: &str) -> OperationStatus {
        OperationStatus::from_monitor(status, None, body.as_bytes()).expect("a monitor answer")
    }

    #[test]
    fn reads_every_monitor_shape() {
        let drive = read(
            202,
            r#"{"operation":"itemCopy","percentageComplete":58.9,"status":"inProgress"}"#,
        );
        assert_eq!(drive.state, OperationState::Running);
        assert_eq!(drive.percent_complete, Some(58.9));

        let onenote = read(
            200,
            r#"{"status":"Completed","percentComplete":"100","resourceLocation":"https://x/pages/1","resourceId":"1"}"#,
        );
        assert_eq!(onenote.state, OperationState::Succeeded);
        assert_eq!(onenote.percent_complete, Some(100.0));
        assert_eq!(
            onenote.resource_location.as_deref(),
            Some("https://x/pages/1")
        );
        assert_eq!(onenote.resource_id.as_deref(), Some("1"));

        let team = read(
            200,
            r#"{"status":"failed","targetResourceId":"t","error":{"code":"Conflict","message":"taken"}}"#,
        );
        assert_eq!(team.state, OperationState::Failed);
        assert_eq!(team.error_code.as_deref(), Some("Conflict"));
        assert_eq!(team.error_message.as_deref(), Some("taken"));
        assert_eq!(team.resource_id.as_deref(), Some("t"));

        let print = read(
            200,
            r#"{"status":{"state":"notStarted","description":"queued"}}"#,
        );
        assert_eq!(print.state, OperationState::NotStarted);

        let future = read(200, r#"{"status":"unknownFutureValue"}"#);
        assert_eq!(future.state, OperationState::Unknown);
        assert!(!future.state.is_done());
    }

    #[test]
    fn empty_answers_follow_the_http_status() {
        assert_eq!(read(202, "").state, OperationState::Running);
        assert_eq!(read(204, " ").state, OperationState::Succeeded);
    }

    #[test]
    fn garbage_is_a_decode_error() {
        for body in [
            "<html>",
            "[1,2]",
            "{\"percentComplete\": 5}",
            "\"done\"",
            "{\"status\": 3}",
        ] {
            let got = OperationStatus::from_monitor(200, None, body.as_bytes());
            assert!(
                matches!(&got, Err(Error::Decode { status: 200, .. })),
                "{body}: {got:?}"
            );
        }
    }
}
