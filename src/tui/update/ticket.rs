//! Ticket actions: pickers for status, queue, assignee, work type and priority, and the
//! forms for the due date, the title, triage and notes (the Taskfire menu is in
//! `taskfire.rs`). Each takes the tickets it acts on as they are seen when it
//! opens. Sending is in `forms.rs` and `marks.rs`.

use desk_engine::domain::text::one_line;
use desk_engine::model::{Catalog, Ticket, TicketChange, TicketField};

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::ops::{Batch, Edit, Op, set};
use super::super::popup::form::{Field, FieldId, FormKind, FormState, Opt};
use super::super::popup::picker::{Item, Value};
use super::super::popup::{Choice, Picked, PickerState};
use super::super::state::{Mode, Popup, State};
use super::{marks, update};

const NOBODY: &str = "(nobody)";
const NONE: &str = "(none)";
const KEEP: &str = "(keep)";

/// The entries for a field, typed: names from the catalog, "nobody"/"none" to clear.
pub fn options(c: Option<&Catalog>, f: TicketField) -> Vec<Opt> {
    let Some(c) = c else { return Vec::new() };
    match f {
        TicketField::Status => c.statuses.iter().map(|n| Opt::name(n)).collect(),
        TicketField::Queue => c.queues.iter().map(|q| Opt::name(&q.name)).collect(),
        TicketField::Priority => c.priorities.iter().map(|n| Opt::name(n)).collect(),
        TicketField::Assigned => std::iter::once(Opt::new(NOBODY, Choice::Clear))
            .chain(c.resources.iter().map(|r| {
                Opt::new(
                    format!("{} {}", r.login, r.name),
                    Choice::Set(r.login.clone()),
                )
            }))
            .collect(),
        TicketField::WorkType => std::iter::once(Opt::new(NONE, Choice::Clear))
            .chain(c.work_types.iter().map(|n| Opt::name(n)))
            .collect(),
        TicketField::Title | TicketField::Due => Vec::new(),
    }
}

fn field_of(a: Action) -> Option<TicketField> {
    Some(match a {
        Action::Status => TicketField::Status,
        Action::Queue => TicketField::Queue,
        Action::Assign => TicketField::Assigned,
        Action::WorkType => TicketField::WorkType,
        Action::Priority => TicketField::Priority,
        _ => return None,
    })
}

/// A ticket's value as a choice (for starting a picker on it).
fn current(t: &Ticket, f: TicketField) -> Choice {
    let v = super::super::ops::value(t, f);
    if v.is_empty() {
        Choice::Clear
    } else {
        Choice::Set(v)
    }
}

