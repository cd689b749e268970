// The diesel schema, written by hand to match both migration trees (`migrations/sqlite` and
// `migrations/postgres`); a test runs the migrations on both backends and loads every table.

diesel::table! {
    workspaces (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    settings (workspace_id) {
        workspace_id -> BigInt,
        kind -> Text,
        activity_window_days -> Integer,
        rfm_window_days -> Nullable<Integer>,
        rfm_scoring -> Text,
        scores -> Text,
        updated_at -> Timestamp,
        scores_as_of -> Nullable<Date>,
        latest_order_at -> Nullable<Timestamp>,
        data_version -> BigInt,
        users_version -> BigInt,
        scored_at -> Nullable<Timestamp>,
        scoring_error -> Nullable<Text>,
        scoring_failed_at -> Nullable<Timestamp>,
        scoring_failures -> BigInt,
    }
}

diesel::table! {
    operators (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        email -> Text,
        name -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        active_segment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        operator_id -> BigInt,
        token_hash -> Text,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        name -> Text,
        prefix -> Text,
        key_hash -> Text,
        scope -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        external_id -> Text,
        name -> Nullable<Text>,
        industry -> Nullable<Text>,
        plan -> Nullable<Text>,
        arr -> Nullable<BigInt>,
        owner -> Nullable<Text>,
        created_at -> Nullable<Timestamp>,
        properties -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        external_id -> Text,
        email -> Nullable<Text>,
        name -> Nullable<Text>,
        company_id -> Nullable<BigInt>,
        created_at -> Nullable<Timestamp>,
        last_seen_at -> Nullable<Timestamp>,
        churned_at -> Nullable<Timestamp>,
        role -> Nullable<Text>,
        country -> Nullable<Text>,
        phone -> Nullable<Text>,
        acquisition_channel -> Nullable<Text>,
        client_type -> Nullable<Text>,
        payment_type -> Nullable<Text>,
        invoice_period -> Nullable<Text>,
        complaint_reason -> Nullable<Text>,
        email_consent -> Nullable<Bool>,
        sms_consent -> Nullable<Bool>,
        properties -> Text,
        first_purchase_at -> Nullable<Timestamp>,
        last_purchase_at -> Nullable<Timestamp>,
        purchases -> BigInt,
        revenue -> BigInt,
        r_score -> Nullable<Integer>,
        f_score -> Nullable<Integer>,
        m_score -> Nullable<Integer>,
        rfm_segment -> Nullable<Text>,
        health_score -> Nullable<Integer>,
        engagement_score -> Nullable<Integer>,
        fit_score -> Nullable<Integer>,
        preferred_day -> Nullable<Text>,
        scored_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        order_id -> Text,
        user_id -> BigInt,
        ordered_at -> Timestamp,
        amount -> BigInt,
        gross_amount -> Nullable<BigInt>,
        quantity -> Nullable<BigInt>,
        channel -> Nullable<Text>,
        store -> Nullable<Text>,
        product -> Nullable<Text>,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    property_keys (workspace_id, entity, name) {
        workspace_id -> BigInt,
        entity -> Text,
        name -> Text,
        value_type -> Text,
    }
}

diesel::table! {
    segments (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        owner_id -> Nullable<BigInt>,
        name -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        show_on_user_page -> Bool,
        position -> BigInt,
        conditions -> Text,
        size -> BigInt,
        online -> BigInt,
        offline -> BigInt,
        refreshed_at -> Nullable<Timestamp>,
        refresh_ms -> Nullable<BigInt>,
        refresh_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    segment_members (segment_id, user_id) {
        segment_id -> BigInt,
        user_id -> BigInt,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    segment_events (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        segment_id -> BigInt,
        user_id -> BigInt,
        entered -> Bool,
        at -> Timestamp,
        cause -> Text,
    }
}

diesel::table! {
    segment_days (workspace_id, segment_id, day) {
        workspace_id -> BigInt,
        segment_id -> BigInt,
        day -> BigInt,
        entered -> BigInt,
        exited -> BigInt,
        first_event -> Nullable<BigInt>,
    }
}

diesel::table! {
    custom_filters (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        owner_id -> Nullable<BigInt>,
        name -> Text,
        conditions -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(settings -> workspaces (workspace_id));
diesel::joinable!(operators -> workspaces (workspace_id));
diesel::joinable!(refresh_tokens -> operators (operator_id));
diesel::joinable!(api_keys -> workspaces (workspace_id));
diesel::joinable!(companies -> workspaces (workspace_id));
diesel::joinable!(users -> companies (company_id));
diesel::joinable!(orders -> users (user_id));
diesel::joinable!(events -> users (user_id));
diesel::joinable!(segment_members -> segments (segment_id));
diesel::joinable!(segment_members -> users (user_id));

diesel::table! {
    idempotency_keys (workspace_id, principal, idempotency_key) {
        workspace_id -> BigInt,
        principal -> Text,
        idempotency_key -> Text,
        request_hash -> Nullable<Text>,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_failures (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        since -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        workspace_id -> BigInt,
        url -> Text,
        description -> Nullable<Text>,
        events -> Text,
        segment_ids -> Nullable<Text>,
        secret -> Text,
        paused -> Bool,
        failing_since -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        workspace_id -> BigInt,
        msg_id -> Text,
        event_type -> Text,
        segment_id -> Nullable<BigInt>,
        first_event_id -> Nullable<BigInt>,
        last_event_id -> Nullable<BigInt>,
        users -> BigInt,
        payload -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));

diesel::allow_tables_to_appear_in_same_query!(
    workspaces,
    settings,
    operators,
    refresh_tokens,
    api_keys,
    companies,
    users,
    orders,
    events,
    property_keys,
    segments,
    segment_members,
    segment_events,
    segment_days,
    custom_filters,
    idempotency_keys,
    webhooks,
    webhook_deliveries,
);
