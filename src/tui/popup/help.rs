//! `?`: every key of the panes laid out in columns by group (at 100×30 all fit without
//! scrolling), the keys of each popup and of text inputs, and the query syntax; typing
//! filters what is shown.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::text::{TEXT_KEYS, typed_char};
use super::{Flow, centered, frame};
use crate::tui::action::{Action, Group, Layer, TABLE};
use crate::tui::query::SYNTAX;
use crate::tui::state::State;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Keys,
    Popups,
    Query,
}

impl Page {
    fn next(self) -> Page {
        match self {
            Page::Keys => Page::Popups,
            Page::Popups => Page::Query,
            Page::Query => Page::Keys,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Page::Keys => "Keys",
            Page::Popups => "In popups and text",
            Page::Query => "Query syntax",
        }
    }
}

#[derive(Debug, Clone)]
pub struct HelpState {
    pub page: Page,
    pub filter: String,
    pub scroll: u16,
}

impl Default for HelpState {
    fn default() -> Self {
        HelpState {
            page: Page::Keys,
            filter: String::new(),
            scroll: 0,
        }
    }
}

/// One entry of a help page: keys and what they do.
struct Entry {
    keys: String,
    text: String,
}

impl HelpState {
    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>) -> Flow {
        match action {
            Some(Action::Cancel) => return Flow::Close,
            Some(Action::HelpPage) => {
                self.page = self.page.next();
                self.scroll = 0;
            }
            Some(Action::MoveDown) => self.scroll = self.scroll.saturating_add(1),
            Some(Action::MoveUp) => self.scroll = self.scroll.saturating_sub(1),
            _ if k.code == KeyCode::Backspace => {
                self.filter.pop();
                self.scroll = 0;
            }
            _ => {
                // `?` again closes, as long as nothing is being typed.
                match typed_char(k) {
                    Some('?') if self.filter.is_empty() => return Flow::Close,
                    Some(c) => {
                        self.filter.push(c);
                        self.scroll = 0;
                    }
                    None => {}
                }
            }
        }
        Flow::Stay
    }

    fn shows(&self, keys: &str, text: &str) -> bool {
        let f = self.filter.to_lowercase();
        f.is_empty() || keys.to_lowercase().contains(&f) || text.to_lowercase().contains(&f)
    }

    pub fn render(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        let r = centered(area, area.width.min(120), area.height);
        Clear.render(r, buf);
        let filter = if self.filter.is_empty() {
            "type to filter".to_string()
        } else {
            format!(
                "filter: {}▏",
                desk_engine::domain::text::one_line(&self.filter)
            )
        };
        let block = frame(
            format!(
                "{} · tab: next page · {filter} · esc closes",
                self.page.title()
            ),
            th,
        );
        let inner = block.inner(r);
        block.render(r, buf);
        let mut top: Vec<Line> = s
            .problems
            .iter()
            .map(|p| Line::styled(format!("config: {p}"), th.error))
            .collect();
        if self.page == Page::Keys {
            let used = u16::try_from(top.len()).unwrap_or(u16::MAX);
            Paragraph::new(std::mem::take(&mut top))
                .wrap(Wrap { trim: false })
                .render(inner, buf);
            let rest = Rect {
                y: inner.y + used.min(inner.height),
                height: inner.height.saturating_sub(used),
                ..inner
            };
            return self.columns(s, th, rest, buf);
        }
        let body = match self.page {
            Page::Popups => self.popup_lines(s, th),
            _ => self.query_lines(th),
        };
        top.extend(body);
        Paragraph::new(top)
            .wrap(Wrap { trim: false })
            .scroll((self.scroll, 0))
            .render(inner, buf);
    }

    /// The panes' keys, a column per group or two, filled top to bottom.
    fn columns(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        let groups: Vec<(Group, Vec<Entry>)> = Group::MAIN
            .iter()
            .map(|g| {
                let entries = TABLE
                    .iter()
                    .filter(|d| d.group == *g && d.layers.contains(&Layer::Main))
                    .map(|d| Entry {
                        keys: s.keymap.keys_for(d.action),
                        text: d.text.to_string(),
                    })
                    .filter(|e| self.shows(&e.keys, &e.text))
                    .collect();
                (*g, entries)
            })
            .filter(|(_, e): &(Group, Vec<Entry>)| !e.is_empty())
            .collect();
        let ncols: u16 = match area.width {
            0..=59 => 1,
            60..=89 => 2,
            _ => 3,
        };
        let width = area.width / ncols;
        // Lay the groups into columns in order, starting a new column when one is full;
        // each column's keys as wide as its widest.
        let per_col = usize::from(area.height).max(1);
        let mut cols: Vec<Vec<(Group, Vec<Entry>)>> = vec![Vec::new()];
        let mut rows = 0;
        for (g, entries) in groups {
            let need = entries.len() + 2;
            if rows > 0 && rows + need > per_col + 1 && cols.len() < usize::from(ncols) {
                cols.push(Vec::new());
                rows = 0;
            }
            rows += need;
            if let Some(col) = cols.last_mut() {
                col.push((g, entries));
            }
        }
        let cols: Vec<Vec<Line>> = cols
            .into_iter()
            .map(|groups| {
                let key_w = groups
                    .iter()
                    .flat_map(|(_, es)| es.iter().map(|e| e.keys.chars().count()))
                    .max()
                    .unwrap_or(3)
                    .min(11);
                let text_w = usize::from(width).saturating_sub(key_w + 2).max(8);
                let mut col = Vec::new();
                for (g, entries) in groups {
                    if !col.is_empty() {
                        col.push(Line::raw(""));
                    }
                    col.push(Line::styled(g.title(), th.header));
                    for e in entries {
                        for (i, part) in textwrap::wrap(&e.text, text_w).iter().enumerate() {
                            let keys = if i == 0 { e.keys.as_str() } else { "" };
                            col.push(Line::from(vec![
                                Span::styled(format!("{keys:<key_w$} "), th.key),
                                Span::styled(part.to_string(), th.text),
                            ]));
                        }
                    }
                }
                col
            })
            .collect();
        for (i, col) in cols.into_iter().enumerate() {
            let x = area.x + width * u16::try_from(i).unwrap_or(0);
            let rect = Rect {
                x,
                width: width.saturating_sub(1),
                ..area
            };
            Paragraph::new(col)
                .scroll((self.scroll, 0))
                .render(rect, buf);
        }
    }

    fn popup_lines<'a>(&self, s: &State, th: &Theme) -> Vec<Line<'a>> {
        let layers = [
            Layer::Form,
            Layer::Picker,
            Layer::Confirm,
            Layer::Filter,
            Layer::Palette,
            Layer::Outbox,
            Layer::Conflict,
            Layer::Results,
            Layer::Help,
        ];
        let mut out = Vec::new();
        let row = |keys: &str, text: &str, out: &mut Vec<Line<'a>>| {
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), th.key),
                Span::styled(text.to_string(), th.text),
            ]));
        };
        for l in layers {
            let rows: Vec<(String, &str)> = TABLE
                .iter()
                .filter(|d| d.layers.contains(&l))
                .map(|d| (s.keymap.keys_for(d.action), d.text))
                .filter(|(k, t)| self.shows(k, t))
                .collect();
            if rows.is_empty() {
                continue;
            }
            out.push(Line::styled(l.title(), th.header));
            for (k, t) in rows {
                row(&k, t, &mut out);
            }
        }
        let text: Vec<_> = TEXT_KEYS.iter().filter(|(k, t)| self.shows(k, t)).collect();
        if !text.is_empty() {
            out.push(Line::styled("Typing text", th.header));
            for (k, t) in text {
                row(k, t, &mut out);
            }
        }
        out.push(Line::raw(""));
        out.push(Line::styled(
            "Remap keys in [keys] of the config file (action = \"key\").",
            Style::default(),
        ));
        out
    }

    fn query_lines<'a>(&self, th: &Theme) -> Vec<Line<'a>> {
        let w = SYNTAX
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(20)
            + 2;
        SYNTAX
            .iter()
            .filter(|(k, t)| k.is_empty() || self.shows(k, t))
            .map(|(k, t)| {
                if k.is_empty() {
                    Line::styled(t.to_string(), th.header)
                } else {
                    Line::from(vec![
                        Span::styled(format!("  {k:<w$}"), th.key),
                        Span::styled(t.to_string(), th.text),
                    ])
                }
            })
            .collect()
    }
}
