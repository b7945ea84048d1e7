//! Request bodies with a short deadline: a body that stalls is answered 408 saying that
//! nothing was applied (and nothing was), on a connection that then closes; a body that
//! arrives slowly but in time is taken. The refusals before the body is read (401, 413)
//! are tested against the real binary (tests/server_floods.rs). The portal's forms get
//! the same limits, answered as its web pages.

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

/// A portal form that stalls gets the portal's page saying nothing was saved (408), not
/// the API's JSON, and the connection closes; nobody was signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_portal_form_is_a_408_page() {
    let server = limited(Limits {
        body_time: SHORT,
        ..Limits::default()
    })
    .await;
    let body = "login=kim%40contoso.example&password=twelve+chars+or+more";
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /portal/sign-in HTTP/1.1\r\nHost: desk\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(&body.as_bytes()[..20]).await.unwrap();
    let a = raw::read_answer(&mut s)
        .await
        .expect("closed without an answer");
    assert_eq!(a.status, 408, "{}", a.body);
    assert!(
        a.header("content-type")
            .is_some_and(|c| c.starts_with("text/html")),
        "{:?}",
        a.header("content-type")
    );
    assert!(a.body.contains("nothing was saved"), "{}", a.body);
    assert!(a.header("set-cookie").is_none());
    assert_eq!(a.header("connection").as_deref(), Some("close"));
    assert!(
        raw::closed(&mut s).await.is_some(),
        "the connection stayed open"
    );
}

/// A portal form without a declared length that grows past the form limit is refused
/// as the portal's page (413) once the limit is reached, and the connection closes.
#[tokio::test]
async fn a_portal_form_past_its_limit_without_a_length_is_a_413_page() {
    use axum::body::{Body, Bytes};
    use axum::http::{Request, header};
    use tower_service::Service;

    let (_d, path) = super::demo_store(0);
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    let state = crate::server::state(&path, super::clock(), stop_rx, Limits::default()).unwrap();
    let mut app = crate::server::app(state);
    let chunk = vec![b'x'; 64 * 1024];
    let chunks = (0..9).map(move |_| Ok::<_, std::io::Error>(Bytes::from(chunk.clone())));
    let req = Request::post("/portal/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    assert!(req.headers().get(header::CONTENT_LENGTH).is_none());
    let res = app.call(req).await.unwrap();
    assert_eq!(res.status(), 413);
    let h = res.headers();
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(h[header::CONNECTION], "close");
    let page = axum::body::to_bytes(res.into_body(), 1 << 20)
        .await
        .unwrap();
    let page = String::from_utf8_lossy(&page);
    assert!(page.contains("more than the portal takes"), "{page}");
}
