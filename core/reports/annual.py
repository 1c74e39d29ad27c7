"""The annual report (政府信息公开工作年度报告) in the national format, from stored facts.

Format: 《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号).
Every number is aggregated in SQL (GROUP BY with counts filtered by the dates); Python only
reshapes the few dozen aggregated cells.

A request counts in year Y as:
- ``new``: received in Y;
- ``carried_over``: received before Y and not answered before Y;
- an outcome row: answered in Y (its outcome's ``report_row`` from the registry);
- ``carried_forward``: received by 31 December Y and not answered in or before Y.
So for a consistent ledger ``new + carried_over == total + carried_forward`` (勾稽关系).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, literal, null, or_, select

from gongkai.core.documents.models import DECISION_ALIASES
from gongkai.core.time.deadlines import compute
from gongkai.core.errors import GongkaiError
from gongkai.core.paperwork import reading
from gongkai.core.records.limits import check_year
from gongkai.core.law.outcomes import APPLICANT_TYPE_CODES, REPORT_ROWS, RESULT_ROWS
from gongkai.core.requests import tracks

TOTAL = "total"
COLUMNS: tuple[str, ...] = (*APPLICANT_TYPE_CODES, TOTAL)
# Section 三's rows in the format's order (codes of the JSON contract).
ROW_CODES: tuple[str, ...] = ("new", "carried_over", *(r.code for r in RESULT_ROWS), TOTAL, "carried_forward")
ROW_LABELS: dict[str, str] = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    TOTAL: "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
    **{r.code: r.label for r in RESULT_ROWS},
}
RESULTS_HEADING = "三、本年度办理结果"

# Section 四: appeal kinds (core.requests.appeals.KINDS) and results, with JSON keys.
APPEAL_KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "lawsuit": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_reconsideration": "行政诉讼（复议后起诉）",
}
APPEAL_RESULTS: dict[str, str] = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他",
    "pending": "尚未审结",
}
APPEAL_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    TOTAL: "总计",
}

# Section 二 (条例 第二十条): document kinds and decision kinds as the registry stores them.
DOCUMENT_KINDS: dict[str, str] = {"rules": "规章", "normative_documents": "行政规范性文件"}
# 第二十条第（五）项 行政许可, 第（六）项 行政处罚/行政强制 (decisions); 第（八）项 行政事业性收费 (万元)
DECISION_KINDS: dict[str, str] = {k: v for k, v in DECISION_ALIASES.items() if k != "fees"}
FEES_KIND = DECISION_ALIASES["fees"]

NARRATIVE_SECTIONS: dict[str, str] = {
    "一": "一、总体情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
UNPAID_FEE = "other.unpaid_fee"


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    check_year(year)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def request_table(session: Any, registry: Any, year: int) -> dict[str, dict[str, int]]:
    """Section 三: ``{row code: {column code: count}}`` with every row and column present."""
    return request_tables(session, registry, year).get(None) or empty_requests()


def empty_requests() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMNS, 0) for row in ROW_CODES}


def request_tables(session: Any, registry: Any, year: int, by: Any = None,
                   name: Any = lambda key: "") -> dict[Any, dict[str, dict[str, int]]]:
    """Section 三 for each value of the column ``by`` (a unit's id: the district's report), or
    under the key ``None`` for everything the session sees; ``name(key)`` names the group in errors.

    One pass over the requests open or answered during the year, grouped by the stored
    applicant type and outcome: the GROUP BY follows ``indexes.REQUEST_REPORT`` (a covering
    index), so SQLite reads only that index, in order, with no sort. Outcome codes are folded
    onto the format's rows (the registry's ``report_row``) here, on the few grouped cells.
    """
    from gongkai.core.requests.models import Request

    start, end = year_bounds(year)
    r = Request.__table__.c
    key = null() if by is None else by
    unanswered_at_start = or_(r.replied_on.is_(None), r.replied_on >= start)
    flows = and_(r.received <= end, or_(r.received >= start, unanswered_at_start))
    answered = and_(r.replied_on >= start, r.replied_on <= end)
    query = (
        select(
            key,
            r.applicant_type,
            r.outcome,
            func.count().filter(and_(r.received >= start, r.received <= end)),
            func.count().filter(and_(r.received < start, unanswered_at_start)),
            func.count().filter(and_(r.received <= end, or_(r.replied_on.is_(None), r.replied_on > end))),
            func.count().filter(answered),
        )
        .where(or_(flows, answered), r.track.in_(tracks.counted_in_annual_report(registry)))  # not 党务公开
        .group_by(*(() if by is None else (by,)), r.applicant_type, r.outcome)
    )
    groups = session.execute(query).all()
    row_of = {code: o.report_row for code, o in registry.outcomes.items()}
    tables: dict[Any, dict[str, dict[str, int]]] = {}
    results: dict[tuple[Any, str, str | None], int] = {}
    for group, column, outcome, new, carried_over, carried_forward, n in groups:
        _check_column(column, name(group))
        table = tables.get(group) or tables.setdefault(group, empty_requests())
        table["new"][column] += new
        table["carried_over"][column] += carried_over
        table["carried_forward"][column] += carried_forward
        if n:
            found = (group, column, row_of.get(outcome, outcome))
            results[found] = results.get(found, 0) + n
    for (group, column, row), n in results.items():
        who = name(group)
        if row is None:
            raise GongkaiError(
                f"{who}有 {n} 件申请记有答复日期但没有答复结果（申请人类型 {column}）。请补录答复结果后再生成年度报告。"
            )
        if row not in REPORT_ROWS:
            raise GongkaiError(
                f"{who}答复结果“{row}”不在年度报告格式的办理结果中（{n} 件）。请用 `gongkai rules` 核对结果代码并更正申请记录。"
            )
        tables[group][row][column] += n
    for table in tables.values():
        for column in APPLICANT_TYPE_CODES:
            table[TOTAL][column] = sum(table[row.code][column] for row in RESULT_ROWS)
        for row in ROW_CODES:
            table[row][TOTAL] = sum(table[row][c] for c in APPLICANT_TYPE_CODES)
    return tables


def _check_column(column: str, who: str) -> None:
    if column not in APPLICANT_TYPE_CODES:
        raise GongkaiError(
            f"{who}申请记录中有未知的申请人类型：{column}。"
            f"请改为 {'、'.join(APPLICANT_TYPE_CODES)} 之一后再生成年度报告。"
        )


def appeal_table(session: Any, year: int) -> dict[str, dict[str, int]]:
    """Section 四: the appeals handled in the year, by kind and result."""
    return appeal_tables(session, year).get(None) or empty_appeals()


def empty_appeals() -> dict[str, dict[str, int]]:
    return {kind: dict.fromkeys(APPEAL_LABELS, 0) for kind in APPEAL_KINDS}


def appeal_tables(session: Any, year: int, by: Any = None,
                  name: Any = lambda key: "") -> dict[Any, dict[str, dict[str, int]]]:
    """Section 四 for each value of ``by`` (as :func:`request_tables`).

    An appeal counts in Y if filed by 31 December Y and not decided before Y; its result
    is the recorded one if decided by 31 December Y, otherwise 尚未审结.
    """
    from gongkai.core.requests.models import Appeal

    start, end = year_bounds(year)
    a = Appeal.__table__.c
    key = null() if by is None else by
    decided = and_(a.decided_on.is_not(None), a.decided_on <= end)
    result = case((decided, a.result), else_=literal(APPEAL_RESULTS["pending"]))
    rows = session.execute(
        select(key, a.kind, result, func.count())
        .where(a.filed_on <= end, or_(a.decided_on.is_(None), a.decided_on >= start))
        .group_by(*(() if by is None else (by,)), a.kind, result)
    ).all()
    from gongkai.core.requests.appeals import REPORTED_AS

    # each decision counts in its column (驳回 as 维持; 撤销、确认违法、责令履行 as 纠正)
    key_of = {result: key for result, column in REPORTED_AS.items() for key, v in APPEAL_RESULTS.items() if v == column}
    tables: dict[Any, dict[str, dict[str, int]]] = {}
    for group, kind, res, n in rows:
        if kind not in APPEAL_KINDS or res not in key_of:
            raise GongkaiError(f"{name(group)}复议诉讼记录的类型或结果无效（{kind}，{res}），请更正后再生成年度报告。")
        table = tables.get(group) or tables.setdefault(group, empty_appeals())
        table[kind][key_of[res]] += int(n)
    for table in tables.values():
        for counts in table.values():
            counts[TOTAL] = sum(counts[k] for k in APPEAL_RESULTS)
    return tables


def proactive_table(session: Any, year: int) -> dict[str, Any]:
    """Section 二 (条例 第二十条第（一）（五）（六）（八）项): the document module's figures
    (:func:`gongkai.core.documents.annual.annual_figures`) under the report's keys, 0 where none."""
    from gongkai.core.documents.annual import annual_figures

    figures = annual_figures(session, year)
    out: dict[str, Any] = {key: figures["documents"][kind] for key, kind in DOCUMENT_KINDS.items()}
    for key, kind in DECISION_KINDS.items():
        out[key] = {"decisions": int(figures["decisions"][kind] or 0)}
    out["fees"] = {"amount_10k_yuan": round(float(figures["decisions"][FEES_KIND] or 0), 4)}
    return out


