//! The `Engine` facade: resolves who acts, owns each transaction, and hands out views.
//! Every public method that changes something runs in one `BEGIN IMMEDIATE` transaction,
//! workflow rules and notifications included; an error rolls all of it back.

mod accounts;
mod demo;
mod group;
mod inbox;
mod input;

mod portal;
pub(crate) mod read;
mod rules;
mod taskfire;
mod tokens;
mod write;

pub use accounts::Credentials;
pub use demo::DemoStats;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::path::Path;
use std::sync::atomic::Ordering;

use crate::error::{Error, Result};
use crate::model::*;
use crate::setup::Setup;
use crate::store::search::SearchWalk;
use crate::store::sql::Store;
use crate::store::sqlite::{SPENT, STEPS_PER_TICK, UNLIMITED};
use crate::store::words::Words;
use crate::store::{self, Dir};

/// Where "now" comes from: the system clock, or a fixed instant (`DESK_NOW`, tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }
}

pub struct Engine {
    db: Box<dyn Store>,
    dir: Dir,
    clock: Clock,
    words: Words,
    search_walk: SearchWalk,
    /// The group commit this engine's writes are part of, if any (`group`).
    group: group::GroupCell,
}

/// The most tickets `generate_demo_tickets` makes: ten million is a large desk's
/// decades; more would only fill the disk (`desk init --tickets`).
pub const MAX_DEMO_TICKETS: u64 = 10_000_000;

/// Who acts, resolved against the directory.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub email: String,
    pub tz: Tz,
    pub kind: WhoKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhoKind {
    Resource { service_desk: bool },
    Taskfire { company_id: i64 },
    Contact { company_id: i64, level: PortalLevel },
}

impl Who {
    /// The desk this actor works: 0 for the provider, the company for Taskfire staff.
    pub fn side(&self) -> Result<i64> {
        match self.kind {
            WhoKind::Resource { .. } => Ok(0),
            WhoKind::Taskfire { company_id } => Ok(company_id),
            WhoKind::Contact { .. } => Err(Error::NotAllowed(format!(
                "{} is a portal contact; contacts use the portal commands (desk portal ...)",
                self.login
            ))),
        }
    }

    /// The public face of who acts (for callers and the pure permission rules).
    pub fn actor(&self, dir: &Dir) -> Actor {
        let company = |id: i64| {
            dir.company_by_id(id)
                .map(|c| c.name.clone())
                .unwrap_or_default()
        };
        let kind = match self.kind {
            WhoKind::Resource { service_desk } => ActorKind::Resource { service_desk },
            WhoKind::Taskfire { company_id } => ActorKind::TaskfireResource {
                company: company(company_id),
            },
            WhoKind::Contact { company_id, level } => ActorKind::Contact {
                company: company(company_id),
                portal: level,
            },
        };
        Actor {
            login: self.login.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            time_zone: self.tz.name().to_string(),
            kind,
        }
    }

    pub fn creator_kind(&self) -> &'static str {
        match self.kind {
            WhoKind::Contact { .. } => "contact",
            _ => "resource",
        }
    }
}

impl Engine {
    /// Creates a new store at `path` from `setup`; nothing is left behind on failure.
    pub fn init(path: &Path, setup: &Setup) -> Result<()> {
        store::create(path, setup, |_| Ok(()))
    }

    /// Creates a new store and lets `fill` work on it (e.g. generate demo tickets) before
    /// it appears at `path`: all of it lands, or none.
    pub fn init_with(
        path: &Path,
        setup: &Setup,
        clock: Clock,
        fill: impl FnOnce(&mut Engine) -> Result<()>,
    ) -> Result<()> {
        store::create(path, setup, |tmp| {
            let mut engine = Engine::open(tmp, clock)?;
            fill(&mut engine)
        })
    }

    pub fn open(path: &Path, clock: Clock) -> Result<Engine> {
        Engine::with_store(Box::new(store::open(path)?), clock)
    }

    /// The engine on an opened store (the SQLite file of `open`, or a PostgreSQL
    /// database: the crate desk-store-pg).
    pub fn with_store(db: Box<dyn Store>, clock: Clock) -> Result<Engine> {
        // Every instant desk stores is one it accepts as input, "now" included.
        if let Clock::Fixed(t) = clock {
            crate::domain::time::check_instant("now", t)?;
        }
        let dir = Dir::load(&*db)?;
        Ok(Engine {
            db,
            dir,
            clock,
            words: Words::new(),
            search_walk: SearchWalk::default(),
            group: Default::default(),
        })
    }

