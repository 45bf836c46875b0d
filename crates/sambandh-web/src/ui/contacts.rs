//! Contacts: the list with search, filters and paging; the contact page (profile,
//! consent, timeline, needs, deals, orders, tasks, tickets and what is due next); the
//! form to add or change a contact, which shows a conflict instead of overwriting; and
//! the person's rights: their data handed over as a file, or erased after a
//! confirmation.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{Value, context};
use sambandh_app::contacts::Lookup;
use sambandh_app::{App, AppError};
use sambandh_domain::{
    Action, Channel, ConsentInput, ConsentMethod, Contact, ContactId, ContactInput, Gender, Honorific,
    InteractionInput, InteractionKind, LanguageTag, LetterLanguage, NeedInput, Purpose, Tag, ValidationErrors,
    ValueTier,
};
use sambandh_store::{
    ContactFilter, ContactSort, DealFilter, GreetingFilter, LinkOwner, PageRequest, TaskFilter, TicketFilter,
};
use serde::Deserialize;

use super::form::{FieldErrors, Fields};
use super::{Id, Names, Page, Posted};
use crate::views::{
    ConsentView, ContactView, DealView, GreetingView, LinkView, NeedView, OrderView, PersonDataView, TaskView,
    TicketView, TimelineItem,
};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/contacts", get(list))
        .route("/contacts/new", get(new_form).post(create))
        .route("/contacts/{id}", get(show))
        .route("/contacts/{id}/edit", get(edit_form).post(update))
        .route("/contacts/{id}/interactions", post(log_interaction))
        .route("/contacts/{id}/consents", post(record_consent))
        .route("/contacts/{id}/needs", post(add_need))
        .route("/contacts/{id}/data", get(download_data))
        .route("/contacts/{id}/erase", get(erase_form).post(erase))
}

/// The scripts a contact's name can be written in, as the form offers them.
const NAME_SCRIPTS: [&str; 5] = ["Taml", "Deva", "Gujr", "Latn", "Telu"];

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    branch: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    sort: String,
    cursor: Option<String>,
}

const PAGE_SIZE: u32 = 25;

async fn list(State(app): State<App>, page: Page, Query(query): Query<ListQuery>) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let mut errors = ValidationErrors::default();
    let filter = ContactFilter {
        branch_id: errors.check_opt("branch", Some(&query.branch), |raw| {
            raw.parse().map_err(|_| sambandh_domain::ValueError::new("is not a branch"))
        }),
        value_tier: errors.check_opt("tier", Some(&query.tier), ValueTier::parse),
        language: errors.check_opt("language", Some(&query.language), LanguageTag::parse),
        tag: errors.check_opt("tag", Some(&query.tag), Tag::parse),
        city: sambandh_domain::clean(&query.city),
        search: sambandh_domain::clean(&query.q),
        ..ContactFilter::default()
    };
    let sort = ContactSort::parse(&query.sort).unwrap_or(ContactSort::Name);
    let query_text = query.q.trim();
    let result = if !errors.is_empty() {
        Ok((Vec::new(), None))
    } else if query_text.contains('@') {
        app.lookup_contacts(&page.caller, &Lookup::Email(query_text.to_owned())).await.map(|found| (found, None))
    } else if looks_like_phone(query_text) {
        app.lookup_contacts(&page.caller, &Lookup::Phone(query_text.to_owned())).await.map(|found| (found, None))
    } else {
        let request = PageRequest { limit: PAGE_SIZE, cursor: query.cursor.clone() };
        app.list_contacts(&page.caller, &filter, sort, &request).await.map(|found| (found.items, found.next_cursor))
    };
    let (contacts, next_cursor) = match result {
        Ok(found) => found,
        Err(AppError::Validation(refused)) => {
            let shown = FieldErrors::from_validation(&refused, page.locale, &[("email", "q"), ("phone", "q")]);
            return render_list(&page, &names, &query, &[], None, &shown);
        }
        Err(err) => return page.error(&err),
    };
    let shown = FieldErrors::from_validation(&errors, page.locale, &[]);
    render_list(&page, &names, &query, &contacts, next_cursor, &shown)
}

