"""Disclosure attributes: set when a document is drafted, checked against the jurisdiction's
:class:`DocumentAttributes` (``document.attribute``) and interpretation rule
(``policy.interpretation``). A draft that misses what the rules demand is refused, and
the refusal cites the rule and says what the text does with such a draft (退文, 不予收文).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from gongkai.core.documents.models import DECISION_ALIASES, DECLASSIFY_METHODS, KIND_ALIASES, KINDS
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.hookspecs.records import Attribute, DocumentAttributes, InterpretationRule, Provision

if TYPE_CHECKING:
    from gongkai.core.law.plugins import Registry

ATTRIBUTE_RULE = "document.attribute"
INTERPRETATION_RULE = "policy.interpretation"
PROACTIVE = "proactive"  # 条例 第十九条: the attribute that is published


@attrs.define
class Draft:
    """What a drafter states about a document's disclosure."""

    kind: str
    attribute: str | None
    reason: str = ""
    interpretation: str = ""
    major_policy: bool = False
    government_issued: bool = False
    internal_version: str = ""
    public_version: str = ""
    declassify_method: str = ""
    secrecy_confirmed_by: str = ""


def draft_of(doc: Any) -> Draft:
    """What a stored :class:`~gongkai.core.documents.models.Document` states, as a draft."""
    return Draft(kind=doc.kind, attribute=doc.attribute, reason=doc.reason, interpretation=doc.interpretation,
                 major_policy=doc.major_policy, government_issued=doc.government_issued,
                 internal_version=doc.internal_version, public_version=doc.public_version,
                 declassify_method=doc.declassify_method, secrecy_confirmed_by=doc.secrecy_confirmed_by)


def attribute_rule(registry: Registry) -> DocumentAttributes:
    return registry.rule(ATTRIBUTE_RULE, DocumentAttributes)


def is_published(attribute: Attribute) -> bool:
    """Whether a document with this attribute goes through proactive publication."""
    return attribute.code == PROACTIVE or attribute.needs_public_version


def resolve_kind(text: str) -> str:
    value = (text or "").strip()
    value = KIND_ALIASES.get(value.lower(), value)
    if value not in KINDS:
        raise GongkaiError(f"公文种类“{text}”无效。--kind 可选：{'、'.join(KINDS)}（或 rule、normative、other）。")
    return value


KINDS_NOT_MADE = "document.kinds_not_made"


def check_kind_made(registry: Registry, kind: str) -> str:
    """``kind``, unless the jurisdiction's units cannot make documents of that kind (a county
    or district makes no 规章: 立法法 第九十三条)."""
    rule = registry.find(KINDS_NOT_MADE, Provision)
    if rule is not None and kind in rule.options:
        allowed = "、".join(k for k in KINDS if k not in rule.options)
        raise GongkaiError(f"{registry.jurisdiction.display_name}的单位不制定{kind}：{rule.summary}（依据：{rule.citation}）。"
                           f"--kind 可选：{allowed}。")
    return kind


def resolve_decision_kind(text: str, allowed: tuple[str, ...]) -> str:
    value = (text or "").strip()
    value = DECISION_ALIASES.get(value.lower(), value)
    if value not in allowed:
        raise GongkaiError(f"决定类别“{text}”无效，可选：{'、'.join(allowed)}。")
    return value


def resolve_attribute(registry: Registry, text: str) -> Attribute:
    """The jurisdiction's attribute named ``text`` (Chinese name or its code)."""
    rule = attribute_rule(registry)
    value = (text or "").strip()
    for attribute in rule.attributes:
        if value in (attribute.name, attribute.code):
            return attribute
    names = "、".join(a.name for a in rule.attributes)
    raise GongkaiError(
        f"公开属性“{text}”不是{registry.jurisdiction.display_name}规定的属性。--attribute 可选：{names}（依据：{rule.citation}）。"
    )


def _refuse(rule: DocumentAttributes | InterpretationRule, problem: str, fix: str, consequence: str) -> StepRefused:
    action = f"按规定{consequence}" if consequence else "不予登记"
    return StepRefused(f"{problem}，{action}（{rule.id}：{rule.citation}）。{fix}")


