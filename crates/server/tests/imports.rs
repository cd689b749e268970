//! Imports over the API on both backends: the CDNOW sample with hand-computed aggregates,
//! idempotent re-import, all-or-nothing rejection listing every bad row, skip_invalid, JSON,
//! custom properties, bare users, and the body-size limit.

mod common;

use actix_web::http::StatusCode;
use common::*;
use serde_json::Value;

fn user_by_external<'a>(page: &'a Value, external_id: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["external_id"] == external_id)
        .unwrap_or_else(|| panic!("user {external_id} listed"))
}

#[actix_web::test]
async fn cdnow_sample_imports_with_exact_aggregates() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let csv = cdnow_csv();
        let (status, report) = api.import_csv(&token, "orders", &csv).await;
        assert_eq!(status, StatusCode::OK, "{} {report}", db.label());
        assert_eq!(report["rows"], 6919);
        assert_eq!(report["imported"], 6919);
        assert_eq!(report["created_references"], 2357, "one bare user per customer");
        assert_eq!(report["error_count"], 0);

        let (_, page) = api.get("/api/v1/users?limit=1&total=true", &token).await;
        assert_eq!(page["total"], 2357, "{}", db.label());
        let (_, page) = api.get("/api/v1/users?limit=1", &token).await;
        assert_eq!(page["total"], serde_json::Value::Null, "{}: over 1 000, not counted by default", db.label());

        // Values computed by hand from the file (see the python one-liner in the commit).
        for (external, purchases, revenue, first, last) in [
            ("4", 4, 100.50, "1997-01-01T00:00:00Z", "1997-12-12T00:00:00Z"),
            ("18", 1, 14.96, "1997-01-04T00:00:00Z", "1997-01-04T00:00:00Z"),
        ] {
            let (_, page) = api.get(&format!("/api/v1/users?q={external}&limit=200"), &token).await;
            let user = user_by_external(&page, external);
            assert_eq!(user["purchases"], purchases, "{} user {external}", db.label());
            assert_eq!(user["revenue"].as_f64().unwrap(), revenue, "{} user {external}", db.label());
            assert_eq!(user["first_purchase_at"], first);
            assert_eq!(user["last_purchase_at"], last);
        }
        // A zero-amount order is an order but not a purchase.
        let (_, page) = api.get("/api/v1/users?q=1101&limit=200", &token).await;
        let zero = user_by_external(&page, "1101");
        let (_, detail) = api.get(&format!("/api/v1/users/{}", zero["id"]), &token).await;
        let orders = detail["orders"].as_array().unwrap();
        let paid = orders.iter().filter(|o| o["amount"].as_f64().unwrap() > 0.0).count();
        assert_eq!(zero["purchases"], paid as u64);
        assert!(orders.iter().any(|o| o["amount"].as_f64().unwrap() == 0.0));

        // Re-importing the same file changes nothing.
        let (status, again) = api.import_csv(&token, "orders", &csv).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["created_references"], 0);
        let (_, page) = api.get("/api/v1/users?q=4&limit=200", &token).await;
        let user = user_by_external(&page, "4");
        assert_eq!(user["purchases"], 4);
        assert_eq!(user["revenue"].as_f64().unwrap(), 100.50);
        let (_, page) = api.get("/api/v1/users?limit=1&total=true", &token).await;
        assert_eq!(page["total"], 2357);
    }
}

