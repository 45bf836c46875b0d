//! Greeting rules: which occasions are greeted, for whom, on which channel, with which
//! template, at what local hour, and how many days ahead they enter review.

use jiff::Timestamp;
use jiff::civil::{Date, Time};

use crate::{
    BranchId, Channel, ContactId, GreetingId, GreetingStatus, MessageId, Occasion, Tag, UserId, ValidationErrors,
    ValueError, ValueTier,
};

/// The occasions a rule greets: one, or every festival, or every date of the contact's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccasionPattern {
    Exactly(Occasion),
    AnyFestival,
    AnyCustom,
}

impl OccasionPattern {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        match raw.trim() {
            "festival:*" => Ok(Self::AnyFestival),
            "custom:*" => Ok(Self::AnyCustom),
            other => Occasion::parse(other).map(Self::Exactly),
        }
    }

    pub fn key(&self) -> String {
        match self {
            Self::Exactly(occasion) => occasion.key(),
            Self::AnyFestival => "festival:*".to_owned(),
            Self::AnyCustom => "custom:*".to_owned(),
        }
    }

    pub fn matches(&self, occasion: &Occasion) -> bool {
        match self {
            Self::Exactly(wanted) => wanted == occasion,
            Self::AnyFestival => matches!(occasion, Occasion::Festival(_)),
            Self::AnyCustom => matches!(occasion, Occasion::Custom(_)),
        }
    }
}

/// A greeting rule as typed: every field as text, checked by [`GreetingRuleData::parse`].
#[derive(Debug, Clone, Default)]
pub struct GreetingRuleInput {
    pub name: Option<String>,
    pub occasion: Option<String>,
    pub tiers: Vec<String>,
    pub tags: Vec<String>,
    pub branches: Vec<BranchId>,
    pub channel: Option<String>,
    pub template: Option<String>,
    /// Local time in the contact's zone, `HH:MM`; 09:00 when not given.
    pub send_time: Option<String>,
    /// Days ahead a greeting enters review; 1 when not given.
    pub lead_days: Option<i64>,
    pub auto_send: Option<bool>,
    pub sign_as_owner: Option<bool>,
    pub active: Option<bool>,
}

/// A rule's settings, every one valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreetingRuleData {
    pub name: String,
    pub occasion: OccasionPattern,
    /// Empty: every tier (and contacts without one).
    pub tiers: Vec<ValueTier>,
    /// Empty: any tags; else the contact has at least one of them.
    pub tags: Vec<Tag>,
    /// Empty: every branch.
    pub branches: Vec<BranchId>,
    pub channel: Channel,
    /// The template's key; the language is the contact's.
    pub template: String,
    pub send_time: Time,
    pub lead_days: u8,
    /// Send without review.
    pub auto_send: bool,
    /// Sign with the name of the member of staff who looks after the contact.
    pub sign_as_owner: bool,
    pub active: bool,
}

/// The longest a greeting may wait in review before its day.
pub const MAX_LEAD_DAYS: u8 = 30;

impl GreetingRuleData {
    pub fn parse(input: &GreetingRuleInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check_required("name", input.name.as_deref(), |raw| {
            if raw.chars().count() > 120 {
                return Err(ValueError::new("must be at most 120 characters"));
            }
            Ok(raw.to_owned())
        });
        let occasion = errors.check_required("occasion", input.occasion.as_deref(), OccasionPattern::parse);
        let tiers = errors.check_list("tiers", &input.tiers, ValueTier::ALL.len(), ValueTier::parse);
        let tags = errors.check_list("tags", &input.tags, 20, Tag::parse);
        let channel = errors.check_opt("channel", input.channel.as_deref(), |raw| {
            let channel = Channel::parse(raw)?;
            if channel == Channel::Phone {
                return Err(ValueError::new("greetings go by email, sms or whatsapp, not by phone call"));
            }
            Ok(channel)
        });
        let template = errors.check_required("template", input.template.as_deref(), |key| {
            if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(ValueError::new("must be a key of lower-case letters, digits and _"));
            }
            Ok(key.to_owned())
        });
        let send_time = errors.check_opt("send_time", input.send_time.as_deref(), parse_local_time);
        let lead_days = match input.lead_days {
            None => Some(1),
            Some(days) => errors.check(
                "lead_days",
                u8::try_from(days)
                    .ok()
                    .filter(|days| *days <= MAX_LEAD_DAYS)
                    .ok_or_else(|| ValueError::new(format!("must be 0 to {MAX_LEAD_DAYS} days"))),
            ),
        };
        errors.into_result()?;
        Ok(Self {
            name: name.unwrap_or_default(),
            occasion: occasion.unwrap_or(OccasionPattern::Exactly(Occasion::Birthday)),
            tiers,
            tags,
            branches: input.branches.clone(),
            channel: channel.unwrap_or(Channel::Email),
            template: template.unwrap_or_default(),
            send_time: send_time.unwrap_or(Time::constant(9, 0, 0, 0)),
            lead_days: lead_days.unwrap_or(1),
            auto_send: input.auto_send.unwrap_or(false),
            sign_as_owner: input.sign_as_owner.unwrap_or(true),
            active: input.active.unwrap_or(true),
        })
    }
}

