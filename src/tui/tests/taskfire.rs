//! The Taskfire menu: T1–T4 as forms validated in place, T4 behind a confirmation, T5
//! from the customer's side, and a company without Taskfire.

use desk_engine::model::{HeldBy, NewTicket, NoteKind, PROVIDER_WORK_COMPLETE, TaskfireAssign};

use super::*;
use crate::tui::popup::form::FieldId;
use crate::tui::state::Popup;

#[tokio::test]
async fn t1_to_t4_on_a_contoso_ticket() {
    let dir = store(10);
    let n = contoso_ticket(&backend(&dir, "anna"), "Printer jams on floor 3")
        .await
        .number;
    let mut h = Harness::open(dir, "anna").await;
    h.find(&n).await;
    // T1 with nothing filled: the note is marked, nothing is sent
    h.keys("t enter ctrl-s").await;
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!()
    };
    assert_eq!(
        f.field(FieldId::Note).unwrap().error.as_deref(),
        Some("note is required")
    );
    assert!(
        f.field(FieldId::TaskfireQueue).unwrap().error.is_none(),
        "a queue is picked already"
    );
    assert!(h.fresh(&n).await.taskfire.is_none());
    // pick the second queue and tom, a due date, a note
    h.keys("right tab right tab").await;
    h.type_text("2026-12-02").await;
    h.keys("tab").await;
    h.type_text("Please replace the fuser on your side.").await;
    h.keys("ctrl-s").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.message);
    let t = h.fresh(&n).await;
    let f = t.taskfire.clone().unwrap();
    assert_eq!(
        (f.queue.as_str(), f.resource.as_deref(), f.held_by),
        ("Contoso Facilities", Some("tom"), HeldBy::Customer)
    );
    assert_eq!(t.notes.last().unwrap().kind, NoteKind::Taskfire);
    // T3: the menu now offers T2, T3, T4; a question is required
    h.keys("t j enter ctrl-s").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Form(f)) if f.field(FieldId::Question).unwrap().error.is_some())
    );
    h.type_text("Which model is it?").await;
    h.keys("ctrl-s").await;
    assert_eq!(
        h.fresh(&n).await.notes.last().unwrap().text,
        "Which model is it?"
    );
    // T2: the note is optional; the Taskfire version changes status, ours does not
    let before = h.fresh(&n).await.status;
    h.keys("t enter ctrl-s").await;
    let t = h.fresh(&n).await;
    assert_eq!(t.taskfire.unwrap().status, PROVIDER_WORK_COMPLETE);
    assert_eq!(t.status, before);
    // T4: the confirmation names both sides and who is told
    h.keys("t j j enter").await;
    let Some(Popup::Confirm(c)) = h.state.popups.last() else {
        panic!()
    };
    let text = c.lines.join(" ");
    assert!(
        text.contains(&n)
            && text.contains("Taskfire version on Contoso's desk")
            && text.contains("Tom Reyes"),
        "{text}"
    );
    h.keys("n").await;
    assert!(
        h.backend.ticket(n.clone()).await.is_ok(),
        "no deletes without a yes"
    );
    h.keys("t j j enter y").await;
    assert!(h.backend.ticket(n.clone()).await.is_err());
    assert!(!h.state.list.tickets.iter().any(|t| t.number == n));
}

#[tokio::test]
async fn t1_for_a_company_without_taskfire_says_so_and_keeps_the_form() {
    let dir = store(0);
    let t = backend(&dir, "anna")
        .create_ticket(NewTicket {
            title: "Fabrikam mail".into(),
            company: Some("Fabrikam".into()),
            ..NewTicket::default()
        })
        .await
        .unwrap();
    let mut h = Harness::open(dir, "anna").await;
    h.find(&t.number).await;
    h.keys("t").await;
    let Some(Popup::Picker(p)) = h.state.popups.last() else {
        panic!()
    };
    assert!(
        p.note
            .as_deref()
            .unwrap_or("")
            .contains("Fabrikam has no Taskfire desk")
    );
    // The menu offers only what is valid: no T1, whose form could never be sent.
    assert!(
        p.items.iter().all(|i| !i.label.starts_with("T1")),
        "{:?}",
        p.items
    );
    h.keys("esc").await;
    // Nor does the palette; and asked for directly, it says why.
    let offered = crate::tui::update::palette_entries(&h.state);
    assert!(
        offered
            .iter()
            .all(|e| e.action != crate::tui::action::Action::TaskfireAssign)
    );
    assert!(
        offered
            .iter()
            .any(|e| e.action == crate::tui::action::Action::Delete)
    );
    let fx = update::update(&mut h.state, crate::tui::action::Action::TaskfireAssign);
    assert!(fx.is_empty() && h.state.popups.is_empty());
    let m = h.state.message.clone().unwrap();
    assert!(
        m.error && m.text.contains("Fabrikam has no Taskfire desk"),
        "{m:?}"
    );
}

