//! The large-file upload task against a fake upload session that stores
//! bytes by range: every fault ends with the file byte-identical on the
//! session, nothing it held sent again, no token sent, or with a clear error.

mod upload_server;

use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use docgen_runtime::{
    ByteRange, Client, Error, RetryPolicy, UPLOAD_SLICE_UNIT, UploadError, UploadProgress,
    UploadTask, cancel_upload, upload_status,
};
use serde::Deserialize;
use upload_server::{FakeSession, Faults, Stats, sha256_hex};

const SLICE: u64 = UPLOAD_SLICE_UNIT as u64;

/// The part of a driveItem the tests read.
#[derive(Debug, Deserialize)]
struct DriveItem {
    id: String,
    size: u64,
    file: FileFacet,
}

#[derive(Debug, Deserialize)]
struct FileFacet {
    hashes: Hashes,
}

#[derive(Debug, Deserialize)]
struct Hashes {
    #[serde(rename = "sha256Hash")]
    sha256_hash: String,
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(3)
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_secs(5))
        .max_total(Duration::from_secs(10))
}

/// A client with a token, which must never reach the upload URL.
fn client() -> Client {
    Client::builder()
        .base_url("https://graph.example/v1.0")
        .bearer_token("secret-graph-token")
        .retry_policy(quick_retries())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// A file of `len` bytes that no shift of itself matches (a slice sent at
/// the wrong offset changes the hash).
fn file(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// 3.5 slices: three full slices and a short last one.
fn len() -> usize {
    (3 * SLICE + SLICE / 2) as usize
}

/// Records every progress report.
fn progress_log() -> (
    Arc<Mutex<Vec<UploadProgress>>>,
    impl FnMut(UploadProgress) + Send + 'static,
) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    (log, move |p| sink.lock().expect("log").push(p))
}

/// Checks what every successful upload must show: the item describes the
/// file, the session holds exactly its bytes, no token was sent, nothing
/// broke the protocol, and the bytes received beyond the file's are exactly
/// `extra` (slices that were cut, refused or lost), none of them held.
fn assert_arrived(session: &FakeSession, data: &[u8], item: &DriveItem, extra: u64) -> Stats {
    let sha = sha256_hex(data);
    assert_eq!(session.completed_sha256().as_deref(), Some(sha.as_str()));
    assert_eq!(item.file.hashes.sha256_hash, sha);
    assert_eq!(item.size, data.len() as u64);
    assert_eq!(item.id, "01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K");
    let stats = session.stats();
    assert_eq!(stats.with_authorization, 0, "no token on the upload URL");
    assert!(stats.violations.is_empty(), "{:?}", stats.violations);
    assert_eq!(
        stats.resent_held, 0,
        "nothing the session held was sent again"
    );
    assert_eq!(
        stats.received,
        data.len() as u64 + extra,
        "bytes received: {:?}",
        stats.log
    );
    stats
}

fn assert_monotonic_to(log: &[UploadProgress], total: u64) {
    assert!(!log.is_empty());
    assert!(
        log.windows(2).all(|w| w[0].uploaded < w[1].uploaded),
        "{log:?}"
    );
    assert!(log.iter().all(|p| p.total == total && p.uploaded <= total));
    assert_eq!(log.last().map(|p| p.uploaded), Some(total));
}

#[tokio::test]
async fn uploads_in_slices_with_ranges_and_without_the_token() {
    let session = FakeSession::start(Faults::default()).await;
    let data = file(len());
    let (log, on_progress) = progress_log();
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .on_progress(on_progress)
        .await
        .expect("uploads");
    let stats = assert_arrived(&session, &data, &item, 0);
    let total = data.len() as u64;
    assert_eq!(
        stats.log,
        [
            (0..SLICE, 202),
            (SLICE..2 * SLICE, 202),
            (2 * SLICE..3 * SLICE, 202),
            (3 * SLICE..total, 201)
        ]
    );
    assert_eq!((stats.gets, stats.deletes), (0, 0));
    let log = log.lock().expect("log");
    assert_monotonic_to(&log, total);
    assert_eq!(
        log.iter().map(|p| p.uploaded).collect::<Vec<_>>(),
        [0, SLICE, 2 * SLICE, 3 * SLICE, total]
    );
}

#[tokio::test]
async fn the_default_slice_is_ten_units_and_a_small_file_is_one_slice() {
    let session = FakeSession::start(Faults::default()).await;
    let data = file(128);
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], 128)
        .await
        .expect("uploads");
    let stats = assert_arrived(&session, &data, &item, 0);
    assert_eq!(stats.log, [(0..128, 201)]);

    let session = FakeSession::start(Faults::default()).await;
    let data = file(11 * UPLOAD_SLICE_UNIT);
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], data.len() as u64)
        .await
        .expect("uploads");
    let stats = assert_arrived(&session, &data, &item, 0);
    assert_eq!(
        stats.log,
        [(0..10 * SLICE, 202), (10 * SLICE..11 * SLICE, 201)]
    );
}

