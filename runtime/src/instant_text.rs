//! Writing an `Edm.DateTimeOffset` the way chrono's serde does, without
//! `fmt`.
//!
//! chrono writes RFC 3339 through `core::fmt`, one call per field and a new
//! `String` per value: a tenth of encoding a page of drive items. The common
//! case (a year of four digits, no leap second) is written here into a stack
//! buffer, to the same text; anything else is left to chrono.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// `2024-01-02T03:04:05.123456789Z`: the longest text [`write`] makes.
pub(super) const MAX_LEN: usize = 30;

/// The text of `value` as `to_rfc3339_opts(SecondsFormat::AutoSi, true)`
/// writes it (fractional seconds only as far as they are not zero, in
/// groups of three digits), in `buf`; `None` for what chrono must write
/// (years outside 0000–9999, leap seconds).
pub(super) fn write<'b>(value: &DateTime<Utc>, buf: &'b mut [u8; MAX_LEN]) -> Option<&'b str> {
    let t = value.naive_utc();
    let year = u32::try_from(t.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    put(&mut buf[0..4], year);
    buf[4] = b'-';
    put(&mut buf[5..7], t.month());
    buf[7] = b'-';
    put(&mut buf[8..10], t.day());
    buf[10] = b'T';
    put(&mut buf[11..13], t.hour());
    buf[13] = b':';
    put(&mut buf[14..16], t.minute());
    buf[16] = b':';
    put(&mut buf[17..19], t.second());
    let mut end = 19;
    let digits = match nanos {
        0 => 0,
        n if n % 1_000_000 == 0 => 3,
        n if n % 1_000 == 0 => 6,
        _ => 9,
    };
    if digits > 0 {
        buf[end] = b'.';
        put(
            &mut buf[end + 1..end + 1 + digits],
            nanos / 10u32.pow(9 - digits as u32),
        );
        end += 1 + digits;
    }
    buf[end] = b'Z';
    std::str::from_utf8(&buf[..=end]).ok()
}

/// `n` in decimal, zero-padded to fill `out`.
fn put(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{SecondsFormat, TimeZone};

    fn chrono_text(value: &DateTime<Utc>) -> String {
        value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }

    #[test]
    fn writes_what_chrono_writes() {
        let mut buf = [0; MAX_LEN];
        let mut checked = 0;
        // A spread of instants from 0000 to 9999, with every kind of fraction.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let min = Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap().timestamp();
        let max = Utc
            .with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
            .unwrap()
            .timestamp();
        for i in 0..20_000u64 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let secs = min + (state % (max - min) as u64) as i64;
            let nanos = match i % 5 {
                0 => 0,
                1 => (state % 1000) as u32 * 1_000_000,
                2 => (state % 1_000_000) as u32 * 1_000,
                3 => (state % 1_000_000_000) as u32,
                _ => 1,
            };
            let value = Utc.timestamp_opt(secs, nanos).unwrap();
            assert_eq!(write(&value, &mut buf), Some(chrono_text(&value).as_str()));
            checked += 1;
        }
        assert_eq!(checked, 20_000);
        for text in [
            "0000-01-01T00:00:00Z",
            "1601-01-01T00:00:00Z",
            "2024-02-29T23:59:59.999999999Z",
            "2024-01-02T03:04:05.100Z",
            "9999-12-31T23:59:59.999Z",
        ] {
            let value: DateTime<Utc> = text.parse().expect(text);
            assert_eq!(write(&value, &mut buf), Some(text));
        }
    }

    #[test]
    fn leaves_the_rare_cases_to_chrono() {
        let mut buf = [0; MAX_LEN];
        let far = Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap();
        let before = Utc.with_ymd_and_hms(-1, 12, 31, 0, 0, 0).unwrap();
        let leap = Utc.timestamp_opt(1_483_228_799, 1_500_000_000).unwrap();
        for value in [far, before, leap] {
            assert_eq!(write(&value, &mut buf), None, "{}", chrono_text(&value));
        }
    }
}
