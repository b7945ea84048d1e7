//! The web portal's doors through raw HTTP against a real `desk serve`: signing in and
//! out, what a session cookie is and when it ends, invites, failed sign-ins slowed and
//! refused, forms from other sites, and the security headers on every answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;
#[path = "common/portal.rs"]
mod portal;

use portal::{PASSWORD, Portal, cli};
use reqwest::StatusCode;

const WRONG: &str = "The login or the password is not right.";

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let p = Portal::start(5);
    let mut v = p.visitor();
    let signed = p.signed_in("kim@contoso.example").await;
    let mut s = signed;
    let pages = [
        v.get("/portal/sign-in").await,
        v.get("/portal/tickets").await,
        v.get("/portal/no-such-page").await,
        v.get("/portal/static/portal.css").await,
        v.get("/portal/").await,
        s.get("/portal/tickets").await,
        s.get("/portal/tickets/T20261129.9999").await,
        v.post("/portal/tickets", &[]).await,
    ];
    for page in &pages {
        let csp = page.header("content-security-policy");
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("script-src"), "no script may run: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(page.header("x-content-type-options"), "nosniff");
        assert_eq!(page.header("referrer-policy"), "same-origin");
    }
    // Pages are private; the stylesheet may be cached.
    assert_eq!(pages[5].header("cache-control"), "no-store");
    assert_eq!(pages[3].header("content-type"), "text/css; charset=utf-8");
    // Unknown pages and methods are HTML, not the API's JSON.
    assert_eq!(pages[2].status, StatusCode::NOT_FOUND);
    assert!(pages[2].body.contains("<h1>Page not found</h1>"));
    assert_eq!(pages[7].status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(pages[7].header("content-type").starts_with("text/html"));
    // A missing ticket is the same 404 page.
    assert_eq!(pages[6].status, StatusCode::NOT_FOUND);
    assert!(pages[6].body.contains("<h1>Page not found</h1>"));
}

