"""The request's state machine: an explicit table of state × event → next state.

Modelled on the UK MoJ correspondence tool: every step is an event; an event not in the
table for the current state is refused with the state named. Guards that depend on rules
(the review chain, the extension bound...) live in the modules that own those rules and
raise :class:`StepRefused` naming the rule or step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from gongkai.core.errors import GongkaiError, NotFound, StepRefused
from gongkai.core.requests.models import OWNER, Request
from gongkai.core.records.storage import record_event
from gongkai.core.today import not_before, not_future

STATES: dict[str, str] = {
    "received": "已接收",
    "correction_pending": "待补正",
    "processing": "办理中",
    "paused": "中止计时",
    "reviewing": "审核中",
    "replied": "已答复",
    "closed": "已办结归档",
    "abandoned": "视为放弃",
    "withdrawn": "申请人撤回",
    # a corrected reply (更正答复) going through the review chain; the reply in force stands until it issues
    "amending": "更正答复审核中",
}
OPEN_STATES = ("received", "correction_pending", "processing", "paused", "reviewing")

_ACTIVE = ("received", "processing", "reviewing")
# event -> {from state: to state}; None keeps the state. Role: who may fire it.
TRANSITIONS: dict[str, tuple[str, dict[str, str | None]]] = {
    "notify_correction": ("承办人", {"received": "correction_pending", "processing": "correction_pending"}),
    "corrected": ("承办人", {"correction_pending": "processing"}),
    "abandon": ("承办人", {"correction_pending": "abandoned"}),
    "pause": ("承办人", {s: "paused" for s in _ACTIVE}),
    "resume": ("承办人", {"paused": "processing"}),
    "extend": ("政府信息公开工作机构负责人", {s: None for s in (*_ACTIVE, "paused")}),
    "ask_reasons": ("承办人", {s: None for s in _ACTIVE}),
    "set_later_due": ("承办人", {s: None for s in _ACTIVE}),
    # on a replied or closed request a step before the reply opens a correction's review (amend)
    "review": ("审核人", {**{s: "reviewing" for s in _ACTIVE}, "replied": None, "closed": "amending",
                        "amending": None}),
    "reply": ("承办人", {s: "replied" for s in _ACTIVE}),
    "fee": ("承办人", {s: None for s in (*_ACTIVE, "paused")}),
    "close": ("承办人", {"replied": "closed"}),
    # an appeal may also be over silence (不作为): no reply came
    "appeal": ("承办人", {s: None for s in (*OPEN_STATES, "replied", "closed", "amending")}),
    "register_overturned": ("承办人", {s: None for s in (*OPEN_STATES, "replied", "closed", "amending")}),
    # the unit as respondent: the copy received, the answer submitted, the court hearing
    **{e: ("承办人", {s: None for s in (*OPEN_STATES, "replied", "closed", "amending")})
       for e in ("appeal_copy", "appeal_answered", "appeal_hearing")},
    "amend": ("承办人", {"replied": None, "closed": None, "amending": "replied"}),
    # a 纠正 decision orders a new answer: a replied request reopens; an unanswered one
    # (an appeal over silence) gets the new period
    "reanswer": ("承办人", {"replied": "processing", "closed": "processing", "amending": "processing",
                         **{s: None for s in OPEN_STATES}}),
    "withdraw": ("承办人", {s: "withdrawn" for s in OPEN_STATES}),
    "edit": ("承办人", {s: None for s in STATES}),
}

EVENT_NAMES = {
    "notify_correction": "告知补正",
    "corrected": "收到补正",
    "abandon": "逾期未补正视为放弃",
    "pause": "中止计时",
    "resume": "恢复计时",
    "consult": "征求意见（不中止计时）",
    "consult_answered": "征求意见期满或收到意见",
    "extend": "延长答复期限",
    "ask_reasons": "要求说明理由",
    "set_later_due": "确定延迟答复期限",
    "review": "审核",
    "reply": "答复",
    "fee": "核定信息处理费",
    "close": "办结归档",
    "appeal": "登记复议诉讼",
    "register_overturned": "登记被纠正答复",
    "appeal_copy": "收到复议申请书或起诉状副本",
    "appeal_answered": "提交复议答复或答辩状及证据",
    "appeal_hearing": "登记开庭及负责人出庭",
    "amend": "更正答复",
    "reanswer": "重新答复",
    "withdraw": "登记申请人撤回",
    "edit": "更正登记信息",
    # events that move no state (workflow.apply with to_state=the state it is in)
    "assign": "分办（确定承办人）",
    "comment": "办理意见",
    "notice": "出具告知书",
}


def next_state_after(state: str, event: str) -> str:
    """The state ``event`` leads to from ``state`` (which must allow it)."""
    return TRANSITIONS[event][1][state] or state


def next_state(request: Request, event: str) -> str:
    """The state ``event`` leads to from the request's state; refused if not allowed."""
    _, moves = TRANSITIONS[event]
    if request.state not in moves:
        allowed = "、".join(STATES[s] for s in moves)
        raise StepRefused(
            f"申请 {request.id} 当前状态为“{STATES[request.state]}”，不能{EVENT_NAMES[event]}"
            f"（仅限：{allowed}）。"
        )
    return next_state_after(request.state, event)


def load(session: Session, request_id: int | str) -> Request:
    """A request by gongkai's 编号 (a number) or by the unit's own reference (any other text)."""
    if isinstance(request_id, str) and not request_id.strip().isdigit():
        from sqlmodel import select

        request = session.exec(select(Request).where(Request.ref == request_id.strip())).first()
        if request is None:
            raise GongkaiError(f"没有本单位编号为“{request_id}”的申请。请用 `gongkai ledger --ref` 查找。")
        return request
    request = session.get(Request, int(request_id))
    if request is None:
        raise NotFound(f"没有编号为 {request_id} 的申请。请用 `gongkai ledger` 查看已登记的申请。")
    return request


def apply(session: Session, request: Request, event: str, actor: str, details: dict[str, Any] | None = None,
          to_state: str | None = None, before: dict[str, Any] | None = None) -> None:
    """Move ``request`` by ``event`` and append the event in the same transaction: ``before``
    holds the values the step replaced, ``details`` the new ones (with the state and version)."""
    new_state = to_state or next_state(request, event)
    before = {**(before or {}), "state": request.state, "version": request.version}
    request.state = new_state
    request.version += 1
    session.add(request)
    session.flush()
    record_event(
        session,
        subject_kind=OWNER,
        subject_id=request.id,
        action=event,
        actor=actor,
        before=before,
        after={"state": new_state, "version": request.version, **(details or {})},
    )


def check_date(request: Request, on: dt.date, what: str) -> None:
    """A step's date: not before the request was received, not after today."""
    if on < request.received:
        raise GongkaiError(f"{what}日期 {on} 早于收到申请之日 {request.received}，请核对日期。")
    not_future(on, what)


def check_after(on: dt.date, earlier: dt.date | None, what: str, earlier_what: str) -> None:
    """A step is not dated before the step it depends on."""
    not_before(on, earlier, what, earlier_what)
