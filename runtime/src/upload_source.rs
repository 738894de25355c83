//! The bytes of an upload, read from the caller's source one slice at a
//! time into a single buffer, so memory stays bounded by one slice whatever
//! the file's size.

use std::io::SeekFrom;
use std::ops::Range;
use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncSeek, AsyncSeekExt};

use super::upload_error::UploadError;

/// A source that can also go back, for sessions that lose acknowledged bytes.
pub(super) trait ReadSeek: AsyncRead + AsyncSeek + Send {}

impl<S: AsyncRead + AsyncSeek + Send + ?Sized> ReadSeek for S {}

/// The caller's source. Boxed, so that `UploadTask` has no type parameter
/// for it and accepts sources that are not `Unpin`.
pub(super) enum Reader<'a> {
    /// Read once, front to back.
    Stream(Pin<Box<dyn AsyncRead + Send + 'a>>),
    /// Byte `n` of the upload is at `SeekFrom::Start(n)`.
    Seekable(Pin<Box<dyn ReadSeek + 'a>>),
}

impl Reader<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Reader::Stream(reader) => reader.read(buf).await,
            Reader::Seekable(reader) => reader.read(buf).await,
        }
    }
}

/// Hands out the bytes of any range of at most one slice.
///
/// Invariant: the reader is at `position`, and `held` is the bytes just
/// before it, `position - held.len() .. position`, so that a slice that must
/// be sent again (after a dropped connection or a 503) comes from memory,
/// even from a source that cannot go back.
pub(super) struct SliceSource<'a> {
    reader: Reader<'a>,
    total: u64,
    /// The buffer's size: one slice, or the whole file when it is smaller.
    capacity: usize,
    position: u64,
    held: Bytes,
    /// Whether the reader was checked for bytes past `total`.
    checked_end: bool,
    /// The largest buffer capacity used, for tests of the memory bound.
    #[cfg(test)]
    max_capacity: usize,
}

impl<'a> SliceSource<'a> {
    pub(super) fn new(reader: Reader<'a>, total: u64, slice_size: usize) -> Self {
        let capacity = usize::try_from(total).map_or(slice_size, |total| total.min(slice_size));
        SliceSource {
            reader,
            total,
            capacity,
            position: 0,
            held: Bytes::new(),
            checked_end: false,
            #[cfg(test)]
            max_capacity: 0,
        }
    }

    /// The bytes of `range`, which must lie within the file and be at most
    /// one slice long (the task only asks for such ranges).
    pub(super) async fn slice(&mut self, range: Range<u64>) -> Result<Bytes, UploadError> {
        let len = range_len(&range, self.capacity, self.total)?;
        let held_start = self.position - self.held.len() as u64;
        if range.start >= held_start && range.end <= self.position {
            let from = offset_in(range.start - held_start)?;
            return Ok(self.held.slice(from..from + len));
        }

        let mut buf = self.take_buffer();
        if range.start >= held_start && range.start <= self.position {
            // The range begins inside what is held: keep that tail, read the rest.
            let from = offset_in(range.start - held_start)?;
            buf.copy_within(from.., 0);
            buf.truncate(buf.len() - from);
        } else {
            buf.clear();
            self.move_to(range.start, &mut buf).await?;
        }
        let want = offset_in(range.end - self.position)?;
        self.fill(&mut buf, want).await?;
        if self.position == self.total && !self.checked_end {
            self.check_end().await?;
        }
        #[cfg(test)]
        {
            self.max_capacity = self.max_capacity.max(buf.capacity());
        }
        self.held = buf.freeze();
        Ok(self.held.slice(0..len))
    }

    /// The buffer, for writing: the held bytes' own allocation when no
    /// request holds them any more (the usual case), else a new one with the
    /// held bytes copied, so that a shared buffer is never written to.
    fn take_buffer(&mut self) -> BytesMut {
        let held = std::mem::take(&mut self.held);
        match held.try_into_mut() {
            // An allocation smaller than a slice would grow by doubling,
            // past the bound; replace it instead.
            Ok(buf) if buf.capacity() >= self.capacity => buf,
            Ok(small) => self.copy_of(&small),
            Err(shared) => self.copy_of(&shared),
        }
    }

