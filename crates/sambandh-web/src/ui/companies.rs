//! Companies: the list a page at a time, with the form to add one; the company page
//! with its people (linked and unlinked there) and deals; the form to change a
//! company, which shows a conflict instead of overwriting.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use sambandh_app::{App, AppError};
use sambandh_domain::{Action, Company, CompanyId, CompanyInput};
use sambandh_store::{CompanyFilter, CompanySort, DealFilter, LinkOwner, PageRequest};
use serde::Deserialize;

use super::form::{FieldErrors, Fields};
use super::{Id, Names, Page, Posted};
use crate::views::{CompanyView, ContactView, DealView};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/companies", get(list).post(create))
        .route("/companies/{id}", get(show))
        .route("/companies/{id}/edit", get(edit_form).post(update))
        .route("/companies/{id}/people", post(link_person))
        .route("/companies/{id}/unlink", post(unlink_person))
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
    typed: Option<BTreeMap<String, String>>,
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
    match company_page(&app, &page, id).await {
        Ok(values) => page.render("companies", "companies/show.html", values),
        Err(err) => page.error(&err),
    }
}

/// Everything the company page shows, each part read within the caller's rights.
async fn company_page(app: &App, page: &Page, id: CompanyId) -> Result<Value, AppError> {
    let names = Names::load(app).await?;
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
    Ok(context! {
        company => &view,
        may_edit => may_change(page, &company),
        branch_name => view.branch_id.as_deref().map(|id| names.branch(id)),
        other_names => view.other_names.iter().map(|(script, name)| context! { script => script, name => name }).collect::<Vec<_>>(),
        people => people.iter().map(|(view, role)| context! { role => role, ..Value::from_serialize(view) }).collect::<Vec<_>>(),
        deals => deals.items.iter().map(|deal| DealView::new(deal, &pipeline)).collect::<Vec<_>>(),
        stage_names => super::stage_names(&pipeline),
    })
}

/// Whether the caller may change the company: the same rule `App::update_company`
/// applies (a shared company, of no branch, is changed by owners and admins only).
fn may_change(page: &Page, company: &Company) -> bool {
    page.role().may(Action::Write) && page.caller.scope().may_change_company(company.data.branch_id)
}

/// Adds a company: its legal name, its name in the branch's script, GSTIN, industry,
/// founding date and branch.
async fn create(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let mut input = CompanyInput::default();
    input_of(&fields, &mut input);
    match app.create_company(&page.caller, &input).await {
        Ok(company) => Redirect::to(&format!("/companies/{}", company.id)).into_response(),
        Err(err) => match field_errors(&page, err) {
            Ok(errors) => {
                let typed = Some(fields.typed());
                render_list(&app, &page, &ListQuery::default(), StatusCode::UNPROCESSABLE_ENTITY, typed, errors).await
            }
            Err(err) => page.error(&err),
        },
    }
}

/// The form's fields applied to a company's input. Every field of the form is set, so
/// that a field emptied in the form is cleared in the record.
///
/// The form has one field for a name in another script (the native name, as on the
/// signboard): it replaces the name it showed ([`native_name`]); the company's names
/// in other scripts stay as they are.
fn input_of(fields: &Fields, into: &mut CompanyInput) {
    into.legal_name = fields.value("legal_name");
    into.gstin = fields.value("gstin");
    into.industry = fields.value("industry");
    into.founded_on = fields.value("founded_on");
    into.branch = fields.value("branch");
    if let Some(shown) = native_name(&into.other_names) {
        into.other_names.remove(shown);
    }
    if let Some(native) = fields.value("native_name") {
        let script = sambandh_domain::Script::of_text(&native).map_or_else(|| "Latn".to_owned(), |s| s.to_string());
        into.other_names.retain(|(known, _)| *known != script);
        into.other_names.push((script, native));
    }
}

/// Which of a company's names in other scripts the form's native name field shows:
/// the first not in Latin letters, else the first.
fn native_name(other_names: &[(String, String)]) -> Option<usize> {
    other_names.iter().position(|(script, _)| script != "Latn").or((!other_names.is_empty()).then_some(0))
}

/// The form's fields of a stored company.
fn typed_of(company: &Company) -> BTreeMap<String, String> {
    let input = CompanyInput::from(&company.data);
    let mut typed = BTreeMap::new();
    let mut put = |key: &str, value: Option<&String>| {
        if let Some(value) = value {
            typed.insert(key.to_owned(), value.clone());
        }
    };
    put("legal_name", input.legal_name.as_ref());
    put(
        "native_name",
        native_name(&input.other_names).and_then(|shown| input.other_names.get(shown)).map(|(_, name)| name),
    );
    put("gstin", input.gstin.as_ref());
    put("industry", input.industry.as_ref());
    put("founded_on", input.founded_on.as_ref());
    put("branch", input.branch.as_ref());
    typed
}

/// A refusal of the company form as errors next to its fields; anything else is
/// answered with its error page.
fn field_errors(page: &Page, err: AppError) -> Result<FieldErrors, AppError> {
    match err {
        AppError::Validation(errors) => {
            let mut shown = FieldErrors::from_validation(&errors, page.locale, &[("branch_id", "branch")]);
            // A name in another script is the one native name field.
            let native: Vec<String> = shown.0.keys().filter(|key| key.starts_with("name_")).cloned().collect();
            for key in native {
                if let Some(message) = shown.0.remove(&key) {
                    shown.0.insert("native_name".to_owned(), message);
                }
            }
            Ok(shown)
        }
        AppError::Conflict { field } => Ok(FieldErrors::single(field, page.text("reason-taken"))),
        err => Err(err),
    }
}

