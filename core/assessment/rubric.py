"""The scoring rules in force: a rubric, a grade scale and a composite scheme.

They come from the jurisdiction plugin (``assessment.rubric``, ``assessment.grade``,
``assessment.composite``) or from a TOML rubric file named in ``gongkai.toml``::

    [assessment]
    rubric_file = "rubric.toml"

so that a unit (or a new county) can use its own table without writing code. The file
builds the same records a plugin returns; see ``docs/assessment.md`` for its format. What
the file leaves out (say, a grade scale) still comes from the plugin.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from attrs import frozen

from gongkai.core.assessment import KINDS
from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading
from gongkai.core.records.limits import POINTS
from gongkai.hookspecs.records import (
    CompositeScheme,
    FindingUnit,
    GradeBand,
    GradeScale,
    MinimumCount,
    Rubric,
    RubricCategory,
)

RUBRIC_ID = "assessment.rubric"
GRADE_ID = "assessment.grade"
COMPOSITE_ID = "assessment.composite"
WEIGHT_ID = "assessment.weight"

CATEGORY_KINDS = {"deduction": "扣分项", "bonus": "加分项", "activity": "按活动计分"}
RECORD_FACTS = {
    "request.late_reply": "依申请公开逾期答复",
    "request.overturned": "依申请公开被复议纠正或诉讼败诉",
    "mailbox.late_reply": "领导信箱来信逾期回复",
}
"""What ``--from-records`` can count (see :mod:`.from_records`), by the name a unit uses."""

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@frozen
class Scoring:
    """Everything scoring needs; any part may be missing (Wuyuan has no rubric, only grades)."""

    rubric: Rubric | None
    grade: GradeScale | None
    composite: CompositeScheme | None
    weight_minimum: MinimumCount | None
    source: str  # where the rubric came from, for reports: a plugin name or a file path


def load_scoring(registry: Any, rubric_file: Path | None = None) -> Scoring:
    """The scoring rules of the active jurisdiction, with ``rubric_file`` taking precedence."""
    rubric = registry.find(RUBRIC_ID, Rubric)
    grade = registry.find(GRADE_ID, GradeScale)
    composite = registry.find(COMPOSITE_ID, CompositeScheme)
    source = registry.jurisdiction.name
    if rubric_file is not None:
        parts = rubric_from_toml(rubric_file)
        rubric = parts["rubric"]
        grade = parts["grade"] or grade
        composite = parts["composite"] or composite
        source = str(rubric_file)
    return Scoring(rubric, grade, composite, registry.find(WEIGHT_ID, MinimumCount), source)


def require_rubric(scoring: Scoring) -> Rubric:
    if scoring.rubric is None:
        raise GongkaiError(
            f"本辖区（{scoring.source}）没有考核评分细则（{RUBRIC_ID}）。请在 gongkai.toml 的 [assessment] 中用 "
            "rubric_file = \"细则.toml\" 指定评分细则文件，或在考核结果文件中直接填写 total = 总分。"
        )
    return scoring.rubric


def base_of(category: RubricCategory) -> float:
    """The allotment a category starts from: its ``base``, else a deduction category's cap."""
    if category.base is not None:
        return category.base
    return (category.cap or 0.0) if category.kind == "deduction" else 0.0


def rubric_json(rubric: Rubric) -> list[dict[str, Any]]:
    """One object per category, as ``gongkai assess rubric --json`` prints it."""

    def unit(u: FindingUnit) -> dict[str, Any]:
        return {"id": u.id, "name": u.name, "points": u.points, "records": list(u.records)}

    return [
        {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "units": [unit(u) for u in c.units],
            "bonus_units": [unit(u) for u in c.bonus_units],
            "cap": c.cap,
            "base": base_of(c),
            "note": c.note,
        }
        for c in rubric.categories
    ]


# --------------------------------------------------------------------------- TOML rubric files


