//! A contact's timeline (interactions, newest first) and needs.

use jiff::Timestamp;
use sambandh_domain::{
    CallOutcome, ContactId, Deal, Direction, Interaction, InteractionData, InteractionId, InteractionKind, LanguageTag,
    LongText, Need, NeedData, Scope, ShortText,
};
use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{execute, fetch_all};
use crate::schema::{Deals, Interactions, Needs, Orders};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

const INTERACTION_COLUMNS: [Interactions; 13] = [
    Interactions::Id,
    Interactions::ContactId,
    Interactions::Kind,
    Interactions::OccurredAt,
    Interactions::StaffId,
    Interactions::Direction,
    Interactions::DurationSeconds,
    Interactions::Outcome,
    Interactions::Language,
    Interactions::Subject,
    Interactions::Text,
    Interactions::Page,
    Interactions::CreatedAt,
];

const NEED_COLUMNS: [Needs; 8] = [
    Needs::Id,
    Needs::ContactId,
    Needs::Text,
    Needs::TextKey,
    Needs::LearntFrom,
    Needs::NotedOn,
    Needs::RecordedBy,
    Needs::CreatedAt,
];

/// One entry of a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineEntry {
    Interaction(Interaction),
    /// A deal, placed at the time it was opened.
    Deal(Deal),
    Order(sambandh_domain::Order),
}

impl TimelineEntry {
    /// Where the entry stands in the timeline.
    pub fn at(&self) -> Timestamp {
        match self {
            Self::Interaction(interaction) => interaction.data.occurred_at,
            Self::Deal(deal) => deal.created_at,
            Self::Order(order) => order.ordered_at,
        }
    }

    fn id(&self) -> String {
        match self {
            Self::Interaction(interaction) => interaction.id.to_string(),
            Self::Deal(deal) => deal.id.to_string(),
            Self::Order(order) => order.id.to_string(),
        }
    }
}

const TIMELINE_CURSOR: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn encode_cursor(micros: i64, id: &str) -> String {
    use base64::Engine as _;
    TIMELINE_CURSOR.encode(serde_json::json!(["timeline", micros, id]).to_string())
}

fn decode_cursor(cursor: &str) -> Result<(i64, String), StoreError> {
    use base64::Engine as _;
    let bytes = TIMELINE_CURSOR.decode(cursor).map_err(|_| StoreError::BadCursor)?;
    let (name, micros, id): (String, i64, String) =
        serde_json::from_slice(&bytes).map_err(|_| StoreError::BadCursor)?;
    if name != "timeline" {
        return Err(StoreError::BadCursor);
    }
    Ok((micros, id))
}

/// Only rows of the contact, and only if the contact is in scope.
fn of_contact(query: &mut SelectStatement, column: Interactions, scope: &Scope, contact_id: ContactId) {
    query.and_where(Expr::col(column).eq(contact_id.to_string()));
    if let Some(in_scope) = scope::contact_ids(scope) {
        query.and_where(Expr::col(column).in_subquery(in_scope));
    }
}

