//! The SQLite store's title words (docs/lists.md, "Searching by title"): for every ticket,
//! a row of `title_words` per term of its title, keyed so that the tickets whose titles
//! hold a term come in title order. A title-sorted search reads its page from there
//! (`store/list/titles.rs`) instead of walking the whole title order towards the titles
//! that hold the word. Written with the search document; filled whole after a bulk load
//! and by the step 6 -> 7.

use rusqlite::Connection;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};

use super::sql::{Store, args};
use super::words::Words;
use crate::error::Result;

/// Removes the rows written for ticket `?1`'s indexed title (exactly those: the title
/// and terms `title_indexed` holds). The delete trigger says the same for `old.id`.
const FORGET: &str =
    "DELETE FROM title_words WHERE side = (SELECT side FROM title_indexed WHERE id = ?1)
  AND term IN (SELECT value FROM json_each((SELECT terms FROM title_indexed WHERE id = ?1)))
  AND title = (SELECT title FROM title_indexed WHERE id = ?1) AND id = ?1";

const INSERT_WORD: &str =
    "INSERT OR IGNORE INTO title_words (side, term, title, id) VALUES (?1, ?2, ?3, ?4)";
const INSERT_INDEXED: &str =
    "INSERT OR REPLACE INTO title_indexed (id, side, title, terms) VALUES (?1, ?2, ?3, ?4)";

/// How titles compare where they sort ignoring case, exactly as SQLite's NOCASE does:
/// ASCII letters folded, bytes compared, up to the first NUL both share (where NOCASE
/// stops), then the shorter first.
pub(crate) fn title_cmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
        if x == 0 {
            break;
        }
    }
    a.len().cmp(&b.len())
}

fn terms_json(terms: &BTreeSet<String>) -> String {
    serde_json::to_string(terms).unwrap_or_else(|_| "[]".into())
}

/// Writes ticket `id`'s title words for `title`, unless they are written for it already.
pub(crate) fn write(db: &dyn Store, words: &Words, id: i64, title: &str) -> Result<()> {
    // The ticket's desk and the title its words were written for, in one read.
    let Some((side, indexed)) = db.opt(
        "SELECT t.side, i.title FROM tickets t LEFT JOIN title_indexed i ON i.id = t.id WHERE t.id = ?1",
        &args![id],
        |r| Ok((r.int(0)?, r.opt_text(1)?)),
    )?
    else {
        return Ok(());
    };
    if indexed.as_deref() == Some(title) {
        return Ok(());
    }
    if indexed.is_some() {
        db.execute(FORGET, &args![id])?;
    }
    let mut terms = BTreeSet::new();
    words.add_terms(title, &mut terms)?;
    for t in &terms {
        db.execute(INSERT_WORD, &args![side, t, title, id])?;
    }
    db.execute(INSERT_INDEXED, &args![id, side, title, terms_json(&terms)])?;
    Ok(())
}

/// Every ticket's title words anew, written in their own order (a million tickets'
/// rows appended to the table rather than inserted all over it).
pub(crate) fn fill(conn: &Connection, words: &Words) -> Result<()> {
    conn.execute_batch("DELETE FROM title_words; DELETE FROM title_indexed;")?;
    let mut tickets: Vec<(i64, i64, String)> = Vec::new();
    {
        let mut st = conn.prepare("SELECT id, side, title FROM tickets ORDER BY id")?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            tickets.push((r.get(0)?, r.get(1)?, r.get(2)?));
        }
    }
    // Each term once, numbered as met; each ticket's terms as those numbers, and the
    // numbers then ranked in the terms' order (a million titles' terms as strings
    // would hold most of a gigabyte).
    let mut numbers: HashMap<String, u32> = HashMap::new();
    let mut of_ticket: Vec<Vec<u32>> = Vec::with_capacity(tickets.len());
    for (_, _, title) in &tickets {
        let mut terms = BTreeSet::new();
        words.add_terms(title, &mut terms)?;
        let mut mine = Vec::with_capacity(terms.len());
        for t in terms {
            let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
            mine.push(*numbers.entry(t).or_insert(next));
        }
        of_ticket.push(mine);
    }
    let mut names: Vec<(String, u32)> = numbers.into_iter().collect();
    names.sort_unstable();
    let mut rank = vec![0u32; names.len()];
    for (r, (_, n)) in names.iter().enumerate() {
        rank[*n as usize] = u32::try_from(r).unwrap_or(u32::MAX);
    }
    // Each ticket's place in (desk, title, id) order, found once: the title words then
    // sort by numbers alone (desk, term, that place).
    let mut places: Vec<u32> = (0..u32::try_from(tickets.len()).unwrap_or(u32::MAX)).collect();
    places.sort_unstable_by(|a, b| {
        let (ta, tb) = (&tickets[*a as usize], &tickets[*b as usize]);
        ta.1.cmp(&tb.1)
            .then_with(|| title_cmp(&ta.2, &tb.2))
            .then(ta.0.cmp(&tb.0))
    });
    let mut sides: Vec<i64> = tickets.iter().map(|t| t.1).collect();
    sides.sort_unstable();
    sides.dedup();
    let side_number =
        |side: i64| u32::try_from(sides.partition_point(|s| *s < side)).unwrap_or(u32::MAX);
    let mut rows: Vec<(u32, u32, u32)> = Vec::new();
    for (place, i) in places.iter().enumerate() {
        let place = u32::try_from(place).unwrap_or(u32::MAX);
        let side = side_number(tickets[*i as usize].1);
        let terms = &mut of_ticket[*i as usize];
        for t in terms.iter_mut() {
            *t = rank[*t as usize];
        }
        rows.extend(terms.iter().map(|t| (side, *t, place)));
    }
    rows.sort_unstable();
    let term_names: Vec<&String> = names.iter().map(|(t, _)| t).collect();
    let mut insert = conn.prepare(INSERT_WORD)?;
    for (_, term, place) in rows {
        let (id, side, title) = &tickets[places[place as usize] as usize];
        insert.execute(rusqlite::params![
            side,
            term_names[term as usize],
            title,
            id
        ])?;
    }
    let mut indexed = conn.prepare(INSERT_INDEXED)?;
    for ((id, side, title), terms) in tickets.iter().zip(&of_ticket) {
        let terms: BTreeSet<String> = terms
            .iter()
            .map(|t| term_names[*t as usize].clone())
            .collect();
        indexed.execute(rusqlite::params![id, side, title, terms_json(&terms)])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn titles_compare_as_sqlite_nocase_orders_them() {
        let titles = [
            "printer",
            "Printer",
            "Printer b",
            "printer A",
            "PRINTER",
            "Zebra",
            "apple",
            "Éclair",
            "éclair",
            "zebra",
            "_x",
            "ax",
            "[x",
            "Ax",
            "print",
            "printer",
            "1 a",
            "",
            "ß",
            "Ärger",
            "a\u{0}b",
            "a\u{0}c",
            "a\u{0}z",
            "a\u{0}bb",
            "A\u{0}",
            "~",
        ];
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER, title TEXT)")
            .unwrap();
        for (i, t) in titles.iter().enumerate() {
            conn.execute("INSERT INTO t VALUES (?1, ?2)", rusqlite::params![i, t])
                .unwrap();
        }
        let by_sqlite: Vec<usize> = conn
            .prepare("SELECT n FROM t ORDER BY title COLLATE NOCASE, n")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut by_us: Vec<usize> = (0..titles.len()).collect();
        by_us.sort_by(|a, b| title_cmp(titles[*a], titles[*b]).then(a.cmp(b)));
        assert_eq!(by_us, by_sqlite);
    }
}
