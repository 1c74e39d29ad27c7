"""Findings files: what an assessor found in one unit's assessment.

One TOML file per unit and assessment (``docs/assessment.md`` has the full format)::

    unit = "沣东新城管理委员会"
    year = 2026
    kind = "year_end"                  # self / routine / peer / year_end
    not_carried = ["participation"]    # categories the unit does not carry

    [findings]
    platform = 3                       # a count, where the category has one kind of finding
    request = { no_ledger = 1, late_or_overturned = 2 }
    innovation = { points = 4 }        # points set case by case (categories without units)

or a CSV file with the columns ``unit,year,kind,category,finding,value`` (one row per count;
``finding`` empty for a category's only finding type, ``points`` for points set directly,
``not_carried`` for a category the unit does not carry; category ``total`` gives a total
directly). A CSV file may hold several units and assessments.

Where a jurisdiction has no rubric (五原县 grades a total), ``total = 96.5`` is given
directly instead of ``[findings]``.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import define, field, frozen

from gongkai.core.assessment import KINDS
from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading
from gongkai.core.records.limits import POINTS as MAX_POINTS, YEARS
from gongkai.hookspecs.records import Rubric, RubricCategory

POINTS = "points"  # the finding key for points set directly
NOT_CARRIED = "not_carried"  # CSV: the category is not carried
TOTAL = "total"  # CSV: a total given directly
CSV_COLUMNS = ("unit", "year", "kind", "category", "finding", "value")


@frozen
class Finding:
    """A count of one finding type (or points set directly) and where it comes from."""

    category: str
    finding: str  # a FindingUnit id, or POINTS
    count: float
    source: str  # a file path, or "records"
    detail: str = ""  # e.g. which request was late


@define
class Findings:
    """Everything found in one unit's assessment of one kind in one year."""

    unit: str
    year: int
    kind: str
    items: list[Finding] = field(factory=list)
    not_carried: set[str] = field(factory=set)
    total: float | None = None  # given directly, where there is no rubric
    sources: list[str] = field(factory=list)

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.unit, self.year, self.kind)

    def merge(self, other: Findings) -> None:
        """Add ``other``'s findings (e.g. those counted from the records) to these."""
        self.items.extend(other.items)
        self.not_carried |= other.not_carried
        self.sources.extend(s for s in other.sources if s not in self.sources)


class _Place:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> GongkaiError:
        return GongkaiError(f"考核结果文件 {self.path} {where}：{message}")


def _category(place: _Place, where: str, rubric: Rubric | None, cat_id: str) -> RubricCategory:
    if rubric is None:
        raise place.fail(
            where,
            "本辖区没有评分细则，不能按项目记录问题。请直接填写 total = 总分，"
            "或在 gongkai.toml [assessment] rubric_file 中指定评分细则文件。",
        )
    for category in rubric.categories:
        if category.id == cat_id:
            return category
    known = "、".join(f"{c.id}（{c.name}）" for c in rubric.categories)
    raise place.fail(where, f"没有评分项目“{cat_id}”。可用的项目：{known}。可用 `gongkai assess rubric` 查看。")


def _finding_ids(category: RubricCategory) -> list[str]:
    return [u.id for u in (*category.units, *category.bonus_units)]


def _finding(
    place: _Place, where: str, rubric: Rubric | None, cat_id: str, finding: str | None, value: Any
) -> Finding:
    """Check one count against the rubric and return it as a :class:`Finding`."""
    category = _category(place, where, rubric, cat_id)
    ids = _finding_ids(category)
    label = f"{cat_id}（{category.name}）"
    if finding is None:
        if len(ids) != 1:
            if not ids:
                raise place.fail(where, f"{label} 按情况定分，请写成 {cat_id} = {{ points = 分值 }}。")
            raise place.fail(
                where, f"{label} 有多种情形（{'、'.join(ids)}），请写成表，如 {cat_id} = {{ {ids[0]} = 1 }}。"
            )
        finding = ids[0]
    if finding == POINTS:
        if ids:
            raise place.fail(where, f"{label} 按次数计分，不能直接给分；请填写情形次数：{'、'.join(ids)}。")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_POINTS:  # nan fails too
            raise place.fail(where, f"{label} 的 points = {value!r} 无效，应为不小于0的分值（至多 {MAX_POINTS:,}）。")
        return Finding(cat_id, POINTS, float(value), str(place.path))
    if finding not in ids:
        choices = "、".join(ids) if ids else "points（直接给分）"
        raise place.fail(where, f"{label} 没有情形“{finding}”，可选：{choices}。")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POINTS:
        raise place.fail(where, f"{label} 的 {finding} = {value!r} 无效，次数应为不小于0的整数（至多 {MAX_POINTS:,}）。")
    return Finding(cat_id, finding, value, str(place.path))


def _header(place: _Place, where: str, unit: Any, year: Any, kind: Any) -> tuple[str, int, str]:
    if not isinstance(unit, str) or not unit.strip():
        raise place.fail(where, "缺少 unit（被考核单位名称）。")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        raise place.fail(where, f"year = {year!r} 无效，应为 {YEARS[0]} 至 {YEARS[1]} 年之间的考核年度，如 2026。")
    if kind not in KINDS:
        choices = "、".join(f"{k}（{v}）" for k, v in KINDS.items())
        raise place.fail(where, f"kind = {kind!r} 无效，可选：{choices}。")
    return unit.strip(), year, kind


