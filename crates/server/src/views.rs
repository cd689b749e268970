//! The API's views of stored rows and of the domain's vocabularies, shared by the route modules.

use api_types::auth::Operator;
use api_types::filters::{ConditionGroup, ConditionNode, MatchKind};
use api_types::segment_events::SegmentEventType;
use api_types::users::{Company, CompanyRef, RfmSegmentRef, User};
use db::auth::OperatorRow;
use db::people::{CompanyRow, UserRow};
use domain::money::to_major;
use domain::rfm::RfmSegment;
use domain::segment_events::EventType;

pub fn operator_view(row: OperatorRow, workspace_name: String) -> Operator {
    Operator {
        id: row.id,
        workspace_id: row.workspace_id,
        workspace_name,
        email: row.email,
        name: row.name,
        role: row.role,
        active_segment_id: row.active_segment_id,
        created_at: row.created_at,
    }
}

pub fn company_view(row: CompanyRow) -> Company {
    Company {
        id: row.id,
        external_id: row.external_id,
        name: row.name,
        industry: row.industry,
        plan: row.plan,
        arr: row.arr.map(to_major),
        owner: row.owner,
        created_at: row.created_at,
        properties: serde_json::from_str(&row.properties).unwrap_or_default(),
        users: None,
    }
}

pub fn segment_ref(key: Option<&str>) -> Option<RfmSegmentRef> {
    key.and_then(RfmSegment::from_key).map(|s| RfmSegmentRef {
        key: s.key().to_owned(),
        name: s.name().to_owned(),
        symbol: s.symbol().to_owned(),
    })
}

fn properties(text: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn user_view(row: UserRow, company: Option<CompanyRef>) -> User {
    User {
        id: row.id,
        external_id: row.external_id,
        email: row.email,
        name: row.name,
        company,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        churned_at: row.churned_at,
        role: row.role,
        country: row.country,
        phone: row.phone,
        acquisition_channel: row.acquisition_channel,
        client_type: row.client_type,
        payment_type: row.payment_type,
        invoice_period: row.invoice_period,
        complaint_reason: row.complaint_reason,
        email_consent: row.email_consent,
        sms_consent: row.sms_consent,
        properties: properties(&row.properties),
        first_purchase_at: row.first_purchase_at,
        last_purchase_at: row.last_purchase_at,
        purchases: row.purchases,
        revenue: to_major(row.revenue),
        rfm_segment: segment_ref(row.rfm_segment.as_deref()),
        health_score: row.health_score,
        engagement_score: row.engagement_score,
        fit_score: row.fit_score,
    }
}

pub fn company_ref(c: &CompanyRow) -> CompanyRef {
    CompanyRef { id: c.id, external_id: c.external_id.clone(), name: c.name.clone() }
}

pub fn company_name_ref(c: db::lists::CompanyName) -> CompanyRef {
    CompanyRef { id: c.id, external_id: c.external_id, name: c.name }
}

pub fn event_type(kind: EventType) -> SegmentEventType {
    match kind {
        EventType::Entered => SegmentEventType::Entered,
        EventType::Exited => SegmentEventType::Exited,
    }
}

/// A stored condition tree as the API shows it. One that cannot be read (written by another
/// version, or edited by hand) is shown as a tree that matches nobody, never as the empty tree
/// of everyone, with why it cannot be read.
pub fn stored_conditions(text: &str) -> (ConditionGroup, Option<String>) {
    match serde_json::from_str::<ConditionGroup>(text) {
        Ok(tree) => (tree, None),
        Err(e) => {
            let nobody = ConditionGroup {
                r#match: MatchKind::Any,
                conditions: vec![ConditionNode::Group(ConditionGroup {
                    r#match: MatchKind::Any,
                    conditions: Vec::new(),
                })],
            };
            (nobody, Some(format!("its stored conditions cannot be read ({e}); save new conditions to repair it")))
        }
    }
}
