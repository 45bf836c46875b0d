//! Companies and the links between contacts and companies.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sambandh_domain::{
    BranchId, Company, CompanyId, CompanyInput, CompanyLink, ContactId, NewCompany, Scope, ShortText,
};
use sea_query::{Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::contacts::instant;
use crate::db::{Exec, execute, fetch_all, fetch_optional};
use crate::error::conflict_on;
use crate::paging::{Keyset, fetch_page};
use crate::schema::{Companies, ContactCompanies};
use crate::scope;
use crate::{Page, PageRequest, Store, StoreError, Tx};

#[derive(Debug, Clone, Default)]
pub struct CompanyFilter {
    pub branch_id: Option<BranchId>,
    pub updated_since: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CompanySort {
    #[default]
    Created,
    CreatedDesc,
    Name,
    NameDesc,
}

impl CompanySort {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "created" | "created_at" => Self::Created,
            "-created" | "-created_at" => Self::CreatedDesc,
            "name" => Self::Name,
            "-name" => Self::NameDesc,
            _ => return None,
        })
    }

    fn keyset(self) -> Keyset {
        let descending = matches!(self, Self::CreatedDesc | Self::NameDesc);
        match self {
            Self::Created | Self::CreatedDesc => Keyset::new("created", Companies::Id, true, Companies::Id, descending),
            Self::Name | Self::NameDesc => Keyset::new("name", Companies::SortName, true, Companies::Id, descending),
        }
    }
}

const COLUMNS: [Companies; 12] = [
    Companies::Id,
    Companies::LegalName,
    Companies::OtherNames,
    Companies::Gstin,
    Companies::Industry,
    Companies::FoundedOn,
    Companies::BranchId,
    Companies::SortName,
    Companies::CreatedAt,
    Companies::UpdatedAt,
    Companies::Version,
    Companies::FirstDealOn,
];

fn select() -> SelectStatement {
    Query::select().columns(COLUMNS).from(Companies::Table).to_owned()
}

impl Store {
    /// The company with this id, if it exists and is in scope.
    pub async fn company(&self, scope: &Scope, id: CompanyId) -> Result<Option<Company>, StoreError> {
        let mut conn = self.reader().await?;
        get(&mut conn, scope, id).await
    }

    pub async fn companies(
        &self,
        scope: &Scope,
        filter: &CompanyFilter,
        sort: CompanySort,
        page: &PageRequest,
    ) -> Result<Page<Company>, StoreError> {
        let mut query = select();
        scope::companies_in(&mut query, scope);
        if let Some(branch_id) = filter.branch_id {
            query.and_where(Expr::col(Companies::BranchId).eq(branch_id.to_string()));
        }
        if let Some(since) = filter.updated_since {
            query.and_where(Expr::col(Companies::UpdatedAt).gte(since.as_microsecond()));
        }
        let mut conn = self.reader().await?;
        fetch_page(&mut conn, query, &sort.keyset(), page, from_row).await
    }

    /// The companies a contact belongs to, or the contacts of a company; only links
    /// between a contact and a company that are both in scope.
    pub async fn company_links(&self, scope: &Scope, of: LinkOwner) -> Result<Vec<CompanyLink>, StoreError> {
        let mut conn = self.reader().await?;
        let mut query = Query::select()
            .columns([ContactCompanies::ContactId, ContactCompanies::CompanyId, ContactCompanies::Role])
            .from(ContactCompanies::Table)
            .to_owned();
        match of {
            LinkOwner::Contact(id) => query
                .and_where(Expr::col(ContactCompanies::ContactId).eq(id.to_string()))
                .order_by(ContactCompanies::CompanyId, Order::Asc),
            LinkOwner::Company(id) => query
                .and_where(Expr::col(ContactCompanies::CompanyId).eq(id.to_string()))
                .order_by(ContactCompanies::ContactId, Order::Asc),
        };
        if let Some(contacts) = scope::contact_ids(scope) {
            query.and_where(Expr::col(ContactCompanies::ContactId).in_subquery(contacts));
        }
        if let Some(companies) = scope::company_ids(scope) {
            query.and_where(Expr::col(ContactCompanies::CompanyId).in_subquery(companies));
        }
        fetch_all(&mut conn, &query).await?.iter().map(link_from_row).collect()
    }
}

/// Whose links to read.
#[derive(Debug, Clone, Copy)]
pub enum LinkOwner {
    Contact(ContactId),
    Company(CompanyId),
}

impl Tx {
    /// The company with this id, if it exists and is in scope.
    pub async fn company(&mut self, scope: &Scope, id: CompanyId) -> Result<Option<Company>, StoreError> {
        get(self, scope, id).await
    }

    pub async fn insert_company(&mut self, company: &Company) -> Result<(), StoreError> {
        let mut values: Vec<Expr> = vec![company.id.to_string().into()];
        values.extend(row_values(&company.data));
        values.extend([
            company.created_at.as_microsecond().into(),
            company.updated_at.as_microsecond().into(),
            company.version.into(),
            company.first_deal_on.map(|date| date.to_string()).into(),
        ]);
        let insert = Query::insert().into_table(Companies::Table).columns(COLUMNS).values_panic(values).to_owned();
        execute(self, &insert).await.map_err(|err| conflict_on(err, "gstin"))?;
        Ok(())
    }

