from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.visibility import Visibility, check_visibility
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition_group import ConditionGroup


T = TypeVar("T", bound="SegmentInput")


@_attrs_define
class SegmentInput:
    """Create (only `name` is required; no conditions means every user) or change (absent fields
    stay; an empty `description` clears it) a segment.

        Example:
            {'conditions': {'conditions': [{'field': 'behaviour.revenue_total', 'op': 'gt', 'value': 500}, {'field':
                'user.last_seen_at', 'op': 'not_in_last_days', 'value': 60}], 'match': 'all'}, 'description': 'Spent over 500,
                not seen for 60 days', 'name': 'Lapsing big spenders', 'visibility': 'public'}

        Attributes:
            name (None | str | Unset): Unique in the workspace, ignoring case.
            description (None | str | Unset):
            visibility (None | Unset | Visibility):
            show_on_user_page (bool | None | Unset):
            conditions (ConditionGroup | None | Unset):
    """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    visibility: None | Unset | Visibility = UNSET
    show_on_user_page: bool | None | Unset = UNSET
    conditions: ConditionGroup | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_group import ConditionGroup  # noqa: PLC0415

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        visibility: None | str | Unset
        if isinstance(self.visibility, Unset):
            visibility = UNSET
        elif isinstance(self.visibility, str):
            visibility = self.visibility
        else:
            visibility = self.visibility

        show_on_user_page: bool | None | Unset
        if isinstance(self.show_on_user_page, Unset):
            show_on_user_page = UNSET
        else:
            show_on_user_page = self.show_on_user_page

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
        if description is not UNSET:
            field_dict["description"] = description
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if show_on_user_page is not UNSET:
            field_dict["show_on_user_page"] = show_on_user_page
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

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_visibility(data: object) -> None | Unset | Visibility:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                visibility_type_1 = check_visibility(data)

                return visibility_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Visibility, data)

        visibility = _parse_visibility(d.pop("visibility", UNSET))

        def _parse_show_on_user_page(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        show_on_user_page = _parse_show_on_user_page(d.pop("show_on_user_page", UNSET))

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

        segment_input = cls(
            name=name,
            description=description,
            visibility=visibility,
            show_on_user_page=show_on_user_page,
            conditions=conditions,
        )

        segment_input.additional_properties = d
        return segment_input

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
