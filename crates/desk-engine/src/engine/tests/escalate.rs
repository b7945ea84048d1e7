//! T4 (deleting a shared ticket) and T5 (escalation by the Taskfire side).

use super::fixture::*;
use crate::Engine;
use crate::Error;
use crate::model::*;

#[test]
fn t4_deleting_a_shared_ticket_deletes_both_and_notifies_the_taskfire_resource() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let keep = contoso_ticket(&mut d);
    d.share(&t, None);
    d.share(&keep, None);
    let anna = d.actor("anna");
    d.engine.delete_ticket(&anna, &t).unwrap();
    assert!(matches!(
        d.engine.ticket(&anna, &t),
        Err(Error::NotFound { .. })
    ));
    let tom = d.actor("tom");
    assert!(matches!(
        d.engine.ticket(&tom, &t),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(d.numbers("tom", &TicketFilter::default()), [keep.as_str()]);
    let deleted: Vec<Notification> = events_for(&d, &t)
        .into_iter()
        .filter(|n| n.event == "taskfire_deleted")
        .collect();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].to, "tom@contoso.example");
    // No orphaned share, notes or history are left behind.
    let dump = d.dump();
    let shares = dump
        .split("== shares (")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert_eq!(shares, "1");
}

#[test]
fn deleting_a_taskfire_version_is_the_providers_business() {
    let mut d = Desk::base();
    let own = d.ticket("tom", "Contoso internal").number;
    let tom = d.actor("tom");
    refused(
        &mut d,
        |e: &mut Engine| e.delete_ticket(&tom, &own),
        not_allowed,
    );
}

#[test]
fn t5_escalating_a_taskfire_ticket_makes_a_routed_portal_ticket_with_the_same_number() {
    let mut d = Desk::base();
    let own = d
        .create(
            "tom",
            NewTicket {
                title: "Printer on floor 5".into(),
                issue_type: Some("Printer".into()),
                contact: Some("kim@contoso.example".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let tom = d.actor("tom");
    let theirs = d
        .engine
        .taskfire_escalate(&tom, &own, "We cannot fix it")
        .unwrap();
    assert_eq!(theirs.desk, "Contoso");
    assert_eq!(theirs.taskfire.as_ref().unwrap().held_by, HeldBy::Provider);
    assert!(has_note(&theirs, "We cannot fix it"));

    let p = d.show(&own);
    assert_eq!(p.number, own);
    assert_eq!(p.desk, "provider");
    assert_eq!(p.source, CLIENT_PORTAL);
    assert_eq!(p.queue, "Printers"); // R1: the provider's issue type names it
    assert_eq!(p.work_type.as_deref(), Some("Remote Support")); // the R3 rule
    assert_eq!(p.company.as_deref(), Some("Contoso"));
    assert_eq!(p.contact.as_deref(), Some("kim@contoso.example"));
    assert_eq!(p.taskfire.as_ref().unwrap().held_by, HeldBy::Provider);
    assert!(has_note(&p, "We cannot fix it"));
    // The provider's Service Desk staff hear of it.
    assert!(
        events_for(&d, &own)
            .iter()
            .any(|n| n.event == "taskfire_escalated" && n.to == "anna@kiwi.example")
    );
}

#[test]
fn t5_with_a_customer_issue_type_or_none_lands_in_client_portal() {
    let mut d = Desk::base();
    let tom = d.actor("tom");
    for issue_type in [Some("Contoso Laptop"), None] {
        let own = d
            .create(
                "tom",
                NewTicket {
                    title: "Laptop".into(),
                    issue_type: issue_type.map(str::to_string),
                    ..NewTicket::default()
                },
            )
            .number;
        d.engine.taskfire_escalate(&tom, &own, "Help").unwrap();
        let p = d.show(&own);
        assert_eq!(p.queue, CLIENT_PORTAL, "{issue_type:?}");
        assert_eq!(p.source, CLIENT_PORTAL);
        assert_eq!(p.work_type.as_deref(), Some("Remote Support"));
    }
}

#[test]
fn t5_of_a_ticket_assigned_via_t1_flips_held_by_to_the_provider() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let tom = d.actor("tom");
    d.engine
        .taskfire_escalate(&tom, &t, "This needs the provider")
        .unwrap();
    let p = d.show(&t);
    assert_eq!(p.taskfire.as_ref().unwrap().held_by, HeldBy::Provider);
    assert!(has_note(&p, "This needs the provider"));
    // Still one provider ticket with that number.
    assert_eq!(d.numbers("anna", &TicketFilter::default()), [t.as_str()]);
    // Escalating again is refused; assigning again flips it back.
    refused(
        &mut d,
        |e| e.taskfire_escalate(&tom, &t, "again"),
        |e| matches!(e, Error::Invalid { .. }),
    );
    let again = d.share(&t, None);
    assert_eq!(again.taskfire.unwrap().held_by, HeldBy::Customer);
}

#[test]
fn t5_of_another_companys_ticket_is_unknown() {
    let mut d = Desk::base();
    let provider_only = d.ticket("anna", "Not on Contoso's desk").number;
    let tom = d.actor("tom");
    refused(
        &mut d,
        |e| e.taskfire_escalate(&tom, &provider_only, "mine?"),
        |e| matches!(e, Error::NotFound { what: "ticket", .. }),
    );
}

#[test]
fn t5_with_a_blank_note_is_refused() {
    let mut d = Desk::base();
    let own = d.ticket("tom", "Contoso internal").number;
    let tom = d.actor("tom");
    refused(
        &mut d,
        |e| e.taskfire_escalate(&tom, &own, ""),
        |e| matches!(e, Error::Invalid { .. }),
    );
}

#[test]
fn one_companys_taskfire_desk_never_sees_or_escalates_anothers_tickets() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let nina = d.actor("nina");
    assert!(matches!(
        d.engine.ticket(&nina, &t),
        Err(Error::NotFound { what: "ticket", .. })
    ));
    assert!(d.numbers("nina", &filter()).is_empty());
    refused(
        &mut d,
        |e| e.taskfire_escalate(&nina, &t, "not mine"),
        |e| matches!(e, Error::NotFound { what: "ticket", .. }),
    );
    let own = d.ticket("tom", "Contoso internal").number;
    assert!(d.engine.ticket(&nina, &own).is_err());
}
