//! The queue pane's open counts (docs/tui.md) always equal the open tickets a list shows.

use super::fixture::*;
use crate::model::*;

/// Asserts that every queue's open count in `login`'s catalog equals its list.
fn counts_agree(d: &Desk, login: &str) -> Vec<(String, u64)> {
    let who = d.actor(login);
    let catalog = d.engine.catalog(&who).unwrap();
    assert!(!catalog.queues.is_empty());
    catalog
        .queues
        .into_iter()
        .map(|q| {
            let listed = d
                .list(
                    login,
                    &TicketFilter {
                        queue: Match::is(q.name.clone()),
                        open_only: true,
                        ..filter()
                    },
                )
                .len() as u64;
            assert_eq!(q.open, listed, "{login}: queue {}", q.name);
            (q.name, q.open)
        })
        .collect()
}

#[test]
fn open_counts_follow_every_kind_of_change() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let a = d.ticket("anna", "One").number;
    let b = d.ticket("anna", "Two").number;
    d.submit("kim@contoso.example", "Portal", "Other");
    counts_agree(&d, "anna");

    let move_to = |q: &str| TicketChange {
        queue: Some(q.into()),
        ..TicketChange::default()
    };
    d.engine
        .update_ticket(&anna, &a, move_to("Printers"))
        .unwrap();
    status(&mut d, &b, CLOSED_STATUS);
    counts_agree(&d, "anna");
    // Closed and moved at once, then reopened.
    d.engine
        .update_ticket(
            &anna,
            &a,
            TicketChange {
                status: Some(CLOSED_STATUS.into()),
                queue: Some("Level 1".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    counts_agree(&d, "anna");
    status(&mut d, &a, "In Progress");
    status(&mut d, &b, "Waiting Customer");
    counts_agree(&d, "anna");

    // Taskfire versions count on their own desk.
    let shared = contoso_ticket(&mut d);
    d.share(&shared, None);
    d.ticket("tom", "Contoso internal");
    counts_agree(&d, "anna");
    let tom = counts_agree(&d, "tom");
    assert_eq!(tom[0], ("Contoso IT".to_string(), 2));
    d.engine.taskfire_complete(&anna, &shared, None).unwrap();
    counts_agree(&d, "tom");

    // Series, deletes (of a shared ticket too) and escalations.
    d.engine
        .create_series(
            &anna,
            NewSeries {
                title: "Patch".into(),
                company: "Contoso".into(),
                first_due: "2026-12-01 09:00".into(),
                every_days: 7,
                count: 4,
                ..NewSeries::default()
            },
        )
        .unwrap();
    d.engine.delete_ticket(&anna, &a).unwrap();
    d.engine.delete_ticket(&anna, &shared).unwrap();
    let own = d.ticket("tom", "Escalate me").number;
    let tom_actor = d.actor("tom");
    d.engine
        .taskfire_escalate(&tom_actor, &own, "help")
        .unwrap();
    counts_agree(&d, "anna");
    counts_agree(&d, "tom");
}

#[test]
fn open_counts_agree_on_a_generated_desk_and_after_it() {
    let mut d = Desk::base();
    d.ticket("anna", "Before the history");
    d.engine.generate_demo_tickets(300, 11).unwrap();
    counts_agree(&d, "anna");
    counts_agree(&d, "tom");
    d.ticket("anna", "After the history");
    d.ticket("tom", "After the history too");
    counts_agree(&d, "anna");
    counts_agree(&d, "tom");
}
