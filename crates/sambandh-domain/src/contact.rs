//! The customer record (C1): a person, their names in every script they use, how to
//! reach them, and what the business knows about them.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::{
    Birthday, BranchId, ContactId, CustomFields, EmailAddress, ExternalId, Gender, Honorific, LanguageTag, NameText,
    PhoneE164, PinCode, References, Region, Script, ShortText, Tag, TimeZoneName, UserId, ValidationErrors, ValueError,
    ValueTier,
};

/// What a user typed for a contact, before any check: every field as text. The API,
/// the CSV import and the demo generator all build one of these and go through
/// [`ContactData::parse`], so a contact is validated the same way whichever door it
/// came in by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    pub external_id: Option<String>,
    pub honorific: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub father_name: Option<String>,
    pub preferred_name: Option<String>,
    pub name_latin: Option<String>,
    /// Full names in other scripts, keyed by ISO 15924 code (`Taml`, `Deva`, …).
    pub other_names: Vec<(String, String)>,
    pub gender: Option<String>,
    pub language: Option<String>,
    pub script: Option<String>,
    pub time_zone: Option<String>,
    pub region: Option<String>,
    pub birthday: Option<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub address_line: Option<String>,
    pub city: Option<String>,
    pub pin_code: Option<String>,
    /// A branch id or name; resolved by the caller (see [`ContactData::parse`]).
    pub branch: Option<String>,
    /// The member of staff who looks after the contact: a user id or e-mail.
    pub owner: Option<String>,
    pub tags: Vec<String>,
    pub custom_fields: Vec<(String, String)>,
    pub value_tier: Option<String>,
    pub source: Option<String>,
}

/// A contact's fields, every one valid and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactData {
    pub external_id: Option<ExternalId>,
    pub honorific: Option<Honorific>,
    pub given_name: NameText,
    pub family_name: Option<NameText>,
    /// Father's name or initial (the Tamil convention: "R." of "R. Karthik").
    pub father_name: Option<NameText>,
    pub preferred_name: Option<NameText>,
    /// The full name in Latin script, as the person writes it.
    pub name_latin: Option<NameText>,
    pub other_names: BTreeMap<Script, NameText>,
    pub gender: Option<Gender>,
    pub language: Option<LanguageTag>,
    /// The script of the contact's own name; detected from the given name when not told.
    pub script: Option<Script>,
    pub time_zone: Option<TimeZoneName>,
    pub region: Option<Region>,
    pub birthday: Option<Birthday>,
    pub emails: Vec<EmailAddress>,
    pub phones: Vec<PhoneE164>,
    pub address_line: Option<ShortText>,
    pub city: Option<NameText>,
    pub pin_code: Option<PinCode>,
    pub branch_id: Option<BranchId>,
    pub owner_id: Option<UserId>,
    pub tags: Vec<Tag>,
    pub custom_fields: CustomFields,
    pub value_tier: Option<ValueTier>,
    pub source: Option<ShortText>,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: ContactId,
    pub data: ContactData,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Incremented by every update; the ETag of the HTTP API.
    pub version: i64,
    /// When the person's data was erased at their request: the record keeps its id,
    /// branch, owner and tier so that reports stay true, and nothing personal.
    pub erased_at: Option<Timestamp>,
    /// The day the contact's first deal was won: an occasion for greetings.
    pub first_deal_on: Option<jiff::civil::Date>,
}

const MAX_EMAILS: usize = 10;
const MAX_PHONES: usize = 10;
const MAX_TAGS: usize = 50;

