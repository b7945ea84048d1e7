//! A realistic generated desk for demos and benchmarks: `desk init --demo --tickets N`.
//! Tickets are written straight into the store in one transaction (no rules, no
//! outbox: this is history, not new work); the full-text index is rebuilt once at the end.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Transaction, params};
use std::collections::HashMap;

use super::write::INSERT_TICKET;
use crate::domain::number::{desk_date, format_number, number_key, series_instance};
use crate::domain::routing::portal_queue;
use crate::error::Result;
use crate::model::*;
use crate::store::{Dir, schema, to_ms};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoStats {
    pub tickets: u64,
    pub notes: u64,
    pub shared: u64,
    pub series: u64,
}

const THINGS: [&str; 16] = [
    "Printer",
    "Laptop",
    "VPN",
    "Outlook",
    "Teams",
    "Wi-Fi",
    "File share",
    "Monitor",
    "Phone system",
    "Backup job",
    "Firewall",
    "Badge reader",
    "Password",
    "Shared mailbox",
    "ERP client",
    "Scanner",
];
const PROBLEMS: [&str; 14] = [
    "does not start",
    "is very slow",
    "shows an error",
    "keeps disconnecting",
    "needs an update",
    "is locked",
    "cannot be reached",
    "prints blank pages",
    "asks for a password again",
    "lost its settings",
    "is full",
    "fails every night",
    "has no sound",
    "needs a new user",
];
const PLACES: [&str; 8] = [
    "on floor 3",
    "in the warehouse",
    "at reception",
    "for the new hire",
    "in Sales",
    "in Finance",
    "at home office",
    "in meeting room B",
];
const NOTES: [&str; 8] = [
    "Called the user, reproduced the problem.",
    "Restarted the service; watching it.",
    "Ordered a replacement part from the vendor.",
    "Please try again now and tell us if it works.",
    "It works again, thank you!",
    "Remote session done, updates installed.",
    "Waiting for the user to be back in the office.",
    "Escalated to Level 2 for a closer look.",
];

/// What the insert triggers would have maintained, rebuilt once after a bulk load.
const REBUILD: &str = "
DELETE FROM queue_counts;
INSERT INTO queue_counts (queue_id, open) SELECT queue_id, COUNT(*) FROM tickets WHERE closed = 0 GROUP BY queue_id;
INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');
-- Nobody has opened a generated ticket: every open one with activity from outside its
-- desk (a portal ticket or note, a Taskfire share) is in every inbox of that desk.
INSERT INTO unseen (ticket_id, resource_id, since)
SELECT t.id, r.id, t.updated_at FROM tickets t JOIN resources r ON coalesce(r.company_id, 0) = t.side
WHERE t.closed = 0 AND (t.side <> 0 OR t.creator_kind = 'contact'
  OR EXISTS (SELECT 1 FROM activity a WHERE a.ticket_id = t.id AND a.kind = 'portal'))
ON CONFLICT (ticket_id, resource_id) DO NOTHING;";

