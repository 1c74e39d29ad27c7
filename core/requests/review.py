"""The review chain of a reply, driven by the ``request.review_chain`` rule.

Steps run in the chain's order. A step limited to some outcomes (``ReviewStep.applies_to``)
is required only when the reply has such an outcome. ``after`` steps follow the reply
(e.g. filing with the disclosure office); a step's ``deadline`` names a DeadlineRule whose
clock starts at the reply. Nobody approves their own draft or the step right before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, select

from gongkai.core.time import deadlines
from gongkai.core.time.deadline_store import close_deadline, store_deadline
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.accounts.names import clean_name, person_key, same_person
from gongkai.core.requests import proposal as proposals
from gongkai.core.requests.models import OWNER, Request, ReviewAction
from gongkai.core.requests.workflow import apply, check_after, check_date
from gongkai.core.today import today
from gongkai.hookspecs.records import ReviewChain, ReviewStep

CHAIN = "request.review_chain"
DECISIONS = {"approve": "同意", "reject": "退回"}


def chain(registry: Any) -> ReviewChain:
    return registry.review_chain(CHAIN)


def live_actions(session: Session, request_id: int) -> list[ReviewAction]:
    return list(session.exec(
        select(ReviewAction)
        .where(ReviewAction.request_id == request_id, ReviewAction.superseded == False)  # noqa: E712
        .order_by(ReviewAction.id)
    ).all())


def approvals(session: Session, request_id: int) -> dict[str, ReviewAction]:
    return {a.step_id: a for a in live_actions(session, request_id) if a.decision == "approve"}


ANSWERED = ("replied", "closed")  # a step before the reply signed on these opens a correction's review


def correction_step(registry: Any, request: Any) -> ReviewStep | None:
    """The step whose signature opens the review of a corrected reply (更正答复) on an answered
    request (state ``amending``, see :func:`review`): the chain's first step before the reply
    that applies to every outcome, whatever the correction's. None if there is no reply to correct."""
    if request.state not in ANSWERED or request.replied_on is None:
        return None
    return next((s for s in chain(registry).steps if s.stage == "before" and not s.outcomes), None)


def required_steps(registry: Any, outcome: str | None, stage: str) -> list[ReviewStep]:
    """The steps of ``stage`` a reply with ``outcome`` needs, in order."""
    return [s for s in chain(registry).steps if s.stage == stage and s.applies_to(outcome)]


def missing_steps(session: Session, registry: Any, request: Request, outcome: str, stage: str = "before") -> list[ReviewStep]:
    done = approvals(session, request.id)
    return [s for s in required_steps(registry, outcome, stage) if s.id not in done]


def draft_outcome(request: Any) -> str | None:
    """The outcome the steps under review are for: a correction's proposed outcome while it is
    reviewed (the reply in force stands until then), else the reply's, else the draft's."""
    if request.state == "amending":
        return request.proposed_outcome or request.outcome
    return request.outcome or request.proposed_outcome


def supersede(session: Session, request_id: int, the_chain: ReviewChain, stage: str) -> None:
    """The live approvals of ``stage`` lapse (they signed a reply no longer being issued)."""
    for a in live_actions(session, request_id):
        if the_chain.step(a.step_id).stage == stage:
            a.superseded = True
            session.add(a)


def restart_after_steps(session: Session, office: Any, request: Request, on: dt.date) -> None:
    """A new letter (a corrected reply) is filed or reported like the first: the ``after`` steps
    signed for the earlier letter lapse and their clocks run again from ``on``."""
    supersede(session, request.id, chain(office.registry), "after")
    for step in required_steps(office.registry, request.outcome, "after"):
        if step.deadline:
            rule = office.registry.deadline(step.deadline)
            row = store_deadline(session, OWNER, request.id, step.id, deadlines.compute(rule, on, office.calendar))
            row.status, row.met_on = "open", None


def step_label(step: ReviewStep) -> str:
    return f"“{step.name}”（{step.role}）"


def missing_message(registry: Any, missing: list[ReviewStep]) -> str:
    """The missing steps, each with where it comes from: its text, or 本单位规定 (gongkai.toml)."""
    the_chain = chain(registry)
    return "、".join(f"“{s.name}”（{s.role}，{s.basis or the_chain.citation}）" for s in missing)


def _outcome_kind(registry: Any, prefix: str) -> str:
    """The Chinese name of an outcome code or prefix ("withheld": 不予公开)."""
    if prefix in registry.outcomes:
        return registry.outcomes[prefix].name
    names = [o.name for code, o in registry.outcomes.items() if code.startswith(prefix + ".")]
    return names[0].split("（")[0] if names else prefix


