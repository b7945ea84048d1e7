//! Staff routes: tickets, notes, series and the Taskfire menu (docs/rules.md, "The Taskfire actions").

use axum::Json;
use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use desk_engine::Engine;
use desk_engine::model::{Actor, ActorKind, Page, Shown, TaskfireAssign, ViewStamp};
use std::collections::HashMap;

use super::auth::Bearer;
use super::extract::{JsonBody, Path, Query, check_limit};
use super::kept::Kept;
use super::{Routes, ServeError, St};
use crate::api::request::*;
use crate::api::{CountDto, TicketDto};

type Res<T> = Result<T, ServeError>;

pub fn routes(r: Routes) -> Routes {
    r.add("/tickets", &["get", "post"], get(list).post(create))
        .add("/tickets/count", &["get"], get(count))
        .add("/tickets/{number}/seen", &["post"], post(seen))
        .add(
            "/tickets/{number}",
            &["get", "patch", "delete"],
            get(show).patch(update).delete(remove),
        )
        .add("/tickets/{number}/notes", &["post"], post(note))
        .add("/series", &["post"], post(series))
        .add(
            "/tickets/{number}/taskfire/assign",
            &["post"],
            post(tf_assign),
        )
        .add(
            "/tickets/{number}/taskfire/complete",
            &["post"],
            post(tf_complete),
        )
        .add("/tickets/{number}/taskfire/ask", &["post"], post(tf_ask))
        .add(
            "/tickets/{number}/taskfire/escalate",
            &["post"],
            post(tf_escalate),
        )
}

async fn list(s: St, Bearer(token): Bearer, Query(q): Query<TicketQuery>) -> Res<Response> {
    check_limit(q.limit)?;
    let (filter, page) = q.into_parts()?;
    let searching = filter.search.is_some();
    let kept = s.kept.clone();
    let list = move |e: &mut Engine, a: &Actor| {
        let mut held = HashMap::new();
        let p = e.list_tickets_known(a, &filter, &page, &mut |stamp| match kept.get(stamp) {
            Some(json) => {
                held.insert(*stamp, json);
                !kept.checks()
            }
            None => false,
        })?;
        Ok((p, held))
    };
    let (_, (p, held)) = if searching {
        s.pool.read_blocking(token, list).await?
    } else {
        s.pool.read(token, list).await?
    };
    page_json(&s.kept, p, held)
}

/// The page as `PageDto<TicketDto>` would write it, from the views kept and the views
/// built (docs/architecture.md, "Views kept"); the built ones are kept for the next page.
fn page_json(kept: &Kept, p: Page<Shown>, mut held: HashMap<ViewStamp, Bytes>) -> Res<Response> {
    let failed = |e: serde_json::Error| ServeError::internal(format!("cannot write JSON: {e}"));
    let mut views = Vec::with_capacity(p.items.len());
    let mut sent_kept = 0;
    for item in p.items {
        views.push(match item {
            Shown::Known(stamp) => {
                sent_kept += 1;
                held.remove(&stamp)
                    .ok_or_else(|| ServeError::internal("a kept view was not held"))?
            }
            Shown::Built(stamp, t) => {
                let number = t.number.clone();
                let json = Bytes::from(serde_json::to_vec(&TicketDto::from(*t)).map_err(failed)?);
                if let Some(old) = held.remove(&stamp).filter(|old| *old != json) {
                    eprintln!(
                        "desk serve: the kept view of {number} differs from the ticket as it is\n  kept: {}\n  now:  {}",
                        String::from_utf8_lossy(&old),
                        String::from_utf8_lossy(&json)
                    );
                    return Err(ServeError::internal(format!(
                        "the kept view of {number} differs from the ticket as it is"
                    )));
                }
                kept.keep(stamp, json.clone());
                json
            }
        });
    }
    kept.sent_kept(sent_kept);
    let next = serde_json::to_vec(&p.next).map_err(failed)?;
    let size = views.iter().map(Bytes::len).sum::<usize>() + views.len() + next.len() + 20;
    let mut body = Vec::with_capacity(size);
    body.extend_from_slice(b"{\"items\":[");
    for (i, v) in views.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(v);
    }
    body.extend_from_slice(b"],\"next\":");
    body.extend_from_slice(&next);
    body.push(b'}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn count(s: St, Bearer(token): Bearer, Query(q): Query<TicketQuery>) -> Res<Json<CountDto>> {
    if q.sort.is_some() || q.after.is_some() || q.limit.is_some() {
        return Err(ServeError::bad_request(
            "query string: a count takes the filter only, not sort, after or limit",
        ));
    }
    let (filter, _) = q.into_parts()?;
    // A count over a big set reads an index for tens of milliseconds: never inline.
    let (_, count) = s
        .pool
        .read_blocking(token, move |e, a| e.count_tickets(a, &filter))
        .await?;
    Ok(Json(CountDto { count }))
}

