"""Scoring: findings to points, totals, the composite, the grade and the weighted share.

The functions here are pure: rubric records and findings in, numbers out. How a category
scores depends on its kind (records.RubricCategory):
- ``deduction``: its allotment (``base``, else its cap) minus what its findings deduct, the
  deduction capped at ``cap``; per-instance ``bonus_units`` are added on top (西咸新区 附件1
  回应关切: 表扬每次加0.5分, no cap given);
- ``bonus``: what its findings award, capped at ``cap``;
- ``activity``: points per activity held, capped at ``cap``.
A category a unit does not carry takes the average of the units that do, scored together in
the same year and kind (西咸新区 附件1 说明3: 不承担相关任务单位，考核项取平均值).
A total stays between 0 and the rubric's full marks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from attrs import define, field

from gongkai.core.assessment import KINDS
from gongkai.core.assessment.findings import POINTS, Finding, Findings
from gongkai.core.assessment.rubric import Scoring, base_of
from gongkai.core.errors import GongkaiError, StepRefused
from gongkai.hookspecs.records import CompositeScheme, GradeScale, MinimumCount, Rubric, RubricCategory

PRECISION = 4  # points are multiples of 0.5 and weights of 0.05; this hides float noise only


def _round(value: float | None) -> float | None:
    return None if value is None else round(value + 0.0, PRECISION)


@define
class FindingLine:
    """One finding type behind a category's points."""

    id: str
    name: str
    count: float
    unit_points: float | None  # None for points set directly
    points: float
    bonus: bool = False
    details: list[str] = field(factory=list)
    sources: list[str] = field(factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "count": self.count,
            "unit_points": self.unit_points,
            "points": _round(self.points),
            "bonus": self.bonus,
            "details": self.details,
            "sources": self.sources,
        }


@define
class CategoryScore:
    category: RubricCategory
    points: float | None  # None until a not-carried category is averaged
    deducted: float = 0.0  # after the cap
    awarded: float = 0.0  # after the cap (bonus/activity) or per-instance bonus
    capped: bool = False  # the findings exceeded the cap
    not_carried: bool = False
    averaged_over: list[str] = field(factory=list)  # units whose average a not-carried category took
    findings: list[FindingLine] = field(factory=list)

    def to_json(self) -> dict[str, Any]:
        c = self.category
        return {
            "id": c.id,
            "name": c.name,
            "kind": c.kind,
            "base": base_of(c),
            "cap": c.cap,
            "points": _round(self.points),
            "deducted": _round(self.deducted),
            "awarded": _round(self.awarded),
            "capped": self.capped,
            "not_carried": self.not_carried,
            "averaged_over": self.averaged_over,
            "findings": [f.to_json() for f in self.findings],
        }


def score_category(category: RubricCategory, items: Iterable[Finding]) -> CategoryScore:
    """The points of one category from the findings recorded against it."""
    units = {u.id: (u, False) for u in category.units}
    units.update({u.id: (u, True) for u in category.bonus_units})
    lines: dict[str, FindingLine] = {}
    for item in items:
        line = lines.get(item.finding)
        if line is None:
            if item.finding == POINTS:
                line = FindingLine(POINTS, "视情确定", 0, None, 0.0)
            else:
                unit, bonus = units[item.finding]
                line = FindingLine(unit.id, unit.name, 0, unit.points, 0.0, bonus=bonus)
            lines[item.finding] = line
        line.count += item.count
        line.points += item.count * (line.unit_points if line.unit_points is not None else 1.0)
        if item.detail:
            line.details.append(item.detail)
        if item.source not in line.sources:
            line.sources.append(item.source)
    main = sum(line.points for line in lines.values() if not line.bonus)
    extra = sum(line.points for line in lines.values() if line.bonus)
    applied = main if category.cap is None else min(main, category.cap)
    score = CategoryScore(category, None, capped=category.cap is not None and main > category.cap)
    score.findings = sorted(lines.values(), key=lambda f: _unit_order(category, f.id))
    base = base_of(category)
    if category.kind == "deduction":
        score.deducted, score.awarded = applied, extra
        score.points = base - applied + extra
    else:
        score.awarded = applied + extra
        score.points = base + applied + extra
    return score


def _unit_order(category: RubricCategory, finding_id: str) -> int:
    ids = [u.id for u in (*category.units, *category.bonus_units)]
    return ids.index(finding_id) if finding_id in ids else len(ids)


