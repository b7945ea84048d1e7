//! With `--json` every command prints exactly one JSON document on stdout, whether it
//! succeeds or fails (docs/architecture.md, "The command line"). The list of commands is
//! read from `desk --help`, so a command added later without a case here fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::{Desk, Run, bin};
use serde_json::Value;
use std::collections::BTreeSet;

/// Exactly one JSON document: serde_json refuses anything after the first.
fn one_document(what: &str, r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: stdout is not one JSON document ({e}):\n{}",
            r.stdout
        )
    })
}

fn ok(d: &Desk, login: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let r = d.as_(login, &a);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    one_document(&args.join(" "), &r)
}

fn failed(d: &Desk, login: &str, args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.push("--json");
    let r = d.as_(login, &a);
    assert_ne!(r.code, 0, "{args:?} should fail");
    let v = one_document(&args.join(" "), &r);
    assert!(
        v["error"]["code"].is_string() && v["error"]["message"].is_string(),
        "{v}"
    );
    v
}

/// The commands `desk --help` lists (and those of each group), as "group sub".
fn commands() -> BTreeSet<String> {
    let help = |args: &[&str]| {
        let o = bin().args(args).arg("--help").output().unwrap();
        let text = String::from_utf8(o.stdout).unwrap();
        text.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|c| c != "help")
            .collect::<Vec<_>>()
    };
    let mut out = BTreeSet::new();
    for top in help(&[]) {
        let subs = help(&[&top]);
        if subs.is_empty() {
            out.insert(top);
        } else {
            out.extend(subs.into_iter().map(|s| format!("{top} {s}")));
        }
    }
    out
}

