//! The JSON of Graph's `$batch`: a [`Request`](super::Request) as an item of
//! `{"requests": [...]}`, and the items of the `{"responses": [...]}` answer.

use std::collections::BTreeMap;

use base64::Engine as _;
use bytes::Bytes;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde::de::{Error as _, IntoDeserializer};
use serde_json::{Map, Value};

use super::error::Error;
use super::raw_body::Source;
use super::request::{Body, Parts};
use super::serde_helpers::base64_bytes;

/// One request as a `$batch` item. Its `dependsOn` is added when it is
/// sent: a follow-up batch leaves out the dependencies answered already.
pub(super) struct WireItem {
    pub(super) id: String,
    pub(super) method: String,
    /// Relative to the version root, query included: `/me/messages?$top=1`.
    pub(super) url: String,
    /// The request's own headers, by their (lowercase) names.
    headers: BTreeMap<String, String>,
    body: Option<WireBody>,
}

enum WireBody {
    /// The request's JSON, spliced in as it was serialized.
    Json(Bytes),
    /// Raw content as a base64 string, which is how `$batch` carries it.
    Base64(String),
}

/// The item without its body, which [`WireItem::write`] splices in.
#[derive(Serialize)]
struct ItemHead<'a> {
    id: &'a str,
    method: &'a str,
    url: &'a str,
    #[serde(rename = "dependsOn", skip_serializing_if = "no_ids")]
    depends_on: &'a [&'a str],
    #[serde(skip_serializing_if = "no_headers")]
    headers: &'a BTreeMap<String, String>,
}

fn no_ids(ids: &&[&str]) -> bool {
    ids.is_empty()
}

fn no_headers(headers: &&BTreeMap<String, String>) -> bool {
    headers.is_empty()
}

impl WireItem {
    /// `parts` as the item `id` of a batch sent to `base_url`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for a request that sets its own
    /// `Authorization` (the batch carries the client's token), has a
    /// streamed body (a batch carries bytes in memory), or whose URL is not
    /// below `base_url`.
    pub(super) fn new(id: String, parts: Parts, base_url: &str) -> Result<WireItem, Error> {
        let invalid = |why: String| Error::InvalidRequest(format!("batch item {id:?}: {why}"));
        let url = relative_url(parts.url.as_str(), base_url).ok_or_else(|| {
            invalid(format!(
                "{} is not below the base URL {base_url}",
                parts.url.as_str()
            ))
        })?;
        let mut headers = BTreeMap::new();
        for (name, value) in &parts.headers {
            if name == header::AUTHORIZATION {
                return Err(invalid(
                    "a batch item cannot set its own Authorization header: \
                     the $batch request carries the client's token"
                        .to_owned(),
                ));
            }
            let value = std::str::from_utf8(value.as_bytes())
                .map_err(|_| invalid(format!("the value of header {name} is not UTF-8")))?;
            headers
                .entry(name.as_str().to_owned())
                .and_modify(|joined: &mut String| {
                    joined.push_str(", ");
                    joined.push_str(value);
                })
                .or_insert_with(|| value.to_owned());
        }
        // As when sent alone, the request's own Content-Type wins.
        let content_type = header::CONTENT_TYPE.as_str().to_owned();
        let body = match parts.body {
            None => None,
            Some(Body::Json(bytes)) => {
                // Graph reads an item's body as JSON only with this header.
                headers
                    .entry(content_type)
                    .or_insert_with(|| "application/json".to_owned());
                Some(WireBody::Json(bytes))
            }
            Some(Body::Raw(raw)) => {
                if HeaderValue::from_str(&raw.content_type).is_err() {
                    return Err(invalid(format!(
                        "invalid content type {:?} for a raw body",
                        raw.content_type
                    )));
                }
                let Source::Bytes(bytes) = raw.source else {
                    return Err(invalid(
                        "a streamed body cannot go into a $batch, which carries \
                         bytes in memory: use RawBody::from_bytes"
                            .to_owned(),
                    ));
                };
                headers.entry(content_type).or_insert(raw.content_type);
                Some(WireBody::Base64(
                    base64::engine::general_purpose::STANDARD.encode(&bytes),
                ))
            }
        };
        Ok(WireItem {
            id,
            method: parts.method.as_str().to_owned(),
            url,
            headers,
            body,
        })
    }

