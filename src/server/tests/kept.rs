//! Views kept (src/server/kept.rs; docs/architecture.md, "Views kept"): a page sent from
//! kept views is the page the engine builds, after every kind of change a view shows;
//! and in checking mode a kept view that differs from the ticket fails the page.

use desk_engine::model::*;
use desk_engine::{Engine, Error};
use std::collections::HashMap;
use std::sync::Arc;

use super::{LOGINS, TestServer, clock, demo_store, local_side, serve_with};
use crate::api::{PageDto, TicketDto};
use crate::server::kept::Kept;

async fn start_kept(path: &std::path::Path, kept: Arc<Kept>) -> TestServer {
    let mut engine = Engine::open(path, clock()).unwrap();
    let tokens: HashMap<&'static str, String> = LOGINS
        .iter()
        .map(|l| (*l, engine.create_token(l, None).unwrap()))
        .collect();
    serve_with(path, "127.0.0.1:0", tokens, move |s| s.kept = kept).await
}

fn level_1() -> TicketFilter {
    TicketFilter {
        queue: Match::is("Level 1"),
        ..TicketFilter::default()
    }
}

fn json(p: &Page<Ticket>) -> serde_json::Value {
    let items: Vec<TicketDto> = p.items.iter().cloned().map(TicketDto::from).collect();
    serde_json::json!({ "items": items, "next": p.next })
}

