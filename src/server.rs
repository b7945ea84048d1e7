//! `desk serve`: the engine over HTTP/JSON under `/api/v1` (docs/architecture.md,
//! docs/serve.md), and the Client Portal's web pages under `/portal/` (`portal_web`,
//! docs/portal.md). Handlers translate wire DTOs (src/api) or forms to engine calls and
//! back; the engine applies every rule (R6, R8), so the server adds identity (bearer
//! tokens, portal sessions), limits and the change feed, nothing else.
//! Nothing else in the binary imports this module's internals.

mod auth;
mod body;
mod error;
mod events;
mod extract;
mod kept;
mod limits;
mod listen;
mod pool;
mod portal;
mod portal_web;
mod store_feed;
mod tickets;

use crate::store_at::StoreAt;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use desk_engine::model::Ticket;
use desk_engine::{Clock, Engine};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

use crate::api::change::ChangeDto;
use crate::api::error::ErrorCode;
pub use error::ServeError;
pub use limits::{LimitArgs, Limits};
use pool::Pool;

/// Change events buffered per subscriber before a slow one is told it lagged.
const CHANGE_BUFFER: usize = 1024;

#[derive(Clone)]
pub struct AppState {
    pool: Arc<Pool>,
    changes: broadcast::Sender<FeedItem>,
    /// The feed reads the store's changes table (PostgreSQL, `store_feed`) rather than
    /// hearing of this server's changes as it makes them.
    from_store: bool,
    shutdown: watch::Receiver<bool>,
    web: Arc<portal_web::Web>,
    limits: Limits,
    conns: Arc<listen::conns::Conns>,
    /// The JSON of ticket views list pages sent lately (`kept`).
    kept: Arc<kept::Kept>,
}

/// What the change feed passes on.
#[derive(Debug, Clone)]
pub enum FeedItem {
    /// A change made through this server.
    Change(ChangeDto),
    /// The store changed outside this server (a `desk` command on the same file):
    /// which tickets is not known, so staff clients reload what they show.
    Reload,
}

impl AppState {
    /// Tells every change-feed subscriber who may see it what changed.
    fn publish(&self, kind: &str, actor: &str, t: &Ticket) {
        if self.from_store {
            return;
        }
        let at = self.pool.now();
        let mut desks = vec![(t.desk.clone(), Some(t.version))];
        // A shared ticket changes on both desks: the Taskfire side must hear of it, and
        // the provider of what the Taskfire side did (T3's answer, the Taskfire status).
        // The other desk's version is not at hand here, so that copy carries none.
        if let (Some(_), Some(company)) = (&t.taskfire, &t.company) {
            for desk in [company.as_str(), "provider"] {
                if desks.iter().all(|(d, _)| d != desk) {
                    desks.push((desk.to_string(), None));
                }
            }
        }
        for (desk, version) in desks {
            // No subscribers is the normal case for a CLI-only team; not an error.
            let _ = self.changes.send(FeedItem::Change(ChangeDto {
                kind: kind.to_string(),
                number: t.number.clone(),
                desk,
                version,
                actor: actor.to_string(),
                at,
            }));
        }
    }

    fn publish_deleted(&self, actor: &str, desk: String, number: String) {
        if self.from_store {
            return;
        }
        let _ = self.changes.send(FeedItem::Change(ChangeDto {
            kind: "deleted".into(),
            number,
            desk,
            version: None,
            actor: actor.to_string(),
            at: self.pool.now(),
        }));
    }
}

/// The routes of `/api/v1`, recorded as they are added so that a test can hold the
/// OpenAPI document to exactly this list.
pub struct Routes {
    router: Router<AppState>,
    pub listed: Vec<(&'static str, &'static str)>,
}

