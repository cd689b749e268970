//! RFM over the API on real data (CDNOW 1997–98) on both backends: the users export as of
//! several dates (history recomputation and the maintained aggregates), with a look-back
//! window and with fixed thresholds; the transition matrix; the RFM matrix, evolution and
//! segment metrics as of a past date. Every expected value comes from a plain computation
//! over the CSV rows written here (quadratic counting, no production code).

mod common;

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use serde_json::{Value, json};

struct Row {
    customer: String,
    date: NaiveDate,
    cents: i64,
}

fn cents(text: &str) -> i64 {
    let (negative, digits) = text.strip_prefix('-').map_or((false, text), |rest| (true, rest));
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let value = whole.parse::<i64>().unwrap() * 100 + format!("{frac:0<2}").parse::<i64>().unwrap();
    if negative { -value } else { value }
}

fn rows(csv: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                customer: r[1].to_owned(),
                date: NaiveDate::parse_from_str(&r[2], "%Y-%m-%d").unwrap(),
                cents: cents(&r[3]),
            }
        })
        .collect()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// What the export must say for a scored customer.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expected {
    recency: i64,
    frequency: i64,
    monetary: i64,
    r: i64,
    f: i64,
    m: i64,
    fm: i64,
    segment: &'static str,
}

/// The grid of docs/rfm.md, rows r = 5..1, columns fm = 1..5.
fn grid(r: i64, fm: i64) -> &'static str {
    const ROWS: [[&str; 5]; 5] = [
        ["new", "potential_loyalist", "potential_loyalist", "champion", "champion"],
        ["new", "potential_loyalist", "potential_loyalist", "loyalist", "loyalist"],
        ["need_attention", "need_attention", "need_attention", "loyalist", "loyalist"],
        ["hibernating", "hibernating", "at_risk", "at_risk", "at_risk"],
        ["lost", "lost", "at_risk", "at_risk", "at_risk"],
    ];
    ROWS[(5 - r) as usize][(fm - 1) as usize]
}

enum Scoring {
    Ranked,
    /// recency upper bounds for 5,4,3,2; frequency and monetary lower bounds for 2,3,4,5.
    Fixed([i64; 4], [i64; 4], [i64; 4]),
}

/// RFM of every customer as of `as_of`, plainly: filter, sum, count strictly worse values.
fn reference(rows: &[Row], as_of: NaiveDate, window: Option<i64>, scoring: &Scoring) -> BTreeMap<String, Expected> {
    let mut per: BTreeMap<&str, (Option<NaiveDate>, i64, i64)> = BTreeMap::new();
    for row in rows {
        let in_range = row.date <= as_of && window.is_none_or(|w| (as_of - row.date).num_days() < w);
        if !in_range {
            continue;
        }
        let e = per.entry(&row.customer).or_insert((None, 0, 0));
        e.2 += row.cents;
        if row.cents > 0 {
            e.1 += 1;
            e.0 = e.0.max(Some(row.date));
        }
    }
    let scored: Vec<(&str, i64, i64, i64)> =
        per.into_iter().filter_map(|(c, (last, f, m))| last.map(|last| (c, (as_of - last).num_days(), f, m))).collect();
    let n = scored.len() as i64;
    let rank = |worse: usize| 1 + (5 * worse as i64) / n;
    scored
        .iter()
        .map(|&(c, recency, frequency, monetary)| {
            let (r, f, m) = match scoring {
                Scoring::Ranked => (
                    rank(scored.iter().filter(|s| s.1 > recency).count()),
                    rank(scored.iter().filter(|s| s.2 < frequency).count()),
                    rank(scored.iter().filter(|s| s.3 < monetary).count()),
                ),
                Scoring::Fixed(rb, fb, mb) => (
                    5 - rb.iter().filter(|&&b| recency > b).count() as i64,
                    1 + fb.iter().filter(|&&b| frequency >= b).count() as i64,
                    1 + mb.iter().filter(|&&b| monetary >= b).count() as i64,
                ),
            };
            let fm = (f + m + 1) / 2;
            (c.to_owned(), Expected { recency, frequency, monetary, r, f, m, fm, segment: grid(r, fm) })
        })
        .collect()
}

fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

/// The export as (header, rows by external id).
fn parse_export(body: &Value) -> (Vec<String>, HashMap<String, HashMap<String, String>>) {
    let text = body.as_str().expect("CSV text");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let mut out = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let row: HashMap<String, String> = header.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
        assert!(out.insert(row["external_id"].clone(), row).is_none(), "one row per user");
    }
    (header, out)
}

fn check_export(label: &str, body: &Value, expected: &BTreeMap<String, Expected>, customers: usize) {
    let (header, rows) = parse_export(body);
    for column in [
        "external_id",
        "email",
        "name",
        "company",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "fm_score",
        "rfm_segment",
        "health_score",
        "engagement_score",
        "fit_score",
    ] {
        assert!(header.iter().any(|h| h == column), "{label}: column {column}");
    }
    assert_eq!(rows.len(), customers, "{label}: one row per user");
    let mut scored = 0;
    for (customer, row) in &rows {
        match expected.get(customer) {
            Some(e) => {
                scored += 1;
                let got = (
                    row["recency_days"].as_str(),
                    row["frequency"].as_str(),
                    row["monetary"].as_str(),
                    row["r_score"].as_str(),
                    row["f_score"].as_str(),
                    row["m_score"].as_str(),
                    row["fm_score"].as_str(),
                    row["rfm_segment"].as_str(),
                );
                let want = (
                    e.recency.to_string(),
                    e.frequency.to_string(),
                    money(e.monetary),
                    e.r.to_string(),
                    e.f.to_string(),
                    e.m.to_string(),
                    e.fm.to_string(),
                    e.segment,
                );
                assert_eq!(
                    got,
                    (
                        want.0.as_str(),
                        want.1.as_str(),
                        want.2.as_str(),
                        want.3.as_str(),
                        want.4.as_str(),
                        want.5.as_str(),
                        want.6.as_str(),
                        want.7
                    ),
                    "{label}: customer {customer}"
                );
            }
            None => {
                for column in [
                    "recency_days",
                    "frequency",
                    "monetary",
                    "r_score",
                    "f_score",
                    "m_score",
                    "fm_score",
                    "rfm_segment",
                ] {
                    assert_eq!(row[column], "", "{label}: customer {customer} is unscored");
                }
            }
        }
    }
    assert_eq!(scored, expected.len(), "{label}: scored customers");
}

