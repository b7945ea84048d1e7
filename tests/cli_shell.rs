//! `desk completions SHELL` and `desk man`: made from the same clap definitions as the
//! command line, so every command is in them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli_support;

use cli_support::bin;

const COMMANDS: [&str; 12] = [
    "init",
    "token",
    "ticket",
    "note",
    "series",
    "taskfire",
    "portal",
    "queues",
    "notifications",
    "deliver",
    "serve",
    "completions",
];

fn stdout(args: &[&str]) -> String {
    let o = bin().args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn completions_for_each_shell_hold_every_command_and_list_option() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout(&["completions", shell]);
        for c in COMMANDS {
            assert!(script.contains(c), "{shell} completions lack {c}");
        }
        for sub in ["escalate", "submit", "revoke"] {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
        assert!(
            script.contains("limit") && script.contains("after"),
            "{shell}"
        );
    }
    assert!(stdout(&["completions", "bash"]).contains("complete -F _desk"));
    assert!(stdout(&["completions", "zsh"]).starts_with("#compdef desk"));
    assert!(stdout(&["completions", "fish"]).contains("complete -c desk"));
    let o = bin().args(["completions", "tcsh"]).output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("tcsh"));
}

#[test]
fn the_man_page_is_roff_and_names_every_command() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH desk 1"), "{page}");
    for c in COMMANDS {
        assert!(page.contains(c), "the man page lacks {c}");
    }
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let list = std::fs::read_to_string(dir.path().join("desk-ticket-list.1")).unwrap();
    assert!(
        list.contains(".TH desk-ticket-list 1") && list.contains("\\-\\-limit"),
        "{list}"
    );
    assert!(dir.path().join("desk-taskfire-escalate.1").exists());
}
