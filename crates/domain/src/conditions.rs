//! Condition trees of custom segments and filters (docs/conditions.md): their JSON shape,
//! the field catalog, validation, and an in-memory evaluation that is the reference for the
//! SQL compiler in `db` (a property test compares the two).
//!
//! # Shape
//! A group is `{"match": "all"|"any", "conditions": [...]}`; each item is a condition
//! `{"field": KEY, "op": OP, "value": JSON}` (an object with a `field`, `op` or `value` key)
//! or a nested group.
//! Unknown keys are rejected; a missing `match` means `all`, a missing `value` means `null`.
//!
//! # Limits
//! Groups nest at most [`MAX_DEPTH`] = 5 levels (the root is level 1), a tree holds at most
//! [`MAX_CONDITIONS`] = 100 conditions (groups not counted), `in`/`not_in` lists at most
//! [`MAX_LIST`] values. Only the root group may be empty; an empty root matches everyone
//! whatever its `match`.
//!
//! # Semantics of evaluation
//! The record supplies each field's value or `None` (NULL). A value of the wrong kind for
//! the field (e.g. a text where a number is expected) counts as `None`.
//!
//! - **NULL.** Every operator is either *positive* or the negation of one:
//!   `ne = ¬eq`, `not_contains = ¬contains`, `not_in = ¬in`, `not_in_last_days =
//!   ¬in_last_days`, `is_false = ¬is_true`, `is_not_set = ¬is_set` ([`Op::positive`]).
//!   A positive operator is false on NULL; its negation is therefore true on NULL.
//!   In SQL: `negative = NOT COALESCE(positive, FALSE)`.
//! - **Text.** `eq`, `ne`, `in`, `not_in` compare exactly (case-sensitive, no trimming).
//!   `contains`, `starts_with`, `ends_with` fold ASCII letters only (`A`–`Z` ≡ `a`–`z`; `É`
//!   and `é` differ), with no wildcards: `%` and `_` are literal characters. `is_set` is
//!   "not NULL" (an empty string is set).
//! - **Numbers** compare as `f64`; `between [lo, hi]` is inclusive at both ends.
//! - **Money** values are major units on both sides (the record supplies major units too)
//!   and compare after rounding each side to whole minor units, half away from zero on the
//!   number's decimal form ([`money_to_minor`]: `12.345` → 1235); in SQL compare the stored
//!   minor-unit integer with `money_to_minor(value)`.
//! - **Dates.** Condition values are `YYYY-MM-DD` (a whole UTC day) or RFC 3339 (an instant,
//!   converted to UTC, fractions of a second dropped); record values are UTC and compared as
//!   they are. `before D` = earlier than the start of D; `after D` = later than D (a day:
//!   from the next midnight on; an instant: strictly later); `between [A, B]` = from the start
//!   of A to the end of B inclusive (a day B: until the next midnight, exclusive);
//!   `in_last_days N` = from `now − N×24h` to `now`, both inclusive. [`date_range`] gives the
//!   exact bounds to render in SQL.
//! - **Booleans.** `is_true` = true; `is_false` = false or NULL.
//! - **Lists** (`behaviour.product`: the distinct products of the user's purchases;
//!   `segment`: the ids of the custom segments the user belongs to, as decimal strings):
//!   `eq x` = x is in the list, `in [..]` = the lists share a value, `is_set` = the list is
//!   not empty; NULL is the empty list. Segment ids in conditions are JSON integers.
//! - **Groups.** `all` is true when every item is (an empty `all` is true), `any` when one is
//!   (an empty `any` is false), except the empty root, which matches everyone.
//! - [`evaluate`] expects a validated tree. A condition whose value does not fit its
//!   operator (e.g. `between` without two bounds) or whose field key does not parse matches
//!   nobody, whatever its operator.
//!
//! # What the record supplies (the lead's SQL must agree)
//! Counts and sums of behaviour are never NULL (0 when nothing happened).
//! `behaviour.purchases_total` / `revenue_total`: all the user's purchases (amount > 0) /
//! all amounts (refunds netted). `behaviour.purchases_last_Nd` / `revenue_last_Nd` /
//! `events.X.count_last_Nd`: the same over `ordered_at`/`occurred_at` in `[now − N days,
//! now]`. `first_purchase_at` / `last_purchase_at`: NULL without purchases.
//! `user.activity`: `churned` when `churned_at` is set, else `online` when `last_seen_at` is
//! within the workspace's activity window, else `offline`. `user.engagement_label`: from the
//! engagement score ([`crate::scores::EngagementLabel`]), NULL when unscored.
//! `user.preferred_purchase_day`: `monday`…`sunday`, NULL without purchases. `rfm.segment`:
//! the segment key, NULL when unscored.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Timelike};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value as Json;

use crate::metrics::WorkspaceKind;
use crate::money::Minor;
use crate::rfm::RfmSegment;
use crate::scores::{EngagementLabel, MAX_DAYS};

pub use crate::scores::ScoreKind;

/// Groups nest at most this many levels; the root group is level 1.
pub const MAX_DEPTH: usize = 5;
/// Conditions (leaves, not groups) in one tree.
pub const MAX_CONDITIONS: usize = 100;
/// Values in one `in`/`not_in` list.
pub const MAX_LIST: usize = 1000;
/// The largest `N` of `in_last_days` and of `behaviour.*_last_<N>d` fields.
pub const MAX_WINDOW_DAYS: u32 = MAX_DAYS;
/// The windows the catalog lists for behaviour fields (any 1..=3650 is accepted).
pub const CATALOG_WINDOWS: [u32; 3] = [30, 90, 365];

// ---------------------------------------------------------------------------------------
// Shape

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    #[default]
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Group {
    pub r#match: Match,
    pub conditions: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Node {
    Group(Group),
    Condition(Condition),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    #[serde(default, skip_serializing_if = "Json::is_null")]
    pub value: Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    In,
    NotIn,
    IsSet,
    IsNotSet,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    Before,
    After,
    InLastDays,
    NotInLastDays,
    IsTrue,
    IsFalse,
}

impl Op {
    pub const ALL: [Op; 21] = [
        Op::Eq,
        Op::Ne,
        Op::Contains,
        Op::NotContains,
        Op::StartsWith,
        Op::EndsWith,
        Op::In,
        Op::NotIn,
        Op::IsSet,
        Op::IsNotSet,
        Op::Gt,
        Op::Gte,
        Op::Lt,
        Op::Lte,
        Op::Between,
        Op::Before,
        Op::After,
        Op::InLastDays,
        Op::NotInLastDays,
        Op::IsTrue,
        Op::IsFalse,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Contains => "contains",
            Op::NotContains => "not_contains",
            Op::StartsWith => "starts_with",
            Op::EndsWith => "ends_with",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::IsSet => "is_set",
            Op::IsNotSet => "is_not_set",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Between => "between",
            Op::Before => "before",
            Op::After => "after",
            Op::InLastDays => "in_last_days",
            Op::NotInLastDays => "not_in_last_days",
            Op::IsTrue => "is_true",
            Op::IsFalse => "is_false",
        }
    }

    /// The positive operator this one is, and whether it is negated: `ne` is `(eq, true)`,
    /// `gt` is `(gt, false)`. A negated operator is exactly `¬positive`, so true on NULL.
    pub fn positive(self) -> (Op, bool) {
        match self {
            Op::Ne => (Op::Eq, true),
            Op::NotContains => (Op::Contains, true),
            Op::NotIn => (Op::In, true),
            Op::NotInLastDays => (Op::InLastDays, true),
            Op::IsFalse => (Op::IsTrue, true),
            Op::IsNotSet => (Op::IsSet, true),
            op => (op, false),
        }
    }

    /// Operators that take no value (absent or `null`).
    pub fn takes_no_value(self) -> bool {
        matches!(self, Op::IsSet | Op::IsNotSet | Op::IsTrue | Op::IsFalse)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Group {
    /// The empty root: matches everyone.
    pub fn everyone() -> Group {
        Group::default()
    }

    /// Parses a tree from JSON, with errors naming the path of the offending item
    /// (`conditions[1].conditions[0]`). Serde deserialisation goes through this too.
    pub fn from_json(json: &Json) -> Result<Group, ConditionError> {
        parse_group(json, "")
    }

    /// Conditions in the tree, at every level.
    pub fn condition_count(&self) -> usize {
        self.conditions
            .iter()
            .map(|node| match node {
                Node::Group(group) => group.condition_count(),
                Node::Condition(_) => 1,
            })
            .sum()
    }

    /// Levels of groups: 1 for a flat tree.
    pub fn depth(&self) -> usize {
        1 + self
            .conditions
            .iter()
            .map(|node| match node {
                Node::Group(group) => group.depth(),
                Node::Condition(_) => 0,
            })
            .max()
            .unwrap_or(0)
    }

    /// Every condition with its path, depth first.
    pub fn walk(&self) -> Vec<(String, &Condition)> {
        fn go<'a>(group: &'a Group, prefix: &str, out: &mut Vec<(String, &'a Condition)>) {
            for (i, node) in group.conditions.iter().enumerate() {
                let path = child_path(prefix, i);
                match node {
                    Node::Group(g) => go(g, &path, out),
                    Node::Condition(c) => out.push((path, c)),
                }
            }
        }
        let mut out = Vec::new();
        go(self, "", &mut out);
        out
    }
}

fn child_path(prefix: &str, i: usize) -> String {
    if prefix.is_empty() { format!("conditions[{i}]") } else { format!("{prefix}.conditions[{i}]") }
}

fn parse_group(json: &Json, path: &str) -> Result<Group, ConditionError> {
    let Some(object) = json.as_object() else {
        return Err(ConditionError::new(path, "must be a group {\"match\": \"all\"|\"any\", \"conditions\": [...]}"));
    };
    if let Some(key) = object.keys().find(|k| *k != "match" && *k != "conditions") {
        return Err(ConditionError::new(path, format!("unknown key {key:?} in a group")));
    }
    let r#match = match object.get("match") {
        None => Match::All,
        Some(m) => Match::deserialize(m).map_err(|_| ConditionError::new(path, "match must be \"all\" or \"any\""))?,
    };
    let items = match object.get("conditions") {
        None | Some(Json::Null) => &Vec::new(),
        Some(Json::Array(items)) => items,
        Some(_) => return Err(ConditionError::new(path, "conditions must be an array")),
    };
    let conditions =
        items.iter().enumerate().map(|(i, item)| parse_node(item, &child_path(path, i))).collect::<Result<_, _>>()?;
    Ok(Group { r#match, conditions })
}

fn parse_node(json: &Json, path: &str) -> Result<Node, ConditionError> {
    match json.as_object() {
        Some(object) if ["field", "op", "value"].iter().any(|k| object.contains_key(*k)) => {
            serde_path_to_error::deserialize(json).map(Node::Condition).map_err(|e| {
                // the value within the condition, as in `conditions[1].op`
                let within = e.path().to_string();
                let at = match (path, within.as_str()) {
                    (path, ".") => path.to_owned(),
                    ("", within) => within.to_owned(),
                    (path, within) => format!("{path}.{within}"),
                };
                ConditionError::new(&at, e.into_inner().to_string())
            })
        }
        Some(_) => parse_group(json, path).map(Node::Group),
        None => Err(ConditionError::new(
            path,
            "must be a condition {\"field\", \"op\", \"value\"} or a group {\"match\", \"conditions\"}",
        )),
    }
}

impl<'de> Deserialize<'de> for Group {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Group, D::Error> {
        let json = Json::deserialize(deserializer)?;
        Group::from_json(&json).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        let json = Json::deserialize(deserializer)?;
        parse_node(&json, "").map_err(D::Error::custom)
    }
}

// ---------------------------------------------------------------------------------------
// Fields

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Money,
    Date,
    Boolean,
    Enum,
    Segment,
}

impl FieldType {
    pub fn key(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Date => "date",
            FieldType::Boolean => "boolean",
            FieldType::Enum => "enum",
            FieldType::Segment => "segment",
        }
    }

    pub fn from_key(key: &str) -> Option<FieldType> {
        [
            FieldType::Text,
            FieldType::Number,
            FieldType::Money,
            FieldType::Date,
            FieldType::Boolean,
            FieldType::Enum,
            FieldType::Segment,
        ]
        .into_iter()
        .find(|t| t.key() == key)
    }

    /// The operators of docs/conditions.md for this type.
    pub fn ops(self) -> &'static [Op] {
        use Op::*;
        match self {
            FieldType::Text => &[Eq, Ne, Contains, NotContains, StartsWith, EndsWith, In, NotIn, IsSet, IsNotSet],
            FieldType::Number | FieldType::Money => &[Eq, Ne, Gt, Gte, Lt, Lte, Between, IsSet, IsNotSet],
            FieldType::Date => &[Before, After, Between, InLastDays, NotInLastDays, IsSet, IsNotSet],
            FieldType::Boolean => &[IsTrue, IsFalse],
            FieldType::Enum | FieldType::Segment => &[Eq, Ne, In, NotIn, IsSet, IsNotSet],
        }
    }
}

