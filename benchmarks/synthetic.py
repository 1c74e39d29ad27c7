"""Synthetic data for the benchmarks: databases, a new year's schedule, a ledger file.

Rows are written with the DB-API ``executemany`` (the ORM would dominate the set-up time),
in the same formats SQLAlchemy stores (ISO dates, 0/1 booleans).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

SCHEDULE_2027 = """\
year = 2027
notice = "benchmark: a synthetic 2027 schedule, shaped like a State Council notice"

[[holidays]]
name = "元旦"
off = [2027-01-01, 2027-01-03]

[[holidays]]
name = "春节"
off = [2027-02-06, 2027-02-14]
makeup_workdays = [2027-02-20]

[[holidays]]
name = "清明节"
off = [2027-04-03, 2027-04-05]

[[holidays]]
name = "劳动节"
off = [2027-05-01, 2027-05-05]
makeup_workdays = [2027-04-25, 2027-05-08]

[[holidays]]
name = "端午节"
off = [2027-06-09, 2027-06-11]

[[holidays]]
name = "中秋节、国庆节"
off = [2027-10-01, 2027-10-07]
makeup_workdays = [2027-09-26, 2027-10-09]
"""


@contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        yield Path(tmp)


def engine_at(path: Path) -> Engine:
    """A file database with every table of gongkai (WAL, as a unit's database)."""
    from gongkai.core.records.storage import create_schema, make_engine

    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    return engine


def _execute(engine: Engine, statements: list[tuple[str, Any]]) -> None:
    """Run DB-API statements in one transaction ((sql, params) or (sql, [params, ...]))."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA cache_size=-400000")  # room for the random index inserts
        for sql, params in statements:
            if isinstance(params, list):
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
        raw.commit()
        cursor.execute("PRAGMA cache_size=-2000")  # the default again: the pool reuses the connection
    finally:
        raw.close()


NUMBERS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
PLAN = "CREATE TEMP TABLE plan (day INTEGER, kind INTEGER, start DATE, off INTEGER, lim_off INTEGER, months INTEGER, due DATE, lim DATE, PRIMARY KEY (day, kind))"


def _plan(calendar: Any, first: dt.date, days: int) -> list[tuple[Any, ...]]:
    """The clocks per start day, computed once in Python: kind 0 a 20-working-day reply,
    1 a 10-day target with a 20-day limit, 2 extended by 20 working days, 3 by a month."""
    from dateutil.relativedelta import relativedelta

    rows = []
    for day in range(days):
        start = first + dt.timedelta(days=day)
        for kind, (off, lim_off, months) in enumerate([(20, None, 0), (10, 20, 0), (40, None, 0), (20, None, 1)]):
            due = calendar.add_working_days(start, off) + relativedelta(months=months)
            lim = calendar.add_working_days(start, lim_off).isoformat() if lim_off else None
            rows.append((day, kind, start.isoformat(), off, lim_off, months, due.isoformat(), lim))
    return rows


# a row's kind from its id: a tenth with a limit, a tenth extended, one in fifty by a month
KIND = "CASE WHEN (i * 7) % 100 < 10 THEN 1 WHEN (i * 7) % 100 < 20 THEN 2 WHEN (i * 7) % 100 < 22 THEN 3 ELSE 0 END"
DEADLINE = "INSERT INTO deadline (id, owner_kind, owner_id, name, rule_id, term_id, status, met_on) "
# the clocks of one start day and kind share a term: its id is day * 4 + kind + 1
TERMS = ('INSERT INTO deadline_term (id, unit, start, "offset", limit_offset, months_after, paused, due, "limit") '
         "SELECT day * 4 + kind + 1, 'working_days', start, off, lim_off, months, 0, due, lim FROM plan")


def provisional_deadlines(engine: Engine, n: int, calendar: Any) -> None:
    """``n`` open reply clocks starting from December 2026 to November 2027 (nearly all provisional)."""
    plan = _plan(calendar, dt.date(2026, 12, 1), 365)
    _execute(engine, [
        (PLAN, ()), ("INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?)", plan), (TERMS, ()),
        (NUMBERS + DEADLINE + f"SELECT i, 'request', i, 'reply', 'request.reply', ((i * 7919) % 365) * 4 + {KIND} + 1, "
         "'open', NULL FROM n", (n,)),
    ])


def requests_database(engine: Engine, n: int, calendar: Any, today: dt.date, days: int = 4 * 365,
                      units: int = 1) -> None:
    """``n`` requests received evenly over the ``days`` up to ``today``, each with its
    reply clock. Those not yet due are open, and one in a thousand older ones is still open
    (overdue); the rest were replied to, with the mix of outcomes, applicant
    types and channels of a typical city office. With ``units`` > 1 the requests are dealt
    in turn to that many units (a district server: unit ``u001`` … ``u200``)."""
    from gongkai.core.law.outcomes import APPLICANT_TYPE_CODES
    from gongkai.core.requests.models import Request
    from gongkai.core.records.units import Unit

    first = today - dt.timedelta(days=days - 1)
    plan = _plan(calendar, first, days)
    types = APPLICANT_TYPE_CODES
    outcomes = ["disclosed", "disclosed", "disclosed", "partial", "unavailable.not_held", "unavailable.other_agency",
                "withheld.third_party", "not_processed.duplicate", "other.other"]
    pick = lambda values, salt: "CASE (i * {s}) % {m} {w} END".format(  # noqa: E731
        s=salt, m=len(values), w=" ".join(f"WHEN {k} THEN '{v}'" for k, v in enumerate(values)))
    stale = 1000 if units == 1 else 1001  # one in 1,001 on a district: coprime with its units, so all get some
    is_open = f"(p.due >= '{today.isoformat()}' OR i % {stale} = 0)"
    values = {
        "id": "i", "version": "1", "applicant_name": "'申请人' || i", "applicant_type": pick(types, 13),
        "channel": pick(["in_person", "post_signed", "online"], 17), "submitted": "p.start", "received": "p.start",
        "subject": "'关于第' || (i % 997) || '号事项的信息'", "period_start": "p.start", "track": "'government'",
        "state": f"CASE WHEN {is_open} THEN 'processing' ELSE 'closed' END",
        "outcome": f"CASE WHEN {is_open} THEN NULL ELSE {pick(outcomes, 31)} END",
        "replied_on": f"CASE WHEN {is_open} THEN NULL ELSE date(p.start, '+' || (i % 25) || ' days') END",
    }
    unit_of = f"(i - 1) % {units} + 1"
    units_in = _unit_rows(Unit, units)
    values["unit_id"] = unit_of
    for column in Request.__table__.columns:  # everything else: the model's empty values
        if column.name not in values and not column.nullable:
            values[column.name] = "0" if column.type.python_type in (int, bool) else "''"
    names = ", ".join(f'"{c}"' for c in values)
    source = f"FROM n JOIN plan p ON p.day = (i - 1) * {days} / ? AND p.kind = 0"
    _execute(engine, [
        *units_in,
        (PLAN, ()), ("INSERT INTO plan VALUES (?, ?, ?, ?, ?, ?, ?, ?)", plan), (TERMS + " WHERE kind = 0", ()),
        (f"{NUMBERS}INSERT INTO disclosure_request ({names}) SELECT {', '.join(values.values())} {source}", (n, n)),
        (NUMBERS + DEADLINE.replace(") ", ", unit_id) ", 1) + "SELECT i, 'request', i, 'reply', 'request.reply', p.day * 4 + 1, "
         f"CASE WHEN {is_open} THEN 'open' ELSE 'met' END, "
         f"CASE WHEN {is_open} THEN NULL ELSE date(p.start, '+' || (i % 25) || ' days') END, {unit_of} {source}", (n, n)),
    ])


def _unit_rows(unit: Any, units: int) -> list[tuple[str, Any]]:
    """The units the requests are dealt to: ``u001`` …, one of them (the first) the government."""
    columns = unit.__table__.columns
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc).isoformat(sep=" ")
    rows = []
    for i in range(1, units + 1):
        values = {"id": i, "code": f"u{i:03d}", "name": f"第{i}单位", "level": "government" if i == 1 else "department",
                  "parent_id": None if i == 1 else 1, "created_at": now}
        rows.append(tuple(values.get(c.name, "") for c in columns))
    marks = ", ".join("?" for _ in columns)
    return [("DELETE FROM unit", ()),  # a fresh database's own unit, if the schema made one
            (f"INSERT INTO unit ({', '.join(c.name for c in columns)}) VALUES ({marks})", rows)]


def new_year_calendar(folder: Path) -> Any:
    """The calendar after the (synthetic) 2027 schedule file is dropped into ``folder``."""
    from gongkai.core.time.calendar import load_calendar

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2027.toml").write_text(SCHEDULE_2027, encoding="utf-8")
    return load_calendar([folder])


def ledger_csv(path: Path, n: int, seed: int = 6) -> dict[str, str]:
    """A ledger export with ``n`` rows as a unit keeps it; returns the ``--map`` mapping."""
    rng = random.Random(seed)
    types = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    channels = ["当面提交", "邮寄（签收）"]
    outcomes = ["disclosed", "partial", "unavailable.not_held", ""]
    first = dt.date(2026, 1, 5).toordinal()
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["申请人", "申请人类型", "渠道", "提交日期", "申请内容", "答复结果", "答复日期", "不予公开的内容"])
        for i in range(n):
            submitted = dt.date.fromordinal(first + rng.randrange(300))
            outcome = rng.choice(outcomes)
            replied = (submitted + dt.timedelta(days=rng.randrange(5, 25))).isoformat() if outcome else ""
            withheld = "第2页联系人电话：个人隐私（条例 第十五条）" if outcome == "partial" else ""
            out.writerow([f"申请人{i}", rng.choice(types), rng.choice(channels), submitted.isoformat(),
                          f"关于第{i % 997}号事项的信息", outcome, replied, withheld])
    return {"申请人": "applicant", "申请人类型": "applicant_type", "渠道": "channel", "提交日期": "submitted",
            "申请内容": "subject", "答复结果": "outcome", "答复日期": "replied_on", "不予公开的内容": "withheld"}
