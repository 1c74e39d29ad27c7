"""One PDF of many: items converted by one LibreOffice run, the catalogue (证据目录) drawn
directly, page numbers stamped through the whole, and a manifest embedded as an attachment.

The catalogue names the page each item starts on, known only once the items are printed; it is
drawn with fpdf2 in a CJK font found on the system, so LibreOffice starts once for all items.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError

MANIFEST_NAME = "manifest.json"
A4 = (210, 297)
# GB/T 9704-2012: top 37 mm, left 28 mm, right 26 mm; the page number 7 mm below the text area
MARGINS = {"top": 37, "left": 28, "right": 26, "bottom": 35}
FONT_MISSING = "生成证据材料需要中文字体（如 fonts-noto-cjk）。请安装后重试。"


def cjk_font() -> tuple[str, int]:
    """A Simplified Chinese font file on this system and its index in a collection."""
    try:
        found = subprocess.run(["fc-match", "--format=%{file}\n%{index}", "serif:lang=zh-cn"],
                               capture_output=True, text=True, timeout=30).stdout.split("\n")
    except (OSError, subprocess.TimeoutExpired):
        found = []
    if len(found) >= 2 and found[0].lower().endswith((".ttf", ".otf", ".ttc")):
        return found[0], int(found[1] or 0)
    for path in ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                 "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"):
        if Path(path).is_file():
            return path, 2 if "Noto" in path else 0
    raise GongkaiError(FONT_MISSING)


def _pdf() -> Any:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    path, index = cjk_font()
    pdf.add_font("cjk", "", path, collection_font_number=index) if path.lower().endswith(".ttc") else \
        pdf.add_font("cjk", "", path)
    pdf.set_margins(MARGINS["left"], MARGINS["top"], MARGINS["right"])
    pdf.set_auto_page_break(True, MARGINS["bottom"])
    return pdf


def _number(pdf: Any, n: int) -> None:
    """— N — on the current page, where GB/T 9704 puts it: odd pages on the right, even pages on
    the left, one character of 4号 in from the edge of the type area (7.5)."""
    indent = 14 * 25.4 / 72
    pdf.set_font("cjk", size=14)
    if n % 2:
        pdf.set_xy(0, A4[1] - 26)
        pdf.cell(A4[0] - MARGINS["right"] - indent, 7, f"— {n} —", align="R")
    else:
        pdf.set_xy(MARGINS["left"] + indent, A4[1] - 26)
        pdf.cell(60, 7, f"— {n} —", align="L")


def front(title: str, heading: Sequence[str], rows: Callable[[int], Sequence[Sequence[str]]],
          widths: Sequence[float], note: str, item_pages: int) -> tuple[bytes, int]:
    """The catalogue (its rows given the catalogue's own length in pages, as ``rows(length)``),
    numbered, followed by ``item_pages`` pages holding only their number, to lay over the items:
    one document, one font, so the CJK font is read and subset once. Returns it and the
    catalogue's length."""
    from fpdf.fonts import FontFace

    length = 1
    while True:  # the catalogue lists page numbers that depend on its own length
        pdf = _pdf()
        pdf.add_page()
        pdf.set_font("cjk", size=18)
        pdf.cell(0, 14, title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10.5)
        if note:
            pdf.multi_cell(0, 7, note, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        with pdf.table(col_widths=tuple(widths), headings_style=FontFace(emphasis=""), line_height=6.5) as table:
            for values in (heading, *rows(length)):
                row = table.row()
                for value in values:
                    row.cell(str(value))
        if pdf.page == length:
            break
        length = pdf.page
    pdf.set_auto_page_break(False)
    for n in range(1, length + 1):
        pdf.page = n
        _number(pdf, n)
    pdf.page = length
    for n in range(length + 1, length + item_pages + 1):
        pdf.add_page()
        _number(pdf, n)
    return bytes(pdf.output()), length


def assemble(numbered: bytes, length: int, parts: Sequence[bytes]) -> bytes:
    """The catalogue (the first ``length`` pages of ``numbered``) and ``parts`` in order, each
    item page under its number (the rest of ``numbered``)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    numbers = PdfReader(io.BytesIO(numbered)).pages
    for page in numbers[:length]:
        writer.add_page(page)
    for data in parts:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    for page, number in zip(writer.pages[length:], numbers[length:]):
        page.merge_page(number)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attach(data: bytes, manifest: bytes) -> bytes:
    """``data`` with the manifest embedded as a file attachment (the pages unchanged)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_attachment(MANIFEST_NAME, manifest)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_counts(parts: Sequence[bytes]) -> list[int]:
    from pypdf import PdfReader

    return [len(PdfReader(io.BytesIO(data)).pages) for data in parts]


def embedded_manifest(path: Path) -> bytes | None:
    """The manifest a bundle carries, or None."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        found = reader.attachments.get(MANIFEST_NAME)
    except Exception as error:  # pypdf raises many kinds for a file that is not a PDF
        raise GongkaiError(f"“{path}”不是可读取的 PDF 文件：{error}") from None
    return found[0] if found else None


def pages_text(source: Path | bytes, start: int, count: int) -> str:
    """The text of pages ``start`` .. ``start + count - 1`` (1-based), to compare an item's pages."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    return "\f".join(reader.pages[i].extract_text() or "" for i in range(start - 1, start - 1 + count))


def page_count(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)
