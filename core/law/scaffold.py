"""``gongkai plugin new``: a new jurisdiction as an installable package.

The package it writes (``gongkai-NAME``) has its own pyproject with the ``gongkai`` entry
point, a rules module overriding one national rule and adding a local one (each cited),
a templates folder overriding one reply letter, and a one-line conformance test. It passes
the conformance suite as generated; the author then replaces the example rules with those
of the county's text.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import string
from pathlib import Path

import attrs

from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork.render import CORE_TEMPLATES

SCAFFOLD_TEMPLATES = Path(__file__).resolve().parent / "scaffold_templates"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# the letter the scaffold overrides, when the core has it (the outcome "disclosed")
OVERRIDDEN_LETTERS = ("letters/disclosed.md.j2",)


@attrs.frozen
class Scaffold:
    name: str
    chinese_name: str
    root: Path
    module: str
    files: tuple[Path, ...]


def _render(template: str, values: dict[str, str]) -> str:
    text = (SCAFFOLD_TEMPLATES / template).read_text(encoding="utf-8")
    return string.Template(text).substitute(values)


def _gongkai_version() -> str:
    try:
        return importlib.metadata.version("gongkai")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - running from a checkout
        return "0.1"


def _letter_override(chinese_name: str, source_title: str) -> tuple[str, str] | None:
    """The core letter to override, copied with a note, or None if the core has none yet."""
    for name in OVERRIDDEN_LETTERS:
        core = CORE_TEMPLATES / name
        if core.is_file():
            header = (
                f"{{# {chinese_name}覆盖核心模板 {name}：文件名与核心模板相同即替换该模板。\n"
                "   只使用核心模板已有的变量（StrictUndefined：缺变量即报错）。 #}\n"
            )
            body = core.read_text(encoding="utf-8").rstrip("\n") + "\n"
            note = f"\n本告知书依据《{source_title}》制作。\n"
            end = body.rfind("{% endblock %}")
            if end >= 0:  # a child template renders only its blocks: the note goes in the last one
                body = body[:end] + note + body[end:]
            else:
                body += note
            return name, header + body
    return None


def new_plugin(name: str, chinese_name: str | None = None, out: Path | None = None) -> Scaffold:
    """Write the package ``gongkai-<name>`` into ``out`` (default: the current directory)."""
    if not _NAME.match(name or ""):
        raise GongkaiError(f"插件名“{name}”无效：应为小写英文字母开头、由小写字母、数字和下划线组成，如 jinshan。")
    chinese_name = (chinese_name or "").strip() or name
    root = Path(out or Path.cwd()) / f"gongkai-{name}"
    if root.exists() and any(root.iterdir()):
        raise GongkaiError(f"目录 {root} 已存在且不为空。请换一个 --out 目录，或先移走该目录。")
    module = f"gongkai_{name}"
    source_title = f"{chinese_name}政务公开工作办法"
    values = {
        "name": name,
        "chinese_name": chinese_name,
        "module": module,
        "source_key": "办法",
        "source_title": source_title,
        "gongkai_version": _gongkai_version(),
    }
    files = {
        "pyproject.toml": _render("pyproject.toml.tmpl", values),
        "README.md": _render("README.md.tmpl", values),
        f"{module}/__init__.py": _render("__init__.py.tmpl", values),
        f"{module}/rules.py": _render("rules.py.tmpl", values),
        f"{module}/templates/README.md": _render("templates_README.md.tmpl", values),
        "tests/test_conformance.py": _render("test_conformance.py.tmpl", values),
    }
    letter = _letter_override(chinese_name, source_title)
    if letter is not None:
        files[f"{module}/templates/{letter[0]}"] = letter[1]
    from gongkai.core.paperwork.safe_write import write_file

    written: list[Path] = []
    fresh = not root.exists()
    try:
        for relative, text in files.items():
            written.append(write_file(root / relative, text))
    except GongkaiError:
        if fresh:  # all or nothing: no half a package
            shutil.rmtree(root, ignore_errors=True)
        raise
    return Scaffold(name=name, chinese_name=chinese_name, root=root, module=module, files=tuple(written))
