//! The server-rendered pages: signing in and out. (The full web UI is built on these
//! foundations: templates escape HTML by construction, every form carries a CSRF
//! token.)

use std::sync::LazyLock;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Environment, context};
use sambandh_app::{App, AppError, Caller};
use serde::Deserialize;

use crate::auth::{
    ClientAddress, SESSION_COOKIE, SIGN_IN_CSRF_COOKIE, constant_time_eq, cookie, csrf_matches, set_cookie,
};

/// The templates, compiled into the binary. Names ending in `.html` are
/// auto-escaped: a value can never become markup.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("../templates/base.html")),
        ("sign_in.html", include_str!("../templates/sign_in.html")),
        ("home.html", include_str!("../templates/home.html")),
    ] {
        if let Err(err) = env.add_template(name, source) {
            tracing::error!(template = name, error = %err, "a template does not compile");
        }
    }
    env
});

fn render(status: StatusCode, name: &str, values: minijinja::Value) -> Response {
    match TEMPLATES.get_template(name).and_then(|template| template.render(values)) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(template = name, error = %err, "a page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
        }
    }
}

/// The sign-in form. Its CSRF token is also set as a cookie (double submit): a form
/// posted from another site has the cookie but not the token.
pub async fn sign_in_form(headers: HeaderMap) -> Response {
    sign_in_page(&headers, StatusCode::OK, "", None)
}

fn sign_in_page(headers: &HeaderMap, status: StatusCode, email: &str, error: Option<&str>) -> Response {
    let csrf_token = sambandh_app::auth::random_secret();
    let mut response = render(
        status,
        "sign_in.html",
        context! { title => "Sign in", csrf_token => &csrf_token, email => email, error => error },
    );
    response.headers_mut().append(header::SET_COOKIE, set_cookie(headers, SIGN_IN_CSRF_COOKIE, Some(&csrf_token)));
    response
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    csrf_token: String,
}

pub async fn sign_in(
    State(app): State<App>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let expected = cookie(&headers, SIGN_IN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf_token.as_bytes()) {
        let error = "The form expired. Please sign in again.";
        return sign_in_page(&headers, StatusCode::FORBIDDEN, &form.email, Some(error));
    }
    match app.sign_in(&form.email, &form.password, address.as_deref()).await {
        Ok(signed_in) => {
            let mut response = Redirect::to("/").into_response();
            let cookies = response.headers_mut();
            cookies.append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, Some(&signed_in.session_secret)));
            cookies.append(header::SET_COOKIE, set_cookie(&headers, SIGN_IN_CSRF_COOKIE, None));
            response
        }
        Err(AppError::TooManyAttempts { retry_after }) => {
            let minutes = retry_after.as_secs().div_ceil(60);
            let error = format!("Too many failed attempts. Try again in {minutes} minutes.");
            let mut response = sign_in_page(&headers, StatusCode::TOO_MANY_REQUESTS, &form.email, Some(&error));
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after.as_secs().max(1)));
            response
        }
        Err(AppError::Unauthenticated(_)) => {
            sign_in_page(&headers, StatusCode::UNAUTHORIZED, &form.email, Some("The e-mail or the password is wrong."))
        }
        Err(err) => {
            tracing::error!(error = ?err, "sign-in failed");
            sign_in_page(&headers, StatusCode::INTERNAL_SERVER_ERROR, &form.email, Some("Something went wrong."))
        }
    }
}

/// The signed-in member of staff of a page request, by the session cookie.
async fn session_caller(app: &App, headers: &HeaderMap, address: Option<&str>) -> Option<Caller> {
    let secret = cookie(headers, SESSION_COOKIE)?;
    app.authenticate_session(&secret, address).await.ok()
}

pub async fn home(State(app): State<App>, ClientAddress(address): ClientAddress, headers: HeaderMap) -> Response {
    let Some(caller) = session_caller(&app, &headers, address.as_deref()).await else {
        return Redirect::to("/sign-in").into_response();
    };
    let Some(staff) = caller.staff() else { return Redirect::to("/sign-in").into_response() };
    let csrf_token = match &staff.credential {
        sambandh_app::Credential::Session { csrf_token, .. } => csrf_token.as_str(),
        sambandh_app::Credential::Token { .. } => "",
    };
    let user = &staff.user.data;
    render(
        StatusCode::OK,
        "home.html",
        context! {
            title => "Sambandh",
            name => user.name.as_str(),
            email => user.email.as_str(),
            role => user.role.as_str(),
            csrf_token => csrf_token,
        },
    )
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
