"""Tables as files people open in Excel: XLSX (openpyxl's write-only mode streams rows,
so a big export builds no tree of cells) and CSV in UTF-8 with a byte-order mark (without
it Excel reads Chinese as mojibake)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]  # (title, headers, rows)


def xlsx(*sheets: Sheet) -> bytes:
    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])  # Excel's limit for a sheet name
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
