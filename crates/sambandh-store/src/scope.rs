//! A member of staff's [`Scope`] as a condition in the query itself, so that a list, a
//! lookup, a count or a read by id can only ever return records in scope.

use sambandh_domain::Scope;
use sea_query::{Cond, Expr, ExprTrait, IntoColumnRef, Query, SelectStatement};

use crate::schema::{Companies, Contacts};

/// Narrows a query over `contacts` to the contacts in scope.
pub(crate) fn contacts_in(query: &mut SelectStatement, scope: &Scope) {
    if let Some(condition) = contact_condition(scope) {
        query.cond_where(condition);
    }
}

/// Narrows a query over `companies` to the companies in scope.
pub(crate) fn companies_in(query: &mut SelectStatement, scope: &Scope) {
    if let Some(condition) = company_condition(scope) {
        query.cond_where(condition);
    }
}

/// The ids of the contacts in scope, for filtering rows of other tables; `None` for
/// everything.
pub(crate) fn contact_ids(scope: &Scope) -> Option<SelectStatement> {
    let condition = contact_condition(scope)?;
    Some(Query::select().column(Contacts::Id).from(Contacts::Table).cond_where(condition).to_owned())
}

/// The ids of the companies in scope; `None` for everything.
pub(crate) fn company_ids(scope: &Scope) -> Option<SelectStatement> {
    let condition = company_condition(scope)?;
    Some(Query::select().column(Companies::Id).from(Companies::Table).cond_where(condition).to_owned())
}

/// The same rule as [`Scope::covers_contact`].
fn contact_condition(scope: &Scope) -> Option<Cond> {
    branch_or_owner(scope, (Contacts::Table, Contacts::BranchId), (Contacts::Table, Contacts::OwnerId))
}

/// Narrows a query over a table of records that, like contacts, belong to a branch
/// and may be assigned to a member of staff (deals).
pub(crate) fn owned_in(
    query: &mut SelectStatement,
    scope: &Scope,
    branch: impl IntoColumnRef + Clone,
    owner: impl IntoColumnRef + Clone,
) {
    if let Some(condition) = branch_or_owner(scope, branch, owner) {
        query.cond_where(condition);
    }
}

/// [`Scope::covers_contact`] over the given branch and owner columns.
fn branch_or_owner(scope: &Scope, branch: impl IntoColumnRef, owner: impl IntoColumnRef) -> Option<Cond> {
    match scope {
        Scope::Everything => None,
        Scope::Branch { branch_id, user_id } => {
            let mut any = Cond::any().add(Expr::col(owner).eq(user_id.to_string()));
            if let Some(branch_id) = branch_id {
                any = any.add(Expr::col(branch).eq(branch_id.to_string()));
            }
            Some(any)
        }
    }
}

/// The same rule as [`Scope::covers_company`].
fn company_condition(scope: &Scope) -> Option<Cond> {
    match scope {
        Scope::Everything => None,
        Scope::Branch { branch_id, .. } => {
            let mut any = Cond::any().add(Expr::col((Companies::Table, Companies::BranchId)).is_null());
            if let Some(branch_id) = branch_id {
                any = any.add(Expr::col((Companies::Table, Companies::BranchId)).eq(branch_id.to_string()));
            }
            Some(any)
        }
    }
}
