//! The web portal's pages against a real `desk serve`, each checked against what the
//! CLI (`desk portal ...`, `desk ticket show` as a technician) says of the same store:
//! *my tickets* is exactly R6 with R7's due dates, a ticket shows no internal note, a
//! submit is routed by R1, a note reaches the technician, and every refused form comes
//! back with what was typed, the error beside its field, and the store unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;
#[macro_use]
#[path = "common/portal.rs"]
mod portal;

use portal::{PASSWORD, Portal, cli, numbers};
use reqwest::StatusCode;
use serde_json::Value;

/// A ticket of Contoso made by a technician, with `kim` as its contact or not.
fn staff_ticket(p: &Portal, title: &str, contact: Option<&str>) -> String {
    let mut args = vec!["ticket", "create", "--title", title, "--company", "Contoso"];
    if let Some(c) = contact {
        args.extend(["--contact", c]);
    }
    cli(&p.store, "anna", &args)["number"]
        .as_str()
        .unwrap()
        .to_string()
}

fn notes(p: &Portal, number: &str) -> Vec<Value> {
    cli(&p.store, "anna", &["ticket", "show", number])["notes"]
        .as_array()
        .unwrap()
        .clone()
}

// The portal's core journey on both stores: sign in, see exactly one's own tickets (R6),
// never another company's, submit (R1).
on_both_stores! {
    my_tickets_is_exactly_what_r6_shows_each_contact(120),
    a_ticket_the_contact_may_not_see_is_the_same_404_as_a_missing_one(0),
    a_new_ticket_is_routed_by_r1_and_the_page_says_where_it_went(0),
}

async fn my_tickets_is_exactly_what_r6_shows_each_contact(p: Portal) {
    // One ticket that Kim's search finds, so that a search which finds nothing on
    // either side cannot pass for one that works.
    staff_ticket(&p, "Printer jams on floor 2", Some("kim@contoso.example"));
    for login in [
        "kim@contoso.example",
        "lisa@contoso.example",
        "ravi@fabrikam.example",
        "mia@fabrikam.example",
    ] {
        let mut v = p.signed_in(login).await;
        let portal = |extra: &[&str]| {
            let mut args = vec!["portal", "list", "--limit", "1000"];
            args.extend(extra);
            numbers(&cli(&p.store, login, &args))
        };
        let all = portal(&[]);
        assert!(!all.is_empty(), "{login} sees nothing");
        assert_eq!(
            v.all_pages("/portal/tickets?state=all").await,
            all,
            "{login}"
        );
        assert_eq!(
            v.all_pages("/portal/tickets").await,
            portal(&["--open"]),
            "{login}: open by default"
        );
        assert_eq!(
            v.all_pages("/portal/tickets?state=closed").await,
            portal(&["--closed"]),
            "{login}"
        );
        let printers = portal(&["--search", "printer"]);
        assert_eq!(
            v.all_pages("/portal/tickets?state=all&q=printer").await,
            printers,
            "{login}"
        );
        if login.ends_with("@contoso.example") {
            assert!(!printers.is_empty(), "{login} finds no printer ticket");
        }
    }
    // The manager's list is headed with the company; the basic contact's is theirs.
    let mut lisa = p.signed_in("lisa@contoso.example").await;
    let page = lisa.get("/portal/tickets").await;
    assert!(page.body.contains("<h1>Tickets of Contoso</h1>"));
    assert!(page.text().contains("Every ticket of Contoso"));
    let mut kim = p.signed_in("kim@contoso.example").await;
    assert!(
        kim.get("/portal/tickets")
            .await
            .body
            .contains("<h1>My tickets</h1>")
    );
}

