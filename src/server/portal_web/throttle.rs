//! Failed sign-ins, counted per login and per client address (docs/portal.md,
//! "Limits"): after a few, each next try must wait longer; after more, sign-in is refused
//! for a while. Pure: the caller passes the clock. Kept in this server's memory: with
//! several servers on one store each counts its own.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// When to slow down and when to stop, for one kind of key.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures that cost nothing more.
    pub free: u32,
    /// From this many failures on, sign-in is refused for `lock`.
    pub lock_after: u32,
    pub lock: Duration,
    /// Failures this long ago are forgotten.
    pub window: Duration,
}

/// Per login: a person who mistypes a few times is not held up.
pub const LOGIN: Policy = Policy {
    free: 5,
    lock_after: 10,
    lock: Duration::from_secs(15 * 60),
    window: Duration::from_secs(15 * 60),
};

/// Per address: many people may share one (an office behind one router).
pub const ADDRESS: Policy = Policy {
    free: 20,
    lock_after: 100,
    lock: Duration::from_secs(15 * 60),
    window: Duration::from_secs(15 * 60),
};

/// The longest wait between tries before the lock.
const MAX_WAIT: Duration = Duration::from_secs(60);
/// Keys kept at most; past that the oldest are forgotten first.
const MAX_KEYS: usize = 100_000;

/// Whether a sign-in may be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Go,
    /// Slowed down: try again after this long.
    Wait(Duration),
    /// Refused for this long after too many failures.
    Locked(Duration),
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: DateTime<Utc>,
}

#[derive(Debug)]
pub struct Throttle<K> {
    policy: Policy,
    seen: HashMap<K, Failures>,
}

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(policy: Policy) -> Self {
        Throttle {
            policy,
            seen: HashMap::new(),
        }
    }

    fn current(&self, key: &K, now: DateTime<Utc>) -> Option<Failures> {
        let f = *self.seen.get(key)?;
        let forgotten = since(f.last, now) >= self.policy.window.max(self.policy.lock);
        (!forgotten).then_some(f)
    }

    pub fn check(&self, key: &K, now: DateTime<Utc>) -> Verdict {
        let Some(f) = self.current(key, now) else {
            return Verdict::Go;
        };
        let p = self.policy;
        let waited = since(f.last, now);
        let must_wait = if f.count >= p.lock_after {
            return match p.lock.checked_sub(waited) {
                Some(left) if !left.is_zero() => Verdict::Locked(left),
                _ => Verdict::Go,
            };
        } else if f.count >= p.free {
            // 1 s after the first failure past the free ones, then 2, 4, 8 ... up to MAX_WAIT.
            Duration::from_secs(1 << (f.count - p.free).min(6)).min(MAX_WAIT)
        } else {
            Duration::ZERO
        };
        match must_wait.checked_sub(waited) {
            Some(left) if !left.is_zero() => Verdict::Wait(left),
            _ => Verdict::Go,
        }
    }

    pub fn failed(&mut self, key: &K, now: DateTime<Utc>) {
        let count = self.current(key, now).map_or(0, |f| f.count);
        if self.seen.len() >= MAX_KEYS && !self.seen.contains_key(key) {
            self.forget_oldest(now);
        }
        self.seen.insert(
            key.clone(),
            Failures {
                count: count + 1,
                last: now,
            },
        );
    }

    /// A success clears the key's failures (for a login: its owner knows the password).
    pub fn succeeded(&mut self, key: &K) {
        self.seen.remove(key);
    }

    /// Takes back one failure counted ahead of a try that then succeeded (for an
    /// address, where one person's success says nothing of the others').
    pub fn forgive(&mut self, key: &K) {
        if let Some(f) = self.seen.get_mut(key) {
            f.count = f.count.saturating_sub(1);
            if f.count == 0 {
                self.seen.remove(key);
            }
        }
    }

    /// Drops what has been forgotten anyway; if that frees nothing, the oldest tenth.
    fn forget_oldest(&mut self, now: DateTime<Utc>) {
        let keep = self.policy.window.max(self.policy.lock);
        self.seen.retain(|_, f| since(f.last, now) < keep);
        if self.seen.len() >= MAX_KEYS {
            let mut lasts: Vec<DateTime<Utc>> = self.seen.values().map(|f| f.last).collect();
            lasts.sort();
            if let Some(&cut) = lasts.get(lasts.len() / 10) {
                self.seen.retain(|_, f| f.last > cut);
            }
        }
    }
}

