"""The conformance checks a jurisdiction plugin must pass.

Each ``check_*`` function takes a :class:`Conformance` (the plugin loaded next to the
national baseline, exactly as ``gongkai`` loads it) and returns a list of problems: one
Chinese sentence each, naming the plugin, the hook or rule, and what to fix. An empty list
means the plugin conforms. :mod:`gongkai.testing.suite` turns them into pytest tests.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Any

from gongkai import hookspecs
from gongkai.core.law import unit_practice
from gongkai.core.law.national import rules as national_rules
from gongkai.core.law.outcomes import REPORT_ROWS
from gongkai.core.law.plugins import (
    HOOK_RECORD_TYPES,
    Registry,
    build_plugin_manager,
    call_hook,
    hook_records,
    registry_from,
)
from gongkai.hookspecs.records import (
    CalendarAdjustment,
    Citation,
    CompositeScheme,
    ExemptionList,
    GradeScale,
    Jurisdiction,
    ReviewChain,
    Rubric,
    Rule,
)

HOOK_NAMES = tuple(name for name in dir(hookspecs) if name.startswith("gongkai_"))

# Text an author meant to replace: a rule that still says so is not documented.
PLACEHOLDER = re.compile(r"TODO|FIXME|XXX|待填|待补|第[XxＸ]+[条项款]|\?\?")

# A step that decides (reviews or approves) versus one that only carries out a decision.
_DECIDES = re.compile(r"审核|审查|审批|批准|签发|审定")
_APPROVES = re.compile(r"审批|批准|签发|审定")


class Conformance:
    """A plugin loaded for checking: its plugin manager, the registry it yields, and what
    its own hookimpls return. ``extra`` registers an in-process plugin (tests, scaffolds)."""

    def __init__(self, name: str, extra: tuple[tuple[str, Any], ...] = ()) -> None:
        self.name = name
        self.extra = tuple(extra)
        self.pm = build_plugin_manager(name, self.extra)

    @cached_property
    def registry(self) -> Registry:
        return registry_from(self.pm, self.name)

    @property
    def plugin(self) -> Any:
        return self.pm.get_plugin(self.name)

    def implemented(self) -> list[str]:
        """The hooks this plugin implements."""
        return [h for h in HOOK_NAMES if any(i.plugin_name == self.name for i in getattr(self.pm.hook, h).get_hookimpls())]

    def own(self, hook: str) -> list[Any]:
        """The records this plugin's implementation of ``hook`` returns (validated)."""
        out = []
        for plugin, value in call_hook(self.pm, hook, plugin=self.name):
            if hook == "gongkai_jurisdiction":
                out.extend([value] if value is not None else [])
            else:
                out.extend(hook_records(plugin, hook, value, HOOK_RECORD_TYPES[hook]))
        return out

    def own_rules(self) -> list[Rule]:
        return [r for hook, types in HOOK_RECORD_TYPES.items() if Rule in _bases(types) for r in self.own(hook)]

    @cached_property
    def jurisdiction(self) -> Jurisdiction:
        return self.registry.jurisdiction

    def where(self, what: str) -> str:
        return f"插件 {self.name} 的{what}"


def _bases(types: tuple[type, ...]) -> set[type]:
    return {base for t in types for base in t.__mro__}


def national_ids() -> set[str]:
    return {r.id for r in (*national_rules.DEADLINES, *national_rules.REVIEW_CHAINS, national_rules.EXEMPTIONS,
                           *national_rules.PROVISIONS)}


def national_documents() -> set[str]:
    rules = (*national_rules.DEADLINES, *national_rules.REVIEW_CHAINS, national_rules.EXEMPTIONS, *national_rules.PROVISIONS)
    return {r.citation.document for r in rules}


# --------------------------------------------------------------------------- the checks


