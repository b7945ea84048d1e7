//! Every refusal of `desk serve` under `/api/` is the one JSON error shape
//! (`{"error": {"code", "message", "field"?}}`), with the right status and, where one
//! input is to blame, that input named: bad paths, queries, headers and bodies, whether
//! the HTTP parser, axum's extractors or desk's own checks refused them. And a refused
//! request changes nothing. docs/serve.md lists the refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;
#[path = "common/raw.rs"]
mod raw;

use desk::{Server, Store};
use raw::{Answer, addr_of, exchange};
use std::net::SocketAddr;

struct Api {
    addr: SocketAddr,
    anna: String,
    lisa: String,
    store: Store,
    _server: Server,
}

fn start() -> Api {
    let store = Store::demo(30);
    let anna = store.token("anna");
    let lisa = store.token("lisa@contoso.example");
    let server = Server::start(store.path());
    Api {
        addr: addr_of(&server.url),
        anna,
        lisa,
        store,
        _server: server,
    }
}

/// Checks that `a` is the one error shape with `status`, `code` and `field`, and that
/// its message says something (more than the status line would).
fn assert_refusal(a: &Answer, status: u16, code: &str, field: Option<&str>, what: &str) {
    assert_eq!(a.status, status, "{what}: {}\n{}", a.head, a.body);
    assert_eq!(
        a.header("content-type").as_deref(),
        Some("application/json"),
        "{what}: {}",
        a.head
    );
    let v = a.json();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.keys().collect::<Vec<_>>(), ["error"], "{what}: {v}");
    let e = v["error"].as_object().unwrap();
    for k in e.keys() {
        assert!(
            ["code", "message", "field"].contains(&k.as_str()),
            "{what}: {v}"
        );
    }
    assert_eq!(e["code"], code, "{what}: {v}");
    assert_eq!(
        e.get("field").and_then(|f| f.as_str()),
        field,
        "{what}: {v}"
    );
    let message = e["message"].as_str().unwrap();
    assert!(message.len() > 12, "{what}: {v}");
    if let Some(f) = field {
        assert!(message.contains(f), "{what}: the message names {f}: {v}");
    }
}

/// A request, and the status, code and field of its refusal, and what it tries.
type Case = (
    Vec<u8>,
    u16,
    &'static str,
    Option<&'static str>,
    &'static str,
);

/// Sends each case's request on a connection of its own; each is refused as it says.
async fn refuses_all(api: &Api, cases: Vec<Case>) {
    for (request, status, code, field, what) in cases {
        let a = exchange(api.addr, &request).await;
        assert_refusal(&a, status, code, field, what);
    }
}

