//! Request bodies with a short deadline: a body that stalls is answered 408 saying that
//! nothing was applied (and nothing was), on a connection that then closes; a body that
//! arrives slowly but in time is taken. The refusals before the body is read (401, 413)
//! are tested against the real binary (tests/server_floods.rs).

use desk_engine::model::{PageRequest, TicketFilter};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::raw;
use super::timeouts::limited;
use crate::backend::Backend;
use crate::server::Limits;

const SHORT: Duration = Duration::from_millis(300);

fn head(token: &str, length: usize) -> String {
    format!(
        "POST /api/v1/tickets HTTP/1.1\r\nHost: desk\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_is_408_and_applies_nothing() {
    let server = limited(Limits {
        body_time: SHORT,
        ..Limits::default()
    })
    .await;
    let body = r#"{"title": "stalled halfway"}"#;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(head(&server.token, body.len()).as_bytes())
        .await
        .unwrap();
    s.write_all(&body.as_bytes()[..10]).await.unwrap();
    let a = raw::read_answer(&mut s)
        .await
        .expect("closed without an answer");
    assert_eq!(a.status, 408, "{}", a.body);
    let v = a.json();
    assert_eq!(v["error"]["code"], "timeout", "{v}");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(message.contains("nothing was applied"), "{message}");
    assert!(!message.contains("may still"), "{message}");
    assert_eq!(a.header("connection").as_deref(), Some("close"));
    assert!(
        raw::closed(&mut s).await.is_some(),
        "the connection stayed open"
    );

    // Nothing was applied, even once the rest arrives too late.
    let search = TicketFilter {
        search: Some("stalled".into()),
        ..TicketFilter::default()
    };
    let found = server
        .anna()
        .list_tickets(search, PageRequest::default())
        .await
        .unwrap();
    assert!(found.items.is_empty(), "{:?}", found.items);
}

/// A body in pieces, all within the deadline, is read whole and applied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_in_pieces_within_its_deadline_is_taken() {
    let server = limited(Limits::default()).await;
    let body = r#"{"title": "sent in three pieces"}"#;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(head(&server.token, body.len()).as_bytes())
        .await
        .unwrap();
    for piece in [&body[..5], &body[5..20], &body[20..]] {
        s.write_all(piece.as_bytes()).await.unwrap();
        s.flush().await.unwrap();
        tokio::task::yield_now().await;
    }
    let a = raw::read_answer(&mut s)
        .await
        .expect("closed without an answer");
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.json()["title"], "sent in three pieces");
}
