"""The review chain of a document, as a small state machine over the plugin's records.

A document's *route* is the ordered list of steps it must pass:
- the attribute approval, where the attribute needs someone's consent (长宁区 第四十六条:
  依申请公开/不予公开 报政务公开工作机构审查同意; 雁塔区 第6项: 不予公开 送政务公开机构审查);
- for a document that is published, the jurisdiction's ``proactive.review_chain``
  (西咸新区 第二十条: 保密审查 → 内容审核 → 主要负责人审批 → 信息发布 → 登记存档 → 后续关注).
Steps run in order, none is skipped, and nobody approves a step after signing the one
before it. The confidentiality review points of ``review.confidentiality`` (形成时、主动公开前、
依申请提供前: 五原县 主动公开工作制度 六, 长宁区 第五十一条; 条例 第十七条 only asks that what is
about to be disclosed be reviewed) are recorded beside the route; their
opinion (五原县: 公开/免予公开/需报审) can stop publication or send the item up.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import attrs

from gongkai.core.documents.attributes import (
    ATTRIBUTE_RULE,
    attribute_rule,
    draft_of,
    interpretation_refusal,
    is_published,
    resolve_attribute,
)
from gongkai.core.documents.models import Document, DocumentReview
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.core.accounts.names import clean_name, person_key, same_person
from gongkai.core.today import not_before
from gongkai.hookspecs.records import Attribute, DocumentAttributes, ReviewChain, ReviewStep

if TYPE_CHECKING:
    from sqlmodel import Session

    from gongkai.core.law.plugins import Registry

PROACTIVE_CHAIN = "proactive.review_chain"
CONFIDENTIALITY_CHAIN = "review.confidentiality"
PUBLISH_STEP = "publish"  # the step `document publish` performs (信息发布)
ATTRIBUTE_STEP = "attribute_approval"
# Where the confidentiality review points fall (五原县 主动公开工作制度 六, 长宁区 第五十一条).
FORMATION_POINT = "on_formation"
PUBLICATION_POINT = "before_publication"


@attrs.frozen
class RouteStep:
    step: ReviewStep
    chain: str  # the rule the step comes from


def _attribute_step(attribute: Attribute) -> str:
    return f"{attribute.needs_approval_by}审查同意公开属性"


def route(registry: Registry, doc: Document) -> list[RouteStep]:
    """The ordered steps ``doc`` must pass."""
    attribute = resolve_attribute(registry, doc.attribute)
    steps: list[RouteStep] = []
    if attribute.needs_approval_by and not attribute.needs_public_version:
        rule = attribute_rule(registry)
        steps.append(RouteStep(
            ReviewStep(id=ATTRIBUTE_STEP, name=_attribute_step(attribute),
                       role=attribute.needs_approval_by, citation=rule.citation),
            rule.id,
        ))
    if is_published(attribute):
        chain = registry.review_chain(PROACTIVE_CHAIN)
        steps += [RouteStep(s, chain.id) for s in chain.steps]
    return steps


def step_names(registry: Registry) -> dict[str, str]:
    """Every step a document may pass in this jurisdiction, code -> name (``document review --step``)."""
    names: dict[str, str] = {}
    rule = registry.find(ATTRIBUTE_RULE, DocumentAttributes)
    for attribute in rule.attributes if rule is not None else ():
        if attribute.needs_approval_by and not attribute.needs_public_version:
            names.setdefault(ATTRIBUTE_STEP, _attribute_step(attribute))
    names.update({s.id: s.name for s in registry.review_chain(PROACTIVE_CHAIN).steps})
    names.update({s.id: s.name for s in confidentiality_points(registry).values()})
    return names


def confidentiality_points(registry: Registry) -> dict[str, ReviewStep]:
    chain = registry.find(CONFIDENTIALITY_CHAIN, ReviewChain)
    return {s.id: s for s in chain.steps} if chain else {}


def reviews_of(session: Session, document_id: int) -> list[DocumentReview]:
    from sqlmodel import select

    return list(session.exec(
        select(DocumentReview).where(DocumentReview.document_id == document_id).order_by(DocumentReview.id)
    ).all())


def latest(reviews: list[DocumentReview]) -> dict[str, DocumentReview]:
    out: dict[str, DocumentReview] = {}
    for r in reviews:
        out[r.step_id] = r
    return out


def is_done(review: DocumentReview | None) -> bool:
    return review is not None and review.decision == "approve"


def point_status(step: ReviewStep, review: DocumentReview | None) -> str:
    """pending, cleared, withheld (an opinion against publication), escalated or returned.

    The first of a step's ``opinions`` is the clearing one (公开); ``escalate_on`` (需报审)
    sends the item up (五原县 保密审查制度 第八条); any other opinion (免予公开) withholds.
    """
    if review is None:
        return "pending"
    if review.decision != "approve":
        return "returned"
    if step.escalate_on and review.opinion == step.escalate_on:
        return "escalated"
    if step.opinions and review.opinion and review.opinion != step.opinions[0]:
        return "withheld"
    return "cleared"


def next_step(steps: list[RouteStep], done: dict[str, DocumentReview], stage: str = "before") -> RouteStep | None:
    for rs in steps:
        if rs.step.stage == stage and not is_done(done.get(rs.step.id)):
            return rs
    return None


def signers(review: DocumentReview | None) -> set[str]:
    if review is None:
        return set()
    return {n for n in (review.by, review.head) if n}


def self_approval_conflict(steps: list[RouteStep], signed: dict[str, set[str]], step_id: str, by: str) -> str | None:
    """Why ``by`` may not approve ``step_id`` (None: they may): nobody approves a step after
    signing the step before it (审批与经办分离). ``signed`` maps a step to who signed it."""
    ids = [rs.step.id for rs in steps]
    i = ids.index(step_id)
    if i == 0:
        return None
    before = steps[i - 1].step
    if any(same_person(by, signer) for signer in signed.get(before.id, set())):  # "甲\u200b" is 甲
        return (f"“{by}”已签署上一步“{before.name}”，不能再审批“{steps[i].step.name}”（{steps[i].chain}："
                "同一人不得审批自己经办的上一环节）。请由其他人员办理。")
    return None


def check_self_approval(steps: list[RouteStep], done: dict[str, DocumentReview], step_id: str, by: str) -> None:
    conflict = self_approval_conflict(steps, {k: signers(r) for k, r in done.items()}, step_id, by)
    if conflict:
        raise StepRefused(conflict)


def resolve_checks(step: ReviewStep, checks: tuple[str, ...]) -> list[str]:
    """Checklist items by their text, a leading part of it, or their number (1-based)."""
    out = []
    for raw in checks:
        text = raw.strip()
        found = None
        if text.isdigit() and 1 <= int(text) <= len(step.checklist):
            found = step.checklist[int(text) - 1]
        else:
            found = next((item for item in step.checklist if item == text or item.startswith(text.rstrip("：:"))), None)
        if found is None:
            items = "；".join(f"{n}. {item}" for n, item in enumerate(step.checklist, 1)) or "（本环节没有核对事项）"
            raise GongkaiError(f"“{step.name}”没有核对事项“{raw}”。--check 可写事项原文或序号：{items}")
        if found not in out:
            out.append(found)
    return out


def record_review(
    session: Session,
    registry: Registry,
    doc: Document,
    *,
    step_id: str,
    by: str,
    decision: str,
    on: dt.date,
    opinion: str = "",
    basis: str = "",
    checks: tuple[str, ...] = (),
    head: str = "",
    comment: str = "",
    capacity: str = "",
) -> tuple[DocumentReview, ReviewStep, str]:
    """Check and store one decision on one step; returns it, the step and the point status
    (or "route" for a route step). The caller updates the state and writes the event."""
    if decision not in ("approve", "reject"):
        raise GongkaiError(f"--decision 应为 approve（通过）或 reject（退回），不是“{decision}”。")
    by = clean_name(by)
    if not person_key(by):
        raise GongkaiError("--by 不能为空：请写明审核人姓名。")
    if doc.state == "repealed":
        raise StepRefused(f"文件 {doc.id} 已废止，不能再审核。")
    steps = route(registry, doc)
    points = confidentiality_points(registry)
    reviews = reviews_of(session, doc.id)
    done = latest(reviews)
    by = by.strip()

    if step_id in points:
        step = points[step_id]
        status = point_status(step, done.get(step_id))
        if status in ("cleared", "withheld"):
            raise StepRefused(f"“{step.name}”已提出审查意见“{done[step_id].opinion or '通过'}”，不能重复审查。")
        if step.opinions and decision == "approve":
            if opinion not in step.opinions:
                raise GongkaiError(
                    f"“{step.name}”须用 --opinion 提出审查意见：{'、'.join(step.opinions)}（{CONFIDENTIALITY_CHAIN}：{registry.review_chain(CONFIDENTIALITY_CHAIN).citation}）。"
                )
            if not basis.strip():
                raise GongkaiError(f"“{step.name}”的审查意见须用 --basis 注明依据和理由（{step.citation or CONFIDENTIALITY_CHAIN}）。")
        if status == "escalated" and by in signers(done.get(step_id)):
            raise StepRefused(f"“{step.name}”已报审，应由有确定权限的上级部门提出意见，不能由原审查人“{by}”再审。")
        kind = "point"
    else:
        by_id = {rs.step.id: rs for rs in steps}
        if step_id not in by_id:
            available = [rs.step.name for rs in steps if rs.step.id != PUBLISH_STEP] + [p.name for p in points.values()]
            asked = step_names(registry).get(step_id, step_id)
            raise GongkaiError(f"文件 {doc.id} 没有审核环节“{asked}”。可用：{'、'.join(available)}。")
        step = by_id[step_id].step
        if step_id == PUBLISH_STEP:
            raise StepRefused(f"“{step.name}”请用 `gongkai document publish {doc.id} --on 日期 --channel 渠道 --by 信息发布员` 办理。")
        if is_done(done.get(step_id)):
            raise StepRefused(f"“{step.name}”已审核通过，不能重复审核。")
        if step.stage == "after" and doc.published_on is None:
            raise StepRefused(f"“{step.name}”在信息发布之后办理，文件 {doc.id} 尚未发布。")
        pending = next_step(steps, done, step.stage)
        if pending is not None and pending.step.id != step_id:
            raise StepRefused(
                f"不能跳过“{pending.step.name}”直接办理“{step.name}”（{pending.chain}：审核环节须依次进行）。请先完成“{pending.step.name}”。"
            )
        check_self_approval(steps, done, step_id, by)
        if decision == "approve":  # e.g. 西咸新区 第十条: 解读材料与文件同步进行审批
            refusal = interpretation_refusal(
                registry, resolve_attribute(registry, doc.attribute), draft_of(doc), at=step_id, document_id=doc.id)
            if refusal:
                raise refusal
        if opinion and step.opinions and opinion not in step.opinions:
            raise GongkaiError(f"“{step.name}”的审查意见应为：{'、'.join(step.opinions)}。")
        kind = "route"
    if kind == "route" and step.stage == "after":
        not_before(on, doc.published_on, "审核", "发布日期")
    not_before(on, max((r.on for r in reviews if r.on), default=None), "审核", "上一审核环节的日期")
    basis = signed_as(step, capacity, kind) or basis
    confirmed = resolve_checks(step, checks)
    if decision == "approve":
        confirmed += [item for item in step.attested if item not in confirmed]
    review = DocumentReview(
        document_id=doc.id, step_id=step_id, step_name=step.name, decision=decision, by=by, head=clean_name(head),
        opinion=opinion, basis=basis, checks=json.dumps(confirmed, ensure_ascii=False), comment=comment, on=on,
    )
    session.add(review)
    status = point_status(step, review) if kind == "point" else "route"
    return review, step, status


def signed_as(step: ReviewStep, capacity: str, kind: str = "route") -> str:
    """The basis a signature in ``capacity`` states: the alternate's condition where the step has
    one and the signer signs as the alternate (西咸新区 附件2 备注), "" as the step's own role."""
    capacity = clean_name(capacity)
    if not capacity:
        return ""
    if kind != "route" or not step.alternate:
        raise GongkaiError(f"“{step.name}”由{step.role}办理，没有其他审批人，不用 --as。")
    if capacity not in (step.role, step.alternate):
        raise GongkaiError(f"“{step.name}”的 --as 应为“{step.role}”或“{step.alternate}”"
                           f"（{step.alternate_when}，依据：{step.citation}）。")
    return step.alternate_basis() if capacity == step.alternate else ""


