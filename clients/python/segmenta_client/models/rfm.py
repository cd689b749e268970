from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rfm_segment_ref import RfmSegmentRef


T = TypeVar("T", bound="Rfm")


@_attrs_define
class Rfm:
    """RFM placement of a user as of a date (docs/rfm.md).

    Attributes:
        recency_days (int):
        frequency (int):
        monetary (float): Revenue in range, major units.
        r_score (int):
        f_score (int):
        m_score (int):
        fm_score (int):
        segment (RfmSegmentRef): An RFM segment: stable key, display name and symbol.
    """

    recency_days: int
    frequency: int
    monetary: float
    r_score: int
    f_score: int
    m_score: int
    fm_score: int
    segment: RfmSegmentRef
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recency_days = self.recency_days

        frequency = self.frequency

        monetary = self.monetary

        r_score = self.r_score

        f_score = self.f_score

        m_score = self.m_score

        fm_score = self.fm_score

        segment = self.segment.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recency_days": recency_days,
                "frequency": frequency,
                "monetary": monetary,
                "r_score": r_score,
                "f_score": f_score,
                "m_score": m_score,
                "fm_score": fm_score,
                "segment": segment,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rfm_segment_ref import RfmSegmentRef  # noqa: PLC0415

        d = dict(src_dict)
        recency_days = d.pop("recency_days")

        frequency = d.pop("frequency")

        monetary = d.pop("monetary")

        r_score = d.pop("r_score")

        f_score = d.pop("f_score")

        m_score = d.pop("m_score")

        fm_score = d.pop("fm_score")

        segment = RfmSegmentRef.from_dict(d.pop("segment"))

        rfm = cls(
            recency_days=recency_days,
            frequency=frequency,
            monetary=monetary,
            r_score=r_score,
            f_score=f_score,
            m_score=m_score,
            fm_score=fm_score,
            segment=segment,
        )

        rfm.additional_properties = d
        return rfm

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
