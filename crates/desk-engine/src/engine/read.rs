//! Reading: rows into views, lists with keyset paging, the portal's view, the catalog.

use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use super::{Who, WhoKind};
use crate::domain::number::parse_number_date;
use crate::domain::time::{in_zone, parse_tz};
use crate::domain::visibility::{self, PortalFacts, PortalSettings, Viewer, portal_due};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::sql::Store;
use crate::store::words::Words;
use crate::store::{Dir, dir::Named, from_ms};

pub(crate) use crate::store::tickets::Row;

pub(crate) fn priority_name(p: i64) -> &'static str {
    PRIORITIES
        .get((p - 1).clamp(0, 3) as usize)
        .copied()
        .unwrap_or(DEFAULT_PRIORITY)
}

pub(crate) fn priority_value(name: &str) -> Result<i64> {
    PRIORITIES
        .iter()
        .position(|p| p.eq_ignore_ascii_case(name.trim()))
        .map(|i| i as i64 + 1)
        .ok_or_else(|| {
            Error::invalid(
                "priority",
                format!("unknown priority \"{name}\"; use {}", PRIORITIES.join(", ")),
            )
        })
}

/// Each ticket's notes and events, by ticket id.
type Histories = HashMap<i64, (Vec<Note>, Vec<Event>)>;

/// Who a view is for: staff see everything; the portal no internal notes and no events,
/// and the R7 due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Staff,
    Portal,
}

pub(crate) struct R<'a> {
    pub db: &'a dyn Store,
    pub words: &'a Words,
    pub dir: &'a Dir,
    pub now: DateTime<Utc>,
    /// The technician whose inbox views mark (`Ticket::unseen`), if any.
    pub seer: Option<i64>,
    /// How search pages meet their matches.
    pub walk: crate::store::search::SearchWalk,
}

/// Names of a row's fields, as rules and templates see them.
pub(crate) fn field<'d>(dir: &'d Dir, row: &'d Row, name: &str) -> Option<&'d str> {
    Some(match name {
        "title" => &row.title,
        "description" => &row.description,
        "status" => Dir::name_of(&dir.statuses, row.status_id),
        "priority" => priority_name(row.priority),
        "queue" => &dir.queue_by_id(row.queue_id)?.name,
        "source" => Dir::name_of(&dir.sources, row.source_id),
        "issue_type" => &dir.issue_type_by_id(row.issue_type_id?)?.name,
        "work_type" => Dir::name_of(&dir.work_types, row.work_type_id?),
        "company" => &dir.company_by_id(row.company_id?)?.name,
        "contact" => &dir.contact_by_id(row.contact_id?)?.login,
        "assigned" => &dir.resource_by_id(row.assigned_id?)?.login,
        "number" => &row.number,
        _ => return None,
    })
}

