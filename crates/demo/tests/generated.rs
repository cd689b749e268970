//! Properties of the generated files on a small workspace: shape, references between files,
//! consistency of derived columns, and roughly the intended proportions.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use demo::{DemoConfig, write_companies, write_events, write_orders, write_users};
use domain::money::parse_minor;

const USERS: usize = 2_000;

fn config() -> DemoConfig {
    DemoConfig {
        users: USERS,
        seed: 7,
        end: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
        years: 2,
        heavy_tail: false,
    }
}

/// A parsed CSV file: header and rows of fields (the generator never quotes).
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(bytes: &[u8]) -> Table {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        assert!(text.ends_with('\n'), "file ends with a newline");
        let mut lines = text.lines();
        let split = |line: &str| line.split(',').map(str::to_owned).collect::<Vec<_>>();
        let header = split(lines.next().expect("header row"));
        let rows: Vec<_> = lines.map(split).collect();
        for (n, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), header.len(), "row {n}: {row:?}");
            assert!(row.iter().all(|f| !f.contains('"')), "row {n} needs no quoting");
        }
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }
}

struct Workspace {
    companies: Table,
    users: Table,
    orders: Table,
    events: Table,
}

fn workspace() -> &'static Workspace {
    static WORKSPACE: OnceLock<Workspace> = OnceLock::new();
    WORKSPACE.get_or_init(|| {
        let config = config();
        let mut bytes = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        let counts = [
            write_companies(&config, &mut bytes[0]).unwrap(),
            write_users(&config, &mut bytes[1]).unwrap(),
            write_orders(&config, &mut bytes[2]).unwrap(),
            write_events(&config, &mut bytes[3]).unwrap(),
        ];
        let [companies, users, orders, events] = bytes.map(|b| Table::parse(&b));
        let tables = [&companies, &users, &orders, &events];
        for (table, count) in tables.iter().zip(counts) {
            assert_eq!(table.rows.len() as u64, count, "returned count = rows written");
        }
        Workspace { companies, users, orders, events }
    })
}

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text:?}: {e}")).with_timezone(&Utc)
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

fn assert_between(what: &str, value: f64, low: f64, high: f64) {
    eprintln!("{what} = {value:.4}");
    assert!((low..=high).contains(&value), "{what} = {value:.4}, expected {low}..={high}");
}

#[test]
fn headers_are_the_import_columns_plus_extras() {
    let w = workspace();
    let header = |t: &Table| t.header.join(",");
    assert_eq!(header(&w.companies), "external_id,name,industry,plan,arr,owner,created_at,employees,region");
    assert_eq!(
        header(&w.users),
        "external_id,email,name,company_id,created_at,last_seen_at,churned_at,role,country,phone,\
         acquisition_channel,client_type,payment_type,invoice_period,complaint_reason,\
         email_consent,sms_consent,newsletter_topic,age"
    );
    assert_eq!(header(&w.orders), "order_id,customer_id,ordered_at,amount,gross_amount,quantity,channel,store,product");
    assert_eq!(header(&w.events), "customer_id,name,occurred_at");
}

