"""Word (.docx) files in the 党政机关公文格式 (the official-document format, GB/T 9704-2012).

Every .docx gongkai writes comes from the small Markdown dialect of ``core.paperwork.render`` and is laid
out here:
- A4 paper; the 版心 (type area) 156 mm × 225 mm, 天头 (top margin) 37 mm, 订口 (binding
  margin) 28 mm (GB/T 9704-2012 5.2.1–5.2.2);
- the title in 小标宋 二号, the body in 仿宋_GB2312 三号, first-level headings in 黑体 and
  second-level ones in 楷体_GB2312 (7.2–7.3.3); 22 lines of 28 characters (5.2.4);
- numbered items, never bullets; the issuing unit centred over the 成文日期 (date of issue),
  which stands four characters from the right, with the seal's place above (7.3.5.1);
- page numbers "— 1 —" in 4号 below the type area, odd pages right, even pages left (7.5).

Font names are settings (``[fonts]`` in ``gongkai.toml``); the East Asian font is set on every
run (``w:eastAsia``) with ``zh-CN`` as the language, so where a font is not installed Word or
LibreOffice substitutes another Chinese font and the document still reads correctly.

Dialect lines this module understands beyond ``core.paperwork.render``'s:
- ``:: text`` a centred line (the 文号 under the title);
- ``1. text`` a numbered item (the number is kept as written);
- ``=> text`` lines: the signature block (unit over date) at the end of a letter;
- ``::: landscape`` … ``:::`` a block on landscape pages (wide tables);
- ``::: table NAME`` a structured table (``core.paperwork.tables.Table``) passed in by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from gongkai.core.errors import GongkaiError

# Sizes in points: 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5.
ERHAO, SANHAO, SIHAO, XIAOSI, WUHAO = 22.0, 16.0, 14.0, 12.0, 10.5
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28  # GB/T 9704-2012 5.2.4
TYPE_AREA_MM = (156, 225)  # 5.2.2
TOP_MM, INNER_MM = 37, 28  # 天头, 订口 (5.2.1)


@frozen(kw_only=True)
class Fonts:
    """The font names documents use; each can be changed in ``[fonts]`` of ``gongkai.toml``."""

    title: str = "方正小标宋简体"  # 小标宋
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"
    latin: str = "Times New Roman"  # digits and Latin letters


def fonts(config: Any) -> Fonts:
    """The ``[fonts]`` table of ``gongkai.toml`` over the defaults; unknown keys are an error."""
    table = (getattr(config, "raw", None) or {}).get("fonts", {})
    if not isinstance(table, dict):
        raise GongkaiError("gongkai.toml 中 fonts 应为表（[fonts]），如 body = \"仿宋_GB2312\"。")
    known = {f.name for f in attrs.fields(Fonts)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise GongkaiError(f"gongkai.toml 的 [fonts] 中有未知的项：{'、'.join(unknown)}；可用：{'、'.join(sorted(known))}。")
    bad = [k for k, v in table.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise GongkaiError(f"gongkai.toml 的 [fonts] 中 {'、'.join(bad)} 应为非空的字体名称。")
    return Fonts(**{k: v.strip() for k, v in table.items()})


@frozen(kw_only=True)
class Layout:
    """Page and type settings of one kind of document."""

    letter: bool = True  # a letter or notice: 公文 type area, 22 × 28 grid, signature block
    body_size: float = SANHAO
    table_size: float = SIHAO
    fonts: Fonts = Fonts()
    page_numbers: bool = True  # False: a bundle numbers its pages through instead (core.paperwork.bundle)


LETTER = Layout()
DOCUMENT = Layout(letter=False, body_size=SANHAO, table_size=XIAOSI)  # reports
FORM = Layout(letter=False, body_size=SIHAO, table_size=XIAOSI)  # approval forms (审批表)


# --------------------------------------------------------------------------- low-level helpers


def _set_fonts(rpr_owner: Any, east_asian: str, latin: str) -> None:
    """Set the Latin and East Asian fonts of a run or style (``w:rFonts`` and ``w:lang``)."""
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph: Any, text: str, font: str, size: float, fonts: Fonts, bold: bool = False) -> Any:
    from docx.shared import Pt

    from gongkai.core.paperwork.render import restore

    run = paragraph.add_run(restore(text))  # a person's own text: its markers as typed
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = fonts.latin
    _set_fonts(run._element, font, fonts.latin)
    return run


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _runs(paragraph: Any, text: str, layout: Layout, size: float, font: str | None = None) -> None:
    """Text with ``**labels**``: in a letter a label is set in 黑体 (no bold in 公文 body text)."""
    for i, part in enumerate(_BOLD.split(text)):
        if not part:
            continue
        if i % 2:
            _run(paragraph, part, layout.fonts.heading1, size, layout.fonts, bold=not layout.letter)
        else:
            _run(paragraph, part, font or layout.fonts.body, size, layout.fonts)


def _paragraph_format(p: Any, *, indent_chars: float = 0, right_chars: float = 0, align: str | None = None,
                      size: float = SANHAO, exact: float | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    f = p.paragraph_format
    f.space_before = Pt(0)
    f.space_after = Pt(0)
    if exact:
        f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        f.line_spacing = Pt(exact)
    f.first_line_indent = Pt(indent_chars * size) if indent_chars else None
    f.right_indent = Pt(right_chars * size) if right_chars else None
    f.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT, None: WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]


TYPE_HEIGHT_PT = TYPE_AREA_MM[1] / 25.4 * 72
TITLE_PITCH = ERHAO * 1.3  # a 二号 title line
MOST_LINES = 27  # the tightest a letter is set to stay on one page (16 pt text at about 1.5 lines)


def _line_pitch(lines: float = LINES_PER_PAGE, titles: int = 0) -> float:
    """Points between lines so that ``lines`` body lines and ``titles`` title lines fill the
    225 mm type area: 22 lines by default (5.2.4)."""
    if titles:
        return round((TYPE_HEIGHT_PT - titles * TITLE_PITCH) / lines - 0.05, 2)
    return round(TYPE_HEIGHT_PT / lines - 0.05, 2)


def _para_lines(text: str, indent: int = 2) -> int:
    """Lines a body paragraph takes at 28 characters a line (its first line indented)."""
    width = _width(_plain(text)) + indent
    return max(1, -int(-width // CHARS_PER_LINE))


def fitted_pitch(blocks: list[tuple[str, Any]]) -> float:
    """The line pitch of a letter: 22 lines a page (5.2.4), or, where the letter would run a few
    lines onto a second page, as tight as it takes to print it on one ("特定情况可以作适当调整",
    5.2.4), never tighter than :data:`MOST_LINES` lines. The lines are counted as printed, with one
    to spare for a line break the count does not foresee."""
    standard = _line_pitch()
    titles = body = 0
    for n, (kind, payload) in enumerate(blocks):
        if kind == "h1":
            head, tail = title_lines(payload)
            titles += 2 if tail else 1
            body += 1 if n + 1 < len(blocks) and blocks[n + 1][0] not in ("h1", "center") else 0
        elif kind in ("h2", "h3", "h4"):
            body += _para_lines(payload)
        elif kind == "center":
            body += 2  # and the blank line under it
        elif kind in ("para", "numbered", "item"):
            body += _para_lines(payload)
        elif kind == "sign":
            body += 1
        else:  # a table or a section: not counted, set at the standard pitch
            return standard
    body += 1 + 1  # the seal's blank line, and one to spare
    if titles * max(standard, TITLE_PITCH) + body * standard <= TYPE_HEIGHT_PT:
        return standard
    pitch = _line_pitch(body, titles)
    return pitch if pitch >= TYPE_HEIGHT_PT / MOST_LINES else standard


def _page(section: Any, layout: Layout, landscape: bool = False, pitch: float | None = None) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Mm(210), Mm(297)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    if landscape:  # wide tables: the whole width of the sheet, still inside a printable margin
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(20)
    else:
        width, height = TYPE_AREA_MM
        section.top_margin, section.left_margin = Mm(TOP_MM), Mm(INNER_MM)
        section.right_margin = Mm(210 - INNER_MM - width)
        section.bottom_margin = Mm(297 - TOP_MM - height)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(20)  # the page number sits about 7 mm below the type area (7.5)
    if layout.letter and not landscape:
        _doc_grid(section, pitch or _line_pitch())


def _doc_grid(section: Any, pitch: float) -> None:
    """Word's document grid: 22 lines (and 28 characters) per page (5.2.4), or the letter's tighter pitch."""
    from docx.oxml.ns import qn

    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = sect.makeelement(qn("w:docGrid"), {})
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(pitch * 20)))


def _no_snap(p: Any) -> None:
    """The paragraph keeps its own line height instead of snapping to the document grid."""
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    snap = ppr.makeelement(qn("w:snapToGrid"), {qn("w:val"): "0"})
    later = {qn(f"w:{t}") for t in ("spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                                     "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
                                     "cnfStyle", "rPr", "sectPr", "pPrChange")}
    following = next((child for child in ppr if child.tag in later), None)
    if following is None:
        ppr.append(snap)
    else:
        following.addprevious(snap)  # the schema's order of pPr


def _page_numbers(doc: Any, section: Any, layout: Layout) -> None:
    """"— 1 —" in 4号: odd pages on the right, even pages on the left, one character in (7.5)."""
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        _paragraph_format(p, align=align, size=SIHAO)
        if align == "right":
            p.paragraph_format.right_indent = Pt(SIHAO)
        else:
            p.paragraph_format.left_indent = Pt(SIHAO)
        _run(p, "— ", layout.fonts.page_number, SIHAO, layout.fonts)
        _field(_run(p, "1", layout.fonts.page_number, SIHAO, layout.fonts), "PAGE")
        _run(p, " —", layout.fonts.page_number, SIHAO, layout.fonts)


def _field(run: Any, instruction: str) -> None:
    """Turn ``run`` into a simple field (its text is the value shown before fields update)."""
    from docx.oxml.ns import qn

    fld = run._element.makeelement(qn("w:fldSimple"), {qn("w:instr"): instruction})
    parent = run._element.getparent()
    parent.replace(run._element, fld)
    fld.append(run._element)


def _styles(doc: Any, layout: Layout) -> None:
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = layout.fonts.latin
    normal.font.size = Pt(layout.body_size)
    _set_fonts(normal.element, layout.fonts.body, layout.fonts.latin)
    if layout.letter:
        # 28 characters in the 156 mm line: each 三号 character a little under 16 pt (5.2.4)
        from docx.oxml.ns import qn

        rpr = normal.element.get_or_add_rPr()
        spacing = rpr.makeelement(qn("w:spacing"), {qn("w:val"): "-5"})
        rpr.append(spacing)


# Names Windows ships, for a 公文 font that is not installed: Word substitutes by ``w:altName``.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "方正小标宋_GBK": "宋体",
             "黑体": "SimHei", "宋体": "SimSun"}
GB2312 = "86"  # the charset code of simplified Chinese


def _font_table(doc: Any, fonts: Fonts) -> None:
    """Declare the Chinese fonts in the font table (charset GB2312, a Windows alternative), so an
    office program without them picks a Chinese face of the same kind, never a Latin one."""
    from lxml import etree

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    w = root.nsmap["w"]
    names = {fonts.title, fonts.body, fonts.heading1, fonts.heading2, fonts.page_number}
    for name in sorted(names):
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        if name in ALT_NAMES:
            etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": ALT_NAMES[name]})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": GB2312})
        kind = "swiss" if name == fonts.heading1 else "roman"  # 黑体 sans, the others serif
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": kind})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --------------------------------------------------------------------------- the document


def _blocks(text: str) -> list[tuple[str, Any]]:
    """The dialect's lines grouped into blocks: (kind, payload)."""
    out: list[tuple[str, Any]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith("|"):
            block = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                block.append(lines[i])
                i += 1
            out.append(("table", block))
            continue
        if stripped.startswith(":::"):
            out.append(("directive", stripped[3:].split()))
        elif m := re.match(r"^(#{1,4})\s+(.*)$", line):
            out.append((f"h{len(m.group(1))}", m.group(2).strip()))
        elif stripped.startswith("=>"):
            out.append(("sign", stripped[2:].strip()))
        elif stripped.startswith("::"):
            out.append(("center", stripped[2:].strip()))
        elif re.match(r"^[-*]\s+", stripped):
            out.append(("item", re.sub(r"^[-*]\s+", "", stripped)))
        elif re.match(r"^\d+[.、]\s*", stripped):
            out.append(("numbered", stripped))
        else:
            out.append(("para", stripped.lstrip("> ") if stripped.startswith(">") else stripped))
        i += 1
    return out


_SIGNED = re.compile(r"^=>\s?(.+)$", re.M)
_DATE_LINE = re.compile(r"^\s*\d{4}\s*年")


def _properties(doc: Any, text: str, title: str) -> None:
    """The file's properties say who made it and when, as the document does: the unit that signs
    it (its first "=> " line that is not a date) and the real date, not python-docx's template
    (author "python-docx", created 2013)."""
    import datetime as dt

    signer = next((m.group(1).strip() for m in _SIGNED.finditer(text) if not _DATE_LINE.match(m.group(1))), "")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props = doc.core_properties
    props.title = title or ""
    props.author = signer
    props.last_modified_by = signer
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""
    props.revision = 1
    props.created = now
    props.modified = now


def write_docx(text: str, path: Path, title: str = "", layout: Layout = LETTER,
               tables: Mapping[str, Any] | None = None) -> Path:
    """Write the dialect ``text`` as a .docx laid out per GB/T 9704-2012."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION

    from gongkai.core.paperwork.render import _table_rows

    doc = Document()
    _properties(doc, text, title)
    _styles(doc, layout)
    _font_table(doc, layout.fonts)
    blocks = _blocks(text)
    pitch = fitted_pitch(blocks) if layout.letter else None
    section = doc.sections[0]
    _page(section, layout, pitch=pitch)
    if layout.page_numbers:
        _page_numbers(doc, section, layout)
    size = layout.body_size
    bullets = 0  # "- " items are numbered 1., 2., … (公文 numbers items, never bullets)
    seen_text = False  # the first paragraph ending in "：" is the addressee (主送), flush left
    i = 0
    while i < len(blocks):
        kind, payload = blocks[i]
        if kind != "item":
            bullets = 0
        if kind == "h1":
            p = doc.add_paragraph()
            _paragraph_format(p, align="center", size=ERHAO, exact=max(pitch or 0, TITLE_PITCH))
            p.paragraph_format.keep_with_next = True
            if pitch:  # the title's own line height, not two grid lines for a 二号 face
                _no_snap(p)
            head, tail = title_lines(payload)
            _runs(p, head, layout, ERHAO, layout.fonts.title)
            if tail:  # GB/T 9704 7.3.3: a long title breaks where the words allow, not mid-word
                p.runs[-1].add_break()
                _runs(p, tail, layout, ERHAO, layout.fonts.title)
            if i + 1 < len(blocks) and blocks[i + 1][0] not in ("h1", "center"):
                doc.add_paragraph()  # 标题下空一行 (the 文号 stands right under the title, the blank under it)
        elif kind in ("h2", "h3", "h4"):
            p = doc.add_paragraph()
            _paragraph_format(p, indent_chars=2, align="left", size=size, exact=pitch)
            font = layout.fonts.heading1 if kind == "h2" else layout.fonts.heading2
            _run(p, _BOLD.sub(r"\1", payload), font, size, layout.fonts, bold=not layout.letter and kind == "h2")
        elif kind == "center":
            p = doc.add_paragraph()
            _paragraph_format(p, align="center", size=size, exact=pitch)
            _runs(p, payload, layout, size)
            if layout.letter:
                _paragraph_format(doc.add_paragraph(), size=size, exact=pitch)  # the 主送 one line below
        elif kind in ("item", "numbered", "para"):
            if kind == "item":
                bullets += 1
                payload = f"{bullets}. {payload}"
            p = doc.add_paragraph()
            addressee = kind == "para" and not seen_text and payload.endswith("：")
            seen_text = True
            _paragraph_format(p, indent_chars=0 if addressee else 2, size=size, exact=pitch)
            _runs(p, payload, layout, size)
            if _plain(payload).endswith(("：", ":")):  # a lead-in ("救济途径：") stays with what it introduces
                p.paragraph_format.keep_with_next = True
        elif kind == "sign":
            lines = [payload]
            while i + 1 < len(blocks) and blocks[i + 1][0] == "sign":
                i += 1
                lines.append(blocks[i][1])
            _signature(doc, lines, layout, pitch)
        elif kind == "table":
            _grid_table(doc, _table_rows(payload), layout)
        elif kind == "directive":
            word = payload[0] if payload else ""
            if word == "landscape" or (not payload and doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE):
                new = doc.add_section(WD_SECTION.NEW_PAGE)
                _page(new, layout, landscape=word == "landscape")
            elif word == "table":
                name = payload[1] if len(payload) > 1 else ""
                if not tables or name not in tables:
                    raise GongkaiError(f"模板引用了未提供的表格“{name}”。")
                tables[name].to_docx(doc, layout)
        i += 1
    from gongkai.core.paperwork.safe_write import write_file

    return write_file(path, doc.save)


TITLE_CHARS = 19  # 二号 (22 pt) characters on one line of the 156 mm type area, with a margin

# where a title may break, in order of preference: before the year, before 关于, before the
# subject (政府信息公开…), after the unit's name
_TITLE_BREAKS = (r"(?=\d{4}年)", r"(?=关于)", r"(?=政府信息公开)", r"(?<=办公室)", r"(?<=人民政府)")


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text).strip()


def title_lines(title: str) -> tuple[str, str]:
    """A title that does not fit one line split into two at a word boundary ("" when it fits)."""
    if _width(title) <= TITLE_CHARS:
        return title, ""
    for pattern in _TITLE_BREAKS:
        for match in reversed(list(re.finditer(pattern, title))):
            at = match.start()
            if 0 < at and _width(title[:at]) <= TITLE_CHARS and _width(title[at:]) <= TITLE_CHARS:
                return title[:at], title[at:]
    return title, ""


def _width(text: str) -> float:
    """Width in characters: CJK characters count one, digits and Latin letters a half."""
    return sum(0.5 if ord(c) < 0x2E80 and c not in "“”‘’—…" else 1.0 for c in text)


def _signature(doc: Any, lines: list[str], layout: Layout, pitch: float | None) -> None:
    """Unit centred over the date; the date four characters from the right (7.3.5.1).

    The blank line above is the seal's place: the seal sits over the unit and the date, its top
    within one line of the text. The block stays with the last paragraph of the text, so the
    date never stands alone on a page."""
    size = layout.body_size
    body = doc.paragraphs[-1] if doc.paragraphs else None
    if body is not None:
        body.paragraph_format.keep_with_next = True
    blank = doc.add_paragraph()
    _paragraph_format(blank, size=size, exact=pitch)
    blank.paragraph_format.keep_with_next = True
    date = lines[-1]
    right = 4.0
    for line in lines:
        r = right if line is date else right + (_width(date) - _width(line)) / 2
        if r < 0:  # a long unit name: it keeps two characters from the edge and the date centres under it
            right, r = 2 + (_width(line) - _width(date)) / 2, 2
        p = doc.add_paragraph()
        _paragraph_format(p, right_chars=max(r, 0), align="right", size=size, exact=pitch)
        p.paragraph_format.keep_with_next = line is not date
        _runs(p, line, layout, size)


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
JOINER = "\u2060"  # WORD JOINER: no line break on either side (Unicode UAX #14, class WJ)


def unbroken_dates(text: str) -> str:
    """ISO dates held together: a table cell wraps before or after "2026-09-25", never inside it
    (East Asian line breaking would otherwise break between any two of its characters)."""
    return ISO_DATE.sub(lambda m: JOINER.join(m.group(0)), text)


def _chars_across(layout: Layout) -> float:
    """Characters of the table's size across the portrait type area (156 mm)."""
    return TYPE_AREA_MM[0] / 25.4 * 72 / layout.table_size


def _widened(widths: list[float], least: list[float], across: float) -> list[float]:
    """Relative column widths in which each column gets at least ``least`` characters of the
    ``across`` the table holds, the others sharing the rest as before."""
    fixed: dict[int, float] = {}
    for _ in range(len(widths)):
        free = [c for c in range(len(widths)) if c not in fixed]
        room = across - sum(fixed.values())
        total = sum(widths[c] for c in free) or 1.0
        short = {c: least[c] for c in free if widths[c] / total * room < least[c]}
        if not short:
            break
        fixed.update(short)
    if not fixed:
        return widths
    free = [c for c in range(len(widths)) if c not in fixed]
    room = max(across - sum(fixed.values()), 1.0)
    total = sum(widths[c] for c in free) or 1.0
    return [fixed[c] if c in fixed else widths[c] / total * room for c in range(len(widths))]


def _grid_table(doc: Any, rows: list[list[str]], layout: Layout) -> Any:
    """A Markdown ``|`` block as a bordered table, its first row the header, columns as wide as
    their text needs. Forms drawn in Markdown merge as on paper: empty cells at the end of a row
    widen the last filled cell (not the row's label), and an empty first cell joins the label
    above it (e.g. 内容审核 over its six check rows)."""
    from gongkai.core.paperwork.tables import Cell, Table

    columns = max(len(r) for r in rows)
    rows = [[_BOLD.sub(r"\1", v.replace("<br>", "\n")) for v in r] + [""] * (columns - len(r)) for r in rows]
    spans: list[list[list[int]]] = []  # per row: [column, colspan, rowspan] of each cell kept
    for i, row in enumerate(rows):
        filled = [c for c, v in enumerate(row) if v]
        last = filled[-1] if filled else 0
        keep = [[c, 1, 1] for c in range(columns) if c <= last or last == 0]
        if last > 0 and last < columns - 1:
            keep[-1][1] = columns - last
        if i > 1 and not row[0]:
            above = next((s for s in reversed(spans) if s and s[0][0] == 0), None)
            if above is not None:
                above[0][2] += 1
                keep = keep[1:]
        spans.append(keep)
    widths = [2.0] * columns
    least = [0.0] * columns  # characters a column needs for the dates it holds, which never break
    for row, kept in zip(rows, spans):
        for c, colspan, _ in kept:
            if colspan == 1:
                widths[c] = max(widths[c], min(_width(row[c]) * 1.1, 30) + 3)
                least[c] = max([least[c], *(_width(d) + 2.5 for d in ISO_DATE.findall(row[c]))])  # and the cell's margins
    widths = _widened(widths, least, _chars_across(layout))
    table_rows = [[Cell(row[c], colspan=cs, rowspan=rs, header=i == 0) for c, cs, rs in kept]
                  for i, (row, kept) in enumerate(zip(rows, spans))]
    return Table(rows=table_rows, widths=widths, header_rows=1, font_size=layout.table_size).to_docx(doc, layout)
