//! The portal's list filters (open / closed / all, words) narrow what R6 shows and
//! never widen it; words in internal notes find nothing.

use super::fixture::*;
use crate::model::*;

fn portal(d: &Desk, contact: &str, state: PortalState, search: Option<&str>) -> Vec<String> {
    let a = d.actor(contact);
    let f = PortalFilter {
        state,
        search: search.map(str::to_string),
    };
    d.portal_numbers_where(&a, &f)
}

#[test]
fn open_and_closed_split_what_the_portal_shows() {
    let mut d = Desk::base();
    let kim_open = d
        .submit("kim@contoso.example", "Toner low", "Printer")
        .number;
    let kim_done = d
        .submit("kim@contoso.example", "Toner empty", "Printer")
        .number;
    let lisa_open = d.submit("lisa@contoso.example", "VPN down", "Other").number;
    let fred = d
        .submit("fred@fabrikam.example", "Fabrikam's own", "Other")
        .number;
    status(&mut d, &kim_done, CLOSED_STATUS);
    let kim = "kim@contoso.example";
    assert_eq!(
        portal(&d, kim, PortalState::All, None),
        sorted(&[&kim_open, &kim_done])
    );
    assert_eq!(
        portal(&d, kim, PortalState::Open, None),
        std::slice::from_ref(&kim_open)
    );
    assert_eq!(
        portal(&d, kim, PortalState::Closed, None),
        std::slice::from_ref(&kim_done)
    );
    // The manager sees the company's, split the same way; never another company's.
    let lisa = "lisa@contoso.example";
    assert_eq!(
        portal(&d, lisa, PortalState::Open, None),
        sorted(&[&kim_open, &lisa_open])
    );
    assert_eq!(portal(&d, lisa, PortalState::Closed, None), [kim_done]);
    assert!(!portal(&d, lisa, PortalState::All, None).contains(&fred));
    // A blank search is no search.
    assert_eq!(
        portal(&d, kim, PortalState::Open, Some("  ")),
        std::slice::from_ref(&kim_open)
    );
}

#[test]
fn words_find_titles_descriptions_and_the_notes_the_portal_shows_but_not_internal_ones() {
    let mut d = Desk::base();
    let toner = d
        .submit("kim@contoso.example", "Toner low", "Printer")
        .number;
    let vpn = d.submit("kim@contoso.example", "VPN down", "Other").number;
    let other = d
        .submit("lisa@contoso.example", "Toner for Lisa", "Printer")
        .number;
    let anna = d.actor("anna");
    d.engine
        .add_note(&anna, &vpn, "Replaced the firewall appliance", true)
        .unwrap();
    d.engine
        .add_note(&anna, &vpn, "Customer owes us for the zebrafish", false)
        .unwrap();
    let kim = "kim@contoso.example";
    assert_eq!(
        portal(&d, kim, PortalState::All, Some("toner")),
        std::slice::from_ref(&toner)
    );
    // The last word is a prefix, as people type.
    assert_eq!(
        portal(&d, kim, PortalState::All, Some("firew")),
        std::slice::from_ref(&vpn)
    );
    assert!(portal(&d, kim, PortalState::All, Some("zebrafish")).is_empty());
    // Staff find the internal word; the portal never does.
    let internal = TicketFilter {
        search: Some("zebrafish".into()),
        ..filter()
    };
    assert_eq!(d.numbers("anna", &internal), std::slice::from_ref(&vpn));
    // Words never widen R6: Lisa's toner ticket stays hers.
    assert!(!portal(&d, kim, PortalState::All, Some("toner")).contains(&other));
    // Nothing to search for is an error naming the field.
    let a = d.actor(kim);
    let f = PortalFilter {
        state: PortalState::All,
        search: Some("!!!".into()),
    };
    let e = d
        .engine
        .portal_list(&a, &f, &PageRequest::default())
        .unwrap_err();
    assert!(
        matches!(e, crate::Error::Invalid { ref field, .. } if field == "search"),
        "{e:?}"
    );
}