fn render_list(
    page: &Page,
    names: &Names,
    query: &ListQuery,
    contacts: &[Contact],
    next_cursor: Option<String>,
    errors: &FieldErrors,
) -> Response {
    let rows: Vec<Value> = contacts
        .iter()
        .map(|contact| {
            let view = ContactView::from(contact);
            context! {
                branch_name => view.branch_id.as_deref().map(|id| names.branch(id)),
                ..Value::from_serialize(&view)
            }
        })
        .collect();
    let next = next_cursor.map(|cursor| {
        format!(
            "/contacts?q={}&branch={}&tier={}&language={}&tag={}&city={}&sort={}&cursor={}",
            super::form::url_encode(&query.q),
            super::form::url_encode(&query.branch),
            super::form::url_encode(&query.tier),
            super::form::url_encode(&query.language),
            super::form::url_encode(&query.tag),
            super::form::url_encode(&query.city),
            super::form::url_encode(&query.sort),
            super::form::url_encode(&cursor),
        )
    });
    page.render_status(
        if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY },
        "contacts",
        "contacts/list.html",
        context! {
            contacts => rows,
            next => next,
            first_page => query.cursor.is_none(),
            q => &query.q, branch => &query.branch, tier => &query.tier, language => &query.language,
            tag => &query.tag, city => &query.city, sort => if query.sort.is_empty() { "name" } else { &query.sort },
            branches => names.branch_options(page.locale),
            tiers => ValueTier::ALL.iter().map(|tier| tier.as_str()).collect::<Vec<_>>(),
            errors => errors,
        },
    )
}

/// Whether a search looks like a phone number (digits, spaces, + - ( )) rather than a name.
fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 5 && text.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
}

async fn show(State(app): State<App>, page: Page, Id(id): Id<ContactId>) -> Response {
    match contact_page(&app, &page, id).await {
        Ok(values) => page.render("contacts", "contacts/show.html", values),
        Err(err) => page.error(&err),
    }
}

