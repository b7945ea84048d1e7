//! The SQLite schema (version 6) and the steps that bring an older store up to it.

use super::sql::Store;

use crate::error::Result;

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

/// A company's open tickets newest first (docs/lists.md, "A company's open tickets"): the
/// TUI's default list with a company filter, and its count, which reads this index
/// alone (it holds every filtered column). Part of every new store, and the step 5 -> 6.
macro_rules! company_index {
    () => {
        r#"
CREATE INDEX tickets_company_open_by_created ON tickets
  (side, company_id, created_at, id, queue_id, status_id, priority, assigned_id, source_id, due_at)
  WHERE closed = 0;
"#
    };
}

pub(crate) const LIST_INDEXES: &str = concat!(list_indexes!(), company_index!());

/// The planner's statistics of the index of a company's open tickets, from the whole
/// index (a tenth of the tickets: a fraction of a second on a million). Sampled ones
/// (`analysis_limit`) got its rows per desk wrong by twenty times on the demo desk, and
/// SQLite then misjudged the lists without a company too (the open tickets newest first
/// took a second, sorting every one).
macro_rules! company_index_stats {
    () => {
        "PRAGMA analysis_limit = 0; ANALYZE tickets_company_open_by_created;"
    };
}
pub(crate) const COMPANY_INDEX_STATS: &str = company_index_stats!();
pub(crate) const DROP_LIST_INDEXES: &str = "DROP INDEX tickets_company_open_by_created;
DROP INDEX tickets_by_number; DROP INDEX tickets_by_due;
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
"#;
pub(crate) const DROP_INSERT_TRIGGERS: &str = "DROP TRIGGER queue_counts_ai;";

/// The search documents and the change feed (docs/postgres.md): a row per ticket in the
/// FTS5 table `search`, written by the engine (`Store::write_search_document`) from the
/// ticket's text and notes; the terms that exist, for expanding a prefix; and the
/// changes table. Part of every new store, and of the step 4 -> 5.
macro_rules! search_and_changes {
    () => {
        r#"
CREATE VIRTUAL TABLE search USING fts5(title, description, notes, internal, content='', contentless_delete=1, prefix='1 2');
CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TRIGGER search_ad AFTER DELETE ON tickets BEGIN DELETE FROM search WHERE rowid = old.id; END;
CREATE TABLE changes (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, number TEXT NOT NULL, desk TEXT NOT NULL,
  version INTEGER, actor TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX changes_at ON changes (at);
"#
    };
}
pub(crate) const SEARCH_AND_CHANGES: &str = search_and_changes!();

/// Every ticket's search document from what the store holds, and the terms in them:
/// after a bulk load and in the step 4 -> 5.
macro_rules! fill_search {
    () => {
        r#"
DELETE FROM search;
INSERT INTO search (rowid, title, description, notes, internal)
SELECT t.id, t.title, t.description,
  coalesce((SELECT group_concat(a.text, char(10)) FROM activity a WHERE a.ticket_id = t.id AND a.kind IN ('published', 'portal', 'taskfire')), ''),
  coalesce((SELECT group_concat(a.text, char(10)) FROM activity a WHERE a.ticket_id = t.id AND a.kind = 'internal'), '')
FROM tickets t;
CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, search, 'row');
INSERT OR IGNORE INTO search_terms (term) SELECT term FROM temp.search_vocab;
DROP TABLE temp.search_vocab;
"#
    };
}
pub(crate) const FILL_SEARCH: &str = fill_search!();

/// Each ticket's title words in title order (docs/lists.md, "Searching by title"): a row
/// per term of a title, ordered by desk, term, the title as titles sort (ignoring case)
/// and id, so that the tickets whose titles hold a word are read in title order from
/// where a cursor points. `title_indexed` holds, per ticket, the title those rows were
/// written for and its terms (a JSON array), so that a rename or a deletion removes
/// exactly them. Written by the SQLite store (`store/titles.rs`); part of every new
/// store, and of the step 6 -> 7 (which the store then fills).
macro_rules! title_words {
    () => {
        r#"
CREATE TABLE title_words (
  side INTEGER NOT NULL, term TEXT NOT NULL, title TEXT NOT NULL COLLATE NOCASE, id INTEGER NOT NULL,
  PRIMARY KEY (side, term, title, id)) WITHOUT ROWID;
CREATE TABLE title_indexed (id INTEGER PRIMARY KEY, side INTEGER NOT NULL, title TEXT NOT NULL, terms TEXT NOT NULL);
CREATE TRIGGER title_words_ad AFTER DELETE ON tickets BEGIN
  DELETE FROM title_words WHERE side = (SELECT side FROM title_indexed WHERE id = old.id)
    AND term IN (SELECT value FROM json_each((SELECT terms FROM title_indexed WHERE id = old.id)))
    AND title = (SELECT title FROM title_indexed WHERE id = old.id) AND id = old.id;
  DELETE FROM title_indexed WHERE id = old.id; END;
"#
    };
}
pub(crate) const TITLE_WORDS: &str = title_words!();

/// The store version whose step adds `title_words` (filled after the step's SQL).
pub(crate) const TITLE_WORDS_SINCE: i64 = 7;

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
    // 4 -> 5: one search document per ticket (docs/postgres.md, "Search, the same on both
    // stores") instead of an index of tickets and another of notes; the changes table.
    concat!(
        "DROP TRIGGER tickets_fts_ai; DROP TRIGGER notes_fts_ai; DROP TRIGGER tickets_fts_ad;
DROP TRIGGER tickets_fts_au; DROP TRIGGER notes_fts_ad; DROP TABLE tickets_fts; DROP TABLE notes_fts;",
        search_and_changes!(),
        fill_search!(),
    ),
    // 5 -> 6: a company's open tickets newest first, with the planner's statistics of
    // the new index alone (the others' stay as they were).
    concat!(company_index!(), company_index_stats!()),
    // 6 -> 7: title words, for title-sorted searches; `migrate` fills them.
    title_words!(),
];

pub fn create(tx: &dyn Store) -> Result<()> {
    tx.batch(SCHEMA)?;
    tx.batch(LIST_INDEXES)?;
    tx.batch(inbox!())?;
    tx.batch(PORTAL_ACCOUNTS)?;
    tx.batch(INSERT_TRIGGERS)?;
    tx.batch(SEARCH_AND_CHANGES)?;
    tx.batch(TITLE_WORDS)?;
    Ok(())
}
