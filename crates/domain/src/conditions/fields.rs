//! Field keys: their types, and the parsed reference of a condition's `field`.

use super::*;

// ---------------------------------------------------------------------------------------
// Fields

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
pub(super) fn parse_days(text: &str) -> Option<u32> {
    let days: u32 = text.parse().ok()?;
    (days.to_string() == text && (1..=MAX_WINDOW_DAYS).contains(&days)).then_some(days)
}

pub(super) fn non_empty(name: &str) -> Option<String> {
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
