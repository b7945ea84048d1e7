//! The OpenAPI 3.1 document of `/api/v1`, written by hand. A test holds it to the
//! router's own list of routes (src/server.rs `routes()`), so neither can drift alone.

use serde_json::{Value, json};

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn body(name: &str) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": r(name) } } })
}

fn ok(status: &str, schema: Value) -> Value {
    json!({
        status: { "description": "success", "content": { "application/json": { "schema": schema } } },
        "default": { "description": "error", "content": { "application/json": { "schema": r("ErrorBody") } } }
    })
}

/// Parameters: `?name` in the query, `name` in the path.
fn params(names: &[&str]) -> Value {
    let ps: Vec<Value> = names
        .iter()
        .map(|p| {
            let (name, place) = match p.strip_prefix('?') {
                Some(q) => (q, "query"),
                None => (*p, "path"),
            };
            json!({ "name": name, "in": place, "required": place == "path", "schema": { "type": "string" } })
        })
        .collect();
    Value::Array(ps)
}

fn op(summary: &str, names: &[&str], request: Option<&str>, responses: Value) -> Value {
    op_with(summary, params(names), request, responses)
}

fn op_with(summary: &str, ps: Value, request: Option<&str>, responses: Value) -> Value {
    let mut v = json!({ "summary": summary, "responses": responses });
    if ps.as_array().is_some_and(|a| !a.is_empty()) {
        v["parameters"] = ps;
    }
    if let Some(b) = request {
        v["requestBody"] = body(b);
    }
    v
}

fn ticket() -> Value {
    ok("200", r("Ticket"))
}

/// The filter of `GET /tickets` and `/tickets/count`. A field may be given several times
/// (any of the values); `not_FIELD` excludes values; `assigned=none` is unassigned.
const FILTER_PARAMS: [&str; 17] = [
    "?queue",
    "?not_queue",
    "?source",
    "?not_source",
    "?status",
    "?not_status",
    "?assigned",
    "?not_assigned",
    "?company",
    "?not_company",
    "?priority",
    "?not_priority",
    "?search",
    "?open",
    "?due_before",
    "?due_after",
    "?unseen",
];

/// The filter, then the sort (`FIELD` or `-FIELD`, one of `SORT_FIELDS`) and the page.
fn list_params() -> Value {
    let mut ps = params(&FILTER_PARAMS);
    let fields: Vec<String> = desk_engine::model::SortField::ALL
        .iter()
        .flat_map(|f| [f.as_str().to_string(), format!("-{}", f.as_str())])
        .collect();
    if let Value::Array(list) = &mut ps {
        list.push(json!({ "name": "sort", "in": "query", "required": false,
            "description": "FIELD ascending or -FIELD descending; default -created (newest first). Tickets without a due date or company come last either way; ties by ticket id.",
            "schema": { "type": "string", "enum": fields } }));
        if let Value::Array(more) = params(&["?after", "?limit"]) {
            list.extend(more);
        }
    }
    ps
}

fn object(fields: &[&str]) -> Value {
    let props: serde_json::Map<String, Value> =
        fields.iter().map(|f| (f.to_string(), json!({}))).collect();
    json!({ "type": "object", "properties": props })
}

