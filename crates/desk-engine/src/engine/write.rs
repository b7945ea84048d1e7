//! Writing, inside the transaction the facade opened: tickets, changes, notes, series.

use chrono::{DateTime, Utc};
use std::cell::RefCell;
use std::collections::BTreeSet;

use super::input::{description, note_text, title};
use super::read::{R, Row, field, priority_value};
use super::rules::Fired;
use super::{Who, WhoKind};
use crate::domain::number::{desk_date, format_number, series_instance};
use crate::domain::permission::require_act_on_ticket;
use crate::domain::time::{accepted_range, add_local_days, check_instant, parse_time};
use crate::domain::workflow::RuleEvent;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::sql::Store;
use crate::store::words::Words;
use crate::store::{Dir, to_ms};

pub(crate) struct W<'a> {
    pub db: &'a dyn Store,
    pub words: &'a Words,
    pub dir: &'a Dir,
    pub now: DateTime<Utc>,
    pub who: &'a Who,
    /// What this transaction did to which tickets, for the change feed and the search
    /// index (`W::finish`).
    pub(crate) marks: RefCell<Marks>,
}

/// The tickets a transaction touched.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// Inserted, changed or given a note, in the order first touched.
    pub touched: Vec<i64>,
    pub created: BTreeSet<i64>,
    /// Whose search document must be written again.
    pub text: BTreeSet<i64>,
    /// Deleted: (desk side, number).
    pub deleted: Vec<(i64, String)>,
}

/// What one field change did, for the history and the rules.
pub(crate) struct Changed {
    pub field: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl<'a> W<'a> {
    pub fn new(
        db: &'a dyn Store,
        words: &'a Words,
        dir: &'a Dir,
        now: DateTime<Utc>,
        who: &'a Who,
    ) -> Self {
        W {
            db,
            words,
            dir,
            now,
            who,
            marks: RefCell::new(Marks::default()),
        }
    }

    /// Ticket `id` changed in this transaction.
    pub fn touch(&self, id: i64) {
        let mut m = self.marks.borrow_mut();
        if !m.touched.contains(&id) {
            m.touched.push(id);
        }
    }

    /// Ticket `id`'s text (title, description, notes) changed.
    pub fn text_changed(&self, id: i64) {
        self.touch(id);
        self.marks.borrow_mut().text.insert(id);
    }

    pub fn r(&self) -> R<'_> {
        R {
            db: self.db,
            words: self.words,
            dir: self.dir,
            now: self.now,
            seer: self.who.resource_id(),
            walk: crate::store::search::SearchWalk::default(),
        }
    }

    /// R4: the next number of today's desk date. The counter lives in the same
    /// transaction as the ticket (BEGIN IMMEDIATE serializes writers across processes),
    /// so a number is given once or not at all.
    pub fn next_number(&self) -> Result<String> {
        let day = desk_date(self.now, self.dir.tz);
        let seq = self.db.next_sequence(&day.to_string())?;
        Ok(format_number(day, seq as u64))
    }

    pub fn insert(&self, row: &Row) -> Result<i64> {
        let row = Row {
            updated_at: to_ms(self.now),
            version: 1,
            ..row.clone()
        };
        let id = self
            .db
            .insert_ticket(&row, self.dir.status_closed(row.status_id))?;
        self.text_changed(id);
        self.marks.borrow_mut().created.insert(id);
        self.outside_activity(id, row.side)?;
        Ok(id)
    }

    /// Writes a changed row back and moves its version on.
    pub fn save(&self, row: &mut Row) -> Result<()> {
        row.version += 1;
        row.updated_at = to_ms(self.now);
        self.db
            .save_ticket(row, self.dir.status_closed(row.status_id))?;
        self.touch(row.id);
        self.seen_by_actor(row.id)
    }

    /// Moves a ticket's version on (a note, a Taskfire action): it was updated now.
    pub fn bump(&self, id: i64) -> Result<()> {
        self.db.bump_ticket(id, to_ms(self.now))?;
        self.touch(id);
        self.seen_by_actor(id)
    }

    /// Adds a note and moves the ticket's version on; the note records that version.
    pub fn note(&self, ticket_id: i64, kind: NoteKind, text: &str, author: &str) -> Result<()> {
        self.bump(ticket_id)?;
        self.db
            .add_note(ticket_id, to_ms(self.now), author, kind.as_str(), text)?;
        self.text_changed(ticket_id);
        let side = self.r().row_by_id(ticket_id)?.side;
        self.outside_activity(ticket_id, side)
    }

