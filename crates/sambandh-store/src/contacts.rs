//! Contacts: the row is the record (lists and maps as JSON text), and the side tables
//! index e-mails, phones and tags for lookups and filters, and the words of the names
//! for search.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sambandh_domain::{
    BranchId, Contact, ContactData, ContactId, ContactInput, EmailAddress, ExternalId, LanguageTag, PhoneE164, Region,
    Scope, StoredIds, Tag, UserId, ValueTier, normalise_search, search_words,
};
use sea_query::{Cond, Expr, ExprTrait, Order, Query, SelectStatement};
use sqlx::any::AnyRow;
use sqlx::{Executor, Row};

use crate::db::{Engine, Exec, Tx, execute, execute_each, fetch_all, fetch_optional};
use crate::error::conflict_on;
use crate::paging::{Keyset, fetch_page};
use crate::schema::{ContactEmails, ContactPhones, ContactTags, ContactWords, Contacts};
use crate::scope;
use crate::{Page, PageRequest, Store, StoreError};

/// Which contacts a list shows. Every field narrows the list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFilter {
    pub branch_id: Option<BranchId>,
    /// The member of staff who looks after the contacts.
    pub owner_id: Option<UserId>,
    pub tag: Option<Tag>,
    pub value_tier: Option<ValueTier>,
    pub city: Option<String>,
    pub region: Option<Region>,
    /// Matches the tag and its regional variants: `ta` finds `ta` and `ta-IN`.
    pub language: Option<LanguageTag>,
    pub updated_since: Option<Timestamp>,
    /// Contacts with a need or interest whose text contains this (any case).
    pub need: Option<String>,
    /// A search by name, in any script: each word of it must start a word of one of
    /// the contact's names (see `sambandh_domain::normalise_search`). A query with no
    /// words filters nothing.
    pub search: Option<String>,
}

/// The order of a contact list. Every order is total (ties broken by id), which is
/// what makes cursor pagination exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ContactSort {
    /// Oldest first (ids are UUIDv7, so id order is creation order).
    #[default]
    Created,
    CreatedDesc,
    Updated,
    UpdatedDesc,
    Name,
    NameDesc,
}

impl ContactSort {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "created" | "created_at" => Self::Created,
            "-created" | "-created_at" => Self::CreatedDesc,
            "updated" | "updated_at" => Self::Updated,
            "-updated" | "-updated_at" => Self::UpdatedDesc,
            "name" => Self::Name,
            "-name" => Self::NameDesc,
            _ => return None,
        })
    }

    fn keyset(self) -> Keyset {
        self.keyset_over(Contacts::SortName, Contacts::UpdatedAt, Contacts::Id)
    }

    /// The same order over `contact_words`, which carries the keys: a cursor of one
    /// serves the other.
    fn words_keyset(self) -> Keyset {
        self.keyset_over(ContactWords::SortName, ContactWords::UpdatedAt, ContactWords::ContactId)
    }

    fn keyset_over<T: sea_query::Iden + Copy + 'static>(self, sort_name: T, updated_at: T, id: T) -> Keyset {
        let descending = matches!(self, Self::CreatedDesc | Self::UpdatedDesc | Self::NameDesc);
        match self {
            Self::Created | Self::CreatedDesc => Keyset::new("created", id, true, id, descending),
            Self::Updated | Self::UpdatedDesc => Keyset::new("updated", updated_at, false, id, descending),
            Self::Name | Self::NameDesc => Keyset::new("name", sort_name, true, id, descending),
        }
    }
}

/// How an imported row found its existing contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactMatch {
    ExternalId,
    Email,
    Phone,
}

/// Every column of a contact row: the id, the fields a write sets, the bookkeeping.
fn columns() -> impl Iterator<Item = Contacts> {
    std::iter::once(Contacts::Id).chain(WRITABLE).chain([
        Contacts::CreatedAt,
        Contacts::UpdatedAt,
        Contacts::Version,
        Contacts::ErasedAt,
        Contacts::FirstDealOn,
    ])
}

fn select() -> SelectStatement {
    Query::select().columns(columns()).from(Contacts::Table).to_owned()
}

impl Store {
    /// The contact with this id, if it exists and is in scope.
    pub async fn contact(&self, scope: &Scope, id: ContactId) -> Result<Option<Contact>, StoreError> {
        let mut conn = self.reader().await?;
        get(&mut conn, scope, id).await
    }

    pub async fn count_contacts(&self, scope: &Scope) -> Result<i64, StoreError> {
        let mut conn = self.reader().await?;
        let mut query = Query::select().expr(Expr::col(Contacts::Id).count()).from(Contacts::Table).to_owned();
        scope::contacts_in(&mut query, scope);
        let row = fetch_optional(&mut conn, &query).await?;
        Ok(row.map(|row| row.try_get::<i64, _>(0)).transpose()?.unwrap_or(0))
    }

    pub async fn contacts(
        &self,
        scope: &Scope,
        filter: &ContactFilter,
        sort: ContactSort,
        page: &PageRequest,
    ) -> Result<Page<Contact>, StoreError> {
        let mut conn = self.reader().await?;
        let others = ContactFilter { search: None, ..filter.clone() };
        let plan = match &filter.search {
            Some(search) => plan_search(&mut conn, search).await?,
            None => SearchPlan::Check(Vec::new()),
        };
        match plan {
            SearchPlan::Drive { word, checked } => {
                search_page(&mut conn, scope, &others, &word, &checked, sort, page).await
            }
            SearchPlan::Check(words) => checked_page(&mut conn, scope, &others, &words, sort, page).await,
        }
    }

    pub async fn contacts_by_email(&self, scope: &Scope, email: &EmailAddress) -> Result<Vec<Contact>, StoreError> {
        let mut conn = self.reader().await?;
        let ids = Query::select()
            .column(ContactEmails::ContactId)
            .from(ContactEmails::Table)
            .and_where(Expr::col(ContactEmails::Email).eq(email_key(email)))
            .to_owned();
        let mut query =
            select().and_where(Expr::col(Contacts::Id).in_subquery(ids)).order_by(Contacts::Id, Order::Asc).to_owned();
        scope::contacts_in(&mut query, scope);
        fetch_all(&mut conn, &query).await?.iter().map(from_row).collect()
    }

