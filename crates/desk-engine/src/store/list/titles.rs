//! A title-sorted search page from the title words (docs/lists.md, "Searching by
//! title"), where the store keeps them (`Store::keeps_title_words`). A word that titles
//! begin with lies in one stretch of the title order, far from its start: walking the
//! order towards it reads rows that cannot match. Instead the page takes one word of the
//! search (the first whole one, else the terms the last one begins) and splits the
//! matches in two: those whose titles hold it, read in title order from `title_words`
//! from the cursor on, and the others, a search that leaves them out
//! (`Query::not_in_title`) met as any search is (`walk.rs`). Each gives its first rows
//! after the cursor; the page is the first of both merged, so it is the page gathering
//! gives.

use std::collections::HashMap;

use super::cursor::Key;
use super::walk::{At, Order, Search, Span};
use super::{Conds, Part};
use crate::engine::read::R;
use crate::error::Result;
use crate::model::SortField;
use crate::store::search::Query;
use crate::store::sql::{Value, marks};
use crate::store::tickets::{COL_COUNT, COLS, Row};
use crate::store::titles::title_cmp;

/// The most title words one window reads: its tickets are asked for in one statement.
const MAX_TITLE_WINDOW: usize = 4096;

/// The most matches of the others a page asks for by their ids, in one statement (well
/// under SQLite's 32,766 arguments).
const MAX_AMONG: usize = 16_384;

