//! CSV import of contacts: any encoding Excel or a phone writes (UTF-8 with or without
//! BOM, UTF-16 with BOM), comma- or tab-separated, with rejects reported by row number.
//!
//! Decisions:
//! - A row is valid as a whole or rejected as a whole; rejected rows are returned with
//!   their original cells, their line number in the file (the header is line 1) and
//!   the reason; every other row is imported.
//! - A row updates an existing contact when it matches one by external id, else by an
//!   e-mail, else by a phone; otherwise it creates a contact. On update, non-empty
//!   cells replace the stored value, empty cells keep it, and e-mails, phones and tags
//!   are added to the stored ones. A row whose e-mail or phone matches a contact that
//!   has a different external id is rejected rather than merged.
//! - Rows are written in transactions of [`BATCH_ROWS`]: a crash leaves whole contacts
//!   only, and re-running the import completes it (matching makes it idempotent).
//! - An import into a database with no contacts yet (a first load) is one transaction
//!   instead, with the contact tables' indexes built at its end ([`FirstLoad`]): a
//!   crash leaves nothing, and re-running it imports everything.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};

use sambandh_domain::{Contact, ContactData, ContactId, ContactInput};
use sambandh_store::ContactMatch;

use crate::directory::Directory;
use crate::{App, AppError, AppResult, Caller};

pub const BATCH_ROWS: usize = 5000;

/// The columns an import understands, by their canonical header.
pub const COLUMNS: &[&str] = &[
    "external_id",
    "honorific",
    "given_name",
    "family_name",
    "father_name",
    "preferred_name",
    "name_latin",
    "other_names",
    "gender",
    "language",
    "script",
    "time_zone",
    "region",
    "birthday",
    "email",
    "phone",
    "address_line",
    "city",
    "pin_code",
    "branch",
    "owner",
    "tags",
    "custom_fields",
    "value_tier",
    "source",
];

/// Columns an import also understands that are not fields of the record (an export
/// does not write them): the channels the person agreed to be greeted on (`email;sms`,
/// recorded as consent given by import) and the festivals they chose.
pub const WISH_COLUMNS: &[&str] = &["greetings_consent", "festivals"];

/// A column an import understands, by its canonical header.
fn known_column(key: &str) -> Option<&'static str> {
    COLUMNS.iter().chain(WISH_COLUMNS).find(|c| **c == key).copied()
}

/// Columns an export writes that an import reads past without complaint.
const IGNORED_COLUMNS: &[&str] = &["id", "created_at", "updated_at", "version"];

const ALIASES: &[(&str, &str)] = &[
    ("emails", "email"),
    ("e-mail", "email"),
    ("phones", "phone"),
    ("mobile", "phone"),
    ("address", "address_line"),
    ("pin", "pin_code"),
    ("pincode", "pin_code"),
    ("tier", "value_tier"),
    ("first_name", "given_name"),
    ("last_name", "family_name"),
    ("title", "honorific"),
];

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Extra header names: (header in the file, one of [`COLUMNS`]).
    pub map: Vec<(String, String)>,
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The line of the file where the row starts; the header is line 1.
    pub row: u64,
    pub reason: String,
    /// The row's cells as they were in the file.
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub created: u64,
    pub updated: u64,
    pub rejections: Vec<Rejection>,
    /// The file's header, to write rejected rows under.
    pub headers: Vec<String>,
    /// Headers that name no column and were skipped.
    pub ignored_headers: Vec<String>,
}

impl ImportReport {
    pub fn imported(&self) -> u64 {
        self.created + self.updated
    }

    pub fn rejected(&self) -> u64 {
        self.rejections.len() as u64
    }

    /// The line every import front end ends with.
    pub fn summary(&self) -> String {
        format!("imported {}, rejected {}", self.imported(), self.rejected())
    }
}

/// A contact to create or update, as typed, with where it came from.
#[derive(Debug, Clone)]
pub struct IncomingContact {
    pub row: u64,
    pub input: ContactInput,
    pub cells: Vec<String>,
    pub wishes: Wishes,
}

/// What a row says of the person's wishes about greetings.
#[derive(Debug, Clone, Default)]
pub struct Wishes {
    /// Channels on which they agreed to be greeted.
    pub greetings_on: Vec<sambandh_domain::Channel>,
    /// Festivals they chose to be greeted for.
    pub festivals: Vec<sambandh_domain::FestivalKey>,
}

