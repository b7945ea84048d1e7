//! Typed text is never lost (Esc asks, drafts per ticket across a restart), publishing is
//! deliberate, nothing from the store reaches the terminal raw, and the small things: the
//! filter history, ctrl-z, a delete that says so, the connection indicator, the outbox.

use desk_engine::model::NoteKind;

use super::*;
use crate::tui::effect::Effect;
use crate::tui::popup::form::FieldId;
use crate::tui::state::Popup;

async fn on_ticket() -> (Harness, String) {
    let dir = store(10);
    let t = contoso_ticket(&backend(&dir, "anna"), "Printer jams on floor 3").await;
    let mut h = Harness::open(dir, "anna").await;
    h.find(&t.number).await;
    (h, t.number)
}

fn note_text(h: &Harness) -> String {
    match h.state.popups.last() {
        Some(Popup::Form(f)) => f.text(FieldId::Note),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn esc_on_typed_text_asks_and_a_draft_survives_a_restart() {
    let (mut h, n) = on_ticket().await;
    // an empty form closes at once
    h.keys("n esc").await;
    assert!(h.state.popups.is_empty());
    h.keys("n").await;
    h.type_text("Half a thought about the fuser").await;
    h.keys("esc").await;
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("not saved") && screen.contains("keep it as this ticket's draft"),
        "{screen}"
    );
    snap("discard_note", &h.state);
    // n: back to the text, nothing lost
    h.keys("n").await;
    assert_eq!(note_text(&h), "Half a thought about the fuser");
    // k: kept as the ticket's draft, in the data folder
    h.keys("esc k").await;
    assert!(h.state.popups.is_empty());
    assert_eq!(
        h.keep.load_drafts().get(&n).map(String::as_str),
        Some("Half a thought about the fuser")
    );
    assert_eq!(h.fresh(&n).await.notes.len(), 0, "nothing was sent");
    // ... and it is there after desk starts again
    let mut h = h.restart().await;
    h.find(&n).await;
    h.keys("n").await;
    assert_eq!(note_text(&h), "Half a thought about the fuser");
    assert!(
        h.screen(100, 30)
            .contains("Your draft of this note is back")
    );
    h.type_text(" is done.").await;
    h.keys("ctrl-s").await;
    assert_eq!(
        h.fresh(&n).await.notes[0].text,
        "Half a thought about the fuser is done."
    );
    assert!(
        h.keep.load_drafts().is_empty(),
        "a sent note's draft is gone"
    );
    // y: thrown away on purpose, draft and all
    h.keys("n").await;
    h.type_text("never mind").await;
    h.tick().await;
    assert!(
        h.keep.load_drafts().contains_key(&n),
        "written as it is typed"
    );
    h.keys("esc y").await;
    assert!(h.state.popups.is_empty());
    assert!(h.keep.load_drafts().is_empty());
    assert_eq!(h.fresh(&n).await.notes.len(), 1);
}

/// A note being typed is kept on the ticks, so a killed terminal loses nothing; quitting
/// with it open keeps it too.
#[tokio::test]
async fn a_note_is_kept_while_it_is_typed_and_on_quit() {
    let (mut h, n) = on_ticket().await;
    h.keys("n").await;
    h.type_text("typed before the crash").await;
    h.tick().await;
    assert_eq!(
        h.keep.load_drafts().get(&n).map(String::as_str),
        Some("typed before the crash")
    );
    h.type_text(", and more").await;
    let mut h = h.restart().await;
    assert_eq!(
        h.state.drafts.get(&n).map(String::as_str),
        Some("typed before the crash, and more"),
        "quitting keeps what was typed since the last tick"
    );
    // a form that was not changed closes without asking (the due form opens filled in)
    h.find(&n).await;
    h.keys("d esc").await;
    assert!(h.state.popups.is_empty());
}

/// The audience reads unambiguously, and a note for the customer is reviewed first,
/// naming who will see it; no goes back to the text.
#[tokio::test]
async fn publishing_is_reviewed_and_names_who_sees_it() {
    let (mut h, n) = on_ticket().await;
    h.keys("n").await;
    h.type_text("A technician comes tomorrow at 9.").await;
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("internal — staff only")
            && screen.contains("(space: PUBLISHED — the customer sees this)"),
        "{screen}"
    );
    h.keys("tab space").await;
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("PUBLISHED — the customer sees this   (space: internal — staff only)"),
        "{screen}"
    );
    h.keys("ctrl-s").await;
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Review: the customer sees this"),
        "{screen}"
    );
    assert!(
        screen.contains("Lisa Park (lisa@contoso.example), the contact of"),
        "{screen}"
    );
    assert!(
        screen.contains("every portal manager of Contoso"),
        "{screen}"
    );
    assert!(
        screen.contains("│ A technician comes tomorrow at 9."),
        "{screen}"
    );
    snap("publish_review", &h.state);
    h.keys("n").await;
    assert_eq!(note_text(&h), "A technician comes tomorrow at 9.");
    assert!(
        h.fresh(&n).await.notes.is_empty(),
        "nothing sent before yes"
    );
    h.keys("ctrl-s y").await;
    let last = h.fresh(&n).await.notes.last().cloned().unwrap();
    assert_eq!(last.kind, NoteKind::Published);
    assert!(h.state.popups.is_empty());
}

