//! Edits of tickets as data: what to change on which ticket, conditional on the version
//! the technician saw (docs/tui.md, "Conflicts"). A batch is one or many tickets, each
//! its own transaction; every result is kept (done, refused and why, or a conflict with
//! the ticket as it is now), so that a conflict can be shown and a failure retried.

use desk_engine::model::{TaskfireAssign, Ticket, TicketChange, TicketField};

use crate::backend::{Backend, BackendError, ErrorKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Fields to set; its `expected_version` is filled in from the op when sent.
    Update(TicketChange),
    /// A note appends and never conflicts.
    Note {
        text: String,
        publish: bool,
    },
    TaskfireAssign(TaskfireAssign),
    /// T4: the ticket (and its Taskfire version) deleted; done, it is gone.
    Delete,
    /// T2: the provider's work is complete (a default note when none).
    TaskfireComplete {
        note: Option<String>,
    },
    /// T5: a Taskfire resource hands the ticket to the provider.
    Escalate {
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub number: String,
    /// The version the edit is conditional on: the one the technician saw.
    pub version: i64,
    /// The ticket as it was seen (for an undo, as it was left after the change undone).
    pub base: Box<Ticket>,
    pub edit: Edit,
}

impl Op {
    pub fn new(base: &Ticket, edit: Edit) -> Op {
        Op {
            number: base.number.clone(),
            version: base.version,
            base: Box::new(base.clone()),
            edit,
        }
    }
}

/// What a batch does, as people read it ("status → In Progress"), and whether it is an
/// undo (which is not itself undone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub what: String,
    pub ops: Vec<Op>,
    pub undo: bool,
    /// Its results go to the results panel (a change of many, or a retry from it),
    /// rather than the status line or a conflict popup.
    pub panel: bool,
}

