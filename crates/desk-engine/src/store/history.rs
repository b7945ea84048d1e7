//! A ticket's history (notes and events in `activity`), its share with a Taskfire desk,
//! its series, and the R4 counter of ticket numbers per desk day.

use super::sql::{Store, Value, args, marks};
use crate::error::Result;

/// One entry of a ticket's history as stored.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    pub ticket_id: i64,
    pub at: i64,
    pub author: String,
    /// A note's kind (`internal`, `published`, `portal`, `taskfire`) or `event`.
    pub kind: String,
    pub text: String,
    pub field: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub version: Option<i64>,
}

/// A share: the provider's ticket, its Taskfire version, and who holds it.
pub(crate) type Share = (i64, i64, String);

fn ints(ids: &[i64]) -> Vec<Value> {
    ids.iter().map(|i| Value::Int(*i)).collect()
}

impl dyn Store + '_ {
    /// A note, recording the ticket's version (already moved on by the caller).
    pub(crate) fn add_note(
        &self,
        ticket_id: i64,
        at: i64,
        author: &str,
        kind: &str,
        text: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO activity (ticket_id, at, author, kind, text, version)
             VALUES (?1, ?2, ?3, ?4, ?5, (SELECT version FROM tickets WHERE id = ?1))",
            &args![ticket_id, at, author, kind, text],
        )?;
        Ok(())
    }

    /// An event of a change that has just moved the ticket's version on.
    pub(crate) fn add_event(
        &self,
        ticket_id: i64,
        at: i64,
        author: &str,
        field: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO activity (ticket_id, at, author, kind, text, field, from_value, to_value, version)
             VALUES (?1, ?2, ?3, 'event', '', ?4, ?5, ?6, (SELECT version FROM tickets WHERE id = ?1))",
            &args![ticket_id, at, author, field, from, to],
        )?;
        Ok(())
    }

    /// The histories of these tickets, by ticket and in the order written.
    pub(crate) fn history(&self, ids: &[i64]) -> Result<Vec<Activity>> {
        let sql = format!(
            "SELECT ticket_id, at, author, kind, text, field, from_value, to_value, version FROM activity \
             WHERE ticket_id IN ({}) ORDER BY ticket_id, id",
            marks(ids.len())
        );
        self.all(&sql, &ints(ids), |r| {
            Ok(Activity {
                ticket_id: r.int(0)?,
                at: r.int(1)?,
                author: r.text(2)?,
                kind: r.text(3)?,
                text: r.text(4)?,
                field: r.opt_text(5)?,
                from: r.opt_text(6)?,
                to: r.opt_text(7)?,
                version: r.opt_int(8)?,
            })
        })
    }

    /// The notes of a ticket (kind, text), for its search document.
    pub(crate) fn notes_of(&self, ticket_id: i64) -> Result<Vec<(String, String)>> {
        self.all(
            "SELECT kind, text FROM activity WHERE ticket_id = ?1 AND kind <> 'event' ORDER BY id",
            &args![ticket_id],
            |r| Ok((r.text(0)?, r.text(1)?)),
        )
    }

    /// The share a ticket takes part in, on either side.
    pub(crate) fn share_of(&self, id: i64) -> Result<Option<Share>> {
        self.opt(
            "SELECT provider_id, taskfire_id, held_by FROM shares WHERE provider_id = ?1 OR taskfire_id = ?1",
            &args![id],
            |r| Ok((r.int(0)?, r.int(1)?, r.text(2)?)),
        )
    }

    /// The shares any of these tickets take part in.
    /// The shares of provider tickets `provider` and Taskfire versions `taskfire`. Each
    /// row is looked up by the one column its side fills (both columns for every row, or
    /// SQLite's multi-index OR, cost a tenth of a portal list page's CPU); a share both
    /// of whose versions are asked for comes twice.
    pub(crate) fn shares_of(&self, provider: &[i64], taskfire: &[i64]) -> Result<Vec<Share>> {
        let mut halves = Vec::new();
        if !provider.is_empty() {
            halves.push(format!(
                "SELECT provider_id, taskfire_id, held_by FROM shares WHERE provider_id IN ({})",
                marks(provider.len())
            ));
        }
        if !taskfire.is_empty() {
            halves.push(format!(
                "SELECT provider_id, taskfire_id, held_by FROM shares WHERE taskfire_id IN ({})",
                marks(taskfire.len())
            ));
        }
        if halves.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = ints(provider);
        args.extend(ints(taskfire));
        self.all(&halves.join(" UNION ALL "), &args, |r| {
            Ok((r.int(0)?, r.int(1)?, r.text(2)?))
        })
    }

    pub(crate) fn insert_share(&self, provider: i64, taskfire: i64, held_by: &str) -> Result<()> {
        self.execute(
            "INSERT INTO shares (provider_id, taskfire_id, held_by) VALUES (?1, ?2, ?3)",
            &args![provider, taskfire, held_by],
        )?;
        Ok(())
    }

    pub(crate) fn set_held_by(&self, provider: i64, held_by: &str) -> Result<()> {
        self.execute(
            "UPDATE shares SET held_by = ?2 WHERE provider_id = ?1",
            &args![provider, held_by],
        )?;
        Ok(())
    }

    /// The base numbers of these series, by id.
    pub(crate) fn series_bases(&self, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        let sql = format!(
            "SELECT id, base_number FROM series WHERE id IN ({})",
            marks(ids.len())
        );
        self.all(&sql, &ints(ids), |r| Ok((r.int(0)?, r.text(1)?)))
    }

    pub(crate) fn insert_series(&self, base: &str, every_days: i64, count: i64) -> Result<i64> {
        self.int(
            "INSERT INTO series (base_number, every_days, count) VALUES (?1, ?2, ?3) RETURNING id",
            &args![base, every_days, count],
        )
    }

    /// R4: the next sequence of desk day `day`, counted in the caller's transaction: given
    /// once, or (rolled back) not at all.
    pub(crate) fn next_sequence(&self, day: &str) -> Result<i64> {
        self.int(
            "INSERT INTO number_days (day, last) VALUES (?1, 1) ON CONFLICT (day) DO UPDATE SET last = number_days.last + 1 RETURNING last",
            &args![day],
        )
    }
}
