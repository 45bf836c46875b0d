//! The staff web UI's forms, through the real server with a signed-in session: a
//! company changed from its form (a stale save shown as a conflict, a wrong GSTIN next
//! to its field), people linked to a company and unlinked, and a person's data
//! downloaded and erased — refused to roles without the right whatever the page shows.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A member of staff signed in to the UI: their session cookie and its CSRF token.
struct Session {
    base: String,
    cookie: String,
    csrf: String,
    /// Follows no redirects, so that a test sees where a form sends the browser.
    client: reqwest::Client,
}

impl Session {
    async fn start(app: &TestApp, email: &str) -> Self {
        let response = app
            .anonymous
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("sambandh_session="))
            .and_then(|value| value.split(';').next())
            .unwrap()
            .to_owned();
        let body: Value = response.json().await.unwrap();
        let csrf = body["csrf_token"].as_str().unwrap().to_owned();
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Self { base: app.base.clone(), cookie, csrf, client }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).header("Cookie", &self.cookie).send().await.unwrap()
    }

    async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        (response.status(), response.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token, as the page's form does.
    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form = vec![("csrf_token", self.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post_without_token(path, &form).await
    }

    async fn post_without_token(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let request = self.client.post(format!("{}{path}", self.base)).header("Cookie", &self.cookie).form(fields);
        request.send().await.unwrap()
    }
}

fn location(response: &reqwest::Response) -> &str {
    response.headers()["location"].to_str().unwrap()
}

async fn created_id(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

api_test!(a_company_is_changed_from_its_form_and_a_stale_save_shows_the_conflict, |app| {
    let chennai = app.chennai().await;
    common::add_user(&app.app, "meena@test.in", "manager", Some(&chennai)).await;
    let body = json!({"legal_name": "Meenakshi Textiles", "other_names": {"Taml": "மீனாட்சி டெக்ஸ்டைல்ஸ்"},
        "branch": chennai});
    let id = created_id(app.post("/api/v1/companies", body).await).await;
    let shared = created_id(app.post("/api/v1/companies", json!({"legal_name": "Shared Traders"})).await).await;
    let meena = Session::start(&app, "meena@test.in").await;

    let (status, company_page) = meena.page(&format!("/companies/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(company_page.contains(&format!("href=\"/companies/{id}/edit\"")), "the page links to its form");
    let (status, form) = meena.page(&format!("/companies/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"version\" value=\"1\""), "the form carries the version it shows");
    assert!(form.contains("value=\"மீனாட்சி டெக்ஸ்டைல்ஸ்\""), "the native name is shown to change");

    let path = format!("/companies/{id}/edit");
    let fields = |native: &'static str, gstin: &'static str, version: &'static str| {
        vec![
            ("legal_name", "Meenakshi Textiles"),
            ("native_name", native),
            ("gstin", gstin),
            ("industry", "Textiles"),
            ("founded_on", ""),
            ("branch", chennai.as_str()),
            ("version", version),
        ]
    };
    let forged = meena.post_without_token(&path, &fields("", "", "1")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form without the session's CSRF token");

    let saved_fields = fields("મીનાક્ષી ટેક્સટાઇલ્સ", "27AAPFU0939F1ZV", "1");
    let saved = meena.post(&path, &saved_fields).await;
    assert_eq!((saved.status(), location(&saved)), (StatusCode::SEE_OTHER, format!("/companies/{id}").as_str()));
    let stored: Value = app.get(&format!("/api/v1/companies/{id}")).await.json().await.unwrap();
    assert_eq!(stored["other_names"], json!({"Gujr": "મીનાક્ષી ટેક્સટાઇલ્સ"}), "the native name replaced the shown one");
    assert_eq!((stored["gstin"].as_str(), stored["version"].as_i64()), (Some("27AAPFU0939F1ZV"), Some(2)));

    let stale = meena.post(&path, &fields("", "", "1")).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT, "saved meanwhile: nothing is overwritten");
    let stale = stale.text().await.unwrap();
    assert!(stale.contains("id=\"conflict\"") && stale.contains("મીનાક્ષી ટેક્સટાઇલ્સ"), "the saved values are shown");
    assert!(stale.contains("name=\"version\" value=\"2\""), "saving again is a choice made knowing both");
    let unchanged: Value = app.get(&format!("/api/v1/companies/{id}")).await.json().await.unwrap();
    assert_eq!(unchanged["version"], 2);

    let wrong = meena.post(&path, &fields("", "27AAPFU0939F1ZX", "2")).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("aria-invalid=\"true\" aria-describedby=\"e-gstin h-gstin\""), "{wrong}");
    assert!(wrong.contains("id=\"e-gstin\"") && wrong.contains("href=\"#f-gstin\""), "next to it, and in the summary");
    assert!(wrong.contains("value=\"27AAPFU0939F1ZX\""), "what was typed is kept");

    // A company shared by every branch is changed by owners and admins only: no link,
    // and the form is refused as saving it would be.
    let (_, shared_page) = meena.page(&format!("/companies/{shared}")).await;
    assert!(!shared_page.contains(&format!("/companies/{shared}/edit")));
    assert_eq!(meena.get(&format!("/companies/{shared}/edit")).await.status(), StatusCode::FORBIDDEN);
    let refused = meena.post(&format!("/companies/{shared}/edit"), &fields("", "", "1")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
});

