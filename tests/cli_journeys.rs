//! CLI journeys: the real binary on temporary stores, clock frozen with DESK_NOW.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::Desk;
use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

#[test]
fn ticket_json_has_every_contract_field() {
    let d = Desk::demo();
    let t = d
        .run(&[
            "ticket",
            "create",
            "--title",
            "Printer jams",
            "--company",
            "Contoso",
            "--contact",
            "lisa@contoso.example",
            "--json",
        ])
        .json();
    for key in [
        "number",
        "title",
        "status",
        "priority",
        "queue",
        "source",
        "issue_type",
        "work_type",
        "company",
        "contact",
        "assigned",
        "created_at",
        "created_local",
        "number_date",
        "due_at",
        "series",
        "version",
        "taskfire",
        "notes",
    ] {
        assert!(t.get(key).is_some(), "missing {key} in {t}");
    }
    assert_eq!(s(&t["number"]), "T20261129.0001");
    assert_eq!(s(&t["created_at"]), "2026-11-29T10:00:00Z");
    // anna works in Europe/Berlin: the created instant carries her offset.
    assert_eq!(s(&t["created_local"]), "2026-11-29T11:00:00+01:00");
    assert_eq!(s(&t["number_date"]), "2026-11-29");
    assert!(t["taskfire"].is_null());
    let list = d.run(&["ticket", "list", "--json"]).json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn triage_journey_from_portal_to_closed() {
    let d = Desk::demo();
    // A contact in Los Angeles submits through the portal (R1: Printer routes to Level 1).
    let t = d
        .as_(
            "lisa@contoso.example",
            &[
                "portal",
                "submit",
                "--title",
                "Printer offline",
                "--issue-type",
                "Printer",
                "--json",
            ],
        )
        .json();
    let n = s(&t["number"]).to_string();
    assert_eq!(s(&t["source"]), "Client Portal");
    assert_eq!(s(&t["queue"]), "Level 1");
    // R3: the demo's rule sets the work type of portal tickets.
    assert_eq!(s(&t["work_type"]), "Remote Support");

    // R2: found by source in any queue.
    let by_source = d
        .run(&["ticket", "list", "--source", "Client Portal", "--json"])
        .json();
    assert!(
        by_source
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["number"] == n.as_str())
    );

    d.run(&[
        "ticket",
        "update",
        &n,
        "--status",
        "In Progress",
        "--assign",
        "ben",
    ])
    .json_ok();
    d.run(&["note", "add", &n, "--text", "Driver reinstalled, checking"])
        .json_ok();
    d.run(&[
        "note",
        "add",
        &n,
        "--text",
        "Please print a test page",
        "--publish",
    ])
    .json_ok();

    // The portal shows the published note but never the internal one.
    let p = d
        .as_("lisa@contoso.example", &["portal", "show", &n, "--json"])
        .json();
    let texts: Vec<&str> = p["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| s(&x["text"]))
        .collect();
    assert!(texts.contains(&"Please print a test page"), "{texts:?}");
    assert!(
        !texts.contains(&"Driver reinstalled, checking"),
        "{texts:?}"
    );

    d.as_(
        "lisa@contoso.example",
        &["portal", "note", &n, "--text", "Works now, thanks"],
    )
    .json_ok();
    let done = d
        .run(&["ticket", "update", &n, "--status", "Complete", "--json"])
        .json();
    assert_eq!(s(&done["status"]), "Complete");
    let shown = d.run(&["ticket", "show", &n]);
    assert!(
        shown.stdout.contains("[internal] anna: Driver reinstalled"),
        "{}",
        shown.stdout
    );
    assert!(
        shown
            .stdout
            .contains("[portal] lisa@contoso.example: Works now"),
        "{}",
        shown.stdout
    );

    // The assignee is told about the portal note.
    let outbox = d.run(&["notifications", "--json"]).json();
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["event"] == "portal_note_added" && m["to"] == "ben@northwind.example"),
        "{outbox}"
    );
}

