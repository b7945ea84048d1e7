//! Concurrency and the live change feed, through the remote backend.

use desk_engine::model::*;
use std::collections::HashSet;
use std::time::Duration;

use super::{demo_store, serve_at, start};
use crate::backend::{Backend, remote::FeedEvent};

/// A guard against a hang, not a measurement: the feed normally answers in milliseconds.
const HANG_GUARD: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixteen_clients_creating_at_once_get_unique_numbers() {
    let (_d, path) = demo_store(0);
    let server = start(&path).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let b = server.remote("anna");
        tasks.push(tokio::spawn(async move {
            let mut numbers = Vec::new();
            for j in 0..5 {
                let new = NewTicket {
                    title: format!("client {i} ticket {j}"),
                    ..NewTicket::default()
                };
                numbers.push(b.create_ticket(new).await.unwrap().number);
            }
            numbers
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (80, 80), "R4: {all:?}");
    let _ = server.stop.send(true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_tells_each_desk_of_its_own_changes() {
    let (_d, path) = demo_store(0);
    let server = start(&path).await;
    let anna = server.remote("anna");
    let (_d2, local_path) = demo_store(0);
    let local = super::local_side(&local_path);
    assert!(
        local.by("anna").changes().await.unwrap().is_none(),
        "no feed locally"
    );
    let mut provider = anna.changes().await.unwrap().unwrap();
    let mut contoso = server.remote("tom").changes().await.unwrap().unwrap();
    let mut kim = server
        .remote("kim@contoso.example")
        .changes()
        .await
        .unwrap()
        .unwrap();

    let mine = NewTicket {
        title: "provider only".into(),
        company: Some("Contoso".into()),
        ..NewTicket::default()
    };
    let t = server.remote("ben").create_ticket(mine).await.unwrap();
    let got = tokio::time::timeout(HANG_GUARD, provider.recv())
        .await
        .unwrap();
    let Some(FeedEvent::Changed(c)) = got else {
        panic!("{got:?}")
    };
    assert_eq!(
        (c.kind.as_str(), c.number.as_str(), c.actor.as_str()),
        ("created", t.number.as_str(), "ben")
    );

    let assign = TaskfireAssign {
        queue: "Contoso IT".into(),
        note: "yours".into(),
        ..TaskfireAssign::default()
    };
    anna.taskfire_assign(t.number.clone(), assign)
        .await
        .unwrap();
    // Tom's first event is the share: he never heard of the provider-only creation.
    let got = tokio::time::timeout(HANG_GUARD, contoso.recv())
        .await
        .unwrap();
    let Some(FeedEvent::Changed(c)) = got else {
        panic!("{got:?}")
    };
    assert_eq!(
        (c.desk.as_str(), c.number.as_str()),
        ("Contoso", t.number.as_str())
    );

    // T3's answer: Tom publishes a note on his version; the provider's desk hears of it
    // (the note reached the provider's ticket).
    server
        .remote("tom")
        .add_note(t.number.clone(), "on site tomorrow".into(), true)
        .await
        .unwrap();
    let heard = tokio::time::timeout(HANG_GUARD, async {
        loop {
            match provider.recv().await {
                Some(FeedEvent::Changed(c)) if c.actor == "tom" => return Some(c),
                Some(_) => {}
                None => return None,
            }
        }
    })
    .await
    .unwrap()
    .expect("the provider's feed heard Tom's answer");
    assert_eq!(
        (
            heard.desk.as_str(),
            heard.kind.as_str(),
            heard.number.as_str()
        ),
        ("provider", "note", t.number.as_str())
    );

    // Kim (basic contact) hears of nothing above: not her ticket. Her first event is hers.
    let hers = NewTicket {
        title: "Kim's monitor".into(),
        company: Some("Contoso".into()),
        contact: Some("kim@contoso.example".into()),
        ..NewTicket::default()
    };
    let hers = anna.create_ticket(hers).await.unwrap();
    let got = tokio::time::timeout(HANG_GUARD, kim.recv()).await.unwrap();
    let Some(FeedEvent::Changed(c)) = got else {
        panic!("{got:?}")
    };
    assert_eq!(c.number, hers.number, "R6 on the feed");

    // Stopping the server ends the feeds, so a graceful shutdown is not held up by them.
    let _ = server.stop.send(true);
    let end = tokio::time::timeout(HANG_GUARD, async {
        while provider.recv().await.is_some() {}
    })
    .await;
    assert!(end.is_ok());
}

/// The TUI's feed follower (`tui::feed::follow`) outlives a server restart: when the feed
/// ends it connects again, asks for one refresh (it may have missed changes), and then
/// reports live changes from the new server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tui_follows_the_feed_across_a_server_restart() {
    let (_d, path) = demo_store(0);
    let first = start(&path).await;
    let addr = first.url.trim_start_matches("http://").to_string();
    let (tx, mut changed) = tokio::sync::mpsc::unbounded_channel();
    let anna: std::sync::Arc<dyn Backend> = std::sync::Arc::new(first.remote("anna"));
    tokio::spawn(crate::tui::feed::follow(anna, move || tx.send(()).is_ok()));

    // The follower subscribes on its own time: create until a change is reported.
    let ben = first.remote("ben");
    let mut seen = false;
    for i in 0..50 {
        let new = NewTicket {
            title: format!("before the restart {i}"),
            ..NewTicket::default()
        };
        ben.create_ticket(new).await.unwrap();
        if tokio::time::timeout(Duration::from_millis(200), changed.recv())
            .await
            .is_ok()
        {
            seen = true;
            break;
        }
    }
    assert!(seen, "no change reported before the restart");

    // Whatever else the creates above reported, before the restart.
    while tokio::time::timeout(Duration::from_millis(300), changed.recv())
        .await
        .is_ok()
    {}

    let _ = first.stop.send(true);
    let second = serve_at(&path, &addr, first.tokens.clone()).await;
    // Back: one refresh for what may have been missed.
    let back = tokio::time::timeout(HANG_GUARD, changed.recv()).await;
    assert!(
        matches!(back, Ok(Some(()))),
        "no refresh after reconnecting"
    );
    // And live again.
    let new = NewTicket {
        title: "after the restart".into(),
        ..NewTicket::default()
    };
    second.remote("ben").create_ticket(new).await.unwrap();
    let live = tokio::time::timeout(HANG_GUARD, changed.recv()).await;
    assert!(matches!(live, Ok(Some(()))), "no change after the restart");
    let _ = second.stop.send(true);
}

/// A change made to the store outside the server (a `desk` command on the same file)
/// reaches staff feeds as one `reload`, and contacts' feeds not at all; the server's own
/// writes come as changes, never as a reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_made_outside_the_server_reach_staff_as_a_reload() {
    let (_d, path) = demo_store(0);
    let server = start(&path).await;
    let mut anna = server.remote("anna").changes().await.unwrap().unwrap();
    let mut kim = server
        .remote("kim@contoso.example")
        .changes()
        .await
        .unwrap()
        .unwrap();
    let mut tom = server.remote("tom").changes().await.unwrap().unwrap();

    // Through the server: a change, and nothing else for a while (the watch polls every
    // quarter second; three polls go by).
    let mine = NewTicket {
        title: "through the server".into(),
        ..NewTicket::default()
    };
    server.remote("ben").create_ticket(mine).await.unwrap();
    let got = tokio::time::timeout(HANG_GUARD, anna.recv()).await.unwrap();
    assert!(matches!(got, Some(FeedEvent::Changed(_))), "{got:?}");
    let more = tokio::time::timeout(Duration::from_millis(800), anna.recv()).await;
    assert!(
        more.is_err(),
        "the server's own write also came as {more:?}"
    );

    // Outside: another engine on the same file, as `desk ticket create` would be.
    let mut other = desk_engine::Engine::open(&path, super::clock()).unwrap();
    let anna_here = other.actor("anna").unwrap();
    let outside = NewTicket {
        title: "from a local command".into(),
        company: Some("Contoso".into()),
        contact: Some("kim@contoso.example".into()),
        ..NewTicket::default()
    };
    other.create_ticket(&anna_here, outside).unwrap();
    let got = tokio::time::timeout(HANG_GUARD, anna.recv()).await.unwrap();
    assert_eq!(got, Some(FeedEvent::Reload));
    // The contact's ticket or not, a contact's feed says nothing of it.
    let theirs = tokio::time::timeout(Duration::from_millis(800), kim.recv()).await;
    assert!(theirs.is_err(), "a contact heard {theirs:?}");
    // Nor is a customer's Taskfire desk told when the provider's store changed.
    let customers = tokio::time::timeout(Duration::from_millis(200), tom.recv()).await;
    assert!(
        customers.is_err(),
        "Contoso's Taskfire desk heard {customers:?}"
    );
    let _ = server.stop.send(true);
}

/// A feed whose token is revoked while it is open hears nothing more: the next change
/// ends it instead of reaching it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_ends_its_open_feed() {
    let (_d, path) = demo_store(0);
    let server = start(&path).await;
    let mut anna = server.remote("anna").changes().await.unwrap().unwrap();
    let ben = server.remote("ben");
    let first = NewTicket {
        title: "while anna's token works".into(),
        ..NewTicket::default()
    };
    ben.create_ticket(first).await.unwrap();
    let got = tokio::time::timeout(HANG_GUARD, anna.recv()).await.unwrap();
    assert!(matches!(got, Some(FeedEvent::Changed(_))), "{got:?}");

    let revoked = desk_engine::Engine::open(&path, super::clock())
        .unwrap()
        .revoke_tokens("anna")
        .unwrap();
    assert_eq!(revoked.tokens, 1);
    let second = NewTicket {
        title: "after the revocation".into(),
        ..NewTicket::default()
    };
    ben.create_ticket(second).await.unwrap();
    let got = tokio::time::timeout(HANG_GUARD, anna.recv()).await.unwrap();
    assert_eq!(got, None, "a revoked token still heard a change");
    let _ = server.stop.send(true);
}

/// A contact whose portal is off is refused a feed, and the TUI's follower stops asking
/// (rather than ask again every ten seconds for as long as it runs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_without_portal_gets_no_feed_and_the_follower_stops() {
    let (_d, path) = demo_store(0);
    let server = start(&path).await;
    let pat = server.remote("pat@tailspin.example");
    let e = pat.changes().await.unwrap_err();
    assert_eq!(e.kind, crate::backend::ErrorKind::NotAllowed, "{e}");
    assert!(e.message.contains("portal"), "{e}");
    let pat: std::sync::Arc<dyn Backend> = std::sync::Arc::new(pat);
    let follower = crate::tui::feed::follow(pat, || true);
    assert!(
        tokio::time::timeout(HANG_GUARD, follower).await.is_ok(),
        "the follower kept asking"
    );
    let _ = server.stop.send(true);
}

