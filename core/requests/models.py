"""The tables of the request workflow: the facts, kept apart from the clocks.

The clocks themselves (reply, correction notice, consultations, filing...) are rows of
:class:`gongkai.core.time.deadline_store.StoredDeadline`; these tables hold what happened.
``Request.version`` is bumped on every change (optimistic locking for shared servers).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel
from gongkai.core.records.units import UnitOwned

OWNER = "request"  # owner_kind of the request's StoredDeadline rows and Events


class Request(UnitOwned, table=True):
    __tablename__ = "disclosure_request"
    __table_args__ = (
        # each led by unit_id: every query of a unit's ledger names it (core.records.scoping)
        Index("ix_request_state", "unit_id", "state"),
        Index("ix_request_received", "unit_id", "received"),
        Index("ix_request_applicant_month", "unit_id", "applicant_name", "applicant_id_number", "received"),
        Index("ix_request_ref", "unit_id", "ref", unique=True),  # NULL (no reference) may repeat
        Index("ix_request_assignee", "unit_id", "assignee", "state"),  # 我的待办, ledger --assignee
    )

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=0)
    # the unit's own reference, e.g. 长房申〔2025〕17号: unique in the unit, how its letters,
    # ledgers and files name the request (``id`` is gongkai's)
    ref: str | None = Field(default=None, max_length=100)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, Any]:
        # Optimistic lock: an UPDATE names the version it read; a concurrent change makes
        # it match no row and the transaction fails (storage.CONFLICT_MESSAGE), never overwrites.
        return {"version_id_col": cls.__table__.c.version}
    # the applicant
    applicant_name: str = Field(max_length=200)
    applicant_type: str = Field(max_length=40)  # a code of core.law.outcomes.APPLICANT_TYPES
    applicant_id_number: str = Field(default="", max_length=100)
    applicant_contact: str = Field(default="", max_length=300)
    # how and when it came in (条例 第三十一条)
    channel: str = Field(max_length=40)
    submitted: dt.date
    confirmed: dt.date | None = None
    received: dt.date
    subject: str
    form_wanted: str = Field(default="", max_length=100)  # 纸质、电子、光盘...
    # 政府信息公开 ("government"), or a track the jurisdiction declares (core.requests.tracks)
    track: str = Field(default="government", max_length=40, sa_column_kwargs={"server_default": "government"})
    # the clock: the reply period runs from period_start (receipt, or the corrected request)
    state: str = Field(default="received", max_length=30)
    period_start: dt.date
    later_due: dt.date | None = None  # 条例 第三十五条: a reasonable later deadline, told to the applicant
    reasons_asked_on: dt.date | None = None  # 条例 第三十五条: applicant asked to explain the volume
    # the reply
    proposed_outcome: str | None = Field(default=None, max_length=60)
    outcome: str | None = Field(default=None, max_length=60)
    replied_on: dt.date | None = None
    replied_by: str = Field(default="", max_length=200)
    reasons: str = ""
    legal_basis: str = ""
    provision: str = ""  # how and when the information is provided
    withheld_parts: str = ""  # JSON list of {"part", "reason"} (partial)
    other_agency: str = Field(default="", max_length=200)
    other_agency_contact: str = Field(default="", max_length=300)
    # fees (条例 第四十二条): one method per request
    fee_method: str | None = Field(default=None, max_length=20)
    fee_pages: int | None = None
    fee_amount: int | None = None
    closed_on: dt.date | None = None
    imported: bool = False
    # the life after the first reply: a corrected reply's date (更正答复; replied_on keeps the
    # day the request was first answered), the period a 纠正 decision set for the new answer
    # (重新答复, working days from period_start; None: the reply rule), a withdrawal's channel
    amended_on: dt.date | None = None
    reanswer_days: int | None = None
    withdrawal_how: str = Field(default="", max_length=10)
    # the N of the reply letter's 文号 (机关代字〔年〕N号): the unit's own sequence for the year of
    # the letter's date (core.units.numbering); None before the reply
    letter_serial: int | None = None
    # 承办人 (分办): the login name of the account the request is assigned to; None until assigned
    # (core.requests.assignment)
    assignee: str | None = Field(default=None, max_length=100)


class PriorReply(UnitOwned, table=True):
    """A reply no longer in force, kept as it was issued: corrected (更正答复) or overturned and
    answered again (重新答复). The request row holds the reply in force; these hold the earlier
    letters, never overwritten."""

    __tablename__ = "request_prior_reply"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True)
    outcome: str = Field(max_length=60)
    replied_on: dt.date
    amended_on: dt.date | None = None  # the earlier letter was itself a correction, dated so
    replied_by: str = Field(default="", max_length=200)
    reasons: str = ""
    legal_basis: str = ""
    provision: str = ""
    withheld_parts: str = ""
    other_agency: str = Field(default="", max_length=200)
    other_agency_contact: str = Field(default="", max_length=300)
    superseded_on: dt.date  # the correction's date, or the 纠正 decision's service date
    superseded_by: str = Field(max_length=20)  # amend, reanswer
    reason: str = ""  # why it was corrected; for a re-answer, the decision
    appeal_id: int | None = Field(default=None, foreign_key="request_appeal.id")
    letter_serial: int | None = None  # the N of that letter's 文号


class Correction(UnitOwned, table=True):
    """A correction notice (补正告知, 条例 第三十条): at most one per request."""

    __tablename__ = "request_correction"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True, unique=True)
    notice_on: dt.date
    period_days: int
    due: dt.date
    corrected_on: dt.date | None = None
    good_reason: str = ""


class Pause(UnitOwned, table=True):
    """The clock stood still from ``start`` to ``end`` (consultation, force majeure)."""

    __tablename__ = "request_pause"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True)
    reason: str = Field(max_length=30)  # third_party, other_agency, force_majeure
    start: dt.date
    end: dt.date | None = None
    answered: bool | None = None  # False: the consulted party kept silent
    silence_means: str = Field(default="", max_length=30)  # records.Silence value applied
    note: str = ""


class Extension(UnitOwned, table=True):
    __tablename__ = "request_extension"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True)
    amount: int
    unit: str = Field(max_length=20)
    approved_by: str = Field(max_length=200)
    approved_on: dt.date
    applicant_told_on: dt.date


class ReviewAction(UnitOwned, table=True):
    """One reviewer's decision on one step of the review chain."""

    __tablename__ = "request_review"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True)
    step_id: str = Field(max_length=60)
    actor: str = Field(max_length=200)
    decision: str = Field(max_length=20)  # approve, reject
    comment: str = ""
    on: dt.date
    superseded: bool = False  # a later rejection sent the draft back
    # what the approval signed: the proposed reply as canonical JSON (requests.proposal);
    # None for a rejection, a step after the reply, and approvals from before this column
    proposal: str | None = None