#[test]
fn taskfire_round_trip_through_the_cli() {
    let d = Desk::demo();
    let n = s(&d
        .run(&[
            "ticket",
            "create",
            "--title",
            "Toner",
            "--company",
            "Contoso",
            "--json",
        ])
        .json()["number"])
    .to_string();
    let t = d
        .run(&[
            "taskfire",
            "assign",
            &n,
            "--queue",
            "Contoso IT",
            "--resource",
            "tom",
            "--due",
            "2026-12-01 17:00",
            "--note",
            "On site only",
            "--json",
        ])
        .json();
    assert_eq!(s(&t["taskfire"]["held_by"]), "customer");
    assert_eq!(s(&t["taskfire"]["queue"]), "Contoso IT");
    // Tom sees his desk's version with the same number.
    let theirs = d.as_("tom", &["ticket", "show", &n, "--json"]).json();
    assert_eq!(s(&theirs["queue"]), "Contoso IT");
    assert_eq!(s(&theirs["number"]), n);
    d.run(&["taskfire", "ask", &n, "--note", "Which floor?"])
        .json_ok();
    let t = d.run(&["taskfire", "complete", &n, "--json"]).json();
    assert_eq!(s(&t["taskfire"]["status"]), "Provider Work Complete");
    assert_eq!(
        s(&t["status"]),
        "New",
        "the provider's own status is untouched"
    );
    let outbox = d.run(&["notifications", "--json"]).json();
    let events: Vec<&str> = outbox
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["to"] == "tom@contoso.example")
        .map(|m| s(&m["event"]))
        .collect();
    assert_eq!(
        events,
        [
            "taskfire_work_complete",
            "taskfire_question",
            "taskfire_assigned"
        ]
    );
    d.run(&["ticket", "delete", &n, "--yes"]).json_ok();
    d.as_("tom", &["ticket", "show", &n])
        .refused("unknown ticket");
}

#[test]
fn series_numbers_and_portal_window() {
    let d = Desk::demo();
    let list = d
        .run(&[
            "series",
            "create",
            "--title",
            "Patch day",
            "--company",
            "Contoso",
            "--first-due",
            "2026-12-01 09:00",
            "--every-days",
            "14",
            "--count",
            "4",
            "--json",
        ])
        .json();
    let numbers: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| s(&t["number"]))
        .collect();
    assert_eq!(
        numbers,
        [
            "T20261129.0001.001",
            "T20261129.0001.002",
            "T20261129.0001.003",
            "T20261129.0001.004"
        ]
    );
    // R6: the manager sees only the instances due within 30 days of now (Nov 29 10:00 UTC):
    // Dec 1, Dec 15 and Dec 29 09:00 Berlin (08:00 UTC), not Jan 12.
    let portal = d
        .as_("lisa@contoso.example", &["portal", "list", "--json"])
        .json();
    let shown: Vec<&str> = portal
        .as_array()
        .unwrap()
        .iter()
        .map(|t| s(&t["number"]))
        .collect();
    assert_eq!(
        shown,
        [
            "T20261129.0001.003",
            "T20261129.0001.002",
            "T20261129.0001.001"
        ]
    );
    // Every instance keeps 09:00 in the desk zone.
    for t in list.as_array().unwrap() {
        assert!(s(&t["due_at"]).ends_with("T08:00:00Z"), "{}", t["due_at"]);
    }
}