    fn copy_of(&self, bytes: &[u8]) -> BytesMut {
        let mut buf = BytesMut::with_capacity(self.capacity);
        buf.extend_from_slice(bytes);
        buf
    }

    /// Puts the reader at `offset`, with `buf` (empty) as scratch space.
    async fn move_to(&mut self, offset: u64, buf: &mut BytesMut) -> Result<(), UploadError> {
        match &mut self.reader {
            Reader::Seekable(reader) => {
                let at = reader
                    .seek(SeekFrom::Start(offset))
                    .await
                    .map_err(UploadError::SourceRead)?;
                if at != offset {
                    return Err(UploadError::SourceRead(std::io::Error::other(format!(
                        "seeking to {offset} went to {at}"
                    ))));
                }
                self.position = offset;
            }
            Reader::Stream(_) if offset < self.position => {
                return Err(UploadError::SourceNotSeekable {
                    needed: offset,
                    position: self.position,
                });
            }
            Reader::Stream(_) => {
                // Bytes the session holds already (a resumed upload): read
                // and dropped, a buffer at a time.
                while self.position < offset {
                    let want = usize::try_from(offset - self.position)
                        .map_or(self.capacity, |left| left.min(self.capacity));
                    self.fill(buf, want).await?;
                    buf.clear();
                }
            }
        }
        Ok(())
    }

