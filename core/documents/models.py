"""The tables of the document workflow: the facts, kept apart from the clocks.

The clocks (publication, archive delivery, 双公示, confidentiality opinions...) are rows
of :class:`gongkai.core.time.deadline_store.StoredDeadline` with ``owner_kind="document"``.
``Document.version`` is bumped on every change (optimistic locking for shared servers).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel
from gongkai.core.records.units import UnitOwned

OWNER = "document"  # owner_kind of the document's StoredDeadline rows and Events

# Document kinds the annual report counts separately (条例 第五十条; 年度报告格式 第二项).
KINDS = ("规章", "行政规范性文件", "其他")
KIND_ALIASES = {"rule": "规章", "normative": "行政规范性文件", "other": "其他", "其他文件": "其他", "其他公文": "其他"}

# Decisions the annual report counts (年度报告格式 第二项): counts, fees in 万元.
DECISION_KINDS = ("行政许可", "行政处罚", "行政强制", "行政事业性收费")
DECISION_ALIASES = {"licensing": "行政许可", "penalty": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费"}

# How a 脱密后公开 public version was made (五原县 保密审查制度 第七条（二）).
DECLASSIFY_METHODS = ("删除", "摘录", "其他")


class Document(UnitOwned, table=True):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_state", "unit_id", "state"), Index("ix_document_kind_attribute", "kind", "attribute"),
                      Index("ix_document_catalogue", "unit_id", "published_on"))  # the public catalogue (core.documents.catalogue)

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic lock: an UPDATE names the version it read; a concurrent change makes
        # it match no row and the transaction fails (storage.CONFLICT_MESSAGE), never overwrites.
        return {"version_id_col": cls.__table__.c.version}
    title: str = Field(max_length=500)
    number: str = Field(default="", max_length=200, index=True)  # 文号
    producer: str = Field(default="", max_length=200)  # 信息产生机构
    handler: str = Field(default="", max_length=200)  # 经办人
    summary: str = ""  # 内容摘要
    kind: str = Field(max_length=40)  # one of KINDS
    major_policy: bool = False  # 重要政策文件 (interpretation rules may cover it)
    government_issued: bool = False  # issued in the name of the government (长宁区 第二十六条: 以区政府名义印发)
    decision_kind: str = Field(default="", max_length=40)  # 行政许可 / 行政处罚 (双公示)
    decided_on: dt.date | None = None
    # the item of 条例 第二十条 it is listed under when stated; None: derived from kind and decision_kind
    category: int | None = None
    formed: dt.date | None = None
    changed: dt.date | None = None
    finalised: dt.date | None = None
    repealed: dt.date | None = None
    # the disclosure attribute, as the jurisdiction's DocumentAttributes define it
    attribute: str = Field(max_length=40)  # Attribute.code
    attribute_name: str = Field(max_length=40)  # Attribute.name, e.g. 主动公开
    reason: str = ""  # legal reason for a non-disclosure attribute
    interpretation: str = ""  # interpretation plan/material (or where it is filed)
    # 脱密后公开: internal (classified) and declassified public versions
    internal_version: str = ""
    public_version: str = ""
    declassify_method: str = Field(default="", max_length=20)
    secrecy_confirmed_by: str = Field(default="", max_length=200)
    state: str = Field(default="in_review", max_length=30)
    # publication
    channel: str = Field(default="", max_length=100)
    published_on: dt.date | None = None
    published_by: str = Field(default="", max_length=200)
    last_reevaluated: dt.date | None = None
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


class DocumentReview(UnitOwned, table=True):
    """One decision on one review step (a rejected step is done again: several rows)."""

    __tablename__ = "document_review"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    step_id: str = Field(max_length=60)
    step_name: str = Field(max_length=100)
    decision: str = Field(max_length=20)  # approve, reject
    by: str = Field(max_length=200)
    head: str = Field(default="", max_length=200)  # second signature, e.g. 分管负责人
    opinion: str = Field(default="", max_length=20)  # 公开 / 免予公开 / 需报审
    basis: str = ""
    checks: str = ""  # JSON list of checklist items confirmed
    comment: str = ""
    on: dt.date


class Reevaluation(UnitOwned, table=True):
    """A periodic re-evaluation of a withheld or on-request document (长宁区 第四十七条)."""

    __tablename__ = "document_reevaluation"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    on: dt.date
    by: str = Field(max_length=200)
    before_attribute: str = Field(max_length=40)
    after_attribute: str = Field(max_length=40)
    note: str = ""


class DecisionCount(UnitOwned, table=True):
    """Yearly decision counts for the annual report, entered or imported.

    ``count`` for 行政许可/行政处罚/行政强制; ``amount`` (万元) for 行政事业性收费.
    """

    __tablename__ = "decision_count"
    __table_args__ = (UniqueConstraint("unit_id", "year", "kind", name="uq_decision_count_year_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    kind: str = Field(max_length=40)  # one of DECISION_KINDS
    count: int | None = None
    amount: float | None = None  # 万元
