//! The staff web UI: server-rendered pages from the same binary, in English, Hindi,
//! Tamil and Gujarati.
//!
//! - Every page is a handler that takes a [`Page`] (the signed-in member of staff, the
//!   UI language, the CSRF token) and renders a template of `templates/` with
//!   [`Page::render`]. Templates are compiled into the binary and auto-escape every
//!   value; labels come from `t("key")`, the Fluent messages of [`i18n`].
//! - Forms post back to the page that shows them, work without JavaScript, carry the
//!   session's CSRF token, and on refusal show the page again with each error next to
//!   its field and what the user typed kept ([`form`]).
//! - One stylesheet and one small script, both under `/static/`.

mod admin;
mod companies;
mod contacts;
mod deals;
pub mod form;
mod greetings;
pub mod i18n;
mod tasks;
mod tickets;

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::tz::TimeZone;
use minijinja::value::Kwargs;
use minijinja::{Environment, State as TemplateState, Value, context};
use sambandh_app::contacts::Lookup;
use sambandh_app::{App, AppError, Caller, Credential};
use sambandh_domain::{ContactId, Role};

use crate::auth::{SESSION_COOKIE, client_address, constant_time_eq, cookie};
use i18n::{LANGUAGE_COOKIE, LOCALES, Locale};

/// The routes of the UI (beside sign-in and sign-out, which `pages` serves).
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/language", post(set_language))
        .route("/static/app.css", get(stylesheet))
        .route("/static/app.js", get(script))
        .merge(contacts::routes())
        .merge(companies::routes())
        .merge(deals::routes())
        .merge(tasks::routes())
        .merge(tickets::routes())
        .merge(greetings::routes())
        .merge(admin::routes())
}

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// The templates' sources, compiled into the binary.
const TEMPLATE_SOURCES: [(&str, &str); 20] = templates![
    "base.html",
    "layout.html",
    "language_menu.html",
    "macros.html",
    "sign_in.html",
    "today.html",
    "error.html",
    "contacts/list.html",
    "contacts/show.html",
    "contacts/form.html",
    "contacts/erase.html",
    "companies/list.html",
    "companies/show.html",
    "companies/form.html",
    "deals/board.html",
    "tasks/list.html",
    "tickets/list.html",
    "tickets/show.html",
    "greetings/queue.html",
    "admin/index.html",
];

/// The templates. Names ending in `.html` are auto-escaped: a value can never become
/// markup.
static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in TEMPLATE_SOURCES {
        if let Err(err) = env.add_template(name, source) {
            tracing::error!(template = name, error = %err, "a template does not compile");
        }
    }
    env.add_function("t", translate);
    env.add_filter("number", |value: i64| i18n::group_digits(value));
    env.add_filter("date", written_date);
    env.add_filter("datetime", written_date_time);
    env
});

fn locale_of(state: &TemplateState<'_, '_>) -> Locale {
    state.lookup("lang").and_then(|lang| lang.as_str().and_then(Locale::parse)).unwrap_or_default()
}

/// `t("key", name=value, …)`: the message in the page's language.
fn translate(state: &TemplateState<'_, '_>, key: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let locale = locale_of(state);
    let mut pairs = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let value = match value.as_i64() {
            Some(number) if value.is_number() => i18n::ArgValue::Number(number),
            _ => i18n::ArgValue::Text(value.to_string()),
        };
        pairs.push((name, value));
    }
    if pairs.is_empty() {
        return Ok(locale.text(key));
    }
    Ok(locale.message(key, Some(&i18n::args(pairs))))
}

/// `"2026-11-24" | date` → «24 நவம்பர் 2026»; a date without a year (`--11-24`)
/// is written without one.
fn written_date(state: &TemplateState<'_, '_>, value: Value) -> String {
    let language = locale_of(state).0;
    let Some(raw) = value.as_str() else { return String::new() };
    if let Some((month, day)) = raw.strip_prefix("--").and_then(|month_day| month_day.split_once('-')) {
        return match (month.parse::<i8>(), day.parse::<i8>()) {
            (Ok(month), Ok(day)) if (1..=12).contains(&month) => {
                sambandh_domain::written_day_month(month, day, language)
            }
            _ => raw.to_owned(),
        };
    }
    match raw.get(..10).unwrap_or(raw).parse::<jiff::civil::Date>() {
        Ok(date) => sambandh_domain::written_date(date, language),
        Err(_) => raw.to_owned(),
    }
}