/// Columns of a user, plus the derived `activity`, `engagement_label` and
/// `preferred_purchase_day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserField {
    ExternalId,
    Email,
    Name,
    Role,
    Country,
    Phone,
    CreatedAt,
    LastSeenAt,
    ChurnedAt,
    AcquisitionChannel,
    ClientType,
    PaymentType,
    InvoicePeriod,
    ComplaintReason,
    EmailConsent,
    SmsConsent,
    Activity,
    EngagementLabel,
    PreferredPurchaseDay,
}

pub const ACTIVITY_VALUES: [&str; 3] = ["online", "offline", "churned"];
pub const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

impl UserField {
    pub const ALL: [UserField; 19] = [
        UserField::ExternalId,
        UserField::Email,
        UserField::Name,
        UserField::Role,
        UserField::Country,
        UserField::Phone,
        UserField::CreatedAt,
        UserField::LastSeenAt,
        UserField::ChurnedAt,
        UserField::AcquisitionChannel,
        UserField::ClientType,
        UserField::PaymentType,
        UserField::InvoicePeriod,
        UserField::ComplaintReason,
        UserField::EmailConsent,
        UserField::SmsConsent,
        UserField::Activity,
        UserField::EngagementLabel,
        UserField::PreferredPurchaseDay,
    ];

    /// The column name (for derived fields, the name after `user.`).
    pub fn key(self) -> &'static str {
        match self {
            UserField::ExternalId => "external_id",
            UserField::Email => "email",
            UserField::Name => "name",
            UserField::Role => "role",
            UserField::Country => "country",
            UserField::Phone => "phone",
            UserField::CreatedAt => "created_at",
            UserField::LastSeenAt => "last_seen_at",
            UserField::ChurnedAt => "churned_at",
            UserField::AcquisitionChannel => "acquisition_channel",
            UserField::ClientType => "client_type",
            UserField::PaymentType => "payment_type",
            UserField::InvoicePeriod => "invoice_period",
            UserField::ComplaintReason => "complaint_reason",
            UserField::EmailConsent => "email_consent",
            UserField::SmsConsent => "sms_consent",
            UserField::Activity => "activity",
            UserField::EngagementLabel => "engagement_label",
            UserField::PreferredPurchaseDay => "preferred_purchase_day",
        }
    }

    pub fn from_key(key: &str) -> Option<UserField> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            UserField::ExternalId => "External ID",
            UserField::Email => "Email",
            UserField::Name => "Name",
            UserField::Role => "Role",
            UserField::Country => "Country",
            UserField::Phone => "Phone",
            UserField::CreatedAt => "Created at",
            UserField::LastSeenAt => "Last seen at",
            UserField::ChurnedAt => "Churned at",
            UserField::AcquisitionChannel => "Acquisition channel",
            UserField::ClientType => "Client type",
            UserField::PaymentType => "Payment type",
            UserField::InvoicePeriod => "Invoice period",
            UserField::ComplaintReason => "Complaint reason",
            UserField::EmailConsent => "Email consent",
            UserField::SmsConsent => "SMS consent",
            UserField::Activity => "Activity",
            UserField::EngagementLabel => "Engagement",
            UserField::PreferredPurchaseDay => "Preferred purchase day",
        }
    }

    pub fn ty(self) -> FieldType {
        match self {
            UserField::CreatedAt | UserField::LastSeenAt | UserField::ChurnedAt => FieldType::Date,
            UserField::EmailConsent | UserField::SmsConsent => FieldType::Boolean,
            UserField::Activity | UserField::EngagementLabel | UserField::PreferredPurchaseDay => FieldType::Enum,
            _ => FieldType::Text,
        }
    }

    /// Derived fields are computed rather than stored as imported.
    pub fn is_derived(self) -> bool {
        matches!(self, UserField::Activity | UserField::EngagementLabel | UserField::PreferredPurchaseDay)
    }

    fn fixed_values(self) -> Option<Vec<String>> {
        let values: Vec<&str> = match self {
            UserField::Activity => ACTIVITY_VALUES.to_vec(),
            UserField::EngagementLabel => EngagementLabel::ALL.iter().map(|l| l.key()).collect(),
            UserField::PreferredPurchaseDay => WEEKDAYS.to_vec(),
            _ => return None,
        };
        Some(values.into_iter().map(String::from).collect())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompanyField {
    ExternalId,
    Name,
    Industry,
    Plan,
    Arr,
    Owner,
    CreatedAt,
}

impl CompanyField {
    pub const ALL: [CompanyField; 7] = [
        CompanyField::ExternalId,
        CompanyField::Name,
        CompanyField::Industry,
        CompanyField::Plan,
        CompanyField::Arr,
        CompanyField::Owner,
        CompanyField::CreatedAt,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CompanyField::ExternalId => "external_id",
            CompanyField::Name => "name",
            CompanyField::Industry => "industry",
            CompanyField::Plan => "plan",
            CompanyField::Arr => "arr",
            CompanyField::Owner => "owner",
            CompanyField::CreatedAt => "created_at",
        }
    }

    pub fn from_key(key: &str) -> Option<CompanyField> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            CompanyField::ExternalId => "Company external ID",
            CompanyField::Name => "Company name",
            CompanyField::Industry => "Industry",
            CompanyField::Plan => "Plan",
            CompanyField::Arr => "ARR",
            CompanyField::Owner => "Account owner",
            CompanyField::CreatedAt => "Company created at",
        }
    }

    pub fn ty(self) -> FieldType {
        match self {
            CompanyField::Arr => FieldType::Money,
            CompanyField::CreatedAt => FieldType::Date,
            _ => FieldType::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RfmField {
    Segment,
    RScore,
    FScore,
    MScore,
}

impl RfmField {
    pub const ALL: [RfmField; 4] = [RfmField::Segment, RfmField::RScore, RfmField::FScore, RfmField::MScore];

    pub fn key(self) -> &'static str {
        match self {
            RfmField::Segment => "segment",
            RfmField::RScore => "r_score",
            RfmField::FScore => "f_score",
            RfmField::MScore => "m_score",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RfmField::Segment => "RFM segment",
            RfmField::RScore => "R score",
            RfmField::FScore => "F score",
            RfmField::MScore => "M score",
        }
    }
}

/// Behaviour computed from orders and events; `N`-day windows end at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Behaviour {
    PurchasesTotal,
    RevenueTotal,
    FirstPurchaseAt,
    LastPurchaseAt,
    PurchasesLastDays(u32),
    RevenueLastDays(u32),
    EventCountLastDays {
        name: String,
        days: u32,
    },
    /// Products bought (a list field): `eq`/`in` = bought any of them, `ne`/`not_in` = none.
    Product,
}

impl Behaviour {
    pub fn ty(&self) -> FieldType {
        match self {
            Behaviour::PurchasesTotal | Behaviour::PurchasesLastDays(_) | Behaviour::EventCountLastDays { .. } => {
                FieldType::Number
            }
            Behaviour::RevenueTotal | Behaviour::RevenueLastDays(_) => FieldType::Money,
            Behaviour::FirstPurchaseAt | Behaviour::LastPurchaseAt => FieldType::Date,
            Behaviour::Product => FieldType::Enum,
        }
    }
}

/// A parsed field key. `FieldRef::parse(k).map(|f| f.key()) == Some(k)` for every key that
/// parses (keys are canonical: no leading zeros in day counts).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    /// `user.<column>`
    User(UserField),
    /// `user.properties.<name>`
    UserProperty(String),
    /// `company.<column>`
    Company(CompanyField),
    /// `company.properties.<name>`
    CompanyProperty(String),
    /// `rfm.segment`, `rfm.r_score`, `rfm.f_score`, `rfm.m_score`
    Rfm(RfmField),
    /// `score.health`, `score.engagement`, `score.fit`
    Score(ScoreKind),
    /// `behaviour.…`
    Behaviour(Behaviour),
    /// `segment`: membership of another segment, value = its id.
    Segment,
}

