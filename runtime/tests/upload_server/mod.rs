//! A fake upload session on 127.0.0.1 that implements the protocol for real
//! (bytes stored by range, 202 with `nextExpectedRanges`, GET status,
//! DELETE, 201 with a driveItem once every byte is held) and can be told to
//! misbehave in the ways a real service and network do.
//!
//! Written on a raw TCP socket rather than a mock library so that it can read
//! half a body and reset the connection, and count every body byte it reads.
#![allow(dead_code)]

use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// The path of the session's URL; its "token" must never leak elsewhere.
pub const SESSION_PATH: &str = "/up/fe6987415ace7X4e1eF866337-session-token";

/// What to do wrong, each keyed by the offset of the PUT it applies to and
/// used once per entry (an offset listed three times applies three times).
#[derive(Default, Clone)]
pub struct Faults {
    /// Read half of the body, then reset the connection.
    pub drop_mid_body: Vec<u64>,
    /// Read the body, answer 503 (no `Retry-After`).
    pub unavailable: Vec<u64>,
    /// Read the body, answer 429 with `Retry-After: 1`.
    pub throttle: Vec<u64>,
    /// Read the body, answer 416 as if the range were wrong.
    pub refuse: Vec<u64>,
    /// Store the slice, acknowledge it with 202, then lose it.
    pub forget: Vec<u64>,
    /// After this many slices are stored, the session expires (404).
    pub expire_after: Option<usize>,
    /// Store the last slice, then close the connection without answering.
    pub lose_final_answer: bool,
    /// The body of the final 201 instead of the driveItem.
    pub final_body: Option<String>,
    /// Accept any slice that overlaps nothing held (listing the gaps),
    /// instead of only the next one in order.
    pub out_of_order: bool,
    /// Keep only a running hash of the bytes, not the bytes (for files too
    /// large to keep twice in a test); needs slices in order, no `forget`.
    pub hash_only: bool,
}

/// What the session saw.
#[derive(Default, Clone, Debug)]
pub struct Stats {
    /// Requests by method.
    pub puts: usize,
    pub gets: usize,
    pub deletes: usize,
    /// Requests that carried an `Authorization` header.
    pub with_authorization: usize,
    /// Body bytes read from PUTs, whatever became of them.
    pub received: u64,
    /// Body bytes received that the session held already when they came.
    pub resent_held: u64,
    /// Bytes of slices read in part before the connection was reset.
    pub cut: u64,
    /// Requests that broke the protocol (missing or wrong headers).
    pub violations: Vec<String>,
    /// Each PUT: its range and the status answered (0: no answer).
    pub log: Vec<(Range<u64>, u16)>,
}

struct State {
    faults: Faults,
    stats: Stats,
    total: Option<u64>,
    data: Vec<u8>,
    hasher: Sha256,
    /// Held bytes: sorted, disjoint, merged.
    held: Vec<Range<u64>>,
    stored_slices: usize,
    gone: bool,
    /// The SHA-256 of the file, once complete.
    completed: Option<String>,
}

/// A running fake session.
pub struct FakeSession {
    state: Arc<Mutex<State>>,
    /// The upload URL.
    pub url: String,
}

