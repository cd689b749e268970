from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FactorMetric")


@_attrs_define
class FactorMetric:
    """A metric a factor can use.

    Attributes:
        key (str):
        label (str):
        takes_days (bool): Whether the factor needs `days`.
        takes_name (bool): Whether the factor takes `name` (required for properties).
    """

    key: str
    label: str
    takes_days: bool
    takes_name: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        label = self.label

        takes_days = self.takes_days

        takes_name = self.takes_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "label": label,
                "takes_days": takes_days,
                "takes_name": takes_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        label = d.pop("label")

        takes_days = d.pop("takes_days")

        takes_name = d.pop("takes_name")

        factor_metric = cls(
            key=key,
            label=label,
            takes_days=takes_days,
            takes_name=takes_name,
        )

        factor_metric.additional_properties = d
        return factor_metric

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
