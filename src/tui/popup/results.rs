//! After a change of many tickets: each ticket as done, refused (why) or a conflict (who
//! changed what). The failed ones can be sent again: a refused one as it was, a conflict
//! on top of the ticket as it is now (which this panel has shown).

use crossterm::event::KeyEvent;
use desk_engine::domain::text::one_line;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};
use std::collections::BTreeSet;

use super::conflict::ConflictState;
use super::{Ctx, Flow, Outcome, centered, frame, offset};
use crate::tui::action::Action;
use crate::tui::ops::{Batch, OpResult, Outcome as Done};
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::ui::clip;

#[derive(Debug, Clone)]
pub struct ResultsState {
    pub what: String,
    pub rows: Vec<OpResult>,
    pub selected: usize,
    /// Conflicts settled by keeping theirs: nothing saved, and never retried.
    pub kept: BTreeSet<String>,
}

impl ResultsState {
    pub fn new(what: String, rows: Vec<OpResult>) -> ResultsState {
        ResultsState {
            what,
            rows,
            selected: 0,
            kept: BTreeSet::new(),
        }
    }

    fn kept_theirs(&self, r: &OpResult) -> bool {
        matches!(r.outcome, Done::Conflict(_)) && self.kept.contains(&r.op.number)
    }

    /// Done, refused, conflicts still open.
    pub fn counts(&self) -> (usize, usize, usize) {
        let done = self.rows.iter().filter(|r| !r.failed()).count();
        let conflicts = self
            .rows
            .iter()
            .filter(|r| matches!(r.outcome, Done::Conflict(_)) && !self.kept_theirs(r))
            .count();
        let kept = self.rows.iter().filter(|r| self.kept_theirs(r)).count();
        (done, self.rows.len() - done - conflicts - kept, conflicts)
    }

    /// A conflict of this panel settled from its popup: by keeping theirs (`None`), or by
    /// what applying mine (the row's own edit, on top) came to.
    pub fn settle(&mut self, number: &str, mine: Option<&OpResult>) {
        let Some(row) = self.rows.iter_mut().find(|r| {
            r.op.number == number
                && matches!(r.outcome, Done::Conflict(_))
                && mine.is_none_or(|m| m.op.edit == r.op.edit)
        }) else {
            return;
        };
        match mine {
            None => {
                self.kept.insert(number.to_string());
            }
            Some(r) => {
                *row = r.clone();
                self.kept.remove(number);
            }
        }
    }

    /// The failed ones again: refused as they were, conflicts on top of theirs (not
    /// those settled by keeping theirs).
    pub fn retry(&self) -> Batch {
        let ops = self
            .rows
            .iter()
            .filter(|r| !self.kept_theirs(r))
            .filter_map(|r| match &r.outcome {
                Done::Done(_) => None,
                Done::Refused(_) => Some(r.op.clone()),
                Done::Conflict(now) => {
                    Some(ConflictState::new(r.op.clone(), (**now).clone(), false).rebased())
                }
            })
            .collect();
        Batch {
            panel: true,
            ..Batch::new(format!("{} (retried)", self.what), ops)
        }
    }

    pub fn key(&mut self, k: &KeyEvent, action: Option<Action>, cx: &Ctx) -> Flow {
        match (action, cx.keymap.action_for(k)) {
            (Some(Action::Cancel), _) | (_, Some(Action::Quit | Action::Back)) => Flow::Close,
            (Some(Action::Retry), _) => {
                let b = self.retry();
                if b.ops.is_empty() {
                    Flow::Stay
                } else {
                    Flow::CloseThen(Outcome::Retry(b))
                }
            }
            (Some(Action::MoveDown), _) | (_, Some(Action::Down)) => {
                self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
                Flow::Stay
            }
            (Some(Action::MoveUp), _) | (_, Some(Action::Up)) => {
                self.selected = self.selected.saturating_sub(1);
                Flow::Stay
            }
            (Some(Action::Choose), _) | (_, Some(Action::Open)) => {
                match self.rows.get(self.selected) {
                    Some(OpResult {
                        op,
                        outcome: Done::Conflict(now),
                    }) => Flow::Do(Outcome::ShowConflict(Box::new(ConflictState::new(
                        op.clone(),
                        (**now).clone(),
                        false,
                    )))),
                    Some(r) => Flow::CloseThen(Outcome::Open(r.op.number.clone())),
                    None => Flow::Stay,
                }
            }
            _ => Flow::Stay,
        }
    }

