//! Views: pure functions of the state (and theme) into a buffer. No IO, no clock: ages are
//! measured against `State::now`.

mod detail;
mod form;
mod list;
mod popups;
mod queues;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::action::Action;
use super::state::{Mode, Pane, Popup, State};
use super::theme::Theme;
use super::update::available;

/// The whole screen.
pub struct Screen<'a> {
    pub state: &'a State,
    pub theme: &'a Theme,
}

const SPINNER: [&str; 4] = ["⠋", "⠙", "⠸", "⠴"];

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (s, th) = (self.state, self.theme);
        buf.set_style(area, th.text);
        // A long message (an error that explains itself) gets up to three lines rather
        // than being cut at the screen's edge.
        let msg_rows = s.message.as_ref().map_or(1, |m| {
            let width = usize::from(area.width.max(1));
            let text = Line::raw(m.text.as_str()).width();
            u16::try_from(text.div_ceil(width).clamp(1, 3)).unwrap_or(1)
        });
        let [top, body, msg, foot] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(msg_rows),
            Constraint::Length(1),
        ])
        .areas(area);
        header(s, th).render(top, buf);
        let wide = body.width >= 140;
        let qw = match body.width {
            140.. => 24,
            100.. => 20,
            _ => 18,
        };
        let [qa, rest] =
            Layout::horizontal([Constraint::Length(qw), Constraint::Min(10)]).areas(body);
        let [la, da] = if wide {
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(rest)
        } else {
            // Stacked on narrow screens: the pane being read gets the room.
            let list = if s.focus == Pane::Detail { 30 } else { 50 };
            Layout::vertical([
                Constraint::Percentage(list),
                Constraint::Percentage(100 - list),
            ])
            .areas(rest)
        };
        queues::QueuesView { s, th }.render(qa, buf);
        list::ListView { s, th }.render(la, buf);
        detail::DetailView { s, th }.render(da, buf);
        if let Some(m) = &s.message {
            let style = if m.error { th.error } else { th.info };
            Paragraph::new(Line::styled(m.text.clone(), style))
                .wrap(Wrap { trim: false })
                .render(msg, buf);
        }
        footer(s, th).render(foot, buf);
        for p in &s.popups {
            popups::render(p, s, th, body, buf);
        }
    }
}

fn header<'a>(s: &'a State, th: &Theme) -> Line<'a> {
    let desk = s
        .catalog
        .as_ref()
        .map(|c| c.desk_name.as_str())
        .unwrap_or("desk");
    let who = match &s.mode {
        Mode::Staff => "provider desk".to_string(),
        Mode::Taskfire { company } => format!("Taskfire desk of {company}"),
        Mode::Portal => "Client Portal".to_string(),
    };
    let mut spans = vec![
        Span::styled(format!(" {desk} "), th.header),
        Span::styled(
            format!(
                "· {who} · {} ({}) · {} ",
                s.me.name,
                s.me.login,
                s.tz.name()
            ),
            th.dim,
        ),
    ];
    if s.busy() {
        let frame = SPINNER[s.spinner % SPINNER.len()];
        let what = if s.saving() { "saving" } else { "loading" };
        spans.push(Span::styled(format!(" {frame} {what}…"), th.key));
    }
    Line::from(spans)
}

/// The footer: the most used keys valid now, from the keymap table.
fn footer<'a>(s: &'a State, th: &Theme) -> Line<'a> {
    let hints: Vec<(String, &str)> = match s.popups.last() {
        Some(Popup::Form(_)) => {
            let k = |a| s.keymap.first_key(a).unwrap_or_else(|| "-".into());
            vec![
                (k(Action::SaveForm), "save"),
                (k(Action::NextField), "next field"),
                (k(Action::Editor), "$EDITOR"),
                ("esc".into(), "cancel"),
            ]
        }
        Some(Popup::Confirm(_)) => vec![
            (
                s.keymap
                    .first_key(Action::Confirm)
                    .unwrap_or_else(|| "-".into()),
                "yes",
            ),
            ("n".into(), "no"),
        ],
        Some(Popup::Filter(_)) => vec![("enter".into(), "apply"), ("esc".into(), "cancel")],
        Some(Popup::Picker(_)) => vec![
            ("enter".into(), "choose"),
            ("↑↓".into(), "move"),
            ("type".into(), "to narrow"),
            ("esc".into(), "close"),
        ],
        Some(_) => vec![
            ("enter".into(), "choose"),
            ("↑↓".into(), "move"),
            ("esc".into(), "close"),
        ],
        None => {
            let mut v = Vec::new();
            let actions = [
                Action::Help,
                Action::Filter,
                Action::Note,
                Action::Status,
                Action::Assign,
                Action::Taskfire,
                Action::Escalate,
                Action::NewTicket,
                Action::Palette,
                Action::Quit,
            ];
            for a in actions {
                if (a == Action::Palette || available(s, a))
                    && let Some(k) = s.keymap.first_key(a)
                {
                    v.push((k, short(a)));
                }
            }
            v
        }
    };
    let mut spans = Vec::new();
    for (k, d) in hints {
        spans.push(Span::styled(format!(" {k}"), th.key));
        spans.push(Span::styled(format!(" {d} "), th.dim));
    }
    Line::from(spans)
}

fn short(a: Action) -> &'static str {
    match a {
        Action::Help => "help",
        Action::Filter => "filter",
        Action::Note => "note",
        Action::Status => "status",
        Action::Assign => "assign",
        Action::Taskfire => "taskfire",
        Action::Escalate => "escalate",
        Action::NewTicket => "new",
        Action::Palette => "commands",
        Action::Quit => "quit",
        _ => "",
    }
}

/// A pane's frame; the focused one stands out by colour and by a marker in its title.
pub fn pane_block<'a>(title: String, focused: bool, th: &Theme) -> Block<'a> {
    let (style, mark) = if focused {
        (th.focus, "▶ ")
    } else {
        (th.border, "")
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(style)
        .title(Span::styled(
            format!("{mark}{title}"),
            if focused { th.focus } else { th.header },
        ))
}

pub fn focused(s: &State, p: Pane) -> bool {
    s.focus == p && s.popups.is_empty()
}

/// Cuts `s` to `max` characters, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else if max == 0 {
        String::new()
    } else {
        let mut c: String = s.chars().take(max - 1).collect();
        c.push('…');
        c
    }
}
