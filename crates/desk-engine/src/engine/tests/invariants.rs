//! Seeded random journeys by every kind of actor, with the clock moving across desk
//! midnights; after each step the rules' invariants must hold, and no action may fail
//! with anything but a clear refusal (a store error is a bug).

use super::fixture::*;
use crate::domain::number::parse_number_date;
use crate::model::*;
use crate::{Engine, Error};
use chrono::Duration;
use std::collections::{BTreeMap, BTreeSet};

const STAFF: [&str; 3] = ["anna", "ben", "carl"];
const CONTACTS: [&str; 4] = [
    "lisa@contoso.example",
    "kim@contoso.example",
    "noel@contoso.example",
    "fred@fabrikam.example",
];
const QUEUES: [&str; 3] = ["Level 1", "Printers", CLIENT_PORTAL];
const STATUSES: [&str; 5] = [
    NEW_STATUS,
    "In Progress",
    "Waiting Customer",
    "Waiting Vendor",
    CLOSED_STATUS,
];

fn pick<'a>(rng: &mut fastrand::Rng, v: &[&'a str]) -> &'a str {
    v[rng.usize(0..v.len())]
}

struct Journey {
    d: Desk,
    rng: fastrand::Rng,
    now: chrono::DateTime<chrono::Utc>,
    refusals: usize,
}

impl Journey {
    fn provider_number(&mut self) -> Option<String> {
        let all = self.d.numbers("anna", &filter());
        (!all.is_empty()).then(|| all[self.rng.usize(0..all.len())].clone())
    }

    fn taskfire_number(&mut self) -> Option<String> {
        let all = self.d.numbers("tom", &filter());
        (!all.is_empty()).then(|| all[self.rng.usize(0..all.len())].clone())
    }

    /// Runs one action; a refusal must be a clear one and must change nothing.
    fn act<T>(&mut self, f: impl FnOnce(&mut Engine) -> crate::Result<T>) {
        let before = self.d.dump();
        if let Err(e) = f(&mut self.d.engine) {
            assert!(
                matches!(
                    e,
                    Error::Invalid { .. }
                        | Error::NotFound { .. }
                        | Error::NotAllowed(_)
                        | Error::Conflict { .. }
                ),
                "not a clear refusal: {e:?}"
            );
            assert_eq!(before, self.d.dump(), "refused ({e}) but wrote");
            self.refusals += 1;
        }
    }

    fn step(&mut self) {
        let r = self.rng.u8(0..100);
        let staff = pick(&mut self.rng, &STAFF).to_string();
        let who = self.d.actor(&staff);
        match r {
            0..=14 => {
                let contact = self
                    .rng
                    .bool()
                    .then(|| pick(&mut self.rng, &CONTACTS).to_string());
                let new = NewTicket {
                    title: format!("Ticket {}", self.rng.u32(..)),
                    contact,
                    queue: self
                        .rng
                        .bool()
                        .then(|| pick(&mut self.rng, &QUEUES).to_string()),
                    assign: self
                        .rng
                        .bool()
                        .then(|| pick(&mut self.rng, &STAFF).to_string()),
                    ..NewTicket::default()
                };
                self.act(|e| e.create_ticket(&who, new));
            }
            15..=29 => {
                let c = self.d.actor(pick(&mut self.rng, &CONTACTS));
                let issue_type =
                    pick(&mut self.rng, &["Printer", "Other", "Contoso Laptop"]).to_string();
                self.act(|e| {
                    e.portal_submit(
                        &c,
                        PortalSubmit {
                            title: "From the portal".into(),
                            issue_type,
                            description: "It broke".into(),
                        },
                    )
                });
            }
            30..=44 => {
                let Some(n) = self.provider_number() else {
                    return;
                };
                let change = TicketChange {
                    status: self
                        .rng
                        .bool()
                        .then(|| pick(&mut self.rng, &STATUSES).to_string()),
                    queue: self
                        .rng
                        .bool()
                        .then(|| pick(&mut self.rng, &QUEUES).to_string()),
                    assign: self
                        .rng
                        .bool()
                        .then(|| pick(&mut self.rng, &STAFF).to_string()),
                    ..TicketChange::default()
                };
                self.act(|e| e.update_ticket(&who, &n, change));
            }
            45..=52 => {
                let Some(n) = self.provider_number() else {
                    return;
                };
                let publish = self.rng.bool();
                self.act(|e| e.add_note(&who, &n, "A note", publish));
            }
            53..=64 => {
                let Some(n) = self.provider_number() else {
                    return;
                };
                let a = TaskfireAssign {
                    expected_version: None,
                    queue: "Contoso IT".into(),
                    resource: self.rng.bool().then(|| "tom".to_string()),
                    due: self.rng.bool().then(|| "2026-12-24 12:00".to_string()),
                    note: "Yours now".into(),
                };
                self.act(|e| e.taskfire_assign(&who, &n, a));
            }
            65..=70 => {
                let Some(n) = self.provider_number() else {
                    return;
                };
                self.act(|e| e.taskfire_complete(&who, &n, None));
            }
            71..=75 => {
                let Some(n) = self.provider_number() else {
                    return;
                };
                self.act(|e| e.taskfire_ask(&who, &n, "A question"));
            }
            76..=83 => {
                let tom = self.d.actor(pick(&mut self.rng, &["tom", "tina"]));
                if self.rng.bool() {
                    let new = NewTicket {
                        title: "Contoso internal".into(),
                        issue_type: self.rng.bool().then(|| "Printer".to_string()),
                        ..NewTicket::default()
                    };
                    self.act(|e| e.create_ticket(&tom, new));
                } else if let Some(n) = self.taskfire_number() {
                    self.act(|e| e.taskfire_escalate(&tom, &n, "Over to the provider"));
                }
            }
            84..=88 => {
                let Some(n) = self.provider_number() else {
                    return;
                };
                self.act(|e| e.delete_ticket(&who, &n));
            }
            89..=91 => {
                let c = self.d.actor(pick(&mut self.rng, &CONTACTS));
                let Some(n) = self.provider_number() else {
                    return;
                };
                self.act(|e| e.portal_note(&c, &n, "From the portal"));
            }
            92..=93 => {
                let first_due = (self.now + Duration::days(self.rng.i64(0..40))).to_rfc3339();
                let s = NewSeries {
                    title: "Recurring".into(),
                    company: "Contoso".into(),
                    contact: Some("kim@contoso.example".into()),
                    first_due,
                    every_days: self.rng.u32(1..10),
                    count: self.rng.u32(1..5),
                    ..NewSeries::default()
                };
                self.act(|e| e.create_series(&who, s));
            }
            _ => {
                // Move the clock on by up to 9 hours: desk midnights get crossed.
                self.now += Duration::minutes(self.rng.i64(1..540));
                let now = self.now.to_rfc3339();
                self.d.set_now(&now);
            }
        }
    }