    pub async fn contacts_by_phone(&self, scope: &Scope, phone: &PhoneE164) -> Result<Vec<Contact>, StoreError> {
        let mut conn = self.reader().await?;
        let ids = Query::select()
            .column(ContactPhones::ContactId)
            .from(ContactPhones::Table)
            .and_where(Expr::col(ContactPhones::Phone).eq(phone.as_str()))
            .to_owned();
        let mut query =
            select().and_where(Expr::col(Contacts::Id).in_subquery(ids)).order_by(Contacts::Id, Order::Asc).to_owned();
        scope::contacts_in(&mut query, scope);
        fetch_all(&mut conn, &query).await?.iter().map(from_row).collect()
    }
}

impl Tx {
    /// The contact with this id, if it exists and is in scope.
    pub async fn contact(&mut self, scope: &Scope, id: ContactId) -> Result<Option<Contact>, StoreError> {
        get(self, scope, id).await
    }

    pub async fn insert_contact(&mut self, contact: &Contact) -> Result<(), StoreError> {
        self.insert_contacts(std::slice::from_ref(contact)).await
    }

    /// Inserts many contacts with a few multi-row statements.
    pub async fn insert_contacts(&mut self, contacts: &[Contact]) -> Result<(), StoreError> {
        // 29 values a row: 500 rows stay well under SQLite's 32,766 bound parameters.
        let inserts = contacts.chunks(500).map(|chunk| {
            let mut insert = Query::insert().into_table(Contacts::Table).columns(columns()).to_owned();
            for contact in chunk {
                let mut values: Vec<Expr> = vec![contact.id.to_string().into()];
                values.extend(row_values(&contact.data));
                values.extend([
                    contact.created_at.as_microsecond().into(),
                    contact.updated_at.as_microsecond().into(),
                    contact.version.into(),
                    contact.erased_at.map(|at| at.as_microsecond()).into(),
                    contact.first_deal_on.map(|date| date.to_string()).into(),
                ]);
                insert.values_panic(values);
            }
            insert
        });
        execute_each(self, Box::new(inserts)).await.map_err(|err| conflict_on(err, "external_id"))?;
        write_side_tables(self, contacts.iter().map(|c| (c.id, &c.data))).await?;
        let searchable = contacts.iter().filter(|c| c.erased_at.is_none());
        write_words(self, searchable.map(|c| (c.id, &c.data, c.updated_at))).await
    }

    /// Replaces the contact's fields. With `expected_version`, the update happens only
    /// if the stored version is that one ([`StoreError::VersionMismatch`] otherwise).
    pub async fn update_contact(
        &mut self,
        id: ContactId,
        expected_version: Option<i64>,
        data: &ContactData,
        now: Timestamp,
    ) -> Result<Contact, StoreError> {
        let RowUpdate::Updated { erased } = update_row(self, id, expected_version, data, now).await? else {
            let current = get(self, &Scope::Everything, id).await?.ok_or(StoreError::NotFound)?;
            return Err(StoreError::VersionMismatch {
                expected: expected_version.unwrap_or(current.version),
                current: current.version,
            });
        };
        delete_side_rows(self, &[id]).await?;
        write_side_tables(self, [(id, data)]).await?;
        if !erased {
            write_words(self, [(id, data, now)]).await?;
        }
        get(self, &Scope::Everything, id).await?.ok_or(StoreError::NotFound)
    }

    /// Replaces the fields of many contacts, each only if it is still at the version
    /// it carries. Returns the ids of those that were not (changed meanwhile).
    pub async fn update_contacts(
        &mut self,
        contacts: &[Contact],
        now: Timestamp,
    ) -> Result<Vec<ContactId>, StoreError> {
        let mut stale = Vec::new();
        let mut written = Vec::with_capacity(contacts.len());
        let mut searchable = Vec::with_capacity(contacts.len());
        for contact in contacts {
            match update_row(self, contact.id, Some(contact.version), &contact.data, now).await? {
                RowUpdate::Stale => stale.push(contact.id),
                RowUpdate::Updated { erased } => {
                    written.push(contact);
                    if !erased {
                        searchable.push(contact);
                    }
                }
            }
        }
        let ids: Vec<ContactId> = written.iter().map(|c| c.id).collect();
        delete_side_rows(self, &ids).await?;
        write_side_tables(self, written.iter().map(|c| (c.id, &c.data))).await?;
        write_words(self, searchable.iter().map(|c| (c.id, &c.data, now))).await?;
        Ok(stale)
    }

    /// The contacts that have any of these external ids, e-mails (ignoring case) or phones.
    ///
    /// Three index-driven queries rather than one with `OR`: PostgreSQL plans
    /// `a IN (…) OR id IN (subquery)` as a scan of the whole table.
    pub async fn contacts_with_keys(
        &mut self,
        external_ids: &[&ExternalId],
        emails: &[&EmailAddress],
        phones: &[&PhoneE164],
    ) -> Result<Vec<Contact>, StoreError> {
        let mut queries = Vec::with_capacity(3);
        if !external_ids.is_empty() {
            queries.push(
                select()
                    .and_where(Expr::col(Contacts::ExternalId).is_in(external_ids.iter().map(|id| id.as_str())))
                    .to_owned(),
            );
        }
        if !emails.is_empty() {
            let ids = Query::select()
                .column(ContactEmails::ContactId)
                .from(ContactEmails::Table)
                .and_where(Expr::col(ContactEmails::Email).is_in(emails.iter().map(|e| email_key(e))))
                .to_owned();
            queries.push(select().and_where(Expr::col(Contacts::Id).in_subquery(ids)).to_owned());
        }
        if !phones.is_empty() {
            let ids = Query::select()
                .column(ContactPhones::ContactId)
                .from(ContactPhones::Table)
                .and_where(Expr::col(ContactPhones::Phone).is_in(phones.iter().map(|p| p.as_str())))
                .to_owned();
            queries.push(select().and_where(Expr::col(Contacts::Id).in_subquery(ids)).to_owned());
        }
        let mut found: Vec<Contact> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for query in queries {
            for row in fetch_all(self, &query).await? {
                let contact = from_row(&row)?;
                if seen.insert(contact.id) {
                    found.push(contact);
                }
            }
        }
        found.sort_by_key(|contact| contact.id);
        Ok(found)
    }

