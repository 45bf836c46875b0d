//! The product catalogue and customers' orders with their lines.

use std::collections::{BTreeMap, HashMap, HashSet};

use sambandh_domain::{
    ContactId, Currency, ExternalId, LanguageTag, Money, Order, OrderId, OrderLine, Product, ProductData, ProductId,
    Scope, ShortText,
};
use sea_query::{Expr, ExprTrait, Order as SortOrder, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{Exec, execute, fetch_all, fetch_optional};
use crate::error::conflict_on;
use crate::paging::{Keyset, fetch_page};
use crate::schema::{OrderLines, Orders, Products};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

const PRODUCT_COLUMNS: [Products; 7] = [
    Products::Id,
    Products::Sku,
    Products::Names,
    Products::Category,
    Products::PriceMinor,
    Products::Currency,
    Products::CreatedAt,
];

const ORDER_COLUMNS: [Orders; 8] = [
    Orders::Id,
    Orders::ContactId,
    Orders::ExternalId,
    Orders::OrderedAt,
    Orders::BranchId,
    Orders::TotalMinor,
    Orders::Currency,
    Orders::CreatedAt,
];

/// Orders of contacts in scope.
pub(crate) fn orders_in(scope: &Scope) -> SelectStatement {
    let mut query = Query::select().columns(ORDER_COLUMNS).from(Orders::Table).to_owned();
    if let Some(contacts) = scope::contact_ids(scope) {
        query.and_where(Expr::col(Orders::ContactId).in_subquery(contacts));
    }
    query
}

impl Store {
    /// The catalogue, by SKU, a page at a time.
    pub async fn products(&self, page: &PageRequest) -> Result<Page<Product>, StoreError> {
        let query = Query::select().columns(PRODUCT_COLUMNS).from(Products::Table).to_owned();
        let keyset = Keyset::new("products", Products::Sku, true, Products::Id, false);
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &keyset, page, product_from_row).await
    }

    pub async fn product(&self, id: ProductId) -> Result<Option<Product>, StoreError> {
        let query = Query::select()
            .columns(PRODUCT_COLUMNS)
            .from(Products::Table)
            .and_where(Expr::col(Products::Id).eq(id.to_string()))
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_optional(&mut conn, &query).await?.as_ref().map(product_from_row).transpose()
    }

    /// The products with these SKUs, by SKU.
    pub async fn products_by_sku(&self, skus: &[String]) -> Result<HashMap<String, Product>, StoreError> {
        let mut found = HashMap::new();
        let mut conn = self.reader().await?;
        for chunk in skus.chunks(500) {
            let query = Query::select()
                .columns(PRODUCT_COLUMNS)
                .from(Products::Table)
                .and_where(Expr::col(Products::Sku).is_in(chunk.iter().map(String::as_str)))
                .to_owned();
            for row in fetch_all(&mut conn, &query).await? {
                let product = product_from_row(&row)?;
                found.insert(product.data.sku.clone(), product);
            }
        }
        Ok(found)
    }

    pub async fn order(&self, scope: &Scope, id: OrderId) -> Result<Option<Order>, StoreError> {
        let mut conn = self.reader().await?;
        get_order(&mut conn, scope, id).await
    }

    /// Orders newest first, of a contact or of every contact in scope.
    pub async fn orders(
        &self,
        scope: &Scope,
        contact_id: Option<ContactId>,
        page: &PageRequest,
    ) -> Result<Page<Order>, StoreError> {
        let mut query = orders_in(scope);
        if let Some(contact_id) = contact_id {
            query.and_where(Expr::col(Orders::ContactId).eq(contact_id.to_string()));
        }
        let keyset = Keyset::new("orders", Orders::OrderedAt, false, Orders::Id, true);
        let mut conn = self.reader().await?;
        let page = fetch_page(&mut conn, query, &keyset, page, order_from_row).await?;
        let mut orders = page.items;
        fill_lines(&mut conn, &mut orders).await?;
        Ok(Page { items: orders, next_cursor: page.next_cursor })
    }
}

impl Tx {
    pub async fn insert_product(&mut self, product: &Product) -> Result<(), StoreError> {
        let data = &product.data;
        let names: BTreeMap<String, &str> =
            data.names.iter().map(|(language, name)| (language.to_string(), name.as_str())).collect();
        let insert = Query::insert()
            .into_table(Products::Table)
            .columns(PRODUCT_COLUMNS)
            .values_panic([
                product.id.to_string().into(),
                data.sku.as_str().into(),
                serde_json::to_string(&names).unwrap_or_else(|_| "{}".into()).into(),
                data.category.as_ref().map(ToString::to_string).into(),
                data.price.minor.into(),
                data.price.currency.to_string().into(),
                product.created_at.as_microsecond().into(),
            ])
            .to_owned();
        execute(self, &insert).await.map_err(|err| conflict_on(err, "sku"))?;
        Ok(())
    }

    /// The order numbers among `external_ids` that are already stored.
    pub async fn known_order_numbers(&mut self, external_ids: &[&ExternalId]) -> Result<HashSet<String>, StoreError> {
        let mut known = HashSet::new();
        for chunk in external_ids.chunks(500) {
            let query = Query::select()
                .column(Orders::ExternalId)
                .from(Orders::Table)
                .and_where(Expr::col(Orders::ExternalId).is_in(chunk.iter().map(|id| id.as_str())))
                .to_owned();
            for row in fetch_all(self, &query).await? {
                known.insert(row.try_get::<String, _>("external_id")?);
            }
        }
        Ok(known)
    }