#[actix_web::test]
async fn all_or_nothing_rejects_and_lists_every_bad_row() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let csv = "order_id,customer_id,ordered_at,amount,quantity\n\
                   o1,c1,2024-01-01,10.00,1\n\
                   o2,c1,yesterday,10.00,1\n\
                   o3,,2024-01-02,abc,1\n\
                   o4,c2,2024-01-03,5,1\n";
        let (status, body) = api.import_csv(&token, "orders", csv).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        let errors: Vec<(u64, String)> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(
            errors,
            vec![(2, "ordered_at".into()), (3, "customer_id".into()), (3, "amount".into())],
            "{}",
            db.label()
        );
        assert_eq!(body["report"]["committed"], false);
        let (_, page) = api.get("/api/v1/users", &token).await;
        assert_eq!(page["total"], 0, "nothing written");

        let (status, report) = api
            .raw("POST", "/api/v1/imports/orders?mode=skip_invalid", Some(&token), "text/csv", csv.as_bytes().to_vec())
            .await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["imported"], 2);
        assert_eq!(report["skipped"], 2);
        assert_eq!(report["error_count"], 3);
        let (_, page) = api.get("/api/v1/users", &token).await;
        assert_eq!(page["total"], 2);

        // A header without required columns names them.
        let (status, body) = api.import_csv(&token, "orders", "order_id,amount\nx,1\n").await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["detail"].as_str().unwrap().contains("customer_id"));
        // Unknown kind and wrong media type.
        let (status, body) = api.import_csv(&token, "invoices", "a\n1\n").await;
        assert_problem(status, &body, StatusCode::NOT_FOUND);
        let (status, body) =
            api.raw("POST", "/api/v1/imports/orders", Some(&token), "application/xml", b"<a/>".to_vec()).await;
        assert_problem(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
}

#[actix_web::test]
async fn users_companies_events_and_json_imports() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let (status, r) = api
            .import_csv(
                &token,
                "companies",
                "external_id,name,plan,arr,employees\nacme,Acme,pro,12000.50,40\nglobex,Globex,free,,3\n",
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let (status, r) = api
            .import_csv(
                &token,
                "users",
                "external_id,email,name,company_id,email_consent,created_at,tier\n\
                 u1,ann@acme.test,Ann,acme,true,2024-05-01T10:00:00+02:00,gold\n\
                 u2,bob-at-globex,Bob,initech,no,2024-06-01,\n",
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["created_references"], 1, "bare company initech");
        let json = serde_json::json!([
            {"customer_id": "u1", "name": "login", "occurred_at": "2024-07-01T08:00:00Z"},
            {"customer_id": "u1", "name": "report_viewed", "occurred_at": "2024-07-03T09:30:00Z"},
            {"customer_id": "u3", "name": "login", "occurred_at": "2024-07-02T00:00:00Z"}
        ]);
        let (status, r) = api
            .raw("POST", "/api/v1/imports/events", Some(&token), "application/json", json.to_string().into_bytes())
            .await;
        assert_eq!(status, StatusCode::OK, "{r}");
        assert_eq!(r["imported"], 3);
        assert_eq!(r["created_references"], 1, "bare user u3");
        // the same events again change nothing
        let (_, r) = api
            .raw("POST", "/api/v1/imports/events", Some(&token), "application/json", json.to_string().into_bytes())
            .await;
        assert_eq!(r["imported"], 0, "{}", db.label());

        let (_, page) = api.get("/api/v1/users?q=u1", &token).await;
        let u1 = user_by_external(&page, "u1");
        assert_eq!(u1["created_at"], "2024-05-01T08:00:00Z", "converted to UTC");
        assert_eq!(u1["last_seen_at"], "2024-07-03T09:30:00Z");
        assert_eq!(u1["properties"]["tier"], "gold");
        assert_eq!(u1["company"]["name"], "Acme");
        let (_, page) = api.get("/api/v1/companies?q=acme", &token).await;
        let acme = &page["items"][0];
        assert_eq!(acme["arr"].as_f64().unwrap(), 12000.5);
        assert_eq!(acme["properties"]["employees"], 40);

        // An emptied property cell removes the property; absent columns stay untouched.
        let (status, _) = api.import_csv(&token, "users", "external_id,tier\nu1,\n").await;
        assert_eq!(status, StatusCode::OK);
        let (_, page) = api.get("/api/v1/users?q=u1", &token).await;
        let u1 = user_by_external(&page, "u1");
        assert!(u1["properties"].get("tier").is_none(), "{u1}");
        assert_eq!(u1["name"], "Ann");

        // Malformed JSON is a 400 problem.
        let (status, body) =
            api.raw("POST", "/api/v1/imports/events", Some(&token), "application/json", b"[{\"a\": ".to_vec()).await;
        assert_problem(status, &body, StatusCode::BAD_REQUEST);
    }
}