#[test]
fn bad_input_is_refused_naming_the_value_and_changes_nothing() {
    let d = Desk::demo();
    let n = s(&d
        .run(&[
            "ticket",
            "create",
            "--title",
            "Keep me",
            "--company",
            "Contoso",
            "--json",
        ])
        .json()["number"])
    .to_string();
    let before = d.dump();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["ticket", "create", "--title", "x", "--queue", "Nowhere"],
            "Nowhere",
        ),
        (
            vec!["ticket", "create", "--title", "x", "--company", "Umbrella"],
            "Umbrella",
        ),
        (
            vec![
                "ticket",
                "create",
                "--title",
                "x",
                "--contact",
                "nobody@x.example",
            ],
            "nobody@x.example",
        ),
        (
            vec!["ticket", "create", "--title", "x", "--issue-type", "Coffee"],
            "Coffee",
        ),
        (vec!["ticket", "create", "--title", "   "], "title"),
        (
            vec!["ticket", "create", "--title", "x", "--due", "next tuesday"],
            "next tuesday",
        ),
        (
            vec![
                "ticket",
                "create",
                "--title",
                "x",
                "--due",
                "2026-03-29 02:30",
            ],
            "2026-03-29 02:30",
        ),
        (
            vec!["ticket", "create", "--title", "x", "--source", "Pigeon"],
            "Pigeon",
        ),
        (
            vec!["ticket", "update", &n, "--status", "Sleeping"],
            "Sleeping",
        ),
        (
            vec!["ticket", "update", "T20990101.0001", "--status", "New"],
            "T20990101.0001",
        ),
        (
            vec![
                "ticket",
                "update",
                &n,
                "--status",
                "New",
                "--if-version",
                "7",
            ],
            "version",
        ),
        (vec!["ticket", "show", "T2026"], "T2026"),
        (vec!["note", "add", &n, "--text", " "], "note"),
        (vec!["ticket", "delete", &n], "--yes"),
        (vec!["taskfire", "ask", &n, "--note", "why?"], "not shared"),
        (
            vec![
                "taskfire", "assign", &n, "--queue", "Nope IT", "--note", "x",
            ],
            "Nope IT",
        ),
        (
            vec![
                "taskfire",
                "assign",
                &n,
                "--queue",
                "Contoso IT",
                "--note",
                "",
            ],
            "note",
        ),
        (vec!["--as", "ghost", "ticket", "list"], "ghost"),
        (
            vec!["--as", "ben", "ticket", "delete", &n, "--yes"],
            "not allowed",
        ),
        (
            vec!["--as", "lisa@contoso.example", "ticket", "list"],
            "portal",
        ),
        (
            vec![
                "--as",
                "pat@tailspin.example",
                "portal",
                "submit",
                "--title",
                "x",
                "--issue-type",
                "Printer",
            ],
            "disabled",
        ),
        (
            vec!["--as", "kim@contoso.example", "portal", "show", &n],
            "unknown ticket",
        ),
    ];
    for (args, needle) in cases {
        let r = d.run(&args);
        r.refused(needle);
    }
    assert_eq!(before, d.dump(), "a refused command changed the store");
}

#[test]
fn bad_clock_and_missing_store_are_clear() {
    let d = Desk::empty();
    d.run(&["ticket", "list"]).refused("desk init");
    let d = Desk::demo().at("yesterday");
    d.run(&["ticket", "list"]).refused("DESK_NOW");
    let d = Desk::empty();
    std::fs::create_dir_all(d.data()).unwrap();
    std::fs::write(d.store(), "not a database, just text").unwrap();
    d.run(&["ticket", "list"]).refused("is not a desk store");
    assert_eq!(
        std::fs::read_to_string(d.store()).unwrap(),
        "not a database, just text"
    );
}

#[test]
fn setup_errors_name_file_line_and_key_and_write_nothing() {
    let cases = [
        (
            "[desk]\nname = \"X\"\ntime_zone = \"Mars/Base\"\n",
            3,
            "desk.time_zone",
        ),
        (
            "[desk]\nname = \"X\"\ntime_zone = \"UTC\"\ncolour = \"red\"\n",
            4,
            "colour",
        ),
        (
            "[desk]\nname = \"X\"\ntime_zone = \"UTC\"\n\n[[contacts]]\nlogin = \"a@b.c\"\nname = \"A\"\ncompany = \"Nope\"\n",
            8,
            "contacts.company",
        ),
        (
            "[desk]\nname = \"X\"\ntime_zone = \"UTC\"\n[[issue_types]]\nname = \"P\"\ncreated_by = \"provider\"\nqueue = \"Ghost\"\n",
            7,
            "issue_types.queue",
        ),
    ];
    for (src, line, key) in cases {
        let d = Desk::empty();
        let file = d.dir.path().join("bad.toml");
        std::fs::write(&file, src).unwrap();
        let r = d.run(&["init", "--setup", file.to_str().unwrap()]);
        r.refused(&format!("bad.toml:{line}: {key}"));
        assert!(
            !d.data().exists() || std::fs::read_dir(d.data()).unwrap().next().is_none(),
            "a failed init left files behind"
        );
    }
}

#[test]
fn init_refuses_to_overwrite_a_store() {
    let d = Desk::demo();
    let before = d.dump();
    d.run(&["init", "--demo"]).refused("already exists");
    assert_eq!(before, d.dump());
}

#[test]
fn a_store_from_a_newer_desk_is_refused() {
    let d = Desk::demo();
    rusqlite::Connection::open(d.store())
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    d.run(&["ticket", "list"]).refused("newer desk");
}

