//! The session cookie and the extractors that find the signed-in contact
//! (docs/portal.md, "Sessions"). The cookie holds the random session id only;
//! `HttpOnly`, `SameSite=Lax`, and `Secure` with the `__Host-` prefix when the public URL
//! is https. It has no expiry of its own: the engine ends sessions by time.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use cookie::{Cookie, SameSite};
use desk_engine::model::{Session, SessionCheck};

use super::{PageError, Web};
use crate::server::AppState;

const COOKIE: &str = "desk_portal";
const SECURE_COOKIE: &str = "__Host-desk_portal";

fn cookie_name(web: &Web) -> &'static str {
    if web.secure { SECURE_COOKIE } else { COOKIE }
}

/// The session id the request's cookie carries.
pub fn session_id(headers: &HeaderMap, web: &Web) -> Option<String> {
    let name = cookie_name(web);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

fn cookie(web: &Web, value: String) -> Cookie<'static> {
    Cookie::build((cookie_name(web), value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(web.secure)
        .build()
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(web: &Web, id: &str) -> (header::HeaderName, HeaderValue) {
    let c = cookie(web, id.to_string());
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&c.to_string()).unwrap_or(HeaderValue::from_static("")),
    )
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear_cookie(web: &Web) -> (header::HeaderName, HeaderValue) {
    let mut c = cookie(web, String::new());
    c.make_removal();
    (
        header::SET_COOKIE,
        HeaderValue::from_str(&c.to_string()).unwrap_or(HeaderValue::from_static("")),
    )
}

/// A path to come back to after signing in: only a portal page of this server (so a
/// link cannot send a contact elsewhere), else nothing.
pub fn portal_path(then: &str) -> Option<String> {
    let ok = then.starts_with("/portal/")
        && !then.starts_with("/portal//")
        && then
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-~?=&%+".contains(&b));
    ok.then(|| then.to_string())
}

/// The sign-in page, saying why and where to go back to.
pub fn sign_in_path(then: Option<&str>, expired: bool) -> String {
    let mut q: Vec<(&str, &str)> = Vec::new();
    if let Some(t) = then.and_then(|t| portal_path(t).is_some().then_some(t)) {
        q.push(("then", t));
    }
    if expired {
        q.push(("ended", "1"));
    }
    match serde_urlencoded::to_string(&q) {
        Ok(s) if !s.is_empty() => format!("/portal/sign-in?{s}"),
        _ => "/portal/sign-in".to_string(),
    }
}

/// A signed-in contact: their open session and its id.
pub struct Signed {
    pub id: String,
    pub session: Session,
}

/// Whoever sent the request: signed in, with a session that ended, or neither. Forms
/// take this (not `Signed`) so that what was typed survives an ended session.
pub enum Lookup {
    Active(Signed),
    Expired,
    None,
}

impl Lookup {
    pub async fn of(s: &AppState, headers: &HeaderMap) -> Result<Lookup, PageError> {
        let Some(id) = session_id(headers, &s.web) else {
            return Ok(Lookup::None);
        };
        let check = {
            let id = id.clone();
            s.pool.run_read(move |e| e.session(&id)).await?
        };
        match check {
            SessionCheck::Active(session) => {
                if session.stale {
                    let id = id.clone();
                    s.pool.run_write(move |e| e.touch_session(&id)).await?;
                }
                Ok(Lookup::Active(Signed { id, session }))
            }
            SessionCheck::Expired => Ok(Lookup::Expired),
            SessionCheck::Unknown => Ok(Lookup::None),
        }
    }
}

impl FromRequestParts<AppState> for Lookup {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, PageError> {
        Lookup::of(s, &parts.headers).await
    }
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = PageError;

    /// Pages that need a contact send anyone else to sign in, and back here after.
    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, PageError> {
        // Inside the `/portal` nest the path is seen without its prefix.
        let then = parts
            .uri
            .path_and_query()
            .map(|p| format!("/portal{}", p.as_str()));
        match Lookup::of(s, &parts.headers).await? {
            Lookup::Active(signed) => Ok(signed),
            Lookup::Expired => Err(PageError::SignIn {
                then,
                expired: true,
            }),
            Lookup::None => Err(PageError::SignIn {
                then,
                expired: false,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_portal_pages_are_places_to_come_back_to() {
        assert!(portal_path("/portal/tickets/T20261129.0001").is_some());
        assert!(portal_path("/portal/tickets?state=closed&q=printer%20jam").is_some());
        for bad in [
            "https://evil.example/portal/",
            "//evil.example/portal/",
            "/portal//evil.example",
            "/api/v1/tickets",
            "/portal/tickets\"><script>",
            "/portal/\\evil",
        ] {
            assert_eq!(portal_path(bad), None, "{bad}");
        }
        assert_eq!(
            sign_in_path(Some("/portal/tickets?state=all"), true),
            "/portal/sign-in?then=%2Fportal%2Ftickets%3Fstate%3Dall&ended=1"
        );
        assert_eq!(
            sign_in_path(Some("https://evil.example"), false),
            "/portal/sign-in"
        );
    }
}
