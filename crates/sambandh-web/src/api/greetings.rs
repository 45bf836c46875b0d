//! Occasions and greetings: the calendar, a contact's choices, the daily run, review,
//! rules and templates, and the one-click unsubscribe of every message.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use sambandh_app::App;
use sambandh_app::calendar::FestivalDay;
use sambandh_app::greetings::{Decision, GreetingEdit};
use sambandh_domain::{
    ContactId, Greeting, GreetingId, GreetingRule, GreetingRuleInput, GreetingStatus, Occasion, Region,
    ValidationErrors,
};
use sambandh_store::{GreetingFilter, MessageTemplate, OccasionChoice};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, ApiPath, ApiQuery, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};

/// A greeting prepared for one person.
#[derive(Debug, Serialize, ToSchema)]
pub struct GreetingView {
    pub id: String,
    pub contact_id: String,
    pub rule_id: String,
    /// birthday, first_deal, company_anniversary, custom:<label>, festival:<key>.
    pub occasion: String,
    pub occasion_date: String,
    pub channel: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    /// review, approved, skipped, sent, failed or withheld.
    pub status: String,
    pub send_at: String,
    pub message_id: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
}

impl From<&Greeting> for GreetingView {
    fn from(greeting: &Greeting) -> Self {
        Self {
            id: greeting.id.to_string(),
            contact_id: greeting.contact_id.to_string(),
            rule_id: greeting.rule_id.clone(),
            occasion: greeting.occasion.key(),
            occasion_date: greeting.occasion_date.to_string(),
            channel: greeting.channel.to_string(),
            language: greeting.language.clone(),
            subject: greeting.subject.clone(),
            body: greeting.body.clone(),
            status: greeting.status.to_string(),
            send_at: greeting.send_at.to_string(),
            message_id: greeting.message_id.map(|id| id.to_string()),
            decided_by: greeting.decided_by.map(|id| id.to_string()),
            decided_at: greeting.decided_at.map(|at| at.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GreetingPage {
    pub items: Vec<GreetingView>,
    pub next_cursor: Option<String>,
}

/// A contact's choice about one occasion.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccasionChoiceView {
    pub occasion: String,
    pub greet: bool,
    /// MM-DD of a date of the contact's own.
    pub month_day: Option<String>,
    pub since_year: Option<i16>,
    pub method: String,
    pub recorded_by: Option<String>,
    pub recorded_at: String,
}

impl From<&OccasionChoice> for OccasionChoiceView {
    fn from(choice: &OccasionChoice) -> Self {
        Self {
            occasion: choice.occasion.key(),
            greet: choice.greet,
            month_day: choice.month_day.clone(),
            since_year: choice.since_year,
            method: choice.method.clone(),
            recorded_by: choice.recorded_by.map(|id| id.to_string()),
            recorded_at: choice.recorded_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OccasionChoiceList {
    pub items: Vec<OccasionChoiceView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccasionChoiceBody {
    /// birthday, first_deal, company_anniversary, custom:<label> or festival:<key>.
    pub occasion: String,
    /// False: the contact does not want it.
    #[serde(default = "yes")]
    pub greet: bool,
    /// The day of a custom occasion: MM-DD or YYYY-MM-DD.
    pub on: Option<String>,
    /// form, import, verbal, email, message or in_person.
    pub method: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FestivalView {
    pub date: String,
    pub key: String,
    pub name: String,
    /// computed, override or ics.
    pub source: String,
}

impl From<&FestivalDay> for FestivalView {
    fn from(day: &FestivalDay) -> Self {
        Self { date: day.date.to_string(), key: day.key.clone(), name: day.name.clone(), source: day.source.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FestivalList {
    pub items: Vec<FestivalView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CalendarParams {
    pub year: i16,
    /// ISO 3166-2, e.g. IN-TN.
    pub region: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FestivalDateBody {
    pub key: String,
    pub date: String,
    pub region: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct GreetingParams {
    /// The day of the occasions, YYYY-MM-DD.
    pub date: Option<String>,
    pub status: Option<String>,
    pub contact: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    /// YYYY-MM-DD.
    pub date: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RunView {
    pub date: String,
    pub created: u64,
    pub queued: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// approve or skip.
    pub decision: String,
    pub subject: Option<String>,
    pub body: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayDecisionBody {
    pub date: String,
    /// approve or skip.
    pub decision: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecidedView {
    pub decided: u64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GreetingRuleView {
    pub id: Option<String>,
    pub name: String,
    /// birthday, first_deal, company_anniversary, custom:*, custom:<label>, festival:*, festival:<key>.
    pub occasion: String,
    #[serde(default)]
    pub tiers: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Branch ids.
    #[serde(default)]
    pub branches: Vec<String>,
    pub channel: Option<String>,
    pub template: String,
    /// HH:MM in the contact's zone.
    pub send_time: Option<String>,
    pub lead_days: Option<i64>,
    pub auto_send: Option<bool>,
    pub sign_as_owner: Option<bool>,
    pub active: Option<bool>,
}

impl From<&GreetingRule> for GreetingRuleView {
    fn from(rule: &GreetingRule) -> Self {
        let data = &rule.data;
        Self {
            id: Some(rule.id.clone()),
            name: data.name.clone(),
            occasion: data.occasion.key(),
            tiers: data.tiers.iter().map(ToString::to_string).collect(),
            tags: data.tags.iter().map(ToString::to_string).collect(),
            branches: data.branches.iter().map(ToString::to_string).collect(),
            channel: Some(data.channel.to_string()),
            template: data.template.clone(),
            send_time: Some(data.send_time.strftime("%H:%M").to_string()),
            lead_days: Some(i64::from(data.lead_days)),
            auto_send: Some(data.auto_send),
            sign_as_owner: Some(data.sign_as_owner),
            active: Some(data.active),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GreetingRuleList {
    pub items: Vec<GreetingRuleView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TemplateView {
    pub key: String,
    pub language: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub items: Vec<TemplateView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PreviewParams {
    pub contact: String,
    pub occasion: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewView {
    pub language: String,
    pub subject: String,
    pub body: String,
}

fn date(errors: &mut ValidationErrors, field: &str, raw: Option<&str>) -> Option<jiff::civil::Date> {
    errors.check_opt(field, raw, sambandh_domain::parse_civil_date)
}

fn decision(raw: &str) -> Result<Decision, ValidationErrors> {
    match raw.trim() {
        "approve" => Ok(Decision::Approve),
        "skip" => Ok(Decision::Skip),
        _ => Err(ValidationErrors::single("decision", "must be approve or skip")),
    }
}

/// The festivals of a year, computed, with the dates admins set.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "greetings", params(CalendarParams),
    responses((status = 200, body = FestivalList), (status = 422, body = Problem)))]
pub async fn calendar(
    State(app): State<App>,
    Auth(_caller): Auth,
    ApiQuery(params): ApiQuery<CalendarParams>,
) -> ApiResult<axum::Json<FestivalList>> {
    let mut errors = ValidationErrors::default();
    let region = errors.check_opt("region", params.region.as_deref(), Region::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let days = app.festival_days(params.year, region.as_ref()).await?;
    Ok(axum::Json(FestivalList { items: days.iter().map(FestivalView::from).collect() }))
}

/// Sets a festival's date (owners and admins): an Eid by sighting, a regional custom.
#[utoipa::path(put, path = "/api/v1/calendar", tag = "greetings", request_body = FestivalDateBody,
    responses((status = 200, body = FestivalView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_festival(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<FestivalDateBody>,
) -> ApiResult<axum::Json<FestivalView>> {
    let mut errors = ValidationErrors::default();
    let day = date(&mut errors, "date", Some(&body.date));
    let region = errors.check_opt("region", body.region.as_deref(), Region::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let Some(day) = day else {
        return Err(sambandh_app::AppError::from(ValidationErrors::single("date", "is required")).into());
    };
    let set = app.set_festival_date(&caller, &body.key, day, region.as_ref(), body.name.as_deref(), "override").await?;
    Ok(axum::Json(FestivalView { date: set.date.to_string(), key: set.key, name: set.name, source: set.source }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CalendarImportParams {
    /// The region the dates are for (ISO 3166-2); every region when not given.
    pub region: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarImportView {
    pub imported: Vec<FestivalView>,
    pub rejected: Vec<RejectedEventView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedEventView {
    /// The event's place in the file, 1 for the first.
    pub event: usize,
    pub reason: String,
}

/// Imports the all-day events of an iCalendar file (owners and admins): festivals
/// Sambandh knows take their dates from it, others are added.
#[utoipa::path(post, path = "/api/v1/calendar/imports", tag = "greetings", params(CalendarImportParams),
    request_body(content = String, content_type = "text/calendar"),
    responses((status = 200, body = CalendarImportView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn import_calendar(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<CalendarImportParams>,
    body: String,
) -> ApiResult<axum::Json<CalendarImportView>> {
    let mut errors = ValidationErrors::default();
    let region = errors.check_opt("region", params.region.as_deref(), Region::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let report = app.import_calendar(&caller, &body, region.as_ref()).await?;
    Ok(axum::Json(CalendarImportView {
        imported: report
            .imported
            .iter()
            .map(|d| FestivalView {
                date: d.date.to_string(),
                key: d.key.clone(),
                name: d.name.clone(),
                source: d.source.clone(),
            })
            .collect(),
        rejected: report
            .rejected
            .iter()
            .map(|(event, reason)| RejectedEventView { event: *event, reason: reason.clone() })
            .collect(),
    }))
}

/// What a contact chose to be greeted for.
#[utoipa::path(get, path = "/api/v1/contacts/{id}/occasions", tag = "greetings", params(("id" = String, Path)),
    responses((status = 200, body = OccasionChoiceList), (status = 404, body = Problem)))]
pub async fn occasions(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<OccasionChoiceList>> {
    let choices = app.occasion_choices(&caller, parse_id::<ContactId>(&id)?).await?;
    Ok(axum::Json(OccasionChoiceList { items: choices.iter().map(OccasionChoiceView::from).collect() }))
}

/// Records a contact's choice about an occasion.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/occasions", tag = "greetings", params(("id" = String, Path)),
    request_body = OccasionChoiceBody,
    responses((status = 201, body = OccasionChoiceView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn set_occasion(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<OccasionChoiceBody>,
) -> ApiResult<(StatusCode, axum::Json<OccasionChoiceView>)> {
    let contact_id = parse_id::<ContactId>(&id)?;
    let choice = app
        .set_occasion_choice(&caller, contact_id, &body.occasion, body.greet, body.on.as_deref(), &body.method)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(OccasionChoiceView::from(&choice))))
}

/// Greetings, by the day of their occasion.
#[utoipa::path(get, path = "/api/v1/greetings", tag = "greetings", params(GreetingParams),
    responses((status = 200, body = GreetingPage), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<GreetingParams>,
) -> ApiResult<axum::Json<GreetingPage>> {
    let mut errors = ValidationErrors::default();
    let filter = GreetingFilter {
        occasion_date: date(&mut errors, "date", params.date.as_deref()),
        status: errors.check_opt("status", params.status.as_deref(), GreetingStatus::parse),
        contact_id: errors.check_opt("contact", params.contact.as_deref(), str::parse),
    };
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.greetings(&caller, &filter, &page).await?;
    Ok(axum::Json(GreetingPage {
        items: result.items.iter().map(GreetingView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/greetings/{id}", tag = "greetings", params(("id" = String, Path)),
    responses((status = 200, body = GreetingView), (status = 404, body = Problem)))]
pub async fn show(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<GreetingView>> {
    let greeting = app.greeting(&caller, parse_id::<GreetingId>(&id)?).await?;
    Ok(axum::Json(GreetingView::from(&greeting)))
}

/// Approves (with edits) or skips a greeting in review.
#[utoipa::path(post, path = "/api/v1/greetings/{id}/decision", tag = "greetings", params(("id" = String, Path)),
    request_body = DecisionBody,
    responses((status = 200, body = GreetingView), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn decide(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<axum::Json<GreetingView>> {
    let decision = decision(&body.decision).map_err(sambandh_app::AppError::from)?;
    let edit = GreetingEdit { subject: body.subject, body: body.body };
    let greeting = app.decide_greeting(&caller, parse_id::<GreetingId>(&id)?, decision, &edit).await?;
    Ok(axum::Json(GreetingView::from(&greeting)))
}

/// Approves or skips every greeting in review for a day's occasions.
#[utoipa::path(post, path = "/api/v1/greetings/decisions", tag = "greetings", request_body = DayDecisionBody,
    responses((status = 200, body = DecidedView), (status = 422, body = Problem)))]
pub async fn decide_day(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<DayDecisionBody>,
) -> ApiResult<axum::Json<DecidedView>> {
    let mut errors = ValidationErrors::default();
    let day = date(&mut errors, "date", Some(&body.date));
    let decision = errors.check(
        "decision",
        decision(&body.decision).map_err(|e| sambandh_domain::ValueError::new(e.0[0].reason.clone())),
    );
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let (Some(day), Some(decision)) = (day, decision) else {
        return Err(sambandh_app::AppError::from(ValidationErrors::single("date", "is required")).into());
    };
    let decided = app.decide_greetings_of(&caller, day, decision).await?;
    Ok(axum::Json(DecidedView { decided }))
}

/// Runs the day's greetings now (owners and admins); the server also does it itself.
#[utoipa::path(post, path = "/api/v1/greetings/runs", tag = "greetings", request_body = RunBody,
    responses((status = 200, body = RunView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn run(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<RunBody>,
) -> ApiResult<axum::Json<RunView>> {
    let mut errors = ValidationErrors::default();
    let day = date(&mut errors, "date", Some(&body.date));
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let Some(day) = day else {
        return Err(sambandh_app::AppError::from(ValidationErrors::single("date", "is required")).into());
    };
    let report = app.run_greetings(&caller, day).await?;
    Ok(axum::Json(RunView { date: report.date, created: report.created, queued: report.queued }))
}

#[utoipa::path(get, path = "/api/v1/greeting-rules", tag = "greetings", responses((status = 200, body = GreetingRuleList)))]
pub async fn rules(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<GreetingRuleList>> {
    let rules = app.greeting_rules(&caller).await?;
    Ok(axum::Json(GreetingRuleList { items: rules.iter().map(GreetingRuleView::from).collect() }))
}

/// Adds a greeting rule (with no `id`) or changes one (owners and admins).
#[utoipa::path(put, path = "/api/v1/greeting-rules", tag = "greetings", request_body = GreetingRuleView,
    responses((status = 200, body = GreetingRuleView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn save_rule(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<GreetingRuleView>,
) -> ApiResult<axum::Json<GreetingRuleView>> {
    let mut errors = ValidationErrors::default();
    let branches = body
        .branches
        .iter()
        .enumerate()
        .filter_map(|(idx, raw)| errors.check(&format!("branches[{idx}]"), raw.parse()))
        .collect();
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let input = GreetingRuleInput {
        name: Some(body.name),
        occasion: Some(body.occasion),
        tiers: body.tiers,
        tags: body.tags,
        branches,
        channel: body.channel,
        template: Some(body.template),
        send_time: body.send_time,
        lead_days: body.lead_days,
        auto_send: body.auto_send,
        sign_as_owner: body.sign_as_owner,
        active: body.active,
    };
    let rule = app.save_greeting_rule(&caller, body.id.as_deref(), &input).await?;
    Ok(axum::Json(GreetingRuleView::from(&rule)))
}

#[utoipa::path(get, path = "/api/v1/templates", tag = "greetings", responses((status = 200, body = TemplateList)))]
pub async fn templates(State(app): State<App>, Auth(caller): Auth) -> ApiResult<axum::Json<TemplateList>> {
    let templates = app.message_templates(&caller).await?;
    Ok(axum::Json(TemplateList {
        items: templates
            .into_iter()
            .map(|t| TemplateView { key: t.key, language: t.language, subject: t.subject, body: t.body })
            .collect(),
    }))
}

/// Adds or changes a template in one language (owners and admins).
#[utoipa::path(put, path = "/api/v1/templates", tag = "greetings", request_body = TemplateView,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn save_template(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TemplateView>,
) -> ApiResult<StatusCode> {
    let template = MessageTemplate { key: body.key, language: body.language, subject: body.subject, body: body.body };
    app.save_message_template(&caller, &template).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A template rendered for a real contact, in their language.
#[utoipa::path(get, path = "/api/v1/templates/{key}/preview", tag = "greetings",
    params(("key" = String, Path), PreviewParams),
    responses((status = 200, body = PreviewView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn preview(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(key): ApiPath<String>,
    ApiQuery(params): ApiQuery<PreviewParams>,
) -> ApiResult<axum::Json<PreviewView>> {
    let mut errors = ValidationErrors::default();
    let occasion = errors.check_opt("occasion", params.occasion.as_deref(), Occasion::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let contact = parse_id::<ContactId>(&params.contact)?;
    let preview = app.preview_template(&caller, &key, contact, occasion.as_ref()).await?;
    Ok(axum::Json(PreviewView { language: preview.language, subject: preview.subject, body: preview.body }))
}

/// The page an unsubscribe link opens: one button (a link alone must not unsubscribe:
/// mail scanners follow links).
pub async fn unsubscribe_page(ApiPath(token): ApiPath<String>) -> impl IntoResponse {
    let env = minijinja::Environment::new();
    // Named .html, so the engine escapes the token.
    let page = env
        .template_from_named_str(
            "unsubscribe.html",
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Unsubscribe</title>\
             <form method=\"post\" action=\"/unsubscribe/{{ token }}\">\
             <p>Stop receiving these messages?</p><button name=\"List-Unsubscribe\" value=\"One-Click\">Unsubscribe</button>\
             </form></html>",
        )
        .and_then(|template| template.render(minijinja::context! { token => token }))
        .unwrap_or_default();
    Html(page)
}

/// The one-click unsubscribe (RFC 8058): withdraws consent for the message's purpose
/// on its channel. Answers the same for any token, known or not.
pub async fn unsubscribe(State(app): State<App>, ApiPath(token): ApiPath<String>) -> ApiResult<Html<&'static str>> {
    app.unsubscribe(&token).await?;
    Ok(Html(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Unsubscribed</title><p>You will not receive these messages any more.</p></html>",
    ))
}
