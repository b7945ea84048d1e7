//! Keyset paging's promise, measured in SQLite's own steps (not time): a page deep in a
//! list costs what the first page costs, for every sort, and a count of the open
//! tickets of a queue costs nothing (docs/lists.md).

use super::fixture::*;
use crate::Engine;
use crate::model::*;

/// The fewest steps (to the budget's thousand) that `f` runs in. Every try either
/// runs or is stopped by the budget, and a stopped read leaves the engine as it was:
/// a budget that ran out inside the read's COMMIT once left its transaction open, and
/// every read after it was refused ("a transaction is already open").
fn steps<T>(e: &mut Engine, f: impl Fn(&mut Engine) -> crate::Result<T>) -> u32 {
    let (mut lo, mut hi) = (1_000u32, 64_000_000u32);
    let within = |e: &mut Engine, budget: u32| match e.within_budget(budget, &f) {
        Ok(_) => true,
        Err(crate::Error::OverBudget { .. }) => false,
        Err(other) => panic!("a read within {budget} steps failed: {other}"),
    };
    assert!(within(e, hi), "over {hi} steps");
    while hi - lo > 1_000 {
        let mid = lo + (hi - lo) / 2;
        if within(e, mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

fn page(sort: Sort, after: Option<String>, limit: u32) -> PageRequest {
    PageRequest {
        after,
        limit,
        sort: Some(sort),
    }
}

#[test]
fn a_deep_page_costs_what_the_first_page_costs_in_every_sort() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(4000, 3).unwrap();
    let anna = d.actor("anna");
    let all = filter();
    let open = TicketFilter {
        open_only: true,
        ..filter()
    };
    // What touching every ticket once costs, for scale (every generated description
    // says "reported"): a page must stay far below it.
    let every = TicketFilter {
        search: Some("reported".into()),
        ..filter()
    };
    assert!(d.engine.count_tickets(&anna, &every).unwrap() >= 4000);
    let walk = steps(&mut d.engine, |e| e.count_tickets(&anna, &every));
    for f in [&all, &open] {
        for field in SortField::ALL {
            for sort in [Sort::asc(field), Sort::desc(field)] {
                // A cursor most of the way down the list.
                let mut after = None;
                for _ in 0..3 {
                    let p = if f.open_only { 30 } else { 900 };
                    let pg = d
                        .engine
                        .list_tickets(&anna, f, &page(sort, after, p))
                        .unwrap();
                    after = pg.next;
                }
                let first = steps(&mut d.engine, |e| {
                    e.list_tickets(&anna, f, &page(sort, None, 50))
                });
                let deep = steps(&mut d.engine, |e| {
                    e.list_tickets(&anna, f, &page(sort, after.clone(), 50))
                });
                assert!(
                    first * 4 < walk,
                    "{sort}: a first page of {first} steps, a walk {walk}"
                );
                assert!(
                    deep <= first * 2 + 20_000,
                    "{sort} open {}: first page {first} steps, deep page {deep}",
                    f.open_only
                );
            }
        }
    }
}

#[test]
fn kept_counts_cost_no_scan() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(3000, 5).unwrap();
    let anna = d.actor("anna");
    let queue_open = TicketFilter {
        queue: Match::is("Level 1"),
        open_only: true,
        ..filter()
    };
    let inbox = TicketFilter {
        unseen_only: true,
        ..filter()
    };
    for f in [&queue_open, &inbox] {
        assert!(d.engine.count_tickets(&anna, f).unwrap() > 10, "{f:?}");
        assert!(
            d.engine
                .within_budget(1_000, |e| e.count_tickets(&anna, f))
                .is_ok(),
            "{f:?}"
        );
    }
    // Another filter counts an index: more steps, still the same answer as a list.
    let high = TicketFilter {
        priority: Match::any(["High".to_string(), "Critical".into()]),
        ..queue_open.clone()
    };
    let n = d.engine.count_tickets(&anna, &high).unwrap();
    assert_eq!(n, d.list("anna", &high).len() as u64);
}

/// A search page walks its order and asks the search index about a window of rows at a
/// time (docs/lists.md, "Searching"): it reads far fewer steps than the count, which
/// meets every match; gathering, as pages did before, reads about as many.
#[test]
fn a_search_page_reads_a_window_not_every_match() {
    use crate::store::search::SearchWalk;
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(4000, 3).unwrap();
    let anna = d.actor("anna");
    // Every generated description says "reported" (so "rep" finds every ticket too).
    for text in ["reported", "rep"] {
        let f = TicketFilter {
            search: Some(text.into()),
            ..filter()
        };
        let every = steps(&mut d.engine, |e| e.count_tickets(&anna, &f));
        // How many times cheaper than the count a page is, at least: where ids follow
        // the order, a window's id range holds about its own rows; a key of four values
        // (priority) spreads a window's ids over about seven times as many tickets.
        let sorts = [
            (Sort::DEFAULT, 4),
            (Sort::asc(SortField::Created), 4),
            (Sort::desc(SortField::Updated), 4),
            (Sort::asc(SortField::Number), 4),
            (Sort::asc(SortField::Due), 2),
            (Sort::desc(SortField::Priority), 2),
        ];
        for (sort, cheaper) in sorts {
            let page = steps(&mut d.engine, |e| {
                e.list_tickets(&anna, &f, &page(sort, None, 50))
            });
            assert!(
                page * cheaper < every,
                "{text} {sort}: a page of {page} steps, the count {every}"
            );
        }
        d.engine.set_search_walk(SearchWalk::GATHER);
        let gathered = steps(&mut d.engine, |e| {
            e.list_tickets(&anna, &f, &page(Sort::DEFAULT, None, 50))
        });
        assert!(
            gathered * 2 > every,
            "{text}: gathered in {gathered} steps, the count {every}"
        );
        d.engine.set_search_walk(SearchWalk::default());
    }
}
