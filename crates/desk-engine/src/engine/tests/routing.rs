//! R1: where a Client Portal ticket lands.

use super::fixture::*;
use crate::model::*;

#[test]
fn provider_issue_type_with_a_queue_routes_to_that_queue() {
    let mut d = Desk::base();
    let t = d.submit("kim@contoso.example", "Toner empty", "Printer");
    assert_eq!(t.source, CLIENT_PORTAL);
    let staff = d.show(&t.number);
    assert_eq!(staff.queue, "Printers");
    assert_eq!(staff.source, CLIENT_PORTAL);
    assert_eq!(staff.issue_type.as_deref(), Some("Printer"));
}

#[test]
fn provider_issue_type_without_a_queue_routes_to_client_portal() {
    let mut d = Desk::base();
    let t = d.submit("kim@contoso.example", "Something else", "Other");
    let staff = d.show(&t.number);
    assert_eq!(staff.queue, CLIENT_PORTAL);
    assert_eq!(staff.source, CLIENT_PORTAL);
}

#[test]
fn customer_issue_type_routes_to_client_portal_even_if_it_names_a_queue() {
    let mut d = Desk::base();
    // "Contoso Laptop" is Contoso's own issue type and names the provider's Level 1.
    let t = d.submit("kim@contoso.example", "Laptop broken", "Contoso Laptop");
    let staff = d.show(&t.number);
    assert_eq!(staff.queue, CLIENT_PORTAL);
    assert_eq!(staff.source, CLIENT_PORTAL);
    assert_eq!(staff.issue_type.as_deref(), Some("Contoso Laptop"));
}

#[test]
fn a_customer_issue_type_of_another_company_is_unknown() {
    let mut d = Desk::base();
    let fred = d.actor("fred@fabrikam.example");
    refused(
        &mut d,
        |e| {
            e.portal_submit(
                &fred,
                PortalSubmit {
                    title: "Laptop".into(),
                    issue_type: "Contoso Laptop".into(),
                    description: String::new(),
                },
            )
        },
        |e| unknown(e, "issue type"),
    );
}

#[test]
fn a_submit_without_an_issue_type_is_refused_naming_the_field() {
    let mut d = Desk::base();
    let kim = d.actor("kim@contoso.example");
    refused(
        &mut d,
        |e| {
            e.portal_submit(
                &kim,
                PortalSubmit {
                    title: "Laptop".into(),
                    issue_type: "  ".into(),
                    description: String::new(),
                },
            )
        },
        |e| matches!(e, crate::Error::Invalid { field, message } if field == "issue_type" && message == "must be chosen"),
    );
}
