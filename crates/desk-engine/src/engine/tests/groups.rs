//! Group commit (docs/architecture.md, "Group commit"): the writes of one group share a
//! transaction and its one commit; a write that is refused inside is undone alone, as
//! it would have been in a transaction of its own.

use super::fixture::*;
use crate::Error;
use crate::model::*;
use crate::store::sql::Dialect;

fn contoso(title: &str) -> NewTicket {
    NewTicket {
        title: title.into(),
        company: Some("Contoso".into()),
        ..NewTicket::default()
    }
}

#[test]
fn a_group_commits_its_writes_at_once_and_undoes_a_refused_one_alone() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let other = d.open(NOW);
    let (out, committed) = d.engine.group(|e| {
        let first = e.create_ticket(&anna, contoso("Printer jam")).unwrap();
        // Another connection does not see it yet: the group is one transaction.
        let unseen = other.ticket(&anna, &first.number);
        let refused = e.create_ticket(&anna, contoso("Printer \u{1b}[31mjam"));
        let noted = e.add_note(&anna, &first.number, "Checked the tray", false);
        let second = e.create_ticket(&anna, contoso("Scanner offline")).unwrap();
        (first, unseen, refused, noted, second)
    });
    let (first, unseen, refused, noted, second) = out;
    committed.unwrap();
    assert!(matches!(unseen, Err(Error::NotFound { .. })), "{unseen:?}");
    assert!(
        matches!(&refused, Err(Error::Invalid { field, .. }) if field == "title"),
        "{refused:?}"
    );
    noted.unwrap();
    // The refused create took no number (R4: numbers without gaps).
    assert_eq!(first.number, "T20261129.0001");
    assert_eq!(second.number, "T20261129.0002");
    // After the commit every other connection sees both, the note with the first.
    let seen = other.ticket(&anna, &first.number).unwrap();
    assert!(
        seen.notes.iter().any(|n| n.text == "Checked the tray"),
        "{:?}",
        seen.notes
    );
    assert!(other.ticket(&anna, &second.number).is_ok());
}

#[test]
fn a_group_of_refused_writes_leaves_the_store_as_it_was() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    let t = d.ticket("anna", "Printer jam");
    let before = d.dump();
    let stale = TicketChange {
        expected_version: Some(t.version - 1),
        priority: Some("Critical".into()),
        ..TicketChange::default()
    };
    let (out, committed) = d.engine.group(|e| {
        (
            e.create_ticket(&anna, contoso("")),
            e.update_ticket(&anna, &t.number, stale),
            e.add_note(&anna, "T20261129.9999", "Nobody reads this", false),
        )
    });
    committed.unwrap();
    assert!(
        out.0.is_err() && out.1.is_err() && out.2.is_err(),
        "{out:?}"
    );
    assert_eq!(
        before,
        d.dump(),
        "a refused write of a group wrote to the store"
    );
}

/// Refuses, from inside the database, the insert of a ticket titled "fails late": the
/// write has by then taken its number (R4) and written the ticket row.
fn refuse_late(d: &Desk) {
    match d.engine.store().dialect() {
        Dialect::Sqlite => d.sql(
            "CREATE TRIGGER late AFTER INSERT ON tickets WHEN NEW.title = 'fails late'
             BEGIN SELECT RAISE(ABORT, 'refused late'); END;",
        ),
        Dialect::Postgres => d.sql(
            "CREATE FUNCTION refuse_late() RETURNS trigger LANGUAGE plpgsql
               AS $$ BEGIN RAISE EXCEPTION 'refused late'; END $$;
             CREATE TRIGGER late AFTER INSERT ON tickets FOR EACH ROW
               WHEN (NEW.title = 'fails late') EXECUTE FUNCTION refuse_late();",
        ),
    }
}

#[test]
fn a_write_that_fails_late_in_a_group_is_undone_alone_its_number_included() {
    let mut d = Desk::base();
    let anna = d.actor("anna");
    refuse_late(&d);
    let first = d.ticket("anna", "Printer jam");
    let before = d.dump();

    // Alone in its group: the store is as it was.
    let (failed, committed) = d
        .engine
        .group(|e| e.create_ticket(&anna, contoso("fails late")));
    committed.unwrap();
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(
        before,
        d.dump(),
        "a write undone in a group wrote to the store"
    );

    // Between two others: undone alone, and the next write takes the number it had.
    let (out, committed) = d.engine.group(|e| {
        (
            e.create_ticket(&anna, contoso("fails late")),
            e.create_ticket(&anna, contoso("Scanner offline")),
        )
    });
    committed.unwrap();
    assert!(out.0.is_err(), "{:?}", out.0);
    let second = out.1.unwrap();
    assert_eq!(first.number, "T20261129.0001");
    assert_eq!(second.number, "T20261129.0002");
    assert_eq!(
        d.numbers("anna", &TicketFilter::default()),
        [first.number, second.number]
    );
}