def check_hooks(c: Conformance) -> list[str]:
    """Every implemented hook returns valid records; no function looks like a hook but isn't one."""
    problems = []
    if "gongkai_jurisdiction" not in c.implemented():
        problems.append(f"插件 {c.name} 没有实现 gongkai_jurisdiction：请返回 Jurisdiction(name=\"{c.name}\", display_name=…)。")
    for hook in c.implemented():
        value_types = HOOK_RECORD_TYPES[hook]
        try:
            records = c.own(hook)
        except Exception as exc:  # PluginError already names plugin and hook
            problems.append(str(exc))
            continue
        if hook == "gongkai_jurisdiction":
            problems += [f"插件 {c.name} 的钩子 {hook} 应返回 Jurisdiction 记录，实际返回 {type(r).__name__}"
                         for r in records if not isinstance(r, value_types)]
        if hook == "gongkai_template_dirs":
            problems += [f"插件 {c.name} 的钩子 {hook} 返回的模板目录 {t.path} 不存在。请用 Path(__file__).parent / \"templates\"。"
                         for t in records if not Path(t.path).is_dir()]
        if hook == "gongkai_outcomes":
            problems += [f"插件 {c.name} 的结果“{o.code}”对应的年报行“{o.report_row}”不存在"
                         for o in records if o.report_row not in REPORT_ROWS and not (o.track and not o.report_row)]
    for attr in dir(c.plugin):
        if not attr.startswith("gongkai_") or not callable(getattr(c.plugin, attr)):
            continue
        if attr not in HOOK_NAMES:
            problems.append(f"插件 {c.name} 的函数 {attr} 不是已知钩子（拼写错误？），可用钩子：{'、'.join(HOOK_NAMES)}")
        elif attr not in c.implemented():
            problems.append(f"插件 {c.name} 的函数 {attr} 缺少 @hookimpl 装饰器，gongkai 不会调用它。")
    try:
        c.registry  # conflicts, type mismatches with national rules, jurisdiction name
    except Exception as exc:
        problems.append(str(exc))
    return problems


def _citations(c: Conformance) -> list[tuple[str, Citation]]:
    """Every citation the plugin gives, with where it stands."""
    out: list[tuple[str, Citation]] = []
    for rule in c.own_rules():
        out.append((f"规则“{rule.id}”", rule.citation))
        if isinstance(rule, ReviewChain):
            out += [(f"规则“{rule.id}”的步骤“{s.id}”", s.citation) for s in rule.steps if s.citation]
        if isinstance(rule, ExemptionList):
            out += [(f"规则“{rule.id}”的事项“{e.code}”", e.citation) for e in rule.items if e.citation]
    out += [(f"日历调整 {a.date}", a.citation) for a in c.own("gongkai_calendar_adjustments") if a.citation]
    out += [(f"结果“{o.code}”", o.basis) for o in c.own("gongkai_outcomes") if o.basis]
    return out


def check_citations(c: Conformance) -> list[str]:
    """Every rule cites an article of a document the plugin declares (or the national law)."""
    known = {s.key for s in c.jurisdiction.sources} | {s.title for s in c.jurisdiction.sources} | national_documents()
    problems = []
    for where, citation in _citations(c):
        if citation.document not in known:
            problems.append(
                f"插件 {c.name} 的{where}引用了“{citation.document}”，它不是本辖区登记的依据文件。"
                f"请在 Jurisdiction.sources 中登记 SourceDocument(key=…, title=…)，或引用：{'、'.join(sorted(known))}"
            )
        if not citation.article:
            problems.append(f"插件 {c.name} 的{where}只引用了文件“{citation.document}”，请写明条款，如 cite(\"{citation.document}\", \"第十八条\")。")
        if PLACEHOLDER.search(str(citation)):
            problems.append(f"插件 {c.name} 的{where}的依据“{citation}”是占位文字，请改为实际条款。")
    return problems


