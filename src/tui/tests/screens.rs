//! Every screen and popup rendered into a TestBackend at 80×24 and 160×48, kept as insta
//! snapshots. The clock is frozen, so ages and dates are the same on every run.

use super::*;
use crate::tui::state::Pane;

async fn staff() -> (Harness, String) {
    let dir = store(40);
    let n = contoso_ticket(&backend(&dir, "anna"), "Printer jams on floor 3")
        .await
        .number;
    let mut h = Harness::open(dir, "anna").await;
    h.find(&n).await;
    h.keys("x").await;
    (h, n)
}

#[tokio::test]
async fn staff_screens() {
    let (mut h, n) = staff().await;
    snap("main", &h.state);
    h.keys("?").await;
    snap("help", &h.state);
    h.keys("esc :").await;
    snap("palette", &h.state);
    h.keys("esc /").await;
    h.type_text("source:\"Client Portal\" due<7d").await;
    snap("filter", &h.state);
    h.keys("esc").await;
    h.find(&n).await;
    h.keys("s").await;
    snap("picker_status", &h.state);
    h.keys("esc n").await;
    h.type_text("Checked the queue.").await;
    snap("note_form", &h.state);
    h.keys("esc t").await;
    snap("taskfire_menu", &h.state);
    h.keys("enter ctrl-s").await;
    snap("t1_invalid", &h.state);
    h.keys("esc t j enter").await;
    snap("t4_confirm", &h.state);
    h.keys("n c").await;
    h.type_text("Outlook crashes").await;
    snap("new_ticket_form", &h.state);
    h.keys("esc").await;
    snap("discard_question", &h.state);
    h.keys("y tab").await;
    assert_eq!(h.state.focus, Pane::Detail);
    snap("detail_focused", &h.state);
}

#[tokio::test]
async fn portal_screens() {
    let dir = store(40);
    let mut h = Harness::open(dir, "lisa@contoso.example").await;
    h.keys("c").await;
    h.type_text("VPN drops").await;
    h.keys("tab right tab").await;
    h.type_text("Since Monday.").await;
    snap("portal_submit", &h.state);
    h.keys("ctrl-s").await;
    snap("portal_main_r5", &h.state);
}

#[tokio::test]
async fn taskfire_desk_screen() {
    let dir = store(0);
    let tom = backend(&dir, "tom");
    for (title, queue) in [
        ("Server room too hot", "Contoso IT"),
        ("Badge reader at gate 2", "Contoso Facilities"),
    ] {
        let new = desk_engine::model::NewTicket {
            title: title.into(),
            queue: Some(queue.into()),
            ..Default::default()
        };
        tom.create_ticket(new).await.unwrap();
    }
    let h = Harness::open(dir, "tom").await;
    snap("taskfire_main", &h.state);
}

#[test]
fn never_panics_at_any_size() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (mut h, _) = rt.block_on(staff());
    for popup in ["", "?", ":", "/", "n", "t", "t enter", "s", "d", "tab"] {
        rt.block_on(h.keys("esc esc"));
        if !popup.is_empty() {
            rt.block_on(h.keys(popup));
        }
        for (w, hh) in [
            (0, 0),
            (1, 1),
            (10, 3),
            (20, 5),
            (40, 10),
            (79, 23),
            (300, 100),
        ] {
            render(&h.state, w, hh);
        }
    }
}

#[tokio::test]
async fn remapped_keys_show_in_help_and_footer() {
    let dir = store(0);
    contoso_ticket(&backend(&dir, "anna"), "Printer").await;
    let mut keys = std::collections::BTreeMap::new();
    keys.insert("note".to_string(), vec!["N".to_string()]);
    keys.insert("sort_next".to_string(), vec!["s".to_string()]);
    let config = Config {
        keys,
        ..Config::default()
    };
    let mut h = Harness::with_config(dir, "anna", config.clone()).await;
    let (_, problems) = Keymap::build(&config.keys);
    h.state.problems = problems;
    h.keys("?").await;
    let s = h.screen(100, 40);
    let bound = s.lines().any(|l| {
        let words: Vec<&str> = l
            .split(|c: char| c.is_whitespace() || c == '│')
            .filter(|w| !w.is_empty())
            .collect();
        words.windows(4).any(|w| w == ["N", "add", "a", "note"])
    });
    assert!(bound, "{s}");
    assert!(
        s.contains("key \"s\" is bound to both sort_next and status"),
        "{s}"
    );
    h.keys("esc").await;
    assert!(
        h.screen(100, 40).contains(" N note "),
        "the footer follows the keymap"
    );
}