/// What [`App::upsert_contacts`] did with one incoming contact.
#[derive(Debug, Clone)]
pub enum Upserted {
    Created(ContactId),
    Updated(ContactId),
    Rejected(Rejection),
}

impl App {
    /// Imports contacts from CSV text. `progress` is called after each batch with the
    /// number of rows read so far.
    pub async fn import_contacts(
        &self,
        caller: &Caller,
        source: impl Read,
        options: &ImportOptions,
        mut progress: impl FnMut(u64),
    ) -> AppResult<ImportReport> {
        caller.require(sambandh_domain::Action::Import)?;
        let mut reader = csv_reader(source)?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|err| AppError::BadRequest(format!("the file has no readable header row: {err}")))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let layout = Layout::new(&headers, options)?;
        let mut report = ImportReport {
            headers: headers.clone(),
            ignored_headers: layout.ignored.clone(),
            ..ImportReport::default()
        };
        let branches = Directory::load(self).await?;
        let mut first_load = FirstLoad::begin(self).await?;
        // Validation of the next batch runs while the previous one is written: one
        // batch is in flight at a time, so each is matched against all before it.
        let mut in_flight: Option<tokio::task::JoinHandle<InFlight>> = None;
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut n_rows = 0_u64;
        let mut record = csv::StringRecord::new();
        while let Some(next) = next_record(&mut reader, &mut record) {
            let row = match next {
                Ok(row) => row,
                Err(rejection) => {
                    report.rejections.push(rejection);
                    n_rows += 1;
                    continue;
                }
            };
            n_rows += 1;
            let cells: Vec<String> = record.iter().map(str::to_owned).collect();
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if cells.len() != headers.len() {
                let reason = format!("has {} cells where the header has {}", cells.len(), headers.len());
                report.rejections.push(Rejection { row, reason, cells });
                continue;
            }
            match layout.input(&record) {
                Ok((input, wishes)) => batch.push(IncomingContact { row, input, cells, wishes }),
                Err(reason) => report.rejections.push(Rejection { row, reason, cells }),
            }
            if batch.len() >= BATCH_ROWS {
                let prepared = prepare_contacts(&branches, std::mem::take(&mut batch));
                if let Some(previous) = in_flight.take() {
                    let (load, outcomes) = join(previous).await?;
                    first_load = load;
                    report.record(outcomes?);
                    progress(n_rows);
                }
                let (app, caller, mut load) = (self.clone(), caller.clone(), first_load.take());
                in_flight = Some(tokio::spawn(async move {
                    let outcomes = app.write_batch(&caller, prepared, load.as_mut()).await;
                    (load, outcomes)
                }));
            }
        }
        if let Some(previous) = in_flight.take() {
            let (load, outcomes) = join(previous).await?;
            first_load = load;
            report.record(outcomes?);
        }
        let prepared = prepare_contacts(&branches, batch);
        report.record(self.write_batch(caller, prepared, first_load.as_mut()).await?);
        if let Some(load) = first_load {
            load.finish().await?;
        }
        progress(n_rows);
        report.rejections.sort_by_key(|r| r.row);
        // Many rows at once: the planner's statistics are stale (see Store::bulk_loaded).
        if report.created > 1_000 {
            self.store.bulk_loaded().await?;
        }
        Ok(report)
    }

    /// Creates or updates each contact (matched as the module docs say), all in one
    /// transaction. Invalid ones are rejected and the rest still written.
    ///
    /// The batch is matched with one query, resolved in memory (so two rows of the same
    /// batch for one person update one contact), then written with a few multi-row
    /// statements: the cost of a row is its validation, not round trips.
    pub async fn upsert_contacts(&self, caller: &Caller, incoming: Vec<IncomingContact>) -> AppResult<Vec<Upserted>> {
        caller.require(sambandh_domain::Action::Import)?;
        let branches = Directory::load(self).await?;
        self.apply_contacts(caller, prepare_contacts(&branches, incoming)).await
    }

    /// The database half of [`Self::upsert_contacts`], for rows already validated: one
    /// transaction per batch.
    async fn apply_contacts(&self, caller: &Caller, prepared: PreparedContacts) -> AppResult<Vec<Upserted>> {
        let mut tx = self.store.begin().await?;
        let outcomes = self.write_contacts(&mut tx, caller, prepared, Lookup::Stored).await?;
        tx.commit().await?;
        Ok(outcomes)
    }

    /// Writes a batch of an import: in a transaction of its own, or in the first load's.
    async fn write_batch(
        &self,
        caller: &Caller,
        prepared: PreparedContacts,
        first_load: Option<&mut FirstLoad>,
    ) -> AppResult<Vec<Upserted>> {
        match first_load {
            None => self.apply_contacts(caller, prepared).await,
            Some(load) => {
                let lookup = load.lookup_for(&prepared).await?;
                self.write_contacts(&mut load.tx, caller, prepared, lookup).await
            }
        }
    }

    /// Matches and writes a batch in `tx`.
    async fn write_contacts(
        &self,
        tx: &mut sambandh_store::Tx,
        caller: &Caller,
        prepared: PreparedContacts,
        lookup: Lookup,
    ) -> AppResult<Vec<Upserted>> {
        let PreparedContacts { branches, valid, mut results } = prepared;
        let now = crate::now();
        let wishes: HashMap<usize, Wishes> = valid
            .iter()
            .filter(|(_, row, _)| !row.wishes.greetings_on.is_empty() || !row.wishes.festivals.is_empty())
            .map(|(idx, row, _)| (*idx, row.wishes.clone()))
            .collect();
        let existing = if lookup == Lookup::NoneStored {
            Vec::new()
        } else {
            let external_ids: Vec<_> = valid.iter().filter_map(|(_, _, d)| d.external_id.as_ref()).collect();
            let emails: Vec<_> = valid.iter().flat_map(|(_, _, d)| &d.emails).collect();
            let phones: Vec<_> = valid.iter().flat_map(|(_, _, d)| &d.phones).collect();
            tx.contacts_with_keys(&external_ids, &emails, &phones).await?
        };
        let mut batch = Batch::default();
        for contact in existing {
            batch.add(contact, false);
        }
        // Rows that updated a contact read from the database: (position, row, cells).
        let mut updates: Vec<(usize, u64, Vec<String>)> = Vec::new();
        for (idx, row, data) in valid {
            let Some((slot, how)) = batch.find(&data) else {
                let id = ContactId::from_uuid(crate::new_uuid());
                batch.add(
                    Contact {
                        id,
                        data,
                        created_at: now,
                        updated_at: now,
                        version: 1,
                        erased_at: None,
                        first_deal_on: None,
                    },
                    true,
                );
                results.push((idx, Upserted::Created(id)));
                continue;
            };
            let existing = &batch.slots[slot].contact;
            if let (Some(theirs), Some(ours), ContactMatch::Email | ContactMatch::Phone) =
                (&existing.data.external_id, &data.external_id, how)
                && theirs != ours
            {
                let via = if how == ContactMatch::Email { "an e-mail" } else { "a phone" };
                let reason = format!("shares {via} with contact {} whose external_id is {theirs}", existing.id);
                results.push((idx, Upserted::Rejected(Rejection { row: row.row, reason, cells: row.cells })));
                continue;
            }
            let merged = merge(ContactInput::from(&existing.data), row.input);
            match ContactData::parse(&merged, &branches) {
                Ok(data) => {
                    let id = existing.id;
                    batch.replace(slot, data);
                    results.push((idx, Upserted::Updated(id)));
                    updates.push((idx, row.row, row.cells));
                }
                Err(errors) => results.push((
                    idx,
                    Upserted::Rejected(Rejection {
                        row: row.row,
                        reason: friendly(&errors.to_string()),
                        cells: row.cells,
                    }),
                )),
            }
        }

        let (created, updated) = batch.into_writes();
        tx.insert_contacts(&created).await?;
        let stale = tx.update_contacts(&updated, now).await?;
        let mut recorded = RecordedWishes::default();
        for (idx, outcome) in &results {
            let (created, id) = match outcome {
                Upserted::Created(id) => (true, id),
                Upserted::Updated(id) => (false, id),
                Upserted::Rejected(_) => continue,
            };
            if let Some(wishes) = wishes.get(idx).filter(|_| !stale.contains(id)) {
                recorded.add(tx, caller, *id, created, wishes, now).await?;
            }
        }
        tx.insert_consents(&recorded.consents).await?;
        tx.set_occasion_choices(&recorded.choices).await?;
        // One entry per batch, in the batch's transaction: what it did, not the people
        // it wrote (an entry per row would copy every imported value into the log).
        let details = serde_json::json!({"created": created.len(), "updated": updated.len() - stale.len()});
        tx.append_audit(&[self.audit_entry(caller, crate::audit::action::IMPORT, None, Some(details))]).await?;

        // A contact changed by someone else between our read and our write keeps their
        // change; the rows that would have overwritten it are reported.
        results.sort_by_key(|(idx, _)| *idx);
        if !stale.is_empty() {
            for (idx, row, cells) in updates {
                let outcome = &mut results[idx].1;
                if matches!(outcome, Upserted::Updated(id) if stale.contains(id)) {
                    let reason = "the contact was changed by someone else during the import; import again".to_owned();
                    *outcome = Upserted::Rejected(Rejection { row, reason, cells });
                }
            }
        }
        Ok(results.into_iter().map(|(_, outcome)| outcome).collect())
    }
}

