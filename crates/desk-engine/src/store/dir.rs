//! The directory: every name the setup fixed (queues, people, issue types, rules...),
//! read once when a connection opens. Setup data does not change after `desk init`.

use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

use super::sql::{Store, args};
use crate::domain::template::DEFAULT_TEMPLATES;
use crate::domain::time::parse_tz;
use crate::domain::workflow::Rule;
use crate::error::{Error, Result};
use crate::model::PortalLevel;

#[derive(Debug, Clone)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Queue {
    pub id: i64,
    pub name: String,
    /// 0: provider desk; otherwise the company of the Taskfire desk.
    pub side: i64,
}

#[derive(Debug, Clone)]
pub struct Company {
    pub id: i64,
    pub name: String,
    pub taskfire: bool,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub email: String,
    pub tz: Tz,
    /// Resources: Service Desk access. Contacts: unused.
    pub service_desk: bool,
    /// Taskfire resources and contacts: their company.
    pub company_id: Option<i64>,
    pub portal: PortalLevel,
    /// A contact (of the `contacts` table), not a resource: ids of the two overlap.
    pub contact: bool,
}

#[derive(Debug, Clone)]
pub struct IssueType {
    pub id: i64,
    pub name: String,
    pub company_id: Option<i64>,
    pub queue_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Dir {
    pub desk_name: String,
    pub tz: Tz,
    pub show_from: Option<NaiveDate>,
    /// Where the portal is reached (`desk serve --public-url`), without a trailing `/`.
    pub public_url: Option<String>,
    pub queues: Vec<Queue>,
    pub statuses: Vec<Named>,
    pub closed_status: Vec<bool>,
    pub sources: Vec<Named>,
    pub work_types: Vec<Named>,
    pub companies: Vec<Company>,
    /// Provider staff and Taskfire resources.
    pub resources: Vec<Person>,
    pub contacts: Vec<Person>,
    pub issue_types: Vec<IssueType>,
    pub rules: Vec<Rule>,
    pub templates: HashMap<String, (String, String)>,
}

/// The `meta` key of `Dir::public_url`.
pub(crate) const PUBLIC_URL: &str = "public_url";

fn find<'a, T>(list: &'a [T], name: &str, key: impl Fn(&T) -> &str) -> Option<&'a T> {
    list.iter()
        .find(|x| key(x) == name)
        .or_else(|| list.iter().find(|x| key(x).eq_ignore_ascii_case(name)))
}

impl Dir {
    pub fn load(db: &dyn Store) -> Result<Dir> {
        let meta = |k: &str| -> Result<Option<String>> {
            db.opt("SELECT value FROM meta WHERE key = ?1", &args![k], |r| {
                r.text(0)
            })
        };
        let tz_name = meta("time_zone")?.unwrap_or_default();
        let tz = parse_tz(&tz_name).ok_or_else(|| {
            Error::invalid(
                "desk time zone",
                format!("unknown time zone \"{tz_name}\" in the store"),
            )
        })?;
        let named = |sql: &str| -> Result<Vec<Named>> {
            db.all(sql, &[], |r| {
                Ok(Named {
                    id: r.int(0)?,
                    name: r.text(1)?,
                })
            })
        };
        let zone = |s: String| parse_tz(&s).unwrap_or(tz);
        let queues = db.all(
            "SELECT id, name, side FROM queues ORDER BY side, id",
            &[],
            |r| {
                Ok(Queue {
                    id: r.int(0)?,
                    name: r.text(1)?,
                    side: r.int(2)?,
                })
            },
        )?;
        let st_rows: Vec<(Named, bool)> = db.all(
            "SELECT id, name, closed FROM statuses ORDER BY id",
            &[],
            |r| {
                Ok((
                    Named {
                        id: r.int(0)?,
                        name: r.text(1)?,
                    },
                    r.flag(2)?,
                ))
            },
        )?;
        let (statuses, closed_status) = st_rows.into_iter().unzip();
        let companies = db.all(
            "SELECT id, name, taskfire FROM companies ORDER BY id",
            &[],
            |r| {
                Ok(Company {
                    id: r.int(0)?,
                    name: r.text(1)?,
                    taskfire: r.flag(2)?,
                })
            },
        )?;
        let resources = db.all(
            "SELECT id, login, name, email, time_zone, service_desk, company_id FROM resources ORDER BY id",
            &[],
            |r| {
                Ok(Person {
                    id: r.int(0)?,
                    login: r.text(1)?,
                    name: r.text(2)?,
                    email: r.text(3)?,
                    tz: zone(r.text(4)?),
                    service_desk: r.flag(5)?,
                    company_id: r.opt_int(6)?,
                    portal: PortalLevel::None,
                    contact: false,
                })
            },
        )?;
        let contacts = db.all(
            "SELECT id, login, name, email, time_zone, company_id, portal FROM contacts ORDER BY id",
            &[],
            |r| {
                let portal = r.text(6)?;
                Ok(Person {
                    id: r.int(0)?,
                    login: r.text(1)?,
                    name: r.text(2)?,
                    email: r.text(3)?,
                    tz: zone(r.text(4)?),
                    service_desk: false,
                    company_id: r.opt_int(5)?,
                    portal: PortalLevel::parse(&portal).unwrap_or(PortalLevel::None),
                    contact: true,
                })
            },
        )?;
        let issue_types = db.all(
            "SELECT id, name, company_id, queue_id FROM issue_types ORDER BY id",
            &[],
            |r| {
                Ok(IssueType {
                    id: r.int(0)?,
                    name: r.text(1)?,
                    company_id: r.opt_int(2)?,
                    queue_id: r.opt_int(3)?,
                })
            },
        )?;
        let bodies = db.all("SELECT body FROM rules ORDER BY id", &[], |r| r.text(0))?;
        let rules = bodies
            .iter()
            .map(|b| {
                serde_json::from_str(b)
                    .map_err(|e| Error::invalid("workflow rule in the store", e.to_string()))
            })
            .collect::<Result<_>>()?;
        let mut templates: HashMap<String, (String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(e, s, b)| (e.to_string(), (s.to_string(), b.to_string())))
            .collect();
        for (e, s, b) in db.all("SELECT event, subject, body FROM templates", &[], |r| {
            Ok((r.text(0)?, r.text(1)?, r.text(2)?))
        })? {
            templates.insert(e, (s, b));
        }
        Ok(Dir {
            desk_name: meta("desk_name")?.unwrap_or_default(),
            tz,
            show_from: meta("show_tickets_created_on_or_after")?.and_then(|d| d.parse().ok()),
            public_url: meta(PUBLIC_URL)?,
            queues,
            statuses,
            closed_status,
            sources: named("SELECT id, name FROM sources ORDER BY id")?,
            work_types: named("SELECT id, name FROM work_types ORDER BY id")?,
            companies,
            resources,
            contacts,
            issue_types,
            rules,
            templates,
        })
    }

