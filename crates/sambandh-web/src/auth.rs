//! Who is calling: a bearer token or a session cookie, checked on every request.
//!
//! A session cookie is sent by the browser on its own, so a change made with one
//! must also carry the session's CSRF token (the `X-CSRF-Token` header from
//! JavaScript, a `csrf_token` field from an HTML form): a page on another site can
//! make the browser send the cookie, but cannot read the token. Bearer tokens are
//! never sent on their own and need no CSRF token.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use sambandh_app::auth::SESSION_MAX;
use sambandh_app::{App, AppError, Caller, Credential};

use crate::error::ApiError;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "sambandh_session";
/// The name of the cookie that carries the sign-in form's CSRF token.
pub const SIGN_IN_CSRF_COOKIE: &str = "sambandh_sign_in";

/// The authenticated caller of a request. For a session, changes (any method but
/// GET, HEAD and OPTIONS) must carry the CSRF token in `X-CSRF-Token`.
pub struct Auth(pub Caller);

impl FromRequestParts<App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let address = client_address(parts);
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
                .map(str::trim)
                .ok_or_else(|| {
                    ApiError::App(AppError::Unauthenticated("Authorization must be 'Bearer <token>'".into()))
                })?;
            return Ok(Self(app.authenticate_token(token, address.as_deref()).await?));
        }
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(ApiError::App(AppError::Unauthenticated(
                "sign in (POST /api/v1/session) or send an API token as 'Authorization: Bearer <token>'".into(),
            )));
        };
        let caller = app.authenticate_session(&secret, address.as_deref()).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get("x-csrf-token").and_then(|value| value.to_str().ok());
            if !csrf_matches(&caller, sent) {
                return Err(ApiError::CsrfMismatch);
            }
        }
        Ok(Self(caller))
    }
}

/// The address the request came from: the TCP peer. (Behind a reverse proxy this
/// is the proxy; see ARCHITECTURE.md.)
pub fn client_address(parts: &Parts) -> Option<String> {
    parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(peer)| peer.ip().to_string())
}

/// Whether `sent` is the CSRF token of the caller's session (compared in constant
/// time). Always true for a bearer token.
pub fn csrf_matches(caller: &Caller, sent: Option<&str>) -> bool {
    match caller.staff().map(|staff| &staff.credential) {
        Some(Credential::Session { csrf_token, .. }) => {
            sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), csrf_token.as_bytes()))
        }
        Some(Credential::Token { .. }) | None => true,
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of a cookie of the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, for the whole site; `Secure` when
/// the request came over TLS (as a TLS-terminating proxy says with
/// `X-Forwarded-Proto: https`). `None` as the value clears the cookie.
pub fn set_cookie(headers: &HeaderMap, name: &str, value: Option<&str>) -> HeaderValue {
    let secure = if is_https(headers) { "; Secure" } else { "" };
    let cookie = match value {
        Some(value) => {
            format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", SESSION_MAX.as_secs())
        }
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static("invalid=; Max-Age=0"))
}

/// Whether the request came over TLS, as a TLS-terminating proxy says with
/// `X-Forwarded-Proto: https`.
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// The client's address, for handlers that run before anyone is signed in.
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(client_address(parts)))
    }
}
