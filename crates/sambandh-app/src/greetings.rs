//! Greetings: the daily run that prepares each person's greetings for their occasions,
//! review (edit, approve, skip), and the rules, templates and choices behind them.
//!
//! The daily run for a day D prepares, for every active rule, the greetings of the
//! occasions from D to D + the rule's lead days, once: a greeting is unique per
//! contact, occasion and day, so running twice (or daily with overlapping windows)
//! creates nothing new. Where two rules cover the same contact and occasion, the older
//! rule's greeting stands. Only contacts whose latest consent to greetings on the
//! rule's channel is "given", who have an address on it, and who did not opt out of the
//! occasion are greeted; festivals only for those who chose them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use minijinja::Environment;
use sambandh_domain::{
    Action, Branch, Channel, ContactId, Greeting, GreetingId, GreetingRule, GreetingRuleData, GreetingRuleInput,
    GreetingStatus, LetterLanguage, MessageId, MessageStatus, Occasion, Purpose, User, ValidationErrors,
    anniversary_years, local_instant, salutation, yearly_on,
};
use sambandh_store::{
    Addressee, GreetingFilter, MessageTemplate, OccasionChoice, OccasionQuery, OutboundMessage, Page, PageRequest, Tx,
};
use serde::Serialize;
use serde_json::json;

use crate::audit::action;
use crate::calendar::FestivalDay;
use crate::{App, AppError, AppResult, Caller};

/// How much work one template may do when rendered (minijinja's fuel): far more than
/// any greeting needs, far less than a loop that never ends.
const TEMPLATE_FUEL: u64 = 20_000;

/// The language every template chain ends in.
const FALLBACK_LANGUAGE: &str = "en";

/// What a daily run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RunReport {
    pub date: String,
    /// Greetings prepared by this run.
    pub created: u64,
    /// Of those, sent without review (the rule auto-sends).
    pub queued: u64,
    /// Prepared, per occasion key.
    pub by_occasion: BTreeMap<String, u64>,
    /// Not prepared because the template failed for the contact (no text in their
    /// language nor in English, or it ran out of fuel); each is logged.
    pub failed: u64,
}

/// What staff decide about a greeting in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Skip,
}

/// A greeting's text, edited by staff before approving.
#[derive(Debug, Clone, Default)]
pub struct GreetingEdit {
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// A template rendered for a contact.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// The language the chain arrived at.
    pub language: String,
    pub subject: String,
    pub body: String,
}

/// What a template may use.
#[derive(Debug, Serialize)]
struct LetterContext<'a> {
    salutation: String,
    name: String,
    occasion_name: &'a str,
    years: Option<i16>,
    company: Option<&'a str>,
    sender: &'a str,
    organisation: &'a str,
}

/// Settings of the greetings, with their defaults.
#[derive(Debug, Clone)]
pub struct GreetingSettings {
    pub organisation: String,
    pub mail_from: String,
    pub public_url: String,
    pub frequency_cap: sambandh_domain::FrequencyCap,
    pub quiet_hours: sambandh_domain::QuietHours,
}

/// The settings staff may change, with what each is for.
pub const SETTINGS: [(&str, &str); 6] = [
    ("organisation_name", "the name greetings are signed with"),
    ("mail_from", "the e-mail address messages are sent from"),
    ("public_url", "where this server is reached, for unsubscribe links"),
    ("frequency_cap", "at most so many non-transactional messages per contact, as 2/7d,4/30d"),
    ("quiet_hours", "local hours without messages, as 21:00-09:00"),
    (
        "holiday_festivals",
        "the festivals that are days off in the branches where they apply, as diwali,pongal (or none)",
    ),
];

/// Templates by key and language, compiled once per run.
pub(crate) struct Letters {
    env: Environment<'static>,
    available: HashMap<String, Vec<String>>,
}

impl Letters {
    pub(crate) fn new(templates: &[MessageTemplate]) -> AppResult<Self> {
        let mut env = Environment::new();
        env.set_fuel(Some(TEMPLATE_FUEL));
        // Greetings are plain text: nothing to escape (HTML pages escape on their own).
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
        let mut available: HashMap<String, Vec<String>> = HashMap::new();
        for template in templates {
            let base = format!("{}/{}", template.key, template.language);
            env.add_template_owned(format!("{base}/subject"), template.subject.clone())
                .map_err(|err| template_error(&base, &err))?;
            env.add_template_owned(format!("{base}/body"), template.body.clone())
                .map_err(|err| template_error(&base, &err))?;
            available.entry(template.key.clone()).or_default().push(template.language.clone());
        }
        Ok(Self { env, available })
    }

