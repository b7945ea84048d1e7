//! The detail pane: the selected (or found) ticket and how far it is scrolled.

use desk_engine::model::Ticket;

#[derive(Debug, Clone, Default)]
pub struct DetailState {
    pub ticket: Option<Ticket>,
    pub scroll: u16,
}

impl DetailState {
    /// Shows `t`, keeping the scroll position when it is the same ticket (a refresh).
    pub fn show(&mut self, t: Option<Ticket>) {
        let same = matches!((&self.ticket, &t), (Some(a), Some(b)) if a.number == b.number);
        if !same {
            self.scroll = 0;
        }
        self.ticket = t;
    }
}
