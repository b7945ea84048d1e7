//! API tokens: they act for their login until they expire or are revoked; a store made
//! before tokens expired is brought up to date and its tokens keep working.

use super::fixture::*;
use crate::Error;
use crate::store::SCHEMA_VERSION;

#[test]
fn a_token_works_until_it_expires_and_not_from_then_on() {
    let mut d = Desk::base();
    let end = at("2026-11-29T05:00:00Z");
    let token = d.engine.create_token("anna", Some(end)).unwrap();
    assert_eq!(d.engine.authenticate(&token).unwrap().login, "anna");
    // A millisecond before the end it still works; at the end it does not.
    let just_before = d.open("2026-11-29T04:59:59.999Z");
    assert_eq!(just_before.authenticate(&token).unwrap().login, "anna");
    for now in ["2026-11-29T05:00:00Z", "2027-01-01T00:00:00Z"] {
        match d.open(now).authenticate(&token) {
            Err(Error::TokenExpired { at }) => assert_eq!(at, end),
            other => panic!("at {now}: {other:?}"),
        }
    }
    let e = d
        .open("2026-11-29T05:00:00Z")
        .authenticate(&token)
        .unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    assert!(e.to_string().contains("expired"), "{e}");
}

#[test]
fn a_token_without_an_end_works_until_revoked() {
    let mut d = Desk::base();
    let token = d.engine.create_token("kim@contoso.example", None).unwrap();
    let years_later = d.open("2036-11-29T04:00:00Z");
    assert_eq!(
        years_later.authenticate(&token).unwrap().login,
        "kim@contoso.example"
    );
    assert_eq!(
        d.engine
            .revoke_tokens("kim@contoso.example")
            .unwrap()
            .tokens,
        1
    );
    assert!(matches!(
        years_later.authenticate(&token),
        Err(Error::BadToken)
    ));
}

#[test]
fn an_end_that_is_not_in_the_future_is_refused_and_nothing_is_written() {
    let mut d = Desk::base();
    for end in [NOW, "2026-11-29T03:59:59Z", "2020-01-01T00:00:00Z"] {
        refused(
            &mut d,
            |e| e.create_token("anna", Some(at(end))),
            |e| matches!(e, Error::Invalid { field, .. } if field == "expires"),
        );
    }
    // An unknown login makes no token either.
    refused(
        &mut d,
        |e| e.create_token("nobody", None),
        |e| matches!(e, Error::NotFound { .. } | Error::Invalid { .. }),
    );
}

#[test]
fn a_forged_token_is_not_told_apart_from_a_revoked_one() {
    let mut d = Desk::base();
    let token = d.engine.create_token("anna", None).unwrap();
    // The real token with its last digit changed (to another digit, whatever it was).
    let last = if token.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &token[..token.len() - 1]);
    assert_ne!(forged, token);
    assert!(matches!(
        d.engine.authenticate(&forged),
        Err(Error::BadToken)
    ));
    assert!(matches!(d.engine.authenticate(""), Err(Error::BadToken)));
}

/// A store of schema version 1 (tokens without an end) opens as the current version,
/// in one step, and the tokens it had keep working without an end.
#[test]
fn a_version_1_store_is_migrated_and_its_tokens_never_expire() {
    let mut d = Desk::base();
    let old = d.engine.create_token("anna", None).unwrap();
    // Back to version 1 as an older desk left it.
    d.downgrade_to_v2();
    d.sql("ALTER TABLE tokens DROP COLUMN expires_at; PRAGMA user_version = 1;");
    let engine = d.open("2030-01-01T00:00:00Z");
    assert_eq!(engine.authenticate(&old).unwrap().login, "anna");
    assert!(
        d.dump()
            .starts_with(&format!("user_version {SCHEMA_VERSION}\n"))
    );
    // Opening it again changes nothing more.
    let before = d.dump();
    drop(d.open(NOW));
    assert_eq!(before, d.dump());
    // New tokens there can expire.
    d.set_now(NOW);
    let new = d
        .engine
        .create_token("ben", Some(at("2026-11-30T00:00:00Z")))
        .unwrap();
    assert!(matches!(
        d.open("2026-12-01T00:00:00Z").authenticate(&new),
        Err(Error::TokenExpired { .. })
    ));
}

/// A store of schema version 3 gains the portal's accounts and keeps its tokens.
#[test]
fn a_version_3_store_gains_portal_accounts() {
    let mut d = Desk::base();
    let old = d.engine.create_token("anna", None).unwrap();
    d.downgrade_to_v3();
    d.set_now(NOW);
    assert_eq!(d.engine.authenticate(&old).unwrap().login, "anna");
    let id = d.engine.start_session("kim@contoso.example").unwrap().id;
    assert!(matches!(
        d.engine.session(&id).unwrap(),
        crate::model::SessionCheck::Active(_)
    ));
    assert!(
        d.dump()
            .starts_with(&format!("user_version {SCHEMA_VERSION}\n"))
    );
}

/// The migration reads the version again under the lock and never writes it down: a
/// store another (newer) desk moved on meanwhile is refused as it is; one already at
/// this version is left alone.
#[test]
fn a_migration_never_lowers_the_version_another_process_set() {
    let d = Desk::base();
    let mut conn = rusqlite::Connection::open(&d.path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    let before = d.dump();
    assert!(matches!(
        crate::store::migrate(&mut conn, &d.path),
        Err(Error::SchemaTooNew { found: 99, .. })
    ));
    assert_eq!(before, d.dump());
    conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))
        .unwrap();
    let before = d.dump();
    crate::store::migrate(&mut conn, &d.path).unwrap();
    assert_eq!(before, d.dump());
}
