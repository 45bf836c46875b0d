//! Greetings: the rules and templates, the occasions a contact chose, festival dates an
//! admin set, settings, and the greetings the daily run prepares.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use sambandh_domain::{
    BranchId, Channel, ConsentStatus, ContactId, Gender, Greeting, GreetingId, GreetingRule, GreetingRuleData,
    GreetingRuleInput, GreetingStatus, Honorific, MessageId, Occasion, PersonNames, Purpose, Scope, Script, Tag,
    UserId, ValueTier,
};
use sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::{civil_date, instant};
use crate::db::{Engine, Exec, execute, fetch_all, fetch_map, fetch_optional};
use crate::paging::{Keyset, fetch_page};
use crate::schema::{
    Companies, ConsentStates, ContactCompanies, ContactOccasions, Contacts, FestivalDates, GreetingRules, Greetings,
    MessageTemplates, Settings,
};
use crate::{Page, PageRequest, Store, StoreError, Tx, scope};

/// `MM-DD` of a birthday stored as `YYYY-MM-DD` or `--MM-DD`; indexed (schema.rs), and
/// the query must say it the same way for the index to serve it.
pub(crate) const BIRTHDAY_MONTH_DAY: &str = r#"substr("birthday", length("birthday") - 4)"#;
/// `MM-DD` of the first won deal (`YYYY-MM-DD`).
pub(crate) const FIRST_DEAL_MONTH_DAY: &str = r#"substr("first_deal_on", 6)"#;
/// `MM-DD` of a company's founding (`YYYY-MM-DD`).
pub(crate) const FOUNDED_MONTH_DAY: &str = r#"substr("founded_on", 6)"#;

/// The statements that give a new database its greeting rules and templates.
pub(crate) fn seed(engine: Engine) -> Vec<String> {
    let render = |statement: &sea_query::InsertStatement| match engine {
        Engine::Sqlite => statement.to_string(sea_query::SqliteQueryBuilder),
        Engine::Postgres => statement.to_string(sea_query::PostgresQueryBuilder),
    };
    let mut rules = Query::insert().into_table(GreetingRules::Table).columns(RULE_COLUMNS).to_owned();
    for (id, name, occasion, template) in sambandh_domain::DEFAULT_RULES {
        let input = GreetingRuleInput {
            name: Some(name.into()),
            occasion: Some(occasion.into()),
            template: Some(template.into()),
            ..Default::default()
        };
        if let Ok(data) = GreetingRuleData::parse(&input) {
            rules.values_panic(rule_values(&GreetingRule { id: id.to_owned(), data }, 0));
        }
    }
    let mut templates = Query::insert()
        .into_table(MessageTemplates::Table)
        .columns([
            MessageTemplates::Key,
            MessageTemplates::Language,
            MessageTemplates::Subject,
            MessageTemplates::Body,
            MessageTemplates::UpdatedAt,
        ])
        .to_owned();
    for (key, language, subject, body) in sambandh_domain::DEFAULT_TEMPLATES {
        templates.values_panic([key.into(), language.into(), subject.into(), body.into(), 0_i64.into()]);
    }
    vec![render(&rules), render(&templates)]
}

const RULE_COLUMNS: [GreetingRules; 14] = [
    GreetingRules::Id,
    GreetingRules::Name,
    GreetingRules::Occasion,
    GreetingRules::Tiers,
    GreetingRules::Tags,
    GreetingRules::Branches,
    GreetingRules::Channel,
    GreetingRules::Template,
    GreetingRules::SendTime,
    GreetingRules::LeadDays,
    GreetingRules::AutoSend,
    GreetingRules::SignAsOwner,
    GreetingRules::Active,
    GreetingRules::CreatedAt,
];

fn rule_values(rule: &GreetingRule, created_at: i64) -> Vec<sea_query::SimpleExpr> {
    let data = &rule.data;
    let list = |items: Vec<String>| items.join(",");
    vec![
        rule.id.clone().into(),
        data.name.clone().into(),
        data.occasion.key().into(),
        list(data.tiers.iter().map(|t| t.as_str().to_owned()).collect()).into(),
        list(data.tags.iter().map(|t| t.as_str().to_owned()).collect()).into(),
        list(data.branches.iter().map(ToString::to_string).collect()).into(),
        data.channel.as_str().into(),
        data.template.clone().into(),
        data.send_time.strftime("%H:%M").to_string().into(),
        i64::from(data.lead_days).into(),
        i64::from(data.auto_send).into(),
        i64::from(data.sign_as_owner).into(),
        i64::from(data.active).into(),
        created_at.into(),
    ]
}