/// A feed that ends as soon as it opens (here: the server's feeds are stopping while it
/// still answers) does not make the TUI reconnect and reload four times a second: the
/// backoff keeps growing. Slowness can only lower the count, so this cannot fail
/// spuriously on a loaded machine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_that_ends_at_once_is_retried_with_a_growing_wait() {
    let (_d, path) = demo_store(0);
    let mut engine = desk_engine::Engine::open(&path, super::clock()).unwrap();
    let token = engine.create_token("anna", None).unwrap();
    // Feeds see "stopping" from the start; the listener itself goes on serving.
    let (_feeds_stop, feeds_stopping) = tokio::sync::watch::channel(true);
    let (_stop, stop_rx) = tokio::sync::watch::channel(false);
    let limits = crate::server::Limits::default();
    let state = crate::server::state(&path, super::clock(), feeds_stopping, limits).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    super::spawn_listener(listener, state, stop_rx);
    let anna: std::sync::Arc<dyn Backend> =
        std::sync::Arc::new(crate::backend::RemoteBackend::new(&url, &token).unwrap());
    let refreshes = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counted = refreshes.clone();
    let follower = tokio::spawn(crate::tui::feed::follow(anna, move || {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        true
    }));
    // Waits of 250, 500, 1000 ms: at most 3 reconnections (and refreshes) in 2 s; with
    // the wait reset on each connection it was 7 or 8.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let n = refreshes.load(std::sync::atomic::Ordering::SeqCst);
    assert!(n <= 4, "{n} refreshes in 2 s");

    // A revoked token: the follower gives up rather than retry for ever.
    engine.revoke_tokens("anna").unwrap();
    let ended = tokio::time::timeout(HANG_GUARD, follower).await;
    assert!(ended.is_ok(), "the follower kept retrying a revoked token");
}
