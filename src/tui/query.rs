//! The one-line filter query: `source:"Client Portal" status:new due<7d company:Contoso words`.
//! Parsing is pure; names are matched against the catalog without regard to case so that
//! `status:new` finds `New`, and an unknown name is an error that names it.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use desk_engine::model::{Assignee, Catalog, Match, Ticket, TicketFilter};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub queue: Option<String>,
    pub source: Option<String>,
    pub status: Option<String>,
    pub assigned: Option<String>,
    pub company: Option<String>,
    pub priority: Option<String>,
    pub due: Option<DueBound>,
    /// `is:all` shows closed tickets too (open ones only by default).
    pub all: bool,
    pub words: Vec<String>,
    /// A ticket number typed into the query: find that ticket wherever it is.
    pub number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueBound {
    Within(Duration),
    Before(NaiveDate),
}

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

fn parse_due(v: &str) -> Result<DueBound, String> {
    let bad = || format!("due<{v}: use 7d, 12h, 2w (up to 100 years) or a date YYYY-MM-DD");
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Ok(DueBound::Before(d));
    }
    let d = desk_engine::domain::time::parse_span(v).ok_or_else(bad)?;
    Ok(DueBound::Within(d))
}

impl Query {
    pub fn parse(s: &str) -> Result<Query, String> {
        let mut q = Query::default();
        for t in tokens(s)? {
            if let Some(v) = t.strip_prefix("due<") {
                q.due = Some(parse_due(v)?);
                continue;
            }
            if looks_like_number(&t) {
                q.number = Some(t.to_uppercase());
                continue;
            }
            let Some((k, v)) = t.split_once(':') else {
                q.words.push(t);
                continue;
            };
            let v = v.to_string();
            if v.is_empty() {
                return Err(format!("{k}: needs a value"));
            }
            match k.to_ascii_lowercase().as_str() {
                "queue" | "q" => q.queue = Some(v),
                "source" | "src" => q.source = Some(v),
                "status" | "st" => q.status = Some(v),
                "assigned" | "assignee" | "as" => q.assigned = Some(v),
                "company" | "co" => q.company = Some(v),
                "priority" | "prio" => q.priority = Some(v),
                "is" if v == "all" || v == "closed" => q.all = true,
                "is" if v == "open" => q.all = false,
                _ => {
                    return Err(format!(
                        "\"{t}\": unknown filter {k}: (queue, source, status, assigned, company, priority, due<, is:all)"
                    ));
                }
            }
        }
        Ok(q)
    }

