//! Lists of tickets: which tickets ([`TicketFilter`]), in which order ([`Sort`]) and which
//! page of them ([`PageRequest`], [`Page`]). The rules are in docs/lists.md.

use chrono::{DateTime, Utc};
use std::fmt;

use crate::error::{Error, Result};

/// What a ticket list can be sorted by. Every field sorts over the whole query, by the
/// engine, with ties broken by the ticket's store id (docs/lists.md, "Sorting").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SortField {
    /// The ticket number as a number: desk date, then sequence, then series instance.
    Number,
    /// The due instant; tickets without one come last in both directions.
    Due,
    /// Low < Medium < High < Critical.
    Priority,
    /// The status's name.
    Status,
    Created,
    /// The last change of any kind (field, note, Taskfire action).
    Updated,
    /// The company's name; tickets without a company come last in both directions.
    Company,
    /// The title, ignoring ASCII case.
    Title,
}

impl SortField {
    pub const ALL: [SortField; 8] = [
        SortField::Number,
        SortField::Due,
        SortField::Priority,
        SortField::Status,
        SortField::Created,
        SortField::Updated,
        SortField::Company,
        SortField::Title,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortField::Number => "number",
            SortField::Due => "due",
            SortField::Priority => "priority",
            SortField::Status => "status",
            SortField::Created => "created",
            SortField::Updated => "updated",
            SortField::Company => "company",
            SortField::Title => "title",
        }
    }

    /// A field by name, ignoring ASCII case.
    pub fn parse(s: &str) -> Option<SortField> {
        SortField::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// A sort order: a field, ascending or descending. Written `FIELD` or `-FIELD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    pub field: SortField,
    pub descending: bool,
}

impl Sort {
    /// Newest first: the order of a list that names none.
    pub const DEFAULT: Sort = Sort {
        field: SortField::Created,
        descending: true,
    };

    pub fn asc(field: SortField) -> Sort {
        Sort {
            field,
            descending: false,
        }
    }

    pub fn desc(field: SortField) -> Sort {
        Sort {
            field,
            descending: true,
        }
    }

    /// `due`, `-due`, `Priority`...; anything else is an error naming `sort` and listing
    /// the fields.
    pub fn parse(s: &str) -> Result<Sort> {
        let t = s.trim();
        let (descending, name) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let field = SortField::parse(name).ok_or_else(|| {
            let fields: Vec<&str> = SortField::ALL.iter().map(|f| f.as_str()).collect();
            Error::invalid(
                "sort",
                format!(
                    "unknown sort field \"{}\"; sort by {} (FIELD ascending, -FIELD descending)",
                    crate::domain::text::one_line(t),
                    fields.join(", ")
                ),
            )
        })?;
        Ok(Sort { field, descending })
    }
}

impl Default for Sort {
    fn default() -> Self {
        Sort::DEFAULT
    }
}

impl fmt::Display for Sort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.descending {
            f.write_str("-")?;
        }
        f.write_str(self.field.as_str())
    }
}

/// Which values of one field a listed ticket may have: one of `any_of` (when it names
/// any) and none of `none_of`. Empty: the field is not filtered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match<T = String> {
    pub any_of: Vec<T>,
    pub none_of: Vec<T>,
}

impl<T> Default for Match<T> {
    fn default() -> Self {
        Match {
            any_of: Vec::new(),
            none_of: Vec::new(),
        }
    }
}

impl<T> Match<T> {
    /// The field has this value.
    pub fn is(v: impl Into<T>) -> Self {
        Match {
            any_of: vec![v.into()],
            none_of: Vec::new(),
        }
    }

    /// The field has one of these values.
    pub fn any(values: impl IntoIterator<Item = T>) -> Self {
        Match {
            any_of: values.into_iter().collect(),
            none_of: Vec::new(),
        }
    }

    /// The field has none of these values.
    pub fn none(values: impl IntoIterator<Item = T>) -> Self {
        Match {
            any_of: Vec::new(),
            none_of: values.into_iter().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.any_of.is_empty() && self.none_of.is_empty()
    }
}

/// Whom a ticket is assigned to, as a filter names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Assignee {
    /// Assigned to no one.
    Nobody,
    Login(String),
}

impl Assignee {
    /// How `Nobody` is written on the command line, the wire and in the TUI's query.
    pub const NOBODY: &'static str = "none";

