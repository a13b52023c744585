/**
 * Generated from iron-server's /api/openapi.json by scripts/gen-api.mjs. Do not edit.
 */

export interface paths {
    "/api/v1/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["activity_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["alerts_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{alert_id}/ack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Marks an alert as seen. Acknowledging twice is harmless (200, unchanged). */
        post: operations["alerts_ack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["analytics_daily"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Streams the usage lines page by page, so memory stays flat for any range. */
        get: operations["analytics_export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["analytics_keys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["analytics_models"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["analytics_projects"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/spend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["analytics_spend"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["analytics_usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["audit_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Walks the whole HMAC chain and names the first record that fails. */
        get: operations["audit_verify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["auth_change_password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["auth_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["auth_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budget-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Admins see all requests; developers see their own. */
        get: operations["budget_requests_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budget-requests/{request_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["budget_requests_approve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/budget-requests/{request_id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["budget_requests_deny"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["users_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Admins see every key; developers see their own. */
        get: operations["keys_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys/inspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Tells an admin which key this is and whether the SDK would accept it. */
        post: operations["keys_inspect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["keys_update"];
        trace?: never;
    };
    "/api/v1/keys/{key_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["keys_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys/{key_id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["keys_revoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/keys/{key_id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["keys_suspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["projects_list"];
        put?: never;
        post: operations["projects_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["projects_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["projects_update"];
        trace?: never;
    };
    "/api/v1/projects/{project_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["projects_archive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/budget-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["budget_requests_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["keys_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["projects_members"];
        put?: never;
        post: operations["projects_add_member"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["projects_remove_member"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["projects_pause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["vault_list"];
        put?: never;
        post: operations["vault_add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/providers/{provider_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["vault_rotate"];
        post?: never;
        delete: operations["vault_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/providers/{provider_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Calls the provider with the stored credential to check it works. */
        post: operations["vault_test_connection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/projects/{project_id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["projects_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sdk/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["sdk_events"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sdk/leases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["sdk_lease"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sdk/leases/{lease_id}/settle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["sdk_settle"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sdk/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["sdk_open_session"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sdk/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["sdk_close_session"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/sdk/sessions/{session_id}/control": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["sdk_control"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["settings_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch: operations["settings_update"];
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["users_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["users_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete: operations["users_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{user_id}/role": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["users_set_role"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["webhooks_list"];
        put?: never;
        post: operations["webhooks_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deletes the subscription and its delivery log. */
        delete: operations["webhooks_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log, newest first. */
        get: operations["webhooks_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Queues a `test` event to the webhook; the dispatcher sends it like any other. */
        post: operations["webhooks_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up. */
        get: operations["health_healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process can reach its database. */
        get: operations["health_readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Activity: {
            items: components["schemas"]["ActivityItem"][];
        };
        ActivityItem: {
            at: string;
            key_id?: string | null;
            project_id?: string | null;
            summary: string;
            type: components["schemas"]["ActivityType"];
        };
        /** @enum {string} */
        ActivityType: "llm_call" | "alert" | "audit";
        AddCredential: {
            api_key: components["schemas"]["SecretString"];
            /** @description Display name; defaults to the provider id. */
            label?: string | null;
            /** @description One of `openai`, `anthropic`, `mistral`. */
            provider: string;
        };
        AddMember: {
            user_id: string;
        };
        /** @enum {string} */
        AlertStatus: "open" | "acknowledged";
        AlertView: {
            acknowledged_at?: string | null;
            created_at: string;
            data: unknown;
            id: string;
            key_id?: string | null;
            /**
             * @description `budget_soft`, `budget_hard`, `anomaly_multi_ip`, `anomaly_spend_rate`,
             *     `key_revoked`, `key_suspended`.
             */
            kind: string;
            message: string;
            project_id?: string | null;
            /** @description `info`, `warning` or `critical`. */
            severity: string;
            status: components["schemas"]["AlertStatus"];
        };
        AnomalyPatch: {
            auto_suspend?: boolean | null;
            /** Format: int32 */
            max_ips_per_key?: number | null;
            max_spend_usd_per_min?: null | components["schemas"]["Usd"];
            /** Format: int32 */
            window_secs?: number | null;
        };
        AnomalySettings: {
            /** @description Suspend the key when an anomaly is detected. */
            auto_suspend: boolean;
            /**
             * Format: int32
             * @description More distinct client IPs than this for one key within the window is an anomaly.
             */
            max_ips_per_key: number;
            /** @description Spend of one key within the last minute above this is an anomaly. */
            max_spend_usd_per_min: components["schemas"]["Usd"];
            /**
             * Format: int32
             * @description The window of the multi-IP rule, and the deduplication window of anomaly alerts.
             */
            window_secs: number;
        };
        AuditRecordView: {
            action: string;
            actor_id?: string | null;
            after?: unknown;
            before?: unknown;
            created_at: string;
            ip?: string | null;
            mac: string;
            /** Format: int64 */
            seq: number;
            target_id: string;
            target_type: string;
        };
        /** @enum {string} */
        Bucket: "hour" | "day";
        BudgetFigures: {
            /** Format: int64 */
            budget_micros: number;
            /** Format: int64 */
            key_limit_micros?: number | null;
            /** Format: int64 */
            key_spent_micros: number;
            /** Format: int64 */
            reserved_micros: number;
            /** Format: int64 */
            spent_micros: number;
        };
        /** @enum {string} */
        BudgetPeriod: "none" | "daily" | "weekly" | "monthly";
        BudgetRequestView: {
            amount_usd: components["schemas"]["Usd"];
            created_at: string;
            decided_at?: string | null;
            decided_by?: string | null;
            decision_reason?: string | null;
            id: string;
            project_id: string;
            reason: string;
            requester_id: string;
            status: components["schemas"]["RequestStatus"];
        };
        ConnectionTest: {
            /** Format: int32 */
            http_status?: number | null;
            message: string;
            ok: boolean;
        };
        CreateBudgetRequest: {
            amount_usd: components["schemas"]["Usd"];
            reason: string;
        };
        CreateKey: {
            /** @description ISO-8601 time after which the key stops working. */
            expires_at?: string | null;
            /** @description CIDRs (or single addresses) the key may be used from; empty: any. */
            ip_allowlist?: string[];
            name: string;
            /** @description The developer who will use the key; defaults to the caller. */
            owner_id?: string | null;
            spend_limit_usd?: null | components["schemas"]["Usd"];
        };
        CreateProject: {
            /** @description Models the SDK may call; empty means any. */
            allowed_models?: string[];
            budget_period?: components["schemas"]["BudgetPeriod"];
            budget_usd: components["schemas"]["Usd"];
            description?: string;
            /**
             * Format: int32
             * @description Percent of the budget at which spending stops (default 100).
             */
            hard_threshold_pct?: number | null;
            /** @description Users (ids) who may use the project. */
            members?: string[];
            name: string;
            /** @description Absent fields take the server's policy defaults (`GET /settings`). */
            policy?: components["schemas"]["PolicyInput"];
            /**
             * Format: int32
             * @description Percent of the budget that raises a warning (default 90).
             */
            soft_threshold_pct?: number | null;
        };
        CreateWebhook: {
            /** @description Alert kinds to send; empty or absent: all. */
            events?: string[];
            /** @description `http://` or `https://` URL that receives the POSTs. */
            url: string;
        };
        CredentialView: {
            created_at: string;
            id: string;
            label: string;
            /** @description e.g. `sk-...abcd`; the secret itself is never returned. */
            masked_value: string;
            project_id: string;
            provider: string;
            updated_at: string;
        };
        DailyTotals: {
            days: components["schemas"]["DayTotal"][];
        };
        DayTotal: {
            /** @description `YYYY-MM-DD` (UTC). */
            date: string;
            /** Format: int64 */
            requests: number;
            spend_usd: components["schemas"]["Usd"];
        };
        Decision: {
            /** @description Required when denying. */
            reason?: string | null;
        };
        DeliveryView: {
            /** Format: int64 */
            attempts: number;
            created_at: string;
            delivered_at?: string | null;
            event_kind: string;
            id: string;
            last_error?: string | null;
            /** Format: int64 */
            last_status_code?: number | null;
            next_attempt_at?: string | null;
            /** @description `pending`, `delivered` or `failed`. */
            status: string;
            webhook_id: string;
        };
        ErrorBody: {
            error: components["schemas"]["ErrorDetail"];
        };
        ErrorDetail: {
            /** @description Stable machine-readable code, e.g. `VALIDATION_FAILED`. */
            code: string;
            /** @description Per-field messages for validation errors. */
            fields: {
                [key: string]: string;
            };
            message: string;
        };
        EventBatch: {
            events: components["schemas"]["SdkEvent"][];
            session_id: string;
        };
        EventsAccepted: {
            accepted: number;
            duplicates: number;
        };
        Health: {
            status: string;
        };
        InspectKey: {
            /** @description Check the IP allowlist for this client address. */
            ip?: string | null;
            /** @description The full `ic_` key, e.g. one a developer reports. */
            key: string;
        };
        InvitationCreated: {
            email: string;
            expires_at: string;
            id: string;
            /** @description Shown once: the invitee passes it to `POST /api/v1/auth/register`. */
            invitation_token: string;
            role: components["schemas"]["Role"];
        };
        InviteRequest: {
            /** Format: email */
            email: string;
            role: components["schemas"]["Role"];
        };
        KeyCreated: components["schemas"]["KeyView"] & {
            /** @description The full key. Shown only in this response; store it now. */
            key: string;
        };
        KeyInspection: {
            details?: null | components["schemas"]["KeyView"];
            problem?: null | components["schemas"]["KeyProblem"];
            valid: boolean;
        };
        /**
         * @description Why a key would be refused by the SDK protocol.
         * @enum {string}
         */
        KeyProblem: "UNKNOWN_KEY" | "KEY_REVOKED" | "KEY_SUSPENDED" | "KEY_EXPIRED" | "IP_NOT_ALLOWED" | "PROJECT_PAUSED" | "PROJECT_ARCHIVED";
        /** @enum {string} */
        KeyStatus: "active" | "suspended" | "revoked";
        KeyUsage: {
            display_prefix: string;
            key_id: string;
            key_name: string;
            project_id: string;
            /** Format: int64 */
            requests: number;
            spend_usd: components["schemas"]["Usd"];
            user_id: string;
        };
        KeyView: {
            created_at: string;
            /** @description The first characters of the key, enough to recognise it. */
            display_prefix: string;
            expires_at?: string | null;
            id: string;
            ip_allowlist: string[];
            name: string;
            owner_id: string;
            project_id: string;
            /** @description Held by the key's open leases; counts against its limit like spend. */
            reserved_usd: components["schemas"]["Usd"];
            spend_limit_usd?: null | components["schemas"]["Usd"];
            spent_usd: components["schemas"]["Usd"];
            status: components["schemas"]["KeyStatus"];
            updated_at: string;
        };
        /** @description Lease terms the SDK handshake hands out unless the project sets its own. */
        LeaseDefaults: {
            /** @description Budget tranche per lease. */
            lease_size_usd: components["schemas"]["Usd"];
            /**
             * Format: int32
             * @description Lease lifetime; a lease not settled by then is charged in full.
             */
            lease_ttl_secs: number;
        };
        LeaseDefaultsPatch: {
            lease_size_usd?: null | components["schemas"]["Usd"];
            /** Format: int32 */
            lease_ttl_secs?: number | null;
        };
        LeaseRequest: {
            /** @description Client-generated UUID (v7); a retry reuses it. */
            idempotency_key: string;
            session_id: string;
            /**
             * Format: int64
             * @description 1 to 10^12 micro-dollars.
             */
            want_micros: number;
        };
        LeaseTerms: {
            /** Format: int64 */
            tranche_micros: number;
            /** Format: int32 */
            ttl_secs: number;
        };
        LeaseView: {
            /** Format: int64 */
            amount_micros: number;
            expires_at: string;
            lease_id: string;
        };
        LoginRequest: {
            email: string;
            password: string;
        };
        ModelUsage: {
            /** Format: int64 */
            input_tokens: number;
            model: string;
            /** Format: int64 */
            output_tokens: number;
            /** Format: int64 */
            requests: number;
            spend_usd: components["schemas"]["Usd"];
        };
        OpenSession: {
            client?: string | null;
            hostname?: string | null;
        };
        Page_AlertView: {
            items: {
                acknowledged_at?: string | null;
                created_at: string;
                data: unknown;
                id: string;
                key_id?: string | null;
                /**
                 * @description `budget_soft`, `budget_hard`, `anomaly_multi_ip`, `anomaly_spend_rate`,
                 *     `key_revoked`, `key_suspended`.
                 */
                kind: string;
                message: string;
                project_id?: string | null;
                /** @description `info`, `warning` or `critical`. */
                severity: string;
                status: components["schemas"]["AlertStatus"];
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_AuditRecordView: {
            items: {
                action: string;
                actor_id?: string | null;
                after?: unknown;
                before?: unknown;
                created_at: string;
                ip?: string | null;
                mac: string;
                /** Format: int64 */
                seq: number;
                target_id: string;
                target_type: string;
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_BudgetRequestView: {
            items: {
                amount_usd: components["schemas"]["Usd"];
                created_at: string;
                decided_at?: string | null;
                decided_by?: string | null;
                decision_reason?: string | null;
                id: string;
                project_id: string;
                reason: string;
                requester_id: string;
                status: components["schemas"]["RequestStatus"];
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_DeliveryView: {
            items: {
                /** Format: int64 */
                attempts: number;
                created_at: string;
                delivered_at?: string | null;
                event_kind: string;
                id: string;
                last_error?: string | null;
                /** Format: int64 */
                last_status_code?: number | null;
                next_attempt_at?: string | null;
                /** @description `pending`, `delivered` or `failed`. */
                status: string;
                webhook_id: string;
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_KeyView: {
            items: {
                created_at: string;
                /** @description The first characters of the key, enough to recognise it. */
                display_prefix: string;
                expires_at?: string | null;
                id: string;
                ip_allowlist: string[];
                name: string;
                owner_id: string;
                project_id: string;
                /** @description Held by the key's open leases; counts against its limit like spend. */
                reserved_usd: components["schemas"]["Usd"];
                spend_limit_usd?: null | components["schemas"]["Usd"];
                spent_usd: components["schemas"]["Usd"];
                status: components["schemas"]["KeyStatus"];
                updated_at: string;
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_ProjectView: {
            items: {
                allowed_models: string[];
                budget_period: components["schemas"]["BudgetPeriod"];
                budget_usd: components["schemas"]["Usd"];
                created_at: string;
                description: string;
                /** Format: int32 */
                hard_threshold_pct: number;
                id: string;
                name: string;
                period_started_at: string;
                policy: components["schemas"]["Policy"];
                remaining_usd: components["schemas"]["Usd"];
                reserved_usd: components["schemas"]["Usd"];
                /** Format: int32 */
                soft_threshold_pct: number;
                spent_usd: components["schemas"]["Usd"];
                status: components["schemas"]["ProjectStatus"];
                /** @description `ok`, `soft` (past the soft threshold) or `hard` (spending stopped). */
                threshold_state: string;
                updated_at: string;
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_UserView: {
            items: {
                created_at: string;
                email: string;
                id: string;
                name: string;
                role: components["schemas"]["Role"];
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        Page_WebhookView: {
            items: {
                created_at: string;
                events: string[];
                id: string;
                status: string;
                updated_at: string;
                url: string;
            }[];
            /** @description Pass as `cursor` to get the next page; absent on the last page. */
            next_cursor?: string | null;
        };
        PasswordChangeRequest: {
            current_password: string;
            new_password: string;
        };
        /** @enum {string} */
        PiiMode: "off" | "alert" | "redact" | "block";
        /** @description Settings sent to the SDK at handshake, as stored for a project. */
        Policy: {
            /** @description Injection findings at or above this severity block the call. */
            injection_threshold: components["schemas"]["Severity"];
            lease_size_usd?: null | components["schemas"]["Usd"];
            /**
             * Format: int32
             * @description Lease lifetime; `null`: the server's lease default (settings).
             */
            lease_ttl_secs?: number | null;
            pii_mode: components["schemas"]["PiiMode"];
            tool_policy?: components["schemas"]["ToolPolicy"];
        };
        /** @description The safety policy a new project starts with when its creator names none. */
        PolicyDefaults: {
            /** @description Injection findings at or above this severity block the call. */
            injection_threshold: components["schemas"]["Severity"];
            pii_mode: components["schemas"]["PiiMode"];
            tool_policy: components["schemas"]["ToolPolicy"];
        };
        PolicyDefaultsPatch: {
            injection_threshold?: null | components["schemas"]["Severity"];
            pii_mode?: null | components["schemas"]["PiiMode"];
            tool_policy?: null | components["schemas"]["ToolPolicy"];
        };
        /**
         * @description A policy as given on create (absent fields: the server's policy
         *     defaults from settings) or update (absent fields: unchanged). `null`
         *     for a lease field means "follow the server's lease default".
         */
        PolicyInput: {
            injection_threshold?: null | components["schemas"]["Severity"];
            lease_size_usd?: null | components["schemas"]["Usd"];
            /** Format: int32 */
            lease_ttl_secs?: number | null;
            pii_mode?: null | components["schemas"]["PiiMode"];
            tool_policy?: null | components["schemas"]["ToolPolicy"];
        };
        /** @enum {string} */
        ProjectStatus: "active" | "paused" | "archived";
        ProjectUsage: {
            budget_usd: components["schemas"]["Usd"];
            /** @description Spent in the project's current budget period (all time for `none`). */
            period_spent_usd: components["schemas"]["Usd"];
            project_id: string;
            project_name: string;
            /** Format: int64 */
            requests: number;
            spend_usd: components["schemas"]["Usd"];
        };
        ProjectView: {
            allowed_models: string[];
            budget_period: components["schemas"]["BudgetPeriod"];
            budget_usd: components["schemas"]["Usd"];
            created_at: string;
            description: string;
            /** Format: int32 */
            hard_threshold_pct: number;
            id: string;
            name: string;
            period_started_at: string;
            policy: components["schemas"]["Policy"];
            remaining_usd: components["schemas"]["Usd"];
            reserved_usd: components["schemas"]["Usd"];
            /** Format: int32 */
            soft_threshold_pct: number;
            spent_usd: components["schemas"]["Usd"];
            status: components["schemas"]["ProjectStatus"];
            /** @description `ok`, `soft` (past the soft threshold) or `hard` (spending stopped). */
            threshold_state: string;
            updated_at: string;
        };
        /** @description A provider credential of the project, decrypted for the SDK's memory. */
        ProviderSecret: {
            api_key: string;
            /** @description The server's `--provider-base-url` for this provider, if any. */
            base_url?: string | null;
            provider: string;
        };
        RateLimits: {
            /**
             * Format: int32
             * @description SDK requests per minute per IC key.
             */
            key_rpm: number;
            /**
             * Format: int32
             * @description SDK requests per minute per project (all its keys).
             */
            project_rpm: number;
        };
        RateLimitsPatch: {
            /** Format: int32 */
            key_rpm?: number | null;
            /** Format: int32 */
            project_rpm?: number | null;
        };
        Readiness: {
            database: string;
            status: string;
        };
        RefreshRequest: {
            refresh_token: string;
        };
        RegisterRequest: {
            /** Format: email */
            email: string;
            /** @description Required for everyone but the very first user. */
            invitation_token?: string | null;
            name: string;
            password: string;
        };
        /** @enum {string} */
        RequestStatus: "pending" | "approved" | "denied";
        /** @enum {string} */
        Role: "admin" | "developer";
        RoleChange: {
            role: components["schemas"]["Role"];
        };
        RotateCredential: {
            api_key: components["schemas"]["SecretString"];
        };
        Rows_KeyUsage: {
            rows: {
                display_prefix: string;
                key_id: string;
                key_name: string;
                project_id: string;
                /** Format: int64 */
                requests: number;
                spend_usd: components["schemas"]["Usd"];
                user_id: string;
            }[];
        };
        Rows_ModelUsage: {
            rows: {
                /** Format: int64 */
                input_tokens: number;
                model: string;
                /** Format: int64 */
                output_tokens: number;
                /** Format: int64 */
                requests: number;
                spend_usd: components["schemas"]["Usd"];
            }[];
        };
        Rows_ProjectUsage: {
            rows: {
                budget_usd: components["schemas"]["Usd"];
                /** @description Spent in the project's current budget period (all time for `none`). */
                period_spent_usd: components["schemas"]["Usd"];
                project_id: string;
                project_name: string;
                /** Format: int64 */
                requests: number;
                spend_usd: components["schemas"]["Usd"];
            }[];
        };
        SdkEvent: {
            at: string;
            data: Record<string, never>;
            /** @description Client-generated UUID (v7); a repeated id is a duplicate. */
            id: string;
            /** @description e.g. `guard.pii`, `tool.invoke`. */
            kind: string;
        };
        SdkPolicy: {
            allowed_models: string[];
            injection_threshold: components["schemas"]["Severity"];
            pii_mode: components["schemas"]["PiiMode"];
            tool_policy: components["schemas"]["ToolPolicy"];
        };
        /** @description The secret is zeroed on drop and never printed. */
        SecretString: string;
        Session: {
            access_token: string;
            /**
             * Format: int64
             * @description Access token lifetime in seconds.
             */
            expires_in: number;
            refresh_token: string;
            token_type: string;
            user: components["schemas"]["UserView"];
        };
        SessionOpened: {
            budget: components["schemas"]["BudgetFigures"];
            control_url: string;
            key_id: string;
            lease: components["schemas"]["LeaseTerms"];
            policy: components["schemas"]["SdkPolicy"];
            project_id: string;
            providers: components["schemas"]["ProviderSecret"][];
            session_id: string;
        };
        Settings: {
            anomaly: components["schemas"]["AnomalySettings"];
            lease_defaults: components["schemas"]["LeaseDefaults"];
            policy_defaults: components["schemas"]["PolicyDefaults"];
            rate_limits: components["schemas"]["RateLimits"];
        };
        /** @description A partial update: absent fields keep their value. */
        SettingsPatch: {
            anomaly?: null | components["schemas"]["AnomalyPatch"];
            lease_defaults?: null | components["schemas"]["LeaseDefaultsPatch"];
            policy_defaults?: null | components["schemas"]["PolicyDefaultsPatch"];
            rate_limits?: null | components["schemas"]["RateLimitsPatch"];
        };
        SettleRequest: {
            idempotency_key: string;
            /**
             * Format: int64
             * @description Grant the next lease in the same round trip.
             */
            next_tranche_micros?: number | null;
            /**
             * Format: int64
             * @description What the lease paid for, 0 to 10^12; more than the lease is an overrun.
             */
            spent_micros: number;
            usage?: components["schemas"]["UsageLine"][];
        };
        SettleView: {
            lease_id: string;
            next?: null | components["schemas"]["LeaseView"];
            /** Format: int64 */
            overrun_micros: number;
            /** Format: int64 */
            returned_micros: number;
            /** Format: int64 */
            spent_micros: number;
        };
        /** @enum {string} */
        Severity: "low" | "medium" | "high" | "critical";
        SpendPoint: {
            /** Format: int64 */
            requests: number;
            spend_usd: components["schemas"]["Usd"];
            /** @description Start of the bucket. */
            t: string;
        };
        SpendSeries: {
            bucket: components["schemas"]["Bucket"];
            from: string;
            /** Format: int64 */
            requests: number;
            series: components["schemas"]["SpendPoint"][];
            to: string;
            total_usd: components["schemas"]["Usd"];
        };
        /** @description Tool-call policy the SDK enforces: glob patterns of tool names. */
        ToolPolicy: {
            allow?: string[];
            deny?: string[];
        };
        /**
         * @description Any subset of a key's settings; absent fields stay as they are, `null`
         *     clears the limit or the expiry. Takes effect on the key's next SDK call.
         */
        UpdateKey: {
            /** @description A future ISO-8601 time, or `null` for no expiry. */
            expires_at?: string | null;
            /** @description Replaces the allowlist; empty: any address. */
            ip_allowlist?: string[] | null;
            name?: string | null;
            spend_limit_usd?: null | components["schemas"]["Usd"];
        };
        /** @description Any subset of the settings; absent fields stay as they are. */
        UpdateProject: {
            allowed_models?: string[] | null;
            budget_period?: null | components["schemas"]["BudgetPeriod"];
            budget_usd?: null | components["schemas"]["Usd"];
            description?: string | null;
            /** Format: int32 */
            hard_threshold_pct?: number | null;
            name?: string | null;
            policy?: null | components["schemas"]["PolicyInput"];
            /** Format: int32 */
            soft_threshold_pct?: number | null;
        };
        /** @description One LLM call as the SDK accounted it. */
        UsageLine: {
            /** @description ISO-8601 time of the call. */
            at: string;
            /** Format: int64 */
            cached_input_tokens?: number;
            /** Format: int64 */
            cost_micros: number;
            /** @description Client-generated UUID (v7), unique server-wide. */
            id: string;
            /** Format: int64 */
            input_tokens: number;
            /** Format: int64 */
            latency_ms?: number;
            model: string;
            /** @description e.g. `ok`, `error`, `blocked`. */
            outcome: string;
            /** Format: int64 */
            output_tokens: number;
        };
        UsagePoint: {
            /** Format: int64 */
            cached_input_tokens: number;
            /** Format: int64 */
            errors: number;
            /** Format: int64 */
            input_tokens: number;
            /** Format: int64 */
            output_tokens: number;
            /** Format: int64 */
            requests: number;
            t: string;
        };
        UsageSeries: {
            bucket: components["schemas"]["Bucket"];
            /** Format: int64 */
            cached_input_tokens: number;
            /** Format: int64 */
            errors: number;
            from: string;
            /** Format: int64 */
            input_tokens: number;
            /** Format: int64 */
            output_tokens: number;
            /** Format: int64 */
            requests: number;
            series: components["schemas"]["UsagePoint"][];
            to: string;
        };
        /**
         * @description US dollars as a decimal string, e.g. "500.00"
         * @example 500.00
         */
        Usd: string;
        UserView: {
            created_at: string;
            email: string;
            id: string;
            name: string;
            role: components["schemas"]["Role"];
        };
        /** @description Result of walking the whole chain. */
        Verification: {
            /**
             * Format: int64
             * @description The first record that does not verify, if any.
             */
            first_bad_seq?: number | null;
            ok: boolean;
            problem?: string | null;
            /** Format: int64 */
            records_checked: number;
        };
        WebhookCreated: components["schemas"]["WebhookView"] & {
            /** @description HMAC-SHA256 signing secret. Shown only in this response. */
            secret: string;
        };
        WebhookView: {
            created_at: string;
            events: string[];
            id: string;
            status: string;
            updated_at: string;
            url: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    activity_list: {
        parameters: {
            query?: {
                /** @description 1..=200, default 50. */
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Activity"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    alerts_list: {
        parameters: {
            query?: {
                status?: null | components["schemas"]["AlertStatus"];
                project_id?: string | null;
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AlertView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    alerts_ack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alert_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_daily: {
        parameters: {
            query?: {
                /** @description Number of UTC days ending today (1..=366, default 7). */
                days?: number | null;
                project_id?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DailyTotals"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_export_csv: {
        parameters: {
            query?: {
                /** @description ISO-8601, inclusive; default: `to` minus 7 days. */
                from?: string | null;
                /** @description ISO-8601, exclusive; default: now. */
                to?: string | null;
                /** @description `hour` or `day` (default); series only. */
                bucket?: null | components["schemas"]["Bucket"];
                project_id?: string | null;
                key_id?: string | null;
                user_id?: string | null;
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_keys: {
        parameters: {
            query?: {
                /** @description ISO-8601, inclusive; default: `to` minus 7 days. */
                from?: string | null;
                /** @description ISO-8601, exclusive; default: now. */
                to?: string | null;
                /** @description `hour` or `day` (default); series only. */
                bucket?: null | components["schemas"]["Bucket"];
                project_id?: string | null;
                key_id?: string | null;
                user_id?: string | null;
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rows_KeyUsage"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_models: {
        parameters: {
            query?: {
                /** @description ISO-8601, inclusive; default: `to` minus 7 days. */
                from?: string | null;
                /** @description ISO-8601, exclusive; default: now. */
                to?: string | null;
                /** @description `hour` or `day` (default); series only. */
                bucket?: null | components["schemas"]["Bucket"];
                project_id?: string | null;
                key_id?: string | null;
                user_id?: string | null;
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rows_ModelUsage"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_projects: {
        parameters: {
            query?: {
                /** @description ISO-8601, inclusive; default: `to` minus 7 days. */
                from?: string | null;
                /** @description ISO-8601, exclusive; default: now. */
                to?: string | null;
                /** @description `hour` or `day` (default); series only. */
                bucket?: null | components["schemas"]["Bucket"];
                project_id?: string | null;
                key_id?: string | null;
                user_id?: string | null;
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rows_ProjectUsage"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_spend: {
        parameters: {
            query?: {
                /** @description ISO-8601, inclusive; default: `to` minus 7 days. */
                from?: string | null;
                /** @description ISO-8601, exclusive; default: now. */
                to?: string | null;
                /** @description `hour` or `day` (default); series only. */
                bucket?: null | components["schemas"]["Bucket"];
                project_id?: string | null;
                key_id?: string | null;
                user_id?: string | null;
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendSeries"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    analytics_usage: {
        parameters: {
            query?: {
                /** @description ISO-8601, inclusive; default: `to` minus 7 days. */
                from?: string | null;
                /** @description ISO-8601, exclusive; default: now. */
                to?: string | null;
                /** @description `hour` or `day` (default); series only. */
                bucket?: null | components["schemas"]["Bucket"];
                project_id?: string | null;
                key_id?: string | null;
                user_id?: string | null;
                model?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageSeries"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    audit_list: {
        parameters: {
            query?: {
                actor_id?: string | null;
                /** @description e.g. `project.create` */
                action?: string | null;
                target_id?: string | null;
                /** @description ISO-8601, inclusive. */
                since?: string | null;
                /** @description ISO-8601, exclusive. */
                until?: string | null;
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_AuditRecordView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    audit_verify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Verification"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    auth_change_password: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordChangeRequest"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    auth_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    auth_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    budget_requests_list: {
        parameters: {
            query?: {
                status?: null | components["schemas"]["RequestStatus"];
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_BudgetRequestView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    budget_requests_approve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                request_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Decision"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetRequestView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    budget_requests_deny: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                request_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Decision"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetRequestView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    users_invite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InviteRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationCreated"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_list: {
        parameters: {
            query?: {
                project_id?: string | null;
                /** @description Admins only: keys of one owner. */
                owner_id?: string | null;
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_KeyView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_inspect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InspectKey"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyInspection"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateKey"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_suspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_list: {
        parameters: {
            query?: {
                /** @description `active`, `paused` or `archived`; default: all but archived. */
                status?: null | components["schemas"]["ProjectStatus"];
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProject"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProject"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_archive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    budget_requests_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateBudgetRequest"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetRequestView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    keys_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateKey"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyCreated"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_members: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"][];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_add_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddMember"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_remove_member: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_pause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    vault_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialView"][];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    vault_add: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddCredential"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    vault_rotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
                provider_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotateCredential"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    vault_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
                provider_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    vault_test_connection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
                provider_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionTest"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    projects_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProjectView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sdk_events: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EventBatch"];
            };
        };
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventsAccepted"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sdk_lease: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LeaseRequest"];
            };
        };
        responses: {
            /** @description replay of the same request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeaseView"];
                };
            };
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeaseView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sdk_settle: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                lease_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SettleRequest"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettleView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sdk_open_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OpenSession"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionOpened"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sdk_close_session: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    sdk_control: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description server-sent control events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": unknown;
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    settings_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    settings_update: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SettingsPatch"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    users_list: {
        parameters: {
            query?: {
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_UserView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    users_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    users_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    users_set_role: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RoleChange"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webhooks_list: {
        parameters: {
            query?: {
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_WebhookView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webhooks_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhook"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webhooks_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webhooks_deliveries: {
        parameters: {
            query?: {
                cursor?: string | null;
                limit?: number | null;
            };
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_DeliveryView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    webhooks_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryView"];
                };
            };
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
    health_healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    health_readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
        };
    };
}