def second_role(step: ReviewStep) -> str | None:
    """The role of a step's second signer ("保密审查员、分管保密工作负责人": the latter), or None."""
    parts = [part.strip() for part in step.role.split("、") if part.strip()]
    return parts[1] if len(parts) > 1 else None


def record_cosign(session: Session, registry: Registry, doc: Document, *, step_id: str, head: str) -> tuple[DocumentReview, ReviewStep]:
    """The second signer of ``step_id`` (e.g. 分管保密工作负责人) signs its latest approval, in
    their own name: another person than the one who signed it, once. The caller writes the event."""
    head = clean_name(head)
    if not person_key(head):
        raise GongkaiError("请写明第二签字人。")
    steps = {rs.step.id: rs.step for rs in route(registry, doc)} | confidentiality_points(registry)
    if step_id not in steps:
        raise GongkaiError(f"文件 {doc.id} 没有审核环节“{step_names(registry).get(step_id, step_id)}”。")
    step = steps[step_id]
    role = second_role(step)
    if role is None:
        raise GongkaiError(f"“{step.name}”（{step.role}）没有第二签字人。")
    review = latest(reviews_of(session, doc.id)).get(step_id)
    if review is None or review.decision != "approve":
        raise StepRefused(f"“{step.name}”尚未审核同意，{role}须在审核同意之后签字。")
    if review.head:
        raise StepRefused(f"“{step.name}”已由{review.head}作为{role}签字，不能重复签字。")
    if same_person(review.by, head):
        raise StepRefused(f"“{step.name}”由{review.by}审核，第二签字须由另一人（{role}）签署，不能由同一人签两次。")
    review.head = head
    session.add(review)
    return review, step