    /// `none` (any case) is nobody; anything else a login.
    pub fn parse(s: &str) -> Assignee {
        let t = s.trim();
        if t.eq_ignore_ascii_case(Assignee::NOBODY) {
            Assignee::Nobody
        } else {
            Assignee::Login(t.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Assignee::Nobody => Assignee::NOBODY,
            Assignee::Login(l) => l,
        }
    }
}

impl From<&str> for Assignee {
    fn from(s: &str) -> Self {
        Assignee::parse(s)
    }
}

/// Which tickets a list or a count is of. Every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketFilter {
    /// Queue names of the actor's desk.
    pub queue: Match,
    pub source: Match,
    pub status: Match,
    /// Priority names (Low, Medium, High, Critical).
    pub priority: Match,
    /// Company names; `none_of` keeps tickets without a company.
    pub company: Match,
    /// Logins or nobody; `none_of` a login keeps unassigned tickets.
    pub assigned: Match<Assignee>,
    /// Full-text words over titles, descriptions and notes.
    pub search: Option<String>,
    /// Only tickets that are not closed (Complete).
    pub open_only: bool,
    /// Only tickets due before this instant (`due < t`).
    pub due_before: Option<DateTime<Utc>>,
    /// Only tickets due at or after this instant (`due >= t`): with `due_before` at the
    /// same instant, the two split the tickets that have a due date.
    pub due_after: Option<DateTime<Utc>>,
    /// Only tickets in the acting technician's inbox: customer or Taskfire activity since
    /// they last opened it (docs/lists.md, "The inbox"). Inbox tickets are open.
    pub unseen_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Opaque cursor from a previous page's `next`: it names its sort, so a page of one
    /// sort cannot continue another.
    pub after: Option<String>,
    pub limit: u32,
    /// `None`: the cursor's sort, or for a first page [`Sort::DEFAULT`].
    pub sort: Option<Sort>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            after: None,
            limit: 50,
            sort: None,
        }
    }
}

pub const MAX_PAGE: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Cursor for the next page; `None` at the end.
    pub next: Option<String>,
}

/// What a ticket's view is made of, for those who keep views (`desk serve` keeps them as
/// JSON; docs/architecture.md, "Views kept"): two views with one stamp are one view. The
/// digest covers the stored row, every column (its version and last change among them),
/// and for a ticket shared with Taskfire both versions' rows and who holds it; a note or
/// an event always moves the version on, which covers the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ViewStamp {
    pub id: i64,
    pub version: i64,
    /// In the reader's inbox (`Ticket::unseen`): the same ticket reads differently for
    /// each technician.
    pub unseen: bool,
    /// The portal's view (no internal notes, no events, the one due date).
    pub portal: bool,
    pub digest: u64,
}

/// A ticket of a page: its view, or only its stamp where the reader said it holds that
/// view already (`Engine::list_tickets_known`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Built(ViewStamp, Box<super::Ticket>),
    Known(ViewStamp),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sorts_read_and_write_the_same() {
        for f in SortField::ALL {
            for s in [Sort::asc(f), Sort::desc(f)] {
                assert_eq!(Sort::parse(&s.to_string()).unwrap(), s);
            }
        }
        assert_eq!(Sort::parse(" Due ").unwrap(), Sort::asc(SortField::Due));
        assert_eq!(Sort::parse("+due").unwrap(), Sort::asc(SortField::Due));
        assert_eq!(Sort::default().to_string(), "-created");
    }

    #[test]
    fn an_unknown_sort_names_sort_and_lists_the_fields() {
        for bad in ["colour", "", "-", "--due", "due,title", "ti\u{1b}tle"] {
            let e = Sort::parse(bad).unwrap_err();
            let Error::Invalid { field, message } = &e else {
                unreachable!("{e:?}")
            };
            assert_eq!(field, "sort");
            assert!(
                message.contains("number, due, priority, status, created, updated, company, title"),
                "{message}"
            );
            assert!(!message.contains('\u{1b}'), "escaped: {message}");
        }
    }

    #[test]
    fn none_is_nobody_in_any_case() {
        assert_eq!(Assignee::parse("None"), Assignee::Nobody);
        assert_eq!(Assignee::parse(" anna "), Assignee::Login("anna".into()));
        assert_eq!(Assignee::Nobody.as_str(), "none");
    }
}
