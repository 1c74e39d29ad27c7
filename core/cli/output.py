"""Printing results: one JSON document with ``--json``, otherwise a readable table."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import click


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns, a Chinese character counting two; breaks between
    words or between Chinese characters, never inside an English word that fits on a line."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in re.findall(r"[\x21-\x7e]+|\s+|.", paragraph):
            if display_width(line + token) > width and line.strip():
                lines.append(line.rstrip())
                line = "" if token.isspace() else token
            else:
                line += token
        lines.append(line.rstrip())
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    """A plain-text table that lines up Chinese (double-width) characters."""

    def cell(v: Any) -> str:
        text = "" if v is None else ("是" if v is True else "否" if v is False else str(v))
        text = text.replace("\n", " ")
        if display_width(text) > max_width:
            while display_width(text) > max_width - 1:
                text = text[:-1]
            text += "…"
        return text

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def emit_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], **kw: Any) -> None:
    click.echo(table(headers, rows, **kw))
