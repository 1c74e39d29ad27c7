"""Intake: who asks for what, through which channel, and the receipt date (条例 第三十一条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from gongkai.core.time.deadlines import compute
from gongkai.core.time.deadline_store import close_deadline, store_deadline
from gongkai.core.records import limits
from gongkai.core.errors import GongkaiError
from gongkai.core.records.limits import check_text
from gongkai.core.accounts.names import clean_name
from gongkai.core.records.privacy import check_applicant_id
from gongkai.core.law.outcomes import APPLICANT_TYPES
from gongkai.core.today import not_future, today
from gongkai.core.requests import clock, tracks
from gongkai.core.requests.models import OWNER, Request
from gongkai.core.requests.workflow import apply
from gongkai.hookspecs.records import ChannelReceipt, DeadlineRule, ReceiptRule

ONLINE = "online"  # the channel a request platform receives directly


def channels(registry: Any) -> list[ChannelReceipt]:
    return list(registry.rule("request.receipt_date", ReceiptRule).channels)


def channel_code(registry: Any, value: str) -> ChannelReceipt:
    """A channel by code, Chinese name or an unambiguous beginning of it (当面 for 当面提交), as
    ``request new --channel`` reads it (:func:`gongkai.core.labels.code_of`); a clear error listing the choices."""
    from gongkai.core.labels import code_of

    try:
        code = code_of("channel", value, registry)
    except GongkaiError:
        code = value
    for ch in channels(registry):
        if code == ch.channel:
            return ch
    choices = "、".join(f"{c.channel}（{c.name}）" for c in channels(registry))
    raise GongkaiError(f"渠道“{value}”无效（--channel），可选：{choices}")


def applicant_type_code(value: str) -> str:
    for t in APPLICANT_TYPES:
        if value in (t.code, t.label, f"{t.group}{t.label}", f"{t.group}·{t.label}"):
            return t.code
    choices = "、".join(f"{t.code}（{t.label}）" for t in APPLICANT_TYPES)
    raise GongkaiError(f"申请人类型“{value}”无效（--applicant-type），可选：{choices}")


def receipt_date(ch: ChannelReceipt, submitted: dt.date, confirmed: dt.date | None) -> dt.date:
    """The day the request counts as received, per the channel (条例 第三十一条)."""
    if ch.received_on == "submitted":
        return submitted
    if confirmed is None:
        raise GongkaiError(
            f"“{ch.name}”提交的申请以双方确认之日为收到申请之日（条例 第三十一条），请用 --confirmed 填写确认日期。"
        )
    if confirmed < submitted:
        raise GongkaiError(f"确认日期 {confirmed} 早于提交日期 {submitted}，请核对 --confirmed。")
    return confirmed


def check_ref(ref: str | None) -> str | None:
    """The unit's own reference of a request, checked (None if blank). All digits is refused:
    commands take a number as gongkai's own 编号, so such a reference could never be named."""
    ref = (ref or "").strip()
    if not ref:
        return None
    check_text(ref, limits.REF_CHARS, "本单位编号（--ref）")
    if ref.isdigit():
        raise GongkaiError(f"本单位编号“{ref}”全为数字，会与 gongkai 的编号混淆；请写出完整编号，如“长房申〔2025〕17号”。")
    return ref


def ref_taken(session: Session, ref: str) -> int | None:
    """The id of the request that already has ``ref``, or None."""
    from sqlmodel import select

    return session.exec(select(Request.id).where(Request.ref == ref)).first()


