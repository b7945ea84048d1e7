//! Search terms (docs/postgres.md, "Search, the same on both stores"): how a text becomes
//! the words a search finds. Both stores index and query the same terms: the tokens of
//! SQLite FTS5's `unicode61` tokenizer (case folded, diacritics removed), so that the
//! PostgreSQL store finds exactly what the SQLite store finds. ASCII text is split here
//! (for ASCII, unicode61 keeps letters and digits, lower-cased, and splits at everything
//! else); any other text goes through unicode61 itself, on a private in-memory database.

use rusqlite::Connection;
use std::cell::OnceCell;

use crate::error::Result;

#[derive(Default)]
pub struct Words {
    fts: OnceCell<Connection>,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Words")
    }
}

impl Words {
    pub fn new() -> Words {
        Words::default()
    }

    /// The terms of `text` in the order they stand, repeats included.
    pub fn terms(&self, text: &str) -> Result<Vec<String>> {
        if text.is_ascii() {
            return Ok(ascii_terms(text));
        }
        self.unicode61(text)
    }

    /// Adds the terms of `text` to `into` (a document's set of terms).
    pub fn add_terms(
        &self,
        text: &str,
        into: &mut std::collections::BTreeSet<String>,
    ) -> Result<()> {
        into.extend(self.terms(text)?);
        Ok(())
    }

    fn unicode61(&self, text: &str) -> Result<Vec<String>> {
        let conn = match self.fts.get() {
            Some(c) => c,
            None => {
                let c = Connection::open_in_memory()?;
                c.execute_batch(
                    "CREATE VIRTUAL TABLE tok USING fts5(x, tokenize = 'unicode61');
                     CREATE VIRTUAL TABLE tok_terms USING fts5vocab(tok, 'instance');",
                )?;
                let _ = self.fts.set(c);
                self.fts.get().ok_or_else(|| {
                    crate::error::Error::Database("no tokenizer connection".into())
                })?
            }
        };
        // In a transaction that is rolled back: the index stays empty.
        conn.execute_batch("BEGIN")?;
        let out = (|| -> Result<Vec<String>> {
            conn.prepare_cached("INSERT INTO tok (rowid, x) VALUES (1, ?1)")?
                .execute([text])?;
            let mut st = conn.prepare_cached("SELECT term FROM tok_terms ORDER BY offset")?;
            let terms = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(terms)
        })();
        conn.execute_batch("ROLLBACK")?;
        out
    }
}

/// unicode61 on ASCII: runs of letters and digits, lower-cased.
fn ascii_terms(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn terms_fold_case_and_diacritics_and_split_at_punctuation() {
        let w = Words::new();
        assert_eq!(
            w.terms("Printer's BLANK pages -- Wi-Fi user@x.example 3.14")
                .unwrap(),
            [
                "printer", "s", "blank", "pages", "wi", "fi", "user", "x", "example", "3", "14"
            ]
        );
        assert_eq!(
            w.terms("Café NAÏVE Größe").unwrap(),
            ["cafe", "naive", "große"]
        );
        assert!(w.terms(" -- ").unwrap().is_empty());
    }

    /// The quick path for ASCII gives exactly what unicode61 gives.
    #[test]
    fn ascii_text_splits_as_unicode61_splits_it() {
        let w = Words::new();
        let mut rng = fastrand::Rng::with_seed(7);
        let alphabet: Vec<char> = (0u8..128).map(char::from).collect();
        for _ in 0..500 {
            let text: String = (0..rng.usize(0..40))
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .filter(|c| *c != '\0')
                .collect();
            assert_eq!(ascii_terms(&text), w.unicode61(&text).unwrap(), "{text:?}");
        }
    }
}