class Appeal(UnitOwned, table=True):
    """A reconsideration or lawsuit against a reply, or over the lack of one (年报 第四部分)."""

    __tablename__ = "request_appeal"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True)
    kind: str = Field(max_length=40)  # reconsideration, lawsuit, lawsuit_after_reconsideration
    filed_on: dt.date
    result: str = Field(default="尚未审结", max_length=10)  # appeals.RESULTS (维持, 驳回, 纠正, 撤销, … 尚未审结)
    decided_on: dt.date | None = None
    registered_on: dt.date | None = None  # an overturned reply registered (长宁区 第四十九条)
    over_silence: bool = False  # 不作为: filed while the request had no reply
    # 复议后起诉 where the reconsideration predates the records: the date it was decided
    reconsidered_on: dt.date | None = None
    # the unit as respondent: the copy of the application or complaint received (starts the
    # answer clock), the answer and evidence submitted, the court hearing, and whether the
    # unit's head appeared in court (行政诉讼法 第三条第三款; None: not recorded)
    copy_received: dt.date | None = None
    answered_on: dt.date | None = None
    hearing_on: dt.date | None = None
    head_appeared: bool | None = None


class LedgerImport(UnitOwned, table=True):
    """One run of ``request import``: the file (its SHA-256, so the same file is not imported
    twice by mistake) and exactly how far the run got. Updated in the transaction of each
    batch of rows, so it says what is stored even after Ctrl-C or a crash."""

    __tablename__ = "ledger_import"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, index=True)
    file_name: str = Field(max_length=300)
    started_at: dt.datetime
    actor: str = Field(default="", max_length=200)
    first_line: int = 2  # the file line the run began at (--from-line; line 1 is the header)
    last_line: int = 1  # the last file line the committed batches cover
    stored: int = 0  # requests stored
    rejected: int = 0  # rows refused: bad or repeated
    finished: bool = False


