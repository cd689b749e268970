from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.factor_metric import FactorMetric
    from ..models.score_config import ScoreConfig


T = TypeVar("T", bound="ScoreSettings")


@_attrs_define
class ScoreSettings:
    """`GET/PUT /settings/scores`.

    Example:
        {'engagement': {'factors': [{'bad': 0, 'days': 30, 'good': 40, 'metric': 'events_in_last_days', 'weight': 1}]},
            'fit': {'factors': [{'bad': 0, 'good': 50000, 'metric': 'company_arr', 'weight': 1}]}, 'health': {'factors':
            [{'bad': 60, 'good': 3, 'metric': 'days_since_last_seen', 'weight': 2}, {'bad': 1, 'good': 5, 'metric':
            'r_score', 'weight': 1}]}}

    Attributes:
        health (ScoreConfig):
        engagement (ScoreConfig):
        fit (ScoreConfig):
        metrics (list[FactorMetric] | Unset): The metrics factors can use (ignored on `PUT`).
    """

    health: ScoreConfig
    engagement: ScoreConfig
    fit: ScoreConfig
    metrics: list[FactorMetric] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        health = self.health.to_dict()

        engagement = self.engagement.to_dict()

        fit = self.fit.to_dict()

        metrics: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.metrics, Unset):
            metrics = []
            for metrics_item_data in self.metrics:
                metrics_item = metrics_item_data.to_dict()
                metrics.append(metrics_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "health": health,
                "engagement": engagement,
                "fit": fit,
            }
        )
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.factor_metric import FactorMetric  # noqa: PLC0415
        from ..models.score_config import ScoreConfig  # noqa: PLC0415

        d = dict(src_dict)
        health = ScoreConfig.from_dict(d.pop("health"))

        engagement = ScoreConfig.from_dict(d.pop("engagement"))

        fit = ScoreConfig.from_dict(d.pop("fit"))

        _metrics = d.pop("metrics", UNSET)
        metrics: list[FactorMetric] | Unset = UNSET
        if _metrics is not UNSET:
            metrics = []
            for metrics_item_data in _metrics:
                metrics_item = FactorMetric.from_dict(metrics_item_data)

                metrics.append(metrics_item)

        score_settings = cls(
            health=health,
            engagement=engagement,
            fit=fit,
            metrics=metrics,
        )

        score_settings.additional_properties = d
        return score_settings

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