#[tokio::test]
async fn no_color_means_no_colour_anywhere_and_light_differs_from_dark() {
    use ratatui::style::Color;
    let (mut h, _) = staff().await;
    h.keys("n").await;
    let (theme, problem) = Theme::pick(Some("light"), true);
    assert!(problem.is_none());
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| {
        f.render_widget(
            Screen {
                state: &h.state,
                theme: &theme,
            },
            f.area(),
        )
    })
    .unwrap();
    let buf = t.backend().buffer();
    for c in buf.content() {
        assert!(c.fg == Color::Reset && c.bg == Color::Reset, "{c:?}");
    }
    assert_ne!(Theme::pick(Some("light"), false).0, Theme::dark());
    assert!(Theme::pick(Some("neon"), false).1.unwrap().contains("neon"));
    let mut colors = std::collections::BTreeMap::new();
    colors.insert("internal".to_string(), "#ffaa00".to_string());
    colors.insert("selected".to_string(), "dark-gray".to_string());
    colors.insert("fog".to_string(), "red".to_string());
    colors.insert("mark".to_string(), "sparkly".to_string());
    let (t, problems) = Theme::dark().with_colors(&colors);
    assert_eq!(t.internal.fg, Some(Color::Rgb(255, 170, 0)));
    assert_eq!(t.selected.bg, Some(Color::DarkGray));
    assert_eq!(problems.len(), 2, "{problems:?}");
}

/// Thousands of pseudo-random keys (a fixed seed) against a real store: no panic, and
/// every screen along the way renders.
#[tokio::test]
async fn random_keys_never_panic() {
    const KEYS: [&str; 34] = [
        "j",
        "k",
        "g",
        "G",
        "tab",
        "backtab",
        "enter",
        "esc",
        "/",
        "?",
        ":",
        "n",
        "t",
        "s",
        "a",
        "m",
        "d",
        "w",
        "o",
        "O",
        "x",
        "r",
        "V",
        "D",
        "y",
        "c",
        "e",
        "ctrl-s",
        "space",
        "left",
        "right",
        "backspace",
        "1",
        "z",
    ];
    for login in ["anna", "lisa@contoso.example", "tom"] {
        let mut h = Harness::open(store(20), login).await;
        let mut seed: u64 = 42;
        for i in 0..3000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = KEYS[(seed >> 33) as usize % KEYS.len()];
            h.keys(k).await;
            if i % 100 == 0 {
                render(&h.state, 80, 24);
                render(&h.state, 37, 9);
            }
        }
        render(&h.state, 160, 48);
        assert!(
            h.state.next_id > 50,
            "{login}: the keys reached the backend ({} requests)",
            h.state.next_id
        );
    }
}

/// `?` at 100×30 lays every key of the panes out in columns: each is on screen without
/// scrolling, the Taskfire menu among them; typing filters.
#[tokio::test]
async fn help_fits_every_key_of_the_panes_at_100x30_and_filters() {
    use crate::tui::action::{Layer, TABLE};
    let (mut h, _) = staff().await;
    h.keys("?").await;
    let screen = h.screen(100, 30);
    for d in TABLE.iter().filter(|d| d.layers.contains(&Layer::Main)) {
        let keys = h.state.keymap.keys_for(d.action);
        let first: String = d.text.chars().take(14).collect();
        let line = screen
            .lines()
            .find(|l| l.contains(&format!("{keys} ")) && l.contains(&first));
        assert!(
            line.is_some(),
            "{:?} ({keys} {first}) not on screen:\n{screen}",
            d.action
        );
    }
    insta::assert_snapshot!("help_100x30", screen);
    snap("help_keys", &h.state);
    h.keys("tab").await;
    snap("help_popups", &h.state);
    h.keys("tab").await;
    snap("help_query", &h.state);
    h.keys("tab").await;
    h.type_text("taskfire").await;
    let screen = h.screen(100, 30);
    assert!(screen.contains("Taskfire menu") && screen.contains("T1 assign to Taskfire"));
    assert!(!screen.contains("move down"), "{screen}");
    // the query syntax is a page of its own
    h.keys(
        "backspace backspace backspace backspace backspace backspace backspace backspace tab tab",
    )
    .await;
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Query syntax") && screen.contains("due<7d"),
        "{screen}"
    );
}
