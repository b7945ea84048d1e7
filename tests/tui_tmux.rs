//! Runs tests/tui_tmux.sh against the built binary: a real terminal journey. Skips, saying
//! why, where tmux is not installed.

use std::process::Command;

#[test]
fn tmux_journey() {
    let has_tmux = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tmux {
        println!("skipped: tmux is not installed");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tui_tmux.sh");
    let out = Command::new("bash")
        .arg(script)
        .env("DESK_BIN", env!("CARGO_BIN_EXE_desk"))
        .output();
    let Ok(out) = out else {
        println!("skipped: cannot run bash");
        return;
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
}
