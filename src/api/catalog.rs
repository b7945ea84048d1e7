//! Who acts and the names they may pick from, version 1.

use desk_engine::model::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorDto {
    pub login: String,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    /// resource | taskfire_resource | contact
    pub role: String,
    /// Resources only.
    #[serde(default)]
    pub service_desk: bool,
    /// Taskfire resources and contacts: their company.
    pub company: Option<String>,
    /// Contacts only: none | basic | manager.
    pub portal: Option<String>,
}

impl From<Actor> for ActorDto {
    fn from(a: Actor) -> Self {
        let role = a.role().to_string();
        let (service_desk, company, portal) = match a.kind {
            ActorKind::Resource { service_desk } => (service_desk, None, None),
            ActorKind::TaskfireResource { company } => (false, Some(company), None),
            ActorKind::Contact { company, portal } => {
                (false, Some(company), Some(portal.as_str().to_string()))
            }
        };
        ActorDto {
            login: a.login,
            name: a.name,
            email: a.email,
            time_zone: a.time_zone,
            role,
            service_desk,
            company,
            portal,
        }
    }
}

/// The DTO came from a server: an unknown role or level is the server's error, not ours.
impl TryFrom<ActorDto> for Actor {
    type Error = String;
    fn try_from(d: ActorDto) -> Result<Self, String> {
        let company = || {
            d.company
                .clone()
                .ok_or_else(|| format!("actor {} has role {} but no company", d.login, d.role))
        };
        let kind = match d.role.as_str() {
            "resource" => ActorKind::Resource {
                service_desk: d.service_desk,
            },
            "taskfire_resource" => ActorKind::TaskfireResource {
                company: company()?,
            },
            "contact" => {
                let level = d.portal.as_deref().unwrap_or("none");
                ActorKind::Contact {
                    company: company()?,
                    portal: PortalLevel::parse(level)
                        .ok_or_else(|| format!("unknown portal level \"{level}\""))?,
                }
            }
            other => return Err(format!("unknown role \"{other}\"")),
        };
        Ok(Actor {
            login: d.login,
            name: d.name,
            email: d.email,
            time_zone: d.time_zone,
            kind,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueDto {
    pub name: String,
    pub open: u64,
    /// Tickets of the queue in the caller's inbox.
    #[serde(default)]
    pub unseen: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDto {
    pub login: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskfireDeskDto {
    pub queues: Vec<String>,
    pub resources: Vec<PersonDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyDto {
    pub name: String,
    pub taskfire: Option<TaskfireDeskDto>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueTypeDto {
    pub name: String,
    pub created_by: String,
    pub queue: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogDto {
    pub desk_name: String,
    pub time_zone: String,
    pub me: ActorDto,
    pub queues: Vec<QueueDto>,
    pub statuses: Vec<String>,
    pub sources: Vec<String>,
    pub priorities: Vec<String>,
    pub work_types: Vec<String>,
    pub resources: Vec<PersonDto>,
    pub companies: Vec<CompanyDto>,
    pub contacts: Vec<PersonDto>,
    pub issue_types: Vec<IssueTypeDto>,
}

fn person(p: PersonInfo) -> PersonDto {
    PersonDto {
        login: p.login,
        name: p.name,
        email: p.email,
    }
}

fn person_back(p: PersonDto) -> PersonInfo {
    PersonInfo {
        login: p.login,
        name: p.name,
        email: p.email,
    }
}

impl From<Catalog> for CatalogDto {
    fn from(c: Catalog) -> Self {
        CatalogDto {
            desk_name: c.desk_name,
            time_zone: c.time_zone,
            me: c.me.into(),
            queues: c
                .queues
                .into_iter()
                .map(|q| QueueDto {
                    name: q.name,
                    open: q.open,
                    unseen: q.unseen,
                })
                .collect(),
            statuses: c.statuses,
            sources: c.sources,
            priorities: c.priorities,
            work_types: c.work_types,
            resources: c.resources.into_iter().map(person).collect(),
            companies: c
                .companies
                .into_iter()
                .map(|co| CompanyDto {
                    name: co.name,
                    taskfire: co.taskfire.map(|t| TaskfireDeskDto {
                        queues: t.queues,
                        resources: t.resources.into_iter().map(person).collect(),
                    }),
                })
                .collect(),
            contacts: c.contacts.into_iter().map(person).collect(),
            issue_types: c
                .issue_types
                .into_iter()
                .map(|i| IssueTypeDto {
                    name: i.name,
                    created_by: i.created_by,
                    queue: i.queue,
                })
                .collect(),
        }
    }
}

impl TryFrom<CatalogDto> for Catalog {
    type Error = String;
    fn try_from(c: CatalogDto) -> Result<Self, String> {
        Ok(Catalog {
            desk_name: c.desk_name,
            time_zone: c.time_zone,
            me: c.me.try_into()?,
            queues: c
                .queues
                .into_iter()
                .map(|q| QueueInfo {
                    name: q.name,
                    open: q.open,
                    unseen: q.unseen,
                })
                .collect(),
            statuses: c.statuses,
            sources: c.sources,
            priorities: c.priorities,
            work_types: c.work_types,
            resources: c.resources.into_iter().map(person_back).collect(),
            companies: c
                .companies
                .into_iter()
                .map(|co| CompanyInfo {
                    name: co.name,
                    taskfire: co.taskfire.map(|t| TaskfireDesk {
                        queues: t.queues,
                        resources: t.resources.into_iter().map(person_back).collect(),
                    }),
                })
                .collect(),
            contacts: c.contacts.into_iter().map(person_back).collect(),
            issue_types: c
                .issue_types
                .into_iter()
                .map(|i| IssueTypeInfo {
                    name: i.name,
                    created_by: i.created_by,
                    queue: i.queue,
                })
                .collect(),
        })
    }
}