def request_fields(
    registry: Any,
    *,
    applicant: str,
    applicant_type: str,
    channel: str,
    submitted: dt.date,
    subject: str,
    confirmed: dt.date | None = None,
    id_number: str = "",
    contact: str = "",
    form_wanted: str = "",
    track: str = "",
    ref: str | None = None,
) -> dict[str, Any]:
    """The columns of a new :class:`Request`, every field checked; a Chinese error naming the bad one."""
    applicant = clean_name(applicant)  # "\u200b" alone is no name (names.clean_name)
    if not applicant:
        raise GongkaiError("申请人姓名或名称不能为空（--applicant），也不能只有空格或不可见字符。")
    if not clean_name(subject):
        raise GongkaiError("申请公开的政府信息内容不能为空（--subject），也不能只有空格或不可见字符。")
    check_text(applicant, limits.NAME_CHARS, "申请人姓名或名称（--applicant）")
    check_text(subject, limits.SUBJECT_CHARS, "申请公开的政府信息内容（--subject）")
    # stored as people read them: invisible characters carry nothing
    contact, form_wanted, id_number = clean_name(contact), clean_name(form_wanted), clean_name(id_number)
    check_text(contact, limits.CONTACT_CHARS, "联系方式（--contact）")
    check_text(form_wanted, limits.FORM_CHARS, "获取信息的方式（--form）")
    type_code = applicant_type_code(applicant_type)
    id_number = check_applicant_id(check_text(id_number, limits.ID_NUMBER_CHARS, "证件号码（--id-number）"),
                                   natural_person=type_code == "natural_person")
    ch = channel_code(registry, channel)
    received = receipt_date(ch, submitted, confirmed)
    declared = tracks.track_of(registry, track)  # refused where the jurisdiction has no such track
    return {
        "ref": check_ref(ref),
        "applicant_name": applicant.strip(),
        "applicant_type": type_code,
        "applicant_id_number": id_number,
        "applicant_contact": contact,
        "channel": ch.channel,
        "submitted": submitted,
        "confirmed": confirmed,
        "received": received,
        "subject": subject.strip(),
        "form_wanted": form_wanted,
        "period_start": received,
        "track": declared.track if declared else tracks.GOVERNMENT,
    }


def intake_rule(registry: Any, channel: str) -> DeadlineRule | None:
    """The local rule timing the entry of a request not received online into the platform, or None
    (a jurisdiction's ``request.intake`` rule, e.g. within 2 working days)."""
    rule = registry.find("request.intake", DeadlineRule)
    return rule if rule is not None and channel != ONLINE else None


def receive(session: Session, office: Any, *, actor: str = "", entered: dt.date | None = None, **fields: Any) -> Request:
    """Register a request (``fields`` as :func:`request_fields` takes them) and start its
    clocks (reply; the local intake rule if any).

    Registering is the entry into the request platform, so a local intake clock (长宁区
    第四十九条: a request not received online is entered within 2 working days) is met on
    ``entered`` (default today, or the receipt date if that is later) — late if that is after its due date.
    """
    for key, what in (("submitted", "提交"), ("confirmed", "确认")):
        not_future(fields.get(key), what)
    not_future(entered, "录入")
    request = Request(**request_fields(office.registry, **fields))
    if request.ref is not None and (other := ref_taken(session, request.ref)) is not None:
        raise GongkaiError(f"本单位编号“{request.ref}”已用于申请 {other}，同一单位内不能重复（--ref）。")
    from gongkai.core.requests.assignment import initial

    request.assignee = initial(session, office, actor)  # the unit's rule ([cases] assign_new_to), if any
    session.add(request)
    session.flush()
    apply(session, request, "receive", actor,
          {"received": request.received.isoformat(), "channel": request.channel, "track": request.track,
           **({"ref": request.ref} if request.ref else {}),
           **({"assignee": request.assignee} if request.assignee else {})}, to_state="received")
    clock.refresh(session, office, request)
    rule = intake_rule(office.registry, request.channel)
    if rule is not None:
        entered = entered or max(today(), request.received)
        if entered < request.received:
            raise GongkaiError(f"录入日期 {entered} 早于收到日期 {request.received}，请核对 --entered。")
        due = compute(rule, request.received, office.calendar)
        store_deadline(session, OWNER, request.id, "intake", due)
        # late is late: entered after the due date is 逾期办结, as a late reply is
        close_deadline(session, OWNER, request.id, "intake", entered, status="late" if entered > due.due else "met")
    return request
