"""Which of the jurisdiction's deadline rules are matter kinds, and which clocks each opens.

A matter kind is any :class:`DeadlineRule` (not a fixed annual date) whose ID belongs to
one of :data:`MATTER_FAMILIES`. The families are listed once, here, as data; the rules
themselves (and so which kinds a jurisdiction has) come from the active plugin.

Sub-rules: a rule ``X.press_conference`` is a *further clock* of kind ``X`` (a major
incident needs the first release within 5 hours AND the press conference within 24):
opening ``X`` opens both. Every other sub-rule is an *alternative* kind of its own
(``consult.reply.simple`` is a simple question answered in 1 working day instead of 5;
``opinion.response.other`` is a lesser concern answered in 48 hours), opened by its own ID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from gongkai.core.errors import GongkaiError
from gongkai.hookspecs.records import DeadlineRule, Unit

if TYPE_CHECKING:
    from gongkai.core.law.plugins import Registry

# Rule-ID families (an ID or a dotted prefix) whose deadline rules are matters.
MATTER_FAMILIES: tuple[str, ...] = (
    "opinion",  # 舆情回应
    "newmedia",  # 政务新媒体
    "consult",  # 在线咨询
    "mailbox",  # 领导信箱
    "decision.feedback",  # 重大行政决策意见采纳情况
    "power_list.update",  # 权责清单更新
    "double_publicity",  # 行政许可、行政处罚“双公示”
    "request.overturned_registration",  # 被撤销答复的登记
)

# Last ID segments that mark a further clock of the parent kind rather than a kind of its own.
SUB_CLOCKS: frozenset[str] = frozenset({"press_conference"})

# What a clerk reads for a kind or a clock (the rule ID stays in --json): by rule ID, or the
# family's name for an ID not listed here (a third-party plugin's own kind).
KIND_NAMES: dict[str, str] = {
    "opinion": "舆情回应",
    "opinion.major_incident": "重特大事件舆情回应",
    "opinion.response": "重大突发事件舆情回应",
    "opinion.response.other": "其他社会关切回应",
    "newmedia": "政务新媒体",
    "newmedia.first_release": "政务新媒体突发事件首发",
    "newmedia.inactive": "政务新媒体停更说明",
    "newmedia.public_interest_reply": "政务新媒体网民留言反馈",
    "consult": "在线咨询",
    "consult.reply": "在线咨询答复",
    "consult.reply.simple": "简单问题在线咨询答复",
    "consult.reply.policy_comment": "政策发布页面网民留言答复",
    "mailbox": "领导信箱",
    "mailbox.reply": "领导信箱来信办结",
    "decision.feedback": "重大行政决策意见采纳情况公布",
    "power_list.update": "权责清单更新",
    "double_publicity": "行政许可、行政处罚“双公示”",
    "request.overturned_registration": "被纠正答复登记",
    "press_conference": "新闻发布会",  # the further clock of a major incident
}


def kind_name(rule_id: str) -> str:
    """The Chinese name of a matter kind or clock, e.g. 重特大事件舆情回应, 新闻发布会."""
    last = rule_id.rpartition(".")[2]
    if last in SUB_CLOCKS and last in KIND_NAMES:
        return KIND_NAMES[last]
    parts = rule_id.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in KIND_NAMES:
            return KIND_NAMES[".".join(parts[:n])]
    return rule_id


def in_family(rule_id: str) -> bool:
    return any(rule_id == f or rule_id.startswith(f + ".") for f in MATTER_FAMILIES)


@attrs.frozen
class MatterKind:
    """A kind of matter: its own rule (the main clock) and any further clocks."""

    rule: DeadlineRule
    further: tuple[DeadlineRule, ...] = ()

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def clocks(self) -> tuple[DeadlineRule, ...]:
        return (self.rule, *self.further)

    @property
    def timed(self) -> bool:
        return any(r.unit.is_timed for r in self.clocks)


def matter_kinds(registry: Registry) -> dict[str, MatterKind]:
    """The matter kinds of the active jurisdiction, by rule ID."""
    rules = {
        r.id: r
        for r in registry.rules_of(DeadlineRule)
        if in_family(r.id) and r.unit is not Unit.ANNUAL_DATE
    }
    further: dict[str, list[DeadlineRule]] = {}
    kinds: list[str] = []
    for rule_id in sorted(rules):
        parent, _, last = rule_id.rpartition(".")
        if last in SUB_CLOCKS and parent in rules:
            further.setdefault(parent, []).append(rules[rule_id])
        else:
            kinds.append(rule_id)
    return {k: MatterKind(rules[k], tuple(further.get(k, ()))) for k in kinds}


def matter_kind(registry: Registry, kind: str) -> MatterKind:
    """The kind ``kind`` (its rule ID or its Chinese name); refused with the kinds the jurisdiction has."""
    kinds = matter_kinds(registry)
    found = kinds.get(kind) or next((k for k in kinds.values() if kind_name(k.id) == kind.strip()), None)
    if found is not None:
        return found
    name = registry.jurisdiction.display_name
    parent, _, last = kind.rpartition(".")
    if last in SUB_CLOCKS and parent in kinds:
        raise GongkaiError(f"“{kind_name(kind)}”是事项“{kind_name(parent)}”的附属时限，请开立“{kind_name(parent)}”，两个时限会一并登记。")
    listing = "\n".join(f"  {kind_name(k)}（{v.rule.describe()}，{v.rule.citation}）" for k, v in kinds.items()) or "  （无）"
    raise GongkaiError(f"{name}没有事项类型“{kind}”。可用的事项类型：\n{listing}")
