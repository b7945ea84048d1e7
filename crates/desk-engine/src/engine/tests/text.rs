//! docs/rules.md, "Text": every place text enters the engine refuses control characters
//! (titles: all of them; notes and descriptions: all but line breaks and tabs), naming
//! the field, and a refusal writes nothing.

use super::fixture::*;
use crate::Engine;
use crate::Error;
use crate::model::*;

/// What a hostile contact types: clear the screen, retitle the window, ring the bell.
const ESCAPES: &str = "Printer \u{1b}[2J\u{1b}]0;owned\u{7} jam";

fn names(e: &Error, field: &str) -> bool {
    matches!(e, Error::Invalid { field: f, message }
        if f == field && (message.contains("control character") || message.contains("ESC")))
}

fn title_refused(d: &mut Desk, f: impl FnOnce(&mut Engine) -> crate::Result<Ticket>) {
    refused(d, f, |e| names(e, "title"));
}

#[test]
fn a_staff_ticket_with_escapes_or_a_line_break_in_its_title_is_refused() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    for bad in [ESCAPES, "two\nlines", "tab\there", "trailing\n", "nul\0"] {
        let new = NewTicket {
            title: bad.into(),
            ..NewTicket::default()
        };
        refused(
            &mut d,
            |e| e.create_ticket(&anna, new),
            |e| matches!(e, Error::Invalid { field, .. } if field == "title"),
        );
    }
    let new = NewTicket {
        title: "Printer jam".into(),
        description: format!("see {ESCAPES}"),
        ..NewTicket::default()
    };
    refused(
        &mut d,
        |e| e.create_ticket(&anna, new),
        |e| names(e, "description"),
    );
}

#[test]
fn notes_and_descriptions_keep_line_breaks_and_tabs() {
    let mut d = Desk::base();
    let t = d.create(
        "anna",
        NewTicket {
            title: "Printer jam".into(),
            description: "Floor 3\r\n\tnext to the kitchen\n".into(),
            ..NewTicket::default()
        },
    );
    assert_eq!(t.description, "Floor 3\n\tnext to the kitchen");
    let anna = d.actor("anna");
    let t = d
        .engine
        .add_note(&anna, &t.number, "line 1\n\tline 2", false)
        .unwrap();
    assert!(has_note(&t, "line 1\n\tline 2"));
}

#[test]
fn renaming_a_ticket_and_adding_notes_refuse_escapes() {
    let mut d = Desk::base();
    let t = d.ticket("anna", "Printer jam").number;
    let anna = d.actor("anna");
    title_refused(&mut d, |e| {
        e.update_ticket(
            &anna,
            &t,
            TicketChange {
                title: Some("new\ntitle".into()),
                ..TicketChange::default()
            },
        )
    });
    refused(
        &mut d,
        |e| e.add_note(&anna, &t, ESCAPES, true),
        |e| names(e, "note"),
    );
}

#[test]
fn series_titles_and_descriptions_refuse_escapes() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let series = |title: &str, description: &str| NewSeries {
        title: title.into(),
        description: description.into(),
        company: "Contoso".into(),
        first_due: "2026-12-01 09:00".into(),
        every_days: 7,
        count: 3,
        ..NewSeries::default()
    };
    let s = series(ESCAPES, "");
    refused(&mut d, |e| e.create_series(&anna, s), |e| names(e, "title"));
    let s = series("Backups", "\u{9b}2J");
    refused(
        &mut d,
        |e| e.create_series(&anna, s),
        |e| names(e, "description"),
    );
}

#[test]
fn taskfire_notes_refuse_escapes_on_both_sides() {
    let mut d = Desk::base();
    let t = contoso_ticket(&mut d);
    let anna = d.actor("anna");
    let a = assign("Contoso IT", Some("tom"), ESCAPES);
    refused(
        &mut d,
        |e| e.taskfire_assign(&anna, &t, a),
        |e| names(e, "note"),
    );
    d.share(&t, None);
    refused(
        &mut d,
        |e| e.taskfire_ask(&anna, &t, ESCAPES),
        |e| names(e, "note"),
    );
    refused(
        &mut d,
        |e| e.taskfire_complete(&anna, &t, Some(ESCAPES)),
        |e| names(e, "note"),
    );
    let tom = d.actor("tom");
    refused(
        &mut d,
        |e| e.add_note(&tom, &t, ESCAPES, true),
        |e| names(e, "note"),
    );
    let own = d.ticket("tom", "Contoso internal").number;
    refused(
        &mut d,
        |e| e.taskfire_escalate(&tom, &own, ESCAPES),
        |e| names(e, "note"),
    );
}

#[test]
fn a_contact_cannot_submit_or_note_escapes_through_the_portal() {
    let mut d = Desk::base();
    let lisa = d.actor("lisa@contoso.example");
    let s = PortalSubmit {
        title: ESCAPES.into(),
        issue_type: "Printer".into(),
        description: String::new(),
    };
    title_refused(&mut d, |e| e.portal_submit(&lisa, s));
    let s = PortalSubmit {
        title: "Printer jam".into(),
        issue_type: "Printer".into(),
        description: ESCAPES.into(),
    };
    refused(
        &mut d,
        |e| e.portal_submit(&lisa, s),
        |e| names(e, "description"),
    );
    let t = d
        .submit("lisa@contoso.example", "Printer jam", "Printer")
        .number;
    refused(
        &mut d,
        |e| e.portal_note(&lisa, &t, ESCAPES),
        |e| names(e, "text"),
    );
    // A browser's line breaks are plain line breaks.
    let t = d.engine.portal_note(&lisa, &t, "a\r\nb").unwrap();
    assert!(has_note(&t, "a\nb"));
}