#[test]
fn every_command_prints_one_json_document() {
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let mut seen = |c: &str| {
        covered.insert(c.to_string());
    };

    let d = Desk::empty();
    let init = ok(&d, "anna", &["init", "--demo"]);
    assert_eq!(init["created"]["desk"], "Northwind IT");
    seen("init");

    let token = ok(&d, "anna", &["token", "create", "ben"]);
    assert_eq!(token["login"], "ben");
    assert!(token["token"].as_str().unwrap().len() > 20);
    assert!(
        token["expires_at"]
            .as_str()
            .unwrap()
            .starts_with("2027-02-27T")
    );
    seen("token create");
    assert!(ok(&d, "anna", &["token", "list"]).is_array());
    seen("token list");
    assert_eq!(ok(&d, "anna", &["token", "revoke", "ben"])["revoked"], 1);
    seen("token revoke");

    // The portal's password, on standard input, and an invite link.
    let mut c = d.cmd(&["--json", "contact", "set-password", "lisa@contoso.example"]);
    let mut child = c
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"correct horse battery\n").unwrap();
    }
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let set: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(set["login"], "lisa@contoso.example");
    assert_eq!(set["sessions_ended"], 0);
    seen("contact set-password");
    let invite = ok(
        &d,
        "anna",
        &[
            "contact",
            "invite",
            "kim@contoso.example",
            "--public-url",
            "https://desk.example.com",
        ],
    );
    assert_eq!(invite["login"], "kim@contoso.example");
    assert!(
        invite["link"]
            .as_str()
            .unwrap()
            .starts_with("https://desk.example.com/portal/invite/")
    );
    assert!(invite["expires_at"].as_str().unwrap().ends_with('Z'));
    seen("contact invite");

    let t = ok(
        &d,
        "anna",
        &[
            "ticket",
            "create",
            "--title",
            "Printer",
            "--company",
            "Contoso",
        ],
    );
    let n = t["number"].as_str().unwrap().to_string();
    seen("ticket create");
    assert!(ok(&d, "anna", &["ticket", "list"]).is_array());
    seen("ticket list");
    assert_eq!(ok(&d, "anna", &["ticket", "count", "--open"])["count"], 1);
    seen("ticket count");
    assert_eq!(ok(&d, "anna", &["ticket", "seen", &n])["seen"], n.as_str());
    seen("ticket seen");
    assert_eq!(
        ok(&d, "anna", &["ticket", "show", &n])["number"],
        n.as_str()
    );
    seen("ticket show");
    ok(
        &d,
        "anna",
        &["ticket", "update", &n, "--status", "In Progress"],
    );
    seen("ticket update");
    ok(&d, "anna", &["note", "add", &n, "--text", "checked"]);
    seen("note add");
    let s = ok(
        &d,
        "anna",
        &[
            "series",
            "create",
            "--title",
            "Patch",
            "--company",
            "Contoso",
            "--first-due",
            "2026-12-01 09:00",
            "--every-days",
            "7",
            "--count",
            "2",
        ],
    );
    assert_eq!(s.as_array().unwrap().len(), 2);
    seen("series create");

    ok(
        &d,
        "anna",
        &[
            "taskfire",
            "assign",
            &n,
            "--queue",
            "Contoso IT",
            "--resource",
            "tom",
            "--note",
            "yours",
        ],
    );
    seen("taskfire assign");
    ok(&d, "anna", &["taskfire", "ask", &n, "--note", "done?"]);
    seen("taskfire ask");
    ok(&d, "anna", &["taskfire", "complete", &n]);
    seen("taskfire complete");
    ok(
        &d,
        "tom",
        &["taskfire", "escalate", &n, "--note", "back to you"],
    );
    seen("taskfire escalate");

    let lisa = "lisa@contoso.example";
    let p = ok(
        &d,
        lisa,
        &[
            "portal",
            "submit",
            "--title",
            "VPN",
            "--issue-type",
            "Printer",
        ],
    );
    let pn = p["number"].as_str().unwrap().to_string();
    seen("portal submit");
    assert!(ok(&d, lisa, &["portal", "list"]).is_array());
    seen("portal list");
    ok(&d, lisa, &["portal", "show", &pn]);
    seen("portal show");
    ok(&d, lisa, &["portal", "note", &pn, "--text", "thanks"]);
    seen("portal note");

    assert!(ok(&d, "anna", &["queues"]).is_array());
    seen("queues");
    assert!(ok(&d, "anna", &["notifications", "--limit", "1"]).is_array());
    seen("notifications");
    let pickup = d.dir.path().join("pickup");
    let sent = ok(
        &d,
        "anna",
        &["deliver", "--to-dir", pickup.to_str().unwrap()],
    );
    assert!(sent["delivered"].as_u64().unwrap() > 0);
    seen("deliver");
    assert_eq!(
        ok(&d, "anna", &["ticket", "delete", &pn, "--yes"])["deleted"],
        pn.as_str()
    );
    seen("ticket delete");

    // Copying into a database that is not there: the error, as JSON (the copy itself:
    // tests/backend_contract.rs).
    let v = failed(
        &d,
        "anna",
        &["store", "copy", "--to", "postgres://desk@127.0.0.1:1/none"],
    );
    assert_eq!(v["error"]["code"], "unavailable", "{v}");
    seen("store copy");

    // The two that run until stopped say so, as one JSON error document.
    for c in ["demo", "serve"] {
        let v = failed(&d, "anna", &[c]);
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("run until stopped"),
            "{v}"
        );
        seen(c);
    }
    // A shell script and a man page are not JSON: refused, as JSON.
    for c in [&["completions", "bash"][..], &["man"]] {
        let v = failed(&d, "anna", c);
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("does not apply"),
            "{v}"
        );
        seen(c[0]);
    }

    let missing: Vec<String> = commands().difference(&covered).cloned().collect();
    assert!(
        missing.is_empty(),
        "commands without a --json case here: {missing:?}"
    );
}

#[test]
fn failures_are_one_json_document_too() {
    let d = Desk::demo();
    let v = failed(&d, "anna", &["ticket", "show", "T19990101.0001"]);
    assert_eq!(v["error"]["code"], "not_found");
    let v = failed(&d, "ben", &["ticket", "delete", "T19990101.0001", "--yes"]);
    assert_eq!(v["error"]["code"], "not_found");
    // Even what clap itself refuses: stdout has the error, stderr clap's usage text.
    let v = failed(&d, "anna", &["notifications", "--limit", "0"]);
    assert_eq!(v["error"]["code"], "invalid");
    assert!(
        v["error"]["message"].as_str().unwrap().contains("--limit"),
        "{v}"
    );
    let v = failed(&d, "anna", &["ticket", "frobnicate"]);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("frobnicate"),
        "{v}"
    );
    // And the TUI, which has no answer to give.
    let v = failed(&d, "anna", &[]);
    assert!(
        v["error"]["message"].as_str().unwrap().contains("--json"),
        "{v}"
    );
}
