//! Properties at the engine's entry points, with hostile text and numbers: no panic; an
//! accepted value is stored as docs/rules.md says ("Text", "Time"); a refusal is bad
//! input naming its field, and the store is exactly as it was.

use proptest::prelude::*;

use super::fixture::*;
use crate::fuzz::{hostile_text, runner};
use crate::model::*;
use crate::{Engine, Error};

fn field_of(e: &Error) -> Option<&str> {
    match e {
        Error::Invalid { field, .. } => Some(field),
        _ => None,
    }
}

/// Runs `change`; an Ok must satisfy `ok`, an error must be bad input naming one of
/// `fields`, and leave the store's dump unchanged.
fn holds<T>(
    d: &mut Desk,
    fields: &[&str],
    change: impl FnOnce(&mut Engine) -> crate::Result<T>,
    ok: impl FnOnce(&T) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let before = d.dump();
    match change(&mut d.engine) {
        Ok(v) => ok(&v),
        Err(e) => {
            prop_assert!(
                field_of(&e).is_some_and(|f| fields.contains(&f)),
                "unexpected refusal: {e:?}"
            );
            prop_assert_eq!(before, d.dump(), "a refusal wrote to the store");
            Ok(())
        }
    }
}

fn clean_line(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
}

fn clean_text(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn hostile_titles_and_descriptions_are_stored_clean_or_refused_unchanged() {
    let d = std::cell::RefCell::new(Desk::base());
    let anna = d.borrow().actor("anna");
    runner(120)
        .run(&(hostile_text(), hostile_text()), |(title, description)| {
            let new = NewTicket {
                title: title.clone(),
                description,
                ..NewTicket::default()
            };
            holds(
                &mut d.borrow_mut(),
                &["title", "description"],
                |e| e.create_ticket(&anna, new),
                |t| {
                    prop_assert_eq!(&t.title, title.trim());
                    prop_assert!(clean_line(&t.title) && clean_text(&t.description));
                    Ok(())
                },
            )
        })
        .unwrap();
}

#[test]
fn hostile_notes_renames_and_portal_text_are_stored_clean_or_refused_unchanged() {
    let d = std::cell::RefCell::new(Desk::base());
    let t = d
        .borrow_mut()
        .submit("lisa@contoso.example", "Printer", "Printer")
        .number;
    let (anna, lisa) = (
        d.borrow().actor("anna"),
        d.borrow().actor("lisa@contoso.example"),
    );
    runner(60)
        .run(&(hostile_text(), any::<bool>()), |(text, publish)| {
            let clean = |t: &Ticket| {
                prop_assert!(t.notes.iter().all(|n| clean_text(&n.text)));
                Ok(())
            };
            holds(
                &mut d.borrow_mut(),
                &["note"],
                |e| e.add_note(&anna, &t, &text, publish),
                clean,
            )?;
            holds(
                &mut d.borrow_mut(),
                &["text"],
                |e| e.portal_note(&lisa, &t, &text),
                clean,
            )?;
            let rename = TicketChange {
                title: Some(text.clone()),
                ..TicketChange::default()
            };
            holds(
                &mut d.borrow_mut(),
                &["title"],
                |e| e.update_ticket(&anna, &t, rename),
                |t| {
                    prop_assert!(clean_line(&t.title));
                    Ok(())
                },
            )
        })
        .unwrap();
}

#[test]
fn any_series_is_made_within_the_range_or_refused_unchanged() {
    let d = std::cell::RefCell::new(Desk::base());
    let anna = d.borrow().actor("anna");
    let first_due = prop_oneof![
        Just("2026-12-01 09:00".to_string()),
        Just("9990-01-01".to_string()),
        Just("9999-12-30 23:00".to_string()),
        hostile_text(),
    ];
    // 999 instances are made elsewhere (tests/bounds.rs); here many cases, each small.
    let counts = prop_oneof![0u32..=3, Just(1000), any::<u32>()];
    let days = prop_oneof![0u32..=3, Just(3650), any::<u32>()];
    runner(60)
        .run(
            &(first_due, days, counts),
            |(first_due, every_days, count)| {
                let s = NewSeries {
                    title: "Patch day".into(),
                    company: "Contoso".into(),
                    first_due,
                    every_days,
                    count,
                    ..NewSeries::default()
                };
                holds(
                    &mut d.borrow_mut(),
                    &["first-due", "every-days", "count"],
                    |e| e.create_series(&anna, s),
                    |made| {
                        let (_, last) = crate::domain::time::accepted_range();
                        prop_assert_eq!(made.len(), count as usize);
                        prop_assert!(made.iter().all(|t| t.due_at.is_some_and(|d| d <= last)));
                        Ok(())
                    },
                )
            },
        )
        .unwrap();
}
