//! Rule tests of the `Engine` facade (docs/rules.md: R1–R8, T1–T5), each on a real SQLite file in a temp
//! folder, with the clock frozen and time zones picked so that dates cross midnight.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod backing;
mod fixture;
mod invariants;

mod accounts;
mod answers;
mod bounds;
mod budget;
mod cascade;
mod conflicts;
mod counts;
mod escalate;
mod filters;
mod groups;
mod history;
mod inbox;
mod numbers;
mod outbox;
mod page_cost;
mod paging;
mod permission;
mod plans;
mod portal_due;
mod portal_list;
mod props;
mod routing;
mod search;
mod search_walk;
mod sorting;
mod store;
mod taskfire;
mod text;
mod title_words;
mod tokens;
mod visibility;
mod work;
mod workflow;