    /// The language of the template that serves `wanted`: the tag itself (`ta-IN`),
    /// its language (`ta`), else English.
    pub(crate) fn language_for(&self, key: &str, wanted: &str) -> Option<String> {
        let languages = self.available.get(key)?;
        let primary = wanted.split('-').next().unwrap_or(wanted);
        [wanted, primary, FALLBACK_LANGUAGE]
            .into_iter()
            .find(|candidate| languages.iter().any(|l| l.eq_ignore_ascii_case(candidate)))
            .map(str::to_owned)
    }

    pub(crate) fn render(&self, key: &str, language: &str, context: &impl Serialize) -> AppResult<(String, String)> {
        let base = format!("{key}/{language}");
        let render = |part: &str| -> AppResult<String> {
            let template =
                self.env.get_template(&format!("{base}/{part}")).map_err(|err| template_error(&base, &err))?;
            template.render(context).map_err(|err| template_error(&base, &err))
        };
        Ok((render("subject")?.trim().to_owned(), render("body")?))
    }
}

fn template_error(name: &str, err: &minijinja::Error) -> AppError {
    AppError::Validation(ValidationErrors::single("template", format!("{name}: {err}")))
}

/// Who a run knows: branches (zone, language) and staff (names to sign with).
pub(crate) struct People {
    branches: HashMap<sambandh_domain::BranchId, Branch>,
    users: HashMap<sambandh_domain::UserId, User>,
}

impl People {
    pub(crate) async fn load(app: &App) -> AppResult<Self> {
        Ok(Self {
            branches: app.store.branches().await?.into_iter().map(|b| (b.id, b)).collect(),
            users: app.store.users().await?.into_iter().map(|u| (u.id, u)).collect(),
        })
    }

    /// The contact's language: their own, else their branch's, else English.
    fn language(&self, addressee: &Addressee) -> String {
        addressee
            .language
            .clone()
            .or_else(|| addressee.branch_id.and_then(|id| self.branches.get(&id)).map(|b| b.data.language.to_string()))
            .unwrap_or_else(|| FALLBACK_LANGUAGE.to_owned())
    }

    /// The contact's zone: their own, else their branch's, else India's.
    fn time_zone(&self, addressee: &Addressee) -> TimeZone {
        self.zone(addressee.time_zone.as_deref(), addressee.branch_id)
    }

    /// A zone of one's own, else the branch's, else India's.
    pub(crate) fn zone(&self, own: Option<&str>, branch_id: Option<sambandh_domain::BranchId>) -> TimeZone {
        own.and_then(|name| TimeZone::get(name).ok())
            .or_else(|| branch_id.and_then(|id| self.branches.get(&id)).map(|b| b.data.time_zone.to_time_zone()))
            .unwrap_or_else(|| TimeZone::get("Asia/Kolkata").unwrap_or(TimeZone::UTC))
    }

    fn owner(&self, addressee: &Addressee) -> Option<&User> {
        addressee.owner_id.and_then(|id| self.users.get(&id))
    }
}

fn recipient(addressee: &Addressee, channel: Channel) -> Option<String> {
    match channel {
        Channel::Email => addressee.emails.first().cloned(),
        Channel::Sms | Channel::Whatsapp => addressee.phones.first().cloned(),
        Channel::Phone => None,
    }
}

/// The `MM-DD`s whose yearly occasions fall on `date` (28 February also keeps
/// 29 February's in a common year).
fn month_days(date: Date) -> Vec<String> {
    let mut days = vec![format!("{:02}-{:02}", date.month(), date.day())];
    if date.month() == 2 && date.day() == 28 && !date.in_leap_year() {
        days.push("02-29".to_owned());
    }
    days
}

impl App {
    pub async fn greeting_settings(&self) -> AppResult<GreetingSettings> {
        let store = &self.store;
        let organisation = store.setting("organisation_name").await?.unwrap_or_else(|| "Sambandh".to_owned());
        let mail_from = store.setting("mail_from").await?.unwrap_or_else(|| "greetings@localhost".to_owned());
        let public_url = store.setting("public_url").await?.unwrap_or_else(|| "http://127.0.0.1:7800".to_owned());
        let frequency_cap = match store.setting("frequency_cap").await? {
            Some(raw) => sambandh_domain::FrequencyCap::parse(&raw).unwrap_or_default(),
            None => sambandh_domain::FrequencyCap::default(),
        };
        let quiet_hours = match store.setting("quiet_hours").await? {
            Some(raw) => parse_quiet_hours(&raw).unwrap_or_default(),
            None => sambandh_domain::QuietHours::default(),
        };
        Ok(GreetingSettings { organisation, mail_from, public_url, frequency_cap, quiet_hours })
    }