    /// Builds the backend filter; `queue` is the queue pane's choice, which an explicit
    /// `queue:` in the query overrides.
    pub fn to_filter(
        &self,
        catalog: Option<&Catalog>,
        queue: Option<&str>,
        now: DateTime<Utc>,
        tz: Tz,
    ) -> Result<TicketFilter, String> {
        let pick = |what: &str,
                    v: &Option<String>,
                    names: Vec<&String>|
         -> Result<Option<String>, String> {
            let Some(v) = v else { return Ok(None) };
            if catalog.is_none() {
                return Ok(Some(v.clone()));
            }
            let lower = v.to_lowercase();
            if let Some(n) = names.iter().find(|n| n.to_lowercase() == lower) {
                return Ok(Some((*n).clone()));
            }
            let starts: Vec<&&String> = names
                .iter()
                .filter(|n| n.to_lowercase().starts_with(&lower))
                .collect();
            match starts.as_slice() {
                [one] => Ok(Some((**one).clone())),
                _ => Err(format!(
                    "{what}:{v}: no such {what} (known: {})",
                    names
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        };
        let c = catalog;
        let names = |f: fn(&Catalog) -> Vec<&String>| c.map(f).unwrap_or_default();
        let status = pick(
            "status",
            &self.status,
            names(|c| c.statuses.iter().collect()),
        )?;
        let due_before = match &self.due {
            None => None,
            Some(DueBound::Within(d)) => Some(now + *d),
            Some(DueBound::Before(day)) => day
                .and_hms_opt(0, 0, 0)
                .and_then(|t| tz.from_local_datetime(&t).earliest())
                .map(|t| t.with_timezone(&Utc)),
        };
        // One value per field, as this query language has them so far.
        let one = |v: Option<String>| v.map(Match::is).unwrap_or_default();
        let assigned = pick(
            "assigned",
            &self.assigned,
            names(|c| c.resources.iter().map(|r| &r.login).collect()),
        )?;
        Ok(TicketFilter {
            queue: one(pick(
                "queue",
                &self.queue,
                names(|c| c.queues.iter().map(|q| &q.name).collect()),
            )?
            .or_else(|| queue.map(str::to_string))),
            source: one(pick(
                "source",
                &self.source,
                names(|c| c.sources.iter().collect()),
            )?),
            open_only: !self.all && status.is_none(),
            status: one(status),
            assigned: assigned
                .map(|a| Match::is(Assignee::Login(a)))
                .unwrap_or_default(),
            company: one(pick(
                "company",
                &self.company,
                names(|c| c.companies.iter().map(|r| &r.name).collect()),
            )?),
            priority: one(pick(
                "priority",
                &self.priority,
                names(|c| c.priorities.iter().collect()),
            )?),
            search: (!self.words.is_empty()).then(|| self.words.join(" ")),
            due_before,
            ..TicketFilter::default()
        })
    }
}

impl Query {
    /// The same query applied to tickets already loaded: the portal view has no server
    /// filter (it shows exactly the portal's list), so it narrows what it has.
    pub fn matches(&self, t: &Ticket, now: DateTime<Utc>, tz: Tz) -> bool {
        let eq = |want: &Option<String>, have: Option<&str>| match want {
            None => true,
            Some(w) => have.is_some_and(|h| h.to_lowercase().starts_with(&w.to_lowercase())),
        };
        let text = format!("{} {} {}", t.number, t.title, t.description).to_lowercase();
        let due_ok = match (&self.due, t.due_at) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(DueBound::Within(d)), Some(at)) => at < now + *d,
            (Some(DueBound::Before(day)), Some(at)) => at.with_timezone(&tz).date_naive() < *day,
        };
        eq(&self.queue, Some(&t.queue))
            && eq(&self.source, Some(&t.source))
            && eq(&self.status, Some(&t.status))
            && eq(&self.assigned, t.assigned.as_deref())
            && eq(&self.company, t.company.as_deref())
            && eq(&self.priority, Some(&t.priority))
            && due_ok
            && self.words.iter().all(|w| text.contains(&w.to_lowercase()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example() {
        let q =
            Query::parse(r#"source:"Client Portal" status:new due<7d company:Contoso printer jam"#)
                .unwrap();
        assert_eq!(q.source.as_deref(), Some("Client Portal"));
        assert_eq!(q.status.as_deref(), Some("new"));
        assert_eq!(q.due, Some(DueBound::Within(Duration::days(7))));
        assert_eq!(q.company.as_deref(), Some("Contoso"));
        assert_eq!(q.words, vec!["printer", "jam"]);
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        let f = q
            .to_filter(None, Some("Level 1"), now, chrono_tz::UTC)
            .unwrap();
        assert_eq!(f.queue, Match::is("Level 1"));
        assert_eq!(f.due_before, Some(now + Duration::days(7)));
        assert_eq!(f.search.as_deref(), Some("printer jam"));
        assert!(
            !f.open_only,
            "a status filter shows that status, open or not"
        );
    }

    #[test]
    fn numbers_and_errors() {
        assert_eq!(
            Query::parse("t20261129.0004").unwrap().number.as_deref(),
            Some("T20261129.0004")
        );
        assert!(Query::parse("due<soon").unwrap_err().contains("due<soon"));
        assert!(Query::parse("due<7é").is_err());
        assert!(Query::parse("due<").is_err());
        // A span past a hundred years is refused, not added to now (which would overflow).
        assert!(Query::parse("due<20000000w").is_err());
        assert!(Query::parse("colour:red").unwrap_err().contains("colour"));
        assert!(Query::parse("source:\"Client").is_err());
        assert!(
            Query::parse("")
                .unwrap()
                .to_filter(None, None, Utc::now(), chrono_tz::UTC)
                .unwrap()
                .open_only
        );
    }
}
