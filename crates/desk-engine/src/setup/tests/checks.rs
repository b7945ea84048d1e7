//! The setup checks of issue 9: issue types whose names clash, e-mail addresses,
//! templates that would never be sent, files that are not UTF-8, control characters.

use super::*;

#[test]
fn a_company_issue_type_named_like_a_providers_is_refused_naming_both() {
    let src = with(
        "name = \"Laptop\"\ncreated_by = \"Contoso\"",
        "name = \"printer\"\ncreated_by = \"Contoso\"",
    );
    let (line, key, message) = setup_error(&src);
    assert_eq!(
        (line, key.as_str()),
        (line_of(&src, "\"printer\""), "issue_types.name")
    );
    let provider_line = line_of(&src, "name = \"Printer\"");
    assert!(
        message.starts_with(
            "Contoso's issue type \"printer\" has the name of the provider's issue type \"Printer\""
        ) && message.contains(&format!("at test.toml:{provider_line};")),
        "{message}"
    );
    assert!(
        message.contains("a ticket of Contoso could never get one"),
        "{message}"
    );
}

#[test]
fn a_providers_issue_type_named_like_a_companys_earlier_one_is_refused_too() {
    let src = format!("{VALID}\n[[issue_types]]\nname = \"Laptop\"\ncreated_by = \"provider\"\n");
    let (line, key, message) = setup_error(&src);
    assert_eq!(key, "issue_types.name");
    assert_eq!(line, src.lines().count() - 1);
    let first = line_of(VALID, "name = \"Laptop\"");
    assert!(
        message.starts_with(
            "the provider's issue type \"Laptop\" has the name of Contoso's issue type \"Laptop\""
        ) && message.contains(&format!("test.toml:{first}")),
        "{message}"
    );
}

#[test]
fn two_companies_may_each_have_an_issue_type_of_the_same_name() {
    let src = format!(
        "{VALID}\n[[companies]]\nname = \"Fabrikam\"\n\n[[issue_types]]\nname = \"Laptop\"\ncreated_by = \"Fabrikam\"\n"
    );
    let s = Setup::parse("test.toml", &src).unwrap();
    assert_eq!(
        s.issue_types.iter().filter(|i| i.name == "Laptop").count(),
        2
    );
}

#[test]
fn resource_and_taskfire_resource_emails_must_be_addresses() {
    assert_error_at(
        "email = \"anna@kiwi.example\"",
        "email = \"dusty at home\"",
        "resources.email",
        "\"dusty at home\" is not an e-mail address",
    );
    assert_error_at(
        "email = \"tom@contoso.example\" }]",
        "email = \"tom\" }]",
        "companies.taskfire.resources.email",
        "(it has no @)",
    );
}

#[test]
fn a_contact_login_is_an_address_and_so_is_its_email() {
    assert_error_at(
        "login = \"lisa@contoso.example\"",
        "login = \"ruth\"",
        "contacts.login",
        "\"ruth\" is not an e-mail address",
    );
    let src = with(
        "name = \"Lisa Park\"",
        "name = \"Lisa Park\"\nemail = \"lisa at contoso\"",
    );
    let (line, key, message) = setup_error(&src);
    assert_eq!(
        (line, key.as_str()),
        (line_of(&src, "lisa at contoso"), "contacts.email")
    );
    assert!(message.contains("\"lisa at contoso\" is not"), "{message}");
}

#[test]
fn a_misspelt_template_event_is_refused_and_one_a_rule_sends_is_not() {
    let src = with(
        "event = \"taskfire_question\"",
        "event = \"taskfire_questoin\"",
    );
    let (line, key, message) = setup_error(&src);
    assert_eq!(
        (line, key.as_str()),
        (
            line_of(&src, "taskfire_questoin"),
            "notification_templates.event"
        )
    );
    assert!(
        message.contains("\"taskfire_questoin\" is not a built-in event (ticket_created, ")
            && message.contains("no rule notifies with it"),
        "{message}"
    );
    let src = with("event = \"taskfire_question\"", "event = \"vip_ticket\"").replace(
        "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
        "actions = [{ notify = \"vip_ticket\", to = \"anna\" }]",
    );
    assert!(Setup::parse("test.toml", &src).is_ok());
}

