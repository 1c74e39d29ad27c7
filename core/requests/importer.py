"""Importing an existing ledger (.xlsx or .csv) with a column mapping.

Rows stream in (openpyxl read-only, csv reader); each batch is one transaction. A bad
row is reported with its row number and skipped; every good row is kept.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from gongkai.core.deadline_store import close_deadline
from gongkai.core.errors import GongkaiError
from gongkai.core.requests import intake
from gongkai.core.requests.models import OWNER
from gongkai.core.requests.workflow import apply

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
BATCH = 500


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
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            headers = [h.strip() for h in next(reader, [])]
            yield headers
            for n, values in enumerate(reader, start=2):
                if any(v.strip() for v in values):
                    yield n, dict(zip(headers, values))
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


def _import_row(session: Any, office: Any, values: dict[str, Any], actor: str) -> int:
    """Validate the whole row first, so a bad row writes nothing."""
    text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
    submitted = _date(values.get("submitted"), "提交日期")
    if submitted is None:
        raise GongkaiError("提交日期为空")
    confirmed = _date(values.get("confirmed"), "确认日期")
    received = intake.receipt_date(office.registry, text.get("channel", ""), submitted, confirmed)
    outcome = replied = None
    if text.get("outcome"):
        outcome = office.registry.outcome(text["outcome"])
        replied = _date(values.get("replied_on"), "答复日期")
        if replied is None:
            raise GongkaiError("有答复结果时须填写答复日期")
        if replied < received:
            raise GongkaiError(f"答复日期 {replied} 早于收到日期 {received}")
    request = intake.receive(
        session, office, applicant=text.get("applicant", ""), applicant_type=text.get("applicant_type", ""),
        channel=text.get("channel", ""), submitted=submitted, confirmed=confirmed,
        subject=text.get("subject", ""), id_number=text.get("id_number", ""), contact=text.get("contact", ""),
        actor=actor,
    )
    request.imported = True
    if outcome is not None:
        request.outcome, request.replied_on, request.reasons = outcome.code, replied, outcome.name
        close_deadline(session, OWNER, request.id, "reply", replied)
        apply(session, request, "reply", actor, {"outcome": outcome.code, "on": replied.isoformat(), "imported": True})
    return request.id


def import_ledger(office: Any, path: Path, mapping: dict[str, str], actor: str = "") -> ImportReport:
    """Import ``path``; each batch of rows is one transaction, bad rows are reported and skipped."""
    path = Path(path)
    if not path.is_file():
        raise GongkaiError(f"找不到文件 {path}。")
    report = ImportReport()
    rows = read_rows(path)
    headers = next(rows, [])
    unknown = [c for c in mapping if c not in headers]
    if unknown:
        raise GongkaiError(f"文件中没有表头“{'、'.join(unknown)}”，请核对 --map（文件表头：{'、'.join(headers)}）。")
    done = False
    while not done:
        with office.session() as session:
            for _ in range(BATCH):
                item = next(rows, None)
                if item is None:
                    done = True
                    break
                n, raw = item
                values = {field: raw.get(column) for column, field in mapping.items()}
                try:
                    report.imported.append(_import_row(session, office, values, actor))
                except GongkaiError as exc:
                    report.errors.append((n, str(exc)))
    return report
