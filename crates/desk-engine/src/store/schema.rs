//! The schema (version 4), the steps that bring an older store up to it, and writing a
//! validated setup into a new store.

use rusqlite::{Transaction, params};

use crate::error::Result;
use crate::model::{
    BUILTIN_SOURCES, BUILTIN_STATUSES, CLIENT_PORTAL, CLOSED_STATUS, SYSTEM_SOURCES,
};
use crate::setup::{PersonSpec, Setup};

const SCHEMA: &str = r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, taskfire INTEGER NOT NULL);
-- company_id NULL: provider staff; otherwise a Taskfire resource of that company.
CREATE TABLE resources (
  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL, email TEXT NOT NULL,
  service_desk INTEGER NOT NULL, time_zone TEXT NOT NULL, company_id INTEGER REFERENCES companies(id));
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL, email TEXT NOT NULL,
  company_id INTEGER NOT NULL REFERENCES companies(id), time_zone TEXT NOT NULL, portal TEXT NOT NULL);
-- side 0: the provider desk; otherwise the Taskfire desk of that company.
CREATE TABLE queues (id INTEGER PRIMARY KEY, name TEXT NOT NULL, side INTEGER NOT NULL, UNIQUE (side, name));
CREATE TABLE work_types (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE statuses (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, closed INTEGER NOT NULL);
CREATE TABLE sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, system INTEGER NOT NULL);
CREATE TABLE issue_types (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, company_id INTEGER REFERENCES companies(id),
  queue_id INTEGER REFERENCES queues(id));
CREATE TABLE rules (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE templates (event TEXT PRIMARY KEY, subject TEXT NOT NULL, body TEXT NOT NULL);
-- R4: the last sequence given on each desk date. Only ever increases.
CREATE TABLE number_days (day TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE series (id INTEGER PRIMARY KEY, base_number TEXT NOT NULL UNIQUE, every_days INTEGER NOT NULL, count INTEGER NOT NULL);
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL,
  side INTEGER NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  status_id INTEGER NOT NULL REFERENCES statuses(id),
  closed INTEGER NOT NULL,
  priority INTEGER NOT NULL,
  queue_id INTEGER NOT NULL REFERENCES queues(id),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  issue_type_id INTEGER REFERENCES issue_types(id),
  work_type_id INTEGER REFERENCES work_types(id),
  company_id INTEGER REFERENCES companies(id),
  contact_id INTEGER REFERENCES contacts(id),
  assigned_id INTEGER REFERENCES resources(id),
  creator_kind TEXT NOT NULL,
  creator_id INTEGER NOT NULL,
  creator_tz TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  due_at INTEGER,
  series_id INTEGER REFERENCES series(id),
  version INTEGER NOT NULL,
  -- The number as a number (domain::number::number_key), for sorting by number.
  number_key INTEGER NOT NULL DEFAULT 0,
  -- The last change of any kind; set by every write.
  updated_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE (side, number));
CREATE INDEX tickets_queue ON tickets (queue_id, closed, id);
CREATE INDEX tickets_side ON tickets (side, id);
CREATE INDEX tickets_source ON tickets (source_id, id);
CREATE INDEX tickets_company ON tickets (company_id, id);
CREATE INDEX tickets_contact ON tickets (contact_id);
CREATE INDEX tickets_assigned ON tickets (assigned_id, id);
CREATE INDEX tickets_number ON tickets (number);
-- A ticket shared with Taskfire: the provider's version and the customer's.
CREATE TABLE shares (
  provider_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  taskfire_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE CASCADE,
  held_by TEXT NOT NULL);
-- The activity history: notes (kind internal|published|portal|taskfire) and events.
CREATE TABLE activity (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  author TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  field TEXT, from_value TEXT, to_value TEXT,
  -- The ticket's version once this was written (NULL: written before versions were kept).
  version INTEGER);
CREATE INDEX activity_ticket ON activity (ticket_id, id);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY, event TEXT NOT NULL, recipient TEXT NOT NULL, subject TEXT NOT NULL,
  body TEXT NOT NULL, ticket TEXT, at INTEGER NOT NULL, sent_at INTEGER);
-- expires_at NULL: the token never expires.
CREATE TABLE tokens (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, login TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER);
-- Open tickets per queue, kept by triggers so the queue pane never counts a big desk.
CREATE TABLE queue_counts (queue_id INTEGER PRIMARY KEY, open INTEGER NOT NULL);
CREATE TRIGGER queue_counts_ad AFTER DELETE ON tickets WHEN old.closed = 0 BEGIN
  UPDATE queue_counts SET open = open - 1 WHERE queue_id = old.queue_id; END;
