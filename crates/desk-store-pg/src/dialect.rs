//! What the PostgreSQL store does its own way (docs/postgres.md, "One engine, two
//! stores"): the search document as a `tsvector` of the engine's terms and its queries,
//! the change feed's transaction-id horizon, and bulk loads.

use desk_engine::Result;
use desk_engine::model::{Change, NoteKind};
use desk_engine::store::changes::{CHANGE_COLS, change_row};
use desk_engine::store::search::{Query, SearchDoc};
use desk_engine::store::sql::{Shifted, SqlRow, Store, Value, args};
use desk_engine::store::words::Words;

use crate::schema;

/// PostgreSQL refuses a lexeme longer than this (bytes); such a "word" (a pasted blob)
/// is left out of the PostgreSQL document.
const MAX_LEXEME: usize = 2046;

/// A term quoted for `tsvector`/`tsquery` input: quotes doubled, backslashes escaped.
fn lexeme(t: &str) -> String {
    format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''"))
}

/// The document's terms as `tsvector` text: weight A for what the portal may find, B for
/// what only staff may (internal notes).
pub fn tsvector(doc: &SearchDoc, words: &Words) -> Result<String> {
    let (public, internal) = doc.terms(words)?;
    let mut out = String::new();
    let mut add = |t: &str, w: char| {
        if t.len() <= MAX_LEXEME {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&lexeme(t));
            out.push_str(":1");
            out.push(w);
        }
    };
    for t in &public {
        add(t, 'A');
    }
    for t in internal.difference(&public) {
        add(t, 'B');
    }
    Ok(out)
}

/// A search as a `tsquery`: every term, the last as a prefix; the portal's only in the
/// text it may see (weight A).
pub fn tsquery(q: &Query) -> String {
    let w = if q.portal { "A" } else { "" };
    let mut parts: Vec<String> = q
        .whole
        .iter()
        .map(|t| format!("{}{}{w}", lexeme(t), if w.is_empty() { "" } else { ":" }))
        .collect();
    parts.push(format!("{}:*{w}", lexeme(&q.prefix)));
    parts.join(" & ")
}

pub fn search_condition(q: &Query, ids: Option<(i64, i64)>) -> (String, Vec<Value>) {
    let mut sql = String::from("t.search @@ CAST(CAST(? AS TEXT) AS tsquery)");
    let mut args = vec![Value::Text(tsquery(q))];
    if let Some((lo, hi)) = ids {
        sql.push_str(" AND t.id BETWEEN ? AND ?");
        args.extend([Value::Int(lo), Value::Int(hi)]);
    }
    (sql, args)
}

/// A page that gathers its search's matches: the matches are found in a subquery the
/// planner may not merge with the order (`OFFSET 0`), so it reads them from the GIN
/// index and sorts them. Otherwise, with the page's LIMIT, it may walk the sort's index
/// filtering every row on the search: at the estimated rate of a rare or absent word it
/// expects a match soon, and reads the whole desk (docs/postgres.md).
pub fn gather_sql(cols: &str, row: &str, wh: &str, by: &str, need: usize) -> String {
    format!(
        "SELECT {cols} FROM (SELECT {row} FROM tickets t WHERE {wh} OFFSET 0) t ORDER BY {by} LIMIT {need}"
    )
}

pub fn write_search_document(
    db: &dyn Store,
    id: i64,
    doc: &SearchDoc,
    words: &Words,
) -> Result<()> {
    db.execute(
        "UPDATE tickets SET search = CAST(CAST(?2 AS TEXT) AS tsvector) WHERE id = ?1",
        &args![id, tsvector(doc, words)?],
    )?;
    Ok(())
}

/// The horizon: every transaction with an id below it has ended (committed or not).
const HORIZON: &str =
    "SELECT CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT)";

pub fn change_horizon(db: &dyn Store) -> Result<i64> {
    db.int(HORIZON, &[])
}

/// Changes of transactions from `after` up to the horizon, in (transaction, id) order.
/// Ids are handed out before commit, so a cursor on ids would skip a row whose
/// transaction commits after a later one; the horizon never skips and never repeats.
/// A transaction's changes are never split between two answers: when `limit` cuts into
/// one, the rest of it comes along.
pub fn changes_since(db: &dyn Store, after: i64, limit: i64) -> Result<(Vec<Change>, i64)> {
    let horizon = change_horizon(db)?;
    if horizon <= after {
        return Ok((Vec::new(), after));
    }
    let read = |r: &dyn SqlRow| -> Result<(i64, i64, Change)> {
        Ok((r.int(0)?, r.int(1)?, change_row(&Shifted(r, 2))?))
    };
    let sql = format!(
        "SELECT CAST(CAST(xid AS TEXT) AS BIGINT), id, {CHANGE_COLS} FROM changes
         WHERE xid >= CAST(CAST(?1 AS TEXT) AS xid8) AND xid < CAST(CAST(?2 AS TEXT) AS xid8)
         ORDER BY xid, id LIMIT ?3"
    );
    let mut rows = db.all(&sql, &args![after, horizon, limit], read)?;
    let mut next = horizon;
    let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit.max(1);
    if let (true, Some((xid, id))) = (full, rows.last().map(|(x, i, _)| (*x, *i))) {
        let rest = format!(
            "SELECT CAST(CAST(xid AS TEXT) AS BIGINT), id, {CHANGE_COLS} FROM changes
             WHERE xid = CAST(CAST(?1 AS TEXT) AS xid8) AND id > ?2 ORDER BY id"
        );
        rows.extend(db.all(&rest, &args![xid, id], read)?);
        next = xid + 1;
    }
    Ok((rows.into_iter().map(|(_, _, c)| c).collect(), next))
}

