//! docs/rules.md, "Text": what a store holds anyway (an older store, mail intake later)
//! never reaches a terminal raw. The values are written with SQL, as an older desk that
//! did not check its input would have stored them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::{Desk, Run};

const TITLE: &str = "Printer \u{1b}[2J\u{1b}]0;owned\u{7} jam\nNEXT ROW";
const NOTE: &str = "first line\n\tsecond \u{1b}[31mred\u{9b}2J";

/// A demo desk with one portal ticket of lisa's whose title, description, note, queue
/// and outbox message carry escape sequences.
fn poisoned() -> (Desk, String) {
    let d = Desk::demo();
    let t = d
        .as_(
            "lisa@contoso.example",
            &[
                "portal",
                "submit",
                "--title",
                "Printer jam",
                "--issue-type",
                "Printer",
                "--json",
            ],
        )
        .json();
    let number = t["number"].as_str().unwrap().to_string();
    d.run(&["note", "add", &number, "--text", "placeholder", "--publish"])
        .json_ok();
    let conn = rusqlite::Connection::open(d.store()).unwrap();
    conn.execute(
        "UPDATE tickets SET title = ?1, description = ?2 WHERE number = ?3",
        rusqlite::params![TITLE, NOTE, number],
    )
    .unwrap();
    conn.execute(
        "UPDATE activity SET text = ?1, author = ?2 WHERE text = 'placeholder'",
        rusqlite::params![NOTE, "anna\u{1b}[8m"],
    )
    .unwrap();
    conn.execute(
        "UPDATE outbox SET subject = ?1, recipient = ?2",
        rusqlite::params![TITLE, "x\u{7}@y"],
    )
    .unwrap();
    conn.execute(
        "UPDATE queues SET name = 'Level 1\u{1b}[5m' WHERE name = 'Level 1'",
        [],
    )
    .unwrap();
    (d, number)
}

/// Nothing on stdout that a terminal would act on: only line breaks and tabs.
fn harmless(r: &Run) {
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bad: Vec<char> = r
        .stdout
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(
        bad.is_empty(),
        "raw control characters {bad:?} in:\n{}",
        r.stdout
    );
    assert!(!r.stderr.contains('\u{1b}'), "{}", r.stderr);
}

#[test]
fn ticket_list_escapes_and_a_line_break_never_splits_a_row() {
    let (d, number) = poisoned();
    let r = d.run(&["ticket", "list"]);
    harmless(&r);
    // The header and one row: the title's line break is shown, not obeyed.
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    assert!(
        r.stdout.contains("Printer ^[[2J^[]0;owned^G jam^JN"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("\nNEXT ROW"), "{}", r.stdout);
    assert!(r.stdout.contains(&number));
    assert!(r.stdout.contains("Level 1^[[5m"), "{}", r.stdout);
}

#[test]
fn ticket_show_escapes_title_description_notes_and_authors() {
    let (d, number) = poisoned();
    let r = d.run(&["ticket", "show", &number]);
    harmless(&r);
    let first = r.stdout.lines().next().unwrap();
    assert_eq!(
        first,
        format!("{number}  Printer ^[[2J^[]0;owned^G jam^JNEXT ROW")
    );
    // The description and the note keep their lines and tabs; the rest is shown.
    assert!(
        r.stdout.contains("first line\n\tsecond ^[[31mred\\u{9b}2J"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("anna^[[8m: first line\n      \tsecond"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_portal_shows_the_contact_escaped_values_too() {
    let (d, number) = poisoned();
    let r = d.as_("lisa@contoso.example", &["portal", "list"]);
    harmless(&r);
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    let r = d.as_("lisa@contoso.example", &["portal", "show", &number]);
    harmless(&r);
    assert!(r.stdout.contains("^[[31mred"), "{}", r.stdout);
}

#[test]
fn notifications_and_queues_escape_what_the_store_holds() {
    let (d, _) = poisoned();
    let r = d.run(&["notifications"]);
    harmless(&r);
    assert!(r.stdout.contains("x^G@y"), "{}", r.stdout);
    assert!(!r.stdout.contains("\nNEXT ROW"), "{}", r.stdout);
    let r = d.run(&["queues"]);
    harmless(&r);
    assert!(r.stdout.contains("Level 1^[[5m"), "{}", r.stdout);
}

#[test]
fn json_output_keeps_the_stored_value_exactly() {
    let (d, number) = poisoned();
    let t = d.run(&["ticket", "show", &number, "--json"]).json();
    assert_eq!(t["title"], TITLE);
    assert_eq!(t["description"], NOTE);
    let list = d.run(&["ticket", "list", "--json"]).json();
    assert_eq!(list[0]["title"], TITLE);
    let n = d.run(&["notifications", "--json"]).json();
    assert_eq!(n[0]["subject"], TITLE);
    // JSON escapes the C0 characters itself: the document holds none raw.
    let raw = d.run(&["ticket", "show", &number, "--json"]).stdout;
    assert!(!raw.contains('\u{1b}') && !raw.contains('\u{7}'));
}

#[test]
fn an_error_quoting_typed_escapes_shows_them() {
    let d = Desk::demo();
    let r = d.run(&["ticket", "show", "T\u{1b}]0;owned\u{7}"]);
    r.refused("T^[]0;owned^G");
    assert!(!r.stderr.contains('\u{1b}'));
}
