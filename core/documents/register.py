"""The publication register (登记簿, 西咸新区 第二十条: 每条信息发布后都应在专门的登记簿上详细登记),
built from stored facts and exported to Excel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from gongkai.core.documents.clocks import clocks_of, timeliness
from gongkai.core.documents.models import Document
from gongkai.core.documents.review import latest, reviews_of

if TYPE_CHECKING:
    from sqlmodel import Session

COLUMNS = ("序号", "发布日期", "信息名称", "文号", "信息产生机构", "经办人", "公开属性", "发布渠道", "信息发布员",
           "审批人", "发布期限", "最迟期限", "是否按期")
TIMELINESS = {"on_time": "按期", "after_target": "超过一般期限，未超过最迟期限", "late": "逾期"}


def register_rows(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    from sqlmodel import select

    query = select(Document).where(Document.published_on.is_not(None)).order_by(Document.published_on, Document.id)  # type: ignore[union-attr]
    rows = []
    for n, doc in enumerate(d for d in session.exec(query).all() if year is None or d.published_on.year == year):
        clock = {c.name: c for c in clocks_of(session, doc.id)}.get("publish")
        done = latest(reviews_of(session, doc.id))
        approval = done.get("approval")
        rows.append({
            "序号": n + 1, "发布日期": doc.published_on, "信息名称": doc.title, "文号": doc.number,
            "信息产生机构": doc.producer, "经办人": doc.handler, "公开属性": doc.attribute_name,
            "发布渠道": doc.channel, "信息发布员": doc.published_by, "审批人": approval.by if approval else "",
            "发布期限": clock.due if clock else None, "最迟期限": clock.limit if clock else None,
            "是否按期": TIMELINESS[timeliness(clock, doc.published_on)], "id": doc.id,
        })
    return rows


def export_xlsx(rows: list[dict[str, Any]], path: Path, title: str) -> Path:
    """The register as a workbook people can use (``core.paperwork.xlsx``)."""
    from openpyxl import Workbook

    from gongkai.core.paperwork import xlsx
    wb = Workbook()
    ws = wb.active
    ws.title = "登记簿"
    xlsx.table_sheet(ws, title, COLUMNS, [[row[c] for c in COLUMNS] for row in rows])
    from gongkai.core.paperwork.safe_write import write_file

    return write_file(path, wb.save)
