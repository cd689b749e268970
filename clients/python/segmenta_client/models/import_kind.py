from typing import Literal

ImportKind = Literal["companies", "events", "orders", "users"]

IMPORT_KIND_VALUES: set[ImportKind] = {
    "companies",
    "events",
    "orders",
    "users",
}


def check_import_kind(value: str) -> ImportKind:
    if value in IMPORT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {IMPORT_KIND_VALUES!r}")
