//! T3, the answer (docs/rules.md, "T3"): a note a Taskfire resource publishes on their
//! version of a shared ticket reaches the provider's ticket as a `taskfire` note and
//! its assigned resource by notification; an internal one stays on their side.

use super::fixture::*;
use crate::model::*;

/// A Contoso ticket assigned to ben, shared with Tom's Taskfire desk, asked about.
fn asked(d: &mut Desk) -> String {
    let t = d
        .create(
            "anna",
            NewTicket {
                title: "Printer on floor 3".into(),
                contact: Some("kim@contoso.example".into()),
                assign: Some("ben".into()),
                ..NewTicket::default()
            },
        )
        .number;
    d.share(&t, None);
    let anna = d.actor("anna");
    d.engine
        .taskfire_ask(&anna, &t, "Is the toner in stock?")
        .unwrap();
    t
}

fn answers(d: &Desk, t: &str) -> Vec<Notification> {
    events_for(d, t)
        .into_iter()
        .filter(|n| n.event == "taskfire_note_added")
        .collect()
}

#[test]
fn a_published_taskfire_note_shows_on_the_providers_ticket_and_tells_its_assignee() {
    let mut d = Desk::base();
    let t = asked(&mut d);
    let before = d.show(&t).version;
    let tom = d.actor("tom");
    let mine = d
        .engine
        .add_note(&tom, &t, "Yes, two cartridges in the cupboard", true)
        .unwrap();
    assert_eq!(mine.desk, "Contoso");
    assert!(has_note(&mine, "Yes, two cartridges in the cupboard"));

    let provider = d.show(&t);
    let answer = provider
        .notes
        .iter()
        .find(|n| n.text == "Yes, two cartridges in the cupboard")
        .expect("the answer is on the provider's ticket");
    assert_eq!(answer.kind, NoteKind::Taskfire);
    assert_eq!(answer.author, "tom");
    assert_eq!(provider.version, before + 1, "a change others must reload");

    let sent = answers(&d, &t);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].to, "ben@kiwi.example");
    assert_eq!(
        sent[0].subject,
        format!("[Kiwi IT] Contoso answered on {t}: Printer on floor 3")
    );
    assert!(
        sent[0]
            .body
            .starts_with("Hello Ben Ng,\n\nTom Reyes of Contoso wrote"),
        "{}",
        sent[0].body
    );
    assert!(
        sent[0]
            .body
            .ends_with("Yes, two cartridges in the cupboard")
    );
    // A taskfire note is in the portal: the contact sees the answer too.
    let kim = d.actor("kim@contoso.example");
    let portal = d.engine.portal_show(&kim, &t).unwrap();
    assert!(has_note(&portal, "Yes, two cartridges in the cupboard"));
}

#[test]
fn an_internal_taskfire_note_stays_on_their_side() {
    let mut d = Desk::base();
    let t = asked(&mut d);
    let provider_before = d.show(&t);
    let outbox_before = d.notifications().len();
    let tom = d.actor("tom");
    d.engine
        .add_note(&tom, &t, "ask Tina where the toner is", false)
        .unwrap();
    let provider = d.show(&t);
    assert_eq!(
        provider, provider_before,
        "the provider's ticket is untouched"
    );
    assert_eq!(d.notifications().len(), outbox_before);
    let kim = d.actor("kim@contoso.example");
    let portal = d.engine.portal_show(&kim, &t).unwrap();
    assert!(!has_note(&portal, "ask Tina where the toner is"));
}

#[test]
fn with_nobody_assigned_the_service_desk_hears_the_answer() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let tom = d.actor("tom");
    d.engine.add_note(&tom, &t, "Fixed it", true).unwrap();
    let to: Vec<String> = answers(&d, &t).into_iter().map(|n| n.to).collect();
    assert_eq!(
        to,
        ["anna@kiwi.example"],
        "anna is the one with Service Desk"
    );
}

#[test]
fn a_note_on_their_own_unshared_ticket_tells_the_provider_nothing() {
    let mut d = Desk::base();
    let own = d.ticket("tom", "Contoso internal").number;
    let outbox = d.notifications().len();
    let tom = d.actor("tom");
    d.engine.add_note(&tom, &own, "for us", true).unwrap();
    assert_eq!(d.notifications().len(), outbox);
    assert!(d.engine.ticket(&d.actor("anna"), &own).is_err());
}

/// Decided: the answer is a note added to the provider's ticket, so the provider's
/// `note_added` rules fire for it, once, with note.kind `taskfire`; internal notes of
/// the Taskfire side never reach the provider and fire nothing there.
#[test]
fn the_answer_fires_the_providers_note_added_rules_as_a_taskfire_note() {
    let mut d = with_rules(
        r#"
[[workflow_rules]]
name = "Answer back"
event = "note_added"
conditions = [{ field = "note.kind", op = "eq", value = "taskfire" }, { field = "note.text", op = "contains", value = "cartridges" }]
actions = [{ set = "status", value = "In Progress" }]

[[workflow_rules]]
name = "Published only"
event = "note_added"
conditions = [{ field = "note.kind", op = "eq", value = "published" }]
actions = [{ set = "priority", value = "Critical" }]
"#,
    );
    let t = asked(&mut d);
    let tom = d.actor("tom");
    d.engine
        .add_note(&tom, &t, "no cartridges; internal", false)
        .unwrap();
    assert_eq!(d.show(&t).status, "New", "an internal note fires nothing");
    d.engine
        .add_note(&tom, &t, "two cartridges left", true)
        .unwrap();
    let provider = d.show(&t);
    assert_eq!(provider.status, "In Progress");
    assert_eq!(
        provider.priority, "Medium",
        "on the provider side it is a taskfire note"
    );
    let by_rule = rule_events(&provider);
    assert_eq!(by_rule.len(), 1, "{by_rule:?}");
    assert_eq!(by_rule[0].actor, "rule: Answer back");
    // Rules are the provider's: Tom's own version is not touched by them.
    assert_eq!(d.engine.ticket(&tom, &t).unwrap().status, "New");
}

#[test]
fn the_answer_template_can_be_replaced_in_the_setup() {
    let mut d = Desk::new(
        &format!(
            "{BASE}{}",
            r#"
[[notification_templates]]
event = "taskfire_note_added"
subject = "Answer on {ticket.number}"
body = "{note.author}: {note.text}"
"#
        ),
        NOW,
    );
    let t = asked(&mut d);
    let tom = d.actor("tom");
    d.engine.add_note(&tom, &t, "done", true).unwrap();
    let sent = answers(&d, &t);
    assert_eq!(sent[0].subject, format!("Answer on {t}"));
    assert_eq!(sent[0].body, "Tom Reyes: done");
}
