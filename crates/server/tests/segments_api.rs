//! Custom segments, custom filters, the filter catalog, the active segment and the Segments
//! export through the API, on SQLite and PostgreSQL.

mod common;

use actix_web::http::StatusCode;
use chrono::{Duration, Utc};
use common::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

fn days_ago(days: i64) -> String {
    (Utc::now() - Duration::days(days)).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Five users: Ann and Bob (DE, Acme), Cy (FR, Beta), Dee (DE, churned), Eve (US, no
/// company); Ann and Cy seen this week, Bob two months ago.
fn users_csv() -> String {
    format!(
        "external_id,email,name,company_id,country,last_seen_at,churned_at,plan_tier\n\
         u1,ann@x.io,Ann,c1,DE,{},,gold\n\
         u2,bob@x.io,Bob,c1,DE,{},,silver\n\
         u3,cy@x.io,Cy,c2,FR,{},,gold\n\
         u4,dee@x.io,Dee,c2,DE,{},{},gold\n\
         u5,eve@x.io,Eve,,US,,,\n",
        days_ago(2),
        days_ago(60),
        days_ago(1),
        days_ago(3),
        days_ago(1)
    )
}

async fn setup(api: &TestApp, token: &str) {
    let companies = "external_id,name,industry,plan,arr\nc1,Acme GmbH,software,pro,12000\nc2,Beta & Co,retail,free,\n";
    let (status, body) = api.import_csv(token, "companies", companies).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api.import_csv(token, "users", &users_csv()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let orders = format!(
        "order_id,customer_id,ordered_at,amount,product\no1,u1,{},120.00,Hat\no2,u1,{},30.00,Socks\no3,u3,{},15.50,Hat\n",
        days_ago(5),
        days_ago(200),
        days_ago(10)
    );
    let (status, body) = api.import_csv(token, "orders", &orders).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let events = format!(
        "customer_id,name,occurred_at\nu1,login,{}\nu1,login,{}\nu3,export,{}\n",
        days_ago(2),
        days_ago(3),
        days_ago(1)
    );
    let (status, body) = api.import_csv(token, "events", &events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

fn external_ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|u| u["external_id"].as_str().unwrap().to_owned()).collect()
}

fn tree(conditions: Value) -> Value {
    json!({"match": "all", "conditions": conditions})
}

async fn operator(api: &TestApp, admin: &str, email: &str, role: &str) -> String {
    let (status, body) = api
        .call(
            "POST",
            "/api/v1/operators",
            Some(admin),
            Some(json!({"email": email, "password": "password123", "role": role})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, login) =
        api.call("POST", "/api/v1/auth/login", None, Some(json!({"email": email, "password": "password123"}))).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    login["access_token"].as_str().unwrap().to_owned()
}

/// The shop of `setup` and its segment "Germans" (Ann and Bob, and Dee who churned): the
/// operator's token and the segment as created.
async fn germans(api: &TestApp) -> (String, Value) {
    let token = api.signup("Shop", "owner@shop.test").await;
    setup(api, &token).await;
    let germans = tree(json!([{"field": "user.country", "op": "eq", "value": "DE"}]));
    let (status, seg) = api
        .call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "Germans", "conditions": germans})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{seg}");
    (token, seg)
}

fn names(list: &Value) -> Vec<&str> {
    list["items"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect()
}

#[actix_web::test]
async fn a_saved_segment_counts_its_active_members_online_and_offline() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        assert_eq!(seg["size"], 2, "{label}: Ann and Bob; Dee is churned");
        assert_eq!((seg["online"].as_i64(), seg["offline"].as_i64()), (Some(1), Some(1)), "{label}");
        assert!(seg["refreshed_at"].is_string() && seg["refresh_ms"].is_number() && seg["refresh_error"].is_null());
        assert_eq!(seg["visibility"], "public");
        assert_eq!(seg["conditions"], tree(json!([{"field": "user.country", "op": "eq", "value": "DE"}])));
        let (status, got) = api.get(&format!("/api/v1/segments/{id}"), &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(got["size"], 2);
    }
}

#[actix_web::test]
async fn members_include_churned_users_and_page_by_cursor() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        let (_, members) = api.get(&format!("/api/v1/segments/{id}/members"), &token).await;
        assert_eq!(external_ids(&members), ["u1", "u2", "u4"], "{label}");
        assert_eq!(members["total"], 3);
        let (_, first) = api.get(&format!("/api/v1/segments/{id}/members?limit=2"), &token).await;
        assert_eq!(external_ids(&first), ["u1", "u2"]);
        let cursor = first["next_cursor"].as_str().unwrap();
        let (_, rest) = api.get(&format!("/api/v1/segments/{id}/members?limit=2&cursor={cursor}"), &token).await;
        assert_eq!(external_ids(&rest), ["u4"]);
        assert!(rest["next_cursor"].is_null());
    }
}

