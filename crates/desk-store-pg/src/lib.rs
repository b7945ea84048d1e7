//! The desk engine on PostgreSQL (docs/postgres.md): the second store behind the engine's
//! store interface, for several `desk serve` on one database.
//!
//! # Architecture Invariant
//!
//! The engine crate knows nothing of this crate; this crate implements the engine's store
//! interface with the synchronous `postgres` client, which runs a small tokio runtime
//! inside each connection — the reason it is not part of the engine. Its calls block:
//! callers run them on blocking threads, never on an async thread.

pub mod conn;
pub mod copy;
mod dialect;
pub mod listen;
pub mod schema;
mod store;

pub use conn::PgDb;
pub use store::{create, open};

#[doc(hidden)]
pub mod testing;
