//! Analytics, activity and alerts over usage rows. Until the SDK protocol
//! writes usage lines, the tests seed `usage_records` and `alerts` with SQL.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Backend, TestServer, id, token};
use crate::on_both_backends;

on_both_backends!(
    spend_and_usage_are_bucketed_filtered_and_zero_filled,
    breakdowns_daily_totals_and_csv_export_agree,
    developers_see_only_their_projects,
    bad_analytics_parameters_are_refused,
    alerts_are_listed_paginated_and_acknowledged,
);

/// 2026-01-01T00:00:00Z in unix microseconds.
const JAN1: i64 = 1_767_225_600_000_000;
const HOUR: i64 = 3_600_000_000;
const DAY: i64 = 24 * HOUR;

pub struct World {
    pub server: TestServer,
    pub admin: String,
    pub dev: String,
    pub dev_id: String,
    /// Project A: the developer's key; project B: the admin's key.
    pub project_a: String,
    pub project_b: String,
    pub key_a: String,
    pub key_b: String,
    pub admin_id: String,
}

pub async fn world(backend: Backend, extra_args: &[&str]) -> World {
    let server = TestServer::start_with(backend, extra_args).await;
    let api = server.api();
    let admin_session = api.register_admin("admin@example.com").await;
    let admin = token(&admin_session);
    let dev_session = api
        .invite_and_register(&admin, "dev@example.com", "developer")
        .await;
    let project_a = id(&api.create_project(&admin, "Alpha", "100").await);
    let project_b = id(&api.create_project(&admin, "Beta", "50").await);
    let dev_id = id(&dev_session["user"]);
    let key = |project: String, owner: String| {
        let api = api.clone();
        let admin = admin.clone();
        async move {
            let created = api
                .post(
                    &format!("/api/v1/projects/{project}/keys"),
                    &admin,
                    json!({"name": "agent", "owner_id": owner}),
                )
                .await
                .expect(201);
            id(&created)
        }
    };
    let admin_id = id(&admin_session["user"]);
    let key_a = key(project_a.clone(), dev_id.clone()).await;
    let key_b = key(project_b.clone(), admin_id.clone()).await;
    World {
        server,
        admin,
        dev: token(&dev_session),
        dev_id,
        project_a,
        project_b,
        key_a,
        key_b,
        admin_id,
    }
}

pub struct Line<'a> {
    pub project: &'a str,
    pub key: &'a str,
    pub user: &'a str,
    pub model: &'a str,
    pub cost_micros: i64,
    pub at: i64,
    pub outcome: &'a str,
}

impl World {
    pub async fn usage(&self, line: Line<'_>) {
        let id = format!("use_{}", uuid::Uuid::now_v7());
        self.server
            .execute_sql(&format!(
                "INSERT INTO usage_records (id, project_id, key_id, user_id, session_id, lease_id, \
                 model, input_tokens, cached_input_tokens, output_tokens, cost_micros, latency_ms, \
                 outcome, at, received_at) VALUES ('{id}', '{}', '{}', '{}', 'sess_x', 'lease_x', \
                 '{}', 100, 10, 50, {}, 12, '{}', {}, {})",
                line.project,
                line.key,
                line.user,
                line.model,
                line.cost_micros,
                line.outcome,
                line.at,
                line.at
            ))
            .await;
    }

    pub async fn get(&self, path: &str, as_dev: bool) -> crate::common::Reply {
        let token = if as_dev { &self.dev } else { &self.admin };
        self.server.api().get(path, token).await
    }

    /// Three lines: two in A on Jan 1 (one with a comma in the model), one
    /// failed call in B on Jan 3.
    async fn seed(&self) {
        let a = |model, cost_micros, at| Line {
            project: &self.project_a,
            key: &self.key_a,
            user: &self.dev_id,
            model,
            cost_micros,
            at,
            outcome: "ok",
        };
        self.usage(a("gpt-4o-mini", 1_000_000, JAN1 + HOUR)).await;
        self.usage(a("gpt-4o,odd", 234_500, JAN1 + 2 * HOUR)).await;
        self.usage(Line {
            project: &self.project_b,
            key: &self.key_b,
            user: &self.admin_id,
            model: "gpt-4o-mini",
            cost_micros: 500_000,
            at: JAN1 + 2 * DAY + 5 * HOUR,
            outcome: "error",
        })
        .await;
    }
}

const RANGE: &str = "from=2026-01-01T00:00:00Z&to=2026-01-04T00:00:00Z";

