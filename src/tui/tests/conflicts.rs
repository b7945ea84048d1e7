//! Triage as a team, the edits that must not overwrite anyone: a change of marked rows
//! after a refresh, delete, T2 and T5, the field pickers and forms on marked tickets, a
//! conflict from the results panel, a single undo that conflicts, and `*` over more than
//! one page. Each checks what the store holds afterwards.

use desk_engine::model::{Ticket, TicketChange};

use super::*;
use crate::tui::ops::Outcome;
use crate::tui::state::Popup;

async fn set(h: &Harness, who: &str, n: &str, change: TicketChange) {
    backend(&h.dir, who)
        .update_ticket(n.to_string(), change)
        .await
        .unwrap();
}

fn prio(p: &str) -> TicketChange {
    TicketChange {
        priority: Some(p.into()),
        ..TicketChange::default()
    }
}

/// Two Contoso tickets of anna's (Medium, Level 1), and anna's TUI on them.
async fn two() -> (Harness, Vec<String>) {
    let dir = store(0);
    let mut ns = Vec::new();
    for t in ["Printer one", "Printer two"] {
        ns.push(contoso_ticket(&backend(&dir, "anna"), t).await.number);
    }
    let h = Harness::open(dir, "anna").await;
    (h, ns)
}

fn results(h: &Harness) -> &crate::tui::popup::ResultsState {
    match h.state.popups.last() {
        Some(Popup::Results(r)) => r,
        other => panic!("no results panel: {other:?} {:?}", h.state.message),
    }
}

fn row<'a>(h: &'a Harness, n: &str) -> &'a Ticket {
    h.state.list.tickets.iter().find(|t| t.number == n).unwrap()
}

/// The audit's case: two marked, Chen sets one to Critical, `r` reloads the rows (that
/// one shows Δ), then High on the marks. The rows were loaded at Medium: Chen's row is a
/// conflict naming his change, and Critical stays.
#[tokio::test]
async fn a_bulk_after_a_refresh_is_conditional_on_the_rows_as_loaded() {
    let (mut h, ns) = two().await;
    h.keys("g space space").await;
    assert_eq!(h.state.marks.len(), 2);
    set(&h, "chen", &ns[1], prio("Critical")).await;
    h.keys("r").await;
    assert_eq!(row(&h, &ns[1]).priority, "Critical", "the refresh shows it");
    assert!(h.state.list.changed(row(&h, &ns[1])), "marked Δ");
    h.keys("p h enter").await;
    let Some(Popup::Confirm(c)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert!(
        c.lines.iter().any(|l| l.contains("1 of them changed")),
        "{:?}",
        c.lines
    );
    h.keys("y").await;
    let r = results(&h);
    assert_eq!(r.counts(), (1, 0, 1), "one done, one conflict");
    let conflict = r.rows.iter().find(|x| x.op.number == ns[1]).unwrap();
    assert!(matches!(&conflict.outcome, Outcome::Conflict(now) if now.priority == "Critical"));
    let screen = h.screen(100, 30);
    assert!(screen.contains("chen set priority to Critical"), "{screen}");
    assert_eq!(
        h.fresh(&ns[1]).await.priority,
        "Critical",
        "not overwritten"
    );
    assert_eq!(h.fresh(&ns[0]).await.priority, "High");
    // the panel has shown Chen's change: retried, High goes on top of it
    h.keys("r").await;
    assert_eq!(results(&h).counts(), (1, 0, 0));
    assert_eq!(h.fresh(&ns[1]).await.priority, "High");
}

/// A row refreshed at the version it was loaded at is acted on as before; one that only
/// got a note since (Δ) is saved on top: a note overwrites nothing.
#[tokio::test]
async fn a_bulk_after_a_refresh_saves_rows_unchanged_or_with_only_a_note() {
    let (mut h, ns) = two().await;
    h.keys("g space space").await;
    backend(&h.dir, "chen")
        .add_note(ns[1].clone(), "Called the customer.".into(), false)
        .await
        .unwrap();
    h.keys("r").await;
    assert!(h.state.list.changed(row(&h, &ns[1])));
    assert!(!h.state.list.changed(row(&h, &ns[0])));
    h.keys("p h enter y").await;
    assert_eq!(results(&h).counts(), (2, 0, 0));
    for n in &ns {
        assert_eq!(h.fresh(n).await.priority, "High", "{n}");
    }
    let t = h.fresh(&ns[1]).await;
    assert!(t.notes.iter().any(|x| x.text == "Called the customer."));
}

/// A marked ticket that someone moved out of the list is not dropped from the change
/// unsaid: it is a conflict naming the move, and stays where they put it.
#[tokio::test]
async fn a_marked_ticket_that_left_the_list_is_a_conflict() {
    let (mut h, ns) = two().await;
    // Level 1: the queue pane's entry (All open, Inbox, then the queues)
    h.keys("backtab j j").await;
    while h.state.queues.current().map(|e| e.label.as_str()) != Some("Level 1") {
        h.keys("j").await;
    }
    h.keys("enter g space space").await;
    assert_eq!(h.state.marks.len(), 2);
    let moved = TicketChange {
        queue: Some("Level 2".into()),
        ..TicketChange::default()
    };
    set(&h, "chen", &ns[1], moved).await;
    h.keys("r").await;
    assert!(
        !h.state.list.tickets.iter().any(|t| t.number == ns[1]),
        "left the list"
    );
    h.keys("p h enter").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Confirm(c)) if c.title.contains("Change 2 tickets")),
        "{:?}",
        h.state.popups
    );
    h.keys("y").await;
    assert_eq!(results(&h).counts(), (1, 0, 1));
    assert!(h.screen(100, 30).contains("chen set queue to Level 2"));
    let t = h.fresh(&ns[1]).await;
    assert_eq!(
        (t.queue.as_str(), t.priority.as_str()),
        ("Level 2", "Medium")
    );
}

