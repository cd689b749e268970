"""Contains all the data models used in inputs/outputs"""

from .active_segment_input import ActiveSegmentInput
from .api_key import ApiKey
from .company import Company
from .company_input import CompanyInput
from .company_input_properties_type_0 import CompanyInputPropertiesType0
from .company_properties import CompanyProperties
from .company_ref import CompanyRef
from .company_row import CompanyRow
from .condition import Condition
from .condition_group import ConditionGroup
from .consent_counts import ConsentCounts
from .create_api_key import CreateApiKey
from .create_operator import CreateOperator
from .created_api_key import CreatedApiKey
from .created_webhook import CreatedWebhook
from .custom_filter import CustomFilter
from .custom_filter_input import CustomFilterInput
from .delivery_status import DeliveryStatus
from .event import Event
from .event_row import EventRow
from .evolution_point import EvolutionPoint
from .factor import Factor
from .factor_metric import FactorMetric
from .field_group import FieldGroup
from .field_type import FieldType
from .filter_catalog import FilterCatalog
from .filter_field import FilterField
from .history_point import HistoryPoint
from .import_kind import ImportKind
from .import_mode import ImportMode
from .import_report import ImportReport
from .login_request import LoginRequest
from .match_kind import MatchKind
from .metric_def import MetricDef
from .month_revenue import MonthRevenue
from .op import Op
from .operator import Operator
from .order import Order
from .order_row import OrderRow
from .overview import Overview
from .page_api_key import PageApiKey
from .page_company import PageCompany
from .page_custom_filter import PageCustomFilter
from .page_operator import PageOperator
from .page_segment import PageSegment
from .page_segment_event import PageSegmentEvent
from .page_user import PageUser
from .page_webhook import PageWebhook
from .page_webhook_delivery import PageWebhookDelivery
from .preview_request import PreviewRequest
from .problem import Problem
from .problem_item import ProblemItem
from .purchase_activity import PurchaseActivity
from .refresh_request import RefreshRequest
from .rfm import Rfm
from .rfm_evolution import RfmEvolution
from .rfm_matrix import RfmMatrix
from .rfm_matrix_cell import RfmMatrixCell
from .rfm_scoring import RfmScoring
from .rfm_segment_count import RfmSegmentCount
from .rfm_segment_metrics import RfmSegmentMetrics
from .rfm_segment_ref import RfmSegmentRef
from .rfm_transitions import RfmTransitions
from .role import Role
from .row_error import RowError
from .scope import Scope
from .score_config import ScoreConfig
from .score_settings import ScoreSettings
from .scoring_matrix import ScoringMatrix
from .scoring_matrix_cell import ScoringMatrixCell
from .scoring_method import ScoringMethod
from .scoring_state import ScoringState
from .scoring_status import ScoringStatus
from .segment import Segment
from .segment_event import SegmentEvent
from .segment_event_type import SegmentEventType
from .segment_history import SegmentHistory
from .segment_input import SegmentInput
from .segment_kind import SegmentKind
from .segment_membership import SegmentMembership
from .segment_metric_values import SegmentMetricValues
from .segment_metrics_report import SegmentMetricsReport
from .segment_order import SegmentOrder
from .segment_preview import SegmentPreview
from .settings import Settings
from .settings_input import SettingsInput
from .signup_request import SignupRequest
from .timeline_entry import TimelineEntry
from .token_response import TokenResponse
from .transition_cell import TransitionCell
from .update_operator import UpdateOperator
from .user import User
from .user_detail import UserDetail
from .user_input import UserInput
from .user_input_properties_type_0 import UserInputPropertiesType0
from .user_properties import UserProperties
from .user_row import UserRow
from .visibility import Visibility
from .webhook import Webhook
from .webhook_delivery import WebhookDelivery
from .webhook_event_type import WebhookEventType
from .webhook_input import WebhookInput
from .webhook_test import WebhookTest
from .workspace_kind import WorkspaceKind

__all__ = (
    "ActiveSegmentInput",
    "ApiKey",
    "Company",
    "CompanyInput",
    "CompanyInputPropertiesType0",
    "CompanyProperties",
    "CompanyRef",
    "CompanyRow",
    "Condition",
    "ConditionGroup",
    "ConsentCounts",
    "CreateApiKey",
    "CreatedApiKey",
    "CreatedWebhook",
    "CreateOperator",
    "CustomFilter",
    "CustomFilterInput",
    "DeliveryStatus",
    "Event",
    "EventRow",
    "EvolutionPoint",
    "Factor",
    "FactorMetric",
    "FieldGroup",
    "FieldType",
    "FilterCatalog",
    "FilterField",
    "HistoryPoint",
    "ImportKind",
    "ImportMode",
    "ImportReport",
    "LoginRequest",
    "MatchKind",
    "MetricDef",
    "MonthRevenue",
    "Op",
    "Operator",
    "Order",
    "OrderRow",
    "Overview",
    "PageApiKey",
    "PageCompany",
    "PageCustomFilter",
    "PageOperator",
    "PageSegment",
    "PageSegmentEvent",
    "PageUser",
    "PageWebhook",
    "PageWebhookDelivery",
    "PreviewRequest",
    "Problem",
    "ProblemItem",
    "PurchaseActivity",
    "RefreshRequest",
    "Rfm",
    "RfmEvolution",
    "RfmMatrix",
    "RfmMatrixCell",
    "RfmScoring",
    "RfmSegmentCount",
    "RfmSegmentMetrics",
    "RfmSegmentRef",
    "RfmTransitions",
    "Role",
    "RowError",
    "Scope",
    "ScoreConfig",
    "ScoreSettings",
    "ScoringMatrix",
    "ScoringMatrixCell",
    "ScoringMethod",
    "ScoringState",
    "ScoringStatus",
    "Segment",
    "SegmentEvent",
    "SegmentEventType",
    "SegmentHistory",
    "SegmentInput",
    "SegmentKind",
    "SegmentMembership",
    "SegmentMetricsReport",
    "SegmentMetricValues",
    "SegmentOrder",
    "SegmentPreview",
    "Settings",
    "SettingsInput",
    "SignupRequest",
    "TimelineEntry",
    "TokenResponse",
    "TransitionCell",
    "UpdateOperator",
    "User",
    "UserDetail",
    "UserInput",
    "UserInputPropertiesType0",
    "UserProperties",
    "UserRow",
    "Visibility",
    "Webhook",
    "WebhookDelivery",
    "WebhookEventType",
    "WebhookInput",
    "WebhookTest",
    "WorkspaceKind",
)
