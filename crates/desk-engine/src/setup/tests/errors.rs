//! Bad setup files: each error names the file, the line and the key.

use super::*;

#[test]
fn an_unknown_key_names_its_line_and_key() {
    let src = with("service_desk = true", "servicedesk = true");
    let (line, key, message) = setup_error(&src);
    assert_eq!(line, 9);
    assert_eq!(line, line_of(&src, "servicedesk"));
    assert_eq!(key, "servicedesk");
    assert!(message.contains("servicedesk"), "{message}");
}

#[test]
fn an_unknown_key_in_the_desk_table() {
    let src = with(
        "time_zone = \"Pacific/Auckland\"",
        "time_zone = \"Pacific/Auckland\"\ntimezone = \"UTC\"",
    );
    let (line, key, _) = setup_error(&src);
    assert_eq!((line, key.as_str()), (4, "timezone"));
}

#[test]
fn an_unknown_table() {
    let src = format!("{VALID}\n[portals]\nshow = true\n");
    let (line, key, message) = setup_error(&src);
    assert_eq!(line, line_of(&src, "[portals]"));
    assert!(key.contains("portals"), "{key}");
    assert!(message.contains("portals"), "{message}");
}

#[test]
fn an_unknown_key_in_a_rule_action() {
    assert_error_at(
        "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
        "actions = [{ set = \"work_type\", valeu = \"Remote Support\" }]",
        "actions",
        "valeu",
    );
}

#[test]
fn a_contact_of_an_unknown_company() {
    assert_error_at(
        "company = \"Contoso\"",
        "company = \"Contosso\"",
        "contacts.company",
        "Contosso",
    );
}

#[test]
fn an_issue_type_of_an_unknown_company() {
    assert_error_at(
        "created_by = \"Contoso\"",
        "created_by = \"Fabrikam\"",
        "issue_types.created_by",
        "Fabrikam",
    );
}

#[test]
fn an_issue_type_naming_an_unknown_queue() {
    assert_error_at(
        "queue = \"Level 1\"",
        "queue = \"Level 2\"",
        "issue_types.queue",
        "Level 2",
    );
}

#[test]
fn a_provider_issue_type_may_not_name_a_taskfire_queue() {
    assert_error_at(
        "queue = \"Level 1\"",
        "queue = \"Contoso IT\"",
        "issue_types.queue",
        "Contoso IT",
    );
}

#[test]
fn a_rule_setting_an_unknown_work_type() {
    assert_error_at(
        "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
        "actions = [{ set = \"work_type\", value = \"Remote Suport\" }]",
        "workflow_rules.actions.value",
        "Remote Suport",
    );
}

#[test]
fn a_rule_setting_an_unknown_queue_status_or_resource() {
    for (value, word) in [
        ("{ set = \"queue\", value = \"Level 9\" }", "Level 9"),
        ("{ set = \"status\", value = \"Parked\" }", "Parked"),
        ("{ set = \"assigned\", value = \"zoe\" }", "zoe"),
        // A Taskfire resource is no provider resource.
        ("{ set = \"assigned\", value = \"tom\" }", "tom"),
        ("{ set = \"priority\", value = \"Urgent\" }", "Urgent"),
        // T2's status of the Taskfire version; rules run on provider tickets.
        (
            "{ set = \"status\", value = \"Provider Work Complete\" }",
            "Provider Work Complete",
        ),
    ] {
        assert_error_at(
            "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
            &format!("actions = [{value}]"),
            "workflow_rules.actions.value",
            word,
        );
    }
}

#[test]
fn a_rule_notifying_an_unknown_recipient() {
    assert_error_at(
        "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
        "actions = [{ notify = \"ticket_created\", to = \"zoe\" }]",
        "workflow_rules.actions.to",
        "zoe",
    );
}

#[test]
fn a_rule_notifying_with_an_unknown_template() {
    assert_error_at(
        "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
        "actions = [{ notify = \"ticket_eaten\", to = \"anna\" }]",
        "workflow_rules.actions.notify",
        "ticket_eaten",
    );
}

#[test]
fn a_rule_with_an_unknown_event_field_or_op() {
    assert_error_at(
        "event = \"ticket_created\"",
        "event = \"ticket_opened\"",
        "workflow_rules.event",
        "ticket_opened",
    );
    assert_error_at(
        "conditions = [{ field = \"source\", op = \"eq\", value = \"Client Portal\" }]",
        "conditions = [{ field = \"origin\", op = \"eq\", value = \"Client Portal\" }]",
        "workflow_rules.conditions.field",
        "origin",
    );
    assert_error_at(
        "conditions = [{ field = \"source\", op = \"eq\", value = \"Client Portal\" }]",
        "conditions = [{ field = \"source\", op = \"like\", value = \"Client Portal\" }]",
        "workflow_rules.conditions.op",
        "like",
    );
}