#[test]
fn same_config_gives_identical_files_and_another_seed_does_not() {
    let dir = std::env::temp_dir().join(format!("demo-test-{}", std::process::id()));
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let config = DemoConfig { users: 300, ..config() };
    let (files_a, counts_a) = demo::write_files(&config, &a).unwrap();
    let (files_b, counts_b) = demo::write_files(&config, &b).unwrap();
    assert_eq!(counts_a, counts_b);
    assert_eq!(counts_a.users, 300);
    assert!(counts_a.orders > 1_000 && counts_a.events > 1_000, "{counts_a:?}");
    let pairs = [
        (&files_a.companies, &files_b.companies),
        (&files_a.users, &files_b.users),
        (&files_a.orders, &files_b.orders),
        (&files_a.events, &files_b.events),
    ];
    for (x, y) in pairs {
        assert_eq!(std::fs::read(x).unwrap(), std::fs::read(y).unwrap(), "{}", x.display());
    }
    let mut other = Vec::new();
    write_orders(&DemoConfig { seed: 8, ..config.clone() }, &mut other).unwrap();
    assert_ne!(other, std::fs::read(&files_a.orders).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_users_gives_header_only_files() {
    let config = DemoConfig { users: 0, ..config() };
    let mut out = Vec::new();
    assert_eq!(write_users(&config, &mut out).unwrap(), 0);
    assert_eq!(out, b"external_id,email,name,company_id,created_at,last_seen_at,churned_at,role,country,phone,acquisition_channel,client_type,payment_type,invoice_period,complaint_reason,email_consent,sms_consent,newsletter_topic,age\n");
    out.clear();
    assert_eq!(write_companies(&config, &mut out).unwrap(), 0);
    out.clear();
    assert_eq!(write_orders(&config, &mut out).unwrap(), 0);
}

#[test]
fn references_resolve() {
    let w = workspace();
    let companies: HashSet<&str> = w.companies.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(companies.len(), w.companies.rows.len(), "company ids are unique");
    assert_between("users per company", share(USERS, companies.len()), 10.0, 20.0);
    let users: HashSet<&str> = w.users.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(users.len(), USERS, "user ids are unique");

    let company_id = w.users.col("company_id");
    let without = w.users.rows.iter().filter(|r| r[company_id].is_empty()).count();
    assert_between("users without company", share(without, USERS), 0.01, 0.08);
    for row in &w.users.rows {
        assert!(row[company_id].is_empty() || companies.contains(row[company_id].as_str()));
    }
    let company_created: HashMap<&str, DateTime<Utc>> =
        w.companies.rows.iter().map(|r| (r[0].as_str(), time(&r[6]))).collect();
    let user_created = w.users.col("created_at");
    for row in w.users.rows.iter().filter(|r| !r[company_id].is_empty()) {
        let created = time(&row[user_created]);
        assert!(created >= company_created[row[company_id].as_str()], "{row:?}");
    }
    let customer = w.orders.col("customer_id");
    assert!(w.orders.rows.iter().all(|r| users.contains(r[customer].as_str())));
    assert!(w.events.rows.iter().all(|r| users.contains(r[0].as_str())));
    let order_ids: HashSet<&str> = w.orders.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(order_ids.len(), w.orders.rows.len(), "order ids are unique");
}

#[test]
fn last_seen_is_the_latest_event() {
    let w = workspace();
    let mut latest: HashMap<&str, DateTime<Utc>> = HashMap::new();
    for row in &w.events.rows {
        let at = time(&row[2]);
        latest.entry(row[0].as_str()).and_modify(|t| *t = (*t).max(at)).or_insert(at);
    }
    let (created_at, last_seen, churned_at) =
        (w.users.col("created_at"), w.users.col("last_seen_at"), w.users.col("churned_at"));
    let end = time("2025-06-30T23:59:59Z");
    let (mut online, mut current_seen) = (0, 0);
    for row in &w.users.rows {
        match latest.get(row[0].as_str()) {
            None => assert_eq!(row[last_seen], "", "{row:?}"),
            Some(at) => {
                assert_eq!(time(&row[last_seen]), *at, "{row:?}");
                assert!(*at >= time(&row[created_at]) && *at <= end, "{row:?}");
                if !row[churned_at].is_empty() {
                    assert!(*at <= time(&row[churned_at]), "no events after churn: {row:?}");
                } else {
                    current_seen += 1;
                    online += usize::from(end - *at <= chrono::TimeDelta::days(30));
                }
            }
        }
    }
    let without_events = USERS - latest.len();
    assert_between("users without events", share(without_events, USERS), 0.05, 0.25);
    assert_between("online share of active users", share(online, current_seen), 0.3, 0.85);
    assert_between("events per user", share(w.events.rows.len(), USERS), 10.0, 40.0);
}

#[test]
fn users_have_realistic_proportions() {
    let w = workspace();
    let col = |name| w.users.col(name);
    let (email, created, churned) = (col("email"), col("created_at"), col("churned_at"));
    let count = |f: &dyn Fn(&Vec<String>) -> bool| w.users.rows.iter().filter(|r| f(r)).count();

    let valid = |e: &str| {
        let parts: Vec<_> = e.split('@').collect();
        parts.len() == 2 && !parts[0].is_empty() && parts[1].contains('.') && !e.contains(' ')
    };
    let empty = count(&|r| r[email].is_empty());
    let invalid = count(&|r| !r[email].is_empty() && !valid(&r[email]));
    assert_between("empty emails", share(empty, USERS), 0.005, 0.04);
    assert_between("invalid emails", share(invalid, USERS), 0.015, 0.05);
    assert_between("churned", share(count(&|r| !r[churned].is_empty()), USERS), 0.06, 0.14);
    assert_between("with phone", share(count(&|r| !r[col("phone")].is_empty()), USERS), 0.5, 0.7);
    let complaints = count(&|r| !r[col("complaint_reason")].is_empty());
    assert_between("with complaint", share(complaints, USERS), 0.02, 0.15);

    let start = time("2023-06-30T00:00:00Z");
    let recent = time("2025-05-31T00:00:00Z");
    let end = time("2025-06-30T23:59:59Z");
    for row in &w.users.rows {
        let created = time(&row[created]);
        assert!(start <= created && created <= end, "{row:?}");
        if !row[churned].is_empty() {
            assert!(time(&row[churned]) > created, "{row:?}");
        }
        for consent in [col("email_consent"), col("sms_consent")] {
            assert!(row[consent] == "true" || row[consent] == "false", "{row:?}");
        }
        assert!(row[col("name")].contains(' '));
    }
    let new_users = count(&|r| time(&r[created]) >= recent);
    assert_between("created in the last 30 days", share(new_users, USERS), 0.02, 0.15);
}

#[test]
fn companies_have_plans_and_money() {
    let w = workspace();
    let (plan, arr) = (w.companies.col("plan"), w.companies.col("arr"));
    let plans: HashSet<&str> = w.companies.rows.iter().map(|r| r[plan].as_str()).collect();
    assert_eq!(plans, HashSet::from(["free", "starter", "pro", "enterprise"]));
    for row in &w.companies.rows {
        if row[plan] == "free" {
            assert_eq!(row[arr], "");
        } else if !row[arr].is_empty() {
            assert!(parse_minor(&row[arr]).unwrap() > 0, "{row:?}");
            assert_eq!(row[arr].split('.').nth(1).map(str::len), Some(2));
        }
        row[w.companies.col("employees")].parse::<u32>().unwrap();
        time(&row[w.companies.col("created_at")]);
    }
    let owners: HashSet<&str> = w.companies.rows.iter().map(|r| r[5].as_str()).collect();
    assert!((3..=10).contains(&owners.len()));
}

#[test]
fn orders_are_consistent() {
    let w = workspace();
    let col = |name| w.orders.col(name);
    let (customer, at, amount, gross, quantity) =
        (col("customer_id"), col("ordered_at"), col("amount"), col("gross_amount"), col("quantity"));
    let (channel, store, product) = (col("channel"), col("store"), col("product"));
    let users: HashMap<&str, &Vec<String>> = w.users.rows.iter().map(|r| (r[0].as_str(), r)).collect();
    let (created_col, churned_col) = (w.users.col("created_at"), w.users.col("churned_at"));
    let start = time("2023-06-30T00:00:00Z");
    let end = time("2025-06-30T23:59:59Z");

    /// Time, amount and product of each purchase.
    type Purchases<'a> = Vec<(DateTime<Utc>, i64, &'a str)>;
    let mut purchases_of: HashMap<&str, Purchases> = HashMap::new();
    let (mut refunds, mut discounted, mut purchases, mut no_gross) = (0, 0, 0, 0);
    let mut products = HashSet::new();
    for row in &w.orders.rows {
        let ordered = time(&row[at]);
        assert!(row[at].ends_with(":00Z"), "{row:?}");
        let user = users[row[customer].as_str()];
        assert!(ordered >= time(&user[created_col]) && ordered >= start, "{row:?}");
        assert!(ordered <= end, "{row:?}");
        let paid = parse_minor(&row[amount]).unwrap();
        assert_eq!(row[amount].split('.').nth(1).map(str::len), Some(2));
        let items: i64 = row[quantity].parse().unwrap();
        assert_eq!(paid.signum(), items.signum(), "{row:?}");
        match row[channel].as_str() {
            "web" => assert_eq!(row[store], ""),
            "store" => assert!(!row[store].is_empty()),
            other => panic!("channel {other}"),
        }
        products.insert(row[product].as_str());
        if paid < 0 {
            refunds += 1;
            let earlier = &purchases_of[row[customer].as_str()];
            assert!(
                earlier.iter().any(|&(t, a, p)| t <= ordered && a == -paid && p == row[product]),
                "refund of an earlier purchase: {row:?}"
            );
            continue;
        }
        purchases += 1;
        if !user[churned_col].is_empty() {
            assert!(ordered <= time(&user[churned_col]), "no purchase after churn: {row:?}");
        }
        if row[gross].is_empty() {
            no_gross += 1;
        } else {
            let gross = parse_minor(&row[gross]).unwrap();
            assert!(gross >= paid, "{row:?}");
            discounted += usize::from(gross > paid);
        }
        purchases_of.entry(&row[customer]).or_default().push((ordered, paid, &row[product]));
    }
    let rows = w.orders.rows.len();
    assert_between("orders per user", share(rows, USERS), 7.0, 13.0);
    assert_between("refunds", share(refunds, rows), 0.015, 0.05);
    assert_between("discounted purchases", share(discounted, purchases), 0.18, 0.33);
    assert_between("purchases without gross", share(no_gross, purchases), 0.05, 0.25);
    let never = USERS - purchases_of.len();
    assert_between("users who never buy", share(never, USERS), 0.10, 0.20);
    let once = purchases_of.values().filter(|p| p.len() == 1).count();
    assert_between("one-time buyers", share(once, USERS), 0.2, 0.45);
    assert!(purchases_of.values().any(|p| p.len() >= 50), "some heavy buyers");
    assert!(products.len() >= 15, "{products:?}");
}

/// The RFM segment of each buyer (docs/rfm.md), as of the last day, over all history.
fn rfm_segments(w: &Workspace) -> HashMap<&'static str, usize> {
    let end = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    struct Stats {
        last: NaiveDate,
        frequency: i64,
        monetary: i64,
    }
    let mut revenue: HashMap<&str, i64> = HashMap::new();
    let mut stats: HashMap<&str, Stats> = HashMap::new();
    for row in &w.orders.rows {
        let amount = parse_minor(&row[3]).unwrap();
        *revenue.entry(&row[1]).or_default() += amount;
        if amount > 0 {
            let day = time(&row[2]).date_naive();
            let s = stats.entry(&row[1]).or_insert(Stats { last: day, frequency: 0, monetary: 0 });
            s.last = s.last.max(day);
            s.frequency += 1;
        }
    }
    for (user, s) in &mut stats {
        s.monetary = revenue[user];
    }
    let values: Vec<[i64; 3]> = stats.values().map(|s| [-(end - s.last).num_days(), s.frequency, s.monetary]).collect();
    let n = values.len() as i64;
    let score = |v: &[i64; 3], k: usize| 1 + 5 * values.iter().filter(|o| o[k] < v[k]).count() as i64 / n;
    let mut segments = HashMap::new();
    for v in &values {
        let (r, f, m) = (score(v, 0), score(v, 1), score(v, 2));
        let fm = (f + m + 1) / 2;
        let segment = match (r, fm) {
            (4 | 5, 1) => "new",
            (4 | 5, 2 | 3) => "potential_loyalist",
            (5, _) => "champion",
            (3 | 4, 4 | 5) => "loyalist",
            (3, _) => "need_attention",
            (_, 3..) => "at_risk",
            (2, _) => "hibernating",
            _ => "lost",
        };
        *segments.entry(segment).or_default() += 1;
    }
    segments
}

