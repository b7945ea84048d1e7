//! Typed errors of the engine. Every refusal names the value that was wrong, so that the
//! CLI, the TUI and the HTTP API can pass it on unchanged.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A name or number that does not exist (or that the actor may not see).
    #[error("unknown {what} \"{name}\"")]
    NotFound { what: &'static str, name: String },

    /// Input that is malformed or breaks a rule; `field` names the input.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    /// R8 and friends: the actor may see the thing but not do this.
    #[error("not allowed: {0}")]
    NotAllowed(String),

    /// Optimistic concurrency: the ticket changed since the caller read it (or the
    /// caller names a version it never had).
    #[error("{}", conflict_message(number, *expected, *actual))]
    Conflict {
        number: String,
        expected: i64,
        actual: i64,
        /// The ticket as it is now: its fields are theirs, and its notes and events of a
        /// version after `expected` are what changed since (and by whom).
        current: Box<crate::model::Ticket>,
    },

    /// A setup file that cannot be used; nothing was written.
    #[error("{file}:{line}: {key}: {message}")]
    Setup {
        file: String,
        line: usize,
        key: String,
        message: String,
    },

    #[error(
        "no desk store at {0}; create one with `desk init --demo` or `desk init --setup FILE` (or try `desk demo`)"
    )]
    NoStore(PathBuf),

    #[error("a desk store already exists at {0}")]
    StoreExists(PathBuf),

    #[error(
        "the store at {path} was written by a newer desk (schema {found}, this desk knows up to {supported}); upgrade desk"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error("invalid or revoked token")]
    BadToken,

    /// A portal sign-in with an unknown login, a login without a password or a wrong
    /// password: one message for all three, so that it does not tell which.
    #[error("the login or the password is not right")]
    SignInFailed,

    /// A real token past its end: its owner needs a new one.
    #[error("the token expired at {at}; make a new one with `desk token create`")]
    TokenExpired { at: chrono::DateTime<chrono::Utc> },

    /// `Engine::within_budget`: the read needed more than its budget and was stopped.
    #[error("the read needed more than {steps} steps and was stopped; run it without a budget")]
    OverBudget { steps: u32 },

    #[error("store: {0}")]
    Store(#[from] rusqlite::Error),

    /// The database answered, but not as desk expected (a driver's own error).
    #[error("database: {0}")]
    Database(String),

    /// The database asks for the transaction to run again (PostgreSQL: a deadlock or a
    /// serialization failure between two servers); nothing of it was kept.
    #[error("the database asked to try again: {0}")]
    Retry(String),

    /// The store's database cannot be reached now (a PostgreSQL server restarting, the
    /// network): nothing was done; try again.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

/// `Error::Conflict`'s message. A version ahead of the ticket's was never read from it:
/// saying someone else changed it would send the reader looking for a colleague.
fn conflict_message(number: &str, expected: i64, actual: i64) -> String {
    if expected > actual {
        format!(
            "ticket {number} is at version {actual}; version {expected} was never one of its versions; reload it"
        )
    } else {
        format!(
            "ticket {number} was changed by someone else (you have version {expected}, it is now at {actual}); reload it"
        )
    }
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A name given as an input value that names nothing (a queue, a status...): bad
    /// input naming its field, not a missing resource (HTTP 422, not 404).
    pub fn unknown(what: &'static str, name: impl Into<String>) -> Self {
        Error::Invalid {
            field: what.replace(' ', "_").to_lowercase(),
            message: format!("unknown {what} \"{}\"", name.into()),
        }
    }

    pub fn not_found(what: &'static str, name: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            name: name.into(),
        }
    }

    /// The store's disk (or file size limit) is full: SQLite's `SQLITE_FULL`, or a file
    /// write that failed for want of space. The transaction was rolled back, so nothing
    /// of the change was written; a server answers 507 rather than "internal error".
    pub fn is_disk_full(&self) -> bool {
        match self {
            Error::Store(rusqlite::Error::SqliteFailure(e, _)) => {
                e.code == rusqlite::ErrorCode::DiskFull
            }
            Error::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::FileTooLarge
                    | std::io::ErrorKind::QuotaExceeded
            ),
            _ => false,
        }
    }

    /// A stable, machine-readable code (used by the HTTP API and `--json` errors).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            // A store that is missing, in the way or too new: the request cannot be met as
            // given, like bad input; nothing is wrong inside desk.
            Error::Invalid { .. }
            | Error::Setup { .. }
            | Error::NoStore(_)
            | Error::StoreExists(_)
            | Error::SchemaTooNew { .. } => "invalid",
            Error::NotAllowed(_) => "not_allowed",
            Error::Conflict { .. } => "conflict",
            Error::BadToken | Error::TokenExpired { .. } | Error::SignInFailed => "unauthorized",
            Error::Unavailable(_) => "unavailable",
            Error::Store(_)
            | Error::Database(_)
            | Error::Retry(_)
            | Error::Io { .. }
            | Error::OverBudget { .. } => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn a_full_disk_is_told_apart_from_other_store_errors() {
        let sqlite = |code| {
            Error::Store(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        assert!(sqlite(rusqlite::ffi::SQLITE_FULL).is_disk_full());
        assert!(!sqlite(rusqlite::ffi::SQLITE_BUSY).is_disk_full());
        assert!(!sqlite(rusqlite::ffi::SQLITE_IOERR).is_disk_full());
        let io = |kind| Error::Io {
            context: "writing".into(),
            source: std::io::Error::from(kind),
        };
        assert!(io(std::io::ErrorKind::StorageFull).is_disk_full());
        assert!(!io(std::io::ErrorKind::PermissionDenied).is_disk_full());
        assert!(!Error::BadToken.is_disk_full());
    }
}