    fn check(&self) {
        let d = &self.d;
        // R4: a number is given once per desk; its date is a desk date not after creation.
        for desk in ["anna", "tom", "nina"] {
            let tickets = d.list(desk, &filter());
            let numbers: BTreeSet<&str> = tickets.iter().map(|t| t.number.as_str()).collect();
            assert_eq!(numbers.len(), tickets.len(), "{desk}: a number twice");
            for t in &tickets {
                assert_eq!(parse_number_date(&t.number), Some(t.number_date));
                let created = t.created_at.with_timezone(&d.engine.time_zone());
                assert!(t.number_date <= created.date_naive(), "{}", t.number);
                assert_eq!(
                    t.dates_differ(),
                    t.created_local.date_naive() != t.number_date
                );
            }
        }
        // Sequences of one desk date never repeat across the two desks either, except
        // for the two versions of one shared ticket.
        let provider: BTreeMap<String, Ticket> = d
            .list("anna", &filter())
            .into_iter()
            .map(|t| (t.number.clone(), t))
            .collect();
        for t in d.list("tom", &filter()) {
            let tf = t.taskfire.as_ref();
            match provider.get(&t.number) {
                Some(p) => {
                    let ptf = p
                        .taskfire
                        .as_ref()
                        .expect("a shared number without a share");
                    assert_eq!(tf.map(|x| x.held_by), Some(ptf.held_by));
                    assert_eq!(ptf.status, t.status);
                    assert_eq!(tf.map(|x| &x.provider_status), Some(&p.status));
                }
                None => assert!(
                    tf.is_none(),
                    "{} shared without a provider version",
                    t.number
                ),
            }
        }
        for p in provider.values() {
            if p.taskfire.is_some() {
                assert!(d.engine.ticket(&d.actor("tom"), &p.number).is_ok());
            }
        }
        // R6: the portal lists exactly what it shows.
        for c in CONTACTS {
            let who = d.actor(c);
            let listed: BTreeSet<String> = d.portal_numbers(c).into_iter().collect();
            let shown: BTreeSet<String> = provider
                .keys()
                .filter(|n| d.engine.portal_show(&who, n).is_ok())
                .cloned()
                .collect();
            assert_eq!(listed, shown, "{c}");
        }
        // R3: portal tickets get their work type from the rule, others none by themselves.
        for t in provider.values() {
            if t.source == CLIENT_PORTAL {
                assert_eq!(
                    t.work_type.as_deref(),
                    Some("Remote Support"),
                    "{}",
                    t.number
                );
            } else {
                assert_eq!(t.work_type, None, "{}", t.number);
            }
        }
    }
}

fn journey(seed: u64, steps: usize) {
    let mut j = Journey {
        d: Desk::base(),
        rng: fastrand::Rng::with_seed(seed),
        now: at(NOW),
        refusals: 0,
    };
    for i in 0..steps {
        j.step();
        if i % 10 == 9 {
            j.check();
        }
    }
    j.check();
    // The journey did real work and met real refusals.
    assert!(j.d.numbers("anna", &filter()).len() > 10);
    assert!(j.refusals > 0);
}

#[test]
fn random_journeys_keep_every_invariant() {
    for seed in 1..=4 {
        journey(seed, 150);
    }
}
