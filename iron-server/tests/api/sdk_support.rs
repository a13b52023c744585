//! Set-up shared by the SDK protocol tests: a project with a provider key
//! and an IC key, and a small client of the protocol.

use serde_json::{Value, json};

use crate::common::{Api, Backend, Reply, TestServer, id, token};

pub const PROVIDER_SECRET: &str = "sk-proj-sdkTestSecret000000000";

pub struct Fixture {
    pub server: TestServer,
    pub api: Api,
    pub admin: String,
    pub project_id: String,
    pub key: String,
    pub key_id: String,
}

impl Fixture {
    /// A project with `budget` USD, an OpenAI credential and one IC key.
    pub async fn new(backend: Backend, budget: &str) -> Fixture {
        Self::with(backend, budget, json!({}), &[]).await
    }

    pub async fn with(backend: Backend, budget: &str, key_extra: Value, args: &[&str]) -> Fixture {
        let server = TestServer::start_with(backend, args).await;
        let api = server.api();
        let admin = token(&api.register_admin("admin@example.com").await);
        let project_id = id(&api.create_project(&admin, "Agents", budget).await);
        // These tests load the ledger, not the rate limiter: lift its limits.
        let unlimited = json!({"rate_limits": {"key_rpm": 10_000_000, "project_rpm": 10_000_000}});
        api.patch("/api/v1/settings", &admin, unlimited)
            .await
            .expect(200);
        api.post(
            &format!("/api/v1/projects/{project_id}/providers"),
            &admin,
            json!({"provider": "openai", "api_key": PROVIDER_SECRET}),
        )
        .await
        .expect(201);
        let mut fixture = Fixture {
            server,
            api,
            admin,
            project_id,
            key: String::new(),
            key_id: String::new(),
        };
        let (key, key_id) = fixture.new_key(key_extra).await;
        fixture.key = key;
        fixture.key_id = key_id;
        fixture
    }

    /// Another IC key of the project: (secret, id).
    pub async fn new_key(&self, extra: Value) -> (String, String) {
        let mut body = json!({"name": "agent"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let created = self
            .api
            .post(
                &format!("/api/v1/projects/{}/keys", self.project_id),
                &self.admin,
                body,
            )
            .await
            .expect(201);
        (created["key"].as_str().unwrap().to_owned(), id(&created))
    }

    /// Another project with its own provider credential and key: (project id, key).
    pub async fn add_project(&self, budget: &str) -> (String, String) {
        let project_id = id(&self.api.create_project(&self.admin, &uuid(), budget).await);
        self.api
            .post(
                &format!("/api/v1/projects/{project_id}/providers"),
                &self.admin,
                json!({"provider": "openai", "api_key": PROVIDER_SECRET}),
            )
            .await
            .expect(201);
        let created = self
            .api
            .post(
                &format!("/api/v1/projects/{project_id}/keys"),
                &self.admin,
                json!({"name": "sim"}),
            )
            .await
            .expect(201);
        (project_id, created["key"].as_str().unwrap().to_owned())
    }

    pub async fn session_of(&self, key: &str) -> String {
        self.handshake(key).await.expect(201)["session_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn handshake(&self, key: &str) -> Reply {
        self.api
            .post(
                "/api/v1/sdk/sessions",
                key,
                json!({"client": "test/1", "hostname": "ci"}),
            )
            .await
    }

    pub async fn session(&self) -> String {
        self.handshake(&self.key).await.expect(201)["session_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn lease(&self, key: &str, session: &str, want: i64, idem: &str) -> Reply {
        self.api
            .post(
                "/api/v1/sdk/leases",
                key,
                json!({"session_id": session, "want_micros": want, "idempotency_key": idem}),
            )
            .await
    }

    pub async fn settle(&self, key: &str, lease_id: &str, body: Value) -> Reply {
        self.api
            .post(&format!("/api/v1/sdk/leases/{lease_id}/settle"), key, body)
            .await
    }

    pub async fn project(&self) -> Value {
        self.api
            .get(
                &format!("/api/v1/projects/{}", self.project_id),
                &self.admin,
            )
            .await
            .expect(200)
    }

    /// The ledger's invariants hold (`iron ledger check` exits 0).
    #[track_caller]
    pub fn assert_ledger_balances(&self) {
        let (code, report) = self.server.ledger_check();
        assert_eq!(code, 0, "ledger check failed: {report:#}");
        assert_eq!(report["ok"], true);
    }
}

pub fn uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}