/// Everything the contact page shows, each part read within the caller's rights.
async fn contact_page(app: &App, page: &Page, id: ContactId) -> Result<Value, AppError> {
    let caller = &page.caller;
    let contact = app.view_contact(caller, id).await?;
    let names = Names::load(app).await?;
    let first = PageRequest { limit: 20, cursor: None };
    let consents = app.consents(caller, id).await?;
    let timeline = app.timeline(caller, id, &first).await?;
    let needs = app.needs(caller, id).await?;
    let deals = app.deals(caller, &DealFilter { contact_id: Some(id), ..DealFilter::default() }, &first).await?;
    let orders = app.orders(caller, Some(id), &first).await?;
    let tasks =
        app.tasks(caller, &TaskFilter { contact_id: Some(id), open: true, ..TaskFilter::default() }, &first).await?;
    let tickets =
        app.tickets(caller, &TicketFilter { contact_id: Some(id), ..TicketFilter::default() }, &first).await?;
    let greetings = app
        .greetings(caller, &GreetingFilter { contact_id: Some(id), ..GreetingFilter::default() }, &first)
        .await
        .map(|found| found.items)
        .unwrap_or_default();
    let mut companies = Vec::new();
    for link in app.company_links(caller, LinkOwner::Contact(id)).await? {
        let name = app.company(caller, link.company_id).await.map(|company| company.data.legal_name.to_string());
        let view = LinkView::from(&link);
        companies.push(context! { name => name.unwrap_or_default(), ..Value::from_serialize(&view) });
    }
    let script = app.call_script_for_contact(caller, id, None).await.ok().flatten();
    let pipeline = app.pipeline(caller).await?;

    let view = ContactView::from(&contact);
    let other_names: Vec<Value> = view
        .other_names
        .iter()
        .map(|(script, name)| context! { script => script, name => name, lang => script_language(script) })
        .collect();
    let next_birthday = contact.data.birthday.as_ref().map(|birthday| birthday.to_string());
    // The honorific as the name's own script writes it: "Thiru" before a Tamil name is
    // «திரு.», "Shri" before a Devanagari one «श्री».
    let honorific = contact.data.honorific.map(|honorific| {
        let script = sambandh_domain::Script::of_text(contact.data.given_name.as_str());
        match script.as_ref().map(sambandh_domain::Script::as_str) {
            Some("Taml") => sambandh_domain::honorific_in(honorific, LetterLanguage::Tamil),
            Some("Deva") => sambandh_domain::honorific_in(honorific, LetterLanguage::Hindi),
            Some("Gujr") => sambandh_domain::honorific_in(honorific, LetterLanguage::Gujarati),
            _ => honorific.as_str(),
        }
    });
    Ok(context! {
        contact => &view,
        honorific => honorific,
        name_lang => view.language.as_deref().unwrap_or("und"),
        other_names => other_names,
        branch_name => view.branch_id.as_deref().map(|id| names.branch(id)),
        owner_name => view.owner_id.as_deref().map(|id| names.user(id)),
        consents => consents.iter().map(ConsentView::from).collect::<Vec<_>>(),
        timeline => timeline.items.iter().map(|entry| TimelineItem::new(entry, &pipeline)).collect::<Vec<_>>(),
        more_timeline => timeline.next_cursor.is_some(),
        needs => needs.iter().map(NeedView::from).collect::<Vec<_>>(),
        deals => deals.items.iter().map(|deal| DealView::new(deal, &pipeline)).collect::<Vec<_>>(),
        orders => orders.items.iter().map(OrderView::from).collect::<Vec<_>>(),
        tasks => tasks.items.iter().map(|task| TaskView::new(task, jiff::Timestamp::now())).collect::<Vec<_>>(),
        tickets => tickets.items.iter().map(TicketView::from).collect::<Vec<_>>(),
        greetings => greetings.iter().map(GreetingView::from).collect::<Vec<_>>(),
        companies => companies,
        birthday => next_birthday,
        kinds => InteractionKind::ALL.iter().map(|kind| kind.as_str()).collect::<Vec<_>>(),
        call_script => script.map(|script| crate::views::ResolvedScriptView::from(&script)),
        stage_names => super::stage_names(&pipeline),
        purposes => Purpose::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        channels => Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        consent_methods => ConsentMethod::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        // The same right `App::person_data` and `App::erase_contact` require.
        may_person_rights => page.role().may(Action::PersonRights),
    })
}

/// The language whose readers a name in `script` is marked up for (`lang` attribute),
/// so that the browser picks the right font and shaping.
fn script_language(script: &str) -> &'static str {
    match script {
        "Taml" => "ta",
        "Deva" => "hi",
        "Gujr" => "gu",
        "Telu" => "te",
        "Knda" => "kn",
        "Mlym" => "ml",
        "Beng" => "bn",
        "Guru" => "pa",
        "Latn" => "en",
        _ => "und",
    }
}

async fn new_form(State(app): State<App>, page: Page) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let mut typed = BTreeMap::new();
    if let Some(branch) = page.caller.branch_id() {
        typed.insert("branch".to_owned(), branch.to_string());
    }
    render_form(&page, &names, FormState { typed, ..FormState::default() })
}

/// What the contact form shows: the values (as typed, or as stored), the errors, and
/// after a conflict the values stored meanwhile.
#[derive(Default)]
struct FormState {
    id: Option<ContactId>,
    version: Option<i64>,
    typed: BTreeMap<String, String>,
    errors: FieldErrors,
    conflict: Option<ContactView>,
    status: Option<StatusCode>,
}

fn render_form(page: &Page, names: &Names, state: FormState) -> Response {
    let FormState { id, version, typed, errors, conflict, status } = state;
    let status = status.unwrap_or(if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY });
    page.render_status(
        status,
        "contacts",
        "contacts/form.html",
        context! {
            id => id.map(|id| id.to_string()),
            version => version,
            values => typed,
            errors => errors,
            conflict => conflict,
            scripts => NAME_SCRIPTS,
            branches => names.branch_options(page.locale),
            owners => names.user_options(page.locale),
            honorifics => Honorific::ALL.iter().map(|h| h.as_str()).collect::<Vec<_>>(),
            genders => Gender::ALL.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
            tiers => ValueTier::ALL.iter().map(|tier| tier.as_str()).collect::<Vec<_>>(),
            labels => labels(page),
        },
    )
}

