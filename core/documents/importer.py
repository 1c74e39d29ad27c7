"""Importing a unit's register of documents (.xlsx or .csv) with a column mapping.

A unit moving in brings its documents: title, 文号, kind, attribute, dates, publication and
repeal. Each row is checked with the functions ``document new`` uses
(:func:`workflow.document_values`: the kind the unit can make, the attribute and what it
demands, the 第二十条 category, no date in the future), and its publication and repeal with
those of ``document publish`` and ``document repeal`` (the dates' order, the channel, the
attribute is one that is published). A bad row, or one that repeats a stored document or an
earlier row (the same 文号; without one, the same title and publication date), is reported
with its line and not stored; the good rows are stored BATCH at a time, each batch one
transaction, whole or absent (:func:`gongkai.core.units.background.in_batches`: Ctrl-C or
SIGTERM stops between two, and says what is stored).

Each document's history is one ``import`` event on the hash chain saying what the register
gave (kind, attribute, publication, repeal), not a registration, reviews and a publication that
gongkai never saw happen; the event carries the record's digest, so ``audit verify`` finds
any later edit. Its clocks are those ``document new`` schedules; the confidentiality review
points of a document already published were passed outside gongkai (cancelled, as of its
publication), and a repealed document's open clocks end with its repeal, as ``document
repeal`` ends them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlmodel import select

from gongkai.core.documents import clocks
from gongkai.core.documents.attributes import is_published, resolve_attribute
from gongkai.core.documents.models import OWNER, Document
from gongkai.core.documents.review import derive_state
from gongkai.core.documents.workflow import (
    check_channel,
    check_publication_day,
    check_repeal_day,
    document_values,
    publisher,
)
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.records import importing, limits
from gongkai.core.records.limits import check_text
from gongkai.core.records.importing import ImportReport, cell_date, cell_text
from gongkai.core.records.chain import append_columns
from gongkai.core.records.storage import event_json, insert_columns, utc
from gongkai.core.time.deadline_store import StoredDeadline, term_columns, term_ids
from gongkai.core.time.deadlines import compute
from gongkai.core.units.background import in_batches

FIELDS: importing.Fields = {  # field -> (Chinese name, required); the names are the headers read without --map
    "title": ("信息名称", True),
    "number": ("文号", False),
    "kind": ("公文种类", True),
    "attribute": ("公开属性", True),
    "reason": ("依申请公开或不予公开的理由", False),
    "category": ("目录类别", False),
    "producer": ("信息产生机构", False),
    "handler": ("经办人", False),
    "summary": ("内容摘要", False),
    "interpretation": ("解读材料", False),
    "major_policy": ("重要政策文件", False),
    "government_issued": ("以政府名义印发", False),
    "decision_kind": ("决定类别", False),
    "decided": ("决定日期", False),
    "formed": ("形成日期", False),
    "changed": ("变更日期", False),
    "finalised": ("成文日期", False),
    "published": ("发布日期", False),
    "channel": ("发布渠道", False),
    "published_by": ("信息发布员", False),
    "repealed": ("废止日期", False),
    # 脱密后公开 (五原县 保密审查制度 第七条（二）)
    "internal_version": ("内部行文文稿", False),
    "public_version": ("脱密后公开文稿", False),
    "method": ("脱密处理方式", False),
    "secrecy_confirmed_by": ("保密审核确认人", False),
}
# the fields' names by the Document columns they fill, for the messages
COLUMN_NAMES = {**{field: name for field, (name, _) in FIELDS.items()}, "declassify_method": FIELDS["method"][0]}
BATCH = 500  # rows per transaction
YES = {"是", "√", "✓", "y", "yes", "true", "1"}
NO = {"", "否", "×", "n", "no", "false", "0"}
EXAMPLE = "标题=title,种类=kind,属性=attribute,发布日期=published"


def _flag(value: Any, name: str) -> bool:
    text = cell_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise GongkaiError(f"{name}“{cell_text(value)}”无效：请填“是”或“否”（或留空）")


def parse_row(registry: Any, values: dict[str, Any]) -> dict[str, Any]:
    """One row as the columns of its Document, checked as ``document new``, ``document publish``
    and ``document repeal`` check them; a GongkaiError names the bad cell."""
    text = {field: cell_text(values.get(field)) for field in FIELDS}
    day = {field: cell_date(values.get(field), FIELDS[field][0])
           for field in ("decided", "formed", "changed", "finalised", "published", "repealed")}
    if not text["title"]:
        raise GongkaiError("信息名称为空：每行须写明文件标题")
    if not text["kind"]:
        raise GongkaiError("公文种类为空：请填 规章、行政规范性文件 或 其他")
    published = day["published"]
    formed = day["formed"]
    if not (formed or day["changed"] or day["finalised"]):
        formed = published  # a document published on a day existed on it (document new: the day it is registered)
    columns = document_values(
        registry, title=text["title"], kind=text["kind"], attribute=text["attribute"] or None, number=text["number"],
        producer=text["producer"], handler=text["handler"], summary=text["summary"], reason=text["reason"],
        interpretation=text["interpretation"], major_policy=_flag(values.get("major_policy"), "重要政策文件"),
        government_issued=_flag(values.get("government_issued"), "以政府名义印发"), formed=formed,
        changed=day["changed"], finalised=day["finalised"], decision_kind=text["decision_kind"],
        decided_on=day["decided"], category=text["category"], internal_version=text["internal_version"],
        public_version=text["public_version"], declassify_method=text["method"],
        secrecy_confirmed_by=text["secrecy_confirmed_by"])
    if published is not None:
        attribute = resolve_attribute(registry, columns["attribute"])
        if not is_published(attribute):
            raise StepRefused(f"公开属性为“{attribute.name}”的文件不主动公开，不能有发布日期")
        check_publication_day(published, columns["finalised"], columns["changed"])
        columns.update(published_on=published, channel=check_channel(registry, text["channel"]),
                       published_by=publisher(text["published_by"]) if text["published_by"] else "")
    elif text["channel"] or text["published_by"]:
        raise GongkaiError("有发布渠道或信息发布员的，须填写发布日期")
    if day["repealed"] is not None:
        check_repeal_day(day["repealed"], columns["finalised"], published)
        columns["repealed"] = day["repealed"]
    for column, value in columns.items():  # refused with its row, not with the batch the database would refuse
        if isinstance(value, str):
            check_text(value, getattr(Document.__table__.c[column].type, "length", None) or limits.TEXT_CHARS,
                       COLUMN_NAMES.get(column, column))
    return columns


def _key(columns: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two rows the same document: its 文号, or without one its title and publication."""
    if columns["number"]:
        return ("number", columns["number"])
    return ("title", columns["title"], columns.get("published_on"))


