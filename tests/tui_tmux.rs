//! Runs the tmux journeys (tests/tui_tmux.sh, tui_tmux_team.sh, tui_tmux_triage.sh,
//! tui_tmux_taskfire.sh, tui_tmux_query.sh, tui_tmux_more.sh) against the built binary:
//! real terminals. Skips, saying why, where tmux is not installed, except under
//! `CI=true`, where a missing tmux is a failure.

use std::process::Command;

fn journey(script: &str) {
    let has_tmux = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_tmux {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true: tmux must be installed for {script}"
        );
        println!("skipped: tmux is not installed");
        return;
    }
    let path = format!("{}/tests/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("bash")
        .arg(&path)
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
    println!("{text}");
    assert!(out.status.success(), "{text}");
}

#[test]
fn tmux_journey() {
    journey("tui_tmux.sh");
}

#[test]
fn tmux_team_journey() {
    journey("tui_tmux_team.sh");
}

#[test]
fn tmux_triage_journey() {
    journey("tui_tmux_triage.sh");
}

#[test]
fn tmux_taskfire_and_outbox_journey() {
    journey("tui_tmux_taskfire.sh");
}

#[test]
fn tmux_query_journey() {
    journey("tui_tmux_query.sh");
}

#[test]
fn tmux_more_journey() {
    journey("tui_tmux_more.sh");
}
