//! Segment and dashboard metrics on a small hand-built workspace, on both backends. The data
//! is dated relative to today; every expected number below was worked out by hand from the
//! rows in `load` (the comments show the arithmetic).
//!
//! Users (T = today): u1 Ann (c1, seen T−1, email ok), u2 Bob (c1, invalid email, SMS ok, seen
//! T−40), u3 (c2, email consent off, SMS consent without phone, never seen), u4 Dan (c3,
//! churned, email ok), u5 Eve (no company, seen T−6, no consent), u6 Fay (c3, invalid email,
//! seen T−28, no orders), u7 (bare user from an order). Companies: c1 ARR 12000, 250
//! employees; c2 no ARR, 10 employees; c3 ARR 5000.50.

mod common;

use actix_web::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::*;
use serde_json::{Value, json};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// `T − days` as `YYYY-MM-DD`.
fn ago(days: i64) -> String {
    (today() - Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// (order id, user, days ago, amount, gross, quantity, channel, store)
type OrderRow = (&'static str, &'static str, i64, &'static str, &'static str, &'static str, &'static str, &'static str);

fn orders() -> Vec<OrderRow> {
    vec![
        ("o1", "u1", 5, "100.00", "120.00", "2", "web", ""),
        ("o2", "u1", 40, "50.00", "", "1", "store", "Paris"),
        ("o3", "u1", 39, "-20.00", "", "-1", "store", "Paris"),
        ("o4", "u2", 3, "30.00", "30.00", "3", "web", ""),
        ("o5", "u2", 200, "70.00", "80.00", "1", "store", "Lyon"),
        ("o6", "u3", 400, "10.00", "", "1", "web", ""),
        ("o7", "u3", 100, "15.50", "", "2", "store", "Paris"),
        ("o8", "u4", 2, "200.00", "250.00", "1", "web", ""),
        ("o9", "u5", 300, "40.00", "", "", "web", ""),
        ("o10", "u7", 1, "25.00", "", "1", "web", ""),
    ]
}

async fn load(api: &TestApp, token: &str) {
    let companies = "external_id,name,arr,employees\nc1,Acme,12000.00,250\nc2,Beta,,10\nc3,Gamma,5000.50,\n";
    let users = format!(
        "external_id,email,name,company_id,created_at,last_seen_at,churned_at,phone,email_consent,sms_consent\n\
         u1,ann@acme.com,Ann,c1,{},{},,,true,false\n\
         u2,bob@acme,Bob,c1,{},{},,+3312345,true,true\n\
         u3,=cmd@x.com,=HYPERLINK(\"x\"),c2,{},,,,false,true\n\
         u4,dan@gamma.io,Dan,c3,{},{},{},,true,false\n\
         u5,eve@ex.com,Eve,,{},{},,,false,false\n\
         u6,fay @x.com,Fay,c3,{},{},,,true,false\n",
        ago(10),
        ago(1),
        ago(100),
        ago(40),
        ago(400),
        ago(5),
        ago(3),
        ago(2),
        ago(200),
        ago(6),
        ago(20),
        ago(28),
    );
    let mut order_csv = "order_id,customer_id,ordered_at,amount,gross_amount,quantity,channel,store\n".to_owned();
    for (id, user, days, amount, gross, quantity, channel, store) in orders() {
        order_csv.push_str(&format!("{id},{user},{},{amount},{gross},{quantity},{channel},{store}\n", ago(days)));
    }
    let events = format!(
        "customer_id,name,occurred_at\nu1,login,{}\nu1,view,{}\nu1,view,{}\nu1,login,{}\nu2,login,{}\nu5,login,{}\n",
        ago(2),
        ago(3),
        ago(4),
        ago(20),
        ago(40),
        ago(6),
    );
    for (kind, body) in
        [("companies", companies.to_owned()), ("users", users), ("orders", order_csv), ("events", events)]
    {
        let (status, report) = api.import_csv(token, kind, &body).await;
        assert_eq!(status, StatusCode::OK, "{kind}: {report}");
    }
}

/// Health: days since last seen (0 good, 100 bad) and R score; engagement: events in the
/// last 7 days (4 good); fit: company ARR (10000 good, weight 3) and employees (200 good,
/// weight 1, skipped when missing).
fn score_settings() -> Value {
    json!({
        "health": {"factors": [
            {"metric": "days_since_last_seen", "good": 0, "bad": 100, "weight": 1},
            {"metric": "r_score", "good": 5, "bad": 1, "weight": 1}
        ]},
        "engagement": {"factors": [
            {"metric": "events_in_last_days", "days": 7, "good": 4, "bad": 0, "weight": 1}
        ]},
        "fit": {"factors": [
            {"metric": "company_arr", "good": 10000, "bad": 0, "weight": 3},
            {"metric": "company_property", "name": "employees", "good": 200, "bad": 0, "weight": 1, "skip_missing": true}
        ]}
    })
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("a number: {v}"))
}

async fn user_ids(api: &TestApp, token: &str) -> std::collections::HashMap<String, i64> {
    let (_, page) = api.get("/api/v1/users?limit=200", token).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["external_id"].as_str().unwrap().to_owned(), u["id"].as_i64().unwrap()))
        .collect()
}

