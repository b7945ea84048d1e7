//! The rest of what the engine keeps per desk: the outbox, API tokens, the inbox of who
//! has not seen what, and the counts the triggers keep.

use std::collections::{HashMap, HashSet};

use super::sql::{SqlRow, Store, Value, args, marks};
use crate::error::Result;
use crate::model::Notification;

/// The columns of an outbox message as `outbox_row` reads them.
const OUTBOX_COLS: &str = "id, event, recipient, subject, body, ticket, at";

/// An outbox message and its id, from a row of `OUTBOX_COLS`.
fn outbox_row(r: &dyn SqlRow) -> Result<(i64, Notification)> {
    Ok((
        r.int(0)?,
        Notification {
            event: r.text(1)?,
            to: r.text(2)?,
            subject: r.text(3)?,
            body: r.text(4)?,
            ticket: r.opt_text(5)?,
            at: super::from_ms(r.int(6)?),
        },
    ))
}

/// A token as listed: login, created, expires.
pub(crate) type TokenRow = (String, i64, Option<i64>);

fn counts(rows: Vec<(i64, i64)>) -> HashMap<i64, u64> {
    rows.into_iter()
        .map(|(q, n)| (q, u64::try_from(n).unwrap_or(0)))
        .collect()
}

impl dyn Store + '_ {
    pub(crate) fn add_outbox(
        &self,
        event: &str,
        to: &str,
        subject: &str,
        body: &str,
        ticket: &str,
        at: i64,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO outbox (event, recipient, subject, body, ticket, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &args![event, to, subject, body, ticket, at],
        )?;
        Ok(())
    }

    /// Up to `limit` messages below id `below`, newest first.
    pub(crate) fn outbox_page(&self, below: i64, limit: i64) -> Result<Vec<(i64, Notification)>> {
        let sql =
            format!("SELECT {OUTBOX_COLS} FROM outbox WHERE id < ?1 ORDER BY id DESC LIMIT ?2");
        self.all(&sql, &args![below, limit], outbox_row)
    }

    /// The messages not sent yet, oldest first. On PostgreSQL they are locked for this
    /// transaction, and those another server is delivering are passed over, so that no
    /// message goes out twice.
    pub(crate) fn unsent(&self) -> Result<Vec<(i64, Notification)>> {
        let lock = self.lock_unsent();
        let sql =
            format!("SELECT {OUTBOX_COLS} FROM outbox WHERE sent_at IS NULL ORDER BY id{lock}");
        self.all(&sql, &[], outbox_row)
    }

    pub(crate) fn mark_sent(&self, id: i64, at: i64) -> Result<()> {
        self.execute(
            "UPDATE outbox SET sent_at = ?2 WHERE id = ?1",
            &args![id, at],
        )?;
        Ok(())
    }

    pub(crate) fn add_token(
        &self,
        hash: &str,
        login: &str,
        at: i64,
        expires: Option<i64>,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO tokens (hash, login, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            &args![hash, login, at, expires],
        )?;
        Ok(())
    }

    /// The login and expiry of the token with this hash.
    pub(crate) fn token(&self, hash: &str) -> Result<Option<(String, Option<i64>)>> {
        self.opt(
            "SELECT login, expires_at FROM tokens WHERE hash = ?1",
            &args![hash],
            |r| Ok((r.text(0)?, r.opt_int(1)?)),
        )
    }

    pub(crate) fn revoke_tokens(&self, login: &str) -> Result<u64> {
        self.execute("DELETE FROM tokens WHERE login = ?1", &args![login])
    }

    /// Every token, by login and then age.
    pub(crate) fn tokens(&self) -> Result<Vec<TokenRow>> {
        self.all(
            "SELECT login, created_at, expires_at FROM tokens ORDER BY login, created_at, id",
            &[],
            |r| Ok((r.text(0)?, r.int(1)?, r.opt_int(2)?)),
        )
    }

    /// Ticket `id` enters the inbox of every technician of its desk, while open.
    pub(crate) fn add_unseen(&self, id: i64, at: i64) -> Result<()> {
        self.execute(
            "INSERT INTO unseen (ticket_id, resource_id, since)
             SELECT t.id, r.id, ?2 FROM tickets t JOIN resources r ON coalesce(r.company_id, 0) = t.side
             WHERE t.id = ?1 AND t.closed = 0
             ON CONFLICT (ticket_id, resource_id) DO NOTHING",
            &args![id, at],
        )?;
        Ok(())
    }

    pub(crate) fn remove_unseen(&self, id: i64, resource: i64) -> Result<()> {
        self.execute(
            "DELETE FROM unseen WHERE ticket_id = ?1 AND resource_id = ?2",
            &args![id, resource],
        )?;
        Ok(())
    }

    /// Of these tickets, those in `resource`'s inbox.
    pub(crate) fn unseen_among(&self, resource: i64, ids: &[i64]) -> Result<HashSet<i64>> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = format!(
            "SELECT ticket_id FROM unseen WHERE resource_id = ? AND ticket_id IN ({})",
            marks(ids.len())
        );
        let args: Vec<Value> = std::iter::once(resource)
            .chain(ids.iter().copied())
            .map(Value::Int)
            .collect();
        Ok(self.all(&sql, &args, |r| r.int(0))?.into_iter().collect())
    }

    /// `resource`'s inbox count per queue.
    pub(crate) fn unseen_counts(&self, resource: i64) -> Result<HashMap<i64, u64>> {
        Ok(counts(self.all(
            "SELECT queue_id, n FROM unseen_counts WHERE resource_id = ?1 AND n > 0",
            &args![resource],
            |r| Ok((r.int(0)?, r.int(1)?)),
        )?))
    }

    /// Open tickets per queue of desk `side`, as the triggers keep them.
    pub(crate) fn open_counts(&self, side: i64) -> Result<HashMap<i64, u64>> {
        Ok(counts(self.all(
            "SELECT c.queue_id, c.open FROM queue_counts c JOIN queues q ON q.id = c.queue_id WHERE q.side = ?1",
            &args![side],
            |r| Ok((r.int(0)?, r.int(1)?)),
        )?))
    }
}
