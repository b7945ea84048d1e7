//! Backend replies. A reply whose request is no longer the wanted one for its slot is
//! dropped unseen: the user has moved on.

use desk_engine::model::{Catalog, Page, Ticket};

use super::super::effect::{Call, Effect};
use super::super::event::{Reply, RequestId};
use super::super::ops::{Batch, Edit, OpResult, Outcome, undo_of};
use super::super::popup::form::{FieldId, FormKind};
use super::super::popup::{ConflictState, OutboxState, Popup, ResultsState};
use super::super::state::{EntryKind, Mode, Slot, State};
use super::forms::issue_types;
use super::{load_list, select_row, view_counts};
use crate::backend::{BResult, BackendError, ErrorKind};

pub fn apply(s: &mut State, id: RequestId, r: Reply) -> Vec<Effect> {
    let Some(slot) = s.take_reply(id) else {
        return Vec::new();
    };
    if let Some(up) = reached(&r) {
        s.offline = !up;
    }
    match r {
        Reply::Catalog(c) => catalog(s, *c),
        Reply::Tickets(page) => tickets(s, slot, page),
        Reply::Count(n) => count(s, slot, n),
        // Out of the inbox: the counts in the queue pane change.
        Reply::Seen(Ok(())) => vec![s.request(Slot::Catalog, Call::Catalog)],
        Reply::Seen(Err(_)) => Vec::new(),
        Reply::Ticket(t) => ticket(s, slot, id, *t),
        Reply::Ops(batch, results) => ops(s, id, batch, results),
        Reply::Notifications(Ok(items)) => {
            s.message = None;
            s.popups
                .push(Popup::Outbox(OutboxState { items, selected: 0 }));
            Vec::new()
        }
        Reply::Notifications(Err(e)) => {
            s.error(format!("cannot read the outbox: {e}"));
            Vec::new()
        }
    }
}

/// Whether a reply says the backend was reached (`Some(true)`) or not (`Some(false)`).
fn reached(r: &Reply) -> Option<bool> {
    let kind = |e: &BackendError| e.kind;
    let err = match r {
        Reply::Catalog(c) => c.as_ref().as_ref().err().map(kind),
        Reply::Tickets(p) => p.as_ref().err().map(kind),
        Reply::Count(n) => n.as_ref().err().map(kind),
        Reply::Seen(r) => r.as_ref().err().map(kind),
        Reply::Ticket(t) => t.as_ref().as_ref().err().map(kind),
        Reply::Notifications(n) => n.as_ref().err().map(kind),
        Reply::Ops(_, rs) => rs.iter().find_map(|r| match &r.outcome {
            Outcome::Refused(e) => Some(e.kind),
            _ => None,
        }),
    };
    match err {
        Some(ErrorKind::Unavailable) => Some(false),
        _ => Some(true),
    }
}

fn catalog(s: &mut State, c: BResult<Catalog>) -> Vec<Effect> {
    match c {
        Ok(c) => {
            let first = s.catalog.is_none();
            s.queues.rebuild(Some(&c), &s.views, s.mode == Mode::Portal);
            // A portal form opened before the names came: its issue types are here now.
            for p in &mut s.popups {
                if let Popup::Form(f) = p
                    && f.kind == FormKind::PortalSubmit
                {
                    f.fill_choice(FieldId::IssueType, issue_types(&c));
                }
            }
            s.catalog = Some(c);
            // The first view counts need the catalog to resolve names.
            if first { view_counts(s) } else { Vec::new() }
        }
        Err(e) => {
            s.error(format!("cannot load the desk's names: {e}"));
            Vec::new()
        }
    }
}

fn tickets(s: &mut State, slot: Slot, page: BResult<Page<Ticket>>) -> Vec<Effect> {
    match (slot, page) {
        (Slot::MarkAll, Ok(page)) => {
            for t in &page.items {
                s.marks.insert(t.number.clone());
            }
            let more = page.next.is_some();
            s.list.append(page.items, page.next);
            select_row(s);
            if more {
                s.info(format!(
                    "marked {}; the query has more (mark in parts, or narrow it)",
                    s.marks.len()
                ));
            } else {
                s.info(format!("marked all {} tickets of the query", s.marks.len()));
            }
        }
        (_, Ok(mut page)) => {
            if s.mode == Mode::Portal
                && let Ok(q) = super::super::query::Query::parse(&s.query)
            {
                let (now, tz) = (s.now, s.tz);
                page.items.retain(|t| q.matches(t, now, tz));
            }
            let mut fx = Vec::new();
            if slot == Slot::More {
                s.list.append(page.items, page.next);
            } else {
                s.list.first_page(page.items, page.next);
                if let Some(f) = s.list.to_count.take() {
                    fx.push(s.request(Slot::Count, Call::Count(f)));
                }
            }
            select_row(s);
            return fx;
        }
        (_, Err(e)) => {
            s.list.loaded = true;
            s.error(format!("cannot load the list: {e}"));
        }
    }
    Vec::new()
}

