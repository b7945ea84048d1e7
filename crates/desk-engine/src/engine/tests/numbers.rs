//! R4 (ticket numbers) and R5 (created date vs number date).

use super::fixture::*;
use crate::model::*;

const BERLIN: &str = r#"
[desk]
name = "Spree IT"
time_zone = "Europe/Berlin"

[[resources]]
login = "anna"
name = "Anna Berger"
email = "anna@spree.example"
service_desk = true

[[queues]]
name = "Level 1"

[[companies]]
name = "Contoso"
"#;

fn created_number(d: &mut Desk) -> String {
    d.ticket("anna", "Printer jam").number
}

#[test]
fn number_is_t_desk_date_dot_four_digit_sequence() {
    let mut d = Desk::base();
    // 04:00 UTC on the 29th is 17:00 on the 29th in Auckland.
    assert_eq!(created_number(&mut d), "T20261129.0001");
    assert_eq!(created_number(&mut d), "T20261129.0002");
}

#[test]
fn number_date_is_the_desk_date_where_utc_is_still_the_day_before() {
    // 2026-11-28 13:00 UTC is 2026-11-29 02:00 in Auckland.
    let mut d = Desk::new(BASE, "2026-11-28T13:00:00Z");
    let t = d.ticket("anna", "Late call");
    assert_eq!(t.number, "T20261129.0001");
    assert_eq!(t.number_date.to_string(), "2026-11-29");
    assert_eq!(t.created_at.date_naive().to_string(), "2026-11-28");
}

#[test]
fn sequence_restarts_at_one_on_each_desk_date_at_desk_midnight() {
    // Auckland midnight of 2026-11-29 (NZDT, +13) is 2026-11-28 11:00 UTC: both
    // instants below are on the 28th in UTC.
    let mut d = Desk::new(BASE, "2026-11-28T10:59:59.999Z");
    assert_eq!(created_number(&mut d), "T20261128.0001");
    assert_eq!(created_number(&mut d), "T20261128.0002");
    d.set_now("2026-11-28T11:00:00Z");
    assert_eq!(created_number(&mut d), "T20261129.0001");
    // A late writer still on the old desk date continues that date's sequence.
    d.set_now("2026-11-28T10:59:59.999Z");
    assert_eq!(created_number(&mut d), "T20261128.0003");
    d.set_now("2026-11-28T11:00:00.001Z");
    assert_eq!(created_number(&mut d), "T20261129.0002");
}

#[test]
fn desk_midnight_across_the_spring_dst_change_in_berlin() {
    // 2026-03-29: Berlin goes from +01:00 to +02:00, so the next midnight is at 22:00 UTC.
    let mut d = Desk::new(BERLIN, "2026-03-28T22:59:59Z");
    assert_eq!(created_number(&mut d), "T20260328.0001");
    d.set_now("2026-03-28T23:00:00Z");
    assert_eq!(created_number(&mut d), "T20260329.0001");
    d.set_now("2026-03-29T21:59:59Z");
    assert_eq!(created_number(&mut d), "T20260329.0002");
    d.set_now("2026-03-29T22:00:00Z");
    assert_eq!(created_number(&mut d), "T20260330.0001");
}

#[test]
fn desk_midnight_across_the_autumn_dst_change_in_berlin() {
    // 2026-10-25: Berlin goes from +02:00 to +01:00; that day has 25 hours and ends at
    // 23:00 UTC, not 22:00.
    let mut d = Desk::new(BERLIN, "2026-10-24T21:59:59Z");
    assert_eq!(created_number(&mut d), "T20261024.0001");
    d.set_now("2026-10-24T22:00:00Z");
    assert_eq!(created_number(&mut d), "T20261025.0001");
    d.set_now("2026-10-25T22:30:00Z");
    assert_eq!(created_number(&mut d), "T20261025.0002");
    d.set_now("2026-10-25T23:00:00Z");
    assert_eq!(created_number(&mut d), "T20261026.0001");
}