def fees_collected(session: Any, year: int) -> dict[str, int]:
    """Information-processing fees (条例 第四十二条) collected in the year, reported under 六."""
    return fees_by(session, year).get(None) or {"requests": 0, "amount_yuan": 0}


def fees_by(session: Any, year: int, by: Any = None) -> dict[Any, dict[str, int]]:
    """The fees collected in the year for each value of ``by`` (as :func:`request_tables`).

    A fee whose payment is recorded (the end of the request's fee pause, ``request resume``
    after ``request pause --reason fee``) counts in the year it was paid. Otherwise a charged
    fee counts when its request was answered in the year with any outcome but
    ``other.unpaid_fee`` (the information is provided only after payment).
    """
    from gongkai.core.reports.indexes import FEES_CHARGED
    from gongkai.core.requests.models import Pause, Request

    start, end = year_bounds(year)
    r, p = Request.__table__.c, Pause.__table__.c
    paid = (select(p.request_id, func.max(p.end).label("on"))
            .where(p.reason == "fee", p.end.is_not(None), or_(p.answered.is_(None), p.answered == True))  # noqa: E712 (not 逾期未缴费)
            .group_by(p.request_id).subquery())
    when = func.coalesce(paid.c.on, r.replied_on)
    rows = session.execute(
        select(null() if by is None else by, func.count(), func.coalesce(func.sum(r.fee_amount), 0))
        .select_from(Request.__table__.outerjoin(paid, paid.c.request_id == r.id))
        .where(when >= start, when <= end, FEES_CHARGED,  # the partial index ix_request_fees's own condition
               or_(paid.c.on.is_not(None), r.outcome.is_(None), r.outcome != UNPAID_FEE))
        .group_by(*(() if by is None else (by,)))
    ).all()
    return {key: {"requests": int(n), "amount_yuan": int(total)} for key, n, total in rows}


