//! `POST /$batch`, Graph's JSON batching: each item of `{"requests": [...]}`
//! is answered by the mock's own pipeline as if it were sent alone, an item
//! only after the items it depends on (`dependsOn`), and the answers come
//! back as `{"responses": [...]}`.

use std::collections::{HashMap, HashSet};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hyper::StatusCode;
use serde_json::{Map, Value, json};

use super::routes::MockResponse;
use super::server::{Context, error, reply};

/// The most items Graph takes in one `$batch`.
const MAX_ITEMS: usize = 20;

/// The version root of a `$batch` path: `/v1.0` for `/v1.0/$batch`, empty
/// for `/$batch`; `None` for any other path.
pub(super) fn version_prefix(path: &str) -> Option<&str> {
    let prefix = path
        .strip_suffix("/$batch")
        .or_else(|| path.strip_suffix("/%24batch"))?;
    // One segment at most: `/v1.0`, `/beta`.
    (!prefix.get(1..).unwrap_or_default().contains('/')).then_some(prefix)
}

/// One item of the batch.
struct Item {
    id: String,
    method: String,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

/// The answer to a `$batch` posted under `version` (see [`version_prefix`]).
/// A batch Graph would refuse as a whole (not JSON, more than 20 items,
/// duplicate ids, a dependency on an unknown id or a cycle) is a 400.
pub(super) fn answer(context: &Context<'_>, version: &str, body: &[u8]) -> MockResponse {
    let items = match items(body) {
        Ok(items) => items,
        Err(why) => return error(StatusCode::BAD_REQUEST, "BadRequest", &why),
    };
    let mut statuses: HashMap<String, u16> = HashMap::new();
    let mut remaining = items;
    let mut responses = Vec::new();
    while !remaining.is_empty() {
        // The first item whose dependencies are all answered.
        let Some(next) = remaining.iter().position(|item| {
            item.depends_on
                .iter()
                .all(|dependency| statuses.contains_key(dependency))
        }) else {
            return error(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "the dependsOn of the batch's items form a cycle",
            );
        };
        let item = remaining.remove(next);
        let failed = item.depends_on.iter().find(|dependency| {
            !statuses
                .get(*dependency)
                .is_some_and(|status| (200..300).contains(status))
        });
        let response = match failed {
            Some(dependency) => error(
                StatusCode::FAILED_DEPENDENCY,
                "FailedDependency",
                &format!("item {dependency:?}, which this item depends on, failed"),
            ),
            None => dispatch(context, version, &item),
        };
        statuses.insert(item.id.clone(), response.status);
        responses.push(wire_response(&item.id, response));
    }
    MockResponse {
        status: 200,
        headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
        body: Some(json!({ "responses": responses }).to_string()),
    }
}

/// The batch's items, checked as Graph checks them.
fn items(body: &[u8]) -> Result<Vec<Item>, String> {
    let batch: Value =
        serde_json::from_slice(body).map_err(|err| format!("the batch is not JSON: {err}"))?;
    let Some(requests) = batch.get("requests").and_then(Value::as_array) else {
        return Err("the batch has no \"requests\" array".to_owned());
    };
    if requests.len() > MAX_ITEMS {
        return Err(format!(
            "a batch takes at most {MAX_ITEMS} requests, this one has {}",
            requests.len()
        ));
    }
    let text = |item: &Value, name: &str| {
        item.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| format!("a batch request has no {name:?}"))
    };
    let mut items = Vec::new();
    let mut ids = HashSet::new();
    for request in requests {
        let id = text(request, "id")?;
        if !ids.insert(id.clone()) {
            return Err(format!("the batch has two requests with id {id:?}"));
        }
        let depends_on = match request.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(list)) => list
                .iter()
                .map(|id| id.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| format!("request {id:?} has a dependsOn that is not ids"))?,
            Some(_) => return Err(format!("request {id:?} has a dependsOn that is not a list")),
        };
        items.push(Item {
            method: text(request, "method")?.to_ascii_uppercase(),
            url: text(request, "url")?,
            headers: request
                .get("headers")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            body: request.get("body").cloned(),
            depends_on,
            id,
        });
    }
    for item in &items {
        if let Some(unknown) = item
            .depends_on
            .iter()
            .find(|id| !ids.contains(*id) || **id == item.id)
        {
            return Err(format!(
                "request {:?} depends on {unknown:?}, which is not another request of the batch",
                item.id
            ));
        }
    }
    Ok(items)
}

