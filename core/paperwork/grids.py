"""The tables of a document someone else wrote (.html, .docx, .xlsx) as plain grids of text.

A merged cell's text is repeated over every grid place it covers, so a column's headings can be
read straight up from any cell and a row's labels straight left, however the writer drew the
spans. The file is read through :mod:`reading` (bounded), and a file that is not what its name
says is refused in words.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from attrs import frozen

from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading

Grid = list[list[str]]
KINDS = {".html": "html", ".htm": "html", ".shtml": "html", ".docx": "docx", ".xlsx": "xlsx"}
# a span is bounded so that a hostile colspan="1000000" cannot fill memory
MAX_SPAN = 200
MAX_CELLS = 1_000_000


@frozen
class Document:
    grids: list[Grid]
    text: str  # the document's running text and its tables' text, for the title


def read(path: str | Path, what: str) -> Document:
    """Every table of the file at ``path`` (by its extension) with the document's text."""
    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise GongkaiError(f"不支持的文件类型 {path.name}：请给出网页（.html）、Word 文件（.docx）或 Excel 文件（.xlsx）。"
                           "旧版 .doc、.xls 请先用 Word、Excel 或 WPS 另存为 .docx、.xlsx。")
    if kind == "html":
        return _html(reading.read_bytes(path, reading.REPORT_BYTES, what))
    reading.check_file(path, reading.REPORT_BYTES, what, regular=True)
    reading.check_unzipped(path, reading.REPORT_UNZIPPED_BYTES, what, kind)
    _text_parts_within(path, ("word/",) if kind == "docx" else ("xl/worksheets/", "xl/sharedStrings"), what)
    return _docx(path, what) if kind == "docx" else _xlsx(path, what)


# the XML a report's text and tables are in (pictures aside) is parsed whole, into a tree many
# times its size: a real report's is well under a megabyte
TEXT_PARTS_BYTES = 16 * reading.MIB


def _text_parts_within(path: Path, prefixes: tuple[str, ...], what: str) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:  # check_unzipped has opened it already
        size = sum(m.file_size for m in archive.infolist()
                   if m.filename.startswith(prefixes) and m.filename.endswith(".xml"))
    if size > TEXT_PARTS_BYTES:
        raise GongkaiError(f"{what} {path} 的文字和表格部分解压后有 {size // reading.MIB:,} MB，远超年度报告的篇幅"
                           f"（上限 {TEXT_PARTS_BYTES // reading.MIB} MB），不予读取。请核对是否选错了文件。")


def clean(text: Any) -> str:
    return re.sub(r"\s+", " ", "" if text is None else str(text)).strip()


# --------------------------------------------------------------------------- HTML


def _decode(data: bytes) -> str:
    """UTF-8, or the page's declared charset (government sites still publish GB2312 pages)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    for encoding in ((declared.group(1).decode("ascii"),) if declared else ()) + ("gb18030",):
        try:
            return data.decode("gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    raise GongkaiError("网页的文字编码无法识别（既不是 UTF-8 也不是 GB18030），请另存为 UTF-8 后重试。")


class _Tables(HTMLParser):
    """Collects each <table>'s rows of (text, colspan, rowspan); nested tables are their own."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self.stack: list[list[list[tuple[str, int, int]]]] = []
        self.cell: list[Any] | None = None  # [parts, colspan, rowspan]
        self.cells_stack: list[list[Any] | None] = []
        self.text: list[str] = []
        self.skip = 0

    @staticmethod
    def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
        value = dict(attrs).get(name) or "1"
        return max(1, min(MAX_SPAN, int(value))) if value.strip().isdigit() else 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table":
            self.cells_stack.append(self.cell)
            self.cell = None
            table: list[list[tuple[str, int, int]]] = []
            self.stack.append(table)
            self.tables.append(table)
        elif tag == "tr" and self.stack:
            self._close_cell()
            self.stack[-1].append([])
        elif tag in ("td", "th") and self.stack:
            self._close_cell()
            if not self.stack[-1]:
                self.stack[-1].append([])
            self.cell = [[], self._span(attrs, "colspan"), self._span(attrs, "rowspan")]
        elif tag in ("br", "p", "div"):
            self._data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self.stack:
            self._close_cell()
            self.stack.pop()
            self.cell = self.cells_stack.pop() if self.cells_stack else None
        elif tag in ("p", "div", "h1", "h2", "h3", "tr"):
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._data(data)

    def _data(self, data: str) -> None:
        if self.cell is not None:
            self.cell[0].append(data)
        self.text.append(data)

    def _close_cell(self) -> None:
        if self.cell is not None and self.stack and self.stack[-1]:
            parts, colspan, rowspan = self.cell
            self.stack[-1][-1].append((clean("".join(parts)), colspan, rowspan))
        self.cell = None


def _expand(rows: list[list[tuple[str, int, int]]]) -> Grid:
    """Place spanned cells on a grid, each span's text in every place it covers."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            if len(grid) > MAX_CELLS:
                raise GongkaiError("文件中的表格过大（超过一百万个单元格），不像年度报告，不予读取。")
            c += colspan
            width = max(width, c)
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _html(data: bytes) -> Document:
    parser = _Tables()
    try:
        parser.feed(_decode(data))
        parser.close()
    except (AssertionError, ValueError):  # html.parser is lenient; a broken file is still refused in words
        raise GongkaiError("网页无法解析，请确认文件是完整的 HTML 网页。") from None
    return Document([_expand(t) for t in parser.tables if t], "".join(parser.text))


# --------------------------------------------------------------------------- Word and Excel


def _docx(path: Path, what: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(str(path))
        grids = []
        for table in _all_tables(doc.tables):
            grids.append([[clean(cell.text) for cell in row.cells] for row in table.rows])  # merged: repeated
        text = "\n".join(p.text.replace("\n", "") for p in doc.paragraphs)  # a title broken over two lines is one
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise GongkaiError(f"{what} {path} 不是有效的 Word 文件（.docx），可能已损坏或只是改了扩展名"
                           f"（{type(exc).__name__}）。请用 Word 或 WPS 另存为 .docx 后重试。") from None
    return Document(grids, text + "\n" + "\n".join(" ".join(row) for g in grids for row in g[:2]))


def _all_tables(tables: Any) -> list[Any]:
    found = []
    for table in tables:
        found.append(table)
        for row in table.rows:
            for cell in row.cells:
                found += _all_tables(cell.tables)
    return found


def _xlsx(path: Path, what: str) -> Document:
    from openpyxl import load_workbook

    try:
        book = load_workbook(str(path), data_only=True)  # a formula's last computed value
        formulas = load_workbook(str(path))  # a workbook no spreadsheet program saved has no computed values
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise GongkaiError(f"{what} {path} 不是有效的 Excel 文件（.xlsx），可能已损坏或只是改了扩展名"
                           f"（{type(exc).__name__}）。请用 Excel 或 WPS 另存为 .xlsx 后重试。") from None
    grids = []
    for sheet, written in zip(book.worksheets, formulas.worksheets):
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise GongkaiError(f"工作表“{sheet.title}”过大，不像年度报告，不予读取。")
        # a formula with no computed value stays the formula's text (=SUM(…)): never a silent 0
        grid = [[_xlsx_text(v if v is not None else f) for v, f in zip(values, cells)]
                for values, cells in zip(sheet.iter_rows(values_only=True), written.iter_rows(values_only=True))]
        for merged in sheet.merged_cells.ranges:
            value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                    grid[r][c] = value
        grids.append(grid)
    text = "\n".join(" ".join(row) for g in grids for row in g[:3])
    return Document(grids, text)


def _xlsx_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(value)
