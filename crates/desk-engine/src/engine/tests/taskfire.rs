//! T1–T3 (docs/rules.md, "The Taskfire actions"): assigning to Taskfire, work complete, questions.

use super::fixture::*;
use crate::Error;
use crate::model::*;

#[test]
fn t1_creates_the_taskfire_version_with_the_same_number() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let shared = d.share(&t, Some("2026-12-03 17:00"));
    assert_eq!(shared.number, t);
    assert_eq!(shared.desk, "provider");
    let tf = shared.taskfire.as_ref().unwrap();
    assert_eq!(tf.queue, "Contoso IT");
    assert_eq!(tf.resource.as_deref(), Some("tom"));
    assert_eq!(tf.held_by, HeldBy::Customer);
    assert_eq!(tf.status, NEW_STATUS);
    // Due typed by anna, in Auckland time.
    assert_eq!(tf.due_at, Some(at("2026-12-03T04:00:00Z")));
    // The provider's ticket stays on the provider desk, where it was.
    assert_eq!(shared.queue, d.show(&t).queue);
    assert!(has_note(&shared, "Please check the printer on site"));
    assert!(
        shared
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::Taskfire && n.author == "anna")
    );

    let tom = d.actor("tom");
    let theirs = d.engine.ticket(&tom, &t).unwrap();
    assert_eq!(theirs.number, t);
    assert_eq!(theirs.desk, "Contoso");
    assert_eq!(theirs.queue, "Contoso IT");
    assert_eq!(theirs.assigned.as_deref(), Some("tom"));
    assert_eq!(theirs.title, "Printer on floor 3");
    assert_eq!(theirs.due_at, Some(at("2026-12-03T04:00:00Z")));
    assert!(has_note(&theirs, "Please check the printer on site"));
    assert_eq!(theirs.taskfire.unwrap().held_by, HeldBy::Customer);
    assert_eq!(d.numbers("tom", &TicketFilter::default()), [t.as_str()]);
    let mine = TicketFilter {
        assigned: Match::is("tom"),
        ..TicketFilter::default()
    };
    assert_eq!(d.numbers("tom", &mine), [t.as_str()]);
    // The provider's list still has it once (its own version only).
    assert_eq!(d.numbers("anna", &TicketFilter::default()), [t.as_str()]);

    let sent = events_for(&d, &t);
    assert!(
        sent.iter()
            .any(|n| n.event == "taskfire_assigned" && n.to == "tom@contoso.example"),
        "{sent:?}"
    );
}

#[test]
fn t1_for_a_company_without_taskfire_is_refused_and_nothing_changes() {
    let mut d = Desk::base();
    let t = d
        .create(
            "anna",
            NewTicket {
                title: "Fabrikam".into(),
                company: Some("Fabrikam".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let anna = d.actor("anna");
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso IT", None, "why")),
        |e| matches!(e, Error::Invalid { .. }),
    );
    assert!(e.to_string().contains("Fabrikam"), "{e}");
    assert!(e.to_string().contains("Taskfire"), "{e}");
    // And a ticket without any company.
    let none = d.create(
        "anna",
        NewTicket {
            title: "No company".into(),
            ..NewTicket::default()
        },
    );
    refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &none.number, assign("Contoso IT", None, "why")),
        |e| matches!(e, Error::Invalid { .. }),
    );
}

#[test]
fn t1_with_a_blank_note_is_refused() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso IT", Some("tom"), " \n\t ")),
        |e| matches!(e, Error::Invalid { field, .. } if field == "note"),
    );
}

#[test]
fn t1_with_an_unknown_taskfire_queue_or_resource_names_it() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso Garage", None, "why")),
        unknown_any,
    );
    assert!(e.to_string().contains("Contoso Garage"), "{e}");
    // The queue is required.
    refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("  ", None, "why")),
        |e| unknown(e, "Taskfire queue"),
    );
    // A provider queue is not a Taskfire queue.
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Level 1", None, "why")),
        unknown_any,
    );
    assert!(e.to_string().contains("Level 1"), "{e}");
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso IT", Some("zoe"), "why")),
        unknown_any,
    );
    assert!(e.to_string().contains("zoe"), "{e}");
    // A provider resource is not a Taskfire resource.
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso IT", Some("ben"), "why")),
        unknown_any,
    );
    assert!(e.to_string().contains("ben"), "{e}");
}

