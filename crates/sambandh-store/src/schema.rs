//! The schema, defined once with sea-query's schema builder and rendered for each
//! engine. Migrations are forward-only and never edited once released: a change is a
//! new entry at the end of [`MIGRATIONS`].

use sea_query::{
    ColumnDef, Expr, ForeignKey, ForeignKeyAction, Iden, Index, IndexCreateStatement, Query, Table,
    TableCreateStatement,
};
use sqlx::{AnyConnection, Executor};

use crate::StoreError;
use crate::db::Engine;

#[derive(Iden, Clone, Copy)]
pub(crate) enum SchemaMigrations {
    Table,
    Version,
    Name,
    AppliedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Branches {
    Table,
    Id,
    Name,
    City,
    Region,
    TimeZone,
    Language,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    BranchId,
    Languages,
    PasswordHash,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Contacts {
    Table,
    Id,
    ExternalId,
    Honorific,
    GivenName,
    FamilyName,
    FatherName,
    PreferredName,
    NameLatin,
    OtherNames,
    Gender,
    Language,
    Script,
    TimeZone,
    Region,
    Birthday,
    Emails,
    Phones,
    AddressLine,
    City,
    PinCode,
    BranchId,
    OwnerId,
    Tags,
    CustomFields,
    ValueTier,
    Source,
    SortName,
    CreatedAt,
    UpdatedAt,
    Version,
    /// When the person's data was erased at their request; `NULL` while it is held.
    ErasedAt,
    /// The day the contact's first deal was won.
    FirstDealOn,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ContactEmails {
    Table,
    Email,
    ContactId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ContactPhones {
    Table,
    Phone,
    ContactId,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ContactTags {
    Table,
    Tag,
    ContactId,
}

/// The words of every contact's names (see `sambandh_domain::search_words`), for
/// finding contacts by the start of any word: a range of the primary key. Since
/// migration 7 each row also carries what a list of contacts is scoped and ordered by
/// (the contact's sort name, last update, branch and owner), so that a search reads
/// one range of this table, not a contact row per match.
#[derive(Iden, Clone, Copy)]
pub(crate) enum ContactWords {
    Table,
    Word,
    ContactId,
    SortName,
    UpdatedAt,
    BranchId,
    OwnerId,
}

impl ContactWords {
    /// Every column of a row, in the order writes give them.
    pub(crate) const COLUMNS: [Self; 6] =
        [Self::Word, Self::ContactId, Self::SortName, Self::UpdatedAt, Self::BranchId, Self::OwnerId];
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Companies {
    Table,
    Id,
    LegalName,
    OtherNames,
    Gstin,
    Industry,
    FoundedOn,
    BranchId,
    SortName,
    CreatedAt,
    UpdatedAt,
    Version,
    /// The day the company's first deal was won.
    FirstDealOn,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ContactCompanies {
    Table,
    ContactId,
    CompanyId,
    Role,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Sessions {
    Table,
    /// A hash of the cookie's secret: a stolen database holds no usable session.
    TokenHash,
    UserId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Address,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ApiTokens {
    Table,
    Id,
    UserId,
    Label,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Actor,
    Via,
    Address,
    Action,
    RecordType,
    RecordId,
    Changes,
    Detail,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Consents {
    Table,
    Id,
    ContactId,
    Purpose,
    Channel,
    Status,
    Method,
    NoticeLanguage,
    Note,
    RecordedBy,
    RecordedAt,
}

/// Each contact's current consent per purpose and channel: the latest event of
/// `consents` for it (by time, then id), kept by every write of events, so that a
/// question "may we?" is one key look-up instead of a walk through the history.
#[derive(Iden, Clone, Copy)]
pub(crate) enum ConsentStates {
    Table,
    ContactId,
    Purpose,
    Channel,
    Status,
    RecordedAt,
    EventId,
}

impl ConsentStates {
    /// Every column of a row, in the order writes give them.
    pub(crate) const COLUMNS: [Self; 6] =
        [Self::ContactId, Self::Purpose, Self::Channel, Self::Status, Self::RecordedAt, Self::EventId];
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Interactions {
    Table,
    Id,
    ContactId,
    Kind,
    OccurredAt,
    StaffId,
    Direction,
    DurationSeconds,
    Outcome,
    Language,
    Subject,
    Text,
    Page,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Needs {
    Table,
    Id,
    ContactId,
    Text,
    /// The text lower-cased, for case-insensitive search on both engines.
    TextKey,
    LearntFrom,
    NotedOn,
    RecordedBy,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum PipelineStages {
    Table,
    Key,
    Name,
    Position,
    Outcome,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Deals {
    Table,
    Id,
    Title,
    ContactId,
    CompanyId,
    Stage,
    AmountMinor,
    Currency,
    ExpectedClose,
    OwnerId,
    BranchId,
    LostReason,
    WonOn,
    ClosedAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum CallScripts {
    Table,
    /// The branch's id, or '' for the organisation's (a key part cannot be NULL).
    BranchKey,
    Language,
    Greeting,
    Text,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Tasks {
    Table,
    Id,
    Title,
    DueAt,
    AssigneeId,
    ContactId,
    DealId,
    Notes,
    BranchId,
    DoneAt,
    RuleId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum FollowUpRules {
    Table,
    Id,
    Trigger,
    DelayDays,
    Title,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Products {
    Table,
    Id,
    Sku,
    Names,
    Category,
    PriceMinor,
    Currency,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Orders {
    Table,
    Id,
    ContactId,
    ExternalId,
    OrderedAt,
    BranchId,
    TotalMinor,
    Currency,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum OrderLines {
    Table,
    OrderId,
    Position,
    ProductId,
    Quantity,
    UnitPriceMinor,
    Currency,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Settings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum FestivalDates {
    Table,
    Year,
    Key,
    Region,
    Date,
    Name,
    Source,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum ContactOccasions {
    Table,
    ContactId,
    Occasion,
    Greet,
    MonthDay,
    SinceYear,
    Method,
    RecordedBy,
    RecordedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum GreetingRules {
    Table,
    Id,
    Name,
    Occasion,
    Tiers,
    Tags,
    Branches,
    Channel,
    Template,
    SendTime,
    LeadDays,
    AutoSend,
    SignAsOwner,
    Active,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MessageTemplates {
    Table,
    Key,
    Language,
    Subject,
    Body,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Greetings {
    Table,
    Id,
    ContactId,
    RuleId,
    Occasion,
    OccasionDate,
    Channel,
    Language,
    Subject,
    Body,
    Status,
    SendAt,
    BranchId,
    OwnerId,
    MessageId,
    DecidedBy,
    DecidedAt,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Messages {
    Table,
    Id,
    ContactId,
    BranchId,
    OwnerId,
    Channel,
    Purpose,
    /// 0 for service messages, 1 for greetings, 2 for promotions: the order of sending.
    Priority,
    Recipient,
    FromName,
    ReplyTo,
    Subject,
    Body,
    NotBefore,
    Status,
    Attempts,
    LeaseUntil,
    LastError,
    SentAt,
    UnsubscribeToken,
    UnsubscribeHash,
    IdempotencyKey,
    CreatedAt,
    /// An e-mail's `In-Reply-To` and `References` (space-separated ids), for replies
    /// that must stay in the customer's thread.
    InReplyTo,
    ThreadRefs,
    /// BCP 47: the language the message is written in (a WhatsApp template needs it).
    Language,
    /// 1 for an automatic answer (the desk's acknowledgement and survey): sent with
    /// `Auto-Submitted: auto-replied` (RFC 3834), so that autoresponders leave it be.
    AutoReply,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum MessageAttempts {
    Table,
    MessageId,
    Attempt,
    At,
    Outcome,
    Detail,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Tickets {
    Table,
    Id,
    Number,
    ContactId,
    BranchId,
    AssigneeId,
    Source,
    Subject,
    Language,
    Status,
    Priority,
    Tier,
    Tags,
    PolicyId,
    CreatedAt,
    UpdatedAt,
    Version,
    /// When the customer last wrote.
    CustomerAt,
    FirstResponseDue,
    FirstResponseAt,
    /// Working time from arrival to the first response, in microseconds.
    FirstResponseWork,
    /// Due when the customer wrote again after a reply; NULL when nothing awaits one.
    NextResponseDue,
    ResolutionDue,
    ResolvedAt,
    ResolutionWork,
    /// The earliest deadline still running (NULL while paused or resolved): what the
    /// queue sorts by and the reminder job looks at.
    DueAt,
    PausedSince,
    /// Working time spent waiting on the customer, in microseconds.
    PausedWork,
    /// The `due_at` a reminder was made for, and the one an escalation was.
    RemindedDue,
    EscalatedDue,
    CsatHash,
    CsatScore,
    CsatComment,
    CsatAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum TicketEntries {
    Table,
    Id,
    TicketId,
    Kind,
    AuthorId,
    Body,
    /// The e-mail's Message-ID (without angle brackets), inbound or outbound: how a
    /// reply finds its ticket.
    MailId,
    /// The outbox message that carries a reply or an acknowledgement.
    MessageId,
    CreatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum BranchHours {
    Table,
    BranchId,
    Hours,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum BranchHolidays {
    Table,
    BranchId,
    Date,
    Name,
    Source,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum SlaPolicies {
    Table,
    Id,
    Position,
    Name,
    Source,
    Priority,
    Tier,
    FirstResponse,
    NextResponse,
    Resolution,
    UpdatedAt,
}

#[derive(Iden, Clone, Copy)]
pub(crate) enum Counters {
    Table,
    Name,
    Value,
}

/// One schema change: the SQL statements that make it, rendered for an engine, then
/// any step that SQL alone cannot take.
struct Migration {
    version: i64,
    name: &'static str,
    steps: fn(Engine) -> Vec<String>,
    then: Option<RustStep>,
}

/// A migration step written in Rust, run over the rows in the migration's transaction
/// after its SQL (for data derived by domain rules that SQL cannot express).
#[derive(Debug, Clone, Copy)]
enum RustStep {
    /// Fills `contact_words` (as migration 6 made it: word and contact) from the names
    /// of every contact not erased.
    IndexContactWords,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "customer record", steps: customer_record, then: None },
    Migration { version: 2, name: "access, audit and consent", steps: access_audit_consent, then: None },
    Migration { version: 3, name: "timeline and deals", steps: timeline, then: None },
    Migration { version: 4, name: "greetings and outbox", steps: greetings_and_outbox, then: None },
    Migration { version: 5, name: "service desk", steps: service_desk, then: None },
    Migration { version: 6, name: "contact search", steps: contact_search, then: Some(RustStep::IndexContactWords) },
    Migration { version: 7, name: "search in scope and order", steps: search_in_scope_and_order, then: None },
    Migration { version: 8, name: "current consent", steps: current_consent, then: None },
    Migration {
        version: 9,
        name: "occasion indexes without empty dates",
        steps: occasions_without_empty_dates,
        then: None,
    },
    Migration { version: 10, name: "views not indexed by record", steps: views_not_indexed_by_record, then: None },
];

/// Applies every migration not yet recorded, all in one transaction that holds the
/// database's write lock, so that two processes starting at once on a new database
/// (a server and an import, say) migrate it once. DDL is transactional on both engines.
pub(crate) async fn migrate(conn: &mut AnyConnection, engine: Engine) -> Result<(), StoreError> {
    let latest_version_sql = engine
        .render(
            &Query::select()
                .expr(sea_query::Func::max(Expr::col(SchemaMigrations::Version)))
                .from(SchemaMigrations::Table)
                .to_owned(),
        )
        .0;
    // Up to date already (the common case)? Then take no lock: a command that only
    // reads must not wait behind a running import for the write lock. (A missing
    // ledger table is an error here, and means "not up to date".)
    let latest = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
    let current: Result<Option<i64>, _> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(latest_version_sql.clone())).fetch_one(&mut *conn).await;
    if matches!(current, Ok(Some(version)) if version >= latest) {
        return Ok(());
    }

    let mut tx = match engine {
        // Dialect difference: SQLite takes the write lock with BEGIN IMMEDIATE …
        Engine::Sqlite => sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?,
        Engine::Postgres => {
            let mut tx = sqlx::Connection::begin(&mut *conn).await?;
            // … PostgreSQL with a transaction-scoped advisory lock (the key is arbitrary
            // but fixed: "sambandh" in ASCII).
            tx.execute("SELECT pg_advisory_xact_lock(7161128216524466024)").await?;
            tx
        }
    };
    let ledger = Table::create()
        .table(SchemaMigrations::Table)
        .if_not_exists()
        .col(ColumnDef::new(SchemaMigrations::Version).big_integer().not_null().primary_key())
        .col(ColumnDef::new(SchemaMigrations::Name).text().not_null())
        .col(ColumnDef::new(SchemaMigrations::AppliedAt).big_integer().not_null())
        .to_owned();
    tx.execute(sqlx::AssertSqlSafe(engine.render_schema(&ledger))).await?;

    let applied: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(latest_version_sql)).fetch_one(&mut *tx).await?;
    let applied = applied.unwrap_or(0);

    for migration in MIGRATIONS.iter().filter(|m| m.version > applied) {
        for sql in (migration.steps)(engine) {
            tx.execute(sqlx::AssertSqlSafe(sql)).await?;
        }
        if let Some(step) = migration.then {
            let mut conn = crate::db::Borrowed { engine, conn: &mut tx };
            match step {
                RustStep::IndexContactWords => crate::contacts::index_all_words(&mut conn).await?,
            }
        }
        let record = Query::insert()
            .into_table(SchemaMigrations::Table)
            .columns([SchemaMigrations::Version, SchemaMigrations::Name, SchemaMigrations::AppliedAt])
            .values_panic([
                migration.version.into(),
                migration.name.into(),
                jiff::Timestamp::now().as_microsecond().into(),
            ])
            .to_owned();
        let (sql, values) = engine.render(&record);
        sqlx::query_with(sqlx::AssertSqlSafe(sql), crate::db::bind(values)?).execute(&mut *tx).await?;
        tracing::info!(version = migration.version, name = migration.name, "applied migration");
    }
    tx.commit().await?;
    Ok(())
}

fn id(column: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(column).text().not_null().primary_key().to_owned()
}

fn text(column: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(column).text().to_owned()
}

fn required_text(column: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(column).text().not_null().to_owned()
}

fn instant(column: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(column).big_integer().not_null().to_owned()
}

fn index(name: &str, table: impl Iden + 'static, columns: &[impl Iden + Copy + 'static]) -> IndexCreateStatement {
    let mut statement = Index::create().name(name).table(table).to_owned();
    for column in columns {
        statement.col(*column);
    }
    statement
}

fn unique_index(name: &str, table: impl Iden + 'static, column: impl Iden + 'static) -> IndexCreateStatement {
    Index::create().name(name).table(table).col(column).unique().to_owned()
}

/// Dialect difference: on SQLite a table keyed by text is a rowid table plus a unique
/// index; narrow tables written often are better stored in their key's B-tree.
fn keyed_by_primary_key(engine: Engine, mut statement: TableCreateStatement) -> TableCreateStatement {
    if engine == Engine::Sqlite {
        statement.extra("WITHOUT ROWID");
    }
    statement
}

fn customer_record(engine: Engine) -> Vec<String> {
    let create_table = |statement: TableCreateStatement| engine.render_schema(&statement);
    let keyed_by_primary_key = |statement| keyed_by_primary_key(engine, statement);
    let create_index = |statement: IndexCreateStatement| engine.render_schema(&statement);
    let branches = Table::create()
        .table(Branches::Table)
        .col(id(Branches::Id))
        .col(required_text(Branches::Name))
        .col(required_text(Branches::City))
        .col(required_text(Branches::Region))
        .col(required_text(Branches::TimeZone))
        .col(required_text(Branches::Language))
        .col(instant(Branches::CreatedAt))
        .to_owned();
    let users = Table::create()
        .table(Users::Table)
        .col(id(Users::Id))
        .col(required_text(Users::Email))
        .col(required_text(Users::Name))
        .col(required_text(Users::Role))
        .col(text(Users::BranchId))
        .col(required_text(Users::Languages))
        .col(text(Users::PasswordHash))
        .col(instant(Users::CreatedAt))
        .foreign_key(ForeignKey::create().from(Users::Table, Users::BranchId).to(Branches::Table, Branches::Id))
        .to_owned();
    let contacts = Table::create()
        .table(Contacts::Table)
        .col(id(Contacts::Id))
        .col(text(Contacts::ExternalId))
        .col(text(Contacts::Honorific))
        .col(required_text(Contacts::GivenName))
        .col(text(Contacts::FamilyName))
        .col(text(Contacts::FatherName))
        .col(text(Contacts::PreferredName))
        .col(text(Contacts::NameLatin))
        .col(required_text(Contacts::OtherNames))
        .col(text(Contacts::Gender))
        .col(text(Contacts::Language))
        .col(text(Contacts::Script))
        .col(text(Contacts::TimeZone))
        .col(text(Contacts::Region))
        .col(text(Contacts::Birthday))
        .col(required_text(Contacts::Emails))
        .col(required_text(Contacts::Phones))
        .col(text(Contacts::AddressLine))
        .col(text(Contacts::City))
        .col(text(Contacts::PinCode))
        .col(text(Contacts::BranchId))
        .col(text(Contacts::OwnerId))
        .col(required_text(Contacts::Tags))
        .col(required_text(Contacts::CustomFields))
        .col(text(Contacts::ValueTier))
        .col(text(Contacts::Source))
        .col(required_text(Contacts::SortName))
        .col(instant(Contacts::CreatedAt))
        .col(instant(Contacts::UpdatedAt))
        .col(ColumnDef::new(Contacts::Version).big_integer().not_null())
        .foreign_key(ForeignKey::create().from(Contacts::Table, Contacts::BranchId).to(Branches::Table, Branches::Id))
        .foreign_key(ForeignKey::create().from(Contacts::Table, Contacts::OwnerId).to(Users::Table, Users::Id))
        .to_owned();
    let contact_emails = Table::create()
        .table(ContactEmails::Table)
        .col(required_text(ContactEmails::Email))
        .col(required_text(ContactEmails::ContactId))
        .primary_key(Index::create().col(ContactEmails::Email).col(ContactEmails::ContactId))
        .foreign_key(
            ForeignKey::create()
                .from(ContactEmails::Table, ContactEmails::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let contact_phones = Table::create()
        .table(ContactPhones::Table)
        .col(required_text(ContactPhones::Phone))
        .col(required_text(ContactPhones::ContactId))
        .primary_key(Index::create().col(ContactPhones::Phone).col(ContactPhones::ContactId))
        .foreign_key(
            ForeignKey::create()
                .from(ContactPhones::Table, ContactPhones::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let contact_tags = Table::create()
        .table(ContactTags::Table)
        .col(required_text(ContactTags::Tag))
        .col(required_text(ContactTags::ContactId))
        .primary_key(Index::create().col(ContactTags::Tag).col(ContactTags::ContactId))
        .foreign_key(
            ForeignKey::create()
                .from(ContactTags::Table, ContactTags::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let companies = Table::create()
        .table(Companies::Table)
        .col(id(Companies::Id))
        .col(required_text(Companies::LegalName))
        .col(required_text(Companies::OtherNames))
        .col(text(Companies::Gstin))
        .col(text(Companies::Industry))
        .col(text(Companies::FoundedOn))
        .col(text(Companies::BranchId))
        .col(required_text(Companies::SortName))
        .col(instant(Companies::CreatedAt))
        .col(instant(Companies::UpdatedAt))
        .col(ColumnDef::new(Companies::Version).big_integer().not_null())
        .foreign_key(ForeignKey::create().from(Companies::Table, Companies::BranchId).to(Branches::Table, Branches::Id))
        .to_owned();
    let contact_companies = Table::create()
        .table(ContactCompanies::Table)
        .col(required_text(ContactCompanies::ContactId))
        .col(required_text(ContactCompanies::CompanyId))
        .col(text(ContactCompanies::Role))
        .primary_key(Index::create().col(ContactCompanies::ContactId).col(ContactCompanies::CompanyId))
        .foreign_key(
            ForeignKey::create()
                .from(ContactCompanies::Table, ContactCompanies::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(ContactCompanies::Table, ContactCompanies::CompanyId)
                .to(Companies::Table, Companies::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();

    vec![
        create_table(branches),
        create_index(unique_index("branches_name", Branches::Table, Branches::Name)),
        create_table(users),
        create_index(unique_index("users_email", Users::Table, Users::Email)),
        create_table(contacts),
        create_index(unique_index("contacts_external_id", Contacts::Table, Contacts::ExternalId)),
        create_index(index("contacts_branch", Contacts::Table, &[Contacts::BranchId, Contacts::Id])),
        create_index(index("contacts_owner", Contacts::Table, &[Contacts::OwnerId, Contacts::Id])),
        create_index(index("contacts_sort_name", Contacts::Table, &[Contacts::SortName, Contacts::Id])),
        create_index(index("contacts_updated_at", Contacts::Table, &[Contacts::UpdatedAt, Contacts::Id])),
        create_index(index("contacts_city", Contacts::Table, &[Contacts::City])),
        create_index(index("contacts_region", Contacts::Table, &[Contacts::Region])),
        create_table(keyed_by_primary_key(contact_emails)),
        create_index(index("contact_emails_contact", ContactEmails::Table, &[ContactEmails::ContactId])),
        create_table(keyed_by_primary_key(contact_phones)),
        create_index(index("contact_phones_contact", ContactPhones::Table, &[ContactPhones::ContactId])),
        create_table(keyed_by_primary_key(contact_tags)),
        create_index(index("contact_tags_contact", ContactTags::Table, &[ContactTags::ContactId])),
        create_table(companies),
        create_index(unique_index("companies_gstin", Companies::Table, Companies::Gstin)),
        create_index(index("companies_sort_name", Companies::Table, &[Companies::SortName, Companies::Id])),
        create_table(contact_companies),
        create_index(index("contact_companies_company", ContactCompanies::Table, &[ContactCompanies::CompanyId])),
    ]
}

fn access_audit_consent(engine: Engine) -> Vec<String> {
    let create_table = |statement: TableCreateStatement| engine.render_schema(&statement);
    // The audit log too: one B-tree fewer for every audited read to write.
    let keyed_by_primary_key = |statement| keyed_by_primary_key(engine, statement);
    let create_index = |statement: IndexCreateStatement| engine.render_schema(&statement);
    let erased_at = Table::alter()
        .table(Contacts::Table)
        .add_column(ColumnDef::new(Contacts::ErasedAt).big_integer().null())
        .to_owned();
    let sessions = Table::create()
        .table(Sessions::Table)
        .col(ColumnDef::new(Sessions::TokenHash).text().not_null().primary_key())
        .col(required_text(Sessions::UserId))
        .col(required_text(Sessions::CsrfToken))
        .col(instant(Sessions::CreatedAt))
        .col(instant(Sessions::LastSeenAt))
        .col(instant(Sessions::ExpiresAt))
        .col(text(Sessions::Address))
        .foreign_key(
            ForeignKey::create()
                .from(Sessions::Table, Sessions::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let api_tokens = Table::create()
        .table(ApiTokens::Table)
        .col(id(ApiTokens::Id))
        .col(required_text(ApiTokens::UserId))
        .col(required_text(ApiTokens::Label))
        .col(required_text(ApiTokens::TokenHash))
        .col(instant(ApiTokens::CreatedAt))
        .col(ColumnDef::new(ApiTokens::ExpiresAt).big_integer().null())
        .col(ColumnDef::new(ApiTokens::LastUsedAt).big_integer().null())
        .col(ColumnDef::new(ApiTokens::RevokedAt).big_integer().null())
        .foreign_key(
            ForeignKey::create()
                .from(ApiTokens::Table, ApiTokens::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    // No foreign keys: the audit outlives the users and records it speaks of. No index
    // on `at`: ids are UUIDv7, so a time range is a range of the primary key (one index
    // fewer for every audited read to maintain).
    let audit_log = Table::create()
        .table(AuditLog::Table)
        .col(id(AuditLog::Id))
        .col(instant(AuditLog::At))
        .col(text(AuditLog::ActorId))
        .col(required_text(AuditLog::Actor))
        .col(required_text(AuditLog::Via))
        .col(text(AuditLog::Address))
        .col(required_text(AuditLog::Action))
        .col(text(AuditLog::RecordType))
        .col(text(AuditLog::RecordId))
        .col(text(AuditLog::Changes))
        .col(text(AuditLog::Detail))
        .to_owned();
    let consents = Table::create()
        .table(Consents::Table)
        .col(id(Consents::Id))
        .col(required_text(Consents::ContactId))
        .col(required_text(Consents::Purpose))
        .col(required_text(Consents::Channel))
        .col(required_text(Consents::Status))
        .col(required_text(Consents::Method))
        .col(text(Consents::NoticeLanguage))
        .col(text(Consents::Note))
        .col(text(Consents::RecordedBy))
        .col(instant(Consents::RecordedAt))
        .foreign_key(
            ForeignKey::create()
                .from(Consents::Table, Consents::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    vec![
        engine.render_schema(&erased_at),
        create_table(sessions),
        create_index(index("sessions_user", Sessions::Table, &[Sessions::UserId])),
        create_table(api_tokens),
        create_index(unique_index("api_tokens_hash", ApiTokens::Table, ApiTokens::TokenHash)),
        create_index(index("api_tokens_user", ApiTokens::Table, &[ApiTokens::UserId])),
        create_table(keyed_by_primary_key(audit_log)),
        create_index(index("audit_log_record", AuditLog::Table, &[AuditLog::RecordId, AuditLog::Id])),
        create_index(index("audit_log_actor", AuditLog::Table, &[AuditLog::ActorId, AuditLog::Id])),
        create_table(consents),
        create_index(index("consents_contact", Consents::Table, &[Consents::ContactId, Consents::RecordedAt])),
    ]
}

fn timeline(engine: Engine) -> Vec<String> {
    let create_table = |statement: TableCreateStatement| engine.render_schema(&statement);
    let create_index = |statement: IndexCreateStatement| engine.render_schema(&statement);
    let of_contact = |table: Interactions| {
        ForeignKey::create()
            .from(table, Interactions::ContactId)
            .to(Contacts::Table, Contacts::Id)
            .on_delete(ForeignKeyAction::Cascade)
            .to_owned()
    };
    let interactions = Table::create()
        .table(Interactions::Table)
        .col(id(Interactions::Id))
        .col(required_text(Interactions::ContactId))
        .col(required_text(Interactions::Kind))
        .col(instant(Interactions::OccurredAt))
        .col(text(Interactions::StaffId))
        .col(text(Interactions::Direction))
        .col(ColumnDef::new(Interactions::DurationSeconds).big_integer().null())
        .col(text(Interactions::Outcome))
        .col(text(Interactions::Language))
        .col(text(Interactions::Subject))
        .col(text(Interactions::Text))
        .col(text(Interactions::Page))
        .col(instant(Interactions::CreatedAt))
        .foreign_key(&mut of_contact(Interactions::Table))
        .to_owned();
    let needs = Table::create()
        .table(Needs::Table)
        .col(id(Needs::Id))
        .col(required_text(Needs::ContactId))
        .col(required_text(Needs::Text))
        .col(required_text(Needs::TextKey))
        .col(text(Needs::LearntFrom))
        .col(required_text(Needs::NotedOn))
        .col(text(Needs::RecordedBy))
        .col(instant(Needs::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .from(Needs::Table, Needs::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let mut statements = vec![
        create_table(interactions),
        create_index(index(
            "interactions_timeline",
            Interactions::Table,
            &[Interactions::ContactId, Interactions::OccurredAt, Interactions::Id],
        )),
        create_table(needs),
        create_index(index("needs_contact", Needs::Table, &[Needs::ContactId, Needs::NotedOn])),
    ];
    statements.extend(deals(engine));
    let call_scripts = Table::create()
        .table(CallScripts::Table)
        .col(required_text(CallScripts::BranchKey))
        .col(required_text(CallScripts::Language))
        .col(text(CallScripts::Greeting))
        .col(required_text(CallScripts::Text))
        .col(instant(CallScripts::UpdatedAt))
        .primary_key(Index::create().col(CallScripts::BranchKey).col(CallScripts::Language))
        .to_owned();
    statements.push(engine.render_schema(&call_scripts));
    statements.extend(follow_ups(engine));
    statements.extend(orders(engine));
    statements
}

fn orders(engine: Engine) -> Vec<String> {
    let products = Table::create()
        .table(Products::Table)
        .col(id(Products::Id))
        .col(required_text(Products::Sku))
        .col(required_text(Products::Names))
        .col(text(Products::Category))
        .col(ColumnDef::new(Products::PriceMinor).big_integer().not_null())
        .col(required_text(Products::Currency))
        .col(instant(Products::CreatedAt))
        .to_owned();
    let orders = Table::create()
        .table(Orders::Table)
        .col(id(Orders::Id))
        .col(required_text(Orders::ContactId))
        .col(text(Orders::ExternalId))
        .col(instant(Orders::OrderedAt))
        .col(text(Orders::BranchId))
        .col(ColumnDef::new(Orders::TotalMinor).big_integer().not_null())
        .col(required_text(Orders::Currency))
        .col(instant(Orders::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .from(Orders::Table, Orders::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let lines = Table::create()
        .table(OrderLines::Table)
        .col(required_text(OrderLines::OrderId))
        .col(ColumnDef::new(OrderLines::Position).big_integer().not_null())
        .col(required_text(OrderLines::ProductId))
        .col(ColumnDef::new(OrderLines::Quantity).big_integer().not_null())
        .col(ColumnDef::new(OrderLines::UnitPriceMinor).big_integer().not_null())
        .col(required_text(OrderLines::Currency))
        .primary_key(Index::create().col(OrderLines::OrderId).col(OrderLines::Position))
        .foreign_key(
            ForeignKey::create()
                .from(OrderLines::Table, OrderLines::OrderId)
                .to(Orders::Table, Orders::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create().from(OrderLines::Table, OrderLines::ProductId).to(Products::Table, Products::Id),
        )
        .to_owned();
    vec![
        engine.render_schema(&products),
        engine.render_schema(&unique_index("products_sku", Products::Table, Products::Sku)),
        engine.render_schema(&orders),
        engine.render_schema(&unique_index("orders_external_id", Orders::Table, Orders::ExternalId)),
        engine.render_schema(&index(
            "orders_contact",
            Orders::Table,
            &[Orders::ContactId, Orders::OrderedAt, Orders::Id],
        )),
        engine.render_schema(&keyed_by_primary_key(engine, lines)),
        engine.render_schema(&index("order_lines_product", OrderLines::Table, &[OrderLines::ProductId])),
    ]
}

fn follow_ups(engine: Engine) -> Vec<String> {
    let tasks = Table::create()
        .table(Tasks::Table)
        .col(id(Tasks::Id))
        .col(required_text(Tasks::Title))
        .col(instant(Tasks::DueAt))
        .col(required_text(Tasks::AssigneeId))
        .col(text(Tasks::ContactId))
        .col(text(Tasks::DealId))
        .col(text(Tasks::Notes))
        .col(text(Tasks::BranchId))
        .col(ColumnDef::new(Tasks::DoneAt).big_integer().null())
        .col(text(Tasks::RuleId))
        .col(instant(Tasks::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .from(Tasks::Table, Tasks::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Tasks::Table, Tasks::DealId)
                .to(Deals::Table, Deals::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(ForeignKey::create().from(Tasks::Table, Tasks::AssigneeId).to(Users::Table, Users::Id))
        .to_owned();
    let rules = Table::create()
        .table(FollowUpRules::Table)
        .col(id(FollowUpRules::Id))
        .col(required_text(FollowUpRules::Trigger))
        .col(ColumnDef::new(FollowUpRules::DelayDays).big_integer().not_null())
        .col(required_text(FollowUpRules::Title))
        .to_owned();
    let mut seed = Query::insert()
        .into_table(FollowUpRules::Table)
        .columns([FollowUpRules::Id, FollowUpRules::Trigger, FollowUpRules::DelayDays, FollowUpRules::Title])
        .to_owned();
    for (trigger, days, title) in sambandh_domain::FollowUpRule::defaults() {
        seed.values_panic([
            format!("default-{trigger}").into(),
            trigger.as_str().into(),
            i64::from(days).into(),
            title.into(),
        ]);
    }
    let seed_sql = engine.render_inline(&seed);
    vec![
        engine.render_schema(&tasks),
        engine.render_schema(&index("tasks_assignee_due", Tasks::Table, &[Tasks::AssigneeId, Tasks::DueAt, Tasks::Id])),
        engine.render_schema(&index("tasks_due", Tasks::Table, &[Tasks::DueAt, Tasks::Id])),
        engine.render_schema(&index("tasks_contact", Tasks::Table, &[Tasks::ContactId])),
        engine.render_schema(&index("tasks_deal", Tasks::Table, &[Tasks::DealId])),
        engine.render_schema(&rules),
        seed_sql,
    ]
}

fn deals(engine: Engine) -> Vec<String> {
    let create_table = |statement: TableCreateStatement| engine.render_schema(&statement);
    let create_index = |statement: IndexCreateStatement| engine.render_schema(&statement);
    let first_deal_on = |table: &dyn Fn() -> sea_query::TableAlterStatement| engine.render_schema(&table());
    let stages = Table::create()
        .table(PipelineStages::Table)
        .col(ColumnDef::new(PipelineStages::Key).text().not_null().primary_key())
        .col(required_text(PipelineStages::Name))
        .col(ColumnDef::new(PipelineStages::Position).big_integer().not_null())
        .col(required_text(PipelineStages::Outcome))
        .to_owned();
    let deals = Table::create()
        .table(Deals::Table)
        .col(id(Deals::Id))
        .col(required_text(Deals::Title))
        .col(text(Deals::ContactId))
        .col(text(Deals::CompanyId))
        .col(required_text(Deals::Stage))
        .col(ColumnDef::new(Deals::AmountMinor).big_integer().null())
        .col(text(Deals::Currency))
        .col(text(Deals::ExpectedClose))
        .col(text(Deals::OwnerId))
        .col(text(Deals::BranchId))
        .col(text(Deals::LostReason))
        .col(text(Deals::WonOn))
        .col(ColumnDef::new(Deals::ClosedAt).big_integer().null())
        .col(instant(Deals::CreatedAt))
        .col(instant(Deals::UpdatedAt))
        .col(ColumnDef::new(Deals::Version).big_integer().not_null())
        // A deal outlives its contact or company (reports stay true): the link is cleared.
        .foreign_key(
            ForeignKey::create()
                .from(Deals::Table, Deals::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::SetNull),
        )
        .foreign_key(
            ForeignKey::create()
                .from(Deals::Table, Deals::CompanyId)
                .to(Companies::Table, Companies::Id)
                .on_delete(ForeignKeyAction::SetNull),
        )
        .foreign_key(
            ForeignKey::create().from(Deals::Table, Deals::Stage).to(PipelineStages::Table, PipelineStages::Key),
        )
        .to_owned();
    let mut seed = Query::insert()
        .into_table(PipelineStages::Table)
        .columns([PipelineStages::Key, PipelineStages::Name, PipelineStages::Position, PipelineStages::Outcome])
        .to_owned();
    for (position, (key, name, outcome)) in sambandh_domain::Pipeline::default_stages().into_iter().enumerate() {
        seed.values_panic([key.into(), name.into(), (position as i64).into(), outcome.as_str().into()]);
    }
    let seed_sql = engine.render_inline(&seed);
    vec![
        first_deal_on(&|| {
            Table::alter()
                .table(Contacts::Table)
                .add_column(ColumnDef::new(Contacts::FirstDealOn).text().null())
                .to_owned()
        }),
        first_deal_on(&|| {
            Table::alter()
                .table(Companies::Table)
                .add_column(ColumnDef::new(Companies::FirstDealOn).text().null())
                .to_owned()
        }),
        create_table(stages),
        seed_sql,
        create_table(deals),
        create_index(index("deals_contact", Deals::Table, &[Deals::ContactId, Deals::CreatedAt, Deals::Id])),
        create_index(index("deals_company", Deals::Table, &[Deals::CompanyId])),
        create_index(index("deals_branch", Deals::Table, &[Deals::BranchId, Deals::Id])),
        create_index(index("deals_owner", Deals::Table, &[Deals::OwnerId, Deals::Id])),
    ]
}

fn flag(column: impl Iden + 'static) -> ColumnDef {
    ColumnDef::new(column).big_integer().not_null().default(0).to_owned()
}

fn of_contact(table: impl Iden + Copy + 'static, column: impl Iden + 'static) -> sea_query::ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Contacts::Table, Contacts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn greetings_and_outbox(engine: Engine) -> Vec<String> {
    let create_table = |statement: TableCreateStatement| engine.render_schema(&statement);
    let create_index = |statement: IndexCreateStatement| engine.render_schema(&statement);
    let settings = Table::create()
        .table(Settings::Table)
        .col(id(Settings::Key))
        .col(required_text(Settings::Value))
        .col(instant(Settings::UpdatedAt))
        .to_owned();
    let festival_dates = Table::create()
        .table(FestivalDates::Table)
        .col(ColumnDef::new(FestivalDates::Year).big_integer().not_null())
        .col(required_text(FestivalDates::Key))
        // '' for every region.
        .col(required_text(FestivalDates::Region))
        .col(required_text(FestivalDates::Date))
        .col(required_text(FestivalDates::Name))
        .col(required_text(FestivalDates::Source))
        .col(instant(FestivalDates::UpdatedAt))
        .primary_key(Index::create().col(FestivalDates::Year).col(FestivalDates::Key).col(FestivalDates::Region))
        .to_owned();
    let contact_occasions = Table::create()
        .table(ContactOccasions::Table)
        .col(required_text(ContactOccasions::ContactId))
        .col(required_text(ContactOccasions::Occasion))
        .col(flag(ContactOccasions::Greet))
        // MM-DD of a custom date; the festival calendar and the record give the others.
        .col(text(ContactOccasions::MonthDay))
        .col(ColumnDef::new(ContactOccasions::SinceYear).big_integer().null())
        .col(required_text(ContactOccasions::Method))
        .col(text(ContactOccasions::RecordedBy))
        .col(instant(ContactOccasions::RecordedAt))
        .primary_key(Index::create().col(ContactOccasions::ContactId).col(ContactOccasions::Occasion))
        .foreign_key(&mut of_contact(ContactOccasions::Table, ContactOccasions::ContactId))
        .to_owned();
    let rules = Table::create()
        .table(GreetingRules::Table)
        .col(id(GreetingRules::Id))
        .col(required_text(GreetingRules::Name))
        .col(required_text(GreetingRules::Occasion))
        .col(required_text(GreetingRules::Tiers))
        .col(required_text(GreetingRules::Tags))
        .col(required_text(GreetingRules::Branches))
        .col(required_text(GreetingRules::Channel))
        .col(required_text(GreetingRules::Template))
        .col(required_text(GreetingRules::SendTime))
        .col(flag(GreetingRules::LeadDays))
        .col(flag(GreetingRules::AutoSend))
        .col(flag(GreetingRules::SignAsOwner))
        .col(flag(GreetingRules::Active))
        .col(instant(GreetingRules::CreatedAt))
        .to_owned();
    let templates = Table::create()
        .table(MessageTemplates::Table)
        .col(required_text(MessageTemplates::Key))
        .col(required_text(MessageTemplates::Language))
        .col(required_text(MessageTemplates::Subject))
        .col(required_text(MessageTemplates::Body))
        .col(instant(MessageTemplates::UpdatedAt))
        .primary_key(Index::create().col(MessageTemplates::Key).col(MessageTemplates::Language))
        .to_owned();
    let greetings = Table::create()
        .table(Greetings::Table)
        .col(id(Greetings::Id))
        .col(required_text(Greetings::ContactId))
        .col(required_text(Greetings::RuleId))
        .col(required_text(Greetings::Occasion))
        .col(required_text(Greetings::OccasionDate))
        .col(required_text(Greetings::Channel))
        .col(required_text(Greetings::Language))
        .col(required_text(Greetings::Subject))
        .col(required_text(Greetings::Body))
        .col(required_text(Greetings::Status))
        .col(instant(Greetings::SendAt))
        .col(text(Greetings::BranchId))
        .col(text(Greetings::OwnerId))
        .col(text(Greetings::MessageId))
        .col(text(Greetings::DecidedBy))
        .col(ColumnDef::new(Greetings::DecidedAt).big_integer().null())
        .col(instant(Greetings::CreatedAt))
        .foreign_key(&mut of_contact(Greetings::Table, Greetings::ContactId))
        .to_owned();
    let messages = Table::create()
        .table(Messages::Table)
        .col(id(Messages::Id))
        .col(required_text(Messages::ContactId))
        .col(text(Messages::BranchId))
        .col(text(Messages::OwnerId))
        .col(required_text(Messages::Channel))
        .col(required_text(Messages::Purpose))
        .col(flag(Messages::Priority))
        .col(required_text(Messages::Recipient))
        .col(text(Messages::FromName))
        .col(text(Messages::ReplyTo))
        .col(required_text(Messages::Subject))
        .col(required_text(Messages::Body))
        .col(instant(Messages::NotBefore))
        .col(required_text(Messages::Status))
        .col(flag(Messages::Attempts))
        .col(ColumnDef::new(Messages::LeaseUntil).big_integer().null())
        .col(text(Messages::LastError))
        .col(ColumnDef::new(Messages::SentAt).big_integer().null())
        .col(text(Messages::UnsubscribeToken))
        .col(text(Messages::UnsubscribeHash))
        .col(required_text(Messages::IdempotencyKey))
        .col(instant(Messages::CreatedAt))
        .foreign_key(&mut of_contact(Messages::Table, Messages::ContactId))
        .to_owned();
    let attempts = Table::create()
        .table(MessageAttempts::Table)
        .col(required_text(MessageAttempts::MessageId))
        .col(ColumnDef::new(MessageAttempts::Attempt).big_integer().not_null())
        .col(instant(MessageAttempts::At))
        .col(required_text(MessageAttempts::Outcome))
        .col(text(MessageAttempts::Detail))
        .primary_key(Index::create().col(MessageAttempts::MessageId).col(MessageAttempts::Attempt))
        .foreign_key(
            ForeignKey::create()
                .from(MessageAttempts::Table, MessageAttempts::MessageId)
                .to(Messages::Table, Messages::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let mut statements = vec![
        create_table(settings),
        create_table(festival_dates),
        create_table(keyed_by_primary_key(engine, contact_occasions)),
        create_index(index(
            "contact_occasions_by_occasion",
            ContactOccasions::Table,
            &[ContactOccasions::Occasion, ContactOccasions::Greet, ContactOccasions::ContactId],
        )),
        create_table(rules),
        create_table(templates),
        create_table(greetings),
        create_index(
            Index::create()
                .name("greetings_once")
                .table(Greetings::Table)
                .col(Greetings::ContactId)
                .col(Greetings::Occasion)
                .col(Greetings::OccasionDate)
                .unique()
                .to_owned(),
        ),
        create_index(index("greetings_by_date", Greetings::Table, &[Greetings::OccasionDate, Greetings::Id])),
        // The outbox marks a greeting sent by its message.
        create_index(index("greetings_by_message", Greetings::Table, &[Greetings::MessageId])),
        create_table(messages),
        create_index(unique_index("messages_idempotency", Messages::Table, Messages::IdempotencyKey)),
        create_index(index("messages_due", Messages::Table, &[Messages::Status, Messages::NotBefore])),
        create_index(index("messages_contact_sent", Messages::Table, &[Messages::ContactId, Messages::SentAt])),
        create_index(index("messages_unsubscribe", Messages::Table, &[Messages::UnsubscribeHash])),
        create_table(attempts),
        // The daily run finds the day's yearly occasions by month and day: expression
        // indexes (the same SQL on both engines) spare it a scan of every contact.
        format!("CREATE INDEX contacts_birthday_md ON contacts ({})", crate::greetings::BIRTHDAY_MONTH_DAY),
        format!("CREATE INDEX contacts_first_deal_md ON contacts ({})", crate::greetings::FIRST_DEAL_MONTH_DAY),
        format!("CREATE INDEX companies_founded_md ON companies ({})", crate::greetings::FOUNDED_MONTH_DAY),
        create_index(index("contact_occasions_month_day", ContactOccasions::Table, &[ContactOccasions::MonthDay])),
    ];
    statements.extend(crate::greetings::seed(engine));
    statements
}

fn service_desk(engine: Engine) -> Vec<String> {
    let create_table = |statement: TableCreateStatement| engine.render_schema(&statement);
    let create_index = |statement: IndexCreateStatement| engine.render_schema(&statement);
    let optional_instant = |column: Tickets| ColumnDef::new(column).big_integer().null().to_owned();
    let tickets = Table::create()
        .table(Tickets::Table)
        .col(id(Tickets::Id))
        .col(ColumnDef::new(Tickets::Number).big_integer().not_null())
        .col(required_text(Tickets::ContactId))
        .col(text(Tickets::BranchId))
        .col(text(Tickets::AssigneeId))
        .col(required_text(Tickets::Source))
        .col(required_text(Tickets::Subject))
        .col(required_text(Tickets::Language))
        .col(required_text(Tickets::Status))
        .col(required_text(Tickets::Priority))
        .col(text(Tickets::Tier))
        .col(required_text(Tickets::Tags))
        .col(text(Tickets::PolicyId))
        .col(instant(Tickets::CreatedAt))
        .col(instant(Tickets::UpdatedAt))
        .col(ColumnDef::new(Tickets::Version).big_integer().not_null().default(1))
        .col(instant(Tickets::CustomerAt))
        .col(optional_instant(Tickets::FirstResponseDue))
        .col(optional_instant(Tickets::FirstResponseAt))
        .col(optional_instant(Tickets::FirstResponseWork))
        .col(optional_instant(Tickets::NextResponseDue))
        .col(optional_instant(Tickets::ResolutionDue))
        .col(optional_instant(Tickets::ResolvedAt))
        .col(optional_instant(Tickets::ResolutionWork))
        .col(instant(Tickets::DueAt))
        .col(optional_instant(Tickets::PausedSince))
        .col(flag(Tickets::PausedWork))
        .col(optional_instant(Tickets::RemindedDue))
        .col(optional_instant(Tickets::EscalatedDue))
        .col(text(Tickets::CsatHash))
        .col(ColumnDef::new(Tickets::CsatScore).big_integer().null())
        .col(text(Tickets::CsatComment))
        .col(optional_instant(Tickets::CsatAt))
        .foreign_key(&mut of_contact(Tickets::Table, Tickets::ContactId))
        .to_owned();
    let entries = Table::create()
        .table(TicketEntries::Table)
        .col(id(TicketEntries::Id))
        .col(required_text(TicketEntries::TicketId))
        .col(required_text(TicketEntries::Kind))
        .col(text(TicketEntries::AuthorId))
        .col(required_text(TicketEntries::Body))
        .col(text(TicketEntries::MailId))
        .col(text(TicketEntries::MessageId))
        .col(instant(TicketEntries::CreatedAt))
        .foreign_key(
            ForeignKey::create()
                .from(TicketEntries::Table, TicketEntries::TicketId)
                .to(Tickets::Table, Tickets::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let hours = Table::create()
        .table(BranchHours::Table)
        .col(id(BranchHours::BranchId))
        .col(required_text(BranchHours::Hours))
        .col(instant(BranchHours::UpdatedAt))
        .to_owned();
    let holidays = Table::create()
        .table(BranchHolidays::Table)
        .col(required_text(BranchHolidays::BranchId))
        .col(required_text(BranchHolidays::Date))
        .col(required_text(BranchHolidays::Name))
        .col(required_text(BranchHolidays::Source))
        .primary_key(Index::create().col(BranchHolidays::BranchId).col(BranchHolidays::Date))
        .to_owned();
    let policies = Table::create()
        .table(SlaPolicies::Table)
        .col(id(SlaPolicies::Id))
        .col(ColumnDef::new(SlaPolicies::Position).big_integer().not_null())
        .col(required_text(SlaPolicies::Name))
        .col(text(SlaPolicies::Source))
        .col(text(SlaPolicies::Priority))
        .col(text(SlaPolicies::Tier))
        .col(required_text(SlaPolicies::FirstResponse))
        .col(required_text(SlaPolicies::NextResponse))
        .col(required_text(SlaPolicies::Resolution))
        .col(instant(SlaPolicies::UpdatedAt))
        .to_owned();
    let counters = Table::create()
        .table(Counters::Table)
        .col(id(Counters::Name))
        .col(ColumnDef::new(Counters::Value).big_integer().not_null())
        .to_owned();
    let add_message_column = |column: Messages| {
        engine.render_schema(&Table::alter().table(Messages::Table).add_column(text(column)).to_owned())
    };
    let mut statements = vec![
        create_table(tickets),
        create_index(unique_index("tickets_number", Tickets::Table, Tickets::Number)),
        // A branch's queue: its open tickets by their next deadline, read in index order
        // (paused and resolved tickets sort last, at `NO_DEADLINE`), the status checked
        // in the index.
        create_index(index(
            "tickets_queue",
            Tickets::Table,
            &[Tickets::BranchId, Tickets::DueAt, Tickets::Id, Tickets::Status],
        )),
        create_index(index("tickets_assignee", Tickets::Table, &[Tickets::AssigneeId, Tickets::Status])),
        // The reminder job: whatever is running and due soon, in every branch.
        create_index(index("tickets_due", Tickets::Table, &[Tickets::DueAt])),
        create_index(index("tickets_contact", Tickets::Table, &[Tickets::ContactId, Tickets::CreatedAt])),
        create_index(index("tickets_created", Tickets::Table, &[Tickets::CreatedAt])),
        create_index(index("tickets_csat", Tickets::Table, &[Tickets::CsatHash])),
        create_table(entries),
        create_index(index(
            "ticket_entries_by_ticket",
            TicketEntries::Table,
            &[TicketEntries::TicketId, TicketEntries::Id],
        )),
        create_index(unique_index("ticket_entries_mail", TicketEntries::Table, TicketEntries::MailId)),
        create_table(hours),
        create_table(keyed_by_primary_key(engine, holidays)),
        create_table(policies),
        create_table(counters),
        add_message_column(Messages::InReplyTo),
        add_message_column(Messages::ThreadRefs),
        add_message_column(Messages::Language),
        engine.render_schema(&Table::alter().table(Messages::Table).add_column(flag(Messages::AutoReply)).to_owned()),
    ];
    statements.extend(crate::tickets::seed(engine));
    statements
}

fn contact_search(engine: Engine) -> Vec<String> {
    let mut word = required_text(ContactWords::Word);
    if engine == Engine::Postgres {
        // Dialect difference: a search reads the range [prefix, next prefix) of the key,
        // which is the set of words starting with the prefix only in code point order.
        // SQLite compares text bytewise (UTF-8, which is that order); PostgreSQL would
        // use the database's linguistic collation.
        word.extra("COLLATE \"C\"");
    }
    let words = Table::create()
        .table(ContactWords::Table)
        .col(word)
        .col(required_text(ContactWords::ContactId))
        .primary_key(Index::create().col(ContactWords::Word).col(ContactWords::ContactId))
        .foreign_key(&mut of_contact(ContactWords::Table, ContactWords::ContactId))
        .to_owned();
    vec![
        engine.render_schema(&keyed_by_primary_key(engine, words)),
        engine.render_schema(&index("contact_words_contact", ContactWords::Table, &[ContactWords::ContactId])),
    ]
}

/// Migration 7: a search, and a list in order, read no contact row to learn whether a
/// contact is in the caller's scope.
///
/// - `contact_words` gains the contact's sort name, last update, branch and owner
///   (kept with the words, which every write of a contact rewrites): a search by a word
///   that a few thousand contacts have reads its range of words in the list's order and
///   then only the page's contacts (a two-letter prefix in a branch: 171 ms → about
///   30 ms on 1M contacts, docs/benchmarks.md). The table is made anew and filled from
///   the old one joined to the contacts (ALTER TABLE cannot add `NOT NULL` columns
///   without a default), in key order.
/// - The name and last-update indexes of contacts carry the branch and the owner after
///   the key, so that reading a branch's contacts in order tests each index entry
///   for the scope and reads only the rows it keeps.
#[expect(clippy::expect_used, reason = "a fixed statement: its select has the insert's six columns")]
fn search_in_scope_and_order(engine: Engine) -> Vec<String> {
    use sea_query::ExprTrait as _;
    let next = sea_query::Alias::new("contact_words_next");
    let mut word = required_text(ContactWords::Word);
    if engine == Engine::Postgres {
        // Dialect difference: see `contact_search`.
        word.extra("COLLATE \"C\"");
    }
    let words = Table::create()
        .table(next.clone())
        .col(word)
        .col(required_text(ContactWords::ContactId))
        .col(required_text(ContactWords::SortName))
        .col(instant(ContactWords::UpdatedAt))
        .col(ColumnDef::new(ContactWords::BranchId).text().null())
        .col(ColumnDef::new(ContactWords::OwnerId).text().null())
        .primary_key(Index::create().col(ContactWords::Word).col(ContactWords::ContactId))
        .foreign_key(
            ForeignKey::create()
                .from(next.clone(), ContactWords::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let fill = Query::insert()
        .into_table(next.clone())
        .columns(ContactWords::COLUMNS)
        .select_from(
            Query::select()
                .column((ContactWords::Table, ContactWords::Word))
                .column((ContactWords::Table, ContactWords::ContactId))
                .column((Contacts::Table, Contacts::SortName))
                .column((Contacts::Table, Contacts::UpdatedAt))
                .column((Contacts::Table, Contacts::BranchId))
                .column((Contacts::Table, Contacts::OwnerId))
                .from(ContactWords::Table)
                .inner_join(
                    Contacts::Table,
                    Expr::col((Contacts::Table, Contacts::Id)).equals((ContactWords::Table, ContactWords::ContactId)),
                )
                .order_by((ContactWords::Table, ContactWords::Word), sea_query::Order::Asc)
                .order_by((ContactWords::Table, ContactWords::ContactId), sea_query::Order::Asc)
                .to_owned(),
        )
        .expect("the select has the insert's six columns")
        .to_owned();
    let renamed = Table::rename().table(next, ContactWords::Table).to_owned();
    let rebuilt = |name: &str, key: Contacts| {
        [
            engine.render_schema(&Index::drop().name(name).table(Contacts::Table).to_owned()),
            engine.render_schema(&index(
                name,
                Contacts::Table,
                &[key, Contacts::Id, Contacts::BranchId, Contacts::OwnerId],
            )),
        ]
    };
    let mut steps = vec![
        engine.render_schema(&keyed_by_primary_key(engine, words)),
        engine.render_inline(&fill),
        engine.render_schema(&Table::drop().table(ContactWords::Table).to_owned()),
        engine.render_schema(&renamed),
        // A contact's words by prefix, from the index alone on both engines (SQLite's
        // would hold the word anyway, as part of the key; PostgreSQL's would not).
        engine.render_schema(&index(
            "contact_words_contact",
            ContactWords::Table,
            &[ContactWords::ContactId, ContactWords::Word],
        )),
    ];
    steps.extend(rebuilt("contacts_sort_name", Contacts::SortName));
    steps.extend(rebuilt("contacts_updated_at", Contacts::UpdatedAt));
    steps
}

/// `consent_states`, filled with the latest event of every contact, purpose and channel.
#[expect(clippy::expect_used, reason = "a fixed statement: its select has the insert's six columns")]
fn current_consent(engine: Engine) -> Vec<String> {
    use sea_query::ExprTrait as _;
    let states = Table::create()
        .table(ConsentStates::Table)
        .col(required_text(ConsentStates::ContactId))
        .col(required_text(ConsentStates::Purpose))
        .col(required_text(ConsentStates::Channel))
        .col(required_text(ConsentStates::Status))
        .col(instant(ConsentStates::RecordedAt))
        .col(required_text(ConsentStates::EventId))
        .primary_key(
            Index::create().col(ConsentStates::ContactId).col(ConsentStates::Purpose).col(ConsentStates::Channel),
        )
        .foreign_key(
            ForeignKey::create()
                .from(ConsentStates::Table, ConsentStates::ContactId)
                .to(Contacts::Table, Contacts::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let later = sea_query::Alias::new("later");
    let same = |column: Consents| Expr::col((later.clone(), column)).equals((Consents::Table, column));
    let newer = Query::select()
        .expr(Expr::value(1))
        .from_as(Consents::Table, later.clone())
        .and_where(same(Consents::ContactId))
        .and_where(same(Consents::Purpose))
        .and_where(same(Consents::Channel))
        .cond_where(
            sea_query::Cond::any()
                .add(
                    Expr::col((later.clone(), Consents::RecordedAt))
                        .gt(Expr::col((Consents::Table, Consents::RecordedAt))),
                )
                .add(
                    sea_query::Cond::all()
                        .add(same(Consents::RecordedAt))
                        .add(Expr::col((later.clone(), Consents::Id)).gt(Expr::col((Consents::Table, Consents::Id)))),
                ),
        )
        .to_owned();
    let fill = Query::insert()
        .into_table(ConsentStates::Table)
        .columns(ConsentStates::COLUMNS)
        .select_from(
            Query::select()
                .columns(
                    [
                        Consents::ContactId,
                        Consents::Purpose,
                        Consents::Channel,
                        Consents::Status,
                        Consents::RecordedAt,
                        Consents::Id,
                    ]
                    .map(|column| (Consents::Table, column)),
                )
                .from(Consents::Table)
                .and_where(Expr::exists(newer).not())
                .to_owned(),
        )
        .expect("the select has the insert's six columns")
        .to_owned();
    vec![engine.render_schema(&keyed_by_primary_key(engine, states)), engine.render_inline(&fill)]
}

/// The month-and-day indexes of the daily run hold only the rows that have the date.
/// Most contacts have no first deal (and most occasion choices no date): with those
/// rows in the index, SQLite's statistics made a month and day look as common as
/// "no date" is, and the planner scanned every contact instead (300 ms a rule a day).
/// The queries state `… IS NOT NULL`, which lets both engines use these indexes.
fn occasions_without_empty_dates(_engine: Engine) -> Vec<String> {
    let partial = |name: &str, table: &str, expression: &str, column: &str| {
        [
            format!("DROP INDEX {name}"),
            format!("CREATE INDEX {name} ON {table} ({expression}) WHERE {column} IS NOT NULL"),
        ]
    };
    use crate::greetings::{BIRTHDAY_MONTH_DAY, FIRST_DEAL_MONTH_DAY, FOUNDED_MONTH_DAY};
    [
        partial("contacts_birthday_md", "contacts", BIRTHDAY_MONTH_DAY, "birthday"),
        partial("contacts_first_deal_md", "contacts", FIRST_DEAL_MONTH_DAY, "first_deal_on"),
        partial("companies_founded_md", "companies", FOUNDED_MONTH_DAY, "founded_on"),
        partial("contact_occasions_month_day", "contact_occasions", "month_day", "month_day"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Views leave the audit log's index by record: a view is written on every read of a
/// record, at a random place of that index, and keeping it up cost the server a sixth
/// of its time under a read load (see `crate::audit::INDEXED_BY_RECORD`).
fn views_not_indexed_by_record(_engine: Engine) -> Vec<String> {
    vec![
        "DROP INDEX audit_log_record".to_owned(),
        format!("CREATE INDEX audit_log_record ON audit_log (record_id, id) WHERE {}", crate::audit::INDEXED_BY_RECORD),
    ]
}
