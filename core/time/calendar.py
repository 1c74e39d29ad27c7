"""The PRC working-day calendar, compiled into an index.

Weekends and statutory holidays are rest days; the State Council's make-up working days
(调休上班日, on weekends) are working days. The data comes from the ``holidays`` package
(``holidays.China`` carries the make-up days), overlaid by schedule files a unit drops in
(one per year, mirroring the State Council notice) and by local adjustments from the
active plugin and ``gongkai.toml``.

A year is *final* when an official schedule for it is known: every year up to the last
one ``holidays`` has an official schedule for, plus every year a schedule file gives.
Later years are computed from the statutory holiday rules and are *provisional*.

The index is a prefix sum of working days over day offsets: adding N working days to a
date is two array look-ups, and counting working days between two dates is a subtraction.
Compiling ``holidays`` is slow (its import alone costs ~150 ms), so the compiled base is
cached on disk, keyed by the ``holidays`` version and the schedule files.

Schedule file format (``<calendar dir>/2027.toml``), one block per holiday of the notice::

    year = 2027
    notice = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"

    [[holidays]]
    name = "春节"
    off = [2027-02-06, 2027-02-13]        # first and last day off, inclusive
    makeup_workdays = [2027-02-14, 2027-02-20]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import tomllib
from array import array
from collections.abc import Iterable
from itertools import accumulate, compress
from pathlib import Path
from typing import Any

import attrs

from gongkai.core.cache_dir import cache_dir
from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading

FIRST_YEAR = 2008  # the first 条例 took effect on 2008-05-01; older dates are not needed
YEARS_AHEAD = 12  # provisional years computed beyond the last final one
CACHE_FORMAT = 2

WORKDAY, WEEKEND, HOLIDAY, MAKEUP = 0, 1, 2, 3
_WORKING = bytes(1 if kind in (WORKDAY, MAKEUP) else 0 for kind in range(256))  # kind -> working day?
KIND_NAMES = {WORKDAY: "workday", WEEKEND: "weekend", HOLIDAY: "holiday", MAKEUP: "makeup_workday"}
PACKAGED_SCHEDULES = Path(__file__).resolve().parent / "data" / "calendar"
_fromordinal = dt.date.fromordinal


@attrs.frozen
class DayInfo:
    date: dt.date
    workday: bool
    kind: str
    name: str | None
    provisional: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "workday": self.workday,
            "kind": self.kind,
            "name": self.name,
            "provisional": self.provisional,
        }


@attrs.frozen
class Schedule:
    """One year's official schedule, as read from a schedule file."""

    year: int
    notice: str
    off: tuple[tuple[dt.date, str], ...]  # (day off, holiday name)
    makeup: tuple[tuple[dt.date, str], ...]  # (make-up working day, holiday name)
    path: Path | None = None


def _as_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise GongkaiError(f"{where}：“{value}”不是有效日期，请写成 2027-02-06 的形式。")


