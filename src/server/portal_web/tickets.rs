//! *My tickets*, a ticket with its history and note form, and the new-ticket form:
//! each one engine call of `desk portal ...` (list, show, note, submit). A refused form
//! comes back with what was typed and the engine's reason beside its field; a form whose
//! session ended goes through the sign-in with its text (docs/portal.md, "Forms").

use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use desk_engine::model::{PageRequest, PortalFilter, PortalState, PortalSubmit};
use serde::Deserialize;

use super::pages::*;
use super::session::{Lookup, Signed};
use super::sign_in::{bad_form, sign_in_page};
use super::{PAGE_SIZE, PageError};
use crate::server::AppState;

const STATES: [(&str, &str); 3] = [("open", "Open"), ("closed", "Closed"), ("all", "All")];

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    after: Option<String>,
}

/// The form field (element id) an engine error names, and its label.
fn label_of(field: &str) -> Option<(&'static str, &'static str)> {
    Some(match field {
        "title" => ("title", "Title"),
        "issue_type" => ("issue_type", "Issue type"),
        "description" => ("description", "Description"),
        "text" => ("text", "Your note"),
        _ => return None,
    })
}

/// A refusal of the engine as the error of its field, or of the whole form.
fn form_error(e: &desk_engine::Error) -> FieldError {
    match e {
        desk_engine::Error::Invalid { field, message } => match label_of(field) {
            Some((id, label)) => FieldError::on(id, format!("{label}: {message}")),
            None => FieldError::general(super::failure::capitalize(&e.to_string())),
        },
        other => FieldError::general(super::failure::capitalize(&other.to_string())),
    }
}

