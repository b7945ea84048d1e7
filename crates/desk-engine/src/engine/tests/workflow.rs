//! R3: workflow rules — the spec's rule, each op, each action, each event.

use super::fixture::*;
use crate::model::*;

#[test]
fn the_spec_rule_sets_the_work_type_of_portal_tickets() {
    let mut d = Desk::base();
    let t = d.submit("kim@contoso.example", "Toner", "Printer");
    let staff = d.show(&t.number);
    assert_eq!(staff.work_type.as_deref(), Some("Remote Support"));
    let e = rule_events(&staff);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].field, "work_type");
    assert_eq!(e[0].to.as_deref(), Some("Remote Support"));
}

#[test]
fn a_portal_ticket_gets_no_work_type_without_a_rule() {
    let mut d = Desk::new(BASE, NOW);
    let t = d.submit("kim@contoso.example", "Toner", "Printer");
    assert_eq!(d.show(&t.number).work_type, None);
}

#[test]
fn a_ticket_from_another_source_gets_no_work_type() {
    let mut d = Desk::base();
    let t = d.create(
        "anna",
        NewTicket {
            title: "Called in".into(),
            source: Some("Phone".into()),
            ..NewTicket::default()
        },
    );
    assert_eq!(t.work_type, None);
    assert!(rule_events(&t).is_empty());
}

