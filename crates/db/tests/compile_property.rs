//! The condition compiler agrees with the in-memory reference: random condition trees over a
//! representative set of fields, evaluated by SQLite and PostgreSQL over random users (with
//! companies, orders, events, custom properties of right and wrong kinds, segment
//! memberships, NULLs, odd case, `%` and `_` in text) select exactly the users
//! `domain::conditions::evaluate` selects on the same data.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use domain::conditions::{
    self, Behaviour, CatalogContext, CompanyField, ConditionGroup, FieldRef, FieldType, PropertyDef, RfmField,
    ScoreKind, SegmentRef, UserField, Value,
};
use domain::rfm::RfmSegment;
use domain::scores::EngagementLabel;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Value as Json, json};

mod common;

use db::compile::{Env, compile};
use db::sql::{Count, Dialect, Param, Query};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 6, 15).unwrap().and_hms_opt(12, 0, 0).unwrap()
}

// ---------------------------------------------------------------------------------------
// Generated data

#[derive(Debug, Clone)]
struct CompanyData {
    name: Option<String>,
    plan: Option<String>,
    arr: Option<i64>,
    created_at: Option<NaiveDateTime>,
    properties: Json,
}

#[derive(Debug, Clone)]
struct OrderData {
    at: NaiveDateTime,
    amount: i64,
    product: Option<String>,
}

#[derive(Debug, Clone)]
struct UserData {
    email: Option<String>,
    name: Option<String>,
    country: Option<String>,
    created_at: Option<NaiveDateTime>,
    last_seen_at: Option<NaiveDateTime>,
    churned_at: Option<NaiveDateTime>,
    email_consent: Option<bool>,
    company: Option<usize>,
    properties: Json,
    r_score: Option<i32>,
    rfm_segment: Option<String>,
    health: Option<i32>,
    engagement: Option<i32>,
    preferred_day: Option<String>,
    orders: Vec<OrderData>,
    events: Vec<(String, NaiveDateTime)>,
    segments: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Dataset {
    window_days: i64,
    companies: Vec<CompanyData>,
    users: Vec<UserData>,
}

const TEXTS: &[&str] = &["a", "A", "ab", "aB", "%", "_", "a%", "a_b", "é", "É", "", "b"];
const PRODUCTS: &[&str] = &["Hat", "hat", "50%_off", "Socks"];
const EVENTS: &[&str] = &["login", "Login", "report.exported"];
const PLANS: &[&str] = &["free", "pro", "Pro"];
const SEGMENTS: usize = 2;

fn text() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        2 => prop::sample::select(TEXTS).prop_map(|s| Some(s.to_string())),
        2 => "[aAbB%_éÉ]{0,3}".prop_map(Some),
    ]
}

/// Instants around `now`: midnights, the last second of a day, noon (where `N` days before
/// `now` falls) plus or minus a second, and arbitrary minutes.
fn instant() -> impl Strategy<Value = NaiveDateTime> {
    let day = (0i64..80).prop_map(|d| NaiveDate::from_ymd_opt(2024, 4, 1).unwrap() + Duration::days(d));
    (day, 0u8..5, 0i64..1440).prop_map(|(d, kind, minute)| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap();
        match kind {
            0 => midnight,
            1 => midnight + Duration::seconds(86_399),
            2 => midnight + Duration::hours(12),
            3 => midnight + Duration::hours(12) - Duration::seconds(1),
            _ => midnight + Duration::minutes(minute),
        }
    })
}

fn maybe<T: std::fmt::Debug + Clone>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    prop_oneof![1 => Just(None), 3 => s.prop_map(Some)]
}

