//! Triage, filtering, a failed save, the portal, live refresh, the palette.

use desk_engine::model::{CLIENT_PORTAL, NoteKind};

use super::*;
use crate::tui::popup::form::FieldId;
use crate::tui::state::{Popup, Slot};

#[tokio::test]
async fn triage_status_assignee_queue_and_notes() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    // status: the picker starts on the current status (New); one down is In Progress
    h.keys("s j enter").await;
    assert_eq!(h.fresh(&n).await.status, "In Progress");
    assert_eq!(
        h.ticket().status,
        "In Progress",
        "the detail shows the saved ticket"
    );
    // assignee: (nobody), anna, ben, chen; typing narrows to a person
    h.keys("a").await;
    h.keys("g backspace").await; // keys inside a picker do not leak to the panes
    h.type_text("ben").await;
    h.keys("enter").await;
    assert_eq!(h.fresh(&n).await.assigned.as_deref(), Some("ben"));
    // queue: Client Portal, Level 1, Level 2, Projects (the picker starts on Level 1)
    h.keys("m j enter").await;
    assert_eq!(h.fresh(&n).await.queue, "Level 2");
    // an internal note by default
    h.keys("n").await;
    h.type_text("Called the customer; toner is fine.").await;
    h.keys("ctrl-s").await;
    let t = h.fresh(&n).await;
    let last = t.notes.last().unwrap();
    assert_eq!(
        (last.kind, last.text.as_str()),
        (NoteKind::Internal, "Called the customer; toner is fine.")
    );
    assert!(h.state.popups.is_empty(), "the form closed after the save");
    // publishing is a deliberate toggle
    h.keys("n").await;
    h.type_text("A technician comes tomorrow.").await;
    h.keys("tab space ctrl-s").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Confirm(_))),
        "a published note is reviewed first"
    );
    h.keys("y").await;
    assert_eq!(
        h.fresh(&n).await.notes.last().unwrap().kind,
        NoteKind::Published
    );
    // due date: typed, validated by the backend
    h.keys("d").await;
    h.clear_input().await;
    h.type_text("2026-12-24 10:00").await;
    h.keys("enter").await;
    let due = h.fresh(&n).await.due_at.unwrap();
    assert_eq!(due.to_rfc3339(), "2026-12-24T09:00:00+00:00");
    // work type
    h.keys("w j enter").await;
    assert_eq!(
        h.fresh(&n).await.work_type.as_deref(),
        Some("Remote Support")
    );
    // priority: Low, Medium, High, Critical; the picker starts on Medium
    h.keys("p j enter").await;
    assert_eq!(h.fresh(&n).await.priority, "High");
}

#[tokio::test]
async fn saved_view_shows_in_the_queue_pane_with_its_count() {
    let dir = store(30);
    let cfg = dir.path().join("config.toml");
    let config = Config {
        path: Some(cfg.clone()),
        ..Config::default()
    };
    let mut h = Harness::with_config(dir, "anna", config).await;
    h.keys("/").await;
    h.type_text("source:\"Client Portal\"").await;
    h.keys("enter V").await;
    h.type_text("Portal").await;
    h.keys("enter").await;
    assert_eq!(
        h.state.views,
        vec![view("Portal", "source:\"Client Portal\"")]
    );
    assert!(matches!(h.other.last(), Some(Effect::SaveViews(v)) if v.len() == 1));
    let e = h.state.queues.entries.last().unwrap();
    assert_eq!(e.label, "Portal");
    assert_eq!(e.count, Some(h.state.list.tickets.len() as u64));
}

#[tokio::test]
async fn a_due_date_that_does_not_resolve_is_refused_in_place() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    h.keys("d").await;
    h.clear_input().await;
    h.type_text("next tuesday-ish").await;
    // Shown as it is typed: the field says it does not resolve, before any save.
    assert!(h.screen(80, 24).contains("✗ \"next tuesday-ish\""));
    h.keys("ctrl-s").await;
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!("the form must stay open")
    };
    assert_eq!(f.text(FieldId::Due), "next tuesday-ish");
    let why = f
        .field(FieldId::Due)
        .and_then(|x| x.error.clone())
        .unwrap_or_default();
    assert!(
        why.contains("next tuesday-ish") && why.contains("+2d"),
        "{why}"
    );
    assert!(f.saving.is_none(), "nothing was sent");
    assert_eq!(
        h.fresh(&n).await.version,
        h.ticket().version,
        "nothing changed"
    );
    // fixed in place: a relative form, shown resolved with its zone before it is saved
    h.clear_input().await;
    h.type_text("tomorrow 17:00").await;
    assert!(
        h.screen(100, 30).contains("→ Mon 2026-11-30 17:00 CET"),
        "{}",
        h.screen(100, 30)
    );
    h.keys("ctrl-s").await;
    assert!(h.state.popups.is_empty());
    assert_eq!(
        h.fresh(&n).await.due_at.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-11-30T16:00:00+00:00")
    );
}

