//! HTML forms: the posted fields, the errors shown next to them, and the small
//! checks every form shares.

use std::collections::BTreeMap;

use sambandh_domain::ValidationErrors;
use serde::Serialize;

use super::i18n::Locale;

/// The fields of a posted form, in order; a name may repeat (a list of phones).
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, as typed; "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str())
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn value(&self, name: &str) -> Option<String> {
        let value = self.get(name).trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// Every non-blank value of `name`, and every line of each (a textarea holds one
    /// entry per line).
    pub fn lines(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .flat_map(|(_, value)| value.lines())
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The values as the template shows them back: name → value as typed.
    pub fn typed(&self) -> BTreeMap<String, String> {
        let mut typed = BTreeMap::new();
        for (key, value) in &self.0 {
            typed.entry(key.clone()).or_insert_with(|| value.clone());
        }
        typed
    }
}

/// Each refused field's message, by the form field it belongs to, in the page's
/// language where the reason is a common one.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    /// The errors of `errors`, each under its form field: `emails[1]` is shown under
    /// `emails`; `rename` maps the domain's field names to the form's where they differ.
    pub fn from_validation(errors: &ValidationErrors, locale: Locale, rename: &[(&str, &str)]) -> Self {
        let mut shown = BTreeMap::new();
        for error in &errors.0 {
            let base = error.field.split('[').next().unwrap_or(&error.field);
            // A name in another script (`other_names.Taml`) has its own field.
            let script_field = base.strip_prefix("other_names.").map(|script| format!("name_{script}"));
            let field = script_field
                .as_deref()
                .unwrap_or_else(|| rename.iter().find(|(from, _)| *from == base).map_or(base, |(_, to)| *to));
            let message = reason(field, &error.reason, locale);
            shown
                .entry(field.to_owned())
                .and_modify(|existing: &mut String| {
                    existing.push_str("; ");
                    existing.push_str(&message);
                })
                .or_insert(message);
        }
        Self(shown)
    }

    pub fn single(field: &str, message: String) -> Self {
        Self(BTreeMap::from([(field.to_owned(), message)]))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A refusal's reason in the page's language. The domain words its reasons in
/// English, precisely; in English they are shown as they are. In the other
/// languages the reasons of the common fields have messages (`reason-…`); the rest
/// are shown in English.
fn reason(field: &str, english: &str, locale: Locale) -> String {
    if locale == Locale::default() {
        return english.to_owned();
    }
    let key = match (field, english) {
        (_, "is required" | "must not be empty") => "reason-required",
        (_, "is already used by another record") => "reason-taken",
        ("emails" | "email", _) => "reason-email",
        ("phones" | "phone", _) => "reason-phone",
        ("pin_code", _) => "reason-pin",
        ("gstin", _) => "reason-gstin",
        ("birthday", _) => "reason-date",
        (field, _) if field.starts_with("name_") && field != "name_latin" => "reason-script",
        _ => return english.to_owned(),
    };
    locale.text(key)
}

/// `path` if it is a path of this site (so that `?next=` cannot send the browser
/// elsewhere).
pub fn local_path(path: &str) -> Option<&str> {
    (path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\") && !path.contains(['\r', '\n']))
        .then_some(path)
}

/// Percent-encodes `text` for a query string value.
pub fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_followed() {
        assert_eq!(local_path("/contacts?q=x"), Some("/contacts?q=x"));
        assert_eq!(local_path("//evil.example/"), None);
        assert_eq!(local_path("/\\evil.example/"), None);
        assert_eq!(local_path("https://evil.example/"), None);
        assert_eq!(local_path(""), None);
    }

    #[test]
    fn list_fields_take_every_line_and_every_repeat() {
        let fields = Fields(vec![
            ("phones".into(), "98400 12345\r\n\r\n 044 2345 6789 ".into()),
            ("phones".into(), "+91 99999 00000".into()),
            ("given_name".into(), "  கார்த்திக் ".into()),
        ]);
        assert_eq!(fields.lines("phones"), ["98400 12345", "044 2345 6789", "+91 99999 00000"]);
        assert_eq!(fields.value("given_name").as_deref(), Some("கார்த்திக்"));
        assert_eq!(fields.value("family_name"), None);
    }

    #[test]
    fn errors_are_shown_under_their_form_field() {
        let mut errors = ValidationErrors::default();
        errors.push("emails[1]", "is not a valid e-mail address");
        errors.push("given_name", "is required");
        errors.push("branch_id", "no branch is named 'Pune'");
        errors.push("other_names.Taml", "is not written in the Taml script");
        let shown = FieldErrors::from_validation(&errors, Locale::default(), &[("branch_id", "branch")]);
        assert_eq!(shown.0["emails"], "is not a valid e-mail address");
        assert_eq!(shown.0["given_name"], "is required");
        assert_eq!(shown.0["branch"], "no branch is named 'Pune'");
        assert_eq!(shown.0["name_Taml"], "is not written in the Taml script");
    }
}
