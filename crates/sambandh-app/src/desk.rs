//! The service desk (C9, C10, C12, C14): tickets from e-mail, the web form, the API and
//! logged calls; the promise made to the customer and kept by the SLA timers; routing
//! by language; replies in the customer's thread; satisfaction surveys.
//!
//! Deadlines are instants on the ticket, computed here from the policy that applies
//! (by source, priority and the customer's tier) and the branch's business calendar,
//! and computed again whenever something moves them: the customer writes, the ticket
//! waits on the customer (its timers pause) or stops waiting.
//!
//! What counts as an answer: a reply to the customer (by e-mail when they have an
//! address; on a phone ticket without one, the reply is the record of what was said).
//! Internal notes and the automatic acknowledgement do not.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use sambandh_domain::{
    ACKNOWLEDGEMENT_TEMPLATE, Action, AgentLoad, BranchId, BusinessCalendar, Channel, Contact, ContactId, ContactInput,
    Direction, Interaction, InteractionData, InteractionId, InteractionKind, LanguageTag, LetterLanguage, LongText,
    MessageId, MessageStatus, NewTicket, PersonNames, Purpose, REPLY_TEMPLATE, Role, SURVEY_TEMPLATE, ShortText,
    SlaPolicy, Task, TaskData, TaskId, TicketEntryId, TicketEntryKind, TicketId, TicketInput, TicketPriority,
    TicketSource, TicketStatus, UserId, ValidationErrors, choose_agent, reply_subject, salutation, ticket_language,
    written_instant,
};
use sambandh_store::{
    AssigneeFilter, MeasureGroup, MeasureRow, OutboundMessage, Page, PageRequest, Ticket, TicketEntry, TicketFilter, Tx,
};
use serde::Serialize;
use serde_json::json;

use crate::audit::action;
use crate::greetings::Letters;
use crate::{App, AppError, AppResult, Caller};

/// How long before a deadline its assignee is reminded.
pub const REMINDER_LEAD: SignedDuration = SignedDuration::from_mins(30);
/// Requests the public form takes from one address in 15 minutes.
pub const FORM_REQUESTS_PER_ADDRESS: usize = 10;
/// Scores at or below this make a follow-up task for the branch manager.
pub const LOW_SCORE: u8 = 2;

/// An e-mail as the desk needs it (the mailbox reader parses it).
#[derive(Debug, Clone, Default)]
pub struct IncomingMail {
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub from_name: Option<String>,
    pub from_address: String,
    pub subject: String,
    pub text: String,
    /// An auto-reply, a bounce or a list: never answered, never a ticket.
    pub auto_submitted: bool,
    pub received_at: Option<Timestamp>,
}

/// What became of an e-mail.
#[derive(Debug, Clone)]
pub enum MailOutcome {
    NewTicket(Ticket),
    /// Added to the conversation of an existing ticket.
    Added(Ticket),
    /// Already on a ticket (the mailbox was read twice).
    Duplicate,
    Ignored(String),
}

/// A ticket as staff or the web form open it: the request, and who it is from (a known
/// contact, or a name and an address to find or create one by).
#[derive(Debug, Clone, Default)]
pub struct TicketRequest {
    pub contact_id: Option<ContactId>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The branch of a new contact; the contact's own branch otherwise.
    pub branch_id: Option<BranchId>,
    pub ticket: TicketInput,
}

/// A change staff make to a ticket; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TicketChange {
    pub status: Option<TicketStatus>,
    pub priority: Option<TicketPriority>,
    /// `Some(None)` unassigns.
    pub assignee_id: Option<Option<UserId>>,
    pub tags: Option<Vec<String>>,
}

/// A ticket with its conversation.
#[derive(Debug, Clone)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub entries: Vec<TicketEntry>,
    /// The branch's zone, to show deadlines in.
    pub zone: TimeZone,
}

/// A survey as its page shows it.
#[derive(Debug, Clone)]
pub struct Survey {
    pub number: u64,
    pub subject: String,
    pub language: String,
    pub score: Option<u8>,
}

/// What a reminder run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReminderReport {
    pub reminded: u64,
    pub escalated: u64,
}

/// What a template of the desk may use.
#[derive(Debug, Serialize)]
struct DeskContext<'a> {
    salutation: &'a str,
    name: &'a str,
    organisation: &'a str,
    number: u64,
    subject: &'a str,
    promise: Option<&'a str>,
    text: Option<&'a str>,
    sender: &'a str,
    survey_url: Option<&'a str>,
}

/// The deadlines of `ticket` under `policy` in `calendar`, as things stand.
fn schedule(ticket: &mut Ticket, policy: &SlaPolicy, calendar: &BusinessCalendar) {
    let due = |target| sambandh_domain::due(calendar, ticket.created_at, target, ticket.paused_work);
    if ticket.first_response_at.is_none() {
        ticket.first_response_due = due(&policy.first_response);
    }
    if ticket.resolved_at.is_none() {
        ticket.resolution_due = due(&policy.resolution);
    }
    let running = matches!(ticket.status, TicketStatus::New | TicketStatus::Open);
    ticket.due_at = if running {
        [
            ticket.first_response_due.filter(|_| ticket.first_response_at.is_none()),
            ticket.next_response_due,
            ticket.resolution_due,
        ]
        .into_iter()
        .flatten()
        .min()
    } else {
        None
    };
}

/// Stops the clock of a ticket waiting on the customer: the working time it waited is
/// added to what pushes its deadlines.
fn unpause(ticket: &mut Ticket, calendar: &BusinessCalendar, now: Timestamp) {
    if let Some(since) = ticket.paused_since.take() {
        ticket.paused_work = ticket.paused_work.saturating_add(calendar.working_between(since, now));
    }
}

