use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use sambandh_app::App;
use sambandh_domain::{CompanyId, CompanyInput, ContactId, References, ValidationErrors};
use sambandh_store::{CompanyFilter, CompanySort, LinkOwner};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::patch::{self, MergePatch};
use crate::api::{ApiJson, ApiPath, ApiQuery, etag, if_match, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{CompanyBody, CompanyPage, CompanyView, LinkBody, LinkList, LinkView};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A branch id or name.
    pub branch: Option<String>,
    /// created (default), -created, name, -name.
    pub sort: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Lists companies a page at a time.
#[utoipa::path(get, path = "/api/v1/companies", tag = "companies", params(ListParams),
    responses((status = 200, body = CompanyPage), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<CompanyPage>> {
    let mut errors = ValidationErrors::default();
    let branches = sambandh_app::directory::Directory::load(&app).await?;
    let branch_id = errors.check_opt("branch", params.branch.as_deref(), |raw| {
        branches.branch(raw).ok_or_else(|| sambandh_domain::ValueError::new(format!("no branch is named '{raw}'")))
    });
    let sort = errors
        .check_opt("sort", params.sort.as_deref(), |raw| {
            CompanySort::parse(raw)
                .ok_or_else(|| sambandh_domain::ValueError::new("must be one of created, -created, name, -name"))
        })
        .unwrap_or_default();
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let filter = CompanyFilter { branch_id, updated_since: None };
    let result = app.list_companies(&caller, &filter, sort, &page).await?;
    Ok(axum::Json(CompanyPage {
        items: result.items.iter().map(CompanyView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Creates a company.
#[utoipa::path(post, path = "/api/v1/companies", tag = "companies", request_body = CompanyBody,
    responses((status = 201, body = CompanyView, headers(("ETag" = String))), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<CompanyBody>,
) -> ApiResult<impl IntoResponse> {
    let company = app.create_company(&caller, &CompanyInput::from(body)).await?;
    Ok((StatusCode::CREATED, [(header::ETAG, etag(company.version))], axum::Json(CompanyView::from(&company))))
}

/// Reads a company.
#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "companies", params(("id" = String, Path)),
    responses((status = 200, body = CompanyView, headers(("ETag" = String))), (status = 404, body = Problem)))]
pub async fn show(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let company = app.company(&caller, parse_id::<CompanyId>(&id)?).await?;
    Ok(([(header::ETAG, etag(company.version))], axum::Json(CompanyView::from(&company))))
}

/// Changes a company by JSON merge patch; requires `If-Match`.
#[utoipa::path(patch, path = "/api/v1/companies/{id}", tag = "companies", params(("id" = String, Path),
        ("If-Match" = String, Header, description = "The ETag of the version being changed")),
    request_body(content = CompanyBody, content_type = "application/merge-patch+json"),
    responses((status = 200, body = CompanyView), (status = 404, body = Problem), (status = 412, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    let id = parse_id::<CompanyId>(&id)?;
    let expected = if_match(&headers)?;
    let patch = MergePatch::parse(&body, apply_patch)?;
    let company = app.update_company(&caller, id, expected, |input| patch.apply_to(input)).await?;
    Ok(([(header::ETAG, etag(company.version))], axum::Json(CompanyView::from(&company))))
}

/// Deletes a company (its links to contacts go with it; the contacts stay).
#[utoipa::path(delete, path = "/api/v1/companies/{id}", tag = "companies", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete(State(app): State<App>, Auth(caller): Auth, ApiPath(id): ApiPath<String>) -> ApiResult<StatusCode> {
    app.delete_company(&caller, parse_id::<CompanyId>(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The contacts of a company, with their roles.
#[utoipa::path(get, path = "/api/v1/companies/{id}/contacts", tag = "companies", params(("id" = String, Path)),
    responses((status = 200, body = LinkList), (status = 404, body = Problem)))]
pub async fn contacts(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<LinkList>> {
    let id = parse_id::<CompanyId>(&id)?;
    app.company(&caller, id).await?;
    let links = app.company_links(&caller, LinkOwner::Company(id)).await?;
    Ok(axum::Json(LinkList { items: links.iter().map(LinkView::from).collect() }))
}

/// Links a contact to the company with a role, or changes the role.
#[utoipa::path(put, path = "/api/v1/companies/{id}/contacts/{contact_id}", tag = "companies",
    params(("id" = String, Path), ("contact_id" = String, Path)), request_body = LinkBody,
    responses((status = 200, body = LinkView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn link(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath((id, contact_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<LinkBody>,
) -> ApiResult<axum::Json<LinkView>> {
    let link = app
        .link_contact(&caller, parse_id::<CompanyId>(&id)?, parse_id::<ContactId>(&contact_id)?, body.role.as_deref())
        .await?;
    Ok(axum::Json(LinkView::from(&link)))
}

/// Removes a contact from the company.
#[utoipa::path(delete, path = "/api/v1/companies/{id}/contacts/{contact_id}", tag = "companies",
    params(("id" = String, Path), ("contact_id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn unlink(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath((id, contact_id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    app.unlink_contact(&caller, parse_id::<CompanyId>(&id)?, parse_id::<ContactId>(&contact_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Applies a merge patch to a company's typed input.
fn apply_patch(input: &mut CompanyInput, patch: &MergePatch<CompanyInput>, errors: &mut ValidationErrors) {
    for (field, value) in patch.fields() {
        let slot = match field {
            "legal_name" => &mut input.legal_name,
            "gstin" => &mut input.gstin,
            "industry" => &mut input.industry,
            "founded_on" => &mut input.founded_on,
            "branch" | "branch_id" => &mut input.branch,
            "other_names" => {
                patch::map(&mut input.other_names, field, value, errors);
                continue;
            }
            "id" | "version" | "created_at" | "updated_at" => {
                errors.push(field, "cannot be changed");
                continue;
            }
            _ => {
                errors.push(field, "is not a field of a company");
                continue;
            }
        };
        patch::text(slot, field, value, errors);
    }
}
