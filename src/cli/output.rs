//! Printing for people (aligned tables, every time with its zone) and for scripts (`--json`).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use desk_engine::domain::text::{multi_line, one_line};
use desk_engine::model::*;
use serde::Serialize;
use std::io::Write;

use crate::api::{NotificationDto, TicketDto};
use crate::backend::{BResult, BackendError, ErrorKind};

/// Where and how a command prints: JSON or tables, times in the viewer's zone.
pub struct Out {
    pub json: bool,
    pub tz: Tz,
}

/// One JSON document on stdout, exactly as the store has it: JSON escapes control
/// characters itself, and a script must get the value that is stored.
pub fn print_json<T: Serialize>(v: &T) -> BResult<()> {
    let s = serde_json::to_string_pretty(v)
        .map_err(|e| BackendError::new(ErrorKind::Internal, e.to_string()))?;
    write_out(&s)
}

/// Text for people on stdout. Whatever a store holds (an older store, mail intake) never
/// reaches the terminal raw: each value is escaped where it is laid out (`one_line` for
/// cells), and this is the net under all of it, keeping only line breaks and tabs.
pub fn println_out(s: &str) -> BResult<()> {
    write_out(&multi_line(s))
}

/// Writes to stdout; a closed pipe (`desk ... | head`) is not an error worth a panic.
fn write_out(s: &str) -> BResult<()> {
    let mut o = std::io::stdout().lock();
    match writeln!(o, "{s}") {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(BackendError::new(
            ErrorKind::Internal,
            format!("cannot write to stdout: {e}"),
        )),
    }
}

/// `2026-11-29 09:30 CET`: an instant in a zone, naming the zone. Zones without an
/// abbreviation (chrono-tz then gives `+08`) are named by their IANA name.
pub fn when(t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    let abbr = local.format("%Z").to_string();
    if abbr.starts_with(['+', '-']) {
        format!("{} {}", local.format("%Y-%m-%d %H:%M"), tz.name())
    } else {
        format!("{} {abbr}", local.format("%Y-%m-%d %H:%M"))
    }
}

/// An event's value as a person reads it: instants (a due date) in the viewer's zone.
fn shown(v: Option<&str>, tz: Tz) -> String {
    match v {
        None => "-".into(),
        Some(v) => {
            DateTime::parse_from_rfc3339(v).map_or_else(|_| v.to_string(), |t| when(t.to_utc(), tz))
        }
    }
}

/// Renders rows as columns separated by two spaces; the last column is not padded. Each
/// cell is one line: a line break in a value is shown as `^J`, never a new row.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| one_line(c).into_owned()).collect())
        .collect();
    let width = |s: &str| s.chars().count();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let n = cells.len();
        let mut s = String::new();
        for (i, c) in cells.into_iter().enumerate() {
            s.push_str(c);
            if i + 1 < n {
                s.push_str(&" ".repeat(widths[i] - width(c) + 2));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = vec![line(header.to_vec())];
    out.extend(
        rows.iter()
            .map(|r| line(r.iter().map(String::as_str).collect())),
    );
    out.join("\n")
}

/// At most `max` characters of `s` as one line, escapes counted as they are shown.
fn clip(s: &str, max: usize) -> String {
    let s = one_line(s);
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(max - 1).collect();
        c.push('…');
        c
    }
}

/// A page that is not the last says so on stderr, with the cursor to go on from; stdout
/// keeps the page alone (with `--json`, one JSON array), so scripts read it unchanged.
fn more(shown: usize, next: Option<&str>) {
    if let Some(next) = next {
        eprintln!(
            "more: {shown} shown and more follow; continue with --after {}",
            one_line(next)
        );
    }
}

impl Out {
    pub fn ticket(&self, t: Ticket) -> BResult<()> {
        if self.json {
            return print_json(&TicketDto::from(t));
        }
        println_out(&self.detail(&t))
    }

    pub fn tickets(&self, page: Page<Ticket>) -> BResult<()> {
        more(page.items.len(), page.next.as_deref());
        if self.json {
            let list: Vec<TicketDto> = page.items.into_iter().map(TicketDto::from).collect();
            return print_json(&list);
        }
        if page.items.is_empty() {
            return println_out("no tickets");
        }
        // The inbox mark gets a column only when a row has it.
        let inbox = page.items.iter().any(|t| t.unseen);
        let rows: Vec<Vec<String>> = page
            .items
            .iter()
            .map(|t| {
                let mut row = vec![
                    format!("{}{}", t.number, if t.dates_differ() { "*" } else { "" }),
                    clip(&t.title, 40),
                    t.company.clone().unwrap_or_default(),
                    t.status.clone(),
                    t.priority.clone(),
                    t.queue.clone(),
                    t.source.clone(),
                    t.due_at.map(|d| when(d, self.tz)).unwrap_or_default(),
                ];
                if inbox {
                    row.insert(0, if t.unseen { "●" } else { "" }.to_string());
                }
                row
            })
            .collect();
        let header = [
            "NUMBER", "TITLE", "COMPANY", "STATUS", "PRIORITY", "QUEUE", "SOURCE", "DUE",
        ];
        let marked: Vec<&str> = std::iter::once("").chain(header).collect();
        let mut s = table(if inbox { &marked } else { &header }, &rows);
        if inbox {
            s.push_str("\n● in your inbox: customer or Taskfire activity since you last opened it (desk ticket seen NUMBER)");
        }
        if page.items.iter().any(|t| t.dates_differ()) {
            s.push_str("\n* created on another date in the creator's time zone than the date in the number (desk time zone)");
        }
        println_out(&s)
    }

