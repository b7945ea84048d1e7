//! Lists: the query through the filter bar, sorting and paging by the backend over the
//! whole query, counts, the inbox, marks that belong to a list.

use desk_engine::model::CLIENT_PORTAL;

use super::*;
use crate::tui::state::Popup;

/// `o` sorts by the next field and `O` reverses, by the backend over the whole query
/// (not just the loaded page), written into the query so that a view keeps it.
#[tokio::test]
async fn sorting_is_the_backends_over_the_whole_query() {
    use desk_engine::model::{PageRequest, Sort, SortField, TicketFilter};
    let (mut h, _) = staff_with_ticket("anna").await;
    h.state.list_limit = 5;
    // from the default (newest first), o sorts by due: the most overdue first
    h.keys("o").await;
    assert_eq!(h.state.query, "sort:due");
    assert_eq!(h.state.list.sort, Sort::asc(SortField::Due));
    assert_eq!(h.state.list.tickets.len(), 5, "one page");
    // the first page is the first of the whole query's order, by the backend's reckoning
    let open = TicketFilter {
        open_only: true,
        ..TicketFilter::default()
    };
    let page = PageRequest {
        after: None,
        limit: 5,
        sort: Some(Sort::asc(SortField::Due)),
    };
    let want = h.backend.list_tickets(open.clone(), page).await.unwrap();
    let got: Vec<_> = h
        .state
        .list
        .tickets
        .iter()
        .map(|t| t.number.clone())
        .collect();
    let want: Vec<_> = want.items.iter().map(|t| t.number.clone()).collect();
    assert_eq!(got, want);
    let dues: Vec<_> = h.state.list.tickets.iter().map(|t| t.due_at).collect();
    assert!(
        dues.windows(2).all(|w| match (w[0], w[1]) {
            (Some(a), Some(b)) => a <= b,
            (_, None) => true,
            (None, Some(_)) => false,
        }),
        "{dues:?}"
    );
    let screen = h.screen(160, 48);
    assert!(
        screen.contains("by due▲") && screen.contains("due▲"),
        "{screen}"
    );
    let total = h.backend.count_tickets(open).await.unwrap();
    assert!(
        screen.contains(&format!("5 of {total}")),
        "the whole query's count: {screen}"
    );
    // reversed: descending, and past the loaded rows the next page comes in that order
    h.keys("O").await;
    assert_eq!(h.state.query, "sort:-due");
    h.keys("G").await;
    assert_eq!(h.state.list.tickets.len() as u64, total.min(10));
    // saved with a view, and a view's sort applies when it is selected
    h.keys("V").await;
    h.type_text("Due last").await;
    h.keys("enter").await;
    assert_eq!(
        h.state
            .views
            .last()
            .map(|v| (v.name.as_str(), v.query.as_str())),
        Some(("Due last", "sort:-due"))
    );
    h.keys("x").await;
    assert_eq!(h.state.list.sort, Sort::desc(SortField::Created));
    h.keys("backtab G enter").await;
    assert_eq!(h.state.list.title, "Due last");
    assert_eq!(h.state.list.sort, Sort::desc(SortField::Due));
}

#[tokio::test]
async fn reaching_the_end_of_the_list_loads_the_next_page() {
    let (mut h, _) = staff_with_ticket("anna").await;
    let all = h.state.list.tickets.len();
    assert!(all > 8, "{all}");
    h.state.list_limit = 4;
    // A new list (here: the same filter again) starts with one page.
    h.keys("/ enter").await;
    assert_eq!(h.state.list.tickets.len(), 4);
    assert!(
        h.screen(80, 24).contains(&format!("· 4 of {all} ·")),
        "{}",
        h.screen(80, 24)
    );
    h.keys("G").await;
    assert_eq!(h.state.list.tickets.len(), 8);
    assert_eq!(h.state.list.selected, 3, "the cursor stays where it was");
    for _ in 0..all {
        h.keys("j").await;
    }
    assert_eq!(h.state.list.tickets.len(), all);
    assert!(h.state.list.next.is_none());
    // a live refresh does not cut the grown list back to one page, and it reloads all
    // of it: a change someone else made far down shows
    let last = h.state.list.tickets.last().unwrap().number.clone();
    let other = backend(&h.dir, "ben");
    let mut change = desk_engine::model::TicketChange {
        status: Some("Waiting Customer".into()),
        ..Default::default()
    };
    change.expected_version = Some(h.fresh(&last).await.version);
    other.update_ticket(last.clone(), change).await.unwrap();
    h.keys("r").await;
    assert_eq!(h.state.list.tickets.len(), all);
    let shown = h
        .state
        .list
        .tickets
        .iter()
        .find(|t| t.number == last)
        .unwrap();
    assert_eq!(shown.status, "Waiting Customer");
}