/// `"30"` → 30 for 1..=3650 written without leading zeros or signs.
fn parse_days(text: &str) -> Option<u32> {
    let days: u32 = text.parse().ok()?;
    (days.to_string() == text && (1..=MAX_WINDOW_DAYS).contains(&days)).then_some(days)
}

fn non_empty(name: &str) -> Option<String> {
    (!name.is_empty()).then(|| name.to_string())
}

impl FieldRef {
    pub fn parse(key: &str) -> Option<FieldRef> {
        if key == "segment" {
            return Some(FieldRef::Segment);
        }
        let (scope, rest) = key.split_once('.')?;
        match scope {
            "user" => match rest.strip_prefix("properties.") {
                Some(name) => non_empty(name).map(FieldRef::UserProperty),
                None => UserField::from_key(rest).map(FieldRef::User),
            },
            "company" => match rest.strip_prefix("properties.") {
                Some(name) => non_empty(name).map(FieldRef::CompanyProperty),
                None => CompanyField::from_key(rest).map(FieldRef::Company),
            },
            "rfm" => RfmField::ALL.into_iter().find(|f| f.key() == rest).map(FieldRef::Rfm),
            "score" => ScoreKind::from_key(rest).map(FieldRef::Score),
            "behaviour" => Self::parse_behaviour(rest).map(FieldRef::Behaviour),
            _ => None,
        }
    }

    fn parse_behaviour(rest: &str) -> Option<Behaviour> {
        let fixed = match rest {
            "purchases_total" => Some(Behaviour::PurchasesTotal),
            "revenue_total" => Some(Behaviour::RevenueTotal),
            "first_purchase_at" => Some(Behaviour::FirstPurchaseAt),
            "last_purchase_at" => Some(Behaviour::LastPurchaseAt),
            "product" => Some(Behaviour::Product),
            _ => None,
        };
        if fixed.is_some() {
            return fixed;
        }
        if let Some(events) = rest.strip_prefix("events.") {
            let (name, window) = events.rsplit_once(".count_last_")?;
            let days = parse_days(window.strip_suffix('d')?)?;
            return Some(Behaviour::EventCountLastDays { name: non_empty(name)?, days });
        }
        let window = |prefix: &str| parse_days(rest.strip_prefix(prefix)?.strip_suffix('d')?);
        if let Some(days) = window("purchases_last_") {
            return Some(Behaviour::PurchasesLastDays(days));
        }
        window("revenue_last_").map(Behaviour::RevenueLastDays)
    }

    pub fn key(&self) -> String {
        match self {
            FieldRef::User(f) => format!("user.{}", f.key()),
            FieldRef::UserProperty(name) => format!("user.properties.{name}"),
            FieldRef::Company(f) => format!("company.{}", f.key()),
            FieldRef::CompanyProperty(name) => format!("company.properties.{name}"),
            FieldRef::Rfm(f) => format!("rfm.{}", f.key()),
            FieldRef::Score(kind) => format!("score.{}", kind.key()),
            FieldRef::Behaviour(b) => match b {
                Behaviour::PurchasesTotal => "behaviour.purchases_total".into(),
                Behaviour::RevenueTotal => "behaviour.revenue_total".into(),
                Behaviour::FirstPurchaseAt => "behaviour.first_purchase_at".into(),
                Behaviour::LastPurchaseAt => "behaviour.last_purchase_at".into(),
                Behaviour::PurchasesLastDays(days) => format!("behaviour.purchases_last_{days}d"),
                Behaviour::RevenueLastDays(days) => format!("behaviour.revenue_last_{days}d"),
                Behaviour::EventCountLastDays { name, days } => {
                    format!("behaviour.events.{name}.count_last_{days}d")
                }
                Behaviour::Product => "behaviour.product".into(),
            },
            FieldRef::Segment => "segment".into(),
        }
    }

    /// The field's type; `None` for a property or event the context does not know.
    pub fn ty(&self, ctx: &CatalogContext) -> Option<FieldType> {
        Some(match self {
            FieldRef::User(f) => f.ty(),
            FieldRef::UserProperty(name) => ctx.user_property(name)?,
            FieldRef::Company(f) => f.ty(),
            FieldRef::CompanyProperty(name) => ctx.company_property(name)?,
            FieldRef::Rfm(RfmField::Segment) => FieldType::Enum,
            FieldRef::Rfm(_) | FieldRef::Score(_) => FieldType::Number,
            FieldRef::Behaviour(Behaviour::EventCountLastDays { name, .. }) if !ctx.event_names.contains(name) => {
                return None;
            }
            FieldRef::Behaviour(b) => b.ty(),
            FieldRef::Segment => FieldType::Segment,
        })
    }

    /// Money fields compare in minor units (see the module doc).
    pub fn is_money(&self) -> bool {
        matches!(
            self,
            FieldRef::Company(CompanyField::Arr)
                | FieldRef::Behaviour(Behaviour::RevenueTotal | Behaviour::RevenueLastDays(_))
        )
    }

    /// Fields whose record value is a [`Value::List`].
    pub fn is_list(&self) -> bool {
        matches!(self, FieldRef::Behaviour(Behaviour::Product) | FieldRef::Segment)
    }

    /// The values an enum or segment condition must use, when the set is known.
    pub fn allowed_values(&self, ctx: &CatalogContext) -> Option<Vec<String>> {
        match self {
            FieldRef::User(f) => f.fixed_values(),
            FieldRef::Rfm(RfmField::Segment) => Some(RfmSegment::ALL.iter().map(|s| s.key().to_string()).collect()),
            FieldRef::Behaviour(Behaviour::Product) if !ctx.products.is_empty() => Some(ctx.products.clone()),
            FieldRef::Segment => Some(ctx.segments.iter().map(|s| s.id.to_string()).collect()),
            _ => None,
        }
    }
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

// ---------------------------------------------------------------------------------------
// Catalog

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldGroup {
    User,
    Company,
    Behaviour,
    Score,
    Segment,
    Property,
}

/// One entry of `GET /api/v1/filters`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    pub key: String,
    pub label: String,
    pub group: FieldGroup,
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// For `enum`/`segment` fields: the only values accepted. For `text` fields: values seen
    /// in the data, offered as suggestions (any text is accepted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Display labels for `values`, same length and order (segment names, RFM names…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_labels: Option<Vec<String>>,
}

/// A custom property discovered in imported data, with its inferred type (`text`, `number`,
/// `date` or `boolean`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyDef {
    pub name: String,
    pub ty: FieldType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentRef {
    pub id: i64,
    pub name: String,
}

/// What the workspace's data makes available to conditions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CatalogContext {
    pub kind: WorkspaceKind,
    pub user_properties: Vec<PropertyDef>,
    pub company_properties: Vec<PropertyDef>,
    pub event_names: Vec<String>,
    pub products: Vec<String>,
    pub segments: Vec<SegmentRef>,
    /// Values seen in text columns, by field key (`"user.country"`), offered as suggestions.
    pub values: BTreeMap<String, Vec<String>>,
}

impl CatalogContext {
    pub fn user_property(&self, name: &str) -> Option<FieldType> {
        self.user_properties.iter().find(|p| p.name == name).map(|p| p.ty)
    }

    pub fn company_property(&self, name: &str) -> Option<FieldType> {
        self.company_properties.iter().find(|p| p.name == name).map(|p| p.ty)
    }
}

/// Every field a condition may use, in menu order: user, company, properties, behaviour
/// (windows of [`CATALOG_WINDOWS`] days), scores, segment membership.
pub fn catalog(ctx: &CatalogContext) -> Vec<FieldDef> {
    let mut out = Vec::new();
    let mut push = |field: FieldRef, label: String, group: FieldGroup| {
        let Some(ty) = field.ty(ctx) else { return };
        let key = field.key();
        let (values, value_labels) = match &field {
            FieldRef::Rfm(RfmField::Segment) => (
                field.allowed_values(ctx),
                Some(RfmSegment::ALL.iter().map(|s| format!("{} {}", s.symbol(), s.name())).collect()),
            ),
            FieldRef::Segment => {
                (field.allowed_values(ctx), Some(ctx.segments.iter().map(|s| s.name.clone()).collect()))
            }
            _ => (field.allowed_values(ctx).or_else(|| ctx.values.get(&key).cloned()), None),
        };
        out.push(FieldDef { key, label, group, ty, values, value_labels });
    };

    for f in UserField::ALL {
        push(FieldRef::User(f), f.label().into(), FieldGroup::User);
    }
    for f in CompanyField::ALL {
        push(FieldRef::Company(f), f.label().into(), FieldGroup::Company);
    }
    for p in &ctx.user_properties {
        let label = format!("{} (user property)", p.name);
        push(FieldRef::UserProperty(p.name.clone()), label, FieldGroup::Property);
    }
    for p in &ctx.company_properties {
        let label = format!("{} (company property)", p.name);
        push(FieldRef::CompanyProperty(p.name.clone()), label, FieldGroup::Property);
    }

    let orders = crate::metrics::orders_label(ctx.kind);
    let behaviour = |b: Behaviour| FieldRef::Behaviour(b);
    let fixed = [
        (Behaviour::PurchasesTotal, format!("Number of {orders}")),
        (Behaviour::RevenueTotal, "Total revenue".to_string()),
        (Behaviour::FirstPurchaseAt, "First purchase at".to_string()),
        (Behaviour::LastPurchaseAt, "Last purchase at".to_string()),
    ];
    for (b, label) in fixed {
        push(behaviour(b), label, FieldGroup::Behaviour);
    }
    for days in CATALOG_WINDOWS {
        push(
            behaviour(Behaviour::PurchasesLastDays(days)),
            format!("Number of {orders} in the last {days} days"),
            FieldGroup::Behaviour,
        );
        push(
            behaviour(Behaviour::RevenueLastDays(days)),
            format!("Revenue in the last {days} days"),
            FieldGroup::Behaviour,
        );
    }
    for name in &ctx.event_names {
        for days in CATALOG_WINDOWS {
            push(
                behaviour(Behaviour::EventCountLastDays { name: name.clone(), days }),
                format!("“{name}” events in the last {days} days"),
                FieldGroup::Behaviour,
            );
        }
    }
    push(behaviour(Behaviour::Product), "Products bought".into(), FieldGroup::Behaviour);

    for f in RfmField::ALL {
        push(FieldRef::Rfm(f), f.label().into(), FieldGroup::Score);
    }
    for kind in ScoreKind::ALL {
        push(FieldRef::Score(kind), kind.label().into(), FieldGroup::Score);
    }
    push(FieldRef::Segment, "Member of segment".into(), FieldGroup::Segment);
    out
}

