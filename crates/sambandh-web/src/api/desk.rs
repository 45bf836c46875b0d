//! The service desk: tickets and their conversations, business calendars, SLA
//! policies and due times, the measures, and the two public pages customers see (the
//! support form and the satisfaction survey).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sambandh_app::App;
use sambandh_app::desk::{Survey, TicketChange, TicketDetail, TicketRequest};
use sambandh_domain::{
    BranchId, ContactId, TicketId, TicketInput, TicketPriority, TicketSource, TicketStatus, ValidationErrors, ValueTier,
};
use sambandh_store::{
    AssigneeFilter, Holiday, MeasureGroup, MeasureRow, StoredPolicy, Ticket, TicketEntry, TicketFilter,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{ApiJson, ApiPath, ApiQuery, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};

/// A ticket. Instants are RFC 3339 in UTC; a ticket's page shows them in its branch's
/// zone (`zone`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    pub id: String,
    pub number: u64,
    pub contact_id: String,
    pub branch_id: Option<String>,
    pub assignee_id: Option<String>,
    /// email, web, phone, api, whatsapp or sms.
    pub source: String,
    pub subject: String,
    pub language: String,
    /// new, open, pending (waiting on the customer), resolved or closed.
    pub status: String,
    /// low, normal, high or urgent.
    pub priority: String,
    pub tier: Option<String>,
    pub tags: Vec<String>,
    pub policy_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    pub first_response_due: Option<String>,
    pub first_response_at: Option<String>,
    pub next_response_due: Option<String>,
    pub resolution_due: Option<String>,
    pub resolved_at: Option<String>,
    /// The earliest deadline still running; null while waiting on the customer or resolved.
    pub due_at: Option<String>,
    pub csat_score: Option<u8>,
    pub csat_comment: Option<String>,
}

fn instant(at: Option<Timestamp>) -> Option<String> {
    at.map(|at| at.to_string())
}

impl From<&Ticket> for TicketView {
    fn from(ticket: &Ticket) -> Self {
        Self {
            id: ticket.id.to_string(),
            number: ticket.number,
            contact_id: ticket.contact_id.to_string(),
            branch_id: ticket.branch_id.map(|id| id.to_string()),
            assignee_id: ticket.assignee_id.map(|id| id.to_string()),
            source: ticket.source.to_string(),
            subject: ticket.subject.clone(),
            language: ticket.language.clone(),
            status: ticket.status.to_string(),
            priority: ticket.priority.to_string(),
            tier: ticket.tier.map(|tier| tier.to_string()),
            tags: ticket.tags.clone(),
            policy_id: ticket.policy_id.clone(),
            created_at: ticket.created_at.to_string(),
            updated_at: ticket.updated_at.to_string(),
            version: ticket.version,
            first_response_due: instant(ticket.first_response_due),
            first_response_at: instant(ticket.first_response_at),
            next_response_due: instant(ticket.next_response_due),
            resolution_due: instant(ticket.resolution_due),
            resolved_at: instant(ticket.resolved_at),
            due_at: instant(ticket.due_at),
            csat_score: ticket.csat_score,
            csat_comment: ticket.csat_comment.clone(),
        }
    }
}

/// One entry of a ticket's conversation.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketEntryView {
    pub id: String,
    /// inbound (the customer), reply, acknowledgement or note (staff only).
    pub kind: String,
    pub author_id: Option<String>,
    pub body: String,
    /// The e-mail's Message-ID.
    pub mail_id: Option<String>,
    /// The outbox message that carries it.
    pub message_id: Option<String>,
    pub created_at: String,
}

impl From<&TicketEntry> for TicketEntryView {
    fn from(entry: &TicketEntry) -> Self {
        Self {
            id: entry.id.to_string(),
            kind: entry.kind.to_string(),
            author_id: entry.author_id.map(|id| id.to_string()),
            body: entry.body.clone(),
            mail_id: entry.mail_id.clone(),
            message_id: entry.message_id.map(|id| id.to_string()),
            created_at: entry.created_at.to_string(),
        }
    }
}

