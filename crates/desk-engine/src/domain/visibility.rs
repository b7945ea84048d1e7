//! R6 and R7: what a contact sees in the Client Portal, and which due date it shows.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::model::{HeldBy, PortalLevel, SERIES_PORTAL_WINDOW_DAYS};

/// The contact looking at the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer<'a> {
    pub contact: &'a str,
    pub company: &'a str,
    pub level: PortalLevel,
}

/// What R6 needs to know of a provider ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortalFacts<'a> {
    pub company: Option<&'a str>,
    pub contact: Option<&'a str>,
    /// The login of the contact who submitted it, if a contact did.
    pub submitted_by: Option<&'a str>,
    /// The created instant's date in the desk time zone.
    pub created_desk_date: NaiveDate,
    pub in_series: bool,
    pub due_at: Option<DateTime<Utc>>,
}

/// The portal's global settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PortalSettings {
    pub show_tickets_created_on_or_after: Option<NaiveDate>,
}

/// R6, in its order: the security level, then the global date filter, then (whatever the
/// level) the 30-day window for tickets of a series.
pub fn portal_visible(
    viewer: &Viewer,
    t: &PortalFacts,
    settings: PortalSettings,
    now: DateTime<Utc>,
) -> bool {
    let by_level = match viewer.level {
        PortalLevel::None => false,
        PortalLevel::Basic => {
            t.company == Some(viewer.company)
                && (t.contact == Some(viewer.contact) || t.submitted_by == Some(viewer.contact))
        }
        PortalLevel::Manager => t.company == Some(viewer.company),
    };
    let by_date = settings
        .show_tickets_created_on_or_after
        .is_none_or(|from| t.created_desk_date >= from);
    let by_series = !t.in_series || t.due_at.is_none_or(|due| due <= series_horizon(now));
    by_level && by_date && by_series
}

/// The latest due instant at which a series ticket is shown.
pub fn series_horizon(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(SERIES_PORTAL_WINDOW_DAYS)
}

/// R7: the due date the portal shows for a ticket that may be shared with Taskfire.
pub fn portal_due(
    provider_due: Option<DateTime<Utc>>,
    taskfire: Option<(HeldBy, Option<DateTime<Utc>>)>,
) -> Option<DateTime<Utc>> {
    match taskfire {
        Some((HeldBy::Customer, taskfire_due)) => taskfire_due,
        Some((HeldBy::Provider, _)) | None => provider_due,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    const NOW: &str = "2026-11-29T12:00:00Z";

    fn facts() -> PortalFacts<'static> {
        PortalFacts {
            company: Some("Contoso"),
            contact: Some("kim@contoso.example"),
            submitted_by: None,
            created_desk_date: date("2026-11-20"),
            in_series: false,
            due_at: None,
        }
    }
    fn viewer(contact: &'static str, level: PortalLevel) -> Viewer<'static> {
        Viewer {
            contact,
            company: "Contoso",
            level,
        }
    }
    fn visible(v: &Viewer, t: &PortalFacts) -> bool {
        portal_visible(v, t, PortalSettings::default(), at(NOW))
    }

    #[test]
    fn none_sees_nothing_even_own_tickets() {
        let v = viewer("kim@contoso.example", PortalLevel::None);
        assert!(!visible(&v, &facts()));
    }

    #[test]
    fn basic_sees_tickets_they_are_contact_of_or_submitted() {
        let v = viewer("kim@contoso.example", PortalLevel::Basic);
        assert!(visible(&v, &facts()));
        let other = viewer("lisa@contoso.example", PortalLevel::Basic);
        assert!(!visible(&other, &facts()));
        let submitted = PortalFacts {
            submitted_by: Some("lisa@contoso.example"),
            ..facts()
        };
        assert!(visible(&other, &submitted));
    }

    #[test]
    fn manager_sees_every_ticket_of_the_company_however_created() {
        let v = viewer("boss@contoso.example", PortalLevel::Manager);
        assert!(visible(&v, &facts()));
        let no_contact = PortalFacts {
            contact: None,
            ..facts()
        };
        assert!(visible(&v, &no_contact));
        let other_company = PortalFacts {
            company: Some("Fabrikam"),
            ..facts()
        };
        assert!(!visible(&v, &other_company));
        let internal = PortalFacts {
            company: None,
            ..facts()
        };
        assert!(!visible(&v, &internal));
    }

    #[test]
    fn global_date_filter_hides_older_tickets_for_every_level() {
        let s = PortalSettings {
            show_tickets_created_on_or_after: Some(date("2026-11-20")),
        };
        let v = viewer("boss@contoso.example", PortalLevel::Manager);
        assert!(
            portal_visible(&v, &facts(), s, at(NOW)),
            "the boundary date itself is shown"
        );
        let older = PortalFacts {
            created_desk_date: date("2026-11-19"),
            ..facts()
        };
        assert!(!portal_visible(&v, &older, s, at(NOW)));
    }

    #[test]
    fn series_tickets_show_only_when_due_within_30_days() {
        let v = viewer("boss@contoso.example", PortalLevel::Manager);
        let due = |s: &str| PortalFacts {
            in_series: true,
            due_at: Some(at(s)),
            ..facts()
        };
        assert!(
            visible(&v, &due("2026-12-29T12:00:00Z")),
            "exactly 30 days is shown"
        );
        assert!(!visible(&v, &due("2026-12-29T12:00:01Z")));
        assert!(
            visible(&v, &due("2026-11-01T00:00:00Z")),
            "overdue is shown"
        );
        // A ticket outside a series is shown however far ahead it is due.
        let single = PortalFacts {
            due_at: Some(at("2027-06-01T00:00:00Z")),
            ..facts()
        };
        assert!(visible(&v, &single));
    }

    #[test]
    fn series_rule_applies_whatever_the_level() {
        let v = viewer("kim@contoso.example", PortalLevel::Basic);
        let far = PortalFacts {
            in_series: true,
            due_at: Some(at("2027-02-01T00:00:00Z")),
            ..facts()
        };
        assert!(!visible(&v, &far));
    }

    #[test]
    fn portal_due_follows_who_holds_the_ticket() {
        let ours = Some(at("2026-12-01T10:00:00Z"));
        let theirs = Some(at("2026-12-05T10:00:00Z"));
        assert_eq!(portal_due(ours, None), ours);
        assert_eq!(portal_due(ours, Some((HeldBy::Customer, theirs))), theirs);
        assert_eq!(portal_due(ours, Some((HeldBy::Provider, theirs))), ours);
        assert_eq!(portal_due(ours, Some((HeldBy::Customer, None))), None);
    }
}