fn rule_from_row(row: &AnyRow) -> Result<GreetingRule, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
    let list = |column: &str| -> Result<Vec<String>, StoreError> {
        Ok(text(column)?.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect())
    };
    let flag = |column: &str| -> Result<bool, StoreError> { Ok(row.try_get::<i64, _>(column)? != 0) };
    let id = text("id")?;
    let branches = list("branches")?
        .iter()
        .map(|raw| raw.parse().map_err(|_| StoreError::Corrupt(format!("greeting_rules.branches {raw}"))))
        .collect::<Result<_, _>>()?;
    let input = GreetingRuleInput {
        name: Some(text("name")?),
        occasion: Some(text("occasion")?),
        tiers: list("tiers")?,
        tags: list("tags")?,
        branches,
        channel: Some(text("channel")?),
        template: Some(text("template")?),
        send_time: Some(text("send_time")?),
        lead_days: Some(row.try_get("lead_days")?),
        auto_send: Some(flag("auto_send")?),
        sign_as_owner: Some(flag("sign_as_owner")?),
        active: Some(flag("active")?),
    };
    let data = GreetingRuleData::parse(&input)
        .map_err(|errors| StoreError::Corrupt(format!("greeting rule {id}: {errors}")))?;
    Ok(GreetingRule { id, data })
}

/// A template in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTemplate {
    pub key: String,
    pub language: String,
    pub subject: String,
    pub body: String,
}

/// A festival's date set by an admin (an override, or a calendar imported from
/// iCalendar), for every region (`region` empty) or one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FestivalDate {
    pub year: i16,
    pub key: String,
    pub region: String,
    pub date: Date,
    pub name: String,
    pub source: String,
}

/// A contact's choice about one occasion: to be greeted (`greet`) or not, and for a
/// date of their own, its month and day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccasionChoice {
    pub occasion: Occasion,
    pub greet: bool,
    /// `MM-DD` of a custom date.
    pub month_day: Option<String>,
    /// The year a custom date was first kept, for counting years.
    pub since_year: Option<i16>,
    pub method: String,
    pub recorded_by: Option<UserId>,
    pub recorded_at: Timestamp,
}

/// What the daily run needs of a contact to greet them: who they are, how to reach
/// them, and what the occasion knows (the date it counts from, the company).
#[derive(Debug, Clone)]
pub struct Addressee {
    pub contact_id: ContactId,
    pub names: PersonNames,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub branch_id: Option<BranchId>,
    pub owner_id: Option<UserId>,
    pub value_tier: Option<ValueTier>,
    pub tags: Vec<Tag>,
    /// The date the occasion counts from: a birthday, first deal, founding, own date.
    pub since: Option<String>,
    /// The company whose anniversary it is; the label of a custom date.
    pub detail: Option<String>,
}

impl Addressee {
    /// A contact read whole, as the daily run would see it (no occasion details).
    pub fn of(contact: &sambandh_domain::Contact) -> Self {
        let data = &contact.data;
        Self {
            contact_id: contact.id,
            names: data.into(),
            language: data.language.as_ref().map(ToString::to_string),
            time_zone: data.time_zone.as_ref().map(ToString::to_string),
            emails: data.emails.iter().map(ToString::to_string).collect(),
            phones: data.phones.iter().map(ToString::to_string).collect(),
            branch_id: data.branch_id,
            owner_id: data.owner_id,
            value_tier: data.value_tier,
            tags: data.tags.clone(),
            since: None,
            detail: None,
        }
    }
}

/// Which contacts have an occasion on a day.
#[derive(Debug, Clone)]
pub enum OccasionQuery {
    /// Birthdays on one of these `MM-DD`s (28 February also finds 29 February's).
    Birthday {
        month_days: Vec<String>,
    },
    FirstDeal {
        month_days: Vec<String>,
    },
    CompanyAnniversary {
        month_days: Vec<String>,
    },
    /// Dates of a contact's own on this `MM-DD`.
    Custom {
        month_days: Vec<String>,
    },
    /// Contacts who chose to be greeted for this festival.
    Festival {
        key: String,
    },
}

/// Which greetings a list shows.
#[derive(Debug, Clone, Default)]
pub struct GreetingFilter {
    pub occasion_date: Option<Date>,
    pub status: Option<GreetingStatus>,
    pub contact_id: Option<ContactId>,
}

const GREETING_COLUMNS: [Greetings; 17] = [
    Greetings::Id,
    Greetings::ContactId,
    Greetings::RuleId,
    Greetings::Occasion,
    Greetings::OccasionDate,
    Greetings::Channel,
    Greetings::Language,
    Greetings::Subject,
    Greetings::Body,
    Greetings::Status,
    Greetings::SendAt,
    Greetings::BranchId,
    Greetings::OwnerId,
    Greetings::MessageId,
    Greetings::DecidedBy,
    Greetings::DecidedAt,
    Greetings::CreatedAt,
];