#[test]
fn several_engines_on_one_file_never_give_a_number_twice() {
    let mut d = Desk::base();
    let mut others = [d.open(NOW), d.open(NOW)];
    let anna = d.actor("anna");
    let new = || NewTicket {
        title: "Interleaved".into(),
        ..NewTicket::default()
    };
    let mut numbers = Vec::new();
    for i in 0..10 {
        numbers.push(d.engine.create_ticket(&anna, new()).unwrap().number);
        for e in &mut others {
            numbers.push(e.create_ticket(&anna, new()).unwrap().number);
        }
        if i % 3 == 0 {
            // A reader in between does not disturb the sequence.
            others[0].ticket(&anna, &numbers[0]).unwrap();
        }
    }
    let expected: Vec<String> = (1..=30).map(|i| format!("T20261129.{i:04}")).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn concurrent_writers_on_one_file_never_give_a_number_twice() {
    let d = Desk::base();
    let backing = &d.backing;
    let numbers: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(move || {
                    let mut e = backing.open(crate::Clock::Fixed(at(NOW))).unwrap();
                    let anna = e.actor("anna").unwrap();
                    (0..10)
                        .map(|_| {
                            e.create_ticket(
                                &anna,
                                NewTicket {
                                    title: "Concurrent".into(),
                                    ..NewTicket::default()
                                },
                            )
                            .unwrap()
                            .number
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut sorted = numbers.clone();
    sorted.sort();
    let expected: Vec<String> = (1..=40).map(|i| format!("T20261129.{i:04}")).collect();
    assert_eq!(sorted, expected);
}

#[test]
fn taskfire_created_tickets_draw_from_the_same_sequence() {
    let mut d = Desk::base();
    let a = d.ticket("anna", "Provider one");
    let t = d.ticket("tom", "Contoso internal");
    let b = d.ticket("anna", "Provider two");
    assert_eq!(a.number, "T20261129.0001");
    assert_eq!(t.number, "T20261129.0002");
    assert_eq!(t.desk, "Contoso");
    assert_eq!(b.number, "T20261129.0003");
    // The Taskfire ticket is on Contoso's desk only.
    assert!(d.engine.ticket(&d.actor("anna"), &t.number).is_err());
}

#[test]
fn series_base_numbers_draw_from_the_same_sequence() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    assert_eq!(created_number(&mut d), "T20261129.0001");
    let series = d
        .engine
        .create_series(
            &anna,
            NewSeries {
                title: "Patch day".into(),
                company: "Contoso".into(),
                first_due: "2026-12-01 09:00".into(),
                every_days: 7,
                count: 3,
                ..NewSeries::default()
            },
        )
        .unwrap();
    let numbers: Vec<&str> = series.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "T20261129.0002.001",
            "T20261129.0002.002",
            "T20261129.0002.003"
        ]
    );
    assert!(
        series
            .iter()
            .all(|t| t.series.as_deref() == Some("T20261129.0002"))
    );
    assert_eq!(created_number(&mut d), "T20261129.0003");
}

#[test]
fn numbers_of_deleted_tickets_are_not_given_again() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    created_number(&mut d);
    let second = created_number(&mut d);
    d.engine.delete_ticket(&anna, &second).unwrap();
    assert!(d.engine.ticket(&anna, &second).is_err());
    assert_eq!(created_number(&mut d), "T20261129.0003");
    // Also after reopening the store (another process, or after a crash).
    d.set_now(NOW);
    assert_eq!(created_number(&mut d), "T20261129.0004");
}

#[test]
fn portal_ticket_created_date_is_the_contacts_number_date_the_desks() {
    // Lisa in Los Angeles submits at 2026-11-28 20:00 PST: already the 29th in Auckland.
    let mut d = Desk::base();
    let t = d.submit("lisa@contoso.example", "Printer offline", "Printer");
    assert_eq!(t.number, "T20261129.0001");
    assert_eq!(t.number_date.to_string(), "2026-11-29");
    assert_eq!(t.created_local.to_rfc3339(), "2026-11-28T20:00:00-08:00");
    assert_eq!(t.created_tz, "America/Los_Angeles");
    assert!(t.dates_differ());
    // The provider's view shows the same two dates.
    let staff = d.show(&t.number);
    assert_eq!(staff.created_local, t.created_local);
    assert!(staff.dates_differ());
}

#[test]
fn dates_agree_when_the_creator_is_in_the_desk_zone() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Same day");
    assert_eq!(t.created_local.to_rfc3339(), "2026-11-29T17:00:00+13:00");
    assert_eq!(t.created_tz, "Pacific/Auckland");
    assert!(!t.dates_differ());
}

