//! What both CLI harnesses (`common/desk.rs`, `cli_support`) share: a command run with
//! input on its stdin, and the cursor a list names on stderr when there is more ("more:
//! N shown and more follow; continue with --after CURSOR").

use std::process::{Command, Output, Stdio};

/// The cursor of the next page, if stderr says there is more.
pub fn cursor(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find_map(|l| l.split_once("continue with --after ").map(|(_, c)| c))
        .map(str::to_string)
}

/// Runs `command` with `input` on its standard input; what it wrote and how it ended.
pub fn with_stdin(mut command: Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}
