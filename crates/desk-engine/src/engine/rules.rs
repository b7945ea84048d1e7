//! R3 in the transaction: running workflow rules (with the cascade limit), and the
//! notification outbox.

use chrono::{DateTime, Utc};
use std::collections::VecDeque;

use super::Sender;
use super::read::{Row, field};
use super::write::W;
use crate::domain::template::render;
use crate::domain::workflow::{Action, Recipient, RuleEvent, rule_fires};
use crate::error::Result;
use crate::model::{MAX_RULE_CASCADE, NoteKind};
use crate::store::dir::Person;
use crate::store::sql::Store;
use crate::store::{from_ms, to_ms};

/// An event that may fire rules. `depth` 1 is a change a person made; a change made by a
/// rule fired at depth d fires at d + 1. Nothing fires past `MAX_RULE_CASCADE`.
#[derive(Debug, Clone)]
pub(crate) struct Fired {
    pub ticket_id: i64,
    pub event: RuleEvent,
    pub note: Option<(NoteKind, String)>,
    pub depth: usize,
}

impl Fired {
    /// A ticket was created (by a person, depth 1).
    pub fn created(ticket_id: i64) -> Self {
        Fired {
            ticket_id,
            event: RuleEvent::TicketCreated,
            note: None,
            depth: 1,
        }
    }

    /// A note was added (by a person, depth 1).
    pub fn note(ticket_id: i64, kind: NoteKind, text: &str) -> Self {
        Fired {
            ticket_id,
            event: RuleEvent::NoteAdded,
            note: Some((kind, text.to_string())),
            depth: 1,
        }
    }
}

impl W<'_> {
    /// Runs the rules for `initial` and for what they set off, breadth first. Workflow
    /// rules are the provider's: they run on provider tickets only.
    pub fn run_rules(&mut self, initial: Vec<Fired>) -> Result<()> {
        // Each event carries the ticket as the change that raised it left it: conditions
        // see that, not what other rules made of the ticket since. A rule's own change is
        // a new event one level deeper.
        let mut queue: VecDeque<(Fired, Row)> = VecDeque::new();
        for f in initial {
            let at_event = self.r().row_by_id(f.ticket_id)?;
            queue.push_back((f, at_event));
        }
        while let Some((f, at_event)) = queue.pop_front() {
            if f.depth > MAX_RULE_CASCADE || at_event.side != 0 {
                continue;
            }
            let note = f.note.as_ref();
            let facts = |name: &str| match name {
                "note.kind" => note.map(|(k, _)| k.as_str()),
                "note.text" => note.map(|(_, t)| t.as_str()),
                other => field(self.dir, &at_event, other),
            };
            for rule in &self.dir.rules {
                if !rule_fires(rule, f.event, facts) {
                    continue;
                }
                let mut row = self.r().row_by_id(f.ticket_id)?;
                let author = format!("rule: {}", rule.name);
                let mut changes = Vec::new();
                let mut raised = Vec::new();
                for action in &rule.actions {
                    match action {
                        Action::Set { field, value } => {
                            if let Some(c) = self.set_field(&mut row, field, value)? {
                                changes.push(c);
                            }
                        }
                        Action::AddNote { text, kind } => {
                            let kind = NoteKind::parse(kind).unwrap_or(NoteKind::Internal);
                            self.note(row.id, kind, text, &author)?;
                            row.version += 1;
                            raised.push(Fired {
                                ticket_id: row.id,
                                event: RuleEvent::NoteAdded,
                                note: Some((kind, text.clone())),
                                depth: f.depth + 1,
                            });
                        }
                        Action::Notify { event, to } => {
                            let person = match to {
                                Recipient::Assigned => {
                                    row.assigned_id.and_then(|a| self.dir.resource_by_id(a))
                                }
                                Recipient::Contact => {
                                    row.contact_id.and_then(|c| self.dir.contact_by_id(c))
                                }
                                Recipient::Login(l) => self
                                    .dir
                                    .resources
                                    .iter()
                                    .chain(self.dir.contacts.iter())
                                    .find(|p| p.login.eq_ignore_ascii_case(l)),
                            };
                            if let Some(p) = person {
                                let text = note.map(|(_, t)| t.as_str());
                                self.notify(event, p, &row, text)?;
                            }
                        }
                    }
                }
                if !changes.is_empty() {
                    self.save(&mut row)?;
                    for c in &changes {
                        self.event(row.id, c, &author)?;
                    }
                    raised.extend(Self::fired_by(row.id, &changes, f.depth + 1));
                }
                queue.extend(raised.into_iter().map(|e| (e, row.clone())));
            }
        }
        Ok(())
    }

    /// Renders the template of `event` for `to` and puts the message in the outbox. A
    /// message to a contact ends with the ticket's portal page where the portal's address
    /// is known (docs/portal.md), unless its template placed that link itself.
    pub fn notify(&self, event: &str, to: &Person, row: &Row, note: Option<&str>) -> Result<()> {
        let Some((subject, body)) = self.dir.templates.get(event) else {
            return Ok(());
        };
        let dir = self.dir;
        let taskfire_queue = match self.r().share_of(row.id)? {
            Some((_, tid, _)) => Some(self.r().row_by_id(tid)?)
                .and_then(|t| dir.queue_by_id(t.queue_id))
                .map(|q| q.name.clone()),
            None => None,
        };
        let portal_url = dir.portal_url(&row.number).filter(|_| row.side == 0);
        let lookup = |p: &str| -> Option<String> {
            Some(match p {
                "ticket.number" => row.number.clone(),
                "ticket.portal_url" => portal_url.clone()?,
                "ticket.due" => {
                    let d = from_ms(row.due_at?).with_timezone(&to.tz);
                    format!("{} ({})", d.format("%Y-%m-%d %H:%M"), to.tz.name())
                }
                "note.text" => note?.to_string(),
                "note.author" => self.who.name.clone(),
                "actor.name" => self.who.name.clone(),
                "actor.login" => self.who.login.clone(),
                "recipient.name" => to.name.clone(),
                "desk.name" => dir.desk_name.clone(),
                "taskfire.queue" => taskfire_queue.clone()?,
                other => field(dir, row, other.strip_prefix("ticket.")?)?.to_string(),
            })
        };
        let mut text = render(body, lookup);
        if let Some(url) = portal_url
            .as_deref()
            .filter(|u| to.contact && !text.contains(u))
        {
            text.push_str(&format!("\n\nFollow this ticket in the portal: {url}"));
        }
        self.db.add_outbox(
            event,
            &to.email,
            &render(subject, lookup),
            &text,
            &row.number,
            to_ms(self.now),
        )?;
        Ok(())
    }
}

/// Hands every unsent message of the outbox to `sender`; marks those it accepted.
pub(crate) fn deliver(
    db: &dyn Store,
    sender: &mut dyn Sender,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut sent = 0;
    for (id, n) in db.unsent()? {
        if sender.send(&n).is_ok() {
            db.mark_sent(id, to_ms(now))?;
            sent += 1;
        }
    }
    Ok(sent)
}
