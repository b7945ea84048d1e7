//! The Client Portal's accounts (docs/portal.md): contacts' passwords, one-time invites
//! and sign-in sessions, and the portal's public address. Secrets (session ids, invite
//! tokens) are stored as hashes only; passwords as argon2id hashes made outside any
//! transaction (`PasswordHash`). Their SQL is the store's (`store::accounts`).

use chrono::{Duration, Utc};

use super::{Engine, tokens};
use crate::domain::password::{PasswordHash, dummy_hash, verify};
use crate::domain::text::check_line;
use crate::error::{Error, Result};
use crate::model::*;
use crate::store::dir::{PUBLIC_URL, Person};
use crate::store::sql::Store;
use crate::store::{from_ms, to_ms};

/// What a sign-in checks a password against: the contact's hash, or (for a login that
/// is unknown or has no password) the dummy hash, so that both cost the same.
#[derive(Debug, Clone)]
pub struct Credentials {
    login: Option<String>,
    hash: Option<String>,
}

impl Credentials {
    /// The login whose password `password` is, or `Error::SignInFailed` with the same
    /// words whether the login is unknown, has no password or the password is wrong.
    /// Slow (argon2id): callers run it where that may take its time.
    pub fn check(&self, password: &str) -> Result<String> {
        let matched = verify(password, self.hash.as_deref().unwrap_or(dummy_hash()));
        match (&self.login, &self.hash, matched) {
            (Some(login), Some(_), true) => Ok(login.clone()),
            _ => Err(Error::SignInFailed),
        }
    }
}

fn csrf_of(session_id: &str) -> String {
    // A different hash from the stored one: the store alone does not give the token.
    tokens::hash(&format!("desk portal csrf\n{session_id}"))
}

impl Engine {
    /// Where contacts reach the portal (`desk serve --public-url`), if it was ever told.
    pub fn public_url(&self) -> Option<&str> {
        self.dir.public_url.as_deref()
    }

    /// Records where contacts reach the portal: invite links and the links in
    /// notifications to contacts start with it. `http://` or `https://`, a host, maybe a
    /// path; no query or fragment. Kept in the store, so every command on it knows.
    pub fn set_public_url(&mut self, url: &str) -> Result<()> {
        let url = url.trim().trim_end_matches('/');
        check_line("public_url", url)?;
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| {
                Error::invalid(
                    "public_url",
                    format!("\"{url}\" does not start with https:// or http://"),
                )
            })?;
        if host.is_empty() || host.starts_with('/') || url.contains(['?', '#', ' ']) {
            return Err(Error::invalid(
                "public_url",
                format!("\"{url}\" is not an address like https://desk.example.com"),
            ));
        }
        if self.dir.public_url.as_deref() == Some(url) {
            return Ok(());
        }
        self.transaction(|db| db.set_meta(PUBLIC_URL, url))?;
        self.dir.public_url = Some(url.to_string());
        Ok(())
    }

    /// The contact `login`; staff and unknown logins are refused, naming the login.
    fn portal_contact(&self, login: &str) -> Result<&Person> {
        let login = login.trim();
        if let Some(c) = self
            .dir
            .contacts
            .iter()
            .find(|c| c.login.eq_ignore_ascii_case(login))
        {
            return Ok(c);
        }
        if self.actor(login).is_ok() {
            return Err(Error::NotAllowed(format!(
                "{login} is not a contact; only contacts sign in to the portal"
            )));
        }
        Err(Error::not_found("login", login))
    }

    /// The id and login of contact `login`, refused if their portal level is `none`.
    fn enabled_contact(&self, login: &str) -> Result<(i64, String)> {
        let contact = self.portal_contact(login)?;
        if contact.portal == PortalLevel::None {
            return Err(Error::NotAllowed(format!(
                "portal access is disabled for {} (portal level none)",
                contact.login
            )));
        }
        Ok((contact.id, contact.login.clone()))
    }

    /// Sets the portal password of contact `login`; ends their open sessions (a new
    /// password locks out whoever knew the old one). Returns how many it ended.
    pub fn set_password(&mut self, login: &str, hash: &PasswordHash) -> Result<usize> {
        let id = self.portal_contact(login)?.id;
        let now = to_ms(self.clock.now());
        self.transaction(|db| store_password(db, id, hash, now))
    }

    /// Whether contact `login` has a portal password.
    pub fn has_password(&self, login: &str) -> Result<bool> {
        let id = self.portal_contact(login)?.id;
        Ok(self.db.password_of(id)?.is_some())
    }

    /// What `login`'s password is checked against. Never fails for an unknown login
    /// or a staff login (they get the dummy hash): a sign-in must not tell them apart.
    pub fn credentials(&self, login: &str) -> Result<Credentials> {
        let Ok(contact) = self.portal_contact(login) else {
            return Ok(Credentials {
                login: None,
                hash: None,
            });
        };
        let hash = self.db.password_of(contact.id)?;
        Ok(Credentials {
            login: Some(contact.login.clone()),
            hash,
        })
    }

    /// Opens a portal session for `login`, whose password was checked. A contact whose
    /// portal level is `none` is refused. Sessions and invites that ended are cleared
    /// out on the way.
    pub fn start_session(&mut self, login: &str) -> Result<NewSession> {
        let (cid, login) = self.enabled_contact(login)?;
        let actor = self.actor(&login)?;
        let now = self.clock.now();
        let id = tokens::secret("")?;
        self.transaction(|db| {
            clear_ended(db, now)?;
            db.add_session(&tokens::hash(&id), cid, to_ms(now))
        })?;
        Ok(NewSession { id, actor })
    }

    /// The session with `id`, if it is open at this engine's now.
    pub fn session(&self, id: &str) -> Result<SessionCheck> {
        let Some((cid, created, seen)) = self.db.session(&tokens::hash(id.trim()))? else {
            return Ok(SessionCheck::Unknown);
        };
        let now = self.clock.now();
        if ended(now, created, seen) {
            return Ok(SessionCheck::Expired);
        }
        let Some(contact) = self.dir.contact_by_id(cid) else {
            return Ok(SessionCheck::Unknown);
        };
        if contact.portal == PortalLevel::None {
            return Ok(SessionCheck::Unknown);
        }
        Ok(SessionCheck::Active(Session {
            actor: self.actor(&contact.login)?,
            csrf: csrf_of(id.trim()),
            stale: to_ms(now) - seen >= SESSION_TOUCH_SECONDS * 1000,
        }))
    }

    /// Writes down that session `id` was used now (see `Session::stale`).
    pub fn touch_session(&mut self, id: &str) -> Result<()> {
        let now = to_ms(self.clock.now());
        let hash = tokens::hash(id.trim());
        self.transaction(|db| db.touch_session(&hash, now))
    }

    /// Ends session `id` (signing out); ending one that is not open is no error.
    pub fn end_session(&mut self, id: &str) -> Result<()> {
        let hash = tokens::hash(id.trim());
        self.transaction(|db| db.end_session(&hash))
    }

    /// A one-time link token for contact `login` to set their password, valid for
    /// `INVITE_DAYS`; it replaces any earlier invite of theirs. A contact whose portal
    /// level is `none` gets none: they could not sign in with it.
    pub fn create_invite(&mut self, login: &str) -> Result<Invite> {
        let (cid, login) = self.enabled_contact(login)?;
        let now = self.clock.now();
        let expires_at = now + Duration::days(INVITE_DAYS);
        let token = tokens::secret("")?;
        self.transaction(|db| {
            clear_ended(db, now)?;
            db.replace_invite(&tokens::hash(&token), cid, to_ms(now), to_ms(expires_at))
        })?;
        Ok(Invite {
            token,
            login,
            expires_at,
        })
    }

    /// The invite with `token`, while it is valid: whose, until when.
    pub fn invite(&self, token: &str) -> Result<Invite> {
        let (cid, expires_at) = invite_contact(&*self.db, token, self.clock.now())?;
        Ok(Invite {
            token: token.trim().to_string(),
            login: self.contact_actor(cid)?.login,
            expires_at,
        })
    }

    fn contact_actor(&self, contact_id: i64) -> Result<Actor> {
        let login = self
            .dir
            .contact_by_id(contact_id)
            .map(|c| c.login.clone())
            .ok_or_else(bad_invite)?;
        self.actor(&login)
    }

    /// Sets the password through an invite, which is used up (with any other of the
    /// contact's); the contact's open sessions end, as with `set_password`.
    pub fn accept_invite(&mut self, token: &str, hash: &PasswordHash) -> Result<Actor> {
        let now = self.clock.now();
        let cid = self.transaction(|db| {
            let (cid, _) = invite_contact(db, token, now)?;
            db.end_invites_of(cid)?;
            store_password(db, cid, hash, to_ms(now))?;
            Ok(cid)
        })?;
        self.contact_actor(cid)
    }
}

