"""The reply clock: correction restarts, pauses, consultations, extensions, 第三十五条.

Every clock is a :class:`StoredDeadline` row of the request (``reply``, ``correction``,
``third_party_opinion``, ``agency_opinion``...), recomputed from the stored facts after
each change, so the digest and the calendar recompute see them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlmodel import Session, select

from gongkai.core.time import deadlines
from gongkai.core.time.deadline_store import close_deadline, store_deadline
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.requests import tracks
from gongkai.core.requests.models import OWNER, Correction, Extension, Pause, Request
from gongkai.core.requests.workflow import apply, check_after, check_date
from gongkai.hookspecs.records import DeadlineRule, Unit, cite

# pause reason -> (Chinese name, the consultation rule that times it, its clock name)
PAUSE_REASONS: dict[str, tuple[str, str | None, str | None]] = {
    "third_party": ("征求第三方意见", "request.third_party_opinion", "third_party_opinion"),
    "other_agency": ("征求其他行政机关意见", "request.agency_opinion", "agency_opinion"),
    "force_majeure": ("不可抗力等法定事由", None, None),
    # 国办函〔2020〕109号: from the fee notice to the payment the period does not run (the
    # fee notice says so); the pause's end is the day the fee was paid
    "fee": ("收费通知至缴费", None, None),
}
SILENCE_NAMES = {"agency_decides": "由行政机关依法决定", "consent": "视为同意公开", "refusal": "视为不同意公开"}
FORCE_MAJEURE_RULE = "request.force_majeure"


def pauses_of(session: Session, request_id: int) -> list[Pause]:
    return list(session.exec(select(Pause).where(Pause.request_id == request_id).order_by(Pause.id)).all())


def extensions_of(session: Session, request_id: int) -> list[Extension]:
    return list(session.exec(select(Extension).where(Extension.request_id == request_id).order_by(Extension.id)).all())


def correction_of(session: Session, request_id: int) -> Correction | None:
    return session.exec(select(Correction).where(Correction.request_id == request_id)).first()


def fee_paid_on(pauses: list[Any]) -> dt.date | None:
    """The day the information-processing fee was paid: the end of the fee pause, if any (a pause
    ended because the fee was not paid in time is ``FEE_UNPAID`` in the engine's pauses)."""
    return next((p.end for p in reversed(pauses) if p.reason == "fee"), None)


FEE_UNPAID = "fee_unpaid"  # the engine's name of a fee pause that ended unpaid (逾期未缴费)
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号: 收到收费通知次日起20个工作日内缴纳


def engine_pause(p: Pause) -> deadlines.Pause:
    unpaid = p.reason == "fee" and p.answered is False
    return deadlines.Pause(p.start, p.end, FEE_UNPAID if unpaid else p.reason)


def engine_pauses(pauses: list[Pause]) -> list[deadlines.Pause]:
    return [engine_pause(p) for p in pauses]


REANSWER_DAYS = 20  # 条例 第三十三条: the period for a new answer unless the 纠正 decision sets one


def reply_rule(office: Any, request: Request) -> DeadlineRule:
    """The rule the reply clock runs on: a re-answer's period (重新答复), else the reply rule."""
    if request.reanswer_days is None:
        return office.registry.deadline(tracks.rule_id(office.registry, request.track, "request.reply"))
    return DeadlineRule(id="request.reanswer", summary=f"复议或诉讼决定纠正后，{request.reanswer_days}个工作日内重新答复",
                        citation=cite("条例", "第三十三条"), unit="working_days", amount=request.reanswer_days)


def reply_deadline(session: Session, office: Any, request: Request) -> deadlines.Deadline:
    """The reply deadline from the period start, net of pauses, plus any extension."""
    rule = reply_rule(office, request)
    granted = extensions_of(session, request.id)
    pauses = pauses_of(session, request.id)
    if request.reanswer_days is not None:  # a re-answer's clock: only what happened since it started
        granted = [e for e in granted if e.approved_on >= request.period_start]
        pauses = [p for p in pauses if p.start >= request.period_start]
    extension = None
    if granted:
        extension = deadlines.Extension(sum(e.amount for e in granted), Unit(granted[0].unit))
    result = deadlines.compute(rule, request.period_start, office.calendar,
                               pauses=engine_pauses(pauses), extension=extension)
    if request.later_due is not None and result.due is not None and request.later_due > result.due:
        # 条例 第三十五条: a reasonable later deadline replaces the statutory one
        offset = office.calendar.working_days_between(request.period_start, request.later_due)
        result = deadlines.Deadline(rule, request.period_start, request.later_due, None,
                                    provisional=office.calendar.is_provisional(request.later_due), offset=offset)
    return result


def refresh(session: Session, office: Any, request: Request) -> deadlines.Deadline:
    """Recompute and store the reply clock (stopped while a correction is awaited)."""
    result = reply_deadline(session, office, request)
    if request.state == "correction_pending":
        result = deadlines.Deadline(result.rule, result.start, None, None, result.provisional, paused=True)
    store_deadline(session, OWNER, request.id, "reply", result)
    return result


# --------------------------------------------------------------------------- correction (条例 第三十条)


def _period_rule(days: int) -> DeadlineRule:
    return DeadlineRule(id="request.correction_period", summary=f"申请人在{days}个工作日内补正",
                        citation=cite("条例", "第三十条"), unit="working_days", amount=days)


def notify_correction(session: Session, office: Any, request: Request, notice_on: dt.date, period_days: int,
                      actor: str = "", what: str = "") -> Correction:
    """Tell the applicant once what to correct; refused after the 7-WD notice period. ``what``
    (the items to supplement) is recorded: the notice made later, and the applicant at /track,
    read it there."""
    from gongkai.core.records import limits
    from gongkai.core.records.limits import check_text

    check_date(request, notice_on, "补正告知")
    check_text(what, limits.TEXT_CHARS, "需要补正的事项")
    if period_days <= 0:
        raise GongkaiError("补正期限必须为正数（--period-days，单位：工作日）。")
    if correction_of(session, request.id) is not None:
        raise StepRefused("补正只能一次性告知（条例 第三十条），本申请已告知过补正。")
    tracks.require_government(office.registry, request.track, "《条例》第三十条的补正告知（申请内容不明确的，以办理结果告知更改、补充）")
    rule = office.registry.deadline("request.correction_notice")
    notice = deadlines.compute(rule, request.received, office.calendar)
    if notice_on > notice.due:
        raise StepRefused(
            f"补正告知应在收到申请之日起{rule.describe()}内（{notice.due} 前）作出（{rule.id}，{rule.citation}），"
            f"{notice_on} 已逾期，不能再要求补正。"
        )
    store_deadline(session, OWNER, request.id, "correction_notice", notice)
    close_deadline(session, OWNER, request.id, "correction_notice", notice_on)
    period = deadlines.compute(_period_rule(period_days), notice_on, office.calendar)
    correction = Correction(request_id=request.id, notice_on=notice_on, period_days=period_days, due=period.due)
    session.add(correction)
    store_deadline(session, OWNER, request.id, "correction", period)
    apply(session, request, "notify_correction", actor,
          {"notice_on": notice_on.isoformat(), "correction_due": period.due.isoformat(),
           **({"what": what.strip()} if what.strip() else {})})  # the notice made later says it again
    refresh(session, office, request)
    return correction


def corrected(session: Session, office: Any, request: Request, on: dt.date, good_reason: str = "",
              actor: str = "") -> None:
    """The corrected request arrived: the reply period starts again from ``on``."""
    correction = correction_of(session, request.id)
    if correction is None or request.state != "correction_pending":
        raise StepRefused(f"申请 {request.id} 没有待补正的告知，不能登记补正。")
    if on < correction.notice_on:
        raise GongkaiError(f"补正日期 {on} 早于补正告知日期 {correction.notice_on}，请核对 --on。")
    check_date(request, on, "收到补正")
    if on > correction.due and not good_reason:
        raise StepRefused(
            f"补正期限已于 {correction.due} 届满（条例 第三十条），逾期补正须说明正当理由（--good-reason）；"
            f"无正当理由的，请用 `gongkai request abandon {request.id}` 按视为放弃申请办理。"
        )
    correction.corrected_on = on
    correction.good_reason = good_reason
    session.add(correction)
    close_deadline(session, OWNER, request.id, "correction", on)
    request.period_start = on  # 条例 第三十条: 答复期限自收到补正的申请之日起计算
    apply(session, request, "corrected", actor, {"corrected_on": on.isoformat(), "period_start": on.isoformat()})
    refresh(session, office, request)


def abandon(session: Session, office: Any, request: Request, on: dt.date, actor: str = "") -> None:
    """The correction period lapsed: the request counts as abandoned (other.no_correction)."""
    correction = correction_of(session, request.id)
    if correction is None or request.state != "correction_pending":
        raise StepRefused(f"申请 {request.id} 没有待补正的告知，不能按逾期不补正处理。")
    if on <= correction.due:
        raise StepRefused(f"补正期限至 {correction.due} 才届满（条例 第三十条），{on} 尚不能视为放弃申请。")
    check_date(request, on, "认定视为放弃")
    request.outcome = "other.no_correction"
    request.replied_on = on
    request.reasons = "申请人无正当理由逾期不补正，视为放弃申请，本机关不再处理该政府信息公开申请。"
    request.legal_basis = "条例 第三十条"
    close_deadline(session, OWNER, request.id, "correction", on, status="lapsed")
    close_deadline(session, OWNER, request.id, "reply", on, status="cancelled")
    apply(session, request, "abandon", actor, {"outcome": request.outcome, "on": on.isoformat()})


# --------------------------------------------------------------------------- pauses (条例 第三十二、三十四条)


def force_majeure_rule(registry: Any, track: str | None = None) -> Any:
    """The rule that lets force majeure stop the clock on this track, or None: the 条例 has none;
    a jurisdiction marks its extension rule ``pausable`` (五原县 依申请公开制度 五, on its 党务公开
    track: 时限中止，待障碍消除后恢复计算) or gives a ``request.force_majeure`` rule."""
    rule = registry.find(tracks.rule_id(registry, track, FORCE_MAJEURE_RULE))
    if rule is not None:
        return rule
    extension = registry.find(tracks.rule_id(registry, track, "request.extension"), DeadlineRule)
    return extension if extension is not None and extension.pausable else None


def pause(session: Session, office: Any, request: Request, reason: str, on: dt.date, note: str = "",
          actor: str = "") -> Pause:
    if reason not in PAUSE_REASONS:
        raise GongkaiError(f"暂停原因“{reason}”无效（--reason），可选：{'、'.join(PAUSE_REASONS)}")
    check_date(request, on, "中止计时")
    if on < request.period_start:
        raise GongkaiError(f"中止日期 {on} 早于答复期限起算日 {request.period_start}，请核对 --on。")
    name, rule_id, clock_name = PAUSE_REASONS[reason]
    if reason == "fee" and not request.fee_amount:
        raise StepRefused(f"申请 {request.id} 未核定信息处理费（或应收金额为0），不能按收费通知中止计时。"
                          "请先用 `gongkai request fee` 核定。")
    if reason == "force_majeure" and force_majeure_rule(office.registry, request.track) is None:
        raise StepRefused(
            f"{office.registry.jurisdiction.display_name}的规则未规定因不可抗力中止答复期限"
            "（条例 第三十三条只允许征求意见时间不计入期限），不能以不可抗力中止计时。"
        )
    current = reply_deadline(session, office, request)
    if rule_id:
        rule = office.registry.deadline(tracks.rule_id(office.registry, request.track, rule_id))
        if rule.runs_alongside:
            # the consultation is timed, the reply clock runs on (no Pause row)
            store_deadline(session, OWNER, request.id, clock_name, deadlines.compute(rule, on, office.calendar))
            apply(session, request, "consult", actor, {"reason": reason, "on": on.isoformat()},
                  to_state=request.state)
            return None
    if current.due is not None and on > current.due:
        raise StepRefused(f"答复期限已于 {current.due} 届满，{on} 不能再中止计时。")
    row = Pause(request_id=request.id, reason=reason, start=on, note=note)
    session.add(row)
    if rule_id:
        rule = office.registry.deadline(tracks.rule_id(office.registry, request.track, rule_id))
        store_deadline(session, OWNER, request.id, clock_name, deadlines.compute(rule, on, office.calendar))
    apply(session, request, "pause", actor, {"reason": reason, "on": on.isoformat()})
    refresh(session, office, request)
    return row


def resume(session: Session, office: Any, request: Request, on: dt.date, no_answer: bool = False,
           actor: str = "", unpaid: bool = False) -> Pause:
    """Restart the clock. ``no_answer``: the consulted party kept silent; the rule says what that means."""
    open_pause = next((p for p in pauses_of(session, request.id) if p.end is None), None)
    if open_pause is None and not unpaid:
        consultation = _running_consultation(session, office, request)
        if consultation is not None:
            return _consultation_answered(session, office, request, consultation, on, no_answer, actor)
    if open_pause is None or request.state != "paused":
        raise StepRefused(f"申请 {request.id} 未中止计时，不能恢复。")
    if on < open_pause.start:
        raise GongkaiError(f"恢复日期 {on} 早于中止日期 {open_pause.start}，请核对 --on。")
    check_date(request, on, "恢复计时")
    if unpaid != (open_pause.reason == "fee" and (unpaid or no_answer)):
        raise GongkaiError("逾期未缴费只适用于收费通知至缴费的中止计时。" if unpaid else
                           "收费通知后逾期未缴费的，请登记为逾期未缴费（而非逾期未提出意见）。")
    no_answer = no_answer or unpaid
    _, rule_id, clock_name = PAUSE_REASONS[open_pause.reason]
    details: dict[str, Any] = {"on": on.isoformat(), "reason": open_pause.reason}
    if rule_id:
        rule = office.registry.deadline(tracks.rule_id(office.registry, request.track, rule_id))
        if no_answer:
            due = deadlines.compute(rule, open_pause.start, office.calendar).due
            if on <= due:
                raise StepRefused(f"征求意见期限至 {due} 才届满（{rule.id}，{rule.citation}），尚不能按逾期未提出意见处理。")
            open_pause.answered = False
            open_pause.silence_means = rule.on_silence.value if rule.on_silence else ""
            details["silence"] = open_pause.silence_means
        else:
            open_pause.answered = True
        close_deadline(session, OWNER, request.id, clock_name, on, status="lapsed" if no_answer else "met")
    elif no_answer and open_pause.reason == "fee":
        # 逾期未缴费: the applicant did not pay within the 20 working days; the pause ends (the
        # request is then answered 其他处理（逾期未缴纳信息处理费）) and no fee was collected
        pay_by = office.calendar.add_working_days(open_pause.start, FEE_PAYMENT_DAYS)
        if on <= pay_by:
            raise StepRefused(f"缴费期限至 {pay_by} 才届满（自收费通知之日起{FEE_PAYMENT_DAYS}个工作日，"
                              "国办函〔2020〕109号），尚不能按逾期未缴费处理。")
        open_pause.answered = False
        details["unpaid"] = True
    elif no_answer:
        raise GongkaiError("逾期未提出意见只适用于征求意见（征求第三方意见、征求其他行政机关意见），"
                           "逾期未缴费只适用于收费通知至缴费的中止。")
    open_pause.end = on
    session.add(open_pause)
    done = any(a for a in _live_reviews(session, request.id))
    apply(session, request, "resume", actor, details, to_state="reviewing" if done else "processing")
    refresh(session, office, request)
    return open_pause


def _running_consultation(session: Session, office: Any, request: Request) -> tuple[str, DeadlineRule, Any] | None:
    """The open consultation clock whose rule runs alongside the reply clock, if any."""
    from gongkai.core.time.deadline_store import StoredDeadline

    for reason, (_, rule_id, clock_name) in PAUSE_REASONS.items():
        if not rule_id:
            continue
        rule = office.registry.find(tracks.rule_id(office.registry, request.track, rule_id), DeadlineRule)
        if rule is None or not rule.runs_alongside:
            continue
        row = session.exec(select(StoredDeadline).where(
            StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id == request.id,
            StoredDeadline.name == clock_name, StoredDeadline.status == "open")).first()
        if row is not None:
            return clock_name, rule, row
    return None


def _consultation_answered(session: Session, office: Any, request: Request, consultation: Any, on: dt.date,
                           no_answer: bool, actor: str) -> None:
    """A consultation that ran alongside the reply clock ends: answered, or its period lapsed."""
    clock_name, rule, row = consultation
    check_date(request, on, "收到意见")
    details: dict[str, Any] = {"on": on.isoformat(), "clock": clock_name}
    if no_answer:
        due = row.due
        if due is not None and on <= due:
            raise StepRefused(f"征求意见期限至 {due} 才届满（{rule.id}，{rule.citation}），尚不能按逾期未提出意见处理。")
        details["silence"] = rule.on_silence.value if rule.on_silence else ""
    close_deadline(session, OWNER, request.id, clock_name, on, status="lapsed" if no_answer else "met")
    apply(session, request, "consult_answered", actor, details, to_state=request.state)
    return None


def _live_reviews(session: Session, request_id: int) -> list[Any]:
    from gongkai.core.requests.models import ReviewAction

    return list(session.exec(select(ReviewAction).where(ReviewAction.request_id == request_id,
                                                        ReviewAction.superseded == False)).all())  # noqa: E712


# --------------------------------------------------------------------------- extension (条例 第三十三条)


def extend(session: Session, office: Any, request: Request, amount: int, approved_by: str, on: dt.date,
           told_on: dt.date | None = None, months: bool = False, actor: str = "", reason: str = "") -> Extension:
    """Extend the reply period, bounded by ``request.extension``; refused if too long or repeated."""
    rule = office.registry.deadline(tracks.rule_id(office.registry, request.track, "request.extension"))
    if not approved_by.strip():
        raise GongkaiError("延长答复期限须经政府信息公开工作机构负责人同意，请用 --approved-by 填写批准人。")
    check_date(request, on, "延期批准")
    if told_on is not None:
        check_date(request, told_on, "告知申请人延期")
        check_after(told_on, on, "告知申请人延期", "批准延期的日期")
    granted = extensions_of(session, request.id)
    current = reply_deadline(session, office, request)
    if current.due is not None and on > current.due:
        raise StepRefused(f"答复期限已于 {current.due} 届满，不能再延长（{rule.id}，{rule.citation}）。")
    unit = Unit.MONTHS if months else Unit.WORKING_DAYS
    if unit is rule.unit:
        ext = deadlines.check_extension(rule, amount, len(granted))
        total = sum(e.amount for e in granted if e.unit == unit.value) + amount
        if granted and total > rule.amount:
            raise StepRefused(f"延长共{total}{rule.unit.label}超过上限：依据{rule.citation}，"
                              f"延长期限合计最长不得超过{rule.amount}{rule.unit.label}。")
    elif unit is Unit.WORKING_DAYS and rule.unit is Unit.MONTHS:
        deadlines.check_extension(rule, 1, len(granted))  # the count bound
        if amount <= 0:
            raise GongkaiError("延长期限必须为正数，请填写延长的天数。")
        # the text caps the whole extension (五原县 依申请公开制度 五: 延长期限不得超过3个月), not
        # each one: the ceiling runs from the due date before any extension
        base = current.due or request.period_start
        unextended = deadlines.compute(reply_rule(office, request), request.period_start, office.calendar,
                                       pauses=engine_pauses(pauses_of(session, request.id))).due or base
        ceiling = unextended + relativedelta(months=rule.amount)
        if office.calendar.add_working_days(base, amount) > ceiling:
            raise StepRefused(
                f"延长{amount}个工作日超过上限：依据{rule.citation}，延长期限最长不得超过{rule.amount}个月（至 {ceiling}）。"
            )
        ext = deadlines.Extension(amount, Unit.WORKING_DAYS)
    else:
        raise GongkaiError(f"延长期限的单位应为{rule.unit.label}，请改用 --days。")
    row = Extension(request_id=request.id, amount=ext.amount, unit=ext.unit.value, approved_by=approved_by.strip(),
                    approved_on=on, applicant_told_on=told_on or on)
    session.add(row)
    session.flush()
    apply(session, request, "extend", actor,
          {"amount": ext.amount, "unit": ext.unit.value, "approved_by": row.approved_by, "on": on.isoformat(),
           **({"reason": reason.strip()} if reason.strip() else {})})
    refresh(session, office, request)
    return row


# --------------------------------------------------------------------------- excessive requests (条例 第三十五条)


def ask_reasons(session: Session, office: Any, request: Request, on: dt.date, actor: str = "") -> None:
    check_date(request, on, "要求说明理由")
    request.reasons_asked_on = on
    apply(session, request, "ask_reasons", actor, {"on": on.isoformat()})


def set_later_due(session: Session, office: Any, request: Request, due: dt.date, actor: str = "") -> None:
    """Reasons accepted but too many to answer in time: a reasonable later deadline, told to the applicant."""
    if request.reasons_asked_on is None:
        raise StepRefused("确定延迟答复期限前，应先要求申请人说明理由（条例 第三十五条）：请先用 --asked-on 登记。")
    current = reply_deadline(session, office, request)
    if current.due is not None and due <= current.due:
        raise GongkaiError(f"延迟答复期限 {due} 应晚于现行答复期限 {current.due}。")
    request.later_due = due
    apply(session, request, "set_later_due", actor, {"later_due": due.isoformat()})
    refresh(session, office, request)