#[actix_web::test]
async fn names_are_required_and_unique_ignoring_case_and_no_conditions_is_everyone() {
    for db in backends() {
        let api = api(state(&db)).await;
        let (token, _) = germans(&api).await;
        let (status, body) = api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "gERMANS"}))).await;
        assert_problem(status, &body, StatusCode::CONFLICT);
        let (status, body) = api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "  "}))).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "name");
        // no conditions: everyone active (4 of 5)
        let (status, all) = api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "Everyone"}))).await;
        assert_eq!(status, StatusCode::CREATED, "{all}");
        assert_eq!(all["size"], 4, "{}", db.label());
    }
}

#[actix_web::test]
async fn a_bad_tree_is_refused_naming_the_condition_path() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let (token, _) = germans(&api).await;
        for (conditions, path) in [
            (
                tree(
                    json!([{"field": "user.country", "op": "eq", "value": "DE"}, {"field": "user.shoe_size", "op": "eq", "value": "9"}]),
                ),
                "conditions[1]",
            ),
            (
                tree(
                    json!([{"match": "any", "conditions": [{"field": "score.health", "op": "contains", "value": "x"}]}]),
                ),
                "conditions[0].conditions[0]",
            ),
            (tree(json!([{"field": "company.arr", "op": "gt", "value": "lots"}])), "conditions[0]"),
            (tree(json!([{"field": "user.country", "op": "like", "value": "D%"}])), "conditions[0].op"),
            (json!({"match": "most", "conditions": []}), "conditions"),
        ] {
            let (status, body) = api
                .call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "Bad", "conditions": conditions})))
                .await;
            assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["errors"][0]["field"], path, "{label} {body}");
        }
        let deep = json!({"conditions": [{"conditions": [{"conditions": [{"conditions": [{"conditions": [{"conditions": [
            {"field": "user.country", "op": "is_set"}]}]}]}]}]}]});
        let (status, body) =
            api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "Deep", "conditions": deep}))).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[actix_web::test]
async fn a_preview_of_ten_conditions_over_every_field_group_counts_and_saves_nothing() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let (token, _) = germans(&api).await;
        let ten = tree(json!([
            {"field": "user.country", "op": "in", "value": ["DE", "FR"]},
            {"field": "user.email", "op": "ends_with", "value": "@X.IO"},
            {"field": "user.churned_at", "op": "is_not_set"},
            {"field": "company.plan", "op": "ne", "value": "enterprise"},
            {"field": "company.name", "op": "contains", "value": "acme"},
            {"field": "behaviour.purchases_last_30d", "op": "gte", "value": 1},
            {"field": "behaviour.revenue_total", "op": "between", "value": [100, 200]},
            {"field": "user.properties.plan_tier", "op": "eq", "value": "gold"},
            {"field": "user.activity", "op": "eq", "value": "online"},
            {"match": "any", "conditions": [
                {"field": "behaviour.events.login.count_last_7d", "op": "gte", "value": 2},
                {"field": "rfm.segment", "op": "eq", "value": "champion"}
            ]}
        ]));
        let (status, body) =
            api.call("POST", "/api/v1/segments/preview", Some(&token), Some(json!({"conditions": ten}))).await;
        assert_eq!(status, StatusCode::OK, "{label} {body}");
        assert_eq!(body["size"], 1, "{label}: only Ann {body}");
        assert_eq!(body["sample"][0]["external_id"], "u1");
        assert_eq!(body["sample"][0]["company"]["name"], "Acme GmbH");
        let (_, list) = api.get("/api/v1/segments", &token).await;
        assert_eq!(names(&list), ["Germans"], "a preview saves nothing");
    }
}

