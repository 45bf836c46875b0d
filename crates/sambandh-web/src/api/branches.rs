use axum::extract::State;
use axum::http::StatusCode;
use sambandh_app::App;
use sambandh_domain::BranchInput;

use crate::api::ApiJson;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{BranchBody, BranchList, BranchView};

/// Every branch, by name.
#[utoipa::path(get, path = "/api/v1/branches", tag = "branches", responses((status = 200, body = BranchList)))]
pub async fn list(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<BranchList>> {
    let branches = app.branches(&caller).await?;
    Ok(axum::Json(BranchList { items: branches.iter().map(BranchView::from).collect() }))
}

/// Adds a branch.
#[utoipa::path(post, path = "/api/v1/branches", tag = "branches", request_body = BranchBody,
    responses((status = 201, body = BranchView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<BranchBody>,
) -> ApiResult<(StatusCode, axum::Json<BranchView>)> {
    let branch = app.add_branch(&caller, &BranchInput::from(body)).await?;
    Ok((StatusCode::CREATED, axum::Json(BranchView::from(&branch))))
}