impl Routes {
    fn add(
        mut self,
        path: &'static str,
        methods: &[&'static str],
        r: MethodRouter<AppState>,
    ) -> Self {
        self.router = self.router.route(path, r);
        self.listed.extend(methods.iter().map(|m| (*m, path)));
        self
    }
}

pub fn routes() -> Routes {
    let r = Routes {
        router: Router::new(),
        listed: Vec::new(),
    };
    let r = tickets::routes(r);
    let r = portal::routes(r);
    r.add("/events", &["get"], get(events::feed))
        .add("/openapi.json", &["get"], get(openapi))
}

async fn openapi() -> Response {
    axum::Json(crate::api::openapi::document()).into_response()
}

async fn no_route() -> ServeError {
    ServeError::not_found("no such route; the API is described at /api/v1/openapi.json")
}

/// 405 in the one error shape, naming what the route does take.
async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> ServeError {
    let path = uri.path().to_string();
    ServeError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::Invalid,
        format!("{path} does not take {method}; see /api/v1/openapi.json"),
    )
}

/// The limits of every request, outside the routes: its body's (body.rs), then the time
/// to its answer.
async fn request_limits(State(limits): State<Limits>, req: Request, next: Next) -> Response {
    let req = match body::limit(&limits, req) {
        Ok(req) => req,
        Err(e) => return e.into_response(),
    };
    let limit = limits.request_time;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ServeError::unavailable(format!(
            "the request took longer than {} s; it may still have been applied, reload to see",
            limit.as_secs_f64()
        ))
        .into_response(),
    }
}

/// The whole router, with the state's limits: every request's (`request_limits`), then
/// the routes; under `/api/v1`, a request with a body shows its token before the body
/// is read (body.rs). Around it all, the portal's guard answers `/portal/` requests as
/// web pages, refusals of the limits included (portal_web.rs).
pub fn app(state: AppState) -> Router {
    let limits = state.limits.clone();
    let api = routes()
        .router
        .method_not_allowed_fallback(wrong_method)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            body::authenticate_then_read,
        ))
        .with_state(state.clone());
    Router::new()
        .nest("/api/v1", api)
        .merge(portal_web::router(state.clone()))
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(body::BODY_LIMIT))
        .layer(middleware::from_fn_with_state(limits, request_limits))
        .layer(middleware::from_fn_with_state(state, portal_web::guard))
}

/// Opens the store and builds the state, and starts watching the store for changes made
/// outside the server (in this runtime); `shutdown` ends the change feeds and the watch.
pub fn state(
    at: impl Into<StoreAt>,
    clock: Clock,
    shutdown: watch::Receiver<bool>,
    limits: Limits,
) -> Result<AppState, ServeError> {
    limits.check().map_err(ServeError::invalid)?;
    let at = at.into();
    let pool = Arc::new(Pool::open(&at, clock, pool_size(&at)?)?);
    let (changes, _) = broadcast::channel(CHANGE_BUFFER);
    let watcher = at.open_anywhere(clock)?;
    let web = Arc::new(portal_web::Web::new(
        watcher.desk_name(),
        watcher.public_url(),
    ));
    let from_store = match &at {
        StoreAt::Sqlite(_) => {
            tokio::spawn(watch_store(
                watcher,
                pool.clone(),
                changes.clone(),
                shutdown.clone(),
            ));
            false
        }
        // Several servers on one database: every change comes from the changes table.
        StoreAt::Postgres(url) => {
            store_feed::start(url, watcher, changes.clone(), shutdown.clone())?;
            true
        }
    };
    Ok(AppState {
        pool,
        changes,
        from_store,
        shutdown,
        web,
        conns: listen::conns::Conns::new(limits.clone()),
        limits,
        kept: Arc::new(kept::Kept::standard()),
    })
}

/// How often the store is checked for changes made outside the server.
const STORE_WATCH: Duration = Duration::from_millis(250);