@define
class AssessmentScore:
    """One unit's assessment of one kind in one year."""

    findings: Findings
    categories: list[CategoryScore] | None  # None when the total was given directly
    total: float | None = None
    raw_total: float | None = None  # before keeping it within 0 and full marks
    grade: str | None = None

    @property
    def kind(self) -> str:
        return self.findings.kind

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_name": KINDS[self.kind],
            "total": _round(self.total),
            "raw_total": _round(self.raw_total),
            "given_total": self.categories is None,
            "grade": self.grade,
            "categories": [c.to_json() for c in self.categories or []],
            "sources": self.findings.sources,
        }


def score_findings(rubric: Rubric | None, findings: Findings) -> AssessmentScore:
    """Score one assessment; not-carried categories are left for :func:`fill_not_carried`."""
    if findings.total is not None:
        return AssessmentScore(findings, None, total=findings.total, raw_total=findings.total)
    if rubric is None:
        raise GongkaiError(
            f"{findings.unit} {findings.year}年{KINDS[findings.kind]}：本辖区没有评分细则，请在考核结果文件中直接填写 total。"
        )
    by_category: dict[str, list[Finding]] = defaultdict(list)
    for item in findings.items:
        by_category[item.category].append(item)
    categories = []
    for category in rubric.categories:
        if category.id in findings.not_carried:
            categories.append(CategoryScore(category, None, not_carried=True))
        else:
            categories.append(score_category(category, by_category.get(category.id, ())))
    return AssessmentScore(findings, categories)


def fill_not_carried(scores: list[AssessmentScore], policy: str = "average") -> None:
    """Give each not-carried category the average of the units carrying it (same year and kind),
    or its allotment when ``policy`` is ``base``."""
    groups: dict[tuple[int, str], list[AssessmentScore]] = defaultdict(list)
    for score in scores:
        if score.categories is not None:
            groups[(score.findings.year, score.kind)].append(score)
    for (year, kind), group in groups.items():
        for score in group:
            for i, cat in enumerate(score.categories or []):
                if not cat.not_carried:
                    continue
                if policy == "base":
                    cat.points = base_of(cat.category)
                    continue
                carriers = [s for s in group if not s.categories[i].not_carried]  # type: ignore[index]
                if not carriers:
                    raise GongkaiError(
                        f"{year}年{KINDS[kind]}中没有单位承担“{cat.category.name}”（{cat.category.id}），无法为"
                        f"{score.findings.unit}取平均值。请把承担该项的单位的考核结果文件一并评分。"
                    )
                values = [s.categories[i].points for s in carriers]  # type: ignore[index]
                cat.points = sum(values) / len(values)  # type: ignore[arg-type]
                cat.averaged_over = [s.findings.unit for s in carriers]


def finish_total(score: AssessmentScore, rubric: Rubric | None, scale: GradeScale | None) -> None:
    """Sum the categories (kept within 0 and full marks) and grade the total."""
    if score.categories is not None:
        assert rubric is not None
        score.raw_total = sum(c.points for c in score.categories)  # type: ignore[misc]
        score.total = min(max(score.raw_total, 0.0), rubric.total)
    score.grade = grade_of(scale, score.total)


def composite(scheme: CompositeScheme | None, totals: dict[str, float]) -> float | None:
    """The weighted composite when every kind the scheme weighs is given, else None."""
    if scheme is None or any(kind not in totals for kind, _ in scheme.weights):
        return None
    return _round(sum(weight * totals[kind] for kind, weight in scheme.weights))


def grade_of(scale: GradeScale | None, score: float | None) -> str | None:
    """The grade band holding ``score`` (rounded first, so 94.99999999 from float sums is 95)."""
    if scale is None or score is None:
        return None
    return scale.grade(_round(score))  # type: ignore[arg-type]


def check_weight(weight: float, minimum: MinimumCount | None) -> float:
    """A configured weight, refused when it is below the jurisdiction's minimum."""
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 1:
        raise GongkaiError(
            f"gongkai.toml [assessment] weight = {weight!r} 无效：应为 0 到 1 之间的小数，如 0.05 表示 5%。"
        )
    if minimum is not None and weight < minimum.minimum:
        raise StepRefused(
            f"{minimum.of}设为 {weight:.1%}，低于规定的 {minimum.minimum:.0%}（{minimum.citation}：{minimum.summary}）。"
            f"请把 gongkai.toml [assessment] weight 改为不低于 {minimum.minimum:g} 的值。"
        )
    return float(weight)


