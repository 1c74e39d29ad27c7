"""Spreadsheets people can use: a title row, a frozen header with a filter, typed cells, widths
that fit the Chinese text, A4 landscape printing fitted to the page width, and no formulas.

Cells whose text begins with ``=``, ``+``, ``-`` or ``@`` are written as text with Excel's quote
prefix, so a crafted applicant name or subject can never run as a formula (formula injection).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@")
DATE_FORMAT = "yyyy-mm-dd"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_WIDTH = 60  # characters; longer text wraps


def display_width(value: Any) -> float:
    """Columns a value needs: CJK characters count two, others one (the longest line)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    lines = str(value).splitlines() or [""]
    return max(sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line) for line in lines)


def typed(value: Any) -> Any:
    """ISO date strings become dates; booleans become 是/否; other values stay as they are."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def put(ws: Any, row: int, column: int, value: Any) -> Any:
    """Write one cell: typed, dates formatted, formula-looking text kept as text."""
    value = typed(value)
    cell = ws.cell(row, column)
    if isinstance(value, str) and value:
        text(cell, value)
    else:
        cell.value = value if value != "" else None
    if isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = DATE_FORMAT
    return cell


def text(cell: Any, value: str) -> Any:
    """``value`` in ``cell`` as text, whatever it starts with: never a formula."""
    cell.value = value
    cell.data_type = "s"  # openpyxl would store "=…" as a formula
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True  # and Excel shows it as typed, never evaluating it
    return cell


def title_row(ws: Any, title: str, columns: int) -> None:
    """Row 1: the title across the table's width."""
    from openpyxl.styles import Alignment, Font

    cell = text(ws.cell(1, 1), title)  # the title carries the unit's name: data, never a formula
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center")
    if columns > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.row_dimensions[1].height = 28


def fit_widths(ws: Any, first_row: int = 2, minimum: float = 6) -> None:
    """Each column as wide as its widest cell (up to MAX_WIDTH, then the text wraps)."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    merged_wide = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges if r.max_col > r.min_col}
    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if isinstance(cell, MergedCell) or cell.value is None or (cell.row, cell.column) in merged_wide:
                continue
            need = display_width(cell.value)
            widths[cell.column] = max(widths.get(cell.column, minimum), need)
            if need > MAX_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(width, MAX_WIDTH) + 2


def finish(ws: Any, header_row: int, columns: int, last_row: int, *, autofilter: bool = True) -> None:
    """Freeze everything above the data, filter on the header, print A4 landscape one page wide."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for c in range(1, columns + 1):
        cell = ws.cell(header_row, c)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    if autofilter and last_row > header_row:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{last_row}"
    print_a4_landscape(ws, header_row)


def print_a4_landscape(ws: Any, repeat_rows_to: int | None = None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if repeat_rows_to:
        ws.print_title_rows = f"1:{repeat_rows_to}"


def print_pages_wide(ws: Any, header_row: int, title_columns: str) -> None:
    """A4 landscape at full size, as many pages across and down as needed, each repeating the
    rows down to ``header_row`` and the ``title_columns`` (e.g. "A:C")."""
    ws.page_setup.fitToWidth = 0
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = 100
    ws.print_title_rows = f"1:{header_row}"
    ws.print_title_cols = title_columns


def table_sheet(ws: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A titled list: title row, header row, one row per record, finished as above."""
    title_row(ws, title, len(headers))
    for c, header in enumerate(headers, start=1):
        text(ws.cell(2, c), header)
    for r, values in enumerate(rows, start=3):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value)
    fit_widths(ws, first_row=2)
    finish(ws, 2, len(headers), 2 + len(rows))
