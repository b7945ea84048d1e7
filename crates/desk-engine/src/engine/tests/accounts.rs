//! The portal's accounts (docs/portal.md): passwords, sign-in, sessions that end by
//! time, by signing out, by revocation and by a new password; one-time invites.

use super::fixture::*;
use crate::Error;
use crate::domain::password::PasswordHash;
use crate::model::*;

const PW: &str = "correct horse battery";

fn password(d: &mut Desk, login: &str, pw: &str) {
    let h = PasswordHash::new(pw).unwrap();
    d.engine.set_password(login, &h).unwrap();
}

/// 2026-11-29T04:00:00Z (NOW) plus `minutes`, as RFC 3339.
fn later(minutes: i64) -> String {
    (at(NOW) + chrono::Duration::minutes(minutes)).to_rfc3339()
}

fn active(e: &crate::Engine, id: &str) -> Session {
    match e.session(id).unwrap() {
        SessionCheck::Active(s) => s,
        other => panic!("not active: {other:?}"),
    }
}

#[test]
fn a_right_password_signs_in_and_every_wrong_way_gets_the_same_error() {
    let mut d = Desk::base();
    password(&mut d, "kim@contoso.example", PW);
    let creds = |d: &Desk, login: &str| d.engine.credentials(login).unwrap();
    // Logins are matched as the setup spells them, whatever the case typed.
    assert_eq!(
        creds(&d, " Kim@Contoso.example").check(PW).unwrap(),
        "kim@contoso.example"
    );
    let wrong = [
        ("kim@contoso.example", "correct horse batterY"),
        ("kim@contoso.example", ""),
        // No password set; a staff login; no such login at all.
        ("lisa@contoso.example", PW),
        ("anna", PW),
        ("nobody@nowhere.example", PW),
    ];
    for (login, pw) in wrong {
        let e = creds(&d, login).check(pw).unwrap_err();
        assert!(matches!(e, Error::SignInFailed), "{login}: {e:?}");
        assert_eq!(e.to_string(), "the login or the password is not right");
        assert_eq!(e.code(), "unauthorized");
    }
}

#[test]
fn passwords_are_for_contacts_only_and_a_refusal_writes_nothing() {
    let mut d = Desk::base();
    let h = PasswordHash::new(PW).unwrap();
    refused(&mut d, |e| e.set_password("anna", &h), not_allowed);
    refused(
        &mut d,
        |e| e.set_password("nobody@nowhere.example", &h),
        |e| matches!(e, Error::NotFound { what: "login", .. }),
    );
    assert!(PasswordHash::new("eleven char").is_err());
    assert!(!d.engine.has_password("kim@contoso.example").unwrap());
    d.engine.set_password("kim@contoso.example", &h).unwrap();
    assert!(d.engine.has_password("kim@contoso.example").unwrap());
}

#[test]
fn a_contact_without_portal_access_is_told_so_and_gets_no_session() {
    let mut d = Desk::base();
    // Noel's portal level is none (the default): the password may be right...
    password(&mut d, "noel@contoso.example", PW);
    let login = d
        .engine
        .credentials("noel@contoso.example")
        .unwrap()
        .check(PW)
        .unwrap();
    // ... but no session opens, and the store stays as it was.
    let e = refused(&mut d, |e| e.start_session(&login), not_allowed);
    assert!(e.to_string().contains("portal access is disabled"), "{e}");
    refused(
        &mut d,
        |e| e.create_invite("noel@contoso.example"),
        not_allowed,
    );
}

#[test]
fn a_session_acts_for_its_contact_with_its_own_csrf_token() {
    let mut d = Desk::base();
    let kim = d.engine.start_session("kim@contoso.example").unwrap();
    let lisa = d.engine.start_session("lisa@contoso.example").unwrap();
    assert_eq!(kim.actor.login, "kim@contoso.example");
    assert_ne!(kim.id, lisa.id);
    let s = active(&d.engine, &kim.id);
    assert_eq!(s.actor.login, "kim@contoso.example");
    assert!(s.csrf_matches(&s.csrf));
    assert!(!s.csrf_matches(&active(&d.engine, &lisa.id).csrf));
    assert!(!s.csrf_matches(""));
    assert!(!s.csrf_matches(&s.csrf[1..]));
    // The token is not the id, nor what the store keeps.
    assert_ne!(s.csrf, kim.id);
    assert!(!d.dump().contains(&s.csrf));
    for forged in ["", "x", &kim.id[1..], &format!("{}0", kim.id)] {
        assert_eq!(d.engine.session(forged).unwrap(), SessionCheck::Unknown);
    }
}

