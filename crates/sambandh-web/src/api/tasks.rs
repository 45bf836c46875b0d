//! Follow-up tasks and rules.

use axum::extract::State;
use axum::http::StatusCode;
use sambandh_app::App;
use sambandh_domain::{FollowUpRuleInput, TaskId, TaskInput, ValidationErrors};
use sambandh_store::TaskFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{ApiJson, ApiPath, ApiQuery, parse_id, staff_member};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{
    FollowUpRuleBody, FollowUpRuleList, FollowUpRuleView, OverdueList, OverdueView, TaskBody, TaskDoneBody, TaskPage,
    TaskView,
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TaskParams {
    /// A member of staff by e-mail or id; `me` for yourself.
    pub assignee: Option<String>,
    /// Only tasks not done.
    pub open: Option<bool>,
    /// Only open tasks past their due time.
    pub overdue: Option<bool>,
    pub contact: Option<String>,
    pub deal: Option<String>,
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Tasks, soonest due first.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(TaskParams),
    responses((status = 200, body = TaskPage), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<TaskParams>,
) -> ApiResult<axum::Json<TaskPage>> {
    let mut errors = ValidationErrors::default();
    let directory = sambandh_app::directory::Directory::load(&app).await?;
    let now = jiff::Timestamp::now();
    let assignee_id = match params.assignee.as_deref() {
        Some("me") => caller.user_id(),
        other => errors.check_opt("assignee", other, |raw| staff_member(&directory, raw)),
    };
    let filter = TaskFilter {
        assignee_id,
        open: params.open.unwrap_or(false),
        overdue_at: params.overdue.unwrap_or(false).then_some(now),
        contact_id: errors.check_opt("contact", params.contact.as_deref(), str::parse),
        deal_id: errors.check_opt("deal", params.deal.as_deref(), str::parse),
    };
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.tasks(&caller, &filter, &page).await?;
    Ok(axum::Json(TaskPage {
        items: result.items.iter().map(|task| TaskView::new(task, now)).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Makes a task (for yourself unless `assignee` says otherwise).
#[utoipa::path(post, path = "/api/v1/tasks", tag = "tasks", request_body = TaskBody,
    responses((status = 201, body = TaskView), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TaskBody>,
) -> ApiResult<(StatusCode, axum::Json<TaskView>)> {
    let task = app.create_task(&caller, &TaskInput::from(body)).await?;
    Ok((StatusCode::CREATED, axum::Json(TaskView::new(&task, jiff::Timestamp::now()))))
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = String, Path)),
    responses((status = 200, body = TaskView), (status = 404, body = Problem)))]
pub async fn show(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<TaskView>> {
    let task = app.task(&caller, parse_id::<TaskId>(&id)?).await?;
    Ok(axum::Json(TaskView::new(&task, jiff::Timestamp::now())))
}

/// Marks a task done, or open again.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/done", tag = "tasks", params(("id" = String, Path)),
    request_body = TaskDoneBody, responses((status = 200, body = TaskView), (status = 404, body = Problem)))]
pub async fn set_done(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TaskDoneBody>,
) -> ApiResult<axum::Json<TaskView>> {
    let task = app.set_task_done(&caller, parse_id::<TaskId>(&id)?, body.done).await?;
    Ok(axum::Json(TaskView::new(&task, jiff::Timestamp::now())))
}

/// Overdue open tasks per member of staff.
#[utoipa::path(get, path = "/api/v1/tasks/overdue", tag = "tasks", responses((status = 200, body = OverdueList)))]
pub async fn overdue(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<OverdueList>> {
    let counts = app.overdue_tasks(&caller).await?;
    Ok(axum::Json(OverdueList {
        items: counts
            .into_iter()
            .map(|(assignee, overdue)| OverdueView { assignee_id: assignee.to_string(), overdue })
            .collect(),
    }))
}

/// The follow-up rules.
#[utoipa::path(get, path = "/api/v1/follow-up-rules", tag = "tasks",
    responses((status = 200, body = FollowUpRuleList)))]
pub async fn rules(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<FollowUpRuleList>> {
    let rules = app.follow_up_rules(&caller).await?;
    Ok(axum::Json(FollowUpRuleList { items: rules.iter().map(FollowUpRuleView::from).collect() }))
}

/// Adds a follow-up rule (owners and admins): `delay_days` after the trigger, a task
/// with `title` for the deal's owner.
#[utoipa::path(post, path = "/api/v1/follow-up-rules", tag = "tasks", request_body = FollowUpRuleBody,
    responses((status = 201, body = FollowUpRuleView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_rule(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<FollowUpRuleBody>,
) -> ApiResult<(StatusCode, axum::Json<FollowUpRuleView>)> {
    let input = FollowUpRuleInput {
        trigger: body.trigger,
        delay_days: body.delay_days.map(|days| days.to_string()),
        title: body.title,
    };
    let rule = app.add_follow_up_rule(&caller, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(FollowUpRuleView::from(&rule))))
}

#[utoipa::path(delete, path = "/api/v1/follow-up-rules/{id}", tag = "tasks", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn delete_rule(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    app.delete_follow_up_rule(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
