//! The greetings review queue: the day's greetings waiting for a person to read them,
//! each in its recipient's language, to approve (with edits) or skip, one by one or
//! the whole day at once.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use minijinja::{Value, context};
use sambandh_app::greetings::{Decision, GreetingEdit};
use sambandh_app::{App, AppError};
use sambandh_domain::{GreetingId, GreetingStatus};
use sambandh_store::{GreetingFilter, PageRequest};
use serde::Deserialize;

use super::i18n::Locale;
use super::{Id, Page, Posted};
use crate::views::GreetingView;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/greetings", get(queue))
        .route("/greetings/day", post(decide_day))
        .route("/greetings/{id}/decision", post(decide))
}

#[derive(Debug, Default, Deserialize)]
struct QueueQuery {
    #[serde(default)]
    date: String,
    cursor: Option<String>,
}

/// An occasion's name in the UI language: `festival:diwali` is "Festival: diwali".
fn occasion_label(key: &str, locale: Locale) -> String {
    match key.split_once(':') {
        Some(("festival", festival)) => format!("{}: {festival}", locale.text("occasion-festival")),
        Some((_, label)) => label.to_owned(),
        None => locale.text(&format!("occasion-{key}")),
    }
}

async fn queue(State(app): State<App>, page: Page, Query(query): Query<QueueQuery>) -> Response {
    let zone = page.zone();
    let today = jiff::Timestamp::now().to_zoned_datetime(zone).date();
    let date = query.date.trim().parse::<Date>().unwrap_or(today);
    let filter = GreetingFilter { occasion_date: Some(date), status: Some(GreetingStatus::Review), contact_id: None };
    let request = PageRequest { limit: 50, cursor: query.cursor.clone() };
    let found = match app.greetings(&page.caller, &filter, &request).await {
        Ok(found) => found,
        Err(err) => return page.error(&err),
    };
    let mut rows = Vec::with_capacity(found.items.len());
    for greeting in &found.items {
        let name = app.contact(&page.caller, greeting.contact_id).await.map(|contact| contact.data.full_name()).ok();
        let view = GreetingView::from(greeting);
        rows.push(context! {
            contact_name => name,
            occasion_label => occasion_label(&view.occasion, page.locale),
            ..Value::from_serialize(&view)
        });
    }
    page.render(
        "greetings",
        "greetings/queue.html",
        context! {
            greetings => rows,
            date => date.to_string(),
            previous => date.yesterday().ok().map(|d| d.to_string()),
            following => date.tomorrow().ok().map(|d| d.to_string()),
            next => found.next_cursor.map(|cursor| format!("/greetings?date={date}&cursor={}", super::form::url_encode(&cursor))),
        },
    )
}

fn decision_of(raw: &str) -> Decision {
    if raw == "approve" { Decision::Approve } else { Decision::Skip }
}

async fn decide(State(app): State<App>, Id(id): Id<GreetingId>, Posted(page, fields): Posted) -> Response {
    let edit = GreetingEdit { subject: fields.value("subject"), body: fields.value("body") };
    match app.decide_greeting(&page.caller, id, decision_of(fields.get("decision")), &edit).await {
        Ok(greeting) => Redirect::to(&format!("/greetings?date={}", greeting.occasion_date)).into_response(),
        Err(err) => page.error(&err),
    }
}

async fn decide_day(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let Ok(date) = fields.get("date").parse::<Date>() else {
        return page.error(&AppError::BadRequest("the form has no date; reload the page".into()));
    };
    match app.decide_greetings_of(&page.caller, date, decision_of(fields.get("decision"))).await {
        Ok(_) => Redirect::to(&format!("/greetings?date={date}")).into_response(),
        Err(err) => page.error(&err),
    }
}
