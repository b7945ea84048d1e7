//! Views: pure functions of the state (and theme) into a buffer. No IO, no clock: ages are
//! measured against `State::now`.

mod detail;
mod list;
mod queues;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::action::{Layer, TABLE};
use super::state::{Mode, Pane, State};
use super::theme::Theme;
use super::update::valid;

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
        let [qa, la, da] = panes(body, s.focus);
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
            p.render(s, th, body, buf);
        }
    }
}

/// The queues, list and detail panes in the body (the screen less its header, message
/// and footer rows): side by side from 140 columns, the list over the detail below that.
pub fn panes(body: Rect, focus: Pane) -> [Rect; 3] {
    let wide = body.width >= 140;
    let qw = match body.width {
        140.. => 24,
        100.. => 20,
        _ => 18,
    };
    let [qa, rest] = Layout::horizontal([Constraint::Length(qw), Constraint::Min(10)]).areas(body);
    let [la, da] = if wide {
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(rest)
    } else {
        // Stacked on narrow screens: the pane being read gets the room.
        let list = if focus == Pane::Detail { 30 } else { 50 };
        Layout::vertical([
            Constraint::Percentage(list),
            Constraint::Percentage(100 - list),
        ])
        .areas(rest)
    };
    [qa, la, da]
}

fn header<'a>(s: &'a State, th: &Theme) -> Line<'a> {
    let desk = s
        .catalog
        .as_ref()
        .map(|c| c.desk_name.as_str())
        .unwrap_or("desk");
    let who = match &s.mode {
        Mode::Staff => "provider desk".to_string(),
        Mode::Taskfire { company } => format!(
            "Taskfire desk of {}",
            desk_engine::domain::text::one_line(company)
        ),
        Mode::Portal => "Client Portal".to_string(),
    };
    let mut spans = vec![Span::styled(
        format!(" {} ", desk_engine::domain::text::one_line(desk)),
        th.header,
    )];
    // Said first, where even a narrow screen shows it.
    if s.offline {
        spans.push(Span::styled(
            " ⚠ connection lost — reconnecting… ",
            th.error,
        ));
    }
    if !s.marks.is_empty() {
        spans.push(Span::styled(
            format!(" ● {} marked ", s.marks.len()),
            th.mark,
        ));
    }
    spans.push(Span::styled(
        format!(
            "· {who} · {} ({}) · {} ",
            desk_engine::domain::text::one_line(&s.me.name),
            desk_engine::domain::text::one_line(&s.me.login),
            s.tz.name()
        ),
        th.dim,
    ));
    if s.busy() {
        let frame = SPINNER[s.spinner % SPINNER.len()];
        let what = if s.saving() { "saving" } else { "loading" };
        spans.push(Span::styled(format!(" {frame} {what}…"), th.key));
    }
    Line::from(spans)
}

/// The footer: the keys of the layer on top that the action table labels, valid now.
fn footer<'a>(s: &'a State, th: &Theme) -> Line<'a> {
    let hints: Vec<(String, String)> = match s.popups.last() {
        Some(p) => p.hints(&s.keymap),
        None => TABLE
            .iter()
            .filter(|d| d.layers.contains(&Layer::Main) && valid(s, d.when))
            .filter_map(|d| Some((s.keymap.first_key(d.action)?, d.short?.to_string())))
            .collect(),
    };
    let mut spans = Vec::new();
    for (k, d) in hints {
        spans.push(Span::styled(format!(" {k}"), th.key));
        spans.push(Span::styled(format!(" {d} "), th.dim));
    }
    Line::from(spans)
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

/// Tabs as spaces to the next multiple of 4: a terminal's own tab stops would not line
/// up with the pane.
pub fn expand_tabs(s: &str) -> String {
    if !s.contains('\t') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for line in s.split_inclusive('\n') {
        let mut col = 0;
        for c in line.chars() {
            match c {
                '\t' => {
                    let n = 4 - col % 4;
                    out.extend(std::iter::repeat_n(' ', n));
                    col += n;
                }
                '\n' => {
                    out.push(c);
                    col = 0;
                }
                c => {
                    out.push(c);
                    col += 1;
                }
            }
        }
    }
    out
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
