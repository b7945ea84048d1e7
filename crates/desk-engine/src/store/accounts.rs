//! The Client Portal's accounts in the store (docs/portal.md): contacts' password hashes,
//! invites and sessions by the hash of their secret, and the portal's public address.

use super::sql::{Store, args};
use crate::error::Result;

impl dyn Store + '_ {
    /// Writes down a `meta` value, replacing the one before.
    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &args![key, value],
        )?;
        Ok(())
    }

    /// The password hash of contact `contact_id`, if they have one.
    pub(crate) fn password_of(&self, contact_id: i64) -> Result<Option<String>> {
        self.opt(
            "SELECT hash FROM passwords WHERE contact_id = ?1",
            &args![contact_id],
            |r| r.text(0),
        )
    }

    /// Sets the password hash of contact `contact_id`.
    pub(crate) fn set_password(&self, contact_id: i64, hash: &str, at: i64) -> Result<()> {
        self.execute(
            "INSERT INTO passwords (contact_id, hash, set_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (contact_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
            &args![contact_id, hash, at],
        )?;
        Ok(())
    }

    pub(crate) fn add_session(&self, hash: &str, contact_id: i64, at: i64) -> Result<()> {
        self.execute(
            "INSERT INTO sessions (hash, contact_id, created_at, seen_at) VALUES (?1, ?2, ?3, ?3)",
            &args![hash, contact_id, at],
        )?;
        Ok(())
    }

    /// The contact, creation and last use of the session with this hash.
    pub(crate) fn session(&self, hash: &str) -> Result<Option<(i64, i64, i64)>> {
        self.opt(
            "SELECT contact_id, created_at, seen_at FROM sessions WHERE hash = ?1",
            &args![hash],
            |r| Ok((r.int(0)?, r.int(1)?, r.int(2)?)),
        )
    }

    /// The session with this hash was used at `at` (never moved back: two requests may
    /// write down their uses out of order).
    pub(crate) fn touch_session(&self, hash: &str, at: i64) -> Result<()> {
        self.execute(
            "UPDATE sessions SET seen_at = CASE WHEN seen_at < ?2 THEN ?2 ELSE seen_at END WHERE hash = ?1",
            &args![hash, at],
        )?;
        Ok(())
    }

    pub(crate) fn end_session(&self, hash: &str) -> Result<()> {
        self.execute("DELETE FROM sessions WHERE hash = ?1", &args![hash])?;
        Ok(())
    }

    /// Ends every session of contact `contact_id`; returns how many there were.
    pub(crate) fn end_sessions_of(&self, contact_id: i64) -> Result<u64> {
        self.execute(
            "DELETE FROM sessions WHERE contact_id = ?1",
            &args![contact_id],
        )
    }

    /// Clears out sessions last used at or before `idle_since` or made at or before
    /// `made_before`, and invites that expired by `now`.
    pub(crate) fn clear_ended(&self, idle_since: i64, made_before: i64, now: i64) -> Result<()> {
        self.execute(
            "DELETE FROM sessions WHERE seen_at <= ?1 OR created_at <= ?2",
            &args![idle_since, made_before],
        )?;
        self.execute("DELETE FROM invites WHERE expires_at <= ?1", &args![now])?;
        Ok(())
    }

    /// A contact's one invite: any earlier one of theirs is replaced.
    pub(crate) fn replace_invite(
        &self,
        hash: &str,
        contact_id: i64,
        at: i64,
        expires: i64,
    ) -> Result<()> {
        self.end_invites_of(contact_id)?;
        self.execute(
            "INSERT INTO invites (hash, contact_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            &args![hash, contact_id, at, expires],
        )?;
        Ok(())
    }

    /// The contact and expiry of the invite with this hash.
    pub(crate) fn invite(&self, hash: &str) -> Result<Option<(i64, i64)>> {
        self.opt(
            "SELECT contact_id, expires_at FROM invites WHERE hash = ?1",
            &args![hash],
            |r| Ok((r.int(0)?, r.int(1)?)),
        )
    }

    pub(crate) fn end_invites_of(&self, contact_id: i64) -> Result<()> {
        self.execute(
            "DELETE FROM invites WHERE contact_id = ?1",
            &args![contact_id],
        )?;
        Ok(())
    }
}
