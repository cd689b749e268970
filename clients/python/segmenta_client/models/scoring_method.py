from typing import Literal

ScoringMethod = Literal["fixed", "ranked"]

SCORING_METHOD_VALUES: set[ScoringMethod] = {
    "fixed",
    "ranked",
}


def check_scoring_method(value: str) -> ScoringMethod:
    if value in SCORING_METHOD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SCORING_METHOD_VALUES!r}")
