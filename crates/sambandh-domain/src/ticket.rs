//! The service desk's rules that need no storage: what a new ticket must carry, which
//! language it is in, who it goes to, and how a ticket is named in a subject line so a
//! reply finds its way back.

use crate::{LanguageTag, LongText, ShortText, TicketPriority, TicketSource, UserId, ValidationErrors};

/// A customer's request as it arrives, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct TicketInput {
    pub subject: Option<String>,
    pub text: Option<String>,
    pub source: Option<String>,
    pub priority: Option<String>,
    pub language: Option<String>,
}

/// A checked request: a subject (made from the text when the customer gave none), the
/// text, how it came and how urgent it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub subject: ShortText,
    pub text: LongText,
    pub source: TicketSource,
    pub priority: TicketPriority,
    /// The language staff should answer in, when the caller knows it; otherwise the
    /// desk tells it from the text (see [`ticket_language`]).
    pub language: Option<LanguageTag>,
}

/// The longest subject kept; a longer one is cut at a character boundary.
const MAX_SUBJECT_CHARS: usize = 200;

impl NewTicket {
    pub fn parse(input: &TicketInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let text = input.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if text.is_none() {
            errors.push("text", "is required: what does the customer need?");
        }
        let text = errors.check_opt("text", text, LongText::parse);
        let source = errors
            .check_opt("source", input.source.as_deref().or(Some("api")), TicketSource::parse)
            .unwrap_or(TicketSource::Api);
        let priority = errors
            .check_opt("priority", input.priority.as_deref().or(Some("normal")), TicketPriority::parse)
            .unwrap_or(TicketPriority::Normal);
        let language = errors.check_opt("language", input.language.as_deref(), LanguageTag::parse);
        let subject = input
            .subject
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| text.as_ref().map(|text| first_line(text.as_ref())));
        let subject = errors.check_opt("subject", subject.as_deref().map(shorten).as_deref(), ShortText::parse);
        errors.into_result()?;
        match (subject, text) {
            (Some(subject), Some(text)) => Ok(Self { subject, text, source, priority, language }),
            _ => Err(ValidationErrors::single("ticket", "is incomplete")),
        }
    }
}

fn first_line(text: &str) -> String {
    text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default().to_owned()
}

fn shorten(subject: &str) -> String {
    let single_line = subject.split_whitespace().collect::<Vec<_>>().join(" ");
    match single_line.char_indices().nth(MAX_SUBJECT_CHARS) {
        Some((cut, _)) => format!("{}…", &single_line[..cut]),
        None => single_line,
    }
}

/// The language of a ticket: the script its text is written in names it (Devanagari is
/// read as Hindi, Tamil script as Tamil, …); text in Latin letters says nothing (a
/// Hindi speaker may well write in English or in romanised Hindi), so the contact's
/// preferred language decides, and failing that the branch's.
pub fn ticket_language(text: &str, contact: Option<&LanguageTag>, branch: &LanguageTag) -> LanguageTag {
    let by_script = crate::Script::of_text(text).and_then(|script| {
        let code = match script.as_str() {
            "Deva" => "hi",
            "Taml" => "ta",
            "Gujr" => "gu",
            "Beng" => "bn",
            "Guru" => "pa",
            "Orya" => "or",
            "Telu" => "te",
            "Knda" => "kn",
            "Mlym" => "ml",
            "Arab" => "ur",
            _ => return None,
        };
        LanguageTag::parse(code).ok()
    });
    // A contact whose preferred language is written in the detected script keeps its
    // own tag (a Marathi speaker's Devanagari is not Hindi).
    match (by_script, contact) {
        (Some(detected), Some(preferred)) if same_script(&detected, preferred) => preferred.clone(),
        (Some(detected), _) => detected,
        (None, Some(preferred)) => preferred.clone(),
        (None, None) => branch.clone(),
    }
}

fn same_script(a: &LanguageTag, b: &LanguageTag) -> bool {
    const DEVANAGARI: &[&str] = &["hi", "mr", "ne", "sa", "kok", "mai"];
    a.primary() == b.primary() || (DEVANAGARI.contains(&a.primary()) && DEVANAGARI.contains(&b.primary()))
}

/// A member of staff who could take a ticket: the languages they speak and how many
/// open tickets they hold now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLoad {
    pub user_id: UserId,
    pub languages: Vec<LanguageTag>,
    pub open_tickets: u64,
}

/// The agent a new ticket in `language` goes to: one who speaks it (by primary
/// language: `hi-IN` speaks to `hi`), the least loaded first, ties to the earlier in
/// the list. `None` leaves the ticket in the branch's queue.
pub fn choose_agent(agents: &[AgentLoad], language: &LanguageTag) -> Option<UserId> {
    agents
        .iter()
        .filter(|agent| agent.languages.iter().any(|spoken| spoken.primary() == language.primary()))
        .min_by_key(|agent| agent.open_tickets)
        .map(|agent| agent.user_id)
}

