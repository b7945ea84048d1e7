//! The terminal app (docs/tui.md; ratatui + crossterm + tokio) over the `Backend` trait.
//!
//! Key -> action -> `update` (pure) -> effects; effects run as tasks and answer with
//! events tagged by request id; the loop drains pending events, then draws once.
//! Deliberately absent: any direct use of the engine; any await on the backend in the key
//! path; any clock read while rendering.

mod action;
mod app;
mod config;
mod drafts;
mod due;
mod effect;
mod event;
pub(crate) mod feed;
mod keymap;
mod ops;
mod popup;
mod query;
mod state;
mod theme;
mod trace;
mod ui;
mod update;

#[cfg(test)]
mod query_props;
#[cfg(test)]
mod tests;

pub use app::{Keep, run};
pub use trace::start as start_trace;
