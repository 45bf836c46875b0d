//! Companies: the list a page at a time, and the company page with its people and
//! deals.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::{Value, context};
use sambandh_app::{App, AppError};
use sambandh_domain::{CompanyId, CompanyInput};
use sambandh_store::{CompanyFilter, CompanySort, DealFilter, LinkOwner, PageRequest};
use serde::Deserialize;

use super::form::FieldErrors;
use super::{Id, Names, Page, Posted};
use crate::views::{CompanyView, ContactView, DealView};

pub fn routes() -> Router<App> {
    Router::new().route("/companies", get(list).post(create)).route("/companies/{id}", get(show))
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    cursor: Option<String>,
}

async fn list(State(app): State<App>, page: Page, Query(query): Query<ListQuery>) -> Response {
    render_list(&app, &page, &query, StatusCode::OK, None, FieldErrors::default()).await
}

/// The list, with the new-company form: empty (the caller's branch chosen), or as
/// typed with its errors.
async fn render_list(
    app: &App,
    page: &Page,
    query: &ListQuery,
    status: StatusCode,
    typed: Option<std::collections::BTreeMap<String, String>>,
    errors: FieldErrors,
) -> Response {
    let names = match Names::load(app).await {
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
    let values = typed.unwrap_or_else(|| {
        page.caller.branch_id().map(|branch| ("branch".to_owned(), branch.to_string())).into_iter().collect()
    });
    page.render_status(
        status,
        "companies",
        "companies/list.html",
        context! {
            values => values,
            errors => errors,
            branches => names.branch_options(page.locale),
            companies => rows,
            first_page => query.cursor.is_none(),
            next => found.next_cursor.map(|cursor| format!("/companies?cursor={}", super::form::url_encode(&cursor))),
        },
    )
}

async fn show(State(app): State<App>, page: Page, Id(id): Id<CompanyId>) -> Response {
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

/// Adds a company: its legal name, its name in the branch's script, GSTIN, industry,
/// founding date and branch.
async fn create(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let mut other_names = Vec::new();
    if let Some(native) = fields.value("native_name") {
        let script = sambandh_domain::Script::of_text(&native).map_or_else(|| "Latn".to_owned(), |s| s.to_string());
        other_names.push((script, native));
    }
    let input = CompanyInput {
        legal_name: fields.value("legal_name"),
        other_names,
        gstin: fields.value("gstin"),
        industry: fields.value("industry"),
        founded_on: fields.value("founded_on"),
        branch: fields.value("branch"),
    };
    match app.create_company(&page.caller, &input).await {
        Ok(company) => Redirect::to(&format!("/companies/{}", company.id)).into_response(),
        Err(err) => {
            let errors = match err {
                AppError::Validation(errors) => {
                    let renamed = [("branch_id", "branch")];
                    let mut shown = FieldErrors::from_validation(&errors, page.locale, &renamed);
                    // A name in another script is the one native name field.
                    let native: Vec<String> = shown.0.keys().filter(|key| key.starts_with("name_")).cloned().collect();
                    for key in native {
                        if let Some(message) = shown.0.remove(&key) {
                            shown.0.insert("native_name".to_owned(), message);
                        }
                    }
                    shown
                }
                AppError::Conflict { field } => FieldErrors::single(field, page.text("reason-taken")),
                err => return page.error(&err),
            };
            let typed = Some(fields.typed());
            render_list(&app, &page, &ListQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, typed, errors).await
        }
    }
}
