"""The read-only pages: 我的待办, 台账 (and its .xlsx), 规则, 日历, 年度报告, 考核."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gongkai.core.errors import GongkaiError
from gongkai.core.today import today
from gongkai.core.web.app import PAGES, main_block, render


def need(request: Request, action: str, record: Any = None) -> Any:
    """The signed-in actor, if the one permission function allows ``action`` (else the 403 page)."""
    from gongkai.core.accounts.permissions import require

    actor = request.scope["actor"]
    require(actor, action, record)
    return actor


def number(request: Request, name: str, label: str, low: int = 0, high: int = 9999) -> int | None:
    """An optional whole number from the query string; a Chinese error naming the field."""
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise GongkaiError(f"“{label}”应为整数，收到“{text}”。") from None
    if not low <= value <= high:
        raise GongkaiError(f"“{label}”应在 {low} 到 {high} 之间，收到 {value}。")
    return value


def home(request: Request) -> Response:
    return RedirectResponse("/todo", status_code=303)


WORKLIST_ROWS = 30  # rows per list on 我的待办; the counts are of all, the ledger lists the rest


def todo(request: Request) -> Response:
    """我的待办: everything waiting for me (core.requests.worklist.my_work, as ``gongkai todo``), and
    the unit's digest of clocks with time left."""
    from gongkai.core.records.head_cache import chain_head
    from gongkai.core.matters.urgency import now_beijing

    actor = need(request, "view")
    office = request.app.state.office
    within = number(request, "within", "几个工作日内到期", 0, 60)
    within = 3 if within is None else within
    # as of the minute: the countdowns are in minutes, and the page is the same for the whole minute
    now = now_beijing().replace(second=0, microsecond=0)
    key = ("todo", actor.name, actor.roles, actor.reading, within, now, id(office.calendar))
    with office.session() as session:
        main = PAGES.get(chain_head(session), key,
                         lambda: main_block(request, "todo.html", **_todo(session, office, actor, within, now)))
    return render(request, "todo.html", main=main)


def _todo(session: Any, office: Any, actor: Any, within: int, now: dt.datetime) -> dict[str, Any]:
    from gongkai.core.matters.digest import GROUPS, digest
    from gongkai.core.matters.urgency import time_left
    from gongkai.core.requests.worklist import my_work

    lines = my_work(session, office, actor, today(), limit=WORKLIST_ROWS + 1)
    data = digest(session, office.registry, office.calendar, now, within, limit=WORKLIST_ROWS)
    for items in data["groups"].values():
        for item in items:
            item["left"] = time_left(item["due"], now, office.calendar)
    return {"lines": lines[:WORKLIST_ROWS], "more": len(lines) > WORKLIST_ROWS, "digest": data, "groups": GROUPS,
            "within": within}


def ledger_filters(request: Request) -> dict[str, Any]:
    q = request.query_params
    return {
        "overdue": q.get("overdue") == "1",
        "due_within": number(request, "due_within", "几个工作日内到期", 0, 250),
        "state": q.get("state") or None,
        "year": number(request, "year", "收到年度", 1, 9999),
        "search": q.get("q", "").strip()[:100],
        "ref": q.get("ref", "").strip()[:100] or None,
        "assignee": q.get("assignee", "").strip()[:100] or None,
    }


def ledger(request: Request) -> Response:
    """台账: filters, search, keyset paging (``before``: the last id of the previous page)."""
    from urllib.parse import urlencode

    from gongkai.core.records.head_cache import chain_head
    from gongkai.core.requests import ledger as core
    from gongkai.core.requests.workflow import STATES

    need(request, "view")
    office = request.app.state.office
    filters = ledger_filters(request)
    cursor = request.query_params.get("after") or None
    as_of = today()

    def content(session: Any) -> Any:
        from gongkai.core.requests.assignment import handlers, names

        rows, next_cursor = core.page(session, office, as_of=as_of, cursor=cursor, **filters)
        kept = {k: v for k, v in request.query_params.items() if k != "after" and v}
        people = names(session, {r["assignee"] for r in rows if r["assignee"]})
        return main_block(request, "ledger.html", rows=rows, filters=filters, states=STATES, query=urlencode(kept),
                          handlers=handlers(session), people=people,
                          outcomes=office.registry.outcomes, first_page=cursor is None,
                          next_url=f"/ledger?{urlencode({**kept, 'after': next_cursor})}" if next_cursor else None)

    with office.session() as session:  # the page is its query string's on this day's records
        main = PAGES.get(chain_head(session), ("ledger", str(request.query_params), as_of, id(office.calendar)),
                         lambda: content(session))
    return render(request, "ledger.html", main=main)


def ledger_xlsx(request: Request) -> Response:
    """The filtered ledger as .xlsx (``gongkai ledger --xlsx``'s rows and columns)."""
    from gongkai.core.requests import history, ledger as core

    need(request, "view")
    office = request.app.state.office
    filters = ledger_filters(request)
    filters["search"] = filters["search"] or None  # ledger(): None is no search
    with office.session() as session:
        rows = core.ledger(session, office, as_of=today(), **filters)
        steps = history.cells(session, rows)
    with tempfile.TemporaryDirectory() as tmp:
        content = core.export_xlsx(rows, Path(tmp) / "ledger.xlsx", office, history_cells=steps).read_bytes()
    return download(content, f"依申请公开台账-{today().isoformat()}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def download(content: bytes, filename: str, media_type: str) -> Response:
    from urllib.parse import quote

    return Response(content, media_type=media_type,
                    headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})