async fn spend_and_usage_are_bucketed_filtered_and_zero_filled(backend: Backend) {
    let w = world(backend, &[]).await;
    w.seed().await;
    let spend = w
        .get(&format!("/api/v1/analytics/spend?{RANGE}"), false)
        .await
        .expect(200);
    assert_eq!(spend["bucket"], "day");
    assert_eq!(spend["total_usd"], "1.7345");
    assert_eq!(spend["requests"], 3);
    assert_eq!(spend["from"], "2026-01-01T00:00:00.000000Z");
    let series: Vec<(String, String, i64)> = spend["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["t"].as_str().unwrap().to_owned(),
                p["spend_usd"].as_str().unwrap().to_owned(),
                p["requests"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        series,
        vec![
            ("2026-01-01T00:00:00.000000Z".into(), "1.2345".into(), 2),
            ("2026-01-02T00:00:00.000000Z".into(), "0.00".into(), 0),
            ("2026-01-03T00:00:00.000000Z".into(), "0.50".into(), 1),
        ]
    );

    let hourly = w
        .get(
            &format!(
                "/api/v1/analytics/spend?{RANGE}&bucket=hour&project_id={}",
                w.project_a
            ),
            false,
        )
        .await
        .expect(200);
    let points = hourly["series"].as_array().unwrap();
    assert_eq!(points.len(), 72);
    assert_eq!(hourly["total_usd"], "1.2345");
    assert_eq!(points[1]["spend_usd"], "1.00");
    assert_eq!(points[2]["spend_usd"], "0.2345");
    assert_eq!(points[3]["spend_usd"], "0.00");

    let by_model = w
        .get(
            &format!(
                "/api/v1/analytics/spend?{RANGE}&model=gpt-4o-mini&user_id={}",
                w.dev_id
            ),
            false,
        )
        .await
        .expect(200);
    assert_eq!(by_model["total_usd"], "1.00");

    let usage = w
        .get(&format!("/api/v1/analytics/usage?{RANGE}"), false)
        .await
        .expect(200);
    assert_eq!(usage["requests"], 3);
    assert_eq!(usage["errors"], 1);
    assert_eq!(usage["input_tokens"], 300);
    assert_eq!(usage["cached_input_tokens"], 30);
    assert_eq!(usage["output_tokens"], 150);
    assert_eq!(usage["series"][2]["errors"], 1);
    assert_eq!(usage["series"][1]["requests"], 0);
    let by_key = w
        .get(
            &format!("/api/v1/analytics/usage?{RANGE}&key_id={}", w.key_b),
            false,
        )
        .await
        .expect(200);
    assert_eq!(by_key["requests"], 1);

    // Default range: the last 7 days, daily buckets; the seeded lines are older.
    let recent = w.get("/api/v1/analytics/spend", false).await.expect(200);
    assert_eq!(recent["total_usd"], "0.00");
    assert_eq!(recent["series"].as_array().unwrap().len(), 8);
}

async fn breakdowns_daily_totals_and_csv_export_agree(backend: Backend) {
    let w = world(backend, &[]).await;
    w.seed().await;
    let models = w
        .get(&format!("/api/v1/analytics/models?{RANGE}"), false)
        .await
        .expect(200);
    assert_eq!(
        models["rows"],
        json!([
            {"model": "gpt-4o-mini", "requests": 2, "input_tokens": 200, "output_tokens": 100, "spend_usd": "1.50"},
            {"model": "gpt-4o,odd", "requests": 1, "input_tokens": 100, "output_tokens": 50, "spend_usd": "0.2345"},
        ])
    );
    let keys = w
        .get(&format!("/api/v1/analytics/keys?{RANGE}"), false)
        .await
        .expect(200);
    let rows = keys["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["key_id"], w.key_a.as_str());
    assert_eq!(rows[0]["user_id"], w.dev_id.as_str());
    assert_eq!(rows[0]["key_name"], "agent");
    assert!(
        rows[0]["display_prefix"]
            .as_str()
            .unwrap()
            .starts_with("ic_")
    );
    assert_eq!(rows[0]["spend_usd"], "1.2345");
    assert_eq!(rows[1]["project_id"], w.project_b.as_str());

    let projects = w
        .get(&format!("/api/v1/analytics/projects?{RANGE}"), false)
        .await
        .expect(200);
    assert_eq!(
        projects["rows"],
        json!([
            {"project_id": w.project_a, "project_name": "Alpha", "requests": 2, "spend_usd": "1.2345",
             "budget_usd": "100.00", "period_spent_usd": "0.00"},
            {"project_id": w.project_b, "project_name": "Beta", "requests": 1, "spend_usd": "0.50",
             "budget_usd": "50.00", "period_spent_usd": "0.00"},
        ])
    );

    // A line from now lands on today, the last of the zero-filled days.
    let now = chrono::Utc::now().timestamp_micros();
    w.usage(Line {
        project: &w.project_a,
        key: &w.key_a,
        user: &w.dev_id,
        model: "gpt-4o-mini",
        cost_micros: 42,
        at: now,
        outcome: "ok",
    })
    .await;
    let daily = w.get("/api/v1/analytics/daily", false).await.expect(200);
    let days = daily["days"].as_array().unwrap();
    assert_eq!(days.len(), 7);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(days[6]["date"], today.as_str());
    assert_eq!(days[6]["spend_usd"], "0.000042");
    assert_eq!(days[6]["requests"], 1);
    assert_eq!(days[0]["requests"], 0);
    let b_only = w
        .get(
            &format!("/api/v1/analytics/daily?days=3&project_id={}", w.project_b),
            false,
        )
        .await
        .expect(200);
    assert_eq!(b_only["days"].as_array().unwrap().len(), 3);
    assert_eq!(b_only["days"][2]["requests"], 0);

    let response = w
        .server
        .api()
        .http
        .get(format!(
            "{}/api/v1/analytics/export.csv?{RANGE}",
            w.server.url
        ))
        .bearer_auth(&w.admin)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(lines[0].starts_with("id,at,project_id,key_id,user_id"));
    assert!(
        lines[1].contains(",gpt-4o-mini,100,10,50,1.00,12,ok"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains(",\"gpt-4o,odd\",100,10,50,0.2345,12,ok"),
        "{}",
        lines[2]
    );
    assert!(lines[3].ends_with(",0.50,12,error"), "{}", lines[3]);

    // The activity feed merges the calls with the audit trail, newest first.
    let activity = w.get("/api/v1/activity?limit=3", false).await.expect(200);
    let items = activity["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["type"], "llm_call");
    assert_eq!(items[0]["key_id"], w.key_a.as_str());
    assert!(
        items[0]["summary"]
            .as_str()
            .unwrap()
            .contains("gpt-4o-mini")
    );
    assert_eq!(items[1]["type"], "audit");
    let times: Vec<&str> = items.iter().map(|i| i["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{times:?}");
}

async fn developers_see_only_their_projects(backend: Backend) {
    let w = world(backend, &[]).await;
    w.seed().await;
    let spend = w
        .get(&format!("/api/v1/analytics/spend?{RANGE}"), true)
        .await
        .expect(200);
    assert_eq!(spend["total_usd"], "1.2345");
    let projects = w
        .get(&format!("/api/v1/analytics/projects?{RANGE}"), true)
        .await
        .expect(200);
    assert_eq!(projects["rows"].as_array().unwrap().len(), 1);
    let keys = w
        .get(
            &format!("/api/v1/analytics/keys?{RANGE}&key_id={}", w.key_b),
            true,
        )
        .await
        .expect(200);
    assert_eq!(keys["rows"], json!([]));
    for path in [
        format!("/api/v1/analytics/spend?project_id={}", w.project_b),
        format!("/api/v1/analytics/models?project_id={}", w.project_b),
        format!("/api/v1/analytics/daily?project_id={}", w.project_b),
        format!("/api/v1/analytics/export.csv?project_id={}", w.project_b),
    ] {
        w.get(&path, true).await.expect_error(404, "NOT_FOUND");
    }
    let csv = w
        .server
        .api()
        .http
        .get(format!(
            "{}/api/v1/analytics/export.csv?{RANGE}",
            w.server.url
        ))
        .bearer_auth(&w.dev)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(!csv.contains(&w.project_b));
    let activity = w.get("/api/v1/activity", true).await.expect(200);
    let items = activity["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["type"] == "llm_call"));
}

async fn bad_analytics_parameters_are_refused(backend: Backend) {
    let w = world(backend, &[]).await;
    let api = w.server.api();
    for (query, code) in [
        (
            "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
            "INVALID_RANGE",
        ),
        (
            "from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "INVALID_RANGE",
        ),
        ("from=yesterday", "INVALID_RANGE"),
        ("to=2026-13-01T00:00:00Z", "INVALID_RANGE"),
        ("bucket=week", "BAD_QUERY"),
        ("colour=blue", "BAD_QUERY"),
    ] {
        for report in ["spend", "usage", "models", "export.csv"] {
            w.get(&format!("/api/v1/analytics/{report}?{query}"), false)
                .await
                .expect_error(400, code);
        }
    }
    // Too many buckets for a series.
    for report in ["spend", "usage"] {
        let path = format!(
            "/api/v1/analytics/{report}?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucket=hour"
        );
        w.get(&path, false).await.expect_error(400, "INVALID_RANGE");
    }
    for days in ["0", "367", "-1", "x"] {
        let reply = w
            .get(&format!("/api/v1/analytics/daily?days={days}"), false)
            .await;
        assert_eq!(reply.status, 400, "days={days}: {}", reply.text);
    }
    w.get("/api/v1/activity?limit=0", false)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    w.get("/api/v1/analytics/spend?project_id=proj_nope", false)
        .await
        .expect_error(404, "NOT_FOUND");
    for path in [
        "/api/v1/analytics/spend",
        "/api/v1/analytics/export.csv",
        "/api/v1/activity",
        "/api/v1/alerts",
    ] {
        api.call(Method::GET, path, None, None)
            .await
            .expect_error(401, "UNAUTHORIZED");
        api.get(path, "ic_0123456789abcdefghijklmnopqrstuv")
            .await
            .expect_error(401, "UNAUTHORIZED");
    }
}

pub async fn insert_alert(w: &World, id: &str, project: Option<&str>, kind: &str, at: i64) {
    let project = project.map_or("NULL".to_owned(), |p| format!("'{p}'"));
    w.server
        .execute_sql(&format!(
            "INSERT INTO alerts (id, project_id, key_id, kind, severity, message, data, status, created_at) \
             VALUES ('{id}', {project}, NULL, '{kind}', 'warning', 'budget at 90%', '{{\"pct\": 90}}', 'open', {at})"
        ))
        .await;
}

async fn alerts_are_listed_paginated_and_acknowledged(backend: Backend) {
    let w = world(backend, &[]).await;
    let a = w.project_a.clone();
    let b = w.project_b.clone();
    insert_alert(&w, "alert_1", Some(&a), "budget_soft", JAN1).await;
    insert_alert(&w, "alert_2", Some(&b), "budget_hard", JAN1 + 1).await;
    insert_alert(&w, "alert_3", Some(&a), "budget_hard", JAN1 + 2).await;
    insert_alert(&w, "alert_4", None, "anomaly_multi_ip", JAN1 + 3).await;

    let first = w.get("/api/v1/alerts?limit=3", false).await.expect(200);
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first), ["alert_4", "alert_3", "alert_2"]);
    assert_eq!(first["items"][1]["data"], json!({"pct": 90}));
    assert_eq!(first["items"][1]["status"], "open");
    assert_eq!(
        first["items"][1]["created_at"],
        "2026-01-01T00:00:00.000002Z"
    );
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = w
        .get(&format!("/api/v1/alerts?limit=3&cursor={cursor}"), false)
        .await
        .expect(200);
    assert_eq!(ids(&second), ["alert_1"]);
    assert!(second["next_cursor"].is_null());

    let dev_view = w.get("/api/v1/alerts", true).await.expect(200);
    assert_eq!(ids(&dev_view), ["alert_3", "alert_1"]);
    let api = w.server.api();
    api.post("/api/v1/alerts/alert_2/ack", &w.dev, json!({}))
        .await
        .expect_error(404, "NOT_FOUND");
    let acked = api
        .call(
            Method::POST,
            "/api/v1/alerts/alert_3/ack",
            Some(&w.dev),
            None,
        )
        .await
        .expect(200);
    assert_eq!(acked["status"], "acknowledged");
    assert!(acked["acknowledged_at"].is_string());
    // Twice is harmless.
    api.call(
        Method::POST,
        "/api/v1/alerts/alert_3/ack",
        Some(&w.admin),
        None,
    )
    .await
    .expect(200);
    api.call(
        Method::POST,
        "/api/v1/alerts/alert_nope/ack",
        Some(&w.admin),
        None,
    )
    .await
    .expect_error(404, "NOT_FOUND");
    let open = w.get("/api/v1/alerts?status=open", false).await.expect(200);
    assert_eq!(ids(&open), ["alert_4", "alert_2", "alert_1"]);
    let done = w
        .get("/api/v1/alerts?status=acknowledged", false)
        .await
        .expect(200);
    assert_eq!(ids(&done), ["alert_3"]);
    w.get("/api/v1/alerts?status=closed", false)
        .await
        .expect_error(400, "BAD_QUERY");
    w.get("/api/v1/alerts?cursor=garbage", false)
        .await
        .expect_error(422, "VALIDATION_FAILED");
    let audit = w
        .get("/api/v1/audit?action=alert.ack", false)
        .await
        .expect(200);
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
}
