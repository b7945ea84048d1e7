//! API tokens: they act for their login until they expire or are revoked; a store made
//! before tokens expired is brought up to date and its tokens keep working.

use super::fixture::*;
use crate::Error;

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
