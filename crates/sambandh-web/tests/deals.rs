//! Leads and deals over HTTP on both engines: the pipeline, amounts in rupees with
//! Indian digit grouping, won and lost, the first-deal date, scope.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{TestApp, problem_fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

api_test!(deals_move_through_the_pipeline_and_set_the_first_deal_date, |app| {
    app.chennai().await;
    app.branch("Lucknow", "IN-UP", "hi").await;
    let pipeline: Value = app.get("/api/v1/pipeline").await.json().await.unwrap();
    let keys: Vec<&str> = pipeline["stages"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["lead", "qualified", "proposal", "negotiation", "won", "lost"]);

    let raja = created(app.post("/api/v1/contacts", json!({"given_name": "ராஜா", "branch": "Chennai"})).await).await;
    let raja_id = raja["id"].as_str().unwrap();
    let company = created(app.post("/api/v1/companies", json!({"legal_name": "Raja Traders"})).await).await;
    let company_id = company["id"].as_str().unwrap();

    let deal = created(
        app.post(
            "/api/v1/deals",
            json!({"title": "Cold storage for Diwali", "contact": raja_id, "company": company_id,
                "amount": "12,34,567.00", "expected_close": "15/12/2026"}),
        )
        .await,
    )
    .await;
    assert_eq!((deal["stage"].as_str(), deal["outcome"].as_str()), (Some("lead"), Some("open")));
    assert_eq!(deal["amount"], json!({"minor": 123_456_700, "currency": "INR", "formatted": "12,34,567.00"}));
    assert_eq!(deal["expected_close"], "2026-12-15");
    assert!(deal["owner_id"].is_string(), "the caller owns it by default");
    assert!(deal["branch_id"].is_string(), "the contact's branch by default");

    let bad = app.post("/api/v1/deals", json!({"title": "x", "stage": "closed", "amount": "12.345"})).await;
    assert_eq!(problem_fields(bad).await, ["contact", "stage", "amount"]);
    let bad = app.post("/api/v1/deals", json!({"title": "x", "contact": "0190aaaa-0000-7000-8000-000000000001"})).await;
    assert_eq!(problem_fields(bad).await, ["contact"], "a contact that does not exist");

    let path = format!("/api/v1/deals/{}", deal["id"].as_str().unwrap());
    let lost = app.patch(&path, Some("\"1\""), json!({"stage": "lost"})).await;
    assert_eq!(problem_fields(lost).await, ["lost_reason"]);
    let won: Value = app.patch(&path, Some("\"1\""), json!({"stage": "won"})).await.json().await.unwrap();
    let kolkata = sambandh_domain::TimeZoneName::parse("Asia/Kolkata").unwrap().to_time_zone();
    let today = kolkata.to_datetime(jiff::Timestamp::now()).date().to_string();
    assert_eq!((won["outcome"].as_str(), won["won_on"].as_str()), (Some("won"), Some(today.as_str())), "{won}");
    assert!(won["closed_at"].is_string());
    let raja: Value = app.get(&format!("/api/v1/contacts/{raja_id}")).await.json().await.unwrap();
    assert_eq!(raja["first_deal_on"], today.as_str());
    let company: Value = app.get(&format!("/api/v1/companies/{company_id}")).await.json().await.unwrap();
    assert_eq!(company["first_deal_on"], today.as_str());
    let reopened: Value = app.patch(&path, Some("\"2\""), json!({"stage": "negotiation"})).await.json().await.unwrap();
    assert!(reopened["won_on"].is_null() && reopened["closed_at"].is_null());
    let raja: Value = app.get(&format!("/api/v1/contacts/{raja_id}")).await.json().await.unwrap();
    assert_eq!(raja["first_deal_on"], today.as_str(), "the first deal's day stays");

    let second = created(
        app.post(
            "/api/v1/deals",
            json!({"title": "AMC", "contact": raja_id, "stage": "lost",
        "lost_reason": "went with a local mechanic"}),
        )
        .await,
    )
    .await;
    assert!(second["closed_at"].is_string());
    let won_deals: Value = app.get("/api/v1/deals?outcome=lost").await.json().await.unwrap();
    assert_eq!(won_deals["items"].as_array().unwrap().len(), 1);
    let all: Value = app.get(&format!("/api/v1/deals?contact={raja_id}")).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);

    // Deals are on the contact's timeline, newest first, among the interactions.
    app.post(&format!("/api/v1/contacts/{raja_id}/interactions"), json!({"kind": "note", "text": "Met at the expo"}))
        .await;
    let mut seen = Vec::new();
    let mut next = format!("/api/v1/contacts/{raja_id}/timeline?limit=1");
    loop {
        let page: Value = app.get(&next).await.json().await.unwrap();
        for item in page["items"].as_array().unwrap() {
            seen.push(format!(
                "{}:{}",
                item["type"].as_str().unwrap(),
                item["title"].as_str().or(item["kind"].as_str()).unwrap()
            ));
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("/api/v1/contacts/{raja_id}/timeline?limit=1&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["interaction:note", "deal:AMC", "deal:Cold storage for Diwali"]);

    // The pipeline is the organisation's: owners and admins change it; used stages stay.
    let mut stages = pipeline["stages"].as_array().unwrap().clone();
    stages.retain(|stage| stage["key"] != "negotiation");
    let refused = app.client.put(app.url("/api/v1/pipeline")).json(&json!({"stages": stages})).send().await.unwrap();
    assert_eq!(problem_fields(refused).await, ["stages"], "a deal is in negotiation");
    let mut stages = pipeline["stages"].as_array().unwrap().clone();
    stages.insert(1, json!({"key": "demo", "name": "Demo given", "outcome": "open"}));
    stages.retain(|stage| stage["key"] != "qualified");
    let changed = app.client.put(app.url("/api/v1/pipeline")).json(&json!({"stages": stages})).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let keys: Vec<String> = changed.json::<Value>().await.unwrap()["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["lead", "demo", "proposal", "negotiation", "won", "lost"]);

    // Scope: an agent of another branch sees no deal of Chennai; a manager there cannot
    // change the pipeline.
    let agent = app.staff("agent@test.in", "agent", Some("Lucknow")).await;
    assert_eq!(agent.get(app.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let theirs: Value = agent.get(app.url("/api/v1/deals")).send().await.unwrap().json().await.unwrap();
    assert!(theirs["items"].as_array().unwrap().is_empty());
    let manager = app.staff("manager@test.in", "manager", Some("Chennai")).await;
    let attempt = manager.put(app.url("/api/v1/pipeline")).json(&json!({"stages": stages})).send().await.unwrap();
    assert_eq!(attempt.status(), StatusCode::FORBIDDEN);
    let audit: Value =
        app.get(&format!("/api/v1/audit?record={}", deal["id"].as_str().unwrap())).await.json().await.unwrap();
    assert_eq!(audit["items"][1]["changes"]["stage"], json!({"before": "lead", "after": "won"}));
});