    /// The store underneath, for what only it can answer (its kind, a bulk copy).
    pub fn store(&self) -> &dyn Store {
        &*self.db
    }

    /// How search pages meet their matches from now on (docs/lists.md, "Searching"):
    /// for tests, which hold every way to the same answers, and benchmarks.
    pub fn set_search_walk(&mut self, walk: SearchWalk) {
        self.search_walk = walk;
    }

    /// Runs the read `f` within a budget of about `steps` steps of SQLite's virtual
    /// machine (a 50-ticket page takes some thousands). A read that needs more is stopped
    /// and answers `Error::OverBudget`, so that a caller which must not block for long
    /// (an async server thread) can run it again where it may take its time. Reads only:
    /// a stopped write would be rolled back whole, but there is no reason to start one
    /// that may be stopped.
    pub fn within_budget<T>(
        &mut self,
        steps: u32,
        f: impl FnOnce(&mut Engine) -> Result<T>,
    ) -> Result<T> {
        let Some(budget) = self.db.budget() else {
            // A store without a step budget (PostgreSQL) runs the read as it is; its
            // callers run it on a blocking thread.
            return f(self);
        };
        let ticks = i64::from(steps) / i64::from(STEPS_PER_TICK);
        budget.store(ticks.max(1), Ordering::Relaxed);
        let out = f(self);
        let spent = self
            .db
            .budget()
            .map(|b| b.swap(UNLIMITED, Ordering::Relaxed));
        match spent {
            Some(SPENT) => Err(Error::OverBudget { steps }),
            _ => out,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Whether reads may run within a step budget on the caller's thread (SQLite); a
    /// store without one (PostgreSQL) blocks on the network and must be called on a
    /// blocking thread.
    pub fn reads_inline(&self) -> bool {
        self.db.budget().is_some()
    }

    /// A number that moves when another connection (another engine, another process)
    /// commits a change to the store.
    pub fn data_version(&self) -> Result<i64> {
        self.db.data_version()
    }

    /// Where a change feed that starts now begins (`changes_since`).
    pub fn change_horizon(&self) -> Result<i64> {
        self.db.change_horizon()
    }

    /// The changes committed since `cursor` (at most `limit`), and where to go on from.
    pub fn changes_since(&self, cursor: i64, limit: i64) -> Result<(Vec<Change>, i64)> {
        self.db.changes_since(cursor, limit)
    }

    pub fn desk_name(&self) -> &str {
        &self.dir.desk_name
    }

    pub fn time_zone(&self) -> Tz {
        self.dir.tz
    }

    /// The login that acts when none is named: the first resource with Service Desk
    /// access in the setup (else the first resource).
    pub fn default_login(&self) -> Option<String> {
        let provider = || self.dir.resources.iter().filter(|r| r.company_id.is_none());
        provider()
            .find(|r| r.service_desk)
            .or_else(|| provider().next())
            .map(|r| r.login.clone())
    }

    /// Resolves a login (resource, Taskfire resource or contact).
    pub fn actor(&self, login: &str) -> Result<Actor> {
        Ok(who(&self.dir, login.trim())?.actor(&self.dir))
    }

    pub(crate) fn who(&self, actor: &Actor) -> Result<Who> {
        who(&self.dir, &actor.login)
    }

    /// Runs `f` in one write transaction; commits only if it succeeds, with what it did
    /// written to the search index and the changes table (`kind`: what the change is,
    /// for the feed). A transaction the database asks to run again (PostgreSQL: a
    /// deadlock between two servers) runs again, a few times.
    fn write<T>(
        &mut self,
        actor: &Actor,
        kind: &str,
        mut f: impl FnMut(&mut write::W) -> Result<T>,
    ) -> Result<T> {
        let who = who(&self.dir, &actor.login)?;
        let now = self.clock.now();
        let mut tries = 0;
        loop {
            tries += 1;
            let out = self.transaction(|db| {
                let mut w = write::W::new(db, &self.words, &self.dir, now, &who);
                let out = f(&mut w)?;
                w.finish(kind)?;
                Ok(out)
            });
            match out {
                Err(Error::Retry(_)) if tries < 5 => continue,
                out => return out,
            }
        }
    }

    /// Runs `f` in one write transaction: committed if it succeeds, rolled back whole if
    /// not.
    fn transaction<T>(&self, f: impl FnOnce(&dyn Store) -> Result<T>) -> Result<T> {
        if self.grouped() {
            return self.in_savepoint(f);
        }
        self.db.begin(true)?;
        match f(&*self.db) {
            Ok(v) => match self.db.commit() {
                Ok(()) => Ok(v),
                Err(e) => {
                    let _ = self.db.rollback();
                    Err(e)
                }
            },
            Err(e) => {
                let _ = self.db.rollback();
                Err(e)
            }
        }
    }

    /// Runs the read `f` in one read transaction: its statements (a page and its
    /// history, shares and inbox marks) see one state of the store, and take SQLite's
    /// read lock once rather than once each. `seer`: whose inbox the views mark.
    fn snapshot<T>(&self, seer: Option<&Who>, f: impl FnOnce(&read::R) -> Result<T>) -> Result<T> {
        let r = read::R {
            db: &*self.db,
            words: &self.words,
            dir: &self.dir,
            now: self.clock.now(),
            seer: seer.and_then(Who::resource_id),
            walk: self.search_walk,
        };
        if self.grouped() {
            // Inside a group's write transaction: it sees the group's writes so far.
            return f(&r);
        }
        self.db.begin(false)?;
        // Ended either way, even when the COMMIT itself fails: a step budget that runs out
        // inside it interrupts it (`within_budget`), and a read left open made the engine
        // refuse every read after it.
        let out = f(&r).and_then(|v| self.db.commit().map(|()| v));
        if out.is_err() {
            // A read changed nothing: ending it cannot lose anything.
            let _ = self.db.rollback();
        }
        out
    }

    /// A ticket after a change, as the actor who made it sees it.
    fn staff_view(&self, actor: &Actor, id: i64) -> Result<Ticket> {
        let who = self.who(actor)?;
        self.snapshot(Some(&who), |r| r.ticket_by_id(id, read::Audience::Staff))
    }

    // ---- the operations ----

    pub fn catalog(&self, actor: &Actor) -> Result<Catalog> {
        let who = self.who(actor)?;
        self.snapshot(None, |r| r.catalog(actor, &who))
    }

    pub fn create_ticket(&mut self, actor: &Actor, new: NewTicket) -> Result<Ticket> {
        let id = self.write(actor, "created", |w| w.create_ticket(new.clone()))?;
        self.staff_view(actor, id)
    }

    pub fn list_tickets(
        &self,
        actor: &Actor,
        filter: &TicketFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        self.list_tickets_known(actor, filter, page, &mut |_| false)
            .map(crate::store::list::built)
    }

    /// `list_tickets` for a reader that keeps views (`desk serve`): a ticket whose stamp
    /// `known` accepts comes back as `Shown::Known`, unbuilt. `known` is asked once for
    /// each ticket of the page, within the read.
    pub fn list_tickets_known(
        &self,
        actor: &Actor,
        filter: &TicketFilter,
        page: &PageRequest,
        known: &mut dyn FnMut(&ViewStamp) -> bool,
    ) -> Result<Page<Shown>> {
        let who = self.who(actor)?;
        self.snapshot(Some(&who), |r| r.list(&who, filter, page, known))
    }

    /// How many tickets of the actor's desk `filter` matches (docs/lists.md, "Counts").
    pub fn count_tickets(&self, actor: &Actor, filter: &TicketFilter) -> Result<u64> {
        let who = self.who(actor)?;
        self.snapshot(None, |r| r.count(&who, filter))
    }

    /// Takes ticket `number` out of the acting technician's inbox (they opened it); other
    /// technicians' inboxes and the ticket itself stay as they are.
    pub fn mark_seen(&mut self, actor: &Actor, number: &str) -> Result<()> {
        self.write(actor, "updated", |w| w.mark_seen(number))
    }

    pub fn ticket(&self, actor: &Actor, number: &str) -> Result<Ticket> {
        let who = self.who(actor)?;
        self.snapshot(Some(&who), |r| {
            let row = r.find(who.side()?, number)?;
            r.view(row, read::Audience::Staff)
        })
    }

    pub fn update_ticket(
        &mut self,
        actor: &Actor,
        number: &str,
        change: TicketChange,
    ) -> Result<Ticket> {
        let id = self.write(actor, "updated", |w| {
            w.update_ticket(number, change.clone())
        })?;
        self.staff_view(actor, id)
    }

    pub fn delete_ticket(&mut self, actor: &Actor, number: &str) -> Result<()> {
        self.delete_ticket_at(actor, number, None)
    }

    /// A delete conditional on the version the caller saw, as `update_ticket` with
    /// `expected_version`: refused with a conflict (carrying the ticket as it is now),
    /// nothing deleted, when the ticket is at another version.
    pub fn delete_ticket_at(
        &mut self,
        actor: &Actor,
        number: &str,
        expected_version: Option<i64>,
    ) -> Result<()> {
        self.write(actor, "deleted", |w| {
            w.delete_ticket(number, expected_version)
        })
    }

    pub fn add_note(
        &mut self,
        actor: &Actor,
        number: &str,
        text: &str,
        publish: bool,
    ) -> Result<Ticket> {
        let id = self.write(actor, "note", |w| w.add_note(number, text, publish))?;
        self.staff_view(actor, id)
    }

    pub fn create_series(&mut self, actor: &Actor, new: NewSeries) -> Result<Vec<Ticket>> {
        let ids = self.write(actor, "created", |w| w.create_series(new.clone()))?;
        let who = self.who(actor)?;
        self.snapshot(Some(&who), |r| {
            ids.into_iter()
                .map(|id| r.ticket_by_id(id, read::Audience::Staff))
                .collect()
        })
    }

    pub fn taskfire_assign(
        &mut self,
        actor: &Actor,
        number: &str,
        a: TaskfireAssign,
    ) -> Result<Ticket> {
        let id = self.write(actor, "updated", |w| w.taskfire_assign(number, a.clone()))?;
        self.staff_view(actor, id)
    }

    pub fn taskfire_complete(
        &mut self,
        actor: &Actor,
        number: &str,
        note: Option<&str>,
    ) -> Result<Ticket> {
        self.taskfire_complete_at(actor, number, note, None)
    }

    /// T2 conditional on the version of the provider's ticket the caller saw (a
    /// conflict, nothing written, when it is at another), as `update_ticket`.
    pub fn taskfire_complete_at(
        &mut self,
        actor: &Actor,
        number: &str,
        note: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Ticket> {
        let id = self.write(actor, "updated", |w| {
            w.taskfire_complete(number, note, expected_version)
        })?;
        self.staff_view(actor, id)
    }

    pub fn taskfire_ask(&mut self, actor: &Actor, number: &str, note: &str) -> Result<Ticket> {
        let id = self.write(actor, "note", |w| w.taskfire_ask(number, note))?;
        self.staff_view(actor, id)
    }

    pub fn taskfire_escalate(&mut self, actor: &Actor, number: &str, note: &str) -> Result<Ticket> {
        self.taskfire_escalate_at(actor, number, note, None)
    }

    /// T5 conditional on the version of their desk's ticket the Taskfire resource saw.
    pub fn taskfire_escalate_at(
        &mut self,
        actor: &Actor,
        number: &str,
        note: &str,
        expected_version: Option<i64>,
    ) -> Result<Ticket> {
        let id = self.write(actor, "updated", |w| {
            w.taskfire_escalate(number, note, expected_version)
        })?;
        self.staff_view(actor, id)
    }

    pub fn portal_submit(&mut self, actor: &Actor, s: PortalSubmit) -> Result<Ticket> {
        let id = self.write(actor, "created", |w| w.portal_submit(s.clone()))?;
        self.snapshot(None, |r| r.ticket_by_id(id, read::Audience::Portal))
    }

    pub fn portal_list(
        &self,
        actor: &Actor,
        filter: &PortalFilter,
        page: &PageRequest,
    ) -> Result<Page<Ticket>> {
        let who = self.who(actor)?;
        self.snapshot(None, |r| r.portal_list(&who, filter, page))
    }

    pub fn portal_show(&self, actor: &Actor, number: &str) -> Result<Ticket> {
        let who = self.who(actor)?;
        self.snapshot(None, |r| {
            let row = r.portal_row(&who, number)?;
            r.view(row, read::Audience::Portal)
        })
    }

    pub fn portal_note(&mut self, actor: &Actor, number: &str, text: &str) -> Result<Ticket> {
        let id = self.write(actor, "note", |w| w.portal_note(number, text))?;
        self.snapshot(None, |r| r.ticket_by_id(id, read::Audience::Portal))
    }

    /// The outbox, newest first, a page at a time.
    pub fn notifications(&self, actor: &Actor, page: &PageRequest) -> Result<Page<Notification>> {
        let who = self.who(actor)?;
        self.snapshot(None, |r| r.notifications(&who, page))
    }

    /// Hands every unsent message of the outbox to `sender`; marks those it accepted.
    pub fn deliver(&mut self, sender: &mut dyn Sender) -> Result<usize> {
        let now = self.clock.now();
        self.transaction(|db| rules::deliver(db, sender, now))
    }

    /// A new API token for `login`, valid until `expires` (`None`: until revoked). The
    /// token is returned once; the store keeps only its hash.
    pub fn create_token(&mut self, login: &str, expires: Option<DateTime<Utc>>) -> Result<String> {
        let actor = self.actor(login)?;
        let now = self.clock.now();
        if let Some(at) = expires.filter(|at| *at <= now) {
            return Err(Error::invalid(
                "expires",
                format!("{at} is not in the future (it is {now} now)"),
            ));
        }
        if let Some(at) = expires {
            crate::domain::time::check_instant("expires", at)?;
        }
        self.transaction(|db| tokens::create(db, &actor.login, now, expires))
    }

    /// Every API token in the store (never the token itself), expired ones included.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>> {
        tokens::list(&*self.db)
    }

    /// Revokes every API token of `login` and, for a contact, ends their portal sessions
    /// (at once: the server checks both per request).
    pub fn revoke_tokens(&mut self, login: &str) -> Result<Revoked> {
        let actor = self.actor(login)?;
        let contact = self
            .dir
            .contacts
            .iter()
            .find(|c| c.login.eq_ignore_ascii_case(&actor.login))
            .map(|c| c.id);
        self.transaction(|db| {
            Ok(Revoked {
                tokens: tokens::revoke(db, &actor.login)?,
                sessions: match contact {
                    Some(id) => accounts::end_sessions_of(db, id)?,
                    None => 0,
                },
            })
        })
    }

    pub fn authenticate(&self, token: &str) -> Result<Actor> {
        let login = tokens::login_for(&*self.db, token, self.clock.now())?;
        self.actor(&login).map_err(|_| Error::BadToken)
    }

    /// Fills the desk with `count` generated tickets (demos, benchmarks).
    pub fn generate_demo_tickets(&mut self, count: u64, seed: u64) -> Result<DemoStats> {
        if count > MAX_DEMO_TICKETS {
            return Err(Error::invalid(
                "tickets",
                format!("{count} is more than {MAX_DEMO_TICKETS}, the most desk generates"),
            ));
        }
        let now = self.clock.now();
        self.transaction(|db| demo::generate(db, &self.words, &self.dir, now, count, seed))
    }
}

/// The pluggable delivery of notifications beyond the outbox.
pub trait Sender {
    /// Delivers one message; an error leaves it in the outbox for the next try.
    fn send(&mut self, n: &Notification) -> std::result::Result<(), String>;
}

fn who(dir: &Dir, login: &str) -> Result<Who> {
    if let Some(r) = dir
        .resources
        .iter()
        .find(|r| r.login.eq_ignore_ascii_case(login))
    {
        let kind = match r.company_id {
            None => WhoKind::Resource {
                service_desk: r.service_desk,
            },
            Some(c) => WhoKind::Taskfire { company_id: c },
        };
        return Ok(Who {
            id: r.id,
            login: r.login.clone(),
            name: r.name.clone(),
            email: r.email.clone(),
            tz: r.tz,
            kind,
        });
    }
    if let Some(c) = dir
        .contacts
        .iter()
        .find(|c| c.login.eq_ignore_ascii_case(login))
    {
        return Ok(Who {
            id: c.id,
            login: c.login.clone(),
            name: c.name.clone(),
            email: c.email.clone(),
            tz: c.tz,
            kind: WhoKind::Contact {
                company_id: c.company_id.unwrap_or(0),
                level: c.portal,
            },
        });
    }
    Err(Error::not_found("login", login))
}

#[cfg(test)]
mod tests;
