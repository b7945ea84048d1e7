//! Ticket lists over the whole query: the filter as SQL conditions, sorting with keyset
//! paging, and counts (docs/lists.md). A page walks one index in the sort's order from
//! where the cursor points, so page 10,000 costs what page 1 costs.

mod cursor;
mod titles;
mod walk;

use super::search::Query;
use super::sql::{Store, Value, marks};
use super::tickets::Row;
use crate::domain::time::start_of_day;
use crate::domain::visibility::series_horizon;
use crate::engine::Who;
use crate::engine::read::{Audience, R, priority_value};
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::to_ms;
use cursor::{Cursor, Key, Seg};
use walk::{Order, Search, Span};

/// The index of a company's open tickets newest first (docs/lists.md, "A company's open
/// tickets").
const COMPANY_OPEN: &str = "tickets_company_open_by_created";

/// SQL conditions on the tickets table `t`, with their arguments, joined by AND.
#[derive(Debug, Default, Clone)]
pub(crate) struct Conds {
    parts: Vec<String>,
    args: Vec<Value>,
    /// `t.closed = 0` or `= 1` when the conditions imply it: written as a literal, so
    /// that SQLite may use the indexes of open tickets.
    closed: Option<bool>,
    /// The words searched for, if any: a page decides how to meet them (`walk.rs`).
    search: Option<Query>,
    /// The desk whose tickets these are (`t.side = side` is among the conditions).
    side: Option<i64>,
}

impl Conds {
    fn add(&mut self, sql: impl Into<String>, args: impl IntoIterator<Item = Value>) {
        self.parts.push(sql.into());
        self.args.extend(args);
    }

    fn closed(&mut self, closed: bool) -> Result<()> {
        match self.closed {
            Some(c) if c != closed => {
                // Contradictory (open only, and only closed statuses): nothing matches.
                self.parts.push("1 = 0".into());
            }
            _ => self.closed = Some(closed),
        }
        Ok(())
    }

    /// `col` is one of `any` (when given) and none of `none`; `nullable` columns without
    /// a value pass a `none` condition.
    fn ids(&mut self, col: &str, any: &[i64], none: &[i64], nullable: bool) {
        let ints = |v: &[i64]| v.iter().map(|i| Value::Int(*i)).collect::<Vec<_>>();
        match any {
            [] => {}
            [one] => self.add(format!("{col} = ?"), [Value::Int(*one)]),
            many => self.add(format!("{col} IN ({})", marks(many.len())), ints(many)),
        }
        if !none.is_empty() {
            let not = format!("{col} NOT IN ({})", marks(none.len()));
            let sql = if nullable {
                format!("({col} IS NULL OR {not})")
            } else {
                not
            };
            self.add(sql, ints(none));
        }
    }

    /// The conditions with the search (if any) asked of tickets with ids in `ids` (or
    /// of all), with their arguments.
    fn with_search(&self, db: &dyn Store, ids: Option<(i64, i64)>) -> (String, Vec<Value>) {
        let mut sql = self.sql();
        let mut args = self.args.clone();
        if let Some(q) = &self.search {
            let (cond, more) = db.search_condition(q, ids);
            sql.push_str(" AND ");
            sql.push_str(&cond);
            args.extend(more);
        }
        (sql, args)
    }

    /// The conditions without the search.
    fn sql(&self) -> String {
        let mut all: Vec<&str> = self.parts.iter().map(String::as_str).collect();
        match self.closed {
            Some(false) => all.push("t.closed = 0"),
            Some(true) => all.push("t.closed = 1"),
            None => {}
        }
        if all.is_empty() {
            "1 = 1".into()
        } else {
            all.join(" AND ")
        }
    }
}

/// Names of a field resolved to ids, each error naming the field and the value.
fn resolve<'a, T>(
    m: &'a Match<T>,
    f: impl Fn(&'a T) -> Result<i64>,
) -> Result<(Vec<i64>, Vec<i64>)> {
    let any = m.any_of.iter().map(&f).collect::<Result<_>>()?;
    let none = m.none_of.iter().map(&f).collect::<Result<_>>()?;
    Ok((any, none))
}

/// A part of the order (see `cursor::Seg`): the condition that selects its rows and the
/// key that orders them (with the id); `None`: by id alone.
struct Part {
    seg: Seg,
    cond: Option<String>,
    key: Option<&'static str>,
}