def _check_total(place: _Place, where: str, value: Any, rubric: Rubric | None) -> float:
    full = rubric.total if rubric is not None else 100.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= full:
        raise place.fail(where, f"total = {value!r} 无效，应为 0 到 {full:g} 之间的分数。")
    return float(value)


def _finish(place: _Place, findings: Findings, rubric: Rubric | None) -> Findings:
    for cat_id in findings.not_carried:
        _category(place, f"not_carried 中的“{cat_id}”", rubric, cat_id)
    both = sorted(findings.not_carried & {f.category for f in findings.items})
    if both:
        raise place.fail("", f"项目 {'、'.join(both)} 既列为不承担（not_carried）又记录了问题，请删去其一。")
    if findings.total is not None and (findings.items or findings.not_carried):
        raise place.fail("", "已直接填写 total，不能再按项目记录问题；请只保留其一。")
    return findings


def _from_toml(place: _Place, text: str, rubric: Rubric | None) -> list[Findings]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise GongkaiError(f"考核结果文件 {place.path} 格式错误：{exc}。请按 TOML 语法修改。") from None
    allowed = {"unit", "year", "kind", "not_carried", "findings", "total"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise place.fail("顶层", f"不认识的字段 {'、'.join(unknown)}；可用字段：{'、'.join(sorted(allowed))}。")
    unit, year, kind = _header(place, "顶层", data.get("unit"), data.get("year"), data.get("kind"))
    findings = Findings(unit, year, kind, sources=[str(place.path)])
    table = data.get("findings", {})
    if not isinstance(table, dict):
        raise place.fail("[findings]", "应为表，如 [findings] 下写 platform = 3。")
    for cat_id, value in table.items():
        where = f"[findings] 的 {cat_id}"
        if isinstance(value, dict):
            for finding, count in value.items():
                findings.items.append(_finding(place, where, rubric, cat_id, finding, count))
        else:
            findings.items.append(_finding(place, where, rubric, cat_id, None, value))
    not_carried = data.get("not_carried", [])
    if not isinstance(not_carried, list) or not all(isinstance(c, str) for c in not_carried):
        raise place.fail("not_carried", "应为项目 id 的列表，如 not_carried = [\"participation\"]。")
    findings.not_carried = set(not_carried)
    if "total" in data:
        findings.total = _check_total(place, "total", data["total"], rubric)
    return [_finish(place, findings, rubric)]


def _csv_number(place: _Place, where: str, text: str) -> int | float:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise place.fail(where, f"value = {text!r} 不是数字。") from None


def _from_csv(place: _Place, text: str, rubric: Rubric | None) -> list[Findings]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise place.fail("第1行", f"缺少列 {'、'.join(missing)}；表头应为 {','.join(CSV_COLUMNS)}。")
    groups: dict[tuple[str, int, str], Findings] = {}
    for row in reader:
        where = f"第{reader.line_num}行"
        unit, year, kind = _header(place, where, row["unit"], row["year"], row["kind"])
        findings = groups.setdefault((unit, year, kind), Findings(unit, year, kind, sources=[str(place.path)]))
        category = (row["category"] or "").strip()
        finding = (row["finding"] or "").strip() or None
        if category == TOTAL:
            findings.total = _check_total(place, where, _csv_number(place, where, row["value"] or ""), rubric)
        elif finding == NOT_CARRIED:
            _category(place, where, rubric, category)
            findings.not_carried.add(category)
        else:
            value = _csv_number(place, where, row["value"] or "")
            findings.items.append(_finding(place, where, rubric, category, finding, value))
    if not groups:
        raise place.fail("", "没有数据行。")
    return [_finish(place, f, rubric) for f in groups.values()]


def load_findings(path: Path, rubric: Rubric | None) -> list[Findings]:
    """Read one findings file (``.toml`` or ``.csv``), checked against ``rubric``."""
    path = Path(path)
    place = _Place(path)
    text = reading.read_text(path, reading.FINDINGS_BYTES, "考核结果文件")
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _from_toml(place, text, rubric)
    if suffix == ".csv":
        return _from_csv(place, text, rubric)
    raise GongkaiError(f"考核结果文件 {path} 的格式无法识别：应为 .toml 或 .csv 文件。")


def load_all(paths: Iterable[Path], rubric: Rubric | None) -> list[Findings]:
    """Read several findings files; one unit's assessment of one kind and year appears once."""
    seen: dict[tuple[str, int, str], Findings] = {}
    for path in paths:
        for findings in load_findings(path, rubric):
            if findings.key in seen:
                unit, year, kind = findings.key
                raise GongkaiError(
                    f"{unit} {year}年的{KINDS[kind]}（{kind}）出现在两个文件中："
                    f"{seen[findings.key].sources[0]} 和 {findings.sources[0]}。请合并为一个文件。"
                )
            seen[findings.key] = findings
    return list(seen.values())