CREATE TRIGGER queue_counts_au AFTER UPDATE OF queue_id, closed ON tickets BEGIN
  UPDATE queue_counts SET open = open - 1 WHERE queue_id = old.queue_id AND old.closed = 0;
  INSERT INTO queue_counts (queue_id, open) SELECT new.queue_id, 1 WHERE new.closed = 0
  ON CONFLICT (queue_id) DO UPDATE SET open = open + 1; END;
-- Full-text search (external content: the text lives once, in tickets and activity).
CREATE VIRTUAL TABLE tickets_fts USING fts5(title, description, content='tickets', content_rowid='id');
CREATE VIRTUAL TABLE notes_fts USING fts5(text, content='activity', content_rowid='id');
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description); END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF title, description ON tickets BEGIN
  INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO tickets_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END;
CREATE TRIGGER notes_fts_ad AFTER DELETE ON activity WHEN old.kind <> 'event' BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.id, old.text); END;
"#;

/// `domain::number::number_key` in SQL, over the column `number` (for the migration; a
/// test holds the two to the same answers).
macro_rules! number_key_sql {
    () => {
        "(CAST(substr(number, 2, 8) AS INTEGER) * 10000000000
  + min(CAST(CASE WHEN instr(substr(number, 11), '.') > 0 THEN substr(number, 11, instr(substr(number, 11), '.') - 1) ELSE substr(number, 11) END AS INTEGER), 9999999) * 1000
  + CASE WHEN instr(substr(number, 11), '.') > 0 THEN CAST(substr(number, 11 + instr(substr(number, 11), '.')) AS INTEGER) ELSE 0 END)"
    };
}

/// The indexes of sorted lists and counts (docs/lists.md). New stores get them with the
/// schema, older ones with the migration to version 3; the demo generator drops them for
/// a bulk load and builds them after (`LIST_INDEXES`, `DROP_LIST_INDEXES`).
macro_rules! list_indexes {
    () => {
        r#"
-- One index per sort key over a desk, and one over its open tickets: a page walks the
-- key's order from the cursor (keyset paging), checking the queue from the index.
CREATE INDEX tickets_by_number ON tickets (side, number_key, id, queue_id, closed);
CREATE INDEX tickets_by_due ON tickets (side, due_at, id, queue_id, closed);
CREATE INDEX tickets_by_priority ON tickets (side, priority, id, queue_id, closed);
CREATE INDEX tickets_by_created ON tickets (side, created_at, id, queue_id, closed);
CREATE INDEX tickets_by_updated ON tickets (side, updated_at, id, queue_id, closed);
CREATE INDEX tickets_by_title ON tickets (side, title COLLATE NOCASE, id, queue_id, closed);
CREATE INDEX tickets_by_status ON tickets (side, status_id, id, queue_id);
CREATE INDEX tickets_open_by_number ON tickets (side, number_key, id, queue_id) WHERE closed = 0;
CREATE INDEX tickets_open_by_due ON tickets (side, due_at, id, queue_id) WHERE closed = 0;
CREATE INDEX tickets_open_by_priority ON tickets (side, priority, id, queue_id) WHERE closed = 0;
CREATE INDEX tickets_open_by_created ON tickets (side, created_at, id, queue_id) WHERE closed = 0;
CREATE INDEX tickets_open_by_updated ON tickets (side, updated_at, id, queue_id) WHERE closed = 0;
CREATE INDEX tickets_open_by_title ON tickets (side, title COLLATE NOCASE, id, queue_id) WHERE closed = 0;
-- A queue's open tickets newest first (the default view) and by due (triage): exact.
CREATE INDEX tickets_queue_open_by_created ON tickets (queue_id, created_at, id) WHERE closed = 0;
CREATE INDEX tickets_queue_open_by_due ON tickets (queue_id, due_at, id) WHERE closed = 0;
-- Counts: every filtered column, so that a count reads this index alone.
CREATE INDEX tickets_count ON tickets (side, closed, queue_id, status_id, source_id, priority, assigned_id, company_id, due_at);
"#
    };
}

pub(crate) const LIST_INDEXES: &str = list_indexes!();
pub(crate) const DROP_LIST_INDEXES: &str = "DROP INDEX tickets_by_number; DROP INDEX tickets_by_due;
DROP INDEX tickets_by_priority; DROP INDEX tickets_by_created; DROP INDEX tickets_by_updated;
DROP INDEX tickets_by_title; DROP INDEX tickets_by_status; DROP INDEX tickets_open_by_number;
DROP INDEX tickets_open_by_due; DROP INDEX tickets_open_by_priority; DROP INDEX tickets_open_by_created;
DROP INDEX tickets_open_by_updated; DROP INDEX tickets_open_by_title; DROP INDEX tickets_count;
DROP INDEX tickets_queue_open_by_created; DROP INDEX tickets_queue_open_by_due;";