def check_rule_ids(c: Conformance) -> list[str]:
    """Each rule ID overrides a national rule (same kind) or is new and documented."""
    national = national_ids()
    problems = []
    counts = Counter(r.id for r in c.own_rules())
    problems += [f"插件 {c.name} 重复定义了规则“{rule_id}”。" for rule_id, n in counts.items() if n > 1]
    for rule in c.own_rules():
        if PLACEHOLDER.search(rule.summary):
            problems.append(f"插件 {c.name} 的规则“{rule.id}”的说明含占位文字：{rule.summary}")
        if rule.id in national:
            replaced = c.registry.rules[rule.id].overrides
            if isinstance(rule, ReviewChain) and isinstance(replaced, ReviewChain) and rule.workflow != replaced.workflow:
                problems.append(f"插件 {c.name} 的规则“{rule.id}”覆盖国家规则时改变了 workflow（{replaced.workflow} → {rule.workflow}）。")
            continue
        # a new rule: documented means a real one-line summary in Chinese and a cited article
        if len(rule.summary.strip()) < 6:
            problems.append(f"插件 {c.name} 新增的规则“{rule.id}”缺少说明：summary 应用一句中文写明规则内容。")
    return problems


def check_review_chains(c: Conformance) -> list[str]:
    """Review chains are well formed: unique steps, known roles, known deadlines and outcomes,
    and the decision at the end is an approval (no review after the last approval)."""
    problems = []
    for chain in c.registry.rules_of(ReviewChain):
        if c.registry.rules[chain.id].source != c.name:
            continue
        where = c.where(f"审核流程“{chain.id}”")
        names = Counter(s.name for s in chain.steps)
        problems += [f"{where}有重复的步骤“{n}”。" for n, k in names.items() if k > 1]
        for step in chain.steps:
            if not step.role.strip() or PLACEHOLDER.search(step.role):
                problems.append(f"{where}的步骤“{step.id}”没有写明角色（role）。")
            if step.deadline and c.registry.find(step.deadline) is None:
                problems.append(f"{where}的步骤“{step.id}”引用了不存在的期限规则“{step.deadline}”。")
            if step.escalate_on and step.escalate_on not in step.opinions:
                problems.append(f"{where}的步骤“{step.id}”的 escalate_on“{step.escalate_on}”不在 opinions 中。")
            for prefix in step.outcomes:
                if not any(code == prefix or code.startswith(prefix + ".") for code in c.registry.outcomes):
                    problems.append(f"{where}的步骤“{step.id}”限定的结果“{prefix}”不是已知的答复结果。")
        if chain.workflow == "document":
            continue  # confidentiality checkpoints at three moments, not a chain ending in a decision
        # a unit's default practice adds the office head's approval where the text names no approver
        chain = unit_practice.with_office_head(chain, None) if chain.id == unit_practice.REQUEST_CHAIN else chain
        before = [s for s in chain.steps if s.stage == "before"]
        stages = [s.stage for s in chain.steps]
        if "after" in stages and "before" in stages[stages.index("after"):]:
            problems.append(f"{where}的“after”步骤应排在全部“before”步骤之后。")
        for outcome in [None, *c.registry.outcomes] if chain.workflow == "request" else [None]:
            deciding = [s for s in before if s.applies_to(outcome) and _DECIDES.search(s.name)]
            if not deciding or not _APPROVES.search(deciding[-1].name):
                last = deciding[-1].name if deciding else "（无）"
                problems.append(
                    f"{where}最后的决定步骤应为审批（名称含“审批”“批准”“签发”或“审定”），"
                    f"实际为“{last}”" + (f"（结果 {outcome}）" if outcome else "") + "。"
                )
                break
    return problems


