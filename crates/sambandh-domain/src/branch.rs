//! Branches: the shops, offices and hotels of the business, each with its own city,
//! region, time zone and default language.

use jiff::Timestamp;

use crate::{BranchId, LanguageTag, NameText, Region, TimeZoneName, ValidationErrors};

#[derive(Debug, Clone, Default)]
pub struct BranchInput {
    pub name: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub time_zone: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBranch {
    pub name: NameText,
    pub city: NameText,
    pub region: Region,
    pub time_zone: TimeZoneName,
    pub language: LanguageTag,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub id: BranchId,
    pub data: NewBranch,
    pub created_at: Timestamp,
}

impl NewBranch {
    pub fn parse(input: &BranchInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut required = |field: &str, raw: &Option<String>| {
            let value = raw.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if value.is_none() {
                errors.push(field, "is required");
            }
            value.map(str::to_owned)
        };
        let name = required("name", &input.name);
        let city = required("city", &input.city);
        let region = required("region", &input.region);
        let time_zone = required("time_zone", &input.time_zone);
        let language = required("language", &input.language);
        let name = errors.check_opt("name", name.as_deref(), NameText::parse);
        let city = errors.check_opt("city", city.as_deref(), NameText::parse);
        let region = errors.check_opt("region", region.as_deref(), Region::parse);
        let time_zone = errors.check_opt("time_zone", time_zone.as_deref(), TimeZoneName::parse);
        let language = errors.check_opt("language", language.as_deref(), LanguageTag::parse);
        errors.into_result()?;
        match (name, city, region, time_zone, language) {
            (Some(name), Some(city), Some(region), Some(time_zone), Some(language)) => {
                Ok(Self { name, city, region, time_zone, language })
            }
            _ => Err(ValidationErrors::single("branch", "is incomplete")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_needs_every_field() {
        let input = BranchInput {
            name: Some("Chennai".into()),
            city: Some("Chennai".into()),
            region: Some("IN-TX".into()),
            time_zone: None,
            language: Some("ta".into()),
        };
        let errors = NewBranch::parse(&input).unwrap_err();
        assert_eq!(
            errors.to_string(),
            "time_zone: is required; region: IN-TX is not an Indian state or union territory"
        );
    }
}
