//! The declarative setup file (docs/rules.md, "The setup file"). `load` reads and validates the whole file before
//! anything is written; every error names the file, the line and the key.

mod fields;
mod file;
mod rules;

use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

use crate::domain::email::why_not_email;
use crate::domain::template;
use crate::domain::time::check_instant;
use crate::domain::workflow::Rule;
use crate::error::{Error, Result};
use crate::model::{BUILTIN_STATUSES, CLIENT_PORTAL, PortalLevel};
use rules::Names;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonSpec {
    pub login: String,
    pub name: String,
    pub email: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpec {
    pub person: PersonSpec,
    pub service_desk: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanySpec {
    pub name: String,
    pub taskfire: Option<TaskfireSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskfireSpec {
    pub queues: Vec<String>,
    pub resources: Vec<PersonSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSpec {
    pub person: PersonSpec,
    pub company: String,
    pub portal: PortalLevel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueTypeSpec {
    pub name: String,
    /// `None`: created by the provider.
    pub company: Option<String>,
    pub queue: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSpec {
    pub event: String,
    pub subject: String,
    pub body: String,
}

/// A validated setup: every reference resolves, every zone exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub desk_name: String,
    pub time_zone: Tz,
    pub resources: Vec<ResourceSpec>,
    pub queues: Vec<String>,
    pub work_types: Vec<String>,
    pub statuses: Vec<String>,
    pub companies: Vec<CompanySpec>,
    pub contacts: Vec<ContactSpec>,
    pub issue_types: Vec<IssueTypeSpec>,
    pub show_tickets_created_on_or_after: Option<NaiveDate>,
    pub rules: Vec<Rule>,
    pub templates: Vec<TemplateSpec>,
}

impl Setup {
    pub fn load(path: &Path) -> Result<Setup> {
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            context: format!("cannot read setup file {}", path.display()),
            source: e,
        })?;
        let file = path.display().to_string();
        let src =
            String::from_utf8(bytes).map_err(|e| not_utf8(&file, e.as_bytes(), e.utf8_error()))?;
        Setup::parse(&file, &src)
    }

    /// `file` is only used to name the file in errors.
    pub fn parse(file: &str, src: &str) -> Result<Setup> {
        let cx = Cx { file, src };
        let raw: file::SetupFile = toml::from_str(src).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            cx.err(&span, &key_at(src, span.start), e.message().trim())
        })?;
        Validator {
            cx,
            logins: HashMap::new(),
        }
        .validate(raw)
    }
}

/// A file that is not UTF-8 text: where the first bad byte is, as file, line and key.
fn not_utf8(file: &str, bytes: &[u8], e: std::str::Utf8Error) -> Error {
    let at = e.valid_up_to();
    let text = String::from_utf8_lossy(&bytes[..at]);
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    let key = if text[line_start..].trim_start().starts_with('#') {
        "comment".to_string()
    } else {
        key_at(&text, at)
    };
    Error::Setup {
        file: file.to_string(),
        line: text.matches('\n').count() + 1,
        key,
        message: format!(
            "is not UTF-8 text: byte 0x{:02X} at column {} (save the file as UTF-8)",
            bytes[at],
            text[line_start..].chars().count() + 1
        ),
    }
}

struct Cx<'a> {
    file: &'a str,
    src: &'a str,
}

impl Cx<'_> {
    fn err(&self, span: &std::ops::Range<usize>, key: &str, message: impl Into<String>) -> Error {
        Error::Setup {
            file: self.file.to_string(),
            line: self.line(span),
            key: key.to_string(),
            message: message.into(),
        }
    }

    /// The line a span starts on, counted from 1.
    fn line(&self, span: &std::ops::Range<usize>) -> usize {
        let start = span.start.min(self.src.len());
        self.src[..start].bytes().filter(|b| *b == b'\n').count() + 1
    }

    /// `file:line` of a span, to name another place in the file in a message.
    fn place<T>(&self, v: &Spanned<T>) -> String {
        format!("{}:{}", self.file, self.line(&v.span()))
    }

    fn at<T>(&self, v: &Spanned<T>, key: &str, message: impl Into<String>) -> Error {
        self.err(&v.span(), key, message)
    }
}

/// The key written on the line that holds `offset` (for errors the TOML parser reports).
fn key_at(src: &str, offset: usize) -> String {
    let offset = offset.min(src.len());
    let line_start = src[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = src[line_start..].lines().next().unwrap_or("");
    let key = match line.split_once('=') {
        Some((k, _)) => k.trim().trim_start_matches('{').trim(),
        None => line.trim(),
    };
    // Never an empty key in a message: `= 1` names itself, a blank line says so.
    match (key.is_empty(), line.trim().is_empty()) {
        (false, _) => key.to_string(),
        (true, false) => line.trim().to_string(),
        (true, true) if src[line_start..].trim().is_empty() => "(the end of the file)".into(),
        (true, true) => "(a blank line)".into(),
    }
}

struct Validator<'a> {
    cx: Cx<'a>,
    /// Every login in one namespace: resources, Taskfire resources and contacts. Keys
    /// are ASCII-lowercased, as the engine resolves logins without regard to case.
    logins: HashMap<String, &'static str>,
}

