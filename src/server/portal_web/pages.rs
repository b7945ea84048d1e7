//! The portal's pages: askama templates (templates/portal/, checked when desk is built,
//! every value HTML-escaped unless a template says otherwise, which none does) and the
//! views they show, made from engine values here so that templates only place them.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Offset, Timelike, Utc};
use chrono_tz::{OffsetName, Tz};
use desk_engine::domain::text::{multi_line, one_line};
use desk_engine::model::{ActorKind, Note, NoteKind, PortalLevel, Session, Ticket};

/// What every page shows around its content.
pub struct Layout {
    pub desk: String,
    pub me: Option<Me>,
    /// Which link of the navigation is this page ("tickets", "new", or "").
    pub nav: &'static str,
    pub asset_version: &'static str,
}

/// The signed-in contact.
pub struct Me {
    pub name: String,
    pub login: String,
    pub csrf: String,
    pub time_zone: String,
    pub company: String,
    pub manager: bool,
}

impl Me {
    pub fn of(s: &Session) -> Me {
        let (company, manager) = match &s.actor.kind {
            ActorKind::Contact { company, portal } => {
                (company.clone(), *portal == PortalLevel::Manager)
            }
            _ => (String::new(), false),
        };
        Me {
            name: one_line(&s.actor.name).into_owned(),
            login: s.actor.login.clone(),
            csrf: s.csrf.clone(),
            time_zone: s.actor.time_zone.clone(),
            company,
            manager,
        }
    }

    pub fn tz(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }
}

/// One thing wrong with a form: the field it belongs to (its element id), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: Option<&'static str>,
    pub message: String,
}

impl FieldError {
    pub fn on(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: Some(field),
            message: message.into(),
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        FieldError {
            field: None,
            message: message.into(),
        }
    }
}

fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == Some(field))
        .map(|e| e.message.as_str())
}

/// An instant as the contact reads it: in their zone, the zone named.
pub struct When {
    pub text: String,
    pub iso: String,
}

impl When {
    /// Written out by hand rather than through chrono's `format`: a page has dozens of
    /// times, and parsing the format strings each time was a tenth of a list page.
    pub fn new(t: DateTime<Utc>, tz: Tz) -> When {
        let local = t.with_timezone(&tz);
        let offset = local.offset();
        // Zones without a letter abbreviation (Asia/Kolkata's "+0530") say their name.
        let zone = match offset.abbreviation() {
            Some(a) if !a.starts_with(['+', '-']) => a,
            _ => tz.name(),
        };
        let (y, mo, d) = (local.year(), local.month(), local.day());
        let (h, mi, s) = (local.hour(), local.minute(), local.second());
        let secs = offset.fix().local_minus_utc();
        let (sign, secs) = if secs < 0 { ('-', -secs) } else { ('+', secs) };
        When {
            text: format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02} {zone}"),
            iso: format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}",
                secs / 3600,
                secs % 3600 / 60
            ),
        }
    }
}

/// A row of *my tickets*.
pub struct Row {
    pub number: String,
    pub title: String,
    pub status: String,
    pub open: bool,
    pub due: Option<When>,
    pub created: When,
}

impl Row {
    pub fn of(t: &Ticket, tz: Tz) -> Row {
        Row {
            number: t.number.clone(),
            title: one_line(&t.title).into_owned(),
            status: one_line(&t.status).into_owned(),
            open: t.is_open(),
            due: t.due_at.map(|d| When::new(d, tz)),
            created: When::new(t.created_at, tz),
        }
    }
}

/// A ticket as its page shows it: what `portal_show` gives, in the contact's zone.
/// Text keeps its line breaks and tabs; any other control character is made visible.
pub struct TicketView {
    pub number: String,
    pub title: String,
    pub status: String,
    pub open: bool,
    pub priority: String,
    pub issue_type: Option<String>,
    pub queue: String,
    pub due: Option<When>,
    pub created: When,
    pub created_by: String,
    pub contact: Option<String>,
    pub assigned: Option<String>,
    pub description: String,
    pub notes: Vec<NoteView>,
}

pub struct NoteView {
    pub author: String,
    pub kind: &'static str,
    pub text: String,
    pub at: When,
}

/// A login as the signed-in contact reads it: their own is "you".
fn person(login: &str, me: &str, you: &str) -> String {
    if login.eq_ignore_ascii_case(me) {
        you.to_string()
    } else {
        one_line(login).into_owned()
    }
}

impl NoteView {
    fn of(n: &Note, tz: Tz, me: &str) -> NoteView {
        NoteView {
            author: person(&n.author, me, "You"),
            // `internal` never reaches the portal (the engine leaves it out).
            kind: match n.kind {
                NoteKind::Portal => "portal",
                NoteKind::Taskfire => "taskfire",
                NoteKind::Published | NoteKind::Internal => "published",
            },
            text: multi_line(&n.text).into_owned(),
            at: When::new(n.at, tz),
        }
    }
}

