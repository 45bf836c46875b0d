//! The catalogue and orders over HTTP on both engines: products with names in several
//! languages, orders with lines, the orders import with its rejects, the timeline.
#![expect(clippy::unwrap_used, reason = "a test that fails should panic with the error")]

mod common;

use common::{TestApp, problem_fields};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(response.status(), status);
    response.json().await.unwrap()
}

api_test!(orders_of_catalogue_products_imported_or_one_by_one, |app| {
    app.chennai().await;
    let product = |sku: &str, en: &str, ta: &str, price: &str| json!({"sku": sku, "names": {"en": en, "ta": ta}, "category": "Refrigeration", "price": price});
    let unit = json_of(
        app.post("/api/v1/products", product("cs-200l", "Cold storage unit", "குளிர்பதன அலகு", "1,85,000")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!((unit["sku"].as_str(), unit["price"]["formatted"].as_str()), (Some("CS-200L"), Some("1,85,000.00")));
    json_of(
        app.post("/api/v1/products", product("AMC-1Y", "Maintenance, 1 year", "பராமரிப்பு", "12000")).await,
        StatusCode::CREATED,
    )
    .await;
    let twin = app.post("/api/v1/products", product("CS-200L", "x", "y", "1")).await;
    assert_eq!(twin.status(), StatusCode::CONFLICT);
    let bad = app.post("/api/v1/products", json!({"sku": "a b", "price": "free"})).await;
    assert_eq!(problem_fields(bad).await, ["sku", "names", "price"]);
    let agent = app.staff("meena@test.in", "agent", Some("Chennai")).await;
    let refused = agent.post(app.url("/api/v1/products")).json(&product("X1", "x", "y", "1")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "the catalogue is the owners' and admins'");

    let raja = json_of(
        app.post(
            "/api/v1/contacts",
            json!({"given_name": "ராஜா", "emails": ["raja@example.com"], "owner": "meena@test.in"}),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let raja_id = raja["id"].as_str().unwrap();
    let order = json!({"contact": raja_id, "order_number": "SO-1001", "ordered_at": "2026-11-20",
        "lines": [{"sku": "cs-200l", "quantity": 2}, {"sku": "AMC-1Y", "quantity": 1, "unit_price": "10,000"}]});
    let order = json_of(app.post("/api/v1/orders", order).await, StatusCode::CREATED).await;
    assert_eq!(order["total"]["formatted"], "3,80,000.00");
    assert_eq!(order["ordered_at"], "2026-11-20T00:00:00Z");
    let duplicate = json!({"contact": raja_id, "order_number": "SO-1001", "lines": [{"sku": "AMC-1Y", "quantity": 1}]});
    assert_eq!(app.post("/api/v1/orders", duplicate).await.status(), StatusCode::CONFLICT);
    let bad = json!({"contact": raja_id, "lines": [{"sku": "NOPE", "quantity": 0}]});
    assert_eq!(problem_fields(app.post("/api/v1/orders", bad).await).await, ["lines[0].sku", "lines[0].quantity"]);

    // The follow-up rule: 30 days after the order, its contact's owner asks for feedback.
    let tasks = json_of(agent.get(app.url("/api/v1/tasks?assignee=me")).send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(tasks["items"][0]["title"], "Ask for feedback on the order");
    assert_eq!(tasks["items"][0]["due_at"], "2026-12-20T00:00:00Z");

    // The import: a row per line; a bad row rejects its order whole; known numbers are skipped.
    let csv = "order_number,contact,ordered_at,sku,quantity,unit_price\n\
               SO-1001,raja@example.com,2026-11-20,CS-200L,2,\n\
               SO-1002,raja@example.com,21/11/2026,AMC-1Y,1,\n\
               SO-1002,raja@example.com,21/11/2026,CS-200L,1,1,80,000\n\
               SO-1003,98400 99999,2026-11-22,AMC-1Y,1,\n\
               SO-1004,raja@example.com,2026-11-22,AMC-1Y,1,\n\
               SO-1004,raja@example.com,2026-11-22,FREEZER,1,\n";
    let csv = csv.replace("1,80,000", "\"1,80,000\"");
    let report = app.client.post(app.url("/api/v1/imports/orders")).body(csv.clone()).send().await.unwrap();
    let report = json_of(report, StatusCode::OK).await;
    assert_eq!(report["summary"], "imported 1 orders, skipped 1 already imported, rejected 3 rows", "{report}");
    let rejected: Vec<(u64, String)> = report["rejections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_u64().unwrap(), r["reason"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(rejected.iter().map(|(row, _)| *row).collect::<Vec<_>>(), [5, 6, 7]);
    assert!(rejected[0].1.starts_with("contact: no contact"), "{rejected:?}");
    assert!(rejected[1].1.contains("the order is rejected whole"), "{rejected:?}");
    assert!(rejected[2].1.contains("no product has the SKU FREEZER"), "{rejected:?}");
    let again = app.client.post(app.url("/api/v1/imports/orders")).body(csv).send().await.unwrap();
    assert_eq!(
        json_of(again, StatusCode::OK).await["summary"],
        "imported 0 orders, skipped 2 already imported, rejected 3 rows"
    );
    let refused = agent.post(app.url("/api/v1/imports/orders")).body("order_number\n").send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let orders = json_of(app.get(&format!("/api/v1/orders?contact={raja_id}")).await, StatusCode::OK).await;
    let numbers: Vec<&str> =
        orders["items"].as_array().unwrap().iter().map(|o| o["order_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["SO-1002", "SO-1001"], "newest first");
    assert_eq!(orders["items"][0]["total"]["formatted"], "1,92,000.00");
    let timeline = json_of(app.get(&format!("/api/v1/contacts/{raja_id}/timeline")).await, StatusCode::OK).await;
    let types: Vec<&str> = timeline["items"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["order", "order"]);
    assert_eq!(timeline["items"][1]["lines"].as_array().unwrap().len(), 2, "with their lines");
});
