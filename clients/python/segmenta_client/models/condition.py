from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.op import Op, check_op
from ..types import UNSET, Unset

T = TypeVar("T", bound="Condition")


@_attrs_define
class Condition:
    """One condition. `value` depends on the operator: a string, number or segment id for
    `eq`/`ne`/comparisons; an array for `in`/`not_in`; `[from, to]` for `between`; a number of
    days for `in_last_days`/`not_in_last_days`; dates as `YYYY-MM-DD` or RFC 3339; absent for
    `is_set`, `is_not_set`, `is_true`, `is_false`.

        Attributes:
            field (str): A field key of the catalog, e.g. `user.country`, `company.arr`,
                `behaviour.purchases_last_90d`, `behaviour.events.login.count_last_30d`,
                `user.properties.plan_tier`, `rfm.segment`, `score.health`, `segment`.
            op (Op): A condition's operator. By field type: text `eq ne contains not_contains starts_with
                ends_with in not_in is_set is_not_set`; number and money `eq ne gt gte lt lte between
                is_set is_not_set`; date `before after between in_last_days not_in_last_days is_set
                is_not_set`; boolean `is_true is_false`; enum and segment membership `eq ne in not_in
                is_set is_not_set`.
            value (Any | Unset):
    """

    field: str
    op: Op
    value: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        op: str = self.op

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "op": op,
            }
        )
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        op = check_op(d.pop("op"))

        value = d.pop("value", UNSET)

        condition = cls(
            field=field,
            op=op,
            value=value,
        )

        condition.additional_properties = d
        return condition

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