impl Store {
    /// A contact's timeline, newest first, a page at a time: its interactions (by when
    /// they happened), its deals (by when they were opened) and its orders, merged.
    ///
    /// Each source is read in the timeline's order from the cursor on, one page and
    /// one row deep, through its own index; the pages are merged in memory. The cursor
    /// is the last entry's (instant, id).
    ///
    /// One `UNION ALL` of the three, to save two round trips, was measured slower on
    /// PostgreSQL (2,240 against 2,650 pages/s at 16 connections): its rows carry every
    /// source's columns, and sqlx's `Any` driver converts each column of each row.
    pub async fn timeline(
        &self,
        scope: &Scope,
        contact_id: ContactId,
        page: &PageRequest,
    ) -> Result<Page<TimelineEntry>, StoreError> {
        let limit = page.effective_limit();
        let after = page.cursor.as_deref().map(decode_cursor).transpose()?;
        // A source's page: after the cursor, newest first, one row more than the page.
        let paged = |query: &mut SelectStatement, at: Expr, id: Expr| {
            if let Some((micros, last_id)) = &after {
                query.cond_where(
                    Cond::any()
                        .add(at.clone().lt(*micros))
                        .add(Cond::all().add(at.clone().eq(*micros)).add(id.clone().lt(last_id.as_str()))),
                );
            }
            query.order_by_expr(at, Order::Desc).order_by_expr(id, Order::Desc).limit(limit + 1);
        };
        let mut interactions = Query::select().columns(INTERACTION_COLUMNS).from(Interactions::Table).to_owned();
        of_contact(&mut interactions, Interactions::ContactId, scope, contact_id);
        paged(&mut interactions, Expr::col(Interactions::OccurredAt), Expr::col(Interactions::Id));
        let mut deals = crate::deals::of_contact(scope, contact_id);
        paged(&mut deals, Expr::col(Deals::CreatedAt), Expr::col(Deals::Id));
        let mut orders = crate::orders::orders_in(scope)
            .and_where(Expr::col(Orders::ContactId).eq(contact_id.to_string()))
            .to_owned();
        paged(&mut orders, Expr::col(Orders::OrderedAt), Expr::col(Orders::Id));

        let mut conn = self.reader().await?;
        let mut entries: Vec<TimelineEntry> = Vec::new();
        for row in fetch_all(&mut conn, &interactions).await? {
            entries.push(TimelineEntry::Interaction(interaction_from_row(&row)?));
        }
        for row in fetch_all(&mut conn, &deals).await? {
            entries.push(TimelineEntry::Deal(crate::deals::from_row(&row)?));
        }
        for row in fetch_all(&mut conn, &orders).await? {
            entries.push(TimelineEntry::Order(crate::orders::order_from_row(&row)?));
        }
        entries.sort_by_key(|entry| std::cmp::Reverse((entry.at(), entry.id())));
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let next_cursor = if entries.len() > limit {
            entries.truncate(limit);
            entries.last().map(|last| encode_cursor(last.at().as_microsecond(), &last.id()))
        } else {
            None
        };
        let mut page_orders: Vec<sambandh_domain::Order> = entries
            .iter()
            .filter_map(|entry| match entry {
                TimelineEntry::Order(order) => Some(order.clone()),
                _ => None,
            })
            .collect();
        crate::orders::fill_lines(&mut conn, &mut page_orders).await?;
        let mut filled = page_orders.into_iter();
        for entry in &mut entries {
            if let TimelineEntry::Order(order) = entry
                && let Some(with_lines) = filled.next()
            {
                *order = with_lines;
            }
        }
        Ok(Page { items: entries, next_cursor })
    }

    /// A contact's needs and interests, newest first.
    pub async fn needs(&self, scope: &Scope, contact_id: ContactId) -> Result<Vec<Need>, StoreError> {
        let mut query = Query::select()
            .columns(NEED_COLUMNS)
            .from(Needs::Table)
            .and_where(Expr::col(Needs::ContactId).eq(contact_id.to_string()))
            .order_by(Needs::NotedOn, Order::Desc)
            .order_by(Needs::Id, Order::Desc)
            .to_owned();
        if let Some(in_scope) = scope::contact_ids(scope) {
            query.and_where(Expr::col(Needs::ContactId).in_subquery(in_scope));
        }
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query).await?.iter().map(need_from_row).collect()
    }
}

