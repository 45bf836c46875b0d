//! Custom fields: the business's own facts about a contact, as key → text.

use std::collections::BTreeMap;

use crate::ValueError;
use crate::values::text::ShortText;

/// A custom field's key: lower-case ASCII letters, digits and `_`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomFieldKey(String);

impl CustomFieldKey {
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let key = raw.trim();
        let valid = (1..=64).contains(&key.len())
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(ValueError::new(format!(
                "custom field key '{key}' must be 1-64 of a-z, 0-9 and _, starting with a letter"
            )));
        }
        Ok(Self(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// At most 50 fields, each value a one-line text of at most 500 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomFields(BTreeMap<CustomFieldKey, ShortText>);

impl CustomFields {
    pub const MAX_FIELDS: usize = 50;

    pub fn parse<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ValueError> {
        let mut fields = BTreeMap::new();
        for (key, value) in pairs {
            let key = CustomFieldKey::parse(key)?;
            let value = ShortText::parse(value).map_err(|err| ValueError::new(format!("{}: {err}", key.as_str())))?;
            fields.insert(key, value);
        }
        if fields.len() > Self::MAX_FIELDS {
            return Err(ValueError::new(format!(
                "has {} fields; at most {} are allowed",
                fields.len(),
                Self::MAX_FIELDS
            )));
        }
        Ok(Self(fields))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(key, value)| (key.as_str(), value.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_fields() {
        let fields = CustomFields::parse([("shop_size", " large "), ("anniversary", "1999-05-01")]).unwrap();
        assert_eq!(fields.iter().collect::<Vec<_>>(), [("anniversary", "1999-05-01"), ("shop_size", "large")]);
        assert!(CustomFields::parse([("Shop Size", "x")]).unwrap_err().0.contains("a-z"));
        assert!(CustomFields::parse([("gst_note", "")]).unwrap_err().0.contains("gst_note: must not be empty"));
    }
}
