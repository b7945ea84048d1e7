//! R2: keyset paging of lists.

use super::fixture::*;
use crate::Error;
use crate::model::*;
use std::collections::BTreeSet;

fn pages(d: &Desk, limit: u32) -> Vec<Page<Ticket>> {
    let anna = d.actor("anna");
    let mut out = Vec::new();
    let mut req = PageRequest {
        sort: None,
        after: None,
        limit,
    };
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
                    sort: None,
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
        queue: Match::is("Printers"),
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
    for after in ["drop table", "-1", "0", "9223372036854775808"] {
        let e = d
            .engine
            .list_tickets(
                &anna,
                &filter(),
                &PageRequest {
                    sort: None,
                    after: Some(after.into()),
                    limit: 5,
                },
            )
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field, .. } if field == "after"),
            "{after}: {e}"
        );
    }
}

#[test]
fn paging_goes_on_past_tickets_created_or_deleted_between_pages() {
    let mut d = Desk::base();
    let made: Vec<String> = (0..9)
        .map(|i| d.ticket("anna", &format!("Ticket {i}")).number)
        .collect();
    let anna = d.actor("anna");
    let first = d
        .engine
        .list_tickets(
            &anna,
            &filter(),
            &PageRequest {
                sort: None,
                after: None,
                limit: 3,
            },
        )
        .unwrap();
    let seen: Vec<&str> = first.items.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(seen, [&made[8], &made[7], &made[6]].map(String::as_str));
    // Meanwhile: a new ticket, and the cursor's own ticket and the next one are deleted.
    d.ticket("anna", "Newer");
    d.engine.delete_ticket(&anna, &made[6]).unwrap();
    d.engine.delete_ticket(&anna, &made[5]).unwrap();
    let mut rest = Vec::new();
    let mut req = PageRequest {
        sort: None,
        after: first.next,
        limit: 3,
    };
    loop {
        let p = d.engine.list_tickets(&anna, &filter(), &req).unwrap();
        rest.extend(p.items.into_iter().map(|t| t.number));
        match p.next {
            Some(n) => req.after = Some(n),
            None => break,
        }
    }
    let expected: Vec<String> = made[..5].iter().rev().cloned().collect();
    assert_eq!(rest, expected);
}

#[test]
fn the_outbox_pages_newest_first_and_refuses_a_cursor_that_is_not_one() {
    let mut d = Desk::base();
    for i in 0..5 {
        d.submit("kim@contoso.example", &format!("Ticket {i}"), "Other");
    }
    let anna = d.actor("anna");
    let all = d.notifications();
    assert_eq!(all.len(), 5);
    let first = d
        .engine
        .notifications(
            &anna,
            &PageRequest {
                sort: None,
                after: None,
                limit: 3,
            },
        )
        .unwrap();
    assert_eq!(first.items, all[..3]);
    let rest = d
        .engine
        .notifications(
            &anna,
            &PageRequest {
                sort: None,
                after: first.next.clone(),
                limit: 3,
            },
        )
        .unwrap();
    assert_eq!(rest.items, all[3..]);
    assert_eq!(rest.next, None);
    for bad in ["x", "-1", "0", ""] {
        let e = d
            .engine
            .notifications(
                &anna,
                &PageRequest {
                    sort: None,
                    after: Some(bad.into()),
                    limit: 3,
                },
            )
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field, .. } if field == "after"),
            "{bad}: {e}"
        );
    }
    let ben_sees_it_too = d
        .engine
        .notifications(&d.actor("ben"), &PageRequest::default());
    assert!(ben_sees_it_too.is_ok());
    let tom = d.actor("tom");
    assert!(
        d.engine
            .notifications(&tom, &PageRequest::default())
            .is_err()
    );
}
