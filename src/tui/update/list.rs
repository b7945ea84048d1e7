//! The list: which tickets (the queue pane's entry, a saved view, the query), sorted and
//! paged by the backend over the whole query, its count beside it; `o`/`O` set the sort
//! in the query; the next page comes when the cursor reaches the end of what is loaded.
//! Opening a ticket takes it out of the technician's inbox.

use desk_engine::model::{ActorKind, MAX_PAGE, PageRequest, PortalLevel, Sort, SortField, Ticket};

use super::super::effect::{Call, Effect};
use super::super::query::{ListQuery, Query, with_sort};
use super::super::state::{EntryKind, Mode, Slot, State};

/// Reloads counts and the list in the background; the selection and any open form stay.
pub fn refresh(s: &mut State) -> Vec<Effect> {
    s.ticks_since_refresh = 0;
    let mut fx = vec![s.request(Slot::Catalog, Call::Catalog)];
    // A found ticket stays found; a list grown page by page is reloaded whole, not cut
    // back to one page under the user's cursor, up to the most one call may ask for
    // (past that only the counts refresh).
    let shown = u32::try_from(s.list.tickets.len()).unwrap_or(u32::MAX);
    let whole = shown.div_ceil(s.list_limit.max(1)) * s.list_limit.max(1);
    if !s.pending.iter().any(|(sl, _)| *sl == Slot::Find) && whole <= MAX_PAGE {
        fx.extend(load_list_of(s, whole.max(s.list_limit)));
    }
    fx.extend(view_counts(s));
    fx
}

/// Asks for the list that the queue pane and the query select, one page of it.
pub fn load_list(s: &mut State) -> Vec<Effect> {
    load_list_of(s, s.list_limit)
}

/// The query of what the queue pane has selected (a view's, or none), before the
/// filter bar's.
fn base(s: &State) -> (Option<String>, String, bool) {
    match s.queues.current().map(|e| &e.kind) {
        Some(EntryKind::Queue(q)) => (Some(q.clone()), String::new(), false),
        Some(EntryKind::View(i)) => (
            None,
            s.views.get(*i).map(|v| v.query.clone()).unwrap_or_default(),
            false,
        ),
        Some(EntryKind::Inbox) => (None, String::new(), true),
        _ => (None, String::new(), false),
    }
}

/// The list the queue pane and the query select, as the backend's filter and sort.
pub fn list_query(s: &State) -> Result<(Query, ListQuery), String> {
    let (queue, base, inbox) = base(s);
    let text = format!("{base} {}", s.query);
    let mut q = Query::parse(&text)?;
    q.unseen |= inbox;
    let lq = q.to_filter(
        s.catalog.as_ref(),
        queue.as_deref(),
        &s.me.login,
        s.now,
        s.tz,
    )?;
    Ok((q, lq))
}

fn page(limit: u32, sort: Option<Sort>) -> PageRequest {
    PageRequest {
        after: None,
        limit,
        sort,
    }
}

/// `load_list` with its first page `limit` tickets long.
fn load_list_of(s: &mut State, limit: u32) -> Vec<Effect> {
    if s.mode == Mode::Portal {
        return portal_list(s, limit);
    }
    let (q, lq) = match list_query(s) {
        Ok(x) => x,
        Err(e) => {
            s.error(format!("filter: {e}"));
            return Vec::new();
        }
    };
    if let Some(n) = q.number {
        another_list(s);
        s.list.to_count = None;
        s.list.title = format!("Ticket {n}");
        s.pending
            .retain(|(sl, _)| !matches!(sl, Slot::List | Slot::Count));
        s.list.total = None;
        return vec![s.request(Slot::Find, Call::Ticket(n))];
    }
    let label = s
        .queues
        .current()
        .map(|e| e.label.clone())
        .unwrap_or_default();
    s.list.title = if s.query.is_empty() {
        label
    } else {
        format!("{label} / {}", s.query.trim())
    };
    s.list.sort = lq.sort.unwrap_or(Sort::DEFAULT);
    s.pending.retain(|(sl, _)| *sl != Slot::Find);
    // Counted once the first page is in: on a local store both would queue for the one
    // engine, and the page is what the technician is waiting for.
    s.list.to_count = Some(lq.filter.clone());
    list_call(s, Call::List(lq.filter, page(limit, lq.sort)))
}