/// The label of each field of the form, for the summary of errors above it.
fn labels(page: &Page) -> BTreeMap<String, String> {
    let mut labels: BTreeMap<String, String> = [
        ("honorific", "field-honorific"),
        ("given_name", "field-given-name"),
        ("family_name", "field-family-name"),
        ("father_name", "field-father-name"),
        ("preferred_name", "field-preferred-name"),
        ("name_latin", "field-name-latin"),
        ("phones", "field-phones"),
        ("emails", "field-emails"),
        ("language", "field-language"),
        ("time_zone", "field-time-zone"),
        ("address_line", "field-address"),
        ("city", "field-city"),
        ("pin_code", "field-pin-code"),
        ("region", "field-region"),
        ("birthday", "field-birthday"),
        ("gender", "field-gender"),
        ("branch", "field-branch"),
        ("owner", "field-owner"),
        ("value_tier", "field-value-tier"),
        ("tags", "field-tags"),
    ]
    .into_iter()
    .map(|(field, key)| (field.to_owned(), page.text(key)))
    .collect();
    for script in NAME_SCRIPTS {
        let args = super::i18n::args([("script", super::i18n::ArgValue::Text(page.text(&format!("script-{script}"))))]);
        labels.insert(format!("name_{script}"), page.locale.message("field-name-in", Some(&args)));
    }
    labels
}

/// The form's fields of a stored contact.
fn typed_of(contact: &Contact) -> BTreeMap<String, String> {
    let view = ContactView::from(contact);
    let mut typed = BTreeMap::new();
    let mut put = |key: &str, value: Option<&str>| {
        if let Some(value) = value {
            typed.insert(key.to_owned(), value.to_owned());
        }
    };
    put("honorific", view.honorific.as_deref());
    put("given_name", Some(&view.given_name));
    put("family_name", view.family_name.as_deref());
    put("father_name", view.father_name.as_deref());
    put("preferred_name", view.preferred_name.as_deref());
    put("name_latin", view.name_latin.as_deref());
    put("gender", view.gender.as_deref());
    put("language", view.language.as_deref());
    put("time_zone", view.time_zone.as_deref());
    put("region", view.region.as_deref());
    put("birthday", view.birthday.as_deref());
    put("address_line", view.address_line.as_deref());
    put("city", view.city.as_deref());
    put("pin_code", view.pin_code.as_deref());
    put("branch", view.branch_id.as_deref());
    put("owner", view.owner_id.as_deref());
    put("value_tier", view.value_tier.as_deref());
    typed.insert("emails".into(), view.emails.join("\n"));
    typed.insert("phones".into(), view.phones.join("\n"));
    typed.insert("tags".into(), view.tags.join(", "));
    for (script, name) in &view.other_names {
        typed.insert(format!("name_{script}"), name.clone());
    }
    typed
}

/// The typed input of the form's fields. Every field of the form is set, so that a
/// field emptied in the form is cleared in the record.
fn input_of(fields: &Fields, into: &mut ContactInput) {
    into.honorific = fields.value("honorific");
    into.given_name = fields.value("given_name");
    into.family_name = fields.value("family_name");
    into.father_name = fields.value("father_name");
    into.preferred_name = fields.value("preferred_name");
    into.name_latin = fields.value("name_latin");
    into.gender = fields.value("gender");
    into.language = fields.value("language");
    into.time_zone = fields.value("time_zone");
    into.region = fields.value("region");
    into.birthday = fields.value("birthday");
    into.address_line = fields.value("address_line");
    into.city = fields.value("city");
    into.pin_code = fields.value("pin_code");
    into.branch = fields.value("branch");
    into.owner = fields.value("owner");
    into.value_tier = fields.value("value_tier");
    into.emails = fields.lines("emails");
    into.phones = fields.lines("phones");
    into.tags = fields.get("tags").split(',').map(str::trim).filter(|tag| !tag.is_empty()).map(str::to_owned).collect();
    into.other_names.retain(|(script, _)| !NAME_SCRIPTS.contains(&script.as_str()));
    for script in NAME_SCRIPTS {
        if let Some(name) = fields.value(&format!("name_{script}")) {
            into.other_names.push((script.to_owned(), name));
        }
    }
}

