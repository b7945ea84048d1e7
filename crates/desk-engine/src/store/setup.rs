//! Writing a validated setup into a new store: the same statements for both stores.

use super::sql::{Store, args};
use crate::error::Result;
use crate::model::{
    BUILTIN_SOURCES, BUILTIN_STATUSES, CLIENT_PORTAL, CLOSED_STATUS, SYSTEM_SOURCES,
};
use crate::setup::{PersonSpec, Setup};

fn person(tx: &dyn Store, p: &PersonSpec, service_desk: bool, company: Option<i64>) -> Result<()> {
    tx.execute(
        "INSERT INTO resources (login, name, email, service_desk, time_zone, company_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &args![&p.login, &p.name, &p.email, service_desk, &p.time_zone, company],
    )?;
    Ok(())
}

pub fn load_setup(tx: &dyn Store, s: &Setup) -> Result<()> {
    let meta = |k: &str, v: &str| {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            &args![k, v],
        )
    };
    meta("desk_name", &s.desk_name)?;
    meta("time_zone", s.time_zone.name())?;
    if let Some(d) = s.show_tickets_created_on_or_after {
        meta("show_tickets_created_on_or_after", &d.to_string())?;
    }
    for r in &s.resources {
        person(tx, &r.person, r.service_desk, None)?;
    }
    for q in std::iter::once(CLIENT_PORTAL).chain(s.queues.iter().map(String::as_str)) {
        tx.execute("INSERT INTO queues (name, side) VALUES (?1, 0)", &args![q])?;
    }
    for w in &s.work_types {
        tx.execute("INSERT INTO work_types (name) VALUES (?1)", &args![w])?;
    }
    for st in BUILTIN_STATUSES
        .iter()
        .copied()
        .chain(s.statuses.iter().map(String::as_str))
    {
        tx.execute(
            "INSERT INTO statuses (name, closed) VALUES (?1, ?2)",
            &args![st, st == CLOSED_STATUS],
        )?;
    }
    for src in BUILTIN_SOURCES {
        tx.execute(
            "INSERT INTO sources (name, system) VALUES (?1, ?2)",
            &args![src, SYSTEM_SOURCES.contains(&src)],
        )?;
    }
    for c in &s.companies {
        let id = tx.int(
            "INSERT INTO companies (name, taskfire) VALUES (?1, ?2) RETURNING id",
            &args![&c.name, c.taskfire.is_some()],
        )?;
        if let Some(tf) = &c.taskfire {
            for q in &tf.queues {
                tx.execute(
                    "INSERT INTO queues (name, side) VALUES (?1, ?2)",
                    &args![q, id],
                )?;
            }
            for r in &tf.resources {
                person(tx, r, false, Some(id))?;
            }
        }
    }
    for c in &s.contacts {
        tx.execute(
            "INSERT INTO contacts (login, name, email, company_id, time_zone, portal)
             VALUES (?1, ?2, ?3, (SELECT id FROM companies WHERE name = ?4), ?5, ?6)",
            &args![
                &c.person.login,
                &c.person.name,
                &c.person.email,
                &c.company,
                &c.person.time_zone,
                c.portal.as_str()
            ],
        )?;
    }
    for it in &s.issue_types {
        let company: Option<i64> = match &it.company {
            None => None,
            Some(c) => Some(tx.int("SELECT id FROM companies WHERE name = ?1", &args![c])?),
        };
        // A provider issue type names a provider queue; a customer's may name its own desk's.
        let queue: Option<i64> = match &it.queue {
            None => None,
            Some(q) => Some(tx.int(
                "SELECT id FROM queues WHERE name = ?1 AND side IN (0, ?2) ORDER BY side DESC LIMIT 1",
                &args![q, company.unwrap_or(0)],
            )?),
        };
        tx.execute(
            "INSERT INTO issue_types (name, company_id, queue_id) VALUES (?1, ?2, ?3)",
            &args![&it.name, company, queue],
        )?;
    }
    for r in &s.rules {
        let body = serde_json::to_string(r)
            .map_err(|e| crate::error::Error::invalid("workflow_rules", e.to_string()))?;
        tx.execute("INSERT INTO rules (body) VALUES (?1)", &args![body])?;
    }
    for t in &s.templates {
        tx.execute(
            "INSERT INTO templates (event, subject, body) VALUES (?1, ?2, ?3)",
            &args![&t.event, &t.subject, &t.body],
        )?;
    }
    Ok(())
}