// ---------------------------------------------------------------------------------------
// Validation

/// Why a tree was rejected; `path` locates the item (`conditions[2].conditions[0]`, or `""`
/// for the root group).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", if path.is_empty() { "(root)" } else { path })]
pub struct ConditionError {
    pub path: String,
    pub message: String,
}

impl ConditionError {
    fn new(path: &str, message: impl Into<String>) -> ConditionError {
        ConditionError { path: path.to_string(), message: message.into() }
    }
}

pub fn validate(tree: &Group, ctx: &CatalogContext) -> Result<(), ConditionError> {
    let count = tree.condition_count();
    if count > MAX_CONDITIONS {
        return Err(ConditionError::new("", format!("too many conditions ({count}, at most {MAX_CONDITIONS})")));
    }
    validate_group(tree, ctx, "", 1)
}

fn validate_group(group: &Group, ctx: &CatalogContext, path: &str, depth: usize) -> Result<(), ConditionError> {
    if depth > MAX_DEPTH {
        return Err(ConditionError::new(path, format!("groups nest at most {MAX_DEPTH} levels deep")));
    }
    if depth > 1 && group.conditions.is_empty() {
        return Err(ConditionError::new(path, "a nested group needs at least one condition"));
    }
    for (i, node) in group.conditions.iter().enumerate() {
        let path = child_path(path, i);
        match node {
            Node::Group(g) => validate_group(g, ctx, &path, depth + 1)?,
            Node::Condition(c) => validate_condition(c, ctx).map_err(|message| ConditionError { path, message })?,
        }
    }
    Ok(())
}

fn validate_condition(c: &Condition, ctx: &CatalogContext) -> Result<(), String> {
    let field = FieldRef::parse(&c.field).ok_or_else(|| format!("unknown field {:?}", c.field))?;
    let ty = field.ty(ctx).ok_or_else(|| match &field {
        FieldRef::Behaviour(Behaviour::EventCountLastDays { name, .. }) => {
            format!("unknown field {:?}: no event named {name:?}", c.field)
        }
        _ => format!("unknown field {:?}", c.field),
    })?;
    if !ty.ops().contains(&c.op) {
        let ops: Vec<&str> = ty.ops().iter().map(|op| op.key()).collect();
        return Err(format!(
            "operator {:?} does not apply to the {} field {:?} (use one of: {})",
            c.op.key(),
            ty.key(),
            c.field,
            ops.join(", ")
        ));
    }
    let allowed = field.allowed_values(ctx);
    let check_scalar = |v: &Json| -> Result<(), String> {
        match ty {
            FieldType::Text => string(v).map(drop),
            FieldType::Number | FieldType::Money => number(v).map(drop),
            FieldType::Enum => {
                let s = string(v)?;
                match &allowed {
                    Some(values) if !values.iter().any(|x| x == s) => {
                        Err(format!("{s:?} is not a value of {}; expected one of: {}", c.field, values.join(", ")))
                    }
                    _ => Ok(()),
                }
            }
            FieldType::Segment => {
                let id = v.as_i64().ok_or("value must be a segment id (an integer)")?;
                if ctx.segments.iter().any(|s| s.id == id) { Ok(()) } else { Err(format!("unknown segment {id}")) }
            }
            FieldType::Date | FieldType::Boolean => Err("unexpected value".into()),
        }
    };
    let v = &c.value;
    match c.op {
        op if op.takes_no_value() => {
            if v.is_null() {
                Ok(())
            } else {
                Err(format!("operator {:?} takes no value", op.key()))
            }
        }
        Op::Eq | Op::Ne | Op::Gt | Op::Gte | Op::Lt | Op::Lte => check_scalar(v),
        Op::Contains | Op::NotContains | Op::StartsWith | Op::EndsWith => {
            if string(v)?.is_empty() {
                Err("value must not be empty".into())
            } else {
                Ok(())
            }
        }
        Op::In | Op::NotIn => {
            let items = v.as_array().filter(|items| !items.is_empty()).ok_or("value must be a non-empty array")?;
            if items.len() > MAX_LIST {
                return Err(format!("value lists at most {MAX_LIST} items"));
            }
            items.iter().try_for_each(check_scalar)
        }
        Op::Between => {
            let [lo, hi] = pair(v)?;
            if ty == FieldType::Date {
                let (lo, hi) = (date(lo)?, date(hi)?);
                if lo.start() > hi.start() {
                    return Err("value [from, to] must not have from after to".into());
                }
            } else {
                let (lo, hi) = (number(lo)?, number(hi)?);
                if lo > hi {
                    return Err("value [from, to] must not have from greater than to".into());
                }
            }
            Ok(())
        }
        Op::Before | Op::After => date(v).map(drop),
        Op::InLastDays | Op::NotInLastDays => days(v).map(drop),
        _ => Ok(()),
    }
}

fn string(v: &Json) -> Result<&str, String> {
    v.as_str().ok_or_else(|| "value must be a string".to_string())
}

fn number(v: &Json) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| "value must be a number".to_string())
}

fn pair(v: &Json) -> Result<[&Json; 2], String> {
    match v.as_array().map(Vec::as_slice) {
        Some([lo, hi]) => Ok([lo, hi]),
        _ => Err("value must be a two-element array [from, to]".into()),
    }
}

fn date(v: &Json) -> Result<DateValue, String> {
    v.as_str().and_then(DateValue::parse).ok_or_else(|| "value must be a date: \"YYYY-MM-DD\" or RFC 3339".to_string())
}

fn days(v: &Json) -> Result<u32, String> {
    v.as_u64()
        .filter(|d| (1..=u64::from(MAX_WINDOW_DAYS)).contains(d))
        .map(|d| d as u32)
        .ok_or_else(|| format!("value must be a whole number of days from 1 to {MAX_WINDOW_DAYS}"))
}

/// The ids of the segments a tree refers to (`segment` conditions), sorted, without
/// duplicates; the caller rejects membership cycles with them.
pub fn referenced_segments(tree: &Group) -> Vec<i64> {
    let mut ids: Vec<i64> = tree
        .walk()
        .into_iter()
        .filter(|(_, c)| c.field == "segment")
        .flat_map(|(_, c)| match &c.value {
            Json::Array(items) => items.iter().filter_map(Json::as_i64).collect(),
            v => v.as_i64().into_iter().collect::<Vec<_>>(),
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

// ---------------------------------------------------------------------------------------
// Dates

/// A date condition value: a whole UTC day or an instant (UTC, whole seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Day(NaiveDate),
    Instant(NaiveDateTime),
}

impl DateValue {
    /// `YYYY-MM-DD` or RFC 3339 (`2024-05-01T10:00:00+02:00`, `…Z`).
    pub fn parse(text: &str) -> Option<DateValue> {
        if text.len() == 10 {
            return NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(DateValue::Day);
        }
        let instant = DateTime::parse_from_rfc3339(text).ok()?.naive_utc();
        Some(DateValue::Instant(instant.with_nanosecond(0)?))
    }

    /// The first instant the value covers.
    pub fn start(self) -> NaiveDateTime {
        match self {
            DateValue::Day(day) => day.and_time(chrono::NaiveTime::MIN),
            DateValue::Instant(t) => t,
        }
    }

    /// The bound just after the value: a day ends before the next midnight, an instant at
    /// itself.
    fn end_bound(self) -> Bound<NaiveDateTime> {
        match self {
            DateValue::Day(day) => match day.succ_opt() {
                Some(next) => Bound::Excluded(next.and_time(chrono::NaiveTime::MIN)),
                None => Bound::Unbounded,
            },
            DateValue::Instant(t) => Bound::Included(t),
        }
    }
}

/// The instants a positive date condition accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub lower: Bound<NaiveDateTime>,
    pub upper: Bound<NaiveDateTime>,
}

impl DateRange {
    pub fn contains(&self, t: NaiveDateTime) -> bool {
        let above = match self.lower {
            Bound::Included(lo) => t >= lo,
            Bound::Excluded(lo) => t > lo,
            Bound::Unbounded => true,
        };
        let below = match self.upper {
            Bound::Included(hi) => t <= hi,
            Bound::Excluded(hi) => t < hi,
            Bound::Unbounded => true,
        };
        above && below
    }
}

/// The range of a `before`, `after`, `between`, `in_last_days` or `not_in_last_days`
/// condition (for the negated operator, the range it excludes); `None` for another operator
/// or a malformed value.
pub fn date_range(op: Op, value: &Json, now: NaiveDateTime) -> Option<DateRange> {
    let range = match op.positive().0 {
        Op::Before => DateRange { lower: Bound::Unbounded, upper: Bound::Excluded(date(value).ok()?.start()) },
        Op::After => DateRange {
            lower: match date(value).ok()?.end_bound() {
                // After a whole day: from the next midnight on.
                Bound::Excluded(next) => Bound::Included(next),
                Bound::Included(t) => Bound::Excluded(t),
                Bound::Unbounded => return None,
            },
            upper: Bound::Unbounded,
        },
        Op::Between => {
            let [lo, hi] = pair(value).ok()?;
            DateRange { lower: Bound::Included(date(lo).ok()?.start()), upper: date(hi).ok()?.end_bound() }
        }
        Op::InLastDays => DateRange {
            lower: Bound::Included(now - Duration::days(i64::from(days(value).ok()?))),
            upper: Bound::Included(now),
        },
        _ => return None,
    };
    Some(range)
}

/// Major units to minor units as money conditions compare them: the number's shortest
/// decimal form rounded half away from zero at the second decimal, as
/// [`crate::money::parse_minor`] does (`1.005` → 101, although `1.005 × 100` is 100.49… in
/// binary floating point).
pub fn money_to_minor(major: f64) -> Minor {
    crate::money::parse_minor(&major.to_string()).unwrap_or((major * 100.0) as Minor)
}

// ---------------------------------------------------------------------------------------
// Evaluation

/// A field's value for one user, as the record supplies it to [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// Numbers; money in major units.
    Number(f64),
    /// UTC.
    Date(NaiveDateTime),
    Bool(bool),
    /// `behaviour.product` (product names) and `segment` (segment ids as decimal strings).
    List(Vec<String>),
}

/// Whether the record matches the tree; see the module doc for the rules.
pub fn evaluate(tree: &Group, record: &impl Fn(&FieldRef) -> Option<Value>, now: NaiveDateTime) -> bool {
    tree.conditions.is_empty() || evaluate_group(tree, record, now)
}