/// The Message-ID of an outbox e-mail (the sender writes the same one).
pub(crate) fn mail_id(message_id: MessageId, mail_from: &str) -> String {
    let domain = mail_from.rsplit_once('@').map_or("localhost", |(_, domain)| domain);
    format!("{message_id}@{domain}")
}

impl App {
    /// Takes an e-mail from the support mailbox: adds it to the ticket whose thread it
    /// continues (by `In-Reply-To`/`References`, else by a `[#N]` of the sender's in
    /// the subject), or opens a new ticket in `branch_id` for a new sender.
    pub async fn receive_mail(&self, mail: &IncomingMail, branch_id: BranchId) -> AppResult<MailOutcome> {
        if mail.auto_submitted {
            return Ok(MailOutcome::Ignored(format!("{} is an automatic message", mail.message_id)));
        }
        let from = match sambandh_domain::EmailAddress::parse(&mail.from_address) {
            Ok(from) => from,
            Err(err) => return Ok(MailOutcome::Ignored(format!("sender {}: {}", mail.from_address, err.0))),
        };
        let now = crate::now();
        // The clock starts when the customer sent it (mail that waited in the mailbox
        // while the server was down counts from then), unless their Date header is in
        // the future or older than a fortnight: a wrong clock, not a wait.
        let oldest = now.checked_sub(SignedDuration::from_hours(14 * 24)).unwrap_or(now);
        let received = mail.received_at.filter(|at| (oldest..=now).contains(at)).unwrap_or(now);
        if self.store.mail_known(&mail.message_id).await? {
            return Ok(MailOutcome::Duplicate);
        }
        let contact =
            match self.store.contacts_by_email(&sambandh_domain::Scope::Everything, &from).await?.into_iter().next() {
                Some(contact) => contact,
                None => {
                    let language = ticket_language(&mail.text, None, &self.branch_language(branch_id).await?);
                    self.create_customer(mail.from_name.as_deref(), Some(from.as_ref()), None, branch_id, &language)
                        .await?
                }
            };
        let mut thread: Vec<String> = mail.in_reply_to.clone();
        thread.extend(mail.references.iter().cloned());
        let mut existing = self.store.ticket_of_thread(&thread).await?;
        if existing.is_none()
            && let Some(number) = sambandh_domain::number_in_subject(&mail.subject)
        {
            existing = self.store.ticket_id_by_number(number, Some(contact.id)).await?;
        }
        match existing {
            Some(ticket_id) => {
                let ticket = self.customer_wrote(ticket_id, &mail.text, Some(&mail.message_id), received).await?;
                Ok(MailOutcome::Added(ticket))
            }
            None => {
                let input = TicketInput {
                    subject: Some(mail.subject.clone()),
                    text: Some(mail.text.clone()),
                    source: Some("email".into()),
                    ..Default::default()
                };
                let new = NewTicket::parse(&input)?;
                match self.open_ticket(&Caller::LocalOperator, &contact, new, Some(&mail.message_id), received).await {
                    Ok(ticket) => Ok(MailOutcome::NewTicket(ticket)),
                    Err(AppError::Conflict { field: "message_id" }) => Ok(MailOutcome::Duplicate),
                    Err(other) => Err(other),
                }
            }
        }
    }

    /// Opens a ticket for staff (a logged call, the API) or the public web form
    /// (`Caller::LocalOperator` with `source` web).
    pub async fn create_ticket(&self, caller: &Caller, request: &TicketRequest) -> AppResult<Ticket> {
        caller.require(Action::Write)?;
        let new = NewTicket::parse(&request.ticket)?;
        let contact = match request.contact_id {
            Some(id) => self.store.contact(&caller.scope(), id).await?.ok_or(AppError::NotFound)?,
            None => self.find_or_create_customer(caller, request, &new).await?,
        };
        let now = crate::now();
        self.open_ticket(caller, &contact, new, None, now).await
    }

    /// A request from the public form (`/support`), from the client at `address`: at
    /// most [`FORM_REQUESTS_PER_ADDRESS`] per address in 15 minutes, so that nobody can
    /// fill the desk (and the contacts) by script.
    pub async fn submit_support_form(&self, address: Option<&str>, request: &TicketRequest) -> AppResult<Ticket> {
        let key = format!("support-form:{}", address.unwrap_or("unknown"));
        if let Some(retry_after) = self.throttle.attempt(&[(key.as_str(), FORM_REQUESTS_PER_ADDRESS)]) {
            return Err(AppError::TooManyAttempts { retry_after });
        }
        let mut request = request.clone();
        request.contact_id = None;
        request.ticket.source = Some("web".into());
        self.create_ticket(&Caller::LocalOperator, &request).await
    }

