//! Setup files (docs/rules.md, "The setup file"). Every error names the file, the line and the key; a failed
//! `Engine::init` writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::{Clock, Engine};

mod checks;
mod errors;
mod props;

// ---- fixture ----

/// A small valid setup; tests replace one line of it to break it.
const VALID: &str = r#"[desk]
name = "Kiwi IT"
time_zone = "Pacific/Auckland"

[[resources]]
login = "anna"
name = "Anna Berger"
email = "anna@kiwi.example"
service_desk = true

[[queues]]
name = "Level 1"

[[work_types]]
name = "Remote Support"

[[companies]]
name = "Contoso"
[companies.taskfire]
queues = ["Contoso IT"]
resources = [{ login = "tom", name = "Tom Reyes", email = "tom@contoso.example" }]

[[contacts]]
login = "lisa@contoso.example"
name = "Lisa Park"
company = "Contoso"
time_zone = "America/Los_Angeles"
portal = "manager"

[[issue_types]]
name = "Printer"
created_by = "provider"
queue = "Level 1"

[[issue_types]]
name = "Laptop"
created_by = "Contoso"

[portal]
show_tickets_created_on_or_after = "2025-01-01"

[[workflow_rules]]
name = "Work type for portal tickets"
event = "ticket_created"
conditions = [{ field = "source", op = "eq", value = "Client Portal" }]
actions = [{ set = "work_type", value = "Remote Support" }]

[[notification_templates]]
event = "taskfire_question"
subject = "Question on {ticket.number}: {ticket.title}"
body = "{note.text}"
"#;

/// `VALID` with the (unique) line `from` replaced by `to`.
fn with(from: &str, to: &str) -> String {
    assert_eq!(VALID.matches(from).count(), 1, "{from}");
    VALID.replace(from, to)
}

/// The 1-based number of the line of `src` that contains `marker` (exactly once).
fn line_of(src: &str, marker: &str) -> usize {
    let lines: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(marker))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{marker}");
    lines[0]
}

/// Parses `src` expecting a setup error; returns (line, key, message).
fn setup_error(src: &str) -> (usize, String, String) {
    match Setup::parse("test.toml", src) {
        Err(Error::Setup {
            file,
            line,
            key,
            message,
        }) => {
            assert_eq!(file, "test.toml");
            (line, key, message)
        }
        Err(e) => panic!("not a setup error: {e:?}"),
        Ok(_) => panic!("the setup was accepted"),
    }
}

/// Breaks `VALID` by replacing `from` with `to` and checks that the error points at the
/// replaced line, names `key`, and mentions `word`.
fn assert_error_at(from: &str, to: &str, key: &str, word: &str) {
    let src = with(from, to);
    let (line, k, message) = setup_error(&src);
    assert_eq!(
        (line, k.as_str()),
        (line_of(&src, to), key),
        "message: {message}"
    );
    assert!(message.contains(word), "{message} should mention {word}");
}

// ---- valid files and init ----

#[test]
fn the_valid_setup_loads_with_every_table() {
    let s = Setup::parse("test.toml", VALID).unwrap();
    assert_eq!(s.desk_name, "Kiwi IT");
    assert_eq!(s.time_zone, chrono_tz::Pacific::Auckland);
    assert_eq!(s.resources[0].person.time_zone, "Pacific/Auckland");
    assert_eq!(s.contacts[0].portal, PortalLevel::Manager);
    assert_eq!(s.issue_types[1].company.as_deref(), Some("Contoso"));
    assert_eq!(s.rules.len(), 1);
    assert_eq!(
        s.show_tickets_created_on_or_after,
        Some("2025-01-01".parse().unwrap())
    );
}

#[test]
fn a_contact_without_portal_defaults_to_none() {
    let s = Setup::parse("test.toml", &with("portal = \"manager\"\n", "")).unwrap();
    assert_eq!(s.contacts[0].portal, PortalLevel::None);
}

#[test]
fn a_notify_recipient_login_matches_without_regard_to_case() {
    let src = with(
        "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
        "actions = [{ notify = \"ticket_created\", to = \"Anna\" }]",
    );
    let s = Setup::parse("test.toml", &src).unwrap();
    assert_eq!(s.rules[0].actions.len(), 1);
}

#[test]
fn load_names_the_file_it_read() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("northwind.toml");
    std::fs::write(&path, with("portal = \"manager\"", "portal = \"root\"")).unwrap();
    match Setup::load(&path) {
        Err(Error::Setup { file, line, .. }) => {
            assert_eq!(file, path.display().to_string());
            assert_eq!(line, 28);
        }
        other => panic!("{other:?}"),
    }
    let e = Setup::load(&dir.path().join("missing.toml")).unwrap_err();
    assert!(e.to_string().contains("missing.toml"), "{e}");
}

#[test]
fn init_writes_a_store_that_opens() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("desk.sqlite3");
    Engine::init(&path, &Setup::parse("test.toml", VALID).unwrap()).unwrap();
    let e = Engine::open(&path, Clock::System).unwrap();
    assert_eq!(e.desk_name(), "Kiwi IT");
    assert_eq!(e.default_login().as_deref(), Some("anna"));
}

#[test]
fn a_failing_init_leaves_no_file_behind() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("data").join("desk.sqlite3");
    let mut setup = Setup::parse("test.toml", VALID).unwrap();
    // Past validation (the fields are public): a contact of a company that does not
    // exist fails inside the store's transaction.
    let mut ghost = setup.contacts[0].clone();
    ghost.person.login = "ghost@nowhere.example".into();
    ghost.company = "Nowhere".into();
    setup.contacts.push(ghost);
    assert!(Engine::init(&path, &setup).is_err());
    assert!(!path.exists());
    let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn init_on_an_existing_store_refuses_and_keeps_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("desk.sqlite3");
    Engine::init(&path, &Setup::parse("test.toml", VALID).unwrap()).unwrap();
    let before = std::fs::read(&path).unwrap();
    let other = Setup::parse("test.toml", &with("name = \"Kiwi IT\"", "name = \"Other\"")).unwrap();
    assert!(matches!(
        Engine::init(&path, &other),
        Err(Error::StoreExists(p)) if p == path
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(
        Engine::open(&path, Clock::System).unwrap().desk_name(),
        "Kiwi IT"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1);
}

#[test]
fn init_where_no_folder_can_be_made_is_an_error_naming_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "a file, not a folder").unwrap();
    let path = blocker.join("desk.sqlite3");
    let e = Engine::init(&path, &Setup::parse("test.toml", VALID).unwrap()).unwrap_err();
    assert!(matches!(e, Error::Io { .. }), "{e:?}");
    assert!(e.to_string().contains("blocker"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
