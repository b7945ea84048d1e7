//! The workflow rules of a setup file (R3): events, conditions and actions, each name
//! checked against what the setup defines.

use std::collections::HashSet;
use toml::Spanned;

use super::{Validator, file, message_of};
use crate::domain::template;
use crate::domain::text::{check_line, check_text};
use crate::domain::workflow::{self, Action, Condition, Op, Recipient, Rule, RuleEvent};
use crate::error::Result;
use crate::model::PRIORITIES;

pub(super) struct Names {
    pub statuses: HashSet<String>,
    pub queues: HashSet<String>,
    pub work_types: HashSet<String>,
    pub resources: HashSet<String>,
    pub logins: HashSet<String>,
    pub template_events: HashSet<String>,
}

impl Validator<'_> {
    pub(super) fn rule(&self, r: &file::RuleDef, names: &Names) -> Result<Rule> {
        let cx = &self.cx;
        let name = self.name(&r.name, "workflow_rules.name")?;
        let event = RuleEvent::parse(r.event.get_ref().trim()).ok_or_else(|| {
            cx.at(&r.event, "workflow_rules.event", format!("unknown event \"{}\"; use ticket_created, ticket_updated, status_changed or note_added", r.event.get_ref()))
        })?;
        let mut conditions = Vec::new();
        for c in &r.conditions {
            let field = c.get_ref().field.trim().to_string();
            if !workflow::CONDITION_FIELDS.contains(&field.as_str()) {
                return Err(cx.at(
                    c,
                    "workflow_rules.conditions.field",
                    format!(
                        "unknown field \"{field}\"; known: {}",
                        workflow::CONDITION_FIELDS.join(", ")
                    ),
                ));
            }
            let op = Op::parse(c.get_ref().op.trim()).ok_or_else(|| {
                cx.at(
                    c,
                    "workflow_rules.conditions.op",
                    format!(
                        "unknown op \"{}\"; use eq, ne, in or contains",
                        c.get_ref().op
                    ),
                )
            })?;
            let values = match (&c.get_ref().value, op) {
                (file::OneOrMany::One(v), Op::In) => vec![v.clone()],
                (file::OneOrMany::One(v), _) => vec![v.clone()],
                (file::OneOrMany::Many(vs), Op::In) => vs.clone(),
                (file::OneOrMany::Many(_), _) => {
                    return Err(cx.at(
                        c,
                        "workflow_rules.conditions.value",
                        "a list of values needs op \"in\"",
                    ));
                }
            };
            for v in &values {
                check_line("workflow_rules.conditions.value", v)
                    .map_err(|e| cx.at(c, "workflow_rules.conditions.value", message_of(e)))?;
            }
            conditions.push(Condition { field, op, values });
        }
        let mut actions = Vec::new();
        for a in &r.actions {
            actions.push(self.action(a, names)?);
        }
        if actions.is_empty() {
            return Err(cx.at(
                &r.name,
                "workflow_rules.actions",
                format!("rule \"{name}\" has no action"),
            ));
        }
        Ok(Rule {
            name,
            event,
            conditions,
            actions,
        })
    }

    fn action(&self, a: &Spanned<file::ActionDef>, names: &Names) -> Result<Action> {
        let cx = &self.cx;
        let d = a.get_ref();
        let err = |key: &str, m: String| cx.at(a, key, m);
        match (&d.set, &d.notify, &d.add_note) {
            (Some(field), None, None) => {
                let field = field.trim();
                let value = d.value.as_deref().map(str::trim).ok_or_else(|| {
                    err(
                        "workflow_rules.actions.value",
                        format!("set {field} needs a value"),
                    )
                })?;
                let known = match field {
                    "status" => {
                        names.statuses.contains(value)
                            && value != crate::model::PROVIDER_WORK_COMPLETE
                    }
                    "queue" => names.queues.contains(value),
                    "work_type" => names.work_types.contains(value),
                    "priority" => PRIORITIES.contains(&value),
                    "assigned" => names.resources.contains(value),
                    _ => {
                        return Err(err(
                            "workflow_rules.actions.set",
                            format!(
                                "cannot set \"{field}\"; settable: {}",
                                workflow::SET_FIELDS.join(", ")
                            ),
                        ));
                    }
                };
                if !known {
                    return Err(err(
                        "workflow_rules.actions.value",
                        format!("unknown {field} \"{value}\""),
                    ));
                }
                Ok(Action::Set {
                    field: field.to_string(),
                    value: value.to_string(),
                })
            }
            (None, Some(event), None) => {
                let event = event.trim();
                if !(template::is_event(event) || names.template_events.contains(event)) {
                    return Err(err(
                        "workflow_rules.actions.notify",
                        format!("no notification template for \"{event}\""),
                    ));
                }
                let to = match d.to.as_deref().map(str::trim) {
                    Some("assigned") => Recipient::Assigned,
                    Some("contact") => Recipient::Contact,
                    Some(login) if names.logins.contains(&login.to_ascii_lowercase()) => {
                        Recipient::Login(login.to_string())
                    }
                    Some(other) => {
                        return Err(err(
                            "workflow_rules.actions.to",
                            format!(
                                "unknown recipient \"{other}\"; use assigned, contact or a login"
                            ),
                        ));
                    }
                    None => {
                        return Err(err("workflow_rules.actions.to", "notify needs `to`".into()));
                    }
                };
                Ok(Action::Notify {
                    event: event.to_string(),
                    to,
                })
            }
            (None, None, Some(text)) => {
                let kind = d.kind.as_deref().unwrap_or("internal").trim();
                if !matches!(kind, "internal" | "published") {
                    return Err(err(
                        "workflow_rules.actions.kind",
                        format!("a rule's note is internal or published, not \"{kind}\""),
                    ));
                }
                if text.trim().is_empty() {
                    return Err(err(
                        "workflow_rules.actions.add_note",
                        "the note must not be blank".into(),
                    ));
                }
                check_text("workflow_rules.actions.add_note", text)
                    .map_err(|e| err("workflow_rules.actions.add_note", message_of(e)))?;
                Ok(Action::AddNote {
                    text: text.clone(),
                    kind: kind.to_string(),
                })
            }
            _ => Err(err(
                "workflow_rules.actions",
                "an action is exactly one of set, notify or add_note".into(),
            )),
        }
    }
}
