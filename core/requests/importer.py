"""Importing an existing ledger (.xlsx or .csv) with a column mapping.

Rows stream in (openpyxl read-only, csv reader); each batch is one transaction. A bad
row is reported with its row number and skipped; every good row is kept.

The import is a bulk path, not the workflow row by row: each row is checked with the same
functions as ``request new`` (intake.request_fields) and its clocks computed in Python,
then a batch is written with one executemany per table (requests, clocks, events), with
no ORM objects and no per-row SELECT. The request and its reply clock are what
intake.receive and a reply would have stored; its history is one ``import`` event on the
hash chain, saying what the ledger gave (state, receipt, reply), not a receipt and a reply
that gongkai never saw happen.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from gongkai.core import limits
from gongkai.core.audit import append_rows
from gongkai.core.deadline_store import StoredDeadline, term_columns, term_ids
from gongkai.core.deadlines import compute
from gongkai.core.errors import GongkaiError
from gongkai.core.requests import intake
from gongkai.core.requests.models import OWNER, Request
from gongkai.core.requests.workflow import next_state_after
from gongkai.core.storage import event_values, insert_rows

FIELDS = {  # field -> (Chinese name, required)
    "applicant": ("申请人", True),
    "applicant_type": ("申请人类型", True),
    "channel": ("渠道", True),
    "submitted": ("提交日期", True),
    "confirmed": ("确认日期", False),
    "subject": ("申请内容", True),
    "id_number": ("证件号码", False),
    "contact": ("联系方式", False),
    "outcome": ("答复结果", False),
    "replied_on": ("答复日期", False),
}
BATCH = 2000  # rows per transaction


@attrs.define
class ImportReport:
    imported: list[int] = attrs.field(factory=list)
    errors: list[tuple[int, str]] = attrs.field(factory=list)  # (row number, message)

    def to_json(self) -> dict[str, Any]:
        return {"imported": len(self.imported), "ids": self.imported,
                "errors": [{"row": n, "error": e} for n, e in self.errors]}


def parse_mapping(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``--map 申请人=applicant --map 日期=submitted`` (or one comma-separated value) -> column -> field."""
    mapping: dict[str, str] = {}
    for item in items:
        for pair in item.split(","):
            column, sep, field = pair.partition("=")
            if not sep or not column.strip() or field.strip() not in FIELDS:
                raise GongkaiError(f"--map “{pair}” 应为“表头=字段”，字段可选：{'、'.join(FIELDS)}")
            mapping[column.strip()] = field.strip()
    missing = [f for f, (_, required) in FIELDS.items() if required and f not in mapping.values()]
    if missing:
        raise GongkaiError(f"--map 缺少必填字段：{'、'.join(f'{f}（{FIELDS[f][0]}）' for f in missing)}")
    return mapping