/// A custom segment with these members, written directly (its condition selects the same).
fn add_segment(state: &server::AppState, ws_user: i64, members: &[i64]) -> i64 {
    use db::sql::{Count, Param, Query};
    state
        .db
        .write(|c| {
            let mut q = Query::new("SELECT workspace_id AS n FROM users WHERE id = ");
            q.bind(Param::I64(Some(ws_user)));
            let ws = q.load::<Count>(c)?[0].n;
            let now = db::now();
            let mut q =
                Query::new("INSERT INTO segments (workspace_id, name, conditions, created_at, updated_at) VALUES (");
            q.bind(Param::I64(Some(ws))).push(", 'Picked', ");
            q.bind(Param::text(
                r#"{"match":"all","conditions":[{"field":"user.external_id","op":"in","value":["u1","u4","u5"]}]}"#,
            ));
            q.push(", ").bind(Param::Ts(Some(now))).push(", ").bind(Param::Ts(Some(now))).push(")");
            q.execute(c)?;
            let id = Query::new("SELECT MAX(id) AS n FROM segments").load::<Count>(c)?[0].n;
            for m in members {
                let mut q = Query::new("INSERT INTO segment_members (segment_id, user_id, entered_at) VALUES (");
                q.bind(Param::I64(Some(id)))
                    .push(", ")
                    .bind(Param::I64(Some(*m)))
                    .push(", ")
                    .bind(Param::Ts(Some(now)))
                    .push(")");
                q.execute(c)?;
            }
            Ok(id)
        })
        .expect("segment written")
}

fn metrics_of<'a>(report: &'a Value, key: &str) -> &'a Value {
    &report["rfm"].as_array().unwrap().iter().find(|e| e["segment"]["key"] == key).unwrap()["metrics"]
}

/// The small shop: its score settings, the rows of `load`, and its users' ids by external id.
struct Shop {
    api: TestApp,
    state: server::AppState,
    token: String,
    ids: std::collections::HashMap<String, i64>,
}

async fn small_shop(db: &TestDb) -> Shop {
    let state = state(db);
    let api = api(state.clone()).await;
    let token = api.signup("Shop", "owner@shop.test").await;
    let (status, body) = api.call("PUT", "/api/v1/settings/scores", Some(&token), Some(score_settings())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    load(&api, &token).await;
    let ids = user_ids(&api, &token).await;
    assert_eq!(ids.len(), 7, "{}: u7 created by its order", db.label());
    Shop { api, state, token, ids }
}

/// The count of an RFM matrix's cell.
fn cell(m: &Value, r: i64, fm: i64) -> i64 {
    m["cells"].as_array().unwrap().iter().find(|c| c["r"] == r && c["fm"] == fm).unwrap()["count"].as_i64().unwrap()
}

#[actix_web::test]
async fn rfm_scores_and_segments_of_each_user() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, ids, .. } = small_shop(&db).await;
        // RFM as of today (N = 6 scored; u6 has no purchase):
        //   recency u7 1, u4 2, u2 3, u1 5, u3 100, u5 300 → R 5, 4, 3, 2, 1, 1
        //   frequency u1 2, u2 2, u3 2, u4 1, u5 1, u7 1 → F 3, 3, 3, 1, 1, 1
        //   monetary u7 25, u3 25.50, u5 40, u2 100, u1 130, u4 200 → M 1, 1, 2, 3, 4, 5
        //   fm: u1 (3+4) → 4, u2 3, u3 2, u4 3, u5 2, u7 1
        let expected_rfm = [
            ("u1", 2, 3, 4, "at_risk"),
            ("u2", 3, 3, 3, "need_attention"),
            ("u3", 1, 3, 1, "lost"),
            ("u4", 4, 1, 5, "potential_loyalist"),
            ("u5", 1, 1, 2, "lost"),
            ("u7", 5, 1, 1, "new"),
        ];
        for (user, r, fs, ms, segment) in expected_rfm {
            let (status, detail) = api.get(&format!("/api/v1/users/{}", ids[user]), &token).await;
            assert_eq!(status, StatusCode::OK);
            let rfm = &detail["rfm"];
            assert_eq!(
                (rfm["r_score"].clone(), rfm["f_score"].clone(), rfm["m_score"].clone()),
                (json!(r), json!(fs), json!(ms)),
                "{label} {user}"
            );
            assert_eq!(rfm["segment"]["key"], segment, "{label} {user}");
            assert_eq!(detail["user"]["rfm_segment"]["key"], segment);
        }
        let (_, detail) = api.get(&format!("/api/v1/users/{}", ids["u1"]), &token).await;
        assert_eq!(detail["rfm"]["recency_days"], 5);
        assert_eq!(detail["rfm"]["frequency"], 2);
        assert_eq!(f(&detail["rfm"]["monetary"]), 130.0);
        assert_eq!(detail["rfm"]["segment"]["symbol"], "☹\u{FE0E}");
        let (_, detail) = api.get(&format!("/api/v1/users/{}", ids["u6"]), &token).await;
        assert_eq!(detail["rfm"], Value::Null);
    }
}

