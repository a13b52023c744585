//! Remote mode end to end: a real `iron serve` (SQLite), an `ic_` key, the
//! runtime's gateway in remote mode and the fake provider. Budget, key
//! revocation and project pause are enforced by the server and reach the
//! running agent before anything reaches the provider.
//!
//! Needs the `iron` binary built (`cargo build -p iron-server --bin iron`).

mod common;

use std::time::Duration;

use common::{assert_openai_error, chat, price_cost};
use iron_core::accounting::Usage;
use iron_core::reliability::RetryPolicy;
use iron_core::{ErrorKind, Micros, Runtime};
use iron_testkit::{Admin, FakeProvider, IronServer, ProjectKey, Script, fake_key};
use serde_json::{Value, json};

/// Worst case of one call below: gpt-4o, a short prompt, max_tokens 400.
const MAX_TOKENS: u64 = 400;
/// Generous bound for a control message to reach the agent (the goal is
/// < 1 s; the benchmark measures it).
const CONTROL_BOUND: Duration = Duration::from_secs(15);

/// A project on a real server with a fake provider key in its vault and
/// an `ic_` key.
struct World {
    server: IronServer,
    fake: &'static FakeProvider,
    admin: Admin,
    project: ProjectKey,
    /// The provider key in the vault: the fake files requests under it.
    provider_key: String,
}

impl World {
    async fn new(budget_usd: &str) -> World {
        let fake = FakeProvider::shared();
        let server = IronServer::start(&[
            "--provider-base-url",
            &format!("openai={}", fake.url()),
            "--provider-base-url",
            &format!("anthropic={}", fake.url()),
        ])
        .await;
        let admin = Admin::register(&server.url).await;
        let provider_key = fake_key();
        let project = admin.project_with_key(budget_usd, &provider_key).await;
        World {
            server,
            fake,
            admin,
            project,
            provider_key,
        }
    }

    async fn runtime(&self) -> Runtime {
        Runtime::builder()
            .remote(self.server.url.clone(), self.project.ic_key.clone())
            .retry(RetryPolicy {
                max_attempts: 1,
                ..RetryPolicy::default()
            })
            .start()
            .await
            .unwrap_or_else(|e| panic!("remote runtime starts: {e}\n{}", self.server.log()))
    }

    fn provider_calls(&self) -> usize {
        self.fake.request_count(&self.provider_key)
    }

    /// The project's settled spend on the server, in micro-USD.
    async fn server_spent(&self) -> Micros {
        let path = format!("/api/v1/projects/{}", self.project.project_id);
        let project = self.admin.call("GET", &path, Value::Null, 200).await;
        usd_micros(project["spent_usd"].as_str().expect("spent_usd"))
    }

    async fn project_action(&self, action: &str) {
        let path = format!("/api/v1/projects/{}/{action}", self.project.project_id);
        self.admin.call("POST", &path, json!({}), 200).await;
    }
}

/// "1.234567" -> 1_234_567, exactly (no floats for money).
fn usd_micros(text: &str) -> Micros {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = format!("{frac:0<6}");
    whole.parse::<Micros>().unwrap() * 1_000_000 + frac[..6].parse::<Micros>().unwrap()
}

async fn send(http: &reqwest::Client, runtime: &Runtime, text: &str) -> (u16, Value) {
    let mut body = chat("gpt-4o", text);
    body["max_tokens"] = json!(MAX_TOKENS);
    let resp = http
        .post(format!("{}/v1/chat/completions", runtime.gateway_url()))
        .bearer_auth(runtime.placeholder_key())
        .json(&body)
        .send()
        .await
        .expect("the gateway answers");
    (resp.status().as_u16(), resp.json().await.unwrap())
}

/// What the provider's reported usage costs.
fn cost_of(answer: &Value) -> Micros {
    let usage = &answer["usage"];
    price_cost(
        "gpt-4o",
        Usage {
            input_tokens: usage["prompt_tokens"].as_u64().unwrap(),
            cached_input_tokens: 0,
            output_tokens: usage["completion_tokens"].as_u64().unwrap(),
        },
    )
}

