//! Keys go to the popup on top, which answers with one `Flow`; here its outcome is
//! carried out on the rest of the state. Nothing underneath a popup sees its keys (so
//! typing "q" in a note types a q).

use crossterm::event::KeyEvent;

use super::super::action::{Action, Group, Layer, TABLE};
use super::super::effect::Effect;
use super::super::ops::Batch;
use super::super::popup::palette::PaletteEntry;
use super::super::popup::{Ctx, Flow, Outcome, Pending, Popup};
use super::super::state::{Slot, State};
use super::{forms, load_list, marks, reply, ticket, update, valid};

pub fn key(s: &mut State, k: KeyEvent) -> Vec<Effect> {
    let cx = Ctx {
        keymap: &s.keymap,
        catalog: s.catalog.as_ref(),
        me: &s.me.login,
        now: s.now,
        tz: s.tz,
    };
    let Some(top) = s.popups.last_mut() else {
        return Vec::new();
    };
    match top.key(&k, &cx) {
        Flow::Stay => Vec::new(),
        Flow::Close => {
            s.popups.pop();
            Vec::new()
        }
        Flow::Do(o) => outcome(s, o),
        Flow::CloseThen(o) => {
            s.popups.pop();
            outcome(s, o)
        }
    }
}

fn outcome(s: &mut State, o: Outcome) -> Vec<Effect> {
    match o {
        Outcome::Run(a) => update(s, a),
        Outcome::ApplyQuery(text) => {
            s.history.retain(|h| *h != text);
            if !text.is_empty() {
                s.history.push(text.clone());
                let over = s.history.len().saturating_sub(HISTORY);
                s.history.drain(..over);
            }
            s.query = text;
            s.list.selected = 0;
            s.message = None;
            let mut fx = vec![Effect::SaveHistory(s.history.clone())];
            fx.extend(load_list(s));
            fx
        }
        Outcome::Picked(p) => ticket::picked(s, p),
        Outcome::SubmitForm => forms::submit(s, false),
        Outcome::Edit(text) => vec![Effect::Edit(text)],
        Outcome::KeepDraft { number, text } => {
            s.drafts.insert(number.clone(), text.clone());
            s.info(format!(
                "kept as the draft of {number}; n on it brings it back"
            ));
            vec![Effect::SaveDraft(number, text)]
        }
        Outcome::Discard { number } => {
            if s.saving() {
                s.pending.retain(|(sl, _)| *sl != Slot::Save);
                s.info("closed; the save may still complete in the background");
            }
            match number {
                Some(n) if s.drafts.remove(&n).is_some() => vec![Effect::DropDraft(n)],
                _ => Vec::new(),
            }
        }
        Outcome::Confirmed(Pending::Ops(batch)) => marks::send(s, batch),
        // One op like any edit: conditional on the version the confirmation showed, and a
        // conflict shown as for any other edit.
        Outcome::Confirmed(Pending::Delete(t)) => {
            let op = super::super::ops::Op::new(&t, super::super::ops::Edit::Delete);
            marks::send(s, Batch::new("T4 delete", vec![op]))
        }
        Outcome::Confirmed(Pending::Form) => forms::submit(s, true),
        Outcome::Open(number) => {
            s.query = number;
            s.list.selected = 0;
            load_list(s)
        }
        Outcome::KeepTheirs(c) => {
            // The form underneath (if any) goes too: its edit is given up, on purpose.
            if matches!(s.popups.last(), Some(Popup::Form(_))) {
                s.popups.pop();
            }
            let number = c.current.number.clone();
            reply::settle_panels(s, &number, None);
            reply::show_ticket(s, c.current);
            s.info(format!("kept theirs: nothing saved on {number}"));
            Vec::new()
        }
        Outcome::ApplyMine(op) => marks::send(s, Batch::new("mine on top of theirs", vec![op])),
        Outcome::Retry(batch) => marks::send(s, batch),
        Outcome::ShowConflict(c) => {
            s.popups.push(Popup::Conflict(c));
            Vec::new()
        }
        Outcome::Say(text) => {
            if !text.is_empty() {
                s.info(text);
            }
            Vec::new()
        }
    }
}

/// Queries kept for ↑ in the filter bar.
const HISTORY: usize = 50;

/// Text from `$EDITOR` lands in the field that was focused when it was opened; control
/// characters other than line breaks and tabs are shown escaped, not passed through.
pub fn edited(s: &mut State, r: Result<String, String>) -> Vec<Effect> {
    match (s.popups.last_mut(), r) {
        (Some(Popup::Form(f)), Ok(text)) => {
            if let Some(field) = f.focused() {
                let text = desk_engine::domain::text::multi_line(text.trim_end()).into_owned();
                field.set_text(&text);
            }
        }
        (Some(Popup::Form(f)), Err(e)) => f.error = Some(format!("editor: {e}")),
        (_, Err(e)) => s.error(format!("editor: {e}")),
        _ => {}
    }
    Vec::new()
}

/// A note being typed is written to its ticket's draft as it changes (on the tick), so
/// that it survives a crash or a killed terminal as well as a restart.
pub fn save_draft(s: &mut State) -> Vec<Effect> {
    let Some(Popup::Form(f)) = s
        .popups
        .iter_mut()
        .rev()
        .find(|p| matches!(p, Popup::Form(_)))
    else {
        return Vec::new();
    };
    let (Some(n), text) = (f.draft_number(), f.draft_text()) else {
        return Vec::new();
    };
    if text == f.draft_saved || f.saving.is_some() {
        return Vec::new();
    }
    f.draft_saved = text.clone();
    if text.is_empty() {
        s.drafts.remove(&n);
        return vec![Effect::DropDraft(n)];
    }
    s.drafts.insert(n.clone(), text.clone());
    vec![Effect::SaveDraft(n, text)]
}

/// Quitting with a note open keeps its text as the ticket's draft.
pub fn draft_on_quit(s: &mut State) -> Vec<Effect> {
    let mut fx = Vec::new();
    for p in &mut s.popups {
        if let Popup::Form(f) = p
            && let Some(n) = f.draft_number()
        {
            let text = f.draft_text();
            if !text.is_empty() && text != f.draft_saved {
                f.draft_saved = text.clone();
                fx.push(Effect::SaveDraft(n, text));
            }
        }
    }
    fx
}

/// Every action of the panes valid now, with its keys: the palette's entries. Ticket
/// actions first: they are why the palette is opened on a ticket.
pub fn palette_entries(s: &State) -> Vec<PaletteEntry> {
    let mut v: Vec<PaletteEntry> = TABLE
        .iter()
        .filter(|d| d.layers.contains(&Layer::Main) && d.when != super::super::action::When::Moving)
        .filter(|d| valid(s, d.when))
        .map(|d| PaletteEntry {
            action: d.action,
            keys: s.keymap.keys_for(d.action),
            text: d.text.to_string(),
        })
        .collect();
    let order = |a: Action| {
        let g = a.def().map(|d| d.group);
        !matches!(g, Some(Group::Ticket | Group::Taskfire | Group::Marks))
    };
    v.sort_by_key(|e| order(e.action));
    v
}
