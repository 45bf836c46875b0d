//! Consent, and a person's rights: their data handed over, or erased.

use axum::extract::State;
use axum::http::StatusCode;
use sambandh_app::App;
use sambandh_domain::{ConsentInput, ContactId};

use crate::api::{ApiJson, ApiPath, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{ConsentBody, ConsentView, ConsentsView, ContactView, PersonDataView};

/// A contact's consents: the current state per purpose and channel, and the history.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/consents", tag = "privacy", params(("id" = String, Path)),
    responses((status = 200, body = ConsentsView), (status = 404, body = Problem)))]
pub async fn consents(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<ConsentsView>> {
    let history = app.consents(&caller, parse_id::<ContactId>(&id)?).await?;
    Ok(axum::Json(ConsentsView::new(&history)))
}

/// Records consent given or withdrawn for a purpose (service, marketing, greetings)
/// on a channel (email, sms, whatsapp, phone), and how it was given.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/consents", tag = "privacy", params(("id" = String, Path)),
    request_body = ConsentBody,
    responses((status = 201, body = ConsentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record_consent(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ConsentBody>,
) -> ApiResult<(StatusCode, axum::Json<ConsentView>)> {
    let consent = app.record_consent(&caller, parse_id::<ContactId>(&id)?, &ConsentInput::from(body)).await?;
    Ok((StatusCode::CREATED, axum::Json(ConsentView::from(&consent))))
}

/// Everything held about the person, as JSON (DPDP Act s. 11, GDPR art. 15 and 20).
/// Owners and admins.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/export", tag = "privacy", params(("id" = String, Path)),
    responses((status = 200, body = PersonDataView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<PersonDataView>> {
    let data = app.person_data(&caller, parse_id::<ContactId>(&id)?).await?;
    let pipeline = app.pipeline(&caller).await?;
    Ok(axum::Json(PersonDataView::new(&data, &pipeline)))
}

/// Erases the person's data (DPDP Act s. 12, GDPR art. 17): names in every script,
/// e-mails, phones, address, birthday, free text, and what the audit log quoted;
/// the record's id, branch, owner and tier stay so that reports stay true. Owners
/// and admins.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/erase", tag = "privacy", params(("id" = String, Path)),
    responses((status = 200, body = ContactView), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn erase(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<ContactView>> {
    let contact = app.erase_contact(&caller, parse_id::<ContactId>(&id)?).await?;
    Ok(axum::Json(ContactView::from(&contact)))
}
