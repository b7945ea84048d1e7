//! Portal routes (as a contact), who am I, the catalog and the notification outbox.

use axum::Json;
use axum::http::StatusCode;
use axum::routing::{get, post};

use super::auth::Bearer;
use super::extract::{JsonBody, Path, Query, check_limit};
use super::{Routes, ServeError, St};
use crate::api::catalog::{ActorDto, CatalogDto};
use crate::api::request::*;
use crate::api::{NotificationDto, PageDto, TicketDto};

type Res<T> = Result<T, ServeError>;

pub fn routes(r: Routes) -> Routes {
    r.add("/me", &["get"], get(me))
        .add("/catalog", &["get"], get(catalog))
        .add("/notifications", &["get"], get(notifications))
        .add("/portal/tickets", &["get", "post"], get(list).post(submit))
        .add("/portal/tickets/{number}", &["get"], get(show))
        .add("/portal/tickets/{number}/notes", &["post"], post(note))
}

async fn me(s: St, Bearer(token): Bearer) -> Res<Json<ActorDto>> {
    let (a, ()) = s.pool.read(token, |_, _| Ok(())).await?;
    Ok(Json(a.into()))
}

async fn catalog(s: St, Bearer(token): Bearer) -> Res<Json<CatalogDto>> {
    let (_, c) = s.pool.read(token, |e, a| e.catalog(a)).await?;
    Ok(Json(c.into()))
}

async fn notifications(
    s: St,
    Bearer(token): Bearer,
    Query(q): Query<PageQuery>,
) -> Res<Json<PageDto<NotificationDto>>> {
    check_limit(q.limit)?;
    let page = q.into_page()?;
    let (_, p) = s
        .pool
        .read(token, move |e, a| e.notifications(a, &page))
        .await?;
    Ok(Json(PageDto {
        items: p.items.into_iter().map(NotificationDto::from).collect(),
        next: p.next,
    }))
}

async fn list(
    s: St,
    Bearer(token): Bearer,
    Query(q): Query<PortalQuery>,
) -> Res<Json<PageDto<TicketDto>>> {
    check_limit(q.limit)?;
    let (filter, page) = q.into_parts()?;
    let searching = filter
        .search
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty());
    let list = move |e: &mut desk_engine::Engine, a: &desk_engine::model::Actor| {
        e.portal_list(a, &filter, &page)
    };
    // A search goes straight to a blocking thread, as on the staff list.
    let (_, p) = if searching {
        s.pool.read_blocking(token, list).await?
    } else {
        s.pool.read(token, list).await?
    };
    Ok(Json(PageDto {
        items: p.items.into_iter().map(TicketDto::from).collect(),
        next: p.next,
    }))
}

async fn submit(
    s: St,
    Bearer(token): Bearer,
    JsonBody(body): JsonBody<PortalSubmitDto>,
) -> Res<(StatusCode, Json<TicketDto>)> {
    let submit = body.into();
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.portal_submit(a, submit))
        .await?;
    s.publish("created", &a.login, &t);
    Ok((StatusCode::CREATED, Json(t.into())))
}

async fn show(s: St, Bearer(token): Bearer, Path(number): Path<String>) -> Res<Json<TicketDto>> {
    let (_, t) = s
        .pool
        .read(token, move |e, a| e.portal_show(a, &number))
        .await?;
    Ok(Json(t.into()))
}

async fn note(
    s: St,
    Bearer(token): Bearer,
    Path(number): Path<String>,
    JsonBody(body): JsonBody<PortalNoteRequest>,
) -> Res<Json<TicketDto>> {
    let text = body.text;
    let (a, t) = s
        .pool
        .write(token, move |e, a| e.portal_note(a, &number, &text))
        .await?;
    s.publish("note", &a.login, &t);
    Ok(Json(t.into()))
}
