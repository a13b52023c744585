//! Invariant 3: provider keys never leak, through any channel we can read.

use std::sync::{Arc, Mutex};

use axum::http::HeaderMap;
use serde_json::json;

use crate::common::{Backend, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(provider_keys_appear_nowhere_but_in_the_provider_request);

pub const OPENAI_KEY: &str = "sk-proj-PLAINTEXTopenaiKEY0123456789";
const ANTHROPIC_KEY: &str = "sk-ant-api03-PLAINTEXTanthropicKEY98765";
const ROTATED_KEY: &str = "sk-proj-PLAINTEXTrotatedKEY55555555";

/// A stand-in provider on loopback that records the credentials it sees.
pub async fn fake_provider() -> (String, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = seen.clone();
    let app = axum::Router::new().route(
        "/v1/models",
        axum::routing::get(move |headers: HeaderMap| {
            let recorder = recorder.clone();
            async move {
                let credential = ["authorization", "x-api-key"]
                    .iter()
                    .find_map(|name| headers.get(*name))
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .trim_start_matches("Bearer ")
                    .to_owned();
                let known = [OPENAI_KEY, ANTHROPIC_KEY, ROTATED_KEY].contains(&credential.as_str());
                recorder.lock().unwrap().push(credential);
                if known {
                    axum::http::StatusCode::OK
                } else {
                    axum::http::StatusCode::UNAUTHORIZED
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

async fn provider_keys_appear_nowhere_but_in_the_provider_request(backend: Backend) {
    let (provider_url, seen) = fake_provider().await;
    let openai = format!("openai={provider_url}");
    let anthropic = format!("anthropic={provider_url}");
    let server = TestServer::start_with(
        backend,
        &[
            "--provider-base-url",
            &openai,
            "--provider-base-url",
            &anthropic,
        ],
    )
    .await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let project_id = id(&api.create_project(&admin, "Prod", "500").await);
    let vault = format!("/api/v1/projects/{project_id}/providers");

    let mut replies = Vec::new();
    let added_openai = api
        .post(
            &vault,
            &admin,
            json!({"provider": "openai", "api_key": OPENAI_KEY}),
        )
        .await;
    let openai_id = id(&added_openai.body);
    replies.push(added_openai);
    let added = api
        .post(
            &vault,
            &admin,
            json!({"provider": "anthropic", "api_key": ANTHROPIC_KEY}),
        )
        .await;
    let anthropic_id = id(&added.body);
    replies.push(added);
    replies.push(api.get(&vault, &admin).await);
    for entry in [&openai_id, &anthropic_id] {
        let tested = api
            .post(&format!("{vault}/{entry}/test"), &admin, json!({}))
            .await;
        assert_eq!(tested.body["ok"], true, "{}", tested.text);
        replies.push(tested);
    }
    replies.push(
        api.put(
            &format!("{vault}/{openai_id}"),
            &admin,
            json!({"api_key": ROTATED_KEY}),
        )
        .await,
    );
    replies.push(
        api.post(&format!("{vault}/{openai_id}/test"), &admin, json!({}))
            .await,
    );
    replies.push(api.get("/api/v1/audit?limit=200", &admin).await);
    replies.push(
        api.get(&format!("/api/v1/projects/{project_id}"), &admin)
            .await,
    );
    replies.push(
        api.post(
            &vault,
            &admin,
            json!({"provider": "nope", "api_key": OPENAI_KEY}),
        )
        .await,
    );

    // The provider did receive the real keys: the vault decrypts correctly.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen, [OPENAI_KEY, ANTHROPIC_KEY, ROTATED_KEY]);

    let log = server.log();
    assert!(
        log.contains("prov_"),
        "the log is being written (debug level)"
    );
    let dump = server.database_dump().await;
    assert!(dump.len() > 1000, "the dump holds the database");
    for secret in [OPENAI_KEY, ANTHROPIC_KEY, ROTATED_KEY] {
        // Any long fragment is as bad as the whole key.
        let fragment = &secret[8..28];
        for reply in &replies {
            assert!(
                !reply.text.contains(fragment),
                "API response leaks a key: {}",
                reply.text
            );
        }
        assert!(!log.contains(fragment), "server log leaks a key");
        assert!(
            !dump
                .windows(fragment.len())
                .any(|w| w == fragment.as_bytes()),
            "database holds a plaintext key"
        );
    }
}