/// A save the backend refuses keeps the form and its text, and says why.
#[tokio::test]
async fn a_failed_save_keeps_the_text_and_says_why() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    h.keys("T ctrl-u").await;
    let long = "Printer ".repeat(70);
    h.type_text(&long).await;
    h.keys("ctrl-s").await;
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!(
            "the form must stay open: {:?} {:?}",
            h.state.popups, h.state.message
        )
    };
    assert_eq!(f.text(FieldId::Title), long.trim());
    let why = f.error.clone().unwrap_or_default();
    assert!(
        why.starts_with("not saved:") && why.contains("longer than"),
        "{why}"
    );
    assert!(f.saving.is_none());
    assert_eq!(
        h.fresh(&n).await.title,
        "Printer jams on floor 3",
        "nothing changed"
    );
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Printer Printer") && screen.contains("not saved"),
        "{screen}"
    );
}

#[tokio::test]
async fn stale_replies_are_dropped() {
    let (mut h, _) = staff_with_ticket("anna").await;
    let first = crate::tui::update::load_list(&mut h.state);
    let second = crate::tui::update::load_list(&mut h.state);
    let (Effect::Call(old, c1), Effect::Call(_, _)) = (&first[0], &second[0]) else {
        panic!()
    };
    let reply = effect::call(h.backend.as_ref(), (**c1).clone()).await;
    let before = h.state.list.tickets.len();
    h.state.list.tickets.clear();
    let fx = update::handle(&mut h.state, AppEvent::Reply(*old, reply));
    assert!(
        fx.is_empty() && h.state.list.tickets.is_empty(),
        "the old reply changed nothing"
    );
    h.run(second).await;
    assert_eq!(h.state.list.tickets.len(), before);
}

#[tokio::test]
async fn live_refresh_keeps_selection_and_a_half_typed_form() {
    let (mut h, _) = staff_with_ticket("anna").await;
    h.keys("j j j").await;
    let selected = h.ticket().number;
    h.keys("n").await;
    h.type_text("half").await;
    // someone else adds a ticket meanwhile
    contoso_ticket(&backend(&h.dir, "chen"), "New from chen").await;
    // the clock is frozen; refreshes count ticks
    let calls = |fx: &[Effect]| fx.iter().any(|e| matches!(e, Effect::Call(..)));
    let mut fx = Vec::new();
    for _ in 0..h.state.refresh_ticks {
        assert!(!calls(&fx), "no refresh before its time");
        fx = update::handle(&mut h.state, AppEvent::Tick(now()));
    }
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Call(..))),
        "a refresh was asked for"
    );
    // while it is unanswered, further ticks ask for nothing more
    for _ in 0..h.state.refresh_ticks * 3 {
        let more = update::handle(&mut h.state, AppEvent::Tick(now()));
        assert!(!calls(&more), "no pile-up behind a slow backend");
    }
    h.run(fx).await;
    assert_eq!(h.ticket().number, selected);
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .any(|t| t.title == "New from chen")
    );
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!()
    };
    assert_eq!(f.text(FieldId::Note), "half");
}

#[tokio::test]
async fn a_change_on_the_feed_refreshes_on_the_next_tick_keeping_the_form() {
    let (mut h, _) = staff_with_ticket("anna").await;
    h.keys("n").await;
    h.type_text("half").await;
    contoso_ticket(&backend(&h.dir, "chen"), "Seen at once").await;
    // The feed says something changed: nothing is asked yet, the next tick refreshes.
    assert!(update::handle(&mut h.state, AppEvent::Changed).is_empty());
    let fx = update::handle(&mut h.state, AppEvent::Tick(now()));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Call(..))),
        "a refresh was asked for"
    );
    h.run(fx).await;
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .any(|t| t.title == "Seen at once")
    );
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!()
    };
    assert_eq!(f.text(FieldId::Note), "half");
}