/// What the company form shows: the values (as typed, or as stored), the errors, and
/// after a conflict the company as saved meanwhile.
struct FormState {
    version: i64,
    typed: BTreeMap<String, String>,
    errors: FieldErrors,
    conflict: Option<Company>,
    status: StatusCode,
}

fn render_form(page: &Page, names: &Names, id: CompanyId, state: FormState) -> Response {
    let FormState { version, typed, errors, conflict, status } = state;
    let conflict = conflict.map(|current| {
        let view = CompanyView::from(&current);
        context! {
            branch_name => view.branch_id.as_deref().map(|id| names.branch(id)),
            names_in_scripts => view.other_names.iter().map(|(script, name)| context! { script => script, name => name }).collect::<Vec<_>>(),
            ..Value::from_serialize(&view)
        }
    });
    let labels: BTreeMap<&str, String> = [
        ("legal_name", "company-name"),
        ("native_name", "company-native-name"),
        ("gstin", "company-gstin"),
        ("industry", "company-industry"),
        ("founded_on", "company-founded-on"),
        ("branch", "field-branch"),
    ]
    .into_iter()
    .map(|(field, key)| (field, page.text(key)))
    .collect();
    page.render_status(
        status,
        "companies",
        "companies/form.html",
        context! {
            id => id.to_string(),
            version => version,
            values => typed,
            errors => errors,
            conflict => conflict,
            branches => names.branch_options(page.locale),
            labels => labels,
        },
    )
}

/// The company, if the caller may change it; the edit form is refused as saving it
/// would be.
async fn changeable(app: &App, page: &Page, id: CompanyId) -> Result<(Names, Company), AppError> {
    page.caller.require(Action::Write)?;
    let company = app.company(&page.caller, id).await?;
    if !may_change(page, &company) {
        return Err(AppError::Forbidden("a company shared by all branches is changed by an owner or an admin".into()));
    }
    Ok((Names::load(app).await?, company))
}

async fn edit_form(State(app): State<App>, page: Page, Id(id): Id<CompanyId>) -> Response {
    let (names, company) = match changeable(&app, &page, id).await {
        Ok(found) => found,
        Err(err) => return page.error(&err),
    };
    let state = FormState {
        version: company.version,
        typed: typed_of(&company),
        errors: FieldErrors::default(),
        conflict: None,
        status: StatusCode::OK,
    };
    render_form(&page, &names, id, state)
}

async fn update(State(app): State<App>, Id(id): Id<CompanyId>, Posted(page, fields): Posted) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let Ok(version) = fields.get("version").parse::<i64>() else {
        return page.error(&AppError::BadRequest("the form has no version; reload the page".into()));
    };
    match app.update_company(&page.caller, id, Some(version), |input| input_of(&fields, input)).await {
        Ok(company) => Redirect::to(&format!("/companies/{}", company.id)).into_response(),
        Err(AppError::VersionMismatch { .. }) => {
            // Someone saved the company since this form was opened: show what is stored
            // now beside what this user typed, and take the new version, so that saving
            // again is a choice made knowing both.
            match app.company(&page.caller, id).await {
                Ok(current) => {
                    let state = FormState {
                        version: current.version,
                        typed: fields.typed(),
                        errors: FieldErrors::default(),
                        conflict: Some(current),
                        status: StatusCode::CONFLICT,
                    };
                    render_form(&page, &names, id, state)
                }
                Err(err) => page.error(&err),
            }
        }
        Err(err) => match field_errors(&page, err) {
            Ok(errors) => {
                let state = FormState {
                    version,
                    typed: fields.typed(),
                    errors,
                    conflict: None,
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                };
                render_form(&page, &names, id, state)
            }
            Err(err) => page.error(&err),
        },
    }
}

/// Links a person to the company with their role there; the person is named by their
/// phone or e-mail, as for a new deal.
async fn link_person(State(app): State<App>, Id(id): Id<CompanyId>, Posted(page, fields): Posted) -> Response {
    if let Err(err) = page.caller.require(Action::Write) {
        return page.error(&err);
    }
    let named =
        super::resolve_contact(&app, &page, fields.get("contact"), "company-link-unknown", "company-link-several")
            .await;
    let errors = match named {
        Ok(contact_id) => match app.link_contact(&page.caller, id, contact_id, fields.value("role").as_deref()).await {
            Ok(_) => return Redirect::to(&format!("/companies/{id}#people")).into_response(),
            Err(AppError::Validation(errors)) => FieldErrors::from_validation(&errors, page.locale, &[]),
            // The company is on the page the form was posted from: what is not found
            // is the person (out of the caller's reach, or deleted meanwhile).
            Err(AppError::NotFound) => FieldErrors::single("contact", page.text("company-link-unknown")),
            Err(AppError::BadRequest(_)) => FieldErrors::single("contact", page.text("company-link-erased")),
            Err(err) => return page.error(&err),
        },
        Err(message) => FieldErrors::single("contact", message),
    };
    match company_page(&app, &page, id).await {
        Ok(values) => page.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            "companies",
            "companies/show.html",
            context! { link_errors => errors, link_values => fields.typed(), ..values },
        ),
        Err(err) => page.error(&err),
    }
}

/// Unlinks a person from the company, from the company's page or the person's (`back`).
async fn unlink_person(State(app): State<App>, Id(id): Id<CompanyId>, Posted(page, fields): Posted) -> Response {
    let Ok(contact_id) = fields.get("contact").parse() else {
        return page.error(&AppError::NotFound);
    };
    match app.unlink_contact(&page.caller, id, contact_id).await {
        Ok(()) => {
            let back = super::form::local_path(fields.get("back"))
                .map_or_else(|| format!("/companies/{id}#people"), str::to_owned);
            Redirect::to(&back).into_response()
        }
        Err(err) => page.error(&err),
    }
}