def _repeat(key: tuple[Any, ...], where: int) -> str:
    what = f"文号为“{key[1]}”的文件" if key[0] == "number" else f"标题为“{key[1]}”{'、发布日期相同' if key[2] else ''}的文件"
    if where:
        return f"与第 {where} 行重复（{what}），未重复导入"
    return f"已登记{what}，未重复导入"


class _Store:
    """Stores checked rows, a batch per transaction, as one import event per document."""

    def __init__(self, office: Any, actor: str) -> None:
        self.office, self.actor = office, actor
        with office.session() as session:
            self.seen: dict[tuple[Any, ...], int] = {  # key -> the line it was on (0: stored before)
                _key({"number": n, "title": t, "published_on": p}): 0
                for n, t, p in session.exec(select(Document.number, Document.title, Document.published_on))}

    def __call__(self, batch: list[tuple[int, dict[str, Any]]]) -> tuple[list[int], list[tuple[int, str]]]:
        errors: list[tuple[int, str]] = []
        good: list[tuple[tuple[Any, ...], Document]] = []
        for line, columns in batch:
            key = _key(columns)
            if key in self.seen:
                errors.append((line, _repeat(key, self.seen[key])))
                continue
            self.seen[key] = line
            doc = Document(**columns)
            doc.state = derive_state(self.office.registry, None, doc, reviews=[])  # no reviews: passed outside gongkai
            good.append((key, doc))
        try:
            with self.office.session() as session:
                self._write(session, [doc for _, doc in good])
        except BaseException:
            for key, _ in good:  # not stored: a later run may import them
                self.seen.pop(key, None)
            raise
        return [doc.id for _, doc in good], errors

    def _write(self, session: Any, docs: list[Document]) -> None:
        """The documents, their clocks (one executemany) and their import events (chained, with
        their digests), in the caller's transaction."""
        if not docs:
            return
        session.add_all(docs)
        session.flush()
        registry = self.office.registry
        rows: dict[str, list[Any]] = {"owner_id": [], "name": [], "rule_id": [], "status": [], "met_on": []}
        terms = []
        for doc in docs:
            for name, rule, start in clocks.wanted(registry, doc, lambda _name: False):  # as document new schedules them
                ended = doc.repealed  # as document repeal ends them
                if doc.published_on is not None and name.startswith("review."):
                    ended = doc.published_on  # reviewed before its publication, outside gongkai
                terms.append(term_columns(self._compute(rule, start)))
                for column, value in zip(rows, (doc.id, name, rule.id, "open" if ended is None else "cancelled", ended)):
                    rows[column].append(value)
        insert_columns(session, StoredDeadline.__table__, {
            "owner_kind": OWNER, **rows, "term_id": term_ids(session, terms) if terms else []}, len(terms))
        append_columns(session, {
            "at": utc(dt.datetime.now(dt.timezone.utc)), "actor": self.actor, "subject_kind": OWNER,
            "subject_id": [doc.id for doc in docs], "action": "import",
            "after": [event_json({"state": doc.state, "attribute": doc.attribute_name, "version": doc.version,
                                  "title": doc.title, "number": doc.number, "kind": doc.kind, "category": doc.category,
                                  "published_on": doc.published_on, "channel": doc.channel,
                                  "published_by": doc.published_by, "repealed": doc.repealed}) for doc in docs],
        }, len(docs))

    @functools.lru_cache(maxsize=4096)  # noqa: B019  # one store per import; a register repeats its days
    def _compute(self, rule: Any, start: dt.date) -> Any:
        return compute(rule, start, self.office.calendar)


def import_documents(office: Any, path: Path, mapping: dict[str, str] | None, actor: str = "",
                     progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Import the documents in ``path``; ``mapping`` (header -> field) may be None for a file with
    the fields' Chinese names as headers. Bad and repeated rows are reported with their lines
    and skipped; ``progress(rows_read, rows_expected)`` after each batch."""
    path, count, mapping = importing.opened(path, mapping, FIELDS, example=EXAMPLE)
    rows = importing.read_rows(path)
    next(rows, None)  # the headers
    registry = office.registry
    return in_batches(rows, mapping, lambda values: parse_row(registry, values), _Store(office, actor), BATCH,
                      what="文件", progress=progress, count=count)