    /// An event of the change that has just moved the ticket's version on (`save`,
    /// `bump`): it records that version.
    pub fn event(&self, ticket_id: i64, c: &Changed, author: &str) -> Result<()> {
        self.db.add_event(
            ticket_id,
            to_ms(self.now),
            author,
            c.field,
            c.from.as_deref(),
            c.to.as_deref(),
        )
    }

    /// Sets one field by name on a row of `row.side`'s desk (resolving names there).
    /// Returns the change, or `None` if the value was already so.
    pub fn set_field(&self, row: &mut Row, name: &str, value: &str) -> Result<Option<Changed>> {
        let dir = self.dir;
        let raw = value;
        let value = value.trim();
        let before = |row: &Row, f: &str| field(dir, row, f).map(str::to_string);
        let (key, from): (&'static str, Option<String>) = match name {
            "status" => ("status", before(row, "status")),
            "queue" => ("queue", before(row, "queue")),
            "priority" => ("priority", before(row, "priority")),
            "work_type" => ("work_type", before(row, "work_type")),
            "assigned" => ("assigned", before(row, "assigned")),
            "title" => ("title", Some(row.title.clone())),
            "due" => (
                "due",
                row.due_at.map(|d| crate::store::from_ms(d).to_rfc3339()),
            ),
            other => {
                return Err(Error::invalid(
                    "field",
                    format!("\"{other}\" cannot be set"),
                ));
            }
        };
        match key {
            // T2 sets this on the Taskfire version; the provider's ticket never has it.
            "status" if row.side == 0 && value.eq_ignore_ascii_case(PROVIDER_WORK_COMPLETE) => {
                return Err(Error::invalid(
                    "status",
                    format!(
                        "\"{PROVIDER_WORK_COMPLETE}\" is the Taskfire version's status (desk taskfire complete); close the provider's ticket with Complete"
                    ),
                ));
            }
            "status" => row.status_id = dir.status(value)?.id,
            "queue" => row.queue_id = dir.queue(row.side, value)?.id,
            "priority" => row.priority = priority_value(value)?,
            "work_type" if value.is_empty() => row.work_type_id = None,
            "work_type" => row.work_type_id = Some(dir.work_type(value)?.id),
            "assigned" if value.is_empty() => row.assigned_id = None,
            "assigned" if row.side == 0 => row.assigned_id = Some(dir.provider_resource(value)?.id),
            "assigned" => row.assigned_id = Some(dir.taskfire_resource(row.side, value)?.id),
            "title" => {
                row.title = title(raw)?;
                self.text_changed(row.id);
            }
            "due" if value.is_empty() => row.due_at = None,
            _ => row.due_at = Some(to_ms(parse_time("due", value, self.who.tz)?)),
        }
        let to = match key {
            "title" => Some(row.title.clone()),
            "due" => row.due_at.map(|d| crate::store::from_ms(d).to_rfc3339()),
            k => before(row, k),
        };
        Ok((from != to).then_some(Changed {
            field: key,
            from,
            to,
        }))
    }

    /// Optimistic concurrency: a change made on an older version than the ticket's is
    /// refused, with the ticket as it is now (docs/lists.md, "Conflicts").
    pub fn check_version(&self, row: &Row, expected: Option<i64>) -> Result<()> {
        match expected {
            Some(v) if v != row.version => Err(Error::Conflict {
                number: row.number.clone(),
                expected: v,
                actual: row.version,
                current: Box::new(self.r().view(row.clone(), super::read::Audience::Staff)?),
            }),
            _ => Ok(()),
        }
    }

    /// The rule events that a set of changes fires.
    pub fn fired_by(id: i64, changes: &[Changed], depth: usize) -> Vec<Fired> {
        let mut out = Vec::new();
        if !changes.is_empty() {
            out.push(Fired {
                ticket_id: id,
                event: RuleEvent::TicketUpdated,
                note: None,
                depth,
            });
        }
        if changes.iter().any(|c| c.field == "status") {
            out.push(Fired {
                ticket_id: id,
                event: RuleEvent::StatusChanged,
                note: None,
                depth,
            });
        }
        out
    }

    fn require_staff(&self) -> Result<i64> {
        self.who.side()
    }