#[tokio::test]
async fn a_refused_taskfire_action_keeps_the_note() {
    // ben has no Service Desk access and the ticket is not his (R8)
    let dir = store(0);
    let n = contoso_ticket(&backend(&dir, "anna"), "Printer")
        .await
        .number;
    let mut h = Harness::open(dir, "ben").await;
    h.find(&n).await;
    h.keys("t enter tab tab tab").await;
    h.type_text("a long explanation").await;
    h.keys("ctrl-s").await;
    let Some(Popup::Form(f)) = h.state.popups.last() else {
        panic!("form must stay")
    };
    let why = f.error.clone().unwrap_or_default();
    assert!(
        why.starts_with("not saved") && why.contains("not allowed"),
        "{why}"
    );
    assert_eq!(f.text(FieldId::Note), "a long explanation");
    assert!(h.fresh(&n).await.taskfire.is_none());
}

#[tokio::test]
async fn t5_escalate_as_a_taskfire_resource() {
    let dir = store(0);
    let tom = backend(&dir, "tom");
    let t = tom
        .create_ticket(NewTicket {
            title: "Server room too hot".into(),
            queue: Some("Contoso IT".into()),
            ..NewTicket::default()
        })
        .await
        .unwrap();
    let mut h = Harness::open(dir, "tom").await;
    assert!(h.state.list.tickets.iter().any(|x| x.number == t.number));
    h.find(&t.number).await;
    h.keys("t enter ctrl-s").await; // the note is required
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Form(f)) if f.field(FieldId::Note).unwrap().error.is_some())
    );
    h.type_text("We cannot fix the cooling ourselves.").await;
    h.keys("ctrl-s").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.message);
    let provider = backend(&h.dir, "anna")
        .ticket(t.number.clone())
        .await
        .unwrap();
    assert_eq!(provider.source, desk_engine::model::CLIENT_PORTAL);
    // Held by the provider now: the list says so (⇧, an escalation), and escalating
    // again is refused before any form opens.
    h.find(&t.number).await;
    let screen = h.screen(160, 48);
    let row = screen
        .lines()
        .find(|l| l.contains(&format!("{}* Server room", t.number)))
        .unwrap_or_default();
    assert!(row.contains("⇧prov"), "{screen}");
    h.keys("t").await;
    assert!(
        h.state.popups.is_empty(),
        "a menu opened: {:?}",
        h.state.popups
    );
    let said = format!("{:?}", h.state.message);
    assert!(said.contains("already held by the provider"), "{said}");
}

/// With marks, a note and T1 act on every marked ticket, after a confirmation naming the
/// count; once some of the marked are shared, no T1 for them.
#[tokio::test]
async fn a_note_and_t1_on_every_marked_ticket() {
    let dir = store(0);
    let anna = backend(&dir, "anna");
    let a = contoso_ticket(&anna, "One").await.number;
    let b = contoso_ticket(&anna, "Two").await.number;
    let mut h = Harness::open(dir, "anna").await;
    h.keys("* n").await;
    h.type_text("Seen both.").await;
    h.keys("ctrl-s").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Confirm(c)) if c.title == "Note on 2 tickets"),
        "{:?}",
        h.state.popups
    );
    h.keys("y").await;
    for n in [&a, &b] {
        assert_eq!(h.fresh(n).await.notes.last().unwrap().text, "Seen both.");
    }
    h.keys("esc * t enter").await;
    assert!(
        matches!(h.state.popups.last(), Some(Popup::Form(f)) if f.title.contains("2 marked")),
        "{:?}",
        h.state.popups
    );
    h.keys("tab tab tab").await;
    h.type_text("Please look at both.").await;
    h.keys("ctrl-s y").await;
    let Some(Popup::Results(r)) = h.state.popups.last() else {
        panic!("{:?} {:?}", h.state.popups, h.state.message)
    };
    assert_eq!(r.counts(), (2, 0, 0));
    for n in [&a, &b] {
        assert!(h.fresh(n).await.taskfire.is_some(), "{n} not shared");
    }
    // shared ones among the marked: no T1 for them, and nothing else acts on them all
    contoso_ticket(&anna, "Three").await;
    h.keys("esc r * t").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    let said = format!("{:?}", h.state.message);
    assert!(said.contains("is shared already"), "{said}");
}