/// The SQL of a sort key, and whether it compares ignoring case.
/// `title`: how this store orders titles ignoring case (`Store::nocase_title`).
fn key_sql(field: SortField, title: &'static str) -> Option<&'static str> {
    Some(match field {
        SortField::Number => "t.number_key",
        SortField::Due => "t.due_at",
        SortField::Priority => "t.priority",
        SortField::Created => "t.created_at",
        SortField::Updated => "t.updated_at",
        SortField::Title => title,
        SortField::Status | SortField::Company => return None,
    })
}

impl R<'_> {
    /// The filter as conditions on tickets of desk `side`.
    pub(crate) fn conditions(&self, who: &Who, side: i64, f: &TicketFilter) -> Result<Conds> {
        let dir = self.dir;
        let mut c = Conds::default();
        c.add("t.side = ?", [Value::Int(side)]);
        c.side = Some(side);
        let (any, none) = resolve(&f.queue, |q| Ok(dir.queue(side, q)?.id))?;
        c.ids("t.queue_id", &any, &none, false);
        let (any, none) = resolve(&f.source, |s| Ok(dir.source(s)?.id))?;
        c.ids("t.source_id", &any, &none, false);
        let (any, none) = resolve(&f.status, |s| Ok(dir.status(s)?.id))?;
        c.ids("t.status_id", &any, &none, false);
        // Statuses decide whether a ticket is closed: say so, for the open indexes.
        if !any.is_empty() {
            let closed: Vec<bool> = any.iter().map(|s| dir.status_closed(*s)).collect();
            if closed.iter().all(|c| !c) {
                c.closed(false)?;
            } else if closed.iter().all(|c| *c) {
                c.closed(true)?;
            }
        }
        let (any, none) = resolve(&f.priority, |p| priority_value(p))?;
        c.ids("t.priority", &any, &none, false);
        let (any, none) = resolve(&f.company, |n| Ok(dir.company(n)?.id))?;
        c.ids("t.company_id", &any, &none, true);
        let login = |l: &str| -> Result<i64> {
            Ok(if side == 0 {
                dir.provider_resource(l)?.id
            } else {
                dir.taskfire_resource(side, l)?.id
            })
        };
        let logins = |v: &[Assignee]| -> Result<Vec<i64>> {
            v.iter()
                .filter_map(|a| match a {
                    Assignee::Login(l) => Some(login(l)),
                    Assignee::Nobody => None,
                })
                .collect()
        };
        let nobody = |v: &[Assignee]| v.contains(&Assignee::Nobody);
        let (any, none) = (logins(&f.assigned.any_of)?, logins(&f.assigned.none_of)?);
        if nobody(&f.assigned.any_of) {
            let mut sql = String::from("(t.assigned_id IS NULL");
            if !any.is_empty() {
                sql.push_str(&format!(" OR t.assigned_id IN ({})", marks(any.len())));
            }
            sql.push(')');
            c.add(sql, any.iter().map(|i| Value::Int(*i)));
        } else {
            c.ids("t.assigned_id", &any, &[], true);
        }
        if nobody(&f.assigned.none_of) {
            c.add("t.assigned_id IS NOT NULL", []);
        }
        c.ids("t.assigned_id", &[], &none, true);
        if f.open_only {
            c.closed(false)?;
        }
        if let Some(d) = f.due_before {
            c.add("t.due_at < ?", [Value::Int(to_ms(d))]);
        }
        if let Some(d) = f.due_after {
            c.add("t.due_at >= ?", [Value::Int(to_ms(d))]);
        }
        if f.unseen_only {
            // Only open tickets are in an inbox; a contact has none.
            c.closed(false)?;
            let r = who.resource_id().ok_or_else(|| {
                Error::NotAllowed(format!(
                    "{} has no inbox: it is the desk staff's",
                    who.login
                ))
            })?;
            c.add(
                "EXISTS (SELECT 1 FROM unseen u WHERE u.ticket_id = t.id AND u.resource_id = ?)",
                [Value::Int(r)],
            );
        }
        if let Some(text) = &f.search {
            c.search = Some(self.db.search_query(self.words, text, Audience::Staff)?);
        }
        Ok(c)
    }

    /// The parts of `sort`'s order, in order, leaving out those the filter excludes.
    fn parts(&self, sort: Sort, f: &TicketFilter, c: &Conds) -> Result<Vec<Part>> {
        let dir = self.dir;
        let by_name = |mut v: Vec<(String, i64)>| {
            v.sort_by(|a, b| {
                a.0.to_lowercase()
                    .cmp(&b.0.to_lowercase())
                    .then(a.1.cmp(&b.1))
            });
            if sort.descending {
                v.reverse();
            }
            v.into_iter()
                .map(|(_, id)| Part {
                    seg: Seg::Value(id),
                    cond: None,
                    key: None,
                })
                .collect::<Vec<_>>()
        };
        // Values the filter excludes make no part (a company sort need not ask hundreds
        // of companies that cannot match).
        let (status_any, status_none) = resolve(&f.status, |s| Ok(dir.status(s)?.id))?;
        let (company_any, company_none) = resolve(&f.company, |n| Ok(dir.company(n)?.id))?;
        let allowed = |id: i64, any: &[i64], none: &[i64]| {
            (any.is_empty() || any.contains(&id)) && !none.contains(&id)
        };
        let mut parts = match sort.field {
            SortField::Status => {
                let wanted = |id: i64| {
                    allowed(id, &status_any, &status_none)
                        && c.closed
                            .is_none_or(|closed| dir.status_closed(id) == closed)
                };
                by_name(
                    dir.statuses
                        .iter()
                        .filter(|s| wanted(s.id))
                        .map(|s| (s.name.clone(), s.id))
                        .collect(),
                )
            }
            SortField::Company => {
                let mut v = by_name(
                    dir.companies
                        .iter()
                        .filter(|co| allowed(co.id, &company_any, &company_none))
                        .map(|co| (co.name.clone(), co.id))
                        .collect(),
                );
                if f.company.any_of.is_empty() {
                    v.push(Part {
                        seg: Seg::Null,
                        cond: Some("t.company_id IS NULL".into()),
                        key: None,
                    });
                }
                v
            }
            SortField::Due => vec![
                Part {
                    seg: Seg::Main,
                    cond: Some("t.due_at IS NOT NULL".into()),
                    key: key_sql(sort.field, self.db.nocase_title()),
                },
                Part {
                    seg: Seg::Null,
                    cond: Some("t.due_at IS NULL".into()),
                    key: None,
                },
            ],
            field => vec![Part {
                seg: Seg::Main,
                cond: None,
                key: key_sql(field, self.db.nocase_title()),
            }],
        };
        for p in &mut parts {
            if let Seg::Value(id) = p.seg {
                let col = match sort.field {
                    SortField::Status => "t.status_id",
                    _ => "t.company_id",
                };
                p.cond = Some(format!("{col} = {id}"));
            }
        }
        Ok(parts)
    }

    /// One page of tickets matching `c`, in `page`'s order (or the cursor's).
    pub(crate) fn page(
        &self,
        c: Conds,
        f: &TicketFilter,
        page: &PageRequest,
        audience: Audience,
        known: &mut dyn FnMut(&ViewStamp) -> bool,
    ) -> Result<Page<Shown>> {
        let limit = page.limit.clamp(1, MAX_PAGE) as usize;
        let cursor = page.after.as_deref().map(Cursor::decode).transpose()?;
        let sort = match (&cursor, page.sort) {
            (Some(cur), Some(s)) if cur.sort != s => {
                return Err(Error::invalid(
                    "after",
                    format!(
                        "this cursor continues a list sorted by {}, not by {s}; start the list sorted by {s} without --after (after=)",
                        cur.sort
                    ),
                ));
            }
            (Some(cur), _) => cur.sort,
            (None, s) => s.unwrap_or_default(),
        };
        let parts = self.parts(sort, f, &c)?;
        let start = match &cursor {
            None => 0,
            Some(cur) => parts.iter().position(|p| p.seg == cur.seg).ok_or_else(|| {
                Error::invalid(
                    "after",
                    "this cursor is from a list with another filter; start again without --after (after=)",
                )
            })?,
        };
        let mut order = Order::new(self.db, sort);
        // One company's open tickets by creation walk their own index in order; named,
        // as SQLite may otherwise sort every open ticket of a priority or status.
        if sort.field == SortField::Created
            && f.company.any_of.len() == 1
            && c.closed == Some(false)
            && f.search.is_none()
        {
            order.index = self.db.indexed_by(COMPANY_OPEN);
        }
        let windows = self.walks_in_windows(&c, limit)?;
        let mut found: Vec<(Row, Seg, Key)> = Vec::new();
        for (i, part) in parts.iter().enumerate().skip(start) {
            let need = limit + 1 - found.len();
            let after = match (&cursor, i == start) {
                (Some(cur), true) => Some((cur.key.clone(), cur.id)),
                _ => None,
            };
            let rows = if let Some(q) = c.search.as_ref().filter(|_| windows) {
                self.search_part(&c, q, &order, part, after, need, limit)?
            } else {
                let span = Span {
                    after: after.as_ref(),
                    upto: None,
                    search: Search::All,
                };
                self.part_rows(&c, &order, part, &span, need)?
            };
            for (row, key) in rows {
                found.push((row, part.seg, key));
            }
            if found.len() > limit {
                break;
            }
        }
        let next = if found.len() > limit {
            found.truncate(limit);
            found.last().map(|(row, seg, key)| {
                Cursor {
                    sort,
                    seg: *seg,
                    key: key.clone(),
                    id: row.id,
                }
                .encode()
            })
        } else {
            None
        };
        let rows = found.into_iter().map(|(r, _, _)| r).collect();
        let items = self.views_known(rows, audience, known)?;
        Ok(Page { items, next })
    }

    /// R2 and friends: a staff member's list of their desk, filtered and sorted.
    /// Views the reader holds already (`known`) come back as their stamps alone.
    pub fn list(
        &self,
        who: &Who,
        f: &TicketFilter,
        page: &PageRequest,
        known: &mut dyn FnMut(&ViewStamp) -> bool,
    ) -> Result<Page<Shown>> {
        let side = who.side()?;
        let c = self.conditions(who, side, f)?;
        self.page(c, f, page, Audience::Staff, known)
    }

    /// How many tickets the whole query matches. The counts the TUI shows all the time
    /// (open tickets of queues, the inbox) are kept by the store; the others read one
    /// index that holds every filtered column.
    pub fn count(&self, who: &Who, f: &TicketFilter) -> Result<u64> {
        let side = who.side()?;
        let c = self.conditions(who, side, f)?;
        let queues_only = TicketFilter {
            queue: f.queue.clone(),
            open_only: f.open_only,
            unseen_only: f.unseen_only,
            ..TicketFilter::default()
        };
        if *f == queues_only && (f.open_only || f.unseen_only) {
            let counts = match who.resource_id().filter(|_| f.unseen_only) {
                Some(r) => self.db.unseen_counts(r)?,
                None => self.db.open_counts(side)?,
            };
            let (any, none) = resolve(&f.queue, |q| Ok(self.dir.queue(side, q)?.id))?;
            return Ok(self
                .dir
                .queues
                .iter()
                .filter(|q| q.side == side)
                .filter(|q| any.is_empty() || any.contains(&q.id))
                .filter(|q| !none.contains(&q.id))
                .map(|q| counts.get(&q.id).copied().unwrap_or(0))
                .sum());
        }
        // A search drives from its full-text matches; the open tickets of companies count
        // over their own index (docs/lists.md, "A company's open tickets"); anything else
        // over the index of every filtered column.
        let index = if f.search.is_some() {
            String::new()
        } else if !f.company.any_of.is_empty() && c.closed == Some(false) {
            self.db.indexed_by(COMPANY_OPEN)
        } else {
            self.db.indexed_by("tickets_count")
        };
        let (wh, args) = c.with_search(self.db, None);
        let sql = format!("SELECT count(*) FROM tickets t{index} WHERE {wh}");
        let n = self.db.int(&sql, &args)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// R6: exactly the tickets the portal shows this contact, then `f`; newest first.
    pub fn portal_list(
        &self,
        who: &Who,
        f: &PortalFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let (company_id, level) = crate::engine::read::portal_contact(who)?;
        let mut c = Conds::default();
        c.add("t.side = 0 AND t.company_id = ?", [Value::Int(company_id)]);
        c.side = Some(0);
        if level == PortalLevel::Basic {
            c.add(
                "(t.contact_id = ? OR (t.creator_kind = 'contact' AND t.creator_id = ?))",
                [Value::Int(who.id), Value::Int(who.id)],
            );
        }
        if let Some(from) = self.dir.show_from {
            c.add(
                "t.created_at >= ?",
                [Value::Int(to_ms(start_of_day(from, self.dir.tz)))],
            );
        }
        c.add(
            "(t.series_id IS NULL OR t.due_at IS NULL OR t.due_at <= ?)",
            [Value::Int(to_ms(series_horizon(self.now)))],
        );
        match f.state {
            PortalState::Open => c.closed(false)?,
            PortalState::Closed => c.closed(true)?,
            PortalState::All => {}
        }
        if let Some(text) = f.search.as_deref().filter(|t| !t.trim().is_empty()) {
            c.search = Some(self.db.search_query(self.words, text, Audience::Portal)?);
        }
        let p = self.page(
            c,
            &TicketFilter::default(),
            page,
            Audience::Portal,
            &mut |_| false,
        )?;
        Ok(built(p))
    }
}

/// A page of which every view was built (its reader said it knew none).
pub(crate) fn built(p: Page<Shown>) -> Page<Ticket> {
    Page {
        items: built_items(p.items),
        next: p.next,
    }
}

/// The views of `items`, every one of which was built (`built`).
pub(crate) fn built_items(items: Vec<Shown>) -> Vec<Ticket> {
    items
        .into_iter()
        .filter_map(|s| match s {
            Shown::Built(_, t) => Some(*t),
            Shown::Known(_) => None,
        })
        .collect()
}
