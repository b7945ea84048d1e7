//! R8 covers all work on a ticket (docs/rules.md, "R8 in detail"): without Service
//! Desk access a resource changes a ticket only while it is assigned to him, and
//! cannot make it so himself. Every refusal leaves the store as it was.

use super::fixture::*;
use crate::Engine;
use crate::model::*;

fn change(f: impl FnOnce(&mut TicketChange)) -> TicketChange {
    let mut c = TicketChange::default();
    f(&mut c);
    c
}

/// A Contoso ticket that anna (Service Desk) assigned to `login`.
fn assigned_to(d: &mut Desk, login: &str) -> String {
    d.create(
        "anna",
        NewTicket {
            title: format!("{login}'s"),
            company: Some("Contoso".into()),
            assign: Some(login.into()),
            ..NewTicket::default()
        },
    )
    .number
}

/// Every kind of work ben (no Service Desk access) could try on ticket `t`.
fn every_kind_of_work(d: &mut Desk, t: &str) {
    let ben = d.actor("ben");
    let refuse = |d: &mut Desk, f: &dyn Fn(&mut Engine) -> crate::Result<()>| {
        let e = refused(d, f, not_allowed);
        assert!(e.to_string().contains(t), "{e}");
        assert!(e.to_string().contains("ben may not"), "{e}");
    };
    let fields: [(&str, TicketChange); 7] = [
        ("status", change(|c| c.status = Some("In Progress".into()))),
        ("title", change(|c| c.title = Some("Mine now".into()))),
        ("queue", change(|c| c.queue = Some("Printers".into()))),
        ("priority", change(|c| c.priority = Some("High".into()))),
        ("work type", change(|c| c.work_type = Some("Onsite".into()))),
        ("due", change(|c| c.due = Some("2026-12-24".into()))),
        (
            "assign to himself",
            change(|c| c.assign = Some("ben".into())),
        ),
    ];
    for (what, c) in fields {
        let e = refused(d, |e| e.update_ticket(&ben, t, c.clone()), not_allowed);
        assert!(e.to_string().contains(t), "{what}: {e}");
    }
    let c = change(|c| c.assign = Some("carl".into()));
    refused(d, |e| e.update_ticket(&ben, t, c.clone()), not_allowed);
    refuse(d, &|e| e.add_note(&ben, t, "I'll take it", false).map(drop));
    refuse(d, &|e| e.add_note(&ben, t, "Working on it", true).map(drop));
    refuse(d, &|e| {
        e.taskfire_assign(&ben, t, assign("Contoso IT", Some("tom"), "Over to you"))
            .map(drop)
    });
    refuse(d, &|e| e.delete_ticket(&ben, t));
}

#[test]
fn an_unassigned_ticket_cannot_be_taken_and_then_worked() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Nobody's yet").number;
    every_kind_of_work(&mut d, &t);
    // Reading stays open to every resource.
    let ben = d.actor("ben");
    assert_eq!(d.engine.ticket(&ben, &t).unwrap().number, t);
    assert_eq!(d.numbers("ben", &filter()), [t.as_str()]);
}

#[test]
fn another_resources_ticket_cannot_be_worked_or_taken() {
    let mut d = Desk::base();
    let t = assigned_to(&mut d, "carl");
    every_kind_of_work(&mut d, &t);
}

#[test]
fn a_shared_ticket_not_his_refuses_t2_and_t3() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let ben = d.actor("ben");
    refused(&mut d, |e| e.taskfire_ask(&ben, &t, "?"), not_allowed);
    refused(&mut d, |e| e.taskfire_complete(&ben, &t, None), not_allowed);
}

#[test]
fn while_assigned_he_works_it_and_hands_it_on_then_it_is_no_longer_his() {
    let mut d = Desk::base();
    let t = assigned_to(&mut d, "ben");
    let ben = d.actor("ben");
    let e = &mut d.engine;
    e.update_ticket(&ben, &t, change(|c| c.status = Some("In Progress".into())))
        .unwrap();
    e.update_ticket(
        &ben,
        &t,
        change(|c| c.title = Some("Ben's, renamed".into())),
    )
    .unwrap();
    e.add_note(&ben, &t, "On it", false).unwrap();
    let handed = e
        .update_ticket(&ben, &t, change(|c| c.assign = Some("carl".into())))
        .unwrap();
    assert_eq!(handed.assigned.as_deref(), Some("carl"));
    // Handed on, it is carl's: ben cannot take it back.
    let back = change(|c| c.assign = Some("ben".into()));
    refused(&mut d, |e| e.update_ticket(&ben, &t, back), not_allowed);
}

#[test]
fn giving_up_his_own_ticket_leaves_it_for_service_desk() {
    let mut d = Desk::base();
    let t = assigned_to(&mut d, "ben");
    let ben = d.actor("ben");
    d.engine
        .update_ticket(&ben, &t, change(|c| c.assign = Some(String::new())))
        .unwrap();
    let again = change(|c| c.assign = Some("ben".into()));
    refused(&mut d, |e| e.update_ticket(&ben, &t, again), not_allowed);
}

#[test]
fn without_service_desk_a_new_ticket_is_made_unassigned() {
    let mut d = Desk::base();
    let ben = d.actor("ben");
    for to in ["ben", "carl"] {
        let new = NewTicket {
            title: "Phone call".into(),
            assign: Some(to.into()),
            ..NewTicket::default()
        };
        let e = refused(&mut d, |e| e.create_ticket(&ben, new), not_allowed);
        assert!(e.to_string().contains("create it unassigned"), "{e}");
    }
    let made = d.create(
        "ben",
        NewTicket {
            title: "Phone call".into(),
            ..NewTicket::default()
        },
    );
    assert_eq!(made.assigned, None);
}

#[test]
fn service_desk_assigns_anyone_and_taskfire_staff_work_their_own_desk() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Dispatch").number;
    let anna = d.actor("anna");
    d.engine
        .update_ticket(&anna, &t, change(|c| c.assign = Some("ben".into())))
        .unwrap();
    // R8 is the provider desk's rule: Tom's own desk is his company's business.
    let own = d.ticket("tom", "Contoso internal").number;
    let tom = d.actor("tom");
    d.engine
        .update_ticket(&tom, &own, change(|c| c.assign = Some("tina".into())))
        .unwrap();
    d.engine.add_note(&tom, &own, "for Tina", false).unwrap();
}
