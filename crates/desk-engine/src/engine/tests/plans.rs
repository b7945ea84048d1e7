//! The plans SQLite makes for the statements the engine really runs (heard as they run,
//! then asked `EXPLAIN QUERY PLAN`), on a desk with the planner's statistics as a bulk
//! load leaves them: a company's open tickets newest first, the TUI's list with a company
//! filter, walks its own index in order and counts from it alone (docs/lists.md, "A
//! company's open tickets").

use super::fixture::*;
use crate::Engine;
use crate::model::*;
use crate::store::sql::Value;
use crate::store::sqlite::heard;

/// The plan of one statement, its steps' details on lines of their own.
fn plan(e: &Engine, (sql, args): &(String, Vec<Value>)) -> String {
    e.store()
        .all(&format!("EXPLAIN QUERY PLAN {sql}"), args, |r| r.text(3))
        .unwrap()
        .join("\n")
}

/// The statement among `heard` that reads tickets and has `mark` in it.
fn statement(heard: &[(String, Vec<Value>)], mark: &str) -> (String, Vec<Value>) {
    heard
        .iter()
        .find(|(sql, _)| sql.contains("FROM tickets t") && sql.contains(mark))
        .cloned()
        .unwrap_or_else(|| panic!("no statement with {mark} among {heard:#?}"))
}

const INDEX: &str = "tickets_company_open_by_created";

fn open(company: &str) -> TicketFilter {
    TicketFilter {
        company: Match::is(company),
        open_only: true,
        ..filter()
    }
}

/// The plan of the first page of `f` newest first.
fn list_plan(d: &Desk, anna: &Actor, f: &TicketFilter) -> String {
    let page = PageRequest {
        limit: 62,
        ..PageRequest::default()
    };
    let list = heard(|| d.engine.list_tickets(anna, f, &page).unwrap());
    plan(&d.engine, &statement(&list, "ORDER BY"))
}

/// The first page newest first and the count of `f`, each statement's plan.
fn plans(d: &Desk, anna: &Actor, f: &TicketFilter) -> (String, String) {
    let count = heard(|| d.engine.count_tickets(anna, f).unwrap());
    (
        list_plan(d, anna, f),
        plan(&d.engine, &statement(&count, "count(*)")),
    )
}

/// The open tickets newest first, the TUI's first list: their own index, no sort.
fn assert_open_list_walks_its_index(d: &Desk, anna: &Actor) {
    let open = TicketFilter {
        open_only: true,
        ..filter()
    };
    let list = list_plan(d, anna, &open);
    assert!(
        list.contains("USING INDEX tickets_open_by_created") && !list.contains("TEMP B-TREE"),
        "{list}"
    );
}

#[test]
fn a_company_filter_newest_first_walks_its_index_and_counts_from_it() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(4000, 3).unwrap();
    let anna = d.actor("anna");
    let queue = TicketFilter {
        queue: Match::is("Level 1"),
        ..open("Contoso")
    };
    for f in [
        // `company:fabrikam priority:critical`: before, the open tickets by priority and a
        // sort of all of them; `company:contoso status:new`, and within a queue.
        TicketFilter {
            priority: Match::is("Critical"),
            ..open("Fabrikam")
        },
        TicketFilter {
            status: Match::is("New"),
            ..open("Contoso")
        },
        open("Fabrikam"),
        queue,
    ] {
        let (list, count) = plans(&d, &anna, &f);
        assert!(
            list.contains(&format!("USING INDEX {INDEX} (side=? AND company_id=?)"))
                && !list.contains("TEMP B-TREE"),
            "{f:?}:\n{list}"
        );
        // Every filtered column is in the index: the count reads no ticket row.
        assert!(
            count.contains(&format!(
                "USING COVERING INDEX {INDEX} (side=? AND company_id=?)"
            )),
            "{f:?}:\n{count}"
        );
    }
    // A later page continues in the index from the cursor.
    let f = open("Fabrikam");
    let first = d
        .engine
        .list_tickets(
            &anna,
            &f,
            &PageRequest {
                limit: 20,
                ..PageRequest::default()
            },
        )
        .unwrap();
    let next = PageRequest {
        after: first.next,
        limit: 20,
        sort: None,
    };
    let later = heard(|| d.engine.list_tickets(&anna, &f, &next).unwrap());
    let later = plan(&d.engine, &statement(&later, "ORDER BY"));
    assert!(
        later.contains(&format!(
            "USING INDEX {INDEX} (side=? AND company_id=? AND "
        )),
        "{later}"
    );
}

/// What the index is not for keeps its own plans: closed tickets too (`is:all`), lists
/// without a company (the open tickets newest first among them), and other sorts.
#[test]
fn lists_without_an_open_company_filter_keep_their_indexes() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(2000, 5).unwrap();
    let anna = d.actor("anna");
    let all = TicketFilter {
        open_only: false,
        ..open("Fabrikam")
    };
    let (list, count) = plans(&d, &anna, &all);
    assert!(
        !list.contains(INDEX) && !count.contains(INDEX),
        "{list}\n{count}"
    );
    assert!(count.contains("tickets_count"), "{count}");
    let critical = TicketFilter {
        priority: Match::is("Critical"),
        open_only: true,
        ..filter()
    };
    let (list, count) = plans(&d, &anna, &critical);
    assert!(
        !list.contains(INDEX) && !count.contains(INDEX),
        "{list}\n{count}"
    );
    assert!(count.contains("tickets_count"), "{count}");
    assert_open_list_walks_its_index(&d, &anna);
    // Sorted otherwise, a company's list walks the sort's index, as before.
    let by_due = heard(|| {
        d.engine
            .list_tickets(
                &anna,
                &open("Fabrikam"),
                &PageRequest {
                    sort: Some(Sort::asc(SortField::Due)),
                    ..PageRequest::default()
                },
            )
            .unwrap()
    });
    let by_due = plan(&d.engine, &statement(&by_due, "ORDER BY"));
    assert!(!by_due.contains(INDEX), "{by_due}");
}

/// A store of version 5 (before the index) gains it when opened, with the planner's
/// statistics of it, so its company lists use it at once.
#[test]
fn a_version_5_store_gains_the_index_and_uses_it() {
    let mut d = Desk::base();
    d.engine.generate_demo_tickets(2000, 7).unwrap();
    d.backing.downgrade_to_v5();
    d.set_now(NOW);
    assert!(
        d.dump()
            .starts_with(&format!("user_version {}\n", crate::store::SCHEMA_VERSION))
    );
    let stats = d
        .engine
        .store()
        .int(
            "SELECT count(*) FROM sqlite_stat1 WHERE idx = 'tickets_company_open_by_created'",
            &[],
        )
        .unwrap();
    assert_eq!(stats, 1, "the step measured the new index for the planner");
    let anna = d.actor("anna");
    let (list, count) = plans(&d, &anna, &open("Fabrikam"));
    assert!(
        list.contains(INDEX) && !list.contains("TEMP B-TREE"),
        "{list}"
    );
    assert!(count.contains(INDEX), "{count}");
    assert_open_list_walks_its_index(&d, &anna);
}
