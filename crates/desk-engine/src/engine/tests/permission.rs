//! R8: who may act; refusals change nothing.

use super::fixture::*;
use crate::model::*;
use crate::{Engine, Error};

fn assign_to_taskfire(e: &mut Engine, who: &Actor, number: &str) -> crate::Result<Ticket> {
    e.taskfire_assign(
        who,
        number,
        TaskfireAssign {
            expected_version: None,
            queue: "Contoso IT".into(),
            resource: Some("tom".into()),
            due: None,
            note: "Over to you".into(),
        },
    )
}

/// A Contoso ticket assigned to ben (who has no Service Desk access).
fn bens_ticket(d: &mut Desk) -> String {
    d.create(
        "anna",
        NewTicket {
            title: "Ben's ticket".into(),
            company: Some("Contoso".into()),
            assign: Some("ben".into()),
            ..NewTicket::default()
        },
    )
    .number
}

#[test]
fn a_service_desk_resource_may_act_on_any_ticket() {
    let mut d = Desk::base();
    let t = bens_ticket(&mut d);
    let anna = d.actor("anna");
    let shared = assign_to_taskfire(&mut d.engine, &anna, &t).unwrap();
    assert_eq!(shared.taskfire.unwrap().held_by, HeldBy::Customer);
    d.engine.taskfire_ask(&anna, &t, "Is it fixed?").unwrap();
    d.engine.taskfire_complete(&anna, &t, None).unwrap();
    d.engine.delete_ticket(&anna, &t).unwrap();
    assert!(d.engine.ticket(&anna, &t).is_err());
}

#[test]
fn the_assigned_resource_may_act_without_service_desk_access() {
    let mut d = Desk::base();
    let t = bens_ticket(&mut d);
    let ben = d.actor("ben");
    assert_eq!(
        ben.kind,
        ActorKind::Resource {
            service_desk: false
        }
    );
    assign_to_taskfire(&mut d.engine, &ben, &t).unwrap();
    d.engine.taskfire_ask(&ben, &t, "Is it fixed?").unwrap();
    d.engine.taskfire_complete(&ben, &t, Some("Done")).unwrap();
    d.engine.delete_ticket(&ben, &t).unwrap();
    assert!(d.engine.ticket(&ben, &t).is_err());
}

#[test]
fn another_resource_without_service_desk_is_not_allowed_and_nothing_changes() {
    let mut d = Desk::base();
    let t = bens_ticket(&mut d);
    let carl = d.actor("carl");
    let e = refused(&mut d, |e| assign_to_taskfire(e, &carl, &t), not_allowed);
    assert!(e.to_string().contains("carl"), "{e}");
    assert!(e.to_string().contains(&t), "{e}");
    refused(&mut d, |e| e.delete_ticket(&carl, &t), not_allowed);

    // Once shared (by anna), T2 and T3 are refused to carl too.
    let anna = d.actor("anna");
    assign_to_taskfire(&mut d.engine, &anna, &t).unwrap();
    refused(&mut d, |e| e.taskfire_ask(&carl, &t, "?"), not_allowed);
    refused(
        &mut d,
        |e| e.taskfire_complete(&carl, &t, None),
        not_allowed,
    );
    refused(&mut d, |e| e.delete_ticket(&carl, &t), not_allowed);
}

#[test]
fn an_unassigned_ticket_is_not_the_assigned_resources() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Nobody's").number;
    let ben = d.actor("ben");
    refused(&mut d, |e| assign_to_taskfire(e, &ben, &t), not_allowed);
}