/// The count of the whole list, or of a saved view.
fn count(s: &mut State, slot: Slot, n: BResult<u64>) -> Vec<Effect> {
    match (slot, n) {
        (Slot::ViewCount(i), Ok(n)) => {
            let e = s
                .queues
                .entries
                .iter_mut()
                .find(|e| e.kind == EntryKind::View(i));
            if let Some(e) = e {
                e.count = Some(n);
                e.more = false;
            }
        }
        (Slot::Count, Ok(n)) => s.list.total = Some(n),
        (_, _) => {}
    }
    Vec::new()
}

fn ticket(s: &mut State, slot: Slot, id: RequestId, t: BResult<Ticket>) -> Vec<Effect> {
    match (slot, t) {
        (Slot::Save, Ok(t)) => saved(s, id, t),
        (Slot::Save, Err(e)) => failed_save(s, id, e),
        (_, Ok(t)) => {
            // Said in the title, not as a message: a refresh must not hide the last one.
            s.list.title = format!(
                "Ticket {} · in {} ({} desk)",
                t.number,
                desk_engine::domain::text::one_line(&t.queue),
                desk_engine::domain::text::one_line(&t.desk)
            );
            s.list.first_page(vec![t.clone()], None);
            s.list.call = None;
            s.list.total = None;
            s.list.selected = 0;
            select_row(s);
            // Asked for by its number: opened.
            super::list::opened(s, &t)
        }
        (_, Err(e)) => {
            // Nothing matched: an empty list, not the previous one under a new title.
            s.list.first_page(Vec::new(), None);
            s.list.call = None;
            s.list.loaded = true;
            s.list.title = "No such ticket".into();
            select_row(s);
            s.error(format!("not found: {e}"));
            Vec::new()
        }
    }
}

/// Puts a ticket as it is now in the list and the detail; the technician has seen it.
pub fn show_ticket(s: &mut State, t: Ticket) {
    s.list.replace(&t.number.clone(), Some(t.clone()));
    s.list.saw(&t);
    if s.ticket().is_none_or(|x| x.number == t.number) {
        s.detail.show(Some(t));
    }
}

/// Closes the form whose save this was (not one opened since).
fn close_form(s: &mut State, id: RequestId) -> bool {
    if matches!(s.popups.last(), Some(Popup::Form(f)) if f.saving == Some(id)) {
        s.popups.pop();
        return true;
    }
    false
}

