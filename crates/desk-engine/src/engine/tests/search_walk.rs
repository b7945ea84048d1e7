//! A search page walks its sort order in windows rather than gathering every match
//! first (docs/lists.md, "Searching"). Every way of meeting the matches gives exactly
//! the pages gathering gives — the same tickets in the same order, the same cursors, the
//! same counts — in every sort and direction, across pages, for rare and common words
//! and prefixes, with filters, and on the portal (which never finds an internal note).

use super::fixture::*;
use crate::model::*;
use crate::store::search::{SearchWalk, WalkWhen};

/// Windows of a few rows to the end of the list: many windows a page, the matches held,
/// the title words read (where the store keeps them).
pub(super) const TINY: SearchWalk = SearchWalk {
    when: WalkWhen::Always,
    first_look: false,
    window: 1,
    max_window: 3,
    spread: i64::MAX,
    max_matches: usize::MAX,
    budget: usize::MAX,
    title_words: true,
};

/// Every way a page may meet its matches; the first gathers them all.
fn ways() -> Vec<SearchWalk> {
    let tiny = TINY;
    vec![
        SearchWalk::GATHER,
        tiny,
        // One window, then the rest gathered (from where the window ended).
        SearchWalk {
            window: 2,
            max_window: 2,
            budget: 0,
            ..tiny
        },
        // Windows whose ids spread kept by the search's matches (on a store that lists
        // them; else gathered), and gathering whenever they spread.
        SearchWalk {
            window: 4,
            max_window: 16,
            spread: 2,
            ..tiny
        },
        SearchWalk {
            window: 4,
            max_window: 16,
            spread: 2,
            max_matches: 0,
            ..tiny
        },
        // The matches held, and the rest gathered once the walk has read a few rows
        // for each of them.
        SearchWalk {
            window: 1,
            max_window: 2,
            spread: 1,
            budget: 0,
            ..tiny
        },
        // Both: the matches of a rare word are held, a common word's are too many.
        SearchWalk {
            window: 1,
            max_window: 8,
            spread: 1,
            max_matches: 3,
            ..tiny
        },
        // As shipped (the first look decides), and as shipped on any store.
        SearchWalk::default(),
        SearchWalk {
            when: WalkWhen::Always,
            ..SearchWalk::default()
        },
    ]
}

/// A page: its tickets' numbers and its cursor.
pub(super) type Pages = Vec<(Vec<String>, Option<String>)>;

