from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rfm_matrix_cell import RfmMatrixCell
    from ..models.rfm_segment_count import RfmSegmentCount


T = TypeVar("T", bound="RfmMatrix")


@_attrs_define
class RfmMatrix:
    """`GET /metrics/rfm-matrix`: the 25 cells (r = 5..1 rows, fm = 1..5 columns) and the
    eight segments' counts.

        Attributes:
            as_of (datetime.date):
            cells (list[RfmMatrixCell]):
            segments (list[RfmSegmentCount]):
            scored (int):
            unscored (int):
    """

    as_of: datetime.date
    cells: list[RfmMatrixCell]
    segments: list[RfmSegmentCount]
    scored: int
    unscored: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        cells = []
        for cells_item_data in self.cells:
            cells_item = cells_item_data.to_dict()
            cells.append(cells_item)

        segments = []
        for segments_item_data in self.segments:
            segments_item = segments_item_data.to_dict()
            segments.append(segments_item)

        scored = self.scored

        unscored = self.unscored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "cells": cells,
                "segments": segments,
                "scored": scored,
                "unscored": unscored,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rfm_matrix_cell import RfmMatrixCell  # noqa: PLC0415
        from ..models.rfm_segment_count import RfmSegmentCount  # noqa: PLC0415

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:
            cells_item = RfmMatrixCell.from_dict(cells_item_data)

            cells.append(cells_item)

        segments = []
        _segments = d.pop("segments")
        for segments_item_data in _segments:
            segments_item = RfmSegmentCount.from_dict(segments_item_data)

            segments.append(segments_item)

        scored = d.pop("scored")

        unscored = d.pop("unscored")

        rfm_matrix = cls(
            as_of=as_of,
            cells=cells,
            segments=segments,
            scored=scored,
            unscored=unscored,
        )

        rfm_matrix.additional_properties = d
        return rfm_matrix

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
