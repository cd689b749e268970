//! RFM on real retail data (CDNOW 1997–98, `testdata/cdnow_sample_orders.csv`): every
//! user scored by `aggregate` + `score_all` is checked against a plain, independent
//! computation written here (quadratic loops, no production code except a cross-check of
//! money parsing).

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;
use domain::money::parse_minor;
use domain::rfm::{OrderLine, RfmInput, RfmScoring, RfmSegment, aggregate, score_all};

struct Row {
    customer: String,
    date: NaiveDate,
    cents: i64,
}

/// "29.33" → 2933, "0.00" → 0, "-4.5" → -450; the file has at most two decimals.
fn cents(text: &str) -> i64 {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(frac.len() <= 2, "{text}");
    let whole: i64 = whole.parse().unwrap();
    let frac: i64 = format!("{frac:0<2}").parse().unwrap();
    let value = whole * 100 + frac;
    if negative { -value } else { value }
}

fn rows() -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/cdnow_sample_orders.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), ["order_id", "customer_id", "ordered_at", "amount", "quantity"]);
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            let amount = &record[3];
            let cents = cents(amount);
            assert_eq!(parse_minor(amount), Ok(cents), "{amount}");
            Row {
                customer: record[1].to_string(),
                date: NaiveDate::parse_from_str(&record[2], "%Y-%m-%d").unwrap(),
                cents,
            }
        })
        .collect()
}

/// (recency_days, frequency, monetary, r, f, m, fm) per scored customer, computed plainly.
type Expected = (i64, i64, i64, u8, u8, u8, u8);

fn reference(rows: &[Row], as_of: NaiveDate, window: Option<i64>) -> BTreeMap<String, Expected> {
    let mut customers: Vec<&str> = rows.iter().map(|r| r.customer.as_str()).collect();
    customers.sort_unstable();
    customers.dedup();

    let mut values: Vec<(&str, i64, i64, i64)> = Vec::new();
    for customer in customers {
        let mut last: Option<NaiveDate> = None;
        let mut frequency = 0;
        let mut monetary = 0;
        for row in rows {
            let in_range = row.customer == customer
                && row.date <= as_of
                && window.is_none_or(|w| (as_of - row.date).num_days() < w);
            if !in_range {
                continue;
            }
            monetary += row.cents;
            if row.cents > 0 {
                frequency += 1;
                if last.is_none_or(|l| row.date > l) {
                    last = Some(row.date);
                }
            }
        }
        if let Some(last) = last {
            values.push((customer, (as_of - last).num_days(), frequency, monetary));
        }
    }

    let n = values.len() as i64;
    let score = |worse: usize| (1 + 5 * worse as i64 / n) as u8;
    let mut expected = BTreeMap::new();
    for &(customer, recency, frequency, monetary) in &values {
        let r = score(values.iter().filter(|v| v.1 > recency).count());
        let f = score(values.iter().filter(|v| v.2 < frequency).count());
        let m = score(values.iter().filter(|v| v.3 < monetary).count());
        let fm = (f + m + 1) / 2;
        expected.insert(customer.to_string(), (recency, frequency, monetary, r, f, m, fm));
    }
    expected
}

/// The segment table of docs/rfm.md, spelled out row by row.
fn expected_segment(r: u8, fm: u8) -> &'static str {
    let row: [&str; 5] = match r {
        5 => ["new", "potential_loyalist", "potential_loyalist", "champion", "champion"],
        4 => ["new", "potential_loyalist", "potential_loyalist", "loyalist", "loyalist"],
        3 => ["need_attention", "need_attention", "need_attention", "loyalist", "loyalist"],
        2 => ["hibernating", "hibernating", "at_risk", "at_risk", "at_risk"],
        1 => ["lost", "lost", "at_risk", "at_risk", "at_risk"],
        _ => panic!("r score {r}"),
    };
    row[usize::from(fm) - 1]
}