#[test]
fn dates_agree_for_a_contact_far_away_when_both_zones_share_the_date() {
    // 2026-11-29 10:00 UTC: 02:00 on the 29th in LA, 23:00 on the 29th in Auckland.
    let mut d = Desk::new(BASE, "2026-11-29T10:00:00Z");
    let t = d.submit("lisa@contoso.example", "Early bird", "Other");
    assert_eq!(t.number, "T20261129.0001");
    assert_eq!(t.created_local.to_rfc3339(), "2026-11-29T02:00:00-08:00");
    assert!(!t.dates_differ());
    // One hour later it is the 30th in Auckland but still the 29th in LA.
    d.set_now("2026-11-29T11:00:00Z");
    let t = d.submit("lisa@contoso.example", "Night owl", "Other");
    assert_eq!(t.number, "T20261130.0001");
    assert!(t.dates_differ());
}

#[test]
fn a_berlin_resource_on_an_auckland_desk_sees_their_own_date() {
    // 2026-11-29 11:30 UTC: 12:30 on the 29th in Berlin, 00:30 on the 30th in Auckland.
    let mut d = Desk::new(BASE, "2026-11-29T11:30:00Z");
    let t = d.ticket("carl", "Berlin call");
    assert_eq!(t.number, "T20261130.0001");
    assert_eq!(t.created_local.to_rfc3339(), "2026-11-29T12:30:00+01:00");
    assert_eq!(t.created_tz, "Europe/Berlin");
    assert!(t.dates_differ());
}

#[test]
fn tickets_created_after_a_generated_history_get_fresh_numbers() {
    let mut d = Desk::base();
    let stats = d.engine.generate_demo_tickets(200, 3).unwrap();
    let before: std::collections::BTreeSet<String> = d
        .numbers("anna", &TicketFilter::default())
        .into_iter()
        .collect();
    assert_eq!(before.len() as u64, stats.tickets);
    let t = d.ticket("anna", "After the history");
    assert!(!before.contains(&t.number), "{} given twice", t.number);
    assert!(t.number.starts_with("T20261129."));
    let s = d.ticket("tom", "Taskfire after the history");
    assert_ne!(s.number, t.number);
}

#[test]
fn the_sequence_grows_past_four_digits() {
    let mut d = Desk::base();
    created_number(&mut d);
    d.sql("UPDATE number_days SET last = 9998 WHERE day = '2026-11-29'");
    assert_eq!(created_number(&mut d), "T20261129.9999");
    let t = d.ticket("anna", "Ten thousand");
    assert_eq!(t.number, "T20261129.10000");
    assert_eq!(t.number_date.to_string(), "2026-11-29");
    assert_eq!(d.show("T20261129.10000").title, "Ten thousand");
}

#[test]
fn a_taskfire_resources_ticket_is_dated_in_their_zone() {
    let mut d = Desk::base();
    let t = d.ticket("tom", "Contoso internal");
    assert_eq!(t.number, "T20261129.0001");
    assert_eq!(t.created_local.to_rfc3339(), "2026-11-28T20:00:00-08:00");
    assert_eq!(t.created_by, "tom");
    assert!(t.dates_differ());
}

#[test]
fn created_local_carries_the_offset_of_its_instant_across_berlins_dst_changes() {
    let mut d = Desk::new(BERLIN, "2026-03-29T00:30:00Z");
    let before = d.ticket("anna", "Before spring forward");
    d.set_now("2026-03-29T01:30:00Z");
    let after = d.ticket("anna", "After spring forward");
    assert_eq!(
        before.created_local.to_rfc3339(),
        "2026-03-29T01:30:00+01:00"
    );
    assert_eq!(
        after.created_local.to_rfc3339(),
        "2026-03-29T03:30:00+02:00"
    );
    assert_eq!(
        [before.number.as_str(), after.number.as_str()],
        ["T20260329.0001", "T20260329.0002"]
    );

    // In autumn 02:30 happens twice; the two tickets keep their order and their offsets.
    d.set_now("2026-10-25T00:30:00Z");
    let first = d.ticket("anna", "First 02:30");
    d.set_now("2026-10-25T01:30:00Z");
    let second = d.ticket("anna", "Second 02:30");
    assert_eq!(
        first.created_local.to_rfc3339(),
        "2026-10-25T02:30:00+02:00"
    );
    assert_eq!(
        second.created_local.to_rfc3339(),
        "2026-10-25T02:30:00+01:00"
    );
    assert_eq!(
        [first.number.as_str(), second.number.as_str()],
        ["T20261025.0001", "T20261025.0002"]
    );
    assert!(!first.dates_differ() && !second.dates_differ());
}