#[actix_web::test]
async fn an_edit_moves_the_members_and_records_who_entered_and_exited() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        let french = tree(json!([{"field": "user.country", "op": "eq", "value": "FR"}]));
        let (status, edited) = api
            .call(
                "PUT",
                &format!("/api/v1/segments/{id}"),
                Some(&token),
                Some(json!({"conditions": french, "description": "was DE"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!((edited["name"].as_str(), edited["size"].as_i64()), (Some("Germans"), Some(1)));
        assert_eq!(edited["description"], "was DE");
        // Cy entered; Ann, Bob and Dee exited
        let (_, exits) = api.get(&format!("/api/v1/segments/{id}/events?type=exited"), &token).await;
        let mut exited: Vec<&str> =
            exits["items"].as_array().unwrap().iter().map(|e| e["external_id"].as_str().unwrap()).collect();
        exited.sort_unstable();
        assert_eq!(exited, ["u1", "u2", "u4"], "{label}: {exits}");
        let (_, entries) = api.get(&format!("/api/v1/segments/{id}/events?type=entered&limit=1"), &token).await;
        assert_eq!(entries["items"][0]["external_id"], "u3", "{label}: {entries}");
    }
}

#[actix_web::test]
async fn every_import_refreshes_the_segments() {
    for db in backends() {
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        let (status, _) = api.import_csv(&token, "users", "external_id,country\nu6,DE\n").await;
        assert_eq!(status, StatusCode::OK);
        let (_, got) = api.get(&format!("/api/v1/segments/{id}"), &token).await;
        assert_eq!(got["size"], 3, "{}: a new German joins", db.label());
    }
}

#[actix_web::test]
async fn clones_are_named_after_their_original_and_found_by_name() {
    for db in backends() {
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        let (status, copy) = api.call("POST", &format!("/api/v1/segments/{id}/clone"), Some(&token), None).await;
        assert_eq!(status, StatusCode::CREATED, "{copy}");
        assert_eq!((copy["name"].as_str(), copy["size"].as_i64()), (Some("Copy of Germans"), Some(2)));
        let (_, copy2) = api.call("POST", &format!("/api/v1/segments/{id}/clone"), Some(&token), None).await;
        assert_eq!(copy2["name"], "Copy of Germans (2)");
        let (_, found) = api.get("/api/v1/segments?q=COPY%20of", &token).await;
        assert_eq!(names(&found), ["Copy of Germans", "Copy of Germans (2)"], "{}", db.label());
    }
}

#[actix_web::test]
async fn the_order_of_segments_is_the_one_saved_and_names_only_known_ids() {
    for db in backends() {
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        let mut ids = vec![id];
        for name in ["Everyone", "Also everyone", "Everyone again"] {
            let (_, created) = api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": name}))).await;
            ids.push(created["id"].as_i64().unwrap());
        }
        ids.reverse();
        let (status, ordered) =
            api.call("PUT", "/api/v1/segments/order", Some(&token), Some(json!({"ids": ids}))).await;
        assert_eq!(status, StatusCode::OK, "{ordered}");
        let order: Vec<i64> = ordered["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
        assert_eq!(order, ids);
        let (_, listed) = api.get("/api/v1/segments", &token).await;
        let order: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
        assert_eq!(order, ids, "{}", db.label());
        let (status, body) =
            api.call("PUT", "/api/v1/segments/order", Some(&token), Some(json!({"ids": [id, 999_999]}))).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "ids[1]");
    }
}

#[actix_web::test]
async fn a_refresh_on_demand_moves_refreshed_at_and_a_deleted_segment_is_gone() {
    for db in backends() {
        let api = api(state(&db)).await;
        let (token, seg) = germans(&api).await;
        let id = seg["id"].as_i64().unwrap();
        let (status, refreshed) = api.call("POST", &format!("/api/v1/segments/{id}/refresh"), Some(&token), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(refreshed["refreshed_at"].as_str() >= seg["refreshed_at"].as_str());
        let (status, _) = api.call("DELETE", &format!("/api/v1/segments/{id}"), Some(&token), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = api.get(&format!("/api/v1/segments/{id}"), &token).await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
        let (_, list) = api.get("/api/v1/segments", &token).await;
        assert!(names(&list).is_empty(), "{}", db.label());
    }
}

#[actix_web::test]
async fn visibility_roles_references_and_the_active_segment() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let admin = api.signup("Shop", "owner@shop.test").await;
        setup(&api, &admin).await;
        let editor = operator(&api, &admin, "ed@shop.test", "editor").await;
        let viewer = operator(&api, &admin, "vi@shop.test", "viewer").await;

        let (status, mine) = api
            .call(
                "POST",
                "/api/v1/segments",
                Some(&editor),
                Some(json!({"name": "Mine", "visibility": "private", "show_on_user_page": true})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{mine}");
        assert_eq!((mine["visibility"].as_str(), mine["show_on_user_page"].as_bool()), (Some("private"), Some(true)));
        let mine_id = mine["id"].as_i64().unwrap();
        // Invisible to others: 404, absent from lists, not usable in their conditions.
        for other in [&admin, &viewer] {
            let (status, body) = api.get(&format!("/api/v1/segments/{mine_id}"), other).await;
            assert_problem(status, &body, StatusCode::NOT_FOUND);
            let (_, list) = api.get("/api/v1/segments", other).await;
            assert!(list["items"].as_array().unwrap().is_empty(), "{label} {list}");
            for path in
                [format!("/api/v1/users?segment={mine_id}"), format!("/api/v1/users/export.csv?segment={mine_id}")]
            {
                let (status, body) = api.get(&path, other).await;
                assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(body["errors"][0]["field"], "segment", "{label} {path}");
            }
        }
        let (status, csv) = api.get(&format!("/api/v1/users/export.csv?segment={mine_id}"), &editor).await;
        assert_eq!(status, StatusCode::OK, "{label}: the owner exports their private segment: {csv}");
        let by_ref = tree(json!([{"field": "segment", "op": "eq", "value": mine_id}]));
        let (status, body) = api
            .call("POST", "/api/v1/segments", Some(&admin), Some(json!({"name": "Ref", "conditions": by_ref.clone()})))
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "conditions[0]");
        let (status, body) =
            api.call("PUT", "/api/v1/me/active-segment", Some(&admin), Some(json!({"segment_id": mine_id}))).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = api.call("DELETE", &format!("/api/v1/segments/{mine_id}"), Some(&admin), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Viewers read but do not write.
        let (status, body) = api.call("POST", "/api/v1/segments", Some(&viewer), Some(json!({"name": "V"}))).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, body) = api
            .call("POST", "/api/v1/filters/custom", Some(&viewer), Some(json!({"name": "V", "conditions": {}})))
            .await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);

        // Segments built on segments; the owner sees their own private one.
        let (status, based) = api
            .call("POST", "/api/v1/segments", Some(&editor), Some(json!({"name": "Based", "conditions": by_ref})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{label} {based}");
        assert_eq!(based["size"], 4, "every active user is in Mine");
        let based_id = based["id"].as_i64().unwrap();
        // A cycle: Mine → Based → Mine.
        let back = tree(json!([{"field": "segment", "op": "in", "value": [based_id]}]));
        let (status, body) = api
            .call("PUT", &format!("/api/v1/segments/{mine_id}"), Some(&editor), Some(json!({"conditions": back})))
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "conditions[0]", "{body}");
        assert!(body["detail"].as_str().unwrap().contains("cycle"), "{body}");
        // Narrowing Mine refreshes Based after it.
        let narrow = tree(json!([{"field": "user.name", "op": "starts_with", "value": "a"}]));
        let (status, _) = api
            .call("PUT", &format!("/api/v1/segments/{mine_id}"), Some(&editor), Some(json!({"conditions": narrow})))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, based) = api.get(&format!("/api/v1/segments/{based_id}"), &editor).await;
        assert_eq!(based["size"], 1, "{label}: only Ann, after Mine changed");
        // Referenced segments cannot be deleted.
        let (status, body) = api.call("DELETE", &format!("/api/v1/segments/{mine_id}"), Some(&editor), None).await;
        assert_problem(status, &body, StatusCode::CONFLICT);
        assert!(body["detail"].as_str().unwrap().contains("Based"));

        // Active segment: set, shown by /me, cleared on delete, unset.
        let (status, me) =
            api.call("PUT", "/api/v1/me/active-segment", Some(&editor), Some(json!({"segment_id": based_id}))).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        assert_eq!(me["active_segment_id"], based_id);
        let (_, me) = api.get("/api/v1/me", &editor).await;
        assert_eq!(me["active_segment_id"], based_id);
        let (status, me) = api.call("DELETE", "/api/v1/me/active-segment", Some(&editor), None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(me["active_segment_id"].is_null());
        let (_, _) =
            api.call("PUT", "/api/v1/me/active-segment", Some(&viewer), Some(json!({"segment_id": based_id}))).await;
        let (_, me) = api.get("/api/v1/me", &viewer).await;
        assert_eq!(me["active_segment_id"], based_id, "viewers pick an active segment too");
        let (status, _) = api.call("DELETE", &format!("/api/v1/segments/{based_id}"), Some(&admin), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, me) = api.get("/api/v1/me", &viewer).await;
        assert!(me["active_segment_id"].is_null(), "{label}");

        // Another workspace sees nothing of this one.
        let stranger = api.signup("Other", "other@shop.test").await;
        for path in [format!("/api/v1/segments/{mine_id}"), format!("/api/v1/segments/{mine_id}/members")] {
            let (status, _) = api.get(&path, &stranger).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
        let (status, _) = api.call("POST", &format!("/api/v1/segments/{mine_id}/clone"), Some(&stranger), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = api.get(&format!("/api/v1/users?segment={mine_id}"), &stranger).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = api.get(&format!("/api/v1/users/export.csv?segment={mine_id}"), &stranger).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[actix_web::test]
async fn catalog_and_custom_filters() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        setup(&api, &token).await;
        let (_, seg) = api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "VIP"}))).await;

        let (status, catalog) = api.get("/api/v1/filters", &token).await;
        assert_eq!(status, StatusCode::OK, "{catalog}");
        let field = |key: &str| catalog["fields"].as_array().unwrap().iter().find(|f| f["key"] == key).cloned();
        let country = field("user.country").expect("user.country");
        assert_eq!(country["type"], "text");
        assert_eq!(country["values"], json!(["DE", "FR", "US"]), "{label}");
        assert!(country["operators"].as_array().unwrap().contains(&json!("contains")));
        assert_eq!(field("user.properties.plan_tier").expect("discovered property")["group"], "property");
        assert!(field("behaviour.events.login.count_last_30d").is_some(), "{label}");
        assert!(field("behaviour.events.export.count_last_90d").is_some());
        assert_eq!(field("behaviour.product").unwrap()["values"], json!(["Hat", "Socks"]));
        assert_eq!(field("user.activity").unwrap()["values"], json!(["online", "offline", "churned"]));
        let member = field("segment").unwrap();
        assert_eq!(member["values"], json!([seg["id"].as_i64().unwrap().to_string()]));
        assert_eq!(member["value_labels"], json!(["VIP"]));
        assert_eq!(field("rfm.segment").unwrap()["value_labels"][0], "♥︎ Champion");
        assert_eq!(catalog["max_depth"], 5);

        // Custom filters: CRUD, unique names, validation, use in the users list.
        let gold = tree(json!([{"field": "user.properties.plan_tier", "op": "eq", "value": "gold"}]));
        let (status, filter) = api
            .call("POST", "/api/v1/filters/custom", Some(&token), Some(json!({"name": "Gold", "conditions": gold})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{label} {filter}");
        let fid = filter["id"].as_i64().unwrap();
        let (status, body) = api
            .call("POST", "/api/v1/filters/custom", Some(&token), Some(json!({"name": "GOLD", "conditions": gold})))
            .await;
        assert_problem(status, &body, StatusCode::CONFLICT);
        let (status, body) = api
            .call(
                "POST",
                "/api/v1/filters/custom",
                Some(&token),
                Some(json!({"name": "Bad", "conditions": tree(json!([{"field": "user.nope", "op": "is_set"}]))})),
            )
            .await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "conditions[0]");
        let (_, page) = api.get(&format!("/api/v1/users?filter={fid}&sort=external_id"), &token).await;
        assert_eq!(external_ids(&page), ["u1", "u3", "u4"], "{label}");
        let (_, catalog) = api.get("/api/v1/filters", &token).await;
        assert_eq!(catalog["custom_filters"][0]["name"], "Gold");
        let german_gold = tree(
            json!([{"field": "user.country", "op": "eq", "value": "DE"}, {"field": "user.properties.plan_tier", "op": "eq", "value": "gold"}]),
        );
        let (status, renamed) = api
            .call(
                "PUT",
                &format!("/api/v1/filters/custom/{fid}"),
                Some(&token),
                Some(json!({"name": "German gold", "conditions": german_gold})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{renamed}");
        let (_, page) = api.get(&format!("/api/v1/users?filter={fid}"), &token).await;
        assert_eq!(external_ids(&page), ["u1", "u4"]);
        let (_, got) = api.get(&format!("/api/v1/filters/custom/{fid}"), &token).await;
        assert_eq!(got["name"], "German gold");
        let (status, _) = api.call("DELETE", &format!("/api/v1/filters/custom/{fid}"), Some(&token), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = api.get(&format!("/api/v1/filters/custom/{fid}"), &token).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = api.get(&format!("/api/v1/users?filter={fid}"), &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[actix_web::test]
async fn segments_export_streams_csv_with_neutralised_cells() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        setup(&api, &token).await;
        let germans = tree(json!([{"field": "user.country", "op": "eq", "value": "DE"}]));
        let (status, _) = api
            .call(
                "POST",
                "/api/v1/segments",
                Some(&token),
                Some(json!({"name": "=HYPERLINK(\"x\")", "description": "+1, \"quoted\"", "conditions": germans})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = api.get("/api/v1/segments/export.csv", &token).await;
        assert_eq!(status, StatusCode::OK);
        let text = body.as_str().unwrap().to_owned();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            &header[..9],
            ["id", "name", "description", "visibility", "show_on_user_page", "position", "size", "online", "offline"]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        let cell = |name: &str| rows[0][header.iter().position(|h| h == name).unwrap()].to_owned();
        assert_eq!(cell("name"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("description"), "'+1, \"quoted\"");
        assert_eq!((cell("size"), cell("online"), cell("offline")), ("2".into(), "1".into(), "1".into()));
        assert_eq!(cell("total_value"), "150.00", "Ann's revenue, {}", db.label());
        assert!(!cell("refreshed_at").is_empty());
    }
}

/// Random names and descriptions come back from the CSV export as they were stored, with a
/// `'` in front exactly when a spreadsheet would take them for a formula.
#[actix_web::test]
async fn exported_cells_round_trip() {
    let db = TestDb::sqlite();
    let api = api(state(&db)).await;
    let token = api.signup("Shop", "owner@shop.test").await;
    let mut runner = TestRunner::new(Config { cases: 24, failure_persistence: None, ..Config::default() });
    let texts =
        prop::collection::vec(("([=+\\-@\t\r\"',;\n a-zé]|\\PC){1,12}", "([=+\\-@\t\r\"',;\n a-z]|\\PC){0,12}"), 1..4);
    let cases: Vec<Vec<(String, String)>> = (0..24).map(|_| texts.new_tree(&mut runner).unwrap().current()).collect();
    for (n, case) in cases.into_iter().enumerate() {
        let mut stored = Vec::new();
        for (i, (name, description)) in case.into_iter().enumerate() {
            let name = format!("{name}#{n}.{i}");
            let (status, seg) = api
                .call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": name, "description": description})))
                .await;
            assert_eq!(status, StatusCode::CREATED, "{seg}");
            stored
                .push((seg["name"].as_str().unwrap().to_owned(), seg["description"].as_str().unwrap_or("").to_owned()));
        }
        let (_, body) = api.get("/api/v1/segments/export.csv", &token).await;
        let text = body.as_str().unwrap().to_owned();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let exported: Vec<(String, String)> =
            reader.records().map(|r| r.unwrap()).map(|r| (r[1].to_owned(), r[2].to_owned())).collect();
        for (name, description) in &stored {
            let expected = (
                domain::csv_safe::neutralise(name).into_owned(),
                domain::csv_safe::neutralise(description).into_owned(),
            );
            assert!(exported.contains(&expected), "{expected:?} not in {exported:?}");
            for cell in [&expected.0, &expected.1] {
                assert!(!cell.starts_with(domain::csv_safe::DANGEROUS_FIRST));
            }
        }
        // Keep the table small.
        let (_, list) = api.get("/api/v1/segments", &token).await;
        for s in list["items"].as_array().unwrap() {
            api.call("DELETE", &format!("/api/v1/segments/{}", s["id"]), Some(&token), None).await;
        }
    }
}

#[actix_web::test]
async fn scheduled_refresh_claims_only_stale_segments() {
    for db in backends() {
        let st = state(&db);
        let api = api(st.clone()).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        setup(&api, &token).await;
        let (_, seg) = api.call("POST", "/api/v1/segments", Some(&token), Some(json!({"name": "All"}))).await;
        let id = seg["id"].as_i64().unwrap();
        // Fresh: nothing to do.
        assert_eq!(db::segments::refresh_stale(&st.db, chrono::Duration::hours(24)).unwrap(), 0);
        // Two days old, and a user joined meanwhile without a refresh.
        st.db
            .write(|c| {
                let mut q = db::sql::Query::new("UPDATE segments SET refreshed_at = ");
                q.bind(db::sql::Param::Ts(Some(db::now() - chrono::Duration::days(2))))
                    .push(", size = 0 WHERE id = ")
                    .bind(db::sql::Param::I64(Some(id)));
                q.execute(c)?;
                Ok(())
            })
            .unwrap();
        assert_eq!(db::segments::refresh_stale(&st.db, chrono::Duration::hours(24)).unwrap(), 1, "{}", db.label());
        let (_, got) = api.get(&format!("/api/v1/segments/{id}"), &token).await;
        assert_eq!(got["size"], 4);
        assert_eq!(db::segments::refresh_stale(&st.db, chrono::Duration::hours(24)).unwrap(), 0, "claimed once");
    }
}

/// A stored tree that cannot be read (another version wrote it, or a hand edit) is an error the
/// segment shows, never "everyone": the API shows a tree that matches nobody with why, a refresh
/// fails and says so, and the membership stays as it was.
#[actix_web::test]
async fn an_unreadable_stored_tree_is_an_error_not_everyone() {
    for db in backends() {
        let state = state(&db);
        let store = state.db.clone();
        let api = api(state).await;
        let token = api.signup("Broken", "broken@tree.test").await;
        setup(&api, &token).await;
        let german = json!({"name": "German", "conditions": {"match": "all", "conditions": [
            {"field": "user.country", "op": "eq", "value": "DE"}]}});
        let (status, segment) = api.call("POST", "/api/v1/segments", Some(&token), Some(german)).await;
        assert_eq!(status, StatusCode::CREATED, "{segment}");
        let id = segment["id"].as_i64().unwrap();
        let (_, members) = api.get(&format!("/api/v1/segments/{id}/members?total=true"), &token).await;
        let count = members["total"].as_i64().unwrap();
        assert!(count > 0, "{members}");
        store
            .write(|c| {
                let mut q = db::sql::Query::new("UPDATE segments SET conditions = ");
                q.bind(db::sql::Param::text(r#"{"match": "sometimes", "conditions": []}"#))
                    .push(" WHERE id = ")
                    .bind(db::sql::Param::I64(Some(id)));
                q.execute(c)?;
                Ok(())
            })
            .unwrap();

        let (status, shown) = api.get(&format!("/api/v1/segments/{id}"), &token).await;
        assert_eq!(status, StatusCode::OK, "{shown}");
        assert_eq!(shown["conditions"], json!({"match": "any", "conditions": [{"match": "any", "conditions": []}]}));
        assert!(shown["refresh_error"].as_str().is_some_and(|e| e.contains("cannot be read")), "{shown}");

        let (status, refreshed) = api.call("POST", &format!("/api/v1/segments/{id}/refresh"), Some(&token), None).await;
        assert_eq!(status, StatusCode::OK, "{refreshed}");
        assert!(refreshed["refresh_error"].as_str().is_some_and(|e| e.contains("cannot be read")), "{refreshed}");
        let (_, members) = api.get(&format!("/api/v1/segments/{id}/members?total=true"), &token).await;
        assert_eq!(members["total"].as_i64(), Some(count), "the membership stays: {members}");
        let (_, events) = api.get(&format!("/api/v1/segments/{id}/events?type=exited"), &token).await;
        assert!(events["items"].as_array().unwrap().is_empty(), "nobody exited: {events}");
    }
}
