//! API tokens: shown once, stored only as a SHA-256 hash. The same secrets (random,
//! hashed before they are stored) serve the portal's invites and sessions.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::TokenInfo;
use crate::store::sql::Store;
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
    db: &dyn Store,
    login: &str,
    now: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
) -> Result<String> {
    let token = secret("desk_")?;
    db.add_token(&hash(&token), login, to_ms(now), expires.map(to_ms))?;
    Ok(token)
}

/// The login a token acts for, if the token is known and has not expired at `now`.
pub(crate) fn login_for(db: &dyn Store, token: &str, now: DateTime<Utc>) -> Result<String> {
    let (login, expires) = db.token(&hash(token.trim()))?.ok_or(Error::BadToken)?;
    match expires.map(from_ms) {
        Some(at) if at <= now => Err(Error::TokenExpired { at }),
        _ => Ok(login),
    }
}

/// Deletes every token of `login`; returns how many there were.
pub(crate) fn revoke(db: &dyn Store, login: &str) -> Result<usize> {
    Ok(usize::try_from(db.revoke_tokens(login)?).unwrap_or(usize::MAX))
}

/// Every token, by login and then age.
pub(crate) fn list(db: &dyn Store) -> Result<Vec<TokenInfo>> {
    Ok(db
        .tokens()?
        .into_iter()
        .map(|(login, created, expires)| TokenInfo {
            login,
            created_at: from_ms(created),
            expires_at: expires.map(from_ms),
        })
        .collect())
}
