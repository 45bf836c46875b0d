//! Cursor (keyset) pagination shared by every list: `WHERE (key, id) > (last key,
//! last id) ORDER BY key, id LIMIT n + 1`, with the cursor opaque to clients.

use base64::Engine as _;
use sea_query::{DynIden, Expr, ExprTrait, IntoIden, Order, SelectStatement, Value};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Exec, fetch_all};
use crate::{Page, PageRequest, StoreError};

/// The order of a list: a key column (text or integer) and a direction; ties are
/// broken by the id column, which makes the order total and the pages exact.
pub(crate) struct Keyset {
    pub(crate) name: &'static str,
    pub(crate) key: DynIden,
    pub(crate) key_is_text: bool,
    pub(crate) id: DynIden,
    pub(crate) descending: bool,
}

impl Keyset {
    pub(crate) fn new(
        name: &'static str,
        key: impl IntoIden,
        key_is_text: bool,
        id: impl IntoIden,
        descending: bool,
    ) -> Self {
        Self { name, key: key.into_iden(), key_is_text, id: id.into_iden(), descending }
    }

    /// Adds the cursor condition, the order and the limit (one more row than the page,
    /// to learn whether there is a next page). Returns the page size.
    pub(crate) fn apply(&self, query: &mut SelectStatement, page: &PageRequest) -> Result<u64, StoreError> {
        if let Some(cursor) = &page.cursor {
            let (key, after_id) = self.decode(cursor)?;
            let key: Value = if self.key_is_text {
                key.into()
            } else {
                key.parse::<i64>().map_err(|_| StoreError::BadCursor)?.into()
            };
            // `(key, id) > (last key, last id)` as a row value: both engines use an index
            // on (…, key, id) for it, where the spelled-out `key > k OR (key = k AND id >
            // x)` may make them scan.
            let (mine, last) = if self.key.to_string() == self.id.to_string() {
                (Expr::col(self.id.clone()), Expr::val(after_id))
            } else {
                (
                    Expr::tuple([Expr::col(self.key.clone()), Expr::col(self.id.clone())]),
                    Expr::tuple([Expr::val(key), Expr::val(after_id)]),
                )
            };
            query.and_where(if self.descending { mine.lt(last) } else { mine.gt(last) });
        }
        let order = if self.descending { Order::Desc } else { Order::Asc };
        query.order_by(self.key.clone(), order.clone());
        if self.key.to_string() != self.id.to_string() {
            query.order_by(self.id.clone(), order);
        }
        let limit = page.effective_limit();
        query.limit(limit + 1);
        Ok(limit)
    }

    /// Splits fetched rows into the page and the cursor of the next one.
    pub(crate) fn page<'r>(
        &self,
        rows: &'r [AnyRow],
        limit: u64,
    ) -> Result<(&'r [AnyRow], Option<String>), StoreError> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        if rows.len() <= limit {
            return Ok((rows, None));
        }
        let page = &rows[..limit];
        let Some(last) = page.last() else { return Ok((page, None)) };
        let key = if self.key_is_text {
            last.try_get::<String, _>(self.key.to_string().as_str())?
        } else {
            last.try_get::<i64, _>(self.key.to_string().as_str())?.to_string()
        };
        let id: String = last.try_get(self.id.to_string().as_str())?;
        Ok((page, Some(self.encode(&key, &id))))
    }

    fn encode(&self, key: &str, id: &str) -> String {
        let json = serde_json::json!([self.name, self.descending, key, id]);
        CURSOR.encode(json.to_string())
    }

    fn decode(&self, cursor: &str) -> Result<(String, String), StoreError> {
        let bytes = CURSOR.decode(cursor).map_err(|_| StoreError::BadCursor)?;
        let (name, descending, key, id): (String, bool, String, String) =
            serde_json::from_slice(&bytes).map_err(|_| StoreError::BadCursor)?;
        if name != self.name || descending != self.descending {
            return Err(StoreError::BadCursor);
        }
        Ok((key, id))
    }
}

/// Runs a list query in the keyset's order from the page's cursor: a page of rows,
/// each parsed by `parse`, and the cursor of the next page.
pub(crate) async fn fetch_page<T>(
    db: &mut impl Exec,
    mut query: SelectStatement,
    keyset: &Keyset,
    page: &PageRequest,
    parse: impl Fn(&AnyRow) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError> {
    let limit = keyset.apply(&mut query, page)?;
    let rows = fetch_all(db, &query).await?;
    let (rows, next_cursor) = keyset.page(&rows, limit)?;
    let items = rows.iter().map(parse).collect::<Result<_, _>>()?;
    Ok(Page { items, next_cursor })
}

const CURSOR: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
