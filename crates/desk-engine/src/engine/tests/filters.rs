//! The filter of lists and counts: value lists, negation, unassigned, due ranges; counts
//! always equal the list they count.

use super::fixture::*;
use crate::Error;
use crate::model::*;

/// Nine tickets: every third assigned to nobody, ben or carl; priorities and dues vary.
fn desk() -> (Desk, Vec<Ticket>) {
    let mut d = Desk::base();
    let made = (0..9)
        .map(|i| {
            d.create(
                "anna",
                NewTicket {
                    title: format!("T{i}"),
                    company: (i % 2 == 0).then(|| "Contoso".to_string()),
                    assign: [None, Some("ben"), Some("carl")][i % 3].map(str::to_string),
                    priority: Some(PRIORITIES[i % 4].into()),
                    due: (i % 3 != 0).then(|| format!("2026-12-0{}T10:00:00Z", 1 + i % 5)),
                    ..NewTicket::default()
                },
            )
        })
        .collect();
    (d, made)
}

/// The numbers `f` lists, sorted; and its count agrees.
fn listed(d: &Desk, f: TicketFilter) -> Vec<String> {
    let n = d.numbers("anna", &f);
    let count = d.engine.count_tickets(&d.actor("anna"), &f).unwrap();
    assert_eq!(count, n.len() as u64, "{f:?}");
    n
}

fn those(made: &[Ticket], keep: impl Fn(&Ticket) -> bool) -> Vec<String> {
    let mut v: Vec<String> = made
        .iter()
        .filter(|t| keep(t))
        .map(|t| t.number.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn value_lists_negation_and_nobody() {
    let (d, made) = desk();
    assert!(made.iter().any(|t| t.assigned.is_none()));
    let who = |v: &[&str]| v.iter().map(|s| Assignee::parse(s)).collect::<Vec<_>>();
    let cases: Vec<(TicketFilter, Vec<String>)> = vec![
        (
            TicketFilter {
                assigned: Match::any(who(&["none"])),
                ..filter()
            },
            those(&made, |t| t.assigned.is_none()),
        ),
        (
            TicketFilter {
                assigned: Match::none(who(&["none"])),
                ..filter()
            },
            those(&made, |t| t.assigned.is_some()),
        ),
        (
            TicketFilter {
                assigned: Match::any(who(&["ben", "none"])),
                ..filter()
            },
            those(&made, |t| t.assigned.as_deref() != Some("carl")),
        ),
        (
            // Not ben's: the unassigned ones too.
            TicketFilter {
                assigned: Match::none(who(&["ben"])),
                ..filter()
            },
            those(&made, |t| t.assigned.as_deref() != Some("ben")),
        ),
        (
            TicketFilter {
                priority: Match::any(["high".to_string(), "Critical".into()]),
                ..filter()
            },
            those(&made, |t| t.priority == "High" || t.priority == "Critical"),
        ),
        (
            // Not Contoso's: those without a company too.
            TicketFilter {
                company: Match::none(["Contoso".to_string()]),
                ..filter()
            },
            those(&made, |t| t.company.is_none()),
        ),
        (
            TicketFilter {
                priority: Match {
                    any_of: vec!["Low".into(), "Medium".into()],
                    none_of: vec!["Low".into()],
                },
                ..filter()
            },
            those(&made, |t| t.priority == "Medium"),
        ),
        (
            TicketFilter {
                due_after: Some(at("2026-12-03T10:00:00Z")),
                ..filter()
            },
            those(&made, |t| {
                t.due_at.is_some_and(|d| d >= at("2026-12-03T10:00:00Z"))
            }),
        ),
        (
            TicketFilter {
                due_after: Some(at("2026-12-02T00:00:00Z")),
                due_before: Some(at("2026-12-04T00:00:00Z")),
                ..filter()
            },
            those(&made, |t| {
                t.due_at.is_some_and(|d| {
                    d >= at("2026-12-02T00:00:00Z") && d < at("2026-12-04T00:00:00Z")
                })
            }),
        ),
        (
            TicketFilter {
                status: Match::none(["New".to_string()]),
                ..filter()
            },
            Vec::new(),
        ),
    ];
    for (f, want) in cases {
        assert_eq!(listed(&d, f.clone()), want, "{f:?}");
    }
}

#[test]
fn open_and_closed_statuses_combine_with_open_only() {
    let (mut d, made) = desk();
    status(&mut d, &made[0].number, CLOSED_STATUS);
    status(&mut d, &made[1].number, "Waiting Vendor");
    let open_complete = TicketFilter {
        status: Match::is(CLOSED_STATUS),
        open_only: true,
        ..filter()
    };
    assert!(listed(&d, open_complete).is_empty());
    let mixed = TicketFilter {
        status: Match::any([CLOSED_STATUS.to_string(), "Waiting Vendor".into()]),
        ..filter()
    };
    assert_eq!(
        listed(&d, mixed),
        sorted(&[&made[0].number, &made[1].number])
    );
}

#[test]
fn unknown_names_in_a_filter_are_errors_naming_the_field() {
    let (d, _) = desk();
    let anna = d.actor("anna");
    let cases = [
        (
            TicketFilter {
                queue: Match::none(["Nope".to_string()]),
                ..filter()
            },
            "queue",
        ),
        (
            TicketFilter {
                status: Match::any(["New".to_string(), "Bogus".into()]),
                ..filter()
            },
            "status",
        ),
        (
            TicketFilter {
                priority: Match::is("Urgent"),
                ..filter()
            },
            "priority",
        ),
        (
            TicketFilter {
                assigned: Match::none([Assignee::parse("zed")]),
                ..filter()
            },
            "resource",
        ),
        (
            TicketFilter {
                company: Match::is("Initech"),
                ..filter()
            },
            "company",
        ),
    ];
    for (f, field) in cases {
        for e in [
            d.engine
                .list_tickets(&anna, &f, &PageRequest::default())
                .unwrap_err(),
            d.engine.count_tickets(&anna, &f).unwrap_err(),
        ] {
            assert!(
                matches!(&e, Error::Invalid { field: got, .. } if got == field),
                "{field}: {e:?}"
            );
        }
    }
}