/// Rows per multi-row INSERT (PostgreSQL takes up to 65535 arguments a statement).
const BULK_ARGS: usize = 30_000;

pub fn bulk_insert(db: &dyn Store, table: &str, cols: &[&str], rows: &[Vec<Value>]) -> Result<()> {
    bulk_insert_marked(db, table, cols, &vec!["?"; cols.len()], rows)
}

/// `bulk_insert` with each column's placeholder given (a cast, such as the search
/// document's to `tsvector`).
pub fn bulk_insert_marked(
    db: &dyn Store,
    table: &str,
    cols: &[&str],
    marks: &[&str],
    rows: &[Vec<Value>],
) -> Result<()> {
    let per = (BULK_ARGS / cols.len().max(1)).max(1);
    let one = format!("({})", marks.join(", "));
    for chunk in rows.chunks(per) {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            cols.join(", "),
            vec![one.as_str(); chunk.len()].join(", ")
        );
        let args: Vec<Value> = chunk.iter().flatten().cloned().collect();
        db.execute(&sql, &args)?;
    }
    Ok(())
}

pub fn bulk_begin(db: &dyn Store) -> Result<()> {
    db.batch(schema::DROP_BULK)
}

/// Tickets whose search documents are written per statement in `bulk_end`.
const DOCS_PER_STATEMENT: usize = 1000;

pub fn bulk_end(db: &dyn Store, words: &Words) -> Result<()> {
    bulk_indexes(db)?;
    write_documents(db, words)?;
    bulk_finish(db)
}

/// `bulk_end` for tickets loaded with their search documents (`desk store copy`): one
/// write of each row, where writing the documents afterwards rewrote every ticket (46% of
/// a copy's time).
pub fn bulk_end_documented(db: &dyn Store) -> Result<()> {
    bulk_indexes(db)?;
    bulk_finish(db)
}

fn bulk_indexes(db: &dyn Store) -> Result<()> {
    db.batch(schema::INSERT_TRIGGERS)?;
    db.batch(schema::LIST_INDEXES)?;
    db.batch(schema::COMPANY_INDEX)
}

/// `'a', 'b'`: the kinds of notes a ticket's search document holds as its notes, those
/// the portal shows (R6), as SQL strings; `internal` ones it holds apart (staff only).
/// The kinds are the engine's constants, with no quotes in them.
pub fn doc_note_kinds() -> String {
    NoteKind::ALL
        .iter()
        .filter(|k| k.in_portal())
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes every ticket's search document anew, from its text and notes, a chunk of
/// tickets at a time.
pub fn write_documents(db: &dyn Store, words: &Words) -> Result<()> {
    let mut after = 0i64;
    loop {
        let docs = db.all(
            &format!(
                "SELECT t.id, t.title, t.description,
               coalesce(string_agg(a.text, E'\\n' ORDER BY a.id) FILTER (WHERE a.kind IN ({})), ''),
               coalesce(string_agg(a.text, E'\\n' ORDER BY a.id) FILTER (WHERE a.kind = 'internal'), '')
             FROM tickets t LEFT JOIN activity a ON a.ticket_id = t.id
             WHERE t.id > ?1 GROUP BY t.id ORDER BY t.id LIMIT 10000",
                doc_note_kinds()
            ),
            &args![after],
            |r| {
                let doc = SearchDoc {
                    title: r.text(1)?,
                    description: r.text(2)?,
                    notes: vec![r.text(3)?],
                    internal: vec![r.text(4)?],
                };
                Ok((r.int(0)?, doc))
            },
        )?;
        let Some((last, _)) = docs.last() else { break };
        after = *last;
        for chunk in docs.chunks(DOCS_PER_STATEMENT) {
            let values = vec!["(CAST(? AS BIGINT), CAST(? AS TEXT))"; chunk.len()].join(", ");
            let sql = format!(
                "UPDATE tickets t SET search = CAST(v.s AS tsvector) FROM (VALUES {values}) AS v(id, s) WHERE t.id = v.id"
            );
            let mut args = Vec::with_capacity(chunk.len() * 2);
            for (id, doc) in chunk {
                args.push(Value::Int(*id));
                args.push(Value::Text(tsvector(doc, words)?));
            }
            db.execute(&sql, &args)?;
        }
    }
    Ok(())
}

fn bulk_finish(db: &dyn Store) -> Result<()> {
    db.batch(schema::GIN_INDEX)?;
    // Identities go on after the ids the load gave explicitly.
    db.batch(schema::RESET_IDENTITIES)?;
    db.batch("ANALYZE")
}