fn since(then: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now - then).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn a_few_failures_are_free_then_each_try_waits_longer_then_it_locks() {
        let mut th = Throttle::new(LOGIN);
        let k = "kim".to_string();
        for _ in 0..5 {
            assert_eq!(th.check(&k, t(0)), Verdict::Go);
            th.failed(&k, t(0));
        }
        // The sixth try waits a second after the fifth failure.
        assert_eq!(th.check(&k, t(0)), Verdict::Wait(Duration::from_secs(1)));
        assert_eq!(th.check(&k, t(1)), Verdict::Go);
        th.failed(&k, t(1));
        assert_eq!(th.check(&k, t(2)), Verdict::Wait(Duration::from_secs(1)));
        assert_eq!(th.check(&k, t(3)), Verdict::Go);
        th.failed(&k, t(3));
        assert_eq!(th.check(&k, t(3)), Verdict::Wait(Duration::from_secs(4)));
        for i in 0..3 {
            th.failed(&k, t(100 + i));
        }
        // Ten failures: locked for fifteen minutes from the last.
        assert_eq!(
            th.check(&k, t(102)),
            Verdict::Locked(Duration::from_secs(15 * 60))
        );
        assert_eq!(
            th.check(&k, t(102 + 899)),
            Verdict::Locked(Duration::from_secs(1))
        );
        assert_eq!(th.check(&k, t(102 + 900)), Verdict::Go);
        // Then it starts over.
        th.failed(&k, t(102 + 900));
        assert_eq!(th.check(&k, t(102 + 900)), Verdict::Go);
    }

    #[test]
    fn failures_are_forgotten_after_the_window_and_a_success_clears_them() {
        let mut th = Throttle::new(LOGIN);
        let (a, b) = ("a".to_string(), "b".to_string());
        for _ in 0..5 {
            th.failed(&a, t(0));
            th.failed(&b, t(0));
        }
        assert!(matches!(th.check(&a, t(0)), Verdict::Wait(_)));
        assert_eq!(th.check(&a, t(15 * 60)), Verdict::Go);
        th.failed(&a, t(15 * 60));
        assert_eq!(th.check(&a, t(15 * 60)), Verdict::Go);
        th.succeeded(&b);
        assert_eq!(th.check(&b, t(0)), Verdict::Go);
        // Forgiving takes back one failure, not all.
        let c = "c".to_string();
        for _ in 0..6 {
            th.failed(&c, t(0));
        }
        th.forgive(&c);
        assert_eq!(th.check(&c, t(0)), Verdict::Wait(Duration::from_secs(1)));
        th.forgive(&c);
        assert_eq!(th.check(&c, t(0)), Verdict::Go);
    }

    #[test]
    fn keys_are_separate_and_memory_is_bounded() {
        let mut th = Throttle::new(ADDRESS);
        for i in 0..20 {
            th.failed(&i, t(0));
            th.failed(&999, t(i64::from(i)));
        }
        assert_eq!(th.check(&1, t(0)), Verdict::Go);
        assert!(matches!(th.check(&999, t(19)), Verdict::Wait(_)));
        for i in 0..(MAX_KEYS as u32 + 10) {
            th.failed(&(1000 + i), t(100 + i64::from(i)));
        }
        assert!(th.seen.len() <= MAX_KEYS);
        // The newest are kept.
        assert!(th.seen.contains_key(&(1000 + MAX_KEYS as u32 + 9)));
    }
}