    /// Changes a setting; the value is checked by what reads it.
    pub async fn set_setting(&self, caller: &Caller, key: &str, value: &str) -> AppResult<()> {
        caller.require(Action::Configure)?;
        let value = value.trim();
        let field = format!("settings.{key}");
        match key {
            "organisation_name" | "public_url" if !value.is_empty() => {}
            "mail_from" => {
                sambandh_domain::EmailAddress::parse(value)
                    .map_err(|err| ValidationErrors::single(field.clone(), err.0))?;
            }
            "frequency_cap" => {
                sambandh_domain::FrequencyCap::parse(value)
                    .map_err(|err| ValidationErrors::single(field.clone(), err.0))?;
            }
            "quiet_hours" => {
                parse_quiet_hours(value).map_err(|err| ValidationErrors::single(field.clone(), err.0))?;
            }
            "holiday_festivals" => {
                let bad: Vec<&str> = value
                    .split(',')
                    .map(str::trim)
                    .filter(|key| *key != "none" && !key.is_empty())
                    .filter(|key| !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                    .collect();
                if !bad.is_empty() {
                    return Err(ValidationErrors::single(
                        field,
                        format!("{} is not a festival key such as diwali or pongal", bad.join(", ")),
                    )
                    .into());
                }
            }
            "organisation_name" | "public_url" => return Err(ValidationErrors::single(field, "is required").into()),
            _ => {
                let known: Vec<&str> = SETTINGS.iter().map(|(key, _)| *key).collect();
                return Err(ValidationErrors::single("key", format!("must be one of {}", known.join(", "))).into());
            }
        }
        let mut tx = self.store.begin().await?;
        tx.set_setting(key, value, crate::now()).await?;
        let entry =
            self.audit_entry(caller, action::UPDATE, Some(("setting", key.to_owned())), Some(json!({"value": value})));
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        if key == "holiday_festivals" {
            self.calendars.clear();
        }
        Ok(())
    }

    /// Prepares the greetings of `date` and of the days each rule looks ahead.
    pub async fn run_greetings(&self, caller: &Caller, date: Date) -> AppResult<RunReport> {
        caller.require(Action::Configure)?;
        let rules: Vec<GreetingRule> =
            self.store.greeting_rules().await?.into_iter().filter(|r| r.data.active).collect();
        let letters = Arc::new(Letters::new(&self.store.message_templates().await?)?);
        let people = Arc::new(People::load(self).await?);
        let settings = Arc::new(self.greeting_settings().await?);
        let mut report = RunReport { date: date.to_string(), ..RunReport::default() };
        let max_lead = rules.iter().map(|r| r.data.lead_days).max().unwrap_or(0);
        let mut festivals_by_year: HashMap<i16, Vec<FestivalDay>> = HashMap::new();
        let now = crate::now();
        for ahead in 0..=i64::from(max_lead) {
            let Ok(day) = date.checked_add(jiff::Span::new().days(ahead)) else { continue };
            if let std::collections::hash_map::Entry::Vacant(entry) = festivals_by_year.entry(day.year()) {
                entry.insert(self.festival_days(day.year(), None).await?);
            }
            let festivals: Vec<&FestivalDay> =
                festivals_by_year.get(&day.year()).into_iter().flatten().filter(|f| f.date == day).collect();
            // The query leaves out greetings stored by earlier runs; this set, those an
            // older rule of this run has just written.
            let mut existing = HashSet::new();
            let mut greetings = Vec::new();
            for rule in rules.iter().filter(|r| i64::from(r.data.lead_days) >= ahead) {
                for (occasion_query, festival) in occasion_queries(&rule.data, day, &festivals) {
                    let started = std::time::Instant::now();
                    let addressees: Vec<Addressee> = self
                        .store
                        .occasion_addressees(&occasion_query, rule.data.channel, day)
                        .await?
                        .into_iter()
                        .filter(|a| !existing.contains(&(a.contact_id, occasion_key(&occasion_query, a))))
                        .collect();
                    let context = RunContext {
                        rule: rule.clone(),
                        letters: Arc::clone(&letters),
                        people: Arc::clone(&people),
                        settings: Arc::clone(&settings),
                        day,
                        festival: festival.cloned(),
                        now,
                    };
                    let found = started.elapsed();
                    let n_addressees = addressees.len();
                    let written = self.prepare_all(context, addressees).await?;
                    tracing::debug!(
                        rule = %rule.id, %day, addressees = n_addressees, found_ms = found.as_millis(),
                        written_ms = (started.elapsed() - found).as_millis(), "greetings written"
                    );
                    for (outcome, addressee) in written {
                        match outcome {
                            Ok(Some(greeting)) => {
                                existing.insert((greeting.contact_id, greeting.occasion.key()));
                                greetings.push((greeting, addressee));
                            }
                            Ok(None) => {}
                            Err(err) => {
                                report.failed += 1;
                                tracing::warn!(rule = %rule.id, contact = %addressee.contact_id, error = %err, "a greeting could not be written");
                            }
                        }
                    }
                }
            }
            let started = std::time::Instant::now();
            let mut tx = self.store.begin().await?;
            for chunk in greetings.chunks_mut(500) {
                for (greeting, addressee) in chunk.iter_mut() {
                    *report.by_occasion.entry(greeting.occasion.key()).or_default() += 1;
                    // Sent without review: its message is queued first, so the greeting
                    // is stored once, naming it.
                    if greeting.status == GreetingStatus::Approved {
                        let sign =
                            rules.iter().find(|r| r.id == greeting.rule_id).is_some_and(|r| r.data.sign_as_owner);
                        if self.enqueue_greeting(&mut tx, greeting, addressee, &people, sign, now).await? {
                            report.queued += 1;
                        }
                    }
                }
                let only: Vec<Greeting> = chunk.iter().map(|(g, _)| g.clone()).collect();
                report.created += tx.insert_greetings(&only).await?;
            }
            tx.commit().await?;
            tracing::debug!(%day, greetings = greetings.len(), ms = started.elapsed().as_millis(), "greetings stored");
        }
        let entry = self.audit_entry(
            caller,
            action::CREATE,
            Some(("greeting_run", date.to_string())),
            Some(json!({"created": report.created, "queued": report.queued})),
        );
        self.record(entry).await;
        Ok(report)
    }

    /// Writes the greetings of one rule and occasion, on every core when there are many.
    async fn prepare_all(
        &self,
        context: RunContext,
        addressees: Vec<Addressee>,
    ) -> AppResult<Vec<(AppResult<Option<Greeting>>, Addressee)>> {
        let write = |context: &RunContext, addressees: Vec<Addressee>| {
            addressees.into_iter().map(|a| (prepare(context, &a), a)).collect::<Vec<_>>()
        };
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        if addressees.len() < 2_000 || cores < 2 {
            return Ok(write(&context, addressees));
        }
        let context = Arc::new(context);
        let per_task = addressees.len().div_ceil(cores);
        let mut tasks = Vec::with_capacity(cores);
        let mut rest = addressees;
        while !rest.is_empty() {
            let chunk: Vec<Addressee> = rest.drain(..per_task.min(rest.len())).collect();
            let context = Arc::clone(&context);
            tasks.push(tokio::task::spawn_blocking(move || write(&context, chunk)));
        }
        let mut written = Vec::new();
        for task in tasks {
            written.extend(task.await.map_err(|err| AppError::Unexpected(anyhow::anyhow!(err)))?);
        }
        Ok(written)
    }
}

/// What writing one rule's greetings of one day needs.
struct RunContext {
    rule: GreetingRule,
    letters: Arc<Letters>,
    people: Arc<People>,
    settings: Arc<GreetingSettings>,
    day: Date,
    festival: Option<FestivalDay>,
    now: Timestamp,
}

/// The key of the occasion a query finds for an addressee.
fn occasion_key(query: &OccasionQuery, addressee: &Addressee) -> String {
    match query {
        OccasionQuery::Birthday { .. } => Occasion::Birthday.key(),
        OccasionQuery::FirstDeal { .. } => Occasion::FirstDeal.key(),
        OccasionQuery::CompanyAnniversary { .. } => Occasion::CompanyAnniversary.key(),
        OccasionQuery::Custom { .. } => addressee.detail.clone().unwrap_or_default(),
        OccasionQuery::Festival { key } => Occasion::Festival(key.clone()).key(),
    }
}

/// One person's greeting for the rule's occasion on the day, in their language; `None`
/// when the rule does not cover them or the occasion is not theirs that day.
fn prepare(context: &RunContext, addressee: &Addressee) -> AppResult<Option<Greeting>> {
    let RunContext { rule, letters, people, settings, day, festival, now } = context;
    let (day, now, festival) = (*day, *now, festival.as_ref());
    let data = &rule.data;
    if !rule.covers(addressee.value_tier, &addressee.tags, addressee.branch_id) {
        return Ok(None);
    }
    if recipient(addressee, data.channel).is_none() {
        return Ok(None);
    }
    let since = addressee.since.as_deref().and_then(|raw| raw.trim_start_matches('-').parse::<Date>().ok());
    let (occasion, years) = match &data.occasion {
        sambandh_domain::OccasionPattern::Exactly(Occasion::Birthday) => {
            let Some((month, day_of_month)) = addressee.since.as_deref().and_then(month_day) else {
                return Ok(None);
            };
            if yearly_on(day.year(), month, day_of_month) != Some(day) {
                return Ok(None);
            }
            (Occasion::Birthday, since.and_then(|since| anniversary_years(since, day)))
        }
        sambandh_domain::OccasionPattern::Exactly(occasion @ (Occasion::FirstDeal | Occasion::CompanyAnniversary)) => {
            let Some(years) = since.and_then(|since| anniversary_years(since, day)) else { return Ok(None) };
            (occasion.clone(), Some(years))
        }
        sambandh_domain::OccasionPattern::AnyCustom
        | sambandh_domain::OccasionPattern::Exactly(Occasion::Custom(_)) => {
            let Some(occasion) = addressee.detail.as_deref().and_then(|key| Occasion::parse(key).ok()) else {
                return Ok(None);
            };
            if !data.occasion.matches(&occasion) {
                return Ok(None);
            }
            (occasion, None)
        }
        sambandh_domain::OccasionPattern::AnyFestival
        | sambandh_domain::OccasionPattern::Exactly(Occasion::Festival(_)) => {
            let Some(festival) = festival else { return Ok(None) };
            (Occasion::Festival(festival.key.clone()), None)
        }
    };
    let wanted = people.language(addressee);
    let Some(language) = letters.language_for(&data.template, &wanted) else {
        return Err(AppError::BadRequest(format!(
            "greeting rule {}: template {} has no text in {wanted} nor in English",
            rule.id, data.template
        )));
    };
    let letter_language = LetterLanguage::of(&language).unwrap_or(LetterLanguage::English);
    let owner = people.owner(addressee);
    let sender = match owner {
        Some(owner) if data.sign_as_owner => owner.data.name.to_string(),
        _ => settings.organisation.clone(),
    };
    let occasion_name = match &occasion {
        Occasion::Festival(_) => festival.map(|f| f.name_in(letter_language)).unwrap_or_default(),
        Occasion::Custom(label) => label.clone(),
        _ => String::new(),
    };
    let context = LetterContext {
        salutation: salutation(&addressee.names, letter_language),
        name: letter_name(&addressee.names, letter_language),
        occasion_name: &occasion_name,
        years,
        company: addressee.detail.as_deref().filter(|_| occasion == Occasion::CompanyAnniversary),
        sender: &sender,
        organisation: &settings.organisation,
    };
    let (subject, body) = letters.render(&data.template, &language, &context)?;
    let send_at = local_instant(day, data.send_time, &people.time_zone(addressee));
    Ok(Some(Greeting {
        id: GreetingId::from_uuid(crate::new_uuid()),
        contact_id: addressee.contact_id,
        rule_id: rule.id.clone(),
        occasion,
        occasion_date: day,
        channel: data.channel,
        language,
        subject,
        body,
        status: if data.auto_send { GreetingStatus::Approved } else { GreetingStatus::Review },
        send_at,
        branch_id: addressee.branch_id,
        owner_id: addressee.owner_id,
        message_id: None,
        decided_by: None,
        decided_at: data.auto_send.then_some(now),
        created_at: now,
    }))
}

impl App {
    /// Puts an approved greeting in the outbox (once: the greeting's id is the key) and
    /// notes the message on the greeting, which the caller then stores.
    async fn enqueue_greeting(
        &self,
        tx: &mut Tx,
        greeting: &mut Greeting,
        addressee: &Addressee,
        people: &People,
        sign_as_owner: bool,
        now: Timestamp,
    ) -> AppResult<bool> {
        let Some(to) = recipient(addressee, greeting.channel) else { return Ok(false) };
        let owner = people.owner(addressee).filter(|_| sign_as_owner);
        let token = crate::auth::random_secret();
        let message = OutboundMessage {
            id: MessageId::from_uuid(crate::new_uuid()),
            contact_id: greeting.contact_id,
            branch_id: greeting.branch_id,
            owner_id: greeting.owner_id,
            channel: greeting.channel,
            purpose: Purpose::Greetings,
            recipient: to,
            from_name: owner.map(|o| o.data.name.to_string()),
            reply_to: owner.map(|o| o.data.email.to_string()),
            subject: greeting.subject.clone(),
            body: greeting.body.clone(),
            not_before: greeting.send_at.max(now),
            status: MessageStatus::Pending,
            attempts: 0,
            last_error: None,
            sent_at: None,
            unsubscribe_hash: Some(crate::auth::hash_secret(&token)),
            unsubscribe_token: Some(token),
            idempotency_key: format!("greeting:{}", greeting.id),
            created_at: now,
            in_reply_to: None,
            references: Vec::new(),
            language: Some(greeting.language.clone()),
            auto_reply: false,
        };
        let queued = tx.insert_message(&message).await?;
        if queued {
            greeting.message_id = Some(message.id);
        }
        Ok(queued)
    }