def check_rubrics(c: Conformance) -> list[str]:
    """Rubric categories and caps are consistent; grade bands cover the range exactly."""
    problems = []
    for rule in c.own("gongkai_rubrics"):
        where = c.where(f"评分规则“{rule.id}”")
        if isinstance(rule, Rubric):
            ids = Counter(cat.id for cat in rule.categories)
            problems += [f"{where}有重复的类别“{i}”。" for i, n in ids.items() if n > 1]
            for cat in rule.categories:
                units = (*cat.units, *cat.bonus_units)
                unit_ids = Counter(u.id for u in units)
                problems += [f"{where}的类别“{cat.id}”有重复的计分项“{i}”。" for i, n in unit_ids.items() if n > 1]
                if cat.cap is not None:
                    problems += [f"{where}的类别“{cat.id}”上限 {cat.cap} 小于计分项“{u.id}”的 {u.points} 分。"
                                 for u in units if u.points > cat.cap]
                    if cat.cap > rule.total:
                        problems.append(f"{where}的类别“{cat.id}”上限 {cat.cap} 超过总分 {rule.total}。")
                if cat.base is not None and cat.cap is not None and cat.kind == "deduction" and cat.cap > cat.base:
                    problems.append(f"{where}的类别“{cat.id}”扣分上限 {cat.cap} 超过基础分 {cat.base}。")
            deductions = sum(cat.cap or 0 for cat in rule.categories if cat.kind == "deduction")
            if deductions > rule.total:
                problems.append(f"{where}各扣分类别上限之和 {deductions} 超过总分 {rule.total}。")
        elif isinstance(rule, GradeScale):
            problems += _band_problems(where, rule)
        elif isinstance(rule, CompositeScheme):
            kinds = Counter(k for k, _ in rule.weights)
            problems += [f"{where}重复给出了“{k}”的权重。" for k, n in kinds.items() if n > 1]
            problems += [f"{where}中“{k}”的权重 {w} 不在 (0, 1] 内。" for k, w in rule.weights if not 0 < w <= 1]
    return problems


def _band_problems(where: str, scale: GradeScale) -> list[str]:
    low = float("-inf")
    bands = sorted(scale.bands, key=lambda b: low if b.minimum is None else b.minimum)
    problems = []
    if bands[0].minimum not in (None, 0):
        problems.append(f"{where}最低等次“{bands[0].name}”从 {bands[0].minimum} 分起，低于此分的成绩没有等次。")
    for a, b in zip(bands, bands[1:]):
        if a.below is None or b.minimum is None or a.below != b.minimum:
            problems.append(f"{where}等次“{a.name}”（至 {a.below}）与“{b.name}”（自 {b.minimum}）之间有空档或重叠。")
    if bands[-1].below is not None:
        problems.append(f"{where}最高等次“{bands[-1].name}”止于 {bands[-1].below} 分，请将 below 设为 None。")
    return problems


def check_calendar_adjustments(c: Conformance, calendar: Any = None) -> list[str]:
    """Calendar adjustments are dates within the calendar, each given once, with a reason."""
    adjustments: list[CalendarAdjustment] = c.own("gongkai_calendar_adjustments")
    if not adjustments:
        return []
    if calendar is None:
        from gongkai.core.time.calendar import load_calendar

        calendar = load_calendar()
    problems = []
    counts = Counter(a.date for a in adjustments)
    problems += [f"插件 {c.name} 对 {d} 给出了 {n} 条日历调整，应只有一条。" for d, n in counts.items() if n > 1]
    for a in adjustments:
        if not calendar.first <= a.date <= calendar.last:
            problems.append(f"插件 {c.name} 的日历调整 {a.date} 超出工作日历范围（{calendar.first} 至 {calendar.last}）。")
        if not a.name.strip():
            problems.append(f"插件 {c.name} 的日历调整 {a.date} 没有名称，请写明原因，如“台风停工”。")
    return problems


def check_templates(c: Conformance) -> list[str]:
    """Every outcome's letter renders under StrictUndefined from the plugin's template dirs."""
    from gongkai.testing.letters import letter_problems

    return letter_problems(c)


CHECKS = {
    "hooks": check_hooks,
    "citations": check_citations,
    "rule_ids": check_rule_ids,
    "review_chains": check_review_chains,
    "rubrics": check_rubrics,
    "calendar_adjustments": check_calendar_adjustments,
    "templates": check_templates,
}


def problems(name: str, extra: tuple[tuple[str, Any], ...] = ()) -> dict[str, list[str]]:
    """Run every check on plugin ``name``: ``{check: [problems]}``, empty lists when it conforms."""
    c = Conformance(name, extra)
    return {check: fn(c) for check, fn in CHECKS.items()}

