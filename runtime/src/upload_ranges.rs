//! `nextExpectedRanges` of an upload session: which bytes the service still
//! needs, each written `"start-end"` (both inclusive) or `"start-"` (to the
//! end of the file), and which slice to send next.

use std::fmt;
use std::ops::Range;

/// A range of bytes that an upload session still expects, as the service
/// lists it in `nextExpectedRanges`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    /// The offset of the first byte.
    pub start: u64,
    /// The offset of the last byte (inclusive); `None` for "to the end of
    /// the file".
    pub end: Option<u64>,
}

impl ByteRange {
    /// Reads `"12345-"` or `"0-499"`; `None` for anything else.
    pub(super) fn parse(text: &str) -> Option<ByteRange> {
        let (start, end) = text.trim().split_once('-')?;
        let start = parse_offset(start)?;
        let end = match end.trim() {
            "" => None,
            end => Some(parse_offset(end)?),
        };
        if end.is_some_and(|end| end < start) {
            return None;
        }
        Some(ByteRange { start, end })
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.end {
            Some(end) => write!(f, "{}-{end}", self.start),
            None => write!(f, "{}-", self.start),
        }
    }
}

/// Digits only: `u64::from_str` would also take a leading `+`.
fn parse_offset(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Reads every entry of `nextExpectedRanges`.
///
/// # Errors
///
/// The first entry that is not a range, for the error message.
pub(super) fn parse_all<S: AsRef<str>>(texts: &[S]) -> Result<Vec<ByteRange>, String> {
    texts
        .iter()
        .map(|text| {
            ByteRange::parse(text.as_ref()).ok_or_else(|| {
                format!("unreadable entry {:?} in nextExpectedRanges", text.as_ref())
            })
        })
        .collect()
}

/// The bytes still missing from a file of `total` bytes, as sorted,
/// disjoint, non-empty half-open ranges.
///
/// # Errors
///
/// A range that starts or ends past the file: the service and the task
/// disagree about the file's size, and guessing could corrupt it.
pub(super) fn missing(ranges: &[ByteRange], total: u64) -> Result<Vec<Range<u64>>, String> {
    let mut missing = Vec::with_capacity(ranges.len());
    for range in ranges {
        let end = match range.end {
            Some(end) if end < total => end + 1,
            None if range.start < total => total,
            _ => {
                return Err(format!(
                    "the session expects bytes {range}, outside the file's {total} bytes"
                ));
            }
        };
        missing.push(range.start..end);
    }
    // Sorted and merged, so that the first range is where to go on and
    // overlapping entries never make a slice twice.
    missing.sort_by_key(|range| range.start);
    let mut merged: Vec<Range<u64>> = Vec::with_capacity(missing.len());
    for range in missing {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    Ok(merged)
}

/// The next slice to send: the start of the first missing range, at most
/// `slice_size` bytes, never past the end of that range (the bytes after it
/// are held already, and sending them again would be refused with 416).
pub(super) fn next_slice(missing: &[Range<u64>], slice_size: u64) -> Option<Range<u64>> {
    let first = missing.first()?;
    Some(first.start..first.end.min(first.start.saturating_add(slice_size)))
}

/// How many bytes from the start of the file the service holds for sure:
/// up to its first missing range. Bytes after that range may be held too,
/// but the list is not always complete, so they are not counted.
pub(super) fn confirmed(missing: &[Range<u64>], total: u64) -> u64 {
    missing.first().map_or(total, |range| range.start)
}

#[cfg(test)]
// Lists of one missing range are what the tests mean, not a mistyped array.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    fn range(start: u64, end: Option<u64>) -> ByteRange {
        ByteRange { start, end }
    }

    #[test]
    fn reads_open_and_closed_ranges() {
        assert_eq!(ByteRange::parse("12345-"), Some(range(12345, None)));
        assert_eq!(ByteRange::parse("0-499"), Some(range(0, Some(499))));
        assert_eq!(ByteRange::parse(" 26 - 26 "), Some(range(26, Some(26))));
        assert_eq!(
            ByteRange::parse("18446744073709551615-"),
            Some(range(u64::MAX, None))
        );
        for bad in [
            "",
            "-",
            "-5",
            "5",
            "a-b",
            "+1-2",
            "1-+2",
            "10-9",
            "1-2-3",
            "18446744073709551616-",
            "0x10-",
            "١-",
        ] {
            assert_eq!(ByteRange::parse(bad), None, "{bad:?}");
        }
        assert_eq!(range(1, Some(2)).to_string(), "1-2");
        assert_eq!(range(7, None).to_string(), "7-");
    }

    #[test]
    fn parse_all_names_the_bad_entry() {
        assert_eq!(
            parse_all(&["0-9", "20-"]),
            Ok(vec![range(0, Some(9)), range(20, None)])
        );
        let err = parse_all(&["0-9", "oops"]).unwrap_err();
        assert!(err.contains("\"oops\""), "{err}");
    }

    #[test]
    fn missing_ranges_are_sorted_merged_and_within_the_file() {
        assert_eq!(missing(&[range(26, None)], 128), Ok(vec![26..128]));
        assert_eq!(
            missing(
                &[
                    range(77, Some(99)),
                    range(12, Some(55)),
                    range(50, Some(60)),
                    range(61, Some(61))
                ],
                128
            ),
            // 12-55 and 50-60 overlap, 61-61 touches them: one range.
            Ok(vec![12..62, 77..100])
        );
        assert_eq!(missing(&[], 128), Ok(vec![]));
        assert_eq!(missing(&[range(0, Some(127))], 128), Ok(vec![0..128]));
        assert!(missing(&[range(0, Some(128))], 128).is_err());
        assert!(missing(&[range(128, None)], 128).is_err());
        assert!(missing(&[range(u64::MAX, Some(u64::MAX))], 128).is_err());
    }

    #[test]
    fn slices_start_at_the_first_gap_and_stop_at_its_end() {
        assert_eq!(next_slice(&[0..1000], 320), Some(0..320));
        assert_eq!(next_slice(&[960..1000], 320), Some(960..1000));
        assert_eq!(next_slice(&[100..200, 500..1000], 320), Some(100..200));
        assert_eq!(next_slice(&[], 320), None);
        assert_eq!(next_slice(&[5..u64::MAX], u64::MAX), Some(5..u64::MAX));
    }

    #[test]
    fn confirmed_is_the_held_prefix() {
        assert_eq!(confirmed(&[26..128], 128), 26);
        assert_eq!(confirmed(&[0..10, 26..128], 128), 0);
        assert_eq!(confirmed(&[], 128), 128);
    }
}
