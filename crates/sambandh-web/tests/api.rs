//! The HTTP API driven over a real socket, on SQLite and on PostgreSQL.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{TestApp, problem, problem_fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn karthik() -> Value {
    json!({
        "honorific": "Thiru",
        "given_name": "கார்த்திக்",
        "father_name": "R.",
        "name_latin": "R. Karthik",
        "language": "ta",
        "emails": ["Karthik@Example.COM"],
        "phones": ["098400 12345"],
        "birthday": "14/03/1987",
        "pin_code": "600 017",
        "city": "Chennai",
        "branch": "chennai",
        "tags": ["VIP"],
        "other_names": {"Deva": "कार्तिक"},
        "custom_fields": {"shop_size": "large"}
    })
}

api_test!(create_read_and_normalise_a_contact, |app| {
    let branch_id = app.chennai().await;
    let response = app.post("/api/v1/contacts", karthik()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/contacts/{}", created["id"].as_str().unwrap()));
    assert_eq!(created["phones"], json!(["+919840012345"]));
    assert_eq!(created["emails"], json!(["Karthik@example.com"]));
    assert_eq!(created["birthday"], "1987-03-14");
    assert_eq!(created["pin_code"], "600017");
    assert_eq!(created["branch_id"], branch_id.as_str());
    assert_eq!(created["tags"], json!(["vip"]));
    assert_eq!(created["full_name"], "R. கார்த்திக்");
    assert_eq!(created["script"], "Taml");

    let read = app.get(&location).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.headers()["etag"], "\"1\"");
    assert_eq!(read.json::<Value>().await.unwrap(), created);
});

