from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role, check_role
from ..types import UNSET, Unset

T = TypeVar("T", bound="PageOperatorItemsItem")


@_attrs_define
class PageOperatorItemsItem:
    """
    Attributes:
        id (int):
        workspace_id (int):
        workspace_name (str):
        email (str):
        role (Role):
        created_at (datetime.datetime):
        name (None | str | Unset):
        active_segment_id (int | None | Unset):
    """

    id: int
    workspace_id: int
    workspace_name: str
    email: str
    role: Role
    created_at: datetime.datetime
    name: None | str | Unset = UNSET
    active_segment_id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        workspace_id = self.workspace_id

        workspace_name = self.workspace_name

        email = self.email

        role: str = self.role

        created_at = self.created_at.isoformat()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        active_segment_id: int | None | Unset
        if isinstance(self.active_segment_id, Unset):
            active_segment_id = UNSET
        else:
            active_segment_id = self.active_segment_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "workspace_id": workspace_id,
                "workspace_name": workspace_name,
                "email": email,
                "role": role,
                "created_at": created_at,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if active_segment_id is not UNSET:
            field_dict["active_segment_id"] = active_segment_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        workspace_id = d.pop("workspace_id")

        workspace_name = d.pop("workspace_name")

        email = d.pop("email")

        role = check_role(d.pop("role"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_active_segment_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        active_segment_id = _parse_active_segment_id(d.pop("active_segment_id", UNSET))

        page_operator_items_item = cls(
            id=id,
            workspace_id=workspace_id,
            workspace_name=workspace_name,
            email=email,
            role=role,
            created_at=created_at,
            name=name,
            active_segment_id=active_segment_id,
        )

        page_operator_items_item.additional_properties = d
        return page_operator_items_item

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
