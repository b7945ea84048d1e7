//! R2: lists filter by source (and queue, status, assignee, company, words).

use super::fixture::*;
use crate::model::*;

#[test]
fn client_portal_tickets_are_found_by_source_in_any_queue() {
    let mut d = Desk::base();
    let in_printers = d.submit("kim@contoso.example", "Toner", "Printer").number;
    let in_portal = d.submit("lisa@contoso.example", "VPN", "Other").number;
    let phone_in_printers = d
        .create(
            "anna",
            NewTicket {
                title: "Paper jam".into(),
                queue: Some("Printers".into()),
                source: Some("Phone".into()),
                ..NewTicket::default()
            },
        )
        .number;
    // Moved out of its routed queue, a portal ticket is still a portal ticket.
    let anna = d.actor("anna");
    d.engine
        .update_ticket(
            &anna,
            &in_portal,
            TicketChange {
                queue: Some("Level 1".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    let by_source = TicketFilter {
        source: Match::is(CLIENT_PORTAL),
        ..filter()
    };
    let mut expected = vec![in_printers.clone(), in_portal.clone()];
    expected.sort();
    assert_eq!(d.numbers("anna", &by_source), expected);
    let portal_in_printers = TicketFilter {
        queue: Match::is("Printers"),
        ..by_source.clone()
    };
    assert_eq!(
        d.numbers("anna", &portal_in_printers),
        [in_printers.as_str()]
    );
    let phone = TicketFilter {
        source: Match::is("Phone"),
        ..filter()
    };
    assert_eq!(d.numbers("anna", &phone), [phone_in_printers]);
    // The Client Portal queue itself holds none of them now.
    let portal_queue = TicketFilter {
        queue: Match::is(CLIENT_PORTAL),
        ..filter()
    };
    assert!(d.numbers("anna", &portal_queue).is_empty());
}

#[test]
fn an_unknown_filter_value_is_an_error_naming_it() {
    let d = Desk::base();
    let anna = d.actor("anna");
    let e = d
        .engine
        .list_tickets(
            &anna,
            &TicketFilter {
                source: Match::is("Carrier pigeon"),
                ..filter()
            },
            &PageRequest::default(),
        )
        .unwrap_err();
    assert!(unknown(&e, "source"));
    assert!(e.to_string().contains("Carrier pigeon"));
}

struct Listed {
    d: Desk,
    a: String,
    b: String,
    c: String,
    f: String,
}

/// a: Level 1, ben, Contoso, "VPN" in the title;
/// b: Printers, In Progress, "toner" in the description;
/// c: Level 1, carl, "firmware" in a note only;
/// f: Fabrikam, Printers, ben.
fn listed() -> Listed {
    let mut d = Desk::base();
    let a = d
        .create(
            "anna",
            NewTicket {
                title: "VPN drops every hour".into(),
                queue: Some("Level 1".into()),
                company: Some("Contoso".into()),
                assign: Some("ben".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let b = d
        .create(
            "anna",
            NewTicket {
                title: "Printer on floor 3".into(),
                description: "It needs new toner cartridges".into(),
                queue: Some("Printers".into()),
                company: Some("Contoso".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let c = d
        .create(
            "anna",
            NewTicket {
                title: "Router".into(),
                queue: Some("Level 1".into()),
                assign: Some("carl".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let f = d
        .create(
            "anna",
            NewTicket {
                title: "Fabrikam scanner".into(),
                queue: Some("Printers".into()),
                company: Some("Fabrikam".into()),
                assign: Some("ben".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let anna = d.actor("anna");
    d.engine
        .update_ticket(
            &anna,
            &b,
            TicketChange {
                status: Some("In Progress".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    d.engine
        .add_note(&anna, &c, "Updated the firmware to 2.1", false)
        .unwrap();
    Listed { d, a, b, c, f }
}

#[test]
fn list_filters_by_queue() {
    let l = listed();
    let q = |name: &str| TicketFilter {
        queue: Match::is(name),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &q("Level 1")), sorted(&[&l.a, &l.c]));
    assert_eq!(l.d.numbers("anna", &q("Printers")), sorted(&[&l.b, &l.f]));
}

#[test]
fn list_filters_by_status() {
    let l = listed();
    let s = |name: &str| TicketFilter {
        status: Match::is(name),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &s("In Progress")), [l.b.as_str()]);
    assert_eq!(l.d.numbers("anna", &s("New")), sorted(&[&l.a, &l.c, &l.f]));
}

#[test]
fn list_filters_by_assigned_resource() {
    let l = listed();
    let a = |login: &str| TicketFilter {
        assigned: Match::is(login),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &a("ben")), sorted(&[&l.a, &l.f]));
    assert_eq!(l.d.numbers("anna", &a("carl")), [l.c.as_str()]);
    assert!(l.d.numbers("anna", &a("anna")).is_empty());
}

#[test]
fn list_filters_by_company() {
    let l = listed();
    let c = |name: &str| TicketFilter {
        company: Match::is(name),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &c("Contoso")), sorted(&[&l.a, &l.b]));
    assert_eq!(l.d.numbers("anna", &c("Fabrikam")), [l.f.as_str()]);
}

#[test]
fn filters_combine() {
    let l = listed();
    let f = TicketFilter {
        queue: Match::is("Printers"),
        assigned: Match::is("ben"),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &f), [l.f.as_str()]);
}

#[test]
fn search_finds_words_in_titles_descriptions_and_notes() {
    let l = listed();
    let s = |text: &str| TicketFilter {
        search: Some(text.into()),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &s("vpn")), [l.a.as_str()]);
    assert_eq!(l.d.numbers("anna", &s("toner")), [l.b.as_str()]);
    assert_eq!(l.d.numbers("anna", &s("firmware")), [l.c.as_str()]);
    // The last word is a prefix; all words must occur.
    assert_eq!(l.d.numbers("anna", &s("firm")), [l.c.as_str()]);
    assert_eq!(l.d.numbers("anna", &s("printer floor")), [l.b.as_str()]);
    assert!(l.d.numbers("anna", &s("printer vpn")).is_empty());
    // Search combines with the other filters.
    let in_level1 = TicketFilter {
        queue: Match::is("Printers"),
        ..s("firmware")
    };
    assert!(l.d.numbers("anna", &in_level1).is_empty());
    // Quotes, brackets and colons are not FTS syntax; operators are plain words.
    assert_eq!(l.d.numbers("anna", &s("\"toner\": (cart")), [l.b.as_str()]);
    assert!(l.d.numbers("anna", &s("toner OR vpn")).is_empty());
}

#[test]
fn search_sees_a_renamed_title_and_not_the_old_one() {
    let l = listed();
    let mut d = l.d;
    let anna = d.actor("anna");
    d.engine
        .update_ticket(
            &anna,
            &l.a,
            TicketChange {
                title: Some("Remote access broken".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    let s = |text: &str| TicketFilter {
        search: Some(text.into()),
        ..filter()
    };
    assert!(d.numbers("anna", &s("vpn")).is_empty());
    assert_eq!(d.numbers("anna", &s("remote")), [l.a.as_str()]);
}

#[test]
fn a_deleted_tickets_words_are_not_found_on_a_later_ticket() {
    let mut d = Desk::base();
    let gone = d.ticket("anna", "Zebra printer").number;
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &gone, "quagga firmware", false)
        .unwrap();
    d.engine.delete_ticket(&anna, &gone).unwrap();
    // The next ticket and note may take the freed row ids.
    let later = d.ticket("anna", "Scanner").number;
    d.engine.add_note(&anna, &later, "all good", false).unwrap();
    let s = |text: &str| TicketFilter {
        search: Some(text.into()),
        ..filter()
    };
    assert!(d.numbers("anna", &s("zebra")).is_empty());
    assert!(d.numbers("anna", &s("quagga")).is_empty());
    assert_eq!(d.numbers("anna", &s("good")), [later.as_str()]);
    assert_eq!(d.numbers("anna", &s("scanner")), [later.as_str()]);
}

#[test]
fn a_taskfire_resource_lists_their_own_desk_only() {
    let mut d = Desk::base();
    let provider = d.ticket("anna", "Provider only").number;
    let own = d.ticket("tom", "Contoso only").number;
    assert_eq!(d.numbers("tom", &filter()), [own.as_str()]);
    assert_eq!(d.numbers("anna", &filter()), [provider]);
    let contoso_it = TicketFilter {
        queue: Match::is("Contoso IT"),
        ..filter()
    };
    assert_eq!(d.numbers("tom", &contoso_it), [own]);
}