/// Every page of `f` sorted by `sort`, `limit` at a time, as `login`.
pub(super) fn pages(d: &Desk, login: &str, f: &TicketFilter, sort: Sort, limit: u32) -> Pages {
    let a = d.actor(login);
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = PageRequest {
            after: after.take(),
            limit,
            sort: Some(sort),
        };
        let p = d.engine.list_tickets(&a, f, &page).unwrap();
        out.push((
            p.items.iter().map(|t| t.number.clone()).collect(),
            p.next.clone(),
        ));
        assert!(out.len() < 500, "{sort}: the pages never end");
        match p.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

/// Every page of the portal's search for `words` as `contact`, `limit` at a time.
pub(super) fn portal_pages(d: &Desk, contact: &str, words: &str, sort: Sort, limit: u32) -> Pages {
    let a = d.actor(contact);
    let f = PortalFilter {
        state: PortalState::All,
        search: Some(words.into()),
    };
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = PageRequest {
            after: after.take(),
            limit,
            sort: Some(sort),
        };
        let p = d.engine.portal_list(&a, &f, &page).unwrap();
        out.push((
            p.items.iter().map(|t| t.number.clone()).collect(),
            p.next.clone(),
        ));
        assert!(out.len() < 500);
        match p.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

fn sorts() -> Vec<Sort> {
    SortField::ALL
        .into_iter()
        .flat_map(|f| [Sort::asc(f), Sort::desc(f)])
        .collect()
}

/// Generated tickets, and words none of them has: a rare one, one only an internal
/// note holds, and a prefix of more terms than a search spells out.
struct Searched {
    d: Desk,
    rare: String,
    noted: String,
}

fn searched() -> Searched {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(300, 5).unwrap();
    let rare = d.ticket("anna", "Quokka printer on floor 3").number;
    let many: Vec<String> = (1..=40).map(|i| format!("zq{i:02}")).collect();
    d.ticket("anna", &many.join(" "));
    let noted = d
        .submit("kim@contoso.example", "Printer quokka", "Printer")
        .number;
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &noted, "zanzibar: spare part ordered", false)
        .unwrap();
    // Titles that sort apart only ignoring case, or beyond ASCII, or hold two terms
    // of one prefix; and titles that change or go after they were indexed.
    for title in [
        "printer",
        "PRINTER jammed",
        "Printer jammed",
        "Éclair printer",
        "éclair printer",
        "printers printer printed",
        "_printer",
        "Zebra label printer",
    ] {
        d.ticket("anna", title);
    }
    let renamed = d.ticket("anna", "Printer to rename").number;
    let retitle = |d: &mut Desk, number: &str, title: &str| {
        let change = TicketChange {
            title: Some(title.into()),
            ..TicketChange::default()
        };
        d.engine.update_ticket(&anna, number, change).unwrap();
    };
    retitle(&mut d, &renamed, "Scanner offline");
    let monitor = d.ticket("anna", "Monitor flickers").number;
    retitle(&mut d, &monitor, "Aardvark printer");
    retitle(&mut d, &monitor, "Printer aardvark");
    let gone = d.ticket("anna", "Printer gone").number;
    d.engine.delete_ticket(&anna, &gone).unwrap();
    Searched { d, rare, noted }
}

#[test]
fn every_way_pages_a_search_as_gathering_does_in_every_sort() {
    let mut s = searched();
    let words = [
        "printer",
        "print",
        "re",
        "quokka",
        "zanzibar",
        "printer floor",
        "zq",
        "zq0",
        "nothing",
    ];
    for text in words {
        let f = TicketFilter {
            search: Some(text.into()),
            ..filter()
        };
        let anna = s.d.actor("anna");
        let mut gathered: Vec<Pages> = Vec::new();
        for (i, way) in ways().into_iter().enumerate() {
            s.d.engine.set_search_walk(way);
            let count = s.d.engine.count_tickets(&anna, &f).unwrap();
            for (j, sort) in sorts().into_iter().enumerate() {
                let got = pages(&s.d, "anna", &f, sort, 9);
                let listed: usize = got.iter().map(|p| p.0.len()).sum();
                assert_eq!(listed as u64, count, "{text:?} {sort} {way:?}");
                if i == 0 {
                    gathered.push(got);
                } else {
                    assert_eq!(got, gathered[j], "{text:?} {sort} {way:?}");
                }
            }
        }
        let expected = match text {
            "quokka" => 2,
            "zanzibar" | "zq" | "zq0" => 1,
            "nothing" => 0,
            _ => 3,
        };
        let found = gathered[0].iter().map(|p| p.0.len()).sum::<usize>();
        assert!(found >= expected, "{text:?}: {found}");
    }
    // The rare words find their tickets.
    s.d.engine.set_search_walk(SearchWalk::default());
    let f = |t: &str| TicketFilter {
        search: Some(t.into()),
        ..filter()
    };
    assert_eq!(s.d.numbers("anna", &f("zanzibar")), [s.noted.as_str()]);
    assert_eq!(
        s.d.numbers("anna", &f("quokka")),
        sorted(&[&s.rare, &s.noted])
    );
}

#[test]
fn every_way_pages_a_search_as_gathering_does_with_filters() {
    let mut s = searched();
    let filters = [
        TicketFilter {
            open_only: true,
            ..filter()
        },
        TicketFilter {
            queue: Match::is("Level 1"),
            ..filter()
        },
        TicketFilter {
            company: Match::is("Contoso"),
            ..filter()
        },
        TicketFilter {
            status: Match::is("New"),
            priority: Match {
                any_of: vec![],
                none_of: vec!["Low".into()],
            },
            ..filter()
        },
    ];
    for base in filters {
        for text in ["printer", "pass"] {
            let f = TicketFilter {
                search: Some(text.into()),
                ..base.clone()
            };
            let mut gathered: Vec<Pages> = Vec::new();
            for (i, way) in ways().into_iter().enumerate() {
                s.d.engine.set_search_walk(way);
                for (j, sort) in sorts().into_iter().enumerate() {
                    let got = pages(&s.d, "anna", &f, sort, 5);
                    if i == 0 {
                        gathered.push(got);
                    } else {
                        assert_eq!(got, gathered[j], "{f:?} {sort} {way:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_portal_pages_a_search_alike_every_way_and_never_finds_an_internal_note() {
    let mut s = searched();
    for contact in ["kim@contoso.example", "lisa@contoso.example"] {
        for text in ["printer", "quokka", "re", "zanzibar"] {
            let mut gathered: Vec<Pages> = Vec::new();
            for (i, way) in ways().into_iter().enumerate() {
                s.d.engine.set_search_walk(way);
                for (j, sort) in [
                    Sort::DEFAULT,
                    Sort::asc(SortField::Due),
                    Sort::asc(SortField::Title),
                ]
                .into_iter()
                .enumerate()
                {
                    let got = portal_pages(&s.d, contact, text, sort, 4);
                    if text == "zanzibar" {
                        assert_eq!(got, [(vec![], None)], "{contact} {way:?}");
                    }
                    if i == 0 {
                        gathered.push(got);
                    } else {
                        assert_eq!(got, gathered[j], "{contact} {text:?} {sort} {way:?}");
                    }
                }
            }
        }
    }
    // Kim's own ticket is found by its public words.
    let kim = portal_pages(&s.d, "kim@contoso.example", "quokka", Sort::DEFAULT, 4);
    assert_eq!(kim, [(vec![s.noted.clone()], None)]);
}
