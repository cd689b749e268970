//! A seeded generator of realistic segmenta workspaces, for `segmenta demo` (a few thousand
//! users) and for benchmark data (a million users, ten million orders).
//!
//! It writes the four import files of docs/data.md as CSV, with exactly the columns the
//! importer expects plus a few extra columns that become custom properties:
//!
//! - `companies.csv` — about one company per 15 users: names, industries, plans
//!   (`free`/`starter`/`pro`/`enterprise`), ARR (empty on the free plan and for a few others),
//!   account-manager owners, creation dates; extras `employees` and `region`.
//! - `users.csv` — people with realistic names and emails derived from them (about 3% invalid
//!   addresses and 2% empty), phones for about 60%, consents, small enum vocabularies,
//!   about 10% churned, a few without a company, sign-ups over the whole history (more of them
//!   recently); `last_seen_at` is the time of the user's latest event; extras
//!   `newsletter_topic` and `age`.
//! - `orders.csv` — `years` of history ending on `end`, about 10 orders per user with a skewed
//!   distribution (about 15% never buy, many buy once, a few buy every few days), users who
//!   lapse or churn and stop ordering, so that all eight RFM segments are populated; about 3%
//!   refunds (the negated amount and quantity of an earlier order of the same user), discounts
//!   on about 25% of purchases, web and store channels, a catalog of 20 products.
//!   With `heavy_tail`, purchases per buyer follow a power law (a few users with 10 000 or more
//!   orders, many of them on one weekday and on the same day) and about 1 % are zero amounts.
//! - `events.csv` — product-usage events, many for engaged users and none for some; most
//!   current users were seen in the last two weeks, lapsed and churned users earlier.
//!
//! Output is deterministic: the same [`DemoConfig`] gives byte-identical files. Each user's
//! data comes from random streams keyed by (seed, purpose, user index), so every file is
//! written in one streaming pass with memory bounded regardless of size, and the files agree
//! with each other without any of them being held in memory.
//!
//! `cargo run --release -p demo --example demo_bench -- USERS DIR` writes a workspace and
//! reports the speed of each file.

mod catalog;
mod model;
mod text;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rand::Rng;

use catalog::*;
use model::{Coins, DAY, MINUTE, Purpose, World, pick, pick_weighted, product_for};
use text::{Id, Rows};

pub const COMPANY_COLUMNS: &[&str] =
    &["external_id", "name", "industry", "plan", "arr", "owner", "created_at", "employees", "region"];

pub const USER_COLUMNS: &[&str] = &[
    "external_id",
    "email",
    "name",
    "company_id",
    "created_at",
    "last_seen_at",
    "churned_at",
    "role",
    "country",
    "phone",
    "acquisition_channel",
    "client_type",
    "payment_type",
    "invoice_period",
    "complaint_reason",
    "email_consent",
    "sms_consent",
    "newsletter_topic",
    "age",
];

pub const ORDER_COLUMNS: &[&str] =
    &["order_id", "customer_id", "ordered_at", "amount", "gross_amount", "quantity", "channel", "store", "product"];

pub const EVENT_COLUMNS: &[&str] = &["customer_id", "name", "occurred_at"];

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    pub users: usize,
    pub seed: u64,
    /// "Today": the last day of the history.
    pub end: chrono::NaiveDate,
    /// Length of the history in years.
    pub years: u32,
    /// Purchases per buyer drawn from a power law instead of a capped rate: most buy a few
    /// times, a few thousand times and more (wholesale accounts, company cards), mostly on
    /// one weekday and often several times a day; about 1 % of orders have a zero amount.
    pub heavy_tail: bool,
}

impl DemoConfig {
    /// `users` users, seed 42, two years of history ending yesterday (UTC), so that no
    /// generated order or event lies in the future.
    pub fn new(users: usize) -> Self {
        DemoConfig {
            users,
            seed: 42,
            end: chrono::Utc::now().date_naive() - chrono::Days::new(1),
            years: 2,
            heavy_tail: false,
        }
    }
}

/// Where [`write_files`] put each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFiles {
    pub companies: PathBuf,
    pub users: PathBuf,
    pub orders: PathBuf,
    pub events: PathBuf,
}

/// Data rows written per file (header rows not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub companies: u64,
    pub users: u64,
    pub orders: u64,
    pub events: u64,
}

/// Writes companies.csv, users.csv, orders.csv, events.csv into `dir` (which must exist).
pub fn write_files(config: &DemoConfig, dir: &Path) -> io::Result<(DemoFiles, Counts)> {
    let files = DemoFiles {
        companies: dir.join("companies.csv"),
        users: dir.join("users.csv"),
        orders: dir.join("orders.csv"),
        events: dir.join("events.csv"),
    };
    let create = |path: &Path| File::create(path).map(|f| BufWriter::with_capacity(1 << 16, f));
    let counts = Counts {
        companies: write_companies(config, create(&files.companies)?)?,
        users: write_users(config, create(&files.users)?)?,
        orders: write_orders(config, create(&files.orders)?)?,
        events: write_events(config, create(&files.events)?)?,
    };
    Ok((files, counts))
}

