from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition_group import ConditionGroup


T = TypeVar("T", bound="CustomFilterInput")


@_attrs_define
class CustomFilterInput:
    """Create (name and conditions required) or change (absent fields stay) a custom filter.

    Example:
        {'conditions': {'conditions': [{'field': 'user.country', 'op': 'eq', 'value': 'DE'}], 'match': 'all'}, 'name':
            'German customers'}

    Attributes:
        name (None | str | Unset):
        conditions (ConditionGroup | None | Unset):
    """

    name: None | str | Unset = UNSET
    conditions: ConditionGroup | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_group import ConditionGroup  # noqa: PLC0415

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        conditions: dict[str, Any] | None | Unset
        if isinstance(self.conditions, Unset):
            conditions = UNSET
        elif isinstance(self.conditions, ConditionGroup):
            conditions = self.conditions.to_dict()
        else:
            conditions = self.conditions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if conditions is not UNSET:
            field_dict["conditions"] = conditions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_group import ConditionGroup  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_conditions(data: object) -> ConditionGroup | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                conditions_type_1 = ConditionGroup.from_dict(data)

                return conditions_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConditionGroup | None | Unset, data)

        conditions = _parse_conditions(d.pop("conditions", UNSET))

        custom_filter_input = cls(
            name=name,
            conditions=conditions,
        )

        custom_filter_input.additional_properties = d
        return custom_filter_input

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