#[tokio::test]
async fn filter_query_maps_to_the_backend_filter() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.keys("/").await;
    h.type_text("source:\"client portal\" status:new").await;
    h.keys("enter").await;
    assert!(!h.state.list.tickets.is_empty());
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .all(|t| t.source == CLIENT_PORTAL && t.status == "New")
    );
    // a bad query keeps the bar open and says what is wrong
    h.keys("/").await;
    h.type_text(" colour:red").await;
    h.keys("enter").await;
    match h.state.popups.last() {
        Some(Popup::Filter(f)) => assert!(f.error.as_deref().unwrap_or("").contains("colour")),
        other => panic!("{other:?}"),
    }
    h.keys("esc x").await;
    assert!(h.state.query.is_empty());
    // a number finds the ticket wherever it is
    h.find(&n).await;
    assert_eq!(h.state.list.tickets.len(), 1);
    // a number that names nothing shows nothing, not the list from before
    h.keys("/").await;
    h.clear_input().await;
    h.type_text("T20991129.0001").await;
    h.keys("enter").await;
    assert!(h.state.list.tickets.is_empty());
    assert_eq!(h.state.list.title, "No such ticket");
    // words search titles, descriptions and notes; company narrows
    h.keys("/").await;
    h.clear_input().await;
    h.type_text("company:contoso printer").await;
    h.keys("enter").await;
    assert!(h.state.list.tickets.iter().any(|t| t.number == n));
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .all(|t| t.company.as_deref() == Some("Contoso"))
    );
}

/// The inbox: a portal note marks the ticket for every technician, counted per queue;
/// opening it clears it for the one who opened it only, locally as through the engine.
#[tokio::test]
async fn the_inbox_marks_news_and_opening_clears_it_for_me_only() {
    let dir = store(0);
    let t = contoso_ticket(&backend(&dir, "anna"), "Printer jams").await;
    backend(&dir, "lisa@contoso.example")
        .portal_note(t.number.clone(), "Still jammed.".into())
        .await
        .unwrap();
    let mut h = Harness::open(dir, "anna").await;
    let row = h
        .state
        .list
        .tickets
        .iter()
        .find(|x| x.number == t.number)
        .unwrap();
    assert!(row.unseen);
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Inbox") && screen.contains("• news (inbox)"),
        "{screen}"
    );
    let l1 = screen.lines().find(|l| l.contains("Level 1")).unwrap();
    assert!(l1.contains("•1"), "counted per queue: {l1}");
    // the Inbox entry lists it
    h.keys("backtab j").await;
    assert_eq!(h.state.list.title, "Inbox");
    snap("inbox", &h.state);
    assert_eq!(h.state.list.tickets.len(), 1);
    // opening it (enter on the list) clears it, for anna
    h.keys("enter enter").await;
    assert!(!h.ticket().unseen);
    let again = h.fresh(&t.number).await;
    assert!(!again.unseen, "the engine keeps it per technician");
    assert_eq!(
        again.version,
        t.version + 1,
        "seeing changes nothing of the ticket (the note did)"
    );
    let chen = backend(&h.dir, "chen")
        .ticket(t.number.clone())
        .await
        .unwrap();
    assert!(chen.unseen, "chen has not seen it");
    h.keys("r").await;
    assert!(h.state.list.tickets.is_empty(), "the inbox is empty now");
}

