//! Engine benchmarks on a generated desk: `cargo bench -p desk-engine`.
//! Set DESK_BENCH_TICKETS to change the desk's size (default 100,000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use desk_engine::model::*;
use desk_engine::{Clock, Engine, Setup};
use std::hint::black_box;

const SETUP: &str = include_str!("../../../assets/demo.toml");

fn desk() -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("desk.sqlite3");
    Engine::init(&path, &Setup::parse("demo.toml", SETUP).unwrap()).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-29T10:00:00Z")
        .unwrap()
        .to_utc();
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
        after: None,
        limit: 100,
    };
    let queue = TicketFilter {
        queue: Some("Level 1".into()),
        ..Default::default()
    };
    let search = TicketFilter {
        search: Some("printer".into()),
        ..Default::default()
    };
    let portal = TicketFilter {
        source: Some(CLIENT_PORTAL.into()),
        open_only: true,
        ..Default::default()
    };

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