#[tokio::test]
async fn a_connection_dropped_mid_slice_is_resumed_from_the_status() {
    // A plain stream: the cut slice is resent from the task's buffer.
    let session = FakeSession::start(Faults {
        drop_mid_body: vec![SLICE],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let (log, on_progress) = progress_log();
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .on_progress(on_progress)
        .await
        .expect("uploads after the reset");
    let stats = assert_arrived(&session, &data, &item, SLICE / 2);
    assert_eq!(stats.cut, SLICE / 2);
    assert_eq!(stats.gets, 1, "asked the session where to go on");
    assert_eq!(stats.log[1], (SLICE..2 * SLICE, 0));
    assert_eq!(stats.log[2], (SLICE..2 * SLICE, 202));
    assert_monotonic_to(&log.lock().expect("log"), data.len() as u64);
}

#[tokio::test]
async fn a_503_is_retried_after_backing_off() {
    let session = FakeSession::start(Faults {
        unavailable: vec![2 * SLICE, 2 * SLICE],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect("uploads after two 503s");
    let stats = assert_arrived(&session, &data, &item, 2 * SLICE);
    assert_eq!(stats.gets, 2);
    assert_eq!(stats.log[2], (2 * SLICE..3 * SLICE, 503));
    assert_eq!(stats.log[3], (2 * SLICE..3 * SLICE, 503));
}

#[tokio::test]
async fn a_429_waits_as_retry_after_says() {
    let session = FakeSession::start(Faults {
        throttle: vec![0],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let started = Instant::now();
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect("uploads after the 429");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1"
    );
    let stats = assert_arrived(&session, &data, &item, SLICE);
    assert_eq!(stats.log[0], (0..SLICE, 429));
}

#[tokio::test]
async fn a_416_makes_the_task_ask_for_the_ranges() {
    let session = FakeSession::start(Faults {
        refuse: vec![SLICE],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let item: DriveItem = UploadTask::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect("uploads after the 416");
    let stats = assert_arrived(&session, &data, &item, SLICE);
    assert_eq!(stats.gets, 1);
    assert_eq!(stats.log[1], (SLICE..2 * SLICE, 416));
}

#[tokio::test]
async fn a_slice_the_session_lost_is_read_again_from_a_seekable_source() {
    // In-order session: the slice after the lost one is refused (416), the
    // status shows the gap, the task seeks back.
    let session = FakeSession::start(Faults {
        forget: vec![SLICE],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let (log, on_progress) = progress_log();
    let item: DriveItem = UploadTask::seekable(
        &client(),
        &session.url,
        Cursor::new(data.clone()),
        data.len() as u64,
    )
    .slice_size(UPLOAD_SLICE_UNIT)
    .on_progress(on_progress)
    .await
    .expect("uploads after the loss");
    // Extra: the lost slice, and the one refused while the gap was unknown.
    let stats = assert_arrived(&session, &data, &item, 2 * SLICE);
    assert_eq!(stats.log[2], (2 * SLICE..3 * SLICE, 416));
    assert_eq!(stats.log[3], (SLICE..2 * SLICE, 202));
    assert_monotonic_to(&log.lock().expect("log"), data.len() as u64);
}

#[tokio::test]
async fn a_gap_the_session_lists_is_filled_and_held_bytes_are_skipped() {
    // A session that takes slices out of order lists the gap in its 202.
    let session = FakeSession::start(Faults {
        forget: vec![SLICE],
        out_of_order: true,
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let item: DriveItem = UploadTask::seekable(
        &client(),
        &session.url,
        Cursor::new(data.clone()),
        data.len() as u64,
    )
    .slice_size(UPLOAD_SLICE_UNIT)
    .await
    .expect("uploads after the loss");
    // Only the lost slice twice; after it, the held third slice is skipped.
    let stats = assert_arrived(&session, &data, &item, SLICE);
    let total = data.len() as u64;
    assert_eq!(
        stats.log,
        [
            (0..SLICE, 202),
            (SLICE..2 * SLICE, 202),
            (2 * SLICE..3 * SLICE, 202),
            (SLICE..2 * SLICE, 202),
            (3 * SLICE..total, 201)
        ]
    );
    assert_eq!(stats.gets, 0, "the 202 said it all");
}

#[tokio::test]
async fn a_stream_cannot_give_lost_bytes_again_and_says_so() {
    let session = FakeSession::start(Faults {
        forget: vec![0],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("a stream cannot go back");
    assert!(
        matches!(
            err,
            Error::Upload(UploadError::SourceNotSeekable {
                needed: 0,
                position
            }) if position == 2 * SLICE
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("not seekable"), "{err}");
}

#[tokio::test]
async fn an_expired_session_is_its_own_error() {
    let session = FakeSession::start(Faults {
        expire_after: Some(1),
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("expired");
    assert!(
        matches!(&err, Error::Upload(UploadError::SessionExpired(api)) if api.status == 404),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(404));
    assert!(
        !format!("{err} {err:?}").contains("session-token"),
        "{err:?}"
    );
    assert_eq!(
        session.stats().puts,
        2,
        "no retry of a session that is gone"
    );
}

#[tokio::test]
async fn a_lost_final_answer_is_an_unknown_outcome() {
    let session = FakeSession::start(Faults {
        lose_final_answer: true,
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("no answer");
    assert!(
        matches!(err, Error::Upload(UploadError::OutcomeUnknown(_))),
        "{err:?}"
    );
    assert!(session.completed_sha256().is_some(), "it did complete");
}

#[tokio::test]
async fn final_answers_without_an_item_or_with_a_bad_one_are_clear_errors() {
    for (body, expect) in [("", "missing"), ("{\"id\": ", "decode"), ("[1]", "decode")] {
        let session = FakeSession::start(Faults {
            final_body: Some(body.to_owned()),
            ..Faults::default()
        })
        .await;
        let data = file(1000);
        let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], 1000)
            .await
            .expect_err("no item");
        match (expect, &err) {
            ("missing", Error::Upload(UploadError::MissingItem { status: 201 })) => {}
            (
                "decode",
                Error::Decode {
                    status: 201,
                    body: got,
                    ..
                },
            ) if got == body => {}
            _ => panic!("{body:?}: unexpected {err:?}"),
        }
    }
}

#[tokio::test]
async fn invalid_slice_sizes_fail_before_anything_is_sent() {
    let session = FakeSession::start(Faults::default()).await;
    let data = file(1000);
    for size in [0, 160 * 1024, UPLOAD_SLICE_UNIT + 1, 60 << 20] {
        let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], 1000)
            .slice_size(size)
            .await
            .expect_err("invalid size");
        assert!(
            matches!(err, Error::Upload(UploadError::InvalidSliceSize(n)) if n == size),
            "{err:?}"
        );
        assert!(err.to_string().contains("327,680"), "{err}");
    }
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], 0)
        .await
        .expect_err("empty");
    assert!(
        matches!(err, Error::Upload(UploadError::EmptyFile)),
        "{err:?}"
    );
    let err = UploadTask::<DriveItem>::new(&client(), "not a url", &data[..], 1000)
        .await
        .expect_err("bad url");
    assert!(
        matches!(err, Error::Upload(UploadError::InvalidUrl(_))),
        "{err:?}"
    );
    let stats = session.stats();
    assert_eq!(stats.puts + stats.gets + stats.deletes, 0);
}

#[tokio::test]
async fn a_short_source_is_an_error_not_a_truncated_file() {
    let session = FakeSession::start(Faults::default()).await;
    let data = file(len());
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], len() as u64 + 5)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("short");
    assert!(
        matches!(err, Error::Upload(UploadError::SourceTooShort { .. })),
        "{err:?}"
    );
    let session = FakeSession::start(Faults::default()).await;
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], len() as u64 - 5)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("long");
    assert!(
        matches!(err, Error::Upload(UploadError::SourceTooLong { .. })),
        "{err:?}"
    );
    assert!(session.completed_sha256().is_none());
}

/// A stream that fails after `ok` bytes, like a network share going away.
struct FailsAfter<'a> {
    data: &'a [u8],
    ok: usize,
}

impl tokio::io::AsyncRead for FailsAfter<'_> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.ok == 0 {
            return std::task::Poll::Ready(Err(std::io::Error::other("share went away")));
        }
        let n = buf.remaining().min(self.ok).min(self.data.len());
        let (now, rest) = self.data.split_at(n);
        buf.put_slice(now);
        self.data = rest;
        self.ok -= n;
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn a_session_is_resumed_from_its_ranges_by_a_new_task() {
    for seekable in [false, true] {
        let session = FakeSession::start(Faults::default()).await;
        let data = file(len());
        let total = data.len() as u64;
        let err = UploadTask::<DriveItem>::new(
            &client(),
            &session.url,
            FailsAfter {
                data: &data,
                ok: (2 * SLICE + 10) as usize,
            },
            total,
        )
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("the source failed");
        assert!(
            matches!(err, Error::Upload(UploadError::SourceRead(_))),
            "{err:?}"
        );
        assert_eq!(
            session.held(),
            vec![std::ops::Range {
                start: 0,
                end: 2 * SLICE
            }]
        );

        let status = upload_status(&client(), &session.url)
            .await
            .expect("status");
        assert_eq!(
            status.next_expected_ranges,
            [ByteRange {
                start: 2 * SLICE,
                end: None
            }]
        );

        let (log, on_progress) = progress_log();
        let task = if seekable {
            UploadTask::seekable(&client(), &session.url, Cursor::new(data.clone()), total)
        } else {
            UploadTask::new(&client(), &session.url, &data[..], total)
        };
        let item: DriveItem = task
            .slice_size(UPLOAD_SLICE_UNIT)
            .resume()
            .on_progress(on_progress)
            .await
            .expect("resumes");
        let stats = assert_arrived(&session, &data, &item, 0);
        assert_eq!(stats.puts, 4, "two slices before, two after");
        let log = log.lock().expect("log");
        assert_eq!(log.first().map(|p| p.uploaded), Some(2 * SLICE));
        assert_monotonic_to(&log, total);
    }
}

#[tokio::test]
async fn cancel_deletes_the_session() {
    let session = FakeSession::start(Faults::default()).await;
    cancel_upload(&client(), &session.url)
        .await
        .expect("cancelled");
    assert_eq!(session.stats().deletes, 1);
    assert_eq!(session.stats().with_authorization, 0);
    let err = upload_status(&client(), &session.url)
        .await
        .expect_err("gone");
    assert!(
        matches!(err, Error::Upload(UploadError::SessionExpired(_))),
        "{err:?}"
    );
    let err = cancel_upload(&client(), &session.url)
        .await
        .expect_err("gone");
    assert_eq!(err.status(), Some(404));
    let data = file(1000);
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], 1000)
        .resume()
        .await
        .expect_err("gone");
    assert!(
        matches!(err, Error::Upload(UploadError::SessionExpired(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn failures_in_a_row_are_bounded_by_the_retry_policy() {
    let session = FakeSession::start(Faults {
        unavailable: vec![SLICE; 100],
        ..Faults::default()
    })
    .await;
    let data = file(len());
    let started = Instant::now();
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .await
        .expect_err("never available");
    assert_eq!(err.status(), Some(503), "{err:?}");
    assert_eq!(
        session.stats().puts,
        1 + 4,
        "one good slice, then 1 + 3 retries"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // A session that refuses every slice (416) ends the same way, at once.
    let session = FakeSession::start(Faults {
        refuse: vec![0; 100],
        ..Faults::default()
    })
    .await;
    let err = UploadTask::<DriveItem>::new(&client(), &session.url, &data[..], data.len() as u64)
        .slice_size(UPLOAD_SLICE_UNIT)
        .retry_policy(RetryPolicy::none())
        .await
        .expect_err("always refused");
    assert_eq!(err.status(), Some(416), "{err:?}");
    assert_eq!(session.stats().puts, 1);

    // So does a session that loses every slice it acknowledges: resending
    // what it lost is no progress.
    let session = FakeSession::start(Faults {
        forget: vec![0; 100],
        ..Faults::default()
    })
    .await;
    let err = UploadTask::<DriveItem>::seekable(
        &client(),
        &session.url,
        Cursor::new(data.clone()),
        data.len() as u64,
    )
    .slice_size(UPLOAD_SLICE_UNIT)
    .await
    .expect_err("always lost");
    assert_eq!(err.status(), Some(416), "{err:?}");
    let stats = session.stats();
    assert_eq!(
        stats.puts,
        2 * 4,
        "the first slice and the refused second, 4 times"
    );
    assert_eq!(stats.resent_held, 0);
}