    pub async fn greeting(&self, caller: &Caller, id: GreetingId) -> AppResult<Greeting> {
        caller.require(Action::Read)?;
        self.store.greeting(&caller.scope(), id).await?.ok_or(AppError::NotFound)
    }

    pub async fn greetings(
        &self,
        caller: &Caller,
        filter: &GreetingFilter,
        page: &PageRequest,
    ) -> AppResult<Page<Greeting>> {
        caller.require(Action::Read)?;
        Ok(self.store.greetings(&caller.scope(), filter, page).await?)
    }

    /// Approves (with staff's edits) or skips a greeting in review. Approving puts it in
    /// the outbox for its hour; deciding again changes nothing once it is on its way.
    pub async fn decide_greeting(
        &self,
        caller: &Caller,
        id: GreetingId,
        decision: Decision,
        edit: &GreetingEdit,
    ) -> AppResult<Greeting> {
        caller.require(Action::Write)?;
        let people = People::load(self).await?;
        let rules = self.store.greeting_rules().await?;
        let mut tx = self.store.begin().await?;
        let greeting = tx.greeting(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        let decided = self.decide(&mut tx, caller, greeting, decision, edit, &people, &rules).await?;
        tx.commit().await?;
        Ok(decided)
    }

    /// Decides every greeting in review for the occasions of `date` that the caller
    /// can see; answers how many.
    pub async fn decide_greetings_of(&self, caller: &Caller, date: Date, decision: Decision) -> AppResult<u64> {
        caller.require(Action::Write)?;
        let people = People::load(self).await?;
        let rules = self.store.greeting_rules().await?;
        let mut tx = self.store.begin().await?;
        let filter =
            GreetingFilter { occasion_date: Some(date), status: Some(GreetingStatus::Review), contact_id: None };
        let pending = tx.greetings_matching(&caller.scope(), &filter).await?;
        let mut decided = 0;
        for greeting in pending {
            self.decide(&mut tx, caller, greeting, decision, &GreetingEdit::default(), &people, &rules).await?;
            decided += 1;
        }
        tx.commit().await?;
        Ok(decided)
    }

    #[expect(clippy::too_many_arguments, reason = "the transaction and what was loaded for it")]
    async fn decide(
        &self,
        tx: &mut Tx,
        caller: &Caller,
        mut greeting: Greeting,
        decision: Decision,
        edit: &GreetingEdit,
        people: &People,
        rules: &[GreetingRule],
    ) -> AppResult<Greeting> {
        if greeting.status != GreetingStatus::Review {
            return Err(AppError::BadRequest(format!("the greeting is {}, not in review", greeting.status)));
        }
        let mut errors = ValidationErrors::default();
        if let Some(subject) = &edit.subject {
            if subject.trim().is_empty() || subject.chars().count() > 200 {
                errors.push("subject", "must be 1 to 200 characters");
            }
            greeting.subject = subject.trim().to_owned();
        }
        if let Some(body) = &edit.body {
            if body.trim().is_empty() || body.chars().count() > 10_000 {
                errors.push("body", "must be 1 to 10,000 characters");
            }
            greeting.body = body.trim_end().to_owned();
        }
        errors.into_result()?;
        let now = crate::now();
        greeting.decided_by = caller.user_id();
        greeting.decided_at = Some(now);
        greeting.status = match decision {
            Decision::Approve => GreetingStatus::Approved,
            Decision::Skip => GreetingStatus::Skipped,
        };
        if decision == Decision::Approve {
            let contact = tx
                .contact(&sambandh_domain::Scope::Everything, greeting.contact_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let addressee = Addressee::of(&contact);
            let sign = rules.iter().find(|r| r.id == greeting.rule_id).is_none_or(|r| r.data.sign_as_owner);
            if !self.enqueue_greeting(tx, &mut greeting, &addressee, people, sign, now).await? {
                return Err(ValidationErrors::single(
                    "channel",
                    format!("the contact has no address for {}", greeting.channel),
                )
                .into());
            }
        }
        tx.update_greeting(&greeting).await?;
        let verb = match decision {
            Decision::Approve => "approved",
            Decision::Skip => "skipped",
        };
        let entry = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("greeting", greeting.id.to_string())),
            Some(json!({"status": verb, "contact_id": greeting.contact_id.to_string()})),
        );
        tx.append_audit(&[entry]).await?;
        Ok(greeting)
    }