/// The answer to one item, as if it were sent alone below `version`.
fn dispatch(context: &Context<'_>, version: &str, item: &Item) -> MockResponse {
    // Graph takes URLs relative to the version root only.
    if !item.url.starts_with('/') {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            &format!("a batch request's url must be relative: {:?}", item.url),
        );
    }
    let (path, query) = match item.url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (item.url.as_str(), None),
    };
    let path = format!("{version}{path}");
    if version_prefix(&path).is_some() {
        return error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "a batch cannot contain a batch",
        );
    }
    let body = match &item.body {
        None | Some(Value::Null) => Vec::new(),
        // Content that is not JSON comes base64-encoded.
        Some(Value::String(text)) if !is_json(header(&item.headers, "content-type")) => {
            match STANDARD.decode(text) {
                Ok(bytes) => bytes,
                Err(_) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "BadRequest",
                        "a body that is not JSON must be base64-encoded",
                    );
                }
            }
        }
        Some(json) => json.to_string().into_bytes(),
    };
    // The item's own headers take part in strict matching (`Prefer`…).
    let headers: Vec<(String, String)> = item
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
        .collect();
    reply(context, &item.method, &path, query, &headers, &body)
}

/// `{id, status, headers, body}`: a JSON body as JSON, other content
/// base64-encoded, as Graph answers.
fn wire_response(id: &str, response: MockResponse) -> Value {
    let mut headers = Map::new();
    for (name, value) in &response.headers {
        match headers.get_mut(name) {
            Some(Value::String(joined)) => {
                joined.push_str(", ");
                joined.push_str(value);
            }
            _ => {
                headers.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
    let content_type = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .and_then(|(_, value)| value.as_str())
        .map(str::to_owned);
    let mut answer = json!({"id": id, "status": response.status});
    if let Some(body) = response.body {
        let typed_json = content_type.is_some() && is_json(content_type.as_deref());
        let json = is_json(content_type.as_deref())
            .then(|| serde_json::from_str::<Value>(&body).ok())
            .flatten();
        let body = match json {
            Some(json) => json,
            // Lenient JSON a page documents goes as text, for the client to refuse.
            None if typed_json => Value::String(body),
            None => {
                if content_type.is_none() {
                    // Without a type, base64 would not be read as content.
                    headers.insert(
                        "Content-Type".to_owned(),
                        Value::from("application/octet-stream"),
                    );
                }
                Value::String(STANDARD.encode(body.as_bytes()))
            }
        };
        answer["body"] = body;
    }
    answer["headers"] = Value::Object(headers);
    answer
}

fn header<'a>(headers: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, value)| value.as_str())
}

/// Whether a `Content-Type` is JSON; no type at all counts as JSON, which
/// is what a body without one is in a batch.
fn is_json(content_type: Option<&str>) -> bool {
    let Some(content_type) = content_type else {
        return true;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_batch_under_one_version_segment_is_a_batch() {
        assert_eq!(version_prefix("/$batch"), Some(""));
        assert_eq!(version_prefix("/v1.0/$batch"), Some("/v1.0"));
        assert_eq!(version_prefix("/beta/%24batch"), Some("/beta"));
        assert_eq!(version_prefix("/v1.0/me/$batch"), None);
        assert_eq!(version_prefix("/v1.0/me"), None);
        assert_eq!(version_prefix("$batch"), None);
    }

    #[test]
    fn batches_graph_refuses_are_refused_whole() {
        for (body, why) in [
            (&b"not json"[..], "not JSON"),
            (br#"{"value": []}"#, "requests"),
            (br#"{"requests": [{"id": "1", "method": "GET", "url": "/me"}, {"id": "1", "method": "GET", "url": "/me"}]}"#, "two requests"),
            (br#"{"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["2"]}]}"#, "depends on"),
            (br#"{"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["1"]}]}"#, "depends on"),
            (br#"{"requests": [{"id": "1", "url": "/me"}]}"#, "method"),
        ] {
            match items(body) {
                Err(message) => assert!(message.contains(why), "{message}"),
                Ok(_) => panic!("accepted {}", String::from_utf8_lossy(body)),
            }
        }
        let many: Vec<Value> = (0..21)
            .map(|n| json!({"id": n.to_string(), "method": "GET", "url": "/me"}))
            .collect();
        let body = json!({ "requests": many }).to_string();
        assert!(items(body.as_bytes()).is_err());
    }

    #[test]
    fn answers_carry_json_as_json_and_content_as_base64() {
        let json_answer = wire_response(
            "1",
            MockResponse {
                status: 200,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Some(r#"{"id": "x"}"#.into()),
            },
        );
        assert_eq!(
            json_answer,
            json!({"id": "1", "status": 200, "headers": {"Content-Type": "application/json"},
                   "body": {"id": "x"}})
        );
        let text = wire_response(
            "2",
            MockResponse {
                status: 200,
                headers: vec![],
                body: Some("hello".into()),
            },
        );
        assert_eq!(text["body"], json!("aGVsbG8="));
        assert_eq!(
            text["headers"]["Content-Type"],
            json!("application/octet-stream")
        );
        let none = wire_response(
            "3",
            MockResponse {
                status: 204,
                headers: vec![],
                body: None,
            },
        );
        assert_eq!(none, json!({"id": "3", "status": 204, "headers": {}}));
    }
}
