//! The Client Portal's writes: a contact submits a ticket (R1) or adds a portal note.

use super::WhoKind;
use super::input::{description, note_text, title};
use super::read::Row;
use super::rules::Fired;
use super::write::W;
use crate::domain::routing::portal_queue;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::to_ms;

impl W<'_> {
    fn contact_with_portal(&self) -> Result<(i64, PortalLevel)> {
        match self.who.kind {
            WhoKind::Contact {
                level: PortalLevel::None,
                ..
            } => Err(Error::NotAllowed(format!(
                "portal access is disabled for {}",
                self.who.login
            ))),
            WhoKind::Contact { company_id, level } => Ok((company_id, level)),
            _ => Err(Error::NotAllowed(format!(
                "{} is not a portal contact; staff use the ticket commands",
                self.who.login
            ))),
        }
    }

    /// R1: source `Client Portal`; the provider's issue type's queue, else `Client Portal`.
    pub fn portal_submit(&mut self, s: PortalSubmit) -> Result<i64> {
        let (company_id, _) = self.contact_with_portal()?;
        let dir = self.dir;
        let title = title(&s.title)?;
        if s.issue_type.trim().is_empty() {
            return Err(Error::invalid("issue_type", "must be chosen"));
        }
        let it = dir
            .issue_type_by_id(self.issue_type(&s.issue_type, Some(company_id))?)
            .ok_or_else(|| Error::unknown("issue type", s.issue_type.clone()))?;
        let route = dir.route(Some(it));
        let row = Row {
            id: 0,
            number: self.next_number()?,
            side: 0,
            title,
            description: description(&s.description)?,
            status_id: dir.status(NEW_STATUS)?.id,
            priority: super::read::priority_value(DEFAULT_PRIORITY)?,
            queue_id: dir.queue(0, portal_queue(&route))?.id,
            source_id: dir.source(CLIENT_PORTAL)?.id,
            issue_type_id: Some(it.id),
            work_type_id: None,
            company_id: Some(company_id),
            contact_id: Some(self.who.id),
            assigned_id: None,
            creator_kind: "contact".into(),
            creator_id: self.who.id,
            creator_tz: self.who.tz.name().to_string(),
            created_at: to_ms(self.now),
            due_at: None,
            series_id: None,
            version: 1,
            updated_at: to_ms(self.now),
        };
        let id = self.insert(&row)?;
        self.created(id)?;
        Ok(id)
    }

    pub fn portal_note(&mut self, number: &str, text: &str) -> Result<i64> {
        self.contact_with_portal()?;
        let text = note_text("text", text)?;
        let row = self.r().portal_row(self.who, number)?;
        self.note(row.id, NoteKind::Portal, &text, &self.who.login)?;
        if let Some(r) = row.assigned_id.and_then(|a| self.dir.resource_by_id(a)) {
            self.notify("portal_note_added", r, &row, Some(&text))?;
        }
        self.run_rules(vec![Fired::note(row.id, NoteKind::Portal, &text)])?;
        Ok(row.id)
    }
}