    pub async fn delete_contact(&mut self, id: ContactId) -> Result<(), StoreError> {
        delete_side_rows(self, &[id]).await?;
        let delete = Query::delete()
            .from_table(Contacts::Table)
            .and_where(Expr::col(Contacts::Id).eq(id.to_string()))
            .to_owned();
        match execute(self, &delete).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// Replaces a contact's personal data with `erased` (which keeps only what reports
    /// need) and marks it erased; drops its e-mails, phones, tags and name words from
    /// the side tables (an erased contact is found by no search), the free text of its
    /// consent events and what audit entries quote of it.
    pub async fn erase_contact(
        &mut self,
        id: ContactId,
        erased: &ContactData,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if update_row(self, id, None, erased, now).await? == RowUpdate::Stale {
            return Err(StoreError::NotFound);
        }
        let mark = Query::update()
            .table(Contacts::Table)
            .value(Contacts::ErasedAt, now.as_microsecond())
            .and_where(Expr::col(Contacts::Id).eq(id.to_string()))
            .to_owned();
        execute(self, &mark).await?;
        delete_side_rows(self, &[id]).await?;
        write_side_tables(self, [(id, erased)]).await?;
        self.redact_consents(id).await?;
        self.erase_timeline(id).await?;
        self.erase_tasks(id).await?;
        self.erase_greetings(id).await?;
        self.erase_messages(id).await?;
        self.erase_tickets(id).await?;
        self.redact_audit(&id.to_string()).await?;
        Ok(())
    }

    /// The existing contact an imported record refers to: the one with the same
    /// external id, else the first with one of its e-mails, else one of its phones.
    pub async fn match_contact(
        &mut self,
        external_id: Option<&ExternalId>,
        emails: &[EmailAddress],
        phones: &[PhoneE164],
    ) -> Result<Option<(Contact, ContactMatch)>, StoreError> {
        if let Some(external_id) = external_id {
            let query = select().and_where(Expr::col(Contacts::ExternalId).eq(external_id.as_str())).to_owned();
            if let Some(row) = fetch_optional(self, &query).await? {
                return Ok(Some((from_row(&row)?, ContactMatch::ExternalId)));
            }
        }
        if !emails.is_empty() {
            let ids = Query::select()
                .column(ContactEmails::ContactId)
                .from(ContactEmails::Table)
                .and_where(Expr::col(ContactEmails::Email).is_in(emails.iter().map(email_key)))
                .to_owned();
            let query = select()
                .and_where(Expr::col(Contacts::Id).in_subquery(ids))
                .order_by(Contacts::Id, Order::Asc)
                .limit(1)
                .to_owned();
            if let Some(row) = fetch_optional(self, &query).await? {
                return Ok(Some((from_row(&row)?, ContactMatch::Email)));
            }
        }
        if !phones.is_empty() {
            let ids = Query::select()
                .column(ContactPhones::ContactId)
                .from(ContactPhones::Table)
                .and_where(Expr::col(ContactPhones::Phone).is_in(phones.iter().map(PhoneE164::as_str)))
                .to_owned();
            let query = select()
                .and_where(Expr::col(Contacts::Id).in_subquery(ids))
                .order_by(Contacts::Id, Order::Asc)
                .limit(1)
                .to_owned();
            if let Some(row) = fetch_optional(self, &query).await? {
                return Ok(Some((from_row(&row)?, ContactMatch::Phone)));
            }
        }
        Ok(None)
    }
}

async fn get(db: &mut impl Exec, scope: &Scope, id: ContactId) -> Result<Option<Contact>, StoreError> {
    let mut query = select().and_where(Expr::col(Contacts::Id).eq(id.to_string())).to_owned();
    scope::contacts_in(&mut query, scope);
    fetch_optional(db, &query).await?.as_ref().map(from_row).transpose()
}

/// E-mail lookups ignore case: mailboxes are case-insensitive in practice.
fn email_key(email: &EmailAddress) -> String {
    email.as_str().to_lowercase()
}

fn apply_filter(query: &mut SelectStatement, filter: &ContactFilter) {
    if let Some(branch_id) = filter.branch_id {
        query.and_where(Expr::col(Contacts::BranchId).eq(branch_id.to_string()));
    }
    if let Some(owner_id) = filter.owner_id {
        query.and_where(Expr::col(Contacts::OwnerId).eq(owner_id.to_string()));
    }
    if let Some(tag) = &filter.tag {
        let tagged = Query::select()
            .column(ContactTags::ContactId)
            .from(ContactTags::Table)
            .and_where(Expr::col(ContactTags::Tag).eq(tag.as_str()))
            .to_owned();
        query.and_where(Expr::col(Contacts::Id).in_subquery(tagged));
    }
    if let Some(tier) = filter.value_tier {
        query.and_where(Expr::col(Contacts::ValueTier).eq(tier.as_str()));
    }
    if let Some(city) = &filter.city {
        query.and_where(Expr::col(Contacts::City).eq(city.as_str()));
    }
    if let Some(region) = &filter.region {
        query.and_where(Expr::col(Contacts::Region).eq(region.as_str()));
    }
    if let Some(language) = &filter.language {
        query.cond_where(
            Cond::any()
                .add(Expr::col(Contacts::Language).eq(language.as_str()))
                .add(Expr::col(Contacts::Language).like(format!("{}-%", language.as_str()))),
        );
    }
    if let Some(since) = filter.updated_since {
        query.and_where(Expr::col(Contacts::UpdatedAt).gte(since.as_microsecond()));
    }
    if let Some(need) = &filter.need {
        query.and_where(Expr::col(Contacts::Id).in_subquery(crate::timeline::contacts_with_need(need)));
    }
}

/// The words of a search prefix are counted up to this many: a word with fewer
/// matches drives the search (about 20 ms for 45,000 matches on 1M contacts), one
/// with more is checked as the list is read in its order.
const COUNT_CAP: u64 = 50_000;

/// How a search by name runs. Each word is a range of `contact_words`' key, used one of
/// two ways.
///
/// - `Drive`: the page is read from the range of the rarest word, which carries each
///   contact's scope (branch, owner) and sort keys: the matches in scope, grouped by
///   contact, in the list's order, from the cursor on; then the page's contacts by id.
///   The other words, and filters that `contact_words` does not carry, are checked per
///   match (`EXISTS`). Its cost is the number of matches: cheap for a name, about
///   100 ms for "s", which starts a third of a million words.
/// - `Check`: every word is an `EXISTS (the range for this contact)` probe of the
///   (contact, word) index as the list is read in its order: cheap while matches are
///   dense in that order — which is the case for a word too common to drive.
///
/// No planner statistics tell how many contacts a prefix matches, so the store counts
/// each word's matches, up to [`COUNT_CAP`]; the rarest word drives unless every word
/// reaches the cap.
#[derive(Debug)]
enum SearchPlan {
    Drive { word: String, checked: Vec<String> },
    Check(Vec<String>),
}

/// Plans the search for `query` (see [`SearchPlan`]).
async fn plan_search(db: &mut impl Exec, query: &str) -> Result<SearchPlan, StoreError> {
    let mut counted = Vec::new();
    for word in normalise_search(query) {
        let matches =
            words_starting(Query::select().column(ContactWords::ContactId).to_owned(), ContactWords::Table, &word)
                .limit(COUNT_CAP)
                .to_owned();
        let count = Query::select()
            .expr(Expr::col(ContactWords::ContactId).count())
            .from_subquery(matches, sea_query::Alias::new("matches"))
            .to_owned();
        let n_matches = match fetch_optional(db, &count).await? {
            Some(row) => u64::try_from(row.try_get::<i64, _>(0)?).unwrap_or(0),
            None => 0,
        };
        counted.push((n_matches, word));
    }
    counted.sort_by_key(|(n_matches, _)| *n_matches);
    let mut words = counted.into_iter();
    Ok(match words.next() {
        Some((fewest, rarest)) if fewest < COUNT_CAP => {
            SearchPlan::Drive { word: rarest, checked: words.map(|(_, word)| word).collect() }
        }
        Some((_, first)) => SearchPlan::Check(std::iter::once(first).chain(words.map(|(_, word)| word)).collect()),
        None => SearchPlan::Check(Vec::new()),
    })
}

/// A page of the contacts in scope, matching `filter`, that have a word starting with
/// `word` and with each of `checked`: [`SearchPlan::Drive`].
async fn search_page(
    db: &mut impl Exec,
    scope: &Scope,
    filter: &ContactFilter,
    word: &str,
    checked: &[String],
    sort: ContactSort,
    page: &PageRequest,
) -> Result<Page<Contact>, StoreError> {
    let words = ContactWords::Table;
    let mut matches = words_starting(
        Query::select().columns([ContactWords::ContactId, ContactWords::SortName, ContactWords::UpdatedAt]).to_owned(),
        words,
        word,
    );
    scope::owned_in(&mut matches, scope, (words, ContactWords::BranchId), (words, ContactWords::OwnerId));
    if let Some(branch_id) = filter.branch_id {
        matches.and_where(Expr::col((words, ContactWords::BranchId)).eq(branch_id.to_string()));
    }
    if let Some(owner_id) = filter.owner_id {
        matches.and_where(Expr::col((words, ContactWords::OwnerId)).eq(owner_id.to_string()));
    }
    if let Some(since) = filter.updated_since {
        matches.and_where(Expr::col((words, ContactWords::UpdatedAt)).gte(since.as_microsecond()));
    }
    let rest = ContactFilter { branch_id: None, owner_id: None, updated_since: None, ..filter.clone() };
    if rest != ContactFilter::default() {
        let mut row = Query::select()
            .expr(Expr::val(1))
            .from(Contacts::Table)
            .and_where(Expr::col((Contacts::Table, Contacts::Id)).equals((words, ContactWords::ContactId)))
            .to_owned();
        apply_filter(&mut row, &rest);
        matches.and_where(Expr::exists(row));
    }
    let other_words = sea_query::Alias::new("other_words");
    for word in checked {
        matches.and_where(Expr::exists(words_of_contact(other_words.clone(), (words, ContactWords::ContactId), word)));
    }
    matches
        .group_by_col(ContactWords::ContactId)
        .group_by_col(ContactWords::SortName)
        .group_by_col(ContactWords::UpdatedAt);
    // The words' copy of the scope chose the page; the contact rows decide.
    page_by_ids(db, scope, matches, &sort.words_keyset(), page).await
}

/// A page chosen by `query` over narrower rows than contacts (their id and the
/// keyset's key), then the contacts with those ids that are in scope, in that order.
async fn page_by_ids(
    db: &mut impl Exec,
    scope: &Scope,
    mut query: SelectStatement,
    keyset: &Keyset,
    page: &PageRequest,
) -> Result<Page<Contact>, StoreError> {
    let limit = keyset.apply(&mut query, page)?;
    let rows = fetch_all(db, &query).await?;
    let (rows, next_cursor) = keyset.page(&rows, limit)?;
    let id_column = keyset.id.to_string();
    let ids = rows.iter().map(|row| row.try_get::<String, _>(id_column.as_str())).collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        return Ok(Page { items: Vec::new(), next_cursor });
    }
    let mut query = select().and_where(Expr::col(Contacts::Id).is_in(ids.iter().map(String::as_str))).to_owned();
    scope::contacts_in(&mut query, scope);
    let mut found: std::collections::HashMap<String, Contact> = fetch_all(db, &query)
        .await?
        .iter()
        .map(|row| from_row(row).map(|contact| (contact.id.to_string(), contact)))
        .collect::<Result<_, _>>()?;
    let items = ids.iter().filter_map(|id| found.remove(id)).collect();
    Ok(Page { items, next_cursor })
}

