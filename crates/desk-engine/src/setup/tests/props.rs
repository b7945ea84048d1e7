//! Property: whatever a careless hand does to a setup file, the loader answers without
//! panicking, either with a setup that `Engine::init` writes or with an error naming
//! the file, a line of it and a key; a refused file writes nothing.

use proptest::prelude::*;

use super::*;
use crate::fuzz::{hostile_text, runner};

/// One careless edit of a file's lines.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    /// The value after `=` on a line becomes this TOML string.
    Value(usize, String),
    /// The value after `=` on a line becomes this raw text (a number, a table, junk).
    Raw(usize, String),
    Insert(usize, String),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let line = 0..VALID.lines().count();
    let raw = prop_oneof![
        Just("42".to_string()),
        Just("true".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("\"unterminated".to_string()),
        Just("[\"a\", 1]".to_string()),
        "[a-z_ =\\[\\]{}\"]{0,12}",
    ];
    prop_oneof![
        line.clone().prop_map(Edit::Delete),
        line.clone().prop_map(Edit::Duplicate),
        (line.clone(), hostile_text()).prop_map(|(l, v)| Edit::Value(l, v)),
        (line.clone(), raw.clone()).prop_map(|(l, v)| Edit::Raw(l, v)),
        (line, raw).prop_map(|(l, v)| Edit::Insert(l, v)),
        (0..VALID.len()).prop_map(Edit::Truncate),
    ]
}

fn apply(src: &str, e: &Edit) -> String {
    let mut lines: Vec<String> = src.lines().map(str::to_string).collect();
    let set = |lines: &mut Vec<String>, l: usize, value: String| {
        if let Some((k, _)) = lines[l].split_once('=') {
            lines[l] = format!("{k}= {value}");
        }
    };
    match e {
        Edit::Delete(l) if *l < lines.len() => {
            lines.remove(*l);
        }
        Edit::Duplicate(l) if *l < lines.len() => {
            let copy = lines[*l].clone();
            lines.insert(*l, copy);
        }
        Edit::Value(l, v) if *l < lines.len() => {
            // As TOML would write it: the escapes keep control characters in the string.
            let quoted = toml::Value::String(v.clone()).to_string();
            set(&mut lines, *l, quoted);
        }
        Edit::Raw(l, v) if *l < lines.len() => set(&mut lines, *l, v.clone()),
        Edit::Insert(l, v) if *l <= lines.len() => lines.insert(*l, v.clone()),
        Edit::Truncate(at) => {
            let mut at = (*at).min(src.len());
            while !src.is_char_boundary(at) {
                at -= 1;
            }
            return src[..at].to_string();
        }
        _ => {}
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_mutated_setup_file_is_refused_naming_line_and_key_or_initializes() {
    let edits = proptest::collection::vec(edit(), 1..4);
    runner(300)
        .run(&edits, |edits| {
            let src = edits.iter().fold(VALID.to_string(), |s, e| apply(&s, e));
            match Setup::parse("test.toml", &src) {
                Ok(setup) => {
                    // Whatever validation lets through, the store takes.
                    let dir = tempfile::TempDir::new().unwrap();
                    let path = dir.path().join("desk.sqlite3");
                    Engine::init(&path, &setup).map_err(|e| {
                        TestCaseError::fail(format!("validated but not written: {e}\n{src}"))
                    })?;
                }
                Err(Error::Setup {
                    file,
                    line,
                    key,
                    message,
                }) => {
                    prop_assert_eq!(file, "test.toml");
                    prop_assert!(
                        (1..=src.lines().count() + 1).contains(&line),
                        "line {} of {}",
                        line,
                        src.lines().count()
                    );
                    prop_assert!(!message.trim().is_empty());
                    prop_assert!(
                        !key.trim().is_empty(),
                        "no key for line {}: {}",
                        line,
                        message
                    );
                }
                Err(other) => prop_assert!(false, "not a setup error: {other:?}\n{src}"),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_refused_setup_leaves_no_store_behind() {
    // Refused by the loader or by the store, nothing is left where the store would be.
    let edits = proptest::collection::vec(edit(), 1..3);
    runner(40)
        .run(&edits, |edits| {
            let src = edits.iter().fold(VALID.to_string(), |s, e| apply(&s, e));
            let dir = tempfile::TempDir::new().unwrap();
            let file = dir.path().join("setup.toml");
            std::fs::write(&file, &src).unwrap();
            let path = dir.path().join("data").join("desk.sqlite3");
            if let Ok(setup) = Setup::load(&file) {
                Engine::init(&path, &setup).unwrap();
                prop_assert!(path.exists());
            } else {
                prop_assert!(!dir.path().join("data").exists());
            }
            Ok(())
        })
        .unwrap();
}