#[tokio::test]
async fn busy_mark_while_pending() {
    let (mut h, _) = staff_with_ticket("anna").await;
    let fx = update::update(&mut h.state, crate::tui::action::Action::Refresh);
    assert!(h.state.busy());
    assert!(h.screen(80, 24).contains("loading…"));
    h.run(fx).await;
    assert!(!h.state.busy());
    assert!(!h.state.pending.iter().any(|(s, _)| *s == Slot::List));
}

#[tokio::test]
async fn portal_contact_sees_exactly_the_portal_and_submits() {
    let dir = store(60);
    let mut h = Harness::open(dir, "lisa@contoso.example").await;
    let portal = h
        .backend
        .portal_list(Default::default(), Default::default())
        .await
        .unwrap();
    let mut want: Vec<_> = portal.items.iter().map(|t| t.number.clone()).collect();
    let mut got: Vec<_> = h
        .state
        .list
        .tickets
        .iter()
        .map(|t| t.number.clone())
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .flat_map(|t| &t.notes)
            .all(|n| n.kind != NoteKind::Internal)
    );
    // staff actions are not there
    h.keys("s").await;
    assert!(h.state.popups.is_empty());
    // submit a ticket while a search shows one other ticket
    let other = h.state.list.tickets[0].number.clone();
    h.find(&other).await;
    h.keys("c").await;
    h.type_text("VPN drops every hour").await;
    h.keys("tab right tab").await;
    h.type_text("Since Monday.").await;
    h.keys("ctrl-s").await;
    let t = h.ticket();
    assert!(
        h.state.list.tickets.len() > 1,
        "the whole portal list again"
    );
    assert_eq!(
        (t.title.as_str(), t.source.as_str()),
        ("VPN drops every hour", CLIENT_PORTAL)
    );
    assert_eq!(t.issue_type.as_deref(), Some("Network outage"));
    assert!(
        t.dates_differ(),
        "07:30 UTC is still the 28th in Los Angeles"
    );
    // the filter narrows the portal's own list
    h.keys("/").await;
    h.type_text("status:new vpn").await;
    h.keys("enter").await;
    assert!(!h.state.list.tickets.is_empty());
    assert!(
        h.state
            .list
            .tickets
            .iter()
            .all(|t| t.status == "New" && t.title.to_lowercase().contains("vpn"))
    );
    h.keys("/").await;
    h.clear_input().await;
    h.type_text(&t.number).await;
    h.keys("enter").await;
    assert_eq!(h.state.list.tickets.len(), 1);
    // a portal note
    h.keys("n").await;
    h.type_text("It dropped again just now.").await;
    h.keys("ctrl-s").await;
    let shown = h.backend.portal_show(t.number.clone()).await.unwrap();
    assert_eq!(shown.notes.last().unwrap().kind, NoteKind::Portal);
}

#[tokio::test]
async fn a_conflicting_change_is_refused_and_the_ticket_reloaded() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    // chen changes the ticket after anna's copy was loaded
    let chen = backend(&h.dir, "chen");
    let change = desk_engine::model::TicketChange {
        status: Some("Waiting Vendor".into()),
        ..Default::default()
    };
    chen.update_ticket(n.clone(), change).await.unwrap();
    h.keys("s j enter").await;
    let m = h.state.message.clone().unwrap();
    assert!(m.error && m.text.starts_with("not saved"), "{m:?}");
    assert_eq!(
        h.ticket().status,
        "Waiting Vendor",
        "the detail shows what is really there now"
    );
    assert_eq!(h.fresh(&n).await.status, "Waiting Vendor");
}

#[tokio::test]
async fn a_contact_without_portal_access_is_told_why() {
    let h = Harness::open(store(10), "pat@tailspin.example").await;
    assert!(h.state.list.tickets.is_empty());
    assert!(h.screen(80, 24).contains("Your portal access is off"));
}

#[tokio::test]
async fn a_long_note_keeps_its_lines_in_the_history() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    h.keys("n").await;
    h.type_text("first line").await;
    h.keys("enter").await;
    h.type_text("second line").await;
    h.keys("ctrl-s tab").await;
    assert_eq!(
        h.fresh(&n).await.notes.last().unwrap().text,
        "first line\nsecond line"
    );
    let screen = h.screen(160, 48);
    assert!(screen.contains("[INTERNAL] (staff only)"), "{screen}");
    assert!(screen.contains(": first line"), "{screen}");
    assert!(screen.contains("    second line"), "{screen}");
}

