//! The SQLite store's title words (docs/lists.md, "Searching by title"): they are
//! exactly the terms of every ticket's title as it is now (after a bulk load, creates,
//! renames and deletions, and after the step 6 -> 7 filled them); a title-sorted search
//! reads them along their key, never sorting; and a row that disagrees with its
//! ticket's title is never shown.

use std::collections::BTreeSet;

use super::fixture::*;
use super::search_walk::{TINY, pages, portal_pages};
use crate::model::*;
use crate::store::search::SearchWalk;
use crate::store::sqlite::heard;
use crate::store::words::Words;

/// Title words as (side, term, title, id).
type TitleWords = BTreeSet<(i64, String, String, i64)>;

/// Every title word the store keeps, and those the tickets' titles say it should.
fn words_and_titles(d: &Desk) -> (TitleWords, TitleWords) {
    let db = d.engine.store();
    let kept = db
        .all("SELECT side, term, title, id FROM title_words", &[], |r| {
            Ok((r.int(0)?, r.text(1)?, r.text(2)?, r.int(3)?))
        })
        .unwrap();
    let tickets = db
        .all("SELECT id, side, title FROM tickets", &[], |r| {
            Ok((r.int(0)?, r.int(1)?, r.text(2)?))
        })
        .unwrap();
    let words = Words::new();
    let mut wanted = BTreeSet::new();
    for (id, side, title) in tickets {
        for term in words.terms(&title).unwrap() {
            wanted.insert((side, term, title.clone(), id));
        }
    }
    (kept.into_iter().collect(), wanted)
}

fn desk() -> (Desk, String, String) {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(300, 5).unwrap();
    let anna = d.actor("anna");
    let renamed = d.ticket("anna", "Printer to rename").number;
    let change = TicketChange {
        title: Some("Scanner offline".into()),
        ..TicketChange::default()
    };
    d.engine.update_ticket(&anna, &renamed, change).unwrap();
    let gone = d.ticket("anna", "Printer gone Ärger").number;
    d.engine.delete_ticket(&anna, &gone).unwrap();
    d.ticket("anna", "printers Printer PRINTED");
    (d, renamed, gone)
}

fn by_title(d: &Desk, text: &str) -> Vec<String> {
    let f = TicketFilter {
        search: Some(text.into()),
        ..filter()
    };
    let a = d.actor("anna");
    let page = PageRequest {
        limit: 200,
        sort: Some(Sort::asc(SortField::Title)),
        ..PageRequest::default()
    };
    let p = d.engine.list_tickets(&a, &f, &page).unwrap();
    p.items.iter().map(|t| t.number.clone()).collect()
}

#[test]
fn title_words_are_the_terms_of_every_title_as_it_is_now() {
    let (d, renamed, gone) = desk();
    let (kept, wanted) = words_and_titles(&d);
    assert!(wanted.len() > 900, "{}", wanted.len());
    assert_eq!(kept, wanted);
    let indexed = d
        .engine
        .store()
        .int(
            "SELECT count(*) FROM title_indexed i JOIN tickets t ON t.id = i.id AND t.title = i.title",
            &[],
        )
        .unwrap();
    let tickets = d
        .engine
        .store()
        .int("SELECT count(*) FROM tickets", &[])
        .unwrap();
    assert_eq!(indexed, tickets);
    // The renamed ticket is no longer found by its old title's words; the deleted one
    // not at all.
    assert!(!by_title(&d, "rename").contains(&renamed));
    assert!(by_title(&d, "scanner").contains(&renamed));
    assert!(!by_title(&d, "gone").contains(&gone));
}

#[test]
fn the_step_6_to_7_fills_the_title_words_and_pages_stay_the_same() {
    let (mut d, _, _) = desk();
    let before = ["printer", "print", "scanner", "printer offline"].map(|w| by_title(&d, w));
    d.backing.downgrade_to_v6();
    d.set_now(NOW);
    assert!(
        d.dump()
            .starts_with(&format!("user_version {}\n", crate::store::SCHEMA_VERSION))
    );
    let (kept, wanted) = words_and_titles(&d);
    assert_eq!(kept, wanted);
    let after = ["printer", "print", "scanner", "printer offline"].map(|w| by_title(&d, w));
    assert_eq!(after, before);
}

#[test]
fn a_title_sorted_search_reads_its_title_words_along_their_key() {
    let (mut d, _, _) = desk();
    // As on a big desk: the search finds too many tickets to gather them.
    d.engine.set_search_walk(SearchWalk {
        first_look: false,
        ..SearchWalk::default()
    });
    let a = d.actor("anna");
    let f = TicketFilter {
        search: Some("printer".into()),
        ..filter()
    };
    for sort in [Sort::asc(SortField::Title), Sort::desc(SortField::Title)] {
        let first = PageRequest {
            limit: 5,
            sort: Some(sort),
            ..PageRequest::default()
        };
        let mut next = None;
        let statements = heard(|| {
            next = d.engine.list_tickets(&a, &f, &first).unwrap().next;
        });
        let second = PageRequest {
            after: next,
            ..first
        };
        let statements2 = heard(|| {
            d.engine.list_tickets(&a, &f, &second).unwrap();
        });
        for (label, heard) in [("first", statements), ("second", statements2)] {
            let reads: Vec<_> = heard
                .iter()
                .filter(|(sql, _)| sql.contains("FROM title_words"))
                .collect();
            assert!(!reads.is_empty(), "{sort} {label}: {heard:#?}");
            for (sql, args) in reads {
                let plan = d
                    .engine
                    .store()
                    .all(&format!("EXPLAIN QUERY PLAN {sql}"), args, |r| r.text(3))
                    .unwrap()
                    .join("\n");
                assert!(
                    plan.contains("USING PRIMARY KEY") && !plan.contains("TEMP B-TREE"),
                    "{sort} {label}: {plan}"
                );
                if label == "second" && sql.contains("ORDER BY") {
                    assert!(plan.contains("(title,id)"), "{sort}: {plan}");
                }
            }
        }
    }
}

