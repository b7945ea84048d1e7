//! The changes table (docs/postgres.md, "The changes table"): a row per changed ticket and
//! desk, written in the transaction of the change, read by every server's change feed.
//! Where the readers' cursor stands is the store's business: SQLite commits one writer at
//! a time, so ids commit in order; PostgreSQL hands out ids before commit, so its reader
//! follows transaction ids up to the oldest still running (`Store::changes_since`).

use super::sql::{SqlRow, Store, args};
use crate::error::Result;
use crate::model::Change;

/// How long changes are kept: a feed that was away longer reloads (`lagged`).
pub const KEEP_CHANGES_MS: i64 = 24 * 3600 * 1000;

/// The columns `change_row` reads.
pub const CHANGE_COLS: &str = "kind, number, desk, version, actor, at";

pub fn change_row(r: &dyn SqlRow) -> Result<Change> {
    Ok(Change {
        kind: r.text(0)?,
        number: r.text(1)?,
        desk: r.text(2)?,
        version: r.opt_int(3)?,
        actor: r.text(4)?,
        at: super::from_ms(r.int(5)?),
    })
}

impl dyn Store + '_ {
    pub(crate) fn add_change(&self, c: &Change) -> Result<()> {
        self.execute(
            "INSERT INTO changes (kind, number, desk, version, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &args![
                &c.kind,
                &c.number,
                &c.desk,
                c.version,
                &c.actor,
                super::to_ms(c.at)
            ],
        )?;
        Ok(())
    }

    /// Forgets changes older than `KEEP_CHANGES_MS` before `now_ms`.
    pub(crate) fn prune_changes(&self, now_ms: i64) -> Result<()> {
        self.execute(
            "DELETE FROM changes WHERE at < ?1",
            &args![now_ms - KEEP_CHANGES_MS],
        )?;
        Ok(())
    }
}