/// The rules a new database starts with: every personal occasion and every festival a
/// contact chose, by e-mail at 09:00 their time, a day ahead in review. Key, name,
/// occasion pattern, template.
pub const DEFAULT_RULES: [(&str, &str, &str, &str); 5] = [
    ("default-birthday", "Birthdays", "birthday", "birthday"),
    ("default-first-deal", "First-deal anniversaries", "first_deal", "first_deal"),
    ("default-company-anniversary", "Company anniversaries", "company_anniversary", "company_anniversary"),
    ("default-own-dates", "Dates of the contact's own", "custom:*", "own_date"),
    ("default-festivals", "Festivals the contact chose", "festival:*", "festival"),
];

/// The templates a new database starts with, in English, Hindi, Tamil and Gujarati:
/// key, language, subject, body. What they may use: `salutation`, `name` (the given name
/// in the letter's script), `occasion_name`, `years`, `company`, `sender`,
/// `organisation`.
pub const DEFAULT_TEMPLATES: [(&str, &str, &str, &str); 20] = [
    (
        "birthday",
        "en",
        "Happy birthday, {{ name }}!",
        "{{ salutation }},\n\nWarm wishes on your birthday from all of us at {{ organisation }}. May the year ahead bring you good health and happiness.\n\nWith regards,\n{{ sender }}",
    ),
    (
        "birthday",
        "hi",
        "जन्मदिन की हार्दिक शुभकामनाएँ, {{ name }} जी",
        "{{ salutation }},\n\n{{ organisation }} परिवार की ओर से आपको जन्मदिन की हार्दिक शुभकामनाएँ। आने वाला वर्ष आपके लिए उत्तम स्वास्थ्य और खुशियाँ लाए।\n\nसादर,\n{{ sender }}",
    ),
    (
        "birthday",
        "ta",
        "இனிய பிறந்தநாள் வாழ்த்துகள், {{ name }}",
        "{{ salutation }},\n\n{{ organisation }} குடும்பத்தின் சார்பாக உங்களுக்கு இனிய பிறந்தநாள் வாழ்த்துகள். வரும் ஆண்டு உங்களுக்கு நலமும் மகிழ்ச்சியும் தரட்டும்.\n\nஅன்புடன்,\n{{ sender }}",
    ),
    (
        "birthday",
        "gu",
        "જન્મદિવસની હાર્દિક શુભેચ્છાઓ, {{ name }}",
        "{{ salutation }},\n\n{{ organisation }} પરિવાર તરફથી આપને જન્મદિવસની હાર્દિક શુભેચ્છાઓ. આવનારું વર્ષ આપના માટે આરોગ્ય અને સુખ લાવે.\n\nઆભાર સહ,\n{{ sender }}",
    ),
    (
        "first_deal",
        "en",
        "{{ years }} {{ 'year' if years == 1 else 'years' }} together: thank you",
        "{{ salutation }},\n\nIt is {{ years }} {{ 'year' if years == 1 else 'years' }} today since we began working together. Thank you for your trust; we look forward to serving you for many years more.\n\nWith regards,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "first_deal",
        "hi",
        "हमारे साथ {{ years }} वर्ष: धन्यवाद",
        "{{ salutation }},\n\nआज हमारे साथ आपके संबंध को {{ years }} वर्ष पूरे हुए। आपके विश्वास के लिए हृदय से धन्यवाद; हम आगे भी आपकी सेवा के लिए तत्पर हैं।\n\nसादर,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "first_deal",
        "ta",
        "எங்களுடன் {{ years }} ஆண்டுகள்: நன்றி",
        "{{ salutation }},\n\nநாம் இணைந்து பணியாற்றத் தொடங்கி இன்றுடன் {{ years }} ஆண்டுகள் ஆகின்றன. உங்கள் நம்பிக்கைக்கு மனமார்ந்த நன்றி; தொடர்ந்து உங்களுக்குச் சேவை செய்ய ஆவலுடன் இருக்கிறோம்.\n\nஅன்புடன்,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "first_deal",
        "gu",
        "અમારી સાથે {{ years }} વર્ષ: આભાર",
        "{{ salutation }},\n\nઆજે આપણા સંબંધને {{ years }} વર્ષ પૂરાં થયાં. આપના વિશ્વાસ બદલ હૃદયપૂર્વક આભાર; અમે આગળ પણ આપની સેવા માટે તત્પર છીએ.\n\nઆભાર સહ,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "company_anniversary",
        "en",
        "Congratulations on {{ years }} years of {{ company }}",
        "{{ salutation }},\n\nCongratulations to you and everyone at {{ company }} on {{ years }} years today. We are proud to work with you and wish you many more years of success.\n\nWith regards,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "company_anniversary",
        "hi",
        "{{ company }} के {{ years }} वर्ष पूरे होने पर बधाई",
        "{{ salutation }},\n\n{{ company }} के {{ years }} सफल वर्ष पूरे होने पर आपको और आपकी पूरी टीम को हार्दिक बधाई। आपके साथ काम करना हमारे लिए गर्व की बात है।\n\nसादर,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "company_anniversary",
        "ta",
        "{{ company }} நிறுவனத்தின் {{ years }} ஆண்டு நிறைவுக்கு வாழ்த்துகள்",
        "{{ salutation }},\n\n{{ company }} நிறுவனம் {{ years }} ஆண்டுகளை நிறைவு செய்வதற்கு உங்களுக்கும் உங்கள் குழுவினருக்கும் மனமார்ந்த வாழ்த்துகள். உங்களுடன் பணியாற்றுவதில் பெருமை கொள்கிறோம்.\n\nஅன்புடன்,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "company_anniversary",
        "gu",
        "{{ company }}નાં {{ years }} વર્ષ પૂરાં થવા બદલ અભિનંદન",
        "{{ salutation }},\n\n{{ company }}નાં {{ years }} સફળ વર્ષ પૂરાં થવા બદલ આપને અને આપની સમગ્ર ટીમને હાર્દિક અભિનંદન. આપની સાથે કામ કરવું એ અમારા માટે ગૌરવની વાત છે.\n\nઆભાર સહ,\n{{ sender }}\n{{ organisation }}",
    ),
    (
        "own_date",
        "en",
        "Warm wishes on your {{ occasion_name }}",
        "{{ salutation }},\n\nOn this special day, your {{ occasion_name }}, all of us at {{ organisation }} send you our warm wishes.\n\nWith regards,\n{{ sender }}",
    ),
    (
        "own_date",
        "hi",
        "{{ occasion_name }} की हार्दिक शुभकामनाएँ",
        "{{ salutation }},\n\nआपके {{ occasion_name }} के इस विशेष दिन पर {{ organisation }} परिवार की ओर से हार्दिक शुभकामनाएँ।\n\nसादर,\n{{ sender }}",
    ),
    (
        "own_date",
        "ta",
        "{{ occasion_name }} நல்வாழ்த்துகள்",
        "{{ salutation }},\n\nஉங்கள் {{ occasion_name }} எனும் இந்தச் சிறப்பு நாளில் {{ organisation }} குடும்பத்தின் மனமார்ந்த வாழ்த்துகள்.\n\nஅன்புடன்,\n{{ sender }}",
    ),
    (
        "own_date",
        "gu",
        "{{ occasion_name }}ની હાર્દિક શુભેચ્છાઓ",
        "{{ salutation }},\n\nઆપના {{ occasion_name }}ના આ વિશેષ દિવસે {{ organisation }} પરિવાર તરફથી હાર્દિક શુભેચ્છાઓ.\n\nઆભાર સહ,\n{{ sender }}",
    ),
    (
        "festival",
        "en",
        "Warm wishes on {{ occasion_name }}",
        "{{ salutation }},\n\nWarm wishes to you and your family on {{ occasion_name }} from all of us at {{ organisation }}.\n\nWith regards,\n{{ sender }}",
    ),
    (
        "festival",
        "hi",
        "{{ occasion_name }} की हार्दिक शुभकामनाएँ",
        "{{ salutation }},\n\n{{ organisation }} परिवार की ओर से आपको और आपके परिवार को {{ occasion_name }} की हार्दिक शुभकामनाएँ।\n\nसादर,\n{{ sender }}",
    ),
    (
        "festival",
        "ta",
        "இனிய {{ occasion_name }} நல்வாழ்த்துகள்",
        "{{ salutation }},\n\n{{ organisation }} குடும்பத்தின் சார்பாக உங்களுக்கும் உங்கள் குடும்பத்தினருக்கும் இனிய {{ occasion_name }} நல்வாழ்த்துகள்.\n\nஅன்புடன்,\n{{ sender }}",
    ),
    (
        "festival",
        "gu",
        "{{ occasion_name }}ની હાર્દિક શુભેચ્છાઓ",
        "{{ salutation }},\n\n{{ organisation }} પરિવાર તરફથી આપને અને આપના પરિવારને {{ occasion_name }}ની હાર્દિક શુભેચ્છાઓ.\n\nઆભાર સહ,\n{{ sender }}",
    ),
];

