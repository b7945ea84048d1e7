//! Sorting and keyset paging over the whole query (docs/lists.md): every sort, both
//! directions, any page size, gives exactly the full sort, with rows sharing keys.

use super::fixture::*;
use crate::Error;
use crate::domain::number::number_key;
use crate::model::*;
use std::cmp::Ordering;
use std::collections::HashMap;

/// A desk whose tickets share keys in every way: equal titles (in other cases), equal
/// due dates and none, equal creation instants, statuses, priorities, no company. Titles
/// beyond ASCII are not folded (NOCASE on both stores) and sort by their bytes.
fn varied() -> Desk {
    let mut d = Desk::base();
    let titles = [
        "printer", "Printer", "VPN down", "backup", "Badge", "printer", "Éclair", "éclair", "ÄRGER",
    ];
    let dues = [
        Some("2026-12-01T10:00:00Z"),
        None,
        Some("2026-11-30T10:00:00Z"),
        Some("2026-12-01T10:00:00Z"),
        None,
    ];
    let companies = [
        Some("Contoso"),
        None,
        Some("Fabrikam"),
        Some("Northwind"),
        Some("Contoso"),
    ];
    let statuses = [
        "New",
        "In Progress",
        "Complete",
        "Waiting Vendor",
        "New",
        "Waiting Customer",
    ];
    for i in 0..37usize {
        // Three tickets an instant: creation times repeat.
        d.set_now(&format!(
            "2026-11-29T0{}:{:02}:00Z",
            1 + i / 20,
            (i / 3) % 60
        ));
        let t = d.create(
            "anna",
            NewTicket {
                title: titles[i % titles.len()].into(),
                company: companies[i % companies.len()].map(str::to_string),
                priority: Some(PRIORITIES[i % 4].into()),
                due: dues[i % dues.len()].map(str::to_string),
                queue: Some(if i % 4 == 0 { "Printers" } else { "Level 1" }.into()),
                ..NewTicket::default()
            },
        );
        if i % 7 != 0 {
            status(&mut d, &t.number, statuses[i % statuses.len()]);
        }
    }
    // A later change to a few: `updated` differs from `created`.
    d.set_now("2026-11-29T09:00:00Z");
    for t in d.list("anna", &filter()).into_iter().step_by(5) {
        let anna = d.actor("anna");
        d.engine
            .add_note(&anna, &t.number, "looked", false)
            .unwrap();
    }
    d
}

fn ids(d: &Desk) -> HashMap<String, i64> {
    d.engine
        .store()
        .all("SELECT number, id FROM tickets WHERE side = 0", &[], |r| {
            Ok((r.text(0)?, r.int(1)?))
        })
        .unwrap()
        .into_iter()
        .collect()
}

/// The order docs/lists.md promises, computed here from whole tickets.
fn expected(mut all: Vec<Ticket>, sort: Sort, ids: &HashMap<String, i64>) -> Vec<String> {
    let id = |t: &Ticket| ids[&t.number];
    let dir = |o: Ordering| if sort.descending { o.reverse() } else { o };
    let prio = |t: &Ticket| PRIORITIES.iter().position(|p| *p == t.priority);
    all.sort_by(|a, b| {
        let nulls_last = |x: Option<Ordering>, a_has: bool, b_has: bool| match (a_has, b_has) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => x.map_or(Ordering::Equal, dir),
        };
        let key = match sort.field {
            SortField::Number => dir(number_key(&a.number).cmp(&number_key(&b.number))),
            SortField::Due => nulls_last(
                a.due_at.zip(b.due_at).map(|(x, y)| x.cmp(&y)),
                a.due_at.is_some(),
                b.due_at.is_some(),
            ),
            SortField::Priority => dir(prio(a).cmp(&prio(b))),
            SortField::Status => dir(a.status.to_lowercase().cmp(&b.status.to_lowercase())),
            SortField::Created => dir(a.created_at.cmp(&b.created_at)),
            SortField::Updated => dir(a.updated_at.cmp(&b.updated_at)),
            SortField::Company => nulls_last(
                a.company
                    .as_ref()
                    .zip(b.company.as_ref())
                    .map(|(x, y)| x.to_lowercase().cmp(&y.to_lowercase())),
                a.company.is_some(),
                b.company.is_some(),
            ),
            SortField::Title => dir(a
                .title
                .to_ascii_lowercase()
                .cmp(&b.title.to_ascii_lowercase())),
        };
        key.then_with(|| dir(id(a).cmp(&id(b))))
    });
    all.into_iter().map(|t| t.number).collect()
}

