//! `desk contact set-password|invite`: portal passwords, set in the server's own store
//! (docs/portal.md, "Passwords and invites").

use clap::Subcommand;
use desk_engine::Engine;
use desk_engine::domain::password::PasswordHash;
use desk_engine::model::{ActorKind, INVITE_DAYS, PortalLevel};
use std::io::{IsTerminal, Read};

use super::Out;
use super::output::when;
use crate::backend::{BackendError, ErrorKind};

#[derive(Debug, Subcommand)]
pub enum ContactCommand {
    /// Set a contact's portal password, read from standard input.
    ///
    /// At least 12 characters; asked twice, unseen, on a terminal. Ends the contact's
    /// portal sessions.
    SetPassword {
        /// The contact's login.
        login: String,
    },
    /// Print a one-time link where the contact sets their portal password.
    ///
    /// The link works for 7 days; a new invite replaces the contact's earlier one.
    Invite {
        /// The contact's login.
        login: String,
        /// Where contacts reach the portal, e.g. https://desk.example.com; remembered in
        /// the store (as by `desk serve --public-url`).
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
}

pub fn run(engine: &mut Engine, command: ContactCommand, json: bool) -> Result<(), BackendError> {
    match command {
        ContactCommand::SetPassword { login } => {
            let password = read_password(&login)?;
            let hash = PasswordHash::new(&password)?;
            let ended = engine.set_password(&login, &hash)?;
            let login = engine.actor(&login)?.login;
            warn_if_disabled(engine, &login);
            Out::answer(
                json,
                &format!("set the portal password of {login}; ended {ended} portal session(s)"),
                serde_json::json!({ "login": login, "sessions_ended": ended }),
            )?;
        }
        ContactCommand::Invite { login, public_url } => {
            if let Some(url) = public_url {
                engine.set_public_url(&url)?;
            }
            let base = engine.public_url().map(str::to_string).ok_or_else(|| {
                BackendError::new(
                    ErrorKind::Invalid,
                    "no public URL known for the portal: pass --public-url https://... (or start `desk serve --public-url ...` once)",
                )
            })?;
            let invite = engine.create_invite(&login)?;
            let link = format!("{base}/portal/invite/{}", invite.token);
            if json {
                return Out::answer(
                    true,
                    &link,
                    serde_json::json!({
                        "login": invite.login,
                        "link": link,
                        "expires_at": invite.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    }),
                );
            }
            // The link alone on stdout, for scripts; what it is on stderr.
            Out::answer(false, &link, serde_json::Value::Null)?;
            eprintln!(
                "a one-time link for {} to set their portal password; it works until {} ({INVITE_DAYS} days). Send it to them in person or by mail.",
                invite.login,
                when(invite.expires_at, engine.time_zone())
            );
        }
    }
    Ok(())
}

/// The new password: asked twice without echo on a terminal; otherwise the one line
/// on standard input (its line break is not part of it).
fn read_password(login: &str) -> Result<String, BackendError> {
    let failed =
        |e: std::io::Error| BackendError::new(ErrorKind::Invalid, format!("password: {e}"));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New portal password for {login}: "))
            .map_err(failed)?;
        let again = rpassword::prompt_password("The same again: ").map_err(failed)?;
        if first != again {
            return Err(BackendError::new(
                ErrorKind::Invalid,
                "password: the two entries differ; nothing was changed",
            ));
        }
        return Ok(first);
    }
    let mut text = String::new();
    std::io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .map_err(failed)?;
    one_line(&text)
}

fn one_line(text: &str) -> Result<String, BackendError> {
    let line = text
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(text);
    if line.contains(['\n', '\r']) {
        return Err(BackendError::new(
            ErrorKind::Invalid,
            "password: standard input holds more than one line; give the password alone on one line",
        ));
    }
    Ok(line.to_string())
}

fn warn_if_disabled(engine: &Engine, login: &str) {
    if let Ok(a) = engine.actor(login)
        && matches!(
            a.kind,
            ActorKind::Contact {
                portal: PortalLevel::None,
                ..
            }
        )
    {
        eprintln!(
            "note: the portal level of {login} is none; they cannot sign in until it is basic or manager"
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::one_line;

    #[test]
    fn the_line_break_that_ends_stdin_is_not_part_of_the_password() {
        assert_eq!(one_line("twelve chars\n").unwrap(), "twelve chars");
        assert_eq!(one_line("twelve chars\r\n").unwrap(), "twelve chars");
        assert_eq!(one_line("twelve chars").unwrap(), "twelve chars");
        // Spaces are the password's own.
        assert_eq!(one_line(" twelve chars \n").unwrap(), " twelve chars ");
        assert!(one_line("two\nlines\n").is_err());
    }
}