/// The production path: group by customer, `aggregate`, then `score_all`.
fn production(rows: &[Row], as_of: NaiveDate, window: Option<u32>) -> BTreeMap<String, domain::rfm::RfmScore> {
    let mut orders: BTreeMap<&str, Vec<OrderLine>> = BTreeMap::new();
    for row in rows {
        orders
            .entry(&row.customer)
            .or_default()
            .push(OrderLine { ordered_at: row.date.and_hms_opt(12, 0, 0).unwrap(), amount: row.cents });
    }
    let (ids, inputs): (Vec<&str>, Vec<RfmInput>) =
        orders.into_iter().filter_map(|(id, lines)| aggregate(lines, as_of, window).map(|input| (id, input))).unzip();
    let scores = score_all(&inputs, as_of, &RfmScoring::Ranked);
    assert_eq!(scores.len(), inputs.len());
    ids.into_iter().map(str::to_string).zip(scores).collect()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn every_user_matches_the_plain_computation() {
    let rows = rows();
    assert_eq!(rows.len(), 6919);
    for (as_of, window, scored) in [
        ("1997-06-30", None, 2349),
        ("1997-06-30", Some(365), 2349),
        ("1998-06-30", None, 2349),
        ("1998-06-30", Some(365), 812),
        ("1997-03-31", Some(30), 920),
    ] {
        let as_of = date(as_of);
        let expected = reference(&rows, as_of, window.map(i64::from));
        let actual = production(&rows, as_of, window);
        assert_eq!(expected.len(), scored, "{as_of} {window:?}");
        assert_eq!(
            actual.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "scored users as of {as_of} window {window:?}"
        );
        for (customer, e) in &expected {
            let a = actual[customer];
            let got = (a.recency_days, a.frequency, a.monetary, a.r_score, a.f_score, a.m_score, a.fm_score);
            assert_eq!(got, *e, "customer {customer} as of {as_of} window {window:?}");
            assert_eq!(a.segment.key(), expected_segment(e.3, e.6), "customer {customer}");
        }
        // Recency is spread enough on real data for every R score to occur.
        if expected.len() > 100 {
            for s in 1..=5u8 {
                assert!(expected.values().any(|e| e.3 == s), "no r score {s}");
            }
        }
    }
}

#[test]
fn hand_computed_spot_values() {
    let rows = rows();
    let check = |as_of: &str, window: Option<u32>, customer: &str| {
        let scores = production(&rows, date(as_of), window);
        scores
            .get(customer)
            .map(|s| (s.recency_days, s.frequency, s.monetary, s.r_score, s.f_score, s.m_score, s.segment))
    };
    // Customer 4: 29.33 on 1997-01-01, 29.73 on 01-18, 14.96 on 08-02, 26.48 on 12-12.
    // As of 1997-06-30: last purchase Jan 18 → 163 days, 2 purchases, 59.06.
    assert_eq!(check("1997-06-30", None, "4"), Some((163, 2, 5906, 1, 4, 4, RfmSegment::AtRisk)));
    // As of 1998-06-30: 4 purchases, 100.50, last Dec 12 → 200 days.
    assert_eq!(check("1998-06-30", None, "4"), Some((200, 4, 10050, 4, 4, 4, RfmSegment::Loyalist)));
    // With a 365-day window only Aug 2 and Dec 12 remain: 41.44.
    assert_eq!(check("1998-06-30", Some(365), "4"), Some((200, 2, 4144, 2, 3, 2, RfmSegment::AtRisk)));
    // Customer 18: one purchase of 14.96 on 1997-01-04.
    assert_eq!(check("1998-06-30", None, "18"), Some((542, 1, 1496, 1, 1, 1, RfmSegment::Lost)));
    // Customer 1101 only has an order of 0.00: not a purchase, so no RFM score at all.
    assert_eq!(check("1998-06-30", None, "1101"), None);
    // Before their first order nobody is scored.
    assert_eq!(check("1996-12-31", None, "4"), None);
}