fn select_greetings(scope: &Scope) -> SelectStatement {
    let mut query = Query::select().columns(GREETING_COLUMNS).from(Greetings::Table).to_owned();
    scope::owned_in(&mut query, scope, Greetings::BranchId, Greetings::OwnerId);
    query
}

impl Store {
    pub async fn greeting_rules(&self) -> Result<Vec<GreetingRule>, StoreError> {
        let query = Query::select()
            .columns(RULE_COLUMNS)
            .from(GreetingRules::Table)
            .order_by(GreetingRules::CreatedAt, Order::Asc)
            .order_by(GreetingRules::Id, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query).await?.iter().map(rule_from_row).collect()
    }

    pub async fn message_templates(&self) -> Result<Vec<MessageTemplate>, StoreError> {
        let query = Query::select()
            .columns([
                MessageTemplates::Key,
                MessageTemplates::Language,
                MessageTemplates::Subject,
                MessageTemplates::Body,
            ])
            .from(MessageTemplates::Table)
            .order_by(MessageTemplates::Key, Order::Asc)
            .order_by(MessageTemplates::Language, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                Ok(MessageTemplate {
                    key: row.try_get("key")?,
                    language: row.try_get("language")?,
                    subject: row.try_get("subject")?,
                    body: row.try_get("body")?,
                })
            })
            .collect()
    }

    /// The festival dates an admin set for `year`.
    pub async fn festival_dates(&self, year: i16) -> Result<Vec<FestivalDate>, StoreError> {
        let query = Query::select()
            .columns([
                FestivalDates::Year,
                FestivalDates::Key,
                FestivalDates::Region,
                FestivalDates::Date,
                FestivalDates::Name,
                FestivalDates::Source,
            ])
            .from(FestivalDates::Table)
            .and_where(Expr::col(FestivalDates::Year).eq(i64::from(year)))
            .order_by(FestivalDates::Date, Order::Asc)
            .order_by(FestivalDates::Key, Order::Asc)
            .to_owned();
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query)
            .await?
            .iter()
            .map(|row| {
                let year: i64 = row.try_get("year")?;
                Ok(FestivalDate {
                    year: i16::try_from(year)
                        .map_err(|_| StoreError::Corrupt(format!("festival_dates.year {year}")))?,
                    key: row.try_get("key")?,
                    region: row.try_get("region")?,
                    date: civil_date(row, "date")?.ok_or_else(|| StoreError::Corrupt("festival_dates.date".into()))?,
                    name: row.try_get("name")?,
                    source: row.try_get("source")?,
                })
            })
            .collect()
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let query = Query::select()
            .column(Settings::Value)
            .from(Settings::Table)
            .and_where(Expr::col(Settings::Key).eq(key))
            .to_owned();
        let mut conn = self.reader().await?;
        Ok(fetch_optional(&mut conn, &query).await?.map(|row| row.try_get("value")).transpose()?)
    }

    /// A contact's choices about occasions, if the contact is in scope.
    pub async fn occasion_choices(
        &self,
        scope: &Scope,
        contact_id: ContactId,
    ) -> Result<Vec<OccasionChoice>, StoreError> {
        let mut query = Query::select()
            .columns([
                ContactOccasions::Occasion,
                ContactOccasions::Greet,
                ContactOccasions::MonthDay,
                ContactOccasions::SinceYear,
                ContactOccasions::Method,
                ContactOccasions::RecordedBy,
                ContactOccasions::RecordedAt,
            ])
            .from(ContactOccasions::Table)
            .and_where(Expr::col(ContactOccasions::ContactId).eq(contact_id.to_string()))
            .order_by(ContactOccasions::Occasion, Order::Asc)
            .to_owned();
        if let Some(in_scope) = scope::contact_ids(scope) {
            query.and_where(Expr::col(ContactOccasions::ContactId).in_subquery(in_scope));
        }
        let mut conn = self.reader().await?;
        fetch_all(&mut conn, &query).await?.iter().map(choice_from_row).collect()
    }

    /// The contacts with an occasion on `day`, who have not opted out of it, whose
    /// latest consent to greetings on `channel` is given, and who have no greeting for
    /// it that day yet. Erased contacts never are.
    pub async fn occasion_addressees(
        &self,
        occasion: &OccasionQuery,
        channel: Channel,
        day: Date,
    ) -> Result<Vec<Addressee>, StoreError> {
        let mut query = Query::select()
            .columns(ADDRESSEE_COLUMNS.map(|column| (Contacts::Table, column)))
            .from(Contacts::Table)
            .and_where(Expr::col((Contacts::Table, Contacts::ErasedAt)).is_null())
            .to_owned();
        // The date is there (the month-and-day indexes hold only such rows: migration 9)
        // and its month and day are one of these.
        let month_day_in = |date: Expr, month_day: Expr, month_days: &[String]| {
            date.is_not_null().and(month_day.is_in(month_days.to_vec()))
        };
        let opted_out = |key: &str| {
            Query::select()
                .column(ContactOccasions::ContactId)
                .from(ContactOccasions::Table)
                .and_where(Expr::col(ContactOccasions::Occasion).eq(key))
                .and_where(Expr::col(ContactOccasions::Greet).eq(0))
                .to_owned()
        };
        let contact_id = Expr::col((Contacts::Table, Contacts::Id));
        match occasion {
            OccasionQuery::Birthday { month_days } => {
                query
                    .expr_as(Expr::col((Contacts::Table, Contacts::Birthday)), Alias::new("since"))
                    .expr_as(Expr::value(Option::<String>::None), Alias::new("detail"))
                    .and_where(month_day_in(
                        Expr::col((Contacts::Table, Contacts::Birthday)),
                        Expr::cust(BIRTHDAY_MONTH_DAY),
                        month_days,
                    ))
                    .and_where(contact_id.clone().not_in_subquery(opted_out("birthday")));
            }
            OccasionQuery::FirstDeal { month_days } => {
                query
                    .expr_as(Expr::col((Contacts::Table, Contacts::FirstDealOn)), Alias::new("since"))
                    .expr_as(Expr::value(Option::<String>::None), Alias::new("detail"))
                    .and_where(month_day_in(
                        Expr::col((Contacts::Table, Contacts::FirstDealOn)),
                        Expr::cust(FIRST_DEAL_MONTH_DAY),
                        month_days,
                    ))
                    .and_where(contact_id.clone().not_in_subquery(opted_out("first_deal")));
            }
            OccasionQuery::CompanyAnniversary { month_days } => {
                query
                    .expr_as(Expr::col((Companies::Table, Companies::FoundedOn)), Alias::new("since"))
                    .expr_as(Expr::col((Companies::Table, Companies::LegalName)), Alias::new("detail"))
                    .inner_join(
                        ContactCompanies::Table,
                        Expr::col((ContactCompanies::Table, ContactCompanies::ContactId))
                            .equals((Contacts::Table, Contacts::Id)),
                    )
                    .inner_join(
                        Companies::Table,
                        Expr::col((Companies::Table, Companies::Id))
                            .equals((ContactCompanies::Table, ContactCompanies::CompanyId)),
                    )
                    .and_where(month_day_in(
                        Expr::col((Companies::Table, Companies::FoundedOn)),
                        Expr::cust(FOUNDED_MONTH_DAY),
                        month_days,
                    ))
                    .and_where(contact_id.clone().not_in_subquery(opted_out("company_anniversary")));
            }
            OccasionQuery::Custom { month_days } => {
                query
                    .expr_as(Expr::col((ContactOccasions::Table, ContactOccasions::MonthDay)), Alias::new("since"))
                    .expr_as(Expr::col((ContactOccasions::Table, ContactOccasions::Occasion)), Alias::new("detail"))
                    .inner_join(
                        ContactOccasions::Table,
                        Expr::col((ContactOccasions::Table, ContactOccasions::ContactId))
                            .equals((Contacts::Table, Contacts::Id)),
                    )
                    .and_where(Expr::col((ContactOccasions::Table, ContactOccasions::Occasion)).like("custom:%"))
                    .and_where(Expr::col((ContactOccasions::Table, ContactOccasions::Greet)).eq(1))
                    .and_where(month_day_in(
                        Expr::col((ContactOccasions::Table, ContactOccasions::MonthDay)),
                        Expr::col((ContactOccasions::Table, ContactOccasions::MonthDay)),
                        month_days,
                    ));
            }
            OccasionQuery::Festival { key } => {
                query
                    .expr_as(Expr::value(Option::<String>::None), Alias::new("since"))
                    .expr_as(Expr::value(Option::<String>::None), Alias::new("detail"))
                    .inner_join(
                        ContactOccasions::Table,
                        Expr::col((ContactOccasions::Table, ContactOccasions::ContactId))
                            .equals((Contacts::Table, Contacts::Id)),
                    )
                    .and_where(
                        Expr::col((ContactOccasions::Table, ContactOccasions::Occasion)).eq(format!("festival:{key}")),
                    )
                    .and_where(Expr::col((ContactOccasions::Table, ContactOccasions::Greet)).eq(1));
            }
        }
        // Not greeted for it that day yet (by an earlier run, or an older rule).
        let key = match occasion {
            OccasionQuery::Birthday { .. } => Expr::value(Occasion::Birthday.key()),
            OccasionQuery::FirstDeal { .. } => Expr::value(Occasion::FirstDeal.key()),
            OccasionQuery::CompanyAnniversary { .. } => Expr::value(Occasion::CompanyAnniversary.key()),
            OccasionQuery::Custom { .. } => Expr::col((ContactOccasions::Table, ContactOccasions::Occasion)),
            OccasionQuery::Festival { key } => Expr::value(Occasion::Festival(key.clone()).key()),
        };
        let greeted = Query::select()
            .expr(Expr::value(1))
            .from(Greetings::Table)
            .and_where(Expr::col((Greetings::Table, Greetings::ContactId)).equals((Contacts::Table, Contacts::Id)))
            .and_where(Expr::col((Greetings::Table, Greetings::OccasionDate)).eq(day.to_string()))
            .and_where(Expr::col((Greetings::Table, Greetings::Occasion)).eq(key))
            .to_owned();
        query.and_where(Expr::exists(greeted).not());
        // The current consent to greetings on the channel is "given".
        let consented = Query::select()
            .expr(Expr::value(1))
            .from(ConsentStates::Table)
            .and_where(
                Expr::col((ConsentStates::Table, ConsentStates::ContactId)).equals((Contacts::Table, Contacts::Id)),
            )
            .and_where(Expr::col((ConsentStates::Table, ConsentStates::Purpose)).eq(Purpose::Greetings.as_str()))
            .and_where(Expr::col((ConsentStates::Table, ConsentStates::Channel)).eq(channel.as_str()))
            .and_where(Expr::col((ConsentStates::Table, ConsentStates::Status)).eq(ConsentStatus::Given.as_str()))
            .to_owned();
        query.and_where(Expr::exists(consented));
        query.order_by((Contacts::Table, Contacts::Id), Order::Asc);
        let mut conn = self.reader().await?;
        fetch_map(&mut conn, &query, addressee_from_row).await
    }

    pub async fn greeting(&self, scope: &Scope, id: GreetingId) -> Result<Option<Greeting>, StoreError> {
        let mut conn = self.reader().await?;
        get_greeting(&mut conn, scope, id).await
    }

    /// Greetings, by occasion day then id, a page at a time.
    pub async fn greetings(
        &self,
        scope: &Scope,
        filter: &GreetingFilter,
        page: &PageRequest,
    ) -> Result<Page<Greeting>, StoreError> {
        let mut query = select_greetings(scope);
        apply_greeting_filter(&mut query, filter);
        let keyset = Keyset::new("greetings", Greetings::OccasionDate, true, Greetings::Id, false);
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &keyset, page, greeting_from_row).await
    }
}