    /// A template rendered for a real contact, as the daily run would.
    pub async fn preview_template(
        &self,
        caller: &Caller,
        key: &str,
        contact_id: ContactId,
        occasion: Option<&Occasion>,
    ) -> AppResult<Preview> {
        caller.require(Action::Read)?;
        let contact = self.store.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        let letters = Letters::new(&self.store.message_templates().await?)?;
        let people = People::load(self).await?;
        let settings = self.greeting_settings().await?;
        let addressee = Addressee::of(&contact);
        let wanted = people.language(&addressee);
        let language = letters
            .language_for(key, &wanted)
            .ok_or_else(|| ValidationErrors::single("template", format!("there is no template {key}")))?;
        let letter_language = LetterLanguage::of(&language).unwrap_or(LetterLanguage::English);
        let today = crate::now().to_zoned_datetime(people.time_zone(&addressee)).date();
        let occasion_name = match occasion {
            Some(Occasion::Festival(key)) => self
                .festival_days(today.year(), None)
                .await?
                .into_iter()
                .find(|f| &f.key == key)
                .map(|f| f.name_in(letter_language))
                .unwrap_or_else(|| key.clone()),
            Some(Occasion::Custom(label)) => label.clone(),
            _ => String::new(),
        };
        let sender =
            people.owner(&addressee).map_or_else(|| settings.organisation.clone(), |o| o.data.name.to_string());
        let context = LetterContext {
            salutation: salutation(&addressee.names, letter_language),
            name: letter_name(&addressee.names, letter_language),
            occasion_name: &occasion_name,
            years: Some(1),
            company: Some("—"),
            sender: &sender,
            organisation: &settings.organisation,
        };
        let (subject, body) = letters.render(key, &language, &context)?;
        Ok(Preview { language, subject, body })
    }