#[test]
fn numbers_follow_the_desk_date_across_midnight() {
    // Desk in Auckland; the contact in Los Angeles submits on the evening of the 28th
    // (local), which is already the 29th on the desk: R4 and R5.
    let setup = r#"
[desk]
name = "Kiwi"
time_zone = "Pacific/Auckland"
[[resources]]
login = "ana"
name = "Ana"
email = "ana@kiwi.example"
service_desk = true
[[companies]]
name = "Acme"
[[contacts]]
login = "sam@acme.example"
name = "Sam"
company = "Acme"
time_zone = "America/Los_Angeles"
portal = "basic"
[[issue_types]]
name = "Other"
created_by = "provider"
"#;
    let mut d = Desk::with_setup(setup);
    // 10:59:59 UTC = 23:59:59 on the 28th in Auckland (NZDT, +13).
    d.now = "2026-11-28T10:59:59Z".into();
    let a = d
        .as_(
            "sam@acme.example",
            &[
                "portal",
                "submit",
                "--title",
                "a",
                "--issue-type",
                "Other",
                "--json",
            ],
        )
        .json();
    d.now = "2026-11-28T11:00:00Z".into();
    let b = d
        .as_(
            "sam@acme.example",
            &[
                "portal",
                "submit",
                "--title",
                "b",
                "--issue-type",
                "Other",
                "--json",
            ],
        )
        .json();
    let c = d
        .as_(
            "sam@acme.example",
            &[
                "portal",
                "submit",
                "--title",
                "c",
                "--issue-type",
                "Other",
                "--json",
            ],
        )
        .json();
    assert_eq!(s(&a["number"]), "T20261128.0001");
    assert_eq!(
        s(&b["number"]),
        "T20261129.0001",
        "the sequence restarts on the new desk date"
    );
    assert_eq!(s(&c["number"]), "T20261129.0002");
    // Created 03:00 on the 28th in LA, but the number says the 29th.
    assert_eq!(s(&b["created_local"]), "2026-11-28T03:00:00-08:00");
    assert_eq!(b["dates_differ"], true);
    assert_eq!(a["dates_differ"], false);
}

#[test]
fn concurrent_processes_never_share_a_number() {
    let d = Desk::demo();
    let per = 15;
    let children: Vec<_> = (0..6)
        .map(|i| {
            // Each child creates `per` tickets in a loop within one shell, so the
            // processes interleave on the store.
            let script = format!(
                "for k in $(seq 1 {per}); do \"$0\" --data \"$1\" ticket create --title \"p{i}-$k\" --json || exit 1; done"
            );
            let mut c = std::process::Command::new("sh");
            c.arg("-c").arg(script).arg(env!("CARGO_BIN_EXE_desk")).arg(d.data()).env("DESK_NOW", &d.now);
            c.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let list = d
        .run(&["ticket", "list", "--limit", "1000", "--json"])
        .json();
    let mut numbers: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| s(&t["number"]).to_string())
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=6 * per).map(|k| format!("T20261129.{k:04}")).collect();
    assert_eq!(numbers, expected, "numbers must be unique and without gaps");
}

#[test]
fn queue_open_counts_follow_every_change() {
    let d = Desk::demo();
    let counts = |d: &Desk| -> Vec<(String, u64)> {
        d.run(&["queues", "--json"])
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|q| (s(&q["name"]).to_string(), q["open"].as_u64().unwrap()))
            .collect()
    };
    let open = |d: &Desk, q: &str| {
        counts(d)
            .into_iter()
            .find(|(n, _)| n == q)
            .map(|(_, c)| c)
            .unwrap()
    };
    let a = s(&d
        .run(&[
            "ticket", "create", "--title", "a", "--queue", "Level 1", "--json",
        ])
        .json()["number"])
    .to_string();
    let b = s(&d
        .run(&[
            "ticket", "create", "--title", "b", "--queue", "Level 1", "--json",
        ])
        .json()["number"])
    .to_string();
    assert_eq!((open(&d, "Level 1"), open(&d, "Level 2")), (2, 0));
    d.run(&["ticket", "update", &a, "--queue", "Level 2"])
        .json_ok();
    assert_eq!((open(&d, "Level 1"), open(&d, "Level 2")), (1, 1));
    d.run(&["ticket", "update", &a, "--status", "Complete"])
        .json_ok();
    assert_eq!(open(&d, "Level 2"), 0);
    d.run(&[
        "ticket",
        "update",
        &a,
        "--status",
        "In Progress",
        "--queue",
        "Level 1",
    ])
    .json_ok();
    assert_eq!(open(&d, "Level 1"), 2);
    d.run(&["ticket", "delete", &b, "--yes"]).json_ok();
    assert_eq!(open(&d, "Level 1"), 1);
}

