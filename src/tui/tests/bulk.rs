//! Changes of marked tickets through every field key, the results panel's conflicts in
//! full, a single undo that conflicts, and `*` over more than one page: each checked in
//! the store and in what the app says.

use desk_engine::model::{PageRequest, TicketChange, TicketFilter};

use super::*;
use crate::tui::state::Popup;

/// Three Contoso tickets of anna's (Medium, Level 1, nobody, no work type), all marked
/// in chen's TUI.
async fn three_marked() -> (Harness, Vec<String>) {
    let dir = store(0);
    let mut ns = Vec::new();
    for t in ["One", "Two", "Three"] {
        ns.push(contoso_ticket(&backend(&dir, "anna"), t).await.number);
    }
    let mut h = Harness::open(dir, "chen").await;
    h.keys("*").await;
    assert_eq!(h.state.marks.len(), 3);
    (h, ns)
}

fn counts(h: &Harness) -> (usize, usize, usize) {
    match h.state.popups.last() {
        Some(Popup::Results(r)) => r.counts(),
        other => panic!("no results panel: {other:?} {:?}", h.state.message),
    }
}

async fn set(h: &Harness, who: &str, n: &str, change: TicketChange) {
    backend(&h.dir, who)
        .update_ticket(n.to_string(), change)
        .await
        .unwrap();
}

/// `m`, `a`, `w` and `d` on marked tickets: each asks naming the count, then saves the
/// value on every one, and the panel says so.
#[tokio::test]
async fn queue_assignee_work_type_and_due_on_marked_tickets() {
    let (mut h, ns) = three_marked().await;
    h.keys("m").await;
    h.type_text("2").await;
    h.keys("enter").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Confirm(c)) if c.title.contains("Change 3 tickets")),
        "{:?}",
        h.state.popups
    );
    h.keys("y").await;
    assert_eq!(counts(&h), (3, 0, 0));
    assert!(h.screen(100, 30).contains("queue → Level 2"));
    h.keys("esc").await;
    assert!(h.state.marks.is_empty(), "all done: the marks go");
    for (key, typed) in [("a", "ben"), ("w", "on")] {
        h.keys("*").await;
        h.keys(key).await;
        h.type_text(typed).await;
        h.keys("enter y").await;
        assert_eq!(counts(&h), (3, 0, 0), "{key}");
        h.keys("esc").await;
    }
    h.keys("* d").await;
    h.type_text("+2d").await;
    h.keys("ctrl-s y").await;
    assert_eq!(counts(&h), (3, 0, 0), "d");
    for n in &ns {
        let t = h.fresh(n).await;
        assert_eq!(
            (
                t.queue.as_str(),
                t.assigned.as_deref(),
                t.work_type.as_deref()
            ),
            ("Level 2", Some("ben"), Some("On-site Support")),
            "{n}"
        );
        assert_eq!(
            t.due_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-12-01T07:30:00+00:00"),
            "{n}: two days from now"
        );
    }
}