impl Tx {
    pub async fn insert_interaction(&mut self, interaction: &Interaction) -> Result<(), StoreError> {
        let data = &interaction.data;
        let insert = Query::insert()
            .into_table(Interactions::Table)
            .columns(INTERACTION_COLUMNS)
            .values_panic([
                interaction.id.to_string().into(),
                interaction.contact_id.to_string().into(),
                data.kind.as_str().into(),
                data.occurred_at.as_microsecond().into(),
                data.staff_id.map(|id| id.to_string()).into(),
                data.direction.map(|d| d.as_str().to_owned()).into(),
                data.duration_seconds.map(i64::from).into(),
                data.outcome.map(|o| o.as_str().to_owned()).into(),
                data.language.as_ref().map(ToString::to_string).into(),
                data.subject.as_ref().map(ToString::to_string).into(),
                data.text.as_ref().map(ToString::to_string).into(),
                data.page.as_ref().map(ToString::to_string).into(),
                interaction.created_at.as_microsecond().into(),
            ])
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    pub async fn insert_need(&mut self, need: &Need) -> Result<(), StoreError> {
        let data = &need.data;
        let insert = Query::insert()
            .into_table(Needs::Table)
            .columns(NEED_COLUMNS)
            .values_panic([
                need.id.to_string().into(),
                need.contact_id.to_string().into(),
                data.text.as_str().into(),
                data.text.as_str().to_lowercase().into(),
                data.learnt_from.map(|id| id.to_string()).into(),
                data.noted_on.to_string().into(),
                need.recorded_by.map(|id| id.to_string()).into(),
                need.created_at.as_microsecond().into(),
            ])
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    /// Whether the interaction exists and belongs to the contact.
    pub async fn interaction_of(&mut self, contact_id: ContactId, id: InteractionId) -> Result<bool, StoreError> {
        let query = Query::select()
            .column(Interactions::Id)
            .from(Interactions::Table)
            .and_where(Expr::col(Interactions::Id).eq(id.to_string()))
            .and_where(Expr::col(Interactions::ContactId).eq(contact_id.to_string()))
            .to_owned();
        Ok(crate::db::fetch_optional(self, &query).await?.is_some())
    }

    /// Removes what a contact's interactions and needs say (their free text), keeping
    /// that they happened: kind, time, staff, direction, duration, outcome.
    pub async fn erase_timeline(&mut self, contact_id: ContactId) -> Result<(), StoreError> {
        let none = || Expr::value(Option::<String>::None);
        let redact = Query::update()
            .table(Interactions::Table)
            .value(Interactions::Subject, none())
            .value(Interactions::Text, none())
            .value(Interactions::Page, none())
            .and_where(Expr::col(Interactions::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &redact).await?;
        let needs = Query::delete()
            .from_table(Needs::Table)
            .and_where(Expr::col(Needs::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &needs).await?;
        Ok(())
    }
}

/// The ids of contacts with a need or interest whose text contains `text` (any case).
pub(crate) fn contacts_with_need(text: &str) -> SelectStatement {
    let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
    Query::select()
        .column(Needs::ContactId)
        .from(Needs::Table)
        .and_where(Expr::col(Needs::TextKey).like(pattern))
        .to_owned()
}

fn corrupt(column: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{column}: {err}"))
}

fn interaction_from_row(row: &AnyRow) -> Result<Interaction, StoreError> {
    let optional =
        |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let kind: String = row.try_get("kind")?;
    let duration: Option<i64> = row.try_get("duration_seconds")?;
    let data = InteractionData {
        kind: InteractionKind::parse(&kind).map_err(|e| corrupt("interactions.kind", e))?,
        occurred_at: instant(row, "occurred_at")?,
        staff_id: optional("staff_id")?
            .map(|id| id.parse().map_err(|e| corrupt("interactions.staff_id", e)))
            .transpose()?,
        direction: optional("direction")?
            .map(|raw| Direction::parse(&raw).map_err(|e| corrupt("interactions.direction", e)))
            .transpose()?,
        duration_seconds: duration
            .map(|seconds| u32::try_from(seconds).map_err(|e| corrupt("interactions.duration_seconds", e)))
            .transpose()?,
        outcome: optional("outcome")?
            .map(|raw| CallOutcome::parse(&raw).map_err(|e| corrupt("interactions.outcome", e)))
            .transpose()?,
        language: optional("language")?
            .map(|raw| LanguageTag::parse(&raw).map_err(|e| corrupt("interactions.language", e)))
            .transpose()?,
        subject: optional("subject")?
            .map(|raw| ShortText::parse(&raw).map_err(|e| corrupt("interactions.subject", e)))
            .transpose()?,
        text: optional("text")?
            .map(|raw| LongText::parse(&raw).map_err(|e| corrupt("interactions.text", e)))
            .transpose()?,
        page: optional("page")?
            .map(|raw| ShortText::parse(&raw).map_err(|e| corrupt("interactions.page", e)))
            .transpose()?,
    };
    let id: String = row.try_get("id")?;
    let contact_id: String = row.try_get("contact_id")?;
    Ok(Interaction {
        id: id.parse().map_err(|e| corrupt("interactions.id", e))?,
        contact_id: contact_id.parse().map_err(|e| corrupt("interactions.contact_id", e))?,
        data,
        created_at: instant(row, "created_at")?,
    })
}

fn need_from_row(row: &AnyRow) -> Result<Need, StoreError> {
    let id: String = row.try_get("id")?;
    let contact_id: String = row.try_get("contact_id")?;
    let text: String = row.try_get("text")?;
    let learnt_from: Option<String> = row.try_get("learnt_from")?;
    let noted_on: String = row.try_get("noted_on")?;
    let recorded_by: Option<String> = row.try_get("recorded_by")?;
    Ok(Need {
        id: id.parse().map_err(|e| corrupt("needs.id", e))?,
        contact_id: contact_id.parse().map_err(|e| corrupt("needs.contact_id", e))?,
        data: NeedData {
            text: ShortText::parse(&text).map_err(|e| corrupt("needs.text", e))?,
            learnt_from: learnt_from.map(|id| id.parse().map_err(|e| corrupt("needs.learnt_from", e))).transpose()?,
            noted_on: noted_on.parse().map_err(|e| corrupt("needs.noted_on", e))?,
        },
        recorded_by: recorded_by.map(|id| id.parse().map_err(|e| corrupt("needs.recorded_by", e))).transpose()?,
        created_at: instant(row, "created_at")?,
    })
}
