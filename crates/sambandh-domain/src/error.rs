//! Errors of the domain: a value that breaks a rule says why; a command names the field.

use std::fmt;

/// Why a single value was refused, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

impl ValueError {
    pub fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }
}

/// A refused value together with the field it was given for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// Every refused field of one command, in the order the fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self(vec![FieldError { field: field.into(), reason: reason.into() }])
    }

    pub fn push(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), reason: reason.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records the error of `result` under `field`, returning the value when there was none.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ValueError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.push(field, err.0);
                None
            }
        }
    }

    /// Like [`Self::check`] for an optional raw value: `None` in, `None` out, no error.
    pub fn check_opt<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        let raw = raw.map(str::trim).filter(|raw| !raw.is_empty())?;
        self.check(field, parse(raw))
    }

    /// Like [`Self::check_opt`] for a value that must be given: a missing or blank one
    /// is recorded as "is required".
    pub fn check_required<T>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        match raw.map(str::trim).filter(|raw| !raw.is_empty()) {
            Some(raw) => self.check(field, parse(raw)),
            None => {
                self.push(field, "is required");
                None
            }
        }
    }

    /// Checks a list entry by entry (`field[idx]`), skipping blanks and dropping
    /// repeats, and refuses more than `max` entries.
    pub fn check_list<T: PartialEq>(
        &mut self,
        field: &str,
        raws: &[String],
        max: usize,
        parse: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Vec<T> {
        let mut values = Vec::new();
        for (idx, raw) in raws.iter().enumerate().filter(|(_, raw)| !raw.trim().is_empty()) {
            if let Some(value) = self.check(&format!("{field}[{idx}]"), parse(raw))
                && !values.contains(&value)
            {
                values.push(value);
            }
        }
        if values.len() > max {
            self.push(field, format!("has {} entries; at most {max} are allowed", values.len()));
        }
        values
    }

    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, error) in self.0.iter().enumerate() {
            if idx > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}
