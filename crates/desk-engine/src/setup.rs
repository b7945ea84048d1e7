//! SPEC §5: the declarative setup file. `load` reads and validates the whole file before
//! anything is written; every error names the file, the line and the key.

mod file;
mod rules;

use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

use crate::domain::template;
use crate::domain::time::parse_tz;
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
        let src = std::fs::read_to_string(path).map_err(|e| Error::Io {
            context: format!("cannot read setup file {}", path.display()),
            source: e,
        })?;
        Setup::parse(&path.display().to_string(), &src)
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

struct Cx<'a> {
    file: &'a str,
    src: &'a str,
}

impl Cx<'_> {
    fn err(&self, span: &std::ops::Range<usize>, key: &str, message: impl Into<String>) -> Error {
        let start = span.start.min(self.src.len());
        Error::Setup {
            file: self.file.to_string(),
            line: self.src[..start].bytes().filter(|b| *b == b'\n').count() + 1,
            key: key.to_string(),
            message: message.into(),
        }
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
    match line.split_once('=') {
        Some((k, _)) => k.trim().trim_start_matches('{').trim().to_string(),
        None => line.trim().to_string(),
    }
}

struct Validator<'a> {
    cx: Cx<'a>,
    /// Every login in one namespace: resources, Taskfire resources and contacts. Keys
    /// are ASCII-lowercased, as the engine resolves logins without regard to case.
    logins: HashMap<String, &'static str>,
}

fn not_blank(s: &Spanned<String>) -> bool {
    !s.get_ref().trim().is_empty()
}

impl Validator<'_> {
    fn validate(mut self, raw: file::SetupFile) -> Result<Setup> {
        let cx = &self.cx;
        let desk_tz = self.zone(&raw.desk.time_zone, "desk.time_zone")?;
        if !not_blank(&raw.desk.name) {
            return Err(cx.at(&raw.desk.name, "desk.name", "must not be blank"));
        }

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
            let person = self.person(
                &c.login,
                &c.name,
                &c.email_or_login(),
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
            if issue_types
                .iter()
                .any(|x| x.name == name && x.company == company_name)
            {
                return Err(cx.at(
                    &it.name,
                    "issue_types.name",
                    format!("issue type \"{name}\" of {by} is listed twice"),
                ));
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
            Some(d) => Some(d.get_ref().trim().parse::<NaiveDate>().map_err(|_| {
                cx.at(
                    d,
                    "portal.show_tickets_created_on_or_after",
                    format!("\"{}\" is not a date (YYYY-MM-DD)", d.get_ref()),
                )
            })?),
        };

        let mut templates: Vec<TemplateSpec> = Vec::new();
        for t in &raw.notification_templates {
            let event = self.name(&t.event, "notification_templates.event")?;
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

        Ok(Setup {
            desk_name: raw.desk.name.get_ref().trim().to_string(),
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

    fn zone(&self, s: &Spanned<String>, key: &str) -> Result<Tz> {
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

    fn name(&self, s: &Spanned<String>, key: &str) -> Result<String> {
        if not_blank(s) {
            Ok(s.get_ref().trim().to_string())
        } else {
            Err(self.cx.at(s, key, "must not be blank"))
        }
    }

    fn unique_names(
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
    fn person(
        &mut self,
        login: &Spanned<String>,
        name: &Spanned<String>,
        email: &str,
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
            email: email.trim().to_string(),
            time_zone,
        })
    }
}

#[cfg(test)]
mod tests;
