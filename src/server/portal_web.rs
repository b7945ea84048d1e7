//! The Client Portal as web pages under `/portal/` (docs/portal.md): server-rendered
//! HTML that works without JavaScript, for contacts signed in with a password. Every
//! page goes through the same engine calls as `desk portal ...` (portal_list,
//! portal_show, portal_submit, portal_note), so R1, R6, R7, the workflow rules and the
//! notifications apply unchanged; this module adds sessions, forms and pages.
//!
//! (`portal.rs` beside this is the JSON API of the portal under `/api/v1/portal/`.)

mod failure;
mod hasher;
mod pages;
mod session;
mod sign_in;
mod throttle;
mod tickets;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::net::IpAddr;
use std::sync::Mutex;

use super::{AppState, ServeError};
pub use failure::PageError;
use hasher::Hasher;
use throttle::Throttle;

/// A form may carry a note of the engine's largest (100,000 bytes) even when every
/// character is percent-encoded three times over, so that the engine's own refusal,
/// with the text kept, is what a long note gets.
pub const FORM_LIMIT: usize = 512 * 1024;
/// Tickets on a page of *my tickets*.
pub const PAGE_SIZE: u32 = 25;

/// Cache-busting for the stylesheet and icon.
const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");
const CSS: &str = include_str!("../../assets/portal/portal.css");
const ICON: &str = include_str!("../../assets/portal/icon.svg");

/// No script at all (none is needed), styles and images from desk only, forms only to
/// desk, and never inside another site's frame.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// What the portal pages share beyond the engine pool.
pub struct Web {
    desk: String,
    /// The public URL is https: the session cookie is `Secure` (and `__Host-`).
    secure: bool,
    /// The host (and port) of the public URL, which forms may also come from.
    public_host: Option<String>,
    hasher: Hasher,
    logins: Mutex<Throttle<String>>,
    addresses: Mutex<Throttle<IpAddr>>,
}

impl Web {
    pub fn new(desk: &str, public_url: Option<&str>) -> Web {
        let secure = public_url.is_some_and(|u| u.starts_with("https://"));
        let public_host = public_url.and_then(host_of).map(str::to_string);
        Web {
            desk: desk.to_string(),
            secure,
            public_host,
            hasher: Hasher::new(),
            logins: Mutex::new(Throttle::new(throttle::LOGIN)),
            addresses: Mutex::new(Throttle::new(throttle::ADDRESS)),
        }
    }

    fn layout(&self, me: Option<pages::Me>, nav: &'static str) -> pages::Layout {
        pages::Layout {
            desk: self.desk.clone(),
            me,
            nav,
            asset_version: ASSET_VERSION,
        }
    }
}

/// `https://host:port/path` -> `host:port`.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Whether `path` is one of the portal's (`guard` answers it as a web page).
pub fn is_portal(path: &str) -> bool {
    path == "/portal" || path.starts_with("/portal/")
}

/// The routes under `/portal`, with their own HTML errors and form limit; `guard` goes
/// around the whole app (so that desk serve's own limits are answered as pages too).
pub fn router(state: AppState) -> Router {
    let portal = Router::new()
        .route("/", get(to_tickets))
        .route("/sign-in", get(sign_in::page).post(sign_in::submit))
        .route("/sign-out", post(sign_in::sign_out))
        .route(
            "/invite/{token}",
            get(sign_in::invite_page).post(sign_in::invite_submit),
        )
        .route("/tickets", get(tickets::list))
        .route("/tickets/new", get(tickets::new_page).post(tickets::submit))
        .route("/tickets/{number}", get(tickets::show))
        .route("/tickets/{number}/notes", post(tickets::note))
        .route("/static/portal.css", get(css))
        .route("/static/icon.svg", get(icon))
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .with_state(state.clone());
    Router::new()
        .route("/portal/", get(to_tickets))
        .nest("/portal", portal)
}

