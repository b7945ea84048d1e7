//! Someone changed a ticket between the moment it was seen and the save: nothing was
//! saved. Shown: each field that changed, who changed it, their value and yours; keep
//! theirs (save nothing) or apply yours on top of theirs (docs/tui.md, "Conflicts").

use desk_engine::domain::text::one_line;
use desk_engine::model::{Ticket, TicketField};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::{Flow, Outcome, centered, frame};
use crate::tui::action::Action;
use crate::tui::ops::{Diff, Edit, Op, diff};
use crate::tui::state::State;
use crate::tui::theme::Theme;

#[derive(Debug, Clone)]
pub struct ConflictState {
    /// My edit, as it was refused.
    pub op: Op,
    /// The ticket as it is now.
    pub current: Ticket,
    pub diffs: Vec<Diff>,
    /// A form is open underneath (esc goes back to it, the text kept).
    pub has_form_below: bool,
}

impl ConflictState {
    pub fn new(op: Op, current: Ticket, has_form_below: bool) -> ConflictState {
        let mine = match &op.edit {
            Edit::Update(c) => Some(c),
            _ => None,
        };
        let diffs = diff(&op.base, &current, mine);
        ConflictState {
            op,
            current,
            diffs,
            has_form_below,
        }
    }

    /// My edit again, now conditional on their version: mine on top of theirs.
    pub fn rebased(&self) -> Op {
        Op {
            version: self.current.version,
            base: Box::new(self.current.clone()),
            ..self.op.clone()
        }
    }

    /// One line for the results panel: "chen set priority to Critical".
    pub fn summary(&self, s: &State) -> String {
        let theirs: Vec<String> = self
            .diffs
            .iter()
            .filter(|d| d.seen != d.theirs)
            .map(|d| {
                format!(
                    "{} set {} to {}",
                    d.by.as_deref().unwrap_or("someone"),
                    d.field.label(),
                    shown(s, d.field, &d.theirs)
                )
            })
            .collect();
        if theirs.is_empty() {
            format!(
                "changed by someone else (version {} → {})",
                self.op.version, self.current.version
            )
        } else {
            theirs.join(", ")
        }
    }

    pub fn key(&mut self, action: Option<Action>) -> Flow {
        match action {
            Some(Action::KeepTheirs) => {
                Flow::CloseThen(Outcome::KeepTheirs(Box::new(self.clone())))
            }
            Some(Action::ApplyMine) => Flow::CloseThen(Outcome::ApplyMine(self.rebased())),
            Some(Action::Cancel) if self.has_form_below => Flow::CloseThen(Outcome::Say(
                "nothing saved; your text is still in the form".into(),
            )),
            Some(Action::Cancel) => Flow::CloseThen(Outcome::KeepTheirs(Box::new(self.clone()))),
            _ => Flow::Stay,
        }
    }

    pub fn render(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        let mut lines = vec![
            Line::styled(
                format!(
                    "{} was changed by someone else after you opened it (version {} → {}). Nothing was saved.",
                    self.op.number, self.op.version, self.current.version
                ),
                th.text,
            ),
            Line::raw(""),
        ];
        let w = 14;
        lines.push(Line::styled(
            format!(
                "{:<12} {:<w$} {:<22} {:<w$}",
                "field", "you saw", "theirs (by)", "yours"
            ),
            th.header,
        ));
        for d in &self.diffs {
            let by =
                d.by.as_deref()
                    .map(|b| format!(" ({})", one_line(b)))
                    .unwrap_or_default();
            let mine = d
                .mine
                .as_ref()
                .map_or_else(|| "-".to_string(), |m| shown(s, d.field, m));
            let clash = d.mine.is_some() && d.seen != d.theirs;
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:<12} ", d.field.label()),
                    if clash { th.error } else { th.text },
                ),
                Span::styled(format!("{:<w$} ", shown(s, d.field, &d.seen)), th.dim),
                Span::styled(
                    format!("{:<22} ", format!("{}{by}", shown(s, d.field, &d.theirs))),
                    th.text,
                ),
                Span::styled(format!("{mine:<w$}"), th.key),
            ]));
        }
        match &self.op.edit {
            Edit::Update(_) => {}
            Edit::Note { .. } => lines.push(Line::styled("(a note: it appends)", th.dim)),
            Edit::TaskfireAssign(_) => {
                lines.push(Line::styled("yours: assign to Taskfire", th.key))
            }
            Edit::Delete => lines.push(Line::styled("yours: delete the ticket", th.key)),
            Edit::TaskfireComplete { .. } => {
                lines.push(Line::styled("yours: T2 work complete", th.key))
            }
            Edit::Escalate { .. } => {
                lines.push(Line::styled("yours: T5 escalate to the provider", th.key))
            }
        }
        lines.push(Line::raw(""));
        let k = |a| s.keymap.key(a);
        lines.push(Line::styled(
            format!(
                "{} keep theirs (save nothing) · {} apply mine on top of theirs{}",
                k(Action::KeepTheirs),
                k(Action::ApplyMine),
                if self.has_form_below {
                    " · esc back to the form"
                } else {
                    ""
                }
            ),
            th.key,
        ));
        let h = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
        let r = centered(area, 84, h);
        Clear.render(r, buf);
        let block = frame(format!("Conflict on {}", self.op.number), th);
        let inner = block.inner(r);
        block.render(r, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

/// A field's value as people read it: a time in the viewer's zone, "-" for none.
pub fn shown(s: &State, f: TicketField, v: &str) -> String {
    if v.is_empty() {
        return "-".into();
    }
    if f == TicketField::Due
        && let Ok(t) = chrono::DateTime::parse_from_rfc3339(v)
    {
        return s.when(t.to_utc());
    }
    one_line(v).into_owned()
}
