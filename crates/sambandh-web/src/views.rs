//! The JSON shapes of the API, converted by hand from domain values (the domain has
//! no `Serialize`), and the request bodies, converted into the domain's typed input.

use std::collections::BTreeMap;

use sambandh_app::orders::{OrderInput, OrderLineInput};
use sambandh_app::privacy::PersonData;
use sambandh_domain::{
    Branch, BranchInput, CallScript, Company, CompanyInput, CompanyLink, Consent, ConsentInput, Contact, ContactInput,
    Deal, DealInput, FollowUpRule, Interaction, InteractionInput, Money, Need, NeedInput, Order, Pipeline, Product,
    ProductInput, ResolvedScript, Task, TaskInput, User, UserInput,
};
use sambandh_store::{ApiToken, AuditEntry, TimelineEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::api::desk::{MeasureView, TicketView, report_instant};
pub use crate::api::greetings::{GreetingView, OccasionChoiceView};

fn text(value: Option<&impl ToString>) -> Option<String> {
    value.map(ToString::to_string)
}

/// A contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub id: String,
    pub external_id: Option<String>,
    #[schema(example = "Thiru")]
    pub honorific: Option<String>,
    #[schema(example = "கார்த்திக்")]
    pub given_name: String,
    pub family_name: Option<String>,
    /// Father's name or initial ("R." of "R. Karthik").
    pub father_name: Option<String>,
    pub preferred_name: Option<String>,
    #[schema(example = "R. Karthik")]
    pub name_latin: Option<String>,
    /// The name as written in the contact's own script.
    pub full_name: String,
    /// Full names in other scripts, by ISO 15924 code.
    pub other_names: BTreeMap<String, String>,
    pub gender: Option<String>,
    /// BCP 47.
    pub language: Option<String>,
    /// ISO 15924.
    pub script: Option<String>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// ISO 3166-2.
    pub region: Option<String>,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is not known.
    pub birthday: Option<String>,
    pub emails: Vec<String>,
    /// E.164.
    pub phones: Vec<String>,
    pub address_line: Option<String>,
    pub city: Option<String>,
    pub pin_code: Option<String>,
    pub branch_id: Option<String>,
    /// The member of staff who looks after the contact.
    pub owner_id: Option<String>,
    pub tags: Vec<String>,
    pub custom_fields: BTreeMap<String, String>,
    pub value_tier: Option<String>,
    pub source: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Incremented by each change; the `ETag`.
    pub version: i64,
    /// When the person's data was erased at their request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub erased_at: Option<String>,
    /// The day the contact's first deal was won (`YYYY-MM-DD`).
    pub first_deal_on: Option<String>,
}

impl From<&Contact> for ContactView {
    fn from(contact: &Contact) -> Self {
        let data = &contact.data;
        Self {
            id: contact.id.to_string(),
            external_id: text(data.external_id.as_ref()),
            honorific: data.honorific.map(|h| h.as_str().to_owned()),
            given_name: data.given_name.to_string(),
            family_name: text(data.family_name.as_ref()),
            father_name: text(data.father_name.as_ref()),
            preferred_name: text(data.preferred_name.as_ref()),
            name_latin: text(data.name_latin.as_ref()),
            full_name: data.full_name(),
            other_names: data.other_names.iter().map(|(s, n)| (s.to_string(), n.to_string())).collect(),
            gender: data.gender.map(|g| g.as_str().to_owned()),
            language: text(data.language.as_ref()),
            script: text(data.script.as_ref()),
            time_zone: text(data.time_zone.as_ref()),
            region: text(data.region.as_ref()),
            birthday: text(data.birthday.as_ref()),
            emails: data.emails.iter().map(ToString::to_string).collect(),
            phones: data.phones.iter().map(ToString::to_string).collect(),
            address_line: text(data.address_line.as_ref()),
            city: text(data.city.as_ref()),
            pin_code: text(data.pin_code.as_ref()),
            branch_id: text(data.branch_id.as_ref()),
            owner_id: text(data.owner_id.as_ref()),
            tags: data.tags.iter().map(ToString::to_string).collect(),
            custom_fields: data.custom_fields.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            value_tier: data.value_tier.map(|t| t.as_str().to_owned()),
            source: text(data.source.as_ref()),
            created_at: contact.created_at.to_string(),
            updated_at: contact.updated_at.to_string(),
            version: contact.version,
            erased_at: contact.erased_at.map(|at| at.to_string()),
            first_deal_on: text(contact.first_deal_on.as_ref()),
        }
    }
}