/// Publishes `FeedItem::Reload` when the store changed but not through this server:
/// SQLite's `data_version` moved while the pool wrote nothing (its write count did not
/// move and no write was under way). A commit of the server's own that falls into the
/// same quarter second hides an outside one; the clients' periodic refresh covers that.
async fn watch_store(
    engine: Engine,
    pool: Arc<Pool>,
    changes: broadcast::Sender<FeedItem>,
    mut stop: watch::Receiver<bool>,
) {
    let mut seen = (engine.data_version().ok(), pool.writes());
    loop {
        tokio::select! {
            _ = stop.wait_for(|s| *s) => return,
            _ = tokio::time::sleep(STORE_WATCH) => {}
        }
        let before = pool.writes();
        let version = engine.data_version().ok();
        let after = pool.writes();
        let quiet = before == after && before == seen.1 && !after.under_way();
        if version != seen.0 && quiet {
            let _ = changes.send(FeedItem::Reload);
        }
        // `before`, not `after`: a whole write of the server's own between the version
        // read and `after` must not make the next poll look quiet.
        seen = (version, before);
    }
}

/// How many engines (SQLite connections) serve requests at once: `DESK_SERVE_ENGINES`,
/// else one per core. Readers run in parallel under WAL; writers queue on the pool's
/// write lock. More engines than cores did not help on two (BENCHMARKS.md, "desk serve").
/// How many engines serve reads at once (`DESK_SERVE_ENGINES`, docs/serve.md). On SQLite
/// one per core: a read works on the core it runs on. On PostgreSQL a read mostly waits
/// for the database, so four per core (at least eight): with one per core, two engines
/// on this project's 2-core machine let the database answer two queries at a time.
fn pool_size(at: &StoreAt) -> Result<usize, ServeError> {
    match std::env::var("DESK_SERVE_ENGINES") {
        Ok(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=256).contains(n))
            .ok_or_else(|| {
                ServeError::invalid(format!(
                    "DESK_SERVE_ENGINES=\"{v}\" is not a number from 1 to 256"
                ))
            }),
        Err(_) => {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            Ok(match at {
                StoreAt::Sqlite(_) => cores,
                StoreAt::Postgres(_) => (4 * cores).max(8),
            })
        }
    }
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting, lets every request in flight
/// finish (writes included) and ends the change feeds.
pub async fn serve(
    listen: &str,
    at: &StoreAt,
    clock: Clock,
    limits: Limits,
) -> Result<(), ServeError> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let stop_rx_for_loop = stop_rx.clone();
    limits.check().map_err(ServeError::invalid)?;
    let (limits, note) = limits.fit_open_files(pool_size(at)?);
    if let Some(note) = note {
        eprintln!("{note}");
    }
    let state = state(at, clock, stop_rx, limits)?;
    let pool = state.pool.clone();
    let kept = state.kept.clone();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ServeError::invalid(format!("cannot listen on {listen}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::internal(format!("no local address: {e}")))?;
    let signal = stop_signal()?;
    // Tests and scripts read this line to learn the port when they asked for port 0.
    println!("desk serve: listening on http://{addr}");
    eprintln!("desk serve: store {}", at.describe());
    let stopper = async move {
        signal.await;
        eprintln!("desk serve: shutting down; finishing requests in flight");
        let _ = stop_tx.send(true);
    };
    let conns = state.conns.clone();
    tokio::join!(
        stopper,
        listen::run(listener, app(state), conns, stop_rx_for_loop)
    );
    // For whoever tunes `pool::INLINE_STEPS` and `kept::KEPT_BYTES`.
    eprintln!(
        "desk serve: stopped; {} reads needed more than the inline budget; {} ticket views were sent as kept",
        pool.reads_over_budget(),
        kept.sent()
    );
    Ok(())
}

/// SIGTERM or Ctrl-C. The handlers are installed when this is built, before the server
/// says it listens, so that a signal sent right after that line is never fatal.
fn stop_signal() -> Result<impl std::future::Future<Output = ()>, ServeError> {
    let failed = |e: std::io::Error| ServeError::internal(format!("cannot handle signals: {e}"));
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(failed)?;
        let mut int = signal(SignalKind::interrupt()).map_err(failed)?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        let _ = failed;
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests;

/// Keeps the router's state type in one place for the handler modules.
type St = State<AppState>;
