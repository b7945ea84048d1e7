//! docs/rules.md, "Time" and "Bounds", at the engine's own entry points.

use super::fixture::*;
use crate::model::*;
use crate::{Clock, Engine, Error, MAX_DEMO_TICKETS};

#[test]
fn an_engine_on_a_clock_outside_the_range_is_refused() {
    let d = Desk::base();
    for bad in ["9999-12-31T00:00:00Z", "1969-12-31T23:59:59Z"] {
        let e = Engine::open(&d.path, Clock::Fixed(at(bad))).err().unwrap();
        assert!(
            matches!(&e, Error::Invalid { field, .. } if field == "now"),
            "{e}"
        );
    }
    assert!(Engine::open(&d.path, Clock::Fixed(at("9999-12-30T23:59:59Z"))).is_ok());
}

#[test]
fn generating_more_than_the_bound_is_refused_and_writes_nothing() {
    let mut d = Desk::base();
    let e = refused(
        &mut d,
        |e| e.generate_demo_tickets(MAX_DEMO_TICKETS + 1, 1),
        |e| matches!(e, Error::Invalid { field, .. } if field == "tickets"),
    );
    assert!(e.to_string().contains("10000000"), "{e}");
}

#[test]
fn a_series_is_refused_whole_when_its_last_due_date_is_out_of_range() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let s = NewSeries {
        title: "Every ten years".into(),
        company: "Contoso".into(),
        first_due: "2026-12-01 09:00".into(),
        every_days: 3650,
        count: 999,
        ..NewSeries::default()
    };
    refused(
        &mut d,
        |e| e.create_series(&anna, s),
        |e| matches!(e, Error::Invalid { field, .. } if field == "count"),
    );
}

#[test]
fn a_token_expiring_after_the_range_is_refused() {
    let mut d = Desk::base();
    let late = at("9999-12-31T00:00:00Z");
    refused(
        &mut d,
        |e| e.create_token("anna", Some(late)),
        |e| matches!(e, Error::Invalid { field, .. } if field == "expires"),
    );
}