impl Batch {
    pub fn new(what: impl Into<String>, ops: Vec<Op>) -> Batch {
        Batch {
            what: what.into(),
            panel: ops.len() > 1,
            ops,
            undo: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done(Box<Ticket>),
    Refused(BackendError),
    /// Someone changed the ticket after it was seen; it is now `current`.
    Conflict(Box<Ticket>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpResult {
    pub op: Op,
    pub outcome: Outcome,
}

impl OpResult {
    pub fn failed(&self) -> bool {
        !matches!(self.outcome, Outcome::Done(_))
    }
}

/// Runs the ops one after the other (each its own transaction); a conflict fetches the
/// ticket as it is now, so that what changed can be shown without another round trip.
pub async fn run(backend: &dyn Backend, ops: Vec<Op>) -> Vec<OpResult> {
    let mut out = Vec::with_capacity(ops.len());
    for op in ops {
        let n = op.number.clone();
        let r = match &op.edit {
            Edit::Update(c) => {
                let on = |version| TicketChange {
                    expected_version: Some(version),
                    ..c.clone()
                };
                match backend.update_ticket(n.clone(), on(op.version)).await {
                    // Only notes came since (no field, no Taskfire state differs): there
                    // is nothing of theirs to overwrite, so mine goes on top, once, again
                    // conditional (docs/tui.md, "Edits and conflicts").
                    Err(BackendError {
                        kind: ErrorKind::Conflict,
                        current: Some(now),
                        ..
                    }) if only_notes_since(&op.base, &now) => {
                        backend.update_ticket(n.clone(), on(now.version)).await
                    }
                    r => r,
                }
            }
            Edit::Note { text, publish } => {
                backend.add_note(n.clone(), text.clone(), *publish).await
            }
            Edit::TaskfireAssign(a) => {
                let a = TaskfireAssign {
                    expected_version: Some(op.version),
                    ..a.clone()
                };
                backend.taskfire_assign(n.clone(), a).await
            }
            Edit::TaskfireComplete { note } => {
                backend
                    .taskfire_complete(n.clone(), note.clone(), Some(op.version))
                    .await
            }
            Edit::Escalate { note } => {
                backend
                    .taskfire_escalate(n.clone(), note.clone(), Some(op.version))
                    .await
            }
            // Done: the ticket as it was when deleted (nothing else is left to show).
            Edit::Delete => backend
                .delete_ticket(n.clone(), Some(op.version))
                .await
                .map(|()| (*op.base).clone()),
        };
        let outcome = match r {
            Ok(t) => Outcome::Done(Box::new(t)),
            // The conflict carries the ticket as it is now; an older server's does not,
            // and then it is fetched.
            Err(BackendError {
                kind: ErrorKind::Conflict,
                current: Some(now),
                ..
            }) => Outcome::Conflict(now),
            Err(e) if e.kind == ErrorKind::Conflict => match backend.ticket(n).await {
                Ok(now) => Outcome::Conflict(Box::new(now)),
                Err(_) => Outcome::Refused(e),
            },
            Err(e) => Outcome::Refused(e),
        };
        out.push(OpResult { op, outcome });
    }
    out
}

/// Whether every field and the Taskfire state are as they were seen: what came since
/// can only be notes (which append) or history of them.
fn only_notes_since(seen: &Ticket, now: &Ticket) -> bool {
    seen.taskfire == now.taskfire
        && TicketField::ALL
            .into_iter()
            .all(|f| value(seen, f) == value(now, f))
}

/// The value of a field on a ticket, as a change would set it (an instant in RFC 3339,
/// an empty string for none).
pub fn value(t: &Ticket, f: TicketField) -> String {
    match f {
        TicketField::Title => t.title.clone(),
        TicketField::Status => t.status.clone(),
        TicketField::Queue => t.queue.clone(),
        TicketField::Priority => t.priority.clone(),
        TicketField::WorkType => t.work_type.clone().unwrap_or_default(),
        TicketField::Assigned => t.assigned.clone().unwrap_or_default(),
        TicketField::Due => t.due_at.map(|d| d.to_rfc3339()).unwrap_or_default(),
    }
}

/// The fields a change sets, with the value it sets each to.
pub fn fields(c: &TicketChange) -> Vec<(TicketField, String)> {
    [
        (TicketField::Title, &c.title),
        (TicketField::Status, &c.status),
        (TicketField::Queue, &c.queue),
        (TicketField::Priority, &c.priority),
        (TicketField::WorkType, &c.work_type),
        (TicketField::Assigned, &c.assign),
        (TicketField::Due, &c.due),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.clone().map(|v| (f, v)))
    .collect()
}

pub fn set(c: &mut TicketChange, f: TicketField, v: String) {
    let slot = match f {
        TicketField::Title => &mut c.title,
        TicketField::Status => &mut c.status,
        TicketField::Queue => &mut c.queue,
        TicketField::Priority => &mut c.priority,
        TicketField::WorkType => &mut c.work_type,
        TicketField::Assigned => &mut c.assign,
        TicketField::Due => &mut c.due,
    };
    *slot = Some(v);
}

/// The change that puts back what `base` had in each field that `after` changed, or
/// `None` when nothing it set differs (a value set to what it was).
pub fn inverse(base: &Ticket, after: &Ticket) -> Option<TicketChange> {
    let mut c = TicketChange::default();
    for f in TicketField::ALL {
        let (was, now) = (value(base, f), value(after, f));
        if was != now {
            set(&mut c, f, was);
        }
    }
    (!c.is_empty()).then_some(c)
}

/// One undo: put these tickets back, each if it is still at the version the change left.
pub fn undo_of(results: &[OpResult]) -> Vec<Op> {
    results
        .iter()
        .filter_map(|r| {
            let (Edit::Update(_), Outcome::Done(after)) = (&r.op.edit, &r.outcome) else {
                return None;
            };
            let back = inverse(&r.op.base, after)?;
            Some(Op {
                number: after.number.clone(),
                version: after.version,
                base: after.clone(),
                edit: Edit::Update(back),
            })
        })
        .collect()
}

/// A field the conflict is about: what the technician saw, what is there now, what they
/// wanted, and who changed it (from the history, when it says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub field: TicketField,
    pub seen: String,
    pub theirs: String,
    pub mine: Option<String>,
    pub by: Option<String>,
}

/// Every field that differs between what was seen and what is there now, and every field
/// of mine; who changed each is the latest history event on it since.
pub fn diff(seen: &Ticket, now: &Ticket, mine: Option<&TicketChange>) -> Vec<Diff> {
    let mine: Vec<(TicketField, String)> = mine.map(fields).unwrap_or_default();
    // What changed since: the events of a later version (or, from a store before
    // versions were kept, the events not seen).
    let new_events: Vec<_> = now
        .events
        .iter()
        .filter(|e| match e.version {
            Some(v) => v > seen.version,
            None => !seen.events.contains(e),
        })
        .collect();
    TicketField::ALL
        .into_iter()
        .filter_map(|f| {
            let (s, t) = (value(seen, f), value(now, f));
            let m = mine.iter().find(|(x, _)| *x == f).map(|(_, v)| v.clone());
            if s == t && m.is_none() {
                return None;
            }
            let by = new_events
                .iter()
                .rev()
                .find(|e| e.ticket_field() == Some(f))
                .map(|e| e.actor.clone());
            Some(Diff {
                field: f,
                seen: s,
                theirs: t,
                mine: m,
                by,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use desk_engine::model::Event;

    fn ticket() -> Ticket {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-29T08:00:00Z")
            .unwrap()
            .to_utc();
        Ticket {
            number: "T20261129.0001".into(),
            desk: "provider".into(),
            title: "Printer".into(),
            description: String::new(),
            status: "New".into(),
            priority: "High".into(),
            queue: "Level 1".into(),
            source: "Phone".into(),
            issue_type: None,
            work_type: None,
            company: None,
            contact: None,
            assigned: None,
            created_by: "anna".into(),
            created_at: at,
            created_local: at.fixed_offset(),
            created_tz: "UTC".into(),
            number_date: at.date_naive(),
            due_at: None,
            series: None,
            version: 1,
            updated_at: at,
            unseen: false,
            taskfire: None,
            notes: Vec::new(),
            events: Vec::new(),
        }
    }

    #[test]
    fn inverse_puts_back_only_what_changed() {
        let base = ticket();
        let mut after = base.clone();
        after.priority = "Low".into();
        after.assigned = Some("ben".into());
        after.version = 2;
        let c = inverse(&base, &after).unwrap();
        assert_eq!(c.priority.as_deref(), Some("High"));
        assert_eq!(c.assign.as_deref(), Some(""), "nobody again");
        assert!(c.status.is_none() && c.title.is_none());
        assert!(inverse(&base, &base).is_none());
    }

    #[test]
    fn diff_names_the_field_their_value_mine_and_who() {
        let seen = ticket();
        let mut now = seen.clone();
        now.priority = "Critical".into();
        now.version = 2;
        now.events.push(Event {
            actor: "anna".into(),
            field: "priority".into(),
            from: Some("High".into()),
            to: Some("Critical".into()),
            at: seen.created_at,
            version: Some(2),
        });
        let mine = TicketChange {
            priority: Some("Low".into()),
            ..Default::default()
        };
        let d = diff(&seen, &now, Some(&mine));
        assert_eq!(
            d,
            vec![Diff {
                field: TicketField::Priority,
                seen: "High".into(),
                theirs: "Critical".into(),
                mine: Some("Low".into()),
                by: Some("anna".into()),
            }]
        );
    }
}