#[test]
fn all_eight_rfm_segments_are_populated() {
    let segments = rfm_segments(workspace());
    eprintln!("{segments:?}");
    for key in ["champion", "loyalist", "potential_loyalist", "new", "need_attention", "at_risk", "hibernating", "lost"]
    {
        let size = segments.get(key).copied().unwrap_or(0);
        assert!(size >= 20, "{key} has {size} users: {segments:?}");
    }
}

/// With `heavy_tail`, purchases per buyer follow a power law: most buy a few times, some
/// thousands of times (with more than 511 purchases on one weekday, several on the same day),
/// and some orders have a zero amount; refunds stay about 3 %.
#[test]
fn heavy_tail_has_power_law_buyers() {
    let config = DemoConfig { users: 20_000, heavy_tail: true, ..config() };
    let mut bytes = Vec::new();
    write_orders(&config, &mut bytes).unwrap();
    let orders = Table::parse(&bytes);
    let (customer, at, amount) = (orders.col("customer_id"), orders.col("ordered_at"), orders.col("amount"));
    let mut per_user: HashMap<&str, Vec<(NaiveDate, i64)>> = HashMap::new();
    for row in &orders.rows {
        let paid = parse_minor(&row[amount]).unwrap();
        per_user.entry(row[customer].as_str()).or_default().push((time(&row[at]).date_naive(), paid));
    }
    let purchases = |orders: &[(NaiveDate, i64)]| orders.iter().filter(|(_, a)| *a > 0).count();
    let mut counts: Vec<usize> = per_user.values().map(|o| purchases(o)).collect();
    counts.sort_unstable();
    let median = counts[counts.len() / 2];
    let top = *counts.last().unwrap();
    assert!(median <= 3, "most buy a few times: median {median}");
    assert!(top >= 5_000, "a few buy thousands of times: top {top}");

    // The heaviest user: one weekday past 511 purchases, and runs on one day.
    let heaviest = per_user.values().max_by_key(|o| purchases(o)).unwrap();
    let mut weekdays = [0usize; 7];
    let mut days: HashMap<NaiveDate, usize> = HashMap::new();
    for (day, paid) in heaviest.iter().filter(|(_, a)| *a > 0) {
        weekdays[chrono::Datelike::weekday(day).num_days_from_monday() as usize] += 1;
        *days.entry(*day).or_default() += paid.signum() as usize;
    }
    assert!(weekdays.iter().any(|&n| n > 511), "{weekdays:?}");
    assert!(days.values().any(|&n| n >= 3), "several purchases on one day");

    let all = orders.rows.len() as f64;
    let zero = orders.rows.iter().filter(|r| parse_minor(&r[amount]).unwrap() == 0).count() as f64;
    let refunds = orders.rows.iter().filter(|r| parse_minor(&r[amount]).unwrap() < 0).count() as f64;
    assert!((0.005..0.02).contains(&(zero / all)), "zero amounts {}", zero / all);
    assert!((0.02..0.04).contains(&(refunds / all)), "refunds {}", refunds / all);
}
