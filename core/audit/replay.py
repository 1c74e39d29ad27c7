"""The stored records checked against the event log: what the events say each record is.

The hash chain (:mod:`gongkai.core.records.chain`) proves the log was not edited; this module
proves the records were not edited either. Every event of a request, document, matter or
yearly decision count is replayed in chain order to rebuild what the record must hold
(state, outcome, dates, signers, clocks, appeals, reviews), and the stored rows are
compared with it. A record changed behind the application's back differs from its
replay; a deleted one has events and no row; an added one has a row and no events.

How each event kind changes a record is one entry of a table (``Subject.actions``): a new
event kind is one new entry. An event kind the table does not know still moves the state it
carries (``after``), so nothing goes unchecked silently.

Every field is covered beyond what the table states: the last event of each change carries a
digest of the record's whole content (:mod:`gongkai.core.records.digest`), compared with the digest
of its stored rows; a record whose last event predates the digests is checked field by field
only. The clocks' dates are recomputed from their terms (:func:`check_terms`) and the 文号
sequences checked against the letters issued (:func:`check_letters`).

Large databases are streamed: events, records and their child rows are read in order of
the record id, side by side, and each record is checked and forgotten before the next.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

import attrs
from sqlmodel import Session

from gongkai.core.records.storage import Event

UNKNOWN = object()  # a field no event has told about yet: not compared
LIMIT = 100  # problems listed in full; the rest are counted


def _iso(value: Any) -> Any:
    """A stored value as the log writes it (dates ISO, Beijing time for moments)."""
    if isinstance(value, dt.datetime):  # stored in UTC (SQLite: naive), logged in Beijing time
        from gongkai.core.time.deadlines import BEIJING

        aware = value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value
        return aware.astimezone(BEIJING).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ----------------------------------------------------------------------------------- what events do
# Each action: (expected record, the event's ``after``, the event's actor) -> None. The
# expected record is a dict of column -> value, plus one dict per child table.

Action = Callable[[dict[str, Any], dict[str, Any], str], None]


def _sets(**columns: str) -> Action:
    """An action that copies ``after[key]`` into each ``column`` (``column="key"``)."""

    def action(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
        for column, key in columns.items():
            if key in after:
                record[column] = after[key]

    return action


def _request_created(defaults_from: str) -> Action:
    def action(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
        record.update(outcome=None, replied_on=None, replied_by="", closed_on=None, later_due=None,
                      reasons_asked_on=None, fee_method=None, fee_pages=None, fee_amount=None, amended_on=None,
                      withdrawal_how="", reanswer_days=None,
                      received=after.get("received"), period_start=after.get("received"), channel=after.get("channel"),
                      assignee=after.get("assignee"))
        record["reply_clock"] = {"reply": (None,)}
        if defaults_from == "import":  # the fee a ledger row gave (request import's "fee")
            record["fee_amount"] = after.get("fee")
        if defaults_from == "import" and after.get("outcome"):
            record.update(outcome=after["outcome"], replied_on=after.get("on"))
            record["reply_clock"] = {"reply": (after.get("on"),)}

    return action


def _replied(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    record.update(outcome=after.get("outcome"), replied_on=after.get("on"), replied_by=actor)
    record["reply_clock"] = {"reply": (after.get("on"),)}


def _amended(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    """更正答复: the corrected reply in force (replied_on keeps the first reply's day)."""
    record.update(outcome=after.get("outcome"), amended_on=after.get("amended_on"), replied_by=actor)
    if "closed_on" in after:  # a closed request whose new letter is to be filed again is open again
        record["closed_on"] = after["closed_on"]


def _reanswered(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    """重新答复: the reply in force set aside, the clock running again from the decision."""
    record.update(outcome=None, replied_on=None, amended_on=None, replied_by="", closed_on=None,
                  period_start=after.get("period_start"), reanswer_days=after.get("reanswer_days"))
    record["reply_clock"] = {"reply": (None,)}


def _withdrawn(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    record.update(outcome=after.get("outcome"), replied_on=after.get("replied_on"), replied_by=actor,
                  withdrawal_how=after.get("withdrawal_how"))
    record["reply_clock"] = {"reply": (after.get("replied_on"),)}


EDITABLE = ("applicant_name", "applicant_type", "channel", "subject", "received", "period_start")


def _abandoned(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    record.update(outcome=after.get("outcome"), replied_on=after.get("on"))
    record["reply_clock"] = {"reply": (after.get("on"),)}


def _reviewed(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    reviews = record.setdefault("reviews", {})
    reviews[len(reviews)] = (after.get("step"), actor, after.get("decision"), after.get("on"),
                             proposal_text(after.get("proposal")))


def proposal_text(proposal: Any) -> str | None:
    """``request_review.proposal`` as the approval stored it (requests.proposal.dumps)."""
    from gongkai.core.requests.proposal import dumps

    return dumps(proposal)


def _extended(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    extensions = record.setdefault("extensions", {})
    extensions[len(extensions)] = (after.get("amount"), after.get("unit"), after.get("approved_by"), after.get("on"))


RESPONDENT = ("copy_received", "answered_on", "hearing_on", "head_appeared")  # request_appeal, after its first 7


def _appealed(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    appeals = record.setdefault("appeals", {})
    number = after.get("appeal")
    if "kind" in after:  # registered: kind, filed_on, not yet decided
        appeals[number] = [after["kind"], after.get("filed_on"), "尚未审结", None, None,
                           bool(after.get("over_silence")), after.get("reconsidered_on"), None, None, None, None]
    elif number in appeals:  # decided
        appeals[number][2:4] = [after.get("result"), after.get("decided_on")]


def _respondent(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    """The copy received, the answer submitted, the hearing: the appeal's respondent columns."""
    appeal = record.setdefault("appeals", {}).get(after.get("appeal"))
    if appeal is not None:
        for i, column in enumerate(RESPONDENT, start=7):
            if column in after:
                appeal[i] = after[column]


def _overturned_registered(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    for appeal in record.get("appeals", {}).values():
        if appeal[2] == "纠正" and appeal[4] is None:
            appeal[4] = after.get("on")


def _document_registered(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    record.update(title=after.get("title"), number=after.get("number"), kind=after.get("kind"), published_on=None,
                  channel="", published_by="", repealed=None, last_reevaluated=None)
    record["reviews"] = {}


def _document_imported(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    """A document moved in from a unit's register: what the register gave, no reviews."""
    record.update({column: after.get(column) for column in ("title", "number", "kind", "published_on", "repealed")})
    record.update(channel=after.get("channel") or "", published_by=after.get("published_by") or "",
                  last_reevaluated=None)
    record["reviews"] = {}


def _document_reviewed(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    reviews = record.setdefault("reviews", {})
    reviews[len(reviews)] = (after.get("step"), after.get("decision"), actor, after.get("on"))


def _published(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    from gongkai.core.documents.review import PUBLISH_STEP

    record.update(published_on=after.get("on"), channel=after.get("channel"), published_by=actor)
    _document_reviewed(record, {"step": PUBLISH_STEP, "decision": "approve", "on": after.get("on")}, actor)


def _matter(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    record.update(kind=after.get("kind"), opened_at=after.get("opened_at"), closed_at=after.get("closed_at"))
    record["clocks"] = {c["name"]: (c.get("status"), c.get("met_on")) for c in after.get("clocks", [])}


def _decision_count(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    record.update(year=after.get("year"), kind=after.get("kind"), count=after.get("count"), amount=after.get("amount"))


def _account(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    """An account's facts as its events state them (the roles as the row stores them: JSON)."""
    for column in ("name", "display_name", "disabled", "email"):
        if column in after:
            record[column] = after[column]
    if "roles" in after:
        record["roles"] = json.dumps(after["roles"])
    if "password" in after:  # a digest of the stored hash: the log never holds the hash itself
        record["password_hash"] = after["password"]
    if "totp" in after:  # likewise the second factor's secret
        record["totp_secret"] = after["totp"]


def _nothing(record: dict[str, Any], after: dict[str, Any], actor: str) -> None:
    """Events that change no stored field (revealing masked data)."""


# ----------------------------------------------------------------------------------- what is stored


@attrs.frozen
class Child:
    """Rows of another table that belong to a record, compared as a set of tuples."""

    name: str  # key in the expected record
    label: str  # Chinese, for messages
    table: str
    parent: str  # the column naming the record's id
    columns: tuple[str, ...]
    where: dict[str, str] = attrs.field(factory=dict)  # column -> the value selecting the rows
    key: str | None = None  # a column keying the rows (else: compared as a multiset)


@attrs.frozen
class Subject:
    kind: str  # Event.subject_kind
    label: str  # Chinese name of one record, e.g. 申请
    table: str
    fields: dict[str, str]  # column -> Chinese label, compared when an event has told its value
    actions: dict[str, Action]
    children: tuple[Child, ...] = ()
    carried: dict[str, str] = attrs.field(factory=dict)  # column -> key of ``after`` that every event carries
    logged_as: dict[str, Callable[[Any], Any]] = attrs.field(factory=dict)  # column -> how the log states its value
    title: str | None = None  # a column naming the record in messages (an account's login name)


REQUEST = Subject(
    kind="request", label="申请", table="disclosure_request",
    fields={"state": "状态", "received": "收到申请日期", "channel": "渠道",
            "period_start": "答复期限起算日", "outcome": "答复结果", "replied_on": "答复日期",
            "replied_by": "答复经办人", "closed_on": "归档日期", "later_due": "延迟答复期限",
            "reasons_asked_on": "要求说明理由日期", "fee_method": "计费方式", "fee_pages": "计费页数",
            "fee_amount": "信息处理费", "amended_on": "更正答复日期", "withdrawal_how": "撤回方式",
            "reanswer_days": "重新答复期限（工作日）", "applicant_name": "申请人", "applicant_type": "申请人类型",
            "subject": "申请内容", "assignee": "承办人"},
    actions={
        "receive": _request_created("receive"),
        "import": _request_created("import"),
        "reply": _replied,
        "abandon": _abandoned,
        "close": _sets(closed_on="on"),
        "corrected": _sets(period_start="period_start"),
        "set_later_due": _sets(later_due="later_due"),
        "ask_reasons": _sets(reasons_asked_on="on"),
        "fee": _sets(fee_method="method", fee_pages="pages", fee_amount="amount"),
        "review": _reviewed,
        "extend": _extended,
        "appeal": _appealed,
        "register_overturned": _overturned_registered,
        "appeal_copy": _respondent,
        "appeal_answered": _respondent,
        "appeal_hearing": _respondent,
        "amend": _amended,
        "reanswer": _reanswered,
        "withdraw": _withdrawn,
        "edit": _sets(**{column: column for column in EDITABLE}),
        "assign": _sets(assignee="assignee"),
        "comment": _nothing,
        "mail_failed": _nothing,
        "notice": _nothing,
        "notify_correction": _nothing,
        "pause": _nothing,
        "resume": _nothing,
        "consult": _nothing,
        "consult_answered": _nothing,
        "reveal": _nothing,
        "sealed": _nothing,
    },
    children=(
        Child("reviews", "审核记录（审核人、意见、日期）", "request_review", "request_id",
              ("step_id", "actor", "decision", "on", "proposal")),
        Child("extensions", "延期记录（批准人、日期）", "request_extension", "request_id",
              ("amount", "unit", "approved_by", "approved_on")),
        Child("appeals", "复议诉讼记录", "request_appeal", "request_id",
              ("kind", "filed_on", "result", "decided_on", "registered_on", "over_silence", "reconsidered_on",
               *RESPONDENT), key="id"),
        Child("reply_clock", "答复期限（办结日期）", "deadline", "owner_id", ("met_on",),
              where={"owner_kind": "request", "name": "reply"}, key="name"),
    ),
    carried={"state": "state"},
)

DOCUMENT = Subject(
    kind="document", label="文件", table="document",
    fields={"state": "状态", "attribute_name": "公开属性", "title": "标题", "number": "文号",
            "kind": "文件类别", "published_on": "发布日期", "channel": "发布渠道", "published_by": "信息发布员",
            "repealed": "废止日期", "last_reevaluated": "最近审查公开属性日期"},
    actions={
        "registered": _document_registered,
        "import": _document_imported,
        "review.approve": _document_reviewed,
        "review.reject": _document_reviewed,
        "review.escalated": _document_reviewed,
        "review.cosign": _nothing,  # the second signature: a review's head, digested with the document
        "published": _published,
        "repealed": _sets(repealed="on"),
        "reevaluated": _sets(last_reevaluated="on"),
        "reveal": _nothing,
        "sealed": _nothing,
    },
    children=(Child("reviews", "审核签批记录（步骤、意见、签批人、日期）", "document_review", "document_id",
                    ("step_id", "decision", "by", "on")),),
    carried={"state": "state", "attribute_name": "attribute"},
)

MATTER = Subject(
    kind="matter", label="事项", table="matter",
    fields={"kind": "事项类型", "opened_at": "开立时间", "closed_at": "办结时间"},
    actions={"open": _matter, "close": _matter, "reveal": _nothing, "sealed": _nothing},
    children=(Child("clocks", "期限（状态、办结日期）", "deadline", "owner_id", ("status", "met_on"),
                    where={"owner_kind": "matter"}, key="name"),),
)

DECISION_COUNT = Subject(
    kind="decision_count", label="年度决定数", table="decision_count",
    fields={"year": "年度", "kind": "类别", "count": "件数", "amount": "金额（万元）"},
    actions={"set": _decision_count, "sealed": _nothing},
)

def _password_digest(value: Any) -> Any:
    from gongkai.core.accounts.store import password_digest

    return password_digest(value) if value else value


ACCOUNT = Subject(
    kind="account", label="账户", table="account",
    fields={"name": "账户名", "display_name": "姓名", "roles": "角色", "disabled": "停用", "password_hash": "密码",
            "totp_secret": "双因素密钥", "email": "电子邮箱"},
    actions={"user_add": _account, "user_disable": _account, "user_enable": _account, "user_passwd": _account,
             "user_roles": _account, "user_totp": _account, "user_rehash": _account, "user_locked": _nothing,
             "user_email": _account,
             "sealed": _nothing},
    logged_as={"password_hash": _password_digest, "totp_secret": _password_digest},
    title="name",
)

UNIT_CONTACT = Subject(
    kind="unit_contact", label="公开指南联系方式", table="unit_contact",
    fields={"office_name": "政府信息公开工作机构", "address": "办公地址", "hours": "办公时间", "phone": "联系电话",
            "fax": "传真", "email": "电子邮箱", "postcode": "邮政编码"},
    actions={"contact_set": _sets(**{c: c for c in ("office_name", "address", "hours", "phone", "fax", "email",
                                                      "postcode")}), "sealed": _nothing},
)

REPORT_PUBLICATION = Subject(
    kind="report_publication", label="年度报告公布", table="report_publication",
    fields={"year": "年度", "published_on": "公布日期"},
    actions={"report_published": _sets(year="year", published_on="on"), "sealed": _nothing},
)

APPLICATION = Subject(
    kind="application", label="网上申请", table="online_application",
    fields={"state": "状态", "submitted": "提交日期", "request_id": "登记的申请编号", "decided_on": "确认或不予受理日期"},
    actions={"submit": _sets(submitted="submitted"), "confirm": _sets(request_id="request_id", decided_on="on"),
             "decline": _sets(decided_on="on"), "sealed": _nothing, "reveal": _nothing},
    carried={"state": "state"},
)

def _unit(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    """A unit's facts as ``unit add`` and ``unit edit`` state them (its flags as the row joins them)."""
    from gongkai.core.records.units import FLAG_SEPARATOR

    for column in ("code", "name", "level", "letter_prefix", "reconsideration_body", "contact"):
        if column in after:
            record[column] = after[column]
    if isinstance(after.get("flags"), list):
        record["flags"] = FLAG_SEPARATOR.join(after["flags"])


def _moved_in(record: dict[str, Any], after: dict[str, Any], _actor: str) -> None:
    """A unit database moved in: the moved events state the source's unit, not this one; what
    this unit's row is after the move is the digest the move's own event carries."""
    for column in UNIT.fields:
        record.pop(column, None)


UNIT = Subject(
    kind="unit", label="单位", table="unit",
    fields={"code": "单位代码", "name": "单位全称", "level": "单位层级", "letter_prefix": "机关代字",
            "reconsideration_body": "行政复议机关", "contact": "联系方式", "flags": "单位标记"},
    actions={"unit_added": _unit, "unit_edited": _unit, "database_moved_in": _moved_in, "sealed": _nothing},
    title="code",
)

SUBJECTS = (REQUEST, DOCUMENT, MATTER, DECISION_COUNT, ACCOUNT, UNIT_CONTACT, REPORT_PUBLICATION, APPLICATION, UNIT)

# The Chinese names of the columns a digest covers that no Subject.fields names, for the
# message naming what differs (table -> column -> label).
COLUMN_LABELS = {
    "disclosure_request": {
        "version": "修改计数", "ref": "申请编号", "applicant_id_number": "申请人证件号码", "applicant_contact": "申请人联系方式",
        "submitted": "提交日期", "confirmed": "确认收到日期", "form_wanted": "获取信息的方式", "track": "申请类别",
        "proposed_outcome": "拟答复结果", "reasons": "答复理由", "legal_basis": "法律依据", "provision": "提供方式",
        "withheld_parts": "不予公开的部分", "other_agency": "其他机关", "other_agency_contact": "其他机关联系方式",
        "imported": "导入", "letter_serial": "答复书文号", "assignee": "承办人"},
    "document": {
        "version": "修改计数", "producer": "制作机关", "handler": "承办人", "summary": "内容摘要", "major_policy": "重大政策",
        "government_issued": "以政府名义发布", "decision_kind": "决定类别", "decided_on": "决定日期", "formed": "形成日期",
        "changed": "变更日期", "finalised": "定稿日期", "attribute": "公开属性代码", "reason": "不予公开理由",
        "interpretation": "政策解读", "internal_version": "内部版本", "public_version": "公开版本",
        "declassify_method": "解密方式", "secrecy_confirmed_by": "保密审查人", "created_at": "登记时间"},
    "matter": {"note": "备注", "version": "修改计数"},
    "account": {"created_at": "创建时间", "email": "电子邮箱"},
    "online_application": {
        "code_hash": "查询码", "code_hint": "查询码前四位", "applicant_name": "申请人", "applicant_type": "申请人类型",
        "id_type": "证件类型", "applicant_id_number": "证件号码", "applicant_contact": "联系电话", "email": "电子邮箱",
        "address": "通信地址", "agent": "代理人", "subject": "所需信息", "form_wanted": "获取信息的方式",
        "receive_how": "获取途径", "decided_by": "办理人", "decline_reason": "不予受理理由"},
    "unit": {"parent_id": "上级单位", "created_at": "创建时间"},
}


def column_label(subject: Subject, column: str) -> str:
    return subject.fields.get(column) or COLUMN_LABELS.get(subject.table, {}).get(column) or column


# ----------------------------------------------------------------------------------- the check


@attrs.define
class Findings:
    checked: dict[str, int] = attrs.field(factory=dict)  # subject kind -> records checked
    problems: list[dict[str, Any]] = attrs.field(factory=list)
    count: int = 0

    def add(self, subject: Subject, record_id: Any, problem: str, message: str, **details: Any) -> None:
        self.count += 1
        if len(self.problems) < LIMIT:
            self.problems.append({"kind": subject.kind, "id": record_id, "problem": problem, **details,
                                  "message": message})

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.count == 0, "checked": self.checked, "problems": self.problems, "count": self.count}


def verify_all(session: Session, expect: tuple[int, str] | None = None, registry: Any = None,
               calendar: Any = None) -> dict[str, Any]:
    """The chain (:func:`gongkai.core.records.chain.verify`) and then the records against it, as
    ``audit verify`` reports them: ``ok`` is both; ``chain_ok`` and ``records`` each part.
    With the jurisdiction's ``registry``, review steps and clocks are named in the messages, not coded;
    with the unit's working-day ``calendar``, the clocks' dates are recomputed and compared."""
    from gongkai.core.records.chain import verify

    chain = verify(session, expect=expect)
    records = check_records(session, names=code_names(registry) if registry is not None else {}, calendar=calendar,
                            hours=timed_amounts(registry))
    return {**chain, "ok": chain["ok"] and records["ok"], "chain_ok": chain["ok"], "records": records}


def timed_amounts(registry: Any) -> dict[str, int]:
    """Each hour or minute rule's amount, by its id: what a clock's term stored before its
    offset was (offset 0) counts from (:func:`check_terms`)."""
    from gongkai.hookspecs.records import DeadlineRule

    if registry is None:
        return {}
    return {rule.id: rule.amount for rule in registry.rules_of(DeadlineRule) if rule.unit.is_timed}


def code_names(registry: Any) -> dict[str, str]:
    """The codes of the child rows (review steps, clocks) -> their Chinese names, for the messages."""
    from gongkai.core.labels import labels
    from gongkai.core.matters.kinds import KIND_NAMES

    return {**KIND_NAMES, **labels("clock"), **labels("document_step", registry), **labels("step", registry)}


def check_records(session: Session, batch: int = 5000, names: dict[str, str] | None = None,
                  source: SourceRows | None = None, calendar: Any = None,
                  hours: dict[str, int] | None = None) -> dict[str, Any]:
    """Replay the log and compare every record with it; ``{"ok", "checked", "problems", "count"}``.
    ``names`` turns codes in the child rows (review steps, clocks) into what a reader knows.
    ``source``: a database being moved in, read whole (:class:`SourceRows`) rather than
    through ``session``. ``hours``: the hour and minute rules' amounts (:func:`timed_amounts`)."""
    from sqlmodel import SQLModel

    from gongkai.core.records.digest import query_fetch
    from gongkai.core.records.storage import import_models

    import_models()  # every subject's table, whichever command loaded which
    findings = Findings()
    if source is None:
        connection = session.connection().execution_options(stream_results=True, yield_per=batch)
    fetch = source.fetch if source is not None else query_fetch(connection, SQLModel.metadata)
    firsts = _first_digests(fetch)
    for subject in SUBJECTS:
        streams = source.streams(subject) if source is not None else _queried(connection, subject)
        _check_subject(streams, subject, findings, names or {}, firsts)
    check_letters(fetch, findings)
    check_attachments(fetch, findings)
    check_tallies(fetch, findings)
    if calendar is not None:
        check_terms(fetch, findings, calendar, hours)
    return findings.to_json()


def _queried(connection: Any, subject: Subject) -> list[Iterator[tuple[Any, list[Any]]]]:
    """``subject``'s events, records and each child's rows, read from the database, each
    grouped by the record's id in order of it."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    from gongkai.core.records.digest import query_fetch

    tables = SQLModel.metadata.tables
    e = Event.__table__.c
    events = _stream(connection.execute(select(e.subject_id, e.action, e.actor, e.after).where(
        e.subject_kind == subject.kind, e.subject_id.is_not(None), e.seq.is_not(None)).order_by(e.subject_id, e.seq)))
    table = tables[subject.table]
    query = select(table.c.id, *(table.c[f] for f in subject.fields))
    only = _only(connection, subject)
    if only is not None:
        query = query.where(table.c.id == only)
    records = _stream(connection.execute(query.order_by(table.c.id)))
    children = []
    for child in subject.children:
        c = tables[child.table].c
        query = select(c[child.parent], *(c[name] for name in _child_columns(child)))
        query = query.where(*(c[column] == value for column, value in child.where.items()))
        children.append(_stream(connection.execute(query.order_by(c[child.parent], c.id))))
    return [events, records, *children, _digests(query_fetch(connection, SQLModel.metadata), subject, only)]


def _first_digests(fetch: Any) -> dict[Any, str]:
    """unit id -> the digest of its row that the first event of its chain carries, if it does
    (:data:`gongkai.core.records.digest.UNIT_KEY`)."""
    from gongkai.core.records.digest import UNIT_KEY

    marker, found = f'"{UNIT_KEY}":"', {}
    for unit_id, after in fetch("event", ("unit_id", "after"), {"seq": 1}, ("unit_id",)):
        if after and marker in after:
            try:
                found[unit_id] = json.loads(after)[UNIT_KEY]
            except (ValueError, KeyError, TypeError):
                continue
    return found


def _only(connection: Any, subject: Subject) -> int | None:
    """The one unit row a connection bound to a unit checks (the unit table is not scoped:
    every unit's row is seen, but only its own events)."""
    from gongkai.core.records.scoping import unit_of

    return unit_of(connection) if subject is UNIT else None


def _digests(fetch: Any, subject: Subject, only: Any = None) -> Iterator[tuple[Any, list[Any]]]:
    """Each record's digest as its stored rows give it (:mod:`gongkai.core.records.digest`)."""
    from sqlmodel import SQLModel

    from gongkai.core.records.digest import GROUPS, stream

    if subject.kind not in GROUPS:
        return iter(())
    return ((record_id, [(record_id, digest)]) for record_id, digest in stream(fetch, subject.kind, SQLModel.metadata, lazy=True)
            if only is None or record_id == only)


def _child_columns(child: Child) -> tuple[str, ...]:
    return ((child.key,) if child.key else ()) + child.columns


class SourceRows:
    """A unit's own SQLite database (one being moved in, :mod:`gongkai.core.units.moving`) read
    straight through sqlite3: the same streams as :func:`_queried`, but of every row of each
    table, whatever unit it names (a session bound to the unit sees only that unit's), and
    only the columns the check uses. Values are typed as a query returns them (SQLite's
    dialect: its text into dates), so that both are compared alike."""

    def __init__(self, path: str | Path, dialect: Any) -> None:
        import sqlite3

        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.dialect = dialect
        self._chain: list[Any] | None = None  # the chained events, read once for the chain and the records
        self._by_kind: dict[str, list[tuple[Any, ...]]] | None = None
        # each table read once, every column, typed (the fields' check, the digests, the clocks'
        # and the 文号 checks each want some of a table's columns: they are taken from this)
        self._tables: dict[str, tuple[dict[str, int], list[Any], tuple[str, ...], int]] = {}

    def close(self) -> None:
        self.db.close()
        self._tables.clear()

    def _table(self, table: str) -> tuple[dict[str, int], list[Any], tuple[str, ...], int]:
        """``table``'s rows column by column, every column of the model, typed as a query returns
        them, in order of its primary key; each column's place; the key; the number of rows."""
        found = self._tables.get(table)
        if found is not None:
            return found
        from sqlmodel import SQLModel

        model = SQLModel.metadata.tables[table]
        typed, names = model.c, [c.name for c in model.c]
        key = [c.name for c in model.primary_key]
        rows = self.db.execute(f"SELECT {', '.join(f'{chr(34)}{c}{chr(34)}' for c in names)} FROM {table}"
                               f" ORDER BY {', '.join(f'{chr(34)}{c}{chr(34)}' for c in key)}").fetchall()
        by_column = list(zip(*rows)) if rows else [() for _ in names]  # converted column by column: C loops
        for i, c in enumerate(names):
            process = typed[c].type.dialect_impl(self.dialect).result_processor(self.dialect, None)
            if process is not None and rows:
                by_column[i] = list(map(process, by_column[i]))
        found = self._tables[table] = ({name: i for i, name in enumerate(names)}, by_column, tuple(key), len(rows))
        return found

    def rows(self, table: str, columns: tuple[str, ...], where: dict[str, Any] | None = None,
             order: tuple[str, ...] = ("id",), present: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
        """``columns`` of ``table``'s rows matching ``where`` and with a value in each of
        ``present``, as a query returns them, in ``order`` (NULL first, as SQLite orders)."""
        index, by_column, key, count = self._table(table)
        chosen: Any = None  # the rows' places, in order; None: all, as read
        for column, value in (where or {}).items():
            values = by_column[index[column]]
            places = range(count) if chosen is None else chosen
            chosen = ([i for i in places if values[i] is None] if value is None else
                      [i for i in places if values[i] == value])
        for column in present:
            values = by_column[index[column]]
            chosen = [i for i in (range(count) if chosen is None else chosen) if values[i] is not None]
        keys = [by_column[index[c]] for c in order]
        if tuple(order[-len(key):]) == key:
            del keys[-len(key):]  # the rows are in order of the key: a stable sort keeps it among equal keys
        if keys:
            places = range(count) if chosen is None else chosen
            if any(v is None for values in keys for v in values):
                chosen = sorted(places, key=lambda i: [(values[i] is not None, values[i]) for values in keys])
            elif len(keys) == 1:
                chosen = sorted(places, key=keys[0].__getitem__)
            else:
                chosen = sorted(places, key=lambda i: [values[i] for values in keys])
        wanted = [by_column[index[c]] for c in columns]
        if chosen is None:
            return list(zip(*wanted))
        return list(zip(*(map(values.__getitem__, chosen) for values in wanted)))

    def fetch(self, table: str, columns: tuple[str, ...], where: dict[str, Any], order: tuple[str, ...]) -> Any:
        """What :func:`gongkai.core.records.digest.query_fetch` reads, from this file."""
        return self.rows(table, columns, where, order)

    def events(self, chained: bool = True) -> list[Any]:
        """The chained events in chain order (``chained`` false: the events off the chain, by
        id), as rows whose attributes are :class:`Event`'s columns, as :func:`audit.verify` reads them."""
        from collections import namedtuple

        names = tuple(c.name for c in Event.__table__.c)
        row = namedtuple("EventRow", names)  # type: ignore[misc]
        if not chained:
            return list(map(row._make, self.rows("event", names, {"seq": None})))
        if self._chain is None:
            self._chain = list(map(row._make, self.rows("event", names, order=("seq",), present=("seq",))))
        return self._chain

    def streams(self, subject: Subject) -> list[Iterator[tuple[Any, list[Any]]]]:
        """``subject``'s events, records and each child's rows, as :func:`_queried` reads them."""
        if self._by_kind is None:  # the chained events of each kind, read once for every subject
            self._by_kind = {}
            for e in self.events():
                if e.subject_id is not None:
                    self._by_kind.setdefault(e.subject_kind, []).append((e.subject_id, e.action, e.actor, e.after))
        events = sorted(self._by_kind.get(subject.kind, ()),
                        key=itemgetter(0))  # stable: each record's events stay in chain order
        records = self.rows(subject.table, ("id", *subject.fields))
        children = [self.rows(child.table, (child.parent, *_child_columns(child)), child.where, (child.parent, "id"))
                    for child in subject.children]
        return [*(_stream(rows) for rows in (events, records, *children)),
                _digests(self.fetch, subject)]


def _stream(rows: Iterable[Any]) -> Iterator[tuple[Any, list[Any]]]:
    """``rows`` (their first column the record id, sorted) grouped by that id."""
    for key, group in groupby(rows, key=lambda row: row[0]):
        yield key, list(group)


def _side_by_side(*streams: Iterator[tuple[Any, list[Any]]]) -> Iterator[tuple[Any, list[Any]]]:
    """Each record id found in any of ``streams`` (each sorted by id) with its rows in each
    (none: an empty tuple)."""
    heads = [next(s, None) for s in streams]
    live = [i for i, head in enumerate(heads) if head is not None]  # the streams not yet ended
    while live:
        key = min([heads[i][0] for i in live])
        groups: list[Any] = [()] * len(streams)
        ended = False
        for i in live:
            head = heads[i]
            if head[0] == key:
                groups[i] = head[1]
                heads[i] = next(streams[i], None)
                ended = ended or heads[i] is None
        if ended:
            live = [i for i in live if heads[i] is not None]
        yield key, groups


def _check_subject(streams: list[Iterator[tuple[Any, list[Any]]]], subject: Subject, findings: Findings,
                   names: dict[str, str], firsts: dict[Any, str] | None = None) -> None:
    """For units: ``firsts``, the digest of each unit's row its chain's first event carries (a
    unit's own folder's unit, which no event of its own kind states; one whose chain began
    before the unit's row was under the log is checked once `audit seal` has sealed it)."""
    from gongkai.core.records.digest import DERIVED, same

    # a digest that matches vouches for every field only where it covers them all
    whole = not any((subject.table, column) in DERIVED for column in subject.fields)
    checked = 0
    firsts = firsts or {}
    missing = set(firsts) if subject is UNIT else set()
    title = list(subject.fields).index(subject.title) + 1 if subject.title else None
    for record_id, (logged, stored, *owned, digested) in _side_by_side(*streams):
        if stored:
            missing.discard(record_id)
        checked += bool(stored)
        expected = _replay(subject, logged) if logged else {}
        name = stored[0][title] if stored and title else expected.get(subject.title) if title else None
        who = f"{subject.label} {record_id}" + (f"（{name}）" if name else " ")
        if not logged and subject is UNIT and stored:
            if record_id in firsts:  # not a unit added by `unit add`: its chain's first event has its digest
                _compare_digest(subject, record_id, who, firsts[record_id], digested, findings)
            continue  # else a unit's own folder's unit with nothing recorded yet, or from before its row was under the log
        if not logged:
            if stored:
                findings.add(subject, record_id, "added", f"{who}在事件日志中没有任何记载：记录在应用之外写入。")
            else:
                kinds = "、".join(c.label for c, rows in zip(subject.children, owned) if rows) or "附属记录"
                findings.add(subject, record_id, "added",
                             f"{who}不存在，事件日志也没有它，但库中有属于它的{kinds}：在应用之外写入。")
            continue
        if not stored:
            findings.add(subject, record_id, "deleted",
                         f"{who}在事件日志中有 {len(logged)} 条记载，但记录已不存在：记录在应用之外被删除。")
            continue
        logged_digest = expected.get(DIGEST)
        if whole and logged_digest is not None and digested and same(digested[0][1].digest, logged_digest):
            continue  # its content is what its last event sealed: every field and part as logged
        found = findings.count
        _compare(subject, who, record_id, expected, stored[0], owned, findings, names)
        # the digest names what the fields compared above do not (said once per record)
        if logged_digest is not None and findings.count == found:
            _compare_digest(subject, record_id, who, logged_digest, digested, findings)
    for record_id in sorted(missing):  # a unit whose chain has events, and no row
        findings.add(subject, record_id, "deleted", f"{subject.label} {record_id} 有事件日志，但记录已不存在：记录在应用之外被删除或改号。")
    findings.checked[subject.kind] = checked


def _compare_digest(subject: Subject, record_id: Any, who: str, logged_digest: str, digested: Any,
                    findings: Findings) -> None:
    """The digest an event carries against the stored rows': the columns and parts that differ named."""
    from sqlmodel import SQLModel

    from gongkai.core.records.digest import differing, same

    if digested and same(digested[0][1].digest, logged_digest):
        return
    differ = differing(logged_digest, digested[0][1].marked(), subject.kind, SQLModel.metadata) if digested else None
    if differ:
        shown = "、".join(f"“{column_label(subject, name) if label is None else label}”" for name, label in differ)
        findings.add(subject, record_id, "changed",
                     f"{who}的{shown}与事件日志不符：在应用之外被修改" + ("、删除或添加。" if any(label for _, label in differ) else "。"),
                     field=[name for name, _ in differ])
    else:
        findings.add(subject, record_id, "changed",
                     f"{who}的记录内容（{_parts_label(subject)}）与事件日志最后一次记载的摘要不符："
                     "有字段或附属记录在应用之外被修改、删除或添加。", field="digest")


@attrs.frozen
class Other:
    """What is checked outside the records' own replay (clocks' dates, letter numbering), for :class:`Findings`."""

    kind: str


LETTERS, TERMS, FILES = Other("letter_sequence"), Other("deadline_term"), Other("attachment_chunk")


def check_attachments(fetch: Any, findings: Findings) -> None:
    """Each attached file's content against the SHA-256 and size its event logged (and the
    record's digest holds): a file changed, cut or deleted behind the log is named."""
    from gongkai.core.attachments.store import check

    owners = {"request": "申请", "application": "网上申请", "document": "文件"}
    for row, what in check(fetch):
        _sha, attachment_id, kind, owner_id, name, _size = row
        findings.add(FILES, attachment_id, "changed",
                     f"{owners.get(kind, kind)} {owner_id} 的附件“{name}”（SHA-256 {_sha[:12]}…）内容{what}："
                     "文件在应用之外被修改或删除。", field="data")
TALLIES = Other("evaluation_tally")


def check_tallies(fetch: Any, findings: Findings) -> None:
    """Each unit's yearly 社会评议 tallies (evaluation_tally) against the last ``record_tallies``
    event for that unit and year, which states every grade's count (and, since the tallies
    came under the log, the time it recorded them): a count, grade, unit name, year or time
    edited, a row deleted or added behind the log differs."""
    from gongkai.core.records.digest import _text

    want: dict[tuple[Any, str, Any], tuple[dict[str, Any], Any]] = {}
    for unit_id, _seq, after in fetch("event", ("unit_id", "seq", "after"),
                                      {"subject_kind": "evaluation", "action": "record_tallies"}, ("unit_id", "seq")):
        try:
            data = json.loads(after or "{}")
            want[(unit_id, data["unit"], data["year"])] = (dict(data["tallies"]), data.get("recorded_at"))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # not what record_tallies writes: its rows are then named as not logged
    have: dict[tuple[Any, str, Any], list[Any]] = {}
    for unit_id, unit, year, grade, count, recorded_at in fetch(
            "evaluation_tally", ("unit_id", "unit", "year", "grade", "count", "recorded_at"), {}, ("unit_id", "id")):
        have.setdefault((unit_id, unit, year), []).append((grade, count, recorded_at))
    for key in sorted(set(want) | set(have), key=lambda k: (str(k[0]), str(k[1]), str(k[2]))):
        _unit_id, unit, year = key
        what = f"{year} 年“{unit}”的社会评议结果"
        if key not in want:
            findings.add(TALLIES, year, "added", f"{what}在事件日志中没有任何记载：在应用之外写入。", field="unit")
            continue
        tallies, at = want[key]
        rows = have.get(key, [])
        counts = {grade: count for grade, count, _ in rows}
        differ = [grade for grade in dict.fromkeys([*tallies, *counts]) if counts.get(grade) != tallies.get(grade)]
        if len(counts) != len(rows):
            differ.append("（重复的等次）")
        if differ:
            shown = "、".join(f"{g}：库中{counts.get(g, '无')}，日志{tallies.get(g, '无')}" for g in differ if g in tallies or g in counts)
            findings.add(TALLIES, year, "changed", f"{what}与事件日志不符（{shown or '、'.join(differ)}）：在应用之外被修改、删除或添加。",
                         field="count")
        elif at is not None and any(_text(r) != _text(dt.datetime.fromisoformat(at)) for _, _, r in rows):
            findings.add(TALLIES, year, "changed", f"{what}的“登记时间”与事件日志不符：在应用之外被修改。", field="recorded_at")


def check_letters(fetch: Any, findings: Findings) -> None:
    """Each year's 文号 sequence (letter_sequence) against the letters issued: a sequence behind
    the highest number issued in it would issue that number again; two letters with one
    number, or letters with no sequence, mean the numbers were changed behind the log.
    (Not equal to the highest: databases numbered before revision 0019 have gaps.)"""
    from gongkai.core.requests.reply import SUPERSEDING_MARKS

    issued: Counter = Counter()  # (year, series, serial) -> letters
    priors: dict[Any, list[Any]] = {}
    for row in fetch("request_prior_reply", ("request_id", "id", "replied_on", "amended_on", "superseded_by", "letter_serial"),
                     {}, ("request_id", "id")):
        priors.setdefault(row[0], []).append(row)
    for request_id, replied, amended, serial in fetch("disclosure_request", ("id", "replied_on", "amended_on", "letter_serial"),
                                                      {}, ("id",)):
        series = ""
        for _r, _i, p_replied, p_amended, superseded_by, p_serial in priors.get(request_id, ()):
            if p_serial is not None and (p_amended or p_replied) is not None:
                issued[((p_amended or p_replied).year, series, p_serial)] += 1
            series = SUPERSEDING_MARKS.get(superseded_by, "重")
        if serial is not None and (amended or replied) is not None:
            issued[((amended or replied).year, series, serial)] += 1
    sequences = {(year, series): last for year, series, last in fetch("letter_sequence", ("year", "series", "last"), {}, ("id",))}
    highest: dict[tuple[int, str], int] = {}
    for (year, series, serial), letters in issued.items():
        highest[(year, series)] = max(highest.get((year, series), 0), serial)
        if letters > 1:
            findings.add(LETTERS, serial, "changed", f"{year} 年{series or ''}第 {serial} 号文号有 {letters} 份答复书：文号在应用之外被修改。",
                         field="letter_serial")
    for (year, series), top in sorted(highest.items()):
        last = sequences.get((year, series))
        if last is None or last < top:
            have = "没有编号记录" if last is None else f"编号记录只到第 {last} 号"
            findings.add(LETTERS, year, "changed",
                         f"{year} 年{('“' + series + '”字') if series else ''}答复书已编到第 {top} 号，{have}："
                         "文号序列在应用之外被改动（下一份答复会重复已用的文号）。", field="last")


def check_terms(fetch: Any, findings: Findings, calendar: Any, hours: dict[str, int] | None = None) -> None:
    """Each clock's dates (its term's due, limit, due_at) recomputed from the term's inputs on
    ``calendar``, as :func:`gongkai.core.time.deadline_store.recompute_provisional` computes them:
    a date edited behind the log differs. While the database still holds dates computed on an
    older calendar (the next command recomputes them), only the dates that were final then are checked.

    An hour or minute clock's term counts its ``offset`` hours or minutes from ``start_at``; one
    stored before terms carried it (offset 0) counts the amount of the rule of a clock that uses
    it (``hours``: rule id -> amount)."""
    from dateutil.relativedelta import relativedelta

    from gongkai.core.time.deadline_store import CALENDAR_SETTING, FINAL_SETTING
    from gongkai.core.time.deadlines import BEIJING, _add
    from gongkai.hookspecs.records import Unit

    settings = {key: value for key, value in fetch("setting", ("key", "value"), {}, ("key",))}
    current = settings.get(CALENDAR_SETTING) in (None, calendar.fingerprint)
    final = settings.get(FINAL_SETTING)
    used: dict[Any, tuple[str, Any, str]] = {}  # term -> a clock's owner (to name it) and rule
    for term_id, owner_kind, owner_id, rule_id in fetch("deadline", ("term_id", "owner_kind", "owner_id", "rule_id"),
                                                        {}, ("term_id",)):
        used.setdefault(term_id, (owner_kind, owner_id, rule_id))
    names = ("id", "unit", "start", "start_at", "offset", "limit_offset", "months_after", "paused", "due", "due_at", "limit")
    for term_id, unit, start, start_at, offset, limit_offset, months, paused, due, due_at, limit in fetch(
            "deadline_term", names, {}, ("id",)):
        if term_id not in used or paused:
            continue
        try:
            kind = Unit(unit)
            if kind.is_timed:
                if start_at is None:
                    continue
                at = start_at.replace(tzinfo=dt.timezone.utc) if start_at.tzinfo is None else start_at
                step = dt.timedelta(hours=1) if kind is Unit.HOURS else dt.timedelta(minutes=1)
                if not offset:  # stored before terms carried it: the clock's rule's amount
                    offset = (hours or {}).get(used[term_id][2], offset)
                want_at = at + offset * step
                have_at = None if due_at is None else due_at.replace(tzinfo=dt.timezone.utc) if due_at.tzinfo is None else due_at
                want = (want_at.astimezone(BEIJING).date(), want_at, None)
                have = (due, have_at, limit)
            elif kind in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.CALENDAR_DAYS_ROLLING, Unit.MONTHS):
                shift = relativedelta(months=months)
                want = (_add(calendar, start, offset, kind) + shift, None,
                        _add(calendar, start, limit_offset, kind) + shift if limit_offset is not None else None)
                have = (due, due_at, limit)
                if not current and (final is None or max(d for d in (*want, *have) if isinstance(d, dt.date)).isoformat() > final):
                    continue  # provisional when computed: the next command recomputes it on this calendar
            else:
                continue
        except (ValueError, TypeError, OverflowError):
            want, have = ("?",), (due,)
        if want != have:
            owner_kind, owner_id, _rule = used[term_id]
            owner = next((f"{s.label} {owner_id}" for s in SUBJECTS if s.kind == owner_kind), f"{owner_kind} {owner_id}")
            shown, should = (describe("", _iso(d[0] if d[0] is not None else d[1])) + (
                f"，最迟 {describe('', _iso(d[2]))}" if have[2:] != want[2:] else "") for d in (have, want))
            findings.add(TERMS, term_id, "changed",
                         f"{owner} 等的期限（计时条件 {term_id}）到期日为“{shown}”，按其起算日、期限和日历应为“{should}”："
                         "期限日期在应用之外被修改。", field="due", stored=_iso(have[0]), logged=_iso(want[0]))


def _replay(subject: Subject, logged: list[Any]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for _id, action, actor, after in logged:
        data = json.loads(after) if after else {}
        record[DIGEST] = data.get("digest")  # the record's whole content after the event (None: an older event)
        for column, key in subject.carried.items():  # also what an event kind not in the table says
            if key in data:
                record[column] = data[key]
        subject.actions.get(action, _nothing)(record, data, actor)
    return record


DIGEST = "\x00digest"  # key of the expected record: the digest its last event carries


def _parts_label(subject: Subject) -> str:
    from gongkai.core.records.digest import GROUPS

    labels = [p.label for p in GROUPS[subject.kind].parts if p.label]
    return "、".join(dict.fromkeys([f"{subject.label}的各项字段", *labels]))


def _compare(subject: Subject, who: str, record_id: Any, expected: dict[str, Any], row: Any,
             owned: list[list[Any]], findings: Findings, names: dict[str, str]) -> None:
    logged_as, columns = subject.logged_as, subject.fields
    for column, value, want in zip(columns, row[1:], map(expected.get, columns, repeat(UNKNOWN))):
        if want is UNKNOWN:
            continue
        if column not in logged_as:  # most: stored as logged, or a date the log writes in ISO
            if value == want or (value.__class__ is dt.date and value.isoformat() == want):
                continue
            have = _iso(value)
        else:
            have = logged_as[column](value)
        label = columns[column]
        if _same(have, want) or (isinstance(have, str) and _masked(have) == want):  # the log masks ID and phone numbers
            continue
        if column in logged_as:  # a digest: saying that it differs is all a reader can use
            message = f"{who}的{label}与事件日志记载的不符：记录在应用之外被修改。"
        else:
            message = (f"{who}的{label}为“{describe(column, have)}”，事件日志记载为“{describe(column, want)}”："
                       "记录在应用之外被修改。")
        findings.add(subject, record_id, "changed", message, field=column, stored=have, logged=want)
    for child, rows in zip(subject.children, owned):
        want_rows = expected.get(child.name)
        if want_rows is None:
            continue
        have_rows = [tuple(map(_iso, r[1:])) for r in rows]
        want_values = [(k, *v) if child.key else tuple(v) for k, v in want_rows.items()]
        if have_rows == want_values:  # most: the same rows in the same order
            continue
        have, want = Counter(map(_norm, have_rows)), Counter(map(_norm, want_values))
        if have != want:
            extra, missing = _rows(have - want, names), _rows(want - have, names)
            findings.add(subject, record_id, "changed",
                         f"{who}的{child.label}与事件日志不符："
                         + "；".join(filter(None, (extra and f"库中有而日志没有 {extra}",
                                                   missing and f"日志记载而库中没有 {missing}")))
                         + "：记录在应用之外被修改、删除或添加。",
                         field=child.name, stored=have_rows, logged=want_values)


def _rows(rows: Counter, names: dict[str, str]) -> str:
    return "、".join(f"（{'，'.join(names.get(v) or describe('', v) for v in row)}）" for row in rows.elements())


def _masked(text: str) -> str:
    from gongkai.core.records.privacy import mask_text

    return mask_text(text)


def _norm(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(map(_norm_value, values))


def _norm_value(value: Any) -> Any:
    return None if value is None else repr(value) if isinstance(value, float) else str(value)


def _same(have: Any, want: Any) -> bool:
    if have == want:
        return True
    if isinstance(have, (int, float)) and isinstance(want, (int, float)):
        return float(have) == float(want)
    return False


def describe(column: str, value: Any) -> str:
    """A stored or logged value as a reader knows it: states and outcomes by their Chinese names."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool) or value in ("True", "False"):
        return "是" if value in (True, "True") else "否"
    if column == "roles":  # stored as JSON codes: the reader knows the roles by their names
        from gongkai.core.accounts.roles import CORE_ROLES, ROLE_CODES

        names = {**{code: name for name, code in ROLE_CODES.items()}, **CORE_ROLES}
        try:
            return "、".join(names.get(code, str(code)) for code in json.loads(value)) or "（无）"
        except (ValueError, TypeError):
            return str(value)
    if isinstance(value, str) and value.startswith("{") and '"outcome"' in value:  # a review's proposal
        try:
            return "拟答复：" + describe("outcome", json.loads(value).get("outcome"))
        except (ValueError, AttributeError):
            return str(value)
    if column == "state":
        from gongkai.core.documents.review import STATE_NAMES
        from gongkai.core.requests.workflow import STATES

        return STATES.get(value) or STATE_NAMES.get(value) or str(value)
    if column == "outcome":
        from gongkai.core.law.outcomes import RESULT_ROWS

        return next((row.label.lstrip("（）一二三四五六七八123456789.") for row in RESULT_ROWS if row.code == value), str(value))
    from gongkai.core.requests.appeals import KINDS
    from gongkai.core.requests.review import DECISIONS

    return {**DECISIONS, **KINDS, **CLOCK_STATUS}.get(value, str(value)) if isinstance(value, str) else str(value)


CLOCK_STATUS = {"open": "未办结", "met": "按期办结", "late": "逾期办结", "lapsed": "期满未办", "cancelled": "已撤销"}


def event_kinds(subject: Subject) -> set[str]:
    """The event kinds whose effect on ``subject``'s records the table states."""
    return set(subject.actions)