impl TicketView {
    /// `t` for the contact `me` (a login), in their zone `tz`.
    pub fn of(t: &Ticket, tz: Tz, me: &str) -> TicketView {
        let line = |s: &str| one_line(s).into_owned();
        TicketView {
            number: t.number.clone(),
            title: line(&t.title),
            status: line(&t.status),
            open: t.is_open(),
            priority: line(&t.priority),
            issue_type: t.issue_type.as_deref().map(line),
            queue: line(&t.queue),
            due: t.due_at.map(|d| When::new(d, tz)),
            created: When::new(t.created_at, tz),
            created_by: person(&t.created_by, me, "you"),
            contact: t.contact.as_deref().map(|c| person(c, me, "You")),
            assigned: t.assigned.as_deref().map(line),
            description: multi_line(&t.description).into_owned(),
            notes: t.notes.iter().map(|n| NoteView::of(n, tz, me)).collect(),
        }
    }
}

#[derive(Default)]
pub struct SignInForm {
    pub login: String,
    /// Where to go once signed in (a portal path, checked).
    pub then: Option<String>,
    /// Text typed into a form whose session had ended, carried through the sign-in.
    pub drafts: Vec<(&'static str, String)>,
    pub errors: Vec<FieldError>,
}

impl SignInForm {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    pub fn has_draft(&self) -> bool {
        self.drafts.iter().any(|(_, v)| !v.trim().is_empty())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::When;

    #[test]
    fn a_time_names_its_zone_in_text_and_in_its_machine_form() {
        let t = "2026-11-29T09:30:05Z".parse().unwrap();
        let la = When::new(t, chrono_tz::America::Los_Angeles);
        assert_eq!(la.text, "2026-11-29 01:30 PST");
        assert_eq!(la.iso, "2026-11-29T01:30:05-08:00");
        // Across midnight, and a zone whose abbreviation is an offset.
        let kolkata = When::new(t, chrono_tz::Asia::Kolkata);
        assert_eq!(kolkata.text, "2026-11-29 15:00 IST");
        assert_eq!(kolkata.iso, "2026-11-29T15:00:05+05:30");
        let auckland = When::new(t, chrono_tz::Pacific::Auckland);
        assert_eq!(auckland.text, "2026-11-29 22:30 NZDT");
        let nowhere = When::new(t, chrono_tz::America::Sao_Paulo);
        assert_eq!(nowhere.text, "2026-11-29 06:30 America/Sao_Paulo");
        assert_eq!(nowhere.iso, "2026-11-29T06:30:05-03:00");
    }
}

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
pub struct SignInPage {
    pub page: Layout,
    pub notice: Option<String>,
    pub form: SignInForm,
}

#[derive(Template)]
#[template(path = "portal/tickets.html")]
pub struct TicketsPage {
    pub page: Layout,
    pub heading: String,
    pub scope: String,
    pub caption: String,
    pub time_zone: String,
    pub states: [(&'static str, &'static str); 3],
    pub state: &'static str,
    pub q: String,
    pub error_for_search: Option<String>,
    pub errors: Vec<FieldError>,
    pub rows: Vec<Row>,
    pub empty: String,
    pub first_page: Option<String>,
    pub next_page: Option<String>,
}

#[derive(Default)]
pub struct NoteForm {
    pub text: String,
    pub errors: Vec<FieldError>,
}

impl NoteForm {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

#[derive(Template)]
#[template(path = "portal/ticket.html")]
pub struct TicketPage {
    pub page: Layout,
    pub notice: Option<String>,
    pub t: TicketView,
    pub csrf: String,
    pub form: NoteForm,
}

#[derive(Default)]
pub struct NewTicketForm {
    pub title: String,
    pub issue_type: String,
    pub description: String,
    pub errors: Vec<FieldError>,
}

impl NewTicketForm {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

#[derive(Template)]
#[template(path = "portal/new_ticket.html")]
pub struct NewTicketPage {
    pub page: Layout,
    pub notice: Option<String>,
    pub csrf: String,
    pub issue_types: Vec<String>,
    pub form: NewTicketForm,
}

#[derive(Default)]
pub struct InviteForm {
    pub errors: Vec<FieldError>,
}

impl InviteForm {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

#[derive(Template)]
#[template(path = "portal/invite.html")]
pub struct InvitePage {
    pub page: Layout,
    pub token: String,
    pub login: String,
    pub until: String,
    pub min_chars: usize,
    pub form: InviteForm,
}

#[derive(Template)]
#[template(path = "portal/message.html")]
pub struct MessagePage {
    pub page: Layout,
    pub heading: String,
    pub text: String,
    pub link_href: &'static str,
    pub link_text: &'static str,
}

/// A page with its status. Pages carry private data: never stored by a cache.
pub fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut res = (status, body).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => {
            eprintln!("desk serve: portal page did not render: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error in desk serve; the operator's log has the details",
            )
                .into_response()
        }
    }
}