/// A page of the contacts in scope, matching `filter`, that have a word starting with
/// each of `words`, read in the list's order: [`SearchPlan::Check`] (and, without
/// words, the plain list).
///
/// With words, the page is chosen first from the columns the order's index holds (id,
/// keys, branch, owner), then its contacts are read: the rows passed over until the
/// page fills — thousands, when the matches come late in that order — are then index
/// entries, which PostgreSQL too reads without the table (an index-only scan), where
/// reading the whole row of each took it half a second for "s" in a branch of 1M.
async fn checked_page(
    db: &mut impl Exec,
    scope: &Scope,
    filter: &ContactFilter,
    words: &[String],
    sort: ContactSort,
    page: &PageRequest,
) -> Result<Page<Contact>, StoreError> {
    let keyset = sort.keyset();
    let mut query = if words.is_empty() {
        select()
    } else {
        // The id and the order's key only: all in the order's index.
        let mut ids = Query::select().column(Contacts::Id).from(Contacts::Table).to_owned();
        if keyset.key.to_string() != keyset.id.to_string() {
            ids.column(keyset.key.clone());
        }
        ids
    };
    scope::contacts_in(&mut query, scope);
    apply_filter(&mut query, filter);
    for word in words {
        query.and_where(Expr::exists(words_of_contact(ContactWords::Table, (Contacts::Table, Contacts::Id), word)));
    }
    if words.is_empty() {
        fetch_page(db, query, &keyset, page, from_row).await
    } else {
        page_by_ids(db, scope, query, &keyset, page).await
    }
}

