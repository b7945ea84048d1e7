//! Every limit of `desk serve` in one place, with its default (docs/serve.md, "Limits").
//! They apply to every route, the API's and the portal's alike. The counts can be set on
//! the command line (a server behind a reverse proxy sees every client at the proxy's
//! address, say); the times are fixed, and tests set shorter ones.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// A request body must have arrived whole this long after its headers (else 408,
    /// and nothing was applied).
    pub body_time: Duration,
    /// A request that has not produced its answer by then gets 503. Engine work already
    /// started still commits or rolls back as one transaction: never half-written.
    pub request_time: Duration,
    /// A new connection must have sent a whole request head by then, or it is closed.
    pub first_request_time: Duration,
    /// A kept-alive connection must send its next request head within this (idle and
    /// reading included), or it is closed.
    pub idle_time: Duration,
    /// Open connections for requests, change feeds not counted. When all are taken, a
    /// new one replaces the oldest idle connection of the address holding the most.
    pub connections: usize,
    /// Open connections for requests from one client address (an IPv6 client: its /64).
    pub connections_per_address: usize,
    /// Open change feeds (`/api/v1/events`), apart from the connections above.
    pub feeds: usize,
    /// Open change feeds of one login, whichever of its tokens they use.
    pub feeds_per_login: usize,
    /// Open change feeds from one client address.
    pub feeds_per_address: usize,
}

impl Default for Limits {
    fn default() -> Self {
        DEFAULT
    }
}

/// The defaults, also those of the command line.
pub const DEFAULT: Limits = Limits {
    body_time: Duration::from_secs(10),
    request_time: Duration::from_secs(30),
    first_request_time: Duration::from_secs(3),
    idle_time: Duration::from_secs(10),
    connections: 1024,
    connections_per_address: 128,
    feeds: 512,
    feeds_per_login: 8,
    feeds_per_address: 32,
};

/// The counted limits on `desk serve`'s command line; behind a reverse proxy every client
/// has the proxy's address, so the per-address ones need raising there.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// Open connections for requests in all (change feeds not counted).
    #[arg(long, value_name = "N", default_value_t = DEFAULT.connections)]
    pub max_connections: usize,
    /// Open connections for requests from one client address.
    #[arg(long, value_name = "N", default_value_t = DEFAULT.connections_per_address)]
    pub max_connections_per_address: usize,
    /// Open change feeds in all.
    #[arg(long, value_name = "N", default_value_t = DEFAULT.feeds)]
    pub max_feeds: usize,
    /// Open change feeds of one login.
    #[arg(long, value_name = "N", default_value_t = DEFAULT.feeds_per_login)]
    pub max_feeds_per_login: usize,
    /// Open change feeds from one client address.
    #[arg(long, value_name = "N", default_value_t = DEFAULT.feeds_per_address)]
    pub max_feeds_per_address: usize,
}

impl From<LimitArgs> for Limits {
    fn from(a: LimitArgs) -> Self {
        Limits {
            connections: a.max_connections,
            connections_per_address: a.max_connections_per_address,
            feeds: a.max_feeds,
            feeds_per_login: a.max_feeds_per_login,
            feeds_per_address: a.max_feeds_per_address,
            ..DEFAULT
        }
    }
}

/// Open files beyond the connections and feeds: the listener, the standard streams,
/// connections being refused at the door; each pool engine adds three (the store, its
/// write-ahead log and its shared memory).
const SPARE_FILES: usize = 32;

impl Limits {
    /// Raises the process's soft limit on open files as far as the connections and feeds
    /// (and `engines` pool engines) need, up to the hard limit. Where they still do not
    /// fit, lowers them to fit (two thirds for requests, a third for feeds) and says so:
    /// over the limit, accepting would fail and every new client would wait.
    pub fn fit_open_files(self, engines: usize) -> (Limits, Option<String>) {
        let spare = SPARE_FILES + 3 * (engines + 1);
        let needed = self.connections + self.feeds + spare;
        let Ok(have) = rlimit::increase_nofile_limit(needed as u64) else {
            return (self, None);
        };
        let have = usize::try_from(have).unwrap_or(usize::MAX);
        if have >= needed {
            return (self, None);
        }
        let room = have.saturating_sub(spare).max(3);
        let connections = self.connections.min((room * 2 / 3).max(2));
        let feeds = self.feeds.min((room - connections).max(1));
        let fitted = Limits {
            connections,
            connections_per_address: self.connections_per_address.min(connections),
            feeds,
            feeds_per_login: self.feeds_per_login.min(feeds),
            feeds_per_address: self.feeds_per_address.min(feeds),
            ..self
        };
        let note = format!(
            "desk serve: this process may open {have} files (ulimit -n), fewer than the {needed} its limits need: serving at most {connections} connections and {feeds} change feeds; raise the hard limit for more"
        );
        (fitted, Some(note))
    }

    /// Refuses limits that cannot work together, naming the one to change.
    pub fn check(&self) -> Result<(), String> {
        let counts = [
            ("--max-connections", self.connections),
            (
                "--max-connections-per-address",
                self.connections_per_address,
            ),
            ("--max-feeds", self.feeds),
            ("--max-feeds-per-login", self.feeds_per_login),
            ("--max-feeds-per-address", self.feeds_per_address),
        ];
        if let Some((name, _)) = counts.iter().find(|(_, n)| *n == 0) {
            return Err(format!("{name} must be at least 1"));
        }
        if self.connections_per_address > self.connections {
            return Err(format!(
                "--max-connections-per-address ({}) is more than --max-connections ({})",
                self.connections_per_address, self.connections
            ));
        }
        // A body that times out must be answered 408 (nothing applied), never 503.
        if self.body_time >= self.request_time {
            return Err("the body time limit must be shorter than the request's".into());
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::Limits;

    #[test]
    fn the_defaults_hold_together_and_nonsense_is_refused_by_name() {
        assert_eq!(Limits::default().check(), Ok(()));
        let none = Limits {
            feeds_per_login: 0,
            ..Limits::default()
        };
        assert!(none.check().unwrap_err().contains("--max-feeds-per-login"));
        let wider = Limits {
            connections_per_address: 2000,
            ..Limits::default()
        };
        assert!(
            wider
                .check()
                .unwrap_err()
                .contains("--max-connections-per-address")
        );
    }

    #[test]
    fn limits_past_the_open_files_allowed_shrink_to_fit_and_say_so() {
        let huge = Limits {
            connections: 1 << 40,
            connections_per_address: 1 << 40,
            feeds: 1 << 40,
            ..Limits::default()
        };
        let (fitted, note) = huge.fit_open_files(2);
        let note = note.unwrap();
        assert!(note.contains("ulimit -n"), "{note}");
        assert!(
            fitted.connections < 1 << 40 && fitted.feeds < 1 << 40,
            "{fitted:?}"
        );
        assert!(fitted.connections_per_address <= fitted.connections);
        assert!(fitted.feeds_per_login <= fitted.feeds);
        assert_eq!(fitted.check(), Ok(()));
        // Where the hard limit allows them, the defaults are kept (the soft limit raised
        // if need be).
        let (_, hard) = rlimit::Resource::NOFILE.get().unwrap();
        if hard >= 2048 {
            let (same, note) = Limits::default().fit_open_files(2);
            assert_eq!((same, note), (Limits::default(), None));
        }
    }
}