#[test]
fn contacts_and_taskfire_resources_may_not_take_provider_actions() {
    let mut d = Desk::base();
    let t = d.submit("lisa@contoso.example", "Lisa's", "Other").number;
    let anna = d.actor("anna");
    assign_to_taskfire(&mut d.engine, &anna, &t).unwrap();
    for login in ["lisa@contoso.example", "tom"] {
        let who = d.actor(login);
        refused(&mut d, |e| assign_to_taskfire(e, &who, &t), not_allowed);
        refused(&mut d, |e| e.taskfire_ask(&who, &t, "?"), not_allowed);
        refused(&mut d, |e| e.taskfire_complete(&who, &t, None), not_allowed);
        refused(&mut d, |e| e.delete_ticket(&who, &t), not_allowed);
    }
    // A contact is no staff member at all.
    let lisa = d.actor("lisa@contoso.example");
    refused(
        &mut d,
        |e| {
            e.create_ticket(
                &lisa,
                NewTicket {
                    title: "Sneaky".into(),
                    ..NewTicket::default()
                },
            )
        },
        not_allowed,
    );
    refused(&mut d, |e| e.add_note(&lisa, &t, "hi", true), not_allowed);
    // Only Taskfire resources escalate.
    refused(
        &mut d,
        |e| e.taskfire_escalate(&anna, &t, "up"),
        not_allowed,
    );
    refused(
        &mut d,
        |e| e.taskfire_escalate(&lisa, &t, "up"),
        not_allowed,
    );
}

#[test]
fn a_contact_without_portal_access_may_not_submit() {
    let mut d = Desk::base();
    let noel = d.actor("noel@contoso.example");
    refused(
        &mut d,
        |e| {
            e.portal_submit(
                &noel,
                PortalSubmit {
                    title: "Let me in".into(),
                    issue_type: "Other".into(),
                    description: String::new(),
                },
            )
        },
        not_allowed,
    );
}

#[test]
fn a_taskfire_resource_may_not_create_tickets_for_another_company() {
    let mut d = Desk::base();
    let tom = d.actor("tom");
    refused(
        &mut d,
        |e| {
            e.create_ticket(
                &tom,
                NewTicket {
                    title: "For Fabrikam".into(),
                    company: Some("Fabrikam".into()),
                    ..NewTicket::default()
                },
            )
        },
        not_allowed,
    );
}

#[test]
fn a_stale_version_is_a_conflict_and_nothing_changes() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Contended");
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &t.number, "someone else was here", false)
        .unwrap();
    let e = refused(
        &mut d,
        |e| {
            e.update_ticket(
                &anna,
                &t.number,
                TicketChange {
                    status: Some("Complete".into()),
                    expected_version: Some(t.version),
                    ..TicketChange::default()
                },
            )
        },
        |e| matches!(e, Error::Conflict { .. }),
    );
    assert!(e.to_string().contains(&t.number));
}

#[test]
fn invalid_input_is_refused_and_nothing_changes() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Fine").number;
    let anna = d.actor("anna");
    let update = |c: TicketChange| {
        let (anna, t) = (anna.clone(), t.clone());
        move |e: &mut Engine| e.update_ticket(&anna, &t, c)
    };
    refused(
        &mut d,
        update(TicketChange {
            status: Some("Done-ish".into()),
            ..TicketChange::default()
        }),
        |e| unknown(e, "status"),
    );
    // A valid first field and an invalid later one: neither is written.
    refused(
        &mut d,
        update(TicketChange {
            title: Some("Renamed".into()),
            due: Some("next tuesday".into()),
            ..TicketChange::default()
        }),
        |e| matches!(e, Error::Invalid { field, .. } if field == "due"),
    );
    // 02:30 on 2026-09-27 does not exist in Auckland (the clocks skip from 02:00 to 03:00).
    refused(
        &mut d,
        update(TicketChange {
            due: Some("2026-09-27 02:30".into()),
            ..TicketChange::default()
        }),
        |e| matches!(e, Error::Invalid { field, .. } if field == "due"),
    );
    refused(
        &mut d,
        |e| {
            e.create_ticket(
                &anna,
                NewTicket {
                    title: "   ".into(),
                    ..NewTicket::default()
                },
            )
        },
        |e| matches!(e, Error::Invalid { field, .. } if field == "title"),
    );
}

#[test]
fn series_are_made_by_provider_staff_only() {
    let mut d = Desk::base();
    let series = || NewSeries {
        title: "Patch day".into(),
        company: "Contoso".into(),
        first_due: "2026-12-01 09:00".into(),
        every_days: 7,
        count: 2,
        ..NewSeries::default()
    };
    for login in ["tom", "lisa@contoso.example"] {
        let who = d.actor(login);
        refused(&mut d, |e| e.create_series(&who, series()), not_allowed);
    }
    let ben = d.actor("ben");
    assert_eq!(d.engine.create_series(&ben, series()).unwrap().len(), 2);
}
