//! Every route in one table, and the OpenAPI document generated from the handlers.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use sambandh_app::App;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::api::{
    audit, branches, call_scripts, companies, contacts, deals, desk, greetings, orders, privacy, session, tasks,
    timeline, transfer, users,
};
use crate::pages;

#[derive(OpenApi)]
#[openapi(
    info(title = "Sambandh", description = "Customer relationships in many languages and calendars."),
    paths(
        session::create,
        session::show,
        session::delete,
        session::delete_all,
        session::tokens,
        session::create_token,
        session::revoke_token,
        users::list,
        users::create,
        audit::list,
        call_scripts::list,
        call_scripts::set,
        call_scripts::set_for_branch,
        call_scripts::for_call,
        orders::products,
        orders::create_product,
        orders::product,
        orders::orders,
        orders::create_order,
        orders::order,
        orders::import_orders,
        desk::list,
        desk::create,
        desk::show,
        desk::update,
        desk::reply,
        desk::note,
        desk::hours,
        desk::set_hours,
        desk::add_holiday,
        desk::remove_holiday,
        desk::import_holidays,
        desk::policies,
        desk::set_policies,
        desk::due,
        desk::measures,
        greetings::calendar,
        greetings::set_festival,
        greetings::import_calendar,
        greetings::occasions,
        greetings::set_occasion,
        greetings::list,
        greetings::show,
        greetings::decide,
        greetings::decide_day,
        greetings::run,
        greetings::rules,
        greetings::save_rule,
        greetings::templates,
        greetings::save_template,
        greetings::preview,
        tasks::list,
        tasks::create,
        tasks::show,
        tasks::set_done,
        tasks::overdue,
        tasks::rules,
        tasks::add_rule,
        tasks::delete_rule,
        deals::pipeline,
        deals::set_pipeline,
        deals::list,
        deals::create,
        deals::show,
        deals::update,
        deals::delete,
        timeline::timeline,
        timeline::log_interaction,
        timeline::needs,
        timeline::add_need,
        privacy::consents,
        privacy::record_consent,
        privacy::export,
        privacy::erase,
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
        .route("/session", get(session::show).post(session::create).delete(session::delete))
        .route("/sessions", axum::routing::delete(session::delete_all))
        .route("/tokens", get(session::tokens).post(session::create_token))
        .route("/tokens/{id}", axum::routing::delete(session::revoke_token))
        .route("/users", get(users::list).post(users::create))
        .route("/audit", get(audit::list))
        .route("/call-scripts", get(call_scripts::list))
        .route("/call-scripts/for-call", get(call_scripts::for_call))
        .route("/call-scripts/{language}", axum::routing::put(call_scripts::set))
        .route("/branches/{branch}/call-scripts/{language}", axum::routing::put(call_scripts::set_for_branch))
        .route("/products", get(orders::products).post(orders::create_product))
        .route("/products/{id}", get(orders::product))
        .route("/orders", get(orders::orders).post(orders::create_order))
        .route("/orders/{id}", get(orders::order))
        .route("/imports/orders", axum::routing::post(orders::import_orders))
        .route("/tickets", get(desk::list).post(desk::create))
        .route("/tickets/{id}", get(desk::show).patch(desk::update))
        .route("/tickets/{id}/replies", axum::routing::post(desk::reply))
        .route("/tickets/{id}/notes", axum::routing::post(desk::note))
        .route("/branches/{branch}/hours", get(desk::hours).put(desk::set_hours))
        .route("/branches/{branch}/holidays", axum::routing::post(desk::add_holiday))
        .route("/branches/{branch}/holidays/imports", axum::routing::post(desk::import_holidays))
        .route("/branches/{branch}/holidays/{date}", axum::routing::delete(desk::remove_holiday))
        .route("/sla-policies", get(desk::policies).put(desk::set_policies))
        .route("/sla/due", get(desk::due))
        .route("/service-measures", get(desk::measures))
        .route("/calendar", get(greetings::calendar).put(greetings::set_festival))
        .route("/calendar/imports", axum::routing::post(greetings::import_calendar))
        .route("/contacts/{id}/occasions", get(greetings::occasions).post(greetings::set_occasion))
        .route("/greetings", get(greetings::list))
        .route("/greetings/runs", axum::routing::post(greetings::run))
        .route("/greetings/decisions", axum::routing::post(greetings::decide_day))
        .route("/greetings/{id}", get(greetings::show))
        .route("/greetings/{id}/decision", axum::routing::post(greetings::decide))
        .route("/greeting-rules", get(greetings::rules).put(greetings::save_rule))
        .route("/templates", get(greetings::templates).put(greetings::save_template))
        .route("/templates/{key}/preview", get(greetings::preview))
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route("/tasks/overdue", get(tasks::overdue))
        .route("/tasks/{id}", get(tasks::show))
        .route("/tasks/{id}/done", axum::routing::put(tasks::set_done))
        .route("/follow-up-rules", get(tasks::rules).post(tasks::add_rule))
        .route("/follow-up-rules/{id}", axum::routing::delete(tasks::delete_rule))
        .route("/pipeline", get(deals::pipeline).put(deals::set_pipeline))
        .route("/deals", get(deals::list).post(deals::create))
        .route("/deals/{id}", get(deals::show).patch(deals::update).delete(deals::delete))
        .route("/contacts/{id}/timeline", get(timeline::timeline))
        .route("/contacts/{id}/interactions", axum::routing::post(timeline::log_interaction))
        .route("/contacts/{id}/needs", get(timeline::needs).post(timeline::add_need))
        .route("/contacts/{id}/consents", get(privacy::consents).post(privacy::record_consent))
        .route("/contacts/{id}/export", get(privacy::export))
        .route("/contacts/{id}/erase", axum::routing::post(privacy::erase))
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
        .route("/sign-in", get(pages::sign_in_form).post(pages::sign_in))
        .route("/sign-out", axum::routing::post(pages::sign_out))
        .route("/sign-out-everywhere", axum::routing::post(pages::sign_out_everywhere))
        .route("/support", get(desk::support_page).post(desk::submit_support))
        .route("/survey/{token}", get(desk::survey_page).post(desk::answer_survey))
        .route("/unsubscribe/{token}", get(greetings::unsubscribe_page).post(greetings::unsubscribe))
        .merge(crate::ui::routes())
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