def self_approval_conflict(the_chain: ReviewChain, signed: dict[str, str], step: ReviewStep, actor: str) -> str | None:
    """Why ``actor`` may not approve ``step`` (None: they may): nobody approves their own draft
    (the chain's first step) or the step they approved right before (separation of duties).
    ``signed`` maps each approved step to its approver."""
    order = the_chain.steps
    before_steps = [s for s in order if s.id in signed and order.index(s) < order.index(step)]
    if not before_steps:
        return None
    for prior in {order[0].id: order[0], before_steps[-1].id: before_steps[-1]}.values():
        if same_person(signed.get(prior.id), actor):  # as people read names: "甲\u200b" is 甲
            return f"{actor}已办理{step_label(prior)}，不能审批自己经手的文稿：{step_label(step)}须由另一名{step.role}办理。"
    return None


def _to_sign(session: Session, registry: Any, request: Request, the_chain: ReviewChain, step: ReviewStep,
             given: dict[str, Any], opening: bool) -> dict[str, Any] | None:
    """The proposal an approval of ``step`` (before the reply) signs. The first signature states
    it (``given``, else the draft's outcome, else, opening a correction's review, the reply in
    force); later ones approve it as it stands. Changing it after a signature: only the first
    signed step may, signing again, and every signature of the stage lapses (each signed the
    whole proposal, so the first step the change affects is the first step)."""
    standing = None if opening else proposals.approved(session, request.id, the_chain)
    base = standing
    if base is None:
        base = (proposals.of_reply(request) if opening
                else {"outcome": request.proposed_outcome} if request.proposed_outcome else None)
    if base is None and not given.get("outcome"):
        return None  # nothing proposed: refused once the order of the steps is checked
    if base is None or (given.get("outcome") and given["outcome"] != base.get("outcome")):
        base = {}  # another outcome: only what is given now
    merged = {**base, **{k: v for k, v in given.items() if v is not None}}
    candidate = proposals.make(registry, request.track, **{k: merged.get(k) for k in proposals.FIELDS})
    if standing is None or not proposals.differences(registry, standing, candidate):
        return standing or candidate
    order = the_chain.steps
    signed_steps = sorted((the_chain.step(a.step_id) for a in live_actions(session, request.id)
                           if a.decision == "approve" and the_chain.step(a.step_id).stage == "before"),
                          key=order.index)
    first = signed_steps[0]
    diff = "；".join(proposals.differences(registry, standing, candidate))
    if step.id != first.id:
        raise StepRefused(f"{step_label(step)}审核的是{step_label(first)}签署的拟答复内容，不能另行改变：{diff}。"
                          f"修改拟答复内容须由{step_label(first)}重新签署（或退回），已签署的步骤随之重新审核。")
    supersede(session, request.id, the_chain, "before")  # the chain reopens from its first step
    session.flush()
    return candidate


