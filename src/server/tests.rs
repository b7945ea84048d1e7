//! In-process tests of the server with typed backends: a demo store, the router on a
//! real loopback listener, and a `LocalBackend` or `RemoteBackend` per identity.

mod bodies;
mod contract;
mod groups;
mod kept;
mod live;
mod timeouts;

/// Raw HTTP, shared with the tests of the real binary.
#[path = "../../tests/common/raw.rs"]
pub mod raw;

use desk_engine::{Clock, Engine, Setup};
use std::collections::HashMap;
use std::path::PathBuf;
use tokio::sync::watch;

use crate::backend::{Backend, LocalBackend, RemoteBackend};

pub const NOW: &str = "2026-11-29T09:30:00Z";
pub const LOGINS: [&str; 7] = [
    "anna",
    "ben",
    "tom",
    "lisa@contoso.example",
    "kim@contoso.example",
    "pat@tailspin.example",
    "ravi@fabrikam.example",
];

pub fn clock() -> Clock {
    Clock::Fixed(NOW.parse().unwrap())
}

/// A demo store with `tickets` generated tickets, deleted with the returned folder.
pub fn demo_store(tickets: u64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = desk_engine::store::store_path(dir.path());
    let setup = Setup::parse("assets/demo.toml", crate::DEMO_SETUP).unwrap();
    Engine::init(&path, &setup).unwrap();
    if tickets > 0 {
        Engine::open(&path, clock())
            .unwrap()
            .generate_demo_tickets(tickets, 42)
            .unwrap();
    }
    (dir, path)
}

/// Who acts through which backend, for one side of the contract.
pub struct Side {
    pub as_: HashMap<&'static str, Box<dyn Backend>>,
}

impl Side {
    pub fn by(&self, login: &str) -> &dyn Backend {
        self.as_[login].as_ref()
    }
}

pub fn local_side(path: &std::path::Path) -> Side {
    let as_ = LOGINS
        .iter()
        .map(|l| {
            let engine = Engine::open(path, clock()).unwrap();
            let b: Box<dyn Backend> = Box::new(LocalBackend::new(engine, Some(l)).unwrap());
            (*l, b)
        })
        .collect();
    Side { as_ }
}

/// The router on 127.0.0.1:0 in this runtime; the sender stops it (and its feeds).
pub struct TestServer {
    pub url: String,
    pub stop: watch::Sender<bool>,
    pub tokens: HashMap<&'static str, String>,
}

pub async fn start(path: &std::path::Path) -> TestServer {
    let mut engine = Engine::open(path, clock()).unwrap();
    let tokens = LOGINS
        .iter()
        .map(|l| (*l, engine.create_token(l, None).unwrap()))
        .collect();
    serve_at(path, "127.0.0.1:0", tokens).await
}

/// The router on `addr` (a port another test server just left, say: binding is retried
/// for a few seconds), with tokens made before.
pub async fn serve_at(
    path: &std::path::Path,
    addr: &str,
    tokens: HashMap<&'static str, String>,
) -> TestServer {
    serve_with(path, addr, tokens, |_| {}).await
}

/// `serve_at`, with the server's state changed by `tweak` first.
pub async fn serve_with(
    path: &std::path::Path,
    addr: &str,
    tokens: HashMap<&'static str, String>,
    tweak: impl FnOnce(&mut super::AppState),
) -> TestServer {
    let (stop, stop_rx) = watch::channel(false);
    let mut state = super::state(path, clock(), stop_rx.clone(), super::Limits::default()).unwrap();
    tweak(&mut state);
    let mut tries = 0;
    let listener = loop {
        match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => break l,
            Err(_) if tries < 100 => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("cannot bind {addr}: {e}"),
        }
    };
    let url = format!("http://{}", listener.local_addr().unwrap());
    spawn_listener(listener, state, stop_rx);
    TestServer { url, stop, tokens }
}

/// Serves `state` on `listener` in this runtime until `stop` turns true.
pub fn spawn_listener(
    listener: tokio::net::TcpListener,
    state: super::AppState,
    stop: watch::Receiver<bool>,
) {
    let conns = state.conns.clone();
    tokio::spawn(super::listen::run(listener, super::app(state), conns, stop));
}

impl TestServer {
    pub fn remote(&self, login: &str) -> RemoteBackend {
        RemoteBackend::new(&self.url, &self.tokens[login]).unwrap()
    }

    pub fn side(&self) -> Side {
        let as_ = LOGINS
            .iter()
            .map(|l| {
                let b: Box<dyn Backend> = Box::new(self.remote(l));
                (*l, b)
            })
            .collect();
        Side { as_ }
    }
}

#[test]
fn the_openapi_document_lists_exactly_the_routes() {
    let doc = crate::api::openapi::document();
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = super::routes()
        .listed
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
}

/// Every listed (method, path) reaches a handler of the real router: without a token it
/// answers 401 (or 200 for the public document), never 404 or 405.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_listed_route_is_served_with_its_methods() {
    let (_d, path) = demo_store(0);
    let server = start(&path).await;
    // reqwest is built without a default TLS provider (as in RemoteBackend::new).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    for (method, route) in super::routes().listed {
        let url = format!("{}/api/v1{}", server.url, route.replace("{number}", "T1"));
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let status = http
            .request(method.clone(), url)
            .send()
            .await
            .unwrap()
            .status();
        let expected = if route == "/openapi.json" { 200 } else { 401 };
        assert_eq!(status.as_u16(), expected, "{method} {route}");
    }
    let _ = server.stop.send(true);
}

#[test]
fn every_schema_the_openapi_document_names_is_defined() {
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc = crate::api::openapi::document();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(doc["components"]["schemas"].get(name).is_some(), "{r}");
    }
}