#[actix_web::test]
async fn health_engagement_and_fit_scores_of_each_user() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, ids, .. } = small_shop(&db).await;
        // Scores. Health = round(100 × (seen + r) / 2), seen = 1 − days/100, r = (R − 1)/4:
        //   u1 (0.99 + 0.25) → 62; u2 (0.60 + 0.5) → 55; u3 (0 + 0) → 0; u4 (0.97 + 0.75) → 86;
        //   u5 (0.94 + 0) → 47; u6 (0.72 + 0, unscored) → 36; u7 (never seen, 0 + 1) → 50.
        // Engagement = events in 7 days / 4: u1 3 → 75, u5 1 → 25, others 0.
        // Fit = (3 × arr/10000 + employees/200) / 4, employees skipped when missing:
        //   c1 → 100; c2 (0 + 0.05)/4 → 1; c3 (3 × 0.50005)/3 → 50; no company → 0.
        let scores = [
            ("u1", 62, 75, 100),
            ("u2", 55, 0, 100),
            ("u3", 0, 0, 1),
            ("u4", 86, 0, 50),
            ("u5", 47, 25, 0),
            ("u6", 36, 0, 50),
            ("u7", 50, 0, 0),
        ];
        for (user, health, engagement, fit) in scores {
            let (_, detail) = api.get(&format!("/api/v1/users/{}", ids[user]), &token).await;
            let u = &detail["user"];
            assert_eq!(
                (u["health_score"].clone(), u["engagement_score"].clone(), u["fit_score"].clone()),
                (json!(health), json!(engagement), json!(fit)),
                "{label} {user}"
            );
        }
    }
}

#[actix_web::test]
async fn segment_metrics_count_active_members_and_their_value() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, .. } = small_shop(&db).await;
        // Segment metrics over active members (u4 is churned).
        let (status, report) = api.get("/api/v1/metrics/segments", &token).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["kind"], "orders");
        assert_eq!(report["as_of"], today().format("%Y-%m-%d").to_string());
        let at_risk = metrics_of(&report, "at_risk");
        assert_eq!(
            at_risk,
            &json!({"size": 1, "contacts": 1, "online": 1, "offline": 0, "avg_health_score": 62.0,
            "total_arr": 12000.0, "aof": 2.0, "aov": 65.0, "acv": 130.0, "total_value": 130.0, "purchases": 2}),
            "{label}"
        );
        let need = metrics_of(&report, "need_attention");
        assert_eq!(
            need,
            &json!({"size": 1, "contacts": 1, "online": 0, "offline": 1, "avg_health_score": 55.0,
            "total_arr": 12000.0, "aof": 2.0, "aov": 50.0, "acv": 100.0, "total_value": 100.0, "purchases": 2}),
            "{label}"
        );
        // Lost: u3 (c2 has no ARR → revenue of the last 365 days, 15.50; o6 is older) and u5
        // (no company → 40). Purchases 3, revenue 25.50 + 40 = 65.50, AOV 21.833 → 21.83.
        let lost = metrics_of(&report, "lost");
        assert_eq!(
            lost,
            &json!({"size": 2, "contacts": 0, "online": 1, "offline": 1, "avg_health_score": 23.5,
            "total_arr": 55.5, "aof": 1.5, "aov": 21.83, "acv": 32.75, "total_value": 65.5, "purchases": 3}),
            "{label}"
        );
        let potential = metrics_of(&report, "potential_loyalist");
        assert_eq!(
            potential,
            &json!({"size": 0, "contacts": 0, "online": 0, "offline": 0, "avg_health_score": null,
            "total_arr": 0.0, "aof": null, "aov": null, "acv": null, "total_value": 0.0, "purchases": 0}),
            "{label}"
        );
        let new = metrics_of(&report, "new");
        assert_eq!(
            new,
            &json!({"size": 1, "contacts": 0, "online": 0, "offline": 1, "avg_health_score": 50.0,
            "total_arr": 25.0, "aof": 1.0, "aov": 25.0, "acv": 25.0, "total_value": 25.0, "purchases": 1}),
            "{label}"
        );
        assert_eq!(
            report["unscored"],
            json!({"size": 1, "contacts": 0, "online": 1, "offline": 0, "avg_health_score": 36.0,
            "total_arr": 5000.5, "aof": 0.0, "aov": null, "acv": 0.0, "total_value": 0.0, "purchases": 0}),
            "{label}"
        );
        // Total: c1 counted once (u1, u2) + c3 (u6) + 15.50 + 40 + 25 = 17081.00; health
        // (62 + 55 + 0 + 47 + 36 + 50) / 6.
        let total = &report["total"];
        assert_eq!(
            (total["size"].clone(), total["contacts"].clone(), total["online"].clone(), total["offline"].clone()),
            (json!(6), json!(2), json!(3), json!(3))
        );
        assert_eq!(f(&total["total_arr"]), 17081.0, "{label}");
        assert_eq!(total["purchases"], 8);
        assert_eq!(f(&total["total_value"]), 320.5);
        assert!((f(&total["avg_health_score"]) - 250.0 / 6.0).abs() < 1e-9);
        for name in ["champion", "loyalist", "hibernating"] {
            assert_eq!(metrics_of(&report, name)["size"], 0);
        }
    }
}

