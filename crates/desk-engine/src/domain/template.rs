//! Notification templates: `{ticket.number}`-style placeholders, `{{` and `}}` for braces.

/// Every placeholder a template may use.
pub const PLACEHOLDERS: [&str; 17] = [
    "ticket.number",
    "ticket.title",
    "ticket.status",
    "ticket.priority",
    "ticket.queue",
    "ticket.company",
    "ticket.contact",
    "ticket.assigned",
    "ticket.due",
    // The ticket's page in the web portal, where `desk serve --public-url` was given.
    "ticket.portal_url",
    "note.text",
    "note.author",
    "actor.name",
    "actor.login",
    "recipient.name",
    "desk.name",
    "taskfire.queue",
];

/// The built-in notification events with their default subject and body.
pub const DEFAULT_TEMPLATES: [(&str, &str, &str); 8] = [
    (
        "ticket_created",
        "[{desk.name}] Ticket {ticket.number} received: {ticket.title}",
        "Hello {recipient.name},\n\nwe have received your ticket {ticket.number} \"{ticket.title}\".\nIt is in our queue {ticket.queue} with status {ticket.status}.\n\n{desk.name}",
    ),
    (
        "taskfire_assigned",
        "[{desk.name}] Ticket {ticket.number} assigned to your Taskfire desk: {ticket.title}",
        "Hello {recipient.name},\n\n{actor.name} assigned ticket {ticket.number} \"{ticket.title}\" to your queue {taskfire.queue}.\n\n{note.text}",
    ),
    (
        "taskfire_work_complete",
        "[{desk.name}] Our work on {ticket.number} is complete",
        "Hello {recipient.name},\n\n{actor.name} has completed the provider's part of ticket {ticket.number} \"{ticket.title}\".\n\n{note.text}",
    ),
    (
        "taskfire_question",
        "[{desk.name}] Question on {ticket.number}: {ticket.title}",
        "Hello {recipient.name},\n\n{actor.name} has a question on ticket {ticket.number}:\n\n{note.text}",
    ),
    (
        "taskfire_deleted",
        "[{desk.name}] Shared ticket {ticket.number} was deleted",
        "Hello {recipient.name},\n\n{actor.name} deleted the shared ticket {ticket.number} \"{ticket.title}\"; your Taskfire version is deleted too.",
    ),
    (
        "taskfire_escalated",
        "[{desk.name}] {ticket.company} escalated {ticket.number}: {ticket.title}",
        "Hello {recipient.name},\n\n{actor.name} of {ticket.company} handed ticket {ticket.number} to the provider, queue {ticket.queue}.\n\n{note.text}",
    ),
    (
        "taskfire_note_added",
        "[{desk.name}] {ticket.company} answered on {ticket.number}: {ticket.title}",
        "Hello {recipient.name},\n\n{note.author} of {ticket.company} wrote on the shared ticket {ticket.number} \"{ticket.title}\":\n\n{note.text}",
    ),
    (
        "portal_note_added",
        "[{desk.name}] New portal note on {ticket.number}",
        "Hello {recipient.name},\n\n{note.author} wrote on ticket {ticket.number} \"{ticket.title}\":\n\n{note.text}",
    ),
];

pub fn is_event(name: &str) -> bool {
    DEFAULT_TEMPLATES.iter().any(|(e, _, _)| *e == name)
}

/// The placeholders in `template` that are not known, or a message on unbalanced braces.
pub fn check(template: &str) -> Result<(), String> {
    let mut bad = Vec::new();
    parse(template, |p| {
        if !PLACEHOLDERS.contains(&p) {
            bad.push(p.to_string());
        }
        String::new()
    })?;
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "unknown placeholder {{{}}}; known: {}",
            bad.join("}, {"),
            PLACEHOLDERS.join(", ")
        ))
    }
}

/// Fills the placeholders; one the lookup does not know renders empty. Templates are
/// checked when the setup is loaded, so that cannot be a typo.
pub fn render(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    parse(template, |p| lookup(p).unwrap_or_default()).unwrap_or_else(|_| template.to_string())
}

fn parse(template: &str, mut fill: impl FnMut(&str) -> String) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{{") {
            out.push('{');
            rest = t;
        } else if let Some(t) = tail.strip_prefix("}}") {
            out.push('}');
            rest = t;
        } else if let Some(t) = tail.strip_prefix('{') {
            let end = t
                .find('}')
                .ok_or("a '{' is not closed (write {{ for a brace)")?;
            out.push_str(&fill(t[..end].trim()));
            rest = &t[end + 1..];
        } else {
            return Err("a '}' has no opening '{' (write }} for a brace)".into());
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn renders_placeholders_and_escaped_braces() {
        let out = render("Q on {ticket.number}: {{x}} {note.text}", |p| match p {
            "ticket.number" => Some("T20261129.0001".into()),
            "note.text" => Some("why?".into()),
            _ => None,
        });
        assert_eq!(out, "Q on T20261129.0001: {x} why?");
    }

    #[test]
    fn check_names_unknown_placeholders_and_bad_braces() {
        assert!(check("{ticket.number} {note.text}").is_ok());
        let e = check("{ticket.nmber}").unwrap_err();
        assert!(e.contains("{ticket.nmber}"), "{e}");
        assert!(check("open { brace").is_err());
        assert!(check("close } brace").is_err());
    }

    #[test]
    fn every_default_template_is_valid() {
        for (event, subject, body) in DEFAULT_TEMPLATES {
            assert!(check(subject).is_ok(), "{event}");
            assert!(check(body).is_ok(), "{event}");
        }
    }
}
