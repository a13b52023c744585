//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::extract::Json;
use crate::routes::{
    activity, alerts, analytics, audit, auth, budget_requests, health, keys, projects, settings,
    users, vault, webhooks,
};
use crate::sdk::control as sdk_control;
use crate::sdk::routes as sdk;

#[derive(OpenApi)]
#[openapi(
    info(title = "Iron Cage control plane", description = "Admin API of iron-server."),
    paths(
        health::healthz, health::readyz,
        auth::register, auth::login, auth::refresh, auth::logout, auth::change_password,
        users::me, users::list, users::invite, users::set_role, users::remove,
        projects::create, projects::list, projects::get, projects::update,
        projects::pause, projects::resume, projects::archive,
        projects::members, projects::add_member, projects::remove_member,
        vault::add, vault::list, vault::rotate, vault::remove, vault::test_connection,
        keys::create, keys::list, keys::inspect, keys::update, keys::revoke, keys::suspend, keys::resume,
        budget_requests::create, budget_requests::list, budget_requests::approve, budget_requests::deny,
        audit::list, audit::verify,
        sdk::open_session, sdk::lease, sdk::settle, sdk::events, sdk::close_session, sdk_control::control,
        analytics::spend, analytics::usage, analytics::models, analytics::keys, analytics::projects,
        analytics::daily, analytics::export_csv, activity::list,
        alerts::list, alerts::ack, settings::get, settings::update,
        webhooks::create, webhooks::list, webhooks::remove, webhooks::deliveries, webhooks::test,
    ),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "ic_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("ic_ key")
                    .build(),
            ),
        );
    }
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