/// A batch's wishes, gathered to be written in a few statements: consent to greetings
/// on each channel (unless it is given already) and the festivals chosen.
#[derive(Default)]
struct RecordedWishes {
    consents: Vec<(String, sambandh_domain::Consent)>,
    choices: Vec<(ContactId, sambandh_store::OccasionChoice)>,
}

impl RecordedWishes {
    /// Adds a row's wishes. A contact created by this batch has no consent history to
    /// read; an existing one's is read, so that consent given already is not repeated.
    async fn add(
        &mut self,
        tx: &mut sambandh_store::Tx,
        caller: &Caller,
        contact_id: ContactId,
        created: bool,
        wishes: &Wishes,
        now: jiff::Timestamp,
    ) -> AppResult<()> {
        use sambandh_domain::{ConsentMethod, ConsentStatus, Purpose};
        let history =
            if created || wishes.greetings_on.is_empty() { Vec::new() } else { tx.consents_of(contact_id).await? };
        for channel in &wishes.greetings_on {
            let latest =
                history.iter().rev().find(|c| c.change.purpose == Purpose::Greetings && c.change.channel == *channel);
            let given_here = self.consents.iter().any(|(_, c)| {
                c.contact_id == contact_id && c.change.purpose == Purpose::Greetings && c.change.channel == *channel
            });
            if given_here || latest.is_some_and(|c| c.change.status == ConsentStatus::Given) {
                continue;
            }
            let change = sambandh_domain::ConsentChange {
                purpose: Purpose::Greetings,
                channel: *channel,
                status: ConsentStatus::Given,
                method: ConsentMethod::Import,
                notice_language: None,
                note: None,
            };
            let consent =
                sambandh_domain::Consent { contact_id, change, recorded_by: caller.user_id(), recorded_at: now };
            self.consents.push((crate::new_uuid().to_string(), consent));
        }
        for festival in &wishes.festivals {
            let choice = sambandh_store::OccasionChoice {
                occasion: sambandh_domain::Occasion::Festival(festival.key().to_owned()),
                greet: true,
                month_day: None,
                since_year: None,
                method: ConsentMethod::Import.as_str().to_owned(),
                recorded_by: caller.user_id(),
                recorded_at: now,
            };
            self.choices.push((contact_id, choice));
        }
        Ok(())
    }
}