def check_draft(registry: Registry, draft: Draft) -> Attribute:
    """The draft's attribute, after every check the jurisdiction's rules demand."""
    rule = attribute_rule(registry)
    names = "、".join(a.name for a in rule.attributes)
    if not draft.attribute:
        raise _refuse(rule, "公文未标明公开属性", f"请用 --attribute 标明：{names}。", rule.on_missing)
    attribute = resolve_attribute(registry, draft.attribute)
    if attribute.needs_reason and not draft.reason.strip():
        raise _refuse(
            rule, f"公开属性为“{attribute.name}”的公文未说明理由",
            "请用 --reason 写明依据的法律法规条款和理由。", rule.on_missing,
        )
    if attribute.needs_public_version:
        _check_declassified(rule, attribute, draft)
    refusal = interpretation_refusal(registry, attribute, draft, at=REGISTRATION)
    if refusal:
        raise refusal
    return attribute


def _check_declassified(rule: DocumentAttributes, attribute: Attribute, draft: Draft) -> None:
    missing = []
    if not draft.internal_version.strip():
        missing.append("内部行文文稿（密件）--internal-version")
    if not draft.public_version.strip():
        missing.append("脱密后公开的文稿 --public-version")
    if not draft.declassify_method.strip():
        missing.append(f"脱密处理方式 --method（{'、'.join(DECLASSIFY_METHODS)}）")
    elif draft.declassify_method not in DECLASSIFY_METHODS:
        raise GongkaiError(f"脱密处理方式“{draft.declassify_method}”无效，--method 可选：{'、'.join(DECLASSIFY_METHODS)}。")
    if not draft.secrecy_confirmed_by.strip():
        who = attribute.needs_approval_by or "保密办"
        missing.append(f"{who}的审核确认 --secrecy-confirmed-by")
    if missing:
        raise _refuse(
            rule, f"“{attribute.name}”的公文须同时提供内部版本和脱密后的公开版本",
            "缺少：" + "；".join(missing) + "。", rule.on_missing,
        )


REGISTRATION = "registration"  # InterpretationRule.refused_at: refused when the draft is submitted


def interpretation_needed(registry: Registry, attribute: Attribute, draft: Draft) -> InterpretationRule | None:
    """The interpretation rule ``draft`` falls under while it has no material attached, or None."""
    rule = registry.find(INTERPRETATION_RULE, InterpretationRule)
    if (
        rule is None
        or not is_published(attribute)
        or draft.interpretation.strip()
        or not rule.applies_to(draft.kind, draft.major_policy, draft.government_issued)
    ):
        return None
    return rule


def interpretation_refusal(
    registry: Registry, attribute: Attribute, draft: Draft, *, at: str, document_id: int | None = None,
) -> StepRefused | None:
    """Why ``draft`` may not pass ``at`` (a review step id, ``registration`` or ``publish``)
    without interpretation material, with the citation; None when it may."""
    rule = interpretation_needed(registry, attribute, draft)
    if rule is None or at not in (rule.stopped_at(draft.government_issued), "publish"):
        return None
    if draft.kind in rule.document_kinds:
        what = draft.kind
    elif draft.major_policy and rule.major_policy:
        what = "重要政策文件"
    else:
        what = "拟主动公开的文件"
    if rule.government_issued:
        what = "以本级政府名义印发的" + what
    elif rule.government_refused_at and draft.government_issued:
        what = "以本级政府名义制定或须报本级政府同意的" + what
    on_missing = rule.on_missing if rule.consequence_applies(draft.government_issued) else ""
    if at == REGISTRATION:
        fix = "请用 --interpretation 附上后重新报送。"
        consequence = on_missing or "不予登记"
    else:
        fix = f"请先用 `gongkai document attach {document_id} --interpretation …` 补充后再办理。"
        consequence = (f"按规定{on_missing}，" if on_missing else "") + ("不予发布" if at == "publish" else "不予审批")
    return StepRefused(f"{what}未附{rule.material}，{consequence}（依据：{rule.citation}）。{fix}")


def missing_interpretation(registry: Registry, attribute: Attribute, draft: Draft) -> str | None:
    """What a document still lacks in interpretation material, as a warning, or None: the
    refusal rule's requirement, or else the attribute rule's (e.g. 长宁区 第四十六条)."""
    rule = interpretation_needed(registry, attribute, draft)
    if rule is not None:
        return f"尚未附{rule.material}，审批和发布时将被拒绝（{rule.citation}）。可用 `gongkai document attach` 补充。"
    attributes = attribute_rule(registry)
    if attributes.requires_interpretation and is_published(attribute) and not draft.interpretation.strip():
        return f"拟主动公开的公文应一并报送解读材料（{attributes.citation}），尚未登记解读材料。"
    return None
