//! CLI journeys of lists (docs/lists.md): `ticket list --sort` with keyset pages,
//! value lists and negation, `ticket count`, the inbox (`--unseen`, `ticket seen`,
//! `queues`), and the errors of each.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::Desk;
use serde_json::Value;

fn numbers(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap().to_string())
        .collect()
}

/// A demo desk with six tickets of its own: dues out of order, one without.
fn desk() -> Desk {
    let d = Desk::demo();
    for (title, due, prio) in [
        ("Alpha", Some("2026-12-05 09:00"), "Low"),
        ("beta", None, "High"),
        ("Gamma", Some("2026-12-01 09:00"), "Critical"),
        ("delta", Some("2026-12-03 09:00"), "Medium"),
        ("Epsilon", Some("2026-12-01 09:00"), "High"),
        ("zeta", None, "Low"),
    ] {
        let mut args = vec![
            "ticket",
            "create",
            "--title",
            title,
            "--priority",
            prio,
            "--json",
        ];
        if let Some(d) = due {
            args.extend(["--due", d]);
        }
        d.run(&args).json();
    }
    d
}

fn titles(d: &Desk, args: &[&str]) -> Vec<String> {
    let mut all = vec!["ticket", "list", "--json"];
    all.extend_from_slice(args);
    d.run(&all)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_sorts_by_any_field_with_tickets_without_due_last() {
    let d = desk();
    assert_eq!(
        titles(&d, &["--sort", "due"]),
        ["Gamma", "Epsilon", "delta", "Alpha", "beta", "zeta"]
    );
    assert_eq!(
        titles(&d, &["--sort", "-due"]),
        ["Alpha", "delta", "Epsilon", "Gamma", "zeta", "beta"]
    );
    assert_eq!(
        titles(&d, &["--sort", "title"]),
        ["Alpha", "beta", "delta", "Epsilon", "Gamma", "zeta"]
    );
    assert_eq!(
        titles(&d, &["--sort", "-priority"]),
        ["Gamma", "Epsilon", "beta", "delta", "zeta", "Alpha"]
    );
    // The default: newest first.
    assert_eq!(titles(&d, &[])[0], "zeta");
}

#[test]
fn pages_follow_their_cursor_and_the_sort_it_carries() {
    let d = desk();
    let mut seen = Vec::new();
    let first = d.run(&["ticket", "list", "--sort", "due", "--limit", "4", "--json"]);
    seen.extend(numbers(&first.json()));
    let next = first.cursor().expect("a second page");
    // --after alone continues the same sort.
    let second = d.run(&["ticket", "list", "--after", &next, "--limit", "4", "--json"]);
    seen.extend(numbers(&second.json()));
    assert!(second.cursor().is_none(), "{}", second.stderr);
    let whole = numbers(&d.run(&["ticket", "list", "--sort", "due", "--json"]).json());
    assert_eq!(seen, whole);
    // Another sort with that cursor, or no cursor at all: refused, naming what.
    d.run(&["ticket", "list", "--sort", "title", "--after", &next])
        .refused("after: this cursor continues a list sorted by due, not by title");
    d.run(&["ticket", "list", "--after", "nonsense"])
        .refused("after: \"nonsense\" is not a cursor from a previous page");
}

#[test]
fn an_unknown_sort_field_is_an_error_listing_the_fields() {
    let d = desk();
    let before = d.dump();
    d.run(&["ticket", "list", "--sort", "colour"]).refused(
        "sort: unknown sort field \"colour\"; sort by number, due, priority, status, created, updated, company, title",
    );
    d.run(&["ticket", "list", "--sort", "-"]).refused("sort: ");
    assert_eq!(before, d.dump());
}

#[test]
fn value_lists_negation_unassigned_and_counts() {
    let d = desk();
    let anna = d.run(&["ticket", "list", "--limit", "1", "--json"]).json()[0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    d.run(&["ticket", "update", &anna, "--assign", "ben"])
        .json_ok();
    let high = titles(&d, &["--priority", "high,critical", "--sort", "title"]);
    assert_eq!(high, ["beta", "Epsilon", "Gamma"]);
    let repeated = titles(
        &d,
        &[
            "--priority",
            "High",
            "--priority",
            "Critical",
            "--sort",
            "title",
        ],
    );
    assert_eq!(repeated, high);
    let not_low = titles(&d, &["--not-priority", "low", "--sort", "title"]);
    assert_eq!(not_low, ["beta", "delta", "Epsilon", "Gamma"]);
    assert_eq!(titles(&d, &["--assigned", "ben"]), ["zeta"]);
    let unassigned = titles(&d, &["--unassigned", "--sort", "title"]);
    assert_eq!(unassigned.len(), 5);
    assert_eq!(
        titles(&d, &["--assigned", "none", "--sort", "title"]),
        unassigned
    );
    assert_eq!(titles(&d, &["--not-assigned", "none"]), ["zeta"]);
    assert_eq!(
        titles(&d, &["--due-after", "2026-12-02", "--sort", "due"]),
        ["delta", "Alpha"]
    );
    // Counts of the same filters.
    let count = |args: &[&str]| {
        let mut all = vec!["ticket", "count", "--json"];
        all.extend_from_slice(args);
        d.run(&all).json()["count"].as_u64().unwrap()
    };
    assert_eq!(count(&["--priority", "high,critical"]), 3);
    assert_eq!(count(&["--unassigned"]), 5);
    assert_eq!(count(&["--open"]), 6);
    let plain = d.run(&["ticket", "count", "--open"]);
    assert_eq!(plain.stdout.trim(), "6");
    d.run(&["ticket", "count", "--priority", "urgent"])
        .refused("priority: unknown priority \"urgent\"");
    d.run(&["ticket", "count", "--status", "Bogus"])
        .refused("status: unknown status \"Bogus\"");
    d.run(&["ticket", "list", "--due-after", "soon"])
        .refused("due-after");
}

#[test]
fn the_inbox_shows_customer_activity_until_you_open_it() {
    let d = Desk::demo();
    let t = d
        .as_(
            "lisa@contoso.example",
            &[
                "portal",
                "submit",
                "--title",
                "VPN down",
                "--issue-type",
                "Network outage",
                "--json",
            ],
        )
        .json();
    let n = t["number"].as_str().unwrap().to_string();
    let inbox = |login: &str| {
        numbers(
            &d.as_(login, &["ticket", "list", "--unseen", "--json"])
                .json(),
        )
    };
    assert_eq!(inbox("anna"), [n.as_str()]);
    assert_eq!(inbox("ben"), [n.as_str()]);
    let table = d.as_("anna", &["ticket", "list"]);
    assert!(table.stdout.contains("● in your inbox"), "{}", table.stdout);
    let queues = d.as_("anna", &["queues", "--json"]).json();
    let total: u64 = queues
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["unseen"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 1);
    assert!(d.as_("anna", &["queues"]).stdout.contains("INBOX"));

    let r = d.as_("anna", &["ticket", "seen", &n, "--json"]).json();
    assert_eq!(r["seen"], n.as_str());
    assert!(inbox("anna").is_empty());
    assert_eq!(inbox("ben"), [n.as_str()]);
    // Seeing changed nothing of the ticket.
    let shown = d.as_("anna", &["ticket", "show", &n, "--json"]).json();
    assert_eq!(
        (shown["version"].as_i64(), shown["unseen"].as_bool()),
        (t["version"].as_i64(), Some(false))
    );
    assert_eq!(shown["updated_at"], t["updated_at"]);

    d.as_("anna", &["ticket", "seen", "T19990101.0001"])
        .refused("unknown ticket \"T19990101.0001\"");
    d.as_("lisa@contoso.example", &["ticket", "seen", &n])
        .refused("not allowed");
}

#[test]
fn a_stale_rename_is_refused_and_the_conflict_names_the_versions() {
    let d = desk();
    let n = d.run(&["ticket", "list", "--limit", "1", "--json"]).json()[0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    d.as_(
        "chen",
        &["ticket", "update", &n, "--title", "Renamed by chen"],
    )
    .json_ok();
    let before = d.dump();
    d.run(&[
        "ticket",
        "update",
        &n,
        "--title",
        "Mine",
        "--if-version",
        "1",
    ])
    .refused("you have version 1, it is now at 2");
    d.run(&[
        "taskfire",
        "assign",
        &n,
        "--queue",
        "Contoso IT",
        "--note",
        "x",
        "--if-version",
        "1",
    ])
    .refused("you have version 1");
    d.run(&["ticket", "delete", &n, "--yes", "--if-version", "1"])
        .refused("you have version 1, it is now at 2");
    d.run(&["taskfire", "complete", &n, "--if-version", "1"])
        .refused("you have version 1, it is now at 2");
    // A version the ticket never had is not a colleague's change.
    d.run(&["ticket", "delete", &n, "--yes", "--if-version", "99"])
        .refused("is at version 2; version 99 was never one of its versions");
    assert_eq!(before, d.dump());
    d.run(&["ticket", "delete", &n, "--yes", "--if-version", "2"])
        .json_ok();
}