pub fn picker(s: &mut State, a: Action) -> Vec<Effect> {
    let Some(f) = field_of(a) else {
        return Vec::new();
    };
    let targets = s.targets();
    let items = options(s.catalog.as_ref(), f)
        .into_iter()
        .map(|o| Item::new(o.label, Value::Field(f, o.value)))
        .collect();
    let label = State::targets_label(&targets);
    let title = format!("{} — {label}", capital(f.label()));
    let note = match targets.as_slice() {
        [one] => {
            let now = super::super::ops::value(one, f);
            format!(
                "now: {}",
                if now.is_empty() {
                    "-".into()
                } else {
                    one_line(&now).into_owned()
                }
            )
        }
        many => format!("asks before it changes {} tickets", many.len()),
    };
    let start = targets.first().map(|t| current(t, f));
    let mut p = PickerState::new(title, items, targets).note(note);
    if let Some(c) = start {
        p = p.on(&Value::Field(f, c));
    }
    s.popups.push(Popup::Picker(p));
    Vec::new()
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A picked entry: an update of each target conditional on the version it was seen at;
/// a Taskfire entry opens its form.
pub fn picked(s: &mut State, p: Picked) -> Vec<Effect> {
    match p.item.value {
        Value::Taskfire(i) => update(s, i.action()),
        Value::Field(f, choice) => {
            let Some(v) = choice.change() else {
                return Vec::new();
            };
            let mut change = TicketChange::default();
            set(&mut change, f, v);
            let what = format!("{} → {}", f.label(), one_line(&p.item.label));
            let ops = p
                .targets
                .iter()
                .map(|t| Op::new(t, Edit::Update(change.clone())))
                .collect();
            let batch = Batch::new(what, ops);
            marks::confirm_or_send(s, batch)
        }
    }
}

/// The due date: typed absolute or relative (`+2d`, `tomorrow 17:00`, `fri`), shown
/// resolved with its zone before it is saved.
pub fn due_form(s: &mut State) -> Vec<Effect> {
    let targets = s.targets();
    let label = State::targets_label(&targets);
    let due = match targets.as_slice() {
        [one] => one
            .due_at
            .map(|d| d.with_timezone(&s.tz).format("%Y-%m-%d %H:%M").to_string()),
        _ => None,
    };
    let form = FormState::new(FormKind::Due, format!("Due date of {label}"), targets)
        .intro(format!("In {}; - or empty clears it.", s.tz.name()))
        .with(Field::text(
            FieldId::Due,
            "Due",
            due.as_deref().unwrap_or(""),
            false,
            false,
        ));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

/// Renaming one ticket: its title in a one-line field.
pub fn title_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = s.ticket().cloned() else {
        return Vec::new();
    };
    let title = one_line(&t.title).into_owned();
    let form = FormState::new(FormKind::Title, format!("Title of {}", t.number), vec![t])
        .with(Field::text(FieldId::Title, "Title", &title, false, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

/// One form for the whole triage of the selected or marked tickets: each field starts
/// on "keep", a letter picks an entry by the start of a word, tab goes on.
pub fn triage_form(s: &mut State) -> Vec<Effect> {
    let targets = s.targets();
    let label = State::targets_label(&targets);
    let c = s.catalog.clone();
    let keep = |f: TicketField| {
        std::iter::once(Opt::new(KEEP, Choice::Keep))
            .chain(options(c.as_ref(), f))
            .collect::<Vec<_>>()
    };
    let mut form = FormState::new(FormKind::Triage, format!("Triage {label}"), targets)
        .intro("Type the start of a word to pick; tab: next field; ctrl-s saves.");
    for (id, f, name) in [
        (FieldId::Status, TicketField::Status, "Status"),
        (FieldId::Priority, TicketField::Priority, "Priority"),
        (FieldId::Queue, TicketField::Queue, "Queue"),
        (FieldId::Assignee, TicketField::Assigned, "Assignee"),
        (FieldId::WorkType, TicketField::WorkType, "Work type"),
    ] {
        form = form.with(Field::choice(id, name, keep(f), false));
    }
    let form = form.with(Field::text(FieldId::Due, "Due", "", false, false));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

/// A note: internal unless switched on purpose; a draft kept for the ticket comes back.
pub fn note_form(s: &mut State) -> Vec<Effect> {
    let targets = s.targets();
    let label = State::targets_label(&targets);
    let draft = match targets.as_slice() {
        [one] => s.drafts.get(&one.number).cloned(),
        _ => None,
    };
    let text = draft.clone().unwrap_or_default();
    let mut form = if s.mode == Mode::Portal {
        FormState::new(FormKind::PortalNote, format!("Note on {label}"), targets)
            .intro("Your note goes to the service desk and shows in the portal.")
            .with(Field::text(FieldId::Note, "Note", &text, true, true))
    } else {
        FormState::new(FormKind::Note, format!("Note on {label}"), targets)
            .with(Field::text(FieldId::Note, "Note", &text, true, true))
            .with(Field::toggle(
                FieldId::Audience,
                "Audience",
                "internal — staff only",
                "PUBLISHED — the customer sees this",
            ))
    };
    if draft.is_some() {
        form = form.intro("Your draft of this note is back; esc asks whether to keep it.");
        form.draft_saved = text;
    }
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}
