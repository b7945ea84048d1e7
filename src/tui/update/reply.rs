//! Backend replies. A reply whose request is no longer the wanted one for its slot is
//! dropped unseen: the user has moved on.

use super::super::effect::{Call, Effect};
use super::super::event::{Reply, RequestId};
use super::super::state::{Popup, Slot, State};
use super::{load_list, select_row, view_counts};

pub fn apply(s: &mut State, id: RequestId, r: Reply) -> Vec<Effect> {
    let Some(slot) = s.take_reply(id) else {
        return Vec::new();
    };
    match (slot, r) {
        (Slot::Catalog, Reply::Catalog(Ok(c))) => {
            let first = s.catalog.is_none();
            s.queues.rebuild(Some(&c), &s.views, s.mode == super::Mode::Portal);
            s.catalog = Some(c);
            // The first view counts need the catalog to resolve names.
            if first { view_counts(s) } else { Vec::new() }
        }
        (Slot::List, Reply::Tickets(Ok(page))) => {
            s.list.set(page.items, page.next.is_some());
            select_row(s);
            Vec::new()
        }
        (Slot::Find, Reply::Ticket(Ok(t))) => {
            s.info(format!("{} is in queue {} ({} desk)", t.number, t.queue, t.desk));
            s.list.set(vec![t], false);
            s.list.selected = 0;
            select_row(s);
            Vec::new()
        }
        (Slot::ViewCount(i), Reply::Tickets(Ok(page))) => {
            let n = page.items.len() as u64;
            let more = page.next.is_some();
            let e = s.queues.entries.iter_mut().find(|e| e.kind == super::EntryKind::View(i));
            if let Some(e) = e {
                e.count = Some(n);
                e.more = more;
            }
            Vec::new()
        }
        (Slot::Save, Reply::Ticket(Ok(t))) => {
            close_form(s, id);
            s.info(format!("saved {}", t.number));
            let number = t.number.clone();
            let known = s.list.tickets.iter().any(|x| x.number == number);
            if known {
                s.list.replace(&number, Some(t.clone()));
                s.list.sort_now();
            } else {
                s.list.set(
                    std::iter::once(t.clone()).chain(s.list.tickets.clone()).collect(),
                    s.list.more,
                );
                s.list.selected = s.list.tickets.iter().position(|x| x.number == number).unwrap_or(0);
            }
            s.detail.show(Some(t));
            // Counts and membership may have changed (a queue move, a closed ticket).
            let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
            fx.extend(load_list(s));
            fx
        }
        (Slot::Save, Reply::Deleted(Ok(()))) => {
            let number = s.ticket().map(|t| t.number.clone()).unwrap_or_default();
            s.popups.retain(|p| !matches!(p, Popup::Confirm(_)));
            s.list.replace(&number, None);
            select_row(s);
            s.info(format!("deleted {number}"));
            let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
            fx.extend(load_list(s));
            fx
        }
        (Slot::Save, Reply::Ticket(Err(e)) | Reply::Deleted(Err(e))) => {
            // A failed save keeps the form and everything typed in it, and says why.
            let text = format!("not saved: {e}");
            match s.popups.last_mut() {
                Some(Popup::Form(f)) if f.saving == Some(id) => {
                    f.saving = None;
                    f.error = Some(text.clone());
                }
                Some(Popup::Confirm(_)) => {
                    s.popups.pop();
                }
                _ => {}
            }
            s.error(text);
            Vec::new()
        }
        (Slot::List | Slot::Find, Reply::Tickets(Err(e)) | Reply::Ticket(Err(e))) => {
            s.list.loaded = true;
            s.error(format!("cannot load the list: {e}"));
            Vec::new()
        }
        (Slot::Catalog, Reply::Catalog(Err(e))) => {
            s.error(format!("cannot load the desk's names: {e}"));
            Vec::new()
        }
        (Slot::ViewCount(_), _) => Vec::new(),
        (slot, other) => {
            let _ = other;
            s.error(format!("internal: a reply of the wrong kind for {slot:?}"));
            Vec::new()
        }
    }
}

/// Closes the form whose save this was (not one opened since).
fn close_form(s: &mut State, id: RequestId) {
    if matches!(s.popups.last(), Some(Popup::Form(f)) if f.saving == Some(id)) {
        s.popups.pop();
    }
}
