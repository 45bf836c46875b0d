//! Call scripts: the standard phone greeting and script per language, set once for the
//! organisation; a branch may add to them, never contradict them.

use crate::{BranchId, LanguageTag, LongText, ShortText, ValidationErrors};

/// The organisation's greeting and script in one language, or a branch's additions to
/// it (`branch_id` set, no greeting of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallScript {
    pub branch_id: Option<BranchId>,
    pub language: LanguageTag,
    /// "Vanakkam, Sri Murugan Stores, Meena speaking — how may I help you?" Only the
    /// organisation's scripts have one: a branch does not greet differently.
    pub greeting: Option<ShortText>,
    pub text: LongText,
}

/// A call script as typed.
#[derive(Debug, Clone, Default)]
pub struct CallScriptInput {
    pub language: Option<String>,
    pub greeting: Option<String>,
    pub text: Option<String>,
}

impl CallScript {
    /// The organisation's script in a language: a greeting and the script.
    pub fn parse_organisation(input: &CallScriptInput) -> Result<Self, ValidationErrors> {
        Self::parse(input, None)
    }

    /// A branch's additions: text only; a greeting would contradict the organisation's.
    pub fn parse_branch(input: &CallScriptInput, branch_id: BranchId) -> Result<Self, ValidationErrors> {
        Self::parse(input, Some(branch_id))
    }

    fn parse(input: &CallScriptInput, branch_id: Option<BranchId>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let language = errors.check_required("language", input.language.as_deref(), LanguageTag::parse);
        let greeting = match branch_id {
            None => errors.check_required("greeting", input.greeting.as_deref(), ShortText::parse),
            Some(_) => {
                if input.greeting.as_deref().is_some_and(|raw| !raw.trim().is_empty()) {
                    errors.push(
                        "greeting",
                        "is the organisation's: a branch adds to the script, it does not replace the greeting",
                    );
                }
                None
            }
        };
        let text = errors.check_required("text", input.text.as_deref(), LongText::parse);
        errors.into_result()?;
        match (language, text) {
            (Some(language), Some(text)) => Ok(Self { branch_id, language, greeting, text }),
            _ => Err(ValidationErrors::single("call_script", "is incomplete")),
        }
    }
}

/// What an agent reads on a call: the organisation's greeting and script in the
/// caller's language, then the branch's additions in that language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedScript {
    pub language: LanguageTag,
    pub greeting: ShortText,
    pub text: LongText,
    pub branch_additions: Option<LongText>,
}

/// Picks the script for a call in `wanted` (the caller's language), falling back to its
/// primary language (`ta-IN` → `ta`), then to English — the language a caller and a
/// branch most likely share when they share no other — then to `fallback` (the
/// branch's language). `scripts` holds the organisation's and the branch's.
pub fn resolve_script(
    scripts: &[CallScript],
    branch_id: Option<BranchId>,
    wanted: Option<&LanguageTag>,
    fallback: Option<&LanguageTag>,
) -> Option<ResolvedScript> {
    let organisation = |language: &str| {
        scripts
            .iter()
            .find(|script| script.branch_id.is_none() && script.language.as_str().eq_ignore_ascii_case(language))
    };
    let mut candidates: Vec<String> = Vec::new();
    if let Some(tag) = wanted {
        candidates.extend([tag.as_str().to_owned(), tag.primary().to_owned()]);
    }
    candidates.push("en".to_owned());
    if let Some(tag) = fallback {
        candidates.extend([tag.as_str().to_owned(), tag.primary().to_owned()]);
    }
    let chosen = candidates.iter().find_map(|language| organisation(language))?;
    let additions = branch_id.and_then(|branch_id| {
        scripts
            .iter()
            .find(|script| script.branch_id == Some(branch_id) && script.language == chosen.language)
            .map(|script| script.text.clone())
    });
    Some(ResolvedScript {
        language: chosen.language.clone(),
        greeting: chosen.greeting.clone()?,
        text: chosen.text.clone(),
        branch_additions: additions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(branch: Option<BranchId>, language: &str, greeting: Option<&str>, text: &str) -> CallScript {
        let input = CallScriptInput {
            language: Some(language.into()),
            greeting: greeting.map(Into::into),
            text: Some(text.into()),
        };
        match branch {
            None => CallScript::parse_organisation(&input).unwrap(),
            Some(branch) => CallScript::parse_branch(&input, branch).unwrap(),
        }
    }

    #[test]
    fn the_callers_language_then_english_then_the_branchs_with_the_branchs_additions() {
        let chennai = BranchId::from_uuid(uuid::Uuid::from_u128(1));
        let scripts = [
            script(None, "ta", Some("வணக்கம், முருகன் ஸ்டோர்ஸ்"), "பெயரைக் கேளுங்கள்."),
            script(None, "en", Some("Good morning, Murugan Stores"), "Ask their name."),
            script(Some(chennai), "ta", None, "சென்னை: தீபாவளி சலுகையைச் சொல்லுங்கள்."),
        ];
        let ta_in = LanguageTag::parse("ta-IN").unwrap();
        let tamil = resolve_script(&scripts, Some(chennai), Some(&ta_in), None).unwrap();
        assert_eq!(tamil.language.as_str(), "ta");
        assert!(tamil.branch_additions.unwrap().as_str().starts_with("சென்னை"));
        let gujarati = LanguageTag::parse("gu").unwrap();
        let english = resolve_script(&scripts, Some(chennai), Some(&gujarati), None).unwrap();
        assert_eq!((english.language.as_str(), english.branch_additions), ("en", None));
        let by_branch = resolve_script(&scripts[..1], None, Some(&gujarati), Some(&ta_in)).unwrap();
        assert_eq!(by_branch.language.as_str(), "ta", "the branch's language when there is no English script");
        assert!(resolve_script(&scripts[..1], None, Some(&gujarati), None).is_none());
    }

    #[test]
    fn a_branch_cannot_replace_the_greeting() {
        let input =
            CallScriptInput { language: Some("ta".into()), greeting: Some("Hello".into()), text: Some("x".into()) };
        let branch = BranchId::from_uuid(uuid::Uuid::from_u128(1));
        assert_eq!(CallScript::parse_branch(&input, branch).unwrap_err().0[0].field, "greeting");
        let no_greeting = CallScriptInput { greeting: None, ..input };
        assert_eq!(CallScript::parse_organisation(&no_greeting).unwrap_err().0[0].field, "greeting");
    }
}