class OnlineApplication(UnitOwned, table=True):
    """An application filed on the public form (/apply), awaiting the office's confirmation
    (条例 第三十一条（三）). It becomes a :class:`Request` only when confirmed, so until then it
    counts nowhere: no clock, no ledger row, no annual report. The 查询码 is kept as its SHA-256
    (the code has 100 random bits: no list of codes can be rebuilt from the hashes) and its
    first group, which the office may read out to an applicant who calls, and which leaves 80
    bits unknown."""

    __tablename__ = "online_application"
    __table_args__ = (
        Index("ix_online_application_code", "unit_id", "code_hash", unique=True),
        Index("ix_online_application_state", "unit_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    state: str = Field(default="pending", max_length=20)  # pending, confirmed, declined
    submitted: dt.date
    code_hash: str = Field(max_length=64)
    code_hint: str = Field(max_length=10)
    applicant_name: str = Field(max_length=200)
    applicant_type: str = Field(max_length=40)
    id_type: str = Field(default="", max_length=40)
    applicant_id_number: str = Field(default="", max_length=100)
    applicant_contact: str = Field(default="", max_length=300)  # the phone
    email: str = Field(default="", max_length=300)
    address: str = Field(default="", max_length=300)
    agent: str = Field(default="", max_length=200)  # 代理人, filing for the applicant (委托书 attached)
    subject: str
    form_wanted: str = Field(default="", max_length=100)
    receive_how: str = Field(default="", max_length=100)
    # the jurisdiction's own fields (hook gongkai_application_fields): JSON {name: value}
    extra_fields: str = Field(default="{}")
    request_id: int | None = Field(default=None, foreign_key="disclosure_request.id")
    decided_on: dt.date | None = None
    decided_by: str = Field(default="", max_length=200)
    decline_reason: str = ""


class Delivery(UnitOwned, table=True):
    """送达: a letter or notice reached the applicant, on a day and a way (the remedies' periods run from it)."""

    __tablename__ = "request_delivery"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="disclosure_request.id", index=True)
    letter: str = Field(default="reply", max_length=40)  # reply, or a notice kind (core.requests.notices.KINDS)
    how: str = Field(max_length=20)
    on: dt.date
    tracking: str = Field(default="", max_length=100)  # a postal tracking number
    proof_sha256: str = Field(default="", max_length=64)  # the 送达证明 attached, by content
    by: str = Field(default="", max_length=200)


class PostCount(SQLModel, table=True):
    """How many times one address posted the public form (/apply) or a 查询码 (/track) in one
    hour, counted in the database so every worker and server shares the count (not a record:
    it is pruned, and never evidence of a step). The address is kept as its hash only."""

    __tablename__ = "public_post_count"
    __table_args__ = (Index("ix_public_post_count_key", "client_hash", "kind", "window_start", unique=True),
                      Index("ix_public_post_count_start", "window_start"))

    id: int | None = Field(default=None, primary_key=True)
    client_hash: str = Field(max_length=64)
    kind: str = Field(max_length=20)  # apply, track
    window_start: int  # the hour counted: seconds since the epoch // 3600
    posts: int = 0
