//! Every route in one table, and the OpenAPI document generated from the handlers.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use sambandh_app::App;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::api::{branches, companies, contacts, transfer};

#[derive(OpenApi)]
#[openapi(
    info(title = "Sambandh", description = "Customer relationships in many languages and calendars."),
    paths(
        branches::list,
        branches::create,
        contacts::list,
        contacts::create,
        contacts::lookup,
        contacts::show,
        contacts::update,
        contacts::delete,
        contacts::companies,
        companies::list,
        companies::create,
        companies::show,
        companies::update,
        companies::delete,
        companies::contacts,
        companies::link,
        companies::unlink,
        transfer::import_contacts,
        transfer::export_contacts,
    )
)]
struct ApiDoc;

/// The OpenAPI 3 document of `/api/v1`.
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

pub fn router(app: App) -> Router {
    let api = Router::new()
        .route("/branches", get(branches::list).post(branches::create))
        .route("/contacts", get(contacts::list).post(contacts::create))
        .route("/contacts/lookup", get(contacts::lookup))
        .route("/contacts/{id}", get(contacts::show).patch(contacts::update).delete(contacts::delete))
        .route("/contacts/{id}/companies", get(contacts::companies))
        .route("/companies", get(companies::list).post(companies::create))
        .route("/companies/{id}", get(companies::show).patch(companies::update).delete(companies::delete))
        .route("/companies/{id}/contacts", get(companies::contacts))
        .route("/companies/{id}/contacts/{contact_id}", axum::routing::put(companies::link).delete(companies::unlink))
        .route("/imports/contacts", axum::routing::post(transfer::import_contacts))
        .route("/exports/contacts", get(transfer::export_contacts))
        .route("/openapi.json", get(openapi))
        .fallback(not_found);
    Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .layer(TraceLayer::new_for_http())
        .layer(axum::extract::DefaultBodyLimit::max(256 * 1024 * 1024))
        .with_state(app)
}

async fn openapi() -> impl axum::response::IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], openapi_json())
}

async fn ready(State(app): State<App>) -> (StatusCode, &'static str) {
    match app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = ?err, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::App(sambandh_app::AppError::NotFound)
}
