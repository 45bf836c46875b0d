//! Staff accounts.

use axum::extract::State;
use axum::http::StatusCode;
use sambandh_app::App;
use sambandh_domain::UserInput;

use crate::api::ApiJson;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{UserBody, UserList, UserView};

/// Every member of staff, by e-mail.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", responses((status = 200, body = UserList)))]
pub async fn list(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<UserList>> {
    let users = app.users(&caller).await?;
    Ok(axum::Json(UserList { items: users.iter().map(UserView::from).collect() }))
}

/// Adds a member of staff (owners and admins; only an owner makes another owner).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserBody,
    responses((status = 201, body = UserView), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<UserBody>,
) -> ApiResult<(StatusCode, axum::Json<UserView>)> {
    let user = app.add_user(&caller, &UserInput::from(&body), body.password.clone()).await?;
    Ok((StatusCode::CREATED, axum::Json(UserView::from(&user))))
}