/// The inbox (docs/lists.md): its table, its kept counts and their triggers.
macro_rules! inbox {
    () => {
        r#"
-- The inbox: a row per technician and open ticket with customer or Taskfire activity the
-- technician has not seen since; counts per technician and queue kept by triggers.
CREATE TABLE unseen (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  resource_id INTEGER NOT NULL REFERENCES resources(id),
  since INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, resource_id)) WITHOUT ROWID;
CREATE INDEX unseen_resource ON unseen (resource_id, ticket_id);
CREATE TABLE unseen_counts (
  resource_id INTEGER NOT NULL, queue_id INTEGER NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY (resource_id, queue_id)) WITHOUT ROWID;
CREATE TRIGGER unseen_ai AFTER INSERT ON unseen BEGIN
  INSERT INTO unseen_counts (resource_id, queue_id, n)
  SELECT new.resource_id, queue_id, 1 FROM tickets WHERE id = new.ticket_id
  ON CONFLICT (resource_id, queue_id) DO UPDATE SET n = n + 1; END;
CREATE TRIGGER unseen_ad AFTER DELETE ON unseen BEGIN
  UPDATE unseen_counts SET n = n - 1 WHERE resource_id = old.resource_id
  AND queue_id = (SELECT queue_id FROM tickets WHERE id = old.ticket_id); END;
-- Before the ticket goes: the count needs its queue.
CREATE TRIGGER unseen_ticket_bd BEFORE DELETE ON tickets BEGIN
  DELETE FROM unseen WHERE ticket_id = old.id; END;
CREATE TRIGGER unseen_queue_au AFTER UPDATE OF queue_id ON tickets WHEN old.queue_id <> new.queue_id BEGIN
  UPDATE unseen_counts SET n = n - 1 WHERE queue_id = old.queue_id
  AND resource_id IN (SELECT resource_id FROM unseen WHERE ticket_id = new.id);
  INSERT INTO unseen_counts (resource_id, queue_id, n)
  SELECT resource_id, new.queue_id, 1 FROM unseen WHERE ticket_id = new.id
  ON CONFLICT (resource_id, queue_id) DO UPDATE SET n = n + 1; END;
-- Only open tickets are in an inbox: closing one takes it out of every inbox.
CREATE TRIGGER unseen_closed_au AFTER UPDATE OF closed ON tickets WHEN new.closed = 1 BEGIN
  DELETE FROM unseen WHERE ticket_id = new.id; END;
"#
    };
}

/// The Client Portal's sign-in (docs/portal.md): passwords as argon2id PHC strings, and
/// invites and sessions by the SHA-256 of their secret (the secret itself is only ever
/// in the contact's link or cookie). Part of every new store, and the step 3 -> 4.
pub(crate) const PORTAL_ACCOUNTS: &str = r#"
CREATE TABLE passwords (
  contact_id INTEGER PRIMARY KEY REFERENCES contacts(id), hash TEXT NOT NULL, set_at INTEGER NOT NULL);
CREATE TABLE invites (
  hash TEXT PRIMARY KEY, contact_id INTEGER NOT NULL REFERENCES contacts(id),
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX invites_contact ON invites (contact_id);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY, contact_id INTEGER NOT NULL REFERENCES contacts(id),
  created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL);
CREATE INDEX sessions_contact ON sessions (contact_id);
"#;

/// The triggers that run on every insert. The demo generator drops them for a bulk load
/// and puts them back (then rebuilds what they maintain).
pub(crate) const INSERT_TRIGGERS: &str = r#"
CREATE TRIGGER queue_counts_ai AFTER INSERT ON tickets WHEN new.closed = 0 BEGIN
  INSERT INTO queue_counts (queue_id, open) VALUES (new.queue_id, 1)
  ON CONFLICT (queue_id) DO UPDATE SET open = open + 1; END;
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
  INSERT INTO tickets_fts(rowid, title, description) VALUES (new.id, new.title, new.description); END;
CREATE TRIGGER notes_fts_ai AFTER INSERT ON activity WHEN new.kind <> 'event' BEGIN
  INSERT INTO notes_fts(rowid, text) VALUES (new.id, new.text); END;
"#;
pub(crate) const DROP_INSERT_TRIGGERS: &str =
    "DROP TRIGGER queue_counts_ai; DROP TRIGGER tickets_fts_ai; DROP TRIGGER notes_fts_ai;";

