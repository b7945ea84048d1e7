//! The loop: terminal in, events in, draw once per batch, terminal out on every path.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use desk_engine::Clock;
use ratatui::Terminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::config::{self, Config};
use super::drafts::Store;
use super::effect::{self, Effect};
use super::event::AppEvent;
use super::keymap::Keymap;
use super::state::State;
use super::theme::Theme;
use super::ui::Screen;
use super::update;
use crate::backend::{Backend, BackendError, ErrorKind};

fn fail(e: impl std::fmt::Display) -> BackendError {
    BackendError::new(ErrorKind::Internal, format!("terminal: {e}"))
}

/// Restores the terminal when dropped: the normal way out and every `?` on the way.
/// (A panic is covered by the hook that `ratatui::try_init` installs.)
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Reads terminal input on its own thread. It holds `lock` while it reads, so that
/// `$EDITOR` can take the terminal without a key going astray.
fn input_thread(tx: UnboundedSender<AppEvent>, lock: Arc<Mutex<()>>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            let ev = {
                let Ok(_guard) = lock.lock() else { return };
                match crossterm::event::poll(Duration::from_millis(100)) {
                    Ok(true) => crossterm::event::read().ok(),
                    Ok(false) => None,
                    Err(_) => return,
                }
            };
            let out = match ev {
                Some(Event::Key(k)) => Some(AppEvent::Key(k)),
                Some(Event::Resize(_, rows)) => Some(AppEvent::Resize(rows)),
                _ => None,
            };
            if let Some(e) = out
                && tx.send(e).is_err()
            {
                return;
            }
            std::thread::yield_now();
        }
    });
}

/// SIGTERM and SIGHUP leave like ctrl-c does, through the same restoring path.
fn signals(tx: UnboundedSender<AppEvent>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        let _ = tx.send(AppEvent::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
        )));
    });
}

fn edit(text: &str, lock: &Mutex<()>) -> Result<String, String> {
    let _guard = lock.lock().map_err(|_| "input lock poisoned".to_string())?;
    let path = std::env::temp_dir().join(format!("desk-note-{}.txt", std::process::id()));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".into());
    ratatui::restore();
    // The editor line may carry arguments (`code --wait`), so it goes through the shell.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let back = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    match status {
        Ok(s) if s.success() => back.map_err(|e| e.to_string()),
        Ok(s) => Err(format!(
            "{editor} exited with {s}; the text in the form is unchanged"
        )),
        Err(e) => Err(format!("cannot run {editor}: {e}")),
    }
}

/// Where the TUI keeps a technician's drafts and filter history: the data folder, and
/// which desk ("local", or the server's address) they belong to.
pub struct Keep {
    pub data: std::path::PathBuf,
    pub desk: String,
}

pub async fn run(backend: Arc<dyn Backend>, clock: Clock, keep: Keep) -> Result<(), BackendError> {
    let me = backend.whoami().await?;
    let store = Store::new(&keep.data, &keep.desk, &me.login);
    let (config, mut problems) = Config::load(config::default_path());
    let (keymap, key_problems) = Keymap::build(&config.keys);
    problems.extend(key_problems);
    problems.extend(super::state::columns::Column::from_config(&config.columns).1);
    let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
    let (theme, theme_problem) = Theme::pick(config.theme.as_deref(), no_color);
    problems.extend(theme_problem);
    // NO_COLOR wins over the user's colours too.
    let theme = if no_color {
        theme
    } else {
        let (t, color_problems) = theme.with_colors(&config.colors);
        problems.extend(color_problems);
        t
    };
    let mut state = State::new(me, clock.now(), &config, keymap);
    if let Ok((_, rows)) = crossterm::terminal::size() {
        state.list_limit = super::state::page_for(rows);
    }
    state.drafts = store.load_drafts();
    state.history = store.load_history();
    if !problems.is_empty() {
        state.error(format!("config: {} (see ? help)", problems.join("; ")));
    }
    state.problems = problems;

    let mut terminal = ratatui::try_init().map_err(fail)?;
    let _restore = Restore;
    let (tx, rx) = unbounded_channel();
    let lock = Arc::new(Mutex::new(()));
    let stop = Arc::new(AtomicBool::new(false));
    input_thread(tx.clone(), lock.clone(), stop.clone());
    signals(tx.clone());
    // The server's change feed, where there is one: others' work shows within a second.
    let (feed, status) = (tx.clone(), tx.clone());
    tokio::spawn(super::feed::follow_with_status(
        backend.clone(),
        move || feed.send(AppEvent::Changed).is_ok(),
        move |up| status.send(AppEvent::Connection(up)).is_ok(),
    ));
    let ticker = tx.clone();
    tokio::spawn(async move {
        let mut every =
            tokio::time::interval(Duration::from_millis(1000 / super::event::TICKS_PER_SECOND));
        loop {
            every.tick().await;
            if ticker.send(AppEvent::Tick(clock.now())).is_err() {
                return;
            }
        }
    });

    let suspend_lock = lock.clone();
    let mut io = Io {
        backend,
        tx,
        rx,
        theme,
        editor: Box::new(move |text: &str| {
            let r = tokio::task::block_in_place(|| edit(text, &lock));
            take_back_terminal();
            r
        }),
        suspend: Box::new(move || {
            tokio::task::block_in_place(|| suspend(&suspend_lock));
            take_back_terminal();
        }),
        store: Some(store),
    };
    let result = run_loop(&mut terminal, &mut state, &mut io).await;
    stop.store(true, Ordering::Relaxed);
    result
}