api_test!(people_are_linked_to_a_company_by_phone_and_unlinked, |app| {
    let chennai = app.chennai().await;
    common::add_user(&app.app, "agent@test.in", "agent", Some(&chennai)).await;
    let contact = json!({"given_name": "கார்த்திக்", "phones": ["98400 12345"], "branch": chennai});
    let contact_id = created_id(app.post("/api/v1/contacts", contact).await).await;
    let company = json!({"legal_name": "Murugan Stores", "branch": chennai});
    let id = created_id(app.post("/api/v1/companies", company).await).await;
    let agent = Session::start(&app, "agent@test.in").await;
    let people = format!("/companies/{id}/people");

    let unknown = agent.post(&people, &[("contact", "98400 99999"), ("role", "Owner")]).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = unknown.text().await.unwrap();
    assert!(unknown.contains("id=\"e-contact\"") && unknown.contains("value=\"98400 99999\""), "{unknown}");

    let linked = agent.post(&people, &[("contact", "+91 98400 12345"), ("role", "Purchase manager")]).await;
    assert_eq!(
        (linked.status(), location(&linked)),
        (StatusCode::SEE_OTHER, format!("/companies/{id}#people").as_str())
    );
    let (_, page) = agent.page(&format!("/companies/{id}")).await;
    assert!(page.contains(&format!("href=\"/contacts/{contact_id}\"")) && page.contains("Purchase manager"), "{page}");
    let (_, contact_page) = agent.page(&format!("/contacts/{contact_id}")).await;
    assert!(
        contact_page.contains(&format!("action=\"/companies/{id}/unlink\"")),
        "unlinked from the person's page too"
    );

    let unlink = format!("/companies/{id}/unlink");
    let elsewhere = agent.post(&unlink, &[("contact", &contact_id), ("back", "//evil.example/")]).await;
    assert_eq!(location(&elsewhere), format!("/companies/{id}#people"), "back to this site only");
    let links: Value = app.get(&format!("/api/v1/contacts/{contact_id}/companies")).await.json().await.unwrap();
    assert_eq!(links["items"], json!([]));

    agent.post(&people, &[("contact", "98400 12345")]).await;
    let back = format!("/contacts/{contact_id}");
    let unlinked = agent.post(&unlink, &[("contact", &contact_id), ("back", &back)]).await;
    assert_eq!((unlinked.status(), location(&unlinked)), (StatusCode::SEE_OTHER, back.as_str()));
    let (_, page) = agent.page(&format!("/companies/{id}")).await;
    assert!(!page.contains(&format!("href=\"/contacts/{contact_id}\"")), "unlinked");

    common::add_user(&app.app, "viewer@test.in", "viewer", Some(&chennai)).await;
    let viewer = Session::start(&app, "viewer@test.in").await;
    let (_, page) = viewer.page(&format!("/companies/{id}")).await;
    assert!(!page.contains(&people), "a viewer is not offered the form");
    let refused = viewer.post(&people, &[("contact", "98400 12345")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "and the server refuses it regardless");
});

api_test!(a_persons_data_is_downloaded_and_erased_by_owners_and_admins_only, |app| {
    let chennai = app.chennai().await;
    common::add_user(&app.app, "meena@test.in", "manager", Some(&chennai)).await;
    let contact = json!({"given_name": "Revathi", "family_name": "Subramanian", "emails": ["revathi@example.com"],
        "branch": chennai});
    let id = created_id(app.post("/api/v1/contacts", contact).await).await;
    let owner = Session::start(&app, "owner@test.in").await;
    let manager = Session::start(&app, "meena@test.in").await;

    let (_, page) = owner.page(&format!("/contacts/{id}")).await;
    assert!(
        page.contains(&format!("href=\"/contacts/{id}/data\""))
            && page.contains(&format!("href=\"/contacts/{id}/erase\""))
    );
    let (_, page) = manager.page(&format!("/contacts/{id}")).await;
    assert!(!page.contains(&format!("/contacts/{id}/data")) && !page.contains(&format!("/contacts/{id}/erase")));

    let download = owner.get(&format!("/contacts/{id}/data")).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/json");
    assert_eq!(
        download.headers()["content-disposition"],
        format!("attachment; filename=\"contact-{id}.json\"").as_str()
    );
    assert_eq!(download.headers()["cache-control"], "no-store");
    let data: Value = download.json().await.unwrap();
    assert_eq!(data["contact"]["emails"], json!(["revathi@example.com"]));
    assert!(data["consents"].is_array() && data["timeline"].is_array());

    // The manager's role does not allow either, whatever they ask for.
    assert_eq!(manager.get(&format!("/contacts/{id}/data")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(manager.get(&format!("/contacts/{id}/erase")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(manager.post(&format!("/contacts/{id}/erase"), &[]).await.status(), StatusCode::FORBIDDEN);

    let (status, confirm) = owner.page(&format!("/contacts/{id}/erase")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("Revathi Subramanian") && confirm.contains("cannot be undone"), "{confirm}");
    let forged = owner.post_without_token(&format!("/contacts/{id}/erase"), &[]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form without the session's CSRF token");
    let kept: Value = app.get(&format!("/api/v1/contacts/{id}")).await.json().await.unwrap();
    assert_eq!(kept["given_name"], "Revathi", "nothing erased by refused requests");

    let erased = owner.post(&format!("/contacts/{id}/erase"), &[]).await;
    assert_eq!((erased.status(), location(&erased)), (StatusCode::SEE_OTHER, "/contacts"));
    let stored: Value = app.get(&format!("/api/v1/contacts/{id}")).await.json().await.unwrap();
    assert_eq!((stored["given_name"].as_str(), stored["emails"].clone()), (Some("[erased]"), json!([])));
    let (_, page) = owner.page(&format!("/contacts/{id}")).await;
    assert!(!page.contains("Revathi") && !page.contains(&format!("/contacts/{id}/erase")), "erased once");
});