def due_date(registry: Any, calendar: Any, year: int, government: bool) -> dict[str, Any]:
    """The report's due date (条例 第四十九、五十条; a plugin may set its own date)."""
    rule_id = "report.annual.government" if government else "report.annual.agency"
    rule = registry.deadline(rule_id)
    due = compute(rule, dt.date(year, 12, 31), calendar).due
    return {"date": due.isoformat(), "rule": rule_id, "level": "government" if government else "agency",
            "citation": str(rule.citation), "summary": rule.summary}


def read_narrative(folder: str | Path | None) -> dict[str, str | None]:
    """Sections 一/五/六 from ``一.md``, ``五.md``, ``六.md`` in ``folder`` (None if absent)."""
    texts: dict[str, str | None] = dict.fromkeys(NARRATIVE_SECTIONS)
    if folder is None:
        return texts
    path = Path(folder)
    if not path.is_dir():
        raise GongkaiError(f"找不到文字材料目录 {path}（--narrative），其中应有 一.md、五.md、六.md。")
    for key in NARRATIVE_SECTIONS:
        file = path / f"{key}.md"
        if file.exists():  # a device or pipe too: read_text refuses it rather than it being skipped
            texts[key] = reading.read_text(file, reading.NARRATIVE_BYTES, "文字材料").strip()
    return texts


def build(app: Any, year: int, *, unit: str | None = None, government: bool | None = None,
          narrative: str | Path | None = None, open_session: Any = None) -> dict[str, Any]:
    """All the numbers and texts of the report; the 勾稽关系 check has passed when it returns.
    ``open_session`` opens the transaction to read (default ``app.session``: the chosen unit's)."""
    from gongkai.core.reports.check import ensure_balanced

    if government is None:  # a unit's own folder says so in gongkai.toml; a district's unit in its record
        government = str(app.config.raw.get("unit_level", "")) == "government" or (
            app.config.district and unit is None and app.unit.level == "government")
    from gongkai.core.records.chain import head

    unit = unit or app.unit.name
    with (open_session or app.session)() as session:
        built_from = head(session)  # first: the figures below are read in the same transaction
        requests = request_table(session, app.registry, year)
        ensure_balanced(requests)
        appeals = appeal_table(session, year)
        proactive = proactive_table(session, year)
        fees = fees_collected(session, year)
    return {
        "year": year,
        "unit": unit,
        "jurisdiction": app.registry.jurisdiction.name,
        "title": f"{unit}{year}年政府信息公开工作年度报告",
        "due": due_date(app.registry, app.calendar, year, government),
        "proactive": proactive,
        "requests": requests,
        "appeals": appeals,
        "fees_collected": fees,
        "narrative": read_narrative(narrative),
        "check": {"ok": True, "rule": "本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理（每一列）"},
        "audit_head": built_from,  # the event log's head the figures were read at (audit verify --expect-head)
    }
