//! The audit log, for owners and admins.

use axum::extract::State;
use jiff::Timestamp;
use sambandh_app::App;
use sambandh_domain::{ValidationErrors, ValueError};
use sambandh_store::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::ApiQuery;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{AuditPage, AuditView};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// The id of a contact, company, branch, user or token. Views are not indexed by
    /// record: with them (no `action`, or `action=view`) the log is read through, so
    /// give `since` on a long log.
    pub record: Option<String>,
    /// Who acted: a member of staff by id or e-mail.
    pub user: Option<String>,
    /// create, update, delete, view, export, import, consent, erase, sign_in, …
    pub action: Option<String>,
    /// RFC 3339 instant: entries at or after it.
    pub since: Option<String>,
    /// RFC 3339 instant: entries before it.
    pub until: Option<String>,
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The audit log, newest first. Owners and admins only; others get 403.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<axum::Json<AuditPage>> {
    caller.require(sambandh_domain::Action::ReadAudit)?;
    let mut errors = ValidationErrors::default();
    let directory = sambandh_app::directory::Directory::load(&app).await?;
    let instant = |raw: &str| {
        raw.parse::<Timestamp>()
            .map_err(|_| ValueError::new("must be an RFC 3339 instant such as 2026-11-01T00:00:00Z"))
    };
    let filter = AuditFilter {
        record_id: params.record.as_deref().and_then(sambandh_domain::clean),
        actor_id: errors.check_opt("user", params.user.as_deref(), |raw| crate::api::staff_member(&directory, raw)),
        action: params.action.as_deref().and_then(sambandh_domain::clean),
        since: errors.check_opt("since", params.since.as_deref(), instant),
        until: errors.check_opt("until", params.until.as_deref(), instant),
    };
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.audit(&caller, &filter, &page).await?;
    Ok(axum::Json(AuditPage {
        items: result.items.iter().map(AuditView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}
