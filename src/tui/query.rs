//! The one-line filter query (docs/tui.md, "The query"):
//! `source:"Client Portal" status:new,"in progress" -assigned:none due<7d sort:-due printer`.
//! Parsing is pure; names are matched against the catalog without regard to case (and
//! a unique start is enough), so that `status:new` finds `New`; an unknown name, or a
//! token that looks like a field but is not one, is an error that names it, never a
//! search word.

mod filter;
#[cfg(test)]
mod tests;

use chrono::{Duration, NaiveDate};
use desk_engine::model::Sort;

pub use filter::ListQuery;

/// The query syntax as help shows it: (example, meaning); an empty example is a heading.
pub const SYNTAX: &[(&str, &str)] = &[
    (
        "",
        "Fields (names match without case; a unique start is enough)",
    ),
    ("status:new", "status New"),
    ("status:new,\"in progress\"", "one of several values"),
    ("-status:complete", "not that value (any field)"),
    ("source:\"Client Portal\"", "a value with a space is quoted"),
    ("queue:\"level 1\"  company:contoso", "queue, company"),
    ("priority:high,critical", "priorities"),
    (
        "assigned:ben  assigned:me",
        "assigned to a login, or to you",
    ),
    (
        "assigned:none  -assigned:none",
        "unassigned; assigned to someone",
    ),
    ("is:all", "closed tickets too (open ones only by default)"),
    ("is:unseen", "your inbox: customer or Taskfire news"),
    ("", "Due (in your zone; tickets without one never match)"),
    (
        "due<7d  due<12h  due<2w",
        "due within that long (overdue too)",
    ),
    ("due<0h", "overdue"),
    ("due>7d", "due later than that"),
    ("due<2026-12-24  due>2026-12-01", "before / from that day"),
    ("", "Sorting (over the whole query; o and O set it)"),
    ("sort:due  sort:-due", "ascending, descending (none last)"),
    (
        "",
        "sort by number, due, priority, status, created, updated, company, title",
    ),
    ("", "Words and numbers"),
    ("printer jam", "words in the title, description or notes"),
    ("T20261129.0004", "that ticket, wherever it is"),
    (
        "",
        "Anything that looks like a field (a:b, a<b, -a:b) but is none is an error.",
    ),
];

/// A field the query filters by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QField {
    Queue,
    Source,
    Status,
    Priority,
    Company,
    Assigned,
}

impl QField {
    pub fn name(self) -> &'static str {
        match self {
            QField::Queue => "queue",
            QField::Source => "source",
            QField::Status => "status",
            QField::Priority => "priority",
            QField::Company => "company",
            QField::Assigned => "assigned",
        }
    }

    fn parse(k: &str) -> Option<QField> {
        Some(match k {
            "queue" | "q" => QField::Queue,
            "source" | "src" => QField::Source,
            "status" | "st" => QField::Status,
            "priority" | "prio" => QField::Priority,
            "company" | "co" => QField::Company,
            "assigned" | "assignee" | "as" => QField::Assigned,
            _ => return None,
        })
    }
}

/// `status:new,"in progress"` or `-status:complete`, and the bare word after it (which, if it
/// completes a name the value starts, means quotes were forgotten).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub field: QField,
    pub negated: bool,
    pub values: Vec<String>,
    pub next_word: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueBound {
    /// Within (or, for `due>`, beyond) this long from now.
    Span(Duration),
    /// Before (or, for `due>`, from) the start of this day in the viewer's zone.
    Day(NaiveDate),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
    pub due_before: Option<DueBound>,
    pub due_after: Option<DueBound>,
    /// `is:all` shows closed tickets too (open ones only by default).
    pub all: bool,
    /// `is:unseen`: the inbox.
    pub unseen: bool,
    pub sort: Option<Sort>,
    pub words: Vec<String>,
    /// A ticket number typed into the query: find that ticket wherever it is.
    pub number: Option<String>,
}

