#![allow(clippy::unwrap_used)]

use chrono::{Duration, TimeZone, Utc};
use desk_engine::model::{Assignee, Match, Sort, SortField};

use super::*;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap()
}

fn filter(q: &str) -> Result<ListQuery, String> {
    Query::parse(q)?.to_filter(None, None, "anna", now(), chrono_tz::UTC)
}

#[test]
fn parses_the_spec_example() {
    let q = Query::parse(
        r#"source:"Client Portal" status:new due<7d company:Contoso sort:due printer jam"#,
    )
    .unwrap();
    assert_eq!(q.words, vec!["printer", "jam"]);
    assert_eq!(q.due_before, Some(DueBound::Span(Duration::days(7))));
    let f = q
        .to_filter(None, Some("Level 1"), "anna", now(), chrono_tz::UTC)
        .unwrap();
    assert_eq!(f.filter.source, Match::is("Client Portal"));
    assert_eq!(f.filter.status, Match::is("new"));
    assert_eq!(f.filter.company, Match::is("Contoso"));
    assert_eq!(
        f.filter.queue,
        Match::is("Level 1"),
        "the queue pane's choice"
    );
    assert_eq!(f.filter.due_before, Some(now() + Duration::days(7)));
    assert_eq!(f.filter.search.as_deref(), Some("printer jam"));
    assert_eq!(f.sort, Some(Sort::asc(SortField::Due)));
    assert!(
        !f.filter.open_only,
        "a status filter shows that status, open or not"
    );
}

#[test]
fn lists_negation_me_and_none() {
    let f = filter(
        "status:new,\"waiting customer\" -priority:low,medium assigned:me,none -company:fabrikam",
    )
    .unwrap()
    .filter;
    assert_eq!(
        f.status,
        Match::any(["new".to_string(), "waiting customer".to_string()])
    );
    assert_eq!(
        f.priority,
        Match::none(["low".to_string(), "medium".to_string()])
    );
    assert_eq!(
        f.assigned,
        Match::any([Assignee::Login("anna".into()), Assignee::Nobody])
    );
    assert_eq!(f.company, Match::none(["fabrikam".to_string()]));
    let f = filter("-assigned:none -status:complete").unwrap().filter;
    assert_eq!(f.assigned, Match::none([Assignee::Nobody]));
    assert!(f.open_only, "only a status asked for shows closed ones");
    assert!(filter("is:unseen").unwrap().filter.unseen_only);
    assert!(!filter("is:all").unwrap().filter.open_only);
}

#[test]
fn due_before_and_after_in_the_viewers_zone() {
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let q = Query::parse("due>7d due<2026-12-24").unwrap();
    let f = q
        .to_filter(None, None, "anna", now(), berlin)
        .unwrap()
        .filter;
    assert_eq!(f.due_after, Some(now() + Duration::days(7)));
    // midnight of the 24th in Berlin is 23:00 UTC on the 23rd
    assert_eq!(
        f.due_before,
        Some(Utc.with_ymd_and_hms(2026, 12, 23, 23, 0, 0).unwrap())
    );
    assert_eq!(
        filter("due<0h").unwrap().filter.due_before,
        Some(now()),
        "overdue"
    );
}

#[test]
fn field_like_tokens_that_are_not_fields_are_errors_naming_them() {
    for (bad, names) in [
        ("colour:red", "colour"),
        ("due=7d", "due="),
        ("due:7d", "due:"),
        ("prio>high", "prio>"),
        ("-due<7d", "-due<7d"),
        ("sort:colour", "colour"),
        ("is:maybe", "is:maybe"),
        ("-printer", "-printer"),
        ("foo<3", "foo<"),
        ("status:", "needs a value"),
        ("due<soon", "due<soon"),
        ("due<7é", "due<7é"),
        ("due<20000000w", "100 years"),
        ("source:\"Client", "quote"),
    ] {
        let e = Query::parse(bad).unwrap_err();
        assert!(e.contains(names), "{bad}: {e}");
    }
    // a colon or a dash inside a word that is no field name stays a word
    assert_eq!(
        Query::parse("10:30 e-mail").unwrap().words,
        vec!["10:30", "e-mail"]
    );
}

#[test]
fn names_resolve_against_the_catalog_and_quotes_forgotten_are_said() {
    let setup =
        desk_engine::Setup::parse("demo.toml", include_str!("../../../assets/demo.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = desk_engine::store::store_path(dir.path());
    desk_engine::Engine::init(&path, &setup).unwrap();
    let e = desk_engine::Engine::open(&path, desk_engine::Clock::Fixed(now())).unwrap();
    let c = e.catalog(&e.actor("anna").unwrap()).unwrap();
    let to = |q: &str| {
        Query::parse(q)
            .unwrap()
            .to_filter(Some(&c), None, "anna", now(), chrono_tz::UTC)
    };
    let f = to("status:in queue:lev priority:crit,hi").err();
    assert!(
        f.as_deref()
            .is_some_and(|e| e.contains("queue:lev") && e.contains("Level 1, Level 2")),
        "{f:?}"
    );
    let f = to("status:in priority:crit,hi source:\"client portal\"")
        .unwrap()
        .filter;
    assert_eq!(f.status, Match::is("In Progress"));
    assert_eq!(
        f.priority,
        Match::any(["Critical".to_string(), "High".to_string()])
    );
    assert_eq!(f.source, Match::is("Client Portal"));
    let e = to("source:Client Portal").unwrap_err();
    assert!(
        e.contains("source:Client Portal needs quotes: source:\"Client Portal\""),
        "{e}"
    );
    let e = to("status:waiting customer").unwrap_err();
    assert!(e.contains("status:\"Waiting Customer\""), "{e}");
    // "Waiting" alone is ambiguous (Waiting Customer, Waiting Vendor) and says so
    assert!(to("status:waiting").unwrap_err().contains("no such status"));
}

#[test]
fn numbers_find_and_o_rewrites_the_sort() {
    assert_eq!(
        Query::parse("t20261129.0004").unwrap().number.as_deref(),
        Some("T20261129.0004")
    );
    assert_eq!(
        with_sort(
            "source:\"Client Portal\" sort:due x",
            Sort::desc(SortField::Priority)
        ),
        "source:\"Client Portal\" x sort:-priority"
    );
    let again = Query::parse(&with_sort(
        "status:new,\"in progress\"",
        Sort::asc(SortField::Due),
    ))
    .unwrap();
    assert_eq!(again.terms[0].values, vec!["new", "in progress"]);
    assert!(filter("").unwrap().filter.open_only);
}
