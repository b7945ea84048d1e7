//! Properties of the filter query language (kept apart from query.rs, which the TUI's
//! own work changes): whatever is typed into the filter bar, parsing answers without a
//! panic; an error names what was wrong; a query turns into a backend filter or an
//! error that names the unknown name, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{TimeZone, Utc};
use desk_engine::fuzz::{hostile_text, runner};
use proptest::prelude::*;

use super::query::{DueBound, QField, Query};

/// Tokens as people type them: known and unknown keys, values quoted or not, due<
/// bounds in and out of range, ticket numbers, words, and anything.
fn token() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("queue"),
        Just("q"),
        Just("source"),
        Just("status"),
        Just("st"),
        Just("assigned"),
        Just("company"),
        Just("co"),
        Just("priority"),
        Just("is"),
        Just("sort"),
        Just("-status"),
        Just("-assigned"),
        Just("colour"),
        Just(""),
    ];
    let value = prop_oneof![
        Just("new".to_string()),
        Just("\"Client Portal\"".to_string()),
        Just("Contoso".to_string()),
        Just("all".to_string()),
        Just("unseen".to_string()),
        Just("me".to_string()),
        Just("none".to_string()),
        Just("new,\"in progress\"".to_string()),
        Just("-due".to_string()),
        Just("high,".to_string()),
        Just(String::new()),
        Just("\"unclosed".to_string()),
        "[a-zA-Z]{1,8}",
        hostile_text(),
    ];
    let due = prop_oneof![
        (0u64..100_000, "[hdwxé]", "[<>=:]").prop_map(|(n, u, op)| format!("due{op}{n}{u}")),
        Just("due<".to_string()),
        Just("-due<7d".to_string()),
        Just("due<99999999999999999999w".to_string()),
        (0u32..20_000, 0u32..15, 0u32..40)
            .prop_map(|(y, m, d)| format!("due<{y:04}-{m:02}-{d:02}")),
    ];
    prop_oneof![
        (key, value).prop_map(|(k, v)| format!("{k}:{v}")),
        due,
        "[tT][0-9]{8}\\.[0-9]{1,6}",
        "[a-z]{1,10}",
        hostile_text(),
    ]
}

fn query() -> impl Strategy<Value = String> {
    proptest::collection::vec(token(), 0..6).prop_map(|t| t.join(" "))
}

/// What an error names: its text before the first ": ", without quotes.
fn named(message: &str) -> &str {
    message
        .split(": ")
        .next()
        .unwrap_or(message)
        .trim_matches('"')
}

#[test]
fn any_query_parses_or_is_refused_naming_what_was_wrong() {
    runner(3000)
        .run(&query(), |text| {
            if let Err(m) = Query::parse(&text) {
                prop_assert!(!m.trim().is_empty());
                let plain = text.replace('"', "");
                prop_assert!(
                    m.contains("quote") || plain.contains(named(&m)),
                    "{m:?} names nothing of {text:?}"
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_parsed_query_becomes_a_filter_or_an_error_naming_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite3");
    let setup =
        desk_engine::Setup::parse("assets/demo.toml", include_str!("../../assets/demo.toml"))
            .unwrap();
    desk_engine::Engine::init(&path, &setup).unwrap();
    let engine = desk_engine::Engine::open(&path, desk_engine::Clock::System).unwrap();
    let catalog = engine.catalog(&engine.actor("anna").unwrap()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
    runner(3000)
        .run(&query(), |text| {
            let Ok(q) = Query::parse(&text) else {
                return Ok(());
            };
            for c in [None, Some(&catalog)] {
                match q.to_filter(
                    c,
                    Some("Level 1"),
                    "anna",
                    now,
                    chrono_tz::Pacific::Kiritimati,
                ) {
                    Ok(f) => {
                        // A span is counted from now; the queue pane's choice stands
                        // unless the query names a queue.
                        if let Some(DueBound::Span(d)) = &q.due_before {
                            prop_assert_eq!(f.filter.due_before, Some(now + *d));
                        }
                        if let Some(DueBound::Span(d)) = &q.due_after {
                            prop_assert_eq!(f.filter.due_after, Some(now + *d));
                        }
                        if !q.terms.iter().any(|t| t.field == QField::Queue) {
                            prop_assert_eq!(
                                &f.filter.queue,
                                &desk_engine::model::Match::is("Level 1")
                            );
                        }
                    }
                    // An unknown name, or a value with a space whose quotes were
                    // forgotten: named as typed either way.
                    Err(m) => prop_assert!(
                        (m.contains("no such") || m.contains("needs quotes"))
                            && text.replace('"', "").to_lowercase().contains(
                                &named(&m)
                                    .split(':')
                                    .nth(1)
                                    .unwrap_or("")
                                    .split(" needs quotes")
                                    .next()
                                    .unwrap_or("")
                                    .to_lowercase()
                            ),
                        "{m:?} for {text:?}"
                    ),
                }
            }
            Ok(())
        })
        .unwrap();
}
