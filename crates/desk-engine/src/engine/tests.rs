//! Rule tests of the `Engine` facade (SPEC §3–§4), each on a real SQLite file in a temp
//! folder, with the clock frozen and time zones picked so that dates cross midnight.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod fixture;
mod invariants;

mod accounts;
mod budget;
mod cascade;
mod counts;
mod escalate;
mod history;
mod numbers;
mod outbox;
mod paging;
mod permission;
mod portal_due;
mod portal_list;
mod routing;
mod search;
mod store;
mod taskfire;
mod tokens;
mod visibility;
mod workflow;
