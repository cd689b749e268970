from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.custom_filter import CustomFilter
    from ..models.filter_field import FilterField


T = TypeVar("T", bound="FilterCatalog")


@_attrs_define
class FilterCatalog:
    """`GET /filters`: the default filters (every field) and the workspace's custom filters.

    Attributes:
        fields (list[FilterField]):
        custom_filters (list[CustomFilter]):
        max_depth (int): Levels of nested groups allowed, the root included.
        max_conditions (int): Conditions allowed in one tree.
        windows (list[int]): Behaviour windows the catalog lists; any number of days from 1 to
            `max_window_days` works in a field key (`behaviour.purchases_last_14d`).
        max_window_days (int):
    """

    fields: list[FilterField]
    custom_filters: list[CustomFilter]
    max_depth: int
    max_conditions: int
    windows: list[int]
    max_window_days: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        custom_filters = []
        for custom_filters_item_data in self.custom_filters:
            custom_filters_item = custom_filters_item_data.to_dict()
            custom_filters.append(custom_filters_item)

        max_depth = self.max_depth

        max_conditions = self.max_conditions

        windows = self.windows

        max_window_days = self.max_window_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fields": fields,
                "custom_filters": custom_filters,
                "max_depth": max_depth,
                "max_conditions": max_conditions,
                "windows": windows,
                "max_window_days": max_window_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_filter import CustomFilter  # noqa: PLC0415
        from ..models.filter_field import FilterField  # noqa: PLC0415

        d = dict(src_dict)
        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FilterField.from_dict(fields_item_data)

            fields.append(fields_item)

        custom_filters = []
        _custom_filters = d.pop("custom_filters")
        for custom_filters_item_data in _custom_filters:
            custom_filters_item = CustomFilter.from_dict(custom_filters_item_data)

            custom_filters.append(custom_filters_item)

        max_depth = d.pop("max_depth")

        max_conditions = d.pop("max_conditions")

        windows = cast(list[int], d.pop("windows"))

        max_window_days = d.pop("max_window_days")

        filter_catalog = cls(
            fields=fields,
            custom_filters=custom_filters,
            max_depth=max_depth,
            max_conditions=max_conditions,
            windows=windows,
            max_window_days=max_window_days,
        )

        filter_catalog.additional_properties = d
        return filter_catalog

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
