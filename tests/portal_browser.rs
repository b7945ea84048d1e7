//! Journeys through the web portal in a real headless Chromium driven over WebDriver
//! (chromedriver), against a real `desk serve`: sign in, list, open, submit (routed by
//! R1, checked through the CLI), add a note (the technician sees it), sign out; a basic
//! contact and a manager of one company see what R6 says; everything by keyboard alone;
//! screenshots at phone and desktop width. Skipped, saying so, where Chromium or
//! chromedriver is missing, except under CI=true, where that is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/desk.rs"]
mod desk;
#[path = "common/portal.rs"]
mod portal;

use portal::{PASSWORD, Portal, cli, numbers};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use thirtyfour::prelude::*;

const CHROMIUMS: [&str; 3] = [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
];

/// chromedriver on a loopback port, ended on drop.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Chromium and chromedriver, or why not.
fn tools() -> Result<(String, String), String> {
    let chromium = CHROMIUMS
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .ok_or("chromium is not installed")?;
    Command::new("chromedriver")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .ok_or("chromedriver is not installed")?;
    Ok((chromium.to_string(), "chromedriver".to_string()))
}

/// The tools, or `None` after saying why this test is skipped (a failure under CI).
fn tools_or_skip() -> Option<(String, String)> {
    match tools() {
        Ok(t) => Some(t),
        Err(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "{why}; CI must run the browser journeys (.ci/run installs chromium and chromium-driver)"
            )
        }
        Err(why) => {
            println!("skipped: {why} (apt-get install chromium chromium-driver)");
            None
        }
    }
}

fn start_driver(driver: &str) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // chromedriver says when it listens: read that line, no polling or sleeping.
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 && !line.contains("started successfully") {
        line.clear();
    }
    assert!(
        line.contains("started successfully"),
        "chromedriver: {line}"
    );
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

/// A portal, chromedriver and the browsers of one test.
struct Run {
    portal: Portal,
    chromium: String,
    driver: Driver,
    profiles: Vec<tempfile::TempDir>,
}

impl Run {
    /// `None` when the test is skipped (see `tools_or_skip`).
    fn start(tickets: u64) -> Option<Run> {
        Run::on(|| Some(Portal::start(tickets)))
    }

    /// The same on a PostgreSQL desk (skipped without a test server, as `Portal::start_pg`).
    fn start_pg(test: &str, tickets: u64) -> Option<Run> {
        Run::on(|| Portal::start_pg(test, tickets))
    }

    fn on(portal: impl FnOnce() -> Option<Portal>) -> Option<Run> {
        let (chromium, driver) = tools_or_skip()?;
        Some(Run {
            portal: portal()?,
            chromium,
            driver: start_driver(&driver),
            profiles: Vec::new(),
        })
    }

    /// Another browser, with a profile of its own.
    async fn browser(&mut self, width: u32, height: u32) -> WebDriver {
        let profile = tempfile::tempdir().unwrap();
        let b = browser(&self.chromium, &self.driver, profile.path(), width, height).await;
        self.profiles.push(profile);
        b
    }
}

