//! The desk ticket engine: the domain of docs/rules.md on a durable embedded store.
//!
//! # Architecture Invariant
//!
//! This crate does no terminal IO, no network IO and knows nothing of tokio, HTTP or the
//! app; its dependency list enforces that (no ratatui, crossterm, tokio, reqwest, axum).
//! Its API is synchronous. Callers that are async run it on blocking threads.
//!
//! - `domain/`: the rules as pure functions over values, the clock passed in.
//! - `setup/`: reading and validating the setup file (docs/rules.md, "The setup file").
//! - `store/`: SQLite: opening, creating, the schema, the cached directory of names.
//! - `engine/`: the [`Engine`] facade. Each change is one transaction, workflow rules and
//!   notifications included; a refused or failed change leaves the store as it was.
//!
//! The public types carry names, not store ids, and no serde: wire formats belong to the
//! binary that speaks them.

pub mod domain;
mod engine;
mod error;
pub mod model;
pub mod setup;
pub mod store;

/// The property tests' runner and strategies: for tests, here and in the binary.
#[cfg(any(test, feature = "fuzz"))]
#[doc(hidden)]
pub mod fuzz;

pub use engine::{Clock, Credentials, DemoStats, Engine, MAX_DEMO_TICKETS, Sender};
pub use error::{Error, Result};
pub use setup::Setup;