/// A batch of incoming contacts, validated: the CPU half of an upsert, which an import
/// runs while the previous batch is being written.
struct PreparedContacts {
    branches: Directory,
    /// (position in the batch, the row, its fields).
    valid: Vec<(usize, IncomingContact, ContactData)>,
    /// The rows refused, by position in the batch.
    results: Vec<(usize, Upserted)>,
}

fn prepare_contacts(branches: &Directory, incoming: Vec<IncomingContact>) -> PreparedContacts {
    let mut results = Vec::with_capacity(incoming.len());
    let mut valid = Vec::with_capacity(incoming.len());
    for (idx, row) in incoming.into_iter().enumerate() {
        match ContactData::parse(&row.input, &branches) {
            Ok(data) => valid.push((idx, row, data)),
            Err(errors) => results.push((
                idx,
                Upserted::Rejected(Rejection { row: row.row, reason: friendly(&errors.to_string()), cells: row.cells }),
            )),
        }
    }
    PreparedContacts { branches: branches.clone(), valid, results }
}

/// What the task writing a batch hands back: the first load's transaction, if the
/// import is one, and the batch's outcomes.
type InFlight = (Option<FirstLoad>, AppResult<Vec<Upserted>>);

async fn join(task: tokio::task::JoinHandle<InFlight>) -> AppResult<InFlight> {
    task.await.map_err(|err| AppError::Unexpected(anyhow::Error::new(err).context("writing a batch of the import")))
}

/// Where a batch's rows may find the contacts they match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lookup {
    /// Among the stored contacts (and the batch's own rows).
    Stored,
    /// Among the batch's own rows only: no stored contact shares a key with them.
    NoneStored,
}

