//! The simulated world: who each user and company is, and when they order and use the product.
//!
//! Everything about user `i` comes from random streams keyed by (seed, purpose, i), so each file
//! can be written on its own, one user at a time, and still agree with the others: users.csv
//! replays the start of a user's event stream to learn the `last_seen_at` that events.csv writes.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::DemoConfig;
use crate::catalog::{COMPANY_NOUNS, COMPANY_PREFIXES, COMPANY_TLDS, LEGAL_FORMS, ORDER_HOURS, PRODUCTS};
use crate::text::Id;

pub(crate) const MINUTE: i64 = 60;
pub(crate) const DAY: i64 = 86_400;

/// What a random stream is used for; part of its key so the streams are independent.
#[derive(Clone, Copy)]
pub(crate) enum Purpose {
    Company = 0,
    Person = 1,
    Events = 2,
    Orders = 3,
}

pub(crate) struct World {
    pub users: usize,
    pub companies: usize,
    /// First second of the history.
    pub start: i64,
    /// Last second of the `end` day.
    pub end: i64,
    /// 23:59:00 of the `end` day: the latest minute-aligned time.
    pub end_minute: i64,
    user_width: usize,
    company_width: usize,
    keys: [[u8; 32]; 4],
    company_salt: u64,
    pub heavy_tail: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Buyer {
    Never,
    Once,
    Occasional,
    Regular,
    Heavy,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Engagement {
    None,
    Low,
    Medium,
    High,
}

/// The facts about a user that more than one file depends on.
pub(crate) struct Person {
    pub created: i64,
    pub churned: Option<i64>,
    /// When the user's activity stops: churn, a silent lapse, or the end of the history.
    pub fade: i64,
    pub company: Option<usize>,
    pub buyer: Buyer,
    pub engagement: Engagement,
    /// Preferred price third of the catalog (0 cheap .. 2 premium).
    pub tier: usize,
    /// Probability that an order is placed online rather than in a store.
    pub web_share: f64,
    pub home_store: usize,
}

pub(crate) struct Company {
    pub prefix: &'static str,
    pub noun: &'static str,
    pub legal_form: &'static str,
    pub tld: &'static str,
    pub created: i64,
}

/// The events of a user span `first..=last`; `last` is the user's `last_seen_at`.
pub(crate) struct EventPlan {
    pub count: u32,
    pub first: i64,
    pub last: i64,
}

impl World {
    pub fn new(config: &DemoConfig) -> Self {
        let end_day = config.end.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
        let start_date = config
            .end
            .checked_sub_months(chrono::Months::new(config.years.saturating_mul(12)))
            .unwrap_or(chrono::NaiveDate::MIN);
        let start = start_date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
        let end = end_day.timestamp() + DAY - 1;
        let mut keys = [[0u8; 32]; 4];
        let mut master = ChaCha8Rng::seed_from_u64(config.seed);
        for key in &mut keys {
            master.fill(key);
        }
        World {
            users: config.users,
            // About one company per 15 users.
            companies: config.users.div_ceil(15),
            start: start.timestamp(),
            end,
            end_minute: end - 59,
            user_width: digits(config.users).max(6),
            company_width: digits(config.users.div_ceil(15)).max(5),
            keys,
            company_salt: master.r#gen(),
            heavy_tail: config.heavy_tail,
        }
    }

    pub fn user_id(&self, index: usize) -> Id {
        Id::new(b'U', index as u64 + 1, self.user_width)
    }

    pub fn company_id(&self, index: usize) -> Id {
        Id::new(b'C', index as u64 + 1, self.company_width)
    }

    pub fn rng(&self, purpose: Purpose, index: usize) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(self.keys[purpose as usize]);
        rng.set_stream(index as u64);
        rng
    }

    /// The shared facts of user `index`, and the stream positioned after them (users.csv draws
    /// the user's other attributes from it).
    pub fn person(&self, index: usize) -> (Person, ChaCha8Rng) {
        let mut rng = self.rng(Purpose::Person, index);
        let company = (self.companies > 0 && !rng.gen_bool(0.04))
            .then(|| (rng.r#gen::<f64>().powf(1.3) * self.companies as f64) as usize);
        let company = company.map(|c| c.min(self.companies - 1));
        let history = (self.end_minute - self.start) / MINUTE;
        // Skewed towards recent sign-ups: the customer base grows.
        let mut created = self.start + MINUTE * (rng.r#gen::<f64>().powf(0.8) * history as f64) as i64;
        if let Some(company) = company {
            // Nobody joins a company before it exists.
            let company_created = self.company_created(company);
            if created < company_created {
                created = company_created + minutes_between(&mut rng, 0, self.end_minute - company_created);
            }
        }
        let left = self.end_minute - created;
        let churned =
            (rng.gen_bool(0.10) && left >= 2 * DAY).then(|| created + DAY + minutes_between(&mut rng, 0, left - DAY));
        let fade = match churned {
            Some(at) => at,
            None if rng.gen_bool(0.4) => created + minutes_between(&mut rng, 0, left),
            None => self.end_minute,
        };
        let buyer = match rng.gen_range(0..100) {
            0..15 => Buyer::Never,
            15..45 => Buyer::Once,
            45..70 => Buyer::Occasional,
            70..90 => Buyer::Regular,
            _ => Buyer::Heavy,
        };
        let engagement = match rng.gen_range(0..100) {
            0..12 => Engagement::None,
            12..45 => Engagement::Low,
            45..82 => Engagement::Medium,
            _ => Engagement::High,
        };
        let tier = rng.gen_range(0..3);
        let web_share = [0.95, 0.65, 0.25][rng.gen_range(0..3)];
        let home_store = rng.gen_range(0..crate::catalog::STORES.len());
        let person = Person { created, churned, fade, company, buyer, engagement, tier, web_share, home_store };
        (person, rng)
    }

    pub fn company(&self, index: usize) -> (Company, ChaCha8Rng) {
        let mut rng = self.rng(Purpose::Company, index);
        let company = Company {
            prefix: pick(&mut rng, COMPANY_PREFIXES),
            noun: pick(&mut rng, COMPANY_NOUNS),
            legal_form: pick(&mut rng, LEGAL_FORMS),
            tld: pick(&mut rng, COMPANY_TLDS),
            created: self.company_created(index),
        };
        (company, rng)
    }

    /// When company `index` was created: most predate the history, some joined during it.
    /// A hash rather than a stream, as every user's `created_at` depends on it.
    pub fn company_created(&self, index: usize) -> i64 {
        let hash = splitmix64(self.company_salt ^ index as u64);
        let minutes = (hash >> 8) as i64;
        if hash % 100 < 80 {
            self.start - MINUTE * (minutes % (3 * 365 * DAY / MINUTE))
        } else {
            let span = (self.end_minute - 30 * DAY - self.start).max(0) / MINUTE;
            self.start + MINUTE * (minutes % (span + 1))
        }
    }

    /// How many events the user has and when; the first draws of the user's event stream.
    pub fn event_plan(&self, person: &Person, rng: &mut ChaCha8Rng) -> Option<EventPlan> {
        let count = match person.engagement {
            Engagement::None => return None,
            Engagement::Low => rng.gen_range(1..=6),
            Engagement::Medium => rng.gen_range(6..=30),
            Engagement::High => rng.gen_range(30..=120),
        };
        let created = person.created;
        let last = if person.fade == self.end_minute {
            // Still a customer: most were around in the last two weeks, some drifted off.
            if rng.gen_bool(0.8) {
                between(rng, created.max(self.end - 14 * DAY), self.end)
            } else {
                between(rng, created, self.end)
            }
        } else {
            between(rng, created.max(person.fade - 10 * DAY), person.fade)
        };
        let first = created.max(last - 365 * DAY);
        Some(EventPlan { count, first, last })
    }

    /// Times of the user's purchases, ascending, into `times`.
    pub fn purchase_times(&self, person: &Person, rng: &mut ChaCha8Rng, times: &mut Vec<i64>) {
        times.clear();
        let interval_days = match person.buyer {
            Buyer::Never => return,
            Buyer::Once => f64::INFINITY,
            Buyer::Occasional => 60.0,
            Buyer::Regular => 14.0,
            Buyer::Heavy => 4.5,
        };
        if self.heavy_tail {
            return self.heavy_tailed_times(person, rng, times);
        }
        let window = person.fade - person.created;
        let expected = window as f64 / DAY as f64 / interval_days * rng.gen_range(0.5..1.5);
        let count = (expected.round() as usize).clamp(1, 400);
        for _ in 0..count {
            times.push(self.order_time(rng, person.created, person.fade));
        }
        times.sort_unstable();
    }

    /// [`World::purchase_times`] with a power law: P(count ≥ n) = 1/n (about 100 buyers in a
    /// million with 10 000 or more, capped at 50 000; about 12 a buyer on average). Beyond
    /// 100 purchases a user keeps to one weekday for most of them, and orders often come in
    /// runs on the same day.
    fn heavy_tailed_times(&self, person: &Person, rng: &mut ChaCha8Rng, times: &mut Vec<i64>) {
        let u: f64 = rng.gen_range(f64::EPSILON..1.0);
        let count = ((1.0 / u) as usize).clamp(1, 50_000);
        let weekday = rng.gen_range(0..7);
        for _ in 0..count {
            let mut time = self.order_time(rng, person.created, person.fade);
            if count > 100 && rng.gen_bool(0.7) {
                // To the chosen weekday of the same week (1970-01-01, day 0, was a Thursday),
                // unless that leaves the user's window.
                let day = time.div_euclid(DAY);
                let moved = time + (weekday - (day + 3).rem_euclid(7)) * DAY;
                if (person.created..=person.fade).contains(&moved) {
                    time = moved;
                }
            }
            times.push(time);
        }
        times.sort_unstable();
        // Runs on one day: an order a few minutes after the one before it.
        for i in 1..times.len() {
            if rng.gen_bool(0.3) {
                let next = times[i - 1] + MINUTE * rng.gen_range(1..90);
                if next.div_euclid(DAY) == times[i - 1].div_euclid(DAY) && next <= person.fade {
                    times[i] = next;
                }
            }
        }
        times.sort_unstable();
    }

    /// A minute in `lo..=hi`, more likely by day than by night.
    pub fn order_time(&self, rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
        let time = lo + minutes_between(rng, 0, hi - lo);
        // Move it to an hour of the same day drawn by weight, unless that leaves the window.
        let hour = pick_weighted(rng, &ORDER_HOURS);
        let moved = time - time.rem_euclid(DAY) + hour * 3600 + time.rem_euclid(3600);
        if (lo..=hi).contains(&moved) { moved } else { time }
    }
}

/// Four coin flips from one 64-bit draw, 16 bits each.
pub(crate) struct Coins {
    bits: u64,
    left: u8,
}

impl Coins {
    pub fn draw(rng: &mut ChaCha8Rng) -> Coins {
        Coins { bits: rng.r#gen(), left: 4 }
    }

    /// True with probability `p` (to within 1/65536).
    pub fn flip(&mut self, p: f64) -> bool {
        assert!(self.left > 0, "only four flips per draw");
        self.left -= 1;
        let ticket = self.bits & 0xffff;
        self.bits >>= 16;
        (ticket as f64) < p * 65_536.0
    }
}

/// A product index, mostly from the user's price tier.
pub(crate) fn product_for(rng: &mut ChaCha8Rng, tier: usize) -> usize {
    let n = PRODUCTS.len();
    if rng.gen_bool(0.6) { rng.gen_range(tier * n / 3..(tier + 1) * n / 3) } else { rng.gen_range(0..n) }
}

/// Uniform in `lo..=hi` (`lo` when the range is empty).
pub(crate) fn between(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo { lo } else { rng.gen_range(lo..=hi) }
}

/// A whole number of minutes in `lo..=hi` seconds, as seconds.
fn minutes_between(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
    MINUTE * between(rng, lo.div_euclid(MINUTE) + i64::from(lo % MINUTE != 0), hi.div_euclid(MINUTE))
}

pub(crate) fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

/// An item of `(item, weight)` pairs, by weight.
pub(crate) fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.gen_range(0..total);
    for &(item, weight) in items {
        if ticket < weight {
            return item;
        }
        ticket -= weight;
    }
    items[items.len() - 1].0
}

/// SplitMix64's output function: a well-mixed 64-bit hash of `x`.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}
