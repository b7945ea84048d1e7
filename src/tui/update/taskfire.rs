//! The Taskfire menu (T1–T5) of the selected ticket, offering only what is valid for it,
//! and its forms; T4 behind a confirmation that names what goes. With marks it is the
//! menu of the marked tickets: only T1 acts on them all, so only T1 is offered.

use desk_engine::domain::text::one_line;
use desk_engine::model::{HeldBy, TaskfireDesk, Ticket};

use super::super::action::Action;
use super::super::effect::Effect;
use super::super::popup::form::{Field, FieldId, FormKind, FormState, Opt};
use super::super::popup::picker::{Item, TaskfireItem, Value};
use super::super::popup::{Choice, ConfirmState, Pending, PickerState};
use super::super::state::{Mode, Popup, State};
use super::{marked_others, valid};

const NOBODY: &str = "(nobody)";

pub fn taskfire_menu(s: &mut State) -> Vec<Effect> {
    let targets = s.targets();
    let label = State::targets_label(&targets);
    let items: Vec<Item> = [
        TaskfireItem::Assign,
        TaskfireItem::Complete,
        TaskfireItem::Ask,
        TaskfireItem::Delete,
        TaskfireItem::Escalate,
    ]
    .into_iter()
    .filter(|i| valid(s, i.action().when()))
    .map(|i| Item::new(i.label(), Value::Taskfire(i)))
    .collect();
    let note = match s.ticket() {
        // Only T1 acts on every marked ticket (valid only if it fits them all).
        _ if marked_others(s) => format!(
            "T1 hands all {} marked tickets to their company's desk; T2–T4 act on one ticket (X clears the marks)",
            targets.len()
        ),
        _ if matches!(s.mode, Mode::Taskfire { .. }) => {
            "hands the ticket to the provider through the portal".to_string()
        }
        Some(t)
            if t.taskfire
                .as_ref()
                .is_some_and(|f| f.held_by == HeldBy::Provider) =>
        {
            "held by the provider again (escalated): T1 hands it back to the customer's desk".into()
        }
        Some(t) if t.taskfire.is_some() => {
            "held by the customer's desk: T2/T3 talk to it; T1 once they hand it back".into()
        }
        Some(t) if company_taskfire(s, t).is_none() => format!(
            "{} has no Taskfire desk: T1 is not possible",
            one_line(t.company.as_deref().unwrap_or("this ticket's company"))
        ),
        _ => "not shared yet: T2/T3 need T1 first".into(),
    };
    let p = PickerState::new(format!("Taskfire — {label}"), items, targets).note(note);
    s.popups.push(Popup::Picker(p));
    Vec::new()
}

/// Whether T1 may hand `t` to the customer's desk: not shared yet, or held by the
/// provider again after T5 (docs/rules.md, T1).
pub fn assignable(t: &Ticket) -> bool {
    t.taskfire
        .as_ref()
        .is_none_or(|f| f.held_by == HeldBy::Provider)
}

pub fn company_taskfire(s: &State, t: &Ticket) -> Option<TaskfireDesk> {
    let c = s.catalog.as_ref()?;
    let name = t.company.as_ref()?;
    c.companies
        .iter()
        .find(|co| &co.name == name)?
        .taskfire
        .clone()
}

/// T1 for the selected ticket, or for marked tickets of one company.
pub fn taskfire_assign_form(s: &mut State) -> Vec<Effect> {
    let targets = s.targets();
    let companies: std::collections::BTreeSet<_> =
        targets.iter().map(|t| t.company.clone()).collect();
    let (Some(first), 1) = (targets.first(), companies.len()) else {
        s.error("T1 on marked tickets: they must all be of one company");
        return Vec::new();
    };
    let Some(desk) = company_taskfire(s, first) else {
        return Vec::new();
    };
    let company = one_line(first.company.as_deref().unwrap_or("-")).into_owned();
    let queues = desk.queues.iter().map(|q| Opt::name(q)).collect();
    let people = std::iter::once(Opt::new(NOBODY, Choice::Clear))
        .chain(desk.resources.iter().map(|r| {
            Opt::new(
                format!("{} {}", r.login, r.name),
                Choice::Set(r.login.clone()),
            )
        }))
        .collect();
    let label = State::targets_label(&targets);
    let form = FormState::new(
        FormKind::TaskfireAssign,
        format!("T1 Assign {label} to Taskfire"),
        targets,
    )
    .intro(format!(
        "Hands the ticket to {company}'s own desk (same number); you keep your version."
    ))
    .with(Field::choice(
        FieldId::TaskfireQueue,
        "Taskfire queue",
        queues,
        true,
    ))
    .with(Field::choice(
        FieldId::TaskfireResource,
        "Taskfire resource",
        people,
        false,
    ))
    .with(Field::text(
        FieldId::TaskfireDue,
        "Taskfire due",
        "",
        false,
        false,
    ))
    .with(Field::text(FieldId::Note, "Note", "", true, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn taskfire_complete_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = s.ticket().cloned() else {
        return Vec::new();
    };
    let form = FormState::new(
        FormKind::TaskfireComplete,
        format!("T2 Work complete on {}", t.number),
        vec![t],
    )
    .intro("Sets the Taskfire version to Provider Work Complete; your own status stays.")
    .with(Field::text(FieldId::Note, "Note", "", true, false));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn taskfire_ask_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = s.ticket().cloned() else {
        return Vec::new();
    };
    let form = FormState::new(
        FormKind::TaskfireAsk,
        format!("T3 Question on {}", t.number),
        vec![t],
    )
    .intro("The customer's desk and the contact see the question; their resource is notified.")
    .with(Field::text(FieldId::Question, "Question", "", true, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

/// T4: what goes, named, before anything does.
pub fn delete_confirm(s: &mut State) -> Vec<Effect> {
    let Some(t) = s.ticket().cloned() else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "Delete {} \"{}\" from the provider desk (queue {}).",
        t.number,
        one_line(&t.title),
        one_line(&t.queue)
    )];
    match &t.taskfire {
        Some(f) => {
            lines.push(format!(
                "Also deletes its Taskfire version on {}'s desk (queue {}, status {}).",
                one_line(t.company.as_deref().unwrap_or("the customer")),
                one_line(&f.queue),
                one_line(&f.status)
            ));
            lines.push(match &f.resource {
                Some(r) => format!("{} will be notified.", s.person(r)),
                None => "No Taskfire resource is assigned; nobody is notified.".into(),
            });
        }
        None => lines.push("It is not shared: nothing on a customer's desk is touched.".into()),
    }
    let yes = s.keymap.key(Action::Confirm);
    let no = s.keymap.key(Action::Deny);
    lines.push(format!("This cannot be undone. Delete? {yes}/{no}"));
    s.popups.push(Popup::Confirm(ConfirmState {
        title: "T4 Delete".into(),
        lines,
        on_yes: Pending::Delete(Box::new(t.clone())),
        on_no: "nothing deleted".into(),
    }));
    Vec::new()
}

pub fn escalate_form(s: &mut State) -> Vec<Effect> {
    let Some(t) = s.ticket().cloned() else {
        return Vec::new();
    };
    if t.taskfire
        .as_ref()
        .is_some_and(|f| f.held_by == HeldBy::Provider)
    {
        s.error(format!("{} is already held by the provider", t.number));
        return Vec::new();
    }
    let form = FormState::new(
        FormKind::Escalate,
        format!("T5 Escalate {} to the provider", t.number),
        vec![t],
    )
    .intro("The provider gets a Client Portal ticket with the same number.")
    .with(Field::text(FieldId::Note, "Note", "", true, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}
