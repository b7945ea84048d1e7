//! `desk store copy --to URL` (docs/postgres.md, "Copying a desk"): a whole desk from one
//! store (a SQLite file, or another database) into an empty PostgreSQL database, in one
//! transaction there: setup, tickets with their numbers and ids, history, shares, the
//! inbox, tokens, the portal's passwords, invites and sessions, the outbox with what was
//! sent. The search documents are made anew from the copied text as the tickets are
//! written, and the kept counts from the copied rows. The change feed's past is not copied: servers on the new store
//! start their feeds there.

use desk_engine::store::search::SearchDoc;
use desk_engine::store::sql::{SqlRow, Store, Value, args};
use desk_engine::store::words::Words;
use desk_engine::{Error, Result};

use crate::conn::{PgDb, config};
use crate::{dialect, schema, store};

/// The tables copied, parents before children; with `NOT_COPIED`, every table of the
/// schema (a test holds both lists to the catalog, and the order to its foreign keys).
pub const TABLES: &[&str] = &[
    "meta",
    "companies",
    "resources",
    "contacts",
    "queues",
    "work_types",
    "statuses",
    "sources",
    "issue_types",
    "rules",
    "templates",
    "number_days",
    "series",
    "tickets",
    "shares",
    "activity",
    "outbox",
    "tokens",
    "passwords",
    "invites",
    "sessions",
    "unseen",
];

/// The tables not copied: kept counts are rebuilt from the copied rows; the change
/// feed's past starts empty.
pub const NOT_COPIED: &[&str] = &["queue_counts", "unseen_counts", "changes"];

/// Rows read from the source at a time (tables with an id).
const CHUNK: i64 = 5000;

/// How much was copied: rows per table, in the order copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(String, u64)>,
}

impl Copied {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    }
}

const REBUILD_COUNTS: &str = "
DELETE FROM queue_counts;
INSERT INTO queue_counts (queue_id, open) SELECT queue_id, count(*) FROM tickets WHERE closed = 0 GROUP BY queue_id;
DELETE FROM unseen_counts;
INSERT INTO unseen_counts (resource_id, queue_id, n)
SELECT u.resource_id, t.queue_id, count(*) FROM unseen u JOIN tickets t ON t.id = u.ticket_id GROUP BY 1, 2;";

/// The columns of `table` in the destination, each with whether it holds text.
fn columns(db: &dyn Store, table: &str) -> Result<Vec<(String, bool)>> {
    db.all(
        "SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = ?1 AND data_type IN ('bigint', 'text')
         ORDER BY ordinal_position",
        &args![table],
        |r| Ok((r.text(0)?, r.text(1)? == "text")),
    )
}

fn value(r: &dyn SqlRow, i: usize, text: bool) -> Result<Value> {
    Ok(if text {
        r.opt_text(i)?.map_or(Value::Null, Value::Text)
    } else {
        r.opt_int(i)?.map_or(Value::Null, Value::Int)
    })
}

/// The search documents of `rows` of `tickets` (columns `names`), from their text and
/// their notes in `source`, as `dialect::write_documents` makes them: each ticket's
/// notes in the order written, joined by line breaks, the internal ones apart.
fn documents(
    source: &dyn Store,
    names: &[&str],
    rows: &[Vec<Value>],
    words: &Words,
) -> Result<Vec<String>> {
    let col = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| Error::Database(format!("tickets has no column {name}")))
    };
    let (id, title, description) = (col("id")?, col("title")?, col("description")?);
    let ids: Vec<i64> = rows
        .iter()
        .filter_map(|r| match r[id] {
            Value::Int(v) => Some(v),
            _ => None,
        })
        .collect();
    let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else {
        return Ok(Vec::new());
    };
    let mut notes: std::collections::HashMap<i64, (Vec<String>, Vec<String>)> =
        std::collections::HashMap::new();
    let kinds = dialect::doc_note_kinds();
    for (ticket, kind, text) in source.all(
        &format!(
            "SELECT ticket_id, kind, text FROM activity
             WHERE ticket_id BETWEEN ?1 AND ?2 AND text IS NOT NULL AND kind IN ({kinds}, 'internal')
             ORDER BY ticket_id, id"
        ),
        &args![*lo, *hi],
        |r| Ok((r.int(0)?, r.text(1)?, r.text(2)?)),
    )? {
        let (public, internal) = notes.entry(ticket).or_default();
        if kind == "internal" {
            internal.push(text);
        } else {
            public.push(text);
        }
    }
    let text = |v: &Value| match v {
        Value::Text(s) => s.clone(),
        _ => String::new(),
    };
    rows.iter()
        .map(|r| {
            let (public, internal) = match r[id] {
                Value::Int(v) => notes.remove(&v).unwrap_or_default(),
                _ => Default::default(),
            };
            let doc = SearchDoc {
                title: text(&r[title]),
                description: text(&r[description]),
                notes: vec![public.join("\n")],
                internal: vec![internal.join("\n")],
            };
            dialect::tsvector(&doc, words)
        })
        .collect()
}

