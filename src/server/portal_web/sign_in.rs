//! Signing in and out, and setting a password through an invite (docs/portal.md).
//!
//! A sign-in reads the contact's hash (or the dummy one), checks the password on the
//! hashing pool, and only then opens a session: an unknown login and a wrong password
//! cost the same and get the same words. Failures are counted per login and per address
//! (`throttle`); a contact whose portal level is `none` is told so.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use desk_engine::domain::password::{MIN_PASSWORD_CHARS, PasswordHash, check_new_password};
use desk_engine::domain::text::one_line;
use desk_engine::model::{SESSION_IDLE_MINUTES, SESSION_MAX_HOURS, SessionCheck};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::failure::capitalize;
use super::pages::{FieldError, InviteForm, InvitePage, SignInForm, SignInPage, When, html};
use super::session::{Lookup, Signed, clear_cookie, portal_path, set_cookie};
use super::throttle::Verdict;
use super::{PageError, tickets};
use crate::server::AppState;

/// Form fields whose text a sign-in carries to the form it interrupted.
pub const DRAFTS: [&str; 4] = ["title", "issue_type", "description", "text"];

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    then: Option<String>,
    ended: Option<String>,
    signed_out: Option<String>,
}

pub async fn page(
    State(s): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    let q = super::query(q)?;
    let then = q.then.as_deref().and_then(portal_path);
    if let Lookup::Active(_) = Lookup::of(&s, &headers).await? {
        return Ok(Redirect::to(then.as_deref().unwrap_or("/portal/tickets")).into_response());
    }
    let notice = if q.ended.is_some() {
        Some(format!(
            "Your session has ended: after {SESSION_IDLE_MINUTES} minutes without use, or {SESSION_MAX_HOURS} hours after signing in. Sign in again to go on."
        ))
    } else if q.signed_out.is_some() {
        Some("You have signed out.".to_string())
    } else {
        None
    };
    let form = SignInForm {
        then,
        ..SignInForm::default()
    };
    Ok(sign_in_page(&s, StatusCode::OK, notice, form))
}

