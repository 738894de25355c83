//! A 200 MB download read as a stream holds a few chunks, never the body.
//!
//! Alone in its own test binary so that the process's memory is this test's:
//! the server writes the body from one 64 KiB buffer as the client reads, and
//! the client's resident memory is sampled while it streams.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use docgen_runtime::{Client, Content, Method, RetryPolicy};

const BODY_LEN: u64 = 200 * 1024 * 1024;
const BLOCK: usize = 64 * 1024;

/// The byte at `offset` of the body: each 64 KiB block has its own value, so
/// a lost, repeated or reordered block changes the checksum.
fn byte_at(offset: u64) -> u8 {
    ((offset / BLOCK as u64) % 251) as u8
}

/// A server answering one GET with a `BODY_LEN` body, generated as it is written.
fn streaming_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let mut seen = Vec::new();
        let mut byte = [0u8; 1];
        while !seen.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => seen.push(byte[0]),
                _ => return,
            }
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {BODY_LEN}\r\n\r\n"
        );
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        let mut block = vec![0u8; BLOCK];
        let mut offset = 0u64;
        while offset < BODY_LEN {
            block.fill(byte_at(offset));
            if stream.write_all(&block).is_err() {
                return;
            }
            offset += BLOCK as u64;
        }
    });
    format!("http://{addr}")
}

/// This process's resident memory in KiB (Linux), else `None`.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test]
async fn a_200_mb_download_streams_in_bounded_memory() {
    let base = streaming_server();
    let client = Client::builder()
        .base_url(&base)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let started = Instant::now();
    let mut download = client
        .request::<Content>(Method::GET, "/me/drive/items/big/content")
        .expect_status(200)
        .download()
        .await
        .expect("headers");
    assert_eq!(download.content_length(), Some(BODY_LEN));

    let before = rss_kib();
    let mut peak = before;
    let mut largest_chunk = 0;
    let mut checksum = 0u64;
    let mut expected = 0u64;
    let mut next_sample = 0u64;
    while let Some(chunk) = download.chunk().await.expect("chunk") {
        let offset = download.received() - chunk.len() as u64;
        largest_chunk = largest_chunk.max(chunk.len());
        // The first and last byte of each chunk, against where it should be.
        if let (Some(first), Some(last)) = (chunk.first(), chunk.last()) {
            assert_eq!(*first, byte_at(offset), "at {offset}");
            assert_eq!(*last, byte_at(download.received() - 1));
            checksum += u64::from(*first) + u64::from(*last);
            expected += u64::from(byte_at(offset)) + u64::from(byte_at(download.received() - 1));
        }
        if download.received() >= next_sample {
            peak = peak.max(rss_kib());
            next_sample += 4 * 1024 * 1024;
        }
    }
    assert_eq!(download.received(), BODY_LEN);
    assert_eq!(checksum, expected);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");

    // What the API holds: one chunk at a time, each far smaller than the body.
    assert!(largest_chunk <= 1 << 20, "a chunk of {largest_chunk} bytes");
    // What the process holds: no more than a few MB beyond where it started.
    if let (Some(before), Some(peak)) = (before, peak) {
        let growth = peak.saturating_sub(before);
        println!(
            "200 MiB in {elapsed:?}: resident {before} KiB before, peak {peak} KiB (+{growth} KiB); largest chunk {largest_chunk} B"
        );
        assert!(growth < 16 * 1024, "resident memory grew by {growth} KiB");
    }
}