fn apply_greeting_filter(query: &mut SelectStatement, filter: &GreetingFilter) {
    if let Some(date) = filter.occasion_date {
        query.and_where(Expr::col(Greetings::OccasionDate).eq(date.to_string()));
    }
    if let Some(status) = filter.status {
        query.and_where(Expr::col(Greetings::Status).eq(status.as_str()));
    }
    if let Some(contact_id) = filter.contact_id {
        query.and_where(Expr::col(Greetings::ContactId).eq(contact_id.to_string()));
    }
}

async fn get_greeting(db: &mut impl Exec, scope: &Scope, id: GreetingId) -> Result<Option<Greeting>, StoreError> {
    let query = select_greetings(scope).and_where(Expr::col(Greetings::Id).eq(id.to_string())).to_owned();
    fetch_optional(db, &query).await?.as_ref().map(greeting_from_row).transpose()
}

impl Tx {
    pub async fn greeting(&mut self, scope: &Scope, id: GreetingId) -> Result<Option<Greeting>, StoreError> {
        get_greeting(self, scope, id).await
    }

    /// Greetings in scope matching `filter`, all of them (for deciding a day at once).
    pub async fn greetings_matching(
        &mut self,
        scope: &Scope,
        filter: &GreetingFilter,
    ) -> Result<Vec<Greeting>, StoreError> {
        let mut query = select_greetings(scope);
        apply_greeting_filter(&mut query, filter);
        query.order_by(Greetings::Id, Order::Asc);
        fetch_all(self, &query).await?.iter().map(greeting_from_row).collect()
    }