/// How a ticket is named in the subject of every message about it, `[#1042]`, so that a
/// reply whose mail program dropped the thread headers still finds its ticket.
pub fn subject_tag(number: u64) -> String {
    format!("[#{number}]")
}

/// The ticket number a subject names with [`subject_tag`], if any.
pub fn number_in_subject(subject: &str) -> Option<u64> {
    let mut rest = subject;
    while let Some(start) = rest.find("[#") {
        let after = &rest[start + 2..];
        if let Some(end) = after.find(']')
            && let Ok(number) = after[..end].parse::<u64>()
        {
            return Some(number);
        }
        rest = after;
    }
    None
}

/// The subject of a reply: `Re: ` once, and the ticket's tag once.
pub fn reply_subject(subject: &str, number: u64) -> String {
    let tag = subject_tag(number);
    let base = subject.trim();
    let base = if base.contains(&tag) { base.to_owned() } else { format!("{base} {tag}") };
    let lower = base.to_lowercase();
    if lower.starts_with("re:") || lower.starts_with("re :") { base } else { format!("Re: {base}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(raw: &str) -> LanguageTag {
        LanguageTag::parse(raw).unwrap()
    }

    #[test]
    fn a_ticket_needs_text_and_takes_its_subject_from_it() {
        let input = TicketInput {
            text: Some("\n  मेरा ऑर्डर नहीं आया\nकृपया देखें".into()), ..Default::default()
        };
        let ticket = NewTicket::parse(&input).unwrap();
        assert_eq!(ticket.subject.as_ref(), "मेरा ऑर्डर नहीं आया");
        assert_eq!(ticket.source, TicketSource::Api);
        assert_eq!(ticket.priority, TicketPriority::Normal);

        let errors = NewTicket::parse(&TicketInput {
            text: Some("  ".into()),
            priority: Some("asap".into()),
            ..Default::default()
        })
        .unwrap_err()
        .to_string();
        assert!(errors.contains("text: is required"), "{errors}");
        assert!(errors.contains("priority: 'asap' is not one of"), "{errors}");
    }

    #[test]
    fn long_subjects_are_cut() {
        let input = TicketInput { subject: Some("क".repeat(300)), text: Some("x".into()), ..Default::default() };
        let subject = NewTicket::parse(&input).unwrap().subject;
        assert_eq!(subject.as_ref().chars().count(), MAX_SUBJECT_CHARS + 1);
    }

    #[test]
    fn the_script_names_the_language_and_latin_defers_to_the_contact() {
        let branch = tag("en");
        assert_eq!(ticket_language("எனது ஆர்டர் வரவில்லை", None, &branch), tag("ta"));
        assert_eq!(ticket_language("મારો ઓર્ડર આવ્યો નથી", Some(&tag("en")), &branch), tag("gu"));
        assert_eq!(ticket_language("मेरा ऑर्डर", Some(&tag("mr")), &branch), tag("mr"));
        assert_eq!(ticket_language("Where is my order?", Some(&tag("hi")), &branch), tag("hi"));
        assert_eq!(ticket_language("Where is my order?", None, &branch), tag("en"));
    }

    #[test]
    fn routing_takes_the_least_loaded_speaker() {
        let a = UserId::from_uuid(uuid::Uuid::from_u128(1));
        let b = UserId::from_uuid(uuid::Uuid::from_u128(2));
        let c = UserId::from_uuid(uuid::Uuid::from_u128(3));
        let agents = [
            AgentLoad { user_id: a, languages: vec![tag("ta"), tag("en")], open_tickets: 4 },
            AgentLoad { user_id: b, languages: vec![tag("hi")], open_tickets: 0 },
            AgentLoad { user_id: c, languages: vec![tag("ta-IN")], open_tickets: 2 },
        ];
        assert_eq!(choose_agent(&agents, &tag("ta")), Some(c));
        assert_eq!(choose_agent(&agents, &tag("hi-IN")), Some(b));
        assert_eq!(choose_agent(&agents, &tag("gu")), None);
    }

    #[test]
    fn subjects_carry_the_ticket_number_once() {
        assert_eq!(reply_subject("Order not delivered", 42), "Re: Order not delivered [#42]");
        assert_eq!(reply_subject("Re: Order not delivered [#42]", 42), "Re: Order not delivered [#42]");
        assert_eq!(number_in_subject("Re: Re: Order [#42] again"), Some(42));
        assert_eq!(number_in_subject("price list [#draft] [#7]"), Some(7));
        assert_eq!(number_in_subject("no tag here"), None);
    }
}