impl R<'_> {
    pub fn row_by_id(&self, id: i64) -> Result<Row> {
        self.db
            .ticket(id)?
            .ok_or_else(|| Error::not_found("ticket", "(vanished while read)"))
    }

    /// The ticket with `number` on `side` (0: provider desk).
    pub fn find(&self, side: i64, number: &str) -> Result<Row> {
        let number = number.trim();
        self.db
            .find_ticket(side, number)?
            .ok_or_else(|| Error::not_found("ticket", number))
    }

    pub fn ticket_by_id(&self, id: i64, audience: Audience) -> Result<Ticket> {
        let row = self.row_by_id(id)?;
        self.view(row, audience)
    }

    /// The share a row takes part in: (provider id, Taskfire id, held by).
    pub fn share_of(&self, id: i64) -> Result<Option<(i64, i64, HeldBy)>> {
        Ok(self
            .db
            .share_of(id)?
            .map(|(p, t, h)| (p, t, HeldBy::parse(&h).unwrap_or(HeldBy::Provider))))
    }

    pub fn view(&self, row: Row, audience: Audience) -> Result<Ticket> {
        let mut v = self.views(vec![row], audience)?;
        v.pop()
            .ok_or_else(|| Error::not_found("ticket", "(vanished while read)"))
    }

    /// Views of many rows with a fixed number of queries (history, shares, counterparts,
    /// series), not a few per ticket: a page of 100 costs five statements.
    pub fn views(&self, rows: Vec<Row>, audience: Audience) -> Result<Vec<Ticket>> {
        let views = self.views_known(rows, audience, &mut |_| false)?;
        Ok(crate::store::list::built_items(views))
    }

    /// `views`, each with its stamp; a row whose stamp `known` accepts is not built (its
    /// history is not even read): the caller holds that view already (docs/architecture.md,
    /// "Views kept").
    pub fn views_known(
        &self,
        rows: Vec<Row>,
        audience: Audience,
        known: &mut dyn FnMut(&ViewStamp) -> bool,
    ) -> Result<Vec<Shown>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();

        // Each row is looked up once, by the column its side fills: a provider ticket as
        // `provider_id`, a Taskfire version as `taskfire_id` (`shares_of`).
        let (provider, taskfire): (Vec<i64>, Vec<i64>) = {
            let (p, t): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.side == 0);
            (
                p.iter().map(|r| r.id).collect(),
                t.iter().map(|r| r.id).collect(),
            )
        };
        let mut shares: Vec<(i64, i64, HeldBy)> = Vec::new();
        for (p, t, h) in self.db.shares_of(&provider, &taskfire)? {
            // A share both of whose versions are among the rows is found twice.
            if !shares.iter().any(|(sp, _, _)| *sp == p) {
                shares.push((p, t, HeldBy::parse(&h).unwrap_or(HeldBy::Provider)));
            }
        }
        let missing: Vec<i64> = shares
            .iter()
            .flat_map(|(p, t, _)| [*p, *t])
            .filter(|id| !ids.contains(id))
            .collect();
        let mut others = self.db.tickets_by_ids(&missing)?;
        for r in &rows {
            if shares.iter().any(|(p, t, _)| *p == r.id || *t == r.id) {
                others.insert(r.id, r.clone());
            }
        }

        let series_ids: Vec<i64> = rows.iter().filter_map(|r| r.series_id).collect();
        let mut series: HashMap<i64, String> = HashMap::new();
        if !series_ids.is_empty() {
            series.extend(self.db.series_bases(&series_ids)?);
        }

        let unseen = match self.seer {
            Some(r) => self.db.unseen_among(r, &ids)?,
            None => Default::default(),
        };
        let share_of = |row: &Row| {
            shares
                .iter()
                .find(|(p, t, _)| *p == row.id || *t == row.id)
                .and_then(|(p, t, held)| Some((others.get(p)?, others.get(t)?, *held)))
        };
        let stamps: Vec<ViewStamp> = rows
            .iter()
            .map(|row| {
                let mut h = std::hash::DefaultHasher::new();
                row.hash(&mut h);
                if let Some((p, t, held)) = share_of(row) {
                    (p, t, held.as_str()).hash(&mut h);
                }
                row.series_id.and_then(|s| series.get(&s)).hash(&mut h);
                ViewStamp {
                    id: row.id,
                    version: row.version,
                    unseen: unseen.contains(&row.id),
                    portal: audience == Audience::Portal,
                    digest: h.finish(),
                }
            })
            .collect();
        let wanted: Vec<bool> = stamps.iter().map(|s| !known(s)).collect();
        let build: Vec<i64> = rows
            .iter()
            .zip(&wanted)
            .filter(|(_, w)| **w)
            .map(|(r, _)| r.id)
            .collect();
        let mut history = self.histories(&build, audience)?;

        Ok(rows
            .into_iter()
            .zip(stamps)
            .zip(wanted)
            .map(|((row, stamp), wanted)| {
                if !wanted {
                    return Shown::Known(stamp);
                }
                let taskfire = share_of(&row).map(|(p, t, held)| self.taskfire_state(p, t, held));
                let (notes, events) = history.remove(&row.id).unwrap_or_default();
                let series = row.series_id.and_then(|s| series.get(&s).cloned());
                let mut t = self.build(row, notes, events, taskfire, series, audience);
                t.unseen = stamp.unseen;
                Shown::Built(stamp, Box::new(t))
            })
            .collect())
    }

    /// The notes and events of tickets `ids` that `audience` sees, in time order (ties
    /// in the order written).
    fn histories(&self, ids: &[i64], audience: Audience) -> Result<Histories> {
        let mut history = Histories::new();
        if ids.is_empty() {
            return Ok(history);
        }
        for a in self.db.history(ids)? {
            let (notes, events) = history.entry(a.ticket_id).or_default();
            let at = from_ms(a.at);
            match NoteKind::parse(&a.kind) {
                Some(k) if audience == Audience::Staff || k.in_portal() => notes.push(Note {
                    author: a.author,
                    kind: k,
                    text: a.text,
                    at,
                    version: a.version,
                }),
                Some(_) => {}
                None if audience == Audience::Staff => events.push(Event {
                    actor: a.author,
                    field: a.field.unwrap_or_default(),
                    from: a.from,
                    to: a.to,
                    at,
                    version: a.version,
                }),
                None => {}
            }
        }
        // Sorted here rather than by `ORDER BY at`, which the index (ticket_id, id)
        // cannot give and SQLite sorted per page.
        for (notes, events) in history.values_mut() {
            notes.sort_by_key(|n| n.at);
            events.sort_by_key(|e| e.at);
        }
        Ok(history)
    }

    fn taskfire_state(&self, p: &Row, t: &Row, held_by: HeldBy) -> TaskfireState {
        TaskfireState {
            queue: self
                .dir
                .queue_by_id(t.queue_id)
                .map(|q| q.name.clone())
                .unwrap_or_default(),
            resource: t
                .assigned_id
                .and_then(|a| self.dir.resource_by_id(a))
                .map(|r| r.login.clone()),
            status: Dir::name_of(&self.dir.statuses, t.status_id).to_string(),
            due_at: t.due_at.map(from_ms),
            held_by,
            provider_status: Dir::name_of(&self.dir.statuses, p.status_id).to_string(),
            provider_due_at: p.due_at.map(from_ms),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        row: Row,
        notes: Vec<Note>,
        events: Vec<Event>,
        taskfire: Option<TaskfireState>,
        series: Option<String>,
        audience: Audience,
    ) -> Ticket {
        let dir = self.dir;
        let created_at = from_ms(row.created_at);
        let creator_tz = parse_tz(&row.creator_tz).unwrap_or(dir.tz);
        let mut due_at = row.due_at.map(from_ms);
        let mut taskfire = taskfire;
        if audience == Audience::Portal {
            due_at = portal_due(due_at, taskfire.as_ref().map(|t| (t.held_by, t.due_at)));
            // The portal shows the one due date of R7, not both desks' inner workings.
            taskfire = None;
        }
        let created_by = match row.creator_kind.as_str() {
            "contact" => dir.contact_by_id(row.creator_id).map(|c| c.login.clone()),
            _ => dir.resource_by_id(row.creator_id).map(|r| r.login.clone()),
        }
        .unwrap_or_default();
        let f = |n: &str| field(dir, &row, n).map(str::to_string);
        Ticket {
            number_date: parse_number_date(&row.number)
                .unwrap_or_else(|| created_at.with_timezone(&dir.tz).date_naive()),
            desk: dir.side_name(row.side),
            status: f("status").unwrap_or_default(),
            priority: priority_name(row.priority).to_string(),
            queue: f("queue").unwrap_or_default(),
            source: f("source").unwrap_or_default(),
            issue_type: f("issue_type"),
            work_type: f("work_type"),
            company: f("company"),
            contact: f("contact"),
            assigned: f("assigned"),
            created_by,
            created_at,
            created_local: in_zone(created_at, creator_tz),
            created_tz: creator_tz.name().to_string(),
            due_at,
            series,
            version: row.version,
            updated_at: from_ms(row.updated_at),
            unseen: false,
            taskfire,
            notes,
            events,
            number: row.number,
            title: row.title,
            description: row.description,
        }
    }

    /// The provider ticket `number` if the portal shows it to this contact; otherwise
    /// "unknown ticket" (the portal does not admit that hidden tickets exist).
    pub fn portal_row(&self, who: &Who, number: &str) -> Result<Row> {
        let (company_id, level) = portal_contact(who)?;
        let row = self.find(0, number)?;
        let company = self
            .dir
            .company_by_id(company_id)
            .map(|c| c.name.as_str())
            .unwrap_or("");
        let viewer = Viewer {
            contact: &who.login,
            company,
            level,
        };
        let submitted_by = if row.creator_kind == "contact" {
            self.dir
                .contact_by_id(row.creator_id)
                .map(|c| c.login.as_str())
        } else {
            None
        };
        let facts = PortalFacts {
            company: field(self.dir, &row, "company"),
            contact: field(self.dir, &row, "contact"),
            submitted_by,
            created_desk_date: from_ms(row.created_at)
                .with_timezone(&self.dir.tz)
                .date_naive(),
            in_series: row.series_id.is_some(),
            due_at: row.due_at.map(from_ms),
        };
        let settings = PortalSettings {
            show_tickets_created_on_or_after: self.dir.show_from,
        };
        if visibility::portal_visible(&viewer, &facts, settings, self.now) {
            Ok(row)
        } else {
            Err(Error::not_found("ticket", number.trim()))
        }
    }

    /// The outbox, newest first, paged like the ticket lists: the cursor is the last
    /// message's id, and the next page starts below it.
    pub fn notifications(&self, who: &Who, page: &PageRequest) -> Result<Page<Notification>> {
        if !matches!(who.kind, WhoKind::Resource { .. }) {
            return Err(Error::NotAllowed(format!(
                "{} may not read the provider's outbox",
                who.login
            )));
        }
        if let Some(sort) = page.sort {
            return Err(Error::invalid(
                "sort",
                format!("the outbox lists newest first; it takes no sort (not {sort})"),
            ));
        }
        let limit = page.limit.clamp(1, MAX_PAGE);
        let below = match &page.after {
            None => i64::MAX,
            Some(after) => after
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| {
                    Error::invalid(
                        "after",
                        format!("\"{after}\" is not a cursor from a previous page"),
                    )
                })?,
        };
        let mut rows = self.db.outbox_page(below, i64::from(limit) + 1)?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(id, _)| id.to_string())
        } else {
            None
        };
        Ok(Page {
            items: rows.into_iter().map(|(_, n)| n).collect(),
            next,
        })
    }

    pub fn catalog(&self, actor: &Actor, who: &Who) -> Result<Catalog> {
        let dir = self.dir;
        let person = |p: &crate::store::dir::Person| PersonInfo {
            login: p.login.clone(),
            name: p.name.clone(),
            email: p.email.clone(),
        };
        let names = |l: &[Named]| l.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        let (side, company_only) = match who.kind {
            WhoKind::Resource { .. } => (Some(0), None),
            WhoKind::Taskfire { company_id } => (Some(company_id), Some(company_id)),
            WhoKind::Contact { company_id, .. } => (None, Some(company_id)),
        };
        let mut queues = Vec::new();
        if let Some(side) = side {
            let counts = self.db.open_counts(side)?;
            let unseen = match who.resource_id() {
                Some(r) => self.db.unseen_counts(r)?,
                None => HashMap::new(),
            };
            queues = dir
                .queues
                .iter()
                .filter(|q| q.side == side)
                .map(|q| QueueInfo {
                    name: q.name.clone(),
                    open: counts.get(&q.id).copied().unwrap_or(0),
                    unseen: unseen.get(&q.id).copied().unwrap_or(0),
                })
                .collect();
        }
        let visible_company = |id: i64| company_only.is_none_or(|c| c == id);
        let companies = dir
            .companies
            .iter()
            .filter(|c| visible_company(c.id))
            .map(|c| CompanyInfo {
                name: c.name.clone(),
                taskfire: c.taskfire.then(|| TaskfireDesk {
                    queues: dir
                        .queues
                        .iter()
                        .filter(|q| q.side == c.id)
                        .map(|q| q.name.clone())
                        .collect(),
                    resources: dir
                        .resources
                        .iter()
                        .filter(|r| r.company_id == Some(c.id))
                        .map(person)
                        .collect(),
                }),
            })
            .collect();
        let is_contact = matches!(who.kind, WhoKind::Contact { .. });
        let issue_types = dir
            .issue_types
            .iter()
            .filter(|i| i.company_id.is_none_or(visible_company))
            .map(|i| IssueTypeInfo {
                name: i.name.clone(),
                created_by: i
                    .company_id
                    .and_then(|c| dir.company_by_id(c))
                    .map_or_else(|| "provider".to_string(), |c| c.name.clone()),
                queue: if is_contact {
                    None
                } else {
                    i.queue_id
                        .and_then(|q| dir.queue_by_id(q))
                        .map(|q| q.name.clone())
                },
            })
            .collect();
        Ok(Catalog {
            desk_name: dir.desk_name.clone(),
            time_zone: dir.tz.name().to_string(),
            me: actor.clone(),
            queues,
            statuses: names(&dir.statuses),
            sources: names(&dir.sources),
            priorities: PRIORITIES.iter().map(|p| p.to_string()).collect(),
            work_types: if is_contact {
                Vec::new()
            } else {
                names(&dir.work_types)
            },
            resources: if is_contact {
                Vec::new()
            } else {
                dir.resources
                    .iter()
                    .filter(|r| r.company_id == side.filter(|s| *s != 0))
                    .map(person)
                    .collect()
            },
            contacts: if is_contact {
                Vec::new()
            } else {
                dir.contacts
                    .iter()
                    .filter(|c| c.company_id.is_some_and(visible_company))
                    .map(person)
                    .collect()
            },
            companies,
            issue_types,
        })
    }
}

/// A contact's company and portal level; anyone else, or a contact without portal access
/// (R6, level none), is refused.
pub(crate) fn portal_contact(who: &Who) -> Result<(i64, PortalLevel)> {
    let WhoKind::Contact { company_id, level } = who.kind else {
        return Err(Error::NotAllowed(format!(
            "{} is not a portal contact",
            who.login
        )));
    };
    if level == PortalLevel::None {
        return Err(Error::NotAllowed(format!(
            "portal access is disabled for {}",
            who.login
        )));
    }
    Ok((company_id, level))
}
