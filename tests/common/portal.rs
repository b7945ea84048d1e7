//! Test harness for the web portal: a demo store whose contacts have passwords, a real
//! `desk serve`, and a visitor that keeps its session cookie the way a browser does.
//! Used through `#[path = "common/portal.rs"] mod portal;` next to `mod desk;`.
#![allow(dead_code, unused_macros)]

use reqwest::header::{HeaderMap, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::{StatusCode, redirect};

use crate::desk::{NOW, Server, Store, desk, with_stdin};

/// Every contact of the demo gets this password.
pub const PASSWORD: &str = "a long enough password";

/// `desk contact set-password LOGIN` on `store`, the password on stdin.
pub fn set_password(store: &Store, login: &str, password: &str) {
    let mut command = desk();
    command
        .args(store.args())
        .args(["contact", "set-password", login]);
    let out = with_stdin(command, &format!("{password}\n"));
    assert!(
        out.status.success(),
        "set-password {login}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `desk --json ARGS` on the store as `login` and returns its JSON.
pub fn cli(store: &Store, login: &str, args: &[&str]) -> serde_json::Value {
    let out = desk()
        .args(store.args())
        .args(["--as", login, "--json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "desk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The ticket numbers of a JSON list, in order.
pub fn numbers(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap().to_string())
        .collect()
}

/// Portal tests on both stores: for each `name(tickets)`, the test body `async fn
/// name(p: Portal)` runs as `sqlite::name` on a SQLite demo desk of `tickets` tickets
/// and as `postgres::name` on a PostgreSQL one (skipped, saying so, without a test
/// server; under `CI=true` a failure). Used with `#[macro_use]` on `mod portal`.
macro_rules! on_both_stores {
    ($($name:ident($tickets:expr)),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(crate::portal::Portal::start($tickets)).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                let Some(p) = crate::portal::Portal::start_pg(stringify!($name), $tickets)
                else {
                    return;
                };
                super::$name(p).await;
            })*
        }
    };
}

pub struct Portal {
    pub url: String,
    // The server goes before its store (a PostgreSQL test database is dropped with it).
    server: Option<Server>,
    pub store: Store,
}

impl Portal {
    /// A demo desk with `tickets` generated tickets; every contact has `PASSWORD`.
    pub fn start(tickets: u64) -> Portal {
        Portal::start_with(tickets, &[])
    }

    pub fn start_with(tickets: u64, args: &[&str]) -> Portal {
        Portal::start_on(Store::demo(tickets), args)
    }

    /// The same on a PostgreSQL desk; `None` (having said so) without a test server
    /// (`DESK_TEST_DATABASE_URL`; under `CI=true` a failure).
    pub fn start_pg(test: &str, tickets: u64) -> Option<Portal> {
        Some(Portal::start_on(Store::demo_pg(test, tickets)?, &[]))
    }

    /// A portal on `store` (a demo desk); every contact gets `PASSWORD`.
    pub fn start_on(store: Store, args: &[&str]) -> Portal {
        let _ = rustls::crypto::ring::default_provider().install_default();
        for login in [
            "lisa@contoso.example",
            "kim@contoso.example",
            "ravi@fabrikam.example",
            "mia@fabrikam.example",
            "pat@tailspin.example",
        ] {
            set_password(&store, login, PASSWORD);
        }
        let server = Server::start_on_at(&store, NOW, args);
        Portal {
            url: server.url.clone(),
            server: Some(server),
            store,
        }
    }

    /// Stops the server and starts another on the same store with its clock at `now`.
    pub fn restart_at(&mut self, now: &str, args: &[&str]) {
        self.server = None;
        let server = Server::start_on_at(&self.store, now, args);
        self.url = server.url.clone();
        self.server = Some(server);
    }

    pub fn visitor(&self) -> Visitor {
        Visitor {
            url: self.url.clone(),
            http: reqwest::Client::builder()
                .redirect(redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: None,
        }
    }

    /// A visitor signed in as `login` with `PASSWORD`.
    pub async fn signed_in(&self, login: &str) -> Visitor {
        let mut v = self.visitor();
        let res = v
            .post(
                "/portal/sign-in",
                &[("login", login), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(v.cookie.is_some(), "no session cookie");
        v
    }
}

/// One answer: status, headers and the body as text.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The number of the ticket a new-ticket form answered with (its redirect).
    pub fn submitted(&self) -> String {
        let n = self.location().strip_prefix("/portal/tickets/");
        let n = n.and_then(|n| n.strip_suffix("?submitted=1"));
        n.unwrap_or_else(|| panic!("not a submitted ticket: {self:?}"))
            .to_string()
    }

    /// The value of the first `<input name="NAME" ... value="...">`.
    pub fn input(&self, name: &str) -> Option<String> {
        let at = self.body.find(&format!("name=\"{name}\""))?;
        let start = self.body[..at].rfind('<')?;
        let end = at + self.body[at..].find('>')?;
        let tag = &self.body[start..end];
        let v = tag.split_once("value=\"")?.1;
        Some(unescape(&v[..v.find('"')?]))
    }

    /// The text of `<textarea id="ID">`.
    pub fn textarea(&self, id: &str) -> Option<String> {
        let at = self.body.find(&format!("<textarea id=\"{id}\""))?;
        let open = at + self.body[at..].find('>')? + 1;
        let close = open + self.body[open..].find("</textarea>")?;
        Some(unescape(&self.body[open..close]))
    }

    /// The ticket numbers the page links to, in order, each once.
    pub fn ticket_links(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for part in self.body.split("href=\"/portal/tickets/T").skip(1) {
            let n = format!("T{}", &part[..part.find('"').unwrap_or(0)]);
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    /// The page's visible text, roughly: tags dropped, entities decoded.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        unescape(&out.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The next-page link, decoded.
    pub fn next_page(&self) -> Option<String> {
        let at = self.body.find("rel=\"next\"")?;
        let start = self.body[..at].rfind("href=\"")? + 6;
        let end = start + self.body[start..].find('"')?;
        Some(unescape(&self.body[start..end]))
    }
}

/// Undoes the HTML escaping of a value (decimal and the usual named entities).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let entity = &tail[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            _ => entity
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A browser-like client: no redirects followed, the session cookie kept.
pub struct Visitor {
    pub url: String,
    http: reqwest::Client,
    pub cookie: Option<String>,
}

impl Visitor {
    fn keep_cookie(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE) {
            let v = v.to_str().unwrap_or("");
            let pair = v.split(';').next().unwrap_or("");
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if name.ends_with("desk_portal") {
                self.cookie = (!value.is_empty()).then(|| format!("{name}={value}"));
            }
        }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let req = match &self.cookie {
            Some(c) => req.header("cookie", c),
            None => req,
        };
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        self.keep_cookie(&headers);
        let body = res.text().await.unwrap();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.http.get(format!("{}{path}", self.url));
        self.send(req).await
    }

    /// A form post as a browser sends it from this server's page (with its `Origin`).
    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let origin = self.url.clone();
        self.post_from(path, Some(&origin), form).await
    }

    /// A form post with other headers (another `Origin`, none at all).
    pub async fn post_from(
        &mut self,
        path: &str,
        origin: Option<&str>,
        form: &[(&str, &str)],
    ) -> Page {
        let mut req = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(form).unwrap());
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        self.send(req).await
    }

    /// Every ticket number *my tickets* lists from `path` on, following "Next page".
    pub async fn all_pages(&mut self, path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut next = Some(path.to_string());
        while let Some(path) = next {
            let page = self.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            out.extend(page.ticket_links().into_iter().filter(|n| n != "new"));
            next = page.next_page();
        }
        out
    }

    /// The CSRF token of this visitor's forms, read from a page that has one.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/portal/tickets/new").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.input("csrf").expect("a csrf field")
    }
}
