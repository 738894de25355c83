//! A 50 MB upload from a stream that makes its bytes on the fly: the whole
//! process (task, HTTP client and the fake session, which keeps only a
//! running hash) never holds much more than one slice, and each byte is read
//! from the source exactly once, even when a slice is cut and resent.
//!
//! Alone in its test binary, because it counts every allocation the process
//! makes.

mod upload_server;

use std::alloc::{GlobalAlloc, Layout, System};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use docgen_runtime::{
    Client, DEFAULT_UPLOAD_SLICE_SIZE, RetryPolicy, UPLOAD_SLICE_UNIT, UploadProgress, UploadTask,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, ReadBuf};
use upload_server::{FakeSession, Faults, hex};

/// Counts the bytes allocated now and at most.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only
// counters are updated besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller guarantees for `GlobalAlloc::alloc`.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as the caller guarantees for `GlobalAlloc::realloc`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TOTAL: u64 = 50_000_000;

/// Makes `TOTAL` pseudo-random bytes as they are read, hashing them, and
/// records how much it was asked for at once and in all.
struct Generated {
    state: u64,
    made: u64,
    hasher: Sha256,
    largest_read: Arc<AtomicUsize>,
    digest: Arc<Mutex<Option<String>>>,
}

impl AsyncRead for Generated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        self.largest_read
            .fetch_max(buf.remaining(), Ordering::Relaxed);
        let left = usize::try_from(TOTAL - self.made).unwrap_or(usize::MAX);
        // Small reads, as a pipe or socket gives them.
        let n = buf.remaining().min(left).min(64 * 1024);
        let mut chunk = [0u8; 64 * 1024];
        for byte in &mut chunk[..n] {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            *byte = (self.state >> 56) as u8;
        }
        self.hasher.update(&chunk[..n]);
        buf.put_slice(&chunk[..n]);
        self.made += n as u64;
        if self.made == TOTAL && n > 0 {
            let digest = hex(&std::mem::take(&mut self.hasher).finalize());
            *self.digest.lock().expect("digest") = Some(digest);
        }
        Poll::Ready(Ok(()))
    }
}

#[derive(Deserialize)]
struct DriveItem {
    size: u64,
}

#[tokio::test]
async fn fifty_megabytes_from_a_stream_in_one_slice_of_memory() {
    let slice = DEFAULT_UPLOAD_SLICE_SIZE;
    let session = FakeSession::start(Faults {
        hash_only: true,
        // A cut slice and a 503 on the way: resent from the task's buffer.
        drop_mid_body: vec![3 * slice as u64],
        unavailable: vec![7 * slice as u64],
        ..Faults::default()
    })
    .await;
    let client = Client::builder()
        .bearer_token("secret-graph-token")
        .retry_policy(RetryPolicy::new().initial_delay(Duration::from_millis(20)))
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let largest_read = Arc::new(AtomicUsize::new(0));
    let digest = Arc::new(Mutex::new(None));
    let source = Generated {
        state: 0x2545_f491_4f6c_dd1d,
        made: 0,
        hasher: Sha256::new(),
        largest_read: largest_read.clone(),
        digest: digest.clone(),
    };
    let reports = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(AtomicUsize::new(0));
    let (reports_in, last_in) = (reports.clone(), last.clone());

    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let item: DriveItem = UploadTask::new(&client, &session.url, source, TOTAL)
        .on_progress(move |p: UploadProgress| {
            let before = last_in.swap(p.uploaded as usize, Ordering::Relaxed);
            assert!(before <= p.uploaded as usize, "monotonic");
            reports_in.fetch_add(1, Ordering::Relaxed);
        })
        .await
        .expect("uploads");
    let peak = PEAK.load(Ordering::Relaxed) - baseline;

    assert_eq!(item.size, TOTAL);
    let sent = digest.lock().expect("digest").clone();
    assert!(sent.is_some(), "the source was read to its end");
    assert_eq!(session.completed_sha256(), sent, "byte-identical");
    let stats = session.stats();
    assert_eq!(stats.with_authorization, 0);
    assert_eq!(stats.resent_held, 0);
    assert_eq!(
        stats.received,
        TOTAL + stats.cut + slice as u64,
        "{:?}",
        stats.log
    );
    assert_eq!(last.load(Ordering::Relaxed) as u64, TOTAL);
    assert!(reports.load(Ordering::Relaxed) >= 16);

    // The task's reads never ask for more than one slice at once...
    assert!(largest_read.load(Ordering::Relaxed) <= slice);
    // ...and the process's heap grew by one slice plus the HTTP and test
    // machinery's buffers, not by any part of the 50 MB (measured: one slice + ~120 KB).
    eprintln!("peak heap growth: {peak} bytes for a {slice}-byte slice and a {TOTAL}-byte file");
    assert!(peak < slice + (1 << 20), "peak heap growth {peak} bytes");
    assert_eq!(UPLOAD_SLICE_UNIT * 10, slice);
}