/// What each of `logins` sees on each list, through the server and built by the engine.
async fn same_pages(
    server: &TestServer,
    local: &super::Side,
    logins: &[&str],
    step: &str,
) -> Vec<Ticket> {
    let mut first = Vec::new();
    for login in logins {
        // Level 1 is a queue of the provider's desk; tom works on Contoso's.
        let filters = match *login {
            "tom" => vec![TicketFilter::default()],
            _ => vec![TicketFilter::default(), level_1()],
        };
        for filter in filters {
            let page = PageRequest {
                limit: 100,
                ..PageRequest::default()
            };
            let remote = crate::backend::Backend::list_tickets(
                &server.remote(login),
                filter.clone(),
                page.clone(),
            )
            .await
            .unwrap();
            let whole = filter == TicketFilter::default();
            let built = local.by(login).list_tickets(filter, page).await.unwrap();
            assert_eq!(json(&remote), json(&built), "{login} after {step}");
            // The page is written by hand from kept and new views: byte for byte what
            // `PageDto` writes.
            let url = format!("{}/api/v1/tickets?limit=100", server.url);
            if whole {
                let body = reqwest::Client::new()
                    .get(&url)
                    .bearer_auth(&server.tokens[login])
                    .send()
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap();
                let dto = PageDto {
                    items: built.items.iter().cloned().map(TicketDto::from).collect(),
                    next: built.next.clone(),
                };
                assert_eq!(
                    String::from_utf8_lossy(&body),
                    serde_json::to_string(&dto).unwrap(),
                    "{login} after {step}: the page's bytes"
                );
            }
            if first.is_empty() {
                first = remote.items;
            }
        }
    }
    first
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_from_kept_views_equal_fresh_pages_after_every_kind_of_change() {
    let (_dir, path) = demo_store(150);
    let kept = Arc::new(Kept::new(1 << 24, false));
    let server = start_kept(&path, kept.clone()).await;
    let local = local_side(&path);
    let staff = ["anna", "ben"];

    let items = same_pages(&server, &local, &staff, "the first pages").await;
    let before = kept.sent();
    same_pages(&server, &local, &staff, "nothing").await;
    assert!(
        kept.sent() > before + 100,
        "the second pages were not sent from kept views ({} then {})",
        before,
        kept.sent()
    );

    let anna = server.remote("anna");
    let open = |t: &&Ticket| t.status != "Complete" && t.taskfire.is_none();
    let contoso: Vec<&Ticket> = items
        .iter()
        .filter(open)
        .filter(|t| t.company.as_deref() == Some("Contoso"))
        .collect();
    assert!(
        contoso.len() >= 2,
        "two open Contoso tickets on the first page"
    );
    let (c, theirs) = (contoso[0].number.clone(), contoso[1]);
    let others: Vec<&Ticket> = items
        .iter()
        .filter(open)
        .filter(|t| t.number != c && t.number != theirs.number)
        .collect();
    let (a, b) = (others[0].number.clone(), others[1].number.clone());
    use crate::backend::Backend;
    anna.add_note(a.clone(), "called back".into(), false)
        .await
        .unwrap();
    same_pages(&server, &local, &staff, "an internal note").await;
    anna.add_note(a.clone(), "fixed for you".into(), true)
        .await
        .unwrap();
    same_pages(&server, &local, &staff, "a published note").await;
    let change = TicketChange {
        priority: Some("Critical".into()),
        title: Some("Renamed in the test".into()),
        ..TicketChange::default()
    };
    anna.update_ticket(b.clone(), change).await.unwrap();
    same_pages(&server, &local, &staff, "an update").await;

    // A customer's note puts the ticket in every technician's inbox; one of them opens it.
    let lisa = server.remote("lisa@contoso.example");
    let t = theirs;
    lisa.portal_show(t.number.clone()).await.unwrap();
    lisa.portal_note(t.number.clone(), "any news?".into())
        .await
        .unwrap();
    same_pages(&server, &local, &staff, "a customer's note").await;
    anna.mark_seen(t.number.clone()).await.unwrap();
    same_pages(&server, &local, &staff, "anna opened it").await;

    // Taskfire: the provider's view shows the Taskfire version's state, which its own
    // technician changes without moving the provider's version.
    let assign = TaskfireAssign {
        expected_version: None,
        queue: "Contoso IT".into(),
        resource: Some("tom".into()),
        due: None,
        note: "on site please".into(),
    };
    let shared = anna.taskfire_assign(c.clone(), assign).await.unwrap();
    {
        same_pages(&server, &local, &staff, "a Taskfire assignment").await;
        let tom = server.remote("tom");
        let theirs = tom
            .list_tickets(TicketFilter::default(), PageRequest::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|t| t.title == shared.title)
            .expect("the Taskfire version on tom's desk");
        let change = TicketChange {
            status: Some("In Progress".into()),
            ..TicketChange::default()
        };
        tom.update_ticket(theirs.number.clone(), change)
            .await
            .unwrap();
        same_pages(&server, &local, &staff, "tom's change on Taskfire").await;
        same_pages(&server, &local, &["tom"], "tom's change on Taskfire").await;
    }

    // A ticket created, listed and deleted, and another created in its place with the
    // clock frozen: SQLite gives it the same id, at version 1 again.
    let first = NewTicket {
        title: "Created to be deleted".into(),
        ..NewTicket::default()
    };
    let first = anna.create_ticket(first).await.unwrap();
    same_pages(&server, &local, &staff, "a create").await;
    anna.delete_ticket(first.number.clone(), None)
        .await
        .unwrap();
    let second = NewTicket {
        title: "Another in its place".into(),
        ..NewTicket::default()
    };
    let second = anna.create_ticket(second).await.unwrap();
    assert_eq!(second.version, first.version);
    same_pages(&server, &local, &staff, "a delete and a create").await;
    let _ = server.stop.send(true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_view_that_differs_from_the_ticket_fails_the_page_when_checked() {
    let (_dir, path) = demo_store(20);
    let kept = Arc::new(Kept::new(1 << 24, true));
    let server = start_kept(&path, kept.clone()).await;
    let anna = server.remote("anna");
    use crate::backend::Backend;
    let first = anna
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    // The same page again: every view is kept, checked, and equal.
    let again = anna
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap();
    assert_eq!(json(&first), json(&again));

    // The stamp of the first ticket as the engine gives it, and a wrong view under it.
    let engine = Engine::open(&path, clock()).unwrap();
    let actor = engine.actor("anna").unwrap();
    let mut stamps = Vec::new();
    engine
        .list_tickets_known(
            &actor,
            &TicketFilter::default(),
            &PageRequest::default(),
            &mut |s| {
                stamps.push(*s);
                false
            },
        )
        .map_err(|e: Error| e.to_string())
        .unwrap();
    kept.keep(
        stamps[0],
        axum::body::Bytes::from_static(b"{\"number\":\"stale\"}"),
    );
    let e = anna
        .list_tickets(TicketFilter::default(), PageRequest::default())
        .await
        .unwrap_err();
    assert!(
        e.message
            .contains(&format!("the kept view of {}", first.items[0].number)),
        "{e:?}"
    );
    let _ = server.stop.send(true);
}
