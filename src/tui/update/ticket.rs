//! Ticket actions: pickers for status, queue, assignee, work type and priority (each an
//! update guarded by the ticket's version), and opening the forms for notes, due dates and
//! the Taskfire menu (T1–T5, T4 behind a confirmation). Sending forms is in `forms.rs`.

use desk_engine::model::{Ticket, TicketChange};

use super::super::action::Action;
use super::super::effect::{Call, Effect};
use super::super::state::form::{Field, FormKind, FormState};
use super::super::state::popup::{ConfirmState, Pick, PickerState, TaskfireItem};
use super::super::state::{Mode, Popup, Slot, State};
use super::available;

/// The selected ticket, or a message saying why the action cannot run.
fn need(s: &mut State, a: Action) -> Option<Ticket> {
    if !available(s, a) {
        let why = if s.ticket().is_none() {
            "select a ticket first".to_string()
        } else {
            format!("{} is not available here", a.description())
        };
        s.error(why);
        return None;
    }
    s.ticket().cloned()
}

/// Renaming: the title in a one-line field, saved guarded by the ticket's version.
pub fn title_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = need(s, Action::Title) else {
        return Vec::new();
    };
    let form = FormState::new(
        FormKind::Title,
        format!("Title of {}", t.number),
        Some(t.number.clone()),
    )
    .with(Field::text("Title", &t.title, false, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

const NOBODY: &str = "(nobody)";
const NONE: &str = "(none)";

pub fn change(s: &mut State, a: Action) -> Vec<Effect> {
    let Some(t) = need(s, a) else {
        return Vec::new();
    };
    let c = s.catalog.clone();
    let names = |f: &dyn Fn(&desk_engine::model::Catalog) -> Vec<String>| {
        c.as_ref().map(f).unwrap_or_default()
    };
    let (title, items, pick, current) = match a {
        Action::Status => (
            "Status",
            names(&|c| c.statuses.clone()),
            Pick::Status,
            t.status.clone(),
        ),
        Action::Queue => (
            "Queue",
            names(&|c| c.queues.iter().map(|q| q.name.clone()).collect()),
            Pick::Queue,
            t.queue.clone(),
        ),
        Action::Assign => {
            let mut v = vec![NOBODY.to_string()];
            v.extend(names(&|c| {
                c.resources
                    .iter()
                    .map(|r| format!("{} {}", r.login, r.name))
                    .collect()
            }));
            (
                "Assign to",
                v,
                Pick::Assign,
                t.assigned.clone().unwrap_or_default(),
            )
        }
        Action::WorkType => {
            let mut v = vec![NONE.to_string()];
            v.extend(names(&|c| c.work_types.clone()));
            (
                "Work type",
                v,
                Pick::WorkType,
                t.work_type.clone().unwrap_or_default(),
            )
        }
        Action::Priority => (
            "Priority",
            names(&|c| c.priorities.clone()),
            Pick::Priority,
            t.priority.clone(),
        ),
        _ => {
            let due = t
                .due_at
                .map(|d| d.with_timezone(&s.tz).format("%Y-%m-%d %H:%M").to_string());
            let form = FormState::new(
                FormKind::Due,
                format!("Due date of {}", t.number),
                Some(t.number.clone()),
            )
            .intro(format!(
                "YYYY-MM-DD or YYYY-MM-DD HH:MM in {}; empty clears it",
                s.tz.name()
            ))
            .with(Field::text(
                "Due",
                due.as_deref().unwrap_or(""),
                false,
                false,
            ));
            s.popups.push(Popup::Form(Box::new(form)));
            return Vec::new();
        }
    };
    let selected = items
        .iter()
        .position(|i| i == &current || i.split(' ').next() == Some(current.as_str()))
        .unwrap_or(0);
    s.popups.push(Popup::Picker(PickerState {
        note: Some(format!(
            "now: {}",
            if current.is_empty() { "-" } else { &current }
        )),
        ..PickerState::new(format!("{title} — {}", t.number), items, selected, pick)
    }));
    Vec::new()
}

/// A picked entry becomes an update of the ticket, guarded by its version.
pub fn picked(s: &mut State, pick: Pick, item: String) -> Vec<Effect> {
    let Some(t) = s.ticket().cloned() else {
        return Vec::new();
    };
    let value = if item.starts_with('(') {
        String::new()
    } else {
        item.clone()
    };
    let mut change = TicketChange {
        expected_version: Some(t.version),
        ..TicketChange::default()
    };
    match pick {
        Pick::Status => change.status = Some(value),
        Pick::Queue => change.queue = Some(value),
        Pick::Assign => {
            change.assign = Some(value.split(' ').next().unwrap_or_default().to_string())
        }
        Pick::WorkType => change.work_type = Some(value),
        Pick::Priority => change.priority = Some(value),
        Pick::Taskfire(items) => {
            let i = items.iter().find(|i| i.label() == item).copied();
            return i.map(|i| taskfire_item(s, &t, i)).unwrap_or_default();
        }
    }
    s.info(format!("saving {}…", t.number));
    vec![s.request(Slot::Save, Call::Update(t.number, change))]
}

pub fn note_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = need(s, Action::Note) else {
        return Vec::new();
    };
    let form = if s.mode == Mode::Portal {
        FormState::new(
            FormKind::PortalNote,
            format!("Note on {}", t.number),
            Some(t.number),
        )
        .intro("Your note goes to the service desk and shows in the portal.")
        .with(Field::text("Note", "", true, true))
    } else {
        FormState::new(
            FormKind::Note,
            format!("Note on {}", t.number),
            Some(t.number),
        )
        .with(Field::text("Note", "", true, true))
        .with(Field::toggle(
            "Audience",
            "internal: staff only",
            "PUBLISHED: the customer sees it in the portal",
        ))
    };
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn taskfire_menu(s: &mut State) -> Vec<Effect> {
    let Some(t) = need(s, Action::Taskfire) else {
        return Vec::new();
    };
    if matches!(s.mode, Mode::Taskfire { .. }) {
        s.popups.push(Popup::Picker(PickerState {
            note: Some("hands the ticket to the provider through the portal".into()),
            ..PickerState::new(
                format!("Taskfire — {}", t.number),
                vec![TaskfireItem::Escalate.label().to_string()],
                0,
                Pick::Taskfire(vec![TaskfireItem::Escalate]),
            )
        }));
        return Vec::new();
    }
    let shared = t.taskfire.is_some();
    let company_has = company_taskfire(s, &t).is_some();
    let mut items = Vec::new();
    if !shared {
        items.push(TaskfireItem::Assign);
    }
    if shared {
        items.extend([TaskfireItem::Complete, TaskfireItem::Ask]);
    }
    items.push(TaskfireItem::Delete);
    let note = if shared {
        Some("shared: T1 was done; T2/T3 talk to the customer's desk".to_string())
    } else if !company_has {
        Some(format!(
            "{} has no Taskfire desk: T1 is not possible",
            t.company.as_deref().unwrap_or("this ticket's company")
        ))
    } else {
        Some("not shared yet: T2/T3 need T1 first".to_string())
    };
    s.popups.push(Popup::Picker(PickerState {
        note,
        ..PickerState::new(
            format!("Taskfire — {}", t.number),
            items.iter().map(|i| i.label().to_string()).collect(),
            0,
            Pick::Taskfire(items),
        )
    }));
    Vec::new()
}

fn company_taskfire(s: &State, t: &Ticket) -> Option<desk_engine::model::TaskfireDesk> {
    let c = s.catalog.as_ref()?;
    let name = t.company.as_ref()?;
    c.companies
        .iter()
        .find(|co| &co.name == name)?
        .taskfire
        .clone()
}

fn taskfire_item(s: &mut State, t: &Ticket, item: TaskfireItem) -> Vec<Effect> {
    let n = Some(t.number.clone());
    let form = match item {
        TaskfireItem::Assign => {
            let desk = company_taskfire(s, t);
            if desk.is_none() && s.catalog.is_some() {
                // Said before any typing: the form could never be sent.
                s.error(format!(
                    "T1: {} has no Taskfire desk; nothing to assign to",
                    t.company
                        .as_deref()
                        .unwrap_or("this ticket has no company and")
                ));
                return Vec::new();
            }
            let queues = desk.as_ref().map(|d| d.queues.clone()).unwrap_or_default();
            let mut people = vec![NOBODY.to_string()];
            people.extend(desk.iter().flat_map(|d| {
                d.resources
                    .iter()
                    .map(|r| format!("{} {}", r.login, r.name))
            }));
            FormState::new(
                FormKind::TaskfireAssign,
                format!("T1 Assign {} to Taskfire", t.number),
                n,
            )
            .intro(format!(
                "Hands the ticket to {}'s own desk (same number); you keep your version.",
                t.company.as_deref().unwrap_or("-")
            ))
            .with(Field::choice("Taskfire queue", queues, true))
            .with(Field::choice("Taskfire resource", people, false))
            .with(Field::text("Taskfire due", "", false, false))
            .with(Field::text("Note", "", true, true))
        }
        TaskfireItem::Complete => FormState::new(
            FormKind::TaskfireComplete,
            format!("T2 Work complete on {}", t.number),
            n,
        )
        .intro("Sets the Taskfire version to Provider Work Complete; your own status stays.")
        .with(Field::text("Note", "", true, false)),
        TaskfireItem::Ask => FormState::new(
            FormKind::TaskfireAsk,
            format!("T3 Question on {}", t.number),
            n,
        )
        .intro("The customer's desk and the contact see the question; their resource is notified.")
        .with(Field::text("Question", "", true, true)),
        TaskfireItem::Escalate => return escalate_form(s),
        TaskfireItem::Delete => {
            let mut lines = vec![format!(
                "Delete {} \"{}\" from the provider desk (queue {}).",
                t.number, t.title, t.queue
            )];
            match &t.taskfire {
                Some(f) => {
                    lines.push(format!(
                        "Also deletes its Taskfire version on {}'s desk (queue {}, status {}).",
                        t.company.as_deref().unwrap_or("the customer"),
                        f.queue,
                        f.status
                    ));
                    lines.push(match &f.resource {
                        Some(r) => format!("{} will be notified.", s.person(r)),
                        None => "No Taskfire resource is assigned; nobody is notified.".into(),
                    });
                }
                None => {
                    lines.push("It is not shared: nothing on a customer's desk is touched.".into())
                }
            }
            let yes = s
                .keymap
                .first_key(Action::Confirm)
                .unwrap_or_else(|| "y".into());
            lines.push(format!("This cannot be undone. Delete? {yes}/n"));
            s.popups.push(Popup::Confirm(ConfirmState {
                title: "T4 Delete".into(),
                lines,
                on_yes: Call::Delete(t.number.clone()),
            }));
            return Vec::new();
        }
    };
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn escalate_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = need(s, Action::Escalate) else {
        return Vec::new();
    };
    if t.taskfire
        .as_ref()
        .is_some_and(|f| f.held_by == desk_engine::model::HeldBy::Provider)
    {
        s.error(format!("{} is already held by the provider", t.number));
        return Vec::new();
    }
    let form = FormState::new(
        FormKind::Escalate,
        format!("T5 Escalate {} to the provider", t.number),
        Some(t.number),
    )
    .intro("The provider gets a Client Portal ticket with the same number.")
    .with(Field::text("Note", "", true, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}