    pub async fn greeting_rules(&self, caller: &Caller) -> AppResult<Vec<GreetingRule>> {
        caller.require(Action::Read)?;
        Ok(self.store.greeting_rules().await?)
    }

    /// Adds a rule (`id` None) or changes one.
    pub async fn save_greeting_rule(
        &self,
        caller: &Caller,
        id: Option<&str>,
        input: &GreetingRuleInput,
    ) -> AppResult<GreetingRule> {
        caller.require(Action::Configure)?;
        let data = GreetingRuleData::parse(input)?;
        let templates = self.store.message_templates().await?;
        if !templates.iter().any(|t| t.key == data.template) {
            return Err(ValidationErrors::single("template", format!("there is no template {}", data.template)).into());
        }
        let rules = self.store.greeting_rules().await?;
        let id = match id {
            Some(id) if rules.iter().any(|r| r.id == id) => id.to_owned(),
            Some(_) => return Err(AppError::NotFound),
            None => crate::new_uuid().to_string(),
        };
        let rule = GreetingRule { id, data };
        let mut tx = self.store.begin().await?;
        tx.upsert_greeting_rule(&rule, crate::now()).await?;
        let entry = self.audit_entry(caller, action::UPDATE, Some(("greeting_rule", rule.id.clone())), None);
        tx.append_audit(&[entry]).await?;
        tx.commit().await?;
        Ok(rule)
    }