fn portal_list(s: &mut State, limit: u32) -> Vec<Effect> {
    s.list.title = if s.query.is_empty() {
        "My tickets (as the portal shows them)".into()
    } else {
        format!("My tickets / {}", s.query)
    };
    if matches!(
        s.me.kind,
        ActorKind::Contact {
            portal: PortalLevel::None,
            ..
        }
    ) {
        // The portal shows such a contact nothing (R6); say why rather than "no tickets".
        s.list.title = "Your portal access is off: ask your service provider".into();
    }
    s.list.total = None;
    s.list.to_count = None;
    if let Ok(q) = Query::parse(&s.query)
        && let Some(n) = q.number
    {
        s.list.title = format!("Ticket {n}");
        s.pending.retain(|(sl, _)| *sl != Slot::List);
        return vec![s.request(Slot::Find, Call::PortalShow(n))];
    }
    list_call(s, Call::PortalList(page(limit, None)))
}

/// Asks for the first page of a list, remembering the call so that later pages can
/// follow it; a page still coming for the old list is no longer wanted. A list of other
/// tickets than the one shown starts its "changed since loaded" anew.
fn list_call(s: &mut State, call: Call) -> Vec<Effect> {
    s.pending.retain(|(sl, _)| *sl != Slot::More);
    let same = match (&s.list.call, &call) {
        (Some(Call::List(a, pa)), Call::List(b, pb)) => a == b && pa.sort == pb.sort,
        (Some(Call::PortalList(_)), Call::PortalList(_)) => true,
        _ => false,
    };
    if !same {
        another_list(s);
    }
    s.list.call = Some(call.clone());
    vec![s.request(Slot::List, call)]
}

/// Another list than the one shown: what was seen starts anew, and the marks, which
/// belong to the list they were made on, go (said, so that none is acted on unseen).
fn another_list(s: &mut State) {
    s.list.forget();
    if !s.marks.is_empty() {
        s.info(format!("{} marks cleared: another list", s.marks.len()));
        s.marks.clear();
    }
}

/// The next page of the shown list, appended when the cursor reaches its end.
pub fn load_more(s: &mut State) -> Vec<Effect> {
    let busy = s.pending.iter().any(|(sl, _)| *sl == Slot::More);
    let (Some(after), Some(call), false) = (s.list.next.clone(), s.list.call.clone(), busy) else {
        return Vec::new();
    };
    let next = |p: &PageRequest| PageRequest {
        after: Some(after.clone()),
        limit: s.list_limit,
        ..p.clone()
    };
    let call = match call {
        Call::List(f, p) => Call::List(f, next(&p)),
        Call::PortalList(p) => Call::PortalList(next(&p)),
        _ => return Vec::new(),
    };
    vec![s.request(Slot::More, call)]
}

/// Counts of the saved views in the queue pane, of the whole of each.
pub fn view_counts(s: &mut State) -> Vec<Effect> {
    if s.mode == Mode::Portal {
        return Vec::new();
    }
    let mut fx = Vec::new();
    for i in 0..s.views.len() {
        let Ok(q) = Query::parse(&s.views[i].query) else {
            continue;
        };
        if let Ok(lq) = q.to_filter(s.catalog.as_ref(), None, &s.me.login, s.now, s.tz) {
            fx.push(s.request(Slot::ViewCount(i), Call::Count(lq.filter)));
        }
    }
    fx
}

/// The fields `o` goes through, the triage ones first: from the default (newest first)
/// the first `o` is by due date, most overdue at the top.
const CYCLE: [SortField; 8] = [
    SortField::Created,
    SortField::Due,
    SortField::Priority,
    SortField::Updated,
    SortField::Number,
    SortField::Status,
    SortField::Company,
    SortField::Title,
];

/// `o`: sort by the next field; `O`: the other way. Written into the query as
/// `sort:FIELD` (so that a saved view keeps it), and the list reloaded by the backend.
pub fn sort(s: &mut State, next: bool) -> Vec<Effect> {
    let now = s.list.sort;
    let sort = if next {
        let i = CYCLE
            .iter()
            .position(|f| *f == now.field)
            .map_or(0, |i| (i + 1) % CYCLE.len());
        Sort::asc(CYCLE[i])
    } else {
        Sort {
            descending: !now.descending,
            ..now
        }
    };
    s.query = with_sort(&s.query, sort);
    s.list.selected = 0;
    s.info(format!("sorted by {sort} over the whole list"));
    load_list(s)
}

/// The technician opened a ticket: seen at this version, and out of their inbox.
pub fn opened(s: &mut State, t: &Ticket) -> Vec<Effect> {
    s.list.saw(t);
    if !t.unseen || s.mode == Mode::Portal {
        return Vec::new();
    }
    for x in s.list.tickets.iter_mut().filter(|x| x.number == t.number) {
        x.unseen = false;
    }
    if let Some(d) = s.detail.ticket.as_mut() {
        d.unseen = false;
    }
    vec![s.request(Slot::Seen, Call::MarkSeen(t.number.clone()))]
}