/// The domain's field names that the form calls otherwise.
const RENAMED: [(&str, &str); 3] = [("branch_id", "branch"), ("owner_id", "owner"), ("other_names", "name_Taml")];

async fn create(State(app): State<App>, Posted(page, fields): Posted) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let mut input = ContactInput::default();
    input_of(&fields, &mut input);
    match app.create_contact(&page.caller, &input).await {
        Ok(contact) => Redirect::to(&format!("/contacts/{}", contact.id)).into_response(),
        Err(err) => refused(&page, &names, &fields, None, None, err),
    }
}

async fn edit_form(State(app): State<App>, page: Page, Id(id): Id<ContactId>) -> Response {
    let (names, contact) = match tokio_join(&app, &page, id).await {
        Ok(found) => found,
        Err(err) => return page.error(&err),
    };
    let typed = typed_of(&contact);
    render_form(
        &page,
        &names,
        FormState { id: Some(id), version: Some(contact.version), typed, ..FormState::default() },
    )
}

async fn tokio_join(app: &App, page: &Page, id: ContactId) -> Result<(Names, Contact), AppError> {
    let names = Names::load(app).await?;
    let contact = app.contact(&page.caller, id).await?;
    Ok((names, contact))
}

async fn update(State(app): State<App>, Id(id): Id<ContactId>, Posted(page, fields): Posted) -> Response {
    let names = match Names::load(&app).await {
        Ok(names) => names,
        Err(err) => return page.error(&err),
    };
    let Ok(version) = fields.get("version").parse::<i64>() else {
        return page.error(&AppError::BadRequest("the form has no version; reload the page".into()));
    };
    match app.update_contact(&page.caller, id, Some(version), |input| input_of(&fields, input)).await {
        Ok(contact) => Redirect::to(&format!("/contacts/{}", contact.id)).into_response(),
        Err(AppError::VersionMismatch { .. }) => {
            // Someone saved the contact since this form was opened: show what is stored
            // now beside what this user typed, and take the new version, so that saving
            // again is a choice made knowing both.
            match app.contact(&page.caller, id).await {
                Ok(current) => render_form(
                    &page,
                    &names,
                    FormState {
                        id: Some(id),
                        version: Some(current.version),
                        typed: fields.typed(),
                        conflict: Some(ContactView::from(&current)),
                        status: Some(StatusCode::CONFLICT),
                        ..FormState::default()
                    },
                ),
                Err(err) => page.error(&err),
            }
        }
        Err(err) => refused(&page, &names, &fields, Some(id), Some(version), err),
    }
}

/// The form again after a refusal: each error next to its field, what was typed kept.
fn refused(
    page: &Page,
    names: &Names,
    fields: &Fields,
    id: Option<ContactId>,
    version: Option<i64>,
    err: AppError,
) -> Response {
    let errors = match err {
        AppError::Validation(errors) => FieldErrors::from_validation(&errors, page.locale, &RENAMED),
        AppError::Conflict { field } => {
            let field = if field.starts_with("email") { "emails" } else { field };
            FieldErrors::single(field, page.text("reason-taken"))
        }
        err => return page.error(&err),
    };
    render_form(page, names, FormState { id, version, typed: fields.typed(), errors, ..FormState::default() })
}

/// Logs a call, a visit, a note… from the contact page.
async fn log_interaction(State(app): State<App>, Id(id): Id<ContactId>, Posted(page, fields): Posted) -> Response {
    // One form serves every kind: who reached out applies to calls, e-mails and
    // messages, the outcome to calls; for other kinds those choices are left out.
    let kind = fields.value("kind");
    let with_direction = matches!(kind.as_deref(), Some("call" | "email" | "sms" | "whatsapp"));
    let is_call = kind.as_deref() == Some("call");
    let input = InteractionInput {
        kind,
        direction: fields.value("direction").filter(|_| with_direction),
        text: fields.value("text"),
        outcome: fields.value("outcome").filter(|_| is_call),
        ..InteractionInput::default()
    };
    match app.log_interaction(&page.caller, id, &input).await {
        Ok(_) => Redirect::to(&format!("/contacts/{id}#timeline")).into_response(),
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[]);
            match contact_page(&app, &page, id).await {
                Ok(values) => page.render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "contacts",
                    "contacts/show.html",
                    context! { log_errors => shown, log_values => fields.typed(), ..values },
                ),
                Err(err) => page.error(&err),
            }
        }
        Err(err) => page.error(&err),
    }
}