/// `SELECT 1 FROM table` of `contact`'s words that start with `prefix`, for `EXISTS`.
fn words_of_contact(
    table: impl sea_query::IntoIden + Clone,
    contact: impl sea_query::IntoColumnRef,
    prefix: &str,
) -> SelectStatement {
    let this_contact = Query::select()
        .expr(Expr::val(1))
        .and_where(Expr::col((table.clone(), ContactWords::ContactId)).equals(contact))
        .to_owned();
    words_starting(this_contact, table, prefix)
}

/// `query` over the name words that start with `prefix`, from `contact_words` named
/// `table` (itself, or an alias where the query reads it twice): the words in
/// `[prefix, prefix_end(prefix))`, one range of the primary key.
fn words_starting(mut query: SelectStatement, table: impl sea_query::IntoIden, prefix: &str) -> SelectStatement {
    let table = table.into_iden();
    let word = (table.clone(), ContactWords::Word);
    query.from_as(ContactWords::Table, table);
    query.and_where(Expr::col(word.clone()).gte(prefix));
    if let Some(end) = prefix_end(prefix) {
        query.and_where(Expr::col(word).lt(end));
    }
    query
}

/// The least string, in code point order (which is UTF-8's byte order), that is greater
/// than every string starting with `prefix`: its last character moved on by one (past
/// the surrogates, which are not characters). `None` when there is none: every string
/// from `prefix` on then starts with it.
fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// The columns a write sets, in the order of [`row_values`].
const WRITABLE: [Contacts; 26] = [
    Contacts::ExternalId,
    Contacts::Honorific,
    Contacts::GivenName,
    Contacts::FamilyName,
    Contacts::FatherName,
    Contacts::PreferredName,
    Contacts::NameLatin,
    Contacts::OtherNames,
    Contacts::Gender,
    Contacts::Language,
    Contacts::Script,
    Contacts::TimeZone,
    Contacts::Region,
    Contacts::Birthday,
    Contacts::Emails,
    Contacts::Phones,
    Contacts::AddressLine,
    Contacts::City,
    Contacts::PinCode,
    Contacts::BranchId,
    Contacts::OwnerId,
    Contacts::Tags,
    Contacts::CustomFields,
    Contacts::ValueTier,
    Contacts::Source,
    Contacts::SortName,
];

fn opt(value: Option<impl ToString>) -> Expr {
    value.map(|v| v.to_string()).into()
}

fn json_list<T: ToString>(values: &[T]) -> Expr {
    let list: Vec<String> = values.iter().map(ToString::to_string).collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()).into()
}

fn json_map<'a>(pairs: impl Iterator<Item = (String, &'a str)>) -> Expr {
    let map: BTreeMap<String, &str> = pairs.collect();
    serde_json::to_string(&map).unwrap_or_else(|_| "{}".into()).into()
}

fn row_values(data: &ContactData) -> Vec<Expr> {
    vec![
        opt(data.external_id.as_ref()),
        opt(data.honorific.map(|h| h.as_str())),
        data.given_name.as_str().into(),
        opt(data.family_name.as_ref()),
        opt(data.father_name.as_ref()),
        opt(data.preferred_name.as_ref()),
        opt(data.name_latin.as_ref()),
        json_map(data.other_names.iter().map(|(script, name)| (script.to_string(), name.as_str()))),
        opt(data.gender.map(|g| g.as_str())),
        opt(data.language.as_ref()),
        opt(data.script.as_ref()),
        opt(data.time_zone.as_ref()),
        opt(data.region.as_ref()),
        opt(data.birthday.as_ref()),
        json_list(&data.emails),
        json_list(&data.phones),
        opt(data.address_line.as_ref()),
        opt(data.city.as_ref()),
        opt(data.pin_code.as_ref()),
        opt(data.branch_id.as_ref()),
        opt(data.owner_id.as_ref()),
        json_list(&data.tags),
        json_map(data.custom_fields.iter().map(|(k, v)| (k.to_owned(), v))),
        opt(data.value_tier.map(|t| t.as_str())),
        opt(data.source.as_ref()),
        data.sort_name().into(),
    ]
}

/// The tables a contact is written to: the contact's row and its side tables.
const CONTACT_TABLES: &str = "'contacts', 'contact_emails', 'contact_phones', 'contact_tags', 'contact_words'";

/// The secondary indexes of the contact tables, dropped for a bulk load by
/// [`Tx::defer_contact_indexes`]: their definitions, to create them again with
/// [`Tx::restore_indexes`] before the transaction commits.
#[derive(Debug)]
#[must_use = "the indexes must be created again before the transaction commits"]
pub struct DeferredIndexes(Vec<String>);

impl Tx {
    /// Whether any contact is stored, erased ones included.
    pub async fn has_contacts(&mut self) -> Result<bool, StoreError> {
        let query = Query::select().expr(Expr::val(1)).from(Contacts::Table).limit(1).to_owned();
        Ok(fetch_optional(self, &query).await?.is_some())
    }