    pub async fn insert_orders(&mut self, orders: &[Order]) -> Result<(), StoreError> {
        for order in orders {
            let total = order.total().ok_or_else(|| StoreError::Corrupt("an order's total overflows".into()))?;
            let insert = Query::insert()
                .into_table(Orders::Table)
                .columns(ORDER_COLUMNS)
                .values_panic([
                    order.id.to_string().into(),
                    order.contact_id.to_string().into(),
                    order.external_id.as_ref().map(ToString::to_string).into(),
                    order.ordered_at.as_microsecond().into(),
                    order.branch_id.map(|id| id.to_string()).into(),
                    total.minor.into(),
                    total.currency.to_string().into(),
                    order.created_at.as_microsecond().into(),
                ])
                .to_owned();
            execute(self, &insert).await.map_err(|err| conflict_on(err, "order_number"))?;
            let mut lines = Query::insert()
                .into_table(OrderLines::Table)
                .columns([
                    OrderLines::OrderId,
                    OrderLines::Position,
                    OrderLines::ProductId,
                    OrderLines::Quantity,
                    OrderLines::UnitPriceMinor,
                    OrderLines::Currency,
                ])
                .to_owned();
            for (position, line) in order.lines.iter().enumerate() {
                lines.values_panic([
                    order.id.to_string().into(),
                    i64::try_from(position).unwrap_or(i64::MAX).into(),
                    line.product_id.to_string().into(),
                    i64::from(line.quantity).into(),
                    line.unit_price.minor.into(),
                    line.unit_price.currency.to_string().into(),
                ]);
            }
            execute(self, &lines).await?;
        }
        Ok(())
    }
}

async fn get_order(db: &mut impl Exec, scope: &Scope, id: OrderId) -> Result<Option<Order>, StoreError> {
    let query = orders_in(scope).and_where(Expr::col(Orders::Id).eq(id.to_string())).to_owned();
    let Some(row) = fetch_optional(db, &query).await? else { return Ok(None) };
    let mut orders = vec![order_from_row(&row)?];
    fill_lines(db, &mut orders).await?;
    Ok(orders.pop())
}

/// Reads the lines of these orders (one query) into them.
pub(crate) async fn fill_lines(db: &mut impl Exec, orders: &mut [Order]) -> Result<(), StoreError> {
    if orders.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = orders.iter().map(|order| order.id.to_string()).collect();
    let query = Query::select()
        .columns([
            OrderLines::OrderId,
            OrderLines::ProductId,
            OrderLines::Quantity,
            OrderLines::UnitPriceMinor,
            OrderLines::Currency,
        ])
        .from(OrderLines::Table)
        .and_where(Expr::col(OrderLines::OrderId).is_in(ids.iter().map(String::as_str)))
        .order_by(OrderLines::OrderId, SortOrder::Asc)
        .order_by(OrderLines::Position, SortOrder::Asc)
        .to_owned();
    let mut by_order: HashMap<String, Vec<OrderLine>> = HashMap::new();
    for row in fetch_all(db, &query).await? {
        let corrupt = |what: &str| StoreError::Corrupt(format!("order_lines.{what}"));
        let order_id: String = row.try_get("order_id")?;
        let product_id: String = row.try_get("product_id")?;
        let quantity: i64 = row.try_get("quantity")?;
        let currency: String = row.try_get("currency")?;
        by_order.entry(order_id).or_default().push(OrderLine {
            product_id: product_id.parse().map_err(|_| corrupt("product_id"))?,
            quantity: u32::try_from(quantity).map_err(|_| corrupt("quantity"))?,
            unit_price: Money {
                minor: row.try_get("unit_price_minor")?,
                currency: Currency::parse(&currency).map_err(|_| corrupt("currency"))?,
            },
        });
    }
    for order in orders {
        order.lines = by_order.remove(&order.id.to_string()).unwrap_or_default();
    }
    Ok(())
}

fn product_from_row(row: &AnyRow) -> Result<Product, StoreError> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("product {id}: {what}"));
    let names_json: String = row.try_get("names")?;
    let names: BTreeMap<String, String> = serde_json::from_str(&names_json).map_err(|_| corrupt("names"))?;
    let category: Option<String> = row.try_get("category")?;
    let currency: String = row.try_get("currency")?;
    Ok(Product {
        id: id.parse().map_err(|_| corrupt("id"))?,
        data: ProductData {
            sku: row.try_get("sku")?,
            names: names
                .iter()
                .map(|(language, name)| {
                    Ok((
                        LanguageTag::parse(language).map_err(|_| corrupt("names"))?,
                        ShortText::parse(name).map_err(|_| corrupt("names"))?,
                    ))
                })
                .collect::<Result<_, StoreError>>()?,
            category: category.map(|c| ShortText::parse(&c).map_err(|_| corrupt("category"))).transpose()?,
            price: Money {
                minor: row.try_get("price_minor")?,
                currency: Currency::parse(&currency).map_err(|_| corrupt("currency"))?,
            },
        },
        created_at: instant(row, "created_at")?,
    })
}

/// An order without its lines (see [`fill_lines`]).
pub(crate) fn order_from_row(row: &AnyRow) -> Result<Order, StoreError> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("order {id}: {what}"));
    let contact_id: String = row.try_get("contact_id")?;
    let external_id: Option<String> = row.try_get("external_id")?;
    let branch_id: Option<String> = row.try_get("branch_id")?;
    Ok(Order {
        id: id.parse().map_err(|_| corrupt("id"))?,
        contact_id: contact_id.parse().map_err(|_| corrupt("contact_id"))?,
        external_id: external_id.map(|raw| ExternalId::parse(&raw).map_err(|_| corrupt("external_id"))).transpose()?,
        ordered_at: instant(row, "ordered_at")?,
        lines: Vec::new(),
        branch_id: branch_id.map(|raw| raw.parse().map_err(|_| corrupt("branch_id"))).transpose()?,
        created_at: instant(row, "created_at")?,
    })
}
