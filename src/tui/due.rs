//! Due times as a technician types them, resolved against the app's clock in the viewer's
//! zone before anything is saved (the form shows the instant with its zone first):
//!
//! - `+2d`, `+1w` the same wall-clock time that many days later; `+4h`, `+30m` exactly
//!   that long from now
//! - `today`, `tomorrow`, a weekday (`fri`, `friday`), each optionally with a time
//!   (`tomorrow 17:00`, `fri 9:30`, `mon 5pm`); without one, 23:59 that day (as a date
//!   alone means everywhere in desk)
//! - a weekday is the first such day from today on that is still ahead (`fri` on a Friday
//!   is today; `fri 09:00` on a Friday at 10:00 is a week later)
//! - a time alone (`17:00`) is today, or tomorrow once it has passed today
//! - anything the engine reads (`2026-12-24 10:00`, `2026-12-24`, RFC 3339)
//!
//! Wall-clock times that do not exist (the hour skipped for daylight saving time) are
//! refused, naming the zone; a repeated hour is its first occurrence. Pure: the clock and
//! the zone are passed in.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use desk_engine::domain::time::{local_to_utc, parse_time};

const HINT: &str = "use +2d, +4h, tomorrow 17:00, fri, 17:00 or 2026-12-24 10:00";

pub fn resolve(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let lower = text.to_lowercase();
    if let Some(span) = lower.strip_prefix('+') {
        return relative(span, now, tz).ok_or_else(|| format!("\"{text}\": {HINT}"));
    }
    let today = now.with_timezone(&tz).date_naive();
    let mut words = lower.split_whitespace();
    let first = words.next().unwrap_or_default();
    let rest: Vec<&str> = words.collect();
    let day = match first {
        "today" => Some(today),
        "tomorrow" | "tmrw" => today.succ_opt(),
        w => weekday(w).map(|wd| next_weekday(today, wd)),
    };
    if let Some(day) = day {
        let time = match rest.as_slice() {
            [] => None,
            [t] => Some(
                clock(t)
                    .ok_or_else(|| format!("\"{text}\": \"{t}\" is not a time of day; {HINT}"))?,
            ),
            _ => return Err(format!("\"{text}\": {HINT}")),
        };
        let mut at = on(day, time, text, tz)?;
        // A weekday whose time has passed today means the one a week later.
        if at <= now && !matches!(first, "today") && weekday(first).is_some() {
            let later = day + Duration::days(7);
            at = on(later, time, text, tz)?;
        }
        return Ok(at);
    }
    if rest.is_empty()
        && let Some(t) = clock(first)
    {
        let at = on(today, Some(t), text, tz)?;
        if at > now {
            return Ok(at);
        }
        let next = today
            .succ_opt()
            .ok_or_else(|| format!("\"{text}\": {HINT}"))?;
        return on(next, Some(t), text, tz);
    }
    parse_time("due", text, tz).map_err(|_| format!("\"{text}\": {HINT}"))
}

fn on(
    day: NaiveDate,
    time: Option<NaiveTime>,
    text: &str,
    tz: Tz,
) -> Result<DateTime<Utc>, String> {
    let time = time
        .or_else(|| NaiveTime::from_hms_opt(23, 59, 0))
        .unwrap_or(NaiveTime::MIN);
    local_to_utc(day.and_time(time), tz).ok_or_else(|| {
        format!(
            "\"{text}\": {} {} does not exist in {tz} (the clocks skip it for daylight saving time)",
            day,
            time.format("%H:%M")
        )
    })
}

/// `2d`, `1w`: that many days later at the same wall-clock time (or the same span of
/// hours when that time does not exist then); `4h`, `30m`: exactly that long.
fn relative(span: &str, now: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
    let unit = span.chars().last()?;
    let n: i64 = span[..span.len() - unit.len_utf8()].trim().parse().ok()?;
    if !(0..=36_525).contains(&n) {
        return None;
    }
    let days = match unit {
        'm' => return now.checked_add_signed(Duration::try_minutes(n)?),
        'h' => return now.checked_add_signed(Duration::try_hours(n)?),
        'd' => n,
        'w' => n.checked_mul(7)?,
        _ => return None,
    };
    let local = now.with_timezone(&tz).naive_local();
    let later = local.checked_add_signed(Duration::try_days(days)?)?;
    local_to_utc(later, tz).or_else(|| now.checked_add_signed(Duration::try_days(days)?))
}