/// A contact to create. Only `given_name` is required. Values are normalised (NFC,
/// trimmed; phones to E.164; e-mail domains lower-cased).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    pub external_id: Option<String>,
    pub honorific: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub father_name: Option<String>,
    pub preferred_name: Option<String>,
    pub name_latin: Option<String>,
    #[serde(default)]
    pub other_names: BTreeMap<String, String>,
    pub gender: Option<String>,
    pub language: Option<String>,
    pub script: Option<String>,
    pub time_zone: Option<String>,
    pub region: Option<String>,
    /// `YYYY-MM-DD`, `--MM-DD` or `DD/MM/YYYY`.
    pub birthday: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    /// As people type them: "98400 12345", "+91-98400-12345", "098400 12345".
    #[serde(default)]
    pub phones: Vec<String>,
    pub address_line: Option<String>,
    pub city: Option<String>,
    pub pin_code: Option<String>,
    /// A branch id or name.
    pub branch: Option<String>,
    /// A member of staff: user id or e-mail.
    pub owner: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub custom_fields: BTreeMap<String, String>,
    pub value_tier: Option<String>,
    pub source: Option<String>,
}

impl From<ContactBody> for ContactInput {
    fn from(body: ContactBody) -> Self {
        Self {
            external_id: body.external_id,
            honorific: body.honorific,
            given_name: body.given_name,
            family_name: body.family_name,
            father_name: body.father_name,
            preferred_name: body.preferred_name,
            name_latin: body.name_latin,
            other_names: body.other_names.into_iter().collect(),
            gender: body.gender,
            language: body.language,
            script: body.script,
            time_zone: body.time_zone,
            region: body.region,
            birthday: body.birthday,
            emails: body.emails,
            phones: body.phones,
            address_line: body.address_line,
            city: body.city,
            pin_code: body.pin_code,
            branch: body.branch,
            owner: body.owner,
            tags: body.tags,
            custom_fields: body.custom_fields.into_iter().collect(),
            value_tier: body.value_tier,
            source: body.source,
        }
    }
}

