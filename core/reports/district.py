"""The government-level annual report (本级政府年度报告) of a district server.

The district's section 三 and 四 are the sums of its units' (every department's, street's and
the government's own), each unit's figures read in the same grouped pass (``request_tables`` /
``appeal_tables`` by ``unit_id``); section 二 is the government unit's own documents. The
勾稽关系 check (国办公开办函〔2021〕30号) runs on every unit and on the sum, and a failure names
the unit. The report carries a per-unit appendix (附表) in every output format.

These functions work on per-unit figures, so they are the same whatever the units' storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gongkai.core.errors import GongkaiError
from gongkai.core.reports.annual import APPEAL_KINDS, TOTAL
from gongkai.core.reports.check import failures

# The appendix's columns (JSON keys and headings).
APPENDIX_COLUMNS: dict[str, str] = {
    "new": "本年新收申请",
    "answered": "本年办结",
    "carried_forward": "结转下年度继续办理",
    "reconsideration": "行政复议",
    "lawsuit": "行政诉讼",
    "corrected": "复议、诉讼结果纠正",
}
APPENDIX_TITLE = "附表：各单位政府信息公开申请办理及行政复议、行政诉讼情况"
SUM_LABEL = "合计"
LAWSUITS = ("lawsuit", "lawsuit_after_reconsideration")
ORDER = ("government", "department", "street")  # the appendix lists the government's own office first


def sum_tables(tables: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    """Cell-by-cell sum of tables of the same shape (section 三 or 四)."""
    total: dict[str, dict[str, int]] = {}
    for table in tables:
        for row, cells in table.items():
            target = total.setdefault(row, dict.fromkeys(cells, 0))
            for column, n in cells.items():
                target[column] += n
    return total


def unit_row(requests: Mapping[str, Mapping[str, int]], appeals: Mapping[str, Mapping[str, int]]) -> dict[str, int]:
    """One unit's line of the appendix, from its section 三 and 四."""
    return {
        "new": requests["new"][TOTAL],
        "answered": requests[TOTAL][TOTAL],
        "carried_forward": requests["carried_forward"][TOTAL],
        "reconsideration": appeals["reconsideration"][TOTAL],
        "lawsuit": sum(appeals[k][TOTAL] for k in LAWSUITS),
        "corrected": sum(appeals[k]["corrected"] for k in APPEAL_KINDS),
    }


def ensure_units_balanced(units: list[dict[str, Any]], summed: Mapping[str, Mapping[str, int]]) -> None:
    """The 勾稽关系 on each unit's section 三 and on the sum; the error names every failing unit."""
    problems = [f"{u['name']}：{'；'.join(found)}" for u in units if (found := failures(u["requests"]))]
    found = failures(summed)
    if found:
        problems.append(f"全区合计：{'；'.join(found)}")
    if problems:
        raise GongkaiError(
            "年度报告第三部分勾稽关系校验未通过，未生成本级政府年度报告（第一项加第二项之和应等于第三项加第四项之和）："
            + "；".join(problems)
            + "。请该单位核对申请记录的收到日期、答复日期和答复结果后重试。"
        )


def combine(report: dict[str, Any], units: list[dict[str, Any]]) -> dict[str, Any]:
    """The government-level report: ``report`` (the government unit's own: section 二, title,
    due date, narrative) with sections 三 and 四 and the fees summed over ``units`` (each a dict
    with ``code``, ``name``, ``requests``, ``appeals``, ``fees_collected``), the check run on
    each unit and on the sum, and the appendix rows (``units``, then ``units_total``)."""
    if not units:
        raise GongkaiError("本服务器上还没有单位，无法汇总本级政府年度报告。请先用 `gongkai unit add` 添加单位。")
    requests = sum_tables(u["requests"] for u in units)
    appeals = sum_tables(u["appeals"] for u in units)
    ensure_units_balanced(units, requests)
    rows = [{"code": u["code"], "name": u["name"], **unit_row(u["requests"], u["appeals"]),
             **({"audit_head": u["audit_head"]["head"]} if "audit_head" in u else {})} for u in units]
    fees = {k: sum(u["fees_collected"][k] for u in units) for k in ("requests", "amount_yuan")}
    return {
        **report,
        "requests": requests,
        "appeals": appeals,
        "fees_collected": fees,
        "units": rows,
        "units_total": {k: sum(r[k] for r in rows) for k in APPENDIX_COLUMNS},
        "check": {**report["check"], "units": len(units),
                  "scope": "每个单位及全区合计均已校验"},
    }