    fn detail(&self, t: &Ticket) -> String {
        let tz = self.tz;
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let mut s = format!("{}  {}\n", one_line(&t.number), one_line(&t.title));
        let mut field = |k: &str, v: String| s.push_str(&format!("  {k:<13}{}\n", one_line(&v)));
        field("status", t.status.clone());
        field("priority", t.priority.clone());
        field(
            "queue",
            format!(
                "{}{}",
                t.queue,
                if t.desk != "provider" {
                    format!(" (Taskfire desk of {})", t.desk)
                } else {
                    String::new()
                }
            ),
        );
        field("source", t.source.clone());
        field("issue type", opt(&t.issue_type));
        field("work type", opt(&t.work_type));
        field("company", opt(&t.company));
        field("contact", opt(&t.contact));
        field("assigned", opt(&t.assigned));
        field(
            "created",
            format!(
                "{} {} ({}) by {}",
                t.created_local.format("%Y-%m-%d %H:%M"),
                t.created_tz,
                t.created_at.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z"),
                t.created_by
            ),
        );
        field("number date", t.number_date.to_string());
        if t.dates_differ() {
            field(
                "",
                format!(
                    "! the number carries the desk's date ({}), the created date is the creator's ({}, {})",
                    t.number_date,
                    t.created_local.date_naive(),
                    t.created_tz
                ),
            );
        }
        field(
            "due",
            t.due_at.map(|d| when(d, tz)).unwrap_or_else(|| "-".into()),
        );
        if let Some(se) = &t.series {
            field("series", se.clone());
        }
        field("version", t.version.to_string());
        if let Some(f) = &t.taskfire {
            field(
                "taskfire",
                format!(
                    "held by {}; queue {}; resource {}; Taskfire status {}; due {}",
                    f.held_by.as_str(),
                    f.queue,
                    f.resource.clone().unwrap_or_else(|| "-".into()),
                    f.status,
                    f.due_at.map(|d| when(d, tz)).unwrap_or_else(|| "-".into())
                ),
            );
        }
        if !t.description.is_empty() {
            s.push_str(&format!("\n{}\n", multi_line(&t.description)));
        }
        // At the same instant an event was written before the note it goes with.
        let mut history: Vec<(DateTime<Utc>, u8, String)> = t
            .notes
            .iter()
            .map(|n| {
                (
                    n.at,
                    1,
                    format!(
                        "{}  [{}] {}: {}",
                        when(n.at, tz),
                        n.kind.as_str(),
                        one_line(&n.author),
                        // A note of several lines stays under its heading.
                        multi_line(&n.text).replace('\n', "\n      ")
                    ),
                )
            })
            .chain(t.events.iter().map(|e| {
                (
                    e.at,
                    0,
                    one_line(&format!(
                        "{}  {} changed {}: {} -> {}",
                        when(e.at, tz),
                        e.actor,
                        e.field,
                        shown(e.from.as_deref(), tz),
                        shown(e.to.as_deref(), tz)
                    ))
                    .into_owned(),
                )
            }))
            .collect();
        history.sort_by_key(|(at, order, _)| (*at, *order));
        if !history.is_empty() {
            s.push_str("\nhistory:\n");
            for (_, _, line) in history {
                s.push_str(&format!("  {line}\n"));
            }
        }
        s.trim_end().to_string()
    }

    pub fn queues(&self, c: &Catalog) -> BResult<()> {
        if self.json {
            let v: Vec<_> = c
                .queues
                .iter()
                .map(|q| serde_json::json!({ "name": q.name, "open": q.open, "unseen": q.unseen }))
                .collect();
            return print_json(&v);
        }
        let rows: Vec<Vec<String>> = c
            .queues
            .iter()
            .map(|q| vec![q.name.clone(), q.open.to_string(), q.unseen.to_string()])
            .collect();
        println_out(&format!(
            "{} ({}), acting as {}\n\n{}",
            one_line(&c.desk_name),
            c.time_zone,
            c.me.login,
            table(&["QUEUE", "OPEN", "INBOX"], &rows)
        ))
    }

    pub fn notifications(&self, page: Page<Notification>) -> BResult<()> {
        more(page.items.len(), page.next.as_deref());
        let list = page.items;
        if self.json {
            let v: Vec<NotificationDto> = list.into_iter().map(NotificationDto::from).collect();
            return print_json(&v);
        }
        if list.is_empty() {
            return println_out("the outbox is empty");
        }
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|n| {
                vec![
                    when(n.at, self.tz),
                    n.event.clone(),
                    n.to.clone(),
                    n.ticket.clone().unwrap_or_default(),
                    clip(&n.subject, 60),
                ]
            })
            .collect();
        println_out(&table(&["AT", "EVENT", "TO", "TICKET", "SUBJECT"], &rows))
    }

    pub fn done(&self, human: &str, json: serde_json::Value) -> BResult<()> {
        Out::answer(self.json, human, json)
    }

    /// A command's one answer: `json` with `--json`, else `human`.
    pub fn answer(json: bool, human: &str, doc: serde_json::Value) -> BResult<()> {
        if json {
            print_json(&doc)
        } else {
            println_out(human)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shown_time_names_its_zone() {
        let t = DateTime::parse_from_rfc3339("2026-11-29T10:00:00Z")
            .unwrap_or_default()
            .to_utc();
        assert_eq!(when(t, chrono_tz::Europe::Berlin), "2026-11-29 11:00 CET");
        assert_eq!(
            when(t, chrono_tz::America::Los_Angeles),
            "2026-11-29 02:00 PST"
        );
        // chrono-tz has no abbreviation for Singapore ("+08"): the IANA name stands in.
        assert_eq!(
            when(t, chrono_tz::Asia::Singapore),
            "2026-11-29 18:00 Asia/Singapore"
        );
    }
}