/// The menu's entries of a ticket, by their T number.
fn menu(h: &Harness) -> Vec<String> {
    match h.state.popups.last() {
        Some(Popup::Picker(p)) => p
            .items
            .iter()
            .map(|i| i.label.chars().take(2).collect())
            .collect(),
        other => panic!("no menu: {other:?} {:?}", h.state.message),
    }
}

/// The menu offers exactly what the ticket's holder allows
/// (docs/rules.md, "The Taskfire actions"): the provider may hand a ticket to Taskfire (T1) when it is not shared yet
/// or when the provider holds it again after T5, never while the customer's desk holds
/// it; T2/T3 need a share; T5 is the Taskfire side's, for a ticket it still holds.
#[tokio::test]
async fn the_menu_offers_only_what_the_holder_allows() {
    let dir = store(0);
    let (anna, tom) = (backend(&dir, "anna"), backend(&dir, "tom"));
    let assign = |n: &str| {
        let (anna, n) = (anna.clone(), n.to_string());
        async move {
            anna.taskfire_assign(
                n,
                TaskfireAssign {
                    queue: "Contoso IT".into(),
                    resource: Some("tom".into()),
                    due: None,
                    note: "Yours to look at.".into(),
                    expected_version: None,
                },
            )
            .await
            .unwrap()
        }
    };
    let unshared = contoso_ticket(&anna, "Not shared").await.number;
    let held = contoso_ticket(&anna, "Held by Contoso").await.number;
    assign(&held).await;
    let back = contoso_ticket(&anna, "Back with the provider").await.number;
    assign(&back).await;
    tom.taskfire_escalate(back.clone(), "Too much for us.".into(), None)
        .await
        .unwrap();
    let fabrikam = anna
        .create_ticket(NewTicket {
            title: "Fabrikam mail".into(),
            company: Some("Fabrikam".into()),
            ..NewTicket::default()
        })
        .await
        .unwrap()
        .number;
    let mut h = Harness::open(dir, "anna").await;
    for (n, want, note) in [
        (&unshared, vec!["T1", "T4"], "not shared yet"),
        (&held, vec!["T2", "T3", "T4"], "held by the customer's desk"),
        (
            &back,
            vec!["T1", "T2", "T3", "T4"],
            "held by the provider again",
        ),
        (&fabrikam, vec!["T4"], "Fabrikam has no Taskfire desk"),
    ] {
        h.find(n).await;
        h.keys("t").await;
        assert_eq!(menu(&h), want, "{n}");
        let Some(Popup::Picker(p)) = h.state.popups.last() else {
            unreachable!()
        };
        assert!(p.note.as_deref().unwrap_or("").contains(note), "{n}: {p:?}");
        h.keys("esc").await;
    }
    // T1 on the ticket the provider holds again hands it back to Contoso's desk.
    h.find(&back).await;
    h.keys("t enter tab tab tab").await;
    h.type_text("Back to you with the new part.").await;
    h.keys("ctrl-s").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.message);
    assert_eq!(
        h.fresh(&back).await.taskfire.unwrap().held_by,
        HeldBy::Customer
    );

    // Tom's side: T5 for a ticket his desk holds, nothing of the provider's; none for one
    // the provider holds (it says why instead of opening an empty menu).
    let mut h = Harness::open(h.dir, "tom").await;
    h.find(&held).await;
    h.keys("t").await;
    assert_eq!(menu(&h), vec!["T5"]);
    h.keys("esc").await;
    tom.taskfire_escalate(held.clone(), "Please take it back.".into(), None)
        .await
        .unwrap();
    h.find(&held).await;
    h.keys("t").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    let said = format!("{:?}", h.state.message);
    assert!(said.contains("already held by the provider"), "{said}");
}

/// Hands `n` to Contoso's desk (T1, to tom), as anna.
async fn share(anna: &Arc<dyn Backend>, n: &str) {
    anna.taskfire_assign(
        n.to_string(),
        TaskfireAssign {
            queue: "Contoso IT".into(),
            resource: Some("tom".into()),
            due: None,
            note: "Yours to look at.".into(),
            expected_version: None,
        },
    )
    .await
    .unwrap();
}

