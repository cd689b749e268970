from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.match_kind import MatchKind, check_match_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition import Condition


T = TypeVar("T", bound="ConditionGroup")


@_attrs_define
class ConditionGroup:
    """A group of conditions and nested groups. The root group may be empty: it matches every
    user. Groups nest at most `max_depth` levels (the root is level 1) and a tree holds at
    most `max_conditions` conditions (see the catalog).

        Attributes:
            match (MatchKind | Unset): How a group combines its items.
            conditions (list[Condition | ConditionGroup] | Unset):
    """

    match: MatchKind | Unset = UNSET
    conditions: list[Condition | ConditionGroup] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition import Condition  # noqa: PLC0415

        match: str | Unset = UNSET
        if not isinstance(self.match, Unset):
            match = self.match

        conditions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = []
            for conditions_item_data in self.conditions:
                conditions_item: dict[str, Any]
                if isinstance(conditions_item_data, Condition):
                    conditions_item = conditions_item_data.to_dict()
                else:
                    conditions_item = conditions_item_data.to_dict()

                conditions.append(conditions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if match is not UNSET:
            field_dict["match"] = match
        if conditions is not UNSET:
            field_dict["conditions"] = conditions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition import Condition  # noqa: PLC0415

        d = dict(src_dict)
        _match = d.pop("match", UNSET)
        match: MatchKind | Unset
        if isinstance(_match, Unset):
            match = UNSET
        else:
            match = check_match_kind(_match)

        _conditions = d.pop("conditions", UNSET)
        conditions: list[Condition | ConditionGroup] | Unset = UNSET
        if _conditions is not UNSET:
            conditions = []
            for conditions_item_data in _conditions:

                def _parse_conditions_item(data: object) -> Condition | ConditionGroup:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_condition_node_type_0 = Condition.from_dict(data)

                        return componentsschemas_condition_node_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_condition_node_type_1 = ConditionGroup.from_dict(data)

                    return componentsschemas_condition_node_type_1

                conditions_item = _parse_conditions_item(conditions_item_data)

                conditions.append(conditions_item)

        condition_group = cls(
            match=match,
            conditions=conditions,
        )

        condition_group.additional_properties = d
        return condition_group

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
