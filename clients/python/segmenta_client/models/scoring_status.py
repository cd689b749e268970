from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scoring_state import ScoringState, check_scoring_state
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScoringStatus")


@_attrs_define
class ScoringStatus:
    """Whether the users' stored scores (RFM, health, engagement, fit) and segment membership are
    current. Every import, settings change and new day starts a scoring run; one that fails is
    recorded here and retried (after 1 minute, then doubling up to an hour), and the scores of
    the last successful run stay in place meanwhile.

        Attributes:
            state (ScoringState):
            failures (int): Failed runs in a row since the last success.
            scores_as_of (datetime.date | None | Unset): The date the stored scores are as of (`null` when data changed
                since the last run).
            scored_at (datetime.datetime | None | Unset): When the last successful run ended (`null`: never).
            error (None | str | Unset): Why the latest run failed (only in state `failed`).
            failed_at (datetime.datetime | None | Unset):
            next_retry_at (datetime.datetime | None | Unset): When a failed run is tried again.
    """

    state: ScoringState
    failures: int
    scores_as_of: datetime.date | None | Unset = UNSET
    scored_at: datetime.datetime | None | Unset = UNSET
    error: None | str | Unset = UNSET
    failed_at: datetime.datetime | None | Unset = UNSET
    next_retry_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state: str = self.state

        failures = self.failures

        scores_as_of: None | str | Unset
        if isinstance(self.scores_as_of, Unset):
            scores_as_of = UNSET
        elif isinstance(self.scores_as_of, datetime.date):
            scores_as_of = self.scores_as_of.isoformat()
        else:
            scores_as_of = self.scores_as_of

        scored_at: None | str | Unset
        if isinstance(self.scored_at, Unset):
            scored_at = UNSET
        elif isinstance(self.scored_at, datetime.datetime):
            scored_at = self.scored_at.isoformat()
        else:
            scored_at = self.scored_at

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        failed_at: None | str | Unset
        if isinstance(self.failed_at, Unset):
            failed_at = UNSET
        elif isinstance(self.failed_at, datetime.datetime):
            failed_at = self.failed_at.isoformat()
        else:
            failed_at = self.failed_at

        next_retry_at: None | str | Unset
        if isinstance(self.next_retry_at, Unset):
            next_retry_at = UNSET
        elif isinstance(self.next_retry_at, datetime.datetime):
            next_retry_at = self.next_retry_at.isoformat()
        else:
            next_retry_at = self.next_retry_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "failures": failures,
            }
        )
        if scores_as_of is not UNSET:
            field_dict["scores_as_of"] = scores_as_of
        if scored_at is not UNSET:
            field_dict["scored_at"] = scored_at
        if error is not UNSET:
            field_dict["error"] = error
        if failed_at is not UNSET:
            field_dict["failed_at"] = failed_at
        if next_retry_at is not UNSET:
            field_dict["next_retry_at"] = next_retry_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = check_scoring_state(d.pop("state"))

        failures = d.pop("failures")

        def _parse_scores_as_of(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scores_as_of_type_0 = datetime.date.fromisoformat(data)

                return scores_as_of_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        scores_as_of = _parse_scores_as_of(d.pop("scores_as_of", UNSET))

        def _parse_scored_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scored_at_type_0 = datetime.datetime.fromisoformat(data)

                return scored_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scored_at = _parse_scored_at(d.pop("scored_at", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_failed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failed_at_type_0 = datetime.datetime.fromisoformat(data)

                return failed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        failed_at = _parse_failed_at(d.pop("failed_at", UNSET))

        def _parse_next_retry_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_retry_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_retry_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_retry_at = _parse_next_retry_at(d.pop("next_retry_at", UNSET))

        scoring_status = cls(
            state=state,
            failures=failures,
            scores_as_of=scores_as_of,
            scored_at=scored_at,
            error=error,
            failed_at=failed_at,
            next_retry_at=next_retry_at,
        )

        scoring_status.additional_properties = d
        return scoring_status

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