/// A ticket with its conversation, and its deadlines in the branch's zone.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDetailView {
    pub ticket: TicketView,
    pub entries: Vec<TicketEntryView>,
    /// The branch's IANA zone.
    pub zone: String,
    /// The first-response deadline in the branch's zone (RFC 3339 with offset).
    pub first_response_due_local: Option<String>,
    pub due_at_local: Option<String>,
}

fn local(at: Option<Timestamp>, zone: &TimeZone) -> Option<String> {
    at.map(|at| at.to_zoned_datetime(zone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
}

impl TicketDetailView {
    /// A ticket and its conversation with instants in UTC (for an export, which has no
    /// branch's zone at hand).
    pub fn of(ticket: &Ticket, entries: &[TicketEntry]) -> Self {
        Self::from(&TicketDetail { ticket: ticket.clone(), entries: entries.to_vec(), zone: TimeZone::UTC })
    }
}

impl From<&TicketDetail> for TicketDetailView {
    fn from(detail: &TicketDetail) -> Self {
        Self {
            ticket: TicketView::from(&detail.ticket),
            entries: detail.entries.iter().map(TicketEntryView::from).collect(),
            zone: detail.zone.iana_name().unwrap_or("UTC").to_owned(),
            first_response_due_local: local(detail.ticket.first_response_due, &detail.zone),
            due_at_local: local(detail.ticket.due_at, &detail.zone),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketPage {
    pub items: Vec<TicketView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TicketParams {
    pub branch: Option<String>,
    /// Comma-separated statuses; `open` alone means new and open (the queue); all for every status.
    pub status: Option<String>,
    /// me, none, or a member of staff's id or e-mail.
    pub assignee: Option<String>,
    pub contact: Option<String>,
    /// due (soonest deadline first, the default for open tickets) or newest.
    pub sort: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Tickets in the caller's scope; by default the queue: new and open tickets, soonest
/// deadline first.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "desk", params(TicketParams),
    responses((status = 200, body = TicketPage), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<TicketParams>,
) -> ApiResult<axum::Json<TicketPage>> {
    let mut errors = ValidationErrors::default();
    let branch_id: Option<BranchId> = errors.check_opt("branch", params.branch.as_deref(), str::parse);
    let statuses = match params.status.as_deref().map(str::trim) {
        None | Some("open") => vec![TicketStatus::New, TicketStatus::Open],
        Some("all") => Vec::new(),
        Some(list) => {
            list.split(',').filter_map(|status| errors.check_opt("status", Some(status), TicketStatus::parse)).collect()
        }
    };
    let assignee = match params.assignee.as_deref().map(str::trim) {
        None => None,
        Some("none") => Some(AssigneeFilter::Nobody),
        Some("me") => caller.user_id().map(AssigneeFilter::User),
        Some(raw) => {
            let directory = sambandh_app::directory::Directory::load(&app).await?;
            errors
                .check_opt("assignee", Some(raw), |raw| crate::api::staff_member(&directory, raw))
                .map(AssigneeFilter::User)
        }
    };
    let contact_id: Option<ContactId> = errors.check_opt("contact", params.contact.as_deref(), str::parse);
    let running = !statuses.is_empty() && statuses.iter().all(|s| matches!(s, TicketStatus::New | TicketStatus::Open));
    let by_due = match params.sort.as_deref() {
        None => running,
        Some("due") => true,
        Some("newest") => false,
        Some(_) => {
            errors.push("sort", "must be due or newest");
            false
        }
    };
    let page = crate::api::page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let filter = TicketFilter { branch_id, statuses, assignee, contact_id, by_due };
    let result = app.tickets(&caller, &filter, &page).await?;
    Ok(axum::Json(TicketPage {
        items: result.items.iter().map(TicketView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketBody {
    /// A known contact; else `email` or `phone` find or create one.
    pub contact_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The branch of a new contact, by name or id.
    pub branch: Option<String>,
    pub subject: Option<String>,
    pub text: String,
    /// phone (a call staff log), api (the default), web, email, whatsapp, sms.
    pub source: Option<String>,
    pub priority: Option<String>,
    pub language: Option<String>,
}

/// Opens a ticket: a call staff log, or a request from another system.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "desk", request_body = TicketBody,
    responses((status = 201, body = TicketDetailView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TicketBody>,
) -> ApiResult<(StatusCode, axum::Json<TicketDetailView>)> {
    let mut errors = ValidationErrors::default();
    let contact_id = errors.check_opt("contact_id", body.contact_id.as_deref(), str::parse);
    let branch_id = match body.branch.as_deref().map(str::trim) {
        Some(raw) => {
            let branches = app.branches(&caller).await?;
            let found =
                branches.iter().find(|b| b.id.to_string() == raw || b.data.name.as_ref().eq_ignore_ascii_case(raw));
            if found.is_none() {
                errors.push("branch", format!("no branch is named '{raw}'"));
            }
            found.map(|b| b.id)
        }
        None => None,
    };
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let request = TicketRequest {
        contact_id,
        name: body.name,
        email: body.email,
        phone: body.phone,
        branch_id,
        ticket: TicketInput {
            subject: body.subject,
            text: Some(body.text),
            source: body.source,
            priority: body.priority,
            language: body.language,
        },
    };
    let ticket = app.create_ticket(&caller, &request).await?;
    let detail = app.ticket(&caller, ticket.id).await?;
    Ok((StatusCode::CREATED, axum::Json(TicketDetailView::from(&detail))))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "desk", params(("id" = String, Path)),
    responses((status = 200, body = TicketDetailView), (status = 404, body = Problem)))]
pub async fn show(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<TicketDetailView>> {
    let detail = app.ticket(&caller, parse_id::<TicketId>(&id)?).await?;
    Ok(axum::Json(TicketDetailView::from(&detail)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketChangeBody {
    pub status: Option<String>,
    pub priority: Option<String>,
    /// A member of staff's id or e-mail; "none" to unassign.
    pub assignee: Option<String>,
    pub tags: Option<Vec<String>>,
    /// The version the change is based on: a ticket changed since answers 412.
    pub version: Option<i64>,
}

/// Changes a ticket's status (pending waits on the customer and pauses its clocks;
/// resolved sends the survey), priority, assignee or tags.
#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "desk", params(("id" = String, Path)),
    request_body = TicketChangeBody,
    responses((status = 200, body = TicketView), (status = 404, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<TicketChangeBody>,
) -> ApiResult<axum::Json<TicketView>> {
    let mut errors = ValidationErrors::default();
    let status = errors.check_opt("status", body.status.as_deref(), TicketStatus::parse);
    let priority = errors.check_opt("priority", body.priority.as_deref(), TicketPriority::parse);
    let assignee_id = match body.assignee.as_deref().map(str::trim) {
        None => None,
        Some("none" | "") => Some(None),
        Some(raw) => {
            let directory = sambandh_app::directory::Directory::load(&app).await?;
            errors.check_opt("assignee", Some(raw), |raw| crate::api::staff_member(&directory, raw)).map(Some)
        }
    };
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let change = TicketChange { status, priority, assignee_id, tags: body.tags };
    let ticket = app.update_ticket(&caller, parse_id::<TicketId>(&id)?, &change, body.version).await?;
    Ok(axum::Json(TicketView::from(&ticket)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub text: String,
    /// The status after the reply: pending to wait for the customer, resolved.
    pub status: Option<String>,
}

/// Answers the customer, by e-mail in their thread, signed by the caller.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/replies", tag = "desk", params(("id" = String, Path)),
    request_body = ReplyBody,
    responses((status = 200, body = TicketDetailView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn reply(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<ReplyBody>,
) -> ApiResult<axum::Json<TicketDetailView>> {
    let mut errors = ValidationErrors::default();
    let status = errors.check_opt("status", body.status.as_deref(), TicketStatus::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let detail = app.reply_to_ticket(&caller, parse_id::<TicketId>(&id)?, &body.text, status).await?;
    Ok(axum::Json(TicketDetailView::from(&detail)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub text: String,
}

/// Adds a note only staff see.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/notes", tag = "desk", params(("id" = String, Path)),
    request_body = NoteBody,
    responses((status = 201, body = TicketEntryView), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn note(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NoteBody>,
) -> ApiResult<(StatusCode, axum::Json<TicketEntryView>)> {
    let entry = app.add_ticket_note(&caller, parse_id::<TicketId>(&id)?, &body.text).await?;
    Ok((StatusCode::CREATED, axum::Json(TicketEntryView::from(&entry))))
}

/// A branch's working hours and days off.
#[derive(Debug, Serialize, ToSchema)]
pub struct BranchHoursView {
    pub branch_id: String,
    pub time_zone: String,
    /// `Mon-Fri 09:30-18:00; Sat 10:00-14:00`.
    pub hours: String,
    /// True when the branch works the default hours.
    pub default_hours: bool,
    pub holidays: Vec<HolidayView>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HolidayView {
    pub date: String,
    pub name: String,
    /// festival (from the region's calendar), manual or ics.
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearParams {
    /// The year of the holidays shown; this year by default.
    pub year: Option<i16>,
}

#[utoipa::path(get, path = "/api/v1/branches/{branch}/hours", tag = "desk", params(("branch" = String, Path), YearParams),
    responses((status = 200, body = BranchHoursView), (status = 404, body = Problem)))]
pub async fn hours(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<YearParams>,
) -> ApiResult<axum::Json<BranchHoursView>> {
    let year = params.year.unwrap_or_else(|| Timestamp::now().to_zoned_datetime(TimeZone::UTC).year());
    let calendar = app.branch_calendar(&caller, parse_id::<BranchId>(&id)?, year).await?;
    Ok(axum::Json(BranchHoursView {
        branch_id: calendar.branch.id.to_string(),
        time_zone: calendar.branch.data.time_zone.to_string(),
        hours: calendar.hours,
        default_hours: calendar.default_hours,
        holidays: calendar
            .holidays
            .iter()
            .map(|h| HolidayView { date: h.date.to_string(), name: h.name.clone(), source: h.source.clone() })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursBody {
    /// `Mon-Fri 09:30-18:00; Sat 10:00-14:00`.
    pub hours: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoursSetView {
    pub hours: String,
}

/// Sets a branch's working hours (owners, admins).
#[utoipa::path(put, path = "/api/v1/branches/{branch}/hours", tag = "desk", params(("branch" = String, Path)),
    request_body = HoursBody,
    responses((status = 200, body = HoursSetView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_hours(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<HoursBody>,
) -> ApiResult<axum::Json<HoursSetView>> {
    let hours = app.set_branch_hours(&caller, parse_id::<BranchId>(&id)?, &body.hours).await?;
    Ok(axum::Json(HoursSetView { hours }))
}

/// Adds a day off to a branch.
#[utoipa::path(post, path = "/api/v1/branches/{branch}/holidays", tag = "desk", params(("branch" = String, Path)),
    request_body = HolidayView,
    responses((status = 201, body = HolidayView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn add_holiday(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<HolidayView>,
) -> ApiResult<(StatusCode, axum::Json<HolidayView>)> {
    let date = sambandh_domain::parse_civil_date(&body.date)
        .map_err(|err| sambandh_app::AppError::from(ValidationErrors::single("date", err.0)))?;
    let name = if body.name.trim().is_empty() { "Holiday".to_owned() } else { body.name.trim().to_owned() };
    let holiday = Holiday { date, name, source: "manual".to_owned() };
    app.add_branch_holidays(&caller, parse_id::<BranchId>(&id)?, std::slice::from_ref(&holiday)).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(HolidayView { date: holiday.date.to_string(), name: holiday.name, source: holiday.source }),
    ))
}

/// Removes a day off.
#[utoipa::path(delete, path = "/api/v1/branches/{branch}/holidays/{date}", tag = "desk",
    params(("branch" = String, Path), ("date" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn remove_holiday(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath((id, date)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    let date = sambandh_domain::parse_civil_date(&date)
        .map_err(|err| sambandh_app::AppError::from(ValidationErrors::single("date", err.0)))?;
    app.remove_branch_holiday(&caller, parse_id::<BranchId>(&id)?, date).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedView {
    pub imported: usize,
}

/// Imports a branch's days off from an iCalendar file (its all-day events).
#[utoipa::path(post, path = "/api/v1/branches/{branch}/holidays/imports", tag = "desk", params(("branch" = String, Path)),
    request_body(content = String, content_type = "text/calendar"),
    responses((status = 200, body = ImportedView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn import_holidays(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
    body: String,
) -> ApiResult<axum::Json<ImportedView>> {
    let imported = app.import_branch_holidays(&caller, parse_id::<BranchId>(&id)?, &body).await?;
    Ok(axum::Json(ImportedView { imported }))
}

/// An SLA policy: which tickets it is for (by source, priority, tier: empty matches
/// any) and its targets (`end_of_business_day`, `4h`, `30m` of business time, …).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyView {
    pub id: Option<String>,
    pub name: String,
    pub source: Option<String>,
    pub priority: Option<String>,
    pub tier: Option<String>,
    pub first_response: String,
    pub next_response: String,
    pub resolution: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyList {
    pub items: Vec<PolicyView>,
}

fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

/// The SLA policies, in the order they are tried (the most specific that matches wins).
#[utoipa::path(get, path = "/api/v1/sla-policies", tag = "desk", responses((status = 200, body = PolicyList)))]
pub async fn policies(State(app): State<App>, Auth(_caller): Auth) -> ApiResult<axum::Json<PolicyList>> {
    let stored = app.store().sla_policies().await.map_err(sambandh_app::AppError::from)?;
    Ok(axum::Json(PolicyList {
        items: stored
            .into_iter()
            .map(|p| PolicyView {
                id: Some(p.id),
                name: p.name,
                source: p.source,
                priority: p.priority,
                tier: p.tier,
                first_response: p.first_response,
                next_response: p.next_response,
                resolution: p.resolution,
            })
            .collect(),
    }))
}

/// Replaces the SLA policies (owners, admins). Tickets keep the deadlines they have;
/// new ones follow the new policies.
#[utoipa::path(put, path = "/api/v1/sla-policies", tag = "desk", request_body = PolicyList,
    responses((status = 200, body = PolicyList), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_policies(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<PolicyList>,
) -> ApiResult<axum::Json<PolicyList>> {
    let stored: Vec<StoredPolicy> = body
        .items
        .iter()
        .map(|p| StoredPolicy {
            id: p.id.clone().filter(|id| !id.trim().is_empty()).unwrap_or_else(|| slug(&p.name)),
            name: p.name.clone(),
            source: p.source.clone().filter(|s| !s.trim().is_empty()),
            priority: p.priority.clone().filter(|s| !s.trim().is_empty()),
            tier: p.tier.clone().filter(|s| !s.trim().is_empty()),
            first_response: p.first_response.clone(),
            next_response: p.next_response.clone(),
            resolution: p.resolution.clone(),
        })
        .collect();
    app.set_sla_policies(&caller, &stored).await?;
    policies(State(app), Auth(caller)).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DueParams {
    pub branch: String,
    /// The source (channel) of the message: email, web, phone, api, whatsapp, sms.
    pub channel: String,
    /// RFC 3339, e.g. 2027-01-13T17:45:00+05:30.
    pub received: String,
    pub priority: Option<String>,
    pub tier: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DueView {
    pub policy: String,
    /// The first-response deadline, RFC 3339 in the branch's zone; null when the branch
    /// has no working hours.
    pub due: Option<String>,
}

/// When a message received at an instant is due for its first response.
#[utoipa::path(get, path = "/api/v1/sla/due", tag = "desk", params(DueParams),
    responses((status = 200, body = DueView), (status = 422, body = Problem)))]
pub async fn due(
    State(app): State<App>,
    Auth(_caller): Auth,
    ApiQuery(params): ApiQuery<DueParams>,
) -> ApiResult<axum::Json<DueView>> {
    let mut errors = ValidationErrors::default();
    let branch_id: Option<BranchId> = errors.check_opt("branch", Some(params.branch.as_str()), str::parse);
    let source = errors.check_opt("channel", Some(params.channel.as_str()), TicketSource::parse);
    let received = errors.check_opt("received", Some(params.received.as_str()), |raw| {
        raw.parse::<Timestamp>().map_err(|_| sambandh_domain::ValueError::new("must be an RFC 3339 instant"))
    });
    let priority = errors.check_opt("priority", params.priority.as_deref(), TicketPriority::parse);
    let tier = errors.check_opt("tier", params.tier.as_deref(), ValueTier::parse);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let (Some(branch_id), Some(source), Some(received)) = (branch_id, source, received) else {
        return Err(sambandh_app::AppError::BadRequest("branch, channel and received are required".into()).into());
    };
    let (policy, due, zone) =
        app.sla_due(branch_id, source, priority.unwrap_or(TicketPriority::Normal), tier, received).await?;
    Ok(axum::Json(DueView { policy: policy.data.name, due: local(due, &zone) }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MeasureParams {
    /// RFC 3339 or YYYY-MM-DD (midnight UTC).
    pub from: String,
    pub until: String,
    /// branch (default), policy or agent.
    pub by: Option<String>,
}

/// Service measures of one branch, policy or agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureView {
    /// The branch, policy or agent id; null for tickets without one.
    pub group: Option<String>,
    pub tickets: u64,
    pub responded: u64,
    pub first_response_met: u64,
    pub first_response_breached: u64,
    /// Met among those met or breached, 0 to 1; null when none is either yet.
    pub first_response_attainment: Option<f64>,
    /// Mean working minutes to the first response.
    pub mean_first_response_minutes: Option<f64>,
    pub resolved: u64,
    pub resolution_met: u64,
    pub resolution_breached: u64,
    pub resolution_attainment: Option<f64>,
    pub mean_resolution_minutes: Option<f64>,
    pub csat_answers: u64,
    pub mean_csat: Option<f64>,
}

#[expect(clippy::cast_precision_loss, reason = "ratios and minutes for people to read")]
fn ratio(met: u64, breached: u64) -> Option<f64> {
    (met + breached > 0).then(|| met as f64 / (met + breached) as f64)
}

impl From<&MeasureRow> for MeasureView {
    fn from(row: &MeasureRow) -> Self {
        let minutes = |d: Option<jiff::SignedDuration>| d.map(|d| d.as_secs_f64() / 60.0);
        Self {
            group: row.group.clone(),
            tickets: row.tickets,
            responded: row.responded,
            first_response_met: row.first_response_met,
            first_response_breached: row.first_response_breached,
            first_response_attainment: ratio(row.first_response_met, row.first_response_breached),
            mean_first_response_minutes: minutes(row.mean_first_response),
            resolved: row.resolved,
            resolution_met: row.resolution_met,
            resolution_breached: row.resolution_breached,
            resolution_attainment: ratio(row.resolution_met, row.resolution_breached),
            mean_resolution_minutes: minutes(row.mean_resolution),
            csat_answers: row.csat_answers,
            mean_csat: row.mean_csat,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureList {
    pub items: Vec<MeasureView>,
}

/// Parses `from`/`until` of a report: an instant, or a day (its midnight in UTC).
pub fn report_instant(raw: &str) -> Result<Timestamp, sambandh_domain::ValueError> {
    raw.parse::<Timestamp>()
        .or_else(|_| {
            sambandh_domain::parse_civil_date(raw)
                .ok()
                .and_then(|date| date.to_zoned_datetime(TimeZone::UTC).ok())
                .map(|zoned| zoned.timestamp())
                .ok_or(())
        })
        .map_err(|()| sambandh_domain::ValueError::new("must be an RFC 3339 instant or a date YYYY-MM-DD"))
}

/// SLA attainment, response and resolution times and satisfaction of the tickets that
/// arrived in a period.
#[utoipa::path(get, path = "/api/v1/service-measures", tag = "desk", params(MeasureParams),
    responses((status = 200, body = MeasureList), (status = 422, body = Problem)))]
pub async fn measures(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<MeasureParams>,
) -> ApiResult<axum::Json<MeasureList>> {
    let mut errors = ValidationErrors::default();
    let from = errors.check_opt("from", Some(params.from.as_str()), report_instant);
    let until = errors.check_opt("until", Some(params.until.as_str()), report_instant);
    let group = match params.by.as_deref() {
        None | Some("branch") => MeasureGroup::Branch,
        Some("policy") => MeasureGroup::Policy,
        Some("agent") => MeasureGroup::Agent,
        Some(_) => {
            errors.push("by", "must be branch, policy or agent");
            MeasureGroup::Branch
        }
    };
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let (Some(from), Some(until)) = (from, until) else {
        return Err(sambandh_app::AppError::BadRequest("from and until are required".into()).into());
    };
    let rows = app.service_measures(&caller, group, from, until).await?;
    Ok(axum::Json(MeasureList { items: rows.iter().map(MeasureView::from).collect() }))
}

const SUPPORT_PAGE: &str = r#"<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Contact us</title>
<h1>Contact us</h1>
{% if number %}<p role="status">Thank you. Your request is number {{ number }}; we have sent the time of our answer to your e-mail.</p>{% endif %}
{% if errors %}<ul role="alert">{% for error in errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
<form method="post" action="/support">
<p><label for="name">Your name</label><br><input id="name" name="name" value="{{ form.name }}" autocomplete="name"></p>
<p><label for="email">E-mail</label><br><input id="email" name="email" type="email" value="{{ form.email }}" autocomplete="email"></p>
<p><label for="phone">Phone</label><br><input id="phone" name="phone" value="{{ form.phone }}" autocomplete="tel"></p>
<p><label for="subject">Subject</label><br><input id="subject" name="subject" value="{{ form.subject }}"></p>
<p><label for="text">How can we help?</label><br><textarea id="text" name="text" rows="8" cols="60">{{ form.text }}</textarea></p>
<p><button>Send</button></p>
</form></html>"#;

/// The public support form.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SupportForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub text: String,
}

fn render_support(form: &SupportForm, errors: &[String], number: Option<u64>) -> Html<String> {
    let env = minijinja::Environment::new();
    // Named .html, so the engine escapes what the visitor typed.
    let page = env
        .template_from_named_str("support.html", SUPPORT_PAGE)
        .and_then(|t| t.render(minijinja::context! { form => form, errors => errors, number => number }))
        .unwrap_or_default();
    Html(page)
}

pub async fn support_page() -> Html<String> {
    render_support(&SupportForm::default(), &[], None)
}

/// A request from the public form becomes a ticket (source web), acknowledged by e-mail
/// with the promised time. Errors come back next to what was typed.
pub async fn submit_support(
    State(app): State<App>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    axum::extract::Form(form): axum::extract::Form<SupportForm>,
) -> ApiResult<(StatusCode, Html<String>)> {
    let request = TicketRequest {
        contact_id: None,
        name: Some(form.name.clone()),
        email: Some(form.email.clone()),
        phone: Some(form.phone.clone()),
        branch_id: None,
        ticket: TicketInput {
            subject: Some(form.subject.clone()),
            text: Some(form.text.clone()),
            source: Some("web".into()),
            priority: None,
            language: None,
        },
    };
    let address = peer.ip().to_string();
    match app.submit_support_form(Some(&address), &request).await {
        Ok(ticket) => Ok((StatusCode::CREATED, render_support(&SupportForm::default(), &[], Some(ticket.number)))),
        Err(sambandh_app::AppError::Validation(errors)) => {
            let messages: Vec<String> = errors.0.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_support(&form, &messages, None)))
        }
        Err(other) => Err(other.into()),
    }
}

const SURVEY_PAGE: &str = r#"<!doctype html>
<html lang="{{ language }}"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ text.title }}</title>
<h1>{{ text.title }}</h1>
<p>#{{ number }}: {{ subject }}</p>
{% if score %}<p role="status">{{ text.thanks }} ({{ score }}/5)</p>{% endif %}
<form method="post" action="/survey/{{ token }}">
<fieldset><legend>{{ text.question }}</legend>
{% for n in [1, 2, 3, 4, 5] %}<button name="score" value="{{ n }}">{{ n }}</button> {% endfor %}
</fieldset>
<p><label for="comment">{{ text.comment }}</label><br><textarea id="comment" name="comment" rows="4" cols="50"></textarea></p>
</form></html>"#;

fn survey_text(language: &str) -> [(&'static str, &'static str); 4] {
    match language.split('-').next().unwrap_or(language) {
        "hi" => [
            ("title", "हमारी सेवा कैसी रही?"),
            ("question", "1 (बिल्कुल नहीं) से 5 (बहुत) तक, आप कितने संतुष्ट हैं?"),
            ("comment", "कुछ कहना चाहें (वैकल्पिक)"),
            ("thanks", "धन्यवाद, आपका उत्तर मिल गया।"),
        ],
        "ta" => [
            ("title", "எங்கள் சேவை எப்படி இருந்தது?"),
            ("question", "1 (இல்லவே இல்லை) முதல் 5 (மிகவும்) வரை, எவ்வளவு திருப்தி?"),
            ("comment", "ஏதேனும் சொல்ல விரும்பினால் (விருப்பம்)"),
            ("thanks", "நன்றி, உங்கள் பதில் கிடைத்தது."),
        ],
        "gu" => [
            ("title", "અમારી સેવા કેવી રહી?"),
            ("question", "1 (જરાય નહીં) થી 5 (ખૂબ) સુધી, આપ કેટલા સંતુષ્ટ છો?"),
            ("comment", "કંઈ કહેવું હોય તો (વૈકલ્પિક)"),
            ("thanks", "આભાર, આપનો જવાબ મળી ગયો."),
        ],
        _ => [
            ("title", "How did we do?"),
            ("question", "From 1 (not at all) to 5 (very), how satisfied are you?"),
            ("comment", "Anything you would like to tell us (optional)"),
            ("thanks", "Thank you, we have your answer."),
        ],
    }
}

fn render_survey(token: &str, survey: &Survey) -> Html<String> {
    let text: std::collections::BTreeMap<&str, &str> = survey_text(&survey.language).into_iter().collect();
    let env = minijinja::Environment::new();
    let page = env
        .template_from_named_str("survey.html", SURVEY_PAGE)
        .and_then(|t| {
            t.render(minijinja::context! {
                language => survey.language, text => text, number => survey.number,
                subject => survey.subject, score => survey.score, token => token,
            })
        })
        .unwrap_or_default();
    Html(page)
}

/// The survey a resolved ticket's e-mail links to: opening it changes nothing (mail
/// scanners follow links); a button press answers.
pub async fn survey_page(State(app): State<App>, ApiPath(token): ApiPath<String>) -> ApiResult<Html<String>> {
    let survey = app.survey(&token).await?;
    Ok(render_survey(&token, &survey))
}

#[derive(Debug, Deserialize)]
pub struct SurveyAnswer {
    pub score: String,
    #[serde(default)]
    pub comment: String,
}

pub async fn answer_survey(
    State(app): State<App>,
    ApiPath(token): ApiPath<String>,
    axum::extract::Form(answer): axum::extract::Form<SurveyAnswer>,
) -> ApiResult<Html<String>> {
    let score = answer
        .score
        .trim()
        .parse::<u8>()
        .map_err(|_| sambandh_app::AppError::from(ValidationErrors::single("score", "must be from 1 to 5")))?;
    let survey = app.answer_survey(&token, score, Some(&answer.comment)).await?;
    Ok(render_survey(&token, &survey))
}
