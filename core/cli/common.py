"""Small helpers shared by the command modules: dates, the acting person."""

from __future__ import annotations

import datetime as dt
import getpass
import os

from gongkai.core.errors import GongkaiError

ENV_USER = "GONGKAI_USER"


def day(text: str | None, flag: str) -> dt.date | None:
    """An ISO date from a flag; a Chinese error naming the flag."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise GongkaiError(f"{flag} “{text}”不是有效日期，请写成 2026-09-24 的形式。") from None


def actor(by: str | None) -> str:
    """Who acts: --by, else GONGKAI_USER, else the login name (recorded in every event)."""
    if by and by.strip():
        return by.strip()
    try:
        return os.environ.get(ENV_USER) or getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


def force_option(func):
    """``--force``: replace an existing output file (never the unit's database or gongkai.toml)."""
    import click

    return click.option("--force", is_flag=True,
                        help="输出文件已存在时覆盖它（本单位的数据库和 gongkai.toml 永不覆盖）；输出文件给 - 则写到标准输出")(func)


def say_written(message: str, path, as_json: bool = False) -> None:
    """Confirm a written file (``{}`` in ``message`` is its path); on stderr when the file went to
    standard output or JSON is printed."""
    import click

    stdout = str(path) == "-"
    click.echo(message.format("标准输出" if stdout else path), err=as_json or stdout)
