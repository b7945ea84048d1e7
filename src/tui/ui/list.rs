//! The ticket list: number (with the R5 mark), title, company, status, source, due, age.
//! Columns drop from the right of the priority order when the pane is narrow.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};

use super::{clip, focused, pane_block};
use crate::tui::state::{Pane, SortCol, State};
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

fn widths(w: u16, number: u16) -> Vec<(SortCol, u16)> {
    // number, title, status and age always; then due, company, source as room allows.
    let mut cols = vec![
        (SortCol::Number, number),
        (SortCol::Title, 0),
        (SortCol::Status, 12),
    ];
    // 12 for the title at least, and the spaces between six columns.
    let mut used: u16 = number + 12 + 12 + 4 + 4;
    for (c, cw) in [
        (SortCol::Due, 10),
        (SortCol::Company, 12),
        (SortCol::Source, 13),
    ] {
        if w > used + cw {
            used += cw + 1;
            cols.push((c, cw));
        }
    }
    cols.push((SortCol::Age, 4));
    let order = SortCol::ALL;
    cols.sort_by_key(|(c, _)| order.iter().position(|o| o == c));
    cols
}

impl Widget for ListView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (s, th) = (self.s, self.th);
        let l = &s.list;
        let count = if l.more {
            format!("{}+", l.tickets.len())
        } else {
            l.tickets.len().to_string()
        };
        let sort = if l.sort == SortCol::Number && l.descending {
            String::new()
        } else {
            let arrow = if l.descending { "▼" } else { "▲" };
            format!(" · by {}{arrow}", l.sort.label())
        };
        let title = format!("{} · {count}{sort} · times {}", l.title, s.tz.name());
        let mut block = pane_block(title, focused(s, Pane::List), th);
        if l.tickets.iter().any(|t| t.dates_differ()) {
            block = block.title_bottom(Line::styled(
                "* created on another date (creator's zone) than the number's (desk zone)",
                th.mark,
            ));
        }
        let inner = block.inner(area);
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
        // Series instances have longer numbers; the column fits the longest shown, plus the mark.
        let number = l.tickets.iter().map(|t| t.number.len()).max().unwrap_or(14) as u16 + 1;
        let cols = widths(inner.width, number);
        let arrow = if l.descending { "▼" } else { "▲" };
        let header = Row::new(cols.iter().map(|(c, _)| {
            let mark = if *c == l.sort { arrow } else { "" };
            Cell::from(format!("{}{mark}", c.label()))
        }))
        .style(th.header);
        let h = inner.height.saturating_sub(1) as usize;
        let offset = (l.selected + 1).saturating_sub(h);
        let tz = s.tz;
        let rows = l
            .tickets
            .iter()
            .enumerate()
            .skip(offset)
            .take(h)
            .map(|(i, t)| {
                let cells = cols.iter().map(|(c, w)| match c {
                    SortCol::Number => {
                        let mark = if t.dates_differ() { "*" } else { " " };
                        Cell::from(Line::from(vec![
                            Span::raw(t.number.clone()),
                            Span::styled(mark, th.mark),
                        ]))
                    }
                    SortCol::Title => Cell::from(t.title.clone()),
                    SortCol::Company => {
                        Cell::from(clip(t.company.as_deref().unwrap_or("-"), *w as usize))
                    }
                    SortCol::Status => Cell::from(clip(&t.status, *w as usize)),
                    SortCol::Source => Cell::from(clip(&t.source, *w as usize)),
                    SortCol::Due => {
                        let due = t
                            .due_at
                            .map(|d| d.with_timezone(&tz).format("%Y-%m-%d").to_string());
                        let late = t.due_at.is_some_and(|d| d < s.now) && t.is_open();
                        Cell::from(Span::styled(
                            due.unwrap_or_else(|| "-".into()),
                            if late { th.error } else { th.text },
                        ))
                    }
                    SortCol::Age => Cell::from(age(s.now, t.created_at)),
                });
                let style = if i == l.selected {
                    th.selected
                } else {
                    th.text
                };
                Row::new(cells).style(style)
            });
        let constraints: Vec<Constraint> = cols
            .iter()
            .map(|(_, w)| {
                if *w == 0 {
                    Constraint::Min(12)
                } else {
                    Constraint::Length(*w)
                }
            })
            .collect();
        Table::new(rows, constraints)
            .header(header)
            .column_spacing(1)
            .render(inner, buf);
    }
}
