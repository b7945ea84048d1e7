//! The queue pane: all open tickets, the desk's queues with open counts (`Client Portal`
//! among them), then the saved views with their counts.

use desk_engine::model::Catalog;

use crate::tui::config::SavedView;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    All,
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
            });
        } else {
            let total = catalog.map(|c| c.queues.iter().map(|q| q.open).sum());
            self.entries.push(QueueEntry {
                label: "All open".into(),
                kind: EntryKind::All,
                count: total,
                more: false,
            });
            for q in catalog.map(|c| c.queues.as_slice()).unwrap_or_default() {
                self.entries.push(QueueEntry {
                    label: q.name.clone(),
                    kind: EntryKind::Queue(q.name.clone()),
                    count: Some(q.open),
                    more: false,
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
