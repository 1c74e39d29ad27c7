"""The published annual report (条例 第四十九条: 向社会公布): ``gongkai report publish --year Y``
freezes the year's report as the records gave it that day, an event of the unit's chain
(``subject_kind`` ``report_publication``). The public pages show the frozen report (HTML in the
national layout, and PDF printed once through LibreOffice and kept in the cache folder), so a
later change of the records does not silently change what was published."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Session, select

from gongkai.core.errors import GongkaiError, NotFound
from gongkai.core.records.storage import record_event
from gongkai.core.records.units import UnitOwned

SUBJECT = "report_publication"


class ReportPublication(UnitOwned, table=True):
    __tablename__ = "report_publication"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_report_publication_unit_year"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int
    published_on: dt.date
    published_by: str = Field(default="", max_length=200)
    content: str = ""  # the report as published: the JSON of core.reports.annual.build


NO_TEXT = "（本部分未提供文字材料。）"  # a public page names no command or folder


def build_for_publication(app: Any, year: int, on: dt.date, narrative: Any = None) -> dict[str, Any]:
    """The year's report as it would be published on ``on`` (its 勾稽关系 checked), with the texts
    of sections 一, 五 and 六 from the ``narrative`` folder (as ``report annual --narrative``)."""
    from gongkai.core.reports import annual

    if on.year <= year:
        raise GongkaiError(f"{year}年度报告应在该年度结束后公布（条例 第四十九条：每年1月31日前公布上一年度报告），"
                           f"公布日期 {on.isoformat()} 不在 {year} 年之后。")
    report = annual.build(app, year, narrative=narrative)
    report["date"] = on.isoformat()
    report["narrative"] = {k: v or NO_TEXT for k, v in report["narrative"].items()}
    return report


def record_publication(session: Session, report: dict[str, Any], actor: str = "") -> dict[str, Any]:
    """Record ``report`` (:func:`build_for_publication`) as published: an event of the unit's chain."""
    year, on = report["year"], dt.date.fromisoformat(report["date"])
    if session.exec(select(ReportPublication).where(ReportPublication.year == year)).first() is not None:
        raise GongkaiError(f"{year}年度报告已公布，不能再次公布。")
    row = ReportPublication(year=year, published_on=on, published_by=actor,
                            content=json.dumps(report, ensure_ascii=False, sort_keys=True, default=str))
    session.add(row)
    session.flush()
    record_event(session, subject_kind=SUBJECT, subject_id=row.id, action="report_published", actor=actor,
                 after={"year": year, "on": on.isoformat(), "title": report["title"],
                        "content_sha256": hashlib.sha256(row.content.encode()).hexdigest()})
    return {"year": year, "published_on": on.isoformat(), "title": report["title"]}


def published_years(session: Session) -> list[dict[str, Any]]:
    rows = session.exec(select(ReportPublication.year, ReportPublication.published_on)
                        .order_by(ReportPublication.year.desc())).all()  # type: ignore[attr-defined]
    return [{"year": y, "published_on": on} for y, on in rows]


def published_report(session: Session, year: int) -> dict[str, Any]:
    row = session.exec(select(ReportPublication).where(ReportPublication.year == year)).first()
    if row is None:
        raise NotFound(f"{year}年度报告尚未公布。")
    report = json.loads(row.content)
    report["published_on"] = row.published_on.isoformat()
    return report


def report_html(template_dirs: Any, report: dict[str, Any]) -> str:
    """The report's body as HTML (the national layout, as ``report annual --format html`` writes it),
    its title an <h1> and sections below it."""
    from gongkai.core.paperwork.render import markdown_to_html, plain_text
    from gongkai.core.reports.output import markdown, tables

    drawn = tables(report)
    page = markdown_to_html(plain_text(markdown(template_dirs, report), drawn, html=True), report["title"], drawn)
    return page.split("<body>\n", 1)[1].rsplit("</body>", 1)[0]


def report_pdf(app: Any, report: dict[str, Any]) -> Path:
    """The report's PDF, printed once per published content and kept in the cache folder."""
    from gongkai.core.cache_dir import cache_dir
    from gongkai.core.paperwork.safe_write import as_target
    from gongkai.core.reports.output import layout_for, write

    key = hashlib.sha256(json.dumps(report, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]
    path = Path(cache_dir()) / "public-reports" / f"{key}.pdf"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            write(app.registry.template_dirs, report, "pdf", as_target(path, force=True), layout_for(app.config))
        except FileExistsError:  # another worker printed it first
            pass
    return path
