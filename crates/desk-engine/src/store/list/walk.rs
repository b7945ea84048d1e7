//! How a page reads one part of its order (docs/lists.md, "Searching"). Without a search,
//! or where the store's planner chooses, one statement reads the part from the cursor
//! in the sort's index. A search on a store that walks in windows
//! (`Store::search_in_windows`) does not gather every match first: it reads the next
//! rows of the part in order without the search (a window: only their ids and keys),
//! then asks the search index about those rows' id range alone, and keeps the matches,
//! window after window, until the page is full. A window whose ids are spread too far
//! for a range (a title order) keeps those of its rows that are among the search's
//! matches, their ids read once (`Store::search_ids`). A search that finds few tickets,
//! too many to hold, or a walk that meets too few matches gathers instead
//! (`SearchWalk`). Every way reads the same rows in the same order.

use super::cursor::Key;
use super::{Conds, Part};
use crate::engine::read::R;
use crate::error::{Error, Result};
use crate::model::{Sort, SortField};
use crate::store::search::{Query, SearchWalk, WalkWhen};
use crate::store::sql::{SqlRow, Store, Value};
use crate::store::tickets::{COL_COUNT, COLS, Row};

/// A row's place in a part's order: its key and id.
pub(super) type At = (Key, i64);

/// The order of a page: its direction and how titles compare.
pub(super) struct Order {
    pub(super) sort: Sort,
    dir: &'static str,
    collate: &'static str,
    value: String,
    /// The index a page without a search is told to read (` INDEXED BY ...` or empty).
    pub(super) index: String,
}

impl Order {
    pub(super) fn new(db: &dyn Store, sort: Sort) -> Order {
        let (collate, value) = if sort.field == SortField::Title {
            db.nocase()
        } else {
            ("", "?".to_string())
        };
        Order {
            sort,
            dir: if sort.descending { "DESC" } else { "ASC" },
            collate,
            value,
            index: String::new(),
        }
    }

    /// ` AND` the rows after `at` (`upto`: up to and with it) in this order.
    pub(super) fn bound(
        &self,
        part: &Part,
        at: &At,
        upto: bool,
        wh: &mut String,
        args: &mut Vec<Value>,
    ) -> Result<()> {
        let cmp = match (self.sort.descending, upto) {
            (true, false) => "<",
            (false, false) => ">",
            (true, true) => ">=",
            (false, true) => "<=",
        };
        let (collate, value) = (self.collate, &self.value);
        match (part.key, &at.0) {
            (Some(k), Key::Int(v)) => {
                wh.push_str(&format!(" AND ({k}, t.id) {cmp} (?, ?)"));
                args.extend([Value::Int(*v), Value::Int(at.1)]);
            }
            (Some(k), Key::Text(v)) => {
                wh.push_str(&format!(" AND ({k}, t.id) {cmp} ({value}{collate}, ?)"));
                args.extend([Value::Text(v.clone()), Value::Int(at.1)]);
            }
            (None, Key::None) => {
                wh.push_str(&format!(" AND t.id {cmp} ?"));
                args.push(Value::Int(at.1));
            }
            _ => {
                return Err(Error::invalid(
                    "after",
                    "this cursor does not fit its list; start again without --after (after=)",
                ));
            }
        }
        Ok(())
    }

    /// `, key` to select and the ORDER BY of a part.
    pub(super) fn select_and_order(&self, part: &Part) -> (String, String) {
        let dir = self.dir;
        match part.key {
            Some(k) => (
                format!(", {k}"),
                format!("{k}{} {dir}, t.id {dir}", self.collate),
            ),
            None => (String::new(), format!("t.id {dir}")),
        }
    }

    /// The sort key of a row read with `select_and_order`'s key at column `i`.
    pub(super) fn key(&self, part: &Part, r: &dyn SqlRow, i: usize) -> Result<Key> {
        Ok(match part.key {
            None => Key::None,
            Some(_) if self.sort.field == SortField::Title => Key::Text(r.text(i)?),
            Some(_) => Key::Int(r.int(i)?),
        })
    }
}

/// A walk that holds its search's matches gathers instead once it has read more rows
/// than one for every this many matches (plus four pages). On the 1M demo desk a word
/// spread over the title order filled a page within a few thousand rows, while a word
/// that titles begin with ("printer", one ticket in sixteen) lies in one stretch far
/// down it: walking towards it only adds to the gather it comes to (BENCHMARKS.md,
/// "Search by title").
const MATCHES_PER_ROW_READ: usize = 4;

