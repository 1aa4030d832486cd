"""The CSV file ``mentor-match import-profiles`` reads: its columns, its rows, its header rules."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

COLUMNS = (
    "slack_user_id",
    "email",
    "display_name",
    "roles",
    "title",
    "functional_area",
    "expertise",
    "interests",
    "goals",
    "location",
    "languages",
    "gender",
    "bio",
    "mentor_capacity",
    "tz",
)
LIST_COLUMNS = ("expertise", "interests", "languages")


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its line number in the file and its cells by column."""

    line: int
    cells: dict[str, str]
    extra: int = 0  # cells beyond the header's columns (a stray comma?)


class CsvFormatError(Exception):
    """The file as a whole cannot be imported (unreadable, or a bad header row)."""


def read_rows(path: Path) -> list[CsvRow]:
    """Read the CSV file (UTF-8, with or without a BOM); cells are stripped.

    Raises:
        CsvFormatError: the file cannot be read, has no header, or has unknown columns.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or ()]
            _check_header(header)
            reader.fieldnames = header
            rows = []
            for raw in reader:
                cells = {k: (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
                extra = len(raw.get(None) or ())
                if any(cells.values()) or extra:
                    rows.append(CsvRow(reader.line_num, cells, extra))
            return rows
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CsvFormatError(f"cannot read {path}: {exc}") from exc


def _check_header(header: list[str]) -> None:
    if not header:
        raise CsvFormatError("line 1: the file is empty; it needs a header row")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise CsvFormatError(f"line 1: column(s) {', '.join(map(repr, repeated))} appear twice")
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise CsvFormatError(
            f"line 1: unknown column(s) {', '.join(map(repr, unknown))}; "
            f"the columns are: {', '.join(COLUMNS)}"
        )
    if "slack_user_id" not in header and "email" not in header:
        raise CsvFormatError("line 1: add a slack_user_id or an email column")
