from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="HistoryPoint")


@_attrs_define
class HistoryPoint:
    """Members at the end of a day (UTC), and the day's entries and exits. The last point of a
    history that reaches today is the segment's member count now.

        Attributes:
            date (datetime.date):
            size (int):
            entered (int):
            exited (int):
    """

    date: datetime.date
    size: int
    entered: int
    exited: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        size = self.size

        entered = self.entered

        exited = self.exited

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "date": date,
                "size": size,
                "entered": entered,
                "exited": exited,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        date = datetime.date.fromisoformat(d.pop("date"))

        size = d.pop("size")

        entered = d.pop("entered")

        exited = d.pop("exited")

        history_point = cls(
            date=date,
            size=size,
            entered=entered,
            exited=exited,
        )

        history_point.additional_properties = d
        return history_point

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
