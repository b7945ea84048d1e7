//! Forms that are not about one ticket's fields (portal submit, saved views), and turning
//! any filled form into a backend call.

use desk_engine::model::{NewTicket, PortalSubmit, TaskfireAssign, TicketChange};

use super::super::action::Action;
use super::super::config::SavedView;
use super::super::effect::{Call, Effect};
use super::super::state::form::{Field, FormKind, FormState};
use super::super::state::{EntryKind, Mode, Popup, Slot, State};
use super::available;

pub fn submit_form(s: &mut State) -> Vec<Effect> {
    if s.mode != Mode::Portal {
        return staff_ticket_form(s);
    }
    let types = s
        .catalog
        .as_ref()
        .map(|c| c.issue_types.iter().map(|i| i.name.clone()).collect())
        .unwrap_or_default();
    let form = FormState::new(FormKind::PortalSubmit, "New ticket", None)
        .with(Field::text("Title", "", false, true))
        .with(Field::choice("Issue type", types, true))
        .with(Field::text("Description", "", true, false));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

/// A ticket taken by a technician (a phone call, an e-mail): on the provider desk with
/// company and contact, on a Taskfire desk without.
fn staff_ticket_form(s: &mut State) -> Vec<Effect> {
    let Some(c) = s.catalog.clone() else {
        s.error("the desk's names are still loading");
        return Vec::new();
    };
    let none = || vec!["(none)".to_string()];
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
    let mut form = FormState::new(FormKind::NewTicket, "New ticket", None)
        .with(Field::text("Title", "", false, true));
    if s.mode == Mode::Staff {
        let companies = none()
            .into_iter()
            .chain(c.companies.iter().map(|x| x.name.clone()));
        let contacts = none()
            .into_iter()
            .chain(c.contacts.iter().map(|p| format!("{} {}", p.login, p.name)));
        form = form
            .with(Field::choice("Company", companies.collect(), false))
            .with(Field::choice("Contact", contacts.collect(), false));
    }
    let queues = c.queues.iter().map(|q| q.name.clone()).collect();
    let form = form
        .with(Field::choice("Queue", queues, true).choose(&queue))
        .with(Field::choice("Source", c.sources.clone(), true).choose("Phone"))
        .with(Field::text("Description", "", true, false));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn save_view_form(s: &mut State) -> Vec<Effect> {
    if !available(s, Action::SaveView) {
        s.error("filter first (/), then save the query as a view");
        return Vec::new();
    }
    let form = FormState::new(FormKind::SaveView, "Save view", None)
        .intro(format!("query: {}", s.query.trim()))
        .with(Field::text("Name", "", false, true));
    s.popups.push(Popup::Form(Box::new(form)));
    Vec::new()
}

pub fn delete_view(s: &mut State) -> Vec<Effect> {
    let Some(EntryKind::View(i)) = s.queues.current().map(|e| e.kind.clone()) else {
        s.error("select a saved view in the queue pane first");
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

/// Validates the form in place; when it holds, the call to make.
pub fn submit(s: &mut State, f: &mut FormState) -> Vec<Effect> {
    if !f.validate() {
        f.error = Some("fill in the marked fields".into());
        return Vec::new();
    }
    f.error = None;
    let n = f.number.clone().unwrap_or_default();
    let note = f.value("Note");
    let opt = |v: String| (!v.is_empty()).then_some(v);
    let call = match f.kind {
        FormKind::Note => Call::Note(n, note, f.field("Audience").is_some_and(Field::on)),
        FormKind::Due => {
            let version = s.ticket().map(|t| t.version);
            Call::Update(
                n,
                TicketChange {
                    due: Some(f.value("Due")),
                    expected_version: version,
                    ..TicketChange::default()
                },
            )
        }
        FormKind::Title => {
            let version = s.ticket().map(|t| t.version);
            Call::Update(
                n,
                TicketChange {
                    title: Some(f.value("Title")),
                    expected_version: version,
                    ..TicketChange::default()
                },
            )
        }
        FormKind::TaskfireAssign => Call::TaskfireAssign(
            n,
            TaskfireAssign {
                queue: f.value("Taskfire queue"),
                resource: opt(f
                    .value("Taskfire resource")
                    .split(' ')
                    .next()
                    .unwrap_or_default()
                    .to_string()),
                due: opt(f.value("Taskfire due")),
                note,
                // The TUI half of issue 8 passes the version the form was opened on.
                expected_version: None,
            },
        ),
        FormKind::TaskfireComplete => Call::TaskfireComplete(n, opt(note)),
        FormKind::TaskfireAsk => Call::TaskfireAsk(n, f.value("Question")),
        FormKind::Escalate => Call::TaskfireEscalate(n, note),
        FormKind::PortalNote => Call::PortalNote(n, note),
        FormKind::NewTicket => {
            let first = |v: String| v.split(' ').next().unwrap_or_default().to_string();
            Call::Create(Box::new(NewTicket {
                title: f.value("Title"),
                description: f.value("Description"),
                queue: opt(f.value("Queue")),
                source: opt(f.value("Source")),
                company: opt(f.value("Company")),
                contact: opt(first(f.value("Contact"))),
                ..NewTicket::default()
            }))
        }
        FormKind::PortalSubmit => Call::PortalSubmit(PortalSubmit {
            title: f.value("Title"),
            issue_type: f.value("Issue type"),
            description: f.value("Description"),
        }),
        FormKind::SaveView => {
            let name = f.value("Name");
            s.views.retain(|v| v.name != name);
            s.views.push(SavedView {
                name: name.clone(),
                query: s.query.trim().to_string(),
            });
            s.queues.rebuild(s.catalog.as_ref(), &s.views, false);
            s.info(format!("saved the view {name}"));
            f.saving = Some(0);
            let mut fx = vec![Effect::SaveViews(s.views.clone())];
            fx.extend(super::view_counts(s));
            return fx;
        }
    };
    let e = s.request(Slot::Save, call);
    if let Effect::Call(id, _) = &e {
        f.saving = Some(*id);
    }
    vec![e]
}