/// The query of a page; one that cannot be read (bad percent-encoding) is a 400 page.
fn query<T>(
    q: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> Result<T, PageError> {
    q.map(|q| q.0).map_err(|r| PageError::Refused {
        status: StatusCode::BAD_REQUEST,
        heading: "This address could not be read".into(),
        text: failure::capitalize(&r.body_text()),
    })
}

async fn to_tickets() -> Redirect {
    Redirect::to("/portal/tickets")
}

async fn not_found() -> PageError {
    PageError::NotFound
}

async fn wrong_method(method: Method) -> PageError {
    PageError::Refused {
        status: StatusCode::METHOD_NOT_ALLOWED,
        heading: "Not possible here".into(),
        text: format!("This page does not take {method} requests."),
    }
}

/// For the portal's paths (others pass as they are): refuses a form sent from another
/// site (its `Origin` is not this server), renders the HTML page of any failure, the
/// portal's own or desk serve's (a body too large or too slow, a request out of time),
/// and puts the security headers on every answer.
pub async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if !is_portal(req.uri().path()) {
        return next.run(req).await;
    }
    let foreign = req.method() == Method::POST && !same_origin(req.headers(), &s.web);
    let mut res = if foreign {
        PageError::Refused {
            status: StatusCode::FORBIDDEN,
            heading: "Sent from another site".into(),
            text: "This form was not sent from the portal's own pages, so nothing was done. Open the portal and try again there.".into(),
        }
        .into_response()
    } else {
        next.run(req).await
    };
    if let Some(e) = res.extensions_mut().remove::<ServeError>() {
        res = PageError::from(e).into_response();
    }
    if let Some(f) = res.extensions_mut().remove::<failure::Failure>() {
        res = f.render(&s.web);
    }
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: header::HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    // Invite links hold their token in the path: never hand it to another site.
    // (Not `no-referrer`: with it, Chromium sends `Origin: null` on the portal's own
    // forms, and the origin check above could not tell them from a sandboxed frame's.)
    set(h, header::REFERRER_POLICY, "same-origin");
    set(
        h,
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    res
}

/// A POST is the portal's own if its `Origin` (which browsers send with every form)
/// names this server as the browser reached it (`Host`) or the public URL's host. A
/// request without `Origin` is no browser's form post from another site.
fn same_origin(headers: &HeaderMap, web: &Web) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Some(host) = origin.to_str().ok().and_then(host_of) else {
        return false;
    };
    let reached = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    Some(host) == reached || Some(host) == web.public_host.as_deref()
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

async fn icon() -> Response {
    asset(ICON, "image/svg+xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_the_portals_own_when_its_origin_is_this_server() {
        let web = Web::new("Desk", Some("https://desk.example.com/"));
        let h = |origin: Option<&str>, host: &str| {
            let mut m = HeaderMap::new();
            m.insert(
                header::HOST,
                HeaderValue::from_str(host).unwrap_or(HeaderValue::from_static("")),
            );
            if let Some(o) = origin {
                m.insert(
                    header::ORIGIN,
                    HeaderValue::from_str(o).unwrap_or(HeaderValue::from_static("")),
                );
            }
            m
        };
        assert!(same_origin(&h(None, "127.0.0.1:8765"), &web));
        assert!(same_origin(
            &h(Some("http://127.0.0.1:8765"), "127.0.0.1:8765"),
            &web
        ));
        // Behind the proxy the Host may be the backend's; the public host counts too.
        assert!(same_origin(
            &h(Some("https://desk.example.com"), "127.0.0.1:8765"),
            &web
        ));
        assert!(!same_origin(
            &h(Some("https://evil.example"), "127.0.0.1:8765"),
            &web
        ));
        assert!(!same_origin(&h(Some("null"), "127.0.0.1:8765"), &web));
        assert!(!same_origin(
            &h(Some("http://127.0.0.1:9999"), "127.0.0.1:8765"),
            &web
        ));
        assert!(Web::new("Desk", Some("https://desk.example.com")).secure);
        assert!(!Web::new("Desk", Some("http://desk.example.com")).secure);
        assert!(!Web::new("Desk", None).secure);
    }
}