    /// Inserts the greetings not yet prepared (one per contact, occasion and day);
    /// answers how many were new.
    pub async fn insert_greetings(&mut self, greetings: &[Greeting]) -> Result<u64, StoreError> {
        let mut inserted = 0;
        for chunk in greetings.chunks(200) {
            let mut insert = Query::insert()
                .into_table(Greetings::Table)
                .columns(GREETING_COLUMNS)
                .on_conflict(
                    OnConflict::columns([Greetings::ContactId, Greetings::Occasion, Greetings::OccasionDate])
                        .do_nothing()
                        .to_owned(),
                )
                .to_owned();
            for greeting in chunk {
                insert.values_panic(greeting_values(greeting));
            }
            inserted += execute(self, &insert).await?;
        }
        Ok(inserted)
    }

    /// Records a decision on a greeting (and the text staff edited, the message that
    /// carries it).
    pub async fn update_greeting(&mut self, greeting: &Greeting) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Greetings::Table)
            .value(Greetings::Subject, greeting.subject.as_str())
            .value(Greetings::Body, greeting.body.as_str())
            .value(Greetings::Status, greeting.status.as_str())
            .value(Greetings::SendAt, greeting.send_at.as_microsecond())
            .value(Greetings::MessageId, greeting.message_id.map(|id| id.to_string()))
            .value(Greetings::DecidedBy, greeting.decided_by.map(|id| id.to_string()))
            .value(Greetings::DecidedAt, greeting.decided_at.map(|at| at.as_microsecond()))
            .and_where(Expr::col(Greetings::Id).eq(greeting.id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        Ok(())
    }

    /// Sets the status of the greeting a message carries (when the outbox sends it).
    pub async fn set_greeting_status_by_message(
        &mut self,
        message_id: MessageId,
        status: GreetingStatus,
    ) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Greetings::Table)
            .value(Greetings::Status, status.as_str())
            .and_where(Expr::col(Greetings::MessageId).eq(message_id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        Ok(())
    }

    pub async fn upsert_greeting_rule(&mut self, rule: &GreetingRule, now: Timestamp) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(GreetingRules::Table)
            .columns(RULE_COLUMNS)
            .values_panic(rule_values(rule, now.as_microsecond()))
            .on_conflict(OnConflict::column(GreetingRules::Id).update_columns(RULE_COLUMNS[1..13].to_vec()).to_owned())
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    pub async fn upsert_message_template(
        &mut self,
        template: &MessageTemplate,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(MessageTemplates::Table)
            .columns([
                MessageTemplates::Key,
                MessageTemplates::Language,
                MessageTemplates::Subject,
                MessageTemplates::Body,
                MessageTemplates::UpdatedAt,
            ])
            .values_panic([
                template.key.as_str().into(),
                template.language.as_str().into(),
                template.subject.as_str().into(),
                template.body.as_str().into(),
                now.as_microsecond().into(),
            ])
            .on_conflict(
                OnConflict::columns([MessageTemplates::Key, MessageTemplates::Language])
                    .update_columns([MessageTemplates::Subject, MessageTemplates::Body, MessageTemplates::UpdatedAt])
                    .to_owned(),
            )
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    pub async fn upsert_festival_date(&mut self, date: &FestivalDate, now: Timestamp) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(FestivalDates::Table)
            .columns([
                FestivalDates::Year,
                FestivalDates::Key,
                FestivalDates::Region,
                FestivalDates::Date,
                FestivalDates::Name,
                FestivalDates::Source,
                FestivalDates::UpdatedAt,
            ])
            .values_panic([
                i64::from(date.year).into(),
                date.key.as_str().into(),
                date.region.as_str().into(),
                date.date.to_string().into(),
                date.name.as_str().into(),
                date.source.as_str().into(),
                now.as_microsecond().into(),
            ])
            .on_conflict(
                OnConflict::columns([FestivalDates::Year, FestivalDates::Key, FestivalDates::Region])
                    .update_columns([
                        FestivalDates::Date,
                        FestivalDates::Name,
                        FestivalDates::Source,
                        FestivalDates::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    pub async fn set_occasion_choice(
        &mut self,
        contact_id: ContactId,
        choice: &OccasionChoice,
    ) -> Result<(), StoreError> {
        self.set_occasion_choices(&[(contact_id, choice.clone())]).await
    }

    /// Records many choices in a few statements (an import's batch); where one contact
    /// and occasion come twice, the later choice stands.
    pub async fn set_occasion_choices(&mut self, choices: &[(ContactId, OccasionChoice)]) -> Result<(), StoreError> {
        // PostgreSQL refuses to upsert one row twice in one statement: keep the last.
        let mut seen = std::collections::HashSet::new();
        let mut unique: Vec<&(ContactId, OccasionChoice)> =
            choices.iter().rev().filter(|(id, choice)| seen.insert((*id, choice.occasion.key()))).collect();
        unique.reverse();
        for chunk in unique.chunks(1_000) {
            let mut insert = Query::insert()
                .into_table(ContactOccasions::Table)
                .columns([
                    ContactOccasions::ContactId,
                    ContactOccasions::Occasion,
                    ContactOccasions::Greet,
                    ContactOccasions::MonthDay,
                    ContactOccasions::SinceYear,
                    ContactOccasions::Method,
                    ContactOccasions::RecordedBy,
                    ContactOccasions::RecordedAt,
                ])
                .on_conflict(
                    OnConflict::columns([ContactOccasions::ContactId, ContactOccasions::Occasion])
                        .update_columns([
                            ContactOccasions::Greet,
                            ContactOccasions::MonthDay,
                            ContactOccasions::SinceYear,
                            ContactOccasions::Method,
                            ContactOccasions::RecordedBy,
                            ContactOccasions::RecordedAt,
                        ])
                        .to_owned(),
                )
                .to_owned();
            for (contact_id, choice) in chunk {
                insert.values_panic([
                    contact_id.to_string().into(),
                    choice.occasion.key().into(),
                    i64::from(choice.greet).into(),
                    choice.month_day.clone().into(),
                    choice.since_year.map(i64::from).into(),
                    choice.method.as_str().into(),
                    choice.recorded_by.map(|id| id.to_string()).into(),
                    choice.recorded_at.as_microsecond().into(),
                ]);
            }
            execute(self, &insert).await?;
        }
        Ok(())
    }

    pub async fn set_setting(&mut self, key: &str, value: &str, now: Timestamp) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(Settings::Table)
            .columns([Settings::Key, Settings::Value, Settings::UpdatedAt])
            .values_panic([key.into(), value.into(), now.as_microsecond().into()])
            .on_conflict(
                OnConflict::column(Settings::Key).update_columns([Settings::Value, Settings::UpdatedAt]).to_owned(),
            )
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    /// Removes what an erased person's greetings said (the text quotes their name) and
    /// their custom dates' labels; the facts (occasion, day, status) stay.
    pub async fn erase_greetings(&mut self, contact_id: ContactId) -> Result<(), StoreError> {
        let update = Query::update()
            .table(Greetings::Table)
            .value(Greetings::Subject, "[erased]")
            .value(Greetings::Body, "[erased]")
            .and_where(Expr::col(Greetings::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &update).await?;
        let choices = Query::delete()
            .from_table(ContactOccasions::Table)
            .and_where(Expr::col(ContactOccasions::ContactId).eq(contact_id.to_string()))
            .to_owned();
        execute(self, &choices).await?;
        Ok(())
    }
}

const ADDRESSEE_COLUMNS: [Contacts; 16] = [
    Contacts::Id,
    Contacts::Honorific,
    Contacts::GivenName,
    Contacts::FamilyName,
    Contacts::NameLatin,
    Contacts::OtherNames,
    Contacts::Gender,
    Contacts::Script,
    Contacts::Language,
    Contacts::TimeZone,
    Contacts::Emails,
    Contacts::Phones,
    Contacts::BranchId,
    Contacts::OwnerId,
    Contacts::ValueTier,
    Contacts::Tags,
];

fn addressee_from_row(row: &AnyRow) -> Result<Addressee, StoreError> {
    let text = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let corrupt = |column: &str, err: &dyn std::fmt::Display| StoreError::Corrupt(format!("contacts.{column}: {err}"));
    let list = |column: &str| -> Result<Vec<String>, StoreError> {
        let json = text(column)?.unwrap_or_default();
        serde_json::from_str(&json).map_err(|err| corrupt(column, &err))
    };
    let id: String = row.try_get("id")?;
    let other_names: BTreeMap<String, String> =
        serde_json::from_str(&text("other_names")?.unwrap_or_default()).map_err(|err| corrupt("other_names", &err))?;
    let names = PersonNames {
        honorific: text("honorific")?
            .as_deref()
            .map(Honorific::parse)
            .transpose()
            .map_err(|err| corrupt("honorific", &err))?,
        given_name: text("given_name")?.unwrap_or_default(),
        family_name: text("family_name")?,
        name_latin: text("name_latin")?,
        other_names: other_names
            .into_iter()
            .map(|(script, name)| Ok((Script::parse(&script).map_err(|err| corrupt("other_names", &err))?, name)))
            .collect::<Result<_, StoreError>>()?,
        gender: text("gender")?.as_deref().map(Gender::parse).transpose().map_err(|err| corrupt("gender", &err))?,
        script: text("script")?.as_deref().map(Script::parse).transpose().map_err(|err| corrupt("script", &err))?,
    };
    Ok(Addressee {
        contact_id: id.parse().map_err(|_| corrupt("id", &id))?,
        names,
        language: text("language")?,
        time_zone: text("time_zone")?,
        emails: list("emails")?,
        phones: list("phones")?,
        branch_id: text("branch_id")?.map(|id| id.parse()).transpose().map_err(|err| corrupt("branch_id", &err))?,
        owner_id: text("owner_id")?.map(|id| id.parse()).transpose().map_err(|err| corrupt("owner_id", &err))?,
        value_tier: text("value_tier")?
            .as_deref()
            .map(ValueTier::parse)
            .transpose()
            .map_err(|err| corrupt("value_tier", &err))?,
        tags: list("tags")?
            .iter()
            .map(|tag| Tag::parse(tag))
            .collect::<Result<_, _>>()
            .map_err(|err| corrupt("tags", &err))?,
        since: text("since")?,
        detail: text("detail")?,
    })
}

fn choice_from_row(row: &AnyRow) -> Result<OccasionChoice, StoreError> {
    let occasion: String = row.try_get("occasion")?;
    let since_year: Option<i64> = row.try_get("since_year")?;
    let recorded_by: Option<String> = row.try_get("recorded_by")?;
    Ok(OccasionChoice {
        occasion: Occasion::parse(&occasion)
            .map_err(|err| StoreError::Corrupt(format!("contact_occasions.occasion: {err}")))?,
        greet: row.try_get::<i64, _>("greet")? != 0,
        month_day: row.try_get("month_day")?,
        since_year: since_year.and_then(|year| i16::try_from(year).ok()),
        method: row.try_get("method")?,
        recorded_by: recorded_by
            .map(|id| id.parse())
            .transpose()
            .map_err(|_| StoreError::Corrupt("contact_occasions.recorded_by".into()))?,
        recorded_at: instant(row, "recorded_at")?,
    })
}

fn greeting_values(greeting: &Greeting) -> Vec<sea_query::SimpleExpr> {
    vec![
        greeting.id.to_string().into(),
        greeting.contact_id.to_string().into(),
        greeting.rule_id.as_str().into(),
        greeting.occasion.key().into(),
        greeting.occasion_date.to_string().into(),
        greeting.channel.as_str().into(),
        greeting.language.as_str().into(),
        greeting.subject.as_str().into(),
        greeting.body.as_str().into(),
        greeting.status.as_str().into(),
        greeting.send_at.as_microsecond().into(),
        greeting.branch_id.map(|id| id.to_string()).into(),
        greeting.owner_id.map(|id| id.to_string()).into(),
        greeting.message_id.map(|id| id.to_string()).into(),
        greeting.decided_by.map(|id| id.to_string()).into(),
        greeting.decided_at.map(|at| at.as_microsecond()).into(),
        greeting.created_at.as_microsecond().into(),
    ]
}

fn greeting_from_row(row: &AnyRow) -> Result<Greeting, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(column)?) };
    let opt = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let corrupt = |column: &str| StoreError::Corrupt(format!("greetings.{column}"));
    Ok(Greeting {
        id: text("id")?.parse().map_err(|_| corrupt("id"))?,
        contact_id: text("contact_id")?.parse().map_err(|_| corrupt("contact_id"))?,
        rule_id: text("rule_id")?,
        occasion: Occasion::parse(&text("occasion")?).map_err(|_| corrupt("occasion"))?,
        occasion_date: civil_date(row, "occasion_date")?.ok_or_else(|| corrupt("occasion_date"))?,
        channel: Channel::parse(&text("channel")?).map_err(|_| corrupt("channel"))?,
        language: text("language")?,
        subject: text("subject")?,
        body: text("body")?,
        status: GreetingStatus::parse(&text("status")?).map_err(|_| corrupt("status"))?,
        send_at: instant(row, "send_at")?,
        branch_id: opt("branch_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("branch_id"))?,
        owner_id: opt("owner_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("owner_id"))?,
        message_id: opt("message_id")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("message_id"))?,
        decided_by: opt("decided_by")?.map(|id| id.parse()).transpose().map_err(|_| corrupt("decided_by"))?,
        decided_at: row
            .try_get::<Option<i64>, _>("decided_at")?
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|_| corrupt("decided_at"))?,
        created_at: instant(row, "created_at")?,
    })
}
