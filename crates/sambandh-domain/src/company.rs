//! Companies: the businesses customers work for or own, with their GST number and
//! founding date (an occasion for greetings).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::values::civil_date::parse_civil_date;
use crate::{
    BranchId, CompanyId, ContactId, Gstin, NameText, References, Script, ShortText, ValidationErrors, ValueError,
};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyInput {
    pub legal_name: Option<String>,
    pub other_names: Vec<(String, String)>,
    pub gstin: Option<String>,
    pub industry: Option<String>,
    pub founded_on: Option<String>,
    /// A branch id or name, resolved by the caller.
    pub branch: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCompany {
    pub legal_name: NameText,
    pub other_names: BTreeMap<Script, NameText>,
    pub gstin: Option<Gstin>,
    pub industry: Option<ShortText>,
    pub founded_on: Option<Date>,
    pub branch_id: Option<BranchId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    pub id: CompanyId,
    pub data: NewCompany,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
    /// The day the company's first deal was won: an occasion for greetings.
    pub first_deal_on: Option<jiff::civil::Date>,
}

/// A contact's place at a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyLink {
    pub contact_id: ContactId,
    pub company_id: CompanyId,
    pub role: Option<ShortText>,
}

impl NewCompany {
    pub fn parse(input: &CompanyInput, references: &impl References) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let legal_name = errors.check_required("legal_name", input.legal_name.as_deref(), NameText::parse);
        let mut other_names = BTreeMap::new();
        for (script_code, name) in &input.other_names {
            let field = format!("other_names.{}", script_code.trim());
            let (Some(script), Some(name)) =
                (errors.check(&field, Script::parse(script_code)), errors.check(&field, NameText::parse(name)))
            else {
                continue;
            };
            if Script::of_text(name.as_str()) == Some(script) {
                other_names.insert(script, name);
            } else {
                errors.push(field, format!("is not written in the {script} script"));
            }
        }
        let gstin = errors.check_opt("gstin", input.gstin.as_deref(), Gstin::parse);
        let industry = errors.check_opt("industry", input.industry.as_deref(), ShortText::parse);
        let founded_on = errors.check_opt("founded_on", input.founded_on.as_deref(), parse_civil_date);
        let branch_id = errors.check_opt("branch", input.branch.as_deref(), |raw| {
            references.branch(raw).ok_or_else(|| ValueError::new(format!("no branch is named '{raw}'")))
        });
        errors.into_result()?;
        let Some(legal_name) = legal_name else {
            return Err(ValidationErrors::single("legal_name", "is required"));
        };
        Ok(Self { legal_name, other_names, gstin, industry, founded_on, branch_id })
    }
}

impl From<&NewCompany> for CompanyInput {
    fn from(data: &NewCompany) -> Self {
        Self {
            legal_name: Some(data.legal_name.to_string()),
            other_names: data.other_names.iter().map(|(s, n)| (s.to_string(), n.to_string())).collect(),
            gstin: data.gstin.as_ref().map(ToString::to_string),
            industry: data.industry.as_ref().map(ToString::to_string),
            founded_on: data.founded_on.map(|d| d.to_string()),
            branch: data.branch_id.map(|id| id.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_with_gstin_and_tamil_name() {
        let input = CompanyInput {
            legal_name: Some("Sri Murugan Textiles Pvt. Ltd.".into()),
            other_names: vec![("Taml".into(), "ஸ்ரீ முருகன் டெக்ஸ்டைல்ஸ்".into())],
            gstin: Some("27AAPFU0939F1ZV".into()),
            founded_on: Some("01/04/1995".into()),
            ..CompanyInput::default()
        };
        let company = NewCompany::parse(&input, &crate::StoredIds).unwrap();
        assert_eq!(company.founded_on.unwrap().to_string(), "1995-04-01");
        assert_eq!(NewCompany::parse(&CompanyInput::from(&company), &crate::StoredIds).unwrap(), company);
    }

    #[test]
    fn bad_gstin_is_named() {
        let input = CompanyInput {
            legal_name: Some("X".into()),
            gstin: Some("27AAPFU0939F1ZX".into()),
            ..CompanyInput::default()
        };
        let errors = NewCompany::parse(&input, &crate::StoredIds).unwrap_err();
        assert_eq!(errors.0[0].field, "gstin");
    }
}
