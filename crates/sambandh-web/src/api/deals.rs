//! Leads and deals, and the pipeline they move through.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use sambandh_app::App;
use sambandh_domain::{DealId, DealInput, StageInput, StageOutcome, ValidationErrors};
use sambandh_store::DealFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::patch::{self, MergePatch};
use crate::api::{ApiJson, ApiPath, ApiQuery, etag, if_match, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{DealBody, DealPage, DealView, PipelineView};

/// The pipeline's stages, in order.
#[utoipa::path(get, path = "/api/v1/pipeline", tag = "deals", responses((status = 200, body = PipelineView)))]
pub async fn pipeline(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<PipelineView>> {
    Ok(axum::Json(PipelineView::from(&app.pipeline(&caller).await?)))
}

/// Replaces the pipeline's stages (owners and admins). At least one open, one won and
/// one lost stage; a stage that deals are in cannot be removed.
#[utoipa::path(put, path = "/api/v1/pipeline", tag = "deals", request_body = PipelineView,
    responses((status = 200, body = PipelineView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_pipeline(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<PipelineView>,
) -> ApiResult<axum::Json<PipelineView>> {
    let stages: Vec<StageInput> = body
        .stages
        .into_iter()
        .map(|stage| StageInput { key: Some(stage.key), name: Some(stage.name), outcome: Some(stage.outcome) })
        .collect();
    Ok(axum::Json(PipelineView::from(&app.set_pipeline(&caller, &stages).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DealParams {
    /// A stage key.
    pub stage: Option<String>,
    /// open, won or lost.
    pub outcome: Option<String>,
    /// A member of staff by e-mail or id.
    pub owner: Option<String>,
    pub contact: Option<String>,
    pub company: Option<String>,
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Deals, newest first.
#[utoipa::path(get, path = "/api/v1/deals", tag = "deals", params(DealParams),
    responses((status = 200, body = DealPage), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<DealParams>,
) -> ApiResult<axum::Json<DealPage>> {
    let mut errors = ValidationErrors::default();
    let directory = sambandh_app::directory::Directory::load(&app).await?;
    let filter = DealFilter {
        stage: params.stage.as_deref().and_then(sambandh_domain::clean).map(|stage| stage.to_lowercase()),
        outcome: errors.check_opt("outcome", params.outcome.as_deref(), StageOutcome::parse),
        owner_id: errors.check_opt("owner", params.owner.as_deref(), |raw| crate::api::staff_member(&directory, raw)),
        contact_id: errors.check_opt("contact", params.contact.as_deref(), str::parse),
        company_id: errors.check_opt("company", params.company.as_deref(), str::parse),
    };
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.deals(&caller, &filter, &page).await?;
    let pipeline = app.pipeline(&caller).await?;
    Ok(axum::Json(DealPage {
        items: result.items.iter().map(|deal| DealView::new(deal, &pipeline)).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Creates a deal (in the pipeline's first stage unless told otherwise).
#[utoipa::path(post, path = "/api/v1/deals", tag = "deals", request_body = DealBody,
    responses((status = 201, body = DealView), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<DealBody>,
) -> ApiResult<impl IntoResponse> {
    let deal = app.create_deal(&caller, &DealInput::from(body)).await?;
    let pipeline = app.pipeline(&caller).await?;
    Ok((StatusCode::CREATED, [(header::ETAG, etag(deal.version))], axum::Json(DealView::new(&deal, &pipeline))))
}

#[utoipa::path(get, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = DealView), (status = 404, body = Problem)))]
pub async fn show(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let deal = app.deal(&caller, parse_id::<DealId>(&id)?).await?;
    let pipeline = app.pipeline(&caller).await?;
    Ok(([(header::ETAG, etag(deal.version))], axum::Json(DealView::new(&deal, &pipeline))))
}

/// Changes a deal by JSON merge patch (`If-Match` required). Moving it to a won stage
/// records the day and sets the contact's and company's first-deal date; a lost stage
/// needs `lost_reason`.
#[utoipa::path(patch, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = String, Path),
        ("If-Match" = String, Header, description = "The ETag of the version being changed")),
    request_body(content = DealBody, content_type = "application/merge-patch+json"),
    responses((status = 200, body = DealView), (status = 404, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    let id = parse_id::<DealId>(&id)?;
    let expected = if_match(&headers)?;
    let patch = MergePatch::parse(&body, apply_patch)?;
    let deal = app.update_deal(&caller, id, expected, |input| patch.apply_to(input)).await?;
    let pipeline = app.pipeline(&caller).await?;
    Ok(([(header::ETAG, etag(deal.version))], axum::Json(DealView::new(&deal, &pipeline))))
}

#[utoipa::path(delete, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete(State(app): State<App>, Auth(caller): Auth, ApiPath(id): ApiPath<String>) -> ApiResult<StatusCode> {
    app.delete_deal(&caller, parse_id::<DealId>(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn apply_patch(input: &mut DealInput, patch: &MergePatch<DealInput>, errors: &mut ValidationErrors) {
    for (field, value) in patch.fields() {
        let slot = match field {
            "title" => &mut input.title,
            "contact" | "contact_id" => &mut input.contact,
            "company" | "company_id" => &mut input.company,
            "stage" => &mut input.stage,
            "amount" => &mut input.amount,
            "currency" => &mut input.currency,
            "expected_close" => &mut input.expected_close,
            "owner" | "owner_id" => &mut input.owner,
            "branch" | "branch_id" => &mut input.branch,
            "lost_reason" => &mut input.lost_reason,
            "id" | "version" | "created_at" | "updated_at" | "won_on" | "closed_at" | "outcome" => {
                errors.push(field, "cannot be changed");
                continue;
            }
            _ => {
                errors.push(field, "is not a field of a deal");
                continue;
            }
        };
        patch::text(slot, field, value, errors);
    }
}