/// A page of contacts; pass `next_cursor` as `cursor` for the next one.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPage {
    pub items: Vec<ContactView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub items: Vec<ContactView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyView {
    pub id: String,
    pub legal_name: String,
    pub other_names: BTreeMap<String, String>,
    pub gstin: Option<String>,
    pub industry: Option<String>,
    /// `YYYY-MM-DD`.
    pub founded_on: Option<String>,
    pub branch_id: Option<String>,
    /// The day the company's first deal was won (`YYYY-MM-DD`).
    pub first_deal_on: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl From<&Company> for CompanyView {
    fn from(company: &Company) -> Self {
        let data = &company.data;
        Self {
            id: company.id.to_string(),
            legal_name: data.legal_name.to_string(),
            other_names: data.other_names.iter().map(|(s, n)| (s.to_string(), n.to_string())).collect(),
            gstin: text(data.gstin.as_ref()),
            industry: text(data.industry.as_ref()),
            founded_on: data.founded_on.map(|d| d.to_string()),
            branch_id: text(data.branch_id.as_ref()),
            created_at: company.created_at.to_string(),
            updated_at: company.updated_at.to_string(),
            version: company.version,
            first_deal_on: text(company.first_deal_on.as_ref()),
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyBody {
    pub legal_name: Option<String>,
    #[serde(default)]
    pub other_names: BTreeMap<String, String>,
    /// 15 characters, check character included.
    pub gstin: Option<String>,
    pub industry: Option<String>,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`.
    pub founded_on: Option<String>,
    /// A branch id or name.
    pub branch: Option<String>,
}

impl From<CompanyBody> for CompanyInput {
    fn from(body: CompanyBody) -> Self {
        Self {
            legal_name: body.legal_name,
            other_names: body.other_names.into_iter().collect(),
            gstin: body.gstin,
            industry: body.industry,
            founded_on: body.founded_on,
            branch: body.branch,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyPage {
    pub items: Vec<CompanyView>,
    pub next_cursor: Option<String>,
}

/// A contact's place at a company.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub contact_id: String,
    pub company_id: String,
    pub role: Option<String>,
}

impl From<&CompanyLink> for LinkView {
    fn from(link: &CompanyLink) -> Self {
        Self {
            contact_id: link.contact_id.to_string(),
            company_id: link.company_id.to_string(),
            role: text(link.role.as_ref()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkList {
    pub items: Vec<LinkView>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkBody {
    pub role: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BranchView {
    pub id: String,
    pub name: String,
    pub city: String,
    pub region: String,
    pub time_zone: String,
    pub language: String,
    pub created_at: String,
}

impl From<&Branch> for BranchView {
    fn from(branch: &Branch) -> Self {
        Self {
            id: branch.id.to_string(),
            name: branch.data.name.to_string(),
            city: branch.data.city.to_string(),
            region: branch.data.region.to_string(),
            time_zone: branch.data.time_zone.to_string(),
            language: branch.data.language.to_string(),
            created_at: branch.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BranchList {
    pub items: Vec<BranchView>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BranchBody {
    pub name: Option<String>,
    pub city: Option<String>,
    /// ISO 3166-2, e.g. `IN-TN`.
    pub region: Option<String>,
    /// IANA, e.g. `Asia/Kolkata`.
    pub time_zone: Option<String>,
    /// BCP 47, e.g. `ta`.
    pub language: Option<String>,
}

impl From<BranchBody> for BranchInput {
    fn from(body: BranchBody) -> Self {
        Self {
            name: body.name,
            city: body.city,
            region: body.region,
            time_zone: body.time_zone,
            language: body.language,
        }
    }
}

/// What an import did. `rejections` lists every row that was not imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportView {
    pub imported: u64,
    pub created: u64,
    pub updated: u64,
    pub rejected: u64,
    pub rejections: Vec<RejectionView>,
    pub ignored_headers: Vec<String>,
    /// `imported N, rejected M`.
    pub summary: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectionView {
    /// The line of the file where the row starts; the header is line 1.
    pub row: u64,
    pub reason: String,
}

/// A member of staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    /// owner, admin, manager, agent or viewer.
    pub role: String,
    pub branch_id: Option<String>,
    /// BCP 47 tags of the languages they speak.
    pub languages: Vec<String>,
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(user: &User) -> Self {
        let data = &user.data;
        Self {
            id: user.id.to_string(),
            email: data.email.to_string(),
            name: data.name.to_string(),
            role: data.role.as_str().to_owned(),
            branch_id: text(data.branch_id.as_ref()),
            languages: data.languages.iter().map(ToString::to_string).collect(),
            created_at: user.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserView>,
}

/// A member of staff to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserBody {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    /// A branch id or name; required for managers and agents.
    pub branch: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    /// At least 12 characters; without one the account cannot sign in yet.
    pub password: Option<String>,
}

impl From<&UserBody> for UserInput {
    fn from(body: &UserBody) -> Self {
        Self {
            email: body.email.clone(),
            name: body.name.clone(),
            role: body.role.clone(),
            branch: body.branch.clone(),
            languages: body.languages.clone(),
        }
    }
}

/// A sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInBody {
    pub email: String,
    pub password: String,
}

/// The signed-in member of staff and, for a session, the token that changes must carry.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    /// Send as `X-CSRF-Token` with every change made with the session cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

/// An API token (its secret is shown once, when it is made).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: String,
    pub user_id: String,
    pub label: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<&ApiToken> for TokenView {
    fn from(token: &ApiToken) -> Self {
        Self {
            id: token.id.clone(),
            user_id: token.user_id.to_string(),
            label: token.label.clone(),
            created_at: token.created_at.to_string(),
            expires_at: text(token.expires_at.as_ref()),
            last_used_at: text(token.last_used_at.as_ref()),
            revoked_at: text(token.revoked_at.as_ref()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

/// A new token and its secret: keep the secret now, it is not shown again.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewTokenView {
    pub token: TokenView,
    /// Send as `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// A token to make.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    pub label: Option<String>,
    /// How long it lasts: `90d`, `12h`, `P1Y`…; without it, until revoked.
    pub expires: Option<String>,
    /// For whom, by e-mail: yourself by default; others only if you manage staff.
    pub user: Option<String>,
}

/// One audited event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: String,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor: String,
    /// session, token, cli or sign-in.
    pub via: String,
    pub address: Option<String>,
    pub action: String,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// For changes: `{"field": {"before": …, "after": …}}`; details for other events.
    #[schema(value_type = Object)]
    pub changes: Option<serde_json::Value>,
}

impl From<&AuditEntry> for AuditView {
    fn from(entry: &AuditEntry) -> Self {
        Self {
            id: entry.id.clone(),
            at: entry.at.to_string(),
            actor_id: text(entry.actor_id.as_ref()),
            actor: entry.actor.clone(),
            via: entry.via.clone(),
            address: entry.address.clone(),
            action: entry.action.clone(),
            record_type: entry.record_type.clone(),
            record_id: entry.record_id.clone(),
            changes: entry.changes.as_deref().and_then(|json| serde_json::from_str(json).ok()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditView>,
    pub next_cursor: Option<String>,
}

/// A consent event.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentView {
    /// service, marketing or greetings.
    pub purpose: String,
    /// email, sms, whatsapp or phone.
    pub channel: String,
    /// given or withdrawn.
    pub status: String,
    /// form, import, verbal, email, message or in_person.
    pub method: String,
    pub notice_language: Option<String>,
    pub note: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: String,
}

impl From<&Consent> for ConsentView {
    fn from(consent: &Consent) -> Self {
        let change = &consent.change;
        Self {
            purpose: change.purpose.as_str().to_owned(),
            channel: change.channel.as_str().to_owned(),
            status: change.status.as_str().to_owned(),
            method: change.method.as_str().to_owned(),
            notice_language: text(change.notice_language.as_ref()),
            note: text(change.note.as_ref()),
            recorded_by: text(consent.recorded_by.as_ref()),
            recorded_at: consent.recorded_at.to_string(),
        }
    }
}

/// A contact's consents: the current state per purpose and channel, and the history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentsView {
    /// The latest event of each purpose and channel that has one.
    pub current: Vec<ConsentView>,
    /// Every event, oldest first.
    pub history: Vec<ConsentView>,
}

impl ConsentsView {
    pub fn new(history: &[Consent]) -> Self {
        let mut latest: BTreeMap<(&str, &str), &Consent> = BTreeMap::new();
        for consent in history {
            latest.insert((consent.change.purpose.as_str(), consent.change.channel.as_str()), consent);
        }
        Self {
            current: latest.values().map(|consent| ConsentView::from(*consent)).collect(),
            history: history.iter().map(ConsentView::from).collect(),
        }
    }
}

/// A consent given or withdrawn.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentBody {
    pub purpose: Option<String>,
    pub channel: Option<String>,
    pub status: Option<String>,
    pub method: Option<String>,
    pub notice_language: Option<String>,
    pub note: Option<String>,
}

impl From<ConsentBody> for ConsentInput {
    fn from(body: ConsentBody) -> Self {
        Self {
            purpose: body.purpose,
            channel: body.channel,
            status: body.status,
            method: body.method,
            notice_language: body.notice_language,
            note: body.note,
        }
    }
}

/// Everything held about a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDataView {
    pub contact: ContactView,
    pub companies: Vec<LinkView>,
    pub consents: Vec<ConsentView>,
    /// Interactions and deals, newest first.
    pub timeline: Vec<TimelineItem>,
    pub needs: Vec<NeedView>,
    /// What they chose to be greeted for.
    pub occasions: Vec<OccasionChoiceView>,
    /// Messages written to them, newest first.
    pub messages: Vec<MessageView>,
    /// Their tickets, each with its conversation.
    pub tickets: Vec<crate::api::desk::TicketDetailView>,
}

/// A message to one person, as the outbox keeps it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    pub channel: String,
    /// service, greetings or marketing.
    pub purpose: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// pending, sending, sent, failed or withheld.
    pub status: String,
    pub attempts: u32,
    pub sent_at: Option<String>,
    pub created_at: String,
}

impl From<&sambandh_store::OutboundMessage> for MessageView {
    fn from(message: &sambandh_store::OutboundMessage) -> Self {
        Self {
            id: message.id.to_string(),
            channel: message.channel.to_string(),
            purpose: message.purpose.to_string(),
            recipient: message.recipient.clone(),
            subject: message.subject.clone(),
            body: message.body.clone(),
            status: message.status.to_string(),
            attempts: message.attempts,
            sent_at: message.sent_at.map(|at| at.to_string()),
            created_at: message.created_at.to_string(),
        }
    }
}

impl PersonDataView {
    pub fn new(data: &PersonData, pipeline: &Pipeline) -> Self {
        Self {
            contact: ContactView::from(&data.contact),
            companies: data.companies.iter().map(LinkView::from).collect(),
            consents: data.consents.iter().map(ConsentView::from).collect(),
            timeline: data.timeline.iter().map(|entry| TimelineItem::new(entry, pipeline)).collect(),
            needs: data.needs.iter().map(NeedView::from).collect(),
            occasions: data.occasions.iter().map(OccasionChoiceView::from).collect(),
            messages: data.messages.iter().map(MessageView::from).collect(),
            tickets: data
                .tickets
                .iter()
                .map(|(ticket, entries)| crate::api::desk::TicketDetailView::of(ticket, entries))
                .collect(),
        }
    }
}

/// An interaction with a contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct InteractionView {
    pub id: String,
    pub contact_id: String,
    /// call, email, meeting, visit, note, sms, whatsapp, web_visit or purchase.
    pub kind: String,
    pub occurred_at: String,
    /// The member of staff.
    pub staff_id: Option<String>,
    /// in or out.
    pub direction: Option<String>,
    pub duration_seconds: Option<u32>,
    /// answered, no_answer, busy, voicemail, call_back, wrong_number.
    pub outcome: Option<String>,
    pub language: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    /// For a web visit: the page or product viewed.
    pub page: Option<String>,
    pub created_at: String,
    /// When a call is logged: the script to follow, in the caller's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_script: Option<ResolvedScriptView>,
}

