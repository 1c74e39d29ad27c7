"""Reconsideration and lawsuits against replies, or over silence (不作为) (年度报告 第四部分).

An appeal that overturns the reply (纠正) starts the ``overturned_registration`` clock
where the jurisdiction has that rule (长宁区 第四十九条: registered within one week).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from gongkai.core.time.deadlines import Deadline, compute
from gongkai.core.time.deadline_store import close_deadline, store_deadline
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.requests import tracks
from gongkai.core.requests.models import OWNER, Appeal, Request
from gongkai.core.requests.workflow import apply, check_after, check_date, next_state
from gongkai.core.today import not_future
from gongkai.hookspecs.records import DeadlineRule

KINDS = {
    "reconsideration": "行政复议",
    "lawsuit": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_reconsideration": "行政诉讼（复议后起诉）",
}
# Each decision and the annual report's column it counts in (年度报告格式 第四部分: 结果维持、结果纠正、
# 其他结果、尚未审结; shared/spec/outcomes.md). 复议: 驳回复议请求 (行政复议法 第六十九条) upholds
# the reply as 维持 (第六十八条) does; 撤销、确认违法、责令履行 (第六十四、六十五、六十六条) correct it.
# 诉讼: 驳回诉讼请求 (行政诉讼法 第六十九条) upholds; 撤销 (第七十条)、判决履行 (第七十二条)、
# 确认违法 (第七十四条) correct.
REPORTED_AS = {"维持": "维持", "驳回": "维持", "纠正": "纠正", "撤销": "纠正", "确认违法": "纠正", "责令履行": "纠正",
               "其他": "其他", "尚未审结": "尚未审结"}
RESULTS = tuple(REPORTED_AS)
OVERTURNED = "纠正"
# the decisions that overturn the reply: each starts the registration clock and allows a new answer
OVERTURNING = frozenset(r for r, column in REPORTED_AS.items() if column == OVERTURNED)
REGISTRATION_RULE = "request.overturned_registration"
REGISTRATION_CLOCK = "overturned_registration"


def appeals_of(session: Session, request_id: int) -> list[Appeal]:
    return list(session.exec(select(Appeal).where(Appeal.request_id == request_id).order_by(Appeal.id)).all())


def check_appeal(registry: Any, request: Any, earlier: list[Any], kind: str, filed_on: dt.date,
                 result: str = "尚未审结",
                 decided_on: dt.date | None = None, reconsidered_on: dt.date | None = None) -> None:
    """Every check of registering an appeal and its result, writing nothing. ``request`` and
    ``earlier`` (its appeals so far, in order) may be ORM objects or rows with their columns:
    :func:`record_appeal` and the appeals import both call it."""
    if kind not in KINDS:
        raise GongkaiError(f"救济类型“{kind}”无效（--kind），可选：{'、'.join(f'{k}（{v}）' for k, v in KINDS.items())}")
    tracks.require_government(registry, request.track, "行政复议、行政诉讼", remedy=True)
    next_state(request, "appeal")
    check_date(request, filed_on, "提起复议或诉讼")
    check_after(filed_on, request.replied_on, "提起复议或诉讼", "答复日期")
    reconsiderations = [a for a in earlier if a.kind == "reconsideration"]
    if kind == "lawsuit_after_reconsideration":
        if reconsidered_on is not None:
            not_future(reconsidered_on, "复议决定")
            check_after(filed_on, reconsidered_on, "提起诉讼", "复议决定日期（--reconsidered-on）")
        elif not reconsiderations:
            raise StepRefused("登记复议后起诉，须先登记该申请的行政复议（--kind reconsideration）；"
                              "复议在本系统启用前已办结的，请用 --reconsidered-on 填写复议决定日期。")
        else:
            decided = [a.decided_on for a in reconsiderations if a.decided_on is not None]
            if decided:
                check_after(filed_on, min(decided), "提起诉讼", "复议决定日期")
    elif reconsidered_on is not None:
        raise GongkaiError("--reconsidered-on 只用于复议后起诉（--kind lawsuit_after_reconsideration）。")
    if result != "尚未审结":
        check_decision(filed_on, result, decided_on)


def check_decision(filed_on: dt.date, result: str, decided_on: dt.date | None) -> None:
    """The checks of recording an appeal's result."""
    if result not in RESULTS:
        raise GongkaiError(f"结果“{result}”无效（--result），可选：{'、'.join(RESULTS)}")
    if result != "尚未审结" and decided_on is None:
        raise GongkaiError("已审结的，请用 --decided 填写收到复议决定书或判决书的日期。")
    if decided_on is not None:
        if result == "尚未审结":
            raise GongkaiError("尚未审结的不应填写 --decided；已审结的请用 --result 填写结果。")
        not_future(decided_on, "复议决定或判决")
        check_after(decided_on, filed_on, "复议决定或判决", "提起复议或诉讼的日期")