/// A conflict row of the results panel opens in full with enter (what changed, by whom,
/// theirs and mine); keep theirs saves nothing, apply mine saves mine on top.
#[tokio::test]
async fn a_conflict_of_the_results_panel_in_full_keep_theirs_or_apply_mine() {
    let (mut h, ns) = three_marked().await;
    h.keys("p").await;
    let critical = TicketChange {
        priority: Some("Critical".into()),
        ..TicketChange::default()
    };
    set(&h, "anna", &ns[0], critical.clone()).await;
    set(&h, "anna", &ns[2], critical).await;
    h.keys("h enter y").await;
    assert_eq!(counts(&h), (1, 0, 2));
    let row_of = |h: &Harness, n: &str| match h.state.popups.last() {
        Some(Popup::Results(r)) => r.rows.iter().position(|x| x.op.number == n).unwrap(),
        other => panic!("{other:?}"),
    };
    // the first conflict: keep theirs
    let i = row_of(&h, &ns[0]);
    for _ in 0..i {
        h.keys("j").await;
    }
    h.keys("enter").await;
    let Some(Popup::Conflict(c)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(c.op.number, ns[0]);
    let d = &c.diffs[0];
    assert_eq!(
        (
            d.seen.as_str(),
            d.theirs.as_str(),
            d.mine.as_deref(),
            d.by.as_deref()
        ),
        ("Medium", "Critical", Some("High"), Some("anna"))
    );
    assert!(h.screen(100, 30).contains("Critical (anna)"));
    let before = h.fresh(&ns[0]).await;
    h.keys("t").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Results(_))),
        "back to the panel: {:?}",
        h.state.popups
    );
    assert_eq!(h.fresh(&ns[0]).await, before, "keep theirs saves nothing");
    assert!(
        h.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("kept theirs")
    );
    // the panel says so, and that row is no longer a conflict to retry
    assert_eq!(counts(&h), (1, 0, 1));
    let screen = h.screen(100, 30);
    assert!(screen.contains("1 kept theirs"), "{screen}");
    assert!(screen.contains("kept theirs: nothing saved"), "{screen}");
    // the second: mine on top of theirs
    let (at, i) = match h.state.popups.last() {
        Some(Popup::Results(r)) => (r.selected, row_of(&h, &ns[2])),
        other => panic!("{other:?}"),
    };
    for _ in i..at {
        h.keys("k").await;
    }
    h.keys("enter").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Conflict(c)) if c.op.number == ns[2]),
        "{:?}",
        h.state.popups
    );
    h.keys("m").await;
    assert_eq!(h.fresh(&ns[2]).await.priority, "High", "mine on top");
    assert_eq!(h.fresh(&ns[0]).await.priority, "Critical");
    assert_eq!(
        h.state.message.as_ref().unwrap().text,
        format!("saved {}", ns[2])
    );
    // The panel again (ctrl-r): that row is done now; retrying the failed finds none,
    // so the kept one stays theirs.
    if !matches!(h.state.popups.last(), Some(Popup::Results(_))) {
        h.keys("ctrl-r").await;
    }
    assert_eq!(counts(&h), (2, 0, 0));
    h.keys("r").await;
    assert_eq!(h.fresh(&ns[0]).await.priority, "Critical", "theirs, kept");
    assert_eq!(h.fresh(&ns[2]).await.priority, "High");
}

/// `u` of a change of one ticket that someone changed since: nothing undone, said
/// naming who changed what; their value stays.
#[tokio::test]
async fn a_single_undo_that_conflicts_leaves_theirs_and_says_so() {
    let dir = store(0);
    let n = contoso_ticket(&backend(&dir, "anna"), "One").await.number;
    let mut h = Harness::open(dir, "chen").await;
    h.find(&n).await;
    h.keys("p j enter").await; // Medium -> High
    assert_eq!(h.fresh(&n).await.priority, "High");
    let low = TicketChange {
        priority: Some("Low".into()),
        ..TicketChange::default()
    };
    set(&h, "anna", &n, low).await;
    let before = h.fresh(&n).await;
    h.keys("u").await;
    assert_eq!(h.fresh(&n).await, before, "nothing undone");
    let m = h.state.message.clone().unwrap();
    assert!(m.error, "{m:?}");
    assert!(
        m.text
            .contains(&format!("not undone: {n} was changed since"))
            && m.text.contains("anna set priority to Low"),
        "{}",
        m.text
    );
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    assert!(h.state.undo.is_none(), "the undo is spent");
}

/// `*` on a list of more than one page: the rest of the query is loaded and marked, and
/// a change then reaches every open ticket, not only the rows loaded first.
#[tokio::test]
async fn mark_all_loads_and_marks_the_rest_of_the_query() {
    let dir = store(20);
    let mut h = Harness::open(dir, "anna").await;
    h.state.list_limit = 5;
    h.keys("o").await; // sorted anew: the first page is loaded again, five long
    assert_eq!(h.state.list.tickets.len(), 5, "one page");
    assert!(h.state.list.more);
    let open = TicketFilter {
        open_only: true,
        ..TicketFilter::default()
    };
    let all = h.backend.count_tickets(open.clone()).await.unwrap() as usize;
    assert!(all > 5, "{all}");
    h.keys("*").await;
    assert_eq!(h.state.marks.len(), all);
    assert_eq!(h.state.list.tickets.len(), all, "the rest is loaded");
    assert_eq!(
        h.state.message.as_ref().unwrap().text,
        format!("marked all {all} tickets of the query")
    );
    h.keys("s").await;
    h.type_text("waiting").await;
    h.keys("enter y").await;
    assert_eq!(counts(&h), (all, 0, 0));
    let page = PageRequest {
        after: None,
        limit: 1000,
        sort: None,
    };
    let tickets = h.backend.list_tickets(open, page).await.unwrap().items;
    assert_eq!(tickets.len(), all);
    for t in tickets {
        assert_eq!(t.status, "Waiting Customer", "{}", t.number);
    }
}
