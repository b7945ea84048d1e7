//! Portal passwords (docs/portal.md, "Passwords"): what a new one must be, and argon2id.
//!
//! Hashing and checking are deliberately slow (argon2id with its recommended cost: 19 MiB
//! and two passes). They are pure computation, so callers decide where they run: the CLI
//! inline, `desk serve` on its own bounded pool of hashing threads.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// A new password has at least this many characters (the portal's one rule for its
/// strength: length, not character classes).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// And at most this many: a bound on the work one sign-in can ask for.
pub const MAX_PASSWORD_CHARS: usize = 1000;

/// The rule for a new password, naming the field `password`.
pub fn check_new_password(password: &str) -> Result<()> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters long (it has {n})"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(Error::invalid(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters long (it has {n})"),
        ));
    }
    if password.chars().any(char::is_control) {
        return Err(Error::invalid(
            "password",
            "must not hold control characters (line breaks, tabs, escapes)",
        ));
    }
    Ok(())
}

/// The argon2id hash of a password that passed `check_new_password`: the only way to
/// give the engine a password to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// Checks `password` and hashes it with a fresh random salt (slow: see the module).
    pub fn new(password: &str) -> Result<PasswordHash> {
        check_new_password(password)?;
        hash(password).map(PasswordHash)
    }

    /// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn hash(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::Io {
        context: "no randomness for a password salt".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::invalid("password", format!("cannot be hashed: {e}")))
}

/// Whether `password` is the one hashed in `phc`; a `phc` that is not an argon2 hash
/// matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// A hash of a password nobody knows, made once per process with the same cost as real
/// ones: a sign-in for a login without a password checks against it, so that it takes
/// as long as one with a wrong password (nothing to tell the two apart by).
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut secret = [0u8; 32];
        // Without randomness, a fixed text still costs the same to check against.
        let _ = getrandom::fill(&mut secret);
        let password: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        hash(&password).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn a_new_password_needs_twelve_characters_and_no_control_characters() {
        let short = check_new_password("elevenchars").unwrap_err();
        assert_eq!(
            short.to_string(),
            "password: must be at least 12 characters long (it has 11)"
        );
        // Characters, not bytes: twelve umlauts are twelve.
        assert!(check_new_password("üüüüüüüüüüüü").is_ok());
        assert!(check_new_password("üüüüüüüüüüü").is_err());
        assert!(check_new_password("twelve chars").is_ok());
        assert!(check_new_password("with a\nline break").is_err());
        assert!(check_new_password(&"x".repeat(MAX_PASSWORD_CHARS)).is_ok());
        assert!(check_new_password(&"x".repeat(MAX_PASSWORD_CHARS + 1)).is_err());
    }

    #[test]
    fn a_hash_is_argon2id_salted_and_checks_only_its_password() {
        let a = PasswordHash::new("correct horse battery").unwrap();
        let b = PasswordHash::new("correct horse battery").unwrap();
        assert!(a.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        // A fresh salt each time: the same password never gives the same hash.
        assert_ne!(a, b);
        assert!(verify("correct horse battery", a.as_str()));
        assert!(!verify("correct horse battery ", a.as_str()));
        assert!(!verify("", a.as_str()));
        assert!(!verify("correct horse battery", "not a hash"));
        assert!(PasswordHash::new("short").is_err());
    }

    #[test]
    fn the_dummy_hash_has_the_cost_of_a_real_one_and_matches_nothing() {
        let real = PasswordHash::new("correct horse battery").unwrap();
        let params = |h: &str| h.split('$').nth(3).unwrap().to_string();
        assert_eq!(params(dummy_hash()), params(real.as_str()));
        assert!(!verify("", dummy_hash()));
        assert!(!verify("correct horse battery", dummy_hash()));
    }
}