    /// Appends this item, depending on `depends_on`, to `out`.
    fn write(&self, out: &mut Vec<u8>, depends_on: &[&str]) -> Result<(), Error> {
        let head = ItemHead {
            id: &self.id,
            method: &self.method,
            url: &self.url,
            depends_on,
            headers: &self.headers,
        };
        serde_json::to_writer(&mut *out, &head).map_err(Error::Serialize)?;
        let Some(body) = &self.body else {
            return Ok(());
        };
        // The head is a JSON object: reopen it to add the body, so that a
        // JSON body goes out byte for byte as it was serialized (key order,
        // numbers beyond f64) instead of through a `serde_json::Value`.
        if out.pop() != Some(b'}') {
            return Err(Error::InvalidRequest(format!(
                "batch item {:?} did not serialize to a JSON object",
                self.id
            )));
        }
        out.extend_from_slice(b",\"body\":");
        match body {
            WireBody::Json(bytes) => out.extend_from_slice(bytes),
            WireBody::Base64(text) => {
                serde_json::to_writer(&mut *out, text).map_err(Error::Serialize)?;
            }
        }
        out.push(b'}');
        Ok(())
    }
}

/// The body of one `$batch` request: `{"requests": [...]}` with `items`,
/// each with the ids it depends on.
pub(super) fn envelope(items: &[(&WireItem, Vec<&str>)]) -> Result<Vec<u8>, Error> {
    let mut out = b"{\"requests\":[".to_vec();
    for (n, (item, depends_on)) in items.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        item.write(&mut out, depends_on)?;
    }
    out.extend_from_slice(b"]}");
    Ok(out)
}

/// `url` relative to `base` (both as [`Request::url`](super::Request::url)
/// writes them), always starting with `/`; `None` when it is not below `base`.
fn relative_url(url: &str, base: &str) -> Option<String> {
    let rest = url.strip_prefix(base)?;
    if rest.starts_with('/') {
        Some(rest.to_owned())
    } else if rest.is_empty() || rest.starts_with('?') {
        Some(format!("/{rest}"))
    } else {
        // `https://host/v1.0beta` is not below `https://host/v1.0`.
        None
    }
}

/// One item of a `$batch` answer.
#[derive(Debug)]
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: AnswerBody,
}

/// An answered item's body.
#[derive(Debug)]
pub(super) enum AnswerBody {
    /// None, or JSON `null`.
    Empty,
    /// JSON, as the service sent it.
    Json(Value),
    /// Content that is not JSON, which the service sends base64-encoded.
    Bytes(Bytes),
}

impl AnswerBody {
    /// The body's bytes: a JSON body serialized again.
    pub(super) fn to_bytes(&self) -> Bytes {
        match self {
            AnswerBody::Empty => Bytes::new(),
            // A Value always serializes; an empty body would be the fallback.
            AnswerBody::Json(value) => Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
            AnswerBody::Bytes(bytes) => bytes.clone(),
        }
    }
}

/// The items of a `$batch` answer, `{"responses": [...]}`, unread.
pub(super) fn responses(envelope: Value) -> Result<Vec<Value>, serde_json::Error> {
    let Value::Object(mut envelope) = envelope else {
        return Err(serde_json::Error::custom(
            "the $batch answer is not a JSON object",
        ));
    };
    match envelope.remove("responses") {
        Some(Value::Array(responses)) => Ok(responses),
        Some(_) => Err(serde_json::Error::custom(
            "the $batch answer's \"responses\" is not an array",
        )),
        None => Err(serde_json::Error::custom(
            "the $batch answer has no \"responses\"",
        )),
    }
}