/// A stored greeting rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GreetingRule {
    pub id: String,
    pub data: GreetingRuleData,
}

impl GreetingRule {
    /// Whether the rule greets a contact of this tier, with these tags, in this branch.
    pub fn covers(&self, tier: Option<ValueTier>, tags: &[Tag], branch: Option<BranchId>) -> bool {
        let rule = &self.data;
        (rule.tiers.is_empty() || tier.is_some_and(|tier| rule.tiers.contains(&tier)))
            && (rule.tags.is_empty() || tags.iter().any(|tag| rule.tags.contains(tag)))
            && (rule.branches.is_empty() || branch.is_some_and(|branch| rule.branches.contains(&branch)))
    }
}

/// A greeting prepared for one person on one occasion: written in their language,
/// waiting for review or on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting {
    pub id: GreetingId,
    pub contact_id: ContactId,
    pub rule_id: String,
    pub occasion: Occasion,
    /// The day of the occasion (the festival, the birthday this year).
    pub occasion_date: Date,
    pub channel: Channel,
    /// The language the greeting is written in (after the template's fallback chain).
    pub language: String,
    pub subject: String,
    pub body: String,
    pub status: GreetingStatus,
    /// When it goes: the rule's local hour on the occasion's day, in the contact's zone.
    pub send_at: Timestamp,
    pub branch_id: Option<BranchId>,
    pub owner_id: Option<UserId>,
    /// The outbox message carrying it, once approved.
    pub message_id: Option<MessageId>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// `HH:MM` on a 24-hour clock.
