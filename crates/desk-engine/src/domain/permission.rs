//! R8 (docs/rules.md): who may work on a provider ticket. Work is every change —
//! a field, the assignee, a note, a Taskfire action, deleting it — and reading is not:
//! every resource may read every provider ticket.

use crate::error::{Error, Result};
use crate::model::{Actor, ActorKind};

/// A provider resource with Service Desk access, or the ticket's assigned resource.
/// Without Service Desk access that is also the only way to assign: a resource cannot
/// take an unassigned ticket (or another's), or R8 would only slow him down.
pub fn may_act_on_ticket(actor: &Actor, assigned: Option<&str>) -> bool {
    match actor.kind {
        ActorKind::Resource { service_desk } => {
            service_desk || assigned.is_some_and(|a| a.eq_ignore_ascii_case(&actor.login))
        }
        ActorKind::TaskfireResource { .. } | ActorKind::Contact { .. } => false,
    }
}

/// `may_act_on_ticket`, or the refusal naming who, what, which ticket and why.
pub fn require_act_on_ticket(
    actor: &Actor,
    assigned: Option<&str>,
    what: &str,
    number: &str,
) -> Result<()> {
    if may_act_on_ticket(actor, assigned) {
        Ok(())
    } else {
        Err(Error::NotAllowed(format!(
            "{} may not {what} ticket {number}: it needs Service Desk access or being the ticket's assigned resource (it is assigned to {})",
            actor.login,
            assigned.unwrap_or("nobody")
        )))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::model::PortalLevel;

    fn actor(login: &str, kind: ActorKind) -> Actor {
        Actor {
            login: login.into(),
            name: login.into(),
            email: format!("{login}@x.example"),
            time_zone: "UTC".into(),
            kind,
        }
    }

    #[test]
    fn service_desk_access_may_act_on_any_ticket() {
        let a = actor("anna", ActorKind::Resource { service_desk: true });
        assert!(may_act_on_ticket(&a, None));
        assert!(may_act_on_ticket(&a, Some("ben")));
    }

    #[test]
    fn without_service_desk_only_the_assigned_resource_may_act() {
        let b = actor(
            "ben",
            ActorKind::Resource {
                service_desk: false,
            },
        );
        assert!(may_act_on_ticket(&b, Some("ben")));
        assert!(!may_act_on_ticket(&b, Some("anna")));
        assert!(!may_act_on_ticket(&b, None));
    }

    #[test]
    fn contacts_and_taskfire_staff_never_take_provider_actions() {
        let c = actor(
            "lisa",
            ActorKind::Contact {
                company: "C".into(),
                portal: PortalLevel::Manager,
            },
        );
        let t = actor(
            "tom",
            ActorKind::TaskfireResource {
                company: "C".into(),
            },
        );
        assert!(!may_act_on_ticket(&c, Some("lisa")));
        assert!(!may_act_on_ticket(&t, Some("tom")));
    }

    #[test]
    fn without_service_desk_an_unassigned_ticket_is_nobodys_to_take() {
        let b = actor(
            "ben",
            ActorKind::Resource {
                service_desk: false,
            },
        );
        // Taking it would be the way around R8: assign to yourself, then act.
        assert!(!may_act_on_ticket(&b, None));
        assert!(may_act_on_ticket(&b, Some("Ben")), "logins ignore case");
    }

    #[test]
    fn refusal_names_actor_ticket_and_why() {
        let b = actor(
            "ben",
            ActorKind::Resource {
                service_desk: false,
            },
        );
        let e = require_act_on_ticket(&b, None, "delete", "T20261129.0001")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("not allowed") && e.contains("ben") && e.contains("T20261129.0001"),
            "{e}"
        );
        assert!(e.ends_with("(it is assigned to nobody)"), "{e}");
    }
}
