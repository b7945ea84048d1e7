//! Popups: help, palette, filter bar, pickers, confirms. Forms are in `form.rs`.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::clip;
use crate::tui::action::{Action, Layer};
use crate::tui::state::popup::OutboxState;
use crate::tui::state::{Popup, State};
use crate::tui::theme::Theme;
use crate::tui::update::palette_entries;

/// A box of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

pub fn frame<'a>(title: String, th: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(th.focus)
        .title(Span::styled(title, th.focus))
}

pub fn render(p: &Popup, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
    match p {
        Popup::Help { scroll } => help(s, th, *scroll, area, buf),
        Popup::Outbox(o) => outbox(o, s, th, area, buf),
        Popup::Palette(pal) => {
            let r = centered(area, 64, 16);
            Clear.render(r, buf);
            let block = frame("Commands (type to filter)".into(), th);
            let inner = block.inner(r);
            block.render(r, buf);
            let filter = pal.input.lines().join("");
            Paragraph::new(Line::from(vec![
                Span::styled("> ", th.key),
                Span::raw(filter.clone()),
            ]))
            .render(Rect { height: 1, ..inner }, buf);
            let entries = palette_entries(s, &filter);
            let sel = pal.selected.min(entries.len().saturating_sub(1));
            let lines: Vec<Line> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let st = if i == sel { th.selected } else { th.text };
                    Line::from(vec![
                        Span::styled(
                            format!("{:<10}", e.keys),
                            if i == sel { st } else { th.key },
                        ),
                        Span::styled(clip(&e.text, inner.width.saturating_sub(10) as usize), st),
                    ])
                })
                .collect();
            let body = Rect {
                y: inner.y + 1,
                height: inner.height.saturating_sub(1),
                ..inner
            };
            let off = (sel + 1).saturating_sub(body.height as usize);
            Paragraph::new(lines)
                .scroll((off as u16, 0))
                .render(body, buf);
        }
        Popup::Filter(f) => {
            let r = centered(area, 76, 6);
            Clear.render(r, buf);
            let block = frame("Filter".into(), th);
            let inner = block.inner(r);
            block.render(r, buf);
            let input = Rect {
                x: inner.x + 2,
                width: inner.width.saturating_sub(2),
                height: 1,
                ..inner
            };
            Paragraph::new(Span::styled("> ", th.key)).render(Rect { height: 1, ..inner }, buf);
            f.input.render(input, buf);
            let help = match &f.error {
                Some(e) => Line::styled(e.clone(), th.error),
                None => Line::styled(
                    "e.g. source:\"Client Portal\" status:new due<7d company:Contoso words · a ticket number finds it · is:all",
                    th.dim,
                ),
            };
            Paragraph::new(help).wrap(Wrap { trim: true }).render(
                Rect {
                    y: inner.y + 1,
                    height: inner.height.saturating_sub(1),
                    ..inner
                },
                buf,
            );
        }
        Popup::Picker(pk) => {
            let h = (pk.items.len() as u16 + 4).min(20);
            let r = centered(area, 50, h);
            Clear.render(r, buf);
            let title = if pk.typed.is_empty() {
                pk.title.clone()
            } else {
                format!("{} · {}▏", pk.title, pk.typed)
            };
            let block = frame(title, th);
            let inner = block.inner(r);
            block.render(r, buf);
            let visible = pk.visible();
            if visible.is_empty() {
                lines_nothing(&pk.typed, th).render(inner, buf);
                return;
            }
            let mut lines: Vec<Line> = visible
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    let st = if i == pk.selected {
                        th.selected
                    } else {
                        th.text
                    };
                    Line::styled(clip(&format!(" {it}"), inner.width as usize), st)
                })
                .collect();
            let off = (pk.selected + 2).saturating_sub(inner.height as usize);
            if let Some(n) = &pk.note {
                lines.push(Line::styled(n.clone(), th.dim));
            }
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .scroll((off as u16, 0))
                .render(inner, buf);
        }
        Popup::Confirm(c) => {
            let r = centered(area, 70, c.lines.len() as u16 * 2 + 3);
            Clear.render(r, buf);
            let block = frame(c.title.clone(), th);
            let inner = block.inner(r);
            block.render(r, buf);
            let lines: Vec<Line> = c
                .lines
                .iter()
                .map(|l| Line::styled(l.clone(), th.text))
                .collect();
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .render(inner, buf);
        }
        Popup::Form(f) => {
            let k = |a| s.keymap.first_key(a).unwrap_or_else(|| "-".into());
            let hint = format!(
                "{} save · {} next field · {} $EDITOR · esc cancel",
                k(Action::SaveForm),
                k(Action::NextField),
                k(Action::Editor)
            );
            super::form::render(f, th, &hint, area, buf)
        }
    }
}

