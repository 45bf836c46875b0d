//! The catalogue (products with names in several languages and a price) and orders
//! with their lines: what customers bought, for lifetime value and recommendations.

use jiff::Timestamp;

use crate::{
    ContactId, Currency, ExternalId, LanguageTag, Money, OrderId, ProductId, ShortText, ValidationErrors, ValueError,
};

/// A product as typed.
#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    pub sku: Option<String>,
    /// Names by language (BCP 47): `[("en", "Cold storage unit"), ("ta", "குளிர்பதன அலகு")]`.
    pub names: Vec<(String, String)>,
    pub category: Option<String>,
    pub price: Option<String>,
    /// ISO 4217; INR when not given.
    pub currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductData {
    /// The stock-keeping unit: upper-case, unique.
    pub sku: String,
    pub names: Vec<(LanguageTag, ShortText)>,
    pub category: Option<ShortText>,
    pub price: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: ProductId,
    pub data: ProductData,
    pub created_at: Timestamp,
}

impl ProductData {
    pub fn parse(input: &ProductInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let sku = errors.check_required("sku", input.sku.as_deref(), parse_sku);
        let mut names = Vec::with_capacity(input.names.len());
        for (language, name) in &input.names {
            let field = format!("names.{language}");
            let language = errors.check(&field, LanguageTag::parse(language));
            let name = errors.check(&field, ShortText::parse(name));
            if let (Some(language), Some(name)) = (language, name) {
                names.push((language, name));
            }
        }
        if input.names.is_empty() {
            errors.push("names", "give the product's name in at least one language");
        }
        let category = errors.check_opt("category", input.category.as_deref(), ShortText::parse);
        let currency =
            errors.check_opt("currency", input.currency.as_deref(), Currency::parse).unwrap_or(Currency::INR);
        let price = errors.check_required("price", input.price.as_deref(), |raw| Money::parse(raw, currency));
        if price.is_some_and(|price| price.minor < 0) {
            errors.push("price", "must not be negative");
        }
        errors.into_result()?;
        match (sku, price) {
            (Some(sku), Some(price)) => Ok(Self { sku, names, category, price }),
            _ => Err(ValidationErrors::single("product", "is incomplete")),
        }
    }

    /// The name in `language`, else its primary language, else English, else the first.
    pub fn name_in(&self, language: Option<&LanguageTag>) -> &str {
        let find = |tag: &str| self.names.iter().find(|(l, _)| l.as_str().eq_ignore_ascii_case(tag));
        language
            .and_then(|language| find(language.as_str()).or_else(|| find(language.primary())))
            .or_else(|| find("en"))
            .or(self.names.first())
            .map_or("", |(_, name)| name.as_str())
    }
}

/// A SKU: letters, digits, `-`, `_`, `.` and `/`, at most 64, upper-cased.
pub fn parse_sku(raw: &str) -> Result<String, ValueError> {
    let sku = raw.trim().to_uppercase();
    let valid = !sku.is_empty()
        && sku.len() <= 64
        && sku.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    valid.then_some(sku).ok_or_else(|| ValueError::new("must be letters, digits, '-', '_', '.' or '/', at most 64"))
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    pub product_id: ProductId,
    pub quantity: u32,
    pub unit_price: Money,
}

impl OrderLine {
    pub fn total(&self) -> Option<i64> {
        self.unit_price.minor.checked_mul(i64::from(self.quantity))
    }
}

/// A valid order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: OrderId,
    pub contact_id: ContactId,
    /// The order's number in the system it came from; re-imports skip known numbers.
    pub external_id: Option<ExternalId>,
    pub ordered_at: Timestamp,
    pub lines: Vec<OrderLine>,
    pub branch_id: Option<crate::BranchId>,
    pub created_at: Timestamp,
}

impl Order {
    /// The sum of the lines, in the currency of the first (an order has one currency).
    pub fn total(&self) -> Option<Money> {
        let currency = self.lines.first()?.unit_price.currency;
        let minor = self.lines.iter().try_fold(0_i64, |sum, line| sum.checked_add(line.total()?))?;
        Some(Money { minor, currency })
    }

    /// Checks that an order has lines, positive quantities and one currency.
    pub fn check_lines(lines: &[OrderLine]) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if lines.is_empty() {
            errors.push("lines", "an order has at least one line");
        }
        for (idx, line) in lines.iter().enumerate() {
            if line.quantity == 0 {
                errors.push(format!("lines[{idx}].quantity"), "must be at least 1");
            }
            if line.unit_price.currency != lines[0].unit_price.currency {
                errors.push(format!("lines[{idx}].unit_price"), "an order is in one currency");
            }
            if line.total().is_none() {
                errors.push(format!("lines[{idx}]"), "is too large");
            }
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_product_has_a_sku_names_and_a_price() {
        let product = ProductData::parse(&ProductInput {
            sku: Some(" cs-200l ".into()),
            names: vec![("en".into(), "Cold storage unit".into()), ("ta".into(), "குளிர்பதன அலகு".into())],
            category: Some("Refrigeration".into()),
            price: Some("1,85,000".into()),
            currency: None,
        })
        .unwrap();
        assert_eq!((product.sku.as_str(), product.price.minor), ("CS-200L", 18_500_000));
        let ta_in = LanguageTag::parse("ta-IN").unwrap();
        assert_eq!(product.name_in(Some(&ta_in)), "குளிர்பதன அலகு");
        assert_eq!(product.name_in(Some(&LanguageTag::parse("gu").unwrap())), "Cold storage unit");
        let errors =
            ProductData::parse(&ProductInput { sku: Some("a b".into()), ..ProductInput::default() }).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["sku", "names", "price"]);
    }

    #[test]
    fn an_order_totals_its_lines_in_one_currency() {
        let inr = |minor| Money { minor, currency: Currency::INR };
        let product = ProductId::from_uuid(uuid::Uuid::from_u128(1));
        let lines = vec![
            OrderLine { product_id: product, quantity: 2, unit_price: inr(18_500_000) },
            OrderLine { product_id: product, quantity: 1, unit_price: inr(250_000) },
        ];
        assert!(Order::check_lines(&lines).is_ok());
        let order = Order {
            id: OrderId::from_uuid(uuid::Uuid::from_u128(2)),
            contact_id: ContactId::from_uuid(uuid::Uuid::from_u128(3)),
            external_id: None,
            ordered_at: Timestamp::UNIX_EPOCH,
            lines,
            branch_id: None,
            created_at: Timestamp::UNIX_EPOCH,
        };
        assert_eq!(order.total().unwrap().indian_format(), "3,72,500.00");
        let usd = Money { minor: 100, currency: Currency::parse("USD").unwrap() };
        let mixed = vec![order.lines[0].clone(), OrderLine { product_id: product, quantity: 0, unit_price: usd }];
        assert_eq!(Order::check_lines(&mixed).unwrap_err().0.len(), 2);
    }
}