/// Ends the portal sessions of contact `contact_id` (for `Engine::revoke_tokens`).
pub(crate) fn end_sessions_of(db: &dyn Store, contact_id: i64) -> Result<usize> {
    Ok(usize::try_from(db.end_sessions_of(contact_id)?).unwrap_or(usize::MAX))
}

/// Sets the password and ends the contact's sessions; returns how many it ended.
fn store_password(db: &dyn Store, contact_id: i64, hash: &PasswordHash, now: i64) -> Result<usize> {
    db.set_password(contact_id, hash.as_str(), now)?;
    end_sessions_of(db, contact_id)
}

/// A session created at `created` and last used at `seen` (ms) has ended by `now`.
fn ended(now: chrono::DateTime<Utc>, created: i64, seen: i64) -> bool {
    let now = to_ms(now);
    now - seen >= SESSION_IDLE_MINUTES * 60_000 || now - created >= SESSION_MAX_HOURS * 3_600_000
}

fn clear_ended(db: &dyn Store, now: chrono::DateTime<Utc>) -> Result<()> {
    let ms = to_ms(now);
    db.clear_ended(
        ms - SESSION_IDLE_MINUTES * 60_000,
        ms - SESSION_MAX_HOURS * 3_600_000,
        ms,
    )
}

fn bad_invite() -> Error {
    Error::invalid(
        "invite",
        "this link does not work (any more): it was used already or replaced by a newer one; ask your service provider for a new one",
    )
}

fn invite_contact(
    db: &dyn Store,
    token: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(i64, chrono::DateTime<Utc>)> {
    match db.invite(&tokens::hash(token.trim()))? {
        None => Err(bad_invite()),
        Some((_, expires)) if from_ms(expires) <= now => Err(Error::invalid(
            "invite",
            format!(
                "this link has expired (links work for {INVITE_DAYS} days); ask your service provider for a new one"
            ),
        )),
        Some((cid, expires)) => Ok((cid, from_ms(expires))),
    }
}
