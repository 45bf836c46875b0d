//! Import and export over HTTP: the same operations as `sambandh import` / `export`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sambandh_app::App;
use sambandh_app::exports::ExportFormat;
use sambandh_app::imports::ImportOptions;
use sambandh_store::ContactFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::ApiQuery;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, Problem};
use crate::views::{ImportReportView, RejectionView};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// Extra header names, `Header=column` separated by `,` (e.g. `Mobile=phone,Naam=given_name`).
    pub map: Option<String>,
}

/// Imports contacts from a CSV body (UTF-8 with or without BOM, or UTF-16 with BOM;
/// comma- or tab-separated). Rows that match a contact update it; every rejected row
/// is reported with its line number and reason.
#[utoipa::path(post, path = "/api/v1/imports/contacts", tag = "import and export", params(ImportParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReportView), (status = 400, body = Problem)))]
pub async fn import_contacts(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: axum::body::Bytes,
) -> ApiResult<axum::Json<ImportReportView>> {
    let mut options = ImportOptions::default();
    for pair in params.map.iter().flat_map(|map| map.split(',')).filter(|p| !p.trim().is_empty()) {
        let (from, to) =
            pair.split_once('=').ok_or_else(|| ApiError::field("map", format!("'{pair}' is not Header=column")))?;
        options.map.push((from.trim().to_owned(), to.trim().to_owned()));
    }
    let report = app.import_contacts(&caller, body.as_ref(), &options, |_| {}).await?;
    Ok(axum::Json(ImportReportView {
        imported: report.imported(),
        created: report.created,
        updated: report.updated,
        rejected: report.rejected(),
        rejections: report.rejections.iter().map(|r| RejectionView { row: r.row, reason: r.reason.clone() }).collect(),
        ignored_headers: report.ignored_headers.clone(),
        summary: report.summary(),
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// csv (default), json or vcard.
    pub format: Option<String>,
}

/// Exports every contact as CSV (the import's columns), JSON or vCard 4.0.
#[utoipa::path(get, path = "/api/v1/exports/contacts", tag = "import and export", params(ExportParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = Problem)))]
pub async fn export_contacts(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<ExportParams>,
) -> ApiResult<impl IntoResponse> {
    let format = match params.format.as_deref() {
        None => ExportFormat::Csv,
        Some(raw) => ExportFormat::parse(raw).ok_or_else(|| ApiError::field("format", "must be csv, json or vcard"))?,
    };
    let mut out = Vec::new();
    app.export_contacts(&caller, &ContactFilter::default(), format, &mut out).await?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], out))
}
