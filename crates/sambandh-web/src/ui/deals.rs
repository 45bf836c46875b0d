//! The deals board: a column per pipeline stage, a card per deal, moved from stage to
//! stage with a form (and kept as it is when someone else moved it first).

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use sambandh_app::{App, AppError};
use sambandh_domain::{DealId, DealInput};
use sambandh_store::{DealFilter, PageRequest};

use super::form::FieldErrors;
use super::{Id, Names, Page, Posted};
use crate::views::DealView;

pub fn routes() -> Router<App> {
    Router::new().route("/deals", get(board).post(create)).route("/deals/{id}/stage", post(move_deal))
}

/// How many deals the board shows (the most recently changed).
const BOARD_SIZE: u32 = 200;

#[derive(Debug, Default, serde::Deserialize)]
struct BoardQuery {
    /// A contact to start a new deal with (the contact page's "new deal").
    #[serde(default)]
    contact: String,
}

async fn board(State(app): State<App>, page: Page, Query(query): Query<BoardQuery>) -> Response {
    let values = std::collections::BTreeMap::from([("contact".to_owned(), query.contact)]);
    render_board(&app, &page, StatusCode::OK, context! { values => values }).await
}

async fn render_board(app: &App, page: &Page, status: StatusCode, extra: Value) -> Response {
    let values = async {
        let names = Names::load(app).await?;
        let pipeline = app.pipeline(&page.caller).await?;
        let deals =
            app.deals(&page.caller, &DealFilter::default(), &PageRequest { limit: BOARD_SIZE, cursor: None }).await?;
        let mut deals: Vec<DealView> = deals.items.iter().map(|deal| DealView::new(deal, &pipeline)).collect();
        page.locale.sort_by_name(&mut deals, |deal| deal.title.as_str());
        let stages: Vec<Value> = pipeline
            .stages()
            .iter()
            .map(|stage| {
                let key = stage.key.as_str();
                let cards: Vec<Value> = deals
                    .iter()
                    .filter(|deal| deal.stage == key)
                    .map(|deal| {
                        context! {
                            owner_name => deal.owner_id.as_deref().map(|id| names.user(id)),
                            ..Value::from_serialize(deal)
                        }
                    })
                    .collect();
                let total: i64 = deals
                    .iter()
                    .filter(|deal| deal.stage == key)
                    .filter_map(|deal| deal.amount.as_ref().filter(|amount| amount.currency == "INR").map(|a| a.minor))
                    .sum();
                context! {
                    key => key, name => stage.name.as_str(), outcome => stage.outcome.as_str(),
                    deals => cards, total_rupees => total / 100,
                }
            })
            .collect();
        let stage_options: Vec<Value> = pipeline
            .stages()
            .iter()
            .map(|stage| context! { id => stage.key.as_str(), name => stage.name.as_str() })
            .collect();
        Ok::<_, AppError>(context! { stages => stages, stage_options => stage_options })
    }
    .await;
    match values {
        Ok(values) => page.render_status(status, "deals", "deals/board.html", context! { ..extra, ..values }),
        Err(err) => page.error(&err),
    }
}

async fn create(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    // The contact a deal is with: by id (from the contact's page), or by their phone or
    // e-mail.
    let named =
        super::resolve_contact(&app, &page, fields.get("contact"), "deal-contact-unknown", "deal-contact-several");
    let contact = match named.await {
        Ok(contact) => Some(contact.to_string()),
        Err(message) => {
            let extra = context! { errors => FieldErrors::single("contact", message), values => fields.typed() };
            return render_board(&app, &page, StatusCode::UNPROCESSABLE_ENTITY, extra).await;
        }
    };
    let input = DealInput {
        title: fields.value("title"),
        contact,
        stage: fields.value("stage"),
        amount: fields.value("amount"),
        expected_close: fields.value("expected_close"),
        owner: page.caller.user_id().map(|id| id.to_string()),
        ..DealInput::default()
    };
    match app.create_deal(&page.caller, &input).await {
        Ok(_) => Redirect::to("/deals").into_response(),
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[("contact_id", "contact")]);
            let extra = context! { errors => shown, values => fields.typed() };
            render_board(&app, &page, StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(err) => page.error(&err),
    }
}

async fn move_deal(State(app): State<App>, Id(id): Id<DealId>, Posted(page, fields): Posted) -> Response {
    let version = fields.get("version").parse::<i64>().ok();
    let stage = fields.value("stage");
    match app.update_deal(&page.caller, id, version, |input| input.stage = stage).await {
        Ok(_) => Redirect::to("/deals").into_response(),
        Err(AppError::VersionMismatch { .. }) => {
            let extra = context! { moved_meanwhile => id.to_string() };
            render_board(&app, &page, StatusCode::CONFLICT, extra).await
        }
        Err(AppError::Validation(errors)) => {
            let extra = context! { move_error => errors.to_string() };
            render_board(&app, &page, StatusCode::UNPROCESSABLE_ENTITY, extra).await
        }
        Err(err) => page.error(&err),
    }
}