/// An RFC 3339 instant → «24 நவம்பர் 2026, 14:05» in the member of staff's zone.
fn written_date_time(state: &TemplateState<'_, '_>, value: Value) -> String {
    let language = locale_of(state).0;
    let Some(raw) = value.as_str() else { return String::new() };
    let zone =
        state.lookup("tz").and_then(|tz| tz.as_str().and_then(|name| TimeZone::get(name).ok())).unwrap_or_else(india);
    match raw.parse::<jiff::Timestamp>() {
        Ok(instant) => sambandh_domain::written_date_time(instant, &zone, language),
        Err(_) => raw.to_owned(),
    }
}

fn india() -> TimeZone {
    TimeZone::get("Asia/Kolkata").unwrap_or(TimeZone::UTC)
}

/// Renders `name` with `values`; a template that fails is logged and answered 500.
pub fn render(status: StatusCode, name: &str, values: Value) -> Response {
    match TEMPLATES.get_template(name).and_then(|template| template.render(values)) {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            // Pages show personal data: never kept by shared caches, never framed.
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
            headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
            response
        }
        Err(err) => {
            tracing::error!(template = name, error = ?err, "a page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be rendered").into_response()
        }
    }
}

/// The context every page shares (language, menu), for pages with nobody signed in.
pub fn public_context(locale: Locale, path: &str) -> Value {
    context! {
        lang => locale.code(),
        locales => LOCALES.iter().map(|l| context! { code => l.code(), name => l.endonym() }).collect::<Vec<_>>(),
        path => path,
        tz => "Asia/Kolkata",
    }
}

/// A page request of a signed-in member of staff.
pub struct Page {
    pub caller: Caller,
    pub locale: Locale,
    pub csrf_token: String,
    /// The path and query of the request, to come back to.
    pub path: String,
    time_zone: String,
}

impl FromRequestParts<App> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let locale = Locale::of_request(&parts.headers);
        let path = parts.uri.path_and_query().map_or("/", |path| path.as_str()).to_owned();
        let sign_in = || {
            let next = if parts.method == axum::http::Method::GET { path.as_str() } else { "/" };
            Redirect::to(&format!("/sign-in?next={}", form::url_encode(next))).into_response()
        };
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(sign_in()) };
        let address = client_address(parts);
        let caller = match app.authenticate_session(&secret, address.as_deref()).await {
            Ok(caller) => caller,
            Err(AppError::Unauthenticated(_)) => return Err(sign_in()),
            Err(err) => return Err(error_page(locale, &path, &err)),
        };
        let Some(staff) = caller.staff() else { return Err(sign_in()) };
        let csrf_token = match &staff.credential {
            Credential::Session { csrf_token, .. } => csrf_token.clone(),
            Credential::Token { .. } => String::new(),
        };
        let time_zone = match staff.user.data.branch_id {
            Some(branch_id) => app.store().branch(branch_id).await.ok().flatten().map(|b| b.data.time_zone.to_string()),
            None => None,
        }
        .unwrap_or_else(|| "Asia/Kolkata".to_owned());
        Ok(Self { caller, locale, csrf_token, path, time_zone })
    }
}

/// A posted form of a signed-in member of staff, its CSRF token checked: a form
/// without the session's token is answered "the form expired" before any handler runs.
pub struct Posted(pub Page, pub form::Fields);

impl FromRequest<App> for Posted {
    type Rejection = Response;

    async fn from_request(request: Request, app: &App) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let page = Page::from_request_parts(&mut parts, app).await?;
        let request = Request::from_parts(parts, body);
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(request, app)
            .await
            .map_err(|_| page.error(&AppError::BadRequest("the form could not be read; reload the page".into())))?;
        let fields = form::Fields(fields);
        if !page.csrf_ok(fields.get("csrf_token")) {
            return Err(page.csrf_refused());
        }
        Ok(Self(page, fields))
    }
}

/// The record id of a page's path (`/contacts/{id}`); an id that cannot exist is
/// answered with the not-found page.
pub struct Id<T>(pub T);

