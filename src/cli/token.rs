//! `desk token create|revoke`: API tokens for `desk serve`, made in the server's own store.

use chrono::{DateTime, Utc};
use desk_engine::Engine;
use desk_engine::domain::time::{parse_span, parse_time};

use super::Out;
use super::TokenCommand;
use super::output::{print_json, println_out, table, when};
use crate::api::token::TokenDto;
use crate::backend::{BackendError, ErrorKind};

/// How long a token lives when `--expires` is not given.
pub const DEFAULT_EXPIRY: &str = "90d";

/// Runs a token command; `json` prints `list` as one JSON document.
pub fn run(engine: &mut Engine, command: TokenCommand, json: bool) -> Result<(), BackendError> {
    match command {
        TokenCommand::List => list(engine, json)?,
        TokenCommand::Create { login, expires } => {
            let now = engine.now();
            let tz = engine.time_zone();
            let until = expiry(&expires, now, tz)?;
            let token = engine.create_token(&login, until)?;
            let login = engine.actor(&login)?.login;
            if json {
                print_json(&serde_json::json!({
                    "login": login,
                    "token": token,
                    "expires_at": until.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                }))?;
            } else {
                // The token alone on stdout, for scripts; what it is for on stderr.
                println_out(&token)?;
            }
            let life = match until {
                Some(t) => format!("expires {}", when(t, tz)),
                None => "never expires".into(),
            };
            eprintln!(
                "a token for {login}; it {life}. Revoke it with `desk token revoke {login}`."
            );
        }
        TokenCommand::Revoke { login } => {
            let r = engine.revoke_tokens(&login)?;
            let login = engine.actor(&login)?.login;
            Out::answer(
                json,
                &format!(
                    "revoked {} token(s) of {login}; ended {} portal session(s)",
                    r.tokens, r.sessions
                ),
                serde_json::json!({ "login": login, "revoked": r.tokens, "sessions_ended": r.sessions }),
            )?;
        }
    }
    Ok(())
}

fn list(engine: &Engine, json: bool) -> Result<(), BackendError> {
    let now = engine.now();
    let tz = engine.time_zone();
    let tokens: Vec<TokenDto> = engine
        .tokens()?
        .into_iter()
        .map(|t| TokenDto::new(t, now))
        .collect();
    if json {
        return print_json(&tokens);
    }
    if tokens.is_empty() {
        return println_out("no tokens; make one with `desk token create LOGIN`");
    }
    let rows: Vec<Vec<String>> = tokens
        .iter()
        .map(|t| {
            let until = match (t.expires_at, t.expired) {
                (None, _) => "never".to_string(),
                (Some(at), true) => format!("{} (expired)", when(at, tz)),
                (Some(at), false) => when(at, tz),
            };
            vec![t.login.clone(), when(t.created_at, tz), until]
        })
        .collect();
    println_out(&table(&["LOGIN", "CREATED", "EXPIRES"], &rows))
}

/// `--expires`: a span from now (`90d`, `12h`, `2w`), a time in the desk's zone
/// (`2027-03-01`, `2027-03-01 17:00`, RFC 3339), or `never`.
fn expiry(
    text: &str,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> Result<Option<DateTime<Utc>>, BackendError> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    if let Some(span) = parse_span(text) {
        return Ok(Some(now + span));
    }
    // Something with a date in it (2027-03-01): the time parser's own answer says best
    // what is wrong with it (no such day, outside the times desk accepts).
    if text.contains('-') && text.starts_with(|c: char| c.is_ascii_digit()) {
        return Ok(Some(parse_time("expires", text, tz)?));
    }
    parse_time("expires", text, tz).map(Some).map_err(|_| {
        BackendError::new(
            ErrorKind::Invalid,
            format!(
                "expires: \"{text}\" is not a span (90d, 12h, 2w; up to a hundred years), a time (2027-03-01, 2027-03-01 17:00) or never"
            ),
        )
    })
}