def derive_state(registry: Registry, session: Session | None, doc: Document,
                 reviews: list[DocumentReview] | None = None) -> str:
    """The document's state from its facts (never stored apart from them); ``reviews``: its
    reviews when the caller has them (else read)."""
    if doc.repealed is not None:
        return "repealed"
    steps = route(registry, doc)
    if reviews is None:
        reviews = reviews_of(session, doc.id)
    done = latest(reviews)
    if doc.published_on is not None:
        return "published" if next_step(steps, done, "after") else "closed"
    for step_id, step in confidentiality_points(registry).items():
        status = point_status(step, done.get(step_id))
        if status == "escalated":
            return "escalated"
        if status == "withheld" and step_id == PUBLICATION_POINT:
            return "exempted"
    pending = next_step(steps, done, "before")
    if reviews and reviews[-1].decision == "reject":
        return "returned"
    if pending is None or pending.step.id == PUBLISH_STEP:
        attribute = resolve_attribute(registry, doc.attribute)
        return "ready" if is_published(attribute) else "filed"
    return "in_review"


STATE_NAMES = {
    "in_review": "审核中",
    "returned": "退回修改",
    "escalated": "已报审",
    "exempted": "免予公开",
    "ready": "待发布",
    "filed": "已定属性",
    "published": "已发布",
    "closed": "已办结",
    "repealed": "已废止",
}
