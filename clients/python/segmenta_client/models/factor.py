from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Factor")


@_attrs_define
class Factor:
    """One factor of a score: a metric mapped linearly from `bad` (0) to `good` (100), weighted.

    Attributes:
        metric (str): One of the keys of `ScoreSettings.metrics`.
        good (float):
        bad (float):
        weight (float):
        days (int | None | Unset): The look-back window of `events_in_last_days`, `revenue_in_last_days`,
            `purchases_in_last_days`.
        name (None | str | Unset): The event name (`events_in_last_days`, optional) or property name
            (`user_property`, `company_property`).
        skip_missing (bool | Unset): Leave the factor out (rather than score it 0) for users missing its input.
    """

    metric: str
    good: float
    bad: float
    weight: float
    days: int | None | Unset = UNSET
    name: None | str | Unset = UNSET
    skip_missing: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        good = self.good

        bad = self.bad

        weight = self.weight

        days: int | None | Unset
        if isinstance(self.days, Unset):
            days = UNSET
        else:
            days = self.days

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        skip_missing = self.skip_missing

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metric": metric,
                "good": good,
                "bad": bad,
                "weight": weight,
            }
        )
        if days is not UNSET:
            field_dict["days"] = days
        if name is not UNSET:
            field_dict["name"] = name
        if skip_missing is not UNSET:
            field_dict["skip_missing"] = skip_missing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = d.pop("metric")

        good = d.pop("good")

        bad = d.pop("bad")

        weight = d.pop("weight")

        def _parse_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        days = _parse_days(d.pop("days", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        skip_missing = d.pop("skip_missing", UNSET)

        factor = cls(
            metric=metric,
            good=good,
            bad=bad,
            weight=weight,
            days=days,
            name=name,
            skip_missing=skip_missing,
        )

        return factor