def record_appeal(session: Session, office: Any, request: Request, kind: str, filed_on: dt.date,
                  result: str = "尚未审结", decided_on: dt.date | None = None, actor: str = "",
                  reconsidered_on: dt.date | None = None, copy_received: dt.date | None = None) -> Appeal:
    """Register a reconsideration or lawsuit: against the reply, or over silence (不作为) while
    the request is unanswered. 复议后起诉 needs the reconsideration: registered on this request,
    or, where it predates the records, its decision date (``reconsidered_on``).

    The one function every path registering an appeal calls (``request appeal``; the appeals
    import checks its rows with the same :func:`check_appeal` and stores them in bulk)."""
    check_appeal(office.registry, request, appeals_of(session, request.id), kind, filed_on, result, decided_on, reconsidered_on)
    appeal = Appeal(request_id=request.id, kind=kind, filed_on=filed_on, over_silence=request.replied_on is None,
                    reconsidered_on=reconsidered_on)
    session.add(appeal)
    session.flush()
    apply(session, request, "appeal", actor, filed_details(appeal))
    if copy_received is not None:
        receive_copy(session, office, request, appeal, copy_received, actor)
    if result != "尚未审结":
        decide(session, office, request, appeal, result, decided_on, actor)
    return appeal


def appeal_of(session: Session, request: Request, appeal_id: int) -> Appeal:
    """One of the request's registered appeals, by its number; refused if it has none such."""
    found = next((a for a in appeals_of(session, request.id) if a.id == appeal_id), None)
    if found is None:
        raise GongkaiError(f"申请 {request.id} 没有编号为 {appeal_id} 的复议或诉讼记录。")
    return found


