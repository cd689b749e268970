from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.segment_event_type import SegmentEventType, check_segment_event_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="SegmentEvent")


@_attrs_define
class SegmentEvent:
    """A user entering or exiting a segment (custom or RFM: RFM segments have the ids −1 Champion …
    −8 Lost).

        Attributes:
            segment_id (int):
            user_id (int):
            type_ (SegmentEventType): Which way a user crossed a segment's boundary.
            at (datetime.datetime):
            trigger (str): What changed the membership: `save`, `refresh`, `import:users|companies|orders|events`,
                `settings`, `schedule` or `user_deleted`.
            external_id (None | str | Unset): The user's external id; null once the user is deleted.
    """

    segment_id: int
    user_id: int
    type_: SegmentEventType
    at: datetime.datetime
    trigger: str
    external_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment_id = self.segment_id

        user_id = self.user_id

        type_: str = self.type_

        at = self.at.isoformat()

        trigger = self.trigger

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment_id": segment_id,
                "user_id": user_id,
                "type": type_,
                "at": at,
                "trigger": trigger,
            }
        )
        if external_id is not UNSET:
            field_dict["external_id"] = external_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        segment_id = d.pop("segment_id")

        user_id = d.pop("user_id")

        type_ = check_segment_event_type(d.pop("type"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        trigger = d.pop("trigger")

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        segment_event = cls(
            segment_id=segment_id,
            user_id=user_id,
            type_=type_,
            at=at,
            trigger=trigger,
            external_id=external_id,
        )

        segment_event.additional_properties = d
        return segment_event

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