impl ContactData {
    /// Checks every field of `input`, collecting all errors rather than stopping at
    /// the first. `references` finds the branch and the owner.
    pub fn parse(input: &ContactInput, references: &impl References) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let given_name = errors.check_required("given_name", input.given_name.as_deref(), NameText::parse);
        let external_id = errors.check_opt("external_id", input.external_id.as_deref(), ExternalId::parse);
        let honorific = errors.check_opt("honorific", input.honorific.as_deref(), Honorific::parse);
        let family_name = errors.check_opt("family_name", input.family_name.as_deref(), NameText::parse);
        let father_name = errors.check_opt("father_name", input.father_name.as_deref(), NameText::parse);
        let preferred_name = errors.check_opt("preferred_name", input.preferred_name.as_deref(), NameText::parse);
        let name_latin = errors.check_opt("name_latin", input.name_latin.as_deref(), parse_latin_name);
        let other_names = parse_other_names(&input.other_names, &mut errors);
        let gender = errors.check_opt("gender", input.gender.as_deref(), Gender::parse);
        let language = errors.check_opt("language", input.language.as_deref(), LanguageTag::parse);
        let script = errors
            .check_opt("script", input.script.as_deref(), Script::parse)
            .or_else(|| given_name.as_ref().and_then(|name| Script::of_text(name.as_str())));
        let time_zone = errors.check_opt("time_zone", input.time_zone.as_deref(), TimeZoneName::parse);
        let region = errors.check_opt("region", input.region.as_deref(), Region::parse);
        let birthday = errors.check_opt("birthday", input.birthday.as_deref(), Birthday::parse);
        let emails = errors.check_list("emails", &input.emails, MAX_EMAILS, EmailAddress::parse);
        let phones = errors.check_list("phones", &input.phones, MAX_PHONES, PhoneE164::parse);
        let address_line = errors.check_opt("address_line", input.address_line.as_deref(), ShortText::parse);
        let city = errors.check_opt("city", input.city.as_deref(), NameText::parse);
        let pin_code = errors.check_opt("pin_code", input.pin_code.as_deref(), PinCode::parse);
        let branch_id = errors.check_opt("branch", input.branch.as_deref(), |raw| {
            references.branch(raw).ok_or_else(|| ValueError::new(format!("no branch is named '{raw}'")))
        });
        let owner_id = errors.check_opt("owner", input.owner.as_deref(), |raw| {
            references.user(raw).ok_or_else(|| ValueError::new(format!("no member of staff is '{raw}'")))
        });
        let tags = errors.check_list("tags", &input.tags, MAX_TAGS, Tag::parse);
        let custom_fields = errors
            .check(
                "custom_fields",
                CustomFields::parse(input.custom_fields.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
            )
            .unwrap_or_default();
        let value_tier = errors.check_opt("value_tier", input.value_tier.as_deref(), ValueTier::parse);
        let source = errors.check_opt("source", input.source.as_deref(), ShortText::parse);

        errors.into_result()?;
        let Some(given_name) = given_name else {
            return Err(ValidationErrors::single("given_name", "is required"));
        };
        Ok(Self {
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
            branch_id,
            owner_id,
            tags,
            custom_fields,
            value_tier,
            source,
        })
    }

    /// The name as the person writes it in their own script: "R. கார்த்திக்" keeps the
    /// father's initial in front (the Tamil convention); a family name follows.
    pub fn full_name(&self) -> String {
        let mut parts: Vec<&str> = Vec::with_capacity(3);
        if let Some(father) = &self.father_name
            && is_initial(father.as_str())
            && self.family_name.is_none()
        {
            parts.push(father.as_str());
        }
        parts.push(self.given_name.as_str());
        if let Some(family) = &self.family_name {
            parts.push(family.as_str());
        }
        parts.join(" ")
    }

    /// The key lists sort by: the Latin name when there is one, else the full name,
    /// lower-cased.
    pub fn sort_name(&self) -> String {
        self.name_latin.as_ref().map_or_else(|| self.full_name(), |name| name.as_str().to_owned()).to_lowercase()
    }

