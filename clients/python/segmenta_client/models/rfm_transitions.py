from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.transition_cell import TransitionCell


T = TypeVar("T", bound="RfmTransitions")


@_attrs_define
class RfmTransitions:
    """`GET /metrics/rfm-transitions`: users in segment `from` as of the first date and `to`
    as of the second; all 81 cells (eight segments and `none`).

        Attributes:
            from_ (datetime.date):
            to (datetime.date):
            cells (list[TransitionCell]):
    """

    from_: datetime.date
    to: datetime.date
    cells: list[TransitionCell]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        cells = []
        for cells_item_data in self.cells:
            cells_item = cells_item_data.to_dict()
            cells.append(cells_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "to": to,
                "cells": cells,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transition_cell import TransitionCell  # noqa: PLC0415

        d = dict(src_dict)
        from_ = datetime.date.fromisoformat(d.pop("from"))

        to = datetime.date.fromisoformat(d.pop("to"))

        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:
            cells_item = TransitionCell.from_dict(cells_item_data)

            cells.append(cells_item)

        rfm_transitions = cls(
            from_=from_,
            to=to,
            cells=cells,
        )

        rfm_transitions.additional_properties = d
        return rfm_transitions

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
