from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ScoringMatrixCell")


@_attrs_define
class ScoringMatrixCell:
    """
    Attributes:
        fit (int): Fit bucket 1–5 (row).
        engagement (int): Engagement bucket 1–5 (column).
        fit_min (int): Score ranges of the cell, inclusive, for a link to its users.
        fit_max (int):
        engagement_min (int):
        engagement_max (int):
        count (int):
    """

    fit: int
    engagement: int
    fit_min: int
    fit_max: int
    engagement_min: int
    engagement_max: int
    count: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fit = self.fit

        engagement = self.engagement

        fit_min = self.fit_min

        fit_max = self.fit_max

        engagement_min = self.engagement_min

        engagement_max = self.engagement_max

        count = self.count

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fit": fit,
                "engagement": engagement,
                "fit_min": fit_min,
                "fit_max": fit_max,
                "engagement_min": engagement_min,
                "engagement_max": engagement_max,
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fit = d.pop("fit")

        engagement = d.pop("engagement")

        fit_min = d.pop("fit_min")

        fit_max = d.pop("fit_max")

        engagement_min = d.pop("engagement_min")

        engagement_max = d.pop("engagement_max")

        count = d.pop("count")

        scoring_matrix_cell = cls(
            fit=fit,
            engagement=engagement,
            fit_min=fit_min,
            fit_max=fit_max,
            engagement_min=engagement_min,
            engagement_max=engagement_max,
            count=count,
        )

        scoring_matrix_cell.additional_properties = d
        return scoring_matrix_cell

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
