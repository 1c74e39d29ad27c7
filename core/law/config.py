"""``gongkai.toml``: finding it, reading it, and choosing the active jurisdiction.

The file is found as git finds ``.git``: in the current directory or one of its parents,
unless ``--config`` or ``GONGKAI_CONFIG`` names it. Relative paths in it (the SQLite
database, the calendar folder, a rubric file) are relative to the file itself.

Example::

    jurisdiction = "changning"
    unit = "上海市长宁区人民政府办公室"   # a district server's folder has district = true instead
    reconsideration_body = "上海市长宁区人民政府"
    database_url = "sqlite:///gongkai.db"

    [[calendar.adjustments]]
    date = 2026-08-07
    workday = false
    name = "台风停工"

    [unit_practice]              # what no text sets (core/law/unit_practice.py)
    office_head_approval = true
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from gongkai.core.law import unit_practice
from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading

CONFIG_NAME = "gongkai.toml"
ENV_CONFIG = "GONGKAI_CONFIG"
ENV_JURISDICTION = "GONGKAI_JURISDICTION"
ENV_DATABASE = "GONGKAI_DATABASE_URL"
ENV_UNIT = "GONGKAI_UNIT"


@frozen(kw_only=True)
class Config:
    """The settings in force, after ``gongkai.toml``, environment and flags are combined."""

    path: Path | None = None  # the file read, or None when there is none
    jurisdiction: str | None = None
    unit: str = ""  # one unit's folder: its name as it signs letters (or its code); a district: the default unit's code
    district: bool = False  # a district server's folder: its database holds many units (core.units)
    reconsideration_body: str = ""
    letter_prefix: str = ""  # 机关代字 of the letters' 文号, e.g. "长府办信" (GB/T 9704-2012 7.2.4)
    database_url: str = ""
    calendar_dir: Path | None = None  # drop-in State Council schedule files (*.toml)
    rubric_file: Path | None = None
    calendar_adjustments: tuple[dict[str, Any], ...] = ()
    unit_practice: dict[str, Any] = attrs.field(factory=dict, eq=False, hash=False)  # core/law/unit_practice.py
    raw: dict[str, Any] = attrs.field(factory=dict, eq=False, hash=False)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def find_config_file(start: Path | None = None) -> Path | None:
    """The nearest ``gongkai.toml`` in ``start`` or its parents, or None."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _sqlite_url(url: str, base: Path) -> str:
    """Make a relative ``sqlite:///file`` URL relative to ``base``."""
    prefix = "sqlite:///"
    if url.startswith(prefix):
        rest = url[len(prefix) :]
        if rest and rest != ":memory:" and not rest.startswith("/"):
            return prefix + str((base / rest).resolve())
    return url


def load_config(
    explicit: str | os.PathLike | None = None,
    *,
    jurisdiction: str | None = None,
    database_url: str | None = None,
    cwd: Path | None = None,
) -> Config:
    """Read the configuration; ``jurisdiction``/``database_url`` are the CLI flags.

    Precedence for the jurisdiction: ``gongkai.toml`` < ``GONGKAI_JURISDICTION`` < flag.
    """
    explicit = explicit or os.environ.get(ENV_CONFIG) or None
    if explicit:
        path = Path(explicit)
        if not path.exists():  # a device or pipe: read_text reads it only up to its limit
            raise GongkaiError(f"找不到配置文件 {path}。请检查 --config 或 {ENV_CONFIG} 指定的路径。")
    else:
        path = find_config_file(cwd)
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(reading.read_text(path, reading.CONFIG_BYTES, "配置文件"))
        except tomllib.TOMLDecodeError as exc:
            raise GongkaiError(f"配置文件 {path} 格式错误：{exc}。请按 TOML 语法修改。") from None
    base = path.parent if path else (cwd or Path.cwd())

    chosen = jurisdiction or os.environ.get(ENV_JURISDICTION) or raw.get("jurisdiction") or None
    # No database unless one is named or a unit folder (gongkai.toml) holds it: a command run
    # elsewhere must not leave a stray gongkai.db behind (App.raw_engine says what to do).
    url = database_url or os.environ.get(ENV_DATABASE) or raw.get("database_url") or ("sqlite:///gongkai.db" if path else "")
    calendar = raw.get("calendar", {})
    if not isinstance(calendar, dict):
        raise GongkaiError(f"配置文件 {path} 中 calendar 应为表（[calendar]），请修改。")
    calendar_dir = calendar.get("dir") or raw.get("calendar_dir") or "calendar"
    rubric = raw.get("assessment", {}).get("rubric_file") if isinstance(raw.get("assessment"), dict) else None
    adjustments = calendar.get("adjustments", [])
    if not isinstance(adjustments, list) or not all(isinstance(a, dict) for a in adjustments):
        raise GongkaiError(f"配置文件 {path} 中 [[calendar.adjustments]] 应为表的数组，请修改。")
    return Config(
        path=path,
        jurisdiction=str(chosen) if chosen else None,
        unit=str(raw.get("unit", "")),
        district=raw.get("district") is True,
        reconsideration_body=str(raw.get("reconsideration_body", "")),
        letter_prefix=str(raw.get("letter_prefix", "")).strip(),
        database_url=_sqlite_url(str(url), base),
        calendar_dir=(base / calendar_dir),
        rubric_file=(base / rubric) if rubric else None,
        calendar_adjustments=tuple(adjustments),
        unit_practice=unit_practice.settings(raw, f"配置文件 {path}"),
        raw=raw,
    )