#[actix_web::test]
async fn segment_metrics_of_a_period_count_its_purchases_only() {
    for db in backends() {
        let Shop { api, token, .. } = small_shop(&db).await;
        // A period: orders of T−50 ..= T−3 → u1: o1, o2, o3 (2 purchases, 130); u2: o4 (30).
        let (_, period) = api.get(&format!("/api/v1/metrics/segments?from={}&to={}", ago(50), ago(3)), &token).await;
        assert_eq!(metrics_of(&period, "at_risk")["total_value"], json!(130.0));
        assert_eq!(metrics_of(&period, "need_attention")["purchases"], 1);
        assert_eq!(metrics_of(&period, "need_attention")["total_value"], json!(30.0));
        assert_eq!(metrics_of(&period, "lost")["purchases"], 0);
        assert_eq!(period["total"]["total_value"], json!(160.0));
    }
}

#[actix_web::test]
async fn users_overview_counts_users_consent_and_newcomers() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, .. } = small_shop(&db).await;
        // Users overview: 7 users, u4 churned; email reachable u1, u4; SMS u2; new in 30 days
        // u1 (T−10), u4 (T−5), u6 (T−20), u7 (first order T−1); in 12 months also u2, u5.
        let (status, o) = api.get("/api/v1/metrics/overview", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            o,
            json!({"users": 7, "active_users": 6, "churned_users": 1, "consented_users": 3,
            "consent": {"email": 2, "sms": 1}, "new_users_30d": 4, "new_users_12m": 6, "segment": null}),
            "{label}"
        );
    }
}

#[actix_web::test]
async fn purchase_activity_nets_refunds_and_discounts_and_sums_each_month() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, .. } = small_shop(&db).await;
        // Purchase activity: 9 purchases by 6 buyers, revenue 520.50 (refund of 20 netted),
        // AOV 57.83, items 12 over 8 purchases with a quantity, discount 20 + 0 + 10 + 50 = 80
        // over gross 480.
        let (status, p) = api.get("/api/v1/metrics/purchases", &token).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        assert_eq!(
            (p["purchases"].clone(), p["buyers"].clone(), p["refunds"].clone()),
            (json!(9), json!(6), json!(1)),
            "{label}"
        );
        assert_eq!(f(&p["revenue"]), 520.5);
        assert_eq!(f(&p["refunded"]), -20.0);
        assert_eq!(f(&p["aov"]), 57.83);
        assert_eq!(f(&p["items_per_purchase"]), 1.5);
        assert_eq!(f(&p["discount"]), 80.0);
        assert_eq!(f(&p["discount_rate"]), 0.1667);
        assert_eq!(p["purchases_label"], "Orders");
        // Revenue per month, computed from the rows.
        let mut months: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        for (_, _, days, amount, ..) in orders() {
            let d = today() - Duration::days(days);
            let e = months.entry(format!("{}-{:02}", d.year(), d.month())).or_default();
            let cents = (amount.parse::<f64>().unwrap() * 100.0).round() as i64;
            e.1 += cents;
            if cents > 0 {
                e.0 += 1;
            }
        }
        let series: Vec<(String, i64, f64)> = p["revenue_by_month"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["month"].as_str().unwrap().to_owned(), m["purchases"].as_i64().unwrap(), f(&m["revenue"])))
            .collect();
        let want: Vec<(String, i64, f64)> = months.into_iter().map(|(m, (n, c))| (m, n, c as f64 / 100.0)).collect();
        assert_eq!(series, want, "{label}");
    }
}