api_test!(invalid_fields_are_named_in_a_problem_document, |app| {
    let mut body = karthik();
    body["emails"] = json!(["not-an-email"]);
    body["pin_code"] = json!("012345");
    body["branch"] = json!("Madurai");
    body["phones"] = json!(["12"]);
    let response = app.post("/api/v1/contacts", body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = problem(response).await;
    assert_eq!(doc["status"], 422);
    let fields: Vec<&str> = doc["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["emails[0]", "phones[0]", "pin_code", "branch"]);
    assert!(doc["errors"][2]["reason"].as_str().unwrap().contains("must not start with 0"));
    // Nothing was stored.
    let list: Value = app.get("/api/v1/contacts").await.json().await.unwrap();
    assert_eq!(list["items"], json!([]));

    let malformed = app
        .client
        .post(app.url("/api/v1/contacts"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert!(problem(malformed).await["detail"].as_str().unwrap().contains("JSON"));
    let wrong_type = app.post("/api/v1/contacts", json!({"given_name": "Raja", "emails": [42]})).await;
    assert_eq!(wrong_type.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = problem(wrong_type).await;
    assert_eq!(doc["errors"][0]["field"], "emails[0]");
    assert!(doc["errors"][0]["reason"].as_str().unwrap().contains("expected a string"));
    let unknown = app.post("/api/v1/contacts", json!({"given_name": "Raja", "shoe_size": "9"})).await;
    assert!(problem(unknown).await["detail"].as_str().unwrap().contains("shoe_size"));
});

api_test!(patch_needs_the_current_version, |app| {
    app.chennai().await;
    let created: Value = app.post("/api/v1/contacts", karthik()).await.json().await.unwrap();
    let path = format!("/api/v1/contacts/{}", created["id"].as_str().unwrap());

    let without = app.patch(&path, None, json!({"city": "Madurai"})).await;
    assert_eq!(without.status(), StatusCode::PRECONDITION_REQUIRED);

    let updated = app
        .patch(&path, Some("\"1\""), json!({"city": "Madurai", "pin_code": null, "phones": ["+91-98400-99999"]}))
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
    assert_eq!(updated.headers()["etag"], "\"2\"");
    let updated: Value = updated.json().await.unwrap();
    assert_eq!((updated["city"].as_str(), updated["pin_code"].as_str()), (Some("Madurai"), None));
    assert_eq!(updated["phones"], json!(["+919840099999"]));
    assert_eq!(updated["given_name"], "கார்த்திக்", "fields not in the patch are kept");

    let stale = app.patch(&path, Some("\"1\""), json!({"city": "Coimbatore"})).await;
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(problem(stale).await["current_version"], 2);
    let invalid = app.patch(&path, Some("\"2\""), json!({"birthday": "31/02/1990", "version": 9})).await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let current: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!((current["city"].as_str(), current["version"].as_i64()), (Some("Madurai"), Some(2)), "nothing changed");
});

api_test!(delete_then_not_found, |app| {
    let created: Value = app.post("/api/v1/contacts", json!({"given_name": "Raja"})).await.json().await.unwrap();
    let path = format!("/api/v1/contacts/{}", created["id"].as_str().unwrap());
    let deleted = app.client.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/contacts/not-a-uuid").await.status(), StatusCode::NOT_FOUND);
});

api_test!(list_filters_sorts_and_pages, |app| {
    app.chennai().await;
    for (name, tier, language) in
        [("Meena", "gold", "ta"), ("Arun", "silver", "ta-IN"), ("Hetal", "gold", "gu"), ("Bala", "gold", "ta")]
    {
        let body = json!({"given_name": name, "name_latin": name, "value_tier": tier, "language": language,
            "branch": if language == "gu" { Value::Null } else { json!("Chennai") }, "tags": ["retail"]});
        assert_eq!(app.post("/api/v1/contacts", body).await.status(), StatusCode::CREATED);
    }
    let first: Value = app.get("/api/v1/contacts?tier=gold&sort=name&limit=2").await.json().await.unwrap();
    let names = |page: &Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["given_name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first), ["Bala", "Hetal"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second: Value =
        app.get(&format!("/api/v1/contacts?tier=gold&sort=name&limit=2&cursor={cursor}")).await.json().await.unwrap();
    assert_eq!(names(&second), ["Meena"]);
    assert!(second["next_cursor"].is_null());

    let tamil: Value = app.get("/api/v1/contacts?language=ta&branch=Chennai&sort=-name").await.json().await.unwrap();
    assert_eq!(names(&tamil), ["Meena", "Bala", "Arun"]);
    let since: Value =
        app.get("/api/v1/contacts?updated_since=2000-01-01T00:00:00Z&tag=retail").await.json().await.unwrap();
    assert_eq!(names(&since).len(), 4);

    let bad = app.get("/api/v1/contacts?tier=diamond&sort=age&limit=0").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = problem_fields(bad).await;
    assert_eq!(fields, ["tier", "sort", "limit"]);
    assert_eq!(app.get("/api/v1/contacts?cursor=garbage").await.status(), StatusCode::BAD_REQUEST);
});

api_test!(lookup_by_email_or_phone, |app| {
    app.chennai().await;
    app.post("/api/v1/contacts", karthik()).await;
    let by_phone: Value = app.get("/api/v1/contacts/lookup?phone=%2B91%2098400%2012345").await.json().await.unwrap();
    assert_eq!(by_phone["items"][0]["name_latin"], "R. Karthik");
    let by_email: Value = app.get("/api/v1/contacts/lookup?email=karthik@example.com").await.json().await.unwrap();
    assert_eq!(by_email["items"].as_array().unwrap().len(), 1);
    let none: Value = app.get("/api/v1/contacts/lookup?email=nobody@example.com").await.json().await.unwrap();
    assert_eq!(none["items"], json!([]));
    assert_eq!(app.get("/api/v1/contacts/lookup?phone=abc").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
});

api_test!(companies_with_gstin_and_contact_links, |app| {
    let contact: Value = app.post("/api/v1/contacts", json!({"given_name": "Raja"})).await.json().await.unwrap();
    let body = json!({"legal_name": "Sri Murugan Textiles Pvt. Ltd.", "gstin": "27aapfu0939f1zv", "founded_on": "01/04/1995",
        "other_names": {"Taml": "ஸ்ரீ முருகன் டெக்ஸ்டைல்ஸ்"}});
    let response = app.post("/api/v1/companies", body.clone()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let company: Value = response.json().await.unwrap();
    assert_eq!(
        (company["gstin"].as_str(), company["founded_on"].as_str()),
        (Some("27AAPFU0939F1ZV"), Some("1995-04-01"))
    );
    assert_eq!(app.post("/api/v1/companies", body).await.status(), StatusCode::CONFLICT);
    let typo = app.post("/api/v1/companies", json!({"legal_name": "X", "gstin": "27AAPFU0939F1ZX"})).await;
    assert_eq!(problem(typo).await["errors"][0]["field"], "gstin");

    let company_id = company["id"].as_str().unwrap();
    let contact_id = contact["id"].as_str().unwrap();
    let link = app
        .client
        .put(app.url(&format!("/api/v1/companies/{company_id}/contacts/{contact_id}")))
        .json(&json!({"role": "Owner"}))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), StatusCode::OK);
    let links: Value = app.get(&format!("/api/v1/contacts/{contact_id}/companies")).await.json().await.unwrap();
    assert_eq!(links["items"][0]["role"], "Owner");
    let patched =
        app.patch(&format!("/api/v1/companies/{company_id}"), Some("\"1\""), json!({"industry": "Textiles"})).await;
    assert_eq!(patched.json::<Value>().await.unwrap()["industry"], "Textiles");
});

api_test!(import_and_export_over_http, |app| {
    app.chennai().await;
    let csv = "given_name,name_latin,phone,pin_code,branch\nகார்த்திக்,Karthik,98400 12345,600017,Chennai\nராஜா,Raja,98400 54321,012345,Chennai\nமீனா,Meena,98400 11111,600001,Madurai\n";
    let response = app.client.post(app.url("/api/v1/imports/contacts")).body(csv).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["summary"], "imported 1, rejected 2");
    assert_eq!(report["rejections"][0]["row"], 3);
    assert!(report["rejections"][0]["reason"].as_str().unwrap().starts_with("pin_code:"));
    assert_eq!(report["rejections"][1]["row"], 4);
    assert!(report["rejections"][1]["reason"].as_str().unwrap().contains("no branch is named 'Madurai'"));

    let export = app.get("/api/v1/exports/contacts?format=vcard").await;
    assert_eq!(export.headers()["content-type"], "text/vcard; charset=utf-8");
    let vcard = export.text().await.unwrap();
    assert_eq!(vcard.matches("BEGIN:VCARD").count(), 1);
    assert!(vcard.contains("TEL;VALUE=uri;PREF=1:tel:+919840012345"));
});

api_test!(health_and_openapi, |app| {
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/companies", "/api/v1/imports/contacts"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is documented");
    }
    let unknown = app.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
});

api_test!(a_contact_is_owned_by_a_member_of_staff, |app| {
    let store_app = app.app.clone();
    let input = sambandh_domain::UserInput {
        email: Some("meena@shop.in".into()),
        name: Some("Meena".into()),
        role: Some("admin".into()),
        ..Default::default()
    };
    let meena = store_app.add_user(&sambandh_app::Caller::LocalOperator, &input, None).await.unwrap();
    let created: Value = app
        .post("/api/v1/contacts", json!({"given_name": "Raja", "owner": "Meena@Shop.in"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(created["owner_id"], meena.id.to_string());
    app.post("/api/v1/contacts", json!({"given_name": "Bala"})).await;
    let mine: Value = app.get("/api/v1/contacts?owner=meena@shop.in").await.json().await.unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["items"][0]["given_name"], "Raja");
    let unknown = app.post("/api/v1/contacts", json!({"given_name": "Rani", "owner": "nobody@shop.in"})).await;
    assert_eq!(problem(unknown).await["errors"][0]["field"], "owner");
    let path = format!("/api/v1/contacts/{}", created["id"].as_str().unwrap());
    let cleared: Value = app.patch(&path, Some("\"1\""), json!({"owner": null})).await.json().await.unwrap();
    assert!(cleared["owner_id"].is_null());
});