#[tokio::test]
async fn a_page_of_my_tickets_names_the_zone_and_shows_the_portals_due_date() {
    let p = Portal::start(0);
    let number = staff_ticket(&p, "Shared printer", Some("kim@contoso.example"));
    cli(
        &p.store,
        "anna",
        &["ticket", "update", &number, "--due", "2026-12-10 12:00"],
    );
    // R7: held by Contoso's Taskfire desk, the portal shows the Taskfire due date.
    cli(
        &p.store,
        "anna",
        &[
            "taskfire",
            "assign",
            &number,
            "--queue",
            "Contoso IT",
            "--due",
            "2026-12-02T17:00:00Z",
            "--note",
            "Please check on site",
        ],
    );
    let shown = cli(
        &p.store,
        "kim@contoso.example",
        &["portal", "show", &number],
    );
    assert_eq!(shown["due_at"], "2026-12-02T17:00:00Z");
    let mut kim = p.signed_in("kim@contoso.example").await;
    let page = kim.get("/portal/tickets").await;
    // 17:00 UTC is 09:00 in Los Angeles; created 09:30 UTC is 01:30 PST.
    assert!(
        page.body
            .contains("<time datetime=\"2026-12-02T09:00:00-08:00\">2026-12-02 09:00 PST</time>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("2026-11-29 01:30 PST"), "{}", page.body);
    assert!(page.text().contains("times in America/Los_Angeles"));
    let ticket = kim.get(&format!("/portal/tickets/{number}")).await;
    assert!(ticket.body.contains("2026-12-02 09:00 PST"));
    // Another zone without a letter abbreviation names itself.
    let mut ravi = p.signed_in("ravi@fabrikam.example").await;
    let mine = cli(
        &p.store,
        "ravi@fabrikam.example",
        &[
            "portal",
            "submit",
            "--title",
            "Mouse",
            "--issue-type",
            "Printer",
        ],
    );
    let page = ravi
        .get(&format!(
            "/portal/tickets/{}",
            mine["number"].as_str().unwrap()
        ))
        .await;
    assert!(
        page.text().contains("2026-11-29 15:00 IST"),
        "{}",
        page.text()
    );
}

async fn a_ticket_the_contact_may_not_see_is_the_same_404_as_a_missing_one(p: Portal) {
    let kims = staff_ticket(&p, "Kim's laptop", Some("kim@contoso.example"));
    let lisas = staff_ticket(&p, "Lisa's monitor", Some("lisa@contoso.example"));
    let fabrikam = cli(
        &p.store,
        "ravi@fabrikam.example",
        &[
            "portal",
            "submit",
            "--title",
            "Fabrikam VPN",
            "--issue-type",
            "Printer",
        ],
    )["number"]
        .as_str()
        .unwrap()
        .to_string();
    let mut kim = p.signed_in("kim@contoso.example").await;
    assert_eq!(
        kim.get(&format!("/portal/tickets/{kims}")).await.status,
        StatusCode::OK
    );
    let missing = kim.get("/portal/tickets/T20261129.0999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Basic Kim may not see Lisa's ticket; nobody at Contoso sees Fabrikam's.
    for number in [&lisas, &fabrikam] {
        let hidden = kim.get(&format!("/portal/tickets/{number}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert_eq!(hidden.body, missing.body, "a hidden ticket looks missing");
        let csrf = kim.csrf().await;
        let res = kim
            .post(
                &format!("/portal/tickets/{number}/notes"),
                &[("csrf", &csrf), ("text", "Can I see this?")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
    assert!(notes(&p, &fabrikam).is_empty());
    // Lisa, the manager, sees both of Contoso's.
    let mut lisa = p.signed_in("lisa@contoso.example").await;
    for number in [&kims, &lisas] {
        assert_eq!(
            lisa.get(&format!("/portal/tickets/{number}")).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(
        lisa.get(&format!("/portal/tickets/{fabrikam}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_ticket_shows_its_fields_and_history_without_internal_notes() {
    let p = Portal::start(0);
    let number = staff_ticket(&p, "Printer <b>jams</b>", Some("kim@contoso.example"));
    // desk refuses control characters in a title now; a store written before it did
    // may still hold one, and the page must show it, never send it.
    rusqlite::Connection::open(p.store.path().join("desk.sqlite3"))
        .unwrap()
        .execute(
            "UPDATE tickets SET title = ?1 WHERE number = ?2",
            ["Printer <b>jams</b> \u{1b}[2J", number.as_str()],
        )
        .unwrap();
    let note = |text: &str, more: &[&str]| {
        let mut args = vec!["note", "add", &number, "--text", text];
        args.extend(more);
        cli(&p.store, "anna", &args);
    };
    note("Ordered a new fuser unit", &["--publish"]);
    note("Customer is grumpy, zebrafish", &[]);
    let mut kim = p.signed_in("kim@contoso.example").await;
    let page = kim.get(&format!("/portal/tickets/{number}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Ordered a new fuser unit"), "{text}");
    assert!(
        !page.body.contains("zebrafish"),
        "an internal note reached the portal"
    );
    // Text is escaped, never markup; control characters are shown, not sent.
    assert!(
        page.body
            .contains("Printer &#60;b&#62;jams&#60;/b&#62; ^[[2J"),
        "{}",
        page.body
    );
    assert!(!page.body.contains('\u{1b}'));
    for field in [
        "Status",
        "Priority",
        "Issue type",
        "Queue",
        "Due",
        "Created",
        "Contact",
    ] {
        assert!(page.body.contains(&format!("<dt>{field}</dt>")), "{field}");
    }
    assert!(text.contains("by anna"));
    // The same through search: the internal word finds nothing.
    let search = kim.get("/portal/tickets?state=all&q=zebrafish").await;
    assert!(
        search.ticket_links().iter().all(|n| n == "new"),
        "{}",
        search.body
    );
}

#[tokio::test]
async fn a_note_reaches_the_technician_with_browser_line_breaks_made_plain() {
    let p = Portal::start(0);
    let number = staff_ticket(&p, "Scanner", Some("kim@contoso.example"));
    let mut kim = p.signed_in("kim@contoso.example").await;
    let csrf = kim.csrf().await;
    let res = kim
        .post(
            &format!("/portal/tickets/{number}/notes"),
            &[
                ("csrf", &csrf),
                ("text", "It beeps twice.\r\nThen it stops."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.location(),
        format!("/portal/tickets/{number}?noted=1#history-title")
    );
    let page = kim.get(res.location()).await;
    assert!(page.text().contains("Your note was added."));
    assert!(page.text().contains("It beeps twice."));
    let n = notes(&p, &number);
    assert_eq!(n.len(), 1);
    assert_eq!(n[0]["kind"], "portal");
    assert_eq!(n[0]["author"], "kim@contoso.example");
    assert_eq!(n[0]["text"], "It beeps twice.\nThen it stops.");
    // Kim reads her own note and ticket as hers; her manager sees whose they are.
    assert!(
        page.body
            .contains(r#"<span class="note__author">You</span>"#)
    );
    assert!(page.text().contains("Contact You"), "{}", page.text());
    let mut lisa = p.signed_in("lisa@contoso.example").await;
    let theirs = lisa.get(&format!("/portal/tickets/{number}")).await;
    assert!(
        theirs
            .body
            .contains(r#"<span class="note__author">kim@contoso.example</span>"#)
    );
    assert!(theirs.text().contains("Contact kim@contoso.example"));
}

#[tokio::test]
async fn a_refused_note_keeps_the_text_and_changes_nothing() {
    let p = Portal::start(0);
    let number = staff_ticket(&p, "Scanner", Some("kim@contoso.example"));
    let mut kim = p.signed_in("kim@contoso.example").await;
    let mut lisa = p.signed_in("lisa@contoso.example").await;
    let right = kim.csrf().await;
    let other = lisa.csrf().await;
    let long = "ü".repeat(50_001);
    // The form, the answer, the text the form holds again, what the page says.
    type Case<'a> = (Vec<(&'a str, &'a str)>, StatusCode, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![("text", "no token")],
            StatusCode::FORBIDDEN,
            "no token",
            "This form had expired",
        ),
        (
            vec![("csrf", ""), ("text", "empty token")],
            StatusCode::FORBIDDEN,
            "empty token",
            "This form had expired",
        ),
        (
            vec![("csrf", &other), ("text", "Lisa's token")],
            StatusCode::FORBIDDEN,
            "Lisa's token",
            "This form had expired",
        ),
        (
            vec![("csrf", &right), ("text", "   ")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "   ",
            "Your note: must not be blank",
        ),
        (
            vec![("csrf", &right), ("text", "bell \u{7} here")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "bell \u{7} here",
            "control character",
        ),
        (
            vec![("csrf", &right), ("text", &long)],
            StatusCode::UNPROCESSABLE_ENTITY,
            &long,
            "Your note: is longer than 100000 bytes",
        ),
    ];
    for (form, status, kept, says) in cases {
        let res = kim
            .post(&format!("/portal/tickets/{number}/notes"), &form)
            .await;
        assert_eq!(res.status, status, "{says}");
        assert_eq!(res.textarea("text").as_deref(), Some(kept), "{says}");
        assert!(res.text().contains(says), "{says}: {}", res.text());
        // The error is named next to the field or at the top, and the form can be sent again.
        assert!(res.body.contains("There is a problem"));
        assert_eq!(res.input("csrf").as_deref(), Some(right.as_str()));
    }
    assert!(notes(&p, &number).is_empty());
}

#[tokio::test]
async fn a_note_whose_session_ended_survives_a_sign_in() {
    let mut p = Portal::start(0);
    let number = staff_ticket(&p, "Scanner", Some("kim@contoso.example"));
    let mut kim = p.signed_in("kim@contoso.example").await;
    let csrf = kim.csrf().await;
    p.restart_at("2026-11-29T12:00:00Z", &[]);
    kim.url = p.url.clone();
    let typed = "Long story:\r\nit never worked on Mondays.";
    let res = kim
        .post(
            &format!("/portal/tickets/{number}/notes"),
            &[("csrf", &csrf), ("text", typed)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(
        res.text()
            .contains("Your session has ended, so nothing was sent")
    );
    let draft = res.input("draft_text").unwrap();
    let then = res.input("then").unwrap();
    assert_eq!(then, format!("/portal/tickets/{number}"));
    assert!(notes(&p, &number).is_empty());
    // Signing in from that page shows the note again, unsent.
    let res = kim
        .post(
            "/portal/sign-in",
            &[
                ("login", "kim@contoso.example"),
                ("password", PASSWORD),
                ("then", &then),
                ("draft_text", &draft),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.text().contains("has not been sent yet"));
    assert_eq!(
        res.textarea("text").unwrap().replace("\r\n", "\n"),
        "Long story:\nit never worked on Mondays."
    );
    assert!(notes(&p, &number).is_empty());
    let csrf = res.input("csrf").unwrap();
    let text = res.textarea("text").unwrap();
    let sent = kim
        .post(
            &format!("/portal/tickets/{number}/notes"),
            &[("csrf", &csrf), ("text", &text)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(notes(&p, &number).len(), 1);
}

async fn a_new_ticket_is_routed_by_r1_and_the_page_says_where_it_went(p: Portal) {
    let mut kim = p.signed_in("kim@contoso.example").await;
    let form = kim.get("/portal/tickets/new").await;
    // The provider's issue types and Contoso's own; not another company's.
    for offered in [
        "Printer",
        "Network outage",
        "General question",
        "Badge access",
    ] {
        assert!(
            form.body.contains(&format!("<option value=\"{offered}\">")),
            "{offered}"
        );
    }
    let csrf = form.input("csrf").unwrap();
    for (issue_type, queue) in [
        ("Printer", "Level 1"),
        ("General question", "Client Portal"),
        // Contoso's own type names Contoso's queue; R1 still sends it to Client Portal.
        ("Badge access", "Client Portal"),
    ] {
        let res = kim
            .post(
                "/portal/tickets/new",
                &[
                    ("csrf", &csrf),
                    ("title", &format!("Help with {issue_type}")),
                    ("issue_type", issue_type),
                    ("description", "Since this morning.\r\nTried a restart."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let number = res.submitted();
        let page = kim.get(res.location()).await;
        assert!(
            page.text().contains(&format!(
                "Your ticket {number} was submitted. It went to the queue {queue}"
            )),
            "{}",
            page.text()
        );
        let staff = cli(&p.store, "anna", &["ticket", "show", &number]);
        assert_eq!(staff["source"], "Client Portal");
        assert_eq!(staff["queue"], queue);
        assert_eq!(staff["contact"], "kim@contoso.example");
        assert_eq!(
            staff["work_type"], "Remote Support",
            "the workflow rule ran"
        );
        assert_eq!(
            staff["description"],
            "Since this morning.\nTried a restart."
        );
    }
    let mut ravi = p.signed_in("ravi@fabrikam.example").await;
    let form = ravi.get("/portal/tickets/new").await;
    assert!(!form.body.contains("Badge access"));
}

#[tokio::test]
async fn a_refused_new_ticket_keeps_what_was_typed_and_writes_nothing() {
    let p = Portal::start(0);
    let mut kim = p.signed_in("kim@contoso.example").await;
    let csrf = kim.csrf().await;
    let before = cli(&p.store, "anna", &["ticket", "list", "--limit", "1000"]);
    let long = "t".repeat(501);
    let cases: Vec<(&str, &str, &str, &str)> = vec![
        ("", "Printer", "title", "Title: must not be blank"),
        (
            "Printer \u{1b}[2J jam",
            "Printer",
            "title",
            "an escape character (ESC)",
        ),
        ("two\r\nlines", "Printer", "title", "a line break"),
        (
            &long,
            "Printer",
            "title",
            "Title: is longer than 500 characters",
        ),
        ("Paper jam", "", "issue_type", "Issue type: must be chosen"),
        (
            "Paper jam",
            "Fabrikam special",
            "issue_type",
            "unknown issue type",
        ),
    ];
    for (title, issue_type, field, says) in cases {
        let description = "Typed with care.\r\nKeep me.";
        let res = kim
            .post(
                "/portal/tickets/new",
                &[
                    ("csrf", &csrf),
                    ("title", title),
                    ("issue_type", issue_type),
                    ("description", description),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{says}");
        assert!(res.text().contains(says), "{says}: {}", res.text());
        assert!(
            res.body.contains(&format!("id=\"{field}-error\"")),
            "{says}: error beside {field}"
        );
        assert!(
            res.body.contains(&format!("<a href=\"#{field}\">")),
            "{says}: summary links to {field}"
        );
        assert_eq!(res.input("title").as_deref(), Some(title), "{says}");
        assert_eq!(
            res.textarea("description").unwrap().replace("\r\n", "\n"),
            "Typed with care.\nKeep me."
        );
    }
    // Without a valid token: refused, typed text kept.
    let res = kim
        .post(
            "/portal/tickets/new",
            &[
                ("csrf", "forged"),
                ("title", "Forged"),
                ("issue_type", "Printer"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.input("title").as_deref(), Some("Forged"));
    assert_eq!(
        before,
        cli(&p.store, "anna", &["ticket", "list", "--limit", "1000"])
    );
}

#[tokio::test]
async fn a_new_ticket_whose_session_ended_survives_a_sign_in() {
    let mut p = Portal::start(0);
    let mut kim = p.signed_in("kim@contoso.example").await;
    let csrf = kim.csrf().await;
    p.restart_at("2026-11-29T23:00:00Z", &[]);
    kim.url = p.url.clone();
    let res = kim
        .post(
            "/portal/tickets/new",
            &[
                ("csrf", &csrf),
                ("title", "Monitor flickers"),
                ("issue_type", "Printer"),
                ("description", "Every few seconds."),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let mut form: Vec<(String, String)> = vec![
        ("login".into(), "kim@contoso.example".into()),
        ("password".into(), PASSWORD.into()),
    ];
    for name in [
        "then",
        "draft_title",
        "draft_issue_type",
        "draft_description",
    ] {
        form.push((
            name.into(),
            res.input(name).unwrap_or_else(|| panic!("{name}")),
        ));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let res = kim.post("/portal/sign-in", &form).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.input("title").as_deref(), Some("Monitor flickers"));
    assert!(res.body.contains("<option value=\"Printer\" selected>"));
    assert_eq!(
        res.textarea("description").as_deref(),
        Some("Every few seconds.")
    );
    let mine = cli(&p.store, "kim@contoso.example", &["portal", "list"]);
    assert!(numbers(&mine).is_empty(), "nothing was submitted yet");
}
