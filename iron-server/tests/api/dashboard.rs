//! `/dashboard`: the embedded web app (or, in a binary compiled without
//! `dashboard/dist`, the page saying how to build it), client-side routes
//! falling back to index.html, content types and cache headers.

use std::path::Path;

use crate::common::{Backend, TestServer};

fn built() -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dashboard/dist/index.html")
        .is_file()
}

async fn get(server: &TestServer, path: &str) -> reqwest::Response {
    reqwest::get(format!("{}{path}", server.url))
        .await
        .expect("GET")
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_is_served_with_spa_fallback_and_cache_headers() {
    let server = TestServer::start(Backend::Sqlite).await;
    let index = get(&server, "/dashboard").await;
    assert_eq!(index.status(), 200);
    assert_eq!(header(&index, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&index, "cache-control"), "no-cache");
    let html = index.text().await.expect("body");

    if !built() {
        // Compiled without the bundle: a page that says how to build it.
        assert!(html.contains("npm ci"), "{html}");
        return;
    }
    // A client-side route gets the same index.html.
    let route = get(&server, "/dashboard/projects/prj_123/keys").await;
    assert_eq!(route.status(), 200);
    assert_eq!(route.text().await.expect("body"), html);
    // Every asset index.html names is served, typed and cached for good.
    let assets: Vec<&str> = html
        .split('"')
        .filter(|s| s.starts_with("/dashboard/assets/"))
        .collect();
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{html}");
    for asset in assets {
        let res = get(&server, asset).await;
        assert_eq!(res.status(), 200, "{asset}");
        let expected = if asset.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(header(&res, "content-type"), expected, "{asset}");
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    }
    // A missing asset is a 404 in the API's error shape, never index.html.
    let missing = get(&server, "/dashboard/assets/index-nope.js").await;
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = missing.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "NOT_FOUND");
}