def decide(session: Session, office: Any, request: Request, appeal: Appeal, result: str, decided_on: dt.date | None,
           actor: str = "") -> None:
    """Record the result; an overturned reply starts the registration clock where a rule requires it."""
    check_decision(appeal.filed_on, result, decided_on)
    before = {"result": appeal.result, "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else None}
    appeal.result = result
    appeal.decided_on = decided_on
    session.add(appeal)
    apply(session, request, "appeal", actor, decided_details(appeal), before=before)
    clock = registration_clock(office, result, decided_on)
    if clock is not None:
        store_deadline(session, OWNER, request.id, REGISTRATION_CLOCK, clock)


def filed_details(appeal: Any) -> dict[str, Any]:
    """What the event of an appeal's registration records (``appeal``: an object or row with its columns)."""
    return {"appeal": appeal.id, "kind": appeal.kind, "filed_on": appeal.filed_on.isoformat(),
            "over_silence": appeal.over_silence,
            "reconsidered_on": appeal.reconsidered_on.isoformat() if appeal.reconsidered_on else None}


def decided_details(appeal: Any) -> dict[str, Any]:
    """What the event of an appeal's result records (the event's ``after``; ``before`` holds pending)."""
    return {"appeal": appeal.id, "result": appeal.result,
            "decided_on": appeal.decided_on.isoformat() if appeal.decided_on else None}


def registration_clock(office: Any, result: str, decided_on: dt.date | None) -> Deadline | None:
    """The clock an overturned reply starts where a rule requires its registration, else None."""
    rule = office.registry.find(REGISTRATION_RULE, DeadlineRule)
    if result not in OVERTURNING or rule is None or decided_on is None:
        return None
    return compute(rule, decided_on, office.calendar)


def register_overturned(session: Session, office: Any, request: Request, on: dt.date, actor: str = "") -> None:
    overturned = [a for a in appeals_of(session, request.id) if a.result in OVERTURNING and a.registered_on is None]
    if not overturned:
        raise StepRefused(f"申请 {request.id} 没有待登记的被纠正答复。")
    check_date(request, on, "登记被纠正答复")
    check_after(on, max(a.decided_on for a in overturned if a.decided_on), "登记被纠正答复", "收到纠正决定的日期")
    for a in overturned:
        a.registered_on = on
        session.add(a)
    close_deadline(session, OWNER, request.id, REGISTRATION_CLOCK, on)
    apply(session, request, "register_overturned", actor, {"on": on.isoformat()})


def appeal_json(a: Appeal, office: Any = None) -> dict[str, Any]:
    due = answer_deadline(office, a) if office is not None else None
    return {"copy_received": a.copy_received.isoformat() if a.copy_received else None,
            "answer_due": due.due.isoformat() if due is not None and due.due is not None else None,
            "answer_rule": due.rule.id if due is not None else None,
            "answered_on": a.answered_on.isoformat() if a.answered_on else None,
            "hearing_on": a.hearing_on.isoformat() if a.hearing_on else None,
            "head_appeared": a.head_appeared,
            "id": a.id, "kind": a.kind, "kind_name": KINDS[a.kind], "filed_on": a.filed_on.isoformat(),
            "result": a.result, "decided_on": a.decided_on.isoformat() if a.decided_on else None,
            "registered_on": a.registered_on.isoformat() if a.registered_on else None,
            "over_silence": a.over_silence,
            "reconsidered_on": a.reconsidered_on.isoformat() if a.reconsidered_on else None}


# --------------------------------------------------------------------------- the unit as respondent

ANSWER_CLOCK = "appeal_answer"
# the rule timing the answer (复议答复) or the defence with the evidence (答辩、举证), by kind
ANSWER_RULES = {"reconsideration": "appeal.reconsideration_answer", "lawsuit": "appeal.lawsuit_defence",
                "lawsuit_after_reconsideration": "appeal.lawsuit_defence"}
LAWSUITS = ("lawsuit", "lawsuit_after_reconsideration")


def answer_rule(office: Any, kind: str) -> DeadlineRule | None:
    """The jurisdiction's rule for the answer to an appeal of ``kind`` (a plugin may replace it)."""
    return office.registry.find(ANSWER_RULES[kind], DeadlineRule)


def answer_deadline(office: Any, appeal: Any) -> Deadline | None:
    """The answer clock of an appeal whose copy was received, else None."""
    rule = answer_rule(office, appeal.kind)
    if rule is None or appeal.copy_received is None:
        return None
    return compute(rule, appeal.copy_received, office.calendar)


def pick(session: Session, request: Request, appeal_id: int | None = None) -> Appeal:
    """The appeal numbered ``appeal_id``, or the request's latest; refused if it has none."""
    if appeal_id is not None:
        return appeal_of(session, request, appeal_id)
    found = appeals_of(session, request.id)
    if not found:
        raise StepRefused(f"申请 {request.id} 尚未登记行政复议或行政诉讼。")
    return found[-1]


def receive_copy(session: Session, office: Any, request: Request, appeal: Appeal, on: dt.date, actor: str = "") -> Deadline:
    """The copy of the application for reconsideration (or of the complaint) received on ``on``:
    the answer clock starts (复议 行政复议法 第四十八条; 诉讼 行政诉讼法 第六十七条)."""
    not_future(on, "收到复议申请书或起诉状副本")
    check_after(on, appeal.filed_on, "收到复议申请书或起诉状副本", "提起复议或诉讼的日期")
    if appeal.answered_on is not None:
        raise StepRefused(f"复议或诉讼 {appeal.id} 已于 {appeal.answered_on} 提交答复，不能再更改收到副本的日期。")
    rule = answer_rule(office, appeal.kind)
    if rule is None:
        raise GongkaiError(f"本辖区规则未规定{KINDS[appeal.kind]}的答复期限，无法计时。")
    before = {"appeal": appeal.id, "copy_received": appeal.copy_received.isoformat() if appeal.copy_received else None}
    appeal.copy_received = on
    session.add(appeal)
    clock = compute(rule, on, office.calendar)
    store_deadline(session, OWNER, request.id, ANSWER_CLOCK, clock)
    apply(session, request, "appeal_copy", actor, {"appeal": appeal.id, "copy_received": on.isoformat(),
                                                   "answer_due": clock.due.isoformat() if clock.due else None},
          before=before)
    return clock


def answered(session: Session, office: Any, request: Request, appeal: Appeal, on: dt.date, actor: str = "") -> None:
    """The written answer (or defence) and the evidence submitted on ``on``: the answer clock closes."""
    if appeal.copy_received is None:
        raise StepRefused(f"复议或诉讼 {appeal.id} 尚未登记收到副本的日期（request appeal --copy-received），无从计时。")
    not_future(on, "提交答复")
    check_after(on, appeal.copy_received, "提交答复", "收到副本的日期")
    if appeal.answered_on is not None:
        raise StepRefused(f"复议或诉讼 {appeal.id} 已于 {appeal.answered_on} 登记提交答复。")
    due = answer_deadline(office, appeal)
    appeal.answered_on = on
    session.add(appeal)
    late = due is not None and due.due is not None and on > due.due
    close_deadline(session, OWNER, request.id, ANSWER_CLOCK, on, status="late" if late else "met")
    apply(session, request, "appeal_answered", actor, {"appeal": appeal.id, "answered_on": on.isoformat()},
          before={"appeal": appeal.id, "answered_on": None})


def record_hearing(session: Session, office: Any, request: Request, appeal: Appeal, on: dt.date | None,
                   head_appeared: bool | None, actor: str = "") -> None:
    """A lawsuit's court hearing (开庭) and whether the unit's head appeared in court
    (行政机关负责人出庭应诉, 行政诉讼法 第三条第三款)."""
    if appeal.kind not in LAWSUITS:
        raise GongkaiError("开庭和负责人出庭应诉只用于行政诉讼。")
    if on is None and head_appeared is None:
        raise GongkaiError("请给出开庭日期（--hearing）或负责人是否出庭（--head-appeared / --head-absent）。")
    if on is not None:
        not_future(on, "开庭")
        check_after(on, appeal.filed_on, "开庭", "起诉日期")
    before = {"appeal": appeal.id, "hearing_on": appeal.hearing_on.isoformat() if appeal.hearing_on else None,
              "head_appeared": appeal.head_appeared}
    if on is not None:
        appeal.hearing_on = on
    if head_appeared is not None:
        appeal.head_appeared = head_appeared
    session.add(appeal)
    apply(session, request, "appeal_hearing", actor,
          {"appeal": appeal.id, "hearing_on": appeal.hearing_on.isoformat() if appeal.hearing_on else None,
           "head_appeared": appeal.head_appeared}, before=before)