/// Copies the desk of `source` into the empty database at `url`: all of it, or nothing.
pub fn copy_into(source: &dyn Store, url: &str) -> Result<Copied> {
    let dest = PgDb::connect(config(url)?)?;
    store::check_empty(&dest)?;
    let to: &dyn Store = &dest;
    let words = Words::new();
    source.begin(false)?;
    to.begin(true)?;
    let out = (|| -> Result<Copied> {
        to.batch(&schema::create_all())?;
        dialect::bulk_begin(to)?;
        let mut copied = Copied::default();
        for table in TABLES {
            let cols = columns(to, table)?;
            let names: Vec<&str> = cols.iter().map(|(c, _)| c.as_str()).collect();
            let list = names.join(", ");
            // Tickets are written with their search documents, made from the source.
            let documented = *table == "tickets";
            let mut into = names.clone();
            let mut marks = vec!["?"; names.len()];
            if documented {
                into.push("search");
                marks.push("CAST(CAST(? AS TEXT) AS tsvector)");
            }
            let read = |r: &dyn SqlRow| -> Result<Vec<Value>> {
                cols.iter()
                    .enumerate()
                    .map(|(i, (_, text))| value(r, i, *text))
                    .collect()
            };
            let mut n = 0u64;
            if names.first() == Some(&"id") {
                let mut after = i64::MIN;
                loop {
                    let rows = source.all(
                        &format!(
                            "SELECT {list} FROM {table} WHERE id > ?1 ORDER BY id LIMIT {CHUNK}"
                        ),
                        &args![after],
                        read,
                    )?;
                    let Some(Value::Int(last)) = rows.last().and_then(|r| r.first()).cloned()
                    else {
                        break;
                    };
                    after = last;
                    n += rows.len() as u64;
                    let mut rows = rows;
                    if documented {
                        let docs = documents(source, &names, &rows, &words)?;
                        for (row, doc) in rows.iter_mut().zip(docs) {
                            row.push(Value::Text(doc));
                        }
                    }
                    dialect::bulk_insert_marked(to, table, &into, &marks, &rows)?;
                }
            } else {
                let mut rows = source.all(&format!("SELECT {list} FROM {table}"), &[], read)?;
                if *table == "meta" {
                    // The destination's own schema version, not the source's.
                    rows.retain(|r| r.first() != Some(&Value::Text("pg_schema".into())));
                    rows.push(vec!["pg_schema".into(), schema::VERSION.to_string().into()]);
                }
                n = rows.len() as u64;
                dialect::bulk_insert(to, table, &names, &rows)?;
            }
            copied.tables.push((table.to_string(), n));
        }
        to.batch(REBUILD_COUNTS)?;
        dialect::bulk_end_documented(to)?;
        Ok(copied)
    })();
    let _ = source.rollback();
    match out {
        Ok(copied) => {
            to.commit()?;
            Ok(copied)
        }
        Err(e) => {
            let _ = to.rollback();
            Err(match e {
                Error::Database(m) => Error::Database(format!("copying into {}: {m}", dest.place)),
                e => e,
            })
        }
    }
}
