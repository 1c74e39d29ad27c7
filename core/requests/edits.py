"""Correcting the registered facts of a request (an applicant's name typed wrong, the subject,
the contact, the channel...) with a reason. Each edit is one event with the values before and
after; a change of the receipt date (条例 第三十一条) recomputes the reply clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from gongkai.core.time.deadline_store import close_deadline
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.requests import clock, intake
from gongkai.core.requests.models import OWNER, Request, ReviewAction
from gongkai.core.requests.workflow import apply
from gongkai.core.today import not_future

# the keyword of edit() -> the column of Request it corrects
FIELDS = {
    "applicant": "applicant_name", "applicant_type": "applicant_type", "id_number": "applicant_id_number",
    "contact": "applicant_contact", "channel": "channel", "submitted": "submitted", "confirmed": "confirmed",
    "subject": "subject", "form_wanted": "form_wanted",
}
LABELS = {  # the changed columns, for messages
    "applicant_name": "申请人姓名或名称", "applicant_type": "申请人类型", "applicant_id_number": "证件号码",
    "applicant_contact": "联系方式", "channel": "提交渠道", "submitted": "提交日期", "confirmed": "确认日期",
    "subject": "申请内容", "form_wanted": "获取信息的方式", "received": "收到日期", "period_start": "答复期限起算日",
}


def _value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, dt.date) else v


def first_step_on(session: Session, request: Request) -> dt.date | None:
    """The earliest date of anything done on the request after its receipt."""
    dates = [d for d in (request.replied_on, request.reasons_asked_on) if d]
    dates += [c.notice_on for c in [clock.correction_of(session, request.id)] if c]
    dates += [p.start for p in clock.pauses_of(session, request.id)]
    dates += [e.approved_on for e in clock.extensions_of(session, request.id)]
    dates += list(session.exec(select(ReviewAction.on).where(ReviewAction.request_id == request.id)).all())
    return min(dates, default=None)


def edit(session: Session, office: Any, request: Request, *, reason: str, actor: str = "", **changes: Any) -> dict[str, Any]:
    """Correct the given facts (keywords of :data:`FIELDS`, None: unchanged); returns
    ``{"before", "after"}`` of what changed. Every value is checked as at intake."""
    if not reason.strip():
        raise GongkaiError("更正登记信息须说明理由（--reason），如“申请人姓名录入错误”。")
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise GongkaiError(f"不能更正的字段：{'、'.join(unknown)}。")
    given = {k: v for k, v in changes.items() if v is not None}
    if not given:
        raise GongkaiError("请至少给出一项要更正的内容（如 --applicant、--subject、--contact、--channel）。")
    for key in ("submitted", "confirmed"):
        not_future(given.get(key), "提交或确认")
    current = {key: getattr(request, column) for key, column in FIELDS.items()}
    fields = intake.request_fields(office.registry, **{**current, **given})
    before, after = {}, {}
    for key, column in FIELDS.items():
        if fields[column] != getattr(request, column):
            before[column], after[column] = _value(getattr(request, column)), _value(fields[column])
    received = fields["received"]
    if received != request.received:
        first = first_step_on(session, request)
        if first is not None and received > first:
            raise StepRefused(f"更正后的收到日期 {received} 晚于本申请已办理的事项（{first}），请核对日期。")
        before["received"], after["received"] = request.received.isoformat(), received.isoformat()
        if request.period_start == request.received:  # the period runs from receipt (no restart since)
            before["period_start"], after["period_start"] = request.period_start.isoformat(), received.isoformat()
            request.period_start = received
        request.received = received
    if not after:
        raise GongkaiError("给出的内容与现有登记相同，没有需要更正的内容。")
    for key, column in FIELDS.items():
        setattr(request, column, fields[column])
    apply(session, request, "edit", actor, {**after, "reason": reason.strip()}, before=before)
    if "received" in after:
        due = clock.refresh(session, office, request).due
        if request.state in ("replied", "closed", "amending"):
            late = due is not None and request.replied_on > due
            close_deadline(session, OWNER, request.id, "reply", request.replied_on, status="late" if late else "met")
    return {"before": before, "after": after}
