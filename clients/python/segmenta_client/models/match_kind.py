from typing import Literal

MatchKind = Literal["all", "any"]

MATCH_KIND_VALUES: set[MatchKind] = {
    "all",
    "any",
}


def check_match_kind(value: str) -> MatchKind:
    if value in MATCH_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MATCH_KIND_VALUES!r}")
