//! Property tests' runner (tests only; the `fuzz` feature shares it with the binary's
//! tests): seeded, so a run in CI is the same run each time and a failure can be had
//! again; `DESK_FUZZ_CASES=N` runs N cases a property instead of its few seconds'
//! worth, `DESK_FUZZ_SEED=S` another sequence.

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A runner for `default_cases` cases (or `DESK_FUZZ_CASES`), seeded from `DESK_FUZZ_SEED`
/// (a number; 1 by default).
pub fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("DESK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let seed: u64 = std::env::var("DESK_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        // A failure prints its smallest case; nothing is written into the source tree.
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

/// Strings a hostile or careless person types: control characters (ESC, BEL, NUL,
/// C1), line breaks, tabs, line separators, quotes, non-ASCII, long runs, and plain text.
pub fn hostile_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,12}",
        1 => Just("\u{1b}[2J".to_string()),
        1 => Just("\u{1b}]0;owned\u{7}".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\r\n".to_string()),
        1 => Just("\t".to_string()),
        1 => Just("\u{0}".to_string()),
        1 => Just("\u{9b}".to_string()),
        1 => Just("\u{7f}".to_string()),
        1 => Just("\u{2028}".to_string()),
        1 => Just("\"'{}[]=#".to_string()),
        1 => Just("Zürich – 東京 😀".to_string()),
        1 => Just("   ".to_string()),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}