    /// R8 on a provider ticket, as it is before the change. Taskfire versions are their
    /// company's desk's business, which keeps its staff there (`find` by side).
    pub fn require_work(&self, row: &Row, what: &str) -> Result<()> {
        if row.side != 0 {
            return Ok(());
        }
        require_act_on_ticket(
            &self.who.actor(self.dir),
            field(self.dir, row, "assigned"),
            what,
            &row.number,
        )
    }

    pub fn create_ticket(&mut self, new: NewTicket) -> Result<i64> {
        let side = self.require_staff()?;
        let dir = self.dir;
        let title = title(&new.title)?;
        let mut company = match &new.company {
            Some(c) => Some(dir.company(c)?.id),
            None if side != 0 => Some(side),
            None => None,
        };
        if side != 0 && company != Some(side) {
            return Err(Error::NotAllowed(format!(
                "{} works the Taskfire desk of {}; tickets there belong to it",
                self.who.login,
                dir.side_name(side)
            )));
        }
        let contact = match &new.contact {
            None => None,
            Some(login) => {
                let c = dir.contact(login)?;
                match company {
                    None => company = c.company_id,
                    Some(id) if c.company_id != Some(id) => {
                        return Err(Error::invalid(
                            "contact",
                            format!("{} is not a contact of {}", c.login, dir.side_name(id)),
                        ));
                    }
                    Some(_) => {}
                }
                Some(c.id)
            }
        };
        let issue_type = match &new.issue_type {
            None => None,
            Some(name) => Some(self.issue_type(name, company)?),
        };
        let queue_id = match &new.queue {
            Some(q) => dir.queue(side, q)?.id,
            None => issue_type
                .and_then(|i| dir.issue_type_by_id(i))
                .and_then(|i| i.queue_id)
                .and_then(|q| dir.queue_by_id(q))
                .filter(|q| q.side == side)
                .or_else(|| {
                    dir.queues
                        .iter()
                        .filter(|q| q.side == side)
                        .find(|q| side != 0 || q.name != CLIENT_PORTAL)
                })
                .or_else(|| dir.queues.iter().find(|q| q.side == side))
                .map(|q| q.id)
                .ok_or_else(|| Error::unknown("queue", "(none on this desk)"))?,
        };
        let source_id = dir.source(new.source.as_deref().unwrap_or("Phone"))?.id;
        let priority = priority_value(new.priority.as_deref().unwrap_or(DEFAULT_PRIORITY))?;
        let assigned_id = match &new.assign {
            None => None,
            Some(a) if side == 0 => {
                // R8: a new ticket is nobody's yet, so only Service Desk assigns it.
                if let WhoKind::Resource {
                    service_desk: false,
                } = self.who.kind
                {
                    return Err(Error::NotAllowed(format!(
                        "{} may not assign a new ticket: without Service Desk access a resource works only the tickets assigned to him; create it unassigned",
                        self.who.login
                    )));
                }
                Some(dir.provider_resource(a)?.id)
            }
            Some(a) => Some(dir.taskfire_resource(side, a)?.id),
        };
        let due_at = new
            .due
            .as_deref()
            .map(|d| parse_time("due", d, self.who.tz))
            .transpose()?
            .map(to_ms);
        let row = Row {
            id: 0,
            number: self.next_number()?,
            side,
            title,
            description: description(&new.description)?,
            status_id: dir.status(NEW_STATUS)?.id,
            priority,
            queue_id,
            source_id,
            issue_type_id: issue_type,
            work_type_id: None,
            company_id: company,
            contact_id: contact,
            assigned_id,
            creator_kind: self.who.creator_kind().to_string(),
            creator_id: self.who.id,
            creator_tz: self.who.tz.name().to_string(),
            created_at: to_ms(self.now),
            due_at,
            series_id: None,
            version: 1,
            updated_at: to_ms(self.now),
        };
        let id = self.insert(&row)?;
        if side == 0 {
            self.created(id)?;
        }
        Ok(id)
    }

    /// What follows the creation of a provider ticket: its rules, then the
    /// acknowledgement to its contact.
    pub fn created(&mut self, id: i64) -> Result<()> {
        self.run_rules(vec![Fired::created(id)])?;
        let row = self.r().row_by_id(id)?;
        if let Some(c) = row.contact_id.and_then(|c| self.dir.contact_by_id(c)) {
            self.notify("ticket_created", c, &row, None)?;
        }
        Ok(())
    }