/// The query language's additions through the filter bar: lists, negation, me, none,
/// due>; a field-like token that is none is an error in the bar, never a search word.
#[tokio::test]
async fn the_filter_bar_takes_lists_negation_me_none_and_refuses_field_like_words() {
    let dir = store(40);
    let mut h = Harness::open(dir, "anna").await;
    let apply = |q: &'static str| q;
    h.keys("/").await;
    h.type_text(apply("priority:high,critical -status:new assigned:me,none"))
        .await;
    h.keys("enter").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    for t in &h.state.list.tickets {
        assert!(
            ["High", "Critical"].contains(&t.priority.as_str()),
            "{}",
            t.priority
        );
        assert_ne!(t.status, "New");
        assert!(t.assigned.is_none() || t.assigned.as_deref() == Some("anna"));
    }
    for bad in [
        "due>7x",
        "colour:red",
        "source:Client Portal",
        "-printer",
        "prio>high",
    ] {
        h.keys("/").await;
        h.clear_input().await;
        h.type_text(bad).await;
        h.keys("enter").await;
        let Some(Popup::Filter(f)) = h.state.popups.last() else {
            panic!("{bad} was applied")
        };
        let e = f.error.clone().unwrap_or_default();
        assert!(!e.is_empty(), "{bad}");
        h.keys("esc").await;
    }
    h.keys("/").await;
    h.clear_input().await;
    h.type_text("source:Client Portal").await;
    h.keys("enter").await;
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("needs quotes: source:\"Client Portal\""),
        "{screen}"
    );
}

/// Marks belong to the list they were made on: another list drops them, saying so, so
/// that no marked ticket out of sight is changed.
#[tokio::test]
async fn another_list_drops_the_marks_and_says_so() {
    let dir = store(20);
    let mut h = Harness::open(dir, "chen").await;
    h.keys("space space").await;
    assert_eq!(h.state.marks.len(), 2);
    h.keys("r").await;
    assert_eq!(
        h.state.marks.len(),
        2,
        "a refresh of the same list keeps them"
    );
    h.keys("/").await;
    h.type_text("priority:high").await;
    h.keys("enter").await;
    assert!(h.state.marks.is_empty());
    assert!(
        h.state
            .message
            .as_ref()
            .is_some_and(|m| m.text.contains("2 marks cleared"))
    );
}

/// A page is what the terminal can show and a little more: a 24-row terminal asks for
/// 36 tickets, a 48-row one for 60; the rest comes as the cursor reaches the end.
#[tokio::test]
async fn a_page_is_sized_to_the_terminal() {
    let (mut h, _) = staff_with_ticket("anna").await;
    update::handle(&mut h.state, AppEvent::Resize(24));
    assert_eq!(h.state.list_limit, 36);
    update::handle(&mut h.state, AppEvent::Resize(48));
    assert_eq!(h.state.list_limit, 60);
    update::handle(&mut h.state, AppEvent::Resize(2));
    assert_eq!(
        h.state.list_limit, 30,
        "never a page too small to page through"
    );
    update::handle(&mut h.state, AppEvent::Resize(1000));
    assert_eq!(h.state.list_limit, 200);
}

/// The examples a user is shown: the filter bar's, each of the `?` query page (several
/// to a line, two spaces apart), and docs/tui.md's ("The query": its example and the
/// first column of its table).
fn shown_examples() -> Vec<String> {
    let mut out = vec![crate::tui::popup::filter::EXAMPLE.to_string()];
    for (k, _) in crate::tui::query::SYNTAX {
        out.extend(k.split("  ").filter(|e| !e.is_empty()).map(str::to_string));
    }
    let doc = include_str!("../../../docs/tui.md");
    let section = doc
        .split("\n## The query\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("docs/tui.md has \"The query\"");
    let mut blocks = section.split("```");
    out.extend(blocks.nth(1).map(|b| b.trim().to_string()));
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row.split('|').nth(1).unwrap_or("");
        out.extend(first.split('`').skip(1).step_by(2).map(str::to_string));
    }
    out
}

/// Every example shown is a query the demo desk takes: its names are the demo's, so an
/// example can never be refused as `status:open` once was ("no such status").
#[tokio::test]
async fn every_example_shown_is_a_query_the_demo_desk_takes() {
    let h = Harness::open(store(0), "anna").await;
    let catalog = h.state.catalog.as_ref().expect("the catalog");
    let examples = shown_examples();
    assert!(examples.len() > 25, "{examples:?}");
    for e in &examples {
        let checked = crate::tui::query::Query::parse(e).and_then(|q| {
            q.to_filter(Some(catalog), None, "anna", now(), h.state.tz)
                .map(|_| ())
        });
        assert_eq!(checked, Ok(()), "the example {e:?}");
    }
}