    pub async fn message_templates(&self, caller: &Caller) -> AppResult<Vec<MessageTemplate>> {
        caller.require(Action::Read)?;
        Ok(self.store.message_templates().await?)
    }

    /// Adds or changes a template; one that does not compile is refused with the reason.
    pub async fn save_message_template(&self, caller: &Caller, template: &MessageTemplate) -> AppResult<()> {
        caller.require(Action::Configure)?;
        let mut errors = ValidationErrors::default();
        if template.key.is_empty()
            || !template.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push("key", "must be a key of lower-case letters, digits and _");
        }
        if let Err(err) = sambandh_domain::LanguageTag::parse(&template.language) {
            errors.push("language", err.0);
        }
        for (field, text) in [("subject", &template.subject), ("body", &template.body)] {
            if text.trim().is_empty() {
                errors.push(field, "is required");
            } else if let Err(err) = Environment::new().template_from_str(text) {
                errors.push(field, format!("does not compile: {err}"));
            }
        }
        errors.into_result()?;
        let mut tx = self.store.begin().await?;
        tx.upsert_message_template(template, crate::now()).await?;
        let name = format!("{}/{}", template.key, template.language);
        tx.append_audit(&[self.audit_entry(caller, action::UPDATE, Some(("message_template", name)), None)]).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn occasion_choices(&self, caller: &Caller, contact_id: ContactId) -> AppResult<Vec<OccasionChoice>> {
        caller.require(Action::Read)?;
        self.store.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        Ok(self.store.occasion_choices(&caller.scope(), contact_id).await?)
    }