#[test]
fn a_template_with_an_unknown_placeholder() {
    assert_error_at(
        "body = \"{note.text}\"",
        "body = \"{note.txt}\"",
        "notification_templates.body",
        "note.txt",
    );
}

#[test]
fn a_bad_desk_time_zone() {
    assert_error_at(
        "time_zone = \"Pacific/Auckland\"",
        "time_zone = \"Pacific/Aukland\"",
        "desk.time_zone",
        "Pacific/Aukland",
    );
}

#[test]
fn a_bad_contact_time_zone() {
    assert_error_at(
        "time_zone = \"America/Los_Angeles\"",
        "time_zone = \"America/Los Angeles\"",
        "contacts.time_zone",
        "America/Los Angeles",
    );
}

#[test]
fn a_bad_taskfire_resource_time_zone() {
    assert_error_at(
        "resources = [{ login = \"tom\", name = \"Tom Reyes\", email = \"tom@contoso.example\" }]",
        "resources = [{ login = \"tom\", name = \"Tom Reyes\", email = \"tom@contoso.example\", time_zone = \"PST\" }]",
        "companies.taskfire.resources.time_zone",
        "PST",
    );
}

#[test]
fn a_bad_portal_level() {
    assert_error_at(
        "portal = \"manager\"",
        "portal = \"admin\"",
        "contacts.portal",
        "admin",
    );
}

#[test]
fn a_bad_portal_date() {
    assert_error_at(
        "show_tickets_created_on_or_after = \"2025-01-01\"",
        "show_tickets_created_on_or_after = \"01.01.2025\"",
        "portal.show_tickets_created_on_or_after",
        "01.01.2025",
    );
}

#[test]
fn a_login_used_twice() {
    // A contact with a resource's login.
    assert_error_at(
        "login = \"lisa@contoso.example\"",
        "login = \"anna\" # a contact",
        "contacts.login",
        "anna",
    );
    // A Taskfire resource with a provider resource's login.
    assert_error_at(
        "resources = [{ login = \"tom\", name = \"Tom Reyes\", email = \"tom@contoso.example\" }]",
        "resources = [{ login = \"anna\", name = \"Anna Two\", email = \"anna2@contoso.example\" }]",
        "companies.taskfire.resources.login",
        "anna",
    );
}

#[test]
fn a_login_used_twice_in_another_case() {
    // Logins are matched without regard to ASCII case, so these would be one person.
    assert_error_at(
        "login = \"lisa@contoso.example\"",
        "login = \"ANNA\"",
        "contacts.login",
        "ANNA",
    );
}

#[test]
fn a_syntax_error_names_its_line() {
    let src = with("name = \"Lisa Park\"", "name = \"Lisa Park");
    let (line, key, _) = setup_error(&src);
    assert_eq!((line, key.as_str()), (line_of(&src, "Lisa Park"), "name"));
}

#[test]
fn an_unknown_key_in_a_taskfire_resource() {
    assert_error_at(
        "resources = [{ login = \"tom\", name = \"Tom Reyes\", email = \"tom@contoso.example\" }]",
        "resources = [{ login = \"tom\", name = \"Tom Reyes\", mail = \"tom@contoso.example\" }]",
        "resources",
        "mail",
    );
}

#[test]
fn a_company_with_taskfire_but_no_queue() {
    let src = with("queues = [\"Contoso IT\"]", "queues = []");
    let (line, key, message) = setup_error(&src);
    assert_eq!(key, "companies.taskfire.queues");
    assert_eq!(line, line_of(&src, "name = \"Contoso\""));
    assert!(message.contains("Contoso"), "{message}");
}

#[test]
fn a_queue_listed_twice() {
    let src = with(
        "[[queues]]\nname = \"Level 1\"",
        "[[queues]]\nname = \"Level 1\"\n\n[[queues]]\nname = \"Level 1\" # again",
    );
    let (line, key, message) = setup_error(&src);
    assert_eq!(
        (line, key.as_str()),
        (line_of(&src, "# again"), "queues.name")
    );
    assert!(message.contains("Level 1"));
}

#[test]
fn a_missing_required_key() {
    let src = with("name = \"Anna Berger\"\n", "");
    // The error points at the table that lacks the key, and names the key.
    let (line, key, message) = setup_error(&src);
    assert_eq!((line, key.as_str()), (5, "[[resources]]"));
    assert!(message.contains("`name`"), "{message}");
}
