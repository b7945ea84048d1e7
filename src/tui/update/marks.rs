//! Marks and changes of many tickets: space marks, `*` marks every row of the query, `X`
//! clears; a change of marked tickets asks first, naming the count; `A` takes tickets;
//! `u` undoes the last change, each ticket only if nobody changed it since.

use desk_engine::model::{MAX_PAGE, PageRequest, TicketChange};

use super::super::action::Action;
use super::super::effect::{Call, Effect};
use super::super::ops::{Batch, Edit, Op};
use super::super::popup::{ConfirmState, Pending};
use super::super::state::{Popup, Slot, State};
use super::{select_row, step};

pub fn toggle(s: &mut State) -> Vec<Effect> {
    let Some(t) = s.list.selected_ticket() else {
        return Vec::new();
    };
    let n = t.number.clone();
    if !s.marks.remove(&n) {
        s.marks.insert(n);
    }
    step(s, 1)
}

/// Every row of the query: what is loaded at once; the rest of the query (up to a
/// thousand) is loaded and marked when it comes.
pub fn mark_all(s: &mut State) -> Vec<Effect> {
    for t in &s.list.tickets {
        s.marks.insert(t.number.clone());
    }
    let (Some(after), Some(Call::List(f, p))) = (s.list.next.clone(), s.list.call.clone()) else {
        s.info(format!("marked {} tickets", s.marks.len()));
        return Vec::new();
    };
    s.info(format!(
        "marked {}; loading the rest of the query…",
        s.marks.len()
    ));
    let page = PageRequest {
        after: Some(after),
        limit: MAX_PAGE,
        ..p
    };
    vec![s.request(Slot::MarkAll, Call::List(f, page))]
}

/// `A`: assign the selected or marked tickets to me.
pub fn take(s: &mut State) -> Vec<Effect> {
    let me = s.me.login.clone();
    let targets = s.targets();
    let mine = targets
        .iter()
        .all(|t| t.assigned.as_deref() == Some(me.as_str()));
    if mine {
        s.info("already yours");
        return Vec::new();
    }
    let change = TicketChange {
        assign: Some(me),
        ..TicketChange::default()
    };
    let ops = targets
        .iter()
        .filter(|t| t.assigned.as_deref() != Some(s.me.login.as_str()))
        .map(|t| Op::new(t, Edit::Update(change.clone())))
        .collect();
    let batch = Batch::new("taken (assigned to me)", ops);
    confirm_or_send(s, batch)
}

/// One ticket: send. Several: ask first, naming the count and what will change.
pub fn confirm_or_send(s: &mut State, batch: Batch) -> Vec<Effect> {
    if batch.ops.len() <= 1 {
        return send(s, batch);
    }
    let n = batch.ops.len();
    let yes = s.keymap.key(Action::Confirm);
    let no = s.keymap.key(Action::Deny);
    let mut lines = vec![
        format!("{}: on {n} tickets, each on its own.", batch.what),
        "A ticket someone changed since you saw it is left alone and listed as a conflict.".into(),
    ];
    // Rows a refresh brought at another version (Δ), or took out of the list, since they
    // were loaded: each edit is still conditional on the version seen then.
    let stale = batch
        .ops
        .iter()
        .filter(|op| {
            s.list
                .tickets
                .iter()
                .find(|t| t.number == op.number)
                .is_none_or(|t| t.version != op.version)
        })
        .count();
    if stale > 0 {
        lines.push(format!(
            "{stale} of them changed since you loaded them (Δ): saved only if just notes came."
        ));
    }
    lines.push(format!("{yes} yes, change {n} tickets · {no} no"));
    s.popups.push(Popup::Confirm(ConfirmState {
        title: format!("Change {n} tickets?"),
        lines,
        on_yes: Pending::Ops(batch),
        on_no: "nothing changed".into(),
    }));
    Vec::new()
}

/// Sends a batch; a form on top is the one saving (it closes when its save is done).
pub fn send(s: &mut State, batch: Batch) -> Vec<Effect> {
    if batch.ops.is_empty() {
        return Vec::new();
    }
    let n = batch.ops.len();
    s.info(if n == 1 && batch.ops[0].edit == Edit::Delete {
        format!("deleting {}…", batch.ops[0].number)
    } else if n == 1 {
        format!("saving {}…", batch.ops[0].number)
    } else {
        format!("saving {n} tickets…")
    });
    let e = s.request(Slot::Save, Call::Ops(batch));
    if let (Effect::Call(id, _), Some(Popup::Form(f))) = (&e, s.popups.last_mut()) {
        f.saving = Some(*id);
    }
    vec![e]
}

/// `u`: the last change undone, as a whole; a ticket changed since is left as it is.
pub fn undo(s: &mut State) -> Vec<Effect> {
    let Some(batch) = s.undo.take() else {
        return Vec::new();
    };
    let fx = send(s, batch);
    select_row(s);
    fx
}