#[test]
fn rules_do_not_apply_retroactively_on_update() {
    // ticket_created rules run once: changing the source-matching ticket later does not
    // re-run them, and clearing the work type stays cleared.
    let mut d = Desk::base();
    let t = d.submit("kim@contoso.example", "Toner", "Printer").number;
    let anna = d.actor("anna");
    let t = d
        .engine
        .update_ticket(
            &anna,
            &t,
            TicketChange {
                work_type: Some(String::new()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    assert_eq!(t.work_type, None);
}

const OPS: &str = r#"
[[workflow_rules]]
name = "eq"
event = "ticket_created"
conditions = [{ field = "title", op = "eq", value = "Alpha" }]
actions = [{ add_note = "eq fired" }]

[[workflow_rules]]
name = "ne"
event = "ticket_created"
conditions = [{ field = "title", op = "ne", value = "Alpha" }]
actions = [{ add_note = "ne fired" }]

[[workflow_rules]]
name = "in"
event = "ticket_created"
conditions = [{ field = "priority", op = "in", value = ["High", "Critical"] }]
actions = [{ add_note = "in fired" }]

[[workflow_rules]]
name = "contains"
event = "ticket_created"
conditions = [{ field = "description", op = "contains", value = "toner" }]
actions = [{ add_note = "contains fired" }]

[[workflow_rules]]
name = "all conditions"
event = "ticket_created"
conditions = [
  { field = "priority", op = "eq", value = "High" },
  { field = "company", op = "eq", value = "Fabrikam" },
]
actions = [{ add_note = "all fired" }]
"#;

fn fired(t: &Ticket) -> Vec<&str> {
    let mut v: Vec<&str> = t
        .notes
        .iter()
        .filter(|n| n.author.starts_with("rule: "))
        .map(|n| n.text.as_str())
        .collect();
    v.sort();
    v
}

#[test]
fn each_condition_op_holds_and_fails_as_it_should() {
    let mut d = with_rules(OPS);
    let alpha = d.create(
        "anna",
        NewTicket {
            title: "Alpha".into(),
            description: "nothing here".into(),
            priority: Some("Low".into()),
            ..NewTicket::default()
        },
    );
    assert_eq!(fired(&alpha), ["eq fired"]);
    let beta = d.create(
        "anna",
        NewTicket {
            title: "Beta".into(),
            description: "Needs new TONER please".into(),
            priority: Some("Critical".into()),
            company: Some("Contoso".into()),
            ..NewTicket::default()
        },
    );
    assert_eq!(fired(&beta), ["contains fired", "in fired", "ne fired"]);
    // All conditions must hold: High alone is not enough.
    let gamma = d.create(
        "anna",
        NewTicket {
            title: "Gamma".into(),
            priority: Some("High".into()),
            company: Some("Fabrikam".into()),
            ..NewTicket::default()
        },
    );
    assert_eq!(fired(&gamma), ["all fired", "in fired", "ne fired"]);
    assert_eq!(gamma.notes[0].kind, NoteKind::Internal);
}

const ACTIONS: &str = r#"
[[workflow_rules]]
name = "triage"
event = "ticket_created"
conditions = [{ field = "title", op = "contains", value = "outage" }]
actions = [
  { set = "priority", value = "Critical" },
  { set = "queue", value = "Level 1" },
  { set = "assigned", value = "ben" },
  { notify = "ticket_created", to = "carl" },
  { notify = "ticket_created", to = "assigned" },
  { notify = "ticket_created", to = "contact" },
  { add_note = "Outage: call the customer back within 15 minutes", kind = "published" },
]
"#;

#[test]
fn set_notify_and_add_note_actions_apply() {
    let mut d = with_rules(ACTIONS);
    let t = d.create(
        "anna",
        NewTicket {
            title: "Mail outage".into(),
            contact: Some("kim@contoso.example".into()),
            ..NewTicket::default()
        },
    );
    assert_eq!(t.priority, "Critical");
    assert_eq!(t.queue, "Level 1");
    assert_eq!(t.assigned.as_deref(), Some("ben"));
    let note = t
        .notes
        .iter()
        .find(|n| n.text.starts_with("Outage"))
        .unwrap();
    assert_eq!(note.kind, NoteKind::Published);
    assert_eq!(note.author, "rule: triage");
    let kim = d.actor("kim@contoso.example");
    assert!(has_note(
        &d.engine.portal_show(&kim, &t.number).unwrap(),
        "Outage: call the customer back within 15 minutes"
    ));

    let mut to: Vec<String> = d
        .notifications()
        .into_iter()
        .filter(|n| n.ticket.as_deref() == Some(t.number.as_str()))
        .map(|n| n.to)
        .collect();
    to.sort();
    // carl and kim by the rule, ben as the assignee the rule just set, and kim's
    // acknowledgement of the new ticket.
    assert_eq!(
        to,
        [
            "ben@kiwi.example",
            "carl@kiwi.example",
            "kim@contoso.example",
            "kim@contoso.example"
        ]
    );

    let other = d.ticket("anna", "Printer");
    assert_eq!(other.priority, DEFAULT_PRIORITY);
    assert!(other.notes.is_empty());
}

const EVENTS: &str = r#"
[[workflow_rules]]
name = "critical goes to level 1"
event = "ticket_updated"
conditions = [{ field = "priority", op = "eq", value = "Critical" }]
actions = [{ set = "queue", value = "Level 1" }]

[[workflow_rules]]
name = "waiting customer"
event = "status_changed"
conditions = [{ field = "status", op = "eq", value = "Waiting Customer" }]
actions = [{ add_note = "We are waiting for your answer", kind = "published" }]

[[workflow_rules]]
name = "urgent notes"
event = "note_added"
conditions = [{ field = "note.text", op = "contains", value = "urgent" }]
actions = [{ set = "priority", value = "High" }]
"#;

#[test]
fn ticket_updated_fires_on_a_change() {
    let mut d = with_rules(EVENTS);
    let t = d.create(
        "anna",
        NewTicket {
            title: "Server".into(),
            queue: Some("Printers".into()),
            ..NewTicket::default()
        },
    );
    assert_eq!(t.queue, "Printers");
    let anna = d.actor("anna");
    let t = d
        .engine
        .update_ticket(
            &anna,
            &t.number,
            TicketChange {
                priority: Some("Critical".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    assert_eq!(t.queue, "Level 1");
    assert_eq!(rule_events(&t).len(), 1);
}

#[test]
fn status_changed_fires_on_a_status_change_only() {
    let mut d = with_rules(EVENTS);
    let t = d.ticket("anna", "Laptop").number;
    let anna = d.actor("anna");
    let t1 = d
        .engine
        .update_ticket(
            &anna,
            &t,
            TicketChange {
                title: Some("Laptop (Waiting Customer)".into()),
                ..TicketChange::default()
            },
        )
        .unwrap();
    assert!(t1.notes.is_empty());
    let t2 = status(&mut d, &t, "Waiting Customer");
    assert!(has_note(&t2, "We are waiting for your answer"));
    assert_eq!(t2.notes.len(), 1);
}

#[test]
fn note_added_fires_with_the_notes_text() {
    let mut d = with_rules(EVENTS);
    let t = d.ticket("anna", "Laptop").number;
    let anna = d.actor("anna");
    let t1 = d.engine.add_note(&anna, &t, "all fine", false).unwrap();
    assert_eq!(t1.priority, DEFAULT_PRIORITY);
    let t2 = d
        .engine
        .add_note(&anna, &t, "This is URGENT now", false)
        .unwrap();
    assert_eq!(t2.priority, "High");
    // A portal note fires it too.
    let t3 = d.ticket("anna", "Other").number;
    let kim_ticket = d
        .create(
            "anna",
            NewTicket {
                title: "Kim's".into(),
                contact: Some("kim@contoso.example".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let kim = d.actor("kim@contoso.example");
    d.engine
        .portal_note(&kim, &kim_ticket, "urgent please")
        .unwrap();
    assert_eq!(d.show(&kim_ticket).priority, "High");
    assert_eq!(d.show(&t3).priority, DEFAULT_PRIORITY);
}

#[test]
fn rules_run_on_provider_tickets_only() {
    let rules = r#"
[[workflow_rules]]
name = "any created"
event = "ticket_created"
actions = [{ add_note = "provider rule ran" }]
"#;
    let mut d = with_rules(rules);
    let tf = d.ticket("tom", "Contoso internal");
    assert!(tf.notes.is_empty());
    let p = d.ticket("anna", "Provider");
    assert!(has_note(&p, "provider rule ran"));
}

#[test]
fn note_added_fires_for_taskfire_notes_with_their_kind() {
    let rules = r#"
[[workflow_rules]]
name = "taskfire notes"
event = "note_added"
conditions = [{ field = "note.kind", op = "eq", value = "taskfire" }]
actions = [{ set = "status", value = "Waiting Vendor" }]
"#;
    let mut d = with_rules(rules);
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &t, "internal only", false)
        .unwrap();
    assert_eq!(d.show(&t).status, NEW_STATUS);
    d.share(&t, None);
    assert_eq!(d.show(&t).status, "Waiting Vendor");
    // The rule changed the provider's ticket, not the Taskfire version.
    let tom = d.actor("tom");
    assert_eq!(d.engine.ticket(&tom, &t).unwrap().status, NEW_STATUS);
}