def read_rows(path: Path) -> Iterator[Any]:
    """First the header list, then (row number as the user sees it, {header: value}) per data row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        csv.field_size_limit(limits.IMPORT_CELL_CHARS)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            n = 1
            try:
                headers = [h.strip() for h in next(reader, [])]
                yield headers
                for n, values in enumerate(reader, start=2):
                    if any(v.strip() for v in values):
                        yield n, dict(zip(headers, values))
            except csv.Error as exc:
                raise GongkaiError(
                    f"第 {n + 1} 行无法读取（{exc}）；单元格上限 {limits.IMPORT_CELL_CHARS:,} 个字符。此前的行已导入。"
                ) from None
            except UnicodeDecodeError:
                raise GongkaiError(f"文件 {path.name} 第 {n + 1} 行附近不是 UTF-8 编码，请另存为 UTF-8 的 CSV。此前的行已导入。") from None
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(str(path), read_only=True, data_only=True)
        try:
            rows = wb.active.iter_rows(values_only=True)
            headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
            yield headers
            for n, values in enumerate(rows, start=2):
                if any(v not in (None, "") for v in values):
                    yield n, dict(zip(headers, values))
        finally:
            wb.close()
    else:
        raise GongkaiError(f"不支持的文件类型“{path.suffix}”，请导入 .xlsx 或 .csv 文件。")


def count_rows(path: Path) -> int:
    """About how many rows ``path`` has, found without parsing it (checked before any write)."""
    if path.suffix.lower() == ".csv":
        lines = 0
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
        return lines
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(str(path), read_only=True)
        try:
            return wb.active.max_row or 0
        finally:
            wb.close()
    return 0


def _date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise GongkaiError(f"{name}“{value}”不是有效日期（应为 2026-03-02）") from None


class _Batch:
    """The good rows of one batch, checked and computed in Python, written with one
    executemany per table: requests, their reply clocks, their events (chained at the end)."""

    def __init__(self, office: Any, actor: str) -> None:
        self.office, self.actor = office, actor
        self.reply_rule = office.registry.deadline("request.reply")
        day = dt.date(2000, 1, 3)
        self.defaults = Request(applicant_name="", applicant_type="", channel="", submitted=day, received=day,
                                subject="", period_start=day).model_dump(exclude={"id"})
        self.replied_state = next_state_after("received", "reply")
        self.terms: dict[dt.date, int] = {}  # the reply clock's term per start: many rows share one
        self.rows: list[tuple[dict[str, Any], dict[str, Any], str | None]] = []  # request, reply clock, event

    def _term_ids(self, session: Any) -> list[int]:
        """The reply clocks' term ids of the queued rows; each start day's term found or stored once."""
        new = sorted({request["received"] for request, _, _ in self.rows} - self.terms.keys())
        if new:
            terms = [term_columns(compute(self.reply_rule, start, self.office.calendar)) for start in new]
            self.terms.update(zip(new, term_ids(session, terms)))
        return [self.terms[request["received"]] for request, _, _ in self.rows]

    def add(self, values: dict[str, Any]) -> None:
        """Check one row and queue it; a GongkaiError (nothing queued) for a bad one."""
        registry = self.office.registry
        text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
        submitted = _date(values.get("submitted"), "提交日期")
        if submitted is None:
            raise GongkaiError("提交日期为空")
        fields = intake.request_fields(
            registry, applicant=text.get("applicant", ""), applicant_type=text.get("applicant_type", ""),
            channel=text.get("channel", ""), submitted=submitted, confirmed=_date(values.get("confirmed"), "确认日期"),
            subject=text.get("subject", ""), id_number=text.get("id_number", ""), contact=text.get("contact", ""))
        received, channel = fields["received"], fields["channel"]
        request = {**self.defaults, **fields, "state": "received", "version": 1, "imported": True}
        # the reply clock, met if the ledger has the reply; no intake clock: importing
        # history is not the platform entry a local intake rule times
        clock = {"owner_kind": OWNER, "name": "reply", "rule_id": self.reply_rule.id, "status": "open", "met_on": None}
        event = {"state": "received", "version": 1, "received": received.isoformat(), "channel": channel}
        if text.get("outcome"):
            outcome = registry.outcome(text["outcome"])
            replied = _date(values.get("replied_on"), "答复日期")
            if replied is None:
                raise GongkaiError("有答复结果时须填写答复日期")
            if replied < received:
                raise GongkaiError(f"答复日期 {replied} 早于收到日期 {received}")
            request.update(state=self.replied_state, outcome=outcome.code, replied_on=replied, reasons=outcome.name)
            clock.update(status="met", met_on=replied)
            event.update(state=self.replied_state, outcome=outcome.code, on=replied.isoformat())
        # One event per request says what was imported: the state, receipt and reply it came with.
        # Its JSON is event_json's without the masking pass: codes and dates only, nothing to mask.
        self.rows.append((request, clock, json.dumps(event, ensure_ascii=False, sort_keys=True)))

    def write(self, session: Any) -> list[int]:
        """Insert the queued rows in the caller's transaction; returns the new request ids."""
        if not self.rows:
            return []
        ids = insert_rows(session, Request.__table__, [request for request, _, _ in self.rows], return_ids=True)
        insert_rows(session, StoredDeadline.__table__, [
            {**clock, "owner_id": i, "term_id": term} for i, term, (_, clock, _) in zip(ids, self._term_ids(session), self.rows)])
        now = dt.datetime.now(dt.timezone.utc)
        append_rows(session, [
            event_values(subject_kind=OWNER, subject_id=i, action="import", actor=self.actor, after=after, at=now,
                         encoded=True)
            for i, (_, _, after) in zip(ids, self.rows)
        ])
        self.rows.clear()
        return ids


def import_ledger(office: Any, path: Path, mapping: dict[str, str], actor: str = "",
                  progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import ``path``; each batch of rows is one transaction, bad rows are reported and skipped.

    ``progress(rows_read, rows_expected)`` is called after each batch is committed
    (``rows_expected`` is estimated from the file before reading it).
    """
    path = Path(path)
    if not path.is_file():
        raise GongkaiError(f"找不到文件 {path}。")
    report = ImportReport()
    count = count_rows(path)
    if count > limits.IMPORT_ROWS:
        raise GongkaiError(
            f"文件 {path.name} 约有 {count:,} 行，超过一次导入的上限 {limits.IMPORT_ROWS:,} 行，请拆分成几个文件分批导入。"
        )
    rows = read_rows(path)
    headers = next(rows, [])
    unknown = [c for c in mapping if c not in headers]
    if unknown:
        raise GongkaiError(f"文件中没有表头“{'、'.join(unknown)}”，请核对 --map（文件表头：{'、'.join(headers)}）。")
    batch = _Batch(office, actor)
    read = 0
    done = False
    while not done:
        for _ in range(BATCH):
            item = next(rows, None)
            if item is None:
                done = True
                break
            read += 1
            n, raw = item
            try:
                batch.add({field: raw.get(column) for column, field in mapping.items()})
            except GongkaiError as exc:
                report.errors.append((n, str(exc)))
        with office.session() as session:
            report.imported += batch.write(session)
        if progress is not None:
            progress(read, max(read, count - 1))
    return report
