//! The Backend contract with typed values (docs/architecture.md, "The Backend port"): the same suite against the
//! local backend and against the remote backend through the server, each step asserted
//! on its own, and the two transcripts (results and error kinds) identical.

use desk_engine::model::*;
use serde_json::{Value, json};

use super::{Side, demo_store, local_side, start};
use crate::api::TicketDto;
use crate::api::catalog::{ActorDto, CatalogDto};
use crate::backend::{BResult, BackendError, ErrorKind};

type Transcript = Vec<(&'static str, Result<Value, (ErrorKind, String)>)>;

struct Log(Transcript);

impl Log {
    fn keep<T>(
        &mut self,
        step: &'static str,
        r: BResult<T>,
        f: impl Fn(&T) -> Value,
    ) -> BResult<T> {
        let entry = match &r {
            Ok(v) => Ok(f(v)),
            Err(BackendError { kind, message, .. }) => Err((*kind, message.clone())),
        };
        self.0.push((step, entry));
        r
    }
    fn ticket(&mut self, step: &'static str, r: BResult<Ticket>) -> BResult<Ticket> {
        self.keep(step, r, |t| json!(TicketDto::from(t.clone())))
    }
    fn page(&mut self, step: &'static str, r: BResult<Page<Ticket>>) -> BResult<Page<Ticket>> {
        self.keep(step, r, |p| {
            let items: Vec<TicketDto> = p.items.iter().cloned().map(TicketDto::from).collect();
            json!({ "items": items, "next": p.next })
        })
    }
    fn error(&mut self, step: &'static str, r: BResult<Ticket>, kind: ErrorKind) {
        let r = self.ticket(step, r);
        assert_eq!(r.map(|t| t.number).map_err(|e| e.kind), Err(kind), "{step}");
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

async fn suite(side: &Side) -> Transcript {
    let mut log = Log(Vec::new());
    let (anna, ben, tom) = (side.by("anna"), side.by("ben"), side.by("tom"));
    let (lisa, kim) = (
        side.by("lisa@contoso.example"),
        side.by("kim@contoso.example"),
    );
    let (pat, ravi) = (
        side.by("pat@tailspin.example"),
        side.by("ravi@fabrikam.example"),
    );

    for who in ["anna", "tom", "lisa@contoso.example"] {
        let me = log.keep("whoami", side.by(who).whoami().await, |a| {
            json!(ActorDto::from(a.clone()))
        });
        assert_eq!(me.unwrap().login, who);
    }
    log.keep("catalog", anna.catalog().await, |c| {
        json!(CatalogDto::from(c.clone()))
    })
    .unwrap();
    log.keep("catalog contact", lisa.catalog().await, |c| {
        json!(CatalogDto::from(c.clone()))
    })
    .unwrap();

    let new = NewTicket {
        title: "Printer on fire".into(),
        description: "smoke from tray 2".into(),
        queue: s("Level 1"),
        company: s("Contoso"),
        contact: s("kim@contoso.example"),
        due: s("2026-12-01 10:00"),
        ..NewTicket::default()
    };
    let t1 = log.ticket("create", anna.create_ticket(new).await).unwrap();
    assert_eq!((t1.number.as_str(), t1.version), ("T20261129.0001", 1));
    let n1 = t1.number.clone();
    log.ticket("show", anna.ticket(n1.clone()).await).unwrap();

    let filter = TicketFilter {
        queue: Match::is("Level 1"),
        open_only: true,
        ..TicketFilter::default()
    };
    let first = log
        .page(
            "list",
            anna.list_tickets(
                filter.clone(),
                PageRequest {
                    sort: None,
                    after: None,
                    limit: 2,
                },
            )
            .await,
        )
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let after = PageRequest {
        sort: None,
        after: first.next.clone(),
        limit: 2,
    };
    let second = log
        .page("list page 2", anna.list_tickets(filter, after).await)
        .unwrap();
    assert!(
        second
            .items
            .iter()
            .all(|t| first.items.iter().all(|f| f.number != t.number))
    );

    let change = TicketChange {
        status: s("In Progress"),
        assign: s("ben"),
        expected_version: Some(1),
        ..TicketChange::default()
    };
    let t1 = log
        .ticket(
            "update",
            anna.update_ticket(n1.clone(), change.clone()).await,
        )
        .unwrap();
    assert_eq!((t1.status.as_str(), t1.version), ("In Progress", 2));
    let stale = anna.update_ticket(n1.clone(), change).await;
    // The conflict carries the ticket as it is now, across the wire too.
    let current = stale.as_ref().err().and_then(|e| e.current.clone());
    assert_eq!(current.map(|t| *t), Some(t1.clone()), "update stale");
    log.error("update stale", stale, ErrorKind::Conflict);
    let unknown_status = TicketChange {
        status: s("Sleeping"),
        ..TicketChange::default()
    };
    // An unknown name in a body is bad input naming its field (422), not a missing
    // resource; both backends agree on it.
    log.error(
        "update unknown status",
        anna.update_ticket(n1.clone(), unknown_status).await,
        ErrorKind::Invalid,
    );

    log.ticket(
        "internal note",
        anna.add_note(n1.clone(), "fuser is dead".into(), false)
            .await,
    )
    .unwrap();
    lists(&mut log, side).await;
    log.ticket(
        "published note",
        anna.add_note(n1.clone(), "on our way".into(), true).await,
    )
    .unwrap();

    let series = NewSeries {
        title: "Monthly patch".into(),
        company: "Contoso".into(),
        first_due: "2026-12-05T08:00:00Z".into(),
        every_days: 7,
        count: 3,
        ..NewSeries::default()
    };
    let list = log.keep("series", anna.create_series(series).await, |l| {
        json!(l.iter().cloned().map(TicketDto::from).collect::<Vec<_>>())
    });
    let list = list.unwrap();
    assert_eq!(list.len(), 3);

    let assign = TaskfireAssign {
        expected_version: None,
        queue: "Contoso IT".into(),
        resource: s("tom"),
        due: None,
        note: "on site please".into(),
    };
    let shared = log
        .ticket(
            "taskfire assign",
            anna.taskfire_assign(n1.clone(), assign.clone()).await,
        )
        .unwrap();
    assert_eq!(shared.taskfire.map(|f| f.held_by), Some(HeldBy::Customer));
    log.ticket(
        "taskfire ask",
        anna.taskfire_ask(n1.clone(), "which floor?".into()).await,
    )
    .unwrap();
    log.error(
        "taskfire ask blank",
        anna.taskfire_ask(n1.clone(), " ".into()).await,
        ErrorKind::Invalid,
    );
    log.ticket(
        "taskfire complete",
        anna.taskfire_complete(n1.clone(), s("done"), None).await,
    )
    .unwrap();
    log.error(
        "T2 unshared",
        anna.taskfire_complete(list[0].number.clone(), None, None)
            .await,
        ErrorKind::Invalid,
    );
    let fabrikam = NewTicket {
        title: "Fabrikam VPN".into(),
        company: s("Fabrikam"),
        ..NewTicket::default()
    };
    let fab = log
        .ticket("create fabrikam", anna.create_ticket(fabrikam).await)
        .unwrap();
    let to_fab = TaskfireAssign {
        expected_version: None,
        queue: "IT".into(),
        ..assign
    };
    log.error(
        "T1 without Taskfire",
        anna.taskfire_assign(fab.number.clone(), to_fab).await,
        ErrorKind::Invalid,
    );

    log.page(
        "tom's desk",
        tom.list_tickets(TicketFilter::default(), PageRequest::default())
            .await,
    )
    .unwrap();
    let own = NewTicket {
        title: "Badge reader dead".into(),
        ..NewTicket::default()
    };
    let own = log
        .ticket("tom creates", tom.create_ticket(own).await)
        .unwrap();
    let esc = log
        .ticket(
            "escalate",
            tom.taskfire_escalate(own.number.clone(), "beyond us".into(), None)
                .await,
        )
        .unwrap();
    assert_eq!(esc.number, own.number);

    let submit = PortalSubmit {
        title: "VPN down".into(),
        issue_type: "Network outage".into(),
        description: String::new(),
    };
    let sub = log
        .ticket("portal submit", lisa.portal_submit(submit).await)
        .unwrap();
    assert_eq!(
        (sub.source.as_str(), sub.queue.as_str()),
        (CLIENT_PORTAL, "Level 2")
    );
    log.page(
        "portal list manager",
        lisa.portal_list(Default::default(), PageRequest::default())
            .await,
    )
    .unwrap();
    log.page(
        "portal list basic",
        kim.portal_list(Default::default(), PageRequest::default())
            .await,
    )
    .unwrap();
    log.page(
        "portal list none",
        pat.portal_list(Default::default(), PageRequest::default())
            .await,
    )
    .ok();
    let seen = log
        .ticket("portal show", kim.portal_show(n1.clone()).await)
        .unwrap();
    assert!(
        seen.notes.iter().all(|n| n.kind != NoteKind::Internal),
        "R6"
    );
    log.ticket(
        "portal note",
        kim.portal_note(n1.clone(), "thanks".into()).await,
    )
    .unwrap();
    log.error(
        "other company",
        ravi.portal_show(n1.clone()).await,
        ErrorKind::NotFound,
    );
    log.error(
        "contact on staff view",
        kim.ticket(n1.clone()).await,
        ErrorKind::NotAllowed,
    );
    log.error(
        "not found",
        anna.ticket("T19990101.0001".into()).await,
        ErrorKind::NotFound,
    );
    let blank = NewTicket {
        title: "  ".into(),
        ..NewTicket::default()
    };
    log.error(
        "invalid",
        anna.create_ticket(blank).await,
        ErrorKind::Invalid,
    );

    let deleted = ben.delete_ticket(sub.number.clone(), None).await;
    assert_eq!(
        deleted.clone().map_err(|e| e.kind),
        Err(ErrorKind::NotAllowed),
        "R8"
    );
    log.keep("R8 delete", deleted, |_| Value::Null).ok();
    // A delete conditional on a version gone is a conflict carrying the ticket as it is
    // now, across the wire too, and deletes nothing.
    let now = anna.ticket(n1.clone()).await.unwrap();
    let stale = anna.delete_ticket(n1.clone(), Some(now.version - 1)).await;
    let current = stale.as_ref().err().and_then(|e| e.current.clone());
    assert_eq!(current.map(|t| *t), Some(now.clone()), "delete stale");
    log.keep("delete stale", stale, |_| Value::Null).ok();
    assert_eq!(
        anna.ticket(n1.clone()).await.unwrap(),
        now,
        "nothing deleted"
    );
    log.keep(
        "delete shared",
        anna.delete_ticket(n1.clone(), Some(now.version)).await,
        |_| Value::Null,
    )
    .unwrap();
    log.error("deleted", anna.ticket(n1).await, ErrorKind::NotFound);
    let first = PageRequest {
        sort: None,
        after: None,
        limit: 2,
    };
    let page = |p: &Page<Notification>| {
        json!({
            "items": p.items.iter().cloned().map(crate::api::NotificationDto::from).collect::<Vec<_>>(),
            "next": p.next,
        })
    };
    let outbox = log
        .keep("notifications", anna.notifications(first).await, page)
        .unwrap();
    // The outbox pages like the lists: the next page goes on below the first.
    let rest = PageRequest {
        sort: None,
        after: outbox.next.clone(),
        limit: 1000,
    };
    let rest = log
        .keep("notifications page 2", anna.notifications(rest).await, page)
        .unwrap();
    assert_eq!(outbox.items.len(), 2);
    assert!(outbox.next.is_some() && rest.next.is_none());
    assert!(
        outbox
            .items
            .iter()
            .chain(&rest.items)
            .any(|n| n.event == "taskfire_deleted"),
        "T4"
    );
    log.0
}

/// Sorted keyset pages, counts and the inbox, the same on both backends.
async fn lists(log: &mut Log, side: &Side) {
    let (anna, ben, kim) = (
        side.by("anna"),
        side.by("ben"),
        side.by("kim@contoso.example"),
    );
    let f = TicketFilter {
        priority: Match::none(["Low".to_string()]),
        assigned: Match::any([Assignee::Nobody, Assignee::parse("ben"), "anna".into()]),
        ..TicketFilter::default()
    };
    let mut page = PageRequest {
        sort: Some(Sort::asc(SortField::Due)),
        after: None,
        limit: 3,
    };
    let mut seen = Vec::new();
    loop {
        let p = log
            .page(
                "list sorted by due",
                anna.list_tickets(f.clone(), page.clone()).await,
            )
            .unwrap();
        seen.extend(p.items.into_iter().map(|t| t.number));
        match p.next {
            Some(n) => page.after = Some(n),
            None => break,
        }
    }
    let count = log.keep("count", anna.count_tickets(f.clone()).await, |n| json!(n));
    assert_eq!(count.unwrap(), seen.len() as u64);
    assert!(seen.len() > 3, "more than one page: {seen:?}");
    let other_sort = PageRequest {
        sort: Some(Sort::desc(SortField::Title)),
        ..page.clone()
    };
    let e = log.page(
        "cursor of another sort",
        anna.list_tickets(f.clone(), other_sort).await,
    );
    assert_eq!(e.map_err(|e| e.kind).err(), Some(ErrorKind::Invalid));

    let submitted = kim
        .portal_submit(PortalSubmit {
            title: "Screen flickers".into(),
            issue_type: "General question".into(),
            description: String::new(),
        })
        .await
        .unwrap();
    let inbox = TicketFilter {
        unseen_only: true,
        ..TicketFilter::default()
    };
    let first = |p: &Page<Ticket>| p.items.first().map(|t| (t.number.clone(), t.unseen));
    let p = log
        .page(
            "inbox",
            anna.list_tickets(inbox.clone(), PageRequest::default())
                .await,
        )
        .unwrap();
    assert_eq!(first(&p), Some((submitted.number.clone(), true)));
    log.keep(
        "mark seen",
        anna.mark_seen(submitted.number.clone()).await,
        |_| Value::Null,
    )
    .unwrap();
    let p = log
        .page(
            "inbox after seen",
            anna.list_tickets(inbox.clone(), PageRequest::default())
                .await,
        )
        .unwrap();
    assert_ne!(first(&p).map(|f| f.0), Some(submitted.number.clone()));
    let p = log
        .page(
            "inbox of another",
            ben.list_tickets(inbox.clone(), PageRequest::default())
                .await,
        )
        .unwrap();
    assert_eq!(first(&p), Some((submitted.number.clone(), true)));
    let n = log.keep("inbox count", ben.count_tickets(inbox).await, |n| json!(n));
    assert!(n.unwrap() >= 1);
    log.keep(
        "seen by a contact",
        kim.mark_seen(submitted.number).await,
        |_| Value::Null,
    )
    .unwrap_err();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_and_remote_backends_keep_the_same_contract() {
    let (_d1, local_path) = demo_store(30);
    let (_d2, remote_path) = demo_store(30);
    let local = suite(&local_side(&local_path)).await;
    let server = start(&remote_path).await;
    let remote = suite(&server.side()).await;
    assert_eq!(local.len(), remote.len());
    for ((step, l), (_, r)) in local.iter().zip(&remote) {
        assert_eq!(l, r, "step \"{step}\" differs between local and remote");
    }
    let _ = server.stop.send(true);
}