#[actix_web::test]
async fn purchase_filters_narrow_purchases_buyers_and_revenue() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, .. } = small_shop(&db).await;
        // Each filter: (query, purchases, buyers, revenue).
        for (query, purchases, buyers, revenue) in [
            ("channel=web".to_owned(), 6, 6, 405.0),
            ("channel=store".to_owned(), 3, 3, 115.5),
            ("store=Paris".to_owned(), 2, 2, 45.5),
            ("consent=with".to_owned(), 5, 3, 430.0),
            ("consent=without".to_owned(), 4, 3, 90.5),
            ("recency=new_30d".to_owned(), 4, 3, 355.0),
            ("recency=new_12m".to_owned(), 7, 5, 495.0),
            (format!("from={}&to={}", ago(50), ago(3)), 3, 2, 160.0),
            ("channel=web&consent=with&recency=new_30d".to_owned(), 2, 2, 300.0),
        ] {
            let (status, p) = api.get(&format!("/api/v1/metrics/purchases?{query}"), &token).await;
            assert_eq!(status, StatusCode::OK, "{query} {p}");
            assert_eq!(
                (p["purchases"].as_i64(), p["buyers"].as_i64(), f(&p["revenue"])),
                (Some(purchases), Some(buyers), revenue),
                "{label} {query}"
            );
        }
    }
}

#[actix_web::test]
async fn rfm_matrix_of_the_stored_scores_and_as_of_a_date() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, .. } = small_shop(&db).await;
        // RFM matrix of the stored scores.
        let (status, m) = api.get("/api/v1/metrics/rfm-matrix", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((m["scored"].clone(), m["unscored"].clone()), (json!(6), json!(1)));
        let expected_cells = [((2, 4), 1), ((3, 3), 1), ((1, 2), 2), ((4, 3), 1), ((5, 1), 1)];
        for r in 1..=5 {
            for fm in 1..=5 {
                let want = expected_cells.iter().find(|(k, _)| *k == (r, fm)).map_or(0, |(_, n)| *n);
                assert_eq!(cell(&m, r, fm), want, "{label} r={r} fm={fm}");
            }
        }
        assert_eq!(m["cells"][0]["r"], 5);
        let counts: Vec<(String, i64)> = m["segments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["segment"]["key"].as_str().unwrap().to_owned(), s["count"].as_i64().unwrap()))
            .collect();
        assert_eq!(
            counts,
            [
                ("champion", 0),
                ("loyalist", 0),
                ("potential_loyalist", 1),
                ("new", 1),
                ("need_attention", 1),
                ("at_risk", 1),
                ("hibernating", 0),
                ("lost", 2)
            ]
            .map(|(k, n)| (k.to_owned(), n))
        );
        // The same as of today computed from history.
        let (_, m2) = api.get(&format!("/api/v1/metrics/rfm-matrix?as_of={}", ago(0)), &token).await;
        assert_eq!(m2["cells"], m["cells"]);
        // As of T−4: u7, u4, u2 have not bought yet; u1 last bought at T−5.
        let (_, m3) = api.get(&format!("/api/v1/metrics/rfm-matrix?as_of={}", ago(4)), &token).await;
        assert_eq!(m3["scored"], 4, "{label}: u1, u2 (o5), u3, u5");
    }
}

#[actix_web::test]
async fn scoring_matrix_buckets_fit_and_engagement() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, .. } = small_shop(&db).await;
        // Scoring matrix: (fit bucket, engagement bucket): u1 (5, 4), u2 (5, 1), u3 (1, 1),
        // u4 (3, 1), u5 (1, 2), u6 (3, 1), u7 (1, 1).
        let (status, s) = api.get("/api/v1/metrics/scoring-matrix", &token).await;
        assert_eq!(status, StatusCode::OK);
        let expected = [((5, 4), 1), ((5, 1), 1), ((1, 1), 2), ((3, 1), 2), ((1, 2), 1)];
        for c in s["cells"].as_array().unwrap() {
            let key = (c["fit"].as_i64().unwrap(), c["engagement"].as_i64().unwrap());
            let want = expected.iter().find(|(k, _)| *k == key).map_or(0, |(_, n)| *n);
            assert_eq!(c["count"], want, "{label} {key:?}");
        }
        assert_eq!((s["scored"].clone(), s["unscored"].clone()), (json!(7), json!(0)));
        assert_eq!(
            s["cells"][0],
            json!({"fit": 5, "engagement": 1, "fit_min": 80, "fit_max": 100, "engagement_min": 0, "engagement_max": 19, "count": 1})
        );
    }
}

