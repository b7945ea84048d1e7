//! The ticket list: marks (● marked, Δ changed since it was loaded, • news from the
//! customer or Taskfire: the inbox, and where the held column is not shown the holder:
//! ⇩ the customer's desk, ⇧ the provider after an escalation), then the configured
//! columns; the title takes every spare column.
//! Every value from the store is shown through `one_line`: nothing a customer typed
//! reaches the terminal raw.

use chrono::{DateTime, Utc};
use desk_engine::domain::text::one_line;
use desk_engine::model::{HeldBy, Sort, SortField, Ticket};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};

use super::{clip, focused, pane_block};
use crate::tui::state::columns::{Column, fit};
use crate::tui::state::{Pane, State};
use crate::tui::theme::Theme;

pub struct ListView<'a> {
    pub s: &'a State,
    pub th: &'a Theme,
}

/// `5m`, `3h`, `12d`: how long ago, against the state's clock.
pub fn age(now: DateTime<Utc>, t: DateTime<Utc>) -> String {
    let d = now - t;
    if d.num_minutes() < 60 {
        format!("{}m", d.num_minutes().max(0))
    } else if d.num_hours() < 48 {
        format!("{}h", d.num_hours())
    } else {
        format!("{}d", d.num_days())
    }
}

/// Who holds a ticket shared with Taskfire: "-" not shared, the customer's desk, or the
/// provider (again, after an escalation: marked ⇧). Short; where the column does not
/// fit beside the triage fields, `holder_mark` says it in the marks cell.
pub fn holder(t: &Ticket) -> &'static str {
    match t.taskfire.as_ref().map(|f| f.held_by) {
        None => "-",
        Some(HeldBy::Customer) => "cust",
        Some(HeldBy::Provider) => "⇧prov",
    }
}

/// The holder as one mark, for the marks cell where the held column is not shown: ⇩
/// handed to the customer's desk, ⇧ escalated back to the provider, blank not shared.
pub fn holder_mark(t: &Ticket) -> &'static str {
    match t.taskfire.as_ref().map(|f| f.held_by) {
        None => " ",
        Some(HeldBy::Customer) => "⇩",
        Some(HeldBy::Provider) => "⇧",
    }
}

/// The field a column's values sort by, where the backend sorts by it.
fn sort_of(c: Column) -> Option<SortField> {
    Some(match c {
        Column::Number => SortField::Number,
        Column::Title => SortField::Title,
        Column::Company => SortField::Company,
        Column::Status => SortField::Status,
        Column::Priority => SortField::Priority,
        Column::Due => SortField::Due,
        Column::Updated => SortField::Updated,
        Column::Age => SortField::Created,
        _ => return None,
    })
}

/// `12,345`: a count as people read it.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl ListView<'_> {
    fn cell<'a>(&self, t: &'a Ticket, c: Column, w: u16) -> Cell<'a> {
        let (s, th) = (self.s, self.th);
        let text = |v: &str| Cell::from(clip(&one_line(v), w as usize));
        let opt = |v: &Option<String>| text(v.as_deref().unwrap_or("-"));
        match c {
            Column::Number => {
                let mark = if t.dates_differ() { "*" } else { " " };
                Cell::from(Line::from(vec![
                    Span::raw(one_line(&t.number).into_owned()),
                    Span::styled(mark, th.mark),
                ]))
            }
            Column::Title => Cell::from(one_line(&t.title).into_owned()),
            Column::Status => text(&t.status),
            Column::Priority => {
                let (short, st) = match t.priority.as_str() {
                    "Critical" => ("Crit", th.error),
                    "High" => ("High", th.error),
                    "Medium" => ("Med", th.text),
                    other => (other, th.text),
                };
                Cell::from(Span::styled(clip(&one_line(short), w as usize), st))
            }
            Column::Assigned => opt(&t.assigned),
            Column::Taskfire => {
                let h = holder(t);
                let st = if h == "-" { th.dim } else { th.taskfire };
                Cell::from(Span::styled(h, st))
            }
            Column::Contact => opt(&t.contact),
            Column::Company => opt(&t.company),
            Column::Queue => text(&t.queue),
            Column::Source => text(&t.source),
            Column::Due => {
                let due = t
                    .due_at
                    .map(|d| d.with_timezone(&s.tz).format("%Y-%m-%d").to_string());
                let late = t.due_at.is_some_and(|d| d < s.now) && t.is_open();
                Cell::from(Span::styled(
                    due.unwrap_or_else(|| "-".into()),
                    if late { th.error } else { th.text },
                ))
            }
            Column::Updated => Cell::from(age(s.now, t.updated_at)),
            Column::Age => Cell::from(age(s.now, t.created_at)),
        }
    }

    fn flags<'a>(&self, t: &Ticket, holder: bool) -> Cell<'a> {
        let (s, th) = (self.s, self.th);
        let marked = s.marks.contains(&t.number);
        let changed = s.list.changed(t);
        let mut marks = vec![
            Span::styled(if marked { "●" } else { " " }, th.mark),
            Span::styled(if changed { "Δ" } else { " " }, th.error),
            Span::styled(if t.unseen { "•" } else { " " }, th.info),
        ];
        if holder {
            marks.push(Span::styled(holder_mark(t), th.taskfire));
        }
        Cell::from(Line::from(marks))
    }
}

