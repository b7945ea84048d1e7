//! Keys inside popups. A popup takes every key; the keymap's actions do not apply
//! underneath it (so typing "q" in a note types a q).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::action::{Action, Layer, Scope};
use super::super::effect::Effect;
use super::super::state::form::{FormKind, FormState, Input};
use super::super::state::popup::{PaletteEntry, fuzzy};
use super::super::state::{Popup, Slot, State};
use super::{available, forms, load_list, ticket, update};

pub fn key(s: &mut State, k: KeyEvent) -> Vec<Effect> {
    let Some(top) = s.popups.pop() else {
        return Vec::new();
    };
    match top {
        Popup::Help { scroll } => {
            match k.code {
                KeyCode::Char('j') | KeyCode::Down => s.popups.push(Popup::Help {
                    scroll: scroll.saturating_add(1),
                }),
                KeyCode::Char('k') | KeyCode::Up => s.popups.push(Popup::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                _ => {} // any other key closes help
            }
            Vec::new()
        }
        Popup::Outbox(mut o) => match (k.code, s.keymap.action_for(&k)) {
            (KeyCode::Esc, _) | (_, Some(Action::Back | Action::Quit)) => Vec::new(),
            (KeyCode::Down, _) | (_, Some(Action::Down)) => {
                o.selected = (o.selected + 1).min(o.items.len().saturating_sub(1));
                s.popups.push(Popup::Outbox(o));
                Vec::new()
            }
            (KeyCode::Up, _) | (_, Some(Action::Up)) => {
                o.selected = o.selected.saturating_sub(1);
                s.popups.push(Popup::Outbox(o));
                Vec::new()
            }
            // Enter opens the message's ticket, as the filter bar finds a number.
            (KeyCode::Enter, _) | (_, Some(Action::Open)) => {
                match o.items.get(o.selected).and_then(|n| n.ticket.clone()) {
                    Some(number) => {
                        s.query = number;
                        s.list.selected = 0;
                        load_list(s)
                    }
                    None => {
                        s.popups.push(Popup::Outbox(o));
                        Vec::new()
                    }
                }
            }
            _ => {
                s.popups.push(Popup::Outbox(o));
                Vec::new()
            }
        },
        Popup::Confirm(c) => match k.code {
            _ if s.keymap.action_in(Layer::Popup, &k) == Some(Action::Confirm) => {
                s.info("deleting…");
                vec![s.request(Slot::Save, c.on_yes)]
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc | KeyCode::Char('q') => {
                s.info("nothing deleted");
                Vec::new()
            }
            _ => {
                s.popups.push(Popup::Confirm(c));
                Vec::new()
            }
        },
        // Letters narrow the list. Until something is typed, the moving keys (j, k) move;
        // after, they are letters too, and the arrows move. Esc closes (q is a letter).
        Popup::Picker(mut p) => match (
            k.code,
            s.keymap.action_for(&k).filter(|_| p.typed.is_empty()),
        ) {
            (KeyCode::Esc, _) => Vec::new(),
            (KeyCode::Enter, _) | (_, Some(Action::Open)) => match p.chosen() {
                Some(item) => ticket::picked(s, p.pick, item),
                None => {
                    s.popups.push(Popup::Picker(p));
                    Vec::new()
                }
            },
            (KeyCode::Down, _) | (_, Some(Action::Down)) => {
                p.selected = (p.selected + 1).min(p.visible().len().saturating_sub(1));
                s.popups.push(Popup::Picker(p));
                Vec::new()
            }
            (KeyCode::Up, _) | (_, Some(Action::Up)) => {
                p.selected = p.selected.saturating_sub(1);
                s.popups.push(Popup::Picker(p));
                Vec::new()
            }
            (KeyCode::Char(c), _)
                if !c.is_control() && !k.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                p.typed.push(c);
                p.selected = 0;
                s.popups.push(Popup::Picker(p));
                Vec::new()
            }
            (KeyCode::Backspace, _) => {
                p.typed.pop();
                p.selected = 0;
                s.popups.push(Popup::Picker(p));
                Vec::new()
            }
            _ => {
                s.popups.push(Popup::Picker(p));
                Vec::new()
            }
        },
        Popup::Filter(mut f) => match k.code {
            KeyCode::Esc => Vec::new(),
            KeyCode::Enter => {
                let text = f.text();
                match super::super::query::Query::parse(&text) {
                    Ok(_) => {
                        s.query = text.trim().to_string();
                        s.list.selected = 0;
                        s.message = None;
                        load_list(s)
                    }
                    Err(e) => {
                        f.error = Some(e);
                        s.popups.push(Popup::Filter(f));
                        Vec::new()
                    }
                }
            }
            _ => {
                type_into(&mut f.input, k);
                f.error = None;
                s.popups.push(Popup::Filter(f));
                Vec::new()
            }
        },
        Popup::Palette(mut p) => match k.code {
            KeyCode::Esc => Vec::new(),
            KeyCode::Enter => {
                let entries = palette_entries(s, &p.input.lines().join(""));
                match entries.get(p.selected) {
                    Some(e) => update(s, e.action),
                    None => Vec::new(),
                }
            }
            KeyCode::Down => {
                p.selected = p.selected.saturating_add(1);
                s.popups.push(Popup::Palette(p));
                Vec::new()
            }
            KeyCode::Up => {
                p.selected = p.selected.saturating_sub(1);
                s.popups.push(Popup::Palette(p));
                Vec::new()
            }
            _ => {
                type_into(&mut p.input, k);
                p.selected = 0;
                s.popups.push(Popup::Palette(p));
                Vec::new()
            }
        },
        Popup::Form(mut f) => {
            let fx = form_key(s, &mut f, k);
            // A saved view needs no backend: the form closes once it is stored.
            let done = f.kind == FormKind::SaveView && f.saving.is_some();
            if !done && !matches!(k.code, KeyCode::Esc) {
                s.popups.push(Popup::Form(f));
            }
            fx
        }
    }
}

fn form_key(s: &mut State, f: &mut FormState, k: KeyEvent) -> Vec<Effect> {
    if f.saving.is_some() && k.code != KeyCode::Esc {
        return Vec::new(); // typing waits while the save is in flight, nothing is lost
    }
    let n = f.fields.len().max(1);
    if k.code == KeyCode::Esc {
        if f.saving.is_some() {
            s.pending.retain(|(sl, _)| *sl != Slot::Save);
            s.info("closed; the save may still complete in the background");
        }
        return Vec::new();
    }
    // Esc always cancels (above); the rest of the form's keys come from the keymap's
    // popup layer, so they can be remapped.
    match s.keymap.action_in(Layer::Popup, &k) {
        Some(Action::SaveForm) => return forms::submit(s, f),
        Some(Action::Editor) => {
            if let Some(Input::Text { area, .. }) = f.focused().map(|x| &x.input) {
                return vec![Effect::Edit(area.lines().join("\n"))];
            }
            return Vec::new();
        }
        Some(Action::NextField) => {
            f.focus = (f.focus + 1) % n;
            return Vec::new();
        }
        Some(Action::PrevField) => {
            f.focus = (f.focus + n - 1) % n;
            return Vec::new();
        }
        _ => {}
    }
    let last = f.focus + 1 == f.fields.len();
    let Some(field) = f.focused() else {
        return Vec::new();
    };
    field.error = None;
    let multiline = field.is_multiline();
    match (&mut field.input, k.code) {
        (Input::Text { .. }, KeyCode::Enter) if !multiline => {
            if last {
                return forms::submit(s, f);
            }
            f.focus += 1;
        }
        (Input::Text { area, .. }, _) => type_into(area, k),
        (Input::Choice { options, selected }, KeyCode::Left | KeyCode::Char('h')) => {
            *selected = (*selected + options.len().max(1) - 1) % options.len().max(1);
        }
        (
            Input::Choice { options, selected },
            KeyCode::Right | KeyCode::Char('l') | KeyCode::Char(' '),
        ) => {
            *selected = (*selected + 1) % options.len().max(1);
        }
        (Input::Toggle { on, .. }, KeyCode::Char(' ') | KeyCode::Left | KeyCode::Right) => {
            *on = !*on
        }
        (_, KeyCode::Enter) => {
            if last {
                return forms::submit(s, f);
            }
            f.focus += 1;
        }
        _ => {}
    }
    Vec::new()
}

/// Text from `$EDITOR` lands in the field that was focused when it was opened.
pub fn edited(s: &mut State, r: Result<String, String>) -> Vec<Effect> {
    match (s.popups.last_mut(), r) {
        (Some(Popup::Form(f)), Ok(text)) => {
            if let Some(field) = f.focused() {
                field.set_text(text.trim_end());
            }
        }
        (Some(Popup::Form(f)), Err(e)) => f.error = Some(format!("editor: {e}")),
        (_, Err(e)) => s.error(format!("editor: {e}")),
        _ => {}
    }
    Vec::new()
}

/// Every action valid now, with its keys, fuzzy-filtered by what was typed.
pub fn palette_entries(s: &State, filter: &str) -> Vec<PaletteEntry> {
    let mut v: Vec<PaletteEntry> = Action::ALL
        .into_iter()
        .filter(|a| available(s, *a))
        .filter(|a| {
            !matches!(
                a,
                Action::Up
                    | Action::Down
                    | Action::Top
                    | Action::Bottom
                    | Action::PageUp
                    | Action::PageDown
            )
        })
        .map(|a| PaletteEntry {
            action: a,
            keys: s.keymap.keys_for(a),
            text: a.description().to_string(),
        })
        .filter(|e| fuzzy(filter, &e.text) || fuzzy(filter, &e.action.name()))
        .collect();
    // Ticket actions first: they are why the palette is opened on a ticket.
    v.sort_by_key(|e| e.action.scope() != Scope::Ticket);
    v
}

/// A key typed into a text input. ratatui-textarea's keys, but with a shell's ctrl-u
/// (delete to the start of the line; the crate makes it undo, which in a one-line input
/// looked like deleting a single character), and undo on ctrl-z instead.
fn type_into(area: &mut ratatui_textarea::TextArea<'static>, k: KeyEvent) {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Char('u') if ctrl => {
            area.delete_line_by_head();
        }
        KeyCode::Char('z') if ctrl => {
            area.undo();
        }
        _ => {
            area.input(k);
        }
    }
}