/// What brings a store of version `n` to `n + 1`, in order from version 1. A store made
/// by `create` is at the newest version already.
pub const MIGRATIONS: &[&str] = &[
    // 1 -> 2: tokens expire. Those made before never do, as when they were made.
    "ALTER TABLE tokens ADD COLUMN expires_at INTEGER;",
    // 2 -> 3: sorted lists, counts and the inbox (docs/lists.md). A ticket was last
    // updated at its latest activity (or its creation); the inbox starts empty, so an
    // upgrade does not flood it with the desk's whole past.
    concat!(
        "ALTER TABLE tickets ADD COLUMN number_key INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE activity ADD COLUMN version INTEGER;
UPDATE tickets SET updated_at = max(created_at, coalesce((SELECT max(a.at) FROM activity a WHERE a.ticket_id = tickets.id), 0)),
  number_key = ",
        number_key_sql!(),
        ";",
        list_indexes!(),
        inbox!(),
        "PRAGMA analysis_limit = 2000; ANALYZE; PRAGMA analysis_limit = 0;"
    ),
    // 3 -> 4: portal passwords, invites and sessions.
    PORTAL_ACCOUNTS,
];

pub fn create(tx: &Transaction) -> Result<()> {
    tx.execute_batch(SCHEMA)?;
    tx.execute_batch(LIST_INDEXES)?;
    tx.execute_batch(inbox!())?;
    tx.execute_batch(PORTAL_ACCOUNTS)?;
    tx.execute_batch(INSERT_TRIGGERS)?;
    Ok(())
}

fn person(
    tx: &Transaction,
    p: &PersonSpec,
    service_desk: bool,
    company: Option<i64>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO resources (login, name, email, service_desk, time_zone, company_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![p.login, p.name, p.email, service_desk, p.time_zone, company],
    )?;
    Ok(())
}

pub fn load_setup(tx: &Transaction, s: &Setup) -> Result<()> {
    let meta = |k: &str, v: &str| {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![k, v],
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
        tx.execute("INSERT INTO queues (name, side) VALUES (?1, 0)", params![q])?;
    }
    for w in &s.work_types {
        tx.execute("INSERT INTO work_types (name) VALUES (?1)", params![w])?;
    }
    for st in BUILTIN_STATUSES
        .iter()
        .copied()
        .chain(s.statuses.iter().map(String::as_str))
    {
        tx.execute(
            "INSERT INTO statuses (name, closed) VALUES (?1, ?2)",
            params![st, st == CLOSED_STATUS],
        )?;
    }
    for src in BUILTIN_SOURCES {
        tx.execute(
            "INSERT INTO sources (name, system) VALUES (?1, ?2)",
            params![src, SYSTEM_SOURCES.contains(&src)],
        )?;
    }
    for c in &s.companies {
        tx.execute(
            "INSERT INTO companies (name, taskfire) VALUES (?1, ?2)",
            params![c.name, c.taskfire.is_some()],
        )?;
        let id = tx.last_insert_rowid();
        if let Some(tf) = &c.taskfire {
            for q in &tf.queues {
                tx.execute(
                    "INSERT INTO queues (name, side) VALUES (?1, ?2)",
                    params![q, id],
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
            params![
                c.person.login,
                c.person.name,
                c.person.email,
                c.company,
                c.person.time_zone,
                c.portal.as_str()
            ],
        )?;
    }
    for it in &s.issue_types {
        let company: Option<i64> = match &it.company {
            None => None,
            Some(c) => Some(tx.query_row(
                "SELECT id FROM companies WHERE name = ?1",
                [c],
                |r| r.get(0),
            )?),
        };
        // A provider issue type names a provider queue; a customer's may name its own desk's.
        let queue: Option<i64> = match &it.queue {
            None => None,
            Some(q) => Some(tx.query_row(
                "SELECT id FROM queues WHERE name = ?1 AND side IN (0, ?2) ORDER BY side DESC LIMIT 1",
                params![q, company.unwrap_or(0)],
                |r| r.get(0),
            )?),
        };
        tx.execute(
            "INSERT INTO issue_types (name, company_id, queue_id) VALUES (?1, ?2, ?3)",
            params![it.name, company, queue],
        )?;
    }
    for r in &s.rules {
        let body = serde_json::to_string(r)
            .map_err(|e| crate::error::Error::invalid("workflow_rules", e.to_string()))?;
        tx.execute("INSERT INTO rules (body) VALUES (?1)", params![body])?;
    }
    for t in &s.templates {
        tx.execute(
            "INSERT INTO templates (event, subject, body) VALUES (?1, ?2, ?3)",
            params![t.event, t.subject, t.body],
        )?;
    }
    Ok(())
}