fn get(path: &str, token: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn post(path: &str, token: &str, ctype: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {token}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The tickets a staff member sees, to compare the store before and after.
async fn all_tickets(api: &Api) -> String {
    let a = exchange(api.addr, &get("/api/v1/tickets?limit=1000", &api.anna)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body
}

#[tokio::test]
async fn paging_out_of_bounds_is_refused_naming_limit_or_after() {
    let api = start();
    let (anna, lisa) = (api.anna.clone(), api.lisa.clone());
    for (path, token) in [
        ("/api/v1/tickets", &anna),
        ("/api/v1/portal/tickets", &lisa),
        ("/api/v1/notifications", &anna),
    ] {
        // The same bounds as the CLI's --limit: 1 to 1000.
        for limit in ["0", "1001", "4294967295", "4294967296", "-1"] {
            let a = exchange(api.addr, &get(&format!("{path}?limit={limit}"), token)).await;
            let status = if limit.starts_with('-') || limit == "4294967296" {
                400
            } else {
                422
            };
            assert_refusal(
                &a,
                status,
                "invalid",
                Some("limit"),
                &format!("{path} limit={limit}"),
            );
            assert!(
                a.json()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("1000")
                    || status == 400
            );
        }
        let a = exchange(api.addr, &get(&format!("{path}?limit=lots"), token)).await;
        assert_refusal(
            &a,
            400,
            "invalid",
            Some("limit"),
            &format!("{path} limit=lots"),
        );
        for limit in ["1", "1000"] {
            let a = exchange(api.addr, &get(&format!("{path}?limit={limit}"), token)).await;
            assert_eq!(a.status, 200, "{path} limit={limit}: {}", a.body);
        }
    }
    for (path, token) in [
        ("/api/v1/tickets", &anna),
        ("/api/v1/portal/tickets", &lisa),
        ("/api/v1/notifications", &anna),
    ] {
        for after in ["-1", "0", "abc", "9223372036854775808"] {
            let a = exchange(api.addr, &get(&format!("{path}?after={after}"), token)).await;
            assert_refusal(
                &a,
                422,
                "invalid",
                Some("after"),
                &format!("{path} after={after}"),
            );
        }
    }
}

#[tokio::test]
async fn bad_paths_queries_and_headers_get_the_json_error_naming_what() {
    let api = start();
    let anna = api.anna.clone();
    let cases: Vec<Case> = vec![
        (
            get("/api/v1/tickets/%FF%FE", &anna),
            400,
            "invalid",
            Some("number"),
            "percent-encoded invalid UTF-8 in the path",
        ),
        (
            get("/api/v1/portal/tickets/%C3%28", &api.lisa),
            400,
            "invalid",
            Some("number"),
            "a broken UTF-8 sequence in a portal path",
        ),
        (
            get("/api/v1/tickets?queue=%FF", &anna),
            400,
            "invalid",
            Some("queue"),
            "invalid UTF-8 in a query value",
        ),
        (
            get("/api/v1/tickets?due_before=soon", &anna),
            400,
            "invalid",
            Some("due_before"),
            "a query value of the wrong type",
        ),
        (
            get("/api/v1/tickets?stauts=New", &anna),
            400,
            "invalid",
            Some("stauts"),
            "an unknown query parameter",
        ),
        (
            get("/api/v1/tickets?open=maybe", &anna),
            400,
            "invalid",
            Some("open"),
            "a query flag that is not a boolean",
        ),
        (
            format!("GET /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {anna}\r\nAuthorization: Bearer {anna}\r\nConnection: close\r\n\r\n").into_bytes(),
            400,
            "invalid",
            Some("authorization"),
            "two Authorization headers",
        ),
        (
            format!("GET /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {anna}\r\nAuthorization: Bearer desk_other\r\nConnection: close\r\n\r\n").into_bytes(),
            400,
            "invalid",
            Some("authorization"),
            "two different Authorization headers",
        ),
        (
            b"GET /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n".to_vec(),
            401,
            "unauthorized",
            None,
            "a token that is not text",
        ),
        (
            get("/api/v1/no/such/route", &anna),
            404,
            "not_found",
            None,
            "a route that does not exist",
        ),
        (
            get("/nowhere", &anna),
            404,
            "not_found",
            None,
            "a path outside /api/v1",
        ),
        (
            b"PUT /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
            405,
            "invalid",
            None,
            "a method the route does not take",
        ),
        // The HTTP parser's own refusals (hyper answers them before any route runs).
        (
            b"GET /api/v1/tickets/\xff\xfe HTTP/1.1\r\nHost: desk\r\nConnection: close\r\n\r\n".to_vec(),
            400,
            "invalid",
            None,
            "raw invalid UTF-8 in the request line",
        ),
        (
            b"GET /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nBad Header: x\r\n\r\n".to_vec(),
            400,
            "invalid",
            None,
            "a header name with a space",
        ),
        (
            format!("GET /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nX-Big: {}\r\n\r\n", "a".repeat(500_000)).into_bytes(),
            431,
            "invalid",
            None,
            "headers over the size limit",
        ),
        (
            b"GET /api/v1/tickets HTTP/9.9\r\nHost: desk\r\n\r\n".to_vec(),
            400,
            "invalid",
            None,
            "an unknown HTTP version",
        ),
        (
            b"NOT-HTTP\r\n\r\n".to_vec(),
            400,
            "invalid",
            None,
            "not HTTP at all",
        ),
    ];
    refuses_all(&api, cases).await;
}

#[tokio::test]
async fn bad_bodies_get_the_json_error_naming_the_field_and_write_nothing() {
    let api = start();
    let anna = api.anna.clone();
    let before = all_tickets(&api).await;
    let json = "application/json";
    let cases: Vec<Case> = vec![
        (
            post("/api/v1/tickets", &anna, json, "{\"title\": \"half"),
            400,
            "invalid",
            None,
            "JSON cut off",
        ),
        (
            post("/api/v1/tickets", &anna, "application/x-www-form-urlencoded", "title=x"),
            415,
            "invalid",
            None,
            "a form instead of JSON",
        ),
        (
            format!("POST /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {anna}\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{{\"title\":1}}").into_bytes(),
            415,
            "invalid",
            None,
            "no content type",
        ),
        (
            post("/api/v1/tickets", &anna, json, "{\"queue\": \"Level 1\"}"),
            422,
            "invalid",
            Some("title"),
            "a missing field",
        ),
        (
            post("/api/v1/tickets", &anna, json, "{\"title\": \"x\", \"stauts\": \"New\"}"),
            422,
            "invalid",
            Some("stauts"),
            "an unknown field",
        ),
        (
            post("/api/v1/tickets", &anna, json, "{\"title\": 7}"),
            422,
            "invalid",
            Some("title"),
            "a field of the wrong type",
        ),
        (
            post("/api/v1/series", &anna, json, "{\"title\": \"s\", \"company\": \"Contoso\", \"first_due\": \"2026-12-01T08:00:00Z\", \"every_days\": -3, \"count\": 2}"),
            422,
            "invalid",
            Some("every_days"),
            "a negative count",
        ),
        (
            post("/api/v1/tickets", &anna, json, "\"a ticket\""),
            422,
            "invalid",
            None,
            "a string instead of an object",
        ),
        (
            post("/api/v1/tickets", &anna, json, "{\"title\": \"\\ud800\"}"),
            400,
            "invalid",
            None,
            "a lone surrogate in a JSON string",
        ),
        (
            [
                post("/api/v1/tickets", &anna, json, "{\"title\":\"?\"}")
                    .strip_suffix(b"?\"}")
                    .unwrap(),
                b"\xff\"}",
            ]
            .concat(),
            400,
            "invalid",
            None,
            "invalid UTF-8 in a JSON body",
        ),
        (
            post("/api/v1/tickets", &anna, json, "{\"title\": \"Same\", \"title\": \"twice\"}"),
            422,
            "invalid",
            Some("title"),
            "a field given twice",
        ),
    ];
    refuses_all(&api, cases).await;
    assert_eq!(
        all_tickets(&api).await,
        before,
        "a refused body wrote something"
    );
    drop(api.store);
}
