//! R3: workflow rules — an event, conditions that must all hold, actions. Evaluation is
//! pure; the engine applies the actions inside the transaction that fired them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleEvent {
    TicketCreated,
    TicketUpdated,
    StatusChanged,
    NoteAdded,
}

impl RuleEvent {
    pub const ALL: [RuleEvent; 4] = [
        RuleEvent::TicketCreated,
        RuleEvent::TicketUpdated,
        RuleEvent::StatusChanged,
        RuleEvent::NoteAdded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleEvent::TicketCreated => "ticket_created",
            RuleEvent::TicketUpdated => "ticket_updated",
            RuleEvent::StatusChanged => "status_changed",
            RuleEvent::NoteAdded => "note_added",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    In,
    Contains,
}

impl Op {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "in" => Op::In,
            "contains" => Op::Contains,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    /// One value, or several for `in`.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Assigned,
    Contact,
    Login(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Set { field: String, value: String },
    Notify { event: String, to: Recipient },
    AddNote { text: String, kind: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub name: String,
    pub event: RuleEvent,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
}

/// Fields a condition may test. `note.*` are set for `note_added` only.
pub const CONDITION_FIELDS: [&str; 13] = [
    "source",
    "status",
    "queue",
    "priority",
    "work_type",
    "company",
    "contact",
    "issue_type",
    "title",
    "description",
    "assigned",
    "note.kind",
    "note.text",
];

/// Fields a `set` action may change.
pub const SET_FIELDS: [&str; 5] = ["status", "queue", "priority", "work_type", "assigned"];

/// Names compare without regard to case; a field with no value compares as "".
pub fn condition_holds(c: &Condition, value: Option<&str>) -> bool {
    let v = value.unwrap_or("").to_lowercase();
    let first = c
        .values
        .first()
        .map(|s| s.to_lowercase())
        .unwrap_or_default();
    match c.op {
        Op::Eq => v == first,
        Op::Ne => v != first,
        Op::In => c.values.iter().any(|x| x.to_lowercase() == v),
        Op::Contains => v.contains(&first),
    }
}

/// Whether `rule` fires for `event` on a ticket whose fields `facts` gives.
pub fn rule_fires<'a>(
    rule: &Rule,
    event: RuleEvent,
    facts: impl Fn(&str) -> Option<&'a str>,
) -> bool {
    rule.event == event
        && rule
            .conditions
            .iter()
            .all(|c| condition_holds(c, facts(&c.field)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn cond(field: &str, op: Op, values: &[&str]) -> Condition {
        Condition {
            field: field.into(),
            op,
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn operators() {
        assert!(condition_holds(
            &cond("source", Op::Eq, &["Client Portal"]),
            Some("Client Portal")
        ));
        assert!(condition_holds(
            &cond("source", Op::Eq, &["client portal"]),
            Some("Client Portal")
        ));
        assert!(!condition_holds(
            &cond("source", Op::Eq, &["Phone"]),
            Some("Client Portal")
        ));
        assert!(condition_holds(
            &cond("source", Op::Ne, &["Phone"]),
            Some("Client Portal")
        ));
        assert!(condition_holds(
            &cond("status", Op::In, &["New", "In Progress"]),
            Some("New")
        ));
        assert!(!condition_holds(
            &cond("status", Op::In, &["New", "In Progress"]),
            Some("Complete")
        ));
        assert!(condition_holds(
            &cond("title", Op::Contains, &["PRINTER"]),
            Some("The printer jams")
        ));
        assert!(!condition_holds(
            &cond("title", Op::Contains, &["fax"]),
            Some("The printer jams")
        ));
    }

    #[test]
    fn missing_values_compare_as_empty() {
        assert!(condition_holds(&cond("work_type", Op::Eq, &[""]), None));
        assert!(condition_holds(
            &cond("work_type", Op::Ne, &["Remote Support"]),
            None
        ));
        assert!(!condition_holds(
            &cond("work_type", Op::Eq, &["Remote Support"]),
            None
        ));
    }

    #[test]
    fn all_conditions_must_hold_and_the_event_must_match() {
        let rule = Rule {
            name: "portal work type".into(),
            event: RuleEvent::TicketCreated,
            conditions: vec![
                cond("source", Op::Eq, &["Client Portal"]),
                cond("priority", Op::Ne, &["Low"]),
            ],
            actions: vec![Action::Set {
                field: "work_type".into(),
                value: "Remote Support".into(),
            }],
        };
        let facts = |f: &str| match f {
            "source" => Some("Client Portal"),
            "priority" => Some("Medium"),
            _ => None,
        };
        assert!(rule_fires(&rule, RuleEvent::TicketCreated, facts));
        assert!(!rule_fires(&rule, RuleEvent::TicketUpdated, facts));
        let low = |f: &str| match f {
            "source" => Some("Client Portal"),
            "priority" => Some("Low"),
            _ => None,
        };
        assert!(!rule_fires(&rule, RuleEvent::TicketCreated, low));
    }

    #[test]
    fn events_round_trip_their_names() {
        for e in RuleEvent::ALL {
            assert_eq!(RuleEvent::parse(e.as_str()), Some(e));
        }
        assert_eq!(RuleEvent::parse("ticket_deleted"), None);
    }
}
