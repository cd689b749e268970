from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.workspace_kind import WorkspaceKind, check_workspace_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metric_def import MetricDef
    from ..models.rfm_segment_metrics import RfmSegmentMetrics
    from ..models.segment_metric_values import SegmentMetricValues


T = TypeVar("T", bound="SegmentMetricsReport")


@_attrs_define
class SegmentMetricsReport:
    """`GET /metrics/segments`: the eight RFM segments, the users without one, and the total.

    Attributes:
        as_of (datetime.date): RFM membership and the activity window are as of this date.
        to (datetime.date):
        kind (WorkspaceKind): `orders` (retail, e-commerce, subscriptions) or `donations` (non-profits): only changes
            labels (AOF/AOV become ADF/ADV, "orders" become "donations").
        definitions (list[MetricDef]): Keys and labels of the metrics, in display order.
        rfm (list[RfmSegmentMetrics]): In the product's order: champion, loyalist, …, lost.
        unscored (SegmentMetricValues): The metrics of docs/metrics.md over a set of active members.
        total (SegmentMetricValues): The metrics of docs/metrics.md over a set of active members.
        from_ (datetime.date | None | Unset): The period of purchases and revenue (`null`: from the beginning).
        segment (int | None | Unset): The segment the metrics are restricted to, if any (a custom segment's id, or an
            RFM
            segment's, −1 … −8).
    """

    as_of: datetime.date
    to: datetime.date
    kind: WorkspaceKind
    definitions: list[MetricDef]
    rfm: list[RfmSegmentMetrics]
    unscored: SegmentMetricValues
    total: SegmentMetricValues
    from_: datetime.date | None | Unset = UNSET
    segment: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        to = self.to.isoformat()

        kind: str = self.kind

        definitions = []
        for definitions_item_data in self.definitions:
            definitions_item = definitions_item_data.to_dict()
            definitions.append(definitions_item)

        rfm = []
        for rfm_item_data in self.rfm:
            rfm_item = rfm_item_data.to_dict()
            rfm.append(rfm_item)

        unscored = self.unscored.to_dict()

        total = self.total.to_dict()

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.date):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        segment: int | None | Unset
        if isinstance(self.segment, Unset):
            segment = UNSET
        else:
            segment = self.segment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "to": to,
                "kind": kind,
                "definitions": definitions,
                "rfm": rfm,
                "unscored": unscored,
                "total": total,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if segment is not UNSET:
            field_dict["segment"] = segment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metric_def import MetricDef  # noqa: PLC0415
        from ..models.rfm_segment_metrics import RfmSegmentMetrics  # noqa: PLC0415
        from ..models.segment_metric_values import SegmentMetricValues  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        to = datetime.date.fromisoformat(d.pop("to"))

        kind = check_workspace_kind(d.pop("kind"))

        definitions = []
        _definitions = d.pop("definitions")
        for definitions_item_data in _definitions:
            definitions_item = MetricDef.from_dict(definitions_item_data)

            definitions.append(definitions_item)

        rfm = []
        _rfm = d.pop("rfm")
        for rfm_item_data in _rfm:
            rfm_item = RfmSegmentMetrics.from_dict(rfm_item_data)

            rfm.append(rfm_item)

        unscored = SegmentMetricValues.from_dict(d.pop("unscored"))

        total = SegmentMetricValues.from_dict(d.pop("total"))

        def _parse_from_(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.date.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_segment(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        segment = _parse_segment(d.pop("segment", UNSET))

        segment_metrics_report = cls(
            as_of=as_of,
            to=to,
            kind=kind,
            definitions=definitions,
            rfm=rfm,
            unscored=unscored,
            total=total,
            from_=from_,
            segment=segment,
        )

        segment_metrics_report.additional_properties = d
        return segment_metrics_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