/// Splits on spaces outside quotes; a token remembers whether a quote was in it.
fn tokens(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if quoted {
        return Err("a quote is not closed".into());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

pub fn looks_like_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 14
        && (b[0] == b'T' || b[0] == b't')
        && b[1..9].iter().all(u8::is_ascii_digit)
        && b[9] == b'.'
        && s[10..].chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn parse_due(op: char, v: &str) -> Result<DueBound, String> {
    let bad = || format!("due{op}{v}: use 7d, 12h, 2w (up to 100 years) or a date YYYY-MM-DD");
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(DueBound::Day(d));
    }
    let d = desk_engine::domain::time::parse_span(v).ok_or_else(bad)?;
    Ok(DueBound::Span(d))
}

/// A token shaped like `name:`, `name<`, `name>`, `name=` (or with a leading `-`): one
/// meant as a field, whether or not it is one.
fn field_like(t: &str) -> Option<(bool, &str, char, &str)> {
    let (negated, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let i = rest.find([':', '<', '>', '='])?;
    let name = &rest[..i];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    let op = rest[i..].chars().next()?;
    Some((negated, name, op, &rest[i + 1..]))
}

const KNOWN: &str = "queue, source, status, priority, company, assigned, due< due>, is:, sort:";

impl Query {
    pub fn parse(s: &str) -> Result<Query, String> {
        let mut q = Query::default();
        let toks = tokens(s)?;
        for (i, t) in toks.iter().enumerate() {
            if looks_like_number(t) {
                q.number = Some(t.to_uppercase());
                continue;
            }
            let Some((negated, name, op, v)) = field_like(t) else {
                if t.starts_with('-') && t.len() > 1 {
                    return Err(format!(
                        "\"{t}\": only fields can be left out (-status:complete); words cannot"
                    ));
                }
                q.words.push(t.clone());
                continue;
            };
            let key = name.to_ascii_lowercase();
            let unknown = || format!("\"{t}\": unknown filter {name}{op} ({KNOWN})");
            match (key.as_str(), op) {
                ("due", '<' | '>') if !negated => {
                    let b = parse_due(op, v)?;
                    if op == '<' {
                        q.due_before = Some(b);
                    } else {
                        q.due_after = Some(b);
                    }
                }
                ("due", _) => {
                    return Err(format!(
                        "\"{t}\": due takes due<… or due>… (due<7d, due>2026-12-01)"
                    ));
                }
                ("sort", ':') if !negated => {
                    let sort = Sort::parse(v).map_err(|e| format!("\"{t}\": {e}"))?;
                    q.sort = Some(sort);
                }
                ("is", ':') if !negated => match v.to_ascii_lowercase().as_str() {
                    "all" | "closed" => q.all = true,
                    "open" => q.all = false,
                    "unseen" | "inbox" => q.unseen = true,
                    _ => return Err(format!("\"{t}\": is:all, is:open or is:unseen")),
                },
                (k, ':') => {
                    let field = QField::parse(k).ok_or_else(unknown)?;
                    let values: Vec<String> = v
                        .split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect();
                    if values.is_empty() {
                        return Err(format!("{name}: needs a value"));
                    }
                    let next_word = toks
                        .get(i + 1)
                        .filter(|n| field_like(n).is_none() && !looks_like_number(n))
                        .cloned();
                    q.terms.push(Term {
                        field,
                        negated,
                        values,
                        next_word,
                    });
                }
                (k, _) if QField::parse(k).is_some() => {
                    return Err(format!("\"{t}\": {k} takes {k}:VALUE (or -{k}:VALUE)"));
                }
                _ => return Err(unknown()),
            }
        }
        Ok(q)
    }
}

/// `query` with its `sort:` token replaced by `sort` (or added): what `o` and `O` do.
pub fn with_sort(query: &str, sort: Sort) -> String {
    let mut out: Vec<String> = tokens(query)
        .unwrap_or_default()
        .into_iter()
        .filter(|t| !t.to_ascii_lowercase().starts_with("sort:"))
        .map(|t| match t.split_once(':') {
            _ if !t.contains(' ') => t,
            Some((k, v)) => format!("{k}:\"{v}\""),
            None => format!("\"{t}\""),
        })
        .collect();
    out.push(format!("sort:{sort}"));
    out.join(" ")
}
