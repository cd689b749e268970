from typing import Literal

FieldGroup = Literal["behaviour", "company", "property", "score", "segment", "user"]

FIELD_GROUP_VALUES: set[FieldGroup] = {
    "behaviour",
    "company",
    "property",
    "score",
    "segment",
    "user",
}


def check_field_group(value: str) -> FieldGroup:
    if value in FIELD_GROUP_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {FIELD_GROUP_VALUES!r}")
