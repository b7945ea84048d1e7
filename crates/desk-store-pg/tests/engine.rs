//! The engine's rule tests (docs/rules.md), the contract suite of both stores, run here on
//! PostgreSQL: the same files as the engine's own run on SQLite (`desk-engine/src/engine/
//! tests`), with `backing` giving each test a database of its own. Left out: what only
//! SQLite has (its file, its migrations, the step budget and costs counted in its steps).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The test files name the engine's items as `crate::...`, as inside the engine.
pub use desk_engine::*;

#[path = "../../desk-engine/src/engine/tests/accounts.rs"]
mod accounts;
#[path = "../../desk-engine/src/engine/tests/answers.rs"]
mod answers;
#[path = "engine/backing.rs"]
mod backing;
#[path = "../../desk-engine/src/engine/tests/bounds.rs"]
mod bounds;
#[path = "../../desk-engine/src/engine/tests/cascade.rs"]
mod cascade;
#[path = "../../desk-engine/src/engine/tests/conflicts.rs"]
mod conflicts;
#[path = "../../desk-engine/src/engine/tests/counts.rs"]
mod counts;
#[path = "../../desk-engine/src/engine/tests/escalate.rs"]
mod escalate;
#[path = "../../desk-engine/src/engine/tests/filters.rs"]
mod filters;
#[path = "../../desk-engine/src/engine/tests/fixture.rs"]
mod fixture;
#[path = "../../desk-engine/src/engine/tests/groups.rs"]
mod groups;
#[path = "../../desk-engine/src/engine/tests/history.rs"]
mod history;
#[path = "../../desk-engine/src/engine/tests/inbox.rs"]
mod inbox;
#[path = "../../desk-engine/src/engine/tests/invariants.rs"]
mod invariants;
#[path = "../../desk-engine/src/engine/tests/numbers.rs"]
mod numbers;
#[path = "../../desk-engine/src/engine/tests/outbox.rs"]
mod outbox;
#[path = "../../desk-engine/src/engine/tests/paging.rs"]
mod paging;
#[path = "../../desk-engine/src/engine/tests/permission.rs"]
mod permission;
#[path = "../../desk-engine/src/engine/tests/portal_due.rs"]
mod portal_due;
#[path = "../../desk-engine/src/engine/tests/portal_list.rs"]
mod portal_list;
#[path = "../../desk-engine/src/engine/tests/props.rs"]
mod props;
#[path = "../../desk-engine/src/engine/tests/routing.rs"]
mod routing;
#[path = "../../desk-engine/src/engine/tests/search.rs"]
mod search;
#[path = "../../desk-engine/src/engine/tests/search_walk.rs"]
mod search_walk;
#[path = "../../desk-engine/src/engine/tests/sorting.rs"]
mod sorting;
#[path = "../../desk-engine/src/engine/tests/taskfire.rs"]
mod taskfire;
#[path = "../../desk-engine/src/engine/tests/text.rs"]
mod text;
#[path = "../../desk-engine/src/engine/tests/tokens.rs"]
mod tokens;
#[path = "../../desk-engine/src/engine/tests/visibility.rs"]
mod visibility;
#[path = "../../desk-engine/src/engine/tests/work.rs"]
mod work;
#[path = "../../desk-engine/src/engine/tests/workflow.rs"]
mod workflow;
