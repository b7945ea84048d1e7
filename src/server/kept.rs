//! Views kept (docs/architecture.md, "Views kept"): the JSON of ticket views that list
//! pages have sent lately, by their stamp (`ViewStamp`). A page asks the engine for its
//! tickets' stamps and builds, reads the history of and serializes only the tickets whose
//! stamp is not kept; the others are sent as kept. Nothing is ever invalidated: a change
//! to a ticket gives it another stamp, and the old entry ages out of the cache.
//!
//! With `check` (debug builds, so every test run), a kept view is not sent: the engine
//! builds the ticket anyway and the fresh JSON must equal the kept one byte for byte, or
//! the page fails with 500. Any change that alters a view without changing its stamp
//! shows up there.

use axum::body::Bytes;
use desk_engine::model::ViewStamp;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the kept views may weigh, in bytes of JSON (a ticket with a few notes is about a
/// kilobyte: some 30,000 views).
pub const KEPT_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Clone)]
struct ByLength;

impl quick_cache::Weighter<ViewStamp, Bytes> for ByLength {
    fn weight(&self, _: &ViewStamp, json: &Bytes) -> u64 {
        // The stamp and the cache's own bookkeeping, roughly.
        json.len() as u64 + 64
    }
}

pub struct Kept {
    views: quick_cache::sync::Cache<ViewStamp, Bytes, ByLength>,
    check: bool,
    /// Views sent as kept, for tests and whoever tunes `KEPT_BYTES`.
    sent: AtomicU64,
}

impl Kept {
    pub fn new(bytes: u64, check: bool) -> Kept {
        let items = (bytes / 1024).max(16) as usize;
        Kept {
            views: quick_cache::sync::Cache::with_weighter(items, bytes, ByLength),
            check,
            sent: AtomicU64::new(0),
        }
    }

    /// The kept views as `desk serve` has them: checked in debug builds.
    pub fn standard() -> Kept {
        Kept::new(KEPT_BYTES, cfg!(debug_assertions))
    }

    /// Whether kept views are checked against fresh ones rather than sent.
    pub fn checks(&self) -> bool {
        self.check
    }

    pub fn get(&self, stamp: &ViewStamp) -> Option<Bytes> {
        self.views.get(stamp)
    }

    pub fn keep(&self, stamp: ViewStamp, json: Bytes) {
        self.views.insert(stamp, json);
    }

    /// Counts `n` views sent as kept.
    pub fn sent_kept(&self, n: u64) {
        self.sent.fetch_add(n, Ordering::Relaxed);
    }

    /// How many views were sent as kept.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(id: i64, version: i64) -> ViewStamp {
        ViewStamp {
            id,
            version,
            unseen: false,
            portal: false,
            digest: 7,
        }
    }

    #[test]
    fn a_view_is_kept_by_its_whole_stamp() {
        let kept = Kept::new(1 << 20, false);
        kept.keep(stamp(1, 1), Bytes::from_static(b"{\"v\":1}"));
        assert_eq!(kept.get(&stamp(1, 1)).as_deref(), Some(&b"{\"v\":1}"[..]));
        assert_eq!(kept.get(&stamp(1, 2)), None);
        assert_eq!(
            kept.get(&ViewStamp {
                unseen: true,
                ..stamp(1, 1)
            }),
            None
        );
        assert_eq!(
            kept.get(&ViewStamp {
                digest: 8,
                ..stamp(1, 1)
            }),
            None
        );
    }

    #[test]
    fn the_kept_views_stay_within_their_weight() {
        let kept = Kept::new(64 * 1024, false);
        let json = Bytes::from(vec![b'x'; 1000]);
        for id in 0..1000 {
            kept.keep(stamp(id, 1), json.clone());
        }
        let held = (0..1000)
            .filter(|id| kept.get(&stamp(*id, 1)).is_some())
            .count();
        assert!(held > 0, "nothing kept");
        assert!(held <= 64, "{held} views of 1 KB kept in 64 KiB");
    }
}
