//! Frame tracing for the TUI benchmark (`benches/tui.sh`): with `DESK_TRACE_FRAMES=FILE`
//! the app appends `<µs since start> key <key>` when a key arrives and `<µs> frame <tickets>
//! <loads>` after each draw (`loads` counts the list's pages arrived, so the frame that
//! first shows a list asked for by a key is the first after it moved). Off (one branch per draw) unless the variable is set.

use std::io::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Trace {
    start: Instant,
    file: Mutex<std::fs::File>,
}

fn trace() -> Option<&'static Trace> {
    static TRACE: OnceLock<Option<Trace>> = OnceLock::new();
    TRACE
        .get_or_init(|| {
            let path = std::env::var_os("DESK_TRACE_FRAMES")?;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .ok()?;
            Some(Trace {
                start: Instant::now(),
                file: Mutex::new(file),
            })
        })
        .as_ref()
}

/// Starts the clock (call first thing at start-up).
pub fn start() {
    let _ = trace();
}

pub fn mark(what: &str) {
    if let Some(t) = trace()
        && let Ok(mut f) = t.file.lock()
    {
        let _ = writeln!(f, "{} {what}", t.start.elapsed().as_micros());
    }
}