impl FakeSession {
    pub async fn start(faults: Faults) -> FakeSession {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = Arc::new(Mutex::new(State {
            faults,
            stats: Stats::default(),
            total: None,
            data: Vec::new(),
            hasher: Sha256::new(),
            held: Vec::new(),
            stored_slices: 0,
            gone: false,
            completed: None,
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        FakeSession {
            state,
            url: format!("http://{addr}{SESSION_PATH}"),
        }
    }

    /// What the session saw so far.
    pub fn stats(&self) -> Stats {
        lock(&self.state).stats.clone()
    }

    /// The SHA-256 (hex) of the completed file, `None` before completion.
    pub fn completed_sha256(&self) -> Option<String> {
        lock(&self.state).completed.clone()
    }

    /// The ranges the session holds.
    pub fn held(&self) -> Vec<Range<u64>> {
        lock(&self.state).held.clone()
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Head {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

enum Reply {
    Answer(u16, Vec<(&'static str, String)>, String),
    /// Reset the connection without answering.
    Reset,
}

async fn serve(stream: TcpStream, state: Arc<Mutex<State>>) {
    let mut conn = BufReader::new(stream);
    loop {
        let Some(head) = read_head(&mut conn).await else {
            return;
        };
        match handle(&head, &mut conn, &state).await {
            Reply::Answer(status, headers, body) => {
                let mut out = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                out.push_str("content-type: application/json\r\n");
                for (name, value) in headers {
                    out.push_str(&format!("{name}: {value}\r\n"));
                }
                out.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
                let stream = conn.get_mut();
                if stream.write_all(out.as_bytes()).await.is_err() || stream.flush().await.is_err()
                {
                    return;
                }
            }
            Reply::Reset => {
                // Linger 0: closing sends RST, as a dropped connection does.
                let _ = socket2::SockRef::from(conn.get_ref()).set_linger(Some(Duration::ZERO));
                return;
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        416 => "Requested Range Not Satisfiable",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Other",
    }
}

async fn read_head(conn: &mut BufReader<TcpStream>) -> Option<Head> {
    let mut line = String::new();
    if conn.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if conn.read_line(&mut line).await.ok()? == 0 || headers.len() > 100 {
            return None;
        }
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    Some(Head {
        method,
        path,
        headers,
    })
}

fn error(status: u16, code: &str) -> Reply {
    let body = json!({"error": {"code": code, "message": format!("fake session: {code}")}});
    Reply::Answer(status, Vec::new(), body.to_string())
}

fn take(list: &mut Vec<u64>, offset: u64) -> bool {
    match list.iter().position(|&o| o == offset) {
        Some(i) => {
            list.remove(i);
            true
        }
        None => false,
    }
}

/// What to do with a PUT's body.
enum Action {
    Cut,
    Drain(Reply),
    Store,
}

async fn handle(head: &Head, conn: &mut BufReader<TcpStream>, state: &Mutex<State>) -> Reply {
    let lengths = head.all("content-length");
    let length: u64 = match lengths.as_slice() {
        [] => 0,
        [one] => one.parse().unwrap_or(0),
        _ => {
            lock(state)
                .stats
                .violations
                .push("several Content-Length headers".into());
            return Reply::Reset;
        }
    };
    let authorized = !head.all("authorization").is_empty();
    {
        let mut s = lock(state);
        if authorized {
            s.stats.with_authorization += 1;
        }
        match head.method.as_str() {
            "PUT" => s.stats.puts += 1,
            "GET" => s.stats.gets += 1,
            "DELETE" => s.stats.deletes += 1,
            _ => {}
        }
    }
    if head.method != "PUT" {
        if length > 0 {
            drain(conn, length).await;
        }
        let mut s = lock(state);
        if head.path != SESSION_PATH || s.gone {
            return error(404, "itemNotFound");
        }
        if authorized {
            return error(401, "unauthenticated");
        }
        return match head.method.as_str() {
            "GET" => Reply::Answer(200, Vec::new(), session_json(&s).to_string()),
            "DELETE" => {
                s.gone = true;
                Reply::Answer(204, Vec::new(), String::new())
            }
            _ => error(405, "methodNotAllowed"),
        };
    }

    let range = parse_content_range(&head.all("content-range"));
    let (action, range, total) = {
        let mut s = lock(state);
        let check = match (range, lengths.len()) {
            (None, _) => Err("no valid Content-Range".to_owned()),
            (_, 0) => Err("no Content-Length".to_owned()),
            (Some((range, total)), _) if range.end - range.start != length => {
                Err(format!("Content-Length {length} for {range:?}/{total}"))
            }
            (Some((_, total)), _) if s.total.is_some_and(|t| t != total) => {
                Err(format!("total {total} changed"))
            }
            (Some(found), _) => Ok(found),
        };
        match check {
            Err(why) => {
                s.stats.violations.push(why);
                (Action::Drain(error(400, "invalidRequest")), 0..length, 0)
            }
            Ok((range, total)) => {
                let action = decide(&mut s, head, authorized, &range, total);
                (action, range, total)
            }
        }
    };

    match action {
        Action::Cut => {
            let half = (range.end - range.start) / 2;
            count_received(state, &range, half);
            drain(conn, half).await;
            let mut s = lock(state);
            s.stats.cut += half;
            s.stats.log.push((range, 0));
            Reply::Reset
        }
        Action::Drain(reply) => {
            count_received(state, &range, length);
            drain(conn, length).await;
            if let Reply::Answer(status, ..) = &reply {
                lock(state).stats.log.push((range, *status));
            }
            reply
        }
        Action::Store => {
            count_received(state, &range, length);
            if !store(conn, state, &range).await {
                return Reply::Reset;
            }
            finish(state, range, total)
        }
    }
}

/// What a well-formed PUT gets, faults first.
fn decide(s: &mut State, head: &Head, authorized: bool, range: &Range<u64>, total: u64) -> Action {
    if head.path != SESSION_PATH || s.gone {
        return Action::Drain(error(404, "itemNotFound"));
    }
    if authorized {
        return Action::Drain(error(401, "unauthenticated"));
    }
    let offset = range.start;
    if take(&mut s.faults.drop_mid_body, offset) {
        return Action::Cut;
    }
    if take(&mut s.faults.unavailable, offset) {
        return Action::Drain(error(503, "serviceNotAvailable"));
    }
    if take(&mut s.faults.throttle, offset) {
        return Action::Drain(Reply::Answer(
            429,
            vec![("retry-after", "1".to_owned())],
            json!({"error": {"code": "activityLimitReached"}}).to_string(),
        ));
    }
    if take(&mut s.faults.refuse, offset) {
        return Action::Drain(error(416, "invalidRange"));
    }
    if s.total.is_none() {
        s.total = Some(total);
        if !s.faults.hash_only {
            s.data = vec![0; usize::try_from(total).expect("fits")];
        }
    }
    let overlaps = s
        .held
        .iter()
        .any(|h| h.start < range.end && range.start < h.end);
    let in_order = missing(&s.held, total).first().map(|m| m.start) == Some(range.start);
    if range.end > total || overlaps || (!s.faults.out_of_order && !in_order) {
        return Action::Drain(error(416, "invalidRange"));
    }
    Action::Store
}

fn count_received(state: &Mutex<State>, range: &Range<u64>, len: u64) {
    let mut s = lock(state);
    s.stats.received += len;
    let received = range.start..range.start + len;
    let held: u64 = s
        .held
        .iter()
        .map(|h| {
            h.end
                .min(received.end)
                .saturating_sub(h.start.max(received.start))
        })
        .sum();
    s.stats.resent_held += held;
}

async fn drain(conn: &mut BufReader<TcpStream>, mut len: u64) {
    let mut buf = vec![0u8; 64 * 1024];
    while len > 0 {
        let want = usize::try_from(len).unwrap_or(buf.len()).min(buf.len());
        match conn.read(&mut buf[..want]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => len -= n as u64,
        }
    }
}

/// Reads the body into the file (or its hash); false if it was cut short.
async fn store(conn: &mut BufReader<TcpStream>, state: &Mutex<State>, range: &Range<u64>) -> bool {
    let mut buf = vec![0u8; 64 * 1024];
    let mut at = range.start;
    while at < range.end {
        let want = usize::try_from(range.end - at)
            .unwrap_or(buf.len())
            .min(buf.len());
        let n = match conn.read(&mut buf[..want]).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => n,
        };
        let mut s = lock(state);
        if s.faults.hash_only {
            s.hasher.update(&buf[..n]);
        } else {
            let from = usize::try_from(at).expect("fits");
            s.data[from..from + n].copy_from_slice(&buf[..n]);
        }
        at += n as u64;
    }
    true
}

/// Records a stored slice and answers it.
fn finish(state: &Mutex<State>, range: Range<u64>, total: u64) -> Reply {
    let mut s = lock(state);
    insert(&mut s.held, range.clone());
    s.stored_slices += 1;
    let complete = missing(&s.held, total).is_empty();
    let reply = if complete {
        let sha = if s.faults.hash_only {
            hex(&std::mem::take(&mut s.hasher).finalize())
        } else {
            sha256_hex(&s.data)
        };
        s.completed = Some(sha.clone());
        s.gone = true;
        if s.faults.lose_final_answer {
            s.stats.log.push((range, 0));
            return Reply::Reset;
        }
        let body = s.faults.final_body.clone().unwrap_or_else(|| {
            json!({
                "id": "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K",
                "name": "largefile.dat",
                "size": total,
                "file": {"hashes": {"sha256Hash": sha}}
            })
            .to_string()
        });
        Reply::Answer(201, Vec::new(), body)
    } else {
        Reply::Answer(202, Vec::new(), session_json(&s).to_string())
    };
    if let Reply::Answer(status, ..) = &reply {
        s.stats.log.push((range.clone(), *status));
    }
    // Acknowledged above, lost now: the next status shows it missing.
    if take(&mut s.faults.forget, range.start) {
        remove(&mut s.held, &range);
    }
    if s.faults.expire_after == Some(s.stored_slices) {
        s.gone = true;
    }
    reply
}

fn session_json(s: &State) -> serde_json::Value {
    let ranges: Vec<String> = match s.total {
        None => vec!["0-".to_owned()],
        Some(total) => missing(&s.held, total)
            .into_iter()
            .map(|m| {
                if m.end == total {
                    format!("{}-", m.start)
                } else {
                    format!("{}-{}", m.start, m.end - 1)
                }
            })
            .collect(),
    };
    json!({"expirationDateTime": "2030-01-29T09:21:55.523Z", "nextExpectedRanges": ranges})
}

fn parse_content_range(values: &[&str]) -> Option<(Range<u64>, u64)> {
    let [value] = values else { return None };
    let rest = value.strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, last) = range.split_once('-')?;
    let (start, last, total): (u64, u64, u64) =
        (start.parse().ok()?, last.parse().ok()?, total.parse().ok()?);
    (start <= last && last < total).then_some((start..last + 1, total))
}

fn missing(held: &[Range<u64>], total: u64) -> Vec<Range<u64>> {
    let mut gaps = Vec::new();
    let mut at = 0;
    for h in held {
        if h.start > at {
            gaps.push(at..h.start);
        }
        at = at.max(h.end);
    }
    if at < total {
        gaps.push(at..total);
    }
    gaps
}

fn insert(held: &mut Vec<Range<u64>>, range: Range<u64>) {
    held.push(range);
    held.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<u64>> = Vec::new();
    for r in held.drain(..) {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    *held = merged;
}

fn remove(held: &mut Vec<Range<u64>>, gone: &Range<u64>) {
    let mut kept = Vec::new();
    for r in held.drain(..) {
        if r.start < gone.start {
            kept.push(r.start..r.end.min(gone.start));
        }
        if r.end > gone.end {
            kept.push(r.start.max(gone.end)..r.end);
        }
    }
    *held = kept;
}
