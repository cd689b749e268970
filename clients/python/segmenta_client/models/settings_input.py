from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.workspace_kind import WorkspaceKind, check_workspace_kind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rfm_scoring import RfmScoring


T = TypeVar("T", bound="SettingsInput")


@_attrs_define
class SettingsInput:
    """`PUT /settings`: absent fields stay as they are; `rfm_window_days: null` removes the
    window. Every change rescores the workspace.

        Example:
            {'activity_window_days': 30, 'kind': 'orders', 'rfm_scoring': {'method': 'ranked'}, 'rfm_window_days': 730}

        Attributes:
            kind (None | Unset | WorkspaceKind):
            activity_window_days (int | None | Unset):
            rfm_window_days (int | None | Unset):
            rfm_scoring (None | RfmScoring | Unset):
    """

    kind: None | Unset | WorkspaceKind = UNSET
    activity_window_days: int | None | Unset = UNSET
    rfm_window_days: int | None | Unset = UNSET
    rfm_scoring: None | RfmScoring | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.rfm_scoring import RfmScoring  # noqa: PLC0415

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, str):
            kind = self.kind
        else:
            kind = self.kind

        activity_window_days: int | None | Unset
        if isinstance(self.activity_window_days, Unset):
            activity_window_days = UNSET
        else:
            activity_window_days = self.activity_window_days

        rfm_window_days: int | None | Unset
        if isinstance(self.rfm_window_days, Unset):
            rfm_window_days = UNSET
        else:
            rfm_window_days = self.rfm_window_days

        rfm_scoring: dict[str, Any] | None | Unset
        if isinstance(self.rfm_scoring, Unset):
            rfm_scoring = UNSET
        elif isinstance(self.rfm_scoring, RfmScoring):
            rfm_scoring = self.rfm_scoring.to_dict()
        else:
            rfm_scoring = self.rfm_scoring

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if kind is not UNSET:
            field_dict["kind"] = kind
        if activity_window_days is not UNSET:
            field_dict["activity_window_days"] = activity_window_days
        if rfm_window_days is not UNSET:
            field_dict["rfm_window_days"] = rfm_window_days
        if rfm_scoring is not UNSET:
            field_dict["rfm_scoring"] = rfm_scoring

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rfm_scoring import RfmScoring  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_kind(data: object) -> None | Unset | WorkspaceKind:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_1 = check_workspace_kind(data)

                return kind_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WorkspaceKind, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_activity_window_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        activity_window_days = _parse_activity_window_days(d.pop("activity_window_days", UNSET))

        def _parse_rfm_window_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rfm_window_days = _parse_rfm_window_days(d.pop("rfm_window_days", UNSET))

        def _parse_rfm_scoring(data: object) -> None | RfmScoring | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                rfm_scoring_type_1 = RfmScoring.from_dict(data)

                return rfm_scoring_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RfmScoring | Unset, data)

        rfm_scoring = _parse_rfm_scoring(d.pop("rfm_scoring", UNSET))

        settings_input = cls(
            kind=kind,
            activity_window_days=activity_window_days,
            rfm_window_days=rfm_window_days,
            rfm_scoring=rfm_scoring,
        )

        return settings_input
