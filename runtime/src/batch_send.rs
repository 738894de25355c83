//! Sending a [`Batch`](super::Batch): `$batch` requests of at most
//! [`MAX_BATCH_ITEMS`] items, one after the other, each followed by batches
//! of its throttled items for as long as the client's retry policy allows.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use serde_json::Value;

use super::batch::{Item, MAX_BATCH_ITEMS};
use super::batch_response::{BatchResponses, Outcome};
use super::batch_wire::{self, WireItem};
use super::client::Client;
use super::error::Error;
use super::raw_body::RawBody;
use super::request::read_body;
use super::retry;

/// Sends `items` of the batch `batch` (see [`Batch::send`](super::Batch::send)).
pub(super) async fn send(
    client: &Client,
    batch: u64,
    items: Vec<Item>,
) -> Result<BatchResponses, Error> {
    check_dependencies(&items)?;
    let mut outcomes: Vec<Outcome> = items.iter().map(|_| Outcome::Unsent).collect();
    let mut answered = false;
    let mut failure = None;
    for start in (0..items.len()).step_by(MAX_BATCH_ITEMS) {
        let chunk = start..items.len().min(start + MAX_BATCH_ITEMS);
        if let Err(err) = send_chunk(client, &items, chunk, &mut outcomes, &mut answered).await {
            // With nothing answered there is nothing to keep: the error is
            // the batch's. Otherwise the answers so far are worth keeping,
            // and the later items are not sent.
            if !answered {
                return Err(err);
            }
            failure = Some(err);
            break;
        }
    }
    Ok(BatchResponses::new(batch, items, outcomes, failure))
}

/// Refuses a dependency between items that go in different `$batch`
/// requests, which Graph cannot honour.
fn check_dependencies(items: &[Item]) -> Result<(), Error> {
    for (index, item) in items.iter().enumerate() {
        for &dependency in &item.depends_on {
            if dependency / MAX_BATCH_ITEMS == index / MAX_BATCH_ITEMS {
                continue;
            }
            let other = items.get(dependency).map_or("?", |other| &other.wire.id);
            return Err(Error::InvalidRequest(format!(
                "batch item {:?} (number {}) depends on item {other:?} (number {}), \
                 which would go in another $batch request: each carries at most \
                 {MAX_BATCH_ITEMS} items, in the order they were added",
                item.wire.id,
                index + 1,
                dependency + 1,
            )));
        }
    }
    Ok(())
}

/// Sends the items `chunk`, then those to retry, recording their outcomes.
/// `answered` is set once any answer was recorded.
async fn send_chunk(
    client: &Client,
    items: &[Item],
    chunk: Range<usize>,
    outcomes: &mut [Outcome],
    answered: &mut bool,
) -> Result<(), Error> {
    let started = Instant::now();
    let mut pending: Vec<usize> = chunk.collect();
    let mut retry = 0;
    loop {
        let (status, responses) = post(client, envelope(items, &pending)?).await?;
        record(items, &pending, status, responses, outcomes);
        *answered = true;
        let (again, asked) = follow_up(items, &pending, outcomes);
        if again.is_empty() {
            return Ok(());
        }
        // Once the policy gives up, the throttled answers are the items' errors.
        let Some(wait) = client.inner().retry.wait(retry, asked, started.elapsed()) else {
            return Ok(());
        };
        tokio::time::sleep(wait).await;
        retry += 1;
        pending = again;
    }
}

/// The `$batch` body for the items `pending`, each depending on those of
/// its dependencies that are sent with it (the others succeeded already).
fn envelope(items: &[Item], pending: &[usize]) -> Result<Vec<u8>, Error> {
    let sent: HashSet<usize> = pending.iter().copied().collect();
    let list: Vec<(&WireItem, Vec<&str>)> = pending
        .iter()
        .filter_map(|&index| items.get(index))
        .map(|item| {
            let depends_on = item
                .depends_on
                .iter()
                .filter(|dependency| sent.contains(dependency))
                .filter_map(|&dependency| items.get(dependency))
                .map(|dependency| dependency.wire.id.as_str())
                .collect();
            (&item.wire, depends_on)
        })
        .collect();
    batch_wire::envelope(&list)
}