#[actix_web::test]
async fn users_export_neutralises_formulas_and_carries_the_scores() {
    for db in backends() {
        let Shop { api, token, .. } = small_shop(&db).await;
        // The export: formula-like text is neutralised, scores are there.
        let (status, csv) = api.get("/api/v1/users/export.csv", &token).await;
        assert_eq!(status, StatusCode::OK);
        let text = csv.as_str().unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 7);
        let u3 = records.iter().find(|r| &r[0] == "u3").unwrap();
        assert_eq!((&u3[1], &u3[2], &u3[3]), ("'=cmd@x.com", "'=HYPERLINK(\"x\")", "Beta"));
        let u1 = records.iter().find(|r| &r[0] == "u1").unwrap();
        assert_eq!(
            u1.iter().skip(3).collect::<Vec<_>>(),
            ["Acme", "5", "2", "130.00", "2", "3", "4", "4", "at_risk", "62", "75", "100"]
        );
    }
}

#[actix_web::test]
async fn every_metric_scoped_to_a_custom_segment() {
    for db in backends() {
        let label = db.label();
        let Shop { api, token, ids, state, .. } = small_shop(&db).await;
        // Scoped to a custom segment {u1, u4, u5}.
        let segment = add_segment(&state, ids["u1"], &[ids["u1"], ids["u4"], ids["u5"]]);
        let (_, o) = api.get(&format!("/api/v1/metrics/overview?segment={segment}"), &token).await;
        assert_eq!(
            o,
            json!({"users": 3, "active_users": 2, "churned_users": 1, "consented_users": 2,
            "consent": {"email": 2, "sms": 0}, "new_users_30d": 2, "new_users_12m": 3, "segment": segment}),
            "{label}"
        );
        let (_, r) = api.get(&format!("/api/v1/metrics/segments?segment={segment}"), &token).await;
        assert_eq!(r["segment"], segment);
        assert_eq!(metrics_of(&r, "at_risk")["size"], 1);
        assert_eq!(metrics_of(&r, "lost")["size"], 1);
        assert_eq!(metrics_of(&r, "lost")["total_arr"], json!(40.0));
        assert_eq!(metrics_of(&r, "potential_loyalist")["size"], 0, "u4 is churned");
        assert_eq!(r["total"]["size"], 2);
        assert_eq!(f(&r["total"]["total_arr"]), 12040.0);
        assert_eq!(f(&r["total"]["total_value"]), 170.0);
        let (_, p) = api.get(&format!("/api/v1/metrics/purchases?segment={segment}"), &token).await;
        assert_eq!(
            (p["purchases"].as_i64(), p["buyers"].as_i64(), f(&p["revenue"])),
            (Some(4), Some(3), 370.0),
            "{label}"
        );
        let (_, m) = api.get(&format!("/api/v1/metrics/rfm-matrix?segment={segment}"), &token).await;
        assert_eq!((m["scored"].clone(), m["unscored"].clone()), (json!(3), json!(0)));
        assert_eq!(cell(&m, 1, 2), 1);
        let (_, s) = api.get(&format!("/api/v1/metrics/scoring-matrix?segment={segment}"), &token).await;
        assert_eq!(s["scored"], 3);
        let (_, t) = api
            .get(&format!("/api/v1/metrics/rfm-transitions?from={}&to={}&segment={segment}", ago(30), ago(0)), &token)
            .await;
        let moved: u64 = t["cells"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
        assert_eq!(moved, 3);
        let (_, ev) = api
            .get(
                &format!(
                    "/api/v1/metrics/rfm-evolution?segment_key=at_risk&from={}&to={}&segment={segment}",
                    ago(0),
                    ago(0)
                ),
                &token,
            )
            .await;
        let points = ev["points"].as_array().unwrap();
        assert_eq!(points.len(), 1, "{ev}");
        assert_eq!(
            (points[0]["count"].clone(), points[0]["scored"].clone()),
            (json!(1), json!(3)),
            "{label}: u1 of u1, u4, u5"
        );
        let (_, csv) = api.get(&format!("/api/v1/users/export.csv?segment={segment}"), &token).await;
        let text = csv.as_str().unwrap();
        let mut ids_in_export: Vec<String> =
            csv::Reader::from_reader(text.as_bytes()).records().map(|r| r.unwrap()[0].to_owned()).collect();
        ids_in_export.sort();
        assert_eq!(ids_in_export, ["u1", "u4", "u5"], "the export lists every member, churned too");
    }
}

#[actix_web::test]
async fn bad_metric_parameters_are_problems_naming_the_parameter() {
    for db in backends() {
        let Shop { api, token, .. } = small_shop(&db).await;
        // Bad parameters are 422 problems naming the parameter.
        for (path, field) in [
            ("/api/v1/metrics/segments?as_of=2024-02-30".to_owned(), "as_of"),
            ("/api/v1/metrics/segments?from=2024-03-01&to=2024-02-01".to_owned(), "to"),
            ("/api/v1/metrics/purchases?consent=maybe".to_owned(), "consent"),
            ("/api/v1/metrics/purchases?recency=new_1d".to_owned(), "recency"),
            ("/api/v1/metrics/purchases?from=01/02/2024".to_owned(), "from"),
            ("/api/v1/metrics/overview?segment=abc".to_owned(), "segment"),
            ("/api/v1/metrics/overview?segment=999999".to_owned(), "segment"),
            ("/api/v1/metrics/rfm-matrix?as_of=today".to_owned(), "as_of"),
            ("/api/v1/users/export.csv?segment=-9".to_owned(), "segment"),
            ("/api/v1/metrics/rfm-evolution".to_owned(), "segment_key"),
            (format!("/api/v1/metrics/rfm-evolution?segment_key=lost&from=2000-01-01&to={}", ago(0)), "from"),
        ] {
            let (status, body) = api.get(&path, &token).await;
            assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["errors"][0]["field"], field, "{path}: {body}");
        }
    }
}

