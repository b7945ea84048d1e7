//! Keys: remapping, text editing, pickers that narrow, the palette, the status line.

use desk_engine::model::{CLIENT_PORTAL, NoteKind};

use super::*;
use crate::tui::popup::form::FieldId;
use crate::tui::state::{Pane, Popup};

#[tokio::test]
async fn form_keys_are_remappable_and_may_reuse_pane_keys() {
    let dir = store(0);
    let n = contoso_ticket(&backend(&dir, "anna"), "Printer")
        .await
        .number;
    let mut keys = std::collections::BTreeMap::new();
    keys.insert("save_form".to_string(), vec!["f2".to_string()]);
    keys.insert("next_field".to_string(), vec!["ctrl-n".to_string()]);
    let config = Config {
        keys: keys.clone(),
        ..Config::default()
    };
    let (_, problems) = Keymap::build(&keys);
    assert!(
        problems.is_empty(),
        "tab on the panes and in forms is no conflict: {problems:?}"
    );
    let mut h = Harness::with_config(dir, "anna", config).await;
    h.find(&n).await;
    h.keys("n").await;
    h.type_text("remapped").await;
    h.keys("ctrl-n space ctrl-s").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Form(_))),
        "ctrl-s no longer saves"
    );
    assert!(h.screen(80, 24).contains("f2 save · ctrl-n next field"));
    h.keys("f2 y").await;
    let last = h.fresh(&n).await.notes.last().cloned().unwrap();
    assert_eq!(
        (last.kind, last.text.as_str()),
        (NoteKind::Published, "remapped")
    );
}

/// Text inputs edit as a shell does: ctrl-u deletes to the start of the line (not one
/// character), ctrl-k to its end, ctrl-z undoes; in the filter bar and in a form.
#[tokio::test]
async fn ctrl_u_deletes_to_the_start_of_the_line_and_ctrl_z_undoes() {
    let (mut h, _) = staff_with_ticket("anna").await;
    let filter_text = |h: &Harness| match h.state.popups.last() {
        Some(Popup::Filter(f)) => f.text(),
        other => panic!("{other:?}"),
    };
    h.keys("/").await;
    h.type_text("status:new printer").await;
    for _ in 0.."printer".len() {
        h.keys("left").await;
    }
    h.keys("ctrl-u").await;
    assert_eq!(filter_text(&h), "printer");
    h.keys("ctrl-z").await;
    assert_eq!(filter_text(&h), "status:new printer");
    h.keys("ctrl-k").await;
    assert_eq!(filter_text(&h), "status:new ");
    h.keys("esc").await;

    // In a note: the line typed so far goes, and what is typed after is saved.
    h.keys("n").await;
    h.type_text("a first try").await;
    h.keys("ctrl-u").await;
    h.type_text("kept").await;
    match h.state.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.text(FieldId::Note), "kept"),
        other => panic!("{other:?}"),
    }
}

/// The status line: an information goes after a few seconds, an error stays until
/// something replaces it, and a long error wraps onto more lines instead of being cut
/// at the edge of an 80-column screen.
#[tokio::test]
async fn status_line_informations_fade_and_long_errors_wrap() {
    let (mut h, _) = staff_with_ticket("anna").await;
    h.state.info("saved T20261129.0001");
    let ticks = crate::tui::state::INFO_SECONDS * crate::tui::event::TICKS_PER_SECOND;
    for _ in 0..ticks - 1 {
        update::handle(&mut h.state, AppEvent::Tick(now()));
    }
    assert!(h.state.message.is_some(), "gone too soon");
    update::handle(&mut h.state, AppEvent::Tick(now()));
    assert!(h.state.message.is_none(), "an information stayed");

    let long = "not saved: ticket T20261129.0001 was changed by someone else (you have \
                version 3, it is now at 4); reload it. The end of this sentence shows.";
    h.state.error(long);
    for _ in 0..ticks * 2 {
        update::handle(&mut h.state, AppEvent::Tick(now()));
    }
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("The end of this sentence shows."),
        "{screen}"
    );
}

/// Pickers narrow as you type: entries with a word starting with the typed text (a login,
/// a first or a last name). Until something is typed, j and k move; after, they are
/// letters and the arrows move. Nothing matching says so, and enter then does nothing.
#[tokio::test]
async fn typing_in_a_picker_narrows_it() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    let shown = |h: &Harness| match h.state.popups.last() {
        Some(Popup::Picker(p)) => p
            .visible()
            .into_iter()
            .map(|i| i.label.clone())
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    h.keys("a").await;
    let everyone = shown(&h);
    assert!(everyone.len() > 3, "{everyone:?}");
    // A last name, typed: only that person.
    h.type_text("oka").await;
    assert_eq!(shown(&h), vec!["ben Ben Okafor".to_string()]);
    // Nothing starts with this: said on screen; enter keeps the picker open.
    h.type_text("zz").await;
    assert!(shown(&h).is_empty());
    assert!(h.screen(80, 24).contains("nothing starts with"));
    h.keys("enter").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Picker(_))));
    // Backspace widens again; j is a letter once typing has begun.
    h.keys("backspace backspace backspace backspace backspace")
        .await;
    assert_eq!(shown(&h), everyone);
    h.keys("n j").await;
    match h.state.popups.last() {
        Some(Popup::Picker(p)) => assert_eq!(p.typed, "nj"),
        other => panic!("{other:?}"),
    }
    h.keys("esc").await;
    assert!(h.state.popups.is_empty());
    // Without typing, j moves as before: status New -> In Progress.
    h.keys("s j enter").await;
    assert_eq!(h.fresh(&n).await.status, "In Progress");
    // And typing picks too: the queue whose word starts "pro".
    h.keys("m").await;
    h.type_text("pro").await;
    h.keys("enter").await;
    assert_eq!(h.fresh(&n).await.queue, "Projects");
}

#[tokio::test]
async fn palette_runs_an_action_and_panes_cycle() {
    let (mut h, _) = staff_with_ticket("anna").await;
    h.keys(":").await;
    h.type_text("status").await;
    h.keys("enter").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Picker(_))));
    h.keys("esc tab").await;
    assert_eq!(h.state.focus, Pane::Detail);
    h.keys("tab j j").await;
    assert_eq!(h.state.focus, Pane::Queues);
    assert_eq!(h.state.list.title, "Client Portal");
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .all(|t| t.queue == CLIENT_PORTAL)
    );
}