/// An import into a database with no contacts yet — a business's first, and usually
/// its biggest. It runs in one transaction with the contact tables' secondary indexes
/// dropped (each is built once at the end, from sorted keys, instead of taking each
/// row at a random place), which makes it about twice as fast as batches that commit
/// one by one.
///
/// Without indexes no stored contact can be looked up by a key, and none needs to be:
/// every stored contact was created by this import, and their keys are remembered
/// (as hashes). As long as no row shares a key with an earlier batch, each batch is
/// matched within itself. The first batch that does has the indexes built at once
/// and is matched against the stored contacts, as is every batch after it: the
/// outcome is the same as batch by batch, only faster for files without repeats.
///
/// A crash or an error leaves nothing of such an import (it is one transaction); while
/// it runs, other writers wait for it (on PostgreSQL, the dropped indexes also keep
/// readers of the contact tables waiting).
struct FirstLoad {
    tx: sambandh_store::Tx,
    /// The dropped indexes, until they are built again.
    deferred: Option<sambandh_store::DeferredIndexes>,
    /// Hashes of the keys (external id, e-mail, phone) of the contacts written so far.
    seen: std::collections::HashSet<u64>,
}

impl FirstLoad {
    /// Starts a first load if the database has no contacts; `None` otherwise.
    async fn begin(app: &App) -> AppResult<Option<Self>> {
        let mut tx = app.store.begin().await?;
        if tx.has_contacts().await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let deferred = Some(tx.defer_contact_indexes().await?);
        Ok(Some(Self { tx, deferred, seen: std::collections::HashSet::new() }))
    }

    /// Where the batch's rows find their matches. The first batch that shares a key
    /// with an earlier one has the indexes built again, for it and every batch after.
    async fn lookup_for(&mut self, prepared: &PreparedContacts) -> AppResult<Lookup> {
        if self.deferred.is_none() {
            return Ok(Lookup::Stored);
        }
        let keys: Vec<u64> = prepared.valid.iter().flat_map(|(_, _, data)| key_hashes(data)).collect();
        if keys.iter().any(|key| self.seen.contains(key)) {
            if let Some(deferred) = self.deferred.take() {
                self.tx.restore_indexes(deferred).await?;
            }
            self.seen = std::collections::HashSet::new();
            return Ok(Lookup::Stored);
        }
        self.seen.extend(keys);
        Ok(Lookup::NoneStored)
    }

    /// Builds the indexes again and commits.
    async fn finish(mut self) -> AppResult<()> {
        if let Some(deferred) = self.deferred.take() {
            self.tx.restore_indexes(deferred).await?;
        }
        self.tx.commit().await?;
        Ok(())
    }
}

/// Hashes of the keys a row is matched on, as [`Batch`] compares them.
fn key_hashes(data: &ContactData) -> impl Iterator<Item = u64> + '_ {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    let hash = |kind: u8, key: &str| BuildHasherDefault::<DefaultHasher>::default().hash_one((kind, key));
    let external_id = data.external_id.iter().map(move |id| hash(0, id.as_str()));
    let emails = data.emails.iter().map(move |email| hash(1, &email.as_str().to_lowercase()));
    let phones = data.phones.iter().map(move |phone| hash(2, phone.as_str()));
    external_id.chain(emails).chain(phones)
}

impl ImportReport {
    fn record(&mut self, outcomes: Vec<Upserted>) {
        for outcome in outcomes {
            match outcome {
                Upserted::Created(_) => self.created += 1,
                Upserted::Updated(_) => self.updated += 1,
                Upserted::Rejected(rejection) => self.rejections.push(rejection),
            }
        }
    }
}

/// The contacts one upsert batch works on, indexed by the keys rows match on.
#[derive(Default)]
struct Batch {
    slots: Vec<Slot>,
    by_external_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    by_phone: HashMap<String, usize>,
}

struct Slot {
    contact: Contact,
    is_new: bool,
    changed: bool,
}

impl Batch {
    fn add(&mut self, contact: Contact, is_new: bool) {
        let slot = self.slots.len();
        self.slots.push(Slot { contact, is_new, changed: false });
        self.index(slot);
    }

    fn replace(&mut self, slot: usize, data: ContactData) {
        self.slots[slot].contact.data = data;
        self.slots[slot].changed = true;
        self.index(slot);
    }

