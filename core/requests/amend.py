"""Correcting a reply that was wrong (更正答复) and answering again after a 纠正 decision
(重新答复). Either way the earlier reply is kept as it was issued (:class:`PriorReply`), so its
letter can still be printed, and the event log holds both. The request row holds the reply in
force, which is what the annual report counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from gongkai.core.time.deadline_store import StoredDeadline
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.labels import label
from gongkai.core.requests import appeals, clock, reply, review, tracks
from gongkai.core.requests.models import OWNER, Appeal, PriorReply, Request, ReviewAction
from gongkai.core.requests.workflow import STATES, apply, check_after, check_date
from gongkai.core.today import not_future
from gongkai.core.units.numbering import next_serial



def prior_replies(session: Session, request_id: int) -> list[PriorReply]:
    return list(session.exec(select(PriorReply).where(PriorReply.request_id == request_id).order_by(PriorReply.id)).all())


def _archive(session: Session, request: Request, on: dt.date, by: str, reason: str,
             appeal_id: int | None = None) -> PriorReply:
    prior = PriorReply(request_id=request.id, outcome=request.outcome or "", replied_on=request.replied_on,
                       amended_on=request.amended_on, replied_by=request.replied_by, reasons=request.reasons,
                       legal_basis=request.legal_basis, provision=request.provision,
                       withheld_parts=request.withheld_parts, other_agency=request.other_agency,
                       other_agency_contact=request.other_agency_contact, superseded_on=on, superseded_by=by,
                       reason=reason, appeal_id=appeal_id, letter_serial=request.letter_serial)
    session.add(prior)
    session.flush()
    return prior


def amend(session: Session, office: Any, request: Request, *, reason: str, on: dt.date, outcome: str | None = None,
          reasons: str | None = None, legal_basis: str = "", provision: str = "",
          withheld: list[dict[str, str]] | None = None, agency: str | None = None, agency_contact: str | None = None,
          actor: str = "") -> PriorReply:
    """Issue a corrected reply (a new letter dated ``on``) in place of the reply in force.

    The correction goes through the review chain as the first reply did: every step before the
    reply that its outcome needs is signed again for it (``request review`` on the answered
    request opens that review, state ``amending``); the earlier signatures do not count."""
    if request.state not in ("replied", "closed", "amending") or request.replied_on is None:
        raise StepRefused(f"申请 {request.id} 当前状态为“{STATES[request.state]}”，没有可更正的答复。")
    if not reason.strip():
        raise GongkaiError("更正答复须说明更正理由（--reason），如“误将可以公开的信息答复为不予公开”。")
    check_date(request, on, "更正答复")
    check_after(on, request.amended_on or request.replied_on, "更正答复", "原答复日期")
    registry = office.registry
    from gongkai.core.requests import proposal

    # what the correction's review signed (none before its review opens: then refused below)
    signed = proposal.approved(session, request.id, review.chain(registry)) if request.state == "amending" else None
    content = proposal.settle(registry, signed, "更正答复", request.id, outcome=outcome, reasons=reasons,
                              withheld=withheld, agency=agency, agency_contact=agency_contact)
    outcome = content["outcome"]
    tracks.check_outcome(registry, request.track, outcome)
    missing = (review.missing_steps(session, registry, request, outcome) if request.state == "amending"
               else review.required_steps(registry, outcome, "before"))
    if missing:
        start = "" if request.state == "amending" else "更正答复须重新经过审核流程，原答复的审核不适用于更正答复；"
        raise StepRefused(
            f"{start}审核流程未完成，不能更正答复：缺少{review.missing_message(registry, missing)}。"
            f"请先用 `gongkai request review {request.id} --step {missing[0].name} --outcome "
            f"{label('outcome', outcome, registry)}` 办理；"
            "更正答复作出前，原答复仍然有效。")
    if request.state == "amending":
        approved = [a.on for a in review.approvals(session, request.id).values()]
        check_after(on, max(approved, default=None), "更正答复", "审核同意的日期")
    before = reply.reply_values(request)
    prior = _archive(session, request, on, "amend", reason.strip())
    reply.set_reply(registry, request, outcome=outcome, reasons=content["reasons"] or "", legal_basis=legal_basis,
                    provision=provision, withheld=content["withheld"], agency=content["agency"] or "",
                    agency_contact=content["agency_contact"] or "")
    request.amended_on = on
    request.replied_by = actor
    request.proposed_outcome = outcome
    request.letter_serial = next_serial(session, on.year, reply.series_of(prior))  # a new letter, a new 文号
    # the new letter is filed or reported like the first (备案, 书面报告…): a closed request
    # with such steps to do is open again until they are
    to_state, closed_on_before = None, request.closed_on and request.closed_on.isoformat()
    if review.required_steps(registry, outcome, "after"):
        review.restart_after_steps(session, office, request, on)
        to_state, request.closed_on = "replied", None
    elif request.state == "amending":
        to_state = "closed" if request.closed_on else "replied"
    closed_on = request.closed_on and request.closed_on.isoformat()
    apply(session, request, "amend", actor, {**reply.reply_values(request), "reason": reason.strip(),
                                             "prior_reply": prior.id, "closed_on": closed_on},
          before={**before, "closed_on": closed_on_before}, to_state=to_state)
    return prior


def reanswer_decision(session: Session, request: Request) -> Appeal:
    """The 纠正 decision a new answer would follow; refused when there is none not yet answered."""
    overturned = [a for a in appeals.appeals_of(session, request.id) if a.result in appeals.OVERTURNING]
    if not overturned:
        raise StepRefused(f"申请 {request.id} 没有结果为纠正（撤销、确认违法、责令履行）的复议或诉讼，不能重新答复。"
                          "请先登记复议或诉讼的结果“纠正”及收到决定的日期"
                          "（`gongkai request appeal --appeal-id … --result 纠正 --decided …`）。")
    decision: Appeal = overturned[-1]
    used = {p.appeal_id for p in prior_replies(session, request.id)}
    if decision.id in used and request.state not in ("replied", "closed"):
        raise StepRefused(f"申请 {request.id} 已按该纠正决定重新办理，正在等待重新答复。")
    if decision.id in used:
        raise StepRefused(f"申请 {request.id} 已按该纠正决定重新答复；新的纠正决定请先登记为新的复议或诉讼。")
    return decision


def reanswer(session: Session, office: Any, request: Request, decision_on: dt.date, days: int | None = None,
             actor: str = "") -> None:
    """A 纠正 decision ordered a new answer, served on ``decision_on``: the reply in force is kept
    as a prior reply, the request reopens with a new reply clock (``days`` working days, default
    20, 条例 第三十三条) and its review chain runs again."""
    decision = reanswer_decision(session, request)
    if days is not None and days <= 0:
        raise GongkaiError("重新答复的期限必须为正数（--days，单位：工作日）。")
    not_future(decision_on, "送达纠正决定")
    check_after(decision_on, decision.decided_on, "送达纠正决定", "登记的复议决定或判决日期")
    days = days or clock.REANSWER_DAYS
    before = {**reply.reply_values(request), "period_start": request.period_start.isoformat(),
              "reanswer_days": request.reanswer_days, "proposed_outcome": request.proposed_outcome}
    prior_id = None
    if request.replied_on is not None:
        prior_id = _archive(session, request, decision_on, "reanswer",
                            f"{appeals.KINDS[decision.kind]}决定纠正", decision.id).id
        for f in ("outcome", "replied_on", "amended_on", "letter_serial"):
            setattr(request, f, None)
        for f in ("replied_by", "reasons", "legal_basis", "provision", "withheld_parts", "other_agency",
                  "other_agency_contact"):
            setattr(request, f, "")
        request.closed_on = None
    request.proposed_outcome = None
    request.period_start = decision_on
    request.reanswer_days = days
    # the review chain runs again: every earlier approval lapses; the clocks of the old reply stop
    session.execute(update(ReviewAction).where(ReviewAction.request_id == request.id).values(superseded=True))
    session.execute(update(StoredDeadline)
                    .where(StoredDeadline.owner_kind == OWNER, StoredDeadline.owner_id == request.id,
                           StoredDeadline.status == "open", StoredDeadline.name != appeals.REGISTRATION_CLOCK)
                    .values(status="cancelled", met_on=decision_on))
    apply(session, request, "reanswer", actor,
          {"appeal": decision.id, "decision_on": decision_on.isoformat(), "period_start": decision_on.isoformat(),
           "reanswer_days": days, "prior_reply": prior_id, "outcome": None, "replied_on": None},
          before=before)
    row = session.exec(select(StoredDeadline).where(StoredDeadline.owner_kind == OWNER,
                                                    StoredDeadline.owner_id == request.id,
                                                    StoredDeadline.name == "reply")).first()
    if row is not None:
        row.status, row.met_on = "open", None
        session.add(row)
    clock.refresh(session, office, request)