class _Where:
    """Says where in a rubric file a value sits, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def header_line(self, header: str, index: int) -> int | None:
        """The line number of the ``index``-th ``[[header]]`` (0-based), or None."""
        seen = -1
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]")
        for number, line in enumerate(self.lines, 1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return number
        return None

    def fail(self, place: str, message: str, line: int | None = None) -> GongkaiError:
        at = f"第{line}行 " if line else ""
        return GongkaiError(f"评分细则文件 {self.path} {at}{place}：{message}")


def _number(where: _Where, place: str, line: int | None, data: dict, key: str, required: bool) -> float | None:
    value = data.get(key)
    if value is None:
        if required:
            raise where.fail(place, f"缺少 {key}，请填写一个不小于0的数。", line)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= POINTS:  # nan fails too
        raise where.fail(place, f"{key} = {value!r} 无效，应为不小于0的数（至多 {POINTS:,}）。", line)
    return float(value)


def _text(where: _Where, place: str, line: int | None, data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise where.fail(place, f"缺少 {key}（非空文字）。", line)
    return value.strip()


def _ident(where: _Where, place: str, line: int | None, data: dict, key: str = "id") -> str:
    value = _text(where, place, line, data, key)
    if not _ID.match(value):
        raise where.fail(place, f"{key} = {value!r} 无效，应为小写英文、数字和下划线，如 \"platform\"。", line)
    return value


def _check_keys(where: _Where, place: str, line: int | None, data: dict, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise where.fail(place, f"不认识的字段 {'、'.join(unknown)}；可用字段：{'、'.join(sorted(allowed))}。", line)


def _finding_units(where: _Where, place: str, line: int | None, raw: Any, key: str) -> list[FindingUnit]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(u, dict) for u in raw):
        raise where.fail(place, f"{key} 应为表的数组（[[category.{key}]]）。", line)
    units = []
    for i, u in enumerate(raw, 1):
        here = f"{place} 的第{i}个 {key}"
        _check_keys(where, here, line, u, {"id", "name", "points", "records"})
        records = u.get("records", [])
        if not isinstance(records, list) or any(r not in RECORD_FACTS for r in records):
            raise where.fail(here, f"records = {records!r} 无效，可选：{'、'.join(RECORD_FACTS)}。", line)
        units.append(
            FindingUnit(
                id=_ident(where, here, line, u),
                name=_text(where, here, line, u, "name"),
                points=_number(where, here, line, u, "points", required=True),
                records=records,
            )
        )
    ids = [u.id for u in units]
    if len(ids) != len(set(ids)):
        raise where.fail(place, f"{key} 的 id 重复：{ids}。", line)
    return units


def _category(where: _Where, index: int, data: Any) -> RubricCategory:
    line = where.header_line("category", index)
    place = f"第{index + 1}个 [[category]]"
    if not isinstance(data, dict):
        raise where.fail(place, "应为表。", line)
    _check_keys(where, place, line, data, {"id", "name", "kind", "cap", "base", "unit", "bonus", "note"})
    cat_id = _ident(where, place, line, data)
    place = f"{place}（{cat_id}）"
    kind = data.get("kind")
    if kind not in CATEGORY_KINDS:
        choices = "、".join(f"{k}（{v}）" for k, v in CATEGORY_KINDS.items())
        raise where.fail(place, f"kind = {kind!r} 无效，可选：{choices}。", line)
    category = RubricCategory(
        id=cat_id,
        name=_text(where, place, line, data, "name"),
        kind=kind,
        cap=_number(where, place, line, data, "cap", required=False),
        base=_number(where, place, line, data, "base", required=False),
        units=_finding_units(where, place, line, data.get("unit"), "unit"),
        bonus_units=_finding_units(where, place, line, data.get("bonus"), "bonus"),
        note=str(data.get("note", "")),
    )
    if kind == "activity" and not category.units:
        raise where.fail(place, "按活动计分的项目需要至少一个 [[category.unit]]（每项活动的分值）。", line)
    return category


def _grade(where: _Where, data: Any, citation: str) -> GradeScale | None:
    if data is None:
        return None
    place = "[grade]"
    if not isinstance(data, dict) or not isinstance(data.get("bands"), list) or not data["bands"]:
        raise where.fail(place, "应写 bands = [{ name = \"优秀\", minimum = 95 }, …]。")
    _check_keys(where, place, None, data, {"bands", "citation"})
    bands = []
    for i, band in enumerate(data["bands"], 1):
        here = f"[grade] 的第{i}个等次"
        if not isinstance(band, dict):
            raise where.fail(here, "应为 { name = \"优秀\", minimum = 95, below = 100 }。")
        _check_keys(where, here, None, band, {"name", "minimum", "below"})
        bands.append(
            GradeBand(
                name=_text(where, here, None, band, "name"),
                minimum=_number(where, here, None, band, "minimum", required=False),
                below=_number(where, here, None, band, "below", required=False),
            )
        )
    return GradeScale(
        id=GRADE_ID, summary="考核等次（评分细则文件）", citation=data.get("citation") or citation, bands=bands
    )


def _composite(where: _Where, data: Any, citation: str) -> CompositeScheme | None:
    if data is None:
        return None
    place = "[composite]"
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise where.fail(place, "应写 weights = { self = 0.2, routine = 0.2, peer = 0.2, year_end = 0.4 }。")
    _check_keys(where, place, None, data, {"weights", "not_carried", "citation"})
    weights = data["weights"]
    for kind, weight in weights.items():
        if kind not in KINDS:
            raise where.fail(place, f"weights 中的考核类型 {kind!r} 无效，可选：{'、'.join(KINDS)}。")
        _number(where, place, None, weights, kind, required=True)
    if abs(sum(weights.values()) - 1.0) > 1e-9:
        raise where.fail(place, f"weights 之和为 {sum(weights.values())}，应为 1。")
    not_carried = data.get("not_carried", "average")
    if not_carried not in ("average", "base"):
        raise where.fail(place, f"not_carried = {not_carried!r} 无效，可选：average（取平均值）、base（按满分）。")
    return CompositeScheme(
        id=COMPOSITE_ID,
        summary="综合评分（评分细则文件）",
        citation=data.get("citation") or citation,
        weights=weights,
        not_carried=not_carried,
    )


def rubric_from_toml(path: Path) -> dict[str, Any]:
    """Read a rubric file: ``{"rubric": Rubric, "grade": GradeScale|None, "composite": ...}``."""
    path = Path(path)
    if not path.exists():
        raise GongkaiError(
            f"找不到评分细则文件 {path}。请检查 gongkai.toml [assessment] rubric_file（相对于 gongkai.toml 所在目录）。")
    text = reading.read_text(path, reading.RUBRIC_BYTES, "评分细则文件")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GongkaiError(f"评分细则文件 {path} 格式错误：{exc}。请按 TOML 语法修改。") from None
    where = _Where(path, text)
    _check_keys(where, "顶层", None, data, {"id", "summary", "citation", "total", "category", "grade", "composite"})
    citation = str(data.get("citation") or path.name)
    categories = data.get("category")
    if not isinstance(categories, list) or not categories:
        raise where.fail("顶层", "没有评分项目。每个项目写一个 [[category]]（id、name、kind、cap，及 [[category.unit]]）。")
    built = [_category(where, i, c) for i, c in enumerate(categories)]
    ids = [c.id for c in built]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise where.fail("[[category]]", f"项目 id 重复：{'、'.join(duplicates)}。")
    total = _number(where, "顶层", None, data, "total", required=False)
    rubric = Rubric(
        id=RUBRIC_ID,
        summary=str(data.get("summary") or f"考核评分细则（{path.name}）"),
        citation=citation,
        categories=built,
        total=total if total is not None else 100.0,
    )
    return {
        "rubric": rubric,
        "grade": _grade(where, data.get("grade"), citation),
        "composite": _composite(where, data.get("composite"), citation),
    }


def configured_weight(config: Any) -> float | None:
    """``[assessment] weight`` from ``gongkai.toml`` (e.g. 0.05 for 5%), or None."""
    section = config.raw.get("assessment", {})
    if not isinstance(section, dict) or "weight" not in section:
        return None
    return section["weight"]
