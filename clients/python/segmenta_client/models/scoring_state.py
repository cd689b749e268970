from typing import Literal

ScoringState = Literal["current", "failed", "pending"]

SCORING_STATE_VALUES: set[ScoringState] = {
    "current",
    "failed",
    "pending",
}


def check_scoring_state(value: str) -> ScoringState:
    if value in SCORING_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SCORING_STATE_VALUES!r}")
