//! The Users and Companies lists on SQLite and PostgreSQL: search, condition trees, segment
//! scope, sort by every listed column, keyset pagination that holds under inserts; and the
//! users export, which selects the same users as the list for the same parameters.

mod common;

use actix_web::http::StatusCode;
use chrono::{Duration, Utc};
use common::*;
use serde_json::{Value, json};

fn days_ago(days: i64) -> String {
    ago(Duration::days(days))
}

fn ago(span: Duration) -> String {
    (Utc::now() - span).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|u| u["external_id"].as_str().unwrap().to_owned()).collect()
}

/// Twelve users with ties and gaps in every sortable column.
fn users_csv() -> String {
    let mut csv = String::from("external_id,email,name,company_id,created_at,last_seen_at,country\n");
    let names = ["Zoë", "adam", "Adam", "", "50% Off", "b_c", "Bea", "Adam", "carl", "", "Dora", "eve"];
    for (i, name) in names.iter().enumerate() {
        let company = ["c1", "c2", "", "c3"][i % 4];
        // An hour inside its day, so that "seen in the last N days" does not depend on the
        // second a request lands in (the list and the export are compared one call apart).
        let days = (i % 5) as i64;
        let seen = match (i % 3, days) {
            (0, _) => String::new(),
            (_, 0) => days_ago(0),
            _ => ago(Duration::days(days) - Duration::hours(1)),
        };
        let created = days_ago(100 + (i % 4) as i64);
        let email = if i % 5 == 0 { String::new() } else { format!("user{}@MAIL.test", i % 7) };
        csv.push_str(&format!("u{i:02},{email},{name},{company},{created},{seen},DE\n"));
    }
    csv
}

async fn fetch_all(api: &TestApp, token: &str, query: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?{query}&limit={limit}&cursor={c}"),
            None => format!("/api/v1/users?{query}&limit={limit}"),
        };
        let (status, page) = api.get(&path, token).await;
        assert_eq!(status, StatusCode::OK, "{path} {page}");
        assert!(page["items"].as_array().unwrap().len() <= limit);
        out.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
    panic!("pagination did not end");
}