impl Widget for ListView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (s, th) = (self.s, self.th);
        let l = &s.list;
        let count = match l.total {
            Some(n) if l.more || n as usize != l.tickets.len() => {
                format!("{} of {}", l.tickets.len(), thousands(n))
            }
            Some(n) => thousands(n),
            None if l.more => format!("{}+", l.tickets.len()),
            None => l.tickets.len().to_string(),
        };
        let sort = if l.sort == Sort::DEFAULT {
            String::new()
        } else {
            let arrow = if l.sort.descending { "▼" } else { "▲" };
            format!(" · by {}{arrow}", l.sort.field.as_str())
        };
        let title = format!(
            "{} · {count}{sort} · times {}",
            one_line(&l.title),
            s.tz.name()
        );
        let mut block = pane_block(title, focused(s, Pane::List), th);
        // A bottom title (the legend) leaves the inner area as it is.
        let inner = block.inner(area);
        // Series instances have longer numbers; the column fits the longest shown, plus the mark.
        let number = l.tickets.iter().map(|t| t.number.len()).max().unwrap_or(14) as u16 + 1;
        let shared = l.tickets.iter().any(|t| t.taskfire.is_some());
        let fit = fit(&s.columns, inner.width, number, shared);
        // Each mark shown has a long and a short explanation: the long ones while they fit.
        let mut legend: Vec<(&str, &str)> = Vec::new();
        if l.tickets.iter().any(|t| t.dates_differ()) {
            legend.push((
                "* created on another date (its creator's zone) than its number's",
                "* created on another date",
            ));
        }
        if l.tickets.iter().any(|t| l.changed(t)) {
            legend.push(("Δ changed since loaded", "Δ changed"));
        }
        if l.tickets.iter().any(|t| t.unseen) {
            legend.push(("• news (inbox)", "• news"));
        }
        if fit.holder_mark() {
            let held = |by| {
                l.tickets
                    .iter()
                    .any(|t| t.taskfire.as_ref().is_some_and(|f| f.held_by == by))
            };
            if held(HeldBy::Customer) {
                legend.push(("⇩ held by the customer's desk", "⇩ customer's desk"));
            }
            if held(HeldBy::Provider) {
                legend.push(("⇧ escalated", "⇧ escalated"));
            }
        }
        if let Some(line) = legend_line(&legend, area.width.saturating_sub(2).into()) {
            block = block.title_bottom(Line::styled(line, th.mark));
        }
        block.render(area, buf);
        if l.tickets.is_empty() {
            let text = if l.loaded {
                "no tickets match"
            } else {
                "loading…"
            };
            Paragraph::new(Line::styled(text, th.dim)).render(inner, buf);
            return;
        }
        let cols = &fit.cols;
        let arrow = if l.sort.descending { "▼" } else { "▲" };
        let header = Row::new(
            std::iter::once(Cell::from("")).chain(cols.iter().map(|(c, _)| {
                let mark = if sort_of(*c) == Some(l.sort.field) {
                    arrow
                } else {
                    ""
                };
                Cell::from(format!("{}{mark}", c.header()))
            })),
        )
        .style(th.header);
        let h = inner.height.saturating_sub(1) as usize;
        let offset = (l.selected + 1).saturating_sub(h);
        let rows = l
            .tickets
            .iter()
            .enumerate()
            .skip(offset)
            .take(h)
            .map(|(i, t)| {
                let cells = std::iter::once(self.flags(t, fit.holder_mark()))
                    .chain(cols.iter().map(|(c, w)| self.cell(t, *c, *w)));
                let style = if i == l.selected {
                    th.selected
                } else {
                    th.text
                };
                Row::new(cells.collect::<Vec<_>>()).style(style)
            });
        let constraints: Vec<Constraint> = std::iter::once(Constraint::Length(fit.marks))
            .chain(cols.iter().map(|(c, w)| {
                if *c == Column::Title {
                    Constraint::Fill(1)
                } else {
                    Constraint::Length(*w)
                }
            }))
            .collect();
        Table::new(rows, constraints)
            .header(header)
            .column_spacing(1)
            .render(inner, buf);
    }
}

/// The legend of the list's marks in `room` columns: the long explanations, shortened
/// one after the other from the first until the line fits (`None` without marks).
fn legend_line(legend: &[(&str, &str)], room: usize) -> Option<String> {
    if legend.is_empty() {
        return None;
    }
    let mut parts: Vec<&str> = legend.iter().map(|(long, _)| *long).collect();
    for (i, (_, short)) in legend.iter().enumerate() {
        if Line::from(parts.join(" · ")).width() <= room {
            break;
        }
        parts[i] = short;
    }
    Some(parts.join(" · "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::legend_line;

    const MARKS: [(&str, &str); 3] = [
        (
            "* created on another date (its creator's zone) than its number's",
            "* created on another date",
        ),
        ("Δ changed since loaded", "Δ changed"),
        ("• news (inbox)", "• news"),
    ];

    #[test]
    fn the_legend_shortens_its_marks_from_the_first_until_it_fits() {
        assert_eq!(legend_line(&[], 100), None);
        let long = MARKS.map(|(l, _)| l).join(" · ");
        assert_eq!(legend_line(&MARKS, 200).as_deref(), Some(long.as_str()));
        // 100 columns (98 inside the borders): the first mark short, the rest as they were.
        let at_100 = legend_line(&MARKS, 98).unwrap();
        assert_eq!(
            at_100,
            "* created on another date · Δ changed since loaded · • news (inbox)"
        );
        assert!(at_100.chars().count() <= 98);
        // Narrower still: every mark short.
        assert_eq!(
            legend_line(&MARKS, 40).as_deref(),
            Some("* created on another date · Δ changed · • news")
        );
    }
}
