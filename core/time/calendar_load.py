"""Loading a State Council schedule file into a unit's calendar (``gongkai calendar --load``).

The calendar decides every deadline, so it is not changed by accident: the file's dates must
belong to its year (:func:`gongkai.core.time.calendar.read_schedule`), a year that already has an
official schedule is replaced only with ``replace``, and every load is an event in the log
saying which days changed and how many stored deadlines were recomputed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from gongkai.core.time.calendar import read_schedule
from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading

SUBJECT = "calendar"  # Event.subject_kind; subject_id is the year


def _sha256(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def changed_days(before: Any, after: Any, year: int) -> list[dict[str, Any]]:
    """The days of ``year`` whose kind or name differs between two calendars."""
    out = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        old, new = before.day(day), after.day(day)
        if (old.kind, old.name) != (new.kind, new.name):
            out.append({"date": day.isoformat(), "before": old.kind, "after": new.kind, "name": new.name or old.name})
        day += dt.timedelta(days=1)
    return out


def load_schedule(app: Any, path: str | Path, *, replace: bool = False, actor: str = "") -> dict[str, Any]:
    """Put the schedule file ``path`` in the unit's calendar folder, recompute provisional
    deadlines and record the load; returns what changed. Nothing changes when it is refused."""
    from gongkai.core.time.deadline_store import ensure_calendar_current
    from gongkai.core.paperwork.safe_write import Target, write_file
    from gongkai.core.records.storage import record_event

    schedule = read_schedule(Path(path))
    year = schedule.year
    new_bytes = reading.read_bytes(path, reading.SCHEDULE_BYTES, "节假日安排文件")
    target = app.config.calendar_dir / f"{year}.toml"
    old_bytes = target.read_bytes() if target.is_file() else None
    before = app.calendar
    official = not before.is_provisional(dt.date(year, 6, 1))
    if official and old_bytes != new_bytes and not replace:
        source = f"本单位已载入的 {target}" if old_bytes is not None else "国务院已公布的安排（随软件提供）"
        raise GongkaiError(
            f"{year} 年已有正式的节假日安排（{source}）。载入新文件会替换它，并改变该年的工作日和期限；"
            f"确需替换（如国务院发文调整），请加 --replace。")
    written = False
    try:
        with app.session() as session:  # the database is reachable before anything is written
            if old_bytes != new_bytes:
                write_file(Target(str(target), force=True), new_bytes)  # a temporary file renamed into place
                written = True
            app.reload_calendar()
            days = changed_days(before, app.calendar, year)
            recomputed = ensure_calendar_current(session, app.calendar)
            record_event(session, subject_kind=SUBJECT, subject_id=year, action="calendar.load", actor=actor,
                         before={"file_sha256": _sha256(old_bytes), "official": official},
                         after={"file": str(target), "file_sha256": _sha256(new_bytes), "notice": schedule.notice,
                                "replaced": official and old_bytes != new_bytes, "changed_days": days,
                                "recomputed": recomputed})
    except BaseException:
        if written:  # the load's transaction did not commit: the folder goes back as it was
            _restore(target, old_bytes)
        app.reload_calendar()
        raise
    return {"year": year, "file": str(target), "final": not app.calendar.is_provisional(dt.date(year, 6, 1)),
            "replaced": official and old_bytes != new_bytes, "changed_days": days, "recomputed": recomputed}


def sync(session: Any, calendar: Any) -> int:
    """Recompute stored provisional deadlines if the calendar changed since they were computed,
    and log the change when a calendar was already in use: a schedule file dropped into the
    folder by hand, a ``holidays`` update or a new local adjustment changes deadlines too."""
    from gongkai.core.time.deadline_store import CALENDAR_SETTING, FINAL_SETTING, ensure_calendar_current
    from gongkai.core.records.storage import get_setting, record_event

    previous, until = get_setting(session, CALENDAR_SETTING), get_setting(session, FINAL_SETTING)
    recomputed = ensure_calendar_current(session, calendar)
    if previous and previous != calendar.fingerprint:
        record_event(session, subject_kind=SUBJECT, subject_id=None, action="calendar.changed",
                     before={"fingerprint": previous, "final_until": until},
                     after={"fingerprint": calendar.fingerprint, "final_until": calendar.final_until.isoformat(),
                            "recomputed": recomputed})
    return recomputed


def _restore(target: Path, old_bytes: bytes | None) -> None:
    from gongkai.core.paperwork.safe_write import Target, write_file

    try:
        if old_bytes is None:
            target.unlink(missing_ok=True)
        else:
            write_file(Target(str(target), force=True), old_bytes)
    except OSError:
        pass
