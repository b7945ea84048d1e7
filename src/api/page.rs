//! A page of a list on the wire, version 1.

use serde::{Deserialize, Serialize};

/// A page of a list: the items and the cursor of the next page (`?after=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageDto<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

/// The answer of `GET /tickets/count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountDto {
    pub count: u64,
}