def read_schedule(path: Path) -> Schedule:
    """Parse and check a schedule file; errors name the file and the field."""
    try:
        raw = tomllib.loads(reading.read_text(path, reading.SCHEDULE_BYTES, "节假日安排文件"))
    except tomllib.TOMLDecodeError as exc:
        raise GongkaiError(f"节假日安排文件 {path} 格式错误：{exc}。请按 TOML 语法、UTF-8 编码保存。") from None
    year = raw.get("year")
    if not isinstance(year, int) or not FIRST_YEAR <= year <= 2200:
        raise GongkaiError(f"节假日安排文件 {path} 缺少有效的 year（如 year = 2027）。")
    blocks = raw.get("holidays")
    if not isinstance(blocks, list) or not blocks:
        raise GongkaiError(f"节假日安排文件 {path} 缺少 [[holidays]] 节假日安排。")
    off: list[tuple[dt.date, str]] = []
    makeup: list[tuple[dt.date, str]] = []
    for i, block in enumerate(blocks, 1):
        where = f"{path} 第{i}个 [[holidays]]"
        name = block.get("name") if isinstance(block, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise GongkaiError(f"{where} 缺少 name（节日名称，如“春节”）。")
        span = block.get("off")
        if not isinstance(span, list) or len(span) != 2:
            raise GongkaiError(f"{where}（{name}）的 off 应为 [首个放假日, 最后放假日]。")
        first, last = (_as_date(v, f"{where}（{name}）off") for v in span)
        if last < first or (last - first).days > 15:
            raise GongkaiError(f"{where}（{name}）的放假区间 {first} 至 {last} 不合理，请核对通知。")
        day = first
        while day <= last:
            off.append((day, name))
            day += dt.timedelta(days=1)
        for value in block.get("makeup_workdays", []):
            d = _as_date(value, f"{where}（{name}）makeup_workdays")
            if d.weekday() < 5:
                raise GongkaiError(f"{where}（{name}）的调休上班日 {d} 不是周末，请核对通知。")
            makeup.append((d, name))
    # a file changes its own year only: a stray date would silently rewrite another year's calendar
    for d, name in off + makeup:
        if d.year != year:
            raise GongkaiError(f"节假日安排文件 {path}：{name}的日期 {d} 不属于 {year} 年（year = {year}）。"
                               f"一个文件只写一年的安排，请核对日期或 year；跨年放假的，本年文件只写本年的日子。")
    stem = Path(path).stem
    if stem.isdigit() and len(stem) == 4 and int(stem) != year:
        raise GongkaiError(f"节假日安排文件 {path} 的文件名是 {stem} 年，内容却是 year = {year}，请核对。")
    return Schedule(year, str(raw.get("notice", "")), tuple(off), tuple(makeup), Path(path))


def schedule_files(folders: Iterable[Path | None]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder and Path(folder).is_dir():
            files.extend(sorted(Path(folder).glob("*.toml")))
    return files


class WorkCalendar:
    """Working days on the PRC calendar, from an index. Build with :func:`load_calendar`."""

    def __init__(
        self,
        first: dt.date,
        kinds: bytearray,
        names: dict[int, str],
        final_years: frozenset[int],
        fingerprint: str,
    ) -> None:
        self.first = first
        self._base = first.toordinal()
        self._kinds = kinds
        self._names = names
        self.final_years = final_years
        self.last_final_year = max(final_years)
        self.fingerprint = fingerprint
        self._index()

    # -- construction --------------------------------------------------------------

    def _index(self) -> None:
        # prefix[i]: working days among offsets 0..i; workdays: offsets of working days.
        # (C-level loops: this runs on every command's calendar load)
        flags = bytes(self._kinds).translate(_WORKING)
        prefix = array("i", accumulate(flags))
        workdays = array("i", compress(range(len(flags)), flags))
        self._prefix = prefix
        self._workdays = workdays
        self._days = len(self._kinds)
        self._workday_count = len(workdays)
        self.last = self.first + dt.timedelta(days=len(self._kinds) - 1)

    def adjusted(self, adjustments: Iterable[Any]) -> WorkCalendar:
        """A copy with local adjustments applied (records with ``date``, ``workday``, ``name``)."""
        kinds = bytearray(self._kinds)
        names = dict(self._names)
        digest = hashlib.sha256(self.fingerprint.encode())
        for adj in adjustments:
            digest.update(f"{adj.date}|{adj.workday}".encode())
            i = self._offset(adj.date)
            if adj.workday:
                kinds[i] = MAKEUP if adj.date.weekday() >= 5 else WORKDAY
            else:
                kinds[i] = HOLIDAY if adj.date.weekday() < 5 or kinds[i] == MAKEUP else WEEKEND
            if adj.name:
                names[i] = adj.name
        return WorkCalendar(self.first, kinds, names, self.final_years, digest.hexdigest()[:20])

    # -- queries -------------------------------------------------------------------

    def _offset(self, day: dt.date) -> int:
        i = day.toordinal() - self._base
        if not 0 <= i < len(self._kinds):
            raise GongkaiError(
                f"日期 {day} 超出工作日历范围（{self.first} 至 {self.last}）。"
            )
        return i

    def is_workday(self, day: dt.date) -> bool:
        return self._kinds[self._offset(day)] in (WORKDAY, MAKEUP)

    @property
    def final_until(self) -> dt.date:
        """The last day of the last year with an official schedule."""
        return dt.date(self.last_final_year, 12, 31)

    def is_provisional(self, day: dt.date) -> bool:
        """True when ``day`` lies in a year without an official schedule yet."""
        return day.year > self.last_final_year and day.year not in self.final_years

    def day(self, day: dt.date) -> DayInfo:
        i = self._offset(day)
        kind = self._kinds[i]
        return DayInfo(day, kind in (WORKDAY, MAKEUP), KIND_NAMES[kind], self._names.get(i), self.is_provisional(day))

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` is day 0, even on a rest day)."""
        i = start.toordinal() - self._base
        if n > 0 and 0 <= i < self._days:
            k = self._prefix[i] + n - 1  # index into the working days: two look-ups, no walk
            if k < self._workday_count:
                return _fromordinal(self._base + self._workdays[k])
        if n < 0:
            raise ValueError("n must be >= 0")
        self._offset(start)  # raises a clear error when out of range
        if n == 0:
            return start
        raise GongkaiError(f"{start} 之后第{n}个工作日超出工作日历范围（至 {self.last}）。")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many have been used by ``end`` counting from ``start``."""
        if end <= start:
            return 0
        return self._prefix[self._offset(end)] - self._prefix[self._offset(start)]

    def year(self, year: int) -> list[DayInfo]:
        """The holidays and make-up working days of ``year`` (not ordinary weekends)."""
        start = dt.date(year, 1, 1)
        out = []
        for n in range((dt.date(year, 12, 31) - start).days + 1):
            d = start + dt.timedelta(days=n)
            info = self.day(d)
            if info.kind in ("holiday", "makeup_workday"):
                out.append(info)
        return out


# --------------------------------------------------------------------------- compiling


def _compile_base(schedules: list[Schedule]) -> tuple[dt.date, bytearray, dict[int, str], list[int]]:
    import holidays  # slow import: only when the cache is cold

    cn = holidays.China(years=[FIRST_YEAR])
    official = [y for y in cn.special_public_holidays if y >= FIRST_YEAR]
    last_official = max(official)
    final = set(range(FIRST_YEAR, last_official + 1)) | {s.year for s in schedules}
    last_year = max(final) + YEARS_AHEAD
    first = dt.date(FIRST_YEAR, 1, 1)
    days = (dt.date(last_year, 12, 31) - first).days + 1
    kinds = bytearray(days)
    names: dict[int, str] = {}
    for i in range(days):
        if (first + dt.timedelta(days=i)).weekday() >= 5:
            kinds[i] = WEEKEND

    scheduled_years = {s.year for s in schedules}
    cn = holidays.China(years=range(FIRST_YEAR, last_year + 1), language="zh_CN")
    base = first.toordinal()
    by_date = dict(cn.items())
    for day, name in by_date.items():
        if day.year in scheduled_years:
            continue
        kinds[day.toordinal() - base] = HOLIDAY
        names[day.toordinal() - base] = name
    for day in cn.weekend_workdays:
        if day.year in scheduled_years or not FIRST_YEAR <= day.year <= last_year:
            continue
        kinds[day.toordinal() - base] = MAKEUP
        names[day.toordinal() - base] = _makeup_name(day, by_date)

    for schedule in schedules:  # a schedule file replaces its year entirely
        for n in range(366 + (1 if schedule.year % 4 == 0 else 0)):
            d = dt.date(schedule.year, 1, 1) + dt.timedelta(days=n)
            if d.year != schedule.year:
                break
            i = d.toordinal() - base
            kinds[i] = WEEKEND if d.weekday() >= 5 else WORKDAY
            names.pop(i, None)
        for d, name in schedule.off:
            i = d.toordinal() - base
            if 0 <= i < days:
                kinds[i] = HOLIDAY if d.weekday() < 5 else WEEKEND
                names[i] = name
        for d, name in schedule.makeup:
            i = d.toordinal() - base
            if 0 <= i < days:
                kinds[i] = MAKEUP
                names[i] = f"{name}调休上班"
    return first, kinds, names, sorted(final)


def _makeup_name(day: dt.date, by_date: dict[dt.date, str]) -> str:
    """Name a make-up day after the festival its swapped day off belongs to."""
    iso = day.isoformat()
    for off_day, label in by_date.items():
        if iso in label:  # "休息日（由 2026-02-14 调休）"
            for delta in range(0, 8):
                for near in (off_day - dt.timedelta(days=delta), off_day + dt.timedelta(days=delta)):
                    festival = by_date.get(near)
                    if festival and "调休" not in festival:
                        return f"{festival.split('（')[0]}调休上班"
    return "调休上班"


def _cache_dir() -> Path:
    return Path(cache_dir())


def _holidays_release() -> str:
    """Which ``holidays`` is installed, for the cache's fingerprint: its METADATA's
    ``Version:`` line, read without parsing the whole file as ``importlib.metadata.version``
    does (it carries the package's long description: a measurable part of every command)."""
    try:
        text = importlib.metadata.distribution("holidays").read_text("METADATA") or ""
    except importlib.metadata.PackageNotFoundError:
        return ""
    return next((line for line in text.splitlines() if line.startswith("Version:")), text[:200])


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{FIRST_YEAR}|{YEARS_AHEAD}".encode())
    digest.update(_holidays_release().encode())
    for f in files:
        digest.update(str(f).encode())
        digest.update(f.read_bytes())
    return digest.hexdigest()[:20]


def load_calendar(
    schedule_dirs: Iterable[Path | None] = (),
    adjustments: Iterable[Any] = (),
    *,
    use_cache: bool = True,
) -> WorkCalendar:
    """The calendar from ``holidays``, the packaged and dropped-in schedule files, and
    the local ``adjustments`` (applied last)."""
    files = schedule_files([PACKAGED_SCHEDULES, *schedule_dirs])
    fingerprint = _fingerprint(files)
    cache = _cache_dir() / f"calendar-{fingerprint}.json"
    calendar = None
    if use_cache and cache.is_file():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            calendar = WorkCalendar(
                dt.date.fromisoformat(data["first"]),
                bytearray.fromhex(data["kinds"]),
                {int(k): v for k, v in data["names"].items()},
                frozenset(data["final_years"]),
                fingerprint,
            )
        except (ValueError, KeyError, OSError):
            calendar = None  # a damaged cache is rebuilt
    if calendar is None:
        schedules = _read_all(files)
        first, kinds, names, final = _compile_base(schedules)
        calendar = WorkCalendar(first, kinds, names, frozenset(final), fingerprint)
        if use_cache:
            _write_cache(cache, first, kinds, names, final)
    adjustments = list(adjustments)
    return calendar.adjusted(adjustments) if adjustments else calendar


def _read_all(files: list[Path]) -> list[Schedule]:
    by_year: dict[int, Schedule] = {}
    for f in files:  # later folders (the unit's own) override packaged files
        schedule = read_schedule(f)
        by_year[schedule.year] = schedule
    return list(by_year.values())


def _write_cache(path: Path, first: dt.date, kinds: bytearray, names: dict[int, str], final: list[int]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps(
                {"first": first.isoformat(), "kinds": kinds.hex(), "names": names, "final_years": final},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        os.replace(tmp, path)
    except OSError:
        pass  # no writable cache: compile each time, still correct
