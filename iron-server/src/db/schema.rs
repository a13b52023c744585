//! Diesel schema shared by both backends (see `migrations/`).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        status -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Text,
        expires_at -> BigInt,
        accepted_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    projects (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        status -> Text,
        budget_micros -> BigInt,
        budget_period -> Text,
        period_started_at -> BigInt,
        spent_micros -> BigInt,
        reserved_micros -> BigInt,
        soft_threshold_pct -> Integer,
        hard_threshold_pct -> Integer,
        allowed_models -> Text,
        policy -> Text,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    project_members (project_id, user_id) {
        project_id -> Text,
        user_id -> Text,
        added_at -> BigInt,
    }
}

diesel::table! {
    provider_credentials (id) {
        id -> Text,
        project_id -> Text,
        provider -> Text,
        label -> Text,
        masked_value -> Text,
        nonce -> Text,
        ciphertext -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    server_keys (name) {
        name -> Text,
        nonce -> Text,
        ciphertext -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    ic_keys (id) {
        id -> Text,
        project_id -> Text,
        owner_id -> Text,
        name -> Text,
        key_hash -> Text,
        display_prefix -> Text,
        spend_limit_micros -> Nullable<BigInt>,
        spent_micros -> BigInt,
        ip_allowlist -> Text,
        expires_at -> Nullable<BigInt>,
        status -> Text,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        reserved_micros -> BigInt,
    }
}

diesel::table! {
    budget_requests (id) {
        id -> Text,
        project_id -> Text,
        requester_id -> Text,
        amount_micros -> BigInt,
        reason -> Text,
        status -> Text,
        decided_by -> Nullable<Text>,
        decision_reason -> Nullable<Text>,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_records (seq) {
        seq -> BigInt,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        before_summary -> Nullable<Text>,
        after_summary -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> BigInt,
        prev_mac -> Text,
        mac -> Text,
    }
}

diesel::table! {
    sdk_sessions (id) {
        id -> Text,
        key_id -> Text,
        project_id -> Text,
        client -> Text,
        hostname -> Text,
        ip -> Nullable<Text>,
        status -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    leases (id) {
        id -> Text,
        session_id -> Text,
        project_id -> Text,
        key_id -> Text,
        amount_micros -> BigInt,
        spent_micros -> BigInt,
        returned_micros -> BigInt,
        status -> Text,
        charges_key -> Bool,
        period_started_at -> BigInt,
        expires_at -> BigInt,
        created_at -> BigInt,
        settled_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    idempotency_keys (scope, idem_key) {
        scope -> Text,
        idem_key -> Text,
        request_hash -> Text,
        response -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    usage_records (id) {
        id -> Text,
        project_id -> Text,
        key_id -> Text,
        user_id -> Text,
        session_id -> Text,
        lease_id -> Text,
        model -> Text,
        input_tokens -> BigInt,
        cached_input_tokens -> BigInt,
        output_tokens -> BigInt,
        cost_micros -> BigInt,
        latency_ms -> BigInt,
        outcome -> Text,
        at -> BigInt,
        received_at -> BigInt,
    }
}

diesel::table! {
    sdk_events (id) {
        id -> Text,
        session_id -> Text,
        project_id -> Text,
        key_id -> Text,
        kind -> Text,
        at -> BigInt,
        data -> Text,
        received_at -> BigInt,
    }
}

diesel::table! {
    alerts (id) {
        id -> Text,
        project_id -> Nullable<Text>,
        key_id -> Nullable<Text>,
        kind -> Text,
        severity -> Text,
        message -> Text,
        data -> Text,
        status -> Text,
        created_at -> BigInt,
        acknowledged_at -> Nullable<BigInt>,
        acknowledged_by -> Nullable<Text>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        url -> Text,
        secret_nonce -> Text,
        secret_ciphertext -> Text,
        events -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_kind -> Text,
        payload -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> BigInt,
        last_status_code -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        delivered_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    settings (name) {
        name -> Text,
        value -> Text,
        updated_by -> Nullable<Text>,
        updated_at -> BigInt,
    }
}

diesel::joinable!(project_members -> projects (project_id));
diesel::joinable!(project_members -> users (user_id));
diesel::joinable!(ic_keys -> projects (project_id));
diesel::joinable!(leases -> projects (project_id));
diesel::joinable!(usage_records -> projects (project_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    invitations,
    projects,
    project_members,
    provider_credentials,
    server_keys,
    ic_keys,
    budget_requests,
    audit_records,
    sdk_sessions,
    leases,
    idempotency_keys,
    usage_records,
    sdk_events,
    alerts,
    webhooks,
    webhook_deliveries,
    settings,
);
