//! Full-text search, the same on both stores (docs/postgres.md, "Search, the same on both
//! stores"): a ticket's search document holds the terms (`Words`) of its title, its
//! description and its notes; a search finds the tickets whose document holds every term
//! typed, the last as a prefix; the portal's searches only what the portal shows (never
//! an internal note). How a store keeps the document and finds in it is its own
//! (`Store::write_search_document`, `Store::search_condition`).

use std::collections::BTreeSet;

use super::sql::{Store, args};
use super::words::Words;
use crate::engine::read::Audience;
use crate::error::{Error, Result};
use crate::model::NoteKind;

/// What a person typed, as terms: every one must be found, the last as a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub whole: Vec<String>,
    pub prefix: String,
    /// Only what the portal shows: never an internal note.
    pub portal: bool,
    /// Every term that exists and begins with `prefix`, where the store knows them
    /// (`Store::expand_prefix`): a search for any of these is the search for the prefix.
    pub prefix_terms: Option<Vec<String>>,
    /// Tickets whose titles hold one of these terms are not found (a title-sorted
    /// search reads those from the title words, `store/list/titles.rs`, and finds
    /// the rest with this). Empty: none is left out.
    pub not_in_title: Vec<String>,
}

impl Query {
    pub(crate) fn parse(words: &Words, text: &str, audience: Audience) -> Result<Query> {
        let mut terms = words.terms(text)?;
        let prefix = terms.pop().ok_or_else(|| {
            Error::invalid(
                "search",
                format!(
                    "\"{}\" has no word to search for",
                    crate::domain::text::one_line(text)
                ),
            )
        })?;
        Ok(Query {
            whole: terms,
            prefix,
            portal: audience == Audience::Portal,
            prefix_terms: None,
            not_in_title: Vec::new(),
        })
    }
}

/// How a search page meets its matches (docs/lists.md, "Searching"), where the store
/// walks in windows (`Store::search_in_windows`). Every way gives the same page; these
/// say which is cheaper when. `Engine::set_search_walk` changes them for tests and
/// benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchWalk {
    /// Whether a page walks in windows at all.
    pub when: WalkWhen,
    /// Ask first how many tickets the search finds (up to about the square root of a
    /// page times the desk's tickets) and gather when that few: gathering costs the
    /// matches, walking the rows read until the page is full.
    pub first_look: bool,
    /// Rows of the first window for each ticket the page needs, and the most rows of
    /// any window (each doubles the one before).
    pub window: usize,
    pub max_window: usize,
    /// A window whose ticket ids spread over more than this many times its rows (an
    /// order unrelated to ids, such as titles) would ask the search index about too
    /// wide a stretch: it keeps those of its tickets that are among the search's
    /// matches instead, read once a page (`Store::search_ids`), if they are no more
    /// than `max_matches`; else the rest of the part is gathered.
    pub spread: i64,
    pub max_matches: usize,
    /// The rows a walk may still expect to read, at the rate it found matches so far,
    /// before it gathers the rest instead (a word the filter leaves rare).
    pub budget: usize,
    /// Whether a title-sorted search reads the tickets whose titles hold its word from
    /// the title words, where the store keeps them (`Store::keeps_title_words`).
    pub title_words: bool,
}

/// Whether a search page walks its order in windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkWhen {
    /// Never: every search gathers all its matches, then orders them.
    Never,
    /// Where the store does (`Store::search_in_windows`): SQLite.
    WhereStoreWalks,
    /// On any store (tests hold the windows to the same answers on each).
    Always,
}

impl Default for SearchWalk {
    fn default() -> Self {
        SearchWalk {
            when: WalkWhen::WhereStoreWalks,
            first_look: true,
            window: 4,
            max_window: 32_768,
            spread: 64,
            max_matches: 262_144,
            budget: 65_536,
            title_words: true,
        }
    }
}

impl SearchWalk {
    /// Every search gathered: how every search page was read before windows.
    pub const GATHER: SearchWalk = SearchWalk {
        when: WalkWhen::Never,
        first_look: false,
        window: 1,
        max_window: 1,
        spread: i64::MAX,
        max_matches: 0,
        budget: usize::MAX,
        title_words: false,
    };
}

/// A ticket's searchable text.
#[derive(Debug, Clone, Default)]
pub struct SearchDoc {
    pub title: String,
    pub description: String,
    /// The notes the portal shows (published, portal, Taskfire).
    pub notes: Vec<String>,
    /// The internal notes.
    pub internal: Vec<String>,
}

impl SearchDoc {
    /// The terms the portal may find, and those only staff may.
    pub fn terms(&self, words: &Words) -> Result<(BTreeSet<String>, BTreeSet<String>)> {
        let mut public = BTreeSet::new();
        let mut internal = BTreeSet::new();
        words.add_terms(&self.title, &mut public)?;
        words.add_terms(&self.description, &mut public)?;
        for n in &self.notes {
            words.add_terms(n, &mut public)?;
        }
        for n in &self.internal {
            words.add_terms(n, &mut internal)?;
        }
        Ok((public, internal))
    }
}

impl dyn Store + '_ {
    /// What `text` searches for, ready for this store's conditions.
    pub(crate) fn search_query(
        &self,
        words: &Words,
        text: &str,
        audience: Audience,
    ) -> Result<Query> {
        let mut q = Query::parse(words, text, audience)?;
        self.expand_prefix(&mut q)?;
        Ok(q)
    }

    /// Ticket `id`'s title, description and notes.
    pub(crate) fn search_doc(&self, id: i64) -> Result<Option<SearchDoc>> {
        let Some((title, description)) = self.opt(
            "SELECT title, description FROM tickets WHERE id = ?1",
            &args![id],
            |r| Ok((r.text(0)?, r.text(1)?)),
        )?
        else {
            return Ok(None);
        };
        let mut doc = SearchDoc {
            title,
            description,
            ..SearchDoc::default()
        };
        for (kind, text) in self.notes_of(id)? {
            if NoteKind::parse(&kind).is_some_and(|k| k.in_portal()) {
                doc.notes.push(text);
            } else {
                doc.internal.push(text);
            }
        }
        Ok(Some(doc))
    }

    /// Writes ticket `id`'s search document anew from its title, description and notes.
    pub(crate) fn index_ticket(&self, words: &Words, id: i64) -> Result<()> {
        match self.search_doc(id)? {
            Some(doc) => self.write_search_document(id, &doc, words),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn typed_words_become_terms_never_operators() {
        let w = Words::new();
        let q = Query::parse(&w, "\"Toner\": (cart OR", Audience::Portal).unwrap();
        assert_eq!(q.whole, ["toner", "cart"]);
        assert_eq!(q.prefix, "or");
        assert!(q.portal);
        assert!(Query::parse(&w, " -- ", Audience::Staff).is_err());
    }
}
