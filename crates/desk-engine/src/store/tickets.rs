//! The `tickets` table: its columns (written here once for both stores), reading a row,
//! and the writes of a ticket. In a write transaction on PostgreSQL a ticket read locks
//! its row, so that two servers changing one ticket take turns (docs/postgres.md).

use std::collections::HashMap;

use super::sql::{SqlRow, Store, Value, args, marks};
use crate::domain::number::number_key;
use crate::error::Result;

/// The columns `Row::read` reads, in its order.
pub(crate) const COLS: &str = "t.id, t.number, t.side, t.title, t.description, t.status_id, t.priority, t.queue_id, \
    t.source_id, t.issue_type_id, t.work_type_id, t.company_id, t.contact_id, t.assigned_id, t.creator_kind, \
    t.creator_id, t.creator_tz, t.created_at, t.due_at, t.series_id, t.version, t.updated_at";
/// How many columns `COLS` selects.
pub(crate) const COL_COUNT: usize = 22;

/// A new ticket row: the columns and their places, for every writer of new tickets (the
/// bulk loads too).
pub(crate) const INSERT_COLS: [&str; 24] = [
    "id",
    "number",
    "side",
    "title",
    "description",
    "status_id",
    "closed",
    "priority",
    "queue_id",
    "source_id",
    "issue_type_id",
    "work_type_id",
    "company_id",
    "contact_id",
    "assigned_id",
    "creator_kind",
    "creator_id",
    "creator_tz",
    "created_at",
    "due_at",
    "series_id",
    "number_key",
    "updated_at",
    "version",
];

/// A ticket as stored: ids, not names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Row {
    pub id: i64,
    pub number: String,
    pub side: i64,
    pub title: String,
    pub description: String,
    pub status_id: i64,
    pub priority: i64,
    pub queue_id: i64,
    pub source_id: i64,
    pub issue_type_id: Option<i64>,
    pub work_type_id: Option<i64>,
    pub company_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub assigned_id: Option<i64>,
    pub creator_kind: String,
    pub creator_id: i64,
    pub creator_tz: String,
    pub created_at: i64,
    pub due_at: Option<i64>,
    pub series_id: Option<i64>,
    pub version: i64,
    pub updated_at: i64,
}

impl Row {
    pub fn read(r: &dyn SqlRow) -> Result<Row> {
        Ok(Row {
            id: r.int(0)?,
            number: r.text(1)?,
            side: r.int(2)?,
            title: r.text(3)?,
            description: r.text(4)?,
            status_id: r.int(5)?,
            priority: r.int(6)?,
            queue_id: r.int(7)?,
            source_id: r.int(8)?,
            issue_type_id: r.opt_int(9)?,
            work_type_id: r.opt_int(10)?,
            company_id: r.opt_int(11)?,
            contact_id: r.opt_int(12)?,
            assigned_id: r.opt_int(13)?,
            creator_kind: r.text(14)?,
            creator_id: r.int(15)?,
            creator_tz: r.text(16)?,
            created_at: r.int(17)?,
            due_at: r.opt_int(18)?,
            series_id: r.opt_int(19)?,
            version: r.int(20)?,
            updated_at: r.int(21)?,
        })
    }

    /// The values of `INSERT_COLS` for this row (`id`: NULL lets the store pick one).
    pub fn insert_values(&self, id: Option<i64>, closed: bool) -> Vec<Value> {
        args![
            id,
            &self.number,
            self.side,
            &self.title,
            &self.description,
            self.status_id,
            closed,
            self.priority,
            self.queue_id,
            self.source_id,
            self.issue_type_id,
            self.work_type_id,
            self.company_id,
            self.contact_id,
            self.assigned_id,
            &self.creator_kind,
            self.creator_id,
            &self.creator_tz,
            self.created_at,
            self.due_at,
            self.series_id,
            number_key(&self.number),
            self.updated_at,
            self.version,
        ]
        .into()
    }
}

/// `INSERT INTO table (cols) VALUES (?1, ...)`, leaving out an `id` given as NULL.
pub(crate) fn insert_sql(table: &str, cols: &[&str], with_id: bool) -> String {
    let cols: Vec<&str> = cols
        .iter()
        .copied()
        .filter(|c| with_id || *c != "id")
        .collect();
    let places: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        places.join(", ")
    )
}

impl dyn Store + '_ {
    pub(crate) fn ticket(&self, id: i64) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {COLS} FROM tickets t WHERE t.id = ?1{}",
            self.lock_rows()
        );
        self.opt(&sql, &args![id], Row::read)
    }

    /// The ticket with `number` on `side` (0: provider desk).
    pub(crate) fn find_ticket(&self, side: i64, number: &str) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {COLS} FROM tickets t WHERE t.side = ?1 AND t.number = ?2{}",
            self.lock_rows()
        );
        self.opt(&sql, &args![side, number], Row::read)
    }

    /// Rows with these ids, by id.
    pub(crate) fn tickets_by_ids(&self, ids: &[i64]) -> Result<HashMap<i64, Row>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT {COLS} FROM tickets t WHERE t.id IN ({})",
            marks(ids.len())
        );
        let args: Vec<Value> = ids.iter().map(|i| Value::Int(*i)).collect();
        Ok(self
            .all(&sql, &args, Row::read)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect())
    }

    /// Inserts a new ticket; returns its id.
    pub(crate) fn insert_ticket(&self, row: &Row, closed: bool) -> Result<i64> {
        let sql = format!(
            "{} RETURNING id",
            insert_sql("tickets", &INSERT_COLS, false)
        );
        let values = row.insert_values(None, closed);
        self.int(&sql, &values[1..])
    }

    /// Writes the fields a change may change, with the row's version and update time.
    pub(crate) fn save_ticket(&self, row: &Row, closed: bool) -> Result<()> {
        self.execute(
            "UPDATE tickets SET title = ?2, status_id = ?3, closed = ?4, priority = ?5, queue_id = ?6, work_type_id = ?7,
             assigned_id = ?8, due_at = ?9, version = ?10, updated_at = ?11 WHERE id = ?1",
            &args![
                row.id,
                &row.title,
                row.status_id,
                closed,
                row.priority,
                row.queue_id,
                row.work_type_id,
                row.assigned_id,
                row.due_at,
                row.version,
                row.updated_at,
            ],
        )?;
        Ok(())
    }

    /// Moves a ticket's version on: it was updated `at`.
    pub(crate) fn bump_ticket(&self, id: i64, at: i64) -> Result<()> {
        self.execute(
            "UPDATE tickets SET version = version + 1, updated_at = ?2 WHERE id = ?1",
            &args![id, at],
        )?;
        Ok(())
    }

    /// The Taskfire version of a share assigned again (T1 after the provider held it).
    pub(crate) fn reassign_taskfire_version(
        &self,
        id: i64,
        queue: i64,
        assigned: Option<i64>,
        due: Option<i64>,
        at: i64,
    ) -> Result<()> {
        self.execute(
            "UPDATE tickets SET queue_id = ?2, assigned_id = ?3, due_at = ?4, version = version + 1, updated_at = ?5 WHERE id = ?1",
            &args![id, queue, assigned, due, at],
        )?;
        Ok(())
    }

    pub(crate) fn delete_ticket(&self, id: i64) -> Result<()> {
        self.execute("DELETE FROM tickets WHERE id = ?1", &args![id])?;
        Ok(())
    }
}
