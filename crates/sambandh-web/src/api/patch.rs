//! JSON merge patches (RFC 7396) of a record's typed input: what `PATCH` takes.

use sambandh_domain::ValidationErrors;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// A merge patch whose shape (texts where texts go, lists of texts, maps of texts) has
/// been checked, so that applying it cannot fail half-way.
pub struct MergePatch<T> {
    fields: Map<String, Value>,
    apply: Apply<T>,
}

/// Applies a patch to an input, recording what does not fit.
pub type Apply<T> = fn(&mut T, &MergePatch<T>, &mut ValidationErrors);

impl<T: Default> MergePatch<T> {
    /// Parses the body and checks its shape by applying it to a scratch input.
    pub fn parse(body: &[u8], apply: Apply<T>) -> Result<Self, ApiError> {
        let fields: Map<String, Value> = serde_json::from_slice(body)
            .map_err(|err| ApiError::BadRequest(format!("the request body is not a JSON object: {err}")))?;
        let patch = Self { fields, apply };
        let mut errors = ValidationErrors::default();
        apply(&mut T::default(), &patch, &mut errors);
        errors.into_result().map_err(sambandh_app::AppError::from)?;
        Ok(patch)
    }

    /// Applies the (checked) patch.
    pub fn apply_to(&self, input: &mut T) {
        (self.apply)(input, self, &mut ValidationErrors::default());
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(field, value)| (field.as_str(), value))
    }
}

/// A text field: a text sets it, `null` clears it.
pub fn text(slot: &mut Option<String>, field: &str, value: &Value, errors: &mut ValidationErrors) {
    match value {
        Value::Null => *slot = None,
        Value::String(text) => *slot = Some(text.clone()),
        _ => errors.push(field, "must be a text or null"),
    }
}

/// A list of texts, replaced whole; `null` empties it.
pub fn list(list: &mut Vec<String>, field: &str, value: &Value, errors: &mut ValidationErrors) {
    match value {
        Value::Null => list.clear(),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            *list = items.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        }
        _ => errors.push(field, "must be a list of texts or null"),
    }
}

/// A map of texts, merged key by key: `null` for a key removes it, `null` for the map
/// empties it.
pub fn map(map: &mut Vec<(String, String)>, field: &str, value: &Value, errors: &mut ValidationErrors) {
    match value {
        Value::Null => map.clear(),
        Value::Object(entries) => {
            for (key, entry) in entries {
                map.retain(|(known, _)| known != key);
                match entry {
                    Value::Null => {}
                    Value::String(text) => map.push((key.clone(), text.clone())),
                    _ => errors.push(format!("{field}.{key}"), "must be a text or null"),
                }
            }
        }
        _ => errors.push(field, "must be an object of texts or null"),
    }
}
