"""Importing reconsiderations and lawsuits (年度报告 第四部分) from .xlsx or .csv.

Each row names its request by the unit's own reference (本单位编号) and is checked by
:func:`gongkai.core.requests.appeals.check_appeal`, the checks ``request appeal`` makes
(record_appeal calls it), against the appeals stored and those of the rows before it; so a
row is refused for exactly the reasons the command refuses it, reported with its line number,
and nothing of it is stored. The good rows are stored BATCH at a time, each batch one
transaction (whole or absent), with one executemany per table: what ``record_appeal`` would
have stored row by row, without its per-row queries and flushes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, select, update

from gongkai.core.records import importing
from gongkai.core.records.chain import append_columns
from gongkai.core.time.deadline_store import StoredDeadline, term_columns, term_ids
from gongkai.core.errors import GongkaiError
from gongkai.core.requests import appeals
from gongkai.core.requests.importer import _ENCODE, ImportReport
from gongkai.core.requests.ledger import APPEALS_SHEET
from gongkai.core.units.background import in_batches
from gongkai.core.requests.models import OWNER, Appeal, Request
from gongkai.core.records.storage import CONFLICT_MESSAGE, insert_columns, session_scope, utc

FIELDS = {  # field -> (Chinese name, required); the Chinese names are also the headers recognised without --map
    "ref": ("本单位编号", True),
    "kind": ("救济类型", True),
    "filed": ("提起日期", True),
    "result": ("结果", False),
    "decided": ("审结日期", False),
    "reconsidered_on": ("复议决定日期", False),
}
KINDS = {  # what a unit's file may say -> code (the codes themselves too)
    **{code: code for code in appeals.KINDS}, **{name: code for code, name in appeals.KINDS.items()},
    "复议": "reconsideration", "直接起诉": "lawsuit", "未经复议直接起诉": "lawsuit",
    "复议后起诉": "lawsuit_after_reconsideration", "经复议后起诉": "lawsuit_after_reconsideration",
}
RESULTS = {  # the report's codes (section 四) or the results themselves
    "upheld": "维持", "corrected": "纠正", "other": "其他", "pending": "尚未审结", "": "尚未审结",
    **{r: r for r in appeals.RESULTS},
}
BATCH = 5000  # rows per transaction
SHEET = APPEALS_SHEET  # the sheet of a workbook read, if it has one


def _choice(value: Any, choices: dict[str, str], name: str, shown: str) -> str:
    text = "" if value is None else str(value).strip()
    if text not in choices:
        raise GongkaiError(f"{name}“{text}”无效，可选：{shown}")
    return choices[text]


def parse_row(values: dict[str, Any]) -> dict[str, Any]:
    """One row as ``record_appeal``'s arguments (and ``ref``); a GongkaiError names a bad cell."""
    ref = "" if values.get("ref") is None else str(values["ref"]).strip()
    if not ref:
        raise GongkaiError("本单位编号为空：每行须写明所针对申请的本单位编号")
    filed = importing.cell_date(values.get("filed"), "提起日期")
    if filed is None:
        raise GongkaiError("提起日期为空")
    return {
        "ref": ref,
        "kind": _choice(values.get("kind"), KINDS, "救济类型", "复议、直接起诉、复议后起诉"),
        "filed_on": filed,
        "result": _choice(values.get("result"), RESULTS, "结果", "、".join(appeals.RESULTS)),
        "decided_on": importing.cell_date(values.get("decided"), "审结日期"),
        "reconsidered_on": importing.cell_date(values.get("reconsidered_on"), "复议决定日期"),
    }


def _requests(session: Any, refs: list[str]) -> dict[str, Any]:
    """The requests with these references (rows with the columns the checks read), by reference."""
    r = Request.__table__.c
    return {row.ref: row for i in range(0, len(refs), 500) for row in session.execute(
        select(r.id, r.ref, r.state, r.version, r.received, r.replied_on, r.track).where(r.ref.in_(refs[i:i + 500])))}


def _appeals(session: Any, request_ids: list[int]) -> dict[int, list[Any]]:
    """The appeals already stored on these requests, in order, by request."""
    a = Appeal.__table__.c
    out: dict[int, list[Any]] = defaultdict(list)
    for i in range(0, len(request_ids), 500):
        for row in session.execute(select(a.request_id, a.kind, a.filed_on, a.result, a.decided_on)
                                   .where(a.request_id.in_(request_ids[i:i + 500])).order_by(a.id)):
            out[row.request_id].append(row)
    return out


def _checked(session: Any, registry: Any, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[Any], dict[str, Any], list[tuple[int, str]]]:
    """The rows that pass :func:`appeals.check_appeal`, in order, each checked against the
    appeals stored and those of the rows before it; the requests they name; the refused rows."""
    requests = _requests(session, sorted({row["ref"] for _, row in rows}))
    earlier = _appeals(session, [r.id for r in requests.values()])
    good, errors = [], []
    for n, row in rows:
        request = requests.get(row["ref"])
        try:
            if request is None:
                raise GongkaiError(f"没有本单位编号为“{row['ref']}”的申请，请先导入申请（request import）")
            if any((a.kind, a.filed_on) == (row["kind"], row["filed_on"]) for a in earlier[request.id]):
                raise GongkaiError(f"申请 {row['ref']} 已登记 {row['filed_on']} 提起的{appeals.KINDS[row['kind']]}，不重复登记")
            appeals.check_appeal(registry, request, earlier[request.id], row["kind"], row["filed_on"], row["result"],
                                 row["decided_on"], row["reconsidered_on"])
        except GongkaiError as exc:
            errors.append((n, str(exc)))
            continue
        appeal = SimpleNamespace(
            id=None, request_id=request.id, kind=row["kind"], filed_on=row["filed_on"], result=row["result"],
            decided_on=row["decided_on"] if row["result"] != "尚未审结" else None,  # as record_appeal keeps it
            over_silence=request.replied_on is None, reconsidered_on=row["reconsidered_on"])
        earlier[request.id].append(appeal)
        good.append(appeal)
    return good, requests, errors


