from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MetricDef")


@_attrs_define
class MetricDef:
    """A metric's stable key and its label for the workspace kind (orders or donations).

    Attributes:
        key (str): `size`, `contacts`, `online`, `offline`, `avg_health_score`, `total_arr`, `aof`,
            `aov`, `acv`, `total_value`.
        label (str): E.g. `AOF` for orders, `ADF` for donations.
        description (str):
        money (bool): Whether the value is money (major units).
    """

    key: str
    label: str
    description: str
    money: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        label = self.label

        description = self.description

        money = self.money

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "label": label,
                "description": description,
                "money": money,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        label = d.pop("label")

        description = d.pop("description")

        money = d.pop("money")

        metric_def = cls(
            key=key,
            label=label,
            description=description,
            money=money,
        )

        metric_def.additional_properties = d
        return metric_def

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
