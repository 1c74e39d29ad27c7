"""Rendering every reply letter of a jurisdiction with a realistic sample request.

A reply letter (告知书) is chosen by the outcome: ``Outcome.template`` when set, else the
first of ``letters/<code>.md.j2``, ``letters/<family>.md.j2`` (``withheld`` for
``withheld.state_secret``), ``<code>.md.j2``, ``letters/reply.md.j2`` that exists in the jurisdiction's template
dirs (plugin dirs first, core last). Rendering is strict (``StrictUndefined``), so a plugin
template that uses a variable the core does not supply fails here, not in a letter.

If the core provides ``gongkai.core.letters.sample_context(registry, outcome)`` the check
uses it (it then tracks the context the core really builds); otherwise the sample below.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.render import CORE_TEMPLATES, render
from gongkai.hookspecs.records import Outcome

LETTERS = "letters"


def template_candidates(outcome: Outcome) -> list[str]:
    if outcome.template:
        return [outcome.template]
    family = outcome.code.split(".")[0]
    names = [f"{LETTERS}/{outcome.code}.md.j2", f"{LETTERS}/{family}.md.j2", f"{outcome.code}.md.j2",
             f"{LETTERS}/reply.md.j2"]
    return list(dict.fromkeys(names))


def find_template(dirs: Iterable[Path], outcome: Outcome) -> str | None:
    """The template name the letter of ``outcome`` renders from, or None if there is none."""
    dirs = [*dirs, CORE_TEMPLATES]
    for name in template_candidates(outcome):
        if any((Path(d) / name).is_file() for d in dirs):
            return name
    return None


def core_has_letters() -> bool:
    return any((CORE_TEMPLATES / LETTERS).glob("*.j2"))


def sample_context(registry: Any, outcome: Outcome) -> dict[str, Any]:
    """A realistic request and reply for ``outcome`` (the core's own sample if it has one)."""
    try:
        core_letters = importlib.import_module("gongkai.core.letters")
    except ImportError:
        core_letters = None
    if core_letters is not None and hasattr(core_letters, "sample_context"):
        return core_letters.sample_context(registry, outcome)

    j = registry.jurisdiction
    received = dt.date(2026, 9, 24)
    applicant = {
        "name": "张三", "type": "natural_person", "type_label": "自然人", "id_number": "310105199001011234",
        "id_type": "居民身份证", "contact": "13800000000", "phone": "13800000000", "address": "上海市长宁区示例路1号",
        "email": "zhangsan@example.com", "postcode": "200050",
    }
    request = {
        "id": 1, "number": "2026-0001", "applicant": applicant, "channel": "in_person", "channel_label": "当面提交",
        "submitted": received, "confirmed": None, "received": received, "subject": "2026年本区老旧小区改造项目清单",
        "description": "2026年本区老旧小区改造项目清单", "form": "纸质", "form_wanted": "纸质", "delivery": "邮寄",
        "due": dt.date(2026, 10, 29),
    }
    withheld = [{"item": "项目预算明细中涉及个人信息的部分", "reason": "涉及个人隐私", "basis": "条例 第十五条"}]
    other_agency = {"name": "上海市长宁区住房保障和房屋管理局", "contact": "021-12345678", "address": "上海市长宁区示例路2号"}
    reply = {
        "outcome": outcome, "code": outcome.code, "date": dt.date(2026, 10, 20), "on": dt.date(2026, 10, 20),
        "reason": "经查，", "reasons": "经查，所申请信息属于本机关公开职责范围。", "basis": str(outcome.basis or ""),
        "legal_basis": str(outcome.basis or ""), "withheld": withheld, "other_agency": other_agency,
        "provided": "随本告知书提供", "how": "纸质", "how_provided": "随本告知书邮寄提供", "when": dt.date(2026, 10, 20),
        "pages": 3, "fee": 0,
    }
    remedies = {
        "reconsideration_first": outcome.withholds, "reconsideration_body": j.reconsideration_body or "本级人民政府",
        "reconsideration_days": 60, "lawsuit_months": 6, "court": "有管辖权的人民法院",
    }
    unit = "测试单位政府办公室"
    return {
        "request": request, "applicant": applicant, "reply": reply, "outcome": outcome, "remedies": remedies,
        "withheld": withheld, "other_agency": other_agency, "jurisdiction": j, "unit": unit, "agency": unit,
        "reconsideration_body": remedies["reconsideration_body"], "date": reply["date"], "today": reply["date"],
        "received": received, "subject": request["subject"], "number": request["number"],
    }


def letter_problems(c: Any) -> list[str]:
    """Every outcome of the registry, rendered from the plugin's dirs; one problem per failure."""
    registry = c.registry
    problems = []
    for outcome in registry.outcomes.values():
        name = find_template(registry.template_dirs, outcome)
        if name is None:
            problems.append(
                f"辖区 {c.name} 的结果“{outcome.code}”没有答复告知书模板（查找：{'、'.join(template_candidates(outcome))}）。"
            )
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
    used = set()
    for outcome in c.registry.outcomes.values():
        used.update(template_candidates(outcome))
    core = {str(p.relative_to(CORE_TEMPLATES)) for p in CORE_TEMPLATES.rglob("*.j2")} if CORE_TEMPLATES.is_dir() else set()
    problems = []
    for t in c.own("gongkai_template_dirs"):
        root = Path(t.path)
        for path in sorted((root / LETTERS).glob("*.j2")):
            name = str(path.relative_to(root))
            if name not in used and name not in core:
                problems.append(f"插件 {c.name} 的模板“{name}”不覆盖任何核心模板，也不属于任何答复结果（文件名拼写错误？）。")
    return problems