    async fn find_or_create_customer(
        &self,
        caller: &Caller,
        request: &TicketRequest,
        new: &NewTicket,
    ) -> AppResult<Contact> {
        let email = request.email.as_deref().map(str::trim).filter(|e| !e.is_empty());
        let phone = request.phone.as_deref().map(str::trim).filter(|p| !p.is_empty());
        let mut errors = ValidationErrors::default();
        let email = errors.check_opt("email", email, sambandh_domain::EmailAddress::parse);
        let phone = errors.check_opt("phone", phone, sambandh_domain::PhoneE164::parse);
        if email.is_none() && phone.is_none() && errors.is_empty() {
            errors.push("email", "is required (or a phone number, or a contact id)");
        }
        errors.into_result()?;
        // Matching an address to a contact must see every contact: the web form's
        // sender may be a customer of any branch.
        let everything = sambandh_domain::Scope::Everything;
        if let Some(email) = &email
            && let Some(contact) = self.store.contacts_by_email(&everything, email).await?.into_iter().next()
        {
            return Ok(contact);
        }
        if let Some(phone) = &phone
            && let Some(contact) = self.store.contacts_by_phone(&everything, phone).await?.into_iter().next()
        {
            return Ok(contact);
        }
        let branch_id = request
            .branch_id
            .or_else(|| caller.branch_id())
            .or(self.store.branches().await?.first().map(|b| b.id))
            .ok_or_else(|| ValidationErrors::single("branch", "is required: this organisation has no branch yet"))?;
        let language = match &new.language {
            Some(language) => language.clone(),
            None => ticket_language(new.text.as_ref(), None, &self.branch_language(branch_id).await?),
        };
        self.create_customer(
            request.name.as_deref(),
            email.as_ref().map(AsRef::as_ref),
            phone.as_ref().map(|phone| phone.as_str()),
            branch_id,
            &language,
        )
        .await
    }

    async fn branch_language(&self, branch_id: BranchId) -> AppResult<LanguageTag> {
        let branch = self.store.branch(branch_id).await?.ok_or(AppError::NotFound)?;
        Ok(branch.data.language)
    }

    /// A contact for someone who wrote in for the first time, from what their message
    /// tells: a name (else the address's local part), the address, the language.
    async fn create_customer(
        &self,
        name: Option<&str>,
        email: Option<&str>,
        phone: Option<&str>,
        branch_id: BranchId,
        language: &LanguageTag,
    ) -> AppResult<Contact> {
        let name = name
            .map(|n| n.trim().trim_matches('"').trim().to_owned())
            .filter(|n| !n.is_empty())
            .or_else(|| email.and_then(|e| e.split('@').next()).map(str::to_owned))
            .or_else(|| phone.map(str::to_owned))
            .unwrap_or_else(|| "Customer".to_owned());
        // "Rajesh Sharma" is given and family name; a name in an Indic script is kept
        // whole (its parts follow other conventions).
        let latin = sambandh_domain::Script::of_text(&name).is_none_or(|s| s == sambandh_domain::Script::latin());
        let (given, family) = match name.rsplit_once(' ') {
            Some((given, family)) if latin => (given.to_owned(), Some(family.to_owned())),
            _ => (name.clone(), None),
        };
        let input = ContactInput {
            given_name: Some(given),
            family_name: family,
            emails: email.map(str::to_owned).into_iter().collect(),
            phones: phone.map(str::to_owned).into_iter().collect(),
            language: Some(language.to_string()),
            branch: Some(branch_id.to_string()),
            source: Some("service desk".into()),
            ..Default::default()
        };
        // Made like any other contact (checked, audited), by the desk itself.
        self.create_contact(&Caller::LocalOperator, &input).await
    }

