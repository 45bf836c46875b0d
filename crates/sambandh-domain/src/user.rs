//! Staff accounts: who works with the customers, in which branch, in which languages.

use jiff::Timestamp;

use crate::{BranchId, EmailAddress, LanguageTag, NameText, References, Role, UserId, ValidationErrors, ValueError};

#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    /// A branch id or name.
    pub branch: Option<String>,
    /// The languages the person speaks (BCP 47), for routing customers to them.
    pub languages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: EmailAddress,
    pub name: NameText,
    pub role: Role,
    pub branch_id: Option<BranchId>,
    pub languages: Vec<LanguageTag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub data: NewUser,
    pub created_at: Timestamp,
}

const MAX_LANGUAGES: usize = 20;

impl NewUser {
    /// Managers and agents work in a branch, so they need one; owners, admins and
    /// viewers may have one.
    pub fn parse(input: &UserInput, references: &impl References) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let email = errors.check_required("email", input.email.as_deref(), EmailAddress::parse);
        let name = errors.check_required("name", input.name.as_deref(), NameText::parse);
        let role = errors.check_required("role", input.role.as_deref(), Role::parse);
        let branch_id = errors.check_opt("branch", input.branch.as_deref(), |raw| {
            references.branch(raw).ok_or_else(|| ValueError::new(format!("no branch is named '{raw}'")))
        });
        if matches!(role, Some(Role::Manager | Role::Agent)) && branch_id.is_none() && input.branch.is_none() {
            errors.push("branch", "is required for a manager or an agent");
        }
        let languages = errors.check_list("languages", &input.languages, MAX_LANGUAGES, LanguageTag::parse);
        errors.into_result()?;
        match (email, name, role) {
            (Some(email), Some(name), Some(role)) => Ok(Self { email, name, role, branch_id, languages }),
            _ => Err(ValidationErrors::single("user", "is incomplete")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoredIds;

    #[test]
    fn an_agent_needs_a_branch_and_languages_are_checked() {
        let input = UserInput {
            email: Some("Meena@Shop.IN".into()),
            name: Some("மீனா".into()),
            role: Some("agent".into()),
            branch: None,
            languages: vec!["ta".into(), "english".into()],
        };
        let errors = NewUser::parse(&input, &StoredIds).unwrap_err();
        assert_eq!(
            errors.to_string(),
            "branch: is required for a manager or an agent; languages[1]: is not a BCP 47 language tag such as hi, ta, gu or en-IN"
        );
        let owner = NewUser::parse(
            &UserInput { role: Some("owner".into()), languages: vec!["ta".into()], ..input },
            &StoredIds,
        )
        .unwrap();
        assert_eq!((owner.email.as_str(), owner.role), ("Meena@shop.in", Role::Owner));
    }
}
