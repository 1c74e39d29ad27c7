"""The document workflow: register a draft, review it, publish it, re-evaluate it.

Each function runs inside the caller's transaction, bumps ``Document.version`` and
appends an :class:`Event`; the CLI wraps one command in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import attrs

from gongkai.core.time.deadline_store import is_provisional
from gongkai.core.documents import clocks
from gongkai.core.documents.attributes import (
    Draft,
    check_draft,
    check_kind_made,
    draft_of,
    interpretation_refusal,
    is_published,
    missing_interpretation,
    resolve_attribute,
    resolve_decision_kind,
    resolve_kind,
)
from gongkai.core.documents.models import OWNER, Document
from gongkai.core.documents.review import (
    PUBLISH_STEP,
    STATE_NAMES,
    check_self_approval,
    confidentiality_points,
    derive_state,
    is_done,
    latest,
    next_step,
    point_status,
    record_review,
    reviews_of,
    route,
)
from gongkai.core.errors import GongkaiError, NotFound, StepRefused
from gongkai.core.accounts.names import clean_name, person_key
from gongkai.core.records.storage import events_for, record_event
from gongkai.core.today import not_before, not_future
from gongkai.core.today import today as beijing_today
from gongkai.hookspecs.records import FormSpec, Provision

if TYPE_CHECKING:
    from sqlmodel import Session

    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.law.plugins import Registry

APPROVAL_FORM = "proactive.approval_form"
REEVALUATION_RULE = "document.reevaluation"


def get_document(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(f"没有编号为 {document_id} 的文件。可用 `gongkai documents` 查看已登记的文件。")
    return doc


def _snapshot(doc: Document) -> dict[str, Any]:
    return {"state": doc.state, "attribute": doc.attribute_name, "version": doc.version}


def _changed(session: Session, registry: Registry, doc: Document, action: str, actor: str, before: dict, extra: dict | None = None) -> None:
    doc.state = derive_state(registry, session, doc)
    doc.version += 1
    session.add(doc)
    record_event(session, subject_kind=OWNER, subject_id=doc.id, action=action, actor=actor,
                 before=before, after={**_snapshot(doc), **(extra or {})})


def document_values(
    registry: Registry,
    *,
    title: str,
    kind: str,
    attribute: str | None,
    number: str = "",
    producer: str = "",
    handler: str = "",
    summary: str = "",
    reason: str = "",
    interpretation: str = "",
    major_policy: bool = False,
    government_issued: bool = False,
    formed: dt.date | None = None,
    changed: dt.date | None = None,
    finalised: dt.date | None = None,
    decision_kind: str = "",
    decided_on: dt.date | None = None,
    category: str = "",
    internal_version: str = "",
    public_version: str = "",
    declassify_method: str = "",
    secrecy_confirmed_by: str = "",
    today: dt.date | None = None,
) -> dict[str, Any]:
    """A drafted document's columns, after every check its registration makes (the disclosure
    attribute refused if the rules say so): ``document new`` and ``document import`` alike."""
    if not title.strip():
        raise GongkaiError("--title 不能为空：请写明文件标题。")
    for day, what in ((formed, "形成"), (changed, "变更"), (finalised, "成文"), (decided_on, "作出决定")):
        not_future(day, what)  # a document is registered once it exists
    kind = check_kind_made(registry, resolve_kind(kind))
    draft = Draft(kind=kind, attribute=attribute, reason=reason, interpretation=interpretation,
                  major_policy=major_policy, government_issued=government_issued, internal_version=internal_version, public_version=public_version,
                  declassify_method=declassify_method, secrecy_confirmed_by=secrecy_confirmed_by)
    attr = check_draft(registry, draft)
    if decision_kind:
        decision_kind = resolve_decision_kind(decision_kind, clocks.DOUBLE_PUBLICITY_KINDS)
    stated = _stated_category(category, kind, decision_kind)
    registered = today or beijing_today()
    if not (formed or changed or finalised):
        formed = registered  # formed when it is registered
    return dict(
        title=title.strip(), number=number.strip(), producer=producer, handler=handler, summary=summary,
        kind=kind, major_policy=major_policy, government_issued=government_issued, decision_kind=decision_kind, decided_on=decided_on,
        category=stated, formed=formed, changed=changed, finalised=finalised, attribute=attr.code, attribute_name=attr.name,
        reason=reason.strip(), interpretation=interpretation.strip(), internal_version=internal_version,
        public_version=public_version, declassify_method=declassify_method,
        secrecy_confirmed_by=secrecy_confirmed_by,
    )


def register_document(session: Session, registry: Registry, calendar: WorkCalendar, *, actor: str = "",
                      **fields: Any) -> Document:
    """Register a drafted document with its disclosure attribute (refused if the rules say so);
    ``fields``: those of :func:`document_values`."""
    doc = Document(**document_values(registry, **fields))
    session.add(doc)
    session.flush()
    registered = fields.get("today") or beijing_today()  # put to review the day it is registered
    clocks.schedule(session, registry, calendar, doc, requested=registered)
    doc.state = derive_state(registry, session, doc)
    session.add(doc)
    record_event(session, subject_kind=OWNER, subject_id=doc.id, action="registered", actor=actor or doc.handler,
                 after={**_snapshot(doc), "title": doc.title, "number": doc.number, "kind": doc.kind, "reason": doc.reason,
                        "category": doc.category})
    return doc


def _stated_category(value: str, kind: str, decision_kind: str) -> int | None:
    """The item of 第二十条 ``value`` names, kept only where it differs from the derived one (None)."""
    from gongkai.core.documents.catalogue import category_number, category_of

    if not (value or "").strip():
        return None
    number = category_number(value)
    return None if number == category_of(kind, decision_kind) else number


def _category(doc: Document) -> str:
    from gongkai.core.documents.catalogue import category_label, stated_or_derived

    return category_label(stated_or_derived(doc.category, doc.kind, doc.decision_kind))


def set_category(session: Session, registry: Registry, doc: Document, *, category: str, by: str) -> None:
    """State the item of 条例 第二十条 the catalogue lists ``doc`` under (``""``: back to the derived one)."""
    stated = _stated_category(category, doc.kind, doc.decision_kind)
    if stated == doc.category:
        raise GongkaiError(f"文件 {doc.id} 的类别已是“{_category(doc)}”，没有要修改的。")
    before = {**_snapshot(doc), "category": doc.category}
    doc.category = stated
    _changed(session, registry, doc, "category.changed", by, before, {"category": doc.category})


def review_document(
    session: Session, registry: Registry, doc: Document, *, step_id: str, by: str, decision: str,
    on: dt.date, opinion: str = "", basis: str = "", checks: tuple[str, ...] = (), head: str = "", comment: str = "",
    capacity: str = "",
) -> None:
    """Record one review decision; ``capacity`` is the role signed in where the step has an
    alternate signer (西咸新区 附件2: 分管政务公开领导 for items of the unit's 事项目录)."""
    not_future(on, "审核")
    before = _snapshot(doc)
    review, step, status = record_review(
        session, registry, doc, step_id=step_id, by=by, decision=decision, on=on, opinion=opinion,
        basis=basis, checks=checks, head=head, comment=comment, capacity=capacity,
    )
    basis = review.basis
    session.flush()
    if status not in ("route", "returned"):  # an opinion was given on a timed review point
        clocks.meet(session, doc, f"review.{step_id}", on)
    extra = {"step": step_id, "decision": decision, "opinion": opinion, "basis": basis,
             "checks": json.loads(review.checks), "on": on}
    if status == "escalated":
        # 五原县 保密审查制度 第八条: 报有关主管部门或者保密行政管理部门确定，仍不能确定的逐级上报
        extra["escalated_to"] = "有关主管部门或者保密行政管理部门"
    _changed(session, registry, doc, f"review.{decision}" if status != "escalated" else "review.escalated",
             by, before, extra)


def cosign_document(session: Session, registry: Registry, doc: Document, *, step_id: str, head: str) -> None:
    """The second signature of a review step (e.g. 分管保密工作负责人 on 保密审查), by its signer."""
    from gongkai.core.documents.review import record_cosign

    before = _snapshot(doc)
    review, step = record_cosign(session, registry, doc, step_id=step_id, head=head)
    session.flush()
    _changed(session, registry, doc, "review.cosign", review.head, before,
             {"step": step_id, "head": review.head, "by": review.by, "on": review.on})


def publication_channels(registry: Registry) -> tuple[str, ...]:
    """The channels the approval form offers (西咸新区 附件2 拟公开方式), or () if free."""
    form = registry.find(APPROVAL_FORM, FormSpec)
    if form is None:
        return ()
    for f in form.fields:
        if "公开方式" in f.name and f.options:
            return f.options
    return ()


def check_channel(registry: Registry, channel: str) -> str:
    channel = (channel or "").strip()
    if not channel:
        raise GongkaiError("--channel 不能为空：请写明发布渠道，如 政府网站。")
    options = publication_channels(registry)
    if not options or channel in options:
        return channel
    head, sep, _ = channel.replace(":", "：").partition("：")
    if sep and head in options:
        return channel  # 其他：……
    raise GongkaiError(f"发布渠道“{channel}”不在审批表的拟公开方式中，--channel 可选：{'、'.join(options)}（“其他”可写成 其他：渠道名）。")


def publisher(by: str) -> str:
    """The 信息发布员 a publication names."""
    by = clean_name(by)
    if not person_key(by):
        raise GongkaiError("--by 不能为空：请写明信息发布员。")
    return by.strip()


def check_publication_day(on: dt.date, finalised: dt.date | None, changed: dt.date | None) -> None:
    not_future(on, "发布")
    not_before(on, finalised, "发布", "成文日期")
    not_before(on, changed, "发布", "变更日期")


def check_repeal_day(on: dt.date, finalised: dt.date | None, published_on: dt.date | None) -> None:
    not_future(on, "废止")
    not_before(on, finalised, "废止", "成文日期")
    not_before(on, published_on, "废止", "发布日期")


def publish_document(session: Session, registry: Registry, doc: Document, *, on: dt.date, channel: str, by: str) -> str:
    """Publish after every step before publication; returns the timeliness of the publication."""
    attribute = resolve_attribute(registry, doc.attribute)
    if not is_published(attribute):
        raise StepRefused(f"文件 {doc.id} 的公开属性为“{attribute.name}”，不主动公开。如需公开，请先重新认定公开属性。")
    if doc.published_on is not None:
        raise StepRefused(f"文件 {doc.id} 已于 {doc.published_on} 发布。")
    if doc.state in ("repealed", "exempted", "escalated"):
        raise StepRefused(f"文件 {doc.id} 当前状态为“{STATE_NAMES[doc.state]}”，不能发布（review.confidentiality：先审查、后公开）。")
    by = publisher(by)
    channel = check_channel(registry, channel)
    steps = route(registry, doc)
    done = latest(reviews_of(session, doc.id))
    pending = next_step(steps, done, "before")
    if pending is not None and pending.step.id != PUBLISH_STEP:
        raise StepRefused(f"“{pending.step.name}”尚未完成，不能发布（{pending.chain}：未经审批不得公开）。")
    refusal = interpretation_refusal(registry, attribute, draft_of(doc), at=PUBLISH_STEP, document_id=doc.id)
    if refusal:
        raise refusal
    if doc.state == "returned":
        raise StepRefused(f"文件 {doc.id} 已被退回修改，须重新审核后才能发布。")
    by = by.strip()
    if any(rs.step.id == PUBLISH_STEP for rs in steps):
        check_self_approval(steps, done, PUBLISH_STEP, by)
    # published only once approved and finalised (未经审批不得公开)
    check_publication_day(on, doc.finalised, doc.changed)
    not_before(on, max((r.on for r in done.values() if r.on and r.decision == "approve"), default=None),
               "发布", "审批通过的日期")
    from gongkai.core.documents.models import DocumentReview

    session.add(DocumentReview(document_id=doc.id, step_id=PUBLISH_STEP, step_name="信息发布", decision="approve",
                               by=by, on=on, comment=channel))
    before = _snapshot(doc)
    rows = {r.name: r for r in clocks.clocks_of(session, doc.id)}
    timeliness = clocks.timeliness(rows.get("publish"), on)
    doc.published_on, doc.channel, doc.published_by = on, channel, by
    for name in ("publish", "double_publicity"):
        if name in rows:
            clocks.meet(session, doc, name, on)
    session.flush()
    _changed(session, registry, doc, "published", by, before, {"on": on, "channel": channel, "timeliness": timeliness})
    return timeliness


def meet_clock(session: Session, registry: Registry, doc: Document, name: str, on: dt.date, by: str) -> None:
    """Record that a duty timed by clock ``name`` was done (archive delivery, a report...)."""
    rows = {r.name: r for r in clocks.clocks_of(session, doc.id)}
    if name not in rows:
        raise GongkaiError(f"文件 {doc.id} 没有期限“{name}”。可选：{'、'.join(rows) or '（无）'}。")
    if name == "publish":
        raise StepRefused("发布期限随 `gongkai document publish` 办结。")
    if rows[name].status != "open":
        raise StepRefused(f"期限“{clocks.clock_name(name, registry)}”已于 {rows[name].met_on} 办结。")
    not_future(on, "办结")
    not_before(on, rows[name].start, f"办结“{clocks.clock_name(name, registry)}”", "该期限的起算日")
    before = _snapshot(doc)
    clocks.meet(session, doc, name, on)
    _changed(session, registry, doc, f"clock.{name}", by, before, {"on": on, "timeliness": clocks.timeliness(rows[name], on)})


def attach_interpretation(session: Session, registry: Registry, doc: Document, *, material: str, on: dt.date, by: str) -> None:
    """Add interpretation material (解读方案、解读材料, or where they are filed) after registration;
    it joins what the document already has, so a document refused for lacking it can go on."""
    material = material.strip()
    if not material:
        raise GongkaiError("--interpretation 不能为空：请写明解读方案、解读材料或其存放位置。")
    if doc.repealed is not None:
        raise StepRefused(f"文件 {doc.id} 已于 {doc.repealed} 废止，不能再补充解读材料。")
    not_future(on, "报送解读材料")
    before = {**_snapshot(doc), "interpretation": doc.interpretation}
    doc.interpretation = f"{doc.interpretation}\n{material}" if doc.interpretation else material
    _changed(session, registry, doc, "interpretation.attached", by, before,
             {"interpretation": doc.interpretation, "added": material, "on": on})


def repeal_document(session: Session, registry: Registry, doc: Document, on: dt.date, by: str) -> None:
    if doc.repealed is not None:
        raise StepRefused(f"文件 {doc.id} 已于 {doc.repealed} 废止。")
    check_repeal_day(on, doc.finalised, doc.published_on)
    before = _snapshot(doc)
    doc.repealed = on
    clocks.cancel_open(session, doc, tuple(r.name for r in clocks.clocks_of(session, doc.id)), on)
    _changed(session, registry, doc, "repealed", by, before, {"on": on})


# --------------------------------------------------------------------------- re-evaluation


def reevaluation_rule(registry: Registry) -> Provision:
    rule = registry.find(REEVALUATION_RULE, Provision)
    if rule is None:
        raise GongkaiError(f"{registry.jurisdiction.display_name}没有定期审查公开属性的规定（{REEVALUATION_RULE}）。")
    return rule


def review_due(session: Session, registry: Registry, since: dt.date) -> list[Document]:
    """Documents under a reviewed attribute not re-evaluated since ``since``."""
    from sqlmodel import or_, select

    rule = reevaluation_rule(registry)
    return list(session.exec(
        select(Document)
        .where(Document.attribute_name.in_(rule.options), Document.repealed.is_(None))  # type: ignore[union-attr]
        .where(or_(Document.last_reevaluated.is_(None), Document.last_reevaluated < since))  # type: ignore[union-attr]
        .order_by(Document.id)
    ).all())


def reevaluate_document(
    session: Session, registry: Registry, calendar: WorkCalendar, doc: Document, *,
    on: dt.date, by: str, attribute: str | None = None, reason: str = "", note: str = "",
) -> None:
    """Record a re-evaluation; converting to a published attribute starts publication
    (长宁区 第四十七条: 符合主动公开条件的及时转化公开), counted from the day of the change."""
    from gongkai.core.documents.models import Reevaluation

    rule = reevaluation_rule(registry)
    if doc.attribute_name not in rule.options:
        raise StepRefused(f"文件 {doc.id} 的公开属性为“{doc.attribute_name}”，不在定期审查范围（{'、'.join(rule.options)}；{rule.citation}）。")
    not_future(on, "审查")
    not_before(on, doc.last_reevaluated, "审查", "上次定期审查的日期")
    before = _snapshot(doc)
    old = doc.attribute_name
    if attribute:
        draft = attrs.evolve(draft_of(doc), attribute=attribute, reason=reason or doc.reason)
        attr = check_draft(registry, draft)
        if attr.code != doc.attribute:
            doc.attribute, doc.attribute_name, doc.reason = attr.code, attr.name, draft.reason
            doc.changed = on
            if clocks.WITHHELD != attr.code:
                clocks.cancel_open(session, doc, ("nondisclosure_report",), on)
    doc.last_reevaluated = on
    session.add(Reevaluation(document_id=doc.id, on=on, by=by, before_attribute=old, after_attribute=doc.attribute_name, note=note))
    session.flush()
    clocks.schedule(session, registry, calendar, doc, requested=on)
    _changed(session, registry, doc, "reevaluated", by, before, {"on": on, "note": note, "citation": str(rule.citation)})


# --------------------------------------------------------------------------- reading


def _clock_json(row: Any, registry: Registry, calendar: WorkCalendar) -> dict[str, Any]:
    return {
        "name": row.name, "label": clocks.clock_name(row.name, registry), "rule": row.rule_id,
        "start": row.start.isoformat(), "due": row.due.isoformat() if row.due else None,
        "limit": row.limit.isoformat() if row.limit else None, "provisional": is_provisional(row, calendar),
        "status": row.status, "met_on": row.met_on.isoformat() if row.met_on else None,
    }


def main_clock(rows: list[Any]) -> Any | None:
    """The clock a listing shows: publication if there is one, else the earliest open one."""
    by_name = {r.name: r for r in rows}
    if "publish" in by_name:
        return by_name["publish"]
    open_rows = sorted((r for r in rows if r.status == "open" and r.due), key=lambda r: r.due)
    return open_rows[0] if open_rows else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def document_json(session: Session, registry: Registry, calendar: WorkCalendar, doc: Document, *, events: bool = True) -> dict[str, Any]:
    rows = clocks.clocks_of(session, doc.id)
    reviews = reviews_of(session, doc.id)
    done = latest(reviews)
    clock = main_clock(rows)
    steps = []
    for rs in route(registry, doc):
        r = done.get(rs.step.id)
        steps.append(_step_json(rs.step, r, rs.chain, is_done(r)))
    points = []
    for step_id, step in confidentiality_points(registry).items():
        r = done.get(step_id)
        status = point_status(step, r)
        points.append({**_step_json(step, r, "review.confidentiality", status in ("cleared", "withheld")), "status": status})
    attribute = resolve_attribute(registry, doc.attribute)
    warning = missing_interpretation(registry, attribute, draft_of(doc))
    data: dict[str, Any] = {
        "id": doc.id, "version": doc.version, "title": doc.title, "number": doc.number, "producer": doc.producer,
        "handler": doc.handler, "summary": doc.summary, "kind": doc.kind, "major_policy": doc.major_policy,
        "government_issued": doc.government_issued,
        "attribute": doc.attribute_name, "attribute_code": doc.attribute, "reason": doc.reason,
        "interpretation": doc.interpretation,
        "state": doc.state, "state_name": STATE_NAMES.get(doc.state, doc.state),
        "formed": _iso(doc.formed), "changed": _iso(doc.changed), "finalised": _iso(doc.finalised),
        "repealed": _iso(doc.repealed), "decision_kind": doc.decision_kind, "decided_on": _iso(doc.decided_on),
        "category": _category(doc), "category_stated": doc.category is not None,
        "due": _iso(clock.due) if clock else None, "limit": _iso(clock.limit) if clock else None,
        "provisional": bool(clock and is_provisional(clock, calendar)), "clock": clock.name if clock else None,
        "clocks": [_clock_json(r, registry, calendar) for r in rows],
        "review_steps": steps, "confidentiality_reviews": points,
        "published_on": _iso(doc.published_on), "channel": doc.channel, "published_by": doc.published_by,
        "last_reevaluated": _iso(doc.last_reevaluated),
        "warnings": [warning] if warning else [],
    }
    if attribute.needs_public_version:
        data["versions"] = {"internal": doc.internal_version, "public": doc.public_version,
                            "method": doc.declassify_method, "secrecy_confirmed_by": doc.secrecy_confirmed_by}
    if events:
        data["events"] = events_for(session, OWNER, doc.id)
    return data


def _step_json(step: Any, review: Any, chain: str, done: bool) -> dict[str, Any]:
    return {
        "id": step.id, "name": step.name, "role": step.role, "stage": step.stage, "chain": chain, "done": done,
        "decision": review.decision if review else None, "by": review.by if review else None,
        "head": review.head if review else None, "opinion": review.opinion if review else None,
        "basis": review.basis if review else None, "checks": json.loads(review.checks) if review and review.checks else [],
        "on": _iso(review.on) if review else None, "checklist": list(step.checklist), "opinions": list(step.opinions),
    }


def list_documents(
    session: Session, registry: Registry, calendar: WorkCalendar, *, today: dt.date, overdue: bool = False, due_within: int | None = None,
) -> list[dict[str, Any]]:
    """The document ledger; ``overdue``/``due_within`` keep documents with an open clock
    past due, or due within that many calendar days."""
    from sqlmodel import select

    from gongkai.core.time.deadline_store import DeadlineTerm, StoredDeadline

    docs = session.exec(select(Document).order_by(Document.id)).all()
    out = []
    wanted: set[int] | None = None
    open_clocks = select(StoredDeadline.owner_id).join(DeadlineTerm).where(
        StoredDeadline.owner_kind == OWNER, StoredDeadline.status == "open")
    late = set(session.exec(open_clocks.where(DeadlineTerm.due < today)).all())  # marked in every listing
    if overdue or due_within is not None:
        query = open_clocks
        if overdue:
            query = query.where(DeadlineTerm.due < today)
        if due_within is not None:
            query = query.where(DeadlineTerm.due <= today + dt.timedelta(days=due_within))
        wanted = set(session.exec(query).all())
    for doc in docs:
        if wanted is not None and doc.id not in wanted:
            continue
        out.append(document_json(session, registry, calendar, doc, events=False) | {"overdue": doc.id in late})
    return out