/// Writes the companies CSV to `out` (flushed at the end); returns the number of rows.
pub fn write_companies(config: &DemoConfig, out: impl Write) -> io::Result<u64> {
    let world = World::new(config);
    let mut rows = Rows::new(out, COMPANY_COLUMNS).with_dates(world.start, world.end);
    for index in 0..world.companies {
        let (company, mut rng) = world.company(index);
        let (plan, arr_low, arr_high) = pick_weighted(&mut rng, PLANS);
        rows.id(&world.company_id(index)).comma();
        rows.str(company.prefix).byte(b' ').str(company.noun).str(company.legal_form).comma();
        rows.str(pick(&mut rng, INDUSTRIES)).comma().str(plan).comma();
        if arr_high > 0 && !rng.gen_bool(0.1) {
            // A monthly price ending in .99, times twelve.
            let monthly = rng.gen_range(arr_low / 12..=arr_high / 12).max(2) * 100 - 1;
            rows.money(monthly * 12);
        }
        rows.comma().str(pick(&mut rng, OWNERS)).comma();
        rows.timestamp(company.created).comma();
        let (low, high): (f64, f64) = match plan {
            "free" => (1.0, 20.0),
            "starter" => (5.0, 120.0),
            "pro" => (20.0, 1_500.0),
            _ => (300.0, 25_000.0),
        };
        let employees = (low.ln() + rng.r#gen::<f64>() * (high.ln() - low.ln())).exp();
        rows.uint(employees.round() as u64).comma();
        rows.str(pick_weighted(&mut rng, REGIONS));
        rows.end_row()?;
    }
    rows.finish()
}

/// Writes the users CSV to `out` (flushed at the end); returns the number of rows.
pub fn write_users(config: &DemoConfig, out: impl Write) -> io::Result<u64> {
    let world = World::new(config);
    let mut rows = Rows::new(out, USER_COLUMNS).with_dates(world.start, world.end);
    for index in 0..world.users {
        let (person, mut rng) = world.person(index);
        let last_seen = world.event_plan(&person, &mut world.rng(Purpose::Events, index)).map(|plan| plan.last);
        let first = pick(&mut rng, FIRST_NAMES);
        let last = pick(&mut rng, LAST_NAMES);

        rows.id(&world.user_id(index)).comma();
        write_email(&world, &mut rows, &mut rng, &person, first, last);
        rows.comma().str(first).byte(b' ').str(last).comma();
        if let Some(company) = person.company {
            rows.id(&world.company_id(company));
        }
        rows.comma().timestamp(person.created).comma();
        if let Some(at) = last_seen {
            rows.timestamp(at);
        }
        rows.comma();
        if let Some(at) = person.churned {
            rows.timestamp(at);
        }
        rows.comma().str(pick_weighted(&mut rng, ROLES)).comma();
        let (country, calling_code) = pick_weighted(&mut rng, COUNTRIES);
        rows.str(country).comma();
        let has_phone = rng.gen_bool(0.6);
        if has_phone {
            rows.byte(b'+').str(calling_code).uint(rng.gen_range(100_000_000..1_000_000_000));
        }
        rows.comma().str(pick_weighted(&mut rng, ACQUISITION_CHANNELS)).comma();
        let business = person.company.is_some() && rng.gen_bool(0.9);
        rows.str(if business { "business" } else { "individual" }).comma();
        rows.str(pick_weighted(&mut rng, PAYMENT_TYPES)).comma();
        if business {
            rows.str(pick_weighted(&mut rng, INVOICE_PERIODS));
        }
        rows.comma();
        let complaint_rate = if person.churned.is_some() { 0.35 } else { 0.04 };
        if rng.gen_bool(complaint_rate) {
            rows.str(pick(&mut rng, COMPLAINT_REASONS));
        }
        let email_consent = rng.gen_bool(0.7);
        let sms_consent = has_phone && rng.gen_bool(0.45);
        rows.comma().str(bool_text(email_consent)).comma().str(bool_text(sms_consent)).comma();
        if email_consent && rng.gen_bool(0.75) {
            rows.str(pick(&mut rng, NEWSLETTER_TOPICS));
        }
        rows.comma();
        if rng.gen_bool(0.85) {
            rows.uint(rng.gen_range(18..=78));
        }
        rows.end_row()?;
    }
    rows.finish()
}

/// Writes the orders CSV to `out` (flushed at the end); returns the number of rows.
pub fn write_orders(config: &DemoConfig, out: impl Write) -> io::Result<u64> {
    let world = World::new(config);
    let mut rows = Rows::new(out, ORDER_COLUMNS).with_dates(world.start, world.end);
    let mut times = Vec::new();
    let mut order_id = Id::new(b'O', 1, 8);
    for index in 0..world.users {
        let (person, _) = world.person(index);
        let user_id = world.user_id(index);
        let mut rng = world.rng(Purpose::Orders, index);
        world.purchase_times(&person, &mut rng, &mut times);
        for &time in &times {
            let (product, price) = PRODUCTS[product_for(&mut rng, person.tier)];
            let quantity = pick_weighted(&mut rng, &[(1, 75), (2, 17), (3, 6), (4, 1), (5, 1)]);
            let gross = price * quantity;
            // One draw for the row's four coin flips: this loop writes ten million rows.
            let mut coins = Coins::draw(&mut rng);
            let discounted = coins.flip(0.25);
            let amount = if world.heavy_tail && rng.gen_bool(0.01) {
                0
            } else if discounted {
                let percent = pick(&mut rng, &[5, 10, 10, 15, 20, 20, 25, 30, 40]);
                gross - gross * percent / 100
            } else {
                gross
            };
            let show_gross = discounted || coins.flip(0.8);
            let store = (!coins.flip(person.web_share))
                .then(|| if rng.gen_bool(0.8) { STORES[person.home_store] } else { pick(&mut rng, STORES) });
            let refund_at = (coins.flip(0.031) && amount != 0).then(|| {
                let after = model::between(&mut rng, DAY / MINUTE, 21 * DAY / MINUTE) * MINUTE;
                (time + after).min(world.end_minute)
            });
            for (at, sign) in std::iter::once((time, 1)).chain(refund_at.map(|at| (at, -1))) {
                rows.id(&order_id).comma().id(&user_id).comma();
                order_id.increment();
                rows.timestamp(at).comma().money(sign * amount).comma();
                if sign > 0 && show_gross {
                    rows.money(gross);
                }
                rows.comma().int(sign * quantity).comma();
                match store {
                    Some(store) => rows.str("store,").str(store),
                    None => rows.str("web,"),
                };
                rows.comma().str(product);
                rows.end_row()?;
            }
        }
    }
    rows.finish()
}

/// Writes the events CSV to `out` (flushed at the end); returns the number of rows.
pub fn write_events(config: &DemoConfig, out: impl Write) -> io::Result<u64> {
    let world = World::new(config);
    let mut rows = Rows::new(out, EVENT_COLUMNS).with_dates(world.start, world.end);
    let mut times = Vec::new();
    for index in 0..world.users {
        let (person, _) = world.person(index);
        let mut rng = world.rng(Purpose::Events, index);
        let Some(plan) = world.event_plan(&person, &mut rng) else {
            continue;
        };
        times.clear();
        times.extend((1..plan.count).map(|_| model::between(&mut rng, plan.first, plan.last)));
        times.sort_unstable();
        times.push(plan.last);
        let user_id = world.user_id(index);
        for &time in &times {
            rows.id(&user_id).comma();
            rows.str(pick_weighted(&mut rng, EVENTS)).comma().timestamp(time);
            rows.end_row()?;
        }
    }
    rows.finish()
}

fn write_email<W: Write>(
    world: &World,
    rows: &mut Rows<W>,
    rng: &mut rand_chacha::ChaCha8Rng,
    person: &model::Person,
    first: &str,
    last: &str,
) {
    let roll = rng.gen_range(0..1000);
    if roll < 20 {
        return; // no address on file
    }
    match rng.gen_range(0..6) {
        0 => rows.ascii_slug(first).byte(b'.').ascii_slug(last),
        1 => rows.ascii_slug(first.get(..1).unwrap_or(first)).ascii_slug(last),
        2 => rows.ascii_slug(first).ascii_slug(last),
        3 => rows.ascii_slug(first).byte(b'_').ascii_slug(last),
        4 => rows.ascii_slug(first).byte(b'.').ascii_slug(last).uint(rng.gen_range(1..100)),
        _ => rows.ascii_slug(first).uint(rng.gen_range(1960..2006)),
    };
    // About 3% are malformed the way real imports are.
    let separator = match roll {
        20..32 => ".", // missing '@'
        32..41 => {
            rows.byte(b'@'); // missing domain
            return;
        }
        41..50 => "@@",
        _ => "@",
    };
    rows.str(separator);
    match person.company {
        Some(index) if rng.gen_bool(0.5) => {
            let (company, _) = world.company(index);
            rows.ascii_slug(company.prefix).ascii_slug(company.noun).str(company.tld)
        }
        _ => rows.str(pick(rng, EMAIL_DOMAINS)),
    };
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}