/// Who holds a shared ticket is seen at the usual sizes: at 100×30 (a list 78 wide, too
/// narrow for the held column beside the triage fields) as a mark before the number, ⇩
/// the customer's desk, ⇧ the provider after an escalation, explained below the list; at
/// 200×50 in the held column.
#[tokio::test]
async fn the_holder_and_the_escalation_show_at_100x30() {
    let dir = store(0);
    let (anna, tom) = (backend(&dir, "anna"), backend(&dir, "tom"));
    let plain = contoso_ticket(&anna, "Not shared").await.number;
    let held = contoso_ticket(&anna, "Held by Contoso").await.number;
    share(&anna, &held).await;
    let back = contoso_ticket(&anna, "Escalated back").await.number;
    share(&anna, &back).await;
    tom.taskfire_escalate(back.clone(), "Too much for us.".into(), None)
        .await
        .unwrap();
    let h = Harness::open(dir, "anna").await;
    let row = |screen: &str, n: &str| {
        screen
            .lines()
            .find(|l| l.contains(n) && l.contains("Med"))
            .unwrap_or_else(|| panic!("no row of {n}: {screen}"))
            .to_string()
    };
    let small = h.screen(100, 30);
    assert!(row(&small, &held).contains(&format!("⇩ {held}")), "{small}");
    assert!(row(&small, &back).contains(&format!("⇧ {back}")), "{small}");
    let r = row(&small, &plain);
    assert!(!r.contains('⇩') && !r.contains('⇧'), "{small}");
    assert!(
        small.contains("⇩ held by the customer's desk") && small.contains("⇧ escalated"),
        "{small}"
    );
    let wide = h.screen(200, 50);
    assert!(row(&wide, &held).contains(" cust "), "{wide}");
    assert!(row(&wide, &back).contains(" ⇧prov "), "{wide}");
    assert!(!wide.contains("⇩"), "the held column says it: {wide}");
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("holders_100x30", small);
    });
}

/// With marks, the menu and the palette offer only what acts on every marked ticket: T1,
/// when it fits them all (one company with Taskfire, none held by its desk). T2–T4 act
/// on one ticket, so they are not offered, and pressed they say why; marking only the
/// selected ticket is its own menu again.
#[tokio::test]
async fn with_marks_only_what_acts_on_every_marked_ticket_is_offered() {
    use crate::tui::action::Action;
    let dir = store(0);
    let anna = backend(&dir, "anna");
    let a = contoso_ticket(&anna, "One").await.number;
    let b = contoso_ticket(&anna, "Two").await.number;
    let c = contoso_ticket(&anna, "Three").await.number;
    share(&anna, &c).await;
    let mut h = Harness::open(dir, "anna").await;
    let offered = |h: &Harness| -> Vec<Action> {
        crate::tui::update::palette_entries(&h.state)
            .iter()
            .map(|e| e.action)
            .collect()
    };
    // newest first: c, b, a; mark b and a (a stays selected)
    h.keys("g j space space").await;
    assert_eq!(h.ticket().number, a);
    assert_eq!(h.state.marks, [a.clone(), b.clone()].into_iter().collect());
    h.keys("t").await;
    assert_eq!(menu(&h), vec!["T1"]);
    let Some(Popup::Picker(p)) = h.state.popups.last() else {
        unreachable!()
    };
    let note = p.note.clone().unwrap_or_default();
    assert!(
        p.title.contains("2 marked") && note.contains("T2–T4 act on one ticket"),
        "{p:?}"
    );
    h.keys("esc").await;
    let o = offered(&h);
    assert!(o.contains(&Action::TaskfireAssign), "{o:?}");
    for x in [
        Action::Delete,
        Action::TaskfireComplete,
        Action::TaskfireAsk,
    ] {
        assert!(!o.contains(&x), "{x:?} offered with marks: {o:?}");
    }
    h.keys("delete").await;
    assert!(h.state.popups.is_empty(), "{:?}", h.state.popups);
    let m = h.state.message.clone().unwrap();
    assert!(
        m.error && m.text.contains("acts on one ticket, not on the 2 marked"),
        "{m:?}"
    );
    // the shared c and b marked, c selected: nothing acts on both; t says why
    h.keys("X g space space k k").await;
    assert_eq!(h.ticket().number, c);
    h.keys("t").await;
    assert!(
        h.state.popups.is_empty(),
        "a menu opened: {:?}",
        h.state.popups
    );
    let m = h.state.message.clone().unwrap();
    assert!(
        m.text.contains("2 marked")
            && m.text.contains(&format!("{c} is shared already"))
            && m.text.contains("T2–T4 act on one ticket"),
        "{m:?}"
    );
    let o = offered(&h);
    for x in [
        Action::TaskfireAssign,
        Action::TaskfireComplete,
        Action::TaskfireAsk,
        Action::Delete,
    ] {
        assert!(!o.contains(&x), "{x:?} offered with marks: {o:?}");
    }
    // only c marked, and selected: its own menu
    h.keys("X space k t").await;
    assert_eq!(h.state.marks.len(), 1);
    assert_eq!(menu(&h), vec!["T2", "T3", "T4"]);
}
