//! Who holds the server's connections (docs/serve.md, "Limits"): the connections that
//! carry requests, counted in all and per client address, and the change feeds, counted
//! apart (in all, per address, per login), so that feeds never take the room requests
//! need. An address at its limit is refused more. When the request connections are all
//! taken, a new one replaces an idle one: the oldest idle connection of the address that
//! holds the most, so that a flood from a few addresses makes room for everyone else.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::server::error::ServeError;
use crate::server::limits::Limits;

/// A client address as the limits count it: an IPv4 address, or an IPv6 /64 (one
/// customer's network; the rest of an IPv6 address is the client's to choose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Address(IpAddr);

impl Address {
    pub fn of(ip: IpAddr) -> Address {
        match ip {
            IpAddr::V4(v4) => Address(IpAddr::V4(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Address(IpAddr::V4(v4)),
                None => {
                    let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                    Address(IpAddr::V6(prefix.into()))
                }
            },
        }
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

pub struct Conns {
    limits: Limits,
    inner: Mutex<Inner>,
    /// Told when a request connection closes or goes idle: the accept loop may go on.
    room: Notify,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    /// Request connections (a connection that became a feed has left).
    open: HashMap<u64, Conn>,
    per_address: HashMap<Address, usize>,
    feeds: usize,
    feeds_per_address: HashMap<Address, usize>,
    feeds_per_login: HashMap<String, usize>,
}

struct Conn {
    address: Address,
    /// Requests being answered on it (0: idle).
    busy: u32,
    idle_since: Instant,
    shared: Arc<Shared>,
}

/// What a connection's task and its requests share.
pub struct Shared {
    /// Told to close: it was chosen to make room.
    pub shed: Notify,
    /// Whether a request has reached the routes (the first-request limit is met).
    pub served: AtomicBool,
}

/// The outcome of a new connection.
pub enum Admission {
    Admitted(ConnGuard),
    /// Over the limit of its address, with none of that address's idle to replace.
    Refused(ServeError),
}

impl Conns {
    pub fn new(limits: Limits) -> Arc<Conns> {
        Arc::new(Conns {
            limits,
            inner: Mutex::new(Inner::default()),
            room: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Every change under the lock is a few map updates that cannot panic halfway.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Request connections open now.
    #[cfg(test)]
    pub fn open(&self) -> usize {
        self.lock().open.len()
    }

    /// Change feeds open now.
    #[cfg(test)]
    pub fn feeds(&self) -> usize {
        self.lock().feeds
    }

    /// Waits until a new connection can be taken: there is a free place, or an idle
    /// connection to give up for it. While every connection is busy answering, the next
    /// client waits in the listen backlog.
    pub async fn room(&self) {
        loop {
            let notified = self.room.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let inner = self.lock();
                if inner.open.len() < self.limits.connections
                    || inner.open.values().any(|c| c.busy == 0)
                {
                    return;
                }
            }
            notified.await;
        }
    }

    /// Takes a connection from `ip`, making room by closing an idle one if need be.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Admission {
        let address = Address::of(ip);
        let mut inner = self.lock();
        let mine = inner.per_address.get(&address).copied().unwrap_or(0);
        // Refused, not made room for: closing one of the address's own idle connections
        // would only have its owner open another, and a flood would churn at full speed.
        if mine >= self.limits.connections_per_address {
            return Admission::Refused(ServeError::too_many(format!(
                "too many connections from {address}: {mine} are open, the most one address may have; close some, or reuse them"
            )));
        }
        if inner.open.len() >= self.limits.connections {
            // Room is made at the expense of an address holding more than this one would:
            // so shares even out, and a flood that holds its share cannot churn through
            // its own connections (each one it reopens would close another of its own).
            let count = |a: &Address| inner.per_address.get(a).copied().unwrap_or(0);
            let victim = inner
                .busiest_with_idle()
                .filter(|b| count(b) > mine + 1)
                .and_then(|b| inner.oldest_idle(|a| a == b));
            match victim {
                Some(id) => inner.shed(id),
                None if inner.open.values().any(|c| c.busy == 0) => {
                    return Admission::Refused(ServeError::too_many(format!(
                        "the server has {} connections open, its limit, and {address} holds as many as any other address; try again later",
                        inner.open.len()
                    )));
                }
                // Every connection is busy (room() said otherwise a moment ago): take this
                // one all the same, one over, rather than drop a client who waited.
                None => {}
            }
        }
        inner.next_id += 1;
        let id = inner.next_id;
        let shared = Arc::new(Shared {
            shed: Notify::new(),
            served: AtomicBool::new(false),
        });
        inner.open.insert(
            id,
            Conn {
                address,
                busy: 0,
                idle_since: Instant::now(),
                shared: shared.clone(),
            },
        );
        *inner.per_address.entry(address).or_default() += 1;
        Admission::Admitted(ConnGuard {
            conn: ConnRef {
                id,
                address,
                conns: self.clone(),
            },
            shared,
        })
    }
}

impl Inner {
    /// The idle connection, of an address that `pick` accepts, that has been idle longest.
    fn oldest_idle(&self, pick: impl Fn(Address) -> bool) -> Option<u64> {
        self.open
            .iter()
            .filter(|(_, c)| c.busy == 0 && pick(c.address))
            .min_by_key(|(id, c)| (c.idle_since, **id))
            .map(|(id, _)| *id)
    }

    /// The address with the most request connections among those with an idle one.
    fn busiest_with_idle(&self) -> Option<Address> {
        let mut idle: HashMap<Address, ()> = HashMap::new();
        for c in self.open.values().filter(|c| c.busy == 0) {
            idle.insert(c.address, ());
        }
        idle.into_keys()
            .max_by_key(|a| self.per_address.get(a).copied().unwrap_or(0))
    }

    /// Takes `id` out of the counts at once and tells its task to close it.
    fn shed(&mut self, id: u64) {
        if let Some(c) = self.leave(id) {
            c.shared.shed.notify_one();
        }
    }

    /// Takes `id` out of the request connections.
    fn leave(&mut self, id: u64) -> Option<Conn> {
        let c = self.open.remove(&id)?;
        decrement(&mut self.per_address, &c.address);
        Some(c)
    }
}

fn decrement<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            map.remove(key);
        }
    }
}

/// A connection as its requests see it (a request extension): its address, and the way
/// to turn it into a change feed.
#[derive(Clone)]
pub struct ConnRef {
    id: u64,
    address: Address,
    conns: Arc<Conns>,
}

impl ConnRef {
    /// A request begins on this connection: it is busy until the guard drops (when the
    /// answer's body has been sent).
    pub fn begin(&self, shared: &Shared) -> Busy {
        shared.served.store(true, Ordering::Relaxed);
        if let Some(c) = self.conns.lock().open.get_mut(&self.id) {
            c.busy += 1;
        }
        Busy(self.clone())
    }