fn paged(d: &Desk, f: &TicketFilter, sort: Sort, limit: u32) -> Vec<String> {
    let anna = d.actor("anna");
    let mut out = Vec::new();
    let mut page = PageRequest {
        after: None,
        limit,
        sort: Some(sort),
    };
    loop {
        let p = d.engine.list_tickets(&anna, f, &page).unwrap();
        assert!(p.items.len() <= limit as usize);
        out.extend(p.items.into_iter().map(|t| t.number));
        match p.next {
            // Later pages name no sort: the cursor carries it.
            Some(n) => {
                page.after = Some(n);
                page.sort = None;
            }
            None => return out,
        }
    }
}

#[test]
fn every_sort_pages_in_both_directions_exactly_as_the_full_sort() {
    let d = varied();
    let ids = ids(&d);
    let filters = [
        filter(),
        TicketFilter {
            open_only: true,
            ..filter()
        },
        TicketFilter {
            queue: Match::is("Printers"),
            ..filter()
        },
        TicketFilter {
            company: Match::any(["Contoso".to_string(), "Northwind".into()]),
            status: Match::none(["New".to_string()]),
            ..filter()
        },
    ];
    for f in &filters {
        let all = d.list("anna", f);
        assert!(all.len() > 5, "{f:?}");
        for field in SortField::ALL {
            for sort in [Sort::asc(field), Sort::desc(field)] {
                let want = expected(all.clone(), sort, &ids);
                for limit in [1, 4, 7, 100] {
                    assert_eq!(
                        paged(&d, f, sort, limit),
                        want,
                        "{sort} limit {limit} {f:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn tickets_without_a_due_date_or_company_come_last_both_ways() {
    let d = varied();
    for sort in [
        Sort::asc(SortField::Due),
        Sort::desc(SortField::Due),
        Sort::asc(SortField::Company),
        Sort::desc(SortField::Company),
    ] {
        let list = paged(&d, &filter(), sort, 5);
        let tickets: HashMap<String, Ticket> = d
            .list("anna", &filter())
            .into_iter()
            .map(|t| (t.number.clone(), t))
            .collect();
        let has = |n: &String| match sort.field {
            SortField::Due => tickets[n].due_at.is_some(),
            _ => tickets[n].company.is_some(),
        };
        let first_without = list.iter().position(|n| !has(n)).unwrap();
        assert!(list[first_without..].iter().all(|n| !has(n)), "{sort}");
        assert!(first_without > 0);
    }
}

#[test]
fn a_cursor_continues_only_its_own_sort() {
    let d = varied();
    let anna = d.actor("anna");
    let first = d
        .engine
        .list_tickets(
            &anna,
            &filter(),
            &PageRequest {
                after: None,
                limit: 3,
                sort: Some(Sort::asc(SortField::Due)),
            },
        )
        .unwrap();
    let next = first.next.unwrap();
    // The same sort named again is fine; another one is refused naming the cursor.
    let same = PageRequest {
        after: Some(next.clone()),
        limit: 3,
        sort: Some(Sort::asc(SortField::Due)),
    };
    d.engine.list_tickets(&anna, &filter(), &same).unwrap();
    for other in [
        Sort::desc(SortField::Due),
        Sort::DEFAULT,
        Sort::asc(SortField::Title),
    ] {
        let e = d
            .engine
            .list_tickets(
                &anna,
                &filter(),
                &PageRequest {
                    sort: Some(other),
                    ..same.clone()
                },
            )
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field, message } if field == "after" && message.contains("sorted by due")),
            "{e:?}"
        );
    }
    // A status sort's cursor under a filter without that status.
    let by_status = |f: &TicketFilter, after: Option<String>| {
        d.engine.list_tickets(
            &anna,
            f,
            &PageRequest {
                after,
                limit: 2,
                sort: Some(Sort::asc(SortField::Status)),
            },
        )
    };
    let p = by_status(&filter(), None).unwrap();
    let narrower = TicketFilter {
        open_only: true,
        ..filter()
    };
    let e = by_status(&narrower, p.next).unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "after"),
        "{e:?}"
    );
}

#[test]
fn numbers_sort_as_numbers_past_9999_a_day() {
    let mut d = Desk::base();
    let a = d.ticket("anna", "Before").number;
    // The day's counter as a busy desk leaves it: the next number has five digits.
    d.sql("UPDATE number_days SET last = 9999");
    let b = d.ticket("anna", "After").number;
    assert!(b.ends_with(".10000"), "{b}");
    let c = d.ticket("anna", "Later").number;
    assert_eq!(
        paged(&d, &filter(), Sort::asc(SortField::Number), 2),
        [a, b, c]
    );
}
