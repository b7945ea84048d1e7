//! The one place for test setup: desks from small TOML strings, actors, frozen clocks and
//! a dump of the whole store to prove that a refused change wrote nothing.

use chrono::{DateTime, Utc};

pub use super::backing::Backing;

use crate::model::*;
use crate::{Clock, Engine, Error, Setup};

/// 2026-11-28 20:00 in Los Angeles, already 2026-11-29 17:00 in Auckland.
pub const NOW: &str = "2026-11-29T04:00:00Z";

/// An Auckland desk whose customers sit in Los Angeles. Contoso and Northwind have
/// Taskfire, Fabrikam has not. Tests append their own `[[workflow_rules]]` or `[portal]` to it.
pub const BASE: &str = r#"
[desk]
name = "Kiwi IT"
time_zone = "Pacific/Auckland"

[[resources]]
login = "anna"
name = "Anna Berger"
email = "anna@kiwi.example"
service_desk = true

[[resources]]
login = "ben"
name = "Ben Ng"
email = "ben@kiwi.example"

[[resources]]
login = "carl"
name = "Carl Otto"
email = "carl@kiwi.example"
time_zone = "Europe/Berlin"

[[queues]]
name = "Level 1"

[[queues]]
name = "Printers"

[[work_types]]
name = "Remote Support"

[[work_types]]
name = "Onsite"

[[statuses]]
name = "Waiting Vendor"

[[companies]]
name = "Contoso"
[companies.taskfire]
queues = ["Contoso IT", "Contoso Facilities"]
resources = [
  { login = "tom", name = "Tom Reyes", email = "tom@contoso.example", time_zone = "America/Los_Angeles" },
  { login = "tina", name = "Tina Cole", email = "tina@contoso.example", time_zone = "America/Los_Angeles" },
]

[[companies]]
name = "Fabrikam"

[[companies]]
name = "Northwind"
[companies.taskfire]
queues = ["Northwind Desk"]
resources = [{ login = "nina", name = "Nina Holt", email = "nina@northwind.example" }]

[[contacts]]
login = "lisa@contoso.example"
name = "Lisa Park"
company = "Contoso"
time_zone = "America/Los_Angeles"
portal = "manager"

[[contacts]]
login = "kim@contoso.example"
name = "Kim Lee"
company = "Contoso"
time_zone = "America/Los_Angeles"
portal = "basic"

[[contacts]]
login = "noel@contoso.example"
name = "Noel Dunn"
company = "Contoso"
time_zone = "America/Los_Angeles"

[[contacts]]
login = "fred@fabrikam.example"
name = "Fred Marsh"
company = "Fabrikam"
time_zone = "America/Los_Angeles"
portal = "manager"

[[issue_types]]
name = "Printer"
created_by = "provider"
queue = "Printers"

[[issue_types]]
name = "Other"
created_by = "provider"

[[issue_types]]
name = "Contoso Laptop"
created_by = "Contoso"
queue = "Level 1"
"#;