pub fn sign_in_page(
    s: &AppState,
    status: StatusCode,
    notice: Option<String>,
    form: SignInForm,
) -> Response {
    let page = SignInPage {
        page: s.web.layout(None, ""),
        notice,
        form,
    };
    html(status, &page)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

pub async fn submit(
    State(s): State<AppState>,
    peer: Option<Extension<SocketAddr>>,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let fields = form.map_err(|r| bad_form(&s, r))?.0;
    let login = field(&fields, "login").trim().to_string();
    let password = field(&fields, "password").to_string();
    let mut form = SignInForm {
        login: one_line(&login).into_owned(),
        then: portal_path(field(&fields, "then")),
        drafts: DRAFTS
            .iter()
            .map(|d| (*d, field(&fields, &format!("draft_{d}")).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .map(|(d, v)| (draft_name(d), v))
            .collect(),
        errors: Vec::new(),
    };
    if login.is_empty() {
        form.errors
            .push(FieldError::on("login", "Enter your login"));
    }
    if password.is_empty() {
        form.errors
            .push(FieldError::on("password", "Enter your password"));
    }
    if !form.errors.is_empty() {
        return Ok(sign_in_page(
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            form,
        ));
    }

    let key = login.to_lowercase();
    let address = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.0.ip());
    let now = s.pool.now();
    if let Some(refusal) = admit(&s, &key, address, now) {
        form.errors.push(FieldError::general(refusal.0));
        let mut res = sign_in_page(&s, StatusCode::TOO_MANY_REQUESTS, None, form);
        let secs = refusal.1.as_secs().max(1).to_string();
        if let Ok(v) = header::HeaderValue::from_str(&secs) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(res);
    }

    let creds = {
        let login = login.clone();
        s.pool.run_read(move |e| e.credentials(&login)).await?
    };
    let checked = s
        .web
        .hasher
        .run(move || creds.check(&password))
        .await
        .map_err(|_| PageError::Busy)?;
    let login = match checked {
        Ok(login) => login,
        Err(e) => {
            form.errors
                .push(FieldError::general(capitalize(&e.to_string())));
            return Ok(sign_in_page(&s, StatusCode::UNAUTHORIZED, None, form));
        }
    };
    lock(&s.web.logins).succeeded(&key);
    lock(&s.web.addresses).forgive(&address);
    let opened = {
        let login = login.clone();
        s.pool
            .run_write(move |e| Ok(e.start_session(&login)))
            .await?
    };
    let session = match opened {
        Ok(session) => session,
        Err(desk_engine::Error::NotAllowed(_)) => {
            form.errors.push(FieldError::general(
                "Portal access is switched off for your account, so you cannot sign in. Ask your service provider to switch it on.",
            ));
            return Ok(sign_in_page(&s, StatusCode::FORBIDDEN, None, form));
        }
        Err(e) => return Err(e.into()),
    };
    let cookie = set_cookie(&s.web, &session.id);
    let mut res = signed_in(&s, &session.id, form).await?;
    res.headers_mut().append(cookie.0, cookie.1);
    Ok(res)
}

/// `draft_title` and friends by their field's own (static) name.
fn draft_name(d: &str) -> &'static str {
    DRAFTS.iter().find(|n| **n == d).copied().unwrap_or("text")
}

/// Where a fresh sign-in lands: the interrupted form, filled in again, or the page it
/// came for.
async fn signed_in(s: &AppState, id: &str, form: SignInForm) -> Result<Response, PageError> {
    let then = form.then.unwrap_or_else(|| "/portal/tickets".into());
    let draft = |name: &str| {
        form.drafts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    };
    if form.drafts.is_empty() {
        return Ok(Redirect::to(&then).into_response());
    }
    let check = {
        let id = id.to_string();
        s.pool.run_read(move |e| e.session(&id)).await?
    };
    let SessionCheck::Active(session) = check else {
        return Ok(Redirect::to(&then).into_response());
    };
    let signed = Signed {
        id: id.to_string(),
        session,
    };
    let notice = "You are signed in again. What you typed is below and has not been sent yet: check it and send it.";
    if then == "/portal/tickets/new" {
        let typed = tickets::Typed {
            title: draft("title").unwrap_or_default(),
            issue_type: draft("issue_type").unwrap_or_default(),
            description: draft("description").unwrap_or_default(),
        };
        return tickets::new_form(s, &signed, typed, Vec::new(), Some(notice), StatusCode::OK)
            .await;
    }
    if let Some(number) = then.strip_prefix("/portal/tickets/") {
        let text = draft("text").unwrap_or_default();
        return tickets::ticket_page(
            s,
            &signed,
            number,
            text,
            Vec::new(),
            Some(notice.into()),
            StatusCode::OK,
        )
        .await;
    }
    Ok(Redirect::to(&then).into_response())
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock still holds valid counts.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Why a sign-in may not be tried now, and for how long; `None`: go ahead, and the try
/// is counted as failed until it succeeds. Checked and counted under both locks at once,
/// so that many tries at the same moment cannot all slip past the limit while the first
/// ones are still being hashed.
fn admit(
    s: &AppState,
    login: &String,
    address: IpAddr,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<(String, Duration)> {
    let mut logins = lock(&s.web.logins);
    let mut addresses = lock(&s.web.addresses);
    let verdicts = [
        (logins.check(login, now), "for this login"),
        (addresses.check(&address, now), "from your network"),
    ];
    if verdicts.iter().all(|(v, _)| *v == Verdict::Go) {
        logins.failed(login, now);
        addresses.failed(&address, now);
        return None;
    }
    verdicts.into_iter().find_map(|(v, whose)| match v {
        Verdict::Go => None,
        Verdict::Wait(d) => Some((
            format!(
                "Too many failed sign-ins {whose}. Wait {} seconds, then try again.",
                d.as_secs().max(1)
            ),
            d,
        )),
        Verdict::Locked(d) => Some((
            format!(
                "Sign-in {whose} is locked for {} minutes after too many failed attempts. Try again then, or ask your service provider for a link to set a new password.",
                d.as_secs().div_ceil(60)
            ),
            d,
        )),
    })
}

/// A form that could not be read: its body never arrived whole (too slow or too large,
/// as desk serve refuses any body, docs/serve.md), or it is not a form of fields.
pub fn bad_form(s: &AppState, r: axum::extract::rejection::FormRejection) -> PageError {
    use axum::extract::rejection::FormRejection;
    if let FormRejection::BytesRejection(b) = &r {
        let limit = super::FORM_LIMIT;
        // axum knows a body over its limit (the cause it keeps cannot be found again).
        if b.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return crate::server::body::too_large(limit).into();
        }
        return crate::server::body::unreadable(b, &s.limits, limit).into();
    }
    PageError::Refused {
        status: r.status(),
        heading: "This form could not be read".into(),
        text: capitalize(&r.body_text()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn sign_out(
    State(s): State<AppState>,
    who: Lookup,
    form: Result<Form<CsrfForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let csrf = form.map(|f| f.0.csrf).unwrap_or_default();
    if let Lookup::Active(signed) = who {
        if !signed.session.csrf_matches(&csrf) {
            return Err(PageError::Refused {
                status: StatusCode::FORBIDDEN,
                heading: "Not signed out".into(),
                text: "The sign-out did not come from your portal page, so you are still signed in. Use the Sign out button on a portal page.".into(),
            });
        }
        let id = signed.id;
        s.pool.run_write(move |e| e.end_session(&id)).await?;
    }
    let cookie = clear_cookie(&s.web);
    let mut res = Redirect::to("/portal/sign-in?signed_out=1").into_response();
    res.headers_mut().append(cookie.0, cookie.1);
    Ok(res)
}

/// An invite the engine refused (unknown, used or expired) is a link that does not work.
fn bad_invite(e: desk_engine::Error) -> PageError {
    match e {
        desk_engine::Error::Invalid { message, .. } => PageError::Refused {
            status: StatusCode::NOT_FOUND,
            heading: "This link does not work".into(),
            text: capitalize(&message),
        },
        other => other.into(),
    }
}

fn invite_page_with(
    s: &AppState,
    invite: &desk_engine::model::Invite,
    tz: chrono_tz::Tz,
    errors: Vec<FieldError>,
) -> Response {
    let page = InvitePage {
        page: s.web.layout(None, ""),
        token: invite.token.clone(),
        login: invite.login.clone(),
        until: When::new(invite.expires_at, tz).text,
        min_chars: MIN_PASSWORD_CHARS,
        form: InviteForm {
            errors: errors.clone(),
        },
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(status, &page)
}

/// The invite and the zone of its contact.
async fn find_invite(
    s: &AppState,
    token: &str,
) -> Result<(desk_engine::model::Invite, chrono_tz::Tz), PageError> {
    let token = token.to_string();
    let found = s
        .pool
        .run_read(move |e| {
            Ok(e.invite(&token).and_then(|invite| {
                let tz = e.actor(&invite.login)?.time_zone;
                Ok((invite, tz.parse().unwrap_or(chrono_tz::UTC)))
            }))
        })
        .await?;
    found.map_err(bad_invite)
}

pub async fn invite_page(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let (invite, tz) = find_invite(&s, &token).await?;
    Ok(invite_page_with(&s, &invite, tz, Vec::new()))
}

#[derive(Debug, Default, Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    password: String,
    #[serde(default)]
    again: String,
}

pub async fn invite_submit(
    State(s): State<AppState>,
    Path(token): Path<String>,
    form: Result<Form<NewPassword>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let NewPassword { password, again } = form.map_err(|r| bad_form(&s, r))?.0;
    let (invite, tz) = find_invite(&s, &token).await?;
    let mut errors = Vec::new();
    if let Err(desk_engine::Error::Invalid { message, .. }) = check_new_password(&password) {
        errors.push(FieldError::on(
            "password",
            format!("The password {message}"),
        ));
    } else if password != again {
        errors.push(FieldError::on(
            "again",
            "The two passwords are not the same; type the new one twice",
        ));
    }
    if !errors.is_empty() {
        return Ok(invite_page_with(&s, &invite, tz, errors));
    }
    let hash = s
        .web
        .hasher
        .run(move || PasswordHash::new(&password))
        .await
        .map_err(|_| PageError::Busy)??;
    let session = s
        .pool
        .run_write(move |e| {
            Ok(e.accept_invite(&token, &hash)
                .and_then(|who| e.start_session(&who.login)))
        })
        .await?
        .map_err(bad_invite)?;
    let cookie = set_cookie(&s.web, &session.id);
    let mut res = Redirect::to("/portal/tickets").into_response();
    res.headers_mut().append(cookie.0, cookie.1);
    Ok(res)
}
