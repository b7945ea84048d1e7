//! The Backend contract (docs/architecture.md, "The Backend port"): one suite, the same code, run against the local
//! backend (`--data --as`) and against the remote backend talking to a real `desk serve`
//! (`--remote --token`). Each step is asserted on its own and the two transcripts must be
//! identical: same numbers, same fields, same versions, same error messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;

use desk::{Outcome, Server, Store, Target};
use serde_json::Value;

/// The transcript: every step's name and outcome, in order.
type Transcript = Vec<(String, Outcome)>;

struct Run<'a> {
    t: &'a Target,
    log: Transcript,
}

impl Run<'_> {
    fn step(&mut self, name: &str, login: &str, args: &[&str]) -> Outcome {
        let o = self.t.run(login, args);
        self.log.push((name.to_string(), o.clone()));
        o
    }
}

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .to_string()
}

fn suite(t: &Target) -> Transcript {
    let mut r = Run { t, log: Vec::new() };

    // create / show / list / update with optimistic concurrency
    let created = r.step(
        "create",
        "anna",
        &[
            "ticket",
            "create",
            "--title",
            "Printer on fire",
            "--company",
            "Contoso",
            "--contact",
            "kim@contoso.example",
            "--queue",
            "Level 1",
            "--description",
            "smoke",
        ],
    );
    let t1 = created.json().clone();
    let n1 = s(&t1, "number");
    assert_eq!(
        n1, "T20261129.0001",
        "R4: the first number of the desk date"
    );
    assert_eq!(t1["version"], 1);
    let shown = r.step("show", "anna", &["ticket", "show", &n1]);
    assert_eq!(shown.json()["title"], "Printer on fire");
    let list = r.step(
        "list",
        "anna",
        &["ticket", "list", "--queue", "Level 1", "--limit", "3"],
    );
    assert_eq!(list.json()[0]["number"], n1.as_str());
    let upd = r.step(
        "update",
        "anna",
        &[
            "ticket",
            "update",
            &n1,
            "--status",
            "In Progress",
            "--if-version",
            "1",
        ],
    );
    assert_eq!(upd.json()["status"], "In Progress");
    let stale = r.step(
        "update stale",
        "anna",
        &[
            "ticket",
            "update",
            &n1,
            "--status",
            "New",
            "--if-version",
            "1",
        ],
    );
    assert!(
        stale.err().contains("changed by someone else"),
        "{}",
        stale.err()
    );

    // notes
    r.step(
        "internal note",
        "anna",
        &["note", "add", &n1, "--text", "checked the fuser"],
    );
    let pubd = r.step(
        "published note",
        "anna",
        &["note", "add", &n1, "--text", "on our way", "--publish"],
    );
    assert_eq!(pubd.json()["notes"].as_array().unwrap().len(), 2);

    // series
    let series = r.step(
        "series",
        "anna",
        &[
            "series",
            "create",
            "--title",
            "Monthly patch",
            "--company",
            "Contoso",
            "--first-due",
            "2026-12-05T08:00:00Z",
            "--every-days",
            "7",
            "--count",
            "3",
        ],
    );
    let items = series.json().as_array().unwrap().clone();
    assert_eq!(items.len(), 3);
    assert!(s(&items[2], "number").ends_with(".003"));

    // Taskfire T1-T3, T5
    let assigned = r.step(
        "taskfire assign",
        "anna",
        &[
            "taskfire",
            "assign",
            &n1,
            "--queue",
            "Contoso IT",
            "--resource",
            "tom",
            "--note",
            "on site please",
        ],
    );
    assert_eq!(assigned.json()["taskfire"]["held_by"], "customer");
    r.step(
        "taskfire ask",
        "anna",
        &["taskfire", "ask", &n1, "--note", "which floor?"],
    );
    let done = r.step(
        "taskfire complete",
        "anna",
        &["taskfire", "complete", &n1, "--note", "done"],
    );
    assert_eq!(done.json()["taskfire"]["status"], "Provider Work Complete");
    r.step(
        "taskfire list as tom",
        "tom",
        &["ticket", "list", "--limit", "5"],
    );
    let own = r.step(
        "tom creates",
        "tom",
        &["ticket", "create", "--title", "Badge reader dead"],
    );
    let n_own = s(own.json(), "number");
    let esc = r.step(
        "taskfire escalate",
        "tom",
        &["taskfire", "escalate", &n_own, "--note", "beyond us"],
    );
    assert_eq!(esc.json()["number"], n_own.as_str(), "T5 keeps the number");
    let no_tf = r.step(
        "assign without Taskfire",
        "anna",
        &[
            "taskfire",
            "assign",
            &s(&items[0], "number"),
            "--queue",
            "Nope",
            "--note",
            "x",
        ],
    );
    no_tf.err();
    let unshared = r.step(
        "ask unshared",
        "anna",
        &["taskfire", "ask", &s(&items[1], "number"), "--note", "x"],
    );
    unshared.err();

    // portal: submit, list, show, note; visibility per identity
    let sub = r.step(
        "portal submit",
        "lisa@contoso.example",
        &[
            "portal",
            "submit",
            "--title",
            "VPN down",
            "--issue-type",
            "Network outage",
        ],
    );
    let n_portal = s(sub.json(), "number");
    assert_eq!(sub.json()["source"], "Client Portal");
    r.step(
        "portal list manager",
        "lisa@contoso.example",
        &["portal", "list", "--limit", "5"],
    );
    let kim = r.step(
        "portal show basic",
        "kim@contoso.example",
        &["portal", "show", &n1],
    );
    let kinds: Vec<&str> = kim.json()["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(
        !kinds.contains(&"internal"),
        "R6: no internal note in the portal: {kinds:?}"
    );
    r.step(
        "portal note",
        "kim@contoso.example",
        &["portal", "note", &n1, "--text", "thanks"],
    );
    let other = r.step(
        "portal other company",
        "ravi@fabrikam.example",
        &["portal", "show", &n1],
    );
    assert!(other.err().contains("unknown"), "{}", other.err());
    r.step("portal none", "pat@tailspin.example", &["portal", "list"]);
    let staff = r.step(
        "contact on staff list",
        "kim@contoso.example",
        &["ticket", "list"],
    );
    assert!(staff.err().contains("not allowed"));

    // errors and permissions
    let nf = r.step("not found", "anna", &["ticket", "show", "T19990101.0001"]);
    assert!(nf.err().contains("unknown ticket"));
    let bad = r.step("invalid", "anna", &["ticket", "create", "--title", " "]);
    assert!(bad.err().contains("title"));
    // docs/rules.md, "Text": the engine refuses escapes, whichever way they come in.
    let esc = r.step(
        "escapes in a portal title",
        "lisa@contoso.example",
        &[
            "portal",
            "submit",
            "--title",
            "Printer \u{1b}[2J\u{1b}]0;owned\u{7} jam",
            "--issue-type",
            "Printer",
        ],
    );
    assert!(
        esc.err().contains("title: must be one line"),
        "{}",
        esc.err()
    );
    let esc = r.step(
        "escapes in a note",
        "anna",
        &["note", "add", &n1, "--text", "see \u{1b}[31m"],
    );
    assert!(
        esc.err().contains("note: may hold line breaks"),
        "{}",
        esc.err()
    );
    let ben = r.step(
        "R8 delete by ben",
        "ben",
        &["ticket", "delete", &n_portal, "--yes"],
    );
    assert!(ben.err().contains("not allowed"), "{}", ben.err());

    lists(&mut r, &n_portal);

    // catalog, notifications, deletion of a shared ticket (T4)
    r.step("catalog", "anna", &["queues"]);
    r.step("delete shared", "anna", &["ticket", "delete", &n1, "--yes"]);
    r.step("gone", "anna", &["ticket", "show", &n1]).err();
    let notes = r.step("notifications", "anna", &["notifications", "--limit", "50"]);
    let events: Vec<&str> = notes
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["event"].as_str().unwrap())
        .collect();
    assert!(
        events.contains(&"taskfire_deleted"),
        "T4 notifies: {events:?}"
    );
    r.log
}

