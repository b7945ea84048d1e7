//! `desk serve` through raw HTTP: identity (401), the visibility and permission matrix
//! per identity kind (404 / 403), bad bodies and queries (400 / 413 / 415 / 422), stale
//! versions (409), and that a refused request writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;

use desk::{Server, Store};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;

struct Api {
    url: String,
    tokens: HashMap<String, String>,
    http: reqwest::Client,
    _server: Server,
    _store: Store,
}

impl Api {
    fn start() -> Api {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = Store::demo(40);
        let tokens = store.tokens();
        let server = Server::start(store.path());
        Api {
            url: format!("{}/api/v1", server.url),
            tokens,
            http: reqwest::Client::new(),
            _server: server,
            _store: store,
        }
    }

    /// Sends a request as `login` (None: no token) and returns the status and JSON body.
    async fn call(
        &self,
        login: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.url));
        if let Some(l) = login {
            req = req.bearer_auth(&self.tokens[l]);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    async fn get(&self, login: &str, path: &str) -> (StatusCode, Value) {
        self.call(Some(login), Method::GET, path, None).await
    }

    async fn create(&self, login: &str, body: Value) -> String {
        let (st, t) = self
            .call(Some(login), Method::POST, "/tickets", Some(body))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{t}");
        t["number"].as_str().unwrap().to_string()
    }
}

fn code(v: &Value) -> &str {
    v["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {v}"))
}