/// A fresh headless Chromium of `width` x `height` with its own profile.
async fn browser(
    chromium: &str,
    driver: &Driver,
    profile: &std::path::Path,
    width: u32,
    height: u32,
) -> WebDriver {
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(chromium).unwrap();
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        &format!("--user-data-dir={}", profile.display()),
        &format!("--window-size={width},{height}"),
    ] {
        caps.add_arg(arg).unwrap();
    }
    // Headless windows are at least 500 pixels wide; a phone's width is emulated.
    if width < 500 {
        let metrics = serde_json::json!({ "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1 } });
        caps.add_experimental_option("mobileEmulation", metrics)
            .unwrap();
    }
    WebDriver::new(driver.url.clone(), caps).await.unwrap()
}

fn screens() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("portal-screens");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn sign_in(b: &WebDriver, url: &str, login: &str) {
    visit(b, format!("{url}/portal/")).await;
    typ(b, By::Id("login"), login).await;
    typ(b, By::Id("password"), PASSWORD).await;
    follow(b, By::Css("main button[type=submit]")).await;
    assert!(
        b.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/portal/tickets")
    );
}

async fn typ(b: &WebDriver, by: By, text: &str) {
    b.find(by).await.unwrap().send_keys(text).await.unwrap();
}

async fn click(b: &WebDriver, by: By) {
    b.find(by).await.unwrap().click().await.unwrap();
}

async fn text_of(b: &WebDriver, by: By) -> String {
    b.find(by).await.unwrap().text().await.unwrap()
}

async fn visit(b: &WebDriver, url: String) {
    b.goto(url).await.unwrap();
}

/// Clicks what `by` finds and waits until the page it leads to has replaced this one.
async fn follow(b: &WebDriver, by: By) {
    let page = b.find(By::Tag("html")).await.unwrap();
    b.find(by).await.unwrap().click().await.unwrap();
    page.wait_until().stale().await.unwrap();
}

async fn heading(b: &WebDriver) -> String {
    text_of(b, By::Tag("h1")).await
}

/// The number of the ticket the page shows (its heading starts with it).
async fn shown_number(b: &WebDriver) -> String {
    let h = heading(b).await;
    h.split_whitespace().next().unwrap_or_default().to_string()
}

/// The ticket numbers the current list page shows.
async fn listed(b: &WebDriver) -> Vec<String> {
    let mut out = Vec::new();
    for a in b
        .find_all(By::Css("table.tickets td:first-child a"))
        .await
        .unwrap()
    {
        out.push(a.text().await.unwrap());
    }
    out
}

/// What a page does for assistive technology, checked the same way on every page: one
/// h1, the landmarks, a label for every field, and our stylesheet applied.
async fn check_page(b: &WebDriver) {
    let v = b
        .execute(
            r#"
            const unlabelled = [...document.querySelectorAll('input:not([type=hidden]):not([hidden]), select, textarea')]
              .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name);
            return {
              h1: document.querySelectorAll('h1').length,
              main: document.querySelectorAll('main').length,
              header: document.querySelectorAll('header').length,
              lang: document.documentElement.lang,
              unlabelled,
              styled: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
            };"#,
            Vec::new(),
        )
        .await
        .unwrap();
    let v = v.json();
    assert_eq!(v["h1"], 1, "{v}");
    assert_eq!(v["main"], 1, "{v}");
    assert_eq!(v["header"], 1, "{v}");
    assert_eq!(v["lang"], "en", "{v}");
    assert_eq!(v["unlabelled"], serde_json::json!([]), "{v}");
    // The stylesheet loaded under the CSP (the header is dark navy, not transparent).
    assert_eq!(v["styled"], "rgb(20, 33, 61)", "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_signs_in_submits_adds_a_note_and_signs_out() {
    let Some(mut run) = Run::start(30) else {
        return;
    };
    let b = run.browser(1280, 900).await;
    let p = &run.portal;

    sign_in(&b, &p.url, "kim@contoso.example").await;
    check_page(&b).await;
    assert_eq!(heading(&b).await, "My tickets");
    let open = cli(
        &p.store,
        "kim@contoso.example",
        &["portal", "list", "--open", "--limit", "1000"],
    );
    assert_eq!(listed(&b).await, numbers(&open));

    // Submit a ticket.
    follow(&b, By::LinkText("New ticket")).await;
    check_page(&b).await;
    typ(&b, By::Id("title"), "Printer on floor 3 prints blank pages").await;
    click(&b, By::Css("#issue_type option[value='Printer']")).await;
    typ(
        &b,
        By::Id("description"),
        "Since this morning.\nToner is new.",
    )
    .await;
    follow(&b, By::Css("main button[type=submit]")).await;
    let banner = text_of(&b, By::Css(".banner")).await;
    let number = shown_number(&b).await;
    assert!(
        banner.contains(&format!(
            "Your ticket {number} was submitted. It went to the queue Level 1"
        )),
        "{banner}"
    );
    // R1 through the CLI: a technician's view of it.
    let staff = cli(&p.store, "anna", &["ticket", "show", &number]);
    assert_eq!(staff["source"], "Client Portal");
    assert_eq!(staff["queue"], "Level 1");
    assert_eq!(staff["description"], "Since this morning.\nToner is new.");
    b.screenshot(&screens().join("desktop-ticket-submitted.png"))
        .await
        .unwrap();

    // Add a note; the technician sees it.
    typ(&b, By::Id("text"), "It also smells of burnt toast.").await;
    follow(&b, By::Css(".add-note button[type=submit]")).await;
    assert_eq!(
        text_of(&b, By::Css(".banner")).await,
        "Your note was added."
    );
    let notes = cli(&p.store, "anna", &["ticket", "show", &number])["notes"].clone();
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["text"] == "It also smells of burnt toast."
                && n["kind"] == "portal"
                && n["author"] == "kim@contoso.example"),
        "{notes}"
    );

    // The list shows it; open it from there.
    follow(&b, By::LinkText("My tickets")).await;
    assert_eq!(listed(&b).await.first(), Some(&number));
    follow(&b, By::LinkText(number.as_str())).await;
    assert!(heading(&b).await.starts_with(&number));
    assert!(
        text_of(&b, By::Css(".history"))
            .await
            .contains("burnt toast")
    );

    // A refused note keeps its text, with the error beside the field.
    follow(&b, By::Css(".add-note button[type=submit]")).await;
    let err = text_of(&b, By::Id("text-error")).await;
    assert!(err.contains("must not be blank"), "{err}");
    b.screenshot(&screens().join("desktop-note-refused.png"))
        .await
        .unwrap();

    // Sign out.
    follow(&b, By::Css(".sign-out button")).await;
    assert_eq!(heading(&b).await, "Sign in");
    assert!(
        text_of(&b, By::Css(".notice"))
            .await
            .contains("You have signed out.")
    );
    visit(&b, format!("{}/portal/tickets", p.url)).await;
    assert_eq!(heading(&b).await, "Sign in");
    b.quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_basic_contact_and_a_manager_of_one_company_see_what_r6_says() {
    if let Some(run) = Run::start(60) {
        what_r6_says(run).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_basic_contact_and_a_manager_of_one_company_see_what_r6_says() {
    if let Some(run) = Run::start_pg("browser r6", 60) {
        what_r6_says(run).await;
    }
}

/// Kim (basic) and Lisa (manager) of Contoso list exactly what R6 lets each see; what
/// Lisa submits Kim cannot open, nor can Fabrikam's manager.
async fn what_r6_says(mut run: Run) {
    let kim = run.browser(1280, 900).await;
    let lisa = run.browser(1280, 900).await;
    let p = &run.portal;
    sign_in(&kim, &p.url, "kim@contoso.example").await;
    sign_in(&lisa, &p.url, "lisa@contoso.example").await;
    assert_eq!(heading(&lisa).await, "Tickets of Contoso");
    for (b, login) in [
        (&kim, "kim@contoso.example"),
        (&lisa, "lisa@contoso.example"),
    ] {
        visit(b, format!("{}/portal/tickets?state=all", p.url)).await;
        let mut seen = Vec::new();
        loop {
            seen.extend(listed(b).await);
            match b.find(By::Css("a[rel=next]")).await {
                Ok(_) => follow(b, By::Css("a[rel=next]")).await,
                Err(_) => break,
            }
        }
        let all = cli(&p.store, login, &["portal", "list", "--limit", "1000"]);
        assert_eq!(seen, numbers(&all), "{login}");
    }
    // Lisa submits; Kim does not see it, and opening it is the 404 page.
    visit(&lisa, format!("{}/portal/tickets/new", p.url)).await;
    typ(&lisa, By::Id("title"), "Badge reader at the back door").await;
    click(&lisa, By::Css("#issue_type option[value='Badge access']")).await;
    follow(&lisa, By::Css("main button[type=submit]")).await;
    let number = shown_number(&lisa).await;
    assert!(
        text_of(&lisa, By::Css(".banner"))
            .await
            .contains("It went to the queue Client Portal")
    );
    visit(&kim, format!("{}/portal/tickets/{number}", p.url)).await;
    assert_eq!(heading(&kim).await, "Page not found");
    visit(&kim, format!("{}/portal/tickets?state=all", p.url)).await;
    assert!(!listed(&kim).await.contains(&number));
    // A manager of another company sees none of it.
    let mia = run.browser(1280, 900).await;
    let p = &run.portal;
    sign_in(&mia, &p.url, "mia@fabrikam.example").await;
    assert_eq!(heading(&mia).await, "Tickets of Fabrikam");
    visit(&mia, format!("{}/portal/tickets/{number}", p.url)).await;
    assert_eq!(heading(&mia).await, "Page not found");
    mia.quit().await.unwrap();
    kim.quit().await.unwrap();
    lisa.quit().await.unwrap();
}

/// Sends one key to whatever has the focus.
async fn key(b: &WebDriver, k: impl Into<TypingData>) {
    b.action_chain().send_keys(k).perform().await.unwrap();
}

/// Presses Enter and waits until the page it leads to has replaced this one.
async fn enter_and_follow(b: &WebDriver) {
    let page = b.find(By::Tag("html")).await.unwrap();
    key(b, Key::Enter).await;
    page.wait_until().stale().await.unwrap();
}

async fn focused(b: &WebDriver) -> (String, String) {
    let e = b.active_element().await.unwrap();
    (
        e.id().await.unwrap().unwrap_or_default(),
        e.text().await.unwrap_or_default(),
    )
}

/// The class of what has the focus.
async fn focused_class(b: &WebDriver) -> String {
    let e = b.active_element().await.unwrap();
    e.class_name().await.unwrap().unwrap_or_default()
}

/// Tabs (at most 30 times) until the focus is on the element with `id` or text `text`.
async fn tab_to(b: &WebDriver, want: &str) {
    for _ in 0..30 {
        let (id, text) = focused(b).await;
        if id == want || text == want {
            return;
        }
        key(b, Key::Tab).await;
    }
    panic!("Tab never reached {want}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_and_submit_by_keyboard_alone() {
    let Some(mut run) = Run::start(5) else {
        return;
    };
    let b = run.browser(1280, 900).await;
    let p = &run.portal;
    visit(&b, format!("{}/portal/", p.url)).await;
    // The login field has the focus from the start.
    assert_eq!(focused(&b).await.0, "login");
    key(&b, "lisa@contoso.example").await;
    key(&b, Key::Tab).await;
    assert_eq!(focused(&b).await.0, "password");
    key(&b, PASSWORD).await;
    enter_and_follow(&b).await;
    assert_eq!(heading(&b).await, "Tickets of Contoso");
    // The first Tab reaches the skip link, which moves the focus to the content.
    key(&b, Key::Tab).await;
    assert_eq!(focused(&b).await.1, "Skip to main content");
    tab_to(&b, "New ticket").await;
    enter_and_follow(&b).await;
    assert_eq!(heading(&b).await, "New ticket");
    // An empty submit: the error summary takes the focus and links to the field.
    tab_to(&b, "title").await;
    key(&b, "Projector in room 4 shows no picture").await;
    key(&b, Key::Tab).await;
    assert_eq!(focused(&b).await.0, "issue_type");
    key(&b, "General").await;
    key(&b, Key::Tab).await;
    assert_eq!(focused(&b).await.0, "description");
    key(&b, "HDMI cable swapped already.").await;
    key(&b, Key::Tab).await;
    assert_eq!(focused(&b).await.1, "Submit ticket");
    enter_and_follow(&b).await;
    let number = shown_number(&b).await;
    let staff = cli(&p.store, "anna", &["ticket", "show", &number]);
    assert_eq!(staff["title"], "Projector in room 4 shows no picture");
    assert_eq!(staff["issue_type"], "General question");
    assert_eq!(staff["queue"], "Client Portal");
    // The confirmation has the focus, for a screen reader to say it.
    assert!(focused_class(&b).await.contains("banner"));
    // And a refused form by keyboard: the summary has the focus and its link goes to the field.
    visit(&b, format!("{}/portal/tickets/new", p.url)).await;
    tab_to(&b, "Submit ticket").await;
    enter_and_follow(&b).await;
    assert!(focused_class(&b).await.contains("error-summary"));
    tab_to(&b, "Title: must not be blank").await;
    key(&b, Key::Enter).await;
    assert_eq!(focused(&b).await.0, "title");
    b.quit().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_at_phone_and_desktop_width() {
    let Some(mut run) = Run::start(60) else {
        return;
    };
    let p = &run.portal;
    let number = cli(
        &p.store,
        "kim@contoso.example",
        &[
            "portal",
            "submit",
            "--title",
            "Laptop will not wake from sleep",
            "--issue-type",
            "Printer",
            "--description",
            "Since the update.\nTried a restart twice.",
        ],
    )["number"]
        .as_str()
        .unwrap()
        .to_string();
    cli(
        &p.store,
        "anna",
        &[
            "note",
            "add",
            &number,
            "--text",
            "Please hold the power button for ten seconds and tell us what happens.",
            "--publish",
        ],
    );
    let url = p.url.clone();
    for (name, w, h) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        let b = run.browser(w, h).await;
        visit(&b, format!("{}/portal/sign-in", url)).await;
        check_page(&b).await;
        b.screenshot(&screens().join(format!("{name}-sign-in.png")))
            .await
            .unwrap();
        typ(&b, By::Id("login"), "lisa@contoso.example").await;
        typ(&b, By::Id("password"), "wrong password!").await;
        follow(&b, By::Css("main button[type=submit]")).await;
        b.screenshot(&screens().join(format!("{name}-sign-in-refused.png")))
            .await
            .unwrap();
        sign_in(&b, &url, "lisa@contoso.example").await;
        visit(&b, format!("{}/portal/tickets?state=all", url)).await;
        check_page(&b).await;
        b.screenshot(&screens().join(format!("{name}-my-tickets.png")))
            .await
            .unwrap();
        visit(&b, format!("{}/portal/tickets/{number}", url)).await;
        check_page(&b).await;
        b.screenshot(&screens().join(format!("{name}-ticket.png")))
            .await
            .unwrap();
        visit(&b, format!("{}/portal/tickets/new", url)).await;
        typ(&b, By::Id("description"), "Typed, but no title.").await;
        follow(&b, By::Css("main button[type=submit]")).await;
        check_page(&b).await;
        b.screenshot(&screens().join(format!("{name}-new-ticket-refused.png")))
            .await
            .unwrap();
        // Nothing is wider than the window: no sideways scrolling on a phone.
        let wide = b
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                Vec::new(),
            )
            .await
            .unwrap();
        assert_eq!(
            wide.json(),
            &serde_json::json!(true),
            "{name}: the page scrolls sideways"
        );
        b.quit().await.unwrap();
    }
    println!("screenshots in {}", screens().display());
}
