//! Tasks, and the home page: what is due for the member of staff today.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::{Value, context};
use sambandh_app::{App, AppError};
use sambandh_domain::{GreetingStatus, TaskId, TaskInput, TicketStatus};
use sambandh_store::{AssigneeFilter, GreetingFilter, PageRequest, TaskFilter, TicketFilter};
use serde::Deserialize;

use super::form::{FieldErrors, Fields};
use super::{Id, Names, Page, Posted};
use crate::views::TaskView;

pub fn routes() -> Router<App> {
    Router::new().route("/tasks", get(list).post(create)).route("/tasks/{id}/done", post(set_done))
}

/// A task as a row: its view and the names it refers to.
fn task_row(task: &sambandh_domain::Task, names: &Names) -> Value {
    let view = TaskView::new(task, Timestamp::now());
    context! { assignee_name => names.user(&view.assignee_id), ..Value::from_serialize(&view) }
}

/// The home page: the caller's open tasks (overdue first), the tickets waiting on
/// them soonest deadline first, and how many greetings wait for review today.
pub async fn today(app: &App, page: &Page) -> Response {
    match today_values(app, page).await {
        Ok(values) => page.render("today", "today.html", values),
        Err(err) => page.error(&err),
    }
}

async fn today_values(app: &App, page: &Page) -> Result<Value, AppError> {
    let names = Names::load(app).await?;
    let me = page.caller.user_id();
    let tasks = app
        .tasks(
            &page.caller,
            &TaskFilter { assignee_id: me, open: true, ..TaskFilter::default() },
            &PageRequest { limit: 20, cursor: None },
        )
        .await?;
    // The tickets waiting on the caller: theirs, and the branch's that nobody has
    // taken yet, soonest deadline first.
    let mut tickets = Vec::new();
    for assignee in [me.map(AssigneeFilter::User), Some(AssigneeFilter::Nobody)].into_iter().flatten() {
        let filter = TicketFilter {
            statuses: vec![TicketStatus::New, TicketStatus::Open],
            assignee: Some(assignee),
            by_due: true,
            ..TicketFilter::default()
        };
        tickets.extend(app.tickets(&page.caller, &filter, &PageRequest { limit: 10, cursor: None }).await?.items);
    }
    tickets.sort_by_key(|ticket| ticket.due_at.unwrap_or(Timestamp::MAX));
    tickets.truncate(10);
    let today = Timestamp::now().to_zoned_datetime(page.zone()).date();
    let greetings = app
        .greetings(
            &page.caller,
            &GreetingFilter { occasion_date: Some(today), status: Some(GreetingStatus::Review), contact_id: None },
            &PageRequest { limit: 100, cursor: None },
        )
        .await?;
    let now = Timestamp::now();
    Ok(context! {
        title => page.text("nav-today"),
        today => today.to_string(),
        tasks => tasks.items.iter().map(|task| task_row(task, &names)).collect::<Vec<_>>(),
        tickets => tickets.iter().map(|ticket| super::tickets::ticket_row(ticket, &names, now)).collect::<Vec<_>>(),
        greetings_waiting => greetings.items.len(),
        more_greetings => greetings.next_cursor.is_some(),
    })
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    /// mine (default) or all (every task the caller can see).
    #[serde(default)]
    show: String,
    cursor: Option<String>,
}

async fn list(State(app): State<App>, page: Page, Query(query): Query<ListQuery>) -> Response {
    render_list(&app, &page, &query, StatusCode::OK, &Fields::default(), &FieldErrors::default()).await
}

async fn render_list(
    app: &App,
    page: &Page,
    query: &ListQuery,
    status: StatusCode,
    typed: &Fields,
    errors: &FieldErrors,
) -> Response {
    let names = match Names::load(app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let show = if query.show == "all" { "all" } else { "mine" };
    let filter = TaskFilter {
        assignee_id: if show == "mine" { page.caller.user_id() } else { None },
        open: true,
        ..TaskFilter::default()
    };
    let request = PageRequest { limit: 50, cursor: query.cursor.clone() };
    let found = match app.tasks(&page.caller, &filter, &request).await {
        Ok(found) => found,
        Err(err) => return page.error(&err),
    };
    let mut values = typed.typed();
    values
        .entry("assignee".into())
        .or_insert_with(|| page.caller.user_id().map(|id| id.to_string()).unwrap_or_default());
    page.render_status(
        status,
        "tasks",
        "tasks/list.html",
        context! {
            tasks => found.items.iter().map(|task| task_row(task, &names)).collect::<Vec<_>>(),
            show => show,
            next => found.next_cursor.map(|cursor| format!("/tasks?show={show}&cursor={}", super::form::url_encode(&cursor))),
            staff => names.user_options(page.locale),
            values => values,
            errors => errors,
        },
    )
}

async fn create(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    // The form asks for a local date and time; the task is due then, in the zone of the
    // member of staff.
    let zone = page.zone();
    let due_at = fields.value("due_at").map(|raw| {
        raw.parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|local| local.to_zoned_datetime(zone.clone()).ok())
            .map_or(raw, |zoned| zoned.timestamp().to_string())
    });
    let input = TaskInput {
        title: fields.value("title"),
        due_at,
        assignee: fields.value("assignee"),
        contact: fields.value("contact"),
        notes: fields.value("notes"),
        ..TaskInput::default()
    };
    match app.create_task(&page.caller, &input).await {
        Ok(_) => Redirect::to("/tasks").into_response(),
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[("assignee_id", "assignee")]);
            render_list(&app, &page, &ListQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, &fields, &shown).await
        }
        Err(err) => page.error(&err),
    }
}

async fn set_done(State(app): State<App>, Id(id): Id<TaskId>, Posted(page, fields): Posted) -> Response {
    let back = super::form::local_path(fields.get("back")).unwrap_or("/tasks").to_owned();
    match app.set_task_done(&page.caller, id, fields.get("done") != "false").await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(err) => page.error(&err),
    }
}