    /// An issue type by name: the provider's, or one of the ticket's company.
    pub fn issue_type(&self, name: &str, company: Option<i64>) -> Result<i64> {
        let name = name.trim();
        let fits =
            |i: &&crate::store::dir::IssueType| i.company_id.is_none() || i.company_id == company;
        self.dir
            .issue_types
            .iter()
            .filter(fits)
            .find(|i| i.name == name)
            .or_else(|| {
                self.dir
                    .issue_types
                    .iter()
                    .filter(fits)
                    .find(|i| i.name.eq_ignore_ascii_case(name))
            })
            .map(|i| i.id)
            .ok_or_else(|| Error::unknown("issue type", name))
    }

    pub fn update_ticket(&mut self, number: &str, change: TicketChange) -> Result<i64> {
        let side = self.require_staff()?;
        let mut row = self.r().find(side, number)?;
        let what = if change.assign.is_some() {
            "assign"
        } else {
            "change"
        };
        self.require_work(&row, what)?;
        self.check_version(&row, change.expected_version)?;
        if change.is_empty() {
            return Err(Error::invalid(
                "update",
                "nothing to change; give --status, --queue, --priority, --work-type, --assign, --due or --title",
            ));
        }
        let fields: [(&str, &Option<String>); 7] = [
            ("title", &change.title),
            ("status", &change.status),
            ("queue", &change.queue),
            ("priority", &change.priority),
            ("work_type", &change.work_type),
            ("assigned", &change.assign),
            ("due", &change.due),
        ];
        let mut changes = Vec::new();
        for (name, value) in fields {
            if let Some(v) = value
                && let Some(c) = self.set_field(&mut row, name, v)?
            {
                changes.push(c);
            }
        }
        if changes.is_empty() {
            return Ok(row.id);
        }
        self.save(&mut row)?;
        for c in &changes {
            self.event(row.id, c, &self.who.login)?;
        }
        if side == 0 {
            self.run_rules(Self::fired_by(row.id, &changes, 1))?;
        }
        Ok(row.id)
    }

    pub fn add_note(&mut self, number: &str, text: &str, publish: bool) -> Result<i64> {
        let side = self.require_staff()?;
        let text = note_text("note", text)?;
        let row = self.r().find(side, number)?;
        self.require_work(&row, "add a note to")?;
        let kind = if publish {
            NoteKind::Published
        } else {
            NoteKind::Internal
        };
        self.note(row.id, kind, &text, &self.who.login)?;
        if side == 0 {
            self.run_rules(vec![Fired::note(row.id, kind, &text)])?;
        } else if publish {
            self.answer_provider(&row, &text)?;
        }
        Ok(row.id)
    }

    /// R8 and T4: deleting the provider's version of a shared ticket deletes the Taskfire
    /// version too and tells its assigned Taskfire resource.
    pub fn delete_ticket(&mut self, number: &str, expected_version: Option<i64>) -> Result<()> {
        if !matches!(self.who.kind, WhoKind::Resource { .. }) {
            return Err(Error::NotAllowed(format!(
                "{} may not delete tickets; only the provider's staff may",
                self.who.login
            )));
        }
        let row = self.r().find(0, number)?;
        self.require_work(&row, "delete")?;
        self.check_version(&row, expected_version)?;
        if let Some((_, tid, _)) = self.r().share_of(row.id)? {
            let tf = self.r().row_by_id(tid)?;
            if let Some(r) = tf.assigned_id.and_then(|a| self.dir.resource_by_id(a)) {
                self.notify("taskfire_deleted", r, &row, None)?;
            }
            self.deleted(&tf)?;
        }
        self.deleted(&row)?;
        Ok(())
    }