    /// This connection carries a change feed of `login` from now on: it leaves the
    /// request connections and counts as a feed until the permit drops. Refused (429)
    /// over any of the feed limits.
    pub fn become_feed(&self, login: &str) -> Result<FeedPermit, ServeError> {
        let limits = &self.conns.limits;
        let mut inner = self.conns.lock();
        let of_login = inner.feeds_per_login.get(login).copied().unwrap_or(0);
        let of_address = inner
            .feeds_per_address
            .get(&self.address)
            .copied()
            .unwrap_or(0);
        let over = if of_login >= limits.feeds_per_login {
            Some(format!(
                "{login} has {of_login} change feeds open, the most one login may have; close one (another desk window?) first"
            ))
        } else if of_address >= limits.feeds_per_address {
            Some(format!(
                "{of_address} change feeds are open from {}, the most one address may have",
                self.address
            ))
        } else if inner.feeds >= limits.feeds {
            Some(format!(
                "the server has {} change feeds open, its limit; try again later",
                inner.feeds
            ))
        } else {
            None
        };
        if let Some(why) = over {
            return Err(ServeError::too_many(format!(
                "too many change feeds: {why}"
            )));
        }
        inner.leave(self.id);
        inner.feeds += 1;
        *inner.feeds_per_address.entry(self.address).or_default() += 1;
        *inner.feeds_per_login.entry(login.to_string()).or_default() += 1;
        drop(inner);
        self.conns.room.notify_one();
        Ok(FeedPermit {
            conn: self.clone(),
            login: login.to_string(),
        })
    }
}

/// A request in progress on a connection.
pub struct Busy(ConnRef);

impl Drop for Busy {
    fn drop(&mut self) {
        let conns = &self.0.conns;
        let idle = match conns.lock().open.get_mut(&self.0.id) {
            Some(c) => {
                c.busy = c.busy.saturating_sub(1);
                if c.busy == 0 {
                    c.idle_since = Instant::now();
                }
                c.busy == 0
            }
            None => false,
        };
        if idle {
            conns.room.notify_one();
        }
    }
}

/// A change feed's place in the counts.
pub struct FeedPermit {
    conn: ConnRef,
    login: String,
}

impl Drop for FeedPermit {
    fn drop(&mut self) {
        let mut inner = self.conn.conns.lock();
        inner.feeds = inner.feeds.saturating_sub(1);
        decrement(&mut inner.feeds_per_address, &self.conn.address);
        decrement(&mut inner.feeds_per_login, &self.login);
    }
}

/// Held by a connection's task: the connection leaves the counts when it ends.
pub struct ConnGuard {
    pub conn: ConnRef,
    pub shared: Arc<Shared>,
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        let left = self.conn.conns.lock().leave(self.conn.id).is_some();
        if left {
            self.conn.conns.room.notify_one();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    fn limits(connections: usize, per_address: usize) -> Limits {
        Limits {
            connections,
            connections_per_address: per_address,
            feeds: 3,
            feeds_per_login: 2,
            feeds_per_address: 2,
            ..Limits::default()
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn admitted(a: Admission) -> ConnGuard {
        match a {
            Admission::Admitted(g) => g,
            Admission::Refused(e) => panic!("refused: {e}"),
        }
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            Address::of(ip("2001:db8:1:2:aaaa::1")),
            Address::of(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            Address::of(ip("2001:db8:1:2::1")),
            Address::of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            Address::of(ip("::ffff:127.0.0.2")),
            Address::of(ip("127.0.0.2"))
        );
        assert_eq!(
            Address::of(ip("2001:db8:1:2::1")).to_string(),
            "2001:db8:1:2::/64"
        );
    }

    #[test]
    fn an_address_at_its_limit_is_refused_more_and_others_are_not() {
        let conns = Conns::new(limits(10, 2));
        let _first = admitted(conns.admit(ip("127.0.0.2")));
        let second = admitted(conns.admit(ip("127.0.0.2")));
        let _busy = second.conn.begin(&second.shared);
        match conns.admit(ip("127.0.0.2")) {
            Admission::Refused(e) => assert!(e.message().contains("127.0.0.2"), "{e}"),
            Admission::Admitted(_) => panic!("a third connection from one address"),
        }
        let _other = admitted(conns.admit(ip("127.0.0.1")));
        assert_eq!(conns.open(), 3);
        // One closes: the address may open one again.
        drop(second);
        let _again = admitted(conns.admit(ip("127.0.0.2")));
        assert_eq!(conns.open(), 3);
    }

    #[tokio::test]
    async fn when_full_the_busiest_address_gives_up_its_oldest_idle() {
        let conns = Conns::new(limits(4, 4));
        let flood: Vec<_> = (0..3)
            .map(|_| admitted(conns.admit(ip("127.0.0.9"))))
            .collect();
        let bystander = admitted(conns.admit(ip("127.0.0.1")));
        assert_eq!(conns.open(), 4);
        let newcomer = admitted(conns.admit(ip("127.0.0.3")));
        assert_eq!(conns.open(), 4);
        // The flood's oldest went, not the bystander's (idle too, and older than the rest).
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            flood[0].shared.shed.notified(),
        )
        .await
        .unwrap();
        // 127.0.0.9 now holds two, as many as a newcomer from it would make: refused,
        // rather than close one of its own for it.
        match conns.admit(ip("127.0.0.9")) {
            Admission::Refused(e) => assert!(e.message().contains("its limit"), "{e}"),
            Admission::Admitted(_) => panic!("a flood churned through its own connections"),
        }
        drop(flood);
        assert_eq!(conns.open(), 2);
        drop((bystander, newcomer));
        assert_eq!(conns.open(), 0);
    }

    #[test]
    fn feeds_leave_the_request_connections_and_have_limits_of_their_own() {
        let conns = Conns::new(limits(4, 4));
        let a = admitted(conns.admit(ip("127.0.0.1")));
        let b = admitted(conns.admit(ip("127.0.0.1")));
        let c = admitted(conns.admit(ip("127.0.0.2")));
        let d = admitted(conns.admit(ip("127.0.0.3")));
        let fa = a.conn.become_feed("kim").unwrap();
        let _fb = b.conn.become_feed("kim").unwrap();
        assert_eq!((conns.open(), conns.feeds()), (2, 2));
        // Per login.
        let e = c.conn.become_feed("kim").err().unwrap();
        assert!(e.message().contains("kim has 2"), "{e}");
        // Per address: 127.0.0.1 has two.
        let e2 = admitted(conns.admit(ip("127.0.0.1")));
        let e = e2.conn.become_feed("anna").err().unwrap();
        assert!(e.message().contains("from 127.0.0.1"), "{e}");
        // In all: three.
        let _fc = c.conn.become_feed("anna").unwrap();
        let e = d.conn.become_feed("ben").err().unwrap();
        assert!(e.message().contains("server has 3"), "{e}");
        drop(fa);
        assert!(d.conn.become_feed("ben").is_ok());
    }
}
