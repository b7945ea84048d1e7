//! The per-technician inbox (docs/lists.md, "The inbox"): activity from outside a
//! ticket's desk puts it in the inbox of every technician of that desk; opening it takes
//! it out of the opener's only; only open tickets are in one; counts always agree.

use super::fixture::*;
use crate::Error;
use crate::model::*;
use rusqlite::Connection;

fn inbox(d: &Desk, login: &str) -> Vec<String> {
    d.numbers(
        login,
        &TicketFilter {
            unseen_only: true,
            ..filter()
        },
    )
}

/// Every queue's inbox count (catalog, count call) equals the inbox list, for `login`;
/// and the kept counts equal the rows behind them.
fn counts_agree(d: &Desk, login: &str) -> u64 {
    let who = d.actor(login);
    let mut total = 0;
    for q in d.engine.catalog(&who).unwrap().queues {
        let f = TicketFilter {
            queue: Match::is(q.name.clone()),
            unseen_only: true,
            ..filter()
        };
        let listed = d.list(login, &f);
        assert_eq!(q.unseen, listed.len() as u64, "{login}: queue {}", q.name);
        assert_eq!(d.engine.count_tickets(&who, &f).unwrap(), q.unseen);
        assert!(listed.iter().all(|t| t.unseen && t.is_open()));
        total += q.unseen;
    }
    let conn = Connection::open(&d.path).unwrap();
    let drift: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT u.resource_id, t.queue_id, count(*) AS n FROM unseen u
             JOIN tickets t ON t.id = u.ticket_id GROUP BY 1, 2) r
             FULL JOIN (SELECT * FROM unseen_counts WHERE n <> 0) c
             ON c.resource_id = r.resource_id AND c.queue_id = r.queue_id
             WHERE r.n IS NOT c.n",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(drift, 0, "kept inbox counts differ from their rows");
    total
}

#[test]
fn a_portal_ticket_is_in_every_technicians_inbox_until_each_opens_it() {
    let mut d = Desk::base();
    let n = d
        .submit("kim@contoso.example", "Printer smokes", "Printer")
        .number;
    for login in ["anna", "ben", "carl"] {
        assert_eq!(inbox(&d, login), [n.as_str()], "{login}");
        assert!(d.engine.ticket(&d.actor(login), &n).unwrap().unseen);
        assert_eq!(counts_agree(&d, login), 1);
    }
    // Another desk's staff: not theirs.
    assert!(inbox(&d, "tom").is_empty());

    let before = d.show(&n);
    let ben = d.actor("ben");
    d.engine.mark_seen(&ben, &n).unwrap();
    assert!(inbox(&d, "ben").is_empty());
    assert!(!d.engine.ticket(&ben, &n).unwrap().unseen);
    assert_eq!(inbox(&d, "anna"), [n.as_str()]);
    // Seeing is not a change of the ticket.
    let after = d.show(&n);
    assert_eq!(
        (after.version, after.updated_at),
        (before.version, before.updated_at)
    );
    counts_agree(&d, "ben");
    counts_agree(&d, "anna");
    // Twice is fine.
    d.engine.mark_seen(&ben, &n).unwrap();

    // The customer writes again: back in ben's inbox.
    let kim = d.actor("kim@contoso.example");
    d.engine.portal_note(&kim, &n, "still smoking").unwrap();
    assert_eq!(inbox(&d, "ben"), [n.as_str()]);
    counts_agree(&d, "ben");
}