#[actix_web::test]
async fn export_matches_an_independent_rfm_on_cdnow() {
    let csv = cdnow_csv();
    let rows = rows(&csv);
    let customers = rows.iter().map(|r| r.customer.as_str()).collect::<std::collections::HashSet<_>>().len();
    for db in backends() {
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        let (status, report) = api.import_csv(&token, "orders", &csv).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        // Before the first purchase, on a date in the history, on the last day of the data
        // (served from the maintained aggregates) and after it.
        for as_of in ["1996-12-31", "1997-01-15", "1997-03-31", "1997-09-30", "1998-06-30", "1998-12-31"] {
            let (status, body) = api.get(&format!("/api/v1/users/export.csv?as_of={as_of}"), &token).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let expected = reference(&rows, date(as_of), None, &Scoring::Ranked);
            check_export(&format!("{} {as_of}", db.label()), &body, &expected, customers);
        }

        // A 90-day look-back window.
        let (status, body) =
            api.call("PUT", "/api/v1/settings", Some(&token), Some(json!({"rfm_window_days": 90}))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["rfm_window_days"], 90);
        for as_of in ["1997-04-15", "1998-06-30"] {
            let (_, body) = api.get(&format!("/api/v1/users/export.csv?as_of={as_of}"), &token).await;
            let expected = reference(&rows, date(as_of), Some(90), &Scoring::Ranked);
            check_export(&format!("{} window {as_of}", db.label()), &body, &expected, customers);
        }

        // Fixed thresholds, back to all history.
        let scoring = json!({"method": "fixed", "recency_days": [30, 90, 180, 365], "frequency": [2, 3, 5, 10],
                             "monetary": [20.0, 50.0, 100.5, 300.0]});
        let (status, body) = api
            .call(
                "PUT",
                "/api/v1/settings",
                Some(&token),
                Some(json!({"rfm_window_days": null, "rfm_scoring": scoring})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["rfm_window_days"], Value::Null);
        assert_eq!(body["rfm_scoring"]["monetary"], json!([20.0, 50.0, 100.5, 300.0]));
        let fixed = Scoring::Fixed([30, 90, 180, 365], [2, 3, 5, 10], [2000, 5000, 10050, 30000]);
        for as_of in ["1997-06-30", "1998-06-30"] {
            let (_, body) = api.get(&format!("/api/v1/users/export.csv?as_of={as_of}"), &token).await;
            let expected = reference(&rows, date(as_of), None, &fixed);
            check_export(&format!("{} fixed {as_of}", db.label()), &body, &expected, customers);
        }

        for bad in ["1997-13-01", "yesterday", "97-01-01", "1997-02-30"] {
            let (status, body) = api.get(&format!("/api/v1/users/export.csv?as_of={bad}"), &token).await;
            assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(body["errors"][0]["field"], "as_of", "{body}");
        }
    }
}

fn segments_of(expected: &BTreeMap<String, Expected>, customer: &str) -> &'static str {
    expected.get(customer).map_or("none", |e| e.segment)
}

