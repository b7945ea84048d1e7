//! The per-technician inbox (docs/lists.md, "The inbox"): open tickets with activity from
//! outside their desk (a contact, or the other side of a Taskfire share) that a
//! technician of that desk has not seen since. Rows in `unseen`, counts in
//! `unseen_counts`, both kept here and by the store's triggers, so that local and remote
//! backends answer the same and a count never scans.

use rusqlite::params;
use std::collections::{HashMap, HashSet};

use super::read::R;
use super::write::W;
use super::{Who, WhoKind};
use crate::error::{Error, Result};
use crate::store::to_ms;

impl Who {
    /// The desk whose staff this actor is: 0 the provider's, a company's Taskfire desk,
    /// or none (a contact).
    pub fn desk(&self) -> Option<i64> {
        match self.kind {
            WhoKind::Resource { .. } => Some(0),
            WhoKind::Taskfire { company_id } => Some(company_id),
            WhoKind::Contact { .. } => None,
        }
    }

    /// The actor's id among resources (provider and Taskfire staff), who have inboxes.
    pub fn resource_id(&self) -> Option<i64> {
        self.desk().map(|_| self.id)
    }
}

impl W<'_> {
    /// Something happened on ticket `id` (of desk `side`): if the actor is not staff of
    /// that desk, the ticket enters the inbox of every technician of it, while open.
    pub fn outside_activity(&self, id: i64, side: i64) -> Result<()> {
        if self.who.desk() == Some(side) {
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO unseen (ticket_id, resource_id, since)
                 SELECT t.id, r.id, ?2 FROM tickets t JOIN resources r ON coalesce(r.company_id, 0) = t.side
                 WHERE t.id = ?1 AND t.closed = 0
                 ON CONFLICT (ticket_id, resource_id) DO NOTHING",
            )?
            .execute(params![id, to_ms(self.now)])?;
        Ok(())
    }

    /// A technician who changes a ticket has seen it.
    pub fn seen_by_actor(&self, id: i64) -> Result<()> {
        if let Some(r) = self.who.resource_id() {
            self.tx
                .prepare_cached("DELETE FROM unseen WHERE ticket_id = ?1 AND resource_id = ?2")?
                .execute(params![id, r])?;
        }
        Ok(())
    }

    /// The acting technician opened ticket `number`: out of their inbox, nobody else's.
    /// The ticket itself does not change (no new version).
    pub fn mark_seen(&self, number: &str) -> Result<()> {
        let Some(side) = self.who.desk() else {
            return Err(Error::NotAllowed(format!(
                "{} is a portal contact; the inbox is the desk staff's",
                self.who.login
            )));
        };
        let row = self.r().find(side, number)?;
        self.seen_by_actor(row.id)
    }
}

impl R<'_> {
    /// Of these tickets, those in `resource`'s inbox.
    pub fn unseen_among(&self, resource: i64, ids: &[i64]) -> Result<HashSet<i64>> {
        let mut out = HashSet::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let sql = format!(
            "SELECT ticket_id FROM unseen WHERE resource_id = ? AND ticket_id IN ({})",
            super::read::marks(ids.len())
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let args = std::iter::once(&resource).chain(ids.iter());
        for id in st.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, i64>(0))? {
            out.insert(id?);
        }
        Ok(out)
    }

    /// `resource`'s inbox count per queue.
    pub fn unseen_counts(&self, resource: i64) -> Result<HashMap<i64, u64>> {
        let mut st = self.conn.prepare_cached(
            "SELECT queue_id, n FROM unseen_counts WHERE resource_id = ?1 AND n > 0",
        )?;
        let rows = st.query_map([resource], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = HashMap::new();
        for r in rows {
            let (q, n) = r?;
            out.insert(q, u64::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }
}
