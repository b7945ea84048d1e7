//! API tokens: shown once, stored only as a SHA-256 hash.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::to_ms;

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn create(conn: &Connection, login: &str, now: DateTime<Utc>) -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io {
        context: "no randomness for a token".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let token = format!(
        "desk_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    conn.execute(
        "INSERT INTO tokens (hash, login, created_at) VALUES (?1, ?2, ?3)",
        params![hash(&token), login, to_ms(now)],
    )?;
    Ok(token)
}

pub(crate) fn login_for(conn: &Connection, token: &str) -> Result<String> {
    conn.prepare_cached("SELECT login FROM tokens WHERE hash = ?1")?
        .query_row([hash(token.trim())], |r| r.get(0))
        .optional()?
        .ok_or(Error::BadToken)
}

/// Deletes every token of `login`; returns how many there were.
pub(crate) fn revoke(conn: &Connection, login: &str) -> Result<usize> {
    Ok(conn.execute("DELETE FROM tokens WHERE login = ?1", [login])?)
}