#[actix_web::test]
async fn users_list_sorts_pages_and_filters() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let companies = "external_id,name\nc1,Acme_Corp\nc2,ACME 100%\nc3,Zeta\n";
        assert_eq!(api.import_csv(&token, "companies", companies).await.0, StatusCode::OK);
        assert_eq!(api.import_csv(&token, "users", &users_csv()).await.0, StatusCode::OK);
        let orders = format!(
            "order_id,customer_id,ordered_at,amount\no1,u01,{},10.00\no2,u01,{},5.00\no3,u02,{},99.00\no4,u05,{},10.00\n",
            days_ago(3),
            days_ago(40),
            days_ago(8),
            days_ago(400)
        );
        assert_eq!(api.import_csv(&token, "orders", &orders).await.0, StatusCode::OK);

        // Every sort, both directions: pages of 5 (and of 1) concatenate to the full list, which
        // is ordered by the column with empty values first ascending and last descending.
        let (_, full) = api.get("/api/v1/users?limit=200", &token).await;
        assert_eq!(full["total"], 12, "{label}");
        let users: Vec<Value> = full["items"].as_array().unwrap().clone();
        for key in [
            "id",
            "name",
            "email",
            "external_id",
            "last_seen_at",
            "created_at",
            "revenue",
            "purchases",
            "rfm_segment",
            "health_score",
            "engagement_score",
            "fit_score",
            "company",
        ] {
            for desc in [false, true] {
                let sort = if desc { format!("-{key}") } else { key.to_owned() };
                let (status, one_shot) = api.get(&format!("/api/v1/users?sort={sort}&limit=200"), &token).await;
                assert_eq!(status, StatusCode::OK, "{label} {sort} {one_shot}");
                let one_shot_ids = ids(&one_shot);
                assert_eq!(one_shot_ids.len(), 12);
                assert_eq!(fetch_all(&api, &token, &format!("sort={sort}"), 5).await, one_shot_ids, "{label} {sort}");
                assert_eq!(fetch_all(&api, &token, &format!("sort={sort}"), 1).await, one_shot_ids, "{label} {sort}");
                let value = |u: &Value| -> Value {
                    match key {
                        "company" => u["company"]["name"].clone(),
                        "rfm_segment" => u["rfm_segment"]["key"].clone(),
                        _ => u[key].clone(),
                    }
                };
                let values: Vec<Value> = one_shot["items"].as_array().unwrap().iter().map(value).collect();
                let nulls = values.iter().filter(|v| v.is_null()).count();
                let (empty, filled) = if desc { values.split_at(values.len() - nulls) } else { values.split_at(nulls) };
                let (empty, filled) = if desc { (filled, empty) } else { (empty, filled) };
                assert!(
                    empty.iter().all(Value::is_null),
                    "{label} {sort}: empty values at the {} end: {values:?}",
                    if desc { "last" } else { "first" }
                );
                assert!(filled.iter().all(|v| !v.is_null()), "{label} {sort} {values:?}");
                if matches!(key, "revenue" | "purchases" | "id" | "health_score") {
                    let numbers: Vec<f64> = filled.iter().map(|v| v.as_f64().unwrap()).collect();
                    let mut sorted = numbers.clone();
                    sorted.sort_by(|a, b| if desc { b.total_cmp(a) } else { a.total_cmp(b) });
                    assert_eq!(numbers, sorted, "{label} {sort}");
                }
                if matches!(key, "last_seen_at" | "created_at" | "external_id") {
                    let texts: Vec<&str> = filled.iter().map(|v| v.as_str().unwrap()).collect();
                    let mut sorted = texts.clone();
                    sorted.sort();
                    if desc {
                        sorted.reverse();
                    }
                    assert_eq!(texts, sorted, "{label} {sort}");
                }
            }
        }

        // Stable under inserts: rows added between pages neither repeat nor push rows out.
        let (_, first) = api.get("/api/v1/users?sort=name&limit=4", &token).await;
        let mut seen = ids(&first);
        let cursor = first["next_cursor"].as_str().unwrap().to_owned();
        let extra = "external_id,name\nn1,Aaron\nn2,Zed\nn3,\nn4,Adam\n";
        assert_eq!(api.import_csv(&token, "users", extra).await.0, StatusCode::OK);
        let (_, next) = api.get(&format!("/api/v1/users?sort=name&limit=200&cursor={cursor}"), &token).await;
        seen.extend(ids(&next));
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{label}: no row twice: {seen:?}");
        for u in &users {
            assert!(
                seen.contains(&u["external_id"].as_str().unwrap().to_owned()),
                "{label}: {} kept its place",
                u["external_id"]
            );
        }
        assert!(seen.contains(&"n2".to_owned()), "a row inserted after the cursor shows up");

        // Search: name, email, external id, company name; any case; % and _ are literal.
        for (q, expected) in [
            ("ADAM", vec!["n4", "u01", "u02", "u07"]),
            ("mail.TEST", vec!["u01", "u02", "u03", "u04", "u06", "u07", "u08", "u09", "u11"]),
            ("U1", vec!["u10", "u11"]),
            ("acme_", vec!["u00", "u04", "u08"]),
            ("100%", vec!["u01", "u05", "u09"]),
            ("50%", vec!["u04"]),
            ("_", vec!["u00", "u04", "u05", "u08"]),
        ] {
            let (_, page) = api.get(&format!("/api/v1/users?q={}&sort=external_id&limit=200", encode(q)), &token).await;
            assert_eq!(ids(&page), expected, "{label} q={q}");
            assert_eq!(page["total"], expected.len());
        }

        // A condition tree in the query string; its errors name the condition.
        let tree = json!({"match": "all", "conditions": [
            {"field": "behaviour.purchases_total", "op": "gte", "value": 1},
            {"field": "company.name", "op": "starts_with", "value": "acme"}
        ]});
        let (status, page) =
            api.get(&format!("/api/v1/users?conditions={}&sort=-revenue", encode(&tree.to_string())), &token).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(ids(&page), ["u01", "u05"], "{label}: u02 has no company");
        assert_eq!(page["items"][0]["revenue"], 15.0);
        let bad = json!({"conditions": [{"field": "behaviour.purchases_total", "op": "gte", "value": "one"}]});
        let (status, body) = api.get(&format!("/api/v1/users?conditions={}", encode(&bad.to_string())), &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "conditions[0]");
        let (status, body) = api.get("/api/v1/users?conditions=%7Bnot", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "conditions");

        // Segment scope.
        let (_, seg) = api
            .call(
                "POST",
                "/api/v1/segments",
                Some(&token),
                Some(json!({"name": "Buyers", "conditions": {"conditions": [
                {"field": "behaviour.purchases_total", "op": "gt", "value": 0}]}})),
            )
            .await;
        let (_, page) = api.get(&format!("/api/v1/users?segment={}&sort=external_id", seg["id"]), &token).await;
        assert_eq!(ids(&page), ["u01", "u02", "u05"], "{label}");
        let (_, page) = api.get(&format!("/api/v1/users?segment={}&q=adam&sort=external_id", seg["id"]), &token).await;
        assert_eq!(ids(&page), ["u01", "u02"]);

        // Each row carries its RFM segment and its company.
        let (_, page) = api.get("/api/v1/users?q=u01", &token).await;
        let row = &page["items"][0];
        assert_eq!(row["company"]["name"], "ACME 100%");
        assert!(row["rfm_segment"]["key"].is_string() && row["rfm_segment"]["symbol"].is_string(), "{label} {row}");

        // Parameter mistakes are 422s naming the parameter.
        for (path, field) in [
            ("/api/v1/users?limit=201", "limit"),
            ("/api/v1/users?limit=0", "limit"),
            ("/api/v1/users?sort=password", "sort"),
            ("/api/v1/users?cursor=zzz", "cursor"),
            ("/api/v1/users?segment=abc", "segment"),
        ] {
            let (status, body) = api.get(path, &token).await;
            assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["errors"][0]["field"], field, "{path}");
        }
        let cursor = first["next_cursor"].as_str().unwrap();
        let (status, body) = api.get(&format!("/api/v1/users?sort=-name&cursor={cursor}"), &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

/// The external ids of the users export for `query`, sorted.
async fn export_ids(api: &TestApp, token: &str, query: &str) -> Vec<String> {
    let path = format!("/api/v1/users/export.csv?{query}");
    let (status, body) = api.get(&path, token).await;
    assert_eq!(status, StatusCode::OK, "{path} {body}");
    let text = body.as_str().unwrap_or_default();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "external_id", "{path}");
    let mut ids: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    ids.sort();
    ids
}

