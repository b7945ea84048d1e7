//! Full-text search, the same on both stores (docs/postgres.md, "Search, the same on both
//! stores"): a ticket's search document holds the terms (`Words`) of its title, its
//! description and its notes; a search finds the tickets whose document holds every term
//! typed, the last as a prefix; the portal's searches only what the portal shows (never
//! an internal note). How a store keeps the document and finds in it is its own
//! (`Store::write_search_document`, `Store::search_condition`).

use std::collections::BTreeSet;

use super::sql::{Store, Value, args};
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
        })
    }
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
    /// The condition on tickets `t` that a search makes, with its arguments.
    pub(crate) fn search_for(
        &self,
        words: &Words,
        text: &str,
        audience: Audience,
    ) -> Result<(String, Vec<Value>)> {
        let q = Query::parse(words, text, audience)?;
        Ok(self.search_condition(&q))
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
