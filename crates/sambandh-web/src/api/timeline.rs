//! A contact's timeline, interactions and needs.

use axum::extract::State;
use axum::http::StatusCode;
use sambandh_app::App;
use sambandh_domain::{ContactId, InteractionInput, InteractionKind, NeedInput};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{ApiJson, ApiPath, ApiQuery, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{
    InteractionBody, InteractionView, NeedBody, NeedList, NeedView, ResolvedScriptView, TimelineItem, TimelinePage,
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TimelineParams {
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A contact's timeline, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/timeline", tag = "timeline",
    params(("id" = String, Path), TimelineParams),
    responses((status = 200, body = TimelinePage), (status = 404, body = Problem)))]
pub async fn timeline(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<TimelineParams>,
) -> ApiResult<axum::Json<TimelinePage>> {
    let mut errors = sambandh_domain::ValidationErrors::default();
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.timeline(&caller, parse_id::<ContactId>(&id)?, &page).await?;
    let pipeline = app.pipeline(&caller).await?;
    Ok(axum::Json(TimelinePage {
        items: result.items.iter().map(|entry| TimelineItem::new(entry, &pipeline)).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Logs an interaction: a call (direction, duration, outcome), an e-mail, a meeting, a
/// visit, a note, an SMS or WhatsApp message, a web visit (the page viewed), a purchase.
/// For a call, the answer carries the call script of the contact's branch in the
/// call's (else the contact's) language.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/interactions", tag = "timeline", params(("id" = String, Path)),
    request_body = InteractionBody,
    responses((status = 201, body = InteractionView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn log_interaction(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<InteractionBody>,
) -> ApiResult<(StatusCode, axum::Json<InteractionView>)> {
    let contact_id = parse_id::<ContactId>(&id)?;
    let interaction = app.log_interaction(&caller, contact_id, &InteractionInput::from(body)).await?;
    let mut view = InteractionView::from(&interaction);
    if interaction.data.kind == InteractionKind::Call {
        let script = app.call_script_for_contact(&caller, contact_id, interaction.data.language.as_ref()).await?;
        view.call_script = script.as_ref().map(ResolvedScriptView::from);
    }
    Ok((StatusCode::CREATED, axum::Json(view)))
}

/// A contact's needs and interests, newest first.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/needs", tag = "timeline", params(("id" = String, Path)),
    responses((status = 200, body = NeedList), (status = 404, body = Problem)))]
pub async fn needs(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<NeedList>> {
    let needs = app.needs(&caller, parse_id::<ContactId>(&id)?).await?;
    Ok(axum::Json(NeedList { items: needs.iter().map(NeedView::from).collect() }))
}

/// Notes a need or interest, with the interaction it was learnt from.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/needs", tag = "timeline", params(("id" = String, Path)),
    request_body = NeedBody,
    responses((status = 201, body = NeedView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_need(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NeedBody>,
) -> ApiResult<(StatusCode, axum::Json<NeedView>)> {
    let need = app.add_need(&caller, parse_id::<ContactId>(&id)?, &NeedInput::from(body)).await?;
    Ok((StatusCode::CREATED, axum::Json(NeedView::from(&need))))
}
