from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SegmentMetricValues")


@_attrs_define
class SegmentMetricValues:
    """The metrics of docs/metrics.md over a set of active members.

    Attributes:
        size (int): Active (not churned) members.
        contacts (int): Active members reachable on at least one channel (consent and a valid address).
        online (int): Active members seen within the activity window.
        offline (int):
        total_arr (float): Companies' ARR counted once per company; for members without one, their revenue in
            the 365 days before `as_of`.
        total_value (float): Revenue in the period, refunds netted.
        purchases (int): Purchases in the period.
        avg_health_score (float | None | Unset): Mean health score of the members that have one.
        aof (float | None | Unset): Purchases (donations) per member.
        aov (float | None | Unset): Revenue per purchase.
        acv (float | None | Unset): Revenue per member.
    """

    size: int
    contacts: int
    online: int
    offline: int
    total_arr: float
    total_value: float
    purchases: int
    avg_health_score: float | None | Unset = UNSET
    aof: float | None | Unset = UNSET
    aov: float | None | Unset = UNSET
    acv: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        size = self.size

        contacts = self.contacts

        online = self.online

        offline = self.offline

        total_arr = self.total_arr

        total_value = self.total_value

        purchases = self.purchases

        avg_health_score: float | None | Unset
        if isinstance(self.avg_health_score, Unset):
            avg_health_score = UNSET
        else:
            avg_health_score = self.avg_health_score

        aof: float | None | Unset
        if isinstance(self.aof, Unset):
            aof = UNSET
        else:
            aof = self.aof

        aov: float | None | Unset
        if isinstance(self.aov, Unset):
            aov = UNSET
        else:
            aov = self.aov

        acv: float | None | Unset
        if isinstance(self.acv, Unset):
            acv = UNSET
        else:
            acv = self.acv

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "size": size,
                "contacts": contacts,
                "online": online,
                "offline": offline,
                "total_arr": total_arr,
                "total_value": total_value,
                "purchases": purchases,
            }
        )
        if avg_health_score is not UNSET:
            field_dict["avg_health_score"] = avg_health_score
        if aof is not UNSET:
            field_dict["aof"] = aof
        if aov is not UNSET:
            field_dict["aov"] = aov
        if acv is not UNSET:
            field_dict["acv"] = acv

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        size = d.pop("size")

        contacts = d.pop("contacts")

        online = d.pop("online")

        offline = d.pop("offline")

        total_arr = d.pop("total_arr")

        total_value = d.pop("total_value")

        purchases = d.pop("purchases")

        def _parse_avg_health_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        avg_health_score = _parse_avg_health_score(d.pop("avg_health_score", UNSET))

        def _parse_aof(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        aof = _parse_aof(d.pop("aof", UNSET))

        def _parse_aov(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        aov = _parse_aov(d.pop("aov", UNSET))

        def _parse_acv(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        acv = _parse_acv(d.pop("acv", UNSET))

        segment_metric_values = cls(
            size=size,
            contacts=contacts,
            online=online,
            offline=offline,
            total_arr=total_arr,
            total_value=total_value,
            purchases=purchases,
            avg_health_score=avg_health_score,
            aof=aof,
            aov=aov,
            acv=acv,
        )

        segment_metric_values.additional_properties = d
        return segment_metric_values

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
