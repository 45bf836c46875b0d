//! The relationship timeline over HTTP on both engines: interactions, the timeline
//! newest first, needs and the contacts filter by need, within the caller's scope.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{TestApp, problem_fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn contact(app: &TestApp, name: &str, branch: &str) -> String {
    let created: Value =
        app.post("/api/v1/contacts", json!({"given_name": name, "branch": branch})).await.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

api_test!(interactions_make_a_timeline_and_needs_a_filter, |app| {
    app.chennai().await;
    app.branch("Lucknow", "IN-UP", "hi").await;
    let raja = contact(&app, "ராஜா", "Chennai").await;
    let path = |tail: &str| format!("/api/v1/contacts/{raja}/{tail}");

    let call = json!({"kind": "call", "direction": "in", "duration_seconds": 185, "outcome": "answered",
        "language": "ta", "occurred_at": "2026-11-20T10:30:00+05:30", "text": "Asked about cold storage.\nCall back Monday."});
    let logged = app.post(&path("interactions"), call).await;
    assert_eq!(logged.status(), StatusCode::CREATED);
    let logged: Value = logged.json().await.unwrap();
    assert_eq!(logged["occurred_at"], "2026-11-20T05:00:00Z");
    assert!(logged["staff_id"].is_string(), "the caller by default: {logged}");
    let visit =
        json!({"kind": "web_visit", "page": "/products/cold-storage-unit", "occurred_at": "2026-11-21T09:00:00Z"});
    assert_eq!(app.post(&path("interactions"), visit).await.status(), StatusCode::CREATED);
    let note = json!({"kind": "note", "text": "Prefers calls after 6 pm"});
    assert_eq!(app.post(&path("interactions"), note).await.status(), StatusCode::CREATED, "now, by default");

    let bad = app.post(&path("interactions"), json!({"kind": "meeting", "duration_seconds": 60, "page": 5})).await;
    assert_eq!(problem_fields(bad).await, ["page"], "a value of the wrong type is named first");
    let bad =
        app.post(&path("interactions"), json!({"kind": "meeting", "duration_seconds": 60, "outcome": "great"})).await;
    assert_eq!(problem_fields(bad).await, ["outcome", "duration_seconds"]);

    let first: Value = app.get(&format!("{}?limit=2", path("timeline"))).await.json().await.unwrap();
    let kinds = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(kinds(&first), ["note", "web_visit"]);
    assert_eq!(first["items"][0]["type"], "interaction");
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest: Value = app.get(&format!("{}?limit=2&cursor={cursor}", path("timeline"))).await.json().await.unwrap();
    assert_eq!(kinds(&rest), ["call"]);
    assert!(rest["next_cursor"].is_null());

    let call_id = logged["id"].as_str().unwrap();
    let need = json!({"text": "A cold-storage unit before Diwali", "learnt_from": call_id});
    let noted = app.post(&path("needs"), need).await;
    assert_eq!(noted.status(), StatusCode::CREATED);
    assert_eq!(noted.json::<Value>().await.unwrap()["learnt_from"], call_id);
    let other = contact(&app, "ராணி", "Chennai").await;
    let foreign = json!({"text": "Gift boxes", "learnt_from": call_id});
    let refused = app.post(&format!("/api/v1/contacts/{other}/needs"), foreign).await;
    assert_eq!(problem_fields(refused).await, ["learnt_from"]);
    let needs: Value = app.get(&path("needs")).await.json().await.unwrap();
    assert_eq!(needs["items"].as_array().unwrap().len(), 1);
    let found: Value = app.get("/api/v1/contacts?need=COLD-STORAGE").await.json().await.unwrap();
    let ids: Vec<&str> = found["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [raja.as_str()]);

    // Out of scope: an agent of another branch sees no timeline and logs nothing.
    let agent = app.staff("agent@test.in", "agent", Some("Lucknow")).await;
    let url = app.url(&path("timeline"));
    assert_eq!(agent.get(url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let url = app.url(&path("interactions"));
    let attempt = agent.post(url).json(&json!({"kind": "note", "text": "x"})).send().await.unwrap();
    assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
    let viewer = app.staff("viewer@test.in", "viewer", None).await;
    let url = app.url(&path("interactions"));
    let attempt = viewer.post(url).json(&json!({"kind": "note", "text": "x"})).send().await.unwrap();
    assert_eq!(attempt.status(), StatusCode::FORBIDDEN);

    // The person's data includes the timeline and the needs.
    let held: Value = app.get(&path("export")).await.json().await.unwrap();
    assert_eq!(held["timeline"].as_array().unwrap().len(), 3);
    assert_eq!(held["needs"][0]["text"], "A cold-storage unit before Diwali");
});

api_test!(a_logged_call_comes_with_the_script_in_the_callers_language, |app| {
    app.chennai().await;
    app.branch("Lucknow", "IN-UP", "hi").await;
    let put = |client: &reqwest::Client, path: &str, body: Value| client.put(app.url(path)).json(&body).send();
    let tamil = json!({"greeting": "வணக்கம், முருகன் ஸ்டோர்ஸ்", "text": "பெயரையும் தேவையையும் கேளுங்கள்."});
    assert_eq!(put(&app.client, "/api/v1/call-scripts/ta", tamil).await.unwrap().status(), StatusCode::OK);
    let english = json!({"greeting": "Good morning, Murugan Stores", "text": "Ask their name and need."});
    assert_eq!(put(&app.client, "/api/v1/call-scripts/en", english).await.unwrap().status(), StatusCode::OK);

    let chennai_manager = app.staff("manager@test.in", "manager", Some("Chennai")).await;
    let addition = json!({"text": "சென்னை: தீபாவளி சலுகையைச் சொல்லுங்கள்."});
    let path = "/api/v1/branches/Chennai/call-scripts/ta";
    assert_eq!(put(&chennai_manager, path, addition.clone()).await.unwrap().status(), StatusCode::OK);
    let lucknow_manager = app.staff("manager.lko@test.in", "manager", Some("Lucknow")).await;
    assert_eq!(put(&lucknow_manager, path, addition).await.unwrap().status(), StatusCode::FORBIDDEN);
    let contradiction = json!({"greeting": "Hello from Chennai", "text": "x"});
    let refused = put(&chennai_manager, path, contradiction).await.unwrap();
    assert_eq!(problem_fields(refused).await, ["greeting"], "a branch adds, it does not contradict");
    let org = put(&chennai_manager, "/api/v1/call-scripts/ta", json!({"greeting": "x", "text": "y"})).await.unwrap();
    assert_eq!(org.status(), StatusCode::FORBIDDEN, "the organisation's script is the owners' and admins'");

    let raja = contact(&app, "ராஜா", "Chennai").await;
    app.patch(&format!("/api/v1/contacts/{raja}"), Some("\"1\""), json!({"language": "ta-IN"})).await;
    let call = json!({"kind": "call", "direction": "in"});
    let logged: Value = app.post(&format!("/api/v1/contacts/{raja}/interactions"), call).await.json().await.unwrap();
    let script = &logged["call_script"];
    assert_eq!(script["language"], "ta", "{logged}");
    assert_eq!(script["greeting"], "வணக்கம், முருகன் ஸ்டோர்ஸ்");
    assert_eq!(script["branch_additions"], "சென்னை: தீபாவளி சலுகையைச் சொல்லுங்கள்.");
    let gujarati: Value =
        app.get("/api/v1/call-scripts/for-call?branch=Chennai&language=gu").await.json().await.unwrap();
    assert_eq!((gujarati["language"].as_str(), gujarati["branch_additions"].as_str()), (Some("en"), None));
    let note: Value = app
        .post(&format!("/api/v1/contacts/{raja}/interactions"), json!({"kind": "note", "text": "x"}))
        .await
        .json()
        .await
        .unwrap();
    assert!(note.get("call_script").is_none(), "only calls come with a script");
});
