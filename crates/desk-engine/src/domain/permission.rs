//! R8: who may take the Taskfire actions (and delete tickets).

use crate::error::{Error, Result};
use crate::model::{Actor, ActorKind};

/// A provider resource with Service Desk access, or the ticket's assigned resource.
pub fn may_act_on_ticket(actor: &Actor, assigned: Option<&str>) -> bool {
    match actor.kind {
        ActorKind::Resource { service_desk } => {
            service_desk || assigned == Some(actor.login.as_str())
        }
        ActorKind::TaskfireResource { .. } | ActorKind::Contact { .. } => false,
    }
}

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
            "{} may not {what} ticket {number}: it needs Service Desk access or being the ticket's assigned resource",
            actor.login
        )))
    }
}

/// Changing a ticket's assignee. With Service Desk access: any change. Without it, a
/// resource may take an unassigned ticket for themselves and hand on or give up their
/// own, but not take a ticket from someone else — else reassigning would be a way
/// around R8.
pub fn may_reassign(actor: &Actor, from: Option<&str>, to: Option<&str>) -> bool {
    match actor.kind {
        ActorKind::Resource { service_desk: true } => true,
        ActorKind::Resource {
            service_desk: false,
        } => {
            let me = Some(actor.login.as_str());
            from == me || (from.is_none() && to == me)
        }
        // Taskfire staff assign within their own desk; the engine keeps them there.
        ActorKind::TaskfireResource { .. } => true,
        ActorKind::Contact { .. } => false,
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
    fn without_service_desk_a_resource_cannot_take_someone_elses_ticket() {
        let b = actor(
            "ben",
            ActorKind::Resource {
                service_desk: false,
            },
        );
        assert!(
            may_reassign(&b, None, Some("ben")),
            "take an unassigned ticket"
        );
        assert!(
            may_reassign(&b, Some("ben"), Some("anna")),
            "hand on their own"
        );
        assert!(may_reassign(&b, Some("ben"), None), "give up their own");
        assert!(!may_reassign(&b, Some("anna"), Some("ben")), "take anna's");
        assert!(!may_reassign(&b, None, Some("anna")), "assign others");
        let a = actor("anna", ActorKind::Resource { service_desk: true });
        assert!(may_reassign(&a, Some("ben"), Some("chen")));
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
    }
}
