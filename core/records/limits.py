"""Size limits on what staff and files may put in: a clear refusal instead of a crash.

These are engineering limits, not legal ones: far above any real request, low enough that
a pasted file or a runaway script cannot fill the database or the server's memory.
"""

from __future__ import annotations

import datetime as dt
import math

from gongkai.core.errors import GongkaiError

SUBJECT_CHARS = 10_000  # the information asked for (申请公开的政府信息内容)
NAME_CHARS = 200  # a person's or organisation's name (the column is 200 wide)
CONTACT_CHARS = 300
FORM_CHARS = 100  # how the applicant wants the information (纸质、电子邮件...)
ID_NUMBER_CHARS = 100
REF_CHARS = 100  # the unit's own reference of a request (长房申〔2025〕17号)
TEXT_CHARS = 100_000  # reasons, notes and other free text
IMPORT_ROWS = 200_000  # one import; split larger ledgers into several files
IMPORT_CELL_CHARS = 1_000_000  # one CSV cell (Python's csv module refuses > 131,072 by default)
YEARS = (1990, 2100)  # years a unit's records, reports and schedules can be about
FEE_PAGES = 1_000_000  # pages in one reply charged by volume (按量计收)
FEES_10K_YUAN = 100_000_000  # 行政事业性收费 of one unit in one year, in 万元 (a trillion yuan)
POINTS = 100_000  # an assessment score or a rubric's points
DECISIONS = 100_000_000  # 行政许可/处罚/强制 decisions of one unit in one year


def check_year(year: int, flag: str = "--year") -> int:
    """``year`` if it lies in :data:`YEARS`; else a Chinese error giving the range."""
    low, high = YEARS
    if isinstance(year, bool) or not isinstance(year, int) or not low <= year <= high:
        raise GongkaiError(f"年份“{year}”无效（{flag}），应为 {low} 至 {high} 年之间的四位年份，如 2026。")
    return year


def check_date(day: dt.date, flag: str) -> dt.date:
    """``day`` if its year lies in :data:`YEARS`; else a Chinese error giving the range (9999-12-31
    or 1900-01-01 is a typing slip, never a day a unit's records are about)."""
    low, high = YEARS
    if not low <= day.year <= high:
        raise GongkaiError(f"{flag} 的日期 {day} 不在 {low} 年至 {high} 年之间，请核对日期。")
    return day


def check_number(value: float, field: str, low: float, high: float) -> float:
    """A finite number in [low, high]; ``inf``, ``nan`` and absurd values get a Chinese error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not low <= value <= high:
        raise GongkaiError(f"{field}“{value}”无效，应为 {_shown(low)} 至 {_shown(high)} 之间的数值，请核对。")
    return value


def _shown(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def check_text(value: str, limit: int, field: str) -> str:
    """``value`` if it has at most ``limit`` characters and can be stored; else a Chinese error naming the field."""
    if len(value) > limit:
        raise GongkaiError(f"{field}共 {len(value):,} 个字符，超过上限 {limit:,} 个字符，请精简后重试。")
    if "\x00" in value or not storable(value):
        raise GongkaiError(f"{field}含有无法保存的字符（NUL 控制字符或残缺的 Unicode），请删除后重试。")
    return value


def storable(text: str) -> bool:
    """Whether ``text`` is valid Unicode without NUL (PostgreSQL refuses NUL in text)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text
