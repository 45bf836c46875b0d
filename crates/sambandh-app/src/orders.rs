//! The catalogue and customers' orders: made one by one, or imported from CSV with
//! the same rejects discipline as contacts.
//!
//! An imported file has a row per order line: `order_number, contact, ordered_at, sku,
//! quantity, unit_price, currency`. Rows with one `order_number` make one order; an
//! order with any bad row is rejected whole, each of its rows reported with its row
//! number and reason. `contact` is the customer's e-mail, phone or external id. An
//! order number already imported is skipped, so importing a file again adds nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use jiff::Timestamp;
use sambandh_domain::{
    Action, ContactId, Currency, EmailAddress, ExternalId, Money, Order, OrderId, OrderLine, PhoneE164, Product,
    ProductData, ProductId, ProductInput, RuleTrigger, Scope, ValidationErrors, parse_sku,
};
use sambandh_store::{Page, PageRequest};
use serde_json::json;

use crate::audit::action;
use crate::imports::{Rejection, csv_reader, next_record};
use crate::{App, AppError, AppResult, Caller};

/// An order as typed.
#[derive(Debug, Clone, Default)]
pub struct OrderInput {
    /// The contact's id.
    pub contact: Option<String>,
    pub order_number: Option<String>,
    /// RFC 3339, or a date (midnight in UTC); now when not given.
    pub ordered_at: Option<String>,
    pub lines: Vec<OrderLineInput>,
}

#[derive(Debug, Clone, Default)]
pub struct OrderLineInput {
    pub sku: Option<String>,
    pub quantity: Option<String>,
    /// The product's price when not given.
    pub unit_price: Option<String>,
    pub currency: Option<String>,
}

/// What an orders import did.
#[derive(Debug, Clone, Default)]
pub struct OrdersReport {
    pub created: u64,
    /// Orders whose number was already imported.
    pub skipped: u64,
    pub rejections: Vec<Rejection>,
    pub headers: Vec<String>,
}

impl OrdersReport {
    /// The last line the CLI prints: `imported N orders, skipped S, rejected R rows`.
    pub fn summary(&self) -> String {
        format!(
            "imported {} orders, skipped {} already imported, rejected {} rows",
            self.created,
            self.skipped,
            self.rejections.len()
        )
    }
}

/// A row of a file: its line number and its cells.
type Row = (u64, Vec<String>);
/// The rows of one order, under its number.
type OrderRows = (String, Vec<Row>);

/// The headers an orders file may have.
pub const ORDER_COLUMNS: &[&str] =
    &["order_number", "contact", "ordered_at", "sku", "quantity", "unit_price", "currency"];

impl App {
    pub async fn products(&self, caller: &Caller, page: &PageRequest) -> AppResult<Page<Product>> {
        caller.require(Action::Read)?;
        Ok(self.store.products(page).await?)
    }

    pub async fn product(&self, caller: &Caller, id: ProductId) -> AppResult<Product> {
        caller.require(Action::Read)?;
        self.store.product(id).await?.ok_or(AppError::NotFound)
    }

