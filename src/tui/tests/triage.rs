//! Triage as a team: edits conditional on the version seen (a conflict shows what
//! changed, by whom, theirs and mine, and saves nothing until chosen), rows changed since
//! loaded, marks and bulk changes with a results panel, take, the triage form, undo.

use desk_engine::model::{PortalSubmit, TicketChange};

use super::*;
use crate::tui::ops::Outcome;
use crate::tui::popup::form::FieldId;
use crate::tui::state::Popup;

async fn with_ticket() -> (Harness, String) {
    let dir = store(20);
    let t = contoso_ticket(&backend(&dir, "anna"), "Printer jams on floor 3").await;
    let mut h = Harness::open(dir, "chen").await;
    h.find(&t.number).await;
    (h, t.number)
}

async fn set(h: &Harness, who: &str, n: &str, change: TicketChange) {
    backend(&h.dir, who)
        .update_ticket(n.to_string(), change)
        .await
        .unwrap();
}

fn retitle(t: &str) -> TicketChange {
    TicketChange {
        title: Some(t.into()),
        ..TicketChange::default()
    }
}

fn prio(p: &str) -> TicketChange {
    TicketChange {
        priority: Some(p.into()),
        ..TicketChange::default()
    }
}

/// The issue's own case: Chen opens the priority picker while the ticket is Medium,
/// Anna sets it to Critical, Chen picks Low. Nothing is saved over Critical: the conflict
/// says what changed, by whom, theirs and mine; keep theirs saves nothing.
#[tokio::test]
async fn a_picker_edit_is_conditional_on_the_version_seen_when_it_opened() {
    let (mut h, n) = with_ticket().await;
    h.keys("p").await; // Low, Medium, High, Critical; on Medium
    set(&h, "anna", &n, prio("Critical")).await;
    h.keys("k enter").await; // Low
    assert_eq!(
        h.fresh(&n).await.priority,
        "Critical",
        "nothing saved over theirs"
    );
    let Some(Popup::Conflict(c)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    let d = &c.diffs[0];
    assert_eq!(
        (
            d.seen.as_str(),
            d.theirs.as_str(),
            d.mine.as_deref(),
            d.by.as_deref()
        ),
        ("Medium", "Critical", Some("Low"), Some("anna"))
    );
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Conflict on") && screen.contains("Critical (anna)"),
        "{screen}"
    );
    snap("conflict", &h.state);
    let before = h.fresh(&n).await;
    h.keys("t").await;
    assert!(h.state.popups.is_empty());
    assert_eq!(h.fresh(&n).await, before, "keep theirs changes nothing");
    assert_eq!(h.ticket().priority, "Critical", "their value is shown");
}

#[tokio::test]
async fn apply_mine_on_top_saves_mine_over_the_version_shown() {
    let (mut h, n) = with_ticket().await;
    h.keys("p").await;
    set(&h, "anna", &n, prio("Critical")).await;
    h.keys("k enter").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Conflict(_))));
    h.keys("m").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.message);
    let t = h.fresh(&n).await;
    assert_eq!(t.priority, "Low");
    // ... and it too was conditional: a change in between is a conflict again
    h.keys("p").await;
    set(&h, "anna", &n, prio("High")).await;
    h.keys("j enter").await;
    let Some(Popup::Conflict(c)) = h.state.popups.last() else {
        panic!()
    };
    set(&h, "anna", &n, prio("Critical")).await;
    assert!(c.current.priority == "High");
    h.keys("m").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Conflict(c)) if c.current.priority == "Critical"),
        "applying mine over a version already gone conflicts again: {:?}",
        h.state.popups
    );
    assert_eq!(h.fresh(&n).await.priority, "Critical");
}

/// A form too is conditional on the version when it opened; on a conflict its text
/// stays (esc goes back to it), and nothing is saved until chosen.
#[tokio::test]
async fn a_title_form_conflict_keeps_the_text() {
    let (mut h, n) = with_ticket().await;
    h.keys("T ctrl-u").await;
    h.type_text("Printer jams (floor 3, tray 2)").await;
    let rename = TicketChange {
        title: Some("Printer on floor 3 jams".into()),
        ..TicketChange::default()
    };
    set(&h, "anna", &n, rename).await;
    h.keys("ctrl-s").await;
    assert_eq!(h.fresh(&n).await.title, "Printer on floor 3 jams");
    assert!(matches!(h.state.popups.last(), Some(Popup::Conflict(c)) if c.has_form_below));
    h.keys("esc").await;
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(f.text(FieldId::Title), "Printer jams (floor 3, tray 2)");
    assert!(f.saving.is_none());
    // saving again conflicts again (the form still holds the version it opened on)
    h.keys("ctrl-s").await;
    h.keys("m").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    assert_eq!(h.fresh(&n).await.title, "Printer jams (floor 3, tray 2)");
}

