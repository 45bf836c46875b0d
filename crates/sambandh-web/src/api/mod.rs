//! The handlers of `/api/v1`, by resource.

pub mod branches;
pub mod companies;
pub mod contacts;
pub mod patch;
pub mod transfer;

use axum::extract::{FromRequest, FromRequestParts};
use axum::http::{HeaderMap, HeaderValue, header};
use sambandh_app::Caller;

use crate::error::ApiError;

/// `axum::Json` whose rejections answer in problem+json.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Query` whose rejections answer in problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` whose rejections answer in problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Until staff accounts exist the API listens on loopback only and every request acts
/// as the local operator.
pub fn caller() -> Caller {
    Caller::LocalOperator
}

pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

/// The version an `If-Match` header names; `None` for `*`. Missing → 428.
pub fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    let value = headers.get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let text = value.to_str().map_err(|_| ApiError::field("If-Match", "is not readable text"))?.trim();
    if text == "*" {
        return Ok(None);
    }
    let tag = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    tag.parse::<i64>()
        .map(Some)
        .map_err(|_| ApiError::field("If-Match", format!("'{text}' is not an ETag this API gave out, such as \"3\"")))
}

/// Parses an id from the path, answering 404 for ids that cannot exist.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::App(sambandh_app::AppError::NotFound))
}
