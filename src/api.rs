//! Wire types: the JSON that `--json` prints and that `/api/v1` speaks. The only place
//! that knows the wire format; engine types never reach serde directly (docs/architecture.md, "The wire").

pub mod catalog;
pub mod change;
pub mod error;
pub mod openapi;
pub mod page;
#[cfg(test)]
mod props;
pub mod request;
pub mod ticket;
pub mod time;
pub mod token;

pub use page::{CountDto, PageDto};
pub use ticket::*;
