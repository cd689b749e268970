from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consent_counts import ConsentCounts


T = TypeVar("T", bound="Overview")


@_attrs_define
class Overview:
    """`GET /metrics/overview`.

    Attributes:
        users (int):
        active_users (int):
        churned_users (int):
        consented_users (int): Users reachable on at least one channel.
        consent (ConsentCounts): Users per consent channel (consent counts only with a valid address / a phone).
        new_users_30d (int): Users created in the last 30 days.
        new_users_12m (int): Users created in the last 12 months.
        segment (int | None | Unset):
    """

    users: int
    active_users: int
    churned_users: int
    consented_users: int
    consent: ConsentCounts
    new_users_30d: int
    new_users_12m: int
    segment: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        users = self.users

        active_users = self.active_users

        churned_users = self.churned_users

        consented_users = self.consented_users

        consent = self.consent.to_dict()

        new_users_30d = self.new_users_30d

        new_users_12m = self.new_users_12m

        segment: int | None | Unset
        if isinstance(self.segment, Unset):
            segment = UNSET
        else:
            segment = self.segment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "users": users,
                "active_users": active_users,
                "churned_users": churned_users,
                "consented_users": consented_users,
                "consent": consent,
                "new_users_30d": new_users_30d,
                "new_users_12m": new_users_12m,
            }
        )
        if segment is not UNSET:
            field_dict["segment"] = segment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_counts import ConsentCounts  # noqa: PLC0415

        d = dict(src_dict)
        users = d.pop("users")

        active_users = d.pop("active_users")

        churned_users = d.pop("churned_users")

        consented_users = d.pop("consented_users")

        consent = ConsentCounts.from_dict(d.pop("consent"))

        new_users_30d = d.pop("new_users_30d")

        new_users_12m = d.pop("new_users_12m")

        def _parse_segment(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        segment = _parse_segment(d.pop("segment", UNSET))

        overview = cls(
            users=users,
            active_users=active_users,
            churned_users=churned_users,
            consented_users=consented_users,
            consent=consent,
            new_users_30d=new_users_30d,
            new_users_12m=new_users_12m,
            segment=segment,
        )

        overview.additional_properties = d
        return overview

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
