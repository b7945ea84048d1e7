//! A parsed query as the backend's filter and sort, its names resolved against the
//! catalog; and the same query applied to loaded tickets (the portal's own list).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use desk_engine::domain::time::start_of_day;
use desk_engine::model::{Assignee, Catalog, Match, Sort, Ticket, TicketFilter};

use super::{DueBound, QField, Query, Term};

/// What a list shows: which tickets, in which order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub filter: TicketFilter,
    pub sort: Option<Sort>,
}

fn names(c: &Catalog, f: QField) -> Vec<&str> {
    match f {
        QField::Queue => c.queues.iter().map(|q| q.name.as_str()).collect(),
        QField::Source => c.sources.iter().map(String::as_str).collect(),
        QField::Status => c.statuses.iter().map(String::as_str).collect(),
        QField::Priority => c.priorities.iter().map(String::as_str).collect(),
        QField::Company => c.companies.iter().map(|x| x.name.as_str()).collect(),
        QField::Assigned => c.resources.iter().map(|r| r.login.as_str()).collect(),
    }
}

/// A typed value as the catalog's name: equal without case, or the one name it starts.
/// A value that only starts a name with a space in it, followed by a word that goes on
/// with that name, is a forgotten pair of quotes, said as such.
fn resolve(c: Option<&Catalog>, t: &Term, v: &str) -> Result<String, String> {
    let Some(c) = c else { return Ok(v.to_string()) };
    let known = names(c, t.field);
    let lower = v.to_lowercase();
    if let Some(n) = known.iter().find(|n| n.to_lowercase() == lower) {
        return Ok((*n).to_string());
    }
    let field = t.field.name();
    if let (Some(w), [last]) = (&t.next_word, t.values.as_slice())
        && last == v
    {
        let joined = format!("{lower} {}", w.to_lowercase());
        if let Some(n) = known.iter().find(|n| n.to_lowercase().starts_with(&joined)) {
            return Err(format!("{field}:{v} {w} needs quotes: {field}:\"{n}\""));
        }
    }
    let starts: Vec<&&str> = known
        .iter()
        .filter(|n| n.to_lowercase().starts_with(&lower))
        .collect();
    match starts.as_slice() {
        [one] => Ok((**one).to_string()),
        _ => Err(format!(
            "{field}:{v}: no such {field} (known: {})",
            known.join(", ")
        )),
    }
}

fn instant(b: &DueBound, now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    match b {
        DueBound::Span(d) => now + *d,
        DueBound::Day(day) => start_of_day(*day, tz),
    }
}

impl Query {
    /// Builds the backend filter; `queue` is the queue pane's choice, which an explicit
    /// `queue:` in the query overrides; `me` is who `assigned:me` is.
    pub fn to_filter(
        &self,
        catalog: Option<&Catalog>,
        queue: Option<&str>,
        me: &str,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Result<ListQuery, String> {
        let mut f = TicketFilter::default();
        for t in &self.terms {
            let mut resolved = Vec::new();
            for v in &t.values {
                resolved.push(match (t.field, v.to_lowercase().as_str()) {
                    (QField::Assigned, "me") => me.to_string(),
                    (QField::Assigned, "none") => Assignee::NOBODY.to_string(),
                    _ => resolve(catalog, t, v)?,
                });
            }
            let push = |m: &mut Match| {
                let side = if t.negated {
                    &mut m.none_of
                } else {
                    &mut m.any_of
                };
                side.extend(resolved.iter().cloned());
            };
            match t.field {
                QField::Queue => push(&mut f.queue),
                QField::Source => push(&mut f.source),
                QField::Status => push(&mut f.status),
                QField::Priority => push(&mut f.priority),
                QField::Company => push(&mut f.company),
                QField::Assigned => {
                    let side = if t.negated {
                        &mut f.assigned.none_of
                    } else {
                        &mut f.assigned.any_of
                    };
                    side.extend(resolved.iter().map(|v| Assignee::parse(v)));
                }
            }
        }
        if f.queue.is_empty()
            && let Some(q) = queue
        {
            f.queue = Match::is(q);
        }
        // A status asked for shows that status, open or not.
        f.open_only = !self.all && f.status.any_of.is_empty();
        f.unseen_only = self.unseen;
        f.search = (!self.words.is_empty()).then(|| self.words.join(" "));
        f.due_before = self.due_before.as_ref().map(|b| instant(b, now, tz));
        f.due_after = self.due_after.as_ref().map(|b| instant(b, now, tz));
        Ok(ListQuery {
            filter: f,
            sort: self.sort,
        })
    }

    /// The same query applied to tickets already loaded: the portal view has no server
    /// filter (it shows exactly the portal's list), so it narrows what it has.
    pub fn matches(&self, t: &Ticket, now: DateTime<Utc>, tz: Tz) -> bool {
        let value = |f: QField| -> Option<&str> {
            match f {
                QField::Queue => Some(&t.queue),
                QField::Source => Some(&t.source),
                QField::Status => Some(&t.status),
                QField::Priority => Some(&t.priority),
                QField::Company => t.company.as_deref(),
                QField::Assigned => t.assigned.as_deref(),
            }
        };
        let fits = |term: &Term| {
            let have = value(term.field).map(str::to_lowercase);
            let any = term.values.iter().any(|w| {
                have.as_deref()
                    .is_some_and(|h| h.starts_with(&w.to_lowercase()))
            });
            any != term.negated
        };
        let text = format!("{} {} {}", t.number, t.title, t.description).to_lowercase();
        let due_ok = |b: &Option<DueBound>, before: bool| match (b, t.due_at) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(b), Some(at)) => {
                let edge = instant(b, now, tz);
                if before { at < edge } else { at >= edge }
            }
        };
        self.terms.iter().all(fits)
            && due_ok(&self.due_before, true)
            && due_ok(&self.due_after, false)
            && self.words.iter().all(|w| text.contains(&w.to_lowercase()))
    }
}