def rules(request: Request) -> Response:
    """规则: every rule in force, with its citation and all its parameters (``gongkai rules --json``)."""
    from gongkai.core.cli.rules_cmd import rule_json

    need(request, "view")
    registry = request.app.state.office.registry
    entries = [{**rule_json(e), "terms": rule_terms(e.rule)} for e in registry.rules.values()]
    return render(request, "rules.html", rules=entries)


def rule_terms(rule: Any) -> list[tuple[str, str]]:
    """A rule's working parts in words: a deadline's period and limit, a chain's steps."""
    from gongkai.hookspecs.records import DeadlineRule, ReviewChain, Unit

    if isinstance(rule, DeadlineRule):
        if rule.unit is Unit.ANNUAL_DATE:
            return [("期限", f"每年{rule.month}月{rule.day}日")]
        terms = [("期限", f"{rule.amount}{rule.unit.label}")]
        if rule.limit is not None:
            terms.append(("最长", f"{rule.limit}{rule.unit.label}"))
        if rule.pausable:
            terms.append(("中止计时", "征求意见等期间不计入"))
        return terms
    if isinstance(rule, ReviewChain):
        return [(f"第{n}步", f"{s.name}（{s.role}{'，答复后' if s.stage == 'after' else ''}）")
                for n, s in enumerate(rule.steps, 1)]
    return []


def calendar(request: Request) -> Response:
    """日历: the year's holidays and make-up working days, and its count of working days."""
    from gongkai.core.cli.calendar_cmd import KIND_LABELS

    need(request, "view")
    cal = request.app.state.office.calendar
    year = number(request, "year", "年份", 2000, 2100) or today().year
    days = [d.to_json() for d in cal.year(year)]
    workdays = cal.working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31))
    return render(request, "calendar.html", year=year, days=days, kinds=KIND_LABELS, workdays=workdays,
                  provisional=cal.is_provisional(dt.date(year, 12, 31)))


def report(request: Request) -> Response:
    """年度报告: the year's numbers (checked) and the downloads."""
    from gongkai.core.reports import annual
    from gongkai.core.reports.check import COLUMN_LABELS
    from gongkai.core.reports.output import appeal_rows, request_rows

    need(request, "view")
    office = request.app.state.office
    year = number(request, "year", "报告年度", 2000, 2100) or today().year - 1
    data = annual.build(office, year)
    return render(request, "report.html", year=year, data=data, request_rows=request_rows(data),
                  appeal_rows=appeal_rows(data), columns=[label.rpartition("·")[2] for label in COLUMN_LABELS.values()])


REPORT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "pdf": "application/pdf",
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "html": "text/html; charset=utf-8"}


def report_file(request: Request) -> Response:
    from gongkai.core.reports import annual
    from gongkai.core.reports.output import layout_for, write

    need(request, "view")
    office = request.app.state.office
    year, fmt = int(request.path_params["year"]), request.path_params["fmt"]
    if fmt not in REPORT_TYPES:
        raise GongkaiError(f"格式“{fmt}”无效，可选：{'、'.join(REPORT_TYPES)}。")
    data = annual.build(office, year)
    data["date"] = today().isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        content = write(office.registry.template_dirs, data, fmt, Path(tmp) / f"report.{fmt}",
                        layout_for(office.config)).read_bytes()
    return download(content, f"{data['title']}.{fmt}", REPORT_TYPES[fmt])


def assess(request: Request) -> Response:
    """考核: the rubric in force, and the unit's score for the year from its own records: the
    total, each category's points and the grade (``gongkai assess score --from-records``)."""
    from gongkai.core.assessment import KINDS
    from gongkai.core.assessment.from_records import findings_from_records, uses_records
    from gongkai.core.assessment.rubric import CATEGORY_KINDS, configured_weight, load_scoring, rubric_json
    from gongkai.core.assessment.scoring import score_all

    need(request, "view")
    office = request.app.state.office
    year = number(request, "year", "考核年度", 2000, 2100) or today().year
    kind = request.query_params.get("kind") or "year_end"
    if kind not in KINDS:
        raise GongkaiError(f"考核类型“{kind}”无效，可选：{'、'.join(KINDS.values())}。")
    scoring = load_scoring(office.registry, office.config.rubric_file)
    rubric = scoring.rubric
    result = None
    if rubric is not None and uses_records(rubric):
        with office.session() as session:
            findings = findings_from_records(session, rubric, office.unit.name, year, kind)
        result = score_all(scoring, [findings], configured_weight(office.config))[0]
    return render(request, "assess.html", year=year, kind=kind, kinds_of_assessment=KINDS, scoring=scoring,
                  rubric=rubric, categories=rubric_json(rubric) if rubric else [], kinds=CATEGORY_KINDS,
                  result=result, scored=result.assessments[kind] if result else None)


routes = [
    Route("/", home),
    Route("/todo", todo),
    Route("/ledger", ledger),
    Route("/ledger.xlsx", ledger_xlsx),
    Route("/rules", rules),
    Route("/calendar", calendar),
    Route("/report", report),
    Route("/report/{year:int}.{fmt}", report_file),
    Route("/assess", assess),
]
