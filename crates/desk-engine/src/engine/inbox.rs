//! The per-technician inbox (docs/lists.md, "The inbox"): open tickets with activity from
//! outside their desk (a contact, or the other side of a Taskfire share) that a
//! technician of that desk has not seen since. Rows in `unseen`, counts in
//! `unseen_counts`, both kept here and by the store's triggers, so that local and remote
//! backends answer the same and a count never scans.

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
        self.db.add_unseen(id, to_ms(self.now))?;
        Ok(())
    }

    /// A technician who changes a ticket has seen it.
    pub fn seen_by_actor(&self, id: i64) -> Result<()> {
        if let Some(r) = self.who.resource_id() {
            self.db.remove_unseen(id, r)?;
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