    fn index(&mut self, slot: usize) {
        let data = &self.slots[slot].contact.data;
        if let Some(external_id) = &data.external_id {
            self.by_external_id.entry(external_id.to_string()).or_insert(slot);
        }
        for email in &data.emails {
            self.by_email.entry(email.as_str().to_lowercase()).or_insert(slot);
        }
        for phone in &data.phones {
            self.by_phone.entry(phone.to_string()).or_insert(slot);
        }
    }

    /// By external id, else the first e-mail that matches, else the first phone.
    fn find(&self, data: &ContactData) -> Option<(usize, ContactMatch)> {
        if let Some(slot) = data.external_id.as_ref().and_then(|id| self.by_external_id.get(id.as_str())) {
            return Some((*slot, ContactMatch::ExternalId));
        }
        if let Some(slot) = data.emails.iter().find_map(|e| self.by_email.get(&e.as_str().to_lowercase())) {
            return Some((*slot, ContactMatch::Email));
        }
        data.phones.iter().find_map(|p| self.by_phone.get(p.as_str())).map(|slot| (*slot, ContactMatch::Phone))
    }

    /// The contacts to insert and those to update (each still at the version read).
    fn into_writes(self) -> (Vec<Contact>, Vec<Contact>) {
        let mut created = Vec::new();
        let mut updated = Vec::new();
        for slot in self.slots {
            if slot.is_new {
                created.push(slot.contact);
            } else if slot.changed {
                updated.push(slot.contact);
            }
        }
        (created, updated)
    }
}

/// Field names of list entries as the CSV calls them: `emails[0]` is the `email` cell.
fn friendly(reason: &str) -> String {
    reason.replace("emails[", "email[").replace("phones[", "phone[")
}

/// Non-empty values of `row` replace those of `stored`; lists are united.
fn merge(mut stored: ContactInput, row: ContactInput) -> ContactInput {
    fn take(slot: &mut Option<String>, value: Option<String>) {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            *slot = Some(value);
        }
    }
    fn unite(list: &mut Vec<String>, more: Vec<String>) {
        for value in more {
            if !list.iter().any(|known| known.trim().eq_ignore_ascii_case(value.trim())) {
                list.push(value);
            }
        }
    }
    let ContactInput {
        external_id,
        honorific,
        given_name,
        family_name,
        father_name,
        preferred_name,
        name_latin,
        other_names,
        gender,
        language,
        script,
        time_zone,
        region,
        birthday,
        emails,
        phones,
        address_line,
        city,
        pin_code,
        branch,
        owner,
        tags,
        custom_fields,
        value_tier,
        source,
    } = row;
    take(&mut stored.external_id, external_id);
    take(&mut stored.honorific, honorific);
    take(&mut stored.given_name, given_name);
    take(&mut stored.family_name, family_name);
    take(&mut stored.father_name, father_name);
    take(&mut stored.preferred_name, preferred_name);
    take(&mut stored.name_latin, name_latin);
    take(&mut stored.gender, gender);
    take(&mut stored.language, language);
    take(&mut stored.script, script);
    take(&mut stored.time_zone, time_zone);
    take(&mut stored.region, region);
    take(&mut stored.birthday, birthday);
    take(&mut stored.address_line, address_line);
    take(&mut stored.city, city);
    take(&mut stored.pin_code, pin_code);
    take(&mut stored.branch, branch);
    take(&mut stored.owner, owner);
    take(&mut stored.value_tier, value_tier);
    take(&mut stored.source, source);
    let mut names: BTreeMap<String, String> = stored.other_names.into_iter().collect();
    names.extend(other_names);
    stored.other_names = names.into_iter().collect();
    let mut fields: BTreeMap<String, String> = stored.custom_fields.into_iter().collect();
    fields.extend(custom_fields);
    stored.custom_fields = fields.into_iter().collect();
    unite(&mut stored.emails, emails);
    unite(&mut stored.phones, phones);
    unite(&mut stored.tags, tags);
    stored
}

/// Reads the next record: its line number in the file, or the rejection of an
/// unreadable row (e.g. invalid UTF-8), which is not the end; `None` at the end.
pub(crate) fn next_record<R: Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::StringRecord,
) -> Option<Result<u64, Rejection>> {
    match reader.read_record(record) {
        Ok(false) => None,
        // The line where the record starts: the reader stands after the record's line
        // end (every line has one, see `UnixLines`), less the line ends quoted inside
        // its cells.
        Ok(true) => {
            let n_inner_lines: u64 = record.iter().map(|cell| cell.matches('\n').count() as u64).sum();
            Some(Ok(reader.position().line().saturating_sub(1 + n_inner_lines)))
        }
        Err(err) => {
            let row = err.position().map_or(reader.position().line(), csv::Position::line);
            Some(Err(Rejection { row, reason: format!("unreadable row: {err}"), cells: vec![] }))
        }
    }
}