fn weekday(w: &str) -> Option<Weekday> {
    Some(match w {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn next_weekday(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let ahead = (7 + wd.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
}

/// `17:00`, `9:30`, `17`, `5pm`, `11:30am`.
fn clock(t: &str) -> Option<NaiveTime> {
    let (body, pm) = match (t.strip_suffix("pm"), t.strip_suffix("am")) {
        (Some(b), _) => (b, Some(true)),
        (_, Some(b)) => (b, Some(false)),
        _ => (t, None),
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        Some(_) => return None,
        None => (body.parse::<u32>().ok()?, 0),
    };
    let h = match pm {
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn r(text: &str, now: &str, tz: &str) -> String {
        let tz: Tz = tz.parse().unwrap();
        match resolve(text, at(now), tz) {
            Ok(t) => t
                .with_timezone(&tz)
                .format("%a %Y-%m-%d %H:%M %Z")
                .to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    // Sunday 2026-11-29 07:30 UTC = 08:30 in Berlin.
    const NOW: &str = "2026-11-29T07:30:00Z";
    const BERLIN: &str = "Europe/Berlin";

    #[test]
    fn relative_spans_and_days() {
        assert_eq!(r("+2d", NOW, BERLIN), "Tue 2026-12-01 08:30 CET");
        assert_eq!(r("+1w", NOW, BERLIN), "Sun 2026-12-06 08:30 CET");
        assert_eq!(r("+4h", NOW, BERLIN), "Sun 2026-11-29 12:30 CET");
        assert_eq!(r("+30m", NOW, BERLIN), "Sun 2026-11-29 09:00 CET");
        assert_eq!(r("today", NOW, BERLIN), "Sun 2026-11-29 23:59 CET");
        assert_eq!(r("tomorrow 17:00", NOW, BERLIN), "Mon 2026-11-30 17:00 CET");
        assert_eq!(r("Tomorrow 5pm", NOW, BERLIN), "Mon 2026-11-30 17:00 CET");
        assert_eq!(r("fri", NOW, BERLIN), "Fri 2026-12-04 23:59 CET");
        assert_eq!(r("friday 9:30", NOW, BERLIN), "Fri 2026-12-04 09:30 CET");
        assert_eq!(
            r("2026-12-24 10:00", NOW, BERLIN),
            "Thu 2026-12-24 10:00 CET"
        );
        assert_eq!(r("2026-12-24", NOW, BERLIN), "Thu 2026-12-24 23:59 CET");
    }

    #[test]
    fn a_weekday_or_a_time_that_has_passed_is_the_next_one() {
        // Sunday 08:30 in Berlin: "sun" is today, "sun 08:00" a week on.
        assert_eq!(r("sun", NOW, BERLIN), "Sun 2026-11-29 23:59 CET");
        assert_eq!(r("sun 08:00", NOW, BERLIN), "Sun 2026-12-06 08:00 CET");
        assert_eq!(r("09:00", NOW, BERLIN), "Sun 2026-11-29 09:00 CET");
        assert_eq!(r("08:00", NOW, BERLIN), "Mon 2026-11-30 08:00 CET");
    }

    #[test]
    fn today_is_the_viewers_date_across_midnight() {
        // 23:30 UTC on the 29th is already the 30th in Berlin, still the 29th in LA.
        let late = "2026-11-29T23:30:00Z";
        assert_eq!(r("today", late, BERLIN), "Mon 2026-11-30 23:59 CET");
        assert_eq!(
            r("tomorrow 09:00", late, BERLIN),
            "Tue 2026-12-01 09:00 CET"
        );
        assert_eq!(
            r("tomorrow 09:00", late, "America/Los_Angeles"),
            "Mon 2026-11-30 09:00 PST"
        );
        assert_eq!(r("mon", late, BERLIN), "Mon 2026-11-30 23:59 CET");
        assert_eq!(
            r("mon", late, "America/Los_Angeles"),
            "Mon 2026-11-30 23:59 PST"
        );
    }

    #[test]
    fn daylight_saving_time_edges() {
        // Berlin springs forward on Sunday 2027-03-28 at 02:00 -> 03:00.
        let sat = "2027-03-27T01:30:00Z"; // Saturday 02:30 CET
        assert_eq!(
            r("+1d", sat, BERLIN),
            "Sun 2027-03-28 03:30 CEST",
            "the skipped hour: 24 h on"
        );
        assert_eq!(
            r("+2d", sat, BERLIN),
            "Mon 2027-03-29 02:30 CEST",
            "wall clock kept"
        );
        assert_eq!(r("+24h", sat, BERLIN), "Sun 2027-03-28 03:30 CEST");
        let e = r("tomorrow 02:30", sat, BERLIN);
        assert!(e.contains("does not exist in Europe/Berlin"), "{e}");
        // ... and falls back on 2027-10-31 at 03:00 -> 02:00: 02:30 is the first one.
        let fri = "2027-10-29T12:00:00Z";
        assert_eq!(r("sun 02:30", fri, BERLIN), "Sun 2027-10-31 02:30 CEST");
        assert_eq!(r("+2d", fri, BERLIN), "Sun 2027-10-31 14:00 CET");
    }

    #[test]
    fn bad_input_says_what_works() {
        for bad in [
            "soon",
            "+2x",
            "+",
            "+-1d",
            "fri 25:00",
            "tomorrow at 5",
            "13pm",
            "+99999999d",
        ] {
            let e = r(bad, NOW, BERLIN);
            assert!(e.starts_with("error:"), "{bad}: {e}");
            assert!(
                e.contains("+2d") || e.contains("not a time of day"),
                "{bad}: {e}"
            );
        }
    }
}