pub(crate) fn generate(
    tx: &Transaction,
    dir: &Dir,
    now: DateTime<Utc>,
    count: u64,
    seed: u64,
) -> Result<DemoStats> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut stats = DemoStats::default();
    if count == 0 {
        return Ok(stats);
    }
    if dir.companies.is_empty() || !dir.resources.iter().any(|r| r.company_id.is_none()) {
        return Err(crate::error::Error::invalid(
            "tickets",
            "generating tickets needs a setup with at least one company and one provider resource",
        ));
    }
    tx.execute_batch(schema::DROP_INSERT_TRIGGERS)?;
    // Sorted into place once at the end: far faster than a million inserts into each.
    tx.execute_batch(schema::DROP_LIST_INDEXES)?;
    let mut days: HashMap<String, i64> = {
        let mut st = tx.prepare("SELECT day, last FROM number_days")?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let provider_queues: Vec<i64> = dir
        .queues
        .iter()
        .filter(|q| q.side == 0 && q.name != CLIENT_PORTAL)
        .map(|q| q.id)
        .collect();
    let portal_queue_id = dir.queue(0, CLIENT_PORTAL)?.id;
    let staff: Vec<&crate::store::dir::Person> = dir
        .resources
        .iter()
        .filter(|r| r.company_id.is_none())
        .collect();
    let status = |n: &str| dir.status(n).map(|s| s.id);
    let open_statuses = [
        status(NEW_STATUS)?,
        status("In Progress")?,
        status("Waiting Customer")?,
    ];
    let complete = status(CLOSED_STATUS)?;
    let source = |n: &str| dir.source(n).map(|s| s.id);
    let sources = [
        (30, source(CLIENT_PORTAL)?),
        (25, source("Phone")?),
        (25, source("E-mail")?),
        (10, source("Monitoring")?),
        (5, source("In Person")?),
        (5, source("Other")?),
    ];
    let portal_source = source(CLIENT_PORTAL)?;
    let email_source = source("E-mail")?;
    let taskfire_companies: Vec<i64> = dir
        .companies
        .iter()
        .filter(|c| c.taskfire)
        .map(|c| c.id)
        .collect();

    let mut ins_ticket = tx.prepare(INSERT_TICKET)?;
    let mut ins_note = tx.prepare(
        "INSERT INTO activity (ticket_id, at, author, kind, text) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ins_share =
        tx.prepare("INSERT INTO shares (provider_id, taskfire_id, held_by) VALUES (?1, ?2, ?3)")?;
    let mut ins_series =
        tx.prepare("INSERT INTO series (base_number, every_days, count) VALUES (?1, 7, 4)")?;

    let span = Duration::days(730).num_milliseconds();
    let start = to_ms(now) - span;
    let step = (span / count as i64).max(1);
    let series_every = 20_000u64.min(count.max(2) / 2).max(1);
    for i in 0..count {
        let created = (start + i as i64 * step + rng.i64(0..step)).min(to_ms(now));
        let created_dt = crate::store::from_ms(created);
        let day = desk_date(created_dt, dir.tz);
        let key = day.to_string();
        let seq = days.entry(key).or_insert(0);
        *seq += 1;
        let base = format_number(day, *seq as u64);
        let (series_id, number, due) = if i % series_every == series_every - 1 {
            ins_series.execute([&base])?;
            stats.series += 1;
            // The series' first instance; later instances follow below.
            (
                Some(tx.last_insert_rowid()),
                series_instance(&base, 1),
                Some(created + Duration::days(7).num_milliseconds()),
            )
        } else {
            let due = rng
                .bool()
                .then(|| created + Duration::hours(rng.i64(4..24 * 14)).num_milliseconds());
            (None, base.clone(), due)
        };
        let mut pick = rng.u32(0..100);
        let source_id = sources
            .iter()
            .find(|(w, _)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map_or(sources[0].1, |s| s.1);
        let company = &dir.companies[rng.usize(0..dir.companies.len().max(1))];
        let contacts: Vec<&crate::store::dir::Person> = dir
            .contacts
            .iter()
            .filter(|c| c.company_id == Some(company.id))
            .collect();
        // Portal tickets come from contacts who have the portal; a company without one
        // writes e-mails instead.
        let portal_contacts: Vec<&crate::store::dir::Person> = contacts
            .iter()
            .copied()
            .filter(|c| c.portal != PortalLevel::None)
            .collect();
        let source_id = if source_id == portal_source && portal_contacts.is_empty() {
            email_source
        } else {
            source_id
        };
        let contact = if source_id == portal_source {
            Some(portal_contacts[rng.usize(0..portal_contacts.len())])
        } else {
            (!contacts.is_empty() && rng.u8(0..10) < 8)
                .then(|| contacts[rng.usize(0..contacts.len())])
        };
        let portal = source_id == portal_source && contact.is_some();
        let issue_type = dir
            .issue_types
            .iter()
            .filter(|t| t.company_id.is_none() || t.company_id == Some(company.id))
            .nth(rng.usize(0..3));
        let queue_id = if portal {
            dir.queue(0, portal_queue(&dir.route(issue_type)))?.id
        } else if provider_queues.is_empty() {
            portal_queue_id
        } else {
            provider_queues[rng.usize(0..provider_queues.len())]
        };
        let old = to_ms(now) - created > Duration::days(30).num_milliseconds();
        let status_id = if old && rng.u8(0..100) < 95 {
            complete
        } else {
            open_statuses[rng.usize(0..3)]
        };
        let assigned =
            (!staff.is_empty() && rng.u8(0..10) < 7).then(|| staff[rng.usize(0..staff.len())].id);
        let (creator_kind, creator) = match contact.filter(|_| portal) {
            Some(c) => ("contact", c),
            None => ("resource", staff[rng.usize(0..staff.len().max(1))]),
        };
        let title = format!(
            "{} {} {}",
            THINGS[rng.usize(0..THINGS.len())],
            PROBLEMS[rng.usize(0..PROBLEMS.len())],
            PLACES[rng.usize(0..PLACES.len())]
        );
        let description = format!(
            "{} reported: {}. {}",
            contact.map_or("A user", |c| c.name.as_str()),
            title.to_lowercase(),
            NOTES[rng.usize(0..NOTES.len())]
        );
        let priority = [1, 2, 2, 2, 3, 3, 4][rng.usize(0..7)];
        // The history is drawn before the ticket is written, in the same order as ever
        // (the same seed gives the same desk), so that the ticket's last update is known.
        let notes: Vec<(i64, &str, &str, &str)> = (0..rng.usize(0..3))
            .map(|n| {
                let kinds = ["internal", "published", "portal"];
                let kind = kinds[rng.usize(0..if contact.is_some() { 3 } else { 2 })];
                let author = if kind == "portal" {
                    contact.map_or("", |c| c.login.as_str())
                } else {
                    staff[rng.usize(0..staff.len())].login.as_str()
                };
                let at = created + (n as i64 + 1) * 3_600_000;
                (at, author, kind, NOTES[rng.usize(0..NOTES.len())])
            })
            .collect();
        let shared = series_id.is_none()
            && taskfire_companies.contains(&company.id)
            && status_id != complete
            && rng.u8(0..100) < 20;
        let updated = notes
            .last()
            .map_or(if shared { created + 60_000 } else { created }, |n| n.0);
        let insert = |number: &str,
                      side: i64,
                      queue: i64,
                      status: i64,
                      assigned: Option<i64>,
                      due: Option<i64>| {
            ins_ticket.execute(params![
                number,
                side,
                title,
                description,
                status,
                status == complete,
                priority,
                queue,
                source_id,
                issue_type.map(|t| t.id),
                None::<i64>,
                company.id,
                contact.map(|c| c.id),
                assigned,
                creator_kind,
                creator.id,
                creator.tz.name(),
                created,
                due,
                series_id,
                number_key(number),
                updated,
            ])
        };
        let mut ins = insert;
        ins(&number, 0, queue_id, status_id, assigned, due)?;
        let id = tx.last_insert_rowid();
        stats.tickets += 1;
        for (at, author, kind, text) in notes {
            ins_note.execute(params![id, at, author, kind, text])?;
            stats.notes += 1;
        }
        if let Some(sid) = series_id {
            for k in 2..=4u32 {
                let d = due.map(|d| d + Duration::days(7 * (k as i64 - 1)).num_milliseconds());
                ins(
                    &series_instance(&base, k),
                    0,
                    queue_id,
                    open_statuses[0],
                    assigned,
                    d,
                )?;
                stats.tickets += 1;
                let _ = sid;
            }
        } else if shared {
            let tf_queue = dir
                .queues
                .iter()
                .find(|q| q.side == company.id)
                .map_or(queue_id, |q| q.id);
            let tf_res = dir
                .resources
                .iter()
                .find(|r| r.company_id == Some(company.id))
                .map(|r| r.id);
            ins(
                &number,
                company.id,
                tf_queue,
                open_statuses[rng.usize(0..2)],
                tf_res,
                due.map(|d| d + 86_400_000),
            )?;
            let tid = tx.last_insert_rowid();
            ins_share.execute(params![
                id,
                tid,
                if rng.bool() { "customer" } else { "provider" }
            ])?;
            ins_note.execute(params![
                id,
                created + 60_000,
                staff[0].login,
                "taskfire",
                "Please replace the toner; we have no one on site."
            ])?;
            ins_note.execute(params![
                tid,
                created + 60_000,
                staff[0].login,
                "taskfire",
                "Please replace the toner; we have no one on site."
            ])?;
            stats.shared += 1;
        }
    }
    drop((ins_ticket, ins_note, ins_share, ins_series));
    let mut st = tx.prepare("INSERT INTO number_days (day, last) VALUES (?1, ?2) ON CONFLICT (day) DO UPDATE SET last = max(last, excluded.last)")?;
    for (day, last) in &days {
        st.execute(params![day, last])?;
    }
    tx.execute_batch(schema::INSERT_TRIGGERS)?;
    tx.execute_batch(schema::LIST_INDEXES)?;
    tx.execute_batch(REBUILD)?;
    // Statistics for the planner from a sample of each index (a full ANALYZE read every
    // index of a million tickets whole: seconds, for the same plans).
    tx.execute_batch("PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA analysis_limit = 0;")?;
    Ok(stats)
}
