"""Tables with merged cells, written once and drawn in Word, HTML, Excel and Markdown.

The annual report's tables (国办公开办函〔2021〕30号) have multi-level headers: section 三's
"申请人情况 → 法人或其他组织 → 商业企业…", section 四's "行政诉讼 → 未经复议直接起诉 → 结果维持…".
A :class:`Table` is a list of rows of :class:`Cell` with column and row spans; each writer
places the cells on a grid the same way, so the four outputs always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from attrs import field, frozen


@frozen
class Cell:
    value: Any = ""  # text, or a number (written as a number in Excel)
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # a heading cell: centred, bold in Excel and HTML

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value)


def cells(*values: Any, header: bool = False) -> list[Cell]:
    return [v if isinstance(v, Cell) else Cell(v, header=header) for v in values]


@frozen(kw_only=True)
class Table:
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float]  # relative width of each grid column
    header_rows: int = 0  # repeated at the top of each page
    font_size: float = 10.5  # points, in Word
    landscape: bool = False
    grid: list[tuple[int, int, Cell]] = field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "grid", self._place())

    def _place(self) -> list[tuple[int, int, Cell]]:
        """(row, column, cell) for every cell, skipping grid places covered by earlier spans."""
        taken: set[tuple[int, int]] = set()
        placed = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                placed.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        width = len(self.widths)
        if any(c >= width for _, c in taken):
            raise ValueError("a row is wider than the table's columns")
        return placed

    @property
    def columns(self) -> int:
        return len(self.widths)

    # ------------------------------------------------------------------ Markdown

    def to_markdown(self) -> str:
        """A pipe table: spanned cells repeat nothing (blank), the first row is the header."""
        grid = [[""] * self.columns for _ in self.rows]
        for r, c, cell in self.grid:
            grid[r][c] = cell.text.replace("|", "｜")
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + "---|" * self.columns]
        lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
        return "\n".join(lines)

    # ------------------------------------------------------------------ HTML

    def to_html(self) -> str:
        from markupsafe import escape

        by_row: dict[int, list[tuple[int, Cell]]] = {}
        for r, c, cell in self.grid:
            by_row.setdefault(r, []).append((c, cell))
        total = sum(self.widths)
        cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in self.widths)
        out = [f'<table class="report{" wide" if self.landscape else ""}"><colgroup>{cols}</colgroup>']
        for r in range(len(self.rows)):
            if r == 0 and self.header_rows:
                out.append("<thead>")
            if r == self.header_rows:
                out.append("</thead><tbody>" if self.header_rows else "<tbody>")
            out.append("<tr>")
            for _, cell in sorted(by_row.get(r, []), key=lambda x: x[0]):
                tag = "th" if cell.header else "td"
                span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (
                    f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
                cls = ' class="n"' if isinstance(cell.value, (int, float)) else ""
                out.append(f"<{tag}{span}{cls}>{escape(cell.text)}</{tag}>")
            out.append("</tr>")
        out.append("</tbody></table>")
        return "\n".join(out) + "\n"

    # ------------------------------------------------------------------ Word

    def to_docx(self, doc: Any, layout: Any) -> Any:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.oxml.ns import qn
        from docx.shared import Emu

        from gongkai.core.paperwork import word
        section = doc.sections[-1]
        usable = section.page_width - section.left_margin - section.right_margin
        total = sum(self.widths)
        widths = [Emu(int(usable * w / total)) for w in self.widths]
        table = doc.add_table(rows=len(self.rows), cols=self.columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        grid_cols = table._tbl.tblGrid.findall(qn("w:gridCol"))
        for col, w in zip(grid_cols, widths):
            col.set(qn("w:w"), str(w.twips))
        rows = table.rows
        for r in range(min(self.header_rows, len(rows))):  # repeated on every page
            trpr = rows[r]._tr.get_or_add_trPr()
            trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
        for r, row in enumerate(rows):
            trpr = row._tr.get_or_add_trPr()
            trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))  # a row is never cut by a page
            for c, cell in enumerate(row.cells):
                cell.width = widths[c]
        for r, c, spec in self.grid:
            cell = rows[r].cells[c]
            if spec.colspan > 1 or spec.rowspan > 1:
                cell = cell.merge(rows[r + spec.rowspan - 1].cells[c + spec.colspan - 1])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            align = "center" if spec.header or isinstance(spec.value, (int, float)) else "left"
            word._paragraph_format(p, align=align, size=self.font_size)
            font = layout.fonts.heading1 if spec.header else layout.fonts.body
            word._run(p, word.unbroken_dates(spec.text), font, self.font_size, layout.fonts)
            if spec.header:  # a heading row stays with the row after it (no header alone at a page's foot)
                p.paragraph_format.keep_with_next = True
        return table

    # ------------------------------------------------------------------ Excel

    def to_sheet(self, ws: Any, first_row: int = 1) -> int:
        """Write the table from ``first_row``; returns the row after it."""
        from openpyxl.styles import Alignment, Border, Font, Side

        from gongkai.core.paperwork.xlsx import put

        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        for r in range(len(self.rows)):  # borders on every grid place, covered ones included
            for c in range(self.columns):
                ws.cell(first_row + r, c + 1).border = border
        for r, c, spec in self.grid:
            target = put(ws, first_row + r, c + 1, spec.value)
            target.alignment = Alignment(horizontal="center" if spec.header else None, vertical="center",
                                         wrap_text=True)
            if spec.header:
                target.font = Font(bold=True)
            if spec.colspan > 1 or spec.rowspan > 1:
                ws.merge_cells(start_row=first_row + r, start_column=c + 1,
                               end_row=first_row + r + spec.rowspan - 1, end_column=c + spec.colspan)
        return first_row + len(self.rows)

    def fit_row_heights(self, ws: Any, first_row: int = 1) -> None:
        """Rows tall enough for their wrapped text: Excel and LibreOffice do not grow a row for a
        merged cell, so a wrapped header would print over the numbers below it."""
        from openpyxl.utils import get_column_letter

        from gongkai.core.paperwork.xlsx import display_width

        def width(c: int, span: int) -> float:
            letters = [get_column_letter(c + 1 + i) for i in range(span)]
            return sum((ws.column_dimensions[x].width or 8.43) for x in letters)

        lines = [1] * len(self.rows)
        for r, c, spec in self.grid:
            text = "" if spec.value is None else str(spec.value)
            needed = -(-display_width(text) // max(1, int(width(c, spec.colspan) - 1))) if text else 1
            share = -(-needed // spec.rowspan)
            for i in range(spec.rowspan):
                lines[r + i] = max(lines[r + i], share)
        for r, n in enumerate(lines):
            ws.row_dimensions[first_row + r].height = 15 * n + 3