/// Each ticket of a batch done, refused or in conflict. One ticket: said on the status
/// line, or a conflict popup. Many: the results panel.
fn ops(s: &mut State, id: RequestId, batch: Batch, results: Vec<OpResult>) -> Vec<Effect> {
    let single = results.len() == 1 && !batch.panel;
    let failed = results.iter().any(OpResult::failed);
    for r in &results {
        match &r.outcome {
            Outcome::Done(t) if r.op.edit == Edit::Delete => gone(s, &t.number),
            Outcome::Done(t) => show_ticket(s, (**t).clone()),
            Outcome::Conflict(t) => {
                // What is there now shows; the row is marked changed until looked at.
                s.list.replace(&t.number.clone(), Some((**t).clone()));
            }
            Outcome::Refused(_) => {}
        }
    }
    // Notes that went out take their drafts with them.
    let mut fx: Vec<Effect> = results
        .iter()
        .filter(|r| {
            matches!(
                (&r.op.edit, &r.outcome),
                (Edit::Note { .. }, Outcome::Done(_))
            )
        })
        .filter_map(|r| {
            s.drafts
                .remove(&r.op.number)
                .map(|_| Effect::DropDraft(r.op.number.clone()))
        })
        .collect();
    // The last change is what u undoes: this one (a note or T1 cannot be undone, so
    // after one there is nothing to undo), unless nothing of it was done.
    if batch.undo {
        s.undo = None;
    } else if results.iter().any(|r| !r.failed()) {
        let back = undo_of(&results);
        s.undo = (!back.is_empty()).then(|| Batch {
            undo: true,
            ..Batch::new(format!("undo of {}", batch.what), back)
        });
    }
    let done = results.iter().filter(|r| !r.failed()).count();
    if single && let Some(r) = results.first() {
        // Mine on top of a conflict of the results panel: its row says what came of it.
        settle_panels(s, &r.op.number.clone(), Some(r));
        match &r.outcome {
            Outcome::Done(t) => {
                close_form(s, id);
                let what = match &r.op.edit {
                    Edit::Delete => "deleted",
                    _ if batch.undo => "undone",
                    _ => "saved",
                };
                s.info(format!("{what} {}", t.number));
            }
            Outcome::Refused(e) => {
                failed_save(s, id, e.clone());
            }
            Outcome::Conflict(now) if batch.undo => {
                let c = ConflictState::new(r.op.clone(), (**now).clone(), false);
                s.error(format!(
                    "not undone: {} was changed since ({}); left as it is",
                    r.op.number,
                    c.summary(s)
                ));
            }
            Outcome::Conflict(now) => {
                let form_below = match s.popups.last_mut() {
                    Some(Popup::Form(f)) if f.saving == Some(id) => {
                        f.saving = None;
                        true
                    }
                    _ => false,
                };
                let c = ConflictState::new(r.op.clone(), (**now).clone(), form_below);
                s.error(format!(
                    "not saved: {} changed since you opened it",
                    r.op.number
                ));
                s.popups.push(Popup::Conflict(Box::new(c)));
            }
        }
    } else {
        {
            close_form(s, id);
            let what = if batch.undo { "undone" } else { "changed" };
            if failed {
                s.error(format!(
                    "{what} {done} of {}; see the results",
                    results.len()
                ));
            } else {
                s.info(format!("{what} {done} tickets"));
            }
            let panel = ResultsState::new(batch.what.clone(), results);
            s.results = Some(panel.clone());
            s.popups.push(Popup::Results(panel));
            if !failed {
                s.marks.clear();
            }
        }
    }
    select_row(s);
    fx.push(s.request(Slot::Catalog, Call::Catalog));
    fx.extend(load_list(s));
    fx
}

/// The results panel (open, and as `ctrl-r` shows it again) learns how one of its
/// conflicts was settled: theirs kept (`None`), or mine applied on top.
pub fn settle_panels(s: &mut State, number: &str, mine: Option<&OpResult>) {
    if let Some(r) = s.results.as_mut() {
        r.settle(number, mine);
    }
    for p in s.popups.iter_mut() {
        if let Popup::Results(r) = p {
            r.settle(number, mine);
        }
    }
}

fn saved(s: &mut State, id: RequestId, t: Ticket) -> Vec<Effect> {
    close_form(s, id);
    // A Taskfire action or a new ticket is the last change now, and cannot be undone.
    s.undo = None;
    s.info(format!("saved {}", t.number));
    let number = t.number.clone();
    if s.list.tickets.iter().any(|x| x.number == number) {
        show_ticket(s, t.clone());
    } else {
        // A new ticket (a portal submit): drop a filter that would hide it on reload.
        s.query.clear();
        let all = std::iter::once(t.clone())
            .chain(s.list.tickets.clone())
            .collect();
        s.list.set(all, s.list.more);
        s.list.saw(&t);
        s.list.selected = s
            .list
            .tickets
            .iter()
            .position(|x| x.number == number)
            .unwrap_or(0);
    }
    s.detail.show(Some(t));
    // Counts and membership may have changed (a queue move, a closed ticket).
    let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
    fx.extend(load_list(s));
    fx
}

/// A deleted ticket leaves the list and the marks: the one the op names, wherever the
/// selection has moved during the round trip.
fn gone(s: &mut State, number: &str) {
    s.list.replace(number, None);
    s.marks.remove(number);
    // A search for the deleted ticket would now say "not found" over "deleted".
    if s.query.trim().eq_ignore_ascii_case(number) {
        s.query.clear();
    }
}

/// A failed save keeps the form and everything typed in it, and says why.
fn failed_save(s: &mut State, id: RequestId, e: BackendError) -> Vec<Effect> {
    let text = format!("not saved: {e}");
    if let Some(Popup::Form(f)) = s.popups.last_mut()
        && f.saving == Some(id)
    {
        f.saving = None;
        f.error = Some(text.clone());
    }
    s.error(text);
    Vec::new()
}