/// Records a consent given or withdrawn (on the phone, at the counter) from the
/// contact page.
async fn record_consent(State(app): State<App>, Id(id): Id<ContactId>, Posted(page, fields): Posted) -> Response {
    let input = ConsentInput {
        purpose: fields.value("purpose"),
        channel: fields.value("channel"),
        status: fields.value("status"),
        method: fields.value("method"),
        notice_language: Some(page.locale.code().to_owned()),
        note: fields.value("note"),
    };
    let result = app.record_consent(&page.caller, id, &input).await.map(drop);
    after_side_form(&app, &page, id, "consent", &fields, result, "#h-consent").await
}

/// Notes a need or interest of the contact, learnt today.
async fn add_need(State(app): State<App>, Id(id): Id<ContactId>, Posted(page, fields): Posted) -> Response {
    let input = NeedInput { text: fields.value("need"), ..NeedInput::default() };
    let result = app.add_need(&page.caller, id, &input).await.map(drop);
    after_side_form(&app, &page, id, "need", &fields, result, "#h-needs").await
}

/// The contact page after one of its small forms: back to the page on success, or the
/// page again with the form's errors next to its fields.
async fn after_side_form(
    app: &App,
    page: &Page,
    id: ContactId,
    form: &str,
    fields: &Fields,
    result: Result<(), AppError>,
    anchor: &str,
) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/contacts/{id}{anchor}")).into_response(),
        Err(AppError::Validation(errors)) => {
            let shown = FieldErrors::from_validation(&errors, page.locale, &[("text", "need")]);
            match contact_page(app, page, id).await {
                Ok(values) => page.render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "contacts",
                    "contacts/show.html",
                    context! { side_form => form, side_errors => shown, side_values => fields.typed(), ..values },
                ),
                Err(err) => page.error(&err),
            }
        }
        Err(err) => page.error(&err),
    }
}

/// Everything held about the person, as the JSON file they are handed (the API's
/// `GET /api/v1/contacts/{id}/export`). Owners and admins; audited.
async fn download_data(State(app): State<App>, page: Page, Id(id): Id<ContactId>) -> Response {
    let json = async {
        let data = app.person_data(&page.caller, id).await?;
        let pipeline = app.pipeline(&page.caller).await?;
        serde_json::to_vec_pretty(&PersonDataView::new(&data, &pipeline))
            .map_err(|err| AppError::Unexpected(err.into()))
    }
    .await;
    let json = match json {
        Ok(json) => json,
        Err(err) => return page.error(&err),
    };
    let mut response = json.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"contact-{id}.json\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

/// The confirmation before erasing a person: what goes, what stays, and that it
/// cannot be undone. Shown to those who may erase only.
async fn erase_form(State(app): State<App>, page: Page, Id(id): Id<ContactId>) -> Response {
    let contact = async {
        page.caller.require(Action::PersonRights)?;
        app.contact(&page.caller, id).await
    }
    .await;
    match contact {
        Ok(contact) => {
            let view = ContactView::from(&contact);
            // The name is marked up in the language of its script, so that the browser
            // picks a font that has it.
            let name_lang = view.script.as_deref().map_or("und", script_language);
            let values = context! { name_lang => name_lang, contact => view };
            page.render("contacts", "contacts/erase.html", values)
        }
        Err(err) => page.error(&err),
    }
}

/// Erases the person's data (`App::erase_contact`, which checks the caller's right),
/// then shows the list of contacts.
async fn erase(State(app): State<App>, Id(id): Id<ContactId>, Posted(page, _): Posted) -> Response {
    match app.erase_contact(&page.caller, id).await {
        Ok(_) => Redirect::to("/contacts").into_response(),
        Err(err) => page.error(&err),
    }
}