fn evaluate_group(group: &Group, record: &impl Fn(&FieldRef) -> Option<Value>, now: NaiveDateTime) -> bool {
    let holds = |node: &Node| match node {
        Node::Group(g) => evaluate_group(g, record, now),
        Node::Condition(c) => evaluate_condition(c, record, now),
    };
    match group.r#match {
        Match::All => group.conditions.iter().all(holds),
        Match::Any => group.conditions.iter().any(holds),
    }
}

/// One condition against one record (the module doc's rules; malformed conditions are
/// false).
pub fn evaluate_condition(c: &Condition, record: &impl Fn(&FieldRef) -> Option<Value>, now: NaiveDateTime) -> bool {
    let (op, negated) = c.op.positive();
    let Some(field) = FieldRef::parse(&c.field) else {
        return false;
    };
    let Some(operand) = Operand::parse(op, &c.value, now) else {
        return false;
    };
    let holds = record(&field).is_some_and(|value| test(op, &operand, &value, field.is_money()));
    holds != negated
}

/// A condition value made ready for comparison — shared with the SQL compiler (db crate), so
/// that both read a condition's value the same way.
pub enum Operand {
    None,
    Text(String),
    Number(f64),
    /// `in` lists: strings, and integers as decimal strings (segment ids).
    Keys(Vec<String>),
    NumberRange(f64, f64),
    Dates(DateRange),
}

/// Strings as they are, integers as decimal text: how list and enum values compare.
fn key_of(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(_) => v.as_i64().map(|i| i.to_string()),
        _ => None,
    }
}

impl Operand {
    /// The operand of a positive operator (see [`Op::positive`]); `None` when the value does
    /// not fit the operator (such a condition matches nobody).
    pub fn parse(op: Op, v: &Json, now: NaiveDateTime) -> Option<Operand> {
        Some(match op {
            Op::IsSet | Op::IsTrue if v.is_null() => Operand::None,
            Op::Eq => match v {
                Json::String(s) => Operand::Text(s.clone()),
                Json::Number(_) => Operand::Number(v.as_f64()?),
                _ => return None,
            },
            Op::Contains | Op::StartsWith | Op::EndsWith => {
                Operand::Text(v.as_str().filter(|s| !s.is_empty())?.to_string())
            }
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => Operand::Number(v.as_f64()?),
            Op::In => {
                let items = v.as_array().filter(|items| !items.is_empty())?;
                Operand::Keys(items.iter().map(key_of).collect::<Option<_>>()?)
            }
            Op::Between => {
                let [lo, hi] = pair(v).ok()?;
                match (lo.as_f64(), hi.as_f64()) {
                    (Some(lo), Some(hi)) => Operand::NumberRange(lo, hi),
                    _ => Operand::Dates(date_range(op, v, now)?),
                }
            }
            Op::Before | Op::After | Op::InLastDays => Operand::Dates(date_range(op, v, now)?),
            _ => return None,
        })
    }
}