#[test]
fn a_title_word_that_disagrees_with_its_tickets_title_is_never_shown() {
    let (d, _, _) = desk();
    let (plain, number) = d
        .engine
        .store()
        .all(
            "SELECT id, number FROM tickets WHERE title = 'Scanner offline'",
            &[],
            |r| Ok((r.int(0)?, r.text(1)?)),
        )
        .unwrap()[0]
        .clone();
    d.sql(&format!(
        "INSERT INTO title_words (side, term, title, id) VALUES (0, 'printer', 'Aaa printer', {plain})"
    ));
    let found = by_title(&d, "printer");
    assert!(!found.is_empty());
    assert!(!found.contains(&number), "{found:?}");
}

/// Random titles from words alike but for case, prefix or accent, random renames and
/// deletions: every title-sorted page, both directions, several page sizes, staff and
/// portal, with and without a filter, is what gathering gives, in ways that read the
/// title words (checked) with windows of a few rows, matches not held, or few held.
#[test]
fn random_titles_renames_and_deletions_page_by_title_as_gathering_does() {
    let mut d = Desk::base();
    let mut rng = fastrand::Rng::with_seed(11);
    let vocab = [
        "printer", "Printer", "PRINTER", "printers", "Printed", "print", "jam", "Jam", "floor",
        "aa", "Zz", "_x", "[y", "Éclair", "éclair", "prin", "a", "B",
    ];
    let mut numbers = Vec::new();
    for i in 0..120 {
        let n = rng.usize(1..4);
        let title: Vec<&str> = (0..n).map(|_| vocab[rng.usize(0..vocab.len())]).collect();
        let desc: Vec<&str> = (0..rng.usize(0..3))
            .map(|_| vocab[rng.usize(0..vocab.len())])
            .collect();
        let t = d.create(
            "anna",
            NewTicket {
                title: title.join(" "),
                description: desc.join(" "),
                company: if i % 3 == 0 {
                    None
                } else {
                    Some("Contoso".into())
                },
                ..NewTicket::default()
            },
        );
        numbers.push(t.number);
    }
    // Renames and deletions.
    let anna = d.actor("anna");
    for k in 0..30 {
        let num = &numbers[rng.usize(0..numbers.len())];
        let n = rng.usize(1..4);
        let title: Vec<&str> = (0..n).map(|_| vocab[rng.usize(0..vocab.len())]).collect();
        let change = TicketChange {
            title: Some(title.join(" ")),
            ..TicketChange::default()
        };
        let _ = d.engine.update_ticket(&anna, num, change);
        if k % 5 == 0 {
            let _ = d
                .engine
                .delete_ticket(&anna, &numbers[rng.usize(0..numbers.len())]);
        }
    }
    let tiny = TINY;
    let ways = [
        tiny,
        SearchWalk {
            max_matches: 0,
            ..tiny
        },
        SearchWalk {
            window: 2,
            max_window: 5,
            max_matches: 3,
            ..tiny
        },
        SearchWalk {
            first_look: false,
            ..SearchWalk::default()
        },
    ];
    let texts = [
        "printer",
        "print",
        "prin",
        "printer jam",
        "jam printer",
        "jam",
        "aa",
        "a",
        "eclair",
        "printed floor",
        "x",
        "b pr",
        "pr",
    ];
    for text in texts {
        for base in [
            filter(),
            TicketFilter {
                open_only: true,
                ..filter()
            },
        ] {
            let f = TicketFilter {
                search: Some(text.into()),
                ..base
            };
            for sort in [Sort::asc(SortField::Title), Sort::desc(SortField::Title)] {
                for limit in [1u32, 2, 3, 7] {
                    d.engine.set_search_walk(SearchWalk::GATHER);
                    let want = pages(&d, "anna", &f, sort, limit);
                    let want_p = portal_pages(&d, "kim@contoso.example", text, sort, limit);
                    for way in ways {
                        d.engine.set_search_walk(way);
                        let heard = crate::store::sqlite::heard(|| {
                            pages(&d, "anna", &f, sort, limit);
                        });
                        if text == "printer" && way == tiny {
                            assert!(
                                heard.iter().any(|(s, _)| s.contains("FROM title_words t")),
                                "not used"
                            );
                        }
                        assert_eq!(
                            pages(&d, "anna", &f, sort, limit),
                            want,
                            "{text:?} {sort} {limit} {way:?}"
                        );
                        assert_eq!(
                            portal_pages(&d, "kim@contoso.example", text, sort, limit),
                            want_p,
                            "portal {text:?} {sort} {limit} {way:?}"
                        );
                    }
                }
            }
        }
    }
}