impl R<'_> {
    /// Up to `need` matches of `q` (`c`'s search) in `part` after `after`, in order:
    /// from the title words where this page can, else walked.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn search_part(
        &self,
        c: &Conds,
        q: &Query,
        order: &Order,
        part: &Part,
        after: Option<At>,
        need: usize,
        limit: usize,
    ) -> Result<Vec<(Row, Key)>> {
        if let Some(terms) = self.title_terms(c, q, order) {
            let page = self.title_part(c, q, &terms, order, part, after.as_ref(), need, limit)?;
            if let Some(rows) = page {
                return Ok(rows);
            }
        }
        self.walk_part(c, q, order, part, after, need)
    }

    /// The terms whose title words a title-sorted page of `q` reads, if it reads any.
    fn title_terms(&self, c: &Conds, q: &Query, order: &Order) -> Option<Vec<String>> {
        if order.sort.field != SortField::Title
            || !self.walk.title_words
            || !self.db.keeps_title_words()
            || c.side.is_none()
        {
            return None;
        }
        match q.whole.first() {
            Some(t) => Some(vec![t.clone()]),
            // None: too many terms begin with the prefix, or none does.
            None => q.prefix_terms.clone(),
        }
    }

    /// The page's rows from the matches whose titles hold one of `terms` and from the
    /// others; `None` when the first are too rare among those title words (a filter
    /// that leaves few tickets): then the order is walked instead.
    #[allow(clippy::too_many_arguments)]
    fn title_part(
        &self,
        c: &Conds,
        q: &Query,
        terms: &[String],
        order: &Order,
        part: &Part,
        after: Option<&At>,
        need: usize,
        limit: usize,
    ) -> Result<Option<Vec<(Row, Key)>>> {
        // The terms some title holds: with none, the page is the walk's.
        let mut in_titles = Vec::new();
        for term in terms {
            if self
                .db
                .opt(
                    "SELECT 1 FROM title_words WHERE side = ?1 AND term = ?2 LIMIT 1",
                    &[
                        Value::Int(c.side.unwrap_or_default()),
                        Value::Text(term.clone()),
                    ],
                    |r| r.int(0),
                )?
                .is_some()
            {
                in_titles.push(term.clone());
            }
        }
        if in_titles.is_empty() {
            return Ok(None);
        }
        let Some(mut rows) = self.titled(c, q, &in_titles, order, part, after, need)? else {
            return Ok(None);
        };
        let rest_q = Query {
            not_in_title: in_titles.clone(),
            ..q.clone()
        };
        let rest = Conds {
            search: Some(rest_q.clone()),
            ..c.clone()
        };
        // The others are often few (a word that titles begin with is seldom anywhere
        // else): then their ids, read once from the search index, are all a page needs.
        let few = usize::try_from(self.few_matches(limit)?)
            .unwrap_or(usize::MAX)
            .min(MAX_AMONG);
        let others = match self.db.search_ids(&rest_q, few)? {
            Some(ids) if ids.is_empty() => Vec::new(),
            Some(ids) => {
                let span = Span {
                    after,
                    upto: None,
                    search: Search::Among(&ids),
                };
                self.part_rows(&rest, order, part, &span, need)?
            }
            // More than a gather would cheaply collect: walked, as the first look of
            // `walks_in_windows` would decide for them.
            None => self.walk_part(&rest, &rest_q, order, part, after.cloned(), need)?,
        };
        rows.extend(others);
        let descending = order.sort.descending;
        rows.sort_by(|a, b| {
            let o = key_cmp(&a.1, &b.1).then(a.0.id.cmp(&b.0.id));
            if descending { o.reverse() } else { o }
        });
        // A title with two of the terms ("printer", "printers") came from both.
        rows.dedup_by(|a, b| a.0.id == b.0.id);
        rows.truncate(need);
        Ok(Some(rows))
    }

    /// Up to `need` tickets of each of `terms`, after `after` in title order, whose
    /// titles hold the term and that match `c` and `q`; `None` when a term's title
    /// words meet matches too rarely for the walk's budget.
    #[allow(clippy::too_many_arguments)]
    fn titled(
        &self,
        c: &Conds,
        q: &Query,
        terms: &[String],
        order: &Order,
        part: &Part,
        after: Option<&At>,
        need: usize,
    ) -> Result<Option<Vec<(Row, Key)>>> {
        let w = self.walk;
        let side = c.side.unwrap_or_default();
        // A title that holds the term holds one word of the search: the others are
        // checked against the search's matches, held if they are not too many.
        let others = !q.whole.is_empty();
        let held = if others {
            self.db.search_ids(q, w.max_matches)?
        } else {
            None
        };
        let ask = others && held.is_none();
        let most = w.max_window.clamp(1, MAX_TITLE_WINDOW);
        let mut out = Vec::new();
        for term in terms {
            let mut at = after.cloned();
            // Every title word of the term is a candidate, only the filter passes fewer:
            // the first window is the page itself (a walk's window is `w.window` times
            // it, as matches are rarer among all tickets).
            let mut size = need.clamp(1, most);
            let (mut read, mut found) = (0usize, 0usize);
            loop {
                let win = self.title_window(side, term, order, part, at.as_ref(), size)?;
                let ids: Vec<i64> = win
                    .iter()
                    .map(|a| a.1)
                    .filter(|id| held.as_ref().is_none_or(|h| h.binary_search(id).is_ok()))
                    .collect();
                let mut rows = self.rows_among(c, part, order, &ids, ask)?;
                for (key, id) in &win {
                    let Some((row, row_key)) = rows.remove(id) else {
                        continue;
                    };
                    // Only the title these words were written for (never a stale row).
                    if matches!(key, Key::Text(t) if *t == row.title) && found < need {
                        out.push((row, row_key));
                        found += 1;
                    }
                }
                read += win.len();
                if found >= need || win.len() < size {
                    break;
                }
                at = win.last().cloned();
                let expect = (need - found).saturating_mul(read) / found.max(1);
                if expect > w.budget {
                    return Ok(None);
                }
                size = size.saturating_mul(2).min(most);
            }
        }
        Ok(Some(out))
    }

    /// The next `size` title words of `term` on desk `side` after `at`: titles and ids.
    fn title_window(
        &self,
        side: i64,
        term: &str,
        order: &Order,
        part: &Part,
        at: Option<&At>,
        size: usize,
    ) -> Result<Vec<At>> {
        // `title_words t` has the columns `t.title` and `t.id` the order names.
        let mut wh = String::from("t.side = ? AND t.term = ?");
        let mut args = vec![Value::Int(side), Value::Text(term.to_string())];
        if let Some(at) = at {
            order.bound(part, at, false, &mut wh, &mut args)?;
        }
        let (select_key, by) = order.select_and_order(part);
        let sql = format!(
            "SELECT t.id{select_key} FROM title_words t WHERE {wh} ORDER BY {by} LIMIT {size}"
        );
        self.db
            .all(&sql, &args, |r| Ok((order.key(part, r, 1)?, r.int(0)?)))
    }

    /// Those of tickets `ids` that match `c` (and its search, if `search`), by id.
    fn rows_among(
        &self,
        c: &Conds,
        part: &Part,
        order: &Order,
        ids: &[i64],
        search: bool,
    ) -> Result<HashMap<i64, (Row, Key)>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let (mut wh, mut args) = if search {
            c.with_search(self.db, None)
        } else {
            (c.sql(), c.args.clone())
        };
        if let Some(cond) = &part.cond {
            wh.push_str(" AND ");
            wh.push_str(cond);
        }
        wh.push_str(&format!(" AND t.id IN ({})", marks(ids.len())));
        args.extend(ids.iter().map(|&id| Value::Int(id)));
        let (select_key, _) = order.select_and_order(part);
        let sql = format!("SELECT {COLS}{select_key} FROM tickets t WHERE {wh}");
        let rows = self.db.all(&sql, &args, |r| {
            Ok((Row::read(r)?, order.key(part, r, COL_COUNT)?))
        })?;
        Ok(rows.into_iter().map(|(r, k)| (r.id, (r, k))).collect())
    }
}

/// Two title keys in the order titles sort (ignoring case as the store does).
fn key_cmp(a: &Key, b: &Key) -> std::cmp::Ordering {
    debug_assert!(
        matches!((a, b), (Key::Text(_), Key::Text(_))),
        "{a:?} {b:?}"
    );
    match (a, b) {
        (Key::Text(a), Key::Text(b)) => title_cmp(a, b),
        _ => std::cmp::Ordering::Equal,
    }
}