#[actix_web::test]
async fn transitions_matrix_evolution_and_past_metrics_on_cdnow() {
    let csv = cdnow_csv();
    let rows = rows(&csv);
    let mut customers: Vec<&str> = rows.iter().map(|r| r.customer.as_str()).collect();
    customers.sort_unstable();
    customers.dedup();
    for db in backends() {
        let label = db.label();
        let api = api(state(&db)).await;
        let token = api.signup("Shop", "owner@shop.test").await;
        api.import_csv(&token, "orders", &csv).await;

        for (from, to) in [("1997-03-31", "1997-12-31"), ("1996-12-01", "1998-06-30"), ("1997-06-30", "1997-06-30")] {
            let (status, body) = api.get(&format!("/api/v1/metrics/rfm-transitions?from={from}&to={to}"), &token).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let mut keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["cells", "from", "to"], "exactly these keys");
            assert_eq!(body["from"], from);
            assert_eq!(body["to"], to);
            let a = reference(&rows, date(from), None, &Scoring::Ranked);
            let b = reference(&rows, date(to), None, &Scoring::Ranked);
            let mut expected: HashMap<(&str, &str), u64> = HashMap::new();
            for c in &customers {
                *expected.entry((segments_of(&a, c), segments_of(&b, c))).or_default() += 1;
            }
            let cells = body["cells"].as_array().unwrap();
            assert_eq!(cells.len(), 81, "{label}");
            for cell in cells {
                let key = (cell["from"].as_str().unwrap(), cell["to"].as_str().unwrap());
                assert_eq!(cell["count"], expected.get(&key).copied().unwrap_or(0), "{label} {from}→{to} {key:?}");
            }
            assert!(cells.iter().any(|c| c["from"] == "none"), "none row");
            let total: u64 = cells.iter().map(|c| c["count"].as_u64().unwrap()).sum();
            assert_eq!(total, customers.len() as u64);
        }

        // The RFM matrix as of a past date.
        let as_of = "1997-12-31";
        let e = reference(&rows, date(as_of), None, &Scoring::Ranked);
        let (status, body) = api.get(&format!("/api/v1/metrics/rfm-matrix?as_of={as_of}"), &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["scored"], e.len());
        assert_eq!(body["unscored"], customers.len() - e.len());
        for cell in body["cells"].as_array().unwrap() {
            let (r, fm) = (cell["r"].as_i64().unwrap(), cell["fm"].as_i64().unwrap());
            let want = e.values().filter(|x| x.r == r && x.fm == fm).count();
            assert_eq!(cell["count"], want, "{label} r={r} fm={fm}");
            assert_eq!(cell["segment"], grid(r, fm));
        }
        for s in body["segments"].as_array().unwrap() {
            let key = s["segment"]["key"].as_str().unwrap();
            assert_eq!(s["count"], e.values().filter(|x| x.segment == key).count(), "{label} {key}");
        }

        // One segment's evolution at month ends.
        let (status, body) =
            api.get("/api/v1/metrics/rfm-evolution?segment_key=new&from=1997-01-01&to=1997-06-15", &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let points = body["points"].as_array().unwrap();
        let ends = ["1997-01-31", "1997-02-28", "1997-03-31", "1997-04-30", "1997-05-31", "1997-06-15"];
        assert_eq!(points.len(), ends.len());
        for (point, end) in points.iter().zip(ends) {
            let e = reference(&rows, date(end), None, &Scoring::Ranked);
            assert_eq!(point["as_of"], end);
            assert_eq!(point["count"], e.values().filter(|x| x.segment == "new").count(), "{label} {end}");
            assert_eq!(point["scored"], e.len());
        }

        // Segment metrics as of a past date: membership recomputed, revenue up to as_of.
        let as_of = "1997-09-30";
        let e = reference(&rows, date(as_of), None, &Scoring::Ranked);
        let (status, body) = api.get(&format!("/api/v1/metrics/segments?as_of={as_of}"), &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mut revenue: HashMap<&str, i64> = HashMap::new();
        for row in rows.iter().filter(|r| r.date <= date(as_of)) {
            *revenue.entry(row.customer.as_str()).or_default() += row.cents;
        }
        for entry in body["rfm"].as_array().unwrap() {
            let key = entry["segment"]["key"].as_str().unwrap();
            let members: Vec<&String> = e.iter().filter(|(_, x)| x.segment == key).map(|(c, _)| c).collect();
            let value: i64 = members.iter().map(|c| revenue[c.as_str()]).sum();
            let purchases: i64 = members.iter().map(|c| e[*c].frequency).sum();
            let m = &entry["metrics"];
            assert_eq!(m["size"], members.len(), "{label} {key}");
            assert_eq!(m["purchases"], purchases, "{label} {key}");
            assert_eq!(m["total_value"].as_f64().unwrap(), value as f64 / 100.0, "{label} {key}");
            // No companies, and all history is within 365 days of as_of.
            assert_eq!(m["total_arr"], m["total_value"], "{label} {key}");
            assert_eq!(m["contacts"], 0);
        }
        let unscored = customers.len() - e.len();
        assert_eq!(body["unscored"]["size"], unscored);
        assert_eq!(body["total"]["size"], customers.len());
        let total: i64 = revenue.values().sum();
        assert_eq!(body["total"]["total_value"].as_f64().unwrap(), total as f64 / 100.0);
        assert_eq!(body["definitions"][6]["label"], "AOF");

        let (status, body) = api.get("/api/v1/metrics/rfm-transitions?from=1997-03-31", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "to");
        let (status, body) = api.get("/api/v1/metrics/rfm-transitions?from=1997-03-31&to=1997-01-01", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "to");
        let (status, body) = api.get("/api/v1/metrics/rfm-transitions?from=x&to=1997-01-01", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "from");
        let (status, body) = api.get("/api/v1/metrics/rfm-evolution?segment_key=heroes", &token).await;
        assert_problem(status, &body, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "segment_key");
    }
}