    /// Records what the contact wants to be greeted for: a festival they chose, a
    /// personal occasion they opted out of, a date of their own (`on`: `MM-DD` or
    /// `YYYY-MM-DD`).
    pub async fn set_occasion_choice(
        &self,
        caller: &Caller,
        contact_id: ContactId,
        occasion: &str,
        greet: bool,
        on: Option<&str>,
        method: &str,
    ) -> AppResult<OccasionChoice> {
        caller.require(Action::Write)?;
        let mut errors = ValidationErrors::default();
        let occasion = errors.check("occasion", Occasion::parse(occasion));
        let method = errors.check("method", sambandh_domain::ConsentMethod::parse(method));
        let date = match (on.map(str::trim).filter(|s| !s.is_empty()), &occasion) {
            (Some(raw), Some(Occasion::Custom(_))) => {
                // `MM-DD` is a yearly date without its first year (`--MM-DD`).
                let raw = if raw.len() == 5 && raw.as_bytes()[2] == b'-' { format!("--{raw}") } else { raw.to_owned() };
                errors.check(
                    "on",
                    sambandh_domain::Birthday::parse(&raw)
                        .map_err(|err| sambandh_domain::ValueError::new(err.0.replace("birthday", "date"))),
                )
            }
            (None, Some(Occasion::Custom(_))) if greet => {
                errors.push("on", "a date of the contact's own needs its day, as MM-DD or YYYY-MM-DD");
                None
            }
            (Some(_), Some(_)) => {
                errors.push("on", "only a custom occasion takes a date");
                None
            }
            _ => None,
        };
        errors.into_result()?;
        let (Some(occasion), Some(method)) = (occasion, method) else { return Err(AppError::NotFound) };
        let choice = OccasionChoice {
            occasion,
            greet,
            month_day: date.as_ref().map(|d| format!("{:02}-{:02}", d.month(), d.day())),
            since_year: date.as_ref().and_then(sambandh_domain::Birthday::year),
            method: method.as_str().to_owned(),
            recorded_by: caller.user_id(),
            recorded_at: crate::now(),
        };
        let mut tx = self.store.begin().await?;
        let contact = tx.contact(&caller.scope(), contact_id).await?.ok_or(AppError::NotFound)?;
        if contact.erased_at.is_some() {
            return Err(AppError::BadRequest("the contact's data was erased".into()));
        }
        tx.set_occasion_choice(contact_id, &choice).await?;
        let details = json!({"occasion": choice.occasion.key(), "greet": greet, "method": choice.method});
        tx.append_audit(&[self.audit_entry(
            caller,
            action::CONSENT,
            Some(("contact", contact_id.to_string())),
            Some(details),
        )])
        .await?;
        tx.commit().await?;
        Ok(choice)
    }
}

/// `MM-DD` of a stored date (`YYYY-MM-DD` or `--MM-DD`).
fn month_day(raw: &str) -> Option<(i8, i8)> {
    let tail = raw.get(raw.len().checked_sub(5)?..)?;
    let (month, day) = tail.split_once('-')?;
    Some((month.parse().ok()?, day.parse().ok()?))
}

/// The given name as the salutation writes it in the letter's language.
fn letter_name(names: &sambandh_domain::PersonNames, language: LetterLanguage) -> String {
    let bare = sambandh_domain::PersonNames { honorific: None, gender: None, ..names.clone() };
    let full = salutation(&bare, language);
    match language {
        LetterLanguage::Hindi => full.trim_start_matches("प्रिय ").trim_end_matches(" जी").to_owned(),
        LetterLanguage::Tamil => full.trim_start_matches("அன்புள்ள ").trim_end_matches(" அவர்களுக்கு").to_owned(),
        LetterLanguage::Gujarati => full.trim_start_matches("પ્રિય ").to_owned(),
        LetterLanguage::English => full.trim_start_matches("Dear ").to_owned(),
    }
}

/// `21:00-09:00`.
pub fn parse_quiet_hours(raw: &str) -> Result<sambandh_domain::QuietHours, sambandh_domain::ValueError> {
    let (start, end) =
        raw.split_once('-').ok_or_else(|| sambandh_domain::ValueError::new("must be two times such as 21:00-09:00"))?;
    Ok(sambandh_domain::QuietHours {
        start: sambandh_domain::parse_local_time(start)?,
        end: sambandh_domain::parse_local_time(end)?,
    })
}

/// The store queries that find a rule's occasions on `day`, with the festival each is
/// for.
fn occasion_queries<'a>(
    rule: &GreetingRuleData,
    day: Date,
    festivals: &[&'a FestivalDay],
) -> Vec<(OccasionQuery, Option<&'a FestivalDay>)> {
    use sambandh_domain::OccasionPattern as P;
    let month_days = month_days(day);
    match &rule.occasion {
        P::Exactly(Occasion::Birthday) => vec![(OccasionQuery::Birthday { month_days }, None)],
        P::Exactly(Occasion::FirstDeal) => vec![(OccasionQuery::FirstDeal { month_days }, None)],
        P::Exactly(Occasion::CompanyAnniversary) => vec![(OccasionQuery::CompanyAnniversary { month_days }, None)],
        P::Exactly(Occasion::Custom(_)) | P::AnyCustom => vec![(OccasionQuery::Custom { month_days }, None)],
        P::Exactly(Occasion::Festival(key)) => festivals
            .iter()
            .filter(|f| &f.key == key)
            .map(|f| (OccasionQuery::Festival { key: f.key.clone() }, Some(*f)))
            .collect(),
        P::AnyFestival => {
            festivals.iter().map(|f| (OccasionQuery::Festival { key: f.key.clone() }, Some(*f))).collect()
        }
    }
}
