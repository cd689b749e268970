from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_group import FieldGroup, check_field_group
from ..models.field_type import FieldType, check_field_type
from ..models.op import Op, check_op
from ..types import UNSET, Unset

T = TypeVar("T", bound="FilterField")


@_attrs_define
class FilterField:
    """A field conditions may use.

    Attributes:
        key (str):
        label (str):
        group (FieldGroup): Where a catalog field comes from.
        type_ (FieldType): The type of a catalog field, which decides its operators and values.
        operators (list[Op]): The operators that apply to the field's type.
        values (list[str] | None | Unset): For `enum` and `segment` fields: the values accepted (segment ids as text).
            For
            `text` fields: values seen in the data, as suggestions.
        value_labels (list[str] | None | Unset): Display labels of `values` (segment names, RFM segment names with their
            symbols).
    """

    key: str
    label: str
    group: FieldGroup
    type_: FieldType
    operators: list[Op]
    values: list[str] | None | Unset = UNSET
    value_labels: list[str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        label = self.label

        group: str = self.group

        type_: str = self.type_

        operators = []
        for operators_item_data in self.operators:
            operators_item: str = operators_item_data
            operators.append(operators_item)

        values: list[str] | None | Unset
        if isinstance(self.values, Unset):
            values = UNSET
        elif isinstance(self.values, list):
            values = self.values

        else:
            values = self.values

        value_labels: list[str] | None | Unset
        if isinstance(self.value_labels, Unset):
            value_labels = UNSET
        elif isinstance(self.value_labels, list):
            value_labels = self.value_labels

        else:
            value_labels = self.value_labels

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "label": label,
                "group": group,
                "type": type_,
                "operators": operators,
            }
        )
        if values is not UNSET:
            field_dict["values"] = values
        if value_labels is not UNSET:
            field_dict["value_labels"] = value_labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        label = d.pop("label")

        group = check_field_group(d.pop("group"))

        type_ = check_field_type(d.pop("type"))

        operators = []
        _operators = d.pop("operators")
        for operators_item_data in _operators:
            operators_item = check_op(operators_item_data)

            operators.append(operators_item)

        def _parse_values(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                values_type_0 = cast(list[str], data)

                return values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        values = _parse_values(d.pop("values", UNSET))

        def _parse_value_labels(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_labels_type_0 = cast(list[str], data)

                return value_labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        value_labels = _parse_value_labels(d.pop("value_labels", UNSET))

        filter_field = cls(
            key=key,
            label=label,
            group=group,
            type_=type_,
            operators=operators,
            values=values,
            value_labels=value_labels,
        )

        filter_field.additional_properties = d
        return filter_field

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
