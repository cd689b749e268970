from typing import Literal

SegmentKind = Literal["custom", "rfm"]

SEGMENT_KIND_VALUES: set[SegmentKind] = {
    "custom",
    "rfm",
}


def check_segment_kind(value: str) -> SegmentKind:
    if value in SEGMENT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SEGMENT_KIND_VALUES!r}")
