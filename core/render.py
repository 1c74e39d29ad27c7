"""Rendering letters, forms and reports from the jurisdiction's templates.

Templates are Jinja2, in a sandboxed environment with ``StrictUndefined``: a missing
variable in a legal letter is an error, never a blank. Plugin template directories come
before core's (a ``ChoiceLoader``), so a plugin overrides one letter by shipping a file
of the same name.

A template is written once, in a small Markdown dialect (``#`` headings, paragraphs,
``- `` lists, ``|`` tables, ``**bold**``, ☐/☑ boxes), and comes out as:
- Markdown (``.md``) and HTML (``.html``) for web publication;
- Word (``.docx``) for letters and forms that units print and stamp.
``*.html.j2`` templates are autoescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.core.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai.core.safe_write import Target

CORE_TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment(template_dirs: Iterable[Path]) -> Any:
    """A sandboxed Jinja2 environment searching ``template_dirs`` in order."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    dirs = [str(d) for d in template_dirs]
    if str(CORE_TEMPLATES) not in dirs:
        dirs.append(str(CORE_TEMPLATES))
    env = SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(d) for d in dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "htm"), default=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    return env


def cn_date(value: Any) -> str:
    """2026-09-24 -> 2026年9月24日 (the form letters use)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def render(template_dirs: Iterable[Path], name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name``; a missing template or variable is a clear error."""
    import jinja2

    env = environment(template_dirs)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound:
        raise GongkaiError(f"找不到模板“{name}”。请检查插件的模板目录或核心模板。") from None
    except jinja2.UndefinedError as exc:
        raise GongkaiError(f"模板“{name}”缺少变量：{exc.message}。文书不能留空，请补全数据后重试。") from None
    except jinja2.TemplateSyntaxError as exc:
        raise GongkaiError(f"模板“{exc.name or name}”第{exc.lineno}行语法错误：{exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise GongkaiError(f"模板“{name}”试图执行不安全的操作：{exc}") from None


# --------------------------------------------------------------------------- output formats


def markdown_to_html(text: str, title: str) -> str:
    """A complete, standalone HTML page for the portal."""
    from markdown_it import MarkdownIt
    from markupsafe import escape

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n"
        "<style>body{font-family:'SimSun','Songti SC',serif;max-width:52em;margin:2em auto;line-height:1.8;padding:0 1em}"
        "h1{text-align:center;font-size:1.6em}table{border-collapse:collapse;width:100%;margin:1em 0}"
        "th,td{border:1px solid #333;padding:.3em .5em;text-align:left;vertical-align:top}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_RIGHT_ALIGNED = re.compile(r"^=>\s?", re.M)


def _add_runs(paragraph: Any, text: str) -> None:
    parts = _BOLD.split(text)
    for i, part in enumerate(parts):
        if part:
            run = paragraph.add_run(part)
            run.bold = i % 2 == 1


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue  # the Markdown separator row
        rows.append(cells)
    return rows


def markdown_to_docx(text: str, path: Path, title: str = "") -> Path:
    """Write the Markdown dialect above as a Word document that prints and stamps well."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    if title:
        doc.core_properties.title = title

    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if not line.strip():
            i += 1
            continue
        if line.lstrip().startswith("|"):
            block = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                block.append(lines[i])
                i += 1
            rows = _table_rows(block)
            width = max(len(r) for r in rows)
            table = doc.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            # row by row: table.cell(r, c) rescans the whole table on each call (quadratic)
            for table_row, row in zip(table.rows, rows):
                for cell, value in zip(table_row.cells, row):
                    cell.text = ""
                    _add_runs(cell.paragraphs[0], value.replace("<br>", "\n"))
            continue
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            level = len(heading.group(1))
            p = doc.add_heading(level=min(level, 4))
            _add_runs(p, heading.group(2))
            if level == 1:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif re.match(r"^\s*[-*]\s+", line):
            p = doc.add_paragraph(style="List Bullet")
            _add_runs(p, re.sub(r"^\s*[-*]\s+", "", line))
        else:
            p = doc.add_paragraph()
            if line.startswith(">"):
                line = line.lstrip("> ")
            if line.startswith("=>"):  # right-aligned signature lines
                line = line[2:].strip()
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_runs(p, line)
        i += 1
    from gongkai.core.safe_write import write_file

    return write_file(path, doc.save)


def docx_text(path: Path) -> str:
    """All text of a .docx, paragraphs and table cells, for tests and checks."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def write_output(text: str, fmt: str, path: Path | Target, title: str) -> Path:
    """Write rendered Markdown ``text`` as ``fmt`` (md, html or docx) to ``path`` (see core.safe_write)."""
    from gongkai.core.safe_write import write_file

    if fmt == "docx":
        return markdown_to_docx(text, path, title)
    text = _RIGHT_ALIGNED.sub("", text)  # the "=>" alignment marker means something only in .docx
    if fmt == "md":
        return write_file(path, text)
    if fmt == "html":
        return write_file(path, markdown_to_html(text, title))
    raise GongkaiError(f"不支持的格式“{fmt}”，可选：docx、md、html。")