    /// Opens a ticket for `contact`: numbers it, chooses its policy and deadlines,
    /// routes it, records the customer's message, and sends the acknowledgement that
    /// makes the promise — all in one transaction.
    async fn open_ticket(
        &self,
        caller: &Caller,
        contact: &Contact,
        new: NewTicket,
        mail_id: Option<&str>,
        received: Timestamp,
    ) -> AppResult<Ticket> {
        let branch_id = match contact.data.branch_id {
            Some(branch_id) => branch_id,
            None => self.store.branches().await?.first().map(|b| b.id).ok_or_else(|| {
                ValidationErrors::single("branch", "is required: this organisation has no branch yet")
            })?,
        };
        let branch_language = self.branch_language(branch_id).await?;
        let language = new
            .language
            .clone()
            .unwrap_or_else(|| ticket_language(new.text.as_ref(), contact.data.language.as_ref(), &branch_language));
        let calendar = self.business_calendar(branch_id).await?;
        let policy = self.policy_for(new.source, new.priority, contact.data.value_tier).await?;
        let candidates = self.store.agent_candidates(branch_id).await?;
        let agents: Vec<AgentLoad> = candidates
            .into_iter()
            .map(|candidate| AgentLoad {
                user_id: candidate.user_id,
                languages: candidate.languages.iter().filter_map(|l| LanguageTag::parse(l).ok()).collect(),
                open_tickets: candidate.open_tickets,
            })
            .collect();
        let assignee_id = choose_agent(&agents, &language);
        let now = crate::now();
        let mut ticket = Ticket {
            id: TicketId::from_uuid(crate::new_uuid()),
            number: 0,
            contact_id: contact.id,
            branch_id: Some(branch_id),
            assignee_id,
            source: new.source,
            subject: new.subject.to_string(),
            language: language.to_string(),
            status: TicketStatus::New,
            priority: new.priority,
            tier: contact.data.value_tier,
            tags: Vec::new(),
            policy_id: Some(policy.id.clone()),
            created_at: received,
            updated_at: now,
            version: 1,
            customer_at: received,
            first_response_due: None,
            first_response_at: None,
            first_response_work: None,
            next_response_due: None,
            resolution_due: None,
            resolved_at: None,
            resolution_work: None,
            due_at: None,
            paused_since: None,
            paused_work: SignedDuration::ZERO,
            reminded_due: None,
            escalated_due: None,
            csat_hash: None,
            csat_score: None,
            csat_comment: None,
            csat_at: None,
        };
        schedule(&mut ticket, &policy.data, &calendar);
        let settings = self.greeting_settings().await?;
        let letters = Letters::new(&self.store.message_templates().await?)?;
        let mut tx = self.store.begin().await?;
        ticket.number = tx.next_ticket_number().await?;
        tx.insert_ticket(&ticket).await?;
        let entry = TicketEntry {
            mail_id: mail_id.map(str::to_owned),
            ..new_entry(ticket.id, TicketEntryKind::Inbound, None, new.text.to_string(), received)
        };
        if !tx.insert_ticket_entry(&entry).await? {
            // Another reader of the mailbox took this e-mail a moment ago.
            tx.rollback().await?;
            return Err(AppError::Conflict { field: "message_id" });
        }
        let kind = match ticket.source {
            TicketSource::Email => InteractionKind::Email,
            TicketSource::Phone => InteractionKind::Call,
            TicketSource::Whatsapp => InteractionKind::Whatsapp,
            TicketSource::Sms => InteractionKind::Sms,
            TicketSource::Web | TicketSource::Api => InteractionKind::Note,
        };
        let interaction = Interaction {
            id: InteractionId::from_uuid(crate::new_uuid()),
            contact_id: contact.id,
            data: InteractionData {
                kind,
                occurred_at: received,
                staff_id: caller.user_id(),
                direction: Some(Direction::Inbound),
                duration_seconds: None,
                outcome: None,
                language: Some(language.clone()),
                subject: ShortText::parse(&format!("Ticket #{}: {}", ticket.number, ticket.subject)).ok(),
                text: Some(new.text.clone()),
                page: None,
            },
            created_at: now,
        };
        tx.insert_interaction(&interaction).await?;
        // The promise: only where there is an address to make it to.
        if let Some(to) = contact.data.emails.first().map(ToString::to_string)
            && matches!(ticket.source, TicketSource::Email | TicketSource::Web | TicketSource::Api)
        {
            let language = letter_language(&ticket.language);
            // A branch with no working hours at all has no deadline to promise (a
            // misconfiguration, but the customer still hears from us).
            let promise = match ticket.first_response_due {
                Some(due) => written_instant(due, calendar.zone(), language),
                None => match language {
                    LetterLanguage::Hindi => "जल्द से जल्द",
                    LetterLanguage::Tamil => "விரைவில்",
                    LetterLanguage::Gujarati => "વહેલી તકે",
                    LetterLanguage::English => "the earliest we can",
                }
                .to_owned(),
            };
            let thread = Thread {
                in_reply_to: mail_id.map(str::to_owned),
                references: mail_id.map(str::to_owned).into_iter().collect(),
            };
            let queued = self
                .queue_desk_mail(
                    &mut tx,
                    &letters,
                    &settings,
                    &ticket,
                    contact,
                    &to,
                    ACKNOWLEDGEMENT_TEMPLATE,
                    DeskExtras { promise: Some(&promise), ..Default::default() },
                    thread,
                    now,
                )
                .await?;
            let ack = TicketEntry {
                mail_id: Some(queued.mail_id),
                message_id: Some(queued.message_id),
                ..new_entry(ticket.id, TicketEntryKind::Acknowledgement, None, queued.body, now)
            };
            tx.insert_ticket_entry(&ack).await?;
        }
        let audit = self.audit_entry(
            caller,
            action::CREATE,
            Some(("ticket", ticket.id.to_string())),
            Some(json!({"number": ticket.number, "source": ticket.source.as_str(), "assignee": ticket.assignee_id.map(|id| id.to_string())})),
        );
        tx.append_audit(&[audit]).await?;
        tx.commit().await?;
        Ok(ticket)
    }

    /// The customer wrote again on a ticket: their message joins the conversation, a
    /// waiting ticket stops waiting, a resolved one opens again, and a next response
    /// falls due if they had been answered.
    async fn customer_wrote(
        &self,
        ticket_id: TicketId,
        text: &str,
        mail_id: Option<&str>,
        received: Timestamp,
    ) -> AppResult<Ticket> {
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let mut ticket =
            tx.ticket_for_update(&sambandh_domain::Scope::Everything, ticket_id).await?.ok_or(AppError::NotFound)?;
        let (calendar, policy) = self.rules_of(&ticket).await?;
        let entry = TicketEntry {
            mail_id: mail_id.map(str::to_owned),
            ..new_entry(ticket_id, TicketEntryKind::Inbound, None, text.to_owned(), received)
        };
        if !tx.insert_ticket_entry(&entry).await? {
            tx.rollback().await?;
            return Ok(ticket);
        }
        unpause(&mut ticket, &calendar, now);
        if matches!(ticket.status, TicketStatus::Resolved | TicketStatus::Closed | TicketStatus::Pending) {
            ticket.status = TicketStatus::Open;
            ticket.resolved_at = None;
            ticket.resolution_work = None;
        }
        if ticket.first_response_at.is_some() && ticket.next_response_due.is_none() {
            ticket.next_response_due =
                sambandh_domain::due(&calendar, received, &policy.next_response, SignedDuration::ZERO);
        }
        ticket.customer_at = received;
        ticket.updated_at = now;
        schedule(&mut ticket, &policy, &calendar);
        let ticket = tx.update_ticket(&ticket).await?;
        tx.commit().await?;
        Ok(ticket)
    }

    /// The calendar and the policy a ticket's deadlines follow.
    async fn rules_of(&self, ticket: &Ticket) -> AppResult<(std::sync::Arc<BusinessCalendar>, SlaPolicy)> {
        let branch_id = ticket.branch_id.ok_or_else(|| anyhow::anyhow!("ticket {} has no branch", ticket.number))?;
        let calendar = self.business_calendar(branch_id).await?;
        let policies = self.sla_policies().await?;
        let policy = match policies.iter().find(|p| Some(&p.id) == ticket.policy_id.as_ref()) {
            Some(policy) => policy.clone(),
            // The policy was removed since: whichever applies now.
            None => crate::business_hours::choose_policy(&policies, ticket.source, ticket.priority, ticket.tier)?,
        };
        Ok((calendar, policy.data))
    }

