//! The one edge where failures become HTTP: RFC 9457 `application/problem+json`.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sambandh_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

/// An RFC 9457 problem document. Validation problems list every refused field.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// With 412: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub reason: String,
}

/// Every error a handler can answer with.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    BadRequest(String),
    PreconditionRequired,
    /// A change made with a session cookie without the session's CSRF token.
    CsrfMismatch,
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        Self::App(err)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::BadRequest(format!("the query string is not valid: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(format!("the path is not valid: {}", rejection.body_text()))
    }
}

impl ApiError {
    /// A refused field outside the domain's own checks (a query parameter, a header).
    pub fn field(field: &str, reason: impl Into<String>) -> Self {
        Self::App(AppError::Validation(sambandh_domain::ValidationErrors::single(field, reason)))
    }

    fn problem(self) -> Problem {
        let problem = |kind, title, status: StatusCode, detail: String| Problem {
            kind,
            title,
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            current_version: None,
        };
        match self {
            Self::App(AppError::Validation(errors)) => Problem {
                errors: errors
                    .0
                    .iter()
                    .map(|e| FieldProblem { field: e.field.clone(), reason: e.reason.clone() })
                    .collect(),
                ..problem("/problems/validation", "Invalid input", StatusCode::UNPROCESSABLE_ENTITY, errors.to_string())
            },
            Self::App(AppError::NotFound) => {
                problem("/problems/not-found", "Not found", StatusCode::NOT_FOUND, "no such record".into())
            }
            Self::App(AppError::Conflict { field }) => Problem {
                errors: vec![FieldProblem { field: field.into(), reason: "is already used by another record".into() }],
                ..problem(
                    "/problems/conflict",
                    "Conflict",
                    StatusCode::CONFLICT,
                    format!("{field} is already used by another record"),
                )
            },
            Self::App(AppError::VersionMismatch { expected, current }) => Problem {
                current_version: Some(current),
                ..problem(
                    "/problems/stale-version",
                    "Precondition failed",
                    StatusCode::PRECONDITION_FAILED,
                    format!(
                        "the record was changed: it is at version {current}, the request was based on {expected}; read it again and reapply the change"
                    ),
                )
            },
            Self::App(AppError::Unauthenticated(detail)) => {
                problem("/problems/unauthenticated", "Sign in", StatusCode::UNAUTHORIZED, detail)
            }
            Self::App(AppError::Forbidden(detail)) => {
                problem("/problems/forbidden", "Forbidden", StatusCode::FORBIDDEN, detail)
            }
            Self::CsrfMismatch => problem(
                "/problems/csrf",
                "Forbidden",
                StatusCode::FORBIDDEN,
                "a change made with a session needs the session's CSRF token in the X-CSRF-Token header".into(),
            ),
            Self::App(AppError::TooManyAttempts { retry_after }) => problem(
                "/problems/too-many-attempts",
                "Too many attempts",
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many failed sign-ins; try again in {} seconds", retry_after.as_secs().max(1)),
            ),
            Self::App(AppError::BadRequest(detail)) | Self::BadRequest(detail) => {
                problem("/problems/bad-request", "Bad request", StatusCode::BAD_REQUEST, detail)
            }
            Self::PreconditionRequired => problem(
                "/problems/precondition-required",
                "Precondition required",
                StatusCode::PRECONDITION_REQUIRED,
                "send If-Match with the ETag of the version you are changing".into(),
            ),
            Self::App(AppError::Unexpected(err)) => {
                tracing::error!(error.cause_chain = ?err, error.message = %err, "unexpected error");
                problem(
                    "/problems/internal",
                    "Internal error",
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "something went wrong on our side; it has been logged".into(),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            Self::App(AppError::TooManyAttempts { retry_after }) => Some(retry_after.as_secs().max(1)),
            _ => None,
        };
        let unauthenticated = matches!(self, Self::App(AppError::Unauthenticated(_)));
        let problem = self.problem();
        let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(problem)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if unauthenticated {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"sambandh\""));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
