//! R1: where a Client Portal ticket lands.

use crate::model::CLIENT_PORTAL;

/// Who made an issue type, and the queue it names (if any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueTypeRoute<'a> {
    pub created_by_provider: bool,
    pub queue: Option<&'a str>,
}

/// The queue of a portal ticket: the issue type's queue if the provider made the issue
/// type and it names one; otherwise the `Client Portal` queue.
pub fn portal_queue<'a>(issue_type: &IssueTypeRoute<'a>) -> &'a str {
    match issue_type {
        IssueTypeRoute {
            created_by_provider: true,
            queue: Some(q),
        } => q,
        _ => CLIENT_PORTAL,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn provider_issue_type_with_queue_routes_there() {
        let it = IssueTypeRoute {
            created_by_provider: true,
            queue: Some("Level 1"),
        };
        assert_eq!(portal_queue(&it), "Level 1");
    }

    #[test]
    fn provider_issue_type_without_queue_goes_to_client_portal() {
        let it = IssueTypeRoute {
            created_by_provider: true,
            queue: None,
        };
        assert_eq!(portal_queue(&it), CLIENT_PORTAL);
    }

    #[test]
    fn customer_issue_type_goes_to_client_portal_even_with_a_queue() {
        let it = IssueTypeRoute {
            created_by_provider: false,
            queue: Some("Level 1"),
        };
        assert_eq!(portal_queue(&it), CLIENT_PORTAL);
    }
}
