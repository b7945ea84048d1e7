//! R3: the cascade limit of 5, loops, and the transaction rules run in.

use super::fixture::*;
use crate::domain::workflow::{Action, Rule, RuleEvent};
use crate::model::*;

/// Rule 1 fires on creation; rule k fires on the status rule k-1 set.
fn chain(n: usize) -> String {
    let mut src = String::new();
    for i in 1..=n {
        src.push_str(&format!("[[statuses]]\nname = \"S{i}\"\n\n"));
    }
    src.push_str(
        "[[workflow_rules]]\nname = \"chain 1\"\nevent = \"ticket_created\"\nactions = [{ set = \"status\", value = \"S1\" }]\n\n",
    );
    for i in 2..=n {
        src.push_str(&format!(
            "[[workflow_rules]]\nname = \"chain {i}\"\nevent = \"status_changed\"\nconditions = [{{ field = \"status\", op = \"eq\", value = \"S{}\" }}]\nactions = [{{ set = \"status\", value = \"S{i}\" }}]\n\n",
            i - 1
        ));
    }
    src
}

#[test]
fn a_cascade_stops_after_five_levels() {
    // Statuses must be declared before the rules reference them; BASE already has a
    // [[statuses]] array, so the chain's statuses extend it.
    let mut d = with_rules(&chain(7));
    let t = d.ticket("anna", "Chain");
    let applied: Vec<&str> = rule_events(&t)
        .iter()
        .map(|e| e.to.as_deref().unwrap())
        .collect();
    assert_eq!(applied, ["S1", "S2", "S3", "S4", "S5"]);
    assert_eq!(t.status, "S5");
}

#[test]
fn a_cascade_of_exactly_five_runs_to_the_end() {
    let mut d = with_rules(&chain(5));
    let t = d.ticket("anna", "Chain");
    assert_eq!(rule_events(&t).len(), 5);
    assert_eq!(t.status, "S5");
}

const LOOP: &str = r#"
[[workflow_rules]]
name = "A"
event = "status_changed"
conditions = [{ field = "status", op = "eq", value = "In Progress" }]
actions = [{ set = "status", value = "Waiting Customer" }]

[[workflow_rules]]
name = "B"
event = "status_changed"
conditions = [{ field = "status", op = "eq", value = "Waiting Customer" }]
actions = [{ set = "status", value = "In Progress" }]
"#;

#[test]
fn a_loop_between_two_rules_terminates() {
    let mut d = with_rules(LOOP);
    let t = d.ticket("anna", "Ping pong").number;
    let t = status(&mut d, &t, "In Progress");
    let by_rule: Vec<&str> = rule_events(&t).iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(
        by_rule,
        ["rule: A", "rule: B", "rule: A", "rule: B", "rule: A"]
    );
    assert_eq!(t.status, "Waiting Customer");
}

const NOTE_LOOP: &str = r#"
[[workflow_rules]]
name = "echo"
event = "note_added"
actions = [{ add_note = "echo" }]
"#;

#[test]
fn a_rule_that_reacts_to_its_own_notes_terminates() {
    let mut d = with_rules(NOTE_LOOP);
    let t = d.ticket("anna", "Echo").number;
    let anna = d.actor("anna");
    let t = d.engine.add_note(&anna, &t, "hello", false).unwrap();
    let echoes = t.notes.iter().filter(|n| n.text == "echo").count();
    assert_eq!(echoes, 5);
}

/// Adds a rule to the store that fails when it runs (the setup loader would refuse it):
/// it sets a work type that does not exist.
fn add_failing_rule(d: &mut Desk) {
    let rule = Rule {
        name: "broken".into(),
        event: RuleEvent::TicketCreated,
        conditions: Vec::new(),
        actions: vec![Action::Set {
            field: "work_type".into(),
            value: "No Such Work Type".into(),
        }],
    };
    let body = serde_json::to_string(&rule).unwrap().replace('\'', "''");
    d.sql(&format!("INSERT INTO rules (body) VALUES ('{body}')"));
    d.set_now(NOW);
}

#[test]
fn rules_run_in_the_transaction_a_later_failure_rolls_everything_back() {
    let rules = r#"
[[workflow_rules]]
name = "first"
event = "ticket_created"
actions = [
  { set = "work_type", value = "Onsite" },
  { add_note = "first ran" },
  { notify = "ticket_created", to = "carl" },
]
"#;
    let mut d = with_rules(rules);
    d.ticket("anna", "Before"); // T20261129.0001
    add_failing_rule(&mut d);
    let anna = d.actor("anna");
    let e = refused(
        &mut d,
        |e| {
            e.create_ticket(
                &anna,
                NewTicket {
                    title: "Doomed".into(),
                    contact: Some("kim@contoso.example".into()),
                    ..NewTicket::default()
                },
            )
        },
        |e| unknown(e, "work type"),
    );
    assert!(e.to_string().contains("No Such Work Type"));
    // The number drawn in the failed transaction is given again (it was never used).
    d.sql("DELETE FROM rules WHERE body LIKE '%No Such Work Type%'");
    d.set_now(NOW);
    let t = d.ticket("anna", "After");
    assert_eq!(t.number, "T20261129.0002");
    assert!(has_note(&t, "first ran"));
}

#[test]
fn a_failing_rule_on_update_rolls_back_the_persons_change_too() {
    let rules = r#"
[[workflow_rules]]
name = "note on progress"
event = "status_changed"
actions = [{ add_note = "status moved" }]
"#;
    let mut d = with_rules(rules);
    let t = d.ticket("anna", "Laptop").number;
    // A status_changed rule that fails, stored behind the loader's back.
    let rule = Rule {
        name: "broken".into(),
        event: RuleEvent::StatusChanged,
        conditions: Vec::new(),
        actions: vec![Action::Set {
            field: "queue".into(),
            value: "Nowhere".into(),
        }],
    };
    let body = serde_json::to_string(&rule).unwrap();
    d.sql(&format!("INSERT INTO rules (body) VALUES ('{body}')"));
    d.set_now(NOW);
    let anna = d.actor("anna");
    refused(
        &mut d,
        |e| {
            e.update_ticket(
                &anna,
                &t,
                TicketChange {
                    status: Some("In Progress".into()),
                    ..TicketChange::default()
                },
            )
        },
        |e| unknown(e, "queue"),
    );
    assert_eq!(d.show(&t).status, NEW_STATUS);
}

const SAME_CHANGE: &str = r#"
[[workflow_rules]]
name = "X"
event = "ticket_updated"
conditions = [{ field = "status", op = "eq", value = "In Progress" }]
actions = [{ set = "status", value = "Waiting Customer" }]

[[workflow_rules]]
name = "Y"
event = "status_changed"
conditions = [{ field = "status", op = "eq", value = "In Progress" }]
actions = [{ add_note = "Y saw In Progress" }]
"#;

#[test]
fn every_event_of_one_change_sees_the_ticket_as_that_change_left_it() {
    // One person's change fires ticket_updated and status_changed. A rule on the first
    // must not hide the change from the rules on the second.
    let mut d = with_rules(SAME_CHANGE);
    let t = d.ticket("anna", "Two events").number;
    let t = status(&mut d, &t, "In Progress");
    assert!(has_note(&t, "Y saw In Progress"), "{:?}", t.notes);
    assert_eq!(t.status, "Waiting Customer");
}