    pub fn render(&self, s: &State, th: &Theme, area: Rect, buf: &mut Buffer) {
        let (done, refused, conflicts) = self.counts();
        let kept = match self.rows.iter().filter(|r| self.kept_theirs(r)).count() {
            0 => String::new(),
            n => format!(", {n} kept theirs"),
        };
        let r = centered(area, area.width.saturating_sub(4).min(110), area.height);
        Clear.render(r, buf);
        let block = frame(
            format!(
                "{} · {done} done, {refused} refused, {conflicts} conflicts{kept}",
                one_line(&self.what)
            ),
            th,
        );
        let inner = block.inner(r);
        block.render(r, buf);
        let width = inner.width as usize;
        let whys: Vec<(&'static str, Style, Vec<String>)> = self
            .rows
            .iter()
            .map(|r| match &r.outcome {
                Done::Done(_) => ("done    ", th.info, Vec::new()),
                Done::Refused(e) => (
                    "refused ",
                    th.error,
                    why_lines(&one_line(&e.message), width),
                ),
                Done::Conflict(_) if self.kept_theirs(r) => (
                    "kept    ",
                    th.dim,
                    why_lines("kept theirs: nothing saved", width),
                ),
                Done::Conflict(now) => (
                    "conflict",
                    th.mark,
                    why_lines(
                        &ConflictState::new(r.op.clone(), (**now).clone(), false).summary(s),
                        width,
                    ),
                ),
            })
            .collect();
        // A ticket is its row and, failed, why (who changed what, or the refusal) under
        // it, in up to WHY_LINES lines: a refusal's reason ends with what matters (R8's
        // "it is assigned to anna").
        let per = 1 + whys.iter().map(|w| w.2.len()).max().unwrap_or(0).max(1);
        let rows = ((inner.height as usize).saturating_sub(2) / per).max(1);
        let off = offset(self.selected, rows);
        let mut lines: Vec<Line> = Vec::new();
        for (i, r) in self.rows.iter().enumerate().skip(off).take(rows) {
            let (mark, st, why) = &whys[i];
            let (mark, st) = (*mark, *st);
            let sel = i == self.selected;
            let text = format!(" {}  {}", r.op.number, one_line(&r.op.base.title));
            lines.push(Line::from(vec![
                Span::styled(mark, if sel { th.selected } else { st }),
                Span::styled(
                    clip(&text, width.saturating_sub(8)),
                    if sel { th.selected } else { th.text },
                ),
            ]));
            for w in why {
                lines.push(Line::styled(w.clone(), st));
            }
        }
        lines.push(Line::raw(""));
        let k = |a| s.keymap.key(a);
        lines.push(Line::styled(
            format!(
                "{} retry the failed · enter: a conflict in full, or open the ticket · {} close · {} shows this again",
                k(Action::Retry),
                k(Action::Cancel),
                k(Action::Results)
            ),
            th.dim,
        ));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

/// The most lines a failed ticket's reason takes under its row.
const WHY_LINES: usize = 2;
const WHY_INDENT: &str = "          ";

/// Why a ticket failed, indented under its row and wrapped at words to `width` in up to
/// `WHY_LINES` lines, the rest of it clipped.
fn why_lines(why: &str, width: usize) -> Vec<String> {
    if why.is_empty() {
        return Vec::new();
    }
    let room = width.saturating_sub(WHY_INDENT.len()).max(1);
    let mut parts: Vec<String> = textwrap::wrap(why, room)
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    if parts.len() > WHY_LINES {
        let rest = parts.split_off(WHY_LINES - 1).join(" ");
        parts.push(clip(&rest, room));
    }
    parts
        .into_iter()
        .map(|l| format!("{WHY_INDENT}{l}"))
        .collect()
}