    /// Drops every index of the contact tables but their primary keys, so that a bulk
    /// load writes rows only, and returns their definitions. Each is then built once,
    /// from sorted keys, by [`Self::restore_indexes`], instead of taking each row at a
    /// random place. Meanwhile nothing may look a contact up but by id.
    ///
    /// The definitions are read from the database's catalog (the schema as the
    /// migrations left it), so there is no second copy of them to keep true. On
    /// PostgreSQL, dropping an index locks its table until the transaction ends.
    pub async fn defer_contact_indexes(&mut self) -> Result<DeferredIndexes, StoreError> {
        // Dialect difference: each engine's catalog (no portable one lists indexes).
        let catalog = match self.engine {
            Engine::Sqlite => format!(
                "SELECT name, sql AS definition FROM sqlite_master \
                 WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({CONTACT_TABLES}) ORDER BY name"
            ),
            Engine::Postgres => format!(
                "SELECT indexname::text AS name, indexdef AS definition FROM pg_indexes \
                 WHERE schemaname = current_schema() AND tablename IN ({CONTACT_TABLES}) \
                 AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
            ),
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(catalog)).fetch_all(&mut *self.tx).await?;
        let mut definitions = Vec::with_capacity(rows.len());
        for row in &rows {
            let name: String = row.try_get("name")?;
            definitions.push(row.try_get("definition")?);
            self.tx.execute(sqlx::AssertSqlSafe(format!("DROP INDEX \"{name}\""))).await?;
        }
        Ok(DeferredIndexes(definitions))
    }

    /// Creates again the indexes [`Self::defer_contact_indexes`] dropped. A unique index
    /// that the loaded rows break fails here, and the transaction with it.
    pub async fn restore_indexes(&mut self, deferred: DeferredIndexes) -> Result<(), StoreError> {
        for definition in deferred.0 {
            self.tx.execute(sqlx::AssertSqlSafe(definition)).await.map_err(|err| conflict_on(err, "external_id"))?;
        }
        Ok(())
    }
}

/// What [`update_row`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowUpdate {
    /// Nothing: the row is not at the expected version, or gone.
    Stale,
    /// The row was set; `erased` when the contact's data was erased (it then gets no
    /// name words: an erased contact is found by no search).
    Updated { erased: bool },
}

/// Sets the row's fields if it is at `expected_version`.
async fn update_row(
    tx: &mut Tx,
    id: ContactId,
    expected_version: Option<i64>,
    data: &ContactData,
    now: Timestamp,
) -> Result<RowUpdate, StoreError> {
    let mut update = Query::update().table(Contacts::Table).to_owned();
    for (column, value) in WRITABLE.into_iter().zip(row_values(data)) {
        update.value(column, value);
    }
    update
        .value(Contacts::UpdatedAt, now.as_microsecond())
        .value(Contacts::Version, Expr::col(Contacts::Version).add(1))
        .and_where(Expr::col(Contacts::Id).eq(id.to_string()));
    if let Some(version) = expected_version {
        update.and_where(Expr::col(Contacts::Version).eq(version));
    }
    update.returning_col(Contacts::ErasedAt);
    let row = fetch_optional(tx, &update).await.map_err(|err| match err {
        StoreError::Database(err) => conflict_on(err, "external_id"),
        other => other,
    })?;
    Ok(match row {
        None => RowUpdate::Stale,
        Some(row) => RowUpdate::Updated { erased: row.try_get::<Option<i64>, _>("erased_at")?.is_some() },
    })
}

async fn delete_side_rows(tx: &mut Tx, ids: &[ContactId]) -> Result<(), StoreError> {
    for chunk in ids.chunks(1000) {
        let ids: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        let deletes = [
            Query::delete()
                .from_table(ContactEmails::Table)
                .and_where(Expr::col(ContactEmails::ContactId).is_in(ids.iter().map(String::as_str)))
                .to_owned(),
            Query::delete()
                .from_table(ContactPhones::Table)
                .and_where(Expr::col(ContactPhones::ContactId).is_in(ids.iter().map(String::as_str)))
                .to_owned(),
            Query::delete()
                .from_table(ContactTags::Table)
                .and_where(Expr::col(ContactTags::ContactId).is_in(ids.iter().map(String::as_str)))
                .to_owned(),
            Query::delete()
                .from_table(ContactWords::Table)
                .and_where(Expr::col(ContactWords::ContactId).is_in(ids.iter().map(String::as_str)))
                .to_owned(),
        ];
        for delete in deletes {
            execute(tx, &delete).await?;
        }
    }
    Ok(())
}

/// Writes the side-table rows of these contacts, a few multi-row statements in all.
async fn write_side_tables<'a>(
    tx: &mut Tx,
    contacts: impl IntoIterator<Item = (ContactId, &'a ContactData)>,
) -> Result<(), StoreError> {
    let mut emails = Vec::new();
    let mut phones = Vec::new();
    let mut tags = Vec::new();
    for (id, data) in contacts {
        let id = id.to_string();
        let mut email_keys: Vec<String> = data.emails.iter().map(email_key).collect();
        email_keys.sort();
        email_keys.dedup();
        emails.extend(email_keys.into_iter().map(|key| (key, id.clone())));
        phones.extend(data.phones.iter().map(|phone| (phone.to_string(), id.clone())));
        tags.extend(data.tags.iter().map(|tag| (tag.to_string(), id.clone())));
    }
    let inserts = link_rows(ContactEmails::Table, ContactEmails::Email, ContactEmails::ContactId, &emails)
        .chain(link_rows(ContactPhones::Table, ContactPhones::Phone, ContactPhones::ContactId, &phones))
        .chain(link_rows(ContactTags::Table, ContactTags::Tag, ContactTags::ContactId, &tags));
    Ok(execute_each(tx, Box::new(inserts)).await?)
}

/// Writes the name words of these contacts (those not erased, each with the time of
/// its last update), with the keys a list is scoped and ordered by, a few multi-row
/// statements in all, in key order: each statement then walks the B-tree from left
/// to right.
async fn write_words<'a>(
    db: &mut impl Exec,
    contacts: impl IntoIterator<Item = (ContactId, &'a ContactData, Timestamp)>,
) -> Result<(), StoreError> {
    struct WordRow<'a> {
        word: String,
        contact_id: String,
        data: &'a ContactData,
        sort_name: std::sync::Arc<str>,
        updated_at: i64,
    }
    let mut rows = Vec::new();
    for (id, data, updated_at) in contacts {
        let contact_id = id.to_string();
        let sort_name: std::sync::Arc<str> = data.sort_name().into();
        rows.extend(data.search_words().into_iter().map(|word| WordRow {
            word,
            contact_id: contact_id.clone(),
            data,
            sort_name: sort_name.clone(),
            updated_at: updated_at.as_microsecond(),
        }));
    }
    rows.sort_unstable_by(|a, b| (&a.word, &a.contact_id).cmp(&(&b.word, &b.contact_id)));
    // Six values a row: 5,000 rows stay under SQLite's 32,766 bound parameters.
    let inserts = rows.chunks(5000).map(|chunk| {
        let mut insert = Query::insert().into_table(ContactWords::Table).columns(ContactWords::COLUMNS).to_owned();
        for row in chunk {
            // In the order of `ContactWords::COLUMNS`.
            insert.values_panic([
                row.word.as_str().into(),
                row.contact_id.as_str().into(),
                row.sort_name.as_ref().into(),
                row.updated_at.into(),
                opt(row.data.branch_id.as_ref()),
                opt(row.data.owner_id.as_ref()),
            ]);
        }
        insert
    });
    Ok(execute_each(db, Box::new(inserts)).await?)
}

