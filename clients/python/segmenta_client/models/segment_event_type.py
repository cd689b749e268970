from typing import Literal

SegmentEventType = Literal["entered", "exited"]

SEGMENT_EVENT_TYPE_VALUES: set[SegmentEventType] = {
    "entered",
    "exited",
}


def check_segment_event_type(value: str) -> SegmentEventType:
    if value in SEGMENT_EVENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SEGMENT_EVENT_TYPE_VALUES!r}")