def unit_figures(session: Any, registry: Any, year: int) -> list[dict[str, Any]]:
    """Every unit's sections 三 and 四 and fees of ``year``, each read in one grouped pass over
    the district (``session`` spans units), in the units' order (government, departments,
    streets; then by code). A unit with no records has zeros."""
    from sqlmodel import select

    from gongkai.core.records.chain import GENESIS, AuditChain
    from gongkai.core.reports.annual import appeal_tables, empty_appeals, empty_requests, fees_by, request_tables
    from gongkai.core.requests.models import Appeal, Request
    from gongkai.core.units.store import all_units

    # first: every unit's chain head, so the figures below are those of the heads (audit verify --expect-head)
    chains = {c.unit_id: (c.length, c.last_hash) for c in session.exec(select(AuditChain)).all()}
    units = ordered(all_units(session))
    names = {u.id: u.name or u.code for u in units}
    name = lambda key: f"{names.get(key, key)}："  # noqa: E731
    requests = request_tables(session, registry, year, by=Request.__table__.c.unit_id, name=name)
    appeals = appeal_tables(session, year, by=Appeal.__table__.c.unit_id, name=name)
    fees = fees_by(session, year, by=Request.__table__.c.unit_id)
    return [{"id": u.id, "code": u.code, "name": names[u.id], "level": u.level,
             "requests": requests.get(u.id) or empty_requests(), "appeals": appeals.get(u.id) or empty_appeals(),
             "fees_collected": fees.get(u.id) or {"requests": 0, "amount_yuan": 0},
             "audit_head": _head(*chains.get(u.id, (0, GENESIS)))} for u in units]


def _head(length: int, last_hash: str) -> dict[str, Any]:
    return {"length": length, "hash": last_hash, "head": f"{length}:{last_hash}"}


def ordered(units: Iterable[Any]) -> list[Any]:
    """Units in the report's order: the government's own office, departments, streets; then by code."""
    return sorted(units, key=lambda u: (ORDER.index(u.level) if u.level in ORDER else len(ORDER), u.code))


def write_unit_reports(app: Any, units: Iterable[Any], year: int, fmt: str, folder: Any, *,
                       narrative: str | None = None, dated: str | None = None) -> tuple[list[dict], list[dict]]:
    """``report annual --all-units``: each unit's own report into ``folder`` (a ``safe_write.Target``)
    as ``CODE-YEAR.fmt``. A unit whose figures fail is listed with the reason and the others are
    still written: ``(written, refused)``. ``units`` may be a progress bar over :func:`server_units`."""
    from gongkai.core.reports.output import layout_for, write

    layout = layout_for(app.config)
    written, refused = [], []
    for unit in units:
        try:
            report = unit_report(app, unit, year, narrative)
            if dated:
                report["date"] = dated
            path = write(app.registry.template_dirs, report, fmt, folder.child(f"{unit.code}-{year}.{fmt}"), layout)
        except GongkaiError as exc:
            refused.append({"code": unit.code, "name": unit.name, "error": str(exc)})
        else:
            written.append({"code": unit.code, "name": unit.name, "file": str(path), "due": report["due"]["date"]})
    return written, refused


def server_units(app: Any) -> list[Any]:
    """The district server's units (``UnitProfile`` records) in the report's order."""
    from gongkai.core.units.store import all_units, profile

    with app.district_session() as session:
        return ordered(profile(u) for u in all_units(session))


def unit_report(app: Any, unit: Any, year: int, narrative: str | None = None) -> dict[str, Any]:
    """One unit's own annual report on the district server (its own records; the government's
    office gets the government-level due date). ``narrative``: a folder with one sub-folder
    per unit code holding its 一.md, 五.md, 六.md."""
    from pathlib import Path

    from gongkai.core.reports.annual import build

    own = Path(narrative) / unit.code if narrative else None
    return build(app, year, unit=unit.name or unit.code, government=unit.level == "government",
                 narrative=own if own is not None and own.is_dir() else None,
                 open_session=lambda: app.unit_session(unit.id))


def build_government(app: Any, year: int, narrative: str | None = None) -> dict[str, Any]:
    """The government-level report of a district server: the government unit's own report
    (section 二 from its documents, the government due date, its narrative) with sections 三
    and 四 summed over every unit and the per-unit appendix."""
    from gongkai.core.reports.annual import build

    with app.district_session() as session:
        units = unit_figures(session, app.registry, year)
    governments = [u for u in units if u["level"] == "government"]
    if len(governments) != 1:
        found = (f"有 {len(governments)} 个（{'、'.join(u['name'] for u in governments)}）" if governments
                 else "没有这样的单位")
        raise GongkaiError(
            f"本级政府年度报告以层级为“人民政府”的单位为报告主体（第二部分取其主动公开情况），本服务器上{found}。"
            "请用 `gongkai unit add 代码 --name 全称 --level 人民政府` 或 `gongkai unit edit 代码 --level …` 使其恰有一个。")
    ensure_units_balanced(units, sum_tables(u["requests"] for u in units))  # names the unit before anything else
    government = governments[0]
    own = build(app, year, unit=government["name"], government=True, narrative=narrative,
                open_session=lambda: app.unit_session(government["id"]))
    return combine(own, units)