#[tokio::test]
async fn a_session_cookie_is_http_only_lax_and_holds_nothing_but_a_random_id() {
    let p = Portal::start(0);
    let mut v = p.visitor();
    let res = v
        .post(
            "/portal/sign-in",
            &[("login", "Kim@Contoso.example "), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/portal/tickets");
    let cookie = res.header("set-cookie");
    assert!(cookie.starts_with("desk_portal="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{cookie} lacks {part}");
    }
    // Plain http: not Secure (a browser would not send it back).
    assert!(!cookie.contains("Secure"), "{cookie}");
    let id = v.cookie.clone().unwrap();
    let id = id.split_once('=').unwrap().1;
    assert_eq!(id.len(), 64);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    let page = v.get("/portal/tickets").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Kim Novak"));
}

#[tokio::test]
async fn with_an_https_public_url_the_cookie_is_secure_and_mail_links_to_the_portal() {
    let p = Portal::start_with(0, &["--public-url", "https://desk.example.com/"]);
    let mut v = p.visitor();
    let res = v
        .post(
            "/portal/sign-in",
            &[("login", "kim@contoso.example"), ("password", PASSWORD)],
        )
        .await;
    let cookie = res.header("set-cookie");
    assert!(cookie.starts_with("__Host-desk_portal="), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    // A form from the public address is the portal's own, too.
    let csrf = v.csrf().await;
    let res = v
        .post_from(
            "/portal/tickets/new",
            Some("https://desk.example.com"),
            &[
                ("csrf", &csrf),
                ("title", "Printer offline"),
                ("issue_type", "Printer"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let number = res.submitted();
    let mail = cli(&p.store, "anna", &["notifications"]);
    let to_kim = mail
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["ticket"] == number.as_str() && m["to"] == "kim@contoso.example")
        .unwrap();
    let link = format!("https://desk.example.com/portal/tickets/{number}");
    assert!(to_kim["body"].as_str().unwrap().contains(&link), "{to_kim}");
}

#[tokio::test]
async fn unknown_login_wrong_password_and_staff_get_the_same_answer() {
    let p = Portal::start(0);
    let mut answers = Vec::new();
    for (login, password) in [
        ("kim@contoso.example", "not the password at all"),
        ("nobody@nowhere.example", PASSWORD),
        ("anna", PASSWORD),
        // A contact who never had a password.
        ("joe@tailspin.example", PASSWORD),
    ] {
        let mut v = p.visitor();
        let res = v
            .post(
                "/portal/sign-in",
                &[("login", login), ("password", password)],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{login}");
        assert!(res.text().contains(WRONG), "{login}: {}", res.text());
        assert!(v.cookie.is_none(), "{login} got a session");
        // The login is kept in the form; the password never comes back.
        assert_eq!(res.input("login").as_deref(), Some(login));
        assert!(!res.body.contains(password));
        answers.push(res.body.replace(login, "LOGIN"));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "answers differ");
}

#[tokio::test]
async fn a_contact_whose_portal_level_is_none_is_told_so() {
    let p = Portal::start(0);
    let mut v = p.visitor();
    let res = v
        .post(
            "/portal/sign-in",
            &[("login", "pat@tailspin.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(
        res.text().contains("Portal access is switched off"),
        "{}",
        res.text()
    );
    assert!(v.cookie.is_none());
    // A wrong password for the same contact says nothing about the level.
    let res = v
        .post(
            "/portal/sign-in",
            &[
                ("login", "pat@tailspin.example"),
                ("password", "wrong wrong wrong"),
            ],
        )
        .await;
    assert!(res.text().contains(WRONG));
}

#[tokio::test]
async fn blank_fields_are_named_and_cost_no_attempt() {
    let p = Portal::start(0);
    let mut v = p.visitor();
    for _ in 0..8 {
        let res = v
            .post("/portal/sign-in", &[("login", " "), ("password", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("Enter your login"));
        assert!(res.text().contains("Enter your password"));
        assert!(res.body.contains("aria-invalid=\"true\""));
    }
    // Still free to sign in: blanks were not failures.
    p.signed_in("kim@contoso.example").await;
}

#[tokio::test]
async fn repeated_failures_are_slowed_per_login_then_per_address() {
    let p = Portal::start(0);
    let mut v = p.visitor();
    let bad = |login: &'static str| [("login", login), ("password", "guess guess guess")];
    for _ in 0..5 {
        let res = v.post("/portal/sign-in", &bad("kim@contoso.example")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    // The sixth try waits (the server's clock is frozen, so the wait never passes),
    // even with the right password, and says so.
    for password in ["guess guess guess", PASSWORD] {
        let res = v
            .post(
                "/portal/sign-in",
                &[("login", "KIM@contoso.example"), ("password", password)],
            )
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            res.text()
                .contains("Too many failed sign-ins for this login. Wait 1 seconds"),
            "{}",
            res.text()
        );
        assert_eq!(res.header("retry-after"), "1");
        assert!(v.cookie.is_none());
    }
    // Another login from the same address is not held up by Kim's failures...
    p.signed_in("lisa@contoso.example").await;
    // ... until the address has failed twenty times, with any logins.
    for i in 0..15 {
        let login = format!("guess{i}@nowhere.example");
        let res = v
            .post(
                "/portal/sign-in",
                &[("login", &login), ("password", "x y z")],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{i}");
    }
    let res = v
        .post(
            "/portal/sign-in",
            &[("login", "lisa@contoso.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        res.text()
            .contains("Too many failed sign-ins from your network"),
        "{}",
        res.text()
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_and_needs_the_forms_token() {
    let p = Portal::start(0);
    let mut v = p.signed_in("kim@contoso.example").await;
    let cookie = v.cookie.clone();
    // Without its token, sign-out is refused and the session stays.
    let res = v.post("/portal/sign-out", &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(v.get("/portal/tickets").await.status, StatusCode::OK);
    let csrf = v.csrf().await;
    let res = v.post("/portal/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/portal/sign-in?signed_out=1");
    assert!(res.header("set-cookie").contains("Max-Age=0"));
    assert!(v.cookie.is_none());
    // The old cookie no longer opens anything.
    v.cookie = cookie;
    let res = v.get("/portal/tickets").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/portal/sign-in?then=%2Fportal%2Ftickets");
    let page = v.get("/portal/sign-in?signed_out=1").await;
    assert!(page.text().contains("You have signed out."));
}

#[tokio::test]
async fn pages_without_a_session_send_to_sign_in_and_back() {
    let p = Portal::start(0);
    let mut v = p.visitor();
    for (path, then) in [
        ("/portal/tickets", "%2Fportal%2Ftickets"),
        ("/portal/tickets/new", "%2Fportal%2Ftickets%2Fnew"),
        (
            "/portal/tickets?state=closed&q=printer",
            "%2Fportal%2Ftickets%3Fstate%3Dclosed%26q%3Dprinter",
        ),
    ] {
        let res = v.get(path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.location(), format!("/portal/sign-in?then={then}"));
    }
    // A forged session id is no session.
    v.cookie = Some(format!("desk_portal={}", "0".repeat(64)));
    assert_eq!(v.get("/portal/tickets").await.status, StatusCode::SEE_OTHER);
    // Signing in from such a page comes back to it.
    let mut v = p.visitor();
    let form = v
        .get("/portal/sign-in?then=%2Fportal%2Ftickets%3Fstate%3Dclosed")
        .await;
    assert_eq!(
        form.input("then").as_deref(),
        Some("/portal/tickets?state=closed")
    );
    let res = v
        .post(
            "/portal/sign-in",
            &[
                ("login", "kim@contoso.example"),
                ("password", PASSWORD),
                ("then", "/portal/tickets?state=closed"),
            ],
        )
        .await;
    assert_eq!(res.location(), "/portal/tickets?state=closed");
    // But never to another site.
    let mut v = p.visitor();
    let res = v
        .post(
            "/portal/sign-in",
            &[
                ("login", "kim@contoso.example"),
                ("password", PASSWORD),
                ("then", "//evil.example/portal/"),
            ],
        )
        .await;
    assert_eq!(res.location(), "/portal/tickets");
}

#[tokio::test]
async fn a_session_ends_after_an_hour_unused_and_the_page_says_why() {
    let mut p = Portal::start(0);
    let mut v = p.signed_in("kim@contoso.example").await;
    // 59 minutes later it still works (and that use keeps it open)...
    p.restart_at("2026-11-29T10:29:00Z", &[]);
    v.url = p.url.clone();
    assert_eq!(v.get("/portal/tickets").await.status, StatusCode::OK);
    // ... an hour after that use, it has ended.
    p.restart_at("2026-11-29T11:29:00Z", &[]);
    v.url = p.url.clone();
    let res = v.get("/portal/tickets").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        res.location(),
        "/portal/sign-in?then=%2Fportal%2Ftickets&ended=1"
    );
    let page = v.get(res.location()).await;
    assert!(
        page.text().contains("Your session has ended"),
        "{}",
        page.text()
    );
}

#[tokio::test]
async fn revoking_a_contacts_tokens_ends_their_portal_sessions() {
    let p = Portal::start(0);
    let mut kim = p.signed_in("kim@contoso.example").await;
    let mut lisa = p.signed_in("lisa@contoso.example").await;
    let out = desk::desk()
        .arg("--data")
        .arg(p.store.path())
        .args(["token", "revoke", "kim@contoso.example"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("ended 1 portal session"), "{said}");
    assert_eq!(
        kim.get("/portal/tickets").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(lisa.get("/portal/tickets").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_invite_link_sets_the_password_once_and_signs_in() {
    let p = Portal::start(0);
    let out = desk::desk()
        .arg("--data")
        .arg(p.store.path())
        .args(["contact", "invite", "joe@tailspin.example", "--public-url"])
        .arg(&p.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let path = link.strip_prefix(&p.url).unwrap().to_string();
    assert!(path.starts_with("/portal/invite/"), "{link}");
    let mut v = p.visitor();
    let page = v.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("For joe@tailspin.example"),
        "{}",
        page.text()
    );
    assert!(
        page.text().contains("2026-12-06"),
        "valid for 7 days: {}",
        page.text()
    );
    for (password, again, says) in [
        (
            "short",
            "short",
            "must be at least 12 characters long (it has 5)",
        ),
        (
            "twelve chars ok",
            "twelve chars ok!",
            "The two passwords are not the same",
        ),
    ] {
        let res = v
            .post(&path, &[("password", password), ("again", again)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains(says), "{}", res.text());
    }
    let new = "joe's own long password";
    let res = v.post(&path, &[("password", new), ("again", new)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/portal/tickets");
    assert_eq!(v.get("/portal/tickets").await.status, StatusCode::OK);
    // Used up.
    let again = p.visitor().get(&path).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.text().contains("This link does not work"));
    let res = p
        .visitor()
        .post(&path, &[("password", new), ("again", new)])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // And the new password signs in.
    let mut w = p.visitor();
    let res = w
        .post(
            "/portal/sign-in",
            &[("login", "joe@tailspin.example"), ("password", new)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let forged = p.visitor().get("/portal/invite/0123456789abcdef").await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_form_from_another_site_does_nothing() {
    let p = Portal::start(0);
    let mut v = p.signed_in("kim@contoso.example").await;
    let csrf = v.csrf().await;
    let before = cli(
        &p.store,
        "anna",
        &["ticket", "list", "--source", "Client Portal"],
    );
    for origin in ["https://evil.example", "null"] {
        let res = v
            .post_from(
                "/portal/tickets/new",
                Some(origin),
                &[
                    ("csrf", &csrf),
                    ("title", "Forged"),
                    ("issue_type", "Printer"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{origin}");
        assert!(res.text().contains("Sent from another site"));
        // Nor can another site sign someone in (login CSRF).
        let mut w = p.visitor();
        let res = w
            .post_from(
                "/portal/sign-in",
                Some(origin),
                &[("login", "kim@contoso.example"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(w.cookie.is_none());
    }
    let after = cli(
        &p.store,
        "anna",
        &["ticket", "list", "--source", "Client Portal"],
    );
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_body_past_the_form_limit_is_refused_with_a_page() {
    let p = Portal::start(0);
    let mut v = p.signed_in("kim@contoso.example").await;
    let csrf = v.csrf().await;
    let huge = "x".repeat(600 * 1024);
    let res = v
        .post(
            "/portal/tickets/new",
            &[("csrf", &csrf), ("title", "t"), ("description", &huge)],
        )
        .await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.header("content-type").starts_with("text/html"));
    assert!(
        res.text()
            .contains("more than the portal takes (512 KiB), so nothing was saved"),
        "{}",
        res.text()
    );
    // The rest of the body was not read: the connection closes.
    assert_eq!(res.header("connection"), "close");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tries_at_once_cannot_slip_past_the_limit() {
    let p = Portal::start(0);
    let mut tries = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let mut v = p.visitor();
        tries.spawn(async move {
            let form = [
                ("login", "kim@contoso.example"),
                ("password", "guess guess guess"),
            ];
            v.post("/portal/sign-in", &form).await.status
        });
    }
    let answers = tries.join_all().await;
    let wrong = answers
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let slowed = answers
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    // Five are checked (the free ones); the others are refused before any hashing.
    assert_eq!((wrong, slowed), (5, 7), "{answers:?}");
}
