//! Authorization matrix: every route x {anonymous, IC key, developer, admin}.
//! Invariant 4: an IC key reaches no admin route.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Backend, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(every_route_enforces_its_roles);

/// Routes anyone may call; the matrix covers all the others.
const PUBLIC_ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
];

/// The SDK protocol's routes take only an IC key (tests/api/sdk.rs covers
/// them with one); here: no JWT, not even an admin's, gets through.
const SDK_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/sdk/sessions"),
    ("DELETE", "/api/v1/sdk/sessions/{session_id}"),
    ("GET", "/api/v1/sdk/sessions/{session_id}/control"),
    ("POST", "/api/v1/sdk/leases"),
    ("POST", "/api/v1/sdk/leases/{lease_id}/settle"),
    ("POST", "/api/v1/sdk/events"),
];

struct Row {
    method: Method,
    /// OpenAPI path template, e.g. `/api/v1/projects/{project_id}`.
    template: &'static str,
    body: Option<Value>,
    developer: u16,
    admin: u16,
}

fn row(
    method: Method,
    template: &'static str,
    body: Option<Value>,
    developer: u16,
    admin: u16,
) -> Row {
    Row {
        method,
        template,
        body,
        developer,
        admin,
    }
}

async fn every_route_enforces_its_roles(backend: Backend) {
    let server = TestServer::start(backend).await;
    let api = server.api();
    let admin = token(&api.register_admin("admin@example.com").await);
    let dev_session = api
        .invite_and_register(&admin, "dev@example.com", "developer")
        .await;
    let dev = token(&dev_session);
    let dev_id = id(&dev_session["user"]);
    let extra_id = id(&api
        .invite_and_register(&admin, "extra@example.com", "developer")
        .await["user"]);
    let project_id = id(&api.create_project(&admin, "Prod", "500").await);
    let members = format!("/api/v1/projects/{project_id}/members");
    api.post(&members, &admin, json!({"user_id": dev_id}))
        .await
        .expect(204);
    let provider_id = id(&api
        .post(
            &format!("/api/v1/projects/{project_id}/providers"),
            &admin,
            json!({"provider": "openai", "api_key": "sk-proj-matrixSecret0000000"}),
        )
        .await
        .expect(201));
    let key = api
        .post(
            &format!("/api/v1/projects/{project_id}/keys"),
            &admin,
            json!({"name": "dev", "owner_id": dev_id}),
        )
        .await
        .expect(201);
    let ic_key = key["key"].as_str().unwrap().to_owned();
    let key_id = id(&key);
    let requests = format!("/api/v1/projects/{project_id}/budget-requests");
    let ask = json!({"amount_usd": "5", "reason": "more"});
    let approve_id = id(&api.post(&requests, &dev, ask.clone()).await.expect(201));
    let deny_id = id(&api.post(&requests, &dev, ask.clone()).await.expect(201));

    server
        .execute_sql(&format!(
            "INSERT INTO alerts (id, project_id, key_id, kind, severity, message, data, status, \
             created_at) VALUES ('alert_matrix', '{project_id}', NULL, 'budget_soft', 'warning', \
             'm', '{{}}', 'open', 1)"
        ))
        .await;
    let webhook_id = id(&api
        .post(
            "/api/v1/webhooks",
            &admin,
            json!({"url": "http://127.0.0.1:9/hook"}),
        )
        .await
        .expect(201));
    let fill = |template: &str| {
        template
            .replace("{alert_id}", "alert_matrix")
            .replace("{webhook_id}", &webhook_id)
            .replace("{project_id}", &project_id)
            .replace("{provider_id}", &provider_id)
            .replace("{key_id}", &key_id)
            .replace("{user_id}", &extra_id)
    };
    let approve_path = format!("/api/v1/budget-requests/{approve_id}/approve");
    let deny_path = format!("/api/v1/budget-requests/{deny_id}/deny");

    // Ordered so each admin call leaves the state the next row needs.
    let rows = vec![
        row(Method::GET, "/api/v1/users/me", None, 200, 200),
        row(Method::GET, "/api/v1/users", None, 403, 200),
        row(
            Method::POST,
            "/api/v1/invitations",
            Some(json!({"email": "new@example.com", "role": "developer"})),
            403,
            201,
        ),
        row(
            Method::PUT,
            "/api/v1/users/{user_id}/role",
            Some(json!({"role": "developer"})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/auth/password",
            Some(json!({"current_password": "wrong wrong", "new_password": "whatever-long"})),
            401,
            401,
        ),
        row(
            Method::POST,
            "/api/v1/projects",
            Some(json!({"name": "X", "budget_usd": "1"})),
            403,
            201,
        ),
        row(Method::GET, "/api/v1/projects", None, 200, 200),
        row(Method::GET, "/api/v1/projects/{project_id}", None, 200, 200),
        row(
            Method::PATCH,
            "/api/v1/projects/{project_id}",
            Some(json!({"description": "d"})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/pause",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/resume",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::GET,
            "/api/v1/projects/{project_id}/members",
            None,
            200,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/members",
            Some(json!({"user_id": extra_id})),
            403,
            204,
        ),
        row(
            Method::DELETE,
            "/api/v1/projects/{project_id}/members/{user_id}",
            None,
            403,
            204,
        ),
        row(
            Method::GET,
            "/api/v1/projects/{project_id}/providers",
            None,
            200,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/providers",
            Some(json!({"provider": "anthropic", "api_key": "sk-ant-matrix000000000"})),
            403,
            201,
        ),
        row(
            Method::PUT,
            "/api/v1/projects/{project_id}/providers/{provider_id}",
            Some(json!({"api_key": "sk-proj-matrixRotated0000"})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/providers/{provider_id}/test",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::DELETE,
            "/api/v1/projects/{project_id}/providers/{provider_id}",
            None,
            403,
            204,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/keys",
            Some(json!({"name": "k"})),
            403,
            201,
        ),
        row(Method::GET, "/api/v1/keys", None, 200, 200),
        row(
            Method::POST,
            "/api/v1/keys/inspect",
            Some(json!({"key": ic_key})),
            403,
            200,
        ),
        row(
            Method::PATCH,
            "/api/v1/keys/{key_id}",
            Some(json!({"name": "renamed"})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/keys/{key_id}/suspend",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/keys/{key_id}/resume",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/keys/{key_id}/revoke",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/budget-requests",
            Some(ask),
            201,
            201,
        ),
        row(Method::GET, "/api/v1/budget-requests", None, 200, 200),
        row(
            Method::POST,
            "/api/v1/budget-requests/{request_id}/approve",
            Some(json!({})),
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/budget-requests/{request_id}/deny",
            Some(json!({"reason": "no"})),
            403,
            200,
        ),
        row(Method::GET, "/api/v1/audit", None, 403, 200),
        row(Method::GET, "/api/v1/audit/verify", None, 403, 200),
        row(Method::GET, "/api/v1/analytics/spend", None, 200, 200),
        row(Method::GET, "/api/v1/analytics/usage", None, 200, 200),
        row(Method::GET, "/api/v1/analytics/models", None, 200, 200),
        row(Method::GET, "/api/v1/analytics/keys", None, 200, 200),
        row(Method::GET, "/api/v1/analytics/projects", None, 200, 200),
        row(Method::GET, "/api/v1/analytics/daily", None, 200, 200),
        row(Method::GET, "/api/v1/analytics/export.csv", None, 200, 200),
        row(Method::GET, "/api/v1/activity", None, 200, 200),
        row(Method::GET, "/api/v1/alerts", None, 200, 200),
        row(
            Method::POST,
            "/api/v1/alerts/{alert_id}/ack",
            Some(json!({})),
            200,
            200,
        ),
        row(Method::GET, "/api/v1/settings", None, 403, 200),
        row(
            Method::PATCH,
            "/api/v1/settings",
            Some(json!({"rate_limits": {"key_rpm": 600}})),
            403,
            200,
        ),
        row(Method::GET, "/api/v1/webhooks", None, 403, 200),
        row(
            Method::POST,
            "/api/v1/webhooks",
            Some(json!({"url": "http://127.0.0.1:9/other"})),
            403,
            201,
        ),
        row(
            Method::GET,
            "/api/v1/webhooks/{webhook_id}/deliveries",
            None,
            403,
            200,
        ),
        row(
            Method::POST,
            "/api/v1/webhooks/{webhook_id}/test",
            Some(json!({})),
            403,
            202,
        ),
        row(
            Method::DELETE,
            "/api/v1/webhooks/{webhook_id}",
            None,
            403,
            204,
        ),
        row(Method::GET, "/api/openapi.json", None, 200, 200),
        row(
            Method::POST,
            "/api/v1/projects/{project_id}/archive",
            Some(json!({})),
            403,
            200,
        ),
        row(Method::DELETE, "/api/v1/users/{user_id}", None, 403, 204),
    ];

    let mut failures = Vec::new();
    for row in &rows {
        let path = match row.template {
            "/api/v1/budget-requests/{request_id}/approve" => approve_path.clone(),
            "/api/v1/budget-requests/{request_id}/deny" => deny_path.clone(),
            template => fill(template),
        };
        let public = row.template == "/api/openapi.json";
        let callers = [
            ("anonymous", None, if public { 200 } else { 401 }),
            (
                "ic_ key",
                Some(ic_key.as_str()),
                if public { 200 } else { 401 },
            ),
            ("developer", Some(dev.as_str()), row.developer),
            ("admin", Some(admin.as_str()), row.admin),
        ];
        for (caller, credential, expected) in callers {
            let reply = api
                .call(row.method.clone(), &path, credential, row.body.clone())
                .await;
            if reply.status.as_u16() != expected {
                failures.push(format!(
                    "{} {} as {caller}: expected {expected}, got {} {}",
                    row.method, row.template, reply.status, reply.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization mismatches:\n{}",
        failures.join("\n")
    );
    let mut failures = Vec::new();

    for (method, template) in SDK_ROUTES {
        let path = template
            .replace("{session_id}", "sess_00000000-0000-0000-0000-000000000000")
            .replace("{lease_id}", "lease_00000000-0000-0000-0000-000000000000");
        for (caller, credential) in [
            ("anonymous", None),
            ("developer", Some(dev.as_str())),
            ("admin", Some(admin.as_str())),
        ] {
            let method: Method = method.parse().unwrap();
            let reply = api.call(method, &path, credential, Some(json!({}))).await;
            if reply.status.as_u16() != 401 || reply.body["error"]["code"] != "UNAUTHENTICATED" {
                failures.push(format!(
                    "{template} as {caller}: expected 401 UNAUTHENTICATED, got {}",
                    reply.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "SDK routes let a JWT in:\n{}",
        failures.join("\n")
    );

    // The matrix must cover every documented route.
    let spec = api
        .call(Method::GET, "/api/openapi.json", None, None)
        .await
        .expect(200);
    let documented: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let covered: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r.method.to_string(), r.template.to_owned()))
        .chain(
            PUBLIC_ROUTES
                .iter()
                .chain(SDK_ROUTES)
                .map(|(m, p)| (m.to_string(), p.to_string())),
        )
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the matrix: {missing:?}"
    );
}
