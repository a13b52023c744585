//! The admin web app at `/dashboard`: the Vite bundle from `dashboard/dist`,
//! embedded at compile time so the single binary needs no extra files. When
//! the bundle was not built, `/dashboard` explains how to build it instead,
//! so `cargo build` never needs Node.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::state::AppState;

#[derive(RustEmbed)]
#[folder = "../dashboard/dist"]
#[allow_missing = true]
struct Assets;

/// Vite puts content-hashed files under `assets/`; they never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// index.html names the current hashes, so browsers must revalidate it.
const REVALIDATE: &str = "no-cache";

const NOT_BUILT: &str = "<!doctype html><html lang=en><meta charset=utf-8>\
<title>Iron Cage dashboard not built</title>\
<body style=\"font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5\">\
<h1>The dashboard is not built into this server</h1>\
<p>This <code>iron</code> binary was compiled without <code>dashboard/dist</code>. Build the web app, \
then rebuild the server:</p>\
<pre>cd dashboard &amp;&amp; npm ci &amp;&amp; npm run build &amp;&amp; cd .. &amp;&amp; cargo build -p iron-server</pre>\
<p>(<code>scripts/setup.sh</code> does the first part.) The REST API at <code>/api/v1</code> works without it.</p>\
</body></html>";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(index))
        .route("/dashboard/", get(index))
        .route("/dashboard/{*path}", get(asset))
}

async fn index() -> Response {
    match Assets::get("index.html") {
        Some(file) => file_response(file.data.into_owned(), "index.html", REVALIDATE),
        None => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, REVALIDATE),
            ],
            NOT_BUILT,
        )
            .into_response(),
    }
}

/// A bundled file, or index.html for the app's client-side routes
/// (`/dashboard/projects/...`). A missing file under `assets/` is a real 404:
/// answering it with HTML would hide a stale or broken deployment.
async fn asset(Path(path): Path<String>) -> Response {
    if path == "index.html" {
        return Redirect::permanent("/dashboard/").into_response();
    }
    if let Some(file) = Assets::get(&path) {
        let cache = if path.starts_with("assets/") {
            IMMUTABLE
        } else {
            REVALIDATE
        };
        return file_response(file.data.into_owned(), &path, cache);
    }
    if path.starts_with("assets/") {
        return crate::error::AppError::not_found("file").into_response();
    }
    index().await
}

fn file_response(body: Vec<u8>, path: &str, cache: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::content_type;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type("assets/index-3f2a.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("assets/index-3f2a.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("noextension"), "application/octet-stream");
    }
}