    // Lookups by name (exact first, then ignoring ASCII case); errors name the value.

    pub fn queue(&self, side: i64, name: &str) -> Result<&Queue> {
        let on_side: Vec<&Queue> = self.queues.iter().filter(|q| q.side == side).collect();
        find(&on_side, name, |q| &q.name)
            .copied()
            .ok_or_else(|| Error::unknown("queue", name))
    }
    pub fn queue_by_id(&self, id: i64) -> Option<&Queue> {
        self.queues.iter().find(|q| q.id == id)
    }
    pub fn status(&self, name: &str) -> Result<&Named> {
        find(&self.statuses, name, |s| &s.name).ok_or_else(|| Error::unknown("status", name))
    }
    pub fn status_closed(&self, id: i64) -> bool {
        self.statuses
            .iter()
            .position(|s| s.id == id)
            .is_some_and(|i| self.closed_status[i])
    }
    pub fn source(&self, name: &str) -> Result<&Named> {
        find(&self.sources, name, |s| &s.name).ok_or_else(|| Error::unknown("source", name))
    }
    pub fn work_type(&self, name: &str) -> Result<&Named> {
        find(&self.work_types, name, |s| &s.name).ok_or_else(|| Error::unknown("work type", name))
    }
    pub fn company(&self, name: &str) -> Result<&Company> {
        find(&self.companies, name, |c| &c.name).ok_or_else(|| Error::unknown("company", name))
    }
    pub fn company_by_id(&self, id: i64) -> Option<&Company> {
        self.companies.iter().find(|c| c.id == id)
    }
    /// Provider staff only.
    pub fn provider_resource(&self, login: &str) -> Result<&Person> {
        self.resources
            .iter()
            .find(|r| r.company_id.is_none() && r.login.eq_ignore_ascii_case(login))
            .ok_or_else(|| Error::unknown("resource", login))
    }
    pub fn taskfire_resource(&self, company_id: i64, login: &str) -> Result<&Person> {
        self.resources
            .iter()
            .find(|r| r.company_id == Some(company_id) && r.login.eq_ignore_ascii_case(login))
            .ok_or_else(|| Error::unknown("Taskfire resource", login))
    }
    pub fn resource_by_id(&self, id: i64) -> Option<&Person> {
        self.resources.iter().find(|r| r.id == id)
    }
    pub fn contact(&self, login: &str) -> Result<&Person> {
        self.contacts
            .iter()
            .find(|c| c.login.eq_ignore_ascii_case(login))
            .ok_or_else(|| Error::unknown("contact", login))
    }
    pub fn contact_by_id(&self, id: i64) -> Option<&Person> {
        self.contacts.iter().find(|c| c.id == id)
    }
    pub fn issue_type_by_id(&self, id: i64) -> Option<&IssueType> {
        self.issue_types.iter().find(|i| i.id == id)
    }
    /// R1's view of an issue type: who made it and the provider queue it names.
    pub fn route(
        &self,
        issue_type: Option<&IssueType>,
    ) -> crate::domain::routing::IssueTypeRoute<'_> {
        crate::domain::routing::IssueTypeRoute {
            created_by_provider: issue_type.is_some_and(|it| it.company_id.is_none()),
            queue: issue_type
                .and_then(|it| it.queue_id)
                .and_then(|q| self.queue_by_id(q))
                .filter(|q| q.side == 0)
                .map(|q| q.name.as_str()),
        }
    }
    pub fn name_of(list: &[Named], id: i64) -> &str {
        list.iter()
            .find(|n| n.id == id)
            .map_or("", |n| n.name.as_str())
    }
    /// The portal page of provider ticket `number`, where the portal's address is known.
    pub fn portal_url(&self, number: &str) -> Option<String> {
        let base = self.public_url.as_deref()?;
        Some(format!("{base}/portal/tickets/{number}"))
    }
    pub fn side_name(&self, side: i64) -> String {
        if side == 0 {
            "provider".to_string()
        } else {
            self.company_by_id(side)
                .map_or_else(String::new, |c| c.name.clone())
        }
    }
}