pub async fn list(
    State(s): State<AppState>,
    signed: Signed,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let q = super::query(q)?;
    let mut errors = Vec::new();
    let state = match q.state.as_deref() {
        None => PortalState::Open,
        Some(v) => PortalState::parse(v).unwrap_or_else(|| {
            errors.push(FieldError::general(format!(
                "Show: “{}” is not one of open, closed or all; showing open tickets",
                one_line_of(v)
            )));
            PortalState::Open
        }),
    };
    let words = q.q.clone().unwrap_or_default();
    let filter = PortalFilter {
        state,
        search: Some(words.clone()).filter(|w| !w.trim().is_empty()),
    };
    // Newest first, the engine's order for the portal.
    let page = PageRequest {
        after: q.after.clone().filter(|a| !a.is_empty()),
        limit: PAGE_SIZE,
        sort: None,
    };
    let actor = signed.session.actor.clone();
    let searching = filter.search.is_some();
    let (f, p) = (filter.clone(), page.clone());
    // The engine's answer kept whole (`Ok(...)`), so that a refused search goes beside
    // its field; the pool's own failures are the `?`.
    let read = move |e: &mut desk_engine::Engine| Ok(e.portal_list(&actor, &f, &p));
    let found = if searching {
        s.pool.run_read_blocking(read).await?
    } else {
        s.pool.run_read(read).await?
    };
    let me = Me::of(&signed.session);
    let tz = me.tz();
    let mut error_for_search = None;
    let (rows, next) = match found {
        Ok(p) => (p.items.iter().map(|t| Row::of(t, tz)).collect(), p.next),
        Err(desk_engine::Error::Invalid { field, message }) => {
            let e = if field == "search" {
                error_for_search = Some(format!("Search: {message}"));
                FieldError::on("q", format!("Search: {message}"))
            } else {
                FieldError::general(format!("{field}: {message}"))
            };
            errors.push(e);
            (Vec::new(), None)
        }
        Err(e) => return Err(e.into()),
    };
    let link = |after: Option<&str>| {
        let mut params = vec![("state", state.as_str())];
        if !words.is_empty() {
            params.push(("q", words.as_str()));
        }
        if let Some(a) = after {
            params.push(("after", a));
        }
        format!(
            "/portal/tickets?{}",
            serde_urlencoded::to_string(&params).unwrap_or_default()
        )
    };
    let kind = match state {
        PortalState::Open => "open tickets",
        PortalState::Closed => "closed tickets",
        PortalState::All => "tickets",
    };
    let caption = match &filter.search {
        Some(w) => format!("{} with “{}”", capital(kind), one_line_of(w)),
        None => capital(kind),
    };
    let (heading, scope) = if me.manager {
        (
            format!("Tickets of {}", me.company),
            format!("Every ticket of {}, whoever submitted it.", me.company),
        )
    } else {
        (
            "My tickets".to_string(),
            "The tickets you submitted or are the contact for.".to_string(),
        )
    };
    let page_view = TicketsPage {
        page: s.web.layout(Some(me), "tickets"),
        heading,
        scope,
        empty: format!("No {caption_lc}.", caption_lc = caption.to_lowercase()),
        caption,
        time_zone: tz.name().to_string(),
        states: STATES,
        state: state.as_str(),
        q: one_line_of(&words),
        error_for_search,
        rows,
        first_page: q.after.is_some().then(|| link(None)),
        next_page: next.as_deref().map(|n| link(Some(n))),
        errors: errors.clone(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(status, &page_view))
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn one_line_of(s: &str) -> String {
    desk_engine::domain::text::one_line(s).into_owned()
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    submitted: Option<String>,
    noted: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    signed: Signed,
    Path(number): Path<String>,
    q: Result<Query<ShowQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let q = super::query(q)?;
    let notice = if q.submitted.is_some() {
        Notice::Submitted
    } else if q.noted.is_some() {
        Notice::Noted
    } else {
        Notice::None
    };
    ticket_view(
        &s,
        &signed,
        &number,
        String::new(),
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// What the ticket page says above the ticket.
enum Notice {
    None,
    Submitted,
    Noted,
    Text(String),
}

/// The ticket page, its note form holding `text` and `errors`.
pub async fn ticket_page(
    s: &AppState,
    signed: &Signed,
    number: &str,
    text: String,
    errors: Vec<FieldError>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let notice = notice.map_or(Notice::None, Notice::Text);
    ticket_view(s, signed, number, text, errors, notice, status).await
}

async fn ticket_view(
    s: &AppState,
    signed: &Signed,
    number: &str,
    text: String,
    errors: Vec<FieldError>,
    notice: Notice,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = signed.session.actor.clone();
    let n = number.to_string();
    let t = s.pool.run_read(move |e| e.portal_show(&actor, &n)).await?;
    let me = Me::of(&signed.session);
    let view = TicketView::of(&t, me.tz(), &me.login);
    let notice = match notice {
        Notice::None => None,
        Notice::Submitted => Some(format!(
            "Your ticket {} was submitted. It went to the queue {}; the service desk answers here.",
            view.number, view.queue
        )),
        Notice::Noted => Some("Your note was added.".to_string()),
        Notice::Text(t) => Some(t),
    };
    let page = TicketPage {
        csrf: me.csrf.clone(),
        page: s.web.layout(Some(me), ""),
        notice,
        t: view,
        form: NoteForm { text, errors },
    };
    Ok(html(status, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct NoteFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// The words of a form whose session ended: sign in, and the text comes along.
fn sign_in_first(
    s: &AppState,
    expired: bool,
    then: String,
    drafts: Vec<(&'static str, String)>,
) -> Response {
    let notice = if expired {
        "Your session has ended, so nothing was sent. Sign in again; what you typed is kept."
    } else {
        "Sign in to send this; what you typed is kept."
    };
    let form = SignInForm {
        then: Some(then),
        drafts,
        ..SignInForm::default()
    };
    sign_in_page(s, StatusCode::UNAUTHORIZED, Some(notice.into()), form)
}

const STALE_FORM: &str = "This form had expired or did not come from your portal page, so nothing was sent. Check what you typed and send it again.";

pub async fn note(
    State(s): State<AppState>,
    who: Lookup,
    Path(number): Path<String>,
    form: Result<Form<NoteFields>, FormRejection>,
) -> Result<Response, PageError> {
    let NoteFields { csrf, text } = form.map_err(|r| bad_form(&s, r))?.0;
    let signed = match who {
        Lookup::Active(signed) => signed,
        Lookup::Expired | Lookup::None => {
            let expired = matches!(who, Lookup::Expired);
            let then = format!("/portal/tickets/{number}");
            return Ok(sign_in_first(&s, expired, then, vec![("text", text)]));
        }
    };
    if !signed.session.csrf_matches(&csrf) {
        let errors = vec![FieldError::general(STALE_FORM)];
        return ticket_page(
            &s,
            &signed,
            &number,
            text,
            errors,
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let actor = signed.session.actor.clone();
    let (n, typed) = (number.clone(), text.clone());
    match s
        .pool
        .run_write(move |e| Ok(e.portal_note(&actor, &n, &typed)))
        .await?
    {
        Ok(t) => {
            s.publish("note", &signed.session.actor.login, &t);
            Ok(Redirect::to(&format!(
                "/portal/tickets/{}?noted=1#history-title",
                t.number
            ))
            .into_response())
        }
        Err(e @ desk_engine::Error::Invalid { .. }) => {
            let errors = vec![form_error(&e)];
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            ticket_page(&s, &signed, &number, text, errors, None, status).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What was typed into the new-ticket form.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Typed {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub issue_type: String,
    #[serde(default)]
    pub description: String,
}

pub async fn new_page(State(s): State<AppState>, signed: Signed) -> Result<Response, PageError> {
    new_form(
        &s,
        &signed,
        Typed::default(),
        Vec::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// The new-ticket form holding `typed` and `errors`; the issue types are the ones the
/// engine offers this contact (the provider's and their company's own).
pub async fn new_form(
    s: &AppState,
    signed: &Signed,
    typed: Typed,
    errors: Vec<FieldError>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let actor = signed.session.actor.clone();
    let catalog = s.pool.run_read(move |e| e.catalog(&actor)).await?;
    let me = Me::of(&signed.session);
    let page = NewTicketPage {
        csrf: me.csrf.clone(),
        page: s.web.layout(Some(me), "new"),
        notice: notice.map(str::to_string),
        issue_types: catalog.issue_types.into_iter().map(|i| i.name).collect(),
        form: NewTicketForm {
            title: typed.title,
            issue_type: typed.issue_type,
            description: typed.description,
            errors,
        },
    };
    Ok(html(status, &page))
}

#[derive(Debug, Default, Deserialize)]
pub struct SubmitFields {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    typed: Typed,
}

pub async fn submit(
    State(s): State<AppState>,
    who: Lookup,
    form: Result<Form<SubmitFields>, FormRejection>,
) -> Result<Response, PageError> {
    let SubmitFields { csrf, typed } = form.map_err(|r| bad_form(&s, r))?.0;
    let signed = match who {
        Lookup::Active(signed) => signed,
        Lookup::Expired | Lookup::None => {
            let expired = matches!(who, Lookup::Expired);
            let drafts = vec![
                ("title", typed.title),
                ("issue_type", typed.issue_type),
                ("description", typed.description),
            ];
            let then = "/portal/tickets/new".to_string();
            return Ok(sign_in_first(&s, expired, then, drafts));
        }
    };
    if !signed.session.csrf_matches(&csrf) {
        let errors = vec![FieldError::general(STALE_FORM)];
        return new_form(&s, &signed, typed, errors, None, StatusCode::FORBIDDEN).await;
    }
    let actor = signed.session.actor.clone();
    let submit = PortalSubmit {
        title: typed.title.clone(),
        issue_type: typed.issue_type.clone(),
        description: typed.description.clone(),
    };
    match s
        .pool
        .run_write(move |e| Ok(e.portal_submit(&actor, submit)))
        .await?
    {
        Ok(t) => {
            s.publish("created", &signed.session.actor.login, &t);
            Ok(Redirect::to(&format!("/portal/tickets/{}?submitted=1", t.number)).into_response())
        }
        Err(e @ desk_engine::Error::Invalid { .. }) => {
            let errors = vec![form_error(&e)];
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            new_form(&s, &signed, typed, errors, None, status).await
        }
        Err(e) => Err(e.into()),
    }
}