pub fn document() -> Value {
    let n = &["number"][..];
    json!({
        "openapi": "3.1.0",
        "info": { "title": "desk serve", "version": "1" },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }],
        "paths": {
            "/me": { "get": op("Who the token acts as", &[], None, ok("200", r("Actor"))) },
            "/catalog": { "get": op("Names for forms, as the caller sees them", &[], None, ok("200", r("Catalog"))) },
            "/tickets": {
                "get": op_with("List tickets of the caller's desk, sorted over the whole query (keyset pages: `next` goes into `after`)", list_params(), None, ok("200", r("TicketPage"))),
                "post": op("Create a ticket", &[], Some("NewTicket"), ok("201", r("Ticket")))
            },
            "/tickets/count": { "get": op("How many tickets of the caller's desk the filter matches", &FILTER_PARAMS, None, ok("200", r("Count"))) },
            "/tickets/{number}/seen": { "post": op("Take the ticket out of the caller's inbox (nobody else's; the ticket does not change)", n, None, json!({ "204": { "description": "seen" } })) },
            "/tickets/{number}": {
                "get": op("One ticket with its history", n, None, ticket()),
                "patch": op("Change fields; expected_version gives 409 when stale", n, Some("TicketChange"), ticket()),
                "delete": op("Delete a ticket (and its Taskfire version); expected_version gives 409 when stale", &["number", "?expected_version"], None, json!({ "204": { "description": "deleted" } }))
            },
            "/tickets/{number}/notes": { "post": op("Add a note (internal unless publish)", n, Some("NoteRequest"), ticket()) },
            "/series": { "post": op("Create recurring tickets", &[], Some("NewSeries"), ok("201", json!({ "type": "array", "items": r("Ticket") }))) },
            "/tickets/{number}/taskfire/assign": { "post": op("T1 Assign to Taskfire", n, Some("TaskfireAssign"), ticket()) },
            "/tickets/{number}/taskfire/complete": { "post": op("T2 My work is complete; expected_version gives 409 when stale", n, Some("TaskfireAction"), ticket()) },
            "/tickets/{number}/taskfire/ask": { "post": op("T3 I have a question", n, Some("TaskfireNote"), ticket()) },
            "/tickets/{number}/taskfire/escalate": { "post": op("T5 Escalate to the provider; expected_version gives 409 when stale", n, Some("TaskfireAction"), ticket()) },
            "/portal/tickets": {
                "get": op("What the portal shows the contact (R6)", &["?after", "?limit"], None, ok("200", r("TicketPage"))),
                "post": op("Submit a ticket through the portal (R1)", &[], Some("PortalSubmit"), ok("201", r("Ticket")))
            },
            "/portal/tickets/{number}": { "get": op("One ticket as the portal shows it", n, None, ticket()) },
            "/portal/tickets/{number}/notes": { "post": op("Add a portal note as the contact", n, Some("PortalNoteRequest"), ticket()) },
            "/notifications": { "get": op("The notification outbox, newest first, a page at a time", &["?after", "?limit"], None, ok("200", r("NotificationPage"))) },
            "/events": { "get": {
                "summary": "Live change feed of the caller's desk; for a contact, of the tickets the portal shows them (server-sent events `change` with a Change as data; `lagged` when the client fell behind; `reload`, for staff, when the store changed outside the server). Refused with 403 to a contact whose portal is off, and with 429 over the feed limits (per login, per client address, in all: docs/serve.md)",
                "responses": { "200": { "description": "text/event-stream", "content": { "text/event-stream": { "schema": r("Change") } } } }
            } },
            "/openapi.json": { "get": { "summary": "This document", "security": [], "responses": { "200": { "description": "OpenAPI 3.1" } } } }
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "from `desk token create LOGIN`" } },
            "schemas": {
                "ErrorBody": { "type": "object", "required": ["error"], "properties": { "error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {
                        "code": { "enum": super::error::ErrorCode::SENT },
                        "message": { "type": "string" }, "field": { "type": "string" },
                        "current": { "description": "409 only: the ticket as it is now; its notes and events with a version above yours are what changed since", "allOf": [r("Ticket")] } } } } },
                "Actor": object(&["login", "name", "email", "time_zone", "role", "service_desk", "company", "portal"]),
                "Catalog": object(&["desk_name", "time_zone", "me", "queues", "statuses", "sources", "priorities", "work_types", "resources", "companies", "contacts", "issue_types"]),
                "Ticket": object(&["number", "desk", "title", "description", "status", "priority", "queue", "source", "issue_type", "work_type", "company", "contact", "assigned", "created_by", "created_at", "created_local", "created_tz", "number_date", "dates_differ", "due_at", "series", "version", "updated_at", "unseen", "taskfire", "notes", "events"]),
                "Count": object(&["count"]),
                "TicketPage": { "type": "object", "properties": { "items": { "type": "array", "items": r("Ticket") }, "next": { "type": ["string", "null"] } } },
                "NewTicket": object(&["title", "description", "queue", "source", "issue_type", "company", "contact", "priority", "assign", "due"]),
                "TicketChange": object(&["title", "status", "queue", "priority", "work_type", "assign", "due", "expected_version"]),
                "NoteRequest": object(&["text", "publish"]),
                "PortalNoteRequest": object(&["text"]),
                "NewSeries": object(&["title", "description", "company", "contact", "queue", "first_due", "every_days", "count"]),
                "TaskfireAssign": object(&["queue", "resource", "due", "note", "expected_version"]),
                "TaskfireNote": object(&["note"]),
                "TaskfireAction": object(&["note", "expected_version"]),
                "PortalSubmit": object(&["title", "issue_type", "description"]),
                "Notification": object(&["event", "to", "subject", "body", "ticket", "at"]),
                "NotificationPage": { "type": "object", "properties": { "items": { "type": "array", "items": r("Notification") }, "next": { "type": ["string", "null"] } } },
                "Change": object(&["kind", "number", "desk", "version", "actor", "at"])
            }
        }
    })
}