/// The rule of R3 (docs/rules.md).
pub const PORTAL_RULE: &str = r#"
[[workflow_rules]]
name = "Work type for portal tickets"
event = "ticket_created"
conditions = [{ field = "source", op = "eq", value = "Client Portal" }]
actions = [{ set = "work_type", value = "Remote Support" }]
"#;

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A desk on a fresh store (`super::backing`: a SQLite file in a temp folder here, a
/// PostgreSQL database of its own in desk-store-pg's run of these tests); `engine` runs
/// with the clock fixed at `now`.
pub struct Desk {
    pub backing: Backing,
    pub engine: Engine,
}

impl Desk {
    pub fn new(src: &str, now: &str) -> Desk {
        let setup = Setup::parse("test.toml", src).unwrap();
        let backing = Backing::new(&setup);
        let engine = backing.open(Clock::Fixed(at(now))).unwrap();
        Desk { backing, engine }
    }

    /// The base desk with the R3 portal rule.
    pub fn base() -> Desk {
        Desk::new(&format!("{BASE}{PORTAL_RULE}"), NOW)
    }

    /// Another engine (another "process") on the same store, with its own clock.
    pub fn open(&self, now: &str) -> Engine {
        self.backing.open(Clock::Fixed(at(now))).unwrap()
    }

    /// Moves this desk's clock.
    pub fn set_now(&mut self, now: &str) {
        self.engine = self.open(now);
    }

    pub fn actor(&self, login: &str) -> Actor {
        self.engine.actor(login).unwrap()
    }

    /// A provider ticket made by `login` with Contoso as company.
    pub fn ticket(&mut self, login: &str, title: &str) -> Ticket {
        let a = self.actor(login);
        self.engine
            .create_ticket(
                &a,
                NewTicket {
                    title: title.into(),
                    company: Some("Contoso".into()),
                    ..NewTicket::default()
                },
            )
            .unwrap()
    }

    pub fn create(&mut self, login: &str, new: NewTicket) -> Ticket {
        let a = self.actor(login);
        self.engine.create_ticket(&a, new).unwrap()
    }

    pub fn submit(&mut self, contact: &str, title: &str, issue_type: &str) -> Ticket {
        let a = self.actor(contact);
        self.engine
            .portal_submit(
                &a,
                PortalSubmit {
                    title: title.into(),
                    issue_type: issue_type.into(),
                    description: String::new(),
                },
            )
            .unwrap()
    }

    /// The provider's view of a ticket, as `anna` (Service Desk) sees it.
    pub fn show(&self, number: &str) -> Ticket {
        self.engine.ticket(&self.actor("anna"), number).unwrap()
    }

    /// T1 to Contoso IT for `tom`, as `anna`.
    pub fn share(&mut self, number: &str, due: Option<&str>) -> Ticket {
        let a = self.actor("anna");
        self.engine
            .taskfire_assign(
                &a,
                number,
                TaskfireAssign {
                    expected_version: None,
                    queue: "Contoso IT".into(),
                    resource: Some("tom".into()),
                    due: due.map(str::to_string),
                    note: "Please check the printer on site".into(),
                },
            )
            .unwrap()
    }

    /// Every ticket of `login`'s desk (all pages).
    pub fn list(&self, login: &str, filter: &TicketFilter) -> Vec<Ticket> {
        let a = self.actor(login);
        let mut out = Vec::new();
        let mut page = PageRequest {
            sort: None,
            after: None,
            limit: 7,
        };
        loop {
            let p = self.engine.list_tickets(&a, filter, &page).unwrap();
            out.extend(p.items);
            match p.next {
                Some(n) => page.after = Some(n),
                None => return out,
            }
        }
    }

    pub fn numbers(&self, login: &str, filter: &TicketFilter) -> Vec<String> {
        let mut n: Vec<String> = self
            .list(login, filter)
            .into_iter()
            .map(|t| t.number)
            .collect();
        n.sort();
        n
    }

    /// Every ticket the portal lists for `contact` (all pages), sorted by number.
    pub fn portal_numbers(&self, contact: &str) -> Vec<String> {
        let a = self.actor(contact);
        self.portal_numbers_where(&a, &PortalFilter::default())
    }

    /// Every ticket the portal lists for `a` under `filter` (all pages), by number.
    pub fn portal_numbers_where(&self, a: &Actor, filter: &PortalFilter) -> Vec<String> {
        let mut out = Vec::new();
        let mut page = PageRequest {
            sort: None,
            after: None,
            limit: 7,
        };
        loop {
            // Portal access disabled: the portal shows nothing (R6, level none).
            let p = match self.engine.portal_list(a, filter, &page) {
                Err(crate::Error::NotAllowed(m)) if m.contains("portal access is disabled") => {
                    return out;
                }
                r => r.unwrap(),
            };
            out.extend(p.items.into_iter().map(|t| t.number));
            match p.next {
                Some(n) => page.after = Some(n),
                None => break,
            }
        }
        out.sort();
        out
    }

    /// The whole outbox, newest first (all pages).
    pub fn notifications(&self) -> Vec<Notification> {
        let anna = self.actor("anna");
        let mut out = Vec::new();
        let mut page = PageRequest {
            sort: None,
            after: None,
            limit: 7,
        };
        loop {
            let p = self.engine.notifications(&anna, &page).unwrap();
            out.extend(p.items);
            match p.next {
                Some(n) => page.after = Some(n),
                None => return out,
            }
        }
    }

    /// Every row of every table, as text: equal dumps mean an unchanged store.
    pub fn dump(&self) -> String {
        self.backing.dump()
    }

    /// Raw SQL on the store, for arranging what the API cannot (tests only).
    pub fn sql(&self, sql: &str) {
        self.engine.store().batch(sql).unwrap();
    }
}

/// One table of a dump (`Backing::dump`): its name, its row count, its rows sorted.
pub fn dump_table(out: &mut String, table: &str, mut rows: Vec<String>) {
    rows.sort();
    out.push_str(&format!("== {table} ({} rows)\n", rows.len()));
    for r in rows {
        out.push_str(&r);
        out.push('\n');
    }
}

/// Asserts that `f` fails with an error for which `check` holds, and that the store
/// file is byte-for-byte the same afterwards (as a dump of every table).
pub fn refused<T: std::fmt::Debug>(
    desk: &mut Desk,
    f: impl FnOnce(&mut Engine) -> crate::Result<T>,
    check: impl FnOnce(&Error) -> bool,
) -> Error {
    let before = desk.dump();
    let err = f(&mut desk.engine).expect_err("the change should be refused");
    assert!(check(&err), "unexpected error: {err:?}");
    assert_eq!(before, desk.dump(), "a refused change wrote to the store");
    err
}

/// An input value that names nothing: `Invalid` naming the field, "unknown <what> ...".
pub fn unknown(e: &Error, what: &str) -> bool {
    matches!(e, Error::Invalid { field, message }
        if *field == what.replace(' ', "_").to_lowercase() && message.starts_with(&format!("unknown {what} ")))
}

pub fn unknown_any(e: &Error) -> bool {
    matches!(e, Error::Invalid { message, .. } if message.starts_with("unknown "))
}

pub fn not_allowed(e: &Error) -> bool {
    matches!(e, Error::NotAllowed(_))
}

/// Notes of a ticket with this text.
pub fn has_note(t: &Ticket, text: &str) -> bool {
    t.notes.iter().any(|n| n.text == text)
}

/// History events written by workflow rules.
pub fn rule_events(t: &Ticket) -> Vec<&Event> {
    t.events
        .iter()
        .filter(|e| e.actor.starts_with("rule: "))
        .collect()
}

/// The portal's answer for a ticket it does not show: as if it did not exist.
pub fn unknown_ticket(e: &Error) -> bool {
    matches!(e, Error::NotFound { what: "ticket", .. })
}

/// Numbers in the order `numbers` and `portal_numbers` return them.
pub fn sorted(v: &[&String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// The base desk with these `[[workflow_rules]]` (and no others).
pub fn with_rules(rules: &str) -> Desk {
    Desk::new(&format!("{BASE}{rules}"), NOW)
}

/// `anna` sets the status of a provider ticket.
pub fn status(d: &mut Desk, number: &str, status: &str) -> Ticket {
    let anna = d.actor("anna");
    d.engine
        .update_ticket(
            &anna,
            number,
            TicketChange {
                status: Some(status.into()),
                ..TicketChange::default()
            },
        )
        .unwrap()
}

/// A T1 form without a Taskfire due date.
pub fn assign(queue: &str, resource: Option<&str>, note: &str) -> TaskfireAssign {
    TaskfireAssign {
        expected_version: None,
        queue: queue.into(),
        resource: resource.map(str::to_string),
        due: None,
        note: note.into(),
    }
}

/// A Contoso ticket with Kim as contact and a provider due date, made by `anna`.
pub fn contoso_ticket(d: &mut Desk) -> String {
    d.create(
        "anna",
        NewTicket {
            title: "Printer on floor 3".into(),
            contact: Some("kim@contoso.example".into()),
            due: Some("2026-12-10T00:00:00Z".into()),
            ..NewTicket::default()
        },
    )
    .number
}

/// The outbox messages about one ticket.
pub fn events_for(d: &Desk, number: &str) -> Vec<Notification> {
    d.notifications()
        .into_iter()
        .filter(|n| n.ticket.as_deref() == Some(number))
        .collect()
}

/// No filter: the whole desk.
pub fn filter() -> TicketFilter {
    TicketFilter::default()
}
