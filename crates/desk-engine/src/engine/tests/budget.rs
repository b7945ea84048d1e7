//! `Engine::within_budget`: a read that needs more steps than its budget is stopped,
//! answers `OverBudget`, and leaves the engine as it was; one that fits answers as if
//! there were no budget.

use super::fixture::*;
use crate::Error;
use crate::model::*;

/// A desk of 300 tickets, none of them Complete: listing the Complete ones reads all.
fn desk() -> Desk {
    let mut d = Desk::base();
    for i in 0..300 {
        d.ticket("anna", &format!("Ticket {i}"));
    }
    d
}

fn complete() -> TicketFilter {
    TicketFilter {
        status: Match::is("Complete"),
        ..filter()
    }
}

fn page(limit: u32) -> PageRequest {
    PageRequest {
        sort: None,
        after: None,
        limit,
    }
}

#[test]
fn a_read_over_its_budget_is_stopped_and_the_engine_still_answers_after() {
    let mut d = desk();
    let anna = d.actor("anna");
    let stopped = d
        .engine
        .within_budget(1000, |e| e.list_tickets(&anna, &complete(), &page(50)));
    assert!(
        matches!(stopped, Err(Error::OverBudget { steps: 1000 })),
        "{stopped:?}"
    );
    // The budget ends with the call: the same read without one scans all 300 tickets.
    let all = d
        .engine
        .list_tickets(&anna, &complete(), &page(50))
        .unwrap();
    assert!(all.items.is_empty());
    assert_eq!(d.numbers("anna", &filter()).len(), 300);
    // And writes work as before.
    let t = d.ticket("anna", "after the stop");
    assert_eq!(d.show(&t.number).title, "after the stop");
}

#[test]
fn a_read_within_its_budget_answers_as_without_one() {
    let mut d = desk();
    let anna = d.actor("anna");
    let unbudgeted = d.engine.list_tickets(&anna, &filter(), &page(50)).unwrap();
    let budgeted = d
        .engine
        .within_budget(50_000, |e| e.list_tickets(&anna, &filter(), &page(50)))
        .unwrap();
    assert_eq!(budgeted, unbudgeted);
    assert_eq!(budgeted.items.len(), 50);
}

#[test]
fn an_error_inside_the_budget_is_the_reads_own() {
    let mut d = desk();
    let anna = d.actor("anna");
    let e = d
        .engine
        .within_budget(50_000, |e| e.ticket(&anna, "T20261129.9999"))
        .unwrap_err();
    assert!(unknown_ticket(&e), "{e:?}");
}
