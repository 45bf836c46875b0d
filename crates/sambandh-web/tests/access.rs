//! Access over HTTP on both engines: the authorisation matrix (role × own branch /
//! other branch × operation), sessions with CSRF, throttled sign-in, the audit log,
//! consent, and a person's export and erasure down to the database files.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{PASSWORD, TestApp, problem, problem_fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A contact in `branch`, made by the owner; its id.
async fn contact_in(app: &TestApp, branch: &str, email: &str) -> String {
    let body = json!({"given_name": "Test", "branch": branch, "emails": [email]});
    let response = app.post("/api/v1/contacts", body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

/// What one operation on one contact answers, as a status code; for list-like
/// operations, 200 when the contact is listed and 404 when it is not.
async fn attempt(app: &TestApp, client: &reqwest::Client, operation: &str, id: &str, email: &str) -> u16 {
    let url = |path: &str| app.url(path);
    let response = match operation {
        "read" => client.get(url(&format!("/api/v1/contacts/{id}"))).send().await,
        "list" | "lookup" | "export" => {
            let path = match operation {
                "list" => "/api/v1/contacts?limit=500".to_owned(),
                "lookup" => format!("/api/v1/contacts/lookup?email={email}"),
                _ => "/api/v1/exports/contacts?format=json".to_owned(),
            };
            let response = client.get(url(&path)).send().await.unwrap();
            let status = response.status();
            if status != StatusCode::OK {
                return status.as_u16();
            }
            let text = response.text().await.unwrap();
            return if text.contains(id) { 200 } else { 404 };
        }
        "update" => {
            let body = json!({"city": "Madurai"});
            client.patch(url(&format!("/api/v1/contacts/{id}"))).header("If-Match", "*").json(&body).send().await
        }
        "consent" => {
            let body = json!({"purpose": "greetings", "channel": "sms", "status": "given", "method": "verbal"});
            client.post(url(&format!("/api/v1/contacts/{id}/consents"))).json(&body).send().await
        }
        "companies" => client.get(url(&format!("/api/v1/contacts/{id}/companies"))).send().await,
        "person_export" => client.get(url(&format!("/api/v1/contacts/{id}/export"))).send().await,
        "delete" => client.delete(url(&format!("/api/v1/contacts/{id}"))).send().await,
        "erase" => client.post(url(&format!("/api/v1/contacts/{id}/erase"))).send().await,
        other => panic!("unknown operation {other}"),
    };
    response.unwrap().status().as_u16()
}

const OPERATIONS: [&str; 11] =
    ["read", "list", "lookup", "export", "companies", "update", "consent", "person_export", "delete", "erase", "audit"];

api_test!(the_authorisation_matrix, |app| {
    app.chennai().await;
    app.branch("Lucknow", "IN-UP", "hi").await;
    let roles = [
        ("owner", None),
        ("admin", None),
        ("manager", Some("Chennai")),
        ("agent", Some("Chennai")),
        ("viewer", Some("Chennai")),
    ];
    // (operation, [own branch, other branch]) per role.
    let expected: [(&str, [[u16; 2]; 11]); 5] = [
        (
            "owner",
            [
                [200; 2], [200; 2], [200; 2], [200; 2], [200; 2], [200; 2], [201; 2], [200; 2], [204; 2], [200; 2],
                [200; 2],
            ],
        ),
        (
            "admin",
            [
                [200; 2], [200; 2], [200; 2], [200; 2], [200; 2], [200; 2], [201; 2], [200; 2], [204; 2], [200; 2],
                [200; 2],
            ],
        ),
        (
            "manager",
            [
                [200, 404],
                [200, 404],
                [200, 404],
                [200, 404],
                [200, 404],
                [200, 404],
                [201, 404],
                [403; 2],
                [204, 404],
                [403; 2],
                [403; 2],
            ],
        ),
        (
            "agent",
            [
                [200, 404],
                [200, 404],
                [200, 404],
                [403; 2],
                [200, 404],
                [200, 404],
                [201, 404],
                [403; 2],
                [403; 2],
                [403; 2],
                [403; 2],
            ],
        ),
        (
            "viewer",
            [
                [200, 404],
                [200, 404],
                [200, 404],
                [403; 2],
                [200, 404],
                [403; 2],
                [403; 2],
                [403; 2],
                [403; 2],
                [403; 2],
                [403; 2],
            ],
        ),
    ];
    let mut mismatches = Vec::new();
    for ((role, branch), (expected_role, statuses)) in roles.into_iter().zip(expected) {
        assert_eq!(role, expected_role);
        let client = app.staff(&format!("{role}.matrix@test.in"), role, branch).await;
        for (operation, want) in OPERATIONS.into_iter().zip(statuses) {
            for (side, target_branch) in [(0, "Chennai"), (1, "Lucknow")] {
                let email = format!("{role}.{operation}.{side}@example.com");
                let id = contact_in(&app, target_branch, &email).await;
                let got = if operation == "audit" {
                    let path = format!("/api/v1/audit?record={id}");
                    client.get(app.url(&path)).send().await.unwrap().status().as_u16()
                } else {
                    attempt(&app, &client, operation, &id, &email).await
                };
                if got != want[side] {
                    mismatches.push(format!("{role} {operation} {target_branch}: {got}, expected {}", want[side]));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");

    // Operations on no one contact.
    let global: [(&str, [u16; 5]); 4] = [
        ("import", [200, 200, 403, 403, 403]),
        ("add branch", [201, 201, 403, 403, 403]),
        ("add user", [201, 201, 403, 403, 403]),
        ("list users", [200, 200, 200, 200, 200]),
    ];
    for (operation, statuses) in global {
        for ((role, _), want) in roles.into_iter().zip(statuses) {
            let (_, secret) = app
                .app
                .create_token(&sambandh_app::Caller::LocalOperator, Some(&format!("{role}.matrix@test.in")), None, None)
                .await
                .unwrap();
            let client = common::client_with_token(&secret);
            let request = match operation {
                "import" => client.post(app.url("/api/v1/imports/contacts")).body("given_name\nRani\n"),
                "add branch" => client.post(app.url("/api/v1/branches")).json(&json!({
                    "name": format!("Surat {role}"), "city": "Surat", "region": "IN-GJ", "time_zone": "Asia/Kolkata", "language": "gu"
                })),
                "add user" => client
                    .post(app.url("/api/v1/users"))
                    .json(&json!({"email": format!("new.{role}@test.in"), "name": "New", "role": "viewer"})),
                _ => client.get(app.url("/api/v1/users")),
            };
            let got = request.send().await.unwrap().status().as_u16();
            assert_eq!(got, want, "{role} {operation}");
        }
    }
    // An admin may not make an owner; an owner may.
    let admin = app.staff("admin2@test.in", "admin", None).await;
    let owner_body = json!({"email": "boss@test.in", "name": "Boss", "role": "owner"});
    let refused = admin.post(app.url("/api/v1/users")).json(&owner_body).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/users", owner_body).await.status(), StatusCode::CREATED);
    // An agent adds contacts to their own branch, not to another.
    let agent = app.staff("agent2@test.in", "agent", Some("Chennai")).await;
    let mine: Value = agent
        .post(app.url("/api/v1/contacts"))
        .json(&json!({"given_name": "Kavya"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(mine["branch_id"].is_string(), "defaults to the agent's branch: {mine}");
    let elsewhere =
        agent.post(app.url("/api/v1/contacts")).json(&json!({"given_name": "Kavya", "branch": "Lucknow"})).send();
    assert_eq!(problem(elsewhere.await.unwrap()).await["errors"][0]["field"], "branch");
    // Companies: those of the branch and those of no branch are shared; others do not exist.
    let company = |branch: Option<&str>| {
        let body = match branch {
            Some(branch) => json!({"legal_name": format!("Traders of {branch}"), "branch": branch}),
            None => json!({"legal_name": "Traders of everywhere"}),
        };
        app.post("/api/v1/companies", body)
    };
    let mut companies = Vec::new();
    for branch in [Some("Chennai"), Some("Lucknow"), None] {
        let created: Value = company(branch).await.json().await.unwrap();
        companies.push(created["id"].as_str().unwrap().to_owned());
    }
    let viewer = app.staff("viewer2@test.in", "viewer", Some("Chennai")).await;
    for (client, who) in [(&agent, "agent"), (&viewer, "viewer")] {
        let statuses: Vec<u16> = company_statuses(client, &app, &companies).await;
        assert_eq!(statuses, [200, 404, 200], "{who} reads companies");
        let listed: Value = client.get(app.url("/api/v1/companies")).send().await.unwrap().json().await.unwrap();
        assert_eq!(listed["items"].as_array().unwrap().len(), 2, "{who}: {listed}");
    }
    let rename = json!({"industry": "Textiles"});
    let path = |id: &str| app.url(&format!("/api/v1/companies/{id}"));
    let patch =
        |client: &reqwest::Client, id: &str| client.patch(path(id)).header("If-Match", "*").json(&rename).send();
    assert_eq!(patch(&agent, &companies[0]).await.unwrap().status(), StatusCode::OK);
    assert_eq!(patch(&agent, &companies[1]).await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(patch(&viewer, &companies[0]).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(patch(&agent, &companies[2]).await.unwrap().status(), StatusCode::FORBIDDEN, "shared: read only");
    let manager = app.staff("manager2@test.in", "manager", Some("Chennai")).await;
    assert_eq!(manager.delete(path(&companies[2])).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(patch(&app.client, &companies[2]).await.unwrap().status(), StatusCode::OK, "the owner may");
    assert_eq!(agent.delete(path(&companies[0])).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // Nobody without credentials.
    let anonymous = app.anonymous.get(app.url("/api/v1/contacts")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let bad_token = common::client_with_token("sambandh_not-a-token").get(app.url("/api/v1/contacts")).send();
    assert_eq!(bad_token.await.unwrap().status(), StatusCode::UNAUTHORIZED);
});

/// What `GET /api/v1/companies/{id}` answers for each company.
async fn company_statuses(client: &reqwest::Client, app: &TestApp, ids: &[String]) -> Vec<u16> {
    let mut statuses = Vec::new();
    for id in ids {
        let response = client.get(app.url(&format!("/api/v1/companies/{id}"))).send().await.unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

/// The `name=value` of a response's cookie.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_owned()
}

api_test!(sessions_need_csrf_tokens_for_changes_and_sign_out_everywhere, |app| {
    common::add_user(&app.app, "meena@test.in", "manager", Some(&app.chennai().await)).await;
    let sign_in = |password: &'static str| {
        app.anonymous
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "Meena@Test.in", "password": password}))
            .send()
    };
    // A cross-site form can send text/plain without asking first: it is not JSON here.
    let forged = app
        .anonymous
        .post(app.url("/api/v1/session"))
        .header("Content-Type", "text/plain;x=+json")
        .body(json!({"email": "meena@test.in", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    let wrong = sign_in("not the password").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(problem(wrong).await["detail"], "the e-mail or the password is wrong");

    let response = sign_in(PASSWORD).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let set = set_cookie(&response, "sambandh_session").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Secure"), "not over plain HTTP");
    let cookie = cookie_pair(&set);
    let body: Value = response.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    assert_eq!(body["user"]["role"], "manager");

    let with_cookie = |request: reqwest::RequestBuilder| request.header("Cookie", cookie.clone());
    let list = with_cookie(app.anonymous.get(app.url("/api/v1/contacts"))).send().await.unwrap();
    assert_eq!(list.status(), StatusCode::OK, "a read needs no CSRF token");
    let contact = json!({"given_name": "Raja"});
    let no_token = with_cookie(app.anonymous.post(app.url("/api/v1/contacts"))).json(&contact).send().await.unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
    assert_eq!(problem(no_token).await["type"], "/problems/csrf");
    let wrong_token = with_cookie(app.anonymous.post(app.url("/api/v1/contacts")))
        .header("X-CSRF-Token", "guess")
        .json(&contact)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);
    let created = with_cookie(app.anonymous.post(app.url("/api/v1/contacts")))
        .header("X-CSRF-Token", &csrf)
        .json(&contact)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let behind_tls = sign_in(PASSWORD);
    let _ = behind_tls.await.unwrap();
    let tls = app
        .anonymous
        .post(app.url("/api/v1/session"))
        .header("X-Forwarded-Proto", "https")
        .json(&json!({"email": "meena@test.in", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(set_cookie(&tls, "sambandh_session").unwrap().contains("; Secure"), "Secure behind TLS");

    // Sign out everywhere ends this session and the other two.
    let ended = with_cookie(app.anonymous.delete(app.url("/api/v1/sessions")))
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::OK);
    assert_eq!(ended.json::<Value>().await.unwrap()["ended"], 3);
    let after = with_cookie(app.anonymous.get(app.url("/api/v1/contacts"))).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
});

api_test!(the_sign_in_page_uses_a_csrf_token_and_escapes_html, |app| {
    let input = sambandh_domain::UserInput {
        email: Some("raja@test.in".into()),
        name: Some("<b>Raja</b>".into()),
        role: Some("agent".into()),
        branch: Some(app.chennai().await),
        languages: vec![],
    };
    app.app.add_user(&sambandh_app::Caller::LocalOperator, &input, Some(PASSWORD.into())).await.unwrap();
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let home = no_redirects.get(app.url("/")).send().await.unwrap();
    assert_eq!(
        (home.status(), home.headers()["location"].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/sign-in?next=%2F"),
        "back to the page asked for after signing in"
    );

    let form = no_redirects.get(app.url("/sign-in")).send().await.unwrap();
    let form_cookie = cookie_pair(&set_cookie(&form, "sambandh_sign_in").unwrap());
    let page = form.text().await.unwrap();
    let token = page.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(form_cookie, format!("sambandh_sign_in={token}"));

    let fields = [("email", "raja@test.in"), ("password", PASSWORD), ("csrf_token", token.as_str())];
    let forged = no_redirects.post(app.url("/sign-in")).form(&fields).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a form posted without the form's cookie");
    let signed_in =
        no_redirects.post(app.url("/sign-in")).header("Cookie", &form_cookie).form(&fields).send().await.unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let session = cookie_pair(&set_cookie(&signed_in, "sambandh_session").unwrap());
    let home = no_redirects.get(app.url("/")).header("Cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("&lt;b&gt;Raja&lt;") && !home.contains("<b>Raja"), "escaped: {home}");
    let csrf = home.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();

    let forged = no_redirects.post(app.url("/sign-out")).header("Cookie", &session).form(&[("csrf_token", "x")]);
    assert_eq!(forged.send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let out = no_redirects.post(app.url("/sign-out")).header("Cookie", &session).form(&[("csrf_token", &csrf)]);
    assert_eq!(out.send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let api = no_redirects.get(app.url("/api/v1/contacts")).header("Cookie", &session).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED, "the session is gone");
});

api_test!(failed_sign_ins_are_throttled_alike_for_known_and_unknown_accounts, |app| {
    common::add_user(&app.app, "known@test.in", "agent", Some(&app.chennai().await)).await;
    for email in ["known@test.in", "unknown@test.in"] {
        let attempt = |password: &str| {
            app.anonymous.post(app.url("/api/v1/session")).json(&json!({"email": email, "password": password})).send()
        };
        for _ in 0..sambandh_app::auth::MAX_FAILURES_PER_ACCOUNT {
            assert_eq!(attempt("wrong password").await.unwrap().status(), StatusCode::UNAUTHORIZED);
        }
        let blocked = attempt(PASSWORD).await.unwrap();
        assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS, "{email}: even the right password waits");
        let retry_after: u64 = blocked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((800..=900).contains(&retry_after), "{retry_after}");
        assert_eq!(problem(blocked).await["type"], "/problems/too-many-attempts");
    }
    let audit: Value = app.get("/api/v1/audit?action=sign_in_failed&limit=500").await.json().await.unwrap();
    assert_eq!(audit["items"].as_array().unwrap().len(), 10);
    assert_eq!(audit["items"][0]["address"], "127.0.0.1");
});

api_test!(tokens_are_shown_once_listed_and_revoked, |app| {
    let made = app.post("/api/v1/tokens", json!({"label": "accounts sync", "expires": "90d"})).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: Value = made.json().await.unwrap();
    let secret = made["secret"].as_str().unwrap();
    assert!(secret.starts_with("sambandh_"));
    let expires: jiff::Timestamp = made["token"]["expires_at"].as_str().unwrap().parse().unwrap();
    let days = expires.duration_since(jiff::Timestamp::now()).as_hours() / 24;
    assert!((89..=90).contains(&days), "{days}");
    let client = common::client_with_token(secret);
    assert_eq!(client.get(app.url("/api/v1/session")).send().await.unwrap().status(), StatusCode::OK);

    let listed: Value = app.get("/api/v1/tokens").await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "the harness's token and this one");
    assert!(!listed.to_string().contains(secret), "the secret is never shown again");
    let bad = app.post("/api/v1/tokens", json!({"expires": "soon"})).await;
    assert_eq!(problem(bad).await["errors"][0]["field"], "expires");
    common::add_user(&app.app, "clerk@test.in", "viewer", None).await;
    let for_someone_else = app.post("/api/v1/tokens", json!({"user": "clerk@test.in"})).await;
    assert_eq!(for_someone_else.status(), StatusCode::FORBIDDEN, "a token acts as its user: only they make it");

    let id = made["token"]["id"].as_str().unwrap();
    let revoked = app.client.delete(app.url(&format!("/api/v1/tokens/{id}"))).send().await.unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    assert_eq!(client.get(app.url("/api/v1/session")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // Someone else's token is not yours to revoke: it does not exist for you.
    let agent = app.staff("agent@test.in", "agent", Some(&app.chennai().await)).await;
    let (owner_token, _) =
        app.app.create_token(&sambandh_app::Caller::LocalOperator, Some("owner@test.in"), None, None).await.unwrap();
    let path = app.url(&format!("/api/v1/tokens/{}", owner_token.id));
    assert_eq!(agent.delete(path).send().await.unwrap().status(), StatusCode::NOT_FOUND);
});

api_test!(the_audit_log_records_who_did_what_to_a_contact, |app| {
    let created: Value = app
        .post("/api/v1/contacts", json!({"given_name": "Raja", "emails": ["raja@example.com"]}))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/contacts/{id}");
    app.patch(&path, Some("\"1\""), json!({"emails": ["raja@new.example"], "city": "Madurai"})).await;
    app.get(&path).await;
    let consent = json!({"purpose": "marketing", "channel": "email", "status": "withdrawn", "method": "email"});
    app.post(&format!("{path}/consents"), consent).await;
    app.get("/api/v1/exports/contacts?format=csv").await;

    let entries: Value = app.get(&format!("/api/v1/audit?record={id}")).await.json().await.unwrap();
    let actions: Vec<&str> =
        entries["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["consent", "view", "update", "create"], "newest first");
    let update = &entries["items"][2];
    assert_eq!(update["actor"], "owner@test.in");
    assert_eq!(update["via"], "token");
    assert_eq!(update["address"], "127.0.0.1");
    assert_eq!(update["changes"]["emails"], json!({"before": ["raja@example.com"], "after": ["raja@new.example"]}));
    assert_eq!(update["changes"]["city"], json!({"before": null, "after": "Madurai"}));
    assert!(update["changes"].get("given_name").is_none(), "only what changed");
    let exports: Value = app.get("/api/v1/audit?action=export").await.json().await.unwrap();
    assert_eq!(exports["items"].as_array().unwrap().len(), 1);
    let since = jiff::Timestamp::now().checked_add(jiff::SignedDuration::from_hours(1)).unwrap();
    let none: Value = app.get(&format!("/api/v1/audit?since={since}")).await.json().await.unwrap();
    assert!(none["items"].as_array().unwrap().is_empty());
    let bad = app.get("/api/v1/audit?since=yesterday").await;
    assert_eq!(problem(bad).await["errors"][0]["field"], "since");

    // Lookups are views of what they find; list pages name the contacts they showed.
    app.get("/api/v1/contacts/lookup?email=raja@new.example").await;
    let views: Value = app.get(&format!("/api/v1/audit?record={id}&action=view")).await.json().await.unwrap();
    assert_eq!(views["items"].as_array().unwrap().len(), 2, "{views}");
    app.get("/api/v1/contacts").await;
    let lists: Value = app.get("/api/v1/audit?action=list").await.json().await.unwrap();
    assert_eq!(lists["items"][0]["changes"]["contacts"][0], id);

    // A deleted contact leaves no copy of itself in the log.
    app.client.delete(app.url(&path)).send().await.unwrap();
    let after: Value = app.get(&format!("/api/v1/audit?record={id}")).await.json().await.unwrap();
    assert_eq!(after["items"][0]["action"], "delete");
    assert!(after["items"].as_array().unwrap().iter().all(|entry| entry["changes"].is_null()), "{after}");
});

api_test!(consent_is_recorded_per_purpose_and_channel, |app| {
    let created: Value = app.post("/api/v1/contacts", json!({"given_name": "Raja"})).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let contact_id: sambandh_domain::ContactId = id.parse().unwrap();
    use sambandh_domain::{Channel, Purpose};
    assert!(app.app.may_contact(contact_id, Purpose::Service, Channel::Email).await.unwrap(), "service by default");
    assert!(
        !app.app.may_contact(contact_id, Purpose::Greetings, Channel::Whatsapp).await.unwrap(),
        "greetings ask first"
    );

    let path = format!("/api/v1/contacts/{id}/consents");
    let give = json!({"purpose": "greetings", "channel": "whatsapp", "status": "given", "method": "verbal",
        "notice_language": "ta", "note": "said yes on the call"});
    let given = app.post(&path, give).await;
    assert_eq!(given.status(), StatusCode::CREATED);
    assert!(given.json::<Value>().await.unwrap()["recorded_by"].as_str().is_some(), "by whom");
    assert!(app.app.may_contact(contact_id, Purpose::Greetings, Channel::Whatsapp).await.unwrap());
    let withdraw = json!({"purpose": "greetings", "channel": "whatsapp", "status": "withdrawn", "method": "message"});
    app.post(&path, withdraw).await;
    assert!(!app.app.may_contact(contact_id, Purpose::Greetings, Channel::Whatsapp).await.unwrap());

    let consents: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(consents["history"].as_array().unwrap().len(), 2);
    assert_eq!(consents["current"].as_array().unwrap().len(), 1);
    assert_eq!(consents["current"][0]["status"], "withdrawn");
    let bad = app.post(&path, json!({"purpose": "spam", "channel": "pigeon"})).await;
    let fields = problem_fields(bad).await;
    assert_eq!(fields, ["purpose", "channel", "status", "method"]);
});

/// Every text value stored anywhere in the database, read behind the API's back.
async fn every_stored_text(db_url: &str) -> Vec<(String, String, String)> {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(db_url).await.unwrap();
    let columns_query = if db_url.starts_with("sqlite:") {
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
    } else {
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = current_schema()"
    };
    let columns: Vec<(String, String)> = sqlx::query(columns_query)
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get::<String, _>(0), row.get::<String, _>(1)))
        .collect();
    let mut values = Vec::new();
    for (table, column) in columns {
        let sql = format!("SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\"");
        for row in sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut conn).await.unwrap() {
            if let Some(value) = row.get::<Option<String>, _>(0) {
                values.push((table.clone(), column.clone(), value));
            }
        }
    }
    values
}

api_test!(erasure_removes_the_person_from_every_table_and_the_files, |app| {
    app.chennai().await;
    let person = json!({
        "honorific": "Thiru",
        "given_name": "கார்த்திகேயன்",
        "family_name": "சுப்பிரமணியம்",
        "name_latin": "Karthikeyan Subramaniam",
        "other_names": {"Deva": "कार्तिकेयन सुब्रमण्यम"},
        "emails": ["old.karthikeyan@example.org"],
        "phones": ["98400 77777"],
        "birthday": "1987-03-14",
        "address_line": "14 Pycrofts Road",
        "city": "Chennai",
        "pin_code": "600005",
        "branch": "Chennai",
        "value_tier": "gold",
        "language": "ta",
        "region": "IN-TN",
        "custom_fields": {"note": "allergic to cashews"}
    });
    let created: Value = app.post("/api/v1/contacts", person).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/contacts/{id}");
    let changed = app.patch(&path, Some("\"1\""), json!({"emails": ["karthikeyan.s@example.org"]})).await;
    assert_eq!(changed.status(), StatusCode::OK);
    app.get(&path).await;
    let consent = json!({"purpose": "greetings", "channel": "sms", "status": "given", "method": "verbal",
        "note": "Karthikeyan said yes on 98400 77777"});
    app.post(&format!("{path}/consents"), consent).await;
    let company: Value =
        app.post("/api/v1/companies", json!({"legal_name": "Subramaniam Traders"})).await.json().await.unwrap();
    let company_id = company["id"].as_str().unwrap();
    app.client
        .put(app.url(&format!("/api/v1/companies/{company_id}/contacts/{id}")))
        .json(&json!({"role": "Proprietor"}))
        .send()
        .await
        .unwrap();

    let call = json!({"kind": "call", "direction": "in", "duration_seconds": 240,
        "text": "Karthikeyan wants cashews gift boxes delivered to Pycrofts Road"});
    assert_eq!(app.post(&format!("{path}/interactions"), call).await.status(), StatusCode::CREATED);
    let need = json!({"text": "cashews gift boxes for Karthikeyan's shop"});
    assert_eq!(app.post(&format!("{path}/needs"), need).await.status(), StatusCode::CREATED);
    let task = json!({"title": "Call Karthikeyan about the cashews", "due_at": "2026-12-01T10:00:00+05:30",
        "contact": id, "notes": "He lives on Pycrofts Road"});
    assert_eq!(app.post("/api/v1/tasks", task).await.status(), StatusCode::CREATED);
    // A birthday greeting written to him, approved and waiting in the outbox, and a date
    // of his own whose label names him.
    let by_email = json!({"purpose": "greetings", "channel": "email", "status": "given", "method": "form"});
    assert_eq!(app.post(&format!("{path}/consents"), by_email).await.status(), StatusCode::CREATED);
    let own_date = json!({"occasion": "custom:Karthikeyan's shop opening", "on": "06-01", "method": "verbal"});
    assert_eq!(app.post(&format!("{path}/occasions"), own_date).await.status(), StatusCode::CREATED);
    let run: Value = app.post("/api/v1/greetings/runs", json!({"date": "2026-03-13"})).await.json().await.unwrap();
    assert_eq!(run["created"], 1);
    let approve = json!({"date": "2026-03-14", "decision": "approve"});
    let decided: Value = app.post("/api/v1/greetings/decisions", approve).await.json().await.unwrap();
    assert_eq!(decided["decided"], 1);

    // A ticket he opened, answered, with a note about him.
    let ticket = json!({"contact_id": id, "subject": "Cashews for Karthikeyan",
        "text": "Please deliver the cashews to 14 Pycrofts Road", "source": "phone"});
    let ticket: Value = app.post("/api/v1/tickets", ticket).await.json().await.unwrap();
    let ticket_id = ticket["ticket"]["id"].as_str().unwrap().to_owned();
    let reply = json!({"text": "Karthikeyan, the cashews leave today for Pycrofts Road"});
    assert_eq!(app.post(&format!("/api/v1/tickets/{ticket_id}/replies"), reply).await.status(), StatusCode::OK);
    let note = json!({"text": "Karthikeyan prefers calls after 6"});
    assert_eq!(app.post(&format!("/api/v1/tickets/{ticket_id}/notes"), note).await.status(), StatusCode::CREATED);

    // Everything held, before.
    let held: Value = app.get(&format!("{path}/export")).await.json().await.unwrap();
    assert_eq!(held["tickets"][0]["ticket"]["subject"], "Cashews for Karthikeyan");
    assert_eq!(held["tickets"][0]["entries"].as_array().unwrap().len(), 3, "{}", held["tickets"]);
    assert_eq!(held["contact"]["emails"][0], "karthikeyan.s@example.org");
    assert_eq!(held["consents"][0]["note"], "Karthikeyan said yes on 98400 77777");
    assert_eq!(held["companies"][0]["role"], "Proprietor");
    assert_eq!(held["occasions"][0]["occasion"], "custom:Karthikeyan's shop opening");
    assert_eq!(held["messages"][0]["recipient"], "karthikeyan.s@example.org");
    assert!(held["messages"][0]["body"].as_str().unwrap().starts_with("அன்புள்ள திரு. கார்த்திகேயன் அவர்களுக்கு,"));

    let erased = app.post(&format!("{path}/erase"), json!({})).await;
    assert_eq!(erased.status(), StatusCode::OK);
    let erased: Value = erased.json().await.unwrap();
    assert_eq!(erased["given_name"], "[erased]");
    assert!(erased["erased_at"].is_string());
    assert_eq!((erased["value_tier"].as_str(), erased["branch_id"].is_string()), (Some("gold"), true), "{erased}");
    app.app.flush_audit().await;

    let needles = [
        "கார்த்திகேயன்",
        "சுப்பிரமணியம்",
        "Karthikeyan",
        "karthikeyan",
        "कार्तिकेयन",
        "919840077777",
        "98400 77777",
        "1987-03-14",
        "Pycrofts",
        "600005",
        "cashews",
    ];
    for (table, column, value) in every_stored_text(&app.db_url).await {
        for needle in needles {
            assert!(!value.contains(needle), "{table}.{column} still holds '{needle}': {value}");
        }
    }
    if let Some(file) = app.db_url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal"] {
            let Ok(bytes) = std::fs::read(format!("{file}{suffix}")) else { continue };
            for needle in needles {
                let found = bytes.windows(needle.len()).any(|window| window == needle.as_bytes());
                assert!(!found, "{file}{suffix} still holds the bytes of '{needle}'");
            }
        }
    }
    // The facts stay: the record, its link, the consent given, and the audit of what was done.
    assert_eq!(app.get(&path).await.status(), StatusCode::OK);
    let links: Value = app.get(&format!("{path}/companies")).await.json().await.unwrap();
    assert_eq!(links["items"].as_array().unwrap().len(), 1);
    let consents: Value = app.get(&format!("{path}/consents")).await.json().await.unwrap();
    assert_eq!(consents["current"][0]["status"], "given");
    let timeline: Value = app.get(&format!("{path}/timeline")).await.json().await.unwrap();
    let items = timeline["items"].as_array().unwrap();
    assert!(items.iter().any(|item| item["duration_seconds"] == 240), "that the call happened stays: {timeline}");
    let audit: Value = app.get(&format!("/api/v1/audit?record={id}")).await.json().await.unwrap();
    assert_eq!(audit["items"][1]["action"], "erase");
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["changes"].is_null() || entry["action"] == "consent")
    );
    let again = app.patch(&path, Some("*"), json!({"given_name": "Someone"})).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "an erased record takes no new personal data");
    let note = json!({"purpose": "marketing", "channel": "sms", "status": "given", "method": "form", "note": "x"});
    assert_eq!(app.post(&format!("{path}/consents"), note).await.status(), StatusCode::BAD_REQUEST);
    let contact_id: sambandh_domain::ContactId = id.parse().unwrap();
    let may = app.app.may_contact(contact_id, sambandh_domain::Purpose::Greetings, sambandh_domain::Channel::Sms);
    assert!(!may.await.unwrap(), "consent was given, but there is no one left to greet");
});
