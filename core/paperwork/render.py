"""Rendering letters, forms and reports from the jurisdiction's templates.

Templates are Jinja2, in a sandboxed environment with ``StrictUndefined``: a missing
variable in a legal letter is an error, never a blank. Plugin template directories come
before core's (a ``ChoiceLoader``), so a plugin overrides one letter by shipping a file
of the same name.

A template is written once, in a small Markdown dialect (``#`` headings, paragraphs,
``- `` lists, ``|`` tables, ``**bold**``, ☐/☑ boxes), and comes out as:
- Markdown (``.md``) and HTML (``.html``) for web publication;
- Word (``.docx``) for letters and forms that units print and stamp, laid out in the
  党政机关公文格式 by ``core.paperwork.word`` (which documents the layout lines ``::``, ``=>``, ``:::``);
- PDF, the .docx printed by LibreOffice (``core.paperwork.pdf``).
``*.html.j2`` templates are autoescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.core.errors import GongkaiError

if TYPE_CHECKING:
    from gongkai.core.paperwork.safe_write import Target

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


# --------------------------------------------------------------------------- a person's own text

# What a person typed (a reason, a subject, a name) goes into a letter as text, never as markup:
# each character the dialect or Markdown would read is swapped for a private-use character
# while the letter is laid out, and swapped back in every format written (restore).
_LITERAL = {"*": "\ue011", "_": "\ue012", "`": "\ue013", "[": "\ue014", "]": "\ue015", "\\": "\ue016",
            "#": "\ue017", "|": "\ue018", "<": "\ue019", ">": "\ue01a", "=": "\ue01b", ":": "\ue01c"}
_TO_LITERAL = str.maketrans(_LITERAL)
_FROM_LITERAL = str.maketrans({v: k for k, v in _LITERAL.items()})


def literal(value: Any) -> Any:
    """``value`` (text; a list or dict of texts) kept as typed when the letter is laid out."""
    if isinstance(value, str):
        return value.translate(_TO_LITERAL)
    if isinstance(value, list):
        return [literal(v) for v in value]
    if isinstance(value, dict):
        return {k: literal(v) for k, v in value.items()}
    return value


def restore(text: str) -> str:
    """The characters :func:`literal` swapped, back as typed."""
    return text.translate(_FROM_LITERAL)


# --------------------------------------------------------------------------- output formats


def markdown_to_html(text: str, title: str, tables: Mapping[str, Any] | None = None) -> str:
    """A complete, standalone HTML page for the portal."""
    from markdown_it import MarkdownIt
    from markupsafe import escape

    # **label** as word.py reads it: CommonMark leaves "**理由：**经审查" as it is (a closing
    # ** after punctuation and before a letter does not close), the letter sets it in bold
    text = _BOLD.sub(lambda m: f"\ue001{m.group(1)}\ue002", text)
    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
    body = restore(body.replace("\ue001", "<strong>").replace("\ue002", "</strong>")
                   .replace(_LITERAL["<"], "&lt;").replace(_LITERAL[">"], "&gt;"))
    for name, table in (tables or {}).items():
        body = body.replace(f"<p>{_TABLE_SLOT.format(name)}</p>", table.to_html())
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n"
        "<style>body{font-family:'SimSun','Songti SC',serif;max-width:52em;margin:2em auto;line-height:1.8;padding:0 1em}"
        "h1{text-align:center;font-size:1.6em}table{border-collapse:collapse;width:100%;margin:1em 0}"
        "th,td{border:1px solid #333;padding:.3em .5em;text-align:left;vertical-align:top}"
        "th{text-align:center;vertical-align:middle}td.n{text-align:right}"
        "@media print{@page{size:A4}body{max-width:none;margin:0}}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )


_RIGHT_ALIGNED = re.compile(r"^=>\s?", re.M)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue  # the Markdown separator row
        rows.append(cells)
    return rows


def markdown_to_docx(text: str, path: Path, title: str = "", layout: Any = None,
                    tables: Mapping[str, Any] | None = None) -> Path:
    """Write the Markdown dialect above as a Word document in the 公文 format (``core.paperwork.word``)."""
    from gongkai.core.paperwork import word
    return word.write_docx(text, path, title, layout or word.DOCUMENT, tables)


def docx_text(path: Path) -> str:
    """All text of a .docx, paragraphs and table cells, for tests and checks (as read: without the
    word joiners that hold a date together in a table, :func:`gongkai.core.paperwork.word.unbroken_dates`)."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        seen: dict[int, object] = {}  # a merged cell is listed once per grid place it covers
        for row in table.rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen[id(cell._tc)] = cell._tc  # kept alive, so no id is reused
                    parts.append(cell.text)
    return "\n".join(parts).replace("\u2060", "")


def write_output(text: str, fmt: str, path: Path | Target, title: str, layout: Any = None,
                 tables: Mapping[str, Any] | None = None) -> Path:
    """Write rendered Markdown ``text`` as ``fmt`` (docx, pdf, md or html) to ``path`` (through
    ``core.paperwork.safe_write``: never the unit's database, never an existing file without --force).

    ``layout`` is a ``core.paperwork.word.Layout`` (letters and notices use ``word.LETTER``);
    ``tables`` fills the ``::: table NAME`` lines with structured tables (``core.paperwork.tables``)."""
    from gongkai.core.paperwork.safe_write import write_file

    if fmt == "docx":
        return markdown_to_docx(text, path, title, layout, tables)
    if fmt == "pdf":
        from gongkai.core.paperwork.pdf import write_via

        return write_via(lambda source: markdown_to_docx(text, source, title, layout, tables), path,
                         fonts=getattr(layout, "fonts", None))
    if fmt not in ("md", "html"):
        raise GongkaiError(f"不支持的格式“{fmt}”，可选：docx、pdf、md、html。")
    text = plain_text(text, tables, html=fmt == "html")
    return write_file(path, restore(text) if fmt == "md" else markdown_to_html(text, title, tables))


_DIRECTIVE = re.compile(r"^:::.*$", re.M)
_TABLE_DIRECTIVE = re.compile(r"^:::\s*table\s+(\S+)\s*$", re.M)
_CENTERED = re.compile(r"^::\s?", re.M)
_TABLE_SLOT = "GONGKAI-TABLE-{}-END"


def plain_text(text: str, tables: Mapping[str, Any] | None = None, html: bool = False) -> str:
    """The dialect as plain Markdown: layout markers dropped, structured tables as pipe tables
    (or, for ``html``, a slot that ``markdown_to_html`` fills with the merged-cell table)."""

    def table(match: re.Match) -> str:
        name = match.group(1)
        if not tables or name not in tables:
            raise GongkaiError(f"模板引用了未提供的表格“{name}”。")
        return _TABLE_SLOT.format(name) if html else tables[name].to_markdown()

    text = _RIGHT_ALIGNED.sub("", text)  # "=>" (signature) and "::" (centred) mean something only in .docx
    text = _TABLE_DIRECTIVE.sub(table, text)
    text = _DIRECTIVE.sub("", text)
    return _CENTERED.sub("", text)