#[tokio::test]
async fn a_revoked_token_stops_working_at_once() {
    let api = Api::start();
    let (st, _) = api.get("kim@contoso.example", "/portal/tickets").await;
    assert_eq!(st, StatusCode::OK);
    let out = desk::desk()
        .arg("--data")
        .arg(api._store.path())
        .args(["token", "revoke", "kim@contoso.example"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("revoked 1 token"),
        "{out:?}"
    );
    let (st, body) = api.get("kim@contoso.example", "/portal/tickets").await;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    // Others' tokens still work.
    let (st, _) = api.get("anna", "/tickets").await;
    assert_eq!(st, StatusCode::OK);
}

/// A token made for one hour, two hours before the server's now: refused with 401 and a
/// message that says it expired (and when), on reads and on writes, which write nothing.
#[tokio::test]
async fn an_expired_token_gets_401_saying_so_and_writes_nothing() {
    let api = Api::start();
    let out = desk::desk()
        .env("DESK_NOW", "2026-11-29T07:30:00Z")
        .arg("--data")
        .arg(api._store.path())
        .args(["token", "create", "ben", "--expires", "1h"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("expires 2026-11-29 09:30 CET"), "{stderr}");
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();

    let res = api
        .http
        .get(format!("{}/tickets", api.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert_eq!(code(&body), "unauthorized");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("expired at 2026-11-29 08:30:00 UTC"),
        "{message}"
    );

    let res = api
        .http
        .post(format!("{}/tickets", api.url))
        .bearer_auth(&token)
        .json(&json!({"title": "after the end"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (_, page) = api.get("anna", "/tickets?search=after%20end").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 0, "{page}");
}

#[tokio::test]
async fn requests_without_a_valid_token_get_401() {
    let api = Api::start();
    let (st, body) = api.call(None, Method::GET, "/tickets", None).await;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    for header in [
        "Bearer desk_forged0000",
        "Basic YW5uYTphbm5h",
        "Bearer ",
        "desk_abc",
    ] {
        let res = api
            .http
            .get(format!("{}/tickets", api.url))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{header}");
        assert!(res.headers().contains_key("www-authenticate"));
    }
    // A forged token on a write writes nothing.
    let res = api
        .http
        .post(format!("{}/tickets", api.url))
        .bearer_auth("desk_forged")
        .json(&json!({"title": "sneaky"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (_, page) = api.get("anna", "/tickets?search=sneaky").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 0);
    // The API description is public.
    let res = api
        .http
        .get(format!("{}/openapi.json", api.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn each_identity_sees_and_does_only_what_the_rules_allow() {
    let api = Api::start();
    let secret = "internal: customer owes us money";
    let contoso = api.create("anna", json!({"title": "Contoso printer", "company": "Contoso", "contact": "kim@contoso.example"})).await;
    let (st, _) = api
        .call(
            Some("anna"),
            Method::POST,
            &format!("/tickets/{contoso}/notes"),
            Some(json!({"text": secret})),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let fabrikam = api.create("anna", json!({"title": "Fabrikam VPN", "company": "Fabrikam", "contact": "ravi@fabrikam.example"})).await;
    let other_kim = api.create("anna", json!({"title": "Lisa's laptop", "company": "Contoso", "contact": "lisa@contoso.example"})).await;

    // Contacts: their portal only; never another company's ticket, never an internal note.
    let (st, t) = api
        .get("kim@contoso.example", &format!("/portal/tickets/{contoso}"))
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        !t.to_string().contains(secret),
        "R6: internal note leaked: {t}"
    );
    let (st, page) = api
        .get("kim@contoso.example", "/portal/tickets?limit=1000")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(!page.to_string().contains(secret));
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["company"] == "Contoso")
    );
    for (who, number, why) in [
        ("kim@contoso.example", &fabrikam, "another company"),
        ("kim@contoso.example", &other_kim, "basic: not hers"),
        (
            "lisa@contoso.example",
            &fabrikam,
            "manager of another company",
        ),
        ("ravi@fabrikam.example", &contoso, "another company"),
    ] {
        let (st, body) = api.get(who, &format!("/portal/tickets/{number}")).await;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{who} {why}"
        );
        let (st, _) = api
            .call(
                Some(who),
                Method::POST,
                &format!("/portal/tickets/{number}/notes"),
                Some(json!({"text": "hi"})),
            )
            .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{who} notes on {why}");
    }
    let (st, _) = api
        .get(
            "lisa@contoso.example",
            &format!("/portal/tickets/{other_kim}"),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::OK,
        "manager sees every ticket of the company"
    );
    let (_, page) = api.get("pat@tailspin.example", "/portal/tickets").await;
    assert!(
        page.get("items")
            .is_none_or(|i| i.as_array().unwrap().is_empty()),
        "portal none: {page}"
    );
    // Provider-only lists and staff views: refused to contacts, whatever the number.
    for path in ["/tickets".to_string(), format!("/tickets/{contoso}")] {
        let (st, body) = api.get("lisa@contoso.example", &path).await;
        assert_eq!(
            (st, code(&body)),
            (StatusCode::FORBIDDEN, "not_allowed"),
            "{path}"
        );
    }

    // Taskfire resource: only the company's Taskfire desk.
    let (st, _) = api.get("tom", &format!("/tickets/{contoso}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "not shared with Contoso's desk");
    let (_, page) = api.get("tom", "/tickets?limit=1000").await;
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["desk"] == "Contoso"),
        "{page}"
    );

    // R8: a resource without Service Desk access, not assigned: 403 and nothing changes.
    let (st, body) = api
        .call(
            Some("ben"),
            Method::DELETE,
            &format!("/tickets/{fabrikam}"),
            None,
        )
        .await;
    assert_eq!((st, code(&body)), (StatusCode::FORBIDDEN, "not_allowed"));
    let assign = json!({"queue": "Contoso IT", "note": "please"});
    let (st, _) = api
        .call(
            Some("ben"),
            Method::POST,
            &format!("/tickets/{contoso}/taskfire/assign"),
            Some(assign),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, t) = api.get("anna", &format!("/tickets/{fabrikam}")).await;
    assert_eq!((st, t["taskfire"].clone()), (StatusCode::OK, Value::Null));
    let (st, _) = api
        .call(
            Some("anna"),
            Method::DELETE,
            &format!("/tickets/{fabrikam}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn stale_versions_get_409_and_bad_input_names_the_field() {
    let api = Api::start();
    let n = api.create("anna", json!({"title": "Versioned"})).await;
    let path = format!("/tickets/{n}");
    let (st, t) = api
        .call(
            Some("anna"),
            Method::PATCH,
            &path,
            Some(json!({"status": "In Progress", "expected_version": 1})),
        )
        .await;
    assert_eq!((st, t["version"].clone()), (StatusCode::OK, json!(2)));
    let (st, body) = api
        .call(
            Some("anna"),
            Method::PATCH,
            &path,
            Some(json!({"status": "New", "expected_version": 1})),
        )
        .await;
    assert_eq!((st, code(&body)), (StatusCode::CONFLICT, "conflict"));

    let (st, body) = api
        .call(
            Some("anna"),
            Method::POST,
            "/tickets",
            Some(json!({"title": " "})),
        )
        .await;
    assert_eq!(
        (st, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("title"))
    );
    let (st, body) = api
        .call(
            Some("anna"),
            Method::POST,
            "/tickets",
            Some(json!({"title": 7})),
        )
        .await;
    assert_eq!(body["error"]["field"], "title", "{body}");
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = json!({"queue": "Level 1"});
    let (st, body) = api
        .call(Some("anna"), Method::POST, "/tickets", Some(missing))
        .await;
    assert_eq!(
        (st, &body["error"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("title"))
    );
    assert!(
        body["error"]["message"].as_str().unwrap().contains("title"),
        "{body}"
    );
    let (st, body) = api
        .call(
            Some("anna"),
            Method::POST,
            "/tickets",
            Some(json!({"title": "x", "stauts": "New"})),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("stauts"),
        "{body}"
    );
    let (st, body) = api.get("anna", "/tickets?limit=lots").await;
    assert_eq!((st, code(&body)), (StatusCode::BAD_REQUEST, "invalid"));
    let (st, body) = api.call(Some("anna"), Method::PUT, "/tickets", None).await;
    assert_eq!(
        (st, code(&body)),
        (StatusCode::METHOD_NOT_ALLOWED, "invalid"),
        "{body}"
    );
    let (st, body) = api.get("anna", "/no/such/route").await;
    assert_eq!((st, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_refused_whole() {
    let api = Api::start();
    // The server answers an oversized body without reading it and drops the connection;
    // a client without a pool never sends a later request down that dropped connection.
    let raw = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let post = |body: Vec<u8>, ctype: &'static str| {
        raw.post(format!("{}/tickets", api.url))
            .bearer_auth(&api.tokens["anna"])
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    let res = post(b"{\"title\": \"half".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert_eq!(code(&v), "invalid");
    let res = post(b"title=x".to_vec(), "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge =
        serde_json::to_vec(&json!({"title": "big", "description": "x".repeat(200_000)})).unwrap();
    let res = post(huge, "application/json").await.unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = res.json().await.unwrap();
    assert_eq!(code(&v), "invalid");
    // A series that breaks a rule halfway writes none of its tickets.
    let series = json!({"title": "Never", "company": "Nope Inc", "first_due": "2026-12-01T08:00:00Z", "every_days": 7, "count": 3});
    let (st, _) = api
        .call(Some("anna"), Method::POST, "/series", Some(series))
        .await;
    assert!(st.is_client_error());
    api.create("anna", json!({"title": "Findable kettle"}))
        .await;
    let (_, page) = api.get("anna", "/tickets?search=kettle").await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        1,
        "search works: {page}"
    );
    for search in ["half", "big", "Never"] {
        let (_, page) = api.get("anna", &format!("/tickets?search={search}")).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 0, "{search}");
    }
}