/// Notes append and never conflict.
#[tokio::test]
async fn a_note_does_not_conflict() {
    let (mut h, n) = with_ticket().await;
    h.keys("n").await;
    h.type_text("Checked the toner.").await;
    set(&h, "anna", &n, prio("High")).await;
    h.keys("ctrl-s").await;
    assert!(h.state.popups.is_empty());
    assert_eq!(
        h.fresh(&n).await.notes.last().unwrap().text,
        "Checked the toner."
    );
}

/// ... nor does someone else's note make my edit a conflict: no field of theirs is
/// overwritten, so mine goes on top (their note stays); a field they changed still is one.
#[tokio::test]
async fn a_note_since_is_no_conflict_for_a_field_edit() {
    let (mut h, n) = with_ticket().await;
    h.keys("p").await; // on Medium
    backend(&h.dir, "anna")
        .add_note(n.clone(), "Called the customer.".into(), false)
        .await
        .unwrap();
    let seen = h.fresh(&n).await.version;
    h.keys("j enter").await; // High
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    let t = h.fresh(&n).await;
    assert_eq!(t.priority, "High");
    assert_eq!(
        t.version,
        seen + 1,
        "one change, on top of the note's version"
    );
    assert!(t.notes.iter().any(|x| x.text == "Called the customer."));
    // a note and a field: the field is a conflict, nothing saved
    h.keys("p").await;
    backend(&h.dir, "anna")
        .add_note(n.clone(), "And again.".into(), false)
        .await
        .unwrap();
    set(&h, "anna", &n, prio("Critical")).await;
    let before = h.fresh(&n).await;
    h.keys("k k enter").await; // Low
    assert!(matches!(h.state.popups.last(), Some(Popup::Conflict(_))));
    assert_eq!(h.fresh(&n).await, before);
}

/// Rows someone changed since the list loaded them are marked; opening one clears it.
#[tokio::test]
async fn rows_changed_since_loaded_are_marked() {
    let dir = store(20);
    let mut h = Harness::open(dir, "chen").await;
    let n = h.state.list.tickets[2].number.clone();
    set(&h, "anna", &n, retitle("Renamed by anna")).await;
    h.keys("r").await;
    let row = h.state.list.tickets.iter().find(|t| t.number == n).unwrap();
    assert!(h.state.list.changed(row));
    let screen = h.screen(160, 48);
    let line = screen.lines().find(|l| l.contains(&n)).unwrap();
    assert!(line.contains("Δ"), "{line}");
    assert!(screen.contains("Δ changed since loaded"));
    // my own change is not someone else's
    h.keys("g").await;
    let mine = h.ticket().number;
    h.keys("s j enter").await;
    let row = h
        .state
        .list
        .tickets
        .iter()
        .find(|t| t.number == mine)
        .unwrap();
    assert!(!h.state.list.changed(row), "my own change is seen");
    // opening the changed one clears its mark
    while h.ticket().number != n {
        h.keys("j").await;
    }
    h.keys("enter").await;
    let row = h.state.list.tickets.iter().find(|t| t.number == n).unwrap();
    assert!(!h.state.list.changed(row));
}

