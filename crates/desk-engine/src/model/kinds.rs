//! Closed sets that the public values carry as names: the fields of a ticket that change
//! (and show in its history), the desk a version of a ticket is on, who made an issue
//! type, and the events a notification is sent for. Each is an enum with the name it
//! has in the store, the CLI and the wire, so that a caller matches on it instead of on
//! strings, and the compiler lists every place a new one matters.

use super::{Event, IssueTypeInfo, Notification, Ticket};

/// A field of a ticket that a change sets and its history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TicketField {
    Title,
    Status,
    Queue,
    Priority,
    WorkType,
    Assigned,
    Due,
}

impl TicketField {
    pub const ALL: [TicketField; 7] = [
        TicketField::Title,
        TicketField::Status,
        TicketField::Queue,
        TicketField::Priority,
        TicketField::WorkType,
        TicketField::Assigned,
        TicketField::Due,
    ];

    /// The name in the store and in a ticket's history (`work_type`, `assigned`).
    pub fn as_str(self) -> &'static str {
        match self {
            TicketField::Title => "title",
            TicketField::Status => "status",
            TicketField::Queue => "queue",
            TicketField::Priority => "priority",
            TicketField::WorkType => "work_type",
            TicketField::Assigned => "assigned",
            TicketField::Due => "due",
        }
    }

    /// As people read it: `work type`, `assignee`.
    pub fn label(self) -> &'static str {
        match self {
            TicketField::Title => "title",
            TicketField::Status => "status",
            TicketField::Queue => "queue",
            TicketField::Priority => "priority",
            TicketField::WorkType => "work type",
            TicketField::Assigned => "assignee",
            TicketField::Due => "due",
        }
    }

    pub fn parse(s: &str) -> Option<TicketField> {
        TicketField::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Which desk a version of a ticket is on: the provider's, or a company's Taskfire desk.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DeskSide {
    Provider,
    Taskfire(String),
}

impl DeskSide {
    pub const PROVIDER: &'static str = "provider";

    pub fn parse(s: &str) -> DeskSide {
        if s == Self::PROVIDER {
            DeskSide::Provider
        } else {
            DeskSide::Taskfire(s.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            DeskSide::Provider => Self::PROVIDER,
            DeskSide::Taskfire(company) => company,
        }
    }
}

/// Who made an issue type: the provider (for the portal template) or a customer company.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Creator {
    Provider,
    Company(String),
}

impl Creator {
    pub fn parse(s: &str) -> Creator {
        if s == DeskSide::PROVIDER {
            Creator::Provider
        } else {
            Creator::Company(s.to_string())
        }
    }
}

/// The events a notification is written for (docs/rules.md, "Notifications": the
/// built-in templates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationEvent {
    TicketCreated,
    TaskfireAssigned,
    TaskfireWorkComplete,
    TaskfireQuestion,
    TaskfireDeleted,
    TaskfireEscalated,
    PortalNoteAdded,
}

impl NotificationEvent {
    pub const ALL: [NotificationEvent; 7] = [
        NotificationEvent::TicketCreated,
        NotificationEvent::TaskfireAssigned,
        NotificationEvent::TaskfireWorkComplete,
        NotificationEvent::TaskfireQuestion,
        NotificationEvent::TaskfireDeleted,
        NotificationEvent::TaskfireEscalated,
        NotificationEvent::PortalNoteAdded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationEvent::TicketCreated => "ticket_created",
            NotificationEvent::TaskfireAssigned => "taskfire_assigned",
            NotificationEvent::TaskfireWorkComplete => "taskfire_work_complete",
            NotificationEvent::TaskfireQuestion => "taskfire_question",
            NotificationEvent::TaskfireDeleted => "taskfire_deleted",
            NotificationEvent::TaskfireEscalated => "taskfire_escalated",
            NotificationEvent::PortalNoteAdded => "portal_note_added",
        }
    }

    /// As a technician reads it in the outbox.
    pub fn label(self) -> &'static str {
        match self {
            NotificationEvent::TicketCreated => "ticket created",
            NotificationEvent::TaskfireAssigned => "T1 assigned",
            NotificationEvent::TaskfireWorkComplete => "T2 work complete",
            NotificationEvent::TaskfireQuestion => "T3 question",
            NotificationEvent::TaskfireDeleted => "T4 deleted",
            NotificationEvent::TaskfireEscalated => "T5 escalated",
            NotificationEvent::PortalNoteAdded => "portal note",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationEvent> {
        NotificationEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl Ticket {
    pub fn side(&self) -> DeskSide {
        DeskSide::parse(&self.desk)
    }
}

impl Event {
    /// The field this event changed; `None` for a name this build does not know (a
    /// newer server).
    pub fn ticket_field(&self) -> Option<TicketField> {
        TicketField::parse(&self.field)
    }
}

impl Notification {
    pub fn kind(&self) -> Option<NotificationEvent> {
        NotificationEvent::parse(&self.event)
    }
}

impl IssueTypeInfo {
    pub fn creator(&self) -> Creator {
        Creator::parse(&self.created_by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in TicketField::ALL {
            assert_eq!(TicketField::parse(f.as_str()), Some(f));
        }
        for e in NotificationEvent::ALL {
            assert_eq!(NotificationEvent::parse(e.as_str()), Some(e));
        }
        assert_eq!(DeskSide::parse("provider"), DeskSide::Provider);
        assert_eq!(
            DeskSide::parse("Contoso"),
            DeskSide::Taskfire("Contoso".into())
        );
        assert_eq!(
            Creator::parse("Contoso"),
            Creator::Company("Contoso".into())
        );
        assert_eq!(TicketField::parse("colour"), None);
    }

    #[test]
    fn the_template_events_are_the_enum() {
        for e in NotificationEvent::ALL {
            assert!(crate::domain::template::is_event(e.as_str()), "{e:?}");
        }
    }
}
