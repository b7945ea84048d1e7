//! The cursor a CLI list names on stderr when there is more ("more: N shown and more
//! follow; continue with --after CURSOR"), for both CLI harnesses (`common/desk.rs`,
//! `cli_support`).

/// The cursor of the next page, if stderr says there is more.
pub fn cursor(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find_map(|l| l.split_once("continue with --after ").map(|(_, c)| c))
        .map(str::to_string)
}