/// Space marks and moves down; a field key on marks asks first, naming the count; each
/// ticket is its own transaction; the results panel lists each, and retries the failed.
#[tokio::test]
async fn marks_and_a_bulk_change_with_results_and_retry() {
    let dir = store(20);
    let mut h = Harness::open(dir, "chen").await;
    let first: Vec<String> = h.state.list.tickets[..3]
        .iter()
        .map(|t| t.number.clone())
        .collect();
    h.keys("g space space space").await;
    assert_eq!(h.state.marks.len(), 3);
    assert_eq!(h.state.list.selected, 3, "space moves down");
    assert!(h.screen(80, 24).contains("● 3 marked"));
    h.keys("k space").await; // unmark the third
    assert_eq!(h.state.marks.len(), 2);
    h.keys("k k space").await;
    assert_eq!(h.state.marks.len(), 1, "space toggles");
    h.keys("k space").await;
    assert_eq!(h.state.marks.len(), 2);
    h.keys("space").await;
    let marked: Vec<String> = h.state.marks.iter().cloned().collect();
    assert_eq!(marked.len(), 3);
    for n in &first {
        assert!(h.state.marks.contains(n));
    }
    // someone changes the second one meanwhile (to a priority that differs from High)
    let other = if h.fresh(&first[1]).await.priority == "Critical" {
        "Low"
    } else {
        "Critical"
    };
    set(&h, "anna", &first[1], prio(other)).await;
    h.keys("p").await;
    let Some(Popup::Picker(p)) = h.state.popups.last() else {
        panic!()
    };
    assert!(p.title.contains("3 marked tickets"), "{}", p.title);
    h.keys("h enter").await; // typed: High
    let Some(Popup::Confirm(c)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert!(c.title.contains("Change 3 tickets"), "{}", c.title);
    let before: Vec<_> = {
        let mut v = Vec::new();
        for n in &first {
            v.push(h.fresh(n).await);
        }
        v
    };
    h.keys("n").await;
    for (n, b) in first.iter().zip(&before) {
        assert_eq!(&h.fresh(n).await, b, "no: nothing changed");
    }
    h.keys("p h enter y").await;
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(r.counts(), (2, 0, 1), "two done, one conflict");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains(&format!("anna set priority to {other}")),
        "{screen}"
    );
    snap("results", &h.state);
    assert_eq!(
        h.fresh(&first[1]).await.priority,
        other,
        "the conflict was left"
    );
    assert_eq!(h.fresh(&first[0]).await.priority, "High");
    assert!(
        !h.state.marks.is_empty(),
        "marks stay while something failed"
    );
    // retry the failed: mine on top of theirs, which the panel showed
    h.keys("r").await;
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(r.counts(), (1, 0, 0));
    assert_eq!(h.fresh(&first[1]).await.priority, "High");
    h.keys("esc").await;
    assert!(h.state.marks.is_empty(), "all done: the marks go");
    h.keys("ctrl-r").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Results(_))));
}

/// A refused ticket of a bulk change is listed with why; the others are done.
#[tokio::test]
async fn a_refused_ticket_in_a_bulk_change_says_why() {
    let dir = store(0);
    let a = contoso_ticket(&backend(&dir, "anna"), "One").await;
    let b = contoso_ticket(&backend(&dir, "anna"), "Two").await;
    let mut h = Harness::open(dir, "anna").await;
    h.keys("* s").await;
    // deleted by someone between the picker and the yes
    backend(&h.dir, "anna")
        .delete_ticket(b.number.clone(), None)
        .await
        .unwrap();
    h.keys("j enter y").await;
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(r.counts(), (1, 1, 0));
    let refused = r.rows.iter().find(|x| x.op.number == b.number).unwrap();
    assert!(matches!(&refused.outcome, Outcome::Refused(e) if e.message.contains(&b.number)));
    assert!(h.screen(100, 30).contains("refused"));
    assert_eq!(h.fresh(&a.number).await.status, "In Progress");
}

/// The reason of a refusal shows whole in the results panel at 100×30: R8's names, at its
/// end, to whom the ticket is assigned (Ben, without Service Desk access, marked one of
/// Anna's).
#[tokio::test]
async fn a_refusal_in_the_results_panel_shows_its_reason_whole() {
    let dir = store(0);
    let anna = backend(&dir, "anna");
    let mine = contoso_ticket(&anna, "One").await;
    let hers = contoso_ticket(&anna, "Two").await;
    for (t, who) in [(&mine, "ben"), (&hers, "anna")] {
        let change = TicketChange {
            assign: Some(who.into()),
            ..TicketChange::default()
        };
        anna.update_ticket(t.number.clone(), change).await.unwrap();
    }
    let mut h = Harness::open(dir, "ben").await;
    h.keys("* p h enter y").await;
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(r.counts(), (1, 1, 0));
    let screen = h.screen(100, 30);
    assert!(screen.contains("(it is assigned to anna)"), "{screen}");
    assert_eq!(h.fresh(&mine.number).await.priority, "High");
    assert_eq!(h.fresh(&hers.number).await.priority, "Medium");
}

/// `A` takes the selected ticket; with marks, each marked one after a confirmation.
#[tokio::test]
async fn take_assigns_to_me() {
    let (mut h, n) = with_ticket().await;
    h.keys("A").await;
    assert_eq!(h.fresh(&n).await.assigned.as_deref(), Some("chen"));
    h.keys("A").await;
    assert!(
        h.state
            .message
            .as_ref()
            .is_some_and(|m| m.text.contains("already yours"))
    );
    h.keys("x * A").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Confirm(_))));
    h.keys("y").await;
    for t in h
        .backend
        .list_tickets(Default::default(), Default::default())
        .await
        .unwrap()
        .items
    {
        if t.is_open() {
            assert_eq!(t.assigned.as_deref(), Some("chen"), "{}", t.number);
        }
    }
}

