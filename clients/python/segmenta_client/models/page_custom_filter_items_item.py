from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition_group import ConditionGroup


T = TypeVar("T", bound="PageCustomFilterItemsItem")


@_attrs_define
class PageCustomFilterItemsItem:
    """A saved, named condition tree offered in the Users page's filter menu.

    Attributes:
        id (int):
        name (str):
        conditions (ConditionGroup): A group of conditions and nested groups. The root group may be empty: it matches
            every
            user. Groups nest at most `max_depth` levels (the root is level 1) and a tree holds at
            most `max_conditions` conditions (see the catalog).
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        owner_id (int | None | Unset): The operator who created it.
    """

    id: int
    name: str
    conditions: ConditionGroup
    created_at: datetime.datetime
    updated_at: datetime.datetime
    owner_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        conditions = self.conditions.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        owner_id: int | None | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        else:
            owner_id = self.owner_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "conditions": conditions,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_group import ConditionGroup  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        conditions = ConditionGroup.from_dict(d.pop("conditions"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_owner_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        page_custom_filter_items_item = cls(
            id=id,
            name=name,
            conditions=conditions,
            created_at=created_at,
            updated_at=updated_at,
            owner_id=owner_id,
        )

        page_custom_filter_items_item.additional_properties = d
        return page_custom_filter_items_item

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
