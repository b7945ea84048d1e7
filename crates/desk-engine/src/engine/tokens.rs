//! API tokens: shown once, stored only as a SHA-256 hash. The same secrets (random,
//! hashed before they are stored) serve the portal's invites and sessions.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::TokenInfo;
use crate::store::{from_ms, to_ms};

/// The SHA-256 of a secret, in hex: what the store keeps instead of the secret.
pub(crate) fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 256 random bits in hex after `prefix` (which says what the secret is for).
pub(crate) fn secret(prefix: &str) -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Io {
        context: "no randomness for a secret".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// A new token for `login`, valid until `expires` (`None`: until revoked).
pub(crate) fn create(
    conn: &Connection,
    login: &str,
    now: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
) -> Result<String> {
    let token = secret("desk_")?;
    conn.execute(
        "INSERT INTO tokens (hash, login, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![hash(&token), login, to_ms(now), expires.map(to_ms)],
    )?;
    Ok(token)
}

/// The login a token acts for, if the token is known and has not expired at `now`.
pub(crate) fn login_for(conn: &Connection, token: &str, now: DateTime<Utc>) -> Result<String> {
    let (login, expires): (String, Option<i64>) = conn
        .prepare_cached("SELECT login, expires_at FROM tokens WHERE hash = ?1")?
        .query_row([hash(token.trim())], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(Error::BadToken)?;
    match expires.map(from_ms) {
        Some(at) if at <= now => Err(Error::TokenExpired { at }),
        _ => Ok(login),
    }
}

/// Deletes every token of `login`; returns how many there were.
pub(crate) fn revoke(conn: &Connection, login: &str) -> Result<usize> {
    Ok(conn.execute("DELETE FROM tokens WHERE login = ?1", [login])?)
}

/// Every token, by login and then age.
pub(crate) fn list(conn: &Connection) -> Result<Vec<TokenInfo>> {
    let mut st = conn.prepare(
        "SELECT login, created_at, expires_at FROM tokens ORDER BY login, created_at, id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(TokenInfo {
            login: r.get(0)?,
            created_at: from_ms(r.get(1)?),
            expires_at: r.get::<_, Option<i64>>(2)?.map(from_ms),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
