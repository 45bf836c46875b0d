//! Sambandh's domain: the values a CRM keeps about people and businesses, built so that
//! an invalid one cannot exist, and the rules that apply to them.
//!
//! What belongs here: newtypes with a `parse` constructor (`EmailAddress`, `PhoneE164`,
//! `Gstin`, `PinCode`, `Birthday`, …), typed ids, the entities (`Contact`, `Company`,
//! `Branch`) and the commands that create them (`NewContact` from a raw `ContactInput`).
//!
//! What does not: I/O of any kind, async, a clock or a random source (time and ids are
//! passed in), serialisation (view models live at the HTTP/CLI edges), SQL.

mod access;
mod branch;
mod business_time;
mod calendar;
mod call_script;
mod company;
mod consent;
mod contact;
mod deal;
mod desk;
mod error;
mod greeting;
mod ids;
mod interaction;
mod local_time;
mod moderation;
mod occasion;
mod order;
mod references;
mod salutation;
mod search;
mod sla;
mod task;
mod ticket;
mod user;
mod values;

pub use access::{Action, Scope};
pub use branch::{Branch, BranchInput, NewBranch};
pub use business_time::{BusinessCalendar, MAX_IDLE_DAYS, WeeklyHours, WorkInterval};
pub use calendar::{FESTIVAL_YEARS, Festival, FestivalKey, festivals, with_overrides};
pub use call_script::{CallScript, CallScriptInput, ResolvedScript, resolve_script};
pub use company::{Company, CompanyInput, CompanyLink, NewCompany};
pub use consent::{Consent, ConsentChange, ConsentInput, permits};
pub use contact::{Contact, ContactData, ContactInput};
pub use deal::{Deal, DealData, DealInput, Pipeline, Stage, StageInput};
pub use desk::{ACKNOWLEDGEMENT_TEMPLATE, CANNED_PREFIX, DESK_TEMPLATES, REPLY_TEMPLATE, SURVEY_TEMPLATE};
pub use error::{FieldError, ValidationErrors, ValueError};
pub use greeting::{
    DEFAULT_RULES, DEFAULT_TEMPLATES, Greeting, GreetingRule, GreetingRuleData, GreetingRuleInput, MAX_LEAD_DAYS,
    OccasionPattern, parse_local_time,
};
pub use ids::{
    BranchId, CompanyId, ContactId, DealId, GreetingId, InteractionId, MessageId, NeedId, OrderId, ProductId, TaskId,
    TicketEntryId, TicketId, UserId,
};
pub use interaction::{Interaction, InteractionData, InteractionInput, Need, NeedData, NeedInput};
pub use local_time::{written_date, written_date_time, written_day_month, written_instant};
pub use moderation::{CapWindow, FrequencyCap, QuietHours, local_instant};
pub use occasion::{Occasion, anniversary_years, yearly_on};
pub use order::{Order, OrderLine, Product, ProductData, ProductInput, parse_sku};
pub use references::{References, StoredIds};
pub use salutation::{LetterLanguage, PersonNames, honorific_in, salutation};
pub use search::{MAX_SEARCH_WORDS, normalise_search, search_words};
pub use sla::{DEFAULT_POLICIES, DefaultPolicy, SlaPolicy, SlaTarget, default_policies, due, select_policy};
pub use task::{FollowUpRule, FollowUpRuleInput, Task, TaskData, TaskInput};
pub use ticket::{
    AgentLoad, NewTicket, TicketInput, choose_agent, number_in_subject, reply_subject, subject_tag, ticket_language,
};
pub use user::{NewUser, User, UserInput};
pub use values::birthday::Birthday;
pub use values::civil_date::parse_civil_date;
pub use values::custom::{CustomFieldKey, CustomFields};
pub use values::email::EmailAddress;
pub use values::enums::{
    CallOutcome, Channel, ConsentMethod, ConsentStatus, Direction, Gender, GreetingStatus, Honorific, InteractionKind,
    MessageStatus, Purpose, Role, RuleTrigger, StageOutcome, TicketEntryKind, TicketPriority, TicketSource,
    TicketStatus, ValueTier,
};
pub use values::gstin::Gstin;
pub use values::language::{LanguageTag, Script};
pub use values::money::{Currency, Money};
pub use values::phone::PhoneE164;
pub use values::pin::PinCode;
pub use values::region::Region;
pub use values::text::{ExternalId, LongText, NameText, ShortText, Tag, clean};
pub use values::time_zone::TimeZoneName;