/// Waits (bounded) until the runtime's accountant is halted as `kind`, or
/// no longer halted for `None`.
async fn wait_halted(runtime: &Runtime, kind: Option<ErrorKind>) {
    let deadline = tokio::time::Instant::now() + CONTROL_BOUND;
    while runtime.accountant().halted() != kind {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the control stream did not bring {kind:?} within {CONTROL_BOUND:?}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_succeed_until_the_server_budget_is_used_then_fail_before_the_provider() {
    // About four worst-case calls fit.
    let world = World::new("0.02").await;
    // Every answer runs to max_tokens: the actual cost is near the worst case.
    world.fake.script(
        &world.provider_key,
        vec![Script {
            reply: Some("word ".repeat(2000)),
            sticky: true,
            ..Default::default()
        }],
    );
    let runtime = world.runtime().await;
    let http = reqwest::Client::new();

    let mut ok = 0;
    let mut provider_cost = 0;
    let mut refused = 0;
    for i in 0..12 {
        let (status, body) = send(&http, &runtime, &format!("call {i}")).await;
        match status {
            200 => {
                assert_eq!(refused, 0, "a call succeeded after a refusal");
                ok += 1;
                provider_cost += cost_of(&body);
            }
            402 => {
                assert_openai_error(&body, "budget_exceeded");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!((2..=5).contains(&ok), "{ok} calls fit a $0.02 budget");
    assert_eq!(ok + refused, 12);
    assert_eq!(
        world.provider_calls(),
        ok,
        "refused calls never reached the provider"
    );

    let last = runtime.shutdown().await.expect("shutdown settles");
    assert_eq!(last.spent, provider_cost);
    assert_eq!(
        world.server_spent().await,
        provider_cost,
        "the server's ledger shows what the provider's usage implies"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_stops_the_running_agent_before_the_provider_while_its_lease_has_money() {
    let world = World::new("10").await;
    let runtime = world.runtime().await;
    let http = reqwest::Client::new();
    let (status, body) = send(&http, &runtime, "hello").await;
    assert_eq!(status, 200, "{body}");
    let cost = cost_of(&body);

    world.admin.revoke_key(&world.project.key_id).await;
    wait_halted(&runtime, Some(ErrorKind::KeyRevoked)).await;
    assert!(
        runtime.accountant().reservable() > 0,
        "the local lease still holds money"
    );
    let before = world.provider_calls();
    let (status, body) = send(&http, &runtime, "after revoke").await;
    assert_eq!(status, 403, "{body}");
    assert_openai_error(&body, "key_revoked");
    assert_eq!(
        world.provider_calls(),
        before,
        "refused before the provider"
    );

    // Shutdown still settles what was spent (a revoked key can settle, or
    // the server charges the lease in full; either way the spend is known).
    let _ = runtime.shutdown().await;
    assert!(world.server_spent().await >= cost);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_refuses_before_the_provider_and_resume_lets_calls_through_again() {
    let world = World::new("10").await;
    let runtime = world.runtime().await;
    let http = reqwest::Client::new();
    let (status, body) = send(&http, &runtime, "hello").await;
    assert_eq!(status, 200, "{body}");
    let mut provider_cost = cost_of(&body);

    world.project_action("pause").await;
    wait_halted(&runtime, Some(ErrorKind::ProjectPaused)).await;
    let before = world.provider_calls();
    let (status, body) = send(&http, &runtime, "while paused").await;
    assert_eq!(status, 403, "{body}");
    assert_openai_error(&body, "project_paused");
    assert_eq!(
        world.provider_calls(),
        before,
        "refused before the provider"
    );

    world.project_action("resume").await;
    wait_halted(&runtime, None).await;
    let (status, body) = send(&http, &runtime, "resumed").await;
    assert_eq!(status, 200, "{body}");
    provider_cost += cost_of(&body);

    runtime.shutdown().await.expect("shutdown settles");
    assert_eq!(world.server_spent().await, provider_cost);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_key_or_an_unreachable_server_fails_the_start_closed() {
    // Nothing listens on port 9: the start fails, no gateway runs.
    let err = Runtime::builder()
        .remote("http://127.0.0.1:9", "ic_nothing_listens_here")
        .start()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(err.message().contains("127.0.0.1:9"), "{err}");

    let world = World::new("1").await;
    let err = Runtime::builder()
        .remote(
            world.server.url.clone(),
            "ic_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .start()
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::KeyRevoked, "unauthenticated"),
        "{err}"
    );

    // A revoked key cannot open a session.
    world.admin.revoke_key(&world.project.key_id).await;
    let err = Runtime::builder()
        .remote(world.server.url.clone(), world.project.ic_key.clone())
        .start()
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.code()),
        (ErrorKind::KeyRevoked, "key_revoked")
    );
}