/// A walk's hold on its search's matches (`Store::search_ids`).
enum Matched {
    /// Not asked for yet: every window so far could ask the search about its id range.
    NotRead,
    /// More than a walk holds (`SearchWalk::max_matches`), or the store cannot list them.
    TooMany,
    /// Their ids, ascending.
    Held(Vec<i64>),
}

/// Which of the search a statement asks.
#[derive(Debug, Clone, Copy)]
pub(super) enum Search<'a> {
    /// None of it: a window's rows.
    Not,
    /// All of it.
    All,
    /// Only of tickets with ids in this range.
    Ids(i64, i64),
    /// None of it: these tickets are known to match (`Store::search_ids`).
    Among(&'a [i64]),
}

/// The stretch of a part a statement reads.
pub(super) struct Span<'a> {
    pub after: Option<&'a At>,
    pub upto: Option<&'a At>,
    pub search: Search<'a>,
}

impl R<'_> {
    /// Whether this page's search walks in windows: the store does, the walk is on, and
    /// the search finds more tickets than a gather would cheaply collect.
    pub(super) fn walks_in_windows(&self, c: &Conds, limit: usize) -> Result<bool> {
        let w = self.walk;
        let Some(q) = &c.search else {
            return Ok(false);
        };
        let walks = match w.when {
            WalkWhen::Never => false,
            WalkWhen::WhereStoreWalks => self.db.search_in_windows(),
            WalkWhen::Always => true,
        };
        if !walks {
            return Ok(false);
        }
        if !w.first_look {
            return Ok(true);
        }
        let few = self.few_matches(limit)?;
        Ok(self
            .db
            .search_matches_upto(q, few)?
            .is_none_or(|n| n >= few))
    }

    /// How many matches a page of `limit` gathers rather than walks towards: gathering
    /// m matches costs m; walking costs the page times tickets / m rows, equal at
    /// m = sqrt(page * tickets).
    pub(super) fn few_matches(&self, limit: usize) -> Result<u64> {
        let tickets = self
            .db
            .int("SELECT coalesce(max(id), 0) FROM tickets", &[])?;
        let page = limit as u64 + 1;
        Ok((page * u64::try_from(tickets).unwrap_or(0))
            .isqrt()
            .max(4 * page))
    }

    /// The WHERE of `span` of `part`, with its arguments.
    fn part_where(
        &self,
        c: &Conds,
        order: &Order,
        part: &Part,
        span: &Span,
    ) -> Result<(String, Vec<Value>)> {
        let (mut wh, mut args) = match span.search {
            Search::Not => (c.sql(), c.args.clone()),
            Search::All => c.with_search(self.db, None),
            Search::Ids(lo, hi) => c.with_search(self.db, Some((lo, hi))),
            Search::Among(ids) => {
                let marks = vec!["?"; ids.len()].join(", ");
                let mut args = c.args.clone();
                args.extend(ids.iter().map(|&id| Value::Int(id)));
                (format!("{} AND t.id IN ({marks})", c.sql()), args)
            }
        };
        if let Some(cond) = &part.cond {
            wh.push_str(" AND ");
            wh.push_str(cond);
        }
        if let Some(at) = span.after {
            order.bound(part, at, false, &mut wh, &mut args)?;
        }
        if let Some(at) = span.upto {
            order.bound(part, at, true, &mut wh, &mut args)?;
        }
        Ok((wh, args))
    }

    /// Up to `need` tickets of `span` of `part`, in order, each with its sort key.
    pub(super) fn part_rows(
        &self,
        c: &Conds,
        order: &Order,
        part: &Part,
        span: &Span,
        need: usize,
    ) -> Result<Vec<(Row, Key)>> {
        let (wh, args) = self.part_where(c, order, part, span)?;
        let (select_key, by) = order.select_and_order(part);
        let cols = format!("{COLS}{select_key}");
        let sql = match span.search {
            Search::All if c.search.is_some() => {
                // Its row and every sort key (`number_key` is not in the row).
                let row = format!("{COLS}, t.number_key");
                self.db.gather_sql(&cols, &row, &wh, &by, need)
            }
            _ => format!(
                "SELECT {cols} FROM tickets t{} WHERE {wh} ORDER BY {by} LIMIT {need}",
                order.index
            ),
        };
        self.db.all(&sql, &args, |r| {
            Ok((Row::read(r)?, order.key(part, r, COL_COUNT)?))
        })
    }

    /// The next `size` rows of `part` after `after`, without the search: ids and keys.
    fn window(
        &self,
        c: &Conds,
        order: &Order,
        part: &Part,
        after: Option<&At>,
        size: usize,
    ) -> Result<Vec<At>> {
        let span = Span {
            after,
            upto: None,
            search: Search::Not,
        };
        let (wh, args) = self.part_where(c, order, part, &span)?;
        let (select_key, by) = order.select_and_order(part);
        let sql =
            format!("SELECT t.id{select_key} FROM tickets t WHERE {wh} ORDER BY {by} LIMIT {size}");
        self.db
            .all(&sql, &args, |r| Ok((order.key(part, r, 1)?, r.int(0)?)))
    }

    /// Up to `need` matches of `q` (`c`'s search) in `part` after `after`, window by
    /// window.
    pub(super) fn walk_part(
        &self,
        c: &Conds,
        q: &Query,
        order: &Order,
        part: &Part,
        after: Option<At>,
        need: usize,
    ) -> Result<Vec<(Row, Key)>> {
        let w: SearchWalk = self.walk;
        let mut out = Vec::new();
        let mut after = after;
        let mut size = w.window.saturating_mul(need).clamp(1, w.max_window.max(1));
        let mut read = 0usize;
        // The search's matches, read once a window's ids spread too wide to ask the
        // search index about their range.
        let mut matched = Matched::NotRead;
        let gather = |after: Option<&At>, need: usize| {
            let span = Span {
                after,
                upto: None,
                search: Search::All,
            };
            self.part_rows(c, order, part, &span, need)
        };
        loop {
            let win = self.window(c, order, part, after.as_ref(), size)?;
            let (Some(last), Some(lo), Some(hi)) = (
                win.last(),
                win.iter().map(|a| a.1).min(),
                win.iter().map(|a| a.1).max(),
            ) else {
                break;
            };
            let rows = i64::try_from(win.len()).unwrap_or(i64::MAX);
            let span = Span {
                after: after.as_ref(),
                upto: Some(last),
                search: Search::Ids(lo, hi),
            };
            if (hi - lo) / rows < w.spread {
                out.extend(self.part_rows(c, order, part, &span, need - out.len())?);
            } else {
                // An order unrelated to ids (titles): the window's own ids that match.
                if matches!(matched, Matched::NotRead) {
                    matched = match self.db.search_ids(q, w.max_matches)? {
                        Some(ids) => Matched::Held(ids),
                        None => Matched::TooMany,
                    };
                }
                let Matched::Held(all) = &matched else {
                    out.extend(gather(after.as_ref(), need - out.len())?);
                    break;
                };
                let ids: Vec<i64> = win
                    .iter()
                    .map(|a| a.1)
                    .filter(|id| all.binary_search(id).is_ok())
                    .take(need - out.len())
                    .collect();
                if !ids.is_empty() {
                    let span = Span {
                        search: Search::Among(&ids),
                        ..span
                    };
                    out.extend(self.part_rows(c, order, part, &span, need - out.len())?);
                }
            }
            read += win.len();
            if out.len() >= need || win.len() < size {
                break;
            }
            after = Some(last.clone());
            // The rows still to read at the rate met so far, against the budget. With
            // the matches held that rate misleads: a title order groups alike titles,
            // so a word in some of them is met in runs, and the windows between runs
            // meet none. There the walk goes on for a share of the matches' count.
            let expect = (need - out.len()).saturating_mul(read) / out.len().max(1);
            let give_up = match &matched {
                Matched::Held(all) => {
                    let rows = all.len() / MATCHES_PER_ROW_READ + need.saturating_mul(4);
                    read > rows.min(w.budget)
                }
                _ => expect > w.budget,
            };
            if give_up {
                out.extend(gather(after.as_ref(), need - out.len())?);
                break;
            }
            size = size.saturating_mul(2).min(w.max_window.max(1));
        }
        Ok(out)
    }
}
