//! Colours. `NO_COLOR` (any non-empty value) gives a theme of bold/underline/reverse only;
//! every distinction made by colour is also made by text, so nothing is lost without it.
//! The config file's `[colors]` table recolours single roles of a theme.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub border: Style,
    pub focus: Style,
    pub selected: Style,
    pub header: Style,
    pub error: Style,
    pub info: Style,
    pub key: Style,
    pub mark: Style,
    pub internal: Style,
    pub published: Style,
    pub portal: Style,
    pub taskfire: Style,
    pub event: Style,
}

impl Theme {
    pub fn dark() -> Theme {
        Theme {
            text: Style::new().fg(Color::Gray),
            dim: Style::new().fg(Color::DarkGray),
            border: Style::new().fg(Color::DarkGray),
            focus: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            info: Style::new().fg(Color::Green),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            mark: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            internal: Style::new().fg(Color::Yellow),
            published: Style::new().fg(Color::Green),
            portal: Style::new().fg(Color::Cyan),
            taskfire: Style::new().fg(Color::Magenta),
            event: Style::new().fg(Color::DarkGray),
        }
    }

    pub fn light() -> Theme {
        Theme {
            text: Style::new().fg(Color::Black),
            dim: Style::new().fg(Color::Gray),
            border: Style::new().fg(Color::Gray),
            focus: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::LightBlue)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            info: Style::new().fg(Color::Green),
            key: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            mark: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            internal: Style::new().fg(Color::Rgb(150, 90, 0)),
            published: Style::new().fg(Color::Green),
            portal: Style::new().fg(Color::Blue),
            taskfire: Style::new().fg(Color::Magenta),
            event: Style::new().fg(Color::Gray),
        }
    }

    pub fn mono() -> Theme {
        let plain = Style::new();
        Theme {
            text: plain,
            dim: plain,
            border: plain,
            focus: plain.add_modifier(Modifier::BOLD),
            selected: plain.add_modifier(Modifier::REVERSED),
            header: plain.add_modifier(Modifier::BOLD),
            error: plain.add_modifier(Modifier::BOLD),
            info: plain,
            key: plain.add_modifier(Modifier::BOLD),
            mark: plain.add_modifier(Modifier::BOLD),
            internal: plain,
            published: plain.add_modifier(Modifier::BOLD),
            portal: plain.add_modifier(Modifier::UNDERLINED),
            taskfire: plain.add_modifier(Modifier::ITALIC),
            event: plain,
        }
    }

    /// Sets the foreground of named roles (the selection's background for `selected`).
    /// Returns one message per unknown role or colour; the rest still apply.
    pub fn with_colors(mut self, colors: &BTreeMap<String, String>) -> (Theme, Vec<String>) {
        let mut problems = Vec::new();
        for (role, value) in colors {
            let Ok(c) = value.parse::<Color>() else {
                problems.push(format!("[colors] {role}: \"{value}\" is not a colour"));
                continue;
            };
            let slot = match role.as_str() {
                "text" => &mut self.text,
                "dim" => &mut self.dim,
                "border" => &mut self.border,
                "focus" => &mut self.focus,
                "header" => &mut self.header,
                "error" => &mut self.error,
                "info" => &mut self.info,
                "key" => &mut self.key,
                "mark" => &mut self.mark,
                "internal" => &mut self.internal,
                "published" => &mut self.published,
                "portal" => &mut self.portal,
                "taskfire" => &mut self.taskfire,
                "event" => &mut self.event,
                "selected" => {
                    self.selected = self.selected.bg(c);
                    continue;
                }
                _ => {
                    problems.push(format!("[colors] {role}: no such role"));
                    continue;
                }
            };
            *slot = slot.fg(c);
        }
        (self, problems)
    }

    /// The theme for a config name and the `NO_COLOR` setting (which wins).
    pub fn pick(name: Option<&str>, no_color: bool) -> (Theme, Option<String>) {
        if no_color {
            return (Theme::mono(), None);
        }
        match name.unwrap_or("dark") {
            "dark" => (Theme::dark(), None),
            "light" => (Theme::light(), None),
            "mono" => (Theme::mono(), None),
            other => (
                Theme::dark(),
                Some(format!(
                    "theme \"{other}\" is not dark, light or mono; using dark"
                )),
            ),
        }
    }
}
