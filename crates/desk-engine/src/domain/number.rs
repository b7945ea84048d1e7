//! R4: ticket numbers `T` + desk date + `.` + a daily sequence of at least four digits.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

/// The desk date of an instant: the date in the desk's time zone.
pub fn desk_date(at: DateTime<Utc>, desk_tz: Tz) -> NaiveDate {
    at.with_timezone(&desk_tz).date_naive()
}

pub fn format_number(date: NaiveDate, sequence: u64) -> String {
    format!("T{}.{:04}", date.format("%Y%m%d"), sequence)
}

/// Instance `index` (1-based) of a series whose base number is `base`.
pub fn series_instance(base: &str, index: u32) -> String {
    format!("{base}.{index:03}")
}

/// The desk date inside a number (series instances included), if it is one.
pub fn parse_number_date(number: &str) -> Option<NaiveDate> {
    let rest = number.strip_prefix('T')?;
    let (date, tail) = rest.split_once('.')?;
    if date.len() != 8 || tail.is_empty() {
        return None;
    }
    let mut parts = tail.split('.');
    let seq = parts.next()?;
    if seq.len() < 4 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match (parts.next(), parts.next()) {
        (None, _) => {}
        (Some(i), None) if i.len() == 3 && i.bytes().all(|b| b.is_ascii_digit()) => {}
        _ => return None,
    }
    // Eight digits, read directly: lists read a number per ticket, and chrono's
    // format-string parser was a visible part of a page's time.
    if !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |r: std::ops::Range<usize>| date[r].parse::<u32>().ok();
    let year = i32::try_from(part(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, part(4..6)?, part(6..8)?)
}

/// Sequences past this share one sort key (ten million tickets on one desk date).
const MAX_KEYED_SEQUENCE: u64 = 9_999_999;

/// The number as one integer that sorts as numbers are read: desk date, then sequence,
/// then series instance (`T20261129.0004.001` after `.0004`, `.10000` after `.9999`).
/// 0 for what is not a number. The store's migration computes the same in SQL.
pub fn number_key(number: &str) -> i64 {
    let Some(date) = parse_number_date(number) else {
        return 0;
    };
    let tail = &number[10..];
    let (seq, instance) = tail.split_once('.').unwrap_or((tail, "0"));
    let seq: u64 = seq.parse().unwrap_or(0);
    let instance: i64 = instance.parse().unwrap_or(0);
    let ymd =
        i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day());
    ymd * 10_000_000_000 + seq.min(MAX_KEYED_SEQUENCE) as i64 * 1000 + instance
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use chrono::TimeZone;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn number_uses_the_desk_date_not_utc() {
        // 11:30 UTC on the 28th is already the 29th in Auckland (UTC+13 in summer).
        let at = utc("2026-11-28T11:30:00Z");
        let d = desk_date(at, chrono_tz::Pacific::Auckland);
        assert_eq!(format_number(d, 1), "T20261129.0001");
        // ... and still the 28th in Los Angeles.
        assert_eq!(
            desk_date(at, chrono_tz::America::Los_Angeles),
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
        );
    }

    #[test]
    fn desk_midnight_is_the_boundary() {
        let tz = chrono_tz::Europe::Berlin;
        let before = tz.with_ymd_and_hms(2026, 3, 29, 23, 59, 59).unwrap();
        let after = tz.with_ymd_and_hms(2026, 3, 30, 0, 0, 0).unwrap();
        assert_eq!(
            desk_date(before.with_timezone(&Utc), tz).to_string(),
            "2026-03-29"
        );
        assert_eq!(
            desk_date(after.with_timezone(&Utc), tz).to_string(),
            "2026-03-30"
        );
    }

    #[test]
    fn sequence_has_at_least_four_digits_and_grows_past_them() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        assert_eq!(format_number(d, 42), "T20260102.0042");
        assert_eq!(format_number(d, 12345), "T20260102.12345");
    }

    #[test]
    fn series_instances_have_three_digit_suffixes() {
        assert_eq!(series_instance("T20261129.0004", 1), "T20261129.0004.001");
        assert_eq!(series_instance("T20261129.0004", 12), "T20261129.0004.012");
    }

    #[test]
    fn parses_number_dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(parse_number_date("T20261129.0001"), Some(d));
        assert_eq!(parse_number_date("T20261129.0004.002"), Some(d));
        assert_eq!(parse_number_date("T20261129.12345"), Some(d));
        for bad in [
            "",
            "T2026.0001",
            "X20261129.0001",
            "T20261129.01",
            "T20261399.0001",
            "T20261129.0001.2",
            "T2026-129.0001",
            "T+0261129.0001",
            "T20260229.0001",
            "T20261100.0001",
            "T2026112é.0001",
        ] {
            assert_eq!(parse_number_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn number_keys_sort_as_numbers_are_read() {
        let order = [
            "T20261128.9999",
            "T20261129.0001",
            "T20261129.0004",
            "T20261129.0004.001",
            "T20261129.0004.002",
            "T20261129.0005",
            "T20261129.9999",
            "T20261129.10000",
            "T20270101.0001",
        ];
        let keys: Vec<i64> = order.iter().map(|n| number_key(n)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(number_key("T20261129.0004.001"), 202_611_290_000_004_001);
        assert_eq!(number_key("not a number"), 0);
    }
}