pub fn parse_local_time(raw: &str) -> Result<Time, ValueError> {
    let (hour, minute) = raw.trim().split_once(':').ok_or_else(|| ValueError::new("must be a time such as 09:00"))?;
    let hour: i8 = hour.parse().map_err(|_| ValueError::new("must be a time such as 09:00"))?;
    let minute: i8 = minute.parse().map_err(|_| ValueError::new("must be a time such as 09:00"))?;
    Time::new(hour, minute, 0, 0).map_err(|_| ValueError::new("must be a time of day from 00:00 to 23:59"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_needs_a_name_and_a_template_and_names_what_is_wrong() {
        let input = GreetingRuleInput {
            name: Some("Birthdays".into()),
            occasion: Some("birthday".into()),
            template: Some("birthday".into()),
            ..Default::default()
        };
        let rule = GreetingRuleData::parse(&input).unwrap();
        assert_eq!(rule.send_time, Time::constant(9, 0, 0, 0));
        assert_eq!((rule.lead_days, rule.auto_send, rule.channel), (1, false, Channel::Email));

        let bad = GreetingRuleInput {
            occasion: Some("festival:*".into()),
            channel: Some("phone".into()),
            send_time: Some("25:00".into()),
            lead_days: Some(90),
            tiers: vec!["diamond".into()],
            ..input
        };
        let errors = GreetingRuleData::parse(&bad).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tiers[0]", "channel", "send_time", "lead_days"]);
    }

    #[test]
    fn patterns_match_occasions() {
        let any_festival = OccasionPattern::parse("festival:*").unwrap();
        assert!(any_festival.matches(&Occasion::Festival("diwali".into())));
        assert!(!any_festival.matches(&Occasion::Birthday));
        assert!(OccasionPattern::parse("birthday").unwrap().matches(&Occasion::Birthday));
    }
}