impl From<&Interaction> for InteractionView {
    fn from(interaction: &Interaction) -> Self {
        let data = &interaction.data;
        Self {
            id: interaction.id.to_string(),
            contact_id: interaction.contact_id.to_string(),
            kind: data.kind.as_str().to_owned(),
            occurred_at: data.occurred_at.to_string(),
            staff_id: text(data.staff_id.as_ref()),
            direction: data.direction.map(|d| d.as_str().to_owned()),
            duration_seconds: data.duration_seconds,
            outcome: data.outcome.map(|o| o.as_str().to_owned()),
            language: text(data.language.as_ref()),
            subject: text(data.subject.as_ref()),
            text: text(data.text.as_ref()),
            page: text(data.page.as_ref()),
            created_at: interaction.created_at.to_string(),
            call_script: None,
        }
    }
}

/// One entry of a contact's timeline; `type` says which kind: `interaction` or `deal`
/// (orders, tickets and messages will join).
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimelineItem {
    Interaction(InteractionView),
    Deal(DealView),
    Order(OrderView),
}

impl TimelineItem {
    pub fn new(entry: &TimelineEntry, pipeline: &Pipeline) -> Self {
        match entry {
            TimelineEntry::Interaction(interaction) => Self::Interaction(InteractionView::from(interaction)),
            TimelineEntry::Deal(deal) => Self::Deal(DealView::new(deal, pipeline)),
            TimelineEntry::Order(order) => Self::Order(OrderView::from(order)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelinePage {
    pub items: Vec<TimelineItem>,
    pub next_cursor: Option<String>,
}

/// An interaction to log.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InteractionBody {
    /// call, email, meeting, visit, note, sms, whatsapp, web_visit or purchase.
    pub kind: Option<String>,
    /// RFC 3339; now when not given.
    pub occurred_at: Option<String>,
    /// A member of staff by e-mail or id; the caller when not given.
    pub staff: Option<String>,
    /// in or out (calls and messages).
    pub direction: Option<String>,
    /// Calls only.
    pub duration_seconds: Option<u32>,
    /// Calls only: answered, no_answer, busy, voicemail, call_back, wrong_number.
    pub outcome: Option<String>,
    pub language: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    /// Web visits: the page or product viewed.
    pub page: Option<String>,
}

impl From<InteractionBody> for InteractionInput {
    fn from(body: InteractionBody) -> Self {
        Self {
            kind: body.kind,
            occurred_at: body.occurred_at,
            staff: body.staff,
            direction: body.direction,
            duration_seconds: body.duration_seconds.map(|seconds| seconds.to_string()),
            outcome: body.outcome,
            language: body.language,
            subject: body.subject,
            text: body.text,
            page: body.page,
        }
    }
}

/// A need or interest of a contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedView {
    pub id: String,
    pub contact_id: String,
    pub text: String,
    /// The interaction it was learnt from.
    pub learnt_from: Option<String>,
    /// YYYY-MM-DD.
    pub noted_on: String,
    pub recorded_by: Option<String>,
    pub created_at: String,
}

impl From<&Need> for NeedView {
    fn from(need: &Need) -> Self {
        Self {
            id: need.id.to_string(),
            contact_id: need.contact_id.to_string(),
            text: need.data.text.to_string(),
            learnt_from: text(need.data.learnt_from.as_ref()),
            noted_on: need.data.noted_on.to_string(),
            recorded_by: text(need.recorded_by.as_ref()),
            created_at: need.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeedList {
    pub items: Vec<NeedView>,
}

/// A need or interest to note.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedBody {
    pub text: Option<String>,
    /// The id of the interaction it was learnt from.
    pub learnt_from: Option<String>,
    /// YYYY-MM-DD or DD/MM/YYYY; today (in the contact's time zone) when not given.
    pub noted_on: Option<String>,
}

impl From<NeedBody> for NeedInput {
    fn from(body: NeedBody) -> Self {
        Self { text: body.text, learnt_from: body.learnt_from, noted_on: body.noted_on }
    }
}

/// An amount of money.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyView {
    /// In the currency's minor units (paise for INR).
    pub minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// With Indian digit grouping: 12,34,567.00.
    pub formatted: String,
}

impl From<Money> for MoneyView {
    fn from(money: Money) -> Self {
        Self { minor: money.minor, currency: money.currency.to_string(), formatted: money.indian_format() }
    }
}

/// A lead or deal.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealView {
    pub id: String,
    pub title: String,
    pub contact_id: Option<String>,
    pub company_id: Option<String>,
    /// A stage key of the pipeline.
    pub stage: String,
    /// open, won or lost.
    pub outcome: Option<String>,
    pub amount: Option<MoneyView>,
    pub expected_close: Option<String>,
    pub owner_id: Option<String>,
    pub branch_id: Option<String>,
    pub lost_reason: Option<String>,
    pub won_on: Option<String>,
    pub closed_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl DealView {
    pub fn new(deal: &Deal, pipeline: &Pipeline) -> Self {
        let data = &deal.data;
        Self {
            id: deal.id.to_string(),
            title: data.title.to_string(),
            contact_id: text(data.contact_id.as_ref()),
            company_id: text(data.company_id.as_ref()),
            stage: data.stage.clone(),
            outcome: pipeline.stage(&data.stage).map(|stage| stage.outcome.as_str().to_owned()),
            amount: data.amount.map(MoneyView::from),
            expected_close: text(data.expected_close.as_ref()),
            owner_id: text(data.owner_id.as_ref()),
            branch_id: text(data.branch_id.as_ref()),
            lost_reason: text(data.lost_reason.as_ref()),
            won_on: text(deal.won_on.as_ref()),
            closed_at: text(deal.closed_at.as_ref()),
            created_at: deal.created_at.to_string(),
            updated_at: deal.updated_at.to_string(),
            version: deal.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DealPage {
    pub items: Vec<DealView>,
    pub next_cursor: Option<String>,
}

/// A deal to create. `title` and a `contact` or `company` are required.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealBody {
    pub title: Option<String>,
    /// A contact id.
    pub contact: Option<String>,
    /// A company id.
    pub company: Option<String>,
    /// A stage key; the pipeline's first when not given.
    pub stage: Option<String>,
    /// As text, e.g. "12,34,567.00".
    pub amount: Option<String>,
    /// ISO 4217; INR by default.
    pub currency: Option<String>,
    /// YYYY-MM-DD or DD/MM/YYYY.
    pub expected_close: Option<String>,
    /// A member of staff by e-mail or id; the caller by default.
    pub owner: Option<String>,
    /// A branch by name or id; the contact's by default.
    pub branch: Option<String>,
    /// Required when the stage is a lost one.
    pub lost_reason: Option<String>,
}

impl From<DealBody> for DealInput {
    fn from(body: DealBody) -> Self {
        Self {
            title: body.title,
            contact: body.contact,
            company: body.company,
            stage: body.stage,
            amount: body.amount,
            currency: body.currency,
            expected_close: body.expected_close,
            owner: body.owner,
            branch: body.branch,
            lost_reason: body.lost_reason,
        }
    }
}

/// One stage of the pipeline.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StageView {
    pub key: String,
    pub name: String,
    /// open, won or lost.
    pub outcome: String,
}

/// The pipeline's stages, in order.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PipelineView {
    pub stages: Vec<StageView>,
}

impl From<&Pipeline> for PipelineView {
    fn from(pipeline: &Pipeline) -> Self {
        Self {
            stages: pipeline
                .stages()
                .iter()
                .map(|stage| StageView {
                    key: stage.key.clone(),
                    name: stage.name.to_string(),
                    outcome: stage.outcome.as_str().to_owned(),
                })
                .collect(),
        }
    }
}

/// A call script: the organisation's in a language, or a branch's additions.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallScriptView {
    /// Set for a branch's additions.
    pub branch_id: Option<String>,
    pub language: String,
    /// The organisation's only.
    pub greeting: Option<String>,
    pub text: String,
}

impl From<&CallScript> for CallScriptView {
    fn from(script: &CallScript) -> Self {
        Self {
            branch_id: text(script.branch_id.as_ref()),
            language: script.language.to_string(),
            greeting: text(script.greeting.as_ref()),
            text: script.text.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallScriptList {
    pub items: Vec<CallScriptView>,
}

/// A call script to set.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallScriptBody {
    /// Required for the organisation's script; not allowed in a branch's additions.
    pub greeting: Option<String>,
    pub text: Option<String>,
}

/// What an agent reads on a call.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolvedScriptView {
    pub language: String,
    pub greeting: String,
    pub text: String,
    /// The branch's additions, read after the organisation's script.
    pub branch_additions: Option<String>,
}

impl From<&ResolvedScript> for ResolvedScriptView {
    fn from(script: &ResolvedScript) -> Self {
        Self {
            language: script.language.to_string(),
            greeting: script.greeting.to_string(),
            text: script.text.to_string(),
            branch_additions: text(script.branch_additions.as_ref()),
        }
    }
}

/// A follow-up task.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: String,
    pub title: String,
    pub due_at: String,
    pub assignee_id: String,
    pub contact_id: Option<String>,
    pub deal_id: Option<String>,
    pub notes: Option<String>,
    pub branch_id: Option<String>,
    pub done_at: Option<String>,
    /// Open and past its due time.
    pub overdue: bool,
    /// The follow-up rule that made it.
    pub rule_id: Option<String>,
    pub created_at: String,
}

impl TaskView {
    pub fn new(task: &Task, now: jiff::Timestamp) -> Self {
        let data = &task.data;
        Self {
            id: task.id.to_string(),
            title: data.title.to_string(),
            due_at: data.due_at.to_string(),
            assignee_id: data.assignee_id.to_string(),
            contact_id: text(data.contact_id.as_ref()),
            deal_id: text(data.deal_id.as_ref()),
            notes: text(data.notes.as_ref()),
            branch_id: text(task.branch_id.as_ref()),
            done_at: text(task.done_at.as_ref()),
            overdue: task.is_overdue(now),
            rule_id: task.rule_id.clone(),
            created_at: task.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskView>,
    pub next_cursor: Option<String>,
}

/// A task to make.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    pub title: Option<String>,
    /// RFC 3339.
    pub due_at: Option<String>,
    /// A member of staff by e-mail or id; yourself by default.
    pub assignee: Option<String>,
    pub contact: Option<String>,
    pub deal: Option<String>,
    pub notes: Option<String>,
}

impl From<TaskBody> for TaskInput {
    fn from(body: TaskBody) -> Self {
        Self {
            title: body.title,
            due_at: body.due_at,
            assignee: body.assignee,
            contact: body.contact,
            deal: body.deal,
            notes: body.notes,
        }
    }
}

/// Done or open again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDoneBody {
    pub done: bool,
}

/// Overdue tasks of one member of staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueView {
    pub assignee_id: String,
    pub overdue: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueList {
    pub items: Vec<OverdueView>,
}

/// A rule that makes a task some days after an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpRuleView {
    pub id: String,
    /// deal_won or order_placed.
    pub trigger: String,
    pub delay_days: u16,
    pub title: String,
}

impl From<&FollowUpRule> for FollowUpRuleView {
    fn from(rule: &FollowUpRule) -> Self {
        Self {
            id: rule.id.clone(),
            trigger: rule.trigger.as_str().to_owned(),
            delay_days: rule.delay_days,
            title: rule.title.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpRuleList {
    pub items: Vec<FollowUpRuleView>,
}

/// A rule to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRuleBody {
    /// deal_won or order_placed.
    pub trigger: Option<String>,
    pub delay_days: Option<u16>,
    pub title: Option<String>,
}

/// A product of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub id: String,
    pub sku: String,
    /// Names by language (BCP 47).
    pub names: BTreeMap<String, String>,
    pub category: Option<String>,
    pub price: MoneyView,
    pub created_at: String,
}

impl From<&Product> for ProductView {
    fn from(product: &Product) -> Self {
        let data = &product.data;
        Self {
            id: product.id.to_string(),
            sku: data.sku.clone(),
            names: data.names.iter().map(|(language, name)| (language.to_string(), name.to_string())).collect(),
            category: text(data.category.as_ref()),
            price: MoneyView::from(data.price),
            created_at: product.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductView>,
    pub next_cursor: Option<String>,
}

/// A product to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    pub sku: Option<String>,
    /// Names by language: `{"en": "Cold storage unit", "ta": "குளிர்பதன அலகு"}`.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub category: Option<String>,
    /// As text: "1,85,000".
    pub price: Option<String>,
    /// ISO 4217; INR by default.
    pub currency: Option<String>,
}

impl From<ProductBody> for ProductInput {
    fn from(body: ProductBody) -> Self {
        Self {
            sku: body.sku,
            names: body.names.into_iter().collect(),
            category: body.category,
            price: body.price,
            currency: body.currency,
        }
    }
}

/// A line of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLineView {
    pub product_id: String,
    pub quantity: u32,
    pub unit_price: MoneyView,
    pub total: Option<MoneyView>,
}

/// A customer's order.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderView {
    pub id: String,
    pub contact_id: String,
    pub order_number: Option<String>,
    pub ordered_at: String,
    pub branch_id: Option<String>,
    pub lines: Vec<OrderLineView>,
    pub total: Option<MoneyView>,
    pub created_at: String,
}

impl From<&Order> for OrderView {
    fn from(order: &Order) -> Self {
        Self {
            id: order.id.to_string(),
            contact_id: order.contact_id.to_string(),
            order_number: text(order.external_id.as_ref()),
            ordered_at: order.ordered_at.to_string(),
            branch_id: text(order.branch_id.as_ref()),
            lines: order
                .lines
                .iter()
                .map(|line| OrderLineView {
                    product_id: line.product_id.to_string(),
                    quantity: line.quantity,
                    unit_price: MoneyView::from(line.unit_price),
                    total: line
                        .total()
                        .map(|minor| MoneyView::from(Money { minor, currency: line.unit_price.currency })),
                })
                .collect(),
            total: order.total().map(MoneyView::from),
            created_at: order.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPage {
    pub items: Vec<OrderView>,
    pub next_cursor: Option<String>,
}

/// An order to record.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    /// The contact's id.
    pub contact: Option<String>,
    pub order_number: Option<String>,
    /// RFC 3339 or a date; now by default.
    pub ordered_at: Option<String>,
    #[serde(default)]
    pub lines: Vec<OrderLineBody>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineBody {
    pub sku: Option<String>,
    pub quantity: Option<u32>,
    /// The product's price by default.
    pub unit_price: Option<String>,
    pub currency: Option<String>,
}

impl From<OrderBody> for OrderInput {
    fn from(body: OrderBody) -> Self {
        Self {
            contact: body.contact,
            order_number: body.order_number,
            ordered_at: body.ordered_at,
            lines: body
                .lines
                .into_iter()
                .map(|line| OrderLineInput {
                    sku: line.sku,
                    quantity: line.quantity.map(|q| q.to_string()),
                    unit_price: line.unit_price,
                    currency: line.currency,
                })
                .collect(),
        }
    }
}

/// What an orders import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrdersReportView {
    pub created: u64,
    pub skipped: u64,
    pub rejections: Vec<RejectionView>,
    pub summary: String,
}
