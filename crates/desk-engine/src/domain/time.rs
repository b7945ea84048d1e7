//! Reading times that people type, in their own time zone, and naming zones.

use chrono::{
    DateTime, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Utc,
};
use chrono_tz::Tz;

use crate::error::{Error, Result};

pub fn parse_tz(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// The first instant desk accepts or stores: 1970-01-01T00:00:00Z.
const EARLIEST_SECS: i64 = 0;
/// The last: 9999-12-30T23:59:59Z. A day short of the year's end, so that the date of
/// every accepted instant has four digits in every time zone (offsets reach +14 h) and a
/// ticket number is always `T` + eight digits (docs/rules.md, "Time").
const LATEST_SECS: i64 = 253_402_214_399;

/// The range of instants desk accepts as input and so the only ones it stores.
pub fn accepted_range() -> (DateTime<Utc>, DateTime<Utc>) {
    (
        DateTime::from_timestamp(EARLIEST_SECS, 0).unwrap_or(DateTime::<Utc>::MIN_UTC),
        DateTime::from_timestamp(LATEST_SECS, 0).unwrap_or(DateTime::<Utc>::MIN_UTC),
    )
}

/// `at` if desk accepts it; otherwise refused naming `field` and the range.
pub fn check_instant(field: &str, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let (first, last) = accepted_range();
    if (first..=last).contains(&at) {
        return Ok(at);
    }
    Err(Error::invalid(
        field,
        format!(
            "{} is outside the times desk accepts ({} to {})",
            show(at),
            show(first),
            show(last)
        ),
    ))
}

/// An instant as RFC 3339 in UTC, also one past the year 9999 (`+12000-04-16T00:00:00Z`).
fn show(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A time as typed: RFC 3339 (`2026-11-29T09:00:00+01:00`), or a local date-time
/// (`2026-11-29 09:00`, `2026-11-29T09:00`) or a date alone (`2026-11-29`, meaning
/// 23:59 that day) in `tz`. A local time that does not exist (a DST gap) is refused; an
/// ambiguous one (the hour repeated in autumn) is the earlier instant.
pub fn parse_time(field: &str, text: &str, tz: Tz) -> Result<DateTime<Utc>> {
    let text = text.trim();
    let bad = |why: &str| Error::invalid(field, format!("\"{text}\" {why}"));
    if text.is_empty() {
        return Err(bad("is empty; give a time such as 2026-11-29 17:00"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return check_instant(field, t.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_time(NaiveTime::from_hms_opt(23, 59, 0)?).into())
    })
    .ok_or_else(|| bad("is not a time; use RFC 3339, YYYY-MM-DD HH:MM or YYYY-MM-DD"))?;
    let at = local_to_utc(naive, tz).ok_or_else(|| {
        bad(&format!(
            "does not exist in {tz} (the clocks skip it for daylight saving time)"
        ))
    })?;
    check_instant(field, at)
}

/// The longest span `parse_span` reads: a hundred years. Longer ones are typing slips,
/// and an instant that far off would overflow the calendar when added to now.
pub const MAX_SPAN_DAYS: i64 = 36_525;

/// A span as typed: a whole number and a unit, `h` hours, `d` days or `w` weeks (`12h`,
/// `7d`, `2w`; `0h` is now), up to `MAX_SPAN_DAYS`. Negative spans are not spans.
pub fn parse_span(text: &str) -> Option<Duration> {
    let text = text.trim();
    // Split on a char boundary: the unit may be any character a user typed.
    let unit = text.chars().last()?;
    let n: i64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let span = match unit {
        'h' => Duration::try_hours(n)?,
        'd' => Duration::try_days(n)?,
        'w' => Duration::try_weeks(n)?,
        _ => return None,
    };
    (n >= 0 && span <= Duration::days(MAX_SPAN_DAYS)).then_some(span)
}

/// A wall-clock time in `tz` as an instant; the earlier one when the hour repeats.
pub fn local_to_utc(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// The first instant of a date in `tz` (midnight, or the first existing time after it).
pub fn start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut t = date.and_time(NaiveTime::MIN);
    for _ in 0..48 {
        if let Some(u) = local_to_utc(t, tz) {
            return u;
        }
        t += chrono::Duration::minutes(30);
    }
    // Unreachable for real zones: no zone skips a whole day's first 24 hours.
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

/// An instant as seen in `tz`, with its offset (RFC 3339 when formatted).
pub fn in_zone(at: DateTime<Utc>, tz: Tz) -> DateTime<FixedOffset> {
    at.with_timezone(&tz).fixed_offset()
}

/// Add whole calendar days in `tz`, keeping the wall-clock time across DST changes.
pub fn add_local_days(at: DateTime<Utc>, days: i64, tz: Tz) -> DateTime<Utc> {
    let local = at.with_timezone(&tz).naive_local() + chrono::Duration::days(days);
    local_to_utc(local, tz)
        // In a gap, move forward by the gap (as a clock on the wall would).
        .or_else(|| local_to_utc(local + chrono::Duration::hours(1), tz))
        .unwrap_or(at + chrono::Duration::days(days))
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn the_accepted_range_is_1970_to_the_day_before_the_end_of_9999() {
        let (first, last) = accepted_range();
        assert_eq!(first.to_rfc3339(), "1970-01-01T00:00:00+00:00");
        assert_eq!(last.to_rfc3339(), "9999-12-30T23:59:59+00:00");
        // The latest instant is still in the year 9999 at the largest offset there is.
        let kiritimati = chrono_tz::Pacific::Kiritimati;
        assert_eq!(
            in_zone(last, kiritimati).format("%Y-%m-%d").to_string(),
            "9999-12-31"
        );
        assert!(check_instant("due", last).is_ok());
        assert!(check_instant("due", first).is_ok());
        let e = check_instant("due", last + Duration::seconds(1))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "due: 9999-12-31T00:00:00Z is outside the times desk accepts (1970-01-01T00:00:00Z to 9999-12-30T23:59:59Z)"
        );
        assert!(check_instant("due", first - Duration::seconds(1)).is_err());
        let far = DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z")
            .unwrap()
            .to_utc()
            + Duration::days(3650 * 998);
        assert!(
            check_instant("count", far)
                .unwrap_err()
                .to_string()
                .contains("+11973-"),
            "years past 9999 are shown with their sign"
        );
    }

    #[test]
    fn typed_times_outside_the_range_are_refused_naming_the_field() {
        for bad in [
            "9999-12-31T12:00:00Z",
            "9999-12-31 10:00",
            "9999-12-31",
            "1969-12-31T23:59:59Z",
            "0001-01-01",
        ] {
            let e = parse_time("--due", bad, BERLIN).unwrap_err().to_string();
            assert!(
                e.starts_with("--due: ") && e.contains("outside"),
                "{bad}: {e}"
            );
        }
        // The last day that is whole in Berlin is fine.
        assert!(parse_time("due", "9999-12-30 12:00", BERLIN).is_ok());
    }

    #[test]
    fn spans_are_a_whole_number_and_a_unit() {
        assert_eq!(parse_span("12h"), Some(Duration::hours(12)));
        assert_eq!(parse_span(" 7d "), Some(Duration::days(7)));
        assert_eq!(parse_span("2w"), Some(Duration::weeks(2)));
        assert_eq!(parse_span("0h"), Some(Duration::zero()));
        assert_eq!(parse_span("5217w"), Some(Duration::weeks(5217)));
        assert_eq!(parse_span("36525d"), Some(Duration::days(36525)));
        for bad in [
            "20000000w",
            "5218w",
            "36526d",
            "876601h",
            "",
            "d",
            "7",
            "7x",
            "-1d",
            "1.5d",
            "7é",
            "99999999999999w",
            "7 d",
        ] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }

    const BERLIN: Tz = chrono_tz::Europe::Berlin;

    #[test]
    fn rfc3339_keeps_its_offset() {
        let t = parse_time("due", "2026-11-29T09:00:00-08:00", BERLIN).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-29T17:00:00+00:00");
    }

    #[test]
    fn local_times_are_read_in_the_given_zone() {
        let t = parse_time("due", "2026-11-29 09:00", BERLIN).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-29T08:00:00+00:00");
        let t = parse_time("due", "2026-07-01T09:00", BERLIN).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-07-01T07:00:00+00:00");
        let d = parse_time("due", "2026-11-29", BERLIN).unwrap();
        assert_eq!(d.to_rfc3339(), "2026-11-29T22:59:00+00:00");
    }

    #[test]
    fn a_time_in_the_spring_gap_is_refused_naming_it() {
        let e = parse_time("due", "2026-03-29 02:30", BERLIN)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("2026-03-29 02:30") && e.contains("daylight"),
            "{e}"
        );
    }

    #[test]
    fn the_repeated_autumn_hour_is_the_earlier_instant() {
        let t = parse_time("due", "2026-10-25 02:30", BERLIN).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    #[test]
    fn garbage_is_refused_naming_field_and_value() {
        let e = parse_time("--due", "tomorrow-ish", BERLIN)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("--due") && e.contains("tomorrow-ish"), "{e}");
        assert!(parse_time("due", "2026-02-30", BERLIN).is_err());
        assert!(parse_time("due", "  ", BERLIN).is_err());
    }

    #[test]
    fn adding_days_keeps_wall_clock_across_dst() {
        let start = parse_time("t", "2026-03-27 09:00", BERLIN).unwrap();
        let later = add_local_days(start, 7, BERLIN);
        assert_eq!(
            in_zone(later, BERLIN).to_rfc3339(),
            "2026-04-03T09:00:00+02:00"
        );
    }

    #[test]
    fn start_of_day_skips_a_missing_midnight() {
        // America/Santiago skipped 00:00-01:00 on 2026-09-06.
        let tz = chrono_tz::America::Santiago;
        let d = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let s = start_of_day(d, tz);
        assert_eq!(s.with_timezone(&tz).date_naive(), d);
        assert_eq!(
            start_of_day(d, BERLIN).to_rfc3339(),
            "2026-09-05T22:00:00+00:00"
        );
    }
}
