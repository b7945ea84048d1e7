//! The ticket list: the loaded pages of the backend's order, the selection, the count of
//! the whole list, and which versions the technician has seen.

use desk_engine::model::{Sort, Ticket};
use std::collections::HashMap;

use crate::tui::effect::Call;

#[derive(Debug, Clone)]
pub struct ListState {
    pub tickets: Vec<Ticket>,
    pub selected: usize,
    /// The backend's order of this list (shown in its title and header).
    pub sort: Sort,
    /// How many tickets the whole list has, when counted.
    pub total: Option<u64>,
    /// The filter to count once the first page has come.
    pub to_count: Option<desk_engine::model::TicketFilter>,
    /// The backend has more than was loaded.
    pub more: bool,
    /// Nothing has arrived yet (as opposed to an empty result).
    pub loaded: bool,
    /// Shown in the title: what this list is (queue, view, found ticket).
    pub title: String,
    /// The call that loaded the first page, and the cursor of the next one.
    pub call: Option<Call>,
    pub next: Option<String>,
    pub pages: u32,
    /// The version of each ticket when this list first showed it (or when it was last
    /// opened or changed here): a row at a later version changed since it was seen.
    pub seen: HashMap<String, i64>,
    /// The row as the technician saw it, for each row a refresh has since brought at
    /// another version (marked Δ) or taken out of the list: what an edit of the marked
    /// tickets is conditional on, and what its conflict shows as "you saw".
    pub kept: HashMap<String, Ticket>,
    /// How many pages have arrived (for the benchmark's trace: the frame that first shows
    /// a list asked for is the first after this moved).
    pub loads: u64,
}

impl Default for ListState {
    fn default() -> Self {
        ListState {
            tickets: Vec::new(),
            selected: 0,
            sort: Sort::DEFAULT,
            total: None,
            to_count: None,
            more: false,
            loaded: false,
            title: String::new(),
            call: None,
            next: None,
            pages: 0,
            seen: HashMap::new(),
            kept: HashMap::new(),
            loads: 0,
        }
    }
}

impl ListState {
    pub fn selected_ticket(&self) -> Option<&Ticket> {
        self.tickets.get(self.selected)
    }

    /// Changed by someone since this list showed it.
    pub fn changed(&self, t: &Ticket) -> bool {
        self.seen.get(&t.number).is_some_and(|v| *v < t.version)
    }

    /// The technician has seen this version (opened it, or changed it themselves).
    pub fn saw(&mut self, t: &Ticket) {
        self.seen.insert(t.number.clone(), t.version);
        self.kept.remove(&t.number);
    }

    /// Another list: nothing of it has been seen yet.
    pub fn forget(&mut self) {
        self.seen.clear();
        self.kept.clear();
    }

    /// The ticket as the technician last saw it: the row as it was before someone
    /// changed it (Δ), else the row as shown.
    pub fn as_seen<'a>(&'a self, t: &'a Ticket) -> &'a Ticket {
        self.kept.get(&t.number).unwrap_or(t)
    }

    /// Before `old` is replaced by another version of it (or leaves the list): the row
    /// seen is kept, unless an earlier one is kept already.
    fn keep(&mut self, old: &Ticket) {
        if self.seen.get(&old.number) == Some(&old.version) {
            self.kept
                .entry(old.number.clone())
                .or_insert_with(|| old.clone());
        }
    }

    fn remember(&mut self) {
        for t in &self.tickets {
            let v = *self.seen.entry(t.number.clone()).or_insert(t.version);
            // Back at the version seen: nothing to keep.
            if v == t.version {
                self.kept.remove(&t.number);
            }
        }
    }

    /// Replaces the tickets, keeping the selection on the same ticket when it is still
    /// there (a live refresh must not move the cursor), else at the same row.
    pub fn set(&mut self, tickets: Vec<Ticket>, more: bool) {
        let keep = self.selected_ticket().map(|t| t.number.clone());
        let now: HashMap<&str, i64> = tickets
            .iter()
            .map(|t| (t.number.as_str(), t.version))
            .collect();
        let old: Vec<Ticket> = self
            .tickets
            .iter()
            .filter(|o| now.get(o.number.as_str()) != Some(&o.version))
            .cloned()
            .collect();
        for o in &old {
            self.keep(o);
        }
        self.tickets = tickets;
        self.more = more;
        self.loaded = true;
        self.loads += 1;
        self.remember();
        self.selected = keep
            .and_then(|n| self.tickets.iter().position(|t| t.number == n))
            .unwrap_or(self.selected)
            .min(self.tickets.len().saturating_sub(1));
    }

    /// A first page: replaces what was there.
    pub fn first_page(&mut self, tickets: Vec<Ticket>, next: Option<String>) {
        self.set(tickets, next.is_some());
        self.next = next;
        self.pages = 1;
    }

    /// A further page: appended (a ticket already shown is not shown twice).
    pub fn append(&mut self, tickets: Vec<Ticket>, next: Option<String>) {
        let keep = self.selected_ticket().map(|t| t.number.clone());
        for t in tickets {
            if !self.tickets.iter().any(|x| x.number == t.number) {
                self.tickets.push(t);
            }
        }
        self.next = next;
        self.more = self.next.is_some();
        self.pages += 1;
        self.loads += 1;
        self.remember();
        if let Some(n) = keep {
            self.selected = self.tickets.iter().position(|t| t.number == n).unwrap_or(0);
        }
    }

    /// Puts a changed ticket in place (or removes it when `None` and `number` is given).
    pub fn replace(&mut self, number: &str, t: Option<Ticket>) {
        match (self.tickets.iter().position(|x| x.number == number), t) {
            (Some(i), Some(t)) => {
                if t.version != self.tickets[i].version {
                    let old = self.tickets[i].clone();
                    self.keep(&old);
                }
                self.tickets[i] = t;
            }
            (Some(i), None) => {
                self.tickets.remove(i);
                // A row above the cursor went: the cursor stays on its ticket.
                if i < self.selected {
                    self.selected -= 1;
                }
                self.selected = self.selected.min(self.tickets.len().saturating_sub(1));
            }
            (None, _) => {}
        }
    }

    pub fn step(&mut self, delta: isize) {
        let n = self.tickets.len();
        if n == 0 {
            self.selected = 0;
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(n - 1);
    }
}
