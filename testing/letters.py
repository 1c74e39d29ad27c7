"""Rendering every reply letter of a jurisdiction with a realistic sample request.

The letter of an outcome is the template the requests workflow uses
(:func:`gongkai.core.requests.letters.template_name`: ``Outcome.template`` or
``letters/<code>.md.j2``), searched in the jurisdiction's template dirs (plugin dirs first,
core last). The sample context has exactly the keys of
:func:`gongkai.core.requests.letters.context`, so a plugin template that uses a variable the
core does not supply fails here (``StrictUndefined``), not in a letter to an applicant.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork.render import CORE_TEMPLATES, render
from gongkai.hookspecs.records import Outcome

LETTERS = "letters"


def template_name(outcome: Outcome) -> str:
    from gongkai.core.requests.letters import template_name as core_template_name

    return core_template_name(outcome)


def sample_context(registry: Any, outcome: Outcome, unit: str = "测试单位政府办公室") -> dict[str, Any]:
    """A realistic replied request, shaped as the core's letter context."""
    from gongkai.core.requests.letters import DEFAULT_PROVISION, TITLE, full_basis, remedies
    from gongkai.core.requests.tracks import track_of

    body = registry.jurisdiction.reconsideration_body or "本级人民政府"
    track = track_of(registry, outcome.track)
    received = dt.date(2026, 9, 24)
    return {
        "unit": unit,
        "jurisdiction": registry.jurisdiction.display_name,
        "number": f"〔{received.year}〕第12号",
        "ref": f"测申〔{received.year}〕7号",  # the unit's own reference of the request (None if it has none)
        "applicant": {"name": "张三", "contact": "13800000000"},
        "channel": "当面提交",
        "received": received,
        "corrected_on": dt.date(2026, 9, 28),
        "extension": "20个工作日",
        "subject": "2026年本区老旧小区改造项目清单",
        "form_wanted": "纸质",
        "outcome": outcome.code,
        "outcome_name": outcome.name,
        "reasons": "经查，所申请信息由本机关制作并保存。",
        "legal_basis": full_basis(str(outcome.basis) if outcome.basis else "条例 第三十六条"),
        "provision": DEFAULT_PROVISION,
        "withheld": [{"part": "施工单位负责人身份证号码、联系电话", "reason": "个人隐私（条例 第十五条）"}],
        "other_agency": {"name": "某某区住房保障和房屋管理局", "contact": "021-12345678"},
        "fee": "按件计收 100 元",
        "title": track.letter_title if track else TITLE,
        "remedies": [track.remedy] if track else remedies(outcome.withholds, body),
        "reconsideration_body": "" if track else body,
        "replied_on": dt.date(2026, 10, 20),
        "supersedes": None,
    }


def letter_problems(c: Any) -> list[str]:
    """Every outcome of the registry, rendered from the plugin's dirs; one problem per failure."""
    registry = c.registry
    dirs = [*registry.template_dirs, CORE_TEMPLATES]
    problems = []
    for outcome in registry.outcomes.values():
        if not outcome.letter:
            continue
        name = template_name(outcome)
        if not any((Path(d) / name).is_file() for d in dirs):
            problems.append(f"辖区 {c.name} 的结果“{outcome.code}”没有答复告知书模板“{name}”。")
            continue
        try:
            text = render(registry.template_dirs, name, sample_context(registry, outcome))
        except GongkaiError as exc:
            problems.append(f"插件 {c.name} 的模板渲染失败（结果“{outcome.code}”）：{exc}")
            continue
        if not text.strip():
            problems.append(f"插件 {c.name} 的模板“{name}”渲染结果为空（结果“{outcome.code}”）。")
    problems += _unused_overrides(c)
    return problems


def _unused_overrides(c: Any) -> list[str]:
    """A plugin letter that matches no core template and no outcome is a misspelt override."""
    used = {template_name(o) for o in c.registry.outcomes.values() if o.letter}
    core = {p.relative_to(CORE_TEMPLATES).as_posix() for p in CORE_TEMPLATES.rglob("*.j2")} if CORE_TEMPLATES.is_dir() else set()
    problems = []
    for t in c.own("gongkai_template_dirs"):
        root = Path(t.path)
        for path in sorted((root / LETTERS).glob("*.j2")):
            name = path.relative_to(root).as_posix()
            if name not in used and name not in core:
                problems.append(f"插件 {c.name} 的模板“{name}”不覆盖任何核心模板，也不属于任何答复结果（文件名拼写错误？）。")
    return problems
