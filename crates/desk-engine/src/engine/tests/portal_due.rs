//! R7: the due date the portal shows for a ticket shared with Taskfire.

use super::fixture::*;
use crate::model::*;

#[test]
fn portal_due_is_taskfires_while_the_customer_holds_it_and_ours_after_escalation() {
    let mut d = Desk::base();
    let t = d
        .create(
            "anna",
            NewTicket {
                title: "Shared printer".into(),
                contact: Some("kim@contoso.example".into()),
                due: Some("2026-12-10T00:00:00Z".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let kim = d.actor("kim@contoso.example");
    assert_eq!(
        d.engine.portal_show(&kim, &t).unwrap().due_at,
        Some(at("2026-12-10T00:00:00Z"))
    );

    d.share(&t, Some("2026-12-03T00:00:00Z"));
    let portal = d.engine.portal_show(&kim, &t).unwrap();
    assert_eq!(portal.due_at, Some(at("2026-12-03T00:00:00Z")));
    // Staff still see their own due date, and the Taskfire one beside it.
    let staff = d.show(&t);
    assert_eq!(staff.due_at, Some(at("2026-12-10T00:00:00Z")));
    assert_eq!(
        staff.taskfire.as_ref().unwrap().due_at,
        Some(at("2026-12-03T00:00:00Z"))
    );
    let listed = d
        .engine
        .portal_list(&kim, &PortalFilter::default(), &PageRequest::default())
        .unwrap()
        .items;
    assert_eq!(listed[0].due_at, Some(at("2026-12-03T00:00:00Z")));

    let tom = d.actor("tom");
    d.engine
        .taskfire_escalate(&tom, &t, "Back to you, we cannot fix it")
        .unwrap();
    assert_eq!(d.show(&t).taskfire.unwrap().held_by, HeldBy::Provider);
    assert_eq!(
        d.engine.portal_show(&kim, &t).unwrap().due_at,
        Some(at("2026-12-10T00:00:00Z"))
    );
}

#[test]
fn portal_due_is_none_while_the_customer_holds_it_without_a_taskfire_due() {
    let mut d = Desk::base();
    let t = d
        .create(
            "anna",
            NewTicket {
                title: "Shared, no Taskfire due".into(),
                contact: Some("kim@contoso.example".into()),
                due: Some("2026-12-10T00:00:00Z".into()),
                ..NewTicket::default()
            },
        )
        .number;
    d.share(&t, None);
    let kim = d.actor("kim@contoso.example");
    assert_eq!(d.engine.portal_show(&kim, &t).unwrap().due_at, None);
}