/// What the loop talks to besides the state and the screen.
pub struct Io {
    pub backend: Arc<dyn Backend>,
    pub tx: UnboundedSender<AppEvent>,
    pub rx: UnboundedReceiver<AppEvent>,
    pub theme: Theme,
    /// Runs `$EDITOR` on a text (the terminal is handed over and taken back inside).
    pub editor: Editor,
    /// Stops until resumed (ctrl-z), the terminal handed over and taken back inside.
    pub suspend: Box<dyn FnMut() + Send>,
    /// Where drafts and the filter history are kept; none in tests that keep nothing.
    pub store: Option<Store>,
}

/// Runs `$EDITOR` on a text and gives back what was written, or why not.
pub type Editor = Box<dyn FnMut(&str) -> Result<String, String> + Send>;

/// The same screen set-up that `try_init` makes, after the terminal was handed over.
fn take_back_terminal() {
    let _ = crossterm::terminal::enable_raw_mode();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen);
}

/// ctrl-z: the terminal back to the shell, then stop as a shell's job does (SIGTSTP's own
/// action); `fg` continues here. The input thread is held off meanwhile.
fn suspend(lock: &Mutex<()>) {
    let Ok(_guard) = lock.lock() else { return };
    ratatui::restore();
    #[cfg(unix)]
    let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
}

/// Writes to the data folder; a failure is said, never fatal.
fn keep(state: &mut State, io: &Io, f: impl FnOnce(&Store) -> Result<(), String>) {
    if let Some(st) = &io.store
        && let Err(e) = f(st)
    {
        state.error(format!("not kept: {e}"));
    }
}

/// The loop proper, over any ratatui backend (a real terminal, or a TestBackend in tests):
/// run effects, draw, wait for one event, drain the rest, repeat until quit.
pub async fn run_loop<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    state: &mut State,
    io: &mut Io,
) -> Result<(), BackendError> {
    let mut effects = update::start(state);
    loop {
        for e in effects.drain(..) {
            match e {
                Effect::Call(id, call) => {
                    effect::spawn(io.backend.clone(), id, *call, io.tx.clone())
                }
                Effect::SaveViews(views) => match &state.config_path {
                    Some(p) => {
                        if let Err(e) = config::save_views(p, &views) {
                            state.error(format!("view not saved: {e}"));
                        }
                    }
                    None => state.error("no config folder to save views in; set DESK_CONFIG"),
                },
                Effect::Edit(text) => {
                    let r = (io.editor)(&text);
                    terminal.clear().map_err(fail)?;
                    let _ = io.tx.send(AppEvent::Edited(r));
                }
                Effect::Suspend => {
                    (io.suspend)();
                    terminal.clear().map_err(fail)?;
                }
                Effect::SaveDraft(n, text) => keep(state, io, |st| st.save_draft(&n, &text)),
                Effect::DropDraft(n) => keep(state, io, |st| st.drop_draft(&n)),
                Effect::SaveHistory(h) => keep(state, io, |st| st.save_history(&h)),
                Effect::Quit => {}
            }
        }
        if state.quit {
            return Ok(());
        }
        let theme = io.theme;
        terminal
            .draw(|f| {
                f.render_widget(
                    Screen {
                        state,
                        theme: &theme,
                    },
                    f.area(),
                )
            })
            .map_err(fail)?;
        super::trace::mark(&format!(
            "frame {} {}",
            state.list.tickets.len(),
            state.list.loads
        ));
        let Some(ev) = io.rx.recv().await else {
            return Ok(());
        };
        trace_key(&ev);
        effects = update::handle(state, ev);
        // Drain whatever else is waiting before drawing again (a burst of keys or replies).
        while let Ok(ev) = io.rx.try_recv() {
            trace_key(&ev);
            effects.extend(update::handle(state, ev));
        }
    }
}

/// Every key into the frame trace, also those of a burst drained before one draw.
fn trace_key(ev: &AppEvent) {
    if let AppEvent::Key(k) = ev {
        super::trace::mark(&format!("key {}", super::keymap::KeySpec::from_event(k)));
    }
}