/// Every binding from the keymap table, in table order.
/// The editing keys of every text input (`update::popup::type_into`), as help shows them.
const TEXT_KEYS: &[(&str, &str)] = &[
    ("ctrl-u", "delete to the start of the line"),
    ("ctrl-k", "delete to the end of the line"),
    ("ctrl-w", "delete the word before the cursor"),
    ("ctrl-z", "undo"),
    ("ctrl-r", "redo"),
];

/// The outbox: when (in the desk's zone, as the rest of the screen), what, to whom, for
/// which ticket; the selected message's subject in full below.
fn outbox(o: &OutboxState, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
    let r = centered(area, area.width.saturating_sub(4).min(110), area.height);
    Clear.render(r, buf);
    let block = frame(
        format!("Outbox · {} newest · enter opens the ticket", o.items.len()),
        th,
    );
    let inner = block.inner(r);
    block.render(r, buf);
    if o.items.is_empty() {
        Paragraph::new(Line::styled(" nothing was sent yet", th.dim)).render(inner, buf);
        return;
    }
    let width = inner.width as usize;
    let mut lines: Vec<Line> = o
        .items
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let at = n.at.with_timezone(&s.tz).format("%Y-%m-%d %H:%M");
            let row = format!(
                " {at}  {:<16} {:<15} {:<28} {}",
                clip(&n.event, 16),
                n.ticket.as_deref().unwrap_or("-"),
                clip(&n.to, 28),
                n.subject
            );
            let st = if i == o.selected {
                th.selected
            } else {
                th.text
            };
            Line::styled(clip(&row, width), st)
        })
        .collect();
    let rows = inner.height.saturating_sub(2) as usize;
    let off = (o.selected + 1).saturating_sub(rows);
    let mut shown: Vec<Line> = lines.drain(..).skip(off).take(rows).collect();
    if let Some(n) = o.items.get(o.selected) {
        shown.push(Line::raw(""));
        shown.push(Line::styled(
            clip(&format!(" {}", n.subject), width),
            th.dim,
        ));
    }
    Paragraph::new(shown).render(inner, buf);
}

/// A picker whose typed text matches nothing says so, and how to go back.
fn lines_nothing<'a>(typed: &str, th: &Theme) -> Paragraph<'a> {
    Paragraph::new(vec![
        Line::styled(format!(" nothing starts with \"{typed}\""), th.dim),
        Line::styled(" backspace to widen, esc to close", th.dim),
    ])
}

fn help(s: &State, th: &Theme, scroll: u16, area: Rect, buf: &mut Buffer) {
    let r = centered(area, 64, area.height);
    Clear.render(r, buf);
    let block = frame("Keys (any key closes, j/k scroll)".into(), th);
    let inner = block.inner(r);
    block.render(r, buf);
    let mut lines: Vec<Line> = s
        .problems
        .iter()
        .map(|p| Line::styled(format!("config: {p}"), th.error))
        .collect();
    let row = |a: &Action| {
        Line::from(vec![
            Span::styled(format!("{:<14}", s.keymap.keys_for(*a)), th.key),
            Span::styled(a.description().to_string(), th.text),
        ])
    };
    let (main, popup): (Vec<Action>, Vec<Action>) =
        Action::ALL.iter().partition(|a| a.layer() == Layer::Main);
    lines.extend(main.iter().map(row));
    lines.push(Line::raw(""));
    lines.push(Line::styled("In forms and confirmations", th.header));
    lines.extend(popup.iter().map(row));
    lines.push(Line::from(vec![
        Span::styled(format!("{:<14}", "esc"), th.key),
        Span::styled("cancel (always)", th.text),
    ]));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Typing text", th.header));
    for (keys, what) in TEXT_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:<14}"), th.key),
            Span::styled(*what, th.text),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Remap keys in [keys] of the config file (action = \"key\").",
        th.dim,
    ));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}
