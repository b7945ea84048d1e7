//! `desk contact set-password` and `desk contact invite` through the real binary: the
//! password comes from standard input and a short one is refused; only contacts have
//! portal passwords; an invite needs the portal's public URL; every refusal names what
//! was wrong and leaves the store exactly as it was (docs/portal.md, "Passwords and
//! invites").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::{Desk, Run};

/// `desk contact set-password LOGIN` with `input` on standard input.
fn set_password(d: &Desk, login: &str, input: &str) -> Run {
    cli_support::output(cli_support::with_stdin(
        d.cmd(&["contact", "set-password", login]),
        input,
    ))
}

fn hashes(d: &Desk) -> Vec<String> {
    let conn = rusqlite::Connection::open(d.store()).unwrap();
    let mut q = conn
        .prepare("SELECT hash FROM passwords ORDER BY contact_id")
        .unwrap();
    q.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_password_from_stdin_is_stored_as_an_argon2id_hash() {
    let d = Desk::demo();
    let r = set_password(&d, "kim@contoso.example", "correct horse battery\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("set the portal password of kim@contoso.example")
    );
    let stored = hashes(&d);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].starts_with("$argon2id$"), "{}", stored[0]);
    assert!(!stored[0].contains("correct horse"));
}

#[test]
fn refused_passwords_and_logins_name_why_and_change_nothing() {
    let d = Desk::demo();
    let before = d.dump();
    let cases = [
        (
            "kim@contoso.example",
            "short pass\n",
            "at least 12 characters",
        ),
        ("kim@contoso.example", "", "at least 12 characters"),
        (
            "kim@contoso.example",
            "first line is long\nsecond line\n",
            "more than one line",
        ),
        ("anna", "correct horse battery\n", "not a contact"),
        (
            "nobody@contoso.example",
            "correct horse battery\n",
            "nobody",
        ),
    ];
    for (login, input, says) in cases {
        set_password(&d, login, input).refused(says);
        assert_eq!(d.dump(), before, "{login} {input:?}");
    }
}

#[test]
fn an_invite_needs_the_public_url_once_and_prints_only_the_link() {
    let d = Desk::demo();
    let before = d.dump();
    d.run(&["contact", "invite", "kim@contoso.example"])
        .refused("--public-url");
    d.run(&[
        "contact",
        "invite",
        "kim@contoso.example",
        "--public-url",
        "ftp://desk.example.com",
    ])
    .refused("does not start with https:// or http://");
    assert_eq!(d.dump(), before);

    let r = d.run(&[
        "contact",
        "invite",
        "kim@contoso.example",
        "--public-url",
        "https://desk.example.com",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let link = r.stdout.trim();
    assert!(
        link.starts_with("https://desk.example.com/portal/invite/"),
        "{link}"
    );
    assert_eq!(r.stdout.lines().count(), 1, "only the link on stdout");
    assert!(r.stderr.contains("7 days"), "{}", r.stderr);
    // Remembered: the next invite needs no URL.
    let again = d.run(&["contact", "invite", "lisa@contoso.example"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stdout
            .starts_with("https://desk.example.com/portal/invite/")
    );
    d.run(&["contact", "invite", "ben"])
        .refused("not a contact");
}
