//! The OpenAPI document: served as generated, and pinned by a snapshot so
//! every API change shows up in review.

use utoipa::OpenApi;

use crate::common::{Backend, TestServer};

#[test]
fn openapi_document_matches_the_snapshot() {
    let doc = iron_server::openapi::ApiDoc::openapi();
    let json = doc.to_pretty_json().expect("serialisable");
    assert!(json.contains("\"openapi\": \"3.1.0\""));
    insta::assert_snapshot!("openapi", json);
}

#[tokio::test]
async fn the_served_document_is_the_generated_one() {
    let server = TestServer::start(Backend::Sqlite).await;
    let served: serde_json::Value = reqwest::get(format!("{}/api/openapi.json", server.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let generated = serde_json::to_value(iron_server::openapi::ApiDoc::openapi()).unwrap();
    assert_eq!(served, generated);
    let operation_ids: Vec<_> = served["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ops| ops.as_object().unwrap().values())
        .map(|op| op["operationId"].as_str().unwrap().to_owned())
        .collect();
    let unique: std::collections::BTreeSet<_> = operation_ids.iter().collect();
    assert_eq!(
        unique.len(),
        operation_ids.len(),
        "operation ids are unique"
    );
}
