from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.company import Company
    from ..models.event import Event
    from ..models.order import Order
    from ..models.rfm import Rfm
    from ..models.segment_membership import SegmentMembership
    from ..models.timeline_entry import TimelineEntry
    from ..models.user import User


T = TypeVar("T", bound="UserDetail")


@_attrs_define
class UserDetail:
    """The 360 view of one user.

    Attributes:
        user (User): A user as listed and as the head of the 360 view.
        segments (list[SegmentMembership]): Custom segments the user is a member of.
        segment_timeline (list[TimelineEntry]): The user's latest entries into and exits from segments, custom and RFM,
            newest first (at
            most 100).
        orders (list[Order]): Latest orders first (at most 100).
        events (list[Event]): Latest events first (at most 100).
        company (Company | None | Unset):
        rfm (None | Rfm | Unset):
    """

    user: User
    segments: list[SegmentMembership]
    segment_timeline: list[TimelineEntry]
    orders: list[Order]
    events: list[Event]
    company: Company | None | Unset = UNSET
    rfm: None | Rfm | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.company import Company  # noqa: PLC0415
        from ..models.rfm import Rfm  # noqa: PLC0415

        user = self.user.to_dict()

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        segment_timeline = []
        for segment_timeline_item_data in self.segment_timeline:
            segment_timeline_item = segment_timeline_item_data.to_dict()
            segment_timeline.append(segment_timeline_item)

        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        company: dict[str, Any] | None | Unset
        if isinstance(self.company, Unset):
            company = UNSET
        elif isinstance(self.company, Company):
            company = self.company.to_dict()
        else:
            company = self.company

        rfm: dict[str, Any] | None | Unset
        if isinstance(self.rfm, Unset):
            rfm = UNSET
        elif isinstance(self.rfm, Rfm):
            rfm = self.rfm.to_dict()
        else:
            rfm = self.rfm

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user": user,
                "segments": segments,
                "segment_timeline": segment_timeline,
                "orders": orders,
                "events": events,
            }
        )
        if company is not UNSET:
            field_dict["company"] = company
        if rfm is not UNSET:
            field_dict["rfm"] = rfm

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.company import Company  # noqa: PLC0415
        from ..models.event import Event  # noqa: PLC0415
        from ..models.order import Order  # noqa: PLC0415
        from ..models.rfm import Rfm  # noqa: PLC0415
        from ..models.segment_membership import SegmentMembership  # noqa: PLC0415
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        d = dict(src_dict)
        user = User.from_dict(d.pop("user"))

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = SegmentMembership.from_dict(segments_item_data)

            segments.append(segments_item)

        segment_timeline = []
        _segment_timeline = d.pop("segment_timeline")
        for segment_timeline_item_data in _segment_timeline:
            segment_timeline_item = TimelineEntry.from_dict(segment_timeline_item_data)

            segment_timeline.append(segment_timeline_item)

        orders = []
        _orders = d.pop("orders")
        for orders_item_data in _orders:
            orders_item = Order.from_dict(orders_item_data)

            orders.append(orders_item)

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = Event.from_dict(events_item_data)

            events.append(events_item)

        def _parse_company(data: object) -> Company | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                company_type_1 = Company.from_dict(data)

                return company_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Company | None | Unset, data)

        company = _parse_company(d.pop("company", UNSET))

        def _parse_rfm(data: object) -> None | Rfm | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rfm_type_1 = Rfm.from_dict(data)

                return rfm_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Rfm | Unset, data)

        rfm = _parse_rfm(d.pop("rfm", UNSET))

        user_detail = cls(
            user=user,
            segments=segments,
            segment_timeline=segment_timeline,
            orders=orders,
            events=events,
            company=company,
            rfm=rfm,
        )

        user_detail.additional_properties = d
        return user_detail

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
