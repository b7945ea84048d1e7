//! Properties of the time inputs: whatever is typed, `parse_time` and `parse_span`
//! answer without panicking; an accepted time is in the accepted range; a refusal names
//! the field; a time desk wrote out reads back as the same instant.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::*;
use crate::fuzz::{hostile_text, runner};

/// Text shaped like a time, with every part possibly out of bounds, or anything.
fn typed_time() -> impl Strategy<Value = String> {
    let n = |max: u32| 0..=max;
    prop_oneof![
        (n(12000), n(14), n(33), n(25), n(61), n(61), -15i32..=15).prop_map(
            |(y, mo, d, h, mi, s, off)| format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}{:02}:00",
                if off < 0 { '-' } else { '+' },
                off.abs()
            )
        ),
        (n(12000), n(14), n(33), n(25), n(61))
            .prop_map(|(y, mo, d, h, mi)| format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}")),
        (n(12000), n(14), n(33)).prop_map(|(y, mo, d)| format!("{y:04}-{mo:02}-{d:02}")),
        Just("9999-12-31T23:59:59Z".to_string()),
        Just("+12000-04-16T00:00:00Z".to_string()),
        hostile_text(),
    ]
}

fn zone() -> impl Strategy<Value = Tz> {
    (0..chrono_tz::TZ_VARIANTS.len()).prop_map(|i| chrono_tz::TZ_VARIANTS[i])
}

#[test]
fn a_typed_time_is_in_range_or_refused_naming_its_field() {
    runner(2000)
        .run(&(typed_time(), zone()), |(text, tz)| {
            let (first, last) = accepted_range();
            match parse_time("due", &text, tz) {
                Ok(t) => prop_assert!((first..=last).contains(&t), "{text} gave {t}"),
                Err(e) => {
                    let m = e.to_string();
                    prop_assert!(m.starts_with("due: "), "{m}");
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn an_instant_desk_writes_reads_back_as_itself() {
    let (first, last) = accepted_range();
    let instants = first.timestamp()..=last.timestamp();
    runner(2000)
        .run(&(instants, zone()), |(secs, tz)| {
            let t: DateTime<Utc> = DateTime::from_timestamp(secs, 0).unwrap();
            // As the JSON output writes it, with the offset of a zone, and in UTC.
            for text in [in_zone(t, tz).to_rfc3339(), t.to_rfc3339()] {
                prop_assert_eq!(parse_time("due", &text, tz).unwrap(), t, "{}", text);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_span_is_between_nothing_and_a_hundred_years_or_none() {
    let span = prop_oneof![
        (any::<i64>(), "[hdwxy]").prop_map(|(n, u)| format!("{n}{u}")),
        (0i64..100_000, "[hdw]").prop_map(|(n, u)| format!("{n}{u}")),
        hostile_text(),
    ];
    runner(2000)
        .run(&span, |text| {
            if let Some(d) = parse_span(&text) {
                prop_assert!(
                    d >= Duration::zero() && d <= Duration::days(MAX_SPAN_DAYS),
                    "{text}"
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn adding_days_to_any_accepted_instant_never_panics() {
    let (first, last) = accepted_range();
    runner(2000)
        .run(
            &(
                first.timestamp()..=last.timestamp(),
                0i64..=3650 * 999,
                zone(),
            ),
            |(secs, days, tz)| {
                let t = DateTime::from_timestamp(secs, 0).unwrap();
                let later = add_local_days(t, days, tz);
                prop_assert!(later >= t);
                Ok(())
            },
        )
        .unwrap();
}
