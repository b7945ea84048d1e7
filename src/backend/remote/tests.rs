//! Unit tests of the remote backend that need no server.

use super::feed::parse_event;
use super::*;

#[test]
fn paths_keep_the_base_path_and_escape_numbers() {
    let b = RemoteBackend::new("http://desk.example:8765/team/", "t").unwrap();
    let url = b
        .ticket_path("tickets", "T20261129.0001", "taskfire/assign")
        .unwrap();
    assert_eq!(
        url.as_str(),
        "http://desk.example:8765/team/api/v1/tickets/T20261129.0001/taskfire/assign"
    );
    let url = b.ticket_path("portal/tickets", "../me?x", "").unwrap();
    assert_eq!(
        url.as_str(),
        "http://desk.example:8765/team/api/v1/portal/tickets/..%2Fme%3Fx"
    );
}

#[test]
fn bad_urls_and_tokens_are_refused_up_front() {
    for (url, token) in [
        ("desk.example", "t"),
        ("ftp://desk.example", "t"),
        ("http://d", " "),
    ] {
        let e = RemoteBackend::new(url, token).map(|_| ()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid, "{url}");
    }
}

#[test]
fn feed_blocks_become_events() {
    let change = "event: change\ndata: {\"kind\":\"created\",\"number\":\"T20261129.0001\",\"desk\":\"provider\",\"version\":1,\"actor\":\"anna\",\"at\":\"2026-11-29T09:30:00Z\"}\n\n";
    let Some(FeedEvent::Changed(c)) = parse_event(change) else {
        panic!("not a change")
    };
    assert_eq!((c.kind.as_str(), c.version), ("created", Some(1)));
    assert_eq!(
        parse_event("event: lagged\ndata: 7\n\n"),
        Some(FeedEvent::Lagged(7))
    );
    assert_eq!(
        parse_event("event: reload\ndata: the store changed outside the server\n\n"),
        Some(FeedEvent::Reload)
    );
    assert_eq!(parse_event(": keep-alive\n\n"), None);
    // An event this client does not know is skipped, not an error.
    assert_eq!(parse_event("event: newer\ndata: 1\n\n"), None);
}
