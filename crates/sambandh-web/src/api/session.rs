//! Signing in and out, and API tokens.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use sambandh_app::App;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{ApiJson, ApiPath};
use crate::auth::{Auth, ClientAddress, SESSION_COOKIE, set_cookie};
use crate::error::{ApiError, ApiResult, Problem};
use crate::views::{NewTokenView, SessionView, SignInBody, TokenBody, TokenList, TokenView, UserView};

/// Signs in with e-mail and password: sets the session cookie (HttpOnly) and answers
/// the CSRF token that changes made with it must send as `X-CSRF-Token`. Repeated
/// failures answer 429 with `Retry-After`, for existing and unknown accounts alike.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignInBody,
    responses((status = 201, body = SessionView), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<SignInBody>,
) -> ApiResult<impl IntoResponse> {
    let signed_in = app.sign_in(&body.email, &body.password, address.as_deref()).await?;
    let cookie = set_cookie(&headers, SESSION_COOKIE, Some(&signed_in.session_secret));
    let view = SessionView {
        user: UserView::from(&signed_in.user),
        csrf_token: Some(signed_in.csrf_token),
        expires_at: Some(signed_in.expires_at.to_string()),
    };
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], axum::Json(view)))
}

/// Who is signed in (with a session, its CSRF token too).
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = SessionView), (status = 401, body = Problem)))]
pub async fn show(Auth(caller): Auth) -> ApiResult<axum::Json<SessionView>> {
    let staff = caller.staff().ok_or(ApiError::App(sambandh_app::AppError::NotFound))?;
    let csrf_token = match &staff.credential {
        sambandh_app::Credential::Session { csrf_token, .. } => Some(csrf_token.clone()),
        sambandh_app::Credential::Token { .. } => None,
    };
    Ok(axum::Json(SessionView { user: UserView::from(&staff.user), csrf_token, expires_at: None }))
}

/// Signs out of this session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn delete(State(app): State<App>, Auth(caller): Auth, headers: HeaderMap) -> ApiResult<impl IntoResponse> {
    app.sign_out(&caller).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, None))]))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedOut {
    /// How many sessions ended.
    pub ended: u64,
}

/// Signs out everywhere: ends every session of the signed-in member of staff.
/// (API tokens are revoked one by one.)
#[utoipa::path(delete, path = "/api/v1/sessions", tag = "session",
    responses((status = 200, body = SignedOut), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn delete_all(
    State(app): State<App>,
    Auth(caller): Auth,
    headers: HeaderMap,
) -> ApiResult<impl IntoResponse> {
    let ended = app.sign_out_everywhere(&caller).await?;
    Ok(([(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, None))], axum::Json(SignedOut { ended })))
}

/// Your API tokens, newest first.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "session", responses((status = 200, body = TokenList)))]
pub async fn tokens(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<TokenList>> {
    let tokens = app.tokens(&caller, None).await?;
    Ok(axum::Json(TokenList { items: tokens.iter().map(TokenView::from).collect() }))
}

/// Makes an API token. Its secret is in this answer and nowhere else, ever.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "session", request_body = TokenBody,
    responses((status = 201, body = NewTokenView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_token(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<impl IntoResponse> {
    let lifetime = body
        .expires
        .as_deref()
        .map(sambandh_app::auth::parse_lifetime)
        .transpose()
        .map_err(|reason| ApiError::field("expires", reason))?;
    let (token, secret) = app.create_token(&caller, body.user.as_deref(), body.label.as_deref(), lifetime).await?;
    Ok((StatusCode::CREATED, axum::Json(NewTokenView { token: TokenView::from(&token), secret })))
}

/// Revokes one of your API tokens (any token, for owners and admins).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "session", params(("id" = String, Path)),
    responses((status = 200, body = TokenView), (status = 404, body = Problem)))]
pub async fn revoke_token(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<TokenView>> {
    let token = app.revoke_token(&caller, &id).await?;
    Ok(axum::Json(TokenView::from(&token)))
}
