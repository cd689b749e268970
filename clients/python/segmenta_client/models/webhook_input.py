from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.webhook_event_type import WebhookEventType, check_webhook_event_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookInput")


@_attrs_define
class WebhookInput:
    """Create an endpoint (`url` and `events` are required) or change one (absent fields stay;
    `segment_ids: null` means every segment).

        Example:
            {'description': 'CRM sync', 'events': ['segment.entered', 'segment.exited'], 'segment_ids': [3, -6], 'url':
                'https://crm.example.com/hooks/segmenta'}

        Attributes:
            url (None | str | Unset): An `http` or `https` URL on a public address.
            events (list[WebhookEventType] | None | Unset):
            segment_ids (list[int] | None | Unset):
            description (None | str | Unset):
            paused (bool | None | Unset): `true` pauses, `false` resumes (also after it was disabled).
    """

    url: None | str | Unset = UNSET
    events: list[WebhookEventType] | None | Unset = UNSET
    segment_ids: list[int] | None | Unset = UNSET
    description: None | str | Unset = UNSET
    paused: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        events: list[str] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = []
            for events_type_0_item_data in self.events:
                events_type_0_item: str = events_type_0_item_data
                events.append(events_type_0_item)

        else:
            events = self.events

        segment_ids: list[int] | None | Unset
        if isinstance(self.segment_ids, Unset):
            segment_ids = UNSET
        elif isinstance(self.segment_ids, list):
            segment_ids = self.segment_ids

        else:
            segment_ids = self.segment_ids

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        paused: bool | None | Unset
        if isinstance(self.paused, Unset):
            paused = UNSET
        else:
            paused = self.paused

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if events is not UNSET:
            field_dict["events"] = events
        if segment_ids is not UNSET:
            field_dict["segment_ids"] = segment_ids
        if description is not UNSET:
            field_dict["description"] = description
        if paused is not UNSET:
            field_dict["paused"] = paused

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_events(data: object) -> list[WebhookEventType] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = []
                _events_type_0 = data
                for events_type_0_item_data in _events_type_0:
                    events_type_0_item = check_webhook_event_type(events_type_0_item_data)

                    events_type_0.append(events_type_0_item)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[WebhookEventType] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))

        def _parse_segment_ids(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                segment_ids_type_0 = cast(list[int], data)

                return segment_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        segment_ids = _parse_segment_ids(d.pop("segment_ids", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_paused(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        paused = _parse_paused(d.pop("paused", UNSET))

        webhook_input = cls(
            url=url,
            events=events,
            segment_ids=segment_ids,
            description=description,
            paused=paused,
        )

        return webhook_input