    /// Every name the person has: given, family, father's name or initial, preferred,
    /// the Latin name and the names in other scripts (not the honorific).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [&self.family_name, &self.father_name, &self.preferred_name, &self.name_latin]
            .into_iter()
            .flatten()
            .chain(std::iter::once(&self.given_name))
            .chain(self.other_names.values())
            .map(NameText::as_str)
    }

    /// The words the contact is found by in a search: every word of every name, in any
    /// script, normalised as [`crate::normalise_search`] normalises a query.
    pub fn search_words(&self) -> BTreeSet<String> {
        crate::search::search_words(self.names())
    }
}

impl From<&ContactData> for ContactInput {
    /// The inverse of [`ContactData::parse`], used to apply a partial update on top of
    /// the stored fields and validate the result as a whole. The branch is given by id.
    fn from(data: &ContactData) -> Self {
        fn text(value: Option<&impl ToString>) -> Option<String> {
            value.map(ToString::to_string)
        }
        Self {
            external_id: text(data.external_id.as_ref()),
            honorific: data.honorific.map(|h| h.as_str().to_owned()),
            given_name: Some(data.given_name.to_string()),
            family_name: text(data.family_name.as_ref()),
            father_name: text(data.father_name.as_ref()),
            preferred_name: text(data.preferred_name.as_ref()),
            name_latin: text(data.name_latin.as_ref()),
            other_names: data.other_names.iter().map(|(script, name)| (script.to_string(), name.to_string())).collect(),
            gender: data.gender.map(|g| g.as_str().to_owned()),
            language: text(data.language.as_ref()),
            // A script that was detected from the name is left to be detected again,
            // so that renaming a contact into another script updates it.
            script: data
                .script
                .filter(|script| Script::of_text(data.given_name.as_str()) != Some(*script))
                .map(|s| s.to_string()),
            time_zone: text(data.time_zone.as_ref()),
            region: text(data.region.as_ref()),
            birthday: text(data.birthday.as_ref()),
            emails: data.emails.iter().map(ToString::to_string).collect(),
            phones: data.phones.iter().map(ToString::to_string).collect(),
            address_line: text(data.address_line.as_ref()),
            city: text(data.city.as_ref()),
            pin_code: text(data.pin_code.as_ref()),
            branch: text(data.branch_id.as_ref()),
            owner: text(data.owner_id.as_ref()),
            tags: data.tags.iter().map(ToString::to_string).collect(),
            custom_fields: data.custom_fields.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            value_tier: data.value_tier.map(|t| t.as_str().to_owned()),
            source: text(data.source.as_ref()),
        }
    }
}

fn is_initial(text: &str) -> bool {
    let letters = text.trim_end_matches('.').chars().filter(|c| *c != '.').count();
    letters <= 2
}

fn parse_latin_name(raw: &str) -> Result<NameText, ValueError> {
    let name = NameText::parse(raw)?;
    match Script::of_text(name.as_str()) {
        Some(script) if script == Script::latin() => Ok(name),
        _ => Err(ValueError::new("must be written in Latin script")),
    }
}