/// A property object whose values are sometimes of the declared kind, sometimes not.
fn properties(keys: [&'static str; 3]) -> impl Strategy<Value = Json> {
    let value = prop_oneof![
        Just(Json::Null),
        (-3i64..60).prop_map(Json::from),
        (-4i32..8).prop_map(|n| json!(f64::from(n) / 2.0)),
        prop::sample::select(TEXTS).prop_map(Json::from),
        any::<bool>().prop_map(Json::from),
    ];
    prop::collection::vec(value, 3).prop_map(move |values| {
        let mut map = serde_json::Map::new();
        for (key, value) in keys.iter().zip(values) {
            if !value.is_null() {
                map.insert((*key).to_string(), value);
            }
        }
        Json::Object(map)
    })
}

fn company() -> impl Strategy<Value = CompanyData> {
    (
        text(),
        maybe(prop::sample::select(PLANS).prop_map(String::from)),
        maybe(prop::sample::select(vec![-150i64, 0, 150, 1000, 1001, 250_000])),
        maybe(instant()),
        properties(["employees", "tier", "flag"]),
    )
        .prop_map(|(name, plan, arr, created_at, properties)| CompanyData {
            name,
            plan,
            arr,
            created_at,
            properties,
        })
}

fn order() -> impl Strategy<Value = OrderData> {
    (
        instant(),
        prop::sample::select(vec![-500i64, -1, 0, 1, 150, 999, 1000, 2500]),
        maybe(prop::sample::select(PRODUCTS).prop_map(String::from)),
    )
        .prop_map(|(at, amount, product)| OrderData { at, amount, product })
}

fn user(companies: usize) -> impl Strategy<Value = UserData> {
    let who = (text(), text(), text(), maybe(instant()), maybe(instant()));
    let flags = (
        prop_oneof![3 => Just(None), 1 => instant().prop_map(Some)],
        maybe(any::<bool>()),
        if companies == 0 { Just(None).boxed() } else { maybe(0..companies).boxed() },
        properties(["age", "topic", "vip"]),
    );
    let scores = (
        maybe(1i32..=5),
        maybe(prop::sample::select(RfmSegment::ALL.to_vec()).prop_map(|s| s.key().to_string())),
        maybe(prop::sample::select(vec![0i32, 33, 34, 50, 66, 67, 100])),
        maybe(prop::sample::select(vec![0i32, 33, 34, 50, 66, 67, 100])),
        maybe(prop::sample::select(conditions::WEEKDAYS.to_vec()).prop_map(String::from)),
    );
    let activity = (
        prop::collection::vec(order(), 0..5),
        prop::collection::vec((prop::sample::select(EVENTS).prop_map(String::from), instant()), 0..5),
        prop::collection::btree_set(0..SEGMENTS, 0..=SEGMENTS),
    );
    (who, flags, scores, activity).prop_map(
        |(
            (email, name, country, created_at, last_seen_at),
            (churned_at, email_consent, company, properties),
            (r_score, rfm_segment, health, engagement, preferred_day),
            (orders, events, segments),
        )| UserData {
            email,
            name,
            country,
            created_at,
            last_seen_at,
            churned_at,
            email_consent,
            company,
            properties,
            r_score,
            rfm_segment,
            health,
            engagement,
            preferred_day,
            orders,
            events,
            segments: segments.into_iter().collect(),
        },
    )
}

fn dataset() -> impl Strategy<Value = Dataset> {
    (1i64..60, prop::collection::vec(company(), 0..4)).prop_flat_map(|(window_days, companies)| {
        let n = companies.len();
        prop::collection::vec(user(n), 3..16).prop_map(move |users| Dataset {
            window_days,
            companies: companies.clone(),
            users,
        })
    })
}

// ---------------------------------------------------------------------------------------
// Generated trees

/// Fields the trees use, with the kind of value their conditions take.
const FIELDS: &[&str] = &[
    "user.email",
    "user.name",
    "user.country",
    "user.created_at",
    "user.last_seen_at",
    "user.churned_at",
    "user.email_consent",
    "user.activity",
    "user.engagement_label",
    "user.preferred_purchase_day",
    "company.name",
    "company.plan",
    "company.arr",
    "company.created_at",
    "user.properties.age",
    "user.properties.topic",
    "user.properties.vip",
    "company.properties.employees",
    "company.properties.tier",
    "company.properties.flag",
    "rfm.segment",
    "rfm.r_score",
    "score.health",
    "score.engagement",
    "behaviour.purchases_total",
    "behaviour.revenue_total",
    "behaviour.first_purchase_at",
    "behaviour.last_purchase_at",
    "behaviour.purchases_last_30d",
    "behaviour.revenue_last_30d",
    "behaviour.events.login.count_last_30d",
    "behaviour.events.report.exported.count_last_7d",
    "behaviour.product",
    "segment",
];

fn catalog_context() -> CatalogContext {
    let prop = |name: &str, ty| PropertyDef { name: name.into(), ty };
    CatalogContext {
        user_properties: vec![
            prop("age", FieldType::Number),
            prop("topic", FieldType::Text),
            prop("vip", FieldType::Boolean),
        ],
        company_properties: vec![
            prop("employees", FieldType::Number),
            prop("tier", FieldType::Text),
            prop("flag", FieldType::Boolean),
        ],
        event_names: EVENTS.iter().map(|s| s.to_string()).collect(),
        products: Vec::new(),
        // Slots, replaced by the real ids once the segments exist.
        segments: (0..SEGMENTS as i64).map(|id| SegmentRef { id, name: format!("s{id}") }).collect(),
        ..CatalogContext::default()
    }
}

fn number_value(money: bool) -> BoxedStrategy<Json> {
    if money {
        prop::sample::select(vec![
            json!(0),
            json!(-1.5),
            json!(1.5),
            json!(10),
            json!(10.004),
            json!(9.995),
            json!(2500),
        ])
        .boxed()
    } else {
        prop::sample::select(vec![
            json!(-1),
            json!(0),
            json!(0.5),
            json!(1),
            json!(2),
            json!(3),
            json!(33.5),
            json!(34),
            json!(67),
        ])
        .boxed()
    }
}

fn date_value() -> impl Strategy<Value = Json> {
    prop_oneof![
        (1u32..=30).prop_map(|d| json!(format!("2024-06-{d:02}"))),
        (1u32..=30).prop_map(|d| json!(format!("2024-05-{d:02}"))),
        (1u32..=30, 0u32..24).prop_map(|(d, h)| json!(format!("2024-06-{d:02}T{h:02}:00:00Z"))),
        (1u32..=30).prop_map(|d| json!(format!("2024-06-{d:02}T14:00:00+02:00"))),
    ]
}

fn condition() -> impl Strategy<Value = Json> {
    let ctx = catalog_context();
    prop::sample::select(FIELDS).prop_flat_map(move |key| {
        let field = FieldRef::parse(key).unwrap();
        let ty = field.ty(&ctx).unwrap();
        let money = field.is_money();
        let enum_values: Vec<String> = match &field {
            FieldRef::Behaviour(Behaviour::Product) => PRODUCTS.iter().map(|s| s.to_string()).collect(),
            other => other.allowed_values(&ctx).unwrap_or_default(),
        };
        let ops = ty.ops().to_vec();
        (Just(key), prop::sample::select(ops), Just(ty), Just(money), Just(enum_values)).prop_flat_map(
            |(key, op, ty, money, enum_values)| {
                use conditions::Op::*;
                let scalar: BoxedStrategy<Json> = match ty {
                    FieldType::Text => prop::sample::select(TEXTS).prop_map(Json::from).boxed(),
                    FieldType::Number | FieldType::Money => number_value(money),
                    FieldType::Enum => prop::sample::select(enum_values).prop_map(Json::from).boxed(),
                    FieldType::Segment => (0..SEGMENTS as i64).prop_map(|s| json!({"$segment": s})).boxed(),
                    _ => Just(Json::Null).boxed(),
                };
                let value: BoxedStrategy<Json> = match op {
                    IsSet | IsNotSet | IsTrue | IsFalse => Just(Json::Null).boxed(),
                    Contains | NotContains | StartsWith | EndsWith => prop::sample::select(TEXTS)
                        .prop_filter("non-empty", |s| !s.is_empty())
                        .prop_map(Json::from)
                        .boxed(),
                    In | NotIn => prop::collection::vec(scalar, 1..3).prop_map(Json::from).boxed(),
                    Between if ty == FieldType::Date => (date_value(), date_value())
                        .prop_map(|(a, b)| {
                            let (a, b) = (a.as_str().unwrap().to_string(), b.as_str().unwrap().to_string());
                            let start = |s: &str| conditions::DateValue::parse(s).unwrap().start();
                            if start(&a) <= start(&b) { json!([a, b]) } else { json!([b, a]) }
                        })
                        .boxed(),
                    Between => (scalar.clone(), scalar)
                        .prop_map(|(a, b)| if a.as_f64() <= b.as_f64() { json!([a, b]) } else { json!([b, a]) })
                        .boxed(),
                    Before | After => date_value().boxed(),
                    InLastDays | NotInLastDays => {
                        prop::sample::select(vec![1u32, 7, 30, 45]).prop_map(Json::from).boxed()
                    }
                    _ => scalar,
                };
                value.prop_map(move |value| {
                    let mut c = json!({"field": key, "op": op.key()});
                    if !value.is_null() {
                        c["value"] = value;
                    }
                    c
                })
            },
        )
    })
}

fn tree() -> impl Strategy<Value = Json> {
    let leaf = condition();
    // Nested groups are rarely empty (validation rejects those; evaluation still defines them).
    let node = leaf.prop_recursive(2, 12, 4, |inner| {
        (any::<bool>(), prop_oneof![1 => Just(Vec::new()), 12 => prop::collection::vec(inner, 1..4)])
            .prop_map(|(all, items)| json!({"match": if all { "all" } else { "any" }, "conditions": items}))
    });
    (any::<bool>(), prop::collection::vec(node, 0..4))
        .prop_map(|(all, items)| json!({"match": if all { "all" } else { "any" }, "conditions": items}))
}

/// Every (field, operator) pair of [`FIELDS`] with a spread of values: single-condition
/// trees, checked on each generated dataset (random trees alone reach a given boundary
/// rarely).
fn single_conditions() -> Vec<Json> {
    use conditions::Op::*;
    let ctx = catalog_context();
    let mut out = Vec::new();
    for key in FIELDS {
        let field = FieldRef::parse(key).unwrap();
        let ty = field.ty(&ctx).unwrap();
        let scalars: Vec<Json> = match ty {
            FieldType::Text => TEXTS.iter().map(|t| json!(t)).collect(),
            FieldType::Number => [-1.0, 0.0, 0.5, 1.0, 2.0, 34.0, 67.0].iter().map(|n| json!(n)).collect(),
            FieldType::Money => [0.0, -1.5, 1.5, 10.0, 10.004, 9.995].iter().map(|n| json!(n)).collect(),
            FieldType::Enum => match &field {
                FieldRef::Behaviour(Behaviour::Product) => PRODUCTS.iter().map(|p| json!(p)).collect(),
                other => other.allowed_values(&ctx).unwrap_or_default().into_iter().map(Json::from).collect(),
            },
            FieldType::Segment => (0..SEGMENTS).map(|s| json!({"$segment": s})).collect(),
            _ => Vec::new(),
        };
        let dates = ["2024-06-01", "2024-06-14", "2024-06-15", "2024-05-16T12:00:00Z", "2024-06-15T14:00:00+02:00"];
        for op in ty.ops() {
            let values: Vec<Json> = match op {
                IsSet | IsNotSet | IsTrue | IsFalse => vec![Json::Null],
                Contains | NotContains | StartsWith | EndsWith => {
                    TEXTS.iter().filter(|t| !t.is_empty()).map(|t| json!(t)).collect()
                }
                In | NotIn => scalars.windows(2).map(|w| json!(w)).chain(scalars.iter().map(|v| json!([v]))).collect(),
                Between if ty == FieldType::Date => {
                    vec![json!(["2024-06-01", "2024-06-14"]), json!(["2024-05-16T12:00:00Z", "2024-06-15"])]
                }
                Between => scalars
                    .windows(2)
                    .map(|w| if w[0].as_f64() <= w[1].as_f64() { json!([w[0], w[1]]) } else { json!([w[1], w[0]]) })
                    .collect(),
                Before | After => dates.iter().map(|d| json!(d)).collect(),
                InLastDays | NotInLastDays => vec![json!(1), json!(30), json!(45)],
                _ => scalars.clone(),
            };
            for value in values {
                let mut c = json!({"field": key, "op": op.key()});
                if !value.is_null() {
                    c["value"] = value;
                }
                out.push(json!({"match": "all", "conditions": [c]}));
            }
        }
    }
    out
}

/// Replaces `{"$segment": slot}` with the slot's segment id.
fn bind_segments(json: &mut Json, ids: &[i64]) {
    match json {
        Json::Object(map) => {
            if let Some(slot) = map.get("$segment").and_then(Json::as_u64) {
                *json = json!(ids[slot as usize]);
                return;
            }
            for v in map.values_mut() {
                bind_segments(v, ids);
            }
        }
        Json::Array(items) => items.iter_mut().for_each(|v| bind_segments(v, ids)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// The reference record

fn record<'a>(data: &'a Dataset, u: &'a UserData, segment_ids: &'a [i64]) -> impl Fn(&FieldRef) -> Option<Value> + 'a {
    let now = now();
    let company = u.company.map(|i| &data.companies[i]);
    let text = |s: &Option<String>| s.clone().map(Value::Text);
    let prop = move |props: &Json, name: &str, ty: FieldType| -> Option<Value> {
        let v = props.get(name)?;
        match ty {
            FieldType::Number => v.as_f64().map(Value::Number),
            FieldType::Boolean => v.as_bool().map(Value::Bool),
            _ => v.as_str().map(|s| Value::Text(s.to_string())),
        }
    };
    let ctx = catalog_context();
    let in_window = move |t: NaiveDateTime, days: u32| t >= now - Duration::days(i64::from(days)) && t <= now;
    let purchases = || u.orders.iter().filter(|o| o.amount > 0);
    move |field: &FieldRef| match field {
        FieldRef::User(f) => match f {
            UserField::Email => text(&u.email),
            UserField::Name => text(&u.name),
            UserField::Country => text(&u.country),
            UserField::CreatedAt => u.created_at.map(Value::Date),
            UserField::LastSeenAt => u.last_seen_at.map(Value::Date),
            UserField::ChurnedAt => u.churned_at.map(Value::Date),
            UserField::EmailConsent => u.email_consent.map(Value::Bool),
            UserField::Activity => Some(Value::Text(
                if u.churned_at.is_some() {
                    "churned"
                } else if u.last_seen_at.is_some_and(|t| t >= now - Duration::days(data.window_days)) {
                    "online"
                } else {
                    "offline"
                }
                .into(),
            )),
            UserField::EngagementLabel => {
                u.engagement.map(|e| Value::Text(EngagementLabel::from_score(e as u8).key().into()))
            }
            UserField::PreferredPurchaseDay => text(&u.preferred_day),
            other => panic!("field {other:?} is not generated"),
        },
        FieldRef::Company(f) => {
            let c = company?;
            match f {
                CompanyField::Name => text(&c.name),
                CompanyField::Plan => text(&c.plan),
                CompanyField::Arr => c.arr.map(|a| Value::Number(a as f64 / 100.0)),
                CompanyField::CreatedAt => c.created_at.map(Value::Date),
                other => panic!("field {other:?} is not generated"),
            }
        }
        FieldRef::UserProperty(name) => prop(&u.properties, name, ctx.user_property(name)?),
        FieldRef::CompanyProperty(name) => prop(&company?.properties, name, ctx.company_property(name)?),
        FieldRef::Rfm(RfmField::Segment) => text(&u.rfm_segment),
        FieldRef::Rfm(RfmField::RScore) => u.r_score.map(|s| Value::Number(f64::from(s))),
        FieldRef::Rfm(other) => panic!("field {other:?} is not generated"),
        FieldRef::Score(ScoreKind::Health) => u.health.map(|s| Value::Number(f64::from(s))),
        FieldRef::Score(ScoreKind::Engagement) => u.engagement.map(|s| Value::Number(f64::from(s))),
        FieldRef::Score(other) => panic!("field {other:?} is not generated"),
        FieldRef::Behaviour(b) => Some(match b {
            Behaviour::PurchasesTotal => Value::Number(purchases().count() as f64),
            Behaviour::RevenueTotal => Value::Number(u.orders.iter().map(|o| o.amount).sum::<i64>() as f64 / 100.0),
            Behaviour::FirstPurchaseAt => Value::Date(purchases().map(|o| o.at).min()?),
            Behaviour::LastPurchaseAt => Value::Date(purchases().map(|o| o.at).max()?),
            Behaviour::PurchasesLastDays(days) => {
                Value::Number(purchases().filter(|o| in_window(o.at, *days)).count() as f64)
            }
            Behaviour::RevenueLastDays(days) => Value::Number(
                u.orders.iter().filter(|o| in_window(o.at, *days)).map(|o| o.amount).sum::<i64>() as f64 / 100.0,
            ),
            Behaviour::EventCountLastDays { name, days } => {
                Value::Number(u.events.iter().filter(|(n, t)| n == name && in_window(*t, *days)).count() as f64)
            }
            Behaviour::Product => Value::List(
                purchases().filter_map(|o| o.product.clone()).collect::<BTreeSet<_>>().into_iter().collect(),
            ),
        }),
        FieldRef::Segment => Some(Value::List(u.segments.iter().map(|s| segment_ids[*s].to_string()).collect())),
    }
}

// ---------------------------------------------------------------------------------------
// Loading the data

fn ts(t: Option<NaiveDateTime>) -> Param {
    Param::Ts(t)
}

fn text_param(s: &Option<String>) -> Param {
    Param::Text(s.clone())
}

fn last_id(conn: &mut db::DbConn, table: &str) -> i64 {
    let mut q = Query::new("SELECT CAST(MAX(id) AS BIGINT) AS n FROM ");
    q.push(table);
    q.load::<Count>(conn).unwrap()[0].n
}

fn insert(conn: &mut db::DbConn, table: &str, columns: &[&str], values: Vec<Param>) {
    let mut q = Query::new("INSERT INTO ");
    q.push(table).push(" (").push(&columns.join(", ")).push(") VALUES (");
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(v);
    }
    q.push(")");
    q.execute(conn).unwrap();
}

/// Writes the dataset as a new workspace; returns its id, the user ids and the segment ids.
fn load(db: &db::Db, data: &Dataset) -> (i64, Vec<i64>, Vec<i64>) {
    db.write(|c| {
        let at = Param::Ts(Some(now()));
        insert(c, "workspaces", &["name", "created_at"], vec![Param::text("w"), at.clone()]);
        let ws = last_id(c, "workspaces");
        let w = Param::I64(Some(ws));
        insert(
            c,
            "settings",
            &["workspace_id", "activity_window_days", "updated_at"],
            vec![w.clone(), Param::I64(Some(data.window_days)), at.clone()],
        );
        for (entity, name, ty) in [
            ("user", "age", "number"),
            ("user", "topic", "text"),
            ("user", "vip", "boolean"),
            ("company", "employees", "number"),
            ("company", "tier", "text"),
            ("company", "flag", "boolean"),
        ] {
            insert(
                c,
                "property_keys",
                &["workspace_id", "entity", "name", "value_type"],
                vec![w.clone(), Param::text(entity), Param::text(name), Param::text(ty)],
            );
        }
        let mut company_ids = Vec::new();
        for (i, co) in data.companies.iter().enumerate() {
            insert(
                c,
                "companies",
                &["workspace_id", "external_id", "name", "plan", "arr", "created_at", "properties", "updated_at"],
                vec![
                    w.clone(),
                    Param::text(format!("c{i}")),
                    text_param(&co.name),
                    text_param(&co.plan),
                    Param::I64(co.arr),
                    ts(co.created_at),
                    Param::text(co.properties.to_string()),
                    at.clone(),
                ],
            );
            company_ids.push(last_id(c, "companies"));
        }
        let mut segment_ids = Vec::new();
        for s in 0..SEGMENTS {
            insert(
                c,
                "segments",
                &["workspace_id", "name", "conditions", "created_at", "updated_at"],
                vec![w.clone(), Param::text(format!("s{s}")), Param::text("{}"), at.clone(), at.clone()],
            );
            segment_ids.push(last_id(c, "segments"));
        }
        let mut user_ids = Vec::new();
        for (i, u) in data.users.iter().enumerate() {
            insert(
                c,
                "users",
                &[
                    "workspace_id",
                    "external_id",
                    "email",
                    "name",
                    "country",
                    "company_id",
                    "created_at",
                    "last_seen_at",
                    "churned_at",
                    "email_consent",
                    "properties",
                    "r_score",
                    "rfm_segment",
                    "health_score",
                    "engagement_score",
                    "preferred_day",
                    "updated_at",
                ],
                vec![
                    w.clone(),
                    Param::text(format!("u{i}")),
                    text_param(&u.email),
                    text_param(&u.name),
                    text_param(&u.country),
                    Param::I64(u.company.map(|i| company_ids[i])),
                    ts(u.created_at),
                    ts(u.last_seen_at),
                    ts(u.churned_at),
                    Param::Bool(u.email_consent),
                    Param::text(u.properties.to_string()),
                    Param::I64(u.r_score.map(i64::from)),
                    text_param(&u.rfm_segment),
                    Param::I64(u.health.map(i64::from)),
                    Param::I64(u.engagement.map(i64::from)),
                    text_param(&u.preferred_day),
                    at.clone(),
                ],
            );
            let id = last_id(c, "users");
            user_ids.push(id);
            for (k, o) in u.orders.iter().enumerate() {
                insert(
                    c,
                    "orders",
                    &["workspace_id", "order_id", "user_id", "ordered_at", "amount", "product"],
                    vec![
                        w.clone(),
                        Param::text(format!("o{i}-{k}")),
                        Param::I64(Some(id)),
                        ts(Some(o.at)),
                        Param::I64(Some(o.amount)),
                        text_param(&o.product),
                    ],
                );
            }
            let mut seen = BTreeSet::new();
            for (name, t) in &u.events {
                if seen.insert((name.clone(), *t)) {
                    insert(
                        c,
                        "events",
                        &["workspace_id", "user_id", "name", "occurred_at"],
                        vec![w.clone(), Param::I64(Some(id)), Param::text(name.as_str()), ts(Some(*t))],
                    );
                }
            }
            for s in &u.segments {
                insert(
                    c,
                    "segment_members",
                    &["segment_id", "user_id", "entered_at"],
                    vec![Param::I64(Some(segment_ids[*s])), Param::I64(Some(id)), at.clone()],
                );
            }
        }
        // The importer's own aggregate maintenance.
        db::imports::refresh_purchase_aggregates(c, ws, Some(&user_ids))?;
        Ok((ws, user_ids, segment_ids))
    })
    .unwrap()
}

fn dedupe_events(data: &mut Dataset) {
    for u in &mut data.users {
        let mut seen = BTreeSet::new();
        u.events.retain(|e| seen.insert(e.clone()));
    }
}

// ---------------------------------------------------------------------------------------
// The property

/// Trees compared, those among them that do not validate, and memberships that were neither empty nor
/// everyone (to show the property is not checked on trivial trees only).
#[derive(Debug, Default)]
struct Stats {
    compared: usize,
    invalid: usize,
    mixed: usize,
}

fn check_backend(db: &db::Db, cases: u32) {
    let stats = std::cell::RefCell::new(Stats::default());
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let singles = single_conditions();
    let strategy = (dataset(), prop::collection::vec(tree(), 1..8), 0u32..16);
    runner
        .run(&strategy, |(mut data, mut trees, every)| {
            // One case in 16 also checks every single condition on its data.
            if every == 0 {
                trees.extend(singles.iter().cloned());
            }
            dedupe_events(&mut data);
            let (ws, user_ids, segment_ids) = load(db, &data);
            let mut ctx = catalog_context();
            ctx.segments = segment_ids.iter().map(|id| SegmentRef { id: *id, name: id.to_string() }).collect();
            for mut json in trees {
                bind_segments(&mut json, &segment_ids);
                let tree = ConditionGroup::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
                // Trees that do not validate (empty nested groups) are compared too.
                if conditions::validate(&tree, &ctx).is_err() {
                    stats.borrow_mut().invalid += 1;
                }
                let expected: Vec<i64> = data
                    .users
                    .iter()
                    .zip(&user_ids)
                    .filter(|(u, _)| conditions::evaluate(&tree, &record(&data, u, &segment_ids), now()))
                    .map(|(_, id)| *id)
                    .collect();
                let actual = db
                    .read(|c| {
                        let env = Env {
                            dialect: Dialect::of(c),
                            workspace_id: ws,
                            now: now(),
                            activity_window_days: data.window_days,
                            catalog: &ctx,
                        };
                        let mut q = Query::new("SELECT u.id AS n FROM users u WHERE u.workspace_id = ");
                        q.bind(Param::I64(Some(ws))).push(" AND ").append(compile(&tree, &env));
                        q.push(" ORDER BY u.id");
                        Ok(q.load::<Count>(c)?.into_iter().map(|c| c.n).collect::<Vec<i64>>())
                    })
                    .map_err(|e| TestCaseError::fail(format!("{e} for {json}")))?;
                prop_assert_eq!(&actual, &expected, "tree {}", json);
                let mut st = stats.borrow_mut();
                st.compared += 1;
                if !actual.is_empty() && actual.len() < user_ids.len() {
                    st.mixed += 1;
                }
            }
            Ok(())
        })
        .unwrap();
    let stats = stats.into_inner();
    eprintln!("{stats:?}");
    assert!(stats.compared > 2 * stats.invalid, "{stats:?}");
    assert!(stats.mixed * 5 > stats.compared, "too many trivial trees: {stats:?}");
}

fn cases() -> u32 {
    std::env::var("COMPILE_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
}

#[test]
fn sqlite_membership_equals_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let db = db::Db::open(dir.path().join("p.db").to_str().unwrap()).unwrap();
    check_backend(&db, cases());
}

#[test]
fn postgres_membership_equals_evaluate() {
    let dir = tempfile::tempdir().unwrap();
    let backends = common::backends("compile", &dir);
    check_backend(&backends[1].db, cases());
}
