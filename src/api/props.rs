//! Properties of the HTTP request bodies, parsed as `desk serve` parses them (axum's
//! `Json`): whatever a client sends, no panic; a refusal names the field that was wrong
//! (or the missing one); a body that parses but that the engine refuses changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Json;
use desk_engine::fuzz::{hostile_text, runner};
use desk_engine::model::{NewSeries, NewTicket, TicketChange};
use desk_engine::{Clock, Engine, Error};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::request::*;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        Just(Value::from(-1)),
        hostile_text().prop_map(Value::String),
        Just(Value::String("2026-12-01 09:00".into())),
        Just(Value::String("9999-12-31".into())),
        Just(Value::String("Contoso".into())),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A body: an object of the type's own fields, typos of them and other keys, each with
/// any JSON value; now and then not an object at all.
fn body(fields: &'static [&'static str]) -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        6 => (0..fields.len()).prop_map(move |i| fields[i].to_string()),
        1 => (0..fields.len()).prop_map(move |i| format!("{}s", fields[i])),
        1 => "[a-z_]{1,10}",
    ];
    prop_oneof![
        9 => proptest::collection::vec((key, json_value()), 0..8)
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        1 => json_value(),
    ]
}

/// Parses `body` as the server does; a refusal must name a key of the body, a field of
/// the type (a missing one), or the type itself (a body that is no object).
fn parse<T: DeserializeOwned>(
    body: &Value,
    fields: &[&str],
    type_name: &str,
) -> Result<Option<T>, TestCaseError> {
    match Json::<T>::from_bytes(body.to_string().as_bytes()) {
        Ok(Json(v)) => Ok(Some(v)),
        Err(rejection) => {
            let text = rejection.body_text();
            let keys: Vec<String> = body
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let named = keys
                .iter()
                .any(|k| text.contains(&format!("{k}:")) || text.contains(&format!("`{k}`")))
                || fields.iter().any(|f| text.contains(&format!("`{f}`")))
                || text.contains(type_name)
                // serde reads an array as the fields in order: the position in it is named
                // (`[1]: invalid type`), or where it has too many (`trailing characters
                // at line 1 column 5`).
                || (body.is_array() && (text.contains("]: ") || text.contains(" at line 1 column ")));
            prop_assert!(named, "{text} names nothing of {body}");
            Ok(None)
        }
    }
}

const NEW_TICKET: &[&str] = &[
    "title",
    "description",
    "queue",
    "source",
    "issue_type",
    "company",
    "contact",
    "priority",
    "assign",
    "due",
];
const CHANGE: &[&str] = &[
    "title",
    "status",
    "queue",
    "priority",
    "work_type",
    "assign",
    "due",
    "expected_version",
];
const SERIES: &[&str] = &[
    "title",
    "description",
    "company",
    "contact",
    "queue",
    "first_due",
    "every_days",
    "count",
];

/// A demo store and a dump of every table, to see that a refusal wrote nothing.
struct Store {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl Store {
    fn demo() -> Store {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.sqlite3");
        let setup =
            desk_engine::Setup::parse("assets/demo.toml", include_str!("../../assets/demo.toml"))
                .unwrap();
        Engine::init(&path, &setup).unwrap();
        Store { _dir: dir, path }
    }

    fn dump(&self) -> String {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        let mut out = String::new();
        for t in ["tickets", "activity", "outbox", "series", "number_days"] {
            let mut st = conn
                .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
                .unwrap();
            let n = st.column_count();
            let rows = st
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap();
            for r in rows {
                out.push_str(&r.unwrap());
                out.push('\n');
            }
        }
        out
    }
}

/// An engine error for a body that parsed is bad input naming a field (or a conflict,
/// or a name that does not exist), and the store is as it was.
fn refused_cleanly(store: &Store, before: &str, e: &Error) -> Result<(), TestCaseError> {
    prop_assert!(
        matches!(
            e,
            Error::Invalid { .. }
                | Error::NotFound { .. }
                | Error::Conflict { .. }
                | Error::NotAllowed(_)
        ),
        "{e:?}"
    );
    prop_assert_eq!(before, store.dump());
    Ok(())
}

#[test]
fn any_new_ticket_body_is_refused_naming_a_field_or_changes_the_store_only_when_accepted() {
    let store = Store::demo();
    let engine = std::cell::RefCell::new(Engine::open(&store.path, Clock::System).unwrap());
    let anna = engine.borrow().actor("anna").unwrap();
    runner(150)
        .run(&body(NEW_TICKET), |b| {
            let Some(dto) = parse::<NewTicketDto>(&b, NEW_TICKET, "NewTicketDto")? else {
                return Ok(());
            };
            let before = store.dump();
            if let Err(e) = engine
                .borrow_mut()
                .create_ticket(&anna, NewTicket::from(dto))
            {
                refused_cleanly(&store, &before, &e)?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn any_change_or_series_body_is_refused_naming_a_field_or_applied_whole() {
    let store = Store::demo();
    let engine = std::cell::RefCell::new(Engine::open(&store.path, Clock::System).unwrap());
    let anna = engine.borrow().actor("anna").unwrap();
    let number = engine
        .borrow_mut()
        .create_ticket(
            &anna,
            NewTicket {
                title: "Target".into(),
                company: Some("Contoso".into()),
                ..NewTicket::default()
            },
        )
        .unwrap()
        .number;
    runner(150)
        .run(&(body(CHANGE), body(SERIES)), |(change, series)| {
            if let Some(dto) = parse::<TicketChangeDto>(&change, CHANGE, "TicketChangeDto")? {
                let before = store.dump();
                if let Err(e) =
                    engine
                        .borrow_mut()
                        .update_ticket(&anna, &number, TicketChange::from(dto))
                {
                    refused_cleanly(&store, &before, &e)?;
                }
            }
            if let Some(dto) = parse::<NewSeriesDto>(&series, SERIES, "NewSeriesDto")? {
                let before = store.dump();
                if let Err(e) = engine
                    .borrow_mut()
                    .create_series(&anna, NewSeries::from(dto))
                {
                    refused_cleanly(&store, &before, &e)?;
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_small_bodies_never_panic_and_name_what_was_wrong() {
    runner(500)
        .run(
            &(
                body(&["text", "publish"]),
                body(&["note"]),
                body(&["queue", "resource", "due", "note"]),
                body(&["title", "issue_type", "description"]),
            ),
            |(note, tf, assign, submit)| {
                parse::<NoteRequest>(&note, &["text", "publish"], "NoteRequest")?;
                parse::<PortalNoteRequest>(&note, &["text"], "PortalNoteRequest")?;
                parse::<TaskfireNoteRequest>(&tf, &["note"], "TaskfireNoteRequest")?;
                parse::<TaskfireAssignDto>(&assign, &["queue", "note"], "TaskfireAssignDto")?;
                parse::<PortalSubmitDto>(&submit, &["title", "issue_type"], "PortalSubmitDto")?;
                Ok(())
            },
        )
        .unwrap();
}