def review(session: Session, office: Any, request: Request, step_id: str, actor: str, decision: str,
           comment: str = "", on: dt.date | None = None, proposal: dict[str, Any] | None = None) -> ReviewAction:
    """Record one reviewer's decision on one step, in the chain's order.

    ``proposal``: the proposed reply's fields given (:data:`proposals.FIELDS`, None where not
    given); an approval of a step before the reply signs the proposal (:func:`_to_sign`)."""
    registry = office.registry
    the_chain = chain(registry)
    try:
        step = the_chain.step(step_id)
    except KeyError:
        steps = "、".join(s.name for s in the_chain.steps)
        raise GongkaiError(f"审核步骤“{step_id}”不存在（--step），{registry.jurisdiction.display_name}的审核流程为：{steps}") from None
    if decision not in DECISIONS:
        raise GongkaiError(f"审核意见“{decision}”无效（--decision），可选：approve（同意）、reject（退回）。")
    actor = clean_name(actor)
    if not person_key(actor):
        raise GongkaiError("请用 --by 填写审核人姓名。")
    on = on or today()
    check_date(request, on, "审核")
    to_state = None
    if step.stage == "after" and request.state == "amending":
        raise StepRefused(f"申请 {request.id} 的更正答复正在审核，{step_label(step)}待更正答复作出后办理。")
    if step.stage == "after" and request.state not in ANSWERED:
        raise StepRefused(f"{step_label(step)}在答复之后进行，申请 {request.id} 尚未答复。")
    if step.stage == "before" and request.state in ANSWERED:
        # a step before the reply on an answered request: the review of a corrected reply
        # (更正答复) begins; the approvals of the reply in force do not sign the correction
        if decision != "approve":
            raise StepRefused(f"申请 {request.id} 已答复，没有待审核的更正答复，不能退回。")
        supersede(session, request.id, the_chain, "before")
        check_after(on, request.amended_on or request.replied_on, "更正答复的审核", "原答复日期")
        to_state = "amending"
    given = {k: v for k, v in (proposal or {}).items() if v is not None}
    signed = None
    if step.stage == "before" and decision == "approve":
        signed = _to_sign(session, registry, request, the_chain, step, given, opening=to_state is not None)
        if signed is not None:
            request.proposed_outcome = signed["outcome"]
    elif given.get("outcome") and step.stage == "before":
        from gongkai.core.requests import tracks

        tracks.check_outcome(registry, request.track, given["outcome"])
        request.proposed_outcome = given["outcome"]
    outcome = draft_outcome(request) if to_state is None else request.proposed_outcome
    if not step.applies_to(outcome) and step.outcomes:
        if outcome is not None:
            kinds = "、".join(_outcome_kind(registry, p) for p in step.outcomes)
            raise StepRefused(f"{step_label(step)}只适用于答复结果为{kinds}的申请，本申请为“{registry.outcome(outcome).name}”。")
    if step.not_on_tracks and request.track in step.not_on_tracks:
        from gongkai.core.requests import tracks

        raise StepRefused(f"{step_label(step)}不适用于{tracks.names(registry).get(request.track, request.track)}。")
    done = approvals(session, request.id)
    if step.id in done and decision == "approve":
        raise StepRefused(f"{step_label(step)}已由 {done[step.id].actor} 审核同意，不能重复审核。")
    # earlier steps of the same stage that apply must be approved first
    order = [s for s in the_chain.steps if s.stage == step.stage]
    earlier = order[: order.index(step)]
    for prior in earlier:
        if prior.applies_to(outcome) and prior.id not in done:
            raise StepRefused(f"审核须按顺序进行：{step_label(step)}之前须先完成{step_label(prior)}。")
    if decision == "approve" and step.stage == "before" and signed is None:
        raise GongkaiError(f"{step_label(step)}是审核流程的第一个签署，须写明拟答复内容：请用 --outcome 写明拟答复结果"
                           "（部分公开的用 --withheld “内容：理由”列明不予公开的内容，理由用 --reason），"
                           "其后的步骤审核同意的即是这一内容。")
    if decision == "approve":
        conflict = self_approval_conflict(the_chain, {k: a.actor for k, a in done.items()}, step, actor.strip())
        if conflict:
            raise StepRefused(conflict)
    # a step is not dated before the one it follows (the draft, the previous approval, the reply)
    check_after(on, max((a.on for a in live_actions(session, request.id)), default=None), "审核", "上一审核步骤的日期")
    if step.stage == "after":
        check_after(on, request.amended_on or request.replied_on, "审核", "答复日期")
    action = ReviewAction(request_id=request.id, step_id=step.id, actor=actor.strip(), decision=decision,
                          comment=comment, on=on, proposal=proposals.dumps(signed))
    if decision == "reject":  # back to the drafter: earlier approvals lapse
        supersede(session, request.id, the_chain, step.stage)
    session.add(action)
    session.flush()
    details = {"step": step.id, "step_name": step.name, "decision": decision, "comment": comment, "on": on.isoformat()}
    if to_state:
        details["proposed_outcome"] = request.proposed_outcome
    if signed is not None:
        details["proposal"] = signed  # what this signature signed
    apply(session, request, "review", actor.strip(), details, to_state=to_state)
    if decision == "approve":
        if step.deadline:
            close_deadline(session, OWNER, request.id, step.id, on)
        if step.stage == "before":
            _start_next_clock(session, office, request, step, on)
    return action


def _start_next_clock(session: Session, office: Any, request: Request, step: ReviewStep, on: dt.date) -> None:
    """The next step's own deadline (e.g. a confidentiality opinion within 15 WD) runs from now."""
    outcome = draft_outcome(request)
    order = [s for s in chain(office.registry).steps if s.stage == "before" and (s.applies_to(outcome) if outcome else not s.outcomes)]
    following = order[order.index(step) + 1:] if step in order else []
    if following and following[0].deadline:
        rule = office.registry.deadline(following[0].deadline)
        store_deadline(session, OWNER, request.id, following[0].id, deadlines.compute(rule, on, office.calendar))


def start_after_steps(session: Session, office: Any, request: Request) -> None:
    """At the reply, start the clocks of the ``after`` steps that have a deadline (e.g. 备案, 报告)."""
    for step in required_steps(office.registry, request.outcome, "after"):
        if step.deadline:
            rule = office.registry.deadline(step.deadline)
            store_deadline(session, OWNER, request.id, step.id, deadlines.compute(rule, request.replied_on, office.calendar))


def steps_json(session: Session, registry: Any, request: Request,
               done: dict[str, ReviewAction] | None = None) -> list[dict[str, Any]]:
    """The chain's steps for this request, each with who approved it; ``done``: its
    :func:`approvals` if the caller has them already."""
    done = approvals(session, request.id) if done is None else done
    outcome = draft_outcome(request)
    out = []
    for s in chain(registry).steps:
        if s.outcomes and not s.applies_to(outcome) and outcome is not None:
            continue
        if request.track in s.not_on_tracks:
            continue
        a = done.get(s.id)
        out.append({
            "id": s.id, "name": s.name, "role": s.role, "stage": s.stage,
            "outcomes": list(s.outcomes), "deadline": s.deadline, "unit_practice": s.unit_practice,
            "done": a is not None, "by": a.actor if a else None, "on": a.on.isoformat() if a else None,
        })
    return out
