//! The ticket inbox: the branch's queue soonest deadline first, with SLA timers; a
//! ticket's conversation with the reply and note forms and its status, priority and
//! assignee.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::{Value, context};
use sambandh_app::desk::TicketChange;
use sambandh_app::{App, AppError};
use sambandh_domain::{TicketId, TicketPriority, TicketStatus, UserId};
use sambandh_store::{AssigneeFilter, PageRequest, TicketFilter};
use serde::Deserialize;

use super::form::FieldErrors;
use super::{Id, Names, Page, Posted};
use crate::api::desk::TicketEntryView;
use crate::views::TicketView;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/tickets", get(inbox))
        .route("/tickets/{id}", get(show))
        .route("/tickets/{id}/reply", post(reply))
        .route("/tickets/{id}/note", post(note))
        .route("/tickets/{id}/update", post(update))
}

#[derive(Debug, Default, Deserialize)]
struct InboxQuery {
    /// all (default: the queue of every open ticket the caller may see), mine,
    /// unassigned.
    #[serde(default)]
    show: String,
    cursor: Option<String>,
}

/// A ticket as a row of the inbox: its view, whose it is, and the state of its timer.
pub fn ticket_row(ticket: &sambandh_store::Ticket, names: &Names, now: Timestamp) -> Value {
    let view = TicketView::from(ticket);
    let timer = timer(ticket.due_at, now);
    context! {
        assignee_name => view.assignee_id.as_deref().map(|id| names.user(id)),
        timer => timer,
        ..Value::from_serialize(&view)
    }
}

/// `late` past the deadline, `soon` within 30 minutes of it, `ok` otherwise; none
/// while no deadline runs.
fn timer(due: Option<Timestamp>, now: Timestamp) -> Option<&'static str> {
    let due = due?;
    let left = due.duration_since(now);
    Some(if left.is_negative() {
        "late"
    } else if left.as_secs() <= 30 * 60 {
        "soon"
    } else {
        "ok"
    })
}

async fn inbox(State(app): State<App>, page: Page, Query(query): Query<InboxQuery>) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let show = match query.show.as_str() {
        "unassigned" | "mine" => query.show.as_str(),
        _ => "all",
    };
    let assignee = match show {
        "mine" => page.caller.user_id().map(AssigneeFilter::User),
        "unassigned" => Some(AssigneeFilter::Nobody),
        _ => None,
    };
    let filter = TicketFilter {
        statuses: vec![TicketStatus::New, TicketStatus::Open, TicketStatus::Pending],
        assignee,
        by_due: true,
        ..TicketFilter::default()
    };
    let request = PageRequest { limit: 50, cursor: query.cursor.clone() };
    let found = match app.tickets(&page.caller, &filter, &request).await {
        Ok(found) => found,
        Err(err) => return page.error(&err),
    };
    let now = Timestamp::now();
    let rows: Vec<Value> = found.items.iter().map(|ticket| ticket_row(ticket, &names, now)).collect();
    page.render(
        "tickets",
        "tickets/list.html",
        context! {
            tickets => rows,
            show => show,
            next => found.next_cursor.map(|cursor| format!("/tickets?show={show}&cursor={}", super::form::url_encode(&cursor))),
        },
    )
}

async fn show(State(app): State<App>, page: Page, Id(id): Id<TicketId>) -> Response {
    render_ticket(&app, &page, id, StatusCode::OK, Value::UNDEFINED).await
}

async fn render_ticket(app: &App, page: &Page, id: TicketId, status: StatusCode, extra: Value) -> Response {
    let names = match Names::load(app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let detail = match app.ticket(&page.caller, id).await {
        Ok(detail) => detail,
        Err(err) => return page.error(&err),
    };
    let contact = app.contact(&page.caller, detail.ticket.contact_id).await.ok();
    let entries: Vec<Value> = detail
        .entries
        .iter()
        .map(|entry| {
            let view = TicketEntryView::from(entry);
            context! { author_name => view.author_id.as_deref().map(|id| names.user(id)), ..Value::from_serialize(&view) }
        })
        .collect();
    let ticket = ticket_row(&detail.ticket, &names, Timestamp::now());
    page.render_status(
        status,
        "tickets",
        "tickets/show.html",
        context! {
            ticket => ticket,
            entries => entries,
            contact_name => contact.as_ref().map(|contact| contact.data.full_name()),
            contact_language => contact.as_ref().and_then(|contact| contact.data.language.as_ref().map(ToString::to_string)),
            statuses => TicketStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            priorities => TicketPriority::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            staff => names.user_options(page.locale),
            ..extra
        },
    )
}

async fn reply(State(app): State<App>, Id(id): Id<TicketId>, Posted(page, fields): Posted) -> Response {
    let status = fields.value("status").and_then(|raw| TicketStatus::parse(&raw).ok());
    match app.reply_to_ticket(&page.caller, id, fields.get("text"), status).await {
        Ok(_) => Redirect::to(&format!("/tickets/{id}")).into_response(),
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[]);
            let extra = context! { reply_errors => shown, reply_values => fields.typed() };
            render_ticket(&app, &page, id, StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(err) => page.error(&err),
    }
}

async fn note(State(app): State<App>, Id(id): Id<TicketId>, Posted(page, fields): Posted) -> Response {
    match app.add_ticket_note(&page.caller, id, fields.get("text")).await {
        Ok(_) => Redirect::to(&format!("/tickets/{id}")).into_response(),
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[]);
            let extra = context! { note_errors => shown, note_values => fields.typed() };
            render_ticket(&app, &page, id, StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(err) => page.error(&err),
    }
}

async fn update(State(app): State<App>, Id(id): Id<TicketId>, Posted(page, fields): Posted) -> Response {
    let mut errors = sambandh_domain::ValidationErrors::default();
    let change = TicketChange {
        status: errors.check_opt("status", Some(fields.get("status")), TicketStatus::parse),
        priority: errors.check_opt("priority", Some(fields.get("priority")), TicketPriority::parse),
        assignee_id: Some(errors.check_opt("assignee", Some(fields.get("assignee")), |raw| {
            raw.parse::<UserId>().map_err(|_| sambandh_domain::ValueError::new("is not a member of staff"))
        })),
        tags: None,
    };
    let version = fields.get("version").parse::<i64>().ok();
    let result = match errors.into_result() {
        Ok(()) => app.update_ticket(&page.caller, id, &change, version).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/tickets/{id}")).into_response(),
        Err(AppError::VersionMismatch { .. }) => {
            let extra = context! { update_conflict => true };
            render_ticket(&app, &page, id, StatusCode::CONFLICT, extra).await
        }
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[("assignee_id", "assignee")]);
            render_ticket(&app, &page, id, StatusCode::UNPROCESSABLE_ENTITY, context! { update_errors => shown }).await
        }
        Err(err) => page.error(&err),
    }
}
