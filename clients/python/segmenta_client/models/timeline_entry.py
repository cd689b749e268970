from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.segment_event_type import SegmentEventType, check_segment_event_type

T = TypeVar("T", bound="TimelineEntry")


@_attrs_define
class TimelineEntry:
    """An entry into or exit from a segment, on a user's timeline.

    Attributes:
        segment_id (int): A custom segment's id, or an RFM segment's (−1 Champion … −8 Lost).
        segment_name (str):
        type_ (SegmentEventType): Which way a user crossed a segment's boundary.
        at (datetime.datetime):
        trigger (str): What changed the membership (see `SegmentEvent.trigger`).
    """

    segment_id: int
    segment_name: str
    type_: SegmentEventType
    at: datetime.datetime
    trigger: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        segment_id = self.segment_id

        segment_name = self.segment_name

        type_: str = self.type_

        at = self.at.isoformat()

        trigger = self.trigger

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "segment_id": segment_id,
                "segment_name": segment_name,
                "type": type_,
                "at": at,
                "trigger": trigger,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        segment_id = d.pop("segment_id")

        segment_name = d.pop("segment_name")

        type_ = check_segment_event_type(d.pop("type"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        trigger = d.pop("trigger")

        timeline_entry = cls(
            segment_id=segment_id,
            segment_name=segment_name,
            type_=type_,
            at=at,
            trigger=trigger,
        )

        timeline_entry.additional_properties = d
        return timeline_entry

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
