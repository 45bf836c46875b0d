//! Signing in and out of the web UI. The sign-in form is in the browser's language
//! (or the one picked); its CSRF token is a double-submit cookie, since there is no
//! session yet.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use sambandh_app::{App, AppError, Caller};
use serde::Deserialize;

use crate::auth::{
    ClientAddress, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE, constant_time_eq, cookie, csrf_matches, set_cookie,
};
use crate::ui::i18n::Locale;
use crate::ui::{form, public_context, render};

#[derive(Debug, Default, Deserialize)]
pub struct SignInQuery {
    #[serde(default)]
    next: String,
}

/// The sign-in form. Its CSRF token is also set as a cookie (double submit): a form
/// posted from another site has the cookie but not the token.
pub async fn sign_in_form(headers: HeaderMap, Query(query): Query<SignInQuery>) -> Response {
    sign_in_page(&headers, StatusCode::OK, "", &query.next, None)
}

/// The sign-in page, with `error` (a message already in the page's language).
fn sign_in_page(headers: &HeaderMap, status: StatusCode, email: &str, next: &str, error: Option<&str>) -> Response {
    let locale = Locale::of_request(headers);
    let csrf_token = sambandh_app::auth::random_secret();
    let next = form::local_path(next).unwrap_or("/");
    let path = format!("/sign-in?next={}", form::url_encode(next));
    let mut response = render(
        status,
        "sign_in.html",
        context! {
            ..public_context(locale, &path),
            ..context! {
                title => locale.text("sign-in-title"), csrf_token => &csrf_token, email => email,
                next => next, error => error,
            }
        },
    );
    response.headers_mut().append(header::SET_COOKIE, set_cookie(headers, SIGN_IN_CSRF_COOKIE, Some(&csrf_token)));
    response
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    csrf_token: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(
    State(app): State<App>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let expected = cookie(&headers, SIGN_IN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf_token.as_bytes()) {
        return sign_in_page(
            &headers,
            StatusCode::FORBIDDEN,
            &form.email,
            &form.next,
            Some(&Locale::of_request(&headers).text("sign-in-expired")),
        );
    }
    match app.sign_in(&form.email, &form.password, address.as_deref()).await {
        Ok(signed_in) => {
            let mut response = Redirect::to(form::local_path(&form.next).unwrap_or("/")).into_response();
            let cookies = response.headers_mut();
            cookies.append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, Some(&signed_in.session_secret)));
            cookies.append(header::SET_COOKIE, set_cookie(&headers, SIGN_IN_CSRF_COOKIE, None));
            response
        }
        Err(AppError::TooManyAttempts { retry_after }) => {
            let minutes = i64::try_from(retry_after.as_secs().div_ceil(60)).unwrap_or(i64::MAX);
            let args = crate::ui::i18n::args([("minutes", crate::ui::i18n::ArgValue::Number(minutes))]);
            let error = Locale::of_request(&headers).message("sign-in-throttled", Some(&args));
            let mut response =
                sign_in_page(&headers, StatusCode::TOO_MANY_REQUESTS, &form.email, &form.next, Some(&error));
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after.as_secs().max(1)));
            response
        }
        Err(AppError::Unauthenticated(_)) => sign_in_page(
            &headers,
            StatusCode::UNAUTHORIZED,
            &form.email,
            &form.next,
            Some(&Locale::of_request(&headers).text("sign-in-wrong")),
        ),
        Err(err) => {
            tracing::error!(error = ?err, "sign-in failed");
            sign_in_page(
                &headers,
                StatusCode::INTERNAL_SERVER_ERROR,
                &form.email,
                &form.next,
                Some(&Locale::of_request(&headers).text("error-unexpected")),
            )
        }
    }
}

/// The signed-in member of staff of a page request, by the session cookie.
async fn session_caller(app: &App, headers: &HeaderMap, address: Option<&str>) -> Option<Caller> {
    let secret = cookie(headers, SESSION_COOKIE)?;
    app.authenticate_session(&secret, address).await.ok()
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf_token: String,
}

pub async fn sign_out(
    State(app): State<App>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    sign_out_with(&app, address.as_deref(), &headers, &form, false).await
}

pub async fn sign_out_everywhere(
    State(app): State<App>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    sign_out_with(&app, address.as_deref(), &headers, &form, true).await
}

async fn sign_out_with(
    app: &App,
    address: Option<&str>,
    headers: &HeaderMap,
    form: &CsrfForm,
    everywhere: bool,
) -> Response {
    let Some(caller) = session_caller(app, headers, address).await else {
        return Redirect::to("/sign-in").into_response();
    };
    if !csrf_matches(&caller, Some(&form.csrf_token)) {
        return (StatusCode::FORBIDDEN, "the form's CSRF token does not match your session; reload the page")
            .into_response();
    }
    let result =
        if everywhere { app.sign_out_everywhere(&caller).await.map(drop) } else { app.sign_out(&caller).await };
    if let Err(err) = result {
        tracing::error!(error = ?err, "sign-out failed");
        return (StatusCode::INTERNAL_SERVER_ERROR, "signing out failed").into_response();
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie(headers, SESSION_COOKIE, None));
    response
}
