//! docs/lists.md: no list is cut silently. Every list command takes `--limit` (1 to
//! 1000, as the HTTP API) and `--after`, and says on stderr when there is more, with
//! the cursor to go on from; stdout keeps the page (with --json, one JSON array).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::Desk;
use std::collections::BTreeSet;

/// A demo desk whose outbox holds `n` messages, written as the engine writes them.
fn outbox_of(n: usize) -> Desk {
    let d = Desk::demo();
    let conn = rusqlite::Connection::open(d.store()).unwrap();
    for i in 0..n {
        conn.execute(
            "INSERT INTO outbox (event, recipient, subject, body, ticket, at) VALUES ('ticket_created', 'lisa@contoso.example', ?1, 'b', NULL, 1796000000000)",
            [format!("message {i}")],
        )
        .unwrap();
    }
    d
}

#[test]
fn notifications_say_when_there_are_more_and_go_on_from_the_cursor() {
    let d = outbox_of(60);
    let first = d.run(&["notifications"]);
    // The table: a header and the 50 newest, and a word on stderr about the other 10.
    assert_eq!(first.stdout.lines().count(), 51, "{}", first.stdout);
    assert!(first.stdout.contains("message 59") && !first.stdout.contains("message 9\n"));
    let next = first.cursor().expect("stderr says there is more");
    assert!(first.stderr.contains("50 shown"), "{}", first.stderr);
    let rest = d.run(&["notifications", "--after", &next]);
    assert_eq!(rest.stdout.lines().count(), 11, "{}", rest.stdout);
    assert!(rest.stdout.contains("message 0"));
    assert_eq!(rest.cursor(), None, "the last page says nothing more");

    let pages = d.all_pages("anna", &["notifications"], "7");
    let subjects: Vec<String> = pages
        .iter()
        .flatten()
        .map(|n| n["subject"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(pages.len(), 9);
    let expected: Vec<String> = (0..60).rev().map(|i| format!("message {i}")).collect();
    assert_eq!(
        subjects, expected,
        "newest first, nothing twice, nothing missed"
    );
}

#[test]
fn a_full_last_page_ends_without_a_cursor() {
    let d = outbox_of(50);
    let r = d.run(&["notifications", "--json"]);
    assert_eq!(r.json().as_array().unwrap().len(), 50);
    assert_eq!(r.cursor(), None, "{}", r.stderr);
}

#[test]
fn portal_list_shows_a_manager_every_ticket_a_page_at_a_time() {
    let d = Desk::empty();
    d.run(&["init", "--demo", "--tickets", "300"]).json_ok();
    let lisa = "lisa@contoso.example";
    let first = d.as_(lisa, &["portal", "list"]);
    assert!(
        first.cursor().is_some(),
        "a manager sees more than 50: {}",
        first.stderr
    );
    let pages = d.all_pages(lisa, &["portal", "list"], "50");
    let numbers: Vec<&str> = pages
        .iter()
        .flatten()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    let unique: BTreeSet<&&str> = numbers.iter().collect();
    assert!(numbers.len() > 50);
    assert_eq!(unique.len(), numbers.len(), "no ticket twice");
    assert!(pages.iter().all(|p| p.len() <= 50));
}

#[test]
fn ticket_list_pages_the_same_way() {
    let d = Desk::empty();
    d.run(&["init", "--demo", "--tickets", "120"]).json_ok();
    let pages = d.all_pages("anna", &["ticket", "list"], "50");
    let n: usize = pages.iter().map(Vec::len).sum();
    assert_eq!(pages.len(), n.div_ceil(50));
    let first = d.run(&["ticket", "list", "--limit", "3"]);
    assert_eq!(
        first.stdout.lines().filter(|l| l.starts_with('T')).count(),
        3
    );
    assert!(
        first
            .stderr
            .starts_with("more: 3 shown and more follow; continue with --after ")
    );
}

#[test]
fn every_list_refuses_a_limit_out_of_bounds_naming_it_and_a_bad_cursor() {
    let d = outbox_of(3);
    let lists: [(&str, &[&str]); 3] = [
        ("anna", &["ticket", "list"]),
        ("lisa@contoso.example", &["portal", "list"]),
        ("anna", &["notifications"]),
    ];
    for (login, list) in lists {
        for bad in ["0", "1001", "4294967295", "-1", "ten"] {
            let arg = format!("--limit={bad}");
            let mut a = list.to_vec();
            a.push(&arg);
            d.as_(login, &a).refused("--limit");
        }
        let mut a = list.to_vec();
        a.extend(["--limit", "1000"]);
        d.as_(login, &a).json_ok();
        let mut a = list.to_vec();
        a.extend(["--after", "not-a-cursor"]);
        d.as_(login, &a)
            .refused("not a cursor from a previous page");
    }
}