/// A CSV reader over any text encoding a spreadsheet writes, with the delimiter
/// sniffed from the header line (Excel's "Unicode text" is UTF-16 and tab-separated).
pub(crate) fn csv_reader(source: impl Read) -> AppResult<csv::Reader<impl Read>> {
    let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new().bom_sniffing(true).strip_bom(true).build(source);
    let mut buffered = BufReader::with_capacity(1 << 16, UnixLines::new(decoded));
    let head = buffered.fill_buf().map_err(|err| AppError::BadRequest(format!("the file cannot be read: {err}")))?;
    if head.is_empty() {
        return Err(AppError::BadRequest("the file is empty".into()));
    }
    let first_line = head.split(|b| *b == b'\n').next().unwrap_or(head);
    let n_tabs = first_line.iter().filter(|b| **b == b'\t').count();
    let n_commas = first_line.iter().filter(|b| **b == b',').count();
    let n_semicolons = first_line.iter().filter(|b| **b == b';').count();
    let delimiter = if n_tabs > n_commas && n_tabs >= n_semicolons {
        b'\t'
    } else if n_semicolons > n_commas {
        b';'
    } else {
        b','
    };
    Ok(csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).has_headers(true).from_reader(buffered))
}

/// Turns Windows (`\r\n`) and old Mac (`\r`) line ends into `\n` and ends the last
/// line, so that the CSV reader's line count is the file's line count.
struct UnixLines<R> {
    inner: R,
    chunk: Vec<u8>,
    ready: Vec<u8>,
    ready_from: usize,
    pending_cr: bool,
    last: Option<u8>,
    at_end: bool,
}

impl<R: Read> UnixLines<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            chunk: vec![0; 1 << 16],
            ready: Vec::with_capacity(1 << 16),
            ready_from: 0,
            pending_cr: false,
            last: None,
            at_end: false,
        }
    }

    fn refill(&mut self) -> std::io::Result<()> {
        self.ready.clear();
        self.ready_from = 0;
        while self.ready.is_empty() && !self.at_end {
            let n_read = self.inner.read(&mut self.chunk)?;
            if n_read == 0 {
                self.at_end = true;
                if self.pending_cr || self.last.is_some_and(|b| b != b'\n') {
                    self.ready.push(b'\n');
                }
                break;
            }
            for &byte in &self.chunk[..n_read] {
                if std::mem::take(&mut self.pending_cr) {
                    self.ready.push(b'\n');
                    if byte == b'\n' {
                        continue;
                    }
                }
                if byte == b'\r' {
                    self.pending_cr = true;
                } else {
                    self.ready.push(byte);
                }
            }
        }
        if let Some(byte) = self.ready.last() {
            self.last = Some(*byte);
        }
        Ok(())
    }
}

impl<R: Read> Read for UnixLines<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.ready_from >= self.ready.len() {
            self.refill()?;
        }
        let available = &self.ready[self.ready_from..];
        let n_copied = available.len().min(out.len());
        out[..n_copied].copy_from_slice(&available[..n_copied]);
        self.ready_from += n_copied;
        Ok(n_copied)
    }
}