/// The message of an input error, without its field (a setup error names its key).
fn message_of(e: Error) -> String {
    match e {
        Error::Invalid { message, .. } => message,
        other => other.to_string(),
    }
}

fn not_blank(s: &Spanned<String>) -> bool {
    !s.get_ref().trim().is_empty()
}

impl Validator<'_> {
    fn validate(mut self, raw: file::SetupFile) -> Result<Setup> {
        let desk_tz = self.zone(&raw.desk.time_zone, "desk.time_zone")?;
        let desk_name = self.name(&raw.desk.name, "desk.name")?;

        let mut resources = Vec::new();
        for r in &raw.resources {
            let person = self.person(
                &r.login,
                &r.name,
                &r.email,
                r.time_zone.as_ref(),
                desk_tz,
                "resources",
                "resource",
            )?;
            resources.push(ResourceSpec {
                person,
                service_desk: r.service_desk,
            });
        }

        let cx = &self.cx;
        let mut queues: Vec<String> = Vec::new();
        for q in &raw.queues {
            let name = self.name(&q.name, "queues.name")?;
            if name == CLIENT_PORTAL {
                continue; // built in; listing it is harmless
            }
            if queues.contains(&name) {
                return Err(cx.at(
                    &q.name,
                    "queues.name",
                    format!("queue \"{name}\" is listed twice"),
                ));
            }
            queues.push(name);
        }
        let work_types = self.unique_names(&raw.work_types, "work_types.name", "work type", &[])?;
        let statuses =
            self.unique_names(&raw.statuses, "statuses.name", "status", &BUILTIN_STATUSES)?;

        let mut companies = Vec::new();
        for c in &raw.companies {
            let name = self.name(&c.name, "companies.name")?;
            if companies.iter().any(|x: &CompanySpec| x.name == name) {
                return Err(self.cx.at(
                    &c.name,
                    "companies.name",
                    format!("company \"{name}\" is listed twice"),
                ));
            }
            let taskfire = match &c.taskfire {
                None => None,
                Some(tf) => {
                    let mut tqueues: Vec<String> = Vec::new();
                    for q in &tf.queues {
                        let qn = self.name(q, "companies.taskfire.queues")?;
                        if tqueues.contains(&qn) {
                            return Err(self.cx.at(
                                q,
                                "companies.taskfire.queues",
                                format!("queue \"{qn}\" is listed twice"),
                            ));
                        }
                        tqueues.push(qn);
                    }
                    if tqueues.is_empty() {
                        return Err(self.cx.at(
                            &c.name,
                            "companies.taskfire.queues",
                            format!("company \"{name}\" has Taskfire but no Taskfire queue"),
                        ));
                    }
                    let mut tres = Vec::new();
                    for r in &tf.resources {
                        tres.push(self.person(
                            &r.login,
                            &r.name,
                            &r.email,
                            r.time_zone.as_ref(),
                            desk_tz,
                            "companies.taskfire.resources",
                            "Taskfire resource",
                        )?);
                    }
                    Some(TaskfireSpec {
                        queues: tqueues,
                        resources: tres,
                    })
                }
            };
            companies.push(CompanySpec { name, taskfire });
        }
        let company = |s: &Spanned<String>, key: &str, cx: &Cx| -> Result<String> {
            let n = s.get_ref().trim();
            companies
                .iter()
                .find(|c| c.name == n)
                .map(|c| c.name.clone())
                .ok_or_else(|| cx.at(s, key, format!("unknown company \"{n}\"")))
        };

        let mut contacts = Vec::new();
        for c in &raw.contacts {
            // A contact's login is their e-mail address (and where mail goes by default).
            if let Some(why) = why_not_email(c.login.get_ref().trim()) {
                return Err(self.cx.at(&c.login, "contacts.login", why));
            }
            let person = self.person(
                &c.login,
                &c.name,
                c.email_or_login(),
                c.time_zone.as_ref(),
                desk_tz,
                "contacts",
                "contact",
            )?;
            let company = company(&c.company, "contacts.company", &self.cx)?;
            let portal = match &c.portal {
                None => PortalLevel::None,
                Some(p) => PortalLevel::parse(p.get_ref().trim()).ok_or_else(|| {
                    self.cx.at(
                        p,
                        "contacts.portal",
                        format!(
                            "\"{}\" is not a portal level; use none, basic or manager",
                            p.get_ref()
                        ),
                    )
                })?,
            };
            contacts.push(ContactSpec {
                person,
                company,
                portal,
            });
        }

        let cx = &self.cx;
        let mut issue_types: Vec<IssueTypeSpec> = Vec::new();
        for it in &raw.issue_types {
            let name = self.name(&it.name, "issue_types.name")?;
            let by = it.created_by.get_ref().trim();
            let company_name = if by == "provider" {
                None
            } else {
                Some(company(&it.created_by, "issue_types.created_by", cx)?)
            };
            let queue = match &it.queue {
                None => None,
                Some(q) => {
                    let qn = q.get_ref().trim().to_string();
                    let taskfire_queue = company_name
                        .as_ref()
                        .and_then(|c| companies.iter().find(|x| &x.name == c))
                        .and_then(|c| c.taskfire.as_ref())
                        .is_some_and(|tf| tf.queues.contains(&qn));
                    if !(qn == CLIENT_PORTAL || queues.contains(&qn) || taskfire_queue) {
                        return Err(cx.at(
                            q,
                            "issue_types.queue",
                            format!("unknown queue \"{qn}\""),
                        ));
                    }
                    Some(qn)
                }
            };
            // A company's people choose from the provider's issue types and their own: the
            // same name twice there (in any case) means one of the two is never chosen.
            if let Some((prev, prev_raw)) =
                issue_types.iter().zip(&raw.issue_types).find(|(x, _)| {
                    x.name.eq_ignore_ascii_case(&name)
                        && (x.company == company_name
                            || x.company.is_none()
                            || company_name.is_none())
                })
            {
                let whose = |c: &Option<String>| {
                    c.as_ref()
                        .map_or_else(|| "the provider's".to_string(), |c| format!("{c}'s"))
                };
                let message = if prev.company == company_name {
                    format!(
                        "issue type \"{name}\" of {by} is listed twice (first at {})",
                        cx.place(&prev_raw.name)
                    )
                } else {
                    format!(
                        "{} issue type \"{name}\" has the name of {} issue type \"{}\" at {}; a ticket of {} could never get one of the two, so give one another name",
                        whose(&company_name),
                        whose(&prev.company),
                        prev.name,
                        cx.place(&prev_raw.name),
                        company_name
                            .as_ref()
                            .or(prev.company.as_ref())
                            .map_or("", String::as_str)
                    )
                };
                return Err(cx.at(&it.name, "issue_types.name", message));
            }
            issue_types.push(IssueTypeSpec {
                name,
                company: company_name,
                queue,
            });
        }

        let show_from = match raw
            .portal
            .as_ref()
            .and_then(|p| p.show_tickets_created_on_or_after.as_ref())
        {
            None => None,
            Some(d) => {
                let key = "portal.show_tickets_created_on_or_after";
                let date = d.get_ref().trim().parse::<NaiveDate>().map_err(|_| {
                    cx.at(
                        d,
                        key,
                        format!("\"{}\" is not a date (YYYY-MM-DD)", d.get_ref()),
                    )
                })?;
                // Stored like every time desk keeps: one it accepts (docs/rules.md, "Time").
                check_instant(key, date.and_time(chrono::NaiveTime::MIN).and_utc())
                    .map_err(|e| cx.at(d, key, message_of(e)))?;
                Some(date)
            }
        };

        let mut templates: Vec<TemplateSpec> = Vec::new();
        for t in &raw.notification_templates {
            let event = self.name(&t.event, "notification_templates.event")?;
            // A subject is a mail header: one line. A body may have lines and tabs.
            self.line_text(&t.subject, "notification_templates.subject")?;
            self.text(&t.body, "notification_templates.body")?;
            for (v, key) in [
                (&t.subject, "notification_templates.subject"),
                (&t.body, "notification_templates.body"),
            ] {
                template::check(v.get_ref()).map_err(|m| cx.at(v, key, m))?;
            }
            if templates.iter().any(|x| x.event == event) {
                return Err(cx.at(
                    &t.event,
                    "notification_templates.event",
                    format!("template for \"{event}\" is listed twice"),
                ));
            }
            templates.push(TemplateSpec {
                event,
                subject: t.subject.get_ref().clone(),
                body: t.body.get_ref().clone(),
            });
        }

        let names = Names {
            statuses: BUILTIN_STATUSES
                .iter()
                .map(|s| s.to_string())
                .chain(statuses.iter().cloned())
                .collect(),
            queues: std::iter::once(CLIENT_PORTAL.to_string())
                .chain(queues.iter().cloned())
                .collect(),
            work_types: work_types.iter().cloned().collect(),
            resources: resources.iter().map(|r| r.person.login.clone()).collect(),
            logins: self.logins.keys().cloned().collect(),
            template_events: templates.iter().map(|t| t.event.clone()).collect(),
        };
        let mut rules = Vec::new();
        for r in &raw.workflow_rules {
            rules.push(self.rule(r, &names)?);
        }
        self.templates_are_sent(&templates, &raw.notification_templates, &rules)?;

        Ok(Setup {
            desk_name,
            time_zone: desk_tz,
            resources,
            queues,
            work_types,
            statuses,
            companies,
            contacts,
            issue_types,
            show_tickets_created_on_or_after: show_from,
            rules,
            templates,
        })
    }
}

#[cfg(test)]
mod tests;
