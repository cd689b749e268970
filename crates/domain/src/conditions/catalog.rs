//! The field catalog a workspace offers (keys, labels, groups, operators, values).

use super::*;

// ---------------------------------------------------------------------------------------
// Catalog

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
