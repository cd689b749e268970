from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.scoring_matrix_cell import ScoringMatrixCell


T = TypeVar("T", bound="ScoringMatrix")


@_attrs_define
class ScoringMatrix:
    """`GET /metrics/scoring-matrix`: fit (rows 5..1) × engagement (columns 1..5).

    Attributes:
        cells (list[ScoringMatrixCell]):
        scored (int):
        unscored (int):
    """

    cells: list[ScoringMatrixCell]
    scored: int
    unscored: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cells = []
        for cells_item_data in self.cells:
            cells_item = cells_item_data.to_dict()
            cells.append(cells_item)

        scored = self.scored

        unscored = self.unscored

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cells": cells,
                "scored": scored,
                "unscored": unscored,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scoring_matrix_cell import ScoringMatrixCell  # noqa: PLC0415

        d = dict(src_dict)
        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:
            cells_item = ScoringMatrixCell.from_dict(cells_item_data)

            cells.append(cells_item)

        scored = d.pop("scored")

        unscored = d.pop("unscored")

        scoring_matrix = cls(
            cells=cells,
            scored=scored,
            unscored=unscored,
        )

        scoring_matrix.additional_properties = d
        return scoring_matrix

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
