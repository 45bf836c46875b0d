//! The catalogue and customers' orders.

use axum::extract::State;
use axum::http::StatusCode;
use sambandh_app::App;
use sambandh_app::orders::OrderInput;
use sambandh_domain::{ContactId, OrderId, ProductId, ProductInput, ValidationErrors};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::{ApiJson, ApiPath, ApiQuery, page_request, parse_id};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::views::{
    OrderBody, OrderPage, OrderView, OrdersReportView, ProductBody, ProductPage, ProductView, RejectionView,
};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The catalogue, by SKU.
#[utoipa::path(get, path = "/api/v1/products", tag = "orders", params(PageParams),
    responses((status = 200, body = ProductPage)))]
pub async fn products(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<PageParams>,
) -> ApiResult<axum::Json<ProductPage>> {
    let mut errors = ValidationErrors::default();
    let page = page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.products(&caller, &page).await?;
    Ok(axum::Json(ProductPage {
        items: result.items.iter().map(ProductView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Adds a product (owners and admins).
#[utoipa::path(post, path = "/api/v1/products", tag = "orders", request_body = ProductBody,
    responses((status = 201, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn create_product(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ProductBody>,
) -> ApiResult<(StatusCode, axum::Json<ProductView>)> {
    let product = app.create_product(&caller, &ProductInput::from(body)).await?;
    Ok((StatusCode::CREATED, axum::Json(ProductView::from(&product))))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "orders", params(("id" = String, Path)),
    responses((status = 200, body = ProductView), (status = 404, body = Problem)))]
pub async fn product(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<ProductView>> {
    Ok(axum::Json(ProductView::from(&app.product(&caller, parse_id::<ProductId>(&id)?).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OrderParams {
    pub contact: Option<String>,
    /// 1 to 500; 50 by default.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderParams),
    responses((status = 200, body = OrderPage), (status = 422, body = Problem)))]
pub async fn orders(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiQuery(params): ApiQuery<OrderParams>,
) -> ApiResult<axum::Json<OrderPage>> {
    let mut errors = ValidationErrors::default();
    let contact = errors.check_opt("contact", params.contact.as_deref(), str::parse::<ContactId>);
    let page = page_request(&mut errors, params.limit, params.cursor);
    errors.into_result().map_err(sambandh_app::AppError::from)?;
    let result = app.orders(&caller, contact, &page).await?;
    Ok(axum::Json(OrderPage {
        items: result.items.iter().map(OrderView::from).collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Records an order: a contact, lines of SKU and quantity (at the product's price unless
/// given), an order number and time. Fires the `order_placed` follow-up rules.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderBody,
    responses((status = 201, body = OrderView), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create_order(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<OrderBody>,
) -> ApiResult<(StatusCode, axum::Json<OrderView>)> {
    let order = app.create_order(&caller, &OrderInput::from(body)).await?;
    Ok((StatusCode::CREATED, axum::Json(OrderView::from(&order))))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = String, Path)),
    responses((status = 200, body = OrderView), (status = 404, body = Problem)))]
pub async fn order(
    State(app): State<App>,
    Auth(caller): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<axum::Json<OrderView>> {
    Ok(axum::Json(OrderView::from(&app.order(&caller, parse_id::<OrderId>(&id)?).await?)))
}

/// Imports orders from a CSV body: a row per line with `order_number, contact,
/// ordered_at, sku, quantity, unit_price, currency`. An order with a bad row is
/// rejected whole, every row reported; known order numbers are skipped.
#[utoipa::path(post, path = "/api/v1/imports/orders", tag = "import and export",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = OrdersReportView), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn import_orders(
    State(app): State<App>,
    Auth(caller): Auth,
    body: axum::body::Bytes,
) -> ApiResult<axum::Json<OrdersReportView>> {
    let report = app.import_orders(&caller, body.as_ref()).await?;
    Ok(axum::Json(OrdersReportView {
        created: report.created,
        skipped: report.skipped,
        rejections: report
            .rejections
            .iter()
            .map(|rejection| RejectionView { row: rejection.row, reason: rejection.reason.clone() })
            .collect(),
        summary: report.summary(),
    }))
}
