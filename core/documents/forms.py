"""The approval form of a document: the jurisdiction's own (西咸新区 附件2
《西咸新区政务信息公开审批表》, a ``proactive.approval_form`` FormSpec with its template), or
the generic core form that lists the document's route."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.core.documents.attributes import is_published, resolve_attribute
from gongkai.core.documents.review import confidentiality_points, is_done, latest, reviews_of, route
from gongkai.core.documents.workflow import APPROVAL_FORM, document_json, publication_channels
from gongkai.hookspecs.records import FormSpec

if TYPE_CHECKING:
    from sqlmodel import Session

    from gongkai.core.time.calendar import WorkCalendar
    from gongkai.core.documents.models import Document
    from gongkai.core.law.plugins import Registry

GENERIC_TEMPLATE = "document_approval_form.md.j2"
CHECKED, UNCHECKED = "☑", "☐"


def box(flag: bool) -> str:
    return CHECKED if flag else UNCHECKED


def form_context(session: Session, registry: Registry, calendar: WorkCalendar, doc: Document, unit: str) -> dict[str, Any]:
    import json

    form = registry.find(APPROVAL_FORM, FormSpec)
    done = latest(reviews_of(session, doc.id))
    points = confidentiality_points(registry)
    steps: dict[str, dict[str, Any]] = {}
    for step in [rs.step for rs in route(registry, doc)] + list(points.values()):
        r = done.get(step.id)
        checked = json.loads(r.checks) if r and r.checks else []
        steps[step.id] = {
            "name": step.name, "role": step.role, "done": is_done(r),
            "by": r.by if r else "", "head": r.head if r else "", "on": r.on if r else None,
            "opinion": r.opinion if r else "", "basis": r.basis if r else "", "comment": r.comment if r else "",
            "decision": {"approve": "通过", "reject": "退回"}.get(r.decision, "") if r else "",
            "checklist": [{"item": item, "box": box(item in checked)} for item in step.checklist],
        }
    channel = doc.channel
    options = publication_channels(registry)
    other = ""
    channels = []
    for option in options:
        hit = channel == option or channel.replace(":", "：").startswith(option + "：")
        if hit and channel != option:
            other = channel.replace(":", "：").partition("：")[2]
        channels.append({"name": option, "box": box(hit)})
    return {
        "title": form.title if form else "政务信息公开审批表",
        "form": form,
        "fields": {f.name: f for f in form.fields} if form else {},
        "unit": unit,
        "doc": document_json(session, registry, calendar, doc, events=False),
        "steps": steps,
        "route": [rs.step.id for rs in route(registry, doc)],
        "points": printed_points(registry, doc, points, done),
        "channels": channels,
        "channel_other": other,
        "jurisdiction": registry.jurisdiction.display_name,
    }


# The 依申请提供前 review is made when a request is answered (the request's own chain, where the
# text names it: 长宁区 第五十一条（三）, 五原县 六（三）), never on a document's form.
PROVISION_POINT = "before_provision"


def printed_points(registry: Registry, doc: Document, points: dict[str, Any], done: dict[str, Any]) -> list[str]:
    """The 保密审查 rows a document's 审批表 prints (issue 32 items 10 and 19): each point signed
    for it, and each still to sign that its text requires of this document; not the
    依申请提供前 point (a request's), not a point the 条例 does not require (文件形成时, cited to
    no text), and not 主动公开前 where the route signs its own 保密审查 step."""
    route_ids = {rs.step.id for rs in route(registry, doc)}
    attribute = resolve_attribute(registry, doc.attribute)
    out = []
    for point, step in points.items():
        if point in done:
            out.append(point)
        elif point == PROVISION_POINT or step.citation is None:
            continue
        elif point == "before_publication" and ("confidentiality" in route_ids or not is_published(attribute)):
            continue
        else:
            out.append(point)
    return out


def template_name(registry: Registry) -> str:
    form = registry.find(APPROVAL_FORM, FormSpec)
    if form is not None and form.template:
        return form.template if form.template.endswith(".j2") else f"{form.template}.md.j2"
    return GENERIC_TEMPLATE


def render_form(session: Session, registry: Registry, calendar: WorkCalendar, doc: Document, unit: str, fmt: str, out: Path) -> Path:
    from gongkai.core.paperwork import word
    from gongkai.core.paperwork.render import render, write_output

    context = form_context(session, registry, calendar, doc, unit)
    text = render(registry.template_dirs, template_name(registry), context)
    return write_output(text, fmt, out, context["title"], layout=word.FORM)
