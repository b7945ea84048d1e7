//! The setup file as written: serde structs that refuse unknown keys and keep spans.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupFile {
    pub desk: DeskDef,
    #[serde(default)]
    pub resources: Vec<ResourceDef>,
    #[serde(default)]
    pub queues: Vec<Named>,
    #[serde(default)]
    pub work_types: Vec<Named>,
    #[serde(default)]
    pub statuses: Vec<Named>,
    #[serde(default)]
    pub companies: Vec<CompanyDef>,
    #[serde(default)]
    pub contacts: Vec<ContactDef>,
    #[serde(default)]
    pub issue_types: Vec<IssueTypeDef>,
    #[serde(default)]
    pub portal: Option<PortalDef>,
    #[serde(default)]
    pub workflow_rules: Vec<RuleDef>,
    #[serde(default)]
    pub notification_templates: Vec<TemplateDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeskDef {
    pub name: Spanned<String>,
    pub time_zone: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceDef {
    pub login: Spanned<String>,
    pub name: Spanned<String>,
    pub email: Spanned<String>,
    #[serde(default)]
    pub service_desk: bool,
    pub time_zone: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    pub name: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyDef {
    pub name: Spanned<String>,
    pub taskfire: Option<TaskfireDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskfireDef {
    pub queues: Vec<Spanned<String>>,
    #[serde(default)]
    pub resources: Vec<TaskfireResourceDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskfireResourceDef {
    pub login: Spanned<String>,
    pub name: Spanned<String>,
    pub email: Spanned<String>,
    pub time_zone: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactDef {
    /// The contact's e-mail address, which is also their login.
    pub login: Spanned<String>,
    pub name: Spanned<String>,
    pub email: Option<Spanned<String>>,
    pub company: Spanned<String>,
    pub time_zone: Option<Spanned<String>>,
    pub portal: Option<Spanned<String>>,
}

impl ContactDef {
    /// Where mail to the contact goes: `email`, else the login (an address itself).
    pub fn email_or_login(&self) -> &Spanned<String> {
        self.email.as_ref().unwrap_or(&self.login)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueTypeDef {
    pub name: Spanned<String>,
    pub created_by: Spanned<String>,
    pub queue: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalDef {
    pub show_tickets_created_on_or_after: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    pub name: Spanned<String>,
    pub event: Spanned<String>,
    #[serde(default)]
    pub conditions: Vec<Spanned<ConditionDef>>,
    #[serde(default)]
    pub actions: Vec<Spanned<ActionDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionDef {
    pub field: String,
    pub op: String,
    pub value: OneOrMany,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    pub set: Option<String>,
    pub value: Option<String>,
    pub notify: Option<String>,
    pub to: Option<String>,
    pub add_note: Option<String>,
    pub kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    pub event: Spanned<String>,
    pub subject: Spanned<String>,
    pub body: Spanned<String>,
}