    pub fn create_series(&mut self, new: NewSeries) -> Result<Vec<i64>> {
        if self.require_staff()? != 0 {
            return Err(Error::NotAllowed(format!(
                "{}: series are made on the provider desk",
                self.who.login
            )));
        }
        let dir = self.dir;
        let title = title(&new.title)?;
        let description = description(&new.description)?;
        if !(1..=999).contains(&new.count) {
            return Err(Error::invalid(
                "count",
                format!(
                    "{} is not between 1 and 999 (instances have three digits)",
                    new.count
                ),
            ));
        }
        if !(1..=3650).contains(&new.every_days) {
            return Err(Error::invalid(
                "every-days",
                format!("{} is not between 1 and 3650", new.every_days),
            ));
        }
        let company = dir.company(&new.company)?;
        let contact = match &new.contact {
            None => None,
            Some(l) => {
                let c = dir.contact(l)?;
                if c.company_id != Some(company.id) {
                    return Err(Error::invalid(
                        "contact",
                        format!("{} is not a contact of {}", c.login, company.name),
                    ));
                }
                Some(c.id)
            }
        };
        let queue_id = match &new.queue {
            Some(q) => dir.queue(0, q)?.id,
            None => dir
                .queues
                .iter()
                .find(|q| q.side == 0 && q.name != CLIENT_PORTAL)
                .or_else(|| dir.queues.first())
                .map_or(0, |q| q.id),
        };
        let first_due = parse_time("first-due", &new.first_due, self.who.tz)?;
        let due = |i: u32| {
            add_local_days(
                first_due,
                i64::from(i) * i64::from(new.every_days),
                self.who.tz,
            )
        };
        // Every due date is one desk accepts as input (docs/rules.md, "Time"); the last
        // is the latest, since the first is.
        let last = due(new.count - 1);
        if check_instant("count", last).is_err() {
            let (_, latest) = accepted_range();
            return Err(Error::invalid(
                "count",
                format!(
                    "the last of {} instances {} days apart would be due {}, after {}, the last time desk accepts; give fewer instances or fewer days between them",
                    new.count,
                    new.every_days,
                    last.format("%Y-%m-%d"),
                    latest.format("%Y-%m-%d %H:%M:%S UTC")
                ),
            ));
        }
        let base = self.next_number()?;
        let series_id =
            self.db
                .insert_series(&base, i64::from(new.every_days), i64::from(new.count))?;
        let mut ids = Vec::new();
        for i in 0..new.count {
            // Recur in the zone the first due time was given in: 09:00 stays 09:00 for the
            // person who scheduled it, whatever DST does elsewhere.
            let due = due(i);
            let row = Row {
                id: 0,
                number: series_instance(&base, i + 1),
                side: 0,
                title: title.clone(),
                description: description.clone(),
                status_id: dir.status(NEW_STATUS)?.id,
                priority: priority_value(DEFAULT_PRIORITY)?,
                queue_id,
                source_id: dir.source("Other")?.id,
                issue_type_id: None,
                work_type_id: None,
                company_id: Some(company.id),
                contact_id: contact,
                assigned_id: None,
                creator_kind: self.who.creator_kind().to_string(),
                creator_id: self.who.id,
                creator_tz: self.who.tz.name().to_string(),
                created_at: to_ms(self.now),
                due_at: Some(to_ms(due)),
                series_id: Some(series_id),
                version: 1,
                updated_at: to_ms(self.now),
            };
            let id = self.insert(&row)?;
            self.run_rules(vec![Fired::created(id)])?;
            ids.push(id);
        }
        Ok(ids)
    }
}

impl W<'_> {
    /// Deletes a ticket, remembering it for the change feed.
    fn deleted(&self, row: &Row) -> Result<()> {
        self.db.delete_ticket(row.id)?;
        let mut m = self.marks.borrow_mut();
        m.touched.retain(|id| *id != row.id);
        m.text.remove(&row.id);
        m.deleted.push((row.side, row.number.clone()));
        Ok(())
    }
}

impl W<'_> {
    /// The end of a write, in its transaction: the search documents of tickets whose
    /// text changed are written anew, and each ticket touched gets a row in the changes
    /// table (`kind` for all but those created here).
    pub fn finish(&self, kind: &str) -> Result<()> {
        let m = self.marks.borrow();
        for id in &m.text {
            self.db.index_ticket(self.words, *id)?;
        }
        let mut changes = Vec::new();
        for id in &m.touched {
            if let Some(row) = self.db.ticket(*id)? {
                changes.push(Change {
                    kind: if m.created.contains(id) {
                        "created"
                    } else {
                        kind
                    }
                    .to_string(),
                    desk: self.dir.side_name(row.side),
                    number: row.number,
                    version: Some(row.version),
                    actor: self.who.login.clone(),
                    at: self.now,
                });
            }
        }
        for (side, number) in &m.deleted {
            changes.push(Change {
                kind: "deleted".into(),
                desk: self.dir.side_name(*side),
                number: number.clone(),
                version: None,
                actor: self.who.login.clone(),
                at: self.now,
            });
        }
        if changes.is_empty() {
            return Ok(());
        }
        for c in &changes {
            self.db.add_change(c)?;
        }
        self.db.prune_changes(to_ms(self.now))?;
        self.db.announce_changes()
    }
}
