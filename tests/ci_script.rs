//! `.ci/run` checks formatting and clippy (warnings as errors) before it runs the tests,
//! so a change that breaks either never lands green.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[test]
fn ci_runs_fmt_and_clippy_before_the_tests() {
    let script = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    let at = |needle: &str| {
        script
            .lines()
            .position(|l| !l.trim_start().starts_with('#') && l.contains(needle))
            .unwrap_or_else(|| panic!(".ci/run does not run `{needle}`"))
    };
    let fmt = at("cargo fmt --all -- --check");
    let clippy = at("cargo clippy --workspace --all-targets --locked -- -D warnings");
    let tests = at("cargo test --workspace --locked");
    assert!(
        fmt < clippy && clippy < tests,
        "fmt, then clippy, then the tests"
    );
    assert!(script.starts_with("#!/usr/bin/env bash\n") && script.contains("set -euo pipefail"));
}
