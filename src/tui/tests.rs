//! Journeys as data: keys in, state or screen out, against a real LocalBackend on a temp
//! store with a frozen clock. Effects are run to completion in order, so no test waits
//! on time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod app_loop;
mod bulk;
mod conflicts;
mod journeys;
mod keys;
mod lists;
mod screens;
mod taskfire;
mod triage;
mod typing;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use desk_engine::model::{NewTicket, Ticket};
use desk_engine::{Clock, Engine, Setup};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

use super::config::{Config, SavedView};
use super::drafts::Store;
use super::effect::{self, Effect};
use super::event::AppEvent;
use super::keymap::{KeySpec, Keymap};
use super::state::State;
use super::theme::Theme;
use super::ui::Screen;
use super::update;
use crate::backend::{Backend, LocalBackend};

pub const NOW: &str = "2026-11-29T07:30:00Z";

pub fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

pub struct Harness {
    pub state: State,
    pub backend: Arc<dyn Backend>,
    /// Everything `update` asked for that is not a backend call.
    pub other: Vec<Effect>,
    pub dir: tempfile::TempDir,
    /// The data folder's drafts and history, written as the app writes them.
    pub keep: Store,
}

/// A demo store with `generated` tickets (fixed seed, frozen clock).
pub fn store(generated: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = desk_engine::store::store_path(dir.path());
    let setup = Setup::parse("assets/demo.toml", include_str!("../../assets/demo.toml")).unwrap();
    Engine::init(&path, &setup).unwrap();
    if generated > 0 {
        let mut e = Engine::open(&path, Clock::Fixed(now())).unwrap();
        e.generate_demo_tickets(generated, 42).unwrap();
    }
    dir
}

pub fn backend(dir: &tempfile::TempDir, login: &str) -> Arc<dyn Backend> {
    let path = desk_engine::store::store_path(dir.path());
    let e = Engine::open(&path, Clock::Fixed(now())).unwrap();
    Arc::new(LocalBackend::new(e, Some(login)).unwrap())
}

pub fn key(spec: &str) -> KeyEvent {
    let k = KeySpec::parse(spec).unwrap();
    let mut m = KeyModifiers::NONE;
    if k.ctrl {
        m |= KeyModifiers::CONTROL;
    }
    if k.alt {
        m |= KeyModifiers::ALT;
    }
    if matches!(k.code, KeyCode::Char(c) if c.is_uppercase()) {
        m |= KeyModifiers::SHIFT;
    }
    KeyEvent::new(k.code, m)
}

impl Harness {
    pub async fn open(dir: tempfile::TempDir, login: &str) -> Harness {
        Harness::with_config(dir, login, Config::default()).await
    }

    pub async fn with_config(dir: tempfile::TempDir, login: &str, config: Config) -> Harness {
        let backend = backend(&dir, login);
        let me = backend.whoami().await.unwrap();
        let (keymap, _) = Keymap::build(&config.keys);
        let keep = Store::new(dir.path(), "local", login);
        let mut state = State::new(me, now(), &config, keymap);
        state.drafts = keep.load_drafts();
        state.history = keep.load_history();
        let mut h = Harness {
            state,
            backend,
            other: Vec::new(),
            dir,
            keep,
        };
        let fx = update::start(&mut h.state);
        h.run(fx).await;
        h
    }

    /// Runs effects, and the effects their replies cause, until none are left.
    pub async fn run(&mut self, fx: Vec<Effect>) {
        let mut queue: std::collections::VecDeque<Effect> = fx.into();
        while let Some(e) = queue.pop_front() {
            match e {
                Effect::Call(id, call) => {
                    let reply = effect::call(self.backend.as_ref(), *call).await;
                    queue.extend(update::handle(&mut self.state, AppEvent::Reply(id, reply)));
                }
                Effect::SaveDraft(n, t) => self.keep.save_draft(&n, &t).unwrap(),
                Effect::DropDraft(n) => self.keep.drop_draft(&n).unwrap(),
                Effect::SaveHistory(h) => self.keep.save_history(&h).unwrap(),
                other => self.other.push(other),
            }
        }
    }

    /// desk quits (as `q` would) and starts again on the same store and data folder.
    pub async fn restart(mut self) -> Harness {
        let fx = update::update(&mut self.state, super::action::Action::Quit);
        self.run(fx).await;
        let login = self.state.me.login.clone();
        Harness::open(self.dir, &login).await
    }

    /// One clock tick (drafts are written on ticks).
    pub async fn tick(&mut self) {
        let fx = update::handle(&mut self.state, AppEvent::Tick(now()));
        self.run(fx).await;
    }

    /// Presses keys given as space-separated key names (`j j enter ctrl-s`).
    pub async fn keys(&mut self, keys: &str) {
        for k in keys.split_whitespace() {
            let fx = update::handle(&mut self.state, AppEvent::Key(key(k)));
            self.run(fx).await;
        }
    }

    /// Types text into whatever has the focus.
    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let mut k = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            if c.is_uppercase() {
                k.modifiers = KeyModifiers::SHIFT;
            }
            let fx = update::handle(&mut self.state, AppEvent::Key(k));
            self.run(fx).await;
        }
    }

    pub fn ticket(&self) -> Ticket {
        self.state.ticket().cloned().expect("a selected ticket")
    }

    /// Finds a ticket through the filter bar, as a user would.
    pub async fn find(&mut self, number: &str) {
        self.keys("/").await;
        self.clear_input().await;
        self.type_text(number).await;
        self.keys("enter").await;
        assert_eq!(self.ticket().number, number);
    }

    pub async fn clear_input(&mut self) {
        for _ in 0..80 {
            self.keys("backspace").await;
        }
    }

    pub async fn fresh(&self, number: &str) -> Ticket {
        self.backend.ticket(number.to_string()).await.unwrap()
    }

    pub fn screen(&self, w: u16, h: u16) -> String {
        render(&self.state, w, h)
    }
}

/// The screen kept as insta snapshots at 80×24 and at 160×48 (the sizes every screen is
/// checked at), named `{name}_{w}x{h}`.
pub fn snap(name: &str, state: &State) {
    insta::with_settings!({ snapshot_path => "tests/snapshots", prepend_module_to_snapshot => false }, {
        for (w, h) in [(80, 24), (160, 48)] {
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(state, w, h));
        }
    });
}

pub fn render(state: &State, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::mono();
    t.draw(|f| {
        f.render_widget(
            Screen {
                state,
                theme: &theme,
            },
            f.area(),
        )
    })
    .unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A TUI open as `login` on a 30-ticket demo desk, with a fresh Contoso ticket of
/// anna's (its number) to work on.
pub async fn staff_with_ticket(login: &str) -> (Harness, String) {
    let dir = store(30);
    let t = contoso_ticket(&backend(&dir, "anna"), "Printer jams on floor 3").await;
    let h = Harness::open(dir, login).await;
    (h, t.number)
}

/// A Contoso ticket for Lisa, made by anna, so journeys know what they work on.
pub async fn contoso_ticket(b: &Arc<dyn Backend>, title: &str) -> Ticket {
    b.create_ticket(NewTicket {
        title: title.into(),
        description: "The printer on floor 3 jams on every job.".into(),
        queue: Some("Level 1".into()),
        source: Some("Phone".into()),
        company: Some("Contoso".into()),
        contact: Some("lisa@contoso.example".into()),
        due: Some("2026-12-01 12:00".into()),
        ..NewTicket::default()
    })
    .await
    .unwrap()
}

pub fn view(name: &str, query: &str) -> SavedView {
    SavedView {
        name: name.into(),
        query: query.into(),
    }
}
