//! Rule tests of the `Engine` facade (SPEC §3–§4), each on a real SQLite file in a temp
//! folder, with the clock frozen and time zones picked so that dates cross midnight.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fixture;
mod invariants;

mod budget;
mod cascade;
mod conflicts;
mod counts;
mod escalate;
mod filters;
mod history;
mod inbox;
mod numbers;
mod outbox;
mod page_cost;
mod paging;
mod permission;
mod portal_due;
mod routing;
mod search;
mod sorting;
mod store;
mod taskfire;
mod tokens;
mod visibility;
mod workflow;
