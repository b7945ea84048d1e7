//! Backend replies. A reply whose request is no longer the wanted one for its slot is
//! dropped unseen: the user has moved on.

use desk_engine::model::{Catalog, Page, Ticket};

use super::super::effect::{Call, Effect};
use super::super::event::{Reply, RequestId};
use super::super::state::popup::OutboxState;
use super::super::state::{EntryKind, Mode, Popup, Slot, State};
use super::{load_list, select_row, view_counts};
use crate::backend::{BResult, BackendError, ErrorKind};

pub fn apply(s: &mut State, id: RequestId, r: Reply) -> Vec<Effect> {
    let Some(slot) = s.take_reply(id) else {
        return Vec::new();
    };
    match r {
        Reply::Catalog(c) => catalog(s, *c),
        Reply::Tickets(page) => tickets(s, slot, page),
        Reply::Ticket(t) => ticket(s, slot, id, *t),
        Reply::Deleted(Ok(())) => deleted(s),
        Reply::Deleted(Err(e)) => failed_save(s, id, e),
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

fn catalog(s: &mut State, c: BResult<Catalog>) -> Vec<Effect> {
    match c {
        Ok(c) => {
            let first = s.catalog.is_none();
            s.queues.rebuild(Some(&c), &s.views, s.mode == Mode::Portal);
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
        (Slot::ViewCount(i), Ok(page)) => {
            let e = s
                .queues
                .entries
                .iter_mut()
                .find(|e| e.kind == EntryKind::View(i));
            if let Some(e) = e {
                e.count = Some(page.items.len() as u64);
                e.more = page.next.is_some();
            }
        }
        (Slot::ViewCount(_), Err(_)) => {}
        (_, Ok(mut page)) => {
            if s.mode == Mode::Portal
                && let Ok(q) = super::super::query::Query::parse(&s.query)
            {
                let (now, tz) = (s.now, s.tz);
                page.items.retain(|t| q.matches(t, now, tz));
            }
            if slot == Slot::More {
                s.list.append(page.items, page.next);
            } else {
                s.list.first_page(page.items, page.next);
            }
            select_row(s);
        }
        (_, Err(e)) => {
            s.list.loaded = true;
            s.error(format!("cannot load the list: {e}"));
        }
    }
    Vec::new()
}

fn ticket(s: &mut State, slot: Slot, id: RequestId, t: BResult<Ticket>) -> Vec<Effect> {
    match (slot, t) {
        (Slot::Save, Ok(t)) => saved(s, id, t),
        (Slot::Save, Err(e)) => failed_save(s, id, e),
        (Slot::Reload, Ok(t)) => {
            s.list.replace(&t.number.clone(), Some(t.clone()));
            s.detail.show(Some(t));
            Vec::new()
        }
        (Slot::Reload, Err(_)) => Vec::new(),
        (_, Ok(t)) => {
            // Said in the title, not as a message: a refresh must not hide the last one.
            s.list.title = format!("Ticket {} · in {} ({} desk)", t.number, t.queue, t.desk);
            s.list.first_page(vec![t], None);
            s.list.call = None;
            s.list.selected = 0;
            select_row(s);
            Vec::new()
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

fn saved(s: &mut State, id: RequestId, t: Ticket) -> Vec<Effect> {
    // Closes the form whose save this was (not one opened since).
    if matches!(s.popups.last(), Some(Popup::Form(f)) if f.saving == Some(id)) {
        s.popups.pop();
    }
    s.info(format!("saved {}", t.number));
    let number = t.number.clone();
    if s.list.tickets.iter().any(|x| x.number == number) {
        s.list.replace(&number, Some(t.clone()));
        s.list.sort_now();
    } else {
        // A new ticket (a portal submit): drop a filter that would hide it on reload.
        s.query.clear();
        let all = std::iter::once(t.clone())
            .chain(s.list.tickets.clone())
            .collect();
        s.list.set(all, s.list.more);
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

fn deleted(s: &mut State) -> Vec<Effect> {
    let number = s.ticket().map(|t| t.number.clone()).unwrap_or_default();
    s.list.replace(&number, None);
    select_row(s);
    s.info(format!("deleted {number}"));
    let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
    fx.extend(load_list(s));
    fx
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
    // Someone else changed the ticket first: show their version, so that a retry
    // starts from what is really there.
    match (e.kind, s.ticket().map(|t| t.number.clone())) {
        (ErrorKind::Conflict, Some(n)) => {
            let call = if s.mode == Mode::Portal {
                Call::PortalShow(n)
            } else {
                Call::Ticket(n)
            };
            vec![s.request(Slot::Reload, call)]
        }
        _ => Vec::new(),
    }
}
