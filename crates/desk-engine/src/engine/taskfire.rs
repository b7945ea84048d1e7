//! The Taskfire actions (docs/rules.md): T1–T3 and T5 (T4 is `delete_ticket`).

use super::WhoKind;
use super::input::note_text;
use super::read::Row;
use super::rules::Fired;
use super::write::{Changed, W};
use crate::domain::routing::portal_queue;
use crate::domain::time::parse_time;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::to_ms;

impl W<'_> {
    /// A provider ticket that the actor may take a Taskfire action on (R8).
    fn provider_ticket_for(&self, number: &str, what: &str) -> Result<Row> {
        if !matches!(self.who.kind, WhoKind::Resource { .. }) {
            return Err(Error::NotAllowed(format!(
                "{} may not {what} ticket {}: it is an action of the provider's staff",
                self.who.login,
                number.trim()
            )));
        }
        let row = self.r().find(0, number)?;
        self.require_work(&row, what)?;
        Ok(row)
    }

    /// The share of a provider ticket, or the T2/T3 error for an unshared one.
    fn shared(&self, row: &Row) -> Result<(Row, HeldBy)> {
        match self.r().share_of(row.id)? {
            Some((_, tid, held)) => Ok((self.r().row_by_id(tid)?, held)),
            None => Err(Error::invalid(
                "ticket",
                format!(
                    "{} is not shared with Taskfire; assign it to Taskfire first",
                    row.number
                ),
            )),
        }
    }

    fn set_held_by(&self, provider_id: i64, held: HeldBy) -> Result<()> {
        self.db.set_held_by(provider_id, held.as_str())?;
        Ok(())
    }

    /// Both versions carry every Taskfire note.
    fn taskfire_note(&mut self, provider_id: i64, taskfire_id: i64, text: &str) -> Result<()> {
        for id in [provider_id, taskfire_id] {
            self.note(id, NoteKind::Taskfire, text, &self.who.login)?;
        }
        self.run_rules(vec![Fired::note(provider_id, NoteKind::Taskfire, text)])
    }

    fn notify_taskfire_resource(
        &self,
        event: &str,
        tf: &Row,
        provider: &Row,
        note: Option<&str>,
    ) -> Result<()> {
        if let Some(r) = tf.assigned_id.and_then(|a| self.dir.resource_by_id(a)) {
            self.notify(event, r, provider, note)?;
        }
        Ok(())
    }

    /// T1. The Taskfire version gets the same number; the provider's stays where it is.
    pub fn taskfire_assign(&mut self, number: &str, a: TaskfireAssign) -> Result<i64> {
        let mut row = self.provider_ticket_for(number, "assign to Taskfire")?;
        self.check_version(&row, a.expected_version)?;
        let dir = self.dir;
        let company = row
            .company_id
            .and_then(|c| dir.company_by_id(c))
            .ok_or_else(|| {
                Error::invalid(
                    "ticket",
                    format!(
                        "{} has no company, so there is no Taskfire desk to assign it to",
                        row.number
                    ),
                )
            })?;
        if !company.taskfire {
            return Err(Error::invalid(
                "ticket",
                format!(
                    "{} does not have Taskfire; ticket {} cannot be assigned to Taskfire",
                    company.name, row.number
                ),
            ));
        }
        let note = note_text("note", &a.note)?;
        let queue = dir.queue(company.id, &a.queue).map_err(|_| {
            let names: Vec<&str> = dir
                .queues
                .iter()
                .filter(|q| q.side == company.id)
                .map(|q| q.name.as_str())
                .collect();
            Error::Invalid {
                field: "taskfire_queue".into(),
                message: format!(
                    "unknown Taskfire queue \"{}\" of {}; its queues are: {}",
                    a.queue.trim(),
                    company.name,
                    names.join(", ")
                ),
            }
        })?;
        let resource = a
            .resource
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| dir.taskfire_resource(company.id, r))
            .transpose()?;
        let due = a
            .due
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .map(|d| parse_time("due", d, self.who.tz))
            .transpose()?
            .map(to_ms);
        let tf_id = match self.r().share_of(row.id)? {
            Some((_, _, HeldBy::Customer)) => {
                return Err(Error::invalid(
                    "ticket",
                    format!(
                        "{} is already held by the Taskfire desk of {}",
                        row.number, company.name
                    ),
                ));
            }
            Some((_, tid, HeldBy::Provider)) => {
                self.db.reassign_taskfire_version(
                    tid,
                    queue.id,
                    resource.map(|r| r.id),
                    due,
                    to_ms(self.now),
                )?;
                self.touch(tid);
                self.set_held_by(row.id, HeldBy::Customer)?;
                tid
            }
            None => {
                let tf = Row {
                    id: 0,
                    side: company.id,
                    status_id: dir.status(NEW_STATUS)?.id,
                    queue_id: queue.id,
                    work_type_id: None,
                    assigned_id: resource.map(|r| r.id),
                    // The same ticket on the other desk: it keeps its creation (who, when,
                    // in which zone), so R5's created date agrees with its number there too.
                    due_at: due,
                    series_id: None,
                    version: 1,
                    ..row.clone()
                };
                let tid = self.insert(&tf)?;
                self.db
                    .insert_share(row.id, tid, HeldBy::Customer.as_str())?;
                tid
            }
        };
        let change = Changed {
            field: "taskfire",
            from: None,
            to: Some(format!("held by {} ({})", company.name, queue.name)),
        };
        self.bump(row.id)?;
        self.event(row.id, &change, &self.who.login)?;
        self.taskfire_note(row.id, tf_id, &note)?;
        row = self.r().row_by_id(row.id)?;
        let tf = self.r().row_by_id(tf_id)?;
        self.notify_taskfire_resource("taskfire_assigned", &tf, &row, Some(&note))?;
        Ok(row.id)
    }

    /// T2. Sets the *Taskfire version's* status; the provider's own stays as it is.
    pub fn taskfire_complete(
        &mut self,
        number: &str,
        note: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let row = self.provider_ticket_for(number, "mark the provider's work complete on")?;
        self.check_version(&row, expected_version)?;
        let (mut tf, _) = self.shared(&row)?;
        let note = match note {
            Some(n) => note_text("note", n)?,
            None => "The provider's work on this ticket is complete.".to_string(),
        };
        if let Some(c) = self.set_field(&mut tf, "status", PROVIDER_WORK_COMPLETE)? {
            self.save(&mut tf)?;
            self.event(tf.id, &c, &self.who.login)?;
        }
        self.set_held_by(row.id, HeldBy::Customer)?;
        self.taskfire_note(row.id, tf.id, &note)?;
        self.notify_taskfire_resource("taskfire_work_complete", &tf, &row, Some(&note))?;
        Ok(row.id)
    }

    /// T3. A question as a Taskfire note; the assigned Taskfire resource is told.
    pub fn taskfire_ask(&mut self, number: &str, question: &str) -> Result<i64> {
        let row = self.provider_ticket_for(number, "ask a Taskfire question on")?;
        let (tf, _) = self.shared(&row)?;
        let question = note_text("note", question)?;
        self.taskfire_note(row.id, tf.id, &question)?;
        self.notify_taskfire_resource("taskfire_question", &tf, &row, Some(&question))?;
        Ok(row.id)
    }

    /// T3, the answer: a note a Taskfire resource publishes on their version of a shared
    /// ticket shows on the provider's ticket as a `taskfire` note, fires the provider's
    /// `note_added` rules (kind `taskfire`) and tells the provider's assigned resource
    /// (nobody assigned: the Service Desk, as T5 does). An unshared ticket of their own
    /// desk has no provider to tell.
    pub fn answer_provider(&mut self, tf: &Row, text: &str) -> Result<()> {
        let Some((provider_id, _, _)) = self.r().share_of(tf.id)? else {
            return Ok(());
        };
        self.note(provider_id, NoteKind::Taskfire, text, &self.who.login)?;
        self.run_rules(vec![Fired::note(provider_id, NoteKind::Taskfire, text)])?;
        let row = self.r().row_by_id(provider_id)?;
        self.notify_provider("taskfire_note_added", &row, text)
    }

    /// The provider's assigned resource, else every resource with Service Desk access.
    fn notify_provider(&self, event: &str, row: &Row, note: &str) -> Result<()> {
        let dir = self.dir;
        let to: Vec<_> = match row.assigned_id.and_then(|a| dir.resource_by_id(a)) {
            Some(r) => vec![r],
            None => dir
                .resources
                .iter()
                .filter(|r| r.company_id.is_none() && r.service_desk)
                .collect(),
        };
        for r in to {
            self.notify(event, r, row, Some(note))?;
        }
        Ok(())
    }

    /// T5. A Taskfire resource hands a ticket of their desk to the provider: a portal
    /// ticket (R1) with the same number, held by the provider. Returns the Taskfire
    /// version (the actor's view).
    pub fn taskfire_escalate(
        &mut self,
        number: &str,
        note: &str,
        expected_version: Option<i64>,
    ) -> Result<i64> {
        let WhoKind::Taskfire { company_id } = self.who.kind else {
            return Err(Error::NotAllowed(format!(
                "{} is not a Taskfire resource; escalation is the Taskfire side's action",
                self.who.login
            )));
        };
        let dir = self.dir;
        let note = note_text("note", note)?;
        let tf = self.r().find(company_id, number)?;
        self.check_version(&tf, expected_version)?;
        let provider_id = match self.r().share_of(tf.id)? {
            Some((_, _, HeldBy::Provider)) => {
                return Err(Error::invalid(
                    "ticket",
                    format!("{} is already held by the provider", tf.number),
                ));
            }
            Some((pid, _, HeldBy::Customer)) => {
                self.set_held_by(pid, HeldBy::Provider)?;
                let change = Changed {
                    field: "taskfire",
                    from: None,
                    to: Some("held by the provider (escalated)".into()),
                };
                self.bump(pid)?;
                self.event(pid, &change, &self.who.login)?;
                pid
            }
            None => {
                let route = dir.route(tf.issue_type_id.and_then(|i| dir.issue_type_by_id(i)));
                let provider = Row {
                    id: 0,
                    side: 0,
                    status_id: dir.status(NEW_STATUS)?.id,
                    queue_id: dir.queue(0, portal_queue(&route))?.id,
                    source_id: dir.source(CLIENT_PORTAL)?.id,
                    work_type_id: None,
                    assigned_id: None,
                    series_id: None,
                    version: 1,
                    ..tf.clone()
                };
                let pid = self.insert(&provider)?;
                self.db
                    .insert_share(pid, tf.id, HeldBy::Provider.as_str())?;
                self.created(pid)?;
                pid
            }
        };
        self.taskfire_note(provider_id, tf.id, &note)?;
        let row = self.r().row_by_id(provider_id)?;
        self.notify_provider("taskfire_escalated", &row, &note)?;
        Ok(tf.id)
    }
}