/// Inserts `(word, contact_id)` rows into `contact_words` as migration 6 made it, in
/// key order.
async fn insert_words(db: &mut impl Exec, mut rows: Vec<(String, String)>) -> Result<(), StoreError> {
    rows.sort_unstable();
    let inserts = link_rows(ContactWords::Table, ContactWords::Word, ContactWords::ContactId, &rows);
    Ok(execute_each(db, Box::new(inserts)).await?)
}

/// Indexes the name words of every contact not erased: the step of the "contact search"
/// migration, run in its transaction. Reads the name columns only (not the whole row,
/// whose later columns a database at this migration may not have yet), 5,000 contacts
/// at a time in id order.
pub(crate) async fn index_all_words(db: &mut impl Exec) -> Result<(), StoreError> {
    const BATCH: u64 = 5000;
    let name_columns = [
        Contacts::Id,
        Contacts::GivenName,
        Contacts::FamilyName,
        Contacts::FatherName,
        Contacts::PreferredName,
        Contacts::NameLatin,
        Contacts::OtherNames,
    ];
    let mut after: Option<String> = None;
    let mut n_contacts = 0_usize;
    loop {
        let mut query = Query::select()
            .columns(name_columns)
            .from(Contacts::Table)
            .and_where(Expr::col(Contacts::ErasedAt).is_null())
            .order_by(Contacts::Id, Order::Asc)
            .limit(BATCH)
            .to_owned();
        if let Some(after) = &after {
            query.and_where(Expr::col(Contacts::Id).gt(after.as_str()));
        }
        let batch = fetch_all(db, &query).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.try_get("id")?);
        let mut rows = Vec::new();
        for row in &batch {
            let id: String = row.try_get("id")?;
            let mut names: Vec<String> = ["given_name", "family_name", "father_name", "preferred_name", "name_latin"]
                .into_iter()
                .map(|column| row.try_get::<Option<String>, _>(column))
                .filter_map(Result::transpose)
                .collect::<Result<_, _>>()?;
            let other_names: String = row.try_get("other_names")?;
            let other_names: BTreeMap<String, String> = serde_json::from_str(&other_names)
                .map_err(|err| StoreError::Corrupt(format!("contacts.other_names of {id}: {err}")))?;
            names.extend(other_names.into_values());
            rows.extend(search_words(names.iter().map(String::as_str)).into_iter().map(|word| (word, id.clone())));
        }
        n_contacts += batch.len();
        insert_words(db, rows).await?;
    }
    tracing::info!(n_contacts, "indexed the words of contacts' names");
    Ok(())
}

/// Multi-row inserts of `(value, contact_id)` into a side table, in chunks of
/// 5,000 rows, each built as it is pulled; none when there are no rows.
fn link_rows<T: sea_query::Iden + Copy + 'static>(
    table: T,
    value_column: T,
    contact_column: T,
    rows: &[(String, String)],
) -> impl Iterator<Item = sea_query::InsertStatement> + '_ {
    rows.chunks(5000).map(move |chunk| {
        let mut insert = Query::insert().into_table(table).columns([value_column, contact_column]).to_owned();
        for (value, contact_id) in chunk {
            insert.values_panic([value.as_str().into(), contact_id.as_str().into()]);
        }
        insert
    })
}

fn from_row(row: &AnyRow) -> Result<Contact, StoreError> {
    let text = |column: &str| -> Result<Option<String>, StoreError> { Ok(row.try_get::<Option<String>, _>(column)?) };
    let list = |column: &str| -> Result<Vec<String>, StoreError> {
        let json = text(column)?.unwrap_or_default();
        serde_json::from_str(&json).map_err(|err| StoreError::Corrupt(format!("contacts.{column}: {err}")))
    };
    let map = |column: &str| -> Result<Vec<(String, String)>, StoreError> {
        let json = text(column)?.unwrap_or_default();
        let map: BTreeMap<String, String> =
            serde_json::from_str(&json).map_err(|err| StoreError::Corrupt(format!("contacts.{column}: {err}")))?;
        Ok(map.into_iter().collect())
    };
    let input = ContactInput {
        external_id: text("external_id")?,
        honorific: text("honorific")?,
        given_name: text("given_name")?,
        family_name: text("family_name")?,
        father_name: text("father_name")?,
        preferred_name: text("preferred_name")?,
        name_latin: text("name_latin")?,
        other_names: map("other_names")?,
        gender: text("gender")?,
        language: text("language")?,
        script: text("script")?,
        time_zone: text("time_zone")?,
        region: text("region")?,
        birthday: text("birthday")?,
        emails: list("emails")?,
        phones: list("phones")?,
        address_line: text("address_line")?,
        city: text("city")?,
        pin_code: text("pin_code")?,
        branch: text("branch_id")?,
        owner: text("owner_id")?,
        tags: list("tags")?,
        custom_fields: map("custom_fields")?,
        value_tier: text("value_tier")?,
        source: text("source")?,
    };
    let id: String = row.try_get("id")?;
    let data = ContactData::parse(&input, &StoredIds)
        .map_err(|errors| StoreError::Corrupt(format!("contact {id}: {errors}")))?;
    Ok(Contact {
        id: id.parse().map_err(|_| StoreError::Corrupt(format!("contact id {id}")))?,
        data,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
        version: row.try_get("version")?,
        erased_at: row
            .try_get::<Option<i64>, _>("erased_at")?
            .map(Timestamp::from_microsecond)
            .transpose()
            .map_err(|err| StoreError::Corrupt(format!("erased_at: {err}")))?,
        first_deal_on: civil_date(row, "first_deal_on")?,
    })
}

