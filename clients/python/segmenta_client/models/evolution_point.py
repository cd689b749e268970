from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EvolutionPoint")


@_attrs_define
class EvolutionPoint:
    """
    Attributes:
        month (str): `YYYY-MM`.
        as_of (datetime.date): The date the count is as of: the month's last day (or `to`).
        count (int):
        scored (int): Users with any RFM segment that day.
    """

    month: str
    as_of: datetime.date
    count: int
    scored: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        month = self.month

        as_of = self.as_of.isoformat()

        count = self.count

        scored = self.scored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "month": month,
                "as_of": as_of,
                "count": count,
                "scored": scored,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        month = d.pop("month")

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        count = d.pop("count")

        scored = d.pop("scored")

        evolution_point = cls(
            month=month,
            as_of=as_of,
            count=count,
            scored=scored,
        )

        evolution_point.additional_properties = d
        return evolution_point

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