/// A positive operator against a present value.
fn test(op: Op, operand: &Operand, value: &Value, money: bool) -> bool {
    let cmp = |a: f64, b: f64| -> Option<std::cmp::Ordering> {
        if money { Some(money_to_minor(a).cmp(&money_to_minor(b))) } else { a.partial_cmp(&b) }
    };
    use std::cmp::Ordering::*;
    match (op, operand, value) {
        (Op::IsSet, _, Value::List(items)) => !items.is_empty(),
        (Op::IsSet, _, Value::Number(n)) => n.is_finite(),
        (Op::IsSet, _, _) => true,
        (Op::IsTrue, _, Value::Bool(b)) => *b,
        (Op::Eq, Operand::Text(x), Value::Text(s)) => s == x,
        (Op::Eq, Operand::Text(x), Value::List(items)) => items.contains(x),
        (Op::Eq, Operand::Number(x), Value::Number(n)) => cmp(*n, *x) == Some(Equal),
        (Op::Eq, Operand::Number(x), Value::List(items)) => {
            x.fract() == 0.0 && items.iter().any(|item| item.parse::<f64>().ok() == Some(*x))
        }
        (Op::Contains, Operand::Text(x), Value::Text(s)) => s.to_ascii_lowercase().contains(&x.to_ascii_lowercase()),
        (Op::StartsWith, Operand::Text(x), Value::Text(s)) => {
            s.to_ascii_lowercase().starts_with(&x.to_ascii_lowercase())
        }
        (Op::EndsWith, Operand::Text(x), Value::Text(s)) => s.to_ascii_lowercase().ends_with(&x.to_ascii_lowercase()),
        (Op::In, Operand::Keys(keys), Value::Text(s)) => keys.contains(s),
        (Op::In, Operand::Keys(keys), Value::List(items)) => items.iter().any(|item| keys.contains(item)),
        (Op::Gt, Operand::Number(x), Value::Number(n)) => cmp(*n, *x) == Some(Greater),
        (Op::Gte, Operand::Number(x), Value::Number(n)) => {
            matches!(cmp(*n, *x), Some(Greater | Equal))
        }
        (Op::Lt, Operand::Number(x), Value::Number(n)) => cmp(*n, *x) == Some(Less),
        (Op::Lte, Operand::Number(x), Value::Number(n)) => {
            matches!(cmp(*n, *x), Some(Less | Equal))
        }
        (Op::Between, Operand::NumberRange(lo, hi), Value::Number(n)) => {
            matches!(cmp(*n, *lo), Some(Greater | Equal)) && matches!(cmp(*n, *hi), Some(Less | Equal))
        }
        (_, Operand::Dates(range), Value::Date(t)) => range.contains(*t),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn ctx() -> CatalogContext {
        CatalogContext {
            kind: WorkspaceKind::Orders,
            user_properties: vec![
                PropertyDef { name: "plan_tier".into(), ty: FieldType::Text },
                PropertyDef { name: "seats".into(), ty: FieldType::Number },
                PropertyDef { name: "renewal".into(), ty: FieldType::Date },
                PropertyDef { name: "beta".into(), ty: FieldType::Boolean },
            ],
            company_properties: vec![PropertyDef { name: "employees".into(), ty: FieldType::Number }],
            event_names: vec!["login".into(), "report.exported".into()],
            products: vec!["Socks".into(), "Hat".into()],
            segments: vec![SegmentRef { id: 7, name: "VIP".into() }, SegmentRef { id: 9, name: "Trial".into() }],
            values: BTreeMap::from([("user.country".into(), vec!["DE".into(), "FR".into()])]),
        }
    }

    fn tree(json: Json) -> Group {
        serde_json::from_value(json).unwrap()
    }

    fn cond(field: &str, op: Op, value: Json) -> Group {
        Group { r#match: Match::All, conditions: vec![Node::Condition(Condition { field: field.into(), op, value })] }
    }

    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 6, 15).unwrap().and_hms_opt(12, 0, 0).unwrap()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    /// Evaluates one condition against a record with a single field value.
    fn check(field: &str, op: Op, value: Json, record: Option<Value>) -> bool {
        let g = cond(field, op, value);
        evaluate(&g, &|_: &FieldRef| record.clone(), now())
    }

    fn error(tree_json: Json) -> (String, String) {
        let e = validate(&tree(tree_json), &ctx()).unwrap_err();
        (e.path, e.message)
    }

    // --- shape ---------------------------------------------------------------------------

    #[test]
    fn parses_and_serialises_the_api_shape() {
        let json = json!({
            "match": "all",
            "conditions": [
                {"field": "user.country", "op": "in", "value": ["DE", "FR"]},
                {"match": "any", "conditions": [
                    {"field": "rfm.segment", "op": "eq", "value": "champion"},
                    {"field": "user.email_consent", "op": "is_true"}
                ]}
            ]
        });
        let g = tree(json.clone());
        assert_eq!(g.r#match, Match::All);
        assert_eq!(g.condition_count(), 3);
        assert_eq!(g.depth(), 2);
        let Node::Group(inner) = &g.conditions[1] else { panic!("group expected") };
        assert_eq!(inner.r#match, Match::Any);
        let Node::Condition(c) = &inner.conditions[1] else { panic!("condition expected") };
        assert_eq!(c.op, Op::IsTrue);
        assert_eq!(c.value, Json::Null);
        assert_eq!(serde_json::to_value(&g).unwrap(), json);
        let paths: Vec<String> = g.walk().into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["conditions[0]", "conditions[1].conditions[0]", "conditions[1].conditions[1]"]);
        assert_eq!(tree(json!({"conditions": []})), Group::everyone());
        for op in Op::ALL {
            let json = serde_json::to_value(op).unwrap();
            assert_eq!(json, op.key());
            assert_eq!(serde_json::from_value::<Op>(json).unwrap(), op);
        }
    }

    #[test]
    fn parse_errors_name_the_path() {
        let err = |json: Json| Group::from_json(&json).unwrap_err();
        let e = err(json!({"match": "all", "conditions": [
            {"field": "user.email", "op": "eq", "value": "a"},
            {"match": "any", "conditions": [{"field": "user.email", "op": "like", "value": "a"}]}
        ]}));
        assert_eq!(e.path, "conditions[1].conditions[0].op");
        assert!(e.message.contains("unknown variant `like`"), "{}", e.message);
        let e = err(json!({"match": "some", "conditions": []}));
        assert_eq!((e.path.as_str(), e.message.as_str()), ("", "match must be \"all\" or \"any\""));
        assert_eq!(e.to_string(), "(root): match must be \"all\" or \"any\"");
        let e = err(json!({"match": "all", "conditions": [{"field": "user.email", "op": "eq", "vaule": 1}]}));
        assert_eq!(e.path, "conditions[0].vaule");
        assert!(e.message.contains("unknown field `vaule`"), "{}", e.message);
        let e = err(json!({"match": "all", "conditions": [{"op": "eq", "value": 1}]}));
        assert!(e.message.contains("missing field `field`"), "{}", e.message);
        let e = err(json!({"match": "all", "conditions": [3]}));
        assert_eq!(e.path, "conditions[0]");
        let e = err(json!({"match": "all", "conditions": {}}));
        assert_eq!(e.message, "conditions must be an array");
        let e = err(json!({"match": "all", "conditions": [], "extra": 1}));
        assert_eq!(e.message, "unknown key \"extra\" in a group");
        let e = serde_json::from_value::<Group>(json!({"match": "all", "conditions": [[]]}));
        assert!(e.unwrap_err().to_string().starts_with("conditions[0]: must be a condition"));
    }

    // --- fields and catalog --------------------------------------------------------------

    #[test]
    fn field_keys_parse_and_round_trip() {
        let keys = [
            "user.email",
            "user.activity",
            "user.engagement_label",
            "user.preferred_purchase_day",
            "user.properties.plan_tier",
            "user.properties.a.b",
            "company.arr",
            "company.properties.employees",
            "rfm.segment",
            "rfm.m_score",
            "score.fit",
            "behaviour.purchases_total",
            "behaviour.revenue_total",
            "behaviour.first_purchase_at",
            "behaviour.last_purchase_at",
            "behaviour.purchases_last_30d",
            "behaviour.revenue_last_3650d",
            "behaviour.events.login.count_last_1d",
            "behaviour.events.report.exported.count_last_90d",
            "behaviour.product",
            "segment",
        ];
        for key in keys {
            let field = FieldRef::parse(key).unwrap_or_else(|| panic!("{key}"));
            assert_eq!(field.key(), key);
        }
        assert_eq!(
            FieldRef::parse("behaviour.events.report.exported.count_last_90d"),
            Some(FieldRef::Behaviour(Behaviour::EventCountLastDays { name: "report.exported".into(), days: 90 }))
        );
        for bad in [
            "",
            "user",
            "user.",
            "user.nope",
            "user.properties.",
            "company.properties.",
            "rfm.fm_score",
            "score.",
            "segments",
            "behaviour.purchases_last_0d",
            "behaviour.purchases_last_3651d",
            "behaviour.purchases_last_030d",
            "behaviour.purchases_last_+30d",
            "behaviour.purchases_last_30",
            "behaviour.revenue_last_d",
            "behaviour.events..count_last_30d",
            "behaviour.events.login.count_last_30",
            "behaviour.events.login",
            "order.amount",
        ] {
            assert_eq!(FieldRef::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn types_and_operators_follow_the_design() {
        let c = ctx();
        let ty = |key: &str| FieldRef::parse(key).unwrap().ty(&c);
        assert_eq!(ty("user.email"), Some(FieldType::Text));
        assert_eq!(ty("user.last_seen_at"), Some(FieldType::Date));
        assert_eq!(ty("user.sms_consent"), Some(FieldType::Boolean));
        assert_eq!(ty("user.activity"), Some(FieldType::Enum));
        assert_eq!(ty("company.arr"), Some(FieldType::Money));
        assert_eq!(ty("behaviour.revenue_last_90d"), Some(FieldType::Money));
        assert_eq!(ty("behaviour.purchases_last_90d"), Some(FieldType::Number));
        assert_eq!(ty("behaviour.product"), Some(FieldType::Enum));
        assert_eq!(ty("rfm.r_score"), Some(FieldType::Number));
        assert_eq!(ty("score.health"), Some(FieldType::Number));
        assert_eq!(ty("segment"), Some(FieldType::Segment));
        assert_eq!(ty("user.properties.seats"), Some(FieldType::Number));
        assert_eq!(ty("user.properties.unknown"), None);
        assert_eq!(ty("behaviour.events.login.count_last_7d"), Some(FieldType::Number));
        assert_eq!(ty("behaviour.events.logout.count_last_7d"), None);
        assert_eq!(FieldType::Boolean.ops(), [Op::IsTrue, Op::IsFalse]);
        assert!(FieldType::Date.ops().contains(&Op::InLastDays));
        assert!(!FieldType::Money.ops().contains(&Op::Contains));
        assert_eq!(FieldType::Segment.ops(), FieldType::Enum.ops());
        // Every operator belongs to some type.
        for op in Op::ALL {
            let types = [FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Boolean];
            assert!(types.iter().any(|t| t.ops().contains(&op)), "{op}");
        }
    }

    #[test]
    fn catalog_lists_every_field_kind() {
        let c = ctx();
        let defs = catalog(&c);
        let get = |key: &str| defs.iter().find(|d| d.key == key).unwrap_or_else(|| panic!("{key} missing"));
        for def in &defs {
            let field = FieldRef::parse(&def.key).unwrap_or_else(|| panic!("{}", def.key));
            assert_eq!(field.ty(&c), Some(def.ty), "{}", def.key);
            if let (Some(values), Some(labels)) = (&def.values, &def.value_labels) {
                assert_eq!(values.len(), labels.len());
            }
        }
        let mut keys: Vec<&str> = defs.iter().map(|d| d.key.as_str()).collect();
        let total = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), total, "duplicate keys");
        assert_eq!(get("user.country").values, Some(vec!["DE".into(), "FR".into()]));
        assert_eq!(get("user.country").group, FieldGroup::User);
        assert_eq!(get("user.activity").values.as_ref().unwrap(), &ACTIVITY_VALUES);
        assert_eq!(get("user.engagement_label").values.as_ref().unwrap(), &["high", "medium", "low"]);
        assert_eq!(get("user.preferred_purchase_day").values.as_ref().unwrap().len(), 7);
        assert_eq!(get("company.arr").group, FieldGroup::Company);
        assert_eq!(get("user.properties.seats").group, FieldGroup::Property);
        assert_eq!(get("company.properties.employees").ty, FieldType::Number);
        for days in [30, 90, 365] {
            get(&format!("behaviour.purchases_last_{days}d"));
            get(&format!("behaviour.revenue_last_{days}d"));
            get(&format!("behaviour.events.report.exported.count_last_{days}d"));
        }
        assert_eq!(get("behaviour.purchases_last_30d").label, "Number of orders in the last 30 days");
        assert_eq!(get("behaviour.product").values, Some(vec!["Socks".into(), "Hat".into()]));
        let rfm = get("rfm.segment");
        assert_eq!(rfm.values.as_ref().unwrap()[0], "champion");
        assert_eq!(rfm.value_labels.as_ref().unwrap()[0], "♥︎ Champion");
        assert_eq!(rfm.group, FieldGroup::Score);
        let seg = get("segment");
        assert_eq!(seg.values, Some(vec!["7".into(), "9".into()]));
        assert_eq!(seg.value_labels, Some(vec!["VIP".into(), "Trial".into()]));
        get("score.engagement");
        let json = serde_json::to_value(get("company.arr")).unwrap();
        assert_eq!(json, json!({"key": "company.arr", "label": "ARR", "group": "company", "type": "money"}));
        let donations = CatalogContext { kind: WorkspaceKind::Donations, ..CatalogContext::default() };
        assert!(catalog(&donations).iter().any(|d| d.label == "Number of donations"));
    }

    // --- validation ----------------------------------------------------------------------

    #[test]
    fn accepts_valid_trees() {
        let valid = json!({"match": "any", "conditions": [
            {"field": "user.email", "op": "ends_with", "value": "@example.com"},
            {"field": "user.country", "op": "in", "value": ["DE", "XX"]},
            {"field": "user.activity", "op": "ne", "value": "churned"},
            {"field": "user.created_at", "op": "between", "value": ["2024-01-01", "2024-01-01"]},
            {"field": "user.last_seen_at", "op": "after", "value": "2024-05-01T10:00:00+02:00"},
            {"field": "user.churned_at", "op": "is_not_set", "value": null},
            {"field": "user.email_consent", "op": "is_false"},
            {"field": "user.properties.beta", "op": "is_true"},
            {"field": "user.properties.renewal", "op": "in_last_days", "value": 3650},
            {"field": "company.arr", "op": "between", "value": [1000, 1000.5]},
            {"field": "company.properties.employees", "op": "gte", "value": 10},
            {"field": "rfm.segment", "op": "in", "value": ["champion", "loyalist"]},
            {"field": "rfm.r_score", "op": "lte", "value": 2},
            {"field": "score.health", "op": "lt", "value": 40},
            {"field": "behaviour.product", "op": "not_in", "value": ["Socks"]},
            {"field": "behaviour.events.login.count_last_30d", "op": "gt", "value": 0},
            {"field": "segment", "op": "in", "value": [7, 9]},
            {"field": "segment", "op": "ne", "value": 7},
            {"match": "all", "conditions": [
                {"field": "user.properties.plan_tier", "op": "contains", "value": "pro"}
            ]}
        ]});
        assert_eq!(validate(&tree(valid), &ctx()), Ok(()));
        assert_eq!(validate(&Group::everyone(), &ctx()), Ok(()));
    }

    #[test]
    fn rejections_name_the_condition() {
        let one = |field: &str, op: &str, value: Json| {
            error(json!({"match": "all", "conditions": [
                {"field": "user.email", "op": "is_set"},
                {"match": "any", "conditions": [{"field": field, "op": op, "value": value}]}
            ]}))
        };
        let path = "conditions[1].conditions[0]";
        let cases: Vec<(&str, &str, Json, &str)> = vec![
            ("user.nope", "eq", json!("x"), "unknown field \"user.nope\""),
            ("user.properties.nope", "eq", json!("x"), "unknown field \"user.properties.nope\""),
            ("behaviour.events.logout.count_last_30d", "gt", json!(1), "no event named \"logout\""),
            ("user.email", "gt", json!("a"), "operator \"gt\" does not apply to the text field"),
            ("user.email_consent", "eq", json!(true), "does not apply to the boolean field"),
            ("score.fit", "contains", json!("1"), "does not apply to the number field"),
            ("user.created_at", "eq", json!("2024-01-01"), "does not apply to the date field"),
            ("user.email", "eq", json!(1), "value must be a string"),
            ("user.email", "contains", json!(""), "value must not be empty"),
            ("user.email", "in", json!([]), "value must be a non-empty array"),
            ("user.email", "in", json!("a"), "value must be a non-empty array"),
            ("user.email", "in", json!(["a", 1]), "value must be a string"),
            ("score.health", "gt", json!("50"), "value must be a number"),
            ("company.arr", "eq", Json::Null, "value must be a number"),
            ("score.health", "between", json!([1]), "two-element array"),
            ("score.health", "between", json!([5, 1]), "from greater than to"),
            ("user.created_at", "before", json!("2024-13-01"), "must be a date"),
            ("user.created_at", "before", json!("01/02/2024"), "must be a date"),
            ("user.created_at", "between", json!(["2024-02-01", "2024-01-01"]), "from after to"),
            ("user.created_at", "in_last_days", json!(0), "whole number of days from 1 to 3650"),
            ("user.created_at", "in_last_days", json!(3651), "whole number of days"),
            ("user.created_at", "not_in_last_days", json!(1.5), "whole number of days"),
            ("user.created_at", "in_last_days", json!("7"), "whole number of days"),
            ("user.created_at", "is_set", json!(true), "operator \"is_set\" takes no value"),
            ("user.activity", "eq", json!("away"), "\"away\" is not a value of user.activity"),
            ("rfm.segment", "in", json!(["champion", "Champion"]), "is not a value of rfm.segment"),
            ("behaviour.product", "eq", json!("Shoes"), "is not a value of behaviour.product"),
            ("segment", "eq", json!(8), "unknown segment 8"),
            ("segment", "in", json!(["7"]), "segment id"),
        ];
        for (field, op, value, expected) in cases {
            let (p, message) = one(field, op, value.clone());
            assert_eq!(p, path, "{field} {op} {value}");
            assert!(message.contains(expected), "{field} {op} {value}: {message}");
        }
    }

    #[test]
    fn structural_limits() {
        // An empty nested group.
        let (path, message) = error(json!({"match": "all", "conditions": [
            {"field": "user.email", "op": "is_set"},
            {"match": "any", "conditions": []}
        ]}));
        assert_eq!(path, "conditions[1]");
        assert_eq!(message, "a nested group needs at least one condition");
        // Five levels are fine, six are not.
        let leaf = json!({"field": "user.email", "op": "is_set"});
        let nest = |levels: usize| {
            let mut node = json!({"match": "all", "conditions": [leaf.clone()]});
            for _ in 1..levels {
                node = json!({"match": "any", "conditions": [node]});
            }
            tree(node)
        };
        assert_eq!(nest(MAX_DEPTH).depth(), 5);
        assert_eq!(validate(&nest(MAX_DEPTH), &ctx()), Ok(()));
        let e = validate(&nest(MAX_DEPTH + 1), &ctx()).unwrap_err();
        assert_eq!(e.path, "conditions[0].conditions[0].conditions[0].conditions[0].conditions[0]");
        assert_eq!(e.message, "groups nest at most 5 levels deep");
        // 100 conditions are fine, 101 are not.
        let many = |n: usize| Group {
            r#match: Match::All,
            conditions: (0..n).map(|_| Node::Condition(serde_json::from_value(leaf.clone()).unwrap())).collect(),
        };
        assert_eq!(validate(&many(MAX_CONDITIONS), &ctx()), Ok(()));
        let e = validate(&many(MAX_CONDITIONS + 1), &ctx()).unwrap_err();
        assert_eq!((e.path.as_str(), e.message.as_str()), ("", "too many conditions (101, at most 100)"));
        let long: Vec<Json> = (0..=MAX_LIST).map(|i| json!(i.to_string())).collect();
        let (_, message) = error(json!({"match": "all", "conditions": [
            {"field": "user.email", "op": "in", "value": long}
        ]}));
        assert_eq!(message, "value lists at most 1000 items");
    }

    #[test]
    fn referenced_segments_are_collected() {
        let g = tree(json!({"match": "any", "conditions": [
            {"field": "segment", "op": "eq", "value": 9},
            {"field": "user.properties.seats", "op": "eq", "value": 4},
            {"match": "all", "conditions": [
                {"field": "segment", "op": "not_in", "value": [7, 9, 3]}
            ]}
        ]}));
        assert_eq!(referenced_segments(&g), [3, 7, 9]);
        assert!(referenced_segments(&Group::everyone()).is_empty());
    }

    // --- evaluation ----------------------------------------------------------------------

    fn text(s: &str) -> Option<Value> {
        Some(Value::Text(s.into()))
    }

    fn num(n: f64) -> Option<Value> {
        Some(Value::Number(n))
    }

    fn date_value(s: &str) -> Option<Value> {
        Some(Value::Date(at(s)))
    }

    fn list(items: &[&str]) -> Option<Value> {
        Some(Value::List(items.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn text_operators() {
        let f = "user.email";
        assert!(check(f, Op::Eq, json!("Ann@x.io"), text("Ann@x.io")));
        assert!(!check(f, Op::Eq, json!("ann@x.io"), text("Ann@x.io")), "eq is case-sensitive");
        assert!(!check(f, Op::Eq, json!("Ann@x.io"), text("Ann@x.io ")), "no trimming");
        assert!(check(f, Op::Ne, json!("ann@x.io"), text("Ann@x.io")));
        assert!(!check(f, Op::Ne, json!("Ann@x.io"), text("Ann@x.io")));
        assert!(check(f, Op::Contains, json!("ANN@"), text("ann@x.io")));
        assert!(!check(f, Op::Contains, json!("bob"), text("ann@x.io")));
        assert!(check(f, Op::NotContains, json!("bob"), text("ann@x.io")));
        assert!(!check(f, Op::NotContains, json!("X.IO"), text("ann@x.io")));
        assert!(check(f, Op::StartsWith, json!("AN"), text("ann@x.io")));
        assert!(!check(f, Op::StartsWith, json!("x.io"), text("ann@x.io")));
        assert!(check(f, Op::EndsWith, json!("X.Io"), text("ann@x.io")));
        assert!(!check(f, Op::EndsWith, json!("ann"), text("ann@x.io")));
        // Only ASCII letters fold; wildcards are literal.
        assert!(!check(f, Op::Contains, json!("É"), text("café")));
        assert!(check(f, Op::Contains, json!("CAF"), text("café")));
        assert!(!check(f, Op::Contains, json!("a%o"), text("ann@x.io")));
        assert!(check(f, Op::Contains, json!("_"), text("a_b")));
        assert!(!check(f, Op::Contains, json!("_"), text("ab")));
        assert!(check(f, Op::In, json!(["a", "b"]), text("b")));
        assert!(!check(f, Op::In, json!(["a", "b"]), text("B")));
        assert!(check(f, Op::NotIn, json!(["a", "b"]), text("c")));
        assert!(!check(f, Op::NotIn, json!(["a", "b"]), text("a")));
        assert!(check(f, Op::IsSet, Json::Null, text("")), "empty text is set");
        assert!(!check(f, Op::IsNotSet, Json::Null, text("x")));
    }

    #[test]
    fn null_semantics() {
        let cases: [(&str, Op, Json, bool); 21] = [
            ("user.email", Op::Eq, json!("a"), false),
            ("user.email", Op::Ne, json!("a"), true),
            ("user.email", Op::Contains, json!("a"), false),
            ("user.email", Op::NotContains, json!("a"), true),
            ("user.email", Op::StartsWith, json!("a"), false),
            ("user.email", Op::EndsWith, json!("a"), false),
            ("user.email", Op::In, json!(["a"]), false),
            ("user.email", Op::NotIn, json!(["a"]), true),
            ("user.email", Op::IsSet, Json::Null, false),
            ("user.email", Op::IsNotSet, Json::Null, true),
            ("score.health", Op::Gt, json!(1), false),
            ("score.health", Op::Gte, json!(1), false),
            ("score.health", Op::Lt, json!(1), false),
            ("score.health", Op::Lte, json!(1), false),
            ("score.health", Op::Between, json!([0, 100]), false),
            ("user.created_at", Op::Before, json!("2030-01-01"), false),
            ("user.created_at", Op::After, json!("2000-01-01"), false),
            ("user.created_at", Op::InLastDays, json!(30), false),
            ("user.created_at", Op::NotInLastDays, json!(30), true),
            ("user.sms_consent", Op::IsTrue, Json::Null, false),
            ("user.sms_consent", Op::IsFalse, Json::Null, true),
        ];
        for (field, op, value, expected) in cases {
            assert_eq!(check(field, op, value, None), expected, "{field} {op} on NULL");
        }
        // A value of the wrong kind counts as NULL.
        assert!(!check("score.health", Op::Gt, json!(1), text("50")));
        assert!(check("score.health", Op::Ne, json!(1), text("1")));
        assert!(!check("score.health", Op::IsSet, Json::Null, num(f64::NAN)));
    }

    #[test]
    fn number_and_money_operators() {
        let f = "score.health";
        assert!(check(f, Op::Eq, json!(50), num(50.0)));
        assert!(!check(f, Op::Eq, json!(50.5), num(50.0)));
        assert!(check(f, Op::Ne, json!(51), num(50.0)));
        assert!(check(f, Op::Gt, json!(49.9), num(50.0)));
        assert!(!check(f, Op::Gt, json!(50), num(50.0)));
        assert!(check(f, Op::Gte, json!(50), num(50.0)));
        assert!(check(f, Op::Lt, json!(50.1), num(50.0)));
        assert!(!check(f, Op::Lt, json!(50), num(50.0)));
        assert!(check(f, Op::Lte, json!(50), num(50.0)));
        assert!(check(f, Op::Between, json!([50, 60]), num(50.0)), "inclusive low");
        assert!(check(f, Op::Between, json!([40, 50]), num(50.0)), "inclusive high");
        assert!(!check(f, Op::Between, json!([51, 60]), num(50.0)));
        assert!(check(f, Op::IsSet, Json::Null, num(0.0)));
        // Money compares in minor units, rounding the decimal form half away from zero.
        let m = "company.arr";
        assert!(check(m, Op::Eq, json!(0.1 + 0.2), num(0.3)));
        assert!(!check("score.fit", Op::Eq, json!(0.1 + 0.2), num(0.3)));
        assert!(check(m, Op::Eq, json!(12.3), num(1230.0 / 100.0)));
        assert!(check(m, Op::Eq, json!(12.004), num(12.0)));
        assert!(check(m, Op::Gt, json!(12.004), num(12.01)));
        assert!(!check(m, Op::Gt, json!(12.004), num(12.0)));
        assert!(check(m, Op::Between, json!([-5, 12.001]), num(12.0)));
        assert_eq!(money_to_minor(12.345), 1235);
        assert_eq!(money_to_minor(1.005), 101, "1.005 × 100 = 100.49999… in f64");
        assert_eq!(money_to_minor(1e-7), 0);
        assert_eq!(money_to_minor(1e15), 100_000_000_000_000_000);
        assert_eq!(money_to_minor(-12.3), -1230);
        assert!(check(m, Op::Eq, json!(1.005), num(1.01)));
        assert_eq!(money_to_minor(-0.005), -1);
        assert_eq!(money_to_minor(0.125), 13);
        assert!(check("behaviour.revenue_last_30d", Op::Lte, json!(0), num(-3.5)));
    }

    #[test]
    fn date_operators() {
        let f = "user.last_seen_at";
        let v = |s| date_value(s);
        // before: strictly before the day's start (or the instant).
        assert!(check(f, Op::Before, json!("2024-05-01"), v("2024-04-30 23:59:59")));
        assert!(!check(f, Op::Before, json!("2024-05-01"), v("2024-05-01 00:00:00")));
        assert!(check(f, Op::Before, json!("2024-05-01T10:00:00Z"), v("2024-05-01 09:59:59")));
        assert!(!check(f, Op::Before, json!("2024-05-01T10:00:00Z"), v("2024-05-01 10:00:00")));
        // after a day: from the next midnight on; after an instant: strictly later.
        assert!(!check(f, Op::After, json!("2024-05-01"), v("2024-05-01 23:59:59")));
        assert!(check(f, Op::After, json!("2024-05-01"), v("2024-05-02 00:00:00")));
        assert!(!check(f, Op::After, json!("2024-05-01T10:00:00Z"), v("2024-05-01 10:00:00")));
        assert!(check(f, Op::After, json!("2024-05-01T10:00:00Z"), v("2024-05-01 10:00:01")));
        // Offsets convert to UTC; fractions of a second are dropped from condition values.
        assert!(check(f, Op::After, json!("2024-05-01T12:00:00+02:00"), v("2024-05-01 10:00:01")));
        assert!(check(f, Op::After, json!("2024-05-01T10:00:00.900Z"), v("2024-05-01 10:00:00.5")));
        // between: inclusive, whole days.
        let range = json!(["2024-05-01", "2024-05-31"]);
        assert!(check(f, Op::Between, range.clone(), v("2024-05-01 00:00:00")));
        assert!(check(f, Op::Between, range.clone(), v("2024-05-31 23:59:59")));
        assert!(!check(f, Op::Between, range.clone(), v("2024-06-01 00:00:00")));
        assert!(!check(f, Op::Between, range, v("2024-04-30 23:59:59")));
        let instants = json!(["2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z"]);
        assert!(check(f, Op::Between, instants.clone(), v("2024-05-01 11:00:00")));
        assert!(!check(f, Op::Between, instants, v("2024-05-01 11:00:01")));
        // in_last_days N: [now − N days, now]; now is 2024-06-15 12:00.
        assert!(check(f, Op::InLastDays, json!(7), v("2024-06-08 12:00:00")));
        assert!(!check(f, Op::InLastDays, json!(7), v("2024-06-08 11:59:59")));
        assert!(check(f, Op::InLastDays, json!(7), v("2024-06-15 12:00:00")));
        assert!(!check(f, Op::InLastDays, json!(7), v("2024-06-15 12:00:01")), "future");
        assert!(check(f, Op::NotInLastDays, json!(7), v("2024-06-01 00:00:00")));
        assert!(check(f, Op::NotInLastDays, json!(7), v("2024-06-16 00:00:00")));
        assert!(!check(f, Op::NotInLastDays, json!(7), v("2024-06-10 00:00:00")));
        assert!(check(f, Op::IsSet, Json::Null, v("2024-06-10 00:00:00")));
        assert_eq!(
            date_range(Op::NotInLastDays, &json!(1), now()),
            Some(DateRange { lower: Bound::Included(at("2024-06-14 12:00:00")), upper: Bound::Included(now()) })
        );
        assert_eq!(
            date_range(Op::After, &json!("2024-02-29"), now()).unwrap().lower,
            Bound::Included(at("2024-03-01 00:00:00"))
        );
        assert_eq!(date_range(Op::Eq, &json!("2024-02-29"), now()), None);
    }

    #[test]
    fn boolean_enum_list_and_segment_operators() {
        let b = "user.email_consent";
        assert!(check(b, Op::IsTrue, Json::Null, Some(Value::Bool(true))));
        assert!(!check(b, Op::IsTrue, Json::Null, Some(Value::Bool(false))));
        assert!(check(b, Op::IsFalse, Json::Null, Some(Value::Bool(false))));
        assert!(!check(b, Op::IsFalse, Json::Null, Some(Value::Bool(true))));
        let e = "rfm.segment";
        assert!(check(e, Op::Eq, json!("champion"), text("champion")));
        assert!(check(e, Op::Ne, json!("champion"), text("lost")));
        assert!(check(e, Op::In, json!(["lost", "new"]), text("new")));
        assert!(check(e, Op::NotIn, json!(["lost", "new"]), text("champion")));
        assert!(check(e, Op::IsSet, Json::Null, text("lost")));
        let p = "behaviour.product";
        assert!(check(p, Op::Eq, json!("Hat"), list(&["Socks", "Hat"])));
        assert!(!check(p, Op::Eq, json!("hat"), list(&["Socks", "Hat"])));
        assert!(check(p, Op::Ne, json!("Shoes"), list(&["Socks", "Hat"])));
        assert!(!check(p, Op::Ne, json!("Hat"), list(&["Socks", "Hat"])));
        assert!(check(p, Op::In, json!(["Shoes", "Socks"]), list(&["Socks"])));
        assert!(!check(p, Op::In, json!(["Shoes"]), list(&["Socks"])));
        assert!(check(p, Op::NotIn, json!(["Shoes"]), list(&["Socks"])));
        assert!(!check(p, Op::NotIn, json!(["Shoes", "Socks"]), list(&["Socks"])));
        assert!(check(p, Op::NotIn, json!(["Shoes"]), list(&[])));
        assert!(!check(p, Op::IsSet, Json::Null, list(&[])));
        assert!(check(p, Op::IsNotSet, Json::Null, list(&[])));
        assert!(check(p, Op::IsSet, Json::Null, list(&["Hat"])));
        let s = "segment";
        assert!(check(s, Op::Eq, json!(7), list(&["7", "12"])));
        assert!(!check(s, Op::Eq, json!(1), list(&["7", "12"])));
        assert!(check(s, Op::Ne, json!(1), list(&["7", "12"])));
        assert!(check(s, Op::In, json!([1, 12]), list(&["7", "12"])));
        assert!(check(s, Op::NotIn, json!([1, 2]), list(&["7", "12"])));
        assert!(check(s, Op::Ne, json!(7), None));
    }

    #[test]
    fn groups_combine_and_malformed_conditions_match_nobody() {
        let g = tree(json!({"match": "all", "conditions": [
            {"field": "score.health", "op": "gte", "value": 50},
            {"match": "any", "conditions": [
                {"field": "user.country", "op": "eq", "value": "DE"},
                {"field": "user.country", "op": "eq", "value": "FR"}
            ]}
        ]}));
        let record = |health: f64, country: &'static str| {
            move |f: &FieldRef| match f {
                FieldRef::Score(ScoreKind::Health) => num(health),
                FieldRef::User(UserField::Country) => text(country),
                _ => None,
            }
        };
        assert!(evaluate(&g, &record(60.0, "FR"), now()));
        assert!(!evaluate(&g, &record(40.0, "FR"), now()));
        assert!(!evaluate(&g, &record(60.0, "US"), now()));
        let nobody = |_: &FieldRef| None;
        assert!(evaluate(&Group::everyone(), &nobody, now()));
        assert!(evaluate(&Group { r#match: Match::Any, conditions: vec![] }, &nobody, now()));
        // Nested empty groups: all = true, any = false.
        let nested = |m: &str| tree(json!({"match": "all", "conditions": [{"match": m, "conditions": []}]}));
        assert!(evaluate(&nested("all"), &nobody, now()));
        assert!(!evaluate(&nested("any"), &nobody, now()));
        // Malformed values and unknown keys match nobody, even negated.
        assert!(!check("score.health", Op::Ne, json!([1]), num(2.0)));
        assert!(!check("score.health", Op::Between, json!([1]), num(2.0)));
        assert!(!check("user.created_at", Op::NotInLastDays, json!(0), None));
        assert!(!check("user.nope", Op::IsNotSet, Json::Null, None));
        assert!(!check("user.email", Op::IsNotSet, json!(1), None));
    }

    fn record_value() -> impl Strategy<Value = Option<Value>> {
        prop_oneof![
            Just(None),
            "[a-cA-C_%é]{0,4}".prop_map(|s| Some(Value::Text(s))),
            (-3i32..4).prop_map(|n| Some(Value::Number(f64::from(n) / 2.0))),
            (0i64..40 * 24).prop_map(|h| Some(Value::Date(now() - Duration::hours(h) + Duration::hours(48)))),
            any::<bool>().prop_map(|b| Some(Value::Bool(b))),
            prop::collection::vec("[a-c]", 0..3).prop_map(|l| Some(Value::List(l))),
        ]
    }

    fn condition_value() -> impl Strategy<Value = Json> {
        prop_oneof![
            Just(Json::Null),
            "[a-cA-C]{1,2}".prop_map(Json::from),
            (-3i32..4).prop_map(|n| json!(f64::from(n) / 2.0)),
            prop::collection::vec("[a-c]", 1..3).prop_map(|l| json!(l)),
            (-3i32..4, 0i32..3).prop_map(|(lo, w)| json!([lo, lo + w])),
            (1u32..40).prop_map(Json::from),
            (1u32..30).prop_map(|d| json!(format!("2024-06-{d:02}"))),
            (1u32..30, 1u32..5)
                .prop_map(|(d, w)| json!([format!("2024-05-{d:02}"), format!("2024-06-{:02}", d.min(25) + w)])),
        ]
    }

    proptest! {
        #[test]
        fn negated_operators_are_the_negation_of_positive_ones(
            value in record_value(),
            operand in condition_value(),
            field in prop::sample::select(vec!["user.email", "score.health", "company.arr",
                "user.created_at", "user.sms_consent", "behaviour.product", "segment"]),
        ) {
            for op in Op::ALL {
                let (positive, negated) = op.positive();
                if !negated {
                    continue;
                }
                let g = cond(field, positive, operand.clone());
                let malformed = Operand::parse(positive, &operand, now()).is_none();
                let p = check(field, positive, operand.clone(), value.clone());
                let n = check(field, op, operand.clone(), value.clone());
                if malformed {
                    prop_assert!(!p && !n);
                } else {
                    prop_assert_eq!(n, !p, "{} {:?} {:?}", op, operand, value);
                }
                if value.is_none() {
                    prop_assert!(!evaluate(&g, &|_: &FieldRef| None, now()));
                }
            }
        }

        #[test]
        fn date_conditions_agree_with_their_range(
            hours_ago in -48i64..24 * 40,
            operand in condition_value(),
            op in prop::sample::select(vec![Op::Before, Op::After, Op::Between, Op::InLastDays]),
        ) {
            let t = now() - Duration::hours(hours_ago);
            let holds = check("user.created_at", op, operand.clone(), Some(Value::Date(t)));
            match date_range(op, &operand, now()) {
                Some(range) => prop_assert_eq!(holds, range.contains(t)),
                None => prop_assert!(!holds),
            }
        }
    }
}