#[tokio::test]
async fn a_technician_takes_a_phone_call_as_a_new_ticket() {
    let (mut h, _) = staff_with_ticket("anna").await;
    h.keys("c ctrl-s").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Form(f)) if f.field(FieldId::Title).unwrap().error.is_some())
    );
    h.type_text("Outlook crashes on start").await;
    // company: (none), Contoso, ...; contact: (none), lisa, ...
    h.keys("tab right tab right").await;
    h.keys("ctrl-s").await;
    let t = h.ticket();
    assert_eq!(t.title, "Outlook crashes on start");
    assert_eq!(
        (t.company.as_deref(), t.source.as_str()),
        (Some("Contoso"), "Phone")
    );
    assert_eq!(t.contact.as_deref(), Some("lisa@contoso.example"));
    assert!(h.state.list.tickets.iter().any(|x| x.number == t.number));
}

/// `T` renames the selected ticket: the title in a one-line field, saved guarded by the
/// ticket's version; an empty title is refused in place, keeping the form.
#[tokio::test]
async fn a_technician_renames_a_ticket() {
    let (mut h, n) = staff_with_ticket("anna").await;
    h.find(&n).await;
    h.keys("T").await;
    match h.state.popups.last() {
        Some(Popup::Form(f)) => assert_eq!(f.text(FieldId::Title), "Printer jams on floor 3"),
        other => panic!("{other:?}"),
    }
    h.keys("ctrl-u").await;
    h.type_text("Printer on floor 3 jams on duplex").await;
    h.keys("ctrl-s").await;
    assert!(h.state.popups.is_empty(), "the form stayed open");
    assert_eq!(h.fresh(&n).await.title, "Printer on floor 3 jams on duplex");
    assert_eq!(h.ticket().title, "Printer on floor 3 jams on duplex");

    h.keys("T ctrl-u ctrl-s").await;
    match h.state.popups.last() {
        Some(Popup::Form(f)) => assert!(f.error.is_some()),
        other => panic!("an empty title was sent: {other:?}"),
    }
    h.keys("esc").await;
    assert_eq!(h.fresh(&n).await.title, "Printer on floor 3 jams on duplex");
}

/// `N` shows the provider's outbox, newest first; enter opens the selected message's
/// ticket. Only the provider's staff read it.
#[tokio::test]
async fn the_outbox_lists_what_was_sent_and_opens_its_ticket() {
    let dir = store(10);
    let contact = backend(&dir, "kim@contoso.example");
    let submitted = contact
        .portal_submit(desk_engine::model::PortalSubmit {
            title: "Outbox check".into(),
            issue_type: "Printer".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    let mut h = Harness::open(dir, "anna").await;
    h.keys("N").await;
    let first = match h.state.popups.last() {
        Some(Popup::Outbox(o)) => o.items.first().cloned().expect("a message"),
        other => panic!("{other:?}"),
    };
    // The newest: the acknowledgement of the ticket just submitted.
    assert_eq!(first.ticket.as_deref(), Some(submitted.number.as_str()));
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Outbox") && screen.contains(&submitted.number),
        "{screen}"
    );
    h.keys("enter").await;
    assert!(h.state.popups.is_empty());
    assert_eq!(h.ticket().number, submitted.number);

    // A contact has no outbox to read.
    let mut c = Harness::open(store(0), "kim@contoso.example").await;
    c.keys("N").await;
    assert!(c.state.popups.is_empty());
    assert!(c.state.message.as_ref().is_some_and(|m| m.error));
}

/// A contact who presses `c` before the desk's names have come gets the form at once;
/// its issue types fill in when they arrive, and what was typed stays.
#[tokio::test]
async fn a_portal_form_opened_before_the_names_gets_them_when_they_come() {
    use crate::tui::effect::Call;
    let dir = store(0);
    let mut h = Harness::open(dir, "lisa@contoso.example").await;
    h.state.catalog = None;
    h.keys("c").await;
    h.type_text("VPN drops").await;
    assert!(h.screen(100, 30).contains("(nothing to choose from)"));
    let e = h.state.request(Slot::Catalog, Call::Catalog);
    h.run(vec![e]).await;
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!("{:?}", h.state.popups)
    };
    assert_eq!(f.text(FieldId::Title), "VPN drops");
    assert!(!h.screen(100, 30).contains("(nothing to choose from)"));
    h.keys("tab right ctrl-s").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.message);
}