    /// Appends exactly `want` bytes from the reader to `buf`.
    async fn fill(&mut self, buf: &mut BytesMut, want: usize) -> Result<(), UploadError> {
        let mut filled = buf.len();
        let target = filled + want;
        // Within the capacity (the task never asks for more than a slice),
        // so this never reallocates.
        buf.resize(target, 0);
        while filled < target {
            match self.reader.read(&mut buf[filled..target]).await {
                Ok(0) => {
                    return Err(UploadError::SourceTooShort {
                        read: self.position,
                        total: self.total,
                    });
                }
                Ok(n) => {
                    filled += n;
                    self.position += n as u64;
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(UploadError::SourceRead(err)),
            }
        }
        Ok(())
    }

    /// A source longer than announced would be cut silently: check once,
    /// when the end is first reached, that it has no more bytes.
    async fn check_end(&mut self) -> Result<(), UploadError> {
        self.checked_end = true;
        let mut probe = [0u8; 1];
        loop {
            match self.reader.read(&mut probe).await {
                Ok(0) => return Ok(()),
                Ok(_) => return Err(UploadError::SourceTooLong { total: self.total }),
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return Err(UploadError::SourceRead(err)),
            }
        }
    }
}

/// The length of `range`, checked against the slice and the file.
fn range_len(range: &Range<u64>, capacity: usize, total: u64) -> Result<usize, UploadError> {
    let len = range.end.checked_sub(range.start).unwrap_or(u64::MAX);
    if range.start >= range.end || range.end > total || len > capacity as u64 {
        return Err(UploadError::Protocol(format!(
            "bytes {}..{} are no slice of a {total}-byte file",
            range.start, range.end
        )));
    }
    offset_in(len)
}

/// An offset within the buffer (at most one slice, so it fits a `usize`).
fn offset_in(offset: u64) -> Result<usize, UploadError> {
    usize::try_from(offset)
        .map_err(|_| UploadError::Protocol(format!("offset {offset} does not fit in memory")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::io::Cursor;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    /// Runs a future whose every poll is ready: in-memory readers never wait.
    fn now<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
    }

    fn file(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    fn stream(data: &[u8]) -> Reader<'_> {
        Reader::Stream(Box::pin(data))
    }

    fn seekable(data: Vec<u8>) -> Reader<'static> {
        Reader::Seekable(Box::pin(Cursor::new(data)))
    }

    #[test]
    fn reads_each_slice_once_into_one_bounded_buffer() {
        let data = file(1000);
        let mut source = SliceSource::new(stream(&data), 1000, 300);
        for start in (0..1000).step_by(300) {
            let end = (start + 300).min(1000);
            let bytes = now(source.slice(start as u64..end as u64)).expect("slice");
            assert_eq!(&bytes[..], &data[start..end]);
        }
        assert!(source.max_capacity <= 300, "{}", source.max_capacity);
    }

    #[test]
    fn a_slice_sent_again_comes_from_memory() {
        let data = file(1000);
        let mut source = SliceSource::new(stream(&data), 1000, 300);
        let first = now(source.slice(300..600)).expect("skips 0..300");
        let again = now(source.slice(300..600)).expect("held");
        assert_eq!(first, again);
        let part = now(source.slice(450..600)).expect("inside what is held");
        assert_eq!(&part[..], &data[450..600]);
        // Begins inside what is held and goes on: the tail is kept, no rewind.
        let on = now(source.slice(500..800)).expect("tail kept");
        assert_eq!(&on[..], &data[500..800]);
        assert!(source.max_capacity <= 300);
    }

    #[test]
    fn a_stream_cannot_go_back_past_what_is_held() {
        let data = file(1000);
        let mut source = SliceSource::new(stream(&data), 1000, 300);
        now(source.slice(0..300)).expect("first");
        now(source.slice(300..600)).expect("second");
        match now(source.slice(0..300)) {
            Err(UploadError::SourceNotSeekable {
                needed: 0,
                position: 600,
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_seekable_source_goes_back_and_forward() {
        let data = file(1000);
        let mut source = SliceSource::new(seekable(data.clone()), 1000, 300);
        now(source.slice(0..300)).expect("first");
        now(source.slice(300..600)).expect("second");
        let back = now(source.slice(0..300)).expect("rewinds");
        assert_eq!(&back[..], &data[0..300]);
        let forward = now(source.slice(600..900)).expect("skips");
        assert_eq!(&forward[..], &data[600..900]);
        let last = now(source.slice(900..1000)).expect("last");
        assert_eq!(&last[..], &data[900..1000]);
        assert!(source.max_capacity <= 300);
    }

    #[test]
    fn a_shared_buffer_is_never_overwritten() {
        let data = file(900);
        let mut source = SliceSource::new(stream(&data), 900, 300);
        // As if a request still held the first slice when the next is read.
        let in_flight = now(source.slice(0..300)).expect("first");
        let next = now(source.slice(300..600)).expect("second");
        assert_eq!(&in_flight[..], &data[0..300]);
        assert_eq!(&next[..], &data[300..600]);
    }

    #[test]
    fn short_and_long_sources_are_errors() {
        let data = file(500);
        let mut source = SliceSource::new(stream(&data), 600, 300);
        now(source.slice(0..300)).expect("first");
        assert!(matches!(
            now(source.slice(300..600)),
            Err(UploadError::SourceTooShort {
                read: 500,
                total: 600
            })
        ));

        let mut source = SliceSource::new(stream(&data), 400, 300);
        now(source.slice(0..300)).expect("first");
        assert!(matches!(
            now(source.slice(300..400)),
            Err(UploadError::SourceTooLong { total: 400 })
        ));
    }

    #[test]
    fn ranges_outside_the_file_or_the_slice_are_refused() {
        let data = file(500);
        let mut source = SliceSource::new(stream(&data), 500, 300);
        for range in [
            0..301,
            400..600,
            Range { start: 10, end: 10 },
            Range { start: 20, end: 10 },
            u64::MAX - 1..u64::MAX,
        ] {
            assert!(
                matches!(
                    now(source.slice(range.clone())),
                    Err(UploadError::Protocol(_))
                ),
                "{range:?}"
            );
        }
    }

    #[test]
    fn read_errors_are_kept() {
        struct Failing;
        impl AsyncRead for Failing {
            fn poll_read(
                self: Pin<&mut Self>,
                _: &mut Context<'_>,
                _: &mut tokio::io::ReadBuf<'_>,
            ) -> Poll<std::io::Result<()>> {
                Poll::Ready(Err(std::io::Error::other("disk on fire")))
            }
        }
        let mut source = SliceSource::new(Reader::Stream(Box::pin(Failing)), 10, 300);
        assert!(matches!(
            now(source.slice(0..10)),
            Err(UploadError::SourceRead(err)) if err.to_string() == "disk on fire"
        ));
    }
}
