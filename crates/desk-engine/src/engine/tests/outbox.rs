//! Notifications: the outbox never loses a message (docs/rules.md, "Notifications").

use super::fixture::*;
use crate::Sender;
use crate::model::*;

/// Refuses the second message it is handed, accepts all others.
struct Flaky {
    calls: usize,
    sent: Vec<String>,
}

impl Sender for Flaky {
    fn send(&mut self, n: &Notification) -> Result<(), String> {
        self.calls += 1;
        if self.calls == 2 {
            return Err("mail server busy".into());
        }
        self.sent.push(format!("{} {}", n.event, n.to));
        Ok(())
    }
}

#[test]
fn a_failed_delivery_stays_in_the_outbox_for_the_next_try() {
    let mut d = Desk::base();
    for i in 0..3 {
        d.submit("kim@contoso.example", &format!("Ticket {i}"), "Other");
    }
    assert_eq!(d.notifications().len(), 3);
    let mut s = Flaky {
        calls: 0,
        sent: Vec::new(),
    };
    assert_eq!(d.engine.deliver(&mut s).unwrap(), 2);
    assert_eq!(d.engine.deliver(&mut s).unwrap(), 1);
    assert_eq!(s.sent.len(), 3);
    assert!(
        s.sent
            .iter()
            .all(|m| m == "ticket_created kim@contoso.example")
    );
    // Nothing is sent twice, and the outbox keeps every message.
    assert_eq!(d.engine.deliver(&mut s).unwrap(), 0);
    assert_eq!(d.notifications().len(), 3);
}

#[test]
fn templates_render_the_ticket_in_the_recipients_words() {
    let src = format!(
        "{BASE}\n[[notification_templates]]\nevent = \"taskfire_question\"\nsubject = \"Q {{ticket.number}} for {{recipient.name}}\"\nbody = \"{{actor.name}} asks: {{note.text}} (due {{ticket.due}})\"\n"
    );
    let mut d = Desk::new(&src, NOW);
    let t = contoso_ticket(&mut d);
    d.share(&t, None);
    let anna = d.actor("anna");
    d.engine.taskfire_ask(&anna, &t, "Which model?").unwrap();
    let q = events_for(&d, &t)
        .into_iter()
        .find(|n| n.event == "taskfire_question")
        .unwrap();
    assert_eq!(q.subject, format!("Q {t} for Tom Reyes"));
    // The due time is shown in Tom's zone (Los Angeles) and names it.
    assert_eq!(
        q.body,
        "Anna Berger asks: Which model? (due 2026-12-09 16:00 (America/Los_Angeles))"
    );
    assert_eq!(q.at, at(NOW));
}

#[test]
fn a_portal_note_tells_the_assigned_resource() {
    let mut d = Desk::base();
    let t = d
        .create(
            "anna",
            NewTicket {
                title: "Assigned to Ben".into(),
                contact: Some("kim@contoso.example".into()),
                assign: Some("ben".into()),
                ..NewTicket::default()
            },
        )
        .number;
    let kim = d.actor("kim@contoso.example");
    d.engine.portal_note(&kim, &t, "It happened again").unwrap();
    let told: Vec<Notification> = events_for(&d, &t)
        .into_iter()
        .filter(|n| n.event == "portal_note_added")
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to, "ben@kiwi.example");
    assert!(told[0].body.contains("It happened again"));
    assert!(told[0].body.contains("Kim Lee"), "{}", told[0].body);
}