#[test]
fn the_store_keeps_hashes_of_secrets_and_never_the_secrets() {
    let mut d = Desk::base();
    password(&mut d, "kim@contoso.example", PW);
    let session = d.engine.start_session("kim@contoso.example").unwrap();
    let invite = d.engine.create_invite("lisa@contoso.example").unwrap();
    let dump = d.dump();
    for secret in [PW, session.id.as_str(), invite.token.as_str()] {
        assert!(!dump.contains(secret), "{secret} is in the store");
    }
    assert!(dump.contains("$argon2id$"));
}

#[test]
fn a_session_ends_after_an_hour_without_use_and_use_keeps_it_open() {
    let mut d = Desk::base();
    let id = d.engine.start_session("kim@contoso.example").unwrap().id;
    // Use is written down at most once a minute: pages stay reads.
    assert!(!active(&d.open(&later(0)), &id).stale);
    assert!(active(&d.open(&later(1)), &id).stale);
    assert!(active(&d.open(&later(59)), &id).stale);
    assert_eq!(
        d.open(&later(60)).session(&id).unwrap(),
        SessionCheck::Expired
    );
    // Used at minute 50, it lasts until minute 110.
    d.open(&later(50)).touch_session(&id).unwrap();
    assert!(!active(&d.open(&later(50)), &id).stale);
    active(&d.open(&later(109)), &id);
    assert_eq!(
        d.open(&later(110)).session(&id).unwrap(),
        SessionCheck::Expired
    );
    // A touch by an engine whose clock is behind never moves the last use back.
    d.open(&later(5)).touch_session(&id).unwrap();
    active(&d.open(&later(109)), &id);
}

#[test]
fn a_session_ends_twelve_hours_after_sign_in_however_busy() {
    let mut d = Desk::base();
    let id = d.engine.start_session("kim@contoso.example").unwrap().id;
    for m in (30..12 * 60).step_by(30) {
        d.open(&later(m)).touch_session(&id).unwrap();
    }
    active(&d.open(&later(12 * 60 - 1)), &id);
    assert_eq!(
        d.open(&later(12 * 60)).session(&id).unwrap(),
        SessionCheck::Expired
    );
}

#[test]
fn signing_out_revoking_and_a_new_password_end_sessions() {
    let mut d = Desk::base();
    let a = d.engine.start_session("kim@contoso.example").unwrap().id;
    let b = d.engine.start_session("kim@contoso.example").unwrap().id;
    let other = d.engine.start_session("lisa@contoso.example").unwrap().id;
    d.engine.end_session(&a).unwrap();
    assert_eq!(d.engine.session(&a).unwrap(), SessionCheck::Unknown);
    active(&d.engine, &b);
    // Signing out twice is no error.
    d.engine.end_session(&a).unwrap();

    let token = d.engine.create_token("kim@contoso.example", None).unwrap();
    let r = d.engine.revoke_tokens("Kim@Contoso.example").unwrap();
    assert_eq!(
        r,
        Revoked {
            tokens: 1,
            sessions: 1
        }
    );
    assert_eq!(d.engine.session(&b).unwrap(), SessionCheck::Unknown);
    assert!(d.engine.authenticate(&token).is_err());
    // Only that contact's.
    active(&d.engine, &other);

    let c = d.engine.start_session("lisa@contoso.example").unwrap().id;
    let h = PasswordHash::new(PW).unwrap();
    assert_eq!(
        d.engine.set_password("lisa@contoso.example", &h).unwrap(),
        2
    );
    assert_eq!(d.engine.session(&c).unwrap(), SessionCheck::Unknown);
    assert_eq!(d.engine.session(&other).unwrap(), SessionCheck::Unknown);
}

#[test]
fn an_invite_sets_the_password_once() {
    let mut d = Desk::base();
    let invite = d.engine.create_invite("lisa@contoso.example").unwrap();
    assert_eq!(invite.login, "lisa@contoso.example");
    assert_eq!(invite.expires_at, at(NOW) + chrono::Duration::days(7));
    assert_eq!(d.engine.invite(&invite.token).unwrap(), invite);
    let h = PasswordHash::new(PW).unwrap();
    let who = d.engine.accept_invite(&invite.token, &h).unwrap();
    assert_eq!(who.login, "lisa@contoso.example");
    let creds = d.engine.credentials("lisa@contoso.example").unwrap();
    assert_eq!(creds.check(PW).unwrap(), "lisa@contoso.example");
    // Used up: neither shown nor taken again, and nothing is written.
    let used = |e: &Error| matches!(e, Error::Invalid { field, message } if field == "invite" && message.contains("used already"));
    let e = d.engine.invite(&invite.token).unwrap_err();
    assert!(used(&e), "{e:?}");
    let other = PasswordHash::new("another long password").unwrap();
    refused(&mut d, |e| e.accept_invite(&invite.token, &other), used);
}

