//! Administration: branches, staff and call scripts, on one page with a form each.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use sambandh_app::{App, AppError};
use sambandh_domain::{BranchInput, CallScriptInput, Role, UserInput};

use super::form::{FieldErrors, Fields};
use super::{Names, Page, Posted};
use crate::views::{BranchView, CallScriptView, UserView};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin", get(index))
        .route("/admin/branches", post(add_branch))
        .route("/admin/users", post(add_user))
        .route("/admin/call-scripts", post(set_call_script))
}

async fn index(State(app): State<App>, page: Page) -> Response {
    render(&app, &page, StatusCode::OK, Value::UNDEFINED).await
}

async fn render(app: &App, page: &Page, status: StatusCode, extra: Value) -> Response {
    let values = async {
        let names = Names::load(app).await?;
        let mut branches = app.branches(&page.caller).await?;
        page.locale.sort_by_name(&mut branches, |branch| branch.data.name.as_str());
        let mut users = app.users(&page.caller).await?;
        page.locale.sort_by_name(&mut users, |user| user.data.name.as_str());
        let scripts = app.call_scripts(&page.caller).await?;
        Ok::<_, AppError>(context! {
            branches => branches.iter().map(BranchView::from).collect::<Vec<_>>(),
            users => users
                .iter()
                .map(|user| {
                    let view = UserView::from(user);
                    context! { branch_name => view.branch_id.as_deref().map(|id| names.branch(id)), ..Value::from_serialize(&view) }
                })
                .collect::<Vec<_>>(),
            scripts => scripts
                .iter()
                .map(|script| {
                    let view = CallScriptView::from(script);
                    context! { branch_name => view.branch_id.as_deref().map(|id| names.branch(id)), ..Value::from_serialize(&view) }
                })
                .collect::<Vec<_>>(),
            branch_options => names.branch_options(page.locale),
            roles => Role::ALL.iter().map(|role| role.as_str()).collect::<Vec<_>>(),
        })
    }
    .await;
    match values {
        Ok(values) => page.render_status(status, "admin", "admin/index.html", context! { ..extra, ..values }),
        Err(err) => page.error(&err),
    }
}

/// The page again after a form was refused: its errors next to its fields.
async fn refused(app: &App, page: &Page, form: &str, fields: &Fields, err: AppError) -> Response {
    let errors = match err {
        AppError::Validation(errors) => FieldErrors::from_validation(&errors, page.locale, &[("branch_id", "branch")]),
        AppError::Conflict { field } => FieldErrors::single(field, page.text("reason-taken")),
        err => return page.error(&err),
    };
    let extra = context! { form => form, errors => errors, values => fields.typed() };
    render(app, page, StatusCode::UNPROCESSABLE_ENTITY, extra).await
}

async fn add_branch(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let input = BranchInput {
        name: fields.value("name"),
        city: fields.value("city"),
        region: fields.value("region"),
        time_zone: fields.value("time_zone"),
        language: fields.value("language"),
    };
    match app.add_branch(&page.caller, &input).await {
        Ok(_) => Redirect::to("/admin#branches").into_response(),
        Err(err) => refused(&app, &page, "branch", &fields, err).await,
    }
}

async fn add_user(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let input = UserInput {
        email: fields.value("email"),
        name: fields.value("name"),
        role: fields.value("role"),
        branch: fields.value("branch"),
        languages: fields
            .get("languages")
            .split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let password = fields.value("password");
    match app.add_user(&page.caller, &input, password).await {
        Ok(_) => Redirect::to("/admin#staff").into_response(),
        Err(err) => refused(&app, &page, "user", &fields, err).await,
    }
}

async fn set_call_script(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let input = CallScriptInput {
        language: fields.value("language"),
        greeting: fields.value("greeting"),
        text: fields.value("text"),
    };
    let branch = fields.value("branch");
    match app.set_call_script(&page.caller, branch.as_deref(), &input).await {
        Ok(_) => Redirect::to("/admin#scripts").into_response(),
        Err(err) => refused(&app, &page, "script", &fields, err).await,
    }
}
