//! The checks of single values of a setup file: names, texts, e-mail addresses, time
//! zones, people, and that every template is sent.

use chrono_tz::Tz;
use toml::Spanned;

use super::{PersonSpec, TemplateSpec, Validator, file, message_of, not_blank};
use crate::domain::email::why_not_email;
use crate::domain::template;
use crate::domain::text::{check_line, check_text};
use crate::domain::time::parse_tz;
use crate::domain::workflow::{Action, Rule};
use crate::error::Result;

impl Validator<'_> {
    /// A template is for a built-in event or for one a rule's `notify` sends; any other
    /// (a misspelt `taskfire_questoin`) would silently never be used.
    pub(super) fn templates_are_sent(
        &self,
        templates: &[TemplateSpec],
        raw: &[file::TemplateDef],
        rules: &[Rule],
    ) -> Result<()> {
        let notified = |event: &str| {
            rules
                .iter()
                .flat_map(|r| &r.actions)
                .any(|a| matches!(a, Action::Notify { event: e, .. } if e == event))
        };
        for (t, def) in templates.iter().zip(raw) {
            if !template::is_event(&t.event) && !notified(&t.event) {
                let built_in: Vec<&str> = template::DEFAULT_TEMPLATES
                    .iter()
                    .map(|(e, _, _)| *e)
                    .collect();
                return Err(self.cx.at(
                    &def.event,
                    "notification_templates.event",
                    format!(
                        "\"{}\" is not a built-in event ({}) and no rule notifies with it, so it would never be sent",
                        t.event,
                        built_in.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn zone(&self, s: &Spanned<String>, key: &str) -> Result<Tz> {
        parse_tz(s.get_ref().trim()).ok_or_else(|| {
            self.cx.at(
                s,
                key,
                format!(
                    "unknown time zone \"{}\" (use an IANA name such as Europe/Berlin)",
                    s.get_ref()
                ),
            )
        })
    }

    /// A name: one line without control characters (docs/rules.md, "Text"), not blank.
    pub(super) fn name(&self, s: &Spanned<String>, key: &str) -> Result<String> {
        self.line_text(s, key)?;
        if not_blank(s) {
            Ok(s.get_ref().trim().to_string())
        } else {
            Err(self.cx.at(s, key, "must not be blank"))
        }
    }

    /// A one-line value (a name, a template's subject) with no control character.
    pub(super) fn line_text(&self, s: &Spanned<String>, key: &str) -> Result<()> {
        check_line(key, s.get_ref()).map_err(|e| self.cx.at(s, key, message_of(e)))
    }

    /// A text (a template's body, a rule's note): line breaks and tabs only.
    pub(super) fn text(&self, s: &Spanned<String>, key: &str) -> Result<()> {
        check_text(key, s.get_ref())
            .map(drop)
            .map_err(|e| self.cx.at(s, key, message_of(e)))
    }

    pub(super) fn unique_names(
        &self,
        list: &[file::Named],
        key: &str,
        what: &str,
        reserved: &[&str],
    ) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for n in list {
            let name = self.name(&n.name, key)?;
            if out.contains(&name) || reserved.contains(&name.as_str()) {
                return Err(self.cx.at(
                    &n.name,
                    key,
                    format!("{what} \"{name}\" is listed twice or is built in"),
                ));
            }
            out.push(name);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn person(
        &mut self,
        login: &Spanned<String>,
        name: &Spanned<String>,
        email: &Spanned<String>,
        tz: Option<&Spanned<String>>,
        desk_tz: Tz,
        table: &str,
        what: &'static str,
    ) -> Result<PersonSpec> {
        let l = self.name(login, &format!("{table}.login"))?;
        if l.contains(char::is_whitespace) {
            return Err(self.cx.at(
                login,
                &format!("{table}.login"),
                format!("login \"{l}\" must not contain spaces"),
            ));
        }
        if let Some(prev) = self.logins.get(&l.to_ascii_lowercase()) {
            return Err(self.cx.at(
                login,
                &format!("{table}.login"),
                format!("login \"{l}\" is already used by a {prev}"),
            ));
        }
        self.logins.insert(l.to_ascii_lowercase(), what);
        let n = self.name(name, &format!("{table}.name"))?;
        if let Some(why) = why_not_email(email.get_ref().trim()) {
            return Err(self.cx.at(email, &format!("{table}.email"), why));
        }
        let time_zone = match tz {
            Some(z) => self
                .zone(z, &format!("{table}.time_zone"))?
                .name()
                .to_string(),
            None => desk_tz.name().to_string(),
        };
        Ok(PersonSpec {
            login: l,
            name: n,
            email: email.get_ref().trim().to_string(),
            time_zone,
        })
    }
}