#[test]
fn staff_work_adds_nothing_and_clears_it_for_whoever_did_it() {
    let mut d = Desk::base();
    let own = d.ticket("anna", "Our own").number;
    let anna = d.actor("anna");
    d.engine.add_note(&anna, &own, "internal", false).unwrap();
    assert!(inbox(&d, "ben").is_empty());

    let portal = d.submit("kim@contoso.example", "Help", "Other").number;
    d.engine
        .update_ticket(
            &anna,
            &portal,
            TicketChange {
                priority: Some("High".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    assert!(inbox(&d, "anna").is_empty(), "anna triaged it: she saw it");
    assert_eq!(inbox(&d, "ben"), [portal]);
    counts_agree(&d, "anna");
    counts_agree(&d, "ben");
}

#[test]
fn only_open_tickets_are_in_an_inbox_and_counts_follow_moves_and_deletes() {
    let mut d = Desk::base();
    let a = d.submit("kim@contoso.example", "One", "Other").number;
    let b = d.submit("lisa@contoso.example", "Two", "Printer").number;
    let c = d.submit("lisa@contoso.example", "Three", "Other").number;
    assert_eq!(counts_agree(&d, "ben"), 3);
    let anna = d.actor("anna");
    // Moved by anna: still in ben's inbox, counted in its new queue.
    d.engine
        .update_ticket(
            &anna,
            &a,
            TicketChange {
                queue: Some("Printers".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    counts_agree(&d, "ben");
    // Closed: out of every inbox; a note on it later brings it back to none.
    status(&mut d, &b, CLOSED_STATUS);
    let lisa = d.actor("lisa@contoso.example");
    d.engine.portal_note(&lisa, &b, "thanks").unwrap();
    assert_eq!(inbox(&d, "ben"), sorted(&[&a, &c]));
    // Reopened: not in the inbox until someone outside writes again.
    status(&mut d, &b, "In Progress");
    assert_eq!(inbox(&d, "ben").len(), 2);
    d.engine.delete_ticket(&anna, &c).unwrap();
    assert_eq!(inbox(&d, "ben"), [a]);
    assert_eq!(counts_agree(&d, "ben"), 1);
    assert_eq!(counts_agree(&d, "carl"), 1);
}

#[test]
fn taskfire_activity_reaches_the_other_desks_inbox() {
    let mut d = Desk::base();
    let n = contoso_ticket(&mut d);
    // T1 by the provider: the Taskfire version is new work for Contoso's IT, both of them.
    d.share(&n, None);
    assert_eq!(inbox(&d, "tom"), [n.as_str()]);
    assert_eq!(inbox(&d, "tina"), [n.as_str()]);
    assert!(inbox(&d, "nina").is_empty(), "Northwind's desk is another");
    assert!(inbox(&d, "anna").is_empty());
    counts_agree(&d, "tom");
    // T5 by tom: the provider gets it back; tom acted, so it leaves his inbox.
    let tom = d.actor("tom");
    d.engine
        .taskfire_escalate(&tom, &n, "cannot fix it")
        .unwrap();
    assert_eq!(inbox(&d, "anna"), [n.as_str()]);
    assert!(inbox(&d, "tom").is_empty());
    assert_eq!(inbox(&d, "tina"), [n.as_str()]);
    counts_agree(&d, "anna");
    counts_agree(&d, "tina");
    // Taskfire staff mark their own; a contact has no inbox.
    let tina = d.actor("tina");
    d.engine.mark_seen(&tina, &n).unwrap();
    assert!(inbox(&d, "tina").is_empty());
    let kim = d.actor("kim@contoso.example");
    assert!(matches!(
        d.engine.mark_seen(&kim, &n),
        Err(Error::NotAllowed(_))
    ));
    let e = d.engine.list_tickets(
        &kim,
        &TicketFilter {
            unseen_only: true,
            ..filter()
        },
        &PageRequest::default(),
    );
    assert!(matches!(e, Err(Error::NotAllowed(_))));
}

#[test]
fn marking_an_unknown_ticket_seen_is_refused_and_changes_nothing() {
    let mut d = Desk::base();
    d.submit("kim@contoso.example", "Help", "Other");
    let anna = d.actor("anna");
    refused(
        &mut d,
        |e| e.mark_seen(&anna, "T19990101.0001"),
        |e| matches!(e, Error::NotFound { what: "ticket", .. }),
    );
}

#[test]
fn a_generated_desk_fills_inboxes_with_its_open_outside_work() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(600, 9).unwrap();
    let n = counts_agree(&d, "anna");
    assert!(n > 10, "{n}");
    assert_eq!(counts_agree(&d, "ben"), n);
    assert!(counts_agree(&d, "tom") > 0);
    for t in d.list(
        "anna",
        &TicketFilter {
            unseen_only: true,
            ..filter()
        },
    ) {
        assert!(
            t.source == CLIENT_PORTAL || t.notes.iter().any(|n| n.kind == NoteKind::Portal),
            "{}",
            t.number
        );
    }
}

/// T3 answers back: a note a Taskfire resource publishes on their version reaches the
/// provider's ticket, and with it every provider technician's inbox; an internal one
/// stays on their side and fills no provider inbox.
#[test]
fn a_taskfire_answer_reaches_the_provider_inbox() {
    let mut d = Desk::base();
    let n = contoso_ticket(&mut d);
    d.share(&n, None);
    let anna = d.actor("anna");
    d.engine.taskfire_ask(&anna, &n, "which floor?").unwrap();
    assert!(inbox(&d, "anna").is_empty());
    let tom = d.actor("tom");
    d.engine.add_note(&tom, &n, "just thinking", false).unwrap();
    assert!(
        inbox(&d, "ben").is_empty(),
        "an internal Taskfire note stays there"
    );
    d.engine.add_note(&tom, &n, "floor 3", true).unwrap();
    assert_eq!(inbox(&d, "ben"), [n.as_str()]);
    assert_eq!(inbox(&d, "anna"), [n.as_str()]);
    counts_agree(&d, "anna");
}
