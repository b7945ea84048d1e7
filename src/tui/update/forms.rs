//! Forms that are not about one ticket's fields (portal submit, a new ticket, saved
//! views), and turning any filled form into edits or a backend call: after a review when
//! a note is published, after a confirmation that names the count when many tickets
//! are marked.

use desk_engine::domain::text::one_line;
use desk_engine::model::{
    Catalog, NewTicket, PortalSubmit, TaskfireAssign, TicketChange, TicketField,
};

use super::super::config::SavedView;
use super::super::effect::{Call, Effect};
use super::super::ops::{Batch, Edit, Op, set};
use super::super::popup::form::{Field, FieldId, FormKind, FormState, Opt};
use super::super::popup::{Choice, ConfirmState, Pending};
use super::super::state::{EntryKind, Mode, Popup, Slot, State};
use super::marks;

pub fn submit_form(s: &mut State) -> Vec<Effect> {
    if s.mode != Mode::Portal {
        return staff_ticket_form(s);
    }
    let types = s.catalog.as_ref().map(issue_types).unwrap_or_default();
    let form = FormState::new(FormKind::PortalSubmit, "New ticket", Vec::new())
        .with(Field::text(FieldId::Title, "Title", "", false, true))
        .with(Field::choice(FieldId::IssueType, "Issue type", types, true))
        .with(Field::text(
            FieldId::Description,
            "Description",
            "",
            true,
            false,
        ));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

/// The issue types a portal ticket is submitted with.
pub fn issue_types(c: &Catalog) -> Vec<Opt> {
    c.issue_types.iter().map(|i| Opt::name(&i.name)).collect()
}

/// A ticket taken by a technician (a phone call, an e-mail): on the provider desk with
/// company and contact, on a Taskfire desk without.
fn staff_ticket_form(s: &mut State) -> Vec<Effect> {
    let Some(c) = s.catalog.clone() else {
        s.error("the desk's names are still loading");
        return Vec::new();
    };
    let none = || Opt::new("(none)", Choice::Keep);
    // The queue in view; else the first that is not `Client Portal`, which holds what
    // customers submit, not what a technician takes down.
    let queue = match s.queues.current().map(|e| &e.kind) {
        Some(EntryKind::Queue(q)) => q.clone(),
        _ => c
            .queues
            .iter()
            .map(|q| q.name.clone())
            .find(|q| q != desk_engine::model::CLIENT_PORTAL)
            .unwrap_or_default(),
    };
    let mut form = FormState::new(FormKind::NewTicket, "New ticket", Vec::new()).with(Field::text(
        FieldId::Title,
        "Title",
        "",
        false,
        true,
    ));
    if s.mode == Mode::Staff {
        let companies =
            std::iter::once(none()).chain(c.companies.iter().map(|x| Opt::name(&x.name)));
        let contacts = std::iter::once(none()).chain(c.contacts.iter().map(|p| {
            Opt::new(
                format!("{} {}", p.login, p.name),
                Choice::Set(p.login.clone()),
            )
        }));
        form = form
            .with(Field::choice(
                FieldId::Company,
                "Company",
                companies.collect(),
                false,
            ))
            .with(Field::choice(
                FieldId::Contact,
                "Contact",
                contacts.collect(),
                false,
            ));
    }
    let queues = c.queues.iter().map(|q| Opt::name(&q.name)).collect();
    let sources = c.sources.iter().map(|n| Opt::name(n)).collect();
    let form = form
        .with(Field::choice(FieldId::Queue, "Queue", queues, true).on(&Choice::Set(queue)))
        .with(
            Field::choice(FieldId::Source, "Source", sources, true)
                .on(&Choice::Set("Phone".into())),
        )
        .with(Field::text(
            FieldId::Description,
            "Description",
            "",
            true,
            false,
        ));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn save_view_form(s: &mut State) -> Vec<Effect> {
    if s.mode == Mode::Portal {
        s.error("saved views are for the desk's staff");
        return Vec::new();
    }
    let form = FormState::new(FormKind::SaveView, "Save view", Vec::new())
        .intro(format!("query: {}", s.query.trim()))
        .with(Field::text(FieldId::Name, "Name", "", false, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn delete_view(s: &mut State) -> Vec<Effect> {
    let Some(EntryKind::View(i)) = s.queues.current().map(|e| e.kind.clone()) else {
        return Vec::new();
    };
    let name = s.views.get(i).map(|v| v.name.clone()).unwrap_or_default();
    s.views.retain(|v| v.name != name);
    s.queues.selected = 0;
    s.queues.rebuild(s.catalog.as_ref(), &s.views, false);
    s.info(format!("deleted the view {name}"));
    let mut fx = vec![Effect::SaveViews(s.views.clone())];
    fx.extend(super::load_list(s));
    fx
}

fn opt(v: String) -> Option<String> {
    (!v.is_empty()).then_some(v)
}

/// The choice as a name, "" for none.
fn name(c: Choice) -> String {
    match c {
        Choice::Set(v) => v,
        _ => String::new(),
    }
}

/// Sends the form on top (validated by the form itself). `reviewed`: its review or its
/// count was confirmed already.
pub fn submit(s: &mut State, reviewed: bool) -> Vec<Effect> {
    let Some(Popup::Form(f)) = s.popups.last() else {
        return Vec::new();
    };
    let f = (**f).clone();
    let n = f.number().unwrap_or_default();
    let note = f.text(FieldId::Note);
    let edit_all =
        |edit: Edit| -> Vec<Op> { f.targets.iter().map(|t| Op::new(t, edit.clone())).collect() };
    let (what, ops) = match f.kind {
        FormKind::Note => {
            let publish = f.is_on(FieldId::Audience);
            if !reviewed && (publish || f.targets.len() > 1) {
                return review_note(s, &f, publish);
            }
            let what = if publish {
                "published note"
            } else {
                "internal note"
            };
            (
                what.to_string(),
                edit_all(Edit::Note {
                    text: note,
                    publish,
                }),
            )
        }
        FormKind::Due => {
            let due = match f.time_change(FieldId::Due, s.now, s.tz) {
                Ok(d) => d,
                Err(e) => return form_error(s, e),
            };
            let change = TicketChange {
                due,
                ..TicketChange::default()
            };
            ("due date".to_string(), edit_all(Edit::Update(change)))
        }
        FormKind::Title => {
            let change = TicketChange {
                title: Some(f.text(FieldId::Title)),
                ..TicketChange::default()
            };
            ("title".to_string(), edit_all(Edit::Update(change)))
        }
        FormKind::Triage => {
            let mut change = TicketChange::default();
            for (id, field) in [
                (FieldId::Status, TicketField::Status),
                (FieldId::Priority, TicketField::Priority),
                (FieldId::Queue, TicketField::Queue),
                (FieldId::Assignee, TicketField::Assigned),
                (FieldId::WorkType, TicketField::WorkType),
            ] {
                if let Some(v) = f.choice(id).change() {
                    set(&mut change, field, v);
                }
            }
            match f.time_change(FieldId::Due, s.now, s.tz) {
                Ok(d) => change.due = d,
                Err(e) => return form_error(s, e),
            }
            if change.is_empty() {
                return form_error(s, "nothing to change: every field is on keep".into());
            }
            ("triage".to_string(), edit_all(Edit::Update(change)))
        }
        FormKind::TaskfireAssign => {
            let due = match f.time_change(FieldId::TaskfireDue, s.now, s.tz) {
                Ok(d) => d.and_then(opt),
                Err(e) => return form_error(s, e),
            };
            let assign = TaskfireAssign {
                queue: name(f.choice(FieldId::TaskfireQueue)),
                resource: opt(name(f.choice(FieldId::TaskfireResource))),
                due,
                note,
                // Filled in from each op's version when it is sent (ops.rs).
                expected_version: None,
            };
            (
                "T1 assign to Taskfire".to_string(),
                edit_all(Edit::TaskfireAssign(assign)),
            )
        }
        // T2 and T5: conditional on the version the form opened on, as any edit.
        FormKind::TaskfireComplete => (
            "T2 work complete".to_string(),
            edit_all(Edit::TaskfireComplete { note: opt(note) }),
        ),
        FormKind::Escalate => ("T5 escalate".to_string(), edit_all(Edit::Escalate { note })),
        FormKind::SaveView => return save_view(s, &f),
        _ => return single_call(s, &f, n, note),
    };
    let batch = Batch::new(what, ops);
    if reviewed {
        marks::send(s, batch)
    } else {
        marks::confirm_or_send(s, batch)
    }
}

fn form_error(s: &mut State, e: String) -> Vec<Effect> {
    if let Some(Popup::Form(f)) = s.popups.last_mut() {
        f.error = Some(e);
    }
    Vec::new()
}

/// Forms that are one call each, on one ticket or none (a question and a portal note
/// append, a new ticket is new: none of them can overwrite anything).
fn single_call(s: &mut State, f: &FormState, n: String, note: String) -> Vec<Effect> {
    let call = match f.kind {
        FormKind::TaskfireAsk => Call::TaskfireAsk(n, f.text(FieldId::Question)),
        FormKind::PortalNote => Call::PortalNote(n, note),
        FormKind::NewTicket => Call::Create(Box::new(NewTicket {
            title: f.text(FieldId::Title),
            description: f.text(FieldId::Description),
            queue: opt(name(f.choice(FieldId::Queue))),
            source: opt(name(f.choice(FieldId::Source))),
            company: opt(name(f.choice(FieldId::Company))),
            contact: opt(name(f.choice(FieldId::Contact))),
            ..NewTicket::default()
        })),
        FormKind::PortalSubmit => Call::PortalSubmit(PortalSubmit {
            title: f.text(FieldId::Title),
            issue_type: name(f.choice(FieldId::IssueType)),
            description: f.text(FieldId::Description),
        }),
        _ => return Vec::new(),
    };
    let e = s.request(Slot::Save, call);
    if let (Effect::Call(id, _), Some(Popup::Form(f))) = (&e, s.popups.last_mut()) {
        f.saving = Some(*id);
    }
    vec![e]
}

fn save_view(s: &mut State, f: &FormState) -> Vec<Effect> {
    let name = f.text(FieldId::Name);
    s.views.retain(|v| v.name != name);
    s.views.push(SavedView {
        name: name.clone(),
        query: s.query.trim().to_string(),
    });
    s.queues.rebuild(s.catalog.as_ref(), &s.views, false);
    s.info(format!("saved the view {name}"));
    // A saved view needs no backend: the form closes once it is stored.
    s.popups.pop();
    let mut fx = vec![Effect::SaveViews(s.views.clone())];
    fx.extend(super::view_counts(s));
    fx
}

/// Before a note reaches customers, or many tickets: who will see it, and what.
fn review_note(s: &mut State, f: &FormState, publish: bool) -> Vec<Effect> {
    let mut lines = Vec::new();
    let count = f.targets.len();
    if publish {
        lines.push(if count == 1 {
            "PUBLISHED — this note shows in the Client Portal. Who will see it:".to_string()
        } else {
            format!("PUBLISHED — on {count} tickets, each in the Client Portal. Who will see it:")
        });
        let mut who: Vec<String> = Vec::new();
        for t in &f.targets {
            if let Some(c) = &t.contact {
                who.push(format!("  {}, the contact of {}", s.person(c), t.number));
            }
            if let Some(co) = &t.company {
                let line = format!("  every portal manager of {}", one_line(co));
                if !who.contains(&line) {
                    who.push(line);
                }
            }
        }
        if who.is_empty() {
            who.push("  nobody yet: no contact or company (it shows once one is set)".into());
        }
        let more = who.len().saturating_sub(8);
        who.truncate(8);
        lines.extend(who);
        if more > 0 {
            lines.push(format!("  and {more} more"));
        }
    } else {
        lines.push(format!("An internal note (staff only) on {count} tickets."));
    }
    lines.push(String::new());
    for l in f.text(FieldId::Note).lines().take(4) {
        lines.push(format!("│ {l}"));
    }
    lines.push(String::new());
    let yes = s.keymap.key(super::super::action::Action::Confirm);
    let no = s.keymap.key(super::super::action::Action::Deny);
    let verb = if publish { "Publish" } else { "Add it" };
    lines.push(format!("{verb}? {yes} yes · {no} back to the text"));
    s.popups.push(Popup::Confirm(ConfirmState {
        title: if publish {
            "Review: the customer sees this".into()
        } else {
            format!("Note on {count} tickets")
        },
        lines,
        on_yes: Pending::Form,
        on_no: "not sent; the note is still in the form".into(),
    }));
    Vec::new()
}