async fn seen(s: St, Bearer(token): Bearer, Path(number): Path<String>) -> Res<StatusCode> {
    s.pool
        .write(token, move |e, a| e.mark_seen(a, &number))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn create(
    s: St,
    Bearer(token): Bearer,
    JsonBody(body): JsonBody<NewTicketDto>,
) -> Res<(StatusCode, Json<TicketDto>)> {
    let new = body.into();
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.create_ticket(a, new))
        .await?;
    s.publish("created", &a.login, &t);
    Ok((StatusCode::CREATED, Json(t.into())))
}

async fn show(s: St, Bearer(token): Bearer, Path(number): Path<String>) -> Res<Json<TicketDto>> {
    let (_, t) = s.pool.read(token, move |e, a| e.ticket(a, &number)).await?;
    Ok(Json(t.into()))
}

async fn update(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<TicketChangeDto>,
) -> Res<Json<TicketDto>> {
    let change = body.into();
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.update_ticket(a, &number, change))
        .await?;
    s.publish("updated", &a.login, &t);
    Ok(Json(t.into()))
}

async fn remove(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    Query(q): Query<DeleteQuery>,
) -> Res<StatusCode> {
    let n = number.clone();
    let (a, ()) = s
        .pool
        .write(token, move |e, a| {
            e.delete_ticket_at(a, &n, q.expected_version)
        })
        .await?;
    let desk = match &a.kind {
        ActorKind::TaskfireResource { company } => company.clone(),
        _ => "provider".to_string(),
    };
    s.publish_deleted(&a.login, desk, number);
    Ok(StatusCode::NO_CONTENT)
}

async fn note(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<NoteRequest>,
) -> Res<Json<TicketDto>> {
    let NoteRequest { text, publish } = body;
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.add_note(a, &number, &text, publish))
        .await?;
    s.publish("note", &a.login, &t);
    Ok(Json(t.into()))
}

async fn series(
    s: St,
    Bearer(token): Bearer,
    JsonBody(body): JsonBody<NewSeriesDto>,
) -> Res<(StatusCode, Json<Vec<TicketDto>>)> {
    let new = body.into();
    let (a, list) = s
        .pool
        .write(token, move |e, a| e.create_series(a, new))
        .await?;
    for t in &list {
        s.publish("created", &a.login, t);
    }
    Ok((
        StatusCode::CREATED,
        Json(list.into_iter().map(TicketDto::from).collect()),
    ))
}

async fn tf_assign(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<TaskfireAssignDto>,
) -> Res<Json<TicketDto>> {
    let assign: TaskfireAssign = body.into();
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.taskfire_assign(a, &number, assign))
        .await?;
    s.publish("updated", &a.login, &t);
    Ok(Json(t.into()))
}

async fn tf_complete(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<TaskfireActionRequest>,
) -> Res<Json<TicketDto>> {
    let TaskfireActionRequest {
        note,
        expected_version,
    } = body;
    let (a, t) = s
        .pool
        .write(token, move |e, a| {
            e.taskfire_complete_at(a, &number, note.as_deref(), expected_version)
        })
        .await?;
    s.publish("updated", &a.login, &t);
    Ok(Json(t.into()))
}

/// `ask` and `escalate` need a note; a missing one is the same error the engine gives
/// for a blank one, so local and remote agree.
fn required_note(r: TaskfireNoteRequest) -> String {
    r.note.unwrap_or_default()
}

async fn tf_ask(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<TaskfireNoteRequest>,
) -> Res<Json<TicketDto>> {
    let note = required_note(body);
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.taskfire_ask(a, &number, &note))
        .await?;
    s.publish("note", &a.login, &t);
    Ok(Json(t.into()))
}

async fn tf_escalate(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<TaskfireActionRequest>,
) -> Res<Json<TicketDto>> {
    let expected_version = body.expected_version;
    let note = body.note.unwrap_or_default();
    let (a, t) = s
        .pool
        .write(token, move |e, a| {
            e.taskfire_escalate_at(a, &number, &note, expected_version)
        })
        .await?;
    s.publish("updated", &a.login, &t);
    Ok(Json(t.into()))
}