/// Sorted pages, counts and the inbox (docs/lists.md); `portal` is a portal ticket
/// nobody has opened yet.
fn lists(r: &mut Run, portal: &str) {
    // The first page names the sort; the next ones continue the cursor's.
    let mut after: Option<String> = None;
    let mut pages = 0;
    let mut listed = 0;
    let cursor = loop {
        let mut args = vec!["ticket", "list", "--not-priority", "low", "--limit", "4"];
        match &after {
            None => args.extend(["--sort", "-due"]),
            Some(c) => args.extend(["--after", c.as_str()]),
        }
        let (o, next) = r.t.run_paged("anna", &args);
        listed += o.json().as_array().unwrap().len();
        r.log.push((format!("list sorted, page {pages}"), o));
        pages += 1;
        match next {
            Some(n) if pages < 3 => after = Some(n),
            other => break other,
        }
    };
    assert_eq!(pages, 3, "three pages of four");
    let count = r.step(
        "count",
        "anna",
        &["ticket", "count", "--not-priority", "low"],
    );
    assert!(count.json()["count"].as_u64().unwrap() >= listed as u64);
    if let Some(c) = cursor {
        let e = r.step(
            "cursor of another sort",
            "anna",
            &["ticket", "list", "--sort", "title", "--after", &c],
        );
        assert!(
            e.err()
                .contains("after: this cursor continues a list sorted by -due"),
            "{}",
            e.err()
        );
    }
    let bad = r.step(
        "unknown sort",
        "anna",
        &["ticket", "list", "--sort", "colour"],
    );
    assert!(
        bad.err().contains("sort: unknown sort field"),
        "{}",
        bad.err()
    );
    let inbox = r.step(
        "inbox",
        "ben",
        &["ticket", "list", "--unseen", "--sort", "number"],
    );
    let numbers: Vec<&str> = inbox
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    assert!(numbers.contains(&portal), "{numbers:?}");
    r.step("seen", "ben", &["ticket", "seen", portal]);
    let after = r.step(
        "inbox after seen",
        "ben",
        &["ticket", "list", "--unseen", "--sort", "number"],
    );
    assert!(
        !after
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["number"] == portal)
    );
    let anna = r.step(
        "inbox of another",
        "anna",
        &["ticket", "list", "--unseen", "--sort", "number"],
    );
    assert!(
        anna.json()
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["number"] == portal)
    );
    r.step("inbox count", "anna", &["ticket", "count", "--unseen"]);
    r.step("queues with inbox", "ben", &["queues"]);
}