impl<T: std::str::FromStr + Send> FromRequestParts<App> for Id<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let not_found = |parts: &Parts| {
            let path = parts.uri.path().to_owned();
            error_page(Locale::of_request(&parts.headers), &path, &AppError::NotFound)
        };
        match axum::extract::Path::<String>::from_request_parts(parts, app).await {
            Ok(axum::extract::Path(raw)) => raw.parse().map(Self).map_err(|_| not_found(parts)),
            Err(_) => Err(not_found(parts)),
        }
    }
}

impl Page {
    pub fn role(&self) -> Role {
        self.caller.role()
    }

    pub fn text(&self, key: &str) -> String {
        self.locale.text(key)
    }

    /// The zone the member of staff works in (their branch's; India's otherwise).
    pub fn zone(&self) -> TimeZone {
        TimeZone::get(&self.time_zone).unwrap_or_else(|_| india())
    }

    /// The context every signed-in page shares: language, menu, the member of staff.
    fn context(&self, section: &str) -> Value {
        let user = self.caller.staff().map(|staff| &staff.user);
        let role = self.role();
        context! {
            lang => self.locale.code(),
            locales => LOCALES.iter().map(|l| context! { code => l.code(), name => l.endonym() }).collect::<Vec<_>>(),
            path => &self.path,
            tz => &self.time_zone,
            csrf_token => &self.csrf_token,
            section => section,
            user_name => user.map(|user| user.data.name.as_str()),
            user_email => user.map(|user| user.data.email.as_str()),
            role => role.as_str(),
            may_write => role.may(sambandh_domain::Action::Write),
            may_admin => role.may(sambandh_domain::Action::ManageUsers),
        }
    }

    /// Renders a page of `section` (the menu entry it belongs to).
    pub fn render(&self, section: &str, name: &str, values: Value) -> Response {
        self.render_status(StatusCode::OK, section, name, values)
    }

    pub fn render_status(&self, status: StatusCode, section: &str, name: &str, values: Value) -> Response {
        render(status, name, context! { ..self.context(section), ..values })
    }

    /// Whether a posted form carries this session's CSRF token; a page on another
    /// site can make the browser post the session cookie, but cannot read the token.
    pub fn csrf_ok(&self, sent: &str) -> bool {
        !self.csrf_token.is_empty() && constant_time_eq(self.csrf_token.as_bytes(), sent.as_bytes())
    }

    /// The answer to a form without the session's CSRF token.
    pub fn csrf_refused(&self) -> Response {
        render(
            StatusCode::FORBIDDEN,
            "error.html",
            context! {
                ..self.context(""),
                ..context! { title => self.text("error-expired-title"), message => self.text("error-expired") }
            },
        )
    }

    /// The page for an error of an operation.
    pub fn error(&self, err: &AppError) -> Response {
        error_page(self.locale, &self.path, err)
    }
}

/// An error as a page: not found, not allowed, or something that went wrong (logged).
pub fn error_page(locale: Locale, path: &str, err: &AppError) -> Response {
    let (status, title, message) = match err {
        AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found-title", locale.text("error-not-found")),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden-title", locale.text("error-forbidden")),
        AppError::BadRequest(reason) => (StatusCode::BAD_REQUEST, "error-bad-request-title", reason.clone()),
        AppError::Validation(errors) => {
            (StatusCode::UNPROCESSABLE_ENTITY, "error-bad-request-title", errors.to_string())
        }
        err => {
            tracing::error!(error = ?err, path, "a page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-unexpected-title", locale.text("error-unexpected"))
        }
    };
    render(
        status,
        "error.html",
        context! { ..public_context(locale, path), ..context! { title => locale.text(title), message => message } },
    )
}

/// The home page: what is due today for the member of staff.
async fn home(State(app): State<App>, page: Page) -> Response {
    tasks::today(&app, &page).await
}

#[derive(Debug, serde::Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

