//! The activity history is in time order (docs/rules.md, "The desk and who works it"), whatever order the rows were written
//! in: two processes with clocks apart can write a later row with an earlier time.

use super::fixture::*;
use crate::model::*;

#[test]
fn history_is_in_time_order_not_in_the_order_written() {
    let mut d = Desk::base();
    let n = d.ticket("anna", "Clocks apart").number;
    // Written first, at 04:00 (NOW) ...
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &n, "written first, at 04:00", false)
        .unwrap();
    // ... then, by a process whose clock says 03:30, a note and a status change.
    let mut behind = d.open("2026-11-29T03:30:00Z");
    behind
        .add_note(&anna, &n, "written second, at 03:30", false)
        .unwrap();
    behind
        .update_ticket(
            &anna,
            &n,
            TicketChange {
                status: Some("In Progress".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    let mut later = d.open("2026-11-29T05:00:00Z");
    later
        .update_ticket(
            &anna,
            &n,
            TicketChange {
                status: Some("Waiting Customer".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();

    let t = d.show(&n);
    let notes: Vec<&str> = t.notes.iter().map(|x| x.text.as_str()).collect();
    assert_eq!(
        notes,
        vec!["written second, at 03:30", "written first, at 04:00"]
    );
    let statuses: Vec<Option<&str>> = t
        .events
        .iter()
        .filter(|e| e.field == "status")
        .map(|e| e.to.as_deref())
        .collect();
    assert_eq!(
        statuses,
        vec![Some("In Progress"), Some("Waiting Customer")]
    );
    assert!(t.notes.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(t.events.windows(2).all(|w| w[0].at <= w[1].at));
    // A page of the list carries the same order as the ticket itself.
    let listed = d.list("anna", &filter());
    let same = listed.iter().find(|x| x.number == n).unwrap();
    assert_eq!(same.notes, t.notes);
    assert_eq!(same.events, t.events);
}