#[test]
fn local_and_remote_backends_keep_the_same_contract() {
    let local_store = Store::demo(50);
    let remote_store = Store::demo(50);
    let local = suite(&Target::Local(local_store.path().to_path_buf()));

    let server = Server::start(remote_store.path());
    let remote = Target::Remote {
        url: server.url.clone(),
        tokens: remote_store.tokens(),
    };
    let over_http = suite(&remote);

    assert_eq!(local.len(), over_http.len());
    for ((step, l), (_, r)) in local.iter().zip(&over_http) {
        assert_eq!(l, r, "step \"{step}\" differs between local and remote");
    }
}

/// docs/postgres.md, "Same answers": the same transcript on SQLite, on PostgreSQL as a
/// local store, through one `desk serve` on it, and through two servers on one database
/// taking turns command by command.
#[test]
fn postgresql_keeps_the_contract_locally_through_one_server_and_two_taking_turns() {
    let Some(local_pg) = Store::demo_pg("contract local", 50) else {
        return;
    };
    let Some(served_pg) = Store::demo_pg("contract served", 50) else {
        return;
    };
    let Some(shared_pg) = Store::demo_pg("contract shared", 50) else {
        return;
    };
    let sqlite_store = Store::demo(50);
    let sqlite = suite(&Target::Local(sqlite_store.path().to_path_buf()));
    let compare = |name: &str, other: &Transcript| {
        assert_eq!(sqlite.len(), other.len(), "{name}");
        for ((step, l), (_, r)) in sqlite.iter().zip(other) {
            assert_eq!(l, r, "step \"{step}\" differs between SQLite and {name}");
        }
    };
    let db = |s: &Store| s.db.as_ref().map(|d| d.url.clone()).unwrap();
    compare("PostgreSQL", &suite(&Target::Database(db(&local_pg))));

    let server = Server::start_on(&served_pg);
    let one = Target::Remote {
        url: server.url.clone(),
        tokens: served_pg.tokens(),
    };
    compare("PostgreSQL through desk serve", &suite(&one));

    let (a, b) = (Server::start_on(&shared_pg), Server::start_on(&shared_pg));
    let turns = Target::Turns {
        urls: vec![a.url.clone(), b.url.clone()],
        tokens: shared_pg.tokens(),
        next: Default::default(),
    };
    compare(
        "PostgreSQL through two servers taking turns",
        &suite(&turns),
    );
}

