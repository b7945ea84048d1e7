//! Group commit: writes that arrive together share one commit (docs/architecture.md,
//! "Group commit"). On SQLite one writer holds the store at a time and every commit
//! waits for the disk (`synchronous = FULL`), so under a burst of creates the commits,
//! not the rules, are what a request waits for. A group runs each write in a savepoint
//! of its own inside one transaction: a write that is refused or fails is undone alone,
//! exactly as its own transaction would have been, and the group commits once. Nothing
//! of a group is answered before that commit: a write is durable when its caller hears
//! of it, as before.

use std::cell::RefCell;

use super::Engine;
use crate::error::{Error, Result};
use crate::store::sql::{Dialect, Store};

/// The state of the group a write runs in, if any.
#[derive(Debug, Default)]
pub(super) enum Group {
    /// Each write is its own transaction.
    #[default]
    None,
    /// Inside `Engine::group`: writes are savepoints of its transaction.
    Open,
    /// A savepoint could not be undone: the transaction is in an unknown state, so the
    /// rest of the group is refused and the whole of it rolled back.
    Broken(Error),
}

/// The one savepoint name: savepoints of a group never nest (a write is one savepoint).
const SAVEPOINT: &str = "desk_write";

impl Engine {
    /// Whether writes may share a commit (`group`): on SQLite. PostgreSQL takes writers
    /// side by side and groups commits itself; one transaction for many writes there
    /// would only hold every row lock of the group until its last write.
    pub fn groups_writes(&self) -> bool {
        self.db.dialect() == Dialect::Sqlite
    }

    /// Runs `writes` (several calls of this engine's write methods) in one transaction,
    /// each write in a savepoint, and commits once. Each write's own result is what it
    /// returns, as alone; this answers whether the group was committed. On an error
    /// nothing of any write was kept: results that were `Ok` must not be reported as
    /// done. Reads inside see the group's writes so far.
    pub fn group<T>(&mut self, writes: impl FnOnce(&mut Engine) -> T) -> (T, Result<()>) {
        if let Err(e) = self.db.begin(true) {
            // Nothing is open. The writes must not run in transactions of their own: they
            // would commit while the group answers that nothing was kept. As broken, each
            // is refused before it touches the store.
            self.group
                .replace(Group::Broken(Error::Database(e.to_string())));
            let out = writes(self);
            self.group.replace(Group::None);
            return (out, Err(e));
        }
        self.group.replace(Group::Open);
        let out = writes(self);
        let state = self.group.replace(Group::None);
        let done = match state {
            Group::Broken(e) => Err(e),
            _ => self.db.commit(),
        };
        if done.is_err() {
            let _ = self.db.rollback();
        }
        (out, done)
    }

    /// `f` as one write of the open group: in a savepoint, released if it succeeds,
    /// rolled back to if not (the group's other writes stay).
    pub(super) fn in_savepoint<T>(&self, f: impl FnOnce(&dyn Store) -> Result<T>) -> Result<T> {
        if let Group::Broken(_) = &*self.group.borrow() {
            return Err(Error::Database(
                "an earlier write of this group left the transaction broken; nothing was applied"
                    .into(),
            ));
        }
        self.db.batch(&format!("SAVEPOINT {SAVEPOINT}"))?;
        let out = f(&*self.db);
        let end = match &out {
            Ok(_) => format!("RELEASE {SAVEPOINT}"),
            Err(_) => format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}"),
        };
        if let Err(e) = self.db.batch(&end) {
            let text = e.to_string();
            self.group.replace(Group::Broken(e));
            return match out {
                Err(own) => Err(own),
                Ok(_) => Err(Error::Database(text)),
            };
        }
        out
    }

    /// Whether a group is open (reads then run inside its transaction).
    pub(super) fn grouped(&self) -> bool {
        !matches!(&*self.group.borrow(), Group::None)
    }
}

/// The field `Engine` keeps a group's state in.
pub(super) type GroupCell = RefCell<Group>;