#[test]
fn a_file_that_is_not_utf8_names_the_line_and_key() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("latin1.toml");
    // "Zürich" written in Latin-1: 0xFC is no UTF-8.
    let src = with("name = \"Lisa Park\"", "name = \"Lisa Z\u{1}rich\"");
    let bytes = src.replace('\u{1}', "\u{0}").into_bytes();
    let mut bytes = bytes;
    let at = bytes.iter().position(|b| *b == 0).unwrap();
    bytes[at] = 0xFC;
    std::fs::write(&path, &bytes).unwrap();
    match Setup::load(&path) {
        Err(Error::Setup {
            file,
            line,
            key,
            message,
        }) => {
            assert_eq!(file, path.display().to_string());
            assert_eq!(line, line_of(&src, "Lisa Z"));
            assert_eq!(key, "name");
            assert!(
                message.contains("not UTF-8")
                    && message.contains("0xFC")
                    && message.contains("column 15"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn names_and_texts_with_control_characters_are_refused_naming_the_key() {
    let cases: [(&str, &str, &str); 9] = [
        (
            "name = \"Kiwi IT\"",
            "name = \"Kiwi\\u001b[2J IT\"",
            "desk.name",
        ),
        ("name = \"Level 1\"", "name = \"Level\\t1\"", "queues.name"),
        (
            "name = \"Anna Berger\"",
            "name = \"Anna\\u0007\"",
            "resources.name",
        ),
        (
            "name = \"Remote Support\"",
            "name = \"Remote\\nSupport\"",
            "work_types.name",
        ),
        (
            "subject = \"Question on {ticket.number}: {ticket.title}\"",
            "subject = \"Question\\non {ticket.number}\"",
            "notification_templates.subject",
        ),
        (
            "body = \"{note.text}\"",
            "body = \"\\u001b]0;owned\\u0007{note.text}\"",
            "notification_templates.body",
        ),
        (
            "actions = [{ set = \"work_type\", value = \"Remote Support\" }]",
            "actions = [{ add_note = \"see \\u001b[31m\" }]",
            "workflow_rules.actions.add_note",
        ),
        (
            "conditions = [{ field = \"source\", op = \"eq\", value = \"Client Portal\" }]",
            "conditions = [{ field = \"source\", op = \"eq\", value = \"Client\\u009bPortal\" }]",
            "workflow_rules.conditions.value",
        ),
        (
            "name = \"Work type for portal tickets\"",
            "name = \"Work\\u0000type\"",
            "workflow_rules.name",
        ),
    ];
    for (from, to, key) in cases {
        let src = with(from, to);
        let (line, k, message) = setup_error(&src);
        assert_eq!((line, k.as_str()), (line_of(&src, to), key), "{message}");
        assert!(
            message.contains("control character")
                || message.contains("ESC")
                || message.contains("line break")
                || message.contains("a tab"),
            "{key}: {message}"
        );
    }
    // A template's body may have lines and tabs.
    let src = with(
        "body = \"{note.text}\"",
        "body = \"Hello,\\n\\t{note.text}\"",
    );
    assert!(Setup::parse("test.toml", &src).is_ok());
}

#[test]
fn the_portal_date_is_one_desk_accepts() {
    for bad in ["0001-01-01", "9999-12-31"] {
        assert_error_at(
            "show_tickets_created_on_or_after = \"2025-01-01\"",
            &format!("show_tickets_created_on_or_after = \"{bad}\""),
            "portal.show_tickets_created_on_or_after",
            "outside the times desk accepts",
        );
    }
}

#[test]
fn a_byte_that_is_not_utf8_in_a_comment_is_named_as_in_a_comment() {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("latin1.toml");
    let mut bytes = b"# Zurich desk\n".to_vec();
    bytes[3] = 0xFC;
    bytes.extend_from_slice(VALID.as_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let e = Setup::load(&path).unwrap_err().to_string();
    assert!(e.ends_with("latin1.toml:1: comment: is not UTF-8 text: byte 0xFC at column 4 (save the file as UTF-8)"), "{e}");
}
