//! Graceful shutdown of the real `desk serve`: on SIGTERM it stops accepting, finishes
//! what is in flight, ends the change feeds and exits 0; every write it acknowledged is
//! in the store afterwards.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;

use desk::{Server, Store};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Acknowledged creates before the signal is sent.
const BEFORE_SIGNAL: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_loses_no_acknowledged_write() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let store = Store::demo(0);
    let token = store.token("anna");
    let mut server = Server::start(store.path());
    let url = format!("{}/api/v1", server.url);
    let http = reqwest::Client::new();

    // An open change feed must not hold the shutdown up.
    let mut feed = http
        .get(format!("{url}/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(feed.status().is_success());

    let acked = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for i in 0..8 {
        let (http, url, token, acked) = (http.clone(), url.clone(), token.clone(), acked.clone());
        writers.push(tokio::spawn(async move {
            let mut numbers = Vec::new();
            for j in 0.. {
                let body = json!({"title": format!("writer {i} ticket {j}")});
                // Once the server stops, a request fails to connect or is refused: stop.
                let Ok(res) = http
                    .post(format!("{url}/tickets"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                else {
                    break;
                };
                if res.status() != reqwest::StatusCode::CREATED {
                    break;
                }
                let Ok(t) = res.json::<Value>().await else {
                    break;
                };
                numbers.push(t["number"].as_str().unwrap().to_string());
                acked.fetch_add(1, Ordering::SeqCst);
            }
            numbers
        }));
    }
    // Wait on the feed (not on a clock) until enough writes were acknowledged.
    while acked.load(Ordering::SeqCst) < BEFORE_SIGNAL {
        feed.chunk().await.unwrap().unwrap();
    }
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::task::spawn_blocking(move || server.wait())
        .await
        .unwrap();
    assert!(status.success(), "desk serve exited with {status}");
    while let Ok(Some(_)) = feed.chunk().await {}

    let mut numbers = Vec::new();
    for w in writers {
        numbers.extend(w.await.unwrap());
    }
    assert!(numbers.len() >= BEFORE_SIGNAL);
    let out = desk::desk()
        .arg("--data")
        .arg(store.path())
        .args(["--json", "ticket", "list", "--limit", "1000"])
        .output()
        .unwrap();
    let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
    let stored: Vec<&str> = stored
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    for n in &numbers {
        assert!(
            stored.contains(&n.as_str()),
            "acknowledged {n} is not in the store"
        );
    }
}

#[test]
fn a_sigterm_right_after_the_listening_line_is_a_clean_stop() {
    let store = Store::demo(0);
    let mut server = Server::start(store.path());
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = server.wait();
    assert!(status.success(), "desk serve exited with {status}");
}