/// `desk store copy` (docs/postgres.md): a SQLite desk copied into PostgreSQL answers as
/// the SQLite desk does, the same transcript step by step (numbers, history, shares, the
/// inbox, the outbox), and the tokens and portal passwords made before the copy work on
/// the copy.
#[test]
fn a_desk_copied_into_postgresql_answers_as_it_did() {
    let Some(target) = desk_store_pg::testing::TestDb::new("contract copy") else {
        return;
    };
    let (original, copied) = (Store::demo(50), Store::demo(50));
    let tokens = copied.tokens();
    // A portal password set on the SQLite desk (the same on the original, so that the
    // transcripts stay alike).
    for store in [&original, &copied] {
        let mut engine = desk_engine::Engine::open(
            &desk_engine::store::store_path(store.path()),
            desk_engine::Clock::System,
        )
        .unwrap();
        let hash = desk_engine::domain::password::PasswordHash::new("a long passphrase").unwrap();
        engine.set_password("kim@contoso.example", &hash).unwrap();
    }
    let out = desk::desk()
        .args(copied.args())
        .args(["--json", "store", "copy", "--to", &target.url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(said["copied"]["tickets"].as_u64().unwrap() >= 50, "{said}");
    assert_eq!(said["copied"]["tokens"], tokens.len(), "{said}");
    assert_eq!(said["copied"]["passwords"], 1, "{said}");
    let pg = desk_engine::Engine::with_store(
        Box::new(desk_store_pg::open(&target.url).unwrap()),
        desk_engine::Clock::System,
    )
    .unwrap();
    assert_eq!(
        pg.credentials("kim@contoso.example")
            .unwrap()
            .check("a long passphrase")
            .unwrap(),
        "kim@contoso.example",
        "the portal password works on the copy"
    );
    let sqlite = suite(&Target::Local(original.path().to_path_buf()));
    let on_copy = suite(&Target::Database(target.url.clone()));
    assert_eq!(sqlite.len(), on_copy.len());
    for ((step, l), (_, r)) in sqlite.iter().zip(&on_copy) {
        assert_eq!(l, r, "step \"{step}\" differs on the copy");
    }
    // Tokens made on the SQLite desk work against a server on the copy.
    let mut serve = desk::desk();
    serve.args([
        "--database-url",
        &target.url,
        "serve",
        "--listen",
        "127.0.0.1:0",
    ]);
    let server = Server::spawn(serve);
    let remote = Target::Remote {
        url: server.url.clone(),
        tokens,
    };
    for login in ["anna", "lisa@contoso.example"] {
        assert!(
            matches!(remote.run(login, &["queues"]), Outcome::Ok(_)),
            "{login}"
        );
    }
    // The copy refuses to copy over a desk.
    let again = desk::desk()
        .args(copied.args())
        .args(["store", "copy", "--to", &target.url])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a desk"));
}

#[test]
fn the_remote_backend_names_an_unreachable_server_and_missing_tokens() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = desk::desk()
        .args(["--remote", &url, "--token", "desk_x", "ticket", "list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.starts_with(&format!("error: cannot reach desk serve at {url}: ")),
        "{stderr}"
    );

    let out = desk::desk()
        .args(["--remote", &url, "ticket", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--remote needs --token"));
    let out = desk::desk()
        .args(["--remote", "ftp://desk", "--token", "t", "ticket", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("must start with http://"));
}

#[test]
fn a_forged_token_is_refused_by_the_real_server() {
    let store = Store::demo(0);
    let server = Server::start(store.path());
    let out = desk::desk()
        .args([
            "--remote",
            &server.url,
            "--token",
            "desk_forged",
            "ticket",
            "list",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: invalid or revoked token"
    );
}