/// Over `desk serve` the delete's reply takes a round trip; the technician moves on
/// meanwhile. The reply names the ticket it deleted: that one is said and leaves the
/// list, and the cursor stays on the ticket it moved to.
#[tokio::test]
async fn a_delete_reply_names_its_ticket_though_the_selection_moved() {
    let (mut h, _) = two().await;
    h.keys("g").await;
    let gone = h.ticket().number;
    h.keys("delete").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Confirm(_))));
    // yes: the delete is asked for, its reply not in yet
    let fx = update::handle(&mut h.state, AppEvent::Key(key("y")));
    h.keys("j").await;
    let stays = h.ticket().number;
    assert_ne!(stays, gone);
    h.run(fx).await;
    let m = h.state.message.clone().unwrap();
    assert_eq!(m.text, format!("deleted {gone}"));
    assert!(
        !h.state.list.tickets.iter().any(|t| t.number == gone),
        "the deleted one left the list"
    );
    assert!(h.state.list.tickets.iter().any(|t| t.number == stays));
    assert_eq!(h.ticket().number, stays, "the cursor stays where it went");
    assert!(
        h.backend.ticket(gone).await.is_err(),
        "deleted in the store"
    );
    assert!(h.backend.ticket(stays).await.is_ok());
}

/// T4 is conditional on the version its confirmation showed: Chen's change in between is
/// a conflict naming it, nothing deleted; keep theirs keeps the ticket, apply mine
/// deletes it on top of what is there now.
#[tokio::test]
async fn a_delete_after_someone_changed_the_ticket_is_a_conflict() {
    let (mut h, _) = two().await;
    h.keys("g").await;
    let n = h.ticket().number;
    h.keys("delete").await;
    set(&h, "chen", &n, prio("Critical")).await;
    h.keys("y").await;
    let Some(Popup::Conflict(c)) = h.state.popups.last() else {
        panic!("{:?} {:?}", h.state.popups, h.state.message)
    };
    let d = &c.diffs[0];
    assert_eq!(
        (d.seen.as_str(), d.theirs.as_str(), d.by.as_deref()),
        ("Medium", "Critical", Some("chen"))
    );
    assert!(h.screen(100, 30).contains("yours: delete the ticket"));
    assert_eq!(h.fresh(&n).await.priority, "Critical", "nothing deleted");
    h.keys("t").await;
    assert!(h.state.popups.is_empty());
    assert_eq!(h.ticket().priority, "Critical", "theirs is shown");
    assert!(h.backend.ticket(n.clone()).await.is_ok(), "kept");
    // again, and this time mine on top of theirs
    h.keys("delete").await;
    set(&h, "chen", &n, prio("Low")).await;
    h.keys("y").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Conflict(_))));
    h.keys("m").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    assert_eq!(
        h.state.message.clone().unwrap().text,
        format!("deleted {n}")
    );
    assert!(h.backend.ticket(n.clone()).await.is_err(), "deleted");
    assert!(!h.state.list.tickets.iter().any(|t| t.number == n));
}

