//! The queue pane.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::{clip, focused, pane_block};
use crate::tui::state::{EntryKind, Pane, State};
use crate::tui::theme::Theme;

pub struct QueuesView<'a> {
    pub s: &'a State,
    pub th: &'a Theme,
}

impl Widget for QueuesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (s, th) = (self.s, self.th);
        let block = pane_block("Queues".into(), focused(s, Pane::Queues), th);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width as usize;
        let mut lines = Vec::new();
        let first_view = s.queues.first_view();
        for (i, e) in s.queues.entries.iter().enumerate() {
            if i == first_view {
                lines.push(Line::styled(clip("saved views", w), th.dim));
            }
            let count = match e.count {
                Some(n) if e.more => format!("{n}+"),
                Some(n) => n.to_string(),
                None => String::new(),
            };
            // The queue's tickets in the inbox, before its open count: "•2 12".
            let count = if e.unseen > 0 {
                format!("•{} {count}", e.unseen)
            } else {
                count
            };
            let prefix = if matches!(e.kind, EntryKind::View(_)) {
                "◆ "
            } else {
                ""
            };
            let label = clip(
                &format!("{prefix}{}", desk_engine::domain::text::one_line(&e.label)),
                w.saturating_sub(count.len() + 1),
            );
            let pad = w.saturating_sub(label.chars().count() + count.chars().count());
            let text = format!("{label}{}{count}", " ".repeat(pad));
            let style = if i == s.queues.selected {
                th.selected
            } else {
                th.text
            };
            lines.push(Line::from(Span::styled(text, style)));
        }
        let h = inner.height as usize;
        let sel = s.queues.selected + usize::from(s.queues.selected >= first_view);
        let offset = (sel + 1).saturating_sub(h);
        Paragraph::new(lines)
            .scroll((offset as u16, 0))
            .render(inner, buf);
    }
}