#[actix_web::test]
async fn settings_validate_and_rescore() {
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;

        let (status, s) = api.get("/api/v1/settings", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(s["kind"], "orders");
        assert_eq!(s["activity_window_days"], 30);
        assert_eq!(s["rfm_window_days"], Value::Null);
        assert_eq!(s["rfm_scoring"], json!({"method": "ranked"}));
        let (status, scores) = api.get("/api/v1/settings/scores", &token).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!scores["health"]["factors"].as_array().unwrap().is_empty(), "defaults for a new workspace");
        assert!(
            scores["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["key"] == "events_in_last_days" && m["takes_days"] == true)
        );
        // Round trip of the defaults.
        let (status, again) = api.call("PUT", "/api/v1/settings/scores", Some(&token), Some(scores.clone())).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again, scores);

        let factor = |patch: Value| {
            let mut f = json!({"metric": "r_score", "good": 5, "bad": 1, "weight": 1});
            for (k, v) in patch.as_object().unwrap() {
                f[k] = v.clone();
            }
            f
        };
        let ok = json!({"factors": [factor(json!({}))]});
        for (score, bad, path) in [
            ("health", factor(json!({"good": 1})), "health.factors[0].good"),
            ("engagement", factor(json!({"metric": "moon_phase"})), "engagement.factors[0].metric"),
            ("fit", factor(json!({"weight": -1})), "fit.factors[0].weight"),
            ("health", factor(json!({"metric": "events_in_last_days", "days": 0})), "health.factors[0].days"),
            ("health", factor(json!({"metric": "events_in_last_days"})), "health.factors[0].days"),
            ("fit", factor(json!({"metric": "user_property", "name": " "})), "fit.factors[0].name"),
            ("fit", factor(json!({"metric": "user_property"})), "fit.factors[0].name"),
        ] {
            let mut body = json!({"health": ok, "engagement": ok, "fit": ok});
            body[score] = json!({"factors": [bad]});
            let (status, problem) = api.call("PUT", "/api/v1/settings/scores", Some(&token), Some(body)).await;
            assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(problem["errors"][0]["field"], path, "{label}: {problem}");
        }
        let mut body = json!({"health": ok, "engagement": ok, "fit": ok});
        body["fit"] = json!({"factors": [factor(json!({"weight": 0}))]});
        let (status, problem) = api.call("PUT", "/api/v1/settings/scores", Some(&token), Some(body)).await;
        assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem["errors"][0]["field"], "fit.factors");

        for (body, field) in [
            (json!({"kind": "retail"}), "kind"),
            (json!({"activity_window_days": 0}), "activity_window_days"),
            (json!({"rfm_window_days": 0}), "rfm_window_days"),
            (json!({"rfm_window_days": 4000}), "rfm_window_days"),
            (json!({"rfm_scoring": {"method": "magic"}}), "rfm_scoring.method"),
            (
                json!({"rfm_scoring": {"method": "fixed", "recency_days": [1, 2, 3, 4], "frequency": [1, 2, 3, 4]}}),
                "rfm_scoring.monetary",
            ),
            (
                json!({"rfm_scoring": {"method": "fixed", "recency_days": [1, 2, 3, 4], "frequency": [1, 2, 2, 4], "monetary": [1, 2, 3, 4]}}),
                "rfm_scoring.frequency",
            ),
            (
                json!({"rfm_scoring": {"method": "fixed", "recency_days": [-1, 2, 3, 4], "frequency": [1, 2, 3, 4], "monetary": [1, 2, 3, 4]}}),
                "rfm_scoring.recency_days",
            ),
        ] {
            let (status, problem) = api.call("PUT", "/api/v1/settings", Some(&token), Some(body.clone())).await;
            assert_problem(status, &problem, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(problem["errors"][0]["field"], field, "{label} {body}: {problem}");
        }
        let (_, s2) = api.get("/api/v1/settings", &token).await;
        assert_eq!(s2["kind"], "orders", "nothing changed");

        // Viewers read settings but cannot change them.
        let (status, body) = api
            .call(
                "POST",
                "/api/v1/operators",
                Some(&token),
                Some(json!({"email": "viewer@shop.test", "password": "password123", "role": "viewer"})),
            )
            .await;
        assert!(status.is_success(), "{body}");
        let (_, login) = api
            .call(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "viewer@shop.test", "password": "password123"})),
            )
            .await;
        let viewer = login["access_token"].as_str().unwrap().to_owned();
        let (status, _) = api.get("/api/v1/settings", &viewer).await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) =
            api.call("PUT", "/api/v1/settings", Some(&viewer), Some(json!({"kind": "donations"}))).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);
        let (status, body) = api.call("PUT", "/api/v1/settings/scores", Some(&viewer), Some(scores.clone())).await;
        assert_problem(status, &body, StatusCode::FORBIDDEN);

        // Data, then changes that must rescore.
        load(&api, &token).await;
        let ids = user_ids(&api, &token).await;
        let (_, m) = api.get("/api/v1/metrics/rfm-matrix", &token).await;
        assert_eq!(m["scored"], 6);
        // A 50-day window leaves u1 (o1, o2, o3), u2 (o4), u4, u7.
        let (status, s) = api
            .call("PUT", "/api/v1/settings", Some(&token), Some(json!({"rfm_window_days": 50, "kind": "donations"})))
            .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        let (_, m) = api.get("/api/v1/metrics/rfm-matrix", &token).await;
        assert_eq!((m["scored"].clone(), m["unscored"].clone()), (json!(4), json!(3)), "{label}");
        let (_, detail) = api.get(&format!("/api/v1/users/{}", ids["u2"]), &token).await;
        assert_eq!(detail["rfm"]["frequency"], 1);
        assert_eq!(f(&detail["rfm"]["monetary"]), 30.0);
        let (_, detail) = api.get(&format!("/api/v1/users/{}", ids["u5"]), &token).await;
        assert_eq!(detail["rfm"], Value::Null);
        assert_eq!(detail["user"]["rfm_segment"], Value::Null);
        let (_, report) = api.get("/api/v1/metrics/segments", &token).await;
        assert_eq!(report["kind"], "donations");
        let labels: Vec<&str> =
            report["definitions"].as_array().unwrap().iter().map(|d| d["label"].as_str().unwrap()).collect();
        assert!(labels.contains(&"ADF") && labels.contains(&"ADV"), "{labels:?}");
        let (_, p) = api.get("/api/v1/metrics/purchases", &token).await;
        assert_eq!(p["purchases_label"], "Donations");
        assert_eq!(p["aov_label"], "ADV");

        // New score settings rescore everyone: health from a single constant-ish factor.
        let only_recency = json!({"factors": [{"metric": "days_since_last_seen", "good": 0, "bad": 10, "weight": 1}]});
        let (status, _) = api
            .call(
                "PUT",
                "/api/v1/settings/scores",
                Some(&token),
                Some(json!({"health": only_recency, "engagement": ok, "fit": ok})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // u1 seen T−1 → 1 − 1/10 = 90; u2 seen T−40 → 0.
        let (_, detail) = api.get(&format!("/api/v1/users/{}", ids["u1"]), &token).await;
        assert_eq!(detail["user"]["health_score"], 90, "{label}");
        let (_, detail) = api.get(&format!("/api/v1/users/{}", ids["u2"]), &token).await;
        assert_eq!(detail["user"]["health_score"], 0);

        // The activity window: 3 days makes only u1 online among active members.
        let (status, _) =
            api.call("PUT", "/api/v1/settings", Some(&token), Some(json!({"activity_window_days": 3}))).await;
        assert_eq!(status, StatusCode::OK);
        let (_, report) = api.get("/api/v1/metrics/segments", &token).await;
        assert_eq!(report["total"]["online"], 1, "{label}");
        assert_eq!(report["total"]["offline"], 5);
    }
}