/// An optional civil date column (ISO text).
pub(crate) fn civil_date(row: &AnyRow, column: &str) -> Result<Option<jiff::civil::Date>, StoreError> {
    row.try_get::<Option<String>, _>(column)?
        .map(|text| text.parse().map_err(|err| StoreError::Corrupt(format!("{column} {text}: {err}"))))
        .transpose()
}

pub(crate) fn instant(row: &AnyRow, column: &str) -> Result<Timestamp, StoreError> {
    let micros: i64 = row.try_get(column)?;
    Timestamp::from_microsecond(micros).map_err(|err| StoreError::Corrupt(format!("{column}: {err}")))
}

#[cfg(test)]
mod tests {
    use sambandh_domain::{BranchInput, NewBranch, NewUser, User, UserInput};
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_prefix_ends_where_its_last_character_moves_on() {
        assert_eq!(prefix_end("kar").as_deref(), Some("kas"));
        assert_eq!(prefix_end("கார்").as_deref(), Some("கார\u{0BCE}"));
        assert_eq!(prefix_end("a\u{D7FF}").as_deref(), Some("a\u{E000}"), "past the surrogates");
        assert_eq!(prefix_end("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_end("\u{10FFFF}"), None);
        // The words that start with the prefix are in the range, and no other.
        let (start, end) = ("கா", prefix_end("கா").unwrap());
        for word in ["கா", "கார்த்திக்", "காா", "கா\u{10FFFF}x", "க", "கி", "கை", "b", "\u{10FFFF}"]
        {
            assert_eq!(word.starts_with(start), start <= word && word < end.as_str(), "{word}");
        }
    }

    /// Every page of a list, following the cursors.
    async fn all_pages(
        store: &Store,
        mut read: impl AsyncFnMut(&mut crate::db::Conn, &PageRequest) -> Result<Page<Contact>, StoreError>,
    ) -> Vec<ContactId> {
        let mut conn = store.reader().await.unwrap();
        let mut page = PageRequest { limit: 7, cursor: None };
        let mut ids = Vec::new();
        loop {
            let found = read(&mut conn, &page).await.unwrap();
            ids.extend(found.items.iter().map(|contact| contact.id));
            match found.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => return ids,
            }
        }
    }

    // The two ways a search runs (`SearchPlan`) find the same contacts, in the same
    // pages, in every order and scope: the words' copies of the sort keys and the
    // scope agree with the contact rows.
    crate::both_engines!(driving_and_checking_a_word_find_the_same_pages, |store: Store| async move {
        let branches: Vec<BranchId> = (0..2).map(|n| BranchId::from_uuid(Uuid::from_u128(0xB0 + n))).collect();
        let mut tx = store.begin().await.unwrap();
        for (n, branch) in branches.iter().enumerate() {
            let input = BranchInput {
                name: Some(format!("Branch {n}")),
                city: Some("Chennai".into()),
                region: Some("IN-TN".into()),
                time_zone: Some("Asia/Kolkata".into()),
                language: Some("ta".into()),
            };
            tx.insert_branch(*branch, &NewBranch::parse(&input).unwrap(), Timestamp::UNIX_EPOCH).await.unwrap();
        }
        let owner = UserId::from_uuid(Uuid::from_u128(0xA1));
        let account = UserInput {
            email: Some("meena@shop.in".into()),
            name: Some("Meena".into()),
            role: Some("agent".into()),
            branch: Some(branches[0].to_string()),
            languages: vec![],
        };
        let user =
            User { id: owner, data: NewUser::parse(&account, &StoredIds).unwrap(), created_at: Timestamp::UNIX_EPOCH };
        tx.insert_user(&user, None).await.unwrap();
        let givens = ["Karthik", "Karthika", "Raja", "Rani", "Kumar", "Ravi"];
        let families = ["Raman", "Krishnan", "Sharma", "Kannan"];
        let people: Vec<Contact> = (0..120_u128)
            .map(|n| {
                let i = usize::try_from(n).unwrap();
                let input = ContactInput {
                    given_name: Some(givens[i % givens.len()].into()),
                    family_name: Some(families[i / 7 % families.len()].into()),
                    ..ContactInput::default()
                };
                let mut data = ContactData::parse(&input, &StoredIds).unwrap();
                data.branch_id = (i % 4 != 3).then(|| branches[i % 2]);
                data.owner_id = (i % 5 == 0).then_some(owner);
                // Ties in the last update, broken by the id.
                let updated_at = Timestamp::from_second(1_790_000_000 + i64::try_from(n % 9).unwrap()).unwrap();
                Contact {
                    id: ContactId::from_uuid(Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + n)),
                    data,
                    created_at: updated_at,
                    updated_at,
                    version: 1,
                    erased_at: None,
                    first_deal_on: None,
                }
            })
            .collect();
        tx.insert_contacts(&people).await.unwrap();
        tx.commit().await.unwrap();

        let agent = Scope::Branch { branch_id: Some(branches[0]), user_id: owner };
        let in_branch = ContactFilter { branch_id: Some(branches[1]), ..ContactFilter::default() };
        let sorts = [
            ContactSort::Name,
            ContactSort::NameDesc,
            ContactSort::Created,
            ContactSort::CreatedDesc,
            ContactSort::Updated,
            ContactSort::UpdatedDesc,
        ];
        for (scope, filter) in [
            (Scope::Everything, ContactFilter::default()),
            (agent, ContactFilter::default()),
            (Scope::Everything, in_branch),
        ] {
            for words in [vec!["k"], vec!["kar", "r"], vec!["r", "kannan"], vec!["ravi"]] {
                for sort in sorts {
                    let words: Vec<String> = words.iter().map(|word| (*word).to_owned()).collect();
                    let (first, rest) = words.split_first().unwrap();
                    let driven = all_pages(&store, async |conn, page| {
                        search_page(conn, &scope, &filter, first, rest, sort, page).await
                    })
                    .await;
                    let checked = all_pages(&store, async |conn, page| {
                        checked_page(conn, &scope, &filter, &words, sort, page).await
                    })
                    .await;
                    assert!(!checked.is_empty(), "{words:?} {sort:?} {scope:?}");
                    assert_eq!(driven, checked, "{words:?} {sort:?} {scope:?} {filter:?}");
                }
            }
        }
    });
}
