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

diesel::joinable!(project_members -> projects (project_id));
diesel::joinable!(project_members -> users (user_id));
diesel::joinable!(ic_keys -> projects (project_id));

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
);