/// Which cell feeds which field.
struct Layout {
    columns: Vec<Option<Column>>,
    ignored: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Known(&'static str),
    /// `custom.<key>`: one custom field.
    Custom(String),
    /// `name_<Script>`: the full name in that script.
    Name(String),
}

fn canonical(header: &str) -> String {
    header.trim().to_lowercase().replace([' ', '-'], "_")
}

impl Layout {
    fn new(headers: &[String], options: &ImportOptions) -> AppResult<Self> {
        let mut map: Vec<(String, &'static str)> = Vec::new();
        for (from, to) in &options.map {
            let target = known_column(&canonical(to)).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "--map {from}={to}: '{to}' is not a column; use one of {}",
                    COLUMNS.iter().chain(WISH_COLUMNS).copied().collect::<Vec<_>>().join(", ")
                ))
            })?;
            map.push((canonical(from), target));
        }
        let mut columns = Vec::with_capacity(headers.len());
        let mut ignored = Vec::new();
        for header in headers {
            let key = canonical(header);
            let column = if let Some((_, target)) = map.iter().find(|(from, _)| *from == key) {
                Some(Column::Known(target))
            } else if let Some(known) = known_column(&key) {
                Some(Column::Known(known))
            } else if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == key) {
                Some(Column::Known(target))
            } else if let Some(field) = header.trim().strip_prefix("custom.") {
                Some(Column::Custom(field.to_owned()))
            } else if let Some(script) = header.trim().strip_prefix("name_").filter(|s| s.len() == 4) {
                Some(Column::Name(script.to_owned()))
            } else {
                if !IGNORED_COLUMNS.contains(&key.as_str()) && !header.trim().is_empty() {
                    ignored.push(header.clone());
                }
                None
            };
            if let Some(Column::Known(name)) = &column
                && columns.contains(&column)
                && !matches!(*name, "email" | "phone" | "tags")
            {
                return Err(AppError::BadRequest(format!("two columns of the file are {name}")));
            }
            columns.push(column);
        }
        if !columns.contains(&Some(Column::Known("given_name"))) {
            return Err(AppError::BadRequest(format!(
                "the file has no given_name column (its headers: {}); name it, or use --map HEADER=given_name",
                headers.join(", ")
            )));
        }
        Ok(Self { columns, ignored })
    }

    /// The row as typed input, or why its cells cannot even be read as fields.
    fn input(&self, record: &csv::StringRecord) -> Result<(ContactInput, Wishes), String> {
        let mut input = ContactInput::default();
        let mut wishes = Wishes::default();
        for (column, cell) in self.columns.iter().zip(record.iter()) {
            let Some(column) = column else { continue };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let value = Some(cell.to_owned());
            let list = || cell.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
            match column {
                Column::Custom(key) => input.custom_fields.push((key.clone(), cell.to_owned())),
                Column::Name(script) => input.other_names.push((script.clone(), cell.to_owned())),
                Column::Known(name) => match *name {
                    "external_id" => input.external_id = value,
                    "honorific" => input.honorific = value,
                    "given_name" => input.given_name = value,
                    "family_name" => input.family_name = value,
                    "father_name" => input.father_name = value,
                    "preferred_name" => input.preferred_name = value,
                    "name_latin" => input.name_latin = value,
                    "other_names" => {
                        for pair in list() {
                            let (script, name) = pair
                                .split_once('=')
                                .ok_or_else(|| format!("other_names: '{pair}' is not SCRIPT=name"))?;
                            input.other_names.push((script.trim().to_owned(), name.trim().to_owned()));
                        }
                    }
                    "gender" => input.gender = value,
                    "language" => input.language = value,
                    "script" => input.script = value,
                    "time_zone" => input.time_zone = value,
                    "region" => input.region = value,
                    "birthday" => input.birthday = value,
                    "email" => input.emails.extend(list()),
                    "phone" => input.phones.extend(list()),
                    "address_line" => input.address_line = value,
                    "city" => input.city = value,
                    "pin_code" => input.pin_code = value,
                    "branch" => input.branch = value,
                    "owner" => input.owner = value,
                    "tags" => input.tags.extend(list()),
                    "custom_fields" => {
                        let fields: BTreeMap<String, serde_json::Value> = serde_json::from_str(cell)
                            .map_err(|_| "custom_fields: must be a JSON object of texts".to_owned())?;
                        for (key, value) in fields {
                            let text = match value {
                                serde_json::Value::String(text) => text,
                                other => other.to_string(),
                            };
                            input.custom_fields.push((key, text));
                        }
                    }
                    "value_tier" => input.value_tier = value,
                    "source" => input.source = value,
                    "greetings_consent" => {
                        for raw in list() {
                            let channel = sambandh_domain::Channel::parse(&raw)
                                .map_err(|err| format!("greetings_consent: {err}"))?;
                            wishes.greetings_on.push(channel);
                        }
                    }
                    "festivals" => {
                        for raw in list() {
                            let key =
                                sambandh_domain::FestivalKey::parse(&raw).map_err(|err| format!("festivals: {err}"))?;
                            wishes.festivals.push(key);
                        }
                    }
                    _ => {}
                },
            }
        }
        Ok((input, wishes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(text: &str) -> String {
        let mut out = String::new();
        UnixLines::new(text.as_bytes()).read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn line_ends_are_made_unix_and_the_last_line_ended() {
        assert_eq!(unix("a\r\nb\r\n"), "a\nb\n");
        assert_eq!(unix("a\rb"), "a\nb\n");
        assert_eq!(unix("a\nb"), "a\nb\n");
        assert_eq!(unix("a\r"), "a\n");
        assert_eq!(unix(""), "");
    }
}
