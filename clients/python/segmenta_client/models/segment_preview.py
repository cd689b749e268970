from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="SegmentPreview")


@_attrs_define
class SegmentPreview:
    """What a draft tree would select now.

    Attributes:
        size (int): Active (not churned) users matching.
        online (int):
        offline (int):
        total (int): Matching users, churned ones included.
        sample (list[User]): The first matching users (by id), at most 20.
    """

    size: int
    online: int
    offline: int
    total: int
    sample: list[User]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        size = self.size

        online = self.online

        offline = self.offline

        total = self.total

        sample = []
        for sample_item_data in self.sample:
            sample_item = sample_item_data.to_dict()
            sample.append(sample_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "size": size,
                "online": online,
                "offline": offline,
                "total": total,
                "sample": sample,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.user import User  # noqa: PLC0415

        d = dict(src_dict)
        size = d.pop("size")

        online = d.pop("online")

        offline = d.pop("offline")

        total = d.pop("total")

        sample = []
        _sample = d.pop("sample")
        for sample_item_data in _sample:
            sample_item = User.from_dict(sample_item_data)

            sample.append(sample_item)

        segment_preview = cls(
            size=size,
            online=online,
            offline=offline,
            total=total,
            sample=sample,
        )

        segment_preview.additional_properties = d
        return segment_preview

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