#[test]
fn t1_twice_while_the_customer_holds_it_is_refused() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let anna = d.actor("anna");
    refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso IT", None, "again")),
        |e| matches!(e, Error::Invalid { .. }),
    );
}

#[test]
fn t2_sets_the_taskfire_versions_status_not_the_providers() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let anna = d.actor("anna");
    let after = d
        .engine
        .taskfire_complete(&anna, &t, Some("Replaced the fuser"))
        .unwrap();
    assert_eq!(after.status, NEW_STATUS);
    let tf = after.taskfire.as_ref().unwrap();
    assert_eq!(tf.status, PROVIDER_WORK_COMPLETE);
    assert_eq!(tf.provider_status, NEW_STATUS);
    assert!(has_note(&after, "Replaced the fuser"));

    let tom = d.actor("tom");
    let theirs = d.engine.ticket(&tom, &t).unwrap();
    assert_eq!(theirs.status, PROVIDER_WORK_COMPLETE);
    assert!(has_note(&theirs, "Replaced the fuser"));
    assert_eq!(theirs.taskfire.unwrap().provider_status, NEW_STATUS);
    assert!(
        events_for(&d, &t)
            .iter()
            .any(|n| n.event == "taskfire_work_complete" && n.to == "tom@contoso.example")
    );
    // The provider closes its own ticket through the normal status change.
    let closed = d
        .engine
        .update_ticket(
            &anna,
            &t,
            TicketChange {
                status: Some(CLOSED_STATUS.into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    assert_eq!(closed.status, CLOSED_STATUS);
    assert_eq!(closed.taskfire.unwrap().status, PROVIDER_WORK_COMPLETE);
}

#[test]
fn t2_and_t3_on_an_unshared_ticket_are_clear_errors() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    for e in [
        refused(
            &mut d,
            |e| e.taskfire_complete(&anna, &t, None),
            |e| matches!(e, Error::Invalid { .. }),
        ),
        refused(
            &mut d,
            |e| e.taskfire_ask(&anna, &t, "Why?"),
            |e| matches!(e, Error::Invalid { .. }),
        ),
    ] {
        let msg = e.to_string();
        assert!(msg.contains(&t) && msg.contains("not shared"), "{msg}");
    }
}

#[test]
fn t3_adds_the_question_on_both_and_notifies_the_taskfire_resource() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let anna = d.actor("anna");
    let q = "Which printer model is it?";
    let after = d.engine.taskfire_ask(&anna, &t, q).unwrap();
    let note = after.notes.iter().find(|n| n.text == q).unwrap();
    assert_eq!(note.kind, NoteKind::Taskfire);
    let tom = d.actor("tom");
    assert!(has_note(&d.engine.ticket(&tom, &t).unwrap(), q));
    // The contact sees it in the portal.
    let kim = d.actor("kim@contoso.example");
    assert!(has_note(&d.engine.portal_show(&kim, &t).unwrap(), q));
    let asked: Vec<Notification> = events_for(&d, &t)
        .into_iter()
        .filter(|n| n.event == "taskfire_question")
        .collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].to, "tom@contoso.example");
    assert!(asked[0].body.contains(q), "{}", asked[0].body);
    assert!(asked[0].subject.contains(&t));
}

#[test]
fn t3_with_a_blank_question_is_refused() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let anna = d.actor("anna");
    refused(
        &mut d,
        |e| e.taskfire_ask(&anna, &t, "   "),
        |e| matches!(e, Error::Invalid { .. }),
    );
}

#[test]
fn t1_only_to_the_tickets_own_companys_taskfire_desk() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Northwind Desk", None, "why")),
        unknown_any,
    );
    assert!(e.to_string().contains("Northwind Desk"), "{e}");
    let e = refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, assign("Contoso IT", Some("nina"), "why")),
        unknown_any,
    );
    assert!(e.to_string().contains("nina"), "{e}");
}

#[test]
fn t1_with_a_due_time_that_does_not_exist_is_refused() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    // 02:30 on 2026-09-27 is skipped by Auckland's clocks.
    refused(
        &mut d,
        |e| {
            e.taskfire_assign(
                &anna,
                &t,
                TaskfireAssign {
                    expected_version: None,
                    due: Some("2026-09-27 02:30".into()),
                    ..assign("Contoso IT", None, "why")
                },
            )
        },
        |e| matches!(e, Error::Invalid { field, .. } if field == "due"),
    );
}