fn parse_other_names(pairs: &[(String, String)], errors: &mut ValidationErrors) -> BTreeMap<Script, NameText> {
    let mut names = BTreeMap::new();
    for (script_code, name) in pairs {
        let field = format!("other_names.{}", script_code.trim());
        let Some(script) = errors.check(&field, Script::parse(script_code)) else { continue };
        let Some(name) = errors.check(&field, NameText::parse(name)) else { continue };
        match Script::of_text(name.as_str()) {
            Some(found) if found == script => {
                names.insert(script, name);
            }
            _ => errors.push(field, format!("is not written in the {script} script")),
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn karthik() -> ContactInput {
        ContactInput {
            honorific: Some("Thiru".into()),
            given_name: Some("கார்த்திக்".into()),
            father_name: Some("R.".into()),
            name_latin: Some("R. Karthik".into()),
            language: Some("ta".into()),
            emails: vec!["Karthik@Example.COM".into()],
            phones: vec!["98400 12345".into(), "+91-98400-12345".into()],
            birthday: Some("14/03/1987".into()),
            pin_code: Some("600017".into()),
            branch: Some("Chennai".into()),
            owner: Some("meena@shop.in".into()),
            tags: vec!["VIP".into()],
            ..ContactInput::default()
        }
    }

    fn chennai() -> BranchId {
        BranchId::from_uuid(uuid::Uuid::from_u128(7))
    }

    /// Knows one branch, Chennai, and one member of staff.
    struct Chennai;

    impl References for Chennai {
        fn branch(&self, raw: &str) -> Option<BranchId> {
            (raw == "Chennai" || raw == chennai().to_string()).then(chennai)
        }

        fn user(&self, raw: &str) -> Option<UserId> {
            let meena = UserId::from_uuid(uuid::Uuid::from_u128(9));
            (raw == "meena@shop.in" || raw == meena.to_string()).then_some(meena)
        }
    }

    #[test]
    fn a_tamil_contact_is_normalised() {
        let data = ContactData::parse(&karthik(), &Chennai).unwrap();
        assert_eq!(data.full_name(), "R. கார்த்திக்");
        assert_eq!(data.sort_name(), "r. karthik");
        assert_eq!(data.script.unwrap().as_str(), "Taml");
        assert_eq!(data.emails[0].as_str(), "Karthik@example.com");
        assert_eq!(data.phones.len(), 1, "the same number typed twice is kept once");
        assert_eq!(data.birthday.unwrap().to_string(), "1987-03-14");
        assert_eq!(data.branch_id, Some(chennai()));
        assert_eq!(data.tags[0].as_str(), "vip");
    }

    #[test]
    fn every_bad_field_is_named() {
        let input = ContactInput {
            given_name: None,
            emails: vec!["not-an-email".into()],
            pin_code: Some("012345".into()),
            branch: Some("Madurai".into()),
            owner: Some("nobody@shop.in".into()),
            name_latin: Some("கார்த்திக்".into()),
            other_names: vec![("Deva".into(), "கார்த்திக்".into())],
            ..karthik()
        };
        let errors = ContactData::parse(&input, &Chennai).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["given_name", "name_latin", "other_names.Deva", "emails[0]", "pin_code", "branch", "owner"]
        );
        assert!(errors.to_string().contains("branch: no branch is named 'Madurai'"));
    }

    #[test]
    fn a_detected_script_follows_the_name() {
        let data = ContactData::parse(&karthik(), &Chennai).unwrap();
        let mut input = ContactInput::from(&data);
        input.given_name = Some("Karthik".into());
        let renamed = ContactData::parse(&input, &Chennai).unwrap();
        assert_eq!(renamed.script, Some(Script::latin()));
        let told = ContactInput { script: Some("Taml".into()), given_name: Some("Karthik".into()), ..karthik() };
        let kept = ContactData::parse(&told, &Chennai).unwrap();
        assert_eq!(ContactInput::from(&kept).script.as_deref(), Some("Taml"), "a script the user chose is kept");
    }

    #[test]
    fn a_contact_is_found_by_every_word_of_every_name() {
        let input = ContactInput {
            family_name: Some("Ramasamy".into()),
            preferred_name: Some("Karthi".into()),
            other_names: vec![("Deva".into(), "कार्तिक रामसामी".into())],
            ..karthik()
        };
        let data = ContactData::parse(&input, &Chennai).unwrap();
        let words: Vec<String> = data.search_words().into_iter().collect();
        assert_eq!(
            words,
            ["karthi", "karthik", "r", "ramasamy", "कार्तिक", "रामसामी", "கார்த்திக்"],
            "not the honorific (Thiru), each word once"
        );
    }

    #[test]
    fn input_round_trips_through_data() {
        let data = ContactData::parse(&karthik(), &Chennai).unwrap();
        let again = ContactData::parse(&ContactInput::from(&data), &Chennai).unwrap();
        assert_eq!(again, data);
    }
}
