from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.segment_kind import SegmentKind, check_segment_kind
from ..models.visibility import Visibility, check_visibility
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition_group import ConditionGroup


T = TypeVar("T", bound="Segment")


@_attrs_define
class Segment:
    """A segment with the counts of its last refresh: a custom segment, or an RFM segment (its
    id −1 … −8; its conditions `rfm.segment eq <key>`; `refreshed_at` the latest rescoring).

        Attributes:
            id (int):
            name (str):
            visibility (Visibility): Who sees a segment: every operator of the workspace, or its owner only.
            show_on_user_page (bool): Shown on the user 360 page of its members.
            position (int): Place in the list (ascending).
            conditions (ConditionGroup): A group of conditions and nested groups. The root group may be empty: it matches
                every
                user. Groups nest at most `max_depth` levels (the root is level 1) and a tree holds at
                most `max_conditions` conditions (see the catalog).
            size (int): Active (not churned) members.
            online (int): Active members seen within the workspace's activity window.
            offline (int): Active members not seen within it.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            kind (SegmentKind | Unset): A custom segment, kept by its conditions, or one of the eight RFM segments, kept by
                the
                scoring (read-only, ids −1 … −8).
            description (None | str | Unset):
            owner_id (int | None | Unset): The operator who created it (a private segment is visible to them alone).
            refreshed_at (datetime.datetime | None | Unset): When membership was last computed.
            refresh_ms (int | None | Unset): How long the last refresh took, in milliseconds.
            refresh_error (None | str | Unset): Why the last refresh failed; null when it succeeded.
    """

    id: int
    name: str
    visibility: Visibility
    show_on_user_page: bool
    position: int
    conditions: ConditionGroup
    size: int
    online: int
    offline: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    kind: SegmentKind | Unset = UNSET
    description: None | str | Unset = UNSET
    owner_id: int | None | Unset = UNSET
    refreshed_at: datetime.datetime | None | Unset = UNSET
    refresh_ms: int | None | Unset = UNSET
    refresh_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        visibility: str = self.visibility

        show_on_user_page = self.show_on_user_page

        position = self.position

        conditions = self.conditions.to_dict()

        size = self.size

        online = self.online

        offline = self.offline

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        owner_id: int | None | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        else:
            owner_id = self.owner_id

        refreshed_at: None | str | Unset
        if isinstance(self.refreshed_at, Unset):
            refreshed_at = UNSET
        elif isinstance(self.refreshed_at, datetime.datetime):
            refreshed_at = self.refreshed_at.isoformat()
        else:
            refreshed_at = self.refreshed_at

        refresh_ms: int | None | Unset
        if isinstance(self.refresh_ms, Unset):
            refresh_ms = UNSET
        else:
            refresh_ms = self.refresh_ms

        refresh_error: None | str | Unset
        if isinstance(self.refresh_error, Unset):
            refresh_error = UNSET
        else:
            refresh_error = self.refresh_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "visibility": visibility,
                "show_on_user_page": show_on_user_page,
                "position": position,
                "conditions": conditions,
                "size": size,
                "online": online,
                "offline": offline,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if description is not UNSET:
            field_dict["description"] = description
        if owner_id is not UNSET:
            field_dict["owner_id"] = owner_id
        if refreshed_at is not UNSET:
            field_dict["refreshed_at"] = refreshed_at
        if refresh_ms is not UNSET:
            field_dict["refresh_ms"] = refresh_ms
        if refresh_error is not UNSET:
            field_dict["refresh_error"] = refresh_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_group import ConditionGroup  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        visibility = check_visibility(d.pop("visibility"))

        show_on_user_page = d.pop("show_on_user_page")

        position = d.pop("position")

        conditions = ConditionGroup.from_dict(d.pop("conditions"))

        size = d.pop("size")

        online = d.pop("online")

        offline = d.pop("offline")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        _kind = d.pop("kind", UNSET)
        kind: SegmentKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = check_segment_kind(_kind)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_owner_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        owner_id = _parse_owner_id(d.pop("owner_id", UNSET))

        def _parse_refreshed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                refreshed_at_type_0 = datetime.datetime.fromisoformat(data)

                return refreshed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        refreshed_at = _parse_refreshed_at(d.pop("refreshed_at", UNSET))

        def _parse_refresh_ms(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refresh_ms = _parse_refresh_ms(d.pop("refresh_ms", UNSET))

        def _parse_refresh_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refresh_error = _parse_refresh_error(d.pop("refresh_error", UNSET))

        segment = cls(
            id=id,
            name=name,
            visibility=visibility,
            show_on_user_page=show_on_user_page,
            position=position,
            conditions=conditions,
            size=size,
            online=online,
            offline=offline,
            created_at=created_at,
            updated_at=updated_at,
            kind=kind,
            description=description,
            owner_id=owner_id,
            refreshed_at=refreshed_at,
            refresh_ms=refresh_ms,
            refresh_error=refresh_error,
        )

        segment.additional_properties = d
        return segment

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
