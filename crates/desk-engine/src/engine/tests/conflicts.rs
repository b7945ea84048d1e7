//! No edit overwrites one its author never saw (docs/lists.md, "Conflicts"): a stale
//! version is refused with the ticket as it is now, whose history says what changed since
//! and by whom; notes never conflict; every change moves `updated_at`.

use super::fixture::*;
use crate::Error;
use crate::model::*;

fn change(priority: &str, version: i64) -> TicketChange {
    TicketChange {
        priority: Some(priority.into()),
        expected_version: Some(version),
        ..TicketChange::default()
    }
}

#[test]
fn a_stale_edit_is_refused_with_the_current_ticket_and_what_changed_since() {
    let mut d = Desk::base();
    // Assigned to carl, who may work it (R8).
    let n = d
        .create(
            "anna",
            NewTicket {
                title: "Printer".into(),
                assign: Some("carl".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let seen = d.show(&n);
    // Carl changes it twice (a field, then a note) after anna saw version 1.
    let carl = d.actor("carl");
    d.engine
        .update_ticket(&carl, &n, change("Critical", seen.version))
        .unwrap();
    d.engine.add_note(&carl, &n, "on it", false).unwrap();
    let anna = d.actor("anna");
    let e = refused(
        &mut d,
        |e| e.update_ticket(&anna, &n, change("Low", seen.version)),
        |e| matches!(e, Error::Conflict { .. }),
    );
    let Error::Conflict {
        expected,
        actual,
        current,
        ..
    } = e
    else {
        unreachable!()
    };
    assert_eq!((expected, actual), (1, 3));
    assert_eq!(*current, d.show(&n));
    assert_eq!(current.priority, "Critical");
    let since: Vec<_> = current
        .events
        .iter()
        .filter(|e| e.version > Some(expected))
        .collect();
    assert_eq!(since.len(), 1);
    assert_eq!(
        (
            since[0].actor.as_str(),
            since[0].field.as_str(),
            since[0].from.as_deref(),
            since[0].to.as_deref()
        ),
        ("carl", "priority", Some("Medium"), Some("Critical"))
    );
    let notes: Vec<_> = current
        .notes
        .iter()
        .filter(|n| n.version > Some(expected))
        .collect();
    assert_eq!((notes.len(), notes[0].author.as_str()), (1, "carl"));
    // On the current version it goes through.
    let t = d
        .engine
        .update_ticket(&anna, &n, change("Low", actual))
        .unwrap();
    assert_eq!((t.priority.as_str(), t.version), ("Low", 4));
}

#[test]
fn renames_and_taskfire_assignments_are_conditional_too() {
    let mut d = Desk::base();
    let n = d
        .create(
            "anna",
            NewTicket {
                title: "Printer on floor 3".into(),
                company: Some("Contoso".into()),
                assign: Some("carl".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let anna = d.actor("anna");
    let carl = d.actor("carl");
    d.engine
        .update_ticket(
            &carl,
            &n,
            TicketChange {
                title: Some("Printer on floor 4".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    let rename = TicketChange {
        title: Some("Mine".into()),
        expected_version: Some(1),
        ..TicketChange::default()
    };
    refused(
        &mut d,
        |e| e.update_ticket(&anna, &n, rename),
        |e| matches!(e, Error::Conflict { current, .. } if current.title == "Printer on floor 4"),
    );
    let stale = TaskfireAssign {
        expected_version: Some(1),
        ..assign("Contoso IT", Some("tom"), "please look")
    };
    refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &n, stale),
        |e| matches!(e, Error::Conflict { actual: 2, .. }),
    );
    let fresh = TaskfireAssign {
        expected_version: Some(2),
        ..assign("Contoso IT", Some("tom"), "please look")
    };
    assert!(
        d.engine
            .taskfire_assign(&anna, &n, fresh)
            .unwrap()
            .taskfire
            .is_some()
    );
    // A note never conflicts, whatever happened since.
    d.engine.add_note(&anna, &n, "still mine", false).unwrap();
}

#[test]
fn every_kind_of_change_moves_updated_and_seeing_does_not() {
    let mut d = Desk::base();
    let n = contoso_ticket(&mut d);
    let created = d.show(&n);
    assert_eq!(created.updated_at, created.created_at);
    let mut last = created.updated_at;
    let mut step = |d: &mut Desk, now: &str, f: &dyn Fn(&mut Desk)| {
        d.set_now(now);
        f(d);
        let t = d.show(&n);
        assert!(
            t.updated_at > last,
            "{now}: {} not after {last}",
            t.updated_at
        );
        assert_eq!(t.updated_at, at(now));
        last = t.updated_at;
    };
    step(&mut d, "2026-11-29T05:00:00Z", &|d| {
        status(d, &n, "In Progress");
    });
    step(&mut d, "2026-11-29T06:00:00Z", &|d| {
        let a = d.actor("anna");
        d.engine.add_note(&a, &n, "note", false).unwrap();
    });
    step(&mut d, "2026-11-29T07:00:00Z", &|d| {
        d.share(&n, None);
    });
    step(&mut d, "2026-11-29T08:00:00Z", &|d| {
        let a = d.actor("anna");
        d.engine.taskfire_ask(&a, &n, "which floor?").unwrap();
    });
    step(&mut d, "2026-11-29T09:00:00Z", &|d| {
        let k = d.actor("kim@contoso.example");
        d.engine.portal_note(&k, &n, "floor 3").unwrap();
    });
    d.set_now("2026-11-29T10:00:00Z");
    let anna = d.actor("anna");
    d.engine.mark_seen(&anna, &n).unwrap();
    assert_eq!(d.show(&n).updated_at, last);
    // The Taskfire version moved with the Taskfire actions.
    let tom = d.actor("tom");
    assert_eq!(
        d.engine.ticket(&tom, &n).unwrap().updated_at,
        at("2026-11-29T08:00:00Z")
    );
}

#[test]
fn history_records_the_version_of_each_change() {
    let mut d = Desk::base();
    let n = d.ticket("anna", "Versions").number;
    status(&mut d, &n, "In Progress");
    let anna = d.actor("anna");
    d.engine.add_note(&anna, &n, "one", false).unwrap();
    d.engine
        .update_ticket(
            &anna,
            &n,
            TicketChange {
                status: Some("New".into()),
                priority: Some("High".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    let t = d.show(&n);
    let events: Vec<(String, Option<i64>)> = t
        .events
        .iter()
        .map(|e| (e.field.clone(), e.version))
        .collect();
    assert_eq!(
        events,
        [
            ("status".to_string(), Some(2)),
            ("status".to_string(), Some(4)),
            ("priority".to_string(), Some(4)),
        ]
    );
    assert_eq!(t.notes[0].version, Some(3));
    assert_eq!(t.version, 4);
}

/// A delete too may be conditional on the version seen: a stale one is refused with the
/// ticket as it is now and deletes nothing (nor the Taskfire version of a shared one); at
/// the version it is at, it deletes.
#[test]
fn a_stale_delete_is_refused_and_deletes_nothing() {
    let mut d = Desk::base();
    let n = contoso_ticket(&mut d);
    let seen = d.share(&n, None);
    let anna = d.actor("anna");
    d.engine
        .update_ticket(&anna, &n, change("Critical", seen.version))
        .unwrap();
    let e = refused(
        &mut d,
        |e| e.delete_ticket_at(&anna, &n, Some(seen.version)),
        |e| matches!(e, Error::Conflict { .. }),
    );
    let Error::Conflict {
        expected, current, ..
    } = e
    else {
        unreachable!()
    };
    assert_eq!(expected, seen.version);
    assert_eq!(*current, d.show(&n));
    assert_eq!(current.priority, "Critical");
    d.engine
        .delete_ticket_at(&anna, &n, Some(current.version))
        .unwrap();
    let gone = d.engine.ticket(&anna, &n).unwrap_err();
    assert!(unknown_ticket(&gone), "{gone:?}");
}

/// T2 and T5 may be conditional on the version seen: stale, each is refused with the
/// ticket as it is now and writes nothing.
#[test]
fn a_stale_t2_or_t5_is_refused_and_writes_nothing() {
    let mut d = Desk::base();
    let n = contoso_ticket(&mut d);
    let seen = d.share(&n, None);
    let anna = d.actor("anna");
    d.engine
        .update_ticket(&anna, &n, change("Critical", seen.version))
        .unwrap();
    let e = refused(
        &mut d,
        |e| e.taskfire_complete_at(&anna, &n, None, Some(seen.version)),
        |e| matches!(e, Error::Conflict { .. }),
    );
    assert!(matches!(e, Error::Conflict { current, .. } if current.priority == "Critical"));
    let now = d.show(&n).version;
    d.engine
        .taskfire_complete_at(&anna, &n, None, Some(now))
        .unwrap();
    // T5: tom's own ticket, changed on his desk after he saw it
    let tom = d.actor("tom");
    let own = d
        .engine
        .create_ticket(
            &tom,
            NewTicket {
                title: "Server room too hot".into(),
                ..NewTicket::default()
            },
        )
        .unwrap();
    d.engine
        .update_ticket(&tom, &own.number, change("High", own.version))
        .unwrap();
    refused(
        &mut d,
        |e| e.taskfire_escalate_at(&tom, &own.number, "too hot", Some(own.version)),
        |e| matches!(e, Error::Conflict { .. }),
    );
    d.engine
        .taskfire_escalate_at(&tom, &own.number, "too hot", Some(own.version + 1))
        .unwrap();
}
