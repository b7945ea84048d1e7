//! The queue pane: all open tickets, the technician's inbox (tickets with news from the
//! customer or Taskfire since they last opened them), the desk's queues with open counts
//! and inbox counts (`Client Portal` among them), then the saved views with their counts.

use desk_engine::model::Catalog;

use crate::tui::config::SavedView;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    All,
    Inbox,
    Queue(String),
    View(usize),
    /// A contact's tickets, as the portal shows them.
    Portal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    pub label: String,
    pub kind: EntryKind,
    pub count: Option<u64>,
    /// The count is a lower bound (the view has more than one page).
    pub more: bool,
    /// Of these, in the technician's inbox.
    pub unseen: u64,
}

#[derive(Debug, Clone, Default)]
pub struct QueuesState {
    pub entries: Vec<QueueEntry>,
    pub selected: usize,
}

impl QueuesState {
    /// Rebuilds the entries from the catalog, keeping the selection on the same entry.
    pub fn rebuild(&mut self, catalog: Option<&Catalog>, views: &[SavedView], portal: bool) {
        let keep = self.entries.get(self.selected).map(|e| e.label.clone());
        let old = std::mem::take(&mut self.entries);
        if portal {
            self.entries.push(QueueEntry {
                label: "My tickets".into(),
                kind: EntryKind::Portal,
                count: None,
                more: false,
                unseen: 0,
            });
        } else {
            let queues = catalog.map(|c| c.queues.as_slice()).unwrap_or_default();
            let total = catalog.map(|_| queues.iter().map(|q| q.open).sum());
            let unseen = queues.iter().map(|q| q.unseen).sum();
            self.entries.push(QueueEntry {
                label: "All open".into(),
                kind: EntryKind::All,
                count: total,
                more: false,
                unseen,
            });
            self.entries.push(QueueEntry {
                label: "Inbox".into(),
                kind: EntryKind::Inbox,
                count: catalog.map(|_| unseen),
                more: false,
                unseen: 0,
            });
            for q in queues {
                self.entries.push(QueueEntry {
                    label: q.name.clone(),
                    kind: EntryKind::Queue(q.name.clone()),
                    count: Some(q.open),
                    more: false,
                    unseen: q.unseen,
                });
            }
            for (i, v) in views.iter().enumerate() {
                let prev = old
                    .iter()
                    .find(|e| e.kind == EntryKind::View(i) && e.label == v.name);
                self.entries.push(QueueEntry {
                    label: v.name.clone(),
                    kind: EntryKind::View(i),
                    count: prev.and_then(|p| p.count),
                    more: prev.is_some_and(|p| p.more),
                    unseen: 0,
                });
            }
        }
        self.selected = keep
            .and_then(|l| self.entries.iter().position(|e| e.label == l))
            .unwrap_or(0);
    }

    pub fn current(&self) -> Option<&QueueEntry> {
        self.entries.get(self.selected)
    }

    pub fn first_view(&self) -> usize {
        self.entries
            .iter()
            .position(|e| matches!(e.kind, EntryKind::View(_)))
            .unwrap_or(self.entries.len())
    }
}