/// The id of an answer item: a string, or a number as its digits.
pub(super) fn answer_id(item: &Value) -> Option<String> {
    match item.get("id")? {
        Value::String(id) => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// An answer item that is not one, and why.
#[derive(Debug)]
pub(super) struct Malformed {
    pub(super) reason: &'static str,
    /// The item as it came.
    pub(super) item: String,
}

/// An answer item decoded: its status, headers (those that are valid HTTP
/// headers) and body (base64 decoded when its `Content-Type` is not JSON).
///
/// # Errors
///
/// Why the item is not one: not an object, no `status` (or one that is not
/// a status), or `headers` that are not an object.
pub(super) fn answer(item: Value) -> Result<Answer, Malformed> {
    let malformed = |reason, item: &Map<String, Value>| Malformed {
        reason,
        item: Value::Object(item.clone()).to_string(),
    };
    let Value::Object(mut item) = item else {
        return Err(Malformed {
            reason: "the response is not a JSON object",
            item: item.to_string(),
        });
    };
    let Some(status) = item
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .filter(|status| (100..=599).contains(status))
    else {
        return Err(malformed("the response has no valid \"status\"", &item));
    };
    let mut headers = HeaderMap::new();
    match item.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(fields)) => {
            for (name, value) in fields {
                let value = match value {
                    Value::String(text) => text.clone(),
                    Value::Number(_) | Value::Bool(_) => value.to_string(),
                    _ => continue,
                };
                // A header that HTTP could not carry is dropped, not fatal.
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(&value),
                ) {
                    headers.append(name, value);
                }
            }
        }
        Some(_) => {
            return Err(malformed(
                "the response's \"headers\" is not an object",
                &item,
            ));
        }
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let body = match item.remove("body") {
        None | Some(Value::Null) => AnswerBody::Empty,
        Some(Value::String(text)) if content_type.is_some_and(|ct| !is_json(ct)) => {
            // Graph base64-encodes content that is not JSON; text that is
            // not base64 is kept as it came rather than lost.
            let decoded: Result<Vec<u8>, serde::de::value::Error> =
                base64_bytes::deserialize(text.as_str().into_deserializer());
            AnswerBody::Bytes(match decoded {
                Ok(bytes) => Bytes::from(bytes),
                Err(_) => Bytes::from(text),
            })
        }
        Some(value) => AnswerBody::Json(value),
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

/// Whether a `Content-Type` is JSON: `application/json` or `…+json`.
fn is_json(content_type: &str) -> bool {
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
    fn urls_are_relative_to_the_base_url_only_below_it() {
        let base = "https://graph.example/v1.0";
        let relative = |url: &str| relative_url(url, base);
        assert_eq!(
            relative("https://graph.example/v1.0/me?$top=1").as_deref(),
            Some("/me?$top=1")
        );
        assert_eq!(relative("https://graph.example/v1.0").as_deref(), Some("/"));
        assert_eq!(
            relative("https://graph.example/v1.0?$count=true").as_deref(),
            Some("/?$count=true")
        );
        assert_eq!(relative("https://graph.example/v1.0beta/me"), None);
        assert_eq!(relative("https://graph.example/beta/me"), None);
        assert_eq!(
            relative_url("http://127.0.0.1:1/", "http://127.0.0.1:1").as_deref(),
            Some("/")
        );
    }

    #[test]
    fn json_bodies_are_spliced_in_verbatim() {
        let item = WireItem {
            id: "a\"b".to_owned(),
            method: "POST".to_owned(),
            url: "/users".to_owned(),
            headers: BTreeMap::from([("content-type".to_owned(), "application/json".to_owned())]),
            body: Some(WireBody::Json(Bytes::from_static(
                br#"{"z":1,"a":12345678901234567890123}"#,
            ))),
        };
        let bare = WireItem {
            id: "2".to_owned(),
            method: "GET".to_owned(),
            url: "/me".to_owned(),
            headers: BTreeMap::new(),
            body: None,
        };
        let bytes = envelope(&[(&item, vec![]), (&bare, vec!["a\"b"])]).expect("serializes");
        assert_eq!(
            String::from_utf8_lossy(&bytes),
            r#"{"requests":[{"id":"a\"b","method":"POST","url":"/users","headers":{"content-type":"application/json"},"body":{"z":1,"a":12345678901234567890123}},{"id":"2","method":"GET","url":"/me","dependsOn":["a\"b"]}]}"#
        );
    }

    #[test]
    fn answers_decode_base64_only_for_content_that_is_not_json() {
        let body = |item: Value| answer(item).map(|answer| answer.body);
        assert!(matches!(
            body(json_item("image/png", Value::from("AAE="))),
            Ok(AnswerBody::Bytes(bytes)) if bytes.as_ref() == [0, 1]
        ));
        assert!(matches!(
            body(json_item("application/json; charset=utf-8", Value::from("AAE="))),
            Ok(AnswerBody::Json(Value::String(text))) if text == "AAE="
        ));
        assert!(matches!(
            body(json_item(
                "application/problem+json",
                serde_json::json!({"a": 1})
            )),
            Ok(AnswerBody::Json(_))
        ));
        assert!(matches!(
            body(serde_json::json!({"status": 204})),
            Ok(AnswerBody::Empty)
        ));
        let headers = answer(serde_json::json!({
            "status": 429,
            "headers": {"Retry-After": 3, "bad name": "x", "x-list": ["a"], "ETag": "\"1\""}
        }))
        .expect("an answer")
        .headers;
        assert_eq!(
            headers.get("retry-after").and_then(|v| v.to_str().ok()),
            Some("3")
        );
        assert_eq!(
            headers.get("etag").and_then(|v| v.to_str().ok()),
            Some("\"1\"")
        );
        assert_eq!(headers.len(), 2, "unusable headers are dropped");
        for bad in [
            serde_json::json!("a string"),
            serde_json::json!({"status": "200"}),
            serde_json::json!({"status": 42}),
            serde_json::json!({"status": 200, "headers": [1]}),
        ] {
            assert!(answer(bad).is_err());
        }
    }

    fn json_item(content_type: &str, body: Value) -> Value {
        serde_json::json!({"status": 200, "headers": {"Content-Type": content_type}, "body": body})
    }
}