/// Sends one `$batch` request: its status and the items of its answer.
async fn post(client: &Client, body: Vec<u8>) -> Result<(u16, Vec<Value>), Error> {
    let limit = client.inner().max_response_bytes;
    let response = client
        .request::<Value>(Method::POST, "/$batch")
        .raw_body(RawBody::from_bytes(body, "application/json"))
        .execute("application/json")
        .await?;
    let status = response.status().as_u16();
    let bytes = read_body(response, limit).await?;
    let decode_error = |source| Error::Decode {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        source,
    };
    let envelope: Value = super::from_json_body(&bytes).map_err(decode_error)?;
    let responses = batch_wire::responses(envelope).map_err(decode_error)?;
    Ok((status, responses))
}

/// Records the answers to the items `pending` of a `$batch` answered with
/// `status`; an item left unanswered gets an outcome that says so.
fn record(
    items: &[Item],
    pending: &[usize],
    status: u16,
    responses: Vec<Value>,
    outcomes: &mut [Outcome],
) {
    let by_id: HashMap<&str, usize> = pending
        .iter()
        .filter_map(|&index| Some((items.get(index)?.wire.id.as_str(), index)))
        .collect();
    let mut answered = HashSet::new();
    let mut unknown = Vec::new();
    let mut without_id = 0;
    for response in responses {
        let Some(id) = batch_wire::answer_id(&response) else {
            without_id += 1;
            continue;
        };
        let Some(&index) = by_id.get(id.as_str()) else {
            unknown.push(id);
            continue;
        };
        // The first answer for an item is its answer.
        if !answered.insert(index) {
            continue;
        }
        if let Some(outcome) = outcomes.get_mut(index) {
            *outcome = match batch_wire::answer(response) {
                Ok(answer) => Outcome::Answered(answer),
                Err(malformed) => Outcome::Malformed { status, malformed },
            };
        }
    }
    for &index in pending {
        if answered.contains(&index) {
            continue;
        }
        let (Some(item), Some(outcome)) = (items.get(index), outcomes.get_mut(index)) else {
            continue;
        };
        let mut why = format!(
            "the $batch answer has no response for item {:?}",
            item.wire.id
        );
        if !unknown.is_empty() {
            why.push_str(&format!(
                "; it answered ids that were not asked for: {unknown:?}"
            ));
        }
        if without_id > 0 {
            why.push_str(&format!("; {without_id} of its responses had no id"));
        }
        *outcome = Outcome::Missing(why);
    }
}

/// The items of `pending` to send again, in order, and the longest
/// `Retry-After` among them: those answered 429, 503 or 504, and those
/// answered 424 whose dependencies all either succeeded or are sent again.
fn follow_up(
    items: &[Item],
    pending: &[usize],
    outcomes: &[Outcome],
) -> (Vec<usize>, Option<Duration>) {
    let now = SystemTime::now();
    let mut again = Vec::new();
    let mut asked: Option<Duration> = None;
    let mut retried = HashSet::new();
    let status = |index: usize| match outcomes.get(index) {
        Some(Outcome::Answered(answer)) => Some(answer.status),
        _ => None,
    };
    // Dependencies come before their dependents, so `retried` already
    // holds those of each item when it is looked at.
    for &index in pending {
        let Some(Outcome::Answered(answer)) = outcomes.get(index) else {
            continue;
        };
        if retry::retryable(answer.status) {
            if let Some(wait) = retry::retry_after(&answer.headers, now) {
                asked = Some(asked.map_or(wait, |longest| longest.max(wait)));
            }
        } else if answer.status == 424 {
            let depends_on = items.get(index).map_or(&[][..], |item| &item.depends_on);
            let waits_for_retried = depends_on.iter().any(|d| retried.contains(d));
            let others_succeeded = depends_on.iter().all(|d| {
                retried.contains(d) || status(*d).is_some_and(|s| (200..=299).contains(&s))
            });
            if !(waits_for_retried && others_succeeded) {
                continue;
            }
        } else {
            continue;
        }
        retried.insert(index);
        again.push(index);
    }
    (again, asked)
}
