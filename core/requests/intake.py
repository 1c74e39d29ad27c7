"""Intake: who asks for what, through which channel, and the receipt date (条例 第三十一条)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from gongkai.core.deadlines import compute
from gongkai.core.deadline_store import store_deadline
from gongkai.core.errors import GongkaiError
from gongkai.core.outcomes import APPLICANT_TYPES
from gongkai.core.requests import clock
from gongkai.core.requests.models import OWNER, Request
from gongkai.core.requests.workflow import apply
from gongkai.hookspecs.records import ChannelReceipt, DeadlineRule, ReceiptRule

ONLINE = "online"  # the channel a request platform receives directly


def channels(registry: Any) -> list[ChannelReceipt]:
    return list(registry.rule("request.receipt_date", ReceiptRule).channels)


def channel_code(registry: Any, value: str) -> ChannelReceipt:
    """A channel by code or Chinese name; a clear error listing the choices."""
    for ch in channels(registry):
        if value in (ch.channel, ch.name):
            return ch
    choices = "、".join(f"{c.channel}（{c.name}）" for c in channels(registry))
    raise GongkaiError(f"渠道“{value}”无效（--channel），可选：{choices}")


def applicant_type_code(value: str) -> str:
    for t in APPLICANT_TYPES:
        if value in (t.code, t.label, f"{t.group}{t.label}"):
            return t.code
    choices = "、".join(f"{t.code}（{t.label}）" for t in APPLICANT_TYPES)
    raise GongkaiError(f"申请人类型“{value}”无效（--applicant-type），可选：{choices}")


def receipt_date(registry: Any, channel: str, submitted: dt.date, confirmed: dt.date | None) -> dt.date:
    """The day the request counts as received, per the channel (条例 第三十一条)."""
    ch = channel_code(registry, channel)
    if ch.received_on == "submitted":
        return submitted
    if confirmed is None:
        raise GongkaiError(
            f"“{ch.name}”提交的申请以双方确认之日为收到申请之日（条例 第三十一条），请用 --confirmed 填写确认日期。"
        )
    if confirmed < submitted:
        raise GongkaiError(f"确认日期 {confirmed} 早于提交日期 {submitted}，请核对 --confirmed。")
    return confirmed


def receive(
    session: Session,
    office: Any,
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
    actor: str = "",
) -> Request:
    """Register a request and start its clocks (reply; the local intake rule if any)."""
    registry = office.registry
    if not applicant.strip():
        raise GongkaiError("申请人姓名或名称不能为空（--applicant）。")
    if not subject.strip():
        raise GongkaiError("申请公开的政府信息内容不能为空（--subject）。")
    ch = channel_code(registry, channel)
    received = receipt_date(registry, ch.channel, submitted, confirmed)
    request = Request(
        applicant_name=applicant.strip(),
        applicant_type=applicant_type_code(applicant_type),
        applicant_id_number=id_number,
        applicant_contact=contact,
        channel=ch.channel,
        submitted=submitted,
        confirmed=confirmed,
        received=received,
        subject=subject.strip(),
        form_wanted=form_wanted,
        period_start=received,
    )
    session.add(request)
    session.flush()
    apply(session, request, "receive", actor, {"received": received.isoformat(), "channel": ch.channel},
          to_state="received")
    clock.refresh(session, office, request)
    # 长宁区 第四十九条: non-online requests are entered into the platform within 2 WD
    intake_rule = registry.find("request.intake", DeadlineRule)
    if intake_rule is not None and ch.channel != ONLINE:
        store_deadline(session, OWNER, request.id, "intake", compute(intake_rule, received, office.calendar))
    return request
