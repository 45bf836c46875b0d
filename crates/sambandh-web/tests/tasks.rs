//! Follow-ups over HTTP on both engines: tasks, rules that make them when a deal is
//! won, overdue tasks per member of staff, scope.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{TestApp, problem_fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

api_test!(a_won_deal_brings_its_follow_up_and_overdue_tasks_are_counted, |app| {
    app.chennai().await;
    app.branch("Lucknow", "IN-UP", "hi").await;
    let rules = json_of(app.get("/api/v1/follow-up-rules").await, StatusCode::OK).await;
    let triggers: Vec<(&str, u64)> = rules["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["trigger"].as_str().unwrap(), r["delay_days"].as_u64().unwrap()))
        .collect();
    assert_eq!(triggers, [("deal_won", 7), ("order_placed", 30)]);

    let agent = app.staff("meena@test.in", "agent", Some("Chennai")).await;
    let post = |client: &reqwest::Client, path: &str, body: Value| client.post(app.url(path)).json(&body).send();
    let raja =
        json_of(post(&agent, "/api/v1/contacts", json!({"given_name": "ராஜா"})).await.unwrap(), StatusCode::CREATED)
            .await;
    let raja_id = raja["id"].as_str().unwrap();
    let deal = json_of(
        post(&agent, "/api/v1/deals", json!({"title": "Cold storage", "contact": raja_id})).await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let path = app.url(&format!("/api/v1/deals/{}", deal["id"].as_str().unwrap()));
    let won = agent.patch(path).header("If-Match", "\"1\"").json(&json!({"stage": "won"})).send().await.unwrap();
    let won = json_of(won, StatusCode::OK).await;

    let mine = json_of(agent.get(app.url("/api/v1/tasks?assignee=me")).send().await.unwrap(), StatusCode::OK).await;
    let task = &mine["items"][0];
    assert_eq!(task["title"], "Call to ask how it is going");
    assert_eq!((task["contact_id"].as_str(), task["deal_id"].as_str()), (Some(raja_id), deal["id"].as_str()));
    let closed: jiff::Timestamp = won["closed_at"].as_str().unwrap().parse().unwrap();
    let due: jiff::Timestamp = task["due_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(due.duration_since(closed).as_hours(), 7 * 24);
    assert_eq!(task["overdue"], false);

    // A task of the agent's, already late.
    let late = json!({"title": "Send the quotation", "due_at": "2026-01-05T10:00:00+05:30", "contact": raja_id});
    let late = json_of(post(&agent, "/api/v1/tasks", late).await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(late["overdue"], true);
    let overdue = json_of(agent.get(app.url("/api/v1/tasks?overdue=true")).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(overdue["items"].as_array().unwrap().len(), 1);
    let counts = json_of(app.get("/api/v1/tasks/overdue").await, StatusCode::OK).await;
    assert_eq!(counts["items"].as_array().unwrap().len(), 1);
    assert_eq!(counts["items"][0]["overdue"], 1);
    let done = agent
        .put(app.url(&format!("/api/v1/tasks/{}/done", late["id"].as_str().unwrap())))
        .json(&json!({"done": true}))
        .send()
        .await
        .unwrap();
    assert!(json_of(done, StatusCode::OK).await["done_at"].is_string());
    let counts = json_of(app.get("/api/v1/tasks/overdue").await, StatusCode::OK).await;
    assert!(counts["items"].as_array().unwrap().is_empty());

    let bad = post(&agent, "/api/v1/tasks", json!({"due_at": "soon"})).await.unwrap();
    assert_eq!(problem_fields(bad).await, ["title", "due_at"], "the assignee defaults to the caller");

    // Scope and rights.
    let lucknow = app.staff("ankit@test.in", "agent", Some("Lucknow")).await;
    let url = app.url(&format!("/api/v1/tasks/{}", task["id"].as_str().unwrap()));
    assert_eq!(lucknow.get(url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let theirs = json_of(lucknow.get(app.url("/api/v1/tasks")).send().await.unwrap(), StatusCode::OK).await;
    assert!(theirs["items"].as_array().unwrap().is_empty());
    let elsewhere = json!({"title": "x", "due_at": "2026-12-01T10:00:00Z", "assignee": "meena@test.in"});
    let refused = post(&lucknow, "/api/v1/tasks", elsewhere).await.unwrap();
    assert_eq!(problem_fields(refused).await, ["assignee"]);
    let rule = json!({"trigger": "deal_won", "delay_days": 1, "title": "Thank them"});
    assert_eq!(post(&agent, "/api/v1/follow-up-rules", rule.clone()).await.unwrap().status(), StatusCode::FORBIDDEN);

    // A new rule fires with the next won deal.
    json_of(post(&app.client, "/api/v1/follow-up-rules", rule).await.unwrap(), StatusCode::CREATED).await;
    let second = json!({"title": "AMC", "contact": raja_id, "stage": "won", "owner": "meena@test.in"});
    json_of(post(&agent, "/api/v1/deals", second).await.unwrap(), StatusCode::CREATED).await;
    let open =
        json_of(agent.get(app.url("/api/v1/tasks?assignee=me&open=true")).send().await.unwrap(), StatusCode::OK).await;
    let titles: Vec<&str> = open["items"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["Thank them", "Call to ask how it is going", "Call to ask how it is going"],
        "soonest due first"
    );
});