def _store(office: Any, rows: list[tuple[int, dict[str, Any]]], actor: str) -> tuple[list[int], list[tuple[int, str]]]:
    """Check ``rows`` and store the good ones in one transaction, as ``record_appeal`` would
    have stored them one by one: the appeals, each request's version moved on by one per
    event, the registration clocks of overturned replies, and the events (chained). One
    executemany per table. Returns (the new appeals' ids, refused rows)."""
    with session_scope(office.engine) as session:
        good, requests, errors = _checked(session, office.registry, rows)
        if not good:
            return [], errors
        columns = ("request_id", "kind", "filed_on", "result", "decided_on", "over_silence", "reconsidered_on")
        ids = insert_columns(session, Appeal.__table__, {c: [getattr(a, c) for a in good] for c in columns},
                             len(good), return_ids=True)
        by_id = {r.id: r for r in requests.values()}
        version = {r.id: r.version for r in requests.values()}
        events: dict[str, list[Any]] = {"subject_id": [], "before": [], "after": []}
        clocks: dict[int, Any] = {}
        for appeal, appeal_id in zip(good, ids):
            appeal.id = appeal_id
            state = by_id[appeal.request_id].state  # an appeal leaves the state as it is (workflow.TRANSITIONS)
            decided = appeal.result != "尚未审结"
            steps = [({}, appeals.filed_details(appeal))]
            if decided:  # decide()'s event: the result replaces 尚未审结
                steps.append(({"result": "尚未审结", "decided_on": None}, appeals.decided_details(appeal)))
            for before, after in steps:
                v = version[appeal.request_id]
                version[appeal.request_id] = v + 1
                events["subject_id"].append(appeal.request_id)
                # event_json's JSON without its masking pass: codes, dates and numbers, nothing to mask
                events["before"].append(_ENCODE({**before, "state": state, "version": v}))
                events["after"].append(_ENCODE({"state": state, "version": v + 1, **after}))
            clock = appeals.registration_clock(office, appeal.result, appeal.decided_on)
            if clock is not None:
                clocks[appeal.request_id] = clock  # the latest decision's, as store_deadline keeps it
        _move_versions(session, {i: (r.version, version[i]) for i, r in by_id.items() if version[i] != r.version})
        if clocks:
            _store_clocks(session, clocks)
        append_columns(session, {"at": utc(dt.datetime.now(dt.timezone.utc)), "actor": actor,
                                 "subject_kind": OWNER, "action": "appeal", **events}, len(events["after"]))
        return ids, errors


def _move_versions(session: Any, moves: dict[int, tuple[int, int]]) -> None:
    """Each request's version from the one read to the new one; a request changed meanwhile
    by someone else stops the batch (optimistic locking, as the ORM's version column does)."""
    r = Request.__table__.c
    result = session.execute(
        update(Request.__table__).where(r.id == bindparam("rid"), r.version == bindparam("old"))
        .values(version=bindparam("new")),
        [{"rid": i, "old": old, "new": new} for i, (old, new) in moves.items()])
    if session.get_bind().dialect.supports_sane_multi_rowcount and result.rowcount != len(moves):
        raise GongkaiError(CONFLICT_MESSAGE)


def _store_clocks(session: Any, clocks: dict[int, Any]) -> None:
    """The registration clocks (request id -> computed deadline): an existing one moved to the
    new dates, as store_deadline does, the others inserted."""
    d = StoredDeadline.__table__.c
    owners = sorted(clocks)
    terms = dict(zip(owners, term_ids(session, [term_columns(clocks[i]) for i in owners])))
    existing = {row.owner_id: row.id for i in range(0, len(owners), 500) for row in session.execute(
        select(d.id, d.owner_id).where(d.owner_kind == OWNER, d.name == appeals.REGISTRATION_CLOCK,
                                       d.owner_id.in_(owners[i:i + 500])))}
    if existing:
        session.execute(update(StoredDeadline.__table__).where(d.id == bindparam("cid"))
                        .values(rule_id=bindparam("rule"), term_id=bindparam("term")),
                        [{"cid": cid, "rule": clocks[i].rule.id, "term": terms[i]} for i, cid in existing.items()])
    new = [i for i in owners if i not in existing]
    insert_columns(session, StoredDeadline.__table__, {
        "owner_kind": OWNER, "owner_id": new, "name": appeals.REGISTRATION_CLOCK,
        "rule_id": [clocks[i].rule.id for i in new], "term_id": [terms[i] for i in new], "status": "open",
        "met_on": None}, len(new))


def import_appeals(office: Any, path: Path, mapping: dict[str, str] | None, actor: str = "",
                   progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import the appeals in ``path``; ``mapping`` (header -> field) may be None for a file with
    the fields' Chinese names as headers. ``progress(rows_read, rows_expected)`` after each batch."""
    path, count, mapping = importing.opened(path, mapping, FIELDS, sheet=SHEET,
                                            example="申请编号=ref,类型=kind,日期=filed")
    rows = importing.read_rows(path, sheet=SHEET)
    next(rows, None)  # the headers
    return in_batches(rows, mapping, parse_row, lambda batch: _store(office, batch, actor), BATCH,
                      what="复议、诉讼", progress=progress, count=count)