/// The external ids of the Users list for `query`, all pages, sorted.
async fn list_ids(api: &TestApp, token: &str, query: &str) -> Vec<String> {
    let mut ids = fetch_all(api, token, query, 200).await;
    ids.sort();
    ids
}

#[actix_web::test]
async fn users_export_selects_what_the_list_shows() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let companies = "external_id,name\nc1,Acme_Corp\nc2,ACME 100%\nc3,Zeta\n";
        assert_eq!(api.import_csv(&token, "companies", companies).await.0, StatusCode::OK);
        assert_eq!(api.import_csv(&token, "users", &users_csv()).await.0, StatusCode::OK);
        let orders = format!(
            "order_id,customer_id,ordered_at,amount\no1,u01,{},10.00\no2,u01,{},5.00\no3,u02,{},99.00\no4,u05,{},10.00\n",
            days_ago(3),
            days_ago(40),
            days_ago(8),
            days_ago(400)
        );
        assert_eq!(api.import_csv(&token, "orders", &orders).await.0, StatusCode::OK);

        // Without parameters: everyone.
        assert_eq!(export_ids(&api, &token, "").await.len(), 12, "{label}");

        // Search: exactly the matching users.
        for (q, expected) in [
            ("ADAM", vec!["u01", "u02", "u07"]),
            ("acme_", vec!["u00", "u04", "u08"]),
            ("100%", vec!["u01", "u05", "u09"]),
            ("_", vec!["u00", "u04", "u05", "u08"]),
            ("nobody", vec![]),
        ] {
            let query = format!("q={}", encode(q));
            assert_eq!(export_ids(&api, &token, &query).await, expected, "{label} q={q}");
            assert_eq!(list_ids(&api, &token, &query).await, expected, "{label} q={q}");
        }

        // A condition tree, a custom filter and a segment: the same users as the list, alone
        // and together.
        let buyers = json!({"match": "all", "conditions": [
            {"field": "behaviour.purchases_total", "op": "gte", "value": 1},
            {"field": "company.name", "op": "starts_with", "value": "acme"}
        ]});
        let recent = json!({"match": "any", "conditions": [
            {"field": "user.last_seen_at", "op": "in_last_days", "value": 2},
            {"field": "user.email", "op": "is_not_set"}
        ]});
        let (status, filter) = api
            .call("POST", "/api/v1/filters/custom", Some(&token), Some(json!({"name": "Recent", "conditions": recent})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{label} {filter}");
        let (status, segment) = api
            .call(
                "POST",
                "/api/v1/segments",
                Some(&token),
                Some(json!({"name": "Buyers", "conditions": {"conditions": [
                    {"field": "behaviour.purchases_total", "op": "gt", "value": 0}]}})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{label} {segment}");
        let (fid, sid) = (filter["id"].as_i64().unwrap(), segment["id"].as_i64().unwrap());
        let conditions = format!("conditions={}", encode(&buyers.to_string()));
        for (query, expected) in [
            (conditions.clone(), Some(vec!["u01", "u05"])),
            (format!("filter={fid}"), None),
            (format!("segment={sid}"), Some(vec!["u01", "u02", "u05"])),
            (format!("segment={sid}&filter={fid}"), None),
            (format!("q=a&filter={fid}&{conditions}&segment={sid}"), None),
            (format!("q=zzz&{conditions}"), Some(vec![])),
        ] {
            let listed = list_ids(&api, &token, &query).await;
            if let Some(expected) = expected {
                assert_eq!(listed, expected, "{label} {query}");
            }
            assert_eq!(export_ids(&api, &token, &query).await, listed, "{label} {query}");
        }
        let filtered = list_ids(&api, &token, &format!("filter={fid}")).await;
        assert!(!filtered.is_empty() && filtered.len() < 12, "{label}: the filter narrows the list: {filtered:?}");

        // Bad parameters are 422 problems naming the parameter, as for the list.
        let bad_tree = json!({"conditions": [{"field": "behaviour.purchases_total", "op": "gte", "value": "one"}]});
        for (query, field) in [
            ("conditions=%7Bnot".to_owned(), "conditions"),
            (format!("conditions={}", encode(&bad_tree.to_string())), "conditions[0]"),
            ("filter=999999".to_owned(), "filter"),
            ("filter=abc".to_owned(), "filter"),
            ("segment=abc".to_owned(), "segment"),
            ("segment=999999".to_owned(), "segment"),
            (format!("filter={fid}&as_of=yesterday"), "as_of"),
        ] {
            for path in [format!("/api/v1/users/export.csv?{query}"), format!("/api/v1/users?{query}")] {
                if path.starts_with("/api/v1/users?") && field == "as_of" {
                    continue;
                }
                let (status, body) = api.get(&path, &token).await;
                assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
                assert_eq!(body["errors"][0]["field"], field, "{label} {path}: {body}");
            }
        }
    }
}

#[actix_web::test]
async fn companies_list_sorts_searches_and_pages() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let companies = "external_id,name,arr,plan\nc1,Acme_Corp,100,pro\nc2,ACME 100%,,free\nc3,Zeta,5000,pro\nc4,,20,\nc5,beta,100,free\n";
        assert_eq!(api.import_csv(&token, "companies", companies).await.0, StatusCode::OK);
        let users = "external_id,company_id\nu1,c1\nu2,c1\nu3,c3\n";
        assert_eq!(api.import_csv(&token, "users", users).await.0, StatusCode::OK);

        let names = |page: &Value| -> Vec<String> {
            page["items"].as_array().unwrap().iter().map(|c| c["external_id"].as_str().unwrap().to_owned()).collect()
        };
        let (_, page) = api.get("/api/v1/companies?sort=-arr&limit=200", &token).await;
        // Ties (c1 and c5) follow the id in the same direction.
        assert_eq!(names(&page), ["c3", "c5", "c1", "c4", "c2"], "{label}");
        assert_eq!(page["total"], 5);
        assert_eq!(page["items"][2]["users"], 2);
        let (_, first) = api.get("/api/v1/companies?sort=-arr&limit=2", &token).await;
        assert_eq!(names(&first), ["c3", "c5"]);
        let cursor = first["next_cursor"].as_str().unwrap();
        let (_, second) = api.get(&format!("/api/v1/companies?sort=-arr&limit=2&cursor={cursor}"), &token).await;
        assert_eq!(names(&second), ["c1", "c4"], "{label}");
        assert!(second["total"].is_null(), "total only on the first page");
        let (_, page) = api.get("/api/v1/companies?q=acme&sort=external_id", &token).await;
        assert_eq!(names(&page), ["c1", "c2"]);
        let (_, page) = api.get("/api/v1/companies?q=%25", &token).await;
        assert_eq!(names(&page), ["c2"], "{label}: % is literal");
        let (status, body) = api.get("/api/v1/companies?sort=users", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