/// Ten portal tickets triaged to the same values in at most 30 keystrokes, counted
/// from the app's start.
#[tokio::test]
async fn ten_portal_tickets_triaged_in_under_thirty_keys() {
    let dir = store(0);
    let lisa = backend(&dir, "lisa@contoso.example");
    let mut numbers = Vec::new();
    for i in 0..10 {
        let t = lisa
            .portal_submit(PortalSubmit {
                title: format!("Question {i}"),
                issue_type: "General question".into(),
                description: String::new(),
            })
            .await
            .unwrap();
        numbers.push(t.number);
    }
    let mut h = Harness::open(dir, "anna").await;
    let keys = [
        "backtab", "j", "j", "enter", // the Client Portal queue (after All open, Inbox)
        "*", "R", // mark all, triage
        "i", "tab", // status In Progress
        "h", "tab", // priority High
        "2", "tab", // queue Level 2
        "b", "e", "n", "tab", // assignee ben
        "o", "tab", // work type On-site Support
        "+", "2", "d", // due in two days
        "ctrl-s", "y",
    ];
    assert!(keys.len() <= 30, "{} keys", keys.len());
    for k in keys {
        h.keys(k).await;
        if k == "d" {
            let screen = h.screen(100, 30);
            assert!(screen.contains("→ Tue 2026-12-01 08:30 CET"), "{screen}");
            snap("triage_form", &h.state);
        }
    }
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?} {:?}", h.state.popups, h.state.message)
    };
    assert_eq!(r.counts(), (10, 0, 0));
    for n in &numbers {
        let t = h.fresh(n).await;
        assert_eq!(
            (
                t.status.as_str(),
                t.priority.as_str(),
                t.queue.as_str(),
                t.assigned.as_deref(),
                t.work_type.as_deref()
            ),
            (
                "In Progress",
                "High",
                "Level 2",
                Some("ben"),
                Some("On-site Support")
            ),
            "{n}"
        );
        assert_eq!(
            t.due_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-12-01T07:30:00+00:00")
        );
    }
    println!("ten portal tickets triaged in {} keys", keys.len());
}

/// `u` reverts the last change as a whole; where someone changed a ticket since, it says
/// so and leaves that ticket.
#[tokio::test]
async fn undo_reverts_the_last_change_guarded_by_version() {
    let dir = store(0);
    let mut ns = Vec::new();
    for t in ["One", "Two", "Three"] {
        ns.push(contoso_ticket(&backend(&dir, "anna"), t).await.number);
    }
    let mut h = Harness::open(dir, "chen").await;
    h.keys("u").await;
    assert!(
        h.state
            .message
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("nothing to undo"))
    );
    // one ticket: undone
    h.find(&ns[0]).await;
    h.keys("p j enter").await; // Medium -> High
    assert_eq!(h.fresh(&ns[0]).await.priority, "High");
    h.keys("u").await;
    assert_eq!(h.fresh(&ns[0]).await.priority, "Medium");
    assert!(h.state.undo.is_none(), "an undo is not undone");
    // a bulk change undone as a whole, except the ticket someone changed since
    h.keys("x * R i tab h tab tab b e n ctrl-s y esc").await;
    for n in &ns {
        let t = h.fresh(n).await;
        assert_eq!(
            (
                t.status.as_str(),
                t.priority.as_str(),
                t.assigned.as_deref()
            ),
            ("In Progress", "High", Some("ben"))
        );
    }
    set(&h, "anna", &ns[1], prio("Low")).await;
    h.keys("u").await;
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(r.counts(), (2, 0, 1));
    for (i, n) in ns.iter().enumerate() {
        let t = h.fresh(n).await;
        if i == 1 {
            assert_eq!(
                (t.status.as_str(), t.priority.as_str()),
                ("In Progress", "Low"),
                "left as it is"
            );
        } else {
            assert_eq!(
                (
                    t.status.as_str(),
                    t.priority.as_str(),
                    t.assigned.as_deref()
                ),
                ("New", "Medium", None),
                "{n} undone"
            );
        }
    }
}

/// After a note (which cannot be undone) u has nothing to undo, rather than undoing an
/// older change behind it.
#[tokio::test]
async fn undo_is_of_the_last_change_only() {
    let (mut h, n) = with_ticket().await;
    h.keys("p").await;
    h.type_text("high").await;
    h.keys("enter").await;
    assert!(h.state.undo.is_some());
    h.keys("n").await;
    h.type_text("A note after it.").await;
    h.keys("ctrl-s u").await;
    assert!(
        h.state
            .message
            .as_ref()
            .is_some_and(|m| m.text.contains("nothing to undo"))
    );
    assert_eq!(h.fresh(&n).await.priority, "High");
}
