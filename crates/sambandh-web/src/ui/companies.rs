//! Companies: the list a page at a time, and the company page with its people and
//! deals.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use minijinja::{Value, context};
use sambandh_app::{App, AppError};
use sambandh_domain::CompanyId;
use sambandh_store::{CompanyFilter, CompanySort, DealFilter, LinkOwner, PageRequest};
use serde::Deserialize;

use super::{Names, Page};
use crate::views::{CompanyView, ContactView, DealView};

pub fn routes() -> Router<App> {
    Router::new().route("/companies", get(list)).route("/companies/{id}", get(show))
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    cursor: Option<String>,
}

async fn list(State(app): State<App>, page: Page, Query(query): Query<ListQuery>) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let request = PageRequest { limit: 50, cursor: query.cursor.clone() };
    let found = match app.list_companies(&page.caller, &CompanyFilter::default(), CompanySort::Name, &request).await {
        Ok(found) => found,
        Err(err) => return page.error(&err),
    };
    let rows: Vec<Value> = found
        .items
        .iter()
        .map(|company| {
            let view = CompanyView::from(company);
            context! { branch_name => view.branch_id.as_deref().map(|id| names.branch(id)), ..Value::from_serialize(&view) }
        })
        .collect();
    page.render(
        "companies",
        "companies/list.html",
        context! {
            companies => rows,
            first_page => query.cursor.is_none(),
            next => found.next_cursor.map(|cursor| format!("/companies?cursor={}", super::form::url_encode(&cursor))),
        },
    )
}

async fn show(State(app): State<App>, page: Page, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<CompanyId>() else { return page.error(&AppError::NotFound) };
    let values = async {
        let names = Names::load(&app).await?;
        let company = app.company(&page.caller, id).await?;
        let pipeline = app.pipeline(&page.caller).await?;
        let mut people = Vec::new();
        for link in app.company_links(&page.caller, LinkOwner::Company(id)).await? {
            // People the caller may not see (another branch's) are left out.
            if let Ok(contact) = app.contact(&page.caller, link.contact_id).await {
                let view = ContactView::from(&contact);
                people.push((view, link.role.map(|role| role.to_string())));
            }
        }
        page.locale.sort_by_name(&mut people, |(view, _)| view.full_name.as_str());
        let deals = app
            .deals(
                &page.caller,
                &DealFilter { company_id: Some(id), ..DealFilter::default() },
                &PageRequest { limit: 50, cursor: None },
            )
            .await?;
        let view = CompanyView::from(&company);
        Ok::<_, AppError>(context! {
            company => &view,
            branch_name => view.branch_id.as_deref().map(|id| names.branch(id)),
            other_names => view.other_names.iter().map(|(script, name)| context! { script => script, name => name }).collect::<Vec<_>>(),
            people => people.iter().map(|(view, role)| context! { role => role, ..Value::from_serialize(view) }).collect::<Vec<_>>(),
            deals => deals.items.iter().map(|deal| DealView::new(deal, &pipeline)).collect::<Vec<_>>(),
            stage_names => super::stage_names(&pipeline),
        })
    }
    .await;
    match values {
        Ok(values) => page.render("companies", "companies/show.html", values),
        Err(err) => page.error(&err),
    }
}
