//! Operations: server settings, the anomaly detector, webhooks, metrics.

use reqwest::Method;
use serde_json::json;

use crate::analytics::world;
use crate::common::Backend;
use crate::on_both_backends;

on_both_backends!(settings_are_admin_only_validated_and_persisted,);

async fn settings_are_admin_only_validated_and_persisted(backend: Backend) {
    let mut w = world(backend, &[]).await;
    let api = w.server.api();
    let defaults = api.get("/api/v1/settings", &w.admin).await.expect(200);
    assert_eq!(
        defaults,
        json!({"anomaly": {"max_ips_per_key": 3, "window_secs": 300, "max_spend_usd_per_min": "5.00",
                           "auto_suspend": false},
               "rate_limits": {"key_rpm": 600, "project_rpm": 6000}})
    );
    api.get("/api/v1/settings", &w.dev)
        .await
        .expect_error(403, "FORBIDDEN");
    api.patch(
        "/api/v1/settings",
        &w.dev,
        json!({"anomaly": {"auto_suspend": true}}),
    )
    .await
    .expect_error(403, "FORBIDDEN");
    for bad in [
        json!({"anomaly": {"auto_suspend": "yes"}}),
        json!({"anomaly": {"max_spend_usd_per_min": "-1"}}),
        json!({"anomaly": {"max_spend_usd_per_min": "0"}}),
        json!({"anomaly": {"window_secs": 1}}),
        json!({"rate_limits": {"key_rpm": 0}}),
        json!({"rate_limits": {"key_rpm": -5}}),
        json!({"rate_limits": {"burst": 5}}),
        json!({"colour": "blue"}),
    ] {
        api.patch("/api/v1/settings", &w.admin, bad.clone())
            .await
            .expect_error(422, "VALIDATION_FAILED");
    }
    let patched = api
        .patch(
            "/api/v1/settings",
            &w.admin,
            json!({"anomaly": {"auto_suspend": true, "max_spend_usd_per_min": "0.25"},
                   "rate_limits": {"project_rpm": 100}}),
        )
        .await
        .expect(200);
    assert_eq!(patched["anomaly"]["auto_suspend"], true);
    assert_eq!(patched["anomaly"]["max_spend_usd_per_min"], "0.25");
    assert_eq!(patched["anomaly"]["max_ips_per_key"], 3);
    assert_eq!(
        patched["rate_limits"],
        json!({"key_rpm": 600, "project_rpm": 100})
    );
    w.server.restart().await;
    let api = w.server.api();
    let stored = api.get("/api/v1/settings", &w.admin).await.expect(200);
    assert_eq!(stored, patched);
    let audit = api
        .get("/api/v1/audit?action=settings.update", &w.admin)
        .await
        .expect(200);
    assert_eq!(audit["items"][0]["after"], patched);
    api.call(Method::GET, "/api/v1/settings", None, None)
        .await
        .expect_error(401, "UNAUTHORIZED");
}
