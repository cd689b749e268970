from typing import Literal

Op = Literal[
    "after",
    "before",
    "between",
    "contains",
    "ends_with",
    "eq",
    "gt",
    "gte",
    "in",
    "in_last_days",
    "is_false",
    "is_not_set",
    "is_set",
    "is_true",
    "lt",
    "lte",
    "ne",
    "not_contains",
    "not_in",
    "not_in_last_days",
    "starts_with",
]

OP_VALUES: set[Op] = {
    "after",
    "before",
    "between",
    "contains",
    "ends_with",
    "eq",
    "gt",
    "gte",
    "in",
    "in_last_days",
    "is_false",
    "is_not_set",
    "is_set",
    "is_true",
    "lt",
    "lte",
    "ne",
    "not_contains",
    "not_in",
    "not_in_last_days",
    "starts_with",
}


def check_op(value: str) -> Op:
    if value in OP_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OP_VALUES!r}")
