//! Engine benchmarks on a generated desk: `cargo bench -p desk-engine`.
//! Set DESK_BENCH_TICKETS to change the desk's size (default 100,000), or
//! DESK_BENCH_STORE=path/to/desk.sqlite3 to work on a copy of an existing store (such as
//! a 1,000,000-ticket demo desk, which takes minutes to generate).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use desk_engine::model::*;
use desk_engine::{Clock, Engine, Setup};
use std::hint::black_box;

const SETUP: &str = include_str!("../../../assets/demo.toml");

fn desk() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite3");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-29T10:00:00Z")
        .unwrap()
        .to_utc();
    if let Ok(store) = std::env::var("DESK_BENCH_STORE") {
        std::fs::copy(store, &path).unwrap();
        return (dir, Engine::open(&path, Clock::Fixed(now)).unwrap());
    }
    Engine::init(&path, &Setup::parse("demo.toml", SETUP).unwrap()).unwrap();
    let mut engine = Engine::open(&path, Clock::Fixed(now)).unwrap();
    let n = std::env::var("DESK_BENCH_TICKETS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    engine.generate_demo_tickets(n, 7).unwrap();
    (dir, engine)
}

fn benches(c: &mut Criterion) {
    let (_dir, mut engine) = desk();
    let anna = engine.actor("anna").unwrap();
    let lisa = engine.actor("lisa@contoso.example").unwrap();
    let page = PageRequest {
        sort: None,
        after: None,
        limit: 100,
    };
    let queue = TicketFilter {
        queue: Match::is("Level 1"),
        ..Default::default()
    };
    let search = TicketFilter {
        search: Some("printer".into()),
        ..Default::default()
    };
    let portal = TicketFilter {
        source: Match::is(CLIENT_PORTAL),
        open_only: true,
        ..Default::default()
    };
    let open = TicketFilter {
        open_only: true,
        ..Default::default()
    };
    let queue_open = TicketFilter {
        open_only: true,
        ..queue.clone()
    };
    let high = TicketFilter {
        priority: Match::any(["High".to_string(), "Critical".into()]),
        ..open.clone()
    };
    let inbox = TicketFilter {
        unseen_only: true,
        ..Default::default()
    };
    let all = TicketFilter::default();
    let due = PageRequest {
        sort: Some(Sort::asc(SortField::Due)),
        ..page.clone()
    };
    // A cursor 10,000 tickets down the list sorted by due.
    let mut deep = PageRequest {
        limit: 1000,
        ..due.clone()
    };
    for _ in 0..10 {
        deep.after = engine.list_tickets(&anna, &all, &deep).unwrap().next;
    }
    deep.limit = 100;
    for (name, f, p) in [
        ("sort due, page of 100", &all, &due),
        ("sort due, open, page of 100", &open, &due),
        ("sort due, queue, open, page of 100", &queue_open, &due),
        ("sort due, page of 100 after 10,000", &all, &deep),
        ("inbox, page of 100", &inbox, &page),
        ("inbox sort due, page of 100", &inbox, &due),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| black_box(engine.list_tickets(&anna, f, p).unwrap()))
        });
    }
    for (name, f) in [
        ("count open of a queue (kept)", &queue_open),
        ("count inbox (kept)", &inbox),
        ("count open (kept)", &open),
        ("count open High or Critical", &high),
        ("count all", &all),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| black_box(engine.count_tickets(&anna, f).unwrap()))
        });
    }

    c.bench_function("list queue page of 100", |b| {
        b.iter(|| black_box(engine.list_tickets(&anna, &queue, &page).unwrap()))
    });
    c.bench_function("search 'printer' page of 100", |b| {
        b.iter(|| black_box(engine.list_tickets(&anna, &search, &page).unwrap()))
    });
    c.bench_function("open Client Portal tickets page of 100", |b| {
        b.iter(|| black_box(engine.list_tickets(&anna, &portal, &page).unwrap()))
    });
    c.bench_function("portal list (manager) page of 100", |b| {
        b.iter(|| {
            black_box(
                engine
                    .portal_list(&lisa, &PortalFilter::default(), &page)
                    .unwrap(),
            )
        })
    });
    c.bench_function("catalog (queue counts)", |b| {
        b.iter(|| black_box(engine.catalog(&anna).unwrap()))
    });
    let number = engine.list_tickets(&anna, &queue, &page).unwrap().items[0]
        .number
        .clone();
    c.bench_function("show one ticket", |b| {
        b.iter(|| black_box(engine.ticket(&anna, &number).unwrap()))
    });
    c.bench_function("create ticket (rules, outbox, fsync)", |b| {
        b.iter(|| {
            let new = NewTicket {
                title: "Bench".into(),
                company: Some("Contoso".into()),
                contact: Some("lisa@contoso.example".into()),
                ..Default::default()
            };
            black_box(engine.create_ticket(&anna, new).unwrap())
        })
    });
}

criterion_group! {
    name = engine;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(engine);
