from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scoring_method import ScoringMethod, check_scoring_method
from ..types import UNSET, Unset

T = TypeVar("T", bound="RfmScoring")


@_attrs_define
class RfmScoring:
    """How RFM values become scores 1–5: `ranked` (by rank among the scored users,
    docs/rfm.md) or `fixed` thresholds. For `fixed`, each list has four strictly increasing
    bounds: `recency_days` are upper bounds (inclusive) for R = 5, 4, 3, 2; `frequency` and
    `monetary` (major units) are lower bounds (inclusive) for F/M = 2, 3, 4, 5.

        Attributes:
            method (ScoringMethod): How RFM values become scores 1–5: by rank among the scored users, or by fixed
                thresholds.
            recency_days (list[int] | None | Unset):
            frequency (list[int] | None | Unset):
            monetary (list[float] | None | Unset):
    """

    method: ScoringMethod
    recency_days: list[int] | None | Unset = UNSET
    frequency: list[int] | None | Unset = UNSET
    monetary: list[float] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        method: str = self.method

        recency_days: list[int] | None | Unset
        if isinstance(self.recency_days, Unset):
            recency_days = UNSET
        elif isinstance(self.recency_days, list):
            recency_days = self.recency_days

        else:
            recency_days = self.recency_days

        frequency: list[int] | None | Unset
        if isinstance(self.frequency, Unset):
            frequency = UNSET
        elif isinstance(self.frequency, list):
            frequency = self.frequency

        else:
            frequency = self.frequency

        monetary: list[float] | None | Unset
        if isinstance(self.monetary, Unset):
            monetary = UNSET
        elif isinstance(self.monetary, list):
            monetary = self.monetary

        else:
            monetary = self.monetary

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "method": method,
            }
        )
        if recency_days is not UNSET:
            field_dict["recency_days"] = recency_days
        if frequency is not UNSET:
            field_dict["frequency"] = frequency
        if monetary is not UNSET:
            field_dict["monetary"] = monetary

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        method = check_scoring_method(d.pop("method"))

        def _parse_recency_days(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recency_days_type_0 = cast(list[int], data)

                return recency_days_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        recency_days = _parse_recency_days(d.pop("recency_days", UNSET))

        def _parse_frequency(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                frequency_type_0 = cast(list[int], data)

                return frequency_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        frequency = _parse_frequency(d.pop("frequency", UNSET))

        def _parse_monetary(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                monetary_type_0 = cast(list[float], data)

                return monetary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        monetary = _parse_monetary(d.pop("monetary", UNSET))

        rfm_scoring = cls(
            method=method,
            recency_days=recency_days,
            frequency=frequency,
            monetary=monetary,
        )

        return rfm_scoring