/// Picks the UI language for this browser (a cookie for a year) and goes back to the
/// page it was picked on. It changes nothing stored, so it needs no CSRF token.
async fn set_language(headers: HeaderMap, axum::Form(form): axum::Form<LanguageForm>) -> Response {
    let back = form::local_path(&form.back).unwrap_or("/");
    let mut response = Redirect::to(back).into_response();
    if let Some(locale) = Locale::parse(&form.lang) {
        let secure = if crate::auth::is_https(&headers) { "; Secure" } else { "" };
        let cookie = format!("{LANGUAGE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{secure}", locale.code());
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

async fn stylesheet() -> impl IntoResponse {
    static_file("text/css; charset=utf-8", include_str!("../../static/app.css"))
}

async fn script() -> impl IntoResponse {
    static_file("text/javascript; charset=utf-8", include_str!("../../static/app.js"))
}

fn static_file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body,
    )
}

/// The names of branches and staff, for showing the records that refer to them and
/// for the choices of forms. Every member of staff may see who their colleagues and
/// branches are.
pub struct Names {
    /// (id, name), in the order of the UI language.
    branches: Vec<(String, String)>,
    users: Vec<(String, String)>,
}

impl Names {
    pub async fn load(app: &App) -> Result<Self, AppError> {
        let store = app.store();
        let branches = store.branches().await.map_err(AppError::from)?;
        let users = store.users().await.map_err(AppError::from)?;
        Ok(Self {
            branches: branches.iter().map(|b| (b.id.to_string(), b.data.name.as_str().to_owned())).collect(),
            users: users.iter().map(|u| (u.id.to_string(), u.data.name.as_str().to_owned())).collect(),
        })
    }

    pub fn branch(&self, id: &str) -> String {
        self.branches.iter().find(|(known, _)| known == id).map_or_else(|| id.to_owned(), |(_, name)| name.clone())
    }

    pub fn user(&self, id: &str) -> String {
        self.users.iter().find(|(known, _)| known == id).map_or_else(|| id.to_owned(), |(_, name)| name.clone())
    }

    pub fn branch_options(&self, locale: Locale) -> Vec<Value> {
        options(&self.branches, locale)
    }

    pub fn user_options(&self, locale: Locale) -> Vec<Value> {
        options(&self.users, locale)
    }
}

/// The contact a form's field names: by id (the contact page's links carry it), or by
/// a phone or an e-mail that exactly one contact the caller can see has. A refusal is
/// the message to show next to the field: `unknown` and `several` are the keys of the
/// messages for no contact and for more than one.
pub async fn resolve_contact(
    app: &App,
    page: &Page,
    raw: &str,
    unknown: &str,
    several: &str,
) -> Result<ContactId, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(page.text("reason-required"));
    }
    if let Ok(id) = raw.parse::<ContactId>() {
        return Ok(id);
    }
    let lookup = if raw.contains('@') { Lookup::Email(raw.to_owned()) } else { Lookup::Phone(raw.to_owned()) };
    match app.lookup_contacts(&page.caller, &lookup).await {
        Ok(found) => match found.as_slice() {
            [contact] => Ok(contact.id),
            [] => Err(page.text(unknown)),
            _ => Err(page.text(several)),
        },
        // Not a phone or an e-mail: why, in the page's language where the reason is common.
        Err(AppError::Validation(errors)) => {
            let shown = form::FieldErrors::from_validation(&errors, page.locale, &[]);
            Err(shown.0.into_values().next().unwrap_or_default())
        }
        Err(err) => {
            tracing::error!(error = ?err, "a form's contact could not be looked up");
            Err(page.text("error-unexpected"))
        }
    }
}

/// The name of each stage of the pipeline, by key, for showing where a deal stands.
pub fn stage_names(pipeline: &sambandh_domain::Pipeline) -> std::collections::BTreeMap<String, String> {
    pipeline.stages().iter().map(|stage| (stage.key.clone(), stage.name.to_string())).collect()
}

fn options(pairs: &[(String, String)], locale: Locale) -> Vec<Value> {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    locale.sort_by_name(&mut sorted, |(_, name)| name.as_str());
    sorted.into_iter().map(|(id, name)| context! { id => id, name => name }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let names: Vec<&str> = TEMPLATE_SOURCES.iter().map(|(name, _)| *name).collect();
        for name in names {
            if let Err(err) = TEMPLATES.get_template(name) {
                panic!("{name}: {err:#}");
            }
        }
    }
}
