//! R6: what the Client Portal shows a contact (portal_list and portal_show agree).

use super::fixture::*;
use crate::Error;
use crate::model::*;
use std::collections::BTreeSet;

/// Tickets of Contoso and Fabrikam made in every way the portal must handle.
struct Seen {
    d: Desk,
    kim_submitted: String,
    kim_contact: String,
    lisa_submitted: String,
    no_contact: String,
    noel_contact: String,
    fabrikam: String,
}

fn seen() -> Seen {
    let mut d = Desk::base();
    let kim_submitted = d
        .submit("kim@contoso.example", "Kim's printer", "Printer")
        .number;
    let kim_contact = d
        .create(
            "anna",
            NewTicket {
                title: "Called in by Kim".into(),
                contact: Some("kim@contoso.example".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let lisa_submitted = d
        .submit("lisa@contoso.example", "Lisa's VPN", "Other")
        .number;
    let no_contact = d.ticket("anna", "Contoso server patching").number;
    let noel_contact = d
        .create(
            "ben",
            NewTicket {
                title: "Noel's phone".into(),
                contact: Some("noel@contoso.example".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let fabrikam = d
        .submit("fred@fabrikam.example", "Fabrikam Wi-Fi", "Other")
        .number;
    Seen {
        d,
        kim_submitted,
        kim_contact,
        lisa_submitted,
        no_contact,
        noel_contact,
        fabrikam,
    }
}

#[test]
fn level_none_sees_nothing_not_even_tickets_they_are_contact_of() {
    let s = seen();
    assert!(s.d.portal_numbers("noel@contoso.example").is_empty());
    let noel = s.d.actor("noel@contoso.example");
    let page = PageRequest {
        sort: None,
        after: None,
        limit: 10,
    };
    for e in [
        s.d.engine.portal_show(&noel, &s.noel_contact).unwrap_err(),
        s.d.engine
            .portal_list(&noel, &PortalFilter::default(), &page)
            .unwrap_err(),
    ] {
        assert!(
            matches!(&e, crate::Error::NotAllowed(m) if m.contains("portal access is disabled")),
            "{e:?}"
        );
    }
}

#[test]
fn level_basic_sees_what_they_submitted_or_are_the_contact_of() {
    let s = seen();
    assert_eq!(
        s.d.portal_numbers("kim@contoso.example"),
        sorted(&[&s.kim_submitted, &s.kim_contact])
    );
    let kim = s.d.actor("kim@contoso.example");
    for hidden in [
        &s.lisa_submitted,
        &s.no_contact,
        &s.noel_contact,
        &s.fabrikam,
    ] {
        let e = s.d.engine.portal_show(&kim, hidden).unwrap_err();
        assert!(unknown_ticket(&e), "{hidden}: {e:?}");
    }
    assert_eq!(
        s.d.engine.portal_show(&kim, &s.kim_contact).unwrap().title,
        "Called in by Kim"
    );
}

#[test]
fn level_manager_sees_every_ticket_of_the_company_however_created() {
    let mut s = seen();
    // Also a ticket escalated from Contoso's Taskfire desk, with no contact.
    let escalated = s.d.ticket("tom", "Contoso escalation").number;
    let tom = s.d.actor("tom");
    s.d.engine
        .taskfire_escalate(&tom, &escalated, "Please take over")
        .unwrap();
    assert_eq!(
        s.d.portal_numbers("lisa@contoso.example"),
        sorted(&[
            &s.kim_submitted,
            &s.kim_contact,
            &s.lisa_submitted,
            &s.no_contact,
            &s.noel_contact,
            &escalated
        ])
    );
    let lisa = s.d.actor("lisa@contoso.example");
    assert_eq!(
        s.d.engine.portal_show(&lisa, &escalated).unwrap().title,
        "Contoso escalation"
    );
}

#[test]
fn another_companys_ticket_is_an_unknown_ticket() {
    let s = seen();
    let lisa = s.d.actor("lisa@contoso.example");
    let e = s.d.engine.portal_show(&lisa, &s.fabrikam).unwrap_err();
    assert!(unknown_ticket(&e), "{e:?}");
    // The same error as for a number that does not exist at all.
    let missing = s.d.engine.portal_show(&lisa, "T20261129.9999").unwrap_err();
    assert_eq!(
        e.to_string().replace(&s.fabrikam, "N"),
        missing.to_string().replace("T20261129.9999", "N")
    );
    let fred = s.d.actor("fred@fabrikam.example");
    assert_eq!(
        s.d.portal_numbers("fred@fabrikam.example"),
        [s.fabrikam.as_str()]
    );
    assert!(s.d.engine.portal_show(&fred, &s.kim_submitted).is_err());
}

#[test]
fn staff_are_not_portal_viewers() {
    let s = seen();
    let anna = s.d.actor("anna");
    assert!(matches!(
        s.d.engine
            .portal_list(&anna, &PortalFilter::default(), &PageRequest::default()),
        Err(Error::NotAllowed(_))
    ));
    assert!(matches!(
        s.d.engine.portal_show(&anna, &s.kim_submitted),
        Err(Error::NotAllowed(_))
    ));
}

#[test]
fn show_tickets_created_on_or_after_hides_older_tickets_by_desk_date() {
    let src = format!("{BASE}\n[portal]\nshow_tickets_created_on_or_after = \"2026-11-29\"\n");
    // Auckland's 2026-11-29 starts at 2026-11-28 11:00 UTC.
    let mut d = Desk::new(&src, "2026-11-28T10:59:59.999Z");
    let old = d.submit("lisa@contoso.example", "Old", "Other").number;
    d.set_now("2026-11-28T11:00:00Z");
    let new = d.submit("lisa@contoso.example", "New", "Other").number;
    assert_eq!(old, "T20261128.0001");
    assert_eq!(new, "T20261129.0001");
    assert_eq!(d.portal_numbers("lisa@contoso.example"), [new.as_str()]);
    let lisa = d.actor("lisa@contoso.example");
    assert!(unknown_ticket(
        &d.engine.portal_show(&lisa, &old).unwrap_err()
    ));
    assert!(d.engine.portal_show(&lisa, &new).is_ok());
    // Staff still see both.
    assert_eq!(d.numbers("anna", &TicketFilter::default()), [old, new]);
}

#[test]
fn series_tickets_show_only_when_due_at_most_30_days_ahead() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let series = |first_due: &str, count| NewSeries {
        title: "Monthly check".into(),
        company: "Contoso".into(),
        contact: Some("kim@contoso.example".into()),
        first_due: first_due.into(),
        every_days: 1,
        count,
        ..NewSeries::default()
    };
    // NOW is 2026-11-29T04:00Z; 30 days ahead is 2026-12-29T04:00Z exactly.
    let a = d
        .engine
        .create_series(&anna, series("2026-12-28T04:00:00Z", 3))
        .unwrap();
    let b = d
        .engine
        .create_series(&anna, series("2026-12-29T04:00:00.001Z", 1))
        .unwrap();
    let shown = vec![a[0].number.clone(), a[1].number.clone()];
    for contact in ["kim@contoso.example", "lisa@contoso.example"] {
        assert_eq!(d.portal_numbers(contact), shown, "{contact}");
        let c = d.actor(contact);
        assert!(d.engine.portal_show(&c, &a[1].number).is_ok());
        assert!(unknown_ticket(
            &d.engine.portal_show(&c, &a[2].number).unwrap_err()
        ));
        assert!(unknown_ticket(
            &d.engine.portal_show(&c, &b[0].number).unwrap_err()
        ));
    }
    // A day later the window has moved on by one instance.
    d.set_now("2026-11-30T04:00:00Z");
    assert_eq!(
        d.portal_numbers("kim@contoso.example"),
        [
            a[0].number.clone(),
            a[1].number.clone(),
            a[2].number.clone(),
            b[0].number.clone()
        ]
    );
}

#[test]
fn a_ticket_not_in_a_series_shows_however_far_its_due_date() {
    let mut d = Desk::base();
    let t = d
        .create(
            "anna",
            NewTicket {
                title: "Far future".into(),
                contact: Some("kim@contoso.example".into()),
                due: Some("2027-06-01 09:00".into()),
                ..NewTicket::default()
            },
        )
        .number;
    assert_eq!(d.portal_numbers("kim@contoso.example"), [t]);
}

#[test]
fn internal_notes_and_events_never_reach_the_portal() {
    let mut d = Desk::base();
    let t = d.submit("kim@contoso.example", "Printer", "Printer").number;
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &t, "internal: user is difficult", false)
        .unwrap();
    d.engine
        .add_note(&anna, &t, "We are on our way", true)
        .unwrap();
    d.engine
        .update_ticket(
            &anna,
            &t,
            TicketChange {
                status: Some("In Progress".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    let kim = d.actor("kim@contoso.example");
    d.engine.portal_note(&kim, &t, "Thanks!").unwrap();

    let staff = d.show(&t);
    assert!(has_note(&staff, "internal: user is difficult"));
    assert!(!staff.events.is_empty());

    let portal = d.engine.portal_show(&kim, &t).unwrap();
    assert!(!has_note(&portal, "internal: user is difficult"));
    assert!(portal.notes.iter().all(|n| n.kind != NoteKind::Internal));
    assert!(has_note(&portal, "We are on our way"));
    assert!(has_note(&portal, "Thanks!"));
    assert!(portal.events.is_empty());
    assert_eq!(portal.status, "In Progress");

    // The list shows the same view.
    let listed = d
        .engine
        .portal_list(&kim, &PortalFilter::default(), &PageRequest::default())
        .unwrap()
        .items;
    assert_eq!(listed, vec![portal]);
}

#[test]
fn portal_list_is_exactly_what_portal_show_admits_on_a_generated_desk() {
    let src = format!(
        "{BASE}\n[[contacts]]\nlogin = \"max@contoso.example\"\nname = \"Max\"\ncompany = \"Contoso\"\nportal = \"basic\"\n\n[portal]\nshow_tickets_created_on_or_after = \"2026-10-01\"\n"
    );
    let mut d = Desk::new(&src, NOW);
    let stats = d.engine.generate_demo_tickets(400, 7).unwrap();
    assert!(stats.series > 0, "{stats:?}");
    let all = d.numbers("anna", &TicketFilter::default());
    assert_eq!(all.len() as u64, stats.tickets);
    let mut shown_somewhere = 0;
    for contact in [
        "lisa@contoso.example",
        "kim@contoso.example",
        "max@contoso.example",
        "noel@contoso.example",
        "fred@fabrikam.example",
    ] {
        let c = d.actor(contact);
        let listed: BTreeSet<String> = d.portal_numbers(contact).into_iter().collect();
        let shown: BTreeSet<String> = all
            .iter()
            .filter(|n| d.engine.portal_show(&c, n).is_ok())
            .cloned()
            .collect();
        assert_eq!(listed, shown, "{contact}");
        shown_somewhere += shown.len();
    }
    assert!(shown_somewhere > 0);
    assert!(d.portal_numbers("noel@contoso.example").is_empty());
}

#[test]
fn the_portals_own_answers_hide_internal_notes_too() {
    let rules = r#"
[[workflow_rules]]
name = "triage note"
event = "ticket_created"
actions = [{ add_note = "VIP customer, handle first" }]

[[workflow_rules]]
name = "note on portal notes"
event = "note_added"
conditions = [{ field = "note.kind", op = "eq", value = "portal" }]
actions = [{ add_note = "customer wrote again" }]
"#;
    let mut d = with_rules(rules);
    let kim = d.actor("kim@contoso.example");
    let t = d
        .engine
        .portal_submit(
            &kim,
            PortalSubmit {
                title: "Help".into(),
                issue_type: "Other".into(),
                description: String::new(),
            },
        )
        .unwrap();
    assert!(t.notes.is_empty(), "{:?}", t.notes);
    assert!(t.events.is_empty());
    let t = d.engine.portal_note(&kim, &t.number, "Any news?").unwrap();
    assert_eq!(
        t.notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(),
        ["Any news?"]
    );
    let staff = d.show(&t.number);
    assert!(has_note(&staff, "VIP customer, handle first"));
    assert!(has_note(&staff, "customer wrote again"));
}