#[test]
fn an_invite_works_for_seven_days_and_a_newer_one_replaces_it() {
    let mut d = Desk::base();
    let first = d.engine.create_invite("kim@contoso.example").unwrap();
    let seven_days = 7 * 24 * 60;
    let just_before = (at(NOW) + chrono::Duration::minutes(seven_days)
        - chrono::Duration::milliseconds(1))
    .to_rfc3339();
    d.open(&just_before).invite(&first.token).unwrap();
    let e = d.open(&later(seven_days)).invite(&first.token).unwrap_err();
    assert!(e.to_string().contains("expired"), "{e}");
    let h = PasswordHash::new(PW).unwrap();
    d.set_now(&later(seven_days));
    refused(
        &mut d,
        |e| e.accept_invite(&first.token, &h),
        |e| e.to_string().contains("expired"),
    );

    d.set_now(NOW);
    let a = d.engine.create_invite("kim@contoso.example").unwrap();
    let b = d.engine.create_invite("kim@contoso.example").unwrap();
    assert!(d.engine.invite(&a.token).is_err());
    d.engine.invite(&b.token).unwrap();
    refused(&mut d, |e| e.create_invite("anna"), not_allowed);
}

#[test]
fn the_public_url_is_checked_and_kept_in_the_store() {
    let mut d = Desk::base();
    assert_eq!(d.engine.public_url(), None);
    for bad in [
        "desk.example.com",
        "ftp://desk.example.com",
        "https://",
        "https:///portal",
        "https://desk.example.com/?x=1",
        "https://desk.example.com/#top",
        "https://desk example.com",
        "https://desk.example.com/\u{1b}[2J",
    ] {
        refused(
            &mut d,
            |e| e.set_public_url(bad),
            |e| matches!(e, Error::Invalid { field, .. } if field == "public_url"),
        );
    }
    d.engine
        .set_public_url(" https://desk.example.com/help/ ")
        .unwrap();
    assert_eq!(
        d.open(NOW).public_url(),
        Some("https://desk.example.com/help")
    );
}

#[test]
fn messages_to_contacts_link_to_the_portal_page_where_the_address_is_known() {
    let mut d = Desk::base();
    let before = d.submit("kim@contoso.example", "No link yet", "Other");
    d.engine.set_public_url("https://desk.example.com").unwrap();
    let t = d.submit("kim@contoso.example", "Printer offline", "Printer");
    let link = format!("https://desk.example.com/portal/tickets/{}", t.number);
    let mine = events_for(&d, &t.number);
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(
        mine[0]
            .body
            .ends_with(&format!("\n\nFollow this ticket in the portal: {link}"))
    );
    assert!(
        !events_for(&d, &before.number)[0]
            .body
            .contains("portal/tickets")
    );

    // Staff get no portal link; a template that places the link has it once.
    let src = format!(
        "{BASE}\n[[notification_templates]]\nevent = \"ticket_created\"\nsubject = \"Got {{ticket.number}}\"\nbody = \"See {{ticket.portal_url}} for news.\"\n"
    );
    let mut d = Desk::new(&src, NOW);
    d.engine.set_public_url("https://desk.example.com").unwrap();
    let t = d.submit("kim@contoso.example", "Printer offline", "Printer");
    let link = format!("https://desk.example.com/portal/tickets/{}", t.number);
    assert_eq!(
        events_for(&d, &t.number)[0].body,
        format!("See {link} for news.")
    );
    // A portal note tells the assigned technician, without a portal link.
    let anna = d.actor("anna");
    let change = TicketChange {
        assign: Some("anna".into()),
        ..TicketChange::default()
    };
    d.engine.update_ticket(&anna, &t.number, change).unwrap();
    let kim = d.actor("kim@contoso.example");
    d.engine
        .portal_note(&kim, &t.number, "Still broken")
        .unwrap();
    let to_anna: Vec<_> = events_for(&d, &t.number)
        .into_iter()
        .filter(|n| n.event == "portal_note_added")
        .collect();
    assert_eq!(to_anna.len(), 1);
    assert_eq!(to_anna[0].to, "anna@kiwi.example");
    assert!(
        !to_anna[0].body.contains("portal/tickets"),
        "{}",
        to_anna[0].body
    );
}