/// T2 is conditional on the version its form opened on: a change in between is the
/// conflict popup over the form, nothing written (the Taskfire status stays); apply mine
/// completes it on top.
#[tokio::test]
async fn t2_after_someone_changed_the_ticket_is_a_conflict() {
    let dir = store(0);
    let n = contoso_ticket(&backend(&dir, "anna"), "Printer")
        .await
        .number;
    backend(&dir, "anna")
        .taskfire_assign(
            n.clone(),
            desk_engine::model::TaskfireAssign {
                queue: "Contoso IT".into(),
                resource: Some("tom".into()),
                due: None,
                note: "Please have a look.".into(),
                expected_version: None,
            },
        )
        .await
        .unwrap();
    let mut h = Harness::open(dir, "anna").await;
    h.find(&n).await;
    h.keys("t").await;
    let Some(Popup::Picker(p)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert!(p.items[p.selected].label.starts_with("T2"), "{:?}", p.items);
    h.keys("enter").await;
    set(&h, "chen", &n, prio("Critical")).await;
    let before = h.fresh(&n).await;
    h.keys("ctrl-s").await;
    assert_eq!(h.fresh(&n).await, before, "nothing written");
    let Some(Popup::Conflict(c)) = h.state.popups.last() else {
        panic!("{:?} {:?}", h.state.popups, h.state.message)
    };
    assert!(c.has_form_below);
    assert_eq!(c.diffs[0].by.as_deref(), Some("chen"));
    assert!(h.screen(100, 30).contains("yours: T2 work complete"));
    h.keys("m").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    let t = h.fresh(&n).await;
    assert_eq!(
        (t.priority.as_str(), t.taskfire.unwrap().status.as_str()),
        ("Critical", desk_engine::model::PROVIDER_WORK_COMPLETE)
    );
}

/// T5 too, on the Taskfire side: a change of the ticket by a colleague of tom's desk
/// after the form opened is a conflict, and nothing is escalated.
#[tokio::test]
async fn t5_after_someone_changed_the_ticket_is_a_conflict() {
    let dir = store(0);
    let t = backend(&dir, "tom")
        .create_ticket(desk_engine::model::NewTicket {
            title: "Server room too hot".into(),
            queue: Some("Contoso IT".into()),
            ..desk_engine::model::NewTicket::default()
        })
        .await
        .unwrap();
    let mut h = Harness::open(dir, "tom").await;
    h.find(&t.number).await;
    h.keys("t enter").await;
    h.type_text("We cannot fix the cooling ourselves.").await;
    set(&h, "tom", &t.number, prio("Critical")).await;
    h.keys("ctrl-s").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Conflict(c)) if c.has_form_below),
        "{:?} {:?}",
        h.state.popups,
        h.state.message
    );
    assert!(
        backend(&h.dir, "anna")
            .ticket(t.number.clone())
            .await
            .is_err(),
        "not escalated"
    );
    h.keys("t").await;
    assert!(h.state.popups.is_empty(), "keep theirs: the form goes too");
    assert!(h.fresh(&t.number).await.taskfire.is_none());
}