    /// Staff answer the customer: the reply goes out by e-mail in the customer's thread
    /// (signed by the member of staff), counts as the first or next response, and may
    /// change the ticket's status in the same step (`pending` to wait for the
    /// customer, `resolved`).
    pub async fn reply_to_ticket(
        &self,
        caller: &Caller,
        id: TicketId,
        text: &str,
        status: Option<TicketStatus>,
    ) -> AppResult<TicketDetail> {
        caller.require(Action::Write)?;
        let text = LongText::parse(text.trim()).map_err(|err| ValidationErrors::single("text", err.0))?;
        let settings = self.greeting_settings().await?;
        let letters = Letters::new(&self.store.message_templates().await?)?;
        let sender = self.sender_name(caller, &settings).await?;
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let mut ticket = tx.ticket_for_update(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        let contact =
            tx.contact(&sambandh_domain::Scope::Everything, ticket.contact_id).await?.ok_or(AppError::NotFound)?;
        let (calendar, policy) = self.rules_of(&ticket).await?;
        let entries = self.store.ticket_entries(id).await?;
        let mut entry = new_entry(id, TicketEntryKind::Reply, caller.user_id(), text.to_string(), now);
        if let Some(to) = contact.data.emails.first().map(ToString::to_string) {
            let thread = Thread::of(&entries);
            let queued = self
                .queue_desk_mail(
                    &mut tx,
                    &letters,
                    &settings,
                    &ticket,
                    &contact,
                    &to,
                    REPLY_TEMPLATE,
                    DeskExtras { text: Some(text.as_ref()), sender: Some(&sender), ..Default::default() },
                    thread,
                    now,
                )
                .await?;
            entry.mail_id = Some(queued.mail_id);
            entry.message_id = Some(queued.message_id);
        }
        tx.insert_ticket_entry(&entry).await?;
        if ticket.first_response_at.is_none() {
            ticket.first_response_at = Some(now);
            ticket.first_response_work = Some(working_time(&calendar, &ticket, now));
        }
        ticket.next_response_due = None;
        if ticket.status == TicketStatus::New {
            ticket.status = TicketStatus::Open;
        }
        if ticket.assignee_id.is_none() {
            ticket.assignee_id = caller.user_id();
        }
        let status = status.unwrap_or(ticket.status);
        self.apply_status(&mut tx, &mut ticket, &contact, status, &calendar, &letters, &settings, now).await?;
        ticket.updated_at = now;
        schedule(&mut ticket, &policy, &calendar);
        let ticket = tx.update_ticket(&ticket).await?;
        let audit = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("ticket", id.to_string())),
            Some(json!({"reply": entry.id.to_string(), "status": ticket.status.as_str()})),
        );
        tx.append_audit(&[audit]).await?;
        tx.commit().await?;
        let entries = self.store.ticket_entries(id).await?;
        Ok(TicketDetail { ticket, entries, zone: calendar.zone().clone() })
    }

    /// A note only staff see.
    pub async fn add_ticket_note(&self, caller: &Caller, id: TicketId, text: &str) -> AppResult<TicketEntry> {
        caller.require(Action::Write)?;
        let text = LongText::parse(text.trim()).map_err(|err| ValidationErrors::single("text", err.0))?;
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let mut ticket = tx.ticket_for_update(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        let entry = new_entry(id, TicketEntryKind::Note, caller.user_id(), text.to_string(), now);
        tx.insert_ticket_entry(&entry).await?;
        ticket.updated_at = now;
        tx.update_ticket(&ticket).await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Changes a ticket's status, priority, assignee or tags. With `expected_version`,
    /// a ticket changed since answers a version mismatch and is left as it is.
    pub async fn update_ticket(
        &self,
        caller: &Caller,
        id: TicketId,
        change: &TicketChange,
        expected_version: Option<i64>,
    ) -> AppResult<Ticket> {
        caller.require(Action::Write)?;
        let settings = self.greeting_settings().await?;
        let letters = Letters::new(&self.store.message_templates().await?)?;
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let mut ticket = tx.ticket_for_update(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        if let Some(expected) = expected_version
            && expected != ticket.version
        {
            return Err(AppError::VersionMismatch { expected, current: ticket.version });
        }
        let contact =
            tx.contact(&sambandh_domain::Scope::Everything, ticket.contact_id).await?.ok_or(AppError::NotFound)?;
        if let Some(Some(assignee)) = change.assignee_id {
            let user = self.store.user(assignee).await?;
            let Some(user) = user else {
                return Err(ValidationErrors::single("assignee", "is not a member of staff").into());
            };
            if user.data.role == Role::Viewer {
                return Err(ValidationErrors::single("assignee", "is a viewer, who cannot answer tickets").into());
            }
        }
        let tags = match &change.tags {
            Some(tags) => {
                let mut errors = ValidationErrors::default();
                let parsed: Vec<String> = tags
                    .iter()
                    .filter_map(|tag| errors.check_opt("tags", Some(tag.as_str()), sambandh_domain::Tag::parse))
                    .map(|tag| tag.to_string())
                    .collect();
                errors.into_result()?;
                Some(parsed)
            }
            None => None,
        };
        let (calendar, policy) = self.rules_of(&ticket).await?;
        let before = json!({"status": ticket.status.as_str(), "priority": ticket.priority.as_str(), "assignee": ticket.assignee_id.map(|id| id.to_string()), "tags": ticket.tags});
        if let Some(priority) = change.priority {
            ticket.priority = priority;
        }
        if let Some(assignee) = change.assignee_id {
            ticket.assignee_id = assignee;
        }
        if let Some(tags) = tags {
            ticket.tags = tags;
        }
        if let Some(status) = change.status {
            self.apply_status(&mut tx, &mut ticket, &contact, status, &calendar, &letters, &settings, now).await?;
        }
        ticket.updated_at = now;
        schedule(&mut ticket, &policy, &calendar);
        let ticket = tx.update_ticket(&ticket).await?;
        let after = json!({"status": ticket.status.as_str(), "priority": ticket.priority.as_str(), "assignee": ticket.assignee_id.map(|id| id.to_string()), "tags": ticket.tags});
        let audit = self.audit_entry(
            caller,
            action::UPDATE,
            Some(("ticket", id.to_string())),
            Some(json!({"before": before, "after": after})),
        );
        tx.append_audit(&[audit]).await?;
        tx.commit().await?;
        Ok(ticket)
    }

    /// Moves a ticket to `status`, keeping its clocks right: waiting on the customer
    /// pauses them, leaving the wait adds the paused working time, resolving records
    /// the resolution time and sends the survey.
    #[expect(clippy::too_many_arguments, reason = "one step of two operations, sharing their transaction")]
    async fn apply_status(
        &self,
        tx: &mut Tx,
        ticket: &mut Ticket,
        contact: &Contact,
        status: TicketStatus,
        calendar: &BusinessCalendar,
        letters: &Letters,
        settings: &crate::greetings::GreetingSettings,
        now: Timestamp,
    ) -> AppResult<()> {
        if status == ticket.status {
            return Ok(());
        }
        if ticket.status == TicketStatus::Pending {
            unpause(ticket, calendar, now);
        }
        match status {
            TicketStatus::Pending => ticket.paused_since = Some(now),
            TicketStatus::Resolved | TicketStatus::Closed => {
                if ticket.resolved_at.is_none() {
                    ticket.resolved_at = Some(now);
                    ticket.resolution_work = Some(working_time(calendar, ticket, now));
                    ticket.next_response_due = None;
                }
                let first_resolution = ticket.csat_hash.is_none() && ticket.csat_score.is_none();
                if status == TicketStatus::Resolved
                    && first_resolution
                    && let Some(to) = contact.data.emails.first().map(ToString::to_string)
                {
                    let token = crate::auth::random_secret();
                    let url = format!("{}/survey/{token}", settings.public_url.trim_end_matches('/'));
                    ticket.csat_hash = Some(crate::auth::hash_secret(&token));
                    let entries = self.store.ticket_entries(ticket.id).await?;
                    let queued = self
                        .queue_desk_mail(
                            tx,
                            letters,
                            settings,
                            ticket,
                            contact,
                            &to,
                            SURVEY_TEMPLATE,
                            DeskExtras { survey_url: Some(&url), ..Default::default() },
                            Thread::of(&entries),
                            now,
                        )
                        .await?;
                    // The survey's link is a secret: the stored copy leaves it out.
                    let body = queued.body.replace(&url, "[survey link]");
                    let entry = TicketEntry {
                        mail_id: Some(queued.mail_id),
                        message_id: Some(queued.message_id),
                        ..new_entry(ticket.id, TicketEntryKind::Acknowledgement, None, body, now)
                    };
                    tx.insert_ticket_entry(&entry).await?;
                }
            }
            TicketStatus::New | TicketStatus::Open => {
                ticket.resolved_at = None;
                ticket.resolution_work = None;
            }
        }
        ticket.status = status;
        Ok(())
    }

    async fn sender_name(&self, caller: &Caller, settings: &crate::greetings::GreetingSettings) -> AppResult<String> {
        Ok(match caller.user_id() {
            Some(id) => {
                self.store.user(id).await?.map_or_else(|| settings.organisation.clone(), |u| u.data.name.to_string())
            }
            None => settings.organisation.clone(),
        })
    }

    /// Renders one of the desk's templates for the ticket's contact and queues it as a
    /// service message (never capped: it answers the customer's own request).
    #[expect(clippy::too_many_arguments, reason = "what a message needs, in one place")]
    async fn queue_desk_mail(
        &self,
        tx: &mut Tx,
        letters: &Letters,
        settings: &crate::greetings::GreetingSettings,
        ticket: &Ticket,
        contact: &Contact,
        to: &str,
        key: &str,
        extras: DeskExtras<'_>,
        thread: Thread,
        now: Timestamp,
    ) -> AppResult<Queued> {
        let language = letter_language(&ticket.language);
        let template_language = letters
            .language_for(key, &ticket.language)
            .ok_or_else(|| anyhow::anyhow!("the template {key} has no version in English"))?;
        let names = PersonNames::from(&contact.data);
        let salutation = salutation(&names, LetterLanguage::of(&template_language).unwrap_or(language));
        let context = DeskContext {
            salutation: &salutation,
            name: contact.data.given_name.as_ref(),
            organisation: &settings.organisation,
            number: ticket.number,
            subject: &ticket.subject,
            promise: extras.promise,
            text: extras.text,
            sender: extras.sender.unwrap_or(&settings.organisation),
            survey_url: extras.survey_url,
        };
        let (subject, body) = letters.render(key, &template_language, &context)?;
        let subject = if key == REPLY_TEMPLATE { reply_subject(&subject, ticket.number) } else { subject };
        let id = MessageId::from_uuid(crate::new_uuid());
        let message = OutboundMessage {
            id,
            contact_id: contact.id,
            branch_id: ticket.branch_id,
            owner_id: ticket.assignee_id,
            channel: Channel::Email,
            purpose: Purpose::Service,
            recipient: to.to_owned(),
            from_name: Some(match extras.sender {
                Some(sender) => format!("{sender} ({})", settings.organisation),
                None => settings.organisation.clone(),
            }),
            reply_to: None,
            subject,
            body: body.clone(),
            not_before: now,
            status: MessageStatus::Pending,
            attempts: 0,
            last_error: None,
            sent_at: None,
            unsubscribe_token: None,
            unsubscribe_hash: None,
            idempotency_key: format!("ticket:{}:{id}", ticket.id),
            created_at: now,
            in_reply_to: thread.in_reply_to,
            references: thread.references,
            language: Some(ticket.language.clone()),
            // Staff write replies; the acknowledgement and the survey write themselves.
            auto_reply: key != REPLY_TEMPLATE,
        };
        tx.insert_message(&message).await?;
        Ok(Queued { message_id: id, mail_id: mail_id(id, &settings.mail_from), body })
    }

    /// A ticket and its conversation, for a caller who may see it.
    pub async fn ticket(&self, caller: &Caller, id: TicketId) -> AppResult<TicketDetail> {
        caller.require(Action::Read)?;
        let ticket = self.store.ticket(&caller.scope(), id).await?.ok_or(AppError::NotFound)?;
        let entries = self.store.ticket_entries(id).await?;
        let zone = match ticket.branch_id {
            Some(branch_id) => self.business_calendar(branch_id).await?.zone().clone(),
            None => TimeZone::get("Asia/Kolkata").unwrap_or(TimeZone::UTC),
        };
        Ok(TicketDetail { ticket, entries, zone })
    }

    /// Tickets in the caller's scope: the queue, or any other list.
    pub async fn tickets(&self, caller: &Caller, filter: &TicketFilter, page: &PageRequest) -> AppResult<Page<Ticket>> {
        caller.require(Action::Read)?;
        Ok(self.store.tickets(&caller.scope(), filter, page).await?)
    }

    /// Reminds assignees of deadlines within [`REMINDER_LEAD`] and escalates to the
    /// branch manager what is past due, each once per deadline, as tasks.
    pub async fn remind_and_escalate(&self, now: Timestamp) -> AppResult<ReminderReport> {
        let mut report = ReminderReport::default();
        let users = self.store.users().await?;
        let manager_of = |branch_id: Option<BranchId>| branch_manager(&users, branch_id);
        for escalation in [false, true] {
            let until = if escalation { now } else { now.checked_add(REMINDER_LEAD).unwrap_or(now) };
            for ticket in self.store.tickets_due_by(until, escalation, 500).await? {
                let Some(due) = ticket.due_at else { continue };
                let (assignee, title) = if escalation {
                    (
                        manager_of(ticket.branch_id),
                        format!("Ticket #{} is past its promised time: {}", ticket.number, ticket.subject),
                    )
                } else {
                    (
                        ticket.assignee_id.or_else(|| manager_of(ticket.branch_id)),
                        format!("Answer ticket #{} before its promised time: {}", ticket.number, ticket.subject),
                    )
                };
                let mut tx = self.store.begin().await?;
                let Some(mut current) = tx.ticket_for_update(&sambandh_domain::Scope::Everything, ticket.id).await?
                else {
                    continue;
                };
                if current.due_at != Some(due) {
                    continue;
                }
                if let Some(assignee_id) = assignee {
                    let rule = if escalation { "ticket_escalation" } else { "ticket_reminder" };
                    let task = follow_up(&title, due, assignee_id, &ticket, rule, None, now)?;
                    tx.insert_tasks(&[task]).await?;
                }
                if escalation {
                    current.escalated_due = Some(due);
                    report.escalated += 1;
                } else {
                    current.reminded_due = Some(due);
                    report.reminded += 1;
                }
                tx.update_ticket(&current).await?;
                tx.commit().await?;
            }
        }
        Ok(report)
    }

    /// First response and resolution times (in working time) and SLA attainment of the
    /// tickets that arrived in `[from, until)`, by branch, policy or agent.
    pub async fn service_measures(
        &self,
        caller: &Caller,
        group: MeasureGroup,
        from: Timestamp,
        until: Timestamp,
    ) -> AppResult<Vec<MeasureRow>> {
        caller.require(Action::Read)?;
        if until <= from {
            return Err(ValidationErrors::single("until", "must be after from").into());
        }
        Ok(self.store.service_measures(&caller.scope(), group, from, until, crate::now()).await?)
    }

    /// The survey behind a link, for its page.
    pub async fn survey(&self, token: &str) -> AppResult<Survey> {
        let ticket =
            self.store.ticket_by_csat_hash(&crate::auth::hash_secret(token)).await?.ok_or(AppError::NotFound)?;
        Ok(Survey {
            number: ticket.number,
            subject: ticket.subject,
            language: ticket.language,
            score: ticket.csat_score,
        })
    }

    /// Records a customer's answer (1 to 5, and what they wrote): on the ticket, on the
    /// contact's timeline, and, for a low score, as a task for the branch manager to
    /// call them. Answering again changes the score.
    pub async fn answer_survey(&self, token: &str, score: u8, comment: Option<&str>) -> AppResult<Survey> {
        if !(1..=5).contains(&score) {
            return Err(ValidationErrors::single("score", "must be from 1 to 5").into());
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let comment = match comment {
            Some(comment) => Some(LongText::parse(comment).map_err(|err| ValidationErrors::single("comment", err.0))?),
            None => None,
        };
        let users = self.store.users().await?;
        let now = crate::now();
        let mut tx = self.store.begin().await?;
        let mut ticket = tx.ticket_by_csat_hash(&crate::auth::hash_secret(token)).await?.ok_or(AppError::NotFound)?;
        let first_answer = ticket.csat_score.is_none();
        ticket.csat_score = Some(score);
        ticket.csat_comment = comment.as_ref().map(ToString::to_string);
        ticket.csat_at = Some(now);
        let ticket = tx.update_ticket(&ticket).await?;
        let text = match &comment {
            Some(comment) => format!("{score}/5: {comment}"),
            None => format!("{score}/5"),
        };
        let interaction = Interaction {
            id: InteractionId::from_uuid(crate::new_uuid()),
            contact_id: ticket.contact_id,
            data: InteractionData {
                kind: InteractionKind::Note,
                occurred_at: now,
                staff_id: None,
                direction: Some(Direction::Inbound),
                duration_seconds: None,
                outcome: None,
                language: LanguageTag::parse(&ticket.language).ok(),
                subject: ShortText::parse(&format!("Satisfaction with ticket #{}", ticket.number)).ok(),
                text: LongText::parse(&text).ok(),
                page: None,
            },
            created_at: now,
        };
        tx.insert_interaction(&interaction).await?;
        if score <= LOW_SCORE
            && first_answer
            && let Some(manager) = branch_manager(&users, ticket.branch_id)
        {
            let title = format!("Call the customer of ticket #{}: satisfaction {score}/5", ticket.number);
            let due = now.checked_add(SignedDuration::from_hours(24)).unwrap_or(now);
            let task = follow_up(&title, due, manager, &ticket, "low_satisfaction", comment.clone(), now)?;
            tx.insert_tasks(&[task]).await?;
        }
        tx.commit().await?;
        Ok(Survey {
            number: ticket.number,
            subject: ticket.subject,
            language: ticket.language,
            score: ticket.csat_score,
        })
    }

    /// Open tickets of a member of staff, or unassigned ones: the queue filters.
    pub fn queue_filter(branch_id: Option<BranchId>, assignee: Option<AssigneeFilter>) -> TicketFilter {
        TicketFilter {
            branch_id,
            statuses: vec![TicketStatus::New, TicketStatus::Open],
            assignee,
            contact_id: None,
            by_due: true,
        }
    }
}

/// The branch's manager, else an owner or admin: who escalations and low scores go to.
fn branch_manager(users: &[sambandh_domain::User], branch_id: Option<BranchId>) -> Option<UserId> {
    users
        .iter()
        .find(|u| u.data.role == Role::Manager && u.data.branch_id == branch_id)
        .or_else(|| users.iter().find(|u| matches!(u.data.role, Role::Owner | Role::Admin)))
        .map(|u| u.id)
}

/// A task about a ticket's customer, made by the desk (`rule` says which part).
fn follow_up(
    title: &str,
    due_at: Timestamp,
    assignee_id: UserId,
    ticket: &Ticket,
    rule: &str,
    notes: Option<LongText>,
    now: Timestamp,
) -> AppResult<Task> {
    let title: String = title.chars().take(200).collect();
    Ok(Task {
        id: TaskId::from_uuid(crate::new_uuid()),
        data: TaskData {
            title: ShortText::parse(&title).map_err(|err| anyhow::anyhow!("task title: {}", err.0))?,
            due_at,
            assignee_id,
            contact_id: Some(ticket.contact_id),
            deal_id: None,
            notes,
        },
        branch_id: ticket.branch_id,
        done_at: None,
        rule_id: Some(rule.to_owned()),
        created_at: now,
    })
}

/// A new entry of a ticket's conversation.
fn new_entry(
    ticket_id: TicketId,
    kind: TicketEntryKind,
    author_id: Option<UserId>,
    body: String,
    at: Timestamp,
) -> TicketEntry {
    TicketEntry {
        id: TicketEntryId::from_uuid(crate::new_uuid()),
        ticket_id,
        kind,
        author_id,
        body,
        mail_id: None,
        message_id: None,
        created_at: at,
    }
}

/// Working time from a ticket's arrival to `at`, less the time it waited on the
/// customer.
fn working_time(calendar: &BusinessCalendar, ticket: &Ticket, at: Timestamp) -> SignedDuration {
    let waited = match ticket.paused_since {
        Some(since) => ticket.paused_work.saturating_add(calendar.working_between(since, at)),
        None => ticket.paused_work,
    };
    let total = calendar.working_between(ticket.created_at, at);
    if total > waited { total - waited } else { SignedDuration::ZERO }
}

fn letter_language(tag: &str) -> LetterLanguage {
    LetterLanguage::of(tag).unwrap_or(LetterLanguage::English)
}

#[derive(Debug, Default)]
struct DeskExtras<'a> {
    promise: Option<&'a str>,
    text: Option<&'a str>,
    sender: Option<&'a str>,
    survey_url: Option<&'a str>,
}

/// The e-mail thread a message continues.
#[derive(Debug, Default)]
struct Thread {
    in_reply_to: Option<String>,
    references: Vec<String>,
}

impl Thread {
    /// The thread of a ticket's conversation: answering the customer's latest message,
    /// referring to the ten latest before it.
    fn of(entries: &[TicketEntry]) -> Self {
        let in_reply_to =
            entries.iter().rev().find(|e| e.kind == TicketEntryKind::Inbound).and_then(|e| e.mail_id.clone());
        let ids: Vec<String> = entries.iter().filter_map(|e| e.mail_id.clone()).collect();
        let references = ids[ids.len().saturating_sub(10)..].to_vec();
        Self { in_reply_to, references }
    }
}

struct Queued {
    message_id: MessageId,
    mail_id: String,
    body: String,
}