def contribution(score: float, full: float, weight: float) -> float:
    """Points the disclosure score adds to a 100-point performance assessment at ``weight``."""
    return _round(score / full * weight * 100.0)  # type: ignore[return-value]


@define
class UnitResult:
    """One unit's year: its assessments, and the score that counts (composite or the only one)."""

    unit: str
    year: int
    assessments: dict[str, AssessmentScore]
    composite: float | None = None
    missing_kinds: list[str] = field(factory=list)
    score: float | None = None
    grade: str | None = None
    weight: float | None = None
    contribution: float | None = None
    evaluation: dict[str, int] | None = None  # public evaluation tallies, where recorded

    def categories_json(self, scheme: CompositeScheme | None) -> list[dict[str, Any]]:
        """The categories behind ``score``: those of the only assessment, or weighted by kind."""
        scored = list(self.assessments.values())
        if len(scored) == 1:
            return [c.to_json() for c in scored[0].categories or []]
        if self.composite is None or scheme is None or any(a.categories is None for a in scored):
            return []
        weights = dict(scheme.weights)
        out = []
        first = scored[0].categories or []
        for i, cat in enumerate(first):
            by_kind = {a.kind: a.categories[i].points for a in scored if a.kind in weights}  # type: ignore[index]
            out.append(
                {
                    "id": cat.category.id,
                    "name": cat.category.name,
                    "kind": cat.category.kind,
                    "points": _round(sum(weights[k] * p for k, p in by_kind.items())),  # type: ignore[operator]
                    "by_kind": {k: _round(p) for k, p in by_kind.items()},
                }
            )
        return out

    def to_json(self, scheme: CompositeScheme | None) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "year": self.year,
            "total": _round(self.score),
            "grade": self.grade,
            "composite": self.composite,
            "missing_kinds": self.missing_kinds,
            "weight": self.weight,
            "contribution": self.contribution,
            "evaluation": self.evaluation,
            "categories": self.categories_json(scheme),
            "assessments": [a.to_json() for a in self.assessments.values()],
        }


def score_all(scoring: Scoring, all_findings: list[Findings], weight: float | None = None) -> list[UnitResult]:
    """Score every findings set together (for averaging) and combine each unit's year."""
    if weight is not None:
        weight = check_weight(weight, scoring.weight_minimum)
    scores = [score_findings(scoring.rubric, f) for f in all_findings]
    policy = scoring.composite.not_carried if scoring.composite is not None else "average"
    fill_not_carried(scores, policy)
    units: dict[tuple[str, int], UnitResult] = {}
    for score in scores:
        finish_total(score, scoring.rubric, scoring.grade)
        key = (score.findings.unit, score.findings.year)
        result = units.setdefault(key, UnitResult(key[0], key[1], {}))
        result.assessments[score.kind] = score
    order = list(KINDS)
    full = scoring.rubric.total if scoring.rubric is not None else 100.0
    for result in units.values():
        result.assessments = dict(sorted(result.assessments.items(), key=lambda kv: order.index(kv[0])))
        totals = {k: a.total for k, a in result.assessments.items()}
        result.composite = composite(scoring.composite, totals)  # type: ignore[arg-type]
        if scoring.composite is not None:
            result.missing_kinds = [k for k, _ in scoring.composite.weights if k not in totals]
        if result.composite is not None:
            result.score = result.composite
        elif len(totals) == 1:
            result.score = next(iter(totals.values()))
        result.grade = grade_of(scoring.grade, result.score)
        if weight is not None and result.score is not None:
            result.weight = weight
            result.contribution = contribution(result.score, full, weight)
    return sorted(units.values(), key=lambda r: (r.year, r.unit))


def ranking(results: list[UnitResult]) -> list[tuple[int | None, UnitResult]]:
    """Units by score, best first; equal scores share a rank (1, 2, 2, 4); unscored units last."""
    ranked = sorted(results, key=lambda r: (r.year, r.score is None, -(r.score or 0.0), r.unit))
    out: list[tuple[int | None, UnitResult]] = []
    for i, result in enumerate(ranked):
        if result.score is None:
            out.append((None, result))
            continue
        same_year = [r for r in ranked[:i] if r.year == result.year]
        previous = out[i - 1] if same_year else None
        if previous and previous[1].score is not None and _round(previous[1].score) == _round(result.score):
            out.append((previous[0], result))
        else:
            out.append((len(same_year) + 1, result))
    return out
