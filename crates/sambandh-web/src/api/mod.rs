//! The handlers of `/api/v1`, by resource.

pub mod audit;
pub mod branches;
pub mod call_scripts;
pub mod companies;
pub mod contacts;
pub mod deals;
pub mod desk;
pub mod greetings;
pub mod orders;
pub mod patch;
pub mod privacy;
pub mod session;
pub mod tasks;
pub mod timeline;
pub mod transfer;
pub mod users;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body whose problems answer in problem+json: a value of the wrong type names
/// its field (`emails[0]: invalid type: integer, expected a string`).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .map(|media_type| media_type.trim().to_ascii_lowercase())
            .is_some_and(|media_type| {
                media_type == "application/json"
                    || (media_type.starts_with("application/") && media_type.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::BadRequest("send the body as JSON (Content-Type: application/json)".into()));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|err| ApiError::BadRequest(format!("the request body cannot be read: {err}")))?;
        let mut deserializer = serde_json::Deserializer::from_slice(&body);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(Self(value)),
            Err(err) if err.inner().is_data() && err.path().to_string() != "." => {
                let field = err.path().to_string();
                Err(ApiError::field(&field, err.into_inner().to_string()))
            }
            Err(err) => {
                Err(ApiError::BadRequest(format!("the request body is not the expected JSON: {}", err.into_inner())))
            }
        }
    }
}

/// `axum::extract::Query` whose rejections answer in problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` whose rejections answer in problem+json.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

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

/// The page a list asks for; a `limit` out of range is recorded in `errors`.
pub fn page_request(
    errors: &mut sambandh_domain::ValidationErrors,
    limit: Option<u32>,
    cursor: Option<String>,
) -> sambandh_store::PageRequest {
    use sambandh_store::PageRequest;
    if limit.is_some_and(|limit| !(1..=PageRequest::MAX_LIMIT).contains(&limit)) {
        errors.push("limit", format!("must be between 1 and {}", PageRequest::MAX_LIMIT));
    }
    PageRequest { limit: limit.unwrap_or(0), cursor }
}

/// A member of staff named in a query parameter, by id or e-mail.
pub fn staff_member(
    directory: &sambandh_app::directory::Directory,
    raw: &str,
) -> Result<sambandh_domain::UserId, sambandh_domain::ValueError> {
    use sambandh_domain::References;
    directory.user(raw).ok_or_else(|| sambandh_domain::ValueError::new(format!("no member of staff is '{raw}'")))
}
