//! R2: lists filter by source (and queue, status, assignee, company, words), with keyset
//! paging.

use super::fixture::*;
use crate::Error;
use crate::model::*;
use std::collections::BTreeSet;

fn filter() -> TicketFilter {
    TicketFilter::default()
}

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
        source: Some(CLIENT_PORTAL.into()),
        ..filter()
    };
    let mut expected = vec![in_printers.clone(), in_portal.clone()];
    expected.sort();
    assert_eq!(d.numbers("anna", &by_source), expected);
    let portal_in_printers = TicketFilter {
        queue: Some("Printers".into()),
        ..by_source.clone()
    };
    assert_eq!(
        d.numbers("anna", &portal_in_printers),
        [in_printers.as_str()]
    );
    let phone = TicketFilter {
        source: Some("Phone".into()),
        ..filter()
    };
    assert_eq!(d.numbers("anna", &phone), [phone_in_printers]);
    // The Client Portal queue itself holds none of them now.
    let portal_queue = TicketFilter {
        queue: Some(CLIENT_PORTAL.into()),
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
                source: Some("Carrier pigeon".into()),
                ..filter()
            },
            &PageRequest::default(),
        )
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { what: "source", .. }));
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

fn sorted(v: &[&String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn list_filters_by_queue() {
    let l = listed();
    let q = |name: &str| TicketFilter {
        queue: Some(name.into()),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &q("Level 1")), sorted(&[&l.a, &l.c]));
    assert_eq!(l.d.numbers("anna", &q("Printers")), sorted(&[&l.b, &l.f]));
}

#[test]
fn list_filters_by_status() {
    let l = listed();
    let s = |name: &str| TicketFilter {
        status: Some(name.into()),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &s("In Progress")), [l.b.as_str()]);
    assert_eq!(l.d.numbers("anna", &s("New")), sorted(&[&l.a, &l.c, &l.f]));
}

#[test]
fn list_filters_by_assigned_resource() {
    let l = listed();
    let a = |login: &str| TicketFilter {
        assigned: Some(login.into()),
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
        company: Some(name.into()),
        ..filter()
    };
    assert_eq!(l.d.numbers("anna", &c("Contoso")), sorted(&[&l.a, &l.b]));
    assert_eq!(l.d.numbers("anna", &c("Fabrikam")), [l.f.as_str()]);
}

#[test]
fn filters_combine() {
    let l = listed();
    let f = TicketFilter {
        queue: Some("Printers".into()),
        assigned: Some("ben".into()),
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
        queue: Some("Printers".into()),
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

fn pages(d: &Desk, limit: u32) -> Vec<Page<Ticket>> {
    let anna = d.actor("anna");
    let mut out = Vec::new();
    let mut req = PageRequest { after: None, limit };
    loop {
        let p = d.engine.list_tickets(&anna, &filter(), &req).unwrap();
        let next = p.next.clone();
        out.push(p);
        match next {
            Some(n) => req.after = Some(n),
            None => return out,
        }
    }
}

#[test]
fn keyset_pages_neither_overlap_nor_skip_and_end_with_no_next() {
    let mut d = Desk::base();
    for i in 0..23 {
        d.ticket("anna", &format!("Ticket {i}"));
    }
    let everything: Vec<String> = {
        let anna = d.actor("anna");
        let p = d
            .engine
            .list_tickets(
                &anna,
                &filter(),
                &PageRequest {
                    after: None,
                    limit: 100,
                },
            )
            .unwrap();
        assert!(p.next.is_none());
        p.items.into_iter().map(|t| t.number).collect()
    };
    assert_eq!(everything.len(), 23);
    for limit in [1, 5, 7, 23] {
        let ps = pages(&d, limit);
        let sizes: Vec<usize> = ps.iter().map(|p| p.items.len()).collect();
        assert!(
            sizes.iter().all(|s| *s <= limit as usize && *s > 0),
            "{sizes:?}"
        );
        assert_eq!(ps.len(), 23_usize.div_ceil(limit as usize), "limit {limit}");
        let concatenated: Vec<String> = ps
            .into_iter()
            .flat_map(|p| p.items)
            .map(|t| t.number)
            .collect();
        assert_eq!(concatenated, everything, "limit {limit}");
        let unique: BTreeSet<&String> = concatenated.iter().collect();
        assert_eq!(unique.len(), 23);
    }
}

#[test]
fn a_page_that_ends_exactly_at_the_last_ticket_has_no_next() {
    let mut d = Desk::base();
    for i in 0..10 {
        d.ticket("anna", &format!("Ticket {i}"));
    }
    let ps = pages(&d, 5);
    assert_eq!(ps.len(), 2);
    assert!(ps[0].next.is_some());
    assert!(ps[1].next.is_none());
    assert_eq!(ps[1].items.len(), 5);
}

#[test]
fn paging_a_filtered_list_keeps_the_filter() {
    let mut d = Desk::base();
    for i in 0..12 {
        let queue = if i % 3 == 0 { "Printers" } else { "Level 1" };
        d.create(
            "anna",
            NewTicket {
                title: format!("Ticket {i}"),
                queue: Some(queue.into()),
                ..NewTicket::default()
            },
        );
    }
    let f = TicketFilter {
        queue: Some("Printers".into()),
        ..filter()
    };
    let listed = d.list("anna", &f);
    assert_eq!(listed.len(), 4);
    assert!(listed.iter().all(|t| t.queue == "Printers"));
}

#[test]
fn a_cursor_that_is_not_one_is_refused() {
    let d = Desk::base();
    let anna = d.actor("anna");
    let e = d
        .engine
        .list_tickets(
            &anna,
            &filter(),
            &PageRequest {
                after: Some("drop table".into()),
                limit: 5,
            },
        )
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { field, .. } if field == "cursor"));
}

#[test]
fn a_taskfire_resource_lists_their_own_desk_only() {
    let mut d = Desk::base();
    let provider = d.ticket("anna", "Provider only").number;
    let own = d.ticket("tom", "Contoso only").number;
    assert_eq!(d.numbers("tom", &filter()), [own.as_str()]);
    assert_eq!(d.numbers("anna", &filter()), [provider]);
    let contoso_it = TicketFilter {
        queue: Some("Contoso IT".into()),
        ..filter()
    };
    assert_eq!(d.numbers("tom", &contoso_it), [own]);
}