    pub async fn update_company(
        &mut self,
        id: CompanyId,
        expected_version: Option<i64>,
        data: &NewCompany,
        now: Timestamp,
    ) -> Result<Company, StoreError> {
        let mut update = Query::update().table(Companies::Table).to_owned();
        for (column, value) in COLUMNS[1..8].iter().copied().zip(row_values(data)) {
            update.value(column, value);
        }
        update
            .value(Companies::UpdatedAt, now.as_microsecond())
            .value(Companies::Version, Expr::col(Companies::Version).add(1))
            .and_where(Expr::col(Companies::Id).eq(id.to_string()));
        if let Some(version) = expected_version {
            update.and_where(Expr::col(Companies::Version).eq(version));
        }
        if execute(self, &update).await.map_err(|err| conflict_on(err, "gstin"))? == 0 {
            let current = get(self, &Scope::Everything, id).await?.ok_or(StoreError::NotFound)?;
            return Err(StoreError::VersionMismatch {
                expected: expected_version.unwrap_or(current.version),
                current: current.version,
            });
        }
        get(self, &Scope::Everything, id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn delete_company(&mut self, id: CompanyId) -> Result<(), StoreError> {
        let unlink = Query::delete()
            .from_table(ContactCompanies::Table)
            .and_where(Expr::col(ContactCompanies::CompanyId).eq(id.to_string()))
            .to_owned();
        execute(self, &unlink).await?;
        let delete = Query::delete()
            .from_table(Companies::Table)
            .and_where(Expr::col(Companies::Id).eq(id.to_string()))
            .to_owned();
        match execute(self, &delete).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    /// Links a contact to a company, or changes the role of an existing link.
    pub async fn link_contact(&mut self, link: &CompanyLink) -> Result<(), StoreError> {
        let insert = Query::insert()
            .into_table(ContactCompanies::Table)
            .columns([ContactCompanies::ContactId, ContactCompanies::CompanyId, ContactCompanies::Role])
            .values_panic([
                link.contact_id.to_string().into(),
                link.company_id.to_string().into(),
                link.role.as_ref().map(ToString::to_string).into(),
            ])
            .on_conflict(
                OnConflict::columns([ContactCompanies::ContactId, ContactCompanies::CompanyId])
                    .update_column(ContactCompanies::Role)
                    .to_owned(),
            )
            .to_owned();
        execute(self, &insert).await?;
        Ok(())
    }

    pub async fn unlink_contact(&mut self, contact_id: ContactId, company_id: CompanyId) -> Result<(), StoreError> {
        let delete = Query::delete()
            .from_table(ContactCompanies::Table)
            .and_where(Expr::col(ContactCompanies::ContactId).eq(contact_id.to_string()))
            .and_where(Expr::col(ContactCompanies::CompanyId).eq(company_id.to_string()))
            .to_owned();
        match execute(self, &delete).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }
}

async fn get(db: &mut impl Exec, scope: &Scope, id: CompanyId) -> Result<Option<Company>, StoreError> {
    let mut query = select().and_where(Expr::col(Companies::Id).eq(id.to_string())).to_owned();
    scope::companies_in(&mut query, scope);
    fetch_optional(db, &query).await?.as_ref().map(from_row).transpose()
}

/// Values of `COLUMNS[1..8]`, in that order.
fn row_values(data: &NewCompany) -> Vec<Expr> {
    let other_names: BTreeMap<String, &str> =
        data.other_names.iter().map(|(script, name)| (script.to_string(), name.as_str())).collect();
    vec![
        data.legal_name.as_str().into(),
        serde_json::to_string(&other_names).unwrap_or_else(|_| "{}".into()).into(),
        data.gstin.as_ref().map(ToString::to_string).into(),
        data.industry.as_ref().map(ToString::to_string).into(),
        data.founded_on.map(|date| date.to_string()).into(),
        data.branch_id.map(|id| id.to_string()).into(),
        data.legal_name.as_str().to_lowercase().into(),
    ]
}

fn from_row(row: &AnyRow) -> Result<Company, StoreError> {
    let id: String = row.try_get("id")?;
    let other_names_json: String = row.try_get("other_names")?;
    let other_names: BTreeMap<String, String> = serde_json::from_str(&other_names_json)
        .map_err(|err| StoreError::Corrupt(format!("company {id} other_names: {err}")))?;
    let input = CompanyInput {
        legal_name: row.try_get("legal_name")?,
        other_names: other_names.into_iter().collect(),
        gstin: row.try_get("gstin")?,
        industry: row.try_get("industry")?,
        founded_on: row.try_get("founded_on")?,
        branch: row.try_get("branch_id")?,
    };
    let data = NewCompany::parse(&input, &sambandh_domain::StoredIds)
        .map_err(|errors| StoreError::Corrupt(format!("company {id}: {errors}")))?;
    Ok(Company {
        id: id.parse().map_err(|_| StoreError::Corrupt(format!("company id {id}")))?,
        data,
        created_at: instant(row, "created_at")?,
        updated_at: instant(row, "updated_at")?,
        version: row.try_get("version")?,
        first_deal_on: crate::contacts::civil_date(row, "first_deal_on")?,
    })
}

fn link_from_row(row: &AnyRow) -> Result<CompanyLink, StoreError> {
    let contact_id: String = row.try_get("contact_id")?;
    let company_id: String = row.try_get("company_id")?;
    let role: Option<String> = row.try_get("role")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("contact_companies {what}"));
    Ok(CompanyLink {
        contact_id: contact_id.parse().map_err(|_| corrupt("contact_id"))?,
        company_id: company_id.parse().map_err(|_| corrupt("company_id"))?,
        role: role.as_deref().map(ShortText::parse).transpose().map_err(|_| corrupt("role"))?,
    })
}
