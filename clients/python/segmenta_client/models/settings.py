from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.workspace_kind import WorkspaceKind, check_workspace_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rfm_scoring import RfmScoring
    from ..models.scoring_status import ScoringStatus


T = TypeVar("T", bound="Settings")


@_attrs_define
class Settings:
    """`GET /settings`.

    Attributes:
        kind (WorkspaceKind): `orders` (retail, e-commerce, subscriptions) or `donations` (non-profits): only changes
            labels (AOF/AOV become ADF/ADV, "orders" become "donations").
        activity_window_days (int): A user is online when seen within this many days.
        rfm_scoring (RfmScoring): How RFM values become scores 1–5: `ranked` (by rank among the scored users,
            docs/rfm.md) or `fixed` thresholds. For `fixed`, each list has four strictly increasing
            bounds: `recency_days` are upper bounds (inclusive) for R = 5, 4, 3, 2; `frequency` and
            `monetary` (major units) are lower bounds (inclusive) for F/M = 2, 3, 4, 5.
        scoring (ScoringStatus): Whether the users' stored scores (RFM, health, engagement, fit) and segment membership
            are
            current. Every import, settings change and new day starts a scoring run; one that fails is
            recorded here and retried (after 1 minute, then doubling up to an hour), and the scores of
            the last successful run stay in place meanwhile.
        rfm_window_days (int | None | Unset): RFM counts only orders of the last this many days; `null`: all history.
        updated_at (datetime.datetime | None | Unset):
    """

    kind: WorkspaceKind
    activity_window_days: int
    rfm_scoring: RfmScoring
    scoring: ScoringStatus
    rfm_window_days: int | None | Unset = UNSET
    updated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        activity_window_days = self.activity_window_days

        rfm_scoring = self.rfm_scoring.to_dict()

        scoring = self.scoring.to_dict()

        rfm_window_days: int | None | Unset
        if isinstance(self.rfm_window_days, Unset):
            rfm_window_days = UNSET
        else:
            rfm_window_days = self.rfm_window_days

        updated_at: None | str | Unset
        if isinstance(self.updated_at, Unset):
            updated_at = UNSET
        elif isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "activity_window_days": activity_window_days,
                "rfm_scoring": rfm_scoring,
                "scoring": scoring,
            }
        )
        if rfm_window_days is not UNSET:
            field_dict["rfm_window_days"] = rfm_window_days
        if updated_at is not UNSET:
            field_dict["updated_at"] = updated_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rfm_scoring import RfmScoring  # noqa: PLC0415
        from ..models.scoring_status import ScoringStatus  # noqa: PLC0415

        d = dict(src_dict)
        kind = check_workspace_kind(d.pop("kind"))

        activity_window_days = d.pop("activity_window_days")

        rfm_scoring = RfmScoring.from_dict(d.pop("rfm_scoring"))

        scoring = ScoringStatus.from_dict(d.pop("scoring"))

        def _parse_rfm_window_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rfm_window_days = _parse_rfm_window_days(d.pop("rfm_window_days", UNSET))

        def _parse_updated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        updated_at = _parse_updated_at(d.pop("updated_at", UNSET))

        settings = cls(
            kind=kind,
            activity_window_days=activity_window_days,
            rfm_scoring=rfm_scoring,
            scoring=scoring,
            rfm_window_days=rfm_window_days,
            updated_at=updated_at,
        )

        settings.additional_properties = d
        return settings

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
