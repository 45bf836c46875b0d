use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use jiff::Timestamp;
use sambandh_app::App;
use sambandh_app::contacts::Lookup;
use sambandh_domain::{ContactId, ContactInput, LanguageTag, References, Region, Tag, ValidationErrors, ValueTier};
use sambandh_store::{ContactFilter, ContactSort, LinkOwner};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::patch::{self, MergePatch};
use crate::api::{ApiJson, ApiPath, ApiQuery, etag, if_match, parse_id};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::views::{ContactBody, ContactList, ContactPage, ContactView, LinkList, LinkView};

/// Filters, order and page of a contact list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// A branch id or name.
    pub branch: Option<String>,
    /// A member of staff, by id or e-mail.
    pub owner: Option<String>,
    pub tag: Option<String>,
    /// platinum, gold, silver or bronze.
    pub tier: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-2, e.g. IN-TN.
    pub region: Option<String>,
    /// BCP 47; `ta` also finds `ta-IN`.
    pub language: Option<String>,
    /// RFC 3339 instant.
    pub updated_since: Option<String>,
    /// Contacts with a need or interest containing this text (any case).
    pub need: Option<String>,
    /// A search by name, in any script: every word must start a word of one of the
    /// contact's names (given, family, father's, preferred, Latin, other scripts).
    pub q: Option<String>,
    /// created (default), -created, updated, -updated, name, -name.
    pub sort: Option<String>,
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Lists contacts, filtered and sorted, a page at a time.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(ListParams),
    responses((status = 200, body = ContactPage), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<ListParams>,
) -> ApiResult<axum::Json<ContactPage>> {
    let mut errors = ValidationErrors::default();
    let branches = sambandh_app::directory::Directory::load(&app).await?;
    let branch_id = errors.check_opt("branch", params.branch.as_deref(), |raw| {
        branches.branch(raw).ok_or_else(|| sambandh_domain::ValueError::new(format!("no branch is named '{raw}'")))
    });
    let owner_id = errors.check_opt("owner", params.owner.as_deref(), |raw| crate::api::staff_member(&branches, raw));
    let filter = ContactFilter {
        branch_id,
        owner_id,
        tag: errors.check_opt("tag", params.tag.as_deref(), Tag::parse),
        value_tier: errors.check_opt("tier", params.tier.as_deref(), ValueTier::parse),
        city: params.city.as_deref().and_then(sambandh_domain::clean),
        region: errors.check_opt("region", params.region.as_deref(), Region::parse),
        language: errors.check_opt("language", params.language.as_deref(), LanguageTag::parse),
        need: params.need.as_deref().and_then(sambandh_domain::clean),
        search: params.q,
        updated_since: errors.check_opt("updated_since", params.updated_since.as_deref(), |raw| {
            raw.parse::<Timestamp>().map_err(|_| {
                sambandh_domain::ValueError::new("must be an RFC 3339 instant such as 2026-11-01T00:00:00Z")
            })
        }),
    };
    let sort = errors
        .check_opt("sort", params.sort.as_deref(), |raw| {
            ContactSort::parse(raw).ok_or_else(|| {
                sambandh_domain::ValueError::new("must be one of created, -created, updated, -updated, name, -name")
            })
        })
        .unwrap_or_default();
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.list_contacts(&caller, &filter, sort, &page).await?;
    Ok(axum::Json(ContactPage {
        items: result.items.iter().map(ContactView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Creates a contact.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "contacts", request_body = ContactBody,
    responses((status = 201, body = ContactView, headers(("ETag" = String), ("Location" = String))),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ContactBody>,
) -> ApiResult<impl IntoResponse> {
    let contact = app.create_contact(&caller, &ContactInput::from(body)).await?;
    let location = format!("/api/v1/contacts/{}", contact.id);
    Ok((
        StatusCode::CREATED,
        [(header::ETAG, etag(contact.version)), (header::LOCATION, location.parse().unwrap_or(etag(0)))],
        axum::Json(ContactView::from(&contact)),
    ))
}

/// Reads a contact, with its version as the `ETag`.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = ContactView, headers(("ETag" = String))), (status = 404, body = Problem)))]
pub async fn show(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let contact = app.view_contact(&caller, parse_id::<ContactId>(&id)?).await?;
    Ok(([(header::ETAG, etag(contact.version))], axum::Json(ContactView::from(&contact))))
}

/// Changes a contact: a JSON merge patch (RFC 7396) of the fields of `ContactBody`;
/// `null` clears a field. Requires `If-Match` with the `ETag` read; a stale one
/// answers 412 and changes nothing.
#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path),
        ("If-Match" = String, Header, description = "The ETag of the version being changed")),
    request_body(content = ContactBody, content_type = "application/merge-patch+json"),
    responses((status = 200, body = ContactView, headers(("ETag" = String))), (status = 404, body = Problem),
        (status = 412, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    let id = parse_id::<ContactId>(&id)?;
    let expected = if_match(&headers)?;
    let patch = MergePatch::parse(&body, apply_patch)?;
    let contact = app.update_contact(&caller, id, expected, |input| patch.apply_to(input)).await?;
    Ok(([(header::ETAG, etag(contact.version))], axum::Json(ContactView::from(&contact))))
}

/// Deletes a contact.
#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn delete(State(app): State<App>, Auth(caller): Auth, ApiPath(id): ApiPath<String>) -> ApiResult<StatusCode> {
    app.delete_contact(&caller, parse_id::<ContactId>(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LookupParams {
    pub email: Option<String>,
    /// As typed: "98400 12345" finds +919840012345.
    pub phone: Option<String>,
}

/// Finds the contacts with an e-mail (case-insensitive) or a phone number.
#[utoipa::path(get, path = "/api/v1/contacts/lookup", tag = "contacts", params(LookupParams),
    responses((status = 200, body = ContactList), (status = 422, body = Problem)))]
pub async fn lookup(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<LookupParams>,
) -> ApiResult<axum::Json<ContactList>> {
    let lookup = match (params.email, params.phone) {
        (Some(email), None) => Lookup::Email(email),
        (None, Some(phone)) => Lookup::Phone(phone),
        _ => return Err(ApiError::field("email", "give exactly one of email or phone")),
    };
    let found = app.lookup_contacts(&caller, &lookup).await?;
    Ok(axum::Json(ContactList { items: found.iter().map(ContactView::from).collect() }))
}

/// The companies a contact belongs to.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/companies", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = LinkList), (status = 404, body = Problem)))]
pub async fn companies(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<LinkList>> {
    let id = parse_id::<ContactId>(&id)?;
    app.contact(&caller, id).await?;
    let links = app.company_links(&caller, LinkOwner::Contact(id)).await?;
    Ok(axum::Json(LinkList { items: links.iter().map(LinkView::from).collect() }))
}

/// Applies a merge patch to a contact's typed input.
fn apply_patch(input: &mut ContactInput, patch: &MergePatch<ContactInput>, errors: &mut ValidationErrors) {
    for (field, value) in patch.fields() {
        let slot = match field {
            "external_id" => &mut input.external_id,
            "honorific" => &mut input.honorific,
            "given_name" => &mut input.given_name,
            "family_name" => &mut input.family_name,
            "father_name" => &mut input.father_name,
            "preferred_name" => &mut input.preferred_name,
            "name_latin" => &mut input.name_latin,
            "gender" => &mut input.gender,
            "language" => &mut input.language,
            "script" => &mut input.script,
            "time_zone" => &mut input.time_zone,
            "region" => &mut input.region,
            "birthday" => &mut input.birthday,
            "address_line" => &mut input.address_line,
            "city" => &mut input.city,
            "pin_code" => &mut input.pin_code,
            "branch" | "branch_id" => &mut input.branch,
            "owner" | "owner_id" => &mut input.owner,
            "value_tier" => &mut input.value_tier,
            "source" => &mut input.source,
            "emails" => {
                patch::list(&mut input.emails, field, value, errors);
                continue;
            }
            "phones" => {
                patch::list(&mut input.phones, field, value, errors);
                continue;
            }
            "tags" => {
                patch::list(&mut input.tags, field, value, errors);
                continue;
            }
            "other_names" => {
                patch::map(&mut input.other_names, field, value, errors);
                continue;
            }
            "custom_fields" => {
                patch::map(&mut input.custom_fields, field, value, errors);
                continue;
            }
            "id" | "version" | "created_at" | "updated_at" | "full_name" => {
                errors.push(field, "cannot be changed");
                continue;
            }
            _ => {
                errors.push(field, "is not a field of a contact");
                continue;
            }
        };
        patch::text(slot, field, value, errors);
    }
}