#[test]
fn generated_demo_desk_counts_match_a_full_count() {
    let d = Desk::empty();
    d.run(&["init", "--demo", "--tickets", "3000"]).json_ok();
    let conn = rusqlite::Connection::open(d.store()).unwrap();
    let full: Vec<(i64, i64)> = conn
        .prepare("SELECT queue_id, COUNT(*) FROM tickets WHERE closed = 0 GROUP BY queue_id ORDER BY queue_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kept: Vec<(i64, i64)> = conn
        .prepare("SELECT queue_id, open FROM queue_counts WHERE open > 0 ORDER BY queue_id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(full, kept);
    // A ticket created after the bulk load still gets a fresh number and is searchable.
    let t = d
        .run(&["ticket", "create", "--title", "Zebra printer", "--json"])
        .json();
    let found = d
        .run(&["ticket", "list", "--search", "zebra", "--json"])
        .json();
    assert_eq!(found.as_array().unwrap()[0]["number"], t["number"]);
}

#[test]
fn deliver_hands_each_outbox_message_over_once() {
    let d = Desk::demo();
    d.as_(
        "lisa@contoso.example",
        &[
            "portal",
            "submit",
            "--title",
            "Screen flickers",
            "--issue-type",
            "Printer",
        ],
    )
    .json_ok();
    let pickup = d.dir.path().join("pickup");
    let r = d.run(&["deliver", "--to-dir", pickup.to_str().unwrap()]);
    assert!(r.stdout.contains("delivered 1 message"), "{}", r.stdout);
    let files: Vec<_> = std::fs::read_dir(&pickup)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let mail = std::fs::read_to_string(&files[0]).unwrap();
    assert!(mail.starts_with("To: lisa@contoso.example\r\n"), "{mail}");
    assert!(
        mail.contains(
            "Subject: [Northwind IT] Ticket T20261129.0001 received: Screen flickers\r\n"
        ),
        "{mail}"
    );
    assert!(mail.contains("X-Desk-Ticket: T20261129.0001"), "{mail}");
    // Nothing is delivered twice; the outbox still lists the message.
    let again = d.run(&["deliver", "--to-dir", pickup.to_str().unwrap()]);
    assert!(
        again.stdout.contains("delivered 0 message"),
        "{}",
        again.stdout
    );
    assert_eq!(
        d.run(&["notifications", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_killed_init_leaves_no_store_behind() {
    let d = Desk::empty();
    let mut child = d
        .cmd(&["init", "--demo", "--tickets", "5000000"])
        .spawn()
        .unwrap();
    // Wait (bounded) until the new store is being built beside its final place.
    let building = || {
        std::fs::read_dir(d.data())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .any(|e| e.file_name().to_string_lossy().contains(".init-"))
            })
            .unwrap_or(false)
    };
    let mut tries = 0;
    while !building() && tries < 2000 {
        std::thread::sleep(std::time::Duration::from_millis(5));
        tries += 1;
    }
    assert!(building(), "init never started building");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!d.store().exists(), "a killed init left a store in place");
    // Another process's build, still running, beside it (pid 1 always runs).
    let live = d.data().join(".desk.sqlite3.init-1");
    std::fs::write(&live, b"in use").unwrap();
    d.run(&["init", "--demo"]).json_ok();
    // The next init cleared what the killed one left, and only that.
    let left: Vec<String> = std::fs::read_dir(d.data())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".init-"))
        .collect();
    assert_eq!(left, vec![".desk.sqlite3.init-1".to_string()]);
    assert!(
        d.run(&["ticket", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn without_service_desk_access_reassigning_is_no_way_around_r8() {
    let d = Desk::demo();
    let annas = s(&d
        .run(&[
            "ticket", "create", "--title", "a", "--assign", "anna", "--json",
        ])
        .json()["number"])
    .to_string();
    let free = s(&d
        .run(&["ticket", "create", "--title", "b", "--json"])
        .json()["number"])
    .to_string();
    let before = d.dump();
    d.as_("ben", &["ticket", "update", &annas, "--assign", "ben"])
        .refused("ben may not assign ticket");
    d.as_("ben", &["ticket", "update", &free, "--assign", "chen"])
        .refused("assigned to nobody");
    // Taking an unassigned ticket was the way around R8 (take it, then run T1).
    d.as_("ben", &["ticket", "update", &free, "--assign", "ben"])
        .refused("may not assign");
    d.as_(
        "ben",
        &[
            "taskfire",
            "assign",
            &free,
            "--queue",
            "Contoso IT",
            "--note",
            "over",
        ],
    )
    .refused("may not assign to Taskfire");
    assert_eq!(before, d.dump());
    // Once Service Desk gives it to him, it is his to work and to hand on.
    d.run(&["ticket", "update", &free, "--assign", "ben"])
        .json_ok();
    d.as_("ben", &["note", "add", &free, "--text", "on it"])
        .json_ok();
    d.as_("ben", &["ticket", "update", &free, "--assign", "chen"])
        .json_ok();
    d.as_("ben", &["note", "add", &free, "--text", "again"])
        .refused("assigned to chen");
}

#[test]
fn a_series_recurs_in_the_zone_its_first_due_time_was_given_in() {
    // chen works in Singapore (no DST); the desk is in Berlin, which changes on 2026-03-29.
    let d = Desk::demo();
    let list = d
        .as_(
            "chen",
            &[
                "series",
                "create",
                "--title",
                "SG",
                "--company",
                "Contoso",
                "--first-due",
                "2026-03-20 09:00",
                "--every-days",
                "7",
                "--count",
                "3",
                "--json",
            ],
        )
        .json();
    let dues: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| s(&t["due_at"]))
        .collect();
    assert_eq!(
        dues,
        [
            "2026-03-20T01:00:00Z",
            "2026-03-27T01:00:00Z",
            "2026-04-03T01:00:00Z"
        ]
    );
}

#[test]
fn provider_work_complete_belongs_to_the_taskfire_version_only() {
    let d = Desk::demo();
    let n = s(&d
        .run(&["ticket", "create", "--title", "a", "--json"])
        .json()["number"])
    .to_string();
    d.run(&["ticket", "update", &n, "--status", "Provider Work Complete"])
        .refused("Taskfire version");
}

#[test]
fn an_escalated_ticket_is_acknowledged_to_its_contact() {
    let d = Desk::demo();
    let t = d
        .as_(
            "tom",
            &[
                "ticket",
                "create",
                "--title",
                "Door badge dead",
                "--contact",
                "lisa@contoso.example",
                "--json",
            ],
        )
        .json();
    let n = s(&t["number"]).to_string();
    let p = d
        .as_(
            "tom",
            &[
                "taskfire",
                "escalate",
                &n,
                "--note",
                "We cannot fix the reader",
                "--json",
            ],
        )
        .json();
    assert_eq!(s(&p["taskfire"]["held_by"]), "provider");
    let provider = d.run(&["ticket", "show", &n, "--json"]).json();
    assert_eq!(s(&provider["source"]), "Client Portal");
    assert_eq!(
        s(&provider["queue"]),
        "Client Portal",
        "no issue type: R1 routes to Client Portal"
    );
    let outbox = d.run(&["notifications", "--json"]).json();
    let events: Vec<(&str, &str)> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (s(&m["event"]), s(&m["to"])))
        .collect();
    assert!(
        events.contains(&("ticket_created", "lisa@contoso.example")),
        "{events:?}"
    );
    assert!(
        events.contains(&("taskfire_escalated", "anna@northwind.example")),
        "{events:?}"
    );
    // The portal shows the ticket with its one due date, not both desks' details.
    let portal = d
        .as_("lisa@contoso.example", &["portal", "show", &n, "--json"])
        .json();
    assert!(portal["taskfire"].is_null(), "{portal}");
}

#[test]
fn generating_tickets_needs_companies_and_staff() {
    let d = Desk::empty();
    let file = d.dir.path().join("min.toml");
    std::fs::write(&file, "[desk]\nname = \"Tiny\"\ntime_zone = \"UTC\"\n[[resources]]\nlogin = \"a\"\nname = \"A\"\nemail = \"a@x.example\"\n").unwrap();
    d.run(&["init", "--setup", file.to_str().unwrap(), "--tickets", "5"])
        .refused("at least one company");
    assert!(!d.store().exists());
    let leftovers: Vec<_> = std::fs::read_dir(d.data())
        .map(|r| r.filter_map(Result::ok).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_taskfire_version_keeps_the_tickets_creation() {
    let mut d = Desk::demo();
    d.now = "2026-11-20T09:00:00Z".into();
    let t = d
        .as_(
            "lisa@contoso.example",
            &[
                "portal",
                "submit",
                "--title",
                "Old printer",
                "--issue-type",
                "Printer",
                "--json",
            ],
        )
        .json();
    let n = s(&t["number"]).to_string();
    d.now = "2026-11-29T10:00:00Z".into();
    d.run(&[
        "taskfire",
        "assign",
        &n,
        "--queue",
        "Contoso IT",
        "--note",
        "yours now",
    ])
    .json_ok();
    let theirs = d.as_("tom", &["ticket", "show", &n, "--json"]).json();
    assert_eq!(theirs["created_at"], t["created_at"]);
    assert_eq!(theirs["created_by"], "lisa@contoso.example");
    assert_eq!(theirs["created_local"], t["created_local"]);
    assert_eq!(theirs["dates_differ"], false);
}

#[test]
fn generated_portal_tickets_come_from_contacts_with_the_portal() {
    let d = Desk::empty();
    d.run(&["init", "--demo", "--tickets", "2000"]).json_ok();
    let conn = rusqlite::Connection::open(d.store()).unwrap();
    let bad: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM tickets t JOIN sources s ON s.id = t.source_id JOIN contacts c ON c.id = t.creator_id
             WHERE s.name = 'Client Portal' AND t.creator_kind = 'contact' AND c.portal = 'none'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0);
    let by_staff: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM tickets t JOIN sources s ON s.id = t.source_id WHERE s.name = 'Client Portal' AND t.side = 0 AND t.creator_kind <> 'contact'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        by_staff, 0,
        "every generated portal ticket was submitted by a contact"
    );
}

/// `token create --expires`: a span, a time in the desk's zone or `never`; what is not one
/// of those, or is not in the future, is refused naming `expires` and makes no token.
#[test]
fn token_expiry_is_checked_and_a_refusal_makes_no_token() {
    let d = Desk::demo();
    let before = d.dump();
    for bad in [
        "12x",
        "-3d",
        "tomorrow",
        "2026-13-01",
        "",
        "20000000w",
        "99999999999999d",
    ] {
        d.run(&["token", "create", "anna", &format!("--expires={bad}")])
            .refused("expires");
    }
    // 10:30 in Berlin is 09:30 UTC, already past at 10:00 UTC.
    d.run(&["token", "create", "anna", "--expires", "2026-11-29 10:30"])
        .refused("not in the future");
    assert_eq!(
        before,
        d.dump(),
        "a refused token create wrote to the store"
    );

    let by_default = d.run(&["token", "create", "anna"]);
    assert_eq!(by_default.code, 0, "{}", by_default.stderr);
    assert!(by_default.stdout.trim().starts_with("desk_"));
    assert!(
        by_default.stderr.contains("expires 2027-02-27 11:00 CET"),
        "90 days by default: {}",
        by_default.stderr
    );
    let dated = d.run(&["token", "create", "ben", "--expires", "2027-03-01 17:00"]);
    assert!(
        dated.stderr.contains("expires 2027-03-01 17:00 CET"),
        "{}",
        dated.stderr
    );
    let never = d.run(&[
        "token",
        "create",
        "kim@contoso.example",
        "--expires",
        "never",
    ]);
    assert!(never.stderr.contains("never expires"), "{}", never.stderr);

    // `token list` shows whose, when made, until when; never the tokens themselves.
    let listed = d.run(&["token", "list", "--json"]).json();
    let rows: Vec<(&str, &Value, bool)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                s(&t["login"]),
                &t["expires_at"],
                t["expired"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("anna", &Value::from("2027-02-27T10:00:00Z"), false),
            ("ben", &Value::from("2027-03-01T16:00:00Z"), false),
            ("kim@contoso.example", &Value::Null, false),
        ]
    );
    let later = output_of(
        d.cmd(&["token", "list"])
            .env("DESK_NOW", "2027-03-02T00:00:00Z"),
    );
    assert!(
        later.contains("2027-03-01 17:00 CET (expired)") && later.contains("never"),
        "{later}"
    );
    for token in [&by_default.stdout, &dated.stdout, &never.stdout] {
        assert!(!later.contains(token.trim()), "a token was printed");
    }
}

fn output_of(c: &mut std::process::Command) -> String {
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}