    /// Adds a product to the catalogue (owners and admins).
    pub async fn create_product(&self, caller: &Caller, input: &ProductInput) -> AppResult<Product> {
        caller.require(Action::Configure)?;
        let product = Product {
            id: ProductId::from_uuid(crate::new_uuid()),
            data: ProductData::parse(input)?,
            created_at: crate::now(),
        };
        let details = json!({"sku": product.data.sku});
        let mut tx = self.store.begin().await?;
        tx.insert_product(&product).await?;
        tx.append_audit(&[self.audit_entry(
            caller,
            action::CREATE,
            Some(("product", product.id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(product)
    }

    pub async fn order(&self, caller: &Caller, id: OrderId) -> AppResult<Order> {
        caller.require(Action::Read)?;
        self.store.order(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }

    pub async fn orders(
        &self,
        caller: &Caller,
        contact_id: Option<ContactId>,
        page: &PageRequest,
    ) -> AppResult<Page<Order>> {
        caller.require(Action::Read)?;
        Ok(self.store.orders(&caller.scope(), contact_id, page).await?)
    }

    /// Records an order of a contact in the caller's scope.
    pub async fn create_order(&self, caller: &Caller, input: &OrderInput) -> AppResult<Order> {
        caller.require(Action::Write)?;
        let mut errors = ValidationErrors::default();
        let contact_id = errors.check_required("contact", input.contact.as_deref(), str::parse::<ContactId>);
        let external_id = errors.check_opt("order_number", input.order_number.as_deref(), ExternalId::parse);
        let ordered_at = match input.ordered_at.as_deref().map(str::trim).filter(|raw| !raw.is_empty()) {
            Some(raw) => errors.check("ordered_at", parse_instant(raw)),
            None => Some(crate::now()),
        };
        let skus: Vec<String> =
            input.lines.iter().filter_map(|line| line.sku.as_deref().and_then(|sku| parse_sku(sku).ok())).collect();
        let products = self.store.products_by_sku(&skus).await?;
        let lines: Vec<OrderLine> = input
            .lines
            .iter()
            .enumerate()
            .filter_map(|(idx, line)| parse_line(line, &products, &format!("lines[{idx}]."), &mut errors))
            .collect();
        if input.lines.is_empty() {
            errors.push("lines", "an order has at least one line");
        }
        errors.into_result()?;
        Order::check_lines(&lines)?;
        let (Some(contact_id), Some(ordered_at)) = (contact_id, ordered_at) else {
            return Err(ValidationErrors::single("order", "is incomplete").into());
        };
        let mut tx = self.store.begin().await?;
        let contact = tx
            .contact(&caller.scope(), contact_id)
            .await?
            .ok_or_else(|| AppError::from(ValidationErrors::single("contact", "no such record")))?;
        let order = Order {
            id: OrderId::from_uuid(crate::new_uuid()),
            contact_id,
            external_id,
            ordered_at,
            lines,
            branch_id: contact.data.branch_id,
            created_at: crate::now(),
        };
        tx.insert_orders(std::slice::from_ref(&order)).await?;
        let assignee = contact.data.owner_id.or(caller.user_id());
        crate::tasks::fire_rules(&mut tx, &placed_event(&order, assignee)).await?;
        let details = json!({"contact_id": contact_id.to_string(), "lines": order.lines.len()});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::CREATE,
            Some(("order", order.id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Imports orders from CSV (see the module docs). Owners and admins, as for contacts.
    pub async fn import_orders(&self, caller: &Caller, source: impl Read) -> AppResult<OrdersReport> {
        caller.require(Action::Import)?;
        let mut reader = csv_reader(source)?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|err| AppError::BadRequest(format!("the file has no readable header row: {err}")))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        for required in ["order_number", "contact", "sku", "quantity"] {
            if !headers.iter().any(|h| h == required) {
                return Err(AppError::BadRequest(format!(
                    "the file needs a '{required}' column; its columns can be {}",
                    ORDER_COLUMNS.join(", ")
                )));
            }
        }
        let column = |name: &str| headers.iter().position(|h| h == name);
        let mut report = OrdersReport { headers: headers.clone(), ..OrdersReport::default() };

        // Read the rows, grouped by order number in the order they first appear.
        let mut groups: BTreeMap<usize, OrderRows> = BTreeMap::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        let mut record = csv::StringRecord::new();
        while let Some(next) = next_record(&mut reader, &mut record) {
            let row = match next {
                Ok(row) => row,
                Err(rejection) => {
                    report.rejections.push(rejection);
                    continue;
                }
            };
            let cells: Vec<String> = record.iter().map(str::to_owned).collect();
            if cells.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let number =
                column("order_number").and_then(|i| cells.get(i)).map(|c| c.trim().to_owned()).unwrap_or_default();
            if number.is_empty() {
                report.rejections.push(Rejection { row, reason: "order_number: is required".into(), cells });
                continue;
            }
            let next_index = group_of.len();
            let index = *group_of.entry(number.clone()).or_insert(next_index);
            groups.entry(index).or_insert_with(|| (number, Vec::new())).1.push((row, cells));
        }

        let mut skus: Vec<String> = Vec::new();
        for (_, rows) in groups.values() {
            for (_, cells) in rows {
                if let Some(sku) = column("sku").and_then(|i| cells.get(i)).and_then(|raw| parse_sku(raw).ok()) {
                    skus.push(sku);
                }
            }
        }
        let products = self.store.products_by_sku(&skus).await?;
        let now = crate::now();
        let groups: Vec<OrderRows> = groups.into_values().collect();
        for chunk in groups.chunks(crate::imports::BATCH_ROWS) {
            let mut tx = self.store.begin().await?;
            let numbers: Vec<ExternalId> =
                chunk.iter().filter_map(|(number, _)| ExternalId::parse(number).ok()).collect();
            let known = tx.known_order_numbers(&numbers.iter().collect::<Vec<_>>()).await?;
            let mut orders = Vec::new();
            for (number, rows) in chunk {
                if known.contains(number) {
                    report.skipped += 1;
                    continue;
                }
                match self.order_from_rows(&mut tx, number, rows, &column, &products, now).await? {
                    Ok(order) => orders.push(order),
                    Err(mut rejections) => report.rejections.append(&mut rejections),
                }
            }
            tx.insert_orders(&orders).await?;
            for order in &orders {
                let contact = tx.contact(&Scope::Everything, order.contact_id).await?;
                let assignee = contact.and_then(|contact| contact.data.owner_id).or(caller.user_id());
                crate::tasks::fire_rules(&mut tx, &placed_event(order, assignee)).await?;
            }
            let details = json!({"orders": orders.len()});
            tx.append_audit(&[self.audit_entry(caller, action::IMPORT, None, Some(details))]).await?;
            tx.commit().await?;
            report.created += orders.len() as u64;
        }
        report.rejections.sort_by_key(|rejection| rejection.row);
        Ok(report)
    }

    /// One order from its rows, or every row's rejection.
    async fn order_from_rows(
        &self,
        tx: &mut sambandh_store::Tx,
        number: &str,
        rows: &[Row],
        column: &impl Fn(&str) -> Option<usize>,
        products: &HashMap<String, Product>,
        now: Timestamp,
    ) -> AppResult<Result<Order, Vec<Rejection>>> {
        let cell = |cells: &[String], name: &str| -> Option<String> {
            column(name).and_then(|i| cells.get(i)).map(|c| c.trim().to_owned()).filter(|c| !c.is_empty())
        };
        let mut reasons: Vec<(u64, String)> = Vec::new();
        let external_id = match ExternalId::parse(number) {
            Ok(id) => Some(id),
            Err(err) => {
                reasons.push((rows[0].0, format!("order_number: {err}")));
                None
            }
        };
        let (first_row, first_cells) = &rows[0];
        let contact_raw = cell(first_cells, "contact");
        let contact = match contact_raw.as_deref() {
            Some(raw) => self.find_contact(tx, raw).await?,
            None => None,
        };
        if contact.is_none() {
            let raw = contact_raw.unwrap_or_default();
            reasons.push((*first_row, format!("contact: no contact has the e-mail, phone or external id '{raw}'")));
        }
        let ordered_at = match cell(first_cells, "ordered_at") {
            Some(raw) => match parse_instant(&raw) {
                Ok(at) => Some(at),
                Err(err) => {
                    reasons.push((*first_row, format!("ordered_at: {err}")));
                    None
                }
            },
            None => Some(now),
        };
        let mut lines = Vec::new();
        for (row, cells) in rows {
            let input = OrderLineInput {
                sku: cell(cells, "sku"),
                quantity: cell(cells, "quantity"),
                unit_price: cell(cells, "unit_price"),
                currency: cell(cells, "currency"),
            };
            let mut errors = ValidationErrors::default();
            match parse_line(&input, products, "", &mut errors) {
                Some(line) if errors.is_empty() => lines.push(line),
                _ => reasons.push((*row, errors.to_string())),
            }
        }
        if reasons.is_empty()
            && let Err(errors) = Order::check_lines(&lines)
        {
            reasons.push((*first_row, errors.to_string()));
        }
        match (reasons.is_empty(), contact, ordered_at) {
            (true, Some((contact_id, branch_id)), Some(ordered_at)) => Ok(Ok(Order {
                id: OrderId::from_uuid(crate::new_uuid()),
                contact_id,
                external_id,
                ordered_at,
                lines,
                branch_id,
                created_at: now,
            })),
            _ => {
                // The order is rejected whole: every row says why (its own reason, or
                // that another row of the order was bad).
                let own: HashMap<u64, String> = reasons.into_iter().collect();
                Ok(Err(rows
                    .iter()
                    .map(|(row, cells)| Rejection {
                        row: *row,
                        reason: own.get(row).cloned().unwrap_or_else(|| {
                            format!("order {number} has a rejected row; the order is rejected whole")
                        }),
                        cells: cells.clone(),
                    })
                    .collect()))
            }
        }
    }

    /// The contact an imported order names: by e-mail, phone or external id.
    async fn find_contact(
        &self,
        tx: &mut sambandh_store::Tx,
        raw: &str,
    ) -> AppResult<Option<(ContactId, Option<sambandh_domain::BranchId>)>> {
        let external = ExternalId::parse(raw).ok();
        let email = EmailAddress::parse(raw).ok();
        let phone = if email.is_none() { PhoneE164::parse(raw).ok() } else { None };
        let found = tx
            .contacts_with_keys(
                &external.iter().collect::<Vec<_>>(),
                &email.iter().collect::<Vec<_>>(),
                &phone.iter().collect::<Vec<_>>(),
            )
            .await?;
        Ok(found.first().map(|contact| (contact.id, contact.data.branch_id)))
    }
}

/// An order placed, for the follow-up rules.
fn placed_event(order: &Order, assignee_id: Option<sambandh_domain::UserId>) -> crate::tasks::Event {
    crate::tasks::Event {
        trigger: RuleTrigger::OrderPlaced,
        at: order.ordered_at,
        assignee_id,
        contact_id: Some(order.contact_id),
        deal_id: None,
        branch_id: order.branch_id,
    }
}

/// A line from its typed fields; errors are recorded under `prefix`.
fn parse_line(
    input: &OrderLineInput,
    products: &HashMap<String, Product>,
    prefix: &str,
    errors: &mut ValidationErrors,
) -> Option<OrderLine> {
    let product = errors.check_required(&format!("{prefix}sku"), input.sku.as_deref(), |raw| {
        let sku = parse_sku(raw)?;
        products.get(&sku).ok_or_else(|| sambandh_domain::ValueError::new(format!("no product has the SKU {sku}")))
    });
    let quantity = errors.check_required(&format!("{prefix}quantity"), input.quantity.as_deref(), |raw| {
        raw.trim()
            .parse::<u32>()
            .ok()
            .filter(|quantity| *quantity >= 1)
            .ok_or_else(|| sambandh_domain::ValueError::new("must be a whole number from 1"))
    });
    let currency = errors.check_opt(&format!("{prefix}currency"), input.currency.as_deref(), Currency::parse);
    let product = product?;
    let currency = currency.unwrap_or(product.data.price.currency);
    let unit_price = match input.unit_price.as_deref().map(str::trim).filter(|raw| !raw.is_empty()) {
        Some(raw) => errors.check(&format!("{prefix}unit_price"), Money::parse(raw, currency))?,
        None => product.data.price,
    };
    Some(OrderLine { product_id: product.id, quantity: quantity?, unit_price })
}

/// An instant (RFC 3339) or a day (midnight UTC; DD/MM/YYYY too).
fn parse_instant(raw: &str) -> Result<Timestamp, sambandh_domain::ValueError> {
    if let Ok(at) = raw.parse::<Timestamp>() {
        return Ok(at);
    }
    let date = sambandh_domain::parse_civil_date(raw).map_err(|_| {
        sambandh_domain::ValueError::new("must be a date (YYYY-MM-DD, DD/MM/YYYY) or an RFC 3339 instant")
    })?;
    jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .map_err(|err| sambandh_domain::ValueError::new(err.to_string()))
}
