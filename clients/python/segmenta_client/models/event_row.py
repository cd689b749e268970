from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EventRow")


@_attrs_define
class EventRow:
    """One product-usage event.

    Example:
        {'customer_id': 'u-1001', 'name': 'login', 'occurred_at': '2025-11-02T14:00:00Z'}

    Attributes:
        customer_id (str): The `external_id` of the user (a bare user is created when unknown).
        name (str):
        occurred_at (str):
    """

    customer_id: str
    name: str
    occurred_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        customer_id = self.customer_id

        name = self.name

        occurred_at = self.occurred_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "customer_id": customer_id,
                "name": name,
                "occurred_at": occurred_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer_id = d.pop("customer_id")

        name = d.pop("name")

        occurred_at = d.pop("occurred_at")

        event_row = cls(
            customer_id=customer_id,
            name=name,
            occurred_at=occurred_at,
        )

        event_row.additional_properties = d
        return event_row

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
