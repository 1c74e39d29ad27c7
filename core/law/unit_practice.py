"""The unit's own practice (本单位规定): what no text sets, chosen in ``gongkai.toml``.

A rule record says what its text says; where the text leaves something to the unit, the unit
decides it here, and gongkai shows the result as 本单位规定, never as law::

    [unit_practice]
    # 答复前经政府信息公开工作机构负责人审批: no article requires it for every reply
    # (条例 第三十三条 asks it for an extension only).
    office_head_approval = true

    [unit_practice.periods]
    # a period the text leaves open ("及时", "在要求的时限内"), in the rule's own unit
    "party.request.reply" = 15

``office_head_approval`` defaults to on, so a unit keeps the chain it had, except where the
jurisdiction's text names its own approver of the reply (a step with ``approval=True``): there
it is off unless the unit turns it on, and then comes right before that approval.
"""

from __future__ import annotations

from typing import Any

import attrs

from gongkai.core.errors import GongkaiError
from gongkai.hookspecs.records import DeadlineRule, ReviewChain, ReviewStep

SECTION = "unit_practice"
OFFICE_HEAD_APPROVAL = "office_head_approval"
PERIODS = "periods"
REQUEST_CHAIN = "request.review_chain"

OFFICE_HEAD_STEP = ReviewStep(
    id="office_head",
    name="政府信息公开工作机构负责人审批",
    role="政府信息公开工作机构负责人",
    unit_practice=True,
)


def settings(raw: dict[str, Any], where: str) -> dict[str, Any]:
    """The ``[unit_practice]`` table of a config file, checked; ``where`` names the file."""
    table = raw.get(SECTION, {})
    if not isinstance(table, dict):
        raise GongkaiError(f"{where} 中 {SECTION} 应为表（[{SECTION}]），请修改。")
    unknown = sorted(set(table) - {OFFICE_HEAD_APPROVAL, PERIODS})
    if unknown:
        raise GongkaiError(
            f"{where} 的 [{SECTION}] 中没有设置项 {'、'.join(unknown)}；可用：{OFFICE_HEAD_APPROVAL}（true/false）、"
            f"[{SECTION}.{PERIODS}]（法规未定期限的规则编号 = 数量）。"
        )
    approval = table.get(OFFICE_HEAD_APPROVAL)
    if approval is not None and not isinstance(approval, bool):
        raise GongkaiError(f"{where} 的 [{SECTION}] {OFFICE_HEAD_APPROVAL} 应为 true 或 false，不是 {approval!r}。")
    periods = table.get(PERIODS, {})
    if not isinstance(periods, dict):
        raise GongkaiError(f"{where} 的 [{SECTION}.{PERIODS}] 应为表，每行写 \"规则编号\" = 数量。")
    for rule_id, amount in periods.items():
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            raise GongkaiError(f"{where} 的 [{SECTION}.{PERIODS}] 中“{rule_id}”应为正整数，不是 {amount!r}。")
    return {OFFICE_HEAD_APPROVAL: approval, PERIODS: dict(periods)}


def with_office_head(chain: ReviewChain, wanted: bool | None) -> ReviewChain:
    """``chain`` with the office head's approval added where the unit's practice wants it."""
    if any(s.id == OFFICE_HEAD_STEP.id for s in chain.steps):
        return chain
    texts_approval = next((i for i, s in enumerate(chain.steps) if s.approval and s.stage == "before"), None)
    if not (wanted if wanted is not None else texts_approval is None):
        return chain
    if texts_approval is None:  # after the last step before the reply
        texts_approval = max((i + 1 for i, s in enumerate(chain.steps) if s.stage == "before"), default=0)
    steps = list(chain.steps)
    steps.insert(texts_approval, OFFICE_HEAD_STEP)
    return attrs.evolve(chain, steps=steps)


def apply(registry: Any, practice: dict[str, Any], where: str) -> None:
    """Put the unit's practice into ``registry``: the chain's practice step and the periods
    the unit set for rules whose text sets none."""
    from gongkai.core.law.plugins import RuleEntry

    entry = registry.rules.get(REQUEST_CHAIN)
    if entry is not None and isinstance(entry.rule, ReviewChain):
        chain = with_office_head(entry.rule, practice.get(OFFICE_HEAD_APPROVAL))
        registry.rules[REQUEST_CHAIN] = RuleEntry(chain, entry.source, entry.overrides)
    for rule_id, amount in practice.get(PERIODS, {}).items():
        entry = registry.rules.get(rule_id)
        if entry is None or not isinstance(entry.rule, DeadlineRule) or not entry.rule.unit_practice:
            open_ones = [r.id for r in registry.rules_of(DeadlineRule) if r.unit_practice]
            raise GongkaiError(
                f"{where} 的 [{SECTION}.{PERIODS}] 不能设定“{rule_id}”：只有法规未规定具体期限的规则由本单位规定期限"
                f"（{registry.jurisdiction.display_name}：{'、'.join(open_ones) or '无'}）。"
            )
        registry.rules[rule_id] = RuleEntry(attrs.evolve(entry.rule, amount=amount), entry.source, entry.overrides)