/// Nothing from a customer reaches the terminal raw: a title holding escape sequences
/// (written into the store directly, as an older desk might have) shows escaped.
#[tokio::test]
async fn control_characters_in_the_store_render_escaped() {
    let (h, n) = on_ticket().await;
    let db = rusqlite::Connection::open(desk_engine::store::store_path(h.dir.path())).unwrap();
    db.execute(
        "UPDATE tickets SET title = ?1, description = ?2 WHERE number = ?3",
        (
            "Printer \u{1b}[2J\u{1b}]0;owned\u{7} jam",
            "col1\tcol2\nbell\u{7} and \u{9b}31m",
            &n,
        ),
    )
    .unwrap();
    drop(db);
    let mut h = h;
    h.keys("r").await;
    h.find(&n).await;
    for (w, hh) in [(80, 24), (160, 48)] {
        let mut t = Terminal::new(TestBackend::new(w, hh)).unwrap();
        let theme = Theme::mono();
        t.draw(|f| {
            f.render_widget(
                Screen {
                    state: &h.state,
                    theme: &theme,
                },
                f.area(),
            )
        })
        .unwrap();
        let buf = t.backend().buffer();
        assert!(
            buf.content()
                .iter()
                .all(|c| !c.symbol().chars().any(char::is_control)),
            "a control character reached the buffer"
        );
    }
    let screen = h.screen(160, 48);
    assert!(screen.contains("Printer ^[[2J^[]0;owned^G jam"), "{screen}");
    assert!(screen.contains("col1    col2"), "tabs expanded: {screen}");
    assert!(screen.contains("bell^G and \\u{9b}31m"), "{screen}");
    // in a picker's title, a form's prefilled title, the palette: escaped too
    h.keys("T").await;
    assert!(h.screen(100, 30).contains("Printer ^[[2J^[]0;owned^G jam"));
}

#[tokio::test]
async fn the_filter_bar_keeps_a_history_across_restarts() {
    let (mut h, _) = on_ticket().await;
    for q in ["status:new", "company:contoso printer"] {
        h.keys("/").await;
        h.clear_input().await;
        h.type_text(q).await;
        h.keys("enter").await;
    }
    let mut h = h.restart().await;
    let shown = |h: &Harness| match h.state.popups.last() {
        Some(Popup::Filter(f)) => f.text(),
        other => panic!("{other:?}"),
    };
    h.keys("/ up").await;
    assert_eq!(shown(&h), "company:contoso printer");
    h.keys("up").await;
    assert_eq!(shown(&h), "status:new");
    h.keys("down down").await;
    assert_eq!(shown(&h), "", "back to what was being typed");
}

#[tokio::test]
async fn ctrl_z_suspends_and_a_delete_says_so() {
    let (mut h, n) = on_ticket().await;
    h.keys("ctrl-z").await;
    assert!(matches!(h.other.last(), Some(Effect::Suspend)));
    h.keys("delete").await;
    assert!(matches!(h.state.popups.last(), Some(Popup::Confirm(_))));
    h.keys("y").await;
    let m = h.state.message.clone().unwrap();
    assert_eq!(m.text, format!("deleted {n}"));
    assert!(h.screen(80, 24).contains(&format!("deleted {n}")));
    assert!(h.backend.ticket(n).await.is_err());
}

#[tokio::test]
async fn a_lost_connection_shows_until_it_is_back() {
    let (mut h, _) = on_ticket().await;
    assert!(!h.screen(100, 30).contains("connection lost"));
    update::handle(&mut h.state, AppEvent::Connection(false));
    assert!(
        h.screen(100, 30)
            .contains("⚠ connection lost — reconnecting…")
    );
    update::handle(&mut h.state, AppEvent::Connection(true));
    assert!(!h.screen(100, 30).contains("connection lost"));
    // back: what changed meanwhile is fetched on the next tick
    let fx = update::handle(&mut h.state, AppEvent::Tick(now()));
    assert!(fx.iter().any(|e| matches!(e, Effect::Call(..))));
}

#[tokio::test]
async fn the_outbox_names_zones_and_previews_the_body() {
    let dir = store(0);
    let kim = backend(&dir, "kim@contoso.example");
    kim.portal_submit(desk_engine::model::PortalSubmit {
        title: "Outbox preview".into(),
        issue_type: "Printer".into(),
        description: String::new(),
    })
    .await
    .unwrap();
    let mut h = Harness::open(dir, "anna").await;
    h.keys("N").await;
    let screen = h.screen(120, 40);
    assert!(screen.contains("times in Europe/Berlin"), "{screen}");
    assert!(screen.contains(" CET  ticket created"), "{screen}");
    assert!(screen.contains("Hello Kim"), "the body previewed: {screen}");
    snap("outbox", &h.state);
}
