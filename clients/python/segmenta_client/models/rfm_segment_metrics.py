from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rfm_segment_ref import RfmSegmentRef
    from ..models.segment_metric_values import SegmentMetricValues


T = TypeVar("T", bound="RfmSegmentMetrics")


@_attrs_define
class RfmSegmentMetrics:
    """
    Attributes:
        segment (RfmSegmentRef): An RFM segment: stable key, display name and symbol.
        metrics (SegmentMetricValues): The metrics of docs/metrics.md over a set of active members.
    """

    segment: RfmSegmentRef
    metrics: SegmentMetricValues
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment = self.segment.to_dict()

        metrics = self.metrics.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment": segment,
                "metrics": metrics,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rfm_segment_ref import RfmSegmentRef  # noqa: PLC0415
        from ..models.segment_metric_values import SegmentMetricValues  # noqa: PLC0415

        d = dict(src_dict)
        segment = RfmSegmentRef.from_dict(d.pop("segment"))

        metrics = SegmentMetricValues.from_dict(d.pop("metrics"))

        rfm_segment_metrics = cls(
            segment=segment,
            metrics=metrics,
        )

        rfm_segment_metrics.additional_properties = d
        return rfm_segment_metrics

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
