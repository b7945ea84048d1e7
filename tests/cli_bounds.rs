//! docs/rules.md, "Time" and "Bounds": every time desk stores is one it accepts as input,
//! and counts have an upper bound; what lies outside is refused naming the argument and
//! changes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::Desk;

#[test]
fn init_tickets_has_an_upper_bound_named_in_the_refusal() {
    let d = Desk::empty();
    d.run(&["init", "--demo", "--tickets", "10000001"])
        .refused("--tickets");
    d.run(&["init", "--demo", "--tickets", "4294967296"])
        .refused("--tickets");
    assert!(!d.store().exists(), "a refused init writes no store");
    d.run(&["demo", "--tickets", "99999999999"])
        .refused("--tickets");
}

/// A yearly (every 3650 days) series of `count` instances from 2026-12-01.
fn decades(d: &Desk, count: &str) -> cli_support::Run {
    d.run(&[
        "series",
        "create",
        "--title",
        "Yearly",
        "--company",
        "Contoso",
        "--first-due",
        "2026-12-01 09:00",
        "--every-days",
        "3650",
        "--count",
        count,
        "--json",
    ])
}

#[test]
fn a_series_whose_last_instance_would_be_due_after_9999_is_refused() {
    let d = Desk::demo();
    let before = d.dump();
    decades(&d, "999")
        .refused("count: the last of 999 instances 3650 days apart would be due +12000-");
    assert_eq!(before, d.dump());
    // The same series, short enough to end before the range does, is fine.
    decades(&d, "100").json_ok();
}

#[test]
fn due_dates_outside_the_range_are_refused_wherever_they_are_typed() {
    let d = Desk::demo();
    let t = d
        .run(&[
            "ticket",
            "create",
            "--title",
            "x",
            "--company",
            "Contoso",
            "--json",
        ])
        .json()["number"]
        .as_str()
        .unwrap()
        .to_string();
    let before = d.dump();
    for due in ["9999-12-31 10:00", "9999-12-31T23:00:00Z", "1969-12-31"] {
        d.run(&["ticket", "create", "--title", "x", "--due", due])
            .refused("due: ");
        d.run(&["ticket", "update", &t, "--due", due])
            .refused("outside the times desk accepts");
        d.run(&[
            "taskfire",
            "assign",
            &t,
            "--queue",
            "Contoso IT",
            "--due",
            due,
            "--note",
            "x",
        ])
        .refused("due: ");
    }
    assert_eq!(before, d.dump());
}

#[test]
fn token_expiries_outside_the_range_are_refused_and_make_no_token() {
    let d = Desk::demo().at("9999-12-01T00:00:00Z");
    let before = d.dump();
    d.run(&["token", "create", "anna", "--expires", "5000w"])
        .refused("expires: +10095-");
    d.run(&["token", "create", "anna", "--expires", "9999-12-31"])
        .refused("expires: 9999-12-31T");
    assert_eq!(before, d.dump());
}

#[test]
fn desk_now_outside_the_range_is_refused_and_its_last_second_numbers_normally() {
    let d = Desk::demo();
    for bad in ["9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z"] {
        let mut c = d.cmd(&["ticket", "list"]);
        c.env("DESK_NOW", bad);
        let o = c.output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success());
        assert!(
            err.starts_with("error: DESK_NOW: ") && err.contains("outside the times desk accepts"),
            "{err}"
        );
    }
    // The last accepted second is 9999-12-31 00:59:59 in Berlin: still eight digits.
    let d = d.at("9999-12-30T23:59:59Z");
    let t = d
        .run(&["ticket", "create", "--title", "Y10K", "--json"])
        .json();
    assert_eq!(t["number"], "T99991231.0001");
}
