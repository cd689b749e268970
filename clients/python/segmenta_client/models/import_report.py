from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_kind import ImportKind, check_import_kind
from ..models.import_mode import ImportMode, check_import_mode
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.row_error import RowError
    from ..models.scoring_status import ScoringStatus


T = TypeVar("T", bound="ImportReport")


@_attrs_define
class ImportReport:
    """The outcome of an import.

    Attributes:
        kind (ImportKind): What an import loads.
        mode (ImportMode): `all_or_nothing` (default): one bad row rejects the file and nothing is written;
            `skip_invalid`: the good rows are written and the bad ones reported.
        rows (int): Data rows read (header not counted).
        imported (int): Rows written; 0 when an all-or-nothing import was rejected.
        skipped (int): Rows not written.
        created_references (int): Bare users (orders, events) or companies (users) created for unknown references.
        committed (bool): Whether anything was written.
        error_count (int): Number of row errors (all of them; `errors` lists the first 1000).
        errors (list[RowError]):
        scoring (None | ScoringStatus | Unset):
    """

    kind: ImportKind
    mode: ImportMode
    rows: int
    imported: int
    skipped: int
    created_references: int
    committed: bool
    error_count: int
    errors: list[RowError]
    scoring: None | ScoringStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.scoring_status import ScoringStatus  # noqa: PLC0415

        kind: str = self.kind

        mode: str = self.mode

        rows = self.rows

        imported = self.imported

        skipped = self.skipped

        created_references = self.created_references

        committed = self.committed

        error_count = self.error_count

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        scoring: dict[str, Any] | None | Unset
        if isinstance(self.scoring, Unset):
            scoring = UNSET
        elif isinstance(self.scoring, ScoringStatus):
            scoring = self.scoring.to_dict()
        else:
            scoring = self.scoring

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "mode": mode,
                "rows": rows,
                "imported": imported,
                "skipped": skipped,
                "created_references": created_references,
                "committed": committed,
                "error_count": error_count,
                "errors": errors,
            }
        )
        if scoring is not UNSET:
            field_dict["scoring"] = scoring

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.row_error import RowError  # noqa: PLC0415
        from ..models.scoring_status import ScoringStatus  # noqa: PLC0415

        d = dict(src_dict)
        kind = check_import_kind(d.pop("kind"))

        mode = check_import_mode(d.pop("mode"))

        rows = d.pop("rows")

        imported = d.pop("imported")

        skipped = d.pop("skipped")

        created_references = d.pop("created_references")

        committed = d.pop("committed")

        error_count = d.pop("error_count")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = RowError.from_dict(errors_item_data)

            errors.append(errors_item)

        def _parse_scoring(data: object) -> None | ScoringStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scoring_type_1 = ScoringStatus.from_dict(data)

                return scoring_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoringStatus | Unset, data)

        scoring = _parse_scoring(d.pop("scoring", UNSET))

        import_report = cls(
            kind=kind,
            mode=mode,
            rows=rows,
            imported=imported,
            skipped=skipped,
            created_references=created_references,
            committed=committed,
            error_count=error_count,
            errors=errors,
            scoring=scoring,
        )

        import_report.additional_properties = d
        return import_report

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
