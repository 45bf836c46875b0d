//! Call scripts.

use axum::extract::State;
use sambandh_app::App;
use sambandh_domain::{CallScriptInput, LanguageTag, References, ValidationErrors, ValueError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{CallScriptBody, CallScriptList, CallScriptView, ResolvedScriptView};

/// Every call script: the organisation's per language and the branches' additions.
#[utoipa::path(get, path = "/api/v1/call-scripts", tag = "call scripts",
    responses((status = 200, body = CallScriptList)))]
pub async fn list(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<CallScriptList>> {
    let scripts = app.call_scripts(&caller).await?;
    Ok(axum::Json(CallScriptList { items: scripts.iter().map(CallScriptView::from).collect() }))
}

/// Sets the organisation's greeting and script in a language (owners and admins).
#[utoipa::path(put, path = "/api/v1/call-scripts/{language}", tag = "call scripts",
    params(("language" = String, Path, description = "BCP 47, e.g. ta")), request_body = CallScriptBody,
    responses((status = 200, body = CallScriptView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(language): ApiPath<String>,
    ApiJson(body): ApiJson<CallScriptBody>,
) -> ApiResult<axum::Json<CallScriptView>> {
    let input = CallScriptInput { language: Some(language), greeting: body.greeting, text: body.text };
    Ok(axum::Json(CallScriptView::from(&app.set_call_script(&caller, None, &input).await?)))
}

/// Sets a branch's additions to the script in a language (owners, admins and the
/// branch's manager). A branch adds; it does not replace the greeting.
#[utoipa::path(put, path = "/api/v1/branches/{branch}/call-scripts/{language}", tag = "call scripts",
    params(("branch" = String, Path, description = "A branch id or name"), ("language" = String, Path)),
    request_body = CallScriptBody,
    responses((status = 200, body = CallScriptView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_for_branch(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath((branch, language)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<CallScriptBody>,
) -> ApiResult<axum::Json<CallScriptView>> {
    let input = CallScriptInput { language: Some(language), greeting: body.greeting, text: body.text };
    Ok(axum::Json(CallScriptView::from(&app.set_call_script(&caller, Some(&branch), &input).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ResolveParams {
    /// A branch id or name.
    pub branch: Option<String>,
    /// The caller's language (BCP 47).
    pub language: Option<String>,
}

/// The script for a call: in the language asked (or its primary language, the
/// branch's, English), with the branch's additions. 404 when none is set.
#[utoipa::path(get, path = "/api/v1/call-scripts/for-call", tag = "call scripts", params(ResolveParams),
    responses((status = 200, body = ResolvedScriptView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn for_call(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<ResolveParams>,
) -> ApiResult<axum::Json<ResolvedScriptView>> {
    let mut errors = ValidationErrors::default();
    let directory = sambandh_app::directory::Directory::load(&app).await?;
    let branch = errors.check_opt("branch", params.branch.as_deref(), |raw| {
        directory.branch(raw).ok_or_else(|| ValueError::new(format!("no branch is named '{raw}'")))
    });
    let language = errors.check_opt("language", params.language.as_deref(), LanguageTag::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let script = app.call_script(&caller, branch, language.as_ref()).await?.ok_or(sambandh_app::AppError::NotFound)?;
    Ok(axum::Json(ResolvedScriptView::from(&script)))
}