#[actix_web::test]
async fn oversized_bodies_get_413_and_write_nothing() {
    let db = TestDb::sqlite();
    let config = server::Config { import_limit_bytes: 2048, ..server::Config::default() };
    let api = api(state_with(&db, config)).await;
    let token = api.signup("Shop", "owner@shop.test").await;
    let mut csv = String::from("order_id,customer_id,ordered_at,amount\n");
    for i in 0..500 {
        csv.push_str(&format!("o{i},c{i},2024-01-01,1.00\n"));
    }
    let (status, body) = api.import_csv(&token, "orders", &csv).await;
    assert_problem(status, &body, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, page) = api.get("/api/v1/users", &token).await;
    assert_eq!(page["total"], 0);
}

#[actix_web::test]
async fn an_order_moving_to_another_user_updates_both_aggregates() {
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        // within one import into an empty workspace, and then by a later import
        let csv = "order_id,customer_id,ordered_at,amount\no1,a,2024-01-01,10\no2,a,2024-01-02,5\no1,b,2024-01-03,7\n";
        let (status, r) = api.import_csv(&token, "orders", csv).await;
        assert_eq!(status, StatusCode::OK, "{r}");
        let (_, page) = api.get("/api/v1/users?limit=10", &token).await;
        assert_eq!(user_by_external(&page, "a")["revenue"].as_f64(), Some(5.0), "{}", db.label());
        assert_eq!(user_by_external(&page, "b")["revenue"].as_f64(), Some(7.0));
        let (status, _) =
            api.import_csv(&token, "orders", "order_id,customer_id,ordered_at,amount\no2,b,2024-01-02,5\n").await;
        assert_eq!(status, StatusCode::OK);
        let (_, page) = api.get("/api/v1/users?limit=10", &token).await;
        let a = user_by_external(&page, "a");
        assert_eq!((a["purchases"].as_i64(), a["revenue"].as_f64()), (Some(0), Some(0.0)), "{}", db.label());
        assert!(a["last_purchase_at"].is_null());
        assert_eq!(user_by_external(&page, "b")["revenue"].as_f64(), Some(12.0));
    }
}

/// An import whose scoring run fails answers 200 with its report (the rows are committed) and
/// the failed run's state; the settings show the failure until a run succeeds.
#[actix_web::test]
async fn an_import_whose_scoring_fails_reports_it_and_keeps_the_rows() {
    for db in backends() {
        let state = state(&db);
        let store = state.db.clone();
        let api = api(state).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let csv = "order_id,customer_id,ordered_at,amount\n1,a,2024-06-03,10\n2,b,2024-06-04,20\n";

        let (status, report) = api.import_csv(&token, "orders", csv).await;
        assert_eq!(status, StatusCode::OK, "{} {report}", db.label());
        assert_eq!(report["scoring"]["state"], "current", "{report}");
        assert_eq!(report["scoring"]["error"], Value::Null);

        db::faults::break_scoring(&store).unwrap();
        let more = "order_id,customer_id,ordered_at,amount\n3,c,2024-06-05,30\n";
        let (status, report) = api.import_csv(&token, "orders", more).await;
        assert_eq!(status, StatusCode::OK, "{} {report}", db.label());
        assert_eq!((report["imported"].as_u64(), report["committed"].as_bool()), (Some(1), Some(true)));
        let scoring = &report["scoring"];
        assert_eq!(scoring["state"], "failed", "{report}");
        assert!(scoring["error"].as_str().is_some_and(|e| e.contains("scoring breaks here")), "{report}");
        assert_eq!(scoring["failures"], 1);
        assert!(scoring["next_retry_at"].is_string() && scoring["scored_at"].is_string(), "{report}");

        let (_, page) = api.get("/api/v1/users?limit=10&total=true", &token).await;
        assert_eq!(page["total"], 3, "the rows are imported");
        let (status, settings) = api.get("/api/v1/settings", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(settings["scoring"], *scoring, "the settings show the failed run");

        // Mended, the next change scores again.
        db::faults::mend_scoring(&store).unwrap();
        let (_, report) = api.import_csv(&token, "orders", more).await;
        assert_eq!(report["scoring"]["state"], "current", "{report}");
        assert_eq!(report["scoring"]["failures"], 0);
        let (_, page) = api.get("/api/v1/users?q=c&limit=10", &token).await;
        assert!(!user_by_external(&page, "c")["rfm_segment"].is_null(), "scored: {page}");
    }
}
